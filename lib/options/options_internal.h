/* Private view of keel_options for the layers that value it (lib/risk) and
 * plan with it (lib/policy). */
#ifndef KEEL_OPTIONS_INTERNAL_H
#define KEEL_OPTIONS_INTERNAL_H

#include <stdint.h>

#include "core/cpu.h"
#include "keel/options.h"

/* The book's net value and scenario margin in `market`, with the price of
 * `override_asset` replaced by `override_price` (KEEL_ASSET_INVALID: none);
 * `detail` (may be NULL) receives the worst underlying and scenario. */
keel_status keel_options_account(const keel_options *options, const keel_market *market,
                                 keel_asset override_asset, double override_price,
                                 double *value, double *margin, keel_margin_result *detail,
                                 const char *fn);

/* Net delta and gamma of the positions on one underlying, with one price
 * overridden as above. */
keel_status keel_options_delta_gamma(const keel_options *options, const keel_market *market,
                                     keel_asset underlying, double *delta, double *gamma,
                                     const char *fn);

/* The number of positions (keel_options_count() for a checked book). */
size_t keel_options_size(const keel_options *options);

/* Position `index` (< keel_options_size()) into the full-size *out, as
 * keel_options_position() describes it. */
void keel_options_at(const keel_options *options, size_t index, keel_option_position *out);

/* The expiries of all positions in position order into `out`
 * (keel_options_size() doubles): a simulation keeps them to age the book. */
void keel_options_expiries(const keel_options *options, double *out);

/* Ages the book: position i's expiry becomes max(0, expiry0[i] - elapsed)
 * (expiry0 as keel_options_expiries wrote it, for the same positions). */
void keel_options_age(keel_options *options, const double *expiry0, double elapsed);

/* Feeds the margin settings and the positions (as a set: their order does
 * not matter) into fingerprint h. */
uint64_t keel_options_fingerprint(const keel_options *options, uint64_t h);

/* keel_options_clone() for a checked handle and a non-NULL out; errors (only
 * KEEL_E_NOMEM) name `fn`. */
keel_status keel_options_copy(const keel_options *options, keel_options **out, const char *fn);

/* keel_black_scholes_batch() on a chosen dispatch target (tests compare
 * the targets, the benchmark times each): KEEL_E_OUT_OF_RANGE when `isa`
 * does not run here (keel_black_scholes_batch_isa_usable()); otherwise the
 * public function's checks and statuses, its messages naming this one. */
keel_status keel_black_scholes_batch_isa(keel_isa isa, size_t count, const keel_option_type *types,
                                         const double *spot, const double *strike,
                                         const double *expiry, const double *rate,
                                         const double *dividend, const double *vol,
                                         keel_greeks_arrays *out);

/* Whether the batch has a kernel for `isa` that runs on this CPU (the
 * vector ones need x86-64 and glibc's libmvec). */
int keel_black_scholes_batch_isa_usable(keel_isa isa);

/* The target keel_black_scholes_batch() uses: the widest usable one. */
keel_isa keel_black_scholes_batch_isa_default(void);

#endif
