"""Scenario files from Python (docs/rule-tests.md): ``Ruleset.test`` and
``earlywarn.test`` give what ``earlywarn test`` prints, with DataFrames of
the scenarios, failures and coverage."""

from __future__ import annotations

import pathlib

import pytest

import earlywarn
from conftest import ROOT, run_cli

SUITES = ROOT / "rules" / "tests"

SCENARIO = """
scenario "one month late" {
  ledger {
    household,date,type,amount
    H1,2024-02-01,charge,9000.00
    H2,2024-02-01,charge,9000.00
    H2,2024-02-02,payment,9000.00
  }
  on 2024-02-10 {
    H1 fires late_rent
    H2 fires nothing
  }
}
"""


def test_the_shipped_suites_pass_as_the_cli_says(rules: earlywarn.Ruleset) -> None:
    report = earlywarn.test(SUITES)
    assert report.passed and bool(report)
    assert str(report) == run_cli("test", SUITES)
    assert report.failures.empty and report.file_errors.empty
    assert list(report.scenarios.columns) == [
        "file",
        "scenario",
        "line",
        "expectations",
        "failed",
        "error",
    ]
    assert set(report.coverage["ruleset"]) == {"housing-early-warning", "weekly-rent-actions"}
    # Every rule of the shipped rulesets fires in some scenario and not in another.
    per_rule = report.coverage[report.coverage["condition"].isna()]
    assert (per_rule["true"] > 0).all() and (per_rule["false"] > 0).all()
    assert report.coverage_text() == run_cli("test", SUITES, "--coverage").split("\n\n", 1)[1]


def test_a_ruleset_tests_with_its_own_params(
    tmp_path: pathlib.Path, rules: earlywarn.Ruleset
) -> None:
    path = tmp_path / "late.scenarios"
    path.write_text(SCENARIO)
    lenient = rules.test(path)
    assert not lenient.passed
    failure = lenient.failures.iloc[0]
    assert (failure.scenario, failure.line, failure.expectation) == (
        "one month late",
        10,
        "H1 fires late_rent",
    )
    assert failure.expected == "late_rent fires for H1 as of 2024-02-10"
    assert failure.got == "it does not; no rule fires"
    assert failure.explanation.startswith("household H1 as of 2024-02-10\n")
    assert lenient.scenarios.failed.tolist() == [1]
    strict = rules.with_params(grace_days=5).test([path])
    assert strict.passed, str(strict)
    # The JUnit report is the CLI's.
    xml = tmp_path / "report.xml"
    assert lenient.junit_xml(xml) == xml.read_text()
    assert 'failures="1"' in xml.read_text()


def test_uncovered_lists_what_no_scenario_exercised(
    tmp_path: pathlib.Path, rules: earlywarn.Ruleset
) -> None:
    path = tmp_path / "late.scenarios"
    path.write_text(SCENARIO)
    report = rules.with_params(grace_days=5).test(path)
    uncovered = report.uncovered()
    assert "benefit_stopped" in set(uncovered["rule"])
    row = report.coverage[
        (report.coverage["rule"] == "late_rent") & report.coverage["condition"].isna()
    ].iloc[0]
    assert (row["true"], row["false"]) == (1, 1)


def test_a_file_that_cannot_run_is_a_file_error(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "broken.scenarios"
    path.write_text('scenario "x" {\n')
    report = earlywarn.test(path)
    assert not report.passed
    assert report.file_errors.file.tolist() == [str(path)]
    assert ":1:1: error: scenario \"x\" is not closed" in report.file_errors.error[0]
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no \\*.scenarios file"):
        earlywarn.test(tmp_path / "empty")
