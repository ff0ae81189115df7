#!/usr/bin/env python3
"""Aave v3 accounts on the real Ethereum market of 2023-10-31, exact to the chain.

Loads the governance report in examples/data/, builds three accounts and prints, for each,
what Pool.getUserAccountData returns (keel computes the chain's integers, v3.6 rules), the
oracle price of each collateral at which the account becomes liquidatable, and what a
liquidator would get. The last account sits just past the chain's HF 1 with a DAI debt: the
chain says liquidatable where double arithmetic (like the Aave interface's math-utils, which
computes in decimals without the chain's rounding) reads HF >= 1.

Run: python3 examples/python/aave_account.py   (KEEL_LIBRARY if libkeel is not installed)
"""
from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable

from keel.aave import AaveAccount, AaveMarket, AaveRevert

DATA = Path(__file__).resolve().parents[1] / "data" / "aave-v3-ethereum-20231031.json"
WAD = 10**18


def units(amount: int, decimals: int, digits: int = 6) -> str:
    """An integer amount of wei in whole tokens, exactly (no float), cut to `digits`."""
    whole, frac = divmod(amount, 10**decimals)
    text = f"{whole:,}"
    if decimals and digits:
        text += "." + f"{frac:0{decimals}d}"[:digits]
    return text


def usd(base: int) -> str:
    """Base-currency units (8 decimals) as USD."""
    return "$" + units(base, 8)[:-4]


def show(m: AaveMarket, a: AaveAccount, name: str) -> None:
    d = a.account_data()
    hf = "no debt" if d.health_factor == 2**256 - 1 else units(d.health_factor, 18, 18)
    print(f"\n{name}")
    print(f"  collateral {usd(d.total_collateral_base)}, debt {usd(d.total_debt_base)}, "
          f"can borrow {usd(d.available_borrows_base)}")
    print(f"  LTV {d.ltv / 100:.2f}%, liquidation threshold "
          f"{d.current_liquidation_threshold / 100:.2f}%, health factor {hf}"
          f"{'  LIQUIDATABLE' if d.liquidatable else ''}")
    for rid in range(len(m)):
        supply, _debt, on = a.position(rid)
        if not (supply and on):
            continue
        b = a.liquidation_price(rid)
        r = m.reserve(rid)
        if b.direction == -1 and b.price is not None:
            print(f"  liquidatable when {r.symbol} <= {usd(b.price)} (now {usd(r.price)})")
    try:
        q = a.best_liquidation()
        cs, ds = m.reserve(q.collateral), m.reserve(q.debt)
        print(f"  best liquidation: repay {units(q.debt_repaid, ds.decimals)} {ds.symbol}, "
              f"seize {units(q.collateral_to_liquidator, cs.decimals)} {cs.symbol} "
              f"(+{units(q.protocol_fee, cs.decimals)} to the treasury), "
              f"bonus {(q.liquidation_bonus - 10000) / 100:.2f}%, "
              f"profit {usd(int(q.profit_base))} before gas")
    except AaveRevert as e:
        print(f"  liquidation: the pool would revert ({e.reason})")


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    m = AaveMarket.from_report(DATA, version="3.6")
    print(f"Aave v3 Ethereum, 2023-10-31: {len(m)} reserves; WETH "
          f"{usd(m.reserve('WETH').price)}, wstETH {usd(m.reserve('wstETH').price)}")

    # 1. 100 WETH against USDC at HF 1.6: WETH's threshold is 83%
    weth = m.reserve("WETH")
    a = AaveAccount(m)
    a.set_position("WETH", supply=100 * 10**18)
    debt = 100 * weth.price * weth.liquidation_threshold // 10**4 * 10 // 16  # base units
    a.set_position("USDC", debt=debt * 10**6 // m.reserve("USDC").price)
    show(m, a, "100 WETH against USDC at HF 1.6")
    need = a.repay_to_target("USDC", 2)
    print(f"  to reach HF 2: repay {units(need, 6)} USDC, or supply "
          f"{units(a.supply_to_target('WETH', 2), 18)} WETH")

    # 2. e-mode 1 (ETH correlated): 50 wstETH against 45 WETH, threshold 93%
    e = AaveAccount(m, emode=1)
    e.set_position("wstETH", supply=50 * 10**18)
    e.set_position("WETH", debt=45 * 10**18)
    show(m, e, "e-mode 1: 50 wstETH against 45 WETH")
    print(f"  may still borrow {units(e.max_borrow('WETH', floor_hf=1.05), 18)} WETH "
          f"keeping HF >= 1.05")

    # 3. where double arithmetic and the chain disagree: 10 WETH against DAI. The chain
    # rounds the debt's value up to a whole base unit (10^-8 USD, some 10^10 DAI-wei), so
    # the largest debt it calls healthy is below the one double arithmetic allows.
    t = AaveAccount(m)
    t.set_position("WETH", supply=10 * 10**18)

    def largest(healthy: Callable[[int], bool]) -> int:  # the largest DAI debt (wei) with healthy(debt)
        lo, hi = 0, 10**24
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if healthy(mid) else (lo, mid)
        return lo

    def chain_ok(debt: int) -> bool:
        t.set_position("DAI", debt=debt)
        return not t.account_data().liquidatable

    def double_hf(debt: int) -> float:
        t.set_position("DAI", debt=debt)
        market, basket, haircuts = t.to_keel()
        return basket.metrics(market, haircuts).health_factor

    chain_max = largest(chain_ok)
    double_max = largest(lambda d: double_hf(d) >= 1.0)
    print(f"\n10 WETH against DAI: the chain allows {units(chain_max, 18, 18)} DAI, double "
          f"arithmetic {units(double_max, 18, 18)} DAI ({double_max - chain_max:,} wei more)")
    print(f"  at {units(double_max, 18, 18)} DAI double arithmetic reads HF "
          f"{double_hf(double_max)!r}:")
    t.set_position("DAI", debt=double_max)
    show(m, t, "  the chain, exactly:")


if __name__ == "__main__":
    main()
