"""Amounts from DataFrames and CSV files: float32 refused with what to do,
and signed amounts (payments and credits negative) read by option
(docs/python.md, Amounts)."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pytest

import earlywarn

ROWS = [
    ("A", "2024-01-01", "charge", 8532.37),
    ("A", "2024-01-05", "payment", -8000.00),
    ("A", "2024-01-09", "credit", -0.37),
    ("A", "2024-01-10", "contact", 0.0),
    ("B", "2024-01-01", "charge", 100.00),
    ("B", "2024-01-02", "payment", 0.0),
    ("B", "2024-01-03", "plan", 25.50),
]
UNSIGNED = [(h, d, t, abs(a)) for h, d, t, a in ROWS]


def signed_frame() -> pd.DataFrame:
    return pd.DataFrame(ROWS, columns=["household", "date", "type", "amount"])


def unsigned_ledger() -> earlywarn.Ledger:
    return earlywarn.Ledger.from_frame(
        pd.DataFrame(UNSIGNED, columns=["household", "date", "type", "amount"])
    )


def csv_text(rows) -> str:
    return "household,date,type,amount\n" + "".join(
        f"{h},{d},{t},{a:.2f}\n" for h, d, t, a in rows
    )


# -- float32 ------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", ["float32", "float16", "Float32"])
def test_a_float32_column_is_refused_with_what_to_do(dtype):
    frame = signed_frame().assign(amount=[abs(a) for _, _, _, a in ROWS])
    frame["amount"] = frame["amount"].astype(dtype)
    with pytest.raises(TypeError) as e:
        earlywarn.Ledger.from_frame(frame)
    message = str(e.value)
    assert f"column 'amount' is {dtype}" in message
    assert "float64" in message and "Decimal" in message and "decimal text" in message
    assert ".astype('float64') keeps the error" in message
    if dtype != "float16":
        assert "8532.37 is held as 8532.3701171875" in message


def test_float32_converted_to_float64_is_refused_by_the_engine_as_before():
    # The refusal above is for the dtype; the converted values are still not cents.
    frame = pd.DataFrame(UNSIGNED, columns=["household", "date", "type", "amount"])
    frame["amount"] = frame["amount"].astype("float32").astype("float64")
    with pytest.raises(earlywarn.LedgerError, match="more than 2 decimal places '8532.37011"):
        earlywarn.Ledger.from_frame(frame)


def test_a_float32_amount_pushed_to_a_stream_is_refused(rules):
    stream = earlywarn.Stream(rules)
    with pytest.raises(TypeError, match="amount is float32.*8532.37 is held as 8532.3701171875"):
        stream.push("A", "2024-01-01", "charge", np.float32(8532.37))
    frame = pd.DataFrame(UNSIGNED, columns=["household", "date", "type", "amount"])
    with pytest.raises(TypeError, match="column 'amount' is float32"):
        stream.push_frame(frame.astype({"amount": "float32"}))
    assert stream.event_count == 0


# -- signed amounts: frames -------------------------------------------------------


@pytest.mark.parametrize(
    "convert",
    [
        lambda a: a,  # float64
        lambda a: a.round().astype(np.int64),  # integers (whole units)
        lambda a: a.map(lambda v: f"{v:.2f}"),  # decimal text
        lambda a: a.map(lambda v: decimal.Decimal(f"{v:.2f}")),  # Decimal
        lambda a: a.astype("Float64"),  # nullable floats
    ],
)
def test_signed_amounts_from_a_frame(convert):
    frame = signed_frame()
    frame["amount"] = convert(frame["amount"])
    ledger = earlywarn.Ledger.from_frame(frame, signed_amounts=True)
    expected = pd.DataFrame(UNSIGNED, columns=["household", "date", "type", "amount"])
    expected["amount"] = convert(expected["amount"])
    assert ledger.to_frame().equals(earlywarn.Ledger.from_frame(expected).to_frame())
    # Payments lower the balance as they always do.
    balance = ledger.signals("2024-01-31").set_index("household")["balance"]
    assert balance["B"] == 100.00
    if frame["amount"].dtype != np.int64:
        assert balance["A"] == 532.00


def test_without_the_option_a_negative_payment_is_refused():
    with pytest.raises(earlywarn.LedgerError, match="amount must not be negative '-8000'") as e:
        earlywarn.Ledger.from_frame(signed_frame())
    assert e.value.row == 1


@pytest.mark.parametrize(
    "amount, text", [(120.0, "120"), ("120.00", "120.00"), (decimal.Decimal("0.01"), "0.01")]
)
def test_a_positive_payment_under_the_option_names_its_row(amount, text):
    frame = signed_frame()
    frame["amount"] = frame["amount"].astype(object)
    frame.loc[2, "amount"] = amount
    frame.index = [f"r{i}" for i in range(len(frame))]
    with pytest.raises(earlywarn.LedgerError) as e:
        earlywarn.Ledger.from_frame(frame, signed_amounts=True)
    assert (e.value.row, e.value.index, e.value.field) == (2, "r2", "amount")
    assert e.value.reason.startswith(f"credit amount {text} is positive, but with signed_amounts")
    assert f"-{text} is a credit of {text}" in e.value.reason


@pytest.mark.parametrize("kind", ["float", "integer", "text"])
def test_a_negative_charge_under_the_option_names_its_row(kind):
    frame = signed_frame()
    frame.loc[4, "amount"] = -100.0
    if kind == "integer":
        frame["amount"] = frame["amount"].round().astype(np.int64)
    elif kind == "text":
        frame["amount"] = frame["amount"].map(lambda v: f"{v:.2f}")
    with pytest.raises(earlywarn.LedgerError) as e:
        earlywarn.Ledger.from_frame(frame, signed_amounts=True)
    assert (e.value.row, e.value.field) == (4, "amount")
    assert e.value.reason.startswith("charge amount -100")
    assert "only payments and credits are given negative" in e.value.reason


def test_the_first_bad_row_is_reported_whatever_is_wrong_with_it():
    frame = signed_frame()
    frame.loc[5, "amount"] = 5.0  # a positive payment
    frame.loc[3, "date"] = "2024-02-30"
    with pytest.raises(earlywarn.LedgerError, match="bad date") as e:
        earlywarn.Ledger.from_frame(frame, signed_amounts=True)
    assert e.value.row == 3
    frame.loc[3, "date"] = "2024-01-10"
    frame.loc[6, "amount"] = "12.345"
    with pytest.raises(earlywarn.LedgerError, match="payment amount 5.0 is positive") as e:
        earlywarn.Ledger.from_frame(frame, signed_amounts=True)
    assert e.value.row == 5


def test_other_amount_errors_keep_their_messages_under_the_option():
    frame = signed_frame().astype({"amount": object})
    frame.loc[1, "amount"] = "-80.005"
    with pytest.raises(earlywarn.LedgerError, match="more than 2 decimal places '80.005'"):
        earlywarn.Ledger.from_frame(frame, signed_amounts=True)
    frame.loc[1, "amount"] = "-x"
    with pytest.raises(earlywarn.LedgerError, match="not a decimal number"):
        earlywarn.Ledger.from_frame(frame, signed_amounts=True)


# -- signed amounts: CSV files --------------------------------------------------------


def test_signed_amounts_from_a_csv_file(tmp_path):
    path = tmp_path / "signed.csv"
    path.write_text(csv_text(ROWS))
    ledger = earlywarn.Ledger.from_csv(path, signed_amounts=True)
    assert ledger.to_frame().equals(unsigned_ledger().to_frame())
    with pytest.raises(earlywarn.LedgerError, match="amount must not be negative"):
        earlywarn.Ledger.from_csv(path)


def test_signed_csv_quoted_fields_codes_and_line_breaks(tmp_path):
    text = (
        b"\xef\xbb\xbf\nhousehold,date,type,amount,code,note\r\n"
        b'"A",2024-01-01,charge,"8532.37",,\r\n'
        b'A,2024-01-05,"payment","-8000.00","x",\r\n'
        b'A,2024-01-09,credit,-0.37,,"two\nlines"\r\n'
        b"\r\n"
        b"B,2024-01-01,charge,100.00,,\r\n"
    )
    path = tmp_path / "quoted.csv"
    path.write_bytes(text)
    frame = earlywarn.Ledger.from_csv(path, signed_amounts=True).to_frame()
    assert frame["amount"].tolist() == [8532.37, 8000.00, 0.37, 100.00]
    assert frame["code"].tolist()[1] == "x"
    # Lines count the line break inside the quoted note.
    path.write_bytes(text + b"B,2024-01-02,payment,1.00,,\r\n")
    with pytest.raises(earlywarn.LedgerError, match="payment amount 1.00 is positive") as e:
        earlywarn.Ledger.from_csv(path, signed_amounts=True)
    assert e.value.line == 9


def test_a_wrong_sign_in_a_csv_names_line_and_column(tmp_path):
    rows = list(ROWS)
    rows[3] = ("A", "2024-01-10", "payment", 12.5)  # line 5
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(rows))
    with pytest.raises(earlywarn.LedgerError) as e:
        earlywarn.Ledger.from_csv(path, signed_amounts=True)
    assert (e.value.file, e.value.line, e.value.column) == (str(path), 5, 22)
    assert e.value.reason.startswith("payment amount 12.50 is positive")
    assert e.value.text == "A,2024-01-10,payment,12.50"  # as written, not as rewritten


def test_wrong_signs_are_rejected_with_the_rows_as_written(tmp_path):
    rows = list(ROWS) + [("C", "2024-01-01", "charge", -5.0), ("C", "2024-01-02", "payment", -5.0)]
    rows[1] = ("A", "2024-01-05", "payment", 8000.0)
    path = tmp_path / "bad.csv"
    path.write_text(csv_text(rows))
    written = tmp_path / "rejects.csv"
    with pytest.warns(earlywarn.LedgerWarning, match="2 bad rows rejected"):
        ledger = earlywarn.Ledger.from_csv(
            path, rejects=written, max_rejects=10, signed_amounts=True
        )
    rejects = ledger.rejects
    assert rejects["line"].tolist() == [3, 9]
    assert rejects["row"].tolist() == ["A,2024-01-05,payment,8000.00", "C,2024-01-01,charge,-5.00"]
    assert rejects["reason"][0].startswith("payment amount 8000.00 is positive")
    assert rejects["reason"][1].startswith("charge amount -5.00 is negative")
    assert "A,2024-01-05,payment,8000.00" in written.read_text()
    assert ledger.event_count == len(rows) - 2
    assert ledger.household("C")["amount"].tolist() == [5.0]


def test_a_row_rewritten_and_rejected_for_another_field_shows_as_written(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "household,date,type,amount,code\n"
        "A,2024-01-01,charge,10.00,\n"
        'A,2024-01-02,payment,-10.00,"bad code "\n'
    )
    with pytest.raises(earlywarn.LedgerError) as e:
        earlywarn.Ledger.from_csv(path, signed_amounts=True)
    assert e.value.line == 3 and "event code" in e.value.reason
    assert e.value.text == 'A,2024-01-02,payment,-10.00,"bad code "'


def test_a_missing_file_is_reported_as_without_the_option(tmp_path):
    with pytest.raises(earlywarn.LedgerError, match="cannot read the ledger"):
        earlywarn.Ledger.from_csv(tmp_path / "none.csv", signed_amounts=True)
