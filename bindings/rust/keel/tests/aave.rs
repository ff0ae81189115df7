//! The Aave layer through the safe wrapper: a hand-worked account, its
//! liquidation, keeper answers, reverts and errors, and U256.
//!
//! Every expected number is worked by hand below from the formulas of
//! include/keel/aave.h and u256.h (Aave v3.6), never read back from keel.
//! The market: WETH (id 0, 18 decimals, LTV 8050, threshold 8300, bonus
//! 10500, price 2000·10^8) and USDC (id 1, 6 decimals, LTV 7700, threshold
//! 8000, bonus 10450, price 10^8), both indexes 1 ray, so scaled balances
//! equal underlying ones (x·RAY / RAY = x whatever the rounding).
use keel::{AaveAccount, AaveEmode, AaveMarket, AaveReserve, AaveRevert, AaveTrigger, AaveVersion,
           ErrorKind, ReserveId, U256, WadRayOp};

const WAD: u128 = 1_000_000_000_000_000_000;
const ETH: u128 = 1_000_000_000_000_000_000; // 1 WETH in wei
const USD: u128 = 1_000_000; // 1 USDC in wei

fn u(v: u128) -> U256 {
    U256::from(v)
}

/// v3.5+ health factor: (Σ value·threshold).wadDiv(debt) / 10^4, where
/// wadDiv(a, b) = ⌊(a·WAD + ⌊b/2⌋) / b⌋ (half up) and the last division floors.
fn hf(sum_value_threshold: u128, debt_base: u128) -> u128 {
    (sum_value_threshold * WAD + debt_base / 2) / debt_base / 10_000
}

fn market() -> (AaveMarket, ReserveId, ReserveId) {
    let mut m = AaveMarket::new(AaveVersion::V3_6).unwrap();
    let weth = m
        .add_reserve("WETH", &AaveReserve { decimals: 18, ltv: 8050, liquidation_threshold: 8300,
                                            liquidation_bonus: 10500, price: u(2000 * 100_000_000),
                                            ..Default::default() })
        .unwrap();
    let usdc = m
        .add_reserve("USDC", &AaveReserve { decimals: 6, ltv: 7700, liquidation_threshold: 8000,
                                            liquidation_bonus: 10450, price: u(100_000_000),
                                            ..Default::default() })
        .unwrap();
    (m, weth, usdc)
}

/// 10 WETH supplied as collateral, `debt` USDC wei borrowed.
fn account(m: &AaveMarket, weth: ReserveId, usdc: ReserveId, debt: u128) -> AaveAccount {
    let mut a = AaveAccount::new().unwrap();
    a.set_position(m, weth, u(10 * ETH), U256::ZERO, true).unwrap();
    a.set_position(m, usdc, U256::ZERO, u(debt), false).unwrap();
    a
}

#[test]
fn worked_account_is_exactly_at_one_and_one_wei_more_liquidates() {
    let (m, weth, usdc) = market();
    assert_eq!((m.len(), m.version(), m.find("USDC").unwrap()), (2, AaveVersion::V3_6, usdc));
    let a = account(&m, weth, usdc, 16_600 * USD);
    let d = a.account_data(&m).unwrap();
    // collateral: ⌊10^19 · 2·10^11 / 10^18⌋ = 2·10^12 (20,000 USD)
    assert_eq!(d.total_collateral_base, u(2_000_000_000_000));
    // debt: ⌈16,600·10^6 · 10^8 / 10^6⌉ = 1.66·10^12
    assert_eq!(d.total_debt_base, u(1_660_000_000_000));
    // weighted threshold and LTV: one collateral, so its own 8300 and 8050
    assert_eq!((d.current_liquidation_threshold, d.ltv), (u(8300), u(8050)));
    // HF = (2·10^12 · 8300).wadDiv(1.66·10^12) / 10^4 = 10^22 / 10^4 = 10^18 exactly
    assert_eq!(d.health_factor, U256::WAD);
    assert_eq!(hf(2_000_000_000_000 * 8300, 1_660_000_000_000), WAD);
    // borrowable: percentMulFloor(2·10^12, 8050) = 1.61·10^12 < the debt, so 0
    assert_eq!(d.available_borrows_base, U256::ZERO);
    assert!(!d.liquidatable && !d.isolated && !d.has_zero_ltv_collateral);
    assert_eq!(d.isolation_collateral, None);
    assert_eq!(a.balances(&m, usdc).unwrap(), (U256::ZERO, u(16_600 * USD)));

    // One more wei: debt base ⌈16,600,000,001 · 100⌉ = 1,660,000,000,100, and
    // HF = ⌊⌊(1.66·10^16 · 10^18 + 830,000,000,050) / 1,660,000,000,100⌋ / 10^4⌋
    //    ≈ 10^18 / (1 + 1/(1.66·10^10)) = 10^18 − 60,240,963.9
    let b = account(&m, weth, usdc, 16_600 * USD + 1);
    let d = b.account_data(&m).unwrap();
    assert_eq!(d.total_debt_base, u(1_660_000_000_100));
    let expected = hf(2_000_000_000_000 * 8300, 1_660_000_000_100);
    assert_eq!(expected, 999_999_999_939_759_036);
    assert_eq!(d.health_factor, u(expected));
    assert!(d.liquidatable);
}

#[test]
fn liquidation_of_the_account_one_wei_under() {
    let (m, weth, usdc) = market();
    let a = account(&m, weth, usdc, 16_600 * USD + 1);
    let q = a.liquidation_quote(&m, weth, usdc, None).unwrap();
    // Close factor 50%: HF > 0.95 and both sides >= 2,000 base units, so
    // at most percentMul(1,660,000,000,100, 5000) = ⌊(8,300,000,000,500,000 + 5000) / 10^4⌋
    // = 830,000,000,050 base units = ⌊830,000,000,050 · 10^6 / 10^8⌋ = 8,300,000,000 USDC wei.
    assert_eq!(q.debt_repaid, u(8_300 * USD));
    // Collateral: 8,300 USD / 2,000 = 4.15 WETH, times the bonus 10500 bps = 4.3575 WETH.
    assert_eq!(q.collateral_to_liquidator, u(43_575 * ETH / 10_000));
    assert_eq!((q.collateral, q.debt, q.liquidation_bonus), (weth, usdc, 10500));
    assert_eq!((q.protocol_fee, q.deficit_base), (U256::ZERO, U256::ZERO));
    // In base units: 8,300 USD = 8.3·10^11; 4.3575 · 2,000 = 8,715 USD = 8.715·10^11.
    assert_eq!(q.debt_repaid_base, u(830_000_000_000));
    assert_eq!(q.collateral_to_liquidator_base, u(871_500_000_000));
    assert_eq!(q.profit_base, 41_500_000_000.0); // 415 USD
    assert_eq!(q.health_factor_before, u(hf(2_000_000_000_000 * 8300, 1_660_000_000_100)));
    // After: 5.6425 WETH = 11,285 USD = 1.1285·10^12 against 8,300,000,001 USDC wei
    // = 830,000,000,100 base units.
    let after_hf = hf(1_128_500_000_000 * 8300, 830_000_000_100);
    assert_eq!(q.health_factor_after, u(after_hf));
    assert!(after_hf > WAD);

    let (q2, after) = a.liquidation_after(&m, weth, usdc, None).unwrap();
    assert_eq!(q2, q);
    let p = after.scaled_position(weth);
    assert_eq!((p.scaled_supply, p.collateral), (u(10 * ETH - 43_575 * ETH / 10_000), true));
    assert_eq!(after.scaled_position(usdc).scaled_debt, u(8_300 * USD + 1));
    assert_eq!(after.account_data(&m).unwrap().health_factor, u(after_hf));
    // the only pair (USDC is not collateral), so also the best
    assert_eq!(a.best_liquidation(&m).unwrap(), q);

    // A cover of 1,000 USDC: 1,000 / 2,000 = 0.5 WETH, · 1.05 = 0.525 WETH.
    let q = a.liquidation_quote(&m, weth, usdc, Some(u(1_000 * USD))).unwrap();
    assert_eq!((q.debt_repaid, q.collateral_to_liquidator), (u(1_000 * USD), u(525 * ETH / 1000)));
}

#[test]
fn healthy_account_reverts_with_its_reason() {
    let (m, weth, usdc) = market();
    let a = account(&m, weth, usdc, 16_600 * USD); // HF exactly 1 wad: not below it
    let e = a.liquidation_quote(&m, weth, usdc, None).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Infeasible);
    assert_eq!(e.revert, Some(AaveRevert::HealthFactorNotBelowThreshold));
    assert_eq!(e.revert.unwrap().name(), "HealthFactorNotBelowThreshold");
    assert!(e.detail.contains("HealthFactorNotBelowThreshold"), "{}", e.detail);
    let e = a.best_liquidation(&m).unwrap_err();
    assert_eq!((e.kind, e.revert), (ErrorKind::Infeasible, Some(AaveRevert::HealthFactorNotBelowThreshold)));

    // Liquidatable, but the wrong pairs, in ValidationLogic's order:
    let b = account(&m, weth, usdc, 16_600 * USD + 1);
    let e = b.liquidation_quote(&m, usdc, usdc, None).unwrap_err(); // USDC's switch is off
    assert_eq!(e.revert, Some(AaveRevert::CollateralCannotBeLiquidated));
    let e = b.liquidation_quote(&m, weth, weth, None).unwrap_err(); // no WETH debt
    assert_eq!(e.revert, Some(AaveRevert::SpecifiedCurrencyNotBorrowedByUser));
    assert_eq!(e.revert.unwrap().name(), "SpecifiedCurrencyNotBorrowedByUser");
    assert_eq!(AaveRevert::MustNotLeaveDust.name(), "MustNotLeaveDust");
}

#[test]
fn unknown_reserves_and_categories_are_errors() {
    let (mut m, weth, usdc) = market();
    let ghost = ReserveId::from_raw(2); // the market has ids 0 and 1
    let mut a = account(&m, weth, usdc, 16_600 * USD + 1);
    let e = a.set_position(&m, ghost, u(1), U256::ZERO, true).unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownAsset);
    assert_eq!(e.revert, None);
    assert_eq!(m.set_price(ghost, u(1)).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(m.reserve(ghost).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(m.symbol(ghost).unwrap_err().kind, ErrorKind::UnknownAsset);
    let e = a.liquidation_quote(&m, weth, ghost, None).unwrap_err();
    assert_eq!((e.kind, e.revert), (ErrorKind::UnknownAsset, None));
    assert_eq!(a.repay_to_target(&m, ghost, U256::WAD).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(a.max_borrow(&m, ghost, U256::WAD).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(m.find("DAI").unwrap_err().kind, ErrorKind::NotFound);
    assert_eq!(a.set_emode(&m, 7).unwrap_err().kind, ErrorKind::NotFound);
    // a bad reserve parameter: LTV above the threshold, the detail names it
    let e = m.add_reserve("BAD", &AaveReserve { ltv: 9000, liquidation_threshold: 8000,
                                                liquidation_bonus: 10500, ..Default::default() })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::OutOfRange);
    assert!(e.detail.contains("ltv"), "{}", e.detail);
    assert_eq!(m.add_reserve("WETH", &AaveReserve::default()).unwrap_err().kind, ErrorKind::Duplicate);
    assert_eq!(m.len(), 2);
    // an e-mode bitmap naming a reserve the market does not have
    let e = m.set_emode(1, &AaveEmode { ltv: 9000, liquidation_threshold: 9300, liquidation_bonus: 10100,
                                        collateral: vec![ghost], ..Default::default() })
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::UnknownAsset);
    assert_eq!(m.set_emode(1, &AaveEmode { collateral: vec![ReserveId::from_raw(128)], ..Default::default() })
                   .unwrap_err().kind, ErrorKind::OutOfRange);
}

#[test]
fn keeper_answers() {
    let (m, weth, usdc) = market();
    let b = account(&m, weth, usdc, 16_600 * USD + 1);
    // Repay r wei: debt base 100·(16,600,000,001 − r); r = 1 gives 1.66·10^12, HF exactly 1.
    assert_eq!(b.repay_to_target(&m, usdc, U256::WAD).unwrap(), u(1));
    // Supply x wei of WETH: value v = ⌊(10^19 + x) / 5·10^6⌋ needs
    // v·8300·10^18 + 830,000,000,050 >= 10^22 · 1,660,000,000,100, i.e.
    // v·8300 >= 16,600,000,001,000,000, v >= 2,000,000,000,121 (2,000,000,000,120.48 up),
    // so 10^19 + x >= 2,000,000,000,121 · 5·10^6 = 10,000,000,000,605,000,000.
    assert_eq!(b.supply_to_target(&m, weth, U256::WAD).unwrap(), u(605_000_000));
    assert_eq!(b.repay_to_target(&m, usdc, U256::ZERO).unwrap_err().kind, ErrorKind::OutOfRange);
    // A reserve with threshold 0 adds nothing to Σ value·threshold: no supply reaches 1.
    let mut m2 = m.clone();
    let dai = m2.add_reserve("DAI", &AaveReserve { price: u(100_000_000), ..Default::default() }).unwrap();
    let e = b.supply_to_target(&m2, dai, U256::WAD).unwrap_err();
    assert_eq!((e.kind, e.revert), (ErrorKind::Infeasible, None));

    // Borrowing on 10 WETH alone: debt base 100·x; validateHFAndLtv wants
    // 2·10^12 >= ⌈100x · 10^4 / 8050⌉, i.e. x <= 2·10^12 · 8050 / 10^6 = 16,100·10^6
    // (HF there is 1.66·10^16 / 1.61·10^12 / 10^4 > 1).
    let mut c = AaveAccount::new().unwrap();
    c.set_position(&m, weth, u(10 * ETH), U256::ZERO, true).unwrap();
    assert_eq!(c.max_borrow(&m, usdc, U256::WAD).unwrap(), u(16_100 * USD));
    assert_eq!(c.account_data(&m).unwrap().available_borrows_base, u(1_610_000_000_000));
    assert_eq!(c.account_data(&m).unwrap().health_factor, U256::MAX); // no debt
    // Withdrawing with 8,300 USDC of debt (8.3·10^11 base): HF >= 1 needs
    // v·8300 >= 8.3·10^15, v >= 10^12 = 5 WETH, so 5 WETH can go and not a wei more
    // (⌊(5·10^18 − 1) · 2·10^11 / 10^18⌋ = 10^12 − 1).
    let w = account(&m, weth, usdc, 8_300 * USD);
    assert_eq!(w.max_withdraw(&m, weth, U256::WAD).unwrap(), u(5 * ETH));
    // a floor of 2: v >= 2·10^12 is all of it, nothing can go
    assert_eq!(w.max_withdraw(&m, weth, u(2 * WAD)).unwrap(), U256::ZERO);
}

#[test]
fn liquidation_prices_at_oracle_granularity() {
    let (m, weth, usdc) = market();
    let a = account(&m, weth, usdc, 16_600 * USD);
    // WETH at p: v = 10p, HF = (83,000 p).wadDiv(1.66·10^12) / 10^4 is exactly 1 at
    // p = 2·10^11 and 10^18 − 5·10^6 at p = 2·10^11 − 1 (83,000·10^18 / 1.66·10^12 = 5·10^10).
    let lp = a.liquidation_price(&m, weth).unwrap();
    assert_eq!(lp.trigger, AaveTrigger::AtOrBelow(u(199_999_999_999)));
    assert!(!lp.liquidatable_now);
    // USDC at p: debt base 16,600 p, above 1.66·10^12 from p = 10^8 + 1.
    let lp = a.liquidation_price(&m, usdc).unwrap();
    assert_eq!(lp.trigger, AaveTrigger::AtOrAbove(u(100_000_001)));
    // second method: move the price there and ask the account data
    let mut moved = m.clone();
    moved.set_price(weth, u(199_999_999_999)).unwrap();
    assert_eq!(a.account_data(&moved).unwrap().health_factor, u(WAD - 5_000_000));
    assert_eq!(a.account_data(&m).unwrap().health_factor, U256::WAD); // the clone is separate
}

#[test]
fn emode_terms_apply() {
    let (mut m, weth, usdc) = market();
    let cat = AaveEmode { ltv: 9000, liquidation_threshold: 9300, liquidation_bonus: 10100,
                          collateral: vec![weth], borrowable: vec![weth, usdc], ltv_zero: vec![] };
    m.set_emode(1, &cat).unwrap();
    assert_eq!(m.emode(1).unwrap(), cat);
    let mut a = account(&m, weth, usdc, 16_600 * USD);
    a.set_emode(&m, 1).unwrap();
    assert_eq!(a.emode(), 1);
    // threshold 9300 instead of 8300: HF = (2·10^12 · 9300).wadDiv(1.66·10^12) / 10^4
    let d = a.account_data(&m).unwrap();
    assert_eq!(d.current_liquidation_threshold, u(9300));
    assert_eq!(d.health_factor, u(hf(2_000_000_000_000 * 9300, 1_660_000_000_000)));
    assert_eq!(m.emode(2).unwrap_err().kind, ErrorKind::NotFound);
}

#[test]
fn to_keel_and_scan_agree_with_the_chain() {
    let (m, weth, usdc) = market();
    let at_one = account(&m, weth, usdc, 16_600 * USD);
    let under = account(&m, weth, usdc, 16_600 * USD + 1);
    let empty = AaveAccount::new().unwrap();
    // keel's doubles: 10 ETH at 2000 with haircut 0.17 against 16,600 USDC at 1: HF 1
    let k = at_one.to_keel(&m).unwrap();
    assert_eq!(k.reserves, vec![weth, usdc]);
    let hf_keel = k.basket.metrics(&k.market, &k.haircuts).unwrap().health_factor;
    assert!((hf_keel - 1.0).abs() < 1e-12, "{hf_keel}");
    let s = keel::aave_scan(&m, &[&at_one, &under, &empty]).unwrap();
    assert_eq!(s.liquidatable, vec![false, true, false]);
    assert_eq!(s.health_factors[0], 1.0);
    assert!(s.health_factors[2].is_infinite());
    assert!(s.exact >= 1); // HF exactly 1 is always re-checked in integers
}

#[test]
fn u256_round_trips_and_overflows() {
    // 2^256 − 1 = 115792089237316195423570985008687907853269984665640564039457584007913129639935
    let max_dec = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    let max: U256 = max_dec.parse().unwrap();
    assert_eq!(max, U256::MAX);
    assert_eq!(max.limbs(), [u64::MAX; 4]);
    assert_eq!(max.to_string(), max_dec);
    assert_eq!(format!("0x{}", "f".repeat(64)).parse::<U256>().unwrap(), U256::MAX);
    // 2^256: the same digits, last one + 1
    let e = "115792089237316195423570985008687907853269984665640564039457584007913129639936"
        .parse::<U256>()
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Overflow);
    for bad in ["", "-1", "1 000", "12a"] {
        assert_eq!(bad.parse::<U256>().unwrap_err().kind, ErrorKind::OutOfRange, "{bad:?}");
    }
    assert_eq!(U256::MAX.checked_add(U256::ONE).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(U256::ZERO.checked_sub(U256::ONE).unwrap_err().kind, ErrorKind::Overflow);
    let two128 = U256::from_limbs([0, 0, 1, 0]);
    assert_eq!(two128.checked_mul(two128).unwrap_err().kind, ErrorKind::Overflow); // 2^256
    assert_eq!(U256::ONE.checked_div(U256::ZERO).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(U256::MAX.checked_sub(U256::MAX.checked_sub(U256::ONE).unwrap()).unwrap(), U256::ONE);
    // 2^128 − 1 = 340282366920938463463374607431768211455
    assert_eq!(U256::from(u128::MAX).to_string(), "340282366920938463463374607431768211455");
    assert_eq!(u128::try_from(U256::from(u128::MAX)).unwrap(), u128::MAX);
    assert_eq!(u128::try_from(two128).unwrap_err().kind, ErrorKind::Overflow);
    // (2^128 + 5) = 2^64 · 2^64 + 5
    let (q, r) = two128.checked_add(u(5)).unwrap().checked_div_rem(U256::from_limbs([0, 1, 0, 0])).unwrap();
    assert_eq!((q, r), (U256::from_limbs([0, 1, 0, 0]), u(5)));
    assert!(U256::MAX > U256::RAY && U256::RAY > U256::WAD && U256::WAD > U256::ZERO);
    assert_eq!(U256::RAY.to_string(), format!("1{}", "0".repeat(27)));
    assert_eq!(U256::MAX.to_f64(), 2f64.powi(256));
    assert_eq!(format!("{:>5}|{:<3}|", u(42), u(7)), "   42|7  |");
}

#[test]
fn wadray_rounding_is_solidity_s() {
    use keel::{mul_div_ceil, wadray};
    // 10001 · 5000 bps = 5000.5: half up 5001, floor 5000, ceil 5001
    assert_eq!(wadray(WadRayOp::PercentMul, u(10_001), u(5000)).unwrap(), u(5001));
    assert_eq!(wadray(WadRayOp::PercentMulFloor, u(10_001), u(5000)).unwrap(), u(5000));
    assert_eq!(wadray(WadRayOp::PercentMulCeil, u(10_001), u(5000)).unwrap(), u(5001));
    // 1 / 3 in rays: 333...333.33 (27 digits): floor and half up ...333, ceil ...334
    let third = "333333333333333333333333333".parse::<U256>().unwrap();
    assert_eq!(wadray(WadRayOp::RayDivFloor, u(1), u(3)).unwrap(), third);
    assert_eq!(wadray(WadRayOp::RayDiv, u(1), u(3)).unwrap(), third);
    assert_eq!(wadray(WadRayOp::RayDivCeil, u(1), u(3)).unwrap(), third.checked_add(U256::ONE).unwrap());
    // wadMul(MAX, 1) is MAX exactly, but a·b + WAD/2 overflows: Solidity reverts
    assert_eq!(wadray(WadRayOp::WadMul, U256::MAX, U256::ONE).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(wadray(WadRayOp::WadDiv, u(1), U256::ZERO).unwrap_err().kind, ErrorKind::OutOfRange);
    // ⌈7 · 3 / 2⌉ = 11
    assert_eq!(mul_div_ceil(u(7), u(3), u(2)).unwrap(), u(11));
    // human units
    assert_eq!(u(999_999_999_939_759_036).format_units(18), "0.999999999939759036");
    assert_eq!(U256::WAD.format_units(18), "1");
    assert_eq!(U256::ZERO.format_units(6), "0");
    assert_eq!(u(16_600_000_001).format_units(6), "16600.000001");
    assert_eq!(U256::parse_units("16600.000001", 6).unwrap(), u(16_600_000_001));
    assert_eq!(U256::parse_units(".5", 1).unwrap(), u(5));
    assert_eq!(U256::parse_units("1.2.3", 6).unwrap_err().kind, ErrorKind::OutOfRange);
}

#[test]
fn flat_scan_equals_the_handles_and_checks_lengths_first() {
    use keel::aave_scan_flat;
    use keel::AaveFlatAccounts;
    let (mut m, weth, usdc) = market();
    m.set_emode(1, &AaveEmode { ltv: 9000, liquidation_threshold: 9300, liquidation_bonus: 10100,
                                collateral: vec![weth], borrowable: vec![weth, usdc], ltv_zero: vec![] })
        .unwrap();
    let at_one = account(&m, weth, usdc, 16_600 * USD);
    let under = account(&m, weth, usdc, 16_600 * USD + 1);
    let healthy = account(&m, weth, usdc, 12_000 * USD);
    let handles = keel::aave_scan(&m, &[&at_one, &under, &healthy]).unwrap();
    // the same accounts as flat rows, read back from the handles (scaled balances)
    let (mut offsets, mut reserves, mut collateral, mut supply, mut debt) =
        (vec![0usize], vec![], vec![], vec![], vec![]);
    for a in [&at_one, &under, &healthy] {
        for r in [weth, usdc] {
            let p = a.scaled_position(r);
            let words = |x: U256| {
                let l = x.limbs();
                assert_eq!((l[2], l[3]), (0, 0));
                [l[0], l[1]]
            };
            reserves.push(r);
            collateral.push(p.collateral);
            supply.push(words(p.scaled_supply));
            debt.push(words(p.scaled_debt));
        }
        offsets.push(reserves.len());
    }
    let acc = AaveFlatAccounts { offsets: &offsets, reserves: &reserves, collateral: &collateral,
                                 scaled_supply: &supply, scaled_debt: &debt, emodes: None };
    let flat = aave_scan_flat(&m, &acc).unwrap();
    assert_eq!(flat.liquidatable, vec![false, true, false]);
    assert_eq!(flat.exact, handles.exact);
    for (x, y) in flat.health_factors.iter().zip(&handles.health_factors) {
        assert_eq!(x.to_bits(), y.to_bits());
    }
    // e-mode 1 (threshold 93%) for the one below 1: no longer liquidatable
    let emodes = [0u8, 1, 0];
    let e = aave_scan_flat(&m, &AaveFlatAccounts { emodes: Some(&emodes), ..acc }).unwrap();
    assert_eq!(e.liquidatable, vec![false, false, false]);
    // lengths are checked in Rust, before C is called
    let short = AaveFlatAccounts { scaled_debt: &debt[..5], ..acc };
    assert_eq!(aave_scan_flat(&m, &short).unwrap_err().kind, ErrorKind::OutOfRange);
    let reach = [0usize, 2, 99, 6]; // 99 is past every slice, even though it then decreases
    assert_eq!(aave_scan_flat(&m, &AaveFlatAccounts { offsets: &reach, ..acc }).unwrap_err().kind,
               ErrorKind::OutOfRange);
    assert_eq!(aave_scan_flat(&m, &AaveFlatAccounts { offsets: &[], ..acc }).unwrap_err().kind,
               ErrorKind::OutOfRange);
    assert_eq!(aave_scan_flat(&m, &AaveFlatAccounts { emodes: Some(&emodes[..2]), ..acc })
                   .unwrap_err().kind, ErrorKind::OutOfRange);
    // and the library checks the contents
    let decreasing = [0usize, 4, 2, 6];
    assert_eq!(aave_scan_flat(&m, &AaveFlatAccounts { offsets: &decreasing, ..acc }).unwrap_err().kind,
               ErrorKind::OutOfRange);
    let raw = [0u32, 1, 1, 1, 0, 1];
    let repeated = AaveFlatAccounts { reserves: ReserveId::slice_from_raw(&raw), ..acc };
    let err = aave_scan_flat(&m, &repeated).unwrap_err();
    assert_eq!(err.kind, ErrorKind::OutOfRange);
    assert!(err.detail.contains("account 1, position 3"), "{}", err.detail);
    let unknown = [0u8, 7, 0];
    assert_eq!(aave_scan_flat(&m, &AaveFlatAccounts { emodes: Some(&unknown), ..acc }).unwrap_err().kind,
               ErrorKind::UnknownAsset);
    // no accounts at all
    let none = aave_scan_flat(&m, &AaveFlatAccounts { offsets: &[0], reserves: &[], collateral: &[],
                                                      scaled_supply: &[], scaled_debt: &[],
                                                      emodes: None }).unwrap();
    assert!(none.liquidatable.is_empty() && none.exact == 0);
}
