#!/usr/bin/env python3
"""Records what the 8-bit cv2.GaussianBlur does, for the fixed-point blur tests.

Run from this folder with Debian's OpenCV (apt-get install python3-opencv):
    /usr/bin/python3 make_opencv_blur8_fixtures.py
1. The integer kernel (units of 1/256) OpenCV uses for 8-bit images, read off a blur of a single 255 impulse
   with a (ksize, 1) kernel: the vertical kernel is then [256] and out = round(255 * w / 256) = w for w < 128
   (the centre is taken as 256 minus the others).
2. Blurs of a small 61 x 47 crop of input_astronaut.png (written by make_opencv_fixtures.py) with small and large
   kernels and the three border modes the library has.
Writes opencv_blur8.json and blur8_*.png.
"""
import json
import cv2
import numpy as np

KERNELS = [(3, 0.0), (5, 0.0), (7, 0.0), (9, 0.0), (11, 0.0), (15, 3.0), (21, 0.0), (31, 0.0), (31, 5.0),
           (41, 2.5), (61, 10.0), (101, 0.0), (181, 30.0), (3, 0.6), (7, 1.2)]
BORDERS = {"Reflect101": cv2.BORDER_REFLECT_101, "Replicate": cv2.BORDER_REPLICATE, "Reflect": cv2.BORDER_REFLECT}

kernels = []
for ksize, sigma in KERNELS:
    img = np.zeros((1, 2 * ksize + 1), np.uint8)
    img[0, ksize] = 255
    out = cv2.GaussianBlur(img, (ksize, 1), sigma, sigmaY=sigma, borderType=cv2.BORDER_CONSTANT)
    w = [int(v) for v in out[0, ksize - ksize // 2: ksize + ksize // 2 + 1]]
    # Off-centre weights are below 128, so they are read exactly; a centre weight above 128 would read one low,
    # and the kernel sums to 256 by construction, so the centre is taken as the remainder.
    c = ksize // 2
    assert max(w[:c] + w[c + 1:]) < 128, (ksize, sigma, w)
    w[c] = 256 - (sum(w) - w[c])
    kernels.append({"ksize": ksize, "sigma": sigma, "weights": w})

rgb = cv2.cvtColor(cv2.imread("input_astronaut.png", cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
crop = np.ascontiguousarray(rgb[100:147, 90:151])
cv2.imwrite("blur8_input.png", cv2.cvtColor(crop, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9])
cases = []
for ksize, sigma in ((3, 0.0), (5, 0.0), (9, 1.5), (31, 0.0), (101, 0.0)):
    for bname, border in BORDERS.items():
        out = cv2.GaussianBlur(crop, (ksize, ksize), sigma, borderType=border)
        name = f"blur8_k{ksize}_s{sigma:g}_{bname}.png"
        cv2.imwrite(name, cv2.cvtColor(out, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9])
        cases.append({"input": "blur8_input.png", "output": name, "ksize": ksize, "sigma": sigma, "border": bname,
                      "call": f"cv2.GaussianBlur(crop, ({ksize}, {ksize}), {sigma}, borderType=cv2.BORDER_{bname.upper()})"})

with open("opencv_blur8.json", "w") as f:
    json.dump({"opencv": cv2.__version__, "kernels": kernels, "cases": cases}, f, indent=1)
print(f"OpenCV {cv2.__version__}: {len(kernels)} kernels, {len(cases)} blurs")
