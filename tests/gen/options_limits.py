#!/usr/bin/env python3
"""Reference values for tests/test_options.c: the Black-Scholes-Merton and
Black-76 value and greeks to 60 digits with mpmath, each input taken exactly
as the double the test passes:

- REFS (greeks_near_the_limits): inputs near the degenerate limits
  (sigma sqrt(T) -> 0, T -> 0);
- NEAR_MONEY (greeks_near_the_money): the review's cases (issues 8 and 9:
  in-the-money value, rho and theta near the money at small sigma sqrt(T),
  and at volatility 0 from the closed-form limits), then a fixed random
  stress of 300 options near the money at sigma sqrt(T) from 1e-16 to
  1e-2, each with the scale of the rounding it cannot avoid (floors());
- IMPLIED (implied_volatility_of_tiny_prices): the volatility at which the
  formula gives a tiny or subnormal price (issue 16), by bisection at 700
  digits.

Formulas: Haug, "The Complete Guide to Option Pricing Formulas", 2nd ed.,
1.1.6 (generalised BSM, carry b = r - q) and 2.2-2.3 (vanna, volga, charm);
Black-76 is BSM on the forward with q = r, rho = -T V (Haug 1.1.2). keel's
conventions: theta = -dV/dT, charm = -d delta/dT. Before printing, every
formula is checked against mpmath's numerical derivative of the value (and
of delta for gamma, vanna, charm) at two ordinary points, so a wrong sign
or factor in a formula stops the script.

Run: python3 tests/gen/options_limits.py   (prints the rows of the three C
tables, each after a /* NAME */ line; about a minute)
"""
import random

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


def limits(is_put, S, K, T, r, q, black76=False):
    """The limits at volatility 0 off the strike (docs/options.md): with w
    the call's exercise weight (1 in the money, 0 out; w - 1 for a put),
    value w (S e^-qT - K e^-rT), delta w e^-qT, theta w (q S e^-qT -
    r K e^-rT), rho w T K e^-rT, dividend rho -w T S e^-qT, charm
    w q e^-qT, gamma, vega, vanna, volga 0; Black-76 rho = -T V."""
    S, K, T, r, q = (mpf(a) for a in (S, K, T, r, q))
    if black76:
        q = r
    x = log(S / K) + (r - q) * T
    assert x != 0
    w = (1 if x > 0 else 0) - (1 if is_put else 0)
    sd, kd = S * exp(-q * T), K * exp(-r * T)
    value = w * (sd - kd)
    rho = -T * value if black76 else w * T * kd
    drho = mpf(0) if black76 else -w * T * sd
    z = mpf(0)
    return [value, w * exp(-q * T), z, z, w * (q * sd - r * kd), rho, drho, z, z, w * q * exp(-q * T)]


def carry_terms(q, r, sd, kd, a, b):
    """The size of the terms of theta's carry part q sd A - r kd B in the
    best of its three equal forms (with W = sd A - kd B the value, or minus
    the put's): q sd A - r kd B = q W + (q - r) kd B = r W + (q - r) sd A.
    The rounding of r - q and of the products is a few eps of these."""
    w = sd * a - kd * b
    return min(abs(q * sd * a) + abs(r * kd * b), abs(q * w) + abs((q - r) * kd * b),
               abs(r * w) + abs((q - r) * sd * a))


def floors(is_put, S, K, T, r, q, v, black76=False):
    """The scale of the rounding no double evaluation avoids, per member:
    x = ln(S/K) + (r - q) T carries an absolute error of eps X with
    X = |ln(S/K)| + |(r - q) T| (each term to its own rounding), and
    s = sigma sqrt(T) a relative eps; their effect is |dm/dx| X and
    |dm/d ln sigma| (dm/dx with sqrt(S K) fixed: S e^(d/2), K e^(-d/2)),
    by central differences at 60 digits. Plus the terms theta and charm
    are sums of: theta's decay and carry terms (carry_terms()), charm's
    q e^-qT N(d1) and its common part's e^-qT phi(d1) (X + s^2/2) /
    (2 T s) (the rounding of (r - q) T - ln(S/K)); and Black-76's rho is
    -T V. None of them has the size of S or K when the value is small:
    S - K is exact near the money, so the intrinsic value is not
    excused the rounding of S e^-qT - K e^-rT as a difference."""
    S, K, T, r, q, v = (mpf(a) for a in (S, K, T, r, q, v))
    if black76:
        q = r
    X = abs(log(S / K)) + abs((r - q) * T)
    sd, kd = S * exp(-q * T), K * exp(-r * T)
    if v == 0:
        w = abs((1 if log(S / K) + (r - q) * T > 0 else 0) - (1 if is_put else 0))
        fl = [mpf(0)] * 10
        fl[0] = w * (sd + kd) / 2 * X
        fl[4] = w * carry_terms(q, r, sd, kd, mpf(1), mpf(1))
        if black76:
            fl[5] = T * fl[0]
        return fl
    s = v * sqrt(T)
    g, d1 = greeks(is_put, S, K, T, r, q, v, black76)
    dl = s * mpf("1e-12")
    gp = greeks(is_put, S * exp(dl / 2), K * exp(-dl / 2), T, r, q, v, black76)[0]
    gm = greeks(is_put, S * exp(-dl / 2), K * exp(dl / 2), T, r, q, v, black76)[0]
    dv = mpf("1e-20")
    vp = greeks(is_put, S, K, T, r, q, v * (1 + dv), black76)[0]
    vm = greeks(is_put, S, K, T, r, q, v * (1 - dv), black76)[0]
    fl = [abs(a - b) / (2 * dl) * X + abs(c - d) / (2 * dv) for a, b, c, d in zip(gp, gm, vp, vm)]
    d2 = d1 - s
    a, b = (ncdf(-d1), ncdf(-d2)) if is_put else (ncdf(d1), ncdf(d2))
    fl[4] += S * exp(-q * T) * npdf(d1) * v / (2 * sqrt(T)) + carry_terms(q, r, sd, kd, a, b)
    fl[9] += abs(q * exp(-q * T) * a) + exp(-q * T) * npdf(d1) * (X + s * s / 2) / (2 * T * s)
    if black76:
        fl[5] = T * fl[0]
    return fl


# The review's cases (issues 8, 9): (put, S or F, K, T, r, q, vol, black76, what)
NEAR_CASES = [
    (0, 100.0, 99.9999999999, 1.0, 0.05, 0.0, 0.0, 1,
     "issue 8: Black-76 call, vol 0: (F - K) e^-rT = 9.512464004e-11 (keel had 9.512746146e-11)"),
    (0, 100.0, 99.9999999999, 1.0, 0.05, 0.0, 1e-14, 1, "issue 8: the same at vol 1e-14; rho = -T V"),
    (1, 100.0, 100.0000000001, 1.0, 0.05, 0.0, 1e-14, 1, "the in-the-money put"),
    (0, 100.0, 99.9999999999, 1e-9, 0.05, 0.02, 0.0, 0,
     "issue 8: BSM S 100, K 99.9999999999, T 1e-9, r 5%, q 2%, vol 0 (keel 1.07e-6 off)"),
    (0, 100.0, 99.9999999999, 1e-9, 0.05, 0.02, 1e-3, 0, "the same at vol 1e-3 (s = 3.2e-8)"),
    (1, 100.0, 100.0000000001, 1e-9, 0.02, 0.05, 0.0, 0, "the put, r and q swapped, vol 0"),
    (0, 0.0524517, 0.05245169999999, 2.9e-12, 0.05, 0.02, 1e-4, 0,
     "issue 8: S 0.0524517, T 2.9e-12: a small in-the-money value"),
    (1, 100.0, 99.9999999999999, 1.0, 0.05, 0.0, 2e-15, 1,
     "issue 9: Black-76 put theta -3.164408e-14 (keel had -3.153033e-14)"),
    (0, 100.0, 99.9999999999999, 1.0, 0.05, 0.0, 2e-15, 1, "the call"),
    (1, 100.0, 99.9999999999999, 1.0, 0.05, 0.05, 2e-15, 0, "BSM with q = r: theta = decay + r V too"),
    (0, 100.0, 100.0000000000001, 0.5, 0.03, 0.03, 1e-15, 0, "BSM q = r, out of the money by one ulp"),
]


def stress_points(n, seed=20240611):
    """n options near the money at small sigma sqrt(T): S 1e-2 .. 1e4,
    T 1e-12 .. 10 years, s = sigma sqrt(T) 1e-16 .. 1e-2 (log-uniform);
    the strike at h = ln(F/K)/s uniform in -12 .. 12 (60%), at a relative
    distance 10^-15.5 .. 10^-3 from the spot (30%), or at the spot; rates
    0, 5%, -1% or uniform in +-10%, and the carry 0, 2%, the rate or
    uniform; a third Black-76 (q = r), half puts."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        b76 = rng.random() < 0.35
        put = rng.random() < 0.5
        S = 10 ** rng.uniform(-2, 4)
        T = 10 ** rng.uniform(-12, 1)
        s = 10 ** rng.uniform(-16, -2)
        v = s / T ** 0.5
        u = rng.random()
        r = rng.choice([0.0, 0.05, -0.01, rng.uniform(-0.1, 0.1)])
        q = r if b76 else rng.choice([0.0, r, 0.02, rng.uniform(-0.1, 0.1)])
        if u < 0.6:
            h = rng.uniform(-12, 12)
            K = S * float(exp(mpf((r - q) * T) - mpf(h) * mpf(s)))
        elif u < 0.9:
            K = S * (1 + rng.choice([-1, 1]) * 10 ** rng.uniform(-15.5, -3))
        else:
            K = S
        out.append((int(put), S, K, T, r, q, v, int(b76), None))
    return out


def near_row(put, S, K, T, r, q, v, b76, what):
    if v == 0:
        g, d1 = limits(put, S, K, T, r, q, b76), 0.0
    else:
        g, d1 = greeks(put, S, K, T, r, q, v, b76)
        d1 = max(min(float(d1), 1e300), -1e300)
    fl = floors(put, S, K, T, r, q, v, b76)
    if what:
        print(f"    /* {what} */")
    print(f"    {{ {put}, {b76}, {S!r}, {K!r}, {T!r}, {r!r}, {q!r}, {v!r}, {d1:.3g},")
    print("      { " + ", ".join(repr(float(x)) for x in g) + " },")
    print("      { " + ", ".join(f"{float(x):.2g}" for x in fl) + " } },")


# Implied volatility of tiny and subnormal prices (issue 16): (put, price,
# S or F, K, T, r, q, black76, what). The price is matched exactly as the
# double given, at enough digits for the difference of the two terms of
# the formula (the time value near 1e-300 of terms near 100).
IMPLIED_CASES = [
    (0, 5e-324, 100.0, 150.0, 1.0, 0.0, 0.0, 0, "issue 16: the least subnormal, out of the money"),
    (0, 1e-322, 100.0, 150.0, 1.0, 0.0, 0.0, 0, "a subnormal price (keel gave 0.00703 for both)"),
    (0, 1e-310, 100.0, 150.0, 1.0, 0.0, 0.0, 0, "a subnormal price"),
    (1, 1e-322, 100.0, 60.0, 0.25, 0.03, 0.01, 0, "a put"),
    (0, 5e-324, 100.0, 150.0, 1.0, 0.05, 0.0, 1, "Black-76"),
    (0, 1e-308, 100.0, 100.0, 1.0, 0.0, 0.0, 0,
     "at the money, s = sqrt(2 pi) 1e-310 (subnormal): a volatility keel accepts"),
    (0, 1e-308, 100.0, 100.0, 1.0, 0.05, 0.0, 1, "the same, Black-76"),
    (1, 1e-300, 100.0, 100.0, 1e-300, 0.05, 0.02, 0,
     "x = 3e-302, s below 1e-300: solved for h = x/s"),
]


def implied_vol(put, price, S, K, T, r, q, black76):
    """The volatility at which the formula gives `price`, by bisection (700
    digits: the time value near 1e-300 is a difference of terms near S and
    K)."""
    from mpmath import workdps
    with workdps(700):
        S, K, T, r, q, price = (mpf(a) for a in (S, K, T, r, q, price))
        if black76:
            q = r
        def value(v):
            s = v * sqrt(T)
            d1 = (log(S / K) + (r - q) * T) / s + s / 2
            d2 = d1 - s
            if put:
                return K * exp(-r * T) * ncdf(-d2) - S * exp(-q * T) * ncdf(-d1)
            return S * exp(-q * T) * ncdf(d1) - K * exp(-r * T) * ncdf(d2)
        # bisection on ln v (the value grows with v) to 45 digits
        lo, hi = mpf("1e-400"), mpf("1e10")
        while hi / lo - 1 > mpf("1e-45"):
            mid = sqrt(lo * hi)
            if value(mid) < price:
                lo = mid
            else:
                hi = mid
        v = sqrt(lo * hi)
        assert abs(value(v) / price - 1) < mpf("1e-40"), (value(v), price)
        return +v


def main():
    self_check()
    print("/* REFS */")
    for put, S, K, T, r, q, v, b76, what in CASES:
        g, d1 = greeks(put, S, K, T, r, q, v, b76)
        print(f"    /* {what} */")
        d1 = max(min(float(d1), 1e300), -1e300)  # only its size matters (tolerance)
        print(f"    {{ {put}, {b76}, {S!r}, {K!r}, {T!r}, {r!r}, {q!r}, {v!r}, {d1:.3g},")
        # each as the nearest double, printed exactly (repr round-trips)
        print("      { " + ", ".join(repr(float(x)) for x in g) + " } },")
    print("/* NEAR_MONEY */")
    for row in NEAR_CASES:
        near_row(*row)
    print("    /* the random stress: stress_points(300) */")
    for row in stress_points(300):
        near_row(*row)
    print("/* IMPLIED */")
    for put, price, S, K, T, r, q, b76, what in IMPLIED_CASES:
        v = implied_vol(put, price, S, K, T, r, q, b76)
        print(f"    /* {what} */")
        print(f"    {{ {put}, {b76}, {price!r}, {S!r}, {K!r}, {T!r}, {r!r}, {q!r}, {float(v)!r} }},")


if __name__ == "__main__":
    main()
