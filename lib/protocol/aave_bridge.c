/* Aave v3 accounts in keel's double-precision world: the conversion to a
 * market, basket and haircut model, and the batch of exact verdicts (a
 * double pass, then integers where the double cannot decide). The bridge
 * builds keel's objects through their public constructors, as any client
 * would (the inputs are checked here, so only KEEL_E_NOMEM can come back). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "core/core_internal.h"
#include "keel/basket.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "protocol/aave_internal.h"
#include "protocol/bridge.h"

keel_status keel_aave_to_keel(const keel_aave_market *market, const keel_aave_account *account,
                              keel_market **out_market, keel_basket **out_basket,
                              keel_haircut_model **out_haircuts, uint32_t *out_reserves,
                              size_t capacity, size_t *out_count)
{
    static const char fn[] = "keel_aave_to_keel";
    KEEL_TRY(aave_check(market, account, fn));
    KEEL_TRY(keel_check_ptr(out_market, fn, "out_market"));
    KEEL_TRY(keel_check_ptr(out_basket, fn, "out_basket"));
    KEEL_TRY(keel_check_ptr(out_haircuts, fn, "out_haircuts"));
    if (out_count != NULL)
        *out_count = account->count;
    if (out_reserves != NULL && capacity < account->count)
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: out_reserves holds %zu ids; the account has %zu",
                         fn, capacity, account->count);
    for (size_t i = 0; i < account->count; i++) {
        const aave_reserve_state *s = &market->reserves[account->pos[i].reserve];
        if (!(s->d_price > 0.0) || !isfinite(s->d_price / 1e8))
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: reserve %s's oracle price is 0 or beyond double range; a keel "
                             "market needs positive prices",
                             fn, s->symbol);
    }
    keel_market *km = NULL;
    keel_basket *kb = NULL;
    keel_haircut_model *kh = NULL;
    keel_status st = keel_market_new(&km);
    if (st == KEEL_OK)
        st = keel_basket_new(&kb);
    if (st == KEEL_OK)
        st = keel_haircut_model_new(&kh);
    for (size_t i = 0; st == KEEL_OK && i < account->count; i++) {
        const aave_position *p = &account->pos[i];
        const aave_reserve_state *s = &market->reserves[p->reserve];
        keel_asset id;
        keel_u256 supply, debt;
        st = keel_market_add_asset(km, s->symbol, s->d_price / 1e8, &id);
        if (st != KEEL_OK)
            break;
        if (aave_supply_balance(market, p->reserve, p->supply, &supply) != KEEL_OK ||
            aave_debt_balance(market, p->reserve, p->debt, &debt) != KEEL_OK) {
            st = KEEL_E_OVERFLOW;
            break;
        }
        double q_supply = u256_to_double(supply) / s->d_unit;
        double q_debt = u256_to_double(debt) / s->d_unit;
        if (q_supply > 0.0)
            st = keel_basket_set_collateral(kb, id, q_supply);
        if (st == KEEL_OK && q_debt > 0.0)
            st = keel_basket_set_debt(kb, id, q_debt);
        uint32_t lt = aave_user_threshold(market, account->emode, p->reserve);
        if (st == KEEL_OK && aave_counts_as_collateral(market, p) && lt != 0)
            st = keel_haircut_model_set_asset(kh, id, 1.0 - aave_user_ltv(market, account->emode, p->reserve) / 1e4,
                                              1.0 - lt / 1e4);
        if (out_reserves != NULL)
            out_reserves[i] = p->reserve;
    }
    return protocol_bridge_finish(st, km, kb, kh, out_market, out_basket, out_haircuts, fn);
}

/* The scan's per-reserve terms, gathered once per call (the market does not
 * change during it) instead of once per position: the division
 * d_price / d_unit, the threshold's division by 1e4 and the calls deciding
 * whether a collateral counts cost more than the rest of a position's work.
 * Each is the very expression the per-position code computed, in the same
 * operation order, so the sums and the bound below are the same doubles bit
 * for bit (with or without FMA contraction: every expression keeps its shape).
 * The two-element arrays are indexed by a position's 0/1 facts -- "its
 * supply counts" for index, "it has debt" for err -- so that a position
 * picks its term without a branch. */
typedef struct scan_terms {
    double index[2];  /* [0] d_var, [1] d_liq: the indexes / RAY, as the market stores them */
    double err[2];    /* [0] 0.0, [1] err_unit = 2.0 + 2.0 · wei_value: one position's
                         rounding, base units (a debt's, and the unit of a collateral's) */
    double wei_value; /* d_price / d_unit: base units per wei */
    double err_c;     /* lt · err_unit: a counted collateral's rounding at the reserve's threshold */
    double lt;        /* the reserve's threshold / 1e4 (e-mode 0's; a category's
                         collateral is weighed with the category's) */
    uint32_t counts;  /* 1: a collateral with the switch on counts (v3.6, or threshold != 0) */
} scan_terms;

static void scan_terms_fill(const keel_aave_market *m, scan_terms *t)
{
    bool v36 = m->version >= KEEL_AAVE_V3_6;
    for (size_t r = 0; r < m->count; r++) {
        const aave_reserve_state *s = &m->reserves[r];
        t[r].index[0] = s->d_var;
        t[r].index[1] = s->d_liq;
        t[r].wei_value = s->d_price / s->d_unit;
        t[r].err[0] = 0.0;
        t[r].err[1] = 2.0 + 2.0 * t[r].wei_value;
        t[r].lt = s->p.liquidation_threshold / 1e4;
        t[r].err_c = t[r].lt * t[r].err[1];
        /* aave_counts_as_collateral without the switch */
        t[r].counts = v36 || s->p.liquidation_threshold != 0;
    }
}

/* A balance below 2^128 (hi·2^64 + lo) as a double, inline and without a
 * data-dependent branch (an 18-decimal balance takes two limbs, a 6- or
 * 8-decimal one a single limb: a branch on that is mispredicted about every
 * other position). Four 32-bit halves, each converted exactly as a signed
 * integer (the hardware's unsigned conversion branches on the top bit),
 * scaled by exact powers of two and summed: the three additions round, so
 * the result is within 2 ulp of the value (a relative 4.5e-16), not
 * correctly rounded as u256_to_double is. That costs the band nothing (its
 * relative slack is 1e-12, far above) and saves some 25 instructions a
 * position, the largest share of the scan's work. Both scans use it, so
 * they still give the same bits. */
static inline double u128_to_double(uint64_t hi, uint64_t lo)
{
    /* four exact signed conversions of 32-bit halves, summed: within 2 ulp */
    double a = (double)(int64_t)(hi >> 32) * 0x1p96 + (double)(int64_t)(hi & 0xffffffffu) * 0x1p64;
    double b = (double)(int64_t)(lo >> 32) * 0x1p32 + (double)(int64_t)(lo & 0xffffffffu);
    return a + b;
}

/* One position's terms: the collateral value v (0 when it does not count),
 * its rounding lt · (2 + 2·wei_value) (0 likewise), the debt value and its
 * rounding (0 without debt). */
typedef struct pos_terms {
    double v, err_v, dv, err_dv;
} pos_terms;

/* The value, in base units, of a balance x (converted to a double) of the
 * reserve with terms s: side 1 is a supply (the liquidity index), side 0 a
 * debt (the variable borrow index). (x · index) · wei_value, in this order:
 * the one formula of a position's value, whichever path converted x. */
static inline double balance_value(const scan_terms *s, uint32_t side, double x)
{
    return x * s->index[side] * s->wei_value;
}

/* A position with both a counted supply and a debt (rare: the kernel below
 * converts one balance): both converted, balances below 2^128. */
__attribute__((noinline)) static pos_terms both_terms(const scan_terms *s, double err_c,
                                                      const uint64_t *sw, const uint64_t *dw)
{
    pos_terms t = { balance_value(s, 1, u128_to_double(sw[1], sw[0])), err_c,
                    balance_value(s, 0, u128_to_double(dw[1], dw[0])), s->err[1] };
    return t;
}

/* A position of an account handle with a balance of 2^128 or more (not from
 * keel_aave_account_set_position, which refuses them): u256_to_double. */
__attribute__((noinline)) static pos_terms wide_terms(const scan_terms *s, double err_c,
                                                      uint32_t counts, const uint64_t *sw,
                                                      const uint64_t *dw)
{
    pos_terms t = { 0.0, 0.0, 0.0, 0.0 };
    keel_u256 supply = {{ sw[0], sw[1], sw[2], sw[3] }}, debt = {{ dw[0], dw[1], dw[2], dw[3] }};
    if (counts) {
        t.v = balance_value(s, 1, u256_to_double(supply));
        t.err_v = err_c;
    }
    if (!u256_is_zero(debt)) {
        t.dv = balance_value(s, 0, u256_to_double(debt));
        t.err_dv = s->err[1];
    }
    return t;
}

/* 0.0 and 1.0, indexed by a 0/1 fact. */
static const double ZERO_ONE[2] = { 0.0, 1.0 };

/* The double pass's sums over one account's positions (each starts at +0.0). */
typedef struct scan_sums {
    double coll, weighted, err_w, debt, err_d;
} scan_sums;

/* The per-position kernel of both scans (keel_aave_scan over handles,
 * keel_aave_scan_flat over arrays): one position into its account's sums.
 *
 * r is the reserve (below m->count <= 128: the caller checked it), its terms
 * t[r] (scan_terms_fill); `collateral` the switch (0 or 1). In an e-mode
 * category (`category`, a constant in each inlined copy), a collateral of
 * the category is weighed with the category's threshold / 1e4
 * (aave_user_threshold's rule, the same division), chosen by its bit in the
 * category's bitmap. dw points at the debt's 64-bit words, least
 * significant first, and the supply's are `to_supply` bytes from them (a
 * constant of the layout: 32 bytes back in an aave_position, the distance
 * between the two arrays of a flat batch). There are four words each when
 * `wide` (an account handle's keel_u256, which may hold 2^128 or more), two
 * otherwise.
 *
 * Branch-free: whether a position's supply counts and whether it has debt
 * vary from one position to the next, and a mispredicted branch costs more
 * than the terms it would skip. A position is a supply or a debt (both at
 * once take both_terms, a balance of 2^128 or more wide_terms), so one
 * balance is converted -- the supply's where it counts, else the debt's,
 * its address chosen by a mask (a select of a pointer compiles into a
 * branch) -- and valued by balance_value. It is then the collateral value v
 * = value · 1 where the supply counts, and the debt value value − v (where
 * the supply does not count, v = value · 0 = +0.0 and this is the debt's
 * value, or +0.0 without debt). The rounding terms come the same way: the
 * collateral's err_c · (0 or 1), the debt's from err[has debt]. value and
 * err_c are finite and not negative (below 2^128 wei at prices, indexes and
 * units within 2^256, a value is below 1e166), so a product by 1 or 0 is
 * the term or +0.0 exactly; the sums start at +0.0 and their terms are
 * never negative, so adding +0.0 leaves a sum as it was: every sum, HF and
 * bound is the same double, bit for bit, as branches would give. */
static inline void pos_step(scan_sums *a, const scan_terms *t, bool category,
                            const uint64_t *bitmap, double lt_category, uint32_t r,
                            uint32_t collateral, const uint64_t *dw, uintptr_t to_supply,
                            bool wide)
{
    const scan_terms *s = &t[r];
    double lt = s->lt, err_c = s->err_c;
    if (category && ((bitmap[r >> 6] >> (r & 63)) & 1u) != 0) {
        lt = lt_category;
        err_c = lt * s->err[1];
    }
    uint32_t counts = collateral & s->counts;
    const uint64_t *sw = (const uint64_t *)(uintptr_t)((uintptr_t)dw + to_supply);
    uint32_t borrowed = (dw[0] | dw[1]) != 0;
    pos_terms pt;
    if (wide && __builtin_expect((sw[2] | sw[3] | dw[2] | dw[3]) != 0, 0)) {
        pt = wide_terms(s, err_c, counts, sw, dw);
    } else if (__builtin_expect(counts & borrowed, 0)) {
        pt = both_terms(s, err_c, sw, dw);
    } else {
        uintptr_t c = (uintptr_t)0 - (uintptr_t)counts;
        const uint64_t *w = (const uint64_t *)(uintptr_t)((uintptr_t)dw + (to_supply & c));
        double value = balance_value(s, counts, u128_to_double(w[1], w[0]));
        double one = ZERO_ONE[counts];
        pt.v = value * one;
        pt.err_v = err_c * one;
        pt.dv = value - pt.v;
        pt.err_dv = s->err[borrowed];
    }
    a->coll += pt.v;
    a->weighted += pt.v * lt;
    a->err_w += pt.err_v;
    a->debt += pt.dv;
    a->err_d += pt.err_dv;
}

/* The band of both scans: the account's double HF from its sums, and
 * whether it must be re-computed in integers (true: its distance to 1 is
 * within the bound on the distance between the double HF and the chain's
 * integer HF). The chain rounds each balance by at most one wei (worth
 * price/unit base units) and each base value by at most one unit; v3.4 also
 * floors the weighted threshold to a whole basis point (a relative error of
 * up to 1/threshold) and rounds percentMul and wadDiv half up. The double
 * sums carry a relative error far below 1e-13 for the at most 128 terms of
 * an account; 1e-12 covers it with margin. Without debt: +inf, decided. */
static inline bool scan_band(const keel_aave_market *m, scan_sums a, double *hf)
{
    if (!(a.debt > 0.0)) {
        *hf = INFINITY;
        return false;
    }
    if (m->version == KEEL_AAVE_V3_4)
        a.err_w += a.coll * 1e-4 + 1.0; /* the threshold floored to a basis point, percentMul */
    *hf = a.weighted / a.debt;
    /* |Δ(w/d)| <= (Δw + (w/d)·Δd) / (d − Δd), plus the relative slack */
    double den = a.debt - a.err_d;
    double bound = den > 0.0 ? (a.err_w + *hf * a.err_d) / den + 1e-12 * (*hf) + 1e-17 : INFINITY;
    return fabs(*hf - 1.0) <= bound;
}

/* The exact path of both scans: the view's health factor in integers
 * (aave_eval, calculateUserAccountData), its verdict and its double. False
 * where the Solidity reverts (a value beyond 2^256). */
static bool exact_verdict(const keel_aave_market *m, const aave_view *v, double *hf, bool *liq)
{
    aave_data d;
    if (aave_eval(m, v, &d) != KEEL_OK)
        return false;
    *liq = u256_lt(d.hf, u256_small(AAVE_WAD));
    *hf = u256_to_double(d.hf) / 1e18;
    return true;
}

/* The double pass of one account handle (in e-mode `category` or not, a
 * constant in each inlined copy): its HF, and whether it is in the band. */
static inline bool double_pass_in(const keel_aave_market *m, const scan_terms *t,
                                  const keel_aave_account *a, bool category, double *hf)
{
    scan_sums acc = { 0.0, 0.0, 0.0, 0.0, 0.0 };
    const uint64_t *bitmap = NULL;
    double lt_category = 0.0;
    if (category) {
        bitmap = m->emodes[a->emode].collateral_bitmap;
        lt_category = m->emodes[a->emode].liquidation_threshold / 1e4;
    }
    const aave_position *pos = a->pos;
    const uintptr_t to_supply = (uintptr_t)0 - (uintptr_t)(offsetof(aave_position, debt) -
                                                           offsetof(aave_position, supply));
    for (size_t i = 0, cnt = a->count; i < cnt; i++) {
        const aave_position *p = &pos[i];
        pos_step(&acc, t, category, bitmap, lt_category, p->reserve,
                 (p->flags & KEEL_AAVE_COLLATERAL) ? 1u : 0u, p->debt.w, to_supply, true);
    }
    return scan_band(m, acc, hf);
}

/* The pass, in one copy for accounts outside e-mode and one for those in a
 * category. */
static inline bool double_pass(const keel_aave_market *m, const scan_terms *t,
                               const keel_aave_account *a, double *hf)
{
    if (a->emode == 0)
        return double_pass_in(m, t, a, false, hf);
    return double_pass_in(m, t, a, true, hf);
}

/* aave_check's conditions on one account of the scan (the market was
 * checked once), inline: the tag, the reserves and the e-mode category.
 * False sends the caller to keel_handle_is / aave_check for the error text. */
static inline bool scan_account_ok(const keel_aave_market *m, const keel_aave_account *a)
{
    return a != NULL && a->tag == KEEL_TAG_AAVE_ACCOUNT &&
           (a->count == 0 || a->pos[a->count - 1].reserve < m->count) &&
           (a->emode == 0 || m->emode_set[a->emode]);
}

/* The failure the checks report for accounts[k] (scan_account_ok is false). */
static keel_status scan_account_fail(const keel_aave_market *m,
                                     const keel_aave_account *const *accounts, size_t k,
                                     const char *fn)
{
    if (!keel_handle_is(accounts[k], KEEL_TAG_AAVE_ACCOUNT))
        return keel_fail(KEEL_E_BAD_HANDLE, "%s: accounts[%zu] is not a live keel_aave_account", fn,
                         k);
    keel_status s = aave_check(m, accounts[k], fn);
    char why[256]; /* the check's text without its "fn: ", copied: keel_fail writes over it */
    const char *e = keel_last_error();
    size_t skip = strncmp(e, fn, strlen(fn)) == 0 ? strlen(fn) : 0;
    if (strncmp(e + skip, ": ", 2) == 0)
        skip += 2;
    snprintf(why, sizeof why, "%s", e + skip);
    return keel_fail(s, "%s: accounts[%zu]: %s", fn, k, why);
}

/* How far ahead the scan prefetches: the handle PREFETCH accounts ahead, its
 * positions PREFETCH / 2 ahead (by then the handle is in cache). */
enum { PREFETCH = 16 };

keel_status keel_aave_scan(const keel_aave_market *market, const keel_aave_account *const *accounts,
                           size_t n, double *out_hf, uint8_t *out_liquidatable, size_t *out_exact)
{
    static const char fn[] = "keel_aave_scan";
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_AAVE_MARKET, fn, "market"));
    KEEL_TRY(keel_check_ptr(out_liquidatable, fn, "out_liquidatable"));
    if (n != 0)
        KEEL_TRY(keel_check_ptr(accounts, fn, "accounts"));
    scan_terms terms[KEEL_AAVE_MAX_RESERVES];
    scan_terms_fill(market, terms);
    /* One pass: each account is checked just before it is valued (the
     * checks used to be a pass of their own over every account, which read
     * each handle from memory twice). The outcome is the same: the outputs
     * are unspecified on failure, and the status and text are those of the
     * first account that fails the checks -- when an account overflows in
     * the exact path, the accounts after it are still checked, and a failed
     * check there is reported instead, as the separate pass did. */
    size_t exact = 0;
    for (size_t k = 0; k < n; k++) {
        if (k + PREFETCH < n)
            __builtin_prefetch(accounts[k + PREFETCH]);
        if (k + PREFETCH / 2 < n) {
            const keel_aave_account *ahead = accounts[k + PREFETCH / 2];
            if (ahead != NULL && ahead->tag == KEEL_TAG_AAVE_ACCOUNT && ahead->count != 0) {
                const char *p = (const char *)ahead->pos;
                const char *end = (const char *)(ahead->pos + ahead->count);
                for (; p < end; p += 64)
                    __builtin_prefetch(p);
                __builtin_prefetch(end - 1);
            }
        }
        const keel_aave_account *a = accounts[k];
        if (!scan_account_ok(market, a))
            return scan_account_fail(market, accounts, k, fn);
        double hf;
        bool liq;
        if (double_pass(market, terms, a, &hf)) {
            aave_view v = aave_view_of(a);
            if (!exact_verdict(market, &v, &hf, &liq)) {
                for (size_t j = k + 1; j < n; j++)
                    if (!scan_account_ok(market, accounts[j]))
                        return scan_account_fail(market, accounts, j, fn);
                return keel_fail(KEEL_E_OVERFLOW, "%s: accounts[%zu]: a value overflows 256 bits", fn, k);
            }
            exact++;
        } else {
            liq = hf < 1.0;
        }
        out_liquidatable[k] = liq;
        if (out_hf != NULL)
            out_hf[k] = hf;
    }
    if (out_exact != NULL)
        *out_exact = exact;
    return KEEL_OK;
}

/* ---- keel_aave_scan_flat: the same pass over flat arrays ---- */

/* The checks of account k of a flat batch, in the order the pass meets
 * them, with the error text; KEEL_OK when the account is valid. The pass
 * calls it only where its own fused test failed (and, after an overflow,
 * for the accounts after it). `total` is offsets[n]; offsets[0] = 0 and
 * offsets[0..k] were checked not to decrease. */
__attribute__((noinline)) static keel_status
flat_check(const keel_aave_market *m, size_t n, size_t k, const size_t *offsets, size_t total,
           const uint32_t *reserves, const uint8_t *flags, const uint8_t *emodes, const char *fn)
{
    size_t lo = offsets[k], hi = offsets[k + 1];
    if (hi < lo)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: offsets decrease at account %zu (%zu to %zu)", fn,
                         k, lo, hi);
    if (hi > total) { /* past offsets[n]: they decrease further on */
        size_t i = k + 1;
        while (i < n && offsets[i + 1] >= offsets[i])
            i++;
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: offsets decrease at account %zu (%zu to %zu; offsets[%zu] = %zu is "
                         "past offsets[n] = %zu)",
                         fn, i, offsets[i], i < n ? offsets[i + 1] : total, k + 1, hi, total);
    }
    if (emodes != NULL && emodes[k] != 0 && !m->emode_set[emodes[k]])
        return keel_fail(KEEL_E_UNKNOWN_ASSET,
                         "%s: account %zu: e-mode category %u is not set in the market", fn, k,
                         (unsigned)emodes[k]);
    for (size_t j = lo; j < hi; j++) {
        if (reserves[j] >= m->count)
            return keel_fail(KEEL_E_UNKNOWN_ASSET,
                             "%s: account %zu, position %zu: reserve %u is not a reserve of the "
                             "market (it has %zu)",
                             fn, k, j, reserves[j], m->count);
        if (j > lo && reserves[j] <= reserves[j - 1])
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: account %zu, position %zu: reserves must be strictly increasing "
                             "within an account (%u after %u)",
                             fn, k, j, reserves[j], reserves[j - 1]);
        if (flags[j] & ~(unsigned)KEEL_AAVE_COLLATERAL)
            return keel_fail(KEEL_E_OUT_OF_RANGE,
                             "%s: account %zu, position %zu: flags 0x%x hold bits other than "
                             "KEEL_AAVE_COLLATERAL",
                             fn, k, j, (unsigned)flags[j]);
    }
    return KEEL_OK;
}

/* A flat batch's position arrays as the pass reads them. */
typedef struct flat_rows {
    const uint32_t *reserves;
    const uint8_t *flags;
    const uint64_t *debt;
    uintptr_t to_supply; /* bytes from a position's debt words to its supply words */
    size_t count;        /* the market's reserves */
} flat_rows;

/* The double pass of account positions [lo, hi) of a flat batch, each
 * position checked on the way (an unknown or repeated reserve id, an
 * unknown flag: false, nothing more read). Otherwise true, with the HF and
 * whether the account is in the band in *band. */
typedef struct flat_pass {
    double hf;
    int state; /* 0: decided in double, 1: in the band, -1: a position fails the checks */
} flat_pass;

static inline flat_pass flat_pass_in(const keel_aave_market *m, const scan_terms *t,
                                     const flat_rows *f, bool category, uint32_t em, size_t lo,
                                     size_t hi)
{
    flat_pass out = { 0.0, -1 };
    scan_sums acc = { 0.0, 0.0, 0.0, 0.0, 0.0 };
    const uint64_t *bitmap = NULL;
    double lt_category = 0.0;
    if (category) {
        bitmap = m->emodes[em].collateral_bitmap;
        lt_category = m->emodes[em].liquidation_threshold / 1e4;
    }
    const uint32_t *res = f->reserves;
    const uint8_t *fl = f->flags;
    const uint64_t *debt = f->debt;
    const size_t count = f->count;
    const uintptr_t to_supply = f->to_supply;
    uint32_t least = 0; /* the least id the next position may hold */
    for (size_t j = lo; j < hi; j++) {
        uint32_t r = res[j], fj = fl[j];
        /* one test for every bad case */
        if (__builtin_expect(!(r < count && r >= least && fj <= KEEL_AAVE_COLLATERAL), 0))
            return out;
        least = r + 1;
        pos_step(&acc, t, category, bitmap, lt_category, r, fj, &debt[2 * j], to_supply, false);
    }
    out.state = scan_band(m, acc, &out.hf);
    return out;
}

/* The exact path of account positions [lo, hi) of a flat batch (checked:
 * at most KEEL_AAVE_MAX_RESERVES of them, ids strictly increasing): a view
 * over a local copy as aave_position, as the handles hold them. */
__attribute__((noinline)) static bool
flat_exact(const keel_aave_market *m, uint32_t em, size_t lo, size_t hi, const uint32_t *reserves,
           const uint8_t *flags, const uint64_t *supply, const uint64_t *debt, double *hf, bool *liq)
{
    aave_position pos[KEEL_AAVE_MAX_RESERVES];
    for (size_t j = lo; j < hi; j++) {
        aave_position p = { reserves[j], flags[j], {{ supply[2 * j], supply[2 * j + 1], 0, 0 }},
                            {{ debt[2 * j], debt[2 * j + 1], 0, 0 }} };
        pos[j - lo] = p;
    }
    aave_view v = { pos, hi - lo, em, UINT32_MAX, {{ 0, 0, 0, 0 }} };
    return exact_verdict(m, &v, hf, liq);
}

/* How far ahead, in bytes, the flat pass prefetches the balances (16
 * accounts of 4 positions). */
enum { FLAT_PREFETCH = 1024 };

keel_status keel_aave_scan_flat(const keel_aave_market *market, size_t n, const size_t *offsets,
                                const uint32_t *reserves, const uint8_t *flags,
                                const uint64_t *scaled_supply, const uint64_t *scaled_debt,
                                const uint8_t *emodes, double *out_hf, uint8_t *out_liquidatable,
                                size_t *out_exact)
{
    static const char fn[] = "keel_aave_scan_flat";
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_AAVE_MARKET, fn, "market"));
    KEEL_TRY(keel_check_ptr(out_liquidatable, fn, "out_liquidatable"));
    if (n != 0)
        KEEL_TRY(keel_check_ptr(offsets, fn, "offsets"));
    if (offsets != NULL && offsets[0] != 0)
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: offsets[0] is %zu; it must be 0", fn, offsets[0]);
    size_t total = n != 0 ? offsets[n] : 0;
    if (total != 0) {
        KEEL_TRY(keel_check_ptr(reserves, fn, "reserves"));
        KEEL_TRY(keel_check_ptr(flags, fn, "flags"));
        KEEL_TRY(keel_check_ptr(scaled_supply, fn, "scaled_supply"));
        KEEL_TRY(keel_check_ptr(scaled_debt, fn, "scaled_debt"));
    }
    scan_terms terms[KEEL_AAVE_MAX_RESERVES];
    scan_terms_fill(market, terms);
    const flat_rows rows = { reserves, flags, scaled_debt,
                             (uintptr_t)scaled_supply - (uintptr_t)scaled_debt, market->count };
    /* One pass, the checks fused in (a separate pass would read every array
     * twice): each account's offsets and e-mode are checked when it is
     * reached, each position just before it is valued. Every position read
     * is below offsets[n] (an offset past it fails at once), so a batch
     * with a bad entry is never read outside the arrays it claims; the
     * outputs are then unspecified. The status and text are those of the
     * first account, in order, that fails a check; an overflow in the exact
     * path is reported only when every account after it passes them (as if
     * the checks were a pass of their own). */
    size_t exact = 0, lo = 0;
    for (size_t k = 0; k < n; k++) {
        size_t hi = offsets[k + 1];
        /* the balances FLAT_PREFETCH bytes ahead (a prefetch never faults:
         * the address may be past the arrays) */
        __builtin_prefetch((const void *)((uintptr_t)scaled_supply + 16 * lo + FLAT_PREFETCH));
        __builtin_prefetch((const void *)((uintptr_t)scaled_debt + 16 * lo + FLAT_PREFETCH));
        uint32_t em = emodes != NULL ? emodes[k] : 0;
        flat_pass p = { 0.0, -1 };
        if (__builtin_expect((hi < lo) | (hi > total) | (em != 0 && !market->emode_set[em]), 0))
            ;
        else if (em == 0)
            p = flat_pass_in(market, terms, &rows, false, 0, lo, hi);
        else
            p = flat_pass_in(market, terms, &rows, true, em, lo, hi);
        double hf = p.hf;
        bool liq;
        if (__builtin_expect(p.state < 0, 0))
            return flat_check(market, n, k, offsets, total, reserves, flags, emodes, fn);
        if (__builtin_expect(p.state > 0, 0)) {
            if (!flat_exact(market, em, lo, hi, reserves, flags, scaled_supply, scaled_debt, &hf,
                            &liq)) {
                for (size_t j = k + 1; j < n; j++) {
                    keel_status st = flat_check(market, n, j, offsets, total, reserves, flags,
                                                emodes, fn);
                    if (st != KEEL_OK)
                        return st;
                }
                return keel_fail(KEEL_E_OVERFLOW, "%s: account %zu: a value overflows 256 bits",
                                 fn, k);
            }
            exact++;
        } else {
            liq = hf < 1.0;
        }
        out_liquidatable[k] = liq;
        if (out_hf != NULL)
            out_hf[k] = hf;
        lo = hi;
    }
    if (out_exact != NULL)
        *out_exact = exact;
    return KEEL_OK;
}
