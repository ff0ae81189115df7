//! The Morpho Blue layer through the safe wrapper: share conversions, the
//! incentive factor, `_isHealthy` on either side of its line, liquidations
//! both ways with bad debt, accrual, keeper answers on their boundaries, and
//! hostile input refused with nothing changed.
//!
//! Every expected number is taken from tests/test_morpho.c, whose comments
//! work it by hand from Morpho.sol v1.0.0 (each test names its case there).
//! The market: WETH (18 decimals) collateral, USDC (6) loan, price 2e27
//! (2,000 USDC per WETH), LLTV 0.86, totalBorrowAssets 1e12,
//! totalBorrowShares 1e18: every conversion is exactly 1e6 shares per asset.
use keel::{morpho_convert, morpho_incentive_factor, ErrorKind, MorphoConversion, MorphoLiquidate, MorphoMarket,
           MorphoParams, MorphoPosition, MorphoRevert, MorphoState, MorphoUnit, U256};

const E18: u128 = 1_000_000_000_000_000_000;

fn u(v: u128) -> U256 {
    U256::from(v)
}

fn s(text: &str) -> U256 {
    text.parse().unwrap()
}

fn params() -> MorphoParams {
    MorphoParams { loan_decimals: 6, price: s("2000000000000000000000000000"), lltv: u(860_000_000_000_000_000),
                   ..Default::default() }
}

fn state(tsa: u128) -> MorphoState {
    MorphoState { total_supply_assets: u(tsa), total_supply_shares: u(2 * E18), total_borrow_assets: u(1_000_000_000_000),
                  total_borrow_shares: u(E18), ..Default::default() }
}

fn weth_usdc(tsa: u128) -> MorphoMarket {
    MorphoMarket::new("USDC", "WETH", &params(), Some(&state(tsa))).unwrap()
}

fn pos(borrow_shares: u128, collateral: u128) -> MorphoPosition {
    MorphoPosition { borrow_shares: u(borrow_shares), collateral: u(collateral), ..Default::default() }
}

/// test_morpho.c: shares_round_each_direction_with_the_virtual_offset
#[test]
fn shares_round_each_direction_with_the_virtual_offset() {
    use MorphoConversion::*;
    let c = |op, a: u128, ta: u128, ts: u128| morpho_convert(op, u(a), u(ta), u(ts)).unwrap();
    assert_eq!(c(ToSharesDown, 1, 0, 0), u(1_000_000));
    assert_eq!((c(ToAssetsDown, 999_999, 0, 0), c(ToAssetsUp, 999_999, 0, 0)), (U256::ZERO, U256::ONE));
    assert_eq!((c(ToSharesDown, 1, 2, 1_000_000), c(ToSharesUp, 1, 2, 1_000_000)), (u(666_666), u(666_667)));
    assert_eq!((c(ToAssetsDown, 1_000_000, 2, 1_000_000), c(ToAssetsUp, 1_000_000, 2, 1_000_000)), (u(1), u(2)));
    let e = morpho_convert(ToSharesUp, U256::from_limbs([0, 0, 0, 1 << 63]), U256::ZERO, U256::ZERO).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Overflow);
}

/// test_morpho.c: incentive_factor_at_listed_lltvs
#[test]
fn incentive_factor_at_listed_lltvs() {
    for (lltv, lif) in [(860_000_000_000_000_000u128, "1043841336116910229"),
                        (915_000_000_000_000_000, "1026167265264238070"),
                        (945_000_000_000_000_000, "1016776817488561260"),
                        (965_000_000_000_000_000, "1010611419909044972"),
                        (980_000_000_000_000_000, "1006036217303822937"),
                        (385_000_000_000_000_000, "1150000000000000000")] {
        assert_eq!(morpho_incentive_factor(u(lltv)).unwrap(), s(lif));
    }
    // LLTV 0, an idle market: 1 / (1 - 0.3) capped at 1.15
    assert_eq!(morpho_incentive_factor(U256::ZERO).unwrap(), s("1150000000000000000"));
    assert_eq!(morpho_incentive_factor(U256::WAD).unwrap_err().kind, ErrorKind::OutOfRange);
}

/// test_morpho.c: one_share_either_side_of_the_healthy_line, dust_collateral_is_worth_nothing
#[test]
fn one_share_either_side_of_the_healthy_line() {
    let m = weth_usdc(2_000_000_000_000);
    let d = m.position_data(&pos(1_720_000_000_000_000, E18)).unwrap();
    assert_eq!((d.collateral_value, d.max_borrow, d.borrow_assets), (u(2_000_000_000), u(1_720_000_000), u(1_720_000_000)));
    assert_eq!(d.health_factor, U256::WAD);
    assert!(d.healthy && !d.liquidatable);
    let d = m.position_data(&pos(1_720_000_000_000_001, E18)).unwrap();
    assert_eq!((d.borrow_assets, d.health_factor), (u(1_720_000_001), u(999_999_999_418_604_651)));
    assert!(!d.healthy && d.liquidatable);
    let d = m.position_data(&pos(0, E18)).unwrap();
    assert_eq!(d.health_factor, U256::MAX);
    // dust: 499,999,999 wei of WETH is worth 0; 1e9 wei is worth 2, maxBorrow 1
    let d = m.position_data(&pos(1, 499_999_999)).unwrap();
    assert_eq!((d.collateral_value, d.borrow_assets, d.health_factor), (U256::ZERO, U256::ONE, U256::ZERO));
    let d = m.position_data(&pos(1, 1_000_000_000)).unwrap();
    assert_eq!((d.max_borrow, d.health_factor, d.healthy), (U256::ONE, U256::WAD, true));
    let d = m.position_data(&MorphoPosition { supply_shares: u(3), ..Default::default() }).unwrap();
    assert_eq!(d.supply_assets, U256::ZERO);
}

/// test_morpho.c: liquidation_by_repaid_shares, liquidation_by_seized_assets
#[test]
fn liquidation_both_ways() {
    let m = weth_usdc(2_000_000_000_000);
    let p = pos(1_800_000_000_000_000, E18);
    let q = m.liquidation_quote(&p, MorphoLiquidate::RepaidShares(u(1_000_000_000_000_000))).unwrap();
    assert_eq!(q.incentive_factor, u(1_043_841_336_116_910_229));
    assert_eq!((q.seized_assets, q.repaid_shares, q.repaid_assets),
               (u(521_920_668_000_000_000), u(1_000_000_000_000_000), u(1_000_000_000)));
    assert_eq!((q.bad_debt_shares, q.seized_value, q.profit), (U256::ZERO, u(1_043_841_336), 43_841_336.0));
    assert_eq!((q.total_borrow_shares_after, q.total_borrow_assets_after, q.total_supply_assets_after),
               (u(999_000_000_000_000_000), u(999_000_000_000), u(2_000_000_000_000)));
    assert_eq!(q.after, pos(800_000_000_000_000, 478_079_332_000_000_000));
    // the market is not changed; state_after applies the call
    let before = m.state().unwrap();
    assert_eq!(before, state(2_000_000_000_000));
    let mut m2 = m.clone();
    m2.set_state(&q.state_after(&before)).unwrap();
    assert_eq!(m2.state().unwrap().total_borrow_shares, u(999_000_000_000_000_000));
    assert_eq!(m.state().unwrap(), before);

    let q = m.liquidation_quote(&p, MorphoLiquidate::SeizedAssets(u(500_000_000_000_000_000))).unwrap();
    assert_eq!((q.repaid_shares, q.repaid_assets), (u(958_000_001_000_000), u(958_000_001)));
    assert_eq!(q.after, pos(841_999_999_000_000, 500_000_000_000_000_000));
    assert_eq!(q.total_borrow_assets_after, u(999_041_999_999));
}

/// test_morpho.c: seizing_the_last_collateral_realises_bad_debt,
/// best_liquidation_repays_every_share_when_collateral_is_ample
#[test]
fn bad_debt_and_the_best_liquidation() {
    let m = weth_usdc(2_000_000_000_000);
    let p = pos(1_000_000_000_000_000, 500_000_000_000_000_000);
    let q = m.liquidation_quote(&p, MorphoLiquidate::SeizedAssets(u(500_000_000_000_000_000))).unwrap();
    assert_eq!((q.bad_debt_shares, q.bad_debt_assets), (u(41_999_999_000_000), u(41_999_999)));
    assert_eq!((q.total_borrow_assets_after, q.total_supply_assets_after, q.total_borrow_shares_after),
               (u(999_000_000_000), u(1_999_958_000_001), u(999_000_000_000_000_000)));
    assert_eq!(q.after, MorphoPosition::default());
    let b = m.best_liquidation(&p).unwrap();
    assert_eq!((b.seized_assets, b.bad_debt_assets), (u(500_000_000_000_000_000), u(41_999_999)));

    // ample collateral: every share repaid, 939,457,202,500,000,000 wei seized; one more reverts
    let p = pos(1_800_000_000_000_000, E18);
    let b = m.best_liquidation(&p).unwrap();
    assert_eq!((b.repaid_shares, b.seized_assets), (u(1_800_000_000_000_000), u(939_457_202_500_000_000)));
    assert_eq!(b.after, pos(0, 60_542_797_500_000_000));
    let e = m.liquidation_quote(&p, MorphoLiquidate::SeizedAssets(u(939_457_202_500_000_001))).unwrap_err();
    assert_eq!((e.kind, e.morpho_revert), (ErrorKind::Infeasible, Some(MorphoRevert::Arithmetic)));
    let e = m.best_liquidation(&pos(1_000_000_000_000_000, E18)).unwrap_err();
    assert_eq!(e.morpho_revert, Some(MorphoRevert::HealthyPosition));
}

/// test_morpho.c: liquidation_reverts_are_named
#[test]
fn liquidation_reverts_are_named() {
    let mut m = weth_usdc(2_000_000_000_000);
    let healthy = pos(1_720_000_000_000_000, E18);
    let sick = pos(1_720_000_000_000_001, E18);
    let e = m.liquidation_quote(&healthy, MorphoLiquidate::SeizedAssets(U256::ONE)).unwrap_err();
    assert_eq!(e.morpho_revert, Some(MorphoRevert::HealthyPosition));
    assert_eq!(e.morpho_revert.unwrap().name(), "position is healthy");
    assert!(e.detail.contains("position is healthy"));
    for zero in [MorphoLiquidate::SeizedAssets(U256::ZERO), MorphoLiquidate::RepaidShares(U256::ZERO)] {
        let e = m.liquidation_quote(&sick, zero).unwrap_err();
        assert_eq!(e.morpho_revert, Some(MorphoRevert::InconsistentInput));
    }
    let e = m.liquidation_quote(&sick, MorphoLiquidate::RepaidShares(u(1_720_000_000_000_002))).unwrap_err();
    assert_eq!(e.morpho_revert, Some(MorphoRevert::Arithmetic));
    let e = m.liquidation_quote(&sick, MorphoLiquidate::RepaidShares(U256::from_limbs([0, 0, 1, 0]))).unwrap_err();
    assert_eq!(e.morpho_revert, Some(MorphoRevert::MaxUint128Exceeded));
    m.set_price(U256::ZERO).unwrap();
    let e = m.liquidation_quote(&healthy, MorphoLiquidate::RepaidShares(U256::ONE)).unwrap_err();
    assert_eq!(e.morpho_revert, Some(MorphoRevert::DivisionByZero));
    assert_eq!(MorphoRevert::DivisionByZero.to_string(), "Panic(0x12): division by zero");
    assert_eq!((e.revert, e.comet_revert), (None, None));
}

/// test_morpho.c: accrual_with_taylor_compounding_and_fee_shares
#[test]
fn accrual_with_taylor_compounding_and_fee_shares() {
    let mut m = weth_usdc(2_000_000_000_000);
    m.set_state(&MorphoState { fee: u(100_000_000_000_000_000), ..m.state().unwrap() }).unwrap();
    let (interest, fee_shares) = m.accrue(u(1_000_000_000), 31_536_000).unwrap();
    assert_eq!((interest, fee_shares), (u(32_038_486_841), u(3_158_314_259_569_630)));
    let st = m.state().unwrap();
    assert_eq!((st.total_borrow_assets, st.total_supply_assets, st.total_supply_shares, st.last_update),
               (u(1_032_038_486_841), u(2_032_038_486_841), u(2_003_158_314_259_569_630), 31_536_000));
    assert_eq!(m.accrue(u(1_000_000_000), 31_536_000).unwrap(), (U256::ZERO, U256::ZERO));
    assert_eq!(m.accrue(U256::ONE, 5).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(m.accrue(U256::MAX, 31_536_001).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(m.state().unwrap(), st);
}

/// test_morpho.c: keeper_answers_sit_on_their_boundary (each answer, and one unit less or more)
#[test]
fn keeper_answers_sit_on_their_boundary() {
    let mut m = weth_usdc(2_000_000_000_000);
    let wad = U256::WAD;
    let healthy = |m: &MorphoMarket, p: MorphoPosition| m.position_data(&p).unwrap().healthy;
    let sick = pos(1_800_000_000_000_000, E18);
    assert_eq!(m.repay_to_target(&sick, wad, MorphoUnit::Assets).unwrap(), u(80_000_000));
    assert_eq!(m.repay_to_target(&sick, wad, MorphoUnit::Shares).unwrap(), u(80_000_000_000_000));
    assert!(healthy(&m, pos(1_720_000_000_000_000, E18)));
    assert!(!healthy(&m, pos(1_720_000_000_000_001, E18))); // one share less repaid
    let add = 46_511_628_000_000_000;
    assert_eq!(m.collateral_to_target(&sick, wad).unwrap(), u(add));
    assert!(healthy(&m, pos(1_800_000_000_000_000, E18 + add)));
    assert!(!healthy(&m, pos(1_800_000_000_000_000, E18 + add - 1)));
    let ok = pos(1_000_000_000_000_000, E18);
    assert_eq!(m.repay_to_target(&ok, wad, MorphoUnit::Assets).unwrap(), U256::ZERO);
    let w = 418_604_651_000_000_000;
    assert_eq!(m.max_withdraw_collateral(&ok, U256::ZERO).unwrap(), u(w));
    assert!(healthy(&m, pos(1_000_000_000_000_000, E18 - w)));
    assert!(!healthy(&m, pos(1_000_000_000_000_000, E18 - w - 1)));
    assert_eq!(m.max_borrow(&ok, U256::ZERO).unwrap(), u(720_000_000));
    // borrowing a wei is a·1e6 shares here: 720,000,000 keeps it healthy, one wei more does not
    assert!(healthy(&m, pos(1_720_000_000_000_000, E18)));
    assert!(!healthy(&m, pos(1_720_000_001_000_000, E18)));
    assert_eq!(m.max_borrow(&ok, u(1_500_000_000_000_000_000)).unwrap(), u(146_666_666));
    assert_eq!(weth_usdc(1_000_500_000_000).max_borrow(&ok, U256::ZERO).unwrap(), u(500_000_000));
    let free = pos(0, E18);
    assert_eq!(m.max_withdraw_collateral(&free, U256::ZERO).unwrap(), u(E18));
    assert_eq!(m.max_withdraw_collateral(&sick, U256::ZERO).unwrap(), U256::ZERO);
    assert_eq!(m.max_borrow(&sick, U256::ZERO).unwrap(), U256::ZERO);

    // liquidation price: liquidatable at it, healthy one unit above
    let lp = m.liquidation_price(&ok).unwrap().unwrap();
    assert_eq!(lp, s("1162790697999999999999999999"));
    m.set_price(lp).unwrap();
    assert!(!healthy(&m, ok));
    m.set_price(s("1162790698000000000000000000")).unwrap();
    assert!(healthy(&m, ok));
    assert_eq!(m.liquidation_price(&free).unwrap(), None);
    assert_eq!(m.liquidation_price(&pos(1, 0)).unwrap(), Some(U256::MAX));

    // a price of 0: no collateral reaches the target; bad targets
    m.set_price(U256::ZERO).unwrap();
    assert_eq!(m.collateral_to_target(&sick, wad).unwrap_err().kind, ErrorKind::Infeasible);
    assert_eq!(m.repay_to_target(&sick, U256::ZERO, MorphoUnit::Assets).unwrap_err().kind, ErrorKind::OutOfRange);
}

/// test_morpho.c: bad_parameters_are_refused_and_change_nothing
#[test]
fn hostile_input_is_refused_and_changes_nothing() {
    let p = MorphoParams { price: U256::ONE, ..Default::default() };
    let e = MorphoMarket::new("A", "B", &MorphoParams { lltv: U256::WAD, ..p }, None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfRange);
    assert!(e.detail.contains("lltv"), "{}", e.detail);
    for bad in [MorphoParams { lltv: U256::WAD, ..p }, MorphoParams { lltv: U256::MAX, ..p },
                MorphoParams { lltv: u(E18 - 1), loan_decimals: 39, ..p },
                MorphoParams { lltv: u(E18 - 1), collateral_decimals: u32::MAX, ..p }] {
        assert_eq!(MorphoMarket::new("A", "B", &bad, None).unwrap_err().kind, ErrorKind::OutOfRange);
    }
    let p = MorphoParams { lltv: u(E18 - 1), ..p };
    assert_eq!(MorphoMarket::new("A", "A", &p, None).unwrap_err().kind, ErrorKind::InvalidSymbol);
    assert_eq!(MorphoMarket::new("A\0", "B", &p, None).unwrap_err().kind, ErrorKind::InvalidSymbol);
    let too_big = MorphoState { total_borrow_shares: U256::from_limbs([0, 0, 1, 0]), ..Default::default() };
    assert_eq!(MorphoMarket::new("A", "B", &p, Some(&too_big)).unwrap_err().kind, ErrorKind::Overflow);
    let mut m = MorphoMarket::new("A", "B", &p, None).unwrap();
    assert_eq!(m.params().unwrap(), p);
    let before = m.state().unwrap();
    let e = m.set_state(&MorphoState { fee: u(250_000_000_000_000_001), ..before }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfRange);
    assert!(e.detail.contains("MAX_FEE"), "{}", e.detail);
    let e = m.set_state(&MorphoState { fee: u(250_000_000_000_000_000), ..too_big }).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Overflow);
    assert_eq!(m.state().unwrap(), before);
    // positions past their widths, or holding more shares than the market
    m.position_data(&pos(0, u128::MAX)).unwrap(); // the widest collateral uint128 holds
    let wide = MorphoPosition { collateral: U256::from_limbs([0, 0, 1, 0]), ..Default::default() };
    assert_eq!(m.position_data(&wide).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(m.best_liquidation(&wide).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(m.max_borrow(&wide, U256::ZERO).unwrap_err().kind, ErrorKind::Overflow);
    let e = m.position_data(&pos(1, 1)).unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfRange);
    assert!(e.detail.contains("more borrow shares"), "{}", e.detail);
    assert_eq!(m.liquidation_price(&pos(1, 1)).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(m.repay_to_target(&pos(1, 1), U256::WAD, MorphoUnit::Shares).unwrap_err().kind, ErrorKind::OutOfRange);
    let e = m.liquidation_quote(&pos(1, 1), MorphoLiquidate::RepaidShares(U256::ONE)).unwrap_err();
    assert_eq!((e.kind, e.morpho_revert), (ErrorKind::OutOfRange, None));
    // collateral · price past 2^256 without debt: _isHealthy returns true before it values
    // the collateral, so the position is healthy and the values saturated
    m.set_price(U256::from_limbs([0, 0, 16, 0])).unwrap();
    let big = MorphoPosition { collateral: U256::from(u128::MAX), ..Default::default() };
    let d = m.position_data(&big).unwrap();
    assert!(d.healthy && !d.liquidatable && d.max_borrow == U256::MAX);
    // the bridge refuses a price of 0
    m.set_price(U256::ZERO).unwrap();
    assert_eq!(m.to_keel(&pos(0, 1)).err().unwrap().kind, ErrorKind::OutOfRange);
}

/// test_morpho.c: bridge_metrics_equal_the_chain, handles_and_params
#[test]
fn bridge_and_handles() {
    let m = weth_usdc(2_000_000_000_000);
    let k = m.to_keel(&pos(1_720_000_000_000_000, E18)).unwrap();
    assert_eq!((k.collateral.raw(), k.loan.raw()), (0, 1));
    let mt = k.basket.metrics(&k.market, &k.haircuts).unwrap();
    assert!((mt.health_factor - 1.0).abs() < 1e-15, "{}", mt.health_factor);
    let mut c = m.clone();
    c.set_price(U256::ONE).unwrap();
    assert_eq!(m.params().unwrap(), params());
    assert_eq!(c.params().unwrap().price, U256::ONE);
    assert_eq!(MorphoParams::default().collateral_decimals, 18);
    assert_eq!(MorphoState::default().fee, U256::ZERO);
    let _ = format!("{m:?}");
}

#[test]
fn simulation_liquidates_by_morpho_rules() {
    use keel::{AssetId, CostModel, SimParams, Simulation};
    let m = weth_usdc(2_000_000_000_000);
    let k = m.to_keel(&pos(1_000_000_000_000_000, E18)).unwrap();
    let mut sim = Simulation::new(&k.market, &k.basket, &k.haircuts, &CostModel::new().unwrap(), None, None,
                                  &SimParams::default()).unwrap();
    assert_eq!(sim.set_morpho(Some(&m), k.collateral, k.collateral).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(sim.set_morpho(Some(&m), k.collateral, AssetId::from_raw(7)).unwrap_err().kind,
               ErrorKind::UnknownAsset);
    sim.set_morpho(Some(&m), k.collateral, k.loan).unwrap();
    assert_eq!(sim.run(0, 8).unwrap().summary().unwrap().paths, 8);
    sim.set_morpho(None, k.collateral, k.loan).unwrap();
    sim.run(0, 2).unwrap();
}
