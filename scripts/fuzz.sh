#!/usr/bin/env bash
# Fuzzes the API with libFuzzer under ASan + UBSan for a given time.
#   bash scripts/fuzz.sh [seconds]   (default 600)
# New interesting inputs go to build-fuzz/corpus; a crash input is written to
# build-fuzz/ as crash-*: copy it into tests/fuzz/corpus/ with the fix, so
# the replay test keeps it fixed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
bash scripts/deps.sh clang libclang-rt-14-dev meson ninja-build pkg-config
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzzer=true -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dpython=disabled -Drust=disabled -Ddocs=disabled \
    -Dbenchmarks=false -Dexamples=false >/dev/null
fi
ninja -C build-fuzz tests/fuzz_api
mkdir -p build-fuzz/corpus
cd build-fuzz
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ./tests/fuzz_api -max_total_time="$seconds" \
  -print_final_stats=1 corpus ../tests/fuzz/corpus
