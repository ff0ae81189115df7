"""Policies through Python: each against the same hand-worked numbers as the
C suite (test_policy.c), plus composition and bad input."""

import math

import pytest

import keel


@pytest.fixture
def account():
    m = keel.Market()
    eth = m.add_asset("ETH", 1800.0)
    usdc = m.add_asset("USDC", 1.0)
    m.set_volatility(eth, 0.8)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    h.set_asset(usdc, initial=0.02, maintenance=0.0)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    return m, h, b, eth, usdc


def test_health_band_repays_and_stays(account):
    m, h, b, eth, usdc = account
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=usdc)
    assert band.kind == "health_band" and "health_band" in repr(band)
    plan = band.plan(m, b, h, keel.CostModel())
    (a,) = plan.actions
    assert a.kind == "sell_to_repay"
    assert a.quantity == pytest.approx(20 / 7, rel=1e-12)  # 1440 (10 - x) = 1.5 (12000 - 1800 x)
    plan.apply(b)
    assert b.metrics(m, h).health_factor == pytest.approx(1.5, rel=1e-9)
    assert band.plan(m, b, h, keel.CostModel()).actions == []


def test_boost_and_deposit(account):
    m, h, b, eth, usdc = account
    b.set_debt(usdc, 3000.0)  # HF 14400 / 3000 = 4.8
    band = keel.Policy.health_band(allowed=("repay", "boost"), debt_asset=usdc, boost_asset=eth)
    plan = band.plan(m, b, h, keel.CostModel())
    (a,) = plan.actions
    # (14400 + 0.8 B) / (3000 + B) = 1.7  ->  B = 9300 / 0.9
    assert a.kind == "borrow_to_buy" and a.borrowed == pytest.approx(9300 / 0.9, rel=1e-12)
    b.set_debt(usdc, 12000.0)
    wallet = keel.Basket()
    wallet.set_collateral(eth, 5.0)
    deposit = keel.Policy.health_band(allowed=("deposit",))
    (a,) = deposit.plan(m, b, h, keel.CostModel(), wallet=wallet).actions
    assert a.kind == "deposit" and a.to_asset == eth and a.received == pytest.approx(2.5)
    with pytest.raises(ValueError):
        keel.Policy.health_band(allowed=("teleport",))


def test_leverage_band_and_weights(account):
    m, h, b, eth, usdc = account
    b.set_debt(usdc, 9000.0)  # 18000 / 9000: leverage 2
    lev = keel.Policy.leverage_band(asset=eth, debt_asset=usdc)
    assert lev.plan(m, b, h, keel.CostModel()).actions == []
    m.set_price(eth, 1500.0)  # 15000 / 6000 = 2.5
    plan = lev.plan(m, b, h, keel.CostModel())
    # (15000 - 1500 x) / 6000 = 2  ->  x = 2
    assert plan.actions[0].quantity == pytest.approx(2.0, rel=1e-12)
    c = keel.Basket()
    c.set_collateral(eth, 10.0)
    c.set_collateral(usdc, 5000.0)  # 15000 / 20000 = 0.75 ETH
    w = keel.Policy.target_weights({eth: 0.6, usdc: 0.4}, band=0.05)
    (a,) = w.plan(m, c, h, keel.CostModel()).actions
    assert a.kind == "swap" and a.asset == eth and a.to_asset == usdc
    assert a.quantity * 1500 == pytest.approx(20000 * 0.1, rel=1e-12)  # to 0.65


def test_hedge_band_and_probability(account):
    m, h, b, eth, usdc = account
    assert keel.hedge_band(0.002, 2000, 0.001, 0.01) == pytest.approx(0.0012 ** (1 / 3), rel=1e-15)
    with pytest.raises(keel.OutOfRangeError):
        keel.hedge_band(0.002, 2000, 0.001, 0.0)
    t = 30 / 365
    s, x = 0.8 * math.sqrt(t), math.log(14400 / 12000)
    mu = -s * s / 2
    phi = lambda z: 0.5 * math.erfc(-z / math.sqrt(2))  # noqa: E731
    closed = phi((-x - mu) / s) + math.exp(-2 * mu * x / s ** 2) * phi((-x + mu) / s)
    assert keel.liquidation_probability(m, b, h, t) == pytest.approx(closed, rel=1e-6)
    pred = keel.Policy.predictive(horizon=t, max_probability=0.05, repay_asset=usdc)
    plan = pred.plan(m, b, h, keel.CostModel())
    plan.apply(b)
    assert keel.liquidation_probability(m, b, h, t) == pytest.approx(0.05, rel=1e-6)


def test_compose_and_contradictions(account):
    m, h, b, eth, usdc = account
    band = keel.Policy.health_band(debt_asset=usdc)
    hedge = keel.Policy.delta_hedge(funding_asset=usdc)
    both = keel.Policy.compose(hedge, band)
    assert both.kind == "composite" and both.clone().kind == "composite"
    assert len(both.plan(m, b, h, keel.CostModel()).actions) == 1  # no book: the band only
    with pytest.raises(keel.OutOfRangeError):
        keel.Policy.compose(band, band)
    with pytest.raises(keel.OutOfRangeError):
        keel.Policy.compose(band, keel.Policy.leverage_band(asset=eth, debt_asset=usdc))
    with pytest.raises(keel.OutOfRangeError):
        keel.Policy.health_band(repay_below=1.6, repay_to=1.5, debt_asset=usdc)
    with pytest.raises(keel.NotFiniteError):
        keel.Policy.health_band(repay_to=float("nan"), debt_asset=usdc)


def test_deleverage_swap_mode(account):
    m, h, b, eth, usdc = account
    b.set_debt(usdc, 11000.0)
    # each ETH swapped into USDC adds 1800 - 1440 = 360: 360 x = 1.4 x 11000 - 14400
    plan = keel.deleverage(m, b, h, keel.CostModel(), target=1.4, swap_to=usdc)
    (a,) = plan.actions
    assert a.kind == "swap" and a.quantity == pytest.approx(25 / 9, rel=1e-12)
    assert a.received == pytest.approx(1800 * 25 / 9, rel=1e-12)
