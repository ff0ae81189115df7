/* The walk of the liquidation-price search along one side of the price
 * axis (keel_crossing_walk(), declared in breakpoints_search.h): segments
 * between level-1 breakpoints and octaves, cut again where a haircut meets
 * its cap, each piece interpolated and its candidate points read by the
 * engine, or a geometric grid in grid mode. The method and why it finds the
 * nearest change of side are at the top of breakpoints.c. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "breakpoints_search.h"
#include "core/core_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "risk_internal.h"

/* ---- evaluations ---- */

/* The engine's L - W with the asset at p, options included: >= 0 healthy. */
double keel_crossing_surplus(double p, void *vctx, bool *ok)
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

/* ---- the walk ---- */

/* Reads the engine's sign at x, the next point along the walk. On the side
 * already held, x becomes the last point read; on the other side, the change
 * lies between the last point and x and is refined. */
static int visit(search *s, double x)
{
    bool ok;
    double fx = keel_crossing_surplus(x, s, &ok);
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
    int rc = keel_brent(keel_crossing_surplus, s, s->xc, s->fc, x, fx, KEEL_TOL_ROOT, &s->root);
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
        double t = j < NODES ? keel_cheb_node(j) : keel_cheb_check[j - NODES];
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
    keel_poly_fit(y, cy);
    bool ok = keel_poly_fits(cy, y + NODES);
    if (s->portfolio) {
        keel_poly_fit(mu, cmu);
        keel_poly_fit(v2, cv2);
        ok = ok && keel_poly_fits(cmu, mu + NODES) && keel_poly_fits(cv2, v2 + NODES);
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
    int nt = keel_poly_candidates(cy, NODES - 1, t, 0);
    if (!s->portfolio)
        return visit_candidates(s, y0, y1, t, nt);
    /* S >= 0 iff Y >= mu VaR: the boundary points are roots of
     * Y^2 - mu^2 VaR^2 (simple ones, or roots of Y where VaR = 0, which the
     * roots of Y cover) */
    double yy[MAXDEG + 1], mm[MAXDEG + 1], h[2 * MAXDEG + 1];
    keel_poly_mul(cy, NODES - 1, cy, NODES - 1, yy);
    keel_poly_mul(cmu, NODES - 1, cmu, NODES - 1, mm);
    /* mu is affine in p: degree 2 in u, so mu^2 VaR^2 has degree <= 8 */
    keel_poly_mul(mm, 4, cv2, 4, h);
    for (int k = 0; k <= MAXDEG; k++)
        h[k] = yy[k] - (k <= 8 ? h[k] : 0.0);
    nt = keel_poly_candidates(h, MAXDEG, t, nt);
    return visit_candidates(s, y0, y1, t, nt);
}

/* The raw maintenance haircut of every capped asset (before the cap) with
 * the asset at p, all from one evaluation, times the multiplier that makes
 * (raw - cap) a polynomial in u: Wb(p) (1 without weighted debt), and p for
 * the asset itself; capped asset a's into y[a * stride], its scale into
 * scale[a * stride]. */
static int raws_at(search *s, double p, double *y, double *scale, size_t stride)
{
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.override_asset = s->asset;
    req.override_price = p;
    req.explain_ids = s->cap_ids;
    req.explain_count = s->ncaps;
    req.explain_list = s->comps;
    keel_risk_sums r;
    s->status = keel_risk_evaluate(s->basket, NULL, s->market, s->haircuts, &req, &r, s->fn);
    if (s->status != KEEL_OK)
        return failed(s);
    bool extra = s->set->conc_mode == KEEL_CONCENTRATION_EXTRA;
    for (size_t a = 0; a < s->ncaps; a++) {
        const keel_haircut_components *c = &s->comps[a];
        const capped *cp = &s->caps[a];
        double raw = c->base_maintenance + c->volatility + c->liquidity + c->peg +
                     (extra ? c->concentration : 0.0);
        double mult = (s->mu_one ? 1.0 : r.weighted) * (cp->asset == s->asset ? p : 1.0);
        y[a * stride] = (raw - cp->cap) * mult;
        scale[a * stride] = (fabs(raw) + cp->cap) * mult;
    }
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
    if (s->ncaps == 0)
        return GO_ON;
    const size_t stride = NODES + NCHECK;
    for (int j = 0; j < NODES + NCHECK; j++) {
        double t = j < NODES ? keel_cheb_node(j) : keel_cheb_check[j - NODES];
        int rc = raws_at(s, price_at(u0, u1, t), s->cap_y + j, s->cap_scale + j, stride);
        if (rc != GO_ON)
            return rc;
    }
    for (size_t a = 0; a < s->ncaps; a++) {
        double *y = s->cap_y + a * stride, scale = 0.0;
        for (int j = 0; j < NODES + NCHECK; j++)
            scale = fmax(scale, s->cap_scale[a * stride + j]);
        if (!(scale > 0.0 && isfinite(scale)))
            continue;
        for (int j = 0; j < NODES + NCHECK; j++)
            y[j] /= scale;
        double c[NODES], t[MAXDEG + 2];
        keel_poly_fit(y, c);
        int nt;
        if (keel_poly_fits(c, y + NODES)) {
            nt = keel_poly_roots(c, NODES - 1, t);
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
int keel_crossing_walk(search *s, int dir)
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
