#!/usr/bin/env bash
# Proves the ABI surface of the shared library: only keel_* symbols are
# exported, they are exactly those of the version map and of the public
# headers, and the SONAME is libkeel.so.1.
set -euo pipefail
lib=$1 map=$2 include=$3
fail=0

exported=$(nm -D --defined-only "$lib" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort -u)
[ -n "$exported" ] || { echo "no symbols exported from $lib"; exit 1; }
bad=$(grep -v '^keel_' <<<"$exported" || true)
if [ -n "$bad" ]; then echo "exported symbols without the keel_ prefix:"; echo "$bad"; fail=1; fi

in_map=$(sed -n 's/^ *\(keel_[a-z0-9_]*\);.*/\1/p' "$map" | sort -u)
declared=$(grep -rhoE 'KEEL_API[^;(]*\bkeel_[a-z0-9_]+ *\(' "$include" | grep -oE 'keel_[a-z0-9_]+ *\($' | tr -d ' (' | sort -u)

d=$(diff <(echo "$exported") <(echo "$in_map") || true)
if [ -n "$d" ]; then echo "exported vs version map (< exported only, > map only):"; echo "$d"; fail=1; fi
d=$(diff <(echo "$exported") <(echo "$declared") || true)
if [ -n "$d" ]; then echo "exported vs declared in headers (< exported only, > header only):"; echo "$d"; fail=1; fi

soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" != "libkeel.so.1" ]; then echo "SONAME is '$soname', expected libkeel.so.1"; fail=1; fi

count=$(wc -l <<<"$exported")
if [ $fail -eq 0 ]; then echo "ok: $count keel_* symbols exported, all in the map and the headers; SONAME $soname"; fi
exit $fail
