#!/usr/bin/env python3
"""Monte Carlo against history: the probability that an Aave v3 ETH account is
liquidated within 30 days, simulated by keel with GARCH(1,1) volatility fitted
on ETH's daily history, against how often the same history would have
liquidated it.

    python3 examples/python/mc_vs_history.py [--paths 100000] [--out .]
        [--first 2018-01-01] [--last 2024-12-31] [--levels 1.1,1.25,1.5,1.75,2,2.5,3]

The account: 100 ETH against USDC at health factor h0 at the start, WETH's
Aave v3 liquidation threshold (83%), held 30 days (no policy). Its HF is
h0 P / P0, so it is liquidated when ETH falls to P0 / h0: a fall of
1 - 1/h0 (9.1% at h0 = 1.1, 33.3% at 1.5, 50% at 2).

- GARCH(1,1) by maximum likelihood (keel.garch_fit) on the daily log returns
  of examples/data/eth_usdt_daily.csv dated --first .. --last, normal
  innovations. The Student-t fit of the same returns is integrated
  (alpha + beta = 1): it has no long-run variance and keel refuses to drive
  paths with it (a stationary GARCH is needed); the simulation draws normal
  innovations anyway.
- Monte Carlo (keel.Simulation, 30 daily steps, liquidation on each day's
  close; the market's volatility 0, so only the GARCH moves ETH:
  set_volatility(eth, "garch", ..., drives=True)); no drift (the price is a
  martingale) unless stated:
  * "GARCH, filtered": each simulated path starts from the filtered GARCH
    variance of one historical start day (the same number of paths from every
    day), so the paths see the regimes history saw -- the like-for-like
    comparison with the historical frequency below (its standard error is
    the binomial one, an upper bound for such a stratified sample);
  * "GARCH + drift": the same, with the sample's mean log return (hindsight);
  * "GARCH, long-run": every path starts at omega / (1 - alpha - beta);
  * "GBM": constant volatility at the sample's (root mean square of the
    returns), no GARCH: what volatility clustering changes.
- History: for every start day d from --first to 30 days before --last, the
  account opened at d's close P0 is liquidated if a close (or a low) of days
  d+1 .. d+30 is at or below P0 / h0. The windows overlap (consecutive ones
  share 29 days), so they are far from independent: the standard error
  printed uses about N / 30 windows, and the disjoint windows (every 30th
  start) are counted too.

The Monte Carlo checks on days' closes only, as the close-only history does;
the lows show what a daily model misses. Every account of a model runs on the
same paths (same seed and path indexes): the lowest price of each path, from
one run of an account no path liquidates, gives the curve drawn, and the
example checks it against keel's own count of liquidated paths at each level.

Writes mc_vs_history.png (probability against the starting HF). Progress on
stderr. About 15 s on two shared cores with the defaults. Debian: python3-numpy, python3-pandas, python3-matplotlib,
python3-tqdm (optional).
"""

import argparse
import math
import pathlib
import sys
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

import keel

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "eth_usdt_daily.csv"
HORIZON = 30          # days
THRESHOLD = 0.83      # WETH's Aave v3 liquidation threshold
ETH_UNITS = 100.0
P0 = 2000.0           # the Monte Carlo is scale-free: any start price gives the same answer
REF_HF = 1000.0       # an account that no path liquidates: its lowest HF / REF_HF is min P / P0
SEED = 2024
T0 = time.perf_counter()


def note(msg: str) -> None:
    print(f"[{time.perf_counter() - T0:6.1f} s] {msg}", file=sys.stderr, flush=True)


def bar(iterable: Any, total: int, desc: str) -> Any:
    try:
        from tqdm import tqdm
    except ImportError:  # optional (Debian: python3-tqdm)
        return iterable
    return tqdm(iterable, total=total, desc=desc, unit="day", leave=False)


# ---- data and fit ----

def load(first: str, last: str) -> Tuple[Any, Any, Any, int, int, Any]:
    df = pd.read_csv(DATA, parse_dates=["date"], index_col="date")
    i, j = df.index.get_loc(pd.Timestamp(first)), df.index.get_loc(pd.Timestamp(last))
    if i < 1 or j - i < HORIZON + 50:
        raise SystemExit(f"need a day before {first} and more than {HORIZON + 50} days")
    close, low = df["close"].to_numpy(), df["low"].to_numpy()
    returns = np.log(close[i:j + 1] / close[i - 1:j])  # the returns dated first .. last
    return df.index, close, low, i, j, returns


def filtered_variances(fit: keel.GarchFit, returns: Any) -> Any:
    """h_t along the sample (keel.Garch from the backcast): h[k] is the variance of the
    return of day first + k, so h[k + 1] is the forecast at day first + k's close."""
    g = keel.Garch(fit.omega, fit.alpha, fit.beta, variance=fit.initial_variance)
    h = np.array([g.variance] + [g.update(r) for r in returns])
    assert abs(h[-1] / fit.last_variance - 1) < 1e-12  # the fit's own recursion
    return h


# ---- history ----

def history(close: Any, low: Any, starts: Any) -> Tuple[Any, Any, Any]:
    """P0 (the close of start day d), and the lowest close and the lowest low of days
    d+1 .. d+30, for each start day d."""
    win = np.lib.stride_tricks.sliding_window_view
    return (close[starts], win(close, HORIZON)[starts + 1].min(axis=1),
            win(low, HORIZON)[starts + 1].min(axis=1))


# ---- Monte Carlo ----

class Account:
    def __init__(self) -> None:
        self.m = keel.Market()
        self.eth, self.usdc = self.m.add_asset("ETH", P0), self.m.add_asset("USDC", 1.0)
        self.m.set_volatility(self.eth, 0.0)
        self.h = keel.HaircutModel()
        self.h.set_asset(self.eth, initial=0.195, maintenance=1 - THRESHOLD)  # WETH: LTV 80.5%
        self.c = keel.CostModel()

    def simulation(self, hf0: float, *, vol: float = 0.0, garch: Optional[keel.GarchFit] = None,
                   variance: Optional[float] = None, drift: float = 0.0) -> keel.Simulation:
        self.m.set_volatility(self.eth, vol)  # Simulation copies the market
        b = keel.Basket()
        b.set_collateral(self.eth, ETH_UNITS)
        b.set_debt(self.usdc, ETH_UNITS * P0 * THRESHOLD / hf0)
        sim = keel.Simulation(self.m, b, self.h, self.c, None, steps=HORIZON, dt=1 / 365,
                              seed=SEED)
        if garch is not None:
            sim.set_volatility(self.eth, "garch", omega=garch.omega, alpha=garch.alpha,
                               beta=garch.beta, period=1 / 365, initial_variance=variance,
                               drives=True)
        if drift:
            sim.set_drift(self.eth, drift)
        return sim


def monte_carlo(acc: Account, levels: Sequence[float],
                chunks: Sequence[Tuple[int, int, Optional[float]]], progress: bool,
                **model: Any) -> Tuple[Any, int, Any]:
    """Runs each chunk (first path, paths, initial variance) at each HF level and once
    at REF_HF. Returns (liquidated paths per level, paths, min P / P0 of every path).
    The paths do not depend on the account (same seed, same path indexes), so the
    lowest price of the REF_HF run decides every level: the per-level counts are
    checked against it."""
    counts = np.zeros(len(levels), dtype=np.int64)
    parts: List[Any] = []
    n = 0
    it = bar(chunks, len(chunks), "start days") if progress and len(chunks) > 1 else chunks
    for first, count, variance in it:
        big = len(chunks) == 1  # one long run: a tqdm bar of paths
        st = acc.simulation(REF_HF, variance=variance, **model).run(first, count, progress=big)
        assert not st.values("liquidations").any()
        parts.append(st.values("min_health") / REF_HF)
        for k, hf0 in enumerate(levels):
            st = acc.simulation(hf0, variance=variance, **model).run(first, count)
            counts[k] += np.count_nonzero(st.values("liquidations"))
        n += count
    ratios = np.concatenate(parts)
    for k, hf0 in enumerate(levels):
        if counts[k] != np.count_nonzero(ratios * hf0 < 1.0):
            raise SystemExit(f"HF {hf0}: {counts[k]} paths liquidated, but "
                             f"{np.count_nonzero(ratios * hf0 < 1.0)} fell below P0 / h0")
    return counts, n, ratios


# ---- output ----

def cell(p: float, se: float) -> str:
    if p == 0:  # none seen: no standard error to speak of
        return f"{0:6.2f}   -- "
    if p < 0.001:
        return f"{100 * p:6.3f} ±{100 * se:5.3f}"
    return f"{100 * p:6.2f} ±{100 * se:4.2f}"


def picture(path: pathlib.Path, levels: Sequence[float], grid: Any, curves: Any, points: Any,
            neff: Any, title: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 6.4))
    styles = {
        "GARCH, filtered": dict(color="C0", lw=2.2),
        "GARCH + drift": dict(color="C0", lw=1.2, ls=(0, (5, 2))),
        "GARCH, long-run": dict(color="C1", lw=1.5, ls="--"),
        "GBM": dict(color="C2", lw=1.5, ls=":"),
        "history, closes": dict(color="black", lw=2.0, drawstyle="steps-post"),
        "history, lows": dict(color="C3", lw=2.0, drawstyle="steps-post"),
    }
    for name, y in curves.items():
        label = name
        if name.startswith("GARCH") or name == "GBM":
            label = f"Monte Carlo, {name}"
        ax.plot(grid, np.where(y > 0, y, np.nan), label=label, **styles[name])
    # what about neff independent windows can say: Wilson's interval (z = 2), which
    # stays inside (0, 1) and is not empty where none was seen
    p, z2 = curves["history, closes"], 4.0
    mid = (p + z2 / (2 * neff)) / (1 + z2 / neff)
    half = np.sqrt(z2 * p * (1 - p) / neff + z2 * z2 / (4 * neff * neff)) / (1 + z2 / neff)
    ax.fill_between(grid, np.maximum(mid - half, 1e-6), mid + half, color="black",
                    alpha=0.08, lw=0, step="post",
                    label=f"history, closes: Wilson interval, z = 2, {neff:.0f} windows")
    for name, (p, se) in points.items():
        st = styles[name]
        ax.errorbar(levels, p, yerr=2 * se, fmt="o", ms=4, color=st["color"], capsize=3,
                    elinewidth=1.2, zorder=5)
    ax.set_yscale("log")
    ax.set_ylim(1e-4, 1.0)
    ax.set_xlim(grid[0], grid[-1])
    ax.set_xlabel("health factor at the start, h0")
    ax.set_ylabel("probability of a liquidation within 30 days")
    ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(
        lambda v, _: f"{100 * v:g}%"))
    ax.grid(True, which="major", alpha=0.35)
    ax.grid(True, which="minor", alpha=0.12)
    top = ax.secondary_xaxis("top", functions=(lambda h: 100 * (1 - 1 / np.maximum(h, 1e-9)),
                                               lambda f: 1 / np.maximum(1 - f / 100, 1e-9)))
    top.set_xlabel("fall of ETH that liquidates, 1 - 1/h0 (%)")
    ax.set_title(title, fontsize=10)
    ax.legend(loc="lower left", fontsize=9, framealpha=0.92,
              title="Monte Carlo points: ±2 standard errors", title_fontsize=8.5)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main(argv: Any = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--paths", type=int, default=100_000,
                    help="Monte Carlo paths per model and HF level (default 100,000)")
    ap.add_argument("--out", default=".", help="directory for mc_vs_history.png")
    ap.add_argument("--first", default="2018-01-01", help="first return (and start day)")
    ap.add_argument("--last", default="2024-12-31", help="last return (and window end)")
    ap.add_argument("--levels", default="1.1,1.25,1.5,1.75,2,2.5,3",
                    help="starting health factors of the table")
    args = ap.parse_args(argv)
    levels = [float(x) for x in args.levels.split(",")]
    if args.paths < 1 or any(not h > 1 for h in levels):
        raise SystemExit("--paths must be >= 1 and every level above 1")

    dates, close, low, i, j, r = load(args.first, args.last)
    fit = keel.garch_fit(r)  # normal innovations, mean 0 (keel's defaults)
    lr = fit.long_run_variance
    h = filtered_variances(fit, r)
    starts = np.arange(i, j - HORIZON + 1)  # windows d+1 .. d+30 inside the period
    hstart = h[starts - i + 1]              # the variance forecast at each start's close
    def ann(v: float) -> float:
        return 100 * math.sqrt(365 * v)
    print(f"ETH/USDT daily closes (Binance), log returns {args.first} .. {args.last}: {len(r):,}")
    print("GARCH(1,1), normal innovations (keel.garch_fit), standard errors in parentheses:")
    print(f"  omega {fit.omega:.4e} ({fit.omega_se:.2e})  alpha {fit.alpha:.6f} "
          f"({fit.alpha_se:.4f})  beta {fit.beta:.6f} ({fit.beta_se:.4f})  "
          f"log-likelihood {fit.log_likelihood:.4f}")
    print(f"  persistence {fit.persistence:.5f}; long-run variance {lr:.4e} a day "
          f"({ann(lr):.1f}% a year); the returns' mean square {fit.initial_variance:.4e} "
          f"({ann(fit.initial_variance):.1f}% a year)")
    q = np.percentile(hstart, [1, 50, 99])
    print(f"  filtered variance at the {len(starts):,} start days: median {ann(q[1]):.1f}% a "
          f"year, 1%..99% {ann(q[0]):.1f}%..{ann(q[2]):.1f}%, mean {ann(hstart.mean()):.1f}%")
    tfit = keel.garch_fit(r, dist="t")
    try:
        Account().simulation(1.5, garch=tfit)
        why = "keel accepts it"
    except keel.OutOfRangeError as exc:
        why = f"keel refuses to drive paths with it ({exc})"
    print(f"Student-t fit: alpha + beta = {tfit.persistence:g}"
          f"{' (integrated)' if tfit.integrated else ''}, nu {tfit.nu:.2f}: no long-run "
          f"variance, {why}")

    print(f"\nAccount: {ETH_UNITS:.0f} ETH against USDC, liquidation threshold "
          f"{100 * THRESHOLD:.0f}% (Aave v3 WETH), health factor h0 at the start, held "
          f"{HORIZON} days: liquidated when ETH falls to P0 / h0, a fall of 1 - 1/h0.")
    print(f"History: {len(starts):,} start days {dates[starts[0]].date()} .. "
          f"{dates[starts[-1]].date()} (P0 = that day's close, days 1..{HORIZON} after it; "
          f"overlapping windows)")

    # ---- Monte Carlo ----
    acc = Account()
    per = max(1, args.paths // len(starts))
    mixture: List[Tuple[int, int, Optional[float]]] = \
        [(k * per, per, float(v)) for k, v in enumerate(hstart)]
    mbar = float(np.mean(r))
    drift = (mbar + fit.initial_variance / 2) * 365  # E[log return] = the sample's
    vol = math.sqrt(365 * fit.initial_variance)
    models: Dict[str, Tuple[List[Tuple[int, int, Optional[float]]], Dict[str, Any]]] = {
        "GARCH, filtered": (mixture, dict(garch=fit)),
        "GARCH + drift": (mixture, dict(garch=fit, drift=drift)),
        "GARCH, long-run": ([(0, args.paths, None)], dict(garch=fit)),
        "GBM": ([(0, args.paths, None)], dict(vol=vol)),
    }
    mc = {}
    for name, (chunks, kw) in models.items():
        note(f"Monte Carlo: {name} ({sum(c[1] for c in chunks):,} paths x "
             f"{len(levels) + 1} accounts)")
        mc[name] = monte_carlo(acc, levels, chunks, True, **kw)
    note("Monte Carlo done")

    # ---- history ----
    p0, minc, minl = history(close, low, starts)
    n = len(starts)
    neff = n / HORIZON
    disjoint = np.arange(0, n, HORIZON)

    # ---- the table ----
    print(f"\nProbability of a liquidation within {HORIZON} days, % (± one standard error)")
    print(f"Monte Carlo: {mc['GARCH, filtered'][1]:,} paths from the filtered variance of "
          f"the start days ({per} a day); {args.paths:,} from the long-run variance; GBM at "
          f"{100 * vol:.1f}% a year; drift {100 * drift:.1f}% a year (the sample's mean log "
          f"return, {100 * HORIZON * mbar:+.2f}% in {HORIZON} days) only in 'GARCH + drift'.")
    print(f"History: N = {n:,} overlapping windows, standard error sqrt(p (1 - p) / (N / "
          f"{HORIZON})), about {neff:.0f} independent windows; 'disjoint': every "
          f"{HORIZON}th start, {len(disjoint)} windows, liquidated on closes / on lows.")
    head = (f"{'h0':>5} {'fall':>6} | {'GARCH, filtered':>15} {'GARCH + drift':>15} "
            f"{'GARCH, long-run':>15} {'GBM':>15} | {'hist. closes':>14} {'hist. lows':>14} "
            f"{'disjoint c/l':>13}")
    print(head)
    print("-" * len(head))
    rows = []
    for k, hf0 in enumerate(levels):
        line = f"{hf0:5.2f} {100 * (1 - 1 / hf0):5.1f}% |"
        row: Dict[str, Any] = {"h0": hf0}
        for name in models:
            cnt, paths, _ = mc[name]
            p = cnt[k] / paths
            se = math.sqrt(p * (1 - p) / paths)
            row[name] = (p, se)
            line += f" {cell(p, se):>15}"
        line += " |"
        for name, m in (("history, closes", minc), ("history, lows", minl)):
            p = float(np.mean(m <= p0 / hf0))
            row[name] = (p, math.sqrt(p * (1 - p) / neff))
            line += f" {cell(*row[name]):>14}"
        dc = np.count_nonzero(minc[disjoint] <= p0[disjoint] / hf0)
        dl = np.count_nonzero(minl[disjoint] <= p0[disjoint] / hf0)
        line += f" {f'{dc} / {dl}':>13}"
        print(line)
        rows.append(row)
    # the disjoint count depends on the phase: its range over the 30 possible phases
    lo_hi = []
    for hf0 in levels:
        c = [np.count_nonzero((minc <= p0 / hf0)[ph::HORIZON]) for ph in range(HORIZON)]
        lo_hi.append(f"{hf0:g}: {min(c)}-{max(c)}")
    print(f"disjoint windows on closes over the {HORIZON} phases: " + ", ".join(lo_hi))

    # ---- the picture ----
    grid = np.linspace(1.05, max(3.0, max(levels)), 400)
    curves = {name: np.array([np.mean(mc[name][2] * g < 1.0) for g in grid]) for name in models}
    curves["history, closes"] = np.array([np.mean(minc <= p0 / g) for g in grid])
    curves["history, lows"] = np.array([np.mean(minl <= p0 / g) for g in grid])
    points = {name: (np.array([rw[name][0] for rw in rows]), np.array([rw[name][1] for rw in rows]))
              for name in ("GARCH, filtered", "GARCH, long-run", "GBM")}
    title = (f"{ETH_UNITS:.0f} ETH against USDC on Aave v3 (WETH liquidation threshold "
             f"{100 * THRESHOLD:.0f}%) at HF h0, held {HORIZON} days: liquidated when ETH "
             f"falls by 1 - 1/h0\n"
             f"Monte Carlo on daily closes, GARCH(1,1) fitted on ETH/USDT daily returns "
             f"{args.first} .. {args.last},\nagainst history: every start day of the same "
             f"period, on daily closes and on daily lows")
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    picture(out / "mc_vs_history.png", levels, grid, curves, points, neff, title)
    note(f"wrote {out / 'mc_vs_history.png'}")


if __name__ == "__main__":
    main()
