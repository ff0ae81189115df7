#!/usr/bin/env python3
"""Reference values for tests/test_options.c, implied_volatility_accuracy:
Black-76 options (rate 0, expiry 1, strike 1, forward e^x) over a sweep of
log-moneyness x and sigma sqrt(T), calls and puts. Each price is the
60-digit mpmath price rounded to a double; the reference volatility is the
exact root, to 50 digits, of the formula at that double price (Newton on
ln price in mpmath, 60 digits), printed as a double and the double of its
remainder; cond = price / (sigma vega), the relative change of sigma per
relative change of the price (the condition number of the inversion).
Points whose time value is below 1e-12 of the price are left out (there the
price says nothing of the volatility).

Run: python3 tests/gen/implied_accuracy.py   (prints the C rows; about a minute)
"""
from mpmath import mp, mpf, e, log, ncdf, npdf

mp.dps = 60


def black(F, K, s, call):
    d1 = log(F / K) / s + s / 2
    d2 = d1 - s
    if call:
        return F * ncdf(d1) - K * ncdf(d2)
    return K * ncdf(-d2) - F * ncdf(-d1)


def vega(F, K, s):
    return F * npdf(log(F / K) / s + s / 2)


XS = [-30, -8, -3, -1, -0.3, -0.05, -1e-3, -1e-6, 0, 1e-6, 1e-3, 0.05, 0.3, 1, 3, 8, 30]
SS = [1e-3, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 4, 8]
for x in XS:
    F = float(e ** mpf(x))
    Fm, K = mpf(F), mpf(1)
    for s in SS:
        for call in (True, False):
            p = float(black(Fm, K, mpf(s), call))
            if p <= 0:
                continue
            P = mpf(p)
            intr = max(Fm - K, 0) if call else max(K - Fm, 0)
            if P - intr <= P * mpf(1e-12):
                continue
            sig = mpf(s)
            for _ in range(300):
                b = black(Fm, K, sig, call)
                d = (log(b) - log(P)) * b / vega(Fm, K, sig)
                sig = max(sig - d, sig / 4)
                if abs(d) < mpf(10) ** -50 * sig:
                    break
            else:
                raise SystemExit(f"no convergence at x={x} s={s}")
            hi = float(sig)
            lo = float(sig - mpf(hi))
            cond = float(P / (sig * vega(Fm, K, sig)))
            print(f"    {{ {'KEEL_CALL' if call else 'KEEL_PUT'}, {F!r}, {p!r}, {hi!r}, {lo!r}, {cond!r} }},")
