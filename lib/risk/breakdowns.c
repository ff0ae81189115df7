/* The effective haircuts of many assets of one basket from one evaluation:
 * what the least-cost solver and the liquidation-price search read for every
 * asset, where a keel_risk_breakdown() per asset would value the basket (and
 * in portfolio mode factor its correlation matrix) once per asset. */
#include <string.h>

#include "risk_internal.h"

keel_status keel_risk_breakdowns(const keel_haircut_model *model, const keel_basket *basket,
                                 const keel_market *market, const keel_asset *ids, size_t count,
                                 keel_haircut_components *out, const char *fn)
{
    if (count > 0)
        memset(out, 0, count * sizeof *out);
    keel_risk_request req = KEEL_RISK_REQUEST_NONE;
    req.explain_ids = ids;
    req.explain_count = count;
    req.explain_list = out;
    keel_risk_sums s;
    return keel_risk_evaluate(basket, NULL, market, model, &req, &s, fn);
}
