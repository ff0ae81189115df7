#!/usr/bin/env bash
# Installs keel into a scratch prefix and builds examples/c/install_check.c out
# of tree with nothing but `pkg-config --cflags --libs keel`, then runs it.
set -euo pipefail
src=$1 work=$2
rm -rf "$work"
mkdir -p "$work"
meson setup "$work/build" "$src" --prefix "$work/prefix" --libdir lib \
  -Dtests=false -Dbenchmarks=false -Dexamples=false -Ddocs=disabled >"$work/setup.log" 2>&1 ||
  { cat "$work/setup.log"; exit 1; }
meson install -C "$work/build" >"$work/install.log" 2>&1 || { cat "$work/install.log"; exit 1; }

export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig"
flags=$(pkg-config --cflags --libs keel)
echo "pkg-config --cflags --libs keel: $flags"
for f in include/keel.h include/keel/core.h include/keel/version.h include/keel/market.h \
         include/keel/basket.h include/keel/haircut.h include/keel/estimators.h include/keel/cost.h include/keel/policy.h include/keel/scan.h include/keel/sim.h include/keel/options.h include/keel/risk.h \
         lib/pkgconfig/keel.pc; do
  [ -f "$work/prefix/$f" ] || { echo "missing after install: $f"; exit 1; }
done
${CC:-cc} -std=c11 -Wall -Wextra -Werror -o "$work/install_check" "$src/examples/c/install_check.c" $flags
# The program is linked against the installed copy, found through its SONAME.
# (ldd's output is captured first: `ldd | grep -q` under pipefail fails when
# grep exits early and ldd gets SIGPIPE)
linked=$(LD_LIBRARY_PATH="$work/prefix/lib" ldd "$work/install_check")
grep -q "$work/prefix/lib/libkeel.so.1" <<<"$linked" ||
  { echo "install_check is not linked against the installed libkeel.so.1:"; echo "$linked"; exit 1; }
LD_LIBRARY_PATH="$work/prefix/lib" "$work/install_check"
