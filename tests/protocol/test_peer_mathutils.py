"""aave_ref (exact, the chain's integers) against the real @aave/math-utils.

@aave/math-utils is what the Aave interface computes an account with.  It is
run through tests/protocol/peer/mathutils.mjs on ~2000 random cases of
aave_ref.random_case.  What is known of its structure, read from its source
(dist/esm/pool-math.js, ray.math.js, formatters/user/*.js at 1.38.0), and
asserted here:

* token balances: rayToWad(rayMul(wadToRay(scaled), index)), every step half
  up, in integers (so 1 wei from the chain's v3.5+ floor/ceil at most);
* base-currency values balance * price / 10^decimals with no rounding;
  avg LT and LTV are the exact weighted averages (20 decimal places), the HF
  is SUM(value * LT) / 1e4 / debt to 20 decimal places: the unrounded
  real-number formula over its own balances;
* which collateral counts: reserve LT != 0, or on the user's e-mode
  category's collateral bitmap (then with the category's LT); LTV 0 on the
  category's ltvzero bitmap, else the category's LTV, else the reserve's.

The chain (aave_ref, by version) must then sit inside the rounding envelope
of math-utils on every case where the two count the same collateral, differ
visibly on dust accounts, and agree to ~1e-9 on whales.  Run with -s to see
the report of the relative HF differences.

Skipped only when node or the peer's node_modules is absent
(scripts/install_node_peers.sh installs both).
"""

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
from fractions import Fraction

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import aave_ref as A  # noqa: E402

PEER_DIR = os.path.join(HERE, "peer")
SCRIPT = os.path.join(PEER_DIR, "mathutils.mjs")
N_CASES = 2000
N_ACCRUAL = 300
SEED = 0xAAFE


def _peer_missing():
    if shutil.which("node") is None:
        return "node is not installed (run scripts/install_node_peers.sh)"
    if not os.path.isfile(os.path.join(PEER_DIR, "node_modules", "@aave", "math-utils",
                                       "package.json")):
        return ("@aave/math-utils is not installed in tests/protocol/peer "
                "(run scripts/install_node_peers.sh)")
    return None


pytestmark = pytest.mark.skipif(_peer_missing() is not None, reason=str(_peer_missing()))


def _enc(x):
    """JSON for JavaScript: every integer as a string (numbers lose digits past 2**53)."""
    if isinstance(x, bool) or x is None:
        return x
    if isinstance(x, int):
        return str(x)
    if isinstance(x, dict):
        return {str(k): _enc(v) for k, v in x.items() if not str(k).startswith("_")}
    if isinstance(x, (list, tuple)):
        return [_enc(v) for v in x]
    return x


def _accrual_case(rng):
    n = rng.randint(1, 4)
    reserves = [{"decimals": 18, "ltv": 0, "liquidation_threshold": 0, "liquidation_bonus": 10500,
                 "protocol_fee": 0, "price": 10**8,
                 "liquidity_index": A.RAY + rng.randrange(0, A.RAY // 2),
                 "variable_borrow_index": A.RAY + rng.randrange(0, A.RAY // 2),
                 "debt_ceiling": 0, "borrowable_in_isolation": False, "active": True,
                 "paused": False, "borrowing_enabled": True} for _ in range(n)]
    last = rng.randrange(1_600_000_000, 1_800_000_000)
    dt = rng.choice([0, 1, 12, 3600, 86400, rng.randrange(1, 365 * 86400 + 1)])
    rates = [[rng.randrange(0, A.RAY // 2), rng.randrange(0, A.RAY)] for _ in range(n)]
    return {"market": {"version": "3.6", "reserves": reserves, "emodes": {}},
            "account": {"emode": 0, "positions": []},
            "time": {"last_update": last, "now": last + dt, "rates": rates}}


@pytest.fixture(scope="module")
def peer():
    rng = random.Random(SEED)
    cases = [A.random_case(rng, A.VERSIONS[i % 3]) for i in range(N_CASES)]
    accr = [_accrual_case(rng) for _ in range(N_ACCRUAL)]
    payload = [{"market": m, "account": a} for m, a in cases] + accr
    # node is the peer, not the code under test: it runs without the ASan runtime
    # that .ci/run preloads into the Python interpreter
    env = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    proc = subprocess.run(["node", SCRIPT], input=json.dumps(_enc(payload)), capture_output=True, env=env,
                          text=True, cwd=PEER_DIR, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    res = out["results"]
    assert len(res) == len(payload)
    errors = [r["error"] for r in res if "error" in r]
    assert not errors, errors[:3]
    return {"version": out["mathUtilsVersion"], "cases": cases, "results": res[:N_CASES],
            "accrual": accr, "accrual_results": res[N_CASES:]}


def _frac(s):
    return Fraction(s)


def _halfup_balance(scaled, index):
    """math-utils getLinearBalance / getCompoundedBalance without accrual (ray.math.js)."""
    return A.ray_to_wad(A.ray_mul(A.wad_to_ray(scaled), index))


def _mu_model(market, account):
    """math-utils' rules, in exact rationals, over its own (half-up) balances."""
    cat_id = account.get("emode", 0)
    cat = market["emodes"].get(cat_id) if cat_id else None
    total_col = Fraction(0)
    total_debt = Fraction(0)
    lt_sum = Fraction(0)
    ltv_sum = Fraction(0)
    balances = {}
    for p in account["positions"]:
        rid = p["reserve"]
        r = market["reserves"][rid]
        unit = 10 ** r["decimals"]
        a = _halfup_balance(p["scaled_supply"], r["liquidity_index"])
        d = _halfup_balance(p["scaled_debt"], r["variable_borrow_index"])
        balances[rid] = (a, d)
        value = Fraction(a * r["price"], unit)
        total_debt += Fraction(d * r["price"], unit)
        in_cat = cat is not None and (cat["collateral_bitmap"] >> rid) & 1 == 1
        if p["collateral"] and (r["liquidation_threshold"] != 0 or in_cat):
            total_col += value
            if in_cat:
                ltv = 0 if (cat["ltvzero_bitmap"] >> rid) & 1 else cat["ltv"]
                lt = cat["liquidation_threshold"]
            else:
                ltv, lt = r["ltv"], r["liquidation_threshold"]
            ltv_sum += value * ltv
            lt_sum += value * lt
    return {"total_col": total_col, "total_debt": total_debt, "lt_sum": lt_sum,
            "ltv_sum": ltv_sum, "balances": balances}


def _structure(market, account, version):
    """Where the chain of `version` and math-utils count collateral or LTV differently."""
    cat_id = account.get("emode", 0)
    cat = market["emodes"].get(cat_id) if cat_id else None
    hf_differs = total_differs = ltv_differs = False
    for p in account["positions"]:
        if not p["collateral"]:
            continue
        rid = p["reserve"]
        r = market["reserves"][rid]
        in_cat = cat is not None and (cat["collateral_bitmap"] >> rid) & 1 == 1
        if r["liquidation_threshold"] == 0:
            if in_cat and version != "3.6":
                hf_differs = total_differs = ltv_differs = True  # chain skips it, math-utils not
            if not in_cat and version == "3.6":
                total_differs = ltv_differs = True  # chain counts it at LT 0, math-utils not
        if version != "3.6" and in_cat and (r["ltv"] == 0 or (cat["ltvzero_bitmap"] >> rid) & 1):
            ltv_differs = True  # pre-3.6: reserve LTV 0 wins, no ltvzero bitmap
    return hf_differs, total_differs, ltv_differs


def _envelopes(market, account):
    """Per-position rounding room (base units): 1 wei of token plus the floor/ceil to base."""
    e_col = Fraction(0)
    e_lt = Fraction(0)
    e_debt = Fraction(0)
    cat_id = account.get("emode", 0)
    cat = market["emodes"].get(cat_id) if cat_id else None
    for p in account["positions"]:
        r = market["reserves"][p["reserve"]]
        eps = 1 + Fraction(r["price"], 10 ** r["decimals"])
        in_cat = cat is not None and (cat["collateral_bitmap"] >> p["reserve"]) & 1 == 1
        lt = cat["liquidation_threshold"] if in_cat else r["liquidation_threshold"]
        if p["collateral"]:
            e_col += eps
            e_lt += eps * lt
        e_debt += eps
    return e_col, e_lt, e_debt


def _chain_hf_interval(version, model, e_col, e_lt, e_debt):
    """Where the chain's HF (a real number, HF/1e18) must lie given math-utils' sums."""
    n, t, d = model["lt_sum"], model["total_col"], model["total_debt"]
    tiny = Fraction(3, 10**18)
    if version == "3.4":
        # percentMul(T, floor(N/T)) / D: the floor loses < 1 bps of T; percentMul +-0.5
        lo_num = max(Fraction(0), (n - e_lt - (t + e_col)) / 10**4 - Fraction(1, 2))
        hi_num = (n + e_lt) / 10**4 + Fraction(1, 2)
    else:
        lo_num = max(Fraction(0), (n - e_lt) / 10**4)
        hi_num = (n + e_lt) / 10**4
    lo = lo_num / (d + e_debt) - tiny
    hi = hi_num / (d - e_debt) + tiny if d > e_debt else None
    return lo, hi


def test_peer_version(peer):
    with open(os.path.join(PEER_DIR, "package.json")) as f:
        pinned = json.load(f)["dependencies"]["@aave/math-utils"]
    assert peer["version"] == pinned


def test_mathutils_balances_are_half_up_integers(peer):
    # structure 1: math-utils' token balances are the half-up double rounding, exactly
    for (m, a), r in zip(peer["cases"], peer["results"]):
        model = _mu_model(m, a)
        for u in r["userReserves"]:
            rid = u["reserve"]
            unit = 10 ** m["reserves"][rid]["decimals"]
            assert _frac(u["underlyingBalance"]) * unit == model["balances"][rid][0]
            assert _frac(u["variableBorrows"]) * unit == model["balances"][rid][1]


def test_mathutils_is_the_unrounded_formula(peer):
    # structure 2: math-utils' HF, totals and LT are the real-number formula over its
    # balances, to ~1e-18 (BigNumber keeps 20 decimals in divisions)
    worst = Fraction(0)
    for (m, a), r in zip(peer["cases"], peer["results"]):
        model = _mu_model(m, a)
        assert abs(_frac(r["totalCollateralMarketReferenceCurrency"]) * 10**8
                   - model["total_col"]) <= Fraction(1, 10**11)
        assert abs(_frac(r["totalBorrowsMarketReferenceCurrency"]) * 10**8
                   - model["total_debt"]) <= Fraction(1, 10**11)
        if model["total_col"]:
            want_lt = model["lt_sum"] / model["total_col"] / 10**4
            assert abs(_frac(r["currentLiquidationThreshold"]) - want_lt) <= Fraction(1, 10**19)
        if model["total_debt"] == 0:
            assert r["healthFactor"] == "-1"
            continue
        want = model["lt_sum"] / 10**4 / model["total_debt"]
        got = _frac(r["healthFactor"])
        if want == 0:
            assert got == 0
            continue
        rel = abs(got - want) / want
        worst = max(worst, rel)
        # 1e-12 relative, or the 1e-20 absolute precision of BigNumber's division
        assert abs(got - want) <= want / 10**12 + Fraction(1, 10**20), (got, want)
    print(f"\nmath-utils HF vs the unrounded formula over its balances: max rel {float(worst):.3g}")


def test_chain_inside_mathutils_rounding_envelope(peer):
    # structure 3: the chain (every version) differs from math-utils only by its roundings,
    # wherever both count the same collateral
    checked = {v: 0 for v in A.VERSIONS}
    structural = {v: 0 for v in A.VERSIONS}
    for (m, a), r in zip(peer["cases"], peer["results"]):
        model = _mu_model(m, a)
        e_col, e_lt, e_debt = _envelopes(m, a)
        for v in A.VERSIONS:
            mv = {**m, "version": v}
            chain = A.account_data(mv, a)
            hf_differs, total_differs, ltv_differs = _structure(m, a, v)
            if hf_differs:
                structural[v] += 1
                continue
            checked[v] += 1
            assert abs(chain["total_debt_base"] - model["total_debt"]) <= e_debt
            if not total_differs:
                assert abs(chain["total_collateral_base"] - model["total_col"]) <= e_col
            if chain["total_debt_base"] == 0:
                assert chain["health_factor"] == A.MAX_UINT256
                continue
            if model["total_debt"] == 0:
                continue  # debt of a few wei that math-utils rounds to 0 and the chain ceils to 1
            lo, hi = _chain_hf_interval(v, model, e_col, e_lt, e_debt)
            hf = Fraction(chain["health_factor"], 10**18)
            assert lo <= hf and (hi is None or hf <= hi), (v, float(lo), float(hf), hi)
            if not ltv_differs and not r["isInIsolationMode"] and not total_differs:
                mu_avail = _frac(r["availableBorrowsMarketReferenceCurrency"]) * 10**8
                room = model["total_col"] / 10**4 + e_col + e_debt + 1
                assert abs(chain["available_borrows_base"] - mu_avail) <= room
    print(f"\nchain vs math-utils envelope: checked {checked}, collateral counted differently "
          f"{structural}")
    for v in A.VERSIONS:
        assert checked[v] > N_CASES * 0.8


def _rel_hf_diffs(peer):
    out = {}
    for (m, a), r in zip(peer["cases"], peer["results"]):
        if r["healthFactor"] == "-1":
            continue
        mu = _frac(r["healthFactor"])
        if mu == 0:
            continue
        for v in A.VERSIONS:
            if _structure(m, a, v)[0]:
                continue
            chain = A.account_data({**m, "version": v}, a)
            if chain["health_factor"] == A.MAX_UINT256:
                continue
            rel = abs(Fraction(chain["health_factor"], 10**18) - mu) / mu
            out.setdefault((v, m["_kind"]), []).append(float(rel))
    return out


def test_report_and_known_differences(peer):
    diffs = _rel_hf_diffs(peer)
    lines = [f"\n|HF_chain / HF_math-utils - 1| over {N_CASES} cases, @aave/math-utils "
             f"{peer['version']}",
             f"{'version':8} {'kind':7} {'n':>5} {'median':>10} {'p99':>10} {'max':>10}"]
    for key in sorted(diffs):
        xs = sorted(diffs[key])
        p99 = xs[min(len(xs) - 1, int(len(xs) * 0.99))]
        lines.append(f"{key[0]:8} {key[1]:7} {len(xs):5d} {statistics.median(xs):10.3g} "
                     f"{p99:10.3g} {xs[-1]:10.3g}")
    print("\n".join(lines))
    for v in ("3.5", "3.6"):
        # dust: the chain's floor/ceil to whole base units moves the HF far from math-utils
        assert max(diffs[(v, "dust")]) > 1e-2
        # whales: only the last wei and the HF's own 1e-18 floor separate them
        assert max(diffs[(v, "whale")]) < 1e-9
    # v3.4 floors the average LT to a whole bps before the HF: up to ~1/LT (~1.5e-4) on
    # accounts of several collaterals, even large ones
    assert 1e-7 < max(diffs[("3.4", "whale")] + diffs[("3.4", "normal")]) < 2.1e-4


def test_accrual_against_mathutils(peer):
    # math-utils' linear income uses rayMul(rate, rayDiv(dt, year)) (half up) where the chain
    # floors rate*dt/year: a few wei of ray.  Its compounded debt is the binomial
    # 1 + n b + n(n-1)/2 b^2 + n(n-1)(n-2)/6 b^3 with b = floor(rate/year) per second, the
    # chain's 1 + x + x^2/2 + x^3/6 with x = rate*dt/year: they differ by ~(x^2 + x^3)/(2n),
    # plus math-utils' rounding of b^2 and b^3 to whole wei of ray, multiplied by
    # n^2/2 and n^3/6 (up to ~2.6e-6 over a year: b^3 / RAY^2 is a number of a few thousand).
    worst_inc = worst_debt = 0.0
    for c, r in zip(peer["accrual"], peer["accrual_results"]):
        t = c["time"]
        for rid, res in enumerate(c["market"]["reserves"]):
            lr, vr = t["rates"][rid]
            inc, debt = A.accrue(res, lr, vr, t["last_update"], t["now"])
            mu_inc = int(r["indexes"][rid]["normalized_income"])
            mu_debt = int(r["indexes"][rid]["normalized_debt"])
            assert abs(mu_inc - inc) <= 3, (inc, mu_inc)
            rel = abs(mu_debt - debt) / debt
            n = t["now"] - t["last_update"]
            x = vr * n / A.SECONDS_PER_YEAR / A.RAY
            bound = (x * x + x**3) / (2 * max(n, 1)) + (n**3 / 12 + n**2 / 4 + 2 * n) / 1e27
            assert rel <= bound * 1.000001 + 1e-24, (rel, x, n)
            worst_inc = max(worst_inc, abs(mu_inc - inc) / inc)
            worst_debt = max(worst_debt, rel)
    print(f"\naccrual: math-utils vs chain, max rel income {worst_inc:.3g}, debt {worst_debt:.3g}")


def test_keel_double_path_equals_mathutils(peer):
    """keel's double-precision engine gives math-utils' health factor to 1e-12 wherever
    the two read the same account (v3.6's rules of which collateral counts, math-utils'
    own):
      - on math-utils' own balances (its half-up rayMul of the scaled balance) put in a
        keel Market / Basket / HaircutModel: the formula alone, every such account;
      - on the bridge (keel_aave_to_keel: the chain's floor/ceil balances), where every
        balance is at least 10^13 wei, so that the one wei between the two roundings is
        below 1e-13 of it.
    Where keel's exact path differs from math-utils, the envelope test above explains it
    by the chain's rounding."""
    import keel
    sys.path.insert(0, HERE)
    from test_keel_vs_ref import build  # noqa: E402

    formula = bridged = 0
    worst = 0.0
    for (m, a), r in zip(peer["cases"], peer["results"]):
        if r["healthFactor"] == "-1" or any(_structure(m, a, "3.6")):
            continue
        want = float(_frac(r["healthFactor"]))
        # math-utils' balances in keel's objects
        cat_id = a.get("emode", 0)
        cat = m["emodes"].get(cat_id) if cat_id else None
        km, kb, kh = keel.Market(), keel.Basket(), keel.HaircutModel()
        mu = {u["reserve"]: u for u in r["userReserves"]}
        for p in a["positions"]:
            rid = p["reserve"]
            rv = m["reserves"][rid]
            asset = km.add_asset(f"R{rid}", rv["price"] / 1e8)
            in_cat = cat is not None and (cat["collateral_bitmap"] >> rid) & 1 == 1
            lt = cat["liquidation_threshold"] if in_cat else rv["liquidation_threshold"]
            supply = float(_frac(mu[rid]["underlyingBalance"]))
            debt = float(_frac(mu[rid]["variableBorrows"]))
            if supply > 0:
                kb.set_collateral(asset, supply)
            if debt > 0:
                kb.set_debt(asset, debt)
            if p["collateral"] and lt:
                kh.set_asset(asset, initial=1 - lt / 1e4, maintenance=1 - lt / 1e4)
        hf = kb.metrics(km, kh).health_factor
        rel = abs(hf - want) / want
        worst = max(worst, rel)
        assert rel <= 1e-12, (hf, want, m, a)
        formula += 1
        # the bridge, on large balances of the v3.6 cases
        if m["version"] == "3.6" and not any(
                0 < v < 10**13 for p in a["positions"]
                for v in (p.get("scaled_supply", 0), p.get("scaled_debt", 0))):
            _, ka = build(m, a)
            market, basket, haircuts = ka.to_keel()
            hf = basket.metrics(market, haircuts).health_factor
            assert abs(hf - want) / want <= 1e-12, (hf, want, m, a)
            bridged += 1
    print(f"\nkeel double vs math-utils: {formula} accounts on its balances, worst relative "
          f"{worst:.2e}; {bridged} through the bridge")
    assert formula >= 1000 and bridged >= 100
