"""What Simulation.set_replay, set_window, set_volatility and from_prices accept, and what
they refuse (issue 17's "Bad input"): lows above highs, a close outside its range,
non-increasing stamps, NaN anywhere, shapes that do not match -- each a Python exception
carrying C's status and detail, or a ValueError / TypeError before C -- and integers that
would wrap (stamps past int64, negative rows and paths) refused, never passed on. After
every failure the previous replay still runs, unchanged."""

import ctypes
import datetime as dt
import sys

import pytest

import keel
from keel import _ffi

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")

DAY = 86_400
T0 = 1_619_827_200  # 2021-05-01 00:00 UTC


@pytest.fixture
def sim():
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0, volatility=0.8)
    m.add_asset("USDC", 1.0)
    btc = m.add_asset("BTC", 50000.0, volatility=0.6)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    h.set_asset(btc, initial=0.3, maintenance=0.25)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_collateral(btc, 0.5)
    b.set_debt(1, 20000.0)
    s = keel.Simulation(m, b, h, keel.CostModel())
    close = np.array([[2000.0, 50000.0], [1900.0, 48000.0], [1700.0, 45000.0], [1800.0, 47000.0]])
    s.set_replay(close, assets=["ETH", "BTC"], low=close * 0.95, high=close * 1.05,
                 time=T0 + DAY * np.arange(4))
    return s, close


def fingerprint(s):
    tr = s.trace()
    return (tr.prices.tobytes(), tr.time.tobytes(), tr.health_low.tobytes(), tr.rows,
            s.window, s.run(0, 1).summary)


BAD = [
    # (what, kwargs changes, exception, text in the message)
    ("a low above its high", dict(low="swap"), keel.OutOfRangeError, "outside its low"),
    ("a close above its high", dict(close_row=(2, 0, 1e6)), keel.OutOfRangeError,
     "path 0, row 2, asset 0"),
    ("a close below its low", dict(low_row=(3, 1, 47000.5)), keel.OutOfRangeError, "row 3"),
    ("stamps not increasing", dict(time=T0 + DAY * np.array([0, 2, 1, 3])),
     keel.OutOfRangeError, "increase"),
    ("stamps repeated", dict(time=T0 + DAY * np.array([0, 1, 1, 3])), keel.OutOfRangeError,
     "increase"),
    ("NaN in a close", dict(close_row=(1, 1, np.nan)), keel.NotFiniteError, "row 1, asset 2"),
    ("NaN in a low", dict(low_row=(2, 0, np.nan)), keel.NotFiniteError, "low price"),
    ("inf in a high", dict(high_row=(2, 0, np.inf)), keel.NotFiniteError, "high price"),
    ("a price <= 0", dict(close_row=(0, 0, 0.0)), keel.OutOfRangeError, "close price"),
    ("NaN in the stamps", dict(time=np.array([0.0, 1.0, np.nan, 3.0])), TypeError, "floats"),
    ("NaT in the stamps", dict(time=np.array(["2021-05-01", "NaT", "2021-05-03", "2021-05-04"],
                                             dtype="datetime64[s]")), ValueError, "NaT"),
    ("fractional seconds", dict(time=np.array([0, 1500, 2000, 3000], dtype="datetime64[ms]")),
     ValueError, "whole number of seconds"),
    ("stamps past int64", dict(time=[0, 1, 2, 2**63]), OverflowError, "64-bit"),
    ("uint64 stamps past int64", dict(time=np.array([0, 1, 2, 2**63], dtype=np.uint64)),
     OverflowError, "64-bit"),
    ("a stamp short", dict(time=T0 + DAY * np.arange(3)), ValueError, "3 stamps"),
    ("low of another shape", dict(low="short"), ValueError, "shape"),
    ("assets not matching the columns", dict(assets=["ETH"]), ValueError, "1 assets"),
    ("an asset twice", dict(assets=["ETH", "ETH"]), keel.OutOfRangeError, "twice"),
    ("an unknown symbol", dict(assets=["ETH", "SOL"]), keel.UnknownAssetError, "SOL"),
    ("an unknown id", dict(assets=[0, 9]), keel.UnknownAssetError, ""),
    ("a negative id", dict(assets=[0, -1]), ValueError, ""),
    ("4-D prices", dict(close="4d"), ValueError, "1-D"),
    ("one row", dict(close="one row"), keel.OutOfRangeError, "rows"),
    ("booleans", dict(close="bool"), TypeError, "numbers"),
    ("strings", dict(close="str"), TypeError, "numbers"),
    ("float stamps", dict(time=np.arange(4.0)), TypeError, "floats"),
    ("bool stamps", dict(time=[True, False, True, False]), TypeError, ""),
]


@pytest.mark.parametrize("what,change,exc,text", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_refused_and_changes_nothing(sim, what, change, exc, text):
    s, close = sim
    before = fingerprint(s)
    args = dict(close=close.copy(), assets=["ETH", "BTC"], low=close * 0.95, high=close * 1.05,
                time=T0 + DAY * np.arange(4))
    for key, value in change.items():
        if key.endswith("_row"):
            arr = args[key[:-4]]
            arr[value[0], value[1]] = value[2]
        elif isinstance(value, str) and value == "swap":
            args["low"], args["high"] = args["high"], args["low"]
        elif isinstance(value, str) and value == "short":
            args[key] = args[key][:3]
        elif isinstance(value, str) and value == "4d":
            args["close"] = args["close"].reshape(1, 1, 4, 2)
        elif isinstance(value, str) and value == "one row":
            args = dict(close=close[:1], assets=["ETH", "BTC"])
        elif isinstance(value, str) and value == "bool":
            args["close"] = close > 0
        elif isinstance(value, str) and value == "str":
            args["close"] = close.astype(str)
        else:
            args[key] = value
    with pytest.raises(exc) as e:
        s.set_replay(args.pop("close"), **args)
    assert text in str(e.value)
    if isinstance(e.value, keel.KeelError):
        assert e.value.status == exc.status
        if what != "an unknown symbol":  # the binding maps symbols; C checks the rest
            assert e.value.detail.startswith("keel_sim_set_replay: ")
    assert fingerprint(s) == before  # the previous replay still runs


def test_windows_and_volatility_refusals_change_nothing(sim):
    s, close = sim
    before = fingerprint(s)
    for call, exc in (
            (lambda: s.set_window(-1), ValueError),
            (lambda: s.set_window(2**64), ValueError),
            (lambda: s.set_window(0, -2), ValueError),
            (lambda: s.set_window(1.0), TypeError),
            (lambda: s.set_window(True), TypeError),
            (lambda: s.set_window(3), keel.OutOfRangeError),      # the last row: no step left
            (lambda: s.set_window(1, 3), keel.OutOfRangeError),   # past the last row
            (lambda: s.set_window("2021-04-01", end="2021-04-02"), ValueError),  # before row 0
            (lambda: s.set_window("2021-06-01"), ValueError),     # after the last row
            (lambda: s.set_window(0, 1, end=2), ValueError),      # steps and end
            (lambda: s.set_window(2, end=1), ValueError),
            (lambda: s.set_window("not a date"), ValueError),
            (lambda: s.set_volatility("ETH", "garch", omega=1e-5, alpha=0.2, beta=0.8),
             keel.OutOfRangeError),
            (lambda: s.set_volatility("ETH", "ewma", lam=1.0), keel.OutOfRangeError),
            (lambda: s.set_volatility("ETH", "ewma", lam=float("nan")), keel.NotFiniteError),
            (lambda: s.set_volatility("ETH", "ewma", lam=0.94, period=0.0),
             keel.OutOfRangeError),
            (lambda: s.set_volatility("ETH", "ewma", lam=0.94, initial_variance=-1.0),
             keel.OutOfRangeError),
            (lambda: s.set_volatility("ETH", "ewma", lam=0.9, alpha=0.1), ValueError),
            (lambda: s.set_volatility("ETH", "ewma", lam=0.9, drives=True), ValueError),
            (lambda: s.set_volatility("ETH", "garch", omega=1e-5, alpha=0.1, beta=0.8,
                                      drives=1), TypeError),
            (lambda: s.set_volatility("ETH", "heston"), ValueError),
            (lambda: s.set_volatility("SOL", "ewma", lam=0.9), keel.UnknownAssetError),
            (lambda: s.set_volatility(7, "ewma", lam=0.9), keel.UnknownAssetError),
    ):
        with pytest.raises(exc):
            call()
        assert fingerprint(s) == before
    s.set_window("2021-05-02", end="2021-05-03")
    assert s.window == (1, 1) and s.trace().prices[0, 0] == 1900.0
    s.set_window("2021-05-01T12:00")  # the first row at or after it
    assert s.window == (1, 2)
    s.set_window(dt.datetime(2021, 5, 2, tzinfo=dt.timezone.utc), end=np.datetime64("2021-05-03T23:00"))
    assert s.window == (1, 1)
    s.set_window(pd.Timestamp("2021-05-01", tz="UTC"), end=pd.Timestamp("2021-05-01 22:00",
                                                                       tz="US/Eastern"))
    assert s.window == (0, 1)  # 22:00 in New York is 02:00 UTC on the 2nd: row 1 is before it
    s.set_replay(None)  # the model again: no window
    assert s.run_steps == s.steps
    with pytest.raises(keel.OutOfRangeError, match="no replay"):
        s.set_window(0)
    with pytest.raises(ValueError, match="has none"):
        s.set_window("2021-05-01")


def test_the_ways_to_give_a_replay_agree(sim):
    s, close = sim
    base = fingerprint(s)
    stamps = pd.date_range("2021-05-01", periods=4, freq="D")
    frame = pd.DataFrame(close, index=stamps, columns=["ETH", "BTC"])
    for kwargs in (
            dict(close=frame, low=frame * 0.95, high=frame * 1.05),
            dict(close=frame, low=frame * 0.95, high=frame * 1.05, time=T0 + DAY * np.arange(4)),
            dict(close=close[None], assets=[0, 2], low=(close * 0.95)[None],
                 high=(close * 1.05)[None], time=stamps.tz_localize("UTC")),
            dict(close=close, assets=np.array([0, 2]), low=close * 0.95, high=close * 1.05,
                 time=[dt.datetime(2021, 5, d) for d in range(1, 5)]),
            dict(close=close, assets=("ETH", "BTC"), low=close * 0.95, high=close * 1.05,
                 time=["2021-05-01", "2021-05-02", "2021-05-03", "2021-05-04"]),
            dict(close=close, assets=["ETH", "BTC"], low=close * 0.95, high=close * 1.05,
                 time=[dt.date(2021, 5, d) for d in range(1, 5)]),
            dict(close=close, assets=["ETH", "BTC"], low=close * 0.95, high=close * 1.05,
                 time=np.datetime64("2021-05-01") + np.arange(4).astype("timedelta64[D]")),
    ):
        s.set_replay(kwargs.pop("close"), **kwargs)
        assert fingerprint(s) == base
    # a DataFrame's extremes must line up with its closes
    with pytest.raises(ValueError, match="index"):
        s.set_replay(frame, low=(frame * 0.95).iloc[::-1])
    with pytest.raises(ValueError, match="columns"):
        s.set_replay(frame, low=(frame * 0.95)[["BTC", "ETH"]])
    with pytest.raises(TypeError, match="pandas object"):
        s.set_replay(frame, low=close * 0.95)
    # every asset of the market in id order when assets is None and the array has them all
    s.set_replay(np.array([[2000.0, 1.0, 50000.0], [1900.0, 1.0, 48000.0]]))
    assert s.trace().prices[1].tolist() == [1900.0, 1.0, 48000.0]
    with pytest.raises(ValueError, match="name the columns' assets"):
        s.set_replay(close)
    # one asset: a 1-D array or a named Series; int stamps index the frame as ints
    s.set_replay(pd.Series([2000.0, 2100.0], name="ETH"), time=[100, 200])
    tr = s.trace()
    assert list(tr.to_frame().index) == [100, 200] and tr.prices[1, 0] == 2100.0
    with pytest.raises(ValueError, match="needs a name"):
        s.set_replay(pd.Series([2000.0, 2100.0]))
    # a frame without a DatetimeIndex has no stamps: steps of dt, rows indexed by step
    s.set_replay(pd.DataFrame({"ETH": [2000.0, 2100.0, 2200.0]}))
    assert s.trace().to_frame().index.name == "step"


def test_from_prices_conventions():
    m = keel.Market()
    eth, usdc, btc = m.add_asset("ETH", 1.0), m.add_asset("USDC", 1.0), m.add_asset("BTC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.25, maintenance=0.2)
    h.set_asset(btc, initial=0.3, maintenance=0.25)
    b = keel.Basket()
    b.set_collateral(eth, 10.0)
    b.set_collateral(btc, 1.0)
    b.set_debt(usdc, 30000.0)
    idx = pd.date_range("2021-05-01", periods=3, freq="D", name="date")
    eth_c = pd.DataFrame({"Open": [1, 2, 3], "High": [2100.0, 2050.0, 1900.0],
                          "Low": [1950.0, 1500.0, 1700.0], "Close": [2000.0, 1900.0, 1800.0],
                          "Volume": [1, 1, 1]}, index=idx)
    btc_c = pd.DataFrame({"close": [50000.0, 45000.0, 47000.0]}, index=idx)
    c = keel.CostModel()
    sim = keel.Simulation.from_prices(m, b, h, c, {"ETH": eth_c, "BTC": btc_c})
    tr = sim.trace()
    # the start prices are the first row (the market's prices, 1.0, are not used)
    assert tr.prices[0].tolist() == [2000.0, 1.0, 50000.0]
    # ETH's low (1,500) is where the second step is checked: HF = (10 x 1500 x 0.8 +
    # 45000 x 0.75) / 30000 = 1.525; BTC has no low column: its close
    assert tr.health_low[1] == pytest.approx((10 * 1500 * 0.8 + 45000 * 0.75) / 30000)
    assert list(tr.to_frame().index) == list(idx)
    # the same from a (symbol, field) MultiIndex, and from one frame of closes with extremes
    multi = pd.concat({"ETH": eth_c, "BTC": btc_c}, axis=1)
    assert fingerprint(keel.Simulation.from_prices(m, b, h, c, multi)) == fingerprint(sim)
    closes = pd.DataFrame({"ETH": eth_c["Close"], "BTC": btc_c["close"]})
    lows = pd.DataFrame({"ETH": eth_c["Low"], "BTC": btc_c["close"]})
    assert fingerprint(keel.Simulation.from_prices(m, b, h, c, closes, low=lows)) == \
        fingerprint(sim)
    # plain numpy with assets
    arr = keel.Simulation.from_prices(m, b, h, c, closes.to_numpy(), assets=["ETH", "BTC"],
                                      low=lows.to_numpy(), time=idx)
    assert fingerprint(arr) == fingerprint(sim)
    with pytest.raises(ValueError, match="index differs"):
        keel.Simulation.from_prices(m, b, h, c, {"ETH": eth_c, "BTC": btc_c.iloc[:2]})
    with pytest.raises(ValueError, match="no 'close' column"):
        keel.Simulation.from_prices(m, b, h, c, {"ETH": eth_c.drop(columns="Close")})
    with pytest.raises(keel.UnknownAssetError):
        keel.Simulation.from_prices(m, b, h, c, {"SOL": btc_c})
    with pytest.raises(ValueError, match="low and high come from"):
        keel.Simulation.from_prices(m, b, h, c, {"ETH": eth_c}, low=lows)
    with pytest.raises(ValueError, match="steps must be in"):
        keel.Simulation.from_prices(m, b, h, c, closes, steps=-1)


def test_progress_bar_and_callbacks(sim, capsys, monkeypatch):
    s, close = sim
    pytest.importorskip("tqdm")
    plain = s.run(0, 1)
    assert s.run(0, 1, progress=True).summary == plain.summary
    assert "path" in capsys.readouterr().err  # tqdm draws on stderr
    assert s.run(0, 1, progress=False).summary == plain.summary
    seen = []
    assert s.run(0, 1, progress=seen.append).summary == plain.summary and seen == [1.0]
    with pytest.raises(TypeError, match="progress"):
        s.run(0, 1, progress="yes")
    monkeypatch.setitem(sys.modules, "tqdm", None)  # not installed: silently no bar
    assert s.run(0, 1, progress=True).summary == plain.summary
    assert capsys.readouterr().err == ""


def test_replay_time_differences_across_the_int64_range():
    """include/keel/sim.h: stamps are strictly increasing int64 seconds, differenced by
    the library in unsigned arithmetic (exact: a true difference is below 2^64). Stamps
    -2^62 - 10 and 2^62 + 10 are 2^63 + 20 s apart: a step of that many seconds over the
    365-day year (once a signed difference overflowed there)."""
    m = keel.Market()
    eth = m.add_asset("ETH", 2000.0)
    h = keel.HaircutModel()
    h.set_asset(eth, 0.25, 0.2)
    b = keel.Basket()
    b.set_collateral(eth, 1.0)
    s = keel.Simulation(m, b, h, keel.CostModel())
    t = np.array([-(2**62) - 10, 2**62 + 10], dtype=np.int64)
    s.set_replay(np.array([2000.0, 2100.0]), assets=[eth], time=t)
    assert s.trace().time[1] == float(2**63 + 20) / 31536000.0
