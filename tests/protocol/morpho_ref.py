"""An independent port of Morpho Blue's position math to Python integers.

Written from the Solidity of morpho-org/morpho-blue at tag v1.0.0 (commit
55d2d99304fb: src/Morpho.sol, src/libraries/MathLib.sol, SharesMathLib.sol,
ConstantsLib.sol, UtilsLib.sol), not from keel's C. Every uint256 operation is
checked the way Solidity 0.8.19 checks it: a result outside [0, 2**256) raises
Revert("panic 0x11"), a division by zero Revert("panic 0x12"), toUint128 past
2**128 - 1 Revert("max uint128 exceeded"); the require()s raise Revert with
ErrorsLib's string.

A market is a dict {price, lltv, tsa, tss, tba, tbs, fee, last_update}; a
position a dict {supply_shares, borrow_shares, collateral}. The keeper answers
here are brute-force definitions (a linear or bisection search written
independently, each checked on the chain's own predicate) so that the test can
compare them with keel's.
"""

from __future__ import annotations

import random

U256 = 2**256
U128_MAX = 2**128 - 1
WAD = 10**18
ORACLE_PRICE_SCALE = 10**36
MAX_FEE = WAD // 4
LIQUIDATION_CURSOR = 3 * 10**17
MAX_LIQUIDATION_INCENTIVE_FACTOR = 115 * 10**16
VIRTUAL_SHARES = 10**6
VIRTUAL_ASSETS = 1


class Revert(Exception):
    """The call reverts; args[0] is the reason."""


def _chk(v):
    if v < 0 or v >= U256:
        raise Revert("panic 0x11")
    return v


def _div(a, b):
    if b == 0:
        raise Revert("panic 0x12")
    return a // b


def mul_div_down(x, y, d):
    return _div(_chk(x * y), d)


def mul_div_up(x, y, d):
    return _div(_chk(_chk(x * y) + _chk(d - 1)), d)


def w_mul_down(x, y):
    return mul_div_down(x, y, WAD)


def w_div_down(x, y):
    return mul_div_down(x, WAD, y)


def w_div_up(x, y):
    return mul_div_up(x, WAD, y)


def w_taylor_compounded(x, n):
    first = _chk(x * n)
    second = mul_div_down(first, first, 2 * WAD)
    third = mul_div_down(second, first, 3 * WAD)
    return _chk(_chk(first + second) + third)


def to_shares_down(a, ta, ts):
    return mul_div_down(a, _chk(ts + VIRTUAL_SHARES), _chk(ta + VIRTUAL_ASSETS))


def to_shares_up(a, ta, ts):
    return mul_div_up(a, _chk(ts + VIRTUAL_SHARES), _chk(ta + VIRTUAL_ASSETS))


def to_assets_down(s, ta, ts):
    return mul_div_down(s, _chk(ta + VIRTUAL_ASSETS), _chk(ts + VIRTUAL_SHARES))


def to_assets_up(s, ta, ts):
    return mul_div_up(s, _chk(ta + VIRTUAL_ASSETS), _chk(ts + VIRTUAL_SHARES))


def to_uint128(x):
    if x > U128_MAX:
        raise Revert("max uint128 exceeded")
    return x


def u128_sub(a, b):
    if b > a:
        raise Revert("panic 0x11")
    return a - b


def u128_add(a, b):
    if a + b > U128_MAX:
        raise Revert("panic 0x11")
    return a + b


def zero_floor_sub(x, y):
    return x - y if x > y else 0


def incentive_factor(lltv):
    return min(MAX_LIQUIDATION_INCENTIVE_FACTOR,
               w_div_down(WAD, WAD - w_mul_down(LIQUIDATION_CURSOR, WAD - lltv)))


def borrowed(m, p):
    return to_assets_up(p["borrow_shares"], m["tba"], m["tbs"])


def max_borrow(m, p, price=None):
    price = m["price"] if price is None else price
    return w_mul_down(mul_div_down(p["collateral"], price, ORACLE_PRICE_SCALE), m["lltv"])


def is_healthy(m, p, price=None):
    """_isHealthy, 4-argument form (no shortcut without debt)."""
    return max_borrow(m, p, price) >= borrowed(m, p)


def is_healthy_3(m, p):
    """_isHealthy, 3-argument form: true without borrow shares."""
    if p["borrow_shares"] == 0:
        return True
    return is_healthy(m, p)


def health_factor(m, p):
    b = borrowed(m, p)
    if b == 0:
        return U256 - 1
    mb = max_borrow(m, p)
    return min(mb * WAD // b, U256 - 1)


def accrue(m, rate, timestamp):
    """_accrueInterest with an IRM answering `rate`: returns (market after, interest,
    fee_shares)."""
    m = dict(m)
    elapsed = timestamp - m["last_update"]
    if elapsed < 0:
        raise Revert("panic 0x11")
    if elapsed == 0:
        return m, 0, 0
    interest = w_mul_down(m["tba"], w_taylor_compounded(rate, elapsed))
    m["tba"] = u128_add(m["tba"], to_uint128(interest))
    m["tsa"] = u128_add(m["tsa"], to_uint128(interest))
    fee_shares = 0
    if m["fee"] != 0:
        fee_amount = w_mul_down(interest, m["fee"])
        fee_shares = to_shares_down(fee_amount, m["tsa"] - fee_amount, m["tss"])
        m["tss"] = u128_add(m["tss"], to_uint128(fee_shares))
    m["last_update"] = timestamp
    return m, interest, fee_shares


def liquidate(m, p, seized_assets, repaid_shares):
    """Morpho.liquidate (no accrual). Returns (result dict, market after, position after)."""
    if (seized_assets == 0) == (repaid_shares == 0):
        raise Revert("inconsistent input")
    m = dict(m)
    p = dict(p)
    price = m["price"]
    if is_healthy(m, p, price):
        raise Revert("position is healthy")
    lif = incentive_factor(m["lltv"])
    if seized_assets > 0:
        quoted = mul_div_up(seized_assets, price, ORACLE_PRICE_SCALE)
        repaid_shares = to_shares_up(w_div_up(quoted, lif), m["tba"], m["tbs"])
    else:
        seized_assets = mul_div_down(
            w_mul_down(to_assets_down(repaid_shares, m["tba"], m["tbs"]), lif),
            ORACLE_PRICE_SCALE, price)
    repaid_assets = to_assets_up(repaid_shares, m["tba"], m["tbs"])
    p["borrow_shares"] = u128_sub(p["borrow_shares"], to_uint128(repaid_shares))
    m["tbs"] = u128_sub(m["tbs"], to_uint128(repaid_shares))
    m["tba"] = to_uint128(zero_floor_sub(m["tba"], repaid_assets))
    p["collateral"] = u128_sub(p["collateral"], to_uint128(seized_assets))
    bad_shares = bad_assets = 0
    if p["collateral"] == 0:
        bad_shares = p["borrow_shares"]
        bad_assets = min(m["tba"], to_assets_up(bad_shares, m["tba"], m["tbs"]))
        m["tba"] = u128_sub(m["tba"], to_uint128(bad_assets))
        m["tsa"] = u128_sub(m["tsa"], to_uint128(bad_assets))
        m["tbs"] = u128_sub(m["tbs"], to_uint128(bad_shares))
        p["borrow_shares"] = 0
    res = dict(incentive_factor=lif, seized_assets=seized_assets, repaid_shares=repaid_shares,
               repaid_assets=repaid_assets, bad_debt_shares=bad_shares,
               bad_debt_assets=bad_assets)
    return res, m, p


# ---- the chain's own checks after an action (predicates for the keeper tests) ----

def after_repay(m, p, assets=0, shares=0):
    """Morpho.repay (no accrual): (market, position) after, or Revert."""
    if (assets == 0) == (shares == 0):
        raise Revert("inconsistent input")
    m, p = dict(m), dict(p)
    if assets > 0:
        shares = to_shares_down(assets, m["tba"], m["tbs"])
    else:
        assets = to_assets_up(shares, m["tba"], m["tbs"])
    p["borrow_shares"] = u128_sub(p["borrow_shares"], to_uint128(shares))
    m["tbs"] = u128_sub(m["tbs"], to_uint128(shares))
    m["tba"] = to_uint128(zero_floor_sub(m["tba"], assets))
    return m, p


def after_borrow(m, p, assets):
    """Morpho.borrow(assets, 0) (no accrual): (market, position) after, or Revert."""
    if assets == 0:
        raise Revert("inconsistent input")
    m, p = dict(m), dict(p)
    shares = to_shares_up(assets, m["tba"], m["tbs"])
    p["borrow_shares"] = u128_add(p["borrow_shares"], to_uint128(shares))
    m["tbs"] = u128_add(m["tbs"], to_uint128(shares))
    m["tba"] = u128_add(m["tba"], to_uint128(assets))
    if not is_healthy_3(m, p):
        raise Revert("insufficient collateral")
    if m["tba"] > m["tsa"]:
        raise Revert("insufficient liquidity")
    return m, p


def after_withdraw_collateral(m, p, assets):
    if assets == 0:
        raise Revert("zero assets")
    p = dict(p)
    p["collateral"] = u128_sub(p["collateral"], to_uint128(assets))
    if not is_healthy_3(m, p):
        raise Revert("insufficient collateral")
    return m, p


def ok(f, *a, **k):
    try:
        return f(*a, **k)
    except Revert:
        return None


def liquidation_price(m, p):
    """The highest price at which the position is not healthy, by bisection on
    is_healthy alone (monotone in the price), or None without debt."""
    if borrowed(m, p) == 0:
        return None
    if p["collateral"] == 0:
        return U256 - 1
    lo, hi = 0, (U256 - 1) // p["collateral"]  # is_healthy(lo) false (debt > 0)
    if not is_healthy(m, p, hi):
        return "none"
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if is_healthy(m, p, mid):
            hi = mid
        else:
            lo = mid
    return lo


# ---- random cases ----

def random_case(rng: random.Random):
    """A market and a position covering dust, whales, every decimals pair, near-line."""
    lltv = rng.choice([385 * 10**15, 625 * 10**15, 77 * 10**16, 86 * 10**16, 915 * 10**15,
                       945 * 10**15, 965 * 10**15, 98 * 10**16,
                       rng.randrange(1, WAD)])
    ld = rng.choice([6, 8, 18])
    cd = rng.choice([6, 8, 18])
    scale = rng.choice([1, 10**3, 10**6, 10**12, 10**18, 10**24])
    tsa = rng.randrange(0, 10**6) * scale + rng.randrange(0, 1000)
    tba = rng.randrange(0, tsa + 1)
    # share prices near the initial 1e6 shares per asset, with interest on top
    tss = tsa * VIRTUAL_SHARES * rng.choice([1, 1, 97, 100]) // 100 + rng.randrange(0, 10**6)
    tbs = tba * VIRTUAL_SHARES * rng.choice([1, 1, 80, 95]) // 100 + rng.randrange(0, 10**6)
    tsa, tss, tba, tbs = (min(v, U128_MAX) for v in (tsa, tss, tba, tbs))
    b = rng.randrange(0, tbs + 1) if rng.random() < 0.9 else tbs
    if rng.random() < 0.05:
        b = 0
    # price of one whole collateral token in whole loan tokens, 1e-4 .. 1e5
    unit_price = rng.choice([10**-4, 0.5, 1, 2000, 60000, 10**5]) * rng.uniform(0.5, 2)
    price = max(1, int(unit_price * 10**(36 + ld - cd)))
    debt = to_assets_up(b, tba, tbs)
    # collateral near the healthy line, or anywhere
    if debt > 0 and rng.random() < 0.7:
        target = debt * WAD * ORACLE_PRICE_SCALE // max(1, lltv * price)
        c = max(0, target + rng.randrange(-3, 4) * max(1, target // 10**rng.randrange(2, 12)))
    else:
        c = rng.randrange(0, 10**rng.randrange(0, 30) + 1)
    c = min(c, U128_MAX)
    if rng.random() < 0.99:  # keep collateral * price inside 256 bits (1%: past it)
        c = min(c, (U256 - 1) // price)
    m = dict(price=price, lltv=lltv, tsa=tsa, tss=tss, tba=tba, tbs=tbs,
             fee=rng.choice([0, 0, WAD // 10, MAX_FEE]), last_update=1_700_000_000,
             loan_decimals=ld, collateral_decimals=cd)
    p = dict(supply_shares=rng.randrange(0, tss + 1), borrow_shares=b, collateral=c)
    return m, p
