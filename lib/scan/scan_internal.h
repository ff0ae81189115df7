/* The vector kernels of the batch scan (lib/scan/scan_simd.c) and the
 * internal entry that lets tests run the scan on a chosen dispatch target.
 *
 * A kernel values a prefix of the accounts it is given, four positions per
 * account, in blocks of 4 (AVX2) or 8 (AVX-512) accounts: contiguous loads,
 * the per-asset terms looked up in registers, the products taken per
 * position and summed per account after an in-register transpose, in
 * increasing position order and starting from +0 -- the operations of
 * keel_kernel_add and keel_kernel_metrics in the same order, without fused
 * multiply-adds, so the bits are keel_basket_metrics'. A block is left to
 * the scalar path (which reports errors with the account named) when its
 * accounts do not all hold exactly four positions, when a position fails
 * a check (unknown or non-increasing id, a quantity negative, NaN or
 * infinite), or when a sum could overflow. */
#ifndef KEEL_SCAN_INTERNAL_H
#define KEEL_SCAN_INTERNAL_H

#include <stddef.h>

#include "core/cpu.h"
#include "keel/scan.h"

/* Per-asset terms the kernels read: the table's price, 1 - h_maint and
 * borrow factor for assets 0 .. n-1. */
typedef struct keel_scan_terms {
    size_t n;
    const double *price, *om, *bf;
} keel_scan_terms;

/* Values accounts 0 .. j-1 of offsets[0 .. n] (the positions at
 * offsets[i] .. offsets[i+1]-1 of assets, q, d) and returns j <= n, the
 * first account it left (see above): hf[i] is the health factor and, when
 * cv is not NULL, cv[i] the collateral value. */
typedef size_t (*keel_scan_kernel)(const keel_scan_terms *t, size_t n, const size_t *offsets,
                                   const keel_asset *assets, const double *q, const double *d,
                                   double *hf, double *cv);

/* The kernel for @p isa and @p nassets assets, or NULL when there is none
 * (scalar, a target not compiled in, or more assets than its registers
 * hold: 8 for AVX2, 16 for AVX-512). */
keel_scan_kernel keel_scan_kernel_for(keel_isa isa, size_t nassets);

/* keel_scan on a chosen target (tests compare every usable target with
 * the scalar path and with keel_basket_metrics). */
keel_status keel_scan_isa(keel_isa isa, const keel_market *market,
                          const keel_haircut_model *haircuts, size_t count,
                          const size_t *offsets, const keel_asset *assets,
                          const double *collateral, const double *debt, double *out_health);

/* keel_liquidations_at_risk on a chosen target. */
keel_status keel_liquidations_at_risk_isa(keel_isa isa, const keel_market *market,
                                          const keel_haircut_model *haircuts, size_t count,
                                          const size_t *offsets, const keel_asset *assets,
                                          const double *collateral, const double *debt,
                                          size_t nshocks, const double *shocks,
                                          double *out_value);

#endif
