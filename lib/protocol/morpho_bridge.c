/* Morpho Blue positions in keel's double-precision world: a market of the
 * two tokens priced in the loan token, a basket, a haircut model of
 * 1 − LLTV. Built through keel's public constructors, as any client would
 * (the inputs are checked here, so only KEEL_E_NOMEM can come back).
 * Balances follow Morpho._isHealthy at morpho-org/morpho-blue v1.0.0
 * (commit 55d2d99304fb): the debt is toAssetsUp(borrowShares). */
#include <math.h>

#include "core/core_internal.h"
#include "keel/basket.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "protocol/bridge.h"
#include "protocol/morpho_internal.h"

keel_status keel_morpho_to_keel(const keel_morpho_market *market,
                                const keel_morpho_position *position, keel_market **out_market,
                                keel_basket **out_basket, keel_haircut_model **out_haircuts,
                                keel_asset *out_collateral, keel_asset *out_loan)
{
    static const char fn[] = "keel_morpho_to_keel";
    KEEL_TRY(morpho_check(market, position, fn));
    KEEL_TRY(keel_check_ptr(out_market, fn, "out_market"));
    KEEL_TRY(keel_check_ptr(out_basket, fn, "out_basket"));
    KEEL_TRY(keel_check_ptr(out_haircuts, fn, "out_haircuts"));
    const keel_morpho_params *p = &market->p;
    /* one collateral token in loan tokens: price / 1e36 · 10^cd / 10^ld */
    double price = u256_to_double(p->price) / 1e36 *
                   pow(10.0, (double)p->collateral_decimals - (double)p->loan_decimals);
    if (!(price > 0.0) || !isfinite(price))
        return keel_fail(KEEL_E_OUT_OF_RANGE,
                         "%s: the oracle price is 0 or its token price is beyond double range; a "
                         "keel market needs positive prices",
                         fn);
    keel_u256 borrowed;
    const keel_morpho_state *s = &market->s;
    /* uint128 shares and totals: the product fits */
    morpho_convert(KEEL_MORPHO_TO_ASSETS_UP, position->borrow_shares, s->total_borrow_assets,
                   s->total_borrow_shares, &borrowed);
    double q_coll = u256_to_double(position->collateral) / pow(10.0, p->collateral_decimals);
    double q_debt = u256_to_double(borrowed) / pow(10.0, p->loan_decimals);
    double haircut = 1.0 - u256_to_double(p->lltv) / 1e18;
    keel_market *km = NULL;
    keel_basket *kb = NULL;
    keel_haircut_model *kh = NULL;
    keel_asset cid = 0, lid = 0;
    keel_status st = keel_market_new(&km);
    if (st == KEEL_OK)
        st = keel_basket_new(&kb);
    if (st == KEEL_OK)
        st = keel_haircut_model_new(&kh);
    if (st == KEEL_OK)
        st = keel_market_add_asset(km, market->collateral_symbol, price, &cid);
    if (st == KEEL_OK)
        st = keel_market_add_asset(km, market->loan_symbol, 1.0, &lid);
    if (st == KEEL_OK && q_coll > 0.0)
        st = keel_basket_set_collateral(kb, cid, q_coll);
    if (st == KEEL_OK && q_debt > 0.0)
        st = keel_basket_set_debt(kb, lid, q_debt);
    if (st == KEEL_OK)
        st = keel_haircut_model_set_asset(kh, cid, haircut, haircut);
    KEEL_TRY(protocol_bridge_finish(st, km, kb, kh, out_market, out_basket, out_haircuts, fn));
    if (out_collateral != NULL)
        *out_collateral = cid;
    if (out_loan != NULL)
        *out_loan = lid;
    return KEEL_OK;
}
