"""keel_cost_model: what a trade costs (fees, spread, gas, price impact)."""

from __future__ import annotations

import ctypes
from ctypes import byref
from dataclasses import dataclass

from . import _ffi
from ._core import _Handle, _asset, _h
from .errors import check

_lib = _ffi.lib
_IMPACTS = {0: "none", 1: "linear", 2: "sqrt", 3: "pool"}


@dataclass(frozen=True)
class TradeCost:
    """The cost of one trade, in the numeraire, and its effective price."""

    notional: float
    fee: float
    spread: float
    impact: float
    fixed: float
    total: float
    effective_price: float


@dataclass(frozen=True)
class SwapResult:
    """A sale and the purchase made with its net proceeds."""

    sold: float
    proceeds: float
    bought: float
    sell_cost: float
    buy_cost: float
    total_cost: float


class CostModel(_Handle):
    """Per-asset trading costs (keel_cost_model); every trade is free until set.

    >>> import keel
    >>> m = keel.Market(); eth = m.add_asset("ETH", 2000.0)
    >>> c = keel.CostModel(); c.set_fee(eth, bps=5)
    >>> c.cost(m, eth, -10).total
    10.0
    """

    _free = "keel_cost_model_free"

    def __init__(self) -> None:
        out = ctypes.c_void_p()
        check(_lib.keel_cost_model_new(byref(out)))
        super().__init__(out)

    def clone(self) -> "CostModel":
        """A deep copy."""
        return CostModel._make(_lib.keel_cost_model_clone, self._ptr)

    def set_fee(self, asset: int, bps: float = 0.0, half_spread_bps: float = 0.0) -> None:
        """Proportional fee and half-spread, in basis points of notional."""
        check(_lib.keel_cost_model_set_fee(self._ptr, _asset(asset), float(bps) * 1e-4,
                                           float(half_spread_bps) * 1e-4))

    def set_fixed(self, asset: int, cost: float) -> None:
        """Fixed cost per trade (gas), in the numeraire."""
        check(_lib.keel_cost_model_set_fixed(self._ptr, _asset(asset), float(cost)))

    def set_linear_impact(self, asset: int, k: float, depth: float) -> None:
        """Impact k N^2 / depth for a trade of notional N."""
        check(_lib.keel_cost_model_set_linear_impact(self._ptr, _asset(asset), float(k),
                                                     float(depth)))

    def set_sqrt_impact(self, asset: int, y: float, volume: float) -> None:
        """Square-root law: Y sigma_daily sqrt(N / volume) N."""
        check(_lib.keel_cost_model_set_sqrt_impact(self._ptr, _asset(asset), float(y),
                                                   float(volume)))

    def set_pool(self, asset: int, base_reserve: float, quote_reserve: float,
                 fee: float) -> None:
        """Constant-product pool against the numeraire (exact output)."""
        check(_lib.keel_cost_model_set_pool(self._ptr, _asset(asset), float(base_reserve),
                                            float(quote_reserve), float(fee)))

    def clear_impact(self, asset: int) -> None:
        """Removes the asset's price impact."""
        check(_lib.keel_cost_model_clear_impact(self._ptr, _asset(asset)))

    def impact(self, asset: int) -> str:
        """'none', 'linear', 'sqrt' or 'pool'."""
        out = ctypes.c_int()
        check(_lib.keel_cost_model_impact(self._ptr, _asset(asset), byref(out)))
        return _IMPACTS[out.value]

    def cost(self, market, asset: int, quantity: float) -> TradeCost:
        """Cost of trading `quantity` units (> 0 buy, < 0 sell) at the market's price."""
        c = _ffi.CTradeCost()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_cost_model_cost(self._ptr, _h(market, "market"), _asset(asset),
                                        float(quantity), byref(c)))
        return TradeCost(*(getattr(c, n) for n, _ in _ffi.CTradeCost._fields_[1:]))

    def swap(self, market, sell: int, buy: int, quantity: float) -> SwapResult:
        """Sells `quantity` of `sell` and buys `buy` with the net proceeds."""
        r = _ffi.CSwapResult()
        r.size = ctypes.sizeof(r)
        check(_lib.keel_cost_model_swap(self._ptr, _h(market, "market"), _asset(sell), _asset(buy),
                                        float(quantity), byref(r)))
        return SwapResult(*(getattr(r, n) for n, _ in _ffi.CSwapResult._fields_[1:]))

    def __repr__(self) -> str:
        return "<keel.CostModel closed>" if self._ptr_value is None else "<keel.CostModel>"
