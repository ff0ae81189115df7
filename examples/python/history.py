#!/usr/bin/env python3
"""History: an Aave v3 account replayed through the crashes of 2020-2024 under four policies,
on daily closes, daily candles (OHLC) and hourly candles.

    python3 examples/python/history.py [--out DIR] [--full] [--aave]

The account: 100 WETH supplied on Aave v3 Ethereum against a USDC debt sized for HF 1.6 at
each window's first close, on WETH's terms in the 2023-10-31 report (examples/data: LTV
80.5%, liquidation threshold 83%, bonus 5%), replayed on Binance's ETH/USDT candles
(examples/data/README.md) with USDC at 1 USD. Below HF 1 keel's liquidator repays half the
debt (all of it below HF 0.95) and seizes collateral worth the repayment plus the bonus --
with OHLC, at the candle's low first (include/keel/sim.h). At this size (both positions far
above Aave's 2,000 USD thresholds) that is Aave v3's own rule, but for one case: when the
collateral no longer covers the debt, Aave writes the shortfall off (a deficit) where keel's
liquidator leaves it owed, so the table shows negative equity (bad debt). --aave liquidates
by Aave v3's own rules instead (Simulation.set_aave with the report: the chain's health
factor in its integers, the close factor, bonus and protocol fee, the deficit).

June 2022 is also run for a staked-ETH account: wstETH worth 100 stETH against a WETH debt
in Aave's e-mode 1 ("ETH correlated": LTV 90%, threshold 93%, bonus 1%). stETH is priced at
its market price, the Coin Metrics stETH/ETH rate of the next 00:00 UTC (the daily candle's
close) times the ETH/USDT close -- as Aave v2's stETH/ETH market feed priced it in 2022, not
as Aave v3's exchange-rate oracle would (which would not have seen the discount at all).
Its debt moves with ETH, so only the discount moves its HF; it is replayed on daily closes
only (the rate has one fix a day; ETH's own low and high would be the wrong pair for a
position long stETH and short ETH). Besides HF 1.6, held at the e-mode's largest loan (LTV
90%, HF 0.93 / 0.90 = 1.033), as a leveraged staking loop is run. Its predictive policy
follows an EWMA of each leg, correlated as their daily returns were in May 2022.

Policies, each given the close of every step (a day or an hour):
  hold;
  health band: repay below HF 1.3 back to 1.6, selling collateral;
  leverage band: leverage C / (C - D) kept within the leverages of HF 2.0 and HF 1.3,
    recentred to HF 1.6's (so it repays like the band, and also borrows and buys the
    collateral back when a rally lifts HF above 2.0);
  predictive: deleverage when the probability of liquidation within 7 days exceeds 1%,
    with the volatility an EWMA (RiskMetrics, lambda 0.94 a day) along the replay, warmed
    by the history before each window (hourly: lambda 0.94^(1/24) an hour, the same
    memory in days, started from the daily estimate).
Costs: 5 bp on every sale of collateral.

The table: liquidations, the candle of the first, value lost to liquidation bonuses, the
policy's trading costs and actions, the lowest HF the moves brought while the account held
collateral (at the candle's low with OHLC), and the equity (collateral - debt) at the
window's last close. Prints it (stdout; a progress line per window on stderr) and writes
history.csv (the table at full precision) and history.png (the health factor of March 2020
and May 2021, daily against hourly, each policy, with its trades and liquidations) into
--out. --full adds the whole hourly crash windows (2020-02-20 .. 2020-04-09, 2021-05-01 ..
2021-06-09) and hourly closes. A few seconds either way. Debian: apt-get install
python3-pandas python3-matplotlib.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import pandas as pd

import keel
from keel.aave import AaveMarket

DATA = pathlib.Path(__file__).resolve().parents[1] / "data"
REPORT = DATA / "aave-v3-ethereum-20231031.json"
HF0 = 1.6                 # the account's health factor at each window's first close
REPAY_BELOW = 1.3         # health band trigger (and the leverage band's top edge)
BOOST_ABOVE = 2.0         # the leverage band's bottom edge, as an HF
CLOSE_FACTOR, FULL_CLOSE_BELOW = 0.5, 0.95  # Aave v3's, and keel's defaults
FEE_BPS = 5.0             # on every sale of collateral
PREDICTIVE = (7.0, 0.01)  # horizon in days, largest probability of liquidation
EWMA_DAILY = 0.94         # RiskMetrics' daily lambda
HOUR = pd.Timedelta(hours=1)
DAY = pd.Timedelta(days=1)


# ---- the data ---------------------------------------------------------------------------

def load_daily() -> pd.DataFrame:
    """ETH/USDT daily candles indexed by the candle's day (its close is the next midnight)."""
    return pd.read_csv(DATA / "eth_usdt_daily.csv", parse_dates=["date"], index_col="date")


def load_hourly() -> pd.DataFrame:
    """ETH/USDT hourly candles of the two crash windows, indexed by the candle's open (UTC)."""
    df = pd.read_csv(DATA / "eth_usdt_hourly_crashes.csv", index_col="time_utc")
    df.index = pd.to_datetime(df.index, utc=True).tz_convert(None)
    return df


def load_steth_closes(daily: pd.DataFrame) -> pd.DataFrame:
    """wstETH (counted in stETH) and WETH closes in USD on daily candles: the stETH/ETH rate
    fixed at 00:00 UTC of day D + 1 is the discount at the close of candle D."""
    ratio = pd.read_csv(DATA / "steth_eth_ratio_2022.csv", parse_dates=["date"],
                        index_col="date")["steth_per_eth"]
    ratio.index = ratio.index - DAY
    eth = daily.loc[ratio.index, "close"]
    return pd.DataFrame({"wstETH": ratio * eth, "WETH": eth})


# ---- the windows ------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    name: str
    first: str             # the candle day whose close starts the window
    last: str              # the candle day whose close ends it
    hourly: bool = False   # hourly candles exist for it
    steth: bool = False    # the staked-ETH account instead of WETH against USDC
    full_only: bool = False


WINDOWS = (
    Window("March 2020", "2020-03-01", "2020-03-31", hourly=True),
    Window("May 2021", "2021-05-01", "2021-05-31", hourly=True),
    Window("2022 bear market", "2022-04-01", "2022-06-30"),
    Window("June 2022", "2022-06-01", "2022-06-30"),
    Window("June 2022 stETH", "2022-06-01", "2022-06-30", steth=True),
    Window("November 2022", "2022-11-01", "2022-11-30"),
    Window("August 2024", "2024-08-01", "2024-08-31"),
    Window("Feb-Apr 2020", "2020-02-20", "2020-04-09", hourly=True, full_only=True),
    Window("May-Jun 2021", "2021-05-01", "2021-06-09", hourly=True, full_only=True),
)


# ---- the account ------------------------------------------------------------------------

@dataclass(frozen=True)
class Terms:
    """A collateral's Aave terms, as fractions."""

    ltv: float
    threshold: float
    bonus: float
    emode: int


def aave_terms(report: Dict[str, Any]) -> Tuple[Terms, Terms]:
    """WETH's own terms and e-mode 1's, read from the report."""
    weth = next(r for r in report["reserves"].values() if r["symbol"] == "WETH")
    e1 = report["eModes"]["1"]
    return (Terms(weth["ltv"] / 1e4, weth["liquidationThreshold"] / 1e4,
                  weth["liquidationBonus"] / 1e4 - 1, 0),
            Terms(e1["ltv"] / 1e4, e1["liquidationThreshold"] / 1e4,
                  e1["liquidationBonus"] / 1e4 - 1, 1))


@dataclass
class Account:
    market: keel.Market
    basket: keel.Basket
    haircuts: keel.HaircutModel
    costs: keel.CostModel
    collateral: int
    debt: int
    terms: Terms


def weth_account(p0: float, terms: Terms) -> Account:
    """100 WETH against USDC at HF 1.6 at the price p0."""
    m = keel.Market()
    weth, usdc = m.add_asset("WETH", p0), m.add_asset("USDC", 1.0)
    m.set_volatility(weth, 0.8)  # the EWMA's prior, before years of warm-up
    h = keel.HaircutModel()
    h.set_asset(weth, initial=1 - terms.ltv, maintenance=1 - terms.threshold)
    b = keel.Basket()
    b.set_collateral(weth, 100.0)
    b.set_debt(usdc, 100.0 * p0 * terms.threshold / HF0)
    c = keel.CostModel()
    c.set_fee(weth, bps=FEE_BPS)
    return Account(m, b, h, c, weth, usdc, terms)


def steth_account(closes: pd.Series, terms: Terms, hf: float, rho: float) -> Account:
    """wstETH worth 100 stETH against WETH at `hf` (e-mode 1), at the closes given."""
    m = keel.Market()
    wst, weth = m.add_asset("wstETH", closes["wstETH"]), m.add_asset("WETH", closes["WETH"])
    m.set_volatility(wst, 0.8)
    m.set_volatility(weth, 0.8)
    m.set_correlation(wst, weth, rho)
    h = keel.HaircutModel()
    for a in (wst, weth):
        h.set_asset(a, initial=1 - terms.ltv, maintenance=1 - terms.threshold)
    b = keel.Basket()
    b.set_collateral(wst, 100.0)
    b.set_debt(weth, 100.0 * closes["wstETH"] * terms.threshold / hf / closes["WETH"])
    c = keel.CostModel()
    c.set_fee(wst, bps=FEE_BPS)
    return Account(m, b, h, c, wst, weth, terms)


def simulation(a: Account, policy: Optional[keel.Policy],
               aave: Optional[AaveMarket]) -> keel.Simulation:
    """The account's backtest: keel's liquidator on the account's Aave terms (close factor
    50%, all of the debt below HF 0.95, the bonus), or Aave v3's own rules (set_aave)."""
    sim = keel.Simulation(a.market, a.basket, a.haircuts, a.costs, policy,
                          close_factor=CLOSE_FACTOR, full_close_below=FULL_CLOSE_BELOW,
                          liquidation_bonus=a.terms.bonus)
    if aave is not None:
        sim.set_aave(aave, emode=a.terms.emode)
    return sim


def policies(a: Account) -> List[Tuple[str, Optional[keel.Policy]]]:
    def leverage(hf: float) -> float:  # C / (C - D) of one collateral at that HF
        return 1.0 / (1.0 - a.terms.threshold / hf)
    days, prob = PREDICTIVE
    return [
        ("hold", None),
        ("health band", keel.Policy.health_band(repay_below=REPAY_BELOW, repay_to=HF0,
                                                debt_asset=a.debt)),
        ("leverage band", keel.Policy.leverage_band(
            asset=a.collateral, debt_asset=a.debt, target=leverage(HF0),
            min=leverage(BOOST_ABOVE), max=leverage(REPAY_BELOW), speed=1.0,
            ripcord=math.inf)),
        ("predictive", keel.Policy.predictive(horizon=days / 365, max_probability=prob,
                                              repay_asset=a.debt)),
    ]


# ---- one run ----------------------------------------------------------------------------

@dataclass
class Row:
    window: str
    data: str
    policy: str
    liquidations: int
    first_liquidation: str
    bonus_lost: float
    cost: float
    trades: int
    min_health: float
    final_equity: float
    trace: Any = field(repr=False, default=None)

    def csv(self) -> Dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "trace"}


def row_of(window: Window, data: str, policy: str, tr: keel.Trace) -> Row:
    s = tr.stats.summary
    liqs = tr.liquidations
    when = "-"
    if liqs:
        t = pd.Timestamp(liqs[0].time)
        when = t.strftime("%Y-%m-%d %H:%M" if data.startswith("hourly") else "%Y-%m-%d")
    # the lowest HF the moves brought (at the candle's low with OHLC) while the account held
    # collateral (keel's min_health also counts a wiped-out account's HF 0)
    held = tr.collateral_value[:-1] > 0
    lowest = float(np.min(tr.health_low[1:][held])) if held.any() else math.inf
    return Row(window.name, data, policy, int(s.mean_liquidations), when, s.mean_bonus_lost,
               s.mean_rebalance_cost, int(s.mean_trades), lowest, s.mean_final_equity, tr)


def ewma_vol(daily: pd.DataFrame, day: str, acct: Account) -> float:
    """keel's daily EWMA of ETH at the close of `day` (fed every close since 2017)."""
    sim = keel.Simulation(acct.market, acct.basket, acct.haircuts, acct.costs)
    sim.set_replay(daily["close"], assets="WETH", time=daily.index)
    sim.set_volatility("WETH", "ewma", lam=EWMA_DAILY)
    sim.set_window(day, steps=1)
    return float(sim.trace().volatility[0, acct.collateral])


def run_weth(window: Window, daily: pd.DataFrame, hourly: pd.DataFrame, terms: Terms,
             aave: Optional[AaveMarket], full: bool) -> List[Row]:
    first = pd.Timestamp(window.first)
    last = pd.Timestamp(window.last)
    acct = weth_account(float(daily.loc[first, "close"]), terms)
    kinds = ["daily closes", "daily OHLC"]
    if window.hourly:
        kinds += (["hourly closes"] if full else []) + ["hourly OHLC"]
    seg = hourly.loc[hourly.index.year == first.year] if window.hourly else hourly.iloc[:0]
    # the hourly estimator starts where the daily one stood at the close before its file
    hourly_vol = ewma_vol(daily, str((seg.index[0] - DAY).date()), acct) \
        if window.hourly else 0.0
    rows = []
    for name, pol in policies(acct):
        for kind in kinds:
            sim = simulation(acct, pol, aave)
            ohlc = kind.endswith("OHLC")
            if kind.startswith("daily"):
                src = daily
                sim.set_replay(src["close"], assets="WETH", time=src.index,
                               low=src["low"] if ohlc else None,
                               high=src["high"] if ohlc else None)
                sim.set_volatility("WETH", "ewma", lam=EWMA_DAILY)
                sim.set_window(first, end=last)
            else:
                sim.set_replay(seg["close"], assets="WETH", time=seg.index,
                               low=seg["low"] if ohlc else None,
                               high=seg["high"] if ohlc else None)
                period = 1 / (365 * 24)
                sim.set_volatility("WETH", "ewma", lam=EWMA_DAILY ** (1 / 24), period=period,
                                   initial_variance=hourly_vol ** 2 * period)
                # the daily close of day D is the close of D's 23:00 candle
                sim.set_window(first + 23 * HOUR, end=last + 23 * HOUR)
            rows.append(row_of(window, kind, name, sim.trace()))
    return rows


def run_steth(window: Window, closes: pd.DataFrame, terms: Terms,
              aave: Optional[AaveMarket]) -> List[Row]:
    first, last = pd.Timestamp(window.first), pd.Timestamp(window.last)
    # the correlation of the two legs' daily returns before the window (May 2022)
    r = np.log(closes.loc[:first]).diff().dropna()
    rho = float(np.corrcoef(r["wstETH"], r["WETH"])[0, 1])
    rows = []
    loop = terms.threshold / terms.ltv  # borrowed to the e-mode's LTV: a staking loop
    for hf in (HF0, loop):
        acct = steth_account(closes.loc[first], terms, hf, rho)
        pols = policies(acct) if hf == HF0 else [(f"hold at HF {loop:.3f}", None)]
        for name, pol in pols:
            sim = simulation(acct, pol, aave)
            sim.set_replay(closes, time=closes.index)
            for sym in ("wstETH", "WETH"):
                sim.set_volatility(sym, "ewma", lam=EWMA_DAILY)
            sim.set_window(first, end=last)
            rows.append(row_of(window, "daily closes", name, sim.trace()))
    return rows


# ---- the table --------------------------------------------------------------------------

HEADER = (f"{'window':<17} {'data':<13} {'policy':<20} {'liqs':>4} {'first liquidation':<17} "
          f"{'bonus lost':>10} {'cost':>8} {'trades':>6} {'lowest HF':>9} {'final equity':>12}")


def fmt(r: Row, show_window: bool) -> str:
    return (f"{r.window if show_window else '':<17} {r.data:<13} {r.policy:<20} "
            f"{r.liquidations:>4} {r.first_liquidation:<17} {r.bonus_lost:>10,.2f} "
            f"{r.cost:>8,.2f} {r.trades:>6} {r.min_health:>9.3f} {r.final_equity:>12,.2f}")


# ---- the picture ------------------------------------------------------------------------

def close_times(stamps: Any, hourly: bool) -> Any:
    """A candle's close: its stamp (day or open hour) plus its length."""
    return pd.DatetimeIndex(stamps) + (HOUR if hourly else DAY)


def draw(rows: List[Row], daily: pd.DataFrame, hourly: pd.DataFrame, out: pathlib.Path,
         rules: str) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    names = ["March 2020", "May 2021"]
    pols = {"hold": "hold",
            "health band": f"health band: repay below HF {REPAY_BELOW} back to {HF0}",
            "leverage band": f"leverage band: within HF {BOOST_ABOVE}'s and HF {REPAY_BELOW}'s "
                             f"leverage, back to HF {HF0}'s",
            "predictive": f"predictive: P(liquidation within {PREDICTIVE[0]:g} days) <= "
                          f"{PREDICTIVE[1]:.0%}, EWMA volatility"}
    style = {"daily OHLC": dict(color="tab:blue", lw=1.6, marker="o", ms=3, zorder=3),
             "hourly OHLC": dict(color="tab:orange", lw=0.9, zorder=2)}
    picked = {(r.window, r.data, r.policy): r for r in rows
              if r.window in names and r.data in style}
    fig, axes = plt.subplots(1 + len(pols), len(names), figsize=(15, 18), sharex="col",
                             gridspec_kw=dict(height_ratios=[1.0] + [1.3] * len(pols)))
    for j, wname in enumerate(names):
        w = next(x for x in WINDOWS if x.name == wname)
        first, last = pd.Timestamp(w.first), pd.Timestamp(w.last)
        ax = axes[0, j]
        d = daily.loc[first:last]
        h = hourly.loc[first + 23 * HOUR:last + 23 * HOUR]
        ax.plot(close_times(h.index, True), h["close"], color="tab:orange", lw=0.8)
        ax.plot(close_times(d.index, False), d["close"], color="tab:blue", lw=1.4, marker="o",
                ms=3)
        # each day's low, drawn in the middle of its day, down from the previous close
        ax.vlines(close_times(d.index, False)[1:] - DAY / 2, d["low"].iloc[1:],
                  d["close"].iloc[:-1], color="tab:blue", alpha=0.35, lw=3)
        liq_price = d["close"].iloc[0] / HF0
        ax.axhline(liq_price, color="red", lw=0.9, ls="--")
        ax.text(0.005, liq_price, f" held: liquidated below {liq_price:,.0f}",
                transform=ax.get_yaxis_transform(), ha="left", va="bottom", fontsize=8,
                color="red")
        ax.set_title(f"{wname}: ETH/USDT; 100 WETH against USDC at HF {HF0} on "
                     f"{first:%b} {first.day}'s close", fontsize=10)
        ax.set_ylabel("USD")
        ax.grid(alpha=0.3)
    for i, (pname, title) in enumerate(pols.items(), start=1):
        top = 2.6  # one scale per row, to compare the windows
        for j, wname in enumerate(names):
            for kind in style:
                r = picked.get((wname, kind, pname))
                if r is not None:
                    hf = r.trace.health[np.isfinite(r.trace.health)]
                    top = max(top, math.ceil((hf.max() + 0.05) * 5) / 5)
        for j, wname in enumerate(names):
            ax = axes[i, j]
            summary = []
            for kind, st in style.items():
                r = picked.get((wname, kind, pname))
                if r is None:
                    continue
                tr, hourly_kind = r.trace, kind.startswith("hourly")
                t = close_times(tr.stamps, hourly_kind)
                # no line once the debt is gone (HF +inf) or the collateral (bad debt: HF 0)
                shown = np.isfinite(tr.health) & (tr.collateral_value > 0)
                hf = np.where(shown, tr.health, np.nan)
                ax.plot(t, hf, **st)
                if kind == "daily OHLC":  # HF at the day's low: where OHLC checks first
                    ax.vlines(t[1:] - DAY / 2, tr.health_low[1:], hf[:-1], color="tab:blue",
                              alpha=0.35, lw=3)
                for e in tr.events:
                    et = close_times([e.time], hourly_kind)[0]
                    if e.kind == "liquidation":
                        ax.plot(et, e.health_before, marker="X", ms=13, mec="black",
                                mfc=st["color"], ls="none", zorder=5)
                    elif e.kind == "rebalance":
                        down = e.health_after < e.health_before  # a lever-up lowers HF
                        ax.plot(et, e.health_before, marker="v" if down else "^", ms=8,
                                mec="black", mfc=st["color"], ls="none", zorder=4)
                when = r.first_liquidation
                summary.append(f"{kind.split()[0]}: " + (
                    f"liquidated {when[5:]}" if r.liquidations else "not liquidated") +
                    f", {r.trades} trade{'' if r.trades == 1 else 's'}, equity "
                    f"{r.final_equity:,.0f}")
            ax.axhline(1.0, color="red", lw=1.0)
            if pname in ("health band", "leverage band"):
                ax.axhline(REPAY_BELOW, color="grey", lw=1.0, ls="--")
            if pname == "leverage band":
                ax.axhline(BOOST_ABOVE, color="grey", lw=1.0, ls=":")
            ax.set_ylim(0.6, top)
            ax.set_ylabel("health factor")
            ax.set_title(f"{title}\n" + "; ".join(summary), fontsize=9)
            ax.grid(alpha=0.3)
    for j in range(len(names)):
        axes[-1, j].xaxis.set_major_formatter(
            mdates.ConciseDateFormatter(axes[-1, j].xaxis.get_major_locator()))
        axes[-1, j].set_xlabel("UTC (each point at its candle's close)")
    handles = [
        Line2D([], [], **style["daily OHLC"], label="daily candles: HF at the close"),
        Line2D([], [], color="tab:blue", alpha=0.35, lw=3,
               label="daily: the day's low (price) / HF at it"),
        Line2D([], [], **style["hourly OHLC"], label="hourly candles: HF at the close"),
        Line2D([], [], color="red", lw=1.0, label="HF 1: liquidation"),
        Line2D([], [], color="red", lw=0.9, ls="--", label="held account's liquidation price"),
        Line2D([], [], color="grey", lw=1.0, ls="--",
               label=f"repay trigger: HF {REPAY_BELOW} (band; leverage band's top)"),
        Line2D([], [], color="grey", lw=1.0, ls=":",
               label=f"leverage band's lever-up trigger: HF {BOOST_ABOVE}"),
        Line2D([], [], marker="^", ms=8, mec="black", mfc="white", ls="none",
               label="policy sells to repay (at the HF it acted on)"),
        Line2D([], [], marker="v", ms=8, mec="black", mfc="white", ls="none",
               label="policy borrows to buy"),
        Line2D([], [], marker="X", ms=11, mec="black", mfc="white", ls="none",
               label="liquidation (at the HF it found; fill: daily / hourly)"),
    ]
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=9, frameon=False)
    fig.suptitle("Health factor through March 2020 and May 2021: daily against hourly candles "
                 f"(Aave v3's WETH terms of 2023-10-31; {rules})", fontsize=12)
    fig.tight_layout(rect=(0, 0.07, 1, 0.98))
    fig.savefig(out / "history.png", dpi=110)
    plt.close(fig)


# ---- main -------------------------------------------------------------------------------

def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--out", default=".", help="directory for history.png and history.csv")
    ap.add_argument("--full", action="store_true",
                    help="also the whole hourly crash windows, and hourly closes")
    ap.add_argument("--aave", action="store_true",
                    help="liquidate by Aave v3's own rules (Simulation.set_aave with the report)")
    args = ap.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    report = json.loads(REPORT.read_text())
    weth_terms, emode_terms = aave_terms(report)
    aave = AaveMarket.from_report(REPORT, version="3.6") if args.aave else None
    daily, hourly = load_daily(), load_hourly()
    steth = load_steth_closes(daily)

    windows = [w for w in WINDOWS if args.full or not w.full_only]
    rules = ("Aave v3's own rules (set_aave)" if args.aave else
             "keel's liquidator on these terms (close factor 50%, 100% below HF 0.95)")
    print(f"100 WETH against USDC at HF {HF0} on each window's first close, Aave v3 WETH terms "
          f"of 2023-10-31 (LTV {weth_terms.ltv:.1%}, threshold {weth_terms.threshold:.0%}, "
          f"bonus {weth_terms.bonus:.0%}); stETH: wstETH against WETH in e-mode 1 (LTV "
          f"{emode_terms.ltv:.0%}, threshold {emode_terms.threshold:.0%}, bonus "
          f"{emode_terms.bonus:.0%}).\nLiquidations: {rules}. {FEE_BPS:g} bp on every sale. "
          "Values in USD; times UTC, of the candle (hourly: its opening hour).\n")
    print(HEADER)
    rows: List[Row] = []
    t_all = time.perf_counter()
    for k, w in enumerate(windows, start=1):
        t0 = time.perf_counter()
        got = run_steth(w, steth, emode_terms, aave) if w.steth else \
            run_weth(w, daily, hourly, weth_terms, aave, args.full)
        for i, r in enumerate(got):
            print(fmt(r, i == 0))
        sys.stdout.flush()
        print(f"history: [{k}/{len(windows)}] {w.name}: {len(got)} runs in "
              f"{time.perf_counter() - t0:.2f} s", file=sys.stderr, flush=True)
        rows += got
    pd.DataFrame([r.csv() for r in rows]).to_csv(out / "history.csv", index=False)
    draw(rows, daily, hourly, out, "Aave v3's liquidation rules" if args.aave else
         "keel's liquidator")
    print(f"\nwrote {out / 'history.csv'} and {out / 'history.png'} "
          f"({time.perf_counter() - t_all:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
