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


def test_deleverage_never_guesses_the_repay_asset(account):
    # as in C and Rust: an account owing one asset still names it (a second
    # debt must not change what a call means)
    m, h, b, eth, usdc = account
    with pytest.raises(keel.OutOfRangeError, match="set repay_asset or swap_to"):
        keel.deleverage(m, b, h, keel.CostModel(), target=1.5)
    plan = keel.deleverage(m, b, h, keel.CostModel(), target=1.5, repay_asset=usdc)
    (a,) = plan.actions
    assert a.debt_asset == usdc and a.quantity == pytest.approx(20 / 7, rel=1e-12)


def test_deleverage_swap_mode(account):
    m, h, b, eth, usdc = account
    b.set_debt(usdc, 11000.0)
    # each ETH swapped into USDC adds 1800 - 1440 = 360: 360 x = 1.4 x 11000 - 14400
    plan = keel.deleverage(m, b, h, keel.CostModel(), target=1.4, swap_to=usdc)
    (a,) = plan.actions
    assert a.kind == "swap" and a.quantity == pytest.approx(25 / 9, rel=1e-12)
    assert a.received == pytest.approx(1800 * 25 / 9, rel=1e-12)


scipy_optimize = pytest.importorskip("scipy.optimize")


def _scipy_collateral(sigma, rho, lend, caps, total, goal, bound, z):
    """The same problem solved by SciPy's SLSQP from several starts."""
    import numpy as np
    cov = np.outer(sigma, sigma) * rho
    n = len(sigma)
    cons = [{"type": "eq", "fun": lambda v: v.sum() - total}]
    if goal == "min_risk":
        fun = lambda v: v @ cov @ v  # noqa: E731
        cons.append({"type": "ineq", "fun": lambda v: lend @ v - bound})
    else:
        fun = lambda v: -(lend @ v)  # noqa: E731
        cons.append({"type": "ineq", "fun": lambda v: (bound / z) ** 2 - v @ cov @ v})
    best = None
    rng = np.random.default_rng(7)
    for _ in range(8):
        x0 = rng.dirichlet(np.ones(n)) * total
        r = scipy_optimize.minimize(fun, x0, method="SLSQP", constraints=cons,
                                    bounds=[(0, c) for c in caps],
                                    options={"ftol": 1e-15, "maxiter": 1000})
        if r.success and (best is None or r.fun < best.fun):
            best = r
    return best


def test_collateral_optimum_matches_scipy():
    import numpy as np
    rng = np.random.default_rng(2026)
    checked = 0
    for case in range(12):
        n = 3 + case % 4
        m = keel.Market()
        h = keel.HaircutModel()
        ids = [m.add_asset(f"A{i}", 1.0 + i) for i in range(n)]
        sigma = rng.uniform(0.0, 1.0, n)
        sigma[0] = 0.0  # one riskless asset
        lend = rng.uniform(0.4, 0.95, n)
        g = rng.normal(size=(n, n + 2))
        cov = g @ g.T
        d = np.sqrt(np.diag(cov))
        rho = cov / np.outer(d, d)
        for i, a in enumerate(ids):
            m.set_volatility(a, float(sigma[i]))
            h.set_asset(a, initial=float(1 - lend[i]), maintenance=float(1 - lend[i]) * 0.8)
            for j in range(i):
                m.set_correlation(a, ids[j], float(rho[i, j]))
        caps = rng.uniform(0.3, 1.0, n) * 100.0
        caps[0] = np.inf
        total = 100.0
        z = 2.3263478740408408 * math.sqrt(10 / 365)
        if case % 2:
            bound = float(lend.min() + 0.6 * (lend.max() - lend.min())) * total * 0.9
            vals, bp, var = keel.optimize_collateral(
                m, h, ids, total, min_borrowing=bound,
                caps={a: float(c) for a, c in zip(ids, caps)})
            ref = _scipy_collateral(sigma, rho, lend, caps, total, "min_risk", bound, z)
            assert ref is not None
            assert z * math.sqrt(max(ref.fun, 0)) >= var - 1e-6 * total  # never beaten
            assert var == pytest.approx(z * math.sqrt(max(ref.fun, 0)), rel=1e-5, abs=1e-7 * total)
            assert bp >= bound * (1 - 1e-12)
        else:
            limit = 0.5 * z * float(sigma.max()) * total * 0.3
            vals, bp, var = keel.optimize_collateral(
                m, h, ids, total, max_var=limit,
                caps={a: float(c) for a, c in zip(ids, caps)})
            ref = _scipy_collateral(sigma, rho, lend, caps, total, "max_borrowing", limit, z)
            assert ref is not None
            assert -ref.fun <= bp + 1e-6 * total
            assert bp == pytest.approx(-ref.fun, rel=1e-6)
            assert var <= limit * (1 + 1e-9)
        assert sum(vals.values()) == pytest.approx(total, rel=1e-12)
        assert all(v >= 0 and v <= c + 1e-9 for v, c in zip(vals.values(), caps))
        checked += 1
    assert checked == 12


def test_band_at_the_best_reachable_trades_no_dust():
    """10,000 DAI (haircut 0.05) and a little ETH (haircut 0.2) against USDC at HF 1.1 < 1.3,
    swaps into DAI only: the best is every ETH swapped, L = (10000 + 2000 q) 0.95. With
    q = 1e-9 ETH that is 3.2e-11 above HF now: within 1e-9 of it, the band proposes no
    plan (it used to swap 1e-9 ETH every turn, paying any gas each time). With q = 1e-3 the
    best, 1.1 (10000 + 2) 0.95 / 9500 +, is worth reaching: the band lands just short of
    it, now + (best - now)(1 - 1e-9)."""
    for q, acts in ((1e-9, False), (1e-3, True)):
        m = keel.Market()
        eth, usdc, dai = m.add_asset("ETH", 2000.0), m.add_asset("USDC", 1.0), m.add_asset("DAI", 1.0)
        h = keel.HaircutModel()
        h.set_asset(eth, 0.3, 0.2)
        h.set_asset(dai, 0.1, 0.05)
        b = keel.Basket()
        b.set_collateral(dai, 10000.0)
        b.set_collateral(eth, q)
        debt = 9500.0 / 1.1
        b.set_debt(usdc, debt)
        now = (10000.0 * 0.95 + 2000.0 * q * 0.8) / debt
        best = (10000.0 + 2000.0 * q) * 0.95 / debt
        assert b.metrics(m, h).health_factor == pytest.approx(now, rel=1e-15)
        pol = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, allowed=["swap"],
                                      swap_to=dai)
        plan = pol.plan(m, b, h, keel.CostModel())
        assert (len(plan) > 0) == acts
        if acts:
            assert plan.after.health_factor == pytest.approx(now + (best - now) * (1 - 1e-9),
                                                             rel=1e-12)
