"""Scans and simulations through Python: the scan against metrics account by
account (zero-copy numpy in and out), against a numpy implementation, top-k
against a sort, shards merging to the same bits, cancellation."""

import math

import pytest

import keel

np = pytest.importorskip("numpy")


@pytest.fixture
def market():
    m = keel.Market()
    ids = [m.add_asset(s, p) for s, p in (("ETH", 2000.0), ("USDC", 1.0), ("WBTC", 60000.0),
                                          ("SOL", 150.0))]
    for a, v in zip(ids, (0.8, 0.0, 0.6, 1.1)):
        m.set_volatility(a, v)
    h = keel.HaircutModel()
    for a, (hi, hm) in zip(ids, ((0.25, 0.2), (0.02, 0.0), (0.3, 0.25), (0.4, 0.35))):
        h.set_asset(a, initial=hi, maintenance=hm)
    h.set_borrow_factor(ids[3], 1.2)
    return m, h, ids


def accounts(n, seed=1):
    """n accounts of 4 positions (assets 0..3), collateral in all, debt in USDC."""
    rng = np.random.default_rng(seed)
    offsets = np.arange(0, 4 * n + 1, 4, dtype=np.uintp)
    assets = np.tile(np.arange(4, dtype=np.uint32), n)
    coll = rng.uniform(0, 1, 4 * n) * np.tile([5.0, 5000.0, 0.2, 50.0], n)
    debt = np.zeros(4 * n)
    debt[1::4] = rng.uniform(2000, 20000, n)
    return offsets, assets, coll, debt


def test_scan_equals_metrics_and_numpy(market):
    m, h, ids = market
    off, a, q, d = accounts(500)
    hf = keel.scan(m, h, off, a, q, d)
    for i in range(0, 500, 7):
        b = keel.Basket()
        for k in range(off[i], off[i + 1]):
            b.set_collateral(int(a[k]), float(q[k]))
            b.set_debt(int(a[k]), float(d[k]))
        assert hf[i] == b.metrics(m, h).health_factor  # bit for bit
    price = np.array([2000.0, 1.0, 60000.0, 150.0])
    lend = np.array([0.8, 1.0, 0.75, 0.65])
    bf = np.array([1.0, 1.0, 1.0, 1.2])
    cv, dv = q * price[a], d * price[a]
    lv = np.add.reduceat(np.where(cv > 0, cv * lend[a], 0.0), off[:-1].astype(np.intp))
    wv = np.add.reduceat(dv * bf[a], off[:-1].astype(np.intp))
    assert np.allclose(hf, lv / wv, rtol=1e-14)
    shard = keel.scan(m, h, off, a, q, d, first=100, count=50)
    assert np.array_equal(shard, hf[100:150])


def test_scan_converts_other_dtypes_and_refuses_bad_rows(market):
    m, h, ids = market
    off, a, q, d = accounts(10)
    # another integer dtype is converted once, to the same result; a negative offset
    # raises instead of wrapping
    assert np.array_equal(keel.scan(m, h, off.astype(np.int32), a.astype(np.int64), q, d),
                          keel.scan(m, h, off, a, q, d))
    bad = off.astype(np.int64)
    bad[-1] = -1
    with pytest.raises(ValueError):
        keel.scan(m, h, bad, a, q, d)
    a2 = a.copy()
    a2[5] = 0  # not increasing within account 1
    with pytest.raises(keel.OutOfRangeError, match="account 1"):
        keel.scan(m, h, off, a2, q, d)
    q2 = q.copy()
    q2[9] = np.nan
    with pytest.raises(keel.NotFiniteError):
        keel.scan(m, h, off, a, q2, d)
    with pytest.raises(ValueError):
        keel.scan(m, h, off, a, q, d, first=8, count=5)


def test_top_k_and_liquidations_at_risk(market):
    m, h, ids = market
    off, a, q, d = accounts(2000, seed=3)
    hf = keel.scan(m, h, off, a, q, d)
    idx, top = keel.scan_top_k(m, h, off, a, q, d, k=25)
    order = np.lexsort((np.arange(len(hf)), hf))[:25]
    assert np.array_equal(idx, order) and np.array_equal(top, hf[order])
    idx2, _ = keel.scan_top_k(m, h, off, a, q, d, k=5, first=1000, count=1000)
    assert all(1000 <= i < 2000 for i in idx2)
    curve = keel.liquidations_at_risk(m, h, off, a, q, d, np.linspace(0, -0.6, 7))
    assert curve[0] <= curve[-1] and curve[-1] > 0


def test_simulation_shards_and_cancel(market):
    m, h, ids = market
    b = keel.Basket()
    b.set_collateral(ids[0], 10.0)
    b.set_debt(ids[1], 12000.0)
    band = keel.Policy.health_band(debt_asset=ids[1])
    c = keel.CostModel()
    c.set_fee(ids[0], bps=10)
    sim = keel.Simulation(m, b, h, c, band, steps=20, seed=11)
    whole = sim.run(0, 90)
    merged = sim.run(60, 30).merge(sim.run(0, 30)).merge(sim.run(30, 30))
    assert merged.summary == whole.summary
    assert merged.percentile("min_health", 0.05) == whole.percentile("min_health", 0.05)
    assert 0 <= whole.liquidation_probability <= 1 and whole.paths == 90
    seen = []
    with pytest.raises(keel.CancelledError) as e:
        sim.run(0, 400, progress=lambda f: seen.append(f) or f >= 0.25)
    assert e.value.stats.paths == 100 and len(seen) == 25
    hold = keel.Simulation(m, b, h, c, steps=20, seed=11).run(0, 90)
    assert whole.liquidation_probability <= hold.liquidation_probability
    with pytest.raises(keel.OutOfRangeError):
        sim.run(0, 0)
    with pytest.raises(keel.OutOfRangeError):
        merged.merge(sim.run(0, 1))
    import pickle
    a, b = sim.run(0, 50), pickle.loads(pickle.dumps(sim.run(50, 40)))
    assert a.merge(b).summary == whole.summary
    with pytest.raises(keel.OutOfRangeError):
        keel.SimStats.from_bytes(b"KSTS" + bytes(10))


def test_replay_and_stress(market):
    m, h, ids = market
    b = keel.Basket()
    b.set_collateral(ids[0], 10.0)
    b.set_debt(ids[1], 15000.0)
    sim = keel.Simulation(m, b, h, keel.CostModel(), steps=3)
    sim.set_paths([ids[0]], np.array([[[1900.0], [1800.0], [1800.0]]]))
    s = sim.run(0, 1).summary
    assert s.mean_liquidations == 1 and s.mean_bonus_lost == pytest.approx(375.0)
    with pytest.raises(keel.NotFiniteError):
        sim.set_paths([ids[0]], np.array([[[1900.0], [math.nan], [1800.0]]]))
    (m0, m1) = keel.stress(m, b, h, [ids[0]], [[0.0], [-0.25]])
    assert m1.health_factor == pytest.approx(m0.health_factor * 0.75, rel=1e-14)


def test_policy_failures_are_never_silent():
    # A health band told to repay an asset the market does not have fails on
    # every turn below 1.3. Replayed at 1990 for two steps, HF is
    # 15920 / 12500 = 1.2736 at each: 2 failed turns per path. The run warns,
    # and the summary says how many turns, how many paths and which first.
    np = pytest.importorskip("numpy")
    m = keel.Market(); eth = m.add_asset("ETH", 2000.0); usdc = m.add_asset("USDC", 1.0)
    m.set_volatility(eth, 0.8)
    h = keel.HaircutModel(); h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket(); b.set_collateral(eth, 10.0); b.set_debt(usdc, 12500.0)
    sim = keel.Simulation(m, b, h, keel.CostModel(), keel.Policy.health_band(debt_asset=7),
                          steps=2, seed=3)
    sim.set_paths([eth], np.full((8, 2, 1), 1990.0))
    with pytest.warns(keel.PolicyFailureWarning, match="first: path 4"):
        st = sim.run(4, 3)
    s = st.summary
    assert (s.policy_failures, s.paths_with_policy_failures, s.first_policy_failure_path) == (6, 3, 4)
    assert st.percentile("policy_failures", 0.0) == 2.0
    # the same account with a valid policy: no warning, no failure
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", keel.PolicyFailureWarning)
        ok = keel.Simulation(m, b, h, keel.CostModel(), keel.Policy.health_band(debt_asset=usdc),
                             steps=5, seed=3).run(0, 20)
    assert ok.summary.policy_failures == 0
    assert ok.summary.first_policy_failure_path is None  # C's UINT64_MAX: none


def test_hostile_offsets_k_and_integers_never_reach_c():
    # Issue 13's crashes: k=-1 made C write n results into a 1-element array;
    # offsets [2^40, 2^40 + 1, 2] made C read account 0's positions 2^40 out;
    # -1 steps became 4294967295; 2^32 + id changed position id.
    np = pytest.importorskip("numpy")
    m = keel.Market(); eth = m.add_asset("ETH", 2000.0); usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel(); h.set_asset(eth, 0.25, 0.2)
    off = np.arange(65, dtype=np.uintp)
    assets = np.zeros(64, dtype=np.uint32)
    q, d = np.ones(64), np.zeros(64)
    for k in (-1, 2**64 + 1, 1.5, True):
        with pytest.raises((ValueError, TypeError)):
            keel.scan_top_k(m, h, off, assets, q, d, k=k)
    idx, hf = keel.scan_top_k(m, h, off, assets, q, d, k=np.int64(3))
    assert len(idx) == 3
    bad = np.array([2**40, 2**40 + 1, 2], dtype=np.uintp)
    for fn in (lambda: keel.scan(m, h, bad, assets[:2], q[:2], d[:2]),
               lambda: keel.scan_top_k(m, h, bad, assets[:2], q[:2], d[:2], k=1),
               lambda: keel.liquidations_at_risk(m, h, bad, assets[:2], q[:2], d[:2], [0.0])):
        with pytest.raises(ValueError, match="decrease"):
            fn()
    b = keel.Basket(); b.set_collateral(eth, 1.0)
    for kw in ({"steps": -1}, {"steps": 2**32 + 5}, {"rebalance_every": -1}, {"seed": -1}):
        with pytest.raises(ValueError):
            keel.Simulation(m, b, h, keel.CostModel(), **kw)
    sim = keel.Simulation(m, b, h, keel.CostModel(), steps=2)
    with pytest.raises(ValueError):
        sim.run(-1, 3)
    o = keel.Options(); pid = o.add(eth, "call", 2000.0, 0.1, 1.0)
    with pytest.raises(ValueError):
        o.set_quantity(2**32 + pid, 99.0)
    assert o.position(pid).quantity == 1.0 if hasattr(o, "position") else True
    # a failed add leaves nothing behind
    with pytest.raises(keel.KeelError):
        o.add(eth, "put", 1500.0, 0.1, 1.0, volatility=float("nan"))
    assert len(o) == 1


def test_copy_of_a_handle_is_refused_or_real():
    import copy
    m = keel.Market(); m.add_asset("ETH", 1.0)
    for f in (copy.copy, copy.deepcopy):
        with pytest.raises(TypeError, match="clone"):
            f(m)
    eth = 0
    h = keel.HaircutModel(); h.set_asset(eth, 0.25, 0.2)
    b = keel.Basket(); b.set_collateral(eth, 1.0)
    st = keel.Simulation(m, b, h, keel.CostModel(), steps=2).run(0, 4)
    c = copy.copy(st)  # statistics copy through their byte form: a real, separate handle
    st.close()
    assert c.summary.paths == 4
