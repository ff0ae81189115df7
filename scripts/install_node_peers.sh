#!/usr/bin/env bash
# Installs the JavaScript peers the protocol tests compare against
# (@aave/math-utils, @morpho-org/blue-sdk):
# Node.js + npm from Debian when `node` or `npm` is missing, then the pinned
# packages of tests/protocol/peer (package-lock.json) with `npm ci`.
# Safe to run again: the npm step is skipped while node_modules was installed
# from the current package-lock.json.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
peer="$root/tests/protocol/peer"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "installing: nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi

stamp="$peer/node_modules/.keel-lock-sha256"
want="$(sha256sum "$peer/package-lock.json" | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] \
   && [ -f "$peer/node_modules/@aave/math-utils/package.json" ] \
   && [ -f "$peer/node_modules/@morpho-org/blue-sdk/package.json" ]; then
  exit 0
fi
echo "npm ci in tests/protocol/peer"
(cd "$peer" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$stamp"
