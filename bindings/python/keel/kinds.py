"""String-valued enumerations for the kinds and sides of keel's API.

Each member is a ``str`` and compares equal to its value (``OptionType.CALL ==
"call"``), so code that passes or compares strings keeps working; the enums give
the accepted values a name, a docstring and a type that mypy checks."""

from __future__ import annotations

from enum import Enum
from typing import Type, TypeVar, Union


class _StrEnum(str, Enum):
    """A str-valued enum whose str() is its value."""

    def __str__(self) -> str:
        return str(self.value)


class OptionType(_StrEnum):
    """A European call or put (keel_option_type)."""

    CALL = "call"  #: the right to buy at the strike
    PUT = "put"    #: the right to sell at the strike


class LiquidationSide(_StrEnum):
    """Which way one asset's price must move for the account to become
    liquidatable (keel_liquidation_side)."""

    NEVER = "never"    #: no positive price of the asset makes HF < 1
    BELOW = "below"    #: liquidatable at prices below the returned price
    ABOVE = "above"    #: liquidatable at prices above it (net debt in the asset)
    ALWAYS = "always"  #: HF < 1 at every positive price of the asset


class ActionKind(_StrEnum):
    """What one action of a plan does (keel_action_type)."""

    REPAY_WITH_COLLATERAL = "repay_with_collateral"  #: collateral held in the debt asset repays it
    SELL_TO_REPAY = "sell_to_repay"                  #: sell collateral, repay debt with the proceeds
    DEPOSIT = "deposit"                              #: move wallet units into collateral
    WITHDRAW = "withdraw"                            #: take collateral out
    BORROW_TO_BUY = "borrow_to_buy"                  #: borrow and buy collateral (leverage up)
    SWAP = "swap"                                    #: sell one collateral, buy another
    HEDGE = "hedge"                                  #: trade the underlying to hedge options delta
    REPAY_FROM_WALLET = "repay_from_wallet"          #: repay debt with wallet units


class PolicyKind(_StrEnum):
    """The kind of a rebalancing policy (keel_policy_kind)."""

    HEALTH_BAND = "health_band"
    LEVERAGE_BAND = "leverage_band"
    TARGET_WEIGHTS = "target_weights"
    DELTA_HEDGE = "delta_hedge"
    PREDICTIVE = "predictive"
    COMPOSITE = "composite"


class Allow(_StrEnum):
    """The actions a health band may take (Policy.health_band(allowed=...))."""

    REPAY = "repay"        #: sell collateral to repay debt below the band
    BOOST = "boost"        #: borrow and buy above the band
    WITHDRAW = "withdraw"  #: withdraw collateral above the band
    SWAP = "swap"          #: swap into safer collateral instead of repaying
    DEPOSIT = "deposit"    #: deposit wallet units


class ConcentrationMode(_StrEnum):
    """How collateral above an asset's concentration limit counts."""

    EXTRA = "extra"      #: an extra haircut on the excess
    EXCLUDE = "exclude"  #: the excess counts for nothing


class ImpactKind(_StrEnum):
    """The price-impact model of an asset in a CostModel."""

    NONE = "none"
    LINEAR = "linear"  #: k N^2 / depth
    SQRT = "sqrt"      #: Y sigma_daily sqrt(N / volume) N
    POOL = "pool"      #: a constant-product pool


class SimMetric(_StrEnum):
    """A per-path quantity of a simulation (SimStats.values, percentile)."""

    FINAL_EQUITY = "final_equity"
    MIN_HEALTH = "min_health"
    MEAN_HEALTH = "mean_health"
    REBALANCE_COST = "rebalance_cost"
    BONUS_LOST = "bonus_lost"
    LIQUIDATIONS = "liquidations"
    FINAL_HEALTH = "final_health"
    POLICY_FAILURES = "policy_failures"


class VolatilityModel(_StrEnum):
    """How a simulated asset's volatility evolves (Simulation.set_volatility)."""

    CONSTANT = "constant"
    EWMA = "ewma"
    GARCH = "garch"


E = TypeVar("E", bound=_StrEnum)


def parse(enum: Type[E], value: Union[str, E], what: str) -> E:
    """`value` as a member of `enum`: a member, or its string value. ValueError
    naming the accepted values otherwise (TypeError for a non-string)."""
    if isinstance(value, enum):
        return value
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a {enum.__name__} or a str, got {type(value).__name__}")
    try:
        return enum(value)
    except ValueError:
        names = ", ".join(repr(m.value) for m in enum)
        raise ValueError(f"{what} must be one of {names}, got {value!r}") from None


__all__ = ["OptionType", "LiquidationSide", "ActionKind", "PolicyKind", "Allow",
           "ConcentrationMode", "ImpactKind", "SimMetric", "VolatilityModel"]
