/* Stateless haircut formulas, exported for callers who set schedules by hand. */
#include <math.h>

#include "core/core_internal.h"
#include "haircut_internal.h"
#include "math/kmath.h"

keel_status keel_volatility_haircut(double volatility, double confidence, double horizon_years,
                                    double *out_haircut)
{
    KEEL_TRY(keel_check_nonneg(volatility, __func__, "volatility"));
    KEEL_TRY(keel_check_finite(confidence, __func__, "confidence"));
    /* Below 0.5 the quantile is negative and the "haircut" a gain. */
    if (!(confidence >= 0.5 && confidence < 1.0))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: confidence must be in [0.5, 1), got %g",
                         __func__, confidence);
    KEEL_TRY(keel_check_nonneg(horizon_years, __func__, "horizon_years"));
    KEEL_TRY(keel_check_ptr(out_haircut, __func__, "out_haircut"));
    /* 1 - exp(-x) as -expm1(-x): exact for the small x of short horizons */
    *out_haircut = -expm1(-keel_norm_quantile(confidence) * volatility * sqrt(horizon_years));
    return KEEL_OK;
}

keel_status keel_haircut_scale_holding_period(double haircut, double from_days, double to_days,
                                              double *out_haircut)
{
    KEEL_TRY(keel_check_nonneg(haircut, __func__, "haircut"));
    KEEL_TRY(keel_check_positive(from_days, __func__, "from_days"));
    KEEL_TRY(keel_check_nonneg(to_days, __func__, "to_days"));
    KEEL_TRY(keel_check_ptr(out_haircut, __func__, "out_haircut"));
    double h = haircut * sqrt(to_days / from_days);
    if (!isfinite(h))
        return keel_fail(KEEL_E_NOT_FINITE, "%s: the scaled haircut overflows", __func__);
    *out_haircut = h;
    return KEEL_OK;
}
