/* Target weights with tolerance bands. When a weight leaves its band, the
 * asset is traded to the nearest edge of the band measured on the account's
 * value after the trades' costs (a fixed point, reached in a few rounds);
 * the cash the sales and purchases leave over, either way, is absorbed by
 * the assets cheapest to trade (fee + spread) that have room inside their
 * bands. The trades become swaps, sales paired with purchases in order. */
#include <math.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "cost/cost_internal.h"
#include "market/market_internal.h"
#include "policy_internal.h"

typedef struct slot {
    keel_asset asset;
    double p, w, v;   /* price, target weight, value held */
    double unit_cost; /* fee + spread: the ranking for leftovers */
    double sell;      /* value sold (market price) */
    double budget;    /* numeraire spent buying */
    double units_sold, proceeds, units_bought;
} slot;

typedef struct book {
    slot *s;
    size_t n;
    double value; /* V, collateral value before */
    double band;
} book;

static keel_status sale(const keel_policy_inputs *in, slot *x)
{
    x->units_sold = x->sell / x->p;
    x->proceeds = 0.0;
    if (!(x->units_sold > 0.0))
        return KEEL_OK;
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    KEEL_TRY(keel_cost_trade(in->costs, in->market, x->asset, -x->units_sold, &c, in->fn));
    x->proceeds = fmax(0.0, c.notional - c.total);
    return KEEL_OK;
}

/* The numeraire that buys `value` at market price of the asset, costs included. */
static keel_status spend_for(const keel_policy_inputs *in, const slot *x, double value,
                             double *out)
{
    *out = 0.0;
    if (!(value > 0.0))
        return KEEL_OK;
    keel_trade_cost c = KEEL_TRADE_COST_INIT;
    KEEL_TRY(keel_cost_trade(in->costs, in->market, x->asset, value / x->p, &c, in->fn));
    *out = c.notional + c.total;
    return KEEL_OK;
}

/* Cheapest slot with room left on one side (buy: below its upper edge, not
 * being sold; sell: above its lower edge, not being bought); NULL if none. */
static slot *cheapest_with_room(book *b, double vafter, bool buying, const double *extra,
                                double *room)
{
    slot *best = NULL;
    for (size_t i = 0; i < b->n; i++) {
        slot *x = &b->s[i];
        double r;
        if (buying) {
            if (x->sell > 0.0)
                continue;
            r = (x->w + b->band) * vafter - (x->v + extra[i]);
        } else {
            if (x->budget > 0.0)
                continue;
            r = x->v - x->sell - fmax(0.0, x->w - b->band) * vafter;
        }
        if (r > 1e-12 * vafter && (best == NULL || x->unit_cost < best->unit_cost)) {
            best = x;
            *room = r;
        }
    }
    return best;
}

/* One round: trades for an account worth `vafter` after costs. */
static keel_status round_trades(const keel_policy_inputs *in, book *b, double vafter,
                                double *extra, double *out_cost)
{
    double cash = 0.0, need = 0.0;
    for (size_t i = 0; i < b->n; i++) {
        slot *x = &b->s[i];
        double hi = (x->w + b->band) * vafter, lo = fmax(0.0, x->w - b->band) * vafter;
        x->sell = fmax(0.0, x->v - hi);
        x->budget = 0.0;
        extra[i] = x->v < lo ? lo - x->v : 0.0; /* value to buy */
        KEEL_TRY(sale(in, x));
        cash += x->proceeds;
        KEEL_TRY(spend_for(in, x, extra[i], &x->budget));
        need += x->budget;
    }
    /* short of cash: sell more from the cheapest with room above their floors */
    for (int guard = 0; cash < need && guard < 64; guard++) {
        double room = 0.0;
        slot *x = cheapest_with_room(b, vafter, false, extra, &room);
        if (x == NULL)
            break;
        double shortfall = need - cash;
        cash -= x->proceeds;
        x->sell += fmin(room, shortfall / fmax(1e-3, 1.0 - x->unit_cost));
        KEEL_TRY(sale(in, x));
        cash += x->proceeds;
    }
    if (cash < need) /* nowhere left to sell: the purchases shrink to the cash */
        for (size_t i = 0; i < b->n; i++)
            b->s[i].budget *= need > 0.0 ? cash / need : 0.0;
    /* cash left over: buy the cheapest with room below their ceilings */
    double left = cash - fmin(cash, need);
    for (int guard = 0; left > 0.0 && guard < 64; guard++) {
        double room = 0.0, take = left;
        slot *x = cheapest_with_room(b, vafter, true, extra, &room);
        if (x != NULL) {
            double full;
            KEEL_TRY(spend_for(in, x, room, &full));
            take = fmin(left, full);
        } else {
            x = &b->s[0]; /* every band is full: the first listed asset takes the rest */
        }
        x->budget += take;
        extra[x - b->s] += take / (1.0 + x->unit_cost); /* about the value it adds */
        left -= take;
    }
    double cost = 0.0;
    for (size_t i = 0; i < b->n; i++) {
        slot *x = &b->s[i];
        x->units_bought = 0.0;
        if (x->budget > 0.0)
            KEEL_TRY(keel_cost_units_for_budget(in->costs, in->market, x->asset, x->budget,
                                                &x->units_bought, in->fn));
        cost += x->units_sold * x->p - x->proceeds + x->budget - x->units_bought * x->p;
    }
    *out_cost = cost;
    return KEEL_OK;
}

/* Pairs sales with purchases in order (cash flows north-west corner). */
static keel_status emit_swaps(const book *b, keel_plan *plan)
{
    size_t i = 0, j = 0;
    double sold_left = 0.0, spend_left = 0.0;
    for (;;) {
        while (i < b->n && !(sold_left > 0.0)) {
            if (b->s[i].proceeds > 0.0)
                sold_left = b->s[i].proceeds;
            else
                i++;
        }
        while (j < b->n && !(spend_left > 0.0)) {
            if (b->s[j].budget > 0.0)
                spend_left = b->s[j].budget;
            else
                j++;
        }
        if (i >= b->n || j >= b->n)
            return KEEL_OK;
        const slot *x = &b->s[i], *y = &b->s[j];
        double c = fmin(sold_left, spend_left);
        keel_action a = KEEL_ACTION_INIT;
        a.type = KEEL_ACTION_SWAP;
        a.asset = x->asset;
        a.quantity = x->units_sold * (c / x->proceeds);
        a.to_asset = y->asset;
        a.received = y->units_bought * (c / y->budget);
        a.cost = a.quantity * x->p - a.received * y->p;
        KEEL_TRY(keel_plan_push(plan, &a));
        sold_left -= c;
        spend_left -= c;
        if (!(sold_left > 1e-15 * x->proceeds))
            sold_left = 0.0, i++;
        if (!(spend_left > 1e-15 * y->budget))
            spend_left = 0.0, j++;
    }
}

static bool out_of_band(const book *b)
{
    for (size_t i = 0; i < b->n; i++) {
        const slot *x = &b->s[i];
        double w = x->v / b->value;
        if (w > x->w + b->band + 1e-12 || w < x->w - b->band - 1e-12)
            return true;
    }
    return false;
}

keel_status keel_plan_target_weights(const keel_policy *policy, const keel_policy_inputs *in,
                                     keel_plan *plan)
{
    const keel_target_weights_params *p = &policy->u.weights;
    for (size_t i = 0; i < p->count; i++)
        KEEL_TRY(keel_market_check_asset(in->market, p->assets[i], in->fn));
    size_t npos;
    const keel_position *pos = keel_basket_data(in->basket, &npos);
    book b = { NULL, 0, in->now->collateral_value, p->band };
    if (!(b.value > 0.0))
        return KEEL_OK; /* no collateral: no weights */
    size_t cap = p->count + npos;
    b.s = keel_alloc_array(cap, sizeof *b.s);
    double *extra = keel_alloc_array(cap, sizeof *extra);
    keel_status st = KEEL_OK;
    if (b.s == NULL || extra == NULL) {
        st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", in->fn);
        goto done;
    }
    for (size_t i = 0; i < p->count; i++) {
        double q = keel_basket_quantity(in->basket, p->assets[i], false);
        slot *x = &b.s[b.n++];
        *x = (slot){ p->assets[i], keel_market_price_unchecked(in->market, p->assets[i]),
                     p->weights[i], 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
        x->v = q * x->p;
    }
    for (size_t k = 0; k < npos; k++) { /* collateral not listed: weight 0 */
        bool listed = false;
        for (size_t i = 0; i < p->count; i++)
            listed |= p->assets[i] == pos[k].asset;
        if (listed || !(pos[k].collateral > 0.0))
            continue;
        slot *x = &b.s[b.n++];
        *x = (slot){ pos[k].asset, keel_market_price_unchecked(in->market, pos[k].asset), 0.0,
                     0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 };
        x->v = pos[k].collateral * x->p;
    }
    if (!out_of_band(&b))
        goto done;
    for (size_t i = 0; i < b.n; i++) {
        keel_trade_cost c = KEEL_TRADE_COST_INIT;
        st = keel_cost_trade(in->costs, in->market, b.s[i].asset, 1.0, &c, in->fn);
        if (st != KEEL_OK)
            goto done;
        b.s[i].unit_cost = (c.fee + c.spread) / b.s[i].p;
    }
    /* the edges are measured on the value after costs: iterate to the fixed point */
    double vafter = b.value, cost = 0.0;
    for (int it = 0; it < 100; it++) {
        st = round_trades(in, &b, vafter, extra, &cost);
        if (st != KEEL_OK)
            goto done;
        double next = b.value - cost;
        bool settled = fabs(next - vafter) <= 1e-15 * b.value;
        vafter = next;
        if (settled)
            break;
    }
    st = emit_swaps(&b, plan);
done:
    keel_dealloc(b.s);
    keel_dealloc(extra);
    return st;
}
