/* Compound v3 (Comet) market and account handles, index accrual, present
 * and principal values, and the liquidity behind isBorrowCollateralized and
 * isLiquidatable. Source: compound-finance/comet at commit
 * d5a30b0aaeff7755f1431e87f818990902237b03; each function names the
 * contract and function it follows. keel's own C, no code carried over. */
#include <string.h>

#include "core/core_internal.h"
#include "protocol/comet_internal.h"

#define CHECK_MARKET(m) KEEL_TRY(keel_check_handle((m), KEEL_TAG_COMET_MARKET, __func__, "market"))
#define CHECK_ACCOUNT(a) \
    KEEL_TRY(keel_check_handle((a), KEEL_TAG_COMET_ACCOUNT, __func__, "account"))

KEEL_DEFINE_PARAMS_INIT(keel_comet_base, KEEL_COMET_BASE_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_comet_asset, KEEL_COMET_ASSET_INIT)

const comet_px COMET_NO_PX = {UINT32_MAX - 1, {{0, 0, 0, 0}}}; /* no asset, and not the base */

static const keel_u256 INDEX_SCALE = {{1000000000000000ull, 0, 0, 0}}; /* BASE_INDEX_SCALE */
#define FACTOR COMET_FACTOR
static const uint64_t DESCALE = 100000000000000ull;                   /* FACTOR_SCALE / 1e4 */
static const uint64_t SECONDS_PER_YEAR = 31536000u;

/* ---- signed values ---- */

/* 2^k for k < 256 */
static keel_u256 pow2(unsigned k)
{
    keel_u256 r = {{0, 0, 0, 0}};
    r.w[k / 64] = 1ull << (k % 64);
    return r;
}

keel_comet_int comet_int(keel_u256 magnitude, bool negative)
{
    keel_comet_int r = {magnitude, negative && !u256_is_zero(magnitude), 0};
    return r;
}

/* int256's range: magnitude <= 2^255 − 1, or 2^255 when negative. */
static bool fits_int256(keel_u256 mag, bool neg)
{
    if (comet_below_bits(mag, 255))
        return true;
    return neg && u256_cmp(mag, pow2(255)) == 0;
}

bool comet_int_add(keel_comet_int a, keel_comet_int b, keel_comet_int *r)
{
    bool an = comet_is_neg(a), bn = comet_is_neg(b);
    keel_u256 m;
    bool neg;
    if (an == bn) {
        if (u256_add(a.magnitude, b.magnitude, &m))
            return true;
        neg = an;
    } else if (u256_cmp(a.magnitude, b.magnitude) >= 0) {
        u256_sub(a.magnitude, b.magnitude, &m);
        neg = an;
    } else {
        u256_sub(b.magnitude, a.magnitude, &m);
        neg = bn;
    }
    if (!fits_int256(m, neg))
        return true;
    *r = comet_int(m, neg);
    return false;
}

int comet_int_cmp(keel_comet_int a, keel_comet_int b)
{
    bool an = comet_is_neg(a), bn = comet_is_neg(b);
    if (an != bn)
        return an ? -1 : 1;
    int c = u256_cmp(a.magnitude, b.magnitude);
    return an ? -c : c;
}

/* ---- CometCore: present and principal values ---- */

/* CometCore.presentValue (presentValueSupply / presentValueBorrow):
 * principal · index / BASE_INDEX_SCALE, floored, the sign kept. A uint104
 * times a uint64 cannot overflow 256 bits. */
keel_comet_revert comet_present(const keel_comet_market *m, keel_comet_int principal,
                                keel_comet_int *out)
{
    bool neg = comet_is_neg(principal);
    keel_u256 p;
    u256_mul(principal.magnitude, u256_small(neg ? m->base.borrow_index : m->base.supply_index),
             &p);
    *out = comet_int(u256_div(p, INDEX_SCALE), neg);
    return KEEL_COMET_OK;
}

/* CometCore.principalValue: principalValueSupply ⌊v · 1e15 / supplyIndex⌋
 * for v >= 0, principalValueBorrow ⌈|v| · 1e15 / borrowIndex⌉ below, then
 * safe104 (InvalidUInt104) and signed104 (InvalidInt104). */
keel_comet_revert comet_principal(const keel_comet_market *m, keel_comet_int present,
                                  keel_comet_int *out)
{
    bool neg = comet_is_neg(present);
    keel_u256 x;
    if (u256_mul(present.magnitude, INDEX_SCALE, &x))
        return KEEL_COMET_ARITHMETIC;
    uint64_t idx = neg ? m->base.borrow_index : m->base.supply_index;
    if (neg && u256_add(x, u256_small(idx - 1), &x))
        return KEEL_COMET_ARITHMETIC;
    keel_u256 q = u256_div(x, u256_small(idx));
    if (!comet_below_bits(q, 104))
        return KEEL_COMET_INVALID_UINT104;
    if (!comet_below_bits(q, 103))
        return KEEL_COMET_INVALID_INT104;
    *out = comet_int(q, neg);
    return KEEL_COMET_OK;
}

/* ---- liquidity ---- */

/* Comet.signedMulPrice: n · signed256(price) / int256(fromScale), int256
 * checked, the division truncating toward zero (a debt's value rounds
 * toward 0). */
static bool signed_mul_price(keel_comet_int n, keel_u256 price, keel_u256 scale,
                             keel_comet_int *out)
{
    keel_u256 p;
    if (u256_mul(n.magnitude, price, &p) || !fits_int256(p, comet_is_neg(n)))
        return true;
    *out = comet_int(u256_div(p, scale), comet_is_neg(n));
    return false;
}

static keel_u256 price_of(const keel_comet_market *m, uint32_t i, comet_px px)
{
    return px.asset == i ? px.price : m->assets[i].p.price;
}

/* Comet.isBorrowCollateralized / isLiquidatable: presentValue(principal)
 * valued by signedMulPrice, then per asset in assetsIn (a balance not 0)
 * mulFactor(mulPrice(balance, price, scale), factor) checked by signed256.
 * Both sums are computed in full. */
keel_status comet_eval(const keel_comet_market *m, keel_comet_int principal, const keel_u256 *bal,
                       comet_px px, comet_liq *out)
{
    comet_liq r;
    memset(&r, 0, sizeof r);
    r.complete = true;
    comet_present(m, principal, &r.pv);
    keel_u256 bp = px.asset == KEEL_COMET_BASE_ID ? px.price : m->base.price;
    if (signed_mul_price(r.pv, bp, m->base_scale, &r.base_value)) {
        if (comet_is_neg(principal))
            return KEEL_E_OVERFLOW; /* both views compute it */
        /* a supply: the views return before valuing it */
        r.base_value = comet_int(u256_small(0), false);
        r.complete = false;
        *out = r;
        return KEEL_OK;
    }
    for (size_t i = 0; i < m->count; i++) {
        if (u256_is_zero(bal[i]))
            continue;
        const comet_asset_state *s = &m->assets[i];
        keel_u256 v, b, l, coll, bcv, lcv;
        if (comet_mul_price(bal[i], price_of(m, (uint32_t)i, px), s->scale, &v) ||
            comet_mul_factor(v, s->p.borrow_collateral_factor, &b) ||
            comet_mul_factor(v, s->p.liquidate_collateral_factor, &l) || !comet_below_bits(b, 255) ||
            !comet_below_bits(l, 255) || u256_add(r.coll, v, &coll) || u256_add(r.bcv, b, &bcv) ||
            u256_add(r.lcv, l, &lcv)) {
            /* does a view reach this asset? only while its running sum is < 0 */
            keel_comet_int run;
            comet_int_add(r.base_value, comet_int(r.lcv, false), &run); /* < 2^255: no overflow */
            if (comet_is_neg(run))
                return KEEL_E_OVERFLOW;
            comet_int_add(r.base_value, comet_int(r.bcv, false), &run);
            r.borrow_reverts = comet_is_neg(run);
            r.complete = false;
            break;
        }
        r.coll = coll, r.bcv = bcv, r.lcv = lcv;
    }
    keel_comet_int t;
    if (comet_int_add(r.base_value, comet_int(r.bcv, false), &t) ||
        comet_int_add(r.base_value, comet_int(r.lcv, false), &t))
        return KEEL_E_OVERFLOW;
    *out = r;
    return KEEL_OK;
}

/* Comet.getReserves: balance − presentValueSupply(totalSupplyBase) +
 * presentValueBorrow(totalBorrowBase) (the market taken as accrued). */
keel_comet_int comet_reserves(const keel_comet_market *m, keel_u256 total_supply_base,
                              keel_u256 total_borrow_base)
{
    keel_comet_int s, b, r;
    comet_present(m, comet_int(total_supply_base, false), &s);
    comet_present(m, comet_int(total_borrow_base, true), &b);
    /* balance < 2^254 and totals < 2^168: no overflow */
    comet_int_add(comet_int(m->base.base_balance, false), comet_int(s.magnitude, true), &r);
    comet_int_add(r, comet_int(b.magnitude, false), &r);
    return r;
}

/* ---- market ---- */

static keel_status check_price(keel_u256 p, const char *fn, const char *what)
{
    if (u256_is_zero(p) || !comet_below_bits(p, 255))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: %s price is %s; a feed answer is 1 .. 2^255 − 1 (getPrice reverts "
                         "BadPrice at 0)",
                         fn, what, u256_is_zero(p) ? "0" : "2^255 or more");
    return KEEL_OK;
}

static keel_status check_bits(keel_u256 v, unsigned bits, const char *fn, const char *name)
{
    if (!comet_below_bits(v, bits))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s is 2^%u or more, wider than the contract stores",
                         fn, name, bits);
    return KEEL_OK;
}

/* Comet's constructor: decimals <= MAX_BASE_DECIMALS and baseScale >=
 * BASE_ACCRUAL_SCALE (BadDecimals), storeFrontPriceFactor <= FACTOR_SCALE
 * (BadDiscount); CometStorage's widths. */
static keel_status read_base(const keel_comet_base *in, keel_comet_base *b, const char *fn)
{
    KEEL_TRY(keel_check_sized(in, fn, "base", "keel_comet_base"));
    keel_comet_base d = KEEL_COMET_BASE_INIT;
    keel_read_sized(&d, sizeof d, in);
    if (d.decimals < 6 || d.decimals > 18)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: base decimals is %u; the constructor takes 6..18 (BadDecimals)", fn,
                         d.decimals);
    if (d.pause_flags & ~31u)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: pause_flags 0x%x hold unknown bits", fn,
                         d.pause_flags);
    KEEL_TRY(check_price(d.price, fn, "the base"));
    if (d.supply_index == 0 || d.borrow_index == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s is 0 (an index starts at 1e15)", fn,
                         d.supply_index == 0 ? "supply_index" : "borrow_index");
    if (d.last_accrual_time >= (1ull << 40))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: last_accrual_time is 2^40 or more (uint40)", fn);
    KEEL_TRY(check_bits(d.total_supply_base, 104, fn, "total_supply_base"));
    KEEL_TRY(check_bits(d.total_borrow_base, 104, fn, "total_borrow_base"));
    KEEL_TRY(check_bits(d.base_borrow_min, 104, fn, "base_borrow_min"));
    KEEL_TRY(check_bits(d.target_reserves, 104, fn, "target_reserves"));
    if (!comet_below_bits(d.base_balance, 254))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: base_balance is 2^254 or more", fn);
    if (d.store_front_price_factor > 1000000000000000000ull)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: store_front_price_factor %llu is above 1e18 (BadDiscount)", fn,
                         (unsigned long long)d.store_front_price_factor);
    d.size = sizeof d;
    *b = d;
    return KEEL_OK;
}

static void install_base(keel_comet_market *m, const keel_comet_base *b)
{
    m->base = *b;
    m->base_scale = u256_pow10(b->decimals);
    /* Comet's constructor: per-year / SECONDS_PER_YEAR */
    m->s_low = b->supply_per_year_interest_rate_slope_low / SECONDS_PER_YEAR;
    m->s_high = b->supply_per_year_interest_rate_slope_high / SECONDS_PER_YEAR;
    m->s_base = b->supply_per_year_interest_rate_base / SECONDS_PER_YEAR;
    m->b_low = b->borrow_per_year_interest_rate_slope_low / SECONDS_PER_YEAR;
    m->b_high = b->borrow_per_year_interest_rate_slope_high / SECONDS_PER_YEAR;
    m->b_base = b->borrow_per_year_interest_rate_base / SECONDS_PER_YEAR;
}

keel_status keel_comet_market_new(const char *base_symbol, const keel_comet_base *base,
                                  keel_comet_market **out)
{
    KEEL_TRY(keel_check_symbol(base_symbol, __func__));
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_comet_base b;
    KEEL_TRY(read_base(base, &b, __func__));
    keel_comet_market *m = keel_handle_alloc(sizeof *m, KEEL_TAG_COMET_MARKET);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    strcpy(m->base_symbol, base_symbol);
    install_base(m, &b);
    *out = m;
    return KEEL_OK;
}

void keel_comet_market_free(keel_comet_market *market)
{
    if (keel_handle_is(market, KEEL_TAG_COMET_MARKET))
        keel_handle_release(market);
}

keel_status keel_comet_market_clone(const keel_comet_market *market, keel_comet_market **out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_comet_market *m = keel_handle_alloc(sizeof *m, KEEL_TAG_COMET_MARKET);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    memcpy(m, market, sizeof *m);
    *out = m;
    return KEEL_OK;
}

size_t keel_comet_market_size(const keel_comet_market *market)
{
    return keel_handle_is(market, KEEL_TAG_COMET_MARKET) ? market->count : 0;
}

keel_status comet_check_asset(const keel_comet_market *m, uint32_t id, const char *fn)
{
    if (id >= m->count)
        return keel_fail(KEEL_E_UNKNOWN_ASSET,
                         "%s: asset %u is not a collateral asset of the market (it has %zu)", fn,
                         id, m->count);
    return KEEL_OK;
}

/* Comet.getPackedAssetInternal's checks (borrowCollateralFactor <
 * liquidateCollateralFactor: BorrowCFTooLarge; liquidateCollateralFactor <=
 * MAX_COLLATERAL_FACTOR: LiquidateCFTooLarge; the same strict order after
 * the cut to four decimals) and its packing, read back as getAssetInfo
 * does: each factor ⌊f / 1e14⌋ · 1e14, the cap uint64(cap / 10^decimals) ·
 * 10^decimals. keel also requires liquidationFactor <= 1e18 and the cap's
 * whole tokens below 2^64 (the packing would wrap them). */
static keel_status read_asset(const keel_comet_asset *in, keel_comet_asset *a, const char *fn)
{
    KEEL_TRY(keel_check_sized(in, fn, "asset", "keel_comet_asset"));
    keel_comet_asset d = KEEL_COMET_ASSET_INIT;
    keel_read_sized(&d, sizeof d, in);
    if (d.decimals > 18)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset decimals is %u, above 18", fn,
                         d.decimals);
    if (d.reserved != 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: reserved is %u, must be 0", fn, d.reserved);
    KEEL_TRY(check_price(d.price, fn, "the asset's"));
    if (d.borrow_collateral_factor >= d.liquidate_collateral_factor)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: borrow_collateral_factor %llu is not below "
                         "liquidate_collateral_factor %llu (BorrowCFTooLarge)",
                         fn, (unsigned long long)d.borrow_collateral_factor,
                         (unsigned long long)d.liquidate_collateral_factor);
    if (d.liquidate_collateral_factor > 1000000000000000000ull)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: liquidate_collateral_factor %llu is above 1e18 (LiquidateCFTooLarge)",
                         fn, (unsigned long long)d.liquidate_collateral_factor);
    if (d.borrow_collateral_factor / DESCALE >= d.liquidate_collateral_factor / DESCALE)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: borrow_collateral_factor and liquidate_collateral_factor are equal "
                         "to four decimals (BorrowCFTooLarge after the packing)",
                         fn);
    if (d.liquidation_factor > 1000000000000000000ull)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: liquidation_factor %llu is above 1e18 (quoteCollateral would "
                         "underflow)",
                         fn, (unsigned long long)d.liquidation_factor);
    KEEL_TRY(check_bits(d.supply_cap, 128, fn, "supply_cap"));
    KEEL_TRY(check_bits(d.total_supply_asset, 128, fn, "total_supply_asset"));
    keel_u256 scale = u256_pow10(d.decimals);
    keel_u256 whole = u256_div(d.supply_cap, scale);
    if (!comet_below_bits(whole, 64))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: supply_cap is 2^64 whole tokens or more (the packing wraps it)", fn);
    u256_mul(whole, scale, &d.supply_cap);
    d.borrow_collateral_factor = d.borrow_collateral_factor / DESCALE * DESCALE;
    d.liquidate_collateral_factor = d.liquidate_collateral_factor / DESCALE * DESCALE;
    d.liquidation_factor = d.liquidation_factor / DESCALE * DESCALE;
    d.size = sizeof d;
    *a = d;
    return KEEL_OK;
}

static void install_asset(comet_asset_state *s, const keel_comet_asset *a)
{
    s->p = *a;
    s->scale = u256_pow10(a->decimals);
}

keel_status keel_comet_market_add_asset(keel_comet_market *market, const char *symbol,
                                        const keel_comet_asset *asset, uint32_t *out_id)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_symbol(symbol, __func__));
    KEEL_TRY(keel_check_ptr(out_id, __func__, "out_id"));
    keel_comet_asset a;
    KEEL_TRY(read_asset(asset, &a, __func__));
    if (market->count >= KEEL_COMET_MAX_ASSETS)
        return keel_fail(KEEL_E_OVERFLOW, "%s: the market already has %d assets", __func__,
                         KEEL_COMET_MAX_ASSETS);
    if (strcmp(market->base_symbol, symbol) == 0)
        return keel_fail(KEEL_E_DUPLICATE, "%s: symbol \"%s\" is the base asset's", __func__,
                         symbol);
    for (size_t i = 0; i < market->count; i++)
        if (strcmp(market->assets[i].symbol, symbol) == 0)
            return keel_fail(KEEL_E_DUPLICATE, "%s: symbol \"%s\" is already asset %zu", __func__,
                             symbol, i);
    comet_asset_state *s = &market->assets[market->count];
    memset(s, 0, sizeof *s);
    strcpy(s->symbol, symbol);
    install_asset(s, &a);
    *out_id = (uint32_t)market->count++;
    return KEEL_OK;
}

keel_status keel_comet_market_set_asset(keel_comet_market *market, uint32_t id,
                                        const keel_comet_asset *asset)
{
    CHECK_MARKET(market);
    KEEL_TRY(comet_check_asset(market, id, __func__));
    keel_comet_asset a;
    KEEL_TRY(read_asset(asset, &a, __func__));
    install_asset(&market->assets[id], &a);
    return KEEL_OK;
}

keel_status keel_comet_market_asset(const keel_comet_market *market, uint32_t id,
                                    keel_comet_asset *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_comet_asset"));
    KEEL_TRY(comet_check_asset(market, id, __func__));
    keel_write_sized(out, &market->assets[id].p, sizeof(keel_comet_asset));
    return KEEL_OK;
}

keel_status keel_comet_market_set_base(keel_comet_market *market, const keel_comet_base *base)
{
    CHECK_MARKET(market);
    keel_comet_base b;
    KEEL_TRY(read_base(base, &b, __func__));
    install_base(market, &b);
    return KEEL_OK;
}

keel_status keel_comet_market_base(const keel_comet_market *market, keel_comet_base *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_comet_base"));
    keel_write_sized(out, &market->base, sizeof(keel_comet_base));
    return KEEL_OK;
}

keel_status keel_comet_market_set_price(keel_comet_market *market, uint32_t id, keel_u256 price)
{
    CHECK_MARKET(market);
    if (id != KEEL_COMET_BASE_ID)
        KEEL_TRY(comet_check_asset(market, id, __func__));
    KEEL_TRY(check_price(price, __func__, id == KEEL_COMET_BASE_ID ? "the base" : "the asset's"));
    if (id == KEEL_COMET_BASE_ID)
        market->base.price = price;
    else
        market->assets[id].p.price = price;
    return KEEL_OK;
}

keel_status keel_comet_market_find(const keel_comet_market *market, const char *symbol,
                                   uint32_t *out_id)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(symbol, __func__, "symbol"));
    KEEL_TRY(keel_check_ptr(out_id, __func__, "out_id"));
    for (size_t i = 0; i < market->count; i++)
        if (strcmp(market->assets[i].symbol, symbol) == 0) {
            *out_id = (uint32_t)i;
            return KEEL_OK;
        }
    return keel_fail(KEEL_E_NOT_FOUND, "%s: no collateral asset has symbol \"%.*s\"", __func__,
                     KEEL_SYMBOL_MAX + 1, symbol);
}

/* ---- rates and accrual ---- */

/* Comet.getUtilization: totalBorrow · FACTOR_SCALE / totalSupply, 0 without supply. */
static keel_u256 utilization(const keel_comet_market *m, keel_u256 *ts, keel_u256 *tb)
{
    keel_comet_int s, b;
    comet_present(m, comet_int(m->base.total_supply_base, false), &s);
    comet_present(m, comet_int(m->base.total_borrow_base, true), &b);
    *ts = s.magnitude;
    *tb = b.magnitude;
    if (u256_is_zero(s.magnitude))
        return u256_small(0);
    keel_u256 p;
    u256_mul(b.magnitude, FACTOR, &p); /* < 2^168 · 2^60 */
    return u256_div(p, s.magnitude);
}

/* Comet.getSupplyRate / getBorrowRate: base + mulFactor(low, u) up to the
 * kink, base + mulFactor(low, kink) + mulFactor(high, u − kink) above, then
 * safe64. */
static keel_comet_revert rate(uint64_t kink, uint64_t base, uint64_t low, uint64_t high,
                              keel_u256 u, uint64_t *out)
{
    keel_u256 r = u256_small(base), t;
    if (u256_cmp(u, u256_small(kink)) <= 0) {
        if (comet_mul_factor(u, low, &t) || u256_add(r, t, &r))
            return KEEL_COMET_ARITHMETIC;
    } else {
        keel_u256 over;
        u256_sub(u, u256_small(kink), &over);
        if (comet_mul_factor(u256_small(kink), low, &t) || u256_add(r, t, &r) ||
            comet_mul_factor(over, high, &t) || u256_add(r, t, &r))
            return KEEL_COMET_ARITHMETIC;
    }
    if (!comet_below_bits(r, 64))
        return KEEL_COMET_INVALID_UINT64;
    *out = r.w[0];
    return KEEL_COMET_OK;
}

static keel_comet_revert rates_of(const keel_comet_market *m, keel_comet_rates *r)
{
    keel_u256 u = utilization(m, &r->total_supply, &r->total_borrow);
    r->utilization = u;
    keel_comet_revert e = rate(m->base.supply_kink, m->s_base, m->s_low, m->s_high, u,
                               &r->supply_rate);
    if (e == KEEL_COMET_OK)
        e = rate(m->base.borrow_kink, m->b_base, m->b_low, m->b_high, u, &r->borrow_rate);
    r->reserves = comet_reserves(m, m->base.total_supply_base, m->base.total_borrow_base);
    return e;
}

keel_status keel_comet_market_rates(const keel_comet_market *market, keel_comet_rates *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_comet_rates"));
    keel_comet_rates r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    keel_comet_revert e = rates_of(market, &r);
    if (e != KEEL_COMET_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: a rate reverts (%s)", __func__,
                         keel_comet_revert_name(e));
    keel_write_sized(out, &r, sizeof r);
    return KEEL_OK;
}

/* index + safe64(mulFactor(index, rate · elapsed)), the uint64 addition checked. */
static keel_comet_revert grow(uint64_t *index, uint64_t rate_, uint64_t dt)
{
    keel_u256 x, d;
    u256_mul(u256_small(rate_), u256_small(dt), &x); /* < 2^64 · 2^40 */
    if (comet_mul_factor(x, *index, &d)) /* mulFactor(index, rate · elapsed), commuted */
        return KEEL_COMET_ARITHMETIC;
    if (!comet_below_bits(d, 64))
        return KEEL_COMET_INVALID_UINT64;
    if (*index + d.w[0] < *index)
        return KEEL_COMET_ARITHMETIC;
    *index += d.w[0];
    return KEEL_COMET_OK;
}

/* Comet.accrueInternal / accruedInterestIndices. */
keel_status keel_comet_market_accrue(keel_comet_market *market, uint64_t timestamp)
{
    CHECK_MARKET(market);
    if (timestamp >= (1ull << 40))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: timestamp is 2^40 or more (TimestampTooLarge)",
                         __func__);
    if (timestamp < market->base.last_accrual_time)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: timestamp %llu is before last_accrual_time %llu",
                         __func__, (unsigned long long)timestamp,
                         (unsigned long long)market->base.last_accrual_time);
    uint64_t dt = timestamp - market->base.last_accrual_time;
    if (dt == 0)
        return KEEL_OK;
    keel_comet_rates r;
    keel_comet_revert e = rates_of(market, &r);
    uint64_t si = market->base.supply_index, bi = market->base.borrow_index;
    if (e == KEEL_COMET_OK)
        e = grow(&si, r.supply_rate, dt);
    if (e == KEEL_COMET_OK)
        e = grow(&bi, r.borrow_rate, dt);
    if (e != KEEL_COMET_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: accruing over %llu s reverts (%s)", __func__,
                         (unsigned long long)dt, keel_comet_revert_name(e));
    market->base.supply_index = si;
    market->base.borrow_index = bi;
    market->base.last_accrual_time = timestamp;
    return KEEL_OK;
}

/* ---- account ---- */

keel_status keel_comet_account_new(keel_comet_account **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_comet_account *a = keel_handle_alloc(sizeof *a, KEEL_TAG_COMET_ACCOUNT);
    if (a == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    *out = a;
    return KEEL_OK;
}

void keel_comet_account_free(keel_comet_account *account)
{
    if (keel_handle_is(account, KEEL_TAG_COMET_ACCOUNT))
        keel_handle_release(account);
}

keel_status keel_comet_account_clone(const keel_comet_account *account, keel_comet_account **out)
{
    CHECK_ACCOUNT(account);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_comet_account *a = keel_handle_alloc(sizeof *a, KEEL_TAG_COMET_ACCOUNT);
    if (a == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    memcpy(a, account, sizeof *a);
    *out = a;
    return KEEL_OK;
}

/* int104: −2^103 .. 2^103 − 1 */
static bool fits_int104(keel_comet_int v)
{
    if (comet_below_bits(v.magnitude, 103))
        return true;
    return comet_is_neg(v) && u256_cmp(v.magnitude, pow2(103)) == 0;
}

keel_status keel_comet_account_set_principal(keel_comet_account *account, keel_comet_int principal)
{
    CHECK_ACCOUNT(account);
    if (!fits_int104(principal))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: the principal is outside int104 (-2^103 .. 2^103 - 1)", __func__);
    account->principal = comet_int(principal.magnitude, comet_is_neg(principal));
    return KEEL_OK;
}

keel_status keel_comet_account_principal(const keel_comet_account *account, keel_comet_int *out)
{
    CHECK_ACCOUNT(account);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    *out = account->principal;
    return KEEL_OK;
}

keel_status keel_comet_account_set_collateral(keel_comet_account *account,
                                              const keel_comet_market *market, uint32_t asset,
                                              keel_u256 balance)
{
    CHECK_ACCOUNT(account);
    CHECK_MARKET(market);
    KEEL_TRY(comet_check_asset(market, asset, __func__));
    if (!comet_below_bits(balance, 128))
        return keel_fail(KEEL_E_OVERFLOW, "%s: a balance of 2^128 or more is wider than uint128",
                         __func__);
    account->balance[asset] = balance;
    return KEEL_OK;
}

keel_status keel_comet_account_collateral(const keel_comet_account *account, uint32_t asset,
                                          keel_u256 *out)
{
    CHECK_ACCOUNT(account);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (asset >= KEEL_COMET_MAX_ASSETS)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: asset %u is past the %d a market holds",
                         __func__, asset, KEEL_COMET_MAX_ASSETS);
    *out = account->balance[asset];
    return KEEL_OK;
}

keel_status comet_check(const keel_comet_market *m, const keel_comet_account *a, const char *fn)
{
    KEEL_TRY(keel_check_handle(m, KEEL_TAG_COMET_MARKET, fn, "market"));
    KEEL_TRY(keel_check_handle(a, KEEL_TAG_COMET_ACCOUNT, fn, "account"));
    for (size_t i = m->count; i < KEEL_COMET_MAX_ASSETS; i++)
        if (!u256_is_zero(a->balance[i]))
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: the account holds asset %zu; the market has %zu assets", fn, i,
                             m->count);
    return KEEL_OK;
}

/* ---- views ---- */

keel_status keel_comet_present_value(const keel_comet_market *market, keel_comet_int principal,
                                     keel_comet_int *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (!fits_int104(principal))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the principal is outside int104", __func__);
    comet_present(market, principal, out);
    return KEEL_OK;
}

keel_status keel_comet_principal_value(const keel_comet_market *market, keel_comet_int present,
                                       keel_comet_int *out)
{
    CHECK_MARKET(market);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_comet_int r;
    keel_comet_revert e = comet_principal(market, present, &r);
    if (e != KEEL_COMET_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: principalValue reverts (%s)", __func__,
                         keel_comet_revert_name(e));
    *out = r;
    return KEEL_OK;
}

keel_status keel_comet_account_liquidity(const keel_comet_market *market,
                                         const keel_comet_account *account,
                                         keel_comet_account_data *out)
{
    KEEL_TRY(comet_check(market, account, __func__));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_comet_account_data"));
    comet_liq l;
    if (comet_eval(market, account->principal, account->balance, COMET_NO_PX, &l) != KEEL_OK ||
        l.borrow_reverts)
        return keel_fail(KEEL_E_OVERFLOW, "%s: a value passes 256 bits (the contract reverts)",
                         __func__);
    keel_comet_account_data d;
    memset(&d, 0, sizeof d);
    d.size = sizeof d;
    d.present_value = l.pv;
    d.base_value = l.base_value;
    d.collateral_value = l.coll;
    d.borrow_collateral_value = l.bcv;
    d.liquidate_collateral_value = l.lcv;
    comet_int_add(l.base_value, comet_int(l.bcv, false), &d.borrow_liquidity);
    comet_int_add(l.base_value, comet_int(l.lcv, false), &d.liquidation_liquidity);
    bool neg = comet_is_neg(account->principal);
    d.is_borrow_collateralized = !neg || !comet_is_neg(d.borrow_liquidity);
    d.is_liquidatable = neg && comet_is_neg(d.liquidation_liquidity);
    d.complete = l.complete;
    keel_write_sized(out, &d, sizeof d);
    return KEEL_OK;
}

const char *keel_comet_revert_name(keel_comet_revert reason)
{
    switch (reason) {
    case KEEL_COMET_OK: return "";
    case KEEL_COMET_PAUSED: return "Paused";
    case KEEL_COMET_NOT_LIQUIDATABLE: return "NotLiquidatable";
    case KEEL_COMET_NOT_FOR_SALE: return "NotForSale";
    case KEEL_COMET_TOO_MUCH_SLIPPAGE: return "TooMuchSlippage";
    case KEEL_COMET_INSUFFICIENT_RESERVES: return "InsufficientReserves";
    case KEEL_COMET_BORROW_TOO_SMALL: return "BorrowTooSmall";
    case KEEL_COMET_NOT_COLLATERALIZED: return "NotCollateralized";
    case KEEL_COMET_SUPPLY_CAP_EXCEEDED: return "SupplyCapExceeded";
    case KEEL_COMET_INVALID_UINT64: return "InvalidUInt64";
    case KEEL_COMET_INVALID_UINT104: return "InvalidUInt104";
    case KEEL_COMET_INVALID_UINT128: return "InvalidUInt128";
    case KEEL_COMET_INVALID_INT104: return "InvalidInt104";
    case KEEL_COMET_INVALID_INT256: return "InvalidInt256";
    case KEEL_COMET_ARITHMETIC: return "Panic(0x11): arithmetic overflow or underflow";
    case KEEL_COMET_DIVISION_BY_ZERO: return "Panic(0x12): division by zero";
    }
    return "unknown revert";
}
