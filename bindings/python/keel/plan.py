"""Plans and the least-cost deleverage solver."""

from __future__ import annotations

import ctypes
from ctypes import byref, c_double
from dataclasses import dataclass

from . import _ffi
from ._core import Metrics, _Handle, _asset, _h, _opt_h
from ._defaults import c_struct, fill
from .errors import InfeasibleError, check

_lib = _ffi.lib
_ACTIONS = {0: "repay_with_collateral", 1: "sell_to_repay", 2: "deposit", 3: "withdraw",
            4: "borrow_to_buy", 5: "swap", 6: "hedge", 7: "repay_from_wallet"}


@dataclass(frozen=True)
class Action:
    """One action, as four changes to the basket: collateral `asset` falls by
    `quantity`, debt `debt_asset` falls by `repaid` and rises by `borrowed`,
    collateral `to_asset` rises by `received`. Unused assets are
    keel.ASSET_INVALID. `cost` is the numeraire lost to trading costs."""

    kind: str
    asset: int
    quantity: float
    debt_asset: int
    repaid: float
    cost: float
    to_asset: int = _ffi.KEEL_ASSET_INVALID
    received: float = 0.0
    borrowed: float = 0.0


def _metrics(m) -> Metrics:
    return Metrics(*(getattr(m, name) for name, _ in _ffi.CMetrics._fields_[1:]))


class Plan(_Handle):
    """An ordered list of actions with their cost and the metrics before and after."""

    _free = "keel_plan_free"

    @property
    def actions(self) -> list:
        """The actions, in order."""
        n = ctypes.c_size_t()
        check(_lib.keel_plan_action_count(self._ptr, byref(n)))
        out = []
        for i in range(n.value):
            a = _ffi.CAction()
            a.size = ctypes.sizeof(a)
            check(_lib.keel_plan_action(self._ptr, i, byref(a)))
            out.append(Action(_ACTIONS.get(a.type, str(a.type)), a.asset, a.quantity,
                              a.debt_asset, a.repaid, a.cost, a.to_asset, a.received,
                              a.borrowed))
        return out

    def _summary(self):
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

    def apply(self, basket) -> None:
        """Applies every action to the basket it was made for, all or nothing."""
        check(_lib.keel_plan_apply(self._ptr, _h(basket, "basket")))

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Plan closed>"
        return f"<keel.Plan {len(self.actions)} actions, cost {self.cost:.6g}>"


def _plan_from(out) -> Plan:
    plan = Plan.__new__(Plan)
    _Handle.__init__(plan, out)
    return plan


def deleverage(market, basket, haircuts, costs, target: float | None = None,
               repay_asset: int | None = None, options=None,
               max_trade_value: float | None = None, swap_to: int | None = None,
               wallet=None) -> Plan:
    """The cheapest sales of collateral that bring the health factor to
    `target` (None: the C library's default, `keel.defaults("deleverage")`):
    repaying `repay_asset` (collateral held in that asset repays first, for
    free), or swapping into the safer collateral `swap_to`; units in `wallet`
    (a Basket) may be deposited. Give one of repay_asset and swap_to, or
    neither with a wallet (deposits only), as in C and Rust: the repay asset
    is never guessed. `max_trade_value` limits each sale in the numeraire
    (0: none). Raises OutOfRangeError without any of the three, and
    InfeasibleError (with .best_health) when the allowed actions cannot reach
    the target."""
    p = c_struct(_ffi.CDeleverageParams)
    fill(p, target_health=None if target is None else float(target),
         repay_asset=None if repay_asset is None else _asset(repay_asset),
         swap_to=None if swap_to is None else _asset(swap_to),
         max_trade_value=None if max_trade_value is None else float(max_trade_value),
         wallet=_opt_h(wallet, "wallet"))
    out = ctypes.c_void_p()
    best = c_double(float("nan"))
    try:
        check(_lib.keel_deleverage(_h(basket, "basket"), _opt_h(options, "options"),
                                   _h(market, "market"), _h(haircuts, "haircuts"),
                                   _h(costs, "costs"), byref(p), byref(out), byref(best)))
    except InfeasibleError as exc:
        exc.best_health = best.value
        raise
    return _plan_from(out)
