#!/usr/bin/env python3
"""keel's backtest against a numpy implementation of the same backtest, in
the same run: 5 assets (4 risky collateral with correlations, USDC debt),
fixed haircuts, proportional fees, a health band that repays below 1.3 back
to 1.5 at least cost, liquidation as Aave v3 (close factor 50%, 100% below
HF 0.95, bonus 5%); 2000 paths x 365 daily steps. numpy is vectorised over
paths (one array operation per step for all paths); with proportional fees
and fixed haircuts the least-cost repayment sells the assets in a fixed
order of cost per unit of HF gained, which numpy applies in place.
Interleaved in each of 5 repetitions, thread CPU time (numpy's BLAS held to
one thread, so its time is all in this thread), medians of the times and of
the per-repetition ratios. The two use different random numbers: their
liquidation probabilities and costs must agree within Monte Carlo error.

Run: KEEL_LIBRARY=build/libkeel.so.1 PYTHONPATH=bindings/python python3 bench/sim_vs_numpy.py
"""

import math
import os
import statistics
import time

for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")  # numpy in this thread only: thread CPU time sees it all

import numpy as np  # noqa: E402

import keel  # noqa: E402

PATHS, STEPS, RUNS = 2000, 365, 5
PRICE = np.array([2000.0, 60000.0, 150.0, 15.0])
VOL = np.array([0.8, 0.6, 1.1, 0.9])
LEND = np.array([0.8, 0.75, 0.65, 0.7])
FEE = np.array([0.0005, 0.0008, 0.0015, 0.002])
UNITS = np.array([10.0, 0.3, 100.0, 800.0])
DEBT = 32000.0
RHO = np.eye(4)
for (i, j), r in {(0, 1): 0.7, (0, 2): 0.6, (1, 2): 0.5, (0, 3): 0.5}.items():
    RHO[i, j] = RHO[j, i] = r


def keel_setup():
    m, h, c, b = keel.Market(), keel.HaircutModel(), keel.CostModel(), keel.Basket()
    ids = []
    for k, s in enumerate(("ETH", "WBTC", "SOL", "LINK")):
        a = m.add_asset(s, float(PRICE[k]))
        m.set_volatility(a, float(VOL[k]))
        h.set_asset(a, initial=float(1 - LEND[k] + 0.05), maintenance=float(1 - LEND[k]))
        c.set_fee(a, bps=float(FEE[k] * 1e4))
        b.set_collateral(a, float(UNITS[k]))
        ids.append(a)
    usdc = m.add_asset("USDC", 1.0)
    h.set_asset(usdc, initial=0.1, maintenance=0.05)
    for i in range(4):
        for j in range(i):
            if RHO[i, j]:
                m.set_correlation(ids[i], ids[j], float(RHO[i, j]))
    b.set_debt(usdc, DEBT)
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=usdc)
    return keel.Simulation(m, b, h, c, band, steps=STEPS, dt=1 / 365, seed=42)


def numpy_backtest(seed):
    rng = np.random.default_rng(seed)
    dt = 1 / 365
    chol = np.linalg.cholesky(RHO)
    drift = -0.5 * VOL ** 2 * dt
    scale = VOL * math.sqrt(dt)
    logp = np.tile(np.log(PRICE), (PATHS, 1))
    q = np.tile(UNITS, (PATHS, 1))
    d = np.full(PATHS, DEBT)
    liquidated = np.zeros(PATHS, dtype=bool)
    cost = np.zeros(PATHS)
    target, trigger = 1.5, 1.3
    # HF gained per unit of value sold, and the cost of that value: sell in
    # increasing cost per gain (fixed over time: both scale with the price)
    gain = target * (1 - FEE) - LEND
    order = np.argsort(FEE / gain)
    rows = np.arange(PATHS)
    for _ in range(STEPS):
        logp += drift + (rng.standard_normal((PATHS, 4)) @ chol.T) * scale
        p = np.exp(logp)
        v = q * p
        hf = (v @ LEND) / d
        low = hf < 1.0
        if low.any():  # one liquidation: the largest collateral seized for the debt
            liquidated |= low
            big = np.argmax(v, axis=1)
            repay = np.where(hf < 0.95, d, 0.5 * d)
            pb = p[rows, big]
            seize = repay * 1.05 / pb
            held = q[rows, big]
            over = seize > held
            seize = np.where(over, held, seize)
            repay = np.where(over, held * pb / 1.05, repay)
            q[rows[low], big[low]] -= seize[low]
            d = np.where(low, d - repay, d)
            v = q * p
            hf = (v @ LEND) / d
        act = hf < trigger
        if act.any():
            need = np.where(act, target * d - v @ LEND, 0.0)
            for k in order:
                g = p[:, k] * gain[k]
                x = np.minimum(q[:, k], np.maximum(need, 0.0) / g)
                q[:, k] -= x
                proceeds = x * p[:, k] * (1 - FEE[k])
                d -= proceeds
                cost += x * p[:, k] * FEE[k]
                need -= x * g
    return liquidated.mean(), cost.mean()


def main():
    sim = keel_setup()
    tk, tn, ratio = [], [], []
    for r in range(RUNS):
        t0 = time.thread_time()
        st = sim.run(0, PATHS)
        tk.append(time.thread_time() - t0)
        t0 = time.thread_time()
        pn, cn = numpy_backtest(r)
        tn.append(time.thread_time() - t0)
        ratio.append(tn[-1] / tk[-1])
    s = st.summary
    mk, mn = statistics.median(tk), statistics.median(tn)
    ps = PATHS * STEPS
    print(f"health-band backtest, 5 assets, {PATHS} paths x {STEPS} daily steps, thread CPU "
          f"time, interleaved, medians of {RUNS}\n")
    print("| implementation | path-steps / s | ns per path-step | time | P(liquidation) "
          "| mean rebalance cost |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| keel.Simulation | {ps / mk / 1e6:.2f} M | {1e9 * mk / ps:.1f} | {1e3 * mk:.0f} ms | "
          f"{s.liquidation_probability:.4f} | {s.mean_rebalance_cost:.2f} |")
    print(f"| numpy, vectorised over paths | {ps / mn / 1e6:.2f} M | {1e9 * mn / ps:.1f} | "
          f"{1e3 * mn:.0f} ms | {pn:.4f} | {cn:.2f} |")
    print(f"\nkeel / numpy speed (median of per-repetition ratios): "
          f"{statistics.median(ratio):.2f}x")
    se = max(math.sqrt(max(pn * (1 - pn), 1e-9) / PATHS), 1e-3)
    assert abs(s.liquidation_probability - pn) < 5 * se + 0.01, "the two backtests disagree"
    assert abs(s.mean_rebalance_cost - cn) < 0.1 * max(cn, 1.0), "the costs disagree"


if __name__ == "__main__":
    main()
