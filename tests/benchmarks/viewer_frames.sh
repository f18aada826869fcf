#!/usr/bin/env bash
# Viewer performance on the demo (issue 6): the frame time of the default view at 1280x720 in
# `minetwin view` (playing, so years are read and interpolated while it runs) under Xvfb with
# Mesa, and the time to render the 50-year demo movie at 1280x720 (target under 60 s here), one
# frame per recorded year and smooth with 4 interpolated frames between years.
# The large-terrain figures (4000 x 4000, 100k plants) are in bench_viewer.
# Usage: tests/benchmarks/viewer_frames.sh [BUILD_DIR]   (from the repository root)
set -euo pipefail
build=${1:-build}
bin="$build/bin/minetwin"
work=${WORK:-/tmp/minetwin_viewer_bench}
mkdir -p "$work"
if [ ! -f "$work/demo/.complete" ]; then
  "$bin" run scenarios/demo.yaml --quiet -o "$work/demo"
  touch "$work/demo/.complete"
fi
echo "== minetwin view, default view, 1280x720, Xvfb + Mesa llvmpipe, 300 frames"
xvfb-run -a -s "-screen 0 1400x800x24" "$bin" view "$work/demo" --size 1280x720 --frames 300
for tween in 0 4; do
  echo "== minetwin render, 50-year demo movie, 1280x720, --tween $tween"
  start=$(date +%s.%N)
  env -u DISPLAY "$bin" render "$work/demo" -o "$work/demo_$tween.mp4" --size 1280x720 \
    --tween "$tween" --fps $((5 * (tween + 1)))
  end=$(date +%s.%N)
  echo "render time: $(echo "$end - $start" | bc) s"
done
