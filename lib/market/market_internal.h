/* Private view of keel_market for the modules that value positions. Read-only
 * accessors only: no other module reaches into the struct. */
#ifndef KEEL_MARKET_INTERNAL_H
#define KEEL_MARKET_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "keel/market.h"

/* KEEL_OK when `asset` is in the market, else KEEL_E_UNKNOWN_ASSET naming `fn`. */
keel_status keel_market_check_asset(const keel_market *market, keel_asset asset, const char *fn);

/* Number of assets; ids below it are valid. */
size_t keel_market_size(const keel_market *market);
/* Fields of a valid id (no checks). */
double keel_market_price_unchecked(const keel_market *market, keel_asset asset);
double keel_market_volatility_unchecked(const keel_market *market, keel_asset asset);
/* Sets a checked asset's volatility (finite, >= 0: the caller's check). */
void keel_market_set_volatility_unchecked(keel_market *market, keel_asset asset, double volatility);
double keel_market_depth_unchecked(const keel_market *market, keel_asset asset);
double keel_market_carry_unchecked(const keel_market *market, keel_asset asset);
double keel_market_rate_unchecked(const keel_market *market);
/* Correlation of two valid ids (1 on the diagonal, 0 when unset). */
double keel_market_correlation_unchecked(const keel_market *market, keel_asset a, keel_asset b);

/* The m x m correlation matrix (row-major) of assets `ids`, valid and in
 * strictly increasing order: one merge of each row with the sorted sparse
 * store instead of m^2 searches. */
void keel_market_correlation_matrix(const keel_market *market, const keel_asset *ids, size_t m,
                                    double *rho);

/* Whether every principal submatrix of the correlations (any assets, unit
 * diagonal) is known positive definite by a margin (lambda_min >= 1e-6):
 * keel_cholesky_psd would accept each, so portfolio valuation skips it.
 * Maintained by the correlation writes (market.c, refresh_factor), which
 * also keep the dense matrix keel_market_correlation_matrix gathers from;
 * reads change nothing. */
bool keel_market_correlations_certified(const keel_market *market);

/* Tests only: 1 makes the readers of this market ignore the factor and its
 * certificate (the uncached path), 0 restores them (a per-handle switch: the
 * library keeps no global state). */
void keel_market_factor_disable(keel_market *market, int disabled);

/* Feeds every input that values a position (rate, each asset's price,
 * volatility, carry and depth, the correlations) into fingerprint h. */
uint64_t keel_market_fingerprint(const keel_market *market, uint64_t h);

/* Sets one known asset's price, checked > 0 and finite by the caller. */
void keel_market_set_price_unchecked(keel_market *market, keel_asset asset, double price);

/* Sets the first `count` prices, each already known finite and > 0. */
void keel_market_set_prices_unchecked(keel_market *market, const double *prices, size_t count);

/* keel_market_clone() for a checked handle and a non-NULL out; errors (only
 * KEEL_E_NOMEM) name `fn`. */
keel_status keel_market_copy(const keel_market *market, keel_market **out, const char *fn);

#endif
