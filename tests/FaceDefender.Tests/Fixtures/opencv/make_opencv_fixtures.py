#!/usr/bin/env python3
"""Records OpenCV's warpAffine and GaussianBlur outputs on crops of the test portraits.

Run from this folder with Debian's OpenCV (apt-get install python3-opencv):
    /usr/bin/python3 make_opencv_fixtures.py
Writes input_<name>.png (the 256 x 256 crop, decoded by OpenCV, that both sides use), one PNG per
operation and opencv_fixtures.json describing each call. The .NET tests read these files; CI
does not need OpenCV.
"""
import json
import cv2
import numpy as np

FACES = {"astronaut": "../faces/astronaut.png", "grace_hopper": "../faces/grace_hopper.jpg"}
CROP = {"astronaut": (128, 40), "grace_hopper": (128, 120)}  # (x, y) of the 256 x 256 crop


def save_rgb(path, rgb):
    cv2.imwrite(path, cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 9])


cases = []
for name, path in FACES.items():
    bgr = cv2.imread(path, cv2.IMREAD_COLOR)
    x, y = CROP[name]
    rgb = np.ascontiguousarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)[y:y + 256, x:x + 256])
    save_rgb(f"input_{name}.png", rgb)

    # Forward matrix (source -> destination): rotate 12 degrees about the centre, scale 0.9, shift.
    m = cv2.getRotationMatrix2D((127.5, 127.5), 12.0, 0.9)
    m[0, 2] += 7.3
    m[1, 2] -= 4.6
    warped = cv2.warpAffine(rgb, m, (256, 256), flags=cv2.INTER_LINEAR,
                            borderMode=cv2.BORDER_CONSTANT, borderValue=(0, 0, 0))
    save_rgb(f"warp_{name}.png", warped)
    cases.append({"op": "warpAffine", "input": f"input_{name}.png", "output": f"warp_{name}.png",
                  "matrix": m.tolist(), "call": "cv2.warpAffine(rgb, M, (256, 256), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)"})

    for ksize, sigma in ((31, 0.0), (11, 0.0), (15, 3.0)):
        blurred = cv2.GaussianBlur(rgb, (ksize, ksize), sigma)  # BORDER_DEFAULT = BORDER_REFLECT_101
        out = f"blur_k{ksize}_s{sigma:g}_{name}.png"
        save_rgb(out, blurred)
        cases.append({"op": "GaussianBlur", "input": f"input_{name}.png", "output": out, "ksize": ksize,
                      "sigma": sigma, "call": f"cv2.GaussianBlur(rgb, ({ksize}, {ksize}), {sigma})"})

with open("opencv_fixtures.json", "w") as f:
    json.dump({"opencv": cv2.__version__, "cases": cases}, f, indent=1)
print(f"OpenCV {cv2.__version__}: wrote {len(cases)} cases")
