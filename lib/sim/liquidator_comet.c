/* The simulation's liquidator under Compound v3's own rules
 * (keel_sim_set_comet): the account is read as a Comet account at the
 * step's prices, isLiquidatable decides to the wei, and absorb takes every
 * collateral balance, crediting it at its liquidation factor (Comet.sol
 * absorbInternal at compound-finance/comet d5a30b0; lib/protocol/comet*.c). */
#include <math.h>
#include <string.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "liquidator.h"
#include "protocol/comet_internal.h"
#include "sim_internal.h"

/* What keel_sim_set_comet leaves in the simulation. */
typedef struct comet_rules {
    keel_comet_market *market; /* the simulation's own copy */
    uint32_t *id;              /* per simulation asset: a Comet asset id or KEEL_COMET_BASE_ID */
    size_t nassets;
    keel_asset base;           /* the simulation asset that is Comet's base */
    double *unit;              /* per simulation asset: 10^decimals */
    double *lcf;               /* per simulation asset: liquidateCollateralFactor (0 for the base) */
    double index;              /* max(supply, borrow index) / 10^15: wei a principal's rounding moves */
} comet_rules;

typedef struct comet_state {
    keel_comet_market *market; /* prices set each step */
    keel_comet_account *account;
} comet_state;

static void rules_free(void *p)
{
    comet_rules *r = p;
    if (r == NULL)
        return;
    keel_comet_market_free(r->market);
    keel_dealloc(r->id);
    keel_dealloc(r->unit);
    keel_dealloc(r->lcf);
    keel_dealloc(r);
}

static uint64_t rules_fingerprint(const void *p, uint64_t h)
{
    const comet_rules *r = p;
    const keel_comet_market *m = r->market;
    h = keel_hash_word(h, m->base.decimals);
    h = keel_hash_word(h, m->base.supply_index);
    h = keel_hash_word(h, m->base.borrow_index);
    h = keel_hash_word(h, m->count);
    for (size_t k = 0; k < m->count; k++) {
        const keel_comet_asset *a = &m->assets[k].p;
        h = keel_hash_word(h, a->decimals);
        h = keel_hash_word(h, a->borrow_collateral_factor);
        h = keel_hash_word(h, a->liquidate_collateral_factor);
        h = keel_hash_word(h, a->liquidation_factor);
    }
    for (size_t i = 0; i < r->nassets; i++)
        h = keel_hash_word(h, r->id[i]);
    return h;
}

static void state_close(void *p)
{
    comet_state *l = p;
    if (l == NULL)
        return;
    keel_comet_market_free(l->market);
    keel_comet_account_free(l->account);
    keel_dealloc(l);
}

static keel_status state_open(const void *rules, void **out, const char *fn)
{
    const comet_rules *r = rules;
    comet_state *l = keel_alloc_array(1, sizeof *l);
    bool ok = l != NULL;
    if (ok) {
        ok = keel_comet_market_clone(r->market, &l->market) == KEEL_OK &&
             keel_comet_account_new(&l->account) == KEEL_OK;
    }
    if (!ok) {
        state_close(l);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    *out = l;
    return KEEL_OK;
}

/* Whether isLiquidatable may hold: the liquidation liquidity in double,
 * Σ collateral · price · liquidateCollateralFactor − base debt · price,
 * is below a bound on the chain's rounding (per position: the price rounded
 * to 10^-8, two floors of a price unit, a wei of the balance, the index's
 * rounding of the principal) plus 1e-12 of the values. */
static bool may_be_liquidatable(const void *rules, const keel_basket *account, const double *price)
{
    const comet_rules *r = rules;
    size_t n;
    const keel_position *pos = keel_basket_data(account, &n);
    double liquidity = 0.0, size = 0.0, err = 0.0;
    bool borrows = false;
    for (size_t k = 0; k < n; k++) {
        keel_asset a = pos[k].asset;
        double p = price[a];
        if (a == r->base) {
            double net = pos[k].collateral - pos[k].debt;
            borrows = net < 0.0;
            liquidity += net * p;
            size += fabs(net) * p;
            err += fabs(net) * 1e-8 + 4e-8 + (4.0 + 2.0 * r->index) * p / r->unit[a];
        } else {
            liquidity += pos[k].collateral * p * r->lcf[a];
            size += pos[k].collateral * p;
            err += pos[k].collateral * 1e-8 + 4e-8 + 4.0 * p / r->unit[a];
        }
    }
    return borrows && liquidity < err + 1e-12 * size;
}

/* The step's oracle answer: round(price · 10^8), at least 1 (Comet divides by the base's). */
static keel_u256 oracle_price(double p)
{
    keel_u256 u = u256_from_double(nearbyint(p * 1e8));
    return u256_is_zero(u) ? u256_small(1) : u;
}

/* The account as a Comet account of l->market at `price`. */
static keel_status load(comet_state *l, const comet_rules *r, const keel_basket *account,
                        const double *price, const char *fn)
{
    keel_comet_market *m = l->market;
    keel_comet_account *a = l->account;
    const keel_comet_market *m0 = r->market; /* the other accounts' totals */
    m->base.total_supply_base = m0->base.total_supply_base;
    m->base.total_borrow_base = m0->base.total_borrow_base;
    for (size_t k = 0; k < m0->count; k++) {
        m->assets[k].p.total_supply_asset = m0->assets[k].p.total_supply_asset;
        m->assets[k].p.balance = m0->assets[k].p.balance;
    }
    for (size_t i = 0; i < r->nassets; i++) {
        if (r->id[i] == KEEL_COMET_BASE_ID)
            m->base.price = oracle_price(price[i]);
        else
            m->assets[r->id[i]].p.price = oracle_price(price[i]);
    }
    memset(a->balance, 0, sizeof a->balance);
    a->principal = comet_int(u256_small(0), false);
    size_t n;
    const keel_position *pos = keel_basket_data(account, &n);
    for (size_t k = 0; k < n; k++) {
        keel_asset i = pos[k].asset;
        if (i == r->base) {
            /* the balance in base wei, to the nearest; its principal as the
             * contract stores a balance (principalValue: a borrow rounded up) */
            double net = pos[k].collateral - pos[k].debt;
            keel_comet_int pv = comet_int(u256_from_double(nearbyint(fabs(net) * r->unit[i])),
                                          net < 0.0);
            if (comet_principal(m, pv, &a->principal) != KEEL_COMET_OK)
                return keel_fail(KEEL_E_OVERFLOW, "%s: the base balance passes int104", fn);
            /* the account is one of the market's: its principal in the totals */
            keel_u256 *total = comet_is_neg(a->principal) ? &m->base.total_borrow_base
                                                           : &m->base.total_supply_base;
            if (u256_add(*total, a->principal.magnitude, total) || !comet_below_bits(*total, 104))
                return keel_fail(KEEL_E_OVERFLOW, "%s: the market's base totals pass uint104", fn);
        } else {
            if (pos[k].debt > 0.0)
                return keel_fail(KEEL_E_OUT_OF_RANGE,
                                 "%s: the account owes asset %u, a Comet collateral; Comet lends only its base",
                                 fn, (unsigned)i);
            keel_u256 b = u256_from_double(nearbyint(pos[k].collateral * r->unit[i]));
            if (!comet_below_bits(b, 128))
                return keel_fail(KEEL_E_OVERFLOW, "%s: a collateral balance passes uint128", fn);
            a->balance[r->id[i]] = b;
            keel_comet_asset *ca = &m->assets[r->id[i]].p;
            if (u256_add(ca->total_supply_asset, b, &ca->total_supply_asset) ||
                u256_add(ca->balance, b, &ca->balance) ||
                !comet_below_bits(ca->total_supply_asset, 128))
                return keel_fail(KEEL_E_OVERFLOW, "%s: a collateral total passes uint128", fn);
        }
    }
    return KEEL_OK;
}

static keel_status liquidate(void *state, const void *rules, keel_basket *account,
                             const double *price, double *bonus_lost, bool *happened,
                             const char *fn)
{
    comet_state *l = state;
    const comet_rules *r = rules;
    *happened = false;
    KEEL_TRY(load(l, r, account, price, fn));
    const keel_comet_market *m = l->market;
    const keel_comet_account *a = l->account;
    if (!comet_is_neg(a->principal))
        return KEEL_OK;
    comet_liq liq;
    if (comet_eval(m, a->principal, a->balance, COMET_NO_PX, &liq) != KEEL_OK)
        return keel_fail(KEEL_E_OVERFLOW, "%s: a Comet value passes 256 bits", fn);
    keel_comet_int sum;
    if (comet_int_add(liq.base_value, comet_int(liq.lcv, false), &sum))
        return keel_fail(KEEL_E_OVERFLOW, "%s: the Comet liquidity passes int256", fn);
    if (!comet_is_neg(sum) || (m->base.pause_flags & KEEL_COMET_PAUSE_ABSORB))
        return KEEL_OK; /* not liquidatable on chain, or absorb paused: nothing happens */
    keel_comet_absorb q = KEEL_COMET_ABSORB_INIT;
    KEEL_TRY(keel_comet_absorb_quote(m, a, &q, NULL));
    /* every collateral goes; the base balance becomes max(balance + credit, 0) */
    double taken = 0.0;
    for (size_t i = 0; i < r->nassets; i++) {
        if (r->id[i] == KEEL_COMET_BASE_ID)
            continue;
        double held = keel_basket_quantity(account, (keel_asset)i, false);
        if (held > 0.0) {
            taken += u256_to_double(q.seized[r->id[i]]) / r->unit[i] * price[i];
            KEEL_TRY(keel_basket_move(account, (keel_asset)i, false, -held, fn));
        }
    }
    keel_asset b = r->base;
    double unit = r->unit[b];
    double supply = u256_to_double(q.new_balance.magnitude) / unit;
    KEEL_TRY(keel_basket_move(account, b, true, -keel_basket_quantity(account, b, true), fn));
    KEEL_TRY(keel_basket_move(account, b, false, supply - keel_basket_quantity(account, b, false), fn));
    /* the bonus: the collateral taken less the base it was credited as (the
     * liquidation factor's cut); a deficit is forgiven by the reserves and
     * is not counted */
    *bonus_lost += taken - u256_to_double(q.delta_balance) / unit * price[b];
    *happened = true;
    return KEEL_OK;
}

static const keel_protocol_ops comet_ops = {
    "Compound v3", rules_free, rules_fingerprint, state_open, state_close, may_be_liquidatable,
    liquidate,
};

keel_status keel_sim_set_comet(keel_sim *sim, const keel_comet_market *market,
                               const uint32_t *assets, size_t n)
{
    const char *fn = __func__;
    CHECK_SIM(sim);
    if (market == NULL) {
        keel_sim_install_rules(sim, NULL, NULL);
        return KEEL_OK;
    }
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_COMET_MARKET, fn, "market"));
    KEEL_TRY(keel_check_ptr(assets, fn, "assets"));
    if (n != sim->nassets)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: n is %zu; the simulation's market has %zu assets, each needs a Comet asset",
                         fn, n, sim->nassets);
    bool seen[KEEL_COMET_MAX_ASSETS] = { false };
    size_t base = n;
    for (size_t i = 0; i < n; i++) {
        if (assets[i] == KEEL_COMET_BASE_ID) {
            if (base != n)
                return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: assets %zu and %zu are both the base",
                                 fn, base, i);
            base = i;
            continue;
        }
        if (assets[i] >= market->count)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: assets[%zu] = %u is not an asset of the Comet market (it has %zu)",
                             fn, i, assets[i], market->count);
        if (seen[assets[i]])
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: Comet asset %u is given to two assets", fn,
                             assets[i]);
        seen[assets[i]] = true;
    }
    if (base == n)
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: no asset is the base (KEEL_COMET_BASE_ID): Comet lends only its base",
                         fn);
    size_t np;
    const keel_position *pos = keel_basket_data(sim->basket, &np);
    for (size_t k = 0; k < np; k++)
        if (pos[k].debt > 0.0 && pos[k].asset != base)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: the account owes asset %u, which is not the base; Comet lends only its base",
                             fn, (unsigned)pos[k].asset);
    comet_rules *r = keel_alloc_array(1, sizeof *r);
    bool ok = r != NULL;
    if (ok) {
        size_t cap = n ? n : 1;
        r->id = keel_alloc_array(cap, sizeof *r->id);
        r->unit = keel_alloc_array(cap, sizeof *r->unit);
        r->lcf = keel_alloc_array(cap, sizeof *r->lcf);
        ok = r->id != NULL && r->unit != NULL && r->lcf != NULL &&
             keel_comet_market_clone(market, &r->market) == KEEL_OK;
    }
    if (!ok) {
        rules_free(r);
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory", fn);
    }
    for (size_t i = 0; i < n; i++) {
        r->id[i] = assets[i];
        uint32_t dec = assets[i] == KEEL_COMET_BASE_ID ? market->base.decimals
                                                        : market->assets[assets[i]].p.decimals;
        r->unit[i] = pow(10.0, (double)dec);
        r->lcf[i] = assets[i] == KEEL_COMET_BASE_ID
                        ? 0.0
                        : (double)market->assets[assets[i]].p.liquidate_collateral_factor / 1e18;
    }
    r->nassets = n;
    r->base = (keel_asset)base;
    r->index = (double)(market->base.supply_index > market->base.borrow_index
                            ? market->base.supply_index
                            : market->base.borrow_index) / 1e15;
    keel_sim_install_rules(sim, &comet_ops, r);
    return KEEL_OK;
}
