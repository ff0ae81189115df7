"""to_dict() / to_frame() for keel's result records (dataclasses), and lists of them."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from enum import Enum
from typing import Any, Dict, Generic, Iterable, List, TypeVar


def pandas() -> Any:
    """The pandas module, imported on first use: keel does not need it otherwise."""
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("to_frame() needs pandas (Debian: apt-get install python3-pandas); "
                          "to_dict() gives the same data without it") from None
    return pd


def _plain(value: Any) -> Any:
    """A value as to_dict gives it: enums as their str value, Assets as their
    symbol, other ints as ints, nested records as dicts."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return value
    symbol = getattr(value, "symbol", None)
    if isinstance(value, int) and isinstance(symbol, str):
        return symbol
    if isinstance(value, int):
        return int(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    return value


class Record:
    """Mixin of the frozen result dataclasses: to_dict() and to_frame()."""

    def to_dict(self) -> Dict[str, Any]:
        """The fields as a dict (enums as their string, Assets as their symbol)."""
        assert is_dataclass(self)
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}

    def to_frame(self) -> Any:
        """A one-row pandas DataFrame, one column per field (pandas imported
        lazily; ImportError naming the package when it is missing)."""
        pd = pandas()
        return pd.DataFrame([self.to_dict()])


R = TypeVar("R", bound=Record)


class Records(List[R], Generic[R]):
    """A list of records (e.g. the metrics after each stress shock) with
    to_dict() (one list per field) and to_frame() (one row per record)."""

    def __init__(self, items: Iterable[R] = (), columns: Iterable[str] = ()) -> None:
        super().__init__(items)
        self._columns = list(columns)

    def to_dict(self) -> Dict[str, List[Any]]:
        """{field: [value of each record]}, in order."""
        rows = [r.to_dict() for r in self]
        names = list(rows[0]) if rows else list(self._columns)
        return {n: [row[n] for row in rows] for n in names}

    def to_frame(self) -> Any:
        """A pandas DataFrame, one row per record, one column per field."""
        pd = pandas()
        return pd.DataFrame(self.to_dict())
