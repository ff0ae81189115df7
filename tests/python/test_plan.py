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
