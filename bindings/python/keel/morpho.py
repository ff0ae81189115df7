"""Morpho Blue positions exactly as the chain computes them (keel/morpho.h), with Python ints.

Amounts are ints in the token's smallest unit (wei); the LLTV, the fee, the borrow rate (per
second), the incentive factor and health factors in wads (10**18); the oracle price as
IOracle.price() returns it (loan wei per collateral wei times 10**36). Every int crossing into
C is checked against 0 <= v < 2**256 (never wrapped; floats and bools are a TypeError), and
the on-chain uint128 fields against 2**128 by the library. Source of every rule:
morpho-org/morpho-blue at tag v1.0.0 (commit 55d2d99304fb); docs/protocols.md maps each method
to its Solidity.

>>> from keel.morpho import MorphoMarket, MorphoPosition
>>> m = MorphoMarket("USDC", "WETH", lltv=86 * 10**16, loan_decimals=6,
...                  price=2000 * 10**6 * 10**36 // 10**18,  # 2,000 USDC per WETH
...                  total_supply_assets=10**12, total_supply_shares=10**18,
...                  total_borrow_assets=10**11, total_borrow_shares=10**17)
>>> p = MorphoPosition(borrow_shares=10**15, collateral=10**18)  # 1,000 USDC against 1 WETH
>>> m.position_data(p).healthy
True
"""

from __future__ import annotations

import ctypes
from ctypes import byref, c_uint32, c_void_p
from dataclasses import dataclass, fields
from typing import Any, Dict, Optional, Tuple, Union

from . import _ffi
from ._core import Basket, HaircutModel, Market, _Handle
from .aave import U256_MAX, WAD, HealthLike, _int_in, _keel_objects, _symbol, _wad, from_u256, to_u256
from .errors import InfeasibleError, KeelError, check

_lib = _ffi.lib

ORACLE_PRICE_SCALE = 10**36
_CONVERSIONS = {"to_shares_down": 0, "to_shares_up": 1, "to_assets_down": 2, "to_assets_up": 3}
_UNITS = {"assets": 0, "shares": 1}
_STATE_FIELDS = ("total_supply_assets", "total_supply_shares", "total_borrow_assets",
                 "total_borrow_shares", "last_update", "fee")


class MorphoRevert(InfeasibleError):
    """Morpho would revert the call; `reason` is ErrorsLib's string ("position is healthy",
    "inconsistent input", ...) or the panic's text."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class MorphoPosition:
    """A user's position (Morpho.sol `Position`): three ints."""

    supply_shares: int = 0
    borrow_shares: int = 0
    collateral: int = 0

    def _c(self) -> "_ffi.CMorphoPosition":
        c = _ffi.CMorphoPosition()
        c.supply_shares = to_u256(self.supply_shares, "supply_shares")
        c.borrow_shares = to_u256(self.borrow_shares, "borrow_shares")
        c.collateral = to_u256(self.collateral, "collateral")
        return c

    @staticmethod
    def _of(c: "_ffi.CMorphoPosition") -> "MorphoPosition":
        return MorphoPosition(from_u256(c.supply_shares), from_u256(c.borrow_shares),
                              from_u256(c.collateral))


PositionLike = Union["MorphoPosition", Tuple[int, int, int]]
"""A MorphoPosition or a (supply_shares, borrow_shares, collateral) tuple."""


def _position(p: PositionLike) -> "_ffi.CMorphoPosition":
    if isinstance(p, MorphoPosition):
        return p._c()
    if isinstance(p, tuple) and len(p) == 3:
        return MorphoPosition(*p)._c()
    raise TypeError(f"position must be a MorphoPosition or a (supply_shares, borrow_shares, "
                    f"collateral) tuple, got {type(p).__name__}")


@dataclass(frozen=True)
class MorphoParams:
    """A market's parameters (MarketParams' numbers, plus the tokens' decimals)."""

    loan_decimals: int
    collateral_decimals: int
    price: int
    lltv: int


@dataclass(frozen=True)
class MorphoState:
    """A market's state (Morpho.sol `Market`)."""

    total_supply_assets: int
    total_supply_shares: int
    total_borrow_assets: int
    total_borrow_shares: int
    last_update: int
    fee: int


@dataclass(frozen=True)
class MorphoPositionData:
    """_isHealthy's numbers: borrow_assets (toAssetsUp), collateral_value (loan wei),
    max_borrow, health_factor = max_borrow * 1e18 // borrow_assets (2**256 - 1 without debt),
    healthy (max_borrow >= borrow_assets), liquidatable; supply_assets (toAssetsDown)."""

    supply_assets: int
    borrow_assets: int
    collateral_value: int
    max_borrow: int
    health_factor: int
    healthy: bool
    liquidatable: bool


@dataclass(frozen=True)
class MorphoLiquidation:
    """One liquidate call: what the liquidator seizes and pays, the bad debt realised, the
    market's totals after it, and the position after it."""

    incentive_factor: int
    seized_assets: int
    repaid_shares: int
    repaid_assets: int
    bad_debt_shares: int
    bad_debt_assets: int
    seized_value: int
    profit: float
    total_supply_assets_after: int
    total_supply_shares_after: int
    total_borrow_assets_after: int
    total_borrow_shares_after: int
    after: MorphoPosition


def _u64(v: Any, name: str) -> int:
    return _int_in(v, name, 64)


def _state_c(st: Dict[str, Any]) -> "_ffi.CMorphoState":
    c = _ffi.CMorphoState()
    c.size = ctypes.sizeof(c)
    for k in _STATE_FIELDS:
        v = st.get(k, 0)
        if k == "last_update":
            c.last_update = _u64(v, k)
        else:
            setattr(c, k, to_u256(v, k))
    return c


def convert(op: str, amount: int, total_assets: int, total_shares: int) -> int:
    """One SharesMathLib conversion by name ("to_shares_down", "to_shares_up",
    "to_assets_down", "to_assets_up"); OverflowKeelError where the Solidity reverts."""
    if op not in _CONVERSIONS:
        raise ValueError(f"op must be one of {sorted(_CONVERSIONS)}, got {op!r}")
    out = _ffi.U256()
    check(_lib.keel_morpho_convert(_CONVERSIONS[op], to_u256(amount, "amount"),
                                   to_u256(total_assets, "total_assets"),
                                   to_u256(total_shares, "total_shares"), byref(out)))
    return from_u256(out)


def incentive_factor(lltv: int) -> int:
    """Morpho.liquidate's liquidation incentive factor for an LLTV (wad in, wad out)."""
    out = _ffi.U256()
    check(_lib.keel_morpho_incentive_factor(to_u256(lltv, "lltv"), byref(out)))
    return from_u256(out)


def _revert_name(code: int) -> str:
    return str(_lib.keel_morpho_revert_name(code).decode())


class MorphoMarket(_Handle):
    """A Morpho Blue market: parameters (LLTV, oracle price, decimals, symbols) and state
    (totals, last update, fee). Positions are plain MorphoPosition values."""

    _free = "keel_morpho_market_free"

    def __init__(self, loan: str, collateral: str, *, lltv: int, price: int,
                 loan_decimals: int = 18, collateral_decimals: int = 18, **state: Any) -> None:
        unknown = set(state) - set(_STATE_FIELDS)
        if unknown:
            raise TypeError(f"unknown market state field(s): {sorted(unknown)}")
        loan_c, coll_c = _symbol(loan, "loan"), _symbol(collateral, "collateral")
        p = _ffi.CMorphoParams()
        p.size = ctypes.sizeof(p)
        # (a count past 32 bits is clamped: the library then refuses it as above 38)
        p.loan_decimals = min(_u64(loan_decimals, "loan_decimals"), 2**32 - 1)
        p.collateral_decimals = min(_u64(collateral_decimals, "collateral_decimals"), 2**32 - 1)
        p.price = to_u256(price, "price")
        p.lltv = to_u256(lltv, "lltv")
        s = _state_c(state)
        out = c_void_p()
        check(_lib.keel_morpho_market_new(loan_c, coll_c, byref(p), byref(s),
                                          byref(out)))
        super().__init__(out)
        self.loan_symbol, self.collateral_symbol = loan, collateral

    def clone(self) -> "MorphoMarket":
        out = c_void_p()
        check(_lib.keel_morpho_market_clone(self._ptr, byref(out)))
        obj = MorphoMarket.__new__(MorphoMarket)
        _Handle.__init__(obj, out)
        obj.loan_symbol, obj.collateral_symbol = self.loan_symbol, self.collateral_symbol
        return obj

    @property
    def params(self) -> MorphoParams:
        c = _ffi.CMorphoParams()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_morpho_market_params(self._ptr, byref(c)))
        return MorphoParams(c.loan_decimals, c.collateral_decimals, from_u256(c.price),
                            from_u256(c.lltv))

    @property
    def state(self) -> MorphoState:
        c = _ffi.CMorphoState()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_morpho_market_state(self._ptr, byref(c)))
        return MorphoState(*(int(c.last_update) if k == "last_update" else from_u256(getattr(c, k))
                             for k in _STATE_FIELDS))

    def set_state(self, **changes: Any) -> None:
        """Replaces the named state fields (the others kept); nothing changes on an error."""
        unknown = set(changes) - set(_STATE_FIELDS)
        if unknown:
            raise TypeError(f"unknown market state field(s): {sorted(unknown)}")
        st = {f.name: getattr(self.state, f.name) for f in fields(MorphoState)}
        st.update(changes)
        c = _state_c(st)
        check(_lib.keel_morpho_market_set_state(self._ptr, byref(c)))

    @property
    def price(self) -> int:
        return self.params.price

    @price.setter
    def price(self, value: int) -> None:
        check(_lib.keel_morpho_market_set_price(self._ptr, to_u256(value, "price")))

    def accrue(self, borrow_rate: int, timestamp: int) -> Tuple[int, int]:
        """_accrueInterest to `timestamp` at `borrow_rate` (wad per second): returns
        (interest, fee_shares); the fee recipient's position gains fee_shares."""
        i, f = _ffi.U256(), _ffi.U256()
        check(_lib.keel_morpho_market_accrue(self._ptr, to_u256(borrow_rate, "borrow_rate"),
                                             _u64(timestamp, "timestamp"), byref(i), byref(f)))
        return from_u256(i), from_u256(f)

    def position_data(self, position: PositionLike) -> MorphoPositionData:
        """_isHealthy's numbers for `position` (see MorphoPositionData)."""
        c = _ffi.CMorphoPositionData()
        c.size = ctypes.sizeof(c)
        pc = _position(position)
        check(_lib.keel_morpho_position_data_get(self._ptr, byref(pc), byref(c)))
        return MorphoPositionData(from_u256(c.supply_assets), from_u256(c.borrow_assets),
                                  from_u256(c.collateral_value), from_u256(c.max_borrow),
                                  from_u256(c.health_factor), bool(c.healthy),
                                  bool(c.liquidatable))

    @staticmethod
    def _liquidation(c: Any, after: Any) -> MorphoLiquidation:
        return MorphoLiquidation(
            from_u256(c.incentive_factor), from_u256(c.seized_assets),
            from_u256(c.repaid_shares), from_u256(c.repaid_assets),
            from_u256(c.bad_debt_shares), from_u256(c.bad_debt_assets),
            from_u256(c.seized_value), c.profit, from_u256(c.total_supply_assets_after),
            from_u256(c.total_supply_shares_after), from_u256(c.total_borrow_assets_after),
            from_u256(c.total_borrow_shares_after), MorphoPosition._of(after))

    @staticmethod
    def _check(c: Any, status: int) -> None:
        try:
            check(status)
        except InfeasibleError as e:
            raise MorphoRevert(str(e), _revert_name(c.revert)) from None
        except KeelError:
            raise

    def liquidation_quote(self, position: PositionLike, seized_assets: int = 0,
                          repaid_shares: int = 0) -> MorphoLiquidation:
        """Morpho.liquidate(seized_assets, repaid_shares) as a quote at the current state:
        exactly one must be non-zero. Raises MorphoRevert (reason = ErrorsLib's string) where
        Morpho reverts."""
        c = _ffi.CMorphoLiquidation()
        c.size = ctypes.sizeof(c)
        pc = _position(position)
        after = _ffi.CMorphoPosition()
        self._check(c, _lib.keel_morpho_liquidation_quote(
            self._ptr, byref(pc), to_u256(seized_assets, "seized_assets"),
            to_u256(repaid_shares, "repaid_shares"), byref(c), byref(after)))
        return self._liquidation(c, after)

    def best_liquidation(self, position: PositionLike) -> MorphoLiquidation:
        """The liquidation seizing the most collateral (MorphoRevert when none is possible)."""
        c = _ffi.CMorphoLiquidation()
        c.size = ctypes.sizeof(c)
        pc = _position(position)
        after = _ffi.CMorphoPosition()
        self._check(c, _lib.keel_morpho_best_liquidation(self._ptr, byref(pc), byref(c),
                                                         byref(after)))
        return self._liquidation(c, after)

    def _amount(self, fn: Any, position: PositionLike, hf: HealthLike, name: str,
                *extra: Any) -> int:
        out = _ffi.U256()
        pc = _position(position)
        check(fn(self._ptr, byref(pc), to_u256(_wad(hf, name), name), *extra, byref(out)))
        return from_u256(out)

    def repay_to_target(self, position: PositionLike, target_hf: HealthLike,
                        unit: str = "assets") -> int:
        """The least amount ("assets" or "shares") to repay for the health factor to reach
        target_hf (a number: 1.5, "1.05", Decimal, Fraction(w, 10**18) for an exact wad)."""
        if unit not in _UNITS:
            raise ValueError(f"unit must be 'assets' or 'shares', got {unit!r}")
        return self._amount(_lib.keel_morpho_repay_to_target, position, target_hf, "target_hf",
                            _UNITS[unit])

    def collateral_to_target(self, position: PositionLike, target_hf: HealthLike) -> int:
        """The least collateral wei to supply for the health factor to reach target_hf."""
        return self._amount(_lib.keel_morpho_collateral_to_target, position, target_hf,
                            "target_hf")

    def max_withdraw_collateral(self, position: PositionLike, floor_hf: HealthLike = 1) -> int:
        """The most collateral wei withdrawCollateral accepts, keeping HF >= max(floor_hf, 1)."""
        return self._amount(_lib.keel_morpho_max_withdraw_collateral, position, floor_hf,
                            "floor_hf")

    def max_borrow(self, position: PositionLike, floor_hf: HealthLike = 1) -> int:
        """The most loan wei borrow accepts (health, uint128 widths, liquidity)."""
        return self._amount(_lib.keel_morpho_max_borrow, position, floor_hf, "floor_hf")

    def liquidation_price(self, position: PositionLike) -> Optional[int]:
        """The highest oracle price at which `position` is liquidatable (one more is healthy);
        None without debt."""
        out = _ffi.U256()
        pc = _position(position)
        pd = self.position_data(position)
        if pd.borrow_assets == 0:
            return None
        check(_lib.keel_morpho_liquidation_price(self._ptr, byref(pc), byref(out)))
        return from_u256(out)

    def to_keel(self, position: PositionLike) -> Tuple[Market, Basket, HaircutModel]:
        """keel's double-precision market (collateral priced in loan tokens), basket and
        haircut model (1 - LLTV) for `position`."""
        m, b, h = c_void_p(), c_void_p(), c_void_p()
        pc = _position(position)
        check(_lib.keel_morpho_to_keel(self._ptr, byref(pc), byref(m), byref(b), byref(h),
                                       None, None))
        return _keel_objects(m, b, h)


__all__ = ["MorphoMarket", "MorphoPosition", "MorphoParams", "MorphoState",
           "MorphoPositionData", "MorphoLiquidation", "MorphoRevert", "convert",
           "incentive_factor", "ORACLE_PRICE_SCALE", "WAD", "U256_MAX"]


def haircuts(source: Union[MorphoMarket, Dict[str, Any]], market: Market, *,
             into: Optional[HaircutModel] = None) -> HaircutModel:
    """keel haircuts from a Morpho Blue market's LLTV: the collateral asset of the keel
    `market` gets initial = maintenance = (10**18 - lltv) / 10**18 (correctly rounded;
    Morpho Blue borrows up to the LLTV and liquidates past it: 86% gives 0.14); the
    loan asset gets none.

    `source` is a MorphoMarket, or a market in the JSON form of Morpho's API,
    {"lltv": "860000000000000000", "collateralAsset": {"symbol": "WETH"}, ...} (lltv a
    wad, as a string or an int). Returns `into` or a new HaircutModel bound to `market`."""
    if isinstance(source, MorphoMarket):
        lltv, symbol = source.params.lltv, source.collateral_symbol
    else:
        try:
            raw, coll = source["lltv"], source["collateralAsset"]
        except KeyError as exc:
            raise ValueError(f"a Morpho market needs {exc.args[0]!r}") from None
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            raise TypeError(f"lltv must be a wad as an int or a decimal string, got {raw!r}")
        lltv = int(raw)
        sym = coll.get("symbol") if isinstance(coll, dict) else None
        if not isinstance(sym, str):
            raise ValueError("collateralAsset must be an object with a symbol")
        symbol = sym
    if not 0 <= lltv < 10**18:
        raise ValueError(f"lltv must be in [0, 10**18), got {lltv}")
    h = HaircutModel() if into is None else into
    cut = (10**18 - lltv) / 10**18
    h.set_asset(market.find(symbol), initial=cut, maintenance=cut)
    return h
