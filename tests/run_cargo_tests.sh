#!/usr/bin/env bash
# Runs the Rust crates' tests (unit, integration and doc tests) offline against
# the libkeel of this build tree.
set -euo pipefail
cargo=$1 crates=$2 target=$3 build=$4
export CARGO_TARGET_DIR="$target"
export KEEL_LIB_DIR="$build"
export KEEL_INCLUDE_DIR="$crates/../../include"
export LD_LIBRARY_PATH="$build${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
cd "$crates"
"$cargo" test --offline --workspace --quiet
# the examples build under `cargo test`; run them so they cannot rot silently
"$cargo" run --offline --quiet -p keel --example account
"$cargo" run --offline --quiet -p keel --example aave
"$cargo" run --offline --quiet -p keel --example comet
"$cargo" run --offline --quiet -p keel --example morpho
"$cargo" run --offline --quiet -p keel --example history
