"""Outcomes: each rule's recall, precision and lead time against the bad
outcomes a ledger records, the same as ``earlywarn backtest --outcomes``."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import earlywarn
import earlywarn.plot
from conftest import csv_rows, run_cli

RULES = """
event filing neutral
rule owing { when balance >= 100 }
rule deep { when balance >= 100000 }
"""

ROWS = [
    ("A", "2024-03-01", "charge", 500.0),
    ("A", "2024-04-20", "filing", 0.0),
    ("B", "2024-03-01", "charge", 500.0),
    ("B", "2024-03-10", "payment", 500.0),
    ("B", "2024-12-01", "filing", 0.0),
    ("C", "2024-05-01", "charge", 500.0),
    ("C", "2024-05-10", "payment", 500.0),
]


def frame():
    return pd.DataFrame(ROWS, columns=["household", "date", "type", "amount"])


def test_the_report_is_the_cli_s(tmp_path):
    rules = earlywarn.Ruleset.from_text(RULES, name="o.rules")
    ledger = earlywarn.Ledger.from_frame(frame())
    report = rules.backtest_outcomes(ledger, "filing", "2024-03-01", "2024-12-31", horizon_days=90)
    assert list(report.index) == ["deep", "owing"]
    owing = report.loc["owing"]
    assert (owing["outcomes"], owing["warned"], owing["raises"], owing["followed"]) == (2, 1, 3, 1)
    assert owing["recall"] == 0.5 and owing["precision"] == pytest.approx(1 / 3)
    assert owing["lead_days_median"] == 50
    assert np.isnan(report.loc["deep", "precision"])
    assert report.attrs["outcome_types"] == ["filing"]
    assert report.attrs["horizon_days"] == 90
    assert report.attrs["households_with_outcomes"] == 2

    (tmp_path / "o.rules").write_text(RULES)
    frame().to_csv(tmp_path / "o.csv", index=False)
    rows = csv_rows(
        run_cli("backtest", "--rules", tmp_path / "o.rules", "--ledger", tmp_path / "o.csv",
                "--from", "2024-03-01", "--to", "2024-12-31", "--outcomes", "filing",
                "--horizon", "90")
    )
    header = rows[0]
    for row in rows[1:]:
        got = report.loc[row[0]]
        for name, text in zip(header[1:], row[1:]):
            value = got[name]
            if text == "":
                assert np.isnan(value), (row[0], name)
            elif name in ("recall", "precision"):
                assert round(value, 3) == float(text), (row[0], name)
            else:
                assert value == int(text), (row[0], name)


def test_a_misspelt_type_is_refused_and_the_plot_draws_each_rule():
    rules = earlywarn.Ruleset.from_text(RULES, name="o.rules")
    ledger = earlywarn.Ledger.from_frame(frame())
    with pytest.raises(ValueError, match="outcome type 'filng' has no event in the ledger"):
        rules.backtest_outcomes(ledger, ["filng"])
    with pytest.raises(ValueError):
        rules.backtest_outcomes(ledger, [])
    report = rules.backtest_outcomes(ledger, ["filing"], "2024-03-01", "2024-12-31",
                                     horizon_days=300)
    assert list(report["recall"]) == [0.0, 1.0]  # B's filing is 275 days after its alert
    fig = earlywarn.plot.outcomes(report)
    shares, leads = fig.axes
    assert [t.get_text() for t in shares.get_yticklabels()] == ["deep", "owing"]
    widths = [p.get_width() for p in shares.patches]
    assert widths == list(report["recall"].fillna(0)) + list(report["precision"].fillna(0))
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=50)
    assert buffer.getvalue().startswith(b"\x89PNG")
