#!/usr/bin/env python3
"""Scale-out with dask.distributed: account scans and a Monte Carlo run on a
cluster, the data living where it is used, only reductions coming back.

    python3 examples/python/dask_scan.py                      # a LocalCluster
    python3 examples/python/dask_scan.py tcp://host:8786      # a running scheduler
    python3 examples/python/dask_scan.py --accounts 20000 --paths 400 --shards 4
    python3 examples/python/dask_scan.py --bench              # 1 vs 2 workers, timed

Accounts: each worker builds its own shards from a seed (a real deployment
would load its partition of the book there instead) and keeps them; the
client sends only prices, one tick at a time, and each shard answers with
its reductions -- the k accounts closest to liquidation, the
liquidations-at-risk curve and how many are liquidatable -- scanned into a
buffer the shard keeps (keel.scan(..., out=)), so nothing is allocated per
tick. Nothing of the book crosses the network.

Simulation: each task runs paths [first, first + count) of one simulation
and the statistics are merged on the cluster (keel.SimStats merge by path
index, pickled through their checked byte form), so the merged statistics
equal one process's run bit for bit.

Every result is checked against one process (top k and the simulation's
statistics to the bit; the curve, a sum over shards, to 1e-12), or the
program exits non-zero. Debian: apt-get install python3-distributed.
"""

import argparse
import os
import statistics
import time
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np

import keel

ASSETS = (("ETH", 2000.0, 0.8, 0.25, 0.2), ("USDC", 1.0, 0.0, 0.02, 0.0),
          ("WBTC", 60000.0, 0.6, 0.3, 0.25), ("SOL", 150.0, 1.1, 0.4, 0.35))
PRICES = np.array([a[1] for a in ASSETS])
SHOCKS = np.linspace(0.0, -0.5, 11)


def market_and_haircuts(prices: Any = PRICES) -> Tuple[keel.Market, keel.HaircutModel]:
    """The market and haircut model, built the same way in every process."""
    m, h = keel.Market(), keel.HaircutModel()
    for (sym, _, vol, hi, hm), price in zip(ASSETS, prices):
        a = m.add_asset(sym, float(price))
        m.set_volatility(a, vol)
        h.set_asset(a, initial=hi, maintenance=hm)
    m.set_correlation(0, 2, 0.7)
    m.set_correlation(0, 3, 0.6)
    return m, h


class Shard:
    """One shard of the book, built where it is used: accounts [first,
    first + n) of 4 positions each, in compressed sparse rows, from the
    seed (seed, index); `hf` is the buffer every tick's scan writes into."""

    def __init__(self, seed: int, index: int, first: int, n: int) -> None:
        rng = np.random.default_rng([seed, index])
        self.first, self.n = first, n
        self.offsets = np.arange(0, 4 * n + 1, 4, dtype=np.uintp)
        self.assets = np.tile(np.arange(4, dtype=np.uint32), n)
        u = rng.uniform(size=(2, 4 * n))
        self.collateral = np.where(self.assets == 1, 0.0, u[0] * 1e4 / PRICES[self.assets])
        self.debt = np.where(self.assets == 1, 2e3 + u[1] * 1e4, 0.0)
        self.hf = np.empty(n)

    def rows(self) -> Tuple[Any, Any, Any, Any]:
        """offsets, assets, collateral, debt: the four row arrays of keel.scan."""
        return self.offsets, self.assets, self.collateral, self.debt


def reductions(shard: Shard, prices: Any, k: int) -> Tuple[Any, Any, Any, int]:
    """Runs where the shard lives: its top k (global indices), its
    liquidations-at-risk curve and its count of liquidatable accounts."""
    m, h = market_and_haircuts(prices)
    idx, top = keel.scan_top_k(m, h, *shard.rows(), k=k)
    curve = keel.liquidations_at_risk(m, h, *shard.rows(), SHOCKS)
    keel.scan(m, h, *shard.rows(), out=shard.hf)  # no allocation per tick
    return idx + shard.first, top, curve, int((shard.hf < 1.0).sum())


def merge_reductions(parts: Sequence[Tuple[Any, Any, Any, int]],
                     k: int) -> Tuple[Any, Any, Any, int]:
    """The book's top k (by health factor, then index, as keel orders
    them), its curve (summed over shards) and its count."""
    idx = np.concatenate([p[0] for p in parts])
    top = np.concatenate([p[1] for p in parts])
    order = np.lexsort((idx, top))[:k]
    curve = np.sum([p[2] for p in parts], axis=0)
    return idx[order], top[order], curve, sum(p[3] for p in parts)


def make_simulation(steps: int, seed: int) -> keel.Simulation:
    m, h = market_and_haircuts()
    b = keel.Basket()
    b.set_collateral(0, 10.0)
    b.set_collateral(2, 0.2)
    b.set_debt(1, 16000.0)
    c = keel.CostModel()
    c.set_fee(0, bps=5)
    c.set_fee(2, bps=8)
    band = keel.Policy.health_band(repay_below=1.3, repay_to=1.5, debt_asset=1)
    return keel.Simulation(m, b, h, c, band, steps=steps, seed=seed)


def sim_shard(first: int, count: int, steps: int, seed: int) -> Tuple[keel.SimStats, float]:
    """Runs on a worker: paths [first, first + count) of the same
    simulation, and the CPU seconds they took."""
    t0 = time.thread_time()
    stats = make_simulation(steps, seed).run(first, count)
    return stats, time.thread_time() - t0


def merge_stats(a: Tuple[keel.SimStats, float],
                b: Tuple[keel.SimStats, float]) -> Tuple[keel.SimStats, float]:
    """Runs on a worker: two shards' statistics as one (merge by path
    index), and their CPU seconds summed."""
    t0 = time.thread_time()
    merged = a[0].merge(b[0])
    return (a[0] if merged is None else merged), a[1] + b[1] + time.thread_time() - t0


def cluster_sim(client: Any, paths: int, steps: int, seed: int, shards: int,
                workers: Optional[List[str]] = None) -> Tuple[keel.SimStats, float]:
    """The simulation's merged statistics, run and merged on the cluster
    (on `workers` only, when given): a tree of merges, one object back;
    and the CPU seconds the tasks took."""
    cuts = np.linspace(0, paths, shards + 1).astype(int)
    level = [client.submit(sim_shard, int(lo), int(hi - lo), steps, seed, pure=False,
                           workers=workers)
             for lo, hi in zip(cuts[:-1], cuts[1:]) if hi > lo]
    while len(level) > 1:
        nxt = [client.submit(merge_stats, a, b, pure=False, workers=workers)
               for a, b in zip(level[::2], level[1::2])]
        level = nxt + (level[-1:] if len(level) % 2 else [])
    stats, cpu_s = level[0].result()  # a (SimStats, CPU seconds) pair
    return stats, cpu_s


def same_stats(a: keel.SimStats, b: keel.SimStats) -> bool:
    return a.summary == b.summary and all(
        a.percentile(m, q) == b.percentile(m, q)
        for m in ("final_equity", "min_health") for q in (0.05, 0.5))


def bench(client: Any, args: argparse.Namespace) -> int:
    """1 vs 2 workers on a compute-bound simulation, beside one process
    without dask: wall-clock medians of per-repetition ratios, and the CPU
    time the tasks took (thread CPU time, summed over the tasks) against
    the one process's -- what dask costs apart from the machine's load."""
    workers = sorted(client.scheduler_info()["workers"])
    if len(workers) < 2:
        raise SystemExit("--bench needs 2 workers")
    paths, steps, shards = args.bench_paths, args.steps, 4 * len(workers)
    rows: Dict[str, List[float]] = {"one process (no dask)": [], "dask, 1 worker": [],
                                    "dask, 2 workers": []}
    cpu: Dict[str, List[float]] = {name: [] for name in rows}
    equal = True
    single = None
    for _ in range(args.runs):
        t0, c0 = time.perf_counter(), time.thread_time()
        single = make_simulation(steps, 2026).run(0, paths)
        rows["one process (no dask)"].append(time.perf_counter() - t0)
        cpu["one process (no dask)"].append(time.thread_time() - c0)
        for name, ws in (("dask, 1 worker", workers[:1]), ("dask, 2 workers", workers[:2])):
            t0 = time.perf_counter()
            merged, task_cpu = cluster_sim(client, paths, steps, 2026, shards, workers=ws)
            rows[name].append(time.perf_counter() - t0)
            cpu[name].append(task_cpu)
            equal = equal and same_stats(merged, single)
    base = rows["one process (no dask)"]
    one = rows["dask, 1 worker"]
    print(f"simulation of {paths:,} paths x {steps} steps (health band, 4 assets), "
          f"{shards} shards, wall clock, {args.runs} repetitions; merged statistics equal "
          f"to one process's bit for bit: {'yes' if equal else 'NO'}\n")
    print("| run | median wall s | path-steps / s | speed-up over one process "
          "| speed-up over 1 worker | CPU s of the tasks | CPU / one process's |\n"
          "|---|---:|---:|---:|---:|---:|---:|")
    for name, ts in rows.items():
        med = statistics.median(ts)
        r0 = statistics.median(b / t for b, t in zip(base, ts))
        r1 = statistics.median(o / t for o, t in zip(one, ts))
        c = statistics.median(cpu[name])
        rc = statistics.median(t / b for b, t in zip(cpu["one process (no dask)"], cpu[name]))
        print(f"| {name} | {med:.3f} | {paths * steps / med / 1e6:.2f} M | {r0:.2f} | {r1:.2f} "
              f"| {c:.3f} | {rc:.2f} |")
    print(f"\nload average while it ran: {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0 if equal else 1


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scheduler", nargs="?", help="scheduler address (default: a LocalCluster)")
    ap.add_argument("--accounts", type=int, default=200_000)
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--ticks", type=int, default=3, help="price updates scanned")
    ap.add_argument("--top", type=int, default=10, help="accounts closest to liquidation kept")
    ap.add_argument("--bench", action="store_true",
                    help="time the simulation on 1 and 2 workers against one process")
    ap.add_argument("--bench-paths", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)

    from dask.distributed import Client, LocalCluster

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        if args.bench:
            return bench(client, args)
        # the shards are built on the workers and stay there
        cuts = np.linspace(0, args.accounts, args.shards + 1).astype(int)
        shards = [client.submit(Shard, 2026, i, int(lo), int(hi - lo), pure=False)
                  for i, (lo, hi) in enumerate(zip(cuts[:-1], cuts[1:]))]
        # the same book in this process, only to check the cluster's answers
        local = [Shard(2026, i, int(lo), int(hi - lo))
                 for i, (lo, hi) in enumerate(zip(cuts[:-1], cuts[1:]))]
        whole = (np.concatenate([s.assets for s in local]),
                 np.concatenate([s.collateral for s in local]),
                 np.concatenate([s.debt for s in local]))
        offsets = np.arange(0, 4 * args.accounts + 1, 4, dtype=np.uintp)
        rng = np.random.default_rng(1)
        ok = True
        for tick in range(args.ticks):
            prices = PRICES * (1.0 + np.where(PRICES == 1.0, 0.0,
                                              rng.normal(0.0, 0.05, len(PRICES))))
            parts = client.gather([client.submit(reductions, s, prices, args.top, pure=False)
                                   for s in shards])
            idx, top, curve, n_liq = merge_reductions(parts, args.top)
            m, h = market_and_haircuts(prices)
            w_idx, w_top = keel.scan_top_k(m, h, offsets, *whole, k=args.top)
            w_curve = keel.liquidations_at_risk(m, h, offsets, *whole, SHOCKS)
            w_liq = int((keel.scan(m, h, offsets, *whole) < 1.0).sum())
            ok = ok and np.array_equal(idx, w_idx) and np.array_equal(top, w_top) \
                and np.allclose(curve, w_curve, rtol=1e-12, atol=0) and n_liq == w_liq
            print(f"tick {tick}: lowest HF {top[0]:.4f} (account {idx[0]}), {n_liq} liquidatable, "
                  f"at risk after -25%: {curve[5]:.4g} (numeraire)")
        print(f"scan: {args.accounts:,} accounts in {args.shards} shards built on the workers, "
              f"{args.ticks} ticks, reductions only; equal to one process: "
              f"{'yes' if ok else 'NO'}")

        merged, _ = cluster_sim(client, args.paths, args.steps, 2026, args.shards)
        single = make_simulation(args.steps, 2026).run(0, args.paths)
        same = same_stats(merged, single)
        s = merged.summary
        print(f"simulation: {args.paths:,} paths x {args.steps} steps in {args.shards} shards, "
              f"merged on the cluster; equal to one process, bit for bit: "
              f"{'yes' if same else 'NO'}; P(liquidation) {s.liquidation_probability:.4f}, "
              f"mean rebalancing cost {s.mean_rebalance_cost:.2f}")
        return 0 if ok and same else 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    raise SystemExit(main())
