#!/usr/bin/env bash
# Sweep benchmark (issue 7): the demo scenario on a 128 x 128 version of the demo site (its DEM
# averaged from 5 m to 10 m cells; zones, soil and climate as they are) over 50 years.
# Prints members per second with 1 and 2 threads and with `mpirun -np 2` (1 thread per rank),
# the parallel efficiencies (target >= 85 %), and the sweep machinery's overhead: the 1-thread
# sweep's wall time less its members' own run time, against the latter (target < 2 %).
# MEMBERS=8 by default; YEARS=50.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${MINETWIN_BIN:-$root/build/bin/minetwin}"
members="${MEMBERS:-8}"
years="${YEARS:-50}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
gdal_translate -q -r average -outsize 128 128 "$root/assets/demo_site/dem.tif" "$work/dem128.tif"
sed "s#^scenario: demo.yaml#scenario: $root/scenarios/demo.yaml#" \
  "$root/scenarios/demo_sweep.yaml" > "$work/sweep.yaml"
common=(--samples "$members" --set "site.dem=$work/dem128.tif" --set "simulation.years=$years")

time_sweep() {  # label, then the command; prints wall seconds
  local label="$1"; shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/$label.out" 2> "$work/$label.err"
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }'
}

one=$(time_sweep one "$bin" sweep "$work/sweep.yaml" -o "$work/one" --threads 1 "${common[@]}")
two=$(time_sweep two "$bin" sweep "$work/sweep.yaml" -o "$work/two" --threads 2 "${common[@]}")
own=$(sed -n "s/^members' own run time in this process: \([0-9.]*\) s$/\1/p" "$work/one.err")
echo "grid: 128 x 128 cells (10 m), $years years, $members members"
awk -v m="$members" -v w="$one" 'BEGIN { printf "1 thread:  %.1f s, %.3f members/s\n", w, m / w }'
awk -v m="$members" -v w="$two" -v w1="$one" \
  'BEGIN { printf "2 threads: %.1f s, %.3f members/s, parallel efficiency %.0f %%\n", w, m / w, 100 * w1 / (2 * w) }'
if command -v mpirun > /dev/null; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
  mpi=$(time_sweep mpi mpirun --oversubscribe -np 2 "$bin" sweep "$work/sweep.yaml" -o "$work/mpi" \
    --threads 1 "${common[@]}")
  awk -v m="$members" -v w="$mpi" -v w1="$one" \
    'BEGIN { printf "mpirun -np 2: %.1f s, %.3f members/s, parallel efficiency %.0f %%\n", w, m / w, 100 * w1 / (2 * w) }'
  cmp -s "$work/one/stats.csv" "$work/mpi/stats.csv" && echo "stats.csv identical (1 thread, 2 threads, 2 ranks)" ||
    echo "stats.csv DIFFERS between 1 thread and 2 ranks"
fi
cmp -s "$work/one/stats.csv" "$work/two/stats.csv" || echo "stats.csv DIFFERS between 1 and 2 threads"
awk -v w="$one" -v o="$own" \
  'BEGIN { printf "sweep machinery (1 thread): %.2f s of %.1f s wall = %.2f %% of the members own %.1f s\n", w - o, w, 100 * (w - o) / o, o }'
