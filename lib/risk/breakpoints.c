/* Where an account's health changes side as one asset's price p moves, all
 * else fixed: the searches behind keel_basket_liquidation_price() and
 * keel_basket_liquidation_prices() when HF is not linear-fractional in p.
 * The guarantee is stated in include/keel/risk.h and worked in
 * docs/haircuts.md; here is why it holds.
 *
 * Structural mode (no option on the asset). S(p) = L - W is the engine's
 * surplus (lib/risk/evaluate.c): S >= 0 healthy, S < 0 liquidatable. Write
 * u = sqrt(p); q, d the asset's collateral and debt; C' the value of every
 * other position held as collateral and W' the other weighted debt (both
 * constant in p); Wb(p) = W' + d b p the basket's weighted debt. Term by term:
 *   - the asset's liquidity add-on k sqrt(q p / depth) is k' u, or its cap;
 *   - a concentration excess e = 1 - m C(p) / (q_i p_i), C(p) = C' + q p, is 0
 *     below the limit share and otherwise affine in p (another asset) or in
 *     1/p (the asset itself); EXCLUDE mode's q_i p_i (1 - e) = m C(p) is
 *     affine in p;
 *   - the peg add-on m x (outside debt) / Wb(p) is affine over affine in p;
 *   - a haircut min(cap, raw) is raw or the cap;
 *   - in portfolio mode the VaR is z sqrt(H) sqrt(w'Sw) with w affine in p,
 *     so VaR^2 is a quadratic in p.
 * Cut the price axis where a min or max switches: the asset's liquidity cap
 * p = depth (cap / k)^2 / q, every concentration threshold (closed forms in
 * level1_breakpoints()), every point where an asset's raw haircut reaches
 * its cap (roots of (raw - cap) Wb(p), times p for the asset itself: a
 * polynomial of degree <= 5 in u, found as below), and the point where the
 * value V of a book on other assets alone covers its margin M and the debt.
 * On each piece, Lb (the basket's liquidation value before the VaR) times
 * Wb is a polynomial of degree <= 5 in u, and so is Y = Wb (Lb + V - Wb - M).
 * The engine computes L = max(0, max(0, Lb - VaR) + V): where max(V, 0) >=
 * M + Wb(p) the account is healthy whatever Lb is (piece() reads such a piece
 * at its end only), elsewhere S >= 0 iff Lb - VaR + V - M - Wb >= 0. Outside
 * portfolio mode that is the sign of Y; in it, S >= 0 iff Y >= Wb VaR, whose
 * boundary points are roots of Y^2 - Wb^2 VaR^2 (a polynomial of degree <= 10
 * in u; where VaR = 0 they are double roots, and the roots of Y cover them).
 *
 * Each piece (cut also at every octave, so that the interpolation is well
 * conditioned) is handled by piece(): Y, Wb and VaR^2 are interpolated at 6
 * Chebyshev nodes in u from full revaluations -- exact for polynomials of
 * degree <= 5, up to rounding -- and checked against 3 more revaluations to
 * FIT_TOL of the piece's scale (a failed check, a bend this analysis does not
 * know, splits the piece, and after MAX_SPLITS halvings falls back to the
 * grid below). Every real root and turning point of Y (and of
 * Y^2 - Wb^2 VaR^2) on the piece is isolated (the roots of the derivative,
 * found recursively, split the piece into intervals on which the polynomial
 * is monotone; then bisection), and the engine's own sign is read at each
 * and once between every two consecutive ones. The side changes only at a
 * root, so at most once between two consecutive readings: the first reading
 * on the other side brackets the nearest change of side, which Brent's
 * method (Brent 1973, ch. 4) refines. Reading at the turning points too puts
 * a reading of the engine at the deepest point of any window, so what can
 * escape is a dip of S below 0 smaller than the interpolation's rounding (of
 * the order of 1e-14 of the account's values).
 *
 * Grid mode (an option on the asset). Black-Scholes values and the SPAN
 * margin (a maximum over scenarios) have no such shape, and the scenario grid
 * is the book's own; the engine's sign is read at every strike of the
 * asset's options, at the breakpoints above and on a geometric grid of
 * GRID_PER_OCTAVE points per octave: a window of one side wider than one grid
 * step (2^(1/64), 1.09%), or containing a strike, is never skipped. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "breakpoints.h"
#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "options/options_internal.h"
#include "risk_internal.h"

/* The walk covers spot / 2^64 .. spot x 2^64, as the documented range. */
#define OCTAVES 64
/* Interpolation nodes per piece: degree NODES - 1 = 5 in u. */
#define NODES 6
#define MAXDEG (2 * (NODES - 1))
/* Agreement required at the check points, relative to the piece's scale. */
#define FIT_TOL 1e-10
#define MAX_SPLITS 3
/* Grid mode: points per octave (adjacent points 2^(1/64) = 1.0109 apart). */
#define GRID_PER_OCTAVE 64
/* Roots kept per cap-switching asset on one segment. */
#define CUTS_PER_ASSET (NODES + 2)

static const double PI = 3.14159265358979323846;

/* Outcome of a step of the walk. */
enum { GO_ON = 0, FOUND = 1, STOP = 2, FAIL = 3 };

/* A collateral asset whose maintenance haircut can reach its cap inside the
 * range: where it does, the surplus bends. */
typedef struct capped {
    keel_asset asset;
    double cap;
} capped;

typedef struct search {
    const keel_basket *basket;
    const keel_options *options;
    const keel_market *market;
    const keel_haircut_model *haircuts;
    keel_asset asset;
    const char *fn;
    keel_status status;
    const keel_haircut_settings *set;
    bool grid;      /* an option on the asset: grid mode */
    bool portfolio; /* the VaR comes off L */
    bool mu_one;    /* no weighted debt at any price: multiply by 1, not Wb */
    double spot, f_spot;
    double q, d;    /* the asset's collateral and debt */
    double w, w0;   /* Wb(p) = w0 + w p */
    double v, m;    /* the book's value and margin (constant in structural mode) */
    double *breaks; /* level-1 breakpoints, increasing */
    size_t nbreaks;
    capped *caps;
    size_t ncaps;
    double *cuts;   /* a segment's cap switches (scratch) */
    keel_asset *held; /* the assets held as collateral, increasing */
    size_t nheld;
    keel_haircut_components *comps; /* their breakdowns (scratch) */
    /* the walk: the last point read and its surplus, on side `healthy` */
    bool healthy;
    double xc, fc;
    double root;
} search;

/* ---- evaluations ---- */

/* The engine's L - W with the asset at p, options included: >= 0 healthy. */
static double surplus(double p, void *vctx, bool *ok)
{
    search *s = vctx;
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.override_asset = s->asset;
    req.override_price = p;
    keel_risk_sums r;
    s->status = keel_risk_evaluate(s->basket, s->options, s->market, s->haircuts, &req, &r, s->fn);
    *ok = s->status == KEEL_OK;
    return *ok ? r.liquidation - (r.weighted + r.option_margin) : 0.0;
}

/* After a failed evaluation: an overflow ends the walk on this side (no
 * crossing found there), anything else fails the call. */
static int failed(const search *s)
{
    return s->status == KEEL_E_OVERFLOW ? STOP : FAIL;
}

/* What a piece's interpolation needs at one price: the basket's liquidation
 * value before the VaR, the VaR, the weighted debt and the collateral value
 * (for the scale). The book is left out: it is constant in structural mode. */
typedef struct sample {
    double lb, var, wb, c;
} sample;

static int sample_at(search *s, double p, sample *out)
{
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.override_asset = s->asset;
    req.override_price = p;
    keel_risk_sums r;
    s->status = keel_risk_evaluate(s->basket, NULL, s->market, s->haircuts, &req, &r, s->fn);
    if (s->status != KEEL_OK)
        return failed(s);
    out->var = r.var;
    out->wb = r.weighted;
    out->c = r.collateral;
    out->lb = r.liquidation;
    if (!s->portfolio || r.liquidation > 0.0) {
        out->lb += r.var; /* L = max(0, Lb - VaR) was not clamped */
        return GO_ON;
    }
    /* L was clamped at 0: Lb from each asset's effective haircut, all
     * explained by one more evaluation */
    req.explain_ids = s->held;
    req.explain_count = s->nheld;
    req.explain_list = s->comps;
    s->status = keel_risk_evaluate(s->basket, NULL, s->market, s->haircuts, &req, &r, s->fn);
    if (s->status != KEEL_OK)
        return failed(s);
    size_t n;
    const keel_position *pos = keel_basket_data(s->basket, &n);
    double lb = 0.0;
    for (size_t k = 0, i = 0; k < n; k++) {
        if (!(pos[k].collateral > 0.0))
            continue;
        keel_asset id = pos[k].asset;
        double price = id == s->asset ? p : keel_market_price_unchecked(s->market, id);
        lb += pos[k].collateral * price * (1.0 - s->comps[i++].maintenance);
    }
    out->lb = lb;
    return GO_ON;
}

/* ---- polynomials in t on [-1, 1], coefficients in increasing degree ---- */

static double horner(const double *c, int n, double t)
{
    double r = c[n];
    for (int k = n - 1; k >= 0; k--)
        r = r * t + c[k];
    return r;
}

/* Monomial coefficients of the Chebyshev polynomials T_0 .. T_5. */
static const double CHEB[NODES][NODES] = {
    { 1, 0, 0, 0, 0, 0 },  { 0, 1, 0, 0, 0, 0 },   { -1, 0, 2, 0, 0, 0 },
    { 0, -3, 0, 4, 0, 0 }, { 1, 0, -8, 0, 8, 0 }, { 0, 5, 0, -20, 0, 16 },
};

/* The j-th interpolation node, cos((2j + 1) pi / 12), and the check points. */
static double node_t(int j)
{
    return cos((2 * j + 1) * PI / (2 * NODES));
}
#define NCHECK 3
static const double CHECK_T[NCHECK] = { 0.0, 0.5, -0.5 };

/* The polynomial of degree <= 5 through (node_t(j), y[j]), by the discrete
 * Chebyshev transform, into monomial coefficients c[0..5]. */
static void fit(const double *y, double *c)
{
    double a[NODES];
    for (int k = 0; k < NODES; k++) {
        double sum = 0.0;
        for (int j = 0; j < NODES; j++)
            sum += y[j] * cos(k * (2 * j + 1) * PI / (2 * NODES));
        a[k] = (k == 0 ? 1.0 : 2.0) * sum / NODES;
    }
    for (int i = 0; i < NODES; i++) {
        c[i] = 0.0;
        for (int k = 0; k < NODES; k++)
            c[i] += a[k] * CHEB[k][i];
    }
}

/* Whether the fit c reproduces the checked values y_check at CHECK_T. */
static bool fits(const double *c, const double *y_check)
{
    for (int i = 0; i < NCHECK; i++)
        if (!(fabs(horner(c, NODES - 1, CHECK_T[i]) - y_check[i]) <= FIT_TOL))
            return false;
    return true;
}

static void poly_mul(const double *a, int na, const double *b, int nb, double *out)
{
    for (int k = 0; k <= na + nb; k++)
        out[k] = 0.0;
    for (int i = 0; i <= na; i++)
        for (int j = 0; j <= nb; j++)
            out[i + j] += a[i] * b[j];
}

typedef struct sign_ctx {
    const double *c;
    int n;
    bool negative_at_lo;
} sign_ctx;

/* Whether c has left the sign it has at the bracket's low end (0 counts). */
static keel_status sign_changed(double t, void *vctx, bool *holds)
{
    const sign_ctx *s = vctx;
    double f = horner(s->c, s->n, t);
    *holds = f == 0.0 || (f < 0.0) != s->negative_at_lo;
    return KEEL_OK;
}

/* The real roots of c (degree <= n <= MAXDEG) in [-1, 1], increasing, into
 * out (room for MAXDEG + 2); returns their number. The roots of the
 * derivative (recursively) split [-1, 1] into intervals on which c is
 * monotone; each interval whose ends differ in sign holds one root, found
 * by bisection to adjacent doubles. */
static int poly_roots(const double *c, int n, double *out)
{
    while (n > 0 && c[n] == 0.0)
        n--;
    if (n == 0)
        return 0;
    double ends[MAXDEG + 2];
    int ne = 0;
    ends[ne++] = -1.0;
    if (n >= 2) {
        double dc[MAXDEG], crit[MAXDEG + 2];
        for (int k = 1; k <= n; k++)
            dc[k - 1] = k * c[k];
        int nc = poly_roots(dc, n - 1, crit);
        for (int i = 0; i < nc; i++)
            if (crit[i] > ends[ne - 1] && crit[i] < 1.0)
                ends[ne++] = crit[i];
    }
    ends[ne++] = 1.0;
    int nr = 0;
    double flo = horner(c, n, ends[0]);
    if (flo == 0.0)
        out[nr++] = ends[0];
    for (int i = 0; i + 1 < ne; i++) {
        double lo = ends[i], hi = ends[i + 1], fhi = horner(c, n, hi);
        if (fhi == 0.0) {
            out[nr++] = hi;
        } else if (flo != 0.0 && (flo < 0.0) != (fhi < 0.0)) {
            sign_ctx sc = { c, n, flo < 0.0 };
            (void)keel_bisect(sign_changed, &sc, &lo, &hi, KEEL_TOL_ULP); /* cannot fail */
            out[nr++] = 0.5 * (lo + hi);
        }
        flo = fhi;
    }
    return nr;
}

/* ---- the walk ---- */

/* Reads the engine's sign at x, the next point along the walk. On the side
 * already held, x becomes the last point read; on the other side, the change
 * lies between the last point and x and is refined. */
static int visit(search *s, double x)
{
    bool ok;
    double fx = surplus(x, s, &ok);
    if (!ok)
        return failed(s);
    if ((fx >= 0.0) == s->healthy) {
        s->xc = x;
        s->fc = fx;
        return GO_ON;
    }
    if (s->fc == 0.0) { /* an exact zero on the healthy side is the crossing */
        s->root = s->xc;
        return FOUND;
    }
    int rc = keel_brent(surplus, s, s->xc, s->fc, x, fx, KEEL_TOL_ROOT, &s->root);
    if (rc == 2)
        return FAIL;
    if (rc != 0) {
        s->status = keel_fail(KEEL_E_NO_CONVERGENCE,
                              "%s: root finding did not converge in [%g, %g]", s->fn, s->xc, x);
        return FAIL;
    }
    return FOUND;
}

/* Reads the sign on a geometric grid from x0 (excluded, already read) to x1
 * (included), at least GRID_PER_OCTAVE points per octave. */
static int grid(search *s, double x0, double x1)
{
    double octaves = fabs(log2(x1 / x0));
    int n = (int)ceil(octaves * GRID_PER_OCTAVE);
    if (!(n >= 1))
        n = 1;
    for (int i = 1; i <= n; i++) {
        int rc = visit(s, i == n ? x1 : x0 * pow(x1 / x0, (double)i / n));
        if (rc != GO_ON)
            return rc;
    }
    return GO_ON;
}

/* The price at t in [-1, 1] on the piece u in [u0, u1] (t = -1 at u0). */
static double price_at(double u0, double u1, double t)
{
    double u = 0.5 * (u0 + u1) + 0.5 * (u1 - u0) * t;
    return u * u;
}

/* Candidate points of a polynomial c of degree <= deg on [-1, 1]: its real
 * roots and those of its derivative (its turning points), appended to t. */
static int add_candidates(const double *c, int deg, double *t, int nt)
{
    double dc[MAXDEG];
    for (int k = 1; k <= deg; k++)
        dc[k - 1] = k * c[k];
    nt += poly_roots(c, deg, t + nt);
    if (deg >= 1)
        nt += poly_roots(dc, deg - 1, t + nt);
    return nt;
}

/* Reads the engine's sign along the piece from y0 (excluded, already read)
 * to y1 (included) at every candidate t (in any order) and once between
 * every two consecutive ones. The sign of S changes only at a root, so
 * between two consecutive readings it changes at most once. Reading at the
 * turning points too means a window is seen by the engine's own arithmetic
 * wherever its deepest point is, even if the interpolant's rounding
 * hides it. */
static int visit_candidates(search *s, double y0, double y1, double *t, int nt)
{
    for (int i = 1; i < nt; i++) { /* insertion sort: a few dozen at most */
        double x = t[i];
        int j = i;
        for (; j > 0 && t[j - 1] > x; j--)
            t[j] = t[j - 1];
        t[j] = x;
    }
    double u0 = sqrt(y0), u1 = sqrt(y1), prev = y0;
    for (int i = 0; i < nt; i++) {
        double r = price_at(u0, u1, t[i]);
        /* strictly inside the piece and past the previous candidate */
        if (!((y1 > y0) ? (r > prev && r < y1) : (r < prev && r > y1)))
            continue;
        int rc = visit(s, 0.5 * (prev + r));
        if (rc == GO_ON)
            rc = visit(s, r);
        if (rc != GO_ON)
            return rc;
        prev = r;
    }
    if (prev != y0) {
        int rc = visit(s, 0.5 * (prev + y1));
        if (rc != GO_ON)
            return rc;
    }
    return visit(s, y1);
}

/* One piece of structural mode, from y0 (excluded, already read) to y1. */
static int piece(search *s, double y0, double y1, int depth)
{
    /* The value of a book on other assets alone covers the requirement: L >=
     * max(V, 0) >= W on the whole piece (the point where this switches is a
     * breakpoint), so the account is healthy throughout. */
    double mid = 0.5 * (y0 + y1);
    if (fmax(s->v, 0.0) - s->m - (s->w0 + s->w * mid) >= 0.0)
        return visit(s, y1);

    double u0 = sqrt(y0), u1 = sqrt(y1);
    sample sm[NODES + NCHECK];
    for (int j = 0; j < NODES + NCHECK; j++) {
        double t = j < NODES ? node_t(j) : CHECK_T[j - NODES];
        int rc = sample_at(s, price_at(u0, u1, t), &sm[j]);
        if (rc != GO_ON)
            return rc;
    }
    /* Y = mu (Lb + V - Wb - M), mu = Wb (or 1 without any weighted debt),
     * scaled to at most 1 in size; likewise mu and VaR^2. */
    double scale = 0.0, mu_max = 0.0;
    for (int j = 0; j < NODES + NCHECK; j++) {
        scale = fmax(scale, sm[j].c + sm[j].lb + fabs(s->v) + sm[j].wb + s->m + sm[j].var);
        mu_max = fmax(mu_max, s->mu_one ? 1.0 : sm[j].wb);
    }
    if (!(scale > 0.0 && mu_max > 0.0 && isfinite(scale)))
        return visit(s, y1); /* nothing held at any node: S = 0 */
    double y[NODES + NCHECK], mu[NODES + NCHECK], v2[NODES + NCHECK];
    for (int j = 0; j < NODES + NCHECK; j++) {
        mu[j] = (s->mu_one ? 1.0 : sm[j].wb) / mu_max;
        y[j] = mu[j] * ((sm[j].lb + s->v - sm[j].wb - s->m) / scale);
        v2[j] = (sm[j].var / scale) * (sm[j].var / scale);
    }
    double cy[NODES], cmu[NODES], cv2[NODES];
    fit(y, cy);
    bool ok = fits(cy, y + NODES);
    if (s->portfolio) {
        fit(mu, cmu);
        fit(v2, cv2);
        ok = ok && fits(cmu, mu + NODES) && fits(cv2, v2 + NODES);
    }
    if (!ok) {
        /* a bend this analysis does not know of: halve, then the grid */
        if (depth >= MAX_SPLITS)
            return grid(s, y0, y1);
        double um = 0.5 * (u0 + u1);
        int rc = piece(s, y0, um * um, depth + 1);
        return rc != GO_ON ? rc : piece(s, um * um, y1, depth + 1);
    }
    /* roots and turning points of Y; 4 (MAXDEG + 2) leaves room for those of
     * Y^2 - mu^2 VaR^2 too */
    double t[4 * (MAXDEG + 2)];
    int nt = add_candidates(cy, NODES - 1, t, 0);
    if (!s->portfolio)
        return visit_candidates(s, y0, y1, t, nt);
    /* S >= 0 iff Y >= mu VaR: the boundary points are roots of
     * Y^2 - mu^2 VaR^2 (simple ones, or roots of Y where VaR = 0, which the
     * roots of Y cover) */
    double yy[MAXDEG + 1], mm[MAXDEG + 1], h[2 * MAXDEG + 1];
    poly_mul(cy, NODES - 1, cy, NODES - 1, yy);
    poly_mul(cmu, NODES - 1, cmu, NODES - 1, mm);
    /* mu is affine in p: degree 2 in u, so mu^2 VaR^2 has degree <= 8 */
    poly_mul(mm, 4, cv2, 4, h);
    for (int k = 0; k <= MAXDEG; k++)
        h[k] = yy[k] - (k <= 8 ? h[k] : 0.0);
    nt = add_candidates(h, MAXDEG, t, nt);
    return visit_candidates(s, y0, y1, t, nt);
}

/* The raw maintenance haircut of a capped asset (before the cap) with the
 * asset at p, times the multiplier that makes (raw - cap) a polynomial in u:
 * Wb(p) (1 without weighted debt), and p for the asset itself. */
static int raw_at(search *s, const capped *cp, double p, double *out, double *scale)
{
    keel_haircut_components c;
    memset(&c, 0, sizeof c);
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.override_asset = s->asset;
    req.override_price = p;
    req.explain_asset = cp->asset;
    req.explain = &c;
    keel_risk_sums r;
    s->status = keel_risk_evaluate(s->basket, NULL, s->market, s->haircuts, &req, &r, s->fn);
    if (s->status != KEEL_OK)
        return failed(s);
    bool extra = s->set->conc_mode == KEEL_CONCENTRATION_EXTRA;
    double raw = c.base_maintenance + c.volatility + c.liquidity + c.peg +
                 (extra ? c.concentration : 0.0);
    double mult = (s->mu_one ? 1.0 : r.weighted) * (cp->asset == s->asset ? p : 1.0);
    *out = (raw - cp->cap) * mult;
    *scale = (fabs(raw) + cp->cap) * mult;
    return GO_ON;
}

static int by_walk_order(double a, double b, int dir)
{
    return dir > 0 ? a < b : a > b;
}

/* The points strictly between x0 and x1 where a capped asset's haircut meets
 * its cap, in walking order, into s->cuts; their number in *n. */
static int cap_switches(search *s, double x0, double x1, size_t *n)
{
    int dir = x1 > x0 ? 1 : -1;
    double u0 = sqrt(x0), u1 = sqrt(x1);
    *n = 0;
    for (size_t a = 0; a < s->ncaps; a++) {
        double y[NODES + NCHECK], sc[NODES + NCHECK], scale = 0.0;
        for (int j = 0; j < NODES + NCHECK; j++) {
            double t = j < NODES ? node_t(j) : CHECK_T[j - NODES];
            int rc = raw_at(s, &s->caps[a], price_at(u0, u1, t), &y[j], &sc[j]);
            if (rc != GO_ON)
                return rc;
            scale = fmax(scale, sc[j]);
        }
        if (!(scale > 0.0 && isfinite(scale)))
            continue;
        for (int j = 0; j < NODES + NCHECK; j++)
            y[j] /= scale;
        double c[NODES], t[MAXDEG + 2];
        fit(y, c);
        int nt;
        if (fits(c, y + NODES)) {
            nt = poly_roots(c, NODES - 1, t);
        } else { /* unknown shape: cut evenly; each piece's own check decides */
            nt = CUTS_PER_ASSET;
            for (int i = 0; i < nt; i++)
                t[i] = -1.0 + 2.0 * (i + 1) / (nt + 1);
        }
        for (int i = 0; i < nt && *n < s->ncaps * CUTS_PER_ASSET; i++) {
            double p = price_at(u0, u1, t[i]);
            if (by_walk_order(x0, p, dir) && by_walk_order(p, x1, dir))
                s->cuts[(*n)++] = p;
        }
    }
    /* insertion sort in walking order (a handful of points) */
    for (size_t i = 1; i < *n; i++) {
        double x = s->cuts[i];
        size_t j = i;
        for (; j > 0 && by_walk_order(x, s->cuts[j - 1], dir); j--)
            s->cuts[j] = s->cuts[j - 1];
        s->cuts[j] = x;
    }
    return GO_ON;
}

/* A segment between consecutive level-1 breakpoints or octaves. */
static int segment(search *s, double x0, double x1)
{
    if (s->grid)
        return grid(s, x0, x1);
    size_t n = 0;
    int rc = cap_switches(s, x0, x1, &n);
    if (rc != GO_ON)
        return rc;
    double prev = x0;
    for (size_t i = 0; i < n; i++) {
        if (s->cuts[i] == prev)
            continue;
        rc = piece(s, prev, s->cuts[i], 0);
        if (rc != GO_ON)
            return rc;
        prev = s->cuts[i];
    }
    return piece(s, prev, x1, 0);
}

/* Walks from spot in direction dir (-1 down, +1 up) over segments cut at the
 * level-1 breakpoints and at every octave, out to spot x 2^(dir 64). */
static int walk(search *s, int dir)
{
    s->healthy = s->f_spot >= 0.0;
    s->xc = s->spot;
    s->fc = s->f_spot;
    double prev = s->spot;
    /* the first breakpoint beyond spot in this direction */
    size_t i = 0;
    while (i < s->nbreaks && s->breaks[i] <= s->spot)
        i++;
    long next = dir > 0 ? (long)i : (long)i - 1;
    while (next >= 0 && next < (long)s->nbreaks && s->breaks[next] == s->spot)
        next += dir;
    for (int k = 1; k <= OCTAVES; k++) {
        double oct = ldexp(s->spot, dir * k);
        if (!(oct > 0.0 && oct < INFINITY) || oct == prev)
            return GO_ON; /* the range ends where doubles do */
        while (next >= 0 && next < (long)s->nbreaks && by_walk_order(s->breaks[next], oct, dir)) {
            double b = s->breaks[next];
            next += dir;
            if (!by_walk_order(prev, b, dir))
                continue;
            int rc = segment(s, prev, b);
            if (rc != GO_ON)
                return rc;
            prev = b;
        }
        int rc = segment(s, prev, oct);
        if (rc != GO_ON)
            return rc;
        prev = oct;
    }
    return GO_ON;
}

/* ---- set-up ---- */

static void add_break(search *s, double p)
{
    if (p > 0.0 && p < INFINITY)
        s->breaks[s->nbreaks++] = p;
}

/* The closed-form breakpoints (see the top of the file) and, in grid mode,
 * the strikes; increasing. */
static void level1_breakpoints(search *s, const keel_position *pos, size_t n, double c_other)
{
    const keel_haircut_settings *set = s->set;
    keel_asset_terms tx = keel_haircut_terms(s->haircuts, s->asset);
    if (s->q > 0.0 && tx.has_schedule) {
        /* liquidity cap: k sqrt(q p / depth) = cap */
        double depth = keel_market_depth_unchecked(s->market, s->asset);
        if (set->liq_k > 0.0 && isfinite(depth) && depth > 0.0) {
            double r = set->liq_cap / set->liq_k;
            add_break(s, depth * r * r / s->q);
        }
        /* the asset's own share q p / (C' + q p) = m */
        if (tx.max_share < 1.0 && tx.max_share > 0.0)
            add_break(s, tx.max_share * c_other / (s->q * (1.0 - tx.max_share)));
    }
    /* another asset's share q_i p_i / (C' + q p) = m_i */
    if (s->q > 0.0)
        for (size_t k = 0; k < n; k++) {
            if (pos[k].asset == s->asset || !(pos[k].collateral > 0.0))
                continue;
            keel_asset_terms t = keel_haircut_terms(s->haircuts, pos[k].asset);
            if (!t.has_schedule || !(t.max_share < 1.0 && t.max_share > 0.0))
                continue;
            double cv = pos[k].collateral * keel_market_price_unchecked(s->market, pos[k].asset);
            add_break(s, (cv / t.max_share - c_other) / s->q);
        }
    /* the book's value alone covers the requirement: max(V, 0) = M + Wb(p) */
    if (s->w > 0.0)
        add_break(s, (fmax(s->v, 0.0) - s->m - s->w0) / s->w);
    if (s->grid) {
        size_t count = keel_options_size(s->options);
        for (size_t i = 0; i < count; i++) {
            keel_option_position op;
            keel_options_at(s->options, i, &op);
            if (op.underlying == s->asset)
                add_break(s, op.strike);
        }
    }
    for (size_t i = 1; i < s->nbreaks; i++) {
        double x = s->breaks[i];
        size_t j = i;
        for (; j > 0 && s->breaks[j - 1] > x; j--)
            s->breaks[j] = s->breaks[j - 1];
        s->breaks[j] = x;
    }
}

/* Whether the asset's raw maintenance haircut can be on both sides of its
 * cap at some prices (bounds from the components at spot and the ranges of
 * the add-ons that move with p). */
static bool may_reach_cap(const search *s, keel_asset a, const keel_haircut_components *c)
{
    keel_asset_terms t = keel_haircut_terms(s->haircuts, a);
    if (!t.has_schedule)
        return false;
    const keel_haircut_settings *set = s->set;
    bool extra = set->conc_mode == KEEL_CONCENTRATION_EXTRA;
    double lo = c->base_maintenance + c->volatility, hi = lo;
    if (a == s->asset && set->liq_k > 0.0) {
        hi += set->liq_cap;
    } else {
        lo += c->liquidity;
        hi += c->liquidity;
    }
    if (set->peg_addon > 0.0 && s->w > 0.0) {
        hi += set->peg_addon;
    } else {
        lo += c->peg;
        hi += c->peg;
    }
    if (extra) {
        if (t.max_share < 1.0 && s->q > 0.0) {
            hi += t.extra;
        } else {
            lo += c->concentration;
            hi += c->concentration;
        }
    }
    return lo < t.cap && hi > t.cap;
}

/* Whether the book holds an option on the asset. */
static bool book_on(const keel_options *options, keel_asset asset)
{
    size_t count = options != NULL ? keel_options_size(options) : 0;
    for (size_t i = 0; i < count; i++) {
        keel_option_position op;
        keel_options_at(options, i, &op);
        if (op.underlying == asset && op.quantity != 0.0)
            return true;
    }
    return false;
}

static keel_status setup(search *s, size_t *nstrikes_out)
{
    size_t n;
    const keel_position *pos = keel_basket_data(s->basket, &n);
    double c_other = 0.0;
    for (size_t k = 0; k < n; k++) {
        if (pos[k].asset == s->asset) {
            s->q = pos[k].collateral;
            s->d = pos[k].debt;
        } else {
            c_other += pos[k].collateral * keel_market_price_unchecked(s->market, pos[k].asset);
        }
    }
    s->set = keel_haircut_settings_of(s->haircuts);
    s->portfolio = s->set->portfolio && s->set->vol_scale > 0.0;
    s->w = s->d * keel_haircut_terms(s->haircuts, s->asset).borrow_factor;
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.skip_asset = s->asset;
    keel_risk_sums r;
    KEEL_TRY(keel_risk_evaluate(s->basket, NULL, s->market, s->haircuts, &req, &r, s->fn));
    s->w0 = r.weighted;
    s->mu_one = !(s->w0 > 0.0) && !(s->w > 0.0);
    if (s->options != NULL) {
        req = KEEL_RISK_REQUEST_NONE;
        KEEL_TRY(keel_risk_evaluate(s->basket, s->options, s->market, s->haircuts, &req, &r,
                                    s->fn));
        s->v = r.option_value;
        s->m = r.option_margin;
    }
    size_t count = s->options != NULL ? keel_options_size(s->options) : 0;
    *nstrikes_out = count;
    s->breaks = keel_alloc_array(n + count + 4, sizeof *s->breaks);
    s->caps = keel_alloc_array(n + 1, sizeof *s->caps);
    s->cuts = keel_alloc_array((n + 1) * CUTS_PER_ASSET, sizeof *s->cuts);
    s->held = keel_alloc_array(n + 1, sizeof *s->held);
    s->comps = keel_alloc_array(n + 1, sizeof *s->comps);
    if (s->breaks == NULL || s->caps == NULL || s->cuts == NULL || s->held == NULL ||
        s->comps == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", s->fn);
    for (size_t k = 0; k < n; k++)
        if (pos[k].collateral > 0.0)
            s->held[s->nheld++] = pos[k].asset;
    level1_breakpoints(s, pos, n, c_other);
    if (s->grid)
        return KEEL_OK;
    KEEL_TRY(keel_risk_breakdowns(s->haircuts, s->basket, s->market, s->held, s->nheld, s->comps,
                                  s->fn));
    for (size_t i = 0; i < s->nheld; i++)
        if (may_reach_cap(s, s->held[i], &s->comps[i])) {
            keel_asset_terms t = keel_haircut_terms(s->haircuts, s->held[i]);
            s->caps[s->ncaps++] = (capped){ s->held[i], t.cap };
        }
    return KEEL_OK;
}

keel_status keel_risk_crossings(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, const keel_haircut_model *haircuts,
                                keel_asset asset, keel_crossings *out, const char *fn)
{
    search s;
    memset(&s, 0, sizeof s);
    s.basket = basket;
    s.options = options;
    s.market = market;
    s.haircuts = haircuts;
    s.asset = asset;
    s.fn = fn;
    s.spot = keel_market_price_unchecked(market, asset);
    bool ok;
    s.f_spot = surplus(s.spot, &s, &ok);
    if (!ok)
        return s.status;
    memset(out, 0, sizeof *out);
    out->healthy = s.f_spot >= 0.0;
    s.grid = book_on(options, asset);
    size_t nstrikes = 0;
    keel_status st = setup(&s, &nstrikes);
    /* neither held nor under an option: the price moves nothing */
    if (st == KEEL_OK && (s.q > 0.0 || s.d > 0.0 || s.grid)) {
        int rc = walk(&s, -1);
        if (rc == FOUND) {
            out->found_below = true;
            out->below = s.root;
        }
        if (rc != FAIL) {
            rc = walk(&s, 1);
            if (rc == FOUND) {
                out->found_above = true;
                out->above = s.root;
            }
        }
        if (rc == FAIL)
            st = s.status;
    }
    keel_dealloc(s.breaks);
    keel_dealloc(s.caps);
    keel_dealloc(s.cuts);
    keel_dealloc(s.held);
    keel_dealloc(s.comps);
    return st;
}
