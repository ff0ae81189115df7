/* What a keeper asks of an Aave v3 account: the repay or supply reaching a
 * target health factor, the most that can be withdrawn or borrowed, the
 * liquidation price at the oracle's granularity. Each is a bisection on the
 * exact integer account data of aave_eval.c over a predicate monotone in the
 * amount (or price), so the answer is the boundary itself: the search keeps
 * lo failing and hi passing and stops when they are adjacent.
 * Sources (aave-dao/aave-v3-origin, v3.4.0 / v3.5.0 / v3.6.0): SupplyLogic
 * (executeWithdraw), BorrowLogic (executeBorrow, executeRepay),
 * ValidationLogic (validateBorrow, validateHFAndLtv, validateHFAndLtvzero),
 * IsolationModeLogic, TokenMath. */
#include <stdio.h>
#include <string.h>

#include "core/core_internal.h"
#include "protocol/aave_internal.h"

static const keel_u256 ZERO = {{0, 0, 0, 0}};

static bool is_v34(const keel_aave_market *m) { return m->version == KEEL_AAVE_V3_4; }

/* A working copy of the account with one position editable. */
typedef struct work {
    const keel_aave_market *m;
    aave_position pos[KEEL_AAVE_MAX_RESERVES];
    size_t count;
    uint32_t emode;
    size_t at; /* the position the search changes */
    aave_position base; /* its value before */
} work;

static void work_init(work *w, const keel_aave_market *m, const keel_aave_account *a, uint32_t r)
{
    w->m = m;
    w->emode = a->emode;
    w->count = a->count;
    if (a->count != 0) /* a->pos may be NULL for an empty account */
        memcpy(w->pos, a->pos, a->count * sizeof *a->pos);
    size_t i = aave_find(w->pos, w->count, r);
    if (i == w->count) { /* insert an empty position for r, keeping the order */
        size_t at = 0;
        while (at < w->count && w->pos[at].reserve < r)
            at++;
        memmove(&w->pos[at + 1], &w->pos[at], (w->count - at) * sizeof *w->pos);
        memset(&w->pos[at], 0, sizeof w->pos[at]);
        w->pos[at].reserve = r;
        w->count++;
        i = at;
    }
    w->at = i;
    w->base = w->pos[i];
}

static keel_status work_eval(const work *w, aave_data *d)
{
    aave_view v = {w->pos, w->count, w->emode, UINT32_MAX, {{0, 0, 0, 0}}};
    return aave_eval(w->m, &v, d);
}

static keel_u256 midpoint(keel_u256 lo, keel_u256 hi)
{
    keel_u256 d;
    (void)u256_sub(hi, lo, &d);
    d = u256_div(d, u256_small(2));
    (void)u256_add(lo, d, &d);
    return d;
}

static bool adjacent(keel_u256 lo, keel_u256 hi)
{
    keel_u256 d;
    (void)u256_sub(hi, lo, &d);
    return u256_cmp(d, u256_small(1)) <= 0;
}

/* pred(x) for the searches: KEEL_OK with *ok, or an overflow. */
typedef keel_status (*pred_fn)(work *w, keel_u256 x, bool *ok);

/* The smallest x in (lo, hi] with pred true, given pred(lo) false and
 * pred(hi) true (invariant kept to the end). */
static keel_status first_true(work *w, pred_fn pred, keel_u256 lo, keel_u256 hi, keel_u256 *out)
{
    while (!adjacent(lo, hi)) {
        keel_u256 mid = midpoint(lo, hi);
        bool ok;
        KEEL_TRY(pred(w, mid, &ok));
        if (ok)
            hi = mid;
        else
            lo = mid;
    }
    *out = hi;
    return KEEL_OK;
}

/* The largest x in [lo, hi) with pred true, given pred(lo) true and pred(hi) false. */
static keel_status last_true(work *w, pred_fn pred, keel_u256 lo, keel_u256 hi, keel_u256 *out)
{
    while (!adjacent(lo, hi)) {
        keel_u256 mid = midpoint(lo, hi);
        bool ok;
        KEEL_TRY(pred(w, mid, &ok));
        if (ok)
            lo = mid;
        else
            hi = mid;
    }
    *out = lo;
    return KEEL_OK;
}

typedef struct search {
    work w;
    keel_u256 target; /* health factor the action must reach (wad) */
} search;

static keel_status hf_at_least(work *w, keel_u256 target, bool *ok)
{
    aave_data d;
    KEEL_TRY(work_eval(w, &d));
    *ok = !u256_lt(d.hf, target);
    return KEEL_OK;
}

/* ---- repay ---- */

static keel_status repay_pred(work *w, keel_u256 x, bool *ok)
{
    search *s = (search *)w;
    aave_position *p = &w->pos[w->at];
    *p = w->base;
    keel_u256 burned;
    /* BorrowLogic.executeRepay: getVTokenBurnScaledAmount (rayDivFloor) since
     * v3.5, the token's rayDiv (half up) in v3.4 */
    KEEL_TRY(u256_wadray(is_v34(w->m) ? KEEL_RAY_DIV : KEEL_RAY_DIV_FLOOR, x,
                         w->m->reserves[p->reserve].p.variable_borrow_index, &burned));
    if (u256_sub(p->debt, burned, &p->debt))
        p->debt = ZERO;
    return hf_at_least(w, s->target, ok);
}

static keel_status fail_overflow(const char *fn)
{
    return keel_fail(KEEL_E_OVERFLOW, "%s: a value overflows 256 bits", fn);
}

/* The least amount in (0, hi] for which pred holds, given it fails at 0:
 * KEEL_E_INFEASIBLE (the detail from `why`, naming `symbol`) when it fails
 * at hi too; *out written only on success. */
static keel_status least_reaching(work *w, pred_fn pred, keel_u256 hi, keel_u256 *out,
                                  const char *fn, const char *why, const char *symbol)
{
    bool ok;
    if (pred(w, hi, &ok) != KEEL_OK)
        return fail_overflow(fn);
    if (!ok) {
        char detail[200];
        snprintf(detail, sizeof detail, why, symbol);
        return keel_fail(KEEL_E_INFEASIBLE, "%s: %s", fn, detail);
    }
    keel_u256 x;
    if (first_true(w, pred, ZERO, hi, &x) != KEEL_OK)
        return fail_overflow(fn);
    *out = x;
    return KEEL_OK;
}


static keel_status check_call(const keel_aave_market *m, const keel_aave_account *a, uint32_t r,
                              const void *out, const char *fn)
{
    KEEL_TRY(aave_check(m, a, fn));
    KEEL_TRY(keel_check_ptr(out, fn, "out"));
    if (r >= m->count)
        return keel_fail(KEEL_E_UNKNOWN_ASSET, "%s: reserve %u is not a reserve of the market (it has %zu)",
                         fn, r, m->count);
    return KEEL_OK;
}

keel_status keel_aave_repay_to_target(const keel_aave_market *market,
                                      const keel_aave_account *account, uint32_t reserve,
                                      keel_u256 target_hf, keel_u256 *out_amount)
{
    KEEL_TRY(check_call(market, account, reserve, out_amount, __func__));
    if (u256_is_zero(target_hf))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: target_hf is 0", __func__);
    search s;
    s.target = target_hf;
    work_init(&s.w, market, account, reserve);
    bool ok;
    keel_u256 debt;
    if (repay_pred(&s.w, ZERO, &ok) != KEEL_OK ||
        aave_debt_balance(market, reserve, s.w.base.debt, &debt) != KEEL_OK)
        return fail_overflow(__func__);
    if (ok) {
        *out_amount = ZERO;
        return KEEL_OK;
    }
    return least_reaching(&s.w, repay_pred, debt, out_amount, __func__,
                          "repaying all of the debt in reserve %s leaves the health factor "
                          "below the target",
                          market->reserves[reserve].symbol);
}

/* ---- supply ---- */

static keel_status supply_pred(work *w, keel_u256 x, bool *ok)
{
    search *s = (search *)w;
    aave_position *p = &w->pos[w->at];
    *p = w->base;
    keel_u256 minted;
    /* SupplyLogic.executeSupply: getATokenMintScaledAmount (rayDivFloor)
     * since v3.5, rayDiv in v3.4 */
    KEEL_TRY(u256_wadray(is_v34(w->m) ? KEEL_RAY_DIV : KEEL_RAY_DIV_FLOOR, x,
                         w->m->reserves[p->reserve].p.liquidity_index, &minted));
    if (u256_add(p->supply, minted, &p->supply))
        return KEEL_E_OVERFLOW;
    if (!u256_is_zero(p->supply))
        p->flags |= KEEL_AAVE_COLLATERAL;
    return hf_at_least(w, s->target, ok);
}

keel_status keel_aave_supply_to_target(const keel_aave_market *market,
                                       const keel_aave_account *account, uint32_t reserve,
                                       keel_u256 target_hf, keel_u256 *out_amount)
{
    KEEL_TRY(check_call(market, account, reserve, out_amount, __func__));
    if (u256_is_zero(target_hf))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: target_hf is 0", __func__);
    search s;
    s.target = target_hf;
    work_init(&s.w, market, account, reserve);
    bool ok;
    if (supply_pred(&s.w, ZERO, &ok) != KEEL_OK)
        return fail_overflow(__func__);
    if (ok) {
        *out_amount = ZERO;
        return KEEL_OK;
    }
    /* whether the supply counts: a reserve already used as collateral does;
     * a first supply is switched on only when
     * ValidationLogic.validateAutomaticUseAsCollateral passes (no debt
     * ceiling; an LTV above 0 — the reserve's before v3.6, getUserReserveLtv
     * since; and no isolation when other collateral is on); a supply held
     * with the switch off stays off */
    const aave_position *p0 = &s.w.base;
    bool counts = (p0->flags & KEEL_AAVE_COLLATERAL) != 0;
    if (!counts && u256_is_zero(p0->supply)) {
        aave_data now;
        if (work_eval(&s.w, &now) != KEEL_OK)
            return fail_overflow(__func__);
        bool any = false;
        for (size_t i = 0; i < s.w.count; i++)
            any = any || (s.w.pos[i].flags & KEEL_AAVE_COLLATERAL && i != s.w.at);
        const keel_aave_reserve *rv = &market->reserves[reserve].p;
        uint32_t ltv = market->version >= KEEL_AAVE_V3_6 ? aave_user_ltv(market, account->emode, reserve)
                                                        : rv->ltv;
        counts = u256_is_zero(rv->debt_ceiling) && ltv != 0 && (!any || !now.isolated);
    }
    if (!counts)
        return keel_fail(KEEL_E_INFEASIBLE,
                         "%s: a supply of reserve %s would not be used as collateral (its switch is "
                         "off, or validateAutomaticUseAsCollateral refuses it: a debt ceiling, an "
                         "LTV of 0, or isolation)",
                         __func__, market->reserves[reserve].symbol);
    keel_u256 hi = {{UINT64_MAX, UINT64_MAX >> 1, 0, 0}}; /* 2^127 − 1 */
    return least_reaching(&s.w, supply_pred, hi, out_amount, __func__,
                          "no supply of reserve %s below 2^127 reaches the target (its "
                          "threshold in the account's e-mode may be 0)",
                          market->reserves[reserve].symbol);
}

/* ---- withdraw ---- */

static keel_status withdraw_pred(work *w, keel_u256 x, bool *ok)
{
    search *s = (search *)w;
    aave_position *p = &w->pos[w->at];
    *p = w->base;
    keel_u256 bal, burned;
    KEEL_TRY(aave_supply_balance(w->m, p->reserve, p->supply, &bal));
    if (u256_cmp(x, bal) == 0) {
        burned = p->supply; /* a full withdrawal burns the whole scaled balance */
    } else {
        /* getATokenBurnScaledAmount (rayDivCeil) since v3.5, rayDiv in v3.4 */
        KEEL_TRY(u256_wadray(is_v34(w->m) ? KEEL_RAY_DIV : KEEL_RAY_DIV_CEIL, x,
                             w->m->reserves[p->reserve].p.liquidity_index, &burned));
    }
    if (u256_sub(p->supply, burned, &p->supply)) {
        *ok = false; /* more than the balance: the pool reverts */
        return KEEL_OK;
    }
    if (u256_is_zero(p->supply))
        p->flags &= ~(uint32_t)KEEL_AAVE_COLLATERAL;
    aave_data d;
    KEEL_TRY(work_eval(w, &d));
    bool borrowing = !u256_is_zero(d.debt);
    *ok = !borrowing || !u256_lt(d.hf, s->target);
    return KEEL_OK;
}

static keel_u256 floor_or_one(keel_u256 floor_hf)
{
    keel_u256 one = u256_small(AAVE_WAD);
    return u256_lt(floor_hf, one) ? one : floor_hf;
}

keel_status keel_aave_max_withdraw(const keel_aave_market *market,
                                   const keel_aave_account *account, uint32_t reserve,
                                   keel_u256 floor_hf, keel_u256 *out_amount)
{
    KEEL_TRY(check_call(market, account, reserve, out_amount, __func__));
    search s;
    s.target = floor_or_one(floor_hf);
    work_init(&s.w, market, account, reserve);
    keel_u256 bal;
    if (aave_supply_balance(market, reserve, s.w.base.supply, &bal) != KEEL_OK)
        return fail_overflow(__func__);
    uint32_t flags = market->reserves[reserve].p.flags;
    if (u256_is_zero(bal) || !(flags & KEEL_AAVE_ACTIVE) || (flags & KEEL_AAVE_PAUSED)) {
        *out_amount = ZERO;
        return KEEL_OK;
    }
    /* SupplyLogic.executeWithdraw checks the health factor only for a
     * collateral of an account in debt (validateHFAndLtvzero): anything
     * else can go whole */
    bool collateral = (s.w.base.flags & KEEL_AAVE_COLLATERAL) != 0;
    aave_data now;
    if (work_eval(&s.w, &now) != KEEL_OK)
        return fail_overflow(__func__);
    if (!collateral || u256_is_zero(now.debt)) {
        *out_amount = bal;
        return KEEL_OK;
    }
    if (collateral && !u256_is_zero(now.debt) && aave_user_ltv(market, account->emode, reserve) != 0) {
        /* an LTV-0 collateral elsewhere blocks the withdrawal of this one */
        for (size_t i = 0; i < s.w.count; i++) {
            const aave_position *p = &s.w.pos[i];
            if (i != s.w.at && aave_counts_as_collateral(market, p) &&
                aave_user_ltv(market, account->emode, p->reserve) == 0) {
                *out_amount = ZERO;
                return KEEL_OK;
            }
        }
    }
    bool ok;
    if (withdraw_pred(&s.w, bal, &ok) != KEEL_OK)
        return fail_overflow(__func__);
    if (ok) {
        *out_amount = bal;
        return KEEL_OK;
    }
    if (withdraw_pred(&s.w, ZERO, &ok) != KEEL_OK)
        return fail_overflow(__func__);
    if (!ok) {
        *out_amount = ZERO;
        return KEEL_OK;
    }
    keel_u256 x;
    if (last_true(&s.w, withdraw_pred, ZERO, bal, &x) != KEEL_OK)
        return fail_overflow(__func__);
    /* v3.4 scales a withdrawal half up: an amount that burns no scaled unit
     * reverts (InvalidBurnAmount), and so does every smaller one */
    keel_u256 burned;
    if (is_v34(market) && !u256_is_zero(x) &&
        (u256_wadray(KEEL_RAY_DIV, x, market->reserves[reserve].p.liquidity_index, &burned) !=
             KEEL_OK ||
         u256_is_zero(burned)))
        x = ZERO;
    *out_amount = x;
    return KEEL_OK;
}

/* ---- borrow ---- */

typedef struct borrow_search {
    search s;
    aave_data before; /* v3.4 validates on the state before the borrow */
} borrow_search;

static keel_status borrow_pred(work *w, keel_u256 x, bool *ok)
{
    borrow_search *b = (borrow_search *)w;
    const keel_aave_market *m = w->m;
    aave_position *p = &w->pos[w->at];
    const aave_reserve_state *rs = &m->reserves[p->reserve];
    *p = w->base;
    *ok = false;
    /* the isolation debt ceiling (IsolationModeLogic / v3.4 validateBorrow):
     * amount / 10^(decimals − 2) added to the isolated debt */
    if (b->before.isolated) {
        const keel_aave_reserve *iso = &m->reserves[b->before.isolation_collateral].p;
        if (rs->p.decimals < 2)
            return KEEL_OK; /* 10^(decimals − 2) underflows: the borrow panics on chain */
        keel_u256 units = u256_div(x, u256_pow10(rs->p.decimals - 2));
        keel_u256 next;
        if (u256_add(iso->isolation_mode_total_debt, units, &next) ||
            u256_lt(iso->debt_ceiling, next))
            return KEEL_OK;
    }
    keel_u256 minted;
    /* getVTokenMintScaledAmount (rayDivCeil) since v3.5, rayDiv in v3.4 */
    KEEL_TRY(u256_wadray(is_v34(m) ? KEEL_RAY_DIV : KEEL_RAY_DIV_CEIL, x,
                         rs->p.variable_borrow_index, &minted));
    if (u256_is_zero(minted))
        return KEEL_OK; /* InvalidAmount */
    if (u256_add(p->debt, minted, &p->debt))
        return KEEL_E_OVERFLOW;
    aave_data d;
    KEEL_TRY(work_eval(w, &d));
    if (u256_lt(d.hf, b->s.target))
        return KEEL_OK; /* the caller's floor (and v3.5+'s HF >= 1) */
    if (is_v34(m)) {
        /* collateral needed = (debt + ⌊price·amount / unit⌋).percentDiv(ltv) */
        keel_u256 amount_base, need;
        KEEL_TRY(u256_mul_div(x, rs->p.price, rs->unit, false, &amount_base));
        if (u256_add(b->before.debt, amount_base, &need))
            return KEEL_E_OVERFLOW;
        KEEL_TRY(u256_wadray(KEEL_PERCENT_DIV, need, b->before.ltv, &need));
        *ok = !u256_lt(b->before.collateral, need);
        return KEEL_OK;
    }
    /* validateHFAndLtv: ltv != 0, collateral >= debt.percentDivCeil(ltv) */
    if (u256_is_zero(d.ltv))
        return KEEL_OK;
    keel_u256 need;
    KEEL_TRY(u256_wadray(KEEL_PERCENT_DIV_CEIL, d.debt, d.ltv, &need));
    *ok = !u256_lt(d.collateral, need);
    return KEEL_OK;
}

/* The answer "nothing": 0 written, KEEL_OK. */
static keel_status zero_amount(keel_u256 *out)
{
    *out = ZERO;
    return KEEL_OK;
}

keel_status keel_aave_max_borrow(const keel_aave_market *market, const keel_aave_account *account,
                                 uint32_t reserve, keel_u256 floor_hf, keel_u256 *out_amount)
{
    KEEL_TRY(check_call(market, account, reserve, out_amount, __func__));
    borrow_search b;
    b.s.target = floor_or_one(floor_hf);
    work_init(&b.s.w, market, account, reserve);
    if (work_eval(&b.s.w, &b.before) != KEEL_OK)
        return fail_overflow(__func__);
    const keel_aave_reserve *r = &market->reserves[reserve].p;
    uint32_t e = account->emode;
    bool enabled = (r->flags & KEEL_AAVE_BORROWING_ENABLED) != 0;
    bool in_emode = e == 0 || aave_bit(market->emodes[e].borrowable_bitmap, reserve);
    /* v3.6: in e-mode the bitmap alone decides; before, both must hold */
    bool allowed = market->version >= KEEL_AAVE_V3_6 ? (e != 0 ? in_emode : enabled)
                                                     : (enabled && in_emode);
    if (!(r->flags & KEEL_AAVE_ACTIVE) || (r->flags & (KEEL_AAVE_PAUSED | KEEL_AAVE_FROZEN)) ||
        !allowed)
        return zero_amount(out_amount);
    if (b.before.isolated && !(r->flags & KEEL_AAVE_BORROWABLE_IN_ISOLATION))
        return zero_amount(out_amount);
    if (is_v34(market) &&
        (u256_is_zero(b.before.collateral) || u256_is_zero(b.before.ltv) ||
         !u256_lt(u256_small(AAVE_WAD), b.before.hf))) /* v3.4: HF before > 1, strictly */
        return zero_amount(out_amount);
    bool ok;
    keel_u256 one = u256_small(1);
    keel_u256 hi = {{UINT64_MAX, UINT64_MAX >> 1, 0, 0}};
    bool far;
    if (borrow_pred(&b.s.w, hi, &far) != KEEL_OK)
        return fail_overflow(__func__);
    if (far) {
        *out_amount = hi;
        return KEEL_OK;
    }
    /* the predicate is false at 0 (nothing minted) and stays false for
     * amounts too small to mint a scaled unit: start at the first mintable
     * amount (1 wei with rayDivCeil; with v3.4's rayDiv half up, the least x
     * with x·RAY >= index − ⌊index/2⌋) */
    keel_u256 first = one;
    if (is_v34(market)) {
        const keel_u256 index = r->variable_borrow_index;
        keel_u256 t;
        (void)u256_sub(index, u256_div(index, u256_small(2)), &t);
        first = u256_div(t, u256_pow10(27));
        keel_u256 back;
        (void)u256_mul(first, u256_pow10(27), &back);
        if (u256_lt(back, t))
            (void)u256_add(first, one, &first);
        if (u256_is_zero(first))
            first = one;
    }
    if (borrow_pred(&b.s.w, first, &ok) != KEEL_OK)
        return fail_overflow(__func__);
    if (!ok)
        return zero_amount(out_amount);
    keel_u256 x;
    if (last_true(&b.s.w, borrow_pred, first, hi, &x) != KEEL_OK)
        return fail_overflow(__func__);
    *out_amount = x;
    return KEEL_OK;
}

/* ---- liquidation price ---- */

typedef struct price_search {
    work w;
    uint32_t reserve;
} price_search;

static keel_status liquidatable_at(const work *w, uint32_t r, keel_u256 price, bool *liq)
{
    aave_view v = {w->pos, w->count, w->emode, r, price};
    aave_data d;
    KEEL_TRY(aave_eval(w->m, &v, &d));
    *liq = u256_lt(d.hf, u256_small(AAVE_WAD));
    return KEEL_OK;
}

static keel_status liq_pred(work *w, keel_u256 price, bool *ok)
{
    return liquidatable_at(w, ((price_search *)w)->reserve, price, ok);
}

keel_status keel_aave_liquidation_price(const keel_aave_market *market,
                                        const keel_aave_account *account, uint32_t reserve,
                                        keel_aave_price_boundary *out)
{
    KEEL_TRY(check_call(market, account, reserve, out, __func__));
    KEEL_TRY(keel_check_sized(out, __func__, "out", "keel_aave_price_boundary"));
    price_search ps;
    ps.reserve = reserve;
    work_init(&ps.w, market, account, reserve);
    keel_aave_price_boundary b;
    memset(&b, 0, sizeof b);
    b.size = sizeof b;
    const keel_u256 now = market->reserves[reserve].p.price;
    /* the top of the search: 2^96 − 1 base units (some 8·10^20 USD a token),
     * halved while the account's data overflow there (a huge balance of a
     * token with few decimals), never below the current price */
    keel_u256 top = {{UINT64_MAX, UINT32_MAX, 0, 0}};
    bool at_now, at_zero, at_top;
    if (liquidatable_at(&ps.w, reserve, now, &at_now) != KEEL_OK ||
        liquidatable_at(&ps.w, reserve, ZERO, &at_zero) != KEEL_OK)
        return fail_overflow(__func__);
    while (liquidatable_at(&ps.w, reserve, top, &at_top) != KEEL_OK) {
        top = u256_div(top, u256_small(2));
        if (!u256_lt(now, top))
            return fail_overflow(__func__);
    }
    b.liquidatable_now = at_now;
    keel_status s = KEEL_OK;
    /* The health factor as a function of one price p is (A + a·p) / (B + b·p)
     * before rounding — monotone in p, also for a reserve both supplied and
     * borrowed — so the verdict flips at most once: liquidatable at 0 and not
     * at the top is a fall, the reverse a rise, and the same verdict at both
     * ends no boundary (liquidatable_now tells which). */
    if (at_zero && !at_top) {
        b.direction = -1; /* the largest p with liquidatable(p) */
        s = last_true(&ps.w, liq_pred, ZERO, top, &b.price);
    } else if (!at_zero && at_top) {
        b.direction = 1; /* the smallest p with liquidatable(p) */
        s = first_true(&ps.w, liq_pred, ZERO, top, &b.price);
    } else {
        b.direction = 0; /* never, or always */
        b.price = ZERO;
    }
    if (s != KEEL_OK)
        return fail_overflow(__func__);
    keel_write_sized(out, &b, sizeof b);
    return KEEL_OK;
}
