#!/usr/bin/env bash
# Whole-run benchmark (issues 2, 22): the demo site generated at 1024 x 1024 cells, the demo's
# plan for 50 years with 2 threads. Prints wall time, cell-years per second and peak memory, and the
# engine's share of the run (minetwin run --profile). Targets for the complete model chain:
# <= 40 s, >= 1.3 million cell-years per second, <= 2 GB peak memory. YEARS=10 for a shorter run,
# THREADS=1 for the serial reference (each model's parallel speed-up).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${MINETWIN_BIN:-$root/build/bin/minetwin}"
years="${YEARS:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" site generate --kind open_pit --size 1024 --cell 5 --seed 1 -o "$work/site" >/dev/null
# The demo's plan (its measures, parameters and outputs) on the generated site: the demo's zones
# and panel coordinates lie inside it.
sed "s#\.\./assets/demo_site/#$work/site/#" "$root/scenarios/demo.yaml" > "$work/scenario.yaml"
/usr/bin/time -f "%e %M" -o "$work/time.txt" \
  "$bin" run "$work/scenario.yaml" -o "$work/out" --quiet --profile --threads ${THREADS:-2} \
  --set simulation.years="$years" 2> "$work/profile.txt"
read -r wall peak_kb < "$work/time.txt"
cells=$((1024 * 1024))
echo "grid: 1024 x 1024 cells, $years years, ${THREADS:-2} threads"
echo "wall time: ${wall} s"
awk -v w="$wall" -v c="$cells" -v y="$years" 'BEGIN { printf "cell-years per second: %.3g\n", c * y / w }'
awk -v k="$peak_kb" 'BEGIN { printf "peak memory: %.0f MB\n", k / 1024 }'
echo "state.nc: $(du -h "$work/out/state.nc" | cut -f1)"
cat "$work/profile.txt"
