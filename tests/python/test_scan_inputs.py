"""keel.scan, scan_top_k and liquidations_at_risk take any integer array or list for
offsets and assets (read in place when already np.uintp / np.uint32, converted once
otherwise), never wrap a negative or too large value, and refuse another market's
assets. Numbers by hand: HF = q p (1 - h) / debt."""

import pytest

import keel

np = pytest.importorskip("numpy")

HF = [10 * 3000 * 0.83 / 15000, 5 * 3000 * 0.83 / 6000]   # 1.66, 2.075


@pytest.fixture
def account():
    m = keel.Market()
    eth, usdc = m.add_asset("ETH", 3000.0, volatility=0.8), m.add_asset("USDC", 1.0)
    h = keel.HaircutModel()
    h.set_asset(eth, initial=0.195, maintenance=0.17)
    return m, h, eth, usdc


def rows(eth, usdc):
    return [0, 2, 4], [eth, usdc, eth, usdc], [10.0, 0, 5, 0], [0, 15000.0, 0, 6000]


@pytest.mark.parametrize("kind", ["list", "int64", "int32", "uintp", "big-endian"])
def test_integer_arrays_and_lists(account, kind):
    m, h, eth, usdc = account
    off, ids, q, d = rows(eth, usdc)
    if kind == "list":
        args = (off, ids, q, d)
    elif kind == "big-endian":
        args = (np.array(off, dtype=">u8"), np.array(ids, dtype=">u4"),
                np.array(q, dtype=">f8"), np.array(d, dtype=np.float32))
    else:
        dt = {"int64": np.int64, "int32": np.int32, "uintp": np.uintp}[kind]
        args = (np.array(off, dtype=dt), np.array(ids, dtype=dt), np.array(q), np.array(d))
    assert keel.scan(m, h, *args) == pytest.approx(HF, rel=1e-15)
    idx, hf = keel.scan_top_k(m, h, *args, k=1)
    assert list(idx) == [0] and hf[0] == pytest.approx(HF[0], rel=1e-15)
    # a 40% fall of ETH (the one asset with a volatility): only the first account (HF 1.66 * 0.6 < 1) is liquidatable, 18000 of collateral
    lar = keel.liquidations_at_risk(m, h, *args, shocks=[0.0, -0.4])
    assert list(lar) == pytest.approx([0.0, 10 * 3000 * 0.6], rel=1e-15)


def test_exact_dtypes_are_not_copied(account):
    m, h, eth, usdc = account
    off, ids, q, d = rows(eth, usdc)
    ids = np.array(ids, dtype=np.uint32)
    out = keel.scan(m, h, np.array(off, dtype=np.uintp), ids, np.array(q), np.array(d))
    assert list(out) == pytest.approx(HF, rel=1e-15)


@pytest.mark.parametrize("off, ids, err", [
    ([0, 2, -1], None, ValueError),                    # a negative offset never wraps
    (None, [0, 1, 0, -1], ValueError),                 # nor a negative id
    (None, np.array([0, 1, 0, 2**32 + 1], dtype=np.int64), OverflowError),  # 2**32 + 1 is not 1
    (None, [0.0, 1.0, 0.0, 1.0], TypeError),           # floats are not ids
    (None, np.array([False, True, False, True]), TypeError),
    (np.array([0.0, 2.0, 4.0]), None, TypeError),
])
def test_bad_integers_raise(account, off, ids, err):
    m, h, eth, usdc = account
    o, i, q, d = rows(eth, usdc)
    with pytest.raises(err):
        keel.scan(m, h, o if off is None else off, i if ids is None else ids, q, d)


def test_another_markets_assets_raise(account):
    m, h, eth, usdc = account
    m2 = keel.Market()
    btc, dai = m2.add_asset("BTC", 60000.0), m2.add_asset("DAI", 1.0)
    off, ids, q, d = rows(btc, dai)
    with pytest.raises(keel.MarketMismatchError):
        keel.scan(m, h, off, ids, q, d)
    h2 = keel.HaircutModel()
    h2.set_asset(btc, initial=0.3, maintenance=0.25)
    off, ids, q, d = rows(eth, usdc)
    with pytest.raises(keel.MarketMismatchError):
        keel.scan(m, h2, off, ids, q, d)
