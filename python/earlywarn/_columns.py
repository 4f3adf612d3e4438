"""DataFrame columns handed to the engine without copying numeric data.

Each column becomes ``(data, names, kind)``: numeric and datetime64 columns
are passed as numpy views of the frame's own memory; text columns as codes
into their distinct values (categorical codes as they are, anything else
through ``pandas.factorize``), so the engine checks each distinct text once.
The engine applies the CSV loader's checks and messages to every row.
"""

from __future__ import annotations

import datetime
import decimal
import numbers
from typing import Any, List, Optional, Tuple

import numpy as np
import numpy.typing as npt
import pandas as pd

Column = Tuple[npt.NDArray[Any], Optional[List[str]], str]

LEDGER_COLUMNS = ("household", "date", "type", "amount")
CODE_COLUMN = "code"


def frame_columns(frame: pd.DataFrame) -> Tuple[Column, Column, Column, Column]:
    """The four ledger columns of ``frame``; extra columns are ignored."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, not {type(frame).__name__}")
    missing = [c for c in LEDGER_COLUMNS if c not in frame.columns]
    if missing:
        raise KeyError(
            f"the DataFrame has no column {', '.join(map(repr, missing))}; a ledger needs "
            "the columns household, date, type, amount"
        )
    if len(frame) == 0:
        # An empty frame's columns have whatever dtype pandas guessed.
        none = np.zeros(0, np.int64)
        return (none, [], "codes"), (none, None, "days"), (none, [], "codes"), (none, None, "integer")
    return (
        _text_column(frame["household"], "household", allow_integers=True),
        _date_column(frame["date"]),
        _text_column(frame["type"], "type", allow_integers=False),
        _amount_column(frame["amount"]),
    )


def code_column(frame: pd.DataFrame) -> Optional[Column]:
    """The optional column of event codes (text; None, NaN or empty for no code), or None."""
    if CODE_COLUMN not in frame.columns or len(frame) == 0:
        return None
    return _text_column(frame[CODE_COLUMN], CODE_COLUMN, allow_integers=True)


def _codes_and_values(series: pd.Series) -> Tuple[npt.NDArray[Any], List[Any]]:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.cat.codes.to_numpy(), list(series.cat.categories)
    codes, uniques = pd.factorize(series.to_numpy())
    return codes, list(uniques)


def _text_column(series: pd.Series, name: str, allow_integers: bool) -> Column:
    codes, values = _codes_and_values(series)
    names = []
    for v in values:
        if isinstance(v, str):
            names.append(v)
        elif allow_integers and isinstance(v, numbers.Integral) and not isinstance(v, bool):
            names.append(str(v))  # numeric ids read as the CSV loader would read them
        else:
            what = "text or integers" if allow_integers else "text"
            raise TypeError(f"column '{name}' must hold {what}, found {v!r}")
    return codes, names, "codes"


def _date_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, np.datetime64):
        return str(v.astype("datetime64[D]"))
    return str(v)  # refused by the engine as a bad date, with its row


def _date_column(series: pd.Series) -> Column:
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        # The date on the local calendar, not in UTC.
        series = series.dt.tz_localize(None)
        dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "M":
        values = series.to_numpy()
        if values.dtype != np.dtype("datetime64[ns]"):
            values = values.astype("datetime64[ns]")
        return values.view(np.int64), None, "ns"
    if isinstance(dtype, pd.CategoricalDtype) or dtype == object or pd.api.types.is_string_dtype(
        dtype
    ):
        codes, values = _codes_and_values(series)
        return codes, [_date_text(v) for v in values], "codes"
    raise TypeError(
        f"column 'date' must hold datetime64 values or 'YYYY-MM-DD' text, not {dtype}"
    )


def _amount_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, decimal.Decimal):
        return format(v, "f")
    return str(v)


def _amount_column(series: pd.Series) -> Column:
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        raise TypeError("column 'amount' must hold numbers or decimal text, not booleans")
    if _is_short_float(dtype):
        raise TypeError(short_float_message("column 'amount'", dtype, series.dropna()))
    if isinstance(dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(
        dtype
    ):
        # Nullable Int64/Float64: missing values become NaN (one copy).
        series = series.astype("float64")
        dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return series.to_numpy(), None, "float"
    if isinstance(dtype, np.dtype) and dtype.kind in "iu":
        return series.to_numpy(), None, "integer"
    codes, values = _codes_and_values(series)
    if values and all(_is_number(v) for v in values):
        # Numbers in an object or categorical column: read them as floats.
        as_float = np.asarray(values, dtype=np.float64)
        return np.where(codes >= 0, as_float[np.maximum(codes, 0)], np.nan), None, "float"
    return codes, [_amount_text(v) for v in values], "codes"


def _is_short_float(dtype: Any) -> bool:
    numpy_dtype = getattr(dtype, "numpy_dtype", dtype)  # nullable Float32 too
    return isinstance(numpy_dtype, np.dtype) and numpy_dtype.kind == "f" and numpy_dtype.itemsize < 8


def short_float_message(what: str, dtype: Any, values: Any) -> str:
    """Why amounts in a float narrower than float64 are refused, and what to do."""
    example = ""
    for v in np.asarray(values, dtype=np.float64)[:1000]:
        held = float(v)
        shown = str(np.format_float_positional(np.float32(v), trim="-"))
        if repr(held) != shown:
            example = f" ({shown} is held as {held!r})"
            break
    return (
        f"{what} is {dtype}, which cannot hold amounts in hundredths exactly{example}, nor tell "
        "neighbouring hundredths apart above 131072. Pass the amounts as float64 read from "
        "the source (pandas.read_csv(..., dtype={'amount': 'float64'})), as decimal text or as "
        "Decimal; converting this column with .astype('float64') keeps the error"
    )


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, (bool, decimal.Decimal))
