/**
 * @file basket.h
 * keel_basket: collateral and debt quantities per asset.
 *
 * A basket names assets by the keel_asset ids of a market but holds no
 * reference to it: the same basket can be valued against any market that
 * knows its assets. An asset may be both collateral and debt at once.
 */
#ifndef KEEL_BASKET_H
#define KEEL_BASKET_H

#include "keel/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque. Created by keel_basket_new() or keel_basket_clone(), freed by keel_basket_free(). */
typedef struct keel_basket keel_basket;

/** One asset's holding in a basket, as listed by keel_basket_positions(). */
typedef struct keel_position {
    keel_asset asset;  /**< The asset's id in the market. */
    double collateral; /**< Collateral quantity, in asset units, >= 0. */
    double debt;       /**< Debt quantity, in asset units, >= 0. */
} keel_position;

/**
 * Creates an empty basket.
 *
 * @param[out] out the new basket.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_basket_new(keel_basket **out);

/** Frees a basket. NULL, and a handle already freed where detectable, are no-ops. */
KEEL_API void keel_basket_free(keel_basket *basket);

/**
 * Deep copy of a basket.
 *
 * @param[out] out the copy.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_basket_clone(const keel_basket *basket, keel_basket **out);

/**
 * Sets the collateral quantity of an asset (0 removes it).
 *
 * @param asset    any id other than KEEL_ASSET_INVALID; whether the market knows
 *                 it is checked when the basket is valued.
 * @param quantity asset units, finite and >= 0.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (KEEL_ASSET_INVALID); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_basket_set_collateral(keel_basket *basket, keel_asset asset,
                                                double quantity);

/**
 * Sets the debt quantity of an asset (0 removes it).
 *
 * @param quantity asset units, finite and >= 0.
 * @return as keel_basket_set_collateral().
 */
KEEL_API keel_status keel_basket_set_debt(keel_basket *basket, keel_asset asset,
                                          double quantity);

/**
 * Adds @p delta to an asset's collateral quantity (a deposit when > 0, a
 * withdrawal when < 0).
 *
 * @param delta finite; the result must be >= 0 and finite.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE (delta or the sum); KEEL_E_OUT_OF_RANGE (result < 0);
 *         KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_basket_add_collateral(keel_basket *basket, keel_asset asset,
                                                double delta);

/**
 * Adds @p delta to an asset's debt quantity (a borrow when > 0, a repayment
 * when < 0).
 *
 * @return as keel_basket_add_collateral().
 */
KEEL_API keel_status keel_basket_add_debt(keel_basket *basket, keel_asset asset, double delta);

/**
 * Reads an asset's collateral quantity (0 when the basket does not hold it).
 *
 * @param[out] out_quantity the quantity.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_basket_collateral(const keel_basket *basket, keel_asset asset,
                                            double *out_quantity);

/**
 * Reads an asset's debt quantity (0 when the basket does not owe it).
 *
 * @param[out] out_quantity the quantity.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_basket_debt(const keel_basket *basket, keel_asset asset,
                                      double *out_quantity);

/**
 * Lists the basket's positions in increasing asset id; an asset appears once
 * with both its collateral and its debt, and only if one of them is non-zero.
 *
 * @param out        receives min(capacity, count) positions; may be NULL when capacity is 0.
 * @param capacity   number of elements @p out can hold.
 * @param[out] out_count the number of positions in the basket (even when larger than capacity).
 * @return KEEL_OK (also when capacity < count: the first capacity are written);
 *         KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_basket_positions(const keel_basket *basket, keel_position *out,
                                           size_t capacity, size_t *out_count);

/**
 * Removes every position.
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_basket_clear(keel_basket *basket);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_BASKET_H */
