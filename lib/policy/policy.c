/* keel_policy: the handle, its constructors (which check every parameter),
 * composition, and keel_policy_plan(), which dispatches to the planner of
 * each kind (bands.c, weights.c, hedge.c, predictive.c). */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "math/kmath.h"
#include "policy_internal.h"
#include "risk/risk_internal.h"

#define MAX_CHILDREN 64

/* Copies a size-prefixed parameter struct, refusing a size below `need`. */
static keel_status read_sized(const void *params, size_t need, void *out, size_t out_size,
                              const char *fn, const char *type)
{
    KEEL_TRY(keel_check_ptr(params, fn, "params"));
    size_t size = *(const size_t *)params;
    if (size < need)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: params->size is %zu; set it to sizeof(%s)", fn,
                         size, type);
    memcpy(out, params, out_size);
    *(size_t *)out = out_size;
    return KEEL_OK;
}

static keel_status new_policy(keel_policy_kind kind, keel_policy **out, const char *fn)
{
    keel_policy *p = keel_handle_alloc(sizeof *p, KEEL_TAG_POLICY);
    if (p == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    p->kind = kind;
    *out = p;
    return KEEL_OK;
}

/* A policy of `kind` from a size-prefixed parameter struct of `size` bytes
 * (named `type`), checked by `check`: the shape every leaf constructor
 * shares. The struct is copied into the policy's union. */
typedef keel_status (*param_check)(const void *params, const char *fn);

static keel_status make_leaf(keel_policy_kind kind, const void *params, size_t size,
                             const char *type, param_check check, keel_policy **out,
                             const char *fn)
{
    union {
        keel_health_band_params health;
        keel_leverage_band_params leverage;
        keel_delta_hedge_params hedge;
        keel_predictive_params predictive;
    } p;
    KEEL_TRY(read_sized(params, size, &p, size, fn, type));
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    KEEL_TRY(check(&p, fn));
    keel_policy *pol = NULL;
    KEEL_TRY(new_policy(kind, &pol, fn));
    memcpy(&pol->u, &p, size);
    *out = pol;
    return KEEL_OK;
}

static keel_status need_asset(keel_asset a, const char *fn, const char *name)
{
    if (a == KEEL_ASSET_INVALID)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s must be set", fn, name);
    return KEEL_OK;
}

static keel_status check_health_band(const void *params, const char *fn)
{
    const keel_health_band_params *p = params;
    KEEL_TRY(keel_check_finite(p->repay_below, fn, "repay_below"));
    KEEL_TRY(keel_check_finite(p->repay_to, fn, "repay_to"));
    KEEL_TRY(keel_check_finite(p->boost_to, fn, "boost_to"));
    if (isnan(p->boost_above) || p->boost_above == -INFINITY)
        return keel_fail(KEEL_E_NOT_FINITE, "%s: boost_above must be a number or +inf", fn);
    if (!(p->repay_below > 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: repay_below must be > 1, got %g", fn,
                         p->repay_below);
    if (!(p->repay_to > p->repay_below))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: repay_to (%g) must be above the trigger repay_below (%g)", fn,
                         p->repay_to, p->repay_below);
    if (!(p->boost_to >= p->repay_to))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: boost_to (%g) below repay_to (%g) would undo the repayment", fn,
                         p->boost_to, p->repay_to);
    if (!(p->boost_above > p->boost_to))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: boost_above (%g) must be above the target boost_to (%g)", fn,
                         p->boost_above, p->boost_to);
    unsigned all = KEEL_ALLOW_REPAY | KEEL_ALLOW_BOOST | KEEL_ALLOW_WITHDRAW | KEEL_ALLOW_SWAP |
                   KEEL_ALLOW_DEPOSIT;
    if (p->allowed == 0 || (p->allowed & ~all) != 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: allowed is 0x%x; use KEEL_ALLOW_* bits", fn,
                         p->allowed);
    if (p->allowed & (KEEL_ALLOW_REPAY | KEEL_ALLOW_BOOST))
        KEEL_TRY(need_asset(p->debt_asset, fn, "debt_asset (REPAY and BOOST)"));
    if (p->allowed & KEEL_ALLOW_BOOST) {
        KEEL_TRY(need_asset(p->boost_asset, fn, "boost_asset (BOOST)"));
        if (p->boost_asset == p->debt_asset)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: boosting buys boost_asset with debt_asset; they must differ", fn);
    }
    if (p->allowed & KEEL_ALLOW_WITHDRAW)
        KEEL_TRY(need_asset(p->withdraw_asset, fn, "withdraw_asset (WITHDRAW)"));
    if (p->allowed & KEEL_ALLOW_SWAP)
        KEEL_TRY(need_asset(p->swap_to, fn, "swap_to (SWAP)"));
    return keel_check_nonneg(p->max_trade_value, fn, "max_trade_value");
}

keel_status keel_policy_health_band(const keel_health_band_params *params, keel_policy **out)
{
    return make_leaf(KEEL_POLICY_HEALTH_BAND, params, sizeof *params, "keel_health_band_params",
                     check_health_band, out, __func__);
}

static keel_status check_leverage_band(const void *params, const char *fn)
{
    const keel_leverage_band_params *p = params;
    KEEL_TRY(keel_check_finite(p->target, fn, "target"));
    KEEL_TRY(keel_check_finite(p->min, fn, "min"));
    KEEL_TRY(keel_check_finite(p->max, fn, "max"));
    KEEL_TRY(keel_check_finite(p->speed, fn, "speed"));
    if (isnan(p->ripcord))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: ripcord is NaN", fn);
    if (!(p->min >= 1.0 && p->min <= p->target && p->target <= p->max && p->max < p->ripcord))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: need 1 <= min <= target <= max < ripcord, got %g, %g, %g, %g", fn,
                         p->min, p->target, p->max, p->ripcord);
    if (!(p->speed > 0.0 && p->speed <= 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: speed must be in (0, 1], got %g", fn, p->speed);
    KEEL_TRY(keel_check_nonneg(p->max_trade_value, fn, "max_trade_value"));
    KEEL_TRY(keel_check_nonneg(p->ripcord_max_trade_value, fn, "ripcord_max_trade_value"));
    KEEL_TRY(need_asset(p->asset, fn, "asset"));
    KEEL_TRY(need_asset(p->debt_asset, fn, "debt_asset"));
    if (p->asset == p->debt_asset)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset and debt_asset must differ", fn);
    return KEEL_OK;
}

keel_status keel_policy_leverage_band(const keel_leverage_band_params *params, keel_policy **out)
{
    return make_leaf(KEEL_POLICY_LEVERAGE_BAND, params, sizeof *params,
                     "keel_leverage_band_params", check_leverage_band, out, __func__);
}

static keel_status check_target_weights(const keel_target_weights_params *p, const char *fn)
{
    if (p->count == 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: count must be >= 1", fn);
    if (p->count > SIZE_MAX / sizeof(double))
        return keel_fail(KEEL_E_OVERFLOW, "%s: count %zu overflows", fn, p->count);
    KEEL_TRY(keel_check_ptr(p->assets, fn, "params->assets"));
    KEEL_TRY(keel_check_ptr(p->weights, fn, "params->weights"));
    KEEL_TRY(keel_check_range(p->band, 0.0, 1.0, fn, "band"));
    if (p->band >= 1.0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: band must be < 1", fn);
    double sum = 0.0;
    for (size_t i = 0; i < p->count; i++) {
        KEEL_TRY(keel_check_range(p->weights[i], 0.0, 1.0, fn, "weights[i]"));
        KEEL_TRY(need_asset(p->assets[i], fn, "assets[i]"));
        for (size_t j = 0; j < i; j++)
            if (p->assets[j] == p->assets[i])
                return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset %u appears twice", fn,
                                 (unsigned)p->assets[i]);
        sum += p->weights[i];
    }
    if (!(fabs(sum - 1.0) <= 1e-9))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: the weights sum to %.17g, not 1", fn, sum);
    return KEEL_OK;
}

/* Copies the weights' arrays into `pol`. */
static keel_status copy_weights(keel_policy *pol, const keel_target_weights_params *p)
{
    pol->assets = keel_alloc_array(p->count, sizeof *pol->assets);
    pol->targets = keel_alloc_array(p->count, sizeof *pol->targets);
    if (pol->assets == NULL || pol->targets == NULL)
        return KEEL_E_NOMEM;
    memcpy(pol->assets, p->assets, p->count * sizeof *pol->assets);
    memcpy(pol->targets, p->weights, p->count * sizeof *pol->targets);
    pol->u.weights = *p;
    pol->u.weights.assets = pol->assets;
    pol->u.weights.weights = pol->targets;
    return KEEL_OK;
}

keel_status keel_policy_target_weights(const keel_target_weights_params *params, keel_policy **out)
{
    keel_target_weights_params p;
    KEEL_TRY(read_sized(params, sizeof p, &p, sizeof p, __func__, "keel_target_weights_params"));
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    KEEL_TRY(check_target_weights(&p, __func__));
    keel_policy *pol = NULL;
    KEEL_TRY(new_policy(KEEL_POLICY_TARGET_WEIGHTS, &pol, __func__));
    if (copy_weights(pol, &p) != KEEL_OK) {
        keel_policy_free(pol);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    }
    *out = pol;
    return KEEL_OK;
}

static keel_status check_delta_hedge(const void *params, const char *fn)
{
    const keel_delta_hedge_params *p = params;
    KEEL_TRY(keel_check_positive(p->risk_aversion, fn, "risk_aversion"));
    return need_asset(p->funding_asset, fn, "funding_asset");
}

keel_status keel_policy_delta_hedge(const keel_delta_hedge_params *params, keel_policy **out)
{
    return make_leaf(KEEL_POLICY_DELTA_HEDGE, params, sizeof *params, "keel_delta_hedge_params",
                     check_delta_hedge, out, __func__);
}

static keel_status check_predictive(const void *params, const char *fn)
{
    const keel_predictive_params *p = params;
    KEEL_TRY(keel_check_positive(p->horizon, fn, "horizon"));
    KEEL_TRY(keel_check_finite(p->max_probability, fn, "max_probability"));
    if (!(p->max_probability > 0.0 && p->max_probability < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: max_probability must be in (0, 1), got %g", fn,
                         p->max_probability);
    if ((p->repay_asset == KEEL_ASSET_INVALID) == (p->swap_to == KEEL_ASSET_INVALID))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: set exactly one of repay_asset and swap_to",
                         fn);
    return keel_check_nonneg(p->max_trade_value, fn, "max_trade_value");
}

keel_status keel_policy_predictive(const keel_predictive_params *params, keel_policy **out)
{
    return make_leaf(KEEL_POLICY_PREDICTIVE, params, sizeof *params, "keel_predictive_params",
                     check_predictive, out, __func__);
}

void keel_policy_free(keel_policy *policy)
{
    if (!keel_handle_is(policy, KEEL_TAG_POLICY))
        return;
    for (size_t i = 0; i < policy->nchildren; i++)
        keel_policy_free(policy->children[i]);
    keel_dealloc(policy->children);
    keel_dealloc(policy->assets);
    keel_dealloc(policy->targets);
    keel_handle_release(policy);
}

/* A copy of a policy that is not composite. */
static keel_policy *copy_leaf(const keel_policy *src)
{
    keel_policy *p = NULL;
    if (new_policy(src->kind, &p, "keel_policy_clone") != KEEL_OK)
        return NULL;
    p->u = src->u;
    if (src->kind == KEEL_POLICY_TARGET_WEIGHTS && copy_weights(p, &src->u.weights) != KEEL_OK) {
        keel_policy_free(p);
        return NULL;
    }
    return p;
}

/* The leaves of `list`, composites flattened, into a new composite. */
static keel_status make_composite(const keel_policy *const *list, size_t count, keel_policy **out,
                                  const char *fn)
{
    size_t n = 0;
    for (size_t i = 0; i < count; i++)
        n += list[i]->kind == KEEL_POLICY_COMPOSITE ? list[i]->nchildren : 1;
    if (n > MAX_CHILDREN)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %zu policies, at most %d", fn, n,
                         MAX_CHILDREN);
    const keel_policy *leaves[MAX_CHILDREN];
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (list[i]->kind == KEEL_POLICY_COMPOSITE)
            for (size_t j = 0; j < list[i]->nchildren; j++)
                leaves[k++] = list[i]->children[j];
        else
            leaves[k++] = list[i];
    }
    bool health = false, leverage = false;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++)
            if (leaves[j]->kind == leaves[i]->kind)
                return keel_fail(KEEL_E_OUT_OF_RANGE,
                                 "%s: two policies of kind %d contradict each other", fn,
                                 (int)leaves[i]->kind);
        health |= leaves[i]->kind == KEEL_POLICY_HEALTH_BAND;
        leverage |= leaves[i]->kind == KEEL_POLICY_LEVERAGE_BAND;
    }
    if (health && leverage)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: a health band and a leverage band both set the debt; they contradict each other",
                         fn);
    keel_policy *pol = NULL;
    KEEL_TRY(new_policy(KEEL_POLICY_COMPOSITE, &pol, fn));
    pol->children = keel_alloc_array(n, sizeof *pol->children);
    if (pol->children == NULL) {
        keel_policy_free(pol);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    for (size_t i = 0; i < n; i++) {
        pol->children[i] = copy_leaf(leaves[i]);
        if (pol->children[i] == NULL) {
            keel_policy_free(pol);
            return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
        }
        pol->nchildren++;
    }
    *out = pol;
    return KEEL_OK;
}

keel_status keel_policy_compose(const keel_policy *const *policies, size_t count,
                                keel_policy **out)
{
    KEEL_TRY(keel_check_ptr(policies, __func__, "policies"));
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (count == 0 || count > MAX_CHILDREN)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: count is %zu; give 1 to %d policies",
                         __func__, count, MAX_CHILDREN);
    for (size_t i = 0; i < count; i++)
        KEEL_TRY(keel_check_handle(policies[i], KEEL_TAG_POLICY, __func__, "policies[i]"));
    return make_composite(policies, count, out, __func__);
}

keel_status keel_policy_clone(const keel_policy *policy, keel_policy **out)
{
    KEEL_TRY(keel_check_handle(policy, KEEL_TAG_POLICY, __func__, "policy"));
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    if (policy->kind == KEEL_POLICY_COMPOSITE)
        return make_composite((const keel_policy *const *)policy->children, policy->nchildren, out,
                              __func__);
    keel_policy *p = copy_leaf(policy);
    if (p == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", __func__);
    *out = p;
    return KEEL_OK;
}

keel_status keel_policy_kind_of(const keel_policy *policy, keel_policy_kind *out_kind)
{
    KEEL_TRY(keel_check_handle(policy, KEEL_TAG_POLICY, __func__, "policy"));
    KEEL_TRY(keel_check_ptr(out_kind, __func__, "out_kind"));
    *out_kind = policy->kind;
    return KEEL_OK;
}

/* ---- shared by the planners ---- */

keel_status keel_plan_append(keel_plan *to, const keel_plan *from)
{
    for (size_t i = 0; i < from->count; i++)
        KEEL_TRY(keel_plan_push(to, &from->actions[i]));
    return KEEL_OK;
}

double keel_leverage_of(const keel_metrics *m)
{
    double equity = m->collateral_value - m->debt_value;
    return equity > 0.0 ? m->collateral_value / equity : INFINITY;
}

typedef struct size_search {
    const keel_policy_inputs *in;
    keel_size_builder build;
    void *ctx;
    keel_size_metric metric;
    double target;
    bool below_at_zero; /* the metric starts below the target */
    keel_plan *plan;
} size_search;

/* Whether the plan of size s has carried the metric to (or past) the target. */
static keel_status size_reaches(double s, void *vctx, bool *holds)
{
    size_search *z = vctx;
    keel_metrics m;
    KEEL_TRY(z->build(z->ctx, s, z->plan));
    KEEL_TRY(keel_plan_evaluate(z->plan, z->in->basket, z->in->options, z->in->market,
                                z->in->haircuts, &m, z->in->fn));
    double f = z->metric(&m) - z->target;
    *holds = f == 0.0 || (f < 0.0) != z->below_at_zero;
    return KEEL_OK;
}

keel_status keel_size_to_target(const keel_policy_inputs *in, keel_size_builder build, void *ctx,
                                keel_size_metric metric, double target, double smax,
                                keel_plan *plan)
{
    keel_metrics m;
    KEEL_TRY(build(ctx, 0.0, plan));
    KEEL_TRY(keel_plan_evaluate(plan, in->basket, in->options, in->market, in->haircuts, &m,
                                in->fn));
    double f0 = metric(&m) - target;
    if (f0 == 0.0)
        return KEEL_OK;
    size_search z = { in, build, ctx, metric, target, f0 < 0.0, plan };
    bool at_max;
    KEEL_TRY(size_reaches(smax, &z, &at_max));
    if (!at_max)
        return KEEL_OK; /* the target lies beyond smax: the actions of smax stand */
    double lo = 0.0, hi = smax;
    KEEL_TRY(keel_bisect(size_reaches, &z, &lo, &hi, KEEL_TOL_ULP));
    return build(ctx, hi, plan);
}

keel_status keel_policy_deleverage(const keel_policy_inputs *in, double target,
                                   keel_asset repay_asset, keel_asset swap_to,
                                   const keel_basket *wallet, double max_trade_value,
                                   keel_plan *plan)
{
    keel_deleverage_params dp = KEEL_DELEVERAGE_PARAMS_INIT;
    dp.target_health = target;
    dp.repay_asset = repay_asset;
    dp.swap_to = swap_to;
    dp.wallet = wallet;
    dp.max_trade_value = max_trade_value;
    keel_plan *sub = NULL;
    double best = NAN;
    keel_status st = keel_deleverage_run(in->basket, in->options, in->market, in->haircuts,
                                         in->costs, &dp, &sub, &best, in->fn);
    if (st == KEEL_E_INFEASIBLE && best > in->now->health_factor) {
        /* land at the best the allowed actions reach, just short of it (an
         * account under water may stay below 1: still the best there is) */
        dp.target_health = in->now->health_factor + (best - in->now->health_factor) * (1.0 - 1e-9);
        st = keel_deleverage_run(in->basket, in->options, in->market, in->haircuts, in->costs, &dp,
                                 &sub, NULL, in->fn);
    }
    if (st == KEEL_E_INFEASIBLE)
        return KEEL_OK; /* nothing the allowed actions can do */
    KEEL_TRY(st);
    st = keel_plan_append(plan, sub);
    keel_plan_free(sub);
    return st;
}

/* ---- keel_policy_plan ---- */

static keel_status plan_leaf(const keel_policy *pol, const keel_policy_inputs *in,
                             keel_plan *plan)
{
    switch (pol->kind) {
    case KEEL_POLICY_HEALTH_BAND:
        return keel_plan_health_band(&pol->u.health, in, plan);
    case KEEL_POLICY_LEVERAGE_BAND:
        return keel_plan_leverage_band(&pol->u.leverage, in, plan);
    case KEEL_POLICY_TARGET_WEIGHTS:
        return keel_plan_target_weights(pol, in, plan);
    case KEEL_POLICY_DELTA_HEDGE:
        return keel_plan_delta_hedge(&pol->u.hedge, in, plan);
    case KEEL_POLICY_PREDICTIVE:
        return keel_plan_predictive(&pol->u.predictive, in, plan);
    case KEEL_POLICY_COMPOSITE:
        break;
    }
    return keel_fail(KEEL_E_STATE, "%s: a composite inside a composite", in->fn);
}

/* Runs the children in order on a working copy of the basket. */
static keel_status plan_composite(const keel_policy *pol, const keel_policy_inputs *in,
                                  keel_plan *plan)
{
    keel_basket *work = NULL;
    KEEL_TRY(keel_basket_copy(in->basket, &work, in->fn));
    keel_status st = KEEL_OK;
    for (size_t i = 0; i < pol->nchildren && st == KEEL_OK; i++) {
        keel_metrics now;
        st = keel_risk_metrics(work, in->options, in->market, in->haircuts, &now, in->fn);
        if (st != KEEL_OK)
            break;
        keel_policy_inputs sub = *in;
        sub.basket = work;
        sub.now = &now;
        sub.last = i + 1 == pol->nchildren;
        keel_plan *part = keel_plan_create(0);
        if (part == NULL) {
            st = keel_fail(KEEL_E_NOMEM, "%s: out of memory", in->fn);
            break;
        }
        st = plan_leaf(pol->children[i], &sub, part);
        if (st == KEEL_OK)
            st = keel_plan_apply_to(part, work, in->fn);
        if (st == KEEL_OK)
            st = keel_plan_append(plan, part);
        keel_plan_free(part);
    }
    keel_basket_free(work);
    return st;
}

keel_status keel_policy_plan(const keel_policy *policy, const keel_basket *basket,
                             const keel_options *options, const keel_market *market,
                             const keel_haircut_model *haircuts, const keel_cost_model *costs,
                             const keel_basket *wallet, keel_plan **out_plan)
{
    const char *fn = __func__;
    KEEL_TRY(keel_check_handle(policy, KEEL_TAG_POLICY, fn, "policy"));
    KEEL_TRY(keel_risk_check_inputs(basket, options, market, haircuts, fn));
    KEEL_TRY(keel_check_handle(costs, KEEL_TAG_COST, fn, "costs"));
    if (wallet != NULL)
        KEEL_TRY(keel_check_handle(wallet, KEEL_TAG_BASKET, fn, "wallet"));
    KEEL_TRY(keel_check_ptr(out_plan, fn, "out_plan"));
    keel_metrics now;
    KEEL_TRY(keel_risk_metrics(basket, options, market, haircuts, &now, fn));
    keel_plan *plan = keel_plan_create(0);
    if (plan == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    plan->before = plan->after = now;
    plan->fingerprint = keel_basket_fingerprint(basket);
    keel_policy_inputs in = { basket, options, market, haircuts, costs, wallet, &now, fn, true };
    keel_status st = policy->kind == KEEL_POLICY_COMPOSITE ? plan_composite(policy, &in, plan)
                                                           : plan_leaf(policy, &in, plan);
    if (st == KEEL_OK && plan->count > 0)
        st = keel_plan_evaluate(plan, basket, options, market, haircuts, &plan->after, fn);
    /* No plan may make the account liquidatable, or more so: it is refused
     * with a status the caller cannot miss, never proposed as if it were fine. */
    if (st == KEEL_OK && plan->count > 0 && plan->after.health_factor < 1.0 &&
        (now.health_factor >= 1.0 || plan->after.health_factor < now.health_factor))
        st = keel_fail(KEEL_E_INFEASIBLE,
                       "%s: the plan would leave the account liquidatable (HF %.6g -> %.6g); "
                       "compose the policy with a health band to restore health after it",
                       fn, now.health_factor, plan->after.health_factor);
    if (st != KEEL_OK) {
        keel_plan_free(plan);
        return st;
    }
    *out_plan = plan;
    return KEEL_OK;
}

uint64_t keel_policy_fingerprint(const keel_policy *p, uint64_t h)
{
    h = keel_hash_word(h, (uint64_t)p->kind);
    switch (p->kind) {
    case KEEL_POLICY_HEALTH_BAND: {
        const keel_health_band_params *q = &p->u.health;
        h = keel_hash_double(h, q->repay_below);
        h = keel_hash_double(h, q->repay_to);
        h = keel_hash_double(h, q->boost_above);
        h = keel_hash_double(h, q->boost_to);
        h = keel_hash_word(h, q->allowed);
        h = keel_hash_word(h, q->debt_asset);
        h = keel_hash_word(h, q->boost_asset);
        h = keel_hash_word(h, q->withdraw_asset);
        h = keel_hash_word(h, q->swap_to);
        h = keel_hash_double(h, q->max_trade_value);
        break;
    }
    case KEEL_POLICY_LEVERAGE_BAND: {
        const keel_leverage_band_params *q = &p->u.leverage;
        h = keel_hash_double(h, q->target);
        h = keel_hash_double(h, q->min);
        h = keel_hash_double(h, q->max);
        h = keel_hash_double(h, q->speed);
        h = keel_hash_double(h, q->max_trade_value);
        h = keel_hash_double(h, q->ripcord);
        h = keel_hash_double(h, q->ripcord_max_trade_value);
        h = keel_hash_word(h, q->asset);
        h = keel_hash_word(h, q->debt_asset);
        break;
    }
    case KEEL_POLICY_TARGET_WEIGHTS:
        h = keel_hash_double(h, p->u.weights.band);
        for (size_t i = 0; i < p->u.weights.count; i++) {
            h = keel_hash_word(h, p->assets[i]);
            h = keel_hash_double(h, p->targets[i]);
        }
        break;
    case KEEL_POLICY_DELTA_HEDGE:
        h = keel_hash_double(h, p->u.hedge.risk_aversion);
        h = keel_hash_word(h, p->u.hedge.funding_asset);
        break;
    case KEEL_POLICY_PREDICTIVE: {
        const keel_predictive_params *q = &p->u.predictive;
        h = keel_hash_double(h, q->horizon);
        h = keel_hash_double(h, q->max_probability);
        h = keel_hash_word(h, q->repay_asset);
        h = keel_hash_word(h, q->swap_to);
        h = keel_hash_double(h, q->max_trade_value);
        break;
    }
    case KEEL_POLICY_COMPOSITE:
        for (size_t i = 0; i < p->nchildren; i++)
            h = keel_policy_fingerprint(p->children[i], h);
        break;
    }
    return h;
}
