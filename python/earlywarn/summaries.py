"""Summaries of back-tests: how many households each rule flagged, month by month."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List

import numpy as np
import pandas as pd

from . import _frames

from ._dates import days_to_datetime64

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def flags_per_month(alerts: pd.DataFrame, kind: str = "raised") -> pd.DataFrame:
    """Households each rule flagged per month, from a :meth:`Ruleset.backtest` DataFrame.

    A household counts once per month and rule however often it was raised.

    Parameters
    ----------
    alerts : pandas.DataFrame
        A back-test's alerts (``date, household, rule, state``; rules and
        households as categoricals or text).
    kind : {"raised", "active"}, default "raised"
        ``"raised"`` counts the households for which the rule was raised during
        the month (new flags: the caseworkers' new work); ``"active"`` those
        with the alert open at any time in the month (raised then or before and
        not yet cleared: the caseload).

    Returns
    -------
    pandas.DataFrame
        One row per month (a monthly ``PeriodIndex`` spanning the back-test),
        one column per rule, int64 counts.

    Raises
    ------
    ValueError
        For another ``kind``.

    Examples
    --------
    >>> earlywarn.flags_per_month(rules.backtest(ledger), kind="active")
    """
    if kind not in ("raised", "active"):
        raise ValueError("kind is 'raised' or 'active'")
    rule_column = alerts["rule"]
    rules = (
        list(rule_column.cat.categories)
        if isinstance(rule_column.dtype, pd.CategoricalDtype)
        else sorted(rule_column.unique())
    )
    start = alerts.attrs.get("start")
    end = alerts.attrs.get("end")
    if start is None or end is None:
        if alerts.empty:
            return pd.DataFrame(columns=rules, dtype=np.int64)
        start = alerts["date"].min() if start is None else start
        end = alerts["date"].max() if end is None else end
    months = pd.period_range(pd.Period(start, "M"), pd.Period(end, "M"), freq="M")
    last_month = months[-1].ordinal

    frame = pd.DataFrame(
        {
            "household": alerts["household"].to_numpy(),
            "rule": np.asarray(rule_column.astype(object)),
            "date": alerts["date"].to_numpy(),
            "raised": (alerts["state"] == "raised").to_numpy(),
            # An alert found open on the first day opens a span as a raise does.
            "opens": (alerts["state"] != "cleared").to_numpy(),
        }
    )
    month_of = frame["date"].dt.to_period("M").array.asi8  # month ordinals
    if kind == "raised":
        mask = frame["raised"].to_numpy()
        flagged = pd.DataFrame(
            {
                "month": month_of[mask],
                "rule": frame["rule"].to_numpy()[mask],
                "household": frame["household"].to_numpy()[mask],
            }
        )
    else:
        # Openings (raises, or open on the first day) and clears of one
        # household and rule alternate, beginning with an opening: the k-th
        # clear closes the k-th opening.
        frame["month"] = month_of
        frame = frame.sort_values(["household", "rule", "date"], kind="stable")
        frame["pair"] = frame.groupby(["household", "rule"]).cumcount() // 2
        raises = frame[frame["opens"]]
        clears = frame[~frame["opens"]][["household", "rule", "pair", "date"]]
        spans = raises.merge(
            clears.rename(columns={"date": "cleared"}), on=["household", "rule", "pair"], how="left"
        )
        # A clear on day d means the rule last held on d - 1.
        last_day = spans["cleared"] - pd.Timedelta(days=1)
        last = np.where(
            spans["cleared"].isna(),
            last_month,
            last_day.dt.to_period("M").array.asi8,
        )
        first = spans["month"].to_numpy()
        last = np.maximum(last, first)
        lengths = (last - first + 1).astype(np.int64)
        repeat = np.repeat(np.arange(len(spans)), lengths)
        offset = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        flagged = pd.DataFrame(
            {
                "month": first[repeat] + offset,
                "rule": spans["rule"].to_numpy()[repeat],
                "household": spans["household"].to_numpy()[repeat],
            }
        )
    counts = flagged.drop_duplicates().groupby(["month", "rule"]).size()
    table = counts.unstack("rule", fill_value=0) if len(counts) else pd.DataFrame()
    table = table.reindex(index=months.asi8, columns=rules, fill_value=0).astype(np.int64)
    table.index = months
    table.index.name = "month"
    table.columns.name = "rule"
    return table


_COUNTS = ["raises", "households", "open", "reraises", "closed"]


class BacktestSummary:
    """A back-test's summary (:meth:`Ruleset.backtest_summary`).

    ``rules``: one row per rule (index ``rule``, in rule-name order) over the
    whole period: ``raises``, ``households`` (raised, or open on the first
    day), ``open`` (households with the alert open on some day: the load),
    ``reraises`` (raises within ``reraise_days`` of the previous clear),
    ``closed`` (alerts raised and cleared in the period),
    ``median_open_days`` and ``p90_open_days`` of those (nearest rank; NaN
    when there are none), ``raises_per_household_year`` and ``mean_open``
    (open alerts on an average day).

    ``months``: the same counts and open times per month and rule (a
    ``MultiIndex`` of a monthly ``Period`` and the rule), open times of the
    alerts raised that month.

    ``attrs``: ``start``, ``end``, ``every``, ``reraise_days``,
    ``household_years`` and the ruleset's identity.
    """

    def __init__(self, rules: pd.DataFrame, months: pd.DataFrame, attrs: Dict[str, Any]) -> None:
        self.rules = rules
        self.months = months
        self.attrs = attrs

    @classmethod
    def _from_columns(
        cls, columns: Dict[str, Any], rule_names: List[str], identity: Dict[str, Any]
    ) -> "BacktestSummary":
        month = np.asarray(columns["month"], dtype=np.int64)
        whole = month < 0
        frame = _frames.frame(
            {
                "rule": _frames.names(columns["rule"], rule_names),
                **{name: _frames.counts(columns[name]) for name in _COUNTS},
                **{
                    name: _frames.numbers(np.where(columns[name] < 0, np.nan, columns[name]))
                    for name in ("median_open_days", "p90_open_days")
                },
                "raises_per_household_year": _frames.numbers(columns["raises_per_household_year"]),
                "mean_open": _frames.numbers(columns["mean_open"]),
            }
        )
        rules = frame[whole].set_index("rule")
        months = frame[~whole].drop(columns=["raises_per_household_year", "mean_open"])
        dates = pd.DatetimeIndex(days_to_datetime64(month[~whole]))
        months.insert(0, "month", dates.to_period("M"))
        months = months.set_index(["month", "rule"])
        attrs = {**identity, "household_years": float(columns["household_years"])}
        rules.attrs.update(attrs)
        months.attrs.update(attrs)
        return cls(rules, months, attrs)

    def per_month(self, column: str = "open") -> pd.DataFrame:
        """One column of :attr:`months` as a table.

        Parameters
        ----------
        column : str, default "open"
            A column of :attr:`months`.

        Returns
        -------
        pandas.DataFrame
            A row per month, a column per rule.

        Raises
        ------
        ValueError
            For a column :attr:`months` does not have.
        """
        if column not in self.months.columns:
            raise ValueError(f"column is one of {', '.join(self.months.columns)}")
        table = self.months[column].unstack("rule")
        return table[list(self.rules.index)]

    def plot(self, column: str = "open", *, width: float = 10.0) -> "Figure":
        """A line per rule of :meth:`per_month`.

        Parameters
        ----------
        column : str, default "open"
            A column of :attr:`months` (``open``: the load).
        width : float, default 10.0
            The figure's width in inches.

        Returns
        -------
        matplotlib.figure.Figure
            The figure.
        """
        from . import plot

        return plot.summary(self, column, width=width)

    def __repr__(self) -> str:
        period = f"{self.attrs.get('start')} to {self.attrs.get('end')}"
        return f"BacktestSummary({period}, {len(self.rules)} rules)\n{self.rules!r}"


def outcome_frame(columns: Dict[str, Any], rule_names: List[str]) -> pd.DataFrame:
    """The outcome report's columns from the core as a DataFrame indexed by rule."""
    counts = ["outcomes", "warned", "raises", "followed", "cleared", "recovered"]
    measures = ["precision", "lead_days_q1", "lead_days_median", "lead_days_q3"]
    return _frames.frame(
        {
            "rule": _frames.names(columns["rule"], rule_names),
            **{c: _frames.counts(columns[c]) for c in counts[:2]},
            "recall": _frames.numbers(columns["recall"]),
            **{c: _frames.counts(columns[c]) for c in counts[2:4]},
            **{c: _frames.numbers(columns[c]) for c in measures},
            **{c: _frames.counts(columns[c]) for c in counts[4:]},
        },
        index="rule",
    )
