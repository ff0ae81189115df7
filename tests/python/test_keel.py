"""Python bindings: hand-worked accounts, errors per status with unchanged
state, handle lifetime, numpy input, and that every exported C function is bound."""

import doctest
import gc
import math
import os
import shutil
import subprocess

import pytest

import keel
from keel import _ffi


@pytest.fixture
def market():
    m = keel.Market()
    for sym, px in [("ETH", 2000.0), ("USDC", 1.0), ("WBTC", 60000.0), ("UNI", 10.0)]:
        m.add_asset(sym, px)
    yield m
    m.close()


@pytest.fixture
def haircuts():
    # Aave v3-shaped: ETH LTV 80.5% / threshold 83%; WBTC 73% / 78%; USDC 75% / 78%
    h = keel.HaircutModel()
    h.set_asset(0, initial=0.195, maintenance=0.17)
    h.set_asset(2, initial=0.27, maintenance=0.22)
    h.set_asset(1, initial=0.25, maintenance=0.22)
    h.set_borrow_factor(3, 1.25)
    yield h
    h.close()


def test_single_collateral_account(market, haircuts):
    # 10 ETH at 2000, 12000 USDC debt: L = 20000 * 0.83 = 16600, HF = 16600 / 12000
    eth, usdc = market["ETH"], market["USDC"]
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    m = b.metrics(market, haircuts)
    assert m.collateral_value == pytest.approx(20000.0, rel=1e-15)
    assert m.borrowing_power == pytest.approx(16100.0, rel=1e-15)
    assert m.health_factor == pytest.approx(16600.0 / 12000.0, rel=1e-15)
    assert m.ltv == pytest.approx(0.6, rel=1e-15)
    assert m.capital_efficiency == pytest.approx(12000.0 / 16100.0, rel=1e-15)
    lp = b.liquidation_price(market, haircuts, eth)
    assert lp.side == "below"
    assert lp.price == pytest.approx(12000.0 / 8.3, rel=1e-14)  # 8.3 * p = 12000
    # second method: at that price HF is 1
    moved = market.clone()
    moved.set_price(eth, lp.price)
    assert b.metrics(moved, haircuts).health_factor == pytest.approx(1.0, rel=1e-12)
    assert b.liquidation_price(market, haircuts, usdc).side == "above"


def test_multi_collateral_and_borrow_factor(market, haircuts):
    # 10 ETH + 0.5 WBTC collateral; 500 UNI (factor 1.25) + 3000 USDC debt
    # L = 16600 + 30000 * 0.78 = 40000; W = 5000 * 1.25 + 3000 = 9250; HF = 40000 / 9250
    b = keel.Basket()
    b.set_collateral(0, 10.0)
    b.set_collateral(2, 0.5)
    b.set_debt(3, 500.0)
    b.set_debt(1, 3000.0)
    m = b.metrics(market, haircuts)
    assert m.liquidation_value == pytest.approx(40000.0, rel=1e-15)
    assert m.debt_value == pytest.approx(8000.0, rel=1e-15)
    assert m.weighted_debt == pytest.approx(9250.0, rel=1e-15)
    assert m.health_factor == pytest.approx(40000.0 / 9250.0, rel=1e-15)
    # UNI: 40000 = 3000 + 625 p -> p = 59.2
    lp = b.liquidation_price(market, haircuts, 3)
    assert lp == keel.LiquidationPrice(pytest.approx(59.2, rel=1e-14), "above")


def test_no_debt_and_positions(market, haircuts):
    b = keel.Basket()
    b.set_collateral(0, 10.0)
    b.add_collateral(0, 2.0)
    b.set_debt(0, 1.0)
    m = b.metrics(market, haircuts)
    assert m.health_factor == pytest.approx(12 * 2000 * 0.83 / 2000.0)
    b.set_debt(0, 0.0)
    m = b.metrics(market, haircuts)
    assert math.isinf(m.health_factor) and m.ltv == 0.0
    assert b.positions() == [keel.Position(0, 12.0, 0.0)]
    assert len(b) == 1
    assert b.liquidation_price(market, haircuts, 0) == keel.LiquidationPrice(0.0, "never")


def test_errors_carry_status_and_change_nothing(market, haircuts):
    b = keel.Basket()
    b.set_collateral(0, 10.0)
    with pytest.raises(keel.NotFiniteError) as e:
        b.set_collateral(0, float("nan"))
    assert e.value.status == 2 and "finite" in e.value.detail
    with pytest.raises(keel.OutOfRangeError):
        b.add_collateral(0, -11.0)
    assert b.collateral(0) == 10.0
    with pytest.raises(keel.OutOfRangeError):
        haircuts.set_asset(0, initial=0.1, maintenance=0.2)
    assert haircuts.asset(0) == (0.195, 0.17)
    with pytest.raises(keel.OutOfRangeError):
        haircuts.set_borrow_factor(3, 0.5)
    assert haircuts.borrow_factor(3) == 1.25
    with pytest.raises(keel.DuplicateError):
        market.add_asset("ETH", 1.0)
    with pytest.raises(keel.InvalidSymbolError):
        market.add_asset("BAD SYMBOL", 1.0)
    with pytest.raises(keel.OutOfRangeError):
        market.set_price(0, -1.0)
    with pytest.raises(keel.OutOfRangeError):
        market.set_correlation(0, 1, 1.5)
    with pytest.raises(keel.UnknownAssetError):
        market.price(99)
    with pytest.raises(keel.NotFoundError):
        market.find("DOGE")
    assert len(market) == 4 and market.price(0) == 2000.0
    b.set_collateral(77, 1.0)
    with pytest.raises(keel.UnknownAssetError):
        b.metrics(market, haircuts)
    assert isinstance(keel.UnknownAssetError("x", 5), KeyError)
    assert keel.status_name(5) == "KEEL_E_UNKNOWN_ASSET"


def test_market_properties_and_numpy(market):
    np = pytest.importorskip("numpy")
    market.rate = 0.04
    assert market.rate == 0.04
    market.set_volatility(0, 0.8)
    market.set_carry(0, 0.03)
    market.set_depth(0, 1e7)
    market.set_correlation(0, 2, 0.7)
    assert (market.volatility(0), market.carry(0), market.depth(0)) == (0.8, 0.03, 1e7)
    assert market.correlation(2, 0) == 0.7 and market.correlation(1, 1) == 1.0
    assert math.isinf(market.depth(1))
    assert market.symbols == ["ETH", "USDC", "WBTC", "UNI"]
    assert "WBTC" in market and "DOGE" not in market
    prices = np.array([2100.0, 1.0, 61000.0, 11.0])
    market.set_prices(prices)
    assert market.price(2) == 61000.0
    with pytest.raises(TypeError):
        market.set_prices(np.array([1, 2], dtype=np.int64))
    with pytest.raises(keel.OutOfRangeError):
        market.set_prices([1.0, 0.0])
    assert market.price(0) == 2100.0  # all or nothing
    market.set_prices([2000.0])
    assert market.price(0) == 2000.0
    assert "ETH=2000" in repr(market)


def test_handles_close_and_context_managers():
    gc.collect()  # handles of earlier tests caught in reference cycles go first
    before = keel.live_handles()
    with keel.Market() as m, keel.Basket() as b, keel.HaircutModel() as h:
        assert keel.live_handles() == before + 3
        m.add_asset("ETH", 1.0)
        c = m.clone()
        assert c.symbol(0) == "ETH"
        c.close()
        b2 = b.clone()
        h2 = h.clone()
        del b2, h2
    assert keel.live_handles() == before
    with pytest.raises(ValueError):
        m.price(0)
    assert repr(m) == "<keel.Market closed>"
    m.close()  # twice is fine


def test_every_exported_function_is_bound():
    nm = shutil.which("nm")
    if nm is None:
        pytest.skip("nm not available")
    path = os.environ.get("KEEL_LIBRARY") or _ffi.lib._name
    out = subprocess.run([nm, "-D", "--defined-only", path], check=True, capture_output=True,
                         text=True).stdout
    exported = {line.split()[2].split("@")[0] for line in out.splitlines()
                if len(line.split()) == 3 and line.split()[1] == "T"}
    assert exported, "no exported functions found"
    assert exported == set(_ffi.SIGNATURES), (
        f"unbound: {sorted(exported - set(_ffi.SIGNATURES))}; "
        f"bound but not exported: {sorted(set(_ffi.SIGNATURES) - exported)}")


def test_package_doctest():
    assert doctest.testmod(keel).failed == 0
    assert keel.__version__ == keel.version()


def test_python_example_runs():
    import pathlib
    import sys
    example = pathlib.Path(__file__).resolve().parents[2] / "examples" / "python" / "account.py"
    out = subprocess.run([sys.executable, str(example)], check=True, capture_output=True,
                         text=True, env=os.environ).stdout
    # 25 ETH at 3000 x 0.83 + 0.8 WBTC at 95000 x 0.78 + 20000 x 0.78 = 137130; / 95000
    assert f"health factor {137130 / 95000:.4f}" in out
    assert "ETH" in out and "below" in out


def test_ltv_zero_collateral_and_aave_names():
    # Aave v3 lists some assets at LTV 0 with a threshold above 0: initial
    # haircut 1, maintenance 0.23. 1 ETH at 2000 (0.195 / 0.17) and 1000 USDT
    # against 1500 USDC: BP 1610, L 2430, HF 1.62; Aave's ltv 1610 / 3000 and
    # currentLiquidationThreshold 0.81; keel's ltv D / C = 0.5.
    m = keel.Market(); eth = m.add_asset("ETH", 2000.0); usdc = m.add_asset("USDC", 1.0)
    usdt = m.add_asset("USDT", 1.0)
    h = keel.HaircutModel(); h.set_asset(eth, initial=0.195, maintenance=0.17)
    h.set_asset(usdt, initial=1.0, maintenance=0.23)
    b = keel.Basket(); b.set_collateral(eth, 1.0); b.set_collateral(usdt, 1000.0)
    b.set_debt(usdc, 1500.0)
    met = b.metrics(m, h)
    assert met.health_factor == pytest.approx(1.62, rel=1e-15)
    assert met.weighted_max_ltv == pytest.approx(1610.0 / 3000.0, rel=1e-15)
    assert met.weighted_liquidation_threshold == pytest.approx(0.81, rel=1e-15)
    assert met.ltv == pytest.approx(0.5, rel=1e-15)
    b.set_debt(usdc, 5000.0)  # over the borrowing limit: nothing more to borrow
    assert b.metrics(m, h).free_borrowing_power == 0.0
    with pytest.raises(keel.OutOfRangeError):
        h.set_asset(usdt, initial=1.0, maintenance=1.0)


def test_set_correlations_equals_one_by_one():
    """The batch leaves the market as the single setter does pair by pair
    (a later pair wins, 0 removes one); a bad pair or unequal lengths change
    nothing."""
    one, batch = keel.Market(), keel.Market()
    for i in range(6):
        one.add_asset(f"A{i}", 1.0)
        batch.add_asset(f"A{i}", 1.0)
    a = [0, 1, 2, 0, 3, 4, 0]
    b = [1, 2, 3, 1, 3, 5, 2]
    rho = [0.5, -0.25, 0.75, 0.125, 1.0, 0.0, 0.0]
    for x, y, r in zip(a, b, rho):
        one.set_correlation(x, y, r)
    batch.set_correlations(a, b, rho)
    for i in range(6):
        for j in range(6):
            assert batch.correlation(i, j) == one.correlation(i, j)
    assert batch.correlation(1, 0) == 0.125
    with pytest.raises(keel.OutOfRangeError):
        batch.set_correlations([0, 4], [5, 5], [0.3, 2.0])
    assert batch.correlation(0, 5) == 0.0
    with pytest.raises(ValueError):
        batch.set_correlations([0, 1], [2], [0.1, 0.2])
    with pytest.raises(ValueError):
        batch.set_correlations([-1], [2], [0.1])
