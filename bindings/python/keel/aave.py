"""Aave v3 accounts exactly as the chain computes them (keel/aave.h), with Python ints.

Amounts are ints in the token's smallest unit (wei), prices in the oracle's base-currency
units (8 decimals on the USD markets), indexes and rates in rays (10**27), health factors in
wads (10**18), LTV / threshold / bonus / protocol fee in basis points (bonus 10500 pays 5%).
Every int crossing into C is checked against 0 <= v < 2**256 (never wrapped); reserves may be
given by id or by symbol. Source of every rule: aave-dao/aave-v3-origin at the tag of the
market's version (v3.4.0, v3.5.0, v3.6.0); docs/protocols.md maps each method to its Solidity.

>>> from keel.aave import AaveMarket, AaveAccount
>>> m = AaveMarket("3.6")
>>> weth = m.add_reserve("WETH", decimals=18, ltv=8050, liquidation_threshold=8300,
...                      liquidation_bonus=10500, price=2000 * 10**8)
>>> usdc = m.add_reserve("USDC", decimals=6, ltv=7700, liquidation_threshold=8000,
...                      liquidation_bonus=10450, price=10**8)
>>> a = AaveAccount(m)
>>> a.set_position("WETH", supply=10 * 10**18)
>>> a.set_position("USDC", debt=16_600 * 10**6)
>>> a.account_data().health_factor            # 20000 * 0.83 / 16600, in wad
1000000000000000000
"""

from __future__ import annotations

import ctypes
import json
import operator
from ctypes import byref, c_size_t, c_uint32, c_void_p
from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _ffi
from ._core import Basket, HaircutModel, Market, _Handle, _h
from .errors import InfeasibleError, check

_lib = _ffi.lib
U256_MAX = 2**256 - 1
RAY = 10**27
WAD = 10**18
ReserveLike = Union[int, str]
"""A reserve of an AaveMarket: its id or its symbol."""
HealthLike = Union[int, float, str, Decimal, "Fraction"]
"""A health factor as a number (2, 1.5, "1.05", Decimal, Fraction), converted to wad exactly."""

VERSIONS = {"3.4": 340, "3.5": 350, "3.6": 360}

_ACTIVE, _FROZEN, _PAUSED, _BORROWING, _ISOLATION = 1, 2, 4, 8, 16
_COLLATERAL, _UNDERLYING = 1, 2

_OPS = {"wad_mul": 0, "wad_div": 1, "ray_mul": 2, "ray_mul_floor": 3, "ray_mul_ceil": 4,
        "ray_div": 5, "ray_div_floor": 6, "ray_div_ceil": 7, "percent_mul": 8,
        "percent_mul_floor": 9, "percent_mul_ceil": 10, "percent_div": 11,
        "percent_div_ceil": 12}


def _int_in(value: Any, name: str, bits: int) -> int:
    """`value` as an int in [0, 2**bits - 1]: bools, floats and other non-integers are a
    TypeError, values outside the range a ValueError (never wrapped)."""
    if isinstance(value, bool):
        raise TypeError(f"{name} must be an integer, got a bool")
    try:
        v = operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {type(value).__name__}") from None
    if not 0 <= v < 2**bits:
        raise ValueError(f"{name} must be in [0, 2**{bits} - 1], got {v}")
    return v


def to_u256(value: Any, name: str = "value") -> "_ffi.U256":
    """A Python int (or numpy integer) as a keel_u256; refuses bools, floats, negatives and
    values of 2**256 or more (ValueError / TypeError), never wraps."""
    v = _int_in(value, name, 256)
    u = _ffi.U256()
    for i in range(4):
        u.w[i] = (v >> (64 * i)) & 0xFFFFFFFFFFFFFFFF
    return u


def from_u256(u: "_ffi.U256") -> int:
    """A keel_u256 as a Python int."""
    return sum(int(u.w[i]) << (64 * i) for i in range(4))


def _wad(value: Any, name: str) -> int:
    """A health factor as a number (2, 1.5, "1.05", Decimal, Fraction) in wad, converted
    exactly from its decimal value: 1.5 -> 1500000000000000000 (a float by its repr, so
    1.05 is 1.05, not the binary double's expansion). To give an exact wad w, pass
    Fraction(w, 10**18)."""
    from fractions import Fraction
    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number, got a bool")
    if isinstance(value, Fraction):
        v = value * WAD
        if v.denominator != 1:
            raise ValueError(f"{name} {value} is not a whole number of wad units")
        w = v.numerator
    else:
        try:
            d = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(operator.index(value)
                                                                          if hasattr(value, "__index__")
                                                                          else value)
        except Exception:
            raise TypeError(f"{name} must be a number, got {type(value).__name__}") from None
        if not d.is_finite():
            raise ValueError(f"{name} must be finite, got {value!r}")
        wd = d * WAD
        if wd != wd.to_integral_value():
            raise ValueError(f"{name} {value!r} has more than 18 decimals")
        w = int(wd)
    if not 0 <= w <= U256_MAX:
        raise ValueError(f"{name} must be in [0, (2**256 - 1) / 10**18], got {value!r}")
    return w


def _keel_objects(m: Any, b: Any, h: Any) -> Tuple[Market, Basket, HaircutModel]:
    """The three new handles a bridge (keel_aave_to_keel, keel_morpho_to_keel) returned,
    owned by Python objects."""
    market, basket, haircuts = Market.__new__(Market), Basket.__new__(Basket), \
        HaircutModel.__new__(HaircutModel)
    _Handle.__init__(market, m)
    _Handle.__init__(basket, b)
    _Handle.__init__(haircuts, h)
    # the basket and haircuts know their market, as if built with its Asset objects
    for obj in (basket, haircuts):
        obj._universe = market._uni()
        obj.__dict__["_symbols"] = dict(enumerate(market._syms()))
    return market, basket, haircuts


def _symbol(symbol: Any, name: str = "symbol") -> bytes:
    """A token symbol for C: a str without NUL (C would read it only up to the NUL),
    else TypeError. Shared by the protocol bindings (keel.aave, keel.comet, keel.morpho)."""
    if not isinstance(symbol, str) or "\0" in symbol:
        raise TypeError(f"{name} must be a str without NUL, got {symbol!r}")
    return symbol.encode()


def wadray(op: str, a: int, b: int) -> int:
    """One WadRayMath / PercentageMath function by its snake-case name ("ray_mul_ceil",
    "percent_div", ...): OverflowKeelError where the Solidity reverts on overflow,
    OutOfRangeError on a zero divisor."""
    if op not in _OPS:
        raise ValueError(f"op must be one of {sorted(_OPS)}, got {op!r}")
    out = _ffi.U256()
    check(_lib.keel_wadray(_OPS[op], to_u256(a, "a"), to_u256(b, "b"), byref(out)))
    return from_u256(out)


def mul_div_ceil(a: int, b: int, c: int) -> int:
    """MathUtils.mulDivCeil: ceil(a * b / c), reverting (OverflowKeelError) when a * b
    reaches 2**256."""
    out = _ffi.U256()
    check(_lib.keel_mul_div_ceil(to_u256(a, "a"), to_u256(b, "b"), to_u256(c, "c"), byref(out)))
    return from_u256(out)


class AaveRevert(InfeasibleError):
    """The pool would revert the call; `reason` is the Errors.sol name
    ("HealthFactorNotBelowThreshold", "MustNotLeaveDust", ...)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class AaveReserve:
    """One reserve: parameters in bps, price in base units, indexes and rates in rays."""

    symbol: str
    decimals: int
    ltv: int
    liquidation_threshold: int
    liquidation_bonus: int
    liquidation_protocol_fee: int
    price: int
    liquidity_index: int
    variable_borrow_index: int
    liquidity_rate: int
    variable_borrow_rate: int
    last_update: int
    debt_ceiling: int
    isolation_mode_total_debt: int
    active: bool
    frozen: bool
    paused: bool
    borrowing_enabled: bool
    borrowable_in_isolation: bool


@dataclass(frozen=True)
class AaveAccountData:
    """Pool.getUserAccountData: values in base-currency units, threshold and LTV in bps
    (weighted, floored), health_factor in wad (2**256 - 1 without debt); isolated and
    isolation_collateral (a reserve id or None) give the isolation mode."""

    total_collateral_base: int
    total_debt_base: int
    available_borrows_base: int
    current_liquidation_threshold: int
    ltv: int
    health_factor: int
    has_zero_ltv_collateral: bool
    isolated: bool
    isolation_collateral: Optional[int]
    liquidatable: bool


@dataclass(frozen=True)
class AaveLiquidation:
    """One liquidation call: debt_repaid in debt wei, collateral_to_liquidator and
    protocol_fee in collateral wei, the *_base values and profit_base (before gas) in
    base-currency units, the bonus applied in bps, health factors in wad. `after` is the
    account after the call (an AaveAccount) when asked for."""

    collateral: int
    debt: int
    liquidation_bonus: int
    debt_repaid: int
    collateral_to_liquidator: int
    protocol_fee: int
    deficit_base: int
    debt_repaid_base: int
    collateral_to_liquidator_base: int
    profit_base: float
    health_factor_before: int
    health_factor_after: int
    after: Optional["AaveAccount"] = None


@dataclass(frozen=True)
class AavePriceBoundary:
    """Where the verdict flips as one oracle price moves: direction -1 means liquidatable
    at prices <= price, +1 at prices >= price, 0 never (price is then None)."""

    direction: int
    price: Optional[int]
    liquidatable_now: bool


def _bitmap(market: "AaveMarket",
            reserves: Iterable[ReserveLike]) -> "ctypes.Array[ctypes.c_uint64]":
    arr = (ctypes.c_uint64 * 2)()
    for r in reserves:
        rid = market._id(r)
        if rid >= 128:
            raise ValueError(f"reserve id {rid} does not fit an e-mode bitmap (0..127)")
        arr[rid >> 6] |= 1 << (rid & 63)
    return arr


class AaveMarket(_Handle):
    """An Aave v3 pool's reserves and e-mode categories under one version's rules
    ("3.4", "3.5" or "3.6", the current). Reserve ids are the positions in the pool's
    reserve list: add reserves in that order for e-mode bitmaps to mean the chain's."""

    _free = "keel_aave_market_free"

    def __init__(self, version: str = "3.6") -> None:
        if version not in VERSIONS:
            raise ValueError(f"version must be one of {sorted(VERSIONS)}, got {version!r}")
        out = c_void_p()
        check(_lib.keel_aave_market_new(VERSIONS[version], byref(out)))
        super().__init__(out)

    @property
    def version(self) -> str:
        """"3.4", "3.5" or "3.6"."""
        v = _lib.keel_aave_market_version(self._ptr)
        return {340: "3.4", 350: "3.5", 360: "3.6"}[v]

    def __len__(self) -> int:
        return int(_lib.keel_aave_market_size(self._ptr))

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "AaveMarket(closed)"
        return f"AaveMarket(v{self.version}, {[self.symbol(i) for i in range(len(self))]})"

    def _id(self, reserve: ReserveLike) -> int:
        if isinstance(reserve, str):
            return self.find(reserve)
        if isinstance(reserve, bool):
            raise TypeError("a reserve is an int id or a symbol, got a bool")
        try:
            rid = operator.index(reserve)
        except TypeError:
            raise TypeError(f"a reserve is an int id or a symbol, got {type(reserve).__name__}") from None
        if not 0 <= rid <= 0xFFFFFFFF:
            raise ValueError(f"reserve id {rid} is out of range")
        return rid

    def clone(self) -> "AaveMarket":
        """An independent copy."""
        out = c_void_p()
        check(_lib.keel_aave_market_clone(self._ptr, byref(out)))
        c = AaveMarket.__new__(AaveMarket)
        _Handle.__init__(c, out)
        return c

    def find(self, symbol: str) -> int:
        """The id of the reserve with this symbol (NotFoundError otherwise)."""
        out = c_uint32()
        check(_lib.keel_aave_market_find(self._ptr, _symbol(symbol), byref(out)))
        return out.value

    def symbol(self, reserve: ReserveLike) -> str:
        """The symbol of a reserve id."""
        s = _lib.keel_aave_market_symbol(self._ptr, self._id(reserve))
        if s is None:
            raise KeyError(f"reserve {reserve!r} is not in the market")
        return str(s.decode())

    @staticmethod
    def _fill(c: "_ffi.CAaveReserve", kw: Dict[str, Any]) -> None:
        flag_names = {"active": _ACTIVE, "frozen": _FROZEN, "paused": _PAUSED,
                      "borrowing_enabled": _BORROWING, "borrowable_in_isolation": _ISOLATION}
        for name, bit in flag_names.items():
            if name in kw:
                on = kw.pop(name)
                if not isinstance(on, bool):
                    raise TypeError(f"{name} must be a bool")
                c.flags = (c.flags | bit) if on else (c.flags & ~bit)
        for name in ("decimals", "ltv", "liquidation_threshold", "liquidation_bonus",
                     "liquidation_protocol_fee"):
            if name in kw:
                v = kw.pop(name)
                if isinstance(v, bool) or not 0 <= operator.index(v) <= 0xFFFFFFFF:
                    raise ValueError(f"{name} must be an int in [0, 2**32 - 1], got {v!r}")
                setattr(c, name, operator.index(v))
        if "last_update" in kw:
            v = kw.pop("last_update")
            if isinstance(v, bool) or not 0 <= operator.index(v) < 2**64:
                raise ValueError(f"last_update must be an int in [0, 2**64 - 1], got {v!r}")
            c.last_update = operator.index(v)
        for name in ("price", "liquidity_index", "variable_borrow_index", "liquidity_rate",
                     "variable_borrow_rate", "debt_ceiling", "isolation_mode_total_debt"):
            if name in kw:
                setattr(c, name, to_u256(kw.pop(name), name))
        if kw:
            raise TypeError(f"unknown reserve field(s): {sorted(kw)}")

    def add_reserve(self, symbol: str, **fields_: Any) -> int:
        """Adds a reserve with the next id and returns it. Fields (keyword): decimals,
        ltv, liquidation_threshold, liquidation_bonus, liquidation_protocol_fee (bps),
        price (base units), liquidity_index, variable_borrow_index (rays, default 1 ray),
        liquidity_rate, variable_borrow_rate (rays per year), last_update (unix s),
        debt_ceiling, isolation_mode_total_debt (2 decimals), and the flags active,
        frozen, paused, borrowing_enabled, borrowable_in_isolation (bools). Anything
        not given keeps KEEL_AAVE_RESERVE_INIT's default."""
        sym = _symbol(symbol)
        c = _ffi.CAaveReserve()
        check(_lib.keel_aave_reserve_init(byref(c), ctypes.sizeof(c)))
        self._fill(c, dict(fields_))
        out = c_uint32()
        check(_lib.keel_aave_market_add_reserve(self._ptr, sym, byref(c), byref(out)))
        return out.value

    def update_reserve(self, reserve: ReserveLike, **fields_: Any) -> None:
        """Changes some fields of a reserve (same names as add_reserve), all or nothing."""
        rid = self._id(reserve)
        c = _ffi.CAaveReserve()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_aave_market_reserve(self._ptr, rid, byref(c)))
        self._fill(c, dict(fields_))
        check(_lib.keel_aave_market_set_reserve(self._ptr, rid, byref(c)))

    def reserve(self, reserve: ReserveLike) -> AaveReserve:
        """A reserve's parameters and state."""
        rid = self._id(reserve)
        c = _ffi.CAaveReserve()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_aave_market_reserve(self._ptr, rid, byref(c)))
        return AaveReserve(
            self.symbol(rid), c.decimals, c.ltv, c.liquidation_threshold, c.liquidation_bonus,
            c.liquidation_protocol_fee, from_u256(c.price), from_u256(c.liquidity_index),
            from_u256(c.variable_borrow_index), from_u256(c.liquidity_rate),
            from_u256(c.variable_borrow_rate), c.last_update, from_u256(c.debt_ceiling),
            from_u256(c.isolation_mode_total_debt), bool(c.flags & _ACTIVE),
            bool(c.flags & _FROZEN), bool(c.flags & _PAUSED), bool(c.flags & _BORROWING),
            bool(c.flags & _ISOLATION))

    def set_price(self, reserve: ReserveLike, price: int) -> None:
        """Sets a reserve's oracle price (base-currency units)."""
        check(_lib.keel_aave_market_set_price(self._ptr, self._id(reserve), to_u256(price, "price")))

    def set_emode(self, category: int, *, ltv: int, liquidation_threshold: int,
                  liquidation_bonus: int, collateral: Iterable[ReserveLike] = (), borrowable: Iterable[ReserveLike] = (),
                  ltvzero: Iterable[ReserveLike] = ()) -> None:
        """Sets e-mode category 1..255: its terms in bps and the reserves (ids or symbols)
        that are its collateral, may be borrowed in it, and have LTV 0 in it (v3.6)."""
        c = _ffi.CAaveEmode()
        check(_lib.keel_aave_emode_init(byref(c), ctypes.sizeof(c)))
        for name, v in (("ltv", ltv), ("liquidation_threshold", liquidation_threshold),
                        ("liquidation_bonus", liquidation_bonus)):
            if isinstance(v, bool) or not 0 <= operator.index(v) <= 0xFFFFFFFF:
                raise ValueError(f"{name} must be an int in [0, 2**32 - 1], got {v!r}")
            setattr(c, name, operator.index(v))
        c.collateral_bitmap = _bitmap(self, collateral)
        c.borrowable_bitmap = _bitmap(self, borrowable)
        c.ltvzero_bitmap = _bitmap(self, ltvzero)
        if isinstance(category, bool) or not 0 <= operator.index(category) <= 0xFFFFFFFF:
            raise ValueError(f"category must be an int, got {category!r}")
        check(_lib.keel_aave_market_set_emode(self._ptr, operator.index(category), byref(c)))

    def accrue(self, timestamp: int) -> None:
        """Moves every reserve's indexes to `timestamp` (unix s) with the protocol's
        interest formulas (linear for supply, its Taylor compounding for debt)."""
        if isinstance(timestamp, bool) or not 0 <= operator.index(timestamp) < 2**64:
            raise ValueError(f"timestamp must be an int in [0, 2**64 - 1], got {timestamp!r}")
        check(_lib.keel_aave_market_accrue(self._ptr, operator.index(timestamp)))

    @classmethod
    def from_report(cls, report: Union[str, Path, Dict[str, Any]], version: str = "3.6",
                    order: Optional[Sequence[str]] = None) -> "AaveMarket":
        """A market from an Aave governance report (the JSON of bgd-labs/aave-proposals-v3
        `reports/*.json`: `reserves` keyed by address with `symbol`, `decimals`, `ltv`,
        `liquidationThreshold`, `liquidationBonus`, `liquidationProtocolFee`,
        `oracleLatestAnswer`, `debtCeiling`, `isBorrowableInIsolation`, flags, and
        `eModes`). Reserves take ids in `order` (symbols) when given, else in the report's
        order. An e-mode's reserves come from its `collateralBitmap` / `borrowableBitmap`
        / `ltvzeroBitmap` (reports of v3.2+ pools; bit i is the reserve with id i, so give
        `order` as the pool's reserve list) or, in older reports, from each reserve's
        `eModeCategory`. Every field is type-checked (an int where an int goes, a bool for
        a flag): a malformed report raises ValueError naming the reserve and field. The
        report has no indexes or rates: they start at 1 ray and 0 (set them with
        update_reserve, or give accounts underlying amounts)."""
        data = report if isinstance(report, dict) else json.loads(Path(report).read_text())
        if not isinstance(data, dict) or not isinstance(data.get("reserves"), dict):
            raise ValueError("a report is a JSON object with a 'reserves' object")
        reserves = list(data["reserves"].values())

        def field(r: Dict[str, Any], name: str, kind: Any, default: Any = None) -> Any:
            where = f"reserve {r.get('symbol', '?')!r}" if isinstance(r, dict) else "an entry"
            if not isinstance(r, dict):
                raise ValueError(f"{where} is not an object")
            if name not in r:
                if default is None:
                    raise ValueError(f"{where} lacks {name!r}")
                return default
            v = r[name]
            if kind is int:
                if isinstance(v, str) and v.isdigit():
                    v = int(v)
                if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                    raise ValueError(f"{where}: {name} must be a non-negative integer, got {v!r}")
            elif kind is bool and not isinstance(v, bool):
                raise ValueError(f"{where}: {name} must be true or false, got {v!r}")
            elif kind is str and not isinstance(v, str):
                raise ValueError(f"{where}: {name} must be a string, got {v!r}")
            return v

        if order is not None:
            by_symbol = {field(r, "symbol", str): r for r in reserves}
            missing = [s_ for s_ in order if s_ not in by_symbol]
            if missing:
                raise KeyError(f"order names reserves the report lacks: {missing}")
            reserves = [by_symbol[s_] for s_ in order]
        m = cls(version)
        for r in reserves:
            lt = field(r, "liquidationThreshold", int)
            m.add_reserve(
                field(r, "symbol", str), decimals=field(r, "decimals", int),
                ltv=field(r, "ltv", int), liquidation_threshold=lt,
                liquidation_bonus=field(r, "liquidationBonus", int) if lt else 10000,
                liquidation_protocol_fee=field(r, "liquidationProtocolFee", int, 0),
                price=field(r, "oracleLatestAnswer", int),
                debt_ceiling=field(r, "debtCeiling", int, 0),
                active=field(r, "isActive", bool, True), frozen=field(r, "isFrozen", bool, False),
                paused=field(r, "isPaused", bool, False),
                borrowing_enabled=field(r, "borrowingEnabled", bool, True),
                borrowable_in_isolation=field(r, "isBorrowableInIsolation", bool, False))
        emodes = data.get("eModes", {})
        if not isinstance(emodes, dict):
            raise ValueError("eModes must be an object")
        for key, e in emodes.items():
            cat = field(e, "eModeCategory", int, int(key) if str(key).isdigit() else None)

            def bits(name: str) -> Optional[List[int]]:
                if name not in e:
                    return None
                v = field(e, name, int)
                return [i for i in range(min(v.bit_length(), 128)) if (v >> i) & 1]

            coll, borrow, zero = bits("collateralBitmap"), bits("borrowableBitmap"), bits("ltvzeroBitmap")
            if coll is None and borrow is None:  # the report's format before v3.2
                coll = borrow = [i for i, r in enumerate(reserves)
                                 if field(r, "eModeCategory", int, 0) == cat]
            m.set_emode(cat, ltv=field(e, "ltv", int),
                        liquidation_threshold=field(e, "liquidationThreshold", int),
                        liquidation_bonus=field(e, "liquidationBonus", int),
                        collateral=coll or [], borrowable=borrow or [], ltvzero=zero or [])
        return m


def _revert_name(code: int) -> str:
    return str(_lib.keel_aave_revert_name(code).decode())


class AaveAccount(_Handle):
    """An Aave v3 user of `market`: scaled aToken and variable-debt balances per reserve,
    collateral switches, an e-mode category."""

    _free = "keel_aave_account_free"

    def __init__(self, market: AaveMarket, emode: int = 0) -> None:
        if not isinstance(market, AaveMarket):
            raise TypeError("market must be an AaveMarket")
        out = c_void_p()
        check(_lib.keel_aave_account_new(byref(out)))
        super().__init__(out)
        self.market = market
        if emode:
            self.emode = emode

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "AaveAccount(closed)"
        parts = []
        for rid in range(len(self.market)):
            s, d, coll = self.position(rid)
            if s or d:
                parts.append(f"{self.market.symbol(rid)}: supply {s}{'' if coll else ' (off)'}"
                             f", debt {d}")
        return f"AaveAccount(e-mode {self.emode}; {'; '.join(parts) or 'empty'}; scaled)"

    @property
    def emode(self) -> int:
        """The e-mode category (0: none); setting it checks the market has it."""
        return int(_lib.keel_aave_account_emode(self._ptr))

    @emode.setter
    def emode(self, category: int) -> None:
        if isinstance(category, bool) or not 0 <= operator.index(category) <= 0xFFFFFFFF:
            raise ValueError(f"category must be an int, got {category!r}")
        check(_lib.keel_aave_account_set_emode(self._ptr, _h(self.market, "market"),
                                               operator.index(category)))

    def set_position(self, reserve: ReserveLike, supply: int = 0, debt: int = 0, *,
                     collateral: Optional[bool] = None, underlying: bool = True) -> None:
        """Sets the balances in one reserve, replacing what was there: underlying wei by
        default (scaled with the reserve's indexes as a supply and a borrow would mint),
        or scaled balances with underlying=False. `collateral` is the user's switch: by
        default on exactly when there is a supply (a borrow never sets it on chain);
        True or False sets it as given (the chain can hold a switch over a zero supply)."""
        if collateral is None:
            collateral = bool(supply)
        if not isinstance(collateral, bool) or not isinstance(underlying, bool):
            raise TypeError("collateral and underlying must be bools")
        flags = (_COLLATERAL if collateral else 0) | (_UNDERLYING if underlying else 0)
        check(_lib.keel_aave_account_set_position(
            self._ptr, _h(self.market, "market"), self.market._id(reserve),
            to_u256(supply, "supply"), to_u256(debt, "debt"), flags))

    def position(self, reserve: ReserveLike) -> Tuple[int, int, bool]:
        """(scaled supply, scaled debt, collateral switch) in one reserve."""
        s, d, f = _ffi.U256(), _ffi.U256(), c_uint32()
        check(_lib.keel_aave_account_position(self._ptr, self.market._id(reserve), byref(s),
                                              byref(d), byref(f)))
        return from_u256(s), from_u256(d), bool(f.value & _COLLATERAL)

    def balances(self, reserve: ReserveLike) -> Tuple[int, int]:
        """(supply, debt) in underlying wei, as the tokens' balanceOf computes them."""
        s, d = _ffi.U256(), _ffi.U256()
        check(_lib.keel_aave_account_balances(_h(self.market, "market"), self._ptr,
                                              self.market._id(reserve), byref(s), byref(d)))
        return from_u256(s), from_u256(d)

    def clone(self) -> "AaveAccount":
        """An independent copy."""
        out = c_void_p()
        check(_lib.keel_aave_account_clone(self._ptr, byref(out)))
        c = AaveAccount.__new__(AaveAccount)
        _Handle.__init__(c, out)
        c.market = self.market
        return c

    def account_data(self) -> AaveAccountData:
        """getUserAccountData, exactly (see AaveAccountData)."""
        c = _ffi.CAaveAccountData()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_aave_user_account_data(_h(self.market, "market"), self._ptr, byref(c)))
        return AaveAccountData(
            from_u256(c.total_collateral_base), from_u256(c.total_debt_base),
            from_u256(c.available_borrows_base), from_u256(c.current_liquidation_threshold),
            from_u256(c.ltv), from_u256(c.health_factor), bool(c.has_zero_ltv_collateral),
            bool(c.isolated), None if c.isolation_collateral == 0xFFFFFFFF else c.isolation_collateral,
            bool(c.liquidatable))

    def _liquidation(self, c: Any, after: Any) -> AaveLiquidation:
        return AaveLiquidation(
            c.collateral, c.debt, c.liquidation_bonus, from_u256(c.debt_repaid),
            from_u256(c.collateral_to_liquidator), from_u256(c.protocol_fee),
            from_u256(c.deficit_base), from_u256(c.debt_repaid_base),
            from_u256(c.collateral_to_liquidator_base), c.profit_base,
            from_u256(c.health_factor_before), from_u256(c.health_factor_after), after)

    def _raise_revert(self, c: Any, status: int) -> None:
        from .errors import KeelError
        try:
            check(status)
        except InfeasibleError as e:
            raise AaveRevert(str(e), _revert_name(c.revert)) from None
        except KeelError:
            raise

    def liquidation_quote(self, collateral: ReserveLike, debt: ReserveLike,
                          debt_to_cover: Optional[int] = None, *,
                          after: bool = False) -> AaveLiquidation:
        """Pool.liquidationCall as a quote (receiveAToken false): debt_to_cover in debt
        wei, None for as much as allowed. Raises AaveRevert (reason = the Errors.sol name)
        where the pool reverts. With after=True the result holds the account after."""
        cover = U256_MAX if debt_to_cover is None else debt_to_cover
        c = _ffi.CAaveLiquidation()
        c.size = ctypes.sizeof(c)
        acc = AaveAccount(self.market) if after else None
        status = _lib.keel_aave_liquidation_quote(
            _h(self.market, "market"), self._ptr, self.market._id(collateral),
            self.market._id(debt), to_u256(cover, "debt_to_cover"), byref(c),
            acc._ptr if acc is not None else None)
        if status:
            self._raise_revert(c, status)
        return self._liquidation(c, acc)

    def best_liquidation(self) -> AaveLiquidation:
        """The most profitable (collateral, debt) pair at the largest allowed cover;
        AaveRevert when none can be liquidated."""
        c = _ffi.CAaveLiquidation()
        c.size = ctypes.sizeof(c)
        status = _lib.keel_aave_best_liquidation(_h(self.market, "market"), self._ptr, byref(c))
        if status:
            self._raise_revert(c, status)
        return self._liquidation(c, None)

    def _amount(self, fn: Any, reserve: ReserveLike, hf: HealthLike, name: str) -> int:
        out = _ffi.U256()
        check(fn(_h(self.market, "market"), self._ptr, self.market._id(reserve),
                 to_u256(_wad(hf, name), name), byref(out)))
        return from_u256(out)

    def repay_to_target(self, reserve: ReserveLike, target_hf: HealthLike) -> int:
        """The least wei of `reserve`'s debt to repay for the chain's HF to reach
        target_hf (a number: 1.5, "1.05", Decimal; converted to wad exactly);
        InfeasibleError when repaying all of it does not."""
        return self._amount(_lib.keel_aave_repay_to_target, reserve, target_hf, "target_hf")

    def supply_to_target(self, reserve: ReserveLike, target_hf: HealthLike) -> int:
        """The least wei of `reserve` to supply as collateral for HF to reach target_hf."""
        return self._amount(_lib.keel_aave_supply_to_target, reserve, target_hf, "target_hf")

    def max_withdraw(self, reserve: ReserveLike, floor_hf: HealthLike = 1) -> int:
        """The most wei of `reserve` that can be withdrawn keeping HF >= max(floor_hf, 1)."""
        return self._amount(_lib.keel_aave_max_withdraw, reserve, floor_hf, "floor_hf")

    def max_borrow(self, reserve: ReserveLike, floor_hf: HealthLike = 1) -> int:
        """The most wei of `reserve` that can be borrowed keeping HF >= max(floor_hf, 1)
        and passing the pool's borrow checks (caps and liquidity not checked)."""
        return self._amount(_lib.keel_aave_max_borrow, reserve, floor_hf, "floor_hf")

    def liquidation_price(self, reserve: ReserveLike) -> AavePriceBoundary:
        """The oracle price (base units) of `reserve` at which the chain's verdict flips."""
        c = _ffi.CAavePriceBoundary()
        c.size = ctypes.sizeof(c)
        check(_lib.keel_aave_liquidation_price(_h(self.market, "market"), self._ptr,
                                               self.market._id(reserve), byref(c)))
        return AavePriceBoundary(c.direction, from_u256(c.price) if c.direction else None,
                                 bool(c.liquidatable_now))

    def to_keel(self) -> Tuple[Market, Basket, HaircutModel]:
        """keel's double-precision market, basket and haircut model for this account
        (prices / 10**8, balances / 10**decimals, haircuts 1 - LTV and 1 - threshold)."""
        return _bridge(_lib.keel_aave_to_keel, self.market, self._ptr)


def _bridge(fn: Any, market: _Handle, account: Any) -> Tuple[Market, Basket, HaircutModel]:
    """Calls a protocol's *_to_keel bridge (Aave's and Comet's shape) and adopts the
    market, basket and haircut model it returns."""
    m, b, h = c_void_p(), c_void_p(), c_void_p()
    check(fn(_h(market, "market"), account, byref(m), byref(b), byref(h), None, 0, None))
    return _keel_objects(m, b, h)


def aave_scan(market: AaveMarket, accounts: Sequence[AaveAccount]) -> Tuple[Any, Any, int]:
    """Health factors and the chain's exact verdicts for many accounts: (hf, liquidatable,
    exact) where hf is a float64 array (+inf without debt), liquidatable a bool array and
    exact the number of accounts re-computed in integers (those near HF = 1)."""
    import numpy as np
    accounts = list(accounts)
    for i, a in enumerate(accounts):
        if not isinstance(a, AaveAccount):
            raise TypeError(f"accounts[{i}] must be an AaveAccount")
    n = len(accounts)
    refs = [a._ptr for a in accounts]
    ptrs = (c_void_p * max(n, 1))(*[r.value for r in refs])
    setattr(ptrs, "_refs", refs)  # checked open by the call (see _ffi._Call), after conversion
    hf = np.empty(n, dtype=np.float64)
    liq = np.empty(n, dtype=np.uint8)
    exact = c_size_t()
    check(_lib.keel_aave_scan(_h(market, "market"), byref(ptrs), n, hf.ctypes.data_as(c_void_p),
                              liq.ctypes.data_as(c_void_p), byref(exact)))
    return hf, liq.astype(bool), exact.value


# ---- flat batches -------------------------------------------------------------------

_U64 = 2**64


def _int_array(x: Any, name: str, dtype: Any, lo: int, hi: int) -> Any:
    """x as a C-contiguous 1-D numpy array of `dtype`: the array itself when it already is
    one (no copy), else a checked conversion of an integer array or sequence. Floats, bools
    (where an integer is meant) and values outside [lo, hi] are refused, never wrapped."""
    import numpy as np
    if isinstance(x, np.ndarray) and x.dtype == dtype and x.ndim == 1 and x.flags["C_CONTIGUOUS"]:
        return x
    a = np.asarray(x)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D, got shape {a.shape}")
    if a.dtype == object:  # Python ints past int64, or mixed objects
        for i, v in enumerate(a):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise TypeError(f"{name}[{i}] must be an integer, got {type(v).__name__}")
            if not lo <= int(v) <= hi:
                raise ValueError(f"{name}[{i}] = {int(v)} is outside [{lo}, {hi}]")
        return np.array([int(v) for v in a], dtype=dtype)
    if a.dtype == np.bool_ and dtype != np.uint8:
        raise TypeError(f"{name} must hold integers, got bools")
    if not (np.issubdtype(a.dtype, np.integer) or a.dtype == np.bool_):
        if a.size == 0 and a.dtype == np.float64:  # an empty list
            return np.zeros(0, dtype=dtype)
        raise TypeError(f"{name} must hold integers, got {a.dtype} (convert it explicitly)")
    if a.size and (int(a.min()) < lo or int(a.max()) > hi):
        bad = int(np.argmax((a < lo) | (a > hi)))
        raise ValueError(f"{name}[{bad}] = {int(a[bad])} is outside [{lo}, {hi}]")
    return np.ascontiguousarray(a, dtype=dtype)


def _balances(x: Any, name: str, npos: int) -> Any:
    """Scaled balances as a C-contiguous (npos, 2) uint64 array of [low, high] words: the
    array itself when it already is one, else split from integers (a sequence of Python ints
    or a 1-D integer array), each checked to be in [0, 2**128)."""
    import numpy as np
    if isinstance(x, np.ndarray) and x.ndim == 2:
        if x.shape != (npos, 2):
            raise ValueError(f"{name} must have shape ({npos}, 2) (low and high words), got {x.shape}")
        if x.dtype == np.uint64 and x.flags["C_CONTIGUOUS"]:
            return x
        if not np.issubdtype(x.dtype, np.integer):
            raise TypeError(f"{name} must hold integers, got {x.dtype} (convert it explicitly)")
        if x.size and (int(x.min()) < 0 or int(x.max()) >= _U64):
            raise ValueError(f"{name} words must be in [0, 2**64)")
        return np.ascontiguousarray(x, dtype=np.uint64)
    if isinstance(x, np.ndarray) and x.ndim != 1:
        raise ValueError(f"{name} must be an (npos, 2) array or a sequence of ints, got shape {x.shape}")
    if isinstance(x, np.ndarray) and x.dtype != object and not np.issubdtype(x.dtype, np.integer):
        raise TypeError(f"{name} must hold integers, got {x.dtype} (convert it explicitly)")
    values = list(x)
    if len(values) != npos:
        raise ValueError(f"{name} holds {len(values)} balances; there are {npos} positions")
    out = np.empty((npos, 2), dtype=np.uint64)
    for j, v in enumerate(values):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise TypeError(f"{name}[{j}] must be an integer, got {type(v).__name__}")
        v = int(v)
        if not 0 <= v < 2**128:
            raise ValueError(f"{name}[{j}] = {v} is outside [0, 2**128) (a scaled balance "
                             f"is 128 bits)")
        out[j, 0], out[j, 1] = v % _U64, v // _U64
    return out


def aave_scan_flat(market: AaveMarket, offsets: Any, reserves: Any, flags: Any, supply: Any,
                   debt: Any, emodes: Any = None) -> Tuple[Any, Any, int]:
    """aave_scan over accounts in flat arrays (compressed sparse rows), without a handle
    per account: account i holds positions offsets[i] .. offsets[i + 1] - 1.

    offsets: n + 1 integers, the first 0, non-decreasing, the last the number of
    positions P (np.uintp is read in place). reserves: P reserve ids (np.uint32), strictly
    increasing within an account. flags: P collateral switches, 1 or 0 (np.uint8 or bool).
    supply, debt: the P scaled balances (scaledBalanceOf), as a (P, 2) np.uint64 array of
    [low, high] words (read in place) or a sequence of ints below 2**128 (split here).
    emodes: None (category 0 everywhere) or n categories (np.uint8).

    Arrays with the dtype named and C-contiguous are passed to C without a copy; other
    integer arrays and sequences are converted after a range check (floats and bools are
    refused, nothing is wrapped). Every length, and the offsets' start, order and end, are
    checked here before C is called. Returns (hf, liquidatable, exact) as aave_scan: the
    same health factors, bit for bit."""
    import numpy as np
    if not isinstance(market, AaveMarket):
        raise TypeError("market must be an AaveMarket")
    off = _int_array(offsets, "offsets", np.uintp, 0, 2**64 - 1)
    if len(off) == 0:
        raise ValueError("offsets needs n + 1 entries; it is empty")
    n = len(off) - 1
    res = _int_array(reserves, "reserves", np.uint32, 0, 2**32 - 1)
    npos = len(res)
    fl = _int_array(flags, "flags", np.uint8, 0, 255)
    if len(fl) != npos:
        raise ValueError(f"flags holds {len(fl)} entries; reserves holds {npos}")
    sup = _balances(supply, "supply", npos)
    deb = _balances(debt, "debt", npos)
    em = None
    if emodes is not None:
        em = _int_array(emodes, "emodes", np.uint8, 0, 255)
        if len(em) != n:
            raise ValueError(f"emodes holds {len(em)} categories for {n} accounts")
    if int(off[0]) != 0:
        raise ValueError(f"offsets[0] is {int(off[0])}; it must be 0")
    if n and np.any(off[1:] < off[:-1]):
        bad = int(np.argmax(off[1:] < off[:-1]))
        raise ValueError(f"offsets decrease at account {bad} ({int(off[bad])} to {int(off[bad + 1])})")
    if int(off[-1]) != npos:
        raise ValueError(f"offsets end at {int(off[-1])}; there are {npos} positions")
    hf = np.empty(n, dtype=np.float64)
    liq = np.empty(n, dtype=np.uint8)
    exact = c_size_t()
    check(_lib.keel_aave_scan_flat(
        _h(market, "market"), n, off.ctypes.data, res.ctypes.data, fl.ctypes.data,
        sup.ctypes.data, deb.ctypes.data, None if em is None else em.ctypes.data,
        hf.ctypes.data, liq.ctypes.data, byref(exact)))
    return hf, liq.astype(bool), exact.value


def flatten(accounts: Sequence[AaveAccount]) -> Tuple[Any, Any, Any, Any, Any, Any]:
    """The flat arrays of AaveAccount objects of one market, for aave_scan_flat:
    (offsets, reserves, flags, supply, debt, emodes), so that
    aave_scan_flat(market, *flatten(accounts)) scans them as aave_scan does. A reserve
    is a position when either scaled balance or the switch is set."""
    import numpy as np
    accounts = list(accounts)
    for i, a in enumerate(accounts):
        if not isinstance(a, AaveAccount):
            raise TypeError(f"accounts[{i}] must be an AaveAccount")
        if a.market is not accounts[0].market:
            raise ValueError(f"accounts[{i}] belongs to another market than accounts[0]")
    offsets, reserves, flags, supply, debt = [0], [], [], [], []
    size = len(accounts[0].market) if accounts else 0
    for a in accounts:
        for rid in range(size):
            s, d, coll = a.position(rid)
            if s or d or coll:
                reserves.append(rid)
                flags.append(1 if coll else 0)
                supply.append(s)
                debt.append(d)
        offsets.append(len(reserves))
    npos = len(reserves)
    return (np.array(offsets, dtype=np.uintp), np.array(reserves, dtype=np.uint32),
            np.array(flags, dtype=np.uint8), _balances(supply, "supply", npos),
            _balances(debt, "debt", npos),
            np.array([a.emode for a in accounts], dtype=np.uint8))


def haircuts(source: Union[AaveMarket, str, Path, Dict[str, Any]], market: Market, *,
             into: Optional[HaircutModel] = None) -> HaircutModel:
    """keel haircuts from Aave v3 reserve configurations, so that nobody converts
    basis points by hand: for each asset of the keel `market` whose symbol is a
    reserve of `source`, initial = (10000 - ltv) / 10000 and maintenance =
    (10000 - liquidationThreshold) / 10000 (both correctly rounded from the bps;
    WETH's 8050 / 8300 give 0.195 / 0.17). A reserve with a liquidation threshold
    of 0 (not collateral) is left without haircuts: it counts for nothing, as in
    Aave. The reserves' base terms: e-mode categories are not applied.

    `source` is an AaveMarket, or the report AaveMarket.from_report reads (a path
    or its parsed dict). Returns `into` (a HaircutModel to fill) or a new model
    bound to `market`."""
    if not isinstance(source, AaveMarket):
        source = AaveMarket.from_report(source)
    h = HaircutModel() if into is None else into
    for asset in market.assets:
        try:
            r = source.reserve(asset.symbol)
        except KeyError:  # NotFoundError: not a reserve of the source
            continue
        if r.liquidation_threshold == 0:
            continue
        h.set_asset(asset, initial=(10000 - r.ltv) / 10000,
                    maintenance=(10000 - r.liquidation_threshold) / 10000)
    return h
