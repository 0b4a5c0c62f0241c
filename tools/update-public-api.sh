#!/usr/bin/env bash
# Records the current public API of the libraries in their PublicAPI.Unshipped.txt, from scratch: everything public
# that is not in PublicAPI.Shipped.txt. Run it after adding, changing or removing a public member (a Release build fails
# until the files agree with the code: RS0016/RS0017), and after merging branches that did. Lines marking a shipped
# member as removed (*REMOVED*...) are kept. Uses the SDK's `dotnet format`; about a minute.
set -euo pipefail
cd "$(dirname "$0")/.."
for project in src/FaceDefender.Statistics/FaceDefender.Statistics.csproj src/FaceDefender/FaceDefender.csproj src/FaceDefender.Privacy/FaceDefender.Privacy.csproj src/FaceDefender.Video/FaceDefender.Video.csproj; do
  unshipped="$(dirname "$project")/PublicAPI.Unshipped.txt"
  { echo '#nullable enable'; grep '^\*REMOVED\*' "$unshipped" 2>/dev/null || true; } > "$unshipped.new"
  mv "$unshipped.new" "$unshipped"
  dotnet format analyzers "$project" --diagnostics RS0016 --severity info
  echo "$unshipped: $(grep -vc '^#nullable' "$unshipped") entries"
done
