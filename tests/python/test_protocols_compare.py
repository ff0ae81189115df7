"""keel.protocols.compare: one position on Aave v3 (with and without e-mode), Compound v3
and Morpho Blue. Expected figures are closed forms of each protocol's rules, worked here
from the parameters (exact rationals), not keel's output:

- liquidation price p* = debt / (collateral · line), the line being Aave's threshold,
  Comet's liquidate collateral factor, Morpho's LLTV (to the oracle's unit);
- Aave's first liquidation below HF 0.95..1 repays the close factor, half the debt, and
  takes it times the bonus; Comet's absorb takes everything and credits it at the
  liquidation factor; Morpho's repays everything and takes it times
  LIF = min(1.15, 1 / (1 - 0.3 (1 - LLTV)))."""
from __future__ import annotations

import math
import runpy
from fractions import Fraction as F
from pathlib import Path

import pytest

from keel import CostModel, NotFoundError
from keel.aave import AaveAccount, AaveMarket
from keel.comet import CometAccount, CometMarket
from keel.morpho import MorphoMarket, MorphoPosition
from keel.protocols import compare

E18 = 10**18
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"


def _venues():
    """10 WETH (price 2,000) against 12,000 USDC (price 1) on each venue."""
    am = AaveMarket("3.6")
    am.add_reserve("WETH", decimals=18, ltv=8050, liquidation_threshold=8300,
                   liquidation_bonus=10500, liquidation_protocol_fee=1000, price=2000 * 10**8)
    am.add_reserve("USDC", decimals=6, ltv=7700, liquidation_threshold=8000,
                   liquidation_bonus=10450, price=10**8)
    am.set_emode(1, ltv=9000, liquidation_threshold=9300, liquidation_bonus=10100,
                 collateral=["WETH"], borrowable=["USDC"])
    plain, emode = AaveAccount(am), AaveAccount(am, emode=1)
    for a in (plain, emode):
        a.set_position("WETH", supply=10 * E18)
        a.set_position("USDC", debt=12_000 * 10**6, collateral=False)
    cm = CometMarket("USDC", decimals=6, price=10**8, total_supply_base=10**14,
                     total_borrow_base=10**13, base_balance=10**14, target_reserves=10**12)
    cm.add_asset("WETH", decimals=18, price=2000 * 10**8, borrow_collateral_factor=825 * 10**15,
                 liquidate_collateral_factor=895 * 10**15, liquidation_factor=95 * 10**16,
                 supply_cap=10**24, total_supply_asset=10**21, balance=10**21)
    c = CometAccount(cm, principal=-12_000 * 10**6)
    c.set_collateral("WETH", 10 * E18)
    mm = MorphoMarket("USDC", "WETH", lltv=86 * 10**16, price=2 * 10**27, loan_decimals=6,
                      collateral_decimals=18, total_supply_assets=10**12,
                      total_supply_shares=10**18, total_borrow_assets=12_000 * 10**6,
                      total_borrow_shares=12_000 * 10**12)
    m = (mm, MorphoPosition(0, 12_000 * 10**12, 10 * E18))
    return {"aave": plain, "aave-e": emode, "comet": c, "morpho": m}


def test_compare_against_closed_forms():
    rows = {r.venue: r for r in compare(_venues(), "WETH", "USDC", target=1.5)}
    debt, coll = F(12_000), F(10)
    # (oracle unit in USDC per WETH, the floored value's unit in USDC)
    for venue, line, unit, floor in (("aave", F(83, 100), F(1, 10**8), F(1, 10**8)),
                                     ("aave-e", F(93, 100), F(1, 10**8), F(1, 10**8)),
                                     ("comet", F(895, 1000), F(1, 10**8), F(1, 10**8)),
                                     ("morpho", F(86, 100), F(1, 10**24), F(1, 10**6))):
        r = rows[venue]
        assert r.health_factor == pytest.approx(float(coll * 2000 * line / debt), rel=1e-9)
        assert not r.liquidatable
        # the highest oracle price still liquidatable: p* to an oracle unit, or past it by
        # what the floor of the collateral's value hides (one unit of value over 10 WETH)
        star = debt / (coll * line)
        assert float(star - unit) <= r.liquidation_price <= float(star + floor / coll), venue
    # Aave: half the debt (close factor 50%, HF just under 1 is above 0.95), bonus on it
    for venue, bonus in (("aave", F(5, 100)), ("aave-e", F(1, 100))):
        r = rows[venue]
        assert r.debt_cleared == pytest.approx(6000, rel=1e-9)
        assert r.penalty == pytest.approx(float(6000 * bonus), rel=1e-6)
        assert r.penalty_rate == pytest.approx(float(bonus), rel=1e-6)
    # Comet: all 10 WETH, credited at 0.95; the penalty is 5% of the collateral's value
    r = rows["comet"]
    star = debt / (coll * F(895, 1000))
    assert r.collateral_taken == 10.0 and r.debt_cleared == 12_000.0
    assert r.penalty == pytest.approx(float(coll * star * F(5, 100)), rel=1e-6)
    # Morpho: repays all 12,000; takes 12,000 · LIF / p*
    r = rows["morpho"]
    lif = 1 / (1 - F(3, 10) * (1 - F(86, 100)))
    star = debt / (coll * F(86, 100))
    assert r.debt_cleared == pytest.approx(12_000, rel=1e-9)
    assert r.collateral_taken == pytest.approx(float(debt * lif / star), rel=1e-6)
    assert r.penalty == pytest.approx(float(debt * (lif - 1)), rel=1e-6)
    # free trades: the plans cost nothing (e-mode's HF is 1.55, above the target)
    assert all(r.deleverage_cost == 0.0 for r in rows.values())


def test_deleverage_cost_follows_the_line():
    """With a proportional cost on WETH sales, the cost to reach HF 1.5 is the fee on the
    WETH sold; selling x WETH at 2,000 to repay USDC reaches
    (10 - x) · 2000 · line / (12000 - 2000 x (1 - f)) = 1.5, so x and the cost are
    closed forms of each line (f = 10 bps)."""
    def costs(market):
        c = CostModel()
        c.set_fee(market.find("WETH"), bps=10.0)
        return c
    rows = {r.venue: r for r in compare(_venues(), "WETH", "USDC", target=1.5, costs=costs)}
    f = F(10, 10**4)
    for venue, line in (("aave", F(83, 100)), ("aave-e", F(93, 100)),
                        ("comet", F(895, 1000)), ("morpho", F(86, 100))):
        # (10 - x) 2000 line = 1.5 (12000 - 2000 x (1 - f)); none when HF >= 1.5 already
        x = max(F(0), (18000 - 20000 * line) / (3000 * (1 - f) - 2000 * line))
        assert rows[venue].deleverage_cost == pytest.approx(float(x * 2000 * f), rel=1e-6,
                                                            abs=1e-12), venue


def test_no_debt_and_bad_input():
    v = _venues()
    v["aave"].set_position("USDC", debt=0)
    r = compare({"aave": v["aave"]}, "WETH", "USDC")[0]
    assert math.isinf(r.health_factor) and r.liquidation_price is None
    assert r.penalty == 0.0 and r.deleverage_cost == 0.0
    with pytest.raises(TypeError):
        compare({"x": 3}, "WETH", "USDC")
    with pytest.raises(TypeError):
        compare({"x": (v["comet"], 1)}, "WETH", "USDC")
    with pytest.raises(ValueError, match="lends only its base"):
        compare({"c": v["comet"]}, "WETH", "DAI")
    with pytest.raises(ValueError, match="lends 'USDC' against 'WETH'"):
        compare({"m": v["morpho"]}, "WBTC", "USDC")
    with pytest.raises(NotFoundError):
        compare({"a": v["aave-e"]}, "WBTC", "USDC")


def test_compare_example_runs():
    """The example on real parameters (Aave's 2023-10-31 report, cWETHv3, Morpho's
    wstETH/WETH 94.5%): liquidation prices are 80 / (100 · line) in wstETH/ETH."""
    mod = runpy.run_path(str(EXAMPLES / "compare_protocols.py"))
    rows = {r.venue: r for r in compare(mod["venues"](), "wstETH", "WETH", target=1.5,
                                        costs=mod["costs"])}
    for venue, line in (("Aave v3", F(81, 100)), ("Aave v3, e-mode 1", F(93, 100)),
                        ("Compound v3 cWETHv3", F(93, 100)),
                        ("Morpho wstETH/WETH 94.5%", F(945, 1000))):
        assert rows[venue].liquidation_price == pytest.approx(float(F(80) / (100 * line)),
                                                              abs=2e-8)
    # Comet's absorb takes all 100 wstETH; Morpho's LIF at 94.5% is 1/(1 - 0.3 * 0.055)
    assert rows["Compound v3 cWETHv3"].collateral_taken == 100.0
    lif = 1 / (1 - F(3, 10) * F(55, 1000))
    assert rows["Morpho wstETH/WETH 94.5%"].penalty == pytest.approx(float(80 * (lif - 1)),
                                                                     rel=1e-6)


def test_protocols_page_shows_what_the_example_prints():
    """docs/protocols.md quotes the example's table: it must be what the example prints."""
    import os
    import re
    import subprocess
    import sys
    out = subprocess.run([sys.executable, str(EXAMPLES / "compare_protocols.py")], check=True,
                         capture_output=True, text=True, env=os.environ, timeout=120).stdout
    page = (EXAMPLES.parents[1] / "docs" / "protocols.md").read_text()
    block = re.search(r"## Across protocols.*?```text\n(.*?)```", page, re.S).group(1)
    for line in block.strip().splitlines():
        assert line in out, line
