"""keel's Compound v3 layer against the independent Python reference (comet_ref.py, written
from the Solidity) on random markets and accounts, deterministic seeds: liquidity figures,
verdicts, absorb and buyCollateral quotes (or the same revert), accrual, and every keeper
answer, which must also sit exactly on its boundary (the amount meets the target, one wei
less or more does not)."""

import random

import pytest

import comet_ref as ref

keel_comet = pytest.importorskip("keel.comet")
from keel.comet import CometAccount, CometMarket, CometRevert  # noqa: E402
from keel.errors import KeelError  # noqa: E402

WAD = 10**18
N_ACCOUNTS = 3000
N_KEEPER = 1200


def rand_market(rng):
    dec = rng.choice([6, 8, 18])
    tsb = rng.randrange(10**12, 10**14) * 10 ** (dec - 6)
    m = {"decimals": dec, "price": rng.choice([10**8, 99_987_654, 3000 * 10**8 + rng.randrange(10**8)]),
         "supply_index": 10**15 + rng.randrange(5 * 10**14),
         "borrow_index": 10**15 + rng.randrange(6 * 10**14),
         "last_accrual_time": 1_700_000_000,
         "total_supply_base": tsb, "total_borrow_base": tsb * rng.randrange(1, 95) // 100,
         "base_balance": rng.randrange(0, tsb), "supply_kink": 8 * 10**17,
         "supply_low": rng.randrange(10**16, 10**17), "supply_high": rng.randrange(10**17, 3 * 10**18),
         "supply_base": 0, "borrow_kink": 8 * 10**17,
         "borrow_low": rng.randrange(10**16, 10**17), "borrow_high": rng.randrange(10**17, 3 * 10**18),
         "borrow_base": rng.randrange(0, 2 * 10**16),
         "store_front": rng.choice([0, 5 * 10**17, 6 * 10**17, 10**18]),
         "base_borrow_min": rng.choice([0, 10 ** dec, 100 * 10 ** dec]),
         "target_reserves": rng.randrange(0, 10**7) * 10 ** dec,
         "pause": rng.choice([0] * 8 + [8, 16, 1, 4]), "assets": []}
    for _ in range(rng.randrange(1, 5)):
        lcf = rng.randrange(5 * 10**17, 10**18 + 1)
        bcf = rng.randrange(0, lcf - 10**14 + 1)
        if bcf // 10**14 >= lcf // 10**14:
            bcf = (lcf // 10**14 - 1) * 10**14
        adec = rng.choice([0, 6, 8, 18])
        ts = rng.randrange(0, 10**9) * 10**adec
        m["assets"].append({"decimals": adec, "price": rng.randrange(1, 10**14),
                            "bcf": bcf, "lcf": lcf, "lf": rng.randrange(0, 10**18 + 1),
                            "supply_cap": ts + rng.randrange(0, 10**9) * 10**adec,
                            "total_supply": ts, "balance": ts + rng.randrange(0, 10**6) * 10**adec})
    return m


def to_keel(m):
    k = CometMarket("BASE", decimals=m["decimals"], price=m["price"],
                    supply_index=m["supply_index"], borrow_index=m["borrow_index"],
                    last_accrual_time=m["last_accrual_time"],
                    total_supply_base=m["total_supply_base"],
                    total_borrow_base=m["total_borrow_base"], base_balance=m["base_balance"],
                    supply_kink=m["supply_kink"],
                    supply_per_year_interest_rate_slope_low=m["supply_low"],
                    supply_per_year_interest_rate_slope_high=m["supply_high"],
                    supply_per_year_interest_rate_base=m["supply_base"],
                    borrow_kink=m["borrow_kink"],
                    borrow_per_year_interest_rate_slope_low=m["borrow_low"],
                    borrow_per_year_interest_rate_slope_high=m["borrow_high"],
                    borrow_per_year_interest_rate_base=m["borrow_base"],
                    store_front_price_factor=m["store_front"],
                    base_borrow_min=m["base_borrow_min"], target_reserves=m["target_reserves"],
                    pause_flags=m["pause"])
    for j, a in enumerate(m["assets"]):
        k.add_asset(f"A{j}", decimals=a["decimals"], price=a["price"],
                    borrow_collateral_factor=a["bcf"], liquidate_collateral_factor=a["lcf"],
                    liquidation_factor=a["lf"], supply_cap=a["supply_cap"],
                    total_supply_asset=a["total_supply"], balance=a["balance"])
    return k


def rand_account(rng, m):
    bals = []
    for a in m["assets"]:
        bals.append(0 if rng.random() < 0.25 else
                    min(rng.randrange(0, 10**4) * 10 ** a["decimals"] + rng.randrange(10**6),
                        a["total_supply"]))
    acct = {"principal": 0, "balances": bals}
    f = ref.figures(m, acct)
    # a debt near the liquidation or the borrow line, or anywhere
    line = rng.choice([f["liquidate_collateral_value"], f["borrow_collateral_value"],
                       rng.randrange(0, 2 * f["collateral_value"] + 2)])
    debt_value = line + rng.choice([-2, -1, 0, 1, 2, rng.randrange(-10**9, 10**9)])
    debt = max(debt_value, 0) * 10 ** m["decimals"] // m["price"]
    debt += rng.randrange(-3, 4)
    p = ref.principal_value(m, -max(debt, 0)) if rng.random() < 0.9 else rng.randrange(0, 10**12)
    acct["principal"] = p
    return acct


def keel_account(k, acct):
    return CometAccount(k, principal=acct["principal"],
                        collateral={j: b for j, b in enumerate(acct["balances"]) if b})


def revert_of(fn):
    try:
        return fn(), None
    except ref.Revert as e:
        return None, e.name


def keel_revert_of(fn):
    try:
        return fn(), None
    except CometRevert as e:
        return None, e.reason


def panic_name(name):
    # keel names the panics with their text; the reference with the code
    return name.split(":")[0] if name else name


def test_liquidity_absorb_buy_on_random_accounts():
    rng = random.Random(20261130)
    seen = {"liquidatable": 0, "absorbed": 0, "deficit": 0, "buy_ok": 0, "buy_revert": 0}
    for n in range(N_ACCOUNTS):
        if n % 50 == 0:
            m = rand_market(rng)
            k = to_keel(m)
        acct = rand_account(rng, m)
        a = keel_account(k, acct)
        f = ref.figures(m, acct)
        got = a.liquidity()
        for key, v in f.items():
            assert getattr(got, key) == v, (n, key)
        assert got.is_liquidatable == ref.is_liquidatable(m, acct)
        assert got.is_borrow_collateralized == ref.is_borrow_collateralized(m, acct)
        # the complete sums give the early-exit loop's verdicts
        assert (acct["principal"] < 0 and f["liquidation_liquidity"] < 0) == ref.is_liquidatable(m, acct)
        seen["liquidatable"] += got.is_liquidatable
        want, why = revert_of(lambda: ref.absorb(m, acct))
        have, kwhy = keel_revert_of(lambda: a.absorb())
        assert panic_name(kwhy) == why, (n, kwhy, why)
        if want is not None:
            seen["absorbed"] += 1
            seen["deficit"] += want["deficit"] > 0
            for key, v in want.items():
                assert getattr(have, key) == v, (n, key)
        j = rng.randrange(len(m["assets"]))
        base_amount = rng.choice([0, 1, rng.randrange(10 ** m["decimals"] * 10**4)])
        min_amount = rng.choice([0, 0, rng.randrange(10**20)])
        want, why = revert_of(lambda: ref.buy_collateral(m, j, min_amount, base_amount))
        have, kwhy = keel_revert_of(lambda: k.buy_collateral(j, base_amount, min_amount))
        assert panic_name(kwhy) == why, (n, kwhy, why)
        if want is not None:
            seen["buy_ok"] += 1
            assert have.__dict__ == want
        else:
            seen["buy_revert"] += 1
        a.close()
    assert seen["liquidatable"] > 300 and seen["absorbed"] > 200 and seen["deficit"] > 10
    assert seen["buy_ok"] > 100 and seen["buy_revert"] > 100


def test_present_principal_and_accrual():
    rng = random.Random(7)
    for n in range(300):
        m = rand_market(rng)
        k = to_keel(m)
        for _ in range(10):
            p = rng.randrange(-(2**90), 2**90)
            assert k.present_value(p) == ref.present_value(m, p)
            v = rng.randrange(-(2**90), 2**90)
            assert k.principal_value(v) == ref.principal_value(m, v)
        r = k.rates()
        util = ref.utilization(m)
        assert (r.utilization, r.supply_rate, r.borrow_rate) == (
            util, ref.supply_rate(m, util), ref.borrow_rate(m, util))
        assert r.reserves == ref.reserves(m)
        now = m["last_accrual_time"] + rng.choice([0, 1, 12, 86_400, 31_536_000])
        m2 = ref.accrue(m, now)
        k.accrue(now)
        b = k.base()
        assert (b["supply_index"], b["borrow_index"]) == (m2["supply_index"], m2["borrow_index"])


def test_keeper_answers_on_random_accounts():
    rng = random.Random(424242)
    for n in range(N_KEEPER):
        if n % 40 == 0:
            m = rand_market(rng)
            m["pause"] = rng.choice([0] * 6 + [1, 4])
            k = to_keel(m)
        acct = rand_account(rng, m)
        a = keel_account(k, acct)
        line = rng.choice(["borrow", "liquidate"])
        target = rng.choice([WAD, WAD + 1, 11 * WAD // 10, 2 * WAD])
        # repay
        want, why = revert_of(lambda: ref.repay_to_target(m, acct, line, target))
        if why:
            with pytest.raises(KeelError, match="Paused"):
                a.repay_to_target(target, line)
        else:
            got = a.repay_to_target(target, line)
            assert got == want, n
            pv = ref.present_value(m, acct["principal"])
            assert ref.meets(m, ref.with_principal(acct, ref.principal_value(m, pv + got)), line, target)
            if got > 0:
                assert not ref.meets(m, ref.with_principal(acct, ref.principal_value(m, pv + got - 1)),
                                     line, target)
        # supply collateral
        j = rng.randrange(len(m["assets"]))
        want, why = revert_of(lambda: ref.supply_to_target(m, acct, j, line, target))
        if why or want is None:
            with pytest.raises(KeelError):
                a.supply_to_target(j, target, line)
        else:
            got = a.supply_to_target(j, target, line)
            assert got == want, n
            b = acct["balances"][j]
            assert ref.meets(m, ref.with_balance(acct, j, b + got), line, target)
            if got > 0:
                assert not ref.meets(m, ref.with_balance(acct, j, b + got - 1), line, target)
        # withdraw and borrow
        floor = rng.choice([0, WAD, 12 * WAD // 10])
        got = a.max_withdraw(j, floor)
        assert got == ref.max_withdraw(m, acct, j, floor), n
        if got and not m["pause"] & 4 and acct["principal"] < 0:
            b = acct["balances"][j]
            assert ref.is_borrow_collateralized(m, ref.with_balance(acct, j, b - got))
        got = a.max_borrow(floor)
        assert got == ref.max_borrow(m, acct, floor), n
        # liquidation price
        d, p, _now = a.liquidation_price(j)
        assert (d, p) == ref.liquidation_price(m, acct, j), n
        if d:
            assert ref.is_liquidatable(m, acct, {j: p})
            assert not ref.is_liquidatable(m, acct, {j: p + 1})
        a.close()


def test_bridge_health_factor_equals_the_chain():
    """keel's double health factor on the bridged objects is liquidate_collateral_value /
    debt value to within the contract's floors; the verdicts agree away from the line."""
    rng = random.Random(99)
    checked = 0
    for n in range(400):
        if n % 20 == 0:
            m = rand_market(rng)
            k = to_keel(m)
        acct = rand_account(rng, m)
        if acct["principal"] >= 0:
            continue
        f = ref.figures(m, acct)
        if f["base_value"] == 0 or f["liquidate_collateral_value"] < 10**6:
            continue
        a = keel_account(k, acct)
        km, kb, kh = a.to_keel()
        hf_chain = f["liquidate_collateral_value"] / -f["base_value"]
        hf = kb.metrics(km, kh).health_factor
        assert hf == pytest.approx(hf_chain, rel=1e-9), n
        if abs(hf_chain - 1) > 1e-6:
            assert (hf < 1) == a.liquidity().is_liquidatable
        checked += 1
        for o in (km, kb, kh, a):
            o.close()
    assert checked > 100
