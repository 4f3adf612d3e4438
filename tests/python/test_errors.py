"""One error type across the API: each kind of the C++ library's error
reaches Python as its class (docs/errors.md)."""

import pytest

import earlywarn
from earlywarn import _core, errors

KINDS = {
    "rules": earlywarn.RulesError,
    "ledger": earlywarn.LedgerError,
    "attributes": earlywarn.AttributeValueError,
    "checkpoint": earlywarn.CheckpointError,
    "stream_event": earlywarn.StreamError,
    "io": earlywarn.FileError,
    "misuse": earlywarn.UsageError,
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_raises_its_class(kind):
    with pytest.raises(KINDS[kind]) as caught:
        _core._throw(kind, "what went wrong", "input.txt", 3, 7, "the line")
    e = caught.value
    assert isinstance(e, earlywarn.Error)
    assert e.kind == kind == type(e).kind
    assert "input.txt:3:7: what went wrong" in str(e)


def test_every_class_names_its_kind():
    named = {
        cls.kind
        for cls in vars(errors).values()
        if isinstance(cls, type) and issubclass(cls, earlywarn.Error) and cls is not earlywarn.Error
    }
    assert named == set(KINDS)


def test_located_errors_keep_their_place():
    with pytest.raises(earlywarn.LedgerError) as caught:
        _core._throw("ledger", "bad date", "ledger.csv", 12, 5, "HH1,2024-13-01,charge,1")
    e = caught.value
    assert (e.file, e.line, e.column, e.text, e.reason) == (
        "ledger.csv",
        12,
        5,
        "HH1,2024-13-01,charge,1",
        "bad date",
    )
    with pytest.raises(earlywarn.RulesError) as rules:
        _core._throw("rules", "unknown signal 'arears'", "r.rules", 2, 8, "  when arears > 0")
    assert (rules.value.line, rules.value.column, rules.value.message) == (
        2,
        8,
        "unknown signal 'arears'",
    )


def test_misuse_is_a_value_error_and_io_an_os_error():
    assert issubclass(earlywarn.UsageError, ValueError)
    assert issubclass(earlywarn.FileError, OSError)


def test_a_date_off_the_calendar_is_a_usage_error(tmp_path):
    rules = earlywarn.load_rules("rule r { when arrears > 0 severity low }")
    ledger = earlywarn.Ledger.from_csv(
        _write(tmp_path, "household,date,type,amount\nHH1,2024-03-01,charge,100\n")
    )
    with pytest.raises(earlywarn.UsageError, match="0001-01-01"):
        _core.explain(rules._core, ledger._core, "HH1", -800_000)


def _write(tmp_path, text):
    path = tmp_path / "ledger.csv"
    path.write_text(text)
    return path
