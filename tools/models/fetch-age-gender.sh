#!/usr/bin/env bash
# Fetches @vladmandic/face-api with npm, verifies the tarball against face-api.integrity (the same package and pin as
# the embedded dlib recogniser), and builds face-api's age and gender network (model/age_gender_model.bin) as ONNX with
# tools/FaceDefender.DlibModelBuilder into the local model cache, as face-api-age-gender.onnx. It is an independent
# estimator for measuring how old and which sex the built-in avatars look (tools/FaceDefender.AvatarTools, command
# apparent-age; docs/avatars.md). It is never written into the repository nor shipped in any package; the package's
# licence is MIT (@vladmandic/face-api, after Vincent Mühler's face-api.js).
#
# Cache folder: --cache DIR, else $FACEDEFENDER_MODEL_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/facedefender/models
# (the same rule as the FaceRes cache).
#
# Options:
#   --cache DIR  the cache folder
#   --force      fetch and build even when the file is already there
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
# shellcheck source=npm-fetch.sh
source "$here/npm-fetch.sh"

cache="${FACEDEFENDER_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/facedefender/models}"
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cache) cache="$2"; shift 2 ;;
    --force) force=1; shift ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

out="$cache/face-api-age-gender.onnx"
if [[ $force == 0 && -f "$out" ]]; then
  echo "already in the cache: $out"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

fetch_verified_package "$here/face-api.integrity" "$work"
tar -xzf "$tarball" -C "$work" package/model/age_gender_model.bin package/model/age_gender_model-weights_manifest.json
src="$work/package/model"

dotnet build "$repo/tools/FaceDefender.DlibModelBuilder/FaceDefender.DlibModelBuilder.csproj" \
  --artifacts-path "$work/artifacts" -c Release -nologo -v q >/dev/null
builder="$work/artifacts/bin/FaceDefender.DlibModelBuilder/release/FaceDefender.DlibModelBuilder.dll"

mkdir -p "$cache"
dotnet "$builder" age-gender "$src/age_gender_model-weights_manifest.json" "$src/age_gender_model.bin" "$out"
echo "source: $package@$version ($integrity)"
echo "model/age_gender_model.bin sha256 $(sha256sum "$src/age_gender_model.bin" | cut -d' ' -f1)"
