/* The health band (repay / boost / withdraw) and the leverage band with its
 * ripcord. Repayment goes through the least-cost solver; boosts, withdrawals
 * and leverage trades are one-dimensional and sized by full revaluation
 * (keel_size_to_target), so haircut add-ons and option margins are in them. */
#include <math.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "cost/cost_internal.h"
#include "market/market_internal.h"
#include "math/kmath.h"
#include "policy_internal.h"

/* A trade of `from` into `to`: `s` units of `from` sold, the proceeds buy
 * `to`. A sale too small to pay the purchase's fixed cost buys nothing. */
typedef struct trade_ctx {
    const keel_policy_inputs *in;
    keel_action_type type;
    keel_asset from, to;
    bool borrow; /* `from` is borrowed rather than taken from the collateral */
    double debt; /* when selling collateral to repay `to`: the most that can be repaid */
} trade_ctx;

static keel_status build_trade(void *vctx, double s, keel_plan *plan)
{
    const trade_ctx *c = vctx;
    keel_plan_clear(plan);
    if (!(s > 0.0))
        return KEEL_OK;
    keel_swap_result r = KEEL_SWAP_RESULT_INIT;
    keel_status st = keel_cost_swap(c->in->costs, c->in->market, c->from, c->to, s, &r, c->in->fn);
    if (st == KEEL_E_INFEASIBLE)
        r.bought = 0.0; /* the proceeds do not cover the purchase's fixed cost */
    else
        KEEL_TRY(st);
    keel_action a = KEEL_ACTION_INIT;
    a.type = c->type;
    if (c->borrow) {
        a.debt_asset = c->from;
        a.borrowed = s;
        a.to_asset = c->to;
        a.received = r.bought;
    } else {
        a.asset = c->from;
        a.quantity = s;
        a.debt_asset = c->to;
        a.repaid = fmin(r.bought, c->debt);
        a.to_asset = c->to; /* what is left over after repaying stays as collateral */
        a.received = r.bought - a.repaid;
    }
    a.cost = s * keel_market_price_unchecked(c->in->market, c->from) -
             r.bought * keel_market_price_unchecked(c->in->market, c->to);
    return keel_plan_push(plan, &a);
}

static double health_metric(const keel_metrics *m)
{
    return m->health_factor;
}

static double leverage_metric(const keel_metrics *m)
{
    return keel_leverage_of(m);
}

/* The largest size worth searching: `cap` (numeraire) when set, otherwise
 * doubled from the account's scale until the metric passes `target`. */
typedef struct limit_ctx {
    const keel_policy_inputs *in;
    trade_ctx *c;
    keel_size_metric metric;
    double target;
    bool falling;
    keel_plan *plan;
} limit_ctx;

/* Whether a trade of size s carries the metric to the target. */
static keel_status trade_reaches(double s, void *vctx, bool *holds)
{
    const limit_ctx *z = vctx;
    keel_metrics m;
    KEEL_TRY(build_trade(z->c, s, z->plan));
    KEEL_TRY(keel_plan_evaluate(z->plan, z->in->basket, z->in->options, z->in->market,
                                z->in->haircuts, &m, z->in->fn));
    double f = z->metric(&m);
    *holds = z->falling ? f <= z->target : f >= z->target;
    return KEEL_OK;
}

/* The largest trade worth searching: the cap, or the first doubling (from
 * the account's size, 80 at most) that carries the metric to the target. */
static keel_status search_limit(const keel_policy_inputs *in, trade_ctx *c,
                                keel_size_metric metric, double target, bool falling,
                                double cap, keel_plan *plan, double *smax)
{
    double p = keel_market_price_unchecked(in->market, c->from);
    if (cap > 0.0) {
        *smax = cap / p;
        return KEEL_OK;
    }
    double s = fmax(in->now->collateral_value, in->now->debt_value) / p;
    if (!(s > 0.0))
        s = 1.0;
    limit_ctx z = { in, c, metric, target, falling, plan };
    double lo = 0.0;
    bool found;
    KEEL_TRY(keel_bracket_grow(trade_reaches, &z, &lo, &s, 2.0, s * 0x1p80, &found));
    if (found) {
        *smax = s;
        return KEEL_OK;
    }
    return keel_fail(KEEL_E_INFEASIBLE,
                     "%s: no trade of asset %u reaches the target %g (the purchase does not move the account enough)",
                     in->fn, (unsigned)c->from, target);
}

typedef struct withdraw_ctx {
    keel_asset asset;
} withdraw_ctx;

static keel_status build_withdraw(void *vctx, double s, keel_plan *plan)
{
    const withdraw_ctx *c = vctx;
    keel_plan_clear(plan);
    if (!(s > 0.0))
        return KEEL_OK;
    keel_action a = KEEL_ACTION_INIT;
    a.type = KEEL_ACTION_WITHDRAW;
    a.asset = c->asset;
    a.quantity = s;
    return keel_plan_push(plan, &a);
}

static keel_status repay_side(const keel_health_band_params *p, const keel_policy_inputs *in,
                              keel_plan *plan)
{
    keel_asset repay = KEEL_ASSET_INVALID, swap = KEEL_ASSET_INVALID;
    if (p->allowed & KEEL_ALLOW_REPAY) {
        KEEL_TRY(keel_market_check_asset(in->market, p->debt_asset, in->fn));
        double owed = keel_basket_quantity(in->basket, p->debt_asset, true);
        if (owed > 0.0)
            repay = p->debt_asset;
    }
    if (repay == KEEL_ASSET_INVALID && (p->allowed & KEEL_ALLOW_SWAP))
        swap = p->swap_to;
    const keel_basket *wallet = (p->allowed & KEEL_ALLOW_DEPOSIT) ? in->wallet : NULL;
    if (repay == KEEL_ASSET_INVALID && swap == KEEL_ASSET_INVALID && wallet == NULL)
        return KEEL_OK; /* nothing allowed can help */
    return keel_policy_deleverage(in, p->repay_to, repay, swap, wallet, p->max_trade_value, plan);
}

/* Whether a borrow of size s takes the weighted debt past the borrowing
 * power. */
static keel_status over_power(double s, void *vctx, bool *holds)
{
    const limit_ctx *z = vctx;
    keel_metrics m;
    KEEL_TRY(build_trade(z->c, s, z->plan));
    KEEL_TRY(keel_plan_evaluate(z->plan, z->in->basket, z->in->options, z->in->market,
                                z->in->haircuts, &m, z->in->fn));
    *holds = m.weighted_debt > m.borrowing_power;
    return KEEL_OK;
}

/* Lowers *smax to the largest borrow that keeps W <= BP: a lending protocol
 * refuses a borrow beyond the borrowing power (Aave v3 ValidationLogic
 * .validateBorrow: debt after <= collateral x LTV), so a boost or a lever-up
 * stops there (an account whose collateral has LTV 0 borrows nothing). */
static keel_status borrow_within_power(const keel_policy_inputs *in, trade_ctx *c,
                                       keel_plan *plan, double *smax)
{
    limit_ctx z = { in, c, NULL, 0.0, false, plan };
    bool over;
    KEEL_TRY(over_power(*smax, &z, &over));
    if (!over)
        return KEEL_OK;
    KEEL_TRY(over_power(0.0, &z, &over));
    if (over) {
        *smax = 0.0;
        return KEEL_OK;
    }
    double lo = 0.0, hi = *smax;
    KEEL_TRY(keel_bisect(over_power, &z, &lo, &hi, KEEL_TOL_ULP));
    *smax = lo;
    return KEEL_OK;
}

keel_status keel_plan_health_band(const keel_health_band_params *p, const keel_policy_inputs *in,
                                  keel_plan *plan)
{
    double hf = in->now->health_factor;
    if (hf < p->repay_below)
        return repay_side(p, in, plan);
    if (!(hf > p->boost_above))
        return KEEL_OK;
    if (p->allowed & KEEL_ALLOW_BOOST) {
        KEEL_TRY(keel_market_check_asset(in->market, p->debt_asset, in->fn));
        KEEL_TRY(keel_market_check_asset(in->market, p->boost_asset, in->fn));
        trade_ctx c = { in, KEEL_ACTION_BORROW_TO_BUY, p->debt_asset, p->boost_asset, true, 0.0 };
        double smax;
        KEEL_TRY(search_limit(in, &c, health_metric, p->boost_to, true, p->max_trade_value, plan,
                              &smax));
        KEEL_TRY(borrow_within_power(in, &c, plan, &smax));
        if (!(smax > 0.0))
            return build_trade(&c, 0.0, plan); /* no borrowing power left */
        return keel_size_to_target(in, build_trade, &c, health_metric, p->boost_to, smax, plan);
    }
    if ((p->allowed & KEEL_ALLOW_WITHDRAW) && in->now->weighted_debt > 0.0) {
        KEEL_TRY(keel_market_check_asset(in->market, p->withdraw_asset, in->fn));
        double held = keel_basket_quantity(in->basket, p->withdraw_asset, false);
        if (p->max_trade_value > 0.0)
            held = fmin(held, p->max_trade_value /
                                  keel_market_price_unchecked(in->market, p->withdraw_asset));
        if (!(held > 0.0))
            return KEEL_OK;
        withdraw_ctx c = { p->withdraw_asset };
        return keel_size_to_target(in, build_withdraw, &c, health_metric, p->boost_to, held, plan);
    }
    return KEEL_OK;
}

keel_status keel_plan_leverage_band(const keel_leverage_band_params *p,
                                    const keel_policy_inputs *in, keel_plan *plan)
{
    KEEL_TRY(keel_market_check_asset(in->market, p->asset, in->fn));
    KEEL_TRY(keel_market_check_asset(in->market, p->debt_asset, in->fn));
    double lev = keel_leverage_of(in->now);
    if (isinf(lev))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the account's equity is %g; leverage is undefined", in->fn,
                         in->now->collateral_value - in->now->debt_value);
    if (lev >= p->min && lev <= p->max)
        return KEEL_OK;
    bool ripcord = lev >= p->ripcord;
    /* The new leverage of Index Coop's FLI methodology, clamped into the band:
     * max(min, min(max, speed target + (1 - speed) current)), from
     * IndexCoop/index-coop-smart-contracts, contracts/adapters/
     * FlexibleLeverageStrategyExtension.sol, _calculateNewLeverageRatio(). */
    /* the ripcord delevers to the band's top, maxLeverageRatio (FLI's
     * ripcord(): _calculateChunkRebalanceNotional(..., maxLeverageRatio, false)) */
    double goal = ripcord ? p->max
                          : fmax(p->min, fmin(p->max, p->speed * p->target + (1.0 - p->speed) * lev));
    double cap = ripcord ? p->ripcord_max_trade_value : p->max_trade_value;
    if (lev > p->max) {
        double held = keel_basket_quantity(in->basket, p->asset, false);
        double owed = keel_basket_quantity(in->basket, p->debt_asset, true);
        if (cap > 0.0)
            held = fmin(held, cap / keel_market_price_unchecked(in->market, p->asset));
        if (!(held > 0.0) || !(owed > 0.0))
            return KEEL_OK; /* nothing this policy may sell or repay */
        trade_ctx c = { in, KEEL_ACTION_SELL_TO_REPAY, p->asset, p->debt_asset, false, owed };
        return keel_size_to_target(in, build_trade, &c, leverage_metric, goal, held, plan);
    }
    trade_ctx c = { in, KEEL_ACTION_BORROW_TO_BUY, p->debt_asset, p->asset, true, 0.0 };
    double smax;
    KEEL_TRY(search_limit(in, &c, leverage_metric, goal, false, cap, plan, &smax));
    KEEL_TRY(borrow_within_power(in, &c, plan, &smax));
    if (!(smax > 0.0))
        return build_trade(&c, 0.0, plan); /* no borrowing power left */
    return keel_size_to_target(in, build_trade, &c, leverage_metric, goal, smax, plan);
}
