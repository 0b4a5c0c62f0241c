#!/usr/bin/python3
"""OpenCV side of benchmarks/FaceDefender.Benchmarks/TargetBenchmarks.cs (issue-2 speed targets).

Times, with cv2.setNumThreads(1) on 1024 x 1024 images, the calls the targets are stated against, using the
same geometry as the C# benchmarks: warpAffine INTER_LINEAR / BORDER_CONSTANT of u8 RGB with the benchmark's
transform (rotation 0.12 rad and scale 1.07 about the centre, then a shift of (3.3, -2.1)), the same warp of a
float32 plane, GaussianBlur k = 31 (sigma from the size) of u8 RGB, and a 3 MB memory copy. Prints median and
minimum over the runs of the wall clock and of the thread's CPU time (time.thread_time, which leaves out waiting
for a core on a loaded machine), repeated --repeat times so it can be interleaved with the .NET runs
(`dotnet run -c Release --project benchmarks/FaceDefender.Benchmarks -- cputime` prints the same two clocks).

    /usr/bin/python3 benchmarks/peers/kernel_targets_opencv.py --runs 40 --repeat 3
"""
import argparse
import math
import statistics
import time

import cv2
import numpy as np

N = 1024


def bench(fn, runs, warmup=3):
    """Wall-clock and thread-CPU-time (median, min) in ms; the CPU time leaves out waiting for a core."""
    for _ in range(warmup):
        fn()
    ts, cs = [], []
    for _ in range(runs):
        c0 = time.thread_time()
        t0 = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t0) * 1e3)
        cs.append((time.thread_time() - c0) * 1e3)
    return statistics.median(ts), min(ts), statistics.median(cs), min(cs)


def forward_matrix():
    # System.Numerics row-vector convention: Rotation(0.12, c) * Scale(1.07, c) * Translation(3.3, -2.1).
    c = N / 2.0
    a = 0.12
    cos, sin = math.cos(a), math.sin(a)
    rot = np.array([[cos, -sin, c - c * cos + c * sin], [sin, cos, c - c * sin - c * cos], [0, 0, 1]])
    sc = np.array([[1.07, 0, c - 1.07 * c], [0, 1.07, c - 1.07 * c], [0, 0, 1]])
    tr = np.array([[1, 0, 3.3], [0, 1, -2.1], [0, 0, 1]])
    return (tr @ sc @ rot)[:2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    cv2.setNumThreads(1)
    rng = np.random.default_rng(1)
    u8 = rng.integers(0, 256, (N, N, 3), dtype=np.uint8)
    u8 = cv2.GaussianBlur(u8, (5, 5), 0)
    f1 = u8[:, :, 1].astype(np.float32) / 255.0
    dst = np.empty_like(u8)
    m = forward_matrix()
    ops = [
        ("warpAffine u8 RGB", lambda: cv2.warpAffine(u8, m, (N, N), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)),
        ("warpAffine f32 plane", lambda: cv2.warpAffine(f1, m, (N, N), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)),
        ("GaussianBlur k=31 u8 RGB", lambda: cv2.GaussianBlur(u8, (31, 31), 0)),
        ("copy 3 MB", lambda: np.copyto(dst, u8)),
    ]
    print(f"OpenCV {cv2.__version__}, threads {cv2.getNumThreads()}")
    for r in range(args.repeat):
        for name, fn in ops:
            med, mn, cmed, cmn = bench(fn, args.runs)
            print(f"repeat {r}  {name:26s} wall median {med:8.3f} ms  min {mn:8.3f} ms | thread CPU median {cmed:8.3f} ms  min {cmn:8.3f} ms", flush=True)


if __name__ == "__main__":
    main()
