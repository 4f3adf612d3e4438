"""Household attributes from Python (docs/python.md, Household attributes):
every kind read from a DataFrame or an attributes CSV, no value, the rules
reading them through evaluate, explain, backtest and the stream, and the
errors that name the household, the attribute and the text, or the row."""

from __future__ import annotations

import datetime
import decimal
import json
import pickle

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import earlywarn
from conftest import run_cli

# Most tests give some of the attributes RULES declares; one checks the warning.
pytestmark = pytest.mark.filterwarnings(
    "ignore:the ledger's attributes have no column:earlywarn.LedgerWarning"
)

RULES = """
attribute weekly_rent money
attribute tenancy text
attribute vulnerable flag
attribute review date
attribute adults count
attribute notice days
attribute share number

rule two_weeks_behind {
  when arrears >= 2 * weekly_rent
  message "owing {arrears}, rent {weekly_rent}, {tenancy}"
}
rule vulnerable_in_arrears { when vulnerable and arrears > 0  severity high }
rule secure_tenancy { when tenancy == "secure" and arrears > 0  severity low }
rule no_rent_known { when missing(weekly_rent)  severity info }
rule review_due { when days_until(review) <= 7 and adults >= 1 and notice == 28 and share < 1 }
"""

# A: owes 200 in January 2024; B owes 50.
EVENTS = pd.DataFrame(
    {
        "household": ["A", "A", "B"],
        "date": ["2024-01-01", "2024-01-10", "2024-01-01"],
        "type": ["charge", "charge", "charge"],
        "amount": [100.0, 100.0, 50.0],
    }
)
AS_OF = "2024-02-28"


@pytest.fixture(scope="module")
def rules() -> earlywarn.Ruleset:
    return earlywarn.load_rules(RULES)


def attributes(**columns) -> pd.DataFrame:
    """Attributes of A and B: rent 95.50 for A and 150 for B unless given."""
    frame = pd.DataFrame({"household": ["A", "B"], "weekly_rent": [95.5, 150.0]})
    for name, values in columns.items():
        frame[name] = values
    return frame


def read(rules, frame, household="A"):
    """The attribute values as the rules read them (explain), by name."""
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=frame)
    return rules.explain(ledger, household, AS_OF).attributes


# -- every kind from a frame ------------------------------------------------------------


def test_the_rules_declare_each_kind(rules):
    assert rules.attributes == {
        "weekly_rent": "money", "tenancy": "text", "vulnerable": "flag", "review": "date",
        "adults": "count", "notice": "days", "share": "number",
    }
    assert earlywarn.load_rules("rule r { when arrears > 0 }").attributes == {}


def test_every_kind_is_read_from_the_frame(rules):
    frame = attributes(
        tenancy=["secure", "flexible"],
        vulnerable=[True, False],
        review=pd.to_datetime(["2024-03-01", "2023-12-24"]),
        adults=np.array([2, 0], dtype=np.int64),
        notice=[28, 14],
        share=[0.75, 2.0],
    )
    assert read(rules, frame) == {
        "weekly_rent": "95.50",
        "tenancy": "secure",
        "vulnerable": "true",
        "review": "2024-03-01",
        "adults": "2",
        "notice": "28",
        "share": "0.75",
    }
    assert read(rules, frame, "B") == {
        "weekly_rent": "150.00",
        "tenancy": "flexible",
        "vulnerable": "false",
        "review": "2023-12-24",
        "adults": "0",
        "notice": "14",
        "share": "2",
    }


def test_text_values_are_read_by_their_kind(rules):
    frame = pd.DataFrame(
        {
            "household": ["A", "B"],
            "weekly_rent": ["95.50", decimal.Decimal("-12")],
            "vulnerable": ["yes", "No"],
            "review": ["2024-03-01", datetime.date(2025, 1, 31)],
            "share": ["0.25", decimal.Decimal("1E+1")],
        }
    )
    assert read(rules, frame)["weekly_rent"] == "95.50"
    assert read(rules, frame)["vulnerable"] == "true"
    assert read(rules, frame, "B")["vulnerable"] == "false"
    assert read(rules, frame, "B")["weekly_rent"] == "-12.00"
    assert read(rules, frame, "B")["review"] == "2025-01-31"
    assert read(rules, frame)["share"] == "0.25"
    assert read(rules, frame, "B")["share"] == "10"


def test_python_values_become_the_text_a_csv_would_hold():
    frame = pd.DataFrame(
        {
            "household": [7, 8, 9],  # integer ids read as their digits
            "floats": [95.5, 2.0, np.nan],
            "ints": np.array([1, -2, 30], dtype=np.int32),
            "bools": [True, False, True],
            "nullable": pd.array([True, None, False], dtype="boolean"),
            "dates": pd.to_datetime(["2024-03-01 17:30", None, "0999-01-02"], errors="coerce"),
            "local": pd.to_datetime(["2024-03-01 23:30"] * 3).tz_localize("Europe/Prague"),
            "objects": [np.bool_(True), pd.Timestamp("2024-05-06 08:00"), pd.NA],
            "small": [1e-7, 1e16, -0.5],
        }
    )
    got = earlywarn.Ledger.from_frame(EVENTS, attributes=frame).attributes
    assert got.to_dict("list") == {
        "household": ["7", "8", "9"],
        "floats": ["95.5", "2", None],
        "ints": ["1", "-2", "30"],
        "bools": ["true", "false", "true"],
        "nullable": ["true", None, "false"],
        "dates": ["2024-03-01", None, None],  # 0999 is beyond what pandas holds: NaT
        "local": ["2024-03-01"] * 3,  # the local date, not the UTC one
        "objects": ["true", "2024-05-06", None],
        "small": ["0.0000001", "10000000000000000", "-0.5"],
    }


def test_missing_values_are_no_value(rules):
    frame = pd.DataFrame(
        {
            "household": ["A", "B"],
            "weekly_rent": [np.nan, None],
            "tenancy": ["", pd.NA],
            "vulnerable": pd.array([None, None], dtype="boolean"),
            "review": pd.to_datetime([None, None]),
            "adults": pd.array([None, 1], dtype="Int64"),
        }
    )
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=frame)
    x = rules.explain(ledger, "A", AS_OF)
    assert set(x.attributes.values()) == {"n/a"}
    assert x.fired == ["no_rent_known"]
    assert rules.explain(ledger, "B", AS_OF).attributes["adults"] == "1"
    assert ledger.attributes["tenancy"].tolist() == [None, None]


def test_an_index_named_household_holds_the_ids(rules):
    frame = attributes().set_index("household")
    assert read(rules, frame)["weekly_rent"] == "95.50"


# -- rules reading them -------------------------------------------------------------------


def test_a_rule_fires_on_an_attribute_through_evaluate(rules):
    without = rules.evaluate(earlywarn.Ledger.from_frame(EVENTS), AS_OF)
    assert "two_weeks_behind" not in set(without["rule"])
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=attributes(tenancy=["secure", None]))
    worklist = rules.evaluate(ledger, AS_OF)
    fired = worklist[worklist["rule"] == "two_weeks_behind"]
    # A owes 200 >= 2 * 95.50; B owes 50 < 2 * 150.
    assert fired["household"].tolist() == ["A"]
    assert fired["message"].tolist() == ["owing 200.00, rent 95.50, secure"]
    secure = worklist[worklist["rule"] == "secure_tenancy"]
    assert secure["household"].tolist() == ["A"]


def test_explain_shows_the_attributes_as_the_cli_does(rules, tmp_path):
    rules_file = tmp_path / "a.rules"
    rules_file.write_text(RULES)
    ledger_file = tmp_path / "ledger.csv"
    EVENTS.to_csv(ledger_file, index=False)
    attributes_file = tmp_path / "attributes.csv"
    attributes_file.write_text(
        "household,weekly_rent,tenancy,vulnerable,review\nA,95.50,secure,yes,2024-03-01\nB,,,,\n"
    )
    rules = earlywarn.load_rules(rules_file)
    ledger = earlywarn.Ledger.from_csv(ledger_file, attributes=attributes_file)
    x = rules.explain(ledger, "A", AS_OF)
    args = ["explain", "--rules", rules_file, "--ledger", ledger_file, "--attributes",
            attributes_file, "--household", "A", "--as-of", AS_OF]
    assert str(x) == run_cli(*args)
    assert x.to_dict() == json.loads(run_cli(*args, "--format", "json"))
    assert "\nattributes\n  weekly_rent     95.50\n  tenancy         secure\n" in str(x)
    assert "attributes={'weekly_rent': '95.50'" in repr(x)
    # Typed as the CLI's JSON types them: no value is None, a date is text.
    typed = x.to_dict()["attributes"]
    assert typed["adults"] is None
    assert (typed["weekly_rent"], typed["tenancy"], typed["vulnerable"], typed["review"]) == (
        95.5, "secure", True, "2024-03-01")
    kinds = {r.expression: r.kind for r in x.readings["attributes"]}
    assert (kinds["weekly_rent"], kinds["tenancy"], kinds["vulnerable"], kinds["review"]) == (
        "number", "text", "boolean", "date")


@pytest.mark.filterwarnings("ignore::earlywarn.UnknownEventTypeWarning")
def test_rules_without_attributes_explain_none(ledger):
    rules = earlywarn.load_rules("rule owes { when arrears > 0 }")
    x = rules.explain(ledger, ledger.households[0])
    assert x.attributes == {} and "attributes" not in str(x)
    assert x.to_dict()["attributes"] == {}


def test_backtest_reads_the_attributes(rules):
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=attributes(vulnerable=[True, False]))
    history = rules.backtest(ledger, end=AS_OF)
    vulnerable = history[history["rule"] == "vulnerable_in_arrears"]
    assert vulnerable[["household", "state"]].values.tolist() == [["A", "raised"]]
    assert vulnerable["date"].tolist() == [pd.Timestamp("2024-01-01")]


# -- ledgers with attributes ------------------------------------------------------------


def test_with_attributes_leaves_the_original_as_it_was(rules):
    plain = earlywarn.Ledger.from_frame(EVENTS)
    given = plain.with_attributes(attributes())
    assert plain.attributes is None
    assert rules.explain(plain, "A", AS_OF).attributes["weekly_rent"] == "n/a"
    assert rules.explain(given, "A", AS_OF).attributes["weekly_rent"] == "95.50"
    assert_frame_equal(given.to_frame(), plain.to_frame())
    # Replacing: the attributes given last are the only ones.
    again = given.with_attributes(pd.DataFrame({"household": ["B"], "tenancy": ["secure"]}))
    assert again.attributes.columns.tolist() == ["household", "tenancy"]
    assert given.attributes.columns.tolist() == ["household", "weekly_rent"]


def test_the_attributes_round_trip_through_frames(rules):
    frame = attributes(tenancy=["secure", None], review=["2024-03-01", ""])
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=frame)
    shown = ledger.attributes
    assert shown.columns.tolist() == ["household", "weekly_rent", "tenancy", "review"]
    assert isinstance(shown.dtypes["household"], pd.CategoricalDtype)
    assert shown.dtypes.tolist()[1:] == [object] * 3
    assert shown.values.tolist() == [
        ["A", "95.5", "secure", "2024-03-01"],
        ["B", "150", None, None],
    ]
    again = earlywarn.Ledger.from_frame(ledger.to_frame(), attributes=shown)
    assert_frame_equal(again.attributes, shown)
    assert_frame_equal(rules.evaluate(again, AS_OF), rules.evaluate(ledger, AS_OF))


def test_a_subset_keeps_its_households_attributes(rules):
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=attributes())
    only_a = ledger.subset(["A"])
    assert only_a.attributes.values.tolist() == [["A", "95.5"]]
    whole = rules.evaluate(ledger, AS_OF)
    expected = whole[whole["household"] == "A"].reset_index(drop=True)
    assert "two_weeks_behind" in set(expected["rule"])
    assert_frame_equal(rules.evaluate(only_a, AS_OF), expected)


def test_a_household_given_twice_names_its_row():
    frame = pd.DataFrame({"household": ["A", "B", "A"], "weekly_rent": [1, 2, 3]},
                         index=[10, 20, 30])
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_frame(EVENTS, attributes=frame)
    e = caught.value
    assert (e.row, e.index, e.field) == (2, 30, "household")
    assert "household 'A' is given twice (first at row 0, index 10)" in str(e)
    assert str(e).startswith("row 2 (index 30), column 'household': ")


@pytest.mark.parametrize(
    "ids, reason",
    [(["A", ""], "household id is empty"), (["A", None], "household id is missing"),
     (["A", "x" * 65], "household id is longer than 64 bytes")],
)
def test_a_bad_household_id_names_its_row(ids, reason):
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_frame(EVENTS, attributes=pd.DataFrame({"household": ids, "x": 1}))
    assert (caught.value.row, caught.value.field, caught.value.reason) == (1, "household", reason)


def test_frames_that_are_no_attributes_are_refused():
    with pytest.raises(KeyError, match="no column 'household'"):
        earlywarn.Ledger.from_frame(EVENTS, attributes=pd.DataFrame({"id": ["A"], "x": [1]}))
    with pytest.raises(TypeError, match=r"row 1 \(index 1\), column 'x'.*not timedelta"):
        earlywarn.Ledger.from_frame(
            EVENTS, attributes=pd.DataFrame({"household": ["A", "B"],
                                             "x": [1, datetime.timedelta(1)]}))
    with pytest.raises(TypeError, match="not list"):
        earlywarn.Ledger.from_frame(EVENTS, attributes=[("A", 1)])
    two = pd.DataFrame([["A", 1, 2]], columns=["household", "x", "x"])
    with pytest.raises(earlywarn.LedgerError, match="two columns 'x'"):
        earlywarn.Ledger.from_frame(EVENTS, attributes=two)


def test_a_declared_attribute_without_a_column_is_warned_about(rules):
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=attributes())
    with pytest.warns(earlywarn.LedgerWarning, match="no column 'tenancy', 'vulnerable'"):
        rules.evaluate(ledger, AS_OF)
    with pytest.warns(earlywarn.LedgerWarning, match="no column 'weekly_rent'"):
        earlywarn.Ledger.from_frame(
            EVENTS, attributes=pd.DataFrame({"household": ["A"], "rent": [1]}),
            rules=earlywarn.load_rules("attribute weekly_rent money\nrule r { when weekly_rent > 0 }"),
        )


# -- attribute values the rules cannot read -------------------------------------------------


@pytest.mark.parametrize("call", ["evaluate", "explain", "backtest"])
def test_a_value_the_kind_cannot_read_raises_with_its_household_attribute_and_text(rules, call):
    ledger = earlywarn.Ledger.from_frame(
        EVENTS, attributes=pd.DataFrame({"household": ["A", "B"], "weekly_rent": ["95.50", "95,50"]})
    )
    with pytest.raises(earlywarn.AttributeValueError) as caught:
        if call == "explain":
            rules.explain(ledger, "A", AS_OF)
        else:
            getattr(rules, call)(ledger)
    e = caught.value
    assert (e.household, e.attribute, e.text) == ("B", "weekly_rent", "95,50")
    assert str(e).startswith(
        "attribute 'weekly_rent' of household 'B': '95,50' is not an amount of money (like 95.50"
    )
    assert isinstance(e, ValueError) and isinstance(e, earlywarn.Error)
    copy = pickle.loads(pickle.dumps(e))
    assert (copy.household, copy.attribute, copy.text, str(copy)) == (
        e.household, e.attribute, e.text, str(e))


def test_values_of_attributes_the_rules_do_not_declare_are_never_read(rules):
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=attributes(district=["not, a number", 1]))
    assert len(rules.evaluate(ledger, AS_OF)) > 0


# -- attributes CSV files -------------------------------------------------------------------


def test_a_csv_file_gives_what_the_frame_gives(rules, tmp_path):
    path = tmp_path / "attributes.csv"
    path.write_text("household,weekly_rent,tenancy\nA,95.50,secure\nB,150,\nZ,1,\n")
    from_file = earlywarn.Ledger.from_frame(EVENTS, attributes=path)
    from_frame = earlywarn.Ledger.from_frame(
        EVENTS, attributes=pd.DataFrame({"household": ["A", "B", "Z"],
                                         "weekly_rent": ["95.50", "150", "1"],
                                         "tenancy": ["secure", None, None]}))
    assert_frame_equal(from_file.attributes, from_frame.attributes)
    assert_frame_equal(rules.evaluate(from_file, AS_OF), rules.evaluate(from_frame, AS_OF))
    assert earlywarn.Ledger.from_frame(EVENTS).with_attributes(str(path)).attributes.equals(
        from_file.attributes)


@pytest.mark.parametrize(
    "text, line, column, reason",
    [
        ("household,weekly_rent\nA,1\nB,2,3\n", 3, None, "row has 3 fields; the header has 2"),
        ("household,weekly_rent\nA,1\nA,2\n", 3, 1, "household 'A' is given twice (first at line 2)"),
        ('household,weekly_rent\nA,"1\n', 2, 3, "a quoted field is never closed"),
        ("id,weekly_rent\nA,1\n", 1, 1, "not an attributes CSV"),
    ],
)
def test_a_malformed_csv_file_raises_with_its_line_and_column(tmp_path, text, line, column, reason):
    path = tmp_path / "attributes.csv"
    path.write_text(text)
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_csv(_ledger_file(tmp_path), attributes=path)
    e = caught.value
    assert (e.file, e.line, e.column) == (str(path), line, column)
    assert e.reason.startswith(reason)
    assert str(e).startswith(f"{path}:{line}")


def test_a_missing_csv_file_says_so(tmp_path):
    with pytest.raises(earlywarn.LedgerError, match="cannot read the attributes"):
        earlywarn.Ledger.from_frame(EVENTS, attributes=tmp_path / "nowhere.csv")


def _ledger_file(directory):
    path = directory / "ledger.csv"
    EVENTS.to_csv(path, index=False)
    return path


# -- the stream -------------------------------------------------------------------------------


def stream_with(rules, events):
    stream = earlywarn.Stream(rules)
    alerts = stream.push_frame(events)
    return stream, alerts


def test_a_stream_takes_attributes_set_before_the_first_event(rules):
    stream = earlywarn.Stream(rules)
    assert stream.set_attribute("A", "weekly_rent", 95.5) is True
    assert stream.set_attribute("A", "tenancy", "secure") is True
    alerts = stream.push_frame(EVENTS) + stream.advance(AS_OF)
    raised = {(a.household, a.rule, a.date.isoformat()) for a in alerts if a.state == "raised"}
    assert ("A", "two_weeks_behind", "2024-01-10") in raised
    assert ("A", "secure_tenancy", "2024-01-01") in raised
    assert ("B", "two_weeks_behind", "2024-01-01") not in raised


def test_a_stream_takes_an_attribute_set_later_from_its_clock_on(rules):
    stream, alerts = stream_with(rules, EVENTS)
    alerts += stream.advance("2024-02-01")
    assert not [a for a in alerts if a.rule == "vulnerable_in_arrears"]
    assert stream.set_attribute("A", "vulnerable", "yes") is True
    assert stream.set_attribute("A", "weekly_rent", None) is True  # no value: nothing changes
    later = stream.advance("2024-02-05")
    assert [(a.date, a.household, a.rule, a.state) for a in later] == [
        (datetime.date(2024, 2, 1), "A", "vulnerable_in_arrears", "raised")
    ]
    assert stream.set_attribute("A", "vulnerable", False)
    assert [(a.date, a.rule, a.state) for a in stream.finish()] == [
        (datetime.date(2024, 2, 5), "vulnerable_in_arrears", "cleared")
    ]


def test_a_stream_refuses_bad_values_and_ignores_undeclared_names(rules):
    stream, _ = stream_with(rules, EVENTS)
    assert stream.set_attribute("A", "district", "north") is False
    with pytest.raises(earlywarn.AttributeValueError) as caught:
        stream.set_attribute("A", "adults", 2.5)
    assert (caught.value.household, caught.value.attribute, caught.value.text) == ("A", "adults", "2.5")
    with pytest.raises(earlywarn.LedgerError, match="household id must be 1-64 bytes"):
        stream.set_attribute("", "adults", 2)
    with pytest.raises(TypeError):
        stream.set_attribute("A", "adults", [2])
    # set_attributes checks every value before setting any.
    frame = pd.DataFrame({"household": ["A", "B"], "vulnerable": [True, "perhaps"]})
    with pytest.raises(earlywarn.AttributeValueError, match="'perhaps' is not a flag"):
        stream.set_attributes(frame)
    assert not [a for a in stream.finish() if a.rule == "vulnerable_in_arrears"]


def test_a_stream_given_attributes_first_agrees_with_the_backtest(rules, tmp_path):
    frame = attributes(
        tenancy=["secure", "flexible"], vulnerable=[True, None], review=["2024-01-20", "2024-02-03"],
        adults=[1, 2], notice=[28, 28], share=[0.5, 0.25])
    ledger = earlywarn.Ledger.from_frame(EVENTS, attributes=frame)
    history = rules.backtest(ledger, end=AS_OF)
    stream = earlywarn.Stream(rules)
    stream.set_attributes(frame)
    # A checkpoint keeps them: the restored stream gives the alerts.
    stream.save(tmp_path / "state")
    stream = earlywarn.Stream.load(tmp_path / "state", rules)
    by_date = EVENTS.sort_values("date", kind="stable")
    alerts = stream.push_frame(by_date) + stream.advance(AS_OF)
    streamed = stream.alerts_frame(alerts)[["date", "household", "rule", "state", "message"]]
    expected = history[streamed.columns]
    assert len(expected) >= 5 and set(expected["rule"]) >= {"review_due", "two_weeks_behind"}
    key = ["date", "household", "rule", "state"]
    assert_frame_equal(
        streamed.sort_values(key).reset_index(drop=True),
        expected.sort_values(key).reset_index(drop=True),
    )
