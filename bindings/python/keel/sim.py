"""Scale: batch scans over many accounts (numpy arrays in and out, no copies),
stress tests, and Monte Carlo or historical backtests of policies with
statistics that merge across shards into the same bits as one run."""

from __future__ import annotations

import ctypes
import operator
from ctypes import byref, c_double, c_size_t, c_uint32, c_void_p
from dataclasses import dataclass, fields

from . import _ffi
from ._core import U32_MAX, U64_MAX, Metrics, _Handle, _asset, _int, _h, _opt_h
import warnings

from ._defaults import c_struct, fill
from .errors import CancelledError, PolicyFailureWarning, StateError, UnknownAssetError, check

_lib = _ffi.lib
METRICS = {"final_equity": 0, "min_health": 1, "mean_health": 2, "rebalance_cost": 3,
           "bonus_lost": 4, "liquidations": 5, "final_health": 6, "policy_failures": 7}


def _np():
    import numpy as np
    return np


def _exact(name, arr, dtype):
    """The array itself when it is C-contiguous 1-D `dtype` (no copy is ever made)."""
    np = _np()
    if not isinstance(arr, np.ndarray) or arr.dtype != dtype or arr.ndim != 1 \
            or not arr.flags["C_CONTIGUOUS"]:
        raise TypeError(f"{name} must be a C-contiguous 1-D {np.dtype(dtype).name} numpy array "
                        f"(convert once with np.ascontiguousarray(x, dtype=np.{np.dtype(dtype).name}))")
    return arr


def _csr(offsets, assets, collateral, debt, first, count):
    np = _np()
    offsets = _exact("offsets", offsets, np.uintp)
    assets = _exact("assets", assets, np.uint32)
    collateral = _exact("collateral", collateral, np.float64)
    debt = _exact("debt", debt, np.float64)
    if len(offsets) == 0:
        raise ValueError("offsets needs count + 1 entries; it is empty")
    total = len(offsets) - 1
    first = _int(first, "first", 0, max(total, 0))
    count = total - first if count is None else _int(count, "count", 0, max(total, 0))
    if first + count > total:
        raise ValueError(f"accounts [{first}, {first + count}) are outside the {total} given")
    rows = offsets[first:first + count + 1]
    if count and np.any(rows[1:] < rows[:-1]):
        bad = int(np.argmax(rows[1:] < rows[:-1]))
        raise ValueError(f"offsets decrease at account {first + bad}")
    reach = int(rows[-1]) if count else 0
    if reach > min(len(assets), len(collateral), len(debt)):
        raise ValueError(f"the offsets reach {reach}, past the position arrays")
    off_ptr = offsets.ctypes.data + first * offsets.itemsize  # a view of the shard, not a copy
    return count, off_ptr, assets.ctypes.data, collateral.ctypes.data, debt.ctypes.data


def scan(market, haircuts, offsets, assets, collateral, debt, first: int = 0,
         count: int | None = None):
    """Health factors of accounts [first, first + count) in compressed sparse
    rows: `offsets` (np.uintp, count + 1 entries used), `assets` (np.uint32,
    increasing within an account), `collateral` and `debt` (float64). The
    arrays are read in place. Returns a float64 array."""
    np = _np()
    n, off, a, q, d = _csr(offsets, assets, collateral, debt, first, count)
    out = np.empty(n)
    check(_lib.keel_scan(_h(market, "market"), _h(haircuts, "haircuts"), n, off, a, q, d,
                         out.ctypes.data))
    return out


def scan_top_k(market, haircuts, offsets, assets, collateral, debt, k: int, first: int = 0,
               count: int | None = None):
    """The k accounts closest to liquidation: (indices counted from 0 of the
    whole arrays, health factors), in increasing health factor."""
    np = _np()
    n, off, a, q, d = _csr(offsets, assets, collateral, debt, first, count)
    k = _int(k, "k", 0, U64_MAX)
    keep = max(1, min(k, n))  # C writes min(k, n) results
    idx, hf, found = np.empty(keep, dtype=np.uintp), np.empty(keep), c_size_t()
    check(_lib.keel_scan_top_k(_h(market, "market"), _h(haircuts, "haircuts"), n, off, a, q, d,
                               min(k, n), idx.ctypes.data, hf.ctypes.data, byref(found)))
    return idx[:found.value] + first, hf[:found.value]


def liquidations_at_risk(market, haircuts, offsets, assets, collateral, debt, shocks,
                         first: int = 0, count: int | None = None):
    """For each uniform shock (fractions, e.g. np.linspace(0, -0.5, 11)), the
    collateral value of the accounts then liquidatable."""
    np = _np()
    n, off, a, q, d = _csr(offsets, assets, collateral, debt, first, count)
    shocks = np.ascontiguousarray(shocks, dtype=np.float64)
    out = np.empty(len(shocks))
    check(_lib.keel_liquidations_at_risk(_h(market, "market"), _h(haircuts, "haircuts"), n, off, a,
                                         q, d, len(shocks), shocks.ctypes.data, out.ctypes.data))
    return out


def stress(market, basket, haircuts, assets, shocks, options=None) -> list:
    """Metrics of the account after each shock vector; `shocks[s][j]` moves `assets[j]`."""
    ids = [_asset(x) for x in assets]
    rows = [list(map(float, r)) for r in shocks]
    if any(len(r) != len(ids) for r in rows):
        raise ValueError("every shock row needs one value per asset")
    flat = (c_double * (len(rows) * len(ids)))(*[v for r in rows for v in r])
    out = (_ffi.CMetrics * len(rows))()
    for m in out:
        m.size = ctypes.sizeof(m)
    check(_lib.keel_stress(_h(basket, "basket"), _opt_h(options, "options"), _h(market, "market"),
                           _h(haircuts, "haircuts"), len(rows), len(ids),
                           (_ffi.keel_asset * len(ids))(*ids), flat, out))
    return [Metrics(*(getattr(m, name) for name, _ in _ffi.CMetrics._fields_[1:])) for m in out]


@dataclass(frozen=True)
class SimSummary:
    """Means over the paths (see keel/sim.h for each definition)."""

    paths: int
    liquidation_probability: float
    liquidation_probability_se: float
    mean_liquidations: float
    mean_bonus_lost: float
    mean_rebalance_cost: float
    mean_trades: float
    mean_final_equity: float
    mean_min_health: float
    mean_health: float
    mean_capital_efficiency: float
    policy_failures: int
    paths_with_policy_failures: int
    first_policy_failure_path: int  # 2**64 - 1 when none


class SimStats(_Handle):
    """Per-path results of one or more runs; `merge` adds another shard's.
    Experimental (docs/abi.md)."""

    _free = "keel_sim_stats_free"

    def to_bytes(self) -> bytes:
        """The statistics as bytes (a versioned, platform-independent layout)."""
        need = c_size_t()
        _lib.keel_sim_stats_serialize(self._ptr, None, 0, byref(need))
        buf = ctypes.create_string_buffer(need.value)
        check(_lib.keel_sim_stats_serialize(self._ptr, buf, need.value, byref(need)))
        return buf.raw[:need.value]

    @classmethod
    def from_bytes(cls, data: bytes) -> "SimStats":
        """Statistics read back from `to_bytes()` (every byte checked)."""
        out = c_void_p()
        check(_lib.keel_sim_stats_deserialize(bytes(data), len(data), byref(out)))
        obj = cls.__new__(cls)
        _Handle.__init__(obj, out)
        return obj

    def __copy__(self) -> "SimStats":
        """An independent copy (through the byte form)."""
        return SimStats.from_bytes(self.to_bytes())

    def __deepcopy__(self, memo) -> "SimStats":
        return self.__copy__()

    def __reduce__(self):
        # pickled as bytes, so statistics travel between processes (dask, multiprocessing)
        return (SimStats.from_bytes, (self.to_bytes(),))

    def merge(self, other: "SimStats") -> "SimStats":
        """Adds the paths of `other` (disjoint ranges of the same simulation); returns self."""
        check(_lib.keel_sim_stats_merge(self._ptr, _h(other, "other")))
        return self

    @property
    def summary(self) -> SimSummary:
        """Means over the paths, summed in path order."""
        s = _ffi.CSimSummary()
        s.size = ctypes.sizeof(s)
        check(_lib.keel_sim_stats_summary(self._ptr, byref(s)))
        return SimSummary(*(getattr(s, f.name) for f in fields(SimSummary)))

    def __getattr__(self, name):
        if name in SimSummary.__dataclass_fields__:
            return getattr(self.summary, name)
        raise AttributeError(name)

    def percentile(self, metric: str, q: float) -> float:
        """A percentile of a per-path quantity: final_equity, min_health,
        mean_health, rebalance_cost, bonus_lost, liquidations, final_health or
        policy_failures (q in [0, 1])."""
        if metric not in METRICS:
            raise ValueError(f"unknown metric {metric!r}; use {sorted(METRICS)}")
        out = c_double()
        check(_lib.keel_sim_stats_percentile(self._ptr, METRICS[metric], float(q), byref(out)))
        return out.value

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.SimStats closed>"
        s = self.summary
        return f"<keel.SimStats {s.paths} paths, P(liquidation) {s.liquidation_probability:.4g}>"


class Simulation(_Handle):
    """A backtest of a policy (or of holding) on an account: copies of the
    account, market, models and policy; correlated GBM prices from the
    market (optional drift and Merton jumps) or replayed paths.
    Experimental (docs/abi.md): may change in a minor release.

    >>> import keel
    >>> m = keel.Market(); eth = m.add_asset("ETH", 2000.0); usdc = m.add_asset("USDC", 1.0)
    >>> m.set_volatility(eth, 0.8)
    >>> h = keel.HaircutModel(); h.set_asset(eth, initial=0.25, maintenance=0.2)
    >>> b = keel.Basket(); b.set_collateral(eth, 10.0); b.set_debt(usdc, 12000.0)
    >>> sim = keel.Simulation(m, b, h, keel.CostModel(), steps=30, seed=7)
    >>> whole = sim.run(0, 200)
    >>> parts = sim.run(0, 120).merge(sim.run(120, 80))
    >>> parts.summary == whole.summary
    True
    """

    _free = "keel_sim_free"

    def __init__(self, market, basket, haircuts, costs, policy=None, options=None, *,
                 steps: int | None = None, dt: float | None = None, seed: int | None = None,
                 rebalance_every: int | None = None, close_factor: float | None = None,
                 full_close_below: float | None = None,
                 liquidation_bonus: float | None = None):
        """`steps` per path, `dt` years per step, `seed` of the random stream,
        the policy every `rebalance_every` steps, and the liquidator's terms
        (`close_factor` in (0, 1], `full_close_below` an HF, `liquidation_bonus`
        in [0, 1)). A setting left as None takes the C library's default
        (`keel.defaults("simulation")`; keel/sim.h says where they come from)."""
        p = c_struct(_ffi.CSimParams)
        fill(p, steps=None if steps is None else _int(steps, "steps", 0, U32_MAX),
             dt=None if dt is None else float(dt),
             seed=None if seed is None else _int(seed, "seed", 0, U64_MAX),
             rebalance_every=None if rebalance_every is None else _int(
                 rebalance_every, "rebalance_every", 0, U32_MAX),
             close_factor=None if close_factor is None else float(close_factor),
             full_close_below=None if full_close_below is None else float(full_close_below),
             liquidation_bonus=None if liquidation_bonus is None else float(liquidation_bonus))
        steps = p.steps
        self.steps = steps
        out = c_void_p()
        check(_lib.keel_sim_new(_h(basket, "basket"), _opt_h(options, "options"),
                                _h(market, "market"), _h(haircuts, "haircuts"), _h(costs, "costs"),
                                _opt_h(policy, "policy"), byref(p), byref(out)))
        _Handle.__init__(self, out)
        self._market_symbols = list(market.symbols)  # set_aave maps assets by symbol

    _runs = 0  # runs in progress: C reads the set-up, so it must not change (set_*)

    def _not_running(self, what: str) -> None:
        if self._runs:
            raise StateError(f"Simulation.{what}: the simulation is running (called from its "
                             "progress callback or another thread)")

    def set_drift(self, asset: int, drift: float) -> None:
        """An expected return per year for an asset. StateError while a run is
        in progress."""
        self._not_running("set_drift")
        check(_lib.keel_sim_set_drift(self._ptr, _asset(asset), float(drift)))

    def set_jumps(self, asset: int, intensity: float, mean: float, vol: float) -> None:
        """Merton jumps: `intensity` per year, log-size normal(mean, vol).
        StateError while a run is in progress."""
        self._not_running("set_jumps")
        check(_lib.keel_sim_set_jumps(self._ptr, _asset(asset), float(intensity), float(mean),
                                      float(vol)))

    def set_aave(self, market, reserves=None, emode: int = 0) -> None:
        """Liquidates by Aave v3's own rules (keel_sim_set_aave): `market` an
        keel.aave.AaveMarket, `reserves[i]` the reserve id (or symbol) of this
        simulation market's asset i, for every asset (AaveAccount.to_keel builds the
        market in reserve order: pass `reserves=None` to map asset i to the reserve
        whose symbol the asset has); `emode` the account's category. market=None goes
        back to the default liquidator. StateError while a run is in progress."""
        self._not_running("set_aave")
        if market is None:
            check(_lib.keel_sim_set_aave(self._ptr, None, None, 0, 0))
            return
        from .aave import AaveMarket
        if not isinstance(market, AaveMarket):
            raise TypeError("market must be a keel.aave.AaveMarket or None")
        if reserves is None:
            reserves = self._market_symbols
        ids = [market._id(r) for r in reserves]
        arr = (c_uint32 * max(len(ids), 1))(*ids)
        if isinstance(emode, bool) or not 0 <= operator.index(emode) <= 0xFFFFFFFF:
            raise ValueError(f"emode must be an int, got {emode!r}")
        check(_lib.keel_sim_set_aave(self._ptr, _h(market, "market"), arr, len(ids),
                                     operator.index(emode)))

    def set_comet(self, market, assets=None) -> None:
        """Liquidates by Compound v3's own rules (keel_sim_set_comet): `market` a
        keel.comet.CometMarket, `assets[i]` the Comet asset of this simulation market's
        asset i -- a collateral id or symbol, or None for the base -- for every asset
        (CometAccount.to_keel builds such a market: pass `assets=None` to map each asset
        by its symbol, the base's to the base). market=None goes back to the default
        liquidator. StateError while a run is in progress."""
        self._not_running("set_comet")
        if market is None:
            check(_lib.keel_sim_set_comet(self._ptr, None, None, 0))
            return
        from .comet import BASE_ID, CometMarket
        if not isinstance(market, CometMarket):
            raise TypeError("market must be a keel.comet.CometMarket or None")
        if assets is None:
            assets = [None if s == market.base_symbol else s for s in self._market_symbols]
        ids = [BASE_ID if a is None else market._id(a) for a in assets]
        arr = (c_uint32 * max(len(ids), 1))(*ids)
        check(_lib.keel_sim_set_comet(self._ptr, _h(market, "market"), arr, len(ids)))

    def set_morpho(self, market, collateral=None, loan=None) -> None:
        """Liquidates by Morpho Blue's own rules (keel_sim_set_morpho): `market` a
        keel.morpho.MorphoMarket, `collateral` and `loan` this simulation market's assets
        (ids or symbols; None: the asset with the market token's symbol, as
        MorphoMarket.to_keel names them). market=None goes back to the default
        liquidator. StateError while a run is in progress."""
        self._not_running("set_morpho")
        if market is None:
            check(_lib.keel_sim_set_morpho(self._ptr, None, 0, 0))
            return
        from .morpho import MorphoMarket
        if not isinstance(market, MorphoMarket):
            raise TypeError("market must be a keel.morpho.MorphoMarket or None")

        def asset(a, symbol):
            a = symbol if a is None else a
            if isinstance(a, str):
                if a not in self._market_symbols:
                    raise UnknownAssetError(f"no asset {a!r} in the simulation's market")
                return self._market_symbols.index(a)
            return _asset(a)
        check(_lib.keel_sim_set_morpho(self._ptr, _h(market, "market"),
                                       asset(collateral, market.collateral_symbol),
                                       asset(loan, market.loan_symbol)))

    def set_paths(self, assets, prices) -> None:
        """Replays `prices`, a float64 array of shape (paths, steps, len(assets))
        (steps 1 .. steps; step 0 is the market's). Copied by the library.
        StateError while a run is in progress (the run reads the paths)."""
        self._not_running("set_paths")
        np = _np()
        ids = np.ascontiguousarray([_asset(a) for a in assets], dtype=np.uint32)
        prices = np.ascontiguousarray(prices, dtype=np.float64)
        if prices.ndim != 3 or prices.shape[1] != self.steps or prices.shape[2] != len(ids):
            raise ValueError(f"prices must have shape (paths, {self.steps}, {len(ids)})")
        check(_lib.keel_sim_set_paths(self._ptr, prices.shape[0], len(ids), ids.ctypes.data,
                                      prices.ctypes.data))

    def run(self, first: int = 0, count: int = 1000, progress=None) -> SimStats:
        """Runs paths [first, first + count). `progress(fraction)` may return True
        to stop: CancelledError then carries the finished paths' `.stats`."""
        out = c_void_p()
        errors = []

        def _cb(fraction, _user):
            try:
                return 1 if progress(fraction) else 0
            except BaseException as exc:  # stop the run, raise it afterwards
                errors.append(exc)
                return 1

        cb = _ffi.PROGRESS_FN(_cb) if progress is not None else _ffi.PROGRESS_FN()
        first, count = _int(first, "first", 0, U64_MAX), _int(count, "count", 0, U64_MAX)
        self._runs += 1
        try:
            status = _lib.keel_sim_run(self._ptr, first, count, cb, None, byref(out))
        finally:
            self._runs -= 1
        stats = None
        if out.value:
            stats = SimStats.__new__(SimStats)
            _Handle.__init__(stats, out)
        if errors:
            raise errors[0]
        try:
            check(status)
        except CancelledError as exc:
            exc.stats = stats
            raise
        s = stats.summary
        if s.policy_failures:
            warnings.warn(
                f"the policy failed on {s.policy_failures} turns in {s.paths_with_policy_failures} "
                f"paths (first: path {s.first_policy_failure_path}); those paths went on without "
                "its plan", PolicyFailureWarning, stacklevel=2)
        return stats


__all__ = ["scan", "scan_top_k", "liquidations_at_risk", "stress", "Simulation", "SimStats",
           "SimSummary", "METRICS"]
