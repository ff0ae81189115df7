"""keel_cost_model: what a trade costs (fees, spread, gas, price impact)."""

from __future__ import annotations

import ctypes
from ctypes import byref
from dataclasses import dataclass

from . import _ffi
from ._core import AssetLike, Market, _Bound, _Handle, _h, _market_asset
from ._records import Record
from .errors import check
from .kinds import ImpactKind

_lib = _ffi.lib
_IMPACTS = {0: ImpactKind.NONE, 1: ImpactKind.LINEAR, 2: ImpactKind.SQRT, 3: ImpactKind.POOL}


@dataclass(frozen=True)
class TradeCost(Record):
    """The cost of one trade, in the numeraire, and its effective price.

    Attributes:
        notional: |quantity| x price.
        fee: the proportional fee.
        spread: the half-spread paid.
        impact: the price impact.
        fixed: the fixed cost (gas).
        total: fee + spread + impact + fixed.
        effective_price: the average price obtained per unit.
    """

    notional: float
    fee: float
    spread: float
    impact: float
    fixed: float
    total: float
    effective_price: float


@dataclass(frozen=True)
class SwapResult(Record):
    """A sale and the purchase made with its net proceeds.

    Attributes:
        sold: units of the asset sold.
        proceeds: the sale's net proceeds, in the numeraire.
        bought: units of the asset bought with them.
        sell_cost: the sale's trading cost, in the numeraire.
        buy_cost: the purchase's trading cost.
        total_cost: sell_cost + buy_cost.
    """

    sold: float
    proceeds: float
    bought: float
    sell_cost: float
    buy_cost: float
    total_cost: float


class CostModel(_Bound, _Handle):
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
        c = CostModel._make(_lib.keel_cost_model_clone, self._ptr)
        c._copy_binding(self)
        return c

    def set_fee(self, asset: AssetLike, bps: float = 0.0, half_spread_bps: float = 0.0) -> None:
        """Proportional fee and half-spread, in basis points of notional."""
        check(_lib.keel_cost_model_set_fee(self._ptr, self._bind(asset), float(bps) * 1e-4,
                                           float(half_spread_bps) * 1e-4))

    def set_fixed(self, asset: AssetLike, cost: float) -> None:
        """Fixed cost per trade (gas), in the numeraire."""
        check(_lib.keel_cost_model_set_fixed(self._ptr, self._bind(asset), float(cost)))

    def set_linear_impact(self, asset: AssetLike, k: float, depth: float) -> None:
        """Impact k N^2 / depth for a trade of notional N."""
        check(_lib.keel_cost_model_set_linear_impact(self._ptr, self._bind(asset), float(k),
                                                     float(depth)))

    def set_sqrt_impact(self, asset: AssetLike, y: float, volume: float) -> None:
        """Square-root law: Y sigma_daily sqrt(N / volume) N."""
        check(_lib.keel_cost_model_set_sqrt_impact(self._ptr, self._bind(asset), float(y),
                                                   float(volume)))

    def set_pool(self, asset: AssetLike, base_reserve: float, quote_reserve: float,
                 fee: float) -> None:
        """Constant-product pool against the numeraire (exact output)."""
        check(_lib.keel_cost_model_set_pool(self._ptr, self._bind(asset), float(base_reserve),
                                            float(quote_reserve), float(fee)))

    def clear_impact(self, asset: AssetLike) -> None:
        """Removes the asset's price impact."""
        check(_lib.keel_cost_model_clear_impact(self._ptr, self._bind(asset)))

    def impact(self, asset: AssetLike) -> ImpactKind:
        """'none', 'linear', 'sqrt' or 'pool'."""
        out = ctypes.c_int()
        check(_lib.keel_cost_model_impact(self._ptr, self._bind(asset), byref(out)))
        return _IMPACTS[out.value]

    def cost(self, market: Market, asset: AssetLike, quantity: float) -> TradeCost:
        """Cost of trading `quantity` units (> 0 buy, < 0 sell) at the market's price."""
        self._check_market(market, "costs")
        asset = _market_asset(market, asset)
        c = _ffi.CTradeCost()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_cost_model_cost(self._ptr, _h(market, "market"), asset,
                                        float(quantity), byref(c)))
        return TradeCost(*(getattr(c, n) for n, _ in _ffi.CTradeCost._fields_[1:]))

    def swap(self, market: Market, sell: AssetLike, buy: AssetLike,
             quantity: float) -> SwapResult:
        """Sells `quantity` of `sell` and buys `buy` with the net proceeds."""
        self._check_market(market, "costs")
        sell, buy = _market_asset(market, sell, "sell"), _market_asset(market, buy, "buy")
        r = _ffi.CSwapResult()
        r.size = ctypes.sizeof(r)
        check(_lib.keel_cost_model_swap(self._ptr, _h(market, "market"), sell, buy,
                                        float(quantity), byref(r)))
        return SwapResult(*(getattr(r, n) for n, _ in _ffi.CSwapResult._fields_[1:]))

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.CostModel closed>"
        items = [f"{self._name(v)}: {self.impact(v).value} impact"
                 for v in sorted(self.__dict__.get("_symbols", {}))]
        return f"<keel.CostModel {{{', '.join(items)}}}>" if items else "<keel.CostModel>"
