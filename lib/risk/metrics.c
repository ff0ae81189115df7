/* An account's metrics and liquidation prices: a basket valued in a market
 * under a haircut model. Formulas are in include/keel/risk.h and
 * docs/concepts.md. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "keel/risk.h"

/* Sums over a basket's positions (numeraire). */
typedef struct sums {
    double collateral;   /* C  = sum q p */
    double borrowing;    /* BP = sum q p (1 - h_init) */
    double liquidation;  /* L  = sum q p (1 - h_maint) */
    double debt;         /* D  = sum d p */
    double weighted;     /* W  = sum d p b */
} sums;

static keel_status check_inputs(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, const keel_haircut_model *haircuts,
                                const char *fn)
{
    KEEL_TRY(keel_check_handle(basket, KEEL_TAG_BASKET, fn, "basket"));
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MARKET, fn, "market"));
    KEEL_TRY(keel_check_handle(haircuts, KEEL_TAG_HAIRCUT, fn, "haircuts"));
    if (options != NULL)
        /* No keel_options can exist yet, so any non-NULL pointer is foreign;
         * it is not read. */
        return keel_fail(KEEL_E_BAD_HANDLE,
                         "%s: options must be NULL: this release has no options books", fn);
    return KEEL_OK;
}

/* Values every position except those of asset `skip` (KEEL_ASSET_INVALID
 * skips nothing). Fails on an asset the market does not know, and on a sum
 * beyond the range of double. */
static keel_status value_positions(const keel_basket *basket, const keel_market *market,
                                   const keel_haircut_model *haircuts, keel_asset skip, sums *out,
                                   const char *fn)
{
    size_t n;
    const keel_position *pos = keel_basket_data(basket, &n);
    size_t assets = keel_market_size(market);
    sums s = { 0 };
    for (size_t k = 0; k < n; k++) {
        keel_asset a = pos[k].asset;
        if (a >= assets)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: the basket holds asset id %u, the market has %zu assets", fn,
                             (unsigned)a, assets);
        if (a == skip)
            continue;
        double p = keel_market_price_unchecked(market, a);
        keel_asset_terms t = keel_haircut_terms(haircuts, a);
        double cv = pos[k].collateral * p;
        double dv = pos[k].debt * p;
        s.collateral += cv;
        s.borrowing += cv * (1.0 - t.initial);
        s.liquidation += cv * (1.0 - t.maintenance);
        s.debt += dv;
        s.weighted += dv * t.borrow_factor;
    }
    if (!isfinite(s.collateral) || !isfinite(s.debt) || !isfinite(s.weighted))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the basket's value overflows a double", fn);
    *out = s;
    return KEEL_OK;
}

/* a / b for non-negative a, b with the conventions of keel_metrics:
 * b = 0 gives `if_zero` when a = 0 and +inf otherwise. */
static double ratio(double a, double b, double if_zero)
{
    if (b > 0.0)
        return a / b;
    return a > 0.0 ? INFINITY : if_zero;
}

keel_status keel_basket_metrics(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, const keel_haircut_model *haircuts,
                                keel_metrics *out)
{
    KEEL_TRY(check_inputs(basket, options, market, haircuts, __func__));
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (out->size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: out->size is %zu; set it to sizeof(keel_metrics) (%zu)", __func__,
                         out->size, sizeof(keel_metrics));
    sums s;
    KEEL_TRY(value_positions(basket, market, haircuts, KEEL_ASSET_INVALID, &s, __func__));

    keel_metrics m = { 0 };
    m.collateral_value = s.collateral;
    m.borrowing_power = s.borrowing;
    m.liquidation_value = s.liquidation;
    m.debt_value = s.debt;
    m.option_value = 0.0;
    m.option_margin = 0.0;
    m.weighted_debt = s.weighted + m.option_margin;
    m.health_factor = m.weighted_debt > 0.0 ? m.liquidation_value / m.weighted_debt : INFINITY;
    m.ltv = ratio(m.debt_value, m.collateral_value, 0.0);
    m.collateral_ratio = m.debt_value > 0.0 ? m.collateral_value / m.debt_value : INFINITY;
    m.capital_efficiency = ratio(m.weighted_debt, m.borrowing_power, 0.0);
    m.free_borrowing_power = m.borrowing_power - m.weighted_debt;
    m.liquidation_buffer = m.liquidation_value - m.weighted_debt;

    size_t size = out->size < sizeof m ? out->size : sizeof m;
    m.size = out->size;
    memcpy(out, &m, size);
    return KEEL_OK;
}

keel_status keel_basket_liquidation_price(const keel_basket *basket, const keel_options *options,
                                          const keel_market *market,
                                          const keel_haircut_model *haircuts, keel_asset asset,
                                          double *out_price, keel_liquidation_side *out_side)
{
    KEEL_TRY(check_inputs(basket, options, market, haircuts, __func__));
    KEEL_TRY(keel_check_ptr(out_price, __func__, "out_price"));
    if (asset >= keel_market_size(market))
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: asset id %u is not in the market (%zu assets)",
                         __func__, (unsigned)asset, keel_market_size(market));
    sums rest;
    KEEL_TRY(value_positions(basket, market, haircuts, asset, &rest, __func__));

    double q = 0.0, d = 0.0;
    KEEL_TRY(keel_basket_collateral(basket, asset, &q));
    KEEL_TRY(keel_basket_debt(basket, asset, &d));
    keel_asset_terms t = keel_haircut_terms(haircuts, asset);
    /* HF(p) = (L' + c p) / (W' + w p); HF = 1 at p* = (W' - L') / (c - w). */
    double c = q * (1.0 - t.maintenance);
    double w = d * t.borrow_factor;
    double gap = rest.weighted - rest.liquidation;
    double slope = c - w;

    keel_liquidation_side side;
    double price = 0.0;
    if (slope == 0.0) {
        /* Both sides move by the same c p: HF < 1 iff L' < W', whatever p is. */
        side = gap > 0.0 ? KEEL_LIQ_ALWAYS : KEEL_LIQ_NEVER;
    } else {
        double p = gap / slope;
        if (!isfinite(p))
            return keel_fail(KEEL_E_OVERFLOW, "%s: the liquidation price overflows a double",
                             __func__);
        if (p > 0.0) {
            side = slope > 0.0 ? KEEL_LIQ_BELOW : KEEL_LIQ_ABOVE;
            price = p;
        } else if (slope > 0.0) {
            /* HF rises with p and is >= 1 already at p = 0. */
            side = KEEL_LIQ_NEVER;
        } else {
            /* HF falls with p and is <= 1 already as p -> 0: below 1 at every
             * positive price. */
            side = KEEL_LIQ_ALWAYS;
        }
    }
    *out_price = price;
    if (out_side)
        *out_side = side;
    return KEEL_OK;
}
