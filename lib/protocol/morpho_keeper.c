/* Morpho Blue calls as quotes and the keeper's questions: liquidate (both
 * ways, with bad debt), the best liquidation, the repay or collateral that
 * reaches a target health, the most collateral to withdraw, the most to
 * borrow, the liquidation price. Every formula follows
 * morpho-org/morpho-blue at tag v1.0.0 (commit 55d2d99304fb), src/Morpho.sol,
 * written here in keel's own C. */
#include <stdio.h>
#include <string.h>

#include "core/core_internal.h"
#include "protocol/morpho_internal.h"

static const keel_u256 ORACLE_PRICE_SCALE = {{0xb34b9f1000000000ull, 0xc097ce7bc90715ull, 0, 0}}; /* 1e36 */

static keel_u256 add1(keel_u256 a)
{
    u256_add(a, u256_small(1), &a);
    return a;
}

static keel_u256 sub1(keel_u256 a)
{
    u256_sub(a, u256_small(1), &a);
    return a;
}

static keel_u256 min_u(keel_u256 a, keel_u256 b) { return u256_lt(b, a) ? b : a; }

/* lo + (hi − lo) / 2 for lo <= hi */
static keel_u256 midpoint(keel_u256 lo, keel_u256 hi)
{
    keel_u256 d;
    u256_sub(hi, lo, &d);
    for (int i = 0; i < 4; i++)
        d.w[i] = (d.w[i] >> 1) | (i < 3 ? d.w[i + 1] << 63 : 0);
    u256_add(lo, d, &d);
    return d;
}

/* ---- liquidate ---- */

/* Morpho.liquidate (v1.0.0), from the exactlyOneZero check on; interest is
 * taken as accrued. Fills the full-size q; KEEL_E_INFEASIBLE with q->revert. */
keel_status morpho_liquidate(const keel_morpho_market *m, const keel_morpho_position *p,
                             keel_u256 seized, keel_u256 repaid_shares, keel_morpho_liquidation *q,
                             keel_morpho_position *after)
{
    keel_morpho_liquidation z = KEEL_MORPHO_LIQUIDATION_INIT;
    const keel_morpho_state *s = &m->s;
    z.total_supply_assets_after = s->total_supply_assets;
    z.total_supply_shares_after = s->total_supply_shares;
    z.total_borrow_assets_after = s->total_borrow_assets;
    z.total_borrow_shares_after = s->total_borrow_shares;
    *q = z;
    keel_morpho_revert r = KEEL_MORPHO_OK;
#define FAIL(code)                                                                               \
    do {                                                                                         \
        keel_morpho_revert code_ = (code);                                                       \
        *q = z;                                                                                  \
        q->revert = code_;                                                                       \
        return KEEL_E_INFEASIBLE;                                                                \
    } while (0)
#define STEP(expr)                                                                               \
    do {                                                                                         \
        if ((r = (expr)) != KEEL_MORPHO_OK)                                                      \
            FAIL(r);                                                                             \
    } while (0)
    /* require(UtilsLib.exactlyOneZero(seizedAssets, repaidShares), INCONSISTENT_INPUT) */
    if (u256_is_zero(seized) == u256_is_zero(repaid_shares))
        FAIL(KEEL_MORPHO_INCONSISTENT_INPUT);
    keel_u256 tba = s->total_borrow_assets, tbs = s->total_borrow_shares;
    keel_u256 tsa = s->total_supply_assets;
    keel_u256 price = m->p.price, wad = morpho_wad();
    /* require(!_isHealthy(marketParams, id, borrower, collateralPrice), HEALTHY_POSITION) */
    morpho_borrow_view v = {p->collateral, p->borrow_shares, tba, tbs};
    keel_u256 borrowed, max_borrow;
    STEP(morpho_health(price, m->p.lltv, &v, &borrowed, NULL, &max_borrow, NULL));
    if (!u256_lt(max_borrow, borrowed))
        FAIL(KEEL_MORPHO_HEALTHY_POSITION);
    keel_u256 lif = morpho_incentive(m->p.lltv);
    if (!u256_is_zero(seized)) {
        /* seizedAssets.mulDivUp(price, ORACLE_PRICE_SCALE).wDivUp(lif).toSharesUp(totals) */
        keel_u256 quoted, t;
        STEP(morpho_mul_div_up(seized, price, ORACLE_PRICE_SCALE, &quoted));
        STEP(morpho_mul_div_up(quoted, wad, lif, &t));
        STEP(morpho_convert(KEEL_MORPHO_TO_SHARES_UP, t, tba, tbs, &repaid_shares));
    } else {
        /* repaidShares.toAssetsDown(totals).wMulDown(lif).mulDivDown(ORACLE_PRICE_SCALE, price) */
        keel_u256 a, t;
        STEP(morpho_convert(KEEL_MORPHO_TO_ASSETS_DOWN, repaid_shares, tba, tbs, &a));
        STEP(morpho_mul_div_down(a, lif, wad, &t));
        STEP(morpho_mul_div_down(t, ORACLE_PRICE_SCALE, price, &seized));
    }
    /* repaidAssets = repaidShares.toAssetsUp(totals) */
    keel_u256 repaid_assets;
    STEP(morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, repaid_shares, tba, tbs, &repaid_assets));
    /* position.borrowShares -= repaidShares.toUint128(); totalBorrowShares likewise */
    keel_u256 b = p->borrow_shares, c = p->collateral;
    if (!morpho_fits_u128(repaid_shares))
        FAIL(KEEL_MORPHO_MAX_UINT128_EXCEEDED);
    if (u256_sub(b, repaid_shares, &b) || u256_sub(tbs, repaid_shares, &tbs))
        FAIL(KEEL_MORPHO_ARITHMETIC);
    /* totalBorrowAssets = zeroFloorSub(totalBorrowAssets, repaidAssets).toUint128() */
    if (u256_sub(tba, repaid_assets, &tba))
        tba = u256_small(0);
    /* position.collateral -= seizedAssets.toUint128() */
    if (!morpho_fits_u128(seized))
        FAIL(KEEL_MORPHO_MAX_UINT128_EXCEEDED);
    if (u256_sub(c, seized, &c))
        FAIL(KEEL_MORPHO_ARITHMETIC);
    keel_u256 bad_shares = u256_small(0), bad_assets = u256_small(0);
    if (u256_is_zero(c)) {
        /* badDebtShares = borrowShares; badDebtAssets = min(totalBorrowAssets,
         * badDebtShares.toAssetsUp(totals after the repayment)) */
        bad_shares = b;
        STEP(morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, bad_shares, tba, tbs, &bad_assets));
        bad_assets = min_u(tba, bad_assets);
        if (u256_sub(tba, bad_assets, &tba) || u256_sub(tsa, bad_assets, &tsa) ||
            u256_sub(tbs, bad_shares, &tbs))
            FAIL(KEEL_MORPHO_ARITHMETIC);
        b = u256_small(0);
    }
#undef STEP
#undef FAIL
    q->incentive_factor = lif;
    q->seized_assets = seized;
    q->repaid_shares = repaid_shares;
    q->repaid_assets = repaid_assets;
    q->bad_debt_shares = bad_shares;
    q->bad_debt_assets = bad_assets;
    /* seized <= the collateral, whose product with the price fitted above */
    morpho_mul_div_down(seized, price, ORACLE_PRICE_SCALE, &q->seized_value);
    q->profit = u256_to_double(q->seized_value) - u256_to_double(repaid_assets);
    q->total_supply_assets_after = tsa;
    q->total_borrow_assets_after = tba;
    q->total_borrow_shares_after = tbs;
    if (after != NULL) {
        after->supply_shares = p->supply_shares;
        after->borrow_shares = b;
        after->collateral = c;
    }
    return KEEL_OK;
}

static keel_status liquidation_text(keel_status st, const keel_morpho_liquidation *q, const char *fn)
{
    if (st == KEEL_E_INFEASIBLE)
        return keel_fail(st, "%s: Morpho.liquidate reverts: %s", fn,
                         keel_morpho_revert_name(q->revert));
    return st;
}

keel_status keel_morpho_liquidation_quote(const keel_morpho_market *market,
                                          const keel_morpho_position *position,
                                          keel_u256 seized_assets, keel_u256 repaid_shares,
                                          keel_morpho_liquidation *out, keel_morpho_position *after)
{
    static const char fn[] = "keel_morpho_liquidation_quote";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_sized(out, fn, "out", "keel_morpho_liquidation"));
    keel_morpho_liquidation q;
    keel_status st = morpho_liquidate(market, position, seized_assets, repaid_shares, &q, after);
    keel_write_sized(out, &q, sizeof q);
    return liquidation_text(st, &q, fn);
}

/* Is b a better liquidation than a (more seized; on a tie, less repaid)? */
static bool better(const keel_morpho_liquidation *a, const keel_morpho_liquidation *b)
{
    int c = u256_cmp(b->seized_assets, a->seized_assets);
    return c > 0 || (c == 0 && u256_lt(b->repaid_assets, a->repaid_assets));
}

keel_status keel_morpho_best_liquidation(const keel_morpho_market *market,
                                         const keel_morpho_position *position,
                                         keel_morpho_liquidation *out, keel_morpho_position *after)
{
    static const char fn[] = "keel_morpho_best_liquidation";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_sized(out, fn, "out", "keel_morpho_liquidation"));
    keel_u256 zero = u256_small(0);
    keel_morpho_liquidation by_shares, by_seized, best;
    keel_morpho_position p_shares, p_seized;
    /* repaying every borrow share */
    keel_status st_shares = morpho_liquidate(market, position, zero, position->borrow_shares,
                                             &by_shares, &p_shares);
    /* the most collateral whose repaid shares the position holds: the
     * predicate "liquidate(s, 0) succeeds" holds from 1 up to a threshold
     * (repaidShares is non-decreasing in s), except perhaps at s = collateral
     * alone (a bad-debt underflow) */
    keel_status st_seized = KEEL_E_INFEASIBLE;
    keel_u256 c = position->collateral;
    if (!u256_is_zero(c)) {
        st_seized = morpho_liquidate(market, position, c, zero, &by_seized, &p_seized);
        if (st_seized != KEEL_OK && u256_lt(u256_small(1), c) &&
            by_seized.revert != KEEL_MORPHO_HEALTHY_POSITION) {
            keel_morpho_liquidation t;
            keel_u256 lo = u256_small(1), hi = sub1(c);
            if (morpho_liquidate(market, position, lo, zero, &t, NULL) == KEEL_OK) {
                if (morpho_liquidate(market, position, hi, zero, &t, NULL) == KEEL_OK) {
                    lo = hi;
                } else {
                    while (u256_lt(add1(lo), hi)) { /* pred(lo) true, pred(hi) false */
                        keel_u256 mid = midpoint(lo, hi);
                        if (morpho_liquidate(market, position, mid, zero, &t, NULL) == KEEL_OK)
                            lo = mid;
                        else
                            hi = mid;
                    }
                }
                st_seized = morpho_liquidate(market, position, lo, zero, &by_seized, &p_seized);
            }
        }
    }
    keel_morpho_position p_best;
    keel_status st;
    if (st_seized == KEEL_OK && (st_shares != KEEL_OK || better(&by_shares, &by_seized))) {
        best = by_seized, p_best = p_seized, st = KEEL_OK;
    } else if (st_shares == KEEL_OK) {
        best = by_shares, p_best = p_shares, st = KEEL_OK;
    } else {
        best = by_shares, st = KEEL_E_INFEASIBLE;
    }
    if (st == KEEL_OK && after != NULL)
        *after = p_best;
    keel_write_sized(out, &best, sizeof best);
    return liquidation_text(st, &best, fn);
}

/* ---- the keeper's searches ---- */

typedef struct keeper_ctx {
    const keel_morpho_market *m;
    const keel_morpho_position *p;
    keel_u256 target; /* health factor to meet (wad) */
} keeper_ctx;

typedef bool (*keeper_pred)(const keeper_ctx *k, keel_u256 x);

/* The health factor of v meets t (and, for t >= 1 wad, the position is healthy). */
static bool meets(const keeper_ctx *k, const morpho_borrow_view *v)
{
    keel_u256 hf;
    if (morpho_health(k->m->p.price, k->m->p.lltv, v, NULL, NULL, NULL, &hf) != KEEL_MORPHO_OK)
        return false;
    return !u256_lt(hf, k->target);
}

/* The least x in [lo, hi] with pred(x); pred(hi) must hold. Bisection keeps
 * pred(lo − 1) false and pred(hi) true, so the answer's x − 1 was seen false. */
static keel_u256 least(const keeper_ctx *k, keeper_pred pred, keel_u256 lo, keel_u256 hi)
{
    if (pred(k, lo))
        return lo;
    while (u256_lt(add1(lo), hi)) {
        keel_u256 mid = midpoint(lo, hi);
        if (pred(k, mid))
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

/* The greatest x in [lo, hi] with pred(x); pred(lo) must hold. */
static keel_u256 greatest(const keeper_ctx *k, keeper_pred pred, keel_u256 lo, keel_u256 hi)
{
    if (pred(k, hi))
        return hi;
    while (u256_lt(add1(lo), hi)) {
        keel_u256 mid = midpoint(lo, hi);
        if (pred(k, mid))
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The position's borrow side at the market's current totals. */
static morpho_borrow_view view_of(const keeper_ctx *k)
{
    const keel_morpho_state *s = &k->m->s;
    morpho_borrow_view v = {k->p->collateral, k->p->borrow_shares, s->total_borrow_assets,
                            s->total_borrow_shares};
    return v;
}

/* Morpho.repay (v1.0.0): by shares, assets = toAssetsUp(shares); by assets,
 * shares = toSharesDown(assets). The position and totalBorrowShares lose the
 * shares (an underflow reverts), totalBorrowAssets zeroFloorSub(assets). */
static bool repay_meets(const keeper_ctx *k, keel_u256 amount, bool by_shares)
{
    morpho_borrow_view v = view_of(k);
    keel_u256 other, shares, assets;
    if (morpho_convert(by_shares ? KEEL_MORPHO_TO_ASSETS_UP : KEEL_MORPHO_TO_SHARES_DOWN, amount,
                       v.total_borrow_assets, v.total_borrow_shares, &other) != KEEL_MORPHO_OK)
        return false;
    shares = by_shares ? amount : other;
    assets = by_shares ? other : amount;
    if (u256_sub(v.borrow_shares, shares, &v.borrow_shares) ||
        u256_sub(v.total_borrow_shares, shares, &v.total_borrow_shares))
        return false;
    if (u256_sub(v.total_borrow_assets, assets, &v.total_borrow_assets))
        v.total_borrow_assets = u256_small(0);
    return meets(k, &v);
}

static bool repay_shares_meets(const keeper_ctx *k, keel_u256 shares)
{
    return repay_meets(k, shares, true);
}

static bool repay_assets_meets(const keeper_ctx *k, keel_u256 assets)
{
    return repay_meets(k, assets, false);
}

/* Morpho.supplyCollateral (v1.0.0): collateral += assets, no accrual. */
static bool add_collateral_meets(const keeper_ctx *k, keel_u256 assets)
{
    morpho_borrow_view v = view_of(k);
    if (u256_add(v.collateral, assets, &v.collateral) || !morpho_fits_u128(v.collateral))
        return false;
    return meets(k, &v);
}

/* Morpho.withdrawCollateral (v1.0.0): collateral −= assets, then _isHealthy. */
static bool withdraw_meets(const keeper_ctx *k, keel_u256 assets)
{
    morpho_borrow_view v = view_of(k);
    if (u256_sub(v.collateral, assets, &v.collateral))
        return false;
    return meets(k, &v);
}

/* Morpho.borrow(assets, 0) (v1.0.0): shares = toSharesUp(assets), both
 * added to the position and the totals as uint128, then _isHealthy and
 * totalBorrowAssets <= totalSupplyAssets. */
static bool borrow_meets(const keeper_ctx *k, keel_u256 assets)
{
    const keel_morpho_state *s = &k->m->s;
    morpho_borrow_view v = view_of(k);
    keel_u256 shares;
    if (morpho_convert(KEEL_MORPHO_TO_SHARES_UP, assets, v.total_borrow_assets,
                       v.total_borrow_shares, &shares) != KEEL_MORPHO_OK ||
        !morpho_fits_u128(shares) || !morpho_fits_u128(assets) ||
        u256_add(v.borrow_shares, shares, &v.borrow_shares) || !morpho_fits_u128(v.borrow_shares) ||
        u256_add(v.total_borrow_shares, shares, &v.total_borrow_shares) ||
        !morpho_fits_u128(v.total_borrow_shares) ||
        u256_add(v.total_borrow_assets, assets, &v.total_borrow_assets) ||
        !morpho_fits_u128(v.total_borrow_assets) ||
        u256_lt(s->total_supply_assets, v.total_borrow_assets))
        return false;
    return meets(k, &v);
}

static keel_status check_target(keel_u256 target, const char *fn, const char *what)
{
    if (u256_is_zero(target))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: %s is 0; give a health factor in wad (1e18 = the healthy line)",
                         fn, what);
    return KEEL_OK;
}

keel_status keel_morpho_repay_to_target(const keel_morpho_market *market,
                                        const keel_morpho_position *position, keel_u256 target_hf,
                                        keel_morpho_unit unit, keel_u256 *out_amount)
{
    static const char fn[] = "keel_morpho_repay_to_target";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_ptr(out_amount, fn, "out_amount"));
    KEEL_TRY(check_target(target_hf, fn, "target_hf"));
    if (unit != KEEL_MORPHO_ASSETS && unit != KEEL_MORPHO_SHARES)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: unit %d is not a keel_morpho_unit", fn, (int)unit);
    keeper_ctx k = {market, position, target_hf};
    const keel_morpho_state *s = &market->s;
    if (repay_shares_meets(&k, u256_small(0))) { /* already met (a repay of nothing) */
        *out_amount = u256_small(0);
        return KEEL_OK;
    }
    keel_u256 b = position->borrow_shares;
    keeper_pred pred = unit == KEEL_MORPHO_SHARES ? repay_shares_meets : repay_assets_meets;
    keel_u256 hi = b;
    if (unit == KEEL_MORPHO_ASSETS) {
        /* the most assets whose toSharesDown is at most b:
         * ceil((b + 1)(tba + 1) / (tbs + 1e6)) − 1 */
        keel_u256 t, d;
        u256_add(s->total_borrow_shares, u256_small(1000000), &d);
        /* b + 1 and tba + 1 are below 2^129: the product fits */
        morpho_mul_div_up(add1(b), add1(s->total_borrow_assets), d, &t);
        hi = sub1(t);
    }
    if (!pred(&k, hi))
        return keel_fail(KEEL_E_INFEASIBLE,
                         "%s: repaying the whole debt does not reach the target (the collateral "
                         "is worth nothing at this price)",
                         fn);
    *out_amount = least(&k, pred, u256_small(1), hi);
    return KEEL_OK;
}

keel_status keel_morpho_collateral_to_target(const keel_morpho_market *market,
                                             const keel_morpho_position *position,
                                             keel_u256 target_hf, keel_u256 *out_amount)
{
    static const char fn[] = "keel_morpho_collateral_to_target";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_ptr(out_amount, fn, "out_amount"));
    KEEL_TRY(check_target(target_hf, fn, "target_hf"));
    keeper_ctx k = {market, position, target_hf};
    if (add_collateral_meets(&k, u256_small(0))) {
        *out_amount = u256_small(0);
        return KEEL_OK;
    }
    keel_u256 hi;
    u256_sub(morpho_u128_max(), position->collateral, &hi);
    /* past the price's overflow point the chain's checks revert: the top is
     * the most collateral whose product with the price fits */
    if (!u256_is_zero(market->p.price)) {
        keel_u256 cap = u256_div(keel_u256_max(), market->p.price), room;
        if (u256_sub(cap, position->collateral, &room))
            room = u256_small(0);
        hi = min_u(hi, room);
    }
    if (u256_is_zero(hi) || !add_collateral_meets(&k, hi))
        return keel_fail(KEEL_E_INFEASIBLE,
                         "%s: no collateral below 2^128 reaches the target at this price", fn);
    *out_amount = least(&k, add_collateral_meets, u256_small(1), hi);
    return KEEL_OK;
}

static keel_u256 floor_target(keel_u256 floor_hf)
{
    keel_u256 wad = morpho_wad();
    return u256_lt(floor_hf, wad) ? wad : floor_hf;
}

keel_status keel_morpho_max_withdraw_collateral(const keel_morpho_market *market,
                                                const keel_morpho_position *position,
                                                keel_u256 floor_hf, keel_u256 *out_amount)
{
    static const char fn[] = "keel_morpho_max_withdraw_collateral";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_ptr(out_amount, fn, "out_amount"));
    /* _isHealthy (3-argument form) returns true without borrow shares */
    if (u256_is_zero(position->borrow_shares)) {
        *out_amount = position->collateral;
        return KEEL_OK;
    }
    keeper_ctx k = {market, position, floor_target(floor_hf)};
    if (!withdraw_meets(&k, u256_small(0))) {
        *out_amount = u256_small(0);
        return KEEL_OK;
    }
    *out_amount = greatest(&k, withdraw_meets, u256_small(0), position->collateral);
    return KEEL_OK;
}

keel_status keel_morpho_max_borrow(const keel_morpho_market *market,
                                   const keel_morpho_position *position, keel_u256 floor_hf,
                                   keel_u256 *out_assets)
{
    static const char fn[] = "keel_morpho_max_borrow";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_ptr(out_assets, fn, "out_assets"));
    keeper_ctx k = {market, position, floor_target(floor_hf)};
    const keel_morpho_state *s = &market->s;
    keel_u256 hi;
    if (u256_sub(s->total_supply_assets, s->total_borrow_assets, &hi) ||
        !borrow_meets(&k, u256_small(0))) {
        *out_assets = u256_small(0);
        return KEEL_OK;
    }
    *out_assets = greatest(&k, borrow_meets, u256_small(0), hi);
    return KEEL_OK;
}

/* Healthy at `price`? (false when the Solidity would revert) */
static bool healthy_at(const keel_morpho_market *m, const morpho_borrow_view *v, keel_u256 price)
{
    keel_u256 b, mb;
    if (morpho_health(price, m->p.lltv, v, &b, NULL, &mb, NULL) != KEEL_MORPHO_OK)
        return false;
    return !u256_lt(mb, b);
}

keel_status keel_morpho_liquidation_price(const keel_morpho_market *market,
                                          const keel_morpho_position *position,
                                          keel_u256 *out_price)
{
    static const char fn[] = "keel_morpho_liquidation_price";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_ptr(out_price, fn, "out_price"));
    const keel_morpho_state *s = &market->s;
    morpho_borrow_view v = {position->collateral, position->borrow_shares, s->total_borrow_assets,
                            s->total_borrow_shares};
    keel_u256 b;
    morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, v.borrow_shares, v.total_borrow_assets,
                   v.total_borrow_shares, &b); /* < 2^256: shares and totals are uint128 */
    if (u256_is_zero(b))
        return keel_fail(KEEL_E_INFEASIBLE, "%s: the position has no debt; it is never liquidatable",
                         fn);
    if (u256_is_zero(v.collateral)) {
        *out_price = keel_u256_max();
        return KEEL_OK;
    }
    /* healthy iff floor(floor(c·p / 1e36) · lltv / 1e18) >= b
     *         iff floor(c·p / 1e36) >= x0 = ceil(b · 1e18 / lltv)
     *         iff p >= p0 = ceil(x0 · 1e36 / c) */
    keel_u256 x0, p0;
    if (morpho_mul_div_up(b, morpho_wad(), market->p.lltv, &x0) != KEEL_MORPHO_OK ||
        morpho_mul_div_up(x0, ORACLE_PRICE_SCALE, v.collateral, &p0) != KEEL_MORPHO_OK ||
        !healthy_at(market, &v, p0))
        return keel_fail(KEEL_E_INFEASIBLE,
                         "%s: no oracle price below 2^256 makes the position healthy", fn);
    *out_price = sub1(p0);
    return KEEL_OK;
}
