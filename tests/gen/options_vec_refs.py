#!/usr/bin/python3
"""60-digit mpmath values of the European option's value and nine greeks at
a handful of ordinary options (the vector batch kernel's domain), for
tests/test_options_vec.c (VEC_REFS): the Black-Scholes-Merton formulas
(Haug, 2nd ed., 1.1.6 and 2.2-2.3), each greek first checked against
mpmath's numerical derivative of the value. Prints C rows."""
from mpmath import mp, mpf, sqrt, exp, log, ncdf, npdf, diff

mp.dps = 60


def bsm(put, S, K, T, r, q, v):
    s = v * sqrt(T)
    d1 = (log(S / K) + (r - q) * T) / s + s / 2
    d2 = d1 - s
    dq, dr = exp(-q * T), exp(-r * T)
    w = -1 if put else 1
    value = w * (S * dq * ncdf(w * d1) - K * dr * ncdf(w * d2))
    return value, d1, d2


def members(put, S, K, T, r, q, v):
    value, d1, d2 = bsm(put, S, K, T, r, q, v)
    f = lambda S_=S, T_=T, r_=r, q_=q, v_=v: bsm(put, S_, K, T_, r_, q_, v_)[0]
    out = [value,
           diff(lambda x: f(S_=x), S),
           diff(lambda x: f(S_=x), S, 2),
           diff(lambda x: f(v_=x), v),
           -diff(lambda x: f(T_=x), T),
           diff(lambda x: f(r_=x), r),
           diff(lambda x: f(q_=x), q),
           diff(lambda x, y: f(S_=x, v_=y), (S, v), (1, 1)),
           diff(lambda x: f(v_=x), v, 2),
           -diff(lambda x, y: f(S_=x, T_=y), (S, T), (1, 1))]
    # closed forms (Haug), checked against the derivatives above
    w = -1 if put else 1
    s = v * sqrt(T)
    dq, dr = exp(-q * T), exp(-r * T)
    p = npdf(d1)
    closed = [value, w * dq * ncdf(w * d1), dq * p / (S * s), S * dq * p * sqrt(T),
              -S * dq * p * v / (2 * sqrt(T)) - w * r * K * dr * ncdf(w * d2)
              + w * q * S * dq * ncdf(w * d1),
              w * T * K * dr * ncdf(w * d2), -w * T * S * dq * ncdf(w * d1),
              -dq * p * d2 / v, S * dq * p * sqrt(T) * d1 * d2 / v,
              w * q * dq * ncdf(w * d1) - dq * p * (2 * (r - q) * T - d2 * s) / (2 * T * s)]
    for a, b in zip(out, closed):
        assert abs(a - b) <= mpf(10) ** -30 * (1 + abs(b)), (a, b)
    return closed, d1


ROWS = [  # put, S, K, T, r, q, vol
    (0, 100.0, 100.0, 1.0, 0.05, 0.02, 0.2),
    (1, 100.0, 100.0, 1.0, 0.05, 0.02, 0.2),
    (0, 104.0, 70.0, 0.25, 0.03, 0.01, 0.26),
    (1, 104.0, 70.0, 0.25, 0.03, 0.01, 0.26),
    (0, 100.0, 125.0, 0.5, 0.01, 0.0, 0.35),
    (1, 113.0, 123.0, 0.0547945205479452, 0.03, 0.01, 0.18),
    (0, 100.0, 83.285, 1.8181, -0.005, 0.03, 0.395),
    (1, 100.0, 108.236, 0.327162, 0.04, 0.01, 0.735),
    (0, 50.0, 52.0, 0.1, 0.06, 0.0, 0.6),
    (1, 2500.0, 2000.0, 2.0, 0.02, 0.015, 0.15),
    (0, 1.25, 1.3, 0.75, 0.045, 0.03, 0.09),
    (1, 100.0, 60.0, 2.0, 0.0, 0.0, 0.8),
]

for put, S, K, T, r, q, v in ROWS:
    m, d1 = members(put, mpf(S), mpf(K), mpf(T), mpf(r), mpf(q), mpf(v))
    vals = ", ".join(repr(float(x)) for x in m)
    print(f"    {{ {put}, {S!r}, {K!r}, {T!r}, {r!r}, {q!r}, {v!r}, {float(d1):.3g},\n      {{ {vals} }} }},")
