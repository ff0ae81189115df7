"""Plans and the least-cost deleverage solver."""

from __future__ import annotations

import ctypes
from ctypes import byref, c_double
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from . import _ffi
from ._core import (AssetLike, Basket, HaircutModel, Market, Metrics, _Bound, _Handle, _h,
                    _market_asset, _opt_h, _same_market)
from ._defaults import c_struct, fill
from ._records import Record, Records, pandas
from .errors import InfeasibleError, MarketMismatchError, check
from .kinds import ActionKind

if TYPE_CHECKING:
    from .cost import CostModel
    from .options import Options

_lib = _ffi.lib
_ACTIONS = {0: ActionKind.REPAY_WITH_COLLATERAL, 1: ActionKind.SELL_TO_REPAY,
            2: ActionKind.DEPOSIT, 3: ActionKind.WITHDRAW, 4: ActionKind.BORROW_TO_BUY,
            5: ActionKind.SWAP, 6: ActionKind.HEDGE, 7: ActionKind.REPAY_FROM_WALLET}


@dataclass(frozen=True)
class Action(Record):
    """One action of a plan, as four changes to the basket.

    Attributes:
        kind: what the action does (ActionKind, a str such as "sell_to_repay").
        asset: the collateral that falls by `quantity` (None when the action
            takes no collateral out, e.g. a deposit). An Asset with its symbol
            when the plan was made with a market of Asset objects.
        quantity: units of `asset` sold or withdrawn.
        debt_asset: the debt that falls by `repaid` and rises by `borrowed`
            (None when no debt changes).
        repaid: units of `debt_asset` repaid.
        cost: numeraire lost to trading costs (fees, spread, impact, gas).
        to_asset: the collateral that rises by `received` (None when none).
        received: units of `to_asset` received.
        borrowed: units of `debt_asset` borrowed.
    """

    kind: ActionKind
    asset: Optional[AssetLike]
    quantity: float
    debt_asset: Optional[AssetLike]
    repaid: float
    cost: float
    to_asset: Optional[AssetLike] = None
    received: float = 0.0
    borrowed: float = 0.0


def _metrics(m: _ffi.CMetrics) -> Metrics:
    return Metrics(*(getattr(m, name) for name, _ in _ffi.CMetrics._fields_[1:]))


class Plan(_Bound, _Handle):
    """An ordered list of actions with their cost and the account's metrics
    before and after. Made by deleverage() and Policy.plan(); knows the
    market it was made with (its actions name their assets' symbols)."""

    _free = "keel_plan_free"

    def _asset_or_none(self, v: int) -> Optional[AssetLike]:
        return None if v == _ffi.KEEL_ASSET_INVALID else self._label(v)

    @property
    def actions(self) -> Records[Action]:
        """The actions, in order (a list with to_frame() / to_dict())."""
        n = ctypes.c_size_t()
        check(_lib.keel_plan_action_count(self._ptr, byref(n)))
        out: Records[Action] = Records(columns=[f for f in Action.__dataclass_fields__])
        for i in range(n.value):
            a = _ffi.CAction()
            a.size = ctypes.sizeof(a)
            check(_lib.keel_plan_action(self._ptr, i, byref(a)))
            kind = _ACTIONS.get(a.type)
            if kind is None:
                raise ValueError(f"unknown action kind {a.type} (a newer libkeel?)")
            out.append(Action(kind, self._asset_or_none(a.asset), a.quantity,
                              self._asset_or_none(a.debt_asset), a.repaid, a.cost,
                              self._asset_or_none(a.to_asset), a.received, a.borrowed))
        return out

    def __len__(self) -> int:
        n = ctypes.c_size_t()
        check(_lib.keel_plan_action_count(self._ptr, byref(n)))
        return n.value

    def _summary(self) -> Tuple[float, Metrics, Metrics]:
        cost = c_double()
        before, after = _ffi.CMetrics(), _ffi.CMetrics()
        before.size = after.size = ctypes.sizeof(before)
        check(_lib.keel_plan_summary(self._ptr, byref(cost), byref(before), byref(after)))
        return cost.value, _metrics(before), _metrics(after)

    @property
    def cost(self) -> float:
        """Total cost in the numeraire."""
        return self._summary()[0]

    @property
    def before(self) -> Metrics:
        """The account's metrics before the plan."""
        return self._summary()[1]

    @property
    def after(self) -> Metrics:
        """The account's metrics after the plan."""
        return self._summary()[2]

    def apply(self, basket: Basket) -> None:
        """Applies every action to the basket it was made for, all or nothing."""
        if isinstance(basket, _Bound) and basket._universe is not None and \
                self._universe is not None and basket._universe is not self._universe:
            raise MarketMismatchError("basket holds assets of another market than the plan's")
        check(_lib.keel_plan_apply(self._ptr, _h(basket, "basket")))

    def to_dict(self) -> Dict[str, Any]:
        """{"cost", "before", "after" (metrics as dicts), "actions" (a list of dicts)}."""
        cost, before, after = self._summary()
        return {"cost": cost, "before": before.to_dict(), "after": after.to_dict(),
                "actions": [a.to_dict() for a in self.actions]}

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per action (pandas imported lazily)."""
        pandas()
        return self.actions.to_frame()

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Plan closed>"
        cost, before, after = self._summary()
        acts = self.actions
        noun = "action" if len(acts) == 1 else "actions"
        steps = "; ".join(_describe(a) for a in acts[:4]) + ("; ..." if len(acts) > 4 else "")
        body = f": {steps}" if acts else ""
        return (f"<keel.Plan {len(acts)} {noun}, cost {cost:.6g}, HF {before.health_factor:.4g}"
                f" -> {after.health_factor:.4g}{body}>")


def _name(asset: Optional[AssetLike]) -> str:
    sym = getattr(asset, "symbol", None)
    return str(sym) if sym is not None else str(asset)


def _describe(a: Action) -> str:
    parts = [a.kind.value]
    if a.asset is not None and a.quantity:
        parts.append(f"-{a.quantity:.6g} {_name(a.asset)}")
    if a.debt_asset is not None and a.repaid:
        parts.append(f"repay {a.repaid:.6g} {_name(a.debt_asset)}")
    if a.debt_asset is not None and a.borrowed:
        parts.append(f"borrow {a.borrowed:.6g} {_name(a.debt_asset)}")
    if a.to_asset is not None and a.received:
        parts.append(f"+{a.received:.6g} {_name(a.to_asset)}")
    return " ".join(parts)


def _plan_from(out: ctypes.c_void_p, market: Optional[Market] = None) -> Plan:
    plan = Plan.__new__(Plan)
    _Handle.__init__(plan, out)
    if isinstance(market, Market):  # the plan's actions name the market's symbols
        plan._universe = market._uni()
        plan.__dict__["_symbols"] = dict(enumerate(market._syms()))
    return plan


def deleverage(market: Market, basket: Basket, haircuts: HaircutModel, costs: CostModel,
               target: float | None = None, repay_asset: Optional[AssetLike] = None,
               options: Optional[Options] = None, max_trade_value: float | None = None,
               swap_to: Optional[AssetLike] = None, wallet: Optional[Basket] = None) -> Plan:
    """The cheapest sales of collateral that bring the health factor to
    `target` (None: the C library's default, `keel.defaults("deleverage")`):
    repaying `repay_asset` (collateral held in that asset repays first, for
    free), or swapping into the safer collateral `swap_to`; units in `wallet`
    (a Basket) may be deposited. Give one of repay_asset and swap_to, or
    neither with a wallet (deposits only), as in C and Rust: the repay asset
    is never guessed. `max_trade_value` limits each sale in the numeraire
    (0: none). Raises OutOfRangeError without any of the three, and
    InfeasibleError (with .best_health) when the allowed actions cannot reach
    the target; MarketMismatchError when an argument holds another market's assets."""
    _same_market(market, basket=basket, haircuts=haircuts, costs=costs, options=options,
                 wallet=wallet)
    p = c_struct(_ffi.CDeleverageParams)
    fill(p, target_health=None if target is None else float(target),
         repay_asset=None if repay_asset is None else _market_asset(market, repay_asset,
                                                                     "repay_asset"),
         swap_to=None if swap_to is None else _market_asset(market, swap_to, "swap_to"),
         max_trade_value=None if max_trade_value is None else float(max_trade_value),
         wallet=_opt_h(wallet, "wallet"))
    out = ctypes.c_void_p()
    best = c_double(float("nan"))
    try:
        check(_lib.keel_deleverage(_h(basket, "basket"), _opt_h(options, "options"),
                                   _h(market, "market"), _h(haircuts, "haircuts"),
                                   _h(costs, "costs"), byref(p), byref(out), byref(best)))
    except InfeasibleError as exc:
        exc.best_health = best.value  # type: ignore[attr-defined]
        raise
    return _plan_from(out, market)
