"""None (or any non-handle) where a keel handle goes is a TypeError naming
the argument, before anything reaches C; None where the API allows it (an
options book, a wallet) still means "none"."""

import pytest

import keel


@pytest.fixture
def world():
    m = keel.Market()
    eth = m.add_asset("ETH", 1800.0, volatility=0.8)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    c = keel.CostModel()
    band = keel.Policy.health_band(debt_asset=usdc)
    return dict(m=m, h=h, b=b, c=c, eth=eth, usdc=usdc, band=band)


# call -> (the call, the handle arguments it takes other than its receiver)
CALLS = {
    "metrics": (lambda w, m, h, b, c: b.metrics(m, h), "market haircuts"),
    "liquidation_price": (lambda w, m, h, b, c: b.liquidation_price(m, h, w["eth"]),
                          "market haircuts"),
    "breakdown": (lambda w, m, h, b, c: h.breakdown(m, b, w["eth"]), "market basket"),
    "cost": (lambda w, m, h, b, c: c.cost(m, w["eth"], 1.0), "market"),
    "deleverage": (lambda w, m, h, b, c: keel.deleverage(m, b, h, c, repay_asset=w["usdc"]),
                   "market haircuts basket costs"),
    "policy.plan": (lambda w, m, h, b, c: w["band"].plan(m, b, h, c),
                    "market haircuts basket costs"),
    "liquidation_probability": (
        lambda w, m, h, b, c: keel.liquidation_probability(m, b, h, 0.1),
        "market haircuts basket"),
    "optimize_collateral": (lambda w, m, h, b, c: keel.optimize_collateral(
        m, h, [w["eth"], w["usdc"]], min_borrowing=0.5), "market haircuts"),
    "stress": (lambda w, m, h, b, c: keel.stress(m, b, h, [w["eth"]], [[-0.1]]),
               "market haircuts basket"),
    "Simulation": (lambda w, m, h, b, c: keel.Simulation(m, b, h, c, steps=2),
                   "market haircuts basket costs"),
}
KEYS = {"market": "m", "haircuts": "h", "basket": "b", "costs": "c"}


@pytest.mark.parametrize("call,slot", [(c, s) for c in sorted(CALLS) for s in CALLS[c][1].split()])
def test_none_handle_is_a_type_error_naming_it(world, call, slot):
    args = dict(m=world["m"], h=world["h"], b=world["b"], c=world["c"])
    fn = CALLS[call][0]
    fn(world, **args)  # valid as given
    args[KEYS[slot]] = None
    with pytest.raises(TypeError, match=f"^{slot} must be a keel handle, got None$"):
        fn(world, **args)
    args[KEYS[slot]] = 7
    with pytest.raises(TypeError, match=f"^{slot} must be a keel handle, got int$"):
        fn(world, **args)


def test_optional_handles_accept_none(world):
    w = world
    w["b"].metrics(w["m"], w["h"], options=None)
    w["band"].plan(w["m"], w["b"], w["h"], w["c"], options=None, wallet=None)
    with pytest.raises(TypeError, match="wallet must be a keel handle, got int"):
        w["band"].plan(w["m"], w["b"], w["h"], w["c"], wallet=3)
    with pytest.raises(TypeError, match=r"policies\[1\] must be a keel handle, got None"):
        keel.Policy.compose(w["band"], None)
    stats = keel.Simulation(w["m"], w["b"], w["h"], w["c"], steps=2).run(0, 2)
    with pytest.raises(TypeError, match="other must be a keel handle"):
        stats.merge(None)


def test_numpy_integers_are_asset_ids():
    """Asset ids from numpy arrays (any integer dtype) are ids; bools and
    floats are not."""
    import numpy as np
    m = keel.Market()
    m.add_asset("A", 1.0)
    m.add_asset("B", 2.0)
    for dtype in (np.int8, np.uint16, np.int32, np.uint32, np.int64, np.uint64):
        assert m.price(dtype(1)) == 2.0
    m.set_correlations(np.array([0], dtype=np.int64), np.array([1], dtype=np.uint8), [0.5])
    assert m.correlation(np.int64(1), 0) == 0.5
    for bad in (True, 1.0, np.float64(1.0), "1"):
        with pytest.raises(TypeError):
            m.price(bad)
    with pytest.raises(ValueError):
        m.price(np.int64(-1))
