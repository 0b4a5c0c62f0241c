#!/usr/bin/env python3
"""The FaceDefender prototype's fusion steps in OpenCV + numpy, timed on the same inputs as FusionBenchmarks.

Written for this repository from the method description (similarity fit on eye + brow landmarks,
warpAffine, convex-hull masks feathered with GaussianBlur, colour correction warped * G(avatar) / G(warped),
alpha blend); it follows the prototype's choices (float64 numpy arithmetic, whole-image blurs).

    apt-get install -y python3-opencv python3-numpy
    dotnet run -c Release --project benchmarks/FaceDefender.Benchmarks -- --filter '*FusionBenchmarks*' --job short
    /usr/bin/python3 benchmarks/peers/fusion_opencv.py --inputs /tmp/facedefender-fusion-inputs --runs 20
"""
import argparse
import json
import statistics
import time

import cv2
import numpy as np

LEFT_EYE = [362, 256, 253, 339, 359, 387, 385, 384, 398]
LEFT_BROW = [336, 296, 334, 293, 300, 353]
RIGHT_EYE = [130, 110, 23, 26, 133, 157, 158, 159, 160]
RIGHT_BROW = [113, 70, 63, 105, 66, 107]
ALIGN = LEFT_EYE + LEFT_BROW + RIGHT_EYE + RIGHT_BROW
MASK_GROUPS = [LEFT_EYE + LEFT_BROW, RIGHT_EYE + RIGHT_BROW]
FEATHER = 5


def similarity(src, dst):
    # Procrustes as in Earl's face swap: centre, scale by spread, SVD, R = U V^T.
    c1, c2 = src.mean(0), dst.mean(0)
    a, b = src - c1, dst - c2
    s1, s2 = a.std(), b.std()
    u, _, vt = np.linalg.svd((a / s1).T @ (b / s2))
    r = (u @ vt).T
    m = np.hstack([(s2 / s1) * r, (c2.T - (s2 / s1) * r @ c1.T)[:, None]])
    return m


def mask_for(points, shape):
    m = np.zeros(shape[:2], dtype=np.float64)
    for g in MASK_GROUPS:
        cv2.fillConvexPoly(m, cv2.convexHull(points[g].astype(np.int32)), 1.0)
    m = (cv2.GaussianBlur(m, (FEATHER, FEATHER), 0) > 0) * 1.0
    return cv2.GaussianBlur(m, (FEATHER, FEATHER), 0)


def fuse(patient, avatar, lp, la):
    m = similarity(lp[ALIGN], la[ALIGN])
    h, w = avatar.shape[:2]
    warped = cv2.warpAffine(patient, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=(255, 255, 255))
    lp_out = lp @ m[:, :2].T + m[:, 2]
    mask = np.maximum(mask_for(la, avatar.shape), mask_for(lp_out, avatar.shape))[..., None]
    k = int(0.6 * np.linalg.norm(la[LEFT_EYE].mean(0) - la[RIGHT_EYE].mean(0)))
    k += 1 - k % 2
    g1 = cv2.GaussianBlur(avatar, (k, k), 0).astype(np.float64)
    g2 = cv2.GaussianBlur(warped, (k, k), 0).astype(np.float64)
    g2 += 128 * (g2 <= 1.0)
    corrected = warped.astype(np.float64) * g1 / g2
    out = avatar * (1.0 - mask) + corrected * mask
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--inputs", required=True)
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    cv2.setNumThreads(args.threads)
    patient = cv2.imread(f"{args.inputs}/patient.png")
    avatar = cv2.imread(f"{args.inputs}/avatar.png")
    lm = json.load(open(f"{args.inputs}/landmarks.json"))
    lp, la = np.array(lm["patient"], dtype=np.float64), np.array(lm["avatar"], dtype=np.float64)
    for _ in range(2):
        fuse(patient, avatar, lp, la)
    ts = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        fuse(patient, avatar, lp, la)
        ts.append((time.perf_counter() - t0) * 1e3)
    print(f"OpenCV {cv2.__version__} + numpy fusion (prototype steps), threads={args.threads}: "
          f"median {statistics.median(ts):.1f} ms, min {min(ts):.1f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
