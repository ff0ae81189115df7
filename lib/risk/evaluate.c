/* Effective haircuts of a basket and the sums behind its metrics. The
 * composition rule is documented in include/keel/haircut.h and worked in
 * docs/haircuts.md. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "risk_internal.h"

/* Portfolio mode keeps its matrices on the stack up to this many assets. */
#define STACK_ASSETS 24

keel_status keel_risk_check_inputs(const keel_basket *basket, const keel_options *options,
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

bool keel_risk_is_linear(const keel_haircut_model *haircuts)
{
    keel_haircut_settings s = keel_haircut_settings_of(haircuts);
    bool portfolio = s.portfolio && s.vol_horizon_days > 0.0;
    return !(s.liq_k > 0.0) && !s.any_concentration && !(s.peg_addon > 0.0) && !portfolio;
}

/* The peg group an asset belongs to for mismatch purposes: its set group, or
 * a group of its own (ids above UINT32_MAX cannot clash with set groups). */
static uint64_t peg_key(const keel_asset_terms *t, keel_asset asset)
{
    return t->peg_group != 0 ? (uint64_t)t->peg_group : ((uint64_t)1 << 32) + asset;
}

static double price_of(const keel_market *market, const keel_risk_request *req, keel_asset a)
{
    return a == req->override_asset ? req->override_price : keel_market_price_unchecked(market, a);
}

/* Context shared by the per-asset haircut computation. */
typedef struct hc_ctx {
    const keel_market *market;
    const keel_haircut_model *haircuts;
    const keel_risk_request *req;
    const keel_position *pos;
    size_t n;
    keel_haircut_settings set;
    double vol_z_sqrt_h;  /* z sqrt(H), 0 when the volatility add-on is off */
    double collateral;    /* basket collateral value C */
    double weighted_debt; /* sum d p b */
} hc_ctx;

/* Effective haircuts of `asset` holding collateral `q` at price `p`. */
static void asset_haircut(const hc_ctx *cx, keel_asset asset, double q, double p,
                          keel_haircut_components *c)
{
    keel_asset_terms t = keel_haircut_terms(cx->haircuts, asset);
    memset(c, 0, sizeof *c);
    c->size = sizeof *c;
    if (!t.has_schedule) {
        c->initial = c->maintenance = 1.0;
        return;
    }
    c->has_schedule = 1;
    c->base_initial = t.initial;
    c->base_maintenance = t.maintenance;
    double value = q * p;
    if (cx->vol_z_sqrt_h > 0.0 && !cx->set.portfolio)
        c->volatility = -expm1(-cx->vol_z_sqrt_h * keel_market_volatility_unchecked(cx->market, asset));
    if (cx->set.liq_k > 0.0 && value > 0.0) {
        double depth = keel_market_depth_unchecked(cx->market, asset);
        if (isfinite(depth))
            c->liquidity = fmin(cx->set.liq_cap, cx->set.liq_k * sqrt(value / depth));
    }
    if (cx->set.peg_addon > 0.0 && cx->weighted_debt > 0.0) {
        uint64_t key = peg_key(&t, asset);
        double outside = 0.0;
        for (size_t k = 0; k < cx->n; k++) {
            if (cx->pos[k].debt == 0.0)
                continue;
            keel_asset_terms dt = keel_haircut_terms(cx->haircuts, cx->pos[k].asset);
            if (peg_key(&dt, cx->pos[k].asset) != key)
                outside += cx->pos[k].debt * price_of(cx->market, cx->req, cx->pos[k].asset) *
                           dt.borrow_factor;
        }
        c->peg = cx->set.peg_addon * fmin(1.0, outside / cx->weighted_debt);
    }
    if (t.max_share < 1.0 && value > 0.0 && cx->collateral > 0.0) {
        double share = value / cx->collateral;
        if (share > t.max_share)
            c->excess_fraction = (share - t.max_share) / share;
    }
    double e = c->excess_fraction;
    double extra = cx->set.conc_mode == KEEL_CONCENTRATION_EXTRA ? t.extra * e : 0.0;
    double addons = c->volatility + c->liquidity + c->peg + extra;
    double raw_m = t.maintenance + addons;
    double hm = fmin(t.cap, raw_m);
    double hi = fmin(t.cap, t.initial + addons);
    if (cx->set.conc_mode == KEEL_CONCENTRATION_EXCLUDE) {
        c->concentration = (1.0 - hm) * e;
        hm += (1.0 - hm) * e;
        hi += (1.0 - hi) * e;
    } else {
        c->concentration = extra;
    }
    c->cap_adjustment = fmin(t.cap, raw_m) - raw_m;
    c->initial = hi;
    c->maintenance = hm;
}

/* Portfolio VaR of the signed exposures and its Euler allocation; writes the
 * explained asset's component. */
static keel_status portfolio_var(const hc_ctx *cx, double *out_var, const char *fn)
{
    size_t n = cx->n;
    double stack_buf[3 * STACK_ASSETS * STACK_ASSETS + 3 * STACK_ASSETS];
    double *buf = stack_buf;
    if (n > STACK_ASSETS) {
        buf = keel_alloc_array(3 * n * n + 3 * n, sizeof *buf);
        if (buf == NULL)
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory for a %zu-asset covariance", fn, n);
    }
    double *rho = buf, *work = buf + n * n, *cov = buf + 2 * n * n;
    double *w = buf + 3 * n * n, *sigma = w + n, *idv = sigma + n; /* ids stored exactly as doubles */
    size_t m = 0; /* assets that enter, compacted */
    for (size_t k = 0; k < n; k++) {
        keel_asset a = cx->pos[k].asset;
        keel_asset_terms t = keel_haircut_terms(cx->haircuts, a);
        double p = price_of(cx->market, cx->req, a);
        double wk = ((t.has_schedule ? cx->pos[k].collateral : 0.0) - cx->pos[k].debt) * p;
        if (wk == 0.0)
            continue;
        w[m] = wk;
        sigma[m] = keel_market_volatility_unchecked(cx->market, a);
        idv[m] = (double)a;
        m++;
    }
    keel_status st = KEEL_OK;
    *out_var = 0.0;
    if (m == 0)
        goto done;
    for (size_t i = 0; i < m; i++)
        for (size_t j = 0; j < m; j++)
            rho[i * m + j] = keel_market_correlation_unchecked(cx->market, (keel_asset)idv[i],
                                                               (keel_asset)idv[j]);
    if (!keel_cholesky_psd(m, rho, work)) {
        st = keel_fail(KEEL_E_NOT_PSD,
                       "%s: the correlation matrix of the basket's %zu assets is not positive "
                       "semi-definite", fn, m);
        goto done;
    }
    double quad = 0.0;
    for (size_t i = 0; i < m; i++) {
        double s = 0.0;
        for (size_t j = 0; j < m; j++) {
            cov[i * m + j] = sigma[i] * sigma[j] * rho[i * m + j];
            s += cov[i * m + j] * w[j];
        }
        work[i] = s; /* (S w)_i */
        quad += w[i] * s;
    }
    double vol = sqrt(fmax(quad, 0.0));
    double var = cx->vol_z_sqrt_h * vol;
    if (!isfinite(var)) {
        st = keel_fail(KEEL_E_OVERFLOW, "%s: the portfolio value-at-risk overflows a double", fn);
        goto done;
    }
    *out_var = var;
    if (cx->req->explain != NULL) {
        cx->req->explain->portfolio_var = var;
        for (size_t i = 0; i < m; i++)
            if ((keel_asset)idv[i] == cx->req->explain_asset && vol > 0.0)
                cx->req->explain->portfolio_component =
                    cx->vol_z_sqrt_h * w[i] * work[i] / vol;
    }
done:
    if (buf != stack_buf)
        keel_dealloc(buf);
    return st;
}

keel_status keel_risk_evaluate(const keel_basket *basket, const keel_market *market,
                               const keel_haircut_model *haircuts, const keel_risk_request *req,
                               keel_risk_sums *out, const char *fn)
{
    size_t n;
    const keel_position *pos = keel_basket_data(basket, &n);
    size_t assets = keel_market_size(market);
    hc_ctx cx = { market, haircuts, req, pos, n, keel_haircut_settings_of(haircuts), 0.0, 0.0, 0.0 };
    if (cx.set.vol_horizon_days > 0.0)
        cx.vol_z_sqrt_h = keel_norm_quantile(cx.set.vol_confidence) *
                          sqrt(cx.set.vol_horizon_days / 365.0);

    /* Pass 1: totals the add-ons depend on (C for concentration, W for peg). */
    keel_risk_sums s = { 0 };
    for (size_t k = 0; k < n; k++) {
        keel_asset a = pos[k].asset;
        if (a >= assets)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: the basket holds asset id %u, the market has %zu assets", fn,
                             (unsigned)a, assets);
        double p = price_of(market, req, a);
        s.collateral += pos[k].collateral * p;
        s.debt += pos[k].debt * p;
        s.weighted += pos[k].debt * p * keel_haircut_terms(haircuts, a).borrow_factor;
    }
    if (!isfinite(s.collateral) || !isfinite(s.debt) || !isfinite(s.weighted))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the basket's value overflows a double", fn);
    cx.collateral = s.collateral;
    cx.weighted_debt = s.weighted;

    /* Pass 2: effective haircuts. The skipped asset still counts in the
     * totals above (they shape the others' add-ons) but not in the sums. */
    keel_risk_sums out_s = { 0 };
    for (size_t k = 0; k < n; k++) {
        keel_asset a = pos[k].asset;
        double p = price_of(market, req, a);
        double cv = pos[k].collateral * p, dv = pos[k].debt * p;
        if (a == req->skip_asset)
            continue;
        out_s.collateral += cv;
        out_s.debt += dv;
        out_s.weighted += dv * keel_haircut_terms(haircuts, a).borrow_factor;
        if (cv > 0.0) {
            keel_haircut_components c;
            asset_haircut(&cx, a, pos[k].collateral, p, &c);
            out_s.borrowing += cv * (1.0 - c.initial);
            out_s.liquidation += cv * (1.0 - c.maintenance);
        }
    }
    if (req->explain != NULL) {
        keel_asset a = req->explain_asset;
        double q = 0.0;
        for (size_t k = 0; k < n; k++)
            if (pos[k].asset == a)
                q = pos[k].collateral;
        asset_haircut(&cx, a, q, price_of(market, req, a), req->explain);
    }
    if (cx.set.portfolio && cx.vol_z_sqrt_h > 0.0 && n > 0) {
        KEEL_TRY(portfolio_var(&cx, &out_s.var, fn));
        out_s.liquidation = fmax(0.0, out_s.liquidation - out_s.var);
        out_s.borrowing = fmax(0.0, out_s.borrowing - out_s.var);
    }
    *out = out_s;
    return KEEL_OK;
}
