"""Rebalancing policies: health band, leverage band, target weights, delta
hedge, predictive, and compositions of these. Each proposes a Plan."""

from __future__ import annotations

import ctypes

from ctypes import byref, c_double, c_int, c_void_p
from typing import (TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Tuple, TypeVar,
                    Union)

from . import _ffi
from ._core import (Asset, AssetLike, Basket, HaircutModel, Market, _Bound, _Handle, _asset, _h,
                    _market_asset, _opt_h, _same_market)
from .errors import MarketMismatchError, check
from .kinds import Allow, PolicyKind, parse
from .plan import Plan, _plan_from
from ._defaults import c_struct, fill

if TYPE_CHECKING:
    from .cost import CostModel
    from .options import Options

_lib = _ffi.lib
_KINDS = {0: PolicyKind.HEALTH_BAND, 1: PolicyKind.LEVERAGE_BAND, 2: PolicyKind.TARGET_WEIGHTS,
          3: PolicyKind.DELTA_HEDGE, 4: PolicyKind.PREDICTIVE, 5: PolicyKind.COMPOSITE}
ALLOW = {Allow.REPAY: 1, Allow.BOOST: 2, Allow.WITHDRAW: 4, Allow.SWAP: 8, Allow.DEPOSIT: 16}
_S = TypeVar("_S", bound=ctypes.Structure)


def _opt_float(x: Optional[float]) -> Optional[float]:
    return None if x is None else float(x)


def _sized(struct_type: type[_S]) -> _S:
    s = struct_type()
    setattr(s, "size", ctypes.sizeof(s))
    return s


def _settings(p: ctypes.Structure, skip: Tuple[str, ...] = ()) -> Dict[str, Any]:
    """The fields of a filled parameter struct (size and pointers left out)."""
    out: Dict[str, Any] = {}
    for name, ctype in p._fields_:
        if name in ("size", "count") + skip or name in ("assets", "weights"):
            continue
        out[name] = getattr(p, name)
    return out


class Policy(_Bound, _Handle):
    """When to rebalance and toward what. Make one with a classmethod;
    `plan()` asks what to do now. Experimental (docs/abi.md): may change in
    a minor release.

    >>> import keel
    >>> m = keel.Market(); eth = m.add_asset("ETH", 1800.0); usdc = m.add_asset("USDC", 1.0)
    >>> h = keel.HaircutModel(); h.set_asset(eth, initial=0.25, maintenance=0.2)
    >>> b = keel.Basket(); b.set_collateral(eth, 10.0); b.set_debt(usdc, 12000.0)
    >>> band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=usdc)
    >>> plan = band.plan(m, b, h, keel.CostModel())
    >>> round(plan.actions[0].quantity, 9)   # 1440 (10 - x) = 1.5 (12000 - 1800 x)
    2.857142857
    """

    _free = "keel_policy_free"
    _settings_: Dict[str, Any]
    _asset_fields = ("debt_asset", "boost_asset", "withdraw_asset", "swap_to", "asset",
                     "repay_asset", "funding_asset")

    def _id(self, asset: Optional[AssetLike], name: str) -> Optional[int]:
        """None (the library's default, no asset) or the asset's id, binding
        this policy to the Asset's market."""
        return None if asset is None else self._bind(asset, name)

    @classmethod
    def _new(cls, kind: str) -> "Policy":
        obj = cls.__new__(cls)
        obj.__dict__["_pending_kind"] = kind
        return obj

    def _finish(self, ctor: Any, *args: Any, settings: Dict[str, Any]) -> "Policy":
        out = c_void_p()
        check(ctor(*args, byref(out)))
        _Handle.__init__(self, out)
        self._settings_ = settings
        return self

    @property
    def settings(self) -> Dict[str, Any]:
        """The parameters the policy was made with, defaults filled in (asset
        fields as ids or Assets, None when unset; composite: {"policies": [...]})."""
        return dict(getattr(self, "_settings_", {}))

    @classmethod
    def health_band(cls, repay_below: float | None = None, repay_to: float | None = None,
                    boost_above: float | None = None, boost_to: float | None = None,
                    allowed: Optional[Iterable[Union[Allow, str]]] = None,
                    debt_asset: Optional[AssetLike] = None,
                    boost_asset: Optional[AssetLike] = None,
                    withdraw_asset: Optional[AssetLike] = None,
                    swap_to: Optional[AssetLike] = None,
                    max_trade_value: float | None = None) -> "Policy":
        """Repay below `repay_below` back to `repay_to`; above `boost_above`,
        borrow and buy (`"boost"`) or withdraw (`"withdraw"`) back to `boost_to`.
        `allowed` names the actions: Allow members or their strings repay,
        boost, withdraw, swap, deposit.
        Health factors are ratios (> 1); `max_trade_value` is in the numeraire
        (0: no limit). A setting left as None takes the C library's default
        (`keel.defaults("health_band")`).
        Raises OutOfRangeError when the settings contradict each other."""
        self = cls._new("health_band")
        p = c_struct(_ffi.CHealthBandParams)
        if allowed is not None:
            if isinstance(allowed, str):
                raise TypeError("allowed must be a collection of action names, not one str")
            bits = 0
            for name in allowed:
                bits |= ALLOW[parse(Allow, name, "an allowed action")]
            p.allowed = bits
        fill(p, repay_below=_opt_float(repay_below), repay_to=_opt_float(repay_to),
             boost_above=_opt_float(boost_above), boost_to=_opt_float(boost_to),
             debt_asset=self._id(debt_asset, "debt_asset"),
             boost_asset=self._id(boost_asset, "boost_asset"),
             withdraw_asset=self._id(withdraw_asset, "withdraw_asset"),
             swap_to=self._id(swap_to, "swap_to"),
             max_trade_value=_opt_float(max_trade_value))
        settings = _settings(p)
        settings["allowed"] = [a.value for a, bit in ALLOW.items() if p.allowed & bit]
        return self._finish(_lib.keel_policy_health_band, byref(p), settings=settings)

    @classmethod
    def leverage_band(cls, asset: AssetLike, debt_asset: AssetLike,
                      target: float | None = None,
                      min: float | None = None, max: float | None = None,
                      speed: float | None = None, max_trade_value: float | None = None,
                      ripcord: float | None = None,
                      ripcord_max_trade_value: float | None = None) -> "Policy":
        """Leverage C / (C - D) kept in [min, max], recentred `speed` of the way
        to `target` and clamped into [min, max] (Index Coop's FLI new leverage
        ratio); at `ripcord` or above, straight down to `max` (FLI's ripcord).
        Trade limits are in the numeraire (0: none). None takes the C
        library's default (`keel.defaults("leverage_band")`)."""
        self = cls._new("leverage_band")
        p = c_struct(_ffi.CLeverageBandParams)
        fill(p, target=_opt_float(target), min=_opt_float(min), max=_opt_float(max),
             speed=_opt_float(speed), max_trade_value=_opt_float(max_trade_value),
             ripcord=_opt_float(ripcord),
             ripcord_max_trade_value=_opt_float(ripcord_max_trade_value))
        p.asset, p.debt_asset = self._bind(asset), self._bind(debt_asset, "debt_asset")
        return self._finish(_lib.keel_policy_leverage_band, byref(p), settings=_settings(p))

    @classmethod
    def target_weights(cls, weights: Mapping[AssetLike, float],
                       band: float | None = None) -> "Policy":
        """Collateral weights by value, `{asset: weight}` (in [0, 1], summing
        to 1), each within +-band (None: the C library's default band)."""
        self = cls._new("target_weights")
        assets = [self._bind(a) for a in weights]
        p = c_struct(_ffi.CTargetWeightsParams)
        a_arr = (_ffi.keel_asset * len(assets))(*assets)
        w_arr = (c_double * len(assets))(*[float(w) for w in weights.values()])
        p.count, p.assets, p.weights = len(assets), a_arr, w_arr
        fill(p, band=_opt_float(band))
        settings = {"weights": {self._name(a): float(w) for a, w in zip(assets, weights.values())},
                    **_settings(p)}
        return self._finish(_lib.keel_policy_target_weights, byref(p), settings=settings)

    @classmethod
    def delta_hedge(cls, funding_asset: AssetLike,
                    risk_aversion: float | None = None) -> "Policy":
        """Each underlying's net delta kept inside the Whalley-Wilmott band;
        `risk_aversion` per numeraire (None: the C library's default)."""
        self = cls._new("delta_hedge")
        p = c_struct(_ffi.CDeltaHedgeParams)
        fill(p, risk_aversion=_opt_float(risk_aversion))
        p.funding_asset = self._bind(funding_asset, "funding_asset")
        return self._finish(_lib.keel_policy_delta_hedge, byref(p), settings=_settings(p))

    @classmethod
    def predictive(cls, horizon: float | None = None, max_probability: float | None = None,
                   repay_asset: Optional[AssetLike] = None,
                   swap_to: Optional[AssetLike] = None,
                   max_trade_value: float | None = None) -> "Policy":
        """Deleverage just enough when the probability of liquidation within
        `horizon` years exceeds `max_probability`. None takes the C library's
        default (`keel.defaults("predictive")`)."""
        self = cls._new("predictive")
        p = c_struct(_ffi.CPredictiveParams)
        fill(p, horizon=_opt_float(horizon), max_probability=_opt_float(max_probability),
             repay_asset=self._id(repay_asset, "repay_asset"), swap_to=self._id(swap_to, "swap_to"),
             max_trade_value=_opt_float(max_trade_value))
        return self._finish(_lib.keel_policy_predictive, byref(p), settings=_settings(p))

    @classmethod
    def compose(cls, *policies: "Policy") -> "Policy":
        """The policies run in order, each on the account the previous plans leave."""
        self = cls._new("composite")
        for i, pol in enumerate(policies):
            if isinstance(pol, _Bound) and pol._universe is not None:
                if self._universe is None:
                    self._universe = pol._universe
                elif pol._universe is not self._universe:
                    raise MarketMismatchError(f"policies[{i}] holds assets of another market "
                                              "than the policies before it")
                self.__dict__.setdefault("_symbols", {}).update(pol.__dict__.get("_symbols", {}))
        # (no Python code runs between taking the pointers and the call)
        refs = [_h(p, f"policies[{i}]") for i, p in enumerate(policies)]
        arr = (c_void_p * len(refs))(*[r.value for r in refs])
        return self._finish(_lib.keel_policy_compose, arr, len(policies),
                            settings={"policies": list(policies)})

    def clone(self) -> "Policy":
        """A copy."""
        c = Policy._make(_lib.keel_policy_clone, self._ptr)
        c._copy_binding(self)
        c._settings_ = self.settings
        return c

    @property
    def kind(self) -> PolicyKind:
        """PolicyKind (a str): health_band, leverage_band, target_weights,
        delta_hedge, predictive or composite."""
        k = c_int()
        check(_lib.keel_policy_kind_of(self._ptr, byref(k)))
        kind = _KINDS.get(k.value)
        if kind is None:
            raise ValueError(f"unknown policy kind {k.value} (a newer libkeel?)")
        return kind

    def plan(self, market: Market, basket: Basket, haircuts: HaircutModel, costs: CostModel,
             options: Optional[Options] = None, wallet: Optional[Basket] = None) -> Plan:
        """What to do now: a Plan (empty when the policy would not act).
        MarketMismatchError when an argument holds assets of another market."""
        _same_market(market, policy=self, basket=basket, haircuts=haircuts, costs=costs,
                     options=options, wallet=wallet)
        out = c_void_p()
        check(_lib.keel_policy_plan(self._ptr, _h(basket, "basket"),
                                    _opt_h(options, "options"), _h(market, "market"),
                                    _h(haircuts, "haircuts"), _h(costs, "costs"),
                                    _opt_h(wallet, "wallet"), byref(out)))
        return _plan_from(out, market)

    def _show(self, name: str, value: Any) -> str:
        if name in self._asset_fields:
            return "None" if value == _ffi.KEEL_ASSET_INVALID else self._name(int(value))
        if name == "policies":
            return "[" + ", ".join(repr(p) for p in value) + "]"
        if isinstance(value, float):
            return f"{value:g}"
        return repr(value) if isinstance(value, (dict, list)) else str(value)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Policy closed>"
        args = ", ".join(f"{k}={self._show(k, v)}" for k, v in self.settings.items())
        return f"<keel.Policy {self.kind.value}({args})>"


def hedge_band(gamma: float, spot: float, cost: float, risk_aversion: float,
               discount: float = 1.0) -> float:
    """Half-width of the Whalley-Wilmott no-trade band, in units of the
    underlying. Experimental (docs/abi.md)."""
    out = c_double()
    check(_lib.keel_hedge_band(float(gamma), float(spot), float(cost), float(risk_aversion),
                               float(discount), byref(out)))
    return out.value


def liquidation_probability(market: Market, basket: Basket, haircuts: HaircutModel,
                            horizon: float, options: Optional[Options] = None) -> float:
    """Probability that the health factor falls below 1 within `horizon` years."""
    _same_market(market, basket=basket, haircuts=haircuts, options=options)
    out = c_double()
    check(_lib.keel_liquidation_probability(_h(basket, "basket"), _opt_h(options, "options"),
                                            _h(market, "market"), _h(haircuts, "haircuts"),
                                            float(horizon), byref(out)))
    return out.value


def optimize_collateral(market: Market, haircuts: HaircutModel, assets: Iterable[AssetLike],
                        total_value: float | None = None, *,
                        max_var: float | None = None, min_borrowing: float | None = None,
                        caps: Optional[Mapping[AssetLike, float]] = None,
                        confidence: float | None = None, horizon: float | None = None
                        ) -> Tuple[Dict[AssetLike, float], float, float]:
    """The mix of collateral to post, as {asset: value} in the numeraire, with
    (borrowing_power, var).

    Give `max_var` for the most borrowing power under that value-at-risk, or
    `min_borrowing` for the least VaR with that borrowing power. `caps`
    maps assets to their largest value. `total_value`, `confidence` and
    `horizon` (years) left as None take the C library's defaults
    (`keel.defaults("collateral")`).
    Experimental (docs/abi.md)."""
    if (max_var is None) == (min_borrowing is None):
        raise ValueError("give exactly one of max_var and min_borrowing")
    _same_market(market, haircuts=haircuts)
    given = list(assets)
    ids = [_market_asset(market, a) for a in given]
    p = c_struct(_ffi.CCollateralParams)
    p.goal = 0 if max_var is not None else 1
    fill(p, total_value=_opt_float(total_value), confidence=_opt_float(confidence),
         horizon=_opt_float(horizon), max_var=_opt_float(max_var),
         min_borrowing=_opt_float(min_borrowing))
    n = len(ids)
    ids_arr = (_ffi.keel_asset * n)(*ids)
    cap_arr = None
    if caps is not None:
        cap_arr = (c_double * n)(*[float(caps.get(a, float("inf"))) for a in ids])
    out = (c_double * n)()
    r = _sized(_ffi.CCollateralResult)
    check(_lib.keel_optimize_collateral(_h(market, "market"), _h(haircuts, "haircuts"), n, ids_arr,
                                        cap_arr, byref(p), out, byref(r)))
    keys: List[AssetLike] = [a if isinstance(a, Asset) else i for a, i in zip(given, ids)]
    return dict(zip(keys, list(out))), r.borrowing_power, r.var


__all__ = ["Policy", "hedge_band", "liquidation_probability", "optimize_collateral", "ALLOW"]

