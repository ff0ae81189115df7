"""Exact integer reference of Aave v3's account math, written from the Solidity.

This module is the independent oracle keel's C Aave layer is tested against.
It is a re-implementation in Python integers (no floats anywhere), written by
reading the Solidity of aave-dao/aave-v3-origin at the tags

    v3.4.0  d7a64127dbecb944a73670fbe6fba136329d9e15
    v3.5.0  6138e1fda45884b6547d094a1ddeef43dcab4977
    v3.6.0  5a230ec82fcb10afc7fe7cffa8978752fb17aa2b

(paths below are relative to src/contracts/protocol/).  Only the standard
library is used.  Every function names the Solidity it follows.

Conventions
-----------
* ``Revert(name)`` is raised where the contract reverts.  ``name`` is the
  custom error of Errors.sol (``"HealthFactorNotBelowThreshold"``, ...),
  ``"overflow"`` for the bare ``revert(0, 0)`` of the assembly in
  WadRayMath / PercentageMath / MathUtils.mulDivCeil (overflow or a zero
  divisor), ``"Panic(0x11)"`` for Solidity 0.8 checked-arithmetic
  over/underflow and ``"Panic(0x12)"`` for a checked division by zero.
* Market / account dicts: see the module-level docstrings of
  ``account_data`` and ``liquidation_call``.
"""

from __future__ import annotations

import math
from fractions import Fraction

__all__ = [
    "Revert", "MAX_UINT256", "WAD", "HALF_WAD", "RAY", "HALF_RAY", "WAD_RAY_RATIO",
    "PERCENTAGE_FACTOR", "HALF_PERCENTAGE_FACTOR", "SECONDS_PER_YEAR",
    "wad_mul", "wad_div", "ray_mul", "ray_mul_floor", "ray_mul_ceil", "ray_div",
    "ray_div_floor", "ray_div_ceil", "ray_to_wad", "wad_to_ray", "percent_mul",
    "percent_mul_floor", "percent_mul_ceil", "percent_div", "percent_div_ceil",
    "mul_div_ceil", "calculate_linear_interest", "calculate_compounded_interest",
    "accrue", "account_data", "calculate_available_borrows", "liquidation_call",
    "token_balances", "real_health_factor", "random_case", "EMODE_SNAPSHOT",
    "VERSIONS",
]

# --------------------------------------------------------------------------
# Errors and constants
# --------------------------------------------------------------------------


class Revert(Exception):
    """The contract reverted.  ``.name`` is the error's name (see module doc)."""

    def __init__(self, name: str, detail: str = ""):
        super().__init__(name if not detail else f"{name}: {detail}")
        self.name = name
        self.detail = detail


MAX_UINT256 = 2**256 - 1
_MOD = 2**256

# math/WadRayMath.sol (identical constants at v3.4.0, v3.5.0, v3.6.0)
WAD = 10**18
HALF_WAD = 5 * 10**17
RAY = 10**27
HALF_RAY = 5 * 10**26
WAD_RAY_RATIO = 10**9
# math/PercentageMath.sol
PERCENTAGE_FACTOR = 10**4
HALF_PERCENTAGE_FACTOR = 5 * 10**3
# math/MathUtils.sol: SECONDS_PER_YEAR = 365 days
SECONDS_PER_YEAR = 365 * 24 * 3600

# logic/ValidationLogic.sol (all three tags)
HEALTH_FACTOR_LIQUIDATION_THRESHOLD = 10**18
MINIMUM_HEALTH_FACTOR_LIQUIDATION_THRESHOLD = 95 * 10**16  # only used with a sentinel
# logic/LiquidationLogic.sol (all three tags)
DEFAULT_LIQUIDATION_CLOSE_FACTOR = 5000
CLOSE_FACTOR_HF_THRESHOLD = 95 * 10**16
MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000 * 10**8
MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD // 2
# configuration/ReserveConfiguration.sol: MAX_RESERVES_COUNT = 128 (bitmaps are uint128)
MAX_RESERVES_COUNT = 128

VERSIONS = ("3.4", "3.5", "3.6")


def _u(x, what="operand"):
    """An operand must be a uint256 (the ABI would not let anything else in)."""
    if isinstance(x, bool) or not isinstance(x, int):
        raise TypeError(f"{what} must be an int, got {type(x).__name__}")
    if x < 0 or x > MAX_UINT256:
        raise ValueError(f"{what} {x} is not a uint256")
    return x


def _chk(x):
    """Solidity >=0.8 checked arithmetic: a result outside uint256 panics."""
    if x < 0 or x > MAX_UINT256:
        raise Revert("Panic(0x11)")
    return x


def _cdiv(a, b):
    """Solidity checked division (b == 0 panics with 0x12), rounding down."""
    if b == 0:
        raise Revert("Panic(0x12)")
    return a // b


# --------------------------------------------------------------------------
# math/WadRayMath.sol
#   rayMul, rayDiv, wadMul, wadDiv, rayToWad, wadToRay: all three tags.
#   rayMulFloor, rayMulCeil, rayDivFloor, rayDivCeil: added at v3.5.0.
# Each overflow test below is the assembly's own test, written out.
# --------------------------------------------------------------------------


def wad_mul(a, b):
    """wadMul: half up.  Reverts iff b != 0 and a > (MAX - HALF_WAD) / b."""
    _u(a), _u(b)
    if b != 0 and a > (MAX_UINT256 - HALF_WAD) // b:
        raise Revert("overflow")
    return (a * b + HALF_WAD) // WAD


def wad_div(a, b):
    """wadDiv: half up.  Reverts iff b == 0 or a > (MAX - b/2) / WAD."""
    _u(a), _u(b)
    if b == 0 or a > (MAX_UINT256 - b // 2) // WAD:
        raise Revert("overflow")
    return (a * WAD + b // 2) // b


def ray_mul(a, b):
    """rayMul: half up.  Reverts iff b != 0 and a > (MAX - HALF_RAY) / b."""
    _u(a), _u(b)
    if b != 0 and a > (MAX_UINT256 - HALF_RAY) // b:
        raise Revert("overflow")
    return (a * b + HALF_RAY) // RAY


def ray_mul_floor(a, b):
    """rayMulFloor (v3.5.0+).  Reverts iff b != 0 and a > MAX / b."""
    _u(a), _u(b)
    if b != 0 and a > MAX_UINT256 // b:
        raise Revert("overflow")
    return a * b // RAY


def ray_mul_ceil(a, b):
    """rayMulCeil (v3.5.0+).  Reverts iff b != 0 and a > MAX / b."""
    _u(a), _u(b)
    if b != 0 and a > MAX_UINT256 // b:
        raise Revert("overflow")
    p = a * b
    return p // RAY + (1 if p % RAY else 0)


def ray_div(a, b):
    """rayDiv: half up.  Reverts iff b == 0 or a > (MAX - b/2) / RAY."""
    _u(a), _u(b)
    if b == 0 or a > (MAX_UINT256 - b // 2) // RAY:
        raise Revert("overflow")
    return (a * RAY + b // 2) // b


def ray_div_floor(a, b):
    """rayDivFloor (v3.5.0+).  Reverts iff b == 0 or a > MAX / RAY."""
    _u(a), _u(b)
    if b == 0 or a > MAX_UINT256 // RAY:
        raise Revert("overflow")
    return a * RAY // b


def ray_div_ceil(a, b):
    """rayDivCeil (v3.5.0+).  Reverts iff b == 0 or a > MAX / RAY."""
    _u(a), _u(b)
    if b == 0 or a > MAX_UINT256 // RAY:
        raise Revert("overflow")
    s = a * RAY
    return s // b + (1 if s % b else 0)


def ray_to_wad(a):
    """rayToWad: a / 1e9 rounded half up (remainder >= 5e8 rounds up); never reverts."""
    _u(a)
    q, r = divmod(a, WAD_RAY_RATIO)
    return q + (1 if r >= WAD_RAY_RATIO // 2 else 0)


def wad_to_ray(a):
    """wadToRay: a * 1e9, reverting when the (wrapping) product does not divide back."""
    _u(a)
    b = (a * WAD_RAY_RATIO) % _MOD
    if b // WAD_RAY_RATIO != a:
        raise Revert("overflow")
    return b


# --------------------------------------------------------------------------
# math/PercentageMath.sol
#   percentMul, percentDiv: all three tags.  percentMulFloor, percentMulCeil,
#   percentDivCeil: added at v3.5.0.
# --------------------------------------------------------------------------


def percent_mul(value, percentage):
    """percentMul: half up.  Reverts iff percentage != 0 and value > (MAX - 5000) / percentage."""
    _u(value), _u(percentage)
    if percentage != 0 and value > (MAX_UINT256 - HALF_PERCENTAGE_FACTOR) // percentage:
        raise Revert("overflow")
    return (value * percentage + HALF_PERCENTAGE_FACTOR) // PERCENTAGE_FACTOR


def percent_mul_floor(value, percentage):
    """percentMulFloor (v3.5.0+).  Reverts iff percentage != 0 and value > MAX / percentage."""
    _u(value), _u(percentage)
    if percentage != 0 and value > MAX_UINT256 // percentage:
        raise Revert("overflow")
    return value * percentage // PERCENTAGE_FACTOR


def percent_mul_ceil(value, percentage):
    """percentMulCeil (v3.5.0+).  Reverts iff percentage != 0 and value > MAX / percentage."""
    _u(value), _u(percentage)
    if percentage != 0 and value > MAX_UINT256 // percentage:
        raise Revert("overflow")
    p = value * percentage
    return p // PERCENTAGE_FACTOR + (1 if p % PERCENTAGE_FACTOR else 0)


def percent_div(value, percentage):
    """percentDiv: half up.  Reverts iff percentage == 0 or value > (MAX - percentage/2) / 1e4."""
    _u(value), _u(percentage)
    if percentage == 0 or value > (MAX_UINT256 - percentage // 2) // PERCENTAGE_FACTOR:
        raise Revert("overflow")
    return (value * PERCENTAGE_FACTOR + percentage // 2) // percentage


def percent_div_ceil(value, percentage):
    """percentDivCeil (v3.5.0+).  Reverts iff percentage == 0 or value > MAX / 1e4."""
    _u(value), _u(percentage)
    if percentage == 0 or value > MAX_UINT256 // PERCENTAGE_FACTOR:
        raise Revert("overflow")
    v = value * PERCENTAGE_FACTOR
    return v // percentage + (1 if v % percentage else 0)


# --------------------------------------------------------------------------
# math/MathUtils.sol
# --------------------------------------------------------------------------


def mul_div_ceil(a, b, c):
    """mulDivCeil (v3.5.0+): ceil(a*b/c).  Reverts iff c == 0, or b != 0 and a > MAX / b."""
    _u(a), _u(b), _u(c)
    if c == 0:
        raise Revert("overflow")
    if b != 0 and a > MAX_UINT256 // b:
        raise Revert("overflow")
    p = a * b
    return p // c + (1 if p % c else 0)


def calculate_linear_interest(rate, last_update, now):
    """calculateLinearInterest (identical at the three tags).

    result = rate * (now - last) is checked (panics); the division by
    SECONDS_PER_YEAR is unchecked (cannot fail); RAY + result is checked.
    """
    _u(rate), _u(now)
    if not 0 <= last_update < 2**40:
        raise ValueError("lastUpdateTimestamp is a uint40")
    result = _chk(rate * _chk(now - last_update))
    result //= SECONDS_PER_YEAR
    return _chk(RAY + result)


def calculate_compounded_interest(rate, last_update, now):
    """calculateCompoundedInterest (identical at the three tags).

    exp = now - last is checked; the rest sits in an ``unchecked`` block, so
    the products and sums wrap modulo 2**256, but the rayMul calls keep
    their own assembly overflow reverts.  Binomial expansion to the third
    term:  RAY + x + x.rayMul(x/2 + x.rayMul(x/6)),  x = rate*exp/YEAR.
    """
    _u(rate), _u(now)
    if not 0 <= last_update < 2**40:
        raise ValueError("lastUpdateTimestamp is a uint40")
    exp = _chk(now - last_update)
    if exp == 0:
        return RAY
    x = ((rate * exp) % _MOD) // SECONDS_PER_YEAR
    inner = (x // 2 + ray_mul(x, x // 6)) % _MOD
    return (RAY + x + ray_mul(x, inner)) % _MOD


def accrue(reserve, liquidity_rate, variable_borrow_rate, last_update, now):
    """(normalized income, normalized variable debt) of ``reserve`` at ``now``.

    logic/ReserveLogic.sol getNormalizedIncome / getNormalizedDebt (identical
    at the three tags): when the reserve was updated in this very block the
    stored index is returned as is; otherwise
        income = calculateLinearInterest(liquidityRate, last).rayMul(liquidityIndex)
        debt   = calculateCompoundedInterest(variableBorrowRate, last).rayMul(variableBorrowIndex)
    ``reserve`` needs "liquidity_index" and "variable_borrow_index" (rays).
    """
    li = _u(reserve["liquidity_index"], "liquidity_index")
    vi = _u(reserve["variable_borrow_index"], "variable_borrow_index")
    if now == last_update:
        return li, vi
    income = ray_mul(calculate_linear_interest(liquidity_rate, last_update, now), li)
    debt = ray_mul(calculate_compounded_interest(variable_borrow_rate, last_update, now), vi)
    return income, debt


# --------------------------------------------------------------------------
# Market / account helpers
# --------------------------------------------------------------------------

_EMPTY_EMODE = {"ltv": 0, "liquidation_threshold": 0, "liquidation_bonus": 0,
                "collateral_bitmap": 0, "borrowable_bitmap": 0, "ltvzero_bitmap": 0}


def _version(market):
    v = market.get("version")
    if v not in VERSIONS:
        raise ValueError(f"market version must be one of {VERSIONS}, got {v!r}")
    return v


def _emode(market, category):
    """eModeCategories[category]: an unset category reads as all zeros, as in storage."""
    if category == 0:
        return _EMPTY_EMODE
    if not 0 < category < 256:
        raise ValueError("an e-mode category id is a uint8")
    cat = market.get("emodes", {}).get(category)
    if cat is None:
        cat = market.get("emodes", {}).get(str(category), _EMPTY_EMODE)
    return {**_EMPTY_EMODE, **cat}


def _on_bitmap(bitmap, reserve_id):
    """EModeConfiguration.isReserveEnabledOnBitmap (require id < 128)."""
    if reserve_id >= MAX_RESERVES_COUNT:
        raise Revert("InvalidReserveIndex")
    return (bitmap >> reserve_id) & 1 != 0


def _user_state(market, account):
    """{reserve id: {"scaled_supply", "collateral", "scaled_debt", "borrowing"}}.

    The user's configuration bitmap holds, per reserve, a borrowing bit and
    a collateral bit.  "collateral" is the user's switch as given;
    "borrowing" defaults to scaled_debt > 0 but may be given explicitly (a
    bit can be set on a zero balance: the config is then not empty).
    """
    n = len(market["reserves"])
    state = {}
    for p in account.get("positions", []):
        rid = p["reserve"]
        if not 0 <= rid < n:
            raise ValueError(f"position on unknown reserve {rid}")
        if rid in state:
            raise ValueError(f"two positions on reserve {rid}")
        sd = _u(p.get("scaled_debt", 0), "scaled_debt")
        state[rid] = {
            "scaled_supply": _u(p.get("scaled_supply", 0), "scaled_supply"),
            "collateral": bool(p.get("collateral", False)),
            "scaled_debt": sd,
            "borrowing": bool(p.get("borrowing", sd > 0)),
        }
    return state


def _state_to_account(account, state):
    out = {k: v for k, v in account.items() if k != "positions"}
    out["positions"] = [
        {"reserve": rid, "scaled_supply": s["scaled_supply"], "collateral": s["collateral"],
         "scaled_debt": s["scaled_debt"], "borrowing": s["borrowing"]}
        for rid, s in sorted(state.items())
    ]
    return out


def _a_balance(version, scaled, index):
    """aToken balance: v3.4 scaled.rayMul(index) (AToken.balanceOf / GenericLogic);
    v3.5+ TokenMath.getATokenBalance = rayMulFloor."""
    return ray_mul(scaled, index) if version == "3.4" else ray_mul_floor(scaled, index)


def _v_balance(version, scaled, index):
    """vToken balance: v3.4 scaled.rayMul(index); v3.5+ TokenMath.getVTokenBalance = rayMulCeil."""
    return ray_mul(scaled, index) if version == "3.4" else ray_mul_ceil(scaled, index)


def _collateral_base(balance, price, unit):
    """(balance * price) / unit: checked product, floor (every tag)."""
    return _chk(balance * price) // unit


def _debt_base(version, debt, price, unit):
    """v3.4: (debt * price) / unit (floor); v3.5+: MathUtils.mulDivCeil (ceil)."""
    if version == "3.4":
        return _chk(debt * price) // unit
    return mul_div_ceil(debt, price, unit)


def token_balances(market, account):
    """{reserve: (aToken balance, vToken balance)} as the chain of that version reads them."""
    v = _version(market)
    out = {}
    for rid, s in _user_state(market, account).items():
        r = market["reserves"][rid]
        out[rid] = (_a_balance(v, s["scaled_supply"], r["liquidity_index"]),
                    _v_balance(v, s["scaled_debt"], r["variable_borrow_index"]))
    return out


# --------------------------------------------------------------------------
# logic/GenericLogic.sol calculateUserAccountData + calculateAvailableBorrows
# --------------------------------------------------------------------------


def _user_reserve_ltv_36(reserve, rid, cat, category):
    """ValidationLogic.getUserReserveLtv (v3.6.0 only): inside the user's
    e-mode, a reserve on the category's collateral bitmap has the category's
    LTV, or 0 when it is also on the ltvzero bitmap; otherwise the reserve's
    own LTV."""
    if category != 0 and _on_bitmap(cat["collateral_bitmap"], rid):
        if _on_bitmap(cat["ltvzero_bitmap"], rid):
            return 0
        return cat["ltv"]
    return reserve["ltv"]


def calculate_available_borrows(version, total_collateral, total_debt, ltv):
    """GenericLogic.calculateAvailableBorrows: v3.4 percentMul (half up), v3.5+ percentMulFloor."""
    if version == "3.4":
        avail = percent_mul(total_collateral, ltv)
    else:
        avail = percent_mul_floor(total_collateral, ltv)
    return 0 if avail <= total_debt else avail - total_debt


def account_data(market, account):
    """What Pool.getUserAccountData returns, for the market's version.

    market = {"version": "3.4"|"3.5"|"3.6",
              "reserves": [ {decimals, ltv, liquidation_threshold, liquidation_bonus,
                             protocol_fee, price, liquidity_index, variable_borrow_index,
                             debt_ceiling, borrowable_in_isolation, active, paused,
                             borrowing_enabled}, ... ]   (reserve id = list position)
              "emodes": {id: {ltv, liquidation_threshold, liquidation_bonus,
                              collateral_bitmap, borrowable_bitmap, ltvzero_bitmap}}}
    account = {"emode": int, "positions": [{reserve, scaled_supply, collateral,
                                            scaled_debt[, borrowing]}]}

    Returns {total_collateral_base, total_debt_base, available_borrows_base,
    current_liquidation_threshold, ltv, health_factor, has_zero_ltv_collateral}
    plus "weighted_lt_sum" (the sum of value*LT in bps before averaging).

    GenericLogic.calculateUserAccountData, per tag:
      all: empty user config -> (0, 0, 0, 0, uint256.max, false); reserves
           walked in id order; e-mode LT applies to reserves on the
           category's collateral bitmap; avg LTV / LT floored to bps.
      v3.4.0: balances rayMul (half up); base values floor; a collateral
           with reserve LT == 0 is skipped entirely; reserve LTV == 0 ->
           hasZeroLtvCollateral (even inside e-mode), else the e-mode LTV
           inside e-mode; HF = percentMul(totalCollateral, avgLT).wadDiv(debt)
           with avgLT already floored; available via percentMul.
      v3.5.0: as v3.4 for which collateral counts and which LTV, but
           balances TokenMath (aToken floor, vToken ceil), debt base
           mulDivCeil, HF = SUM(value*LT).wadDiv(debt) / 1e4 (no averaging
           first), available via percentMulFloor.
      v3.6.0: as v3.5 for the rounding, but every enabled collateral counts
           (LT == 0 included, contributing 0 to the LT sum) and the LTV is
           ValidationLogic.getUserReserveLtv (e-mode LTV even for a reserve
           whose own LTV is 0; 0 on the category's ltvzeroBitmap).
    """
    v = _version(market)
    reserves = market["reserves"]
    state = _user_state(market, account)
    category = account.get("emode", 0) or 0
    # UserConfiguration.isEmpty: data == 0, i.e. no bit set at all
    if not any(s["collateral"] or s["borrowing"] for s in state.values()):
        return {"total_collateral_base": 0, "total_debt_base": 0, "available_borrows_base": 0,
                "current_liquidation_threshold": 0, "ltv": 0, "health_factor": MAX_UINT256,
                "has_zero_ltv_collateral": False, "weighted_lt_sum": 0}
    cat = _emode(market, category)

    total_col = total_debt = avg_ltv = avg_lt = 0
    has_zero_ltv = False
    for rid in sorted(state):
        s = state[rid]
        if not (s["collateral"] or s["borrowing"]):
            continue
        r = reserves[rid]
        unit = 10 ** r["decimals"]
        price = r["price"]
        if s["collateral"]:
            in_emode = category != 0 and _on_bitmap(cat["collateral_bitmap"], rid)
            if v in ("3.4", "3.5"):
                if r["liquidation_threshold"] != 0:
                    value = _collateral_base(_a_balance(v, s["scaled_supply"], r["liquidity_index"]),
                                             price, unit)
                    total_col = _chk(total_col + value)
                    if r["ltv"] != 0:
                        avg_ltv = _chk(avg_ltv + _chk(value * (cat["ltv"] if in_emode else r["ltv"])))
                    else:
                        has_zero_ltv = True
                    lt = cat["liquidation_threshold"] if in_emode else r["liquidation_threshold"]
                    avg_lt = _chk(avg_lt + _chk(value * lt))
            else:
                value = _collateral_base(_a_balance(v, s["scaled_supply"], r["liquidity_index"]),
                                         price, unit)
                total_col = _chk(total_col + value)
                ltv = _user_reserve_ltv_36(r, rid, cat, category)
                if ltv == 0:
                    has_zero_ltv = True
                else:
                    avg_ltv = _chk(avg_ltv + _chk(value * ltv))
                lt = cat["liquidation_threshold"] if in_emode else r["liquidation_threshold"]
                avg_lt = _chk(avg_lt + _chk(value * lt))
        if s["borrowing"]:
            debt = _v_balance(v, s["scaled_debt"], r["variable_borrow_index"])
            total_debt = _chk(total_debt + _debt_base(v, debt, price, unit))

    weighted = avg_lt
    if v == "3.4":
        avg_ltv = avg_ltv // total_col if total_col else 0
        avg_lt = avg_lt // total_col if total_col else 0
        hf = MAX_UINT256 if total_debt == 0 else wad_div(percent_mul(total_col, avg_lt), total_debt)
    else:
        hf = MAX_UINT256 if total_debt == 0 else wad_div(avg_lt, total_debt) // 10000
        avg_ltv = avg_ltv // total_col if total_col else 0
        avg_lt = avg_lt // total_col if total_col else 0
    return {
        "total_collateral_base": total_col,
        "total_debt_base": total_debt,
        "available_borrows_base": calculate_available_borrows(v, total_col, total_debt, avg_ltv),
        "current_liquidation_threshold": avg_lt,
        "ltv": avg_ltv,
        "health_factor": hf,
        "has_zero_ltv_collateral": has_zero_ltv,
        "weighted_lt_sum": weighted,
    }


def real_health_factor(market, account, balances="chain"):
    """The unrounded real-number HF as a Fraction (None when there is no debt).

    HF = SUM(balance_i * price_i / unit_i * LT_i) / 1e4 / SUM(debt_j * price_j / unit_j)
    with exact rationals; which collateral counts and with which LT follows
    the market's version.  ``balances``: "chain" uses the token balances that
    version reads (integers), "exact" uses scaled * index / RAY unrounded.
    """
    v = _version(market)
    state = _user_state(market, account)
    category = account.get("emode", 0) or 0
    cat = _emode(market, category)
    num = Fraction(0)
    den = Fraction(0)
    for rid, s in state.items():
        r = market["reserves"][rid]
        unit = 10 ** r["decimals"]
        if balances == "chain":
            a = Fraction(_a_balance(v, s["scaled_supply"], r["liquidity_index"]))
            d = Fraction(_v_balance(v, s["scaled_debt"], r["variable_borrow_index"]))
        else:
            a = Fraction(s["scaled_supply"] * r["liquidity_index"], RAY)
            d = Fraction(s["scaled_debt"] * r["variable_borrow_index"], RAY)
        if s["collateral"]:
            in_emode = category != 0 and _on_bitmap(cat["collateral_bitmap"], rid)
            if v != "3.6" and r["liquidation_threshold"] == 0:
                pass
            else:
                lt = cat["liquidation_threshold"] if in_emode else r["liquidation_threshold"]
                num += a * r["price"] / unit * lt
        if s["borrowing"]:
            den += d * r["price"] / unit
    if den == 0:
        return None
    return num / 10000 / den


# --------------------------------------------------------------------------
# logic/LiquidationLogic.sol executeLiquidationCall (receiveAToken = false)
# --------------------------------------------------------------------------


def _calculate_available_collateral_to_liquidate(v, col, col_price, col_unit, debt_price, debt_unit,
                                                 debt_to_cover, borrower_collateral, bonus):
    """LiquidationLogic._calculateAvailableCollateralToLiquidate.

    Returns (collateral to liquidator, debt needed, protocol fee, collateral
    value in base).  v3.4 uses percentDiv for the debt needed when the whole
    balance is taken, v3.5+ percentDivCeil; the rest is the same at all tags.
    """
    fee_pct = col["protocol_fee"]
    base_collateral = _cdiv(_chk(_chk(debt_price * debt_to_cover) * col_unit),
                            _chk(col_price * debt_unit))
    max_collateral = percent_mul(base_collateral, bonus)
    if max_collateral > borrower_collateral:
        collateral_amount = borrower_collateral
        x = _cdiv(_chk(_chk(col_price * collateral_amount) * debt_unit),
                  _chk(debt_price * col_unit))
        debt_needed = percent_div(x, bonus) if v == "3.4" else percent_div_ceil(x, bonus)
    else:
        collateral_amount = max_collateral
        debt_needed = debt_to_cover
    collateral_base = _chk(collateral_amount * col_price) // col_unit
    fee = 0
    if fee_pct != 0:
        bonus_collateral = _chk(collateral_amount - percent_div(collateral_amount, bonus))
        fee = percent_mul(bonus_collateral, fee_pct)
        collateral_amount = _chk(collateral_amount - fee)
    return collateral_amount, debt_needed, fee, collateral_base


def _burn_debt(v, reserves, state, deficit, rid, borrower_debt, actual, no_collateral_left):
    """LiquidationLogic._burnDebtTokens for reserve ``rid``.

    burn amount = the whole debt when no collateral is left, else ``actual``;
    scaled = v3.4 rayDiv (in ScaledBalanceTokenBase._burnScaled), v3.5+
    TokenMath.getVTokenBurnScaledAmount = rayDivFloor; a zero scaled amount
    reverts InvalidBurnAmount; the borrowing bit clears when the scaled
    balance reaches 0; deficit += debt - actual when no collateral is left.
    """
    r = reserves[rid]
    s = state.setdefault(rid, {"scaled_supply": 0, "collateral": False, "scaled_debt": 0,
                               "borrowing": False})
    no_more_debt = True
    burned = 0
    if borrower_debt != 0:
        amount = borrower_debt if no_collateral_left else actual
        idx = r["variable_borrow_index"]
        burned = ray_div(amount, idx) if v == "3.4" else ray_div_floor(amount, idx)
        if burned == 0:
            raise Revert("InvalidBurnAmount")
        s["scaled_debt"] = _chk(s["scaled_debt"] - burned)
        no_more_debt = s["scaled_debt"] == 0
    outstanding = _chk(borrower_debt - actual)
    if no_collateral_left and outstanding != 0:
        deficit[rid] = deficit.get(rid, 0) + outstanding
    if no_more_debt:
        s["borrowing"] = False
    return burned


def liquidation_call(market, account, collateral_reserve, debt_reserve, debt_to_cover):
    """Pool.liquidationCall(collateral, debt, user, debtToCover, receiveAToken=false).

    LiquidationLogic.executeLiquidationCall of the market's version (v3.3+
    design: close factor on the total debt, 2000e8 / 1000e8 base thresholds,
    deficit and _burnBadDebt when the liquidation takes the last collateral).
    Assumes liquidator != borrower, no price-oracle sentinel, no grace
    period, indexes as given (updateState accrues nothing), and enough
    liquidity in the collateral reserve.  The isolation-mode total debt
    update is not modelled (it cannot revert).

    Returns {actual_debt_to_liquidate, collateral_to_liquidator,
    protocol_fee, liquidation_bonus, collateral_base, deficit {reserve:
    amount}, account_after, ...} or raises Revert with the contract's error.
    """
    v = _version(market)
    reserves = market["reserves"]
    _u(debt_to_cover, "debt_to_cover")
    state = _user_state(market, account)
    category = account.get("emode", 0) or 0
    cat = _emode(market, category)
    col = reserves[collateral_reserve]
    dbt = reserves[debt_reserve]
    blank = {"scaled_supply": 0, "collateral": False, "scaled_debt": 0, "borrowing": False}
    cpos = state.get(collateral_reserve, blank)
    dpos = state.get(debt_reserve, blank)

    ad = account_data(market, account)
    total_col_base, total_debt_base, hf = (ad["total_collateral_base"], ad["total_debt_base"],
                                           ad["health_factor"])
    col_idx = col["liquidity_index"]
    borrower_collateral = _a_balance(v, cpos["scaled_supply"], col_idx)
    borrower_debt = _v_balance(v, dpos["scaled_debt"], dbt["variable_borrow_index"])

    # ValidationLogic.validateLiquidationCall (SelfLiquidation, sentinel and
    # grace period are outside the model)
    if not (col["active"] and dbt["active"]):
        raise Revert("ReserveInactive")
    if col["paused"] or dbt["paused"]:
        raise Revert("ReservePaused")
    if hf >= HEALTH_FACTOR_LIQUIDATION_THRESHOLD:
        raise Revert("HealthFactorNotBelowThreshold")
    # v3.4.0 / v3.5.0 also require the collateral reserve's LT != 0; v3.6.0 only the user's bit
    if not cpos["collateral"] or (v != "3.6" and col["liquidation_threshold"] == 0):
        raise Revert("CollateralCannotBeLiquidated")
    if borrower_debt == 0:
        raise Revert("SpecifiedCurrencyNotBorrowedByUser")

    if category != 0 and _on_bitmap(cat["collateral_bitmap"], collateral_reserve):
        bonus = cat["liquidation_bonus"]
    else:
        bonus = col["liquidation_bonus"]
    col_price, debt_price = col["price"], dbt["price"]
    col_unit, debt_unit = 10 ** col["decimals"], 10 ** dbt["decimals"]

    debt_in_base = _debt_base(v, borrower_debt, debt_price, debt_unit)
    col_in_base = _chk(borrower_collateral * col_price) // col_unit

    max_liquidatable = borrower_debt
    close_factor_applied = False
    if (col_in_base >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD
            and debt_in_base >= MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD
            and hf > CLOSE_FACTOR_HF_THRESHOLD):
        total_default = percent_mul(total_debt_base, DEFAULT_LIQUIDATION_CLOSE_FACTOR)
        if debt_in_base > total_default:
            max_liquidatable = _cdiv(_chk(total_default * debt_unit), debt_price)
            close_factor_applied = True

    actual_debt = min(debt_to_cover, max_liquidatable)
    col_amount, actual_debt, fee, col_base = _calculate_available_collateral_to_liquidate(
        v, col, col_price, col_unit, debt_price, debt_unit, actual_debt, borrower_collateral, bonus)

    # dust rule: all debt, or all collateral, or >= MIN_LEFTOVER_BASE of both left
    if actual_debt < borrower_debt and _chk(col_amount + fee) < borrower_collateral:
        left_debt = _debt_base(v, _chk(borrower_debt - actual_debt), debt_price, debt_unit)
        left_col = _chk(_chk(borrower_collateral - col_amount - fee) * col_price) // col_unit
        if not (left_debt >= MIN_LEFTOVER_BASE and left_col >= MIN_LEFTOVER_BASE):
            raise Revert("MustNotLeaveDust")

    if col_amount + fee == borrower_collateral:
        state[collateral_reserve]["collateral"] = False

    no_collateral_left = total_col_base == col_base
    deficit = {}
    debt_burned = _burn_debt(v, reserves, state, deficit, debt_reserve, borrower_debt,
                             actual_debt, no_collateral_left)

    # _burnCollateralATokens: aToken burn of the collateral sent to the liquidator
    cs = state[collateral_reserve]
    scaled_col_burn = ray_div(col_amount, col_idx) if v == "3.4" else ray_div_ceil(col_amount, col_idx)
    if scaled_col_burn == 0:
        raise Revert("InvalidBurnAmount")
    cs["scaled_supply"] = _chk(cs["scaled_supply"] - scaled_col_burn)

    # protocol fee: aToken transfer to the treasury, capped at the scaled balance left
    scaled_fee = 0
    if fee != 0:
        if v == "3.4":
            scaled_fee = ray_div(fee, col_idx)
            if scaled_fee > cs["scaled_supply"]:
                fee = ray_mul(cs["scaled_supply"], col_idx)
            # AToken._transfer(from, to, amount, index) rescales with rayDiv
            scaled_fee = ray_div(fee, col_idx)
        else:
            scaled_fee = ray_div_ceil(fee, col_idx)  # TokenMath.getATokenTransferScaledAmount
            if scaled_fee > cs["scaled_supply"]:
                scaled_fee = cs["scaled_supply"]
                fee = ray_mul_floor(scaled_fee, col_idx)
        cs["scaled_supply"] = _chk(cs["scaled_supply"] - scaled_fee)

    # _burnBadDebt: every other borrowed (active) reserve, in id order
    bad_debt_burned = {}
    if no_collateral_left and any(s["borrowing"] for s in state.values()):
        for rid in sorted(state):
            if not state[rid]["borrowing"]:
                continue
            r = reserves[rid]
            if not r["active"]:
                continue
            d = _v_balance(v, state[rid]["scaled_debt"], r["variable_borrow_index"])
            bad_debt_burned[rid] = _burn_debt(v, reserves, state, deficit, rid, d, 0, True)

    return {
        "actual_debt_to_liquidate": actual_debt,
        "collateral_to_liquidator": col_amount,
        "protocol_fee": fee,
        "liquidation_bonus": bonus,
        "collateral_base": col_base,
        "deficit": deficit,
        "account_after": _state_to_account(account, state),
        # extras, for diagnosing a mismatch
        "health_factor": hf,
        "total_collateral_base": total_col_base,
        "total_debt_base": total_debt_base,
        "borrower_collateral_balance": borrower_collateral,
        "borrower_reserve_debt": borrower_debt,
        "max_liquidatable_debt": max_liquidatable,
        "close_factor_applied": close_factor_applied,
        "has_no_collateral_left": no_collateral_left,
        "scaled_debt_burned": debt_burned,
        "scaled_collateral_burned": scaled_col_burn,
        "scaled_fee_transferred": scaled_fee,
        "bad_debt_scaled_burned": bad_debt_burned,
    }


# --------------------------------------------------------------------------
# Random cases
# --------------------------------------------------------------------------

# Illustrative e-mode categories shaped like those of Aave v3 markets
# (correlated-asset categories with a high LT and a small bonus).  They are
# NOT read from any chain: they are the parameters this repository ships for
# its tests.  Bitmaps are filled in per market by random_case (they depend on
# which reserve ids the market has); the values here are ltv / LT / bonus.
EMODE_SNAPSHOT = {
    1: {"label": "ETH correlated", "ltv": 9300, "liquidation_threshold": 9500,
        "liquidation_bonus": 10100},
    2: {"label": "Stablecoins", "ltv": 9300, "liquidation_threshold": 9500,
        "liquidation_bonus": 10100},
    3: {"label": "BTC correlated", "ltv": 8400, "liquidation_threshold": 8600,
        "liquidation_bonus": 10300},
    4: {"label": "Yield stable / stable", "ltv": 9000, "liquidation_threshold": 9200,
        "liquidation_bonus": 10300},
}


def _log_uniform(rng, lo, hi):
    return math.exp(rng.uniform(math.log(lo), math.log(hi)))


def _random_reserve(rng):
    lt = 0 if rng.random() < 0.05 else rng.randrange(5000, 9501, 50)
    ltv = 0 if lt == 0 or rng.random() < 0.08 else max(0, lt - rng.randrange(0, 1001, 50))
    # Aave requires LT * bonus <= 100% (PoolConfigurator); keep bonus within it
    max_bonus = 10000 * 10000 // lt if lt else 11500
    bonus = min(rng.randrange(10100, 11501, 25), max_bonus) if lt else rng.randrange(10100, 11501, 25)
    bonus = max(bonus, 10001)
    price_usd = _log_uniform(rng, 1e-2, 1e5)
    return {
        "decimals": rng.choice([6, 8, 18]),
        "ltv": ltv,
        "liquidation_threshold": lt,
        "liquidation_bonus": bonus,
        "protocol_fee": rng.choice([0, 500, 1000, 1000, 2000]),
        "price": min(10**13, max(10**6, int(price_usd * 1e8))),
        "liquidity_index": RAY + rng.randrange(0, RAY // 2 + 1),
        "variable_borrow_index": RAY + rng.randrange(0, RAY // 2 + 1),
        "debt_ceiling": 0 if rng.random() < 0.9 else rng.randrange(1, 10**9) * 100,
        "borrowable_in_isolation": rng.random() < 0.3,
        "active": True,
        "paused": False,
        "borrowing_enabled": True,
    }


def _scaled_for_value(reserve, usd, index_key):
    """A scaled balance worth about ``usd`` (a float) at the reserve's price."""
    unit = 10 ** reserve["decimals"]
    tokens = int(usd * 1e8 * unit / reserve["price"])
    tokens = max(tokens, 1)
    idx = reserve[index_key]
    return max(1, tokens * RAY // idx)


def random_case(rng, version, emode_snapshot=None):
    """A random (market, account) of ``version``, built with ``rng`` (random.Random).

    1-6 positions, decimals 6/8/18, prices 1e-2..1e5 USD, indexes in
    [1e27, 1.5e27]; a share of e-mode accounts (category from
    ``emode_snapshot``, default EMODE_SNAPSHOT), dust accounts of a few base
    units, whales of ~1e9 USD, and accounts whose debt is tuned so that the
    chain HF of that version lands within 1e-6 of 1.  The account kind is
    returned in market["_kind"] (ignored by every function here).
    """
    if version not in VERSIONS:
        raise ValueError(version)
    snap = EMODE_SNAPSHOT if emode_snapshot is None else emode_snapshot
    n_res = rng.randint(2, 8)
    reserves = [_random_reserve(rng) for _ in range(n_res)]
    emodes = {}
    for cid, c in snap.items():
        members = [i for i in range(n_res) if rng.random() < 0.5] or [rng.randrange(n_res)]
        col_bm = sum(1 << i for i in members)
        bor_bm = sum(1 << i for i in members if rng.random() < 0.8) or col_bm
        ltvz_bm = sum(1 << i for i in members if rng.random() < 0.1)
        emodes[cid] = {"ltv": c["ltv"], "liquidation_threshold": c["liquidation_threshold"],
                       "liquidation_bonus": c["liquidation_bonus"], "collateral_bitmap": col_bm,
                       "borrowable_bitmap": bor_bm, "ltvzero_bitmap": ltvz_bm}
    market = {"version": version, "reserves": reserves, "emodes": emodes}

    kind = rng.choices(["normal", "dust", "whale", "near1", "emode"],
                       weights=[40, 15, 10, 20, 15])[0]
    category = 0
    if kind == "emode" or (kind == "near1" and rng.random() < 0.3):
        category = rng.choice(sorted(emodes))
    n_pos = rng.randint(1, min(6, n_res))
    ids = rng.sample(range(n_res), n_pos)
    # at least one collateral and (usually) one debt
    n_col = rng.randint(1, n_pos)
    col_ids = ids[:n_col]
    debt_ids = ids[n_col:] or [rng.choice(ids)]
    if category:
        bm = emodes[category]["collateral_bitmap"]
        col_ids = [i for i in col_ids if (bm >> i) & 1] or col_ids

    if kind == "dust":
        col_usd = [_log_uniform(rng, 1e-8, 5e-6) for _ in col_ids]
    elif kind == "whale":
        col_usd = [_log_uniform(rng, 1e8, 1e9) for _ in col_ids]
    elif kind == "near1":
        col_usd = [_log_uniform(rng, 1e3, 1e7) for _ in col_ids]
    else:
        col_usd = [_log_uniform(rng, 1e2, 1e7) for _ in col_ids]

    positions = {}
    for rid, usd in zip(col_ids, col_usd):
        positions[rid] = {"reserve": rid, "scaled_supply": _scaled_for_value(
            reserves[rid], usd, "liquidity_index"), "collateral": True, "scaled_debt": 0}
    account = {"emode": category, "positions": []}

    def _set_debt(rid, usd):
        p = positions.setdefault(rid, {"reserve": rid, "scaled_supply": 0, "collateral": False,
                                       "scaled_debt": 0})
        p["scaled_debt"] = _scaled_for_value(reserves[rid], usd, "variable_borrow_index")

    def _lt(r):
        if category and (emodes[category]["collateral_bitmap"] >> r) & 1:
            return emodes[category]["liquidation_threshold"]
        return max(reserves[r]["liquidation_threshold"], 1)

    lt_usd = sum(u * _lt(r) / 1e4 for r, u in zip(col_ids, col_usd))
    if kind == "near1":
        target_hf = 1.0  # the last debt is tuned below; the others stay under the LT sum
    else:
        target_hf = _log_uniform(rng, 0.3, 4.0) if kind != "dust" else _log_uniform(rng, 0.2, 3.0)
    debt_usd = lt_usd / target_hf if lt_usd > 0 else sum(col_usd) * 0.5
    if rng.random() < 0.07 and kind not in ("near1",):
        debt_ids = []  # no debt at all
    shares = [rng.random() + 0.05 for _ in debt_ids]
    for rid, sh in zip(debt_ids, shares):
        _set_debt(rid, debt_usd * sh / sum(shares))
    # occasionally a bit set on a zero balance
    if rng.random() < 0.05:
        spare = [i for i in range(n_res) if i not in positions]
        if spare:
            rid = rng.choice(spare)
            positions[rid] = {"reserve": rid, "scaled_supply": 0, "collateral": True,
                              "scaled_debt": 0}
    account["positions"] = [positions[k] for k in sorted(positions)]

    if kind == "near1" and debt_ids:
        # tune the debt whose wei is worth least, so 1e-6 of the HF is reachable
        finest = min(debt_ids, key=lambda r: Fraction(reserves[r]["price"], 10 ** reserves[r]["decimals"]))
        _tune_near_one(rng, market, account, finest)
    market["_kind"] = kind
    return market, account


def _tune_near_one(rng, market, account, rid):
    """Adjust the scaled debt of ``rid`` so the chain HF is within 1e-6 of 1e18."""
    pos = next(p for p in account["positions"] if p["reserve"] == rid)

    def hf(sd):
        pos["scaled_debt"] = sd
        return account_data(market, account)["health_factor"]

    lo, hi = 1, max(2, pos["scaled_debt"])
    # HF decreases as the debt grows: find hi with hf(hi) < 1
    for _ in range(400):
        if hf(hi) < WAD:
            break
        lo, hi = hi, hi * 2
    else:
        pos["scaled_debt"] = hi
        return
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if hf(mid) >= WAD:
            lo = mid
        else:
            hi = mid
    # lo is the largest debt keeping HF >= 1; pick either side of the boundary
    pick = rng.choice([lo, hi])
    if abs(hf(pick) - WAD) > 10**12:
        pick = lo
    pos["scaled_debt"] = pick
