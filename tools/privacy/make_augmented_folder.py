#!/usr/bin/python3
"""Writes an audit folder (<out>/<person>/<n>.jpg) of augmented copies of the two shared public-domain
portraits, for timing `facedefender audit` end to end. Two people only: the rates of such a run mean
nothing (gallery size 2); it measures throughput. Deterministic (fixed parameter grid).

Usage: /usr/bin/python3 tools/privacy/make_augmented_folder.py <faces dir> <out dir> [copies per person]
(faces dir: tests/FaceDefender.Tests/Fixtures/faces). Needs Debian's python3-opencv."""
import os
import sys

import cv2
import numpy as np


def augment(img, k):
    h, w = img.shape[:2]
    crop = [1.0, 0.92, 0.85][k % 3]
    angle = [-6, -3, 0, 3, 6][k % 5]
    gain = [0.8, 1.0, 1.2, 0.9][k % 4]
    quality = [95, 70, 40][k % 3]
    cw, ch = int(w * crop), int(h * crop)
    x0, y0 = (w - cw) // 2, (h - ch) // 2
    out = img[y0:y0 + ch, x0:x0 + cw]
    m = cv2.getRotationMatrix2D((cw / 2, ch / 2), angle, 1.0)
    out = cv2.warpAffine(out, m, (cw, ch), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    out = np.clip(out.astype(np.float32) * gain, 0, 255).astype(np.uint8)
    return out, quality


def main():
    faces, out_dir = sys.argv[1], sys.argv[2]
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 12
    for person, name in (("astronaut", "astronaut.png"), ("hopper", "grace_hopper.jpg")):
        img = cv2.imread(os.path.join(faces, name), cv2.IMREAD_COLOR)
        os.makedirs(os.path.join(out_dir, person), exist_ok=True)
        for k in range(copies):
            out, quality = augment(img, k)
            cv2.imwrite(os.path.join(out_dir, person, f"{k:03d}.jpg"), out, [cv2.IMWRITE_JPEG_QUALITY, quality])
    print(f"wrote {2 * copies} images to {out_dir}")


if __name__ == "__main__":
    main()
