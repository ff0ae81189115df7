#!/usr/bin/env python3
"""Pictures of a policy choice: liquidation probability against rebalancing
cost for several policies and band widths (the frontier a risk team picks
from), and a fan chart of the health factor over time under one policy.

    python3 examples/python/policy_frontier.py [--paths 2000] [--steps 60] [--out .]

Writes policy_frontier.png and health_fan.png. Every point is a keel
Simulation on the same paths (same seed), so the differences are the
policies', not the noise's. Debian: apt-get install python3-matplotlib.
"""

import argparse
import pathlib

import keel


def setup():
    m, h, c = keel.Market(), keel.HaircutModel(), keel.CostModel()
    eth = m.add_asset("ETH", 2000.0)
    wbtc = m.add_asset("WBTC", 60000.0)
    usdc = m.add_asset("USDC", 1.0)
    m.set_volatility(eth, 0.8)
    m.set_volatility(wbtc, 0.6)
    m.set_correlation(eth, wbtc, 0.7)
    h.set_asset(eth, initial=0.195, maintenance=0.17)
    h.set_asset(wbtc, initial=0.27, maintenance=0.22)
    h.set_asset(usdc, initial=0.25, maintenance=0.22)
    c.set_fee(eth, bps=5)
    c.set_sqrt_impact(eth, y=0.7, volume=2e8)
    c.set_fee(wbtc, bps=8)
    b = keel.Basket()
    b.set_collateral(eth, 20.0)
    b.set_collateral(wbtc, 0.5)
    b.set_debt(usdc, 42000.0)  # HF about 1.2
    return m, h, c, b, eth, usdc


def policies(eth, usdc):
    """(family, label, policy or None) for the frontier."""
    out = [("hold", "hold", None)]
    for trigger, target in ((1.05, 1.15), (1.1, 1.25), (1.15, 1.35), (1.2, 1.5), (1.3, 1.7)):
        out.append(("health band", f"{trigger}->{target}",
                    keel.Policy.health_band(repay_below=trigger, repay_to=target,
                                            boost_to=max(target, 1.7), boost_above=3.0,
                                            debt_asset=usdc)))
    for limit in (0.2, 0.05, 0.01):
        out.append(("predictive", f"{limit:.0%} in 3 days",
                    keel.Policy.predictive(horizon=3 / 365, max_probability=limit,
                                           repay_asset=usdc)))
    for target, top in ((3.5, 4.5), (3.0, 3.6), (2.5, 3.0)):
        out.append(("leverage band", f"{target}x",
                    keel.Policy.leverage_band(asset=eth, debt_asset=usdc, target=target,
                                              min=1.0, max=top, ripcord=top + 1.0)))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--out", default=".")
    args = ap.parse_args(argv)
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    m, h, c, b, eth, usdc = setup()
    points = {}
    for family, label, pol in policies(eth, usdc):
        s = keel.Simulation(m, b, h, c, pol, steps=args.steps, seed=2026).run(0, args.paths).summary
        points.setdefault(family, []).append((s.mean_rebalance_cost + s.mean_bonus_lost,
                                              s.liquidation_probability, label))
        print(f"{family:14s} {label:14s} P(liquidation) {s.liquidation_probability:.4f}  "
              f"cost {s.mean_rebalance_cost:9.2f}  bonus lost {s.mean_bonus_lost:9.2f}")

    fig, ax = plt.subplots(figsize=(7, 5))
    for family, pts in points.items():
        xs, ys, labels = zip(*pts)
        ax.plot(xs, ys, "o-" if len(pts) > 1 else "s", label=family)
        for x, y, lab in pts:
            ax.annotate(lab, (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points")
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xlabel("mean cost per path: rebalancing + liquidation bonuses (USDC)")
    ax.set_ylabel("probability of at least one liquidation")
    ax.set_title(f"policy frontier, {args.paths} paths x {args.steps} days")
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "policy_frontier.png", dpi=120)

    # the fan: the paths of a run of t steps are the first t steps of longer runs
    band = keel.Policy.health_band(repay_below=1.15, repay_to=1.35, debt_asset=usdc)
    qs = (0.05, 0.25, 0.5, 0.75, 0.95)
    days, fan = [], {q: [] for q in qs}
    for t in range(1, args.steps + 1, max(1, args.steps // 20)):
        st = keel.Simulation(m, b, h, c, band, steps=t, seed=2026).run(0, args.paths)
        days.append(t)
        for q in qs:
            fan[q].append(st.percentile("final_health", q))
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.fill_between(days, fan[0.05], fan[0.95], alpha=0.25, label="5-95%")
    ax.fill_between(days, fan[0.25], fan[0.75], alpha=0.45, label="25-75%")
    ax.plot(days, fan[0.5], label="median")
    ax.axhline(1.0, color="red", lw=0.8, label="liquidation")
    ax.axhline(1.15, color="grey", lw=0.8, ls="--", label="repay trigger")
    ax.set_xlabel("day")
    ax.set_ylabel("health factor")
    ax.set_title("health factor under a 1.15 -> 1.35 health band")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "health_fan.png", dpi=120)
    print(f"wrote {out / 'policy_frontier.png'} and {out / 'health_fan.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
