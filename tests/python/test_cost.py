"""The cost model through Python, against trades worked by hand."""

import math

import pytest

import keel


def test_pool_and_sqrt_impact():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=0.8)
    usdc = m.add_asset("USDC", 1.0)
    c = keel.CostModel()
    c.set_pool(eth, base_reserve=1000, quote_reserve=2e6, fee=0.003)
    out = 2e6 * 10 * 0.997 / (1000 + 10 * 0.997)   # Uniswap v2 getAmountOut
    assert c.cost(m, eth, -10).total == pytest.approx(20000 - out, rel=1e-12)
    assert c.impact(eth) == "pool"
    c.set_sqrt_impact(eth, y=0.7, volume=1e9)
    assert c.cost(m, eth, 500).impact == pytest.approx(
        0.7 * 0.8 / math.sqrt(365) * math.sqrt(1e-3) * 1e6, rel=1e-13)
    c.set_fee(usdc, bps=10)
    c.clear_impact(eth)
    c.set_fee(eth, bps=10)
    r = c.swap(m, eth, usdc, 1.0)
    assert r.proceeds == pytest.approx(1998.0)
    assert r.bought == pytest.approx(1998.0 / 1.001, rel=1e-13)
    with pytest.raises(keel.OutOfRangeError):
        c.set_fee(eth, bps=-1)
    with pytest.raises(keel.OutOfRangeError):
        c.set_pool(eth, base_reserve=0, quote_reserve=1, fee=0.003)
