/* The simulation's liquidator under Aave v3's own rules (keel_sim_set_aave):
 * the account is read as an Aave account at the step's prices and the
 * protocol layer (lib/protocol) decides, to the wei, whether and how it is
 * liquidated. */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "liquidator.h"
#include "protocol/aave_internal.h"
#include "sim_internal.h"

/* What keel_sim_set_aave leaves in the simulation. */
typedef struct aave_rules {
    keel_aave_market *market; /* the simulation's own copy */
    uint32_t *reserve;        /* per simulation asset */
    size_t nassets;
    uint32_t emode;
} aave_rules;

/* A run's working copies: the market, its prices set each step, and the
 * account before and after the call. */
typedef struct aave_state {
    keel_aave_market *market;
    keel_aave_account *account, *after;
} aave_state;

static void rules_free(void *p)
{
    aave_rules *r = p;
    if (r == NULL)
        return;
    keel_aave_market_free(r->market);
    keel_dealloc(r->reserve);
    keel_dealloc(r);
}

static uint64_t rules_fingerprint(const void *p, uint64_t h)
{
    const aave_rules *r = p;
    h = aave_market_fingerprint(r->market, h);
    h = keel_hash_word(h, r->emode);
    for (size_t i = 0; i < r->nassets; i++)
        h = keel_hash_word(h, r->reserve[i]);
    return h;
}

static void state_close(void *p)
{
    aave_state *l = p;
    if (l == NULL)
        return;
    keel_aave_market_free(l->market);
    keel_aave_account_free(l->account);
    keel_aave_account_free(l->after);
    keel_dealloc(l);
}

static keel_status state_open(const void *rules, void **out, const char *fn)
{
    const aave_rules *r = rules;
    aave_state *l = keel_alloc_array(1, sizeof *l);
    if (l != NULL) {
        l->market = aave_market_copy(r->market);
        l->account = aave_account_create();
        l->after = aave_account_create();
    }
    if (l == NULL || l->market == NULL || l->account == NULL || l->after == NULL) {
        state_close(l);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    *out = l;
    return KEEL_OK;
}

/* 10^decimals as a double (exact up to 10^22, then rounded as 10^d is). */
static double unit_of(const keel_aave_market *m, uint32_t r) { return m->reserves[r].d_unit; }

static bool may_be_liquidatable(const void *rules, const keel_basket *account,
                                const double *price)
{
    const aave_rules *sim = rules;
    /* the account's health factor by Aave's own thresholds (the category's
     * for its collateral), in double, with a bound on the chain's rounding in
     * USD: per position, a base unit (10^-8 USD) for each of its two values
     * and a wei of each balance (price / 10^decimals) */
    const keel_aave_market *m = sim->market;
    size_t n;
    const keel_position *pos = keel_basket_data(account, &n);
    double weighted = 0.0, debt = 0.0, err = 0.0;
    for (size_t k = 0; k < n; k++) {
        uint32_t r = sim->reserve[pos[k].asset];
        double p = price[pos[k].asset], unit = unit_of(m, r);
        aave_position ap = { r, pos[k].collateral > 0.0 ? (uint32_t)KEEL_AAVE_COLLATERAL : 0u,
                             { { 0, 0, 0, 0 } }, { { 0, 0, 0, 0 } } };
        if (aave_counts_as_collateral(m, &ap))
            weighted += pos[k].collateral * p * aave_user_threshold(m, sim->emode, r) / 1e4;
        debt += pos[k].debt * p;
        /* a balance read through its scaled form is off by up to an index's worth of wei */
        const keel_aave_reserve *rv = &m->reserves[r].p;
        double idx = fmax(1.0, fmax(u256_to_double(rv->liquidity_index),
                                    u256_to_double(rv->variable_borrow_index)) / 1e27);
        err += 4e-8 + 4.0 * idx * p / unit;
    }
    if (!(debt > 0.0))
        return false;
    double hf = weighted / debt;
    if (hf < 1.0)
        return true;
    double band = err * (1.0 + hf) / debt + 1e-9;
    if (m->version == KEEL_AAVE_V3_4)
        band += 2e-4 * hf; /* the weighted threshold floored to a basis point */
    return hf - 1.0 <= band;
}

/* The account as an Aave account of l->market at `price`. */
static keel_status load(aave_state *l, const aave_rules *sim, const keel_basket *account,
                        const double *price)
{
    keel_aave_market *m = l->market;
    for (size_t i = 0; i < sim->nassets; i++)
        aave_set_price(m, sim->reserve[i], u256_from_double(price[i] * 1e8));
    keel_aave_account *a = l->account;
    a->count = 0;
    a->emode = sim->emode;
    size_t n;
    const keel_position *pos = keel_basket_data(account, &n);
    for (size_t k = 0; k < n; k++) {
        uint32_t r = sim->reserve[pos[k].asset];
        const keel_aave_reserve *rv = &m->reserves[r].p;
        double unit = unit_of(m, r);
        keel_u256 supply = u256_from_double(pos[k].collateral * unit);
        keel_u256 debt = u256_from_double(pos[k].debt * unit);
        /* scaled as a supply (down) and a borrow (up) of these amounts would be */
        bool v34 = m->version == KEEL_AAVE_V3_4;
        aave_position p = { r, u256_is_zero(supply) ? 0u : (uint32_t)KEEL_AAVE_COLLATERAL,
                            { { 0, 0, 0, 0 } }, { { 0, 0, 0, 0 } } };
        if (u256_wadray(v34 ? KEEL_RAY_DIV : KEEL_RAY_DIV_FLOOR, supply, rv->liquidity_index,
                        &p.supply) != KEEL_OK ||
            u256_wadray(v34 ? KEEL_RAY_DIV : KEEL_RAY_DIV_CEIL, debt, rv->variable_borrow_index,
                        &p.debt) != KEEL_OK)
            return KEEL_E_OVERFLOW;
        KEEL_TRY(aave_put(a, p));
    }
    return KEEL_OK;
}

static keel_status liquidate(void *state, const void *rules, keel_basket *account,
                             const double *price, double *bonus_lost, bool *happened,
                             const char *fn)
{
    aave_state *l = state;
    const aave_rules *sim = rules;
    *happened = false;
    keel_status s = load(l, sim, account, price);
    if (s == KEEL_E_NOMEM)
        return keel_fail(s, "%s: out of memory", fn);
    if (s != KEEL_OK)
        return keel_fail(s, "%s: an Aave balance overflows 256 bits", fn);
    const keel_aave_market *m = l->market;
    aave_view v = aave_view_of(l->account);
    aave_data d;
    if (aave_eval(m, &v, &d) != KEEL_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: the Aave account data overflow 256 bits", fn);
    if (!u256_lt(d.hf, u256_small(AAVE_WAD)))
        return KEEL_OK; /* not liquidatable on chain */
    keel_aave_liquidation q;
    s = aave_best(m, l->account, &q, l->after);
    if (s == KEEL_E_INFEASIBLE)
        return KEEL_OK; /* every call would revert (the dust rule): nothing happens */
    if (s == KEEL_E_NOMEM)
        return keel_fail(s, "%s: out of memory", fn);
    if (s != KEEL_OK)
        return keel_fail(s, "%s: an Aave liquidation overflows 256 bits", fn);
    /* the balances the call changed replace the account's */
    for (size_t i = 0; i < sim->nassets; i++) {
        uint32_t r = sim->reserve[i];
        keel_u256 s0 = { { 0, 0, 0, 0 } }, d0 = s0, s1 = s0, d1 = s0;
        size_t k0 = aave_find(l->account->pos, l->account->count, r);
        size_t k1 = aave_find(l->after->pos, l->after->count, r);
        if (k0 < l->account->count)
            s0 = l->account->pos[k0].supply, d0 = l->account->pos[k0].debt;
        if (k1 < l->after->count)
            s1 = l->after->pos[k1].supply, d1 = l->after->pos[k1].debt;
        double unit = unit_of(m, r);
        keel_u256 bal;
        if (u256_cmp(s0, s1) != 0) {
            (void)aave_supply_balance(m, r, s1, &bal); /* smaller than before: no overflow */
            double q1 = u256_to_double(bal) / unit;
            KEEL_TRY(keel_basket_move(account, (keel_asset)i, false,
                                      q1 - keel_basket_quantity(account, (keel_asset)i, false), fn));
        }
        if (u256_cmp(d0, d1) != 0) {
            (void)aave_debt_balance(m, r, d1, &bal);
            double q1 = u256_to_double(bal) / unit;
            KEEL_TRY(keel_basket_move(account, (keel_asset)i, true,
                                      q1 - keel_basket_quantity(account, (keel_asset)i, true), fn));
        }
    }
    /* the bonus: collateral taken (to the liquidator and the treasury) less the
     * debt repaid, at the step's prices */
    {
        double taken = u256_to_double(q.collateral_to_liquidator) + u256_to_double(q.protocol_fee);
        double repaid = u256_to_double(q.debt_repaid);
        double pc = 0.0, pd = 0.0;
        for (size_t i = 0; i < sim->nassets; i++) {
            if (sim->reserve[i] == q.collateral)
                pc = price[i] / unit_of(m, q.collateral);
            if (sim->reserve[i] == q.debt)
                pd = price[i] / unit_of(m, q.debt);
        }
        *bonus_lost += taken * pc - repaid * pd;
    }
    *happened = true;
    return KEEL_OK;
}

const keel_protocol_ops keel_aave_rules_ops = {
    "Aave v3", rules_free, rules_fingerprint, state_open, state_close, may_be_liquidatable,
    liquidate,
};

keel_status keel_sim_set_aave(keel_sim *sim, const keel_aave_market *market,
                              const uint32_t *reserves, size_t n, uint32_t emode)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    if (market == NULL) {
        keel_sim_install_rules(sim, NULL, NULL);
        return KEEL_OK;
    }
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_AAVE_MARKET, fn, "market"));
    KEEL_TRY(keel_check_ptr(reserves, fn, "reserves"));
    if (n != sim->nassets)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: n is %zu; the simulation's market has %zu assets, each needs a reserve",
                         fn, n, sim->nassets);
    bool seen[KEEL_AAVE_MAX_RESERVES] = { false };
    for (size_t i = 0; i < n; i++) {
        if (reserves[i] >= market->count)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: reserves[%zu] = %u is not a reserve of the Aave market (it has %zu)",
                             fn, i, reserves[i], market->count);
        if (seen[reserves[i]])
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: reserve %u is given to two assets", fn,
                             reserves[i]);
        seen[reserves[i]] = true;
    }
    if (emode != 0 && (emode > 255 || !market->emode_set[emode]))
        return keel_fail(KEEL_E_NOT_FOUND, "%s: e-mode category %u is not set in the market", fn,
                         emode);
    aave_rules *r = keel_alloc_array(1, sizeof *r);
    if (r != NULL) {
        r->market = aave_market_copy(market);
        r->reserve = keel_alloc_array(n ? n : 1, sizeof *r->reserve);
    }
    if (r == NULL || r->market == NULL || r->reserve == NULL) {
        rules_free(r);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    if (n != 0)
        memcpy(r->reserve, reserves, n * sizeof *r->reserve);
    r->nassets = n;
    r->emode = emode;
    keel_sim_install_rules(sim, &keel_aave_rules_ops, r);
    return KEEL_OK;
}
