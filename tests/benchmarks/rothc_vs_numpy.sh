#!/bin/sh
# Issue 5: RothC for a year on 1024 x 1024, MineTwin against a straightforward NumPy
# implementation of the same monthly update (rothc_numpy.py), on this machine, in one script.
# Needs the benchmarks built (-DMINETWIN_BUILD_BENCHMARKS=ON) and python3-numpy (Debian).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
ours=$("$build/bench/bench_ecology" --benchmark_filter=BM_RothCYear --benchmark_format=csv 2>/dev/null |
  awk -F, '/BM_RothCYear/ {print $3}')  # real time, ms
numpy=$(/usr/bin/python3 "$here/rothc_numpy.py" 1024 3)  # seconds
echo "MineTwin RothC year: ${ours} ms; NumPy: ${numpy} s"
awk -v a="$ours" -v b="$numpy" 'BEGIN { printf "MineTwin is %.1fx faster\n", b * 1000 / a }'
