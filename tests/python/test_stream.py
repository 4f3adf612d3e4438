"""Streams: the same alerts as `earlywarn stream` and the back-test; checkpoints."""

from __future__ import annotations

import datetime
import decimal
import json

import numpy as np
import pandas as pd
import pytest

import earlywarn
from conftest import RULES, SAMPLE, run_cli


def arrival_frame():
    """The sample ledger as read from its file, in arrival (file) order."""
    return pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)


def late_postings(tmp_path, days=21):
    """The sample with one payment in fifty posted `days` late: rows arrive
    out of date order."""
    frame = arrival_frame()
    rng = np.random.default_rng(7)
    dates = pd.to_datetime(frame["date"])
    arrival = dates + pd.to_timedelta(
        np.where((frame["type"] == "payment") & (rng.random(len(frame)) < 0.02), days, 0), "D"
    )
    frame = frame.iloc[np.argsort(arrival.to_numpy(), kind="stable")].reset_index(drop=True)
    path = tmp_path / "late.csv"
    frame.to_csv(path, index=False)
    return frame, path


def cli_alerts(*args):
    lines = run_cli("stream", "--rules", RULES, *args).splitlines()
    return [json.loads(line) for line in lines]


def as_cli(alerts, rules):
    return [
        {
            "date": a.date.isoformat(),
            "household": a.household,
            "rule": a.rule,
            "severity": a.severity,
            "state": a.state,
            "message": a.message,
            "ruleset": rules.name,
            "version": rules.version,
            "fingerprint": rules.fingerprint,
        }
        for a in alerts
    ]


def test_push_frame_equals_earlywarn_stream(rules):
    stream = earlywarn.Stream(rules)
    alerts = stream.push_frame(arrival_frame())
    alerts += stream.finish()
    expected = cli_alerts("--input", SAMPLE)
    assert len(expected) > 1000
    assert as_cli(alerts, rules) == expected
    assert stream.event_count == 21101 and stream.household_count == 300
    assert stream.clock == datetime.date(2024, 12, 31)
    assert stream.rules is rules and stream.lateness_days == 92
    assert stream.memory_bytes > 300 * 100


def test_late_postings_equal_earlywarn_stream(rules, tmp_path):
    frame, path = late_postings(tmp_path)
    stream = earlywarn.Stream(rules)
    alerts = stream.push_frame(frame) + stream.finish()
    assert as_cli(alerts, rules) == cli_alerts("--input", path)


def test_an_event_older_than_the_kept_history_stops_the_stream(rules, tmp_path):
    # The rules read six months back; lateness 0 keeps no more than that.
    frame, path = late_postings(tmp_path, days=200)
    stream = earlywarn.Stream(rules, lateness_days=0)
    with pytest.raises(earlywarn.StreamError) as caught:
        stream.push_frame(frame)
    e = caught.value
    assert "older than the history the stream keeps" in str(e)
    assert "lateness_days (now 0 days)" in str(e)
    assert "feed rows in date order" in str(e)
    refused = frame.iloc[e.row]
    assert refused["type"] == "payment" and refused["household"] in str(e)
    # The alerts before the refused row are those the CLI wrote before stopping.
    done = run_cli("stream", "--rules", RULES, "--input", path, "--lateness", "0", expect=1)
    assert as_cli(e.alerts, rules) == [json.loads(line) for line in done.splitlines()]
    assert stream.event_count == e.row


def test_a_frame_sorted_by_household_stops_at_the_second_household(rules):
    # Its events are years behind the clock the first household left.
    frame = arrival_frame().sort_values("household", kind="stable").reset_index(drop=True)
    stream = earlywarn.Stream(rules)
    with pytest.raises(earlywarn.StreamError) as caught:
        stream.push_frame(frame)
    e = caught.value
    assert frame["household"].iloc[e.row] == "HH0000001"
    assert "feed rows in date order" in str(e)
    assert stream.household_count == 1


def test_stream_alerts_equal_the_day_by_day_backtest(ledger, rules):
    stream = earlywarn.Stream(rules)
    alerts = stream.push_frame(ledger.to_frame().sort_values("date", kind="stable"))
    alerts += stream.advance(ledger.last_date)
    backtest = rules.backtest(ledger)
    mine = pd.DataFrame(alerts)
    assert len(mine) == len(backtest)
    for column in ["household", "rule", "severity", "state", "message"]:
        assert mine[column].tolist() == backtest[column].astype(str).tolist()
    assert mine["date"].tolist() == [d.date() for d in backtest["date"]]


def test_push_one_event_at_a_time_and_advance_the_clock(rules):
    stream = earlywarn.Stream(rules)
    assert stream.clock is None
    assert stream.push("HH1", "2024-03-01", "charge", 8532.50) == []
    assert stream.push("HH1", datetime.date(2024, 3, 1), "letter") == []
    assert stream.clock == datetime.date(2024, 3, 1)
    assert stream.advance("2024-03-16") == []  # arrears_days 15: not beyond grace yet
    raised = stream.advance("2024-03-17")
    assert [(a.rule, a.state, a.date) for a in raised] == [
        ("late_rent", "raised", datetime.date(2024, 3, 17)),
        ("no_payment", "raised", datetime.date(2024, 3, 17)),
        ("offer_help", "raised", datetime.date(2024, 3, 17)),
    ]
    assert raised[0].message == "Rent unpaid for 16 days, owing 8532.50"
    assert raised[0].severity == "low"
    # A payment posted late clears no_payment as of the clock; the others
    # stay open until their signal has been gone two months (clear_after settle).
    cleared = stream.push("HH1", "2024-03-10", "payment", decimal.Decimal("8532.50"))
    cleared += stream.finish()
    assert [(a.rule, a.state, a.date) for a in cleared] == [
        ("no_payment", "cleared", datetime.date(2024, 3, 17)),
    ]
    assert stream.push("HH1", "2024-03-18", "payment", "0.50") == []
    assert stream.push(42, "2024-03-18", "charge", 10) == []  # integer ids read as text
    assert stream.advance("2024-05-16") == []
    assert [(a.rule, a.state, a.date) for a in stream.advance("2024-05-17")] == [
        ("late_rent", "cleared", datetime.date(2024, 5, 17)),
        ("offer_help", "cleared", datetime.date(2024, 5, 17)),
    ]
    assert stream.household_count == 2 and stream.event_count == 5
    assert "2 households" in repr(stream)


def test_invalid_events_are_refused_with_the_reason(rules):
    stream = earlywarn.Stream(rules)
    with pytest.raises(earlywarn.LedgerError, match="amount must not be negative"):
        stream.push("HH1", "2024-03-01", "charge", -1)
    with pytest.raises(earlywarn.LedgerError, match="amount is required"):
        stream.push("HH1", "2024-03-01", "charge")
    with pytest.raises(earlywarn.LedgerError, match="bad event type 'Charge'"):
        stream.push("HH1", "2024-03-01", "Charge", 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        stream.push("HH1", "2024-3-1", "charge", 1)
    with pytest.raises(TypeError):
        stream.push("HH1", "2024-03-01", "charge", True)
    assert stream.event_count == 0
    frame = arrival_frame().head(10)
    frame.loc[7, "amount"] = "1.234"
    with pytest.raises(earlywarn.LedgerError) as caught:
        stream.push_frame(frame)
    assert (caught.value.row, caught.value.field) == (7, "amount")
    assert stream.event_count == 0  # every row is checked before any is pushed
    with pytest.raises(ValueError):
        earlywarn.Stream(rules, lateness_days=-1)
    with pytest.raises(TypeError):
        earlywarn.Stream("rules")


def test_a_household_beyond_a_ledger_s_total_is_refused_after_the_rows_before_it(rules):
    # 9,223 of the largest amounts fit one household's total; the 9,224th
    # does not, in a stream as in a ledger (docs/limits.md).
    largest = "10000000000000.00"
    frame = pd.DataFrame(
        {
            "household": ["SMALL"] * 2 + ["HUGE"] * 9_224,
            "date": ["2024-01-01", "2024-02-15"] + ["2024-03-01"] * 9_224,
            "type": ["charge"] * 9_226,
            "amount": ["500.00", "1.00"] + [largest] * 9_224,
        }
    )
    stream = earlywarn.Stream(rules)
    with pytest.raises(earlywarn.StreamError, match="household 'HUGE': its amounts add up") as e:
        stream.push_frame(frame)
    assert e.value.row == 9_225
    assert stream.event_count == 9_225  # the rows before it were applied
    assert any(a.household == "SMALL" for a in e.value.alerts)  # with their alerts
    with pytest.raises(earlywarn.StreamError, match="more than 92233720368547758.07"):
        stream.push("HUGE", "2024-03-02", "payment", largest)
    assert stream.event_count == 9_225


def test_save_and_load_resume_exactly(rules, tmp_path):
    frame = arrival_frame()
    whole = earlywarn.Stream(rules)
    expected = whole.push_frame(frame) + whole.finish()

    first = earlywarn.Stream(rules)
    alerts = first.push_frame(frame.iloc[:9000])
    state = tmp_path / "state.bin"
    first.save(state)
    resumed = earlywarn.Stream.load(state, rules)
    assert resumed.event_count == 9000 and resumed.clock == first.clock
    alerts += resumed.push_frame(frame.iloc[9000:]) + resumed.finish()
    assert alerts == expected


def test_load_refuses_other_rules_and_damaged_files(rules, tmp_path):
    stream = earlywarn.Stream(rules)
    stream.push_frame(arrival_frame().head(500))
    state = tmp_path / "state.bin"
    stream.save(state)
    with pytest.raises(earlywarn.CheckpointError, match="not the rules loaded now"):
        earlywarn.Stream.load(state, rules.with_params(grace_days=20))
    data = bytearray(state.read_bytes())
    data[len(data) // 2] ^= 0xFF
    state.write_bytes(bytes(data))
    with pytest.raises(earlywarn.CheckpointError, match="checksum"):
        earlywarn.Stream.load(state, rules)
    state.write_bytes(bytes(data[:100]))
    with pytest.raises(earlywarn.CheckpointError, match="truncated") as truncated:
        earlywarn.Stream.load(state, rules)
    assert str(truncated.value).count(str(state)) == 1  # the file named once
    with pytest.raises(earlywarn.CheckpointError, match="cannot read"):
        earlywarn.Stream.load(tmp_path / "missing.bin", rules)
    with pytest.raises(earlywarn.CheckpointError, match="cannot write"):
        stream.save(tmp_path / "no-such-dir" / "state.bin")


def version_6(tmp_path):
    """The standard ruleset's version 6, as the CLI's reload tests make it: a
    shorter grace period, benefit_stopped and check_benefit removed, a rule
    big_debt added."""
    text = open(RULES, encoding="utf-8").read()
    text = text.replace("version 5", "version 6").replace(
        "param grace_days = 15", "param grace_days = 10"
    )
    start = text.index("rule benefit_stopped {")
    text = (
        text[:start]
        + "rule big_debt {\n  when arrears > 50000\n  severity high\n  score arrears\n}\n"
        + text[text.index("}\n", start) + 2 :]
    )
    step = text.index("  rule check_benefit {")
    text = text[:step] + text[text.index("  }\n", step) + 4 :]
    path = tmp_path / "v6.rules"
    path.write_text(text, encoding="utf-8")
    return path


def cli_fields(alerts):
    return [
        (a["date"], a["household"], a["rule"], a["severity"], a["state"], a["message"],
         a["ruleset"], a["version"])
        for a in alerts
    ]


def test_reload_gives_the_alerts_of_earlywarn_stream_restarted_with_other_rules(rules, tmp_path):
    v6_path = version_6(tmp_path)
    v6 = earlywarn.load_rules(v6_path)
    frame = arrival_frame()
    # The CLI: a state saved under version 5 over the first 9,000 rows, then
    # restarted with version 6 over the whole file (it skips the rows done).
    first = tmp_path / "first.csv"
    frame.iloc[:9000].to_csv(first, index=False)
    state, out = tmp_path / "state.bin", tmp_path / "alerts.jsonl"
    run_cli("stream", "--rules", RULES, "--input", str(first), "--state", str(state),
            "--alerts", str(out))
    run_cli("stream", "--rules", str(v6_path), "--input", str(SAMPLE), "--state", str(state),
            "--alerts", str(out))
    expected = [json.loads(line) for line in out.read_text().splitlines()]

    stream = earlywarn.Stream(rules)
    alerts = stream.push_frame(frame.iloc[:9000])
    alerts += stream.reload(v6)
    assert stream.rules is v6
    alerts += stream.push_frame(frame.iloc[9000:]) + stream.finish()
    mine = [(a.date.isoformat(), a.household, a.rule, a.severity, a.state, a.message, a.ruleset,
             a.version) for a in alerts]
    assert mine == cli_fields(expected)
    # It did reload: a removed rule's alerts cleared, the added rule raised.
    said = 'rule removed in ruleset "housing-early-warning" version 6'
    removed = [a for a in alerts if a.message == said]
    assert {a.rule for a in removed} == {"benefit_stopped", "check_benefit"}
    assert all(a.version == 6 for a in removed)
    assert any(a.rule == "big_debt" for a in alerts)
    table = stream.alerts_frame(alerts)
    assert "benefit_stopped" in table["rule"].cat.categories
    assert len(table) == len(alerts)


def test_a_reload_the_state_cannot_serve_is_refused_and_changes_nothing(rules):
    frame = arrival_frame()
    stream = earlywarn.Stream(rules)
    stream.push_frame(frame)
    before = (stream.clock, stream.event_count, stream.household_count)
    longer = earlywarn.Ruleset.from_text("rule paid_in_5_years { when sum(payment, 5y) > 0 }")
    with pytest.raises(earlywarn.ReloadError, match="paid_in_5_years: reads 1830 days back") as e:
        stream.reload(longer)
    assert e.value.refused and e.value.refused[0].startswith("paid_in_5_years:")
    assert isinstance(e.value, ValueError)
    assert stream.rules is rules
    assert (stream.clock, stream.event_count, stream.household_count) == before
    assert all(a.version == rules.version for a in stream.finish())
    with pytest.raises(TypeError, match="Ruleset"):
        stream.reload("rules.rules")


def test_a_state_saved_under_other_rules_is_restored_under_them_then_reloaded(rules, tmp_path):
    frame = arrival_frame()
    stream = earlywarn.Stream(rules)
    stream.push_frame(frame.iloc[:9000])
    state = tmp_path / "state.bin"
    stream.save(state)
    newer = rules.with_params(grace_days=20)
    with pytest.raises(earlywarn.CheckpointError, match="saved_rules"):
        earlywarn.Stream.load(state, newer)
    saved = earlywarn.Stream.saved_rules(state)
    assert saved.fingerprint == rules.fingerprint and saved.params == rules.params
    resumed = earlywarn.Stream.load(state, saved)
    alerts = resumed.reload(newer) + resumed.push_frame(frame.iloc[9000:]) + resumed.finish()

    direct = earlywarn.Stream(rules)
    direct.push_frame(frame.iloc[:9000])
    assert alerts == direct.reload(newer) + direct.push_frame(frame.iloc[9000:]) + direct.finish()
    # Only grace_days changed: the rules that read it changed, the rest kept.
    assert all(a.version == rules.version for a in alerts)
    with pytest.raises(earlywarn.CheckpointError, match="not an earlywarn state file") as other:
        earlywarn.Stream.saved_rules(SAMPLE)
    assert str(other.value).count(str(SAMPLE)) == 1  # the file named once


def test_alerts_are_records(rules):
    stream = earlywarn.Stream(rules)
    stream.push("HH1", "2024-03-01", "charge", 100)
    alerts = stream.advance("2024-04-01")
    frame = pd.DataFrame(alerts)
    assert list(frame.columns) == [
        "date", "household", "rule", "severity", "state", "message", "ruleset", "version",
    ]
    assert alerts[0]._asdict()["household"] == "HH1"
    assert (alerts[0].ruleset, alerts[0].version) == (rules.name, rules.version)


def test_threads_may_share_a_stream(rules):
    """The engine is not thread-safe; the stream serialises the threads' calls."""
    import threading

    frame = arrival_frame()
    # Half a year: within the history kept, so any interleaving is accepted.
    month = frame[frame["date"] < "2022-07-01"]
    households = sorted(month["household"].unique())
    parts = [month[month["household"].isin(households[i::4])] for i in range(4)]
    stream = earlywarn.Stream(rules)
    failures = []

    def push(part):
        try:
            for _ in range(100):
                stream.push_frame(part)
                stream.household_count  # reads while others push
        except Exception as e:  # pragma: no cover - reported below
            failures.append(e)

    threads = [threading.Thread(target=push, args=(part,)) for part in parts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert stream.event_count == 100 * len(month)
    assert stream.household_count == len(households)


CODED_RULES = """
event court_outcome neutral
rule order_owing {
  when code(court_outcome) == "suspended_order" and arrears > 0
  message "order {code(court_outcome)}, owing {arrears}"
}
rule adjourned_twice { when count(court_outcome("adjourned")) >= 2 }
"""

# In date order, as a stream takes rows.
CODED_FRAME = pd.DataFrame(
    {
        "household": ["A", "B", "A", "B", "A", "A"],
        "date": ["2024-01-01", "2024-01-01", "2024-01-05"]
        + ["2024-02-01", "2024-02-05", "2024-03-05"],
        "type": ["charge", "charge"] + ["court_outcome"] * 4,
        "amount": ["500", "10", None, None, None, None],
        "code": [None, "", "adjourned", "suspended_order", "adjourned", "suspended_order"],
    }
)


def test_events_with_codes_push_one_by_one_and_as_a_frame_as_the_backtest_raises():
    rules = earlywarn.Ruleset.from_text(CODED_RULES)
    expected = rules.backtest(
        earlywarn.Ledger.from_frame(CODED_FRAME), start="2024-01-01", end="2024-03-31"
    )
    by_frame = earlywarn.Stream(rules)
    alerts = by_frame.push_frame(CODED_FRAME) + by_frame.advance("2024-03-31")
    one_by_one = earlywarn.Stream(rules)
    singly = []
    for row in CODED_FRAME.itertuples():
        singly += one_by_one.push(row.household, row.date, row.type, row.amount, code=row.code)
    singly += one_by_one.advance("2024-03-31")
    raised = [(a.household, a.rule, a.state, a.date.isoformat(), a.message) for a in alerts]
    assert raised == [(a.household, a.rule, a.state, a.date.isoformat(), a.message) for a in singly]
    assert raised == [
        ("B", "order_owing", "raised", "2024-02-01", "order suspended_order, owing 10.00"),
        ("A", "adjourned_twice", "raised", "2024-02-05", ""),
        ("A", "order_owing", "raised", "2024-03-05", "order suspended_order, owing 500.00"),
    ]
    assert raised == [
        (r.household, r.rule, r.state, pd.Timestamp(r.date).date().isoformat(), r.message)
        for r in expected.itertuples()
    ]


def test_a_bad_code_is_refused_with_its_row():
    stream = earlywarn.Stream(earlywarn.Ruleset.from_text(CODED_RULES))
    with pytest.raises(earlywarn.LedgerError, match="begins or ends with a space"):
        stream.push("A", "2024-01-01", "court_outcome", code=" adjourned")
    frame = CODED_FRAME.copy()
    frame.loc[4, "code"] = "a\tb"
    with pytest.raises(earlywarn.LedgerError) as caught:
        stream.push_frame(frame)
    assert (caught.value.row, caught.value.field) == (4, "code")
    assert stream.event_count == 0
