/**
 * @file haircut.h
 * keel_haircut_model: how much each unit of collateral counts and how much
 * each unit of debt weighs.
 *
 * The first kind of model is a fixed schedule, as lending protocols publish:
 * per collateral asset an initial haircut h_init (the protocol's loan-to-value
 * is 1 - h_init) and a maintenance haircut h_maint (its liquidation threshold
 * is 1 - h_maint), with 0 <= h_maint <= h_init < 1; per debt asset a borrow
 * factor b >= 1 that scales the debt's weight.
 *
 * An asset with no haircut set counts for nothing as collateral (its
 * haircuts read as 1). A debt asset with no borrow factor set has b = 1.
 *
 * Like a basket, a model names assets by id and holds no reference to a market.
 */
#ifndef KEEL_HAIRCUT_H
#define KEEL_HAIRCUT_H

#include "keel/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque. Created by keel_haircut_model_new() or keel_haircut_model_clone(), freed by keel_haircut_model_free(). */
typedef struct keel_haircut_model keel_haircut_model;

/**
 * Creates an empty fixed-schedule model (no asset counts as collateral yet).
 *
 * @param[out] out the new model.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_new(keel_haircut_model **out);

/** Frees a model. NULL, and a handle already freed where detectable, are no-ops. */
KEEL_API void keel_haircut_model_free(keel_haircut_model *model);

/**
 * Deep copy of a model.
 *
 * @param[out] out the copy.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_clone(const keel_haircut_model *model,
                                              keel_haircut_model **out);

/**
 * Sets an asset's initial and maintenance haircuts.
 *
 * @param initial     fraction of value that does not count toward borrowing power, in [0, 1).
 * @param maintenance fraction of value that does not count toward the health factor,
 *                    in [0, initial].
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_set_asset(keel_haircut_model *model, keel_asset asset,
                                                  double initial, double maintenance);

/**
 * Reads an asset's haircuts.
 *
 * @param[out] out_initial     the initial haircut; 1 when none is set.
 * @param[out] out_maintenance the maintenance haircut; 1 when none is set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_asset(const keel_haircut_model *model, keel_asset asset,
                                              double *out_initial, double *out_maintenance);

/**
 * Removes an asset's haircuts, so that it counts for nothing as collateral.
 * Removing an asset that has none is not an error.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_clear_asset(keel_haircut_model *model, keel_asset asset);

/**
 * Sets a debt asset's borrow factor: its debt weighs b times its value.
 *
 * @param factor finite and >= 1.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_haircut_model_set_borrow_factor(keel_haircut_model *model,
                                                          keel_asset asset, double factor);

/**
 * Reads a debt asset's borrow factor.
 *
 * @param[out] out_factor the factor; 1 when none is set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_haircut_model_borrow_factor(const keel_haircut_model *model,
                                                      keel_asset asset, double *out_factor);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_HAIRCUT_H */
