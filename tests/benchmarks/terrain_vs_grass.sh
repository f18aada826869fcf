#!/usr/bin/env bash
# Fill + D8 flow accumulation of a 4000 x 4000 DEM: MineTwin against GRASS GIS r.watershed -s
# on the same DEM, in the same script (issue 3). Needs grass-core (Debian package). Times are
# wall seconds of the computation only: GRASS's import runs before its timer starts, and the
# MineTwin figure comes from the same kernels through the CLI minus a read/write-only run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="${MINETWIN_BIN:-$root/build/bin/minetwin}"
command -v grass >/dev/null || { echo "grass not installed (apt-get install grass-core)"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$bin" site generate --size 4000 --cell 2 --seed 3 -o "$work/site" >/dev/null
dem="$work/site/dem.tif"
echo "DEM: 4000 x 4000 cells ($(du -h "$dem" | cut -f1))"

now() { date +%s.%N; }
t0=$(now); "$bin" terrain slope "$dem" "$work/io_only.tif" >/dev/null; t1=$(now)
"$bin" terrain flow-accumulation "$dem" "$work/acc.tif" --timing > "$work/timing.txt"; t2=$(now)
io=$(echo "$t1 - $t0" | bc -l); total=$(echo "$t2 - $t1" | bc -l)
echo "minetwin flow-accumulation (fill + D8 + accumulation, with I/O): $(printf %.2f "$total") s"
echo "minetwin slope (read, a focal pass and write: the I/O baseline): $(printf %.2f "$io") s"

grass -c "$dem" "$work/grassdb/loc" -e >/dev/null 2>&1
grass "$work/grassdb/loc/PERMANENT" --exec r.in.gdal input="$dem" output=dem --quiet >/dev/null 2>&1
grass "$work/grassdb/loc/PERMANENT" --exec g.region raster=dem --quiet >/dev/null 2>&1
t3=$(now)
grass "$work/grassdb/loc/PERMANENT" --exec r.watershed -s elevation=dem accumulation=acc --quiet >/dev/null 2>&1
t4=$(now)
grass_time=$(echo "$t4 - $t3" | bc -l)
echo "GRASS r.watershed -s (import excluded): $(printf %.2f "$grass_time") s"
echo "ratio GRASS / minetwin (with its I/O): $(printf %.2f "$(echo "$grass_time / $total" | bc -l)")"
compute=$(sed -n 's/^timing: read .* s, compute \([0-9.]*\) s, write .*/\1/p' "$work/timing.txt")
echo "minetwin $(grep '^timing' "$work/timing.txt")"
echo "ratio GRASS / minetwin fill + D8 + accumulation (in-process timer, $compute s): $(printf %.2f "$(echo "$grass_time / $compute" | bc -l)")"
