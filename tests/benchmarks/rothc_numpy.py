#!/usr/bin/python3
"""A straightforward NumPy implementation of the same RothC 26.3 monthly update that MineTwin's
soil-carbon component runs (models/carbon/rothc.cpp), on the same 1024 x 1024 grid, weather and
inputs as BM_RothCYear in bench_ecology.cpp. Prints the seconds per simulated year.

Run by tests/benchmarks/rothc_vs_numpy.sh (Debian's python3-numpy)."""
import sys
import time

import numpy as np

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
YEARS = int(sys.argv[2]) if len(sys.argv) > 2 else 3
T = [-4, -1, 5, 13, 21, 25, 26, 25, 20, 13, 5, -2]
RAIN = [3, 5, 10, 20, 50, 110, 200, 150, 60, 25, 10, 4]
PET = [15, 25, 50, 90, 130, 150, 145, 125, 90, 55, 25, 15]

cells = N * N
clay = np.full(cells, 20.0)
depth = np.full(cells, 30.0)
covered = np.full(cells, True)
litter = np.full(cells, 0.2)   # t C/ha/month (0.02 kg C/m2)
ratio = np.full(cells, 1.44)
dpm, rpm, bio, hum = (np.full(cells, v) for v in (0.5, 5.0, 0.8, 30.0))
iom = np.full(cells, 3.0)
deficit = np.zeros(cells)

deficit_max = -(20.0 + 1.3 * clay - 0.01 * clay * clay) * (depth / 23.0)
x = 1.67 * (1.85 + 1.60 * np.exp(-0.0786 * clay))


def month(m):
    global dpm, rpm, bio, hum, deficit
    t = T[m]
    a = 0.0 if t < -5.0 else 47.91 / (1.0 + np.exp(106.06 / (t + 18.27)))
    d1 = 0.444 * deficit_max
    dbare = 0.556 * deficit_max
    balance = RAIN[m] - 0.75 * (PET[m] / 0.75)
    deficit = np.where(covered, np.maximum(deficit_max, np.minimum(0.0, deficit + balance)),
                       np.maximum(np.minimum(dbare, deficit), np.minimum(0.0, deficit + balance)))
    b = np.where(deficit > d1, 1.0, 0.2 + 0.8 * (deficit_max - deficit) / (deficit_max - d1))
    c = np.where(covered, 0.6, 1.0)
    rate = a * b * c / 12.0
    d = dpm * np.exp(-rate * 10.0)
    r = rpm * np.exp(-rate * 0.3)
    bb = bio * np.exp(-rate * 0.66)
    h = hum * np.exp(-rate * 0.02)
    decayed = (dpm - d) + (rpm - r) + (bio - bb) + (hum - h)
    dpm = d + litter * ratio / (1.0 + ratio)
    rpm = r + litter / (1.0 + ratio)
    bio = bb + decayed * 0.46 / (x + 1.0)
    hum = h + decayed * 0.54 / (x + 1.0)


month(0)  # warm up
best = float("inf")
for _ in range(YEARS):
    start = time.perf_counter()
    for m in range(12):
        month(m)
    best = min(best, time.perf_counter() - start)
print(f"{best:.4f}")
