/* Morpho Blue positions worked by hand from the Solidity of
 * morpho-org/morpho-blue v1.0.0 (commit 55d2d99304fb: Morpho.sol liquidate,
 * borrow, repay, withdrawCollateral, _accrueInterest, _isHealthy; MathLib,
 * SharesMathLib, ConstantsLib). Each expected value is derived in the
 * comment above it; thousands of random positions are in
 * tests/protocol/test_morpho_vs_ref.py (an independent Python port) and
 * tests/protocol/test_peer_blue.py (@morpho-org/blue-sdk).
 *
 * The market of most tests: WETH (18 decimals) collateral, USDC (6) loan,
 * 2,000 USDC per WETH: price = 2000e6 · 1e36 / 1e18 = 2e27; LLTV 0.86;
 * totalBorrowAssets 1e12 (1M USDC), totalBorrowShares 1e18. Then
 * (tbs + 1e6) = 1e6 · (tba + 1) and every conversion is exactly 1e6 shares
 * per asset: toAssets(s) = s / 1e6 and toShares(a) = a · 1e6, rounded as
 * the direction says. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "u256_testutil.h"

#define E18 1000000000000000000ull

static keel_morpho_market *weth_usdc(uint64_t tsa_usdc_wei)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    p.loan_decimals = 6;
    p.price = s("2000000000000000000000000000"); /* 2e27 */
    p.lltv = u(860000000000000000ull);
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    st.total_supply_assets = u(tsa_usdc_wei);
    st.total_supply_shares = s("2000000000000000000");
    st.total_borrow_assets = u(1000000000000ull);
    st.total_borrow_shares = u(E18);
    keel_morpho_market *m;
    ck_ok(keel_morpho_market_new("USDC", "WETH", &p, &st, &m));
    return m;
}

static keel_morpho_position position(uint64_t borrow_shares, uint64_t collateral)
{
    keel_morpho_position p = {u(0), u(borrow_shares), u(collateral)};
    return p;
}

static keel_morpho_position_data data_of(const keel_morpho_market *m, keel_morpho_position p)
{
    keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
    ck_ok(keel_morpho_position_data_get(m, &p, &d));
    return d;
}

/* ---- SharesMathLib ---- */

START_TEST(shares_round_each_direction_with_the_virtual_offset)
{
    keel_u256 r;
    /* an empty market: toSharesDown(1, 0, 0) = 1 · (0 + 1e6) / (0 + 1) = 1e6 */
    ck_ok(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_DOWN, u(1), u(0), u(0), &r));
    ck_u256_eq(r, "1000000");
    /* toAssetsDown(1e6 − 1, 0, 0) = 999999 · 1 / 1e6 = 0; toAssetsUp = 1 */
    ck_ok(keel_morpho_convert(KEEL_MORPHO_TO_ASSETS_DOWN, u(999999), u(0), u(0), &r));
    ck_u256_eq(r, "0");
    ck_ok(keel_morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, u(999999), u(0), u(0), &r));
    ck_u256_eq(r, "1");
    /* totals 2 assets, 1e6 shares: toShares(1) = 1 · 2e6 / 3 = 666,666.67:
     * down 666666, up 666667; toAssets(1e6) = 1e6 · 3 / 2e6 = 1.5: down 1, up 2 */
    ck_ok(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_DOWN, u(1), u(2), u(1000000), &r));
    ck_u256_eq(r, "666666");
    ck_ok(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_UP, u(1), u(2), u(1000000), &r));
    ck_u256_eq(r, "666667");
    ck_ok(keel_morpho_convert(KEEL_MORPHO_TO_ASSETS_DOWN, u(1000000), u(2), u(1000000), &r));
    ck_u256_eq(r, "1");
    ck_ok(keel_morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, u(1000000), u(2), u(1000000), &r));
    ck_u256_eq(r, "2");
    /* mulDivUp's x·y overflow reverts: 2^255 · (1 + 1e6) */
    ck_status(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_UP, s("0x8000000000000000000000000000000000000000000000000000000000000000"),
                                  u(0), u(0), &r),
              KEEL_E_OVERFLOW);
    ck_status(keel_morpho_convert((keel_morpho_conversion)4, u(1), u(0), u(0), &r), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_convert(KEEL_MORPHO_TO_SHARES_UP, u(1), u(0), u(0), NULL), KEEL_E_NULL_ARG);
}
END_TEST

/* ---- the incentive factor ---- */

START_TEST(incentive_factor_at_listed_lltvs)
{
    /* min(1.15, 1 / (1 − 0.3 · (1 − lltv))), each step floored in wad:
     * 0.86:  1 − 0.3 · 0.14  = 0.958  → ⌊1e36 / 0.958e18⌋  = 1.043841336116910229
     * 0.915: 1 − 0.3 · 0.085 = 0.9745 → ⌊1e36 / 0.9745e18⌋ = 1.026167265264238070
     * 0.945: 1 − 0.3 · 0.055 = 0.9835 → ⌊1e36 / 0.9835e18⌋ = 1.016776817488561260
     * 0.965: 1 − 0.3 · 0.035 = 0.9895 → ⌊1e36 / 0.9895e18⌋ = 1.010611419909044972
     * 0.98:  1 − 0.3 · 0.02  = 0.994  → ⌊1e36 / 0.994e18⌋  = 1.006036217303822937
     * 0.385: 1 − 0.3 · 0.615 = 0.8155 → 1.2262... capped at 1.15 */
    static const struct { uint64_t lltv; const char *lif; } rows[] = {
        {860000000000000000ull, "1043841336116910229"}, {915000000000000000ull, "1026167265264238070"},
        {945000000000000000ull, "1016776817488561260"}, {965000000000000000ull, "1010611419909044972"},
        {980000000000000000ull, "1006036217303822937"}, {385000000000000000ull, "1150000000000000000"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        keel_u256 f;
        ck_ok(keel_morpho_incentive_factor(u(rows[i].lltv), &f));
        ck_u256_eq(f, rows[i].lif);
    }
    keel_u256 f;
    /* LLTV 0 (the idle markets'): 1e36 / (1e18 - 0.3e18) = 1.428...e18, capped at 1.15e18 */
    ck_ok(keel_morpho_incentive_factor(u(0), &f));
    ck_u256_eq(f, "1150000000000000000");
    ck_status(keel_morpho_incentive_factor(u(E18), &f), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_incentive_factor(u(1), NULL), KEEL_E_NULL_ARG);
}
END_TEST

/* ---- _isHealthy ---- */

START_TEST(one_share_either_side_of_the_healthy_line)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    /* 1 WETH: collateral value ⌊1e18 · 2e27 / 1e36⌋ = 2e9 (2,000 USDC);
     * maxBorrow = ⌊2e9 · 0.86⌋ = 1.72e9. 1.72e15 shares: borrowed =
     * ⌈1.72e15 / 1e6⌉ = 1.72e9 = maxBorrow: healthy, HF exactly 1 wad */
    keel_morpho_position_data d = data_of(m, position(1720000000000000ull, E18));
    ck_u256_eq(d.collateral_value, "2000000000");
    ck_u256_eq(d.max_borrow, "1720000000");
    ck_u256_eq(d.borrow_assets, "1720000000");
    ck_u256_eq(d.health_factor, "1000000000000000000");
    ck_assert_int_eq(d.healthy, 1);
    ck_assert_int_eq(d.liquidatable, 0);
    /* one share more: borrowed = ⌈(1.72e15 + 1) / 1e6⌉ = 1.72e9 + 1 (toAssetsUp):
     * unhealthy; HF = ⌊1.72e9 · 1e18 / 1,720,000,001⌋ = 0.999999999418604651 */
    d = data_of(m, position(1720000000000001ull, E18));
    ck_u256_eq(d.borrow_assets, "1720000001");
    ck_u256_eq(d.health_factor, "999999999418604651");
    ck_assert_int_eq(d.healthy, 0);
    ck_assert_int_eq(d.liquidatable, 1);
    /* no debt: HF 2^256 − 1, healthy */
    d = data_of(m, position(0, E18));
    ck_assert(keel_u256_cmp(d.health_factor, keel_u256_max()) == 0);
    ck_assert_int_eq(d.healthy, 1);
    keel_morpho_market_free(m);
}
END_TEST

START_TEST(dust_collateral_is_worth_nothing)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    /* 499,999,999 wei of WETH: ⌊499999999 · 2e27 / 1e36⌋ = ⌊0.999999998⌋ = 0, so
     * one share of debt (⌈1 / 1e6⌉ = 1 USDC wei) is unhealthy, HF 0 */
    keel_morpho_position_data d = data_of(m, position(1, 499999999));
    ck_u256_eq(d.collateral_value, "0");
    ck_u256_eq(d.borrow_assets, "1");
    ck_u256_eq(d.health_factor, "0");
    ck_assert_int_eq(d.liquidatable, 1);
    /* 1e9 wei: value ⌊2⌋ = 2, maxBorrow ⌊2 · 0.86⌋ = 1 >= 1: healthy, HF 1 */
    d = data_of(m, position(1, 1000000000));
    ck_u256_eq(d.max_borrow, "1");
    ck_u256_eq(d.health_factor, "1000000000000000000");
    ck_assert_int_eq(d.healthy, 1);
    /* supply side: 3 supply shares of a market with 2e12 assets and 2e18
     * shares: ⌊3 · (2e12 + 1) / (2e18 + 1e6)⌋ = ⌊3e-6⌋ = 0 */
    keel_morpho_position p = position(0, 0);
    p.supply_shares = u(3);
    d = data_of(m, p);
    ck_u256_eq(d.supply_assets, "0");
    keel_morpho_market_free(m);
}
END_TEST

/* ---- liquidate ---- */

START_TEST(liquidation_by_repaid_shares)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    /* 1.8e15 shares (1,800 USDC) against 1 WETH (maxBorrow 1,720): liquidatable.
     * repaidShares 1e15: toAssetsDown = 1e9; wMulDown(1e9, 1.043841336116910229)
     * = ⌊1,043,841,336.1169⌋ = 1,043,841,336; seized = ⌊1,043,841,336 · 1e36 / 2e27⌋
     * = 1,043,841,336 · 5e8 = 521,920,668,000,000,000; repaidAssets = ⌈1e9⌉ = 1e9 */
    keel_morpho_position p = position(1800000000000000ull, E18), after;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_ok(keel_morpho_liquidation_quote(m, &p, u(0), u(1000000000000000ull), &q, &after));
    ck_assert_int_eq(q.revert, KEEL_MORPHO_OK);
    ck_u256_eq(q.incentive_factor, "1043841336116910229");
    ck_u256_eq(q.seized_assets, "521920668000000000");
    ck_u256_eq(q.repaid_shares, "1000000000000000");
    ck_u256_eq(q.repaid_assets, "1000000000");
    ck_u256_eq(q.bad_debt_shares, "0");
    /* seized value ⌊521920668e9 · 2e27 / 1e36⌋ = 1,043,841,336: profit 43,841,336 */
    ck_u256_eq(q.seized_value, "1043841336");
    ck_assert_double_eq(q.profit, 43841336.0);
    /* the totals: borrow shares 1e18 − 1e15, assets 1e12 − 1e9; supply unchanged */
    ck_u256_eq(q.total_borrow_shares_after, "999000000000000000");
    ck_u256_eq(q.total_borrow_assets_after, "999000000000");
    ck_u256_eq(q.total_supply_assets_after, "2000000000000");
    /* the position: 8e14 shares, 1e18 − 521920668e9 = 478,079,332e9 collateral */
    ck_u256_eq(after.borrow_shares, "800000000000000");
    ck_u256_eq(after.collateral, "478079332000000000");
    /* in place */
    ck_ok(keel_morpho_liquidation_quote(m, &p, u(0), u(1000000000000000ull), &q, &p));
    ck_u256_eq(p.collateral, "478079332000000000");
    keel_morpho_market_free(m);
}
END_TEST

START_TEST(liquidation_by_seized_assets)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    /* seizing 0.5 WETH: quoted = ⌈0.5e18 · 2e27 / 1e36⌉ = 1e9;
     * wDivUp(1e9, LIF) = ⌈1e27 / 1.043841336116910229e18⌉ = ⌈958,000,000.0000000002⌉
     * = 958,000,001 (LIF was floored, so its inverse is just above 0.958);
     * toSharesUp = 958,000,001 · 1e6 = 958,000,001,000,000 shares;
     * repaidAssets = ⌈958,000,001e6 / 1e6⌉ = 958,000,001 */
    keel_morpho_position p = position(1800000000000000ull, E18), after;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_ok(keel_morpho_liquidation_quote(m, &p, u(500000000000000000ull), u(0), &q, &after));
    ck_u256_eq(q.repaid_shares, "958000001000000");
    ck_u256_eq(q.repaid_assets, "958000001");
    ck_u256_eq(after.borrow_shares, "841999999000000");
    ck_u256_eq(after.collateral, "500000000000000000");
    ck_u256_eq(q.total_borrow_assets_after, "999041999999");
    keel_morpho_market_free(m);
}
END_TEST

START_TEST(seizing_the_last_collateral_realises_bad_debt)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    /* 1e15 shares (1,000 USDC) against 0.5 WETH (1,000 USDC, maxBorrow 860).
     * Seize all 0.5 WETH: repaid 958,000,001e6 shares, 958,000,001 USDC wei
     * (as above); left 1e15 − 958,000,001e6 = 41,999,999,000,000 shares with no
     * collateral: bad debt. The totals after the repayment: tba' = 1e12 −
     * 958,000,001 = 999,041,999,999, tbs' = 999,041,999,999e6, still 1e6 shares
     * per asset: badDebtAssets = min(tba', ⌈41,999,999e6 / 1e6⌉) = 41,999,999,
     * removed from both asset totals: tba = 999,000,000,000, tsa = 2e12 −
     * 41,999,999 = 1,999,958,000,001; tbs = 999e15 */
    keel_morpho_position p = position(1000000000000000ull, 500000000000000000ull), after;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_ok(keel_morpho_liquidation_quote(m, &p, u(500000000000000000ull), u(0), &q, &after));
    ck_u256_eq(q.bad_debt_shares, "41999999000000");
    ck_u256_eq(q.bad_debt_assets, "41999999");
    ck_u256_eq(q.total_borrow_assets_after, "999000000000");
    ck_u256_eq(q.total_supply_assets_after, "1999958000001");
    ck_u256_eq(q.total_borrow_shares_after, "999000000000000000");
    ck_u256_eq(after.borrow_shares, "0");
    ck_u256_eq(after.collateral, "0");
    /* the best liquidation seizes all of it too (the shares it needs are held) */
    keel_morpho_liquidation b = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_ok(keel_morpho_best_liquidation(m, &p, &b, &after));
    ck_u256_eq(b.seized_assets, "500000000000000000");
    ck_u256_eq(b.bad_debt_assets, "41999999");
    keel_morpho_market_free(m);
}
END_TEST

START_TEST(best_liquidation_repays_every_share_when_collateral_is_ample)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    /* 1.8e15 shares against 1 WETH: repaying all 1.8e15 shares seizes
     * ⌊⌊1.8e9 · LIF⌋ · 5e8⌋ = ⌊1,878,914,405.01⌋ · 5e8 = 939,457,202,500,000,000 wei
     * < 1 WETH; seizing more would need more shares than the position holds */
    keel_morpho_position p = position(1800000000000000ull, E18), after;
    keel_morpho_liquidation b = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_ok(keel_morpho_best_liquidation(m, &p, &b, &after));
    ck_u256_eq(b.repaid_shares, "1800000000000000");
    ck_u256_eq(b.seized_assets, "939457202500000000");
    ck_u256_eq(after.borrow_shares, "0");
    ck_u256_eq(after.collateral, "60542797500000000");
    /* one wei more seized asks for more shares than held: reverts */
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_status(keel_morpho_liquidation_quote(m, &p, u(939457202500000001ull), u(0), &q, NULL),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_ARITHMETIC);
    /* healthy: nothing to liquidate */
    p = position(1000000000000000ull, E18);
    ck_status(keel_morpho_best_liquidation(m, &p, &b, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(b.revert, KEEL_MORPHO_HEALTHY_POSITION);
    keel_morpho_market_free(m);
}
END_TEST

START_TEST(liquidation_reverts_are_named)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    keel_morpho_position healthy = position(1720000000000000ull, E18);
    keel_morpho_position sick = position(1720000000000001ull, E18);
    keel_morpho_position before = sick;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_status(keel_morpho_liquidation_quote(m, &healthy, u(1), u(0), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_HEALTHY_POSITION);
    ck_assert(strstr(keel_last_error(), "position is healthy") != NULL);
    /* both amounts 0, or both set */
    ck_status(keel_morpho_liquidation_quote(m, &sick, u(0), u(0), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_INCONSISTENT_INPUT);
    ck_status(keel_morpho_liquidation_quote(m, &sick, u(1), u(1), &q, &sick), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_INCONSISTENT_INPUT);
    ck_assert(strstr(keel_last_error(), "inconsistent input") != NULL);
    ck_assert(memcmp(&sick, &before, sizeof sick) == 0); /* `after` untouched on a revert */
    /* more shares than held: the uint128 subtraction underflows */
    ck_status(keel_morpho_liquidation_quote(m, &sick, u(0), u(1720000000000002ull), &q, NULL),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_ARITHMETIC);
    /* 2^128 shares: toUint128 first */
    ck_status(keel_morpho_liquidation_quote(m, &sick, u(0), s("0x100000000000000000000000000000000"), &q, NULL),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_MAX_UINT128_EXCEEDED);
    /* a price of 0: everything is liquidatable; by shares, the division by the price panics */
    ck_ok(keel_morpho_market_set_price(m, u(0)));
    ck_status(keel_morpho_liquidation_quote(m, &healthy, u(0), u(1), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_MORPHO_DIVISION_BY_ZERO);
    ck_assert_str_eq(keel_morpho_revert_name(KEEL_MORPHO_DIVISION_BY_ZERO), "Panic(0x12): division by zero");
    ck_assert_str_eq(keel_morpho_revert_name(KEEL_MORPHO_OK), "");
    ck_assert_str_eq(keel_morpho_revert_name((keel_morpho_revert)99), "unknown revert");
    ck_assert_str_eq(keel_morpho_revert_name(KEEL_MORPHO_INSUFFICIENT_LIQUIDITY), "insufficient liquidity");
    ck_assert_str_eq(keel_morpho_revert_name(KEEL_MORPHO_INSUFFICIENT_COLLATERAL), "insufficient collateral");
    keel_morpho_market_free(m);
}
END_TEST

/* ---- _accrueInterest ---- */

START_TEST(accrual_with_taylor_compounding_and_fee_shares)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    ck_ok(keel_morpho_market_state(m, &st));
    st.fee = u(100000000000000000ull); /* 10% */
    ck_ok(keel_morpho_market_set_state(m, &st));
    /* rate 1e9 wad per second over one year (31,536,000 s):
     * x·n = 3.1536e16; (x·n)² / 2e18 = 497,259,648,000,000;
     * that · x·n / 3e18 = ⌊5,227,193,419,776.0...⌋; sum 32,038,486,841,419,776 (3.2038%)
     * interest = ⌊1e12 · 0.032038486841419776⌋ = 32,038,486,841 */
    keel_u256 interest, fee_shares;
    ck_ok(keel_morpho_market_accrue(m, u(1000000000), 31536000, &interest, &fee_shares));
    ck_u256_eq(interest, "32038486841");
    /* feeAmount = ⌊32,038,486,841 · 0.1⌋ = 3,203,848,684; feeShares =
     * ⌊3,203,848,684 · (2e18 + 1e6) / (2,032,038,486,841 − 3,203,848,684 + 1)⌋ */
    ck_u256_eq(fee_shares, "3158314259569630");
    ck_ok(keel_morpho_market_state(m, &st));
    ck_u256_eq(st.total_borrow_assets, "1032038486841");
    ck_u256_eq(st.total_supply_assets, "2032038486841");
    ck_u256_eq(st.total_supply_shares, "2003158314259569630");
    ck_assert_uint_eq(st.last_update, 31536000);
    /* the same time again: nothing; before it: refused, nothing changes */
    ck_ok(keel_morpho_market_accrue(m, u(1000000000), 31536000, &interest, NULL));
    ck_u256_eq(interest, "0");
    ck_status(keel_morpho_market_accrue(m, u(1), 5, NULL, NULL), KEEL_E_OUT_OF_RANGE);
    /* a rate whose x·n overflows: the Solidity reverts, the state is kept */
    ck_status(keel_morpho_market_accrue(m, keel_u256_max(), 31536001, NULL, NULL), KEEL_E_OVERFLOW);
    keel_morpho_state again = KEEL_MORPHO_STATE_INIT;
    ck_ok(keel_morpho_market_state(m, &again));
    ck_assert(memcmp(&again, &st, sizeof st) == 0);
    keel_morpho_market_free(m);
}
END_TEST

/* ---- the keeper ---- */

START_TEST(keeper_answers_sit_on_their_boundary)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    keel_morpho_position sick = position(1800000000000000ull, E18);
    keel_u256 a, wad = u(E18);
    /* repay a USDC wei burns ⌊a · 1e6⌋ shares and lowers tba by a: the ratio
     * stays 1e6, borrowed' = 1.8e9 − a <= maxBorrow 1.72e9 ⟺ a >= 8e7 */
    ck_ok(keel_morpho_repay_to_target(m, &sick, wad, KEEL_MORPHO_ASSETS, &a));
    ck_u256_eq(a, "80000000");
    ck_ok(keel_morpho_repay_to_target(m, &sick, wad, KEEL_MORPHO_SHARES, &a));
    ck_u256_eq(a, "80000000000000"); /* 8e7 · 1e6 shares */
    /* one share less: borrowed' = ⌈(1.72e15 + 1) / 1e6⌉ = 1.72e9 + 1: unhealthy */
    keel_morpho_position t = position(1720000000000001ull, E18);
    ck_assert_int_eq(data_of(m, t).healthy, 0);
    /* collateral: ⌊⌊C · 2e-9⌋ · 0.86⌋ >= 1.8e9 ⟺ ⌊C · 2e-9⌋ >= ⌈1.8e9 / 0.86⌉ =
     * 2,093,023,256 ⟺ C >= 1,046,511,628e9: add 46,511,628e9 */
    ck_ok(keel_morpho_collateral_to_target(m, &sick, wad, &a));
    ck_u256_eq(a, "46511628000000000");
    t = position(1800000000000000ull, E18 + 46511628000000000ull - 1);
    ck_assert_int_eq(data_of(m, t).healthy, 0);
    t = position(1800000000000000ull, E18 + 46511628000000000ull);
    ck_assert_int_eq(data_of(m, t).healthy, 1);
    /* already met: 0 */
    keel_morpho_position ok = position(1000000000000000ull, E18);
    ck_ok(keel_morpho_repay_to_target(m, &ok, wad, KEEL_MORPHO_ASSETS, &a));
    ck_u256_eq(a, "0");
    /* withdraw from 1e15 shares (1,000 USDC) against 1 WETH: ⌊C' · 2e-9⌋ >=
     * ⌈1e9 / 0.86⌉ = 1,162,790,698 ⟺ C' >= 581,395,349e9: withdraw 418,604,651e9 */
    ck_ok(keel_morpho_max_withdraw_collateral(m, &ok, u(0), &a));
    ck_u256_eq(a, "418604651000000000");
    t = position(1000000000000000ull, E18 - 418604651000000000ull - 1);
    ck_assert_int_eq(data_of(m, t).healthy, 0);
    /* borrow a: ⌈a · 1e6⌉ shares, borrowed' = 1e9 + a <= 1.72e9: a = 7.2e8 */
    ck_ok(keel_morpho_max_borrow(m, &ok, u(0), &a));
    ck_u256_eq(a, "720000000");
    /* at a floor of 1.5: ⌊1.72e9 · 1e18 / (1e9 + a)⌋ >= 1.5e18 ⟺ 1e9 + a <=
     * 1,146,666,666.67: a = 146,666,666 */
    ck_ok(keel_morpho_max_borrow(m, &ok, u(1500000000000000000ull), &a));
    ck_u256_eq(a, "146666666");
    /* liquidity: 1e12 + 5e8 supplied leaves 5e8 to borrow */
    keel_morpho_market *thin = weth_usdc(1000500000000ull);
    ck_ok(keel_morpho_max_borrow(thin, &ok, u(0), &a));
    ck_u256_eq(a, "500000000");
    keel_morpho_market_free(thin);
    /* no debt: the whole collateral */
    keel_morpho_position free_ = position(0, E18);
    ck_ok(keel_morpho_max_withdraw_collateral(m, &free_, u(0), &a));
    ck_u256_eq(a, "1000000000000000000");
    /* unhealthy: nothing */
    ck_ok(keel_morpho_max_withdraw_collateral(m, &sick, u(0), &a));
    ck_u256_eq(a, "0");
    ck_ok(keel_morpho_max_borrow(m, &sick, u(0), &a));
    ck_u256_eq(a, "0");
    /* the liquidation price of 1e15 shares against 1 WETH: healthy iff
     * p >= ⌈1,162,790,698 · 1e36 / 1e18⌉ = 1,162,790,698e18: liquidatable up to one less */
    ck_ok(keel_morpho_liquidation_price(m, &ok, &a));
    ck_u256_eq(a, "1162790697999999999999999999");
    ck_ok(keel_morpho_market_set_price(m, a));
    ck_assert_int_eq(data_of(m, ok).healthy, 0);
    ck_ok(keel_morpho_market_set_price(m, s("1162790698000000000000000000")));
    ck_assert_int_eq(data_of(m, ok).healthy, 1);
    /* no debt: never; no collateral: at every price */
    ck_status(keel_morpho_liquidation_price(m, &free_, &a), KEEL_E_INFEASIBLE);
    keel_morpho_position bare = position(1, 0);
    ck_ok(keel_morpho_liquidation_price(m, &bare, &a));
    ck_assert(keel_u256_cmp(a, keel_u256_max()) == 0);
    /* a price of 0: no collateral reaches the target */
    ck_ok(keel_morpho_market_set_price(m, u(0)));
    ck_status(keel_morpho_collateral_to_target(m, &sick, wad, &a), KEEL_E_INFEASIBLE);
    ck_status(keel_morpho_repay_to_target(m, &sick, u(0), KEEL_MORPHO_ASSETS, &a), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_morpho_repay_to_target(m, &sick, wad, (keel_morpho_unit)7, &a), KEEL_E_OUT_OF_RANGE);
    keel_morpho_market_free(m);
}
END_TEST

/* ---- an idle market (LLTV 0, as Morpho's enableLltv allows) ---- */

START_TEST(an_idle_market_lends_nothing)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    p.loan_decimals = 6;
    p.price = s("2000000000000000000000000000");
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    st.total_supply_assets = u(1000000000000ull);
    st.total_supply_shares = u(E18);
    st.total_borrow_assets = u(1000000000ull); /* 1,000 USDC borrowed: 1e15 shares */
    st.total_borrow_shares = u(1000000000000000ull);
    keel_morpho_market *m;
    ck_ok(keel_morpho_market_new("USDC", "WETH", &p, &st, &m)); /* LLTV 0 */
    /* maxBorrow = floor(20,000e6 · 0 / 1e18) = 0 < 1 wei of debt: unhealthy at any price */
    keel_morpho_position one = position(1000000ull, 10 * E18); /* 1e6 shares: 1 USDC-wei */
    keel_morpho_position_data d = data_of(m, one);
    ck_assert(d.liquidatable && !d.healthy);
    ck_u256_eq(d.max_borrow, "0");
    ck_u256_eq(d.health_factor, "0");
    keel_u256 price;
    ck_status(keel_morpho_liquidation_price(m, &one, &price), KEEL_E_INFEASIBLE);
    keel_u256 most;
    keel_morpho_position none = position(0, 10 * E18);
    ck_ok(keel_morpho_max_borrow(m, &none, u(E18), &most));
    ck_u256_eq(most, "0");
    ck_assert(data_of(m, none).healthy);
    /* the liquidation of the 1-wei debt: repaying its 1e6 shares (1 USDC-wei, toAssetsDown
     * = 1e6 · (1e9 + 1) / (1e15 + 1e6) = 1) seizes floor(floor(1 · 1.15e18 / 1e18) · 1e36
     * / 2e27) = floor(1 · 1e36 / 2e27) = 5e8 WETH-wei, at LIF 1.15 (the cap) */
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    ck_ok(keel_morpho_liquidation_quote(m, &one, u(0), u(1000000ull), &q, NULL));
    ck_u256_eq(q.incentive_factor, "1150000000000000000");
    ck_u256_eq(q.seized_assets, "500000000");
    keel_morpho_market_free(m);
}
END_TEST

/* ---- bad input leaves everything as it was ---- */

START_TEST(bad_parameters_are_refused_and_change_nothing)
{
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    p.price = u(1);
    keel_morpho_market *m = NULL;
    /* LLTV 1 wad (0 is an idle market's: accepted, any debt is unhealthy) */
    p.lltv = u(E18);
    ck_status(keel_morpho_market_new("A", "B", &p, NULL, &m), KEEL_E_OUT_OF_RANGE);
    ck_assert(strstr(keel_last_error(), "lltv") != NULL);
    p.lltv = u(E18 - 1);
    p.loan_decimals = 39;
    ck_status(keel_morpho_market_new("A", "B", &p, NULL, &m), KEEL_E_OUT_OF_RANGE);
    p.loan_decimals = 18;
    ck_status(keel_morpho_market_new("A", "A", &p, NULL, &m), KEEL_E_INVALID_SYMBOL);
    ck_assert(m == NULL);
    ck_ok(keel_morpho_market_new("A", "B", &p, NULL, &m));
    /* the state: a fee above 25%, a total of 2^128 */
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT, before = KEEL_MORPHO_STATE_INIT;
    ck_ok(keel_morpho_market_state(m, &before));
    st.fee = u(250000000000000001ull);
    ck_status(keel_morpho_market_set_state(m, &st), KEEL_E_OUT_OF_RANGE);
    ck_assert(strstr(keel_last_error(), "MAX_FEE") != NULL);
    st.fee = u(250000000000000000ull);
    st.total_borrow_shares = s("0x100000000000000000000000000000000");
    ck_status(keel_morpho_market_set_state(m, &st), KEEL_E_OVERFLOW);
    ck_assert(strstr(keel_last_error(), "uint128") != NULL);
    ck_ok(keel_morpho_market_state(m, &st));
    ck_assert(memcmp(&st, &before, sizeof st) == 0);
    /* a position past its widths, or with more shares than the market */
    keel_morpho_position pos = {u(0), u(0), s("0x100000000000000000000000000000000")};
    keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
    ck_status(keel_morpho_position_data_get(m, &pos, &d), KEEL_E_OVERFLOW);
    pos.collateral = u(1);
    pos.borrow_shares = u(1);
    ck_status(keel_morpho_position_data_get(m, &pos, &d), KEEL_E_OUT_OF_RANGE);
    ck_assert(strstr(keel_last_error(), "more borrow shares") != NULL);
    /* collateral · price past 2^256 without debt: _isHealthy returns true before it
     * values the collateral (`if (borrowShares == 0) return true`): healthy, the
     * values saturated (with debt it reverts: tests/python/test_review16.py) */
    pos.borrow_shares = u(0);
    pos.collateral = s("0xffffffffffffffffffffffffffffffff");
    ck_ok(keel_morpho_market_set_price(m, s("0x1000000000000000000000000000000000")));
    ck_ok(keel_morpho_position_data_get(m, &pos, &d));
    ck_assert(d.healthy && !d.liquidatable);
    ck_assert(keel_u256_cmp(d.max_borrow, keel_u256_max()) == 0);
    /* a too-small struct */
    d.size = 2;
    pos.collateral = u(1);
    ck_status(keel_morpho_position_data_get(m, &pos, &d), KEEL_E_OUT_OF_RANGE);
    /* the bridge refuses a price of 0 */
    ck_ok(keel_morpho_market_set_price(m, u(0)));
    keel_market *km;
    keel_basket *kb;
    keel_haircut_model *kh;
    ck_status(keel_morpho_to_keel(m, &pos, &km, &kb, &kh, NULL, NULL), KEEL_E_OUT_OF_RANGE);
    keel_morpho_market_free(m);
}
END_TEST

START_TEST(out_of_memory_leaks_nothing)
{
    keel_morpho_position p = position(1000000000000000ull, E18);
    keel_morpho_params prm = KEEL_MORPHO_PARAMS_INIT;
    prm.price = u(1);
    prm.lltv = u(860000000000000000ull);
    keel_morpho_state st = KEEL_MORPHO_STATE_INIT;
    st.total_borrow_assets = u(1000000000000ull);
    st.total_borrow_shares = u(E18);
    int completed = 0;
    for (long k = 0; k < 40; k++) {
        /* the allocator can be set only while no handle lives: every handle of
         * one round is made and freed under it */
        fail_alloc fa = {k, 0, 0, false};
        install_fail_alloc(&fa);
        keel_morpho_market *m = NULL, *c = NULL;
        keel_market *km = NULL;
        keel_basket *kb = NULL;
        keel_haircut_model *kh = NULL;
        keel_status st0 = keel_morpho_market_new("USDC", "WETH", &prm, &st, &m);
        ck_assert(st0 == KEEL_OK || st0 == KEEL_E_NOMEM);
        if (st0 == KEEL_OK) {
            keel_status st1 = keel_morpho_market_clone(m, &c);
            ck_assert(st1 == KEEL_OK || st1 == KEEL_E_NOMEM);
            keel_status st2 = keel_morpho_to_keel(m, &p, &km, &kb, &kh, NULL, NULL);
            ck_assert(st2 == KEEL_OK || st2 == KEEL_E_NOMEM);
            if (st2 == KEEL_E_NOMEM)
                ck_assert(strstr(keel_last_error(), "out of memory") != NULL);
            else
                completed++;
        } else {
            ck_assert(m == NULL);
        }
        keel_morpho_market_free(c);
        keel_morpho_market_free(m);
        keel_market_free(km);
        keel_basket_free(kb);
        keel_haircut_model_free(kh);
        ck_assert_int_eq(fa.live, 0);
        ck_ok(keel_set_allocator(NULL));
    }
    ck_assert_int_gt(completed, 0);
}
END_TEST

/* ---- the bridge ---- */

START_TEST(bridge_metrics_equal_the_chain)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull);
    /* at the line: 1.72e15 shares against 1 WETH. keel: 1 WETH at 2,000 USDC,
     * haircut 1 − 0.86; debt 1,720 USDC: HF = 2000 · 0.86 / 1720 = 1 */
    keel_morpho_position p = position(1720000000000000ull, E18);
    keel_market *km;
    keel_basket *kb;
    keel_haircut_model *kh;
    keel_asset coll, loan;
    ck_ok(keel_morpho_to_keel(m, &p, &km, &kb, &kh, &coll, &loan));
    ck_assert_uint_eq(coll, 0);
    ck_assert_uint_eq(loan, 1);
    keel_metrics mt = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(kb, NULL, km, kh, &mt));
    ck_assert_double_eq_tol(mt.health_factor, 1.0, 1e-15);
    keel_market_free(km);
    keel_basket_free(kb);
    keel_haircut_model_free(kh);
    keel_morpho_market_free(m);
}
END_TEST

START_TEST(handles_and_params)
{
    keel_morpho_market *m = weth_usdc(2000000000000ull), *c;
    ck_ok(keel_morpho_market_clone(m, &c));
    keel_morpho_params p = KEEL_MORPHO_PARAMS_INIT;
    ck_ok(keel_morpho_market_params(c, &p));
    ck_assert_uint_eq(p.loan_decimals, 6);
    ck_u256_eq(p.lltv, "860000000000000000");
    keel_morpho_params q;
    ck_ok(keel_morpho_params_init(&q, sizeof q));
    ck_assert_uint_eq(q.collateral_decimals, 18);
    keel_morpho_state st;
    ck_ok(keel_morpho_state_init(&st, sizeof st));
    ck_u256_eq(st.fee, "0");
    keel_morpho_market_free(c);
    /* a handle of another type (a freed one would be read after its free) */
    keel_market *other;
    ck_ok(keel_market_new(&other));
    ck_status(keel_morpho_market_params((const keel_morpho_market *)(void *)other, &p),
              KEEL_E_BAD_HANDLE);
    keel_market_free(other);
    keel_morpho_market_free(NULL);
    keel_morpho_market_free(m);
}
END_TEST

static Suite *morpho_suite(void)
{
    Suite *su = suite_create("morpho");
    TCase *tc = tcase_create("morpho");
    tcase_add_test(tc, shares_round_each_direction_with_the_virtual_offset);
    tcase_add_test(tc, incentive_factor_at_listed_lltvs);
    tcase_add_test(tc, an_idle_market_lends_nothing);
    tcase_add_test(tc, one_share_either_side_of_the_healthy_line);
    tcase_add_test(tc, dust_collateral_is_worth_nothing);
    tcase_add_test(tc, liquidation_by_repaid_shares);
    tcase_add_test(tc, liquidation_by_seized_assets);
    tcase_add_test(tc, seizing_the_last_collateral_realises_bad_debt);
    tcase_add_test(tc, best_liquidation_repays_every_share_when_collateral_is_ample);
    tcase_add_test(tc, liquidation_reverts_are_named);
    tcase_add_test(tc, accrual_with_taylor_compounding_and_fee_shares);
    tcase_add_test(tc, keeper_answers_sit_on_their_boundary);
    tcase_add_test(tc, bad_parameters_are_refused_and_change_nothing);
    tcase_add_test(tc, out_of_memory_leaks_nothing);
    tcase_add_test(tc, bridge_metrics_equal_the_chain);
    tcase_add_test(tc, handles_and_params);
    suite_add_tcase(su, tc);
    return su;
}

KEEL_TEST_MAIN(morpho_suite)
