/* The protocol layers' bridges to keel's objects: their shared ending (bridge.h). */
#include "protocol/bridge.h"

#include "core/core_internal.h"

keel_status protocol_bridge_finish(keel_status st, keel_market *km, keel_basket *kb,
                                   keel_haircut_model *kh, keel_market **out_market,
                                   keel_basket **out_basket, keel_haircut_model **out_haircuts,
                                   const char *fn)
{
    if (st != KEEL_OK) {
        keel_market_free(km);
        keel_basket_free(kb);
        keel_haircut_model_free(kh);
        if (st == KEEL_E_NOMEM)
            return keel_fail(st, "%s: out of memory", fn);
        return keel_fail(st, "%s: building keel's objects failed (%s)", fn, keel_status_str(st));
    }
    *out_market = km;
    *out_basket = kb;
    *out_haircuts = kh;
    return KEEL_OK;
}
