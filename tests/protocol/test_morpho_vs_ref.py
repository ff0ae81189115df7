"""keel's exact Morpho Blue layer (through the Python binding) against the
independent reference morpho_ref.py, written from the Solidity: position data,
liquidations both ways (with bad debt), accrual, shares math and the keeper
answers, each checked at its boundary with the reference's own predicates, on
thousands of random positions with fixed seeds."""
from __future__ import annotations

import random
import sys
from fractions import Fraction
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import morpho_ref as R  # noqa: E402

from keel import InfeasibleError, OverflowKeelError  # noqa: E402
from keel.morpho import MorphoMarket, MorphoPosition, MorphoRevert, convert, incentive_factor  # noqa: E402

N = 3000


def build(m):
    return MorphoMarket("LOAN", "COLL", lltv=m["lltv"], price=m["price"],
                        loan_decimals=m["loan_decimals"], collateral_decimals=m["collateral_decimals"],
                        total_supply_assets=m["tsa"], total_supply_shares=m["tss"],
                        total_borrow_assets=m["tba"], total_borrow_shares=m["tbs"],
                        last_update=m["last_update"], fee=m["fee"])


def pos(p):
    return MorphoPosition(p["supply_shares"], p["borrow_shares"], p["collateral"])


def cases(seed, n=N):
    rng = random.Random(seed)
    return [R.random_case(rng) for _ in range(n)]


def wad(w):
    return Fraction(w, R.WAD)


@pytest.mark.parametrize("seed", [1, 2])
def test_position_data(seed):
    healthy = unhealthy = 0
    for m, p in cases(seed):
        km = build(m)
        try:
            R.max_borrow(m, p)
        except R.Revert:
            with pytest.raises(OverflowKeelError):
                km.position_data(pos(p))
            continue
        d = km.position_data(pos(p))
        assert d.borrow_assets == R.borrowed(m, p)
        assert d.max_borrow == R.max_borrow(m, p)
        assert d.health_factor == R.health_factor(m, p)
        assert d.healthy == R.is_healthy(m, p)
        assert d.supply_assets == R.to_assets_down(p["supply_shares"], m["tsa"], m["tss"])
        healthy += d.healthy
        unhealthy += not d.healthy
    assert healthy > 300 and unhealthy > 300  # both sides of the line are exercised


def test_incentive_and_conversions():
    rng = random.Random(7)
    for _ in range(2000):
        lltv = rng.randrange(1, R.WAD)
        assert incentive_factor(lltv) == R.incentive_factor(lltv)
        a = rng.randrange(0, 2**rng.randrange(1, 128))
        ta = rng.randrange(0, 2**rng.randrange(1, 128))
        ts = rng.randrange(0, 2**rng.randrange(1, 128))
        assert convert("to_shares_down", a, ta, ts) == R.to_shares_down(a, ta, ts)
        assert convert("to_shares_up", a, ta, ts) == R.to_shares_up(a, ta, ts)
        assert convert("to_assets_down", a, ta, ts) == R.to_assets_down(a, ta, ts)
        assert convert("to_assets_up", a, ta, ts) == R.to_assets_up(a, ta, ts)


def _same_liq(q, res, m2, p2):
    assert q.seized_assets == res["seized_assets"]
    assert q.repaid_shares == res["repaid_shares"]
    assert q.repaid_assets == res["repaid_assets"]
    assert q.bad_debt_shares == res["bad_debt_shares"]
    assert q.bad_debt_assets == res["bad_debt_assets"]
    assert q.incentive_factor == res["incentive_factor"]
    assert (q.total_supply_assets_after, q.total_supply_shares_after, q.total_borrow_assets_after,
            q.total_borrow_shares_after) == (m2["tsa"], m2["tss"], m2["tba"], m2["tbs"])
    assert q.after == pos(p2)


REASONS = {"position is healthy", "inconsistent input", "max uint128 exceeded"}


def _reason_matches(ours, theirs):
    if theirs == "panic 0x11":
        return ours.startswith("Panic(0x11)")
    if theirs == "panic 0x12":
        return ours.startswith("Panic(0x12)")
    return ours == theirs


@pytest.mark.parametrize("seed", [3, 4])
def test_liquidations_both_ways(seed):
    rng = random.Random(seed * 101)
    counts = {"ok": 0, "bad_debt": 0, "revert": 0}
    for m, p in cases(seed):
        km = build(m)
        for _ in range(2):
            if rng.random() < 0.5:
                seized = rng.choice([p["collateral"], rng.randrange(0, p["collateral"] + 2),
                                     rng.randrange(0, 2**130)])
                shares = 0 if rng.random() < 0.95 else 1
            else:
                seized = 0 if rng.random() < 0.95 else 1
                shares = rng.choice([p["borrow_shares"], rng.randrange(0, p["borrow_shares"] + 2)])
            try:
                res, m2, p2 = R.liquidate(m, p, seized, shares)
            except R.Revert as e:
                with pytest.raises(MorphoRevert) as ei:
                    km.liquidation_quote(pos(p), seized, shares)
                assert _reason_matches(ei.value.reason, e.args[0]), (ei.value.reason, e.args[0])
                counts["revert"] += 1
                continue
            q = km.liquidation_quote(pos(p), seized, shares)
            _same_liq(q, res, m2, p2)
            counts["ok"] += 1
            counts["bad_debt"] += res["bad_debt_shares"] > 0
    assert counts["ok"] > 500 and counts["bad_debt"] > 50 and counts["revert"] > 500, counts


@pytest.mark.parametrize("seed", [5])
def test_best_liquidation_is_the_largest_seizure(seed):
    n = 0
    for m, p in cases(seed, 1500):
        if R.is_healthy(m, p):
            continue
        km = build(m)
        try:
            q = km.best_liquidation(pos(p))
        except MorphoRevert:
            # nothing can be liquidated: repaying all shares reverts and seizing 1 wei too
            assert R.ok(R.liquidate, m, p, 0, p["borrow_shares"]) is None
            assert R.ok(R.liquidate, m, p, 1, 0) is None if p["collateral"] else True
            continue
        n += 1
        # the quote is a valid call of the reference
        res = R.liquidate(m, p, q.seized_assets, 0) if q.repaid_shares != p["borrow_shares"] or \
            R.ok(R.liquidate, m, p, 0, p["borrow_shares"]) is None else None
        if res is None:
            res = R.liquidate(m, p, 0, p["borrow_shares"])
            if res[0]["seized_assets"] != q.seized_assets:
                res = R.liquidate(m, p, q.seized_assets, 0)
        assert res[0]["seized_assets"] == q.seized_assets
        # one more seized wei is refused (or the collateral is all gone)
        if q.seized_assets < p["collateral"]:
            assert R.ok(R.liquidate, m, p, q.seized_assets + 1, 0) is None
        s_all = R.ok(R.liquidate, m, p, 0, p["borrow_shares"])
        if s_all is not None:
            assert s_all[0]["seized_assets"] <= q.seized_assets
    assert n > 200


@pytest.mark.parametrize("seed", [6])
def test_accrual(seed):
    rng = random.Random(seed)
    for m, _ in cases(seed, 2000):
        km = build(m)
        rate = rng.choice([0, 1, 10**9, 3 * 10**10, rng.randrange(0, 10**11)])
        dt = rng.choice([0, 1, 12, 3600, 86400, 365 * 86400, rng.randrange(0, 10**8)])
        try:
            m2, interest, fee_shares = R.accrue(m, rate, m["last_update"] + dt)
        except R.Revert:
            with pytest.raises(Exception):
                km.accrue(rate, m["last_update"] + dt)
            continue
        assert km.accrue(rate, m["last_update"] + dt) == (interest, fee_shares)
        st = km.state
        assert (st.total_supply_assets, st.total_supply_shares, st.total_borrow_assets,
                st.total_borrow_shares, st.last_update) == (m2["tsa"], m2["tss"], m2["tba"],
                                                           m2["tbs"], m2["last_update"])


def _target(rng):
    return rng.choice([R.WAD, R.WAD + 1, 105 * 10**16, 125 * 10**16, 2 * R.WAD])


def _meets(m, p, t):
    return R.health_factor(m, p) >= t


def _largest_repay_misses(m, p, unit, t):
    """The reference's largest accepted repay (by bisection on the chain's own revert)
    misses the target: by assets, a whole repay may be impossible (an asset buys up to
    1e6 shares, so the last shares can be out of reach)."""
    if unit == "shares":
        return not _meets(*R.after_repay(m, p, shares=p["borrow_shares"]), t)
    lo, hi = 0, 2**200
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if R.ok(R.after_repay, m, p, assets=mid) is not None:
            lo = mid
        else:
            hi = mid
    return lo == 0 or not _meets(*R.after_repay(m, p, assets=lo), t)


@pytest.mark.parametrize("seed", [8])
def test_keeper_boundaries(seed):
    rng = random.Random(seed)
    checked = 0
    for m, p in cases(seed, 1200):
        km = build(m)
        P = pos(p)
        t = _target(rng)
        # repay (assets and shares): amount meets, amount - 1 does not
        for unit in ("assets", "shares"):
            try:
                a = km.repay_to_target(P, wad(t), unit)
            except InfeasibleError:
                # the largest repay the chain accepts does not reach the target
                assert _largest_repay_misses(m, p, unit, t)
                continue
            if a == 0:
                assert _meets(m, p, t)
                continue
            kw = {unit: a}
            m2, p2 = R.after_repay(m, p, **kw)
            assert _meets(m2, p2, t)
            if a > 1:
                r = R.ok(R.after_repay, m, p, **{unit: a - 1})
                assert r is None or not _meets(*r, t)
            checked += 1
        # collateral to add
        try:
            c = km.collateral_to_target(P, wad(t))
        except InfeasibleError:
            c = None
        if c:
            p2 = dict(p, collateral=p["collateral"] + c)
            assert _meets(m, p2, t)
            assert not _meets(m, dict(p, collateral=p["collateral"] + c - 1), t)
        # max withdraw of collateral and max borrow: the chain accepts them, not one more
        w = km.max_withdraw_collateral(P)
        if w:
            assert R.ok(R.after_withdraw_collateral, m, p, w) is not None
        if w < p["collateral"]:
            assert R.ok(R.after_withdraw_collateral, m, p, w + 1) is None
        b = km.max_borrow(P)
        if b:
            assert R.ok(R.after_borrow, m, p, b) is not None
        assert R.ok(R.after_borrow, m, p, b + 1) is None
        # liquidation price: the reference's bisection on is_healthy
        want = R.liquidation_price(m, p)
        if want is None:
            assert km.liquidation_price(P) is None
        elif want == "none":
            with pytest.raises(InfeasibleError):
                km.liquidation_price(P)
        else:
            assert km.liquidation_price(P) == want
    assert checked > 500
