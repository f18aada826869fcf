#!/usr/bin/env python3
"""Checks that the hot loops that must vectorise do (issue 21).

Compiles each file named in hot_loops.txt with the exact command of the build
(compile_commands.json) plus GCC's optimisation report (-fopt-info-vec-optimized), and counts
the distinct source lines whose loop was vectorised. A file below its expected count fails,
naming it: a per-file flag lost (-fno-trapping-math, -fno-math-errno) or a loop rewritten so that
GCC no longer vectorises it. Update the counts in hot_loops.txt when a change is meant.

usage: check_vectorisation.py BUILD_DIR SOURCE_DIR
"""
import json
import pathlib
import re
import shlex
import subprocess
import sys


def compile_report(entry, source):
    args = shlex.split(entry["command"]) if "command" in entry else list(entry["arguments"])
    kept, skip = [], False
    for arg in args:
        if skip:
            skip = False
            continue
        if arg in ("-o", "-MT", "-MF"):
            skip = True
            continue
        if arg in ("-MD", "ccache") or arg.endswith("/ccache"):
            continue
        kept.append(arg)
    kept += ["-o", "/dev/null", "-fopt-info-vec-optimized"]
    result = subprocess.run(kept, cwd=entry["directory"], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"compiling {source} failed:\n{result.stderr[-2000:]}")
    lines = set()
    for line in result.stderr.splitlines():
        match = re.match(r"(.+?):(\d+):\d+: optimized: loop vectorized", line)
        if match and match.group(1).endswith(source):
            lines.add(int(match.group(2)))
    return lines


def main():
    build, root = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    entries = json.loads((build / "compile_commands.json").read_text())
    expected = []
    for line in (root / "tests/vectorisation/hot_loops.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            source, count = line.split()
            expected.append((source, int(count)))
    failed = False
    for source, count in expected:
        entry = next((e for e in entries if e["file"].endswith(source)), None)
        if entry is None:
            print(f"{source}: not in compile_commands.json")
            failed = True
            continue
        lines = compile_report(entry, source)
        verdict = "ok" if len(lines) >= count else "FEWER THAN EXPECTED"
        print(f"{source}: {len(lines)} vectorised loops (expected at least {count}): {verdict}")
        failed |= len(lines) < count
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
