/* Compound v3 (Comet) accounts worked by hand from the Solidity of
 * compound-finance/comet at d5a30b0aaeff7755f1431e87f818990902237b03
 * (Comet.sol, CometCore.sol). Each expected value is derived in the comment
 * above it; the thousands of random accounts are in
 * tests/protocol/test_comet_vs_ref.py (against an independent reference).
 *
 * The market: USDC base, 6 decimals, price 1e8 (1 USD), supply index
 * 1.05e15, borrow index 1.1e15; WETH collateral, 18 decimals, price 2000e8,
 * borrowCF 0.825, liquidateCF 0.895, liquidationFactor 0.95; store front
 * 0.5. One WETH is worth mulPrice(1e18, 2000e8, 1e18) = 200,000,000,000;
 * at the borrow factor 165,000,000,000, at the liquidate factor
 * 179,000,000,000. A debt principal p has present value ⌊p · 1.1⌋ and value
 * ⌊pv · 1e8 / 1e6⌋ = pv · 100. */
#include <string.h>

#include "testutil.h"

#include "u256_testutil.h"

/* a signed value as text ("-123") */
#define ck_int_eq(got, want_text)                                                          \
    do {                                                                                   \
        char buf_[KEEL_U256_DECIMAL_MAX + 1];                                              \
        keel_comet_int g_ = (got);                                                         \
        buf_[0] = '-';                                                                     \
        ck_ok(keel_u256_to_string(g_.magnitude, buf_ + 1, sizeof buf_ - 1));               \
        ck_assert_str_eq(g_.negative ? buf_ : buf_ + 1, (want_text));                      \
    } while (0)

static keel_comet_int ci(int64_t v)
{
    keel_comet_int r = { u(v < 0 ? (uint64_t)(-v) : (uint64_t)v), v < 0, 0 };
    return r;
}

static const uint64_t E15 = 1000000000000000ull, E18 = 1000000000000000000ull;

static keel_comet_market *market(void)
{
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    b.supply_index = 1050000000000000ull;
    b.borrow_index = 1100000000000000ull;
    b.total_supply_base = u(10000000000ull); /* present 10,500 USDC */
    b.total_borrow_base = u(5000000000ull);  /* present 5,500 USDC */
    b.base_balance = u(6000000000ull);       /* reserves 6,000 − 10,500 + 5,500 = 1,000 USDC */
    b.store_front_price_factor = 5 * E18 / 10;
    b.target_reserves = u(5000000000ull);
    b.last_accrual_time = 1000;
    keel_comet_market *m;
    ck_ok(keel_comet_market_new("USDC", &b, &m));
    keel_comet_asset a = KEEL_COMET_ASSET_INIT;
    a.price = u(200000000000ull);
    a.borrow_collateral_factor = 825 * E15;
    a.liquidate_collateral_factor = 895 * E15;
    a.liquidation_factor = 950 * E15;
    a.supply_cap = s("1000000000000000000000000");  /* 1,000,000 WETH */
    a.total_supply_asset = s("100000000000000000000"); /* 100 WETH */
    a.balance = s("110000000000000000000");           /* 10 WETH of collateral reserves */
    uint32_t id;
    ck_ok(keel_comet_market_add_asset(m, "WETH", &a, &id));
    ck_assert_uint_eq(id, 0);
    return m;
}

static keel_comet_account *account(const keel_comet_market *m, int64_t principal, keel_u256 weth)
{
    keel_comet_account *a;
    ck_ok(keel_comet_account_new(&a));
    ck_ok(keel_comet_account_set_principal(a, ci(principal)));
    ck_ok(keel_comet_account_set_collateral(a, m, 0, weth));
    return a;
}

static keel_comet_account_data data(const keel_comet_market *m, const keel_comet_account *a)
{
    keel_comet_account_data d = KEEL_COMET_ACCOUNT_DATA_INIT;
    ck_ok(keel_comet_account_liquidity(m, a, &d));
    return d;
}

START_TEST(present_and_principal_values_round_both_signs)
{
    keel_comet_market *m = market();
    keel_comet_int r;
    /* presentValueSupply(1.05e15, 7) = ⌊7.35⌋ = 7 */
    ck_ok(keel_comet_present_value(m, ci(7), &r));
    ck_int_eq(r, "7");
    /* presentValue(−7) = −⌊7 · 1.1⌋ = −⌊7.7⌋ = −7: a debt rounds toward zero */
    ck_ok(keel_comet_present_value(m, ci(-7), &r));
    ck_int_eq(r, "-7");
    /* principalValueSupply(7) = ⌊7e15 / 1.05e15⌋ = ⌊6.67⌋ = 6 (down) */
    ck_ok(keel_comet_principal_value(m, ci(7), &r));
    ck_int_eq(r, "6");
    /* principalValueBorrow(7) = ⌈7e15 / 1.1e15⌉ = ⌈6.36⌉ = 7 (up) */
    ck_ok(keel_comet_principal_value(m, ci(-7), &r));
    ck_int_eq(r, "-7");
    /* ⌈11e15 / 1.1e15⌉ = 10 exactly: no rounding */
    ck_ok(keel_comet_principal_value(m, ci(-11), &r));
    ck_int_eq(r, "-10");
    ck_ok(keel_comet_present_value(m, ci(0), &r));
    ck_int_eq(r, "0");
    /* the widths: int104 in, InvalidInt104 out */
    keel_comet_int big = { s("10141204801825835211973625643008"), 1, 0 }; /* −2^103 */
    ck_ok(keel_comet_present_value(m, big, &r));
    big.negative = 0; /* 2^103 is past int104 */
    ck_status(keel_comet_present_value(m, big, &r), KEEL_E_OVERFLOW);
    /* ⌈2^103 · 1.05⌉ + 1 as a present value: its principal ⌊pv / 1.05⌋ = 2^103 + 1
     * does not fit */
    keel_comet_int pv = { s("10648265041917126972572306925160"), 0, 0 };
    ck_status(keel_comet_principal_value(m, pv, &r), KEEL_E_OVERFLOW);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "InvalidInt104"));
    keel_comet_market_free(m);
}
END_TEST

START_TEST(one_wei_either_side_of_the_liquidation_line)
{
    keel_comet_market *m = market();
    /* p = 1,627,272,728: pv ⌊1,790,000,000.8⌋ = 1,790,000,000, value 179,000,000,000,
     * liquidation liquidity 179e9 − 179e9 = 0: not liquidatable (the contract's < 0) */
    keel_comet_account *a = account(m, -1627272728, u(E18));
    keel_comet_account_data d = data(m, a);
    ck_int_eq(d.present_value, "-1790000000");
    ck_int_eq(d.base_value, "-179000000000");
    ck_u256_eq(d.collateral_value, "200000000000");
    ck_u256_eq(d.liquidate_collateral_value, "179000000000");
    ck_u256_eq(d.borrow_collateral_value, "165000000000");
    ck_int_eq(d.liquidation_liquidity, "0");
    ck_int_eq(d.borrow_liquidity, "-14000000000");
    ck_assert_int_eq(d.is_liquidatable, 0);
    ck_assert_int_eq(d.is_borrow_collateralized, 0);
    /* p + 1 = 1,627,272,729: pv ⌊1,790,000,001.9⌋ = 1,790,000,001, liquidity −100 */
    ck_ok(keel_comet_account_set_principal(a, ci(-1627272729)));
    d = data(m, a);
    ck_int_eq(d.present_value, "-1790000001");
    ck_int_eq(d.liquidation_liquidity, "-100");
    ck_assert_int_eq(d.is_liquidatable, 1);
    keel_comet_account_free(a);
    keel_comet_market_free(m);
}
END_TEST

START_TEST(one_wei_either_side_of_the_borrow_line)
{
    keel_comet_market *m = market();
    /* p = 1,500,000,000: pv exactly 1,650,000,000, value 165e9 = the borrow-weighted
     * collateral: borrow liquidity 0, collateralized */
    keel_comet_account *a = account(m, -1500000000, u(E18));
    keel_comet_account_data d = data(m, a);
    ck_int_eq(d.borrow_liquidity, "0");
    ck_assert_int_eq(d.is_borrow_collateralized, 1);
    /* p + 1: pv ⌊1,650,000,001.1⌋ = 1,650,000,001, liquidity −100 */
    ck_ok(keel_comet_account_set_principal(a, ci(-1500000001)));
    d = data(m, a);
    ck_int_eq(d.borrow_liquidity, "-100");
    ck_assert_int_eq(d.is_borrow_collateralized, 0);
    ck_assert_int_eq(d.is_liquidatable, 0);
    keel_comet_account_free(a);
    keel_comet_market_free(m);
}
END_TEST

START_TEST(dust_debt_worth_nothing_is_not_liquidatable)
{
    keel_comet_market *m = market();
    /* base price 1 (1e-8 USD): a 1-principal debt, pv −⌊1.1⌋ = −1, is worth
     * signedMulPrice(−1, 1, 1e6) = −1 / 1e6 = 0 (truncated toward zero): liquidity
     * 0 without any collateral, so not liquidatable, and absorb reverts */
    ck_ok(keel_comet_market_set_price(m, KEEL_COMET_BASE_ID, u(1)));
    keel_comet_account *a = account(m, -1, u(0));
    keel_comet_account_data d = data(m, a);
    ck_int_eq(d.present_value, "-1");
    ck_int_eq(d.base_value, "0");
    ck_assert_int_eq(d.is_liquidatable, 0);
    ck_assert_int_eq(d.is_borrow_collateralized, 1);
    keel_comet_absorb q = KEEL_COMET_ABSORB_INIT;
    ck_status(keel_comet_absorb_quote(m, a, &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_COMET_NOT_LIQUIDATABLE);
    ck_assert_str_eq(keel_comet_revert_name(q.revert), "NotLiquidatable");
    /* one wei of WETH is worth ⌊1 · 2000e8 / 1e18⌋ = 0 */
    ck_ok(keel_comet_market_set_price(m, KEEL_COMET_BASE_ID, u(100000000)));
    ck_ok(keel_comet_account_set_collateral(a, m, 0, u(1)));
    d = data(m, a);
    ck_u256_eq(d.collateral_value, "0");
    ck_int_eq(d.liquidation_liquidity, "-100");
    ck_assert_int_eq(d.is_liquidatable, 1);
    keel_comet_account_free(a);
    keel_comet_market_free(m);
}
END_TEST

START_TEST(absorb_with_a_deficit)
{
    keel_comet_market *m = market();
    /* p = 2,000,000,000: pv 2,200,000,000 (2,200 USDC) against 1 WETH. Seized
     * 1e18 worth 200,000,000,000; at liquidationFactor 0.95: delta value
     * 190,000,000,000; divPrice: 190e9 · 1e6 / 1e8 = 1,900,000,000 base wei;
     * −2,200,000,000 + 1,900,000,000 = −300,000,000 → new balance 0, deficit
     * 300,000,000. repayAndSupplyAmount(−2e9, 0) = (2e9, 0): totalBorrowBase
     * 5e9 → 3e9. Reserves 6e9 − 10.5e9 + ⌊3e9 · 1.1⌋ = −1.2e9 (were 1e9: the
     * whole 2.2e9 debt written off, the collateral not yet sold). */
    keel_comet_account *a = account(m, -2000000000, u(E18));
    keel_comet_absorb q = KEEL_COMET_ABSORB_INIT;
    keel_comet_account *after;
    ck_ok(keel_comet_account_new(&after));
    ck_ok(keel_comet_absorb_quote(m, a, &q, after));
    ck_assert_int_eq(q.revert, KEEL_COMET_OK);
    ck_int_eq(q.old_balance, "-2200000000");
    ck_u256_eq(q.seized[0], "1000000000000000000");
    ck_u256_eq(q.seized_value[0], "200000000000");
    ck_u256_eq(q.delta_value, "190000000000");
    ck_u256_eq(q.delta_balance, "1900000000");
    ck_int_eq(q.new_balance, "0");
    ck_u256_eq(q.deficit, "300000000");
    ck_int_eq(q.new_principal, "0");
    ck_u256_eq(q.base_paid_out, "2200000000");
    ck_u256_eq(q.value_of_base_paid_out, "220000000000");
    ck_u256_eq(q.repay_amount, "2000000000");
    ck_u256_eq(q.supply_amount, "0");
    ck_u256_eq(q.total_borrow_base, "3000000000");
    ck_u256_eq(q.total_supply_base, "10000000000");
    ck_int_eq(q.reserves_before, "1000000000");
    ck_int_eq(q.reserves_after, "-1200000000");
    keel_comet_int p;
    keel_u256 w;
    ck_ok(keel_comet_account_principal(after, &p));
    ck_int_eq(p, "0");
    ck_ok(keel_comet_account_collateral(after, 0, &w));
    ck_u256_eq(w, "0");
    /* a surplus: p = 1,627,272,729 (pv 1,790,000,001, just liquidatable): new balance
     * 1,900,000,000 − 1,790,000,001 = 109,999,999, principal ⌊109,999,999 / 1.05⌋ =
     * 104,761,903 (a supply, rounded down) */
    ck_ok(keel_comet_account_set_principal(a, ci(-1627272729)));
    ck_ok(keel_comet_absorb_quote(m, a, &q, a));
    ck_int_eq(q.new_balance, "109999999");
    ck_int_eq(q.new_principal, "104761903");
    ck_u256_eq(q.deficit, "0");
    ck_u256_eq(q.repay_amount, "1627272729");
    ck_u256_eq(q.supply_amount, "104761903");
    ck_ok(keel_comet_account_principal(a, &p));
    ck_int_eq(p, "104761903");
    /* absorb paused */
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    ck_ok(keel_comet_market_base(m, &b));
    b.pause_flags = KEEL_COMET_PAUSE_ABSORB;
    ck_ok(keel_comet_market_set_base(m, &b));
    ck_ok(keel_comet_account_set_principal(a, ci(-2000000000)));
    ck_ok(keel_comet_account_set_collateral(a, m, 0, u(E18)));
    ck_status(keel_comet_absorb_quote(m, a, &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_COMET_PAUSED);
    keel_comet_account_free(after);
    keel_comet_account_free(a);
    keel_comet_market_free(m);
}
END_TEST

START_TEST(buy_collateral_at_the_store_front_price)
{
    keel_comet_market *m = market();
    /* discountFactor = mulFactor(0.5e18, 1e18 − 0.95e18) = 0.025e18; the discounted
     * price mulFactor(2000e8, 0.975e18) = 195,000,000,000; 1,000 USDC buys
     * 1e8 · 1e9 · 1e18 / 195e9 / 1e6 = ⌊512,820,512,820,512,820.5⌋ wei */
    keel_u256 q;
    ck_ok(keel_comet_quote_collateral(m, 0, u(1000000000), &q));
    ck_u256_eq(q, "512820512820512820");
    keel_comet_buy b = KEEL_COMET_BUY_INIT;
    /* reserves 1e9 < target 5e9: for sale */
    ck_ok(keel_comet_buy_collateral_quote(m, 0, u(0), u(1000000000), &b));
    ck_int_eq(b.reserves, "1000000000");
    ck_u256_eq(b.collateral_amount, "512820512820512820");
    ck_u256_eq(b.collateral_reserves, "10000000000000000000");
    /* minAmount one wei above the quote: TooMuchSlippage; at it: fine */
    ck_status(keel_comet_buy_collateral_quote(m, 0, s("512820512820512821"), u(1000000000), &b),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(b.revert, KEEL_COMET_TOO_MUCH_SLIPPAGE);
    ck_ok(keel_comet_buy_collateral_quote(m, 0, s("512820512820512820"), u(1000000000), &b));
    /* 10 WETH of reserves: 19,500 USDC buys exactly 1e8 · 195e8 · 1e18 / 195e9 / 1e6 =
     * 10 WETH; one more base wei buys more than there is */
    ck_ok(keel_comet_buy_collateral_quote(m, 0, u(0), u(19500000000ull), &b));
    ck_u256_eq(b.collateral_amount, "10000000000000000000");
    ck_status(keel_comet_buy_collateral_quote(m, 0, u(0), u(19500000001ull), &b),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(b.revert, KEEL_COMET_INSUFFICIENT_RESERVES);
    /* reserves at the target: NotForSale (target 1e9 = reserves) */
    keel_comet_base base = KEEL_COMET_BASE_INIT;
    ck_ok(keel_comet_market_base(m, &base));
    base.target_reserves = u(1000000000);
    ck_ok(keel_comet_market_set_base(m, &base));
    ck_status(keel_comet_buy_collateral_quote(m, 0, u(0), u(1), &b), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(b.revert, KEEL_COMET_NOT_FOR_SALE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "NotForSale"));
    base.target_reserves = u(1000000001);
    ck_ok(keel_comet_market_set_base(m, &base));
    ck_ok(keel_comet_buy_collateral_quote(m, 0, u(0), u(1), &b));
    /* storeFront 1 and liquidationFactor 0: the discounted price is 0, a division by zero */
    base.store_front_price_factor = E18;
    ck_ok(keel_comet_market_set_base(m, &base));
    keel_comet_asset a = KEEL_COMET_ASSET_INIT;
    ck_ok(keel_comet_market_asset(m, 0, &a));
    a.liquidation_factor = 0;
    ck_ok(keel_comet_market_set_asset(m, 0, &a));
    ck_status(keel_comet_quote_collateral(m, 0, u(1), &q), KEEL_E_INFEASIBLE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "0x12"));
    keel_comet_market_free(m);
}
END_TEST

START_TEST(accrual_over_a_day)
{
    /* Fresh indexes 1e15, totals 1e10 supplied and 5e9 borrowed: utilization
     * 5e9 · 1e18 / 1e10 = 0.5e18. Per-second rates (the constructor's floor of
     * per-year / 31,536,000): borrow base 1.5% → 475,646,879, borrow low 5% →
     * 1,585,489,599, supply low 4% → 1,268,391,679. Below the kink:
     * borrow 475,646,879 + ⌊1,585,489,599 · 0.5⌋ = 1,268,391,678; supply
     * ⌊1,268,391,679 · 0.5⌋ = 634,195,839. Over 86,400 s: supply index
     * += ⌊1e15 · 634,195,839 · 86,400 / 1e18⌋ = ⌊54,794,520,489.6⌋, borrow index
     * += ⌊1e15 · 109,589,040,979,200 / 1e18⌋ = 109,589,040,979. */
    keel_comet_base b = KEEL_COMET_BASE_INIT;
    b.total_supply_base = u(10000000000ull);
    b.total_borrow_base = u(5000000000ull);
    b.supply_kink = b.borrow_kink = 8 * E18 / 10;
    b.supply_per_year_interest_rate_slope_low = 4 * E18 / 100;
    b.supply_per_year_interest_rate_slope_high = E18;
    b.borrow_per_year_interest_rate_slope_low = 5 * E18 / 100;
    b.borrow_per_year_interest_rate_slope_high = 2 * E18;
    b.borrow_per_year_interest_rate_base = 15 * E15;
    b.last_accrual_time = 1000;
    keel_comet_market *m;
    ck_ok(keel_comet_market_new("USDC", &b, &m));
    keel_comet_rates r = KEEL_COMET_RATES_INIT;
    ck_ok(keel_comet_market_rates(m, &r));
    ck_u256_eq(r.utilization, "500000000000000000");
    ck_assert_uint_eq(r.borrow_rate, 1268391678u);
    ck_assert_uint_eq(r.supply_rate, 634195839u);
    ck_status(keel_comet_market_accrue(m, 999), KEEL_E_OUT_OF_RANGE);
    ck_ok(keel_comet_market_accrue(m, 1000)); /* no time: nothing moves */
    ck_ok(keel_comet_market_accrue(m, 1000 + 86400));
    ck_ok(keel_comet_market_base(m, &b));
    ck_assert_uint_eq(b.supply_index, 1000054794520489ull);
    ck_assert_uint_eq(b.borrow_index, 1000109589040979ull);
    ck_assert_uint_eq(b.last_accrual_time, 87400);
    ck_status(keel_comet_market_accrue(m, 1ull << 40), KEEL_E_OUT_OF_RANGE);
    keel_comet_market_free(m);
}
END_TEST

START_TEST(keeper_answers_sit_on_their_boundary)
{
    keel_comet_market *m = market();
    keel_u256 amt, two = u(2 * E18), one = u(E18);
    /* p = 1,627,272,729 (pv 1,790,000,001), liquidatable. Repaying a leaves
     * balance −(1,790,000,001 − a), principal ⌈|bal| / 1.1⌉. Not liquidatable needs a
     * principal of at most 1,627,272,728 (⌊1,627,272,728 · 1.1⌋ = 1.79e9), so
     * |bal| <= 1,790,000,000: a = 1. */
    keel_comet_account *a = account(m, -1627272729, u(E18));
    ck_ok(keel_comet_repay_to_target(m, a, KEEL_COMET_LIQUIDATE_LINE, one, &amt));
    ck_u256_eq(amt, "1");
    /* twice the borrow line: 165e9 >= 2 · pv' · 100 → pv' <= 825,000,000, a principal
     * of at most 750,000,000 (· 1.1 = 825,000,000 exactly), |bal| <= 825,000,000:
     * a = 1,790,000,001 − 825,000,000 = 965,000,001 */
    ck_ok(keel_comet_repay_to_target(m, a, KEEL_COMET_BORROW_LINE, two, &amt));
    ck_u256_eq(amt, "965000001");
    /* supply to twice the borrow line: debt value 179,000,000,100, so the WETH value
     * V needs ⌊V · 0.825⌋ >= 358,000,000,200: V >= 433,939,394,182 (· 0.825 =
     * 358,000,000,200.15), V = ⌊b / 5e6⌋, b >= 2,169,696,970,910,000,000: supply
     * 1,169,696,970,910,000,000; one wei less gives V = ...181 */
    ck_ok(keel_comet_supply_to_target(m, a, 0, KEEL_COMET_BORROW_LINE, two, &amt));
    ck_u256_eq(amt, "1169696970910000000");
    keel_comet_account_data d;
    keel_comet_account *b = account(m, -1627272729, s("2169696970910000000"));
    d = data(m, b);
    ck_u256_eq(d.borrow_collateral_value, "358000000200");
    ck_ok(keel_comet_account_set_collateral(b, m, 0, s("2169696970909999999")));
    d = data(m, b);
    ck_u256_eq(d.borrow_collateral_value, "358000000199");
    /* max withdraw at p = 1e9 (pv 1.1e9, value 1.1e11): ⌊V · 0.825⌋ >= 1.1e11 needs
     * V >= 133,333,333,334, b >= 666,666,666,670,000,000: withdraw
     * 333,333,333,330,000,000 */
    ck_ok(keel_comet_account_set_principal(b, ci(-1000000000)));
    ck_ok(keel_comet_account_set_collateral(b, m, 0, u(E18)));
    ck_ok(keel_comet_max_withdraw(m, b, 0, u(0), &amt));
    ck_u256_eq(amt, "333333333330000000");
    ck_ok(keel_comet_account_set_collateral(b, m, 0, s("666666666670000000")));
    ck_assert_int_eq(data(m, b).is_borrow_collateralized, 1);
    ck_ok(keel_comet_account_set_collateral(b, m, 0, s("666666666669999999")));
    ck_assert_int_eq(data(m, b).is_borrow_collateralized, 0);
    /* max borrow from nothing against 1 WETH: a = 1,650,000,000 gives principal
     * ⌈1.5e9⌉, pv 1.65e9, value 165e9: collateralized; a + 1 gives principal
     * 1,500,000,001, pv 1,650,000,001: not */
    ck_ok(keel_comet_account_set_principal(b, ci(0)));
    ck_ok(keel_comet_account_set_collateral(b, m, 0, u(E18)));
    keel_comet_base base = KEEL_COMET_BASE_INIT;
    ck_ok(keel_comet_market_base(m, &base));
    base.base_borrow_min = u(100000000); /* 100 USDC */
    ck_ok(keel_comet_market_set_base(m, &base));
    ck_ok(keel_comet_max_borrow(m, b, u(0), &amt));
    ck_u256_eq(amt, "1650000000");
    /* a minimum above the most the collateral allows: nothing (BorrowTooSmall) */
    base.base_borrow_min = u(1650000001);
    ck_ok(keel_comet_market_set_base(m, &base));
    ck_ok(keel_comet_max_borrow(m, b, u(0), &amt));
    ck_u256_eq(amt, "0");
    /* the pool's base balance caps it (6,000 USDC here is not binding; 1 USDC is) */
    base.base_borrow_min = u(0);
    base.base_balance = u(1000000);
    ck_ok(keel_comet_market_set_base(m, &base));
    ck_ok(keel_comet_max_borrow(m, b, u(0), &amt));
    ck_u256_eq(amt, "1000000");
    keel_comet_account_free(b);
    /* liquidation price of p = 1,627,272,729: ⌊P · 0.895⌋ < 179,000,000,100 holds
     * up to P = 200,000,000,111 (179,000,000,099.3) and fails at ...112 (...100.2) */
    keel_comet_price_boundary pb = KEEL_COMET_PRICE_BOUNDARY_INIT;
    ck_ok(keel_comet_liquidation_price(m, a, 0, &pb));
    ck_assert_int_eq(pb.direction, -1);
    ck_assert_int_eq(pb.liquidatable_now, 1);
    ck_u256_eq(pb.price, "200000000111");
    /* no debt: no flip */
    ck_ok(keel_comet_account_set_principal(a, ci(5)));
    ck_ok(keel_comet_liquidation_price(m, a, 0, &pb));
    ck_assert_int_eq(pb.direction, 0);
    ck_assert_int_eq(pb.liquidatable_now, 0);
    keel_comet_account_free(a);
    keel_comet_market_free(m);
}
END_TEST

START_TEST(bad_inputs_change_nothing)
{
    keel_comet_market *m = market();
    keel_comet_asset a = KEEL_COMET_ASSET_INIT, stored = KEEL_COMET_ASSET_INIT;
    ck_ok(keel_comet_market_asset(m, 0, &a));
    uint32_t id = 7;
    keel_comet_asset bad = a;
    bad.borrow_collateral_factor = bad.liquidate_collateral_factor; /* BorrowCFTooLarge */
    ck_status(keel_comet_market_set_asset(m, 0, &bad), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "BorrowCFTooLarge"));
    bad = a;
    bad.borrow_collateral_factor = 895 * E15; /* below, but equal to four decimals */
    bad.liquidate_collateral_factor = 895 * E15 + 50000000000000ull;
    ck_status(keel_comet_market_set_asset(m, 0, &bad), KEEL_E_OUT_OF_RANGE);
    bad = a;
    bad.liquidate_collateral_factor = E18 + 1; /* LiquidateCFTooLarge */
    ck_status(keel_comet_market_add_asset(m, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "LiquidateCFTooLarge"));
    bad = a;
    bad.liquidation_factor = E18 + 1;
    ck_status(keel_comet_market_add_asset(m, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a;
    bad.decimals = 19;
    ck_status(keel_comet_market_add_asset(m, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a;
    bad.price = u(0); /* BadPrice */
    ck_status(keel_comet_market_add_asset(m, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a;
    bad.total_supply_asset = s("340282366920938463463374607431768211456"); /* 2^128 */
    ck_status(keel_comet_market_add_asset(m, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    bad = a;
    bad.supply_cap = s("18446744073709551616000000000000000000"); /* 2^64 whole tokens */
    ck_status(keel_comet_market_add_asset(m, "X", &bad, &id), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_comet_market_add_asset(m, "USDC", &a, &id), KEEL_E_DUPLICATE);
    ck_assert_uint_eq(id, 7);
    ck_assert_uint_eq(keel_comet_market_size(m), 1);
    ck_ok(keel_comet_market_asset(m, 0, &stored));
    ck_assert(memcmp(&stored, &a, sizeof a) == 0);
    /* factors are stored as getAssetInfo reads them: cut to 1e14 */
    bad = a;
    bad.borrow_collateral_factor = 825 * E15 + 99999999999999ull;
    ck_ok(keel_comet_market_add_asset(m, "Y", &bad, &id));
    ck_ok(keel_comet_market_asset(m, id, &stored));
    ck_assert_uint_eq(stored.borrow_collateral_factor, 825 * E15);
    /* base */
    keel_comet_base b = KEEL_COMET_BASE_INIT, b0 = KEEL_COMET_BASE_INIT;
    ck_ok(keel_comet_market_base(m, &b0));
    b = b0, b.decimals = 5;
    ck_status(keel_comet_market_set_base(m, &b), KEEL_E_OUT_OF_RANGE);
    b = b0, b.store_front_price_factor = E18 + 1;
    ck_status(keel_comet_market_set_base(m, &b), KEEL_E_OUT_OF_RANGE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "BadDiscount"));
    b = b0, b.total_borrow_base = s("20282409603651670423947251286016"); /* 2^104 */
    ck_status(keel_comet_market_set_base(m, &b), KEEL_E_OUT_OF_RANGE);
    b = b0, b.borrow_index = 0;
    ck_status(keel_comet_market_set_base(m, &b), KEEL_E_OUT_OF_RANGE);
    ck_ok(keel_comet_market_base(m, &b));
    ck_assert(memcmp(&b, &b0, sizeof b) == 0);
    /* account widths and unknown assets */
    keel_comet_account *acc = account(m, -5, u(9));
    keel_comet_int big = { s("10141204801825835211973625643008"), 0, 0 }; /* 2^103 */
    ck_status(keel_comet_account_set_principal(acc, big), KEEL_E_OVERFLOW);
    ck_status(keel_comet_account_set_collateral(acc, m, 0,
                                                s("340282366920938463463374607431768211456")),
              KEEL_E_OVERFLOW);
    ck_status(keel_comet_account_set_collateral(acc, m, 5, u(1)), KEEL_E_UNKNOWN_ASSET);
    keel_comet_int p;
    keel_u256 w;
    ck_ok(keel_comet_account_principal(acc, &p));
    ck_int_eq(p, "-5");
    ck_ok(keel_comet_account_collateral(acc, 0, &w));
    ck_u256_eq(w, "9");
    keel_u256 amt = u(77);
    ck_status(keel_comet_repay_to_target(m, acc, KEEL_COMET_BORROW_LINE, u(0), &amt),
              KEEL_E_OUT_OF_RANGE);
    ck_status(keel_comet_repay_to_target(m, acc, (keel_comet_line)2, u(E18), &amt),
              KEEL_E_OUT_OF_RANGE);
    ck_status(keel_comet_supply_to_target(m, acc, 9, KEEL_COMET_BORROW_LINE, u(E18), &amt),
              KEEL_E_UNKNOWN_ASSET);
    ck_u256_eq(amt, "77");
    /* an account holding an asset the market lacks */
    keel_comet_market *small;
    ck_ok(keel_comet_market_new("USDC", &b0, &small));
    keel_comet_account_data d = KEEL_COMET_ACCOUNT_DATA_INIT;
    ck_status(keel_comet_account_liquidity(small, acc, &d), KEEL_E_UNKNOWN_ASSET);
    keel_comet_market_free(small);
    keel_comet_account_free(acc);
    keel_comet_market_free(m);
}
END_TEST

START_TEST(bridge_equals_the_chain_up_to_rounding)
{
    keel_comet_market *m = market();
    keel_comet_account *a = account(m, -1627272728, u(E18));
    keel_market *km;
    keel_basket *kb;
    keel_haircut_model *kh;
    uint32_t ids[2];
    size_t n = 0;
    ck_status(keel_comet_to_keel(m, a, &km, &kb, &kh, ids, 1, &n), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(n, 2);
    ck_ok(keel_comet_to_keel(m, a, &km, &kb, &kh, ids, 2, &n));
    ck_assert_uint_eq(ids[0], KEEL_COMET_BASE_ID);
    ck_assert_uint_eq(ids[1], 0);
    keel_metrics mt = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(kb, NULL, km, kh, &mt));
    /* 2000 · 0.895 / 1790 = 1 exactly: the chain's liquidity 0 */
    ck_assert_double_eq_tol(mt.health_factor, 1.0, 1e-12);
    keel_market_free(km);
    keel_basket_free(kb);
    keel_haircut_model_free(kh);
    keel_comet_account_free(a);
    keel_comet_market_free(m);
}
END_TEST

static Suite *comet_suite(void)
{
    Suite *su = suite_create("comet");
    TCase *tc = tcase_create("comet");
    tcase_add_test(tc, present_and_principal_values_round_both_signs);
    tcase_add_test(tc, one_wei_either_side_of_the_liquidation_line);
    tcase_add_test(tc, one_wei_either_side_of_the_borrow_line);
    tcase_add_test(tc, dust_debt_worth_nothing_is_not_liquidatable);
    tcase_add_test(tc, absorb_with_a_deficit);
    tcase_add_test(tc, buy_collateral_at_the_store_front_price);
    tcase_add_test(tc, accrual_over_a_day);
    tcase_add_test(tc, keeper_answers_sit_on_their_boundary);
    tcase_add_test(tc, bad_inputs_change_nothing);
    tcase_add_test(tc, bridge_equals_the_chain_up_to_rounding);
    suite_add_tcase(su, tc);
    return su;
}

KEEL_TEST_MAIN(comet_suite)
