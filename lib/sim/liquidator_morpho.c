/* The simulation's liquidator under Morpho Blue's own rules
 * (keel_sim_set_morpho): the account is read as a position of the market at
 * the step's prices, _isHealthy decides to the wei, and a liquidator makes
 * the liquidation that seizes the most collateral, bad debt realised when
 * none is left (Morpho.sol liquidate at morpho-org/morpho-blue v1.0.0;
 * lib/protocol/morpho*.c). */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "liquidator.h"
#include "protocol/morpho_internal.h"
#include "sim_internal.h"

/* What keel_sim_set_morpho leaves in the simulation. */
typedef struct morpho_rules {
    keel_morpho_market *market; /* the simulation's own copy: the other positions' totals */
    keel_asset collateral, loan;
    double collateral_unit, loan_unit; /* 10^decimals */
    double lltv;
    double share_assets; /* loan wei one borrow share is worth at the market's totals */
} morpho_rules;

typedef struct morpho_state {
    keel_morpho_market *market; /* the price and the totals with the account in them, each step */
} morpho_state;

static void rules_free(void *p)
{
    morpho_rules *r = p;
    if (r == NULL)
        return;
    keel_morpho_market_free(r->market);
    keel_dealloc(r);
}

static uint64_t rules_fingerprint(const void *p, uint64_t h)
{
    const morpho_rules *r = p;
    const keel_morpho_market *m = r->market;
    for (int i = 0; i < 4; i++) {
        h = keel_hash_word(h, m->p.lltv.w[i]);
        h = keel_hash_word(h, m->s.total_borrow_assets.w[i]);
        h = keel_hash_word(h, m->s.total_borrow_shares.w[i]);
        h = keel_hash_word(h, m->s.total_supply_assets.w[i]);
    }
    h = keel_hash_word(h, m->p.loan_decimals);
    h = keel_hash_word(h, m->p.collateral_decimals);
    h = keel_hash_word(h, r->collateral);
    return keel_hash_word(h, r->loan);
}

static void state_close(void *p)
{
    morpho_state *l = p;
    if (l == NULL)
        return;
    keel_morpho_market_free(l->market);
    keel_dealloc(l);
}

static keel_status state_open(const void *rules, void **out, const char *fn)
{
    const morpho_rules *r = rules;
    morpho_state *l = keel_alloc_array(1, sizeof *l);
    if (l == NULL || keel_morpho_market_clone(r->market, &l->market) != KEEL_OK) {
        state_close(l);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    *out = l;
    return KEEL_OK;
}

/* Whether _isHealthy may fail: collateral · price · LLTV against the debt in
 * double, within a bound on the chain's rounding (the oracle price carried
 * to 36 digits is exact to a double's 1e-16; a wei of each balance, three
 * floors, and the shares' rounding up of the debt: up to one share's worth
 * of assets, more than a wei where shares are dear) plus 1e-12 relative. */
static bool may_be_liquidatable(const void *rules, const keel_basket *account, const double *price)
{
    const morpho_rules *r = rules;
    double c = keel_basket_quantity(account, r->collateral, false);
    double d = keel_basket_quantity(account, r->loan, true);
    if (!(d > 0.0))
        return false;
    double pc = price[r->collateral], pl = price[r->loan];
    double max_borrow = c * pc * r->lltv, debt = d * pl;
    double err = 4.0 * pc / r->collateral_unit + (4.0 + 2.0 * r->share_assets) * pl / r->loan_unit;
    return max_borrow < debt + err + 1e-12 * (max_borrow + debt);
}

/* The position and the market's state at `price`: the account's debt joins
 * the totals (its shares = toSharesUp of its assets at the other positions'
 * totals, as a borrow of them would mint) and its collateral is held. */
static keel_status load(morpho_state *l, const morpho_rules *r, const keel_basket *account,
                        const double *price, keel_morpho_position *pos, const char *fn)
{
    keel_morpho_market *m = l->market;
    const keel_morpho_state *s0 = &r->market->s;
    /* loan wei per collateral wei, times 10^36 */
    double px = price[r->collateral] / price[r->loan] * r->loan_unit / r->collateral_unit;
    if (!(px * 1e36 < 0x1p256))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the Morpho oracle price passes 256 bits", fn);
    keel_u256 p = u256_from_double(nearbyint(px * 1e36)); /* 0 below 1: Morpho's own division by 0 */
    m->p.price = p;
    keel_u256 debt = u256_from_double(nearbyint(keel_basket_quantity(account, r->loan, true) *
                                                r->loan_unit));
    keel_u256 coll = u256_from_double(nearbyint(keel_basket_quantity(account, r->collateral, false) *
                                                r->collateral_unit));
    memset(pos, 0, sizeof *pos);
    pos->collateral = coll;
    keel_morpho_state s = *s0;
    if (morpho_convert(KEEL_MORPHO_TO_SHARES_UP, debt, s0->total_borrow_assets,
                       s0->total_borrow_shares, &pos->borrow_shares) != KEEL_MORPHO_OK ||
        u256_add(s.total_borrow_assets, debt, &s.total_borrow_assets) ||
        u256_add(s.total_borrow_shares, pos->borrow_shares, &s.total_borrow_shares) ||
        !morpho_fits_u128(s.total_borrow_assets) || !morpho_fits_u128(s.total_borrow_shares) ||
        !morpho_fits_u128(coll))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the Morpho position passes uint128", fn);
    if (u256_lt(s.total_supply_assets, s.total_borrow_assets))
        s.total_supply_assets = s.total_borrow_assets; /* its loan was lent by someone */
    m->s = s;
    return KEEL_OK;
}

static keel_status liquidate(void *state, const void *rules, keel_basket *account,
                             const double *price, double *bonus_lost, bool *happened,
                             const char *fn)
{
    morpho_state *l = state;
    const morpho_rules *r = rules;
    *happened = false;
    keel_morpho_position pos, after;
    KEEL_TRY(load(l, r, account, price, &pos, fn));
    keel_morpho_position_data d = KEEL_MORPHO_POSITION_DATA_INIT;
    KEEL_TRY(keel_morpho_position_data_get(l->market, &pos, &d));
    if (!d.liquidatable)
        return KEEL_OK;
    keel_morpho_liquidation q = KEEL_MORPHO_LIQUIDATION_INIT;
    keel_status st = keel_morpho_best_liquidation(l->market, &pos, &q, &after);
    if (st == KEEL_E_INFEASIBLE)
        return KEEL_OK; /* every call would revert: nothing happens */
    KEEL_TRY(st);
    /* the balances after: collateral less the seizure, the debt the shares
     * left still owe at the totals after the call (0 when bad debt wrote
     * them off) */
    keel_u256 owed = u256_small(0);
    if (!u256_is_zero(after.borrow_shares) &&
        morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, after.borrow_shares, q.total_borrow_assets_after,
                       q.total_borrow_shares_after, &owed) != KEEL_MORPHO_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: the Morpho debt passes 256 bits", fn);
    double c1 = u256_to_double(after.collateral) / r->collateral_unit;
    double d1 = u256_to_double(owed) / r->loan_unit;
    KEEL_TRY(keel_basket_move(account, r->collateral, false,
                              c1 - keel_basket_quantity(account, r->collateral, false), fn));
    KEEL_TRY(keel_basket_move(account, r->loan, true,
                              d1 - keel_basket_quantity(account, r->loan, true), fn));
    /* the bonus: the collateral seized, valued at the oracle in loan wei,
     * less the loan repaid for it */
    *bonus_lost += (u256_to_double(q.seized_value) - u256_to_double(q.repaid_assets)) /
                   r->loan_unit * price[r->loan];
    *happened = true;
    return KEEL_OK;
}

static const keel_protocol_ops morpho_ops = {
    "Morpho Blue", rules_free, rules_fingerprint, state_open, state_close, may_be_liquidatable,
    liquidate,
};

keel_status keel_sim_set_morpho(keel_sim *sim, const keel_morpho_market *market,
                                keel_asset collateral, keel_asset loan)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    if (market == NULL) {
        keel_sim_install_rules(sim, NULL, NULL);
        return KEEL_OK;
    }
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_MORPHO_MARKET, fn, "market"));
    if ((size_t)collateral >= sim->nassets || (size_t)loan >= sim->nassets)
        return keel_fail(KEEL_E_UNKNOWN_ASSET,
                         "%s: collateral %u and loan %u must be assets of the simulation's market (it has %zu)",
                         fn, (unsigned)collateral, (unsigned)loan, sim->nassets);
    if (collateral == loan)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: collateral and loan are the same asset %u", fn,
                         (unsigned)loan);
    size_t np;
    const keel_position *pos = keel_basket_data(sim->basket, &np);
    for (size_t k = 0; k < np; k++)
        if (pos[k].debt > 0.0 && pos[k].asset != loan)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: the account owes asset %u; a Morpho market lends only its loan token",
                             fn, (unsigned)pos[k].asset);
    morpho_rules *r = keel_alloc_array(1, sizeof *r);
    if (r == NULL || keel_morpho_market_clone(market, &r->market) != KEEL_OK) {
        rules_free(r);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    r->collateral = collateral;
    r->loan = loan;
    r->collateral_unit = pow(10.0, (double)market->p.collateral_decimals);
    r->loan_unit = pow(10.0, (double)market->p.loan_decimals);
    r->lltv = u256_to_double(market->p.lltv) / 1e18;
    /* SharesMathLib's virtual offset: (totalBorrowAssets + 1) / (totalBorrowShares + 10^6) */
    r->share_assets = (u256_to_double(market->s.total_borrow_assets) + 1.0) /
                      (u256_to_double(market->s.total_borrow_shares) + 1e6);
    keel_sim_install_rules(sim, &morpho_ops, r);
    return KEEL_OK;
}
