"""An independent port of Compound v3 (Comet) view arithmetic, written straight from the
Solidity of compound-finance/comet at d5a30b0aaeff7755f1431e87f818990902237b03
(contracts/Comet.sol, CometCore.sol, CometMath.sol) by a reviewer who did not read keel's C
nor tests/protocol/comet_ref.py. It is a second reference: keel's C and comet_ref.py were
written by someone else from the same source.

Solidity 0.8 semantics modelled: checked uint256 / int256 arithmetic (a Panic on overflow,
underflow and division by zero), integer division truncating toward zero for signed
operands (signedMulPrice), the safe64 / safe104 / safe128 / signed104 / signed256 casts, the
AssetConfig packing (factors kept to 4 decimals, the supply cap to whole tokens).

Each function raises Revert(name) where the contract reverts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List

U256 = 2**256
I256_MAX = 2**255 - 1
I256_MIN = -(2**255)
FACTOR_SCALE = 10**18
BASE_INDEX_SCALE = 10**15
SECONDS_PER_YEAR = 31_536_000


class Revert(Exception):
    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


# ---- checked arithmetic -------------------------------------------------------------
def u(x: int) -> int:
    """A uint256 result (Panic 0x11 outside)."""
    if not 0 <= x < U256:
        raise Revert("Panic(0x11)")
    return x


def s(x: int) -> int:
    """An int256 result."""
    if not I256_MIN <= x <= I256_MAX:
        raise Revert("Panic(0x11)")
    return x


def udiv(a: int, b: int) -> int:
    if b == 0:
        raise Revert("Panic(0x12)")
    return a // b


def sdiv(a: int, b: int) -> int:
    """Solidity signed division: truncation toward zero (int256.min / -1 overflows)."""
    if b == 0:
        raise Revert("Panic(0x12)")
    q = abs(a) // abs(b)
    q = q if (a >= 0) == (b >= 0) else -q
    return s(q)


def safe64(n):
    if n > 2**64 - 1:
        raise Revert("InvalidUInt64")
    return n


def safe104(n):
    if n > 2**104 - 1:
        raise Revert("InvalidUInt104")
    return n


def safe128(n):
    if n > 2**128 - 1:
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


def unsigned256(n):
    if n < 0:
        raise Revert("NegativeNumber")
    return n


def mul_factor(n, factor):
    return u(n * factor) // FACTOR_SCALE


def mul_price(n, price, from_scale):
    return u(n * price) // from_scale


def signed_mul_price(n, price, from_scale):
    return sdiv(s(n * signed256(price)), from_scale)


def div_price(n, price, to_scale):
    return udiv(u(n * to_scale), price)


# ---- state ---------------------------------------------------------------------------
@dataclass
class Asset:
    decimals: int
    price: int
    borrow_cf: int
    liquidate_cf: int
    liquidation_factor: int
    supply_cap: int = 0
    total_supply_asset: int = 0
    balance: int = 0

    def __post_init__(self):
        # getPackedAssetInternal's checks, then the packing and getAssetInfo's unpacking
        if self.borrow_cf >= self.liquidate_cf:
            raise Revert("BorrowCFTooLarge")
        if self.liquidate_cf > FACTOR_SCALE:
            raise Revert("LiquidateCFTooLarge")
        d = FACTOR_SCALE // 10**4
        b, l, f = (self.borrow_cf // d) % 2**16, (self.liquidate_cf // d) % 2**16, \
            (self.liquidation_factor // d) % 2**16
        if b >= l:
            raise Revert("BorrowCFTooLarge")
        self.borrow_cf, self.liquidate_cf, self.liquidation_factor = b * d, l * d, f * d
        scale = 10**self.decimals
        self.supply_cap = ((self.supply_cap // scale) % 2**64) * scale

    @property
    def scale(self):
        return 10**self.decimals


@dataclass
class Market:
    decimals: int = 6
    price: int = 10**8
    supply_index: int = BASE_INDEX_SCALE
    borrow_index: int = BASE_INDEX_SCALE
    last_accrual_time: int = 0
    total_supply_base: int = 0
    total_borrow_base: int = 0
    base_balance: int = 0
    supply_kink: int = 0
    supply_slope_low: int = 0    # per second (per year // SECONDS_PER_YEAR)
    supply_slope_high: int = 0
    supply_base_rate: int = 0
    borrow_kink: int = 0
    borrow_slope_low: int = 0
    borrow_slope_high: int = 0
    borrow_base_rate: int = 0
    store_front_price_factor: int = 0
    base_borrow_min: int = 0
    target_reserves: int = 0
    pause_flags: int = 0
    assets: List[Asset] = field(default_factory=list)

    @property
    def base_scale(self):
        return 10**self.decimals

    # CometCore
    def present_value(self, principal: int) -> int:
        if principal >= 0:
            return signed256(u(principal * self.supply_index) // BASE_INDEX_SCALE)
        return -signed256(u(-principal * self.borrow_index) // BASE_INDEX_SCALE)

    def principal_value(self, pv: int) -> int:
        if pv >= 0:
            return signed104(safe104(udiv(u(pv * BASE_INDEX_SCALE), self.supply_index)))
        m = s(-pv)  # uint256(-presentValue_): -int256.min overflows
        return -signed104(safe104(udiv(u(u(m * BASE_INDEX_SCALE) + self.borrow_index - 1),
                                       self.borrow_index)))

    # rates
    def utilization(self):
        ts = u(self.total_supply_base * self.supply_index) // BASE_INDEX_SCALE
        tb = u(self.total_borrow_base * self.borrow_index) // BASE_INDEX_SCALE
        return 0 if ts == 0 else u(tb * FACTOR_SCALE) // ts

    def _rate(self, util, kink, base, low, high):
        if util <= kink:
            return safe64(u(base + mul_factor(low, util)))
        return safe64(u(u(base + mul_factor(low, kink)) + mul_factor(high, util - kink)))

    def supply_rate(self, util):
        return self._rate(util, self.supply_kink, self.supply_base_rate,
                          self.supply_slope_low, self.supply_slope_high)

    def borrow_rate(self, util):
        return self._rate(util, self.borrow_kink, self.borrow_base_rate,
                          self.borrow_slope_low, self.borrow_slope_high)

    def accrue(self, now: int):
        if now >= 2**40:
            raise Revert("TimestampTooLarge")
        elapsed = now - self.last_accrual_time
        if elapsed < 0:
            raise Revert("Panic(0x11)")
        if elapsed > 0:
            util = self.utilization()
            sr, br = self.supply_rate(util), self.borrow_rate(util)
            si = self.supply_index + safe64(mul_factor(self.supply_index, u(sr * elapsed)))
            bi = self.borrow_index + safe64(mul_factor(self.borrow_index, u(br * elapsed)))
            if si >= 2**64 or bi >= 2**64:
                raise Revert("Panic(0x11)")
            self.supply_index, self.borrow_index, self.last_accrual_time = si, bi, now

    def reserves(self, total_supply_base=None, total_borrow_base=None):
        tsb = self.total_supply_base if total_supply_base is None else total_supply_base
        tbb = self.total_borrow_base if total_borrow_base is None else total_borrow_base
        ts = u(tsb * self.supply_index) // BASE_INDEX_SCALE
        tb = u(tbb * self.borrow_index) // BASE_INDEX_SCALE
        return s(s(signed256(self.base_balance) - signed256(ts)) + signed256(tb))

    # Comet.quoteCollateral
    def quote_collateral(self, i: int, base_amount: int) -> int:
        a = self.assets[i]
        discount = mul_factor(self.store_front_price_factor, u(FACTOR_SCALE - a.liquidation_factor))
        discounted = mul_factor(a.price, u(FACTOR_SCALE - discount))
        return udiv(udiv(u(u(self.price * base_amount) * a.scale), discounted), self.base_scale)

    def buy_collateral(self, i: int, min_amount: int, base_amount: int):
        if self.pause_flags & 16:
            raise Revert("Paused")
        r = self.reserves()
        if r >= 0 and r >= self.target_reserves:
            raise Revert("NotForSale")
        q = self.quote_collateral(i, base_amount)
        if q < min_amount:
            raise Revert("TooMuchSlippage")
        a = self.assets[i]
        if q > u(a.balance - a.total_supply_asset):
            raise Revert("InsufficientReserves")
        safe128(q)
        return r, q


@dataclass
class Account:
    principal: int = 0
    collateral: Dict[int, int] = field(default_factory=dict)


def _liquidity(m: Market, acct: Account, which: str, early_exit: bool):
    """(verdict_liquidity, full figures) for isBorrowCollateralized / isLiquidatable."""
    liq = signed_mul_price(m.present_value(acct.principal), m.price, m.base_scale)
    for i, a in enumerate(m.assets):
        bal = acct.collateral.get(i, 0)
        if bal == 0:  # not in assetsIn
            continue
        if early_exit and liq >= 0:
            return liq
        new_amount = mul_price(bal, a.price, a.scale)
        f = a.borrow_cf if which == "borrow" else a.liquidate_cf
        liq = s(liq + signed256(mul_factor(new_amount, f)))
    return liq


def is_borrow_collateralized(m: Market, acct: Account) -> bool:
    if acct.principal >= 0:
        return True
    return _liquidity(m, acct, "borrow", True) >= 0


def is_liquidatable(m: Market, acct: Account) -> bool:
    if acct.principal >= 0:
        return False
    return _liquidity(m, acct, "liquidate", True) < 0


def figures(m: Market, acct: Account) -> dict:
    """Every figure keel's keel_comet_account_data reports, each summed over all assets."""
    pv = m.present_value(acct.principal)
    base_value = signed_mul_price(pv, m.price, m.base_scale)
    cv = bcv = lcv = 0
    for i, a in enumerate(m.assets):
        bal = acct.collateral.get(i, 0)
        v = mul_price(bal, a.price, a.scale)
        cv += v
        bcv += mul_factor(v, a.borrow_cf)
        lcv += mul_factor(v, a.liquidate_cf)
    return dict(present_value=pv, base_value=base_value, collateral_value=cv,
                borrow_collateral_value=bcv, liquidate_collateral_value=lcv,
                borrow_liquidity=base_value + bcv, liquidation_liquidity=base_value + lcv,
                is_borrow_collateralized=is_borrow_collateralized(m, acct),
                is_liquidatable=is_liquidatable(m, acct))


def repay_and_supply_amount(old: int, new: int):
    if new < old:
        return 0, 0
    if new <= 0:
        return new - old, 0
    if old >= 0:
        return 0, new - old
    return -old, new


def absorb(m: Market, acct: Account):
    """Comet.absorb for one account (accrued already). Returns (result dict, market after,
    account after); raises Revert."""
    if m.pause_flags & 8:
        raise Revert("Paused")
    if not is_liquidatable(m, acct):
        raise Revert("NotLiquidatable")
    reserves_before = m.reserves()
    old_principal = acct.principal
    old_balance = m.present_value(old_principal)
    delta_value = 0
    seized, seized_value = {}, {}
    tsa = {}
    for i, a in enumerate(m.assets):
        bal = acct.collateral.get(i, 0)
        if bal == 0:
            continue
        tsa[i] = u(a.total_supply_asset - bal)
        value = mul_price(bal, a.price, a.scale)
        delta_value = u(delta_value + mul_factor(value, a.liquidation_factor))
        seized[i], seized_value[i] = bal, value
    delta_balance = div_price(delta_value, m.price, m.base_scale)
    new_balance = s(old_balance + signed256(delta_balance))
    deficit = 0
    if new_balance < 0:
        deficit = -new_balance
        new_balance = 0
    new_principal = m.principal_value(new_balance)
    repay, supply = repay_and_supply_amount(old_principal, new_principal)
    tsb = m.total_supply_base + supply
    if tsb >= 2**104:
        raise Revert("Panic(0x11)")
    tbb = m.total_borrow_base - repay
    if tbb < 0:
        raise Revert("Panic(0x11)")
    base_paid_out = unsigned256(s(new_balance - old_balance))
    value_paid = mul_price(base_paid_out, m.price, m.base_scale)
    reserves_after = m.reserves(tsb, tbb)
    return dict(old_principal=old_principal, new_principal=new_principal,
                old_balance=old_balance, new_balance=new_balance, seized=seized,
                seized_value=seized_value, delta_value=delta_value,
                delta_balance=delta_balance, base_paid_out=base_paid_out,
                value_of_base_paid_out=value_paid, deficit=deficit, repay_amount=repay,
                supply_amount=supply, total_supply_base=tsb, total_borrow_base=tbb,
                reserves_before=reserves_before, reserves_after=reserves_after,
                total_supply_asset=tsa)


# ---- the account after a user action (for checking keeper answers) ---------------------
def supply_base(m: Market, acct: Account, amount: int) -> Account:
    if m.pause_flags & 1:
        raise Revert("Paused")
    bal = s(m.present_value(acct.principal) + signed256(amount))
    return Account(m.principal_value(bal), dict(acct.collateral))


def supply_collateral(m: Market, acct: Account, i: int, amount: int) -> Account:
    if m.pause_flags & 1:
        raise Revert("Paused")
    safe128(amount)
    a = m.assets[i]
    total = a.total_supply_asset + amount
    if total >= 2**128:
        raise Revert("Panic(0x11)")
    if total > a.supply_cap:
        raise Revert("SupplyCapExceeded")
    new = acct.collateral.get(i, 0) + amount
    if new >= 2**128:
        raise Revert("Panic(0x11)")
    c = dict(acct.collateral)
    c[i] = new
    return Account(acct.principal, c)


def withdraw_collateral(m: Market, acct: Account, i: int, amount: int) -> Account:
    if m.pause_flags & 4:
        raise Revert("Paused")
    safe128(amount)
    bal = acct.collateral.get(i, 0)
    if amount > bal or amount > m.assets[i].total_supply_asset:
        raise Revert("Panic(0x11)")
    c = dict(acct.collateral)
    c[i] = bal - amount
    after = Account(acct.principal, c)
    if not is_borrow_collateralized(m, after):
        raise Revert("NotCollateralized")
    return after


def withdraw_base(m: Market, acct: Account, amount: int) -> Account:
    if m.pause_flags & 4:
        raise Revert("Paused")
    bal = s(m.present_value(acct.principal) - signed256(amount))
    newp = m.principal_value(bal)
    after = Account(newp, dict(acct.collateral))
    if bal < 0:
        if -bal < m.base_borrow_min:
            raise Revert("BorrowTooSmall")
        if not is_borrow_collateralized(m, after):
            raise Revert("NotCollateralized")
    if amount > m.base_balance:
        raise Revert("TransferOutFailed")
    return after
