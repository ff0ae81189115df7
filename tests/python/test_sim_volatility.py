"""Time stamps, windows and volatility that follows the path (keel_sim_set_replay's time,
keel_sim_set_window, keel_sim_set_volatility; include/keel/sim.h), checked against the
hand formulas: a step of dt years scales its return by sqrt(period / dt) before the EWMA or
GARCH recursion (the same recursions as keel.Ewma and keel.Garch), the market's volatility
is sqrt(var / period), options age by the stamps' years (365-day years), a window starts at
its row's prices with its estimators warmed on the rows before it, and a GARCH that drives
Monte Carlo paths gives returns of its variance."""

import math
import pathlib

import pytest

import keel

np = pytest.importorskip("numpy")

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data"
YEAR = 31_536_000.0  # KEEL_SECONDS_PER_YEAR
DAY = 86_400
T0 = 1_600_000_000  # any origin


def world(vol=0.8, debt=0.0):
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=vol)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket()
    b.set_collateral(eth, 1.0)
    if debt:
        b.set_debt(usdc, debt)
    return m, b, h, keel.CostModel(), eth, usdc


def daily_closes(first, last):
    import csv
    with open(DATA / "eth_usdt_daily.csv", newline="") as f:
        rows = [(r["date"], float(r["close"])) for r in csv.DictReader(f)
                if first <= r["date"] <= last]
    return [d for d, _ in rows], np.array([c for _, c in rows])


def hourly_closes():
    import csv
    with open(DATA / "eth_usdt_hourly_crashes.csv", newline="") as f:
        rows = [(r["time_utc"], float(r["close"])) for r in csv.DictReader(f)]
    stamps = np.array([t.rstrip("Z") for t, _ in rows], dtype="datetime64[s]")
    return stamps, np.array([c for _, c in rows])


def ewma_by_hand(close, stamps, lam, period, var0):
    """Annual volatility per row: var = lam var + (1 - lam) (r sqrt(period / dt))^2."""
    var, out = var0, [math.sqrt(var0 / period)]
    for s in range(1, len(close)):
        dt = (int(stamps[s]) - int(stamps[s - 1])) / YEAR
        r = math.log(close[s] / close[s - 1]) * math.sqrt(period / dt)
        var = lam * var + (1 - lam) * r * r
        out.append(math.sqrt(var / period))
    return np.array(out)


def test_a_gap_in_the_stamps_scales_the_ewma_return():
    m, b, h, c, eth, usdc = world(vol=0.8)
    sim = keel.Simulation(m, b, h, c)
    stamps = T0 + DAY * np.array([0, 1, 2, 5, 6, 13])  # gaps of 3 and 7 days
    close = np.array([2000.0, 2100.0, 1950.0, 2300.0, 2250.0, 1800.0])
    sim.set_replay(close, assets=eth, time=stamps)
    sim.set_volatility(eth, "ewma", lam=0.94, period=1 / 365)
    tr = sim.trace()
    assert tr.time == pytest.approx((stamps - T0) / YEAR, rel=1e-15, abs=0)
    want = ewma_by_hand(close, stamps, 0.94, 1 / 365, 0.8**2 / 365)  # var0: the market's
    assert tr.volatility[:, eth] == pytest.approx(want, rel=1e-12)
    assert tr.volatility[:, usdc].tolist() == [0.0] * 6  # no model: the market's, 0
    # the gap of 3 days: its return counts as a daily one of r / sqrt(3)
    r = math.log(2300 / 1950) / math.sqrt(3)
    var2 = (want[2] ** 2) / 365
    assert tr.volatility[3, eth] == pytest.approx(
        math.sqrt((0.94 * var2 + 0.06 * r * r) * 365), rel=1e-12)
    # keel.Ewma fed the same scaled returns
    e = keel.Ewma(0.94, variance=0.8**2 / 365)
    for s in range(1, 6):
        e.update(math.log(close[s] / close[s - 1]) * math.sqrt(DAY / ((stamps[s] - stamps[s - 1]))))
    assert tr.volatility[-1, eth] == pytest.approx(math.sqrt(e.variance * 365), rel=1e-12)


def bs_call(s, k, t, vol):
    """Black-Scholes call, rate and carry 0."""
    if t <= 0:
        return max(s - k, 0.0)
    d1 = (math.log(s / k) + 0.5 * vol * vol * t) / (vol * math.sqrt(t))
    d2 = d1 - vol * math.sqrt(t)
    n = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))  # noqa: E731
    return s * n(d1) - k * n(d2)


def test_options_age_by_the_stamps():
    m, b, h, c, eth, usdc = world(vol=0.8)
    o = keel.Options()
    o.add(eth, "call", strike=2000.0, expiry=30 / 365, quantity=3.0)
    sim = keel.Simulation(m, b, h, c, options=o)
    stamps = T0 + np.array([0, DAY, 2 * DAY, 12 * DAY, 12 * DAY + 3600, 40 * DAY])
    close = np.array([2000.0, 2050.0, 1900.0, 2200.0, 2210.0, 2100.0])
    sim.set_replay(close, assets="ETH", time=stamps)
    tr = sim.trace()
    for r in range(6):
        left = 30 / 365 - (stamps[r] - T0) / YEAR  # the last row is past the expiry
        want = close[r] + 3.0 * bs_call(close[r], 2000.0, left, 0.8)
        assert tr.equity[r] == pytest.approx(want, rel=1e-10), r
    # without stamps every step lasts dt (here the default daily dt)
    sim.set_replay(close, assets="ETH")
    tr = sim.trace()
    dt = keel.defaults("simulation")["dt"]
    assert tr.time == pytest.approx(np.arange(6) * dt, rel=1e-15)
    assert tr.equity[3] == pytest.approx(close[3] + 3.0 * bs_call(close[3], 2000.0,
                                                                  30 / 365 - 3 * dt, 0.8),
                                         rel=1e-10)


def test_ewma_and_garch_along_a_replayed_path_equal_keel_estimators():
    # the hourly closes of both crash windows (March 2020, May 2021: 386 days between
    # them), estimators per day: an hour's return is scaled by sqrt(24), the gap's by
    # sqrt(1 / 386.04)
    stamps, close = hourly_closes()
    secs = stamps.astype(np.int64)
    assert sorted(set(np.diff(secs)))[-2:] == [3600, 386 * 86400 + 3600]
    m, b, h, c, eth, usdc = world(vol=0.6, debt=1000.0)
    sim = keel.Simulation(m, b, h, c)
    sim.set_replay(close, assets=eth, time=stamps)
    for model, kw, est in (
            ("ewma", dict(lam=0.97), keel.Ewma(0.97, variance=0.6**2 / 365)),
            ("garch", dict(omega=2e-5, alpha=0.08, beta=0.9), keel.Garch(2e-5, 0.08, 0.9))):
        sim.set_volatility(eth, model, period=1 / 365, **kw)
        tr = sim.trace()
        want = [math.sqrt(est.variance * 365)]
        for s in range(1, len(close)):
            dt = (secs[s] - secs[s - 1]) / YEAR
            want.append(math.sqrt(est.update(math.log(close[s] / close[s - 1])
                                             * math.sqrt((1 / 365) / dt)) * 365))
        assert tr.volatility[:, eth] == pytest.approx(np.array(want), rel=1e-9), model
        if model == "garch":
            assert want[0] == pytest.approx(math.sqrt(2e-5 / 0.02 * 365), rel=1e-14)
    # initial_variance given: the EWMA starts there
    sim.set_volatility(eth, "ewma", lam=0.97, period=1 / 365, initial_variance=1e-3)
    assert sim.trace().volatility[0, eth] == pytest.approx(math.sqrt(0.365), rel=1e-14)
    # back to constant: the market's volatility throughout
    sim.set_volatility(eth, "constant")
    assert np.all(sim.trace().volatility[:, eth] == 0.6)


def test_a_window_is_the_sliced_replay_but_for_the_warm_up():
    dates, close = daily_closes("2021-04-01", "2021-06-30")
    stamps = np.array(dates, dtype="datetime64[s]")
    m, b, h, c, eth, usdc = world(vol=0.8, debt=1800.0)  # HF 1.75 on 2021-05-10
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=usdc)
    whole = keel.Simulation(m, b, h, c, band)
    whole.set_replay(close, assets=eth, time=stamps)
    start, steps = dates.index("2021-05-10"), 20
    whole.set_window("2021-05-10", steps)
    assert whole.window == (start, steps) and whole.run_steps == steps
    sliced = keel.Simulation(m, b, h, c, band)
    sliced.set_replay(close[start:start + steps + 1], assets=eth,
                      time=stamps[start:start + steps + 1])
    a, z = whole.trace(), sliced.trace()
    assert a.prices[0, eth] == close[start]  # the window starts at its row's close
    # years since the window's row (rounded from the whole replay's: not the same bits)
    assert a.time == pytest.approx(z.time, rel=1e-14, abs=1e-17)
    for name in ("prices", "health", "health_low", "equity", "collateral_value", "debt_value"):
        assert np.array_equal(getattr(a, name), getattr(z, name)), name
    assert [e.time for e in a.events] == [e.time for e in z.events] and a.events
    assert list(a.to_frame().index) == list(z.to_frame().index)
    assert str(a.to_frame().index[0]) == "2021-05-10 00:00:00"
    assert whole.run(0, 1).summary == sliced.run(0, 1).summary
    # end= (inclusive) and row indexes give the same window
    whole.set_window(start, end="2021-05-30")
    assert whole.window == (start, steps)
    whole.set_window(0)
    assert whole.window == (0, len(close) - 1)
    # with an EWMA, the window's estimator is warmed on rows 0 .. start; the sliced
    # replay's starts cold at the market's volatility
    for sim in (whole, sliced):
        sim.set_volatility(eth, "ewma")  # C's defaults: lambda 0.94, a daily period
    whole.set_window(start, steps)
    warm = ewma_by_hand(close[:start + 1], stamps.astype(np.int64), 0.94, 1 / 365, 0.8**2 / 365)
    a, z = whole.trace(), sliced.trace()
    assert a.volatility[0, eth] == pytest.approx(warm[-1], rel=1e-12)
    assert z.volatility[0, eth] == pytest.approx(0.8, rel=1e-14)
    assert np.array_equal(a.prices, z.prices)
    tail = ewma_by_hand(close[start:start + steps + 1], stamps.astype(np.int64)[start:],
                        0.94, 1 / 365, warm[-1] ** 2 / 365)
    assert a.volatility[:, eth] == pytest.approx(tail, rel=1e-11)


def test_garch_driven_monte_carlo_has_the_garch_variance():
    omega, alpha, beta = 8e-5, 0.1, 0.85  # long-run variance 0.0016 a day (4% daily moves)
    m, b, h, c, eth, usdc = world(vol=0.5)
    sim = keel.Simulation(m, b, h, c, steps=250, seed=17)
    sim.set_volatility(eth, "garch", omega=omega, alpha=alpha, beta=beta, period=1 / 365,
                       drives=True)
    rets, z = [], []
    for p in range(120):
        tr = sim.trace(p)
        r = np.diff(np.log(tr.prices[:, eth]))
        # along the path the filter's variance is the recursion fed these returns
        var = [omega / (1 - alpha - beta)]
        for x in r:
            var.append(omega + alpha * x * x + beta * var[-1])
        var = np.array(var)
        assert tr.volatility[:, eth] == pytest.approx(np.sqrt(var * 365), rel=1e-10)
        # each return is drawn with the variance before its step: r = -h/2 + sqrt(h) z
        z.extend((r + var[:-1] / 2) / np.sqrt(var[:-1]))
        rets.extend(r)
    rets, z = np.array(rets), np.array(z)
    assert np.var(rets) == pytest.approx(omega / (1 - alpha - beta), rel=0.1)  # statistical
    assert abs(np.mean(z)) < 4 / math.sqrt(len(z)) and np.var(z) == pytest.approx(1, abs=0.03)
    # without drives the paths are the constant-volatility GBM; the filter only estimates
    sim.set_volatility(eth, "garch", omega=omega, alpha=alpha, beta=beta, period=1 / 365)
    r = np.concatenate([np.diff(np.log(sim.trace(p).prices[:, eth])) for p in range(40)])
    assert np.std(r) == pytest.approx(0.5 / math.sqrt(365), rel=0.1)
