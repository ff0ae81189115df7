/**
 * @file scan.h
 * Scale: batch scans of many accounts (health factors, the accounts closest
 * to liquidation, the liquidations-at-risk curve) and stress tests of one.
 *
 * Batch calls take accounts in compressed sparse rows: account @c i holds
 * positions @c offsets[i] .. @c offsets[i+1]-1 of the arrays @c assets,
 * @c collateral and @c debt, assets in strictly increasing id within an
 * account (as a keel_basket keeps them, so that the sums run in the same
 * order and the results equal keel_basket_metrics() bit for bit: both go
 * through the one valuation kernel). A shard of a larger set passes a
 * pointer into the global offsets (offsets + first) and its count: the
 * offsets index the global arrays, so nothing is copied. The whole offsets
 * array is checked before any position is read.
 */
#ifndef KEEL_SCAN_H
#define KEEL_SCAN_H

#include <stddef.h>

#include "keel/basket.h"
#include "keel/core.h"
#include "keel/haircut.h"
#include "keel/market.h"
#include "keel/options.h"
#include "keel/risk.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------- */
/* Batch scans                                                                              */
/* ---------------------------------------------------------------------------------------- */

/**
 * Every account's health factor, L / W (+inf without debt), without options.
 *
 * With a haircut model whose haircuts do not depend on sizes (no liquidity,
 * concentration or peg add-on, no portfolio mode) this is one streaming pass
 * over the arrays; otherwise each account is valued by the full engine. In
 * the streaming pass, blocks of accounts of four positions run on the widest
 * vector unit the CPU offers (AVX2 or AVX-512, chosen at run time; markets
 * of up to 8 or 16 assets), with the same bits as the scalar path.
 *
 * @param offsets    @p count + 1 non-decreasing offsets.
 * @param assets     asset ids of @p market, strictly increasing within an account.
 * @param collateral units of collateral, finite and >= 0.
 * @param debt       units of debt, finite and >= 0.
 * @param[out] out_health @p count health factors. On failure the accounts before the
 *             failing one may have been written (a single streaming pass).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (offsets decreasing, assets not
 *         increasing within an account, a negative quantity); KEEL_E_OVERFLOW; KEEL_E_NOMEM.
 *         The detail text names the account.
 */
KEEL_API keel_status keel_scan(const keel_market *market, const keel_haircut_model *haircuts,
                               size_t count, const size_t *offsets, const keel_asset *assets,
                               const double *collateral, const double *debt, double *out_health);

/**
 * The @p k accounts closest to liquidation: the smallest health factors, in
 * increasing order (ties by account index).
 *
 * @param k          how many, >= 1; fewer are returned when @p count < k.
 * @param[out] out_index  indices in [0, count) of the accounts.
 * @param[out] out_health their health factors.
 * @param[out] out_found  how many were written (min(k, count)).
 * @return as keel_scan(); KEEL_E_OUT_OF_RANGE for k = 0.
 */
KEEL_API keel_status keel_scan_top_k(const keel_market *market,
                                     const keel_haircut_model *haircuts, size_t count,
                                     const size_t *offsets, const keel_asset *assets,
                                     const double *collateral, const double *debt, size_t k,
                                     size_t *out_index, double *out_health, size_t *out_found);

/**
 * The liquidations-at-risk curve: for each uniform shock s (every asset with
 * a positive volatility moves by the fraction s; assets without volatility,
 * such as stablecoins, stay), the collateral value, at shocked prices, of the
 * accounts whose health factor is then below 1.
 *
 * @param shocks     @p nshocks fractions, each finite and > -1 (e.g. 0, -0.05, ..., -0.5).
 * @param[out] out_value @p nshocks values.
 * @return as keel_scan(); KEEL_E_OUT_OF_RANGE for a shock <= -1.
 */
KEEL_API keel_status keel_liquidations_at_risk(const keel_market *market,
                                               const keel_haircut_model *haircuts, size_t count,
                                               const size_t *offsets, const keel_asset *assets,
                                               const double *collateral, const double *debt,
                                               size_t nshocks, const double *shocks,
                                               double *out_value);

/**
 * Stress test of one account: deterministic shock vectors, each moving the
 * listed assets' prices by fractions, and the account's metrics after each
 * (the options book revalued at the shocked prices).
 *
 * @param options   an options book, or NULL.
 * @param nassets   number of assets shocked, >= 1.
 * @param assets    @p nassets distinct assets of @p market.
 * @param shocks    @p nscenarios x @p nassets fractions (row-major), finite and > -1.
 * @param[out] out  @p nscenarios metrics, each with @c size set by the caller.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_OVERFLOW; KEEL_E_NOT_PSD;
 *         KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_stress(const keel_basket *basket, const keel_options *options,
                                 const keel_market *market, const keel_haircut_model *haircuts,
                                 size_t nscenarios, size_t nassets, const keel_asset *assets,
                                 const double *shocks, keel_metrics *out);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_SCAN_H */
