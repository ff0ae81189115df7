"""Random differential checks of the protocol-exact backtests and the Morpho keeper answers
(review16b). Deterministic seeds.

1. keel_sim_set_comet / keel_sim_set_morpho liquidate exactly when the protocol layer says
   so for the account read as include/keel/sim.h describes (Comet: prices round(p * 1e8),
   at least 1; balances in wei to the nearest; principal = principalValue of the base
   balance. Morpho: oracle round(1e36 * p_coll / p_loan * 10^loan_dec / 10^coll_dec), the
   debt joining the market's borrow totals as toSharesUp shares), on one-step paths whose
   prices straddle each account's liquidation line (down to 1e-12 relative), and the state
   after a liquidation (final equity, bonus lost) equals the protocol's quote
   (CometAccount.absorb, MorphoMarket.best_liquidation) at those prices.
2. The Morpho keeper answers are their boundaries: the amount meets its target, one unit
   less (minima) or more (maxima) does not, checked with position_data on the position and
   market Morpho would leave (repay's and borrow's share rounding and totals).

Markets here have ordinary share prices (about 10^-6 asset per share); a market whose
shares are worth more than a wei each is in test_review16b.py."""
from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np

from keel import CostModel, InfeasibleError, Simulation
from keel.comet import CometAccount, CometMarket
from keel.morpho import MorphoMarket, MorphoPosition, MorphoRevert, convert

WAD = 10**18
EPS = [0.0, 1e-9, -1e-9, 3e-10, -3e-10, 1e-12, -1e-12, 1e-6, -1e-6, 1e-3, -1e-3, 0.05, -0.05]


def _close(got, want):
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-9 * (1 + abs(want)))


# ---- Compound v3 ----------------------------------------------------------------------

def _p8(p):
    return max(1, round(p * 1e8))


def _comet_account(rng):
    bdec = rng.choice([6, 8, 18])
    pb = rng.choice([1.0, rng.uniform(0.5, 3000)])
    m = CometMarket("BASE", decimals=bdec, price=_p8(pb),
                    supply_index=rng.randint(10**15, 12 * 10**14),
                    borrow_index=rng.randint(10**15, 15 * 10**14),
                    total_supply_base=10**20, total_borrow_base=10**18, base_balance=10**20)
    a = CometAccount(m)
    value = 0.0
    for i in range(rng.randint(1, 3)):
        dec = rng.choice([0, 6, 8, 18])
        p = rng.choice([rng.uniform(0.01, 100), rng.uniform(100, 70000)])
        lcf = rng.randint(50, 95) * 10**16
        m.add_asset(f"C{i}", decimals=dec, price=_p8(p),
                    borrow_collateral_factor=lcf - rng.randint(1, 10) * 10**15,
                    liquidate_collateral_factor=lcf, liquidation_factor=rng.randint(80, 100) * 10**16,
                    supply_cap=10**15 * 10**dec)
        bal = max(1, int(rng.uniform(0.01, 1000) * (1 if p < 100 else 0.01) * 10**dec))
        a.set_collateral(i, bal)
        value += bal / 10**dec * p * lcf / WAD
    debt = value * rng.uniform(0.7, 1.3) / pb
    a.principal = m.principal_value(-max(1, int(debt * 10**bdec)))
    return m, a


def _comet_reading(m, syms, base_i, units, qc, qd, pr):
    """The account as sim.h reads it at prices `pr` (a Comet market and account)."""
    mm = m.clone()
    mm.set_price(None, _p8(pr[base_i]))
    for i, s in enumerate(syms):
        if i != base_i:
            mm.set_price(s, _p8(pr[i]))
    net = qc[base_i] - qd[base_i]
    bal = round(abs(net) * units[base_i])
    princ = mm.principal_value(-bal if net < 0 else bal)
    b = mm.base()
    if princ < 0:
        mm.set_base(total_borrow_base=b["total_borrow_base"] - princ)
    else:
        mm.set_base(total_supply_base=b["total_supply_base"] + princ)
    acc = CometAccount(mm, principal=princ)
    for i, s in enumerate(syms):
        if i != base_i:
            q = round(qc[i] * units[i])
            acc.set_collateral(s, q)
            mm.set_asset(s, total_supply_asset=mm.asset(s)["total_supply_asset"] + q)
    return mm, acc


def _check_comet(seed):
    rng = random.Random(seed)
    m, a = _comet_account(rng)
    km, kb, kh = a.to_keel()
    syms = km.symbols
    n, base_i = len(syms), syms.index("BASE")
    units = [10**(m.base()["decimals"] if s == "BASE" else m.asset(s)["decimals"]) for s in syms]
    qc = [kb.collateral(i) for i in range(n)]
    qd = [kb.debt(i) for i in range(n)]
    sigma = sum(qc[i] * km.price(i) * m.asset(syms[i])["liquidate_collateral_factor"] / WAD
                for i in range(n) if i != base_i)
    pb = km.price(base_i) * (rng.uniform(0.9, 1.1) if rng.random() < 0.3 else 1.0)
    line = (qd[base_i] - qc[base_i]) * pb / sigma  # the collaterals' common price factor
    paths = [[pb if i == base_i else km.price(i) * line * (1 + e) for i in range(n)]
             for e in EPS + [rng.uniform(-0.2, 0.2) for _ in range(3)]]
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    sim.set_paths(list(range(n)), np.array([[p] for p in paths]))
    sim.set_comet(m)
    seen = set()
    for k, pr in enumerate(paths):
        s = sim.run(k, 1).summary
        mm, acc = _comet_reading(m, syms, base_i, units, qc, qd, pr)
        liq = acc.liquidity().is_liquidatable
        seen.add(liq)
        assert s.mean_liquidations == (1.0 if liq else 0.0), (seed, k, pr)
        if liq:
            q = acc.absorb()
            eq = q.new_balance / units[base_i] * pr[base_i]
            bl = sum(q.seized.get(mm.find(syms[i]), 0) / units[i] * pr[i]
                     for i in range(n) if i != base_i) - q.delta_balance / units[base_i] * pr[base_i]
        else:
            eq, bl = sum(qc[i] * pr[i] for i in range(n)) - qd[base_i] * pr[base_i], 0.0
        assert _close(s.mean_final_equity, eq), (seed, k, s.mean_final_equity, eq)
        assert _close(s.mean_bonus_lost, bl), (seed, k, s.mean_bonus_lost, bl)
    return seen


def test_comet_backtest_liquidates_exactly_at_the_protocols_line():
    seen = set()
    for seed in range(300):
        seen |= _check_comet(seed)
    assert seen == {True, False}


# ---- Morpho Blue ----------------------------------------------------------------------

def _morpho_account(rng):
    ld, cd = rng.choice([6, 8, 18]), rng.choice([6, 8, 18])
    pc = rng.choice([rng.uniform(0.01, 100), rng.uniform(100, 70000)])
    pl = rng.choice([1.0, rng.uniform(0.5, 3000)])
    lltv = rng.choice([385, 625, 770, 860, 915, 945, 965, 980]) * 10**15
    price = round(pc / pl * 10**ld / 10**cd * 10**36)
    tba = rng.choice([0, rng.randint(1, 10**6) * 10**ld])
    tbs = tba * rng.choice([10**6, 10**6, 999_000, 500_000])
    tsa = tba + rng.randint(0, 10**7) * 10**ld
    m0 = MorphoMarket("LOAN", "COLL", lltv=lltv, price=price, loan_decimals=ld,
                      collateral_decimals=cd, total_supply_assets=tsa,
                      total_supply_shares=tsa * 10**6, total_borrow_assets=tba,
                      total_borrow_shares=tbs)
    coll = max(1, int(rng.uniform(0.01, 1000) * (1 if pc < 100 else 0.01) * 10**cd))
    debt = max(1, int(coll * price // 10**36 * lltv // WAD * rng.uniform(0.7, 1.3)))
    shares = convert("to_shares_up", debt, tba, tbs)
    with_pos = m0.clone()
    with_pos.set_state(total_borrow_assets=tba + debt, total_borrow_shares=tbs + shares,
                       total_supply_assets=max(tsa, tba + debt))
    return m0, with_pos, MorphoPosition(0, shares, coll)


def _check_morpho(seed):
    rng = random.Random(seed)
    m0, with_pos, pos = _morpho_account(rng)
    km, kb, kh = with_pos.to_keel(pos)
    ci, li = km.symbols.index("COLL"), km.symbols.index("LOAN")
    prm, st0 = m0.params, m0.state
    cu, lu = 10**prm.collateral_decimals, 10**prm.loan_decimals
    qc, qd = kb.collateral(ci), kb.debt(li)
    pl = km.price(li) * (rng.uniform(0.9, 1.1) if rng.random() < 0.3 else 1.0)
    line = qd * pl / (qc * prm.lltv / WAD)
    paths = []
    for e in EPS + [-0.6] + [rng.uniform(-0.2, 0.2) for _ in range(3)]:
        pr = [0.0, 0.0]
        pr[ci], pr[li] = line * (1 + e), pl
        paths.append(pr)
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    sim.set_paths([0, 1], np.array([[p] for p in paths]))
    sim.set_morpho(m0)
    seen = set()
    for k, pr in enumerate(paths):
        s = sim.run(k, 1).summary
        # sim.h's reading (the oracle price in the same double steps as the library)
        oracle = round(pr[ci] / pr[li] * float(lu) / float(cu) * 1e36)
        debt, coll = round(qd * lu), round(qc * cu)
        sh = convert("to_shares_up", debt, st0.total_borrow_assets, st0.total_borrow_shares)
        mm = m0.clone()
        tba = st0.total_borrow_assets + debt
        mm.set_state(total_borrow_assets=tba, total_borrow_shares=st0.total_borrow_shares + sh,
                     total_supply_assets=max(st0.total_supply_assets, tba))
        mm.price = oracle
        p = MorphoPosition(0, sh, coll)
        q = None
        if mm.position_data(p).liquidatable:
            try:
                q = mm.best_liquidation(p)
            except MorphoRevert:
                pass
        seen.add(q is not None)
        assert s.mean_liquidations == (0.0 if q is None else 1.0), (seed, k, pr)
        if q is not None:
            owed = (convert("to_assets_up", q.after.borrow_shares, q.total_borrow_assets_after,
                            q.total_borrow_shares_after) if q.after.borrow_shares else 0)
            eq = q.after.collateral / cu * pr[ci] - owed / lu * pr[li]
            bl = (q.seized_value - q.repaid_assets) / lu * pr[li]
        else:
            eq, bl = qc * pr[ci] - qd * pr[li], 0.0
        assert _close(s.mean_final_equity, eq), (seed, k, s.mean_final_equity, eq)
        assert _close(s.mean_bonus_lost, bl), (seed, k, s.mean_bonus_lost, bl)
    return seen


def test_morpho_backtest_liquidates_exactly_at_the_protocols_line():
    seen = set()
    for seed in range(300):
        seen |= _check_morpho(seed)
    assert seen == {True, False}


# ---- Morpho keeper answers at their boundary --------------------------------------------

def _zfs(a, b):
    return a - b if a > b else 0


def _keeper_case(rng):
    ld, cd = rng.choice([6, 8, 18]), rng.choice([6, 8, 18])
    pc, pl = rng.uniform(0.01, 70000), rng.choice([1.0, rng.uniform(0.5, 3000)])
    lltv = rng.choice([385, 625, 770, 860, 915, 945, 965, 980]) * 10**15
    price = round(pc / pl * 10**ld / 10**cd * 10**36)
    tba = rng.randint(0, 10**7) * 10**ld
    tbs = tba * rng.choice([10**6, 999_000, 10**6 - 1, 1, 0]) + rng.randint(0, 10**6)
    coll = max(1, int(rng.uniform(0.001, 100) * 10**cd))
    debt = max(1, int(coll * price // 10**36 * lltv // WAD * rng.uniform(0.5, 1.5)))
    sh = convert("to_shares_up", debt, tba, tbs)
    tba, tbs = tba + debt, tbs + sh
    tsa = tba + rng.randint(0, 10**7) * 10**ld
    m = MorphoMarket("L", "C", lltv=lltv, price=price, loan_decimals=ld, collateral_decimals=cd,
                     total_supply_assets=tsa, total_supply_shares=tsa * 10**6,
                     total_borrow_assets=tba, total_borrow_shares=tbs)
    return m, MorphoPosition(0, sh, coll)


def _data(m, pos, tba, tbs):
    mm = m.clone()
    mm.set_state(total_borrow_assets=tba, total_borrow_shares=tbs)
    return mm.position_data(pos)


def _repaid(m, pos, amount, unit):
    """position_data after Morpho.repay (None where it reverts: more shares than held)."""
    st = m.state
    if unit == "assets":
        s, a = convert("to_shares_down", amount, st.total_borrow_assets,
                       st.total_borrow_shares), amount
    else:
        s, a = amount, convert("to_assets_up", amount, st.total_borrow_assets,
                               st.total_borrow_shares)
    if s > pos.borrow_shares:
        return None
    return _data(m, MorphoPosition(0, pos.borrow_shares - s, pos.collateral),
                 _zfs(st.total_borrow_assets, a), st.total_borrow_shares - s)


def _borrow_ok(m, pos, a, floor):
    st = m.state
    s = convert("to_shares_up", a, st.total_borrow_assets, st.total_borrow_shares)
    tba, tbs = st.total_borrow_assets + a, st.total_borrow_shares + s
    if tba > st.total_supply_assets or tba >= 2**128 or tbs >= 2**128:
        return False
    d = _data(m, MorphoPosition(0, pos.borrow_shares + s, pos.collateral), tba, tbs)
    return d.healthy and d.health_factor >= max(floor, WAD)


def test_morpho_keeper_answers_are_their_boundaries():
    for seed in range(1500):
        rng = random.Random(seed)
        m, pos = _keeper_case(rng)
        tgt = rng.choice([WAD, WAD + 1, 105 * 10**16, 15 * 10**17, rng.randint(WAD, 3 * WAD)])
        for unit in ("assets", "shares"):
            try:
                a = m.repay_to_target(pos, Fraction(tgt, WAD), unit)
            except InfeasibleError:
                if unit == "shares":  # repaying every share misses too
                    assert _repaid(m, pos, pos.borrow_shares, "shares").health_factor < tgt
                continue
            d = _repaid(m, pos, a, unit)
            assert d is not None and d.health_factor >= tgt, (seed, unit, a)
            if a:
                d = _repaid(m, pos, a - 1, unit)
                assert d is None or d.health_factor < tgt, (seed, unit, a)

        def hf_with(c):
            return m.position_data(MorphoPosition(0, pos.borrow_shares,
                                                  pos.collateral + c)).health_factor
        c = m.collateral_to_target(pos, Fraction(tgt, WAD))
        assert hf_with(c) >= tgt and (c == 0 or hf_with(c - 1) < tgt), (seed, c)

        fl = rng.choice([WAD, 12 * 10**17, 0])

        def withdraw_ok(w):
            if w > pos.collateral:
                return False
            d = m.position_data(MorphoPosition(0, pos.borrow_shares, pos.collateral - w))
            return d.healthy and d.health_factor >= max(fl, WAD)
        w = m.max_withdraw_collateral(pos, Fraction(fl, WAD))
        assert (w == 0 or withdraw_ok(w)) and not withdraw_ok(w + 1), (seed, w)
        b = m.max_borrow(pos, Fraction(fl, WAD))
        assert (b == 0 or _borrow_ok(m, pos, b, fl)) and not _borrow_ok(m, pos, b + 1, fl), \
            (seed, b)
        lp = m.liquidation_price(pos)
        mm = m.clone()
        mm.price = lp
        assert mm.position_data(pos).liquidatable, (seed, lp)
        mm.price = lp + 1
        assert mm.position_data(pos).healthy, (seed, lp)
