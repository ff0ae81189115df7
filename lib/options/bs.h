/* The Black-Scholes-Merton kernel for other parts of the library (the book,
 * the account's health): values and greeks of one option, inputs already
 * checked. */
#ifndef KEEL_OPTIONS_BS_H
#define KEEL_OPTIONS_BS_H

#include <stdbool.h>

#include "keel/options.h"

/* Every member of keel_greeks after `size`, in order. */
typedef struct keel_greeks_v {
    double value, delta, gamma, vega, theta, rho, dividend_rho, vanna, volga, charm;
} keel_greeks_v;

/* Bits of the members, by position in keel_greeks_v (value 0 .. charm 9),
 * that keel_bsm() sets to an infinite limit: gamma at the strike with no
 * uncertainty left, theta and charm there too (see bs.c). */
enum { KEEL_GV_GAMMA = 1u << 2, KEEL_GV_THETA = 1u << 4, KEEL_GV_CHARM = 1u << 9 };

/* Fills *g; returns the KEEL_GV_* bits of the members set to +-inf as the
 * true limit (0 but at T = 0 or vol = 0 exactly at the forward). */
unsigned keel_bsm(int is_put, double S, double K, double T, double r, double q, double vol,
                  keel_greeks_v *g);

/* True when every member is finite. */
bool keel_greeks_v_finite(const keel_greeks_v *g);

/* Whether keel_black_scholes() (black76 false) or keel_black76() (true: S
 * the forward, q = r) returns KEEL_OK for these valid inputs. */
bool keel_bsm_representable(int is_put, double S, double K, double T, double r, double q,
                            double vol, bool black76);

/* The checks of keel_black_scholes() on one option's inputs (s_name names
 * the spot: "spot" or "forward"); the status and keel_last_error() text. */
keel_status keel_bs_check_inputs(keel_option_type type, double s, double k, double t, double r,
                                 double q, double vol, const char *fn, const char *s_name);

#endif
