#!/usr/bin/env python3
"""One wstETH/WETH loop on four venues: Aave v3 without and with e-mode, Compound v3's
cWETHv3 and Morpho Blue's wstETH/WETH 94.5% market.

The same position -- 100 wstETH supplied, 80 WETH borrowed -- is built on each venue from
its real parameters (sources below; docs/protocols.md), with one price for wstETH in ETH
everywhere (the Aave oracle's two answers of 2023-10-31), and keel.protocols.compare
reads, by each protocol's own rules and to the wei: the health factor, the wstETH/ETH
price at which the position becomes liquidatable (how deep a depeg it survives), the first
liquidation there (what it takes, what it clears, the penalty), and the cost of keel's
least-cost deleverage back to HF 1.5.

Parameters:
- Aave v3 Ethereum, governance report of 2023-10-31 (examples/data/, provenance in its
  README): wstETH threshold 81%, bonus 6%; e-mode 1 "ETH correlated" 93%, bonus 1%.
- Compound v3 cWETHv3 (compound-finance/comet deployments/mainnet/weth/configuration.json
  at commit 63e98e5d): wstETH borrow CF 0.90, liquidate CF 0.93, liquidation factor 0.95,
  store front price factor 0.5, base borrow min 0.1 WETH; the base feed is WETH in ETH
  (1e8).
- Morpho Blue wstETH/WETH, LLTV 94.5% (morpho-org/sdks test fixtures, Ethereum market
  `eth_wstEth`: loan WETH, collateral wstETH, AdaptiveCurveIrm); the market's totals here
  (50,000 WETH supplied, 40,000 borrowed) are illustrative: they only set the shares'
  rounding.

Run: python3 examples/python/compare_protocols.py   (KEEL_LIBRARY if libkeel is not installed)
"""
from __future__ import annotations

import argparse
import math
from pathlib import Path
from typing import Dict

import keel
from keel import CostModel
from keel.aave import AaveAccount, AaveMarket
from keel.comet import CometAccount, CometMarket
from keel.morpho import MorphoMarket, MorphoPosition, convert
from keel.protocols import compare

DATA = Path(__file__).resolve().parents[1] / "data" / "aave-v3-ethereum-20231031.json"
E18 = 10**18
COLLATERAL, DEBT = 100 * E18, 80 * E18  # wstETH supplied, WETH borrowed


def venues() -> Dict[str, keel.protocols.Holding]:
    aave = AaveMarket.from_report(DATA, version="3.6")
    wst, weth = aave.reserve("wstETH").price, aave.reserve("WETH").price  # USD, 8 decimals
    plain = AaveAccount(aave)
    emode = AaveAccount(aave, emode=1)
    for a in (plain, emode):
        a.set_position("wstETH", supply=COLLATERAL)
        a.set_position("WETH", debt=DEBT)

    # cWETHv3: prices in ETH (8 decimals); wstETH at Aave's ratio, to the unit
    ratio8 = (wst * 10**8 + weth // 2) // weth
    comet = CometMarket("WETH", decimals=18, price=10**8, store_front_price_factor=5 * 10**17,
                        base_borrow_min=E18 // 10, target_reserves=5000 * E18,
                        total_supply_base=50_000 * E18, total_borrow_base=40_000 * E18 + DEBT,
                        base_balance=10_000 * E18)
    comet.add_asset("wstETH", decimals=18, price=ratio8, borrow_collateral_factor=90 * 10**16,
                    liquidate_collateral_factor=93 * 10**16, liquidation_factor=95 * 10**16,
                    supply_cap=64_500 * E18, total_supply_asset=20_000 * E18,
                    balance=20_000 * E18)
    c = CometAccount(comet, principal=-DEBT)  # indexes at 1: principal = balance
    c.set_collateral("wstETH", COLLATERAL)

    # Morpho: the oracle's price of one wstETH-wei in WETH-wei, times 10^36
    totals = dict(total_supply_assets=50_000 * E18, total_supply_shares=50_000 * E18 * 10**6,
                  total_borrow_assets=40_000 * E18, total_borrow_shares=40_000 * E18 * 10**6)
    morpho = MorphoMarket("WETH", "wstETH", lltv=945 * 10**15,
                          price=(wst * 10**36 + weth // 2) // weth, **totals)
    shares = convert("to_shares_up", DEBT, totals["total_borrow_assets"],
                     totals["total_borrow_shares"])
    morpho.set_state(total_borrow_assets=totals["total_borrow_assets"] + DEBT,
                     total_borrow_shares=totals["total_borrow_shares"] + shares)
    m = (morpho, MorphoPosition(0, shares, COLLATERAL))
    return {"Aave v3": plain, "Aave v3, e-mode 1": emode, "Compound v3 cWETHv3": c,
            "Morpho wstETH/WETH 94.5%": m}


def costs(market: keel.Market) -> CostModel:
    """Selling wstETH for WETH: 1 bp fee and 2 bp half-spread (a deep pair)."""
    c = CostModel()
    c.set_fee(market.find("wstETH"), bps=1.0, half_spread_bps=2.0)
    return c


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    v = venues()
    rows = compare(v, "wstETH", "WETH", target=1.5, costs=costs)
    aave = v["Aave v3"]
    assert isinstance(aave, AaveAccount)
    spot = aave.market.reserve("wstETH").price / aave.market.reserve("WETH").price
    print(f"100 wstETH against 80 WETH; wstETH = {spot:.6f} ETH (Aave's oracle, 2023-10-31)\n")
    print(f"{'venue':26} {'HF':>7} {'liq. price':>10} {'depeg':>7} {'first liquidation':>32}"
          f" {'penalty':>9} {'to HF 1.5':>10}")
    for r in rows:
        first = f"takes {r.collateral_taken:7.3f} wstETH, clears {r.debt_cleared:6.2f}"
        cost = "infeasible" if r.deleverage_cost is None else f"{r.deleverage_cost:.4f}"
        lp = math.nan if r.liquidation_price is None else r.liquidation_price
        print(f"{r.venue:26} {r.health_factor:7.4f} {lp:10.6f} "
              f"{1 - lp / spot:7.2%} {first:>32} "
              f"{r.penalty:6.3f} ({r.penalty_rate:5.2%}) {cost:>10}")
    print("\nliq. price and depeg: wstETH/ETH at which the position becomes liquidatable; "
          "penalty and costs in WETH.")


if __name__ == "__main__":
    main()
