"""keel's Morpho Blue layer against the real peer @morpho-org/blue-sdk (npm, pinned in
peer/package.json; its version is asserted below).

blue-sdk is Morpho's own TypeScript SDK: bigint arithmetic following the contract's
MathLib / SharesMathLib, and simulations of borrow, repay and withdrawCollateral that throw
where the contract reverts. It is run through peer/blue.mjs on 2,000 random positions of
morpho_ref.random_case (dust to whales, every decimals pair, many near the healthy line), and
must agree with keel exactly:

* borrow and supply assets, collateral value, max borrow (_isHealthy's maxBorrow), the health
  factor (getHealthFactor = maxBorrow.wDivDown(borrowed)), the verdict, the incentive factor;
* liquidation amounts both ways (getLiquidationSeizedAssets, getLiquidationRepaidShares)
  against keel's quote on every unhealthy position;
* interest accrual (getAccruedInterest) at random rates and times;
* keel's keeper answers checked with the SDK's own simulation at the boundary: the max
  borrow and max collateral withdrawal are accepted and one wei more is refused; the
  liquidation price is unhealthy and one unit more healthy (by the SDK's isHealthy); the
  repay to a target health reaches it and one wei less does not.

The SDK's own getLiquidationPrice is not exact (it divides by wMulDown(collateral, lltv),
rounding in another order than _isHealthy): how often it lands on the chain's first healthy
price is reported with -s, not asserted.

Skipped only when node or the peer's node_modules is absent
(scripts/install_node_peers.sh installs both; CI runs it).
"""

import json
import os
import random
import shutil
import subprocess
import sys
from fractions import Fraction

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import morpho_ref as R  # noqa: E402

from keel import InfeasibleError, OverflowKeelError  # noqa: E402
from keel.morpho import MorphoPosition, MorphoRevert, incentive_factor  # noqa: E402
from test_morpho_vs_ref import build as _build  # noqa: E402  (the same market from a case)

PEER_DIR = os.path.join(HERE, "peer")
SCRIPT = os.path.join(PEER_DIR, "blue.mjs")
SDK_VERSION = "6.4.0"
N_CASES = 2000
SEED = 0xB1E


def _peer_missing():
    if shutil.which("node") is None:
        return "node is not installed (scripts/install_node_peers.sh installs it)"
    if not os.path.isfile(os.path.join(PEER_DIR, "node_modules", "@morpho-org", "blue-sdk",
                                       "package.json")):
        return "tests/protocol/peer/node_modules lacks @morpho-org/blue-sdk " \
               "(run scripts/install_node_peers.sh)"
    return None


pytestmark = pytest.mark.skipif(_peer_missing() is not None, reason=str(_peer_missing()))


def _s(d):
    return {k: str(v) for k, v in d.items()}


@pytest.fixture(scope="module")
def run():
    rng = random.Random(SEED)
    cases, keel = [], []
    while len(cases) < N_CASES:
        m, p = R.random_case(rng)
        km = _build(m)
        P = MorphoPosition(p["supply_shares"], p["borrow_shares"], p["collateral"])
        try:
            data = km.position_data(P)
        except OverflowKeelError:
            continue  # collateral * price past 2^256: the chain reverts, the SDK's bigints do not
        k = {"data": data}
        check = {}
        check["max_borrow"] = str(km.max_borrow(P))
        check["max_withdraw"] = str(km.max_withdraw_collateral(P))
        k["max_borrow"], k["max_withdraw"] = int(check["max_borrow"]), int(check["max_withdraw"])
        lp = km.liquidation_price(P) if data.borrow_assets else None
        if lp is not None and p["collateral"] and lp < 2**255:
            check["liquidation_price"] = str(lp)
        target = rng.choice([R.WAD, 11 * 10**17, 15 * 10**17])
        try:
            k["repay"] = km.repay_to_target(P, Fraction(target, R.WAD), "assets")
            k["target"] = target
            check["repay_assets"] = str(k["repay"])
        except InfeasibleError:
            pass
        if data.liquidatable:
            shares = rng.randrange(1, p["borrow_shares"] + 1)
            seized = rng.randrange(1, p["collateral"] + 1) if p["collateral"] else 1
            check["repaid_shares"], check["seized_assets"] = str(shares), str(seized)
            for kind, args in (("by_shares", (0, shares)), ("by_seized", (seized, 0))):
                try:
                    k[kind] = km.liquidation_quote(P, *args)
                except MorphoRevert:
                    k[kind] = None
        rate = rng.choice([0, 10**9, 3 * 10**10, rng.randrange(0, 10**11)])
        elapsed = rng.choice([1, 3600, 86400, 365 * 86400])
        check["rate"], check["elapsed"] = str(rate), str(elapsed)
        try:
            k["accrual"] = _build(m).accrue(rate, m["last_update"] + elapsed)
        except OverflowKeelError:
            k["accrual"] = None
        market = {k2: m[k2] for k2 in ("price", "lltv", "tsa", "tss", "tba", "tbs", "fee",
                                       "last_update")}
        cases.append({"market": _s(market), "position": _s(p), "check": check})
        keel.append(k)
    proc = subprocess.run(["node", SCRIPT], input=json.dumps(cases), capture_output=True,
                          text=True, cwd=PEER_DIR, timeout=600, check=True)
    got = json.loads(proc.stdout)
    return got["version"], cases, keel, got["results"]


def test_sdk_version_is_pinned(run):
    assert run[0] == SDK_VERSION


def test_position_math_equal(run):
    _, cases, keel, peer = run
    for c, k, r in zip(cases, keel, peer):
        assert "error" not in r, r
        d = k["data"]
        assert int(r["borrow_assets"]) == d.borrow_assets
        assert int(r["supply_assets"]) == d.supply_assets
        assert int(r["collateral_value"]) == d.collateral_value
        assert int(r["max_borrow"]) == d.max_borrow
        assert int(r["health_factor"]) == d.health_factor
        assert r["healthy"] == d.healthy


def test_liquidation_amounts_equal(run):
    _, cases, keel, peer = run
    n = 0
    for c, k, r in zip(cases, keel, peer):
        if k.get("by_shares") is not None:
            assert int(r["seized_for_shares"]) == k["by_shares"].seized_assets
            n += 1
        if k.get("by_seized") is not None:
            assert int(r["shares_for_seized"]) == k["by_seized"].repaid_shares
            n += 1
        assert int(r["incentive_factor"]) == incentive_factor(int(c["market"]["lltv"]))
    assert n > 500


def test_accrual_equal(run):
    _, cases, keel, peer = run
    n = 0
    for c, k, r in zip(cases, keel, peer):
        if k["accrual"] is None:
            continue
        assert (int(r["interest"]), int(r["fee_shares"])) == k["accrual"]
        n += 1
    assert n > 1000


def test_keeper_answers_by_the_sdk_simulation(run, capsys):
    _, cases, keel, peer = run
    lp_exact = lp_total = 0
    for c, k, r in zip(cases, keel, peer):
        assert r["borrow_ok"], (c, k["max_borrow"])
        if k["max_borrow"] + 1 <= R.U128_MAX:
            assert not r["borrow_more_ok"], (c, k["max_borrow"])
        if k["max_withdraw"] > 0:  # (withdrawCollateral(0) reverts "zero assets" on chain)
            assert r["withdraw_ok"], (c, k["max_withdraw"])
        if k["max_withdraw"] < int(c["position"]["collateral"]):
            assert not r["withdraw_more_ok"], (c, k["max_withdraw"])
        if "liquidation_price" in c["check"]:
            assert r["healthy_at_price"] is False
            assert r["healthy_above_price"] is True
            lp_total += 1
            lp_exact += r["sdk_liquidation_price"] == str(int(c["check"]["liquidation_price"]) + 1)
        if "repay" in k and k["repay"] > 0:
            assert int(r["hf_after_repay"]) >= k["target"]
            if r["hf_after_repay_less"] is not None:
                assert int(r["hf_after_repay_less"]) < k["target"]
    with capsys.disabled():
        print(f"\nblue-sdk getLiquidationPrice = keel's liquidation price + 1 on "
              f"{lp_exact}/{lp_total} positions (the SDK rounds in another order)")
    assert lp_total > 1000
