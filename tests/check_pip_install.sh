#!/usr/bin/env bash
# `pip install ./bindings/python` works offline with Debian's setuptools (in a
# scratch virtual environment that sees the system's packages), and the
# installed package finds the library and values an account.
set -euo pipefail
src=$1 lib=$2 work=$3
rm -rf "$work"
/usr/bin/python3 -m venv --system-site-packages "$work/venv"
# install from a copy: setuptools writes build/ and *.egg-info beside the sources
mkdir -p "$work/pkg"
cp -r "$src/bindings/python/." "$work/pkg/"
"$work/venv/bin/python" -m pip install --quiet --no-index --no-build-isolation --no-deps \
  "$work/pkg" >"$work/pip.log" 2>&1 || { cat "$work/pip.log"; exit 1; }
cd "$work"   # away from the source tree, so the installed copy is the one imported
KEEL_LIBRARY="$lib" "$work/venv/bin/python" - <<'PY'
import keel, pathlib
assert "site-packages" in str(pathlib.Path(keel.__file__)), keel.__file__
m = keel.Market(); eth = m.add_asset("ETH", 2000.0); usdc = m.add_asset("USDC", 1.0)
h = keel.HaircutModel(); h.set_asset(eth, 0.195, 0.17)
b = keel.Basket(); b.set_collateral(eth, 10); b.set_debt(usdc, 12000)
hf = b.metrics(m, h).health_factor
assert abs(hf - 16600 / 12000) < 1e-12, hf
print(f"installed keel {keel.__version__} from {keel.__file__}: HF {hf:.6f}")
PY
