/* The Black-Scholes-Merton kernel for other parts of the library (the book,
 * the account's health): values and greeks of one option, inputs already
 * checked. */
#ifndef KEEL_OPTIONS_BS_H
#define KEEL_OPTIONS_BS_H

/* Every member of keel_greeks after `size`, in order. */
typedef struct keel_greeks_v {
    double value, delta, gamma, vega, theta, rho, dividend_rho, vanna, volga, charm;
} keel_greeks_v;

void keel_bsm(int is_put, double S, double K, double T, double r, double q, double vol,
              keel_greeks_v *g);

#endif
