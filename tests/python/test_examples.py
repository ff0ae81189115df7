"""The Python examples run, small: the dask scale-out (its merged results
must equal the single-process run, or it exits non-zero), the policy
frontier pictures, the backtest, Monte Carlo against history (its
historical frequencies against a count written here), and the doctests of
the policy and simulation modules."""

import doctest
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
              "--shards", "3")
    assert "scan: 5,000 accounts in 3 shards" in out and "equal to one process: yes" in out
    assert "equal to one process, bit for bit: yes" in out


def test_policy_frontier_draws_pictures(tmp_path):
    pytest.importorskip("matplotlib")
    out = run("policy_frontier.py", "--paths", "40", "--steps", "6", "--out", str(tmp_path))
    assert "health band" in out and "predictive" in out
    for name in ("policy_frontier.png", "health_fan.png"):
        data = (tmp_path / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_backtest_example():
    pytest.importorskip("numpy")
    out = run("backtest.py")
    assert "merged shards equal one run: True" in out


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
