"""The options pricing kernel: Black-Scholes-Merton, Black-76, greeks on one
option or on numpy arrays (no copies), and implied volatility."""

from __future__ import annotations

import ctypes
from ctypes import byref, c_double
from dataclasses import dataclass

from . import _ffi
from .errors import check

_lib = _ffi.lib
GREEK_NAMES = ("value", "delta", "gamma", "vega", "theta", "rho", "dividend_rho", "vanna",
               "volga", "charm")


@dataclass(frozen=True)
class Greeks:
    """Value and greeks of one option. Vega, vanna, volga per 1.00 of
    volatility; rho per 1.00 of rate; theta and charm per year of time passing."""

    value: float
    delta: float
    gamma: float
    vega: float
    theta: float
    rho: float
    dividend_rho: float
    vanna: float
    volga: float
    charm: float


def _type(kind) -> int:
    if kind in ("call", "c", 0):
        return 0
    if kind in ("put", "p", 1):
        return 1
    raise ValueError(f"option type must be 'call' or 'put', got {kind!r}")


def _greeks(fn, *args) -> Greeks:
    g = _ffi.CGreeks()
    g.size = ctypes.sizeof(g)
    check(fn(*args, byref(g)))
    return Greeks(*(getattr(g, n) for n in GREEK_NAMES))


def black_scholes(kind, spot: float, strike: float, expiry: float, rate: float = 0.0,
                  dividend: float = 0.0, vol: float = 0.2) -> Greeks:
    """Black-Scholes-Merton value and greeks of a European call or put.

    >>> round(black_scholes("call", spot=60, strike=65, expiry=0.25, rate=0.08, vol=0.30).value, 4)
    2.1334
    """
    return _greeks(_lib.keel_black_scholes, _type(kind), float(spot), float(strike),
                   float(expiry), float(rate), float(dividend), float(vol))


def black76(kind, forward: float, strike: float, expiry: float, rate: float = 0.0,
            vol: float = 0.2) -> Greeks:
    """Black-76 value and greeks of an option on a forward or future."""
    return _greeks(_lib.keel_black76, _type(kind), float(forward), float(strike), float(expiry),
                   float(rate), float(vol))


def implied_volatility(kind, price: float, spot: float, strike: float, expiry: float,
                       rate: float = 0.0, dividend: float = 0.0) -> float:
    """The volatility at which black_scholes gives `price`; ArbitrageError
    outside the no-arbitrage bounds."""
    out = c_double()
    check(_lib.keel_implied_volatility(_type(kind), float(price), float(spot), float(strike),
                                       float(expiry), float(rate), float(dividend), byref(out)))
    return out.value


def implied_volatility_black76(kind, price: float, forward: float, strike: float,
                               expiry: float, rate: float = 0.0) -> float:
    """The volatility at which black76 gives `price`."""
    out = c_double()
    check(_lib.keel_implied_volatility_black76(_type(kind), float(price), float(forward),
                                               float(strike), float(expiry), float(rate),
                                               byref(out)))
    return out.value


def black_scholes_batch(is_put, spot, strike, expiry, rate, dividend, vol,
                        greeks=GREEK_NAMES) -> dict:
    """Prices arrays of options without copying them: every input a 1-D
    numpy array of one length (`is_put` of int32: 0 call, 1 put; the rest
    float64, C-contiguous). Returns {name: array} for the requested greeks."""
    import numpy as np

    n = len(spot)
    arrays = []
    for name, arr, dtype in (("is_put", is_put, np.int32), ("spot", spot, np.float64),
                             ("strike", strike, np.float64), ("expiry", expiry, np.float64),
                             ("rate", rate, np.float64), ("dividend", dividend, np.float64),
                             ("vol", vol, np.float64)):
        if not isinstance(arr, np.ndarray) or arr.dtype != dtype or arr.ndim != 1 \
                or not arr.flags.c_contiguous or arr.shape[0] != n:
            raise TypeError(f"{name} must be a C-contiguous 1-D {np.dtype(dtype).name} array "
                            f"of length {n}")
        arrays.append(arr)
    unknown = set(greeks) - set(GREEK_NAMES)
    if unknown:
        raise ValueError(f"unknown greeks: {sorted(unknown)}")
    out = {name: np.empty(n) for name in greeks}
    spec = _ffi.CGreeksArrays()
    spec.size = ctypes.sizeof(spec)
    for name, arr in out.items():
        setattr(spec, name, arr.ctypes.data_as(ctypes.POINTER(c_double)))
    ptrs = [a.ctypes.data_as(ctypes.POINTER(ctypes.c_int if i == 0 else c_double))
            for i, a in enumerate(arrays)]
    check(_lib.keel_black_scholes_batch(n, *ptrs, byref(spec)))
    return out
