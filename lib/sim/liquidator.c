/* The simulation's default liquidator (lib/sim/liquidator.h). */
#include <math.h>

#include "basket/basket_internal.h"
#include "core/core_internal.h"
#include "liquidator.h"

keel_status keel_liquidate_largest(const keel_sim_params *params, keel_basket *account,
                                   const double *price, double health_factor,
                                   double *bonus_lost, bool *happened, const char *fn)
{
    *happened = false;
    size_t npos;
    const keel_position *pos = keel_basket_data(account, &npos);
    keel_asset dj = KEEL_ASSET_INVALID, ci = KEEL_ASSET_INVALID;
    double dbest = 0.0, cbest = 0.0, dq = 0.0, cq = 0.0;
    for (size_t k = 0; k < npos; k++) {
        double p = price[pos[k].asset];
        if (pos[k].debt * p > dbest)
            dbest = pos[k].debt * p, dj = pos[k].asset, dq = pos[k].debt;
        if (pos[k].collateral * p > cbest)
            cbest = pos[k].collateral * p, ci = pos[k].asset, cq = pos[k].collateral;
    }
    if (dj == KEEL_ASSET_INVALID || ci == KEEL_ASSET_INVALID)
        return KEEL_OK; /* nothing to repay or to seize (an options margin call alone) */
    double factor = health_factor < params->full_close_below ? 1.0 : params->close_factor;
    double pd = price[dj], pc = price[ci], bonus = 1.0 + params->liquidation_bonus;
    double repay = factor * dq, seize = repay * pd * bonus / pc;
    if (seize > cq) {
        seize = cq;
        repay = cq * pc / (bonus * pd);
    }
    if (!(seize > 0.0))
        return KEEL_OK;
    KEEL_TRY(keel_basket_move(account, ci, false, -fmin(seize, cq), fn));
    KEEL_TRY(keel_basket_move(account, dj, true, -fmin(repay, dq), fn));
    *bonus_lost += seize * pc - repay * pd;
    *happened = true;
    return KEEL_OK;
}
