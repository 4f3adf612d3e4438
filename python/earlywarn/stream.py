"""The streaming engine: events in arrival order, a clock, alerts as they happen."""

from __future__ import annotations

import datetime
import decimal
import os
import warnings
from typing import Any, Iterable, List, NamedTuple, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core, _frames
from ._attributes import AttributesLike, attribute_table, attribute_text, household_id
from ._columns import Column, code_column, frame_columns, short_float_message
from ._dates import DateLike, optional_date, to_date, to_day
from ._progress import Progress, progress_callback
from .errors import (
    AttributeValueError,
    CheckpointError,
    LedgerError,
    ReloadError,
    RulesError,
    RulesWarning,
    StreamError,
)
from .rules import Ruleset

Amount = Union[None, int, float, str, decimal.Decimal]


class Alert(NamedTuple):
    """A rule started (``raised``) or stopped (``cleared``) holding for a household.

    :meth:`Stream.alerts_frame` makes a typed table of a list of them.
    """

    date: datetime.date
    household: str
    rule: str
    severity: str
    state: str
    message: str
    """The rule's message as of ``date``."""
    ruleset: str = ""
    """The name of the ruleset that raised or cleared it."""
    version: int = 0
    """That ruleset's version: after :meth:`Stream.reload`, the new rules'
    for the clears of removed rules and for everything after."""


class Stream:
    """Consume events in arrival order and raise and clear alerts (docs/language.md, Alerts).

    Days close in order: all events of a date are applied before that date is
    evaluated. An event dated before the clock (a payment posted late) is
    applied and its household re-evaluated as of the clock. Time-driven rules
    fire on their exact day when the clock passes it (:meth:`advance`).

    Parameters
    ----------
    rules : Ruleset
        The rules.
    lateness_days : int, default 92
        How far behind the clock, beyond the rules' longest window, an event
        may be dated; older history is folded into aggregates, and an event
        older than that raises :class:`StreamError`.

    Raises
    ------
    TypeError
        For rules that are not a :class:`Ruleset`.
    ValueError
        For a negative ``lateness_days``.

    Examples
    --------
    >>> stream = earlywarn.Stream(rules)
    >>> alerts = stream.push("HH1", "2024-01-01", "charge", 500)
    >>> alerts += stream.advance("2024-03-01")
    """

    def __init__(self, rules: Ruleset, *, lateness_days: int = 92) -> None:
        if not isinstance(rules, Ruleset):
            raise TypeError("Stream(rules) takes a Ruleset")
        if lateness_days < 0:
            raise ValueError("lateness_days must be 0 or more")
        self._rules = rules
        self._earlier_rules: List[str] = []  # of rulesets reloaded from
        self._core = _core.Stream(rules._core, int(lateness_days))

    @classmethod
    def load(
        cls, path: Union[str, "os.PathLike[str]"], rules: Ruleset, *, lateness_days: int = 92
    ) -> "Stream":
        """A stream restored from a checkpoint saved under the same rules.

        Parameters
        ----------
        path : str or os.PathLike
            The checkpoint file.
        rules : Ruleset
            The rules it was saved under (the same params too).
        lateness_days : int, default 92
            As for :class:`Stream`.

        Returns
        -------
        Stream
            The stream as it was saved.

        Raises
        ------
        CheckpointError
            For a missing, truncated, corrupted or foreign file, or one saved under
            other rules (or other params): restore it under
            :meth:`saved_rules` and :meth:`reload` the new rules into it.
        """
        where = os.fspath(path)
        core, error = _core.Stream.load(where, rules._core, int(lateness_days))
        if core is None:
            saved, _ = _core.Stream.saved_rules(where)
            if saved is not None and saved[0] != rules.fingerprint:
                error = f"{error}" + (
                    "; to carry the state over to these rules, restore it under the rules it "
                    "was saved under and reload: Stream.load(path, Stream.saved_rules(path))"
                    ".reload(rules)"
                )
            raise CheckpointError(f"{where}: {error}")
        stream = cls.__new__(cls)
        stream._rules = rules
        stream._earlier_rules = []
        stream._core = core
        return stream

    @staticmethod
    def saved_rules(path: Union[str, "os.PathLike[str]"]) -> Ruleset:
        """The rules a checkpoint was saved under, compiled again from the text
        and params it holds.

        Parameters
        ----------
        path : str or os.PathLike
            The checkpoint file.

        Returns
        -------
        Ruleset
            Rules with the saved rules' fingerprint: :meth:`load` restores the
            file under them.

        Raises
        ------
        CheckpointError
            For a file that is not a readable checkpoint, or whose rules no
            longer compile to the same fingerprint (another earlywarn's
            language): start a new state.

        Examples
        --------
        >>> stream = earlywarn.Stream.load(path, earlywarn.Stream.saved_rules(path))
        >>> alerts = stream.reload(new_rules)
        """
        where = os.fspath(path)
        saved, error = _core.Stream.saved_rules(where)
        if saved is None:
            raise CheckpointError(f"{where}: {error}")
        fingerprint, name, version, source, file_name, params = saved
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RulesWarning)
                rules = Ruleset.from_text(source, dict(params), name=file_name)
        except RulesError as e:
            raise CheckpointError(
                f"{where}: the rules it was saved under (ruleset {name!r} version {version}) "
                f"no longer compile: {e}"
            ) from None
        if rules.fingerprint != fingerprint:
            raise CheckpointError(
                f"{where}: the rules it was saved under (ruleset {name!r} version {version}) "
                "no longer compile the same; start a new state"
            )
        return rules

    def reload(self, rules: Ruleset) -> List[Alert]:
        """Move the running stream to other rules, keeping its state
        (docs/streams.md, Reloading rules).

        As of the clock D: the open day closes under the old rules; each open
        alert of a rule the new rules lack is cleared on D; then every
        household is evaluated as of D under the new rules, a kept rule
        keeping its alert, a changed or new rule raising only what is not
        already open. The alerts are those of a stream that ran the old rules
        up to D and the new ones after.

        Parameters
        ----------
        rules : Ruleset
            The new rules.

        Returns
        -------
        list of Alert
            The reload's alerts in order: those closing the day (old rules),
            the clears of removed rules' alerts, those of the new rules as
            of D. Each names the ruleset version that made it.

        Raises
        ------
        ReloadError
            When the kept state cannot serve a changed or new rule (it reads
            history folded away, an attribute value its declaration cannot
            read); ``refused`` says which, and nothing changed.
        TypeError
            For rules that are not a :class:`Ruleset`.

        Examples
        --------
        >>> alerts = stream.reload(rules.with_params(grace_days=20))
        """
        if not isinstance(rules, Ruleset):
            raise TypeError("reload(rules) takes a Ruleset")
        old = self._rules
        said, refused = self._core.reload(rules._core)
        if said is None:
            raise ReloadError(list(refused or []))
        closing, removed, opening = said
        self._rules = rules
        self._earlier_rules += old.rule_names
        return (
            self._alerts(closing, old)
            + self._alerts(removed, old, by=rules)
            + self._alerts(opening, rules)
        )

    def save(self, path: Union[str, "os.PathLike[str]"]) -> None:
        """Checkpoint the whole state atomically.

        A crash leaves the old file or the new one, whole.

        Parameters
        ----------
        path : str or os.PathLike
            The checkpoint file.

        Raises
        ------
        CheckpointError
            On failure, saying why.
        """
        error = self._core.save(os.fspath(path))
        if error is not None:
            raise CheckpointError(error)

    # -- events ----------------------------------------------------------------

    def push(
        self,
        household: str,
        date: DateLike,
        type: str,
        amount: Amount = None,
        code: Optional[str] = None,
    ) -> List[Alert]:
        """Apply one event and return the alerts of the days it closed.

        Parameters
        ----------
        household : str or int
            The household id (an integer reads as its digits).
        date : str or datetime.date or numpy.datetime64
            The event's date.
        type : str
            The event type.
        amount : int, float, str or Decimal, optional
            In currency units (``8532.5``, ``"8532.50"``, ``Decimal``); None where
            the type needs none. A numpy float32 is refused.
        code : str, optional
            The event's code (a court outcome, a letter's kind); None or empty for none.

        Returns
        -------
        list of Alert
            The alerts raised and cleared on the days the event closed.

        Raises
        ------
        LedgerError
            For an invalid event (nothing applied).
        StreamError
            For an event older than the kept history.
        TypeError
            For a value of the wrong kind, float32 amounts included.
        """
        columns = (
            _single_text(household, "household"),
            (np.array([to_day(date)], np.int64), None, "days"),
            _single_text(type, "type"),
            _single_amount(amount),
        )
        codes = None if code is None else _single_text(code, "code")
        return self._push(columns, codes, None, None)

    def push_frame(self, frame: pd.DataFrame, *, progress: Progress = False) -> List[Alert]:
        """Push a DataFrame's rows in row order, as arrival order.

        Every row is checked first: a bad row raises :class:`LedgerError` and
        pushes nothing.

        Parameters
        ----------
        frame : pandas.DataFrame
            ``household, date, type, amount`` and optionally ``code``, as
            :meth:`Ledger.from_frame` reads them.
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

        Returns
        -------
        list of Alert
            The alerts of the days the rows closed; :meth:`alerts_frame` makes a
            DataFrame of them.

        Raises
        ------
        LedgerError
            For a bad row (``.row``, ``.index``, ``.field``); nothing is pushed.
        StreamError
            For a row older than the kept history, or one that would take its
            household's total beyond a ledger's limit, after the rows before it,
            whose alerts it holds.
        TypeError
            For a column of the wrong kind (a float32 ``amount``).
        """
        with progress_callback(progress, "streaming", "rows") as report:
            return self._push(frame_columns(frame), code_column(frame), frame, report)

    def _push(
        self,
        columns: Tuple[Column, Column, Column, Column],
        codes: Optional[Column],
        frame: Any,
        report: Any,
    ) -> List[Alert]:
        raw, error, refused, refusal = self._core.push_columns(*columns, codes, report)
        if error is not None:
            row, field, message = error
            if frame is None:
                raise LedgerError(message, field=field)
            raise LedgerError(message, row=row, index=frame.index[row], field=field)
        alerts = self._alerts(raw)
        if refused is None:
            return alerts
        if refusal is None:  # older than the history the stream keeps
            if frame is None:
                household, day = columns[0][1][0], int(columns[1][0][0])  # type: ignore[index]
            else:
                household = str(frame["household"].iloc[refused])
                day = to_day(frame["date"].iloc[refused])
            refusal = (
                f"an event dated {to_date(day)} for household {household} is older than the "
                f"history the stream keeps (clock {self.clock}); feed rows in date order, or make "
                f"the stream with a larger lateness_days (now {self.lateness_days} days)"
            )
        raise StreamError(refusal, alerts, refused if frame is not None else None)

    # -- household attributes -------------------------------------------------

    def set_attribute(self, household: Union[str, int], name: str, value: Any) -> bool:
        """Set one household attribute.

        It holds from the clock's day on: a household with events is evaluated
        again as of the clock when the day closes (at the next push of a later
        date, :meth:`advance` or :meth:`finish`), as after a late event; one
        without events yet takes it with its first event. Set attributes before
        the first event to get the alerts :meth:`Ruleset.backtest` gives.
        Checkpoints keep the attributes.

        Parameters
        ----------
        household : str or int
            The household id.
        name : str
            The attribute's name.
        value : object
            Converted as :meth:`Ledger.with_attributes` converts values; None or NaN
            for no value.

        Returns
        -------
        bool
            False, changing nothing, for a name the rules do not declare.

        Raises
        ------
        AttributeValueError
            For a value the declared kind cannot read.
        LedgerError
            For a household id a ledger refuses.
        """
        if not isinstance(name, str):
            raise TypeError(f"an attribute's name is text, not {type(name).__name__}")
        household = household_id(household)
        text = attribute_text(value)
        try:
            return self._core.set_attribute(household, name, text)
        except AttributeValueError:
            raise
        except ValueError as e:  # a household id the stream refuses
            raise LedgerError(str(e), field="household") from None

    def set_attributes(self, attributes: AttributesLike) -> None:
        """Set every household's attributes that the rules declare, as ``earlywarn stream --attributes``.

        Columns the rules do not declare are left out. Values take effect as
        :meth:`set_attribute` says. Every value is checked first.

        Parameters
        ----------
        attributes : pandas.DataFrame or str or os.PathLike
            A DataFrame or an attributes CSV file, as :meth:`Ledger.with_attributes`
            reads them.

        Raises
        ------
        AttributeValueError
            For a value the declared kind cannot read; nothing is set.
        LedgerError
            For a malformed frame or file.
        """
        self._core.set_attributes(*attribute_table(attributes))

    def advance(self, date: DateLike) -> List[Alert]:
        """Move the clock to the end of a date, closing every day up to it.

        Parameters
        ----------
        date : str or datetime.date or numpy.datetime64
            The date; the clock never moves back.

        Returns
        -------
        list of Alert
            The alerts of time-driven rules on the days closed (a quiet night).
        """
        return self._alerts(self._core.advance(to_day(date)))

    def finish(self) -> List[Alert]:
        """Close the open day (the input ended).

        Returns
        -------
        list of Alert
            The alerts of that day.
        """
        return self._alerts(self._core.finish())

    # -- state -------------------------------------------------------------------

    @property
    def rules(self) -> Ruleset:
        return self._rules

    @property
    def lateness_days(self) -> int:
        return self._core.lateness_days

    @property
    def clock(self) -> Optional[datetime.date]:
        """The latest date advanced to or seen; None before the first event."""
        return optional_date(self._core.clock)

    @property
    def household_count(self) -> int:
        return self._core.household_count

    @property
    def event_count(self) -> int:
        return self._core.event_count

    @property
    def memory_bytes(self) -> int:
        """Bytes held by household state."""
        return self._core.memory_bytes

    def __repr__(self) -> str:
        return (
            f"<Stream {self._rules.name!r}: clock {self.clock}, "
            f"{self.household_count} households, {self.event_count} events>"
        )

    def alerts_frame(self, alerts: Iterable[Alert]) -> pd.DataFrame:
        """Alerts of this stream as a DataFrame with the columns and dtypes of
        :meth:`Ruleset.backtest`.

        Parameters
        ----------
        alerts : iterable of Alert
            Alerts as :meth:`push`, :meth:`push_frame`, :meth:`advance` and
            :meth:`finish` return them (or :attr:`StreamError.alerts`), in
            any number of lists joined in order.

        Returns
        -------
        pandas.DataFrame
            ``date`` (datetime64[ns]), ``household`` (categorical of the ids
            present), ``rule`` (categorical of the rules in file order),
            ``severity`` (ordered categorical), ``state`` (categorical
            ``raised``, ``cleared``, ``open``) and ``message`` (text), one
            row per alert in the order given.

        Raises
        ------
        ValueError
            For an alert naming a rule neither these rules nor the rules
            reloaded from have.

        Examples
        --------
        >>> stream = earlywarn.Stream(rules)
        >>> alerts = stream.push_frame(events) + stream.finish()
        >>> stream.alerts_frame(alerts).groupby("rule").size()
        """
        given = list(alerts)
        # The rules in file order, then those a reload removed.
        rule_names = [r["name"] for r in self._rules._core.rules]
        rule_names += list(dict.fromkeys(n for n in self._earlier_rules if n not in rule_names))
        return _frames.frame(
            {
                "date": _frames.date_values([a.date for a in given]),
                "household": _frames.households([a.household for a in given]),
                "rule": _frames.named([a.rule for a in given], rule_names),
                "severity": _frames.severities_named([a.severity for a in given]),
                "state": _frames.named([a.state for a in given], _frames.ALERT_STATES),
                "message": _frames.texts([a.message for a in given]),
            }
        )

    def _alerts(
        self,
        raw: List[_core.RawAlert],
        of: Optional[Ruleset] = None,
        by: Optional[Ruleset] = None,
    ) -> List[Alert]:
        """Alerts of rule indices of ``of`` (default: the stream's rules),
        made by ``by`` (default: ``of``)."""
        of = of or self._rules
        by = by or of
        rules = of._core.rules
        return [
            Alert(
                to_date(day),
                household,
                rules[rule]["name"],
                rules[rule]["severity"],
                "raised" if raised else "cleared",
                message,
                by.name,
                by.version,
            )
            for day, household, rule, raised, message in raw
        ]


def _single_text(value: Any, name: str) -> Column:
    if name == "household" and isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be text, not {type(value).__name__}")
    return np.zeros(1, np.int64), [value], "codes"


def _single_amount(amount: Amount) -> Column:
    if amount is None:
        return np.array([np.nan]), None, "float"
    if isinstance(amount, bool):
        raise TypeError("amount must be a number or decimal text, not a bool")
    if isinstance(amount, (int, np.integer)):
        return np.array([amount], np.int64), None, "integer"
    if isinstance(amount, np.floating) and amount.dtype.itemsize < 8:
        raise TypeError(short_float_message("amount", amount.dtype, [amount]))
    if isinstance(amount, (float, np.floating)):
        return np.array([amount], np.float64), None, "float"
    if isinstance(amount, decimal.Decimal):
        return np.zeros(1, np.int64), [format(amount, "f")], "codes"
    if isinstance(amount, str):
        return np.zeros(1, np.int64), [amount], "codes"
    raise TypeError(f"amount must be a number or decimal text, not {type(amount).__name__}")
