"""The Python API of issue 19: assets that know their market, symbols in reprs, None for
C's "no asset", keyword market data for the pricers, a broadcasting batch pricer, str
enums, to_dict / to_frame, merge that returns a new object, Policy reprs."""

import math
import pickle

import pytest

import keel

np = pytest.importorskip("numpy")


def _account(eth_price=2000.0):
    m = keel.Market()
    eth = m.add_asset("ETH", eth_price, volatility=0.8)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.195, maintenance=0.17)
    h.set_asset(usdc, initial=0.1, maintenance=0.05)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    return m, eth, usdc, h, b


# ---- assets that know their market --------------------------------------------------

def test_asset_is_an_int_with_a_symbol():
    m, eth, usdc, h, b = _account()
    assert isinstance(eth, keel.Asset) and isinstance(eth, int)
    assert (eth, usdc) == (0, 1) and eth.symbol == "ETH" and usdc.id == 1
    assert m["ETH"] == eth and m.find("USDC").symbol == "USDC"
    assert m.asset(1).symbol == "USDC" and m.asset("ETH") == 0
    assert [a.symbol for a in m.assets] == ["ETH", "USDC"]
    assert repr(eth) == "<keel.Asset ETH (id 0)>" and str(eth) == "0" and f"{usdc}" == "1"
    assert {eth: 1}[0] == 1 and {0: "x"}[eth] == "x"  # hashes and compares as its id
    assert pickle.loads(pickle.dumps(eth)) == 0


def test_a_basket_valued_against_another_market_raises():
    m, eth, usdc, h, b = _account()
    # 2000 x 10 x 0.83 / 12000 = 1.38333...
    assert b.metrics(m, h).health_factor == pytest.approx(16600 / 12000, rel=1e-15)
    other = keel.Market()
    other.add_asset("USDC", 1.0)
    other.add_asset("ETH", 2000.0)  # the same symbols, other ids: HF would be 3.46e-7
    with pytest.raises(keel.MarketMismatchError, match="another market"):
        b.metrics(other, h)
    for call in (lambda: b.liquidation_price(other, h, 0),
                 lambda: b.liquidation_prices(other, h, 0),
                 lambda: b.health_sensitivity(other, h, 0),
                 lambda: b.pnl(other, 0, 0.1),
                 lambda: h.breakdown(other, b, 0),
                 lambda: keel.stress(other, b, h, [0], [[-0.3]]),
                 lambda: keel.liquidation_probability(other, b, h, 0.1),
                 lambda: keel.deleverage(other, b, h, keel.CostModel(), repay_asset=1),
                 lambda: keel.Simulation(other, b, h, keel.CostModel(), steps=2)):
        with pytest.raises(keel.MarketMismatchError):
            call()
    # a MarketMismatchError is a ValueError
    assert issubclass(keel.MarketMismatchError, ValueError)


def test_clones_share_the_market_identity():
    m, eth, usdc, h, b = _account()
    c = m.clone()
    c.set_price(eth, 1000.0)
    assert b.metrics(c, h).health_factor == pytest.approx(8300 / 12000, rel=1e-15)
    assert b.clone().metrics(c, h.clone()).health_factor == pytest.approx(8300 / 12000,
                                                                         rel=1e-15)
    # clones that diverge: id 2 is BTC in one and SOL in the other
    btc = m.add_asset("BTC", 60000.0)
    c.add_asset("SOL", 150.0)
    with pytest.raises(keel.MarketMismatchError, match="diverged"):
        c.price(btc)
    assert m.price(btc) == 60000.0


def test_foreign_assets_are_refused_everywhere():
    m, eth, usdc, h, b = _account()
    m2, eth2, usdc2, h2, b2 = _account()
    with pytest.raises(keel.MarketMismatchError):
        m.price(eth2)
    with pytest.raises(keel.MarketMismatchError):
        m.set_correlation(eth, eth2, 0.5)
    with pytest.raises(keel.MarketMismatchError):
        b.set_collateral(eth2, 1.0)  # the basket holds m's assets already
    with pytest.raises(keel.MarketMismatchError):
        h.set_asset(usdc2, 0.1, 0.05)
    with pytest.raises(keel.MarketMismatchError):
        b.liquidation_price(m, h, eth2)
    costs = keel.CostModel()
    costs.set_fee(eth, bps=5)
    with pytest.raises(keel.MarketMismatchError):
        costs.cost(m2, eth2, 1.0)
    with pytest.raises(keel.MarketMismatchError):
        costs.cost(m, eth2, 1.0)
    o = keel.Options()
    o.add(eth, "call", strike=2500, expiry=0.1, quantity=-1)
    with pytest.raises(keel.MarketMismatchError):
        o.value(m2)
    with pytest.raises(keel.MarketMismatchError):
        b2.metrics(m2, h2, options=o)
    band = keel.Policy.health_band(debt_asset=usdc)
    with pytest.raises(keel.MarketMismatchError):
        band.plan(m2, b2, h2, keel.CostModel())
    with pytest.raises(keel.MarketMismatchError):
        keel.Policy.compose(band, keel.Policy.predictive(repay_asset=usdc2))
    with pytest.raises(keel.MarketMismatchError):
        keel.deleverage(m, b, h, keel.CostModel(), repay_asset=usdc2)
    with pytest.raises(keel.MarketMismatchError):
        keel.optimize_collateral(m, h, [eth2], max_var=100.0)
    sim = keel.Simulation(m, b, h, keel.CostModel(), steps=2)
    with pytest.raises(keel.MarketMismatchError):
        sim.set_drift(eth2, 0.1)
    plan = band.plan(m, b, h, keel.CostModel())
    with pytest.raises(keel.MarketMismatchError):
        plan.apply(b2)


def test_bare_ints_numpy_ints_and_lists_are_still_accepted():
    m, eth, usdc, h, b = _account()
    b2 = keel.Basket()
    b2.set_collateral(np.int64(0), 10.0)
    b2.set_debt(1, 12000.0)
    assert b2.metrics(m, h) == b.metrics(m, h)
    assert repr(b2) == "<keel.Basket {0: +10, 1: -12000}>"  # no market known: ids
    out = keel.stress(m, b, h, [int(eth)], [[-0.5], [0.0]])
    assert [r.health_factor for r in out] == pytest.approx([8300 / 12000, 16600 / 12000],
                                                           rel=1e-15)
    with pytest.raises(TypeError):
        m.price(True)
    with pytest.raises(TypeError):
        m.price(0.0)
    with pytest.raises(ValueError):
        m.price(-1)


# ---- reprs with symbols and parameters, None instead of the sentinel ----------------

def test_reprs_name_symbols_and_parameters():
    m, eth, usdc, h, b = _account()
    assert repr(b) == "<keel.Basket {ETH: +10, USDC: -12000}>"
    assert repr(h).startswith("<keel.HaircutModel {ETH: 0.195/0.17, USDC: 0.1/0.05}")
    c = keel.CostModel()
    c.set_sqrt_impact(eth, 0.5, 1e9)
    assert repr(c) == "<keel.CostModel {ETH: sqrt impact}>"
    o = keel.Options()
    o.add(eth, keel.OptionType.PUT, strike=1500, expiry=0.25, quantity=-2)
    assert repr(o) == "<keel.Options 1 position: -2 ETH put K=1500 T=0.25y>"
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=usdc)
    r = repr(band)
    assert r.startswith("<keel.Policy health_band(repay_below=1.3, repay_to=1.5,")
    assert "debt_asset=USDC" in r and "allowed=['repay']" in r
    lev = keel.Policy.leverage_band(eth, usdc, target=2.0, min=1.8, max=2.2)
    assert "asset=ETH" in repr(lev) and "target=2" in repr(lev)
    assert lev.settings["target"] == 2.0


def test_plan_actions_name_assets_and_use_none():
    m = keel.Market()
    eth = m.add_asset("ETH", 1800.0)
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_debt(usdc, 12000.0)
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=usdc)
    plan = band.plan(m, b, h, keel.CostModel())
    (a,) = plan.actions
    assert a.kind is keel.ActionKind.SELL_TO_REPAY and a.kind == "sell_to_repay"
    assert a.asset == eth and a.asset.symbol == "ETH" and a.debt_asset.symbol == "USDC"
    assert a.to_asset is None  # not 4294967295
    # 1440 (10 - x) = 1.5 (12000 - 1800 x)
    assert a.quantity == pytest.approx(2.857142857142857, rel=1e-12)
    r = repr(plan)
    assert r.startswith("<keel.Plan 1 action, cost 0, HF 1.2 -> 1.5: sell_to_repay") and \
        "ETH" in r and "USDC" in r
    empty = keel.Policy.health_band(repay_below=1.1, repay_to=1.5, debt_asset=usdc).plan(
        m, b, h, keel.CostModel())
    assert repr(empty).startswith("<keel.Plan 0 actions,") and len(empty) == 0
    d = plan.to_dict()
    assert d["actions"][0]["asset"] == "ETH" and d["actions"][0]["to_asset"] is None
    assert d["actions"][0]["kind"] == "sell_to_repay"
    assert d["after"]["health_factor"] == pytest.approx(1.5, rel=1e-12)


# ---- pricers: no silent market data, broadcasting batch -----------------------------

def test_black_scholes_needs_rate_and_vol():
    with pytest.raises(TypeError):
        keel.black_scholes("call", 60, 65, 0.25, vol=0.3)  # no rate
    with pytest.raises(TypeError):
        keel.black_scholes("call", 60, 65, 0.25, rate=0.08)  # no vol
    with pytest.raises(TypeError):
        keel.black_scholes("call", 60, 65, 0.25, 0.08, 0.0, 0.3)  # positional market data
    with pytest.raises(TypeError):
        keel.black76("call", 19, 19, 0.75, vol=0.28)
    with pytest.raises(TypeError):
        keel.implied_volatility("call", 2.0, 60, 65, 0.25)
    # Haug (2007), p. 3: 2.1334
    g = keel.black_scholes(keel.OptionType.CALL, 60, 65, 0.25, rate=0.08, vol=0.30)
    assert g.value == pytest.approx(2.1334, abs=5e-5)
    assert g.to_dict()["value"] == g.value


def test_batch_takes_kinds_like_the_scalar_and_broadcasts():
    strikes = np.array([[90.0], [100.0], [110.0]])  # (3, 1)
    out = keel.black_scholes_batch(["call", "put"], 100.0, strikes, 0.5, rate=0.05, vol=0.2,
                                   dividend=0.01)
    assert out["value"].shape == (3, 2) and out["delta"].shape == (3, 2)
    for i, k in enumerate((90.0, 100.0, 110.0)):
        for j, kind in enumerate(("call", "put")):
            want = keel.black_scholes(kind, 100.0, k, 0.5, rate=0.05, vol=0.2, dividend=0.01)
            # the batch's vector kernels agree with the scalar function within
            # 1e-13 of each member's terms, not to the bit (include/keel/options.h)
            assert out["value"][i, j] == pytest.approx(want.value, rel=1e-13)
            assert out["gamma"][i, j] == pytest.approx(want.gamma, rel=1e-13)
    # put-call parity on the broadcast result: C - P = S e^-qT - K e^-rT
    parity = 100 * math.exp(-0.005) - strikes[:, 0] * math.exp(-0.025)
    assert out["value"][:, 0] - out["value"][:, 1] == pytest.approx(parity, rel=1e-12)
    one = keel.black_scholes_batch(keel.OptionType.PUT, 100.0, 100.0, 1.0, rate=0.0, vol=0.2)
    assert one["value"].shape == () and float(one["value"]) == pytest.approx(
        keel.black_scholes("put", 100, 100, 1.0, rate=0.0, vol=0.2).value, rel=1e-13)
    # booleans (True: put), int arrays of 0/1, enums in a list, int64 and list inputs
    spots = [90, 100, 110]
    a = keel.black_scholes_batch(np.array([False, True, False]), spots, 100, 1.0, rate=0.03,
                                 vol=np.array([0.2, 0.3, 0.4]))
    b = keel.black_scholes_batch([keel.OptionType.CALL, "put", "call"],
                                 np.array(spots, dtype=np.int64), 100, 1.0, rate=0.03,
                                 vol=[0.2, 0.3, 0.4])
    assert np.array_equal(a["value"], b["value"])
    c = keel.black_scholes_batch(np.array([0, 1, 0], dtype=np.int64), spots, 100, 1.0,
                                 rate=0.03, vol=[0.2, 0.3, 0.4])
    assert np.array_equal(a["value"], c["value"])


def test_batch_refuses_what_does_not_broadcast_or_name_a_kind():
    with pytest.raises(ValueError, match="broadcast"):
        keel.black_scholes_batch("call", np.ones(3) * 100, np.ones(2) * 100, 1.0, rate=0.0,
                                 vol=0.2)
    with pytest.raises(ValueError, match="broadcast"):
        keel.black_scholes_batch(["call", "put", "call"], 100, 100, 1.0, rate=0.0,
                                 vol=[0.2, 0.3])
    with pytest.raises(ValueError, match="call"):
        keel.black_scholes_batch(["call", "straddle"], 100, 100, 1.0, rate=0.0, vol=0.2)
    with pytest.raises(ValueError):
        keel.black_scholes_batch(np.array([0, 2]), 100, 100, 1.0, rate=0.0, vol=0.2)
    with pytest.raises(TypeError):
        keel.black_scholes_batch(np.array([0.0, 1.0]), 100, 100, 1.0, rate=0.0, vol=0.2)
    with pytest.raises(ValueError, match="unknown greeks"):
        keel.black_scholes_batch("call", 100, 100, 1.0, rate=0.0, vol=0.2, greeks=["nope"])
    with pytest.raises(TypeError):
        keel.black_scholes_batch("call", 100, 100, 1.0, vol=0.2)  # no rate


def test_batch_reads_full_length_float64_in_place():
    spot = np.linspace(50, 150, 5)
    vol = np.full(5, 0.3)
    out = keel.black_scholes_batch("call", spot, 100.0, 0.5, rate=0.0, vol=vol)
    vol[2] = -1.0  # the same array, read in place: refused at its index
    with pytest.raises(keel.OutOfRangeError, match="option 2"):
        keel.black_scholes_batch("call", spot, 100.0, 0.5, rate=0.0, vol=vol)
    assert out["value"].shape == (5,)


# ---- enums ------------------------------------------------------------------------

def test_enums_are_strings_and_are_accepted_where_strings_are():
    m, eth, usdc, h, b = _account()
    assert keel.OptionType.CALL == "call" and str(keel.OptionType.PUT) == "put"
    lp = b.liquidation_price(m, h, eth)
    assert lp.side is keel.LiquidationSide.BELOW and lp.side == "below"
    # 10 p 0.83 = 12000 x 0.95 (USDC's 0.05 maintenance haircut is on collateral only)
    assert lp.price == pytest.approx(12000 / 8.3, rel=1e-12)
    h.concentration_mode = keel.ConcentrationMode.EXCLUDE
    assert h.concentration_mode is keel.ConcentrationMode.EXCLUDE
    h.concentration_mode = "extra"
    assert h.concentration_mode == "extra"
    with pytest.raises(ValueError, match="'extra', 'exclude'"):
        h.concentration_mode = "drop"
    band = keel.Policy.health_band(allowed=[keel.Allow.REPAY, "deposit"], debt_asset=usdc)
    assert band.kind is keel.PolicyKind.HEALTH_BAND
    assert band.settings["allowed"] == ["repay", "deposit"]
    with pytest.raises(ValueError):
        keel.Policy.health_band(allowed=["repay", "teleport"])
    with pytest.raises(TypeError):
        keel.Policy.health_band(allowed="repay")
    c = keel.CostModel()
    c.set_linear_impact(eth, 0.1, 1e6)
    assert c.impact(eth) is keel.ImpactKind.LINEAR
    o = keel.Options()
    o.add(eth, keel.OptionType.CALL, 2500, 0.1, -1)
    assert o.positions()[0].kind is keel.OptionType.CALL and o.positions()[0].underlying == eth


# ---- to_dict / to_frame, merge ------------------------------------------------------

def test_records_to_dict_and_to_frame():
    pd = pytest.importorskip("pandas")
    m, eth, usdc, h, b = _account()
    met = b.metrics(m, h)
    d = met.to_dict()
    assert d["health_factor"] == met.health_factor and len(d) == 15
    f = met.to_frame()
    assert list(f.columns) == list(d) and f.shape == (1, 15)
    assert b.positions()[0].to_dict() == {"asset": "ETH", "collateral": 10.0, "debt": 0.0}
    assert b.to_dict() == {"ETH": {"collateral": 10.0, "debt": 0.0},
                           "USDC": {"collateral": 0.0, "debt": 12000.0}}
    assert list(b.to_frame().index) == ["ETH", "USDC"]
    br = h.breakdown(m, b, eth).to_dict()
    assert br["maintenance"] == pytest.approx(0.17) and br["has_schedule"] is True
    shocks = [[-0.1], [-0.2], [-0.3]]
    st = keel.stress(m, b, h, [eth], shocks)
    frame = st.to_frame()
    assert frame.shape == (3, 15)
    # HF = 16600 (1 + s) / 12000
    assert list(frame["health_factor"]) == pytest.approx(
        [16600 * (1 + s[0]) / 12000 for s in shocks], rel=1e-14)
    assert st.to_dict()["health_factor"] == list(frame["health_factor"])
    assert keel.stress(m, b, h, [eth], []).to_dict()["health_factor"] == []
    sim = keel.Simulation(m, b, h, keel.CostModel(), steps=5, seed=1)
    stats = sim.run(0, 10)
    s = stats.to_dict()
    assert s["paths"] == 10 and s["first_policy_failure_path"] is None
    assert stats.summary.to_frame().shape == (1, 14)
    assert stats.to_frame().shape == (10, 8)


def test_to_frame_without_pandas_says_what_is_missing(monkeypatch):
    import builtins
    real = builtins.__import__

    def no_pandas(name, *args, **kw):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real(name, *args, **kw)
    m, eth, usdc, h, b = _account()
    met = b.metrics(m, h)
    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match="needs pandas"):
        met.to_frame()
    assert met.to_dict()["debt_value"] == 12000.0  # no pandas needed


def test_merge_returns_new_statistics():
    m, eth, usdc, h, b = _account()
    sim = keel.Simulation(m, b, h, keel.CostModel(), steps=10, seed=7)
    whole = sim.run(0, 40)
    first, second = sim.run(0, 25), sim.run(25, 15)
    before = first.to_bytes()
    merged = first.merge(second)
    assert merged is not first and first.to_bytes() == before
    assert merged.summary == whole.summary and merged.to_bytes() == whole.to_bytes()
    assert first.merge_into(second) is first and first.to_bytes() == whole.to_bytes()
    assert repr(sim.run(0, 1)).startswith("<keel.SimStats 1 path,")


def test_py_typed_is_shipped():
    import pathlib
    pkg = pathlib.Path(keel.__file__).parent
    assert (pkg / "py.typed").exists()
    toml = (pkg.parent / "pyproject.toml").read_text()
    assert 'keel = ["py.typed"]' in toml


# ---- protocol parameter loaders -----------------------------------------------------

def test_aave_haircuts_from_the_reserve_configuration():
    import pathlib
    from keel.aave import AaveMarket, haircuts
    report = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data" / \
        "aave-v3-ethereum-20231031.json"
    m = keel.Market()
    weth = m.add_asset("WETH", 1800.0)
    wsteth = m.add_asset("wstETH", 2050.0)
    gho = m.add_asset("GHO", 1.0)
    other = m.add_asset("NOTARESERVE", 1.0)
    h = haircuts(report, m)
    # the report's bps (WETH ltv 8050, threshold 8300; wstETH 7850 / 8100; GHO 0 / 0)
    assert h.asset(weth) == (0.195, 0.17)            # (10000 - 8050) / 1e4, (10000 - 8300) / 1e4
    assert h.asset(wsteth) == (0.215, 0.19)
    assert h.asset(gho) == (1.0, 1.0) and h.asset(other) == (1.0, 1.0)  # no schedule
    am = AaveMarket("3.6")
    am.add_reserve("WETH", decimals=18, ltv=8050, liquidation_threshold=8300,
                   liquidation_bonus=10500, price=2000 * 10**8)
    h2 = haircuts(am, m)
    assert h2.asset(weth) == (0.195, 0.17)
    assert repr(h2).startswith("<keel.HaircutModel {WETH: 0.195/0.17}")
    m2 = keel.Market()
    m2.add_asset("WETH", 1.0)
    with pytest.raises(keel.MarketMismatchError):  # a model already bound to another market
        haircuts(am, m2, into=h2)


def test_comet_haircuts_from_the_collateral_factors():
    from keel.comet import CometMarket, haircuts
    E15 = 10**15
    cm = CometMarket("USDC", decimals=6, price=10**8)
    cm.add_asset("WETH", decimals=18, price=2000 * 10**8, borrow_collateral_factor=825 * E15,
                 liquidate_collateral_factor=895 * E15, liquidation_factor=950 * E15)
    m = keel.Market()
    weth = m.add_asset("WETH", 2000.0)
    usdc = m.add_asset("USDC", 1.0)
    h = haircuts(cm, m)
    assert h.asset(weth) == (0.175, 0.105) and h.asset(usdc) == (1.0, 1.0)
    # comet's deployments/mainnet/usdc/configuration.json form
    conf = {"baseToken": "USDC", "assets": {"WETH": {"borrowCF": 0.825, "liquidateCF": 0.895,
                                                      "liquidationFactor": 0.95}}}
    assert haircuts(conf, m).asset(weth) == (1 - 0.825, 1 - 0.895)
    with pytest.raises(ValueError, match="liquidateCF"):
        haircuts({"assets": {"WETH": {"borrowCF": 0.8}}}, m)
    with pytest.raises(ValueError, match="borrowCF"):
        haircuts({"assets": {"WETH": {"borrowCF": 1.2, "liquidateCF": 0.9}}}, m)


def test_morpho_haircuts_from_the_lltv():
    from keel.morpho import MorphoMarket, haircuts
    mm = MorphoMarket("USDC", "WETH", lltv=86 * 10**16, price=2000 * 10**24,
                      loan_decimals=6, collateral_decimals=18)
    m = keel.Market()
    weth = m.add_asset("WETH", 2000.0)
    usdc = m.add_asset("USDC", 1.0)
    h = haircuts(mm, m)
    assert h.asset(weth) == (0.14, 0.14) and h.asset(usdc) == (1.0, 1.0)
    api = {"uniqueKey": "0xb323", "lltv": "915000000000000000",
           "collateralAsset": {"symbol": "WETH"}, "loanAsset": {"symbol": "USDC"}}
    assert haircuts(api, m).asset(weth) == (0.085, 0.085)
    with pytest.raises(ValueError):
        haircuts({"lltv": str(10**18), "collateralAsset": {"symbol": "WETH"}}, m)
    with pytest.raises(ValueError):
        haircuts({"lltv": "1"}, m)
    with pytest.raises(keel.NotFoundError):
        haircuts({"lltv": "1", "collateralAsset": {"symbol": "WBTC"}}, m)


def test_no_asset_is_none_in_margin_results():
    m, eth, usdc, h, b = _account()
    assert keel.Options().scenario_margin(m).worst_underlying is None  # not 4294967295
    o = keel.Options()
    o.add(eth, "call", strike=2500, expiry=30 / 365, quantity=-10)
    r = o.scenario_margin(m)
    assert r.worst_underlying == eth and r.worst_underlying.symbol == "ETH"
    assert r.to_dict()["worst_underlying"] == "ETH"
