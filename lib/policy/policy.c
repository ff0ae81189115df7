/* keel_policy: the handle, its constructors (which check every parameter),
 * composition, cloning and fingerprint. Planning with a policy is in
 * dispatch.c; the planners' shared toolkit in toolkit.c. */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "policy_internal.h"

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

void keel_policy_destroy(keel_policy *policy)
{
    if (policy == NULL)
        return;
    for (size_t i = 0; i < policy->nchildren; i++)
        keel_policy_destroy(policy->children[i]);
    keel_dealloc(policy->children);
    keel_dealloc(policy->assets);
    keel_dealloc(policy->targets);
    keel_handle_release(policy);
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
        keel_policy_destroy(pol);
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
    if (keel_handle_is(policy, KEEL_TAG_POLICY))
        keel_policy_destroy(policy);
}

/* A copy of a policy that is not composite. */
static keel_policy *copy_leaf(const keel_policy *src)
{
    keel_policy *p = NULL;
    if (new_policy(src->kind, &p, "keel_policy_clone") != KEEL_OK)
        return NULL;
    p->u = src->u;
    if (src->kind == KEEL_POLICY_TARGET_WEIGHTS && copy_weights(p, &src->u.weights) != KEEL_OK) {
        keel_policy_destroy(p);
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
        keel_policy_destroy(pol);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    for (size_t i = 0; i < n; i++) {
        pol->children[i] = copy_leaf(leaves[i]);
        if (pol->children[i] == NULL) {
            keel_policy_destroy(pol);
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

keel_status keel_policy_copy(const keel_policy *policy, keel_policy **out, const char *fn)
{
    if (policy->kind == KEEL_POLICY_COMPOSITE)
        return make_composite((const keel_policy *const *)policy->children, policy->nchildren, out,
                              fn);
    keel_policy *p = copy_leaf(policy);
    if (p == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    *out = p;
    return KEEL_OK;
}

keel_status keel_policy_clone(const keel_policy *policy, keel_policy **out)
{
    KEEL_TRY(keel_check_handle(policy, KEEL_TAG_POLICY, __func__, "policy"));
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    return keel_policy_copy(policy, out, __func__);
}

keel_status keel_policy_kind_of(const keel_policy *policy, keel_policy_kind *out_kind)
{
    KEEL_TRY(keel_check_handle(policy, KEEL_TAG_POLICY, __func__, "policy"));
    KEEL_TRY(keel_check_ptr(out_kind, __func__, "out_kind"));
    *out_kind = policy->kind;
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
