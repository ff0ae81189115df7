"""The options kernel through Python: Haug's published values, parity,
implied volatility round trips, numpy batch without copies."""

import math

import pytest

import keel


def test_haug_values_and_greeks():
    # Haug, The Complete Guide to Option Pricing Formulas: 2.1334, delta 0.5946, vega 18.9358
    assert keel.black_scholes("call", 60, 65, 0.25, rate=0.08, vol=0.30).value == \
        pytest.approx(2.1334, abs=1e-4)
    assert keel.black_scholes("call", 105, 100, 0.5, 0.10, 0.10, 0.36).delta == \
        pytest.approx(0.5946, abs=1e-4)
    assert keel.black_scholes("put", 55, 60, 0.75, 0.10, 0.0, 0.30).vega == \
        pytest.approx(18.9358, abs=1e-4)
    assert keel.black76("call", 19, 19, 0.75, 0.10, 0.28).value == pytest.approx(1.7011, abs=1e-4)


def test_parity_and_implied_volatility():
    c = keel.black_scholes("call", 100, 110, 0.5, 0.03, 0.01, 0.45)
    p = keel.black_scholes("put", 100, 110, 0.5, 0.03, 0.01, 0.45)
    assert c.value - p.value == pytest.approx(100 * math.exp(-0.005) - 110 * math.exp(-0.015),
                                              rel=1e-14)
    iv = keel.implied_volatility("put", p.value, 100, 110, 0.5, 0.03, 0.01)
    assert iv == pytest.approx(0.45, rel=1e-13)
    f = keel.black76("put", 2000, 1500, 30 / 365, 0.04, 0.8)
    assert keel.implied_volatility_black76("put", f.value, 2000, 1500, 30 / 365, 0.04) == \
        pytest.approx(0.8, rel=1e-13)
    with pytest.raises(keel.ArbitrageError):
        keel.implied_volatility("call", 150.0, 100, 110, 0.5)
    with pytest.raises(ValueError):
        keel.black_scholes("straddle", 100, 100, 1.0)
    with pytest.raises(keel.OutOfRangeError):
        keel.black_scholes("call", -1, 100, 1.0)


def test_batch_numpy_zero_copy():
    np = pytest.importorskip("numpy")
    n = 1000
    is_put = (np.arange(n) % 2).astype(np.int32)
    spot = np.linspace(50, 150, n)
    strike = np.full(n, 100.0)
    expiry = np.full(n, 0.5)
    rate = np.full(n, 0.03)
    div = np.zeros(n)
    vol = np.full(n, 0.3)
    out = keel.black_scholes_batch(is_put, spot, strike, expiry, rate, div, vol,
                                   greeks=("value", "gamma"))
    assert set(out) == {"value", "gamma"}
    for i in (0, 1, 500, 999):
        g = keel.black_scholes("put" if is_put[i] else "call", spot[i], 100, 0.5, 0.03, 0.0, 0.3)
        assert out["value"][i] == g.value and out["gamma"][i] == g.gamma
    with pytest.raises(TypeError):
        keel.black_scholes_batch(is_put, spot.astype(np.float32), strike, expiry, rate, div, vol)
    vol[3] = -1
    with pytest.raises(keel.OutOfRangeError, match="option 3"):
        keel.black_scholes_batch(is_put, spot, strike, expiry, rate, div, vol)


def test_book_margin_and_health():
    m = keel.Market()
    eth = m.add_asset("ETH", 3000.0, volatility=0.8)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(usdc, 0.25, 0.22)
    b = keel.Basket()
    b.set_collateral(usdc, 30000.0)
    b.set_debt(usdc, 5000.0)
    o = keel.Options()
    call = o.add(eth, "call", strike=3000, expiry=30 / 365, quantity=-10)
    o.add(eth, "put", strike=3000, expiry=30 / 365, quantity=-10, volatility=0.8)
    assert len(o) == 2 and o.positions()[1].volatility == 0.8
    c = keel.black_scholes("call", 3000, 3000, 30 / 365, vol=0.8)
    p = keel.black_scholes("put", 3000, 3000, 30 / 365, vol=0.8)
    assert o.value(m) == pytest.approx(-10 * (c.value + p.value), rel=1e-13)
    assert o.greeks(m, eth).gamma == pytest.approx(-10 * (c.gamma + p.gamma), rel=1e-13)
    r = o.scenario_margin(m)
    met = b.metrics(m, h, options=o)
    assert met.option_margin == pytest.approx(r.margin, rel=1e-14)
    assert met.weighted_debt == pytest.approx(5000 + r.margin, rel=1e-14)
    lo, hi = b.liquidation_prices(m, h, eth, options=o)
    assert 0 < lo < 3000 < hi < math.inf
    full, approx = b.pnl(m, eth, 0.01, options=o)
    assert full < 0 and abs(full - approx) < 0.01 * abs(full)
    o.set_margin_params(horizon_days=2, scenarios=[(1.0, 0.0, 1.0)])
    assert o.scenario_margin(m).worst_scenario == 0
    o.remove(call)
    with pytest.raises(keel.NotFoundError):
        o.remove(call)
    d1, d2 = b.health_sensitivity(m, h, eth, options=o)
    assert math.isfinite(d1) and math.isfinite(d2)
