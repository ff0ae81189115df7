#!/usr/bin/env python3
"""keel.deleverage against SciPy's SLSQP on the same convex program, in the
same process: the account of bench_deleverage.c (n collateral assets, each
with a fee and a linear or square-root impact, HF about 1.1 brought to 1.5
by sales repaying USDC). SLSQP minimises the sales' cost
sum_i c_i(x_i) subject to sum_i T (p_i x_i - c_i(x_i)) - a_i x_i >= T W - L
and 0 <= x_i <= q_i (docs/rebalancing.md), with analytic gradients, from
no sales. Each repetition times keel then SLSQP (thread CPU time,
time.thread_time), and the table gives the medians of the times and of the
per-repetition ratios, and how far the two optima are apart.

Run: KEEL_LIBRARY=build/libkeel.so.1 PYTHONPATH=bindings/python python3 bench/deleverage_vs_scipy.py
"""

import math
import statistics
import sys
import time

import numpy as np
from scipy import optimize

import keel

TARGET = 1.5


def account(n):
    m = keel.Market()
    h = keel.HaircutModel()
    c = keel.CostModel()
    b = keel.Basket()
    usdc = m.add_asset("USDC", 1.0)
    p, q, hm, fee, shape, ya, yb, vol, ids = ([] for _ in range(9))
    liq = 0.0
    for i in range(n):
        pi = 10.0 + i % 97
        a = m.add_asset(f"A{i}", pi)
        v = 0.3 + 0.005 * (i % 100)
        m.set_volatility(a, v)
        hi = 0.1 + 0.002 * (i % 100)
        h.set_asset(a, initial=hi + 0.05, maintenance=hi)
        f = 0.0005 + 0.00001 * (i % 50)
        c.set_fee(a, f * 1e4, 1.0)  # 1 bp half-spread
        if i % 2:
            c.set_sqrt_impact(a, 0.7, 1e6 + 1e4 * i)
        else:
            c.set_linear_impact(a, 0.3, 1e6 + 1e4 * i)
        qi = 1000.0 / pi
        b.set_collateral(a, qi)
        liq += qi * pi * (1 - hi)
        p.append(pi); q.append(qi); hm.append(hi); fee.append(f + 0.0001)
        shape.append(i % 2); ya.append(0.7 if i % 2 else 0.3); yb.append(1e6 + 1e4 * i)
        vol.append(v); ids.append(a)
    b.set_debt(usdc, liq / 1.1)
    arr = {k: np.array(v) for k, v in dict(p=p, q=q, h=hm, fee=fee, sqrt=shape, ya=ya, yb=yb,
                                           vol=vol).items()}
    arr["sqrt"] = arr["sqrt"].astype(bool)
    return m, h, c, b, usdc, ids, arr


def cost_and_grad(x, d):
    n = d["p"] * x
    sd = d["vol"] / math.sqrt(365.0)
    lin = d["ya"] * n * n / d["yb"]
    sq = d["ya"] * sd * np.sqrt(n / d["yb"]) * n
    c = d["fee"] * n + np.where(d["sqrt"], sq, lin)
    dlin = 2.0 * d["ya"] * n * d["p"] / d["yb"]
    dsq = 1.5 * d["ya"] * sd * np.sqrt(n / d["yb"]) * d["p"]
    g = d["fee"] * d["p"] + np.where(d["sqrt"], dsq, dlin)
    return c, g


def slsqp(d, need):
    a = d["p"] * (1.0 - d["h"])

    def fun(x):
        c, g = cost_and_grad(x, d)
        return c.sum(), g

    def con(x):
        c, _ = cost_and_grad(x, d)
        return np.sum(TARGET * (d["p"] * x - c) - a * x) - need

    def con_jac(x):
        _, g = cost_and_grad(x, d)
        return TARGET * (d["p"] - g) - a

    r = optimize.minimize(fun, np.zeros_like(d["p"]), jac=True, method="SLSQP",
                          bounds=list(zip(np.zeros_like(d["q"]), d["q"])),
                          constraints=[{"type": "ineq", "fun": con, "jac": con_jac}],
                          options={"ftol": 1e-15, "maxiter": 1000})
    return r


def main():
    sizes = [int(s) for s in sys.argv[1:]] or [10, 100]
    print(f"keel.deleverage vs scipy.optimize.minimize(method='SLSQP') {optimize.__name__}, "
          "thread CPU time, interleaved, medians\n")
    print("| collateral assets | keel (ms) | SLSQP (ms) | SLSQP / keel | cost gap (relative) "
          "| largest sale gap (of the holding) | SLSQP iterations |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        m, h, c, b, usdc, ids, d = account(n)
        met = b.metrics(m, h)
        need = TARGET * met.weighted_debt - met.liquidation_value
        reps = 7 if n <= 100 else 5
        inner = 50 if n <= 10 else 10
        tk, ts, ratio = [], [], []
        for _ in range(reps):
            t0 = time.thread_time()
            for _ in range(inner):
                plan = keel.deleverage(m, b, h, c, target=TARGET, repay_asset=usdc)
            k = (time.thread_time() - t0) / inner
            t0 = time.thread_time()
            r = slsqp(d, need)
            s = time.thread_time() - t0
            tk.append(k); ts.append(s); ratio.append(s / k)
        sold = np.zeros(n)
        pos = {a: i for i, a in enumerate(ids)}
        for act in plan.actions:
            sold[pos[act.asset]] = act.quantity
        kc = cost_and_grad(sold, d)[0].sum()
        sc = r.fun
        print(f"| {n} | {statistics.median(tk) * 1e3:.3f} | {statistics.median(ts) * 1e3:.1f} "
              f"| {statistics.median(ratio):.0f} | {abs(kc - sc) / kc:.1e} "
              f"| {np.max(np.abs(sold - r.x) / d['q']):.1e} | {r.nit} |")
        assert r.success, r.message
        assert abs(plan.cost - kc) <= 1e-9 * kc  # keel's own cost is the formula's


if __name__ == "__main__":
    main()
