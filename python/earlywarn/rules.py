"""Rulesets: loading, params, and everything evaluated with them."""

from __future__ import annotations

import os
import warnings
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

import numpy as np
import pandas as pd

from . import _core, _frames
from ._frames import SEVERITIES as SEVERITIES
from ._dates import DateLike, day_or_default, to_date
from ._progress import Progress, progress_callback
from .errors import Diagnostic, RulesError, RulesWarning
from .explain import Explanation
from .ledger import Ledger
from .scenarios import ScenarioReport
from .summaries import BacktestSummary, outcome_frame


ParamValue = Union[int, float, str]


class Rule(NamedTuple):
    """A rule of a ruleset, as written."""

    name: str
    severity: str
    when: str
    score: Optional[str]
    message: str
    cooldown: Optional[str]
    tags: List[str]
    line: int
    decision: Optional[str] = None
    """The decision the rule belongs to, if any."""
    raise_after: Optional[str] = None
    """How long the rule must hold before its alert is raised, if said."""
    clear_after: Optional[str] = None
    """How long the rule must not hold before its alert clears, if said."""


class Decision(NamedTuple):
    """A decision: rules of which, under the ``first`` and ``priority`` hit
    policies, at most one fires per household."""

    policy: str
    """``first``, ``priority`` or ``collect``."""
    rules: List[str]
    """Its rules in precedence order (under ``priority`` by severity, highest first)."""


class Ruleset:
    """A compiled, immutable ruleset.

    Make one with :func:`earlywarn.load_rules`, :meth:`from_file` or
    :meth:`from_text`; :meth:`with_params` makes a copy with other params.
    """

    def __init__(
        self, core: _core.Ruleset, overrides: Dict[str, str], diagnostics: List[Diagnostic]
    ) -> None:
        self._core = core
        self._overrides = dict(overrides)
        self.warnings: List[Diagnostic] = [d for d in diagnostics if d.level == "warning"]
        """Warnings found while compiling (also issued as :class:`RulesWarning`)."""

    # -- making rulesets ---------------------------------------------------

    @classmethod
    def from_file(
        cls, path: Union[str, "os.PathLike[str]"], params: Optional[Mapping[str, ParamValue]] = None
    ) -> "Ruleset":
        """Read and compile a rules file.

        Parameters
        ----------
        path : str or os.PathLike
            The rules file.
        params : mapping of str to int, float or str, optional
            Values overriding the file's ``param`` values (``{"grace_days": 20}``).

        Returns
        -------
        Ruleset
            The compiled rules; warnings are issued as :class:`RulesWarning`.

        Raises
        ------
        FileNotFoundError
            For a path that does not exist.
        RulesError
            For rules that do not compile, with every diagnostic.
        TypeError
            For a param value that is not a number or a duration text.
        """
        path = os.fspath(path)
        # A directory or a pipe exists: the library refuses it with a RulesError saying why.
        if not os.path.exists(path):
            raise FileNotFoundError(f"no rules file {path!r}")
        overrides = _overrides(params)
        return cls._made(_core.load_rules(path, list(overrides.items())), overrides)

    @classmethod
    def from_text(
        cls,
        text: str,
        params: Optional[Mapping[str, ParamValue]] = None,
        *,
        name: str = "<rules>",
    ) -> "Ruleset":
        """Compile rules text.

        Parameters
        ----------
        text : str
            The rules.
        params : mapping of str to int, float or str, optional
            Values overriding the text's ``param`` values.
        name : str, default "<rules>"
            The file name diagnostics show.

        Returns
        -------
        Ruleset
            The compiled rules; warnings are issued as :class:`RulesWarning`.

        Raises
        ------
        RulesError
            For rules that do not compile, with every diagnostic.
        TypeError
            For a param value that is not a number or a duration text.

        Examples
        --------
        >>> rules = earlywarn.Ruleset.from_text("rule owing { when balance >= 100 }")
        """
        overrides = _overrides(params)
        return cls._made(_core.compile_rules(text, name, list(overrides.items())), overrides)

    @classmethod
    def _made(
        cls,
        result: Tuple[Optional[_core.Ruleset], List[_core.RawDiagnostic], str],
        overrides: Dict[str, str],
    ) -> "Ruleset":
        core, raw, report = result
        diagnostics = [
            Diagnostic(level, line or None, column or None, message, rendered)
            for level, line, column, message, rendered in raw
        ]
        if core is None:
            raise RulesError(diagnostics, report)
        rules = cls(core, overrides, diagnostics)
        for d in rules.warnings:
            warnings.warn(d.rendered.rstrip("\n"), RulesWarning, stacklevel=3)
        return rules

    def with_params(self, **params: ParamValue) -> "Ruleset":
        """The same rules text compiled with some params changed, the others kept.

        Parameters
        ----------
        **params : int, float or str
            New param values (``grace_days=20``, ``settle="3m"``).

        Returns
        -------
        Ruleset
            A new ruleset; this one is not changed.

        Raises
        ------
        RulesError
            For an unknown param or a value of the wrong kind.

        Examples
        --------
        >>> later = rules.with_params(grace_days=30)
        """
        overrides = {**self._overrides, **_overrides(params)}
        return Ruleset._made(
            _core.compile_rules(self.source, self.file_name, list(overrides.items())), overrides
        )

    # -- what the ruleset is -------------------------------------------------

    @property
    def name(self) -> str:
        """The ruleset's name (from ``ruleset "…"``, else the file name)."""
        return self._core.name

    @property
    def version(self) -> int:
        return self._core.version

    @property
    def fingerprint(self) -> str:
        """A hash of the rules text and the effective params."""
        return self._core.fingerprint

    @property
    def file_name(self) -> str:
        return self._core.file_name

    @property
    def source(self) -> str:
        """The rules text."""
        return self._core.source

    @property
    def params(self) -> Dict[str, ParamValue]:
        """Effective params: numbers as int or float, durations as text (``"90d"``)."""
        return {p["name"]: p["value"] for p in self._core.params}

    @property
    def definitions(self) -> Dict[str, str]:
        """Each ``define``'s name and expression as written, in file order."""
        return dict(self._core.definitions)

    @property
    def decisions(self) -> Dict[str, Decision]:
        """Each decision's name, hit policy and rules, in file order."""
        return {name: Decision(p, list(r)) for name, (p, r) in self._core.decisions.items()}

    @property
    def rules(self) -> List[Rule]:
        """The rules in file order."""
        return [Rule(**r) for r in self._core.rules]

    @property
    def rule_names(self) -> List[str]:
        return [r["name"] for r in self._core.rules]

    @property
    def scheduled_types(self) -> List[str]:
        """The event types declared ``scheduled``: their events may lie ahead
        of the as-of date (docs/language.md, Scheduled events)."""
        return list(self._core.scheduled_types)

    @property
    def attributes(self) -> Dict[str, str]:
        """The household attributes declared (``attribute NAME KIND``), in file
        order: name -> kind (``text``, ``flag``, ``date``, ``money``, ``days``,
        ``count`` or ``number``; docs/language.md, Household attributes)."""
        return dict(self._core.attributes)

    def _latest_recorded(self, ledger: "Ledger") -> Optional[int]:
        """The default as-of day: scheduled events (hearings) may lie ahead."""
        return _core.latest_recorded_date(ledger._core, self._core)

    def effect_of(self, event_type: str) -> int:
        """How an event of a type moves the balance under these rules.

        Parameters
        ----------
        event_type : str
            A type name.

        Returns
        -------
        int
            +1 (increases, as ``charge``), -1 (decreases, as ``payment``) or 0.
        """
        return self._core.effect_of(event_type)

    def __repr__(self) -> str:
        return (
            f"<Ruleset {self.name!r} version {self.version}: {len(self.rule_names)} rules, "
            f"fingerprint {self.fingerprint[:12]}>"
        )

    # -- evaluation ----------------------------------------------------------

    def evaluate(
        self,
        ledger: Ledger,
        as_of: Optional[DateLike] = None,
        *,
        by: Optional[str] = None,
        threads: int = 0,
        progress: Progress = False,
    ) -> pd.DataFrame:
        """The worklist as of a date, as ``earlywarn run`` gives it.

        Rules that declare household attributes read the ledger's
        (:meth:`Ledger.with_attributes`). Messages carry the exact figures.

        Parameters
        ----------
        ledger : Ledger
            The events.
        as_of : str or datetime.date or numpy.datetime64, optional
            The date (default: the ledger's latest recorded date, events of
            scheduled types aside; docs/cli.md, As of).
        by : {None, "household"}, optional
            ``"household"``: one row per household, as ``earlywarn run --by household``.
        threads : int, default 0
            Threads (0: every core); the result is the same for any number.
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

        Returns
        -------
        pandas.DataFrame
            One row per household and fired rule, ``household, rule, severity,
            score, message``, most urgent first (severity, score descending,
            household, rule); ``score`` is the nearest float to the exact score
            (NaN where it has no value). With ``by="household"``: ``household,
            severity, score, rules, message`` (``rules`` a list). ``attrs`` holds
            ``as_of``, ``ruleset``, ``version`` and ``fingerprint``.

        Raises
        ------
        AttributeValueError
            For an attribute value the declared kind cannot read.
        TypeError
            For a ledger that is not a :class:`Ledger`.
        ValueError
            For another ``by``, or an empty ledger without ``as_of``.

        Examples
        --------
        >>> worklist = rules.evaluate(ledger, "2024-06-30")
        >>> worklist[worklist.severity >= "high"]
        """
        if by not in (None, "household"):
            raise ValueError("by is None or 'household'")
        ledger = _ledger(ledger)
        ledger._check_types_once(self)
        day = day_or_default(as_of, self._latest_recorded(ledger), "as_of")
        with progress_callback(progress, "evaluating", "households") as report:
            columns = _core.evaluate(self._core, ledger._core, day, threads, by is not None, report)
        if by is None:
            frame = _frames.frame(
                {
                    "household": _frames.households(columns["household"]),
                    "rule": _frames.names(columns["rule"], self.rule_names),
                    "severity": _frames.severities(columns["severity"]),
                    "score": _frames.numbers(columns["score"]),
                    "message": _frames.texts(columns["message"]),
                }
            )
        else:
            frame = _frames.frame(
                {
                    "household": _frames.households(columns["household"]),
                    "severity": _frames.severities(columns["severity"]),
                    "score": _frames.numbers(columns["score"]),
                    "rules": _frames.texts(columns["rules"]),
                    "message": _frames.texts(columns["message"]),
                }
            )
        frame.attrs.update(self._identity(as_of=to_date(day)))
        return frame

    def explain(
        self, ledger: Ledger, household: str, as_of: Optional[DateLike] = None
    ) -> Explanation:
        """Every rule's verdict for one household, as ``earlywarn explain`` gives it.

        Parameters
        ----------
        ledger : Ledger
            The events.
        household : str
            The household id.
        as_of : str or datetime.date or numpy.datetime64, optional
            The date (default: the ledger's latest recorded date).

        Returns
        -------
        Explanation
            Each rule's verdict with each value its condition read, the signals
            and the household attributes the rules declare.

        Raises
        ------
        KeyError
            For a household the ledger does not hold.
        AttributeValueError
            For an attribute value the declared kind cannot read.

        Examples
        --------
        >>> print(rules.explain(ledger, "HH0000123"))
        >>> rules.explain(ledger, "HH0000123").to_frame()
        """
        ledger = _ledger(ledger)
        ledger._check_types_once(self)
        day = day_or_default(as_of, self._latest_recorded(ledger), "as_of")
        return Explanation._from_core(_core.explain(self._core, ledger._core, household, day))

    def signals(
        self,
        ledger: Ledger,
        as_of: Optional[DateLike] = None,
        *,
        threads: int = 0,
        progress: Progress = False,
    ) -> pd.DataFrame:
        """Every household's built-in signals, counting the custom types these rules declare.

        Parameters
        ----------
        ledger : Ledger
            The events.
        as_of : str or datetime.date or numpy.datetime64, optional
            The date (default: the latest recorded date).
        threads : int, default 0
            Threads (0: every core).
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

        Returns
        -------
        pandas.DataFrame
            As :meth:`Ledger.signals`.
        """
        return _ledger(ledger).signals(as_of, rules=self, threads=threads, progress=progress)

    def backtest(
        self,
        ledger: Ledger,
        start: Optional[DateLike] = None,
        end: Optional[DateLike] = None,
        every: str = "day",
        *,
        threads: int = 0,
        progress: Progress = False,
    ) -> pd.DataFrame:
        """The alerts a stream would have raised and cleared over history, as ``earlywarn backtest``.

        Parameters
        ----------
        ledger : Ledger
            The events.
        start, end : str or datetime.date or numpy.datetime64, optional
            The period (default: the ledger's first and latest recorded dates).
        every : {"day", "week", "month"}, default "day"
            How often the rules are evaluated.
        threads : int, default 0
            Threads (0: every core).
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

        Returns
        -------
        pandas.DataFrame
            ``date, household, rule, severity, state, message`` ordered by date,
            household and rule name; ``state`` is ``raised``, ``cleared`` or
            ``open`` (an alert raised before ``start`` and not cleared before it,
            once, on ``start``). ``attrs`` holds ``start``, ``end``, ``every`` and
            the ruleset's identity.

        Raises
        ------
        ValueError
            For ``end`` before ``start`` or another ``every``.

        Examples
        --------
        >>> alerts = rules.backtest(ledger, "2024-01-01", every="week")
        >>> alerts[alerts.state == "raised"].groupby("rule").size()
        """
        ledger, first, last = self._backtest_period(ledger, start, end)
        with progress_callback(progress, "back-testing", "households") as report:
            columns = _core.backtest(
                self._core, ledger._core, first, last, every, threads, report
            )
        rule = columns["rule"].astype(np.int64)
        levels = np.array([SEVERITIES.index(r["severity"]) for r in self._core.rules], np.int8)
        frame = _frames.frame(
            {
                "date": _frames.dates(columns["date"]),
                "household": _frames.coded_households(
                    columns["household_codes"], ledger._core.households
                ),
                "rule": _frames.names(rule, self.rule_names),
                "severity": _frames.severities(levels[rule]),
                "state": _frames.names(columns["state"], _frames.ALERT_STATES),
                "message": _frames.texts(columns["message"]),
            }
        )
        frame.attrs.update(
            self._identity(start=to_date(first), end=to_date(last), every=every)
        )
        return frame

    def test(
        self, paths: Union[str, "os.PathLike[str]", Sequence[Union[str, "os.PathLike[str]"]]]
    ) -> ScenarioReport:
        """Run scenario files against these rules (docs/rule-tests.md).

        Parameters
        ----------
        paths : str or os.PathLike or sequence of them
            A scenario file, a folder (its ``*.scenarios`` files) or a list of
            them; a file's ``rules`` line is ignored, and a scenario's params apply
            on top of this ruleset's.

        Returns
        -------
        ScenarioReport
            What the scenarios found.

        Raises
        ------
        FileNotFoundError
            For a folder without scenario files.

        Examples
        --------
        >>> report = rules.test("rules/tests")
        >>> report.passed
        """
        from .scenarios import run

        return run(paths, self)

    def backtest_summary(
        self,
        ledger: Ledger,
        start: Optional[DateLike] = None,
        end: Optional[DateLike] = None,
        every: str = "day",
        *,
        reraise_days: int = 30,
        threads: int = 0,
        progress: Progress = False,
    ) -> "BacktestSummary":
        """What :meth:`backtest` over the same period means for caseworkers, as ``earlywarn backtest --summary``.

        Parameters
        ----------
        ledger : Ledger
            The events.
        start, end : str or datetime.date or numpy.datetime64, optional
            The period (default: the ledger's first and latest recorded dates).
        every : {"day", "week", "month"}, default "day"
            How often the rules are evaluated.
        reraise_days : int, default 30
            A raise within this many days of the previous clear is a re-raise.
        threads : int, default 0
            Threads (0: every core).
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

        Returns
        -------
        BacktestSummary
            Per rule over the whole period (``.rules``) and per rule and month
            (``.months``): raises, households, households with the alert open (the
            load), re-raises and open times (docs/language.md, Back-test summaries).

        Raises
        ------
        ValueError
            For ``end`` before ``start``, another ``every`` or a negative ``reraise_days``.
        """
        ledger, first, last = self._backtest_period(ledger, start, end)
        with progress_callback(progress, "back-testing", "households") as report:
            columns = _core.backtest_summary(
                self._core, ledger._core, first, last, every, threads, report, reraise_days
            )
        return BacktestSummary._from_columns(
            columns,
            self.rule_names,
            self._identity(
                start=to_date(first), end=to_date(last), every=every, reraise_days=reraise_days
            ),
        )

    def backtest_outcomes(
        self,
        ledger: Ledger,
        outcomes: Union[str, List[str]],
        start: Optional[DateLike] = None,
        end: Optional[DateLike] = None,
        every: str = "day",
        *,
        horizon_days: int = 180,
        threads: int = 0,
        progress: Progress = False,
    ) -> pd.DataFrame:
        """How early and how precisely each rule warned of the bad outcomes the ledger records.

        As ``earlywarn backtest --outcomes`` (docs/language.md, Outcomes).

        Parameters
        ----------
        ledger : Ledger
            The events.
        outcomes : str or list of str
            The event types that mark a bad outcome (``"eviction"``).
        start, end : str or datetime.date or numpy.datetime64, optional
            The period (default: the ledger's first and latest recorded dates).
        every : {"day", "week", "month"}, default "day"
            How often the rules are evaluated.
        horizon_days : int, default 180
            How long before an outcome an open alert counts as a warning of it.
        threads : int, default 0
            Threads (0: every core).
        progress : bool or callable, default False
            ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

        Returns
        -------
        pandas.DataFrame
            One row per rule (index ``rule``, rule-name order): ``outcomes``,
            ``warned`` (with the rule's alert open in the ``horizon_days`` before),
            ``recall``, ``raises`` (whose horizon ends in the period), ``followed``
            (by an outcome within the horizon), ``precision``, ``lead_days_q1``,
            ``lead_days_median``, ``lead_days_q3``, ``cleared`` and ``recovered``.

        Raises
        ------
        ValueError
            For a type with no event in the ledger, no type, or a negative horizon.
        """
        types = [outcomes] if isinstance(outcomes, str) else list(outcomes)
        ledger, first, last = self._backtest_period(ledger, start, end)
        with progress_callback(progress, "back-testing", "households") as report:
            columns = _core.backtest_outcomes(
                self._core, ledger._core, first, last, every, threads, report, types,
                horizon_days,
            )
        frame = outcome_frame(columns, self.rule_names)
        frame.attrs.update(
            self._identity(
                start=to_date(first),
                end=to_date(last),
                every=every,
                outcome_types=types,
                horizon_days=horizon_days,
                households_with_outcomes=int(columns["households"]),
            )
        )
        return frame

    def _backtest_period(
        self, ledger: object, start: Optional[DateLike], end: Optional[DateLike]
    ) -> Tuple[Ledger, int, int]:
        """The ledger, checked for unknown types once, and a back-test's first
        and last days (default: the ledger's first and latest recorded)."""
        checked = _ledger(ledger)
        checked._check_types_once(self)
        first = day_or_default(start, checked._core.first_date, "start")
        last = day_or_default(end, self._latest_recorded(checked), "end")
        if last < first:
            raise ValueError("end is before start")
        return checked, first, last

    def _identity(self, **more: Any) -> Dict[str, Any]:
        return {
            **more,
            "ruleset": self.name,
            "version": self.version,
            "fingerprint": self.fingerprint,
        }


def _ledger(value: object) -> Ledger:
    if not isinstance(value, Ledger):
        raise TypeError(
            f"expected an earlywarn.Ledger, not {type(value).__name__} "
            "(make one with Ledger.from_frame(df) or Ledger.from_csv(path))"
        )
    return value


def _overrides(params: Optional[Mapping[str, ParamValue]]) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for name, value in (params or {}).items():
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise TypeError(
                f"param {name!r} takes a number or a duration text like '90d', not {value!r}"
            )
        out[str(name)] = value if isinstance(value, str) else repr(value)
    return out


def load_rules(
    path_or_text: Union[str, "os.PathLike[str]"],
    params: Optional[Mapping[str, ParamValue]] = None,
) -> Ruleset:
    """Load a ruleset from a file or from rules text.

    Parameters
    ----------
    path_or_text : str or os.PathLike
        A ``str`` holding a line break or a ``{`` is rules text; any other
        ``str`` (or a path object) names a file.
    params : mapping of str to int, float or str, optional
        Values overriding the ``param`` values, e.g. ``{"grace_days": 20}``.

    Returns
    -------
    Ruleset
        The compiled rules; each warning is issued as a :class:`RulesWarning`.

    Raises
    ------
    RulesError
        When the rules do not compile (with the line, column and rendered
        diagnostic).
    FileNotFoundError
        For a file that does not exist.
    TypeError
        For something that is neither a path nor text.

    Examples
    --------
    >>> rules = earlywarn.load_rules("rules/housing-early-warning.rules", {"grace_days": 20})
    """
    if isinstance(path_or_text, str) and ("\n" in path_or_text or "{" in path_or_text):
        return Ruleset.from_text(path_or_text, params)
    if isinstance(path_or_text, (str, os.PathLike)):
        return Ruleset.from_file(path_or_text, params)
    raise TypeError(f"expected a path or rules text, not {type(path_or_text).__name__}")
