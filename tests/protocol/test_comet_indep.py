"""keel's Compound v3 layer against a second, independent reference (comet_indep.py), written
by a reviewer straight from the Solidity (compound-finance/comet d5a30b0) without reading
keel's C or comet_ref.py. Deterministic seeds. Compared exactly: stored asset factors (the
4-decimal packing), presentValue / principalValue of both signs, the liquidity figures and
both verdicts (signedMulPrice truncating toward zero), absorb (the newBalance floor at 0,
repayAndSupplyAmount, reserves), quoteCollateral / buyCollateral (or the same revert),
getUtilization / rates / accrual, and every keeper answer on its boundary judged by the
independent port's own views (the amount meets, one wei less / more does not).

Inputs stay where no single term passes 256 bits (prices < 2**64): where it does, keel
reports an overflow even when the contract's early exit would return a verdict; that
deviation is documented in tests/python/test_review16.py."""

import copy
import random

import pytest

import comet_indep as ci

pytest.importorskip("keel.comet")
from keel.comet import CometAccount, CometMarket, CometRevert  # noqa: E402
from keel.errors import KeelError  # noqa: E402

WAD = 10**18


def _run(fn):
    try:
        return ("ok", fn())
    except ci.Revert as e:
        return ("rev", e.name.split(":")[0])
    except CometRevert as e:
        return ("rev", e.reason.split(":")[0])
    except KeelError as e:
        return ("err", type(e).__name__)


def _factors(R):
    while True:
        l = R.choice([WAD, R.randint(1, WAD), 10**14, 2 * 10**14, WAD - 1, WAD - 10**14])
        b = R.choice([0, R.randint(0, l), l - 1, l - 10**14, 10**14 - 1])
        lf = R.choice([0, WAD, R.randint(0, WAD), 95 * 10**16, 10**14 - 1])
        if 0 <= b < l and b // 10**14 < l // 10**14:
            return b, l, lf


def _price(R):
    return R.choice([1, 2, 10**8, R.randint(1, 10**12), R.randint(1, 2**63), R.randint(1, 10**8)])


def _market(R, realistic):
    dec = R.choice([6, 8, 18, R.randint(6, 18)])
    if realistic:
        base = dict(decimals=dec, price=R.choice([10**8, R.randint(99 * 10**6, 101 * 10**6),
                                                  R.randint(1000 * 10**8, 4000 * 10**8)]),
                    supply_index=R.randint(10**15, 2 * 10**15), borrow_index=R.randint(10**15, 2 * 10**15),
                    store_front_price_factor=R.randint(0, WAD), total_supply_base=10**30,
                    total_borrow_base=10**30, base_balance=R.choice([10**30, R.randint(0, 10**(dec + 5))]),
                    target_reserves=10**25, base_borrow_min=R.choice([0, 1, 100 * 10**dec]))
    else:
        base = dict(decimals=dec, price=_price(R),
                    supply_index=R.choice([10**15, R.randint(10**15, 3 * 10**15), R.randint(1, 2**64 - 1), 1]),
                    borrow_index=R.choice([10**15, R.randint(10**15, 3 * 10**15), R.randint(1, 2**64 - 1), 1]),
                    store_front_price_factor=R.choice([0, WAD, R.randint(0, WAD), 5 * 10**17]),
                    total_supply_base=R.randint(0, 2**103), total_borrow_base=R.randint(0, 2**103),
                    base_balance=R.randint(0, 2**120), target_reserves=R.randint(0, 2**100))
    km = CometMarket("BASE", **base)
    im = ci.Market(decimals=dec, price=base["price"], supply_index=base["supply_index"],
                   borrow_index=base["borrow_index"],
                   store_front_price_factor=base["store_front_price_factor"],
                   total_supply_base=base["total_supply_base"],
                   total_borrow_base=base["total_borrow_base"], base_balance=base["base_balance"],
                   target_reserves=base["target_reserves"],
                   base_borrow_min=base.get("base_borrow_min", 0))
    for i in range(R.randint(1 if realistic else 0, 4)):
        adec = R.choice([0, 6, 8, 18, R.randint(0, 18)])
        if realistic:
            l = R.randint(5 * 10**17, WAD)
            b, lf = R.randint(0, l - 2 * 10**14), R.randint(5 * 10**17, WAD)
            f = dict(decimals=adec, price=R.choice([R.randint(1, 10**13), 1, 10**8]),
                     supply_cap=R.choice([2**64 - 1, R.randint(0, 10**6)]) * 10**adec,
                     total_supply_asset=R.randint(10**6, 10**7) * 10**adec,
                     balance=10**30 + R.randint(0, 10**20))
        else:
            b, l, lf = _factors(R)
            f = dict(decimals=adec, price=_price(R),
                     supply_cap=R.randint(0, min(2**127, 2**64 * 10**adec - 1)),
                     total_supply_asset=R.randint(0, 2**128 - 1), balance=R.randint(0, 2**128 - 1))
        f.update(borrow_collateral_factor=b, liquidate_collateral_factor=l, liquidation_factor=lf)
        km.add_asset(f"A{i}", **f)
        im.assets.append(ci.Asset(adec, f["price"], b, l, lf, f["supply_cap"],
                                  f["total_supply_asset"], f["balance"]))
    return km, im


def _account(R, im, realistic):
    if realistic:
        coll = {i: R.choice([R.randint(1, 10**6), R.randint(1, 10**(a.decimals + 4)), 1, 0])
                for i, a in enumerate(im.assets)}
        lcv = sum(ci.mul_factor(ci.mul_price(coll[i], a.price, a.scale), a.liquidate_cf)
                  for i, a in enumerate(im.assets))
        p = lcv * im.base_scale // im.price * 10**15 // im.borrow_index
        p = -min(max(1, p + R.randint(-10**R.randint(0, 8), 10**R.randint(0, 8))), 2**103)
        if R.random() < 0.05:
            p = R.randint(0, 10**10)
    else:
        coll = {i: R.choice([0, 1, 2, R.randint(0, 10**6), R.randint(0, 10**20),
                             R.randint(0, 2**128 - 1), 2**128 - 1, 10**R.randint(0, 38)])
                for i in range(len(im.assets)) if R.random() < 0.8}
        p = R.choice([-1, 0, 1, -R.randint(1, 10**6), -R.randint(1, 2**103), R.randint(1, 2**103 - 1),
                      -(2**103), 2**103 - 1, -R.randint(1, 10**30)])
    return p, coll


@pytest.mark.parametrize("realistic", [False, True])
def test_views_absorb_quotes(realistic):
    R = random.Random(16 + realistic)
    n_absorbed = 0
    for _ in range(2500):
        km, im = _market(R, realistic)
        for i, a in enumerate(im.assets):
            st = km.asset(i)
            assert (st["borrow_collateral_factor"], st["liquidate_collateral_factor"],
                    st["liquidation_factor"], st["supply_cap"]) == \
                (a.borrow_cf, a.liquidate_cf, a.liquidation_factor, a.supply_cap)
        p, coll = _account(R, im, realistic)
        ka, ia = CometAccount(km, principal=p, collateral=coll), ci.Account(p, dict(coll))
        assert _run(lambda: km.present_value(p)) == _run(lambda: im.present_value(p))
        pv = R.choice([0, -1, 1, R.randint(-2**120, 2**120), R.randint(-10**30, 10**30),
                       -R.randint(1, 10**6)])
        k, i_ = _run(lambda: km.principal_value(pv)), _run(lambda: im.principal_value(pv))
        assert k == i_ or (k[0] != "ok" and i_[0] != "ok"), (pv, k, i_)
        k = _run(lambda: dict(ka.liquidity().__dict__))
        if k[0] == "ok" and not k[1].pop("complete"):
            # a term past 256 bits after the contract's loops stop: the verdicts are the
            # contract's, the sums stop where it does
            assert (k[1]["is_liquidatable"], k[1]["is_borrow_collateralized"]) == \
                (ci.is_liquidatable(im, ia), ci.is_borrow_collateralized(im, ia)), (p, coll)
        else:
            assert k == _run(lambda: ci.figures(im, ia)), (p, coll)
        k, i_ = _run(lambda: ka.absorb().__dict__), _run(lambda: ci.absorb(im, ia))
        if i_[0] == "ok":
            i_[1].pop("total_supply_asset")
            n_absorbed += 1
        assert k == i_ or (k[0] != "ok" and i_[0] == "rev" and i_[1].startswith("Panic")), (p, coll, k, i_)
        for j in range(len(im.assets)):
            amt = R.choice([0, 1, R.randint(0, 10**20), R.randint(0, 2**128), R.randint(0, 2**200)])
            k, i_ = _run(lambda: km.quote_collateral(j, amt)), _run(lambda: im.quote_collateral(j, amt))
            assert k == i_ or (k[0] != "ok" and i_[0] != "ok"), (j, amt, k, i_)
            mn = R.choice([0, R.randint(0, 2**64)])
            k = _run(lambda: (lambda b: (b.reserves, b.collateral_amount))(km.buy_collateral(j, amt, mn)))
            i_ = _run(lambda: im.buy_collateral(j, mn, amt))
            assert k == i_, (j, amt, mn, k, i_)
    assert n_absorbed > 50


def test_rates_and_accrual():
    R = random.Random(1616)
    years = ["supply_per_year_interest_rate_slope_low", "supply_per_year_interest_rate_slope_high",
             "supply_per_year_interest_rate_base", "borrow_per_year_interest_rate_slope_low",
             "borrow_per_year_interest_rate_slope_high", "borrow_per_year_interest_rate_base"]
    for _ in range(1500):
        py = {k: R.choice([0, R.randint(0, WAD), R.randint(0, 2**64 - 1)]) for k in years}
        kinks = dict(supply_kink=R.randint(0, WAD), borrow_kink=R.randint(0, WAD))
        st = dict(supply_index=R.randint(1, 2**50), borrow_index=R.randint(1, 2**50),
                  last_accrual_time=R.randint(0, 2**32), total_supply_base=R.randint(0, 2**103),
                  total_borrow_base=R.randint(0, 2**103), base_balance=R.randint(0, 2**120))
        km = CometMarket("B", decimals=6, **py, **kinks, **st)
        per_s = [py[k] // ci.SECONDS_PER_YEAR for k in years]
        im = ci.Market(decimals=6, **st, **kinks, supply_slope_low=per_s[0], supply_slope_high=per_s[1],
                       supply_base_rate=per_s[2], borrow_slope_low=per_s[3],
                       borrow_slope_high=per_s[4], borrow_base_rate=per_s[5])
        r = km.rates()
        u = im.utilization()
        assert (r.utilization, r.supply_rate, r.borrow_rate, r.reserves) == \
            (u, im.supply_rate(u), im.borrow_rate(u), im.reserves())
        t = st["last_accrual_time"] + R.choice([0, 1, R.randint(0, 10**6), R.randint(0, 10**8)])
        k = _run(lambda: (km.accrue(t), km.base())[1])
        i_ = _run(lambda: im.accrue(t))
        assert k[0] == i_[0]
        if k[0] == "ok":
            assert (k[1]["supply_index"], k[1]["borrow_index"]) == (im.supply_index, im.borrow_index)


def _meets(im, a, line, target):
    if a.principal >= 0:
        return True
    f = ci.figures(im, a)
    c = f["borrow_collateral_value"] if line == "borrow" else f["liquidate_collateral_value"]
    return c * WAD >= target * (-f["base_value"])


def _ok(fn):
    try:
        return fn()
    except ci.Revert:
        return None


def test_keeper_answers_on_their_boundary():
    R = random.Random(160)
    for _ in range(1200):
        km, im = _market(R, True)
        p, coll = _account(R, im, True)
        ka, ia = CometAccount(km, principal=p, collateral=coll), ci.Account(p, dict(coll))
        line = R.choice(["borrow", "liquidate"])
        target = R.choice([WAD, R.randint(WAD, 2 * WAD), 1, R.randint(1, WAD)])
        x = ka.repay_to_target(target, line)
        assert _meets(im, ci.supply_base(im, ia, x), line, target)
        assert x == 0 or not _meets(im, ci.supply_base(im, ia, x - 1), line, target)
        for i in range(len(im.assets)):
            try:
                x = ka.supply_to_target(i, target, line)
            except KeelError:
                room = im.assets[i].supply_cap - im.assets[i].total_supply_asset
                if room >= 0:
                    a1 = _ok(lambda: ci.supply_collateral(im, ia, i, room))
                    assert a1 is None or not _meets(im, a1, line, target)
                continue
            a1 = ia if x == 0 else ci.supply_collateral(im, ia, i, x)
            assert _meets(im, a1, line, target)
            assert x == 0 or not _meets(im, ci.supply_collateral(im, ia, i, x - 1), line, target)
        floor = R.choice([0, WAD, R.randint(WAD, 2 * WAD)])
        fl = max(floor, WAD)
        for i in range(len(im.assets)):
            x = ka.max_withdraw(i, floor)
            if x:
                assert _meets(im, ci.withdraw_collateral(im, ia, i, x), "borrow", fl)
            a2 = _ok(lambda: ci.withdraw_collateral(im, ia, i, x + 1))
            assert a2 is None or not _meets(im, a2, "borrow", fl)

        def accepted(amt):
            a1 = _ok(lambda: ci.withdraw_base(im, ia, amt))
            return a1 is not None and (im.present_value(ia.principal) - amt >= 0
                                       or _meets(im, a1, "borrow", fl))
        x = ka.max_borrow(floor)
        assert x == 0 or accepted(x)
        assert not accepted(x + 1)
        for i in range(len(im.assets)):
            d, price, now = ka.liquidation_price(i)
            assert now == ci.is_liquidatable(im, ia)
            m2 = copy.deepcopy(im)
            if d == -1:
                m2.assets[i].price = price
                assert ci.is_liquidatable(m2, ia)
                m2.assets[i].price = price + 1
                assert not ci.is_liquidatable(m2, ia)
            else:
                for q in (1, im.assets[i].price, 2**96 - 1):
                    m2.assets[i].price = q
                    assert ci.is_liquidatable(m2, ia) == now
