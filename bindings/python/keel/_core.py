"""Pythonic classes over the keel handles."""

from __future__ import annotations

import operator

import ctypes
from ctypes import byref, c_double, c_int, c_size_t, c_void_p
from dataclasses import dataclass
from typing import Iterable, Optional

from . import _ffi
from .errors import NotFoundError, check

_lib = _ffi.lib


def version() -> str:
    """Version of the loaded libkeel, "MAJOR.MINOR.PATCH"."""
    return _lib.keel_version().decode()


def live_handles() -> int:
    """Number of keel handles alive in the process."""
    return _lib.keel_live_handles()


U32_MAX = 2**32 - 1
U64_MAX = 2**64 - 1


def _int(value, name: str, lo: int, hi: int) -> int:
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


def _asset(asset: int) -> int:
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


class _Handle:
    """Owns one C handle; frees it on close(), on leaving a with-block, or when collected."""

    _free = None  # name of the C free function

    def __init__(self, ptr: c_void_p):
        self._ptr_value = ptr

    @property
    def _ptr(self) -> "_ffi.HandleRef":
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

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __copy__(self):
        # a shallow copy would share the C handle: closing one would free the
        # other's (and a later handle could reuse the block)
        raise TypeError(f"{type(self).__name__} objects cannot be copied with copy.copy or "
                        "copy.deepcopy; use .clone() where the type has it")

    def __deepcopy__(self, memo):
        return self.__copy__()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:  # interpreter shutdown: the library may be gone
            pass

    @classmethod
    def _make(cls, ctor, *args):
        out = c_void_p()
        check(ctor(*args, byref(out)))
        obj = cls.__new__(cls)
        _Handle.__init__(obj, out)
        return obj


def _h(obj, name: str):
    """The C handle of `obj`, passed as argument `name`: anything but an open
    keel handle (None included) is a TypeError naming the argument."""
    if not isinstance(obj, _Handle):
        got = "None" if obj is None else type(obj).__name__
        raise TypeError(f"{name} must be a keel handle, got {got}")
    return obj._ptr


def _opt_h(obj, name: str):
    """As _h, for an argument where None means "none" (an options book, a wallet)."""
    return None if obj is None else _h(obj, name)


def _get_double(fn, *args) -> float:
    out = c_double()
    check(fn(*args, byref(out)))
    return out.value


class Market(_Handle):
    """Assets with prices, volatilities, carry and liquidity depth, a risk-free
    rate and pairwise correlations (keel_market)."""

    _free = "keel_market_free"

    def __init__(self) -> None:
        out = c_void_p()
        check(_lib.keel_market_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "Market":
        """A deep copy."""
        return Market._make(_lib.keel_market_clone, self._ptr)

    def add_asset(self, symbol: str, price: float, *, volatility: Optional[float] = None,
                  carry: Optional[float] = None, depth: Optional[float] = None) -> int:
        """Adds an asset and returns its id (0, 1, 2, ...), with the optional
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
        asset = out.value
        if volatility is not None:
            self.set_volatility(asset, volatility)
        if carry is not None:
            self.set_carry(asset, carry)
        if depth is not None:
            self.set_depth(asset, depth)
        return asset

    def find(self, symbol: str) -> int:
        """The id of the asset with this symbol; NotFoundError if none."""
        if not isinstance(symbol, str):
            raise TypeError(f"symbol must be a str, got {type(symbol).__name__}")
        if "\0" in symbol:
            raise NotFoundError(f"Market.find: no asset {symbol!r} (a symbol has no NUL)")
        out = _ffi.keel_asset()
        check(_lib.keel_market_find(self._ptr, symbol.encode(), byref(out)))
        return out.value

    def __getitem__(self, symbol: str) -> int:
        return self.find(symbol)

    def __contains__(self, symbol: object) -> bool:
        if not isinstance(symbol, str) or "\0" in symbol:
            return False
        out = _ffi.keel_asset()
        return _lib.keel_market_find(self._ptr, symbol.encode(), byref(out)) == 0

    def __len__(self) -> int:
        out = c_size_t()
        check(_lib.keel_market_asset_count(self._ptr, byref(out)))
        return out.value

    def symbol(self, asset: int) -> str:
        """The symbol of an asset id."""
        buf = ctypes.create_string_buffer(_ffi.KEEL_SYMBOL_MAX + 1)
        check(_lib.keel_market_symbol(self._ptr, _asset(asset), buf, len(buf)))
        return buf.value.decode()

    @property
    def symbols(self) -> list:
        """Every symbol, in id order."""
        return [self.symbol(i) for i in range(len(self))]

    def price(self, asset: int) -> float:
        """The asset's price in the numeraire."""
        return _get_double(_lib.keel_market_price, self._ptr, _asset(asset))

    def set_price(self, asset: int, price: float) -> None:
        """Sets a price (finite, > 0)."""
        check(_lib.keel_market_set_price(self._ptr, _asset(asset), float(price)))

    def set_prices(self, prices: Iterable[float]) -> None:
        """Sets the prices of assets 0..n-1 at once; all or nothing. Takes any
        sequence, or a contiguous float64 numpy array without copying."""
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

    def volatility(self, asset: int) -> float:
        """Annual volatility of log returns."""
        return _get_double(_lib.keel_market_volatility, self._ptr, _asset(asset))

    def set_volatility(self, asset: int, volatility: float) -> None:
        """Sets annual volatility (finite, >= 0)."""
        check(_lib.keel_market_set_volatility(self._ptr, _asset(asset), float(volatility)))

    def carry(self, asset: int) -> float:
        """Continuous annual yield of holding the asset."""
        return _get_double(_lib.keel_market_carry, self._ptr, _asset(asset))

    def set_carry(self, asset: int, carry: float) -> None:
        """Sets the carry (finite)."""
        check(_lib.keel_market_set_carry(self._ptr, _asset(asset), float(carry)))

    def depth(self, asset: int) -> float:
        """Liquidity depth in the numeraire (inf: unlimited)."""
        return _get_double(_lib.keel_market_depth, self._ptr, _asset(asset))

    def set_depth(self, asset: int, depth: float) -> None:
        """Sets liquidity depth (> 0, inf allowed)."""
        check(_lib.keel_market_set_depth(self._ptr, _asset(asset), float(depth)))

    @property
    def rate(self) -> float:
        """The risk-free rate (continuous, annual)."""
        return _get_double(_lib.keel_market_rate, self._ptr)

    @rate.setter
    def rate(self, value: float) -> None:
        check(_lib.keel_market_set_rate(self._ptr, float(value)))

    def correlation(self, a: int, b: int) -> float:
        """Correlation of two assets' log returns."""
        return _get_double(_lib.keel_market_correlation, self._ptr, _asset(a), _asset(b))

    def set_correlation(self, a: int, b: int, rho: float) -> None:
        """Sets a correlation in [-1, 1], symmetric. O(p) for p pairs stored;
        to set many, use set_correlations."""
        check(_lib.keel_market_set_correlation(self._ptr, _asset(a), _asset(b), float(rho)))

    def set_correlations(self, a: Iterable[int], b: Iterable[int],
                         rho: Iterable[float]) -> None:
        """Sets many correlations at once (keel_market_set_correlations): pair i
        is (a[i], b[i]) with rho[i] in [-1, 1]. The market ends as
        set_correlation for each i in order would leave it (a later pair wins,
        0 removes one), but all or nothing, in O(p + k log k) for k pairs and p
        stored. Raises ValueError when the three lengths differ."""
        ids_a, ids_b = [_asset(x) for x in a], [_asset(x) for x in b]
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
class Position:
    """One asset's holding in a basket."""

    asset: int
    collateral: float
    debt: float


@dataclass(frozen=True)
class Metrics:
    """An account's metrics (see keel/risk.h for each definition), values in
    the numeraire. `ltv` is keel's debt over collateral D / C; Aave's "ltv"
    (getUserAccountData) is `weighted_max_ltv`, the collateral-weighted
    maximum LTV BP / C_s, and its "currentLiquidationThreshold" is
    `weighted_liquidation_threshold`, L / C_s (C_s: the collateral that has a
    haircut schedule). `free_borrowing_power` is
    max(BP - W, 0)."""

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
class LiquidationPrice:
    """Price of one asset at which HF = 1, and which side of it liquidates:
    'below', 'above', 'never' or 'always' (price 0 for the last two)."""

    price: float
    side: str


_SIDES = {0: "never", 1: "below", 2: "above", 3: "always"}


class HaircutModel(_Handle):
    """Initial and maintenance haircuts per collateral asset, borrow factors
    per debt asset (keel_haircut_model). Assets with no haircut count for nothing."""

    _free = "keel_haircut_model_free"

    def __init__(self) -> None:
        out = c_void_p()
        check(_lib.keel_haircut_model_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "HaircutModel":
        """A deep copy."""
        return HaircutModel._make(_lib.keel_haircut_model_clone, self._ptr)

    def set_asset(self, asset: int, initial: float, maintenance: float) -> None:
        """Sets haircuts with 0 <= maintenance <= initial <= 1, maintenance < 1
        (LTV = 1 - initial, liquidation threshold = 1 - maintenance; initial 1
        is LTV 0: the asset counts toward the health factor only)."""
        check(_lib.keel_haircut_model_set_asset(self._ptr, _asset(asset), float(initial),
                                                float(maintenance)))

    def asset(self, asset: int) -> tuple:
        """(initial, maintenance); (1.0, 1.0) when none is set."""
        i, m = c_double(), c_double()
        check(_lib.keel_haircut_model_asset(self._ptr, _asset(asset), byref(i), byref(m)))
        return (i.value, m.value)

    def clear_asset(self, asset: int) -> None:
        """Removes an asset's haircuts: it counts for nothing again."""
        check(_lib.keel_haircut_model_clear_asset(self._ptr, _asset(asset)))

    def set_borrow_factor(self, asset: int, factor: float) -> None:
        """Sets a debt asset's borrow factor (>= 1)."""
        check(_lib.keel_haircut_model_set_borrow_factor(self._ptr, _asset(asset), float(factor)))

    def borrow_factor(self, asset: int) -> float:
        """The borrow factor; 1.0 when none is set."""
        return _get_double(_lib.keel_haircut_model_borrow_factor, self._ptr, _asset(asset))

    def set_cap(self, asset: int, cap: float) -> None:
        """Largest haircut the asset can reach through add-ons, in [0, 1]."""
        check(_lib.keel_haircut_model_set_cap(self._ptr, _asset(asset), float(cap)))

    def cap(self, asset: int) -> float:
        """The asset's haircut cap (1.0 when none is set)."""
        return _get_double(_lib.keel_haircut_model_cap, self._ptr, _asset(asset))

    def set_volatility_addon(self, confidence: float, horizon_days: float) -> None:
        """Adds 1 - exp(-z sigma sqrt(H)) to each scheduled asset's haircuts:
        `confidence` in [0.5, 1) (e.g. 0.99), `horizon_days` H >= 0 (e.g. 5);
        horizon_days = 0 turns it off (the model's default)."""
        check(_lib.keel_haircut_model_set_volatility_addon(self._ptr, float(confidence),
                                                           float(horizon_days)))

    @property
    def volatility_addon(self) -> tuple:
        """(confidence, horizon_days); horizon 0 means off."""
        c, h = c_double(), c_double()
        check(_lib.keel_haircut_model_volatility_addon(self._ptr, byref(c), byref(h)))
        return (c.value, h.value)

    def set_liquidity_addon(self, k: float, cap: float) -> None:
        """Adds min(cap, k sqrt(position value / depth)); k = 0 turns it off."""
        check(_lib.keel_haircut_model_set_liquidity_addon(self._ptr, float(k), float(cap)))

    @property
    def liquidity_addon(self) -> tuple:
        """(k, cap); k 0 means off."""
        k, c = c_double(), c_double()
        check(_lib.keel_haircut_model_liquidity_addon(self._ptr, byref(k), byref(c)))
        return (k.value, c.value)

    def set_concentration(self, asset: int, max_share: float, extra: float = 0.0) -> None:
        """Penalises the part of the asset above max_share of the basket's collateral."""
        check(_lib.keel_haircut_model_set_concentration(self._ptr, _asset(asset),
                                                        float(max_share), float(extra)))

    def concentration(self, asset: int) -> tuple:
        """(max_share, extra); (1.0, 0.0) when none is set."""
        m, e = c_double(), c_double()
        check(_lib.keel_haircut_model_concentration(self._ptr, _asset(asset), byref(m),
                                                    byref(e)))
        return (m.value, e.value)

    _MODES = {"extra": 0, "exclude": 1}

    @property
    def concentration_mode(self) -> str:
        """'extra' (an extra haircut on the excess) or 'exclude' (the excess counts nothing)."""
        out = c_int()
        check(_lib.keel_haircut_model_concentration_mode(self._ptr, byref(out)))
        return {v: k for k, v in self._MODES.items()}[out.value]

    @concentration_mode.setter
    def concentration_mode(self, mode: str) -> None:
        if mode not in self._MODES:
            raise ValueError(f"concentration mode must be 'extra' or 'exclude', got {mode!r}")
        check(_lib.keel_haircut_model_set_concentration_mode(self._ptr, self._MODES[mode]))

    def set_peg_group(self, asset: int, group: int) -> None:
        """Puts an asset in a peg group (0: its own group)."""
        group = _int(group, "peg group", 0, U32_MAX)
        check(_lib.keel_haircut_model_set_peg_group(self._ptr, _asset(asset), group))

    def peg_group(self, asset: int) -> int:
        """The asset's peg group (0 when none)."""
        out = ctypes.c_uint32()
        check(_lib.keel_haircut_model_peg_group(self._ptr, _asset(asset), byref(out)))
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

    def breakdown(self, market: "Market", basket: "Basket", asset: int) -> "HaircutBreakdown":
        """Each component of an asset's haircut in a basket."""
        c = _ffi.CHaircutComponents()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_haircut_breakdown(self._ptr, _h(basket, "basket"), _h(market, "market"),
                                          _asset(asset), byref(c)))
        values = {name: getattr(c, name) for name, _ in _ffi.CHaircutComponents._fields_[1:]}
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
        return f"<keel.HaircutModel {', '.join(parts) or 'fixed schedule'}>"


@dataclass(frozen=True)
class HaircutBreakdown:
    """Why an asset's haircut is what it is (keel_haircut_components):
    base_maintenance + volatility + liquidity + peg + concentration +
    cap_adjustment == maintenance."""

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
        return self._s.variance

    def update_price(self, price: float) -> float:
        """Absorbs a price (the first only sets the reference); returns the variance."""
        check(_lib.keel_ewma_update_price(byref(self._s), float(price)))
        return self._s.variance

    @property
    def lam(self) -> float:
        """The decay factor."""
        return self._s.lambda_

    @property
    def variance(self) -> float:
        """Current per-period variance."""
        return self._s.variance

    @property
    def count(self) -> int:
        """Returns absorbed so far."""
        return self._s.count

    def forecast(self, steps: int = 1) -> float:
        """EWMA forecasts are flat: the current variance at every horizon."""
        if steps < 1:
            raise ValueError("steps must be >= 1")
        return self._s.variance

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
        return self._s.variance

    def update_price(self, price: float) -> float:
        """Absorbs a price (the first only sets the reference); returns the variance."""
        check(_lib.keel_garch_update_price(byref(self._s), float(price)))
        return self._s.variance

    @property
    def variance(self) -> float:
        """Current one-step-ahead variance."""
        return self._s.variance

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


def _options_ptr(options) -> Optional[c_void_p]:
    return _opt_h(options, "options")


class Basket(_Handle):
    """Collateral and debt quantities per asset (keel_basket)."""

    _free = "keel_basket_free"

    def __init__(self) -> None:
        out = c_void_p()
        check(_lib.keel_basket_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "Basket":
        """A deep copy."""
        return Basket._make(_lib.keel_basket_clone, self._ptr)

    def set_collateral(self, asset: int, quantity: float) -> None:
        """Sets the collateral quantity (>= 0; 0 removes)."""
        check(_lib.keel_basket_set_collateral(self._ptr, _asset(asset), float(quantity)))

    def set_debt(self, asset: int, quantity: float) -> None:
        """Sets the debt quantity (>= 0; 0 removes)."""
        check(_lib.keel_basket_set_debt(self._ptr, _asset(asset), float(quantity)))

    def add_collateral(self, asset: int, delta: float) -> None:
        """Deposits (delta > 0) or withdraws (delta < 0); the result must stay >= 0."""
        check(_lib.keel_basket_add_collateral(self._ptr, _asset(asset), float(delta)))

    def add_debt(self, asset: int, delta: float) -> None:
        """Borrows (delta > 0) or repays (delta < 0); the result must stay >= 0."""
        check(_lib.keel_basket_add_debt(self._ptr, _asset(asset), float(delta)))

    def collateral(self, asset: int) -> float:
        """Collateral quantity (0.0 when not held)."""
        return _get_double(_lib.keel_basket_collateral, self._ptr, _asset(asset))

    def debt(self, asset: int) -> float:
        """Debt quantity (0.0 when not owed)."""
        return _get_double(_lib.keel_basket_debt, self._ptr, _asset(asset))

    def positions(self) -> list:
        """Every position, in increasing asset id."""
        count = c_size_t()
        check(_lib.keel_basket_positions(self._ptr, None, 0, byref(count)))
        arr = (_ffi.Position * max(count.value, 1))()
        check(_lib.keel_basket_positions(self._ptr, arr, count.value, byref(count)))
        return [Position(p.asset, p.collateral, p.debt) for p in arr[:count.value]]

    def __len__(self) -> int:
        count = c_size_t()
        check(_lib.keel_basket_positions(self._ptr, None, 0, byref(count)))
        return count.value

    def clear(self) -> None:
        """Removes every position."""
        check(_lib.keel_basket_clear(self._ptr))

    def metrics(self, market: Market, haircuts: HaircutModel, options=None) -> Metrics:
        """The account's metrics in this market under these haircuts."""
        m = _ffi.CMetrics()
        m.size = ctypes.sizeof(m)
        check(_lib.keel_basket_metrics(self._ptr, _options_ptr(options), _h(market, "market"),
                                       _h(haircuts, "haircuts"), byref(m)))
        return Metrics(*(getattr(m, name) for name, _ in _ffi.CMetrics._fields_[1:]))

    def liquidation_price(self, market: Market, haircuts: HaircutModel, asset: int,
                          options=None) -> LiquidationPrice:
        """Price of `asset` at which HF = 1, all else fixed."""
        price, side = c_double(), c_int()
        check(_lib.keel_basket_liquidation_price(self._ptr, _options_ptr(options),
                                                 _h(market, "market"), _h(haircuts, "haircuts"),
                                                 _asset(asset), byref(price), byref(side)))
        return LiquidationPrice(price.value, _SIDES[side.value])

    def liquidation_prices(self, market: Market, haircuts: HaircutModel, asset: int,
                           options=None) -> tuple:
        """(below, above): the nearest prices on each side of spot where HF
        crosses 1 (0.0 / inf when none)."""
        lo, hi = c_double(), c_double()
        check(_lib.keel_basket_liquidation_prices(self._ptr, _options_ptr(options),
                                                  _h(market, "market"), _h(haircuts, "haircuts"),
                                                  _asset(asset), byref(lo), byref(hi)))
        return (lo.value, hi.value)

    def health_sensitivity(self, market: Market, haircuts: HaircutModel, asset: int,
                           options=None) -> tuple:
        """(dHF/dp, d2HF/dp2) with respect to one asset's price."""
        d1, d2 = c_double(), c_double()
        check(_lib.keel_basket_health_sensitivity(self._ptr, _options_ptr(options),
                                                  _h(market, "market"), _h(haircuts, "haircuts"),
                                                  _asset(asset), byref(d1), byref(d2)))
        return (d1.value, d2.value)

    def pnl(self, market: Market, asset: int, move: float, options=None) -> tuple:
        """(full revaluation, delta-gamma) P&L of the account's equity for a
        relative move of one asset's price."""
        full, approx = c_double(), c_double()
        check(_lib.keel_basket_pnl(self._ptr, _options_ptr(options), _h(market, "market"),
                                   _asset(asset), float(move), byref(full), byref(approx)))
        return (full.value, approx.value)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Basket closed>"
        body = ", ".join(f"{p.asset}: +{p.collateral:g}/-{p.debt:g}" for p in self.positions()[:8])
        return f"<keel.Basket {{{body}}}>"
