"""Household attributes as the engine reads them: text, one row per household.

The engine keeps each attribute as the text an attributes CSV holds and
gives it the kind the rules declare when a ruleset meets it
(docs/language.md, Household attributes). Python values become that text
here: None, NaN, ``pd.NA``, NaT and ``""`` no value; bools ``true`` or
``false``; integers their digits; floats their shortest decimal (``95.5``,
``2``); datetime64, ``Timestamp`` and ``datetime.date`` their date
``YYYY-MM-DD``; ``str`` as it is and ``Decimal`` in positional notation.
"""

from __future__ import annotations

import datetime
import decimal
import numbers
import os
from typing import Any, Collection, Dict, List, NamedTuple, Union

import numpy as np
import pandas as pd

from . import _core
from .errors import LedgerError

AttributesLike = Union[pd.DataFrame, str, "os.PathLike[str]"]
"""Household attributes: a DataFrame with a column (or an index) ``household``
and one column per attribute, or the path of an attributes CSV file."""

HOUSEHOLD = "household"
# The longest household id, in bytes (docs/limits.md).
_MAX_ID_BYTES = 64


class AttributeTable(NamedTuple):
    """Attributes as the engine takes them: row ``i`` of every column belongs
    to household ``households[i]``; ``""`` is no value."""

    households: List[str]
    names: List[str]
    columns: List[List[str]]

    def restricted_to(self, households: Collection[str]) -> "AttributeTable":
        """The rows of these households only, the names all kept."""
        keep = [i for i, h in enumerate(self.households) if h in households]
        return AttributeTable(
            [self.households[i] for i in keep],
            list(self.names),
            [[column[i] for i in keep] for column in self.columns],
        )


def attribute_table(attributes: AttributesLike) -> AttributeTable:
    """The table of a DataFrame or of an attributes CSV file.

    Raises :class:`LedgerError` for a malformed file (with its line and
    column) or frame (a household given twice, an empty or over-long id,
    with the row), and TypeError for a value that is no kind of attribute.
    """
    if isinstance(attributes, pd.DataFrame):
        return _frame_table(attributes)
    if isinstance(attributes, (str, os.PathLike)):
        return _file_table(os.fspath(attributes))
    raise TypeError(
        "attributes are a pandas DataFrame (a column 'household' and one column per "
        f"attribute) or the path of an attributes CSV file, not {type(attributes).__name__}"
    )


def attribute_text(value: Any) -> str:
    """The text the engine reads for one value (``""``: no value); TypeError
    for a value that is no kind of attribute."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, decimal.Decimal):
        return "" if value.is_nan() else format(value, "f")
    if isinstance(value, (float, np.floating)):
        if value != value:  # NaN
            return ""
        return str(np.format_float_positional(value, trim="-"))
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else str(value.astype("datetime64[D]"))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(
        "an attribute value is text, a number, a bool or a date (None or NaN for no "
        f"value), not {type(value).__name__}: {value!r}"
    )


def household_id(value: Any) -> str:
    """A household id given as text or as an integer (its digits)."""
    if isinstance(value, str):
        return value
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return str(int(value))
    raise TypeError(f"a household id is text or an integer, not {type(value).__name__}: {value!r}")


def id_problem(household: str) -> Union[str, None]:
    """What is wrong with a household id, as the ledger loader words it, or None."""
    if not household:
        return "household id is empty"
    try:
        size = len(household.encode("utf-8"))
    except UnicodeEncodeError:
        return "household id is not valid UTF-8 text (bad encoding or control characters)"
    if size > _MAX_ID_BYTES:
        return "household id is longer than 64 bytes"
    return None


def _file_table(path: str) -> AttributeTable:
    table, error = _core.read_attributes_csv(path)
    if table is None:
        assert error is not None
        line, column, message = error
        raise LedgerError(message, file=path, line=line, column=column)
    households, names, columns, _lines = table
    return AttributeTable(households, names, columns)


def _frame_table(frame: pd.DataFrame) -> AttributeTable:
    duplicated = frame.columns[frame.columns.duplicated()]
    if len(duplicated):
        raise LedgerError(
            f"the attributes DataFrame has two columns {duplicated[0]!r}: one column per "
            "attribute",
            field=str(duplicated[0]),
        )
    if HOUSEHOLD in frame.columns:
        ids: Any = frame[HOUSEHOLD].to_numpy(dtype=object)
        names = [c for c in frame.columns if c != HOUSEHOLD]
    elif frame.index.name == HOUSEHOLD:
        ids = frame.index.to_numpy(dtype=object)
        names = list(frame.columns)
    else:
        raise KeyError(
            "the attributes DataFrame has no column 'household' (nor an index of that name); "
            "it needs one, and one column per attribute"
        )
    for name in names:
        if not isinstance(name, str) or not name:
            raise TypeError(f"an attribute's name is non-empty text, not {name!r}: rename the column")
    households = _household_ids(ids, frame.index)
    columns = [_column_texts(frame[name], name, frame.index) for name in names]
    return AttributeTable(households, names, columns)


def _household_ids(values: Any, index: pd.Index) -> List[str]:
    out: List[str] = []
    first: Dict[str, int] = {}
    for row, value in enumerate(values):
        if value is None or value is pd.NA or (isinstance(value, float) and value != value):
            raise LedgerError("household id is missing", row=row, index=index[row], field=HOUSEHOLD)
        try:
            household = household_id(value)
        except TypeError as e:
            raise TypeError(f"row {row} (index {index[row]!r}), column 'household': {e}") from None
        problem = id_problem(household)
        if problem is not None:
            raise LedgerError(problem, row=row, index=index[row], field=HOUSEHOLD)
        seen = first.setdefault(household, row)
        if seen != row:
            raise LedgerError(
                f"household {household!r} is given twice (first at row {seen}, index "
                f"{index[seen]!r}): one row per household",
                row=row,
                index=index[row],
                field=HOUSEHOLD,
            )
        out.append(household)
    return out


def _column_texts(series: "pd.Series[Any]", name: str, index: pd.Index) -> List[str]:
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        # The date on the local calendar, not in UTC.
        series = series.dt.tz_localize(None)
        dtype = series.dtype
    if isinstance(dtype, np.dtype):
        values = series.to_numpy()
        if dtype.kind == "b":
            return np.where(values, "true", "false").tolist()  # type: ignore[no-any-return]
        if dtype.kind in "iu":
            return values.astype(str).tolist()  # type: ignore[no-any-return]
        if dtype.kind == "M":
            days = values.astype("datetime64[D]")
            texts = days.astype(str).astype(object)
            texts[np.isnat(days)] = ""
            return texts.tolist()  # type: ignore[no-any-return]
        if dtype.kind == "f":
            # Each distinct number once; NaN (code -1) is no value.
            codes, uniques = pd.factorize(values)
            shown = [str(np.format_float_positional(u, trim="-")) for u in uniques]
            return np.array(shown + [""], dtype=object)[codes].tolist()  # type: ignore[no-any-return]
    # Text, objects, categoricals and nullable columns: value by value.
    out: List[str] = []
    for row, value in enumerate(series.to_numpy(dtype=object)):
        try:
            out.append(attribute_text(value))
        except TypeError as e:
            raise TypeError(f"row {row} (index {index[row]!r}), column {name!r}: {e}") from None
    return out
