"""keel.aave through hostile hands: every int is range-checked before C sees it (never
wrapped), handles closed or of the wrong type raise, reverts carry their reason."""
import pytest

import keel
from keel import NotFoundError, OutOfRangeError, OverflowKeelError, UnknownAssetError
from keel.aave import (AaveAccount, AaveMarket, AaveRevert, aave_scan, mul_div_ceil, to_u256,
                       from_u256, wadray)


@pytest.fixture
def market():
    m = AaveMarket("3.6")
    m.add_reserve("WETH", decimals=18, ltv=8050, liquidation_threshold=8300,
                  liquidation_bonus=10500, liquidation_protocol_fee=1000, price=2000 * 10**8)
    m.add_reserve("USDC", decimals=6, ltv=7700, liquidation_threshold=8000,
                  liquidation_bonus=10450, price=10**8)
    return m


def test_ints_are_checked_not_wrapped():
    for bad in (-1, 2**256, -(2**255)):
        with pytest.raises(ValueError):
            to_u256(bad)
    for bad in (True, 1.0, "1", None):
        with pytest.raises(TypeError):
            to_u256(bad)
    assert from_u256(to_u256(2**256 - 1)) == 2**256 - 1
    np = pytest.importorskip("numpy")
    assert from_u256(to_u256(np.uint64(2**64 - 1))) == 2**64 - 1
    with pytest.raises(ValueError):
        to_u256(np.int64(-5))


def test_wadray_and_reverts():
    assert wadray("ray_mul", 1, 5 * 10**26) == 1   # half up
    assert wadray("ray_mul_floor", 1, 5 * 10**26) == 0
    assert mul_div_ceil(7, 3, 2) == 11
    with pytest.raises(OverflowKeelError):
        wadray("wad_mul", 2**255, 2)
    with pytest.raises(OutOfRangeError):
        wadray("ray_div", 1, 0)
    with pytest.raises(ValueError):
        wadray("rayMul", 1, 1)


def test_market_inputs(market):
    with pytest.raises(ValueError):
        AaveMarket("3.3")
    with pytest.raises(ValueError):  # 2**32 for a bps field
        market.add_reserve("X", ltv=2**32)
    with pytest.raises(TypeError):
        market.add_reserve("X", nonsense=1)
    with pytest.raises(TypeError):
        market.add_reserve("X", active=1)
    with pytest.raises(OutOfRangeError):  # LTV above the threshold, named in the detail
        market.add_reserve("X", ltv=9000, liquidation_threshold=8000, liquidation_bonus=10500)
    assert len(market) == 2
    with pytest.raises(TypeError):
        market.add_reserve("X\0Y", price=1)
    with pytest.raises(NotFoundError):
        market.find("DAI")
    with pytest.raises(ValueError):  # a bitmap has 128 bits
        market.set_emode(1, ltv=9000, liquidation_threshold=9300, liquidation_bonus=10100,
                         collateral=[200])
    with pytest.raises(UnknownAssetError):
        market.set_emode(1, ltv=9000, liquidation_threshold=9300, liquidation_bonus=10100,
                         collateral=[5])
    with pytest.raises(NotFoundError):
        market.set_emode(1, ltv=9000, liquidation_threshold=9300, liquidation_bonus=10100,
                         collateral=["DAI"])
    with pytest.raises(ValueError):
        market.accrue(-1)
    r = market.reserve("USDC")
    assert (r.decimals, r.price, r.liquidity_index) == (6, 10**8, 10**27)
    assert "WETH" in repr(market)


def test_account_inputs_and_reverts(market):
    a = AaveAccount(market)
    a.set_position("WETH", supply=10 * 10**18)
    a.set_position("USDC", debt=12_000 * 10**6)
    with pytest.raises(ValueError):
        a.set_position("USDC", debt=-1)
    with pytest.raises(OverflowKeelError):  # wider than the token's storage
        a.set_position("USDC", debt=2**200, underlying=False)
    with pytest.raises(TypeError):
        a.set_position("USDC", debt=1, collateral=1)
    with pytest.raises(UnknownAssetError):
        a.set_position(7, supply=1)
    with pytest.raises(NotFoundError):
        a.emode = 3
    d = a.account_data()
    assert d.health_factor == 16_600 * 10**18 // 12_000  # 1.3833... in wad, floored
    with pytest.raises(AaveRevert) as e:
        a.liquidation_quote("WETH", "USDC")
    assert e.value.reason == "HealthFactorNotBelowThreshold"
    assert isinstance(e.value, keel.InfeasibleError)
    with pytest.raises(ValueError):
        a.repay_to_target("USDC", float("nan"))
    with pytest.raises(ValueError):
        a.repay_to_target("USDC", "1.0000000000000000001")  # more than 18 decimals
    assert a.repay_to_target("USDC", 1.5) == 12_000 * 10**6 - 16_600 * 10**6 * 2 // 3
    with pytest.raises(TypeError):
        a.max_borrow("USDC", floor_hf=True)
    with pytest.raises(TypeError):
        AaveAccount(keel.Market())


def test_closed_handles_raise(market):
    a = AaveAccount(market)
    a.set_position("WETH", supply=10**18)
    b = AaveAccount(market)
    b.close()
    with pytest.raises(ValueError):
        b.account_data()
    with pytest.raises(ValueError):
        aave_scan(market, [a, b])
    with pytest.raises(TypeError):
        aave_scan(market, [a, "b"])
    hf, liq, exact = aave_scan(market, [a])
    assert hf[0] == float("inf") and not liq[0] and exact == 0
    market.close()
    with pytest.raises(ValueError):
        a.account_data()


def test_weighted_ratios_with_a_threshold_zero_collateral():
    """1 WETH (2,000; LTV 80%, threshold 82.5%) and 1,000 of a switched-on reserve whose
    LTV and threshold are 0, against 800 USDC. v3.5 leaves the second out of the total
    collateral: ltv 8000, threshold 8250 bps; v3.6 counts it (GenericLogic): total 3,000,
    ltv floor(2000 x 8000 / 3000) = 5333, threshold floor(2000 x 8250 / 3000) = 5500.
    keel's model cannot list an asset that counts for nothing, so on the bridged account
    its weighted ratios stay 0.8 and 0.825 in both (include/keel/aave.h,
    keel_aave_to_keel); the health factor, 1650 / 800, is the same everywhere."""
    for ver, total, ltv, lt in (("3.5", 2000, 8000, 8250), ("3.6", 3000, 5333, 5500)):
        am = AaveMarket(ver)
        weth = am.add_reserve("WETH", decimals=18, ltv=8000, liquidation_threshold=8250,
                              liquidation_bonus=10500, price=2000 * 10**8)
        old = am.add_reserve("OLD", decimals=6, ltv=0, liquidation_threshold=0,
                             liquidation_bonus=0, price=10**8)
        usdc = am.add_reserve("USDC", decimals=6, ltv=7500, liquidation_threshold=7800,
                              liquidation_bonus=10450, price=10**8)
        a = AaveAccount(am)
        a.set_position(weth, supply=10**18)
        a.set_position(old, supply=1000 * 10**6, collateral=True)
        a.set_position(usdc, debt=800 * 10**6)
        d = a.account_data()
        assert (d.total_collateral_base, d.ltv, d.current_liquidation_threshold) == \
            (total * 10**8, ltv, lt)
        assert d.health_factor == 1650 * 10**18 // 800
        km, kb, kh = a.to_keel()
        mt = kb.metrics(km, kh)
        assert mt.weighted_max_ltv == pytest.approx(0.8, rel=1e-15)
        assert mt.weighted_liquidation_threshold == pytest.approx(0.825, rel=1e-15)
        assert mt.health_factor == pytest.approx(1650 / 800, rel=1e-15)
