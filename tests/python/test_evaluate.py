"""Worklists, explanations, signals and back-tests equal the CLI's on the same
ledger, rules and dates."""

from __future__ import annotations

import datetime
import json
import math

import numpy as np
import pandas as pd
import pytest

import earlywarn
from conftest import RULES, SAMPLE, csv_rows, run_cli

DATES = [None, "2022-03-10", "2023-06-15", "2024-02-29"]
PARAMS = [{}, {"grace_days": 20, "visit_days": 45}, {"minimum_arrears": 0, "silence_days": "8w"}]


def cli_args(as_of, params):
    args = [] if as_of is None else ["--as-of", as_of]
    for name, value in params.items():
        args += ["--param", f"{name}={value}"]
    return args


def assert_score(text, score):
    """The CLI prints the exact score to two decimals; Python holds the nearest float."""
    if text == "":
        assert math.isnan(score)
    else:
        assert abs(float(text) - score) <= 0.005 + 1e-12 * abs(score), (text, score)


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("as_of", DATES)
def test_evaluate_equals_earlywarn_run(ledger, as_of, params):
    rules = earlywarn.load_rules(RULES, params=params)
    frame = rules.evaluate(ledger, as_of)
    rows = csv_rows(run_cli("run", "--rules", RULES, "--ledger", SAMPLE, *cli_args(as_of, params)))
    assert rows[0] == ["household", "rule", "severity", "score", "message"]
    assert len(frame) == len(rows) - 1 > 0
    for (household, rule, severity, score, message), mine in zip(
        rows[1:], frame.itertuples(index=False)
    ):
        assert (mine.household, mine.rule, mine.severity, mine.message) == (
            household,
            rule,
            severity,
            message,
        )
        assert_score(score, mine.score)


def test_the_worklist_frame_has_types_and_identity(ledger, rules):
    frame = rules.evaluate(ledger, "2023-06-15")
    assert list(frame.columns) == ["household", "rule", "severity", "score", "message"]
    assert frame["severity"].cat.ordered
    assert list(frame["severity"].cat.categories) == list(earlywarn.SEVERITIES)
    assert list(frame["rule"].cat.categories) == rules.rule_names
    assert frame["score"].dtype == np.float64
    assert frame.attrs == {
        "as_of": datetime.date(2023, 6, 15),
        "ruleset": "housing-early-warning",
        "version": 5,
        "fingerprint": rules.fingerprint,
    }
    document = json.loads(
        run_cli("run", "--rules", RULES, "--ledger", SAMPLE, "--as-of", "2023-06-15",
                "--format", "json")
    )
    assert [r["household"] for r in document["rows"]] == frame["household"].tolist()
    assert [r["message"] for r in document["rows"]] == frame["message"].tolist()
    for r, score in zip(document["rows"], frame["score"]):
        assert_score("" if r["score"] is None else str(r["score"]), score)
    # Every rule scores by arrears: a household that never paid has a score too.
    assert not frame["score"].isna().any()


@pytest.mark.parametrize("as_of", DATES)
def test_by_household_equals_earlywarn_run_by_household(ledger, rules, as_of):
    frame = rules.evaluate(ledger, as_of, by="household")
    rows = csv_rows(
        run_cli("run", "--rules", RULES, "--ledger", SAMPLE, "--by", "household",
                *cli_args(as_of, {}))
    )
    assert rows[0] == ["household", "severity", "score", "rules", "message"]
    assert len(frame) == len(rows) - 1 > 0
    for (household, severity, score, fired, message), mine in zip(
        rows[1:], frame.itertuples(index=False)
    ):
        assert (mine.household, mine.severity, ";".join(mine.rules), mine.message) == (
            household,
            severity,
            fired,
            message,
        )
        assert_score(score, mine.score)


def test_results_do_not_depend_on_threads(ledger, rules):
    one = rules.evaluate(ledger, threads=1)
    pd.testing.assert_frame_equal(one, rules.evaluate(ledger, threads=2))
    pd.testing.assert_frame_equal(one, rules.evaluate(ledger, threads=7))
    pd.testing.assert_frame_equal(
        rules.backtest(ledger, every="week", threads=1), rules.backtest(ledger, every="week")
    )


def test_as_of_accepts_every_kind_of_date(ledger, rules):
    expected = rules.evaluate(ledger, "2023-06-15")
    for as_of in (
        datetime.date(2023, 6, 15),
        datetime.datetime(2023, 6, 15, 17, 30),
        pd.Timestamp("2023-06-15"),
        np.datetime64("2023-06-15"),
    ):
        pd.testing.assert_frame_equal(rules.evaluate(ledger, as_of), expected)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        rules.evaluate(ledger, "15.6.2023")
    with pytest.raises(TypeError):
        rules.evaluate(ledger, 20230615)
    with pytest.raises(ValueError, match="by is"):
        rules.evaluate(ledger, by="rule")
    with pytest.raises(TypeError, match="Ledger.from_frame"):
        rules.evaluate(ledger.to_frame())
    with pytest.raises(TypeError, match="Ledger"):
        rules.backtest("examples/sample-ledger.csv")


def test_changing_grace_days_changes_late_rent_counts(ledger, rules):
    counts = rules.evaluate(ledger)["rule"].value_counts()
    later = rules.with_params(grace_days=30).evaluate(ledger)["rule"].value_counts()
    assert later["late_rent"] < counts["late_rent"]
    assert later["escalate"] == counts["escalate"]  # not read by escalate


@pytest.mark.parametrize("household", ["HH0000295", "HH0000042", "HH0000000"])
@pytest.mark.parametrize("as_of", [None, "2021-06-01", "2022-01-15", "2023-06-15"])
def test_explain_equals_earlywarn_explain(ledger, rules, household, as_of):
    x = rules.explain(ledger, household, as_of)
    args = ["explain", "--rules", RULES, "--ledger", SAMPLE, "--household", household,
            *cli_args(as_of, {})]
    assert x.to_dict() == json.loads(run_cli(*args, "--format", "json"))
    assert str(x) == run_cli(*args)


def test_explanation_values(ledger, rules):
    x = rules.explain(ledger, "HH0000295")
    assert x.exists and x.as_of == datetime.date(2024, 12, 31)
    assert x.signals["balance"] == "170672.56"
    assert x.fired[-1] == "escalate"
    late = x["late_rent"]
    assert late.fired and late.score == 170672.56 and late.score_text == "170672.56"
    assert earlywarn.Reading("grace_days", "15") in late.readings
    frame = x.to_frame()
    assert set(frame["rule"]) == set(rules.rule_names)
    assert ((frame["rule"] == "late_rent") & (frame["expression"] == "arrears_days")).any()
    with pytest.raises(KeyError):
        x["no_such_rule"]
    with pytest.raises(KeyError, match="HH9"):
        rules.explain(ledger, "HH9")
    before = rules.explain(ledger, "HH0000295", "2021-01-01")
    assert not before.exists and not before.fired


@pytest.mark.parametrize("as_of", DATES)
def test_signals_equal_earlywarn_signals(ledger, rules, as_of):
    frame = rules.signals(ledger, as_of)
    rows = csv_rows(run_cli("signals", "--ledger", SAMPLE, "--rules", RULES, *cli_args(as_of, {})))
    assert rows[0] == list(frame.columns)
    mine = [
        [
            r.household,
            f"{r.balance:.2f}",
            f"{r.arrears:.2f}",
            str(r.arrears_days),
            str(r.tenure_days),
            str(r.plan_active).lower(),
            str(r.plan_breached).lower(),
        ]
        for r in frame.itertuples(index=False)
    ]
    assert mine == rows[1:]
    assert frame["plan_active"].dtype == bool and frame["arrears_days"].dtype == np.int64
    pd.testing.assert_frame_equal(ledger.signals(as_of), frame)  # no custom types here


def backtest_rows(frame):
    return [
        [r.date.strftime("%Y-%m-%d"), r.household, r.rule, r.severity, r.state, r.message]
        for r in frame.itertuples(index=False)
    ]


@pytest.mark.parametrize(
    "start, end, every",
    [
        (None, None, "day"),
        (None, None, "week"),
        (None, None, "month"),
        ("2023-01-15", "2023-09-30", "day"),
        ("2022-06-01", None, "week"),
    ],
)
def test_backtest_equals_earlywarn_backtest(ledger, rules, start, end, every):
    frame = rules.backtest(ledger, start, end, every)
    args = ["backtest", "--rules", RULES, "--ledger", SAMPLE, "--every", every]
    args += [] if start is None else ["--from", start]
    args += [] if end is None else ["--to", end]
    rows = csv_rows(run_cli(*args))
    assert rows[0] == list(frame.columns) == ["date", "household", "rule", "severity", "state",
                                              "message"]
    assert len(rows) > 1
    assert backtest_rows(frame) == rows[1:]
    # pandas writes the same bytes as the CLI.
    assert frame.to_csv(index=False, date_format="%Y-%m-%d") == run_cli(*args)
    assert frame.attrs["every"] == every
    assert frame.attrs["start"] == (ledger.first_date if start is None
                                    else datetime.date.fromisoformat(start))


def test_backtest_refuses_bad_arguments(ledger, rules):
    with pytest.raises(ValueError, match="every"):
        rules.backtest(ledger, every="fortnight")
    with pytest.raises(ValueError, match="before"):
        rules.backtest(ledger, "2024-01-02", "2024-01-01")


def test_custom_types_declared_by_the_rules_count_in_signals():
    frame = pd.DataFrame(
        {
            "household": ["A", "A", "A"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "type": ["charge", "clawback", "payment"],
            "amount": [100.0, 40.0, 10.0],
        }
    )
    ledger = earlywarn.Ledger.from_frame(frame)
    rules = earlywarn.load_rules(
        'event clawback increases\nrule owing { when arrears > 100 message "{arrears}" }'
    )
    assert rules.signals(ledger)["balance"].tolist() == [130.0]
    assert ledger.signals()["balance"].tolist() == [90.0]
    assert rules.evaluate(ledger)["message"].tolist() == ["130.00"]


def test_a_definition_prints_nothing_and_is_explained_by_name(ledger):
    declared = "event letter neutral\nevent notice neutral\n"
    rules = earlywarn.Ruleset.from_text(
        declared + "define behind = arrears_days > 15 and arrears >= 100\n"
        "define owed_twice = arrears * 2\n"
        'rule late_rent { when behind  score arrears_days  message "owes {owed_twice}" }\n'
    )
    inlined = earlywarn.Ruleset.from_text(
        declared + "rule late_rent { when arrears_days > 15 and arrears >= 100  score arrears_days\n"
        '  message "owes {arrears * 2}" }\n'
    )
    worklist = rules.evaluate(ledger, "2024-06-30")
    assert set(worklist["rule"]) == {"late_rent"}  # definitions are no rows
    assert worklist.equals(inlined.evaluate(ledger, "2024-06-30"))
    household = worklist["household"].iloc[0]
    late = rules.explain(ledger, household, "2024-06-30")["late_rent"]
    readings = {r.expression: r.value for r in late.readings}
    assert readings["behind"] == "true"
    assert late.message == inlined.explain(ledger, household, "2024-06-30")["late_rent"].message


DECISION = """event letter neutral
event notice neutral
decision next_step priority {
  rule reminder { when arrears_days > 15 and arrears >= 100  severity low }
  rule visit { when arrears_days > 60 and arrears >= 100  severity medium }
  rule specialist { when arrears_days > 90 and arrears >= 100  severity high }
}
rule escalate { when specialist and missing(days_since(contact))  severity critical }
"""


def test_a_decision_fires_one_rule_per_household_and_explains_the_others(ledger, tmp_path):
    rules = earlywarn.Ruleset.from_text(DECISION, name="decision.rules")
    assert rules.decisions == {
        "next_step": earlywarn.Decision("priority", ["specialist", "visit", "reminder"])
    }
    assert [r.decision for r in rules.rules] == ["next_step"] * 3 + [None]
    worklist = rules.evaluate(ledger, "2024-06-30")
    decided = worklist[worklist["rule"] != "escalate"]
    assert len(decided) > 0 and not decided["household"].duplicated().any()
    # The same rules as a collect decision fire every rule that holds.
    collected = earlywarn.Ruleset.from_text(DECISION.replace("priority", "collect"))
    everything = collected.evaluate(ledger, "2024-06-30")
    assert everything["household"].duplicated().any()
    household = decided.loc[decided["rule"] == "specialist", "household"].iloc[0]
    x = rules.explain(ledger, household, "2024-06-30")
    assert x["specialist"].fired and x["specialist"].outranked_by is None
    reminder = x["reminder"]
    assert reminder.holds and not reminder.fired
    assert (reminder.decision, reminder.outranked_by) == ("next_step", "specialist")
    assert "holds, but specialist takes precedence in decision next_step" in str(x)
    path = tmp_path / "decision.rules"
    path.write_text(DECISION)
    args = ["explain", "--rules", str(path), "--ledger", SAMPLE, "--household", household,
            "--as-of", "2024-06-30"]
    assert x.to_dict() == json.loads(run_cli(*args, "--format", "json"))
    assert str(x) == run_cli(*args)


HEARING_RULES = """event hearing scheduled
rule hearing_soon {
  when days_until(hearing) <= 14 and arrears > 0
  severity high
  message "Hearing in {days_until(hearing)} days"
}
"""


def hearing_ledger():
    return earlywarn.Ledger.from_frame(
        pd.DataFrame(
            {
                "household": ["A", "A", "B"],
                "date": ["2024-01-01", "2024-03-20", "2024-02-01"],
                "type": ["charge", "hearing", "charge"],
                "amount": [500.0, 0.0, 500.0],
            }
        )
    )


def test_scheduled_events_are_read_ahead_and_left_out_of_the_default_dates(tmp_path):
    rules = earlywarn.load_rules(HEARING_RULES)
    ledger = hearing_ledger()
    assert rules.scheduled_types == ["hearing"]
    # The default as-of is the latest recorded event, not the hearing.
    assert rules.evaluate(ledger).attrs["as_of"] == datetime.date(2024, 2, 1)
    assert len(rules.evaluate(ledger)) == 0
    frame = rules.evaluate(ledger, "2024-03-10")
    assert list(frame["message"]) == ["Hearing in 10 days"]
    verdict = rules.explain(ledger, "A", "2024-03-10")
    assert ("days_until(hearing)", "10") in [
        (r.expression, r.value) for r in verdict.rules[0].readings
    ]
    alerts = rules.backtest(ledger, end="2024-04-30")
    assert [(str(d.date()), s) for d, s in zip(alerts["date"], alerts["state"])] == [
        ("2024-03-06", "raised"),
        ("2024-03-21", "cleared"),
    ]
    assert rules.backtest(ledger).attrs["end"] == datetime.date(2024, 2, 1)
    # The CLI agrees, from the same rows.
    rules_file, ledger_file = tmp_path / "h.rules", tmp_path / "h.csv"
    rules_file.write_text(HEARING_RULES)
    ledger_file.write_text(
        "household,date,type,amount\nA,2024-01-01,charge,500\nA,2024-03-20,hearing,\n"
        "B,2024-02-01,charge,500\n"
    )
    rows = csv_rows(
        run_cli("run", "--rules", str(rules_file), "--ledger", str(ledger_file), "--as-of",
                "2024-03-10")
    )
    assert rows[1][4] == "Hearing in 10 days"


def test_a_backtest_from_inside_an_open_alert_reports_it_open():
    # Owing from 1 March until paid on 1 May: from 1 April the alert is open.
    rules = earlywarn.load_rules(
        'rule owing { when balance >= 100  message "owing {balance}"  clear_after 7d }'
    )
    ledger = earlywarn.Ledger.from_frame(
        pd.DataFrame(
            {
                "household": ["A", "A"],
                "date": ["2024-03-01", "2024-05-01"],
                "type": ["charge", "payment"],
                "amount": [500.0, 500.0],
            }
        )
    )
    alerts = rules.backtest(ledger, "2024-04-01", "2024-06-01")
    assert [(str(d.date()), s, m) for d, s, m in zip(alerts["date"], alerts["state"],
                                                     alerts["message"])] == [
        ("2024-04-01", "open", "owing 500.00"),
        ("2024-05-08", "cleared", "owing 0.00"),
    ]
    assert list(alerts["state"].cat.categories) == ["raised", "cleared", "open"]
    assert rules.rules[0].clear_after == "7d" and rules.rules[0].raise_after is None
    whole = rules.backtest(ledger, "2024-03-01", "2024-06-01")
    assert list(whole["state"]) == ["raised", "cleared"]
