/* Delta hedging inside the Whalley-Wilmott no-trade band.
 *
 * Whalley & Wilmott (1997) show that, for an investor with exponential
 * utility (risk aversion gamma) hedging under proportional costs k, the
 * optimal policy to leading order in k^(1/3) is to keep the hedge within
 * +-H of the Black-Scholes delta, H = (3 e^(-r(T-t)) k S Gamma^2 / (2 gamma))^(1/3),
 * and to trade to the nearest edge when outside. */
#include <math.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "cost/cost_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "options/options_internal.h"
#include "policy_internal.h"

/* keel_hedge_band() for checked arguments; errors name `fn`. */
static keel_status band_half_width(double gamma, double spot, double cost, double risk_aversion,
                                   double discount, double *out_half_width, const char *fn)
{
    double h = cbrt(1.5 * discount * cost * spot * gamma * gamma / risk_aversion);
    if (!isfinite(h))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the band width is beyond double range", fn);
    *out_half_width = h;
    return KEEL_OK;
}

keel_status keel_hedge_band(double gamma, double spot, double cost, double risk_aversion,
                            double discount, double *out_half_width)
{
    const char *fn = __func__;
    KEEL_TRY(keel_check_finite(gamma, fn, "gamma"));
    KEEL_TRY(keel_check_positive(spot, fn, "spot"));
    KEEL_TRY(keel_check_nonneg(cost, fn, "cost"));
    KEEL_TRY(keel_check_positive(risk_aversion, fn, "risk_aversion"));
    KEEL_TRY(keel_check_finite(discount, fn, "discount"));
    if (!(discount > 0.0 && discount <= 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: discount must be in (0, 1], got %g", fn,
                         discount);
    KEEL_TRY(keel_check_ptr(out_half_width, fn, "out_half_width"));
    return band_half_width(gamma, spot, cost, risk_aversion, discount, out_half_width, fn);
}

typedef struct raise_ctx {
    const keel_policy_inputs *in;
    keel_asset asset;
    double cash;
} raise_ctx;

/* The sale's net proceeds: notional less its costs. */
static keel_status sale_proceeds(const raise_ctx *r, double units, double *out)
{
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    KEEL_TRY(keel_cost_trade(r->in->costs, r->in->market, r->asset, -units, &c, r->in->fn));
    *out = c.notional - c.total;
    return KEEL_OK;
}

/* Whether selling `units` raises the cash (net of the sale's costs). */
static keel_status sale_raises(double units, void *vctx, bool *holds)
{
    raise_ctx *r = vctx;
    double got;
    KEEL_TRY(sale_proceeds(r, units, &got));
    *holds = got >= r->cash;
    return KEEL_OK;
}

/* The largest proceeds on [a, b], by golden-section search (100 steps):
 * the proceeds are concave in the size (every cost of cost.h is convex in
 * it), so they rise to one peak and fall after. */
static keel_status proceeds_peak(const raise_ctx *r, double a, double b, double *at, double *peak)
{
    const double g = 0.6180339887498949; /* (sqrt 5 - 1) / 2 */
    double x[2] = { b - g * (b - a), a + g * (b - a) }, f[2];
    for (int k = 0; k < 2; k++)
        KEEL_TRY(sale_proceeds(r, x[k], &f[k]));
    *at = x[0];
    *peak = f[0];
    for (int it = 0; it < 100 && x[0] < x[1]; it++) {
        int k; /* the point replaced */
        if (f[0] < f[1]) { /* the peak is right of x[0] */
            a = x[0];
            x[0] = x[1];
            f[0] = f[1];
            x[1] = a + g * (b - a);
            k = 1;
        } else {
            b = x[1];
            x[1] = x[0];
            f[1] = f[0];
            x[0] = b - g * (b - a);
            k = 0;
        }
        KEEL_TRY(sale_proceeds(r, x[k], &f[k]));
    }
    for (int k = 0; k < 2; k++)
        if (f[k] > *peak) {
            *peak = f[k];
            *at = x[k];
        }
    return KEEL_OK;
}

/* Units of `asset` whose sale yields `cash`: the least such. The bracket
 * starts at cash / price and doubles until it holds. Proceeds need not rise
 * all the way: with linear or square-root impact they peak and then fall
 * (below 0), and the sizes that raise the cash form a window around the
 * peak that a doubling can step over. Once the proceeds stop rising, the
 * peak is searched for between the last two sizes that were still rising
 * and this one: the cash is raised below it (bisection on the rising side)
 * or by no sale at all. */
static keel_status units_to_raise(const keel_policy_inputs *in, keel_asset asset, double cash,
                                  double *out)
{
    raise_ctx r = { in, asset, cash };
    double before = 0.0, lo = 0.0, flo = -INFINITY;
    double hi = cash / keel_market_price_unchecked(in->market, asset);
    for (int step = 0; step < KEEL_BISECT_MAX_STEPS && isfinite(hi); step++) {
        double fhi;
        KEEL_TRY(sale_proceeds(&r, hi, &fhi));
        if (fhi >= cash) {
            KEEL_TRY(keel_bisect(sale_raises, &r, &lo, &hi, KEEL_TOL_ULP));
            *out = hi;
            return KEEL_OK;
        }
        if (!(fhi > flo)) { /* no longer rising: the peak lies in (before, hi) */
            double at, peak;
            KEEL_TRY(proceeds_peak(&r, before, hi, &at, &peak));
            if (!(peak >= cash))
                return keel_fail(KEEL_E_INFEASIBLE,
                                 "%s: no sale of asset %u raises %g (its proceeds peak at %g)",
                                 in->fn, (unsigned)asset, cash, fmax(peak, flo));
            lo = before; /* left of the peak (the proceeds rose from it), short of the cash */
            hi = at;
            KEEL_TRY(keel_bisect(sale_raises, &r, &lo, &hi, KEEL_TOL_ULP));
            *out = hi;
            return KEEL_OK;
        }
        before = lo;
        lo = hi;
        flo = fhi;
        hi *= 2.0;
    }
    return keel_fail(KEEL_E_INFEASIBLE, "%s: no sale of asset %u raises %g", in->fn,
                     (unsigned)asset, cash);
}

/* Buys (units > 0) or sells (units < 0) the underlying against the funding asset. */
static keel_status hedge_trade(const keel_policy_inputs *in, keel_asset u, keel_asset f,
                               double units, double *f_left, keel_plan *plan)
{
    double pu = keel_market_price_unchecked(in->market, u);
    double pf = keel_market_price_unchecked(in->market, f);
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    KEEL_TRY(keel_cost_trade(in->costs, in->market, u, units, &c, in->fn));
    keel_action a = KEEL_ACTION_INIT;
    a.type = KEEL_ACTION_HEDGE;
    if (units > 0.0) {
        double y = 0.0;
        KEEL_TRY(units_to_raise(in, f, c.notional + c.total, &y));
        a.asset = f;
        a.quantity = fmin(y, *f_left);
        *f_left -= a.quantity;
        a.debt_asset = f;
        a.borrowed = y - a.quantity;
        a.to_asset = u;
        a.received = units;
        a.cost = y * pf - units * pu;
    } else {
        double x = -units, got = 0.0;
        double held = keel_basket_quantity(in->basket, u, false);
        KEEL_TRY(keel_cost_units_for_budget(in->costs, in->market, f, c.notional - c.total, &got,
                                            in->fn));
        if (!(got > 0.0))
            return KEEL_OK; /* the sale would not even pay the purchase's fixed cost: not made */
        a.asset = u;
        a.quantity = fmin(x, held);
        a.debt_asset = u;
        a.borrowed = x - a.quantity; /* a short sale borrows the underlying */
        a.to_asset = f;
        a.received = got;
        *f_left += got;
        a.cost = x * pu - got * pf;
    }
    return keel_plan_push(plan, &a);
}

/* Every underlying's trade back to its band edge, scaled by theta. */
static keel_status hedge_all(const keel_delta_hedge_params *p, const keel_policy_inputs *in,
                             double theta, keel_plan *plan)
{
    keel_asset f = p->funding_asset;
    KEEL_TRY(keel_market_check_asset(in->market, f, in->fn));
    size_t n = keel_options_size(in->options);
    /* the funding asset's collateral not yet spent */
    double f_left = keel_basket_quantity(in->basket, f, false);
    keel_asset seen[64];
    size_t nseen = 0;
    for (size_t i = 0; i < n; i++) {
        keel_option_position pos;
        keel_options_at(in->options, i, &pos);
        keel_asset u = pos.underlying;
        bool done = false;
        for (size_t k = 0; k < nseen; k++)
            done |= seen[k] == u;
        if (done)
            continue;
        if (nseen == sizeof seen / sizeof *seen)
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: more than 64 underlyings in the book",
                             in->fn);
        seen[nseen++] = u;
        if (u == f)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: the funding asset %u is an underlying of the book", in->fn,
                             (unsigned)f);
        double delta, gamma;
        KEEL_TRY(keel_options_delta_gamma(in->options, in->market, u, &delta, &gamma, in->fn));
        if (!isfinite(delta) || !isfinite(gamma))
            return keel_fail(KEEL_E_OVERFLOW, "%s: the book's greeks on asset %u overflow a double",
                             in->fn, (unsigned)u);
        double q = keel_basket_quantity(in->basket, u, false);
        double d = keel_basket_quantity(in->basket, u, true);
        double spot = keel_market_price_unchecked(in->market, u);
        keel_cost_terms t = keel_cost_terms_of(in->costs, in->market, u);
        double h = 0.0;
        KEEL_TRY(band_half_width(gamma, spot, t.fee + t.spread, p->risk_aversion, 1.0, &h,
                                 in->fn));
        double net = q - d + delta;
        /* a position already on the edge, up to rounding, stays */
        double tol = 1e-12 * (q + d + fabs(delta) + h);
        if (net > h + tol)
            KEEL_TRY(hedge_trade(in, u, f, theta * (h - net), &f_left, plan));
        else if (net < -h - tol)
            KEEL_TRY(hedge_trade(in, u, f, theta * (-h - net), &f_left, plan));
    }
    return KEEL_OK;
}

typedef struct hedge_scale {
    const keel_delta_hedge_params *p;
    const keel_policy_inputs *in;
    keel_plan *plan;
} hedge_scale;

/* The hedge trades, each scaled by theta in [0, 1]. */
static keel_status build_scaled(const hedge_scale *z, double theta)
{
    keel_plan_clear(z->plan);
    return hedge_all(z->p, z->in, theta, z->plan);
}

/* Whether the hedge scaled by theta leaves the account liquidatable. */
static keel_status scaled_breaches(double theta, void *vctx, bool *holds)
{
    const hedge_scale *z = vctx;
    KEEL_TRY(build_scaled(z, theta));
    keel_metrics m;
    KEEL_TRY(keel_plan_evaluate(z->plan, z->in->basket, z->in->options, z->in->market,
                                z->in->haircuts, &m, z->in->fn));
    *holds = m.health_factor < 1.0;
    return KEEL_OK;
}

keel_status keel_plan_delta_hedge(const keel_delta_hedge_params *p, const keel_policy_inputs *in,
                                  keel_plan *plan)
{
    if (in->options == NULL)
        return KEEL_OK; /* no options: nothing to hedge */
    keel_plan *own = keel_plan_create(0);
    if (own == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", in->fn);
    hedge_scale z = { p, in, own };
    bool breach = false;
    keel_status st = build_scaled(&z, 1.0);
    /* The last policy of a plan may not make a healthy account liquidatable:
     * the hedge then goes as far as health allows, every trade scaled by the
     * largest common fraction that keeps HF >= 1 (a later policy of a
     * composition, such as a health band, may repair health instead). */
    if (st == KEEL_OK && in->last && own->count > 0 && in->now->health_factor >= 1.0)
        st = scaled_breaches(1.0, &z, &breach);
    if (st == KEEL_OK && breach) {
        double lo = 0.0, hi = 1.0;
        st = keel_bisect(scaled_breaches, &z, &lo, &hi, KEEL_TOL_ULP);
        if (st == KEEL_OK)
            st = lo > 0.0 ? build_scaled(&z, lo) : (own->count = 0, KEEL_OK);
    }
    if (st == KEEL_OK)
        st = keel_plan_append(plan, own);
    keel_plan_destroy(own);
    return st;
}
