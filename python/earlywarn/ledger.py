"""Ledgers: loading from CSV or a DataFrame, and back to a DataFrame."""

from __future__ import annotations

import datetime
import os
import warnings
from typing import TYPE_CHECKING, Any, Iterable, List, Optional, Set, Tuple, Union

import pandas as pd

from . import _core, _frames
from ._attributes import AttributesLike, attribute_table
from ._columns import code_column, frame_columns
from ._dates import DateLike, day_or_default, optional_date, to_date
from ._progress import Progress, progress_callback
from ._signed import Reasons, SignedCsv, signed_columns
from .errors import LedgerError, LedgerWarning, UnknownEventTypeWarning

if TYPE_CHECKING:
    from .rules import Ruleset

PathLike = Union[str, "os.PathLike[str]"]

_UNKNOWN_TYPES = ("warn", "error", "ignore")
# At most this many unknown types are named in one warning or error.
_SHOWN = 20


class Ledger:
    """An immutable ledger: events grouped by household, in date order.

    Money is exact inside (integer hundredths). Make one with
    :meth:`from_csv` or :meth:`from_frame`.
    """

    def __init__(
        self,
        core: _core.Ledger,
        rejects: Optional[pd.DataFrame] = None,
        *,
        file: Optional[str] = None,
        index: Any = None,
        type_first: Optional[List[int]] = None,
    ) -> None:
        self._core = core
        self.rejects: Optional[pd.DataFrame] = rejects
        """Rows skipped when loaded with ``rejects``: ``line, column, reason, row``."""
        # Where each type (by id) first occurs: a CSV line of `file`, or a
        # row position of a frame with `index`; to point at a misspelt type.
        self._file = file
        self._index = index
        self._type_first: List[int] = type_first or []
        self._types_checked: Set[str] = set()

    # -- loading -----------------------------------------------------------

    @classmethod
    def from_csv(
        cls,
        path: PathLike,
        rejects: Union[None, bool, PathLike] = None,
        *,
        threads: int = 0,
        progress: Progress = False,
        rules: Optional["Ruleset"] = None,
        unknown_types: str = "warn",
        max_rejects: Union[None, int, str] = None,
        attributes: Optional[AttributesLike] = None,
        signed_amounts: bool = False,
    ) -> "Ledger":
        """Load a ledger CSV file.

        The file holds ``household,date,type,amount``; a further column ``code``
        holds event codes, other columns are ignored. By default the first bad row
        raises :class:`LedgerError` with the file, line and column, as the CLI
        reports it. The file is parsed in chunks on ``threads`` threads; the
        ledger, errors and rejects are the same for any number.

        Parameters
        ----------
        path : str or os.PathLike
            The ledger CSV file.
        rejects : bool or str or os.PathLike, optional
            ``True``: skip bad rows and keep them in :attr:`rejects`; a path: also
            write them there as ``earlywarn run --rejects`` writes them. A
            :class:`LedgerWarning` tells how many were skipped.
        threads : int, default 0
            Threads that parse the file (0: every core).
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``
            with bytes.
        rules : Ruleset, optional
            Check the event types against these rules, as :meth:`check_types` does.
        unknown_types : {"warn", "error", "ignore"}, default "warn"
            What an event type neither the built-in types nor ``rules`` know gives.
        max_rejects : int or str, optional
            With ``rejects``, the most rows that may be rejected: a count or a
            percentage of the data rows as text (``"1%"``, the default).
        attributes : pandas.DataFrame or str or os.PathLike, optional
            The households' attributes, as :meth:`with_attributes` takes them.
        signed_amounts : bool, default False
            Read amounts signed as accounting exports write them: payments and
            credits negative (``-120.00`` is a payment of 120.00), every other
            type 0 or more (docs/python.md, Amounts).

        Returns
        -------
        Ledger
            The events of the rows read.

        Raises
        ------
        LedgerError
            For the first bad row (or, with ``rejects``, more rejected rows than
            ``max_rejects`` allows), a file that is not a ledger or cannot be read,
            a sign that contradicts the type under ``signed_amounts``, or an unknown
            event type with ``unknown_types="error"``.
        ValueError
            For ``threads`` below 0, a bad ``unknown_types`` or ``max_rejects``, or
            ``max_rejects`` without ``rejects``.

        Examples
        --------
        >>> ledger = earlywarn.Ledger.from_csv("examples/sample-ledger.csv")
        >>> ledger = earlywarn.Ledger.from_csv("export.csv", signed_amounts=True, rejects=True)
        """
        if threads < 0:
            raise ValueError("threads must be 0 (every core) or more")
        _check_policy(unknown_types)
        path = os.fspath(path)
        keep = rejects is not None and rejects is not False
        if max_rejects is not None and not keep:
            raise ValueError("max_rejects needs rejects (without it the first bad row raises)")
        limit = _rejects_limit("1%" if max_rejects is None else max_rejects)
        table = None if attributes is None else attribute_table(attributes)
        signed = _signed_csv(path) if signed_amounts else None
        with progress_callback(progress, f"loading {os.path.basename(path)}", bytes_=True) as cb:
            if signed is None:
                loaded = _core.load_csv(path, keep, threads, cb)
            else:
                loaded = _core.load_csv(path, keep, threads, cb, signed.text)
        core, error, rejected, accepted, type_first = loaded
        if signed is not None:
            error = None if error is None else _signed_error(signed, error)
            rejected = [_signed_error(signed, r) for r in rejected]
        if core is None:
            assert error is not None
            line, column, message, row = error
            raise LedgerError(
                message, file=path, line=line, column=column, text=_text(row)
            )
        rejected_rows = None
        if keep:
            rejected_rows = _frames.frame(
                {
                    "line": _frames.positions([r[0] or None for r in rejected]),
                    "column": _frames.positions([r[1] or None for r in rejected]),
                    "reason": _frames.texts([r[2] for r in rejected]),
                    "row": _frames.texts([_text(r[3]) for r in rejected]),
                }
            )
            where = ""
            if rejects is not True:
                _write_rejects(os.fspath(rejects), rejected)  # type: ignore[arg-type]
                where = f" (written to {os.fspath(rejects)})"  # type: ignore[arg-type]
            rows = len(rejected) + accepted
            if limit.exceeded(len(rejected), rows):
                raise LedgerError(
                    f"{len(rejected)} of {rows} data rows rejected, more than max_rejects "
                    f"{limit.text} allows{where}",
                    file=path,
                )
            if rejected:
                warnings.warn(
                    f"{path}: {len(rejected)} bad row{'' if len(rejected) == 1 else 's'} rejected"
                    f"{where}, {accepted} rows loaded",
                    LedgerWarning,
                    stacklevel=2,
                )
        if table is not None:
            core.set_attributes(*table)
        ledger = cls(core, rejected_rows, file=path, type_first=type_first)
        if rules is not None:
            ledger._check_types(rules, unknown_types, stacklevel=3)
        return ledger

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        *,
        progress: Progress = False,
        rules: Optional["Ruleset"] = None,
        unknown_types: str = "warn",
        attributes: Optional[AttributesLike] = None,
        signed_amounts: bool = False,
    ) -> "Ledger":
        """Build a ledger from a DataFrame.

        Rows may come in any order. Numeric and datetime64 columns are read in
        place, not copied; text columns once per distinct value. Each row gets the
        CSV loader's checks; the first bad row raises :class:`LedgerError` with its
        position, index label and column.

        Parameters
        ----------
        frame : pandas.DataFrame
            Columns ``household, date, type, amount`` and optionally ``code``
            (other columns are ignored):

            - ``household``, ``type``: text (categorical or not); household ids may
              also be integers.
            - ``date``: datetime64 (the date part counts; time zones give the local
              date), ``YYYY-MM-DD`` text or ``datetime.date`` objects.
            - ``amount``: float64 or integers in currency units (``8532.5``), or
              decimal text / ``Decimal``; at most two decimal places; missing (NaN,
              None, empty) only where the CSV allows an empty amount. float32 is
              refused (docs/python.md, Amounts).
            - ``code``: the event's code as text (categorical or not; integers read
              as their digits); missing (None, NaN, ``pd.NA``) or empty for none.
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.
        rules : Ruleset, optional
            Check the event types against these rules, as :meth:`check_types` does.
        unknown_types : {"warn", "error", "ignore"}, default "warn"
            What an event type neither the built-in types nor ``rules`` know gives.
        attributes : pandas.DataFrame or str or os.PathLike, optional
            The households' attributes, as :meth:`with_attributes` takes them.
        signed_amounts : bool, default False
            Payments and credits are given negative, every other type 0 or more
            (docs/python.md, Amounts).

        Returns
        -------
        Ledger
            The frame's events.

        Raises
        ------
        LedgerError
            For the first bad row (``.row``, ``.index``, ``.field``), including a
            sign that contradicts the type under ``signed_amounts``.
        TypeError
            For a column of the wrong kind: a float32 ``amount`` (with what to pass
            instead), booleans, a date column of numbers.
        KeyError
            For a missing ledger column.

        Examples
        --------
        >>> frame = pd.DataFrame({"household": ["A", "A"], "date": ["2024-01-01", "2024-01-05"],
        ...                       "type": ["charge", "payment"], "amount": [500.0, -500.0]})
        >>> earlywarn.Ledger.from_frame(frame, signed_amounts=True)
        <Ledger: 1 households, 2 events, 2024-01-01 .. 2024-01-05>
        """
        _check_policy(unknown_types)
        table = None if attributes is None else attribute_table(attributes)
        columns = frame_columns(frame)
        code = code_column(frame)
        why: Optional[Reasons] = None
        if signed_amounts:
            amount, why = signed_columns(columns[2], columns[3])
            columns = (columns[0], columns[1], columns[2], amount)
        with progress_callback(progress, "building the ledger", "rows") as report:
            core, error, type_first = _core.ledger_from_columns(*columns, code, report)
        if core is None:
            assert error is not None
            row, field, message = error
            if why is not None and field == "amount":
                message = why(row) or message
            raise LedgerError(message, row=row, index=frame.index[row], field=field)
        if table is not None:
            core.set_attributes(*table)
        ledger = cls(core, index=frame.index, type_first=type_first)
        if rules is not None:
            ledger._check_types(rules, unknown_types, stacklevel=3)
        return ledger

    def to_frame(self) -> pd.DataFrame:
        """The events as a DataFrame.

        Returns
        -------
        pandas.DataFrame
            ``household, date, type, amount``, grouped by household (ids in byte
            order) and by date within each: ``household`` and ``type``
            categoricals, ``date`` datetime64[ns], ``amount`` float64 in currency
            units, exact to the hundredth (``from_frame(to_frame())`` gives the same
            ledger). A ledger in which some event has a code gets a fifth column,
            ``code``: a categorical of the :attr:`codes`, missing (NaN) for the
            events without one.

        Examples
        --------
        >>> ledger.to_frame().groupby("type").amount.sum()
        """
        c = self._core.columns()
        columns = {
            "household": _frames.coded_households(c["household_codes"], c["households"], True),
            "date": _frames.dates(c["days"]),
            "type": _frames.names(c["type_codes"], c["types"]),
            "amount": _frames.money(c["cents"]),
        }
        if "codes" in c:
            columns["code"] = _frames.names(c["code_codes"], c["codes"])
        return _frames.frame(columns)

    # -- household attributes ------------------------------------------------

    def with_attributes(self, attributes: AttributesLike) -> "Ledger":
        """A new ledger of the same events with these household attributes.

        They replace any this ledger has (docs/language.md, Household
        attributes); this ledger is not changed. Values are read as text by the
        kind the rules declare: None, NaN, ``pd.NA``, NaT and ``""`` are no value;
        bools ``true``/``false``; integers their digits; floats their shortest
        decimal (``95.5``, ``2``); datetime64, ``Timestamp`` and ``datetime.date``
        their date; ``str`` and ``Decimal`` as written. Households the ledger does
        not hold are kept but never read. The events are copied: to give a large
        ledger attributes, pass ``attributes=`` to :meth:`from_csv` or
        :meth:`from_frame` instead.

        Parameters
        ----------
        attributes : pandas.DataFrame or str or os.PathLike
            A DataFrame with a column ``household`` (or an index of that name) and
            one column per attribute, one row per household; or the path of an
            attributes CSV file (``household,NAME,…``).

        Returns
        -------
        Ledger
            The events with these attributes.

        Raises
        ------
        LedgerError
            For a malformed file (file, line and column) or a household given twice
            (its row, index label and column).
        TypeError
            For a value that is no kind of attribute (a list, a timedelta).

        Examples
        --------
        >>> households = pd.DataFrame({"household": ["HH0000001"], "weekly_rent": [95.5]})
        >>> ledger.with_attributes(households).attributes
        """
        table = attribute_table(attributes)
        core = self._core.copy()
        core.set_attributes(*table)
        return Ledger(
            core, self.rejects, file=self._file, index=self._index, type_first=self._type_first
        )

    @property
    def attributes(self) -> Optional[pd.DataFrame]:
        """The household attributes: a DataFrame ``household`` and one column
        of text per attribute (in the order first given; None for no value),
        one row per household as given; None when the ledger has none.
        ``Ledger.from_frame(ledger.to_frame(), attributes=ledger.attributes)``
        is the same ledger."""
        raw = self._core.attributes()
        if raw is None:
            return None
        households, names, columns = raw
        frame = pd.DataFrame(
            {
                i: c
                for i, c in enumerate(
                    [_frames.households(households), *map(_frames.texts, columns)]
                )
            }
        )
        frame.columns = pd.Index(["household", *names], dtype=object)
        return frame

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
    def codes(self) -> List[str]:
        """Event codes seen, in order of first appearance (empty without codes)."""
        return self._core.codes

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
        """A ledger of some households only, with their attributes.

        Parameters
        ----------
        households : str or iterable of str
            Household ids.

        Returns
        -------
        Ledger
            Their events.

        Raises
        ------
        KeyError
            For an id the ledger does not hold.
        """
        ids = [households] if isinstance(households, str) else list(households)
        return Ledger(self._core.subset(ids))

    def household(self, household: str) -> pd.DataFrame:
        """One household's events in date order.

        Parameters
        ----------
        household : str
            The household id.

        Returns
        -------
        pandas.DataFrame
            ``date, type, amount``, and ``code`` when the household has an event
            with one, with the dtypes of :meth:`to_frame`.

        Raises
        ------
        KeyError
            For an id the ledger does not hold.
        """
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
        """Built-in signals of every household, as ``earlywarn signals`` gives them.

        Event types unknown to the built-in types and ``rules`` are warned about
        (:meth:`check_types`).

        Parameters
        ----------
        as_of : str or datetime.date or numpy.datetime64, optional
            The date (default: the latest recorded date: the last date, or with
            ``rules`` the latest event of a type they do not declare scheduled).
        rules : Ruleset, optional
            The custom types these rules declare count towards the balance.
        threads : int, default 0
            Threads (0: every core); the result is the same for any number.
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

        Returns
        -------
        pandas.DataFrame
            A row per household existing as of the date, ordered by id:
            ``household, balance, arrears, arrears_days, tenure_days, plan_active,
            plan_breached``; money in currency units. ``attrs["as_of"]`` is the date.

        Raises
        ------
        ValueError
            For an empty ledger without ``as_of``, or a malformed date.

        Examples
        --------
        >>> ledger.signals("2024-06-30").sort_values("arrears", ascending=False).head()
        """
        self._check_types_once(rules)
        latest = (
            self._core.last_date
            if rules is None
            else _core.latest_recorded_date(self._core, rules._core)
        )
        day = day_or_default(as_of, latest, "as_of")
        with progress_callback(progress, "computing signals", "households") as report:
            c = _core.signals(
                self._core, day, None if rules is None else rules._core, threads, report
            )
        frame = _frames.frame(
            {
                "household": _frames.households(c["household"]),
                "balance": _frames.money(c["balance_cents"]),
                "arrears": _frames.money(c["arrears_cents"]),
                "arrears_days": _frames.counts(c["arrears_days"]),
                "tenure_days": _frames.counts(c["tenure_days"]),
                "plan_active": _frames.flags(c["plan_active"]),
                "plan_breached": _frames.flags(c["plan_breached"]),
            }
        )
        frame.attrs["as_of"] = to_date(day)
        return frame

    # -- event types nothing knows ------------------------------------------

    def unknown_types(self, rules: Optional["Ruleset"] = None) -> pd.DataFrame:
        """The event types that neither the built-in types nor the rules declare or read.

        Parameters
        ----------
        rules : Ruleset, optional
            The rules (None: the built-in types only).

        Returns
        -------
        pandas.DataFrame
            In order of first appearance: ``type``, ``events`` (how many),
            ``suggestion`` (the known name it is likely a typo of, ``paymnet``:
            ``payment``, or empty), ``line`` (the first CSV line naming it, from
            :meth:`from_csv`), ``row`` (the first frame row position, from
            :meth:`from_frame`) and ``message`` as the CLI words it.
        """
        found = _core.unknown_event_types(self._core, None if rules is None else rules._core)
        rows = []
        for type_id, name, events, suggestion, message in found:
            first = self._type_first[type_id] if type_id < len(self._type_first) else None
            first = first if first is not None and first >= 0 else None
            line = first if self._file is not None and first else None
            row = first if self._index is not None else None
            rows.append((name, events, suggestion, line, row, message))
        return _frames.frame(
            {
                "type": _frames.named([r[0] for r in rows]),
                "events": _frames.counts([r[1] for r in rows]),
                "suggestion": _frames.texts([r[2] for r in rows]),
                "line": _frames.positions([r[3] for r in rows]),
                "row": _frames.positions([r[4] for r in rows]),
                "message": _frames.texts([r[5] for r in rows]),
            }
        )

    def check_types(self, rules: Optional["Ruleset"] = None, *, unknown_types: str = "warn") -> None:
        """Report the event types :meth:`unknown_types` finds.

        A type that is meant (``letter``) is declared in the rules (``event letter
        neutral``) or read by them (``count(letter)``). ``Ruleset.evaluate``,
        ``explain``, ``signals`` and ``backtest`` warn this way once per ruleset.

        Parameters
        ----------
        rules : Ruleset, optional
            The rules (None: the built-in types only).
        unknown_types : {"warn", "error", "ignore"}, default "warn"
            ``"warn"``: one :class:`UnknownEventTypeWarning` naming each (with its
            first line or row and a "did you mean"); ``"error"``: raise;
            ``"ignore"``: say nothing.

        Raises
        ------
        LedgerError
            With ``"error"``, located at the first unknown type.
        ValueError
            For another ``unknown_types``.
        """
        _check_policy(unknown_types)
        self._check_types(rules, unknown_types, stacklevel=3)

    def _check_types(self, rules: Optional["Ruleset"], policy: str, stacklevel: int) -> None:
        self._types_checked.add("" if rules is None else rules.fingerprint)
        self._check_attribute_columns(rules, stacklevel + 1)
        if policy == "ignore":
            return
        found = self.unknown_types(rules)
        if found.empty:
            return
        where = []
        for line, row in zip(found["line"], found["row"]):
            if line is not pd.NA:
                where.append(f"{self._file}:{line}: ")
            elif row is not pd.NA:
                where.append(f"row {row} (index {self._index[row]!r}): ")
            else:
                where.append("")
        lines = [w + m for w, m in zip(where[:_SHOWN], found["message"][:_SHOWN])]
        if len(found) > _SHOWN:
            lines.append(f"{len(found) - _SHOWN} more unknown event types not shown")
        if policy == "error":
            first_line = found["line"][0]
            first_row = found["row"][0]
            more = f" (and {len(found) - 1} more unknown event types)" if len(found) > 1 else ""
            raise LedgerError(
                str(found["message"][0]) + more,
                file=self._file,
                line=None if first_line is pd.NA else int(first_line),
                row=None if first_row is pd.NA else int(first_row),
                index=None if first_row is pd.NA else self._index[int(first_row)],
                field=None if first_row is pd.NA else "type",
            )
        warnings.warn("\n".join(lines), UnknownEventTypeWarning, stacklevel=stacklevel)

    def _check_attribute_columns(self, rules: Optional["Ruleset"], stacklevel: int) -> None:
        # As the CLI warns for an --attributes file: a declared attribute the
        # given attributes have no column for has no value for anyone.
        names = self._core.attribute_names
        if rules is None or names is None:
            return
        missing = [name for name in rules.attributes if name not in names]
        if missing:
            warnings.warn(
                "the ledger's attributes have no column "
                f"{', '.join(map(repr, missing))}, which the rules declare: every household "
                f"has no value for {'it' if len(missing) == 1 else 'them'}",
                LedgerWarning,
                stacklevel=stacklevel,
            )

    def _check_types_once(self, rules: Optional["Ruleset"]) -> None:
        # Evaluating again with the same rules repeats nothing.
        if ("" if rules is None else rules.fingerprint) not in self._types_checked:
            self._check_types(rules, "warn", stacklevel=4)

    def __repr__(self) -> str:
        span = ""
        if self.event_count:
            span = f", {self.first_date} .. {self.last_date}"
        return f"<Ledger: {self.household_count} households, {self.event_count} events{span}>"


def _check_policy(unknown_types: str) -> None:
    if unknown_types not in _UNKNOWN_TYPES:
        raise ValueError(f"unknown_types is 'warn', 'error' or 'ignore', not {unknown_types!r}")


class _RejectsLimit:
    """The most rejected rows ``max_rejects`` allows: a count, or ``"N%"`` of the data rows."""

    def __init__(self, text: str, count: int, hundredths_of_percent: Optional[int]) -> None:
        self.text = text
        self.count = count
        self.percent = hundredths_of_percent

    def exceeded(self, rejected: int, rows: int) -> bool:
        if self.percent is None:
            return rejected > self.count
        return rejected * 10000 > self.percent * rows


def _rejects_limit(value: Union[int, str]) -> _RejectsLimit:
    bad = ValueError(
        "max_rejects is a number of rows (like 10) or a percentage of the data rows from "
        f"'0%' to '100%' (like '1%' or '0.5%'), not {value!r}"
    )
    if isinstance(value, bool):
        raise bad
    if isinstance(value, int):
        if value < 0:
            raise bad
        return _RejectsLimit(str(value), value, None)
    if not isinstance(value, str) or not value.endswith("%"):
        raise bad
    whole, _, fraction = value[:-1].partition(".")
    if not whole.isdigit() or not whole.isascii() or len(fraction) > 2 or (
        fraction and not (fraction.isdigit() and fraction.isascii())
    ) or ("." in value and not fraction):
        raise bad
    hundredths = int(whole) * 100 + int((fraction + "00")[:2])
    if hundredths > 10000:
        raise bad
    return _RejectsLimit(value, 0, hundredths)


def _signed_csv(path: str) -> Optional[SignedCsv]:
    try:
        with open(path, "rb") as f:
            return SignedCsv(f.read())
    except OSError:
        return None  # the loader says why it cannot read the file, as without the option


def _signed_error(
    signed: SignedCsv, error: Tuple[int, int, str, bytes]
) -> Tuple[int, int, str, bytes]:
    line, column, message, row = error
    message, row = signed.fix(line, message, row)
    return line, column, message, row


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
