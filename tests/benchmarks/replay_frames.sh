#!/usr/bin/env bash
# The report's 3D replay in headless Chromium with SwiftShader (software WebGL, no GPU) on the
# demo's 50-year report (issue 27: interactive within 3 s, >= 30 frames a second playing on
# software rendering for a 256^2 site). Prints the report's size, the milliseconds from the
# navigation's start to the first view with live controls, the frames a second while playing at
# the coarsest level (every 4th cell, where software rendering settles) and at every 2nd cell,
# and a still frame's draw of the full mesh. Each figure is the median of RUNS page loads
# (Chromium's timings vary from load to load on two cores).
# Usage: tests/benchmarks/replay_frames.sh [BUILD_DIR]   (from the repository root)
set -euo pipefail
build=${1:-build}
bin="$build/bin/minetwin"
runs=${RUNS:-3}
work=${WORK:-/tmp/minetwin_replay_bench}
mkdir -p "$work"
if [ ! -f "$work/demo/.complete" ]; then
  "$bin" run scenarios/demo.yaml --quiet -o "$work/demo"
  touch "$work/demo/.complete"
fi
"$bin" report "$work/demo" -o "$work/report.html" >/dev/null
echo "report: $(du -h "$work/report.html" | cut -f1)"
for k in $(seq "$runs"); do
  chromium --headless=new --no-sandbox --use-angle=swiftshader --enable-unsafe-swiftshader \
    --virtual-time-budget=60000 --dump-dom "file://$work/report.html#replay-selftest" \
    2>/dev/null | grep -o '<section id="replay3d"[^>]*>' > "$work/selftest_$k.txt"
done
median() {
  for k in $(seq "$runs"); do
    sed -n "s/.*data-$1=\"\([^\"]*\)\".*/\1/p" "$work/selftest_$k.txt"
  done | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
echo "first view with live controls: $(median ready-ms) ms after the navigation's start"
echo "playing, every 4th cell: $(median fps) frames a second"
echo "playing, every 2nd cell: $(median fps-half) frames a second"
echo "still frame, full mesh: $(median draw-ms) ms"
