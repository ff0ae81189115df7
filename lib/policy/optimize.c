/* Collateral optimisation: the least-VaR mix for a required borrowing power
 * (a convex QP, lib/math/qp.c) and the most borrowing power under a VaR
 * limit (bisection on the required borrowing power over that QP).
 *
 * Termination: the QP starts at the greedy most-lending mix, a vertex that is
 * often degenerate (caps, ties, or a required borrowing power equal to the
 * most there is make more constraints active than there are assets). The QP
 * resolves such vertices without cycling (linearly independent working sets,
 * Bland's smallest-index rule among tied blocking constraints, Lawson &
 * Hanson's NNLS on the local problem; see qp.c) and, in exact arithmetic,
 * ends at the optimum after finitely many iterations; its iteration limit is
 * a floating-point safeguard only, reported as KEEL_E_NO_CONVERGENCE. The
 * bisection is at most 200 steps. So every call ends, with the optimum or an
 * error, on any input: ties, correlation 1, zero volatilities, every cap
 * binding, duplicated assets. */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "keel/policy.h"

typedef struct mix {
    size_t n, m;
    double *q, *c, *a, *b, *x, *work;
    double *lend;  /* 1 - h_init per asset */
    double *cov;   /* S, without the regularisation */
    double *fac;   /* lower factor L of the correlations, R = L L' */
    double *sigma; /* volatilities */
    double total, scale; /* z sqrt(T) */
    bool *order_done;
} mix;

/* sqrt(v' S v) through the factor: ||L' D v|| (D = diag(sigma)). Each
 * component is one sum of products, so a hedge (correlation -1) cancels at
 * the size of its positions, not of their squares, and a riskless mix reads
 * exactly 0. */
static double risk(const mix *p, const double *v)
{
    double s = 0.0;
    for (size_t k = 0; k < p->n; k++) {
        double y = 0.0;
        for (size_t i = k; i < p->n; i++)
            y += p->fac[i * p->n + k] * p->sigma[i] * v[i];
        s += y * y;
    }
    return sqrt(s);
}

static double borrowing(const mix *p, const double *v)
{
    double s = 0.0;
    for (size_t i = 0; i < p->n; i++)
        s += v[i] * p->lend[i];
    return s;
}

/* The most borrowing power the caps allow: fill the best-lending assets first.
 * Writes that mix into p->x. */
static void greedy_start(mix *p, const double *caps)
{
    double left = p->total;
    for (size_t i = 0; i < p->n; i++)
        p->x[i] = 0.0;
    memset(p->order_done, 0, p->n * sizeof *p->order_done);
    for (size_t k = 0; k < p->n && left > 0.0; k++) {
        size_t best = p->n;
        for (size_t i = 0; i < p->n; i++)
            if (!p->order_done[i] && (best == p->n || p->lend[i] > p->lend[best]))
                best = i;
        p->order_done[best] = true;
        double put = caps ? fmin(caps[best], left) : left;
        p->x[best] = put;
        left -= put;
    }
}

/* Least risk with borrowing power >= need, from the greedy start (feasible:
 * need is at most its borrowing power). */
static keel_status least_risk(mix *p, const double *caps, double need, const char *fn)
{
    greedy_start(p, caps);
    p->b[1] = need;
    int rc = keel_qp_solve(p->n, p->q, p->c, p->m, 1, p->a, p->b, p->x, p->work, NULL);
    if (rc != KEEL_QP_OPTIMAL)
        return keel_fail(KEEL_E_NO_CONVERGENCE, "%s: the quadratic program %s", fn,
                         rc == KEEL_QP_SINGULAR ? "met a singular system" : "did not converge");
    for (size_t i = 0; i < p->n; i++)
        p->x[i] = fmax(p->x[i], 0.0); /* rounding below the bound */
    return KEEL_OK;
}

static keel_status check_inputs(const keel_market *market, const keel_haircut_model *haircuts,
                                size_t count, const keel_asset *assets, const double *caps,
                                const keel_collateral_params *params, double *out_values,
                                const keel_collateral_result *out, const char *fn)
{
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MARKET, fn, "market"));
    KEEL_TRY(keel_check_handle(haircuts, KEEL_TAG_HAIRCUT, fn, "haircuts"));
    KEEL_TRY(keel_check_ptr(assets, fn, "assets"));
    KEEL_TRY(keel_check_ptr(params, fn, "params"));
    KEEL_TRY(keel_check_ptr(out_values, fn, "out_values"));
    if (out != NULL && out->size < sizeof(size_t))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: out->size is %zu", fn, out->size);
    if (params->size < sizeof *params)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: params->size is %zu; set it to sizeof(keel_collateral_params)", fn,
                         params->size);
    if (count == 0 || count > KEEL_OPTIMIZE_MAX_ASSETS)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: count is %zu; give 1 to %d assets", fn, count,
                         KEEL_OPTIMIZE_MAX_ASSETS);
    for (size_t i = 0; i < count; i++) {
        KEEL_TRY(keel_market_check_asset(market, assets[i], fn));
        for (size_t j = 0; j < i; j++)
            if (assets[j] == assets[i])
                return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset %u appears twice", fn,
                                 (unsigned)assets[i]);
        if (caps != NULL) {
            if (isnan(caps[i]))
                return keel_fail(KEEL_E_NOT_FINITE, "%s: max_values[%zu] is NaN", fn, i);
            if (!(caps[i] >= 0.0))
                return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: max_values[%zu] is %g", fn, i, caps[i]);
        }
    }
    if (params->goal != KEEL_MAX_BORROWING && params->goal != KEEL_MIN_RISK)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unknown goal %d", fn, (int)params->goal);
    KEEL_TRY(keel_check_positive(params->total_value, fn, "total_value"));
    KEEL_TRY(keel_check_finite(params->confidence, fn, "confidence"));
    if (!(params->confidence > 0.5 && params->confidence < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: confidence must be in (0.5, 1), got %g", fn,
                         params->confidence);
    KEEL_TRY(keel_check_positive(params->horizon, fn, "horizon"));
    KEEL_TRY(keel_check_nonneg(params->max_var, fn, "max_var"));
    KEEL_TRY(keel_check_nonneg(params->min_borrowing, fn, "min_borrowing"));
    return KEEL_OK;
}

/* Fills the problem: S, the regularised objective, the constraint rows
 *   sum v = V;  sum (1 - h) v >= need;  v >= 0;  -v >= -cap (finite caps). */
static keel_status build(mix *p, const keel_market *market, const keel_haircut_model *haircuts,
                         const keel_asset *assets, const double *caps, const char *fn)
{
    size_t n = p->n;
    double *sigma = p->sigma;
    double maxdiag = 0.0;
    for (size_t i = 0; i < n; i++) {
        sigma[i] = keel_market_volatility_unchecked(market, assets[i]);
        keel_asset_terms t = keel_haircut_terms(haircuts, assets[i]);
        p->lend[i] = t.has_schedule ? 1.0 - t.initial : 0.0;
        maxdiag = fmax(maxdiag, sigma[i] * sigma[i]);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            double rho = i == j ? 1.0 : keel_market_correlation_unchecked(market, assets[i], assets[j]);
            p->cov[i * n + j] = rho; /* the correlations first, for the PSD check */
        }
    if (!keel_cholesky_psd(n, p->cov, p->fac))
        return keel_fail(KEEL_E_NOT_PSD,
                         "%s: the correlation matrix of the %zu assets is not positive semi-definite",
                         fn, n);
    double eps = 1e-12 * (maxdiag > 0.0 ? maxdiag : 1.0);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            p->cov[i * n + j] *= sigma[i] * sigma[j];
            p->q[i * n + j] = 2.0 * (p->cov[i * n + j] + (i == j ? eps : 0.0));
        }
    memset(p->c, 0, n * sizeof *p->c);
    memset(p->a, 0, p->m * n * sizeof *p->a);
    size_t r = 0;
    for (size_t j = 0; j < n; j++) {
        p->a[0 * n + j] = 1.0;
        p->a[1 * n + j] = p->lend[j];
    }
    p->b[0] = p->total;
    r = 2;
    for (size_t j = 0; j < n; j++, r++) {
        p->a[r * n + j] = 1.0;
        p->b[r] = 0.0;
    }
    for (size_t j = 0; caps != NULL && j < n; j++) {
        if (isinf(caps[j]))
            continue;
        p->a[r * n + j] = -1.0;
        p->b[r] = -caps[j];
        r++;
    }
    p->m = r;
    return KEEL_OK;
}

/* Moves p->x toward x0 (risk(x0) <= limit) along the segment between them,
 * to the last point (by bisection to adjacent doubles of the fraction) whose
 * risk is within the limit. */
typedef struct blend_ctx {
    mix *p;
    const double *x0, *x1;
    double limit;
} blend_ctx;

static void blend(const blend_ctx *c, double t)
{
    for (size_t i = 0; i < c->p->n; i++)
        c->p->x[i] = c->x0[i] + t * (c->x1[i] - c->x0[i]);
}

static keel_status blend_over(double t, void *vctx, bool *holds)
{
    const blend_ctx *c = vctx;
    blend(c, t);
    *holds = risk(c->p, c->p->x) > c->limit;
    return KEEL_OK;
}

static void keep_within(mix *p, const double *x0, double limit)
{
    double *x1 = p->work; /* the QP's workspace is free now */
    memcpy(x1, p->x, p->n * sizeof *x1);
    blend_ctx c = { p, x0, x1, limit };
    double lo = 0.0, hi = 1.0; /* within the limit at lo, over it at hi */
    (void)keel_bisect(blend_over, &c, &lo, &hi, KEEL_TOL_ULP); /* cannot fail */
    blend(&c, lo);
}

typedef struct over_ctx {
    mix *p;
    const double *caps;
    double lim; /* the VaR limit, in risk()'s units */
    const char *fn;
} over_ctx;

/* Whether the least VaR for borrowing power `need` exceeds the limit (the
 * least VaR is non-decreasing in the borrowing power required). */
static keel_status var_over_limit(double need, void *vctx, bool *holds)
{
    over_ctx *c = vctx;
    KEEL_TRY(least_risk(c->p, c->caps, need, c->fn));
    *holds = risk(c->p, c->p->x) > c->lim;
    return KEEL_OK;
}

keel_status keel_optimize_collateral(const keel_market *market, const keel_haircut_model *haircuts,
                                     size_t count, const keel_asset *assets,
                                     const double *max_values, const keel_collateral_params *params,
                                     double *out_values, keel_collateral_result *out)
{
    const char *fn = __func__;
    KEEL_TRY(check_inputs(market, haircuts, count, assets, max_values, params, out_values, out, fn));
    size_t n = count, m = 2 * n + 2;
    mix p = { n, m, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, params->total_value,
              keel_norm_quantile(params->confidence) * sqrt(params->horizon), NULL };
    size_t doubles = 3 * n * n + n + m * n + m + n + n + n + keel_qp_work_size(n, m) + n;
    double *buf = keel_alloc_array(doubles, sizeof *buf);
    p.order_done = keel_alloc_array(n, sizeof *p.order_done);
    keel_status st = KEEL_OK;
    if (buf == NULL || p.order_done == NULL) {
        st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        goto done;
    }
    p.q = buf;
    p.cov = p.q + n * n;
    p.c = p.cov + n * n;
    p.a = p.c + n;
    p.b = p.a + m * n;
    p.x = p.b + m;
    p.lend = p.x + n;
    p.fac = p.lend + n;
    p.sigma = p.fac + n * n;
    p.work = p.sigma + n;
    st = build(&p, market, haircuts, assets, max_values, fn);
    if (st != KEEL_OK)
        goto done;
    double room = 0.0;
    for (size_t i = 0; i < n; i++)
        room += max_values ? max_values[i] : INFINITY;
    if (!(room >= p.total * (1.0 - 1e-15))) {
        st = keel_fail(KEEL_E_INFEASIBLE, "%s: the caps hold %g, less than the total %g", fn,
                       room, p.total);
        goto done;
    }
    greedy_start(&p, max_values);
    double top = borrowing(&p, p.x); /* the most borrowing power there is */
    double need;
    if (params->goal == KEEL_MIN_RISK) {
        need = params->min_borrowing;
        if (need > top * (1.0 + 1e-15)) {
            st = keel_fail(KEEL_E_INFEASIBLE,
                           "%s: the borrowing power required, %g, exceeds the most possible, %g",
                           fn, need, top);
            goto done;
        }
        st = least_risk(&p, max_values, fmin(need, top), fn);
    } else {
        /* the least VaR at each required borrowing power is non-decreasing in it */
        double limit = params->max_var / p.scale;
        /* the regularisation S + eps I leaves a trace of risk (of the order of
         * 1e-12 of the riskiest whole position) in a mix that could be riskless */
        double maxvol = 0.0;
        for (size_t i = 0; i < n; i++)
            maxvol = fmax(maxvol, p.sigma[i]);
        double trace = 1e-10 * maxvol * p.total;
        st = least_risk(&p, max_values, 0.0, fn);
        if (st != KEEL_OK)
            goto done;
        double least = risk(&p, p.x);
        if (least > limit + trace) {
            st = keel_fail(KEEL_E_INFEASIBLE,
                           "%s: even the least-risk mix has a VaR of %g, above the limit %g", fn,
                           p.scale * least, params->max_var);
            goto done;
        }
        /* a least VaR within the trace of a limit below it counts as the limit */
        limit = fmax(limit, least);
        {
            double *x0 = p.work + keel_qp_work_size(n, m); /* the least-risk mix */
            memcpy(x0, p.x, n * sizeof *x0);
            double lo = borrowing(&p, p.x), hi = top;
            st = least_risk(&p, max_values, hi, fn);
            if (st != KEEL_OK)
                goto done;
            if (risk(&p, p.x) > limit) {
                over_ctx c = { &p, max_values, limit, fn };
                st = keel_bisect(var_over_limit, &c, &lo, &hi, KEEL_TOL_VAR);
                if (st != KEEL_OK)
                    goto done;
                st = least_risk(&p, max_values, lo, fn);
                if (st != KEEL_OK)
                    goto done;
                /* the solve's rounding may leave it a hair over: move toward the
                 * least-risk mix (a segment inside the constraints, risk convex
                 * along it) until the VaR is within the limit */
                if (risk(&p, p.x) > limit)
                    keep_within(&p, x0, limit);
            }
        }
    }
    if (st != KEEL_OK)
        goto done;
    memcpy(out_values, p.x, n * sizeof *out_values);
    if (out != NULL) {
        keel_collateral_result r = { sizeof r, borrowing(&p, p.x), p.scale * risk(&p, p.x) };
        r.size = out->size;
        memcpy(out, &r, out->size < sizeof r ? out->size : sizeof r);
    }
done:
    keel_dealloc(buf);
    keel_dealloc(p.order_done);
    return st;
}
