"""Pythonic classes over the keel handles."""

from __future__ import annotations

import operator

import ctypes
from ctypes import byref, c_double, c_int, c_size_t, c_void_p
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Optional, Sequence, Tuple, TypeVar, Union

from . import _ffi
from ._records import Record
from .errors import MarketMismatchError, NotFoundError, check
from .kinds import ConcentrationMode, LiquidationSide, parse

if TYPE_CHECKING:
    from .options import Options

_lib = _ffi.lib


def version() -> str:
    """Version of the loaded libkeel, "MAJOR.MINOR.PATCH"."""
    return str(_lib.keel_version().decode())


def live_handles() -> int:
    """Number of keel handles alive in the process."""
    return int(_lib.keel_live_handles())


U32_MAX = 2**32 - 1
U64_MAX = 2**64 - 1


def _int(value: Any, name: str, lo: int, hi: int) -> int:
    """An integer crossing into C, checked against its C type's range (ctypes
    would wrap it silently: -1 steps would become 4294967295). Accepts ints
    and numpy integers; refuses bools and floats."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got a bool")
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}") from None
    if not lo <= v <= hi:
        raise ValueError(f"{name} must be in [{lo}, {hi}], got {v}")
    return v


class _Universe:
    """The identity of a family of markets: a Market and its clones share one,
    so an Asset of one is valid in the others (when the id still has its symbol)."""

    __slots__ = ("__weakref__",)


class Asset(int):
    """An asset of one market: its id (an int, accepted wherever an asset id
    is) that also knows its symbol and the market (and clones) it came from.
    Made by Market.add_asset, Market.find and Market[symbol].

    Passing an Asset of one market with another market, or with a basket,
    haircut model, cost model, options book or policy holding assets of
    another market, raises MarketMismatchError: asset ids are positions in a
    market's list, so an id of one market names a different asset (or none)
    in another. Bare ints are still accepted and are not checked that way.

    str() and format() give the id, as for an int; repr() names the symbol.
    Pickled as a plain int (the market identity does not cross processes)."""

    symbol: str
    _universe: _Universe

    def __new__(cls, value: int, symbol: str, universe: _Universe) -> "Asset":
        obj = super().__new__(cls, value)
        obj.symbol = symbol
        obj._universe = universe
        return obj

    @property
    def id(self) -> int:
        """The asset id as a plain int."""
        return int(self)

    def __repr__(self) -> str:
        return f"<keel.Asset {self.symbol} (id {int(self)})>"

    def __str__(self) -> str:
        return int.__repr__(self)

    def __reduce__(self) -> Tuple[Any, Tuple[int]]:
        return (int, (int(self),))


AssetLike = Union[Asset, int]
"""An Asset, or a bare asset id (an int or numpy integer)."""


def _asset(asset: AssetLike) -> int:
    """An asset id crossing into C: an int or a numpy integer (not a bool or
    a float), in the keel_asset range."""
    if isinstance(asset, bool):
        raise TypeError("asset ids are ints, got bool")
    try:
        v = operator.index(asset)
    except TypeError:
        raise TypeError(f"asset ids are ints, got {type(asset).__name__}") from None
    if not 0 <= v <= _ffi.KEEL_ASSET_INVALID:
        raise ValueError(f"asset id {v} is out of the keel_asset range")
    return v


def _check_asset(market: "Market", asset: Asset, name: str = "asset") -> None:
    """MarketMismatchError unless `asset` is an asset of `market` (or of a
    market it was cloned from, or cloned with, when the id still has its symbol)."""
    if asset._universe is not market._uni():
        raise MarketMismatchError(
            f"{name} {asset.symbol} (id {int(asset)}) belongs to another market; "
            f"use this market's asset (market[{asset.symbol!r}])")
    syms = market._syms()
    if int(asset) >= len(syms) or syms[int(asset)] != asset.symbol:
        here = syms[int(asset)] if int(asset) < len(syms) else "no asset"
        raise MarketMismatchError(
            f"{name} {asset.symbol} (id {int(asset)}) is {here} in this market "
            "(a clone that has since diverged)")


class _Bound:
    """Mixin of the objects that hold assets (Basket, HaircutModel, CostModel,
    Options, Policy, Plan): the market identity and the symbols of the Asset
    objects set into them, checked against the market of each call."""

    _universe: Optional[_Universe] = None
    _symbols: Dict[int, str]

    def _bind(self, asset: AssetLike, name: str = "asset") -> int:
        """The id of `asset`; an Asset ties this object to its market (the
        first one set) and must agree with it afterwards."""
        v = _asset(asset)
        if isinstance(asset, Asset):
            if self._universe is None:
                self._universe = asset._universe
            elif asset._universe is not self._universe:
                raise MarketMismatchError(
                    f"{name} {asset.symbol} (id {v}) belongs to another market than the "
                    f"assets already in this {type(self).__name__} ({self._symbol_list()})")
            symbols = self.__dict__.setdefault("_symbols", {})
            known = symbols.get(v)
            if known is not None and known != asset.symbol:
                raise MarketMismatchError(
                    f"{name} {asset.symbol} has id {v}, which is {known} in this "
                    f"{type(self).__name__}")
            symbols[v] = asset.symbol
        return v

    def _symbol_list(self) -> str:
        return ", ".join(self.__dict__.get("_symbols", {}).values())

    def _copy_binding(self, other: "_Bound") -> None:
        if other._universe is not None:
            self._universe = other._universe
            self.__dict__["_symbols"] = dict(other.__dict__.get("_symbols", {}))

    def _label(self, asset: int) -> Union[Asset, int]:
        """The id as an Asset when this object knows its symbol, else the int."""
        sym = self.__dict__.get("_symbols", {}).get(asset)
        if sym is None or self._universe is None:
            return asset
        return Asset(asset, sym, self._universe)

    def _name(self, asset: int) -> str:
        """The symbol of an id, or the id when unknown."""
        sym = self.__dict__.get("_symbols", {}).get(asset)
        return str(asset) if sym is None else str(sym)

    def _check_market(self, market: "Market", name: str) -> None:
        """MarketMismatchError when this object holds assets of another market."""
        if self._universe is None:
            return
        if self._universe is not market._uni():
            raise MarketMismatchError(
                f"{name} holds assets of another market ({self._symbol_list()}); value it "
                "with the market its assets came from")
        syms = market._syms()
        for v, sym in self.__dict__.get("_symbols", {}).items():
            if v >= len(syms) or syms[v] != sym:
                raise MarketMismatchError(
                    f"{name} holds {sym} as id {v}, which is "
                    f"{syms[v] if v < len(syms) else 'no asset'} in this market")


def _same_market(market: "Market", **objs: Any) -> None:
    """Checks every object that holds assets (None skipped) against `market`."""
    if not isinstance(market, Market):
        return  # _h reports a wrong type
    for name, obj in objs.items():
        if isinstance(obj, _Bound):
            obj._check_market(market, name)


def _market_asset(market: Any, asset: AssetLike, name: str = "asset") -> int:
    """The id of `asset` for a call with `market`, checked when it is an Asset."""
    if isinstance(market, Market):
        return market._own(asset, name)
    return _asset(asset)


class _Handle:
    """Owns one C handle; frees it on close(), on leaving a with-block, or when collected."""

    _free: str = ""  # name of the C free function
    _ptr_value: Optional[c_void_p]

    def __init__(self, ptr: c_void_p) -> None:
        self._ptr_value = ptr

    @property
    def _ptr(self) -> _ffi.HandleRef:
        if self._ptr_value is None:
            raise ValueError(f"{type(self).__name__} is closed")
        return _ffi.HandleRef(self, self._ptr_value)

    def close(self) -> None:
        """Frees the C handle (after the C calls in flight, if any: see _ffi);
        later use raises ValueError."""
        value = getattr(self, "_ptr_value", None)
        if value is not None:
            self._ptr_value = None
            _ffi.free_later_or_now(getattr(_ffi.raw, self._free), value)

    def __enter__(self: _H) -> _H:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __copy__(self) -> Any:
        # a shallow copy would share the C handle: closing one would free the
        # other's (and a later handle could reuse the block)
        raise TypeError(f"{type(self).__name__} objects cannot be copied with copy.copy or "
                        "copy.deepcopy; use .clone() where the type has it")

    def __deepcopy__(self, memo: Any) -> Any:
        return self.__copy__()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone
            pass

    @classmethod
    def _make(cls: type[_H], ctor: Any, *args: Any) -> _H:
        out = c_void_p()
        check(ctor(*args, byref(out)))
        obj = cls.__new__(cls)
        _Handle.__init__(obj, out)
        return obj


_H = TypeVar("_H", bound=_Handle)


def _h(obj: Any, name: str) -> _ffi.HandleRef:
    """The C handle of `obj`, passed as argument `name`: anything but an open
    keel handle (None included) is a TypeError naming the argument."""
    if not isinstance(obj, _Handle):
        got = "None" if obj is None else type(obj).__name__
        raise TypeError(f"{name} must be a keel handle, got {got}")
    return obj._ptr


def _opt_h(obj: Any, name: str) -> Optional[_ffi.HandleRef]:
    """As _h, for an argument where None means "none" (an options book, a wallet)."""
    return None if obj is None else _h(obj, name)


def _get_double(fn: Any, *args: Any) -> float:
    out = c_double()
    check(fn(*args, byref(out)))
    return float(out.value)


class Market(_Handle):
    """Assets with prices, volatilities, carry and liquidity depth, a risk-free
    rate and pairwise correlations (keel_market)."""

    _free = "keel_market_free"

    def __init__(self) -> None:
        out = c_void_p()
        check(_lib.keel_market_new(byref(out)))
        super().__init__(out)

    def _uni(self) -> _Universe:
        """This market's identity (shared with its clones), made on first use."""
        u: Optional[_Universe] = self.__dict__.get("_universe")
        if u is None:
            u = self.__dict__["_universe"] = _Universe()
        return u

    def _syms(self) -> List[str]:
        """The symbols in id order, cached (assets are only ever added)."""
        cache: List[str] = self.__dict__.setdefault("_symbol_cache", [])
        n = len(self)
        while len(cache) < n:
            cache.append(self._read_symbol(len(cache)))
        return cache

    def _read_symbol(self, asset: int) -> str:
        buf = ctypes.create_string_buffer(_ffi.KEEL_SYMBOL_MAX + 1)
        check(_lib.keel_market_symbol(self._ptr, asset, buf, len(buf)))
        return buf.value.decode()

    def _own(self, asset: AssetLike, name: str = "asset") -> int:
        """The id of `asset` for a C call on this market: MarketMismatchError
        when it is an Asset of another market."""
        v = _asset(asset)
        if isinstance(asset, Asset):
            _check_asset(self, asset, name)
        return v

    def clone(self) -> "Market":
        """A deep copy; the assets of this market are valid in it."""
        c = Market._make(_lib.keel_market_clone, self._ptr)
        c.__dict__["_universe"] = self._uni()
        return c

    def asset(self, key: Union[str, AssetLike]) -> Asset:
        """The Asset of a symbol or an id (NotFoundError / UnknownAssetError
        when the market has none)."""
        if isinstance(key, str):
            return self.find(key)
        v = self._own(key)
        syms = self._syms()
        if v >= len(syms):
            from .errors import UnknownAssetError
            raise UnknownAssetError(f"Market.asset: no asset {v} (the market has {len(syms)})",
                                    UnknownAssetError.status)
        return Asset(v, syms[v], self._uni())

    @property
    def assets(self) -> List[Asset]:
        """Every asset, in id order."""
        u = self._uni()
        return [Asset(i, s, u) for i, s in enumerate(self._syms())]

    def add_asset(self, symbol: str, price: float, *, volatility: Optional[float] = None,
                  carry: Optional[float] = None, depth: Optional[float] = None) -> Asset:
        """Adds an asset and returns it as an Asset (its id 0, 1, 2, ..., its
        symbol and this market), with the optional
        volatility, carry and depth. All or nothing: the optional values are
        first tried by the C setters on a one-asset scratch market (the same
        checks, the same errors), so a refused one leaves this market as it
        was."""
        if not isinstance(symbol, str):
            raise TypeError(f"symbol must be a str, got {type(symbol).__name__}")
        if "\0" in symbol:  # C would read the symbol up to it
            raise ValueError("symbol contains a NUL character")
        # each value converted once: the trial and the market see the same numbers
        price = float(price)
        volatility, carry, depth = (None if v is None else float(v)
                                    for v in (volatility, carry, depth))
        if volatility is not None or carry is not None or depth is not None:
            with Market() as trial:
                trial.add_asset(symbol, price)
                for setter, value in ((trial.set_volatility, volatility),
                                      (trial.set_carry, carry), (trial.set_depth, depth)):
                    if value is not None:
                        setter(0, value)
        out = _ffi.keel_asset()
        check(_lib.keel_market_add_asset(self._ptr, symbol.encode(), price, byref(out)))
        asset = Asset(out.value, symbol, self._uni())
        if volatility is not None:
            self.set_volatility(asset, volatility)
        if carry is not None:
            self.set_carry(asset, carry)
        if depth is not None:
            self.set_depth(asset, depth)
        return asset

    def find(self, symbol: str) -> Asset:
        """The Asset with this symbol; NotFoundError if none."""
        if not isinstance(symbol, str):
            raise TypeError(f"symbol must be a str, got {type(symbol).__name__}")
        if "\0" in symbol:
            raise NotFoundError(f"Market.find: no asset {symbol!r} (a symbol has no NUL)")
        out = _ffi.keel_asset()
        check(_lib.keel_market_find(self._ptr, symbol.encode(), byref(out)))
        return Asset(out.value, symbol, self._uni())

    def __getitem__(self, symbol: str) -> Asset:
        return self.find(symbol)

    def __contains__(self, symbol: object) -> bool:
        if not isinstance(symbol, str) or "\0" in symbol:
            return False
        out = _ffi.keel_asset()
        return bool(_lib.keel_market_find(self._ptr, symbol.encode(), byref(out)) == 0)

    def __len__(self) -> int:
        out = c_size_t()
        check(_lib.keel_market_asset_count(self._ptr, byref(out)))
        return out.value

    def symbol(self, asset: AssetLike) -> str:
        """The symbol of an asset id."""
        return self._read_symbol(self._own(asset))

    @property
    def symbols(self) -> List[str]:
        """Every symbol, in id order."""
        return list(self._syms())

    def price(self, asset: AssetLike) -> float:
        """The asset's price in the numeraire."""
        return _get_double(_lib.keel_market_price, self._ptr, self._own(asset))

    def set_price(self, asset: AssetLike, price: float) -> None:
        """Sets a price (finite, > 0)."""
        check(_lib.keel_market_set_price(self._ptr, self._own(asset), float(price)))

    def set_prices(self, prices: Iterable[float]) -> None:
        """Sets the prices of assets 0..n-1 at once; all or nothing. Takes any
        sequence, or a contiguous float64 numpy array without copying."""
        np: Any
        try:
            import numpy as np  # optional
        except ImportError:  # pragma: no cover - numpy is optional
            np = None
        if np is not None and isinstance(prices, np.ndarray):
            if prices.dtype != np.float64 or prices.ndim != 1 or not prices.flags.c_contiguous:
                raise TypeError("prices must be a 1-D contiguous float64 array")
            ptr = prices.ctypes.data_as(ctypes.POINTER(c_double))
            check(_lib.keel_market_set_prices(self._ptr, ptr, prices.shape[0]))
            return
        values = [float(p) for p in prices]
        arr = (c_double * len(values))(*values)
        check(_lib.keel_market_set_prices(self._ptr, arr, len(values)))

    def volatility(self, asset: AssetLike) -> float:
        """Annual volatility of log returns."""
        return _get_double(_lib.keel_market_volatility, self._ptr, self._own(asset))

    def set_volatility(self, asset: AssetLike, volatility: float) -> None:
        """Sets annual volatility (finite, >= 0)."""
        check(_lib.keel_market_set_volatility(self._ptr, self._own(asset), float(volatility)))

    def carry(self, asset: AssetLike) -> float:
        """Continuous annual yield of holding the asset."""
        return _get_double(_lib.keel_market_carry, self._ptr, self._own(asset))

    def set_carry(self, asset: AssetLike, carry: float) -> None:
        """Sets the carry (finite)."""
        check(_lib.keel_market_set_carry(self._ptr, self._own(asset), float(carry)))

    def depth(self, asset: AssetLike) -> float:
        """Liquidity depth in the numeraire (inf: unlimited)."""
        return _get_double(_lib.keel_market_depth, self._ptr, self._own(asset))

    def set_depth(self, asset: AssetLike, depth: float) -> None:
        """Sets liquidity depth (> 0, inf allowed)."""
        check(_lib.keel_market_set_depth(self._ptr, self._own(asset), float(depth)))

    @property
    def rate(self) -> float:
        """The risk-free rate (continuous, annual)."""
        return _get_double(_lib.keel_market_rate, self._ptr)

    @rate.setter
    def rate(self, value: float) -> None:
        check(_lib.keel_market_set_rate(self._ptr, float(value)))

    def correlation(self, a: AssetLike, b: AssetLike) -> float:
        """Correlation of two assets' log returns."""
        return _get_double(_lib.keel_market_correlation, self._ptr, self._own(a, "a"), self._own(b, "b"))

    def set_correlation(self, a: AssetLike, b: AssetLike, rho: float) -> None:
        """Sets a correlation in [-1, 1], symmetric. O(p) for p pairs stored;
        to set many, use set_correlations."""
        check(_lib.keel_market_set_correlation(self._ptr, self._own(a, "a"), self._own(b, "b"), float(rho)))

    def set_correlations(self, a: Iterable[AssetLike], b: Iterable[AssetLike],
                         rho: Iterable[float]) -> None:
        """Sets many correlations at once (keel_market_set_correlations): pair i
        is (a[i], b[i]) with rho[i] in [-1, 1]. The market ends as
        set_correlation for each i in order would leave it (a later pair wins,
        0 removes one), but all or nothing, in O(p + k log k) for k pairs and p
        stored. Raises ValueError when the three lengths differ."""
        ids_a, ids_b = [self._own(x, "a") for x in a], [self._own(x, "b") for x in b]
        vals = [float(x) for x in rho]
        n = len(vals)
        if not len(ids_a) == len(ids_b) == n:
            raise ValueError(f"a, b and rho have {len(ids_a)}, {len(ids_b)} and {n} entries")
        arr = _ffi.keel_asset * n
        check(_lib.keel_market_set_correlations(self._ptr, n, arr(*ids_a), arr(*ids_b),
                                                (c_double * n)(*vals)))

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Market closed>"
        body = ", ".join(f"{self.symbol(i)}={self.price(i):g}" for i in range(min(len(self), 8)))
        more = ", ..." if len(self) > 8 else ""
        return f"<keel.Market {len(self)} assets: {body}{more}>"


@dataclass(frozen=True)
class Position(Record):
    """One asset's holding in a basket.

    Attributes:
        asset: the asset (an Asset with its symbol when the basket was given
            Asset objects, else the bare id).
        collateral: units held as collateral (>= 0).
        debt: units owed (>= 0).
    """

    asset: AssetLike
    collateral: float
    debt: float


@dataclass(frozen=True)
class Metrics(Record):
    """An account's metrics, values in the numeraire. With q_i units of
    collateral i at price p_i, haircuts h_init,i / h_maint,i, debts d_j at
    price p_j and borrow factors b_j:

    Attributes:
        collateral_value: C = sum q_i p_i.
        borrowing_power: BP = sum q_i p_i (1 - h_init,i).
        liquidation_value: L = sum q_i p_i (1 - h_maint,i).
        debt_value: D = sum d_j p_j.
        weighted_debt: W = sum d_j p_j b_j + option_margin.
        health_factor: L / W; +inf without weighted debt (W = 0, or L / W
            beyond the range of a double). Liquidatable below 1.
        ltv: keel's loan to value D / C (0 when D = 0; +inf when C = 0 < D).
            Not Aave's "ltv", which is weighted_max_ltv.
        collateral_ratio: C / D (+inf when D = 0).
        capital_efficiency: W / BP, the share of borrowing power in use (0
            when W = 0, +inf when BP = 0 < W); above 1 nothing more may be borrowed.
        free_borrowing_power: max(BP - W, 0), what may still be borrowed in
            weighted numeraire (Aave's availableBorrowsBase).
        liquidation_buffer: L - W, how far maintenance-weighted collateral may
            fall before liquidation (negative when liquidatable).
        option_value: net value of the options book (0 without one).
        option_margin: margin the options book requires, included in W.
        weighted_max_ltv: BP / C_s with C_s the value of the collateral that has
            a haircut schedule (Aave v3's getUserAccountData "ltv"); 0 when C_s = 0.
        weighted_liquidation_threshold: L / C_s (Aave v3's
            "currentLiquidationThreshold"); 0 when C_s = 0.
    """

    collateral_value: float
    borrowing_power: float
    liquidation_value: float
    debt_value: float
    weighted_debt: float
    health_factor: float
    ltv: float
    collateral_ratio: float
    capital_efficiency: float
    free_borrowing_power: float
    liquidation_buffer: float
    option_value: float
    option_margin: float
    weighted_max_ltv: float
    weighted_liquidation_threshold: float


@dataclass(frozen=True)
class LiquidationPrice(Record):
    """Price of one asset at which HF = 1, all else fixed.

    Attributes:
        price: that price in the numeraire (0 when side is NEVER or ALWAYS).
        side: which way the price must move to liquidate (LiquidationSide,
            a str: "below", "above", "never" or "always").
    """

    price: float
    side: LiquidationSide


_SIDES = {0: LiquidationSide.NEVER, 1: LiquidationSide.BELOW, 2: LiquidationSide.ABOVE,
          3: LiquidationSide.ALWAYS}


class HaircutModel(_Bound, _Handle):
    """Initial and maintenance haircuts per collateral asset, borrow factors
    per debt asset (keel_haircut_model). Assets with no haircut count for nothing."""

    _free = "keel_haircut_model_free"

    def __init__(self) -> None:
        out = c_void_p()
        check(_lib.keel_haircut_model_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "HaircutModel":
        """A deep copy."""
        c = HaircutModel._make(_lib.keel_haircut_model_clone, self._ptr)
        c._copy_binding(self)
        return c

    def set_asset(self, asset: AssetLike, initial: float, maintenance: float) -> None:
        """Sets haircuts with 0 <= maintenance <= initial <= 1, maintenance < 1
        (LTV = 1 - initial, liquidation threshold = 1 - maintenance; initial 1
        is LTV 0: the asset counts toward the health factor only)."""
        check(_lib.keel_haircut_model_set_asset(self._ptr, self._bind(asset), float(initial),
                                                float(maintenance)))

    def asset(self, asset: AssetLike) -> Tuple[float, float]:
        """(initial, maintenance); (1.0, 1.0) when none is set."""
        i, m = c_double(), c_double()
        check(_lib.keel_haircut_model_asset(self._ptr, self._bind(asset), byref(i), byref(m)))
        return (i.value, m.value)

    def clear_asset(self, asset: AssetLike) -> None:
        """Removes an asset's haircuts: it counts for nothing again."""
        check(_lib.keel_haircut_model_clear_asset(self._ptr, self._bind(asset)))

    def set_borrow_factor(self, asset: AssetLike, factor: float) -> None:
        """Sets a debt asset's borrow factor (>= 1)."""
        check(_lib.keel_haircut_model_set_borrow_factor(self._ptr, self._bind(asset), float(factor)))

    def borrow_factor(self, asset: AssetLike) -> float:
        """The borrow factor; 1.0 when none is set."""
        return _get_double(_lib.keel_haircut_model_borrow_factor, self._ptr, self._bind(asset))

    def set_cap(self, asset: AssetLike, cap: float) -> None:
        """Largest haircut the asset can reach through add-ons, in [0, 1]."""
        check(_lib.keel_haircut_model_set_cap(self._ptr, self._bind(asset), float(cap)))

    def cap(self, asset: AssetLike) -> float:
        """The asset's haircut cap (1.0 when none is set)."""
        return _get_double(_lib.keel_haircut_model_cap, self._ptr, self._bind(asset))

    def set_volatility_addon(self, confidence: float, horizon_days: float) -> None:
        """Adds 1 - exp(-z sigma sqrt(H)) to each scheduled asset's haircuts:
        `confidence` in [0.5, 1) (e.g. 0.99), `horizon_days` H >= 0 (e.g. 5);
        horizon_days = 0 turns it off (the model's default)."""
        check(_lib.keel_haircut_model_set_volatility_addon(self._ptr, float(confidence),
                                                           float(horizon_days)))

    @property
    def volatility_addon(self) -> Tuple[float, float]:
        """(confidence, horizon_days); horizon 0 means off."""
        c, h = c_double(), c_double()
        check(_lib.keel_haircut_model_volatility_addon(self._ptr, byref(c), byref(h)))
        return (c.value, h.value)

    def set_liquidity_addon(self, k: float, cap: float) -> None:
        """Adds min(cap, k sqrt(position value / depth)); k = 0 turns it off."""
        check(_lib.keel_haircut_model_set_liquidity_addon(self._ptr, float(k), float(cap)))

    @property
    def liquidity_addon(self) -> Tuple[float, float]:
        """(k, cap); k 0 means off."""
        k, c = c_double(), c_double()
        check(_lib.keel_haircut_model_liquidity_addon(self._ptr, byref(k), byref(c)))
        return (k.value, c.value)

    def set_concentration(self, asset: AssetLike, max_share: float, extra: float = 0.0) -> None:
        """Penalises the part of the asset above max_share of the basket's collateral."""
        check(_lib.keel_haircut_model_set_concentration(self._ptr, self._bind(asset),
                                                        float(max_share), float(extra)))

    def concentration(self, asset: AssetLike) -> Tuple[float, float]:
        """(max_share, extra); (1.0, 0.0) when none is set."""
        m, e = c_double(), c_double()
        check(_lib.keel_haircut_model_concentration(self._ptr, self._bind(asset), byref(m),
                                                    byref(e)))
        return (m.value, e.value)

    _MODES = {ConcentrationMode.EXTRA: 0, ConcentrationMode.EXCLUDE: 1}

    @property
    def concentration_mode(self) -> ConcentrationMode:
        """ConcentrationMode.EXTRA ("extra": an extra haircut on the excess) or
        EXCLUDE ("exclude": the excess counts for nothing); a str is accepted."""
        out = c_int()
        check(_lib.keel_haircut_model_concentration_mode(self._ptr, byref(out)))
        return {v: k for k, v in self._MODES.items()}[out.value]

    @concentration_mode.setter
    def concentration_mode(self, mode: Union[ConcentrationMode, str]) -> None:
        m = parse(ConcentrationMode, mode, "concentration mode")
        check(_lib.keel_haircut_model_set_concentration_mode(self._ptr, self._MODES[m]))

    def set_peg_group(self, asset: AssetLike, group: int) -> None:
        """Puts an asset in a peg group (0: its own group)."""
        group = _int(group, "peg group", 0, U32_MAX)
        check(_lib.keel_haircut_model_set_peg_group(self._ptr, self._bind(asset), group))

    def peg_group(self, asset: AssetLike) -> int:
        """The asset's peg group (0 when none)."""
        out = ctypes.c_uint32()
        check(_lib.keel_haircut_model_peg_group(self._ptr, self._bind(asset), byref(out)))
        return out.value

    @property
    def peg_mismatch_addon(self) -> float:
        """Add-on for collateral outside the peg group of the debt it backs (0: off)."""
        return _get_double(_lib.keel_haircut_model_peg_mismatch_addon, self._ptr)

    @peg_mismatch_addon.setter
    def peg_mismatch_addon(self, addon: float) -> None:
        check(_lib.keel_haircut_model_set_peg_mismatch_addon(self._ptr, float(addon)))

    @property
    def portfolio_mode(self) -> bool:
        """Whether the volatility add-on is replaced by the account's VaR."""
        out = c_int()
        check(_lib.keel_haircut_model_portfolio_mode(self._ptr, byref(out)))
        return bool(out.value)

    @portfolio_mode.setter
    def portfolio_mode(self, enabled: bool) -> None:
        check(_lib.keel_haircut_model_set_portfolio_mode(self._ptr, 1 if enabled else 0))

    def set_portfolio_mode(self, enabled: bool) -> None:
        """Same as assigning ``portfolio_mode``."""
        self.portfolio_mode = enabled

    def breakdown(self, market: Market, basket: Basket, asset: AssetLike) -> HaircutBreakdown:
        """Each component of an asset's haircut in a basket."""
        _same_market(market, haircuts=self, basket=basket)
        a = _market_asset(market, asset)
        c = _ffi.CHaircutComponents()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_haircut_breakdown(self._ptr, _h(basket, "basket"), _h(market, "market"),
                                          a, byref(c)))
        values: Dict[str, Any] = {name: getattr(c, name)
                                  for name, _ in _ffi.CHaircutComponents._fields_[1:]}
        values["has_schedule"] = bool(values["has_schedule"])
        return HaircutBreakdown(**values)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.HaircutModel closed>"
        conf, horizon = self.volatility_addon
        k, _ = self.liquidity_addon
        parts = []
        if horizon > 0:
            parts.append(f"volatility {conf:g}/{horizon:g}d")
        if k > 0:
            parts.append(f"liquidity k={k:g}")
        if self.peg_mismatch_addon > 0:
            parts.append(f"peg {self.peg_mismatch_addon:g}")
        if self.portfolio_mode:
            parts.append("portfolio")
        sched = []
        for v in sorted(self.__dict__.get("_symbols", {})):
            init, maint = self.asset(v)
            if maint < 1.0:
                sched.append(f"{self._name(v)}: {init:g}/{maint:g}")
        head = "{" + ", ".join(sched) + "} " if sched else ""
        return f"<keel.HaircutModel {head}{', '.join(parts) or 'fixed schedule'}>"


@dataclass(frozen=True)
class HaircutBreakdown(Record):
    """Why an asset's haircut is what it is: base_maintenance + volatility +
    liquidity + peg + concentration + cap_adjustment == maintenance.

    Attributes:
        has_schedule: whether the asset has a base haircut (without one it
            counts for nothing: initial = maintenance = 1, the rest 0).
        base_initial: the initial haircut of the schedule.
        base_maintenance: the maintenance haircut of the schedule.
        volatility: the volatility add-on 1 - exp(-z sigma sqrt(H)) (0 in
            portfolio mode: see portfolio_component).
        liquidity: the liquidity add-on min(cap, k sqrt(position value / depth)).
        peg: the peg-mismatch add-on.
        concentration: the concentration add-on (mode "extra"), or (1 - capped
            haircut) x excess_fraction (mode "exclude").
        cap_adjustment: <= 0, what the asset's cap took off the maintenance haircut.
        initial: the effective initial haircut (before any portfolio requirement).
        maintenance: the effective maintenance haircut (same).
        excess_fraction: the fraction of the position above its concentration limit.
        portfolio_component: in portfolio mode, the asset's Euler share of the
            account's VaR in the numeraire (< 0 for a hedge); 0 otherwise.
        portfolio_var: in portfolio mode, the account's whole VaR; 0 otherwise.
    """

    has_schedule: bool
    base_initial: float
    base_maintenance: float
    volatility: float
    liquidity: float
    peg: float
    concentration: float
    cap_adjustment: float
    initial: float
    maintenance: float
    excess_fraction: float
    portfolio_component: float
    portfolio_var: float


def volatility_haircut(volatility: float, confidence: float, horizon_years: float) -> float:
    """1 - exp(-z sigma sqrt(T)): the lognormal fall exceeded with probability 1 - confidence."""
    out = c_double()
    check(_lib.keel_volatility_haircut(float(volatility), float(confidence),
                                       float(horizon_years), byref(out)))
    return out.value


def scale_holding_period(haircut: float, from_days: float, to_days: float) -> float:
    """H_N = H_M sqrt(N / M): square-root-of-time scaling of a haircut."""
    out = c_double()
    check(_lib.keel_haircut_scale_holding_period(float(haircut), float(from_days),
                                                 float(to_days), byref(out)))
    return out.value


class Ewma:
    """RiskMetrics EWMA variance: s2 = lam s2 + (1 - lam) r^2 (RiskMetrics
    uses lam = 0.94 for daily returns; the library has no default, so give it)."""

    def __init__(self, lam: float, variance: float = 0.0) -> None:
        self._s = _ffi.CEwma()
        check(_lib.keel_ewma_init(byref(self._s), float(lam), float(variance)))

    def update(self, ret: float) -> float:
        """Absorbs a return; returns the new variance."""
        check(_lib.keel_ewma_update(byref(self._s), float(ret)))
        return float(self._s.variance)

    def update_price(self, price: float) -> float:
        """Absorbs a price (the first only sets the reference); returns the variance."""
        check(_lib.keel_ewma_update_price(byref(self._s), float(price)))
        return float(self._s.variance)

    @property
    def lam(self) -> float:
        """The decay factor."""
        return float(self._s.lambda_)

    @property
    def variance(self) -> float:
        """Current per-period variance."""
        return float(self._s.variance)

    @property
    def count(self) -> int:
        """Returns absorbed so far."""
        return int(self._s.count)

    def forecast(self, steps: int = 1) -> float:
        """EWMA forecasts are flat: the current variance at every horizon."""
        if steps < 1:
            raise ValueError("steps must be >= 1")
        return float(self._s.variance)

    def annual_volatility(self, periods_per_year: float) -> float:
        """sqrt(variance x periods_per_year)."""
        out = c_double()
        check(_lib.keel_ewma_annual_volatility(byref(self._s), float(periods_per_year),
                                               byref(out)))
        return out.value

    def __repr__(self) -> str:
        return f"<keel.Ewma lam={self.lam:g} variance={self.variance:.6g} n={self.count}>"


class Garch:
    """GARCH(1,1) variance: s2 = omega + alpha r^2 + beta s2."""

    def __init__(self, omega: float, alpha: float, beta: float, variance: float = 0.0) -> None:
        self._s = _ffi.CGarch()
        check(_lib.keel_garch_init(byref(self._s), float(omega), float(alpha), float(beta),
                                   float(variance)))

    def update(self, ret: float) -> float:
        """Absorbs a return; returns the new variance."""
        check(_lib.keel_garch_update(byref(self._s), float(ret)))
        return float(self._s.variance)

    def update_price(self, price: float) -> float:
        """Absorbs a price (the first only sets the reference); returns the variance."""
        check(_lib.keel_garch_update_price(byref(self._s), float(price)))
        return float(self._s.variance)

    @property
    def variance(self) -> float:
        """Current one-step-ahead variance."""
        return float(self._s.variance)

    @property
    def long_run_variance(self) -> float:
        """omega / (1 - alpha - beta)."""
        out = c_double()
        check(_lib.keel_garch_long_run_variance(byref(self._s), byref(out)))
        return out.value

    def forecast(self, steps: int) -> float:
        """Expected variance `steps` periods ahead (1: the current forecast)."""
        steps = _int(steps, "steps", 1, U32_MAX)
        out = c_double()
        check(_lib.keel_garch_forecast(byref(self._s), steps, byref(out)))
        return out.value

    def annual_volatility(self, periods_per_year: float) -> float:
        """sqrt(variance x periods_per_year)."""
        out = c_double()
        check(_lib.keel_garch_annual_volatility(byref(self._s), float(periods_per_year),
                                                byref(out)))
        return out.value

    def __repr__(self) -> str:
        s = self._s
        return (f"<keel.Garch omega={s.omega:g} alpha={s.alpha:g} beta={s.beta:g} "
                f"variance={s.variance:.6g}>")


def _options_ptr(options: Optional[Options]) -> Optional[_ffi.HandleRef]:
    return _opt_h(options, "options")


class Basket(_Bound, _Handle):
    """Collateral and debt quantities per asset (keel_basket).

    A basket given Asset objects knows their market: valuing it with another
    market (or with haircuts, costs or an options book holding another
    market's assets) raises MarketMismatchError. Its repr names the assets:
    ``<keel.Basket {ETH: +10, USDC: -12000}>`` (collateral +, debt -)."""

    _free = "keel_basket_free"

    def __init__(self) -> None:
        out = c_void_p()
        check(_lib.keel_basket_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "Basket":
        """A deep copy."""
        c = Basket._make(_lib.keel_basket_clone, self._ptr)
        c._copy_binding(self)
        return c

    def set_collateral(self, asset: AssetLike, quantity: float) -> None:
        """Sets the collateral quantity (>= 0; 0 removes)."""
        check(_lib.keel_basket_set_collateral(self._ptr, self._bind(asset), float(quantity)))

    def set_debt(self, asset: AssetLike, quantity: float) -> None:
        """Sets the debt quantity (>= 0; 0 removes)."""
        check(_lib.keel_basket_set_debt(self._ptr, self._bind(asset), float(quantity)))

    def add_collateral(self, asset: AssetLike, delta: float) -> None:
        """Deposits (delta > 0) or withdraws (delta < 0); the result must stay >= 0."""
        check(_lib.keel_basket_add_collateral(self._ptr, self._bind(asset), float(delta)))

    def add_debt(self, asset: AssetLike, delta: float) -> None:
        """Borrows (delta > 0) or repays (delta < 0); the result must stay >= 0."""
        check(_lib.keel_basket_add_debt(self._ptr, self._bind(asset), float(delta)))

    def collateral(self, asset: AssetLike) -> float:
        """Collateral quantity (0.0 when not held)."""
        return _get_double(_lib.keel_basket_collateral, self._ptr, self._bind(asset))

    def debt(self, asset: AssetLike) -> float:
        """Debt quantity (0.0 when not owed)."""
        return _get_double(_lib.keel_basket_debt, self._ptr, self._bind(asset))

    def positions(self) -> List[Position]:
        """Every position, in increasing asset id (assets as Asset objects when
        the basket was given them)."""
        count = c_size_t()
        check(_lib.keel_basket_positions(self._ptr, None, 0, byref(count)))
        arr = (_ffi.Position * max(count.value, 1))()
        check(_lib.keel_basket_positions(self._ptr, arr, count.value, byref(count)))
        return [Position(self._label(p.asset), p.collateral, p.debt) for p in arr[:count.value]]

    def to_dict(self) -> Dict[str, Dict[str, float]]:
        """{symbol (or id): {"collateral": units, "debt": units}}."""
        return {self._name(int(p.asset)): {"collateral": p.collateral, "debt": p.debt}
                for p in self.positions()}

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per position (index: symbol or id),
        columns collateral and debt (pandas imported lazily)."""
        from ._records import pandas
        pd = pandas()
        d = self.to_dict()
        return pd.DataFrame({"collateral": [v["collateral"] for v in d.values()],
                             "debt": [v["debt"] for v in d.values()]},
                            index=pd.Index(list(d), name="asset"))

    def __len__(self) -> int:
        count = c_size_t()
        check(_lib.keel_basket_positions(self._ptr, None, 0, byref(count)))
        return count.value

    def clear(self) -> None:
        """Removes every position."""
        check(_lib.keel_basket_clear(self._ptr))

    def _check(self, market: Market, haircuts: Optional[HaircutModel],
               options: Optional[Options]) -> None:
        _same_market(market, basket=self, haircuts=haircuts, options=options)

    def metrics(self, market: Market, haircuts: HaircutModel,
                options: Optional[Options] = None) -> Metrics:
        """The account's metrics in this market under these haircuts (and the
        options book's value and margin, when given)."""
        self._check(market, haircuts, options)
        m = _ffi.CMetrics()
        m.size = ctypes.sizeof(m)
        check(_lib.keel_basket_metrics(self._ptr, _options_ptr(options), _h(market, "market"),
                                       _h(haircuts, "haircuts"), byref(m)))
        return Metrics(*(getattr(m, name) for name, _ in _ffi.CMetrics._fields_[1:]))

    def liquidation_price(self, market: Market, haircuts: HaircutModel, asset: AssetLike,
                          options: Optional[Options] = None) -> LiquidationPrice:
        """Price of `asset` at which HF = 1, all else fixed."""
        self._check(market, haircuts, options)
        a = _market_asset(market, asset)
        price, side = c_double(), c_int()
        check(_lib.keel_basket_liquidation_price(self._ptr, _options_ptr(options),
                                                 _h(market, "market"), _h(haircuts, "haircuts"),
                                                 a, byref(price), byref(side)))
        return LiquidationPrice(price.value, _SIDES[side.value])

    def liquidation_prices(self, market: Market, haircuts: HaircutModel, asset: AssetLike,
                           options: Optional[Options] = None) -> Tuple[float, float]:
        """(below, above): the nearest prices on each side of spot where HF
        crosses 1; below is 0.0 when no lower price crosses, above is inf
        when no higher price does."""
        self._check(market, haircuts, options)
        a = _market_asset(market, asset)
        lo, hi = c_double(), c_double()
        check(_lib.keel_basket_liquidation_prices(self._ptr, _options_ptr(options),
                                                  _h(market, "market"), _h(haircuts, "haircuts"),
                                                  a, byref(lo), byref(hi)))
        return (lo.value, hi.value)

    def health_sensitivity(self, market: Market, haircuts: HaircutModel, asset: AssetLike,
                           options: Optional[Options] = None) -> Tuple[float, float]:
        """(dHF/dp, d2HF/dp2) with respect to one asset's price."""
        self._check(market, haircuts, options)
        a = _market_asset(market, asset)
        d1, d2 = c_double(), c_double()
        check(_lib.keel_basket_health_sensitivity(self._ptr, _options_ptr(options),
                                                  _h(market, "market"), _h(haircuts, "haircuts"),
                                                  a, byref(d1), byref(d2)))
        return (d1.value, d2.value)

    def pnl(self, market: Market, asset: AssetLike, move: float,
            options: Optional[Options] = None) -> Tuple[float, float]:
        """(full revaluation, delta-gamma) P&L of the account's equity, in the
        numeraire, for a relative move of one asset's price (0.1: +10%)."""
        self._check(market, None, options)
        a = _market_asset(market, asset)
        full, approx = c_double(), c_double()
        check(_lib.keel_basket_pnl(self._ptr, _options_ptr(options), _h(market, "market"),
                                   a, float(move), byref(full), byref(approx)))
        return (full.value, approx.value)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Basket closed>"
        pos = self.positions()
        items = []
        for p in pos[:8]:
            name = self._name(int(p.asset))
            if p.collateral and p.debt:
                items.append(f"{name}: +{p.collateral:g}/-{p.debt:g}")
            elif p.debt:
                items.append(f"{name}: -{p.debt:g}")
            else:
                items.append(f"{name}: +{p.collateral:g}")
        more = f", ... ({len(pos)} positions)" if len(pos) > 8 else ""
        return f"<keel.Basket {{{', '.join(items)}{more}}}>"
