#!/usr/bin/env bash
# Times the facedefender CLI on a batch of 1024 x 1024 JPEGs (target: at least 8 images/s on 2 cores)
# and measures peak memory on one 4096 x 4096 input (target: at most 500 MB).
# Needs Debian's python3-opencv (to make the inputs) and GNU time:  apt-get install -y python3-opencv time
# Usage: benchmarks/cli-batch.sh [N]   (run from the repository root)
set -euo pipefail
n=${1:-40}
work=$(mktemp -d)
dotnet build src/FaceDefender.Cli -c Release -o "$work/cli" > /dev/null
/usr/bin/python3 - "$work" "$n" <<'PY'
import sys, cv2, numpy as np
work, n = sys.argv[1], int(sys.argv[2])
src = cv2.imread("tests/FaceDefender.Tests/Fixtures/faces/astronaut.png")
import os
os.makedirs(f"{work}/in", exist_ok=True)
for i in range(n):
    m = cv2.getRotationMatrix2D((256, 256), (i % 7) - 3, 1.0 + 0.01 * (i % 5))
    img = cv2.resize(cv2.warpAffine(src, m, (512, 512), borderMode=cv2.BORDER_REFLECT), (1024, 1024), interpolation=cv2.INTER_CUBIC)
    cv2.imwrite(f"{work}/in/p{i:03d}.jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 92])
big = cv2.resize(src, (4096, 4096), interpolation=cv2.INTER_CUBIC)
cv2.imwrite(f"{work}/big.jpg", big, [cv2.IMWRITE_JPEG_QUALITY, 92])
PY
echo "batch: $n JPEGs of 1024 x 1024 -> PNG"
start=$(date +%s.%N)
dotnet "$work/cli/FaceDefender.Cli.dll" deidentify "$work/in" -o "$work/out" 2> /dev/null
end=$(date +%s.%N)
python3 -c "import sys; t=$end-$start; print(f'{t:.1f} s, {$n/t:.2f} images/s (includes process start and model loading)')"
echo "peak memory, one 4096 x 4096 JPEG:"
/usr/bin/time -v dotnet "$work/cli/FaceDefender.Cli.dll" deidentify "$work/big.jpg" -o "$work/out-big" 2>&1 | grep -E "Maximum resident|Elapsed"
rm -rf "$work"
