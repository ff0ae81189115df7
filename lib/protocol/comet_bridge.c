/* Compound v3 (Comet) accounts in keel's double-precision world: the
 * conversion to a market, basket and haircut model. Built through keel's
 * public constructors, as any client would (inputs checked here first). */
#include <math.h>
#include <string.h>

#include "core/core_internal.h"
#include "keel/basket.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "protocol/bridge.h"
#include "protocol/comet_internal.h"

keel_status keel_comet_to_keel(const keel_comet_market *market, const keel_comet_account *account,
                               keel_market **out_market, keel_basket **out_basket,
                               keel_haircut_model **out_haircuts, uint32_t *out_assets,
                               size_t capacity, size_t *out_count)
{
    static const char fn[] = "keel_comet_to_keel";
    KEEL_TRY(comet_check(market, account, fn));
    KEEL_TRY(keel_check_ptr(out_market, fn, "out_market"));
    KEEL_TRY(keel_check_ptr(out_basket, fn, "out_basket"));
    KEEL_TRY(keel_check_ptr(out_haircuts, fn, "out_haircuts"));
    size_t n = 1;
    for (size_t i = 0; i < market->count; i++)
        n += !u256_is_zero(account->balance[i]);
    if (out_count != NULL)
        *out_count = n;
    if (out_assets != NULL && capacity < n)
        return keel_fail(KEEL_E_BUFFER_TOO_SMALL, "%s: out_assets holds %zu ids; %zu are needed",
                         fn, capacity, n);
    double base_price = u256_to_double(market->base.price) / 1e8;
    if (!isfinite(base_price))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: the base price is beyond double range", fn);
    for (size_t i = 0; i < market->count; i++)
        if (!u256_is_zero(account->balance[i]) &&
            !isfinite(u256_to_double(market->assets[i].p.price) / 1e8))
            return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: asset %s's price is beyond double range",
                             fn, market->assets[i].symbol);
    keel_comet_int pv;
    comet_present(market, account->principal, &pv);
    keel_market *km = NULL;
    keel_basket *kb = NULL;
    keel_haircut_model *kh = NULL;
    keel_status st = keel_market_new(&km);
    if (st == KEEL_OK)
        st = keel_basket_new(&kb);
    if (st == KEEL_OK)
        st = keel_haircut_model_new(&kh);
    keel_asset id = 0;
    if (st == KEEL_OK)
        st = keel_market_add_asset(km, market->base_symbol, base_price, &id);
    double q = u256_to_double(pv.magnitude) / u256_to_double(market->base_scale);
    if (st == KEEL_OK && q > 0.0)
        st = comet_is_neg(pv) ? keel_basket_set_debt(kb, id, q)
                              : keel_basket_set_collateral(kb, id, q);
    if (st == KEEL_OK && !comet_is_neg(pv)) /* a base supply counts whole */
        st = keel_haircut_model_set_asset(kh, id, 0.0, 0.0);
    if (out_assets != NULL)
        out_assets[0] = KEEL_COMET_BASE_ID;
    size_t k = 1;
    for (size_t i = 0; st == KEEL_OK && i < market->count; i++) {
        const comet_asset_state *s = &market->assets[i];
        if (u256_is_zero(account->balance[i]))
            continue;
        st = keel_market_add_asset(km, s->symbol, u256_to_double(s->p.price) / 1e8, &id);
        if (st == KEEL_OK)
            st = keel_basket_set_collateral(kb, id,
                                            u256_to_double(account->balance[i]) /
                                                u256_to_double(s->scale));
        if (st == KEEL_OK)
            st = keel_haircut_model_set_asset(kh, id, 1.0 - s->p.borrow_collateral_factor / 1e18,
                                              1.0 - s->p.liquidate_collateral_factor / 1e18);
        if (out_assets != NULL)
            out_assets[k] = (uint32_t)i;
        k++;
    }
    return protocol_bridge_finish(st, km, kb, kh, out_market, out_basket, out_haircuts, fn);
}
