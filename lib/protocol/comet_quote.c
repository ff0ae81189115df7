/* Compound v3 (Comet) calls as quotes: absorb, quoteCollateral and
 * buyCollateral, and what a keeper asks (repay or supply to a target, the
 * most that can be withdrawn or borrowed, the liquidation price). Source:
 * compound-finance/comet at d5a30b0aaeff7755f1431e87f818990902237b03,
 * contracts/Comet.sol; each function names the one it follows. */
#include <string.h>

#include "core/core_internal.h"
#include "protocol/comet_internal.h"

static const keel_u256 WAD = {{1000000000000000000ull, 0, 0, 0}};

static keel_status revert_fail(keel_comet_revert r, const char *fn)
{
    return keel_fail(KEEL_E_INFEASIBLE, "%s: the contract reverts: %s", fn,
                     keel_comet_revert_name(r));
}

/* ---- absorb ---- */

/* Comet.repayAndSupplyAmount for newPrincipal >= oldPrincipal. */
static void repay_and_supply(keel_comet_int old, keel_comet_int nw, keel_u256 *repay,
                             keel_u256 *supply)
{
    keel_u256 z = u256_small(0);
    *repay = z, *supply = z;
    if (comet_int_cmp(nw, old) < 0)
        return;
    bool old_neg = comet_is_neg(old), new_pos = !comet_is_neg(nw) && !u256_is_zero(nw.magnitude);
    if (!new_pos) { /* newPrincipal <= 0: all of it repays */
        u256_sub(old.magnitude, nw.magnitude, repay);
    } else if (!old_neg) {
        u256_sub(nw.magnitude, old.magnitude, supply);
    } else {
        *repay = old.magnitude;
        *supply = nw.magnitude;
    }
}

/* Comet.absorbInternal, after isLiquidatable. */
static keel_comet_revert absorb(const keel_comet_market *m, const keel_comet_account *a,
                                keel_comet_absorb *q)
{
    const keel_comet_base *b = &m->base;
    q->old_principal = a->principal;
    comet_present(m, a->principal, &q->old_balance);
    keel_u256 dv = u256_small(0);
    for (size_t i = 0; i < m->count; i++) {
        keel_u256 seize = a->balance[i], left, v, f;
        if (u256_is_zero(seize))
            continue;
        const comet_asset_state *s = &m->assets[i];
        if (u256_sub(s->p.total_supply_asset, seize, &left)) /* totalSupplyAsset -= seizeAmount */
            return KEEL_COMET_ARITHMETIC;
        if (comet_mul_price(seize, s->p.price, s->scale, &v) ||
            comet_mul_factor(v, s->p.liquidation_factor, &f) || u256_add(dv, f, &dv))
            return KEEL_COMET_ARITHMETIC;
        q->seized[i] = seize;
        q->seized_value[i] = v;
    }
    q->delta_value = dv;
    /* divPrice(deltaValue, basePrice, baseScale) */
    keel_u256 p;
    if (u256_mul(dv, m->base_scale, &p))
        return KEEL_COMET_ARITHMETIC;
    q->delta_balance = u256_div(p, b->price);
    if (!comet_below_bits(q->delta_balance, 255))
        return KEEL_COMET_INVALID_INT256;
    keel_comet_int nb;
    if (comet_int_add(q->old_balance, comet_int(q->delta_balance, false), &nb))
        return KEEL_COMET_ARITHMETIC;
    if (comet_is_neg(nb)) {
        q->deficit = nb.magnitude;
        nb = comet_int(u256_small(0), false);
    }
    q->new_balance = nb;
    keel_comet_revert e = comet_principal(m, nb, &q->new_principal);
    if (e != KEEL_COMET_OK)
        return e;
    repay_and_supply(q->old_principal, q->new_principal, &q->repay_amount, &q->supply_amount);
    if (u256_add(b->total_supply_base, q->supply_amount, &q->total_supply_base) ||
        !comet_below_bits(q->total_supply_base, 104) ||
        u256_sub(b->total_borrow_base, q->repay_amount, &q->total_borrow_base))
        return KEEL_COMET_ARITHMETIC;
    /* basePaidOut = unsigned256(newBalance − oldBalance) */
    keel_comet_int paid;
    comet_int_add(nb, comet_int(q->old_balance.magnitude, !comet_is_neg(q->old_balance)), &paid);
    q->base_paid_out = paid.magnitude;
    if (comet_mul_price(paid.magnitude, b->price, m->base_scale, &q->value_of_base_paid_out))
        return KEEL_COMET_ARITHMETIC;
    q->reserves_before = comet_reserves(m, b->total_supply_base, b->total_borrow_base);
    q->reserves_after = comet_reserves(m, q->total_supply_base, q->total_borrow_base);
    return KEEL_COMET_OK;
}

keel_status keel_comet_absorb_quote(const keel_comet_market *market,
                                    const keel_comet_account *account, keel_comet_absorb *out,
                                    keel_comet_account *after)
{
    static const char fn[] = "keel_comet_absorb_quote";
    KEEL_TRY(comet_check(market, account, fn));
    KEEL_TRY(keel_check_sized(out, fn, "out", "keel_comet_absorb"));
    if (after != NULL)
        KEEL_TRY(keel_check_handle(after, KEEL_TAG_COMET_ACCOUNT, fn, "after"));
    keel_comet_absorb q;
    memset(&q, 0, sizeof q);
    q.size = sizeof q;
    keel_comet_revert e = KEEL_COMET_OK;
    comet_liq l;
    if (market->base.pause_flags & KEEL_COMET_PAUSE_ABSORB) {
        e = KEEL_COMET_PAUSED;
    } else {
        if (comet_eval(market, account->principal, account->balance, COMET_NO_PX, &l) != KEEL_OK)
            return keel_fail(KEEL_E_OVERFLOW, "%s: a value passes 256 bits", fn);
        keel_comet_int liq;
        comet_int_add(l.base_value, comet_int(l.lcv, false), &liq);
        if (!comet_is_neg(account->principal) || !comet_is_neg(liq))
            e = KEEL_COMET_NOT_LIQUIDATABLE;
        else
            e = absorb(market, account, &q);
    }
    if (e != KEEL_COMET_OK) {
        memset(&q, 0, sizeof q);
        q.size = sizeof q;
        q.revert = e;
        keel_write_sized(out, &q, sizeof q);
        return revert_fail(e, fn);
    }
    keel_write_sized(out, &q, sizeof q);
    if (after != NULL) {
        after->principal = q.new_principal;
        memset(after->balance, 0, sizeof after->balance);
    }
    return KEEL_OK;
}

/* ---- buyCollateral ---- */

/* Comet.quoteCollateral. */
static keel_comet_revert quote_collateral(const keel_comet_market *m, uint32_t asset,
                                          keel_u256 base_amount, keel_u256 *out)
{
    const comet_asset_state *s = &m->assets[asset];
    keel_u256 one_minus, discount, apd, x;
    u256_sub(WAD, u256_small(s->p.liquidation_factor), &one_minus);
    /* storeFrontPriceFactor · (FACTOR_SCALE − liquidationFactor), then the price */
    if (comet_mul_factor(one_minus, m->base.store_front_price_factor, &discount))
        return KEEL_COMET_ARITHMETIC;
    u256_sub(WAD, discount, &one_minus); /* discount <= 1e18 */
    if (comet_mul_factor(s->p.price, one_minus.w[0], &apd))
        return KEEL_COMET_ARITHMETIC;
    if (u256_mul(m->base.price, base_amount, &x) || u256_mul(x, s->scale, &x))
        return KEEL_COMET_ARITHMETIC;
    if (u256_is_zero(apd))
        return KEEL_COMET_DIVISION_BY_ZERO;
    *out = u256_div(u256_div(x, apd), m->base_scale);
    return KEEL_COMET_OK;
}

keel_status keel_comet_quote_collateral(const keel_comet_market *market, uint32_t asset,
                                        keel_u256 base_amount, keel_u256 *out)
{
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_COMET_MARKET, __func__, "market"));
    KEEL_TRY(keel_check_ptr(out, __func__, "out"));
    KEEL_TRY(comet_check_asset(market, asset, __func__));
    keel_u256 r;
    keel_comet_revert e = quote_collateral(market, asset, base_amount, &r);
    if (e != KEEL_COMET_OK)
        return revert_fail(e, __func__);
    *out = r;
    return KEEL_OK;
}

/* Comet.buyCollateral, in its order (the base transfer taken as exact). */
static keel_comet_revert buy(const keel_comet_market *m, uint32_t asset, keel_u256 min_amount,
                             keel_u256 base_amount, keel_comet_buy *q)
{
    if (m->base.pause_flags & KEEL_COMET_PAUSE_BUY)
        return KEEL_COMET_PAUSED;
    q->reserves = comet_reserves(m, m->base.total_supply_base, m->base.total_borrow_base);
    if (!comet_is_neg(q->reserves) && u256_cmp(q->reserves.magnitude, m->base.target_reserves) >= 0)
        return KEEL_COMET_NOT_FOR_SALE;
    keel_comet_revert e = quote_collateral(m, asset, base_amount, &q->collateral_amount);
    if (e != KEEL_COMET_OK)
        return e;
    if (u256_lt(q->collateral_amount, min_amount))
        return KEEL_COMET_TOO_MUCH_SLIPPAGE;
    const keel_comet_asset *s = &m->assets[asset].p;
    if (u256_sub(s->balance, s->total_supply_asset, &q->collateral_reserves))
        return KEEL_COMET_ARITHMETIC; /* getCollateralReserves underflows */
    if (u256_lt(q->collateral_reserves, q->collateral_amount))
        return KEEL_COMET_INSUFFICIENT_RESERVES;
    if (!comet_below_bits(q->collateral_amount, 128))
        return KEEL_COMET_INVALID_UINT128;
    return KEEL_COMET_OK;
}

keel_status keel_comet_buy_collateral_quote(const keel_comet_market *market, uint32_t asset,
                                            keel_u256 min_amount, keel_u256 base_amount,
                                            keel_comet_buy *out)
{
    static const char fn[] = "keel_comet_buy_collateral_quote";
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_COMET_MARKET, fn, "market"));
    KEEL_TRY(keel_check_sized(out, fn, "out", "keel_comet_buy"));
    KEEL_TRY(comet_check_asset(market, asset, fn));
    keel_comet_buy q;
    memset(&q, 0, sizeof q);
    q.size = sizeof q;
    keel_comet_revert e = buy(market, asset, min_amount, base_amount, &q);
    if (e != KEEL_COMET_OK) {
        memset(&q, 0, sizeof q);
        q.size = sizeof q;
        q.revert = e;
        keel_write_sized(out, &q, sizeof q);
        return revert_fail(e, fn);
    }
    keel_write_sized(out, &q, sizeof q);
    return KEEL_OK;
}

/* ---- keeper ---- */

typedef struct target {
    keel_comet_line line;
    keel_u256 target; /* wad */
} target;

/* Whether (principal, balances) meet the target: no debt, or
 * C · 1e18 >= target · D with the contract's C and D. */
static keel_status meets(const keel_comet_market *m, keel_comet_int principal, const keel_u256 *bal,
                         target t, bool *ok)
{
    if (!comet_is_neg(principal)) {
        *ok = true;
        return KEEL_OK;
    }
    comet_liq l;
    KEEL_TRY(comet_eval(m, principal, bal, COMET_NO_PX, &l));
    if (t.line == KEEL_COMET_BORROW_LINE && l.borrow_reverts)
        return KEEL_E_OVERFLOW;
    keel_u256 lhs, rhs;
    keel_u256 c = t.line == KEEL_COMET_BORROW_LINE ? l.bcv : l.lcv;
    if (u256_mul(c, WAD, &lhs) || u256_mul(t.target, l.base_value.magnitude, &rhs))
        return KEEL_E_OVERFLOW;
    *ok = u256_cmp(lhs, rhs) >= 0;
    return KEEL_OK;
}

static keel_status check_target(keel_comet_line line, keel_u256 v, bool allow_zero,
                                const char *fn, const char *name)
{
    if (line != KEEL_COMET_BORROW_LINE && line != KEEL_COMET_LIQUIDATE_LINE)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: line %d is not a keel_comet_line", fn,
                         (int)line);
    if ((!allow_zero && u256_is_zero(v)) || !comet_below_bits(v, 128))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s is not in %s .. 2^128 - 1 (a wad)", fn, name,
                         allow_zero ? "0" : "1");
    return KEEL_OK;
}

/* A monotone predicate over amounts: the least amount in (lo, hi] where it
 * holds, given !pred(lo) and pred(hi) (`up`), or the largest in [lo, hi)
 * where it holds, given pred(lo) and !pred(hi) (!up). */
typedef keel_status (*pred_fn)(const void *ctx, keel_u256 amount, bool *ok);

static keel_status bisect(pred_fn pred, const void *ctx, keel_u256 lo, keel_u256 hi, bool up,
                          keel_u256 *out)
{
    keel_u256 one = u256_small(1), d;
    for (;;) {
        u256_sub(hi, lo, &d);
        if (u256_cmp(d, one) <= 0)
            break;
        keel_u256 half = u256_div(d, u256_small(2)), mid;
        u256_add(lo, half, &mid);
        bool ok;
        KEEL_TRY(pred(ctx, mid, &ok));
        if (ok == up)
            hi = mid;
        else
            lo = mid;
    }
    *out = up ? hi : lo;
    return KEEL_OK;
}

typedef struct kctx {
    const keel_comet_market *m;
    const keel_comet_account *a;
    uint32_t asset;
    target t;
    keel_comet_int present; /* presentValue(principal) */
} kctx;

/* Comet.supplyBase: principalValue(presentValue + amount). */
static keel_status after_repay(const void *c, keel_u256 amount, bool *ok)
{
    const kctx *k = c;
    keel_comet_int bal, p;
    if (comet_int_add(k->present, comet_int(amount, false), &bal) ||
        comet_principal(k->m, bal, &p) != KEEL_COMET_OK)
        return KEEL_E_OVERFLOW;
    return meets(k->m, p, k->a->balance, k->t, ok);
}

/* Comet.supplyCollateral: the balance + amount. */
static keel_status after_supply(const void *c, keel_u256 amount, bool *ok)
{
    const kctx *k = c;
    keel_u256 bal[KEEL_COMET_MAX_ASSETS];
    memcpy(bal, k->a->balance, sizeof bal);
    u256_add(bal[k->asset], amount, &bal[k->asset]); /* amount within uint128 room */
    return meets(k->m, k->a->principal, bal, k->t, ok);
}

/* Comet.withdrawCollateral: the balance − amount, then isBorrowCollateralized. */
static keel_status after_withdraw(const void *c, keel_u256 amount, bool *ok)
{
    const kctx *k = c;
    keel_u256 bal[KEEL_COMET_MAX_ASSETS];
    memcpy(bal, k->a->balance, sizeof bal);
    u256_sub(bal[k->asset], amount, &bal[k->asset]);
    return meets(k->m, k->a->principal, bal, k->t, ok);
}

/* Comet.withdrawBase: principalValue(presentValue − amount), then (for a
 * negative balance) isBorrowCollateralized; baseBorrowMin is left to the caller. */
static keel_status after_borrow(const void *c, keel_u256 amount, bool *ok)
{
    const kctx *k = c;
    keel_comet_int bal, p;
    if (comet_int_add(k->present, comet_int(amount, true), &bal))
        return KEEL_E_OVERFLOW;
    if (!comet_is_neg(bal)) {
        *ok = true;
        return KEEL_OK;
    }
    if (comet_principal(k->m, bal, &p) != KEEL_COMET_OK) { /* InvalidUInt104 / InvalidInt104 */
        *ok = false;
        return KEEL_OK;
    }
    return meets(k->m, p, k->a->balance, k->t, ok);
}

static keel_status keeper_fail(keel_status s, const char *fn)
{
    if (s == KEEL_E_OVERFLOW)
        return keel_fail(s, "%s: a value passes 256 bits (the contract reverts)", fn);
    return s;
}

/* The least amount in [0, hi] meeting pred (pred(hi) known to hold). */
static keel_status least(pred_fn pred, const kctx *k, keel_u256 hi, keel_u256 *out)
{
    bool ok;
    KEEL_TRY(pred(k, u256_small(0), &ok));
    if (ok) {
        *out = u256_small(0);
        return KEEL_OK;
    }
    return bisect(pred, k, u256_small(0), hi, true, out);
}

/* The largest amount in [0, hi] meeting pred; 0 when not even 0 does. */
static keel_status largest(pred_fn pred, const kctx *k, keel_u256 hi, keel_u256 *out)
{
    bool ok;
    KEEL_TRY(pred(k, u256_small(0), &ok));
    if (!ok) {
        *out = u256_small(0);
        return KEEL_OK;
    }
    KEEL_TRY(pred(k, hi, &ok));
    if (ok) {
        *out = hi;
        return KEEL_OK;
    }
    return bisect(pred, k, u256_small(0), hi, false, out);
}

keel_status keel_comet_repay_to_target(const keel_comet_market *market,
                                       const keel_comet_account *account, keel_comet_line line,
                                       keel_u256 target_, keel_u256 *out_amount)
{
    static const char fn[] = "keel_comet_repay_to_target";
    KEEL_TRY(comet_check(market, account, fn));
    KEEL_TRY(keel_check_ptr(out_amount, fn, "out_amount"));
    KEEL_TRY(check_target(line, target_, false, fn, "target"));
    if (market->base.pause_flags & KEEL_COMET_PAUSE_SUPPLY)
        return revert_fail(KEEL_COMET_PAUSED, fn);
    kctx k = {market, account, 0, {line, target_}, {{{0, 0, 0, 0}}, 0, 0}};
    comet_present(market, account->principal, &k.present);
    keel_u256 debt = comet_is_neg(k.present) ? k.present.magnitude : u256_small(0);
    keel_u256 r;
    keel_status s = least(after_repay, &k, debt, &r);
    if (s != KEEL_OK)
        return keeper_fail(s, fn);
    *out_amount = r;
    return KEEL_OK;
}

keel_status keel_comet_supply_to_target(const keel_comet_market *market,
                                        const keel_comet_account *account, uint32_t asset,
                                        keel_comet_line line, keel_u256 target_,
                                        keel_u256 *out_amount)
{
    static const char fn[] = "keel_comet_supply_to_target";
    KEEL_TRY(comet_check(market, account, fn));
    KEEL_TRY(keel_check_ptr(out_amount, fn, "out_amount"));
    KEEL_TRY(comet_check_asset(market, asset, fn));
    KEEL_TRY(check_target(line, target_, false, fn, "target"));
    if (market->base.pause_flags & KEEL_COMET_PAUSE_SUPPLY)
        return revert_fail(KEEL_COMET_PAUSED, fn);
    kctx k = {market, account, asset, {line, target_}, {{{0, 0, 0, 0}}, 0, 0}};
    bool ok;
    keel_status s = after_supply(&k, u256_small(0), &ok);
    if (s != KEEL_OK)
        return keeper_fail(s, fn);
    if (ok) {
        *out_amount = u256_small(0);
        return KEEL_OK;
    }
    /* the most supplyCollateral accepts: totalSupplyAsset + amount <= supplyCap
     * (SupplyCapExceeded) and the balance within uint128 */
    const keel_comet_asset *p = &market->assets[asset].p;
    keel_u256 room_cap, room_bal, max128 = {{UINT64_MAX, UINT64_MAX, 0, 0}};
    if (u256_sub(p->supply_cap, p->total_supply_asset, &room_cap))
        room_cap = u256_small(0);
    u256_sub(max128, account->balance[asset], &room_bal);
    bool cap_binds = u256_cmp(room_cap, room_bal) <= 0;
    keel_u256 hi = cap_binds ? room_cap : room_bal;
    s = after_supply(&k, hi, &ok);
    if (s != KEEL_OK)
        return keeper_fail(s, fn);
    if (!ok)
        return keel_fail(KEEL_E_INFEASIBLE,
                         "%s: no amount reaches the target within %s", fn,
                         cap_binds ? "the supply cap (SupplyCapExceeded)" : "uint128");
    keel_u256 r;
    s = bisect(after_supply, &k, u256_small(0), hi, true, &r);
    if (s != KEEL_OK)
        return keeper_fail(s, fn);
    *out_amount = r;
    return KEEL_OK;
}

static keel_u256 floor_target(keel_u256 floor)
{
    return u256_cmp(floor, WAD) > 0 ? floor : WAD;
}

keel_status keel_comet_max_withdraw(const keel_comet_market *market,
                                    const keel_comet_account *account, uint32_t asset,
                                    keel_u256 floor, keel_u256 *out_amount)
{
    static const char fn[] = "keel_comet_max_withdraw";
    KEEL_TRY(comet_check(market, account, fn));
    KEEL_TRY(keel_check_ptr(out_amount, fn, "out_amount"));
    KEEL_TRY(comet_check_asset(market, asset, fn));
    KEEL_TRY(check_target(KEEL_COMET_BORROW_LINE, floor, true, fn, "floor"));
    keel_u256 zero = u256_small(0);
    if (market->base.pause_flags & KEEL_COMET_PAUSE_WITHDRAW) {
        *out_amount = zero;
        return KEEL_OK;
    }
    kctx k = {market, account, asset, {KEEL_COMET_BORROW_LINE, floor_target(floor)},
              {{{0, 0, 0, 0}}, 0, 0}};
    /* totalSupplyAsset -= amount must not underflow either */
    keel_u256 hi = account->balance[asset];
    if (u256_lt(market->assets[asset].p.total_supply_asset, hi))
        hi = market->assets[asset].p.total_supply_asset;
    keel_u256 r;
    keel_status s = largest(after_withdraw, &k, hi, &r);
    if (s != KEEL_OK)
        return keeper_fail(s, fn);
    *out_amount = r;
    return KEEL_OK;
}

keel_status keel_comet_max_borrow(const keel_comet_market *market,
                                  const keel_comet_account *account, keel_u256 floor,
                                  keel_u256 *out_amount)
{
    static const char fn[] = "keel_comet_max_borrow";
    KEEL_TRY(comet_check(market, account, fn));
    KEEL_TRY(keel_check_ptr(out_amount, fn, "out_amount"));
    KEEL_TRY(check_target(KEEL_COMET_BORROW_LINE, floor, true, fn, "floor"));
    keel_u256 zero = u256_small(0);
    if (market->base.pause_flags & KEEL_COMET_PAUSE_WITHDRAW) {
        *out_amount = zero;
        return KEEL_OK;
    }
    kctx k = {market, account, 0, {KEEL_COMET_BORROW_LINE, floor_target(floor)},
              {{{0, 0, 0, 0}}, 0, 0}};
    comet_present(market, account->principal, &k.present);
    /* the transfer out needs the pool's balance; past 2^120 every principal
     * is past int104 */
    keel_u256 hi = market->base.base_balance, top = {{0, 1ull << 56, 0, 0}};
    if (u256_lt(top, hi))
        hi = top;
    keel_u256 supply = comet_is_neg(k.present) ? zero : k.present.magnitude;
    if (u256_lt(hi, supply))
        supply = hi;
    keel_u256 a; /* 0 also when not even 0 passes (a debt already not collateralized) */
    keel_status s = largest(after_borrow, &k, hi, &a);
    if (s != KEEL_OK)
        return keeper_fail(s, fn);
    /* the debt after a: a − presentValue when positive; BorrowTooSmall below baseBorrowMin */
    keel_comet_int after;
    comet_int_add(k.present, comet_int(a, true), &after);
    if (!comet_is_neg(after) || u256_cmp(after.magnitude, market->base.base_borrow_min) >= 0)
        *out_amount = a;
    else
        *out_amount = supply;
    return KEEL_OK;
}

/* ---- liquidation price ---- */

typedef struct pctx {
    const keel_comet_market *m;
    const keel_comet_account *a;
    uint32_t asset;
} pctx;

/* isLiquidatable with the asset's price replaced. */
static keel_status liquidatable_at(const void *c, keel_u256 price, bool *liq)
{
    const pctx *k = c;
    comet_px px = {k->asset, price};
    comet_liq l;
    KEEL_TRY(comet_eval(k->m, k->a->principal, k->a->balance, px, &l));
    keel_comet_int s;
    comet_int_add(l.base_value, comet_int(l.lcv, false), &s);
    *liq = comet_is_neg(k->a->principal) && comet_is_neg(s);
    return KEEL_OK;
}

keel_status keel_comet_liquidation_price(const keel_comet_market *market,
                                         const keel_comet_account *account, uint32_t asset,
                                         keel_comet_price_boundary *out)
{
    static const char fn[] = "keel_comet_liquidation_price";
    KEEL_TRY(comet_check(market, account, fn));
    KEEL_TRY(keel_check_sized(out, fn, "out", "keel_comet_price_boundary"));
    KEEL_TRY(comet_check_asset(market, asset, fn));
    pctx k = {market, account, asset};
    keel_comet_price_boundary b;
    memset(&b, 0, sizeof b);
    b.size = sizeof b;
    bool now, lo, hi;
    keel_u256 top = {{UINT64_MAX, (1ull << 32) - 1, 0, 0}}; /* 2^96 − 1 */
    keel_status s = liquidatable_at(&k, market->assets[asset].p.price, &now);
    if (s == KEEL_OK)
        s = liquidatable_at(&k, u256_small(1), &lo);
    if (s == KEEL_OK)
        s = liquidatable_at(&k, top, &hi);
    if (s == KEEL_OK && lo && !hi) {
        b.direction = -1;
        s = bisect(liquidatable_at, &k, u256_small(1), top, false, &b.price);
    }
    if (s != KEEL_OK)
        return keeper_fail(s, fn);
    b.liquidatable_now = now;
    keel_write_sized(out, &b, sizeof b);
    return KEEL_OK;
}
