#!/usr/bin/env python3
"""Reference values for tests/test_options.c (greeks_near_the_limits): the
Black-Scholes-Merton and Black-76 value and greeks at inputs near the
degenerate limits (sigma sqrt(T) -> 0, T -> 0), to 60 digits with mpmath,
each input taken exactly as the double the test passes.

Formulas: Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed.,
1.1.6 (generalised BSM, carry b = r - q) and 2.2-2.3 (vanna, volga, charm);
Black-76 is BSM on the forward with q = r, rho = -T V (Haug 1.1.2). keel's
conventions: theta = -dV/dT, charm = -d delta/dT. Before printing, every
formula is checked against mpmath's numerical derivative of the value (and
of delta for gamma, vanna, charm) at two ordinary points, so a wrong sign
or factor in a formula stops the script.

Run: python3 tests/gen/options_limits.py   (prints the C table rows)
"""
from mpmath import mp, mpf, exp, sqrt, log, npdf, diff
from mpmath import ncdf as mp_ncdf

mp.dps = 60


def ncdf(x):
    # mpmath's erfc gives up beyond |x| ~ 1e17; out there N(x) is 0 or 1
    # to far more than 60 digits of everything it enters (its tail
    # exp(-x^2/2) is below 1e-(10^9) for |x| > 1e5), and every product it
    # enters is far below the double range
    if x > 100000:
        return mpf(1)
    if x < -100000:
        return mpf(0)
    return mp_ncdf(x)


def greeks(is_put, S, K, T, r, q, v, black76=False):
    """value, delta, gamma, vega, theta, rho, dividend rho, vanna, volga, charm"""
    S, K, T, r, q, v = (mpf(a) for a in (S, K, T, r, q, v))
    if black76:
        q = r
    b = r - q
    s = v * sqrt(T)
    d1 = (log(S / K) + b * T) / s + s / 2
    d2 = d1 - s
    dq, dr = exp(-q * T), exp(-r * T)
    pd1 = npdf(d1)
    gamma = dq * pd1 / (S * s)
    vega = S * dq * pd1 * sqrt(T)
    vanna = -dq * pd1 * d2 / v
    volga = vega * d1 * d2 / v
    common = -dq * pd1 * (2 * b * T - d2 * s) / (2 * T * s)
    decay = -S * dq * pd1 * v / (2 * sqrt(T))
    if not is_put:
        value = S * dq * ncdf(d1) - K * dr * ncdf(d2)
        delta = dq * ncdf(d1)
        theta = decay - r * K * dr * ncdf(d2) + q * S * dq * ncdf(d1)
        rho = T * K * dr * ncdf(d2)
        drho = -T * S * dq * ncdf(d1)
        charm = q * dq * ncdf(d1) + common
    else:
        value = K * dr * ncdf(-d2) - S * dq * ncdf(-d1)
        delta = -dq * ncdf(-d1)
        theta = decay + r * K * dr * ncdf(-d2) - q * S * dq * ncdf(-d1)
        rho = -T * K * dr * ncdf(-d2)
        drho = T * S * dq * ncdf(-d1)
        charm = -q * dq * ncdf(-d1) + common
    if black76:
        rho, drho = -T * value, mpf(0)
    return [value, delta, gamma, vega, theta, rho, drho, vanna, volga, charm], d1


def self_check():
    """Each formula against a numerical derivative of the value."""
    for black76 in (False, True):
        for is_put in (False, True):
            S, K, T, r, q, v = mpf("105"), mpf("100"), mpf("0.7"), mpf("0.05"), mpf("0.02"), mpf("0.3")

            def V(S=S, K=K, T=T, r=r, q=q, v=v):
                return greeks(is_put, S, K, T, r, q, v, black76)[0][0]

            def D(S=S, T=T, v=v):
                return greeks(is_put, S, K, T, r, q, v, black76)[0][1]

            g = greeks(is_put, S, K, T, r, q, v, black76)[0]
            fd = [V(), diff(lambda x: V(S=x), S), diff(lambda x: D(S=x), S),
                  diff(lambda x: V(v=x), v), -diff(lambda x: V(T=x), T),
                  diff(lambda x: V(r=x), r) if not black76 else diff(lambda x: V(r=x, q=x), r),
                  diff(lambda x: V(q=x), q) if not black76 else mpf(0),
                  diff(lambda x: D(v=x), v), diff(lambda x: V(v=x), v, 2),
                  -diff(lambda x: D(T=x), T)]
            for name, a, b in zip("value delta gamma vega theta rho drho vanna volga charm".split(),
                                  g, fd):
                assert abs(a - b) <= mpf("1e-40") * (1 + abs(b)), (black76, is_put, name, a, b)


# (put, S or F, K, T, r, q, vol, black76, what it probes)
CASES = [
    (0, 100.0, 100.0, 0.25, 0.05, 0.0, 0.001, 0, "issue 12 (A): 1.2422199506118545, time value 0 to 60 digits"),
    (1, 100.0, 100.1, 1.0 / 525600, 0.0, 0.0, 0.1, 0, "issue 12 (A): 0.0999999999999947, above the intrinsic 0.09999999999999432"),
    (0, 100.0, 102.0, 1.0, 0.05, 0.02, 1e-9, 0, "issue 12: charm at vol 1e-9, in the money: q e^-qT"),
    (1, 100.0, 102.0, 0.5, 0.05, 0.06, 1e-9, 0, "issue 12: in-the-money put, q 6%: -q e^-qT"),
    (1, 100.0, 102.0, 1.0, 0.05, 0.02, 1e-9, 0, "out of the money at vol 1e-9: all 0"),
    (0, 100.0, 100.0, 1.0, 0.0, 0.0, 1e-8, 0, "at the forward, s = 1e-8: gamma ~ 1/s, vanna -> sqrt(T) phi(0)/2"),
    (0, 100.0, 100.0, 1.0, 3.8e-199, 0.0, 1e-200, 0, "h = 38 at s = 1e-200: phi(d1) below the double range, gamma 1e-116"),
    (1, 100.0, 100.0, 1.0, 3.8e-199, 0.0, 1e-200, 0, "the same, put"),
    (0, 100.0, 100.0, 1e-300, 0.05, 0.02, 0.2, 0, "at the money, T = 1e-300: theta -> -inf, charm -> -inf"),
    (1, 100.0, 100.0, 1e-300, 0.05, 0.02, 0.2, 0, "the same, put"),
    (0, 100.0, 100.0, 1e-300, 0.0, 0.0, 1e-10, 0, "at the money, T = 1e-300, vol 1e-10"),
    (0, 100.0, 100.0, 1.0, 0.0, 0.0, 1e-310, 0, "at the money, subnormal vol: s subnormal, gamma 4e307"),
    (0, 100.0, 90.0, 1.0, 0.05, 0.02, 1e-310, 0, "issue 12: subnormal vol, in the money: 12.4092191256113"),
    (1, 100.0, 90.0, 1.0, 0.05, 0.02, 1e-310, 0, "the same, put: 0"),
    (0, 100.0, 99.0, 1e-300, 0.05, 0.02, 0.2, 0, "issue 12: expiry 1e-300, strike 99: about 1.0"),
    (1, 100.0, 99.0, 1e-300, 0.05, 0.02, 0.2, 0, "the same, put"),
    (0, 100.0, 150.0, 1.0, 0.0, 0.0, 0.0135, 0, "h = -30: phi(d1) 1e-196, the plain formulas"),
    (0, 100.0, 150.0, 1.0, 0.0, 0.0, 0.01308, 0, "h = -31: phi(d1) 1e-209, the scaled products"),
    (1, 100.0, 60.0, 0.25, 0.03, 0.01, 0.05, 0, "deep out-of-the-money put, h = -20"),
    (0, 100.0, 100.00041380380047, 1.0 / 525600, 0.05, 0.0, 1e-4, 1,
     "issue 12: Black-76 rho -4.282786847563287e-210"),
    (1, 100.0, 100.00041380380047, 1.0 / 525600, 0.05, 0.0, 1e-4, 1, "the same, put (in the money)"),
    (0, 103.0, 102.0, 1.0, 0.05, 0.0, 1e-9, 1, "issue 12: Black-76 charm at vol 1e-9: r e^-rT"),
    (1, 101.0, 102.0, 1.0, 0.05, 0.0, 1e-9, 1, "Black-76 in-the-money put: -r e^-rT"),
    (0, 100.0, 100.0, 1e-300, 0.05, 0.0, 0.2, 1, "Black-76 at the money, T = 1e-300"),
    (0, 100.0, 100.0, 1.0, 0.05, 0.0, 1e-8, 1, "Black-76 at the forward, s = 1e-8: charm r e^-rT / 2"),
]


def main():
    self_check()
    for put, S, K, T, r, q, v, b76, what in CASES:
        g, d1 = greeks(put, S, K, T, r, q, v, b76)
        print(f"    /* {what} */")
        d1 = max(min(float(d1), 1e300), -1e300)  # only its size matters (tolerance)
        print(f"    {{ {put}, {b76}, {S!r}, {K!r}, {T!r}, {r!r}, {q!r}, {v!r}, {d1:.3g},")
        # each as the nearest double, printed exactly (repr round-trips)
        print("      { " + ", ".join(repr(float(x)) for x in g) + " } },")


if __name__ == "__main__":
    main()
