"""Haircut add-ons, breakdown and estimators through Python, against
hand-worked numbers (z(99%) from Python's statistics.NormalDist)."""

import math
from statistics import NormalDist

import pytest

import keel

Z99 = NormalDist().inv_cdf(0.99)


@pytest.fixture
def account():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=0.8, depth=5e6)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.195, maintenance=0.17)
    h.set_asset(usdc, initial=0.25, maintenance=0.22)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    return m, h, b, eth, usdc


def test_volatility_addon(account):
    m, h, b, eth, _ = account
    h.set_volatility_addon(confidence=0.99, horizon_days=5)
    a = 1 - math.exp(-Z99 * 0.8 * math.sqrt(5 / 365))
    assert keel.volatility_haircut(0.8, 0.99, 5 / 365) == pytest.approx(a, rel=1e-14)
    bd = h.breakdown(m, b, eth)
    assert bd.volatility == pytest.approx(a, rel=1e-14)
    assert bd.maintenance == pytest.approx(0.17 + a, rel=1e-14)
    assert b.metrics(m, h).liquidation_value == pytest.approx(20000 * (0.83 - a), rel=1e-13)
    assert h.volatility_addon == (0.99, 5.0)
    assert keel.scale_holding_period(0.15, 10, 5) == pytest.approx(0.15 * math.sqrt(0.5))


def test_liquidity_addon_and_root_finding(account):
    m, h, b, eth, _ = account
    h.set_liquidity_addon(k=0.5, cap=0.5)
    b.set_collateral(eth, 100.0)
    b.set_debt(1, 100000.0)
    # 0.5 sqrt(200000 / 5e6) = 0.1
    assert h.breakdown(m, b, eth).liquidity == pytest.approx(0.1, rel=1e-15)
    lp = b.liquidation_price(m, h, eth)
    assert lp.side == "below"
    moved = m.clone()
    moved.set_price(eth, lp.price)
    assert b.metrics(moved, h).health_factor == pytest.approx(1.0, abs=1e-9)


def test_concentration_and_peg(account):
    m, h, b, eth, usdc = account
    b.set_collateral(usdc, 20000.0)
    h.set_concentration(eth, max_share=0.4, extra=0.2)
    # share 0.5, excess 0.2 -> +0.04
    assert h.breakdown(m, b, eth).concentration == pytest.approx(0.04, rel=1e-15)
    h.concentration_mode = "exclude"
    assert h.breakdown(m, b, eth).maintenance == pytest.approx(0.17 + 0.83 * 0.2)
    with pytest.raises(ValueError):
        h.concentration_mode = "sometimes"
    h.peg_mismatch_addon = 0.08
    # USDC collateral against USDC debt: the same asset is the same group
    assert h.breakdown(m, b, usdc).peg == 0.0
    # ETH collateral against USDC debt: mismatched
    assert h.breakdown(m, b, eth).peg == pytest.approx(0.08)
    h.set_peg_group(eth, 2)
    h.set_peg_group(usdc, 2)
    assert h.breakdown(m, b, eth).peg == 0.0


def test_portfolio_mode_rewards_hedges():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=0.8)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, 0.0, 0.0)
    h.set_asset(usdc, 0.0, 0.0)
    h.set_volatility_addon(0.99, 5)
    h.portfolio_mode = True
    k = Z99 * math.sqrt(5 / 365)
    vs_usd, vs_eth = keel.Basket(), keel.Basket()
    vs_usd.set_collateral(eth, 10)
    vs_usd.set_debt(usdc, 12000)
    vs_eth.set_collateral(eth, 10)
    vs_eth.set_debt(eth, 6)
    assert vs_usd.metrics(m, h).liquidation_value == pytest.approx(20000 - 16000 * k)
    assert vs_eth.metrics(m, h).liquidation_value == pytest.approx(20000 - 6400 * k)
    bd = h.breakdown(m, vs_usd, eth)
    assert bd.portfolio_component == pytest.approx(bd.portfolio_var, rel=1e-14)
    assert "portfolio" in repr(h)


def test_estimators_three_steps():
    e = keel.Ewma(lam=0.94, variance=1e-4)
    for r in (0.01, -0.02, 0.015):
        e.update(r)
    assert e.variance == pytest.approx(1.2442e-4, rel=1e-13)
    g = keel.Garch(omega=2e-6, alpha=0.1, beta=0.85, variance=1e-4)
    for r in (0.01, -0.02, 0.015):
        g.update(r)
    assert g.variance == pytest.approx(1.302825e-4, rel=1e-13)
    assert g.long_run_variance == pytest.approx(4e-5, rel=1e-14)
    assert g.forecast(3) == pytest.approx(4e-5 + 0.9025 * (1.302825e-4 - 4e-5), rel=1e-13)
    with pytest.raises(keel.OutOfRangeError):
        keel.Garch(omega=1e-6, alpha=0.3, beta=0.7)
    with pytest.raises(keel.OutOfRangeError):
        keel.Ewma(lam=1.0)
    with pytest.raises(keel.NotFiniteError):
        e.update(float("inf"))
    assert e.variance == pytest.approx(1.2442e-4, rel=1e-13)


def test_bad_addon_settings(account):
    _, h, _, eth, _ = account
    with pytest.raises(keel.OutOfRangeError):
        h.set_volatility_addon(confidence=1.0, horizon_days=5)
    with pytest.raises(keel.OutOfRangeError):
        h.set_liquidity_addon(k=-1, cap=1.0)
    with pytest.raises(keel.OutOfRangeError):
        h.set_concentration(eth, max_share=0)
    with pytest.raises(keel.NotFiniteError):
        h.peg_mismatch_addon = float("nan")
    assert h.volatility_addon == (0.99, 0.0)
    assert h.liquidity_addon == (0.0, 1.0)
    assert h.concentration(eth) == (1.0, 0.0)
    assert h.peg_mismatch_addon == 0.0
