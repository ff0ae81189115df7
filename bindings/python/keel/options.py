"""The options pricing kernel: Black-Scholes-Merton, Black-76, greeks on one
option or on numpy arrays (no copies), and implied volatility."""

from __future__ import annotations

import ctypes
import math
from ctypes import byref, c_double
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _ffi
from ._core import U32_MAX, AssetLike, Market, _Bound, _Handle, _int, _h, _market_asset
from ._defaults import c_struct, fill
from ._records import Record
from .errors import MarketMismatchError, NotFiniteError, OutOfRangeError, check
from .kinds import OptionType, parse

KindLike = Union[OptionType, str]
"""An OptionType, or its string "call" / "put"."""


def _pid(pid: int) -> int:
    """A position id (keel's uint32_t), range-checked: ctypes would wrap it."""
    return _int(pid, "position id", 0, U32_MAX)

_lib = _ffi.lib
GREEK_NAMES = ("value", "delta", "gamma", "vega", "theta", "rho", "dividend_rho", "vanna",
               "volga", "charm")


@dataclass(frozen=True)
class Greeks(Record):
    """Value and greeks of one option (or a book's, quantity-weighted).

    Attributes:
        value: the price, in the numeraire.
        delta: dV/dS.
        gamma: d2V/dS2.
        vega: dV/dsigma, per 1.00 of volatility (divide by 100 for a vol point).
        theta: dV/dt, per year of time passing (negative: value lost to time).
        rho: dV/dr, per 1.00 of rate.
        dividend_rho: dV/dq, per 1.00 of dividend yield (carry).
        vanna: d2V/dS dsigma.
        volga: d2V/dsigma2.
        charm: d(delta)/dt, per year of time passing.
    """

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


def _type(kind: KindLike) -> int:
    """0 for a call, 1 for a put: an OptionType, "call" / "put" (or "c" / "p")."""
    if kind in ("call", "c", 0):
        return 0
    if kind in ("put", "p", 1):
        return 1
    raise ValueError(f"option type must be 'call' or 'put' (keel.OptionType), got {kind!r}")


def _greeks(fn: Any, *args: Any) -> Greeks:
    g = _ffi.CGreeks()
    g.size = ctypes.sizeof(g)
    check(fn(*args, byref(g)))
    return Greeks(*(getattr(g, n) for n in GREEK_NAMES))


def black_scholes(kind: KindLike, spot: float, strike: float, expiry: float, *, rate: float,
                  vol: float, dividend: float = 0.0) -> Greeks:
    """Black-Scholes-Merton value and greeks of a European call or put.

    `kind` is OptionType.CALL / PUT or "call" / "put"; `spot` and `strike` in
    the numeraire, `expiry` in years. The market data are keyword arguments
    and `rate` (continuous annual risk-free rate) and `vol` (annual
    volatility) have no default: no number is assumed for the caller (as
    QuantLib and py_vollib). `dividend` is the continuous annual yield (carry),
    0 unless given.

    >>> round(black_scholes("call", spot=60, strike=65, expiry=0.25, rate=0.08, vol=0.30).value, 4)
    2.1334
    """
    return _greeks(_lib.keel_black_scholes, _type(kind), float(spot), float(strike),
                   float(expiry), float(rate), float(dividend), float(vol))


def black76(kind: KindLike, forward: float, strike: float, expiry: float, *, rate: float,
            vol: float) -> Greeks:
    """Black-76 value and greeks of an option on a forward or future; `rate`
    (discounting) and `vol` are required keyword arguments."""
    return _greeks(_lib.keel_black76, _type(kind), float(forward), float(strike), float(expiry),
                   float(rate), float(vol))


def implied_volatility(kind: KindLike, price: float, spot: float, strike: float, expiry: float,
                       *, rate: float, dividend: float = 0.0) -> float:
    """The volatility at which black_scholes gives `price` (`rate` required,
    `dividend` 0 unless given); ArbitrageError outside the no-arbitrage bounds."""
    out = c_double()
    check(_lib.keel_implied_volatility(_type(kind), float(price), float(spot), float(strike),
                                       float(expiry), float(rate), float(dividend), byref(out)))
    return out.value


def implied_volatility_black76(kind: KindLike, price: float, forward: float, strike: float,
                               expiry: float, *, rate: float) -> float:
    """The volatility at which black76 gives `price` (`rate` required)."""
    out = c_double()
    check(_lib.keel_implied_volatility_black76(_type(kind), float(price), float(forward),
                                               float(strike), float(expiry), float(rate),
                                               byref(out)))
    return out.value


def _kind_array(kind: Any) -> Any:
    """An int32 array of keel_option_type (1 for a put) from "call" / "put" /
    OptionType, an array of them, or booleans / 0-1 integers (true for a put)."""
    import numpy as np

    k = np.asarray(kind)
    if k.dtype.kind in "UOS":
        flat = [_type(x) for x in k.ravel().tolist()]
        return np.asarray(flat, dtype=np.int32).reshape(k.shape)
    if k.dtype.kind == "b":
        return k.astype(np.int32)
    if k.dtype.kind in "iu":
        if k.size and not np.all((k == 0) | (k == 1)):
            raise ValueError("an integer kind array must hold 0 (call) or 1 (put)")
        return k.astype(np.int32)
    raise TypeError(f"kind must be 'call' / 'put', an OptionType or an array of them "
                    f"(or booleans: True for a put), got dtype {k.dtype}")


def black_scholes_batch(kind: Any, spot: Any, strike: Any, expiry: Any, *, rate: Any,
                        vol: Any, dividend: Any = 0.0,
                        greeks: Iterable[str] = GREEK_NAMES) -> Dict[str, Any]:
    """Prices many options at once: Black-Scholes-Merton value and greeks.

    Every input is a scalar or an array, broadcast together with numpy's rules
    (``np.broadcast_arrays``): e.g. one spot against an array of strikes.
    `kind` takes what black_scholes takes ("call" / "put" / OptionType) or an
    array of them, or an array of booleans / integers where true / 1 is a put.
    `rate` and `vol` are required keyword arguments, as in black_scholes;
    `dividend` is 0 unless given. Returns {greek: float64 array of the
    broadcast shape} for the requested greeks (GREEK_NAMES by default).

    A C-contiguous 1-D float64 input of the full length is read in place; any
    other input is converted once (one copy). Shapes that do not broadcast
    raise ValueError; an unknown greek or kind ValueError."""
    import numpy as np

    names = [greeks] if isinstance(greeks, str) else list(greeks)  # "value": one name
    unknown = set(names) - set(GREEK_NAMES)
    if unknown:
        raise ValueError(f"unknown greeks: {sorted(unknown)}")
    puts = _kind_array(kind)
    values = [np.asarray(x, dtype=np.float64) if not isinstance(x, np.ndarray) else x
              for x in (spot, strike, expiry, rate, dividend, vol)]
    try:
        shape = np.broadcast_shapes(puts.shape, *(v.shape for v in values))
    except ValueError:
        shapes = ", ".join(f"{n} {v.shape}" for n, v in zip(
            ("kind", "spot", "strike", "expiry", "rate", "dividend", "vol"),
            [puts] + values))
        raise ValueError(f"the inputs do not broadcast to one shape: {shapes}") from None
    n = int(np.prod(shape)) if shape else 1

    def flat1(a: Any, dtype: Any) -> Any:
        if a.shape == shape and a.dtype == dtype and a.flags.c_contiguous:
            return a.reshape(-1)  # a view: no copy
        return np.ascontiguousarray(np.broadcast_to(a, shape), dtype=dtype).reshape(-1)

    arrays = [flat1(puts, np.int32)] + [flat1(v, np.float64) for v in values]
    out = {name: np.empty(n) for name in names}
    spec = _ffi.CGreeksArrays()
    spec.size = ctypes.sizeof(spec)
    for name, arr in out.items():
        setattr(spec, name, arr.ctypes.data_as(ctypes.POINTER(c_double)))
    ptrs = [arrays[0].ctypes.data_as(ctypes.POINTER(ctypes.c_int))] + \
        [a.ctypes.data_as(ctypes.POINTER(c_double)) for a in arrays[1:]]
    check(_lib.keel_black_scholes_batch(n, *ptrs, byref(spec)))
    return {name: arr.reshape(shape) for name, arr in out.items()}


def _iv_batch(fn: Any, kind: Any, columns: Tuple[Any, ...], return_status: bool) -> Any:
    import numpy as np

    arrays = np.broadcast_arrays(_kind_array(kind), *(np.asarray(c, dtype=np.float64)
                                                       for c in columns))
    shape = arrays[0].shape  # the broadcast shape: () for scalars, as black_scholes_batch
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
        return vols.reshape(shape), status.reshape(shape)
    check(st)
    return vols.reshape(shape)


def implied_volatility_batch(kind: Any, price: Any, spot: Any, strike: Any, expiry: Any, *,
                             rate: Any, dividend: Any = 0.0, return_status: bool = False) -> Any:
    """Black-Scholes-Merton implied volatilities of many options at once
    (keel_implied_volatility_batch): each argument a scalar or an array,
    broadcast together; `kind` as black_scholes_batch() takes it ("call" /
    "put" / OptionType, an array of them, or booleans / 0-1 integers, true for a
    put); `rate` is a required keyword argument, `dividend` 0 unless given.
    The result has the broadcast shape (0-d for scalars, as black_scholes_batch
    returns). Each option is solved exactly as implied_volatility() solves it,
    bit for bit.

    By default an option that cannot be solved raises its error (the first
    such, naming its index) after all are solved; with
    ``return_status=True`` nothing is raised for a bad option and the call
    returns ``(vols, status)``: vols NaN where status (an int32 array of
    keel statuses, 0 for success; keel.status_name() names them) is not 0.

    >>> import keel, numpy as np
    >>> p = [keel.black_scholes("call", 100, k, 0.5, rate=0.03, vol=0.2).value for k in (90, 110)]
    >>> np.round(keel.implied_volatility_batch("call", p, 100, [90, 110], 0.5, rate=0.03), 12)
    array([0.2, 0.2])
    """
    return _iv_batch(_lib.keel_implied_volatility_batch, kind,
                     (price, spot, strike, expiry, rate, dividend), return_status)


def implied_volatility_black76_batch(kind: Any, price: Any, forward: Any, strike: Any,
                                     expiry: Any, *, rate: Any,
                                     return_status: bool = False) -> Any:
    """Black-76 implied volatilities of many options at once
    (keel_implied_volatility_black76_batch), with the broadcasting and the
    error handling of implied_volatility_batch()."""
    return _iv_batch(_lib.keel_implied_volatility_black76_batch, kind,
                     (price, forward, strike, expiry, rate), return_status)


@dataclass(frozen=True)
class OptionPosition(Record):
    """One position of a book.

    Attributes:
        id: the position's stable id (never reused).
        underlying: the asset (an Asset with its symbol when the book was given one).
        kind: OptionType.CALL or PUT (a str: "call" / "put").
        strike: in the numeraire.
        expiry: years to expiry.
        quantity: signed units (< 0: written).
        volatility: the position's own annual volatility, or None for the market's.
    """

    id: int
    underlying: AssetLike
    kind: OptionType
    strike: float
    expiry: float
    quantity: float
    volatility: Optional[float]


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
class MarginResult(Record):
    """Scenario margin of a book (keel_options_scenario_margin, a SPAN-style scan).

    Attributes:
        margin: the sum over underlyings of the worst covered loss (numeraire, >= 0).
        value: the book's net value now.
        worst_underlying: the underlying whose worst loss is largest (None for an
            empty book: C's "no asset").
        worst_scenario: that underlying's worst scenario, an index counted from 0 into
            the book's grid (`keel.options.SPAN_SCENARIOS` unless
            `Options.set_margin_params` gave one).
        worst_loss: that underlying's worst covered loss, in the numeraire.
        worst_price_change: the scenario's price move as a fraction (S_k / S - 1: 0.125
            is +12.5%), S_k = S exp(price_move x price_sigmas x sigma x
            sqrt(horizon_days / 365)).
        worst_volatility_change: its volatility move as a fraction of the volatility
            (sigma_k / sigma - 1 = vol_move x vol_scan: 0.25 is 75% -> 93.75%).
            Both moves are 0.0 for an empty book.
    """

    margin: float
    value: float
    worst_underlying: Optional[AssetLike]
    worst_scenario: int
    worst_loss: float
    worst_price_change: float = 0.0
    worst_volatility_change: float = 0.0


class Options(_Bound, _Handle):
    """A book of European options on market assets (keel_options).

    >>> import keel
    >>> m = keel.Market(); eth = m.add_asset("ETH", 3000.0, volatility=0.8)
    >>> o = keel.Options(); pid = o.add(eth, "call", strike=3500, expiry=30/365, quantity=-10)
    >>> o.value(m) < 0
    True
    """

    _free = "keel_options_free"
    # set by set_margin_params (horizon days, price sigmas, vol scan, scenarios); absent
    # until then (an annotation only: no class attribute, getattr(..., None) still applies)
    _margin_grid: Optional[Tuple[Any, Any, Any, Tuple[Tuple[float, ...], ...]]]

    def __init__(self) -> None:
        out = ctypes.c_void_p()
        check(_lib.keel_options_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "Options":
        """A deep copy."""
        c = Options._make(_lib.keel_options_clone, self._ptr)
        c._copy_binding(self)
        c._margin_grid = getattr(self, "_margin_grid", None)
        return c

    def add(self, underlying: AssetLike, kind: KindLike, strike: float, expiry: float,
            quantity: float, volatility: Optional[float] = None) -> int:
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
        check(_lib.keel_options_add(self._ptr, self._bind(underlying, "underlying"), _type(kind),
                                    float(strike),
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

    def set_volatility(self, pid: int, volatility: Optional[float]) -> None:
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

    def positions(self) -> List[OptionPosition]:
        """Every position, in increasing id."""
        result: List[OptionPosition] = []
        for i in range(len(self)):
            p = _ffi.COptionPosition()
            p.size = ctypes.sizeof(p)
            check(_lib.keel_options_position(self._ptr, i, byref(p)))
            result.append(OptionPosition(p.id, self._label(p.underlying),
                                         OptionType.PUT if p.type else OptionType.CALL,
                                         p.strike, p.expiry, p.quantity,
                                         p.volatility if p.has_volatility else None))
        return result

    def set_margin_params(self, horizon_days: float | None = None,
                          price_sigmas: float | None = None, vol_scan: float | None = None,
                          scenarios: Optional[Sequence[Tuple[float, float, float]]] = None
                          ) -> None:
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

    def value(self, market: Market) -> float:
        """Net value of the book."""
        self._check_market(market, "options")
        out = c_double()
        check(_lib.keel_options_value(self._ptr, _h(market, "market"), byref(out)))
        return out.value

    def greeks(self, market: Market, underlying: AssetLike) -> Greeks:
        """Quantity-weighted value and greeks of the positions on one underlying."""
        self._check_market(market, "options")
        u = _market_asset(market, underlying, "underlying")
        g = _ffi.CGreeks()
        g.size = ctypes.sizeof(g)
        check(_lib.keel_options_greeks(self._ptr, _h(market, "market"), u,
                                       byref(g)))
        return Greeks(*(getattr(g, n) for n in GREEK_NAMES))

    def scenario_margin(self, market: Market) -> MarginResult:
        """Worst covered loss over the scenario grid, summed over underlyings."""
        self._check_market(market, "options")
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
        worst = None if r.worst_underlying == _ffi.KEEL_ASSET_INVALID else \
            self._label(r.worst_underlying)
        return MarginResult(r.margin, r.value, worst, r.worst_scenario, r.worst_loss,
                            price_change, vol_change)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Options closed>"
        pos = self.positions()
        items = [f"{p.quantity:+g} {self._name(int(p.underlying))} {p.kind.value} "
                 f"K={p.strike:g} T={p.expiry:.4g}y" for p in pos[:6]]
        more = ", ..." if len(pos) > 6 else ""
        noun = "position" if len(pos) == 1 else "positions"
        body = f": {', '.join(items)}{more}" if pos else ""
        return f"<keel.Options {len(pos)} {noun}{body}>"
