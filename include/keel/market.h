/**
 * @file market.h
 * keel_market: the assets, their prices, volatilities, carry and liquidity,
 * one risk-free rate, and pairwise correlations.
 *
 * Prices are in one numeraire. Rates, carry and volatilities are annual,
 * continuously compounded, with time in years (ACT/365). A market is
 * updated by its owner on every tick; reading functions take it as const
 * and never change it, so many threads may read one market at once.
 */
#ifndef KEEL_MARKET_H
#define KEEL_MARKET_H

#include "keel/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Opaque. Created by keel_market_new() or keel_market_clone(), freed by keel_market_free(). */
typedef struct keel_market keel_market;

/** Longest asset symbol, in bytes, not counting the terminating NUL. */
#define KEEL_SYMBOL_MAX 31

/**
 * Creates an empty market: no assets, risk-free rate 0.
 *
 * @param[out] out the new market.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_market_new(keel_market **out);

/** Frees a market. NULL, and a handle already freed where detectable, are no-ops. */
KEEL_API void keel_market_free(keel_market *market);

/**
 * Deep copy of a market: later changes to one do not affect the other.
 *
 * @param[out] out the copy.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_market_clone(const keel_market *market, keel_market **out);

/**
 * Adds an asset. Its id is the number of assets before the call (0, 1, 2, ...).
 *
 * A new asset has volatility 0, carry 0, infinite liquidity depth and
 * correlation 0 with every other asset.
 *
 * @param symbol 1 to KEEL_SYMBOL_MAX printable ASCII characters (0x21..0x7E),
 *               unique within the market (compared byte for byte).
 * @param price  price in the numeraire, finite and > 0.
 * @param[out] out_asset the new asset's id; may be NULL.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_INVALID_SYMBOL;
 *         KEEL_E_DUPLICATE; KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (price <= 0);
 *         KEEL_E_OVERFLOW (more than 2^32 - 2 assets); KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_market_add_asset(keel_market *market, const char *symbol,
                                           double price, keel_asset *out_asset);

/**
 * Looks an asset up by symbol.
 *
 * @param[out] out_asset its id.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FOUND.
 */
KEEL_API keel_status keel_market_find(const keel_market *market, const char *symbol,
                                      keel_asset *out_asset);

/**
 * Number of assets in the market; ids run from 0 to count - 1.
 *
 * @param[out] out_count the count.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_market_asset_count(const keel_market *market, size_t *out_count);

/**
 * Copies an asset's symbol into a caller buffer.
 *
 * @param buffer       receives the symbol and a NUL; KEEL_SYMBOL_MAX + 1 bytes always suffice.
 * @param buffer_size  size of @p buffer in bytes.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_BUFFER_TOO_SMALL (buffer untouched).
 */
KEEL_API keel_status keel_market_symbol(const keel_market *market, keel_asset asset,
                                        char *buffer, size_t buffer_size);

/**
 * Sets an asset's price.
 *
 * @param price in the numeraire, finite and > 0.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NULL_ARG; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_market_set_price(keel_market *market, keel_asset asset, double price);

/**
 * Sets the prices of assets 0 .. count-1 in one call, as on a price tick.
 * Every price is checked before any is written: on failure none changes.
 *
 * @param prices @p count prices, each finite and > 0.
 * @param count  at most the number of assets.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET
 *         (count larger than the number of assets); KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_market_set_prices(keel_market *market, const double *prices,
                                            size_t count);

/**
 * Reads an asset's price.
 *
 * @param[out] out_price the price.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET.
 */
KEEL_API keel_status keel_market_price(const keel_market *market, keel_asset asset,
                                       double *out_price);

/**
 * Sets an asset's annual volatility (standard deviation of log returns per
 * square root of a year; 0.8 means 80%).
 *
 * @param volatility finite and >= 0.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NULL_ARG; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE.
 */
KEEL_API keel_status keel_market_set_volatility(keel_market *market, keel_asset asset,
                                                double volatility);

/**
 * Reads an asset's annual volatility.
 *
 * @param[out] out_volatility the volatility.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET.
 */
KEEL_API keel_status keel_market_volatility(const keel_market *market, keel_asset asset,
                                            double *out_volatility);

/**
 * Sets an asset's carry: its continuous annual yield (dividend, staking or
 * lending yield; negative for a holding cost). Used as q in option pricing.
 *
 * @param carry finite.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NULL_ARG; KEEL_E_UNKNOWN_ASSET; KEEL_E_NOT_FINITE.
 */
KEEL_API keel_status keel_market_set_carry(keel_market *market, keel_asset asset, double carry);

/**
 * Reads an asset's carry.
 *
 * @param[out] out_carry the continuous annual yield.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET.
 */
KEEL_API keel_status keel_market_carry(const keel_market *market, keel_asset asset,
                                       double *out_carry);

/**
 * Sets an asset's liquidity depth: the numeraire value a trade can absorb
 * (the scale of size-dependent haircuts and price impact).
 *
 * @param depth > 0; +INFINITY means unlimited (the default). NaN is refused.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NULL_ARG; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE (NaN); KEEL_E_OUT_OF_RANGE (<= 0).
 */
KEEL_API keel_status keel_market_set_depth(keel_market *market, keel_asset asset, double depth);

/**
 * Reads an asset's liquidity depth.
 *
 * @param[out] out_depth the depth in the numeraire; +INFINITY when unlimited.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET.
 */
KEEL_API keel_status keel_market_depth(const keel_market *market, keel_asset asset,
                                       double *out_depth);

/**
 * Sets the risk-free rate (continuous, annual).
 *
 * @param rate finite.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_NOT_FINITE.
 */
KEEL_API keel_status keel_market_set_rate(keel_market *market, double rate);

/**
 * Reads the risk-free rate.
 *
 * @param[out] out_rate the rate.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE.
 */
KEEL_API keel_status keel_market_rate(const keel_market *market, double *out_rate);

/**
 * Sets the correlation of two assets' log returns, for both orders (the
 * matrix stays symmetric). An asset's correlation with itself is 1 and
 * cannot be set to anything else.
 *
 * Whether the whole matrix is positive semi-definite is checked where it is
 * used (portfolio haircuts, simulation), not here, since a caller sets it
 * one pair at a time.
 *
 * Cost: the pairs are kept sorted, so a new pair moves the ones after it:
 * O(p) for p pairs stored. While at most 64 assets are correlated, each
 * write also rebuilds their dense matrix and its factor (O(64^3) at most,
 * about 0.2 ms; the first write reserves 66 kB for it) so that portfolio
 * valuations need not factor it (keel_haircut_model_set_portfolio_mode()).
 * To set many pairs (a whole matrix), use keel_market_set_correlations(),
 * O(p + k log k) for k pairs in any order, one rebuild.
 *
 * @param rho in [-1, 1]; for a == b only 1 is accepted.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NULL_ARG; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_market_set_correlation(keel_market *market, keel_asset a,
                                                 keel_asset b, double rho);

/**
 * Sets @p count correlations at once: pair i is (a[i], b[i]) with rho[i],
 * exactly as the calls keel_market_set_correlation(market, a[i], b[i], rho[i])
 * for i = 0, 1, ... would leave the market (a pair given twice keeps its
 * last value; 0 removes a pair), but all or nothing: every pair is checked
 * before the market changes, and a failure changes nothing.
 *
 * Cost: O(p + k log k) time and O(p + k) memory for k pairs given and p
 * stored, in any order (one sort of the batch, one merge).
 *
 * @param count the number of pairs; 0 changes nothing (the arrays may be NULL).
 * @param a, b  @p count asset ids of @p market each.
 * @param rho   @p count correlations in [-1, 1]; where a[i] == b[i] only 1.
 * @return KEEL_OK; KEEL_E_BAD_HANDLE; KEEL_E_NULL_ARG; KEEL_E_UNKNOWN_ASSET;
 *         KEEL_E_NOT_FINITE; KEEL_E_OUT_OF_RANGE (the detail names the pair);
 *         KEEL_E_OVERFLOW; KEEL_E_NOMEM.
 */
KEEL_API keel_status keel_market_set_correlations(keel_market *market, size_t count,
                                                  const keel_asset *a, const keel_asset *b,
                                                  const double *rho);

/**
 * Reads the correlation of two assets (1 when a == b, 0 when never set).
 *
 * @param[out] out_rho the correlation.
 * @return KEEL_OK; KEEL_E_NULL_ARG; KEEL_E_BAD_HANDLE; KEEL_E_UNKNOWN_ASSET.
 */
KEEL_API keel_status keel_market_correlation(const keel_market *market, keel_asset a,
                                             keel_asset b, double *out_rho);

#ifdef __cplusplus
}
#endif

#endif /* KEEL_MARKET_H */
