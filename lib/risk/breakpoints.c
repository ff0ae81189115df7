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
 * step (2^(1/64), 1.09%), or containing a strike, is never skipped.
 *
 * This file holds the set-up (the level-1 breakpoints, the assets whose
 * haircut may reach its cap) and keel_risk_crossings(); the walk (piece(),
 * the cap switches, the grid) is in breakpoints_walk.c, the polynomials in
 * chebyshev.c, the state they share in breakpoints_search.h. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "breakpoints.h"
#include "breakpoints_search.h"
#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "options/options_internal.h"
#include "risk_internal.h"

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
    s->cap_ids = keel_alloc_array(n + 1, sizeof *s->cap_ids);
    s->comps = keel_alloc_array(n + 1, sizeof *s->comps);
    if (s->breaks == NULL || s->caps == NULL || s->cuts == NULL || s->held == NULL ||
        s->cap_ids == NULL || s->comps == NULL)
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
            s->cap_ids[s->ncaps] = s->held[i];
            s->caps[s->ncaps++] = (capped){ s->held[i], t.cap };
        }
    s->cap_y = keel_alloc_array(2 * (s->ncaps + 1), (NODES + NCHECK) * sizeof *s->cap_y);
    if (s->cap_y == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", s->fn);
    s->cap_scale = s->cap_y + (s->ncaps + 1) * (NODES + NCHECK);
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
    s.f_spot = keel_crossing_surplus(s.spot, &s, &ok);
    if (!ok)
        return s.status;
    memset(out, 0, sizeof *out);
    out->healthy = s.f_spot >= 0.0;
    s.grid = book_on(options, asset);
    size_t nstrikes = 0;
    keel_status st = setup(&s, &nstrikes);
    /* neither held nor under an option: the price moves nothing */
    if (st == KEEL_OK && (s.q > 0.0 || s.d > 0.0 || s.grid)) {
        int rc = keel_crossing_walk(&s, -1);
        if (rc == FOUND) {
            out->found_below = true;
            out->below = s.root;
        }
        if (rc != FAIL) {
            rc = keel_crossing_walk(&s, 1);
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
    keel_dealloc(s.cap_ids);
    keel_dealloc(s.cap_y);
    keel_dealloc(s.comps);
    return st;
}
