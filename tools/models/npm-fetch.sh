# Shared by the model scripts (source it, do not run it): option parsing and a verified `npm pack`.
# shellcheck shell=bash

# Parses --fixtures and --check into the variables fixtures and check (0 or 1).
parse_model_script_options() {
  fixtures=0
  check=0
  for arg in "$@"; do
    case "$arg" in
      --fixtures) fixtures=1 ;;
      --check) check=1 ;;
      *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
  done
}

# fetch_verified_package INTEGRITY_FILE WORK_DIR: npm-packs the package named in INTEGRITY_FILE
# (lines package=, version=, integrity=) into WORK_DIR, checks its sha512 and sets
# package, version, integrity and tarball.
fetch_verified_package() {
  local file="$1" dir="$2" actual
  package="$(sed -n 's/^package=//p' "$file")"
  version="$(sed -n 's/^version=//p' "$file")"
  integrity="$(sed -n 's/^integrity=//p' "$file")"
  echo "fetching $package@$version"
  (cd "$dir" && npm pack "$package@$version" --silent >/dev/null)
  tarball="$(ls "$dir"/*.tgz)"
  actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
  if [[ "$actual" != "$integrity" ]]; then
    echo "integrity mismatch: expected $integrity, got $actual" >&2
    exit 1
  fi
  echo "integrity ok: $integrity"
}
