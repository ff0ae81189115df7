#!/usr/bin/env python3
"""Pictures of a policy choice: liquidation probability against rebalancing
cost for several policies and band widths (the frontier a risk team picks
from), and a fan chart of the health factor over time under one policy.

    python3 examples/python/policy_frontier.py [--paths 1000] [--steps 60] [--out .]
    python3 examples/python/policy_frontier.py --full     # 10,000 paths

Writes policy_frontier.png and health_fan.png. Every point is a keel
Simulation on the same paths (same seed), so the differences are the
policies', not the noise's. The default run (1,000 paths) takes about 20 s
of CPU, most of it in the three predictive policies, which price a
liquidation probability at every step (a minute or two of wall time on two
busy shared cores); --full takes about ten times that (measured: 189 s of
CPU, 16 minutes of wall time with the two cores shared by other jobs).
A progress bar goes to stderr (Debian: python3-tqdm). Debian: apt-get
install python3-matplotlib.

The probability axis is logarithmic with one standard error, sqrt(p (1 - p) / n),
either side; a policy with no liquidated path of n has no standard error: it is
drawn at the 95% upper bound 3 / n (the "rule of three": (1 - 3/n)^n ~ e^-3 = 5%)
as a downward marker, meaning "below this".
"""

import argparse
import pathlib
import sys
from typing import Any, Dict, List, Optional, Sequence, Tuple

import keel

ETH_PRICE, WBTC_PRICE, DEBT = 2000.0, 60000.0, 42000.0
ETH_QTY, WBTC_QTY = 20.0, 0.5
ETH_VOL, WBTC_VOL, CORR = 0.8, 0.6, 0.7
ETH_HAIRCUT, WBTC_HAIRCUT = 0.17, 0.22  # maintenance (1 - liquidation threshold)


def setup() -> Tuple[keel.Market, keel.HaircutModel, keel.CostModel, keel.Basket, int, int]:
    m, h, c = keel.Market(), keel.HaircutModel(), keel.CostModel()
    eth = m.add_asset("ETH", ETH_PRICE)
    wbtc = m.add_asset("WBTC", WBTC_PRICE)
    usdc = m.add_asset("USDC", 1.0)
    m.set_volatility(eth, ETH_VOL)
    m.set_volatility(wbtc, WBTC_VOL)
    m.set_correlation(eth, wbtc, CORR)
    h.set_asset(eth, initial=0.195, maintenance=ETH_HAIRCUT)
    h.set_asset(wbtc, initial=0.27, maintenance=WBTC_HAIRCUT)
    h.set_asset(usdc, initial=0.25, maintenance=0.22)
    c.set_fee(eth, bps=5)
    c.set_sqrt_impact(eth, y=0.7, volume=2e8)
    c.set_fee(wbtc, bps=8)
    b = keel.Basket()
    b.set_collateral(eth, ETH_QTY)
    b.set_collateral(wbtc, WBTC_QTY)
    b.set_debt(usdc, DEBT)  # HF (20 x 2000 x 0.83 + 0.5 x 60000 x 0.78) / 42000 = 1.3476
    return m, h, c, b, eth, usdc


def policies(eth: int, usdc: int) -> List[Tuple[str, str, Optional[keel.Policy]]]:
    """(family, label, policy or None) for the frontier."""
    out: List[Tuple[str, str, Optional[keel.Policy]]] = [("hold", "hold", None)]
    for trigger, target in ((1.05, 1.15), (1.1, 1.25), (1.15, 1.35), (1.2, 1.5), (1.3, 1.7)):
        out.append(("health band", f"{trigger}\u2192{target}",
                    keel.Policy.health_band(repay_below=trigger, repay_to=target,
                                            boost_to=max(target, 1.7), boost_above=3.0,
                                            debt_asset=usdc)))
    for limit in (0.2, 0.05, 0.01):
        out.append(("predictive", f"P<{limit:.0%}/3d",
                    keel.Policy.predictive(horizon=3 / 365, max_probability=limit,
                                           repay_asset=usdc)))
    for target, top in ((3.5, 4.5), (3.0, 3.6), (2.5, 3.0)):
        out.append(("leverage band", f"{target}x",
                    keel.Policy.leverage_band(asset=eth, debt_asset=usdc, target=target,
                                              min=1.0, max=top, ripcord=top + 1.0)))
    return out


class Progress:
    """A tqdm bar of simulation runs on stderr, moved along within each run by keel's
    progress callback; plain lines on stderr when tqdm is not installed."""

    def __init__(self, total: int, desc: str) -> None:
        self.n, self.total, self.desc = 0, total, desc
        self.bar: Any = None
        try:
            from tqdm import tqdm
            self.bar = tqdm(total=total, desc=desc, unit="run", file=sys.stderr,
                            bar_format="{l_bar}{bar}| {n:.1f}/{total} runs "
                                       "[{elapsed}<{remaining}{postfix}]")
        except ImportError:
            self.bar = None

    def run(self, sim: keel.Simulation, n: int, what: str) -> keel.SimStats:
        """sim.run(0, n) with the bar following it."""
        if self.bar is None:
            print(f"{self.desc} {self.n + 1}/{self.total}: {what}", file=sys.stderr, flush=True)
            stats = sim.run(0, n)
        else:
            self.bar.set_postfix_str(what)
            start = self.bar.n

            def moved(fraction: float) -> bool:
                self.bar.update(start + fraction - self.bar.n)
                return False  # keep running

            stats = sim.run(0, n, progress=moved)
            self.bar.update(start + 1 - self.bar.n)
        self.n += 1
        return stats

    def print(self, line: str) -> None:
        if self.bar is not None:
            self.bar.write(line, file=sys.stdout)
        else:
            print(line, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def place_labels(ax: Any, points: Sequence[Tuple[float, float, str]], avoid: Sequence[Any] = (),
                 fontsize: float = 7.5) -> None:
    """Puts each label next to its point where it overlaps no other label, no
    marker and stays inside the axes: candidate offsets are tried nearest
    first, in eight directions; a label set further out gets a leader line."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData.transform
    markers: List[Tuple[float, float, float, float]] = []
    for x, y, _ in points:
        px, py = to_px((x, y))
        markers.append((px - 6, py - 6, px + 6, py + 6))
    frame = ax.get_window_extent(renderer)
    taken: List[Any] = [tuple(a.get_window_extent(renderer).extents) for a in avoid]

    def free(b: Any) -> bool:
        if b.x0 < frame.x0 + 2 or b.x1 > frame.x1 - 2 or b.y0 < frame.y0 + 2 or b.y1 > frame.y1 - 2:
            return False
        boxes = taken + markers
        return not any(b.x0 < x1 and b.x1 > x0 and b.y0 < y1 and b.y1 > y0
                       for x0, y0, x1, y1 in boxes)

    dpi_scale = fig.dpi / 72.0
    directions = [(1, 0.4), (1, -0.9), (-1, 0.4), (-1, -0.9), (0, 1.2), (0, -1.6),
                  (1, 1.4), (-1, 1.4), (1, -1.9), (-1, -1.9)]
    for x, y, text in points:
        best: Optional[Tuple[Any, Any, int]] = None
        for radius in (5, 12, 22, 34, 48):
            for dx, dy in directions:
                ha = "left" if dx > 0 else "right" if dx < 0 else "center"
                t = ax.annotate(text, (x, y), xytext=(dx * radius, dy * radius),
                                textcoords="offset points", fontsize=fontsize, ha=ha,
                                va="center")
                bb = t.get_window_extent(renderer)
                if free(bb):
                    best = (t, bb, radius)
                    break
                t.remove()
            if best:
                break
        if best is None:  # nowhere free: the first spot, with a leader line
            t = ax.annotate(text, (x, y), xytext=(8, 8), textcoords="offset points",
                            fontsize=fontsize)
            best = (t, t.get_window_extent(renderer), 99)
        t, bb, radius = best
        if radius * dpi_scale > 14:
            t.arrow_patch = None
            t.remove()
            pos = t.xyann
            t = ax.annotate(text, (x, y), xytext=pos, textcoords="offset points",
                            fontsize=fontsize, ha=t.get_ha(), va="center",
                            arrowprops=dict(arrowstyle="-", lw=0.5, color="0.5",
                                            shrinkA=0, shrinkB=4))
        taken.append((bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1))


def frontier_plot(rows: List[Dict[str, Any]], n: int, steps: int, hf0: float,
                  path: pathlib.Path) -> None:
    import matplotlib.ticker
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    bound = 3.0 / n
    style = {"hold": ("k", "s"), "health band": ("C0", "o"), "predictive": ("C1", "^"),
             "leverage band": ("C2", "D")}
    fig, ax = plt.subplots(figsize=(10, 6.2))
    labels: List[Tuple[float, float, str]] = []
    for family, (color, marker) in style.items():
        pts = [r for r in rows if r["family"] == family]
        if not pts:
            continue
        xs = [r["cost"] for r in pts]
        ys = [r["p"] if r["k"] > 0 else bound for r in pts]
        if len(pts) > 1:
            ax.plot(xs, ys, "-", color=color, lw=0.9, alpha=0.6)
        for r, x, y in zip(pts, xs, ys):
            if r["k"] > 0:
                lo = min(r["se"], y - bound / 10)  # the log axis stops at 3/(10 n)
                ax.errorbar([x], [y], yerr=[[lo], [r["se"]]], fmt=marker, color=color,
                            ms=6, capsize=3, lw=1)
            else:
                ax.plot([x], [y], marker="v", color=color, ms=9, mfc="white", mew=1.5)
                ax.annotate("", (x, y / 2.2), xytext=(x, y / 1.12),
                            arrowprops=dict(arrowstyle="->", color=color, lw=1.1))
            labels.append((x, y, r["label"]))
    ax.axhline(bound, color="0.6", ls=":", lw=0.8)
    xs = [r["cost"] for r in rows]
    if min(xs) > 0:
        ax.set_xscale("log")
        ax.set_xlim(min(xs) / 1.6, max(xs) * 1.6)
    else:  # a policy that cost nothing (a short run): linear up to 1 USDC, log above
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_xlim(-0.1, max(1.0, max(xs)) * 1.6)
    ax.set_yscale("log")
    ax.set_ylim(bound / 10, 1.0)
    ax.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{100 * v:g}%"))
    if min(xs) > 0:
        ax.xaxis.set_major_locator(matplotlib.ticker.LogLocator(base=10, subs=(1, 2, 5)))
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlabel("mean cost per path: rebalancing trades + liquidation bonuses lost (USDC, "
                  + ("log)" if min(xs) > 0 else "linear below 1, log above)"))
    ax.set_ylabel(f"P(at least one liquidation in {steps} days) (log)")
    ax.set_title(f"Policy frontier: 20 ETH (2,000) + 0.5 WBTC (60,000) against 42,000 USDC, "
                 f"HF {hf0:.2f}\nliquidation haircuts ETH 17%, WBTC 22%; volatility ETH 80%, "
                 f"WBTC 60%, correlation 0.7; {n:,} paths x {steps} days", fontsize=10)
    handles = [Line2D([], [], color=c, marker=mk, ls="-", lw=0.9, label=f)
               for f, (c, mk) in style.items()]
    handles += [Line2D([], [], color="0.3", marker="|", ls="", ms=10,
                       label="\u00b11 standard error, \u221a(p(1\u2212p)/n)"),
                Line2D([], [], color="0.3", marker="v", mfc="white", ls="", ms=8,
                       label=f"0 of {n:,} liquidated: below the\n95% bound 3/n = {bound:.2%}"),
                Line2D([], [], color="0.6", ls=":", label="3/n")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False)
    ax.grid(True, which="major", lw=0.3, alpha=0.5)
    note = ax.text(0.99, 0.015, "better: lower (safer) and further left (cheaper)",
                   transform=ax.transAxes, ha="right", va="bottom", fontsize=8, color="0.35",
                   style="italic")
    fig.tight_layout()
    place_labels(ax, labels, avoid=[note])
    fig.savefig(path, dpi=120)
    plt.close(fig)


def fan_plot(days: List[int], fan: Dict[float, List[float]], trigger: float, target: float,
             hf0: float, n: int, path: pathlib.Path) -> None:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.6))
    ax.fill_between(days, fan[0.05], fan[0.95], alpha=0.22, color="C0", lw=0,
                    label="5-95% of paths")
    ax.fill_between(days, fan[0.25], fan[0.75], alpha=0.45, color="C0", lw=0,
                    label="25-75% of paths")
    ax.plot(days, fan[0.5], color="C0", label="median")
    ax.axhline(target, color="C2", lw=1.0, ls="-.", label=f"repay target {target}")
    ax.axhline(trigger, color="0.4", lw=1.0, ls="--", label=f"repay trigger {trigger}")
    ax.axhline(1.0, color="red", lw=1.0, label="liquidation (HF 1)")
    ax.set_xlim(0, days[-1])
    ax.set_xlabel("day")
    ax.set_ylabel("health factor")
    ax.set_title(f"Health factor under a {trigger} \u2192 {target} health band, from HF "
                 f"{hf0:.2f} on day 0\n(the account of policy_frontier.png; {n:,} paths; "
                 f"repaid when HF < {trigger})", fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.grid(True, lw=0.3, alpha=0.5)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=None,
                    help="paths per policy (default 1,000; 10,000 with --full)")
    ap.add_argument("--steps", type=int, default=60, help="days per path (default 60)")
    ap.add_argument("--full", action="store_true", help="the full run: 10,000 paths")
    ap.add_argument("--out", default=".")
    args = ap.parse_args(argv)
    n = args.paths or (10000 if args.full else 1000)
    import matplotlib
    matplotlib.use("Agg")

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    m, h, c, b, eth, usdc = setup()
    hf0 = b.metrics(m, h).health_factor
    pols = policies(eth, usdc)
    fan_days = sorted(set(range(1, args.steps + 1, max(1, args.steps // 20))) | {args.steps})
    print(f"account: 20 ETH + 0.5 WBTC against 42,000 USDC, HF {hf0:.4f}; "
          f"{n:,} paths x {args.steps} days per policy")
    print(f"{'family':14s} {'policy':12s} {'liquidated':>14s} {'P':>8s} {'s.e.':>7s} "
          f"{'cost':>9s} {'bonus lost':>10s}")
    bar = Progress(len(pols) + len(fan_days), "simulations")
    rows: List[Dict[str, Any]] = []
    for family, label, pol in pols:
        sim = keel.Simulation(m, b, h, c, pol, steps=args.steps, seed=2026)
        s = bar.run(sim, n, label).summary
        k = round(s.liquidation_probability * s.paths)
        rows.append(dict(family=family, label=label, k=k, p=s.liquidation_probability,
                         se=s.liquidation_probability_se,
                         cost=s.mean_rebalance_cost + s.mean_bonus_lost))
        p = (f"{s.liquidation_probability:8.4f} {s.liquidation_probability_se:7.4f}" if k
             else f"{'< ' + format(3 / n, '.4f'):>8s} {'(95%)':>7s}")
        line = (f"{family:14s} {label:12s} {k:>6,d} of {s.paths:<,d} {p} "
                f"{s.mean_rebalance_cost:9.2f} {s.mean_bonus_lost:10.2f}")
        bar.print(line)

    frontier_plot(rows, n, args.steps, hf0, out / "policy_frontier.png")

    # the fan: the paths of a run of t steps are the first t steps of longer runs (same
    # seed), so each day's quantiles come from a run that stops that day; day 0 is the
    # account as it stands (the band does not act above its trigger)
    trigger, target = 1.15, 1.35
    band = keel.Policy.health_band(repay_below=trigger, repay_to=target, debt_asset=usdc)
    qs = (0.05, 0.25, 0.5, 0.75, 0.95)
    days, fan = [0], {q: [hf0] for q in qs}
    for t in fan_days:
        st = bar.run(keel.Simulation(m, b, h, c, band, steps=t, seed=2026), n, f"fan day {t}")
        days.append(t)
        for q in qs:
            fan[q].append(st.percentile("final_health", q))
    bar.close()
    fan_plot(days, fan, trigger, target, hf0, n, out / "health_fan.png")
    print(f"wrote {out / 'policy_frontier.png'} and {out / 'health_fan.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
