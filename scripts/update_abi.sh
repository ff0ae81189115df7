#!/usr/bin/env bash
# Regenerates the ABI baseline lib/keel.abi from a debugoptimized build.
# Run it only for a deliberate ABI change, and record the change in docs/abi.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh abigail-tools meson ninja-build gcc
[ -f build-abi/build.ninja ] || meson setup build-abi -Dbuildtype=debugoptimized -Dtests=false \
  -Dbenchmarks=false -Dexamples=false -Ddocs=disabled >/dev/null
ninja -C build-abi
abidw --headers-dir include/keel --headers-dir build-abi/include/keel --no-corpus-path \
  --out-file lib/keel.abi build-abi/libkeel.so
echo "wrote lib/keel.abi"
