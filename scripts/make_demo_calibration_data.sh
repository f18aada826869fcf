#!/usr/bin/env bash
# Makes the demo calibration's observations (assets/demo_calibration/) by a twin experiment:
# the demo scenario over its first 10 years with known "true" parameters, observed with noise.
# They are synthetic, not site data: docs/calibration.md ("The demo").
#   scripts/make_demo_calibration_data.sh [BUILD]   (BUILD: the build folder, default build)
# Needs gdal-bin (gdal_translate) and python3 (standard library only).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minetwin="${1:-$root/build}/bin/minetwin"
out="$root/assets/demo_calibration"
work="$(mktemp -d /tmp/minetwin_demo_calibration.XXXXXX)"
trap 'rm -rf "$work"' EXIT

# The truth: each parameter away from its prior median in demo_calibration.yaml.
"$minetwin" run "$root/scenarios/demo.yaml" -o "$work/truth" --quiet \
  --set simulation.years=10 \
  --set parameters.metals.cd_log_kd_shift=0.2 \
  --set parameters.vegetation.light_use_efficiency_g_c_per_mj=0.43 \
  --set parameters.vegetation.colonisation_rate=0.7 \
  --set parameters.terrain.stream_power_k=3e-4
# A drone survey of vegetation cover (state of 1 January 2033, 20 m pixels) and soil samples of
# 1 January 2030.
"$minetwin" export "$work/truth" --field vegetation__cover_fraction --year 2033 -o "$work/cover.tif"
"$minetwin" export "$work/truth" --field soil_cd__total_concentration --layer 1 --year 2030 \
  -o "$work/cd.tif"
# The drone map at 20 m (each pixel the mean of the 16 model cells it covers).
gdal_translate -q -tr 20 20 -r average "$work/cover.tif" "$work/cover20.tif"
gdal_translate -q -of AAIGrid "$work/cover20.tif" "$work/cover.asc"
gdal_translate -q -of AAIGrid "$work/cd.tif" "$work/cd.asc"

python3 - "$work" "$out" <<'PY'
import csv, math, random, sys
work, out = sys.argv[1], sys.argv[2]
rng = random.Random(20251206)

def read_asc(path):
    header, rows = {}, []
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and not rows and parts[0][0].isalpha():
                header[parts[0].lower()] = float(parts[1])
            else:
                rows.append([float(v) for v in parts])
    return header, rows

# Cover: the truth plus N(0, 0.08) per 20 m pixel (sd 0.08 in the calibration file). Not clipped
# to [0, 1]: clipping would bias the errors of bare and closed cover (a truncated error is not
# the unbiased Gaussian error the calibration is told of).
header, rows = read_asc(f"{work}/cover.asc")
nodata = header.get("nodata_value", -9999.0)
with open(f"{work}/cover_noisy.asc", "w") as f:
    for key in ("ncols", "nrows", "xllcorner", "yllcorner", "cellsize"):
        f.write(f"{key} {header[key]:.6f}\n" if "corner" in key or key == "cellsize"
                else f"{key} {int(header[key])}\n")
    f.write(f"NODATA_value {nodata}\n")
    for row in rows:
        f.write(" ".join(str(v) if v == nodata else f"{v + rng.gauss(0, 0.08):.3f}"
                         for v in row) + "\n")

# Soil samples: 40 cells of the topsoil with Cd data, 15 % analytical and sampling error.
header, rows = read_asc(f"{work}/cd.asc")
nodata = header.get("nodata_value", -9999.0)
cells = [(r, c) for r, row in enumerate(rows) for c, v in enumerate(row) if v != nodata]
size = header["cellsize"]
west, north = header["xllcorner"], header["yllcorner"] + size * header["nrows"]
with open(f"{out}/soil_samples.csv", "w", newline="") as f:
    f.write("# Synthetic soil samples (scripts/make_demo_calibration_data.sh): topsoil Cd of the\n"
            "# twin experiment's truth on 1 January 2030 with 15 % error. Not site data.\n")
    f.write("year,x,y,field,value,sd\n")
    for r, c in sorted(rng.sample(cells, 40)):
        value = rows[r][c]
        sd = 0.15 * value
        f.write(f"2030,{west + (c + 0.5) * size:.1f},{north - (r + 0.5) * size:.1f},"
                f"soil_cd__total_concentration[0],{value + rng.gauss(0, sd):.4g},{sd:.3g}\n")

# Site monitoring: leachate Cd (15 %), NPP from satellite products (10 %), eroded volume from
# repeat drone surveys (DEM of differences, 20 %), every year.
with open(f"{work}/truth/summary.csv") as f:
    summary = list(csv.DictReader(f))
with open(f"{out}/site_monitoring.csv", "w", newline="") as f:
    f.write("# Synthetic site monitoring (scripts/make_demo_calibration_data.sh): the twin\n"
            "# experiment's truth with 10-20 % error. Not site data.\n")
    f.write("year,metric,value,sd\n")
    for row in summary:
        for metric, relative, floor in (("cd_leached_kg", 0.15, 0.01), ("npp_t_c", 0.10, 1.0),
                                        ("landform_eroded_m3", 0.20, 10.0)):
            value = float(row[metric])
            if value == 0:
                continue
            sd = max(relative * abs(value), floor)
            f.write(f"{row['year']},{metric},{value + rng.gauss(0, sd):.5g},{sd:.3g}\n")
PY
gdal_translate -q -of GTiff -ot Float32 -co COMPRESS=DEFLATE -co PREDICTOR=3 \
  -a_srs "$work/cover.prj" "$work/cover_noisy.asc" "$out/cover_2033.tif"
echo "wrote $out/soil_samples.csv, site_monitoring.csv, cover_2033.tif"
