#!/usr/bin/env bash
# Runs the Rust crates' tests (unit, integration and doc tests) offline against
# the libkeel of this build tree. No LD_LIBRARY_PATH: keel-sys and keel put the
# library's directory in the rpath of what they build (docs/bindings.md).
set -euo pipefail
cargo=$1 crates=$2 target=$3 build=$4
export CARGO_TARGET_DIR="$target"
export KEEL_LIB_DIR="$build"
export KEEL_INCLUDE_DIR="$crates/../../include"
cd "$crates"
"$cargo" test --offline --workspace --quiet
# the examples build under `cargo test`; run them so they cannot rot silently
"$cargo" run --offline --quiet -p keel --example account
"$cargo" run --offline --quiet -p keel --example aave
"$cargo" run --offline --quiet -p keel --example comet
"$cargo" run --offline --quiet -p keel --example morpho
"$cargo" run --offline --quiet -p keel --example history
# a relative KEEL_LIB_DIR is refused with a clear message (it would give programs a
# relative rpath that works only from one directory)
if out=$(KEEL_LIB_DIR=build CARGO_TARGET_DIR="$target/relative-lib-dir" \
         "$cargo" build --offline --quiet -p keel-sys 2>&1); then
  echo "keel-sys accepted a relative KEEL_LIB_DIR"; exit 1
fi
grep -q "KEEL_LIB_DIR=build is a relative path" <<<"$out" ||
  { echo "keel-sys failed on a relative KEEL_LIB_DIR without saying why:"; echo "$out"; exit 1; }
