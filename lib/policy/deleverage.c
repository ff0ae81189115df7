/* The least-cost deleverage, keel_deleverage(): checks the parameters,
 * builds the levers from the account (the effective haircuts of every asset
 * from one evaluation), solves for their uses (solver.c), builds the plan
 * from them, and corrects the requirement until the health factor after the
 * plan, evaluated by the full risk engine, equals the target. */
#include <float.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "cost/cost_internal.h"
#include "haircut/haircut_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "plan_internal.h"
#include "risk/risk_internal.h"
#include "solver.h"

static const keel_cost_terms NO_TERMS = { .impact = KEEL_IMPACT_NONE }; /* the rest 0 */

/* Where sales' proceeds go: the repay asset (repay) or the swap asset. */
typedef struct destination {
    keel_asset asset;
    bool repay;
    double price;
    keel_cost_terms t;
} destination;

/* Builds the plan for repayment z (same-asset) and the levers in pb. */
static void build_plan(const problem *pb, const destination *d, double z, double debt_left,
                       keel_plan *plan)
{
    keel_plan_clear(plan);
    keel_action act = KEEL_ACTION_INIT;
    if (z > 0.0) {
        act.type = KEEL_ACTION_REPAY_WITH_COLLATERAL;
        act.asset = act.debt_asset = d->asset;
        act.quantity = act.repaid = z;
        plan->actions[plan->count++] = act;
    }
    double proceeds = 0.0;
    for (size_t i = 0; i < pb->n; i++) {
        const lever *l = &pb->s[i];
        if (!(l->x > 0.0))
            continue;
        act = (keel_action)KEEL_ACTION_INIT;
        if (l->kind == SELL) {
            /* a sale that does not pay its own fixed cost is not made */
            proceeds += fmax(0.0, l->p * l->x - keel_cost_sell(&l->t, l->p, l->x) - l->t.fixed);
            continue;
        }
        if (l->kind == DEPOSIT) {
            act.type = KEEL_ACTION_DEPOSIT;
            act.to_asset = l->asset;
            act.received = l->x;
        } else {
            double r = fmin(l->x, debt_left);
            debt_left -= r;
            act.type = KEEL_ACTION_REPAY_FROM_WALLET;
            act.debt_asset = l->asset;
            act.repaid = r;
        }
        plan->actions[plan->count++] = act;
    }
    double bought = proceeds > d->t.fixed ? pb->beta * (proceeds - d->t.fixed) / d->price : 0.0;
    /* never repay more than owed */
    double scale = d->repay && bought > debt_left ? debt_left / bought : 1.0;
    for (size_t i = 0; i < pb->n; i++) {
        const lever *l = &pb->s[i];
        if (l->kind != SELL || !(l->x > 0.0))
            continue;
        double own = l->p * l->x - keel_cost_sell(&l->t, l->p, l->x) - l->t.fixed;
        if (!(own > 0.0))
            continue;
        double units = proceeds > 0.0 ? bought * own / proceeds * scale : 0.0;
        if (d->repay) { /* the shares' rounding must not repay more than is owed */
            units = fmin(units, debt_left);
            debt_left -= units;
        }
        act = (keel_action)KEEL_ACTION_INIT;
        act.asset = l->asset;
        act.quantity = l->x;
        if (d->repay) {
            act.type = KEEL_ACTION_SELL_TO_REPAY;
            act.debt_asset = d->asset;
            act.repaid = units;
        } else {
            act.type = KEEL_ACTION_SWAP;
            act.to_asset = d->asset;
            act.received = units;
        }
        /* everything given up that did not come back at the market price */
        act.cost = l->p * l->x - units * d->price;
        plan->actions[plan->count++] = act;
        plan->cost += act.cost;
    }
}

/* The effective maintenance haircut at the margin of every asset the solver
 * reads (the destination's, the basket's collateral, the wallet's), all from
 * one evaluation of the basket: in portfolio mode the VaR's Euler component
 * of the asset (q dVaR/dq, in the numeraire) adds its share per unit of
 * value, component / (q p), so that selling a unit gives up
 * p (1 - h) - dVaR/dq of liquidation value. */
typedef struct margin_haircuts {
    keel_asset *ids; /* increasing */
    double *h;
    size_t n;
} margin_haircuts;

static int by_id(const void *a, const void *b)
{
    keel_asset x = *(const keel_asset *)a, y = *(const keel_asset *)b;
    return (x > y) - (x < y);
}

/* Appends the assets of `basket` held as collateral to ids. */
static void add_collateral_ids(const keel_basket *basket, keel_asset *ids, size_t *n)
{
    size_t npos;
    const keel_position *pos = keel_basket_data(basket, &npos);
    for (size_t k = 0; k < npos; k++)
        if (pos[k].collateral > 0.0)
            ids[(*n)++] = pos[k].asset;
}

static keel_status margin_haircuts_of(const keel_haircut_model *haircuts,
                                      const keel_basket *basket, const keel_market *market,
                                      const keel_basket *wallet, keel_asset dest,
                                      margin_haircuts *out, const char *fn)
{
    size_t npos, nw = 0;
    keel_basket_data(basket, &npos);
    if (wallet != NULL)
        keel_basket_data(wallet, &nw);
    size_t cap = npos + nw + 1;
    out->n = 0;
    out->ids = keel_alloc_array(cap, sizeof *out->ids);
    out->h = keel_alloc_array(cap, sizeof *out->h);
    keel_haircut_components *c = keel_alloc_array(cap, sizeof *c);
    keel_status st = KEEL_OK;
    if (out->ids == NULL || out->h == NULL || c == NULL) {
        st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        goto done;
    }
    size_t n = 0;
    add_collateral_ids(basket, out->ids, &n);
    if (wallet != NULL)
        add_collateral_ids(wallet, out->ids, &n);
    if (dest != KEEL_ASSET_INVALID)
        out->ids[n++] = dest;
    qsort(out->ids, n, sizeof *out->ids, by_id);
    for (size_t i = 0; i < n; i++)
        if (out->n == 0 || out->ids[out->n - 1] != out->ids[i])
            out->ids[out->n++] = out->ids[i];
    st = keel_risk_breakdowns(haircuts, basket, market, out->ids, out->n, c, fn);
    for (size_t i = 0; i < out->n && st == KEEL_OK; i++) {
        keel_asset a = out->ids[i];
        double q = keel_basket_quantity(basket, a, false);
        double value = q * keel_market_price_unchecked(market, a);
        out->h[i] = c[i].maintenance;
        if (c[i].portfolio_component != 0.0 && value > 0.0)
            out->h[i] += c[i].portfolio_component / value;
    }
done:
    keel_dealloc(c);
    return st;
}

/* The haircut of an asset margin_haircuts_of() was given. */
static double maintenance_of(const margin_haircuts *mh, keel_asset asset)
{
    size_t lo = 0, hi = mh->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (mh->ids[mid] < asset)
            lo = mid + 1;
        else
            hi = mid;
    }
    return mh->h[lo];
}

/* Reads the parameters, accepting the first layout's smaller size. */
static keel_status read_params(const keel_deleverage_params *params, keel_deleverage_params *out,
                               const char *fn)
{
    size_t v1 = offsetof(keel_deleverage_params, swap_to);
    if (params->size < v1)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: params->size is %zu; set it to sizeof(keel_deleverage_params)", fn,
                         params->size);
    *out = (keel_deleverage_params)KEEL_DELEVERAGE_PARAMS_INIT;
    /* the fields a caller of the first layout does not know keep their defaults */
    memcpy(out, params, params->size < sizeof *out ? params->size : sizeof *out);
    out->size = sizeof *out;
    return KEEL_OK;
}

static keel_status check_wallet(const keel_basket *wallet, const keel_market *market,
                                const char *fn)
{
    if (wallet == NULL)
        return KEEL_OK;
    KEEL_TRY(keel_check_handle(wallet, KEEL_TAG_BASKET, fn, "params->wallet"));
    size_t nw;
    const keel_position *w = keel_basket_data(wallet, &nw);
    for (size_t k = 0; k < nw; k++)
        KEEL_TRY(keel_market_check_asset(market, w[k].asset, fn));
    return KEEL_OK;
}

/* Checks the settings against the market and basket; fills the destination. */
static keel_status check_params(const keel_deleverage_params *p, const keel_basket *basket,
                                const keel_market *market, const keel_cost_model *costs,
                                destination *d, double *debt, double *own, const char *fn)
{
    KEEL_TRY(keel_check_finite(p->target_health, fn, "target_health"));
    if (!(p->target_health > 0.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: target_health must be > 0, got %g", fn,
                         p->target_health);
    KEEL_TRY(keel_check_nonneg(p->max_trade_value, fn, "max_trade_value"));
    if (p->repay_asset != KEEL_ASSET_INVALID && p->swap_to != KEEL_ASSET_INVALID)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: set one of repay_asset and swap_to, not both (repay %u, swap %u)", fn,
                         (unsigned)p->repay_asset, (unsigned)p->swap_to);
    if (p->repay_asset == KEEL_ASSET_INVALID && p->swap_to == KEEL_ASSET_INVALID &&
        p->wallet == NULL)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: set repay_asset or swap_to, or give a wallet to deposit from", fn);
    d->repay = p->repay_asset != KEEL_ASSET_INVALID;
    d->asset = d->repay ? p->repay_asset : p->swap_to;
    *debt = *own = 0.0;
    if (d->asset == KEEL_ASSET_INVALID) { /* deposits only */
        d->t = NO_TERMS;
        d->price = 1.0;
        return check_wallet(p->wallet, market, fn);
    }
    KEEL_TRY(keel_market_check_asset(market, d->asset, fn));
    if (d->repay) {
        *debt = keel_basket_quantity(basket, d->asset, true);
        *own = keel_basket_quantity(basket, d->asset, false);
        if (!(*debt > 0.0))
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: the basket owes nothing in asset %u", fn,
                             (unsigned)d->asset);
    }
    d->t = keel_cost_terms_of(costs, market, d->asset);
    d->price = keel_market_price_unchecked(market, d->asset);
    if (d->t.impact != KEEL_IMPACT_NONE)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: buying asset %u with price impact is not supported yet (fee, spread and fixed costs are)",
                         fn, (unsigned)d->asset);
    return check_wallet(p->wallet, market, fn);
}

/* The levers: sales of every collateral asset but the destination, then the
 * wallet's units. */
static void collect_levers(problem *pb, const keel_basket *basket, const keel_market *market,
                           const keel_haircut_model *haircuts, const margin_haircuts *mh,
                           const keel_cost_model *costs, const keel_deleverage_params *p,
                           const destination *d, double debt)
{
    size_t npos;
    const keel_position *pos = keel_basket_data(basket, &npos);
    double hd = 0.0; /* the swap asset's haircut */
    if (d->asset == KEEL_ASSET_INVALID)
        npos = 0; /* deposits only: nothing is sold */
    else if (!d->repay)
        hd = maintenance_of(mh, d->asset);
    double bf = d->repay ? keel_haircut_terms(haircuts, d->asset).borrow_factor : 1.0;
    for (size_t k = 0; k < npos; k++) {
        keel_asset a = pos[k].asset;
        if (a == d->asset || !(pos[k].collateral > 0.0))
            continue;
        double h = maintenance_of(mh, a);
        lever *l = &pb->s[pb->n++];
        *l = (lever){ SELL, a, keel_market_price_unchecked(market, a), 0.0, pos[k].collateral,
                      d->repay ? bf * pb->beta : (1.0 - hd) * pb->beta, d->repay,
                      keel_cost_terms_of(costs, market, a), 0.0 };
        l->a = l->p * (1.0 - h);
        if (p->max_trade_value > 0.0)
            l->ub = fmin(l->ub, p->max_trade_value / l->p);
    }
    if (p->wallet == NULL)
        return;
    size_t nw;
    const keel_position *w = keel_basket_data(p->wallet, &nw);
    for (size_t k = 0; k < nw; k++) {
        if (!(w[k].collateral > 0.0))
            continue;
        lever *l = &pb->s[pb->n++];
        *l = (lever){ DEPOSIT, w[k].asset, keel_market_price_unchecked(market, w[k].asset), 0.0,
                      w[k].collateral, 0.0, false, NO_TERMS, 0.0 };
        if (d->repay && w[k].asset == d->asset) {
            l->kind = WALLET_REPAY; /* headroom T b per numeraire repaid */
            l->g0 = bf;
            l->per_target = true;
            l->ub = fmin(l->ub, debt);
        } else {
            l->g0 = 1.0 - maintenance_of(mh, w[k].asset);
        }
    }
}

keel_status keel_deleverage(const keel_basket *basket, const keel_options *options,
                            const keel_market *market, const keel_haircut_model *haircuts,
                            const keel_cost_model *costs, const keel_deleverage_params *params,
                            keel_plan **out_plan, double *out_best_health)
{
    const char *fn = __func__;
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, fn));
    KEEL_TRY(keel_check_handle(costs, KEEL_TAG_COST, fn, "costs"));
    KEEL_TRY(keel_check_ptr(params, fn, "params"));
    KEEL_TRY(keel_check_ptr(out_plan, fn, "out_plan"));
    keel_deleverage_params p;
    KEEL_TRY(read_params(params, &p, fn));
    KEEL_TRY(keel_check_finite(p.target_health, fn, "target_health"));
    if (!(p.target_health > 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: target_health must be > 1, got %g", fn,
                         p.target_health);
    return keel_deleverage_run(basket, options, market, haircuts, costs, &p, out_plan,
                               out_best_health, fn);
}

/* The family of plans the solver makes, one per requirement `need` (in
 * liquidation-value units): what plan_at() needs to make and value one. */
typedef struct family {
    problem *pb;
    const destination *d;
    double zgain, zmax, small, gas, debt; /* gas: the purchase's fixed cost, in headroom */
    double *xa, *xb;
    keel_plan *plan;
    const keel_basket *basket;
    const keel_options *options;
    const keel_market *market;
    const keel_haircut_model *haircuts;
    const char *fn;
} family;

/* Makes the plan for `need` in f->plan and its metrics in *after; *ok false
 * (and nothing made) when the linear model cannot meet it. */
static keel_status plan_at(const family *f, double need, bool *ok, keel_metrics *after)
{
    double z = f->zgain > 0.0 ? fmin(f->zmax, fmax(0.0, need / f->zgain)) : 0.0;
    double rest = need - z * f->zgain;
    if (z > 0.0 && rest <= f->small)
        rest = 0.0; /* the repayment from collateral covers it, up to rounding */
    if (rest > 0.0)
        rest += f->gas; /* the purchase's gas comes first */
    *ok = keel_solve_levers(f->pb, rest, f->xa, f->xb);
    if (!*ok)
        return KEEL_OK;
    build_plan(f->pb, f->d, z, f->debt - z, f->plan);
    return keel_plan_evaluate(f->plan, f->basket, f->options, f->market, f->haircuts, after, f->fn);
}

/* The highest health factor along the family on [0, top], by golden-section
 * search (80 steps): HF need not rise all the way (an options book in
 * portfolio mode can make it peak inside, where selling more repays less
 * than it costs in VaR); a requirement the model cannot meet counts as
 * -inf. Raises `seen` to it and sets `at` to its requirement when it is
 * higher. */
static keel_status family_peak(const family *f, double top, double *seen, double *at)
{
    const double r = 0.6180339887498949; /* (sqrt 5 - 1) / 2 */
    double a = 0.0, b = top, hv[2];
    double x[2] = { b - r * (b - a), a + r * (b - a) };
    for (int k = 0; k < 2; k++) {
        bool ok;
        keel_metrics m;
        KEEL_TRY(plan_at(f, x[k], &ok, &m));
        hv[k] = ok ? m.health_factor : -INFINITY;
        if (hv[k] > *seen) {
            *seen = hv[k];
            *at = x[k];
        }
    }
    for (int it = 0; it < 80 && x[0] < x[1]; it++) {
        int k; /* the point replaced */
        if (hv[0] < hv[1]) { /* the peak is right of x[0] */
            a = x[0];
            x[0] = x[1];
            hv[0] = hv[1];
            x[1] = a + r * (b - a);
            k = 1;
        } else {
            b = x[1];
            x[1] = x[0];
            hv[1] = hv[0];
            x[0] = b - r * (b - a);
            k = 0;
        }
        bool ok;
        keel_metrics m;
        KEEL_TRY(plan_at(f, x[k], &ok, &m));
        hv[k] = ok ? m.health_factor : -INFINITY;
        if (hv[k] > *seen) {
            *seen = hv[k];
            *at = x[k];
        }
    }
    return KEEL_OK;
}

/* ---- the repayment capped at the debt ----
 *
 * The family above values each sale by the linear model's gain, which
 * counts every unit bought as repaid. When the account owes other debts
 * (or an options book's margin) that the plan does not repay, HF peaks
 * where the repay asset's debt is gone and falls with every further sale;
 * the levers the model ranks cheapest per unit of gain can use up the debt
 * before HF reaches the target while other levers (less liquidation value
 * given up per unit of proceeds) reach it. With the debt D repaid in full,
 * HF = (L - sum a_i x_i) / W_o, W_o the weighted debt left, so a target T
 * needs
 *     sum net_i x_i >= R = D price / beta   (proceeds, net_i = p_i (1 - f_i))
 *     sum a_i x_i   <= B = L - T W_o        (liquidation value given up)
 * at least cost sum c_i x_i, c_i = (1 - beta) p_i + beta f_i p_i: a linear
 * program with two constraints. For a multiplier mu >= 0 of the second,
 * the Lagrangian's minimum subject to the first is the fractional knapsack
 * in increasing (c_i + mu a_i) / net_i (Dantzig 1957); its sum a_i x_i
 * does not rise with mu, mu is bisected onto the point where it crosses B,
 * and the blend of the greedy solutions either side that meets B exactly
 * is optimal (both minimise the Lagrangian at the crossing multiplier: LP
 * duality). Tried only after the family failed, for sales with
 * proportional costs (at most CAPPED_MAX_GAS of them with a fixed cost),
 * none of the repay asset's own collateral and no wallet. */

static bool capped_before(const double *key, const double *ord, size_t a, size_t b)
{
    return key[a] < key[b] || (key[a] == key[b] && ord[a] < ord[b]);
}

static void capped_sift(double *key, double *ord, size_t root, size_t n)
{
    for (;;) {
        size_t c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && capped_before(key, ord, c, c + 1))
            c++;
        if (!capped_before(key, ord, root, c))
            return;
        double k = key[root], o = ord[root];
        key[root] = key[c], ord[root] = ord[c];
        key[c] = k, ord[c] = o;
        root = c;
    }
}

/* The greedy fill of proceeds R in increasing (c_i + mu a_i) / net_i
 * (mu = INFINITY: in increasing a_i / net_i) into x; returns sum a_i x_i,
 * or INFINITY when all the levers fall short of R. work: 2 n doubles. */
static double capped_fill(const problem *pb, double mu, double R, double *x, double *work)
{
    double *key = work, *ord = work + pb->n;
    size_t m = 0;
    for (size_t i = 0; i < pb->n; i++) {
        const lever *l = &pb->s[i];
        double f = l->t.fee + l->t.spread, net = l->p * (1.0 - f);
        x[i] = 0.0;
        if (!(net > 0.0) || !(l->ub > 0.0))
            continue;
        double c = (1.0 - pb->beta) * l->p + pb->beta * f * l->p;
        key[m] = isinf(mu) ? l->a / net : (c + mu * l->a) / net;
        ord[m++] = (double)i; /* exact: i < 2^53 */
    }
    for (size_t i = m / 2; i-- > 0;) /* heapsort, increasing */
        capped_sift(key, ord, i, m);
    for (size_t e = m; e-- > 1;) {
        double k = key[0], o = ord[0];
        key[0] = key[e], ord[0] = ord[e];
        key[e] = k, ord[e] = o;
        capped_sift(key, ord, 0, e);
    }
    double acc = 0.0;
    for (size_t k = 0; k < m && acc < R; k++) {
        size_t i = (size_t)ord[k];
        const lever *l = &pb->s[i];
        double net = l->p * (1.0 - l->t.fee - l->t.spread), whole = net * l->ub;
        if (acc + whole >= R) {
            x[i] = fmin(l->ub, (R - acc) / net);
            acc = R;
        } else {
            x[i] = l->ub;
            acc += whole;
        }
    }
    if (acc < R)
        return INFINITY;
    double used = 0.0;
    for (size_t i = 0; i < pb->n; i++)
        used += pb->s[i].a * x[i];
    return used;
}

/* Sales with a fixed cost the capped program takes: each subset of them is
 * tried (the others not sold), their fixed costs out of the proceeds. */
enum { CAPPED_MAX_GAS = 6 };

/* Whether the capped program applies (above). */
static bool capped_applies(const problem *pb, const destination *d, double zmax,
                           const keel_deleverage_params *p)
{
    if (!d->repay || zmax > 0.0 || p->wallet != NULL)
        return false;
    size_t gas = 0;
    for (size_t i = 0; i < pb->n; i++) {
        const lever *l = &pb->s[i];
        if (l->kind != SELL || l->t.impact != KEEL_IMPACT_NONE)
            return false;
        gas += l->t.fixed > 0.0;
    }
    return gas <= CAPPED_MAX_GAS;
}

/* Makes the plan of the uses x in f->plan (the whole debt repaid) and its
 * metrics in *after. */
static keel_status capped_make(const family *f, const double *x, keel_metrics *after)
{
    for (size_t i = 0; i < f->pb->n; i++)
        f->pb->s[i].x = x[i];
    build_plan(f->pb, f->d, 0.0, f->debt, f->plan);
    return keel_plan_evaluate(f->plan, f->basket, f->options, f->market, f->haircuts, after,
                              f->fn);
}

/* The least-cost plan that repays the whole debt and lands on the target
 * (above): in f->plan with its metrics in *after and *ok true; when the
 * target is out of reach so, *ok false and *best raised to the health
 * factor of the plan that gives up the least liquidation value (made and
 * evaluated by the full engine). L: the liquidation value now, w_other:
 * the weighted debt not in the repay asset (> 0); gas: the fixed costs of
 * the sales allowed. work: 5 n doubles. */
static keel_status capped_subset(const family *f, double L, double w_other, double gas,
                                 bool *ok, keel_metrics *after, double *best, double *work)
{
    const problem *pb = f->pb;
    size_t n = pb->n;
    double *x = work, *xlo = work + n, *xhi = work + 2 * n, *scratch = work + 3 * n;
    /* the whole debt (and no dust), the purchase's fixed cost and the sales' */
    double R = f->debt * f->d->price / pb->beta * (1.0 + 1e-12) + f->d->t.fixed + gas;
    double B = L - pb->target * w_other;
    *ok = false;
    double least = capped_fill(pb, INFINITY, R, x, scratch);
    if (isinf(least))
        return KEEL_OK; /* the sales cannot repay the whole debt */
    if (!(least <= B)) { /* out of reach: the best is the plan that gives up the least */
        keel_metrics m;
        KEEL_TRY(capped_make(f, x, &m));
        *best = fmax(*best, m.health_factor);
        return KEEL_OK;
    }
    double lo = 0.0, hi = 1.0, alo = capped_fill(pb, 0.0, R, xlo, scratch), ahi;
    if (alo <= B) {
        memcpy(x, xlo, n * sizeof *x);
    } else {
        while (!((ahi = capped_fill(pb, hi, R, xhi, scratch)) <= B) && hi < 0x1p1000)
            lo = hi, hi *= 2.0;
        if (!(ahi <= B)) {
            ahi = capped_fill(pb, INFINITY, R, xhi, scratch);
        } else {
            for (int it = 0; it < 200; it++) {
                double mid = lo + 0.5 * (hi - lo);
                if (!(mid > lo && mid < hi))
                    break;
                double am = capped_fill(pb, mid, R, x, scratch);
                if (am <= B)
                    hi = mid;
                else
                    lo = mid;
            }
            ahi = capped_fill(pb, hi, R, xhi, scratch);
        }
        alo = capped_fill(pb, lo, R, xlo, scratch);
        /* the blend that gives up exactly B: th of the way from xhi to xlo */
        double th = alo > ahi ? fmin(1.0, fmax(0.0, (B - ahi) / (alo - ahi))) : 0.0;
        for (size_t i = 0; i < n; i++)
            x[i] = fmin(pb->s[i].ub, fmax(0.0, xhi[i] + th * (xlo[i] - xhi[i])));
    }
    KEEL_TRY(capped_make(f, x, after));
    *best = fmax(*best, after->health_factor);
    *ok = after->health_factor >= pb->target * (1.0 - 1e-9);
    return KEEL_OK;
}

/* capped_subset() over the subsets of the sales with a fixed cost (their
 * room from fs, before the family's choice of a subset): the one of least
 * cost that lands on the target, made in f->plan (metrics in *after, *ok);
 * otherwise *best raised as capped_subset() does. work: 6 n doubles. */
static keel_status capped_plan(const family *f, const fixed_set *fs, double L, double w_other,
                               bool *ok, keel_metrics *after, double *best, double *work)
{
    problem *pb = f->pb;
    size_t n = pb->n, gi[CAPPED_MAX_GAS], k = 0;
    double ub[CAPPED_MAX_GAS], now[CAPPED_MAX_GAS], *keep = work + 5 * n, least = INFINITY;
    for (size_t i = 0; i < n; i++)
        if (pb->s[i].t.fixed > 0.0) {
            gi[k] = i;
            now[k] = ub[k] = pb->s[i].ub; /* the room, unless the subset chosen closed it */
            for (size_t j = 0; j < fs->k; j++)
                if (fs->idx[j] == i)
                    ub[k] = fs->ub[j];
            k++;
        }
    *ok = false;
    keel_status st = KEEL_OK;
    for (unsigned mask = 0; mask < (1u << k) && st == KEEL_OK; mask++) {
        double gas = 0.0;
        for (size_t j = 0; j < k; j++) {
            bool on = (mask >> j) & 1u;
            pb->s[gi[j]].ub = on ? ub[j] : 0.0;
            gas += on ? pb->s[gi[j]].t.fixed : 0.0;
        }
        bool hit;
        keel_metrics m;
        st = capped_subset(f, L, w_other, gas, &hit, &m, best, work);
        if (st == KEEL_OK && hit && f->plan->cost < least) {
            least = f->plan->cost;
            memcpy(keep, work, n * sizeof *keep);
        }
    }
    if (st == KEEL_OK && !isinf(least))
        st = capped_make(f, keep, after);
    for (size_t j = 0; j < k; j++) /* the family's problem as it was */
        pb->s[gi[j]].ub = now[j];
    KEEL_TRY(st);
    if (isinf(least))
        return KEEL_OK;
    *ok = after->health_factor >= pb->target * (1.0 - 1e-9);
    return KEEL_OK;
}

/* Whether the plan repays (within 1e-9) the whole debt in the repay asset. */
static bool repays_all(const keel_plan *plan, const destination *d, double debt)
{
    if (!d->repay)
        return false;
    double repaid = 0.0;
    for (size_t i = 0; i < plan->count; i++)
        if (plan->actions[i].debt_asset == d->asset)
            repaid += plan->actions[i].repaid;
    return repaid >= debt * (1.0 - 1e-9);
}

static keel_status deleverage_run(const keel_basket *basket, const keel_options *options,
                                  const keel_market *market, const keel_haircut_model *haircuts,
                                  const keel_cost_model *costs,
                                  const keel_deleverage_params *params, keel_plan **out_plan,
                                  double *out_best_health, bool verify, const char *fn);

keel_status keel_deleverage_run(const keel_basket *basket, const keel_options *options,
                                const keel_market *market, const keel_haircut_model *haircuts,
                                const keel_cost_model *costs, const keel_deleverage_params *params,
                                keel_plan **out_plan, double *out_best_health, const char *fn)
{
    return deleverage_run(basket, options, market, haircuts, costs, params, out_plan,
                          out_best_health, true, fn);
}

/* The best the linear model promises, checked against the full engine when
 * `verify`: where haircuts depend on size, an options book counts or the
 * portfolio VaR moves with the sales, the model's best may not be reached
 * (or HF may peak inside), so the plan aimed just short of it (1e-9 of the
 * way) is made: when it meets its aim the model's best stands; when it
 * cannot, the best its search found along the family (a figure some plan
 * attains) is reported instead. */
static keel_status verified_best(const keel_basket *basket, const keel_options *options,
                                 const keel_market *market, const keel_haircut_model *haircuts,
                                 const keel_cost_model *costs, const keel_deleverage_params *p,
                                 double now, double *best, const char *fn)
{
    keel_deleverage_params q = *p;
    q.target_health = now + (*best - now) * (1.0 - 1e-9);
    if (!(q.target_health > now && q.target_health > 1.0))
        return KEEL_OK;
    keel_plan *plan = NULL;
    double seen = NAN;
    keel_status st = deleverage_run(basket, options, market, haircuts, costs, &q, &plan, &seen,
                                    false, fn);
    if (st == KEEL_OK) { /* the model holds to within 1e-9 of the way there */
        keel_plan_destroy(plan);
        return KEEL_OK;
    }
    if (st != KEEL_E_INFEASIBLE)
        return st; /* out of memory, or a failure of the engine */
    if (seen > now)
        *best = fmin(*best, seen);
    return KEEL_OK;
}

static keel_status deleverage_run(const keel_basket *basket, const keel_options *options,
                                  const keel_market *market, const keel_haircut_model *haircuts,
                                  const keel_cost_model *costs,
                                  const keel_deleverage_params *params, keel_plan **out_plan,
                                  double *out_best_health, bool verify, const char *fn)
{
    keel_deleverage_params p = *params;
    destination d = { KEEL_ASSET_INVALID, false, 0.0, NO_TERMS };
    double debt = 0.0, own = 0.0;
    KEEL_TRY(check_params(&p, basket, market, costs, &d, &debt, &own, fn));
    double target = p.target_health;

    keel_metrics before;
    KEEL_TRY(keel_risk_metrics(basket, options, market, haircuts, &before, fn));

    size_t npos, nwallet = 0;
    keel_basket_data(basket, &npos);
    if (p.wallet != NULL)
        keel_basket_data(p.wallet, &nwallet);
    size_t cap = npos + nwallet + 1;
    problem pb = { NULL, 0, target, 1.0 / (1.0 + d.t.fee + d.t.spread) };
    keel_status st = KEEL_OK;
    double *xa = NULL, *xb = NULL;
    margin_haircuts mh = { NULL, NULL, 0 };
    keel_plan *plan = keel_plan_create(cap);
    pb.s = keel_alloc_array(cap, sizeof *pb.s);
    xa = keel_alloc_array(cap, sizeof *xa);
    xb = keel_alloc_array(cap, sizeof *xb);
    if (plan == NULL || pb.s == NULL || xa == NULL || xb == NULL) {
        st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        goto done;
    }
    plan->before = before;
    plan->after = before;
    plan->fingerprint = keel_basket_fingerprint(basket);
    if (before.health_factor >= target)
        goto done; /* nothing to do: an empty plan */
    st = margin_haircuts_of(haircuts, basket, market, p.wallet, d.asset, &mh, fn);
    if (st != KEEL_OK)
        goto done;
    collect_levers(&pb, basket, market, haircuts, &mh, costs, &p, &d, debt);
    fixed_set fs;
    keel_fixed_levers(&pb, &fs);

    /* The requirement in liquidation-value units: G = T W - L. Repaying with
     * the asset's own collateral is free and goes first; the levers cover the
     * rest. `need` is then corrected against the full engine. */
    double hr = d.repay ? maintenance_of(&mh, d.asset) : 1.0;
    double zg0 = d.repay ? keel_haircut_terms(haircuts, d.asset).borrow_factor * d.price : 0.0;
    double ar = d.price * (1.0 - hr);
    double zgain = target * zg0 - ar; /* per unit of z */
    double zmax = fmin(own, debt);
    double need = target * before.weighted_debt - before.liquidation_value;
    double g_dest = d.repay ? target * zg0 / d.price * pb.beta : 0.0;
    if (!d.repay && d.asset != KEEL_ASSET_INVALID)
        g_dest = (1.0 - maintenance_of(&mh, d.asset)) * pb.beta;
    {
        double z0 = zgain > 0.0 ? fmin(zmax, fmax(0.0, need / zgain)) : 0.0;
        keel_choose_fixed_cost_subset(&pb, &fs, need - z0 * zgain + g_dest * d.t.fixed, xa, xb);
    }
    keel_metrics after = before;
    bool reached = false;
    double best_seen = before.health_factor;
    /* The correction of `need` keeps a bracket: HF after the plan is
     * non-decreasing in it. lo: the largest need tried whose plan ends below
     * the target; hi: the smallest whose plan ends above it, or that the
     * linear model cannot meet (hi_out). Until both ends are known the
     * model's step is taken (a shortfall of err in HF is about err W in
     * L - T W), doubled while it keeps falling short on one side (a haircut
     * that flattens HF makes the model's step tiny); then false position
     * inside the bracket, a halving instead when its point is not strictly
     * inside or the last two steps moved the same end, so the bracket at
     * least halves every other step and the loop ends. (The plain model
     * step alone oscillates or diverges where haircuts depend on size.) */
    double lo_need = 0.0, hi_need = INFINITY, lo_err = before.health_factor - target, hi_err = NAN;
    double last_step = 0.0; /* need 0 is the empty plan, below the target */
    bool tried_below = false;
    bool hi_out = false;
    int kept = 0, streak = 0; /* the end the last step moved (+1 lo, -1 hi), how many times running */
    family fam = { &pb, &d, zgain, zmax,
                   1e-12 * (before.liquidation_value + target * before.weighted_debt),
                   g_dest * d.t.fixed, debt, xa, xb, plan, basket, options, market, haircuts, fn };
    for (int iter = 0; iter < 200; iter++) {
        bool ok;
        keel_metrics at;
        st = plan_at(&fam, need, &ok, &at);
        if (st != KEEL_OK)
            goto done;
        double next = NAN;
        if (!ok && !tried_below) {
            fixed_set all = fs; /* the room before any subset was chosen */
            double best = keel_best_reachable(&pb, &all, &before, zmax, zg0, ar, g_dest * d.t.fixed,
                                         xa, xb);
            if (verify && out_best_health != NULL) {
                st = verified_best(basket, options, market, haircuts, costs, &p,
                                   before.health_factor, &best, fn);
                if (st != KEEL_OK)
                    goto done;
            }
            if (out_best_health)
                *out_best_health = best;
            st = keel_fail(KEEL_E_INFEASIBLE,
                           "%s: the allowed actions reach a health factor of %.10g at best, short of %.10g",
                           fn, best, target);
            goto done;
        }
        if (!ok) { /* past what the model can do: the target lies below this need */
            hi_need = need;
            hi_err = NAN;
            hi_out = true;
        } else {
            after = at;
            best_seen = fmax(best_seen, after.health_factor);
            /* HF = L / W after sales and repayments: each sum's rounding is eps
             * times the larger sum it came from, so when most of W (or L) is
             * repaid (or sold) the reachable accuracy is eps (W / W' + L / L') */
            double cond = before.weighted_debt / after.weighted_debt +
                          before.liquidation_value / after.liquidation_value;
            double tol = fmax(1e-12, 16.0 * DBL_EPSILON * (isfinite(cond) ? cond : 0.0));
            double err = after.health_factor - target;
            /* That bound is relative to the HF computed, not to the target:
             * where nearly all collateral is sold (L' -> 0, cond ~ 1e15) an
             * HF of 2e-14 is not "on" a target of 2.7. An infinite HF (every
             * debt repaid) is above the target, not on it: it bounds the
             * bracket from above, and is the plan only when no finite need
             * lands on the target (after the loop). */
            if (fabs(err) <= tol * fmin(target, after.health_factor)) {
                reached = true;
                break;
            }
            double model = need - err * after.weighted_debt;
            if (err < 0.0) {
                tried_below = true;
                if (need > lo_need) {
                    lo_need = need;
                    lo_err = err;
                    streak = kept == 1 ? streak + 1 : 1;
                    kept = 1;
                }
            } else if (need < hi_need) {
                hi_need = need;
                hi_err = err;
                hi_out = false;
                streak = kept == -1 ? streak + 1 : 1;
                kept = -1;
            }
            if (!(isfinite(lo_need) && isfinite(hi_need))) {
                double step = model - need; /* one side known: the model's step, growing */
                if (step * last_step > 0.0 && fabs(step) < 2.0 * fabs(last_step))
                    step = 2.0 * last_step;
                last_step = step;
                next = need + step;
            }
        }
        if (isfinite(lo_need) && isfinite(hi_need)) {
            double width = hi_need - lo_need;
            next = isfinite(hi_err) ? lo_need - lo_err * width / (hi_err - lo_err) : NAN;
            /* a halving when the point is not strictly inside, or when the
             * last two steps moved the same end (a kink of HF next to the
             * target makes false position creep from one end) */
            if (!(next > lo_need && next < hi_need) || streak >= 2)
                next = lo_need + 0.5 * width;
            if (!(next > lo_need && next < hi_need))
                break; /* the bracket is two adjacent doubles */
        }
        if (!isfinite(next))
            break;
        need = next;
    }
    if (!reached && isfinite(hi_need) && !hi_out) {
        /* HF jumps over the target between adjacent needs (a sale that no
         * longer pays its fixed cost): the least plan above it */
        bool ok;
        st = plan_at(&fam, hi_need, &ok, &after);
        if (st != KEEL_OK)
            goto done;
        reached = ok && after.health_factor >= target;
    }
    if (!reached && best_seen < target) {
        /* before saying so, the best along the family: the target may lie
         * under a peak the bracket stepped past */
        double top = isfinite(hi_need) ? hi_need : lo_need, peak = NAN;
        st = family_peak(&fam, top, &best_seen, &peak);
        if (st != KEEL_OK)
            goto done;
        /* a peak at or above the target: HF rises from the empty plan to
         * it, so the target is bisected for on [0, peak] */
        for (double lo = 0.0, hi = peak; best_seen >= target && !reached;) {
            double mid = lo + 0.5 * (hi - lo);
            bool ok, last = !(mid > lo && mid < hi);
            st = plan_at(&fam, last ? hi : mid, &ok, &after);
            if (st != KEEL_OK)
                goto done;
            double err = ok ? after.health_factor - target : -INFINITY;
            reached = last || fabs(err) <= 1e-12 * target;
            if (err < 0.0)
                lo = mid;
            else
                hi = mid;
        }
    }
    /* the repayment capped at the debt, where other debts stay: when the
     * family fell short, or its plan repays the whole debt (it may have
     * landed where HF falls again, past the cheaper plan) */
    double w_other = before.weighted_debt - zg0 * debt;
    if (((!reached && best_seen < target) || (reached && repays_all(plan, &d, debt))) &&
        w_other > 0.0 && capped_applies(&pb, &d, zmax, &p)) {
        size_t count = plan->count;
        double *work = keel_alloc_array(6 * (pb.n ? pb.n : 1), sizeof *work);
        keel_action *saved = keel_alloc_array(count ? count : 1, sizeof *saved);
        if (work == NULL || saved == NULL) {
            keel_dealloc(work);
            keel_dealloc(saved);
            st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
            goto done;
        }
        memcpy(saved, plan->actions, count * sizeof *saved);
        double kept_cost = plan->cost;
        keel_metrics capped_after = after;
        bool capped_ok = false;
        st = capped_plan(&fam, &fs, before.liquidation_value, w_other, &capped_ok, &capped_after,
                         &best_seen, work);
        if (st == KEEL_OK && capped_ok && (!reached || plan->cost < kept_cost)) {
            reached = true;
            after = capped_after;
        } else if (st == KEEL_OK && reached) { /* the family's plan stands */
            keel_plan_clear(plan);
            memcpy(plan->actions, saved, count * sizeof *saved);
            plan->count = count;
            plan->cost = kept_cost;
        }
        keel_dealloc(work);
        keel_dealloc(saved);
        if (st != KEEL_OK)
            goto done;
    }
    if (!reached && best_seen < target) {
        /* the linear model promised more than the full engine gives (an
         * options book, size-dependent haircuts): the target is out of reach
         * of what was tried, and the best seen is reachable */
        if (out_best_health)
            *out_best_health = best_seen;
        st = keel_fail(KEEL_E_INFEASIBLE,
                       "%s: the allowed actions reached a health factor of %.10g at best, short of %.10g",
                       fn, best_seen, target);
        goto done;
    }
    if (!reached) {
        st = keel_fail(KEEL_E_NO_CONVERGENCE, "%s: the health factor after the plan is %.15g, not %g",
                       fn, after.health_factor, target);
        goto done;
    }
    plan->after = after;
done:
    keel_dealloc(mh.ids);
    keel_dealloc(mh.h);
    keel_dealloc(xa);
    keel_dealloc(xb);
    keel_dealloc(pb.s);
    if (st != KEEL_OK) {
        keel_plan_destroy(plan);
        return st;
    }
    *out_plan = plan;
    return KEEL_OK;
}
