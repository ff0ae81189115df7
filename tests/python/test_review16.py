"""Review of issue 16 (Compound v3 / Morpho Blue layers): regression tests for the bugs a
reviewer found, each saying what the contract (or the API's own rules) gives and what keel
gave at review time (fixed since: Comet's views stop where the contract's loops stop; a
Morpho symbol with NUL is refused as every protocol binding's is)."""

import pytest

from keel.comet import CometAccount, CometMarket, CometRevert
from keel import OverflowKeelError
from keel.morpho import MorphoMarket

WAD = 10**18


def _market_with_huge_asset():
    # asset 1's balance * price passes 2**256 (mulPrice would overflow) -- but the contract
    # never computes it in the cases below.
    m = CometMarket("USDC", decimals=6, price=10**8)
    m.add_asset("WETH", decimals=18, price=2000 * 10**8, borrow_collateral_factor=8 * 10**17,
                liquidate_collateral_factor=9 * 10**17, liquidation_factor=95 * 10**16)
    m.add_asset("X", decimals=0, price=2**200, borrow_collateral_factor=8 * 10**17,
                liquidate_collateral_factor=9 * 10**17, liquidation_factor=95 * 10**16)
    return m


def test_comet_no_debt_never_reverts_in_is_liquidatable():
    """Comet.isLiquidatable / isBorrowCollateralized return at once for principal >= 0
    (`if (principal >= 0) return false / true`) without reading any collateral: they cannot
    revert. keel raised OverflowKeelError "(the contract reverts)"."""
    m = _market_with_huge_asset()
    a = CometAccount(m, principal=0, collateral={"X": 2**60})
    liq = a.liquidity()
    assert liq.is_borrow_collateralized and not liq.is_liquidatable


def test_comet_no_debt_absorb_reverts_not_liquidatable():
    """absorb of an account without debt reverts NotLiquidatable on chain; keel raised
    OverflowKeelError instead."""
    m = _market_with_huge_asset()
    a = CometAccount(m, principal=0, collateral={"X": 2**60})
    with pytest.raises(CometRevert) as e:
        a.absorb()
    assert e.value.reason == "NotLiquidatable"


def test_comet_early_exit_before_an_overflowing_asset():
    """The contract's loop returns as soon as the liquidity is >= 0: 1 USDC of debt against
    1 WETH (asset 0) is decided before asset 1, whose mulPrice would overflow, is reached.
    On chain: isLiquidatable = false, isBorrowCollateralized = true, absorb reverts
    NotLiquidatable, and withdrawing 0.5 WETH succeeds. keel raised OverflowKeelError from
    liquidity(), absorb(), max_withdraw(), max_borrow(), liquidation_price() and
    repay_to_target() (comet.h admits the overflow 'had it reached that asset', but it is
    not reached)."""
    m = _market_with_huge_asset()
    a = CometAccount(m, principal=-10**6, collateral={"WETH": 10**18, "X": 2**60})
    liq = a.liquidity()
    assert liq.is_borrow_collateralized and not liq.is_liquidatable
    with pytest.raises(CometRevert) as e:
        a.absorb()
    assert e.value.reason == "NotLiquidatable"
    assert a.repay_to_target(WAD) == 0


def test_morpho_symbols_with_nul_are_refused():
    """CometMarket, CometMarket.add_asset and the Aave binding refuse a symbol containing NUL
    (TypeError); MorphoMarket passed it to C, which silently truncated it: 'US\\0DC' became
    'US' in the keel market built by to_keel, while market.loan_symbol says 'US\\x00DC'."""
    with pytest.raises((TypeError, ValueError)):
        MorphoMarket("US\0DC", "WETH", lltv=86 * 10**16, price=10**36)
    with pytest.raises((TypeError, ValueError)):
        MorphoMarket("USDC", "WE\0TH", lltv=86 * 10**16, price=10**36)


def test_morpho_no_borrow_shares_is_healthy_before_the_price_is_read():
    """A cousin of the Comet case above: Morpho._isHealthy(marketParams, id, borrower)
    returns true when borrowShares == 0 before it reads the oracle, so a collateral value
    past 2**256 cannot revert it. keel raised OverflowKeelError; now the position is healthy
    and the unreachable values are saturated."""
    m = MorphoMarket("USDC", "WETH", lltv=86 * 10**16, price=2**200,
                     total_supply_assets=10**6, total_supply_shares=10**12,
                     total_borrow_assets=10**6, total_borrow_shares=10**12)
    d = m.position_data((0, 0, 2**127))
    assert d.healthy and not d.liquidatable and d.borrow_assets == 0
    assert d.collateral_value == d.max_borrow == 2**256 - 1
    with pytest.raises(OverflowKeelError):  # with a debt, _isHealthy computes it: reverts
        m.position_data((0, 10**6, 2**127))
