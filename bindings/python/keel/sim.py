"""Scale: batch scans over many accounts (numpy arrays in and out, no copies),
stress tests, and Monte Carlo or historical backtests of policies with
statistics that merge across shards into the same bits as one run."""

from __future__ import annotations

import ctypes
import operator
from ctypes import byref, c_double, c_size_t, c_uint32, c_void_p
from dataclasses import dataclass, fields
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple, Union

from . import _ffi
from . import _replay
from ._core import (U32_MAX, U64_MAX, Asset, AssetLike, Basket, HaircutModel, Market, Metrics,
                    _Handle, _asset, _int, _h, _market_asset, _opt_h, _same_market)
from ._records import Record, Records, pandas
import warnings

from ._defaults import c_struct, fill
from .errors import (BufferTooSmallError, CancelledError, MarketMismatchError,
                     PolicyFailureWarning, StateError, UnknownAssetError, check)
from .trace import EventKind, SimEvent, Trace, event_from_c

_lib = _ffi.lib
METRICS = {"final_equity": 0, "min_health": 1, "mean_health": 2, "rebalance_cost": 3,
           "bonus_lost": 4, "liquidations": 5, "final_health": 6, "policy_failures": 7}
SIZE_MAX = 2 ** (8 * ctypes.sizeof(c_size_t)) - 1
VOLATILITY_MODELS = {"constant": 0, "ewma": 1, "garch": 2}  # keel_sim_vol_kind
_TOO_SMALL = BufferTooSmallError.status


def _is_datetime_index(x: Any) -> bool:
    pd = _replay.pandas_or_none()
    return pd is not None and isinstance(x, pd.DatetimeIndex)


def _tqdm_bar(total: int) -> Any:
    """A tqdm progress bar of `total` paths, or None when tqdm is not installed."""
    try:
        from tqdm import tqdm
    except ImportError:  # optional (Debian: python3-tqdm); no bar then
        return None
    return tqdm(total=total, unit="path", desc="keel", leave=False)


def _metric(metric: str) -> int:
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; use {sorted(METRICS)}")
    return METRICS[metric]


def _np() -> Any:
    import numpy as np
    return np


def _scan_market(market: Any, haircuts: Any, assets: Any) -> None:
    """MarketMismatchError when the haircuts, or an Asset object among the ids (a list
    of them), belong to another market than `market`; numpy id arrays are bare ids."""
    _same_market(market, haircuts=haircuts)
    if not isinstance(assets, _np().ndarray):
        for j, x in enumerate(assets):
            if isinstance(x, Asset):
                _market_asset(market, x, f"assets[{j}]")


def _int_rows(name: str, x: Any, dtype: Any) -> Any:
    """`x` as a C-contiguous 1-D array of the unsigned integer `dtype`: the
    array itself when it already is one (no copy), otherwise one conversion
    from any integer array or sequence, every value checked to fit (never
    wrapped): a negative value raises ValueError, one past the dtype's
    maximum OverflowError; floats, booleans and other kinds raise TypeError."""
    np = _np()
    if isinstance(x, np.ndarray) and x.dtype == dtype and x.ndim == 1 \
            and x.flags["C_CONTIGUOUS"]:
        return x
    arr = x if isinstance(x, np.ndarray) else np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; it has shape {arr.shape}")
    if arr.size == 0:
        return np.zeros(0, dtype=dtype)
    kind = arr.dtype.kind
    if kind == "O":  # Python ints past int64/uint64: checked one by one
        if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in arr):
            raise TypeError(f"{name} must hold integers")
    elif kind not in "iu":
        raise TypeError(f"{name} must be an integer array or sequence; it has dtype {arr.dtype}")
    lo, hi = int(arr.min()), int(arr.max())
    if lo < 0:
        raise ValueError(f"{name} holds {lo}; it must be >= 0")
    top = int(np.iinfo(dtype).max)
    if hi > top:
        raise OverflowError(f"{name} holds {hi}, past the {np.dtype(dtype).name} maximum {top}")
    return np.ascontiguousarray(arr, dtype=dtype) if kind != "O" else np.array([int(v) for v in arr], dtype=dtype)


def _real_rows(name: str, x: Any) -> Any:
    """`x` as a C-contiguous 1-D float64 array: the array itself when it is
    one, otherwise one conversion from a real (float or integer) array or
    sequence."""
    np = _np()
    if isinstance(x, np.ndarray) and x.dtype == np.float64 and x.ndim == 1 \
            and x.flags["C_CONTIGUOUS"]:
        return x
    arr = x if isinstance(x, np.ndarray) else np.asarray(x)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; it has shape {arr.shape}")
    if arr.size and arr.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold real numbers; it has dtype {arr.dtype}")
    return np.ascontiguousarray(arr, dtype=np.float64)


class _Rows:
    """The four arrays of a scan, converted once, and the shard's pointers
    (the arrays are kept here so that they outlive the call)."""

    def __init__(self, offsets: Any, assets: Any, collateral: Any, debt: Any, first: int,
                 count: Optional[int]) -> None:
        np = _np()
        self.offsets = _int_rows("offsets", offsets, np.uintp)
        self.assets = _int_rows("assets", assets, np.uint32)
        self.collateral = _real_rows("collateral", collateral)
        self.debt = _real_rows("debt", debt)
        offsets = self.offsets
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
        if reach > min(len(self.assets), len(self.collateral), len(self.debt)):
            raise ValueError(f"the offsets reach {reach}, past the position arrays")
        self.n = count
        self.off = offsets.ctypes.data + first * offsets.itemsize  # the shard: a view, no copy
        self.args = (count, self.off, self.assets.ctypes.data, self.collateral.ctypes.data,
                     self.debt.ctypes.data)


def _out_buffer(out: Any, n: int) -> Any:
    """`out` checked as scan's output buffer: a writeable C-contiguous 1-D
    float64 numpy array of n entries (TypeError for another type or dtype,
    ValueError for the rest)."""
    np = _np()
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy array, not {type(out).__name__}")
    if out.dtype != np.float64:
        raise TypeError(f"out must have dtype float64; it has {out.dtype}")
    if out.ndim != 1 or not out.flags["C_CONTIGUOUS"]:
        raise ValueError("out must be a C-contiguous 1-D array")
    if not out.flags["WRITEABLE"]:
        raise ValueError("out is read-only")
    if len(out) != n:
        raise ValueError(f"out has {len(out)} entries; the scan writes {n}")
    return out


_ROWS_DOC = """
    The rows are compressed sparse rows: account i holds positions
    offsets[i] .. offsets[i+1]-1 of `assets` (ids of `market`, strictly
    increasing within an account), `collateral` and `debt` (units, finite,
    >= 0). `offsets` and `assets` may be any integer numpy arrays or
    sequences: np.uintp and np.uint32 C-contiguous 1-D arrays are read in
    place (no copy); anything else is converted once per call, every value
    checked to fit (a negative id or offset raises ValueError, one too large
    OverflowError -- nothing wraps). `collateral` and `debt` are read in place
    as C-contiguous float64, converted once otherwise. For repeated scans of
    one book convert once (np.ascontiguousarray(x, dtype=np.uint32) ...)."""


def scan(market: Market, haircuts: HaircutModel, offsets: Any, assets: Any, collateral: Any,
         debt: Any, first: int = 0, count: int | None = None, out: Any = None) -> Any:
    """Health factors of accounts [first, first + count) (all by default),
    L / W, +inf without debt; the same bits as Basket.metrics.

    `out`, when given, receives them and is returned: a writeable
    C-contiguous float64 array of exactly `count` entries (TypeError for
    another type or dtype, ValueError for the rest), so that repeated scans
    allocate nothing; otherwise a new float64 array is returned.
    """
    np = _np()
    _scan_market(market, haircuts, assets)
    rows = _Rows(offsets, assets, collateral, debt, first, count)
    out = np.empty(rows.n) if out is None else _out_buffer(out, rows.n)
    check(_lib.keel_scan(_h(market, "market"), _h(haircuts, "haircuts"), *rows.args,
                         out.ctypes.data))
    return out


def scan_top_k(market: Market, haircuts: HaircutModel, offsets: Any, assets: Any,
               collateral: Any, debt: Any, k: int, first: int = 0,
               count: int | None = None) -> Tuple[Any, Any]:
    """The k accounts closest to liquidation: (indices counted from 0 of the
    whole arrays, health factors), in increasing health factor."""
    np = _np()
    _scan_market(market, haircuts, assets)
    rows = _Rows(offsets, assets, collateral, debt, first, count)
    n = rows.n
    k = _int(k, "k", 0, U64_MAX)
    keep = max(1, min(k, n))  # C writes min(k, n) results
    idx, hf, found = np.empty(keep, dtype=np.uintp), np.empty(keep), c_size_t()
    check(_lib.keel_scan_top_k(_h(market, "market"), _h(haircuts, "haircuts"), *rows.args,
                               min(k, n), idx.ctypes.data, hf.ctypes.data, byref(found)))
    return idx[:found.value] + first, hf[:found.value]


def liquidations_at_risk(market: Market, haircuts: HaircutModel, offsets: Any, assets: Any,
                         collateral: Any, debt: Any, shocks: Any, first: int = 0,
                         count: int | None = None) -> Any:
    """For each uniform shock (fractions, e.g. np.linspace(0, -0.5, 11)), the
    collateral value of the accounts then liquidatable."""
    np = _np()
    _scan_market(market, haircuts, assets)
    rows = _Rows(offsets, assets, collateral, debt, first, count)
    shocks = np.ascontiguousarray(shocks, dtype=np.float64)
    out = np.empty(len(shocks))
    check(_lib.keel_liquidations_at_risk(_h(market, "market"), _h(haircuts, "haircuts"),
                                         *rows.args, len(shocks), shocks.ctypes.data,
                                         out.ctypes.data))
    return out


for _f in (scan, scan_top_k, liquidations_at_risk):
    if _f.__doc__:  # None under python -OO
        _f.__doc__ += _ROWS_DOC
del _f


def stress(market: Market, basket: Basket, haircuts: HaircutModel,
           assets: Sequence[AssetLike], shocks: Sequence[Sequence[float]],
           options: Any = None) -> Records[Metrics]:
    """Metrics of the account after each shock vector: `shocks[s][j]` is the
    relative move of `assets[j]` in scenario s (-0.3: a 30% fall). Returns a
    list of Metrics, one per scenario, with to_frame() (one row per scenario)
    and to_dict(); MarketMismatchError when an argument holds another market's assets."""
    _same_market(market, basket=basket, haircuts=haircuts, options=options)
    ids = [_market_asset(market, x, f"assets[{j}]") for j, x in enumerate(assets)]
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
    return Records((Metrics(*(getattr(m, name) for name, _ in _ffi.CMetrics._fields_[1:]))
                    for m in out), columns=Metrics.__dataclass_fields__)


@dataclass(frozen=True)
class SimSummary(Record):
    """Means over the paths of a simulation, each path weighing the same.

    Attributes:
        paths: the number of paths.
        liquidation_probability: the share of paths with at least one liquidation.
        liquidation_probability_se: its standard error sqrt(p (1 - p) / paths).
        mean_liquidations: liquidations per path.
        mean_bonus_lost: collateral lost to liquidation bonuses per path, in the numeraire.
        mean_rebalance_cost: trading costs of the policy per path, in the numeraire.
        mean_trades: actions applied per path.
        mean_final_equity: collateral minus debt at the last step, in the numeraire.
        mean_min_health: the lowest health factor of each path, averaged.
        mean_health: the time-average health factor of each path, averaged.
        mean_capital_efficiency: the time-average W / BP of each path, averaged.
        policy_failures: turns on which the policy returned an error, all paths.
        paths_with_policy_failures: paths with at least one such turn.
        first_policy_failure_path: the lowest such path index; None when none.
    """

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
    first_policy_failure_path: Optional[int]


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

    def __deepcopy__(self, memo: Any) -> "SimStats":
        return self.__copy__()

    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]:
        # pickled as bytes, so statistics travel between processes (dask, multiprocessing)
        return (SimStats.from_bytes, (self.to_bytes(),))

    def merge(self, other: SimStats) -> SimStats:
        """New statistics with the paths of both (disjoint ranges of the same
        simulation); self and other are left as they were."""
        out = self.__copy__()
        check(_lib.keel_sim_stats_merge(out._ptr, _h(other, "other")))
        return out

    def merge_into(self, other: SimStats) -> SimStats:
        """Adds the paths of `other` to these statistics in place (no copy);
        returns self."""
        check(_lib.keel_sim_stats_merge(self._ptr, _h(other, "other")))
        return self

    def to_dict(self) -> Dict[str, Any]:
        """The summary as a dict (SimSummary.to_dict())."""
        return self.summary.to_dict()

    @property
    def summary(self) -> SimSummary:
        """Means over the paths, summed in path order."""
        s = _ffi.CSimSummary()
        s.size = ctypes.sizeof(s)
        check(_lib.keel_sim_stats_summary(self._ptr, byref(s)))
        values = [getattr(s, f.name) for f in fields(SimSummary)]
        if values[-1] == U64_MAX:  # C's "none"
            values[-1] = None
        return SimSummary(*values)

    def __getattr__(self, name: str) -> Any:
        if name in SimSummary.__dataclass_fields__:
            return getattr(self.summary, name)
        raise AttributeError(name)

    def percentile(self, metric: str, q: float) -> float:
        """A percentile of a per-path quantity: final_equity, min_health,
        mean_health, rebalance_cost, bonus_lost, liquidations, final_health or
        policy_failures (q in [0, 1])."""
        out = c_double()
        check(_lib.keel_sim_stats_percentile(self._ptr, _metric(metric), float(q), byref(out)))
        return out.value

    def _values(self, metric: int, want_paths: bool) -> Any:
        np = _np()
        for _ in range(8):  # the count may grow between the calls (a merge in another thread)
            n = c_size_t()
            check(_lib.keel_sim_stats_values(self._ptr, metric, None, None, 0, byref(n)))
            cap = n.value
            paths = np.empty(cap, dtype=np.uint64) if want_paths else None
            values = None if want_paths else np.empty(cap, dtype=np.float64)
            buf = paths if want_paths else values
            status = _lib.keel_sim_stats_values(
                self._ptr, metric, buf.ctypes.data if want_paths else None,
                None if want_paths else buf.ctypes.data, cap, byref(n))
            if status == _TOO_SMALL:
                continue
            check(status)
            return buf[:n.value]
        raise StateError("SimStats: the statistics kept changing while being read")

    def values(self, metric: str, *, paths: bool = False) -> Any:
        """The per-path values of one metric (keel_sim_stats_values, include/keel/sim.h),
        a float64 numpy array in path order: final_equity, rebalance_cost and bonus_lost
        in the numeraire, min_health / mean_health / final_health as health factors (+inf
        without debt), liquidations and policy_failures as counts. With paths=True,
        (path_indexes, values). np.percentile(values(m), 100 q) is percentile(m, q) (both
        Hyndman & Fan type 7). ValueError for an unknown metric."""
        vals = self._values(_metric(metric), False)
        return (self.path_indexes, vals) if paths else vals

    @property
    def path_indexes(self) -> Any:
        """The path index of each record, increasing (a uint64 numpy array; `paths` is
        their number)."""
        return self._values(0, True)

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per path (index `path`), one column per metric
        (METRICS, in its order); pandas imported lazily."""
        pd = pandas()
        data = {name: self._values(code, False) for name, code in METRICS.items()}
        return pd.DataFrame(data, index=pd.Index(self.path_indexes, name="path"))

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.SimStats closed>"
        s = self.summary
        noun = "path" if s.paths == 1 else "paths"
        return (f"<keel.SimStats {s.paths} {noun}, P(liquidation) "
                f"{s.liquidation_probability:.4g} +- {s.liquidation_probability_se:.2g}>")


class Simulation(_Handle):
    """A backtest of a policy (or of holding) on an account: copies of the
    account, market, models and policy; correlated GBM prices from the
    market (optional drift and Merton jumps, volatility that follows EWMA or
    GARCH: set_volatility) or replayed history (set_replay, with intraday
    lows and highs and time stamps; set_window; from_prices builds one from a
    pandas DataFrame). run() gives per-path statistics, trace() one path's
    trajectory and events. Experimental (docs/abi.md): may change in a minor
    release.

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

    def __init__(self, market: Market, basket: Basket, haircuts: HaircutModel, costs: Any,
                 policy: Any = None, options: Any = None, *,
                 steps: int | None = None, dt: float | None = None, seed: int | None = None,
                 rebalance_every: int | None = None, close_factor: float | None = None,
                 full_close_below: float | None = None,
                 liquidation_bonus: float | None = None) -> None:
        """`steps` per path, `dt` years per step, `seed` of the random stream,
        the policy every `rebalance_every` steps, and the liquidator's terms
        (`close_factor` in (0, 1], `full_close_below` an HF, `liquidation_bonus`
        in [0, 1)). A setting left as None takes the C library's default
        (`keel.defaults("simulation")`; keel/sim.h says where they come from)."""
        _same_market(market, basket=basket, haircuts=haircuts, costs=costs, policy=policy,
                     options=options)
        p = c_struct(_ffi.CSimParams)
        fill(p, steps=None if steps is None else _int(steps, "steps", 0, U32_MAX),
             dt=None if dt is None else float(dt),
             seed=None if seed is None else _int(seed, "seed", 0, U64_MAX),
             rebalance_every=None if rebalance_every is None else _int(
                 rebalance_every, "rebalance_every", 0, U32_MAX),
             close_factor=None if close_factor is None else float(close_factor),
             full_close_below=None if full_close_below is None else float(full_close_below),
             liquidation_bonus=None if liquidation_bonus is None else float(liquidation_bonus))
        steps = int(p.steps)
        self.steps: int = steps
        out = c_void_p()
        check(_lib.keel_sim_new(_h(basket, "basket"), _opt_h(options, "options"),
                                _h(market, "market"), _h(haircuts, "haircuts"), _h(costs, "costs"),
                                _opt_h(policy, "policy"), byref(p), byref(out)))
        _Handle.__init__(self, out)
        self._market_symbols = list(market.symbols)  # set_aave maps assets by symbol
        self._market_universe = market._uni()
        self._dt = p.dt
        # the replay as Python knows it (C holds the data): rows, each row's time stamp in
        # seconds (or None), what rows are indexed by (stamps as given, or None), window
        self._rows: Optional[int] = None
        self._seconds: Any = None
        self._stamps: Any = None
        self._win: Tuple[int, int] = (0, steps)

    @classmethod
    def from_prices(cls, market: Any, basket: Basket, haircuts: HaircutModel, costs: Any,
                    prices: Any, *, low: Any = None, high: Any = None,
                    time: Any = None, assets: Any = None, policy: Any = None, options: Any = None,
                    steps: int | None = None, dt: float | None = None,
                    seed: int | None = None, rebalance_every: int | None = None,
                    close_factor: float | None = None, full_close_below: float | None = None,
                    liquidation_bonus: float | None = None) -> "Simulation":
        """A historical backtest straight from prices: Simulation(...) then set_replay
        (keel_sim_new and keel_sim_set_replay, include/keel/sim.h).
        The start prices are the first row (the account is valued at it, whatever the
        market's prices of these assets); the run lasts rows - 1 steps.

        `prices` is one of:

        - a pandas DataFrame indexed by time (a DatetimeIndex: the time stamps; any other
          index: no stamps, every step lasts `dt`), one column of closes per asset, the
          columns named by the market's symbols (or ids); `low` / `high` optional
          DataFrames of the same index and columns;
        - a dict {symbol: DataFrame of candles} with columns close and, optionally, low and
          high (case-insensitive; open, volume and any other column are ignored), every
          frame on the same index (keel does not align, fill or drop rows: a mismatch is a
          ValueError); an asset whose frame has no low (high) column uses its close there;
          a DataFrame whose columns are a (symbol, field) MultiIndex is read the same way;
        - a numpy array as set_replay takes it (rows, rows x assets or paths x rows x
          assets) with `assets` naming its columns and `low`, `high`, `time` as arrays.

        `time` overrides the index's stamps (int seconds or datetimes, one per row).
        The other arguments are Simulation's (policy, options book, the parameters: a
        setting left as None takes the C library's default). Errors: set_replay's."""
        sim = cls(market, basket, haircuts, costs, policy, options, steps=steps, dt=dt,
                  seed=seed, rebalance_every=rebalance_every, close_factor=close_factor,
                  full_close_below=full_close_below, liquidation_bonus=liquidation_bonus)
        pd = _replay.pandas_or_none()
        if pd is not None and isinstance(prices, pd.DataFrame) and \
                isinstance(prices.columns, pd.MultiIndex):
            if prices.columns.nlevels != 2:
                raise ValueError("a MultiIndex of columns must have two levels: (symbol, field)")
            prices = {sym: prices[sym] for sym in prices.columns.get_level_values(0).unique()}
        if isinstance(prices, dict):
            if low is not None or high is not None:
                raise ValueError("with a dict of candle frames, low and high come from the "
                                 "frames' columns")
            if not prices:
                raise ValueError("prices is an empty dict")
            if pd is None:
                raise TypeError("a dict of candle frames needs pandas")
            syms = list(prices)
            closes, lows, highs = {}, {}, {}
            index = None
            for sym in syms:
                frame = prices[sym]
                if not isinstance(frame, pd.DataFrame):
                    raise TypeError(f"prices[{sym!r}] must be a DataFrame of candles")
                if index is None:
                    index = frame.index
                elif not _replay.same_index(frame.index, index):
                    raise ValueError(f"prices[{sym!r}]'s index differs from prices[{syms[0]!r}]'s "
                                     "(align them first: keel does not fill or drop rows)")
                c, lo, hi = _replay.ohlc_columns(frame, sym)
                closes[sym] = c
                lows[sym] = c if lo is None else lo
                highs[sym] = c if hi is None else hi
            any_low = any(_replay.ohlc_columns(prices[k], k)[1] is not None for k in syms)
            any_high = any(_replay.ohlc_columns(prices[k], k)[2] is not None for k in syms)
            prices = pd.DataFrame(closes, index=index)
            low = pd.DataFrame(lows, index=index) if any_low else None
            high = pd.DataFrame(highs, index=index) if any_high else None
        sim.set_replay(prices, assets=assets, low=low, high=high, time=time)
        return sim

    _runs = 0  # runs in progress: C reads the set-up, so it must not change (set_*)

    def __repr__(self) -> str:
        if self._ptr_value is None:
            return "<keel.Simulation closed>"
        what = "model" if self._rows is None else f"replay of {self._rows} rows"
        return (f"<keel.Simulation of {', '.join(self._market_symbols)}: {what}, "
                f"{self.run_steps} steps of {self._dt:g} years>")

    def _not_running(self, what: str) -> None:
        if self._runs:
            raise StateError(f"Simulation.{what}: the simulation is running (called from its "
                             "progress callback or another thread)")

    def _sim_asset(self, asset: Union[AssetLike, str]) -> int:
        """An asset of the simulation's market by id or symbol."""
        if isinstance(asset, str):
            if asset not in self._market_symbols:
                raise UnknownAssetError(f"no asset {asset!r} in the simulation's market")
            return self._market_symbols.index(asset)
        if isinstance(asset, Asset) and asset._universe is not self._market_universe:
            raise MarketMismatchError(f"asset {asset.symbol} belongs to another market than "
                                      "the simulation's")
        v = _asset(asset)
        if isinstance(asset, Asset) and (v >= len(self._market_symbols)
                                         or self._market_symbols[v] != asset.symbol):
            raise MarketMismatchError(f"asset {asset.symbol} is not id {v} of the simulation's "
                                      "market")
        return v

    @property
    def run_steps(self) -> int:
        """The steps a run lasts now: the replay's window (rows - 1 of a whole replay), or
        the parameters' steps when the model runs."""
        return int(self._win[1] if self._rows is not None else self.steps)

    def set_drift(self, asset: Union[AssetLike, str], drift: float) -> None:
        """An expected return per year for an asset. StateError while a run is
        in progress."""
        self._not_running("set_drift")
        check(_lib.keel_sim_set_drift(self._ptr, self._sim_asset(asset), float(drift)))

    def set_jumps(self, asset: Union[AssetLike, str], intensity: float, mean: float,
                  vol: float) -> None:
        """Merton jumps: `intensity` per year, log-size normal(mean, vol).
        StateError while a run is in progress."""
        self._not_running("set_jumps")
        check(_lib.keel_sim_set_jumps(self._ptr, self._sim_asset(asset), float(intensity),
                                      float(mean),
                                      float(vol)))

    def set_aave(self, market: Any, reserves: Optional[Sequence[Union[int, str]]] = None,
                 emode: int = 0) -> None:
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

    def set_comet(self, market: Any,
                  assets: Optional[Sequence[Union[int, str, None]]] = None) -> None:
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

    def set_morpho(self, market: Any, collateral: Union[int, str, None] = None,
                   loan: Union[int, str, None] = None) -> None:
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

        def asset(a: Any, symbol: str) -> int:
            a = symbol if a is None else a
            if isinstance(a, str):
                if a not in self._market_symbols:
                    raise UnknownAssetError(f"no asset {a!r} in the simulation's market")
                return self._market_symbols.index(a)
            return self._sim_asset(a)
        check(_lib.keel_sim_set_morpho(self._ptr, _h(market, "market"),
                                       asset(collateral, market.collateral_symbol),
                                       asset(loan, market.loan_symbol)))

    def set_paths(self, assets: Any, prices: Any) -> None:
        """Replays `prices`, a float64 array of shape (paths, steps, len(assets))
        (steps 1 .. steps; step 0 is the market's: a replay whose row 0 is the
        market's prices, without time stamps; set_replay takes the start row
        and stamps). Copied by the library. StateError while a run is in
        progress (the run reads the paths)."""
        self._not_running("set_paths")
        np = _np()
        ids = np.ascontiguousarray([self._sim_asset(a) for a in assets], dtype=np.uint32)
        prices = np.ascontiguousarray(prices, dtype=np.float64)
        if prices.ndim != 3 or prices.shape[1] != self.steps or prices.shape[2] != len(ids):
            raise ValueError(f"prices must have shape (paths, {self.steps}, {len(ids)})")
        check(_lib.keel_sim_set_paths(self._ptr, prices.shape[0], len(ids), ids.ctypes.data,
                                      prices.ctypes.data))
        # a replay whose row 0 is the market's prices, without time stamps
        self._forget_replay(self.steps + 1 if prices.shape[0] else None)

    def _forget_replay(self, rows: Optional[int]) -> None:
        self._rows, self._seconds, self._stamps = rows, None, None
        self._win = (0, rows - 1 if rows is not None else self.steps)

    # ---- historical replays (keel_sim_set_replay, keel_sim_set_window) ----

    def _replay_arrays(self, close: Any, assets: Any, low: Any, high: Any, time: Any) -> Any:
        """The checked arrays of a replay: (ids, close, low, high, seconds, stamps), each
        C-contiguous of exactly the shape C is told; ValueError / TypeError before C."""
        np = _np()
        index = None
        if _replay.is_frame(close) or _replay.is_series(close):
            index = close.index
            if assets is None:
                if _replay.is_series(close):
                    if close.name is None:
                        raise ValueError("a Series of closes needs a name (its asset's "
                                         "symbol) or assets=")
                    assets = [close.name]
                else:
                    assets = list(close.columns)
            for name, extreme in (("low", low), ("high", high)):
                if extreme is None:
                    continue
                if _replay.is_frame(close) != _replay.is_frame(extreme) or \
                        _replay.is_series(close) != _replay.is_series(extreme):
                    raise TypeError(f"{name} must be a pandas object of the kind close is")
                if not _replay.same_index(extreme.index, index):
                    raise ValueError(f"{name}'s index differs from close's (align them first: "
                                     "keel does not fill or drop rows)")
                if _replay.is_frame(close) and list(extreme.columns) != list(close.columns):
                    raise ValueError(f"{name}'s columns {list(extreme.columns)} differ from "
                                     f"close's {list(close.columns)}")
        c = _replay.float_array("close", close)
        c3 = _replay.as_3d("close", c)
        npaths, rows, nassets = c3.shape
        if assets is None:
            if nassets != len(self._market_symbols):
                raise ValueError(f"close has {nassets} asset columns and the market "
                                 f"{len(self._market_symbols)} assets: name the columns' "
                                 "assets with assets= (ids or symbols)")
            assets = list(range(nassets))
        elif _replay.scalar_asset(assets):
            assets = [assets]
        ids_list = [self._sim_asset(a) for a in assets]
        if len(ids_list) != nassets:
            raise ValueError(f"assets names {len(ids_list)} assets; close has {nassets} "
                             f"per row (shape {c.shape})")
        ids = np.ascontiguousarray(ids_list, dtype=np.uint32)
        extremes: List[Any] = []
        for name, extreme in (("low", low), ("high", high)):
            if extreme is None:
                extremes.append(None)
                continue
            e = _replay.float_array(name, extreme)
            if e.shape != c.shape:
                raise ValueError(f"{name} has shape {e.shape}; close has {c.shape}")
            extremes.append(_replay.as_3d(name, e))
        if time is None and index is not None and _is_datetime_index(index):
            time = index
        secs = stamps = None
        if time is not None:
            secs, datetimes = _replay.seconds(time, "time")
            if len(secs) != rows:
                raise ValueError(f"time has {len(secs)} stamps; close has {rows} rows")
            if _is_datetime_index(time):
                stamps = time
            elif datetimes:
                stamps = secs.astype("datetime64[s]")
            else:
                stamps = secs
        return ids, c3, extremes[0], extremes[1], secs, stamps

    def set_replay(self, close: Any, *, assets: Any = None, low: Any = None, high: Any = None,
                   time: Any = None) -> None:
        """Replays history instead of the model (keel_sim_set_replay, include/keel/sim.h).

        `close` holds the prices: a numpy array (paths x rows x assets; rows x assets for
        one path; rows for one path of one asset), a pandas DataFrame (rows x assets: its
        columns name the assets unless `assets` is given; a DatetimeIndex gives the time
        stamps unless `time` is given) or a Series (one asset, named by its name). Row 0 is
        the start: the account is valued at it (it overrides the market's prices of these
        assets; no off-by-one); row s is step s's close, where the policy acts. The run
        then lasts rows - 1 steps (`run_steps`; set_window for part of it), whatever the
        parameters' steps. Prices finite and > 0.

        `assets`: ids or symbols of the simulation's market, one per column, distinct (one
        id or symbol for one column); None takes a DataFrame's columns, or, for an array,
        every asset of the market in id order (its columns must then be all of them).
        Assets not given keep their market prices.

        `low` / `high`: each step's lowest and highest price (the candle's), of close's
        shape and kind (same index and columns for pandas), low <= close <= high (row 0 is
        checked, not used). Liquidation is then checked first at the adverse extreme --
        assets only held at their low, assets only owed at their high, an asset both held
        and owed at whichever end gives the lower HF, all at once --
        and the liquidator acts at those prices; else at the close. One liquidation a step.

        `time`: one stamp per row, strictly increasing, shared by every path: int seconds
        (any origin), numpy datetime64, a pandas DatetimeIndex / Series (tz-aware ones are
        read in UTC), datetime objects or ISO strings; whole seconds. Step s then lasts
        (t_s - t_{s-1}) / 31,536,000 years (a 365-day year): options age by it and
        volatility estimators scale its return by it; without stamps every step lasts the
        parameters' dt. Traces are indexed by these stamps (Trace.to_frame).

        close=None (and nothing else) goes back to the model. Everything is copied.

        Raises ValueError / TypeError / OverflowError before C for shapes that do not
        match, non-numeric data, stamps that are not whole seconds or do not fit int64;
        NotFiniteError (NaN or infinity; the detail names path, row and asset),
        OutOfRangeError (a price <= 0, a low above its close or a high below it, stamps not
        strictly increasing, an asset twice, fewer than 2 rows), UnknownAssetError from C.
        Nothing changes on failure: the previous replay (or the model) still runs.
        StateError while a run is in progress."""
        self._not_running("set_replay")
        if close is None:
            if not (assets is None and low is None and high is None and time is None):
                raise ValueError("set_replay(None) goes back to the model; it takes nothing else")
            check(_lib.keel_sim_set_replay(self._ptr, None))
            self._forget_replay(None)
            return
        ids, c3, lo3, hi3, secs, stamps = self._replay_arrays(close, assets, low, high, time)
        r = _ffi.CSimReplay()
        r.size = ctypes.sizeof(r)
        r.npaths, r.rows, r.nassets = c3.shape
        r.assets = ids.ctypes.data
        r.close = c3.ctypes.data
        r.low = None if lo3 is None else lo3.ctypes.data
        r.high = None if hi3 is None else hi3.ctypes.data
        r.time = None if secs is None else secs.ctypes.data
        check(_lib.keel_sim_set_replay(self._ptr, byref(r)))
        rows = c3.shape[1]
        self._rows, self._seconds, self._stamps = rows, secs, stamps
        self._win = (0, rows - 1)

    def _row(self, x: Any, name: str, side: str) -> int:
        """A row of the replay: an int as is, a time stamp as the first row at or after it
        (side 'left') or the last at or before it (side 'right')."""
        if not isinstance(x, bool):
            try:
                operator.index(x)
            except TypeError:
                pass
            else:
                return _int(x, name, 0, SIZE_MAX)
        if isinstance(x, (bool, float)):
            raise TypeError(f"{name} must be a row index (int) or a time stamp, got "
                            f"{type(x).__name__}")
        if self._seconds is None:
            raise ValueError(f"{name} is a time stamp but the replay has none: give a row index")
        t = _replay.one_second(x, name)
        np = _np()
        k = int(np.searchsorted(self._seconds, t, side=side))
        if side == "left":
            if k >= len(self._seconds):
                raise ValueError(f"{name} {x!r} is after the replay's last row")
            return k
        if k == 0:
            raise ValueError(f"{name} {x!r} is before the replay's first row")
        return k - 1

    def set_window(self, start: Any = 0, steps: int = 0, *, end: Any = None) -> None:
        """Runs the replay over rows [start, start + steps] only (keel_sim_set_window,
        include/keel/sim.h), without rebuilding the simulation: the start prices are row
        `start`'s closes and a run lasts `steps` steps (0: to the last row). `start` and
        `end` are row indexes (ints), or time stamps (datetime, np.datetime64, pandas
        Timestamp, ISO string such as "2021-05-01", naive ones in UTC) when the replay has
        them: `start` is then the first row at or after it, `end` (inclusive, instead of
        `steps`) the last row at or before it. Volatility estimators are fed rows
        0 .. start first, so a window starts with the regime its history left. A new replay
        resets the window to the whole of it.

        Raises ValueError for a negative or non-integer row, a stamp outside the replay
        or without stamps, steps and end both given; OutOfRangeError from C (no replay, a
        window past the last row or empty). Nothing changes on failure. StateError while
        a run is in progress."""
        self._not_running("set_window")
        first = self._row(start, "start", "left")
        if end is not None:
            if steps:
                raise ValueError("give steps or end, not both")
            last = self._row(end, "end", "right")
            if last <= first:
                raise ValueError(f"end (row {last}) must come after start (row {first})")
            steps = last - first
        steps = _int(steps, "steps", 0, SIZE_MAX)
        check(_lib.keel_sim_set_window(self._ptr, first, steps))
        assert self._rows is not None  # C refused a window without a replay
        self._win = (first, steps if steps else self._rows - 1 - first)

    @property
    def window(self) -> Tuple[int, int]:
        """(first row, steps) of the replay a run covers; (0, steps) for the model."""
        return self._win

    def set_volatility(self, asset: Union[int, str], model: str, *,
                       lam: Optional[float] = None, omega: Optional[float] = None,
                       alpha: Optional[float] = None, beta: Optional[float] = None,
                       period: Optional[float] = None,
                       initial_variance: Optional[float] = None,
                       drives: Optional[bool] = None) -> None:
        """How an asset's volatility evolves along each path (keel_sim_set_volatility,
        include/keel/sim.h): "constant" (the market's, the default), "ewma" (RiskMetrics:
        var = lam var + (1 - lam) r^2, as keel.Ewma; `lam` None: C's default,
        RiskMetrics' daily 0.94) or "garch" (var = omega + alpha r^2 + beta var, as keel.Garch; give
        `omega`, `alpha`, `beta`, alpha + beta < 1). The estimator is fed each step's
        close-to-close log return r scaled to its `period`: r sqrt(period / dt) for a step
        of dt years; after each move the market's volatility of the asset becomes
        sqrt(var / period) per year, so volatility haircut add-ons, option values and the
        predictive policy see it (Trace.volatility records it).

        `period`: years per estimator period, > 0; the model's parameters and variances are
        per period (per-period variance, e.g. per day for period 1/365). None: C's default
        (keel_sim_volatility_init), a day. `initial_variance`: variance per period at each path's start,
        >= 0; None or 0: the market's volatility squared x period (EWMA), the long-run
        variance omega / (1 - alpha - beta) (GARCH); a replay's window then warms it on the
        rows before the window. `drives` (True: GARCH only, Monte Carlo only; None or False:
        the model only estimates): simulated returns
        follow the filter's variance, r = (mu - h / 2 / period) dt + sqrt(h dt / period) z,
        plus jumps and their compensator when set_jumps set them (ignored by a replay). The asset is an id or a symbol.

        Raises ValueError for an unknown model, a parameter missing or not of the model;
        OutOfRangeError / NotFiniteError from C (a parameter out of range, alpha + beta
        >= 1); UnknownAssetError. Nothing changes on failure. StateError while a run is in
        progress."""
        self._not_running("set_volatility")
        if model not in VOLATILITY_MODELS:
            raise ValueError(f"unknown volatility model {model!r}; use {sorted(VOLATILITY_MODELS)}")
        given = {"lam": lam, "omega": omega, "alpha": alpha, "beta": beta}
        needs = {"constant": (), "ewma": (), "garch": ("omega", "alpha", "beta")}[model]
        takes = {"constant": (), "ewma": ("lam",), "garch": ("omega", "alpha", "beta")}[model]
        for k, v in given.items():
            if k in needs and v is None:
                raise ValueError(f"the {model} model needs {k}")
            if k not in takes and v is not None:
                raise ValueError(f"{k} is not a parameter of the {model} model")
        if drives is None:
            drives = False  # C's default: the filter only estimates
        if not isinstance(drives, bool):
            raise TypeError(f"drives must be a bool, got {type(drives).__name__}")
        if drives and model != "garch":
            raise ValueError("only a GARCH model drives simulated paths")
        if model == "constant" and (period is not None or initial_variance is not None):
            raise ValueError("a constant volatility takes no period or initial_variance")
        cv = _ffi.CSimVolatility()
        check(_lib.keel_sim_volatility_init(byref(cv), ctypes.sizeof(cv)))  # C's defaults
        cv.kind = VOLATILITY_MODELS[model]
        if period is not None:
            cv.period = float(period)
        if lam is not None:
            cv.lambda_ = float(lam)
        cv.omega = 0.0 if omega is None else float(omega)
        cv.alpha = 0.0 if alpha is None else float(alpha)
        cv.beta = 0.0 if beta is None else float(beta)
        cv.initial_variance = 0.0 if initial_variance is None else float(initial_variance)
        cv.drives = 1 if drives else 0
        check(_lib.keel_sim_set_volatility(self._ptr, self._sim_asset(asset), byref(cv)))

    # ---- traces (keel_sim_trace_path) ----

    def _stamps_of(self, first_row: int, rows: int) -> Any:
        if self._stamps is None:
            return None
        return self._stamps[first_row:first_row + rows]

    def trace(self, path: int = 0) -> Trace:
        """Runs path `path` alone and records it (keel_sim_trace_path, include/keel/sim.h):
        a keel.Trace with numpy arrays per row (time in years, prices and volatility
        [rows, nassets] in market order, health, health_low, collateral_value, debt_value,
        equity; rows = run_steps + 1, row 0 the start), the event log (Trace.events:
        liquidations, the policy's actions, its failures), `to_frame()` / `events_frame()`
        (pandas, indexed by the replay's time stamps when it had them) and `stats`, the
        path's SimStats -- the same record run() gives the path, bit for bit.

        The buffers are sized by asking C (KEEL_E_BUFFER_TOO_SMALL reports the rows and
        events needed) and the path is re-run when it had more events than room.
        `path` is an int in [0, 2^64) (below the replayed paths for a replay): ValueError
        otherwise, before C; OutOfRangeError from C for a path past the replay. Warns
        keel.PolicyFailureWarning when the policy failed on the path (as run() does)."""
        np = _np()
        path = _int(path, "path", 0, U64_MAX)
        n = len(self._market_symbols)
        probe = np.empty(1)
        t = _ffi.CSimTrace()
        t.size = ctypes.sizeof(t)
        t.event_size = ctypes.sizeof(_ffi.CSimEvent)
        t.capacity, t.time = 0, probe.ctypes.data  # checked before the run: only the rows
        status = _lib.keel_sim_trace_path(self._ptr, path, byref(t), None)
        if status != _TOO_SMALL:
            check(status)
        rows, ev_cap = t.rows, 16
        for _ in range(8):
            arrays = {name: np.zeros(rows) for name in (
                "time", "health", "health_low", "collateral_value", "debt_value", "equity")}
            arrays["prices"] = np.zeros((rows, n))
            arrays["volatility"] = np.zeros((rows, n))
            events = (_ffi.CSimEvent * ev_cap)()
            t = _ffi.CSimTrace()
            t.size = ctypes.sizeof(t)
            t.capacity = rows
            for name, arr in arrays.items():
                setattr(t, name, arr.ctypes.data)
            t.events = ctypes.cast(events, c_void_p)
            t.event_capacity = ev_cap
            t.event_size = ctypes.sizeof(_ffi.CSimEvent)
            out = c_void_p()
            self._runs += 1
            try:
                status = _lib.keel_sim_trace_path(self._ptr, path, byref(t), byref(out))
            finally:
                self._runs -= 1
            if status == _TOO_SMALL and (t.rows > rows or t.nevents > ev_cap):
                rows, ev_cap = max(rows, t.rows), max(ev_cap, t.nevents)
                continue
            check(status)
            break
        else:
            raise StateError("Simulation.trace: the path's size kept changing")
        stats = SimStats.__new__(SimStats)
        _Handle.__init__(stats, out)
        first = self._win[0] if self._rows is not None else 0
        stamps = self._stamps_of(first, rows)
        def stamp(step: int) -> Any:
            if stamps is None:
                return None
            v = stamps[step]
            return int(v) if isinstance(v, np.integer) else v
        evs = [event_from_c(events[k], self._market_symbols, stamp(events[k].step))
               for k in range(t.nevents)]
        s = stats.summary
        if s.policy_failures:
            warnings.warn(f"the policy failed on {s.policy_failures} turns of path {path}; the "
                          "path went on without its plan (Trace.events has them)",
                          PolicyFailureWarning, stacklevel=2)
        return Trace(path, self._market_symbols, arrays, evs, stats, stamps)

    def run(self, first: int = 0, count: int = 1000,
            progress: Union[None, bool, Callable[[float], Any]] = None) -> SimStats:
        """Runs paths [first, first + count) (keel_sim_run). `progress` is None or False
        (silent), True (a tqdm progress bar on stderr when tqdm -- Debian's python3-tqdm
        -- is installed, nothing otherwise), or a callable `progress(fraction)` called
        about 100 times a run, which may return True to stop: CancelledError then
        carries the finished paths' `.stats`. Warns keel.PolicyFailureWarning when the
        policy failed on some turns. `first` and `count` are ints in [0, 2^64) (ValueError
        otherwise, before C); OutOfRangeError from C for count 0 or a range past the
        replayed paths."""
        first, count = _int(first, "first", 0, U64_MAX), _int(count, "count", 0, U64_MAX)
        out = c_void_p()
        errors: List[BaseException] = []
        bar = None
        report: Optional[Callable[[float], Any]] = None
        if progress is True:
            bar = _tqdm_bar(count)
            if bar is not None:
                def tick(fraction: float, _bar: Any = bar, _total: int = count) -> bool:
                    _bar.update(round(fraction * _total) - _bar.n)
                    return False
                report = tick
        elif progress is None or progress is False:
            report = None
        elif callable(progress):
            report = progress
        else:
            raise TypeError("progress must be None, True, False or a callable(fraction)")

        def _cb(fraction: float, _user: Any) -> int:
            try:
                assert report is not None
                return 1 if report(fraction) else 0
            except BaseException as exc:  # stop the run, raise it afterwards
                errors.append(exc)
                return 1

        # PROGRESS_FN() is a NULL function pointer: no callback (typeshed wants an argument)
        cb = _ffi.PROGRESS_FN(_cb) if report is not None else \
            _ffi.PROGRESS_FN()  # type: ignore[call-overload]
        self._runs += 1
        try:
            status = _lib.keel_sim_run(self._ptr, first, count, cb, None, byref(out))
        finally:
            self._runs -= 1
            if bar is not None:
                bar.close()
        stats: Optional[SimStats] = None
        if out.value:
            stats = SimStats.__new__(SimStats)
            _Handle.__init__(stats, out)
        if errors:
            raise errors[0]
        try:
            check(status)
        except CancelledError as exc:
            setattr(exc, "stats", stats)
            raise
        assert stats is not None  # KEEL_OK gives statistics
        s = stats.summary
        if s.policy_failures:
            warnings.warn(
                f"the policy failed on {s.policy_failures} turns in {s.paths_with_policy_failures} "
                f"paths (first: path {s.first_policy_failure_path}); those paths went on without "
                "its plan", PolicyFailureWarning, stacklevel=2)
        return stats


__all__ = ["scan", "scan_top_k", "liquidations_at_risk", "stress", "Simulation", "SimStats",
           "SimSummary", "METRICS", "VOLATILITY_MODELS", "Trace", "SimEvent", "EventKind"]
