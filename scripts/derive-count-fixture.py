#!/usr/bin/env python3
"""Derives a count series from measured trajectories, the way a counting camera over a line
would report it: people crossing the line per interval and direction.

It is written independently of the engine's counting code (plain Python, no shared logic), so
that the engine's replay tests compare against an outside reference.

Usage: derive-count-fixture.py TRAJECTORIES FPS UNIT_TO_M X0 Y0 X1 Y1 INTERVAL SENSOR > out.csv
Crossing from the left of (X0,Y0)->(X1,Y1) to its right counts as "out", the other way "in";
a point exactly on the line counts as right of it.
"""
import gzip
import sys
from collections import defaultdict


def read(path, unit):
    opener = gzip.open if path.endswith(".gz") else open
    tracks = defaultdict(list)
    with opener(path, "rt") as f:
        for line in f:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            tracks[int(float(parts[0]))].append(
                (int(float(parts[1])), float(parts[2]) * unit, float(parts[3]) * unit))
    return tracks


def main():
    path, fps, unit = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    x0, y0, x1, y1, interval = map(float, sys.argv[4:9])
    sensor = sys.argv[9]
    counts = {"out": defaultdict(int), "in": defaultdict(int)}
    last_bin = 0
    for samples in read(path, unit).values():
        samples.sort()
        for (f0, ax, ay), (f1, bx, by) in zip(samples, samples[1:]):
            last_bin = max(last_bin, int((f1 / fps) // interval))
            s0 = (x1 - x0) * (ay - y0) - (y1 - y0) * (ax - x0)
            s1 = (x1 - x0) * (by - y0) - (y1 - y0) * (bx - x0)
            if (s0 > 0) == (s1 > 0):
                continue
            u = s0 / (s0 - s1)
            cx, cy = ax + u * (bx - ax), ay + u * (by - ay)
            w = ((cx - x0) * (x1 - x0) + (cy - y0) * (y1 - y0)) / ((x1 - x0) ** 2 + (y1 - y0) ** 2)
            if w < 0 or w > 1:
                continue
            t = (f0 + u * (f1 - f0)) / fps
            counts["out" if s0 > 0 else "in"][int(t // interval)] += 1
    print("interval_start_s,sensor_id,direction,persons")
    for direction in ("out", "in"):
        for b in range(last_bin + 1):
            print(f"{b * interval:g},{sensor},{direction},{counts[direction][b]}")


if __name__ == "__main__":
    main()
