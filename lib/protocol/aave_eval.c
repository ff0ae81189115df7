/* The account data and the liquidation call of Aave v3, exactly as the
 * chain computes them. Sources (aave-dao/aave-v3-origin):
 *   GenericLogic.calculateUserAccountData, calculateAvailableBorrows,
 *   _getUserDebtInBaseCurrency, _getUserBalanceInBaseCurrency;
 *   LiquidationLogic.executeLiquidationCall, _calculateAvailableCollateralToLiquidate,
 *   _burnDebtTokens, _burnBadDebt; ValidationLogic.validateLiquidationCall,
 *   getUserReserveLtv; UserConfiguration.getIsolationModeState; TokenMath
 * at tags v3.4.0, v3.5.0 and v3.6.0. What differs between them:
 *   - balances: v3.4 rayMul (half up); v3.5+ TokenMath, aToken rayMulFloor,
 *     vToken rayMulCeil; burns v3.4 rayDiv, v3.5+ aToken rayDivCeil, vToken
 *     rayDivFloor;
 *   - debt in base currency: v3.4 floor(balance·price / unit); v3.5+ mulDivCeil;
 *   - health factor: v3.4 percentMul(total, ⌊Σ v·lt / total⌋).wadDiv(debt);
 *     v3.5+ (Σ v·lt).wadDiv(debt) / 10^4;
 *   - available borrows: v3.4 percentMul, v3.5+ percentMulFloor;
 *   - collateral whose reserve threshold is 0: left out by v3.4 and v3.5,
 *     counted (at threshold 0) by v3.6, which also no longer lets such a
 *     collateral be liquidated only when its threshold is non-zero;
 *   - e-mode LTV: v3.4/3.5 the category's LTV for its collateral unless the
 *     reserve's own LTV is 0; v3.6 getUserReserveLtv (category LTV, or 0 on
 *     the ltvzero bitmap, whatever the reserve's LTV);
 *   - the debt needed for all of a collateral: v3.4 percentDiv, v3.5+ percentDivCeil. */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "protocol/aave_internal.h"

static const keel_u256 ZERO = {{0, 0, 0, 0}};

static bool is_v34(const keel_aave_market *m) { return m->version == KEEL_AAVE_V3_4; }
static bool is_v36(const keel_aave_market *m) { return m->version >= KEEL_AAVE_V3_6; }

aave_view aave_view_of(const keel_aave_account *a)
{
    aave_view v = {a->pos, a->count, a->emode, UINT32_MAX, {{0, 0, 0, 0}}};
    return v;
}

keel_u256 aave_price(const keel_aave_market *m, const aave_view *v, uint32_t r)
{
    return r == v->price_reserve ? v->price : m->reserves[r].p.price;
}

keel_status aave_supply_balance(const keel_aave_market *m, uint32_t r, keel_u256 scaled,
                                keel_u256 *out)
{
    return u256_wadray(is_v34(m) ? KEEL_RAY_MUL : KEEL_RAY_MUL_FLOOR, scaled,
                       m->reserves[r].p.liquidity_index, out);
}

keel_status aave_debt_balance(const keel_aave_market *m, uint32_t r, keel_u256 scaled,
                              keel_u256 *out)
{
    return u256_wadray(is_v34(m) ? KEEL_RAY_MUL : KEEL_RAY_MUL_CEIL, scaled,
                       m->reserves[r].p.variable_borrow_index, out);
}

keel_status aave_collateral_value(keel_u256 balance, keel_u256 price, keel_u256 unit,
                                  keel_u256 *out)
{
    return u256_mul_div(balance, price, unit, false, out);
}

keel_status aave_debt_value(const keel_aave_market *m, keel_u256 balance, keel_u256 price,
                            keel_u256 unit, keel_u256 *out)
{
    return u256_mul_div(balance, price, unit, !is_v34(m), out);
}

static bool in_emode_collateral(const keel_aave_market *m, uint32_t emode, uint32_t r)
{
    return emode != 0 && aave_bit(m->emodes[emode].collateral_bitmap, r);
}

/* The LTV GenericLogic weighs a collateral with (0: an LTV-zero collateral). */
uint32_t aave_user_ltv(const keel_aave_market *m, uint32_t emode, uint32_t r)
{
    const keel_aave_reserve *p = &m->reserves[r].p;
    bool in = in_emode_collateral(m, emode, r);
    if (is_v36(m)) /* ValidationLogic.getUserReserveLtv */
        return in ? (aave_bit(m->emodes[emode].ltvzero_bitmap, r) ? 0 : m->emodes[emode].ltv)
                  : p->ltv;
    return p->ltv == 0 ? 0 : (in ? m->emodes[emode].ltv : p->ltv);
}

uint32_t aave_user_threshold(const keel_aave_market *m, uint32_t emode, uint32_t r)
{
    return in_emode_collateral(m, emode, r) ? m->emodes[emode].liquidation_threshold
                                            : m->reserves[r].p.liquidation_threshold;
}

static bool uses_collateral(const aave_position *p)
{
    return (p->flags & KEEL_AAVE_COLLATERAL) != 0;
}

bool aave_counts_as_collateral(const keel_aave_market *m, const aave_position *p)
{
    return uses_collateral(p) && (is_v36(m) || m->reserves[p->reserve].p.liquidation_threshold != 0);
}

keel_status aave_eval(const keel_aave_market *m, const aave_view *v, aave_data *out)
{
    aave_data d;
    memset(&d, 0, sizeof d);
    d.isolation_collateral = UINT32_MAX;
    keel_u256 ltv_sum = ZERO, lt_sum = ZERO;
    size_t n_collateral = 0;
    bool any = false;
    for (size_t i = 0; i < v->count; i++) {
        const aave_position *p = &v->pos[i];
        uint32_t r = p->reserve;
        const aave_reserve_state *s = &m->reserves[r];
        keel_u256 price = aave_price(m, v, r);
        bool borrowed = !u256_is_zero(p->debt);
        if (uses_collateral(p)) {
            n_collateral++;
            d.isolation_collateral = r;
        }
        if (uses_collateral(p) || borrowed)
            any = true;
        /* v3.4 and v3.5 skip a collateral whose reserve threshold is 0 */
        if (aave_counts_as_collateral(m, p)) {
            keel_u256 bal, value, w;
            KEEL_TRY(aave_supply_balance(m, r, p->supply, &bal));
            KEEL_TRY(aave_collateral_value(bal, price, s->unit, &value));
            if (u256_add(d.collateral, value, &d.collateral))
                return KEEL_E_OVERFLOW;
            uint32_t ltv = aave_user_ltv(m, v->emode, r);
            if (ltv == 0) {
                d.zero_ltv = true;
            } else {
                if (u256_mul(value, u256_small(ltv), &w) || u256_add(ltv_sum, w, &ltv_sum))
                    return KEEL_E_OVERFLOW;
            }
            if (u256_mul(value, u256_small(aave_user_threshold(m, v->emode, r)), &w) ||
                u256_add(lt_sum, w, &lt_sum))
                return KEEL_E_OVERFLOW;
        }
        if (borrowed) {
            keel_u256 bal, value;
            KEEL_TRY(aave_debt_balance(m, r, p->debt, &bal));
            KEEL_TRY(aave_debt_value(m, bal, price, s->unit, &value));
            if (u256_add(d.debt, value, &d.debt))
                return KEEL_E_OVERFLOW;
        }
    }
    /* UserConfiguration.getIsolationModeState: one collateral with a ceiling */
    if (n_collateral == 1 && !u256_is_zero(m->reserves[d.isolation_collateral].p.debt_ceiling))
        d.isolated = true;
    else
        d.isolation_collateral = UINT32_MAX;
    if (!any) { /* userConfig.isEmpty(): (0, 0, 0, 0, max, false) */
        d.hf = keel_u256_max();
        *out = d;
        return KEEL_OK;
    }
    if (!u256_is_zero(d.collateral)) {
        d.ltv = u256_div(ltv_sum, d.collateral);
        d.lt = u256_div(lt_sum, d.collateral);
    }
    if (u256_is_zero(d.debt)) {
        d.hf = keel_u256_max();
    } else if (is_v34(m)) {
        keel_u256 weighted;
        KEEL_TRY(u256_wadray(KEEL_PERCENT_MUL, d.collateral, d.lt, &weighted));
        KEEL_TRY(u256_wadray(KEEL_WAD_DIV, weighted, d.debt, &d.hf));
    } else {
        KEEL_TRY(u256_wadray(KEEL_WAD_DIV, lt_sum, d.debt, &d.hf));
        d.hf = u256_div(d.hf, u256_small(10000));
    }
    keel_u256 can;
    KEEL_TRY(u256_wadray(is_v34(m) ? KEEL_PERCENT_MUL : KEEL_PERCENT_MUL_FLOOR, d.collateral, d.ltv,
                         &can));
    if (u256_lt(d.debt, can))
        (void)u256_sub(can, d.debt, &d.available);
    *out = d;
    return KEEL_OK;
}

static void data_to_public(const aave_data *d, keel_aave_account_data *out)
{
    keel_aave_account_data r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.total_collateral_base = d->collateral;
    r.total_debt_base = d->debt;
    r.available_borrows_base = d->available;
    r.current_liquidation_threshold = d->lt;
    r.ltv = d->ltv;
    r.health_factor = d->hf;
    r.has_zero_ltv_collateral = d->zero_ltv;
    r.isolated = d->isolated;
    r.isolation_collateral = d->isolation_collateral;
    r.liquidatable = u256_lt(d->hf, u256_small(AAVE_WAD));
    keel_write_sized(out, &r, sizeof r);
}

keel_status keel_aave_user_account_data(const keel_aave_market *market,
                                        const keel_aave_account *account,
                                        keel_aave_account_data *out)
{
    KEEL_TRY(aave_check(market, account, __func__));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_aave_account_data"));
    aave_view v = aave_view_of(account);
    aave_data d;
    if (aave_eval(market, &v, &d) != KEEL_OK)
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: a value overflows 256 bits (calculateUserAccountData reverts)",
                         __func__);
    data_to_public(&d, out);
    return KEEL_OK;
}

/* ---- the liquidation call ---- */

const char *keel_aave_revert_name(keel_aave_revert reason)
{
    switch (reason) {
    case KEEL_AAVE_OK: return "";
    case KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD: return "HealthFactorNotBelowThreshold";
    case KEEL_AAVE_COLLATERAL_CANNOT_BE_LIQUIDATED: return "CollateralCannotBeLiquidated";
    case KEEL_AAVE_SPECIFIED_CURRENCY_NOT_BORROWED: return "SpecifiedCurrencyNotBorrowedByUser";
    case KEEL_AAVE_MUST_NOT_LEAVE_DUST: return "MustNotLeaveDust";
    case KEEL_AAVE_RESERVE_INACTIVE: return "ReserveInactive";
    case KEEL_AAVE_RESERVE_PAUSED: return "ReservePaused";
    case KEEL_AAVE_INVALID_BURN_AMOUNT: return "InvalidBurnAmount";
    case KEEL_AAVE_ARITHMETIC: return "Panic(0x11) arithmetic overflow or underflow";
    case KEEL_AAVE_DIVISION_BY_ZERO: return "Panic(0x12) division by zero";
    }
    return "unknown revert";
}

/* LiquidationLogic's constants (v3.3+). */
#define CLOSE_FACTOR_BPS 5000u                     /* DEFAULT_LIQUIDATION_CLOSE_FACTOR */
#define CLOSE_FACTOR_HF 950000000000000000ull      /* CLOSE_FACTOR_HF_THRESHOLD, 0.95 wad */
#define MIN_BASE_FULL_CLOSE 200000000000ull        /* MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, 2000e8 */
#define MIN_LEFTOVER_BASE 100000000000ull          /* MIN_LEFTOVER_BASE, 1000e8 */

/* A burn of `amount` from a scaled balance, as the token computes it; the
 * reverts of ScaledBalanceTokenBase._burnScaled. */
static keel_aave_revert burn(const keel_aave_market *m, bool debt_token, uint32_t r,
                             keel_u256 amount, keel_u256 *scaled)
{
    keel_u256 index = debt_token ? m->reserves[r].p.variable_borrow_index
                                 : m->reserves[r].p.liquidity_index;
    keel_wadray_op op = is_v34(m) ? KEEL_RAY_DIV : (debt_token ? KEEL_RAY_DIV_FLOOR : KEEL_RAY_DIV_CEIL);
    keel_u256 s;
    if (u256_wadray(op, amount, index, &s) != KEEL_OK)
        return KEEL_AAVE_ARITHMETIC;
    if (u256_is_zero(s))
        return KEEL_AAVE_INVALID_BURN_AMOUNT;
    if (u256_sub(*scaled, s, scaled))
        return KEEL_AAVE_ARITHMETIC;
    return KEEL_AAVE_OK;
}

typedef struct liq_ctx {
    const keel_aave_market *m;
    aave_position *pos; /* the account's positions, changed in place */
    size_t count;
    keel_u256 deficit_base;
} liq_ctx;

/* _burnDebtTokens: burns `burn_amount` (all of the debt when no collateral
 * is left) and books the rest as deficit. */
static keel_aave_revert burn_debt(liq_ctx *c, size_t i, keel_u256 reserve_debt,
                                  keel_u256 actual, bool no_collateral_left)
{
    aave_position *p = &c->pos[i];
    if (!u256_is_zero(reserve_debt)) {
        keel_aave_revert rv = burn(c->m, true, p->reserve, no_collateral_left ? reserve_debt : actual,
                                   &p->debt);
        if (rv != KEEL_AAVE_OK)
            return rv;
    }
    keel_u256 outstanding;
    if (u256_sub(reserve_debt, actual, &outstanding))
        return KEEL_AAVE_ARITHMETIC;
    if (no_collateral_left && !u256_is_zero(outstanding)) {
        const aave_reserve_state *s = &c->m->reserves[p->reserve];
        keel_u256 v;
        if (aave_debt_value(c->m, outstanding, s->p.price, s->unit, &v) != KEEL_OK ||
            u256_add(c->deficit_base, v, &c->deficit_base))
            return KEEL_AAVE_ARITHMETIC;
    }
    return KEEL_AAVE_OK;
}

keel_status aave_liquidate(const keel_aave_market *m, const keel_aave_account *a,
                           uint32_t collateral, uint32_t debt, keel_u256 debt_to_cover,
                           keel_aave_liquidation *out, keel_aave_account *after)
{
    keel_aave_liquidation q;
    memset(&q, 0, sizeof q);
    q.size = sizeof q;
    q.collateral = collateral;
    q.debt = debt;
    aave_position local[KEEL_AAVE_MAX_RESERVES];
    if (a->count != 0) /* a->pos may be NULL for an empty account */
        memcpy(local, a->pos, a->count * sizeof *local);
    liq_ctx c = {m, local, a->count, {{0, 0, 0, 0}}};
    aave_view v = {local, a->count, a->emode, UINT32_MAX, {{0, 0, 0, 0}}};
    const aave_reserve_state *cs = &m->reserves[collateral], *ds = &m->reserves[debt];
    keel_aave_revert rv = KEEL_AAVE_OK;
    aave_data before;
    if (aave_eval(m, &v, &before) != KEEL_OK)
        return KEEL_E_OVERFLOW;
    q.health_factor_before = before.hf;

    size_t ci = aave_find(local, a->count, collateral), di = aave_find(local, a->count, debt);
    keel_u256 coll_bal = ZERO, debt_bal = ZERO;
    if (ci < a->count && aave_supply_balance(m, collateral, local[ci].supply, &coll_bal) != KEEL_OK)
        return KEEL_E_OVERFLOW;
    if (di < a->count && aave_debt_balance(m, debt, local[di].debt, &debt_bal) != KEEL_OK)
        return KEEL_E_OVERFLOW;

    /* ValidationLogic.validateLiquidationCall, in its order */
    uint32_t cf = cs->p.flags, df = ds->p.flags;
    bool coll_enabled = ci < a->count && uses_collateral(&local[ci]) &&
                        (is_v36(m) || cs->p.liquidation_threshold != 0);
    if (!(cf & KEEL_AAVE_ACTIVE) || !(df & KEEL_AAVE_ACTIVE))
        rv = KEEL_AAVE_RESERVE_INACTIVE;
    else if ((cf | df) & KEEL_AAVE_PAUSED)
        rv = KEEL_AAVE_RESERVE_PAUSED;
    else if (!u256_lt(before.hf, u256_small(AAVE_WAD)))
        rv = KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD;
    else if (!coll_enabled)
        rv = KEEL_AAVE_COLLATERAL_CANNOT_BE_LIQUIDATED;
    else if (u256_is_zero(debt_bal))
        rv = KEEL_AAVE_SPECIFIED_CURRENCY_NOT_BORROWED;
    if (rv != KEEL_AAVE_OK)
        goto reverted;

    q.liquidation_bonus = in_emode_collateral(m, a->emode, collateral)
                              ? m->emodes[a->emode].liquidation_bonus
                              : cs->p.liquidation_bonus;
    keel_u256 bonus = u256_small(q.liquidation_bonus);
    keel_u256 cprice = cs->p.price, dprice = ds->p.price;
    keel_u256 debt_base, coll_base;
    if (aave_debt_value(m, debt_bal, dprice, ds->unit, &debt_base) != KEEL_OK ||
        aave_collateral_value(coll_bal, cprice, cs->unit, &coll_base) != KEEL_OK) {
        rv = KEEL_AAVE_ARITHMETIC;
        goto reverted;
    }
    /* the close factor */
    keel_u256 max_debt = debt_bal;
    if (!u256_lt(coll_base, u256_small(MIN_BASE_FULL_CLOSE)) &&
        !u256_lt(debt_base, u256_small(MIN_BASE_FULL_CLOSE)) &&
        u256_lt(u256_small(CLOSE_FACTOR_HF), before.hf)) {
        keel_u256 half;
        if (u256_wadray(KEEL_PERCENT_MUL, before.debt, u256_small(CLOSE_FACTOR_BPS), &half) !=
            KEEL_OK) {
            rv = KEEL_AAVE_ARITHMETIC;
            goto reverted;
        }
        if (u256_lt(half, debt_base)) {
            keel_status st = u256_mul_div(half, ds->unit, dprice, false, &max_debt);
            if (st != KEEL_OK) { /* a price of 0 divides by zero */
                rv = st == KEEL_E_OUT_OF_RANGE ? KEEL_AAVE_DIVISION_BY_ZERO : KEEL_AAVE_ARITHMETIC;
                goto reverted;
            }
        }
    }
    keel_u256 actual = u256_lt(max_debt, debt_to_cover) ? max_debt : debt_to_cover;

    /* _calculateAvailableCollateralToLiquidate */
    keel_u256 num, den, base_coll, max_coll, coll_amount, fee = ZERO, coll_amount_base;
    if (u256_mul(dprice, actual, &num) || u256_mul(num, cs->unit, &num) ||
        u256_mul(cprice, ds->unit, &den)) {
        rv = KEEL_AAVE_ARITHMETIC;
        goto reverted;
    }
    if (u256_is_zero(den)) { /* a collateral price of 0 */
        rv = KEEL_AAVE_DIVISION_BY_ZERO;
        goto reverted;
    }
    base_coll = u256_div(num, den);
    if (u256_wadray(KEEL_PERCENT_MUL, base_coll, bonus, &max_coll) != KEEL_OK) {
        rv = KEEL_AAVE_ARITHMETIC;
        goto reverted;
    }
    if (u256_lt(coll_bal, max_coll)) {
        coll_amount = coll_bal;
        if (u256_mul(cprice, coll_amount, &num) || u256_mul(num, ds->unit, &num) ||
            u256_mul(dprice, cs->unit, &den)) {
            rv = KEEL_AAVE_ARITHMETIC;
            goto reverted;
        }
        if (u256_is_zero(den)) { /* a debt price of 0 */
            rv = KEEL_AAVE_DIVISION_BY_ZERO;
            goto reverted;
        }
        if (u256_wadray(is_v34(m) ? KEEL_PERCENT_DIV : KEEL_PERCENT_DIV_CEIL, u256_div(num, den),
                        bonus, &actual) != KEEL_OK) {
            rv = KEEL_AAVE_ARITHMETIC;
            goto reverted;
        }
    } else {
        coll_amount = max_coll;
    }
    if (aave_collateral_value(coll_amount, cprice, cs->unit, &coll_amount_base) != KEEL_OK) {
        rv = KEEL_AAVE_ARITHMETIC;
        goto reverted;
    }
    if (cs->p.liquidation_protocol_fee != 0) {
        keel_u256 principal, bonus_coll;
        if (u256_wadray(KEEL_PERCENT_DIV, coll_amount, bonus, &principal) != KEEL_OK ||
            u256_sub(coll_amount, principal, &bonus_coll) ||
            u256_wadray(KEEL_PERCENT_MUL, bonus_coll, u256_small(cs->p.liquidation_protocol_fee),
                        &fee) != KEEL_OK ||
            u256_sub(coll_amount, fee, &coll_amount)) {
            rv = KEEL_AAVE_ARITHMETIC;
            goto reverted;
        }
    }

    /* the leftover rule: all the debt, all the collateral, or more than
     * MIN_LEFTOVER_BASE of each left */
    keel_u256 taken;
    if (u256_add(coll_amount, fee, &taken)) {
        rv = KEEL_AAVE_ARITHMETIC;
        goto reverted;
    }
    if (u256_lt(actual, debt_bal) && u256_lt(taken, coll_bal)) {
        keel_u256 debt_left, coll_left, dl_base, cl_base;
        (void)u256_sub(debt_bal, actual, &debt_left);
        (void)u256_sub(coll_bal, taken, &coll_left);
        if (aave_debt_value(m, debt_left, dprice, ds->unit, &dl_base) != KEEL_OK ||
            aave_collateral_value(coll_left, cprice, cs->unit, &cl_base) != KEEL_OK) {
            rv = KEEL_AAVE_ARITHMETIC;
            goto reverted;
        }
        if (u256_lt(dl_base, u256_small(MIN_LEFTOVER_BASE)) ||
            u256_lt(cl_base, u256_small(MIN_LEFTOVER_BASE))) {
            rv = KEEL_AAVE_MUST_NOT_LEAVE_DUST;
            goto reverted;
        }
    }
    if (u256_cmp(taken, coll_bal) == 0)
        local[ci].flags &= ~(uint32_t)KEEL_AAVE_COLLATERAL;
    bool no_collateral_left = u256_cmp(before.collateral, coll_amount_base) == 0;
    rv = burn_debt(&c, di, debt_bal, actual, no_collateral_left);
    if (rv != KEEL_AAVE_OK)
        goto reverted;
    /* _burnCollateralATokens (receiveAToken = false) */
    rv = burn(m, false, collateral, coll_amount, &local[ci].supply);
    if (rv != KEEL_AAVE_OK)
        goto reverted;
    /* the protocol fee, capped at what the borrower still holds */
    if (!u256_is_zero(fee)) {
        keel_u256 scaled_fee;
        if (u256_wadray(is_v34(m) ? KEEL_RAY_DIV : KEEL_RAY_DIV_CEIL, fee, cs->p.liquidity_index,
                        &scaled_fee) != KEEL_OK) {
            rv = KEEL_AAVE_ARITHMETIC;
            goto reverted;
        }
        if (u256_lt(local[ci].supply, scaled_fee)) {
            scaled_fee = local[ci].supply;
            if (aave_supply_balance(m, collateral, scaled_fee, &fee) != KEEL_OK) {
                rv = KEEL_AAVE_ARITHMETIC;
                goto reverted;
            }
        }
        (void)u256_sub(local[ci].supply, scaled_fee, &local[ci].supply);
    }
    /* _burnBadDebt: with no collateral left, every other debt is written off */
    if (no_collateral_left) {
        for (size_t i = 0; i < c.count; i++) {
            if (u256_is_zero(local[i].debt) || !(m->reserves[local[i].reserve].p.flags & KEEL_AAVE_ACTIVE))
                continue;
            keel_u256 bal;
            if (aave_debt_balance(m, local[i].reserve, local[i].debt, &bal) != KEEL_OK) {
                rv = KEEL_AAVE_ARITHMETIC;
                goto reverted;
            }
            rv = burn_debt(&c, i, bal, ZERO, true);
            if (rv != KEEL_AAVE_OK)
                goto reverted;
        }
    }
    q.debt_repaid = actual;
    q.collateral_to_liquidator = coll_amount;
    q.protocol_fee = fee;
    q.deficit_base = c.deficit_base;
    if (aave_debt_value(m, actual, dprice, ds->unit, &q.debt_repaid_base) != KEEL_OK ||
        aave_collateral_value(coll_amount, cprice, cs->unit, &q.collateral_to_liquidator_base) !=
            KEEL_OK)
        return KEEL_E_OVERFLOW;
    q.profit_base = u256_to_double(q.collateral_to_liquidator_base) -
                    u256_to_double(q.debt_repaid_base);
    {
        /* the account after: positions emptied by the call drop out */
        keel_aave_account tmp = {KEEL_TAG_AAVE_ACCOUNT, a->emode, 0, KEEL_AAVE_MAX_RESERVES, NULL};
        aave_position kept[KEEL_AAVE_MAX_RESERVES];
        tmp.pos = kept;
        for (size_t i = 0; i < c.count; i++)
            (void)aave_put(&tmp, local[i]); /* never grows past its capacity */
        aave_view va = {kept, tmp.count, a->emode, UINT32_MAX, {{0, 0, 0, 0}}};
        aave_data ad;
        if (aave_eval(m, &va, &ad) != KEEL_OK)
            return KEEL_E_OVERFLOW;
        q.health_factor_after = ad.hf;
        if (after != NULL) {
            if (after->cap < tmp.count) {
                aave_position *p = keel_alloc_array(tmp.count, sizeof *p);
                if (p == NULL)
                    return KEEL_E_NOMEM;
                keel_dealloc(after->pos);
                after->pos = p;
                after->cap = tmp.count;
            }
            if (tmp.count != 0)
                memcpy(after->pos, kept, tmp.count * sizeof *kept);
            after->count = tmp.count;
            after->emode = a->emode;
        }
    }
    *out = q;
    return KEEL_OK;

reverted: {
    keel_aave_liquidation r;
    memset(&r, 0, sizeof r);
    r.size = sizeof r;
    r.revert = rv;
    r.collateral = collateral;
    r.debt = debt;
    r.health_factor_before = before.hf;
    *out = r;
    return KEEL_E_INFEASIBLE;
}
}

keel_status keel_aave_liquidation_quote(const keel_aave_market *market,
                                        const keel_aave_account *account, uint32_t collateral,
                                        uint32_t debt, keel_u256 debt_to_cover,
                                        keel_aave_liquidation *out, keel_aave_account *after)
{
    KEEL_TRY(aave_check(market, account, __func__));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_aave_liquidation"));
    if (after != NULL)
        KEEL_TRY(keel_check_handle(after, KEEL_TAG_AAVE_ACCOUNT, __func__, "after"));
    if (collateral >= market->count || debt >= market->count)
        return keel_fail(KEEL_E_UNKNOWN_ASSET,
                         "%s: %s reserve %u is not a reserve of the market (it has %zu)", __func__,
                         collateral >= market->count ? "collateral" : "debt",
                         collateral >= market->count ? collateral : debt, market->count);
    keel_aave_liquidation q;
    keel_status s = aave_liquidate(market, account, collateral, debt, debt_to_cover, &q, after);
    if (s == KEEL_OK || s == KEEL_E_INFEASIBLE)
        keel_write_sized(out, &q, sizeof q);
    if (s == KEEL_E_INFEASIBLE)
        return keel_fail(s, "%s: the pool reverts with %s (collateral %s, debt %s)", __func__,
                         keel_aave_revert_name(q.revert), market->reserves[collateral].symbol,
                         market->reserves[debt].symbol);
    if (s == KEEL_E_NOMEM)
        return keel_fail(s, "%s: out of memory", __func__);
    if (s != KEEL_OK)
        return keel_fail(s, "%s: a value overflows 256 bits", __func__);
    return KEEL_OK;
}

/* The liquidation of one pair at the largest cover the pool accepts. The
 * profit grows with the cover, so that is the close factor's maximum —
 * unless it would leave less than MIN_LEFTOVER_BASE of debt or collateral
 * (MustNotLeaveDust). Then the largest cover leaving enough is found by
 * bisection: the leftovers fall as the cover grows, so the covers that
 * revert for dust are exactly those above a threshold. */
static keel_status aave_best_cover(const keel_aave_market *m, const keel_aave_account *a,
                                   uint32_t c, uint32_t d, keel_aave_liquidation *q,
                                   keel_u256 *cover)
{
    *cover = keel_u256_max();
    keel_status s = aave_liquidate(m, a, c, d, *cover, q, NULL);
    if (s != KEEL_E_INFEASIBLE || q->revert != KEEL_AAVE_MUST_NOT_LEAVE_DUST)
        return s;
    size_t di = aave_find(a->pos, a->count, d);
    keel_u256 lo = ZERO, hi; /* no dust at lo (nothing repaid), dust at hi */
    if (aave_debt_balance(m, d, a->pos[di].debt, &hi) != KEEL_OK)
        return KEEL_E_OVERFLOW;
    while (true) {
        keel_u256 gap;
        (void)u256_sub(hi, lo, &gap);
        if (u256_cmp(gap, u256_small(1)) <= 0)
            break;
        keel_u256 mid;
        (void)u256_add(lo, u256_div(gap, u256_small(2)), &mid);
        s = aave_liquidate(m, a, c, d, mid, q, NULL);
        if (s != KEEL_OK && s != KEEL_E_INFEASIBLE)
            return s;
        if (s == KEEL_E_INFEASIBLE && q->revert == KEEL_AAVE_MUST_NOT_LEAVE_DUST)
            hi = mid;
        else
            lo = mid;
    }
    *cover = lo;
    return aave_liquidate(m, a, c, d, lo, q, NULL);
}

keel_status aave_best(const keel_aave_market *m, const keel_aave_account *a,
                      keel_aave_liquidation *out, keel_aave_account *after)
{
    keel_aave_liquidation best, q;
    keel_u256 best_cover = ZERO, cover;
    bool found = false;
    keel_aave_revert first = KEEL_AAVE_HEALTH_FACTOR_NOT_BELOW_THRESHOLD;
    bool have_first = false;
    for (size_t i = 0; i < a->count; i++) {
        if (!uses_collateral(&a->pos[i]))
            continue;
        for (size_t j = 0; j < a->count; j++) {
            if (u256_is_zero(a->pos[j].debt))
                continue;
            keel_status s = aave_best_cover(m, a, a->pos[i].reserve, a->pos[j].reserve, &q,
                                            &cover);
            if (s == KEEL_E_INFEASIBLE) {
                if (!have_first) {
                    first = q.revert;
                    have_first = true;
                }
                continue;
            }
            if (s != KEEL_OK)
                return s;
            if (!found || q.profit_base > best.profit_base) {
                best = q;
                best_cover = cover;
                found = true;
            }
        }
    }
    if (!found) {
        memset(out, 0, sizeof *out);
        out->size = sizeof *out;
        out->revert = first;
        out->collateral = out->debt = UINT32_MAX;
        return KEEL_E_INFEASIBLE;
    }
    /* the winner again, for the account after it, with the cover that won: not
     * its debt repaid, which, when the collateral ran out first, is the
     * collateral's worth in debt rounded down, and as a cover would seize a
     * few wei less than all of it (MustNotLeaveDust) */
    if (after != NULL)
        return aave_liquidate(m, a, best.collateral, best.debt, best_cover, out, after);
    *out = best;
    return KEEL_OK;
}

keel_status keel_aave_best_liquidation(const keel_aave_market *market,
                                       const keel_aave_account *account,
                                       keel_aave_liquidation *out)
{
    KEEL_TRY(aave_check(market, account, __func__));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_aave_liquidation"));
    keel_aave_liquidation q;
    keel_status s = aave_best(market, account, &q, NULL);
    if (s == KEEL_OK || s == KEEL_E_INFEASIBLE)
        keel_write_sized(out, &q, sizeof q);
    if (s == KEEL_E_INFEASIBLE)
        return keel_fail(s, "%s: no pair can be liquidated (%s)", __func__,
                         keel_aave_revert_name(q.revert));
    if (s != KEEL_OK)
        return keel_fail(s, "%s: a value overflows 256 bits", __func__);
    return KEEL_OK;
}
