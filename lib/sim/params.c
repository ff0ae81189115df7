/* The defaults of the simulation's parameter and volatility-model structs, as a function (for
 * bindings and for callers that prefer a call to a macro). The numbers are
 * the public KEEL_SIM_PARAMS_INIT initialiser in keel/sim.h. */
#include "core/core_internal.h"
#include "keel/sim.h"

KEEL_DEFINE_PARAMS_INIT(keel_sim_params, KEEL_SIM_PARAMS_INIT)
KEEL_DEFINE_PARAMS_INIT(keel_sim_volatility, KEEL_SIM_VOLATILITY_INIT)
