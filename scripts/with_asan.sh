#!/bin/sh
# Runs a program with clang's ASan runtime preloaded, so that an
# uninstrumented program (the Python interpreter, a Rust test binary) can
# load the ASan + UBSan build of libkeel: every read and write libkeel makes
# on the caller's memory is then checked. Used by .ci/run.
#   sh scripts/with_asan.sh program [args...]
LD_PRELOAD=$(clang -print-file-name=libclang_rt.asan-x86_64.so) exec "$@"
