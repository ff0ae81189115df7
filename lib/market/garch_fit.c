/* GARCH(1,1) by maximum likelihood. The model, the likelihood, the
 * constraints and the method are stated in include/keel/estimators.h; the
 * derivation is in docs/haircuts.md. Nothing is allocated: the returns are
 * read in place, the scaling applied on the fly. */
#include <float.h>
#include <math.h>

#include "core/core_internal.h"
#include "keel/estimators.h"
#include "math/kmath.h"

KEEL_DEFINE_PARAMS_INIT(keel_garch_fit_params, KEEL_GARCH_FIT_PARAMS_INIT)

/* Parameters in the scaled problem: omega' (omega / s^2), alpha, beta, nu. */
enum { P_OMEGA, P_ALPHA, P_BETA, P_NU, NPAR };

/* A start has converged when the Newton step is below STEP_TOL of each
 * parameter (STEP_FLOOR for one near 0), or the decrease of f it predicts
 * is below DECREASE_TOL of f (f's own resolution: there rounding sets the
 * step). Past NU_DIVERGES the likelihood is taken to grow without bound in
 * nu (a normal fits as well). */
#define STEP_TOL 1e-9
#define DECREASE_TOL 1e-15
#define STEP_FLOOR 1e-13
#define NU_DIVERGES 1e4
/* omega' below this share of the variance, unconverged, is read as omega -> 0 */
#define OMEGA_VANISHES 1e-9

#define LOG_2PI 1.83787706640934548356 /* log(2 pi) */
#define LOG_PI 1.14472988584940017414  /* log(pi) */

typedef struct series {
    const double *r;
    size_t n;
    double mean;    /* subtracted from every return */
    double inv_s;   /* x_t = (r_t - mean) inv_s has mean square ~1 */
    double h1;      /* backcast of the scaled series: (1/n) sum x_t^2 */
    bool t;         /* Student-t innovations */
    size_t k;       /* parameters: 3, or 4 with nu */
} series;

/* The negative log-likelihood f of the scaled series at th, and (when g,
 * hess are not NULL) its gradient and Hessian, from the recursion
 * differentiated twice: with h_1 constant,
 *   dh_{t+1} = (1, x_t^2, h_t) + beta dh_t,
 *   d2h_{t+1}[i][j] = beta d2h_t[i][j] + [i = beta] dh_t[j] + [j = beta] dh_t[i];
 * and per observation, l_h = dl/dh, l_hh, and (Student-t) the derivatives in
 * nu, l_nu, l_hnu, l_nunu (docs/haircuts.md). *last gets h_{n+1}. Returns
 * false when a term is not finite. */
static bool nll(const series *d, const double *th, double *f, double *g, double hess[NPAR][NPAR],
                double *last)
{
    const double w = th[P_OMEGA], a = th[P_ALPHA], b = th[P_BETA];
    const double nu = d->t ? th[P_NU] : 0.0;
    double h = d->h1, dh[3] = { 0, 0, 0 }, d2h[3][3] = { { 0 } };
    double sum = 0.0, gs[NPAR] = { 0 }, hs[NPAR][NPAR] = { { 0 } };
    const bool derivs = g != NULL;
    for (size_t t = 0; t < d->n; t++) {
        double x = (d->r[t] - d->mean) * d->inv_s, x2 = x * x;
        double lt, lh, lhh, lnu = 0, lhnu = 0, lnunu = 0;
        if (!d->t) {
            /* l_t = -1/2 (log h + x^2 / h) (+ the constant below) */
            lt = -0.5 * (log(h) + x2 / h);
            lh = 0.5 * (x2 / h - 1.0) / h;
            lhh = (0.5 - x2 / h) / (h * h);
        } else {
            /* l_t = -1/2 log h - (nu+1)/2 log(1 + z), z = x^2 / ((nu-2) h) */
            double z = x2 / ((nu - 2.0) * h), A = 1.0 + z, L = log1p(z), wz = z / A;
            double za2 = z / (A * A), m = nu - 2.0;
            lt = -0.5 * log(h) - 0.5 * (nu + 1.0) * L;
            lh = ((nu + 1.0) * wz - 1.0) / (2.0 * h);
            lhh = -((nu + 1.0) * wz - 1.0) / (2.0 * h * h) - (nu + 1.0) * za2 / (2.0 * h * h);
            lnu = -0.5 * L + (nu + 1.0) * wz / (2.0 * m);
            lhnu = (wz - (nu + 1.0) * za2 / m) / (2.0 * h);
            lnunu = wz / (2.0 * m) - 3.0 * wz / (2.0 * m * m) - (nu + 1.0) * za2 / (2.0 * m * m);
        }
        sum += lt;
        if (derivs) {
            for (int i = 0; i < 3; i++) {
                gs[i] += lh * dh[i];
                for (int j = 0; j <= i; j++)
                    hs[i][j] += lhh * dh[i] * dh[j] + lh * d2h[i][j];
            }
            if (d->t) {
                gs[P_NU] += lnu;
                for (int i = 0; i < 3; i++)
                    hs[P_NU][i] += lhnu * dh[i];
                hs[P_NU][P_NU] += lnunu;
            }
            for (int i = 0; i < 3; i++)
                for (int j = 0; j <= i; j++)
                    d2h[i][j] = b * d2h[i][j] + (i == P_BETA ? dh[j] : 0.0) +
                                (j == P_BETA ? dh[i] : 0.0);
            double step[3] = { 1.0, x2, h };
            for (int i = 0; i < 3; i++)
                dh[i] = step[i] + b * dh[i];
        }
        h = w + a * x2 + b * h;
    }
    double nn = (double)d->n;
    if (!d->t) {
        sum -= 0.5 * nn * LOG_2PI;
    } else {
        /* the constant c(nu) = lgamma((nu+1)/2) - lgamma(nu/2) - 1/2 log(pi (nu-2)) and its
         * derivatives through the digamma and trigamma functions */
        double m = nu - 2.0;
        sum += nn * (lgamma(0.5 * (nu + 1.0)) - lgamma(0.5 * nu) - 0.5 * (LOG_PI + log(m)));
        gs[P_NU] += nn * (0.5 * keel_digamma(0.5 * (nu + 1.0)) - 0.5 * keel_digamma(0.5 * nu) -
                          0.5 / m);
        hs[P_NU][P_NU] += nn * (0.25 * keel_trigamma(0.5 * (nu + 1.0)) -
                                0.25 * keel_trigamma(0.5 * nu) + 0.5 / (m * m));
    }
    *f = -sum;
    if (last != NULL)
        *last = h;
    bool ok = isfinite(*f);
    if (derivs)
        for (size_t i = 0; i < d->k; i++) {
            g[i] = -gs[i];
            for (size_t j = 0; j <= i; j++)
                hess[i][j] = hess[j][i] = -hs[i][j];
            ok = ok && isfinite(g[i]);
        }
    return ok;
}

/* Whether th lies in the open part of the domain the linear constraints do
 * not guard: omega > 0 and 2 < nu. */
static bool open_feasible(const series *d, const double *th)
{
    return th[P_OMEGA] > 0.0 && (!d->t || th[P_NU] > 2.0);
}

/* ---- the active set: bits KEEL_GARCH_BOUND_* ---- */

/* Columns of Z, a basis of the directions the active constraints leave
 * free (k x m, column-major in z[col][row]); returns m. */
static size_t free_basis(const series *d, uint32_t active, double z[NPAR][NPAR])
{
    size_t m = 0;
    for (size_t c = 0; c < NPAR; c++)
        for (size_t r = 0; r < NPAR; r++)
            z[c][r] = 0.0;
    z[m++][P_OMEGA] = 1.0;
    int held = !!(active & KEEL_GARCH_BOUND_ALPHA) + !!(active & KEEL_GARCH_BOUND_BETA) +
               !!(active & KEEL_GARCH_BOUND_INTEGRATED);
    if (held == 0) {
        z[m++][P_ALPHA] = 1.0;
        z[m++][P_BETA] = 1.0;
    } else if (held == 1) {
        if (active == KEEL_GARCH_BOUND_ALPHA) {
            z[m++][P_BETA] = 1.0;
        } else if (active == KEEL_GARCH_BOUND_BETA) {
            z[m++][P_ALPHA] = 1.0;
        } else {
            z[m][P_ALPHA] = 1.0; /* along alpha + beta = 1 */
            z[m++][P_BETA] = -1.0;
        }
    }
    if (d->t)
        z[m++][P_NU] = 1.0;
    return m;
}

/* Cholesky solve of the m x m system a x = b, in place: x holds b on entry
 * and the solution on return; false (x unchanged) when a is not positive
 * definite (a pivot not above a relative floor). */
static bool spd_solve(size_t m, double a[NPAR][NPAR], double *x)
{
    double l[NPAR][NPAR] = { { 0 } }, y[NPAR];
    for (size_t j = 0; j < m; j++) {
        double s = a[j][j];
        for (size_t p = 0; p < j; p++)
            s -= l[j][p] * l[j][p];
        if (!(s > 1e-14 * fabs(a[j][j])) || !(s > 0.0))
            return false;
        l[j][j] = sqrt(s);
        for (size_t i = j + 1; i < m; i++) {
            double v = a[i][j];
            for (size_t p = 0; p < j; p++)
                v -= l[i][p] * l[j][p];
            l[i][j] = v / l[j][j];
        }
    }
    for (size_t i = 0; i < m; i++) {
        double v = x[i];
        for (size_t p = 0; p < i; p++)
            v -= l[i][p] * y[p];
        y[i] = v / l[i][i];
    }
    for (size_t k = 0; k < m; k++) {
        size_t i = m - 1 - k;
        double v = y[i];
        for (size_t p = i + 1; p < m; p++)
            v -= l[p][i] * y[p];
        y[i] = v / l[i][i];
    }
    for (size_t i = 0; i < m; i++)
        x[i] = y[i];
    return true;
}

/* Z' H Z (m x m) and Z' g. */
static void reduce(const series *d, size_t m, double z[NPAR][NPAR], const double *g,
                   double hess[NPAR][NPAR], double hz[NPAR][NPAR], double *gz)
{
    for (size_t p = 0; p < m; p++) {
        gz[p] = 0.0;
        for (size_t i = 0; i < d->k; i++)
            gz[p] += z[p][i] * g[i];
        for (size_t q = 0; q < m; q++) {
            double v = 0.0;
            for (size_t i = 0; i < d->k; i++)
                for (size_t j = 0; j < d->k; j++)
                    v += z[p][i] * hess[i][j] * z[q][j];
            hz[p][q] = v;
        }
    }
}

/* The Lagrange multipliers of the active constraints from the gradient g
 * of f in (alpha, beta) (g = sum lambda_j a_j for constraints a_j' th >= b_j:
 * alpha >= 0, beta >= 0, -alpha - beta >= -1); returns the bit of the most
 * negative one below -tol, or 0 when all hold. */
static uint32_t release(uint32_t active, const double *g, double tol)
{
    double ga = g[P_ALPHA], gb = g[P_BETA];
    double lam[3] = { 0, 0, 0 }; /* alpha, beta, integrated */
    switch (active) {
    case KEEL_GARCH_BOUND_ALPHA: lam[0] = ga; break;
    case KEEL_GARCH_BOUND_BETA: lam[1] = gb; break;
    case KEEL_GARCH_BOUND_INTEGRATED: lam[2] = -0.5 * (ga + gb); break;
    case KEEL_GARCH_BOUND_ALPHA | KEEL_GARCH_BOUND_BETA: lam[0] = ga, lam[1] = gb; break;
    case KEEL_GARCH_BOUND_ALPHA | KEEL_GARCH_BOUND_INTEGRATED:
        lam[2] = -gb, lam[0] = ga - gb;
        break;
    case KEEL_GARCH_BOUND_BETA | KEEL_GARCH_BOUND_INTEGRATED:
        lam[2] = -ga, lam[1] = gb - ga;
        break;
    default: return 0;
    }
    uint32_t worst = 0;
    double low = -tol;
    for (int j = 0; j < 3; j++)
        if ((active & (1u << j)) && lam[j] < low)
            low = lam[j], worst = 1u << j;
    return worst;
}

/* Places th exactly on the active constraints. */
static void snap(uint32_t active, double *th)
{
    if (active & KEEL_GARCH_BOUND_ALPHA)
        th[P_ALPHA] = 0.0;
    if (active & KEEL_GARCH_BOUND_BETA)
        th[P_BETA] = 0.0;
    if (active & KEEL_GARCH_BOUND_INTEGRATED) {
        if (active & KEEL_GARCH_BOUND_ALPHA)
            th[P_BETA] = 1.0;
        else if (active & KEEL_GARCH_BOUND_BETA)
            th[P_ALPHA] = 1.0;
        else
            th[P_BETA] = 1.0 - th[P_ALPHA];
    }
}

typedef struct start_result {
    double th[NPAR];
    double f;
    uint32_t active;
    uint32_t iterations;
    bool converged;
    bool nu_diverges;
} start_result;

/* The longest step t <= 1 along dir that keeps the inactive constraints;
 * *hit gets the constraint reached at t (0 when t = 1 is free). */
static double max_step(uint32_t active, const double *th, const double *dir, uint32_t *hit)
{
    double t = 1.0;
    *hit = 0;
    if (!(active & KEEL_GARCH_BOUND_ALPHA) && dir[P_ALPHA] < 0.0 &&
        th[P_ALPHA] < -t * dir[P_ALPHA])
        t = th[P_ALPHA] / -dir[P_ALPHA], *hit = KEEL_GARCH_BOUND_ALPHA;
    if (!(active & KEEL_GARCH_BOUND_BETA) && dir[P_BETA] < 0.0 && th[P_BETA] < -t * dir[P_BETA])
        t = th[P_BETA] / -dir[P_BETA], *hit = KEEL_GARCH_BOUND_BETA;
    double up = dir[P_ALPHA] + dir[P_BETA], room = 1.0 - th[P_ALPHA] - th[P_BETA];
    if (!(active & KEEL_GARCH_BOUND_INTEGRATED) && up > 0.0 && room < t * up)
        t = fmax(room, 0.0) / up, *hit = KEEL_GARCH_BOUND_INTEGRATED;
    return t;
}

/* Newton's method with an active set from th0 (strictly inside), at most
 * `limit` iterations. */
static void newton(const series *d, const double *th0, uint32_t limit, start_result *res)
{
    double th[NPAR] = { 0 };
    for (size_t i = 0; i < d->k; i++)
        th[i] = th0[i];
    uint32_t active = 0;
    double f, g[NPAR], hess[NPAR][NPAR];
    *res = (start_result){ .f = INFINITY };
    nll(d, th, &f, g, hess, NULL); /* finite at a grid point (grid_starts) */
    /* a multiplier below this (f's units per unit parameter) releases its
     * constraint: well above the gradient's rounding, n eps |terms| */
    double tol = 1e-9 * (double)d->n;
    uint32_t it = 0;
    for (; it < limit; it++) {
        if (d->t && th[P_NU] > NU_DIVERGES) {
            res->nu_diverges = true;
            break;
        }
        double z[NPAR][NPAR], hz[NPAR][NPAR], gz[NPAR], dz[NPAR] = { 0 }, dir[NPAR] = { 0 };
        size_t m = free_basis(d, active, z);
        reduce(d, m, z, g, hess, hz, gz);
        for (size_t p = 0; p < m; p++)
            dz[p] = -gz[p];
        /* Levenberg-Marquardt: shift a Hessian that is not positive definite
         * along its own diagonal scale until it is */
        bool pd = spd_solve(m, hz, dz);
        double shift = 1e-8, dmax = 0.0;
        for (size_t p = 0; p < m; p++)
            dmax = fmax(dmax, fabs(hz[p][p]));
        while (!pd && shift < 1e12) {
            double hm[NPAR][NPAR];
            for (size_t p = 0; p < m; p++)
                for (size_t q = 0; q < m; q++)
                    hm[p][q] = hz[p][q];
            for (size_t p = 0; p < m; p++)
                hm[p][p] += shift * fmax(fabs(hz[p][p]), 1e-8 * dmax + DBL_MIN);
            for (size_t p = 0; p < m; p++)
                dz[p] = -gz[p];
            if (spd_solve(m, hm, dz))
                break;
            shift *= 10.0;
        }
        if (!pd && !(shift < 1e12))
            break;
        for (size_t p = 0; p < m; p++)
            for (size_t i = 0; i < d->k; i++)
                dir[i] += z[p][i] * dz[p];
        /* converged: a step below tolerance, or one whose predicted decrease
         * -g'dir / 2 is below what f can resolve (where rounding, not the
         * distance to the maximum, sets the step) */
        double slope = 0.0;
        for (size_t i = 0; i < d->k; i++)
            slope += g[i] * dir[i];
        bool tiny = true;
        for (size_t i = 0; i < d->k; i++)
            tiny = tiny && fabs(dir[i]) <= STEP_TOL * fabs(th[i]) + STEP_FLOOR;
        bool small = pd && (tiny || -slope <= DECREASE_TOL * (fabs(f) + 1.0));
        if (small) {
            uint32_t drop = release(active, g, tol);
            if (drop == 0) {
                res->converged = true;
                break;
            }
            active &= ~drop;
            continue;
        }
        uint32_t hit;
        double t = max_step(active, th, dir, &hit);
        if (!(t > 0.0)) {
            /* already on a constraint the set did not hold: hold it */
            active |= hit;
            snap(active, th);
            if (!nll(d, th, &f, g, hess, NULL))
                break;
            continue;
        }
        bool moved = false;
        for (int tries = 0; tries < 60; tries++, t *= 0.5, hit = 0) {
            double trial[NPAR], ft;
            for (size_t i = 0; i < d->k; i++)
                trial[i] = th[i] + t * dir[i];
            snap(active | hit, trial);
            if (!open_feasible(d, trial) || !nll(d, trial, &ft, NULL, NULL, NULL))
                continue;
            if (ft <= f + 1e-4 * t * slope && ft < f) {
                for (size_t i = 0; i < d->k; i++)
                    th[i] = trial[i];
                active |= hit;
                moved = true;
                break;
            }
        }
        if (!moved || !nll(d, th, &f, g, hess, NULL))
            break;
    }
    for (size_t i = 0; i < NPAR; i++)
        res->th[i] = th[i];
    res->f = f;
    res->active = active;
    res->iterations = it;
}

/* Starting points: on a grid of (alpha, beta) (and nu), omega' = (1 - alpha
 * - beta) h_1, the long-run variance at the backcast. The likelihood can
 * have several local maxima (a low-persistence one near beta = 0 and a
 * high-persistence one, on returns of nearly constant variance), so the
 * starts are the grid's best point in each band of persistence alpha +
 * beta, and the two best overall. */
static const double BANDS[] = { 0.75, 0.9, 0.95 }; /* upper ends; the last band is above */
#define NBANDS (sizeof BANDS / sizeof BANDS[0] + 1)
#define STARTS (NBANDS + 2)

static size_t band_of(double persistence)
{
    size_t b = 0;
    while (b < NBANDS - 1 && persistence >= BANDS[b])
        b++;
    return b;
}

static size_t grid_starts(const series *d, double starts[STARTS][NPAR])
{
    static const double alphas[] = { 0.02, 0.05, 0.1, 0.2 };
    static const double betas[] = { 0.3, 0.5, 0.7, 0.8, 0.86, 0.9, 0.93, 0.95, 0.97 };
    static const double nus[] = { 3.5, 6.0, 12.0 };
    double fb[NBANDS + 2], pick[NBANDS + 2][NPAR]; /* per band, then the best two */
    for (size_t b = 0; b < NBANDS + 2; b++)
        fb[b] = INFINITY;
    size_t nn = d->t ? sizeof nus / sizeof nus[0] : 1;
    for (size_t i = 0; i < sizeof alphas / sizeof alphas[0]; i++)
        for (size_t j = 0; j < sizeof betas / sizeof betas[0]; j++)
            for (size_t v = 0; v < nn; v++) {
                double a = alphas[i], b = betas[j], f;
                if (a + b > 0.99)
                    continue;
                double th[NPAR] = { (1.0 - a - b) * d->h1, a, b, d->t ? nus[v] : 0.0 };
                nll(d, th, &f, NULL, NULL, NULL); /* finite: every term is bounded here */
                size_t band = band_of(a + b);
                if (f < fb[band]) {
                    fb[band] = f;
                    memcpy(pick[band], th, sizeof th);
                }
                for (size_t q = NBANDS; q < NBANDS + 2; q++)
                    if (f < fb[q]) {
                        if (q == NBANDS) { /* the best moves to second */
                            fb[NBANDS + 1] = fb[NBANDS];
                            memcpy(pick[NBANDS + 1], pick[NBANDS], sizeof th);
                        }
                        fb[q] = f;
                        memcpy(pick[q], th, sizeof th);
                        break;
                    }
            }
    size_t have = 0;
    for (size_t b = 0; b < NBANDS + 2; b++) {
        bool dup = !(fb[b] < INFINITY);
        for (size_t q = 0; q < have && !dup; q++)
            dup = memcmp(starts[q], pick[b], sizeof pick[b]) == 0;
        if (!dup)
            memcpy(starts[have++], pick[b], sizeof pick[b]);
    }
    return have;
}

static keel_status check_fit_params(const keel_garch_fit_params *params,
                                    keel_garch_fit_params *p, const char *fn)
{
    *p = (keel_garch_fit_params)KEEL_GARCH_FIT_PARAMS_INIT;
    if (params != NULL) {
        KEEL_TRY(keel_check_sized(params, fn, "params", "keel_garch_fit_params"));
        keel_read_sized(p, sizeof *p, params);
    }
    if (p->distribution != KEEL_GARCH_NORMAL && p->distribution != KEEL_GARCH_STUDENT_T)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unknown distribution %d", fn,
                         (int)p->distribution);
    if (p->demean != 0 && p->demean != 1)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: demean must be 0 or 1, got %d", fn, p->demean);
    if (p->max_iterations == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: max_iterations must be >= 1", fn);
    return KEEL_OK;
}

/* Checks the returns and sets up the scaled series: the mean, the scale s
 * (the root mean square of e_t, computed without overflow) and the
 * backcast. */
static keel_status prepare(const double *r, size_t n, bool demean, series *d, double *s_out,
                           double *log_s, const char *fn)
{
    for (size_t t = 0; t < n; t++)
        if (!isfinite(r[t]))
            return keel_fail(KEEL_E_NOT_FINITE, "%s: returns[%zu] is %g", fn, t, r[t]);
    if (n < KEEL_GARCH_FIT_MIN_RETURNS)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %zu returns; at least %d are needed", fn, n,
                         KEEL_GARCH_FIT_MIN_RETURNS);
    bool constant = true;
    for (size_t t = 1; t < n && constant; t++)
        constant = r[t] == r[0];
    if (constant)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the returns are all %g: there is no variance to model", fn, r[0]);
    double mean = 0.0;
    if (demean) {
        for (size_t t = 0; t < n; t++)
            mean += r[t] / (double)n; /* each term divided first: no overflow */
    }
    double big = 0.0;
    for (size_t t = 0; t < n; t++)
        big = fmax(big, fabs(r[t] - mean));
    if (!isfinite(big))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: the returns' spread overflows", fn);
    double ms = 0.0;
    for (size_t t = 0; t < n; t++) {
        double u = (r[t] - mean) / big;
        ms += u * u;
    }
    ms /= (double)n;
    double s = big * sqrt(ms);
    /* the variances s^2 h' and omega = s^2 omega' must be representable */
    if (!(s * s >= DBL_MIN * 1e10) || !(s * s <= DBL_MAX * 1e-10))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the returns' variance is %g, beyond the range this fit handles "
                         "(rescale them)", fn, s * s);
    *d = (series){ .r = r, .n = n, .mean = mean, .inv_s = 1.0 / s, .h1 = 0.0 };
    double h1 = 0.0;
    for (size_t t = 0; t < n; t++) {
        double x = (r[t] - mean) * d->inv_s;
        h1 += x * x;
    }
    d->h1 = h1 / (double)n;
    *s_out = s;
    *log_s = log(big) + 0.5 * log(ms);
    return KEEL_OK;
}

/* Why the likelihood's maximum was not found, from the start that climbed
 * highest without converging. */
static keel_status no_maximum(const series *d, const start_result *r, uint32_t limit,
                              const char *fn)
{
    if (r->nu_diverges)
        return keel_fail(KEEL_E_NO_CONVERGENCE,
                         "%s: nu grows without bound (past %g): the returns' tails are no "
                         "fatter than the normal's; fit KEEL_GARCH_NORMAL",
                         fn, NU_DIVERGES);
    if (r->th[P_OMEGA] < OMEGA_VANISHES * d->h1)
        return keel_fail(KEEL_E_NO_CONVERGENCE,
                         "%s: omega tends to 0 (%g of the returns' variance after %u "
                         "iterations): the likelihood rises toward omega = 0, outside "
                         "the model (omega > 0)", fn, r->th[P_OMEGA] / d->h1, limit);
    return keel_fail(KEEL_E_NO_CONVERGENCE,
                     "%s: no starting point converged in %u iterations (the highest reached "
                     "omega %g of the returns' variance, alpha %g, beta %g, nu %g)",
                     fn, limit, r->th[P_OMEGA] / d->h1, r->th[P_ALPHA], r->th[P_BETA],
                     d->t ? r->th[P_NU] : 0.0);
}

keel_status keel_garch_fit(const double *returns, size_t n, const keel_garch_fit_params *params,
                           keel_garch_fit_result *out)
{
    KEEL_TRY(keel_check_ptr(returns, __func__, "returns"));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_garch_fit_result"));
    keel_garch_fit_params p;
    KEEL_TRY(check_fit_params(params, &p, __func__));
    series d;
    double s = 1.0, log_s = 0.0;
    KEEL_TRY(prepare(returns, n, p.demean == 1, &d, &s, &log_s, __func__));
    d.t = p.distribution == KEEL_GARCH_STUDENT_T;
    d.k = d.t ? 4 : 3;

    double starts[STARTS][NPAR];
    size_t count = grid_starts(&d, starts);
    start_result best = { .f = INFINITY }, tried = { .f = INFINITY };
    for (size_t i = 0; i < count; i++) {
        start_result r;
        newton(&d, starts[i], p.max_iterations, &r);
        if (r.converged && r.f < best.f)
            best = r;
        if (!r.converged && r.f < tried.f)
            tried = r;
    }
    /* a start that did not converge yet climbed above every one that did
     * shows that the maximum lies beyond the model or was not reached */
    if (!best.converged || tried.f < best.f - 1e-10 * (fabs(best.f) + 1.0))
        return no_maximum(&d, &tried, p.max_iterations, __func__);

    /* covariance on the free directions: Z (Z' H Z)^-1 Z' */
    double f, g[NPAR], hess[NPAR][NPAR], last, z[NPAR][NPAR], hz[NPAR][NPAR], gz[NPAR];
    nll(&d, best.th, &f, g, hess, &last);
    size_t m = free_basis(&d, best.active, z);
    reduce(&d, m, z, g, hess, hz, gz);
    double var[NPAR] = { 0 };
    for (size_t q = 0; q < m; q++) {
        double col[NPAR] = { 0 };
        col[q] = 1.0;
        /* positive definite: the convergence test factored this same matrix */
        spd_solve(m, hz, col);
        /* var_i = sum_pq z_p[i] inv[p][q] z_q[i]: column q of the inverse is col */
        for (size_t i = 0; i < d.k; i++)
            for (size_t p2 = 0; p2 < m; p2++)
                var[i] += z[p2][i] * col[p2] * z[q][i];
    }

    double s2 = s * s;
    keel_garch_fit_result r = KEEL_GARCH_FIT_RESULT_INIT;
    r.omega = best.th[P_OMEGA] * s2;
    r.alpha = best.th[P_ALPHA];
    r.beta = best.th[P_BETA];
    r.nu = d.t ? best.th[P_NU] : 0.0;
    r.mean = d.mean;
    r.omega_se = sqrt(fmax(var[P_OMEGA], 0.0)) * s2;
    r.alpha_se = sqrt(fmax(var[P_ALPHA], 0.0));
    r.beta_se = sqrt(fmax(var[P_BETA], 0.0));
    r.nu_se = d.t ? sqrt(fmax(var[P_NU], 0.0)) : 0.0;
    r.mean_se = p.demean ? s * sqrt(d.h1 / (double)n) : 0.0;
    r.log_likelihood = -best.f - (double)n * log_s;
    r.initial_variance = d.h1 * s2;
    r.last_variance = last * s2;
    r.persistence = (best.active & KEEL_GARCH_BOUND_INTEGRATED) ? 1.0 : r.alpha + r.beta;
    r.iterations = best.iterations;
    r.bounds = best.active;
    r.n = n;
    /* finite: s^2 <= 1e-10 DBL_MAX (prepare), and the scaled variances stay below about n,
     * since the x_t have mean square 1 */
    keel_write_sized(out, &r, sizeof r);
    return KEEL_OK;
}
