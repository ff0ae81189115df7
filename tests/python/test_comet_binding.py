"""keel.comet through hostile hands: every int is range-checked before C sees it (never
wrapped), floats and bools refused, signed principals round-trip, handles closed or of the
wrong type raise, reverts carry their reason, failed calls change nothing."""
import pytest

from keel import OutOfRangeError, OverflowKeelError, UnknownAssetError
from keel.comet import CometAccount, CometMarket, CometRevert, from_cint, to_cint

E15, E18 = 10**15, 10**18


@pytest.fixture
def market():
    m = CometMarket("USDC", decimals=6, price=10**8, supply_index=105 * E15 // 100,
                    borrow_index=110 * E15 // 100, total_supply_base=10**10,
                    total_borrow_base=5 * 10**9, base_balance=6 * 10**9,
                    store_front_price_factor=5 * E18 // 10, target_reserves=5 * 10**9)
    m.add_asset("WETH", decimals=18, price=2000 * 10**8, borrow_collateral_factor=825 * E15,
                liquidate_collateral_factor=895 * E15, liquidation_factor=950 * E15,
                supply_cap=10**24, total_supply_asset=100 * E18, balance=110 * E18)
    return m


def test_signed_ints_round_trip_and_are_checked():
    for v in (0, 1, -1, 2**255 - 1, -(2**256 - 1)):
        assert from_cint(to_cint(v)) == v
    for bad in (2**256, -(2**256)):
        with pytest.raises(ValueError):
            to_cint(bad)
    for bad in (1.0, True, "1", None):
        with pytest.raises(TypeError):
            to_cint(bad)


def test_the_hand_worked_account(market):
    a = CometAccount(market, principal=-1627272729, collateral={"WETH": E18})
    d = a.liquidity()
    assert d.present_value == -1790000001 and d.liquidation_liquidity == -100
    assert d.is_liquidatable and not d.is_borrow_collateralized
    q = a.absorb()
    assert (q.new_balance, q.new_principal, q.deficit) == (109999999, 104761903, 0)
    assert q.seized == {0: E18} and q.seized_value == {0: 200 * 10**9}
    assert a.liquidation_price("WETH") == (-1, 200000000111, True)
    assert a.repay_to_target(E18, "liquidate") == 1
    assert a.repay_to_target(2 * E18) == 965000001
    assert market.quote_collateral("WETH", 10**9) == 512820512820512820
    assert market.present_value(-7) == -7 and market.principal_value(7) == 6
    a.absorb(apply=True)
    assert a.principal == 104761903 and a.collateral("WETH") == 0


def test_reverts_carry_their_reason(market):
    healthy = CometAccount(market, principal=-10**6, collateral={"WETH": E18})
    with pytest.raises(CometRevert) as e:
        healthy.absorb()
    assert e.value.reason == "NotLiquidatable"
    with pytest.raises(CometRevert) as e:
        market.buy_collateral("WETH", 10**9, min_amount=10**30)
    assert e.value.reason == "TooMuchSlippage"
    market.set_base(target_reserves=10**9)
    with pytest.raises(CometRevert) as e:
        market.buy_collateral("WETH", 1)
    assert e.value.reason == "NotForSale"


def test_hostile_inputs_change_nothing(market):
    a = CometAccount(market, principal=-5, collateral={0: 9})
    before = (a.principal, a.collateral(0), market.base(), market.asset(0))
    with pytest.raises(OverflowKeelError):
        a.principal = 2**103                       # past int104
    with pytest.raises(ValueError):
        a.principal = 2**256                       # past 256 bits
    with pytest.raises(TypeError):
        a.principal = -5.0
    with pytest.raises(OverflowKeelError):
        a.set_collateral(0, 2**128)                # past uint128
    with pytest.raises(TypeError):
        a.set_collateral(0, 1.5)
    with pytest.raises(UnknownAssetError):
        a.set_collateral(3, 1)
    with pytest.raises(OutOfRangeError):
        market.set_asset(0, borrow_collateral_factor=895 * E15)   # BorrowCFTooLarge
    with pytest.raises(OutOfRangeError):
        market.set_asset(0, liquidate_collateral_factor=E18 + 1)  # LiquidateCFTooLarge
    with pytest.raises(ValueError):
        market.set_asset(0, liquidation_factor=2**64)             # past uint64
    with pytest.raises(OutOfRangeError):
        market.set_base(store_front_price_factor=E18 + 1)         # BadDiscount
    with pytest.raises(OutOfRangeError):
        market.set_base(total_borrow_base=2**104)                 # past uint104
    with pytest.raises(TypeError):
        market.set_base(price=1e8)
    with pytest.raises(TypeError):
        market.set_base(nonsense=1)
    with pytest.raises(OutOfRangeError):
        a.repay_to_target(0)
    with pytest.raises(ValueError):
        a.repay_to_target(E18, line="sideways")
    with pytest.raises(OutOfRangeError):
        a.max_borrow(floor=2**200)
    assert (a.principal, a.collateral(0), market.base(), market.asset(0)) == before


def test_closed_and_wrong_handles(market):
    a = CometAccount(market, principal=-1)
    a.close()
    with pytest.raises(ValueError):
        a.liquidity()
    with pytest.raises(TypeError):
        CometAccount("not a market")
    m2 = market.clone()
    market.close()
    assert len(m2) == 1
    b = CometAccount(m2, collateral={"WETH": 1})
    km, kb, kh = b.to_keel()
    assert km is not None


def test_factors_stored_as_the_contract_reads_them(market):
    i = market.add_asset("WBTC", decimals=8, price=60000 * 10**8,
                         borrow_collateral_factor=700 * E15 + 12345,
                         liquidate_collateral_factor=770 * E15 + 99,
                         liquidation_factor=950 * E15, supply_cap=12345678901)
    got = market.asset(i)
    assert got["borrow_collateral_factor"] == 700 * E15
    assert got["liquidate_collateral_factor"] == 770 * E15
    assert got["supply_cap"] == 12300000000               # whole tokens
