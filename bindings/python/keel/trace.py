"""The trajectory of one path of a backtest and its event log (keel_sim_trace_path,
include/keel/sim.h): numpy arrays per row, events as dataclasses, and pandas DataFrames.
Made by keel.Simulation.trace()."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import Enum
from typing import Any, Dict, List, Optional

from . import _ffi
from ._records import Record
from .plan import _ACTIONS


class EventKind(str, Enum):
    """What happened at a step (keel_sim_event_kind). A str: compares equal to its value."""

    LIQUIDATION = "liquidation"        #: the liquidator seized collateral
    REBALANCE = "rebalance"            #: one action of the policy's plan was applied
    POLICY_FAILURE = "policy_failure"  #: the policy returned an error; no plan that turn

    def __str__(self) -> str:
        return self.value


_KINDS = {1: EventKind.LIQUIDATION, 2: EventKind.REBALANCE, 3: EventKind.POLICY_FAILURE}


@dataclass(frozen=True)
class SimEvent(Record):
    """One event of a traced path (keel_sim_event, include/keel/sim.h).

    `step` is 1-based: the trace's row the event belongs to; `time` that row's time stamp
    (as the replay gave it: a pandas Timestamp, np.datetime64 or int seconds), None without
    stamps. Assets are symbols, None where the action has none (C's KEEL_ASSET_INVALID).

    A liquidation is one event whatever it touched: `asset` is the collateral that lost the
    most value (`quantity` units seized), `debt_asset` the debt most repaid (`repaid`
    units), `to_asset` / `received` a collateral it credited (Compound v3's absorb), and
    `value_seized` (collateral taken, at the prices it was taken at), `value_repaid` (debt
    cleared plus collateral credited) and `bonus_lost` (taken beyond cleared) sum over
    every asset, in the numeraire. A rebalance is one event per action of the plan, as the
    plan holds it (`action` its kind, e.g. "sell_to_repay", `cost` its trading cost). A
    policy failure has `status` (the C status the policy returned; `status_name` names it)
    and `action` None. `health_before` / `health_after`: HF just before and after (a plan's
    last action: the plan's result)."""

    step: int
    kind: EventKind
    status: int
    action: Optional[str]
    asset: Optional[str]
    quantity: float
    debt_asset: Optional[str]
    repaid: float
    cost: float
    to_asset: Optional[str]
    received: float
    borrowed: float
    value_seized: float
    value_repaid: float
    bonus_lost: float
    health_before: float
    health_after: float
    time: Any = None

    @property
    def status_name(self) -> str:
        """The C name of `status` ("KEEL_OK" but for a policy failure)."""
        return str(_ffi.lib.keel_status_str(self.status).decode())


def _symbol(symbols: List[str], asset: int) -> Optional[str]:
    if asset == _ffi.KEEL_ASSET_INVALID:
        return None
    return symbols[asset] if asset < len(symbols) else str(asset)


def event_from_c(e: "_ffi.CSimEvent", symbols: List[str], time: Any) -> SimEvent:
    """A SimEvent from C's keel_sim_event."""
    kind = _KINDS.get(e.kind)
    if kind is None:  # a kind this binding does not know (a newer library)
        raise ValueError(f"unknown event kind {e.kind} (a newer libkeel?)")
    a = e.action
    failed = kind is EventKind.POLICY_FAILURE
    return SimEvent(
        step=e.step, kind=kind, status=e.status,
        action=None if failed else _ACTIONS.get(a.type, str(a.type)),
        asset=_symbol(symbols, a.asset), quantity=a.quantity,
        debt_asset=_symbol(symbols, a.debt_asset), repaid=a.repaid, cost=a.cost,
        to_asset=_symbol(symbols, a.to_asset), received=a.received, borrowed=a.borrowed,
        value_seized=e.value_seized, value_repaid=e.value_repaid, bonus_lost=e.bonus_lost,
        health_before=e.health_before, health_after=e.health_after, time=time)


class Trace:
    """One path's trajectory and events (keel_sim_trace, include/keel/sim.h).

    Row r is the state at the end of step r (after the liquidator and the policy); row 0
    is the start, so a path of `steps` steps has steps + 1 rows. Arrays (numpy, float64):

    - `time` [rows]: years since the run's start row (time stamps: seconds / 31,536,000;
      without them, r x dt);
    - `prices` [rows, nassets]: each row's close, in the market's asset order (`symbols`);
    - `volatility` [rows, nassets]: the market's annual volatilities at each row (they move
      with an EWMA or GARCH model, Simulation.set_volatility);
    - `health`: HF at the end of the row's step; `health_low`: HF after the move, before any
      action, at the candle's adverse extreme when the replay has lows / highs (row 0: the
      start HF);
    - `collateral_value`, `debt_value`, `equity` (C - D + option value): numeraire.

    `events` lists the SimEvent of the path in order; `stats` is the path's SimStats (the
    same record keel_sim_run gives it, bit for bit); `stamps` the rows' time stamps (a
    pandas or numpy index) or None; `path` the path index."""

    def __init__(self, path: int, symbols: List[str], arrays: Dict[str, Any],
                 events: List[SimEvent],
                 stats: Any, stamps: Any) -> None:
        self.path = path
        self.symbols = list(symbols)
        self.time = arrays["time"]
        self.prices = arrays["prices"]
        self.volatility = arrays["volatility"]
        self.health = arrays["health"]
        self.health_low = arrays["health_low"]
        self.collateral_value = arrays["collateral_value"]
        self.debt_value = arrays["debt_value"]
        self.equity = arrays["equity"]
        self.events = events
        self.stats = stats
        self.stamps = stamps

    @property
    def rows(self) -> int:
        """Rows of the trace: steps + 1."""
        return len(self.time)

    @property
    def liquidations(self) -> List[SimEvent]:
        """The liquidation events."""
        return [e for e in self.events if e.kind is EventKind.LIQUIDATION]

    def _index(self) -> Any:
        import pandas as pd
        if self.stamps is None:
            return pd.RangeIndex(self.rows, name="step")
        from ._replay import stamps_index
        return stamps_index(self.stamps, 0, self.rows)

    def to_frame(self, volatility: bool = True) -> Any:
        """A pandas DataFrame, one row per trace row, indexed by the replay's time stamps
        when it had them (a DatetimeIndex for datetimes, int seconds for integer stamps),
        else by step (0 .. steps). Columns: `time` (years), one price column per asset
        symbol, `<symbol> volatility` per asset (with volatility=True), then health,
        health_low, collateral_value, debt_value and equity."""
        import pandas as pd
        data = {"time": self.time}
        for j, s in enumerate(self.symbols):
            data[s] = self.prices[:, j]
        if volatility:
            for j, s in enumerate(self.symbols):
                data[f"{s} volatility"] = self.volatility[:, j]
        for name in ("health", "health_low", "collateral_value", "debt_value", "equity"):
            data[name] = getattr(self, name)
        return pd.DataFrame(data, index=self._index())

    def events_frame(self) -> Any:
        """The events as a pandas DataFrame, one row per event, the SimEvent fields as
        columns (kind as its string value), in order."""
        import pandas as pd
        cols = [f.name for f in fields(SimEvent)]
        rows = []
        for e in self.events:
            d = asdict(e)
            d["kind"] = e.kind.value
            rows.append(d)
        return pd.DataFrame(rows, columns=cols)

    def __repr__(self) -> str:
        kinds = {k: sum(e.kind is k for e in self.events) for k in EventKind}
        body = ", ".join(f"{n} {k.value}" for k, n in kinds.items() if n)
        return f"<keel.Trace path {self.path}: {self.rows} rows; {body or 'no events'}>"


__all__ = ["EventKind", "SimEvent", "Trace"]
