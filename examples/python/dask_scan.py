#!/usr/bin/env python3
"""Scale-out with dask.distributed: an account scan and a Monte Carlo run
split across a cluster, merged, and checked equal to the single-process run.

    python3 examples/python/dask_scan.py                      # a LocalCluster
    python3 examples/python/dask_scan.py tcp://host:8786      # a running scheduler
    python3 examples/python/dask_scan.py --accounts 20000 --paths 400 --shards 4

The workers rebuild the market and the simulation from plain numbers (keel
handles stay in the process that made them); the scan shards go out as numpy
arrays and come back as health factors; the simulation shards come back as
keel.SimStats, which pickle through their checked byte form and merge by
path index -- so the merged statistics equal one run's bit for bit. Debian:
apt-get install python3-distributed.
"""

import argparse
from typing import Any, List, Optional, Tuple

import numpy as np

import keel

ASSETS = (("ETH", 2000.0, 0.8, 0.25, 0.2), ("USDC", 1.0, 0.0, 0.02, 0.0),
          ("WBTC", 60000.0, 0.6, 0.3, 0.25), ("SOL", 150.0, 1.1, 0.4, 0.35))


def market_and_haircuts() -> Tuple[keel.Market, keel.HaircutModel]:
    """The market and haircut model, built the same way in every process."""
    m, h = keel.Market(), keel.HaircutModel()
    for sym, price, vol, hi, hm in ASSETS:
        a = m.add_asset(sym, price)
        m.set_volatility(a, vol)
        h.set_asset(a, initial=hi, maintenance=hm)
    m.set_correlation(0, 2, 0.7)
    m.set_correlation(0, 3, 0.6)
    return m, h


def make_accounts(n: int, seed: int = 7) -> Tuple[Any, Any, Any, Any]:
    """n accounts of 4 positions in compressed sparse rows."""
    rng = np.random.default_rng(seed)
    offsets = np.arange(0, 4 * n + 1, 4, dtype=np.uintp)
    assets = np.tile(np.arange(4, dtype=np.uint32), n)
    price = np.array([a[1] for a in ASSETS])
    coll = np.where(assets == 1, 0.0, rng.uniform(0, 1e4, 4 * n) / price[assets])
    debt = np.where(assets == 1, rng.uniform(2e3, 1.2e4, 4 * n), 0.0)
    return offsets, assets, coll, debt


def scan_shard(offsets: Any, assets: Any, coll: Any, debt: Any) -> Any:
    """Runs on a worker: health factors of one shard (its own offsets slice)."""
    m, h = market_and_haircuts()
    return keel.scan(m, h, offsets, assets, coll, debt)


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


def sim_shard(first: int, count: int, steps: int, seed: int) -> keel.SimStats:
    """Runs on a worker: paths [first, first + count) of the same simulation."""
    return make_simulation(steps, seed).run(first, count)


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scheduler", nargs="?", help="scheduler address (default: a LocalCluster)")
    ap.add_argument("--accounts", type=int, default=200_000)
    ap.add_argument("--paths", type=int, default=2000)
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--shards", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
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
        offsets, assets, coll, debt = make_accounts(args.accounts)
        cuts = np.linspace(0, args.accounts, args.shards + 1).astype(int)
        futures = []
        for lo, hi in zip(cuts[:-1], cuts[1:]):
            # each shard ships its own rows; its offsets still index its arrays
            p0, p1 = int(offsets[lo]), int(offsets[hi])
            shard_off = (offsets[lo:hi + 1] - offsets[lo]).astype(np.uintp)
            futures.append(client.submit(scan_shard, shard_off, assets[p0:p1], coll[p0:p1],
                                         debt[p0:p1], pure=False))
        merged_hf = np.concatenate(client.gather(futures))
        m, h = market_and_haircuts()
        single_hf = keel.scan(m, h, offsets, assets, coll, debt)
        assert np.array_equal(merged_hf, single_hf), "the scan shards differ"
        print(f"scan: {args.accounts:,} accounts in {args.shards} shards on the cluster; "
              f"equal to one process: yes; lowest HF {merged_hf.min():.4f}, "
              f"{int((merged_hf < 1).sum())} liquidatable")

        pcuts = np.linspace(0, args.paths, args.shards + 1).astype(int)
        futures = [client.submit(sim_shard, int(lo), int(hi - lo), args.steps, 2026, pure=False)
                   for lo, hi in zip(pcuts[:-1], pcuts[1:]) if hi > lo]
        parts = client.gather(futures)
        merged = parts[0]
        for p in parts[1:]:
            merged = merged.merge(p)
        single = make_simulation(args.steps, 2026).run(0, args.paths)
        assert merged.summary == single.summary, "the simulation shards differ"
        assert merged.percentile("final_equity", 0.05) == single.percentile("final_equity", 0.05)
        s = merged.summary
        print(f"simulation: {args.paths:,} paths x {args.steps} steps in {len(parts)} shards; "
              f"equal to one process, bit for bit: yes; P(liquidation) "
              f"{s.liquidation_probability:.4f}, mean rebalancing cost {s.mean_rebalance_cost:.2f}")
        return 0
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


if __name__ == "__main__":
    raise SystemExit(main())
