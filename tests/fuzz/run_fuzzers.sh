#!/usr/bin/env bash
# Runs the libFuzzer targets (tests/fuzz/) for a bounded time each, from a seed corpus of the
# example files (scenarios/) and the broken inputs of the regression tests (tests/fuzz/corpus/).
#   FUZZ_SECONDS  seconds per target (default 120)
#   FUZZ_SEED     libFuzzer's seed (default: a new one each run, to explore). CI sets it, with
#   FUZZ_RUNS     a number of inputs per target, so that CI tries the same inputs on every
#                 machine and a landed commit cannot fail later on a chance finding; new
#                 findings come from runs without a seed (docs/development.md).
#   BUILD         the clang build folder (default build-clang; `cmake --preset clang` and
#                 `cmake --build --preset clang --target fuzz_scenario fuzz_sweep`)
# Exits non-zero when a target finds a crash, a sanitizer report or a hang; the input that
# caused it is printed (and kept in the work folder named at the end).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${BUILD:-$root/build-clang}"
seconds="${FUZZ_SECONDS:-120}"
work="$(mktemp -d /tmp/minetwin_fuzz.XXXXXX)"
status=0
repeatable=()
[ -n "${FUZZ_SEED:-}" ] && repeatable+=(-seed="$FUZZ_SEED")
[ -n "${FUZZ_RUNS:-}" ] && repeatable+=(-runs="$FUZZ_RUNS")
for target in scenario sweep; do
  corpus="$work/$target"
  mkdir -p "$corpus"
  cp "$root"/tests/fuzz/corpus/"$target"/* "$corpus"/
  if [ "$target" = scenario ]; then cp "$root"/scenarios/demo.yaml "$corpus"/; fi
  if [ "$target" = sweep ]; then cp "$root"/scenarios/demo_sweep.yaml "$corpus"/; fi
  echo "== fuzz_$target for ${seconds} s (seed corpus: $(ls "$corpus" | wc -l) files)"
  # Leak checks stay off: a leak is not what these targets look for, and the registry is
  # built once per process on purpose.
  if ! ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
      "$build/fuzz/fuzz_$target" "$corpus" -max_total_time="$seconds" "${repeatable[@]}" \
      -max_len=8192 -timeout=10 \
      -rss_limit_mb=2048 -dict="$root/tests/fuzz/yaml.dict" -artifact_prefix="$work/$target-" \
      -print_final_stats=1 > "$work/$target.log" 2>&1; then
    status=1
    tail -n 60 "$work/$target.log"
    for artifact in "$work/$target"-*; do
      [ -f "$artifact" ] || continue
      echo "-- finding $artifact (base64):"
      base64 "$artifact"
    done
  fi
  grep -E '^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss_mb)|cov: ' "$work/$target.log" | tail -n 4 || true
done
echo "fuzzing work folder: $work"
exit "$status"
