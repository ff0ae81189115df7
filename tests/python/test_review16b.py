"""Review 16b of issue 16 (Comet / Morpho backtests, Morpho keepers, keel.protocols.compare):
regression tests for the bugs found. Each says what the protocol (or the API's own
documentation) gives and what keel gave at review time (fixed since: the Morpho
pre-filter counts the shares' rounding; compare names what it seizes and reports a
liquidation due now)."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from keel import CostModel, Simulation
from keel.aave import AaveAccount, AaveMarket
from keel.comet import CometAccount
from keel.morpho import MorphoMarket, MorphoPosition, convert
from keel.protocols import compare

E18 = 10**18
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


def test_morpho_backtest_liquidates_when_the_read_shares_make_the_position_unhealthy():
    # sim.h: the account's debt joins the market's borrow totals as toSharesUp shares and
    # _isHealthy decides exactly. In a market whose borrow shares are worth ~0.5 USDC each
    # (1M USDC for 1e6 shares), a 1.2 USDC debt is 3 shares = 1.5 USDC borrowed, above the
    # 0.001 WETH * 1,500 * 0.86 = 1.29 USDC max borrow: liquidatable. keel's run did not
    # liquidate: liquidator_morpho.c's may_be_liquidatable pre-filter (debt in double,
    # a 4-wei allowance) leaves out the shares' rounding, up to a share's worth of assets.
    tba, tbs = 10**12, 10**6
    m0 = MorphoMarket("USDC", "WETH", lltv=86 * 10**16, price=2 * 10**27, loan_decimals=6,
                      collateral_decimals=18, total_supply_assets=2 * 10**12,
                      total_supply_shares=2 * 10**18, total_borrow_assets=tba,
                      total_borrow_shares=tbs)
    km, kb, kh = m0.to_keel(MorphoPosition(0, 0, 10**15))  # 0.001 WETH
    kb.set_debt(km.find("USDC"), 1.2)
    p = 1500.0
    d = 1_200_000
    s = convert("to_shares_up", d, tba, tbs)
    assert s == 3
    mm = m0.clone()
    mm.set_state(total_borrow_assets=tba + d, total_borrow_shares=tbs + s)
    mm.price = round(p / 1.0 * 10**6 / 10**18 * 1e36)
    pd = mm.position_data(MorphoPosition(0, s, 10**15))
    assert (pd.borrow_assets, pd.max_borrow, pd.liquidatable) == (1_500_000, 1_290_000, True)
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    sim.set_paths([km.find("WETH"), km.find("USDC")], np.array([[[p, 1.0]]]))
    sim.set_morpho(m0)
    assert sim.run(0, 1).summary.mean_liquidations == 1.0  # keel: 0.0


def _aave_market():
    sys.path.insert(0, str(EXAMPLES))
    try:
        from compare_protocols import DATA
    finally:
        sys.path.pop(0)
    return AaveMarket.from_report(DATA, version="3.6")


def test_compare_collateral_taken_is_in_the_named_collateral():
    # VenueReport.collateral_taken is "collateral tokens" of `collateral`. An Aave account
    # holding 100 wstETH and 20,000 LINK against 140 WETH: at wstETH's liquidation price
    # the best liquidation call seizes LINK (7% bonus), and compare reported its 12,259.9
    # LINK as "collateral_taken" -- 122 times the wstETH the account holds (the example's
    # table would print "takes 12259.899 wstETH"). Expected: the wstETH taken (0 here),
    # or the report naming the asset taken.
    a = AaveAccount(_aave_market())
    a.set_position("wstETH", supply=100 * E18)
    a.set_position("LINK", supply=20_000 * E18)
    a.set_position("WETH", debt=140 * E18)
    r = compare({"aave": a}, "wstETH", "WETH")[0]
    assert r.liquidation_price is not None
    assert r.collateral_taken <= 100.0  # keel: 12259.898803421089
    assert r.seized.get("LINK", 0.0) > 12_000  # what the call takes, named


def test_compare_reports_the_liquidation_of_an_account_liquidatable_now():
    # A Comet account owing 160 WETH against 100 rETH (liquidate CF 0.93 at 1.07 ETH: 99.5
    # WETH) is liquidatable now; compare(..., "wstETH", "WETH") on it (it holds no wstETH,
    # so no wstETH price flips it) reported liquidatable=True with a first liquidation
    # taking nothing, clearing nothing and a penalty of 0 -- whereas absorb, now, takes the
    # 100 rETH and keeps 5% of it (5.35 WETH). A risk team reads "no liquidation cost".
    sys.path.insert(0, str(EXAMPLES))
    try:
        from compare_protocols import venues
    finally:
        sys.path.pop(0)
    cm = venues()["Compound v3 cWETHv3"].market.clone()
    cm.add_asset("rETH", decimals=18, price=107 * 10**6, borrow_collateral_factor=90 * 10**16,
                 liquidate_collateral_factor=93 * 10**16, liquidation_factor=95 * 10**16,
                 supply_cap=10**22, total_supply_asset=1000 * E18, balance=1000 * E18)
    c = CometAccount(cm, principal=-160 * E18)
    c.set_collateral("rETH", 100 * E18)
    assert c.liquidity().is_liquidatable
    q = c.absorb()
    assert (sum(q.seized_value.values()) - q.delta_value) / 10**8 == pytest.approx(5.35)
    r = compare({"comet": c}, "wstETH", "WETH")[0]
    assert r.liquidatable
    assert r.penalty == pytest.approx(5.35)  # keel: 0.0 (and debt_cleared 0.0)
    # liquidatable whatever wstETH is worth: the liquidation is now, at every price of it
    assert r.liquidation_price == float("inf") and r.seized == {"rETH": 100.0}
