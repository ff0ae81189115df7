//! The Compound v3 layer through the safe wrapper: hand-worked accounts,
//! absorb and buyCollateral quotes, keeper answers on their boundaries, and
//! hostile input refused with nothing changed.
//!
//! Every expected number is taken from tests/test_comet.c, whose comments
//! work it by hand from Comet.sol (each test names its case there). The
//! market: USDC base (6 decimals, price 1e8, supply index 1.05e15, borrow
//! index 1.1e15, store front 0.5, target reserves 5,000 USDC), WETH
//! collateral (id 0, 18 decimals, price 2000e8, borrowCF 0.825, liquidateCF
//! 0.895, liquidationFactor 0.95). A debt principal p has present value
//! ⌊p · 1.1⌋ and value pv · 100.
use keel::{CometAccount, CometAsset, CometAssetId, CometBase, CometInt, CometLine, CometMarket, CometPause,
           CometRevert, CometTrigger, ErrorKind, U256};

const E15: u64 = 1_000_000_000_000_000;
const E18: u64 = 1_000_000_000_000_000_000;
const WETH: CometAssetId = CometAssetId::from_raw(0);

fn u(v: u128) -> U256 {
    U256::from(v)
}

fn s(text: &str) -> U256 {
    text.parse().unwrap()
}

fn ci(v: i128) -> CometInt {
    CometInt::from(v)
}

fn base() -> CometBase {
    CometBase {
        supply_index: 1_050_000_000_000_000,
        borrow_index: 1_100_000_000_000_000,
        total_supply_base: u(10_000_000_000),
        total_borrow_base: u(5_000_000_000),
        base_balance: u(6_000_000_000),
        store_front_price_factor: 5 * E18 / 10,
        target_reserves: u(5_000_000_000),
        last_accrual_time: 1000,
        ..Default::default()
    }
}

fn weth() -> CometAsset {
    CometAsset {
        price: u(200_000_000_000),
        borrow_collateral_factor: 825 * E15,
        liquidate_collateral_factor: 895 * E15,
        liquidation_factor: 950 * E15,
        supply_cap: s("1000000000000000000000000"),
        total_supply_asset: s("100000000000000000000"),
        balance: s("110000000000000000000"),
        ..Default::default()
    }
}

fn market() -> CometMarket {
    let mut m = CometMarket::new("USDC", &base()).unwrap();
    assert_eq!(m.add_asset("WETH", &weth()).unwrap(), WETH);
    m
}

fn account(m: &CometMarket, principal: i128, weth: U256) -> CometAccount {
    let mut a = CometAccount::new().unwrap();
    a.set_principal(principal).unwrap();
    a.set_collateral(m, WETH, weth).unwrap();
    a
}

/// test_comet.c: present_and_principal_values_round_both_signs
#[test]
fn present_and_principal_values_round_both_signs() {
    let m = market();
    assert_eq!(m.present_value(7).unwrap(), ci(7)); // ⌊7.35⌋
    assert_eq!(m.present_value(-7).unwrap(), ci(-7)); // −⌊7.7⌋: toward zero
    assert_eq!(m.principal_value(ci(7)).unwrap(), 6); // ⌊6.67⌋
    assert_eq!(m.principal_value(ci(-7)).unwrap(), -7); // −⌈6.36⌉
    assert_eq!(m.principal_value(ci(-11)).unwrap(), -10);
    assert!(m.present_value(0).unwrap().is_zero());
    // int104: −2^103 fits, 2^103 does not
    let lim = 1i128 << 103;
    m.present_value(-lim).unwrap();
    assert_eq!(m.present_value(lim).unwrap_err().kind, ErrorKind::Overflow);
    // ⌈2^103 · 1.05⌉ + 1: principal 2^103 + 1 → InvalidInt104
    let e = m.principal_value(CometInt::new(false, s("10648265041917126972572306925160"))).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Overflow);
    assert!(e.detail.contains("InvalidInt104"), "{}", e.detail);
}

/// test_comet.c: one_wei_either_side_of_the_liquidation_line
#[test]
fn one_wei_either_side_of_the_liquidation_line() {
    let m = market();
    let mut a = account(&m, -1_627_272_728, u(E18 as u128));
    let d = a.liquidity(&m).unwrap();
    assert_eq!(d.present_value, ci(-1_790_000_000));
    assert_eq!(d.base_value, ci(-179_000_000_000));
    assert_eq!(d.collateral_value, u(200_000_000_000));
    assert_eq!(d.liquidate_collateral_value, u(179_000_000_000));
    assert_eq!(d.borrow_collateral_value, u(165_000_000_000));
    assert_eq!(d.liquidation_liquidity, CometInt::ZERO);
    assert_eq!(d.borrow_liquidity, ci(-14_000_000_000));
    assert!(!d.is_liquidatable && !d.is_borrow_collateralized);
    a.set_principal(-1_627_272_729).unwrap();
    let d = a.liquidity(&m).unwrap();
    assert_eq!(d.present_value, ci(-1_790_000_001));
    assert_eq!(d.liquidation_liquidity, ci(-100));
    assert!(d.is_liquidatable);
    assert_eq!(a.principal().unwrap(), -1_627_272_729);
}

/// test_comet.c: one_wei_either_side_of_the_borrow_line
#[test]
fn one_wei_either_side_of_the_borrow_line() {
    let m = market();
    let mut a = account(&m, -1_500_000_000, u(E18 as u128));
    let d = a.liquidity(&m).unwrap();
    assert!(d.borrow_liquidity.is_zero() && d.is_borrow_collateralized);
    a.set_principal(-1_500_000_001).unwrap();
    let d = a.liquidity(&m).unwrap();
    assert_eq!(d.borrow_liquidity, ci(-100));
    assert!(!d.is_borrow_collateralized && !d.is_liquidatable);
}

/// test_comet.c: absorb_with_a_deficit
#[test]
fn absorb_with_a_deficit_and_with_a_surplus() {
    let mut m = market();
    let a = account(&m, -2_000_000_000, u(E18 as u128));
    let (q, after) = a.absorb_after(&m).unwrap();
    assert_eq!(q.old_balance, ci(-2_200_000_000));
    assert_eq!(q.seized, vec![u(E18 as u128)]);
    assert_eq!(q.seized_value, vec![u(200_000_000_000)]);
    assert_eq!(q.delta_value, u(190_000_000_000));
    assert_eq!(q.delta_balance, u(1_900_000_000));
    assert_eq!((q.new_balance, q.new_principal), (CometInt::ZERO, CometInt::ZERO));
    assert_eq!(q.deficit, u(300_000_000));
    assert_eq!(q.base_paid_out, u(2_200_000_000));
    assert_eq!(q.value_of_base_paid_out, u(220_000_000_000));
    assert_eq!((q.repay_amount, q.supply_amount), (u(2_000_000_000), U256::ZERO));
    assert_eq!((q.total_borrow_base, q.total_supply_base), (u(3_000_000_000), u(10_000_000_000)));
    assert_eq!((q.reserves_before, q.reserves_after), (ci(1_000_000_000), ci(-1_200_000_000)));
    assert_eq!(after.principal().unwrap(), 0);
    assert_eq!(after.collateral(WETH).unwrap(), U256::ZERO);
    // the quote alone leaves the account as it was
    assert_eq!(a.absorb_quote(&m).unwrap(), q);
    assert_eq!(a.principal().unwrap(), -2_000_000_000);

    // a surplus: pv 1,790,000,001 → balance 109,999,999, principal ⌊/1.05⌋ = 104,761,903
    let b = account(&m, -1_627_272_729, u(E18 as u128));
    let (q, after) = b.absorb_after(&m).unwrap();
    assert_eq!((q.new_balance, q.new_principal), (ci(109_999_999), ci(104_761_903)));
    assert_eq!((q.deficit, q.repay_amount, q.supply_amount), (U256::ZERO, u(1_627_272_729), u(104_761_903)));
    assert_eq!(after.principal().unwrap(), 104_761_903);

    // paused, and a healthy account: the contract's reasons, named
    let mut bs = m.base().unwrap();
    bs.pause = CometPause { absorb: true, ..Default::default() };
    m.set_base(&bs).unwrap();
    let e = a.absorb_quote(&m).unwrap_err();
    assert_eq!((e.kind, e.comet_revert), (ErrorKind::Infeasible, Some(CometRevert::Paused)));
    assert_eq!(e.comet_revert.unwrap().name(), "Paused");
    bs.pause = CometPause::default();
    m.set_base(&bs).unwrap();
    let healthy = account(&m, -1_627_272_728, u(E18 as u128));
    let e = healthy.absorb_after(&m).unwrap_err();
    assert_eq!(e.comet_revert, Some(CometRevert::NotLiquidatable));
    assert_eq!(CometRevert::NotLiquidatable.to_string(), "NotLiquidatable");
    assert_eq!((e.revert, e.morpho_revert), (None, None));
}

/// test_comet.c: dust_debt_worth_nothing_is_not_liquidatable
#[test]
fn dust_debt_worth_nothing_is_not_liquidatable() {
    let mut m = market();
    m.set_price(CometAssetId::BASE, U256::ONE).unwrap();
    assert_eq!(m.base().unwrap().price, U256::ONE);
    let a = account(&m, -1, U256::ZERO);
    let d = a.liquidity(&m).unwrap();
    assert_eq!((d.present_value, d.base_value), (ci(-1), CometInt::ZERO));
    assert!(!d.is_liquidatable && d.is_borrow_collateralized);
    assert_eq!(a.absorb_quote(&m).unwrap_err().comet_revert, Some(CometRevert::NotLiquidatable));
}

/// test_comet.c: buy_collateral_at_the_store_front_price
#[test]
fn buy_collateral_at_the_store_front_price() {
    let mut m = market();
    let q = u(512_820_512_820_512_820);
    assert_eq!(m.quote_collateral(WETH, u(1_000_000_000)).unwrap(), q);
    let b = m.buy_collateral_quote(WETH, U256::ZERO, u(1_000_000_000)).unwrap();
    assert_eq!((b.reserves, b.collateral_amount, b.collateral_reserves),
               (ci(1_000_000_000), q, u(10 * E18 as u128)));
    // minAmount at the quote passes, one wei above reverts
    m.buy_collateral_quote(WETH, q, u(1_000_000_000)).unwrap();
    let e = m.buy_collateral_quote(WETH, u(512_820_512_820_512_821), u(1_000_000_000)).unwrap_err();
    assert_eq!(e.comet_revert, Some(CometRevert::TooMuchSlippage));
    // 19,500 USDC buys exactly the 10 WETH of reserves; one base wei more does not
    assert_eq!(m.buy_collateral_quote(WETH, U256::ZERO, u(19_500_000_000)).unwrap().collateral_amount,
               u(10 * E18 as u128));
    let e = m.buy_collateral_quote(WETH, U256::ZERO, u(19_500_000_001)).unwrap_err();
    assert_eq!(e.comet_revert, Some(CometRevert::InsufficientReserves));
    // reserves at the target: NotForSale; one wei of target above: for sale
    let mut bs = m.base().unwrap();
    bs.target_reserves = u(1_000_000_000);
    m.set_base(&bs).unwrap();
    let e = m.buy_collateral_quote(WETH, U256::ZERO, U256::ONE).unwrap_err();
    assert_eq!(e.comet_revert, Some(CometRevert::NotForSale));
    bs.target_reserves = u(1_000_000_001);
    m.set_base(&bs).unwrap();
    m.buy_collateral_quote(WETH, U256::ZERO, U256::ONE).unwrap();
    // store front 1 and liquidation factor 0: a discounted price of 0
    bs.store_front_price_factor = E18;
    m.set_base(&bs).unwrap();
    m.set_asset(WETH, &CometAsset { liquidation_factor: 0, ..m.asset(WETH).unwrap() }).unwrap();
    let e = m.quote_collateral(WETH, U256::ONE).unwrap_err();
    assert_eq!((e.kind, e.comet_revert), (ErrorKind::Infeasible, Some(CometRevert::DivisionByZero)));
    assert_eq!(m.quote_collateral(CometAssetId::from_raw(1), U256::ONE).unwrap_err().kind,
               ErrorKind::UnknownAsset);
}

/// test_comet.c: accrual_over_a_day
#[test]
fn accrual_over_a_day() {
    let b = CometBase {
        total_supply_base: u(10_000_000_000),
        total_borrow_base: u(5_000_000_000),
        supply_kink: 8 * E18 / 10,
        borrow_kink: 8 * E18 / 10,
        supply_per_year_interest_rate_slope_low: 4 * E18 / 100,
        supply_per_year_interest_rate_slope_high: E18,
        borrow_per_year_interest_rate_slope_low: 5 * E18 / 100,
        borrow_per_year_interest_rate_slope_high: 2 * E18,
        borrow_per_year_interest_rate_base: 15 * E15,
        last_accrual_time: 1000,
        ..Default::default()
    };
    let mut m = CometMarket::new("USDC", &b).unwrap();
    let r = m.rates().unwrap();
    assert_eq!((r.utilization, r.borrow_rate, r.supply_rate), (u(5 * E18 as u128 / 10), 1_268_391_678, 634_195_839));
    assert_eq!(m.accrue(999).unwrap_err().kind, ErrorKind::OutOfRange);
    m.accrue(1000).unwrap();
    m.accrue(1000 + 86_400).unwrap();
    let after = m.base().unwrap();
    assert_eq!((after.supply_index, after.borrow_index, after.last_accrual_time),
               (1_000_054_794_520_489, 1_000_109_589_040_979, 87_400));
    // TimestampTooLarge: refused, nothing moves
    assert_eq!(m.accrue(1 << 40).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(m.base().unwrap(), after);
}

/// test_comet.c: keeper_answers_sit_on_their_boundary (each answer, and one wei less or more)
#[test]
fn keeper_answers_sit_on_their_boundary() {
    let mut m = market();
    let (one, two) = (U256::WAD, u(2 * E18 as u128));
    let a = account(&m, -1_627_272_729, u(E18 as u128));
    assert_eq!(a.repay_to_target(&m, CometLine::Liquidate, one).unwrap(), U256::ONE);
    assert_eq!(a.repay_to_target(&m, CometLine::Borrow, two).unwrap(), u(965_000_001));
    let supply = a.supply_to_target(&m, WETH, CometLine::Borrow, two).unwrap();
    assert_eq!(supply, u(1_169_696_970_910_000_000));
    // the boundary: 1 WETH + supply reaches 358,000,000,200; one wei less does not
    let mut b = account(&m, -1_627_272_729, u(2_169_696_970_910_000_000));
    assert_eq!(b.liquidity(&m).unwrap().borrow_collateral_value, u(358_000_000_200));
    b.set_collateral(&m, WETH, u(2_169_696_970_909_999_999)).unwrap();
    assert_eq!(b.liquidity(&m).unwrap().borrow_collateral_value, u(358_000_000_199));

    // max withdraw at p = −1e9: 333,333,333,330,000,000; one wei more uncollateralises
    b.set_principal(-1_000_000_000).unwrap();
    b.set_collateral(&m, WETH, u(E18 as u128)).unwrap();
    let w = b.max_withdraw(&m, WETH, U256::ZERO).unwrap();
    assert_eq!(w, u(333_333_333_330_000_000));
    let mut c = b.clone();
    c.set_collateral(&m, WETH, u(E18 as u128 - 333_333_333_330_000_000)).unwrap();
    assert!(c.liquidity(&m).unwrap().is_borrow_collateralized);
    c.set_collateral(&m, WETH, u(E18 as u128 - 333_333_333_330_000_001)).unwrap();
    assert!(!c.liquidity(&m).unwrap().is_borrow_collateralized);

    // max borrow against 1 WETH: 1,650,000,000; a borrow min above it: 0; the pool's balance caps it
    b.set_principal(0).unwrap();
    let mut bs = m.base().unwrap();
    bs.base_borrow_min = u(100_000_000);
    m.set_base(&bs).unwrap();
    assert_eq!(b.max_borrow(&m, U256::ZERO).unwrap(), u(1_650_000_000));
    c.set_principal(-1_500_000_000).unwrap(); // the principal of borrowing 1.65e9: pv 1.65e9
    c.set_collateral(&m, WETH, u(E18 as u128)).unwrap();
    assert!(c.liquidity(&m).unwrap().is_borrow_collateralized);
    c.set_principal(-1_500_000_001).unwrap(); // borrowing one wei more
    assert!(!c.liquidity(&m).unwrap().is_borrow_collateralized);
    bs.base_borrow_min = u(1_650_000_001);
    m.set_base(&bs).unwrap();
    assert_eq!(b.max_borrow(&m, U256::ZERO).unwrap(), U256::ZERO);
    bs.base_borrow_min = U256::ZERO;
    bs.base_balance = u(1_000_000);
    m.set_base(&bs).unwrap();
    assert_eq!(b.max_borrow(&m, U256::ZERO).unwrap(), u(1_000_000));

    // liquidation price: liquidatable up to 200,000,000,111, not at ...112
    let lp = a.liquidation_price(&m, WETH).unwrap();
    assert_eq!(lp.trigger, CometTrigger::AtOrBelow(u(200_000_000_111)));
    assert!(lp.liquidatable_now);
    let mut m2 = m.clone();
    m2.set_price(WETH, u(200_000_000_111)).unwrap();
    assert!(a.liquidity(&m2).unwrap().is_liquidatable);
    m2.set_price(WETH, u(200_000_000_112)).unwrap();
    assert!(!a.liquidity(&m2).unwrap().is_liquidatable);
    let mut rich = a.clone();
    rich.set_principal(5).unwrap();
    let lp = rich.liquidation_price(&m, WETH).unwrap();
    assert_eq!((lp.trigger, lp.liquidatable_now), (CometTrigger::NoBoundary, false));
}

/// test_comet.c: bad_inputs_change_nothing, plus the binding's own range checks
#[test]
fn hostile_input_is_refused_and_changes_nothing() {
    let mut m = market();
    let a = m.asset(WETH).unwrap();
    let bad = [
        (CometAsset { borrow_collateral_factor: a.liquidate_collateral_factor, ..a }, "BorrowCFTooLarge"),
        (CometAsset { borrow_collateral_factor: 895 * E15, liquidate_collateral_factor: 895 * E15 + 50 * 1_000_000_000_000,
                      ..a }, ""),
        (CometAsset { liquidate_collateral_factor: E18 + 1, ..a }, "LiquidateCFTooLarge"),
        (CometAsset { liquidation_factor: E18 + 1, ..a }, ""),
        (CometAsset { decimals: 19, ..a }, ""),
        (CometAsset { price: U256::ZERO, ..a }, ""),
        (CometAsset { total_supply_asset: s("340282366920938463463374607431768211456"), ..a }, ""),
        (CometAsset { supply_cap: s("18446744073709551616000000000000000000"), ..a }, ""),
    ];
    for (asset, name) in bad {
        let e = m.add_asset("X", &asset).unwrap_err();
        assert_eq!(e.kind, ErrorKind::OutOfRange, "{asset:?}");
        assert!(e.detail.contains(name), "{}", e.detail);
        assert_eq!(m.set_asset(WETH, &asset).unwrap_err().kind, ErrorKind::OutOfRange);
    }
    assert_eq!(m.add_asset("USDC", &a).unwrap_err().kind, ErrorKind::Duplicate);
    assert_eq!(m.add_asset("WE\0TH", &a).unwrap_err().kind, ErrorKind::InvalidSymbol);
    assert_eq!(m.set_asset(CometAssetId::from_raw(3), &a).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(m.set_asset(CometAssetId::BASE, &a).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!((m.len(), m.asset(WETH).unwrap()), (1, a));
    assert_eq!(m.find("WETH").unwrap(), WETH);
    assert_eq!(m.find("DAI").unwrap_err().kind, ErrorKind::NotFound);
    // prices: 0 and 2^255 refused, unknown id refused
    assert_eq!(m.set_price(WETH, U256::ZERO).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(m.set_price(WETH, s("57896044618658097711785492504343953926634992332820282019728792003956564819968"))
                   .unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(m.set_price(CometAssetId::from_raw(1), U256::ONE).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(m.asset(WETH).unwrap(), a);
    // factors stored as getAssetInfo reads them: cut to 1e14
    let y = m.add_asset("Y", &CometAsset { borrow_collateral_factor: 825 * E15 + 99_999_999_999_999, ..a }).unwrap();
    assert_eq!(m.asset(y).unwrap().borrow_collateral_factor, 825 * E15);
    // the base
    let b0 = m.base().unwrap();
    for (b, name) in [(CometBase { decimals: 5, ..b0 }, ""),
                      (CometBase { store_front_price_factor: E18 + 1, ..b0 }, "BadDiscount"),
                      (CometBase { total_borrow_base: s("20282409603651670423947251286016"), ..b0 }, ""),
                      (CometBase { borrow_index: 0, ..b0 }, ""),
                      (CometBase { last_accrual_time: 1 << 40, ..b0 }, "")] {
        let e = m.set_base(&b).unwrap_err();
        assert_eq!(e.kind, ErrorKind::OutOfRange);
        assert!(e.detail.contains(name), "{}", e.detail);
        assert_eq!(CometMarket::new("USDC", &b).unwrap_err().kind, ErrorKind::OutOfRange);
    }
    assert_eq!(m.base().unwrap(), b0);
    // the account: int104 and uint128 widths, unknown assets; nothing changes
    let mut acc = account(&m, -5, u(9));
    assert_eq!(acc.set_principal(1 << 103).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(acc.set_principal(i128::MIN).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(acc.set_collateral(&m, WETH, s("340282366920938463463374607431768211456")).unwrap_err().kind,
               ErrorKind::Overflow);
    assert_eq!(acc.set_collateral(&m, CometAssetId::from_raw(5), U256::ONE).unwrap_err().kind,
               ErrorKind::UnknownAsset);
    assert_eq!(acc.set_collateral(&m, CometAssetId::BASE, U256::ONE).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!((acc.principal().unwrap(), acc.collateral(WETH).unwrap()), (-5, u(9)));
    assert_eq!(acc.collateral(CometAssetId::from_raw(12)).unwrap_err().kind, ErrorKind::UnknownAsset);
    // keeper arguments out of range
    assert_eq!(acc.repay_to_target(&m, CometLine::Borrow, U256::ZERO).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(acc.repay_to_target(&m, CometLine::Borrow, s("340282366920938463463374607431768211456"))
                   .unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(acc.supply_to_target(&m, CometAssetId::from_raw(9), CometLine::Borrow, U256::WAD).unwrap_err().kind,
               ErrorKind::UnknownAsset);
    assert_eq!(acc.max_withdraw(&m, CometAssetId::from_raw(9), U256::ZERO).unwrap_err().kind,
               ErrorKind::UnknownAsset);
    assert_eq!(acc.liquidation_price(&m, CometAssetId::from_raw(9)).unwrap_err().kind, ErrorKind::UnknownAsset);
    // an account holding an asset the market lacks
    let small = CometMarket::new("USDC", &b0).unwrap();
    assert_eq!(acc.liquidity(&small).unwrap_err().kind, ErrorKind::UnknownAsset);
    assert_eq!(acc.to_keel(&small).err().unwrap().kind, ErrorKind::UnknownAsset);
}

#[test]
fn comet_int_converts_without_wrapping() {
    assert_eq!(CometInt::new(true, U256::ZERO), CometInt::ZERO); // no negative zero
    assert!(!CometInt::new(true, U256::ZERO).is_negative());
    assert_eq!(ci(-5).to_string(), "-5");
    assert_eq!(i128::try_from(ci(i128::MIN)).unwrap(), i128::MIN);
    assert_eq!(i128::try_from(ci(i128::MAX)).unwrap(), i128::MAX);
    let past = CometInt::new(false, U256::from(1u128 << 127));
    assert_eq!(i128::try_from(past).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(i128::try_from(CometInt::new(true, U256::MAX)).unwrap_err().kind, ErrorKind::Overflow);
    assert_eq!(CometAssetId::BASE.raw(), u32::MAX);
    assert_eq!(CometAssetId::slice_from_raw(&[u32::MAX, 0]), &[CometAssetId::BASE, WETH]);
}

/// test_comet.c: bridge_equals_the_chain_up_to_rounding
#[test]
fn bridge_equals_the_chain_at_the_line() {
    let m = market();
    let a = account(&m, -1_627_272_728, u(E18 as u128));
    let k = a.to_keel(&m).unwrap();
    assert_eq!(k.assets, vec![CometAssetId::BASE, WETH]);
    assert_eq!(k.asset(WETH).map(|x| x.raw()), Some(1));
    let mt = k.basket.metrics(&k.market, &k.haircuts).unwrap();
    assert!((mt.health_factor - 1.0).abs() < 1e-12, "{}", mt.health_factor);
}

#[test]
fn handles_clone_deeply() {
    // (no live_handles() count here: the tests of this binary run in parallel)
    {
        let m = market();
        let mut m2 = m.clone();
        m2.set_price(WETH, u(1)).unwrap();
        assert_eq!(m.asset(WETH).unwrap().price, u(200_000_000_000));
        let a = account(&m, -3, u(1));
        let mut b = a.clone();
        b.set_principal(4).unwrap();
        assert_eq!(a.principal().unwrap(), -3);
        let _ = format!("{m:?} {a:?}");
    }
}

#[test]
fn simulation_liquidates_by_comet_rules() {
    use keel::{CostModel, SimParams, Simulation};
    let m = market();
    let a = account(&m, -1_500_000_000, u(E18 as u128));
    let k = a.to_keel(&m).unwrap();
    let mut sim = Simulation::new(&k.market, &k.basket, &k.haircuts, &CostModel::new().unwrap(), None, None,
                                  &SimParams::default()).unwrap();
    // hostile: a count other than the market's, no base, an id the market lacks
    assert_eq!(sim.set_comet(Some(&m), &[CometAssetId::BASE]).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(sim.set_comet(Some(&m), &[WETH, WETH]).unwrap_err().kind, ErrorKind::OutOfRange);
    assert_eq!(sim.set_comet(Some(&m), &[CometAssetId::BASE, CometAssetId::from_raw(4)]).unwrap_err().kind,
               ErrorKind::UnknownAsset);
    sim.set_comet(Some(&m), &k.assets).unwrap();
    assert_eq!(sim.run(0, 8).unwrap().summary().unwrap().paths, 8);
    sim.set_comet(None, &[]).unwrap();
    sim.run(0, 2).unwrap();
}
