/**
 * @file cost.h
 * keel_cost_model: what a trade of an asset costs, in the numeraire and as
 * an effective price.
 *
 * Per asset: a proportional fee, a half-spread, a fixed cost per trade
 * (gas), and price impact of one shape:
 *
 * | shape  | cost of a trade of notional N = |qty| p |
 * | ------ | --------------------------------------- |
 * | none   | 0 |
 * | linear | k N^2 / depth (the price moves k N / depth, linearly in size) |
 * | sqrt   | Y sigma_d sqrt(N / V) N: the square-root law (Almgren et al. 2005; Toth et al. 2011), sigma_d the market's volatility over one day (annual / sqrt(365)), V the daily volume in the numeraire |
 * | pool   | the exact loss against the market price of a swap through a constant-product pool x y = k with its fee (Uniswap v2 whitepaper, section 3.2), never below 0 |
 *
 * Total cost = fee N + half_spread N + impact + fixed (fixed only when qty != 0).
 * Every cost is convex and non-decreasing in size. A pool whose price is away
 * from the market's (its reserves stay put while a simulation moves prices)
 * would quote a gain on one side: the impact is max(0, loss), so no plan
 * counts on an arbitrage and the solvers' convexity holds.
 */
#ifndef KEEL_COST_H
#define KEEL_COST_H

#include "keel/core.h"
#include "keel/market.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque. Created by keel_cost_model_new() or keel_cost_model_clone(), freed by keel_cost_model_free(). */
typedef struct keel_cost_model keel_cost_model;

/** The price-impact shape of an asset. */
typedef enum keel_impact {
    KEEL_IMPACT_NONE = 0,   /**< No impact. */
    KEEL_IMPACT_LINEAR = 1, /**< k N^2 / depth. */
    KEEL_IMPACT_SQRT = 2,   /**< Y sigma_d sqrt(N / V) N. */
    KEEL_IMPACT_POOL = 3    /**< Exact constant-product pool output. */
} keel_impact;

/** The cost of one trade, filled by keel_cost_model_cost(). Set @c size. */
typedef struct keel_trade_cost {
    size_t size;            /**< Set by the caller to sizeof(keel_trade_cost). */
    double notional;        /**< |qty| x market price. */
    double fee;             /**< Proportional fee. */
    double spread;          /**< Half-spread paid. */
    double impact;          /**< Price impact (pool: loss against the market price). */
    double fixed;           /**< Fixed cost (0 for a zero trade). */
    double total;           /**< fee + spread + impact + fixed. */
    double effective_price; /**< (notional + total) / |qty| for a buy, (notional - total) / |qty| for a sale; the market price for qty 0. */
} keel_trade_cost;

/** Initialiser that sets @c size. */
#define KEEL_TRADE_COST_INIT { sizeof(keel_trade_cost), 0, 0, 0, 0, 0, 0, 0 }

/** A swap's result, filled by keel_cost_model_swap(). Set @c size. */
typedef struct keel_swap_result {
    size_t size;        /**< Set by the caller to sizeof(keel_swap_result). */
    double sold;        /**< Units of the asset sold. */
    double proceeds;    /**< Numeraire received for them, net of the sale's costs. */
    double bought;      /**< Units of the other asset bought with the proceeds, net of the purchase's costs. */
    double sell_cost;   /**< The sale's total cost. */
    double buy_cost;    /**< The purchase's total cost. */
    double total_cost;  /**< sell_cost + buy_cost, in the numeraire. */
} keel_swap_result;

/** Initialiser that sets @c size. */
#define KEEL_SWAP_RESULT_INIT { sizeof(keel_swap_result), 0, 0, 0, 0, 0, 0 }

/**
 * Creates a model in which every trade is free.
 *
 * @param[out] out the new model.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_cost_model_new(keel_cost_model **out);

/** Frees a model. NULL, and a handle already freed where detectable, are no-ops. */
KEEL_API void keel_cost_model_free(keel_cost_model *model);

/**
 * Deep copy of a model.
 *
 * @param[out] out the copy.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_cost_model_clone(const keel_cost_model *model, keel_cost_model **out);

/**
 * Sets an asset's proportional fee and half-spread (fractions of notional).
 *
 * @param fee         in [0, 1), e.g. 0.0005 for 5 bps.
 * @param half_spread in [0, 1).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET (KEEL_ASSET_INVALID);
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_cost_model_set_fee(keel_cost_model *model, keel_asset asset, double fee,
                                             double half_spread);

/**
 * Sets an asset's fixed cost per trade (gas), in the numeraire.
 *
 * @param fixed finite and >= 0.
 * @return as keel_cost_model_set_fee().
 */
KEEL_API keel_status keel_cost_model_set_fixed(keel_cost_model *model, keel_asset asset,
                                               double fixed);

/**
 * Linear impact: a trade of notional N costs k N^2 / depth.
 *
 * @param k     finite and >= 0.
 * @param depth numeraire, finite and > 0.
 * @return as keel_cost_model_set_fee().
 */
KEEL_API keel_status keel_cost_model_set_linear_impact(keel_cost_model *model, keel_asset asset,
                                                       double k, double depth);

/**
 * Square-root impact: a trade of notional N costs Y sigma_d sqrt(N / V) N,
 * sigma_d = the market's annual volatility / sqrt(365).
 *
 * @param y      the law's constant Y (of order 1), finite and >= 0.
 * @param volume daily volume V in the numeraire, finite and > 0.
 * @return as keel_cost_model_set_fee().
 */
KEEL_API keel_status keel_cost_model_set_sqrt_impact(keel_cost_model *model, keel_asset asset,
                                                     double y, double volume);

/**
 * Constant-product pool against the numeraire: selling dx of the asset pays
 * out quote_reserve dx (1 - fee) / (base_reserve + dx (1 - fee)); buying dx
 * takes in quote_reserve dx / ((base_reserve - dx)(1 - fee)). The impact is
 * the loss against the market price.
 *
 * @param base_reserve  units of the asset in the pool, finite and > 0.
 * @param quote_reserve numeraire in the pool, finite and > 0.
 * @param fee           the pool's fee, in [0, 1).
 * @return as keel_cost_model_set_fee().
 */
KEEL_API keel_status keel_cost_model_set_pool(keel_cost_model *model, keel_asset asset,
                                              double base_reserve, double quote_reserve,
                                              double fee);

/**
 * Removes an asset's price impact (its fee, spread and fixed cost stay).
 *
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_cost_model_clear_impact(keel_cost_model *model, keel_asset asset);

/**
 * Reads an asset's impact shape.
 *
 * @param[out] out_impact the shape (KEEL_IMPACT_NONE when none is set).
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_cost_model_impact(const keel_cost_model *model, keel_asset asset,
                                            keel_impact *out_impact);

/**
 * The cost of trading @p quantity units of an asset at the market's price.
 *
 * @param quantity signed: > 0 buys, < 0 sells; finite.
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_NOT_FINITE;
 *         KEEL_E_INFEASIBLE (a purchase of the pool's whole reserve or more);
 *         KEEL_E_OUT_OF_RANGE (@c out->size too small); KEEL_E_OVERFLOW.
 */
KEEL_API keel_status keel_cost_model_cost(const keel_cost_model *model, const keel_market *market,
                                          keel_asset asset, double quantity, keel_trade_cost *out);

/**
 * A swap of @p quantity units of @p from into @p to: a sale of @p from and a
 * purchase of @p to with the net proceeds, each with its costs. Buying with a
 * given budget is solved exactly (the purchase cost is increasing in size).
 *
 * @param quantity units of @p from, finite and >= 0.
 * @param[in,out] out @c out->size must be set.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET; KEEL_E_NOT_FINITE;
 *         KEEL_E_OUT_OF_RANGE; KEEL_E_INFEASIBLE (the proceeds do not cover the purchase's
 *         fixed cost; or, buying from a pool, they exceed what even the last double below
 *         its reserve costs: the answer lies within one ulp of the reserve); KEEL_E_OVERFLOW.
 *         Proceeds of 0 buy 0 units when the purchase has no fixed cost.
 */
KEEL_API keel_status keel_cost_model_swap(const keel_cost_model *model, const keel_market *market,
                                          keel_asset from, keel_asset to, double quantity,
                                          keel_swap_result *out);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_COST_H */
