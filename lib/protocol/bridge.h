/* What the protocol layers' bridges to keel's objects (keel_aave_to_keel,
 * keel_comet_to_keel, keel_morpho_to_keel) share. */
#ifndef KEEL_PROTOCOL_BRIDGE_H
#define KEEL_PROTOCOL_BRIDGE_H

#include "keel/basket.h"
#include "keel/haircut.h"
#include "keel/market.h"

/* Hands the market, basket and haircut model a bridge built to its caller
 * when `st` is KEEL_OK; otherwise frees them (none is handed out, nothing
 * leaks) and reports `st` for `fn`. */
keel_status protocol_bridge_finish(keel_status st, keel_market *km, keel_basket *kb,
                                   keel_haircut_model *kh, keel_market **out_market,
                                   keel_basket **out_basket, keel_haircut_model **out_haircuts,
                                   const char *fn);

#endif /* KEEL_PROTOCOL_BRIDGE_H */
