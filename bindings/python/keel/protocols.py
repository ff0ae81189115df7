"""One position, several lending protocols: where is it cheapest and safest to hold?

`compare` reads the same collateral and debt held on Aave v3 (with or without e-mode),
Compound v3 and Morpho Blue -- each through its protocol-exact layer (keel.aave,
keel.comet, keel.morpho) -- and reports, in one unit (the debt token), what tells the
venues apart:

- the health factor by the protocol's own definition (Aave: getUserAccountData's; Comet:
  the liquidation-factor-weighted collateral value over the debt value, 1 exactly at
  isLiquidatable's line; Morpho: maxBorrow / borrowed, 1 exactly at _isHealthy's line);
- the liquidation price of the collateral, in debt tokens per collateral token: the
  highest oracle price at which the position is liquidatable (oracle granularity);
- the first liquidation at that price: what it takes and what it clears (Aave's best
  liquidation call, Comet's absorb, Morpho's largest seizure), the penalty being the value
  taken less what the borrower is credited for it;
- the cost of keel's least-cost deleverage plan (keel.deleverage on the protocol's
  bridge to keel: each protocol's own liquidation line as keel's haircuts) back to a
  target health factor.

The formulas are the protocols' own (docs/protocols.md names the Solidity each follows);
this module only reads them side by side.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from ._core import Basket, HaircutModel, Market
from .aave import AaveAccount, AaveRevert
from .comet import CometAccount, CometRevert
from .cost import CostModel
from .errors import InfeasibleError
from .morpho import MorphoMarket, MorphoPosition, MorphoRevert
from .plan import deleverage

U256_MAX = 2**256 - 1


@dataclass(frozen=True)
class VenueReport:
    """One venue's figures; amounts in debt tokens (whole tokens, not wei).

    health_factor: the protocol's own (inf without debt); liquidatable: its verdict now;
    liquidation_price: debt tokens per `collateral` token at which the position becomes
    liquidatable, the highest such oracle price (None: at no price of it; inf: at every
    price of it, e.g. liquidatable now whatever it is worth). The first liquidation -- at
    the liquidation price, or now when that is inf -- as the protocol runs it: seized maps
    each asset it takes to the tokens taken (collateral_taken is `collateral`'s share),
    debt_cleared, and the penalty: the value taken less the value the borrower is credited
    for it (the debt repaid on Aave and Morpho; on Comet the absorb's credit at the
    liquidation factor, which clears the debt and returns any surplus as a supply);
    penalty_rate = penalty / debt_cleared. deleverage_cost: keel's least-cost plan to
    `target` (0 when already there), None when the plan is infeasible."""

    venue: str
    protocol: str
    health_factor: float
    liquidatable: bool
    liquidation_price: Optional[float]
    collateral_taken: float
    debt_cleared: float
    penalty: float
    penalty_rate: float
    deleverage_cost: Optional[float]
    seized: Dict[str, float] = field(default_factory=dict)


MorphoHolding = Tuple[MorphoMarket, MorphoPosition]  # (MorphoMarket, MorphoPosition)
Holding = Union[AaveAccount, CometAccount, MorphoHolding]
_Liq = Tuple[Dict[str, float], float, float]  # (seized, debt cleared, penalty)
_Venue = Tuple[str, float, bool, Optional[float], _Liq]
_NONE: _Liq = ({}, 0.0, 0.0)  # no liquidation


def _moved(account: Any, collateral: str, at: Optional[int]) -> Any:
    """A copy of `account` on a copy of its market with `collateral`'s oracle price set to
    `at` (None: as it is), for a liquidation quoted there without touching either."""
    market = account.market.clone()
    if at is not None:
        market.set_price(collateral, at)
    moved = account.clone()
    moved.market = market
    return moved


def _aave(a: AaveAccount, collateral: str, debt: str) -> _Venue:
    m = a.market
    d = a.account_data()
    hf = math.inf if d.health_factor == U256_MAX else d.health_factor / 1e18
    m.reserve(collateral)  # NotFoundError for a symbol the market lacks
    pd = m.reserve(debt).price
    b = a.liquidation_price(collateral)
    at: Optional[int]
    if b.direction == -1 and b.price is not None:
        price, at = b.price / pd, b.price
    elif d.liquidatable:
        price, at = math.inf, None
    else:
        return "Aave v3", hf, d.liquidatable, None, _NONE

    a2 = _moved(a, collateral, at)
    m2 = a2.market
    try:
        q = a2.best_liquidation()
    except AaveRevert:
        return "Aave v3", hf, d.liquidatable, price, _NONE  # every call reverts
    qc, qd = m2.reserve(q.collateral), m2.reserve(q.debt)
    taken = (q.collateral_to_liquidator + q.protocol_fee) / 10**qc.decimals
    cleared_base = q.debt_repaid * qd.price / 10**qd.decimals
    penalty = (taken * qc.price - cleared_base) / pd
    return "Aave v3", hf, d.liquidatable, price, ({qc.symbol: taken}, cleared_base / pd, penalty)


def _comet(a: CometAccount, collateral: str, debt: str) -> _Venue:
    m = a.market
    if debt != m.base_symbol:
        raise ValueError(f"a Comet market lends only its base {m.base_symbol!r}, not {debt!r}")
    base = m.base()
    pb, unit = base["price"], 10**base["decimals"]
    liq = a.liquidity()
    hf = (liq.liquidate_collateral_value / -liq.base_value if liq.base_value < 0
          else math.inf)
    direction, p, _now = a.liquidation_price(collateral)
    if direction == -1:
        price, at = p / pb, p
    elif liq.is_liquidatable:
        price, at = math.inf, None
    else:
        return "Compound v3", hf, liq.is_liquidatable, None, _NONE
    try:
        q = _moved(a, collateral, at).absorb()
    except CometRevert:
        return "Compound v3", hf, liq.is_liquidatable, price, _NONE  # absorb paused
    seized = {m.symbols[i]: wei / 10**m.asset(i)["decimals"] for i, wei in q.seized.items()}
    cleared = min(q.delta_balance, -q.old_balance) / unit
    penalty = (sum(q.seized_value.values()) - q.delta_value) / pb
    return "Compound v3", hf, liq.is_liquidatable, price, (seized, cleared, penalty)


def _morpho(h: MorphoHolding, collateral: str, debt: str) -> _Venue:
    m, pos = h[0], h[1]
    if not isinstance(m, MorphoMarket) or not isinstance(pos, MorphoPosition):
        raise TypeError("a Morpho holding is a (MorphoMarket, MorphoPosition) pair")
    if (collateral, debt) != (m.collateral_symbol, m.loan_symbol):
        raise ValueError(f"the Morpho market lends {m.loan_symbol!r} against "
                         f"{m.collateral_symbol!r}, not {debt!r} against {collateral!r}")
    prm = m.params
    ld, cd = 10**prm.loan_decimals, 10**prm.collateral_decimals
    d = m.position_data(pos)
    hf = math.inf if d.health_factor == U256_MAX else d.health_factor / 1e18
    lp: Optional[float]
    try:
        lp = m.liquidation_price(pos)
    except InfeasibleError:  # no price makes it healthy (an LLTV of 0)
        lp = math.inf
    if lp is None:
        return "Morpho Blue", hf, d.liquidatable, None, _NONE
    m2 = m.clone()
    if lp != math.inf:
        m2.price = int(lp)
    price = lp / 10**36 * cd / ld if lp != math.inf else math.inf
    try:
        q = m2.best_liquidation(pos)
    except MorphoRevert:
        return "Morpho Blue", hf, d.liquidatable, price, _NONE  # every call reverts
    taken = q.seized_assets / cd
    penalty = (q.seized_value - q.repaid_assets) / ld
    return "Morpho Blue", hf, d.liquidatable, price, ({collateral: taken}, q.repaid_assets / ld,
                                                     penalty)


def _to_keel(holding: Holding) -> Tuple[Market, Basket, HaircutModel]:
    if isinstance(holding, (AaveAccount, CometAccount)):
        return holding.to_keel()
    return holding[0].to_keel(holding[1])


def compare(venues: Mapping[str, Holding], collateral: str, debt: str, *,
            target: float = 1.5,
            costs: Optional[Callable[[Market], CostModel]] = None) -> List[VenueReport]:
    """VenueReport for each named holding, in the order given.

    venues: name -> an AaveAccount, a CometAccount, or a (MorphoMarket, MorphoPosition)
    pair; each holds `collateral` and owes `debt` (symbols as its market names them).
    target: the health factor keel's least-cost deleverage plan restores (on each
    protocol's own liquidation line). costs: called with each venue's keel Market (the
    bridge's, whose assets carry the protocols' symbols) to build its CostModel; None:
    trades are free, so the plan's cost is 0 and only its feasibility shows.

    Raises TypeError for a holding of another kind, ValueError when a holding cannot hold
    `collateral` against `debt`, and the protocol layers' errors (NotFoundError for a symbol a
    market lacks). Units: debt tokens; the Aave and Comet oracles' prices (USD,
    8 decimals) are converted at the debt token's own oracle price."""
    out = []
    for name, holding in venues.items():
        if isinstance(holding, AaveAccount):
            r = _aave(holding, collateral, debt)
        elif isinstance(holding, CometAccount):
            r = _comet(holding, collateral, debt)
        elif isinstance(holding, (tuple, list)) and len(holding) == 2:
            r = _morpho(holding, collateral, debt)
        else:
            raise TypeError(f"venue {name!r}: an AaveAccount, a CometAccount or a "
                            f"(MorphoMarket, MorphoPosition) pair, got {type(holding).__name__}")
        protocol, hf, liquidatable, price, (seized, cleared, penalty) = r
        km, kb, kh = _to_keel(holding)
        syms = km.symbols
        cost: Optional[float] = 0.0
        if hf < target:
            model = costs(km) if costs is not None else CostModel()
            try:
                plan = deleverage(km, kb, kh, model, target=target,
                                  repay_asset=syms.index(debt))
                cost = plan.cost / km.price(syms.index(debt))
            except InfeasibleError:  # an infeasible plan is a finding, not an error
                cost = None
        out.append(VenueReport(name, protocol, hf, liquidatable, price,
                               seized.get(collateral, 0.0), cleared, penalty,
                               penalty / cleared if cleared else 0.0, cost, dict(seized)))
    return out


__all__ = ["VenueReport", "compare"]
