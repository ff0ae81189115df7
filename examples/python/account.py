#!/usr/bin/env python3
"""The README account from Python: metrics and liquidation prices of an
Aave-like account (ETH, WBTC and USDC collateral; USDC debt)."""

import keel


def main() -> None:
    with keel.Market() as m, keel.HaircutModel() as h, keel.Basket() as b:
        eth = m.add_asset("ETH", 3000.0)
        wbtc = m.add_asset("WBTC", 95000.0)
        usdc = m.add_asset("USDC", 1.0)
        # haircut = 1 - LTV, 1 - liquidation threshold (Aave v3-shaped)
        h.set_asset(eth, initial=1 - 0.805, maintenance=1 - 0.83)
        h.set_asset(wbtc, initial=1 - 0.73, maintenance=1 - 0.78)
        h.set_asset(usdc, initial=1 - 0.75, maintenance=1 - 0.78)
        b.set_collateral(eth, 25.0)
        b.set_collateral(wbtc, 0.8)
        b.set_collateral(usdc, 20000.0)
        b.set_debt(usdc, 95000.0)

        met = b.metrics(m, h)
        print(f"health factor {met.health_factor:.4f}, LTV {met.ltv:.4f}, "
              f"free borrowing power {met.free_borrowing_power:,.2f}")
        for asset in (eth, wbtc, usdc):
            lp = b.liquidation_price(m, h, asset)
            print(f"  {m.symbol(asset):5s} spot {m.price(asset):>10,.2f}  "
                  f"liquidatable {lp.side} {lp.price:,.4f}")


if __name__ == "__main__":
    main()
