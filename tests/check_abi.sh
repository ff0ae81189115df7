#!/usr/bin/env bash
# The ABI guard: compares the built libkeel.so with the baseline lib/keel.abi
# (abidw output). Any difference fails, additions included: changing the ABI
# is a deliberate commit that regenerates the baseline (scripts/update_abi.sh)
# and records the change in docs/abi.md.
set -euo pipefail
lib=$1 src=$2 build=$3
command -v abidiff >/dev/null || { echo "abidiff missing (apt-get install abigail-tools): skipped"; exit 77; }
sections=$(readelf -S "$lib")
if ! grep -q '\.debug_info' <<<"$sections"; then
  echo "$lib has no debug info (buildtype release?): abidiff cannot compare types: skipped"
  exit 77
fi
status=0
abidiff --headers-dir1 "$src/include/keel" --headers-dir2 "$src/include/keel" \
  --headers-dir2 "$build/include/keel" "$src/lib/keel.abi" "$lib" || status=$?
if [ $status -ne 0 ]; then
  echo "abidiff exit status $status: the ABI differs from lib/keel.abi."
  echo "If the change is intended: bash scripts/update_abi.sh, and add a line to docs/abi.md."
  exit 1
fi
echo "ok: ABI matches lib/keel.abi"
