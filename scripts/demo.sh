#!/usr/bin/env bash
# Quick start 1: install what is missing, build keel, run the demo account.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh gcc meson ninja-build pkg-config
[ -f build-demo/build.ninja ] || meson setup build-demo -Dtests=false -Dbenchmarks=false -Ddocs=disabled >/dev/null
ninja -C build-demo >/dev/null
./build-demo/examples/c/keel-demo
