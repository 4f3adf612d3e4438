"""Tuning a ruleset on history: two rulesets (or two sets of params) side by
side, and one param swept over a range into a trade-off table.

Both back-test all their rulesets over the same ledger in one pass over the
households, rulesets that fire alike sharing one evaluation (docs/python.md,
Tuning), and read the figures of docs/language.md, Back-test summaries and
Outcomes.
"""

from __future__ import annotations

from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core, _frames
from ._dates import DateLike, to_date
from ._progress import Progress, progress_callback
from .ledger import Ledger
from .rules import ParamValue, Ruleset
from .summaries import BacktestSummary, outcome_frame

_LOAD = ["raises", "households", "reraises", "raises_per_household_year", "mean_open",
         "median_open_days"]
_OUTCOMES = ["recall", "precision", "lead_days_median"]


def _reports(
    rulesets: Sequence[Ruleset],
    ledger: Ledger,
    start: Optional[DateLike],
    end: Optional[DateLike],
    every: str,
    outcomes: Sequence[str],
    horizon_days: int,
    reraise_days: int,
    threads: int,
    progress: Progress,
) -> List[Dict[str, Any]]:
    """Back-tests every ruleset of ``rulesets`` in one pass over the households
    (rulesets that fire alike, such as values of a param only alert clauses
    read, share one evaluation) and reads each one's figures."""
    periods = [rules._backtest_period(ledger, start, end) for rules in rulesets]
    if any(p[1:] != periods[0][1:] for p in periods):
        # Rulesets that declare other scheduled types end their default
        # periods on other days: each is back-tested over its own.
        return [r for rules in rulesets for r in _reports(
            [rules], ledger, start, end, every, outcomes, horizon_days, reraise_days, threads,
            progress)]
    ledger, first, last = periods[0]
    with progress_callback(progress, "back-testing", "households") as report:
        each = _core.backtest_reports(
            [rules._core for rules in rulesets], ledger._core, first, last, every, threads, report,
            reraise_days, list(outcomes), horizon_days,
        )
    out = []
    for rules, columns in zip(rulesets, each):
        identity = rules._identity(start=to_date(first), end=to_date(last), every=every,
                                   reraise_days=reraise_days)
        summary = BacktestSummary._from_columns(columns["summary"], rules.rule_names, identity)
        table = summary.rules[_LOAD].copy()
        if columns["outcomes"] is not None:
            table = table.join(outcome_frame(columns["outcomes"], rules.rule_names)[_OUTCOMES])
        alerted = columns["first_alerts"]
        first_alerts = _frames.frame(
            {
                "household": _frames.coded_households(
                    alerted["household_codes"], ledger._core.households),
                "rule": _frames.names(alerted["rule"], rules.rule_names),
                "first_alert": _frames.dates(alerted["date"]),
            }
        )
        out.append({"table": table, "first": first, "last": last, "first_alerts": first_alerts})
    return out


def _with_rules(table: pd.DataFrame, rule_names: List[str]) -> pd.DataFrame:
    """``table`` with its ``rule`` index a categorical of ``rule_names``."""
    out = table.copy()
    out.index = pd.CategoricalIndex(
        table.index.astype(object), categories=rule_names, name=table.index.name
    )
    return out


class Comparison:
    """Two rulesets over the same history (:func:`compare`).

    ``rules``: one row per rule either has (index ``rule``): each figure
    ``_before`` and ``_after`` (raises, households, re-raises, raises per
    household-year, mean open alerts, median days open, and with outcomes
    recall, precision and median lead time), and ``load_change``, the change
    in alerts open on an average day.

    ``households``: the (household, rule) pairs alerted under one ruleset
    only: ``change`` is ``gained`` or ``lost``, ``first_alert`` the first
    day it was raised (or open) under the ruleset that has it.
    """

    def __init__(self, rules: pd.DataFrame, households: pd.DataFrame, attrs: Dict[str, Any]):
        self.rules = rules
        self.households = households
        self.attrs = attrs

    def __repr__(self) -> str:
        gained = int((self.households["change"] == "gained").sum())
        lost = len(self.households) - gained
        return (f"Comparison({self.attrs['before']} -> {self.attrs['after']}: {gained} household"
                f"-rule pairs gained, {lost} lost)\n{self.rules!r}")


def compare(
    before: Ruleset,
    after: Ruleset,
    ledger: Ledger,
    start: Optional[DateLike] = None,
    end: Optional[DateLike] = None,
    every: str = "day",
    *,
    outcomes: Union[str, Sequence[str], None] = None,
    horizon_days: int = 180,
    reraise_days: int = 30,
    threads: int = 0,
    progress: Progress = False,
) -> Comparison:
    """Back-test two rulesets over the same period of a ledger and set them side by side.

    Both are back-tested in one pass over the households (docs/python.md, Tuning).

    Parameters
    ----------
    before, after : Ruleset
        Two rulesets, or one and its :meth:`Ruleset.with_params`.
    ledger : Ledger
        The events.
    start, end : str or datetime.date or numpy.datetime64, optional
        The period (default: the ledger's first and latest recorded dates).
    every : {"day", "week", "month"}, default "day"
        How often the rules are evaluated.
    outcomes : str or sequence of str, optional
        Event types that mark a bad outcome: adds recall, precision and lead time.
    horizon_days : int, default 180
        As for :meth:`Ruleset.backtest_outcomes`.
    reraise_days : int, default 30
        As for :meth:`Ruleset.backtest_summary`.
    threads : int, default 0
        Threads (0: every core).
    progress : bool or callable, default False
        ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

    Returns
    -------
    Comparison
        ``.rules``: per rule the load and flapping figures ``_before`` and
        ``_after`` and ``load_change``; ``.households``: the household and rule
        pairs alerted under one ruleset only.

    Raises
    ------
    ValueError
        For ``end`` before ``start``, another ``every``, or an outcome type with
        no event.

    Examples
    --------
    >>> earlywarn.compare(rules, rules.with_params(grace_days=30), ledger).rules
    """
    types = [outcomes] if isinstance(outcomes, str) else list(outcomes or [])
    a, b = _reports([before, after], ledger, start, end, every, types, horizon_days, reraise_days,
                    threads, progress)
    # Either ruleset may have rules the other lacks: categories of both, before's first.
    rule_names = list(dict.fromkeys([*before.rule_names, *after.rule_names]))
    sides = [_with_rules(report["table"], rule_names) for report in (a, b)]
    table = sides[0].add_suffix("_before").join(sides[1].add_suffix("_after"), how="outer")
    table["load_change"] = table["mean_open_after"] - table["mean_open_before"]
    table.index.name = "rule"
    pairs = [
        report["first_alerts"].astype({"household": object, "rule": object}) for report in (a, b)
    ]
    merged = pairs[0].merge(pairs[1], on=["household", "rule"], how="outer",
                            suffixes=("_before", "_after"), indicator=True)
    gained = merged[merged["_merge"] == "right_only"]
    lost = merged[merged["_merge"] == "left_only"]
    both = pd.concat([gained, lost], ignore_index=True)
    households = _frames.frame(
        {
            "household": _frames.households(both["household"]),
            "rule": _frames.named(both["rule"], rule_names),
            "change": _frames.named(["gained"] * len(gained) + ["lost"] * len(lost),
                                    ["gained", "lost"]),
            "first_alert": np.concatenate([gained["first_alert_after"].to_numpy(),
                                           lost["first_alert_before"].to_numpy()]
                                          ).astype("datetime64[ns]"),
        }
    )
    # By rule name and household id, as before the columns were categoricals.
    order = np.lexsort((both["household"].to_numpy(object).astype(str),
                        both["rule"].to_numpy(object).astype(str)))
    households = households.iloc[order].reset_index(drop=True)
    attrs = {
        "before": f"{before.name} v{before.version} {before.fingerprint}",
        "after": f"{after.name} v{after.version} {after.fingerprint}",
        "start": to_date(a["first"]),
        "end": to_date(a["last"]),
        "every": every,
        "outcome_types": types,
        "horizon_days": horizon_days,
    }
    return Comparison(table, households, attrs)


def sweep(
    rules: Ruleset,
    ledger: Ledger,
    param: str,
    values: Iterable[ParamValue],
    start: Optional[DateLike] = None,
    end: Optional[DateLike] = None,
    every: str = "day",
    *,
    outcomes: Union[str, Sequence[str], None] = None,
    horizon_days: int = 180,
    reraise_days: int = 30,
    threads: int = 0,
    progress: Progress = False,
) -> pd.DataFrame:
    """The trade-off of one param: the rules back-tested for each of its values.

    All values are back-tested in one pass over the households; values of a
    param that only ``cooldown``, ``raise_after`` or ``clear_after`` read share
    one evaluation. :func:`earlywarn.plot.tradeoff` draws the result.

    Parameters
    ----------
    rules : Ruleset
        The rules.
    ledger : Ledger
        The events.
    param : str
        A param of the rules.
    values : iterable of int, float or str
        Its values.
    start, end : str or datetime.date or numpy.datetime64, optional
        The period (default: the ledger's first and latest recorded dates).
    every : {"day", "week", "month"}, default "day"
        How often the rules are evaluated.
    outcomes : str or sequence of str, optional
        Event types that mark a bad outcome: adds recall, precision and median
        lead time.
    horizon_days : int, default 180
        As for :meth:`Ruleset.backtest_outcomes`.
    reraise_days : int, default 30
        As for :meth:`Ruleset.backtest_summary`.
    threads : int, default 0
        Threads (0: every core).
    progress : bool or callable, default False
        ``True`` shows a tqdm bar; a callable is called as ``callback(done, total)``.

    Returns
    -------
    pandas.DataFrame
        A row per value and rule (index ``value``, ``rule``): each rule's load
        and flapping figures and, given ``outcomes``, recall, precision and
        median lead time.

    Raises
    ------
    ValueError
        For a param the rules lack or no values.

    Examples
    --------
    >>> table = earlywarn.sweep(rules, ledger, "grace_days", [10, 15, 20, 30])
    """
    if param not in rules.params:
        raise ValueError(f"the rules have no param '{param}' ({', '.join(rules.params)})")
    types = [outcomes] if isinstance(outcomes, str) else list(outcomes or [])
    tables: List[pd.DataFrame] = []
    values = list(values)
    if not values:
        raise ValueError("values is empty")
    reports = _reports([rules.with_params(**{param: value}) for value in values], ledger, start,
                       end, every, types, horizon_days, reraise_days, threads, progress)
    for value, report in zip(values, reports):
        tables.append(report["table"].assign(value=value).set_index("value", append=True))
    table = pd.concat(tables).reorder_levels(["value", "rule"])
    table.attrs.update({"param": param, "outcome_types": types, "horizon_days": horizon_days,
                        "ruleset": rules.name, "version": rules.version})
    return table
