"""The options pricing kernel: Black-Scholes-Merton, Black-76, greeks on one
option or on numpy arrays (no copies), and implied volatility."""

from __future__ import annotations

import ctypes
import math
from ctypes import byref, c_double
from dataclasses import dataclass

from . import _ffi
from ._core import U32_MAX, _Handle, _asset, _int, _h
from ._defaults import c_struct, fill
from .errors import NotFiniteError, OutOfRangeError, check


def _pid(pid) -> int:
    """A position id (keel's uint32_t), range-checked: ctypes would wrap it."""
    return _int(pid, "position id", 0, U32_MAX)

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


def _vol(vol) -> float:
    if vol is None:  # no default volatility: C has none, and any number would be a guess
        raise TypeError("vol is required (annual volatility, >= 0)")
    return float(vol)


def black_scholes(kind, spot: float, strike: float, expiry: float, rate: float = 0.0,
                  dividend: float = 0.0, vol: float | None = None) -> Greeks:
    """Black-Scholes-Merton value and greeks of a European call or put. `vol`
    is required (positional after dividend, or by keyword); rate and dividend
    default to 0.

    >>> round(black_scholes("call", spot=60, strike=65, expiry=0.25, rate=0.08, vol=0.30).value, 4)
    2.1334
    """
    return _greeks(_lib.keel_black_scholes, _type(kind), float(spot), float(strike),
                   float(expiry), float(rate), float(dividend), _vol(vol))


def black76(kind, forward: float, strike: float, expiry: float, rate: float = 0.0,
            vol: float | None = None) -> Greeks:
    """Black-76 value and greeks of an option on a forward or future; `vol`
    is required, rate defaults to 0."""
    return _greeks(_lib.keel_black76, _type(kind), float(forward), float(strike), float(expiry),
                   float(rate), _vol(vol))


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


def _iv_batch(fn, is_put, columns, return_status):
    import numpy as np

    arrays = np.broadcast_arrays(np.asarray(is_put), *(np.asarray(c, dtype=np.float64)
                                                       for c in columns))
    if arrays[0].ndim > 1:
        raise ValueError("implied volatility batches take scalars and 1-D arrays")
    kinds = np.ascontiguousarray(arrays[0], dtype=np.int32).reshape(-1)
    cols = [np.ascontiguousarray(a, dtype=np.float64).reshape(-1) for a in arrays[1:]]
    n = kinds.shape[0]
    vols = np.empty(n)
    status = np.empty(n, dtype=np.int32)
    dp = ctypes.POINTER(c_double)
    st = fn(n, kinds.ctypes.data_as(ctypes.POINTER(ctypes.c_int)),
            *(c.ctypes.data_as(dp) for c in cols), vols.ctypes.data_as(dp),
            status.ctypes.data_as(ctypes.POINTER(ctypes.c_int)))
    if return_status:
        return vols, status
    check(st)
    return vols


def implied_volatility_batch(is_put, price, spot, strike, expiry, rate=0.0, dividend=0.0,
                             return_status: bool = False):
    """Black-Scholes-Merton implied volatilities of many options at once
    (keel_implied_volatility_batch): each argument a scalar or a 1-D array,
    broadcast together (`is_put`: 0 or False for a call, 1 or True for a
    put). Each option is solved exactly as implied_volatility() solves it,
    bit for bit.

    By default an option that cannot be solved raises its error (the first
    such, naming its index) after all are solved; with
    ``return_status=True`` nothing is raised for a bad option and the call
    returns ``(vols, status)``: vols NaN where status (an int32 array of
    keel statuses, 0 for success; keel.status_name() names them) is not 0.

    >>> import keel, numpy as np
    >>> p = [keel.black_scholes("call", 100, k, 0.5, 0.03, vol=0.2).value for k in (90, 110)]
    >>> np.round(keel.implied_volatility_batch(0, p, 100, [90, 110], 0.5, 0.03), 12)
    array([0.2, 0.2])
    """
    return _iv_batch(_lib.keel_implied_volatility_batch, is_put,
                     (price, spot, strike, expiry, rate, dividend), return_status)


def implied_volatility_black76_batch(is_put, price, forward, strike, expiry, rate=0.0,
                                     return_status: bool = False):
    """Black-76 implied volatilities of many options at once
    (keel_implied_volatility_black76_batch), with the broadcasting and the
    error handling of implied_volatility_batch()."""
    return _iv_batch(_lib.keel_implied_volatility_black76_batch, is_put,
                     (price, forward, strike, expiry, rate), return_status)


@dataclass(frozen=True)
class OptionPosition:
    """One position of a book."""

    id: int
    underlying: int
    kind: str
    strike: float
    expiry: float
    quantity: float
    volatility: "float | None"


#: SPAN's sixteen scenarios (CME, "SPAN risk scenarios"), the default margin grid, in
#: the order `MarginResult.worst_scenario` counts them from 0: (price move in scan
#: ranges, volatility move in volatility scans, cover). include/keel/options.h lists
#: the same order.
SPAN_SCENARIOS = (
    (0.0, 1.0, 1.0), (0.0, -1.0, 1.0),
    (1 / 3, 1.0, 1.0), (1 / 3, -1.0, 1.0), (-1 / 3, 1.0, 1.0), (-1 / 3, -1.0, 1.0),
    (2 / 3, 1.0, 1.0), (2 / 3, -1.0, 1.0), (-2 / 3, 1.0, 1.0), (-2 / 3, -1.0, 1.0),
    (1.0, 1.0, 1.0), (1.0, -1.0, 1.0), (-1.0, 1.0, 1.0), (-1.0, -1.0, 1.0),
    (2.0, 0.0, 0.35), (-2.0, 0.0, 0.35),
)


@dataclass(frozen=True)
class MarginResult:
    """Scenario margin of a book (keel_options_scenario_margin).

    margin: the sum over underlyings of the worst covered loss (numeraire, >= 0).
    value: the book's value now.
    worst_underlying: the underlying whose worst loss is largest.
    worst_scenario: that underlying's worst scenario, an index counted from 0 into the
        book's grid (`keel.options.SPAN_SCENARIOS` unless `Options.set_margin_params` gave one).
    worst_loss: that underlying's worst covered loss.
    worst_price_change: the scenario's price move as a fraction (S_k / S - 1: 0.125 is
        +12.5%), S_k = S exp(price_move x price_sigmas x sigma x sqrt(horizon_days / 365)).
    worst_volatility_change: its volatility move as a fraction of the volatility
        (sigma_k / sigma - 1 = vol_move x vol_scan: 0.25 is 75% -> 93.75%).
    Both moves are 0.0 for an empty book."""

    margin: float
    value: float
    worst_underlying: int
    worst_scenario: int
    worst_loss: float
    worst_price_change: float = 0.0
    worst_volatility_change: float = 0.0


class Options(_Handle):
    """A book of European options on market assets (keel_options).

    >>> import keel
    >>> m = keel.Market(); eth = m.add_asset("ETH", 3000.0, volatility=0.8)
    >>> o = keel.Options(); pid = o.add(eth, "call", strike=3500, expiry=30/365, quantity=-10)
    >>> o.value(m) < 0
    True
    """

    _free = "keel_options_free"

    def __init__(self) -> None:
        out = ctypes.c_void_p()
        check(_lib.keel_options_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "Options":
        """A deep copy."""
        copy = Options._make(_lib.keel_options_clone, self._ptr)
        copy._margin_grid = getattr(self, "_margin_grid", None)
        return copy

    def add(self, underlying: int, kind, strike: float, expiry: float, quantity: float,
            volatility: "float | None" = None) -> int:
        """Adds a position (quantity < 0: written); returns its stable id."""
        if volatility is not None:
            # checked before the position is added: a refused volatility must
            # not use up an id (ids are never reused)
            volatility = float(volatility)
            if not math.isfinite(volatility):
                raise NotFiniteError(f"Options.add: volatility must be finite, got {volatility}",
                                     NotFiniteError.status)
            if volatility < 0:
                raise OutOfRangeError(f"Options.add: volatility must be >= 0, got {volatility}",
                                      OutOfRangeError.status)
        out = ctypes.c_uint32()
        check(_lib.keel_options_add(self._ptr, _asset(underlying), _type(kind), float(strike),
                                    float(expiry), float(quantity), byref(out)))
        if volatility is not None:
            try:
                self.set_volatility(out.value, volatility)
            except Exception:  # a failed call changes nothing: take the position back out
                _lib.keel_options_remove(self._ptr, out.value)
                raise
        return out.value

    def set_quantity(self, pid: int, quantity: float) -> None:
        """Changes a position's signed quantity."""
        check(_lib.keel_options_set_quantity(self._ptr, _pid(pid), float(quantity)))

    def set_expiry(self, pid: int, expiry: float) -> None:
        """Changes a position's years to expiry."""
        check(_lib.keel_options_set_expiry(self._ptr, _pid(pid), float(expiry)))

    def set_volatility(self, pid: int, volatility: "float | None") -> None:
        """Overrides the position's volatility (None: the market's again)."""
        if volatility is None:
            check(_lib.keel_options_clear_volatility(self._ptr, _pid(pid)))
        else:
            check(_lib.keel_options_set_volatility(self._ptr, _pid(pid), float(volatility)))

    def remove(self, pid: int) -> None:
        """Removes a position."""
        check(_lib.keel_options_remove(self._ptr, _pid(pid)))

    def __len__(self) -> int:
        out = ctypes.c_size_t()
        check(_lib.keel_options_count(self._ptr, byref(out)))
        return out.value

    def positions(self) -> list:
        """Every position, in increasing id."""
        result = []
        for i in range(len(self)):
            p = _ffi.COptionPosition()
            p.size = ctypes.sizeof(p)
            check(_lib.keel_options_position(self._ptr, i, byref(p)))
            result.append(OptionPosition(p.id, p.underlying, "put" if p.type else "call",
                                         p.strike, p.expiry, p.quantity,
                                         p.volatility if p.has_volatility else None))
        return result

    def set_margin_params(self, horizon_days: float | None = None,
                          price_sigmas: float | None = None, vol_scan: float | None = None,
                          scenarios=None) -> None:
        """How the scenario margin is computed: the horizon in days, the scan
        range in standard deviations, the relative volatility scan; scenarios
        is a list of (price_move, vol_move, cover) or None for SPAN's sixteen.
        A setting left as None takes the C library's default
        (`keel.defaults("margin")`)."""
        p = c_struct(_ffi.CMarginParams)
        fill(p, horizon_days=None if horizon_days is None else float(horizon_days),
             price_sigmas=None if price_sigmas is None else float(price_sigmas),
             vol_scan=None if vol_scan is None else float(vol_scan))
        if scenarios:
            arr = (_ffi.CScenario * len(scenarios))(*(
                _ffi.CScenario(float(a), float(b), float(c)) for a, b, c in scenarios))
            p.scenarios = ctypes.cast(arr, ctypes.POINTER(_ffi.CScenario))
            p.scenario_count = len(scenarios)
        check(_lib.keel_options_set_margin_params(self._ptr, byref(p)))
        # kept to name the worst scenario's move in scenario_margin()
        self._margin_grid = (p.horizon_days, p.price_sigmas, p.vol_scan,
                             tuple(tuple(map(float, x)) for x in scenarios) if scenarios
                             else SPAN_SCENARIOS)

    def value(self, market) -> float:
        """Net value of the book."""
        out = c_double()
        check(_lib.keel_options_value(self._ptr, _h(market, "market"), byref(out)))
        return out.value

    def greeks(self, market, underlying: int) -> Greeks:
        """Quantity-weighted value and greeks of the positions on one underlying."""
        g = _ffi.CGreeks()
        g.size = ctypes.sizeof(g)
        check(_lib.keel_options_greeks(self._ptr, _h(market, "market"), _asset(underlying),
                                       byref(g)))
        return Greeks(*(getattr(g, n) for n in GREEK_NAMES))

    def scenario_margin(self, market) -> MarginResult:
        """Worst covered loss over the scenario grid, summed over underlyings."""
        r = _ffi.CMarginResult()
        r.size = ctypes.sizeof(r)
        check(_lib.keel_options_scenario_margin(self._ptr, _h(market, "market"), byref(r)))
        price_change = vol_change = 0.0
        if r.worst_underlying != _ffi.KEEL_ASSET_INVALID:
            grid = getattr(self, "_margin_grid", None)
            if grid is None:
                d = c_struct(_ffi.CMarginParams)  # the defaults
                grid = (d.horizon_days, d.price_sigmas, d.vol_scan, SPAN_SCENARIOS)
            horizon_days, price_sigmas, vol_scan, scenarios = grid
            price_move, vol_move, _ = scenarios[r.worst_scenario]
            sigma = c_double()
            check(_lib.keel_market_volatility(_h(market, "market"), r.worst_underlying,
                                              byref(sigma)))
            price_change = math.expm1(price_move * price_sigmas * sigma.value
                                      * math.sqrt(horizon_days / 365.0))
            vol_change = max(-1.0, vol_move * vol_scan)  # sigma_k = max(0, ...) in C
        return MarginResult(r.margin, r.value, r.worst_underlying, r.worst_scenario, r.worst_loss,
                            price_change, vol_change)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Options closed>"
        return f"<keel.Options {len(self)} positions>"
