"""Backtests under Compound v3's and Morpho Blue's own liquidation rules
(keel_sim_set_comet, keel_sim_set_morpho). Expected values are worked here by hand from
the contracts' formulas (Comet.sol absorbInternal at compound-finance/comet d5a30b0;
Morpho.sol liquidate at morpho-org/morpho-blue v1.0.0), in Python integers."""
from __future__ import annotations

import numpy as np
import pytest

from keel import (BadHandleError, CostModel, NullArgError, OutOfRangeError, Simulation,
                  UnknownAssetError)
from keel.aave import AaveMarket
from keel.comet import CometAccount, CometMarket
from keel.morpho import MorphoMarket, MorphoPosition

WAD = 10**18


# ---- Compound v3 ----------------------------------------------------------------------

def _comet():
    """USDC base (6 decimals, $1), WETH collateral: borrow CF 0.825, liquidate CF 0.895,
    liquidation factor 0.95 (cUSDCv3's WETH terms, deployments/mainnet/usdc)."""
    m = CometMarket("USDC", decimals=6, price=10**8, total_supply_base=10**15,
                    base_balance=10**15, target_reserves=10**12)
    m.add_asset("WETH", decimals=18, price=2000 * 10**8, borrow_collateral_factor=825 * 10**15,
                liquidate_collateral_factor=895 * 10**15, liquidation_factor=950 * 10**15,
                supply_cap=10**30)
    a = CometAccount(m, principal=-1800 * 10**6)  # index 1: principal = balance
    a.set_collateral("WETH", 10**18)
    return m, a


def _comet_run(m, a, weth_price, steps=1):
    km, kb, kh = a.to_keel()
    assert km.symbols == ["USDC", "WETH"]
    sim = Simulation(km, kb, kh, CostModel(), steps=steps)
    sim.set_paths([0, 1], np.array([[[1.0, p] for p in weth_price]]))
    sim.set_comet(m)
    return sim.run(0, 1).summary


def test_comet_absorbs_below_the_line_and_not_above():
    m, a = _comet()
    # isLiquidatable at price P (8 decimals): floor(floor(1e18 · P / 1e18) · 0.895e18 / 1e18)
    # < 1800e6 · 1e8 / 1e6 = 180,000,000,000. P = 2011.17: 179,999,715,000 (absorbed);
    # P = 2011.18: 180,000,610,000 (not).
    for p8, absorbed in ((201117000000, True), (201118000000, False)):
        assert (p8 * 895 * 10**15 // WAD < 1800 * 10**8) == absorbed
    s = _comet_run(m, a, [2011.17])
    assert s.mean_liquidations == 1.0
    # absorb: the WETH credited at 0.95 -> 201,117,000,000 · 0.95 = 191,061,150,000 price
    # units = 1,910.61150 USDC; balance -1,800 + 1,910.6115 = +110.6115 USDC held
    credit = 201117000000 * 950 * 10**15 // WAD * 10**6 // 10**8  # base wei
    assert credit == 1910611500
    assert s.mean_final_equity == pytest.approx((credit - 1800 * 10**6) / 1e6, rel=1e-12)
    # the cut: 2,011.17 taken less 1,910.6115 credited
    assert s.mean_bonus_lost == pytest.approx(2011.17 - credit / 1e6, rel=1e-12)
    s = _comet_run(m, a, [2011.18])
    assert s.mean_liquidations == 0.0
    assert s.mean_final_equity == pytest.approx(2011.18 - 1800, rel=1e-12)


def test_comet_absorb_with_a_deficit_leaves_nothing():
    m, a = _comet()
    # at 1,500: the credit 1,425 USDC does not cover the 1,800 debt: the balance is floored
    # at 0, the 375 USDC deficit is the reserves'; the bonus lost is 1,500 - 1,425 = 75
    s = _comet_run(m, a, [1500.0])
    assert s.mean_liquidations == 1.0
    assert s.mean_final_equity == 0.0
    assert s.mean_bonus_lost == pytest.approx(75.0, rel=1e-12)


def test_comet_absorbs_once_then_holds():
    m, a = _comet()
    s = _comet_run(m, a, [2100.0, 2000.0, 1900.0], steps=3)
    # 2,100 · 0.895 = 1,879.5 >= 1,800; at 2,000: 1,790 < 1,800: absorbed, leaving
    # 2,000 · 0.95 - 1,800 = 100 USDC and no debt; nothing is left to absorb at 1,900
    assert s.mean_liquidations == 1.0
    assert s.mean_final_equity == pytest.approx(100.0, rel=1e-12)


def test_comet_rules_refuse_bad_mappings():
    m, a = _comet()
    km, kb, kh = a.to_keel()
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    with pytest.raises(OutOfRangeError, match="both the base"):
        sim.set_comet(m, [None, None])
    with pytest.raises(OutOfRangeError, match="given to two assets"):
        sim.set_comet(m, [0, 0])
    m.add_asset("WBTC", decimals=8, price=60000 * 10**8, borrow_collateral_factor=7 * 10**17,
                liquidate_collateral_factor=77 * 10**16, liquidation_factor=95 * 10**16,
                supply_cap=10**20)
    with pytest.raises(OutOfRangeError, match="no asset is the base"):
        sim.set_comet(m, [1, 0])
    with pytest.raises(UnknownAssetError):
        sim.set_comet(m, [None, 5])
    with pytest.raises(OutOfRangeError, match="n is 1"):
        sim.set_comet(m, [None])
    with pytest.raises(TypeError):
        sim.set_comet(AaveMarket())
    # the account owes WETH: Comet lends only its base
    km2, kb2, kh2 = a.to_keel()
    kb2.add_debt(1, 0.1)
    sim2 = Simulation(km2, kb2, kh2, CostModel(), steps=1)
    with pytest.raises(OutOfRangeError, match="lends only its base"):
        sim2.set_comet(m)
    # nothing changed: the default liquidator still runs (keel's HF at 2,011.17 is
    # 2,011.17 · 0.895 / 1,800 < 1 with the bridge's haircuts, so it liquidates)
    sim.set_paths([0, 1], np.array([[[1.0, 2011.17]]]))
    assert sim.run(0, 1).summary.mean_liquidations == 1.0


# ---- Morpho Blue ----------------------------------------------------------------------

def _morpho():
    """USDC loan (6 decimals), WETH collateral (18), LLTV 86%, oracle at 2,000 USDC:
    price = 2000e6 / 1e18 · 1e36 = 2e27. Totals: 1M USDC supplied, nothing else borrowed."""
    m = MorphoMarket("USDC", "WETH", lltv=86 * 10**16, price=2 * 10**27, loan_decimals=6,
                     collateral_decimals=18, total_supply_assets=10**12,
                     total_supply_shares=10**18)
    pos = MorphoPosition(0, 1700 * 10**12, 10**18)  # 1,700 USDC borrowed (10^6 shares each)
    with_pos = m.clone()
    with_pos.set_state(total_borrow_assets=1700 * 10**6, total_borrow_shares=1700 * 10**12)
    return m, with_pos, pos


def _morpho_run(m, with_pos, pos, weth_price):
    km, kb, kh = with_pos.to_keel(pos)
    assert km.symbols == ["WETH", "USDC"]
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    sim.set_paths([0, 1], np.array([[[weth_price, 1.0]]]))
    sim.set_morpho(m)
    return sim.run(0, 1).summary


def test_morpho_liquidates_below_the_line_and_not_above():
    m, with_pos, pos = _morpho()
    # healthy iff floor(floor(1e18 · price / 1e36) · 0.86) >= 1,700e6: at 1,977 USDC
    # 1,700.22e6 >= (healthy), at 1,976 1,699.36e6 < (liquidated)
    s = _morpho_run(m, with_pos, pos, 1977.0)
    assert s.mean_liquidations == 0.0
    s = _morpho_run(m, with_pos, pos, 1976.0)
    assert s.mean_liquidations == 1.0
    # LIF = min(1.15, 1 / (1 - 0.3 · (1 - 0.86))) in wad: WAD · WAD // (WAD - 0.042e18)
    lif = WAD * WAD // (WAD - 3 * 10**17 * 14 * 10**16 // WAD)
    assert lif == 1043841336116910229
    # repaying all 1,700e12 shares (1,700e6 assets) seizes
    # floor(floor(1,700e6 · LIF / 1e18) · 1e36 / 1.976e27) wei of WETH
    price = 1976 * 10**27 // 1000
    seized = (1700 * 10**6 * lif // WAD) * 10**36 // price
    value = seized * price // 10**36  # loan wei
    # the best liquidation seizes at least that (a seizure given in assets may take a few
    # wei more for the same shares); the account keeps the rest and owes nothing
    assert s.mean_final_equity == pytest.approx((10**18 - seized) / 1e18 * 1976.0, abs=1e-9)
    assert s.mean_bonus_lost == pytest.approx((value - 1700 * 10**6) / 1e6, abs=1e-5)


def test_morpho_bad_debt_when_collateral_runs_out():
    m, with_pos, pos = _morpho()
    # at 1,000 USDC the 1 WETH is worth 1,000 < 1,700 · LIF: every wei is seized for
    # floor(1e18 · 1e27 / 1e36 / LIF) USDC-wei of shares and the rest is bad debt
    s = _morpho_run(m, with_pos, pos, 1000.0)
    assert s.mean_liquidations == 1.0
    assert s.mean_final_equity == 0.0  # no collateral, no debt left
    lif = 1043841336116910229
    repaid = 10**9 * WAD // lif  # ~958 USDC repaid for 1,000 USDC of WETH (rounding aside)
    assert s.mean_bonus_lost == pytest.approx((10**9 - repaid) / 1e6, abs=1e-5)


def test_morpho_rules_refuse_bad_mappings_and_replace_others():
    m, with_pos, pos = _morpho()
    km, kb, kh = with_pos.to_keel(pos)
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    with pytest.raises(OutOfRangeError, match="same asset"):
        sim.set_morpho(m, 1, 1)
    with pytest.raises(UnknownAssetError):
        sim.set_morpho(m, 0, 7)
    with pytest.raises(UnknownAssetError):
        sim.set_morpho(m, "WBTC")
    with pytest.raises(OutOfRangeError, match="lends only its loan"):
        sim.set_morpho(m, "USDC", "WETH")  # the account owes USDC, not WETH
    with pytest.raises(TypeError):
        sim.set_morpho(CometMarket("USDC"))
    # Morpho's rules replace Comet's and back: the last set decides
    cm, _ = _comet()
    sim.set_paths([0, 1], np.array([[[1976.0, 1.0]]]))
    sim.set_morpho(m)
    assert sim.run(0, 1).summary.mean_bonus_lost == pytest.approx(74.53, abs=0.01)
    sim.set_morpho(None)  # the default liquidator: keel's HF 1976 · 0.86 / 1700 < 1 too
    assert sim.run(0, 1).summary.mean_liquidations == 1.0


def test_bad_handles():
    m, with_pos, pos = _morpho()
    km, kb, kh = with_pos.to_keel(pos)
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    m.close()
    with pytest.raises((BadHandleError, NullArgError, ValueError)):
        sim.set_morpho(m)
