#!/usr/bin/env bash
# Quick start 2: install what is missing, build keel with warnings as errors,
# and run every test: C (Check), ABI, install, examples, Python and Rust.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh gcc clang meson ninja-build pkg-config check binutils valgrind abigail-tools gcovr \
  python3 python3-pytest python3-hypothesis python3-numpy python3-scipy python3-pandas python3-tqdm python3-distributed python3-matplotlib doxygen graphviz libclang-rt-14-dev g++ libquantlib0-dev \
  bindgen python3-venv python3-pip python3-setuptools mypy
# cargo comes with the machine image; fall back to Debian's when it is absent.
command -v cargo >/dev/null || bash scripts/deps.sh cargo rustc
# the real peer of the Aave tests, @aave/math-utils, from the npm registry
bash scripts/install_node_peers.sh
build=${KEEL_BUILD_DIR:-build}
[ -f "$build/build.ninja" ] || meson setup "$build" -Dwerror=true -Dpython=enabled -Drust=enabled >/dev/null
ninja -C "$build"
status=0
meson test -C "$build" --print-errorlogs || status=$?
echo "== totals =="
/usr/bin/python3 scripts/test_summary.py "$build/meson-logs/testlog.json" || status=1
[ $status -eq 0 ] || exit $status
echo "== API docs (doxygen, warnings are errors) =="
ninja -C "$build" docs
