"""Explanations: why each rule fired, or did not, for one household (docs/language.md, Outputs)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

import numpy as np
import pandas as pd

from . import _frames
from ._dates import to_date


@dataclass(frozen=True)
class Reading:
    """One value a condition read: its text in the rules file and its value as
    printed (``42``, ``17065.00``, ``true``, ``n/a``)."""

    expression: str
    value: str
    kind: str = field(default="text", compare=False)
    """What the value is: ``number`` (an amount, a count, days), ``boolean``,
    ``text`` (an event type, a code, a text attribute) or ``date`` (a date
    attribute)."""

    @property
    def typed(self) -> Any:
        """The value typed by its kind (:func:`reading_value`)."""
        return reading_value(self.value, self.kind)

    def _json(self) -> Any:
        # As `earlywarn explain --format json` writes it: dates as text.
        return self.value if self.kind == "date" and self.value != "n/a" else self.typed


@dataclass(frozen=True)
class Verdict:
    """One rule's verdict for a household."""

    rule: str
    fired: bool
    severity: str
    score: Optional[float]
    """The nearest float to the exact score; None when it has no value."""
    score_text: Optional[str]
    """The exact score as the CLI prints it."""
    message: str
    """The rule's message; empty when it did not fire."""
    when: str
    """The condition as written."""
    readings: Tuple[Reading, ...]
    holds: bool = False
    """Whether the condition as written holds. It differs from ``fired`` only
    in a decision, where a rule before it took precedence."""
    decision: Optional[str] = None
    """The decision the rule belongs to, if any."""
    outranked_by: Optional[str] = None
    """The rule that took precedence in the decision, when ``holds`` and not ``fired``."""


@dataclass(frozen=True)
class Explanation:
    """Every rule's verdict for one household as of a date, with the built-in
    signals and the household attributes the rules declare. ``str()`` gives
    the text of ``earlywarn explain``; :meth:`to_dict` the document of
    ``earlywarn explain --format json``."""

    household: str
    as_of: datetime.date
    exists: bool
    """False before the household's first event: then nothing is evaluated."""
    ruleset: str
    version: int
    fingerprint: str
    signals: Dict[str, str]
    rules: Tuple[Verdict, ...]
    attributes: Dict[str, str] = field(default_factory=dict)
    readings: Dict[str, Tuple[Reading, ...]] = field(default_factory=dict, repr=False)
    """The signals and attributes as readings, with their kinds (keys
    ``signals`` and ``attributes``)."""
    """Each attribute the rules declare, in declaration order, with the
    household's value as the rules read it (``95.50``, ``true``, ``secure``,
    ``2024-07-01``), ``n/a`` for no value."""

    @classmethod
    def _from_core(cls, x: Dict[str, Any]) -> "Explanation":
        return cls(
            household=x["household"],
            as_of=to_date(x["as_of"]),
            exists=x["exists"],
            ruleset=x["ruleset"],
            version=x["version"],
            fingerprint=x["fingerprint"],
            signals={e: v for e, v, _ in x["signals"]},
            attributes={e: v for e, v, _ in x["attributes"]},
            readings={
                part: tuple(Reading(e, v, k) for e, v, k in x[part])
                for part in ("signals", "attributes")
            },
            rules=tuple(
                Verdict(
                    rule=r["rule"],
                    fired=r["fired"],
                    severity=r["severity"],
                    score=None if r["score_text"] is None else r["score"],
                    score_text=r["score_text"],
                    message=r["message"],
                    when=r["when"],
                    readings=tuple(Reading(e, v, k) for e, v, k in r["readings"]),
                    holds=r["holds"],
                    decision=r["decision"],
                    outranked_by=r["outranked_by"],
                )
                for r in x["rules"]
            ),
        )

    def __getitem__(self, rule: str) -> Verdict:
        """The verdict of the rule with this name."""
        for v in self.rules:
            if v.rule == rule:
                return v
        raise KeyError(rule)

    @property
    def fired(self) -> List[str]:
        """The names of the rules that fired, in file order."""
        return [v.rule for v in self.rules if v.fired]

    def to_frame(self) -> pd.DataFrame:
        """The rules' readings as a table.

        Returns
        -------
        pandas.DataFrame
            One row per rule and value read, rules in file order: ``rule``
            (categorical of the rules in file order), ``fired`` (bool),
            ``severity`` (ordered categorical), ``score`` (float64, NaN for
            no value), ``expression`` (text), ``value`` (the reading typed by
            its kind, :func:`reading_value`) and ``text`` (the value as
            printed, exact).
            ``value`` is float64 when every reading is a number, bool when
            every one is a truth value, else object holding each typed value.
            A rule that read nothing has one row with an empty expression
            and no value.

        Examples
        --------
        >>> x = rules.explain(ledger, "H0001")
        >>> x.to_frame().query("fired")[["rule", "expression", "value"]]
        """
        rows = []
        for v in self.rules:
            for r in v.readings or (Reading("", ""),):
                rows.append((v, r))
        values = [r.typed if r.expression else None for _, r in rows]
        return _frames.frame(
            {
                "rule": _frames.named([v.rule for v, _ in rows], [v.rule for v in self.rules]),
                "fired": _frames.flags(np.array([v.fired for v, _ in rows], dtype=bool)),
                "severity": _frames.severities_named([v.severity for v, _ in rows]),
                "score": _frames.numbers(
                    [np.nan if v.score is None else v.score for v, _ in rows]
                ),
                "expression": _frames.texts([r.expression for _, r in rows]),
                "value": _reading_column(values),
                "text": _frames.texts([r.value for _, r in rows]),
            }
        )

    def to_dict(self) -> Dict[str, Any]:
        """The document ``earlywarn explain --format json`` prints.

        Returns
        -------
        dict
            ``household``, ``as_of`` (ISO text), ``exists``, ``ruleset``,
            ``version``, ``fingerprint``, ``signals``, ``attributes`` and ``rules``
            (each verdict with its readings). Values are typed as in the
            CLI's JSON (docs/cli.md, JSON): numbers, booleans, texts and
            dates as text, None for no value; a rule that did not fire has
            message None.
        """
        return {
            "household": self.household,
            "as_of": self.as_of.isoformat(),
            "exists": self.exists,
            "ruleset": self.ruleset,
            "version": self.version,
            "fingerprint": self.fingerprint,
            "signals": {r.expression: r._json() for r in self.readings.get("signals", ())},
            "attributes": {
                r.expression: r._json() for r in self.readings.get("attributes", ())
            },
            "rules": [
                {
                    "rule": v.rule,
                    "fired": v.fired,
                    "severity": v.severity,
                    "score": None if v.score_text is None else _json_number(v.score_text),
                    "message": v.message if v.fired else None,
                    "when": v.when,
                    "readings": [
                        {"expression": r.expression, "value": r._json()} for r in v.readings
                    ],
                    "holds": v.holds,
                    "decision": v.decision,
                    "outranked_by": v.outranked_by,
                }
                for v in self.rules
            ],
        }

    def __str__(self) -> str:
        out = [
            f"household {self.household} as of {self.as_of.isoformat()}\n",
            f'ruleset "{self.ruleset}" version {self.version} (fingerprint {self.fingerprint})\n',
        ]
        if not self.exists:
            out.append("\nno events on or before this date: the household is not evaluated\n")
            return "".join(out)
        out.append("\nsignals\n")
        for name, value in self.signals.items():
            out.append(f"  {name}{' ' * (16 - min(15, len(name)))}{value}\n")
        if self.attributes:
            out.append("\nattributes\n")
        for name, value in self.attributes.items():
            out.append(f"  {name}{' ' * (16 - min(15, len(name)))}{value}\n")
        for v in self.rules:
            out.append("\n")
            out.append("FIRED      " if v.fired else "not fired  ")
            out.append(f"{v.rule}  [{v.severity}")
            if v.fired:
                out.append(f", score {v.score_text if v.score_text is not None else 'n/a'}")
            if v.decision is not None:
                out.append(f", decision {v.decision}")
            out.append(f"]\n  when {v.when}\n")
            for r in v.readings:
                out.append(f"    {r.expression} = {r.value}\n")
            if v.outranked_by is not None:
                out.append(
                    f"  holds, but {v.outranked_by} takes precedence in decision {v.decision}\n"
                )
            if v.fired and v.message:
                out.append(f"  message: {v.message}\n")
        return "".join(out)


def reading_value(text: str, kind: str) -> Any:
    """The value of a reading as printed, typed by its kind.

    Parameters
    ----------
    text : str
        A reading's value as ``earlywarn explain`` prints it.
    kind : str
        The reading's kind (:attr:`Reading.kind`): ``number``, ``boolean``,
        ``text`` or ``date``.

    Returns
    -------
    object
        None for ``n/a`` (no value, of any kind); for a number an int when
        it is whole (``42``, ``-3``), else the float nearest to the exact
        decimal (``17065.00``, ``0.5``); for a boolean True or False; for a
        date a ``pandas.Timestamp``; a text as it is.

    Examples
    --------
    >>> reading_value("17065.00", "number"), reading_value("42", "text")
    (17065.0, '42')
    >>> reading_value("2024-07-01", "date"), reading_value("n/a", "boolean")
    (Timestamp('2024-07-01 00:00:00'), None)
    """
    if text == "n/a":
        return None
    if kind == "number":
        return _json_number(text)
    if kind == "boolean":
        return text == "true"
    if kind == "date":
        return pd.Timestamp(text)
    return text


def _reading_column(values: List[Any]) -> Any:
    # One dtype when the readings are all of one kind; otherwise each keeps its own.
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present) and len(present) == len(values):
        return _frames.flags(np.array(values, dtype=bool))
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return _frames.numbers([np.nan if v is None else v for v in values])
    return pd.Series(values, dtype=object)


def _json_number(text: str) -> Any:
    return int(text) if text.lstrip("-").isdigit() else float(text)
