/* An account's metrics, liquidation prices and haircut breakdown. Formulas
 * are in include/keel/risk.h and docs/concepts.md. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "breakpoints.h"
#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "options/options_internal.h"
#include "kernel.h"
#include "risk_internal.h"

keel_status keel_risk_metrics(const keel_basket *basket, const keel_options *options,
                              const keel_market *market, const keel_haircut_model *haircuts,
                              keel_metrics *out, const char *fn)
{
    keel_risk_sums s;
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    KEEL_TRY(keel_risk_evaluate(basket, options, market, haircuts, &req, &s, fn));

    keel_kernel_metrics(&s, out);
    return KEEL_OK;
}

keel_status keel_basket_metrics(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, const keel_haircut_model *haircuts,
                                keel_metrics *out)
{
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, __func__));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_metrics"));
    keel_metrics m;
    KEEL_TRY(keel_risk_metrics(basket, options, market, haircuts, &m, __func__));
    keel_write_sized(out, &m, sizeof m);
    return KEEL_OK;
}

keel_status keel_risk_breakdown(const keel_haircut_model *model, const keel_basket *basket,
                                const keel_market *market, keel_asset asset,
                                keel_haircut_components *out, const char *fn)
{
    keel_haircut_components c;
    memset(&c, 0, sizeof c);
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.explain_asset = asset;
    req.explain = &c;
    keel_risk_sums s;
    KEEL_TRY(keel_risk_evaluate(basket, NULL, market, model, &req, &s, fn));
    c.size = sizeof c;
    *out = c;
    return KEEL_OK;
}

keel_status keel_haircut_breakdown(const keel_haircut_model *model, const keel_basket *basket,
                                   const keel_market *market, keel_asset asset,
                                   keel_haircut_components *out)
{
    KEEL_TRY(keel_risk_check_inputs(basket, NULL, market, model, __func__));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_haircut_components"));
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    keel_haircut_components c;
    KEEL_TRY(keel_risk_breakdown(model, basket, market, asset, &c, __func__));
    keel_write_sized(out, &c, sizeof c);
    return KEEL_OK;
}

/* ---- liquidation price ---- */

/* The account's sums with the asset's price at p. */
static keel_status sums_at(const keel_basket *basket, const keel_options *options,
                           const keel_market *market, const keel_haircut_model *haircuts,
                           keel_asset asset, double p, keel_risk_sums *s, const char *fn)
{
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.override_asset = asset;
    req.override_price = p;
    return keel_risk_evaluate(basket, options, market, haircuts, &req, s, fn);
}

/* Whether the account is liquidatable with the asset at price p, decided
 * exactly as keel_basket_metrics() decides it: HF = L / W < 1. */
static keel_status liquidatable_at(const keel_basket *basket, const keel_options *options,
                                   const keel_market *market, const keel_haircut_model *haircuts,
                                   keel_asset asset, double p, bool *out, const char *fn)
{
    keel_risk_sums s;
    KEEL_TRY(sums_at(basket, options, market, haircuts, asset, p, &s, fn));
    double w = s.weighted + s.option_margin;
    *out = w > 0.0 && s.liquidation / w < 1.0;
    return KEEL_OK;
}

/* A crossing computed in floating point can land an ulp or two on either
 * side of the boundary the engine's own rounding draws. Moves *p, a few ulps
 * at most (64), to the last price on the healthy side: HF(*p) >= 1, and one
 * ulp further (away from `healthy_up`'s direction) the account is
 * liquidatable. healthy_up: the healthy side lies at higher prices. */
static keel_status snap_to_boundary(const keel_basket *basket, const keel_options *options,
                                    const keel_market *market, const keel_haircut_model *haircuts,
                                    keel_asset asset, bool healthy_up, double *p, const char *fn)
{
    double to_healthy = healthy_up ? INFINITY : 0.0, to_liq = healthy_up ? 0.0 : INFINITY;
    double x = *p;
    bool liq = true;
    for (int i = 0; i < 64 && liq; i++) {
        KEEL_TRY(liquidatable_at(basket, options, market, haircuts, asset, x, &liq, fn));
        if (liq) {
            double next = nextafter(x, to_healthy);
            if (!(next > 0.0 && next < INFINITY))
                return KEEL_OK;
            x = next;
        }
    }
    if (liq)
        return KEEL_OK; /* not a boundary within reach of rounding: leave it */
    for (int i = 0; i < 64; i++) {
        double next = nextafter(x, to_liq);
        if (!(next > 0.0 && next < INFINITY))
            break;
        KEEL_TRY(liquidatable_at(basket, options, market, haircuts, asset, next, &liq, fn));
        if (liq)
            break;
        x = next;
    }
    *p = x;
    return KEEL_OK;
}

/* Closed form when haircuts do not depend on quantities or prices:
 * HF(p) = (L' + c p) / (W' + w p), HF = 1 at p* = (W' - L') / (c - w). */
static keel_status closed_form(const keel_basket *basket, const keel_market *market,
                               const keel_haircut_model *haircuts, keel_asset asset,
                               double *price, keel_liquidation_side *side, const char *fn)
{
    keel_haircut_components c;
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.skip_asset = asset;
    req.explain_asset = asset;
    req.explain = &c;
    keel_risk_sums rest;
    KEEL_TRY(keel_risk_evaluate(basket, NULL, market, haircuts, &req, &rest, fn));

    double q = keel_basket_quantity(basket, asset, false);
    double d = keel_basket_quantity(basket, asset, true);
    double cq = q * (1.0 - c.maintenance);
    double wd = d * keel_haircut_terms(haircuts, asset).borrow_factor;
    double gap = rest.weighted - rest.liquidation;
    double slope = cq - wd;

    *price = 0.0;
    if (slope == 0.0) {
        /* Both sides move by the same c p: HF < 1 iff L' < W', whatever p is. */
        *side = gap > 0.0 ? KEEL_LIQ_ALWAYS : KEEL_LIQ_NEVER;
        return KEEL_OK;
    }
    double p = gap / slope;
    if (!isfinite(p))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the liquidation price overflows a double", fn);
    if (p > 0.0) {
        *side = slope > 0.0 ? KEEL_LIQ_BELOW : KEEL_LIQ_ABOVE;
        /* BELOW: healthy at higher prices; ABOVE: at lower ones */
        KEEL_TRY(snap_to_boundary(basket, NULL, market, haircuts, asset, slope > 0.0, &p, fn));
        *price = p;
    } else {
        /* slope > 0: HF rises with p and is >= 1 already at p = 0.
         * slope < 0: HF falls with p and is <= 1 already as p -> 0. */
        *side = slope > 0.0 ? KEEL_LIQ_NEVER : KEEL_LIQ_ALWAYS;
    }
    return KEEL_OK;
}

/* The nearest changes of side on each side of spot, found with the
 * guarantee stated in include/keel/risk.h (lib/risk/breakpoints.c). */
static keel_status bracketed(const keel_basket *basket, const keel_options *options,
                             const keel_market *market, const keel_haircut_model *haircuts,
                             keel_asset asset, double *price, keel_liquidation_side *side,
                             double *below, double *above, const char *fn)
{
    keel_crossings c;
    KEEL_TRY(keel_risk_crossings(basket, options, market, haircuts, asset, &c, fn));
    double spot = keel_market_price_unchecked(market, asset);
    bool healthy = c.healthy, found_down = c.found_below, found_up = c.found_above;
    double down = c.below, up = c.above;
    /* below spot, the healthy side is toward spot when spot is healthy */
    if (found_down)
        KEEL_TRY(snap_to_boundary(basket, options, market, haircuts, asset, healthy, &down, fn));
    if (found_up)
        KEEL_TRY(snap_to_boundary(basket, options, market, haircuts, asset, !healthy, &up, fn));
    if (below)
        *below = found_down ? down : 0.0;
    if (above)
        *above = found_up ? up : INFINITY;
    /* Where both exist (HF not monotone in this price), the nearer one in
     * relative terms is returned. */
    bool use_down = found_down && (!found_up || log(spot / down) <= log(up / spot));
    *price = 0.0;
    if (use_down) {
        *price = down;
        /* healthy: falling to `down` liquidates; unhealthy: falling to `down`
         * restores health, so rising prices are the liquidating side */
        *side = healthy ? KEEL_LIQ_BELOW : KEEL_LIQ_ABOVE;
    } else if (found_up) {
        *price = up;
        *side = healthy ? KEEL_LIQ_ABOVE : KEEL_LIQ_BELOW;
    } else {
        *side = healthy ? KEEL_LIQ_NEVER : KEEL_LIQ_ALWAYS;
    }
    return KEEL_OK;
}

keel_status keel_basket_liquidation_price(const keel_basket *basket, const keel_options *options,
                                          const keel_market *market,
                                          const keel_haircut_model *haircuts, keel_asset asset,
                                          double *out_price, keel_liquidation_side *out_side)
{
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, __func__));
    KEEL_TRY(keel_check_ptr(out_price, __func__, "out_price"));
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    double price = 0.0;
    keel_liquidation_side side = KEEL_LIQ_NEVER;
    if (keel_risk_is_linear(haircuts, options))
        KEEL_TRY(closed_form(basket, market, haircuts, asset, &price, &side, __func__));
    else
        KEEL_TRY(bracketed(basket, options, market, haircuts, asset, &price, &side, NULL, NULL,
                           __func__));
    *out_price = price;
    if (out_side)
        *out_side = side;
    return KEEL_OK;
}

/* The checks of a query about one asset of an account with two outputs. */
static keel_status check_asset_query(const keel_basket *basket, const keel_options *options,
                                     const keel_market *market, const keel_haircut_model *haircuts,
                                     keel_asset asset, const double *out1, const char *name1,
                                     const double *out2, const char *name2, const char *fn)
{
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, fn));
    KEEL_TRY(keel_check_ptr(out1, fn, name1));
    KEEL_TRY(keel_check_ptr(out2, fn, name2));
    return keel_market_check_asset(market, asset, fn);
}

keel_status keel_basket_liquidation_prices(const keel_basket *basket, const keel_options *options,
                                           const keel_market *market,
                                           const keel_haircut_model *haircuts, keel_asset asset,
                                           double *out_below, double *out_above)
{
    KEEL_TRY(check_asset_query(basket, options, market, haircuts, asset, out_below, "out_below",
                               out_above, "out_above", __func__));
    double below = 0.0, above = INFINITY;
    if (keel_risk_is_linear(haircuts, options)) {
        double p = 0.0;
        keel_liquidation_side side;
        KEEL_TRY(closed_form(basket, market, haircuts, asset, &p, &side, __func__));
        double spot = keel_market_price_unchecked(market, asset);
        if (side == KEEL_LIQ_BELOW || side == KEEL_LIQ_ABOVE) {
            if (p <= spot)
                below = p;
            else
                above = p;
        }
    } else {
        double p;
        keel_liquidation_side side;
        KEEL_TRY(bracketed(basket, options, market, haircuts, asset, &p, &side, &below, &above,
                           __func__));
    }
    *out_below = below;
    *out_above = above;
    return KEEL_OK;
}

keel_status keel_basket_health_sensitivity(const keel_basket *basket, const keel_options *options,
                                           const keel_market *market,
                                           const keel_haircut_model *haircuts, keel_asset asset,
                                           double *out_dhf, double *out_d2hf)
{
    KEEL_TRY(check_asset_query(basket, options, market, haircuts, asset, out_dhf, "out_dhf",
                               out_d2hf, "out_d2hf", __func__));
    return keel_risk_health_sensitivity(basket, options, market, haircuts, asset, out_dhf,
                                        out_d2hf, __func__);
}

/* Equity (no haircuts) with the asset at price p. */
static keel_status equity_at(const keel_basket *basket, const keel_options *options,
                             const keel_market *market, keel_asset asset, double p, double *e,
                             const char *fn)
{
    size_t n;
    const keel_position *pos = keel_basket_data(basket, &n);
    size_t assets = keel_market_size(market);
    double sum = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (pos[k].asset >= assets)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: the basket holds asset id %u, the market has %zu assets", fn,
                             (unsigned)pos[k].asset, assets);
        double price = pos[k].asset == asset ? p : keel_market_price_unchecked(market, pos[k].asset);
        sum += (pos[k].collateral - pos[k].debt) * price;
    }
    if (options != NULL) {
        double v, m;
        KEEL_TRY(keel_options_account(options, market, asset, p, &v, &m, NULL, fn));
        sum += v;
    }
    if (!isfinite(sum))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the account's equity overflows a double", fn);
    *e = sum;
    return KEEL_OK;
}

keel_status keel_basket_pnl(const keel_basket *basket, const keel_options *options,
                            const keel_market *market, keel_asset asset, double move,
                            double *out_full, double *out_delta_gamma)
{
    KEEL_TRY(keel_check_handle(basket, KEEL_TAG_BASKET, __func__, "basket"));
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MARKET, __func__, "market"));
    if (options != NULL)
        KEEL_TRY(keel_check_handle(options, KEEL_TAG_OPTIONS, __func__, "options"));
    KEEL_TRY(keel_check_ptr(out_full, __func__, "out_full"));
    KEEL_TRY(keel_check_ptr(out_delta_gamma, __func__, "out_delta_gamma"));
    KEEL_TRY(keel_check_finite(move, __func__, "move"));
    if (!(move > -1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: move must be > -1 (a price stays positive), got %g",
                         __func__, move);
    KEEL_TRY(keel_market_check_asset(market, asset, __func__));
    double p = keel_market_price_unchecked(market, asset);
    double dp = move * p;
    double e0, e1;
    KEEL_TRY(equity_at(basket, options, market, asset, p, &e0, __func__));
    KEEL_TRY(equity_at(basket, options, market, asset, p + dp, &e1, __func__));
    double q = keel_basket_quantity(basket, asset, false);
    double d = keel_basket_quantity(basket, asset, true);
    double bd = 0.0, bg = 0.0;
    if (options != NULL)
        KEEL_TRY(keel_options_delta_gamma(options, market, asset, &bd, &bg, __func__));
    double approx = (q - d + bd) * dp + 0.5 * bg * dp * dp;
    if (!isfinite(e1 - e0) || !isfinite(approx))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the P&L overflows a double", __func__);
    *out_full = e1 - e0;
    *out_delta_gamma = approx;
    return KEEL_OK;
}
