"""The Python examples run, small: the dask scale-out (its merged results
must equal the single-process run, or it exits non-zero), the policy
frontier pictures, the backtest, and the doctests of the policy and
simulation modules."""

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
