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

from . import _core
from ._dates import DateLike, days_to_datetime64, to_date
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
    ids = np.asarray(ledger._core.households, dtype=object)
    out = []
    for rules, columns in zip(rulesets, each):
        identity = rules._identity(start=to_date(first), end=to_date(last), every=every,
                                   reraise_days=reraise_days)
        summary = BacktestSummary._from_columns(columns["summary"], rules.rule_names, identity)
        table = summary.rules[_LOAD].copy()
        if columns["outcomes"] is not None:
            table = table.join(outcome_frame(columns["outcomes"], rules.rule_names)[_OUTCOMES])
        alerted = columns["first_alerts"]
        first_alerts = pd.DataFrame(
            {
                "household": ids[alerted["household_codes"]],
                "rule": np.asarray(rules.rule_names, dtype=object)[
                    alerted["rule"].astype(np.int64)],
                "first_alert": days_to_datetime64(alerted["date"]),
            }
        )
        out.append({"table": table, "first": first, "last": last, "first_alerts": first_alerts})
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
    """Back-tests ``before`` and ``after`` (two rulesets, or one and its
    :meth:`Ruleset.with_params`) over the same period of ``ledger`` and sets
    them side by side: per rule the load and flapping figures and, given
    ``outcomes`` (event types), recall, precision and lead time; and the
    households that gain or lose an alert of a rule."""
    types = [outcomes] if isinstance(outcomes, str) else list(outcomes or [])
    a, b = _reports([before, after], ledger, start, end, every, types, horizon_days, reraise_days,
                    threads, progress)
    table = a["table"].add_suffix("_before").join(b["table"].add_suffix("_after"), how="outer")
    table["load_change"] = table["mean_open_after"] - table["mean_open_before"]
    table.index.name = "rule"
    merged = a["first_alerts"].merge(b["first_alerts"], on=["household", "rule"], how="outer",
                           suffixes=("_before", "_after"), indicator=True)
    gained = merged[merged["_merge"] == "right_only"]
    lost = merged[merged["_merge"] == "left_only"]
    households = pd.concat(
        [
            pd.DataFrame({"household": gained["household"], "rule": gained["rule"],
                          "change": "gained", "first_alert": gained["first_alert_after"]}),
            pd.DataFrame({"household": lost["household"], "rule": lost["rule"],
                          "change": "lost", "first_alert": lost["first_alert_before"]}),
        ],
        ignore_index=True,
    ).sort_values(["rule", "household"], kind="stable", ignore_index=True)
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
    """The trade-off of one param: ``rules`` back-tested for each value of
    ``param`` (:meth:`Ruleset.with_params`), all in one pass over the
    households; values of a param that only ``cooldown``, ``raise_after`` or
    ``clear_after`` read share one evaluation. Each rule's load and flapping
    figures and, given ``outcomes``, its recall, precision and median lead
    time. A row per value and rule (index ``value``, ``rule``);
    :func:`earlywarn.plot.tradeoff` draws it."""
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
