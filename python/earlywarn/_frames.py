"""The one convention every DataFrame of the package follows (docs/python.md, DataFrames).

Household ids, rule names, severities, event types and other names drawn
from a small vocabulary are ``category``; dates ``datetime64[ns]``; money
``float64`` in currency units; counts and days ``int64`` (``Int64`` where a
value may be missing: line and row numbers); yes/no ``bool``; free text
(messages, expressions) ``object`` holding ``str``. Every producer builds
its columns with these functions, so an empty frame has the same dtypes as
a full one.
"""

from __future__ import annotations

from typing import Any, Dict, Hashable, Iterable, Optional, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._dates import days_to_datetime64

SEVERITIES = ("info", "low", "medium", "high", "critical")
"""Severities from least to most urgent; DataFrames hold them as an ordered categorical."""

ALERT_STATES = ("raised", "cleared", "open")


def households(ids: Iterable[str]) -> pd.Categorical:
    """Household ids as a categorical of the ids present, in byte order.

    Python orders ``str`` by code point, which is the engine's byte order of
    their UTF-8, so the categories sort as :attr:`Ledger.households` does.
    """
    values = np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=object)
    codes, uniques = pd.factorize(values, sort=True)
    return pd.Categorical.from_codes(codes, categories=pd.Index(uniques, dtype=object))


def coded_households(codes: npt.ArrayLike, ids: Sequence[str], all_used: bool = False) -> pd.Categorical:
    """Household ids given as codes into a ledger's ids (byte order), keeping
    as categories only the ids present (all of them when ``all_used``)."""
    column = pd.Categorical.from_codes(np.asarray(codes), categories=pd.Index(ids, dtype=object))
    return column if all_used else column.remove_unused_categories()


def names(
    codes: npt.ArrayLike, categories: Sequence[str], ordered: bool = False
) -> pd.Categorical:
    """Codes into a fixed vocabulary (rule names in file order, event types,
    alert states) as a categorical; -1 is missing."""
    return pd.Categorical.from_codes(
        np.asarray(codes, dtype=np.int64), categories=pd.Index(list(categories), dtype=object),
        ordered=ordered,
    )


def named(values: Iterable[Optional[str]], categories: Optional[Sequence[str]] = None) -> pd.Categorical:
    """Names given as text as a categorical: of ``categories`` when given
    (every value must be one of them), else of the names present in order of
    first appearance."""
    values = list(values)
    if categories is None:
        categories = list(dict.fromkeys(v for v in values if v is not None))
    column = pd.Categorical(values, categories=pd.Index(list(categories), dtype=object))
    outside = [v for v, code in zip(values, column.codes) if code < 0 and v is not None]
    if outside:
        raise ValueError(f"{outside[0]!r} is not one of {', '.join(map(str, categories))}")
    return column


def severities(levels: npt.ArrayLike) -> pd.Categorical:
    """Severity levels (0 ``info`` … 4 ``critical``) as the ordered categorical."""
    return names(levels, SEVERITIES, ordered=True)


def severities_named(values: Iterable[str]) -> pd.Categorical:
    """Severity names as the ordered categorical."""
    return pd.Categorical(list(values), categories=list(SEVERITIES), ordered=True)


def dates(days: npt.ArrayLike) -> npt.NDArray[np.datetime64]:
    """Day numbers (days since 1970-01-01) as ``datetime64[ns]``."""
    return days_to_datetime64(np.asarray(days, dtype=np.int64))


def date_values(values: Iterable[Any]) -> npt.NDArray[np.datetime64]:
    """``datetime.date`` (or any date pandas reads) as ``datetime64[ns]``."""
    given = list(values)
    if not given:
        return np.zeros(0, "datetime64[ns]")
    return np.asarray(pd.to_datetime(given), dtype="datetime64[ns]")


def money(cents: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Integer hundredths as ``float64`` currency units (exact to the hundredth)."""
    return np.asarray(cents, dtype=np.int64) / 100


def counts(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Counts and days as ``int64``."""
    return np.asarray(values, dtype=np.int64)


def numbers(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Measures (scores, rates, means) as ``float64``; NaN for no value."""
    return np.asarray(values, dtype=np.float64)


def positions(values: Iterable[Optional[int]]) -> "pd.arrays.IntegerArray":
    """Line or row numbers, None where there is none, as nullable ``Int64``."""
    return pd.array(list(values), dtype="Int64")


def flags(values: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """Yes/no as ``bool``."""
    return np.asarray(values).astype(bool, copy=False)


def texts(values: Iterable[Any]) -> "pd.Series[Any]":
    """Free text (messages, expressions, reasons) as ``object`` holding ``str``."""
    return pd.Series(list(values) if not isinstance(values, list) else values, dtype=object)


def frame(columns: Dict[str, Any], index: Optional[Hashable] = None) -> pd.DataFrame:
    """A DataFrame of columns already made by the functions above (not
    copied again); ``index`` names a column to move to the index."""
    out = pd.DataFrame({k: _column(v) for k, v in columns.items()}, copy=False)
    return out.set_index(index) if index is not None else out


def _column(values: Any) -> Any:
    # A Series made elsewhere keeps its values but not its index.
    if isinstance(values, pd.Series):
        return values.reset_index(drop=True)
    return values
