"""Back-test summaries: the same figures as ``earlywarn backtest --summary``,
as DataFrames, and their plot."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import earlywarn
import earlywarn.plot
from conftest import RULES, SAMPLE, csv_rows, run_cli


def test_the_summary_equals_the_cli_s(ledger, rules):
    summary = rules.backtest_summary(ledger, "2022-03-01", "2024-06-30", reraise_days=14)
    rows = csv_rows(
        run_cli("backtest", "--rules", RULES, "--ledger", SAMPLE, "--from", "2022-03-01",
                "--to", "2024-06-30", "--summary", "--reraise-days", "14")
    )
    header, body = rows[0], rows[1:]
    whole = [dict(zip(header, r)) for r in body if r[1] == "all"]
    assert [r["rule"] for r in whole] == list(summary.rules.index) == sorted(rules.rule_names)
    for r in whole:
        got = summary.rules.loc[r["rule"]]
        for column in ("raises", "households", "open", "reraises", "closed"):
            assert got[column] == int(r[column]), (r["rule"], column)
        for column in ("median_open_days", "p90_open_days"):
            assert (np.isnan(got[column]) and r[column] == "") or got[column] == int(r[column])
        assert round(got["raises_per_household_year"], 3) == float(r["raises_per_household_year"])
        assert round(got["mean_open"], 3) == float(r["mean_open"])
    months = [dict(zip(header, r)) for r in body if r[1] != "all"]
    assert len(months) == len(summary.months) == 28 * len(rules.rule_names)
    for r in months[:40]:
        got = summary.months.loc[(pd.Period(r["month"], "M"), r["rule"])]
        assert got["open"] == int(r["open"]) and got["raises"] == int(r["raises"])
    assert summary.attrs["reraise_days"] == 14
    assert summary.attrs["household_years"] > 0
    assert summary.rules.attrs["version"] == rules.version


def test_per_month_is_a_table_of_one_column_and_the_plot_draws_it(ledger, rules):
    summary = rules.backtest_summary(ledger, every="week")
    table = summary.per_month("open")
    assert list(table.columns) == list(summary.rules.index)
    assert str(table.index[0]) == "2022-01"
    # The load per month is the caseload flags_per_month counts from the alerts.
    active = earlywarn.flags_per_month(rules.backtest(ledger, every="week"), "active")
    assert (table[active.columns].to_numpy() == active.to_numpy()).all()
    fig = summary.plot("open")
    ax = fig.axes[0]
    assert [line.get_label() for line in ax.get_lines()] == list(table.columns)
    for line, rule in zip(ax.get_lines(), table.columns):
        assert list(line.get_ydata()) == table[rule].tolist()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=50)
    assert buffer.getvalue().startswith(b"\x89PNG")
    with pytest.raises(ValueError):
        summary.per_month("nothing")
    with pytest.raises(ValueError):
        rules.backtest_summary(ledger, reraise_days=-1)
