/* keel_black_scholes_batch(): the checks, the dispatch to the widest
 * kernel this CPU runs (core/cpu.h), the scalar loop and the lane the
 * vector kernels hand back to it. */
#include <math.h>
#include <string.h>

#include "bs.h"
#include "bs_batch.h"
#include "core/core_internal.h"
#include "core/cpu.h"
#include "keel/options.h"
#include "options_internal.h"

void keel_bs_lane(const keel_bs_in *in, size_t i, double *const out[10], keel_bs_first *first)
{
    keel_greeks_v g;
    unsigned limits = keel_bsm(in->type[i] == KEEL_PUT, in->S[i], in->K[i], in->T[i], in->r[i],
                               in->q[i], in->vol[i], &g);
    /* one test for all ten: a sum of finite numbers that is not finite is
     * re-checked member by member (an infinite limit is written as the
     * infinity it is, and reported) */
    double sum = g.value + g.delta + g.gamma + g.vega + g.theta + g.rho + g.dividend_rho +
                 g.vanna + g.volga + g.charm;
    if (!isfinite(sum) && i < first->index && !keel_greeks_v_finite(&g)) {
        first->index = i;
        first->limits = limits;
    }
    const double *m = &g.value;
    for (int k = 0; k < 10; k++)
        if (out[k])
            out[k][i] = m[k];
}

void keel_bs_batch_scalar(size_t count, const keel_bs_in *in, double *const out[10],
                          keel_bs_first *first)
{
    for (size_t i = 0; i < count; i++)
        keel_bs_lane(in, i, out, first);
}

bool keel_bs_valid_scalar(size_t count, const keel_bs_in *in)
{
    return keel_bs_valid_loop(count, in);
}

#ifndef KEEL_HAVE_LIBMVEC
/* no vector kernels here: never chosen (keel_bs_usable) */
void keel_bs_batch_avx2(size_t count, const keel_bs_in *in, double *const out[10],
                        keel_bs_first *first)
{
    keel_bs_batch_scalar(count, in, out, first);
}
void keel_bs_batch_avx512(size_t count, const keel_bs_in *in, double *const out[10],
                          keel_bs_first *first)
{
    keel_bs_batch_scalar(count, in, out, first);
}
bool keel_bs_valid_avx2(size_t count, const keel_bs_in *in)
{
    return keel_bs_valid_loop(count, in);
}
bool keel_bs_valid_avx512(size_t count, const keel_bs_in *in)
{
    return keel_bs_valid_loop(count, in);
}
#endif

/* Whether the batch has a kernel for `isa` that runs here. */
static bool bs_usable(keel_isa isa)
{
#ifdef KEEL_HAVE_LIBMVEC
    return keel_isa_usable(isa) != 0;
#else
    return isa == KEEL_ISA_SCALAR;
#endif
}

keel_isa keel_black_scholes_batch_isa_default(void)
{
    keel_isa best = keel_isa_best();
    return bs_usable(best) ? best : KEEL_ISA_SCALAR;
}

int keel_black_scholes_batch_isa_usable(keel_isa isa)
{
    return (unsigned)isa < KEEL_ISA_COUNT && bs_usable(isa);
}

static keel_status batch(keel_isa isa, size_t count, const keel_option_type *types,
                         const double *spot, const double *strike, const double *expiry,
                         const double *rate, const double *dividend, const double *vol,
                         keel_greeks_arrays *out, const char *fn)
{
    KEEL_TRY(keel_check_sized(out, fn, "out", "keel_greeks_arrays"));
    if (count == 0)
        return KEEL_OK;
    KEEL_TRY(keel_check_ptr(types, fn, "types"));
    KEEL_TRY(keel_check_ptr(spot, fn, "spot"));
    KEEL_TRY(keel_check_ptr(strike, fn, "strike"));
    KEEL_TRY(keel_check_ptr(expiry, fn, "expiry"));
    KEEL_TRY(keel_check_ptr(rate, fn, "rate"));
    KEEL_TRY(keel_check_ptr(dividend, fn, "dividend"));
    KEEL_TRY(keel_check_ptr(vol, fn, "vol"));
    keel_greeks_arrays o = { 0 };
    keel_read_sized(&o, sizeof o, out);
    keel_bs_in in = { types, spot, strike, expiry, rate, dividend, vol };
    /* every input checked before any output is written: one branch-free
     * pass for the common all-valid case, then the checks that name the
     * fault only when something is off */
    bool valid = isa == KEEL_ISA_AVX512 ? keel_bs_valid_avx512(count, &in)
                 : isa == KEEL_ISA_AVX2 ? keel_bs_valid_avx2(count, &in)
                                        : keel_bs_valid_scalar(count, &in);
    if (!valid) {
        for (size_t i = 0; i < count; i++) {
            keel_status s = keel_bs_check_inputs(types[i], spot[i], strike[i], expiry[i], rate[i],
                                                 dividend[i], vol[i], fn, "spot");
            if (s == KEEL_OK)
                continue;
            char detail[512];
            strncpy(detail, keel_last_error(), sizeof detail - 1);
            detail[sizeof detail - 1] = '\0';
            return keel_fail(s, "%s (option %zu)", detail, i);
        }
    }
    double *const outs[10] = { o.value, o.delta, o.gamma, o.vega, o.theta,
                               o.rho, o.dividend_rho, o.vanna, o.volga, o.charm };
    keel_bs_first first = { count, 0 };
    if (isa == KEEL_ISA_AVX512)
        keel_bs_batch_avx512(count, &in, outs, &first);
    else if (isa == KEEL_ISA_AVX2)
        keel_bs_batch_avx2(count, &in, outs, &first);
    else
        keel_bs_batch_scalar(count, &in, outs, &first);
    if (first.index < count && first.limits)
        return keel_fail(KEEL_E_OVERFLOW,
                         "%s: option %zu is at the strike with no volatility or time left, where "
                         "the limit of gamma is infinite (written as such)",
                         fn, first.index);
    if (first.index < count)
        return keel_fail(KEEL_E_OVERFLOW, "%s: a value or greek of option %zu is beyond double range",
                         fn, first.index);
    return KEEL_OK;
}

keel_status keel_black_scholes_batch_isa(keel_isa isa, size_t count, const keel_option_type *types,
                                         const double *spot, const double *strike,
                                         const double *expiry, const double *rate,
                                         const double *dividend, const double *vol,
                                         keel_greeks_arrays *out)
{
    if (!keel_black_scholes_batch_isa_usable(isa))
        return keel_fail(KEEL_E_OUT_OF_RANGE, "%s: target %d does not run here", __func__, (int)isa);
    return batch(isa, count, types, spot, strike, expiry, rate, dividend, vol, out, __func__);
}

keel_status keel_black_scholes_batch(size_t count, const keel_option_type *types,
                                     const double *spot, const double *strike,
                                     const double *expiry, const double *rate,
                                     const double *dividend, const double *vol,
                                     keel_greeks_arrays *out)
{
    return batch(keel_black_scholes_batch_isa_default(), count, types, spot, strike, expiry, rate,
                 dividend, vol, out, __func__);
}
