"""Dates between Python and the engine, which counts days since 1970-01-01."""

from __future__ import annotations

import datetime
from typing import Any, Optional, Union

import numpy as np
import numpy.typing as npt

from . import _core

DateLike = Union[str, datetime.date, np.datetime64]
"""A date: ``"2024-06-30"``, ``datetime.date``, ``datetime.datetime`` or
``pandas.Timestamp`` (the date part), or ``numpy.datetime64``."""

_EPOCH = datetime.date(1970, 1, 1).toordinal()
_NS_PER_DAY = 86_400_000_000_000
# pandas 1.x holds dates as datetime64[ns]: these are the days it can show.
_FIRST_NS_DAY = -106_751
_LAST_NS_DAY = 106_750


def to_day(value: DateLike, what: str = "date") -> int:
    """The day number of a date-like value; ValueError or TypeError otherwise."""
    if isinstance(value, str):
        day = _core.parse_date(value)
        if day is None:
            raise ValueError(f"{what} must be a real date written YYYY-MM-DD, not {value!r}")
        return day
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise ValueError(f"{what} is missing (NaT)")
        return int(value.astype("datetime64[D]").astype(np.int64))
    if isinstance(value, datetime.datetime):
        if value != value:  # pandas.NaT is a datetime that is not equal to itself
            raise ValueError(f"{what} is missing (NaT)")
        value = value.date()
    if isinstance(value, datetime.date):
        return value.toordinal() - _EPOCH
    raise TypeError(
        f"{what} must be a date (str 'YYYY-MM-DD', datetime.date, pandas.Timestamp or "
        f"numpy.datetime64), not {type(value).__name__}"
    )


def to_date(day: int) -> datetime.date:
    """The date of a day number."""
    return datetime.date.fromordinal(day + _EPOCH)


def optional_date(day: Optional[int]) -> Optional[datetime.date]:
    """The date of a day number, or None for no day."""
    return None if day is None else to_date(day)


def day_or_default(value: Optional[DateLike], default: Optional[int], what: str) -> int:
    """``value`` as a day number, or ``default`` (an empty ledger has none)."""
    if value is not None:
        return to_day(value, what)
    if default is None:
        raise ValueError(f"the ledger is empty; give {what}")
    return default


def days_to_datetime64(days: npt.NDArray[Any]) -> npt.NDArray[np.datetime64]:
    """Day numbers as a datetime64[ns] array, as pandas 1.x holds dates."""
    days = np.asarray(days)
    if days.size and (days.min() < _FIRST_NS_DAY or days.max() > _LAST_NS_DAY):
        raise ValueError(
            "the ledger has dates outside 1677-09-22 .. 2262-04-11, which pandas cannot hold"
        )
    return (days.astype(np.int64) * _NS_PER_DAY).view("datetime64[ns]")
