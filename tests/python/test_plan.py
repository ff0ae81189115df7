"""Plans and the deleverage solver through Python, against a hand-worked sale."""

import pytest

import keel


def test_deleverage_worked_by_hand():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, 0.195, 0.17)
    c = keel.CostModel()
    c.set_fee(eth, bps=10)
    b = keel.Basket()
    b.set_collateral(eth, 10)
    b.set_debt(usdc, 15000)
    plan = keel.deleverage(m, b, h, c, target=1.5, repay_asset=usdc)
    # 1660 (10 - x) = 1.5 (15000 - 1998 x)  ->  x = 5900 / 1337
    (a,) = plan.actions
    assert a.kind == "sell_to_repay" and a.asset == eth
    assert a.quantity == pytest.approx(5900 / 1337, rel=1e-12)
    assert plan.cost == pytest.approx(2 * 5900 / 1337, rel=1e-10)
    assert plan.after.health_factor == pytest.approx(1.5, rel=1e-12)
    plan.apply(b)
    assert b.metrics(m, h).health_factor == pytest.approx(1.5, rel=1e-12)
    with pytest.raises(keel.StateError):
        plan.apply(b)
    b.set_debt(usdc, 30000)
    with pytest.raises(keel.InfeasibleError) as e:
        keel.deleverage(m, b, h, c, target=1.5, repay_asset=usdc)
    assert e.value.best_health == pytest.approx(b.metrics(m, h).health_factor, rel=1e-12)
    with pytest.raises(keel.OutOfRangeError):
        keel.deleverage(m, b, h, c, target=0.9, repay_asset=usdc)


def _falling_account():
    """USDC and ETH debt against ETH and BTC: repaying USDC by selling
    collateral raises HF only until the ETH debt dominates; selling
    everything leaves the ETH debt against nothing (HF -> 0)."""
    m = keel.Market()
    usdc = m.add_asset("USDC", 1.0)
    eth = m.add_asset("ETH", 2000.0, volatility=0.5)
    btc = m.add_asset("BTC", 20516.92037402005, volatility=0.6)
    m.set_correlation(eth, btc, 0.5)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    h.set_asset(btc, initial=0.2, maintenance=0.15)
    h.set_asset(usdc, initial=0.02, maintenance=0.01)
    h.set_volatility_addon(0.99, 1)
    b = keel.Basket()
    b.set_collateral(eth, 13.9974655597583)
    b.set_collateral(btc, 0.5)
    b.set_debt(usdc, 25682.994099652216)
    b.set_debt(eth, 1.9343102912438739)
    c = keel.CostModel()
    c.set_fee(eth, bps=4.519247308763385 / 2000 * 1e4)
    c.set_fee(btc, bps=59.74877267012781 / 20516.92037402005 * 1e4)
    return m, h, c, b, usdc


def test_deleverage_never_lands_on_the_far_side_of_a_peak():
    """A target above the peak of HF along the plans is out of reach: the
    answer is KEEL_E_INFEASIBLE with the best, never a plan that sells
    everything and leaves HF near 0 (it was reported as landing on the
    target: the rounding bound of HF, eps (W/W' + L/L'), was applied to
    the target instead of to the HF computed, and L' -> 0 made it ~3.5)."""
    m, h, c, b, usdc = _falling_account()
    for target in (2.67671499650186, 2.5):
        with pytest.raises(keel.InfeasibleError) as e:
            keel.deleverage(m, b, h, c, target=target, repay_asset=usdc)
        best = e.value.best_health
        assert 2.0 < best < target
        # the best reported is reachable, and just above it is not
        plan = keel.deleverage(m, b, h, c, target=best * (1 - 1e-7), repay_asset=usdc)
        after = b.clone()
        plan.apply(after)
        assert after.metrics(m, h).health_factor >= best * (1 - 1e-7) * (1 - 1e-9)
    for target in (1.5, 2.0, 2.4):  # below the peak: landed on
        plan = keel.deleverage(m, b, h, c, target=target, repay_asset=usdc)
        after = b.clone()
        plan.apply(after)
        assert abs(after.metrics(m, h).health_factor - target) <= 1e-9 * target
