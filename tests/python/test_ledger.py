"""Ledgers: CSV loading as the CLI loads, DataFrames in and out, errors with positions."""

from __future__ import annotations

import datetime
import decimal

import numpy as np
import pandas as pd
import pytest

import earlywarn
from earlywarn._columns import frame_columns
from conftest import RULES, SAMPLE, cli_stderr, run_cli

BAD_ROWS = (
    "household,date,type,amount\n"
    "A,2024-01-01,charge,100\n"
    "A,2024-13-01,payment,5\n"
    "A,2024-01-02,payment,-5\n"
    "B,2024-01-01,charge,1.005\n"
    "B,2024-01-03,Payment,1\n"
    "B,2024-01-04,charge\n"
    '"C,1",2024-01-05,charge,"12.50"\n'
    "\xff\xfeD,2024-01-05,charge,3\n"
    "household,date,type,amount\n"
    "E,2024-01-06,contact,\n"
)


def write(tmp_path, name, text, encoding="latin-1"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_from_csv_loads_the_sample(ledger):
    assert ledger.household_count == 300
    assert ledger.event_count == len(ledger) == 21101
    assert ledger.first_date == datetime.date(2022, 1, 1)
    assert ledger.last_date == datetime.date(2024, 12, 31)
    assert ledger.households[:2] == ["HH0000000", "HH0000001"]
    assert set(ledger.types) == {"charge", "payment", "credit", "plan", "contact", "letter", "notice"}
    assert "HH0000042" in ledger and "HH9" not in ledger and 42 not in ledger
    assert ledger.memory_bytes > 21101 * 14
    assert ledger.rejects is None
    assert "300 households" in repr(ledger)


def test_to_frame_holds_every_csv_row_grouped_by_household(ledger):
    frame = ledger.to_frame()
    assert list(frame.columns) == ["household", "date", "type", "amount"]
    assert str(frame["date"].dtype) == "datetime64[ns]"
    assert isinstance(frame["household"].dtype, pd.CategoricalDtype)
    raw = pd.read_csv(SAMPLE, dtype={"household": str, "type": str, "amount": str},
                      keep_default_na=False)
    raw["amount"] = raw["amount"].map(lambda a: float(a) if a else 0.0)
    raw = raw.sort_values(["household", "date"], kind="stable").reset_index(drop=True)
    mine = frame.assign(
        household=frame["household"].astype(str),
        date=frame["date"].dt.strftime("%Y-%m-%d"),
        type=frame["type"].astype(str),
    )
    pd.testing.assert_frame_equal(mine, raw)


def test_from_frame_of_to_frame_is_the_same_ledger(ledger):
    frame = ledger.to_frame()
    again = earlywarn.Ledger.from_frame(frame)
    pd.testing.assert_frame_equal(again.to_frame(), frame)
    # and exactly the same results
    rules = earlywarn.load_rules(RULES)
    pd.testing.assert_frame_equal(rules.evaluate(again), rules.evaluate(ledger))


def test_from_frame_reads_numeric_columns_in_place(ledger):
    frame = ledger.to_frame()
    household, date, kind, amount = frame_columns(frame)
    assert date[2] == "ns" and np.shares_memory(date[0], frame["date"].to_numpy())
    assert amount[2] == "float" and np.shares_memory(amount[0], frame["amount"].to_numpy())
    assert np.shares_memory(household[0], frame["household"].cat.codes.to_numpy())
    assert household[1] == ledger.households


def test_from_frame_takes_text_dates_objects_decimals_and_integer_ids():
    text = pd.DataFrame(
        {
            "household": ["A", "A", "B", "B"],
            "date": ["2024-01-01", "2024-01-05", "2024-01-01", "2024-02-01"],
            "type": ["charge", "payment", "charge", "contact"],
            "amount": ["100.50", "100", "7.25", ""],
            "note": ["extra", "columns", "are", "ignored"],
        }
    )
    expected = earlywarn.Ledger.from_frame(text).to_frame()
    assert list(expected["amount"]) == [100.5, 100.0, 7.25, 0.0]
    variants = [
        text.assign(date=pd.to_datetime(text["date"])),
        text.assign(date=[datetime.date.fromisoformat(d) for d in text["date"]]),
        text.assign(date=pd.to_datetime(text["date"]) + pd.Timedelta(hours=23)),
        text.assign(date=pd.to_datetime(text["date"]).dt.tz_localize("Europe/Prague")),
        text.assign(amount=[decimal.Decimal("100.50"), decimal.Decimal("100"),
                            decimal.Decimal("7.25"), None]),
        text.assign(amount=[100.5, 100.0, 7.25, np.nan]),
        text.assign(amount=pd.array([100.5, 100, 7.25, None], dtype="Float64")),
        text.assign(amount=pd.Series([100.5, 100, 7.25, None], dtype=object)),
        text.astype({"household": "category", "type": "category"}),
    ]
    for frame in variants:
        pd.testing.assert_frame_equal(earlywarn.Ledger.from_frame(frame).to_frame(), expected)
    whole = text.assign(amount=[100, 100, 7, 0])
    assert list(earlywarn.Ledger.from_frame(whole).to_frame()["amount"]) == [100, 100, 7, 0]
    numbered = text.assign(household=[17, 17, 4, 4])
    assert earlywarn.Ledger.from_frame(numbered).households == ["17", "4"]


@pytest.mark.parametrize(
    "column, value, field, reason",
    [
        ("date", "2024-13-01", "date", "bad date '2024-13-01': not a calendar date (dates from 0001-01-01 to 9999-12-31 are supported)"),
        ("date", None, "date", "date is missing"),
        ("date", pd.NaT, "date", "date is missing"),
        ("household", "", "household", "household id is empty"),
        ("household", "x" * 65, "household", "household id is longer than 64 bytes"),
        ("household", "A\x01", "household", "household id is not valid UTF-8 text"),
        ("household", None, "household", "household id is missing"),
        ("type", "Payment", "type", "bad event type 'Payment': expected a name of the form"),
        ("type", None, "type", "event type is missing"),
        ("amount", "-5", "amount", "amount must not be negative '-5'"),
        ("amount", -5.0, "amount", "amount must not be negative '-5'"),
        ("amount", 1.005, "amount", "amount has more than 2 decimal places '1.005'"),
        ("amount", "1.005", "amount", "amount has more than 2 decimal places '1.005'"),
        ("amount", "12,50", "amount", "amount is not a decimal number"),
        ("amount", 1e14, "amount", "amount is too large (the largest accepted is 10000000000000.00)"),
        ("amount", np.inf, "amount", "amount is too large"),
        ("amount", None, "amount", "amount is required for this event type"),
        ("amount", np.nan, "amount", "amount is required for this event type"),
    ],
)
def test_from_frame_errors_name_row_index_and_column(column, value, field, reason):
    frame = pd.DataFrame(
        {
            "household": ["A", "A", "A"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-03"],
            "type": ["charge", "payment", "charge"],
            "amount": ["100", "50", "20"] if isinstance(value, (str, type(None))) else [100.0, 50.0, 20.0],
        },
        index=["r1", "r2", "r3"],
    )
    if column == "date" and value is pd.NaT:
        frame["date"] = pd.to_datetime(frame["date"])
    frame.loc["r3", column] = value
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_frame(frame)
    e = caught.value
    assert (e.row, e.index, e.field) == (2, "r3", field)
    assert e.reason.startswith(reason)
    assert str(e) == f"row 2 (index 'r3'), column '{field}': {e.reason}"
    assert e.line is None and e.file is None


def test_from_frame_refuses_frames_without_the_columns_or_of_the_wrong_types():
    with pytest.raises(KeyError, match="'amount'"):
        earlywarn.Ledger.from_frame(pd.DataFrame({"household": [], "date": [], "type": []}))
    with pytest.raises(TypeError):
        earlywarn.Ledger.from_frame([("A", "2024-01-01", "charge", 1)])
    base = {"household": ["A"], "date": ["2024-01-01"], "type": ["charge"], "amount": [1.0]}
    with pytest.raises(TypeError, match="date"):
        earlywarn.Ledger.from_frame(pd.DataFrame({**base, "date": [20240101]}))
    with pytest.raises(TypeError, match="amount"):
        earlywarn.Ledger.from_frame(pd.DataFrame({**base, "amount": [True]}))
    with pytest.raises(TypeError, match="type"):
        earlywarn.Ledger.from_frame(pd.DataFrame({**base, "type": [3]}))


def test_an_empty_frame_is_an_empty_ledger():
    empty = pd.DataFrame({"household": [], "date": [], "type": [], "amount": []})
    ledger = earlywarn.Ledger.from_frame(empty)
    assert ledger.event_count == 0 and ledger.first_date is None
    assert ledger.to_frame().empty
    with pytest.raises(ValueError, match="as_of"):
        earlywarn.load_rules(RULES).evaluate(ledger)
    assert earlywarn.load_rules(RULES).evaluate(ledger, as_of="2024-01-01").empty


def test_a_malformed_csv_fails_with_file_line_and_column_as_the_cli_says(tmp_path):
    path = write(tmp_path, "bad.csv", BAD_ROWS)
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_csv(path)
    e = caught.value
    assert (e.file, e.line, e.column) == (str(path), 3, 3)
    assert e.reason == (
        "bad date '2024-13-01': not a calendar date (dates from 0001-01-01 to 9999-12-31 are supported)"
    )
    assert e.text == "A,2024-13-01,payment,5"
    assert str(e) + "\n" == cli_stderr("run", "--rules", RULES, "--ledger", path)


def test_whole_file_errors_have_no_position(tmp_path):
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_csv(write(tmp_path, "empty.csv", ""))
    assert caught.value.line is None and "empty file" in str(caught.value)
    with pytest.raises(earlywarn.LedgerError, match="cannot read the ledger"):
        earlywarn.Ledger.from_csv(tmp_path / "missing.csv")
    path = write(tmp_path, "not.csv", "id;when;what\n1;2;3\n")
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_csv(path)
    assert str(caught.value) + "\n" == cli_stderr("signals", "--ledger", path)


def test_rejects_are_kept_and_written_byte_for_byte_as_the_cli_writes_them(tmp_path):
    path = write(tmp_path, "mixed.csv", BAD_ROWS)
    cli_rejects = tmp_path / "cli-rejects.csv"
    cli_signals = run_cli(
        "signals", "--ledger", path, "--rejects", cli_rejects, "--max-rejects", "100%"
    )
    mine = tmp_path / "py-rejects.csv"
    with pytest.warns(earlywarn.LedgerWarning, match="7 bad rows rejected .*, 3 rows loaded"):
        ledger = earlywarn.Ledger.from_csv(path, rejects=mine, max_rejects="100%")
    assert mine.read_bytes() == cli_rejects.read_bytes()
    assert list(ledger.rejects["line"]) == [3, 4, 5, 6, 7, 9, 10]
    assert ledger.rejects.columns.tolist() == ["line", "column", "reason", "row"]
    assert ledger.households == ["A", "C,1", "E"]
    signals = ledger.signals()
    assert signals.household.tolist() == ["A", "C,1", "E"]
    assert "C,1" in cli_signals
    with pytest.warns(earlywarn.LedgerWarning):
        kept = earlywarn.Ledger.from_csv(path, rejects=True, max_rejects=7)
    assert kept.rejects.equals(ledger.rejects)


def test_from_csv_gives_the_same_ledger_and_rejects_on_any_thread_count(ledger, tmp_path):
    one = earlywarn.Ledger.from_csv(SAMPLE, threads=1)
    assert one.to_frame().equals(ledger.to_frame())
    assert earlywarn.Ledger.from_csv(SAMPLE, threads=3).to_frame().equals(ledger.to_frame())
    path = write(tmp_path, "mixed.csv", BAD_ROWS)
    with pytest.warns(earlywarn.LedgerWarning):
        serial = earlywarn.Ledger.from_csv(path, rejects=True, threads=1, max_rejects="70%")
    with pytest.warns(earlywarn.LedgerWarning):
        parallel = earlywarn.Ledger.from_csv(path, rejects=True, threads=4, max_rejects="70%")
    assert parallel.rejects.equals(serial.rejects)
    assert parallel.households == serial.households
    with pytest.raises(ValueError, match="threads"):
        earlywarn.Ledger.from_csv(SAMPLE, threads=-1)


def test_subset_and_household(ledger):
    part = ledger.subset(["HH0000042", "HH0000007"])
    assert part.households == ["HH0000007", "HH0000042"]
    events = ledger.household("HH0000042")
    assert list(events.columns) == ["date", "type", "amount"]
    assert events["date"].is_monotonic_increasing
    full = ledger.to_frame()
    assert len(events) == (full["household"] == "HH0000042").sum()
    with pytest.raises(KeyError, match="HH9"):
        ledger.subset(["HH9"])


def test_dates_outside_what_pandas_holds_are_refused_clearly(tmp_path):
    path = write(tmp_path, "old.csv", "household,date,type,amount\nA,1500-01-01,charge,1\n")
    ledger = earlywarn.Ledger.from_csv(path)
    with pytest.raises(ValueError, match="pandas cannot hold"):
        ledger.to_frame()


def test_unused_categories_add_no_households():
    frame = pd.DataFrame(
        {
            "household": pd.Categorical(["B", "B"], categories=["A", "B", "C"]),
            "date": ["2024-01-01", "2024-01-02"],
            "type": pd.Categorical(["charge", "payment"], categories=["charge", "payment", "x"]),
            "amount": [10.0, 10.0],
        }
    )
    ledger = earlywarn.Ledger.from_frame(frame)
    assert ledger.households == ["B"]
    assert "x" not in ledger.types


def test_too_many_rejected_rows_raise_as_the_cli_fails(tmp_path):
    # 7 of 10 data rows are bad: the default allows 1%.
    path = write(tmp_path, "mixed.csv", BAD_ROWS)
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_csv(path, rejects=True)
    assert caught.value.file == str(path)
    assert caught.value.reason == "7 of 10 data rows rejected, more than max_rejects 1% allows"
    stderr = cli_stderr("signals", "--ledger", path, "--rejects", tmp_path / "r.csv")
    assert "7 of 10 data rows rejected, more than --max-rejects 1% allows" in stderr
    with pytest.raises(earlywarn.LedgerError, match="more than max_rejects 6 allows"):
        earlywarn.Ledger.from_csv(path, rejects=True, max_rejects=6)
    with pytest.raises(earlywarn.LedgerError, match="more than max_rejects 69.99% allows"):
        earlywarn.Ledger.from_csv(path, rejects=True, max_rejects="69.99%")
    for bad in ("x", -1, "101%", "1.234%", "5", True, 1.5):
        with pytest.raises(ValueError, match="max_rejects is a number of rows"):
            earlywarn.Ledger.from_csv(path, rejects=True, max_rejects=bad)
    with pytest.raises(ValueError, match="max_rejects needs rejects"):
        earlywarn.Ledger.from_csv(path, max_rejects=3)


TYPO = (
    "household,date,type,amount\n"
    "HH1,2024-01-01,charge,1000\n"
    "HH1,2024-01-05,paymnet,1000\n"
    "HH1,2024-01-06,letter,\n"
    "HH1,2024-02-05,paymnet,1000\n"
)


def test_a_misspelt_type_in_a_csv_is_warned_about_with_its_line(tmp_path, rules):
    path = write(tmp_path, "typo.csv", TYPO)
    ledger = earlywarn.Ledger.from_csv(path)
    found = ledger.unknown_types(rules)
    assert found["type"].tolist() == ["paymnet"]
    assert found["events"].tolist() == [2]
    assert found["suggestion"].tolist() == ["payment"]
    assert found["line"].tolist() == [3]
    expected = f"{path}:3: unknown event type 'paymnet' (2 events); did you mean 'payment'?"
    with pytest.warns(earlywarn.UnknownEventTypeWarning) as caught:
        rules.evaluate(ledger)
    assert [str(w.message) for w in caught] == [expected]
    assert issubclass(earlywarn.UnknownEventTypeWarning, earlywarn.LedgerWarning)
    # The CLI says the same of the same file.
    stderr = cli_stderr("run", "--rules", RULES, "--ledger", path, "--unknown-types", "error")
    assert f"{path}:3: error: unknown event type 'paymnet' (2 events); did you mean 'payment'?" in stderr
    # Once per ruleset: evaluating again says nothing more.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rules.evaluate(ledger)
        rules.explain(ledger, "HH1")
    with pytest.raises(earlywarn.LedgerError) as error:
        earlywarn.Ledger.from_csv(path, rules=rules, unknown_types="error")
    assert (error.value.file, error.value.line) == (str(path), 3)
    assert error.value.reason == "unknown event type 'paymnet' (2 events); did you mean 'payment'?"
    with pytest.warns(earlywarn.UnknownEventTypeWarning, match="paymnet"):
        earlywarn.Ledger.from_csv(path, rules=rules)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        earlywarn.Ledger.from_csv(path, rules=rules, unknown_types="ignore")
    with pytest.raises(ValueError, match="unknown_types"):
        earlywarn.Ledger.from_csv(path, unknown_types="sometimes")


def test_a_misspelt_type_in_a_frame_is_warned_about_with_its_row(rules):
    frame = pd.DataFrame(
        {
            "household": ["HH1", "HH1", "HH1"],
            "date": ["2024-01-01", "2024-01-05", "2024-01-06"],
            "type": ["charge", "paymnet", "letter"],
            "amount": [1000.0, 1000.0, np.nan],
        },
        index=["a", "b", "c"],
    )
    with pytest.warns(earlywarn.UnknownEventTypeWarning) as caught:
        ledger = earlywarn.Ledger.from_frame(frame, rules=rules)
    assert [str(w.message) for w in caught] == [
        "row 1 (index 'b'): unknown event type 'paymnet' (1 event); did you mean 'payment'?"
    ]
    with pytest.raises(earlywarn.LedgerError) as error:
        earlywarn.Ledger.from_frame(frame, rules=rules, unknown_types="error")
    assert (error.value.row, error.value.index, error.value.field) == (1, "b", "type")
    # Without rules only the built-in types are known: 'letter' too.
    bare = earlywarn.Ledger.from_frame(frame)
    assert bare.unknown_types()["type"].tolist() == ["paymnet", "letter"]
    assert bare.unknown_types()["row"].tolist() == [1, 2]
    with pytest.warns(earlywarn.UnknownEventTypeWarning, match="'letter'"):
        bare.check_types()
    # Declared or read by the rules, a neutral type is no concern.
    declaring = earlywarn.load_rules(
        "event paymnet decreases\nrule writes { when count(letter) > 0 }\n"
    )
    assert ledger.unknown_types(declaring).empty
    with pytest.raises(earlywarn.LedgerError, match=r"'paymnet'.*\(and 1 more unknown event types\)"):
        bare.check_types(unknown_types="error")


# -- event codes -------------------------------------------------------------

CODED = (
    "household,date,type,amount,note,code\n"
    "B,2024-03-05,court_hearing,,,suspended_order\n"
    "A,2024-03-01,charge,100,rent,\n"
    'B,2024-03-01,letter,,"first, by post",final_warning\n'
    "A,2024-03-02,letter,,,final_warning\n"
)


def test_codes_are_read_from_csv_and_shown_by_to_frame(tmp_path):
    ledger = earlywarn.Ledger.from_csv(write(tmp_path, "coded.csv", CODED))
    assert ledger.codes == ["suspended_order", "final_warning"]
    frame = ledger.to_frame()
    assert list(frame.columns) == ["household", "date", "type", "amount", "code"]
    assert isinstance(frame["code"].dtype, pd.CategoricalDtype)
    assert list(frame["code"].cat.categories) == ["suspended_order", "final_warning"]
    assert frame["code"].astype(object).where(frame["code"].notna(), None).tolist() == [
        None, "final_warning", "final_warning", "suspended_order"
    ]
    again = earlywarn.Ledger.from_frame(frame)
    assert again.to_frame().equals(frame)
    # A household's events carry a code column only when one of them has a code.
    assert list(ledger.household("B")["code"]) == ["final_warning", "suspended_order"]
    assert "code" in ledger.household("A").columns
    assert ledger.subset(["B"]).codes == ["final_warning", "suspended_order"]  # as met
    only_a = write(tmp_path, "a.csv", "household,date,type,amount,code\nA,2024-03-01,charge,1,\n")
    plain = earlywarn.Ledger.from_csv(only_a)
    assert plain.codes == []
    assert list(plain.to_frame().columns) == ["household", "date", "type", "amount"]


def test_a_ledger_without_codes_has_no_code_column(ledger):
    assert ledger.codes == []
    assert "code" not in ledger.to_frame().columns


@pytest.mark.parametrize(
    "codes",
    [
        ["final_warning", None, "", np.nan],
        pd.array(["final_warning", pd.NA, "", pd.NA], dtype="string"),
        pd.Categorical(["final_warning", None, "", None]),
    ],
    ids=["object", "string", "categorical"],
)
def test_from_frame_reads_a_code_column_missing_or_empty_for_none(codes):
    frame = pd.DataFrame(
        {
            "household": ["A", "A", "B", "B"],
            "date": ["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-02"],
            "type": ["letter", "charge", "letter", "contact"],
            "amount": [None, 5.0, None, None],
            "code": codes,
        }
    )
    ledger = earlywarn.Ledger.from_frame(frame)
    assert ledger.codes == ["final_warning"]
    out = ledger.to_frame()
    assert out["code"].isna().tolist() == [False, True, True, True]


def test_from_frame_reads_integer_codes_as_their_digits_and_refuses_other_values():
    base = {"household": ["A", "A"], "date": ["2024-01-01"] * 2, "type": ["letter"] * 2,
            "amount": [None, None]}
    ledger = earlywarn.Ledger.from_frame(pd.DataFrame({**base, "code": [12, 7]}))
    assert ledger.codes == ["12", "7"]
    with pytest.raises(TypeError, match="column 'code' must hold text or integers, found 1.5"):
        earlywarn.Ledger.from_frame(pd.DataFrame({**base, "code": [1.5, np.nan]}))
    # An all-missing column (pandas reads an empty CSV column as float NaN) is no codes.
    empty = earlywarn.Ledger.from_frame(pd.DataFrame({**base, "code": [np.nan, np.nan]}))
    assert empty.codes == [] and "code" not in empty.to_frame().columns


@pytest.mark.parametrize(
    "code, reason",
    [
        (" lead", "event code ' lead' begins or ends with a space"),
        ("x" * 65, "event code '" + "x" * 60 + "' is longer than 64 bytes"),
        ('a"b', "event code 'a\"b' holds a quote, backslash, tab or line break"),
        ("two\nlines", "event code '(binary or non-ASCII data)' holds a quote, backslash, tab or line break"),
    ],
)
def test_a_bad_code_names_its_row_in_a_frame_and_its_line_in_a_csv(tmp_path, code, reason):
    frame = pd.DataFrame(
        {
            "household": ["A", "A"],
            "date": ["2024-01-01", "2024-01-02"],
            "type": ["letter", "letter"],
            "amount": [None, None],
            "code": ["final_warning", code],
        },
        index=["r1", "r2"],
    )
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_frame(frame)
    assert (caught.value.row, caught.value.index, caught.value.field) == (1, "r2", "code")
    assert caught.value.reason == reason

    path = tmp_path / "bad-code.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(earlywarn.LedgerError) as caught:
        earlywarn.Ledger.from_csv(path)
    assert (caught.value.line, caught.value.column) == (3, 22)
    assert caught.value.reason == reason
    assert str(caught.value) + "\n" == cli_stderr("signals", "--ledger", path)


def test_a_plan_s_code_is_its_frequency_and_any_other_is_refused():
    frame = pd.DataFrame(
        {
            "household": ["H", "H", "H"],
            "date": ["2024-01-01", "2024-01-01", "2024-01-03"],
            "type": ["charge", "plan", "payment"],
            "amount": ["400", "50", "50"],
            "code": [None, "weekly", None],
        }
    )
    rules = earlywarn.Ruleset.from_text("rule broken { when plan_breached }")
    ledger = earlywarn.Ledger.from_frame(frame)
    assert list(rules.evaluate(ledger, as_of="2024-01-14")["rule"]) == []
    assert list(rules.evaluate(ledger, as_of="2024-01-15")["rule"]) == ["broken"]
    frame.loc[1, "code"] = "biweekly"
    with pytest.raises(earlywarn.LedgerError, match="not a plan frequency") as caught:
        earlywarn.Ledger.from_frame(frame)
    assert (caught.value.row, caught.value.field) == (1, "code")
