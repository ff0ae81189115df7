"""Traces and per-path values (keel_sim_trace_path, keel_sim_stats_values): a traced path is
the path run() gives (the same record), its arrays and events add up to the record's
totals, per-path values give the percentiles numpy computes from them, and the buffers
grow when a path has more events than the first guess."""

import math
import warnings

import pytest

import keel

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")


@pytest.fixture
def mc():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=1.1)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 11000.0)  # HF 1.45
    c = keel.CostModel()
    c.set_fee(eth, bps=10)
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, boost_above=1.8, boost_to=1.6,
                                   allowed=["repay", "boost"], debt_asset=usdc, boost_asset=eth)
    return m, b, h, c, band, eth, usdc


def test_values_and_percentiles(mc):
    m, b, h, c, band, eth, usdc = mc
    sim = keel.Simulation(m, b, h, c, band, steps=30, seed=5)
    st = sim.run(0, 200).merge(sim.run(200, 101))
    idx = st.path_indexes
    assert idx.dtype == np.uint64 and idx.tolist() == list(range(301)) and st.paths == 301
    for metric in keel.sim.METRICS:
        v = st.values(metric)
        assert v.dtype == np.float64 and len(v) == 301
        for q in (0.0, 0.05, 0.5, 0.9, 1.0):
            assert st.percentile(metric, q) == pytest.approx(np.percentile(v, 100 * q),
                                                             rel=1e-12), (metric, q)
    s = st.summary
    assert np.mean(st.values("final_equity")) == pytest.approx(s.mean_final_equity, rel=1e-12)
    assert np.mean(st.values("liquidations") > 0) == s.liquidation_probability
    p, v = st.values("bonus_lost", paths=True)
    assert p.tolist() == idx.tolist() and np.array_equal(v, st.values("bonus_lost"))
    frame = st.to_frame()
    assert list(frame.columns) == list(keel.sim.METRICS) and frame.index.name == "path"
    assert np.array_equal(frame["min_health"].to_numpy(), st.values("min_health"))
    part = sim.run(40, 3)
    assert part.path_indexes.tolist() == [40, 41, 42]
    assert np.array_equal(part.values("final_equity"), st.values("final_equity")[40:43])
    with pytest.raises(ValueError, match="unknown metric"):
        st.values("nope")


def test_a_trace_is_the_path_run_gives(mc):
    m, b, h, c, band, eth, usdc = mc
    sim = keel.Simulation(m, b, h, c, band, steps=365, seed=9)
    sim.set_jumps(eth, intensity=6.0, mean=-0.35, vol=0.1)  # crashes the band cannot outrun
    st = sim.run(0, 40)
    most = 0
    for p in range(40):
        tr = sim.trace(p)
        assert tr.rows == 366 and tr.path == p and tr.stats.paths == 1
        one = sim.run(p, 1)
        assert tr.stats.summary == one.summary  # the same record, bit for bit
        assert tr.stats.to_bytes()[24:] == one.to_bytes()[24:]
        assert tr.equity[-1] == st.values("final_equity")[p]
        assert tr.health[-1] == st.values("final_health")[p]
        liqs = tr.liquidations
        rebs = [e for e in tr.events if e.kind == keel.EventKind.REBALANCE]
        assert len(liqs) == st.values("liquidations")[p]
        assert sum(e.bonus_lost for e in liqs) == pytest.approx(st.values("bonus_lost")[p],
                                                                rel=1e-12, abs=1e-9)
        assert sum(e.cost for e in rebs) == pytest.approx(st.values("rebalance_cost")[p],
                                                          rel=1e-12, abs=1e-12)
        debt = tr.debt_value[:-1] > 0
        if debt.any():
            assert min(tr.health_low[1:][debt]) == st.values("min_health")[p]
        assert tr.prices[0, eth] == 2000.0 and tr.volatility[0, eth] == 1.1
        assert tr.time == pytest.approx(np.arange(366) / 365, rel=1e-14)
        assert np.allclose(tr.equity, tr.collateral_value - tr.debt_value, rtol=0, atol=1e-7)
        for e in tr.events:
            assert 1 <= e.step <= 365 and e.time is None and e.status == 0
            assert e.status_name == "KEEL_OK"
            if e.kind == "rebalance":
                assert e.action in ("sell_to_repay", "borrow_to_buy")
        most = max(most, len(tr.events))
    assert most > 16  # the first guess of the event buffer was too small: it grew
    assert st.summary.mean_liquidations > 0
    frame = tr.to_frame()
    assert frame.index.name == "step" and list(frame.index) == list(range(366))
    assert list(frame.columns[:4]) == ["time", "ETH", "USDC", "ETH volatility"]
    ev = tr.events_frame()
    assert len(ev) == len(tr.events) and set(ev["kind"]) <= {"liquidation", "rebalance"}
    assert list(tr.to_frame(volatility=False).columns) == [
        "time", "ETH", "USDC", "health", "health_low", "collateral_value", "debt_value", "equity"]


def test_a_liquidation_event_is_the_hand_computation():
    # 10 ETH against 15,000 USDC (maintenance 0.2): at 1,900 HF 1.0133, at 1,800 0.96 --
    # half the debt repaid (7,500), 7,500 x 1.05 / 1,800 = 4.375 ETH seized, 375 lost; the
    # next row at 1,500 (HF 0.8 on what is left: 5.625 x 1,500 x 0.8 / 7,500 = 0.9 < 0.95)
    # repays the rest: 7,500 x 1.05 / 1,500 = 5.25 ETH, 375 lost again
    m = keel.Market()
    eth, usdc = m.add_asset("ETH", 2000.0), m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 15000.0)
    sim = keel.Simulation(m, b, h, keel.CostModel())
    sim.set_replay(np.array([2000.0, 1900.0, 1800.0, 1500.0]), assets="ETH")
    tr = sim.trace()
    a, z = tr.events
    assert (a.step, a.quantity, a.repaid, a.bonus_lost) == (2, pytest.approx(4.375),
                                                            pytest.approx(7500.0),
                                                            pytest.approx(375.0))
    assert a.value_seized == pytest.approx(4.375 * 1800) and a.value_repaid == pytest.approx(7500)
    assert a.health_before == pytest.approx(0.96) and a.health_after == pytest.approx(
        5.625 * 1800 * 0.8 / 7500)
    assert (z.step, z.quantity, z.repaid, z.bonus_lost) == (3, pytest.approx(5.25),
                                                            pytest.approx(7500.0),
                                                            pytest.approx(375.0))
    assert z.health_before == pytest.approx(0.9) and z.health_after == math.inf
    assert tr.equity[-1] == pytest.approx((10 - 4.375 - 5.25) * 1500)
    assert tr.health_low.tolist() == pytest.approx([2000 * 8 / 15000, 1900 * 8 / 15000, 0.96,
                                                    0.9])


def test_policy_failures_are_events_and_warn():
    m = keel.Market()
    eth, usdc = m.add_asset("ETH", 2000.0), m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12500.0)
    sim = keel.Simulation(m, b, h, keel.CostModel(), keel.Policy.health_band(debt_asset=7))
    sim.set_replay(np.full((2, 3, 1), 1990.0), assets=[eth])  # HF 1.2736 < 1.3 each step
    with pytest.warns(keel.PolicyFailureWarning, match="path 1"):
        tr = sim.trace(1)
    assert [e.kind for e in tr.events] == ["policy_failure"] * 2
    e = tr.events[0]
    assert e.action is None and e.status != 0 and e.status_name.startswith("KEEL_E_")
    assert e.health_before == e.health_after == pytest.approx(1990 * 8 / 12500)
    assert tr.stats.summary.policy_failures == 2


def test_path_indexes_are_checked():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=0.5)
    h = keel.HaircutModel()
    h.set_asset(eth, 0.25, 0.2)
    b = keel.Basket()
    b.set_collateral(eth, 1.0)
    sim = keel.Simulation(m, b, h, keel.CostModel(), steps=3)
    assert sim.trace(2**64 - 1).rows == 4  # any path of the model
    for bad, err in ((-1, ValueError), (2**64, ValueError), (2**70, ValueError),
                     (1.0, TypeError), (True, TypeError), ("0", TypeError), (None, TypeError)):
        with pytest.raises(err):
            sim.trace(bad)
    sim.set_replay(np.full((3, 4, 1), 2000.0), assets=eth)
    assert sim.trace(2).rows == 4
    with pytest.raises(keel.OutOfRangeError, match="path 3 asked, 3 replayed"):
        sim.trace(3)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert sim.trace(np.uint64(1)).path == 1
