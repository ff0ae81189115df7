"""Rebalancing policies: health band, leverage band, target weights, delta
hedge, predictive, and compositions of these. Each proposes a Plan."""

from __future__ import annotations

import ctypes

from ctypes import byref, c_double, c_int, c_void_p

from . import _ffi
from ._core import _Handle, _asset, _h, _opt_h
from .errors import check
from .plan import Plan, _plan_from
from ._defaults import c_struct, fill

_lib = _ffi.lib
_KINDS = {0: "health_band", 1: "leverage_band", 2: "target_weights", 3: "delta_hedge",
          4: "predictive", 5: "composite"}
ALLOW = {"repay": 1, "boost": 2, "withdraw": 4, "swap": 8, "deposit": 16}


def _opt_id(asset):
    """None (the library's default, no asset) or a checked asset id."""
    return None if asset is None else _asset(asset)


def _opt_float(x):
    return None if x is None else float(x)


def _sized(struct_type):
    s = struct_type()
    s.size = ctypes.sizeof(s)
    return s


class Policy(_Handle):
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

    @classmethod
    def health_band(cls, repay_below: float | None = None, repay_to: float | None = None,
                    boost_above: float | None = None, boost_to: float | None = None,
                    allowed=None, debt_asset: int | None = None,
                    boost_asset: int | None = None, withdraw_asset: int | None = None,
                    swap_to: int | None = None, max_trade_value: float | None = None) -> "Policy":
        """Repay below `repay_below` back to `repay_to`; above `boost_above`,
        borrow and buy (`"boost"`) or withdraw (`"withdraw"`) back to `boost_to`.
        `allowed` names the actions: repay, boost, withdraw, swap, deposit.
        Health factors are ratios (> 1); `max_trade_value` is in the numeraire
        (0: no limit). A setting left as None takes the C library's default
        (`keel.defaults("health_band")`).
        Raises OutOfRangeError when the settings contradict each other."""
        p = c_struct(_ffi.CHealthBandParams)
        if allowed is not None:
            bits = 0
            for name in allowed:
                if name not in ALLOW:
                    raise ValueError(f"unknown action {name!r}; use {sorted(ALLOW)}")
                bits |= ALLOW[name]
            p.allowed = bits
        fill(p, repay_below=_opt_float(repay_below), repay_to=_opt_float(repay_to),
             boost_above=_opt_float(boost_above), boost_to=_opt_float(boost_to),
             debt_asset=_opt_id(debt_asset), boost_asset=_opt_id(boost_asset),
             withdraw_asset=_opt_id(withdraw_asset), swap_to=_opt_id(swap_to),
             max_trade_value=_opt_float(max_trade_value))
        return cls._make(_lib.keel_policy_health_band, byref(p))

    @classmethod
    def leverage_band(cls, asset: int, debt_asset: int, target: float | None = None,
                      min: float | None = None, max: float | None = None,
                      speed: float | None = None, max_trade_value: float | None = None,
                      ripcord: float | None = None,
                      ripcord_max_trade_value: float | None = None) -> "Policy":
        """Leverage C / (C - D) kept in [min, max], recentred `speed` of the way
        to `target` and clamped into [min, max] (Index Coop's FLI new leverage
        ratio); at `ripcord` or above, straight down to `max` (FLI's ripcord).
        Trade limits are in the numeraire (0: none). None takes the C
        library's default (`keel.defaults("leverage_band")`)."""
        p = c_struct(_ffi.CLeverageBandParams)
        fill(p, target=_opt_float(target), min=_opt_float(min), max=_opt_float(max),
             speed=_opt_float(speed), max_trade_value=_opt_float(max_trade_value),
             ripcord=_opt_float(ripcord),
             ripcord_max_trade_value=_opt_float(ripcord_max_trade_value))
        p.asset, p.debt_asset = _asset(asset), _asset(debt_asset)
        return cls._make(_lib.keel_policy_leverage_band, byref(p))

    @classmethod
    def target_weights(cls, weights: dict, band: float | None = None) -> "Policy":
        """Collateral weights by value, `{asset: weight}` (in [0, 1], summing
        to 1), each within +-band (None: the C library's default band)."""
        assets = [_asset(a) for a in weights]
        p = c_struct(_ffi.CTargetWeightsParams)
        a_arr = (_ffi.keel_asset * len(assets))(*assets)
        w_arr = (c_double * len(assets))(*[float(w) for w in weights.values()])
        p.count, p.assets, p.weights = len(assets), a_arr, w_arr
        fill(p, band=_opt_float(band))
        return cls._make(_lib.keel_policy_target_weights, byref(p))

    @classmethod
    def delta_hedge(cls, funding_asset: int, risk_aversion: float | None = None) -> "Policy":
        """Each underlying's net delta kept inside the Whalley-Wilmott band;
        `risk_aversion` per numeraire (None: the C library's default)."""
        p = c_struct(_ffi.CDeltaHedgeParams)
        fill(p, risk_aversion=_opt_float(risk_aversion))
        p.funding_asset = _asset(funding_asset)
        return cls._make(_lib.keel_policy_delta_hedge, byref(p))

    @classmethod
    def predictive(cls, horizon: float | None = None, max_probability: float | None = None,
                   repay_asset: int | None = None, swap_to: int | None = None,
                   max_trade_value: float | None = None) -> "Policy":
        """Deleverage just enough when the probability of liquidation within
        `horizon` years exceeds `max_probability`. None takes the C library's
        default (`keel.defaults("predictive")`)."""
        p = c_struct(_ffi.CPredictiveParams)
        fill(p, horizon=_opt_float(horizon), max_probability=_opt_float(max_probability),
             repay_asset=_opt_id(repay_asset), swap_to=_opt_id(swap_to),
             max_trade_value=_opt_float(max_trade_value))
        return cls._make(_lib.keel_policy_predictive, byref(p))

    @classmethod
    def compose(cls, *policies: "Policy") -> "Policy":
        """The policies run in order, each on the account the previous plans leave."""
        # (no Python code runs between taking the pointers and the call)
        refs = [_h(p, f"policies[{i}]") for i, p in enumerate(policies)]
        arr = (c_void_p * len(refs))(*[r.value for r in refs])
        return cls._make(_lib.keel_policy_compose, arr, len(policies))

    def clone(self) -> "Policy":
        """A copy."""
        return Policy._make(_lib.keel_policy_clone, self._ptr)

    @property
    def kind(self) -> str:
        """health_band, leverage_band, target_weights, delta_hedge, predictive or composite."""
        k = c_int()
        check(_lib.keel_policy_kind_of(self._ptr, byref(k)))
        return _KINDS.get(k.value, str(k.value))

    def plan(self, market, basket, haircuts, costs, options=None, wallet=None) -> Plan:
        """What to do now: a Plan (empty when the policy would not act)."""
        out = c_void_p()
        check(_lib.keel_policy_plan(self._ptr, _h(basket, "basket"),
                                    _opt_h(options, "options"), _h(market, "market"),
                                    _h(haircuts, "haircuts"), _h(costs, "costs"),
                                    _opt_h(wallet, "wallet"), byref(out)))
        return _plan_from(out)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Policy closed>"
        return f"<keel.Policy {self.kind}>"


def hedge_band(gamma: float, spot: float, cost: float, risk_aversion: float,
               discount: float = 1.0) -> float:
    """Half-width of the Whalley-Wilmott no-trade band, in units of the
    underlying. Experimental (docs/abi.md)."""
    out = c_double()
    check(_lib.keel_hedge_band(float(gamma), float(spot), float(cost), float(risk_aversion),
                               float(discount), byref(out)))
    return out.value


def liquidation_probability(market, basket, haircuts, horizon: float, options=None) -> float:
    """Probability that the health factor falls below 1 within `horizon` years."""
    out = c_double()
    check(_lib.keel_liquidation_probability(_h(basket, "basket"), _opt_h(options, "options"),
                                            _h(market, "market"), _h(haircuts, "haircuts"),
                                            float(horizon), byref(out)))
    return out.value


def optimize_collateral(market, haircuts, assets, total_value: float | None = None, *,
                        max_var: float | None = None, min_borrowing: float | None = None,
                        caps=None, confidence: float | None = None,
                        horizon: float | None = None):
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
    ids = [_asset(a) for a in assets]
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
    return dict(zip(ids, list(out))), r.borrowing_power, r.var


__all__ = ["Policy", "hedge_band", "liquidation_probability", "optimize_collateral", "ALLOW"]

