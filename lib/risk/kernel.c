/* The per-asset table of a linear model (lib/risk/kernel.h). */
#include "core/core_internal.h"
#include "haircut/haircut_internal.h"
#include "kernel.h"
#include "market/market_internal.h"

keel_status keel_kernel_table_init(keel_kernel_table *t, const keel_market *market,
                                   const keel_haircut_model *haircuts, const char *fn)
{
    size_t n = keel_market_size(market), m = n ? n : 1;
    *t = (keel_kernel_table){ .n = n };
    t->price = keel_alloc_array(5 * m, sizeof *t->price);
    if (t->price == NULL)
        return keel_fail(KEEL_E_NOMEM, "%s: out of memory for the terms of %zu assets", fn, n);
    t->oi = t->price + m;
    t->om = t->oi + m;
    t->bf = t->om + m;
    t->sched = t->bf + m;
    for (keel_asset a = 0; a < n; a++) {
        double hi, hm;
        keel_risk_linear_terms(market, haircuts, a, &hi, &hm, &t->bf[a]);
        t->oi[a] = 1.0 - hi;
        t->om[a] = 1.0 - hm;
        t->sched[a] = keel_haircut_terms(haircuts, a).has_schedule ? 1.0 : 0.0;
        t->price[a] = keel_market_price_unchecked(market, a);
    }
    return KEEL_OK;
}

void keel_kernel_table_free(keel_kernel_table *t)
{
    keel_dealloc(t->price);
    *t = (keel_kernel_table){ 0 };
}
