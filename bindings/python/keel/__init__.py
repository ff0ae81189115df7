"""keel: collateral risk and rebalancing (Python bindings over libkeel).

>>> import keel
>>> m = keel.Market(); eth = m.add_asset("ETH", 2000.0); usdc = m.add_asset("USDC", 1.0)
>>> h = keel.HaircutModel(); h.set_asset(eth, initial=0.195, maintenance=0.17)
>>> b = keel.Basket(); b.set_collateral(eth, 10.0); b.set_debt(usdc, 12000.0)
>>> round(b.metrics(m, h).health_factor, 6)
1.383333
"""

from __future__ import annotations

from ._core import (Asset, AssetLike, Basket, Ewma, Garch, HaircutBreakdown, HaircutModel,
                    LiquidationPrice, Market, Metrics, Position, live_handles,
                    scale_holding_period, version, volatility_haircut)
from ._records import Records
from .kinds import (ActionKind, Allow, ConcentrationMode, ImpactKind, LiquidationSide,
                    OptionType, PolicyKind, SimMetric, VolatilityModel)
from ._defaults import defaults
from ._garch import GarchFit, garch_fit
from . import aave
from . import comet
from . import morpho
from . import protocols
from .morpho import MorphoMarket, MorphoPosition
from .cost import CostModel, SwapResult, TradeCost
from .plan import Action, Plan, deleverage
from .policy import Policy, hedge_band, liquidation_probability, optimize_collateral
from .sim import (SimStats, SimSummary, Simulation, liquidations_at_risk, scan, scan_top_k,
                  stress)
from .trace import EventKind, SimEvent, Trace
from .options import (Greeks, MarginResult, OptionPosition, Options, black76, black_scholes,
                      black_scholes_batch, implied_volatility, implied_volatility_black76,
                      implied_volatility_batch, implied_volatility_black76_batch)
from .errors import (MarketMismatchError, ArbitrageError, PolicyFailureWarning, BadHandleError, BufferTooSmallError, CancelledError,
                     DuplicateError, InfeasibleError, InvalidSymbolError, KeelError,
                     NoConvergenceError, NoMemoryError, NotFiniteError, NotFoundError,
                     NotPsdError, NullArgError, OutOfRangeError, OverflowKeelError, StateError,
                     UnknownAssetError, status_name)

__version__ = version()
ASSET_INVALID = 0xFFFFFFFF  # keel_asset "no asset"

__all__ = [
    "Asset", "AssetLike", "Records", "MarketMismatchError", "OptionType", "LiquidationSide",
    "ActionKind", "Allow", "PolicyKind", "ConcentrationMode", "ImpactKind", "SimMetric",
    "VolatilityModel", "Market", "Basket", "HaircutModel", "Metrics", "Position", "LiquidationPrice",
    "HaircutBreakdown", "Ewma", "Garch", "GarchFit", "garch_fit", "volatility_haircut", "scale_holding_period",
    "defaults", "aave", "comet", "morpho", "protocols", "MorphoMarket", "MorphoPosition", "CostModel", "TradeCost", "SwapResult", "Plan", "Action", "deleverage", "Policy", "hedge_band", "liquidation_probability", "optimize_collateral", "ASSET_INVALID", "scan", "scan_top_k", "liquidations_at_risk", "stress", "Simulation", "SimStats", "SimSummary", "Trace", "SimEvent", "EventKind", "Greeks", "Options", "OptionPosition", "MarginResult", "black_scholes", "black76", "black_scholes_batch", "implied_volatility",
    "implied_volatility_black76", "implied_volatility_batch", "implied_volatility_black76_batch", "version", "live_handles", "status_name", "KeelError", "NullArgError", "NotFiniteError",
    "OutOfRangeError", "BadHandleError", "UnknownAssetError", "DuplicateError",
    "NotFoundError", "InvalidSymbolError", "NoMemoryError", "OverflowKeelError", "StateError",
    "BufferTooSmallError", "InfeasibleError", "NoConvergenceError", "CancelledError",
    "NotPsdError", "ArbitrageError", "PolicyFailureWarning",
]
