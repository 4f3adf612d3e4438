"""Every DataFrame the package returns follows docs/python.md, DataFrames:
each public producer is walked on the bundled sample, full and empty, and
each column (and index level) must have a dtype the table in the document
gives for its name. A new producer or column that drifts, or that the table
does not name, fails here."""

from __future__ import annotations

import re
from typing import Dict, Iterator, List, Set, Tuple

import numpy as np
import pandas as pd
import pytest

import earlywarn
import earlywarn.dask
from conftest import ROOT, SAMPLE

DTYPES = {"category", "datetime64[ns]", "float64", "int64", "Int64", "bool", "object", "period[M]"}
# Frames whose columns are the rules, one per rule: checked by their values.
WIDE = ("flags_per_month", "per_month")
ATTRIBUTES = ["tenancy", "weekly_rent"]
ATTRIBUTE = "<an attribute>"

# The sample has letters and notices, which the standard rules do not declare.
pytestmark = pytest.mark.filterwarnings("ignore::earlywarn.UnknownEventTypeWarning")


def documented() -> Dict[str, Set[str]]:
    """Column name -> the dtypes docs/python.md's DataFrames table allows."""
    text = (ROOT / "docs" / "python.md").read_text()
    section = text.split("\n## DataFrames\n", 1)[1].split("\n## ", 1)[0]
    table: Dict[str, Set[str]] = {}
    for line in section.splitlines():
        cells = line.split("|")
        if len(cells) < 4 or cells[1].strip() in ("columns", "---"):
            continue
        names = re.findall(r"`([^`]+)`", cells[1])
        if "`ledger.attributes`" in cells[1]:
            names = [ATTRIBUTE]  # the columns named after the attributes
        allowed = {d for d in re.findall(r"`([^`]+)`", cells[2]) if d in DTYPES}
        assert names and allowed, line
        for name in names:
            table.setdefault(name, set()).update(allowed)
    return table


@pytest.fixture(scope="module")
def table() -> Dict[str, Set[str]]:
    return documented()


def test_the_table_is_read():
    table = documented()
    assert table["household"] == {"category"}
    assert table["date"] == {"datetime64[ns]"}
    assert table["row"] == {"Int64", "object"}
    assert len(table) > 60


def frames(rules: earlywarn.Ruleset, ledger: earlywarn.Ledger, tmp) -> Iterator[Tuple[str, pd.DataFrame]]:
    """Every public producer's frames, with rows and, where a call can give
    none, without."""
    worklist = rules.evaluate(ledger)
    household = str(worklist["household"][0])
    yield "Ledger.to_frame", ledger.to_frame()
    yield "Ledger.household", ledger.household(household)
    coded = ledger.to_frame().head(3).assign(code=["final_warning", None, "x"])
    yield "Ledger.to_frame with codes", earlywarn.Ledger.from_frame(coded).to_frame()
    yield "Ledger.signals", ledger.signals()
    yield "Ruleset.signals", rules.signals(ledger)
    yield "Ledger.unknown_types", ledger.unknown_types()  # letters and notices
    yield "Ledger.unknown_types (none)", ledger.unknown_types(rules)  # which declares them
    bad = tmp / "bad.csv"
    bad.write_text(SAMPLE.read_text() + "HX,2024-13-01,charge,10.00\n")
    with pytest.warns(earlywarn.LedgerWarning):
        yield "Ledger.rejects", earlywarn.Ledger.from_csv(bad, rejects=True).rejects
    yield "Ledger.rejects (none)", earlywarn.Ledger.from_csv(SAMPLE, rejects=True).rejects
    attributes = pd.DataFrame(
        {"household": [household, "HX"], "tenancy": ["secure", None], "weekly_rent": [95.5, 2]}
    )
    yield "Ledger.attributes", ledger.with_attributes(attributes).attributes
    yield "Ruleset.evaluate", worklist
    yield "Ruleset.evaluate (none)", rules.evaluate(ledger, "1990-01-01")
    yield "Ruleset.evaluate by household", rules.evaluate(ledger, by="household")
    yield "Ruleset.evaluate by household (none)", rules.evaluate(
        ledger, "1990-01-01", by="household"
    )
    yield "Explanation.to_frame", rules.explain(ledger, household).to_frame()
    yield "Explanation.to_frame (no events yet)", rules.explain(
        ledger, household, "1990-01-01"
    ).to_frame()
    alerts = rules.backtest(ledger, every="month")
    yield "Ruleset.backtest", alerts
    yield "Ruleset.backtest (none)", rules.backtest(ledger, "1990-01-01", "1990-01-02")
    summary = rules.backtest_summary(ledger, every="month")
    yield "BacktestSummary.rules", summary.rules
    yield "BacktestSummary.months", summary.months
    yield "BacktestSummary.per_month", summary.per_month("open")
    yield "flags_per_month", earlywarn.flags_per_month(alerts)
    yield "Ruleset.backtest_outcomes", rules.backtest_outcomes(ledger, "notice", every="month")
    later = rules.with_params(grace_days=30)
    comparison = earlywarn.compare(rules, later, ledger, every="month")
    yield "Comparison.rules", comparison.rules
    yield "Comparison.households", comparison.households
    yield "Comparison.households (none)", earlywarn.compare(
        rules, rules, ledger, every="month"
    ).households
    yield "sweep", earlywarn.sweep(rules, ledger, "grace_days", [10, 20], every="month")
    stream = earlywarn.Stream(rules)
    events = ledger.to_frame().sort_values("date", kind="stable")
    pushed = stream.push_frame(events) + stream.finish()
    assert pushed
    yield "Stream.alerts_frame", stream.alerts_frame(pushed)
    yield "Stream.alerts_frame (none)", stream.alerts_frame([])
    report = rules.test(ROOT / "rules" / "tests" / "housing-early-warning.scenarios")
    yield "ScenarioReport.scenarios", report.scenarios
    yield "ScenarioReport.failures", report.failures
    yield "ScenarioReport.file_errors", report.file_errors
    yield "ScenarioReport.coverage", report.coverage
    yield "ScenarioReport.uncovered", report.uncovered()
    broken = tmp / "broken.scenarios"
    broken.write_text("scenario nothing {\n  expect nonsense\n}\n")
    failed = rules.test(broken)
    yield "ScenarioReport.file_errors (a file)", failed.file_errors
    yield "dask.evaluate", earlywarn.dask.evaluate(ledger.to_frame(), rules, npartitions=2)
    yield "dask.signals", earlywarn.dask.signals(ledger.to_frame(), npartitions=2)


def _levels(frame: pd.DataFrame) -> List[Tuple[str, object]]:
    out = []
    if isinstance(frame.index, pd.MultiIndex):
        out = [(str(n), frame.index.levels[i].dtype) for i, n in enumerate(frame.index.names)]
        # A level's own dtype is that of its values.
        out = [(n, frame.index.get_level_values(n).dtype) for n, _ in out]
    elif frame.index.name is not None:
        out = [(str(frame.index.name), frame.index.dtype)]
    return out


def _name(column: str) -> str:
    return re.sub(r"_(before|after)$", "", column)


def test_every_frame_follows_the_table(rules, ledger, tmp_path, table):
    seen: Set[str] = set()
    checked = 0
    produced = list(frames(rules, ledger, tmp_path))
    for where, frame in produced:
        assert isinstance(frame, pd.DataFrame), where
        if where.endswith(WIDE):
            assert set(map(str, frame.columns)) <= set(rules.rule_names), where
            assert all(str(d) in ("int64", "float64") for d in frame.dtypes), (where, frame.dtypes)
            continue
        columns = [(str(c), frame[c].dtype) for c in frame.columns] + _levels(frame)
        for column, dtype in columns:
            name = _name(column)
            if where == "Ledger.attributes" and name in ATTRIBUTES:
                name = ATTRIBUTE
            assert name in table, f"{where}: column {column!r} is not in docs/python.md, DataFrames"
            shown = "period[M]" if isinstance(dtype, pd.PeriodDtype) else str(dtype)
            assert shown in table[name], f"{where}: {column} is {shown}, not {table[name]}"
            checked += 1
            seen.add(name)
            if isinstance(dtype, pd.CategoricalDtype):
                _check_categories(where, column, dtype, rules)
    assert checked > 150
    # Every name the table gives is met somewhere, so the table holds no stale column.
    assert set(table) - seen == set(), set(table) - seen


def _check_categories(where: str, column: str, dtype: pd.CategoricalDtype, rules) -> None:
    categories = list(dtype.categories)
    assert dtype.categories.dtype == object, (where, column)
    if column == "severity":
        assert dtype.ordered and categories == list(earlywarn.SEVERITIES), where
    elif column == "rule" and not where.startswith(("Comparison", "ScenarioReport")):
        assert categories == rules.rule_names, where
    elif column == "household":
        assert categories == sorted(categories), where
    elif column == "state":
        assert categories == ["raised", "cleared", "open"], where


def test_frames_with_rows_and_without_agree(rules, ledger, tmp_path):
    by_kind: Dict[str, Dict[str, str]] = {}
    produced = list(frames(rules, ledger, tmp_path))
    for where, frame in produced:
        kind = where.split(" (")[0]
        dtypes = {str(c): str(d) for c, d in frame.dtypes.items()}
        if kind in by_kind and kind != "ScenarioReport.file_errors":
            assert dtypes == by_kind[kind], where
        by_kind.setdefault(kind, dtypes)
    empty = [w for w, f in produced if f.empty]
    assert len(empty) >= 8, empty


def test_frames_the_package_returns_are_taken_back(rules, ledger):
    frame = ledger.to_frame()
    assert Ledger_equal(earlywarn.Ledger.from_frame(frame), ledger)
    text = frame.assign(
        household=frame["household"].astype(str),
        type=frame["type"].astype(str),
        date=frame["date"].dt.date,
    )
    assert Ledger_equal(earlywarn.Ledger.from_frame(text), ledger)
    alerts = rules.backtest(ledger, every="month")
    as_text = alerts.astype({"household": str, "rule": str, "state": str})
    from_text = earlywarn.flags_per_month(as_text)[rules.rule_names]
    typed = earlywarn.flags_per_month(alerts)[rules.rule_names]
    assert np.array_equal(from_text.to_numpy(), typed.to_numpy())
    assert from_text.index.equals(typed.index)


def Ledger_equal(a: earlywarn.Ledger, b: earlywarn.Ledger) -> bool:
    return a.to_frame().equals(b.to_frame())


def test_a_worklist_s_columns(rules, ledger):
    worklist = rules.evaluate(ledger)
    assert list(worklist["household"].cat.categories) == sorted(set(worklist["household"]))
    assert worklist["household"].cat.categories.isin(ledger.households).all()
    # Counting by rule shows every rule, those that never fired with 0.
    assert list(worklist["rule"].value_counts(sort=False).index) == rules.rule_names


def test_explanation_values_are_typed(rules, ledger):
    worklist = rules.evaluate(ledger)
    frame = rules.explain(ledger, str(worklist["household"][0])).to_frame()
    texts = frame["text"].tolist()
    values = frame["value"].tolist()
    for text, value in zip(texts, values):
        if text in ("true", "false"):
            assert value is (text == "true")
        elif re.fullmatch(r"-?\d+", text):
            assert isinstance(value, int) and value == int(text)
        elif re.fullmatch(r"-?\d+\.\d+", text):
            assert isinstance(value, float) and value == float(text)
    kinds = {type(v) for v in values}
    assert {bool, int, float} <= kinds


def test_reading_values():
    from earlywarn.explain import _reading_column, reading_value

    assert reading_value("n/a", "number") is None
    assert reading_value("n/a", "text") is None
    assert reading_value("-12", "number") == -12 and isinstance(reading_value("-12", "number"), int)
    assert reading_value("17065.00", "number") == 17065.0
    assert reading_value("true", "boolean") is True
    assert reading_value("2024-07-01", "date") == pd.Timestamp("2024-07-01")
    # A text stays text, however it looks.
    assert reading_value("42", "text") == "42"
    assert reading_value("2024-07-01", "text") == "2024-07-01"
    assert reading_value("final_warning", "text") == "final_warning"
    assert _reading_column([1, 2.5, None]).dtype == np.float64
    assert _reading_column([True, False]).dtype == bool
    assert _reading_column([True, None]).dtype == object
    assert _reading_column([True, 3]).dtype == object


def test_stream_alerts_frame_equals_the_backtest(rules, ledger):
    stream = earlywarn.Stream(rules)
    events = ledger.to_frame().sort_values("date", kind="stable")
    backtest = rules.backtest(ledger)
    alerts = stream.push_frame(events) + stream.finish()
    frame = stream.alerts_frame(alerts)
    raised = frame[frame["state"] == "raised"]
    expected = backtest[backtest["state"] == "raised"]
    key = ["date", "household", "rule"]
    a = raised[key].astype({"household": str, "rule": str}).sort_values(key, ignore_index=True)
    b = expected[key].astype({"household": str, "rule": str}).sort_values(key, ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(ValueError, match="'no_such_rule' is not one of"):
        stream.alerts_frame([alerts[0]._replace(rule="no_such_rule")])
