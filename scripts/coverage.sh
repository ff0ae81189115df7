#!/usr/bin/env bash
# Line and branch coverage of lib/ by the C tests (gcovr). Writes an HTML
# report to build-cov/coverage/index.html, prints the summary and fails when
# line coverage of lib/ is below ${KEEL_MIN_LINE_COVERAGE:-95}%.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh gcc meson ninja-build pkg-config check gcovr
rm -rf build-cov
meson setup build-cov -Db_coverage=true -Dbuildtype=debug -Dc_args=-fprofile-update=atomic -Dpython=disabled -Drust=disabled \
  -Ddocs=disabled -Dbenchmarks=false >/dev/null
ninja -C build-cov >/dev/null
meson test -C build-cov --num-processes 1 --suite c --suite examples >/dev/null || { meson test -C build-cov --suite c --print-errorlogs; exit 1; }
mkdir -p build-cov/coverage
gcovr --root . --object-directory build-cov --filter "lib/" --gcov-ignore-parse-errors \
  --html-details build-cov/coverage/index.html --print-summary \
  --fail-under-line "${KEEL_MIN_LINE_COVERAGE:-95}"
