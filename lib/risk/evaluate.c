/* Effective haircuts of a basket and the sums behind its metrics. The
 * composition rule is documented in include/keel/haircut.h and worked in
 * docs/haircuts.md.
 *
 * Each position's market data and haircut terms are looked up once into a
 * small array (on the stack up to STACK_POSITIONS positions), so the passes
 * below are plain loops. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "options/options_internal.h"
#include "kernel.h"
#include "risk_internal.h"

#define STACK_POSITIONS 32

/* min for values known not to be NaN, inlined (libm's fmin is a call). */
static inline double min2(double a, double b)
{
    return a < b ? a : b;
}

/* One position with what valuing it needs. */
typedef struct held {
    keel_asset asset;
    double q, d, p; /* collateral, debt, price */
    keel_asset_terms t;
    uint64_t peg;   /* peg group key */
    double inside;  /* weighted debt inside the position's peg group (peg add-on only) */
} held;

keel_status keel_risk_check_inputs(const keel_basket *basket, const keel_options *options,
                                   const keel_market *market, const keel_haircut_model *haircuts,
                                   const char *fn)
{
    KEEL_TRY(keel_check_handle(basket, KEEL_TAG_BASKET, fn, "basket"));
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MARKET, fn, "market"));
    KEEL_TRY(keel_check_handle(haircuts, KEEL_TAG_HAIRCUT, fn, "haircuts"));
    if (options != NULL)
        KEEL_TRY(keel_check_handle(options, KEEL_TAG_OPTIONS, fn, "options"));
    return KEEL_OK;
}

bool keel_risk_is_linear(const keel_haircut_model *haircuts, const keel_options *options)
{
    if (options != NULL && keel_options_size(options) > 0)
        return false;
    const keel_haircut_settings *s = keel_haircut_settings_of(haircuts);
    bool portfolio = s->portfolio && s->vol_scale > 0.0;
    return !(s->liq_k > 0.0) && s->concentration_count == 0 && !(s->peg_addon > 0.0) &&
           !portfolio;
}

/* The peg group an asset belongs to for mismatch purposes: its set group, or
 * a group of its own (keys above UINT32_MAX cannot clash with set groups). */
static uint64_t peg_key(const keel_asset_terms *t, keel_asset asset)
{
    return t->peg_group != 0 ? (uint64_t)t->peg_group : ((uint64_t)1 << 32) + asset;
}

/* The weighted debt d p b of the positions in peg group `key` (one pass: for
 * one asset, the breakdown's). */
static double peg_inside(const held *h, size_t n, uint64_t key)
{
    double inside = 0.0;
    for (size_t k = 0; k < n; k++)
        if (h[k].peg == key)
            inside += h[k].d * h[k].p * h[k].t.borrow_factor;
    return inside;
}

static int by_peg(const void *x, const void *y)
{
    const held *a = *(const held *const *)x, *b = *(const held *const *)y;
    if (a->peg != b->peg)
        return a->peg < b->peg ? -1 : 1;
    return a < b ? -1 : a > b; /* positions in basket order: each group sums in it */
}

/* Every position's h[k].inside, the weighted debt of its peg group: the
 * positions sorted by group once (n log n; a scan per position was n^2),
 * each group summed in basket order, as peg_inside sums it. `order` holds n
 * pointers. */
static void peg_groups(held *h, size_t n, held **order)
{
    for (size_t k = 0; k < n; k++)
        order[k] = &h[k];
    qsort(order, n, sizeof *order, by_peg);
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo;
        double inside = 0.0;
        for (; hi < n && order[hi]->peg == order[lo]->peg; hi++)
            inside += order[hi]->d * order[hi]->p * order[hi]->t.borrow_factor;
        for (size_t k = lo; k < hi; k++)
            order[k]->inside = inside;
        lo = hi;
    }
}

/* What the add-ons need to know about the whole basket. */
typedef struct basket_view {
    const keel_market *market;
    const keel_haircut_settings *set;
    const held *h;
    size_t n;
    double collateral;    /* C */
    double weighted_debt; /* sum d p b */
} basket_view;

/* Effective haircuts of an asset with terms `t` holding collateral q at price
 * p, into *hi and *hm; each component into *c when c is not NULL (the
 * breakdown), so the common path writes nothing it does not need. */
static void asset_haircut(const basket_view *v, keel_asset asset, const keel_asset_terms *t,
                          double q, double p, double inside, double *hi_out, double *hm_out,
                          keel_haircut_components *c)
{
    if (c != NULL) {
        memset(c, 0, sizeof *c);
        c->size = sizeof *c;
    }
    if (!t->has_schedule) {
        *hi_out = *hm_out = 1.0;
        if (c != NULL)
            c->initial = c->maintenance = 1.0;
        return;
    }
    const keel_haircut_settings *set = v->set;
    double value = q * p;
    double vol = 0.0, liq = 0.0, peg = 0.0, e = 0.0;
    if (set->vol_scale > 0.0 && !set->portfolio)
        vol = -expm1(-set->vol_scale * keel_market_volatility_unchecked(v->market, asset));
    if (set->liq_k > 0.0 && value > 0.0) {
        double depth = keel_market_depth_unchecked(v->market, asset);
        if (isfinite(depth))
            liq = min2(set->liq_cap, set->liq_k * sqrt(value / depth));
    }
    if (set->peg_addon > 0.0 && v->weighted_debt > 0.0) {
        double outside = fmax(0.0, v->weighted_debt - inside);
        peg = set->peg_addon * min2(1.0, outside / v->weighted_debt);
    }
    if (t->max_share < 1.0 && value > 0.0 && v->collateral > 0.0) {
        double share = value / v->collateral;
        if (share > t->max_share)
            e = (share - t->max_share) / share;
    }
    bool exclude = set->conc_mode == KEEL_CONCENTRATION_EXCLUDE;
    double extra = exclude ? 0.0 : t->extra * e;
    double addons = vol + liq + peg + extra;
    double raw_m = t->maintenance + addons;
    double hm = min2(t->cap, raw_m);
    double hi = min2(t->cap, t->initial + addons);
    double capped_m = hm;
    if (exclude) {
        hm += (1.0 - hm) * e;
        hi += (1.0 - hi) * e;
    }
    *hi_out = hi;
    *hm_out = hm;
    if (c != NULL) {
        c->has_schedule = 1;
        c->base_initial = t->initial;
        c->base_maintenance = t->maintenance;
        c->volatility = vol;
        c->liquidity = liq;
        c->peg = peg;
        c->excess_fraction = e;
        c->concentration = exclude ? (1.0 - capped_m) * e : extra;
        c->cap_adjustment = capped_m - raw_m;
        c->initial = hi;
        c->maintenance = hm;
    }
}

/* Portfolio VaR of the signed exposures w = (q - d) p (unscheduled collateral
 * left out), and the explained asset's Euler component
 * z sqrt(H) w_i (S w)_i / sqrt(w'Sw). */
static keel_status portfolio_var(const basket_view *v, const keel_risk_request *req,
                                 double *out_var, const char *fn)
{
    enum { STACK = 24 };
    size_t n = 0; /* the positions with an exposure: the covariance's size */
    for (size_t k = 0; k < v->n; k++)
        n += ((v->h[k].t.has_schedule ? v->h[k].q : 0.0) - v->h[k].d) * v->h[k].p != 0.0;
    if (n > KEEL_PORTFOLIO_MAX_ASSETS)
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: portfolio mode values at most %d assets with an exposure; the "
                         "basket has %zu (its covariance would take %zu MB)", fn,
                         KEEL_PORTFOLIO_MAX_ASSETS, n, 2 * n * n * sizeof(double) >> 20);
    double stack_buf[2 * STACK * STACK + 4 * STACK];
    double *buf = stack_buf;
    if (n > STACK) {
        buf = keel_alloc_array(2 * n * n + 4 * n, sizeof *buf);
        if (buf == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory for a %zu-asset covariance", fn, n);
    }
    double *rho = buf, *work = buf + n * n;
    double *w = buf + 2 * n * n, *sigma = w + n, *sw = sigma + n;
    keel_asset *ids = (keel_asset *)(void *)(sw + n); /* n ids fit in n doubles */
    size_t m = 0;
    for (size_t k = 0; k < v->n; k++) {
        double wk = ((v->h[k].t.has_schedule ? v->h[k].q : 0.0) - v->h[k].d) * v->h[k].p;
        if (wk == 0.0)
            continue;
        w[m] = wk;
        sigma[m] = keel_market_volatility_unchecked(v->market, v->h[k].asset);
        ids[m] = v->h[k].asset; /* increasing: positions are sorted */
        m++;
    }
    keel_status st = KEEL_OK;
    *out_var = 0.0;
    if (m == 0)
        goto done;
    keel_market_correlation_matrix(v->market, ids, m, rho);
    /* the market's writes certified every submatrix (its check would pass) */
    if (!keel_market_correlations_certified(v->market) && !keel_cholesky_psd(m, rho, work)) {
        st = keel_fail(KEEL_E_NOT_PSD,
                       "%s: the correlation matrix of the basket's %zu assets is not positive "
                       "semi-definite", fn, m);
        goto done;
    }
    double quad = 0.0;
    for (size_t i = 0; i < m; i++) {
        double s = 0.0;
        for (size_t j = 0; j < m; j++)
            s += sigma[i] * sigma[j] * rho[i * m + j] * w[j];
        sw[i] = s;
        quad += w[i] * s;
    }
    double vol = sqrt(fmax(quad, 0.0));
    double var = v->set->vol_scale * vol;
    if (!isfinite(var)) {
        st = keel_fail(KEEL_E_OVERFLOW, "%s: the portfolio value-at-risk overflows a double", fn);
        goto done;
    }
    *out_var = var;
    if (req->explain != NULL) {
        req->explain->portfolio_var = var;
        for (size_t i = 0; i < m; i++)
            if (ids[i] == req->explain_asset && vol > 0.0)
                req->explain->portfolio_component = v->set->vol_scale * w[i] * sw[i] / vol;
    }
    for (size_t j = 0, i = 0; j < req->explain_count; j++) { /* both increasing: merge */
        keel_haircut_components *c = &req->explain_list[j];
        c->portfolio_var = var;
        while (i < m && ids[i] < req->explain_ids[j])
            i++;
        if (i < m && ids[i] == req->explain_ids[j] && vol > 0.0)
            c->portfolio_component = v->set->vol_scale * w[i] * sw[i] / vol;
    }
done:
    if (buf != stack_buf)
        keel_dealloc(buf);
    return st;
}

/* Explains asset a (held or not) into *c, its quantity read from the view. */
static void explain(const basket_view *v, const keel_haircut_model *haircuts,
                    const keel_risk_request *req, keel_asset a, keel_haircut_components *c)
{
    keel_asset_terms t = keel_haircut_terms(haircuts, a);
    double q = 0.0;
    size_t lo = 0, hi = v->n; /* the positions are sorted by asset */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->h[mid].asset < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    bool held_here = lo < v->n && v->h[lo].asset == a;
    if (held_here)
        q = v->h[lo].q;
    double p = a == req->override_asset ? req->override_price
                                        : keel_market_price_unchecked(v->market, a);
    /* the peg group's weighted debt: computed for every position when the
     * add-on is on (peg_groups), summed here for an asset not held */
    double inside = 0.0;
    if (v->set->peg_addon > 0.0 && v->weighted_debt > 0.0)
        inside = held_here ? v->h[lo].inside : peg_inside(v->h, v->n, peg_key(&t, a));
    double h_i, h_m;
    asset_haircut(v, a, &t, q, p, inside, &h_i, &h_m, c);
}

static keel_status evaluate_held(const keel_market *market, const keel_haircut_model *haircuts,
                                 const keel_risk_request *req, held *h, size_t n,
                                 keel_risk_sums *out, const char *fn)
{
    basket_view v = { .market = market, .set = keel_haircut_settings_of(haircuts), .h = h, .n = n };
    keel_risk_sums s = { 0 };
    double collateral = 0.0, debt = 0.0, weighted = 0.0;
    for (size_t k = 0; k < n; k++) {
        collateral += h[k].q * h[k].p;
        debt += h[k].d * h[k].p;
        weighted += h[k].d * h[k].p * h[k].t.borrow_factor;
    }
    if (!isfinite(collateral) || !isfinite(debt) || !isfinite(weighted))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the basket's value overflows a double", fn);
    v.collateral = collateral;
    v.weighted_debt = weighted;
    if (v.set->peg_addon > 0.0 && weighted > 0.0) {
        held *stack_order[STACK_POSITIONS];
        held **order = stack_order;
        if (n > STACK_POSITIONS) {
            order = keel_alloc_array(n, sizeof *order);
            if (order == NULL)
                return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %zu positions", fn, n);
        }
        peg_groups(h, n, order);
        if (order != stack_order)
            keel_dealloc(order);
    }

    /* The skipped asset shapes the others' add-ons through the totals above
     * but is left out of the sums. */
    for (size_t k = 0; k < n; k++) {
        if (h[k].asset == req->skip_asset)
            continue;
        double hi = 1.0, hm = 1.0; /* without collateral its haircuts weigh nothing */
        if (h[k].q * h[k].p > 0.0)
            asset_haircut(&v, h[k].asset, &h[k].t, h[k].q, h[k].p, h[k].inside, &hi, &hm, NULL);
        keel_kernel_add(&s, h[k].q, h[k].d, h[k].p, 1.0 - hi, 1.0 - hm, h[k].t.borrow_factor,
                        h[k].t.has_schedule ? 1.0 : 0.0);
    }
    if (req->explain != NULL)
        explain(&v, haircuts, req, req->explain_asset, req->explain);
    for (size_t j = 0; j < req->explain_count; j++)
        explain(&v, haircuts, req, req->explain_ids[j], &req->explain_list[j]);
    if (v.set->portfolio && v.set->vol_scale > 0.0 && n > 0) {
        KEEL_TRY(portfolio_var(&v, req, &s.var, fn));
        s.liquidation = fmax(0.0, s.liquidation - s.var);
        s.borrowing = fmax(0.0, s.borrowing - s.var);
    }
    *out = s;
    return KEEL_OK;
}

keel_status keel_risk_evaluate(const keel_basket *basket, const keel_options *options,
                               const keel_market *market, const keel_haircut_model *haircuts,
                               const keel_risk_request *req, keel_risk_sums *out, const char *fn)
{
    size_t n;
    const keel_position *pos = keel_basket_data(basket, &n);
    size_t assets = keel_market_size(market);
    held stack[STACK_POSITIONS];
    held *h = stack;
    if (n > STACK_POSITIONS) {
        h = keel_alloc_array(n, sizeof *h);
        if (h == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory for %zu positions", fn, n);
    }
    keel_status st = KEEL_OK;
    size_t cursor = 0; /* positions come in increasing asset id */
    for (size_t k = 0; k < n; k++) {
        keel_asset a = pos[k].asset;
        if (a >= assets) {
            st = keel_fail(KEEL_E_UNKNOWN_ASSET,
                           "%s: the basket holds asset id %u, the market has %zu assets", fn,
                           (unsigned)a, assets);
            goto done;
        }
        h[k].asset = a;
        h[k].q = pos[k].collateral;
        h[k].d = pos[k].debt;
        h[k].p = a == req->override_asset ? req->override_price
                                          : keel_market_price_unchecked(market, a);
        h[k].t = keel_haircut_terms_from(haircuts, a, &cursor);
        h[k].peg = peg_key(&h[k].t, a);
        h[k].inside = 0.0;
    }
    st = evaluate_held(market, haircuts, req, h, n, out, fn);
    if (st == KEEL_OK && options != NULL) {
        /* The book joins the account (docs/options.md): its net value adds to
         * the liquidation value and borrowing power (a short book's is a
         * liability), its scenario margin to the requirement. */
        st = keel_options_account(options, market, req->override_asset, req->override_price,
                                  &out->option_value, &out->option_margin, NULL, fn);
        if (st == KEEL_OK) {
            out->liquidation = fmax(0.0, out->liquidation + out->option_value);
            out->borrowing = fmax(0.0, out->borrowing + out->option_value);
        }
    }
done:
    if (h != stack)
        keel_dealloc(h);
    return st;
}

void keel_risk_linear_terms(const keel_market *market, const keel_haircut_model *haircuts,
                            keel_asset asset, double *out_hi, double *out_hm, double *out_bf)
{
    basket_view v = { .market = market, .set = keel_haircut_settings_of(haircuts) };
    keel_asset_terms t = keel_haircut_terms(haircuts, asset);
    double hi, hm;
    /* with no liquidity, peg or concentration add-on, q and p do not matter */
    asset_haircut(&v, asset, &t, 1.0, 1.0, 0.0, &hi, &hm, NULL);
    *out_hi = hi;
    *out_hm = hm;
    *out_bf = t.borrow_factor;
}
