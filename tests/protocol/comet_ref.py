"""An independent reference of Compound v3 (Comet) in Python integers, written from the
Solidity of compound-finance/comet at d5a30b0aaeff7755f1431e87f818990902237b03
(contracts/Comet.sol, CometCore.sol, CometMath.sol), not from keel's C.

Every uint256 / int256 operation is checked as Solidity 0.8 checks it: a product, sum or
difference outside the type raises Revert("Panic(0x11)"), a zero divisor
Revert("Panic(0x12)"), the CometMath casts their own errors. The state is plain dicts:

market = {"decimals", "price", "supply_index", "borrow_index", "last_accrual_time",
          "total_supply_base", "total_borrow_base", "base_balance", "supply_kink",
          "supply_low", "supply_high", "supply_base", "borrow_kink", "borrow_low",
          "borrow_high", "borrow_base" (per-year, as configured), "store_front",
          "base_borrow_min", "target_reserves", "pause",
          "assets": [{"decimals", "price", "bcf", "lcf", "lf", "supply_cap",
                      "total_supply", "balance"} ...]}   (factors as configured)
account = {"principal": int, "balances": [int per asset]}
"""

U256 = 2**256
I256_MIN, I256_MAX = -(2**255), 2**255 - 1
FACTOR_SCALE = 10**18
BASE_INDEX_SCALE = 10**15
PRICE_SCALE = 10**8
SECONDS_PER_YEAR = 31_536_000


class Revert(Exception):
    def __init__(self, name):
        super().__init__(name)
        self.name = name


def u(x):
    if not 0 <= x < U256:
        raise Revert("Panic(0x11)")
    return x


def i(x):
    if not I256_MIN <= x <= I256_MAX:
        raise Revert("Panic(0x11)")
    return x


def udiv(a, b):
    if b == 0:
        raise Revert("Panic(0x12)")
    return a // b


def sdiv(a, b):
    """Solidity's signed division: truncation toward zero."""
    if b == 0:
        raise Revert("Panic(0x12)")
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def safe64(n):
    if n >= 2**64:
        raise Revert("InvalidUInt64")
    return n


def safe104(n):
    if n >= 2**104:
        raise Revert("InvalidUInt104")
    return n


def safe128(n):
    if n >= 2**128:
        raise Revert("InvalidUInt128")
    return n


def signed104(n):
    if n > 2**103 - 1:
        raise Revert("InvalidInt104")
    return n


def signed256(n):
    if n > I256_MAX:
        raise Revert("InvalidInt256")
    return n


def mul_factor(n, f):
    return u(n * f) // FACTOR_SCALE


def mul_price(n, price, scale):
    return u(n * price) // scale


def signed_mul_price(n, price, scale):
    return sdiv(i(n * signed256(price)), scale)


def div_price(n, price, scale):
    return udiv(u(n * scale), price)


# ---- configuration as getAssetInfo returns it ----

def stored_factor(f):
    """getPackedAssetInternal packs f / 1e14 into 16 bits; getAssetInfo multiplies back."""
    return (f // 10**14) * 10**14


def asset_info(a):
    scale = 10 ** a["decimals"]
    return {"scale": scale, "price": a["price"], "bcf": stored_factor(a["bcf"]),
            "lcf": stored_factor(a["lcf"]), "lf": stored_factor(a["lf"]),
            "supply_cap": (a["supply_cap"] // scale) * scale,
            "total_supply": a["total_supply"], "balance": a["balance"]}


def base_scale(m):
    return 10 ** m["decimals"]


# ---- CometCore ----

def present_value_supply(index, p):
    return p * index // BASE_INDEX_SCALE


def present_value_borrow(index, p):
    return p * index // BASE_INDEX_SCALE


def present_value(m, principal):
    if principal >= 0:
        return signed256(present_value_supply(m["supply_index"], principal))
    return -signed256(present_value_borrow(m["borrow_index"], -principal))


def principal_value(m, pv):
    if pv >= 0:
        return signed104(safe104(u(pv * BASE_INDEX_SCALE) // m["supply_index"]))
    idx = m["borrow_index"]
    return -signed104(safe104(u(u(-pv * BASE_INDEX_SCALE) + idx - 1) // idx))


# ---- rates and accrual ----

def utilization(m):
    ts = present_value_supply(m["supply_index"], m["total_supply_base"])
    tb = present_value_borrow(m["borrow_index"], m["total_borrow_base"])
    return 0 if ts == 0 else u(tb * FACTOR_SCALE) // ts


def _rate(kink, base, low, high, util):
    base, low, high = (base // SECONDS_PER_YEAR, low // SECONDS_PER_YEAR,
                       high // SECONDS_PER_YEAR)
    if util <= kink:
        return safe64(u(base + mul_factor(low, util)))
    return safe64(u(u(base + mul_factor(low, kink)) + mul_factor(high, util - kink)))


def supply_rate(m, util):
    return _rate(m["supply_kink"], m["supply_base"], m["supply_low"], m["supply_high"], util)


def borrow_rate(m, util):
    return _rate(m["borrow_kink"], m["borrow_base"], m["borrow_low"], m["borrow_high"], util)


def accrued_indices(m, elapsed):
    si, bi = m["supply_index"], m["borrow_index"]
    if elapsed > 0:
        util = utilization(m)
        sr, br = supply_rate(m, util), borrow_rate(m, util)
        si = si + safe64(mul_factor(si, sr * elapsed))
        bi = bi + safe64(mul_factor(bi, br * elapsed))
        if si >= 2**64 or bi >= 2**64:
            raise Revert("Panic(0x11)")
    return si, bi


def accrue(m, now):
    m = dict(m)
    m["supply_index"], m["borrow_index"] = accrued_indices(m, now - m["last_accrual_time"])
    m["last_accrual_time"] = now
    return m


def reserves(m, tsb=None, tbb=None):
    tsb = m["total_supply_base"] if tsb is None else tsb
    tbb = m["total_borrow_base"] if tbb is None else tbb
    ts = present_value_supply(m["supply_index"], tsb)
    tb = present_value_borrow(m["borrow_index"], tbb)
    return i(i(signed256(m["base_balance"]) - signed256(ts)) + signed256(tb))


# ---- liquidity ----

def liquidity(m, acct, factor_key, prices=None):
    """The complete sum of isBorrowCollateralized / isLiquidatable (no early exit)."""
    prices = prices or {}
    bp = prices.get("base", m["price"])
    liq = signed_mul_price(present_value(m, acct["principal"]), bp, base_scale(m))
    for k, a in enumerate(m["assets"]):
        bal = acct["balances"][k]
        if bal == 0:
            continue
        info = asset_info(a)
        amount = mul_price(bal, prices.get(k, info["price"]), info["scale"])
        liq = i(liq + signed256(mul_factor(amount, info[factor_key])))
    return liq


def figures(m, acct):
    pv = present_value(m, acct["principal"])
    bv = signed_mul_price(pv, m["price"], base_scale(m))
    coll = bcv = lcv = 0
    for k, a in enumerate(m["assets"]):
        bal = acct["balances"][k]
        if bal == 0:
            continue
        info = asset_info(a)
        v = mul_price(bal, info["price"], info["scale"])
        coll = u(coll + v)
        bcv = u(bcv + signed256(mul_factor(v, info["bcf"])))
        lcv = u(lcv + signed256(mul_factor(v, info["lcf"])))
    return {"present_value": pv, "base_value": bv, "collateral_value": coll,
            "borrow_collateral_value": bcv, "liquidate_collateral_value": lcv,
            "borrow_liquidity": i(bv + bcv), "liquidation_liquidity": i(bv + lcv)}


def is_borrow_collateralized(m, acct, prices=None):
    """Comet.isBorrowCollateralized, loop and early exit as written."""
    prices = prices or {}
    if acct["principal"] >= 0:
        return True
    liq = signed_mul_price(present_value(m, acct["principal"]), prices.get("base", m["price"]),
                           base_scale(m))
    for k, a in enumerate(m["assets"]):
        if acct["balances"][k] != 0:
            if liq >= 0:
                return True
            info = asset_info(a)
            amount = mul_price(acct["balances"][k], prices.get(k, info["price"]), info["scale"])
            liq = i(liq + signed256(mul_factor(amount, info["bcf"])))
    return liq >= 0


def is_liquidatable(m, acct, prices=None):
    """Comet.isLiquidatable, loop and early exit as written."""
    prices = prices or {}
    if acct["principal"] >= 0:
        return False
    liq = signed_mul_price(present_value(m, acct["principal"]), prices.get("base", m["price"]),
                           base_scale(m))
    for k, a in enumerate(m["assets"]):
        if acct["balances"][k] != 0:
            if liq >= 0:
                return False
            info = asset_info(a)
            amount = mul_price(acct["balances"][k], prices.get(k, info["price"]), info["scale"])
            liq = i(liq + signed256(mul_factor(amount, info["lcf"])))
    return liq < 0


# ---- absorb ----

def repay_and_supply_amount(old, new):
    if new < old:
        return 0, 0
    if new <= 0:
        return new - old, 0
    if old >= 0:
        return 0, new - old
    return -old, new


def absorb(m, acct):
    """Comet.absorbInternal; returns a dict of the outcome, or raises Revert."""
    if m["pause"] & 8:
        raise Revert("Paused")
    if not is_liquidatable(m, acct):
        raise Revert("NotLiquidatable")
    old_p = acct["principal"]
    old_bal = present_value(m, old_p)
    bp = m["price"]
    delta_value = 0
    seized, seized_value = {}, {}
    for k, a in enumerate(m["assets"]):
        s = acct["balances"][k]
        if s == 0:
            continue
        info = asset_info(a)
        if info["total_supply"] - s < 0:
            raise Revert("Panic(0x11)")
        value = mul_price(s, info["price"], info["scale"])
        delta_value = u(delta_value + mul_factor(value, info["lf"]))
        seized[k], seized_value[k] = s, value
    delta_balance = div_price(delta_value, bp, base_scale(m))
    new_bal = i(old_bal + signed256(delta_balance))
    deficit = 0
    if new_bal < 0:
        deficit = -new_bal
        new_bal = 0
    new_p = principal_value(m, new_bal)
    repay, supply = repay_and_supply_amount(old_p, new_p)
    tsb = m["total_supply_base"] + supply
    tbb = m["total_borrow_base"] - repay
    if tsb >= 2**104 or tbb < 0:
        raise Revert("Panic(0x11)")
    paid = new_bal - old_bal
    return {"old_principal": old_p, "new_principal": new_p, "old_balance": old_bal,
            "new_balance": new_bal, "seized": seized, "seized_value": seized_value,
            "delta_value": delta_value, "delta_balance": delta_balance,
            "base_paid_out": paid, "value_of_base_paid_out": mul_price(paid, bp, base_scale(m)),
            "deficit": deficit, "repay_amount": repay, "supply_amount": supply,
            "total_supply_base": tsb, "total_borrow_base": tbb,
            "reserves_before": reserves(m), "reserves_after": reserves(m, tsb, tbb)}


# ---- buyCollateral ----

def quote_collateral(m, k, base_amount):
    info = asset_info(m["assets"][k])
    discount = mul_factor(m["store_front"], FACTOR_SCALE - info["lf"])
    discounted = mul_factor(info["price"], FACTOR_SCALE - discount)
    x = u(u(m["price"] * base_amount) * info["scale"])
    return udiv(udiv(x, discounted), base_scale(m))


def buy_collateral(m, k, min_amount, base_amount):
    if m["pause"] & 16:
        raise Revert("Paused")
    r = reserves(m)
    if r >= 0 and r >= m["target_reserves"]:
        raise Revert("NotForSale")
    amount = quote_collateral(m, k, base_amount)
    if amount < min_amount:
        raise Revert("TooMuchSlippage")
    info = asset_info(m["assets"][k])
    cr = info["balance"] - info["total_supply"]
    if cr < 0:
        raise Revert("Panic(0x11)")
    if amount > cr:
        raise Revert("InsufficientReserves")
    safe128(amount)
    return {"reserves": r, "collateral_amount": amount, "collateral_reserves": cr}


# ---- what a keeper asks, by plain search over the contract's functions ----

def meets(m, acct, line, target):
    """No debt, or C * 1e18 >= target * D on the line's factor."""
    if acct["principal"] >= 0:
        return True
    f = figures(m, acct)
    c = f["borrow_collateral_value"] if line == "borrow" else f["liquidate_collateral_value"]
    return c * FACTOR_SCALE >= target * -f["base_value"]


def with_principal(acct, p):
    return {"principal": p, "balances": list(acct["balances"])}


def with_balance(acct, k, b):
    bal = list(acct["balances"])
    bal[k] = b
    return {"principal": acct["principal"], "balances": bal}


def first_true(pred, lo, hi):
    """The least x in [lo, hi] with pred(x), pred monotone false -> true, pred(hi) true."""
    while lo < hi:
        mid = (lo + hi) // 2
        if pred(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


def last_true(pred, lo, hi):
    """The largest x in [lo, hi] with pred(x), pred monotone true -> false, pred(lo) true."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if pred(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def repay_to_target(m, acct, line, target):
    if m["pause"] & 1:
        raise Revert("Paused")
    pv = present_value(m, acct["principal"])
    debt = -pv if pv < 0 else 0
    return first_true(lambda a: meets(m, with_principal(acct, principal_value(m, pv + a)),
                                      line, target), 0, debt)


def supply_to_target(m, acct, k, line, target):
    """None when no accepted amount reaches the target."""
    if m["pause"] & 1:
        raise Revert("Paused")
    info = asset_info(m["assets"][k])
    bal = acct["balances"][k]
    hi = min(max(info["supply_cap"] - info["total_supply"], 0), 2**128 - 1 - bal)

    def ok(a):
        return meets(m, with_balance(acct, k, bal + a), line, target)
    if ok(0):
        return 0
    if not ok(hi):
        return None
    return first_true(ok, 0, hi)


def max_withdraw(m, acct, k, floor):
    if m["pause"] & 4:
        return 0
    t = max(floor, FACTOR_SCALE)
    bal = acct["balances"][k]
    hi = min(bal, asset_info(m["assets"][k])["total_supply"])

    def ok(a):
        return meets(m, with_balance(acct, k, bal - a), "borrow", t)
    if not ok(0):
        return 0
    return last_true(ok, 0, hi)


def max_borrow(m, acct, floor):
    """withdrawBase's checks: a supply withdrawal, or a borrow of at least baseBorrowMin
    that leaves the account collateralized (floor), within the pool's base balance."""
    if m["pause"] & 4:
        return 0
    t = max(floor, FACTOR_SCALE)
    pv = present_value(m, acct["principal"])
    hi = min(m["base_balance"], 2**120)

    def collat(a):
        bal = pv - a
        if bal >= 0:
            return True
        try:
            p = principal_value(m, bal)
        except Revert:
            return False
        return meets(m, with_principal(acct, p), "borrow", t)

    def accepted(a):
        bal = pv - a
        return bal >= 0 or (-bal >= m["base_borrow_min"] and collat(a))
    if not collat(0):
        return 0
    a = last_true(collat, 0, hi)
    if accepted(a):
        return a
    return min(max(pv, 0), hi)


def liquidation_price(m, acct, k, top=2**96 - 1):
    """(-1, p) with p the highest price at which isLiquidatable holds, or (0, None)."""
    def liq(p):
        return is_liquidatable(m, acct, {k: p})
    if not liq(1) or liq(top):
        return 0, None
    return -1, last_true(liq, 1, top)
