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

keel_status keel_aave_liquidator_open(keel_aave_liquidator *l, const keel_sim *sim, const char *fn)
{
    memset(l, 0, sizeof *l);
    l->market = aave_market_copy(sim->aave);
    l->account = aave_account_create();
    l->after = aave_account_create();
    if (l->market == NULL || l->account == NULL || l->after == NULL) {
        keel_aave_liquidator_close(l);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    return KEEL_OK;
}

void keel_aave_liquidator_close(keel_aave_liquidator *l)
{
    keel_aave_market_free(l->market);
    keel_aave_account_free(l->account);
    keel_aave_account_free(l->after);
    memset(l, 0, sizeof *l);
}

/* 10^decimals as a double (exact up to 10^22, then rounded as 10^d is). */
static double unit_of(const keel_aave_market *m, uint32_t r) { return m->reserves[r].d_unit; }

bool keel_aave_may_be_liquidatable(const keel_sim *sim, const keel_basket *account,
                                   const double *price)
{
    /* the account's health factor by Aave's own thresholds (the category's
     * for its collateral), in double, with a bound on the chain's rounding in
     * USD: per position, a base unit (10^-8 USD) for each of its two values
     * and a wei of each balance (price / 10^decimals) */
    const keel_aave_market *m = sim->aave;
    size_t n;
    const keel_position *pos = keel_basket_data(account, &n);
    double weighted = 0.0, debt = 0.0, err = 0.0;
    for (size_t k = 0; k < n; k++) {
        uint32_t r = sim->aave_reserve[pos[k].asset];
        double p = price[pos[k].asset], unit = unit_of(m, r);
        aave_position ap = { r, pos[k].collateral > 0.0 ? (uint32_t)KEEL_AAVE_COLLATERAL : 0u,
                             { { 0, 0, 0, 0 } }, { { 0, 0, 0, 0 } } };
        if (aave_counts_as_collateral(m, &ap))
            weighted += pos[k].collateral * p * aave_user_threshold(m, sim->aave_emode, r) / 1e4;
        debt += pos[k].debt * p;
        err += 4e-8 + 4.0 * p / unit;
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
static keel_status load(keel_aave_liquidator *l, const keel_sim *sim, const keel_basket *account,
                        const double *price)
{
    keel_aave_market *m = l->market;
    for (size_t i = 0; i < sim->nassets; i++)
        aave_set_price(m, sim->aave_reserve[i], u256_from_double(price[i] * 1e8));
    keel_aave_account *a = l->account;
    a->count = 0;
    a->emode = sim->aave_emode;
    size_t n;
    const keel_position *pos = keel_basket_data(account, &n);
    for (size_t k = 0; k < n; k++) {
        uint32_t r = sim->aave_reserve[pos[k].asset];
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

keel_status keel_liquidate_aave(keel_aave_liquidator *l, const keel_sim *sim, keel_basket *account,
                                const double *price, double *bonus_lost, bool *happened,
                                const char *fn)
{
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
        uint32_t r = sim->aave_reserve[i];
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
            if (sim->aave_reserve[i] == q.collateral)
                pc = price[i] / unit_of(m, q.collateral);
            if (sim->aave_reserve[i] == q.debt)
                pd = price[i] / unit_of(m, q.debt);
        }
        *bonus_lost += taken * pc - repaid * pd;
    }
    *happened = true;
    return KEEL_OK;
}
