#!/usr/bin/env python3
"""keel.scan against a numpy implementation of the same computation, in the
same run: health factors of 1,000,000 accounts of 4 positions in compressed
sparse rows (the arrays passed to keel without copies). Thread CPU time
(time.thread_time: what the machine's other tenants do not inflate), the two
interleaved in each of 7 repetitions; the ratio is the median of the
per-repetition ratios.
The two must agree to 1e-12 (keel's equal keel_basket_metrics exactly; numpy
sums in another order).

Run: KEEL_LIBRARY=build/libkeel.so.1 PYTHONPATH=bindings/python python3 bench/scan_vs_numpy.py
"""

import statistics
import time

import numpy as np

import keel

N = 1_000_000
RUNS = 7


def numpy_scan(price, lend, bf, offsets, assets, coll, debt):
    p = price[assets]
    cv, dv = coll * p, debt * p
    starts = offsets[:-1].astype(np.intp)
    lv = np.add.reduceat(cv * lend[assets], starts)
    wv = np.add.reduceat(dv * bf[assets], starts)
    with np.errstate(divide="ignore"):
        return np.where(wv > 0, lv / np.where(wv > 0, wv, 1.0), np.inf)


def main():
    m = keel.Market()
    h = keel.HaircutModel()
    price = np.array([2000.0, 1.0, 60000.0, 150.0])
    for i, (s, v) in enumerate(zip(("ETH", "USDC", "WBTC", "SOL"), (0.8, 0.0, 0.6, 1.1))):
        a = m.add_asset(s, float(price[i]))
        m.set_volatility(a, v)
        h.set_asset(a, initial=0.25 + 0.05 * i, maintenance=0.2 + 0.05 * i)
    lend = 1.0 - (0.2 + 0.05 * np.arange(4))
    bf = np.ones(4)
    rng = np.random.default_rng(1)
    offsets = np.arange(0, 4 * N + 1, 4, dtype=np.uintp)
    assets = np.tile(np.arange(4, dtype=np.uint32), N)
    u = rng.uniform(size=4 * N)
    coll = np.where(assets == 1, 0.0, u * 1e4 / price[assets])
    debt = np.where(assets == 1, 2000 + u * 1e4, 0.0)

    tk, tn = [], []
    out = np.empty(N)  # reused: keel.scan(..., out=) allocates nothing
    for _ in range(RUNS):
        t0 = time.thread_time()
        hk = keel.scan(m, h, offsets, assets, coll, debt, out=out)
        tk.append(time.thread_time() - t0)
        t0 = time.thread_time()
        hn = numpy_scan(price, lend, bf, offsets, assets, coll, debt)
        tn.append(time.thread_time() - t0)
    assert np.allclose(hk, hn, rtol=1e-12), "keel and numpy disagree"
    mk, mn = statistics.median(tk), statistics.median(tn)
    print(f"health factors of {N:,} accounts x 4 positions, median of {RUNS} runs "
          f"(numpy {np.__version__})\n")
    print("| implementation | time | health factors / s |\n|---|---:|---:|")
    print(f"| keel.scan (zero-copy, out=) | {1e3 * mk:.1f} ms | {N / mk / 1e6:.1f} M |")
    print(f"| numpy (gather, reduceat) | {1e3 * mn:.1f} ms | {N / mn / 1e6:.1f} M |")
    ratio = statistics.median(n / k for k, n in zip(tk, tn))
    print(f"\nkeel is {ratio:.1f}x faster than numpy (median of per-run ratios: "
          + ", ".join(f"{n / k:.1f}" for k, n in zip(tk, tn)) + ")")


if __name__ == "__main__":
    main()
