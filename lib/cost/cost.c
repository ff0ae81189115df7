/* keel_cost_model: fees, spread, fixed costs and price impact per asset. The
 * formulas are in include/keel/cost.h. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "core/table.h"
#include "cost_internal.h"
#include "keel/cost.h"
#include "market/market_internal.h"
#include "math/kmath.h"

typedef struct entry {
    keel_asset asset;
    double fee, spread, fixed;
    keel_impact impact;
    double a, b, c; /* linear: k, depth; sqrt: y, volume; pool: base, quote, fee */
} entry;

struct keel_cost_model {
    uint32_t tag;
    keel_table entries; /* entry, sorted by asset */
};

#define CHECK_MODEL(m) KEEL_TRY(keel_check_handle((m), KEEL_TAG_COST, __func__, "model"))

static const entry NO_COST = { .asset = 0, .impact = KEEL_IMPACT_NONE }; /* the rest 0 */

static entry terms(const keel_cost_model *m, keel_asset asset)
{
    const entry *found = keel_table_get(&m->entries, asset);
    entry e = found ? *found : NO_COST;
    e.asset = asset;
    return e;
}

/* The entry for `asset`, inserted with no costs if absent; NULL when out of memory. */
static entry *entry_for(keel_cost_model *m, keel_asset asset)
{
    bool found;
    size_t slot = keel_table_find(&m->entries, asset, &found);
    if (found)
        return keel_table_at(&m->entries, slot);
    entry *e = keel_table_insert(&m->entries, slot, asset);
    if (e != NULL)
        *e = NO_COST, e->asset = asset;
    return e;
}

keel_status keel_cost_model_new(keel_cost_model **out)
{
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    keel_cost_model *m = keel_handle_alloc(sizeof *m, KEEL_TAG_COST);
    if (m == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    m->entries = (keel_table)KEEL_TABLE_INIT(entry);
    *out = m;
    return KEEL_OK;
}

void keel_cost_model_free(keel_cost_model *model)
{
    if (!keel_handle_is(model, KEEL_TAG_COST))
        return;
    keel_table_free(&model->entries);
    keel_handle_release(model);
}

keel_status keel_cost_model_copy(const keel_cost_model *model, keel_cost_model **out, const char *fn)
{
    keel_cost_model *c = keel_handle_alloc(sizeof *c, KEEL_TAG_COST);
    if (c == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    if (!keel_table_copy(&c->entries, &model->entries)) {
        keel_cost_model_free(c);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    *out = c;
    return KEEL_OK;
}

keel_status keel_cost_model_clone(const keel_cost_model *model, keel_cost_model **out)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    return keel_cost_model_copy(model, out, __func__);
}

static keel_status check_id(keel_asset asset, const char *fn)
{
    if (asset == KEEL_ASSET_INVALID)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: KEEL_ASSET_INVALID is not an asset", fn);
    return KEEL_OK;
}

static keel_status check_fraction(double x, const char *fn, const char *name)
{
    KEEL_TRY(keel_check_finite(x, fn, name));
    if (x < 0.0 || x >= 1.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s must be in [0, 1), got %g", fn, name, x);
    return KEEL_OK;
}

#define ENTRY_OR_NOMEM(e, m, a)                                                            \
    entry *e = entry_for((m), (a));                                                        \
    if (e == NULL)                                                                         \
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__)

keel_status keel_cost_model_set_fee(keel_cost_model *model, keel_asset asset, double fee,
                                    double half_spread)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    KEEL_TRY(check_fraction(fee, __func__, "fee"));
    KEEL_TRY(check_fraction(half_spread, __func__, "half_spread"));
    ENTRY_OR_NOMEM(e, model, asset);
    e->fee = fee + 0.0;
    e->spread = half_spread + 0.0;
    return KEEL_OK;
}

keel_status keel_cost_model_set_fixed(keel_cost_model *model, keel_asset asset, double fixed)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    KEEL_TRY(keel_check_nonneg(fixed, __func__, "fixed"));
    ENTRY_OR_NOMEM(e, model, asset);
    e->fixed = fixed + 0.0;
    return KEEL_OK;
}

/* An impact of shape `kind` with coefficient a >= 0 (named `a_name`) over a
 * scale b > 0 (`b_name`): the linear and square-root setters. */
static keel_status set_impact(keel_cost_model *model, keel_asset asset, keel_impact kind,
                              double a, const char *a_name, double b, const char *b_name,
                              const char *fn)
{
    KEEL_TRY(keel_check_handle(model, KEEL_TAG_COST, fn, "model"));
    KEEL_TRY(check_id(asset, fn));
    KEEL_TRY(keel_check_nonneg(a, fn, a_name));
    KEEL_TRY(keel_check_positive(b, fn, b_name));
    entry *e = entry_for(model, asset);
    if (e == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    e->impact = kind;
    e->a = a + 0.0;
    e->b = b;
    e->c = 0.0;
    return KEEL_OK;
}

keel_status keel_cost_model_set_linear_impact(keel_cost_model *model, keel_asset asset, double k,
                                              double depth)
{
    return set_impact(model, asset, KEEL_IMPACT_LINEAR, k, "k", depth, "depth", __func__);
}

keel_status keel_cost_model_set_sqrt_impact(keel_cost_model *model, keel_asset asset, double y,
                                            double volume)
{
    return set_impact(model, asset, KEEL_IMPACT_SQRT, y, "y", volume, "volume", __func__);
}

keel_status keel_cost_model_set_pool(keel_cost_model *model, keel_asset asset, double base_reserve,
                                     double quote_reserve, double fee)
{
    CHECK_MODEL(model);
    KEEL_TRY(check_id(asset, __func__));
    KEEL_TRY(keel_check_positive(base_reserve, __func__, "base_reserve"));
    KEEL_TRY(keel_check_positive(quote_reserve, __func__, "quote_reserve"));
    KEEL_TRY(check_fraction(fee, __func__, "fee"));
    ENTRY_OR_NOMEM(e, model, asset);
    e->impact = KEEL_IMPACT_POOL;
    e->a = base_reserve;
    e->b = quote_reserve;
    e->c = fee + 0.0;
    return KEEL_OK;
}

keel_status keel_cost_model_clear_impact(keel_cost_model *model, keel_asset asset)
{
    CHECK_MODEL(model);
    entry *e = keel_table_get(&model->entries, asset);
    if (e != NULL) {
        e->impact = KEEL_IMPACT_NONE;
        e->a = e->b = e->c = 0.0;
    }
    return KEEL_OK;
}

keel_status keel_cost_model_impact(const keel_cost_model *model, keel_asset asset,
                                   keel_impact *out_impact)
{
    CHECK_MODEL(model);
    KEEL_TRY(keel_check_ptr(out_impact, __func__, "out_impact"));
    *out_impact = terms(model, asset).impact;
    return KEEL_OK;
}

/* The cost of a trade of `qty` (signed) at price p, for valid inputs. */
static keel_status trade_cost(const entry *e, const keel_market *market, double qty, double p,
                              keel_trade_cost *c, const char *fn)
{
    double units = fabs(qty);
    double n = units * p;
    memset(c, 0, sizeof *c);
    c->size = sizeof *c;
    c->notional = n;
    c->effective_price = p;
    if (units == 0.0)
        return KEEL_OK;
    c->fee = e->fee * n;
    c->spread = e->spread * n;
    c->fixed = e->fixed;
    switch (e->impact) {
    case KEEL_IMPACT_NONE:
        break;
    case KEEL_IMPACT_LINEAR:
        c->impact = e->a * n * n / e->b;
        break;
    case KEEL_IMPACT_SQRT: {
        double sigma_d = keel_market_volatility_unchecked(market, e->asset) / sqrt(KEEL_DAYS_PER_YEAR);
        c->impact = e->a * sigma_d * sqrt(n / e->b) * n;
        break;
    }
    case KEEL_IMPACT_POOL: {
        double x = e->a, y = e->b, g = 1.0 - e->c;
        /* measured against the market price and never negative: a pool
         * priced better than the market is no gain a plan may count on, and
         * the cost stays convex and non-decreasing in size */
        if (qty < 0.0) {
            double out = y * units * g / (x + units * g); /* quote received */
            c->impact = fmax(0.0, n - out);
        } else {
            if (!(units < x))
                return keel_fail(KEEL_E_INFEASIBLE,
                                 "%s: buying %g units from a pool holding %g", fn, units, x);
            double in = y * units / ((x - units) * g); /* quote paid */
            c->impact = fmax(0.0, in - n);
        }
        break;
    }
    }
    c->total = c->fee + c->spread + c->impact + c->fixed;
    c->effective_price = qty > 0.0 ? (n + c->total) / units : (n - c->total) / units;
    /* only the cost decides: the effective price of a tiny trade with a
     * fixed cost (0.5 over 5e-324 units) is beyond double range while the
     * cost is not, and the solvers use the cost alone
     * (keel_cost_model_cost() reports the price's overflow) */
    if (!isfinite(c->total))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the trade's cost is beyond double range", fn);
    return KEEL_OK;
}

static keel_status check_trade_inputs(const keel_cost_model *model, const keel_market *market,
                                      keel_asset asset, const char *fn)
{
    KEEL_TRY(keel_check_handle(model, KEEL_TAG_COST, fn, "model"));
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MARKET, fn, "market"));
    KEEL_TRY(keel_market_check_asset(market, asset, fn));
    return KEEL_OK;
}

keel_status keel_cost_trade(const keel_cost_model *model, const keel_market *market,
                            keel_asset asset, double quantity, keel_trade_cost *out,
                            const char *fn)
{
    entry e = terms(model, asset);
    return trade_cost(&e, market, quantity, keel_market_price_unchecked(market, asset), out, fn);
}

keel_status keel_cost_model_cost(const keel_cost_model *model, const keel_market *market,
                                 keel_asset asset, double quantity, keel_trade_cost *out)
{
    KEEL_TRY(check_trade_inputs(model, market, asset, __func__));
    KEEL_TRY(keel_check_finite(quantity, __func__, "quantity"));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_trade_cost"));
    entry e = terms(model, asset);
    keel_trade_cost c;
    KEEL_TRY(trade_cost(&e, market, quantity, keel_market_price_unchecked(market, asset), &c,
                        __func__));
    if (!isfinite(c.effective_price))
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: the effective price of %g units (cost %g) is beyond double range",
                         __func__, fabs(quantity), c.total);
    keel_write_sized(out, &c, sizeof c);
    return KEEL_OK;
}

typedef struct buy_ctx {
    const entry *e;
    const keel_market *market;
    double price, budget;
    keel_status status;
    const char *fn;
} buy_ctx;

/* Numeraire spent buying `units` (notional + cost) minus the budget. A
 * spend beyond double range (a pool's price near its whole reserve) is
 * above any budget: DBL_MAX, so that the bracketing goes on. */
static double spend_gap(double units, void *vctx, bool *ok)
{
    buy_ctx *b = vctx;
    keel_trade_cost c;
    b->status = trade_cost(b->e, b->market, units, b->price, &c, b->fn);
    if (b->status == KEEL_E_OVERFLOW) {
        b->status = KEEL_OK;
        *ok = true;
        return DBL_MAX;
    }
    *ok = b->status == KEEL_OK;
    if (!*ok)
        return 0.0;
    double spend = c.notional + c.total;
    return isfinite(spend) ? spend - b->budget : DBL_MAX;
}

/* spend(u) - budget >= 0, for widening the bracket. */
static keel_status spend_reaches(double units, void *vctx, bool *holds)
{
    bool ok;
    *holds = spend_gap(units, vctx, &ok) >= 0.0;
    return ok ? KEEL_OK : ((buy_ctx *)vctx)->status;
}

/* The units whose purchase (notional + cost) spends exactly `budget`.
 * Without price impact spend(u) = u p (1 + fee + spread) + fixed, solved in
 * closed form. Otherwise spend is increasing and Brent's method runs on
 * [0, hi]: hi starts at budget / p and is widened until spend(hi) >= budget
 * (rounding can leave u p one ulp short of the budget at u = budget / p). */
static keel_status units_for_budget(const entry *e, const keel_market *market, double price,
                                    double budget, double *out_units, const char *fn)
{
    if (!(budget > e->fixed)) {
        *out_units = 0.0;
        return KEEL_OK;
    }
    if (e->impact == KEEL_IMPACT_NONE) {
        double units = (budget - e->fixed) / (price * (1.0 + e->fee + e->spread));
        if (!isfinite(units))
            return keel_fail(KEEL_E_OVERFLOW, "%s: the purchase for %g is beyond double range", fn,
                             budget);
        *out_units = units;
        return KEEL_OK;
    }
    buy_ctx b = { e, market, price, budget, KEEL_OK, fn };
    /* budget / p underflows to 0 for a tiny budget (5e-324): start the
     * bracket at the least positive double, then double it */
    double lo = 0.0, hi = fmax(budget / price, DBL_TRUE_MIN);
    double cap = INFINITY;
    if (e->impact == KEEL_IMPACT_POOL) {
        /* the pool never sells its whole reserve, but any budget buys
         * less than it (the spend grows without bound towards it): the
         * last double below the reserve */
        cap = nextafter(e->a, 0.0);
        hi = fmin(hi, cap);
    }
    bool found;
    KEEL_TRY(keel_bracket_grow(spend_reaches, &b, &lo, &hi, 2.0, cap, &found));
    if (!found && e->impact == KEEL_IMPACT_POOL)
        return keel_fail(KEEL_E_INFEASIBLE,
                         "%s: no purchase spends %g: even the last double below the pool's "
                         "reserve of %g costs less (the budget is past double resolution there)",
                         fn, budget, e->a);
    if (!found)
        return keel_fail(KEEL_E_INFEASIBLE, "%s: no purchase spends %g", fn, budget);
    /* spend(hi) >= budget; where the impact dominates, the answer can be
     * far below hi (a budget of 1e200 with linear impact buys ~1e104
     * units at price 1): halve hi while it still reaches the budget, so
     * that Brent starts on [hi/2, hi] (each halving one evaluation, at most
     * about 2100 in double range), not on a bracket it would need more
     * than its step cap to bisect */
    if (lo == 0.0) {
        for (;;) {
            double mid = 0.5 * hi;
            bool holds;
            if (!(mid > 0.0))
                break;
            KEEL_TRY(spend_reaches(mid, &b, &holds));
            if (!holds) {
                lo = mid;
                break;
            }
            hi = mid;
        }
    }
    bool ok;
    double f0 = spend_gap(lo, &b, &ok), f1 = spend_gap(hi, &b, &ok);
    if (!ok)
        return b.status;
    double u;
    int rc = keel_brent(spend_gap, &b, lo, f0, hi, f1, KEEL_TOL_ROOT, &u);
    if (rc != 0)
        return keel_fail(rc == 2 ? b.status : KEEL_E_NO_CONVERGENCE,
                         "%s: could not size the purchase for %g of proceeds", fn, budget);
    /* Brent stops within its tolerance, a few ulps of u either side: step
     * to the double whose spend is nearest the budget, so rounding alone
     * decides (a purchase whose cost exceeds the proceeds by ulps of the
     * budget would otherwise be reported) */
    double g = spend_gap(u, &b, &ok);
    for (int k = 0; ok && k < 64 && g != 0.0; k++) {
        double v = nextafter(u, g > 0.0 ? 0.0 : INFINITY);
        if (!(v <= cap))
            break;
        double gv = spend_gap(v, &b, &ok);
        if (!ok || !(fabs(gv) < fabs(g)))
            break;
        u = v;
        g = gv;
    }
    if (!ok)
        return b.status;
    *out_units = u;
    return KEEL_OK;
}

keel_status keel_cost_units_for_budget(const keel_cost_model *model, const keel_market *market,
                                       keel_asset asset, double budget, double *out_units,
                                       const char *fn)
{
    entry e = terms(model, asset);
    return units_for_budget(&e, market, keel_market_price_unchecked(market, asset), budget,
                            out_units, fn);
}

keel_status keel_cost_swap(const keel_cost_model *model, const keel_market *market,
                           keel_asset from, keel_asset to, double quantity, keel_swap_result *out,
                           const char *fn)
{
    entry ef = terms(model, from), et = terms(model, to);
    keel_trade_cost sell;
    KEEL_TRY(trade_cost(&ef, market, -quantity, keel_market_price_unchecked(market, from), &sell,
                        fn));
    keel_swap_result r = { sizeof r, quantity, sell.notional - sell.total, 0.0, sell.total, 0.0,
                           0.0 };
    double pt = keel_market_price_unchecked(market, to);
    if (quantity > 0.0) {
        /* proceeds of 0 (a sale too small to pay anything) buy nothing
         * when the purchase has no fixed cost: 0 units, not a refusal */
        if (!(r.proceeds > et.fixed) && !(r.proceeds == 0.0 && et.fixed == 0.0))
            return keel_fail(KEEL_E_INFEASIBLE,
                             "%s: the proceeds %g do not cover the purchase's fixed cost %g",
                             fn, r.proceeds, et.fixed);
        double u;
        KEEL_TRY(units_for_budget(&et, market, pt, r.proceeds, &u, fn));
        keel_trade_cost buy;
        KEEL_TRY(trade_cost(&et, market, u, pt, &buy, fn));
        r.bought = u;
        r.buy_cost = buy.total;
    }
    r.total_cost = r.sell_cost + r.buy_cost;
    *out = r;
    return KEEL_OK;
}

keel_status keel_cost_model_swap(const keel_cost_model *model, const keel_market *market,
                                 keel_asset from, keel_asset to, double quantity,
                                 keel_swap_result *out)
{
    KEEL_TRY(check_trade_inputs(model, market, from, __func__));
    KEEL_TRY(check_trade_inputs(model, market, to, __func__));
    KEEL_TRY(keel_check_nonneg(quantity, __func__, "quantity"));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_swap_result"));
    keel_swap_result r;
    KEEL_TRY(keel_cost_swap(model, market, from, to, quantity, &r, __func__));
    keel_write_sized(out, &r, sizeof r);
    return KEEL_OK;
}

keel_cost_terms keel_cost_terms_of(const keel_cost_model *model, const keel_market *market,
                                   keel_asset asset)
{
    entry e = terms(model, asset);
    keel_cost_terms t = { e.fee, e.spread, e.fixed, e.impact, e.a, e.b, e.c,
                          keel_market_volatility_unchecked(market, asset) / sqrt(KEEL_DAYS_PER_YEAR) };
    return t;
}

double keel_cost_sell(const keel_cost_terms *t, double p, double x)
{
    double n = x * p;
    double c = (t->fee + t->spread) * n;
    switch (t->impact) {
    case KEEL_IMPACT_NONE:
        break;
    case KEEL_IMPACT_LINEAR:
        c += t->a * n * n / t->b;
        break;
    case KEEL_IMPACT_SQRT:
        c += t->a * t->sigma_d * sqrt(n / t->b) * n;
        break;
    case KEEL_IMPACT_POOL: { /* never negative, as in trade_cost() */
        double g = 1.0 - t->c;
        c += fmax(0.0, n - t->b * x * g / (t->a + x * g));
        break;
    }
    }
    return c;
}

double keel_cost_sell_marginal(const keel_cost_terms *t, double p, double x)
{
    double m = (t->fee + t->spread) * p;
    switch (t->impact) {
    case KEEL_IMPACT_NONE:
        break;
    case KEEL_IMPACT_LINEAR:
        m += 2.0 * t->a * x * p * p / t->b;
        break;
    case KEEL_IMPACT_SQRT:
        m += 1.5 * t->a * t->sigma_d * p * sqrt(x * p / t->b);
        break;
    case KEEL_IMPACT_POOL: { /* 0 where the impact is clamped at 0 */
        double g = 1.0 - t->c, d = t->a + x * g;
        if (x * p - t->b * x * g / d > 0.0)
            m += p - t->b * t->a * g / (d * d);
        break;
    }
    }
    return m;
}

uint64_t keel_cost_model_fingerprint(const keel_cost_model *model, uint64_t h)
{
    const entry *items = model->entries.items;
    for (size_t k = 0; k < model->entries.count; k++) {
        const entry *e = &items[k];
        h = keel_hash_word(h, e->asset);
        h = keel_hash_double(h, e->fee);
        h = keel_hash_double(h, e->spread);
        h = keel_hash_double(h, e->fixed);
        h = keel_hash_word(h, (uint64_t)e->impact);
        h = keel_hash_double(h, e->a);
        h = keel_hash_double(h, e->b);
        h = keel_hash_double(h, e->c);
    }
    return h;
}
