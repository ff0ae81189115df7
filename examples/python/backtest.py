#!/usr/bin/env python3
"""A backtest from Python: the same account held, and under a health band,
over 1,000 simulated 30-day paths; the liquidation probability, costs and
percentiles; then the run cut into shards and merged, equal to one run; and
a liquidations-at-risk curve over a small book of accounts."""

import numpy as np

import keel


def main() -> None:
    m = keel.Market()
    eth, usdc = m.add_asset("ETH", 2000.0), m.add_asset("USDC", 1.0)
    m.set_volatility(eth, 0.8)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.195, maintenance=0.17)
    c = keel.CostModel()
    c.set_fee(eth, bps=5)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12500.0)  # HF 1.328
    band = keel.Policy.health_band(repay_below=1.25, repay_to=1.45, debt_asset=usdc)
    for name, pol in (("hold", None), ("health band 1.25 -> 1.45", band)):
        st = keel.Simulation(m, b, h, c, pol, steps=30, seed=7).run(0, 1000)
        s = st.summary
        if s.liquidation_probability > 0:
            p = (f"{s.liquidation_probability:.3f} (+- {s.liquidation_probability_se:.3f} "
                 f"standard error)")
        else:  # no standard error from 0 of n: the 95% bound (rule of three) instead
            p = f"0 of {s.paths} paths (95% bound {3 / s.paths:.3f})"
        print(f"{name:26s} P(liquidation) {p}, cost {s.mean_rebalance_cost:7.2f}, "
              f"bonus lost {s.mean_bonus_lost:7.2f}, 5% min HF {st.percentile('min_health', 0.05):.3f}")
    sim = keel.Simulation(m, b, h, c, band, steps=30, seed=7)
    shards = [sim.run(i * 250, 250) for i in range(4)]
    merged = shards[3].merge(shards[0]).merge(shards[2]).merge(shards[1])
    print("merged shards equal one run:", merged.summary == sim.run(0, 1000).summary)

    # Liquidations at risk over a small book: 10, 5 and 2 ETH against 12,500, 5,000 and
    # 3,000 USDC (HF 1.33, 1.66, 1.11 at 2,000). For each uniform fall of ETH, the
    # collateral value -- in USDC, at the fallen price -- of the accounts then liquidatable
    # (HF < 1). The count of such accounts only grows with the fall, but the value is not
    # monotone: between two account crossings the same ETH is worth less at a lower price
    # (-10% -> -20%: the same 2 ETH, 3,600 -> 3,200 USDC). The ETH column, value / price,
    # is monotone.
    offsets = np.array([0, 2, 4, 6], dtype=np.uintp)
    assets = np.array([eth, usdc] * 3, dtype=np.uint32)
    coll = np.array([10.0, 0, 5.0, 0, 2.0, 0])
    debt = np.array([0, 12500.0, 0, 5000.0, 0, 3000.0])
    shocks = np.linspace(0, -0.5, 6)
    curve = keel.liquidations_at_risk(m, h, offsets, assets, coll, debt, shocks)
    print("\nliquidations at risk: 10, 5, 2 ETH against 12,500, 5,000, 3,000 USDC")
    print("  ETH move  ETH price  accounts liquidatable  collateral at risk (USDC)  (ETH)")
    spot = m.price(eth)
    for shock, value in zip(shocks, curve):
        price = spot * (1 + shock)
        m.set_price(eth, price)  # the count, by a scan of the book at the moved price
        count = int((keel.scan(m, h, offsets, assets, coll, debt) < 1).sum())
        print(f"  {shock:+8.0%}  {price:9,.0f}  {count:21d}  {value:25,.0f}  {value / price:5.1f}")
    m.set_price(eth, spot)
    print("  (the USDC value is taken at the moved price: it falls between crossings)")

if __name__ == "__main__":
    main()
