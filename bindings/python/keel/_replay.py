"""Input conversion for historical replays (keel_sim_set_replay, include/keel/sim.h):
prices and time stamps from numpy arrays, pandas objects and datetimes, checked here so
that C only ever reads arrays of the sizes it is told and never an integer that wrapped.
Private: Simulation.set_replay, set_window and from_prices use it."""

from __future__ import annotations

import datetime as _dt
import operator
from typing import Any, Optional, Sequence, Tuple

INT64_MIN, INT64_MAX = -2**63, 2**63 - 1

# seconds per tick of the datetime64 units coarser than a second (months and years go
# through days first: numpy converts them exactly), and ticks per second of the finer ones
_COARSE = {"W": 604800, "D": 86400, "h": 3600, "m": 60, "s": 1}
_FINE = {"ms": 10**3, "us": 10**6, "ns": 10**9, "ps": 10**12, "fs": 10**15, "as": 10**18}


def np_() -> Any:
    import numpy as np
    return np


def pandas_or_none() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pandas is optional: without it, nothing is a DataFrame
        return None
    return pd


def is_frame(x: Any) -> bool:
    pd = pandas_or_none()
    return pd is not None and isinstance(x, pd.DataFrame)


def is_series(x: Any) -> bool:
    pd = pandas_or_none()
    return pd is not None and isinstance(x, pd.Series)


def float_array(name: str, x: Any) -> Any:
    """`x` (array-like, DataFrame or Series) as a C-contiguous float64 array of its own
    shape. Integers and floats only: bools, strings, objects are a TypeError (numpy would
    turn "1.5" or True into a number silently). NaN passes (C names it, with its row)."""
    np = np_()
    if is_frame(x) or is_series(x):
        pd = pandas_or_none()
        cols = [x] if is_series(x) else [x[c] for c in x.columns]
        for c in cols:
            if not pd.api.types.is_numeric_dtype(c.dtype) or pd.api.types.is_bool_dtype(c.dtype):
                raise TypeError(f"{name} must hold numbers, got a column of {c.dtype}")
        return np.ascontiguousarray(x.to_numpy(dtype=np.float64, na_value=np.nan))
    a = np.asarray(x)
    if a.dtype.kind not in "fiu":
        raise TypeError(f"{name} must hold numbers (float or int), got {a.dtype}")
    return np.ascontiguousarray(a, dtype=np.float64)


def as_3d(name: str, a: Any) -> Any:
    """A (paths, rows, assets) view of `a`: 1-D is one path of one asset, 2-D one path
    (rows x assets), 3-D as is."""
    if a.ndim == 1:
        return a.reshape(1, a.shape[0], 1)
    if a.ndim == 2:
        return a.reshape(1, a.shape[0], a.shape[1])
    if a.ndim == 3:
        return a
    raise ValueError(f"{name} must be 1-D (rows), 2-D (rows x assets) or 3-D "
                     f"(paths x rows x assets), got shape {a.shape}")


# ---- time stamps -------------------------------------------------------------------------

def _check_int64(values: Sequence[int], name: str) -> None:
    for i, v in enumerate(values):
        if not INT64_MIN <= v <= INT64_MAX:
            raise OverflowError(f"{name}[{i}] = {v} s does not fit a 64-bit time stamp")


def _datetime64_seconds(a: Any, name: str) -> Any:
    """A datetime64 array as int64 seconds, exactly: NaT and fractions of a second are a
    ValueError, values past int64 an OverflowError (never wrapped)."""
    np = np_()
    if np.isnat(a).any():
        raise ValueError(f"{name} holds NaT at row {int(np.argmax(np.isnat(a)))}")
    unit, count = np.datetime_data(a.dtype)
    if unit in ("Y", "M"):  # calendar units: numpy converts them to days exactly
        a = a.astype("datetime64[D]")
        unit, count = "D", 1
    ticks = [int(v) * count for v in a.view(np.int64)]
    if unit in _COARSE:
        out = [t * _COARSE[unit] for t in ticks]
    elif unit in _FINE:
        per = _FINE[unit]
        bad = [i for i, t in enumerate(ticks) if t % per]
        if bad:
            raise ValueError(f"{name}[{bad[0]}] is not a whole number of seconds (time stamps "
                             "are seconds; round them first)")
        out = [t // per for t in ticks]
    else:  # "generic" or unknown units
        raise TypeError(f"{name} has datetime64 unit {unit!r}, which is not a time")
    _check_int64(out, name)
    return np.array(out, dtype=np.int64)


def seconds(x: Any, name: str = "time") -> Any:
    """(stamps, datetimes): time stamps as a 1-D int64 numpy array of seconds, and whether
    they were given as datetimes (else as integer seconds of any origin). Accepts integers,
    numpy datetime64 (any unit), pandas DatetimeIndex / Series / Timestamps (tz-aware ones
    converted to UTC), datetime.datetime objects (naive ones read as UTC), datetime.date
    objects or ISO strings. Floats, bools, NaT and fractions of a second are refused;
    integers past int64 are an OverflowError (never wrapped)."""
    np = np_()
    pd = pandas_or_none()
    if pd is not None and isinstance(x, (pd.Series, pd.Index)):
        if isinstance(x, pd.Series):
            x = pd.Index(x)
        if isinstance(x, pd.DatetimeIndex):
            if x.tz is not None:
                x = x.tz_convert("UTC").tz_localize(None)
            return _datetime64_seconds(np.asarray(x.to_numpy(dtype="datetime64[ns]")), name), True
        x = x.to_numpy()
    if isinstance(x, np.ndarray):
        a = x
    else:
        items = list(x)
        if items and all(isinstance(v, _dt.datetime) for v in items):
            items = [(v.astimezone(_dt.timezone.utc).replace(tzinfo=None) if v.tzinfo else v)
                     for v in items]
            a = np.array(items, dtype="datetime64[us]")
        elif items and all(isinstance(v, _dt.date) and not isinstance(v, _dt.datetime)
                           for v in items):
            a = np.array(items, dtype="datetime64[D]")
        elif all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in items):
            a = np.empty(len(items), dtype=object)  # Python ints, checked one by one below
            a[:] = items
        else:
            a = np.array(items)
    if a.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one stamp per row), got shape {a.shape}")
    kind = a.dtype.kind
    if kind == "M":
        return _datetime64_seconds(a, name), True
    if kind in "US":
        try:
            return _datetime64_seconds(a.astype("datetime64[s]"), name), True
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    if kind == "i":
        return np.ascontiguousarray(a, dtype=np.int64), False
    if kind == "u":
        if a.size and int(a.max()) > INT64_MAX:
            bad = int(np.argmax(a > INT64_MAX))
            raise OverflowError(f"{name}[{bad}] = {int(a[bad])} s does not fit a 64-bit time stamp")
        return np.ascontiguousarray(a, dtype=np.int64), False
    if kind == "O":
        out = []
        for i, v in enumerate(a):
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
                raise TypeError(f"{name}[{i}] must be an integer number of seconds or a "
                                f"datetime, got {type(v).__name__}")
            out.append(int(v))
        _check_int64(out, name)
        return np.array(out, dtype=np.int64), False
    raise TypeError(f"{name} must hold integer seconds or datetimes, got {a.dtype} (floats "
                    "are refused: convert them explicitly)")


def one_second(x: Any, name: str) -> int:
    """One time stamp (a datetime, np.datetime64, pandas Timestamp or ISO string) as int
    seconds. Integers are not accepted here: in set_window an int is a row index."""
    np = np_()
    pd = pandas_or_none()
    if pd is not None and isinstance(x, pd.Timestamp):
        if x.tz is not None:
            x = x.tz_convert("UTC").tz_localize(None)
        x = x.to_datetime64()
    if isinstance(x, _dt.datetime):
        arr, _ = seconds([x], name)
    elif isinstance(x, _dt.date):
        arr, _ = seconds(np.array([x], dtype="datetime64[D]"), name)
    elif isinstance(x, (np.datetime64, str)):
        arr, _ = seconds(np.array([x]), name)
    else:
        raise TypeError(f"{name} must be a row index (int) or a time stamp (datetime, "
                        f"np.datetime64, pandas Timestamp, ISO string), got {type(x).__name__}")
    return int(arr[0])


def stamps_index(stamps: Any, first: int, count: int) -> Any:
    """The pandas index of rows [first, first + count) of a replay's stamps: the caller's
    DatetimeIndex sliced, a DatetimeIndex of datetime64 stamps, or int seconds."""
    pd = pandas_or_none()
    part = stamps[first:first + count]
    if isinstance(part, pd.Index):
        return part
    np = np_()
    if part.dtype.kind == "M":
        return pd.DatetimeIndex(part, name="time")
    return pd.Index(np.asarray(part), name="time")


def scalar_asset(x: Any) -> bool:
    """Whether `x` names one asset (an id or a symbol) rather than a list of them."""
    if isinstance(x, str):
        return True
    try:
        operator.index(x)
    except TypeError:
        return False
    return True


def ohlc_columns(frame: Any, symbol: str) -> Tuple[Any, Optional[Any], Optional[Any]]:
    """(close, low, high) Series of one symbol's candle frame, by column name (case-
    insensitive: close, low, high; open and volume are ignored). Close is required."""
    cols = {str(c).lower(): c for c in frame.columns}
    if "close" not in cols:
        raise ValueError(f"the frame of {symbol!r} has no 'close' column (columns: "
                         f"{list(frame.columns)})")
    pick = [frame[cols[k]] if k in cols else None for k in ("close", "low", "high")]
    return pick[0], pick[1], pick[2]


def same_index(a: Any, b: Any) -> bool:
    return len(a) == len(b) and bool((a == b).all())
