"""keel.aave.aave_scan_flat (keel_aave_scan_flat through the Python binding) against the
independent reference aave_ref.py: the verdicts of thousands of random accounts of every
version, the same health factors as aave_scan bit for bit, the arrays read in place, and
hostile inputs refused before anything reaches C."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import aave_ref as ref  # noqa: E402
from test_keel_vs_ref import as_case, build, cases  # noqa: E402

import keel._ffi as ffi  # noqa: E402
from keel import KeelError  # noqa: E402
from keel.aave import AaveAccount, AaveMarket, aave_scan, aave_scan_flat, flatten  # noqa: E402


def rows(account_dict):
    """The flat arrays of one account dict of aave_ref, balances as Python ints."""
    ps = account_dict["positions"]
    return ([0, len(ps)], [p["reserve"] for p in ps],
            [1 if p.get("collateral") else 0 for p in ps],
            [p.get("scaled_supply", 0) for p in ps], [p.get("scaled_debt", 0) for p in ps],
            [account_dict.get("emode", 0) or 0])


@pytest.mark.parametrize("seed", [21, 22])
def test_flat_verdicts_equal_the_reference(seed):
    checked = near_one = exact = 0
    for c in cases(750, seed):
        md, ad = as_case(c)
        m, a = build(md, ad)
        off, res, fl, sup, deb, em = rows(ad)
        try:
            want = ref.account_data(md, ad)
        except ref.Revert:  # the Solidity reverts: so does the scan
            with pytest.raises(KeelError):
                aave_scan_flat(m, off, res, fl, sup, deb, em)
            continue
        hf, liq, n_exact = aave_scan_flat(m, off, res, fl, sup, deb, em)
        assert bool(liq[0]) == (want["health_factor"] < ref.WAD), (md, ad)
        # the handles' scan, and the arrays flatten builds from the handle: the same bits
        hf_h, liq_h, exact_h = aave_scan(m, [a])
        assert hf.tobytes() == hf_h.tobytes() and liq[0] == liq_h[0] and n_exact == exact_h
        hf_f, liq_f, _ = aave_scan_flat(m, *flatten([a]))
        assert hf_f.tobytes() == hf.tobytes() and liq_f[0] == liq[0]
        checked += 1
        exact += n_exact
        near_one += abs(want["health_factor"] - ref.WAD) < 10**12
    assert checked > 700 and near_one > 50 and exact > 50


def test_flat_batch_of_one_market():
    """Many accounts of one market in one call: each verdict the reference's."""
    rng = random.Random(31)
    for version in ["3.4", "3.5", "3.6"]:
        md, _ = as_case(ref.random_case(rng, version))
        m, _ = build(md, {"positions": [], "emode": 0})
        batch, wants = [], []
        while len(batch) < 300:
            md2, ad2 = as_case(ref.random_case(rng, version))
            # this market's reserves only; the categories have the same ids in every case
            ad2 = {"emode": ad2.get("emode", 0) or 0,
                   "positions": [p for p in ad2["positions"] if p["reserve"] < len(md["reserves"])]}
            try:
                want = ref.account_data(md, ad2)
            except ref.Revert:
                continue
            batch.append(ad2)
            wants.append(want["health_factor"] < ref.WAD)
        off, res, fl, sup, deb, em = [0], [], [], [], [], []
        for ad in batch:
            o, r, f, s, d, e = rows(ad)
            res += r
            fl += f
            sup += s
            deb += d
            em += e
            off.append(len(res))
        hf, liq, exact = aave_scan_flat(m, off, res, fl, sup, deb, em)
        assert list(liq) == wants
        assert exact > 0 and any(em)


def _market():
    m = AaveMarket("3.6")
    m.add_reserve("WETH", decimals=18, ltv=8050, liquidation_threshold=8300,
                  liquidation_bonus=10500, price=2000 * 10**8)
    m.add_reserve("USDC", decimals=6, ltv=7700, liquidation_threshold=8000,
                  liquidation_bonus=10450, price=10**8)
    return m


def _good():
    """Two accounts: 10 WETH against 16,600 USDC (HF exactly 1), and one wei more."""
    off = np.array([0, 2, 4], dtype=np.uintp)
    res = np.array([0, 1, 0, 1], dtype=np.uint32)
    fl = np.array([1, 0, 1, 0], dtype=np.uint8)
    sup = np.array([[10**19, 0], [0, 0], [10**19, 0], [0, 0]], dtype=np.uint64)
    deb = np.array([[0, 0], [16_600 * 10**6, 0], [0, 0], [16_600 * 10**6 + 1, 0]], dtype=np.uint64)
    return off, res, fl, sup, deb


def test_arrays_are_read_in_place_and_others_converted(monkeypatch):
    m = _market()
    seen = {}
    real = ffi.lib.keel_aave_scan_flat

    def spy(*args):
        seen["ptrs"] = args[2:8]
        return real(*args)

    monkeypatch.setattr(ffi.lib, "keel_aave_scan_flat", spy)
    off, res, fl, sup, deb = _good()
    em = np.zeros(2, dtype=np.uint8)
    hf, liq, exact = aave_scan_flat(m, off, res, fl, sup, deb, em)
    assert list(liq) == [False, True] and hf[0] == 1.0 and exact == 2
    assert seen["ptrs"] == (off.ctypes.data, res.ctypes.data, fl.ctypes.data, sup.ctypes.data,
                            deb.ctypes.data, em.ctypes.data)
    # lists, other integer dtypes, bools for the switches, balances as Python ints up to
    # 2**128 - 1: converted, the same answer
    big = 2**128 - 1
    hf2, liq2, _ = aave_scan_flat(m, [0, 2, 4], np.array([0, 1, 0, 1], dtype=np.int64),
                                  [True, False, True, False], [10**19, 0, 10**19, 0],
                                  [0, 16_600 * 10**6, 0, 16_600 * 10**6 + 1], [0, 0])
    assert hf2.tobytes() == hf.tobytes() and list(liq2) == list(liq)
    # a non-contiguous view is copied, not refused
    wide = np.zeros((4, 4), dtype=np.uint64)
    wide[:, ::2] = sup
    hf3, _, _ = aave_scan_flat(m, off, res, fl, wide[:, ::2], deb)
    assert hf3.tobytes() == hf.tobytes()
    # the largest balance fits (a huge debt: liquidatable)
    _, liq4, _ = aave_scan_flat(m, [0, 2], [0, 1], [1, 0], [10**19, 0], [0, big])
    assert list(liq4) == [True]
    # no accounts, no positions
    hf5, liq5, exact5 = aave_scan_flat(m, [0], [], [], [], [])
    assert len(hf5) == 0 and len(liq5) == 0 and exact5 == 0


def _hostile():
    off, res, fl, sup, deb = _good()
    ints = [10**19, 0, 10**19, 0]
    yield "no offsets", dict(offsets=[]), ValueError
    yield "offsets not from 0", dict(offsets=[1, 2, 4]), ValueError
    yield "decreasing offsets", dict(offsets=[0, 3, 2, 4], emodes=[0, 0, 0]), ValueError
    yield "offsets past the positions", dict(offsets=[0, 2, 5]), ValueError
    yield "offsets short of the positions", dict(offsets=[0, 2, 3]), ValueError
    yield "negative offset", dict(offsets=[0, -2, 4]), ValueError
    yield "float offsets", dict(offsets=np.array([0.0, 2.0, 4.0])), TypeError
    yield "short reserves", dict(reserves=res[:3]), ValueError
    yield "long flags", dict(flags=np.ones(5, dtype=np.uint8)), ValueError
    yield "float reserves", dict(reserves=res.astype(np.float64)), TypeError
    yield "negative reserve", dict(reserves=[0, -1, 0, 1]), ValueError
    yield "reserve past 32 bits", dict(reserves=[0, 2**32, 0, 1]), ValueError
    yield "flag past 8 bits", dict(flags=[1, 256, 1, 0]), ValueError
    yield "2-D reserves", dict(reserves=res.reshape(2, 2)), ValueError
    yield "short supply rows", dict(supply=sup[:3]), ValueError
    yield "supply of 3 words", dict(supply=np.zeros((4, 3), dtype=np.uint64)), ValueError
    yield "float supply", dict(supply=sup.astype(np.float64)), TypeError
    yield "float debt list", dict(debt=[0.0, 1.0, 0.0, 2.0]), TypeError
    yield "bool balance", dict(supply=[True, 0, 1, 0]), TypeError
    yield "negative balance", dict(supply=[10**19, -1, 10**19, 0]), ValueError
    yield "2**128", dict(debt=[0, 2**128, 0, 0]), ValueError
    yield "negative word", dict(supply=np.array([[1, -1]] * 4, dtype=np.int64)), ValueError
    yield "short balance list", dict(supply=ints[:3]), ValueError
    yield "emodes too short", dict(emodes=[0]), ValueError
    yield "emodes too long", dict(emodes=[0, 0, 0]), ValueError
    yield "emode past 8 bits", dict(emodes=[0, 256]), ValueError
    yield "float emodes", dict(emodes=np.array([0.0, 1.0])), TypeError


@pytest.mark.parametrize("what,change,error", list(_hostile()), ids=[h[0] for h in _hostile()])
def test_hostile_inputs_raise_before_c(monkeypatch, what, change, error):
    m = _market()

    def must_not_run(*args):
        raise AssertionError(f"{what}: keel_aave_scan_flat was called")

    monkeypatch.setattr(ffi.lib, "keel_aave_scan_flat", must_not_run)
    off, res, fl, sup, deb = _good()
    args = dict(offsets=off, reserves=res, flags=fl, supply=sup, debt=deb, emodes=None)
    args.update(change)
    with pytest.raises(error):
        aave_scan_flat(m, **args)


def test_content_errors_come_from_c():
    """What only the library checks -- ids, switch bits, e-mode categories -- fails there,
    naming the account and the position."""
    from keel import OutOfRangeError, UnknownAssetError
    m = _market()
    off, res, fl, sup, deb = _good()
    with pytest.raises(UnknownAssetError, match="account 1, position 3"):
        aave_scan_flat(m, off, np.array([0, 1, 0, 2], dtype=np.uint32), fl, sup, deb)
    with pytest.raises(OutOfRangeError, match="strictly increasing"):
        aave_scan_flat(m, off, np.array([1, 0, 0, 1], dtype=np.uint32), fl, sup, deb)
    with pytest.raises(OutOfRangeError, match="position 2"):
        aave_scan_flat(m, off, res, np.array([1, 0, 3, 0], dtype=np.uint8), sup, deb)
    with pytest.raises(UnknownAssetError, match="e-mode category 9"):
        aave_scan_flat(m, off, res, fl, sup, deb, [0, 9])
    with pytest.raises(TypeError):
        aave_scan_flat("market", off, res, fl, sup, deb)
    with pytest.raises(TypeError):
        flatten([AaveAccount(m), "account"])
