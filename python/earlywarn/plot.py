"""Pictures for analysts (matplotlib).

Each function returns a :class:`matplotlib.figure.Figure` made without
pyplot, so nothing depends on a display or on pyplot's global state: save it
with ``fig.savefig("household.png")``, or let a notebook show it.
"""

from __future__ import annotations

from typing import Dict, List, Optional

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter

from . import _core
from ._dates import DateLike, day_or_default, to_date, to_day
from .ledger import Ledger
from .rules import SEVERITIES, Ruleset
from .summaries import BacktestSummary, flags_per_month

# Severity colours, from calm to alarming.
SEVERITY_COLOURS: Dict[str, str] = {
    "info": "#7f8c8d",
    "low": "#f1c40f",
    "medium": "#e67e22",
    "high": "#d35400",
    "critical": "#c0392b",
}
_CHARGE = "#c0392b"
_PAYMENT = "#27ae60"


def household(
    ledger: Ledger,
    household: str,
    rules: Optional[Ruleset] = None,
    *,
    end: Optional[DateLike] = None,
    width: float = 10.0,
) -> Figure:
    """A household's story: the balance over time with its charges and payments.

    Given ``rules``, also when each rule was raised and cleared (a day-by-day
    back-test of this household). The time axis runs from the household's
    first event to ``end``. Contacts, plans and other events without money are
    marked as ticks.

    Parameters
    ----------
    ledger : Ledger
        The events.
    household : str
        The household id.
    rules : Ruleset, optional
        Rules whose alerts are drawn in a lane each.
    end : str or datetime.date or numpy.datetime64, optional
        The last day shown (default: the ledger's latest recorded date,
        scheduled events of ``rules`` aside).
    width : float, default 10.0
        The figure's width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        The figure (made without pyplot).

    Raises
    ------
    KeyError
        For a household the ledger does not hold.

    Examples
    --------
    >>> earlywarn.plot.household(ledger, "HH0000123", rules).savefig("household.png")
    """
    events = ledger.household(household)
    latest = (
        ledger._core.last_date
        if rules is None
        else _core.latest_recorded_date(ledger._core, rules._core)
    )
    last_day = day_or_default(end, latest, "end")
    first_day = to_day(events["date"].iloc[0])
    dates = events["date"]
    effect = np.array(
        [
            (rules.effect_of(t) if rules is not None else _core.effect_of_builtin(t))
            for t in events["type"].astype(str)
        ],
        dtype=np.int64,
    )
    cents = np.rint(events["amount"].to_numpy() * 100).astype(np.int64)
    moves = pd.Series(cents * effect, index=dates).groupby(level=0).sum()
    balance = moves.cumsum() / 100
    end_date = pd.Timestamp(to_date(last_day))

    lanes = rules.rule_names if rules is not None else []
    heights = [3, 1.4] + ([0.35 * len(lanes) + 0.4] if lanes else [])
    fig = Figure(figsize=(width, sum(heights) + 1.2), layout="constrained")
    axes = fig.subplots(len(heights), 1, sharex=True, gridspec_kw={"height_ratios": heights})
    ax_balance, ax_money = axes[0], axes[1]

    # Balance: a step that holds until the next day with money moving.
    x = list(balance.index) + [end_date]
    y = list(balance.to_numpy()) + [balance.iloc[-1]]
    ax_balance.step(x, y, where="post", color="#2c3e50", linewidth=1.6, label="balance")
    ax_balance.fill_between(x, y, 0, step="post", where=[v > 0 for v in y], color=_CHARGE,
                            alpha=0.12, label="owed")
    ax_balance.axhline(0, color="#95a5a6", linewidth=0.8)
    neutral = events[effect == 0]
    for kind, style in (("contact", ("#2980b9", ":")), ("plan", ("#8e44ad", "--"))):
        when = neutral.loc[neutral["type"].astype(str) == kind, "date"]
        for i, d in enumerate(when):
            ax_balance.axvline(d, color=style[0], linestyle=style[1], linewidth=1,
                               label=kind if i == 0 else None)
    ax_balance.set_ylabel("balance owed")
    ax_balance.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax_balance.set_title(f"Household {household}: balance, charges and payments"
                         + (f" — rules {rules.name!r}" if rules is not None else ""),
                         loc="left")
    ax_balance.legend(loc="upper left", fontsize="small", ncol=4)

    # Money in and out: charges up, payments and credits down.
    up = events[effect > 0].groupby("date")["amount"].sum()
    down = events[effect < 0].groupby("date")["amount"].sum()
    bar = pd.Timedelta(days=4)
    ax_money.bar(up.index, up.to_numpy(), width=bar, color=_CHARGE, label="charges")
    ax_money.bar(down.index, -down.to_numpy(), width=bar, color=_PAYMENT,
                 label="payments and credits")
    other = neutral.loc[~neutral["type"].astype(str).isin(["contact", "plan"]), "date"]
    if len(other):
        ax_money.plot(other, np.zeros(len(other)), "|", color="#34495e", markersize=10,
                      label="other events")
    ax_money.axhline(0, color="#95a5a6", linewidth=0.8)
    ax_money.set_ylabel("per day")
    ax_money.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax_money.legend(loc="lower left", bbox_to_anchor=(0, 1), fontsize="small", ncol=3,
                    frameon=False, borderaxespad=0.1)

    if lanes:
        ax_rules = axes[2]
        alerts = rules.backtest(  # type: ignore[union-attr]
            ledger.subset([household]), to_date(first_day), to_date(last_day)
        )
        _rule_lanes(ax_rules, alerts, lanes, end_date, rules)  # type: ignore[arg-type]
    axes[-1].set_xlim(pd.Timestamp(to_date(first_day)) - pd.Timedelta(days=10),
                      end_date + pd.Timedelta(days=10))
    return fig


def _rule_lanes(
    ax: Axes, alerts: pd.DataFrame, lanes: List[str], end_date: pd.Timestamp, rules: Ruleset
) -> None:
    level = {r.name: r.severity for r in rules.rules}
    for lane, name in enumerate(lanes):
        mine = alerts[alerts["rule"] == name]
        opened = None
        spans = []
        for date, state in zip(mine["date"], mine["state"]):
            if state == "raised":
                opened = date
            elif opened is not None:
                spans.append((opened, date))
                opened = None
        if opened is not None:
            spans.append((opened, end_date))
        colour = SEVERITY_COLOURS[level[name]]
        for start, stop in spans:
            ax.barh(lane, stop - start, left=start, height=0.6, color=colour, alpha=0.85)
            ax.plot([start], [lane], marker=">", color="black", markersize=4)
    ax.set_yticks(range(len(lanes)), lanes, fontsize="small")
    ax.set_ylim(len(lanes) - 0.5, -0.5)
    ax.set_ylabel("alerts")
    ax.grid(axis="x", color="#ecf0f1")
    handles = [
        Patch(color=SEVERITY_COLOURS[s], label=s)
        for s in SEVERITIES
        if s in {level[n] for n in lanes}
    ]
    ax.legend(handles=handles, loc="lower right", bbox_to_anchor=(1, 1), fontsize="small",
              ncol=len(handles), frameon=False, borderaxespad=0.1)
    ax.set_title("alerts: raised ▸ until cleared, by severity", loc="left", fontsize="small")


def _distinct_colours(ax: Axes, lines: int) -> None:
    # The default cycle repeats after ten colours; the standard ruleset has twelve rules.
    if lines > 10:
        ax.set_prop_cycle(color=list(colormaps["tab20"].colors)[:lines])


def backtest(
    alerts: pd.DataFrame, *, kind: str = "raised", width: float = 10.0
) -> Figure:
    """How many households each rule flagged per month in a back-test: one line per rule.

    Parameters
    ----------
    alerts : pandas.DataFrame
        The alerts of :meth:`Ruleset.backtest`.
    kind : {"raised", "active"}, default "raised"
        As in :func:`earlywarn.flags_per_month`: new flags, or open alerts (the
        caseload).
    width : float, default 10.0
        The figure's width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    table = flags_per_month(alerts, kind)
    what = "newly flagged" if kind == "raised" else "with an open alert"
    return _per_month(table, f"Households {what} per month", "households",
                      alerts.attrs.get("ruleset"), width)


def _per_month(
    table: pd.DataFrame, title: str, ylabel: str, ruleset: Optional[str], width: float
) -> Figure:
    # A line per rule (column) over the months (index).
    fig = Figure(figsize=(width, 4.8), layout="constrained")
    ax = fig.subplots()
    _distinct_colours(ax, len(table.columns))
    x = table.index.to_timestamp()
    for rule in table.columns:
        ax.plot(x, table[rule].to_numpy(), marker="o", markersize=3, linewidth=1.4, label=rule)
    ax.set_title(title + (f" — rules {ruleset!r}" if ruleset else ""), loc="left")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.grid(color="#ecf0f1")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize="small", frameon=False)
    return fig


_SUMMARY_LABELS = {
    "open": "households with the alert open",
    "mean_open": "alerts open on an average day",
    "raises": "alerts raised",
    "households": "households raised",
    "reraises": "alerts raised again soon after a clear",
    "closed": "alerts raised and cleared",
    "median_open_days": "median days open",
    "p90_open_days": "90th percentile of days open",
}


def summary(summary: BacktestSummary, column: str = "open", *, width: float = 10.0) -> Figure:
    """One column of a back-test summary per month, a line per rule.

    Parameters
    ----------
    summary : BacktestSummary
        From :meth:`Ruleset.backtest_summary`.
    column : str, default "open"
        A column of ``summary.months`` (``open``: the caseworkers' load).
    width : float, default 10.0
        The figure's width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    label = _SUMMARY_LABELS.get(column, column)
    return _per_month(summary.per_month(column), f"{label[0].upper()}{label[1:]} per month",
                      label, summary.attrs.get("ruleset"), width)


def outcomes(report: pd.DataFrame, *, width: float = 10.0) -> Figure:
    """A rule's record against outcomes: recall and precision, and the lead time.

    The lead time from the alert to the outcome is drawn as quartiles, the
    median marked.

    Parameters
    ----------
    report : pandas.DataFrame
        From :meth:`Ruleset.backtest_outcomes`.
    width : float, default 10.0
        The figure's width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    fig = Figure(figsize=(width, 0.45 * len(report) + 1.6), layout="constrained")
    shares, leads = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(report))
    shares.barh(y - 0.2, report["recall"].fillna(0), height=0.4, label="recall", color="#2e86c1")
    shares.barh(y + 0.2, report["precision"].fillna(0), height=0.4, label="precision",
                color="#e67e22")
    shares.set_yticks(y, list(report.index))
    shares.invert_yaxis()
    shares.set_xlim(0, 1)
    shares.set_xlabel("share")
    shares.legend(loc="lower right", fontsize="small", frameon=False)
    q1, median, q3 = (report[c].to_numpy(float) for c in
                      ("lead_days_q1", "lead_days_median", "lead_days_q3"))
    known = ~np.isnan(median)
    leads.hlines(y[known], q1[known], q3[known], color="#7f8c8d", linewidth=6)
    leads.plot(median[known], y[known], "|", color="black", markersize=14)
    leads.set_xlabel("days from the alert to the outcome (quartiles, median)")
    leads.set_xlim(left=0)
    types = ", ".join(report.attrs.get("outcome_types", []))
    horizon = report.attrs.get("horizon_days")
    fig.suptitle(f"Warning of {types or 'outcomes'} within {horizon} days", x=0.02, ha="left")
    for ax in (shares, leads):
        ax.grid(axis="x", color="#ecf0f1")
    return fig


def tradeoff(
    table: pd.DataFrame,
    rule: str,
    *,
    x: str = "mean_open",
    y: Optional[str] = None,
    width: float = 7.0,
) -> Figure:
    """One rule's trade-off over a param sweep: a point per value.

    Each point is labelled with its value and, with outcomes, the median lead
    time.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`earlywarn.sweep`.
    rule : str
        The rule drawn.
    x : str, default "mean_open"
        The column across (default the load: alerts open on an average day).
    y : str, optional
        The column up (default ``recall``, or ``raises_per_household_year``
        without outcomes).
    width : float, default 7.0
        The figure's width in inches.

    Returns
    -------
    matplotlib.figure.Figure
        The figure.
    """
    rows = table.xs(rule, level="rule")
    if y is None:
        y = "recall" if "recall" in rows.columns else "raises_per_household_year"
    fig = Figure(figsize=(width, 4.8), layout="constrained")
    ax = fig.subplots()
    ax.plot(rows[x].to_numpy(float), rows[y].to_numpy(float), marker="o", color="#2e86c1")
    for value, row in rows.iterrows():
        label = f"{table.attrs.get('param', 'value')}={value}"
        if "lead_days_median" in rows.columns and not np.isnan(row["lead_days_median"]):
            label += f", lead {row['lead_days_median']:.0f} d"
        ax.annotate(label, (row[x], row[y]), textcoords="offset points", xytext=(6, 4),
                    fontsize="small")
    ax.margins(x=0.2, y=0.1)  # room for the labels of the last points
    ax.set_xlabel(_SUMMARY_LABELS.get(x, x.replace("_", " ")))
    ax.set_ylabel(y.replace("_", " "))
    ax.set_title(f"Rule {rule!r} as {table.attrs.get('param', 'the param')} changes", loc="left")
    ax.grid(color="#ecf0f1")
    return fig
