#!/usr/bin/env bash
# Proves the ABI surface of the shared library: only keel_* symbols are
# exported, they are exactly those of the version map and of the public
# headers, the experimental tier is the same set in the map (the
# KEEL_EXPERIMENTAL_* nodes), in the headers (declarations marked
# KEEL_EXPERIMENTAL) and in the library's symbol versions, and the SONAME is
# libkeel.so.1.
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

# the experimental tier: map nodes, header markers and symbol versions agree
map_exp=$(awk '/^KEEL_EXPERIMENTAL_[0-9.]+ *\{/ { on = 1; next } /^\}/ { on = 0 }
              on && /^ *keel_[a-z0-9_]*;/ { gsub(/[ ;]/, ""); print }' "$map" | sort -u)
hdr_exp=$(awk 'prev ~ /^KEEL_EXPERIMENTAL *$/ && match($0, /keel_[a-z0-9_]+ *\(/) {
                   print substr($0, RSTART, RLENGTH) } { prev = $0 }' "$include"/keel/*.h |
          tr -d ' (' | sort -u)
lib_exp=$(nm -D --defined-only "$lib" | awk '$3 ~ /@@?KEEL_EXPERIMENTAL_/ { sub(/@.*/, "", $3); print $3 }' | sort -u)
[ -n "$map_exp" ] || { echo "no KEEL_EXPERIMENTAL_* node in $map"; fail=1; }
d=$(diff <(echo "$map_exp") <(echo "$hdr_exp") || true)
if [ -n "$d" ]; then echo "experimental in the map vs marked KEEL_EXPERIMENTAL in headers (< map only, > header only):"; echo "$d"; fail=1; fi
d=$(diff <(echo "$map_exp") <(echo "$lib_exp") || true)
if [ -n "$d" ]; then echo "experimental in the map vs symbol versions of $lib (< map only, > library only):"; echo "$d"; fail=1; fi
unversioned=$(nm -D --defined-only "$lib" | awk '$2 != "A" && $3 ~ /^keel_/ && $3 !~ /@@?KEEL_/ { print $3 }')
if [ -n "$unversioned" ]; then echo "exported without a symbol version:"; echo "$unversioned"; fail=1; fi

soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" != "libkeel.so.1" ]; then echo "SONAME is '$soname', expected libkeel.so.1"; fail=1; fi

count=$(wc -l <<<"$exported")
nexp=$(wc -l <<<"$map_exp")
if [ $fail -eq 0 ]; then echo "ok: $count keel_* symbols exported ($nexp experimental), all in the map and the headers; SONAME $soname"; fi
exit $fail
