"""Compound v3 (Comet) accounts exactly as the contract computes them (keel/comet.h), with
Python ints.

Amounts are ints in the token's smallest unit (wei); the base principal in principal units
(present value = principal * index // 10**15); prices and values in the feeds' 8 decimals;
collateral / liquidation / store-front factors and rates in 10**18. The principal and other
signed figures are plain signed ints. Every int crossing into C is range-checked (never
wrapped): TypeError for floats and bools, ValueError / OverflowKeelError out of range.
Source: compound-finance/comet at d5a30b0aaeff7755f1431e87f818990902237b03, Comet.sol and
CometCore.sol; docs/protocols.md maps each method to its Solidity.

>>> from keel.comet import CometMarket, CometAccount
>>> m = CometMarket("USDC", decimals=6, price=10**8, base_borrow_min=100 * 10**6)
>>> weth = m.add_asset("WETH", decimals=18, price=2000 * 10**8,
...                    borrow_collateral_factor=825 * 10**15,
...                    liquidate_collateral_factor=895 * 10**15,
...                    liquidation_factor=95 * 10**16, supply_cap=10**30,
...                    total_supply_asset=10**21)
>>> a = CometAccount(m, principal=-1790 * 10**6, collateral={"WETH": 10**18})
>>> a.liquidity().liquidation_liquidity      # 2000 * 0.895 - 1790 USD, 8 decimals
0
"""

from __future__ import annotations

import ctypes
import operator
from ctypes import byref, c_uint32, c_void_p
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union

from . import _ffi
from ._core import Basket, HaircutModel, Market, _Handle, _h
from .aave import _bridge, _symbol, from_u256, to_u256
from .errors import InfeasibleError, check

_lib = _ffi.lib
BASE_ID = 0xFFFFFFFF
FACTOR_SCALE = 10**18
BASE_INDEX_SCALE = 10**15
LINES = {"borrow": 0, "liquidate": 1}
PAUSE = {"supply": 1, "transfer": 2, "withdraw": 4, "absorb": 8, "buy": 16}


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got a bool")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}") from None


def to_cint(value: Any, name: str = "value") -> "_ffi.CCometInt":
    """A signed Python int as a keel_comet_int (|value| < 2**256, never wrapped)."""
    v = _int(value, name)
    c = _ffi.CCometInt()
    c.magnitude = to_u256(abs(v), name)
    c.negative = 1 if v < 0 else 0
    return c


def from_cint(c: "_ffi.CCometInt") -> int:
    m = from_u256(c.magnitude)
    return -m if c.negative else m


def _u64(value: Any, name: str) -> int:
    v = _int(value, name)
    if not 0 <= v < 2**64:
        raise ValueError(f"{name} must be in [0, 2**64 - 1], got {v}")
    return v


def _u32(value: Any, name: str) -> int:
    v = _int(value, name)
    if not 0 <= v < 2**32:
        raise ValueError(f"{name} must be in [0, 2**32 - 1], got {v}")
    return v


class CometRevert(InfeasibleError):
    """The contract would revert; `reason` is its error's name ("NotLiquidatable", ...)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


_BASE_U64 = ("supply_index", "borrow_index", "last_accrual_time", "supply_kink",
             "supply_per_year_interest_rate_slope_low", "supply_per_year_interest_rate_slope_high",
             "supply_per_year_interest_rate_base", "borrow_kink",
             "borrow_per_year_interest_rate_slope_low", "borrow_per_year_interest_rate_slope_high",
             "borrow_per_year_interest_rate_base", "store_front_price_factor")
_BASE_U256 = ("price", "total_supply_base", "total_borrow_base", "base_balance",
              "base_borrow_min", "target_reserves")
_BASE_U32 = ("decimals", "pause_flags")
_ASSET_U64 = ("borrow_collateral_factor", "liquidate_collateral_factor", "liquidation_factor")
_ASSET_U256 = ("price", "supply_cap", "total_supply_asset", "balance")


CometAssetLike = Union[int, str]
"""A collateral asset of a CometMarket: its id or its symbol."""


def _fill(c: Any, fields: Iterable[str], conv: Callable[[Any, str], Any],
          kw: Dict[str, Any]) -> None:
    for f in fields:
        if f in kw:
            setattr(c, f, conv(kw.pop(f), f))


def _read(c: Any, fields: Iterable[str], conv: Callable[[Any], Any]) -> Dict[str, Any]:
    return {f: conv(getattr(c, f)) for f in fields}


@dataclass(frozen=True)
class CometLiquidity:
    """keel_comet_account_data: Comet.isBorrowCollateralized / isLiquidatable and their sums."""

    present_value: int
    base_value: int
    collateral_value: int
    borrow_collateral_value: int
    liquidate_collateral_value: int
    borrow_liquidity: int
    liquidation_liquidity: int
    is_borrow_collateralized: bool
    is_liquidatable: bool
    complete: bool = True  # False: the sums stop where the contract's loops stop (a later
    #                        term passes 256 bits); the verdicts are still the contract's


@dataclass(frozen=True)
class CometAbsorb:
    """An absorb quote (keel_comet_absorb); seized / seized_value map asset ids to wei / value."""

    old_principal: int
    new_principal: int
    old_balance: int
    new_balance: int
    seized: Dict[int, int]
    seized_value: Dict[int, int]
    delta_value: int
    delta_balance: int
    base_paid_out: int
    value_of_base_paid_out: int
    deficit: int
    repay_amount: int
    supply_amount: int
    total_supply_base: int
    total_borrow_base: int
    reserves_before: int
    reserves_after: int


@dataclass(frozen=True)
class CometBuy:
    """A buyCollateral quote (keel_comet_buy)."""

    reserves: int
    collateral_amount: int
    collateral_reserves: int


@dataclass(frozen=True)
class CometRates:
    """getUtilization, the per-second rates, totalSupply, totalBorrow, getReserves."""

    utilization: int
    supply_rate: int
    borrow_rate: int
    total_supply: int
    total_borrow: int
    reserves: int


def _revert_or_check(status: int, revert: int) -> None:
    if revert:
        name = _lib.keel_comet_revert_name(revert).decode()
        raise CometRevert(f"the contract reverts: {name}", name)
    check(status)


class CometMarket(_Handle):
    """A Comet market: the base asset (keyword fields of keel_comet_base) and up to 12
    collateral assets, ids in the contract's asset order."""

    _free = "keel_comet_market_free"

    def __init__(self, base_symbol: str, **base: Any) -> None:
        sym = _symbol(base_symbol, "base_symbol")
        c = self._base_struct(_ffi.CCometBase(), base)
        out = c_void_p()
        check(_lib.keel_comet_market_new(sym, byref(c), byref(out)))
        super().__init__(out)
        self.base_symbol = base_symbol
        self.symbols: List[str] = []  # the collateral assets' symbols, by id

    @staticmethod
    def _base_struct(c: _ffi.CCometBase, kw: Dict[str, Any]) -> _ffi.CCometBase:
        kw = dict(kw)
        if not c.size:
            check(_lib.keel_comet_base_init(byref(c), ctypes.sizeof(c)))
        _fill(c, _BASE_U64, _u64, kw)
        _fill(c, _BASE_U256, to_u256, kw)
        _fill(c, _BASE_U32, _u32, kw)
        if kw:
            raise TypeError(f"unknown base fields {sorted(kw)}")
        return c

    def __len__(self) -> int:
        return int(_lib.keel_comet_market_size(self._ptr))

    def _id(self, asset: CometAssetLike) -> int:
        if isinstance(asset, str):
            return self.find(asset)
        v = _int(asset, "asset")
        if not 0 <= v <= 0xFFFFFFFF:
            raise ValueError(f"asset id {v} is out of range")
        return v

    def find(self, symbol: str) -> int:
        """The id of the collateral asset with this symbol (NotFoundError otherwise)."""
        out = c_uint32()
        check(_lib.keel_comet_market_find(self._ptr, _symbol(symbol), byref(out)))
        return out.value

    def clone(self) -> "CometMarket":
        out = c_void_p()
        check(_lib.keel_comet_market_clone(self._ptr, byref(out)))
        c = CometMarket.__new__(CometMarket)
        _Handle.__init__(c, out)
        c.base_symbol = self.base_symbol
        c.symbols = list(self.symbols)
        return c

    def add_asset(self, symbol: str, **fields: Any) -> int:
        """Appends a collateral asset (fields of keel_comet_asset); returns its id."""
        sym = _symbol(symbol)
        c = self._asset_struct(fields)
        out = c_uint32()
        check(_lib.keel_comet_market_add_asset(self._ptr, sym, byref(c), byref(out)))
        self.symbols.append(symbol)
        return out.value

    def set_asset(self, asset: CometAssetLike, **fields: Any) -> None:
        """Replaces an asset's fields (the ones not given keep their stored values)."""
        merged = self.asset(asset)
        merged.update(fields)
        c = self._asset_struct(merged)
        check(_lib.keel_comet_market_set_asset(self._ptr, self._id(asset), byref(c)))

    @staticmethod
    def _asset_struct(kw: Dict[str, Any]) -> _ffi.CCometAsset:
        kw = dict(kw)
        c = _ffi.CCometAsset()
        check(_lib.keel_comet_asset_init(byref(c), ctypes.sizeof(c)))
        if "decimals" in kw:
            c.decimals = _u32(kw.pop("decimals"), "decimals")
        _fill(c, _ASSET_U64, _u64, kw)
        _fill(c, _ASSET_U256, to_u256, kw)
        if kw:
            raise TypeError(f"unknown asset fields {sorted(kw)}")
        return c

    def asset(self, asset: CometAssetLike) -> Dict[str, Any]:
        """An asset as stored (factors cut to 10**14, the cap to whole tokens)."""
        c = _ffi.CCometAsset()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_comet_market_asset(self._ptr, self._id(asset), byref(c)))
        d = {"decimals": c.decimals}
        d.update(_read(c, _ASSET_U64, int))
        d.update(_read(c, _ASSET_U256, from_u256))
        return d

    def base(self) -> Dict[str, Any]:
        """The base asset's configuration and state."""
        c = _ffi.CCometBase()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_comet_market_base(self._ptr, byref(c)))
        d = _read(c, _BASE_U32, int)
        d.update(_read(c, _BASE_U64, int))
        d.update(_read(c, _BASE_U256, from_u256))
        return d

    def set_base(self, **fields: Any) -> None:
        """Replaces base fields (the ones not given keep their values)."""
        merged = self.base()
        merged.update(fields)
        c = _ffi.CCometBase()
        check(_lib.keel_comet_base_init(byref(c), ctypes.sizeof(c)))
        c = self._base_struct(c, merged)
        check(_lib.keel_comet_market_set_base(self._ptr, byref(c)))

    def set_price(self, asset: CometAssetLike, price: int) -> None:
        """An asset's oracle price, or the base's for asset=None."""
        aid = BASE_ID if asset is None else self._id(asset)
        check(_lib.keel_comet_market_set_price(self._ptr, aid, to_u256(price, "price")))

    def accrue(self, timestamp: int) -> None:
        """Moves the indexes to `timestamp` (Comet.accrueInternal)."""
        check(_lib.keel_comet_market_accrue(self._ptr, _u64(timestamp, "timestamp")))

    def rates(self) -> CometRates:
        c = _ffi.CCometRates()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_comet_market_rates(self._ptr, byref(c)))
        return CometRates(from_u256(c.utilization), c.supply_rate, c.borrow_rate,
                          from_u256(c.total_supply), from_u256(c.total_borrow),
                          from_cint(c.reserves))

    def present_value(self, principal: int) -> int:
        """CometCore.presentValue."""
        out = _ffi.CCometInt()
        check(_lib.keel_comet_present_value(self._ptr, to_cint(principal, "principal"), byref(out)))
        return from_cint(out)

    def principal_value(self, present: int) -> int:
        """CometCore.principalValue (OverflowKeelError where it reverts)."""
        out = _ffi.CCometInt()
        check(_lib.keel_comet_principal_value(self._ptr, to_cint(present, "present"), byref(out)))
        return from_cint(out)

    def quote_collateral(self, asset: CometAssetLike, base_amount: int) -> int:
        """Comet.quoteCollateral."""
        out = _ffi.U256()
        check(_lib.keel_comet_quote_collateral(self._ptr, self._id(asset),
                                               to_u256(base_amount, "base_amount"), byref(out)))
        return from_u256(out)

    def buy_collateral(self, asset: CometAssetLike, base_amount: int,
                       min_amount: int = 0) -> CometBuy:
        """Comet.buyCollateral as a quote; CometRevert with the reason where it reverts."""
        c = _ffi.CCometBuy()
        c.size = ctypes.sizeof(c)
        s = _lib.keel_comet_buy_collateral_quote(self._ptr, self._id(asset),
                                                 to_u256(min_amount, "min_amount"),
                                                 to_u256(base_amount, "base_amount"), byref(c))
        _revert_or_check(s, c.revert)
        return CometBuy(from_cint(c.reserves), from_u256(c.collateral_amount),
                        from_u256(c.collateral_reserves))


class CometAccount(_Handle):
    """One Comet user: the signed principal and collateral balances (wei, by id or symbol)."""

    _free = "keel_comet_account_free"

    def __init__(self, market: CometMarket, principal: int = 0,
                 collateral: Optional[Dict[Union[int, str], int]] = None) -> None:
        if not isinstance(market, CometMarket):
            raise TypeError("market must be a CometMarket")
        out = c_void_p()
        check(_lib.keel_comet_account_new(byref(out)))
        super().__init__(out)
        self.market = market
        self.principal = principal
        for k, v in (collateral or {}).items():
            self.set_collateral(k, v)

    @property
    def principal(self) -> int:
        out = _ffi.CCometInt()
        check(_lib.keel_comet_account_principal(self._ptr, byref(out)))
        return from_cint(out)

    @principal.setter
    def principal(self, value: int) -> None:
        check(_lib.keel_comet_account_set_principal(self._ptr, to_cint(value, "principal")))

    def set_collateral(self, asset: CometAssetLike, balance: int) -> None:
        check(_lib.keel_comet_account_set_collateral(self._ptr, _h(self.market, "market"),
                                                     self.market._id(asset),
                                                     to_u256(balance, "balance")))

    def collateral(self, asset: CometAssetLike) -> int:
        out = _ffi.U256()
        check(_lib.keel_comet_account_collateral(self._ptr, self.market._id(asset), byref(out)))
        return from_u256(out)

    def clone(self) -> "CometAccount":
        out = c_void_p()
        check(_lib.keel_comet_account_clone(self._ptr, byref(out)))
        c = CometAccount.__new__(CometAccount)
        _Handle.__init__(c, out)
        c.market = self.market
        return c

    def liquidity(self) -> CometLiquidity:
        c = _ffi.CCometAccountData()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_comet_account_liquidity(_h(self.market, "market"), self._ptr, byref(c)))
        return CometLiquidity(from_cint(c.present_value), from_cint(c.base_value),
                              from_u256(c.collateral_value),
                              from_u256(c.borrow_collateral_value),
                              from_u256(c.liquidate_collateral_value),
                              from_cint(c.borrow_liquidity), from_cint(c.liquidation_liquidity),
                              bool(c.is_borrow_collateralized), bool(c.is_liquidatable),
                              bool(c.complete))

    def absorb(self, apply: bool = False) -> CometAbsorb:
        """Comet.absorb as a quote (CometRevert where it reverts); apply=True updates this
        account to the account after."""
        c = _ffi.CCometAbsorb()
        c.size = ctypes.sizeof(c)
        s = _lib.keel_comet_absorb_quote(_h(self.market, "market"), self._ptr, byref(c),
                                         self._ptr if apply else None)
        _revert_or_check(s, c.revert)
        n = len(self.market)
        return CometAbsorb(
            from_cint(c.old_principal), from_cint(c.new_principal), from_cint(c.old_balance),
            from_cint(c.new_balance),
            {i: from_u256(c.seized[i]) for i in range(n) if from_u256(c.seized[i])},
            {i: from_u256(c.seized_value[i]) for i in range(n) if from_u256(c.seized[i])},
            from_u256(c.delta_value), from_u256(c.delta_balance), from_u256(c.base_paid_out),
            from_u256(c.value_of_base_paid_out), from_u256(c.deficit),
            from_u256(c.repay_amount), from_u256(c.supply_amount),
            from_u256(c.total_supply_base), from_u256(c.total_borrow_base),
            from_cint(c.reserves_before), from_cint(c.reserves_after))

    @staticmethod
    def _line(line: str) -> int:
        if line not in LINES:
            raise ValueError(f"line must be one of {sorted(LINES)}, got {line!r}")
        return LINES[line]

    def repay_to_target(self, target: int, line: str = "borrow") -> int:
        """The least base wei to repay so that C * 10**18 >= target * D (target a wad int)."""
        out = _ffi.U256()
        check(_lib.keel_comet_repay_to_target(_h(self.market, "market"), self._ptr,
                                              self._line(line), to_u256(target, "target"),
                                              byref(out)))
        return from_u256(out)

    def supply_to_target(self, asset: CometAssetLike, target: int, line: str = "borrow") -> int:
        """The least wei of a collateral to supply to meet the target (a wad int)."""
        out = _ffi.U256()
        check(_lib.keel_comet_supply_to_target(_h(self.market, "market"), self._ptr,
                                               self.market._id(asset), self._line(line),
                                               to_u256(target, "target"), byref(out)))
        return from_u256(out)

    def max_withdraw(self, asset: CometAssetLike, floor: int = 0) -> int:
        """The most wei of a collateral withdrawCollateral accepts (ratio >= max(floor, 1 wad))."""
        out = _ffi.U256()
        check(_lib.keel_comet_max_withdraw(_h(self.market, "market"), self._ptr,
                                           self.market._id(asset), to_u256(floor, "floor"),
                                           byref(out)))
        return from_u256(out)

    def max_borrow(self, floor: int = 0) -> int:
        """The most base wei withdraw accepts (baseBorrowMin, collateralization, pool balance)."""
        out = _ffi.U256()
        check(_lib.keel_comet_max_borrow(_h(self.market, "market"), self._ptr,
                                         to_u256(floor, "floor"), byref(out)))
        return from_u256(out)

    def liquidation_price(self, asset: CometAssetLike) -> Tuple[int, Optional[int], bool]:
        """(direction, price, liquidatable_now): direction -1 with the highest 8-decimal
        price at which the account is liquidatable, or 0 and None when no flip exists."""
        c = _ffi.CCometPriceBoundary()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_comet_liquidation_price(_h(self.market, "market"), self._ptr,
                                                self.market._id(asset), byref(c)))
        return c.direction, (from_u256(c.price) if c.direction else None), bool(c.liquidatable_now)

    def to_keel(self) -> Tuple[Market, Basket, HaircutModel]:
        """keel's double-precision market, basket and haircut model for this account."""
        return _bridge(_lib.keel_comet_to_keel, self.market, self._ptr)


__all__ = ["CometMarket", "CometAccount", "CometRevert", "CometLiquidity", "CometAbsorb",
           "CometBuy", "CometRates", "to_cint", "from_cint", "LINES", "PAUSE", "BASE_ID"]


def haircuts(source: Union[CometMarket, Dict[str, Any]], market: Market, *,
             into: Optional[HaircutModel] = None) -> HaircutModel:
    """keel haircuts from Compound v3 collateral factors: for each asset of the keel
    `market` that is a collateral asset of `source`, initial = 1 - borrowCollateralFactor
    and maintenance = 1 - liquidateCollateralFactor (WETH's 0.825 / 0.895 on cUSDCv3 give
    0.175 / 0.105). The base asset (what is borrowed) gets none.

    `source` is a CometMarket (factors as stored, scaled by 10**18 and cut to 10**14:
    (10**18 - f) / 10**18, correctly rounded) or Comet's deployment configuration in its
    JSON form, {"assets": {symbol: {"borrowCF": 0.825, "liquidateCF": 0.895, ...}}}
    (comet's deployments/<network>/<market>/configuration.json). Returns `into` or a
    new HaircutModel bound to `market`."""
    h = HaircutModel() if into is None else into
    for asset in market.assets:
        if isinstance(source, CometMarket):
            if asset.symbol not in source.symbols:
                continue
            a = source.asset(asset.symbol)
            init = (10**18 - int(a["borrow_collateral_factor"])) / 10**18
            maint = (10**18 - int(a["liquidate_collateral_factor"])) / 10**18
        else:
            conf = source.get("assets", {})
            if not isinstance(conf, dict):
                raise TypeError("a Comet configuration's 'assets' must be an object")
            entry = conf.get(asset.symbol)
            if entry is None:
                continue
            try:
                bcf, lcf = entry["borrowCF"], entry["liquidateCF"]
            except KeyError as exc:
                raise ValueError(f"Comet asset {asset.symbol}: no {exc.args[0]}") from None
            for name, v in (("borrowCF", bcf), ("liquidateCF", lcf)):
                if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v < 1:
                    raise ValueError(f"Comet asset {asset.symbol}: {name} must be a number "
                                     f"in [0, 1), got {v!r}")
            init, maint = 1.0 - float(bcf), 1.0 - float(lcf)
        h.set_asset(asset, initial=init, maintenance=maint)
    return h
