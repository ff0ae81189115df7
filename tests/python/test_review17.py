"""Review of issue 17 (historical replays, GARCH fitting): failures found, each with its
expected value worked independently (closed forms in the comments)."""
import numpy as np
import pytest

import keel


def _mixed_account():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    h.set_asset(usdc, initial=0.0, maintenance=0.0)
    b = keel.Basket()
    b.set_collateral(eth, 1.1)
    b.set_debt(eth, 1.0)
    b.set_collateral(usdc, 1000.0)
    return m, h, b, eth, usdc


def test_mixed_asset_liquidated_at_its_adverse_high():
    # HF(p) = (0.8 * 1.1 p + 1000) / (1.0 p) = 0.88 + 1000 / p: falls as ETH rises, so the
    # candle's adverse extreme for this account is the HIGH although ETH is held on net
    # by units. Close 2000 -> 1.38; high 9000 -> 0.99111 (< 1); low 1500 -> 1.54667.
    m, h, b, eth, usdc = _mixed_account()
    hf = lambda p: (0.8 * 1.1 * p + 1000.0) / p
    assert b.metrics(m, h).health_factor == pytest.approx(hf(2000.0))
    sim = keel.Simulation.from_prices(
        m, b, h, keel.CostModel(), np.array([2000.0, 2000.0]), assets=[eth],
        low=np.array([2000.0, 1500.0]), high=np.array([2000.0, 9000.0]))
    t = sim.trace(0)
    # the lowest HF of the path cannot be above the HF at the close (nothing acted)
    assert t.stats.percentile("min_health", 0.0) <= hf(2000.0)
    assert t.health_low[1] <= hf(2000.0)
    # "the worst combination the candles allow": HF 0.99111 at the high is liquidatable
    assert hf(9000.0) < 1.0
    assert len(t.events) == 1 and t.events[0].kind == "liquidation"


@pytest.mark.parametrize("bad", [
    np.array(["0.01", "-0.02"] * 50),        # strings: numpy turns them into numbers
    np.array([True, False] * 50),           # bools
    (np.arange(100) % 7 - 3).astype(complex) * 0.01,  # complex: imaginary part dropped
])
def test_garch_fit_refuses_non_numeric_arrays(bad):
    # set_replay refuses strings, bools and objects with TypeError ("numpy would turn
    # "1.5" or True into a number silently", keel/_replay.py); garch_fit takes "returns"
    # and should refuse them alike instead of fitting converted values.
    with pytest.raises(TypeError):
        keel.garch_fit(bad)


def test_trace_is_run_with_lows_policy_and_ewma():
    # held (checked): the trace's record is run()'s, bit for bit, with every feature on
    rng = np.random.default_rng(7)
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0)
    usdc = m.add_asset("USDC", 1.0)
    m.set_volatility(eth, 0.8)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.195, maintenance=0.17)
    h.set_volatility_addon(0.99, 1.0)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 11000.0)
    n = 60
    close = 2000 * np.exp(np.cumsum(rng.normal(0, 0.04, n)))
    low = close * np.exp(-np.abs(rng.normal(0, 0.03, n)))
    high = close * np.exp(np.abs(rng.normal(0, 0.03, n)))
    time = np.cumsum(rng.integers(3600, 3 * 86400, n)).astype(np.int64)
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.6, debt_asset=usdc)
    sim = keel.Simulation.from_prices(m, b, h, keel.CostModel(), close, assets=[eth], low=low,
                                      high=high, time=time, policy=band)
    sim.set_volatility(eth, "ewma")
    for window in ((0, 0), (17, 20)):
        sim.set_window(*window)
        assert sim.trace(0).stats.to_bytes() == sim.run(0, 1).to_bytes()
