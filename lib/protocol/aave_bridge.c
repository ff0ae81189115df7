/* Aave v3 accounts in keel's double-precision world: the conversion to a
 * market, basket and haircut model, and the batch of exact verdicts (a
 * double pass, then integers where the double cannot decide). The bridge
 * builds keel's objects through their public constructors, as any client
 * would (the inputs are checked here, so only KEEL_E_NOMEM can come back). */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "keel/basket.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "protocol/aave_internal.h"

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
    if (st != KEEL_OK) {
        keel_market_free(km);
        keel_basket_free(kb);
        keel_haircut_model_free(kh);
        if (st == KEEL_E_NOMEM)
            return keel_fail(st, "%s: out of memory", fn);
        return keel_fail(st, "%s: a balance overflows (%s)", fn, keel_status_str(st));
    }
    *out_market = km;
    *out_basket = kb;
    *out_haircuts = kh;
    return KEEL_OK;
}

/* The double pass of one account: HF and a bound on its distance to the
 * chain's integer HF. The chain rounds each balance by at most one wei
 * (worth price/unit base units) and each base value by at most one unit;
 * v3.4 also floors the weighted threshold to a whole basis point (a
 * relative error of up to 1/threshold) and rounds percentMul and wadDiv half
 * up. The double sums carry a relative error far below 1e-13 for the at
 * most 128 terms of an account; 1e-12 covers it with margin. */
static void double_pass(const keel_aave_market *m, const keel_aave_account *a, double *hf,
                        double *bound, bool *no_debt)
{
    double weighted = 0.0, debt = 0.0, err_w = 0.0, err_d = 0.0, coll = 0.0;
    for (size_t i = 0; i < a->count; i++) {
        const aave_position *p = &a->pos[i];
        const aave_reserve_state *s = &m->reserves[p->reserve];
        double wei_value = s->d_price / s->d_unit; /* base units per wei */
        if (aave_counts_as_collateral(m, p)) {
            double lt = aave_user_threshold(m, a->emode, p->reserve) / 1e4;
            double v = u256_to_double(p->supply) * s->d_liq * wei_value;
            coll += v;
            weighted += v * lt;
            err_w += lt * (2.0 + 2.0 * wei_value);
        }
        if ((p->debt.w[0] | p->debt.w[1] | p->debt.w[2] | p->debt.w[3]) != 0) {
            debt += u256_to_double(p->debt) * s->d_var * wei_value;
            err_d += 2.0 + 2.0 * wei_value;
        }
    }
    *no_debt = !(debt > 0.0);
    if (*no_debt) {
        *hf = INFINITY;
        *bound = 0.0;
        return;
    }
    if (m->version == KEEL_AAVE_V3_4)
        err_w += coll * 1e-4 + 1.0; /* the threshold floored to a basis point, percentMul */
    *hf = weighted / debt;
    /* |Δ(w/d)| <= (Δw + (w/d)·Δd) / (d − Δd), plus the relative slack */
    double den = debt - err_d;
    *bound = den > 0.0 ? (err_w + *hf * err_d) / den + 1e-12 * (*hf) + 1e-17 : INFINITY;
}

keel_status keel_aave_scan(const keel_aave_market *market, const keel_aave_account *const *accounts,
                           size_t n, double *out_hf, uint8_t *out_liquidatable, size_t *out_exact)
{
    static const char fn[] = "keel_aave_scan";
    KEEL_TRY(keel_check_handle(market, KEEL_TAG_AAVE_MARKET, fn, "market"));
    KEEL_TRY(keel_check_ptr(out_liquidatable, fn, "out_liquidatable"));
    if (n != 0)
        KEEL_TRY(keel_check_ptr(accounts, fn, "accounts"));
    for (size_t k = 0; k < n; k++) {
        if (!keel_handle_is(accounts[k], KEEL_TAG_AAVE_ACCOUNT))
            return keel_fail(KEEL_E_BAD_HANDLE, "%s: accounts[%zu] is not a live keel_aave_account",
                             fn, k);
        keel_status s = aave_check(market, accounts[k], fn);
        if (s != KEEL_OK)
            return keel_fail(s, "%s: accounts[%zu]: %s", fn, k, keel_last_error());
    }
    size_t exact = 0;
    for (size_t k = 0; k < n; k++) {
        const keel_aave_account *a = accounts[k];
        double hf, bound;
        bool no_debt;
        double_pass(market, a, &hf, &bound, &no_debt);
        bool liq = hf < 1.0;
        if (!no_debt && fabs(hf - 1.0) <= bound) {
            aave_view v = aave_view_of(a);
            aave_data d;
            if (aave_eval(market, &v, &d) != KEEL_OK)
                return keel_fail(KEEL_E_OVERFLOW, "%s: accounts[%zu]: a value overflows 256 bits", fn, k);
            liq = u256_lt(d.hf, u256_small(AAVE_WAD));
            hf = u256_to_double(d.hf) / 1e18;
            exact++;
        }
        out_liquidatable[k] = liq;
        if (out_hf != NULL)
            out_hf[k] = hf;
    }
    if (out_exact != NULL)
        *out_exact = exact;
    return KEEL_OK;
}
