"""Regression tests from an independent review of the Aave v3 layer: each case once gave an
answer other than the chain's (aave-dao/aave-v3-origin v3.6.0; each docstring cites the
Solidity) and failed before its fix."""
import json
import pathlib

import numpy as np
import pytest

from keel import UnknownAssetError
from keel.aave import AaveAccount, AaveMarket, AaveRevert, aave_scan
from keel.cost import CostModel
from keel.sim import Simulation

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples/data/aave-v3-ethereum-20231031.json"


def _market(version="3.6"):
    m = AaveMarket(version)
    m.add_reserve("WETH", decimals=18, ltv=8050, liquidation_threshold=8300,
                  liquidation_bonus=10500, liquidation_protocol_fee=1000, price=2000 * 10**8)
    m.add_reserve("USDC", decimals=6, ltv=7700, liquidation_threshold=8000,
                  liquidation_bonus=10450, price=10**8, borrowable_in_isolation=True)
    m.add_reserve("DAI", decimals=18, ltv=7700, liquidation_threshold=8000,
                  liquidation_bonus=10450, price=10**8)
    m.add_reserve("CRV", decimals=18, ltv=3500, liquidation_threshold=4100,
                  liquidation_bonus=10830, price=5 * 10**7, debt_ceiling=20_000_00)
    m.add_reserve("OLD", decimals=18, ltv=0, liquidation_threshold=7000,
                  liquidation_bonus=10800, price=10**8)
    return m


def test_review_debt_only_position_does_not_turn_on_the_collateral_switch():
    """AaveAccount.set_position(reserve, debt=x) defaults to collateral=True, so a borrow-only
    reserve gets the user's collateral bit over a zero supply. On chain a borrow never sets
    it (BorrowLogic.executeBorrow sets only the borrowing bit). Consequences: an isolated
    account reads isolated=False (UserConfiguration.getIsolationModeState needs exactly one
    collateral bit) and max_borrow ignores borrowable-in-isolation (IsolationModeLogic.
    increaseIsolatedDebtIfIsolated reverts AssetNotBorrowableInIsolation)."""
    m = _market()
    a = AaveAccount(m)
    a.set_position("CRV", supply=100_000 * 10**18)
    a.set_position("USDC", debt=15_000 * 10**6)      # the module docstring's idiom
    assert a.position("USDC")[2] is False
    assert a.account_data().isolated
    assert a.max_borrow("WETH") == 0


def test_review_best_liquidation_misses_a_liquidation_the_pool_accepts():
    """keel_aave_best_liquidation quotes each pair only at debt_to_cover = max. With the close
    factor (LiquidationLogic v3.6.0 lines 'if (vars.borrowerReserveCollateralInBaseCurrency >=
    MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD && ...)') the max cover can leave < MIN_LEFTOVER_BASE
    of collateral and revert MustNotLeaveDust, while a smaller cover passes the same
    require(isDebtMoreThanLeftoverThreshold && isCollateralMoreThanLeftoverThreshold)."""
    m = AaveMarket("3.6")
    m.add_reserve("USDC", decimals=6, ltv=7500, liquidation_threshold=7800,
                  liquidation_bonus=10450, price=10**8)
    m.add_reserve("sUSDe", decimals=18, ltv=7200, liquidation_threshold=7500,
                  liquidation_bonus=10850, liquidation_protocol_fee=1000, price=10**8)
    m.set_emode(1, ltv=9500, liquidation_threshold=9700, liquidation_bonus=10100,
                collateral=["sUSDe"], borrowable=["USDC"])
    a = AaveAccount(m, emode=1)
    a.set_position("sUSDe", supply=2_000 * 10**18)
    a.set_position("USDC", debt=2_000 * 10**6, collateral=False)
    q = a.liquidation_quote("sUSDe", "USDC", 990 * 10**6)   # the pool accepts this call
    assert q.debt_repaid == 990 * 10**6
    best = a.best_liquidation()                            # keel: "no pair can be liquidated"
    assert best.profit_base >= q.profit_base


def test_review_best_liquidation_is_not_the_most_profitable():
    """Same cause, two debts: max cover on USDC reverts (leftover 950 USD), so keel picks DAI
    (profit 342 USD) although USDC with cover 8,500 pays 382.50 USD."""
    m = _market()
    a = AaveAccount(m)
    a.set_position("WETH", supply=10 * 10**18)
    a.set_position("USDC", debt=9_500 * 10**6, collateral=False)
    a.set_position("DAI", debt=7_600 * 10**18, collateral=False)
    q = a.liquidation_quote("WETH", "USDC", 8_500 * 10**6)
    assert a.best_liquidation().profit_base >= q.profit_base


def test_review_max_withdraw_of_a_supply_not_used_as_collateral():
    """SupplyLogic.executeWithdraw validates the health factor only
    'if (userConfig.isUsingAsCollateral(reserve.id))'. A supply with the switch off can be
    withdrawn whole even by a liquidatable account; keel says 0."""
    m = _market()
    a = AaveAccount(m)
    a.set_position("WETH", supply=10 * 10**18)
    a.set_position("USDC", debt=16_700 * 10**6, collateral=False)
    a.set_position("DAI", supply=1_000 * 10**18, collateral=False)
    assert a.account_data().liquidatable
    assert a.max_withdraw("DAI") == 1_000 * 10**18


def test_review_supply_to_target_with_a_collateral_the_pool_will_not_enable():
    """SupplyLogic.executeSupply enables a first supply as collateral only when
    ValidationLogic.validateAutomaticUseAsCollateral holds (no debt ceiling, user LTV != 0,
    not in isolation), and setUserUseReserveAsCollateral refuses the same cases
    (UserInIsolationModeOrLtvZero). keel answers as if the switch could be turned on."""
    m = _market()
    a = AaveAccount(m)
    a.set_position("WETH", supply=10 * 10**18)
    a.set_position("USDC", debt=10_000 * 10**6, collateral=False)
    with pytest.raises(Exception):
        a.supply_to_target("OLD", 2)     # LTV 0: getUserReserveLtv == 0, never enabled
    with pytest.raises(Exception):
        a.supply_to_target("CRV", 2)     # debt ceiling: not with another collateral


def test_review_scan_error_text_is_not_garbled():
    """keel_aave_scan's scan_account_fail passes keel_last_error() as a %s argument of
    keel_fail, which vsnprintf()s into that same buffer (overlapping copy: undefined
    behaviour). The text comes out as '...accounts[0]: keel_aave_scan: accounts[0]: olds
    reserve 1; ...'."""
    m = _market()
    a = AaveAccount(m)
    a.set_position("USDC", supply=1)
    small = AaveMarket("3.6")
    small.add_reserve("ONLY", price=1)
    with pytest.raises(UnknownAssetError) as e:
        aave_scan(small, [a])
    assert "holds reserve 1" in str(e.value) and str(e.value).count("keel_aave_scan") == 1


def test_review_simulation_liquidates_when_the_chain_does():
    """keel_sim_set_aave says the chain's health factor decides; run.c first asks
    keel_aave_may_be_liquidatable, which filters on keel's double HF from the simulation's
    own haircut model. With the account's e-mode terms in the haircuts but emode=0 given to
    set_aave, the chain's HF is 0.94 at WETH 1,700 and no liquidation happens."""
    m = _market()
    m.set_emode(1, ltv=9000, liquidation_threshold=9300, liquidation_bonus=10100,
                collateral=["WETH"], borrowable=["USDC"])
    a = AaveAccount(m, emode=1)
    a.set_position("WETH", supply=10 * 10**18)
    a.set_position("USDC", debt=15_000 * 10**6, collateral=False)
    km, kb, kh = a.to_keel()
    sim = Simulation(km, kb, kh, CostModel(), steps=1)
    sim.set_paths([0, 1], np.array([[[1700.0, 1.0]]]))
    sim.set_aave(m, emode=0)
    b = AaveAccount(m)
    b.set_position("WETH", supply=10 * 10**18)
    b.set_position("USDC", debt=15_000 * 10**6, collateral=False)
    m.set_price("WETH", 1700 * 10**8)
    assert b.account_data().liquidatable                    # the chain: HF 0.9407
    assert sim.run(0, 1).summary.mean_liquidations == 1.0   # keel: 0


def test_review_from_report_reads_current_emode_bitmaps():
    """Reports of v3.2+ pools (the versions keel follows) give e-modes as
    collateralBitmap / borrowableBitmap (decimal strings) and no per-reserve eModeCategory;
    from_report then builds categories with empty bitmaps, silently."""
    r = json.loads(DATA.read_text())
    syms = [x["symbol"] for x in r["reserves"].values()]
    for x in r["reserves"].values():
        x.pop("eModeCategory", None)
    weth, wst = syms.index("WETH"), syms.index("wstETH")
    r["eModes"]["1"].update(collateralBitmap=str((1 << weth) | (1 << wst)),
                            borrowableBitmap=str(1 << weth))
    m = AaveMarket.from_report(r)
    a = AaveAccount(m, emode=1)
    a.set_position("wstETH", supply=10**18)
    a.set_position("WETH", debt=10**17, collateral=False)
    assert a.account_data().current_liquidation_threshold == 9300
