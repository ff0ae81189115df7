/* Morpho Blue market handle, the Solidity math (MathLib, SharesMathLib,
 * UtilsLib), interest accrual and a position's health. Every formula follows
 * morpho-org/morpho-blue at tag v1.0.0 (commit 55d2d99304fb, the deployed
 * contract), written here in keel's own C. */
#include <stdio.h>
#include <string.h>

#include "core/core_internal.h"
#include "protocol/morpho_internal.h"

#define CHECK_MARKET(m) \
    KEEL_TRY(keel_check_handle((m), KEEL_TAG_MORPHO_MARKET, __func__, "market"))

KEEL_DEFINE_PARAMS_INIT(keel_morpho_params, KEEL_MORPHO_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_morpho_state, KEEL_MORPHO_STATE_INIT)

/* ConstantsLib.sol v1.0.0 */
static const keel_u256 ORACLE_PRICE_SCALE = {{0xb34b9f1000000000ull, 0xc097ce7bc90715ull, 0, 0}}; /* 1e36 */
#define MAX_FEE 250000000000000000ull                       /* 0.25e18 */
#define LIQUIDATION_CURSOR 300000000000000000ull            /* 0.3e18 */
#define MAX_LIQUIDATION_INCENTIVE_FACTOR 1150000000000000000ull /* 1.15e18 */
/* SharesMathLib.sol v1.0.0 */
#define VIRTUAL_SHARES 1000000ull
#define VIRTUAL_ASSETS 1ull

/* ---- MathLib.sol (v1.0.0) ---- */

/* MathLib.mulDivDown: (x * y) / d. */
keel_morpho_revert morpho_mul_div_down(keel_u256 x, keel_u256 y, keel_u256 d, keel_u256 *out)
{
    keel_u256 p;
    if (u256_mul(x, y, &p))
        return KEEL_MORPHO_ARITHMETIC;
    if (u256_is_zero(d))
        return KEEL_MORPHO_DIVISION_BY_ZERO;
    *out = u256_div(p, d);
    return KEEL_MORPHO_OK;
}

/* MathLib.mulDivUp: (x * y + (d - 1)) / d, each step checked. */
keel_morpho_revert morpho_mul_div_up(keel_u256 x, keel_u256 y, keel_u256 d, keel_u256 *out)
{
    keel_u256 p, dm1;
    if (u256_mul(x, y, &p) || u256_sub(d, u256_small(1), &dm1) || u256_add(p, dm1, &p))
        return KEEL_MORPHO_ARITHMETIC;
    *out = u256_div(p, d);
    return KEEL_MORPHO_OK;
}

/* MathLib.wTaylorCompounded (v1.0.0): x·n + (x·n)²/(2 WAD) + ((x·n)²/(2 WAD))·(x·n)/(3 WAD). */
static keel_morpho_revert taylor(keel_u256 x, keel_u256 n, keel_u256 *out)
{
    keel_u256 first, second, third, sum;
    keel_morpho_revert r;
    if (u256_mul(x, n, &first))
        return KEEL_MORPHO_ARITHMETIC;
    if ((r = morpho_mul_div_down(first, first, u256_small(2 * MORPHO_WAD), &second)) != KEEL_MORPHO_OK ||
        (r = morpho_mul_div_down(second, first, u256_small(3 * MORPHO_WAD), &third)) != KEEL_MORPHO_OK)
        return r;
    if (u256_add(first, second, &sum) || u256_add(sum, third, &sum))
        return KEEL_MORPHO_ARITHMETIC;
    *out = sum;
    return KEEL_MORPHO_OK;
}

/* ---- SharesMathLib.sol (v1.0.0) ---- */

/* toSharesDown/Up: assets.mulDiv(totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
 * toAssetsDown/Up: shares.mulDiv(totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES). */
keel_morpho_revert morpho_convert(keel_morpho_conversion op, keel_u256 amount, keel_u256 total_assets,
                                  keel_u256 total_shares, keel_u256 *out)
{
    keel_u256 va, vs;
    if (u256_add(total_assets, u256_small(VIRTUAL_ASSETS), &va) ||
        u256_add(total_shares, u256_small(VIRTUAL_SHARES), &vs))
        return KEEL_MORPHO_ARITHMETIC;
    switch (op) {
    case KEEL_MORPHO_TO_SHARES_DOWN:
        return morpho_mul_div_down(amount, vs, va, out);
    case KEEL_MORPHO_TO_SHARES_UP:
        return morpho_mul_div_up(amount, vs, va, out);
    case KEEL_MORPHO_TO_ASSETS_DOWN:
        return morpho_mul_div_down(amount, va, vs, out);
    default:
        return morpho_mul_div_up(amount, va, vs, out);
    }
}

/* Morpho.liquidate (v1.0.0): min(MAX_LIQUIDATION_INCENTIVE_FACTOR,
 * WAD.wDivDown(WAD - LIQUIDATION_CURSOR.wMulDown(WAD - lltv))). With
 * 0 <= lltv < WAD nothing can overflow or divide by 0 (at 0, the idle markets', 1.15). */
keel_u256 morpho_incentive(keel_u256 lltv)
{
    keel_u256 wad = morpho_wad(), one_minus, cursor_part, denom, f;
    u256_sub(wad, lltv, &one_minus);
    morpho_mul_div_down(u256_small(LIQUIDATION_CURSOR), one_minus, wad, &cursor_part);
    u256_sub(wad, cursor_part, &denom);
    morpho_mul_div_down(wad, wad, denom, &f);
    keel_u256 cap = u256_small(MAX_LIQUIDATION_INCENTIVE_FACTOR);
    return u256_lt(cap, f) ? cap : f;
}

/* Morpho._isHealthy (v1.0.0, the 4-argument form) and the health factor
 * maxBorrow.wDivDown(borrowed) of blue-sdk's MarketUtils.getHealthFactor. */
keel_morpho_revert morpho_health(keel_u256 price, keel_u256 lltv, const morpho_borrow_view *v,
                                 keel_u256 *borrowed, keel_u256 *collateral_value,
                                 keel_u256 *max_borrow, keel_u256 *hf)
{
    keel_u256 b, cv, mb;
    keel_morpho_revert r;
    if ((r = morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, v->borrow_shares, v->total_borrow_assets,
                            v->total_borrow_shares, &b)) != KEEL_MORPHO_OK ||
        (r = morpho_mul_div_down(v->collateral, price, ORACLE_PRICE_SCALE, &cv)) != KEEL_MORPHO_OK ||
        (r = morpho_mul_div_down(cv, lltv, morpho_wad(), &mb)) != KEEL_MORPHO_OK)
        return r;
    if (borrowed != NULL)
        *borrowed = b;
    if (collateral_value != NULL)
        *collateral_value = cv;
    if (max_borrow != NULL)
        *max_borrow = mb;
    if (hf != NULL) {
        /* floor(mb · WAD / b) = q · WAD + floor(rem · WAD / b), rem < b < 2^129 */
        if (u256_is_zero(b)) {
            *hf = keel_u256_max();
        } else {
            keel_u256 q, rem, t, frac;
            u256_divmod(mb, b, &q, &rem);
            u256_mul(rem, morpho_wad(), &t);
            frac = u256_div(t, b);
            if (u256_mul(q, morpho_wad(), &t) || u256_add(t, frac, &t))
                t = keel_u256_max();
            *hf = t;
        }
    }
    return KEEL_MORPHO_OK;
}

/* ---- checks ---- */

static keel_status check_u128(keel_u256 v, const char *fn, const char *what)
{
    if (!morpho_fits_u128(v)) {
        char buf[KEEL_U256_DECIMAL_MAX];
        keel_u256_to_string(v, buf, sizeof buf);
        return keel_fail(KEEL_E_OVERFLOW, "%s: %s is %s, past the uint128 Morpho stores it in", fn,
                         what, buf);
    }
    return KEEL_OK;
}

/* KEEL_E_OUT_OF_RANGE naming `what`'s value `v` and the rule it breaks. */
static keel_status refuse_value(keel_u256 v, const char *fn, const char *what, const char *rule)
{
    char buf[KEEL_U256_DECIMAL_MAX];
    keel_u256_to_string(v, buf, sizeof buf);
    return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s is %s; %s", fn, what, buf, rule);
}

static keel_status read_params(const keel_morpho_params *in, keel_morpho_params *out, const char *fn)
{
    KEEL_TRY(keel_check_sized(in, fn, "params", "keel_morpho_params"));
    keel_morpho_params d = KEEL_MORPHO_PARAMS_INIT;
    keel_read_sized(&d, sizeof d, in);
    if (d.loan_decimals > 38 || d.collateral_decimals > 38)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s decimals is %u, above 38", fn,
                         d.loan_decimals > 38 ? "loan" : "collateral",
                         d.loan_decimals > 38 ? d.loan_decimals : d.collateral_decimals);
    if (!u256_lt(d.lltv, morpho_wad()))
        return refuse_value(d.lltv, fn, "lltv",
                            "it must be below 1 wad (10^18; Morpho's enableLltv refuses "
                            "\"max LLTV exceeded\" at 1 wad; 0 is the idle markets' LLTV)");
    d.size = sizeof d;
    *out = d;
    return KEEL_OK;
}

static keel_status read_state(const keel_morpho_state *in, keel_morpho_state *out, const char *fn)
{
    KEEL_TRY(keel_check_sized(in, fn, "state", "keel_morpho_state"));
    keel_morpho_state d = KEEL_MORPHO_STATE_INIT;
    keel_read_sized(&d, sizeof d, in);
    KEEL_TRY(check_u128(d.total_supply_assets, fn, "total_supply_assets"));
    KEEL_TRY(check_u128(d.total_supply_shares, fn, "total_supply_shares"));
    KEEL_TRY(check_u128(d.total_borrow_assets, fn, "total_borrow_assets"));
    KEEL_TRY(check_u128(d.total_borrow_shares, fn, "total_borrow_shares"));
    if (u256_lt(u256_small(MAX_FEE), d.fee))
        return refuse_value(d.fee, fn, "fee",
                            "it is above MAX_FEE = 0.25e18 (Morpho's setFee refuses \"max fee "
                            "exceeded\")");
    d.size = sizeof d;
    *out = d;
    return KEEL_OK;
}

keel_status morpho_check(const keel_morpho_market *m, const keel_morpho_position *p, const char *fn)
{
    KEEL_TRY(keel_check_handle(m, KEEL_TAG_MORPHO_MARKET, fn, "market"));
    KEEL_TRY(keel_check_ptr(p, fn, "position"));
    KEEL_TRY(check_u128(p->borrow_shares, fn, "position borrow_shares"));
    KEEL_TRY(check_u128(p->collateral, fn, "position collateral"));
    if (u256_lt(m->s.total_borrow_shares, p->borrow_shares))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the position holds more borrow shares than the market's total", fn);
    if (u256_lt(m->s.total_supply_shares, p->supply_shares))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the position holds more supply shares than the market's total", fn);
    return KEEL_OK;
}

/* ---- the market ---- */

keel_status keel_morpho_market_new(const char *loan_symbol, const char *collateral_symbol,
                                   const keel_morpho_params *params, const keel_morpho_state *state,
                                   keel_morpho_market **out)
{
    static const char fn[] = "keel_morpho_market_new";
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    KEEL_TRY(keel_check_symbol(loan_symbol, fn));
    KEEL_TRY(keel_check_symbol(collateral_symbol, fn));
    if (strcmp(loan_symbol, collateral_symbol) == 0)
        return keel_fail(KEEL_E_INVALID_SYMBOL,
                         "%s: loan and collateral are both %s; a market's two tokens differ", fn,
                         loan_symbol);
    keel_morpho_params p;
    keel_morpho_state s = KEEL_MORPHO_STATE_INIT;
    KEEL_TRY(read_params(params, &p, fn));
    if (state != NULL)
        KEEL_TRY(read_state(state, &s, fn));
    keel_morpho_market *m = keel_handle_alloc(sizeof *m, KEEL_TAG_MORPHO_MARKET);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    m->p = p;
    m->s = s;
    snprintf(m->loan_symbol, sizeof m->loan_symbol, "%s", loan_symbol);
    snprintf(m->collateral_symbol, sizeof m->collateral_symbol, "%s", collateral_symbol);
    *out = m;
    return KEEL_OK;
}

void keel_morpho_market_free(keel_morpho_market *market)
{
    if (keel_handle_is(market, KEEL_TAG_MORPHO_MARKET))
        keel_handle_release(market);
}

keel_status keel_morpho_market_clone(const keel_morpho_market *market, keel_morpho_market **out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_morpho_market *m = keel_handle_alloc(sizeof *m, KEEL_TAG_MORPHO_MARKET);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    memcpy(m, market, sizeof *m);
    *out = m;
    return KEEL_OK;
}

keel_status keel_morpho_market_params(const keel_morpho_market *market, keel_morpho_params *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_morpho_params"));
    keel_write_sized(out, &market->p, sizeof market->p);
    return KEEL_OK;
}

keel_status keel_morpho_market_state(const keel_morpho_market *market, keel_morpho_state *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_morpho_state"));
    keel_write_sized(out, &market->s, sizeof market->s);
    return KEEL_OK;
}

keel_status keel_morpho_market_set_state(keel_morpho_market *market, const keel_morpho_state *state)
{
    CHECK_MARKET(market);
    keel_morpho_state s;
    KEEL_TRY(read_state(state, &s, __func__));
    market->s = s;
    return KEEL_OK;
}

keel_status keel_morpho_market_set_price(keel_morpho_market *market, keel_u256 price)
{
    CHECK_MARKET(market);
    market->p.price = price;
    return KEEL_OK;
}

/* Morpho._accrueInterest (v1.0.0) with an IRM answering `borrow_rate`. */
keel_status keel_morpho_market_accrue(keel_morpho_market *market, keel_u256 borrow_rate,
                                      uint64_t timestamp, keel_u256 *out_interest,
                                      keel_u256 *out_fee_shares)
{
    CHECK_MARKET(market);
    keel_morpho_state s = market->s;
    if (timestamp < s.last_update)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: timestamp %llu is before the market's last_update %llu", __func__,
                         (unsigned long long)timestamp, (unsigned long long)s.last_update);
    keel_u256 interest = u256_small(0), fee_shares = u256_small(0);
    if (timestamp != s.last_update) {
        keel_u256 growth, fee_amount, base;
        keel_morpho_revert r = taylor(borrow_rate, u256_small(timestamp - s.last_update), &growth);
        if (r == KEEL_MORPHO_OK)
            r = morpho_mul_div_down(s.total_borrow_assets, growth, morpho_wad(), &interest);
        /* totalBorrowAssets += interest.toUint128(): a uint128 sum, checked */
        if (r == KEEL_MORPHO_OK && !morpho_fits_u128(interest))
            r = KEEL_MORPHO_MAX_UINT128_EXCEEDED;
        if (r == KEEL_MORPHO_OK &&
            (u256_add(s.total_borrow_assets, interest, &s.total_borrow_assets) ||
             !morpho_fits_u128(s.total_borrow_assets) ||
             u256_add(s.total_supply_assets, interest, &s.total_supply_assets) ||
             !morpho_fits_u128(s.total_supply_assets)))
            r = KEEL_MORPHO_ARITHMETIC;
        if (r == KEEL_MORPHO_OK && !u256_is_zero(s.fee)) {
            r = morpho_mul_div_down(interest, s.fee, morpho_wad(), &fee_amount);
            if (r == KEEL_MORPHO_OK) {
                u256_sub(s.total_supply_assets, fee_amount, &base); /* fee_amount <= interest */
                r = morpho_convert(KEEL_MORPHO_TO_SHARES_DOWN, fee_amount, base,
                                   s.total_supply_shares, &fee_shares);
            }
            if (r == KEEL_MORPHO_OK && !morpho_fits_u128(fee_shares))
                r = KEEL_MORPHO_MAX_UINT128_EXCEEDED;
            if (r == KEEL_MORPHO_OK &&
                (u256_add(s.total_supply_shares, fee_shares, &s.total_supply_shares) ||
                 !morpho_fits_u128(s.total_supply_shares)))
                r = KEEL_MORPHO_ARITHMETIC;
        }
        if (r != KEEL_MORPHO_OK)
            return keel_fail(KEEL_E_OVERFLOW,
                             "%s: _accrueInterest reverts (%s) over %llu s at this rate", __func__,
                             keel_morpho_revert_name(r),
                             (unsigned long long)(timestamp - s.last_update));
    }
    s.last_update = timestamp;
    market->s = s;
    if (out_interest != NULL)
        *out_interest = interest;
    if (out_fee_shares != NULL)
        *out_fee_shares = fee_shares;
    return KEEL_OK;
}

/* ---- public math ---- */

keel_status keel_morpho_convert(keel_morpho_conversion op, keel_u256 amount, keel_u256 total_assets,
                                keel_u256 total_shares, keel_u256 *out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if ((unsigned)op > KEEL_MORPHO_TO_ASSETS_UP)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: op %d is not a keel_morpho_conversion", __func__,
                         (int)op);
    keel_u256 r;
    keel_morpho_revert rv = morpho_convert(op, amount, total_assets, total_shares, &r);
    if (rv != KEEL_MORPHO_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: SharesMathLib reverts (%s)", __func__,
                         keel_morpho_revert_name(rv));
    *out = r;
    return KEEL_OK;
}

keel_status keel_morpho_incentive_factor(keel_u256 lltv, keel_u256 *out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (!u256_lt(lltv, morpho_wad()))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: lltv must be below 1 wad (10^18)",
                         __func__);
    *out = morpho_incentive(lltv);
    return KEEL_OK;
}

const char *keel_morpho_revert_name(keel_morpho_revert reason)
{
    switch (reason) {
    case KEEL_MORPHO_OK:
        return "";
    case KEEL_MORPHO_HEALTHY_POSITION:
        return "position is healthy";
    case KEEL_MORPHO_INCONSISTENT_INPUT:
        return "inconsistent input";
    case KEEL_MORPHO_INSUFFICIENT_COLLATERAL:
        return "insufficient collateral";
    case KEEL_MORPHO_INSUFFICIENT_LIQUIDITY:
        return "insufficient liquidity";
    case KEEL_MORPHO_MAX_UINT128_EXCEEDED:
        return "max uint128 exceeded";
    case KEEL_MORPHO_ARITHMETIC:
        return "Panic(0x11): arithmetic overflow or underflow";
    case KEEL_MORPHO_DIVISION_BY_ZERO:
        return "Panic(0x12): division by zero";
    }
    return "unknown revert";
}

/* Morpho._isHealthy (v1.0.0) and MorphoBalancesLib's supply assets (toAssetsDown). */
keel_status keel_morpho_position_data_get(const keel_morpho_market *market,
                                          const keel_morpho_position *position,
                                          keel_morpho_position_data *out)
{
    static const char fn[] = "keel_morpho_position_data_get";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_sized(out, fn, "out", "keel_morpho_position_data"));
    keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
    morpho_borrow_view v = {position->collateral, position->borrow_shares,
                            market->s.total_borrow_assets, market->s.total_borrow_shares};
    keel_morpho_revert r = morpho_convert(KEEL_MORPHO_TO_ASSETS_DOWN, position->supply_shares,
                                          market->s.total_supply_assets,
                                          market->s.total_supply_shares, &d.supply_assets);
    if (r == KEEL_MORPHO_OK)
        r = morpho_health(market->p.price, market->p.lltv, &v, &d.borrow_assets,
                          &d.collateral_value, &d.max_borrow, &d.health_factor);
    if (r != KEEL_MORPHO_OK && u256_is_zero(position->borrow_shares)) {
        /* _isHealthy returns true for no borrow shares before reading the
         * price: the values past 256 bits are saturated, the verdict stands */
        d.borrow_assets = u256_small(0);
        d.collateral_value = d.max_borrow = d.health_factor = keel_u256_max();
        r = KEEL_MORPHO_OK;
    }
    if (r != KEEL_MORPHO_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: _isHealthy reverts (%s): collateral · price is past 2^256",
                         fn, keel_morpho_revert_name(r));
    d.healthy = !u256_lt(d.max_borrow, d.borrow_assets);
    d.liquidatable = !d.healthy;
    keel_write_sized(out, &d, sizeof d);
    return KEEL_OK;
}
