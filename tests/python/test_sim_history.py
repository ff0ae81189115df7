"""Backtests on real history (issue 17): keel's replays of the shipped ETH candles against
an independent replay written here in plain Python from the C docs (include/keel/sim.h:
the default liquidator, the adverse extreme checked first, the policy at the close;
include/keel/policy.h: the health band repays to its target at least cost, which with a
fee-only cost model is a closed form). Nothing here is keel's output pasted back.

The account of the acceptance: 100 ETH (WETH's Aave v3 liquidation threshold 83%:
maintenance haircut 0.17) against USDC sized for HF 1.6 on the 2021-05-01 close, 2,944.77;
its liquidation price is 2,944.77 / 1.6 = 1,840.48. May 2021's lowest close is 2,096.39
(May 23) but that day's low is 1,728.74: a close-only replay never liquidates, the OHLC
replay liquidates on 2021-05-23 -- at HF 0.939, below 0.95, so the whole debt is repaid
and 5% of it is lost to the bonus."""

import csv
import math
import pathlib

import pytest

import keel

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

DATA = pathlib.Path(__file__).resolve().parents[2] / "examples" / "data"
LT, BONUS, CLOSE_FACTOR, FULL_CLOSE = 0.83, 0.05, 0.5, 0.95  # WETH on Aave v3; keel's liquidator
START_CLOSE, HF0, ETH = 2944.77, 1.6, 100.0
DEBT = ETH * START_CLOSE * LT / HF0  # 152,759.94375 USDC
BAND = (1.3, 1.5)  # repay below 1.3 back to 1.5 (the health band's defaults, given explicitly)
REL = 1e-9


# ---- the data, read with the csv module (independent of pandas and keel) -------------------

def candles(name, first, last, key):
    """[(stamp, low, high, close)] of rows with first <= row[key] <= last (strings)."""
    out = []
    with open(DATA / name, newline="") as f:
        for row in csv.DictReader(f):
            if first <= row[key] <= last:
                out.append((row[key], float(row["low"]), float(row["high"]), float(row["close"])))
    return out


def daily_may():
    return candles("eth_usdt_daily.csv", "2021-05-01", "2021-05-31", "date")


def hourly_may():
    return candles("eth_usdt_hourly_crashes.csv", "2021-05-01T23:00:00Z", "2021-05-31T23:00:00Z",
                   "time_utc")


# ---- the independent replay ----------------------------------------------------------------

def independent(closes, lows=None, *, band=None, fee=0.0, q=ETH, d=DEBT):
    """One collateral (ETH, maintenance haircut 0.17) against one debt (USDC at 1), replayed
    as include/keel/sim.h says: each step, when lows are given, the liquidator first looks
    at the low (collateral held on net at its low) and acts there if HF < 1, else at the
    close; it repays the debt (50%, all of it below HF 0.95) and seizes collateral worth the
    repayment plus 5%, at most what there is. Then, at the close, a health band (repay below
    band[0]) sells x ETH to repay USDC so that HF is band[1]:
    LT (q - x) p = T (d - x p (1 - fee)), x = (T d - LT q p) / (p (T (1 - fee) - LT)),
    costing fee x p (keel_deleverage's levers with a fee-only cost: include/keel/policy.h)."""
    def hf(q, d, p):
        return q * p * LT / d if d > 0 else math.inf

    out = dict(health=[hf(q, d, closes[0])], health_low=[hf(q, d, closes[0])],
               equity=[q * closes[0] - d], collateral=[q * closes[0]], debt=[d],
               liquidations=[], trades=[], bonus_lost=0.0, cost=0.0)
    for s in range(1, len(closes)):
        checks = ([lows[s]] if lows is not None else []) + [closes[s]]
        out["health_low"].append(hf(q, d, checks[0]))
        for p in checks:
            h = hf(q, d, p)
            if h < 1.0 and q > 0 and d > 0:
                repay = (1.0 if h < FULL_CLOSE else CLOSE_FACTOR) * d
                seize = repay * (1 + BONUS) / p
                if seize > q:
                    seize, repay = q, q * p / (1 + BONUS)
                q, d = q - seize, d - repay
                out["bonus_lost"] += seize * p - repay
                out["liquidations"].append(dict(step=s, price=p, seized=seize, repaid=repay,
                                                bonus=seize * p - repay, before=h,
                                                after=hf(q, d, p)))
                break
        p = closes[s]
        if band is not None and hf(q, d, p) < band[0]:
            target = band[1]
            x = (target * d - LT * q * p) / (p * (target * (1 - fee) - LT))
            before = hf(q, d, p)
            q, d = q - x, d - x * p * (1 - fee)
            out["cost"] += fee * x * p
            out["trades"].append(dict(step=s, sold=x, repaid=x * p * (1 - fee), cost=fee * x * p,
                                      before=before, after=hf(q, d, p)))
        out["health"].append(hf(q, d, p))
        out["equity"].append(q * p - d)
        out["collateral"].append(q * p)
        out["debt"].append(d)
    out["final_equity"] = out["equity"][-1]
    return out


# ---- keel's side ---------------------------------------------------------------------------

def account(fee_bps=0.0):
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0)  # not the start price: the replay's row 0 is
    usdc = m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.195, maintenance=0.17)
    b = keel.Basket()
    b.set_collateral(eth, ETH)
    b.set_debt(usdc, DEBT)
    c = keel.CostModel()
    if fee_bps:
        c.set_fee(eth, bps=fee_bps)
    return m, b, h, c, eth, usdc


def band_policy(usdc):
    return keel.Policy.health_band(repay_below=BAND[0], repay_to=BAND[1], debt_asset=usdc)


def daily_frame():
    """May 2021 as pandas reads the shipped file: the candles keyed by date."""
    df = pd.read_csv(DATA / "eth_usdt_daily.csv", parse_dates=["date"], index_col="date")
    return df.loc["2021-05-01":"2021-05-31"]


def assert_rows(tr, ind):
    for name, key in (("health", "health"), ("health_low", "health_low"), ("equity", "equity"),
                      ("collateral_value", "collateral"), ("debt_value", "debt")):
        got, want = getattr(tr, name), np.array(ind[key])
        assert got.shape == want.shape, name
        both_inf = np.isinf(got) & np.isinf(want)
        assert np.all(both_inf | np.isclose(got, want, rtol=REL, atol=1e-7)), (
            name, np.flatnonzero(~(both_inf | np.isclose(got, want, rtol=REL, atol=1e-7))))


# ---- acceptance ----------------------------------------------------------------------------

def test_may_2021_daily_closes_never_liquidate_the_lows_do():
    rows = daily_may()
    closes = [r[3] for r in rows]
    lows = [r[1] for r in rows]
    assert rows[0][0] == "2021-05-01" and closes[0] == START_CLOSE and len(rows) == 31
    assert min(closes[1:]) == 2096.39 and START_CLOSE / HF0 == pytest.approx(1840.48, abs=0.005)
    assert min(lows[1:]) == 1728.74 and rows[lows.index(1728.74)][0] == "2021-05-23"
    m, b, h, c, eth, usdc = account()
    df = daily_frame()

    # close-only: a DataFrame of closes, its DatetimeIndex the time stamps
    sim = keel.Simulation.from_prices(m, b, h, c, df[["close"]].rename(columns={"close": "ETH"}))
    ind = independent(closes)
    assert ind["liquidations"] == []
    tr = sim.trace()
    assert tr.rows == 31 and tr.events == [] and tr.prices[0, eth] == START_CLOSE
    assert tr.health[0] == pytest.approx(HF0, rel=1e-15)
    assert_rows(tr, ind)
    assert tr.stats.summary.mean_liquidations == 0.0
    assert tr.equity[-1] == pytest.approx(ind["final_equity"], rel=REL)
    assert ind["final_equity"] == pytest.approx(100 * 2706.15 - DEBT, rel=1e-15)  # 117,855.06

    # OHLC: a dict of candle frames (close, low, high columns)
    sim = keel.Simulation.from_prices(m, b, h, c, {"ETH": df})
    ind = independent(closes, lows)
    (liq,) = ind["liquidations"]
    assert rows[liq["step"]][0] == "2021-05-23" and liq["price"] == 1728.74
    assert liq["before"] < FULL_CLOSE and liq["repaid"] == DEBT  # the whole debt
    tr = sim.trace()
    assert_rows(tr, ind)
    (ev,) = tr.events
    assert ev.kind == keel.EventKind.LIQUIDATION == "liquidation"
    assert ev.time == pd.Timestamp("2021-05-23") and ev.step == liq["step"] == 22
    assert (ev.asset, ev.debt_asset, ev.to_asset, ev.action) == ("ETH", "USDC", None,
                                                                 "sell_to_repay")
    assert ev.quantity == pytest.approx(liq["seized"], rel=REL)
    assert ev.repaid == pytest.approx(liq["repaid"], rel=REL)
    assert ev.value_seized == pytest.approx(liq["seized"] * 1728.74, rel=REL)
    assert ev.value_repaid == pytest.approx(liq["repaid"], rel=REL)
    assert ev.bonus_lost == pytest.approx(BONUS * DEBT, rel=REL)
    assert ev.health_before == pytest.approx(1728.74 / (START_CLOSE / HF0), rel=REL)
    assert ev.health_after == math.inf
    s = tr.stats.summary
    assert sim.run(0, 1).summary == s  # the trace is the run's path
    assert s.mean_bonus_lost == pytest.approx(ind["bonus_lost"], rel=REL)
    assert s.mean_final_equity == pytest.approx(ind["final_equity"], rel=REL)
    assert s.mean_min_health == pytest.approx(min(ind["health_low"][1:]), rel=REL)
    # pinned from the independent replay: 92.7831 ETH seized, 7,638.00 lost, 19,529.88 left
    assert liq["seized"] == pytest.approx(92.78314896, rel=1e-9)
    assert ind["bonus_lost"] == pytest.approx(7637.9971875, rel=1e-12)
    assert ind["final_equity"] == pytest.approx(19529.88143502, rel=1e-9)
    frame = tr.to_frame()
    assert frame.index[0] == pd.Timestamp("2021-05-01") and frame.index[-1] == pd.Timestamp(
        "2021-05-31")
    assert frame["debt_value"].loc["2021-05-22"] == DEBT and frame["debt_value"].loc["2021-05-23"] == 0


@pytest.mark.parametrize("fee_bps", [0.0, 10.0])
@pytest.mark.parametrize("ohlc", [False, True])
def test_may_2021_daily_health_band_equals_the_independent_replay(ohlc, fee_bps):
    rows = daily_may()
    closes, lows = [r[3] for r in rows], [r[1] for r in rows]
    m, b, h, c, eth, usdc = account(fee_bps)
    df = daily_frame()
    prices = {"ETH": df} if ohlc else df[["close"]].rename(columns={"close": "ETH"})
    sim = keel.Simulation.from_prices(m, b, h, c, prices, policy=band_policy(usdc))
    ind = independent(closes, lows if ohlc else None, band=BAND, fee=fee_bps * 1e-4)
    tr = sim.trace()
    assert_rows(tr, ind)
    assert ind["liquidations"] == [] and [rows[t["step"]][0] for t in ind["trades"]] == [
        "2021-05-22"]  # the band repays on the 22nd's close, before the 23rd's low
    (ev,) = tr.events
    (t,) = ind["trades"]
    assert ev.kind == "rebalance" and ev.time == pd.Timestamp("2021-05-22")
    assert ev.quantity == pytest.approx(t["sold"], rel=REL)
    assert ev.repaid == pytest.approx(t["repaid"], rel=REL)
    assert ev.cost == pytest.approx(t["cost"], rel=REL, abs=1e-9)
    assert ev.health_before == pytest.approx(t["before"], rel=REL)
    assert ev.health_after == pytest.approx(BAND[1], rel=REL)
    s = tr.stats.summary
    assert s.mean_final_equity == pytest.approx(ind["final_equity"], rel=REL)
    assert s.mean_rebalance_cost == pytest.approx(ind["cost"], rel=REL, abs=1e-9)
    assert s.mean_bonus_lost == 0.0
    # pinned from the independent replay: on the 22nd's close (2,294.87, HF 1.2469) the band
    # sells 25.1474 ETH (25.2038 with a 10 bp fee, costing 57.84) and May ends at 107,512.43
    # (107,431.39); holding ends at 117,855.06 on closes, 19,529.88 after the low's liquidation
    pins = {0.0: (25.147397628, 0.0, 107512.434553385), 10.0: (25.203824100, 57.839499813,
                                                              107431.387974223)}[fee_bps]
    assert (t["sold"], ind["cost"], ind["final_equity"]) == pytest.approx(pins, rel=1e-9)


def hourly_arrays():
    rows = hourly_may()
    stamps = np.array([r[0].rstrip("Z") for r in rows], dtype="datetime64[s]")
    low = np.array([r[1] for r in rows])
    high = np.array([r[2] for r in rows])
    close = np.array([r[3] for r in rows])
    return rows, stamps, low, high, close


@pytest.mark.parametrize("policy", [None, "band"])
@pytest.mark.parametrize("ohlc", [False, True])
def test_may_2021_hourly_equals_the_independent_replay(ohlc, policy):
    rows, stamps, low, high, close = hourly_arrays()
    assert rows[0][0] == "2021-05-01T23:00:00Z" and close[0] == START_CLOSE
    assert np.all(np.diff(stamps).astype(np.int64) >= 3600)  # gaps where Binance had none
    m, b, h, c, eth, usdc = account(fee_bps=5.0)
    sim = keel.Simulation(m, b, h, c, band_policy(usdc) if policy else None)
    sim.set_replay(close, assets="ETH", low=low if ohlc else None, high=high if ohlc else None,
                   time=stamps)
    assert sim.run_steps == len(rows) - 1
    ind = independent(list(close), list(low) if ohlc else None,
                      band=BAND if policy else None, fee=5e-4)
    tr = sim.trace()
    assert_rows(tr, ind)
    liq_hours = [rows[x["step"]][0] for x in ind["liquidations"]]
    assert [str(e.time) for e in tr.liquidations] == [h.replace("Z", "") for h in liq_hours]
    for e, x in zip(tr.liquidations, ind["liquidations"]):
        assert e.quantity == pytest.approx(x["seized"], rel=REL)
        assert e.bonus_lost == pytest.approx(x["bonus"], rel=REL)
    s = tr.stats.summary
    assert s.mean_final_equity == pytest.approx(ind["final_equity"], rel=REL)
    assert s.mean_bonus_lost == pytest.approx(ind["bonus_lost"], rel=REL, abs=1e-9)
    assert s.mean_rebalance_cost == pytest.approx(ind["cost"], rel=REL, abs=1e-9)
    assert (tr.time[1:] - tr.time[:-1] > 0).all()
    # pinned from the independent replay: on hourly closes nothing liquidates (the lowest
    # hourly close stays above 1,840.48); the hourly lows liquidate at 2021-05-23 16:00 (low
    # 1,728.74, the whole debt, 7,638.00 lost); the band (5 bp fee) repays twice, at
    # 2021-05-19 12:00 and 2021-05-23 08:00, and ends at 99,976.04 (daily: 107,512.43);
    # the band's trades keep the lows away from the line: the same on closes and on lows
    want = {(None, False): ([], [], 117855.05625), (None, True): (["2021-05-23T16:00:00Z"], [],
                                                                19529.881435025),
            ("band", False): ([], ["2021-05-19T12:00:00Z", "2021-05-23T08:00:00Z"],
                              99976.037564774)}[(policy, ohlc and not policy)]
    assert liq_hours == want[0] and [rows[x["step"]][0] for x in ind["trades"]] == want[1]
    assert ind["final_equity"] == pytest.approx(want[2], rel=1e-9)
    assert tr.time[-1] == pytest.approx((stamps[-1] - stamps[0]).astype(np.int64) / 31536000,
                                        rel=1e-15)


def test_may_2021_under_aave_v3_rules():
    """The same account on Aave v3 (the 2023-10-31 Ethereum report, keel.aave), WETH
    re-priced to the 2021-05-01 close and the USDC debt sized for HF 1.6 at the report's
    USDC oracle price (0.99997427): keel_sim_set_aave liquidates by the chain's rules. On
    the closes the chain's HF never falls below 1.139; at the 23rd's low it is 0.939 < 0.95,
    so the whole debt is repaid and WETH's 5% bonus (its protocol fee included) taken."""
    from keel.aave import AaveAccount, AaveMarket
    am = AaveMarket.from_report(DATA / "aave-v3-ethereum-20231031.json", version="3.6")
    am.set_price("WETH", 294477 * 10**6)  # 2,944.77 in 8 decimals
    usdc_price = am.reserve("USDC").price / 1e8
    assert usdc_price == 0.99997427
    debt_units = round(ETH * START_CLOSE * LT / HF0 / usdc_price * 1e6)
    a = AaveAccount(am)
    a.set_position("WETH", supply=100 * 10**18)
    a.set_position("USDC", debt=debt_units, collateral=False)
    assert a.account_data().health_factor / 1e18 == pytest.approx(HF0, rel=1e-9)
    km, kb, kh = a.to_keel()
    df = daily_frame()
    debt_value = debt_units / 1e6 * usdc_price
    for ohlc in (False, True):
        prices = {"WETH": df} if ohlc else df[["close"]].rename(columns={"close": "WETH"})
        sim = keel.Simulation.from_prices(km, kb, kh, keel.CostModel(), prices)
        sim.set_aave(am)
        tr = sim.trace()
        if not ohlc:
            assert tr.events == [] and tr.stats.summary.mean_liquidations == 0.0
            assert min(tr.health) == pytest.approx(2096.39 * 100 * LT / debt_value, rel=1e-9)
            continue
        (ev,) = tr.events
        assert ev.kind == "liquidation" and ev.time == pd.Timestamp("2021-05-23")
        seized = debt_value * (1 + BONUS) / 1728.74  # WETH, liquidator's and treasury's
        assert (ev.asset, ev.debt_asset) == ("WETH", "USDC")
        assert ev.quantity == pytest.approx(seized, rel=1e-9)
        assert ev.repaid == pytest.approx(debt_units / 1e6, rel=1e-12)
        assert ev.value_seized == pytest.approx(debt_value * (1 + BONUS), rel=1e-9)
        assert ev.bonus_lost == pytest.approx(BONUS * debt_value, rel=1e-9)
        assert tr.stats.summary.mean_final_equity == pytest.approx((ETH - seized) * 2706.15,
                                                                   rel=1e-9)


@pytest.mark.parametrize("low", [1800.0, 1888.0, 1890.0, 1900.0])
def test_aave_deficit_at_the_low_seizes_all_the_collateral(low):
    """Aave v3's rules when the collateral runs out first: 126.5875629398045 WETH against
    256,776.209753 USDC (HF 1.387 at 3,375.07), a step closing at 2,438.92 whose low is
    `low`. At the low HF = 126.58756 x low x 0.83 / (256,776.209753 x 0.99997427) is
    0.737 .. 0.777 < 0.95, so the whole debt may be repaid, and the debt x 1.05 it would
    take exceeds the collateral: every WETH is seized there (deficit), whatever the low.
    keel once re-quoted the winning liquidation with its debt repaid as the cover, which
    seized a few wei short of all of it and reverted (MustNotLeaveDust) at some lows (1,888
    and 1,900), so the step was liquidated at the close instead (found by the history
    study)."""
    from keel.aave import AaveAccount, AaveMarket
    am = AaveMarket.from_report(DATA / "aave-v3-ethereum-20231031.json", version="3.6")
    am.set_price("WETH", 337507 * 10**6)
    weth = 126.5875629398045
    a = AaveAccount(am)
    a.set_position("WETH", supply=int(round(weth * 10**18)))
    a.set_position("USDC", debt=256_776_209_753, collateral=False)
    km, kb, kh = a.to_keel()
    sim = keel.Simulation(km, kb, kh, keel.CostModel())
    sim.set_aave(am)
    sim.set_replay(np.array([3375.07, 2438.92]), assets=["WETH"], low=np.array([3375.07, low]))
    tr = sim.trace()
    (ev,) = tr.liquidations
    usdc = am.reserve("USDC").price / 1e8
    hf_low = weth * low * 0.83 / (256_776.209753 * usdc)
    assert ev.step == 1 and ev.health_before == pytest.approx(hf_low, rel=1e-6)
    assert ev.asset == "WETH" and ev.quantity == pytest.approx(weth, rel=1e-15)
    assert ev.value_seized == pytest.approx(weth * low, rel=1e-12)
