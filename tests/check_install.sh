#!/usr/bin/env bash
# Runs README.md's Install block as written, line by line, in a copy of the
# source tree, with `prefix` set to a scratch directory: the C program, the
# Python import and the Rust example it gives must work with nothing else set
# (no LD_LIBRARY_PATH, KEEL_LIBRARY, KEEL_LIB_DIR or PYTHONPATH).
# The block is the ```sh fence after the `<!-- install:` marker; only its
# `prefix=` line is replaced. pip's --user directory (PYTHONUSERBASE) is the
# prefix, as README's $HOME/.local is, and cargo's target directory is in the
# scratch directory too, so nothing outside it is written.
set -euo pipefail
src=$(cd "$1" && pwd) work=$2
rm -rf "$work"
mkdir -p "$work/src"
work=$(cd "$work" && pwd)

# a copy of the sources without build trees, VCS data or cargo output
tar -C "$src" --exclude=./.git --exclude='./build*' --exclude=./bindings/rust/target \
  --exclude='__pycache__' -cf - . | tar -C "$work/src" -xf -

awk '/^<!-- install:/ { marker = 1; next }
     marker && !body && /^```sh/ { body = 1; next }
     body && /^```/ { exit }
     body { print }' "$src/README.md" >"$work/install.sh"
[ -s "$work/install.sh" ] || { echo "README.md has no install block after <!-- install: -->"; exit 1; }
grep -q '^prefix=' "$work/install.sh" || { echo "the install block sets no prefix="; exit 1; }
sed -i "s|^prefix=.*|prefix=\"$work/prefix\"|" "$work/install.sh"
echo "--- README.md's install block, with the scratch prefix:"
cat "$work/install.sh"
echo "---"

for tool in cargo pkg-config meson; do
  command -v "$tool" >/dev/null || { echo "$tool not found: the install block cannot run"; exit 77; }
done
/usr/bin/python3 -m pip --version >/dev/null 2>&1 || { echo "python3-pip not found"; exit 77; }
unset LD_LIBRARY_PATH KEEL_LIBRARY KEEL_LIB_DIR KEEL_INCLUDE_DIR PYTHONPATH PKG_CONFIG_PATH
# pip --user installs into the prefix, as in README (prefix=$HOME/.local is the user base)
export PYTHONUSERBASE="$work/prefix" CARGO_TARGET_DIR="$work/cargo-target"
# the distribution's python3 first, as on a fresh Debian machine
export PATH="/usr/bin:/bin:$PATH"
cd "$work/src"
# -e: the first line that fails stops the run; -x: each line is shown as it runs
bash -ex "$work/install.sh" >"$work/run.log" 2>&1 || { cat "$work/run.log"; exit 1; }
cat "$work/run.log"

for f in include/keel.h include/keel/core.h include/keel/version.h include/keel/market.h \
         include/keel/basket.h include/keel/haircut.h include/keel/estimators.h \
         include/keel/cost.h include/keel/policy.h include/keel/scan.h include/keel/sim.h \
         include/keel/options.h include/keel/risk.h include/keel/u256.h include/keel/aave.h \
         include/keel/comet.h include/keel/morpho.h lib/pkgconfig/keel.pc lib/libkeel.so.1; do
  [ -e "$work/prefix/$f" ] || { echo "missing after install: $f"; exit 1; }
done
# no benchmark or test was built by the install-only configuration
if ls "$work/src/build-install/bench" "$work/src/build-install/tests" >/dev/null 2>&1; then
  echo "the install configuration built benchmarks or tests"; exit 1
fi
# the C program found the installed library through its rpath
linked=$(ldd "$work/src/install_check")
grep -q "$work/prefix/lib/libkeel.so.1" <<<"$linked" ||
  { echo "install_check is not linked against the installed libkeel.so.1:"; echo "$linked"; exit 1; }
grep -q "health factor 1.383333 ok" "$work/run.log" ||
  { echo "install_check printed no health factor"; exit 1; }
# the Python package found the installed library by itself (pkg-config's libdir)
grep -q "loads $work/prefix/lib/libkeel.so.1" "$work/run.log" ||
  { echo "the installed Python package did not load the installed libkeel"; exit 1; }
# ... and in a new shell too, where the block's PKG_CONFIG_PATH is gone
fresh=$(cd /tmp && env -u PKG_CONFIG_PATH python3 -c 'import keel; print(keel._ffi.library_path)' 2>&1) ||
  { echo "in a new shell (no PKG_CONFIG_PATH), import keel fails:"; echo "$fresh"; exit 1; }
[ "$fresh" = "$work/prefix/lib/libkeel.so.1" ] ||
  { echo "in a new shell, the Python package loads $fresh, not the installed libkeel"; exit 1; }
# the Rust example ran to its end
grep -q "shards merged equal: true" "$work/run.log" ||
  { echo "the Rust example did not finish"; exit 1; }
echo "README install: C, Python and Rust work from $work/prefix"
