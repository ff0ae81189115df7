"""Hand-worked checks of tests/protocol/aave_ref.py.

Every expected number below is worked out in the comment above it from the
Solidity formula (aave-v3-origin v3.4.0 / v3.5.0 / v3.6.0, see aave_ref.py),
never copied from the module's output.  Notation: RAY = 1e27, WAD = 1e18,
bps = 1e4; "base" = oracle base currency, USD with 8 decimals.
"""

import copy
import os
import random
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import aave_ref as A  # noqa: E402
from aave_ref import Revert  # noqa: E402

RAY = 10**27
WAD = 10**18
MAX = 2**256 - 1


def reserve(decimals, price, ltv, lt, bonus=10500, fee=1000, li=RAY, vi=RAY, **kw):
    r = {"decimals": decimals, "ltv": ltv, "liquidation_threshold": lt, "liquidation_bonus": bonus,
         "protocol_fee": fee, "price": price, "liquidity_index": li, "variable_borrow_index": vi,
         "debt_ceiling": 0, "borrowable_in_isolation": False, "active": True, "paused": False,
         "borrowing_enabled": True}
    r.update(kw)
    return r


def market(version, reserves, emodes=None):
    return {"version": version, "reserves": reserves, "emodes": emodes or {}}


def pos(rid, supply=0, collateral=None, debt=0, **kw):
    p = {"reserve": rid, "scaled_supply": supply,
         "collateral": (supply > 0) if collateral is None else collateral, "scaled_debt": debt}
    p.update(kw)
    return p


ALL = ["3.4", "3.5", "3.6"]
NEW = ["3.5", "3.6"]

WETH = dict(decimals=18, price=2000 * 10**8, ltv=7500, lt=8000)   # $2000
USDC = dict(decimals=6, price=10**8, ltv=7500, lt=7800)           # $1


def reverts(name, fn, *args):
    with pytest.raises(Revert) as e:
        fn(*args)
    assert e.value.name == name, e.value.name


# --------------------------------------------------------------------------
# Primitives: values
# --------------------------------------------------------------------------


def test_primitive_values():
    # rayMul(1.5 RAY, 1.5 RAY) = 2.25 RAY exactly
    assert A.ray_mul(15 * 10**26, 15 * 10**26) == 225 * 10**25
    # 1 * 0.5 RAY / RAY = 0.5 -> half up 1, floor 0, ceil 1
    assert A.ray_mul(1, RAY // 2) == 1
    assert A.ray_mul_floor(1, RAY // 2) == 0
    assert A.ray_mul_ceil(1, RAY // 2) == 1
    # 0.4999...: 1 * (0.5 RAY - 1) -> half up 0, ceil 1
    assert A.ray_mul(1, RAY // 2 - 1) == 0
    assert A.ray_mul_ceil(1, RAY // 2 - 1) == 1
    # rayDiv(2, 3 RAY) = 2/3 -> half up 1, floor 0, ceil 1
    assert A.ray_div(2, 3 * RAY) == 1
    assert A.ray_div_floor(2, 3 * RAY) == 0
    assert A.ray_div_ceil(2, 3 * RAY) == 1
    # rayDiv(1, 3 RAY) = 1/3 -> half up 0 (1e27 + 1.5e27 // 2 ... = (1e27 + 15e26) // 3e27 = 0)
    assert A.ray_div(1, 3 * RAY) == 0
    # wadMul(2.5 WAD, 0.5 WAD) = 1.25 WAD; wadDiv(1, 3 WAD) = (1e18 + 1.5e18) // 3e18 = 0
    assert A.wad_mul(25 * 10**17, 5 * 10**17) == 125 * 10**16
    assert A.wad_div(1, 3 * WAD) == 0
    assert A.wad_div(2, 3 * WAD) == 1  # (2e18 + 1.5e18) // 3e18 = 1
    # percentMul(12345, 5000) = 6172.5 -> half up 6173, floor 6172, ceil 6173
    assert A.percent_mul(12345, 5000) == 6173
    assert A.percent_mul_floor(12345, 5000) == 6172
    assert A.percent_mul_ceil(12345, 5000) == 6173
    # percentDiv(100, 10500) = 95.238 -> (1_000_000 + 5250) // 10500 = 95; ceil 96
    assert A.percent_div(100, 10500) == 95
    assert A.percent_div_ceil(100, 10500) == 96
    # mulDivCeil(7, 3, 2) = ceil(10.5) = 11; mulDivCeil(6, 3, 2) = 9
    assert A.mul_div_ceil(7, 3, 2) == 11
    assert A.mul_div_ceil(6, 3, 2) == 9
    # rayToWad: remainder >= 5e8 rounds up
    assert A.ray_to_wad(1_499_999_999) == 1
    assert A.ray_to_wad(1_500_000_000) == 2
    assert A.wad_to_ray(3) == 3 * 10**9


def test_ray_to_wad_of_max():
    # MAX = 115792089237316195423570985008687907853269984665640564039457584007913129639935;
    # its last nine digits are 129639935 < 500000000, so rayToWad(MAX) = MAX // 1e9 (no round up).
    assert MAX % 10**9 == 129639935
    assert A.ray_to_wad(MAX) == MAX // 10**9


# --------------------------------------------------------------------------
# Primitives: the overflow bound, one either side
# --------------------------------------------------------------------------


@pytest.mark.parametrize("b", [1, 3, WAD, 10**40])
def test_wad_mul_bound(b):
    # reverts iff a > (MAX - HALF_WAD) / b
    bound = (MAX - 5 * 10**17) // b
    A.wad_mul(bound, b)
    reverts("overflow", A.wad_mul, bound + 1, b)
    assert A.wad_mul(MAX, 0) == 0  # b == 0 never reverts


@pytest.mark.parametrize("b", [1, 7, RAY, 10**60])
def test_ray_mul_bounds(b):
    # half up: a > (MAX - HALF_RAY) / b; floor and ceil: a > MAX / b
    hb = (MAX - 5 * 10**26) // b
    A.ray_mul(hb, b)
    reverts("overflow", A.ray_mul, hb + 1, b)
    fb = MAX // b
    A.ray_mul_floor(fb, b)
    A.ray_mul_ceil(fb, b)
    if fb < MAX:  # with b = 1 no uint256 is above the bound
        reverts("overflow", A.ray_mul_floor, fb + 1, b)
        reverts("overflow", A.ray_mul_ceil, fb + 1, b)
    for f in (A.ray_mul, A.ray_mul_floor, A.ray_mul_ceil):
        assert f(MAX, 0) == 0


def test_ray_mul_ceil_at_max_product():
    # a * b == MAX exactly (b = 1): ceil(MAX / 1e27) = MAX // 1e27 + 1 (MAX is not a multiple)
    assert A.ray_mul_ceil(MAX, 1) == MAX // RAY + 1
    # half up with b = 1 needs a <= MAX - 5e26
    reverts("overflow", A.ray_mul, MAX - 5 * 10**26 + 1, 1)
    assert A.ray_mul(MAX - 5 * 10**26, 1) == MAX // RAY  # (MAX - 5e26 + 5e26) // 1e27


@pytest.mark.parametrize("b", [1, 2, 3, RAY, MAX])
def test_div_bounds(b):
    # rayDiv: a > (MAX - b/2) / RAY; wadDiv: a > (MAX - b/2) / WAD
    rb = (MAX - b // 2) // RAY
    A.ray_div(rb, b)
    reverts("overflow", A.ray_div, rb + 1, b)
    wb = (MAX - b // 2) // WAD
    A.wad_div(wb, b)
    reverts("overflow", A.wad_div, wb + 1, b)
    # rayDivFloor / rayDivCeil: a > MAX / RAY, whatever b
    A.ray_div_floor(MAX // RAY, b)
    A.ray_div_ceil(MAX // RAY, b)
    reverts("overflow", A.ray_div_floor, MAX // RAY + 1, b)
    reverts("overflow", A.ray_div_ceil, MAX // RAY + 1, b)


def test_div_by_zero():
    for f in (A.ray_div, A.ray_div_floor, A.ray_div_ceil, A.wad_div, A.percent_div,
              A.percent_div_ceil):
        reverts("overflow", f, 0, 0)
    reverts("overflow", A.mul_div_ceil, 1, 1, 0)
    reverts("overflow", A.mul_div_ceil, 0, 0, 0)


@pytest.mark.parametrize("p", [1, 5000, 10000, 65535])
def test_percent_bounds(p):
    # percentMul: value > (MAX - 5000) / p; floor/ceil: value > MAX / p
    hb = (MAX - 5000) // p
    A.percent_mul(hb, p)
    reverts("overflow", A.percent_mul, hb + 1, p)
    fb = MAX // p
    A.percent_mul_floor(fb, p)
    A.percent_mul_ceil(fb, p)
    if fb < MAX:  # with p = 1 no uint256 is above the bound
        reverts("overflow", A.percent_mul_floor, fb + 1, p)
        reverts("overflow", A.percent_mul_ceil, fb + 1, p)
    # percentDiv: value > (MAX - p/2) / 1e4; percentDivCeil: value > MAX / 1e4
    db = (MAX - p // 2) // 10**4
    A.percent_div(db, p)
    reverts("overflow", A.percent_div, db + 1, p)
    A.percent_div_ceil(MAX // 10**4, p)
    reverts("overflow", A.percent_div_ceil, MAX // 10**4 + 1, p)


def test_percent_mul_zero_percentage_never_reverts():
    # iszero(percentage) short-circuits the check: (MAX * 0 + 5000) / 1e4 = 0
    assert A.percent_mul(MAX, 0) == 0
    assert A.percent_mul_floor(MAX, 0) == 0
    assert A.percent_mul_ceil(MAX, 0) == 0


@pytest.mark.parametrize("b", [2, 10**18, MAX])
def test_mul_div_ceil_bound(b):
    # reverts iff b != 0 and a > MAX / b (c only has to be non-zero)
    A.mul_div_ceil(MAX // b, b, 1)
    reverts("overflow", A.mul_div_ceil, MAX // b + 1, b, 1)
    assert A.mul_div_ceil(MAX, 1, 1) == MAX  # b = 1: nothing is above the bound


def test_wad_to_ray_bound():
    A.wad_to_ray(MAX // 10**9)
    reverts("overflow", A.wad_to_ray, MAX // 10**9 + 1)


def test_operands_must_be_uint256():
    with pytest.raises(ValueError):
        A.ray_mul(-1, 1)
    with pytest.raises(ValueError):
        A.ray_mul(MAX + 1, 0)


# --------------------------------------------------------------------------
# Interest
# --------------------------------------------------------------------------


def test_accrue_one_year_five_percent():
    r = {"liquidity_index": 11 * 10**26, "variable_borrow_index": 12 * 10**26}
    year = 365 * 24 * 3600
    rate = 5 * 10**25  # 5 % a year, in ray
    # linear: RAY + rate * year / year = 1.05e27; rayMul(1.05e27, 1.1e27) = 1.155e27 exactly
    # compounded: x = rate = 5e25; x/6 = 8333333333333333333333333;
    #   rayMul(x, x/6) = 5e25 * 8333333333333333333333333 / 1e27 = 416666666666666666666666.65 -> +.5 -> ...667
    #   x/2 + that = 25e24 + 416666666666666666666667 = 25416666666666666666666667
    #   rayMul(x, 25416666666666666666666667) = 1270833333333333333333333.35 -> 1270833333333333333333333
    #   RAY + x + that = 1051270833333333333333333333
    assert A.calculate_linear_interest(rate, 1000, 1000 + year) == 105 * 10**25
    assert A.calculate_compounded_interest(rate, 1000, 1000 + year) == 1051270833333333333333333333
    # rayMul(1051270833333333333333333333, 1.2e27) = 1261524999999999999999999999.6 -> half up
    #   1261525000000000000000000000
    assert A.accrue(r, rate, rate, 1000, 1000 + year) == (1155 * 10**24, 1261525 * 10**21)


def test_accrue_half_day():
    # rate 3.5 % = 35e24, dt = 43200 s: x = 35e24 * 43200 // 31536000 = 47945205479452054794520
    #   (35e24 * 43200 = 1.512e30; / 31536000 = 47945205479452054794520.5... -> floor)
    #   linear = RAY + x = 1000047945205479452054794520
    #   x/6 = 7990867579908675799086; rayMul(x, x/6) = 383123788077813223 (383123788077813222.9.. + .5)
    #   x/2 + that = 23972602739726027397260 + 383123788077813223 = 23972985863514105210483
    #   rayMul(x, 23972985863514105210483) = 1149389733182503127 -> total
    #   1000047946354869185236977647
    rate = 35 * 10**24
    assert A.calculate_linear_interest(rate, 0, 43200) == 1000047945205479452054794520
    assert A.calculate_compounded_interest(rate, 0, 43200) == 1000047946354869185236977647
    # same block: the stored indexes, whatever the rates
    r = {"liquidity_index": 123, "variable_borrow_index": 456}
    assert A.accrue(r, rate, rate, 77, 77) == (123, 456)


def test_accrue_time_going_backwards_panics():
    reverts("Panic(0x11)", A.calculate_linear_interest, 1, 10, 9)
    reverts("Panic(0x11)", A.calculate_compounded_interest, 1, 10, 9)


# --------------------------------------------------------------------------
# Account data
# --------------------------------------------------------------------------


def one_wei_market(v):
    # reserve 0: WETH 18 dec, $2000, LT 80 %, liquidity index exactly RAY
    # reserve 1: USDC 6 dec, $1, variable borrow index 1.05 RAY
    return market(v, [reserve(**WETH), reserve(**USDC, vi=105 * 10**25)])


@pytest.mark.parametrize("v", ALL)
def test_hf_one_wei_either_side_of_one(v):
    # 1 WETH supplied: balance 1e18, value 1e18 * 2000e8 / 1e18 = 2000e8 = 2e11 base.
    # LT sum (v3.5+) = 2e11 * 8000 = 1.6e15; v3.4: percentMul(2e11, 8000) = 1.6e11.
    # HF >= 1e18 exactly when the USDC debt balance <= 1600e6 wei (debt base = bal * 100):
    #   v3.5+: wadDiv(1.6e15, D) / 1e4 >= 1e18 <=> D <= 1.6e11;  v3.4: wadDiv(1.6e11, D) >= 1e18 likewise.
    # Debt balance from scaled s at index 1.05:
    #   v3.4 rayMul half up: round(1.05 s); v3.5+ rayMulCeil: ceil(1.05 s).
    #   s = 1523809523: 1.05 s = 1599999999.15 -> v3.4 1599999999, v3.5+ 1600000000
    #   s = 1523809524: 1.05 s = 1600000000.2  -> v3.4 1600000000, v3.5+ 1600000001
    #   s = 1523809525: 1.05 s = 1600000001.25 -> v3.4 1600000001, v3.5+ 1600000002
    # So the last healthy scaled debt is 1523809524 for v3.4 and 1523809523 for v3.5/3.6.
    m = one_wei_market(v)
    last_ok = 1523809524 if v == "3.4" else 1523809523
    acc = {"emode": 0, "positions": [pos(0, supply=10**18), pos(1, debt=last_ok)]}
    d = A.account_data(m, acc)
    # v3.4: debt 1600000000 -> base 1.6e11, HF = wadDiv(1.6e11, 1.6e11) = 1e18;
    # v3.5+: debt 1600000000 -> base 1.6e11, HF = wadDiv(1.6e15, 1.6e11) / 1e4 = 1e22 / 1e4 = 1e18
    assert d["health_factor"] == 10**18
    assert d["total_debt_base"] == 160000000000
    assert d["total_collateral_base"] == 200000000000
    acc["positions"][1]["scaled_debt"] = last_ok + 1
    d = A.account_data(m, acc)
    # debt 1600000001 wei -> base D = 160000000100.
    # v3.5+: wadDiv = (1.6e33 + 80000000050) // 160000000100 = 9999999993750000003906
    #        (1e22 / (1 + 6.25e-10) = 9999999993750000003906.25), / 1e4 -> 999999999375000000
    # v3.4:  wadDiv(1.6e11, D) = (1.6e29 + 80000000050) // D = 999999999375000000
    #        (1e18 / (1 + 6.25e-10) = 999999999375000000.39, half up stays ...000)
    assert d["total_debt_base"] == 160000000100
    assert d["health_factor"] == 999999999375000000
    assert d["health_factor"] < 10**18


def test_hf_one_wei_boundary_differs_between_34_and_35():
    # the scaled debt 1523809524 is healthy on v3.4 (half up balance 1600000000) but not on
    # v3.5 / v3.6 (ceil balance 1600000001): see the previous test
    acc = {"emode": 0, "positions": [pos(0, supply=10**18), pos(1, debt=1523809524)]}
    assert A.account_data(one_wei_market("3.4"), acc)["health_factor"] == 10**18
    assert A.account_data(one_wei_market("3.5"), acc)["health_factor"] == 999999999375000000
    assert A.account_data(one_wei_market("3.6"), acc)["health_factor"] == 999999999375000000


def dust_market(v):
    # reserve 0: DAI-like 18 dec, $1, LT 80 %; reserve 1: USDC 6 dec, $1, borrow index 1.1 RAY
    return market(v, [reserve(18, 10**8, 7500, 8000), reserve(**USDC, vi=11 * 10**26)])


@pytest.mark.parametrize("v,hf,debt_base", [("3.4", 2 * 10**18, 100), ("3.5", 10**18, 200),
                                            ("3.6", 10**18, 200)])
def test_dust_account_rounding_moves_hf(v, hf, debt_base):
    # collateral: 2.5e12 wei DAI = 250 base units (2.5e12 * 1e8 / 1e18 = 250) - $0.0000025
    # debt: scaled 1 USDC wei at index 1.1 -> real 1.1 wei; v3.4 rayMul half up -> 1 wei,
    #   v3.5+ rayMulCeil -> 2 wei.  Debt base: v3.4 1 * 1e8 / 1e6 = 100; v3.5+ ceil(2 * 100) = 200.
    # v3.4: percentMul(250, 8000) = (2_000_000 + 5000) // 1e4 = 200; wadDiv(200, 100) = 2e18
    # v3.5+: LT sum 250 * 8000 = 2e6; wadDiv(2e6, 200) = (2e24 + 100) // 200 = 1e22; / 1e4 = 1e18
    # The unrounded HF is 250 * 0.8 / 110 = 1.8181...: the chain says 2.0 (v3.4) or 1.0 (v3.5+).
    acc = {"emode": 0, "positions": [pos(0, supply=25 * 10**11), pos(1, debt=1)]}
    d = A.account_data(dust_market(v), acc)
    assert d["total_collateral_base"] == 250
    assert d["total_debt_base"] == debt_base
    assert d["health_factor"] == hf
    real = A.real_health_factor(dust_market(v), acc, balances="exact")
    assert real == pytest.approx(250 * 0.8 / 110)


def test_empty_config_and_zero_balance_flags():
    m = one_wei_market("3.6")
    # no position at all: (0, 0, 0, 0, max, false)
    d = A.account_data(m, {"emode": 0, "positions": []})
    assert (d["total_collateral_base"], d["total_debt_base"], d["available_borrows_base"],
            d["current_liquidation_threshold"], d["ltv"], d["health_factor"],
            d["has_zero_ltv_collateral"]) == (0, 0, 0, 0, 0, MAX, False)
    # positions whose bits are both clear are no bit at all
    d = A.account_data(m, {"emode": 0, "positions": [pos(0, supply=0, collateral=False)]})
    assert d["health_factor"] == MAX
    # a collateral bit on a zero balance is a set bit: the config is not empty, yet every
    # sum is 0 and there is no debt -> HF max; avg LT / LTV 0 (division guarded by total != 0)
    d = A.account_data(m, {"emode": 0, "positions": [pos(0, supply=0, collateral=True)]})
    assert d["health_factor"] == MAX and d["total_collateral_base"] == 0
    # a borrowing bit on a zero debt with some collateral: debt 0 -> HF max
    d = A.account_data(m, {"emode": 0, "positions": [pos(0, supply=10**18),
                                                     pos(1, debt=0, borrowing=True)]})
    assert d["health_factor"] == MAX and d["total_collateral_base"] == 2 * 10**11


def emode_market(v, wst_ltv=7850, wst_lt=8100, ltvzero=0):
    # reserve 0: wstETH-like 18 dec, $2300; reserve 1: WETH 18 dec, $2000; reserve 2: USDC.
    # category 1: ltv 93 %, LT 95 %, bonus 1 %, collateral {0, 1}, borrowable {1}.
    return market(v, [
        reserve(18, 2300 * 10**8, wst_ltv, wst_lt, bonus=10600),
        reserve(18, 2000 * 10**8, 8050, 8300),
        reserve(**USDC),
    ], {1: {"ltv": 9300, "liquidation_threshold": 9500, "liquidation_bonus": 10100,
            "collateral_bitmap": 0b011, "borrowable_bitmap": 0b010, "ltvzero_bitmap": ltvzero}})


EMODE_ACCOUNT = {"emode": 1, "positions": [
    pos(0, supply=10 * 10**18),            # 10 wstETH: 10 * 2300e8 = 2.3e12 base, e-mode LT 9500
    pos(1, debt=10 * 10**18),              # 10 WETH debt: 2e12 base
    pos(2, supply=1000 * 10**6),           # 1000 USDC: 1e11 base, not in the category: LT 7800
]}


@pytest.mark.parametrize("v", ALL)
def test_emode_account(v):
    # total collateral 2.3e12 + 1e11 = 2.4e12; LT sum = 2.3e12 * 9500 + 1e11 * 7800
    #   = 2.185e16 + 7.8e14 = 2.263e16; avg LT = floor(2.263e16 / 2.4e12) = floor(9429.17) = 9429
    # v3.5+: HF = wadDiv(2.263e16, 2e12) / 1e4 = (2.263e34 + 1e12) // 2e12 = 1.1315e22 -> 1.1315e18
    # v3.4:  percentMul(2.4e12, 9429) = (2.26296e16 + 5000) // 1e4 = 2262960000000;
    #        wadDiv(2262960000000, 2e12) = (2.26296e30 + 1e12) // 2e12 = 1131480000000000000
    # LTV: (2.3e12 * 9300 + 1e11 * 7500) / 2.4e12 = (2.139e16 + 7.5e14) / 2.4e12 = 9225 exactly
    # available: 2.4e12 * 9225 / 1e4 = 2.214e12 (exact both roundings) - 2e12 = 2.14e11
    d = A.account_data(emode_market(v), EMODE_ACCOUNT)
    assert d["total_collateral_base"] == 2400000000000
    assert d["total_debt_base"] == 2000000000000
    assert d["current_liquidation_threshold"] == 9429
    assert d["ltv"] == 9225
    assert d["available_borrows_base"] == 214000000000
    assert d["health_factor"] == (1131480000000000000 if v == "3.4" else 1131500000000000000)
    assert d["has_zero_ltv_collateral"] is False
    # outside e-mode the same positions use wstETH's own LT 8100:
    # LT sum = 2.3e12 * 8100 + 1e11 * 7800 = 1.863e16 + 7.8e14 = 1.941e16 -> v3.5+ HF = 0.9705
    if v != "3.4":
        d0 = A.account_data(emode_market(v), {**EMODE_ACCOUNT, "emode": 0})
        assert d0["health_factor"] == 970500000000000000


@pytest.mark.parametrize("v", ALL)
def test_emode_ltvzero_bitmap_is_v36_only(v):
    # ltvzero bit on wstETH (reserve 0).  v3.6: getUserReserveLtv -> 0, hasZeroLtvCollateral,
    #   LTV = 1e11 * 7500 / 2.4e12 = 312.5 -> 312; available = floor(2.4e12 * 312 / 1e4)
    #   = 74880000000 < debt 2e12 -> 0.  LT unchanged (HF as in test_emode_account).
    # v3.4 / v3.5 have no ltvzero bitmap: LTV 9225 as before.
    d = A.account_data(emode_market(v, ltvzero=0b001), EMODE_ACCOUNT)
    if v == "3.6":
        assert d["ltv"] == 312 and d["has_zero_ltv_collateral"] is True
        assert d["available_borrows_base"] == 0
    else:
        assert d["ltv"] == 9225 and d["has_zero_ltv_collateral"] is False
        assert d["available_borrows_base"] == 214000000000


@pytest.mark.parametrize("v", ALL)
def test_emode_collateral_with_reserve_lt_zero(v):
    # wstETH with its own LTV = LT = 0 but on the category's collateral bitmap.
    # v3.4 / v3.5: GenericLogic skips a collateral whose reserve LT is 0 (inside e-mode too):
    #   total collateral = 1e11 (USDC only), LT sum = 7.8e14;
    #   v3.5: HF = wadDiv(7.8e14, 2e12) / 1e4 = (7.8e32 + 1e12) // 2e12 = 3.9e20 -> 3.9e16
    #   v3.4: avg LT 7800, percentMul(1e11, 7800) = 7.8e10, wadDiv(7.8e10, 2e12) = 3.9e16
    #   LTV 7500 (USDC), hasZeroLtv false (the skipped reserve is not looked at)
    # v3.6: every enabled collateral counts; getUserReserveLtv gives the e-mode LTV 9300 even
    #   though the reserve's own LTV is 0, LT is the e-mode 9500: same as test_emode_account.
    d = A.account_data(emode_market(v, wst_ltv=0, wst_lt=0), EMODE_ACCOUNT)
    if v == "3.6":
        assert d["total_collateral_base"] == 2400000000000
        assert d["health_factor"] == 1131500000000000000
        assert d["ltv"] == 9225 and d["has_zero_ltv_collateral"] is False
    else:
        assert d["total_collateral_base"] == 100000000000
        assert d["health_factor"] == 39000000000000000
        assert d["ltv"] == 7500 and d["has_zero_ltv_collateral"] is False


@pytest.mark.parametrize("v", ALL)
def test_reserve_ltv_zero_outside_emode(v):
    # WETH with LTV 0 but LT 8000, 1 WETH supplied, no debt.  Every version: hasZeroLtv true,
    # total collateral 2e11, LTV 0 -> available 0, LT 8000, HF max.
    m = market(v, [reserve(18, 2000 * 10**8, 0, 8000), reserve(**USDC)])
    d = A.account_data(m, {"emode": 0, "positions": [pos(0, supply=10**18)]})
    assert d["has_zero_ltv_collateral"] is True
    assert (d["total_collateral_base"], d["ltv"], d["current_liquidation_threshold"],
            d["available_borrows_base"], d["health_factor"]) == (2 * 10**11, 0, 8000, 0, MAX)


def test_v34_v35_available_borrows_rounding():
    # 3 wei-ish: 1 USDC-wei collateral = 100 base, LTV 7550: 100 * 7550 / 1e4 = 75.5
    # v3.4 percentMul half up -> 76; v3.5 percentMulFloor -> 75
    for v, want in (("3.4", 76), ("3.5", 75)):
        m = market(v, [reserve(6, 10**8, 7550, 8000)])
        d = A.account_data(m, {"emode": 0, "positions": [pos(0, supply=1)]})
        assert d["total_collateral_base"] == 100
        assert d["available_borrows_base"] == want


# --------------------------------------------------------------------------
# Liquidations
# --------------------------------------------------------------------------


def liq_market(v, weth_price=2000 * 10**8):
    # reserve 0: WETH 18 dec, LT 80 %, bonus 5 %, protocol fee 10 % of the bonus
    # reserve 1: USDC 6 dec $1; reserve 2: DAI 18 dec $1
    return market(v, [reserve(18, weth_price, 7500, 8000, bonus=10500, fee=1000),
                      reserve(6, 10**8, 7500, 7800), reserve(18, 10**8, 7500, 7800)])


@pytest.mark.parametrize("v", ALL)
def test_liquidation_hf_0887_full_close(v):
    # 10 WETH (2e12 base, LT sum 1.6e16) against 18038 USDC (1.8038e12 base).
    # v3.5+: HF = wadDiv(1.6e16, 1.8038e12) / 1e4: 1.6e34 / 1.8038e12 = 8870162989244927375540.5
    #        + 0.5 -> 8870162989244927375541; / 1e4 -> 887016298924492737
    # v3.4:  wadDiv(percentMul(2e12, 8000) = 1.6e12, 1.8038e12) = 887016298924492737.55 -> ...738
    # HF <= 0.95: no close factor, the whole 18038e6 can go.
    # base collateral = 1e8 * 18038e6 * 1e18 / (2000e8 * 1e6) = 9.019e18 (9.019 WETH)
    # with bonus: percentMul(9.019e18, 10500) = 9.46995e18 <= 1e19 balance
    # collateral base = 9.46995e18 * 2000e8 / 1e18 = 1893990000000
    # fee: bonus part = 9.46995e18 - percentDiv(9.46995e18, 10500) = 9.46995e18 - 9.019e18
    #      = 4.5095e17; fee = percentMul(4.5095e17, 1000) = 4.5095e16
    # to liquidator = 9.46995e18 - 4.5095e16 = 9424855000000000000
    # indexes RAY: scaled burns equal the amounts; WETH left 1e19 - 9.46995e18 = 5.3005e17
    m = liq_market(v)
    acc = {"emode": 0, "positions": [pos(0, supply=10 * 10**18), pos(1, debt=18038 * 10**6)]}
    assert A.account_data(m, acc)["health_factor"] == (
        887016298924492738 if v == "3.4" else 887016298924492737)
    r = A.liquidation_call(m, acc, 0, 1, MAX)
    assert r["actual_debt_to_liquidate"] == 18038 * 10**6
    assert r["collateral_to_liquidator"] == 9424855000000000000
    assert r["protocol_fee"] == 45095000000000000
    assert r["liquidation_bonus"] == 10500
    assert r["collateral_base"] == 1893990000000
    assert r["deficit"] == {}
    after = {p["reserve"]: p for p in r["account_after"]["positions"]}
    assert after[0]["scaled_supply"] == 530050000000000000 and after[0]["collateral"] is True
    assert after[1]["scaled_debt"] == 0 and after[1]["borrowing"] is False


@pytest.mark.parametrize("v", ALL)
def test_liquidation_hf_097_two_debts_close_factor(v):
    # 10 WETH (2e12 base) against 10000 USDC (1e12 base) + 6495 DAI (6.495e11 base):
    # total debt 1.6495e12; HF = 1.6e16 / 1.6495e12 / 1e4 = 0.96999...:
    #   v3.5+: (1.6e34 + 8.2475e11) // 1.6495e12 = 9699909063352531070... / 1e4 -> 969990906335253107
    #   v3.4:  wadDiv(1.6e12, 1.6495e12) = 969990906335253107.(0..) -> 969990906335253107
    # HF > 0.95 and both the WETH (2e12) and the USDC debt (1e12) >= 2000e8:
    #   half the TOTAL debt = percentMul(1.6495e12, 5000) = 8.2475e11 base < USDC debt 1e12
    #   -> max USDC = 8.2475e11 * 1e6 / 1e8 = 8247500000 (8247.5 USDC)
    # base collateral = 1e8 * 8247500000 * 1e18 / (2000e8 * 1e6) = 4.12375e18
    # with bonus: percentMul(4.12375e18, 10500) = 4.3299375e18; base value 8.659875e11
    # fee: 4.3299375e18 - percentDiv(., 10500) = 4.3299375e18 - 4.12375e18 = 2.061875e17;
    #      percentMul(2.061875e17, 1000) = 2.061875e16; to liquidator 4309318750000000000
    # dust rule: USDC left (1e10 - 8247500000) * 100 = 1.7525e11 >= 1e11,
    #            WETH left (1e19 - 4.3299375e18) * 2000e8 / 1e18 = 1.1340125e12 >= 1e11: ok
    m = liq_market(v)
    acc = {"emode": 0, "positions": [pos(0, supply=10 * 10**18), pos(1, debt=10000 * 10**6),
                                     pos(2, debt=6495 * 10**18)]}
    assert A.account_data(m, acc)["health_factor"] == 969990906335253107
    r = A.liquidation_call(m, acc, 0, 1, MAX)
    assert r["actual_debt_to_liquidate"] == 8247500000
    assert r["collateral_to_liquidator"] == 4309318750000000000
    assert r["protocol_fee"] == 20618750000000000
    assert r["collateral_base"] == 865987500000
    after = {p["reserve"]: p for p in r["account_after"]["positions"]}
    assert after[0]["scaled_supply"] == 5670062500000000000
    assert after[1]["scaled_debt"] == 1752500000 and after[1]["borrowing"] is True
    assert after[2]["scaled_debt"] == 6495 * 10**18
    # asking for less than the cap takes what was asked: 1000 USDC
    r = A.liquidation_call(m, acc, 0, 1, 1000 * 10**6)
    assert r["actual_debt_to_liquidate"] == 1000 * 10**6


@pytest.mark.parametrize("v", ALL)
def test_liquidation_small_account_full_close_and_dust(v):
    # A $1500 debt (below 2000e8 base, so no close factor whatever the HF):
    # 1 WETH at $1837.5 (1.8375e11 base, LT 80 %) against 1500 USDC (1.5e11 base).
    # HF = 1.8375e11 * 0.8 / 1.5e11 = 0.98 exactly:
    #   v3.5+: wadDiv(1.47e15, 1.5e11) = 9.8e21 -> 9.8e17; v3.4: wadDiv(1.47e11, 1.5e11) = 9.8e17
    # 0.95 < HF < 1 but the collateral is under 2000e8: the whole 1500 USDC may be repaid.
    #   base collateral = 1e8 * 1500e6 * 1e18 / (1.8375e11 * 1e6) = 816326530612244897.96 -> ...897
    #   with bonus: (816326530612244897 * 10500 + 5000) // 1e4 = 857142857142857142 (...142.35)
    #   collateral base = 857142857142857142 * 1.8375e11 / 1e18 = 157499999999.99.. -> 157499999999
    #   percentDiv(857142857142857142, 10500) = (8571428571428571420000 + 5250) // 10500
    #       = 816326530612244897; bonus part 40816326530612245;
    #   fee = (40816326530612245 * 1000 + 5000) // 1e4 = 4081632653061225 (exactly .0 + .5 -> floor)
    #   to liquidator = 857142857142857142 - 4081632653061225 = 853061224489795917
    #   WETH left = 1e18 - 857142857142857142 = 142857142857142858
    m = liq_market(v, weth_price=183750000000)
    acc = {"emode": 0, "positions": [pos(0, supply=10**18), pos(1, debt=1500 * 10**6)]}
    assert A.account_data(m, acc)["health_factor"] == 980000000000000000
    r = A.liquidation_call(m, acc, 0, 1, MAX)
    assert r["actual_debt_to_liquidate"] == 1500 * 10**6
    assert r["collateral_to_liquidator"] == 853061224489795917
    assert r["protocol_fee"] == 4081632653061225
    assert r["collateral_base"] == 157499999999
    after = {p["reserve"]: p for p in r["account_after"]["positions"]}
    assert after[0]["scaled_supply"] == 142857142857142858
    assert after[1]["scaled_debt"] == 0
    # Repaying 1000 USDC would leave 500 USDC = 5e10 base < MIN_LEFTOVER_BASE 1e11 -> revert
    # (the collateral side is not all taken: percentMul(544217687074829931, 10500)
    #  = 571428571428571428 < 1e18)
    reverts("MustNotLeaveDust", A.liquidation_call, m, acc, 0, 1, 1000 * 10**6)
    # Repaying 300 USDC leaves 1.2e11 base of debt and
    #   (1e18 - 171428571428571428) * 1.8375e11 / 1e18 = 152250000000 base of WETH: allowed.
    #   base 1e8 * 300e6 * 1e18 / (1.8375e11 * 1e6) = 163265306122448979; with bonus
    #   171428571428571428; fee 816326530612245; to liquidator 170612244897959183
    r = A.liquidation_call(m, acc, 0, 1, 300 * 10**6)
    assert r["actual_debt_to_liquidate"] == 300 * 10**6
    assert r["collateral_to_liquidator"] == 170612244897959183
    assert r["protocol_fee"] == 816326530612245
    after = {p["reserve"]: p for p in r["account_after"]["positions"]}
    assert after[0]["scaled_supply"] == 828571428571428572
    assert after[1]["scaled_debt"] == 1200 * 10**6


def emode_liq_market(v):
    # reserve 0: wstETH 18 dec $2300, LT 81 %, own bonus 6 %, fee 10 %, liquidity index 1.01
    # reserve 1: WETH 18 dec $2000, variable borrow index 1.03
    # category 1: LT 95 %, bonus 1 %, collateral {0, 1}
    return market(v, [
        reserve(18, 2300 * 10**8, 7850, 8100, bonus=10600, fee=1000, li=101 * 10**25),
        reserve(18, 2000 * 10**8, 8050, 8300, vi=103 * 10**25),
    ], {1: {"ltv": 9300, "liquidation_threshold": 9500, "liquidation_bonus": 10100,
            "collateral_bitmap": 0b11, "borrowable_bitmap": 0b10, "ltvzero_bitmap": 0}})


def test_emode_liquidation_uses_category_bonus_v36():
    # scaled wstETH 9900990099009900990 at 1.01: floor(9999999999999999999.9) = 9999999999999999999
    # scaled WETH debt 10679611650485436893 at 1.03: ceil(10999999999999999999.79) = 1.1e19
    # collateral base floor(9999999999999999999 * 2300e8 / 1e18) = 2299999999999
    # debt base ceil(1.1e19 * 2000e8 / 1e18) = 2.2e12
    # LT sum 2299999999999 * 9500 = 21849999999990500;
    # HF = (21849999999990500e18 + 1.1e12) // 2.2e12 / 1e4 = 993181818181386363
    # close factor: HF > 0.95, both sides >= 2000e8: percentMul(2.2e12, 5000) = 1.1e12 < 2.2e12
    #   -> max WETH = 1.1e12 * 1e18 / 2000e8 = 5.5e18
    # base collateral = 2000e8 * 5.5e18 * 1e18 / (2300e8 * 1e18) = 4782608695652173913.04 -> ...913
    # e-mode bonus 10100 (not the reserve's 10600):
    #   (4782608695652173913 * 10100 + 5000) // 1e4 = 4830434782608695652
    # collateral base = 4830434782608695652 * 2300e8 / 1e18 = 1110999999999.99.. -> 1110999999999
    # percentDiv(4830434782608695652, 10100) = 4782608695652173913; bonus part 47826086956521739;
    # fee = (47826086956521739 * 1000 + 5000) // 1e4 = 4782608695652174;
    # to liquidator = 4830434782608695652 - 4782608695652174 = 4825652173913043478
    # scaled burns (TokenMath, v3.5+):
    #   debt: rayDivFloor(5.5e18, 1.03e27) = floor(5339805825242718446.6) = 5339805825242718446
    #         left 10679611650485436893 - 5339805825242718446 = 5339805825242718447
    #   collateral: rayDivCeil(4825652173913043478, 1.01e27) = 4777873439517864830
    #   fee transfer: rayDivCeil(4782608695652174, 1.01e27) = ceil(4735256134309083.1) = 4735256134309084
    #   left 9900990099009900990 - 4777873439517864830 - 4735256134309084 = 5118381403357727076
    m = emode_liq_market("3.6")
    acc = {"emode": 1, "positions": [pos(0, supply=9900990099009900990),
                                     pos(1, debt=10679611650485436893)]}
    assert A.account_data(m, acc)["health_factor"] == 993181818181386363
    r = A.liquidation_call(m, acc, 0, 1, MAX)
    assert r["liquidation_bonus"] == 10100
    assert r["actual_debt_to_liquidate"] == 5500000000000000000
    assert r["collateral_to_liquidator"] == 4825652173913043478
    assert r["protocol_fee"] == 4782608695652174
    assert r["collateral_base"] == 1110999999999
    after = {p["reserve"]: p for p in r["account_after"]["positions"]}
    assert after[1]["scaled_debt"] == 5339805825242718447
    assert after[0]["scaled_supply"] == 5118381403357727076
    # Outside e-mode the same account has LT 8100: HF = 2299999999999 * 8100 / 2.2e12 / 1e4
    #   = 0.8468 <= 0.95, so the whole 1.1e19 debt may go, with the reserve's own bonus 10600:
    #   base = 2000e8 * 1.1e19 * 1e18 / (2300e8 * 1e18) = 9565217391304347826 (…826.08);
    #   percentMul(., 10600) = 10139130434782608696 (…695.56 + .5) > balance
    #   9999999999999999999 -> the whole balance goes (to the liquidator plus the fee).
    r0 = A.liquidation_call(m, {**acc, "emode": 0}, 0, 1, MAX)
    assert r0["liquidation_bonus"] == 10600
    assert r0["collateral_to_liquidator"] + r0["protocol_fee"] == 9999999999999999999


def test_liquidation_bad_debt_and_deficit():
    # All the collateral goes, debts remain: the rest of the liquidated debt and every other
    # debt become deficit (v3.3+ _burnBadDebt).
    # 1 WETH at $2000 (2e11 base) against 3000 USDC and 500 DAI, version 3.6:
    #   HF = 2e11 * 8000 / 3.5e11 / 1e4 = 0.457 -> full close.
    #   base collateral for 3000 USDC = 1e8 * 3e9 * 1e18 / (2000e8 * 1e6) = 1.5e18;
    #   with bonus 1.575e18 > 1e18 balance -> take the balance; debt needed =
    #   percentDivCeil(2000e8 * 1e18 * 1e6 / (1e8 * 1e18) = 2e9, 10500) = ceil(1904761904.76)
    #   = 1904761905 USDC wei.  collateral base = 1e18 * 2000e8 / 1e18 = 2e11 = total collateral
    #   -> hasNoCollateralLeft: the whole USDC debt (3e9) is burned, the unpaid
    #   3e9 - 1904761905 = 1095238095 is USDC deficit; DAI 500e18 is burned into deficit too.
    m = liq_market("3.6")
    acc = {"emode": 0, "positions": [pos(0, supply=10**18), pos(1, debt=3000 * 10**6),
                                     pos(2, debt=500 * 10**18)]}
    r = A.liquidation_call(m, acc, 0, 1, MAX)
    assert r["actual_debt_to_liquidate"] == 1904761905
    assert r["deficit"] == {1: 1095238095, 2: 500 * 10**18}
    # fee: percentDiv(1e18, 10500) = (1e22 + 5250) // 10500 = 952380952380952381 (…380.95 + .5);
    #   bonus part 47619047619047619; fee = percentMul(., 1000) = 4761904761904762 (…761.9 + .5)
    assert r["protocol_fee"] == 4761904761904762
    assert r["collateral_to_liquidator"] == 10**18 - 4761904761904762
    after = {p["reserve"]: p for p in r["account_after"]["positions"]}
    assert after[0]["scaled_supply"] == 0 and after[0]["collateral"] is False
    assert after[1]["scaled_debt"] == 0 and after[1]["borrowing"] is False
    assert after[2]["scaled_debt"] == 0 and after[2]["borrowing"] is False
    # v3.4 differs only in percentDiv (not Ceil) for the debt needed:
    #   (2e9 * 1e4 + 5250) // 10500 = 1904761905 (…904.76 rounds to 905 either way)
    assert A.liquidation_call(liq_market("3.4"), acc, 0, 1, MAX)["actual_debt_to_liquidate"] == 1904761905


def test_liquidation_validation_order():
    m = liq_market("3.6")
    healthy = {"emode": 0, "positions": [pos(0, supply=10 * 10**18), pos(1, debt=1000 * 10**6)]}
    reverts("HealthFactorNotBelowThreshold", A.liquidation_call, m, healthy, 0, 1, MAX)
    sick = {"emode": 0, "positions": [pos(0, supply=10 * 10**18), pos(1, debt=18038 * 10**6),
                                      pos(2, supply=10**18, collateral=False)]}
    reverts("CollateralCannotBeLiquidated", A.liquidation_call, m, sick, 2, 1, MAX)
    reverts("SpecifiedCurrencyNotBorrowedByUser", A.liquidation_call, m, sick, 0, 2, MAX)
    m2 = copy.deepcopy(m)
    m2["reserves"][1]["paused"] = True
    reverts("ReservePaused", A.liquidation_call, m2, sick, 0, 1, MAX)
    m2["reserves"][0]["active"] = False  # inactive is checked before paused
    reverts("ReserveInactive", A.liquidation_call, m2, sick, 0, 1, MAX)
    # inactive/paused are checked before the HF
    m3 = copy.deepcopy(m)
    m3["reserves"][0]["paused"] = True
    reverts("ReservePaused", A.liquidation_call, m3, healthy, 0, 1, MAX)
    # debtToCover 0 passes every check (the dust rule leaves 1.8038e12 and 2e12 base) and then
    # burns a scaled amount of 0: ScaledBalanceTokenBase._burnScaled requires != 0
    reverts("InvalidBurnAmount", A.liquidation_call, m, sick, 0, 1, 0)


@pytest.mark.parametrize("v", ALL)
def test_liquidating_lt_zero_collateral(v):
    # Collateral bit on a reserve with LT 0 (and a healthy-looking other collateral absent):
    # v3.4 / v3.5 revert CollateralCannotBeLiquidated (validateLiquidationCall requires LT != 0);
    # v3.6 only needs the user's bit.  Account: 1 WETH (LT 0) + 0.5 WETH-like (LT 80 %) on a
    # second reserve, 1000 USDC debt: HF = 0.5 * 2000 * 0.8 / 1000 = 0.8.
    m = market(v, [reserve(18, 2000 * 10**8, 0, 0), reserve(6, 10**8, 7500, 7800),
                   reserve(18, 2000 * 10**8, 7500, 8000)])
    acc = {"emode": 0, "positions": [pos(0, supply=10**18), pos(1, debt=1000 * 10**6),
                                     pos(2, supply=5 * 10**17)]}
    assert A.account_data(m, acc)["health_factor"] == 8 * 10**17
    # v3.6, the whole 1000 USDC (the debt, 1e11 base, is under 2000e8: no close factor):
    #   base collateral = 1e8 * 1e9 * 1e18 / (2000e8 * 1e6) = 5e17; with bonus 5.25e17 <= 1e18
    if v == "3.6":
        r = A.liquidation_call(m, acc, 0, 1, MAX)
        assert r["actual_debt_to_liquidate"] == 1000 * 10**6
        assert r["collateral_to_liquidator"] + r["protocol_fee"] == 525 * 10**15
    else:
        reverts("CollateralCannotBeLiquidated", A.liquidation_call, m, acc, 0, 1, MAX)


# --------------------------------------------------------------------------
# Random generator
# --------------------------------------------------------------------------


@pytest.mark.parametrize("v", ALL)
def test_random_case_shapes(v):
    rng = random.Random(1234)
    kinds = {}
    near = near_ok = 0
    for _ in range(400):
        m, a = A.random_case(rng, v)
        assert m["version"] == v
        assert 1 <= len(a["positions"]) <= 7  # 1-6 plus an occasional zero-balance flag
        for p in a["positions"]:
            r = m["reserves"][p["reserve"]]
            assert r["decimals"] in (6, 8, 18)
            assert 10**6 <= r["price"] <= 10**13
            assert RAY <= r["liquidity_index"] <= 15 * 10**26
        kinds[m["_kind"]] = kinds.get(m["_kind"], 0) + 1
        d = A.account_data(m, a)
        if m["_kind"] == "near1" and d["total_debt_base"] and d["current_liquidation_threshold"]:
            near += 1
            near_ok += abs(d["health_factor"] - WAD) <= 10**12
    assert set(kinds) == {"normal", "dust", "whale", "near1", "emode"}
    assert near_ok >= 0.9 * near
