"""Ledgers: loading from CSV or a DataFrame, and back to a DataFrame."""

from __future__ import annotations

import datetime
import os
import warnings
from typing import TYPE_CHECKING, Iterable, List, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._columns import frame_columns
from ._dates import DateLike, day_or_default, days_to_datetime64, optional_date, to_date
from ._progress import Progress, progress_callback
from .errors import LedgerError, LedgerWarning

if TYPE_CHECKING:
    from .rules import Ruleset

PathLike = Union[str, "os.PathLike[str]"]


class Ledger:
    """An immutable ledger: events grouped by household, in date order.

    Money is exact inside (integer hundredths). Make one with
    :meth:`from_csv` or :meth:`from_frame`.
    """

    def __init__(self, core: _core.Ledger, rejects: Optional[pd.DataFrame] = None) -> None:
        self._core = core
        self.rejects: Optional[pd.DataFrame] = rejects
        """Rows skipped when loaded with ``rejects``: ``line, column, reason, row``."""

    # -- loading -----------------------------------------------------------

    @classmethod
    def from_csv(
        cls,
        path: PathLike,
        rejects: Union[None, bool, PathLike] = None,
        *,
        threads: int = 0,
        progress: Progress = False,
    ) -> "Ledger":
        """Loads a ledger CSV (``household,date,type,amount``; SPEC §1).

        By default the first bad row raises :class:`LedgerError` with the
        file, line and column, as the CLI reports it. With ``rejects=True``
        bad rows are skipped and kept in :attr:`rejects`; with a path they
        are also written there as ``earlywarn run --rejects`` writes them.
        Either way a :class:`LedgerWarning` tells how many were skipped.
        The file is parsed in chunks on ``threads`` threads (0: every core);
        the ledger, errors and rejects are the same for any number.
        """
        if threads < 0:
            raise ValueError("threads must be 0 (every core) or more")
        path = os.fspath(path)
        keep = rejects is not None and rejects is not False
        with progress_callback(progress, f"loading {os.path.basename(path)}", bytes_=True) as cb:
            core, error, rejected, accepted = _core.load_csv(path, keep, threads, cb)
        if core is None:
            assert error is not None
            line, column, message, row = error
            raise LedgerError(
                message, file=path, line=line, column=column, text=_text(row)
            )
        table = None
        if keep:
            table = pd.DataFrame(
                [(line, column, message, _text(row)) for line, column, message, row in rejected],
                columns=["line", "column", "reason", "row"],
            )
            where = ""
            if rejects is not True:
                _write_rejects(os.fspath(rejects), rejected)  # type: ignore[arg-type]
                where = f" (written to {os.fspath(rejects)})"  # type: ignore[arg-type]
            if rejected:
                warnings.warn(
                    f"{len(rejected)} bad row{'' if len(rejected) == 1 else 's'} rejected"
                    f"{where}, {accepted} rows loaded",
                    LedgerWarning,
                    stacklevel=2,
                )
        return cls(core, table)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, progress: Progress = False) -> "Ledger":
        """Builds a ledger from a DataFrame with columns ``household, date,
        type, amount`` (extra columns are ignored; rows in any order).

        - ``household``, ``type``: text (categorical or not); household ids
          may also be integers.
        - ``date``: datetime64 (the date part counts; time zones give the
          local date) or ``YYYY-MM-DD`` text or ``datetime.date`` objects.
        - ``amount``: floats or integers in currency units (``8532.5``), or
          decimal text / ``Decimal``; at most two decimal places; missing
          (NaN, None, empty) only where the CSV allows an empty amount.

        Numeric and datetime64 columns are read in place, not copied. Each
        row gets the CSV loader's checks; the first bad row raises
        :class:`LedgerError` with its position, index label and column.
        """
        columns = frame_columns(frame)
        with progress_callback(progress, "building the ledger", "rows") as report:
            core, error = _core.ledger_from_columns(*columns, report)
        if core is None:
            assert error is not None
            row, field, message = error
            raise LedgerError(message, row=row, index=frame.index[row], field=field)
        return cls(core)

    def to_frame(self) -> pd.DataFrame:
        """The events as a DataFrame ``household, date, type, amount``, grouped
        by household (ids in byte order) and by date within each.

        ``household`` and ``type`` are categoricals, ``date`` is
        datetime64[ns], ``amount`` is float64 in currency units (exact to the
        hundredth: ``from_frame(to_frame())`` gives the same ledger).
        """
        c = self._core.columns()
        return pd.DataFrame(
            {
                "household": pd.Categorical.from_codes(c["household_codes"], c["households"]),
                "date": days_to_datetime64(c["days"]),
                "type": pd.Categorical.from_codes(c["type_codes"], c["types"]),
                "amount": c["cents"] / 100,
            },
            copy=False,  # the columns are new arrays: no need to copy them again
        )

    # -- what it holds -------------------------------------------------------

    @property
    def household_count(self) -> int:
        return self._core.household_count

    @property
    def event_count(self) -> int:
        return self._core.event_count

    def __len__(self) -> int:
        """The number of events."""
        return self._core.event_count

    @property
    def households(self) -> List[str]:
        """Household ids in byte order."""
        return self._core.households

    @property
    def types(self) -> List[str]:
        """Event type names seen (the built-in types always)."""
        return self._core.types

    @property
    def first_date(self) -> Optional[datetime.date]:
        return optional_date(self._core.first_date)

    @property
    def last_date(self) -> Optional[datetime.date]:
        return optional_date(self._core.last_date)

    @property
    def memory_bytes(self) -> int:
        """Bytes held by the columns and ids."""
        return self._core.memory_bytes

    def __contains__(self, household: object) -> bool:
        return isinstance(household, str) and self._core.has_household(household)

    def subset(self, households: Iterable[str]) -> "Ledger":
        """A ledger of these households only (KeyError for an unknown id)."""
        ids = [households] if isinstance(households, str) else list(households)
        return Ledger(self._core.subset(ids))

    def household(self, household: str) -> pd.DataFrame:
        """One household's events (``date, type, amount``) in date order."""
        frame = self.subset([household]).to_frame()
        return frame.drop(columns="household")

    def signals(
        self,
        as_of: Optional[DateLike] = None,
        *,
        rules: Optional["Ruleset"] = None,
        threads: int = 0,
        progress: Progress = False,
    ) -> pd.DataFrame:
        """Built-in signals of every household existing as of a date (default:
        the last date), ordered by id, as ``earlywarn signals``: ``household,
        balance, arrears, arrears_days, tenure_days, plan_active,
        plan_breached``. Money in currency units. With ``rules``, the custom
        types they declare count towards the balance."""
        day = day_or_default(as_of, self._core.last_date, "as_of")
        with progress_callback(progress, "computing signals", "households") as report:
            c = _core.signals(
                self._core, day, None if rules is None else rules._core, threads, report
            )
        frame = pd.DataFrame(
            {
                "household": pd.Series(c["household"], dtype=object),
                "balance": c["balance_cents"] / 100,
                "arrears": c["arrears_cents"] / 100,
                "arrears_days": c["arrears_days"],
                "tenure_days": c["tenure_days"],
                "plan_active": c["plan_active"].view(np.bool_),
                "plan_breached": c["plan_breached"].view(np.bool_),
            },
            copy=False,
        )
        frame.attrs["as_of"] = to_date(day)
        return frame

    def __repr__(self) -> str:
        span = ""
        if self.event_count:
            span = f", {self.first_date} .. {self.last_date}"
        return f"<Ledger: {self.household_count} households, {self.event_count} events{span}>"


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _csv_field(field: bytes) -> bytes:
    if not any(c in field for c in b',"\r\n'):
        return field
    return b'"' + field.replace(b'"', b'""') + b'"'


def _write_rejects(path: str, rejected: List[Tuple[int, int, str, bytes]]) -> None:
    # Byte for byte what the CLI writes, the raw rows included.
    lines = [b"line,column,reason,row\n"]
    for line, column, message, row in rejected:
        lines.append(
            b"%d,%d,%s,%s\n" % (line, column, _csv_field(message.encode()), _csv_field(row))
        )
    with open(path, "wb") as f:
        f.writelines(lines)
