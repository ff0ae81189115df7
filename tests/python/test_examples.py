"""The Python examples run, small: the dask scale-out (its merged results
must equal the single-process run, or it exits non-zero), the policy
frontier pictures, the backtest, Monte Carlo against history (its
historical frequencies against a count written here), the history study
(against an independent replay), and the doctests of the policy and
simulation modules."""

import doctest
import math
import os
import pathlib
import subprocess
import sys

import pytest

import keel.policy
import keel.sim

EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python"


def run(name, *args):
    # a policy failure inside an example backtest is an error, as in the tests
    return subprocess.run([sys.executable, "-W", "error::keel.PolicyFailureWarning",
                           str(EXAMPLES / name), *args], check=True,
                          capture_output=True, text=True, env=os.environ, timeout=600).stdout


def test_dask_merged_equals_single_process():
    pytest.importorskip("distributed")
    out = run("dask_scan.py", "--accounts", "5000", "--paths", "60", "--steps", "10",
              "--shards", "3", "--ticks", "2")
    assert "scan: 5,000 accounts in 3 shards built on the workers" in out
    assert "equal to one process: yes" in out and out.count("tick ") == 2
    assert "equal to one process, bit for bit: yes" in out
    # the bench: 1 and 2 workers, merged statistics checked against one process
    out = run("dask_scan.py", "--bench", "--bench-paths", "400", "--steps", "5", "--runs", "1")
    assert "bit for bit: yes" in out and "| dask, 2 workers |" in out


def test_policy_frontier_draws_pictures(tmp_path):
    """policy_frontier.py, small. Independent here: the account's HF, (20 x 2,000 x 0.83
    + 0.5 x 60,000 x 0.78) / 42,000 = 56,600 / 42,000; each row's probability k / n and
    its binomial standard error sqrt(p (1 - p) / n); a row with 0 of n liquidated shows
    the 95% bound 3 / n instead."""
    import re
    pytest.importorskip("matplotlib")
    n = 60
    out = run("policy_frontier.py", "--paths", str(n), "--steps", "30", "--out", str(tmp_path))
    assert "health band" in out and "predictive" in out
    assert f"HF {56600 / 42000:.4f};" in out
    rows = re.findall(r"^(hold|health band|predictive|leverage band) +\S+ +(\d+) of (\d+) +"
                      r"(?:([\d.]+) +([\d.]+)|< ([\d.]+) +\(95%\))", out, re.M)
    assert len(rows) == 12 and any(int(r[1]) for r in rows)
    for _, k, paths, p, se, bound in rows:
        k, paths = int(k), int(paths)
        assert paths == n
        if k:
            q = k / n
            assert (float(p), float(se)) == (round(q, 4), round(math.sqrt(q * (1 - q) / n), 4))
        else:
            assert float(bound) == round(3 / n, 4)
    for name in ("policy_frontier.png", "health_fan.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_backtest_example():
    """backtest.py; its liquidations-at-risk table against the book worked here: 10, 5,
    2 ETH against 12,500, 5,000, 3,000 USDC, ETH at 2,000 x (1 + s), liquidation
    threshold 83%: an account is liquidatable when 0.83 q P < d, and the curve is the
    value q P of those accounts at the moved price."""
    pytest.importorskip("numpy")
    out = run("backtest.py")
    assert "merged shards equal one run: True" in out
    rows = {}
    for line in out.splitlines():
        f = line.replace(",", "").split()
        if len(f) == 5 and f[0].endswith("%") and f[0][0] in "+-":
            rows[int(f[0][:-1])] = (float(f[1]), int(f[2]), float(f[3]), float(f[4]))
    assert sorted(rows) == [-50, -40, -30, -20, -10, 0]
    book = ((10, 12500), (5, 5000), (2, 3000))
    for pct, (price, count, value, qty) in rows.items():
        p = 2000 * (1 + pct / 100)
        hit = [q for q, d in book if 0.83 * q * p < d]
        assert (price, count, qty) == (p, len(hit), sum(hit))
        assert value == round(sum(hit) * p)


def test_module_doctests():
    for mod in (keel.policy, keel.sim):
        assert doctest.testmod(mod).failed == 0


def test_aave_account_example():
    """The Aave example on the real 2023-10-31 snapshot. Independent figures: at HF 1.6
    the WETH liquidation price is the oracle's 1,816.85499606 / 1.6 = 1,135.534... USD;
    the DAI account shows the chain below 1 where double arithmetic reads 1.0."""
    out = run("aave_account.py")
    assert "25 reserves; WETH $1,816.85" in out
    assert "health factor 1.60000000001" in out  # the USDC debt in whole 10^-6 units
    assert "liquidatable when WETH <= $1,135.53" in out
    assert "double arithmetic reads HF 1.0:" in out
    assert "health factor 0.99999999999" in out and "LIQUIDATABLE" in out


def test_mc_vs_history_example(tmp_path):
    """Monte Carlo against history (issue 17, item 7), run small. Independent here: the
    historical frequencies, from the CSV with the csv module and plain numpy -- for the
    start days d of 2018-01-01 .. 2024-12-01, the account opened at d's close P0 is
    liquidated when the lowest close (low) of days d+1 .. d+30 is <= P0 / h0 -- at HF 1.1
    and 1.5, on closes and on lows, and on the disjoint windows (every 30th start); the
    GARCH fit printed as docs/haircuts.md states it (ETH 2018-2024, normal); the Monte
    Carlo probability far above HF 2 below that at 1.1."""
    np = pytest.importorskip("numpy")
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    import csv
    import re

    out = run("mc_vs_history.py", "--paths", "2000", "--levels", "1.1,1.5,3",
              "--out", str(tmp_path))
    # docs/haircuts.md, "ETH, daily, 2018-2024", the normal column (standard errors too)
    assert "log returns 2018-01-01 .. 2024-12-31: 2,557" in out
    assert ("omega 4.0863e-05 (1.13e-05)  alpha 0.079589 (0.0109)  beta 0.906671 (0.0132)  "
            "log-likelihood 4401.0596") in out
    assert "persistence 0.98626" in out and "(104.2% a year)" in out
    assert "Student-t fit: alpha + beta = 1 (integrated)" in out and "refuses" in out

    with open(EXAMPLES.parent / "data" / "eth_usdt_daily.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    dates = [r["date"] for r in rows]
    close = np.array([float(r["close"]) for r in rows])
    low = np.array([float(r["low"]) for r in rows])
    first, last = dates.index("2018-01-01"), dates.index("2024-12-31")
    starts = range(first, last - 30 + 1)
    assert len(starts) == 2527 and dates[starts[-1]] == "2024-12-01"

    def cells(text):  # "64.52 ±0.15" or "0.00   --" -> the percentages
        return [float(x) for x in re.findall(r"(\d+\.\d+) +(?:±|--)", text)]

    table = {}  # h0 -> (Monte Carlo %, history %, disjoint closes, disjoint lows)
    for line in out.splitlines():
        m = re.match(r"\s*(\d\.\d\d) +[\d.]+% \|(.*)\|(.*?) (\d+) / (\d+)$", line)
        if m:
            table[float(m.group(1))] = (cells(m.group(2)), cells(m.group(3)),
                                        int(m.group(4)), int(m.group(5)))
    assert sorted(table) == [1.1, 1.5, 3.0]
    for hf0 in (1.1, 1.5):
        hit_c = [close[d + 1:d + 31].min() <= close[d] / hf0 for d in starts]
        hit_l = [low[d + 1:d + 31].min() <= close[d] / hf0 for d in starts]
        mc, hist, dc, dl = table[hf0]
        # two decimals of a percentage tell 2,527 windows apart (one is 0.04%)
        assert hist[0] == pytest.approx(100 * sum(hit_c) / len(starts), abs=0.0051)
        assert hist[1] == pytest.approx(100 * sum(hit_l) / len(starts), abs=0.0051)
        assert (dc, dl) == (sum(hit_c[::30]), sum(hit_l[::30]))
        assert len(mc) == 4 and all(0 < p < 100 for p in mc)
    assert table[1.1][1] == [51.60, 62.37] and table[1.5][1] == [10.88, 14.48]
    # GARCH from the filtered variances, far above HF 2, against HF 1.1
    assert table[3.0][0][0] < table[1.1][0][0]
    data = (tmp_path / "mc_vs_history.png").read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def _hold_replay(first, last):
    """The held account of history.py replayed here, in plain numpy, by the default
    liquidator's rules as include/keel/sim.h documents them (keel_sim_new, KEEL_SIM_PARAMS_INIT;
    the replay's lows, keel_sim_set_replay): 100 ETH against USDC at HF 1.6 on the first
    close (WETH's liquidation threshold 83%); each day the account is checked first at the
    day's low, then, if not liquidated there, at the close; below HF 1 half the debt is
    repaid (all of it below HF 0.95) and ETH worth the repayment plus the 5% bonus is
    seized at that price (at most all of it). Returns (liquidation dates, bonus lost, final
    equity at the last close)."""
    import csv
    np = pytest.importorskip("numpy")
    with open(EXAMPLES.parent / "data" / "eth_usdt_daily.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if first <= r["date"] <= last]
    dates = [r["date"] for r in rows]
    close = np.array([float(r["close"]) for r in rows])
    low = np.array([float(r["low"]) for r in rows])
    lt, q = 0.83, 100.0
    d = q * close[0] * lt / 1.6
    liquidated, bonus = [], 0.0
    for s in range(1, len(rows)):
        for p in (low[s], close[s]):
            hf = lt * q * p / d if d > 0 else np.inf
            if hf < 1.0 and q > 0:
                repay = d if hf < 0.95 else 0.5 * d
                seize = repay * 1.05 / p
                if seize > q:
                    seize, repay = q, q * p / 1.05
                q, d = q - seize, d - repay
                bonus += seize * p - repay
                liquidated.append(dates[s])
                break
    return liquidated, bonus, q * close[-1] - d


def test_history_example_against_an_independent_replay(tmp_path):
    """history.py (the whole default run: a few seconds) prints its table and writes
    history.csv and history.png. The held account on daily candles in May 2021 and June
    2022 is checked against _hold_replay above: May 2021's close-only replay never
    liquidates (lowest close 2,096.39 against a liquidation price of 2,944.77 / 1.6 =
    1,840.48), its OHLC replay liquidates on 2021-05-23 at the low of 1,728.74 (HF 0.939:
    the whole debt); June 2022's lows liquidate on the 14th, two days before the closes."""
    pytest.importorskip("matplotlib")
    pd = pytest.importorskip("pandas")
    out = run("history.py", "--out", str(tmp_path))
    table = pd.read_csv(tmp_path / "history.csv", keep_default_na=False)
    assert (tmp_path / "history.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = out.splitlines()
    for window, first, last, data, want_dates in (
            ("May 2021", "2021-05-01", "2021-05-31", "daily OHLC", ["2021-05-23"]),
            ("June 2022", "2022-06-01", "2022-06-30", "daily OHLC", ["2022-06-14"])):
        dates, bonus, equity = _hold_replay(first, last)
        assert dates == want_dates
        (row,) = table[(table.window == window) & (table.data == data) &
                       (table.policy == "hold")].itertuples()
        assert (row.liquidations, row.first_liquidation) == (1, dates[0])
        assert row.bonus_lost == pytest.approx(bonus, rel=1e-9)
        assert row.final_equity == pytest.approx(equity, rel=1e-9)
        # the printed row says the same (two decimals)
        printed = [x for x in lines if f"{data}    hold " in x and f"{equity:,.2f}" in x]
        assert len(printed) == 1 and f" 1 {dates[0]} " in printed[0]
        assert f"{bonus:,.2f}" in printed[0]
    # pinned from the replay above: 7,638.00 lost and 19,529.88 left in May 2021 (the whole
    # debt, 152,759.94, repaid at the low); 8,520.43 left at the end of June 2022
    assert _hold_replay("2021-05-01", "2021-05-31")[1:] == pytest.approx(
        (7637.9971875, 19529.88143502), rel=1e-9)
    assert _hold_replay("2022-06-01", "2022-06-30")[2] == pytest.approx(8520.43, abs=0.005)
    # May 2021 on the closes alone: never liquidated, 100 x 2,706.15 - the debt at the end
    (row,) = table[(table.window == "May 2021") & (table.data == "daily closes") &
                   (table.policy == "hold")].itertuples()
    assert row.liquidations == 0 and row.first_liquidation == "-"
    assert row.final_equity == pytest.approx(100 * 2706.15 - 100 * 2944.77 * 0.83 / 1.6,
                                              rel=1e-12)
