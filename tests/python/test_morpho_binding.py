"""keel.morpho: the Python shapes of keel/morpho.h, ints in and out (never wrapped), and
hostile input refused with a specific error and nothing changed."""
from decimal import Decimal
from fractions import Fraction

import pytest

import keel
from keel import (InfeasibleError, InvalidSymbolError, OutOfRangeError, OverflowKeelError,
                  MorphoMarket, MorphoPosition)
from keel.morpho import MorphoRevert, convert, incentive_factor

WAD = 10**18
E18 = 10**18


def market(**over):
    kw = dict(lltv=86 * 10**16, price=2 * 10**27, loan_decimals=6,
              total_supply_assets=2 * 10**12, total_supply_shares=2 * 10**18,
              total_borrow_assets=10**12, total_borrow_shares=10**18)
    kw.update(over)
    return MorphoMarket("USDC", "WETH", **kw)


def test_exported_from_the_package():
    assert keel.MorphoMarket is MorphoMarket and keel.morpho.MorphoPosition is MorphoPosition


def test_position_data_at_the_line():
    m = market()
    d = m.position_data(MorphoPosition(borrow_shares=172 * 10**13, collateral=E18))
    assert (d.max_borrow, d.borrow_assets, d.health_factor) == (1720000000, 1720000000, WAD)
    assert d.healthy and not d.liquidatable
    d = m.position_data((0, 172 * 10**13 + 1, E18))  # a tuple works too
    assert d.liquidatable and d.borrow_assets == 1720000001


def test_liquidation_quote_and_best():
    m = market()
    p = MorphoPosition(borrow_shares=18 * 10**14, collateral=E18)
    q = m.liquidation_quote(p, repaid_shares=10**15)
    assert (q.seized_assets, q.repaid_assets) == (521920668000000000, 10**9)
    assert q.after == MorphoPosition(0, 8 * 10**14, 478079332000000000)
    assert q.total_borrow_assets_after == 999 * 10**9
    b = m.best_liquidation(p)
    assert b.repaid_shares == 18 * 10**14 and b.after.borrow_shares == 0
    with pytest.raises(MorphoRevert) as e:
        m.liquidation_quote(p, seized_assets=1, repaid_shares=1)
    assert e.value.reason == "inconsistent input"
    with pytest.raises(MorphoRevert) as e:
        m.best_liquidation(MorphoPosition(borrow_shares=10**15, collateral=E18))
    assert e.value.reason == "position is healthy"
    assert isinstance(e.value, InfeasibleError)


def test_keeper():
    m = market()
    sick = MorphoPosition(borrow_shares=18 * 10**14, collateral=E18)
    ok = MorphoPosition(borrow_shares=10**15, collateral=E18)
    assert m.repay_to_target(sick, 1) == 80000000
    assert m.repay_to_target(sick, Fraction(WAD, WAD), "shares") == 80 * 10**12
    assert m.collateral_to_target(sick, Decimal(1)) == 46511628000000000
    assert m.max_withdraw_collateral(ok) == 418604651000000000
    assert m.max_borrow(ok) == 720000000
    assert m.max_borrow(ok, floor_hf="1.5") == 146666666
    assert m.liquidation_price(ok) == 1162790697999999999999999999
    assert m.liquidation_price(MorphoPosition(collateral=E18)) is None
    with pytest.raises(ValueError):
        m.repay_to_target(sick, 1, "wei")


def test_accrual_and_state():
    m = market(fee=10**17)
    assert m.accrue(10**9, 31536000) == (32038486841, 3158314259569630)
    st = m.state
    assert (st.total_borrow_assets, st.last_update) == (1032038486841, 31536000)
    m.set_state(fee=0)
    assert m.state.fee == 0 and m.state.total_borrow_assets == 1032038486841
    m.price = 5
    assert m.price == 5 and m.params.lltv == 86 * 10**16
    c = m.clone()
    c.price = 7
    assert m.price == 5


def test_functions():
    assert incentive_factor(86 * 10**16) == 1043841336116910229
    assert convert("to_shares_up", 1, 2, 10**6) == 666667
    assert convert("to_assets_down", 10**6, 2, 10**6) == 1
    with pytest.raises(ValueError):
        convert("to_shares", 1, 2, 3)


def test_bridge():
    m = market()
    km, kb, kh = m.to_keel(MorphoPosition(borrow_shares=172 * 10**13, collateral=E18))
    assert kb.metrics(km, kh).health_factor == pytest.approx(1.0, abs=1e-15)
    m.price = 0
    with pytest.raises(OutOfRangeError):
        m.to_keel(MorphoPosition(borrow_shares=1, collateral=1))


def test_hostile_input_is_refused_and_changes_nothing():
    m = market()
    before = (m.params, m.state)
    p = MorphoPosition(borrow_shares=10**15, collateral=E18)
    # floats, bools, negatives, 2**256: never wrapped
    for bad in (1.0, True, -1, 2**256, "1", None):
        with pytest.raises((TypeError, ValueError)):
            m.position_data(MorphoPosition(collateral=bad))
    with pytest.raises(TypeError):
        m.liquidation_quote(p, seized_assets=0.5)
    with pytest.raises(TypeError):
        m.price = 1.5
    with pytest.raises(TypeError):
        m.accrue(1e9, 10)
    with pytest.raises(ValueError):
        m.accrue(10**9, -1)
    # past the on-chain uint128 widths
    with pytest.raises(OverflowKeelError, match="uint128"):
        m.position_data(MorphoPosition(collateral=2**128))
    with pytest.raises(OverflowKeelError, match="uint128"):
        m.set_state(total_borrow_shares=2**128)
    # more shares than the market
    with pytest.raises(OutOfRangeError, match="more borrow shares"):
        m.position_data(MorphoPosition(borrow_shares=10**18 + 1))
    # fee above 25%
    with pytest.raises(OutOfRangeError, match="MAX_FEE"):
        m.set_state(fee=WAD // 4 + 1)
    with pytest.raises(TypeError):
        m.set_state(bogus=1)
    assert (m.params, m.state) == before
    # the market's own checks
    with pytest.raises(OutOfRangeError, match="lltv"):
        market(lltv=WAD)
    with pytest.raises(OutOfRangeError):
        market(loan_decimals=39)
    with pytest.raises(InvalidSymbolError):
        MorphoMarket("WETH", "WETH", lltv=1, price=1)
    with pytest.raises(TypeError):
        market(lltv=0.86)
    with pytest.raises(TypeError):
        m.position_data([0, 1, 2])
    with pytest.raises(OutOfRangeError):
        m.repay_to_target(p, 0)
    m.close()
    with pytest.raises(ValueError):
        m.position_data(p)
