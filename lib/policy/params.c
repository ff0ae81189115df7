/* The defaults of the plan and policy parameter structs, as functions (for
 * bindings and for callers that prefer a call to a macro). The numbers are
 * the public KEEL_*_INIT initialisers in keel/policy.h. */
#include "core/core_internal.h"
#include "keel/policy.h"

KEEL_DEFINE_PARAMS_INIT(keel_deleverage_params, KEEL_DELEVERAGE_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_health_band_params, KEEL_HEALTH_BAND_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_leverage_band_params, KEEL_LEVERAGE_BAND_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_target_weights_params, KEEL_TARGET_WEIGHTS_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_delta_hedge_params, KEEL_DELTA_HEDGE_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_predictive_params, KEEL_PREDICTIVE_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_collateral_params, KEEL_COLLATERAL_PARAMS_INIT)
