/* The protocol layer: keel_u256 and the Solidity math (edges worked by hand),
 * and Aave v3 accounts worked by hand from the Solidity of aave-dao/aave-v3-origin
 * v3.4.0 / v3.5.0 / v3.6.0 (GenericLogic, LiquidationLogic, ValidationLogic,
 * ReserveLogic, MathUtils, TokenMath). Each expected value is derived in the
 * comment above it; the thousands of random accounts are in
 * tests/protocol/test_keel_vs_ref.py (against an independent reference). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "u256_testutil.h"

static keel_u256 op(keel_wadray_op o, keel_u256 a, keel_u256 b)
{
    keel_u256 r;
    ck_ok(keel_wadray(o, a, b, &r));
    return r;
}

/* ---- keel_u256 ---- */

START_TEST(u256_strings_and_limits)
{
    const char *max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    keel_u256 m = s(max);
    ck_assert(keel_u256_cmp(m, keel_u256_max()) == 0);
    ck_u256_eq(m, max);
    ck_u256_eq(u(0), "0");
    ck_u256_eq(s("0xFF"), "255");
    ck_u256_eq(s("10000000000000000000"), "10000000000000000000"); /* 10^19: a chunk boundary */
    char buf[78];
    ck_status(keel_u256_to_string(m, buf, sizeof buf), KEEL_E_BUFFER_TOO_SMALL); /* 78 digits + NUL */
    keel_u256 r;
    ck_status(keel_u256_add(m, u(1), &r), KEEL_E_OVERFLOW);
    ck_ok(keel_u256_sub(m, m, &r));
    ck_u256_eq(r, "0");
    /* (2^128)^2 = 2^256 overflows; (2^128 − 1)^2 = 2^256 − 2^129 + 1 does not */
    ck_status(keel_u256_mul(s("0x100000000000000000000000000000000"),
                            s("0x100000000000000000000000000000000"), &r),
              KEEL_E_OVERFLOW);
    ck_ok(keel_u256_mul(s("0xffffffffffffffffffffffffffffffff"), s("0xffffffffffffffffffffffffffffffff"), &r));
    ck_assert(keel_u256_cmp(r, s("0xfffffffffffffffffffffffffffffffe00000000000000000000000000000001")) == 0);
    /* Knuth division with a three-limb divisor: (2^256 − 1) / 10^27, remainder checked
     * by q·d + r = a */
    keel_u256 q, rem, back;
    ck_ok(keel_u256_divmod(m, s("1000000000000000000000000000"), &q, &rem));
    ck_u256_eq(q, "115792089237316195423570985008687907853269984665640"); /* the first 51 digits */
    ck_u256_eq(rem, "564039457584007913129639935");
    ck_ok(keel_u256_mul(q, s("1000000000000000000000000000"), &back));
    ck_ok(keel_u256_add(back, rem, &back));
    ck_assert(keel_u256_cmp(back, m) == 0);
    /* a divisor of four limbs, with a quotient of 1 and of 0 */
    ck_ok(keel_u256_divmod(m, s("0x8000000000000000000000000000000000000000000000000000000000000000"), &q, &rem));
    ck_u256_eq(q, "1");
    ck_ok(keel_u256_divmod(u(5), m, &q, &rem));
    ck_u256_eq(q, "0");
    ck_u256_eq(rem, "5");
}
END_TEST

START_TEST(u256_to_double_rounds_to_nearest_even)
{
    /* 2^200 + 2^147 is half an ulp (2^148) above 2^200: a tie, to even (2^200);
     * one more unit is above the tie: up to 2^200 + 2^148 */
    keel_u256 t = s("0x100000000000000000000000000000000000000000000000000"); /* 2^200 */
    keel_u256 half = s("0x8000000000000000000000000000000000000"),             /* 2^147 */
        x;
    ck_ok(keel_u256_add(t, half, &x));
    ck_assert(keel_u256_to_double(x) == ldexp(1.0, 200));
    ck_ok(keel_u256_add(x, u(1), &x));
    ck_assert(keel_u256_to_double(x) == ldexp(1.0, 200) + ldexp(1.0, 148));
    ck_assert(keel_u256_to_double(keel_u256_max()) == ldexp(1.0, 256));
    ck_assert(keel_u256_to_double(u(12345)) == 12345.0);
}
END_TEST

START_TEST(wadray_rounding_at_the_edges)
{
    /* rayMul: (a·b + 5·10^26) / 10^27; 1 · (5·10^26) rounds up to 1, one less to 0 */
    ck_u256_eq(op(KEEL_RAY_MUL, u(1), s("500000000000000000000000000")), "1");
    ck_u256_eq(op(KEEL_RAY_MUL, u(1), s("499999999999999999999999999")), "0");
    ck_u256_eq(op(KEEL_RAY_MUL_FLOOR, u(1), s("999999999999999999999999999")), "0");
    ck_u256_eq(op(KEEL_RAY_MUL_CEIL, u(1), u(1)), "1");
    ck_u256_eq(op(KEEL_RAY_MUL_CEIL, u(2), s("500000000000000000000000000")), "1"); /* exact */
    /* a division by RAY goes as ⌊⌊n / 10^9⌋ / 10^18⌋: a remainder in either step
     * rounds a ceil up — 10^27 + 1 and 10^27 + 10^9 both give 2, 2·10^27 gives 2 */
    ck_u256_eq(op(KEEL_RAY_MUL_CEIL, u(1), s("1000000000000000000000000001")), "2");
    ck_u256_eq(op(KEEL_RAY_MUL_CEIL, u(1), s("1000000000000000001000000000")), "2");
    ck_u256_eq(op(KEEL_RAY_MUL_CEIL, u(2), s("1000000000000000000000000000")), "2");
    ck_u256_eq(op(KEEL_RAY_MUL_FLOOR, s("340282366920938463463374607431768211455"),
                  s("1000000000000000000000000001")),
               "340282366920938463463374607772050578375"); /* (2^128 − 1)(10^27 + 1) / 10^27, floor */
    /* rayDiv: (a·10^27 + b/2) / b; 1/3 ray = 333...333 (27 digits), ceil ...334 */
    ck_u256_eq(op(KEEL_RAY_DIV, u(1), u(3)), "333333333333333333333333333");
    ck_u256_eq(op(KEEL_RAY_DIV_FLOOR, u(2), u(3)), "666666666666666666666666666");
    ck_u256_eq(op(KEEL_RAY_DIV, u(2), u(3)), "666666666666666666666666667");
    ck_u256_eq(op(KEEL_RAY_DIV_CEIL, u(1), u(3)), "333333333333333333333333334");
    /* wadDiv(1, 3) = (10^18 + 1) / 3 = 333333333333333333; wadMul(0.5 wad, 1) = 1 (half up) */
    ck_u256_eq(op(KEEL_WAD_DIV, u(1), u(3)), "333333333333333333");
    ck_u256_eq(op(KEEL_WAD_MUL, u(500000000000000000ull), u(1)), "1");
    ck_u256_eq(op(KEEL_WAD_MUL, u(499999999999999999ull), u(1)), "0");
    /* percentMul(1, 5000) = (5000 + 5000) / 10^4 = 1; 4999 gives 0; floor and ceil */
    ck_u256_eq(op(KEEL_PERCENT_MUL, u(1), u(5000)), "1");
    ck_u256_eq(op(KEEL_PERCENT_MUL, u(1), u(4999)), "0");
    ck_u256_eq(op(KEEL_PERCENT_MUL_FLOOR, u(3), u(6667)), "2");  /* 20001 / 10^4 */
    ck_u256_eq(op(KEEL_PERCENT_MUL_CEIL, u(3), u(6667)), "3");
    /* percentDiv(1, 3) = (10^4 + 1) / 3 = 3333; percentDivCeil = ceil(10^4 / 3) = 3334 */
    ck_u256_eq(op(KEEL_PERCENT_DIV, u(1), u(3)), "3333");
    ck_u256_eq(op(KEEL_PERCENT_DIV_CEIL, u(1), u(3)), "3334");
    keel_u256 r;
    ck_ok(keel_mul_div_ceil(u(7), u(3), u(2), &r)); /* ceil(21 / 2) */
    ck_u256_eq(r, "11");
}
END_TEST

START_TEST(wadray_overflow_one_either_side)
{
    /* wadMul(a, 2) reverts iff a > (2^256 − 1 − 5·10^17) / 2
     *   = 0x7fff...fc87d2531626ffff (worked with the 256-bit maximum) */
    keel_u256 edge = s("0x7ffffffffffffffffffffffffffffffffffffffffffffffffc87d2531626ffff"), r, next;
    ck_ok(keel_wadray(KEEL_WAD_MUL, edge, u(2), &r));
    ck_ok(keel_u256_add(edge, u(1), &next));
    ck_status(keel_wadray(KEEL_WAD_MUL, next, u(2), &r), KEEL_E_OVERFLOW);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "wadMul"));
    /* rayMulFloor(a, 2) reverts iff a > (2^256 − 1) / 2 = 2^255 − 1 */
    keel_u256 half = s("0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    ck_ok(keel_wadray(KEEL_RAY_MUL_FLOOR, half, u(2), &r));
    ck_ok(keel_u256_add(half, u(1), &next));
    ck_status(keel_wadray(KEEL_RAY_MUL_CEIL, next, u(2), &r), KEEL_E_OVERFLOW);
    /* b = 0: the multiplications return 0, the divisions revert */
    ck_ok(keel_wadray(KEEL_PERCENT_MUL, keel_u256_max(), u(0), &r));
    ck_u256_eq(r, "0");
    ck_status(keel_wadray(KEEL_PERCENT_DIV, u(1), u(0), &r), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_wadray(KEEL_RAY_DIV_CEIL, u(1), u(0), &r), KEEL_E_OUT_OF_RANGE);
}
END_TEST

/* ---- Aave v3: a market of WETH (0), USDC (1), DAI (2), wstETH (3), ISO (4) ---- */

enum { WETH, USDC, DAI, WSTETH, ISO };

static keel_aave_market *market(keel_aave_version v)
{
    keel_aave_market *m;
    ck_ok(keel_aave_market_new(v, &m));
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    r.ltv = 8050, r.liquidation_threshold = 8300, r.liquidation_bonus = 10500;
    r.liquidation_protocol_fee = 1000, r.price = u(200000000000ull); /* 2000 USD */
    ck_ok(keel_aave_market_add_reserve(m, "WETH", &r, &(uint32_t){ 0 }));
    r.decimals = 6, r.ltv = 7700, r.liquidation_threshold = 8000, r.liquidation_bonus = 10450;
    r.liquidation_protocol_fee = 1000, r.price = u(100000000ull);
    ck_ok(keel_aave_market_add_reserve(m, "USDC", &r, &(uint32_t){ 0 }));
    r.decimals = 18, r.ltv = 6300, r.liquidation_threshold = 7700, r.liquidation_bonus = 10500;
    r.price = u(100000000ull);
    ck_ok(keel_aave_market_add_reserve(m, "DAI", &r, &(uint32_t){ 0 }));
    r.ltv = 7850, r.liquidation_threshold = 8100, r.liquidation_bonus = 10600;
    r.price = u(230000000000ull);
    ck_ok(keel_aave_market_add_reserve(m, "wstETH", &r, &(uint32_t){ 0 }));
    r.ltv = 5000, r.liquidation_threshold = 6000, r.liquidation_bonus = 11000;
    r.price = u(100000000ull), r.debt_ceiling = u(100000000); /* 1,000,000.00 USD */
    ck_ok(keel_aave_market_add_reserve(m, "ISO", &r, &(uint32_t){ 0 }));
    /* e-mode 1, "ETH correlated": WETH and wstETH at 90% / 93% / 1% */
    keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
    e.ltv = 9000, e.liquidation_threshold = 9300, e.liquidation_bonus = 10100;
    e.collateral_bitmap[0] = (1u << WETH) | (1u << WSTETH);
    e.borrowable_bitmap[0] = (1u << WETH) | (1u << WSTETH);
    ck_ok(keel_aave_market_set_emode(m, 1, &e));
    return m;
}

static const uint64_t ETH = 1000000000000000000ull; /* 10^18 wei */
static const uint64_t USD6 = 1000000ull;            /* one USDC */

/* Underlying amounts (wei), the switch on for the supply. */
static void put(keel_aave_account *a, const keel_aave_market *m, uint32_t r, keel_u256 supply,
                keel_u256 debt)
{
    uint32_t on = keel_u256_cmp(supply, keel_u256_from_u64(0)) > 0 ? KEEL_AAVE_COLLATERAL : 0;
    ck_ok(keel_aave_account_set_position(a, m, r, supply, debt, KEEL_AAVE_UNDERLYING | on));
}

static keel_aave_account_data data(const keel_aave_market *m, const keel_aave_account *a)
{
    keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
    ck_ok(keel_aave_user_account_data(m, a, &d));
    return d;
}

static const keel_u256 Z = {{0, 0, 0, 0}};
static const uint64_t AAVE_TEST_WAD = 1000000000000000000ull;

START_TEST(account_one_wei_either_side_of_hf_1)
{
    /* 10 WETH at 2000 USD, threshold 83%: collateral 20000·10^8 base units,
     * Σ value·LT = 2·10^12 · 8300 = 1.66·10^16. A debt of 16,600 USDC is worth
     * 1.66·10^12: HF = wadDiv(1.66·10^16, 1.66·10^12) / 10^4 = 10^18 exactly
     * (v3.4: percentMul(2·10^12, 8300) = 1.66·10^12, wadDiv gives 10^18 too).
     * One wei more of USDC: debt 1,660,000,000,100 base units (the 10^-6 USDC is
     * worth 100 units), HF = (1.66·10^34 + d/2) / d / 10^4 = 999999999939759036
     * in every version. */
    keel_aave_version vs[3] = { KEEL_AAVE_V3_4, KEEL_AAVE_V3_5, KEEL_AAVE_V3_6 };
    for (int k = 0; k < 3; k++) {
        keel_aave_market *m = market(vs[k]);
        keel_aave_account *a;
        ck_ok(keel_aave_account_new(&a));
        put(a, m, WETH, u(10 * ETH), Z);
        put(a, m, USDC, Z, u(16600 * USD6));
        keel_aave_account_data d = data(m, a);
        ck_u256_eq(d.total_collateral_base, "2000000000000");
        ck_u256_eq(d.total_debt_base, "1660000000000");
        ck_u256_eq(d.health_factor, "1000000000000000000");
        ck_u256_eq(d.current_liquidation_threshold, "8300");
        ck_u256_eq(d.ltv, "8050");
        /* available: 2·10^12 · 80.5% − 1.66·10^12 = 0 (1.61·10^12 < debt) */
        ck_u256_eq(d.available_borrows_base, "0");
        ck_assert_int_eq(d.liquidatable, 0);
        put(a, m, USDC, Z, u(16600 * USD6 + 1));
        d = data(m, a);
        ck_u256_eq(d.total_debt_base, "1660000000100");
        ck_u256_eq(d.health_factor, "999999999939759036");
        ck_assert_int_eq(d.liquidatable, 1);
        keel_aave_account_free(a);
        keel_aave_market_free(m);
    }
}
END_TEST

START_TEST(whale_one_wei_either_side)
{
    /* 500,000 WETH (10^9 USD: 10^17 base units) against 830,000,000 USDC (8.3·10^16):
     * Σ v·LT = 8.3·10^20, HF = wadDiv(8.3·10^20, 8.3·10^16) / 10^4 = 10^18; one wei of
     * USDC more (100 base units): HF = ⌊(8.3·10^38 + d/2) / d⌋ / 10^4 with
     * d = 83,000,000,000,000,100: 999999999999998795 (v3.4 the same: percentMul of
     * 10^17 by 8300 is exact) */
    keel_aave_version vs[2] = { KEEL_AAVE_V3_4, KEEL_AAVE_V3_6 };
    for (int k = 0; k < 2; k++) {
        keel_aave_market *m = market(vs[k]);
        keel_aave_account *a;
        ck_ok(keel_aave_account_new(&a));
        put(a, m, WETH, s("500000000000000000000000"), Z);
        put(a, m, USDC, Z, u(830000000ull * USD6));
        keel_aave_account_data d = data(m, a);
        ck_u256_eq(d.total_collateral_base, "100000000000000000");
        ck_u256_eq(d.health_factor, "1000000000000000000");
        put(a, m, USDC, Z, u(830000000ull * USD6 + 1));
        ck_u256_eq(data(m, a).health_factor, "999999999999998795");
        keel_aave_account_free(a);
        keel_aave_market_free(m);
    }
}
END_TEST

START_TEST(account_with_indexes_rounds_as_each_version)
{
    /* WETH liquidity index 1.05 ray, USDC variable index 1.02 ray + 1: scaled
     * supply 10·10^18 is 10.5·10^18 wei (exact either way); scaled debt
     * 16,000·10^6 is 16,000·10^6 · 1.02… = 16,320,000,000.000…016: rayMulCeil
     * 16,320,000,001 (v3.5+), rayMul half up 16,320,000,000 (v3.4). Collateral
     * 2.1·10^12 base; debt base mulDivCeil(16,320,000,001 · 10^8 / 10^6) =
     * 1,632,000,000,100 (v3.5+), floor(16,320,000,000 · 100) = 1,632,000,000,000 (v3.4).
     * HF v3.6 = wadDiv(2.1·10^12 · 8300, 1632000000100) / 10^4 = 1068014705816910863;
     * v3.4 = wadDiv(percentMul(2.1·10^12, 8300), 1.632·10^12) = 1068014705882352941. */
    keel_aave_version vs[2] = { KEEL_AAVE_V3_4, KEEL_AAVE_V3_6 };
    const char *want[2] = { "1068014705882352941", "1068014705816910863" };
    const char *debt_base[2] = { "1632000000000", "1632000000100" };
    for (int k = 0; k < 2; k++) {
        keel_aave_market *m = market(vs[k]);
        keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
        ck_ok(keel_aave_market_reserve(m, WETH, &r));
        r.liquidity_index = s("1050000000000000000000000000");
        ck_ok(keel_aave_market_set_reserve(m, WETH, &r));
        ck_ok(keel_aave_market_reserve(m, USDC, &r));
        r.variable_borrow_index = s("1020000000000000000000000001");
        ck_ok(keel_aave_market_set_reserve(m, USDC, &r));
        keel_aave_account *a;
        ck_ok(keel_aave_account_new(&a));
        ck_ok(keel_aave_account_set_position(a, m, WETH, u(10 * ETH), Z, KEEL_AAVE_COLLATERAL));
        ck_ok(keel_aave_account_set_position(a, m, USDC, Z, u(16000 * USD6), 0));
        keel_aave_account_data d = data(m, a);
        ck_u256_eq(d.total_collateral_base, "2100000000000");
        ck_u256_eq(d.total_debt_base, debt_base[k]);
        ck_u256_eq(d.health_factor, want[k]);
        keel_u256 sb, db;
        ck_ok(keel_aave_account_balances(m, a, USDC, &sb, &db));
        ck_u256_eq(db, k ? "16320000001" : "16320000000");
        keel_aave_account_free(a);
        keel_aave_market_free(m);
    }
}
END_TEST

START_TEST(dust_account_where_rounding_moves_the_health_factor)
{
    /* 10^12 wei of WETH (0.002 USD) is 200,000 base units; a DAI debt of
     * 1,600,000,000,000,001 wei at 0.9999 USD is 159,984.0000000001 units:
     * ceil 159,985 (v3.6), floor 159,984 (v3.4).
     * v3.6 HF = wadDiv(200000 · 8300, 159985) / 10^4 = 1037597274744507297;
     * v3.4 HF = wadDiv(percentMul(200000, 8300) = 166000, 159984) = 1037603760376037604;
     * the double formula (0.002 · 0.83 / 0.0015998…) = 1.03759…, between neither. */
    keel_aave_version vs[2] = { KEEL_AAVE_V3_4, KEEL_AAVE_V3_6 };
    const char *want[2] = { "1037603760376037604", "1037597274744507297" };
    for (int k = 0; k < 2; k++) {
        keel_aave_market *m = market(vs[k]);
        ck_ok(keel_aave_market_set_price(m, DAI, u(99990000)));
        keel_aave_account *a;
        ck_ok(keel_aave_account_new(&a));
        put(a, m, WETH, u(1000000000000ull), Z);
        put(a, m, DAI, Z, u(1600000000000001ull));
        ck_u256_eq(data(m, a).health_factor, want[k]);
        keel_aave_account_free(a);
        keel_aave_market_free(m);
    }
}
END_TEST

START_TEST(emode_isolation_ltv0_and_switch)
{
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    /* 10 wstETH (23,000 USD) against 15 WETH (30,000 USD): outside e-mode
     * HF = 2.3·10^12 · 8100 / 3·10^12 / 10^4 = 0.621; in e-mode 1 the
     * threshold is 93%: HF = 2.3·10^12 · 9300 / 3·10^12 / 10^4 = 0.713 */
    put(a, m, WSTETH, u(10 * ETH), Z);
    put(a, m, WETH, Z, u(15 * ETH));
    ck_u256_eq(data(m, a).health_factor, "621000000000000000");
    ck_ok(keel_aave_account_set_emode(a, m, 1));
    keel_aave_account_data d = data(m, a);
    ck_u256_eq(d.health_factor, "713000000000000000");
    ck_u256_eq(d.ltv, "9000");
    ck_assert_uint_eq(keel_aave_account_emode(a), 1);
    ck_status(keel_aave_account_set_emode(a, m, 2), KEEL_E_NOT_FOUND);
    ck_assert_uint_eq(keel_aave_account_emode(a), 1);
    /* a USDC collateral outside the category keeps its own 80%: 10,000 USDC adds
     * 10^12 · 8000 to Σ v·LT: (2.139·10^16 + 8·10^15) / 3·10^12 / 10^4 = 0.979666… */
    put(a, m, USDC, u(10000 * USD6), Z);
    ck_u256_eq(data(m, a).health_factor, "979666666666666666");
    /* the switch off: USDC no longer counts */
    ck_ok(keel_aave_account_set_position(a, m, USDC, u(10000 * USD6), Z, KEEL_AAVE_UNDERLYING));
    ck_u256_eq(data(m, a).health_factor, "713000000000000000");
    keel_aave_account_free(a);

    /* isolation: ISO (debt ceiling) alone as collateral; a second collateral ends it */
    ck_ok(keel_aave_account_new(&a));
    put(a, m, ISO, s("1000000000000000000000"), Z);
    d = data(m, a);
    ck_assert_int_eq(d.isolated, 1);
    ck_assert_uint_eq(d.isolation_collateral, ISO);
    put(a, m, DAI, u(ETH), Z);
    d = data(m, a);
    ck_assert_int_eq(d.isolated, 0);
    ck_assert_uint_eq(d.isolation_collateral, UINT32_MAX);
    keel_aave_account_free(a);

    /* LTV 0: a reserve whose LTV is set to 0 counts for the threshold, not the LTV */
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    ck_ok(keel_aave_market_reserve(m, DAI, &r));
    r.ltv = 0;
    ck_ok(keel_aave_market_set_reserve(m, DAI, &r));
    ck_ok(keel_aave_account_new(&a));
    put(a, m, DAI, s("1000000000000000000000"), Z); /* 1000 USD at LT 77%, LTV 0 */
    put(a, m, WETH, u(ETH), Z);       /* 2000 USD at LTV 80.5% */
    put(a, m, USDC, Z, u(1000 * USD6));
    d = data(m, a);
    ck_assert_int_eq(d.has_zero_ltv_collateral, 1);
    /* ltv = ⌊2·10^11 · 8050 / 3·10^11⌋ = 5366; threshold ⌊(10^11·7700 + 2·10^11·8300)/3·10^11⌋ = 8100 */
    ck_u256_eq(d.ltv, "5366");
    ck_u256_eq(d.current_liquidation_threshold, "8100");
    /* with an LTV-0 collateral enabled, the other collateral cannot be withdrawn */
    keel_u256 x;
    ck_ok(keel_aave_max_withdraw(m, a, WETH, Z, &x));
    ck_u256_eq(x, "0");
    ck_ok(keel_aave_max_withdraw(m, a, DAI, Z, &x)); /* the LTV-0 one can, down to HF 1 */
    ck_assert(keel_u256_cmp(x, Z) > 0);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

static keel_aave_liquidation quote(const keel_aave_market *m, const keel_aave_account *a,
                                   uint32_t c, uint32_t d, keel_u256 cover, keel_aave_account *after)
{
    keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
    ck_ok(keel_aave_liquidation_quote(m, a, c, d, cover, &q, after));
    return q;
}

START_TEST(liquidation_full_close_below_095)
{
    /* 10 WETH against 18,715 USDC: HF = wadDiv(1.66·10^16, 1.8715·10^12) / 10^4
     * = 0.886989046… < 0.95: the whole debt may be repaid. Base collateral for
     * 18,715 USDC = 10^8 · 18715·10^6 · 10^18 / (2000·10^8 · 10^6) = 9.3575 WETH;
     * with the 5% bonus (percentMul 10500) 9.825375 WETH <= 10. Protocol fee =
     * 10% of the bonus: (9.825375 − percentDiv(9.825375, 10500) = 9.3575) · 10%
     * = 0.0467875 WETH; the liquidator gets 9.7785875 WETH. */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a, *after;
    ck_ok(keel_aave_account_new(&a));
    ck_ok(keel_aave_account_new(&after));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(18715 * USD6));
    ck_u256_eq(data(m, a).health_factor, "886989046219609938");
    keel_aave_liquidation q = quote(m, a, WETH, USDC, keel_u256_max(), after);
    ck_u256_eq(q.debt_repaid, "18715000000");
    ck_u256_eq(q.collateral_to_liquidator, "9778587500000000000");
    ck_u256_eq(q.protocol_fee, "46787500000000000");
    ck_assert_uint_eq(q.liquidation_bonus, 10500);
    ck_u256_eq(q.deficit_base, "0");
    /* profit: 9.7785875 WETH = 19,557.175 USD against 18,715 USD repaid */
    ck_u256_eq(q.collateral_to_liquidator_base, "1955717500000");
    ck_u256_eq(q.debt_repaid_base, "1871500000000");
    ck_assert(q.profit_base == 84217500000.0);
    ck_u256_eq(q.health_factor_after, "115792089237316195423570985008687907853269984665640564039457584007913129639935");
    keel_u256 sd, dd;
    uint32_t fl;
    ck_ok(keel_aave_account_position(after, WETH, &sd, &dd, &fl));
    ck_u256_eq(sd, "174625000000000000"); /* 10 − 9.825375 */
    ck_assert_uint_eq(fl, KEEL_AAVE_COLLATERAL);
    ck_ok(keel_aave_account_position(after, USDC, &sd, &dd, &fl));
    ck_u256_eq(dd, "0");
    keel_aave_account_free(after);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(liquidation_close_factor_on_total_debt)
{
    /* 10 WETH against 10,000 USDC + 7,113 DAI (17,113 USD): HF = 16,600 / 17,113
     * = 0.97002… > 0.95, and the WETH (20,000 USD) and the USDC debt (10,000 USD)
     * are both at least 2,000 USD: at most 50% of the TOTAL debt,
     * percentMul(1.7113·10^12, 5000) = 8.5565·10^11 base = 8,556.5 USDC
     * (not 50% of the USDC). Collateral: 8556.5 / 2000 = 4.27825 WETH, with 5%:
     * 4.4921625; fee 10% of 0.2139125 = 0.02139125; to the liquidator
     * 4.47077125 WETH. Leftovers 1,443.5 USD of debt and 11,015.675 USD of
     * collateral, both above 1,000 USD. */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(10000 * USD6));
    put(a, m, DAI, Z, s("7113000000000000000000"));
    keel_aave_liquidation q = quote(m, a, WETH, USDC, keel_u256_max(), NULL);
    ck_u256_eq(q.debt_repaid, "8556500000");
    ck_u256_eq(q.collateral_to_liquidator, "4470771250000000000");
    ck_u256_eq(q.protocol_fee, "21391250000000000");
    /* asking for less is honoured as asked */
    q = quote(m, a, WETH, USDC, u(1000 * USD6), NULL);
    ck_u256_eq(q.debt_repaid, "1000000000");
    /* the best liquidation: both pairs seize WETH at its 5% bonus (less the 10%
     * fee), so the profit is 4.5% of the debt repaid: all 7,113 USD of DAI (under
     * half the total) against 8,556.5 USD of USDC: the USDC pair wins */
    keel_aave_liquidation best = KEEL_AAVE_LIQUIDATION_INIT;
    ck_ok(keel_aave_best_liquidation(m, a, &best));
    ck_assert_uint_eq(best.collateral, WETH);
    ck_assert_uint_eq(best.debt, USDC);
    ck_u256_eq(best.debt_repaid, "8556500000");
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(liquidation_small_account_full_close_and_dust_rule)
{
    /* 0.75 WETH (1,500 USD: under the 2,000 USD threshold) against 1,300 USDC:
     * HF = 1.5·10^11 · 8300 / 1.3·10^11 / 10^4 = 0.9576… > 0.95, yet the whole
     * debt may go: 1,300 USDC takes 0.65 · 1.05 = 0.6825 WETH. A repay of 500
     * USDC would leave 800 USD of debt (< 1,000): MustNotLeaveDust. */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, u(750000000000000000ull), Z);
    put(a, m, USDC, Z, u(1300 * USD6));
    keel_aave_liquidation q = quote(m, a, WETH, USDC, keel_u256_max(), NULL);
    ck_u256_eq(q.debt_repaid, "1300000000");
    ck_u256_eq(q.collateral_to_liquidator, "679250000000000000"); /* 0.6825 − 0.00325 fee */
    ck_u256_eq(q.protocol_fee, "3250000000000000");
    q = (keel_aave_liquidation)KEEL_AAVE_LIQUIDATION_INIT;
    ck_status(keel_aave_liquidation_quote(m, a, WETH, USDC, u(500 * USD6), &q, NULL),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_MUST_NOT_LEAVE_DUST);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "MustNotLeaveDust"));
    /* the other reverts: a collateral switched off; a reserve not borrowed; a
     * paused reserve; a zero cover (a burn of 0 scaled units) */
    ck_status(keel_aave_liquidation_quote(m, a, USDC, WETH, u(1), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_COLLATERAL_CANNOT_BE_LIQUIDATED);
    ck_status(keel_aave_liquidation_quote(m, a, WETH, DAI, u(1), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_SPECIFIED_CURRENCY_NOT_BORROWED);
    ck_status(keel_aave_liquidation_quote(m, a, WETH, USDC, Z, &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_INVALID_BURN_AMOUNT);
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    ck_ok(keel_aave_market_reserve(m, USDC, &r));
    r.flags |= KEEL_AAVE_PAUSED;
    ck_ok(keel_aave_market_set_reserve(m, USDC, &r));
    ck_status(keel_aave_liquidation_quote(m, a, WETH, USDC, u(1), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_RESERVE_PAUSED);
    r.flags &= ~(uint32_t)(KEEL_AAVE_PAUSED | KEEL_AAVE_ACTIVE);
    ck_ok(keel_aave_market_set_reserve(m, USDC, &r));
    ck_status(keel_aave_liquidation_quote(m, a, WETH, USDC, u(1), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_RESERVE_INACTIVE);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(liquidation_emode_bonus)
{
    /* e-mode 1: 10 WETH at 93% against 19,500 USDC: HF = 18,600 / 19,500 = 0.9538;
     * half the total debt (9,750 USDC) may be repaid; the bonus is the
     * category's 1%: 4.875 · 1.01 = 4.92375 WETH, fee 10% of 0.04875. */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    ck_ok(keel_aave_account_set_emode(a, m, 1));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(19500 * USD6));
    keel_aave_liquidation q = quote(m, a, WETH, USDC, keel_u256_max(), NULL);
    ck_assert_uint_eq(q.liquidation_bonus, 10100);
    ck_u256_eq(q.debt_repaid, "9750000000");
    ck_u256_eq(q.collateral_to_liquidator, "4918875000000000000");
    ck_u256_eq(q.protocol_fee, "4875000000000000");
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(liquidation_takes_the_last_collateral_and_books_deficit)
{
    /* 1 WETH (2,000 USD) against 2,500 USDC and 10 DAI: HF 0.661. Covering all
     * the USDC needs 1.3125 WETH > 1: the whole WETH goes, for
     * percentDivCeil(2000·10^6, 10500) = ⌈1,904,761,904.76⌉ = 1,904,761,905 USDC.
     * No collateral is left: the other 595,238,095 USDC (ceil to 59,523,809,500
     * base units) and the 10 DAI (10^9 units) become deficit = 60,523,809,500.
     * Bonus collateral = 10^18 − percentDiv(10^18, 10500) = 10^18 − 952380952380952381
     * = 47619047619047619; fee = percentMul(…, 1000) = 4761904761904762. */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a, *after;
    ck_ok(keel_aave_account_new(&a));
    ck_ok(keel_aave_account_new(&after));
    put(a, m, WETH, u(ETH), Z);
    put(a, m, USDC, Z, u(2500 * USD6));
    put(a, m, DAI, Z, u(10 * ETH));
    keel_aave_liquidation q = quote(m, a, WETH, USDC, keel_u256_max(), after);
    ck_u256_eq(q.debt_repaid, "1904761905");
    ck_u256_eq(q.protocol_fee, "4761904761904762");
    ck_u256_eq(q.collateral_to_liquidator, "995238095238095238");
    ck_u256_eq(q.deficit_base, "60523809500");
    keel_u256 sd, dd;
    uint32_t fl;
    for (uint32_t r = WETH; r <= DAI; r++) {
        ck_ok(keel_aave_account_position(after, r, &sd, &dd, &fl));
        ck_assert(keel_u256_cmp(sd, Z) == 0 && keel_u256_cmp(dd, Z) == 0 && fl == 0);
    }
    keel_aave_account_free(after);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(liquidation_price_at_the_oracle_unit)
{
    /* 10 WETH against 16,600 USDC: HF is exactly 1 at 2000·10^8; at one unit
     * less, 199,999,999,999, collateral = 1,999,999,999,990 base, HF < 1. So
     * the liquidation price is 199,999,999,999 (liquidatable at or below). For
     * the USDC debt's price the boundary is one unit above 10^8. */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(16600 * USD6));
    keel_aave_price_boundary b = KEEL_AAVE_PRICE_BOUNDARY_INIT;
    ck_ok(keel_aave_liquidation_price(m, a, WETH, &b));
    ck_assert_int_eq(b.direction, -1);
    ck_assert_int_eq(b.liquidatable_now, 0);
    ck_u256_eq(b.price, "199999999999");
    ck_ok(keel_aave_liquidation_price(m, a, USDC, &b));
    ck_assert_int_eq(b.direction, 1);
    ck_u256_eq(b.price, "100000001");
    ck_ok(keel_aave_liquidation_price(m, a, DAI, &b)); /* not held: never */
    ck_assert_int_eq(b.direction, 0);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

/* HF of `a` after changing one position's scaled balances. */
static keel_u256 hf_with(const keel_aave_market *m, const keel_aave_account *a, uint32_t r,
                         keel_u256 supply, keel_u256 debt, uint32_t flags)
{
    keel_aave_account *c;
    ck_ok(keel_aave_account_clone(a, &c));
    ck_ok(keel_aave_account_set_position(c, m, r, supply, debt, flags));
    keel_u256 hf = data(m, c).health_factor;
    keel_aave_account_free(c);
    return hf;
}

START_TEST(keeper_amounts_sit_on_the_boundary)
{
    /* index 1 ray: scaled = underlying, so the boundary is checked with plain
     * amounts: repaying x USDC leaves 16,600 − x; HF >= 1.25 needs
     * 16,600 − x <= 13,280 USDC, i.e. x = 3,320 USDC exactly */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(16600 * USD6));
    keel_u256 target = u(1250000000000000000ull), x, tmp;
    ck_ok(keel_aave_repay_to_target(m, a, USDC, target, &x));
    ck_u256_eq(x, "3320000000");
    /* supply: 16,600 · 1.25 / 0.83 = 25,000 USD of WETH: 2.5 WETH more */
    ck_ok(keel_aave_supply_to_target(m, a, WETH, target, &x));
    ck_u256_eq(x, "2500000000000000000");
    ck_ok(keel_u256_sub(x, u(1), &tmp));
    ck_ok(keel_u256_add(tmp, u(10 * ETH), &tmp));
    ck_assert(keel_u256_cmp(hf_with(m, a, WETH, tmp, Z, KEEL_AAVE_COLLATERAL), target) < 0);
    /* a healthy target already met: 0 */
    ck_ok(keel_aave_repay_to_target(m, a, USDC, u(1), &x));
    ck_u256_eq(x, "0");
    /* repaying everything cannot reach an infinite target */
    ck_status(keel_aave_repay_to_target(m, a, DAI, target, &x), KEEL_E_INFEASIBLE);
    ck_status(keel_aave_repay_to_target(m, a, USDC, Z, &x), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_aave_supply_to_target(m, a, WETH, Z, &x), KEEL_E_OUT_OF_RANGE);
    ck_status(keel_aave_supply_to_target(m, a, DAI, keel_u256_max(), &x), KEEL_E_INFEASIBLE);
    /* at HF exactly 1 nothing can be withdrawn or borrowed */
    ck_ok(keel_aave_max_withdraw(m, a, WETH, Z, &x));
    ck_u256_eq(x, "0");
    ck_ok(keel_aave_max_borrow(m, a, USDC, Z, &x));
    ck_u256_eq(x, "0");
    /* with 12,000 USDC of debt, HF >= 1 needs a collateral value of
     * ⌈1.2·10^16 / 8300⌉ = 1,445,783,132,531 base units; one base unit is
     * 5·10^6 wei of WETH at 2000 USD, so 7.228915662655 WETH must stay and
     * 2.771084337345 WETH may go */
    put(a, m, USDC, Z, u(12000 * USD6));
    ck_ok(keel_aave_max_withdraw(m, a, WETH, Z, &x));
    keel_u256 left;
    ck_ok(keel_u256_sub(u(10 * ETH), x, &left));
    ck_assert(keel_u256_cmp(hf_with(m, a, WETH, left, Z, KEEL_AAVE_COLLATERAL), u(1000000000000000000ull)) >= 0);
    ck_ok(keel_u256_sub(left, u(1), &left));
    ck_assert(keel_u256_cmp(hf_with(m, a, WETH, left, Z, KEEL_AAVE_COLLATERAL), u(1000000000000000000ull)) < 0);
    ck_u256_eq(x, "2771084337345000000");
    /* borrow: the LTV binds first: 20,000 · 80.5% = 16,100 USDC in all,
     * 4,100 more (percentDivCeil(16,100·10^8, 8050) = 2·10^12 <= collateral) */
    ck_ok(keel_aave_max_borrow(m, a, USDC, Z, &x));
    ck_u256_eq(x, "4100000000");
    /* a floor of 1.5: 16,600 / 1.5 = 11,066.666666 USDC of debt at most: no more
     * borrowing (12,000 already) */
    ck_ok(keel_aave_max_borrow(m, a, USDC, u(1500000000000000000ull), &x));
    ck_u256_eq(x, "0");
    /* DAI is not borrowable in e-mode 1; USDC neither */
    ck_ok(keel_aave_account_set_emode(a, m, 1));
    ck_ok(keel_aave_max_borrow(m, a, USDC, Z, &x));
    ck_u256_eq(x, "0");
    ck_ok(keel_aave_max_borrow(m, a, WETH, Z, &x)); /* WETH is */
    ck_assert(keel_u256_cmp(x, Z) > 0);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(isolated_borrow_stops_at_the_debt_ceiling)
{
    /* ISO alone as collateral: 10^6 ISO (1,000,000 USD, LTV 50%); ceiling
     * 1,000,000.00 USD with 999,000.00 used: USDC may be borrowed (flagged
     * borrowable in isolation) up to 1,000.00 more; DAI (not flagged) none */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    ck_ok(keel_aave_market_reserve(m, ISO, &r));
    r.isolation_mode_total_debt = u(99900000);
    ck_ok(keel_aave_market_set_reserve(m, ISO, &r));
    ck_ok(keel_aave_market_reserve(m, USDC, &r));
    r.flags |= KEEL_AAVE_BORROWABLE_IN_ISOLATION;
    ck_ok(keel_aave_market_set_reserve(m, USDC, &r));
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, ISO, s("1000000000000000000000000"), Z);
    keel_u256 x;
    /* 1,000.00 USD of USDC in ceiling units (2 decimals) is 1,000.009999 USDC
     * (amount / 10^(6 − 2) floors) */
    ck_ok(keel_aave_max_borrow(m, a, USDC, Z, &x));
    ck_u256_eq(x, "1000009999");
    ck_ok(keel_aave_max_borrow(m, a, DAI, Z, &x));
    ck_u256_eq(x, "0");
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(accrual_follows_the_protocol_formulas)
{
    /* one year (365 days) at a 5% liquidity rate: linear, 1 + 0.05 = 1.05 ray;
     * at a 5% borrow rate, MathUtils' third-order Taylor 1 + x + x²/2 + x³/6 with
     * x = 0.05 ray: 1.051270833333333333333333333 ray (rayMul rounding of
     * x·x/6 and x·(x/2 + …) half up). Indexes are rayMul'd in: 1.05 · 1.02 ray
     * (+1 wei on the borrow index: (1.051270833… · (1.02·10^27 + 1)) rounds). */
    keel_aave_market *m;
    ck_ok(keel_aave_market_new(KEEL_AAVE_V3_6, &m));
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    r.price = u(100000000);
    r.liquidity_rate = s("50000000000000000000000000");
    r.variable_borrow_rate = s("50000000000000000000000000");
    r.variable_borrow_index = s("1000000000000000000000000000");
    r.last_update = 1700000000;
    ck_ok(keel_aave_market_add_reserve(m, "X", &r, &(uint32_t){ 0 }));
    ck_ok(keel_aave_market_accrue(m, 1700000000 + 365ull * 86400));
    ck_ok(keel_aave_market_reserve(m, 0, &r));
    ck_u256_eq(r.liquidity_index, "1050000000000000000000000000");
    ck_u256_eq(r.variable_borrow_index, "1051270833333333333333333333");
    ck_assert_uint_eq(r.last_update, 1700000000 + 365ull * 86400);
    /* accruing to the same time changes nothing; to the past is refused */
    ck_ok(keel_aave_market_accrue(m, 1700000000 + 365ull * 86400));
    ck_ok(keel_aave_market_reserve(m, 0, &r));
    ck_u256_eq(r.liquidity_index, "1050000000000000000000000000");
    ck_status(keel_aave_market_accrue(m, 5), KEEL_E_OUT_OF_RANGE);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(bridge_and_scan_agree_with_the_chain)
{
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a, *b;
    ck_ok(keel_aave_account_new(&a));
    ck_ok(keel_aave_account_new(&b));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(16600 * USD6));     /* HF exactly 1 */
    put(b, m, WETH, u(10 * ETH), Z);
    put(b, m, USDC, Z, u(16600 * USD6 + 1)); /* one wei below */
    /* keel's double metrics on the bridged objects: 20,000 · 0.83 / 16,600 = 1 */
    keel_market *km;
    keel_basket *kb;
    keel_haircut_model *kh;
    uint32_t ids[KEEL_AAVE_MAX_RESERVES];
    size_t n;
    ck_status(keel_aave_to_keel(m, a, &km, &kb, &kh, ids, 1, &n), KEEL_E_BUFFER_TOO_SMALL);
    ck_assert_uint_eq(n, 2);
    ck_ok(keel_aave_to_keel(m, a, &km, &kb, &kh, ids, KEEL_AAVE_MAX_RESERVES, &n));
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(ids[0], WETH);
    keel_metrics mt = KEEL_METRICS_INIT;
    ck_ok(keel_basket_metrics(kb, NULL, km, kh, &mt));
    ck_assert_double_eq_tol(mt.health_factor, 1.0, 1e-15);
    ck_assert_double_eq_tol(mt.ltv, 16600.0 / 20000.0, 1e-15);
    keel_market_free(km);
    keel_basket_free(kb);
    keel_haircut_model_free(kh);
    /* the scan: both within the rounding band, both decided in integers */
    const keel_aave_account *acc[3] = { a, b, a };
    uint8_t liq[3];
    double hf[3];
    size_t exact;
    ck_ok(keel_aave_scan(m, acc, 3, hf, liq, &exact));
    ck_assert_uint_eq(exact, 3);
    ck_assert(liq[0] == 0 && liq[1] == 1 && liq[2] == 0);
    ck_assert(hf[0] == 1.0);
    /* far from 1: decided in double */
    put(b, m, USDC, Z, u(1000 * USD6));
    ck_ok(keel_aave_scan(m, acc, 3, NULL, liq, &exact));
    ck_assert_uint_eq(exact, 2);
    ck_assert_int_eq(liq[1], 0);
    ck_ok(keel_aave_scan(m, acc, 0, NULL, liq, NULL));
    keel_aave_account_free(b);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

/* ---- keel_aave_scan_flat on random accounts ---- */

static uint64_t flat_lcg = 0x9E3779B97F4A7C15ull;

static uint64_t flat_rand(void)
{
    flat_lcg = flat_lcg * 6364136223846793005ull + 1442695040888963407ull;
    return flat_lcg >> 11;
}

static double flat_unif(void) { return (double)flat_rand() * 0x1p-53; }

__extension__ typedef unsigned __int128 u128;

static keel_u256 u128_of(u128 v)
{
    keel_u256 r = {{ (uint64_t)v, (uint64_t)(v >> 64), 0, 0 }};
    return r;
}

/* A market of eight reserves for `v`: decimals 18, 6, 8, 18, 6, 18, 18, 18;
 * reserve 3 is collateral at LTV 0, reserve 6 has threshold 0 (left out by
 * v3.4 and v3.5, counted at weight 0 by v3.6); indexes above 1 ray; e-mode 1
 * over reserves 0, 3, 5 with 5 on the LTV-zero bitmap, e-mode 2 over 1, 4. */
static keel_aave_market *flat_market(keel_aave_version v)
{
    static const struct {
        uint32_t dec, ltv, lt;
        uint64_t price;
    } R[8] = { { 18, 8050, 8300, 301234567890ull }, { 6, 7500, 7800, 99991234ull },
               { 8, 7300, 7800, 6543210987654ull }, { 18, 0, 7700, 100012345ull },
               { 6, 7700, 8000, 100003210ull },     { 18, 7850, 8100, 351298765432ull },
               { 18, 0, 0, 1487654321ull },         { 18, 5300, 6800, 2345678901ull } };
    keel_aave_market *m;
    ck_ok(keel_aave_market_new(v, &m));
    for (uint32_t r = 0; r < 8; r++) {
        keel_aave_reserve p = KEEL_AAVE_RESERVE_INIT;
        p.decimals = R[r].dec, p.ltv = R[r].ltv, p.liquidation_threshold = R[r].lt;
        p.liquidation_bonus = 10500, p.price = u(R[r].price);
        /* 1.0xx ray with 27 significant digits */
        p.liquidity_index = u128_of((u128)(1000000000ull + 3456789ull * (r + 1)) * 1000000000000000000ull +
                                    123456789012345678ull * (r + 1) % 999999999999999989ull);
        p.variable_borrow_index = u128_of((u128)(1000000000ull + 5678901ull * (r + 2)) * 1000000000000000000ull +
                                          987654321098765432ull * (r + 3) % 999999999999999989ull);
        char sym[8];
        snprintf(sym, sizeof sym, "R%u", r);
        ck_ok(keel_aave_market_add_reserve(m, sym, &p, &(uint32_t){ 0 }));
    }
    keel_aave_emode e = KEEL_AAVE_EMODE_INIT;
    e.ltv = 9000, e.liquidation_threshold = 9300, e.liquidation_bonus = 10100;
    e.collateral_bitmap[0] = (1u << 0) | (1u << 3) | (1u << 5);
    e.borrowable_bitmap[0] = e.collateral_bitmap[0];
    e.ltvzero_bitmap[0] = 1u << 5;
    ck_ok(keel_aave_market_set_emode(m, 1, &e));
    e.ltv = 9300, e.liquidation_threshold = 9500, e.collateral_bitmap[0] = (1u << 1) | (1u << 4);
    e.borrowable_bitmap[0] = e.collateral_bitmap[0], e.ltvzero_bitmap[0] = 0;
    ck_ok(keel_aave_market_set_emode(m, 2, &e));
    return m;
}

/* The chain's HF (wad, low 128 bits; UINT128 max without debt). */
static u128 flat_hf(const keel_aave_market *m, const keel_aave_account *a)
{
    keel_aave_account_data d = data(m, a);
    if (d.health_factor.w[2] | d.health_factor.w[3])
        return ~(u128)0;
    return ((u128)d.health_factor.w[1] << 64) | d.health_factor.w[0];
}

/* Wei of reserve r worth 10^lo .. 10^(lo + span) USD, log-uniform. */
static u128 flat_wei(uint32_t r, double lo, double span)
{
    static const uint32_t dec[8] = { 18, 6, 8, 18, 6, 18, 18, 18 };
    static const double usd[8] = { 3012.3, 0.9999, 65432.1, 1.0001, 1.0, 3512.9, 14.9, 23.5 };
    return (u128)(pow(10.0, lo + span * flat_unif()) / usd[r] * pow(10.0, dec[r])) + 1;
}

/* One random account. Two in three: 1..6 reserves of 10 .. 10^7 USD,
 * supplied (the switch mostly on), borrowed, or both; sometimes the switch
 * on over no supply. One in three is tuned on the chain's integers to an HF
 * within 1e-12 of 1: 1..3 collaterals of 10^6 .. 10^8 USD, up to two small
 * debts, and a debt in an 18-decimal reserve (maybe one it also supplies)
 * set by bisection on its scaled balance to the largest at which HF >= 1
 * wad or one wei more (the HF does not increase with the debt; one wei of
 * it and one base unit of the total are below 1e-12 of these debts).
 * Returns 1 for an account so tuned. */
static int flat_account(const keel_aave_market *m, keel_aave_account *a)
{
    uint32_t em = (uint32_t)(flat_rand() % 4);
    ck_ok(keel_aave_account_set_emode(a, m, em <= 2 ? em : 0));
    uint32_t held = 0;
    if (flat_rand() % 3 != 0) {
        int npos = 1 + (int)(flat_rand() % 6);
        for (int i = 0; i < npos; i++) {
            uint32_t r = (uint32_t)(flat_rand() % 8);
            if (held >> r & 1u)
                continue;
            held |= 1u << r;
            u128 w = flat_wei(r, 1.0, 6.0);
            int kind = (int)(flat_rand() % 10); /* 0-4 supply, 5-8 debt, 9 both */
            u128 s_ = kind <= 4 || kind == 9 ? w : 0, d_ = kind >= 5 ? w / (kind == 9 ? 3 : 1) : 0;
            uint32_t fl = KEEL_AAVE_UNDERLYING;
            if ((s_ != 0 && flat_rand() % 8 != 0) || (s_ == 0 && flat_rand() % 12 == 0))
                fl |= KEEL_AAVE_COLLATERAL;
            ck_ok(keel_aave_account_set_position(a, m, r, u128_of(s_), u128_of(d_), fl));
        }
        return 0;
    }
    static const uint32_t coll[7] = { 0, 1, 2, 3, 4, 5, 7 }, fine[4] = { 0, 3, 5, 7 };
    int nc = 1 + (int)(flat_rand() % 3), nd = (int)(flat_rand() % 3);
    for (int i = 0; i < nc + nd; i++) {
        uint32_t r = i < nc ? coll[flat_rand() % 7] : (uint32_t)(flat_rand() % 8);
        if (held >> r & 1u)
            continue;
        held |= 1u << r;
        if (i < nc)
            ck_ok(keel_aave_account_set_position(a, m, r, u128_of(flat_wei(r, 6.0, 2.0)), Z,
                                                 KEEL_AAVE_UNDERLYING | KEEL_AAVE_COLLATERAL));
        else
            ck_ok(keel_aave_account_set_position(a, m, r, Z, u128_of(flat_wei(r, 1.0, 3.0)),
                                                 KEEL_AAVE_UNDERLYING));
    }
    uint32_t t = fine[flat_rand() % 4];
    keel_u256 s, d;
    uint32_t f;
    ck_ok(keel_aave_account_position(a, t, &s, &d, &f)); /* a supply of t stays as it is */
    u128 lo = 0, hi = (u128)1 << 100; /* 10^12 tokens and more: HF < 1 */
    while (hi - lo > 1) {
        u128 mid = lo + (hi - lo) / 2;
        ck_ok(keel_aave_account_set_position(a, m, t, s, u128_of(mid), f));
        if (flat_hf(m, a) >= (u128)AAVE_TEST_WAD)
            lo = mid;
        else
            hi = mid;
    }
    ck_ok(keel_aave_account_set_position(a, m, t, s, u128_of(flat_rand() % 2 ? lo : hi), f));
    u128 hf = flat_hf(m, a);
    u128 gap = hf > (u128)AAVE_TEST_WAD ? hf - AAVE_TEST_WAD : AAVE_TEST_WAD - hf;
    return gap <= 1000000u; /* 1e-12 of a wad */
}

START_TEST(flat_scan_equals_the_chain_and_keel_aave_scan)
{
    /* About 2,000 random accounts over the three versions, as handles and as
     * flat arrays: every verdict of keel_aave_scan_flat is the chain's
     * (keel_aave_user_account_data), and every health factor is
     * keel_aave_scan's, bit for bit. The flat rows also hold positions a
     * handle cannot: a reserve with nothing in it (both balances 0, the
     * switch off), which counts for nothing. */
    keel_aave_version vs[3] = { KEEL_AAVE_V3_4, KEEL_AAVE_V3_5, KEEL_AAVE_V3_6 };
    enum { N = 670 };
    size_t tuned = 0, exact_total = 0, liquidatable = 0, both_sides = 0;
    for (int k = 0; k < 3; k++) {
        keel_aave_market *m = flat_market(vs[k]);
        keel_aave_account **acc = malloc(N * sizeof *acc);
        size_t *off = malloc((N + 1) * sizeof *off);
        uint32_t *res = malloc(N * 8 * sizeof *res);
        uint8_t *fl = malloc(N * 8), *ems = malloc(N), *liq = malloc(N), *liq_h = malloc(N);
        uint64_t *sup = malloc(N * 16 * sizeof *sup), *deb = malloc(N * 16 * sizeof *deb);
        double *hf = malloc(N * sizeof *hf), *hf_h = malloc(N * sizeof *hf_h);
        size_t np = 0;
        for (size_t i = 0; i < N; i++) {
            ck_ok(keel_aave_account_new(&acc[i]));
            tuned += (size_t)flat_account(m, acc[i]);
            off[i] = np;
            ems[i] = (uint8_t)keel_aave_account_emode(acc[i]);
            for (uint32_t r = 0; r < 8; r++) {
                keel_u256 s, d;
                uint32_t f;
                ck_ok(keel_aave_account_position(acc[i], r, &s, &d, &f));
                bool empty = keel_u256_cmp(s, Z) == 0 && keel_u256_cmp(d, Z) == 0 && f == 0;
                if (empty && flat_rand() % 16 != 0)
                    continue;
                both_sides += (f & KEEL_AAVE_COLLATERAL) && keel_u256_cmp(s, Z) > 0 &&
                              keel_u256_cmp(d, Z) > 0;
                ck_assert((s.w[2] | s.w[3] | d.w[2] | d.w[3]) == 0);
                res[np] = r, fl[np] = (uint8_t)f;
                sup[2 * np] = s.w[0], sup[2 * np + 1] = s.w[1];
                deb[2 * np] = d.w[0], deb[2 * np + 1] = d.w[1];
                np++;
            }
        }
        off[N] = np;
        size_t exact = 0, exact_h = 0;
        ck_ok(keel_aave_scan_flat(m, N, off, res, fl, sup, deb, ems, hf, liq, &exact));
        ck_ok(keel_aave_scan(m, (const keel_aave_account *const *)acc, N, hf_h, liq_h, &exact_h));
        ck_assert_uint_eq(exact, exact_h);
        exact_total += exact;
        for (size_t i = 0; i < N; i++) {
            keel_aave_account_data d = data(m, acc[i]);
            ck_assert_msg(liq[i] == (d.liquidatable != 0), "v%d account %zu: flat %d, chain %d",
                          (int)vs[k], i, liq[i], d.liquidatable);
            ck_assert_msg(memcmp(&hf[i], &hf_h[i], sizeof(double)) == 0,
                          "v%d account %zu: flat HF %.17g, keel_aave_scan %.17g", (int)vs[k], i,
                          hf[i], hf_h[i]);
            ck_assert_int_eq(liq[i], liq_h[i]);
            liquidatable += liq[i];
        }
        /* without the e-modes: every account in category 0 (NULL) */
        ck_ok(keel_aave_scan_flat(m, N, off, res, fl, sup, deb, NULL, hf, liq, NULL));
        for (size_t i = 0; i < N; i++) {
            ck_ok(keel_aave_account_set_emode(acc[i], m, 0));
            ck_assert_int_eq(liq[i], data(m, acc[i]).liquidatable);
        }
        for (size_t i = 0; i < N; i++)
            keel_aave_account_free(acc[i]);
        free(acc), free(off), free(res), free(fl), free(ems), free(liq), free(liq_h);
        free(sup), free(deb), free(hf), free(hf_h);
        keel_aave_market_free(m);
    }
    /* the sample reaches what it is for: accounts at the edge, decided in integers */
    ck_assert_uint_gt(tuned, 550);
    ck_assert_uint_gt(exact_total, 500);
    ck_assert_uint_gt(liquidatable, 500);
    ck_assert_uint_gt(both_sides, 200);
}
END_TEST

START_TEST(simulated_liquidations_equal_the_quotes_step_by_step)
{
    /* 10 WETH against 8,000 USDC and 7,000 DAI (HF 1.107) replayed through
     * WETH at 1900, 1800, 1780, 1700, 1500 USD: the simulation with Aave's
     * rules (the close factor on the total debt: 7,500 of the USDC at once,
     * where the default rule repays half the largest debt) must make
     * the liquidations keel_aave_best_liquidation makes on the same account,
     * step by step. The reference below carries the account in integers; the
     * simulation carries keel's basket in doubles (a balance is exact to
     * about 1e-16 relative), so the first call is compared to the wei and
     * the totals to 1e-12. */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a, *after;
    ck_ok(keel_aave_account_new(&a));
    ck_ok(keel_aave_account_new(&after));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(8000 * USD6));
    put(a, m, DAI, Z, s("7000000000000000000000"));
    keel_market *km;
    keel_basket *kb;
    keel_haircut_model *kh;
    keel_cost_model *kc;
    uint32_t ids[KEEL_AAVE_MAX_RESERVES];
    size_t n;
    ck_ok(keel_aave_to_keel(m, a, &km, &kb, &kh, ids, KEEL_AAVE_MAX_RESERVES, &n));
    ck_ok(keel_cost_model_new(&kc));
    enum { STEPS = 5 };
    const double weth[STEPS] = { 1900, 1800, 1780, 1700, 1500 };
    double paths[STEPS * 2];
    keel_asset assets[2] = { 0, 1 }; /* the bridge's asset order: WETH, USDC */
    ck_assert_uint_eq(ids[0], WETH);
    for (int k = 0; k < STEPS; k++)
        paths[2 * k] = weth[k], paths[2 * k + 1] = 1.0;
    keel_sim_params p = KEEL_SIM_PARAMS_INIT;
    p.steps = STEPS;
    keel_sim *sim;
    ck_ok(keel_sim_new(kb, NULL, km, kh, kc, NULL, &p, &sim));
    ck_ok(keel_sim_set_paths(sim, 1, 2, assets, paths));
    ck_status(keel_sim_set_aave(sim, m, ids, 1, 0), KEEL_E_OUT_OF_RANGE);
    uint32_t twice[3] = { WETH, WETH, DAI };
    ck_status(keel_sim_set_aave(sim, m, twice, 3, 0), KEEL_E_OUT_OF_RANGE);
    uint32_t far[3] = { WETH, USDC, 99 };
    ck_status(keel_sim_set_aave(sim, m, far, 3, 0), KEEL_E_UNKNOWN_ASSET);
    ck_status(keel_sim_set_aave(sim, m, NULL, 3, 0), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_aave(NULL, m, ids, 3, 0), KEEL_E_NULL_ARG);
    ck_status(keel_sim_set_aave(sim, m, ids, 3, 9), KEEL_E_NOT_FOUND);
    ck_ok(keel_sim_set_aave(sim, m, ids, 3, 0));
    keel_sim_stats *st;
    ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st));
    keel_sim_summary sum = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(st, &sum));

    /* the reference, in integers */
    int count = 0;
    double bonus = 0.0;
    for (int k = 0; k < STEPS; k++) {
        ck_ok(keel_aave_market_set_price(m, WETH, u((uint64_t)(weth[k] * 1e8))));
        if (!data(m, a).liquidatable)
            continue;
        keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
        ck_ok(keel_aave_best_liquidation(m, a, &q));
        ck_ok(keel_aave_liquidation_quote(m, a, q.collateral, q.debt, q.debt_repaid, &q, after));
        ck_ok(keel_aave_account_assign(a, after));
        count++;
        double taken = keel_u256_to_double(q.collateral_to_liquidator) + keel_u256_to_double(q.protocol_fee);
        ck_assert_uint_eq(q.collateral, WETH);
        bonus += taken * weth[k] / 1e18 - keel_u256_to_double(q.debt_repaid) / (q.debt == USDC ? 1e6 : 1e18);
    }
    keel_u256 sb, db;
    ck_ok(keel_aave_account_balances(m, a, WETH, &sb, NULL));
    ck_ok(keel_aave_account_balances(m, a, USDC, NULL, &db));
    keel_u256 dai;
    ck_ok(keel_aave_account_balances(m, a, DAI, NULL, &dai));
    double equity = keel_u256_to_double(sb) * weth[STEPS - 1] / 1e18 - keel_u256_to_double(db) / 1e6 -
                    keel_u256_to_double(dai) / 1e18;
    ck_assert_int_ge(count, 2);
    ck_assert_double_eq(sum.mean_liquidations, (double)count);
    ck_assert_double_eq_tol(sum.mean_bonus_lost, bonus, 1e-12 * bonus);
    ck_assert_double_eq_tol(sum.mean_final_equity, equity, 1e-12 * fabs(equity));
    /* back to the default liquidator: the set-up differs (statistics do not merge) */
    ck_ok(keel_sim_set_aave(sim, NULL, NULL, 0, 0));
    keel_sim_stats *st2;
    ck_ok(keel_sim_run(sim, 0, 1, NULL, NULL, &st2));
    keel_sim_summary sum2 = KEEL_SIM_SUMMARY_INIT;
    ck_ok(keel_sim_stats_summary(st2, &sum2));
    ck_assert(fabs(sum2.mean_bonus_lost - sum.mean_bonus_lost) > 1.0);
    ck_status(keel_sim_stats_merge(st, st2), KEEL_E_OUT_OF_RANGE); /* different set-ups */
    keel_sim_stats_free(st);
    keel_sim_stats_free(st2);
    keel_sim_free(sim);
    keel_cost_model_free(kc);
    keel_market_free(km);
    keel_basket_free(kb);
    keel_haircut_model_free(kh);
    keel_aave_account_free(after);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST


START_TEST(overflow_and_zero_prices_are_statuses)
{
    /* a price of 2^200 base units on a balance of 2^100 wei: the value
     * overflows 256 bits, where the Solidity reverts; every question says so */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, s("0x10000000000000000000000000"), Z); /* 2^100 */
    put(a, m, USDC, Z, u(1000 * USD6));
    ck_ok(keel_aave_market_set_price(m, WETH, s("0x100000000000000000000000000000000000000000000000000")));
    keel_aave_account_data d = KEEL_AAVE_ACCOUNT_DATA_INIT;
    ck_status(keel_aave_user_account_data(m, a, &d), KEEL_E_OVERFLOW);
    keel_u256 x = u(7);
    ck_status(keel_aave_repay_to_target(m, a, USDC, u(ETH), &x), KEEL_E_OVERFLOW);
    ck_status(keel_aave_supply_to_target(m, a, WETH, u(ETH), &x), KEEL_E_OVERFLOW);
    ck_status(keel_aave_max_withdraw(m, a, WETH, Z, &x), KEEL_E_OVERFLOW);
    ck_status(keel_aave_max_borrow(m, a, USDC, Z, &x), KEEL_E_OVERFLOW);
    ck_u256_eq(x, "7");
    keel_aave_price_boundary b = KEEL_AAVE_PRICE_BOUNDARY_INIT;
    ck_status(keel_aave_liquidation_price(m, a, USDC, &b), KEEL_E_OVERFLOW);
    keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
    ck_status(keel_aave_liquidation_quote(m, a, WETH, USDC, u(1), &q, NULL), KEEL_E_OVERFLOW);
    ck_status(keel_aave_best_liquidation(m, a, &q), KEEL_E_OVERFLOW);
    keel_u256 sb;
    ck_ok(keel_aave_account_balances(m, a, WETH, &sb, NULL));
    /* a WETH price of 0: the collateral is worth nothing (HF 0); the liquidation
     * divides by the collateral's price: Panic(0x12), as the chain */
    ck_ok(keel_aave_market_set_price(m, WETH, Z));
    d = data(m, a);
    ck_u256_eq(d.health_factor, "0");
    ck_status(keel_aave_liquidation_quote(m, a, WETH, USDC, u(1), &q, NULL), KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_DIVISION_BY_ZERO);
    ck_assert_str_eq(keel_aave_revert_name(q.revert), "Panic(0x12) division by zero");
    /* a USDC price of 0 with a WETH price: the close factor's conversion divides by it */
    ck_ok(keel_aave_market_set_price(m, WETH, u(200000000000ull)));
    ck_ok(keel_aave_market_set_price(m, USDC, Z));
    keel_aave_market *m2 = market(KEEL_AAVE_V3_6);
    keel_aave_market_free(m2);
    keel_market *km;
    keel_basket *kb;
    keel_haircut_model *kh;
    ck_status(keel_aave_to_keel(m, a, &km, &kb, &kh, NULL, 0, NULL), KEEL_E_OUT_OF_RANGE);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(keeper_under_v3_4_rules)
{
    /* v3.4 checks a borrow on the state before it: collateral >=
     * percentDiv(debt + ⌊price · amount / unit⌋, LTV) — at index 1 the same
     * 4,100 USDC as v3.6's check after (worked in keeper_amounts_sit_on_the_boundary);
     * HF must be above 1 before, strictly */
    keel_aave_market *m = market(KEEL_AAVE_V3_4);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(12000 * USD6));
    keel_u256 x;
    ck_ok(keel_aave_max_borrow(m, a, USDC, Z, &x));
    ck_u256_eq(x, "4100000000");
    ck_ok(keel_aave_repay_to_target(m, a, USDC, u(1250000000000000000ull), &x));
    ck_u256_eq(x, "0"); /* HF 1.383 already */
    /* v3.4's HF is percentMul(collateral, 8300) (half up) over the debt: it
     * reaches 1 at a collateral of ⌈(1.2·10^16 − 5000) / 8300⌉ = 1,445,783,132,530
     * base units, one less than v3.6's ⌈1.2·10^16 / 8300⌉: 7.22891566265 WETH stay */
    ck_ok(keel_aave_max_withdraw(m, a, WETH, Z, &x));
    ck_u256_eq(x, "2771084337350000000");
    put(a, m, USDC, Z, u(16600 * USD6)); /* HF exactly 1: v3.4 refuses any borrow */
    ck_ok(keel_aave_max_borrow(m, a, USDC, Z, &x));
    ck_u256_eq(x, "0");
    /* a liquidity index of 3 ray: a withdrawal of 1 wei burns rayDiv(1, 3 ray) = 0
     * scaled units (InvalidBurnAmount); 2 wei burn 1 */
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    ck_ok(keel_aave_market_reserve(m, DAI, &r));
    r.liquidity_index = s("3000000000000000000000000000");
    ck_ok(keel_aave_market_set_reserve(m, DAI, &r));
    keel_aave_account *t;
    ck_ok(keel_aave_account_new(&t));
    ck_ok(keel_aave_account_set_position(t, m, DAI, u(1000), Z, KEEL_AAVE_COLLATERAL)); /* 3,000 wei */
    ck_ok(keel_aave_account_set_position(t, m, USDC, Z, u(1), 0));
    ck_ok(keel_aave_max_withdraw(m, t, DAI, Z, &x));
    ck_assert(keel_u256_cmp(x, u(3000)) <= 0);
    keel_aave_account_free(t);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(supply_that_would_not_count_is_refused)
{
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(12000 * USD6));
    keel_u256 x, target = u(2000000000000000000ull);
    /* ISO has a debt ceiling: a first supply is not switched on automatically */
    ck_status(keel_aave_supply_to_target(m, a, ISO, target, &x), KEEL_E_INFEASIBLE);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "validateAutomaticUseAsCollateral"));
    /* DAI held with the switch off stays off */
    ck_ok(keel_aave_account_set_position(a, m, DAI, u(ETH), Z, KEEL_AAVE_UNDERLYING));
    ck_status(keel_aave_supply_to_target(m, a, DAI, target, &x), KEEL_E_INFEASIBLE);
    /* and it can be withdrawn whole, HF regardless */
    put(a, m, USDC, Z, u(16700 * USD6)); /* HF 0.994 */
    ck_ok(keel_aave_max_withdraw(m, a, DAI, Z, &x));
    ck_u256_eq(x, "1000000000000000000");
    /* a first supply of wstETH (LTV above 0, no ceiling) counts */
    ck_ok(keel_aave_supply_to_target(m, a, WSTETH, target, &x));
    ck_assert(keel_u256_cmp(x, Z) > 0);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(best_liquidation_under_the_dust_rule)
{
    /* 10 WETH against 9,500 USDC and 7,600 DAI: HF 16,600 / 17,100 = 0.9708; half the
     * total debt is 8,550 USD, the close factor's maximum for USDC: it would leave
     * 950 USD of USDC debt (< 1,000): MustNotLeaveDust. The largest USDC cover that
     * leaves 1,000 USD is 8,500 USDC (4.5% profit: 382.5 USD), better than all the
     * DAI (7,600 · 4.5% = 342 USD). */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a;
    ck_ok(keel_aave_account_new(&a));
    put(a, m, WETH, u(10 * ETH), Z);
    put(a, m, USDC, Z, u(9500 * USD6));
    put(a, m, DAI, Z, s("7600000000000000000000"));
    keel_aave_liquidation q = KEEL_AAVE_LIQUIDATION_INIT;
    ck_status(keel_aave_liquidation_quote(m, a, WETH, USDC, keel_u256_max(), &q, NULL),
              KEEL_E_INFEASIBLE);
    ck_assert_int_eq(q.revert, KEEL_AAVE_MUST_NOT_LEAVE_DUST);
    ck_ok(keel_aave_best_liquidation(m, a, &q));
    ck_assert_uint_eq(q.debt, USDC);
    ck_u256_eq(q.debt_repaid, "8500000000");
    ck_assert_double_eq_tol(q.profit_base, 382.5e8, 1.0);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

START_TEST(scan_of_a_reserve_both_supplied_and_borrowed)
{
    /* 10 WETH supplied and 2 WETH borrowed against 10,000 USDC more: HF =
     * 20,000 · 0.83 / (4,000 + 10,000) = 1.1857; the scan's mixed-position path
     * agrees with the account data, and an account holding a reserve the market
     * lacks is refused with its index */
    keel_aave_market *m = market(KEEL_AAVE_V3_6);
    keel_aave_account *a, *b;
    ck_ok(keel_aave_account_new(&a));
    ck_ok(keel_aave_account_new(&b));
    put(a, m, WETH, u(10 * ETH), u(2 * ETH));
    put(a, m, USDC, Z, u(10000 * USD6));
    const keel_aave_account *acc[2] = { a, a };
    uint8_t liq[2];
    double hf[2];
    ck_ok(keel_aave_scan(m, acc, 2, hf, liq, NULL));
    ck_assert_double_eq_tol(hf[0], 16600.0 / 14000.0, 1e-12);
    ck_assert_int_eq(liq[0], 0);
    keel_aave_market *small;
    ck_ok(keel_aave_market_new(KEEL_AAVE_V3_6, &small));
    keel_aave_reserve r = KEEL_AAVE_RESERVE_INIT;
    ck_ok(keel_aave_market_add_reserve(small, "WETH", &r, &(uint32_t){ 0 }));
    ck_status(keel_aave_scan(small, acc, 2, hf, liq, NULL), KEEL_E_UNKNOWN_ASSET);
    ck_assert_ptr_nonnull(strstr(keel_last_error(), "accounts[0]"));
    keel_aave_market_free(small);
    /* an e-mode category the market lacks */
    keel_aave_account_free(b);
    keel_aave_account_free(a);
    keel_aave_market_free(m);
}
END_TEST

static Suite *protocol_suite(void)
{
    Suite *s = suite_create("protocol");
    TCase *tc = tcase_create("u256");
    tcase_add_test(tc, u256_strings_and_limits);
    tcase_add_test(tc, u256_to_double_rounds_to_nearest_even);
    tcase_add_test(tc, wadray_rounding_at_the_edges);
    tcase_add_test(tc, wadray_overflow_one_either_side);
    suite_add_tcase(s, tc);
    tc = tcase_create("aave");
    tcase_add_test(tc, account_one_wei_either_side_of_hf_1);
    tcase_add_test(tc, whale_one_wei_either_side);
    tcase_add_test(tc, account_with_indexes_rounds_as_each_version);
    tcase_add_test(tc, dust_account_where_rounding_moves_the_health_factor);
    tcase_add_test(tc, emode_isolation_ltv0_and_switch);
    tcase_add_test(tc, liquidation_full_close_below_095);
    tcase_add_test(tc, liquidation_close_factor_on_total_debt);
    tcase_add_test(tc, liquidation_small_account_full_close_and_dust_rule);
    tcase_add_test(tc, liquidation_emode_bonus);
    tcase_add_test(tc, liquidation_takes_the_last_collateral_and_books_deficit);
    tcase_add_test(tc, liquidation_price_at_the_oracle_unit);
    tcase_add_test(tc, keeper_amounts_sit_on_the_boundary);
    tcase_add_test(tc, isolated_borrow_stops_at_the_debt_ceiling);
    tcase_add_test(tc, accrual_follows_the_protocol_formulas);
    tcase_add_test(tc, bridge_and_scan_agree_with_the_chain);
    tcase_add_test(tc, flat_scan_equals_the_chain_and_keel_aave_scan);
    tcase_add_test(tc, simulated_liquidations_equal_the_quotes_step_by_step);
    tcase_add_test(tc, overflow_and_zero_prices_are_statuses);
    tcase_add_test(tc, keeper_under_v3_4_rules);
    tcase_add_test(tc, supply_that_would_not_count_is_refused);
    tcase_add_test(tc, best_liquidation_under_the_dust_rule);
    tcase_add_test(tc, scan_of_a_reserve_both_supplied_and_borrowed);
    suite_add_tcase(s, tc);
    return s;
}

KEEL_TEST_MAIN(protocol_suite)
