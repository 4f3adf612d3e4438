"""Loading rules: files, text, params, and errors with their positions."""

from __future__ import annotations

import json
import warnings

import pytest

import earlywarn
from conftest import GOLDEN, RULES, SAMPLE, cli_stderr, run_cli


def test_load_rules_from_a_file_describes_the_ruleset(rules):
    assert rules.name == "housing-early-warning"
    assert rules.version == 5
    assert rules.file_name == str(RULES)
    assert rules.source == RULES.read_text()
    assert rules.rule_names == [
        "late_rent",
        "two_months_rent",
        "three_months_rent",
        "no_payment",
        "plan_broken",
        "debt_growing",
        "benefit_stopped",
        "escalate",
        "review_plan",
        "visit_home",
        "check_benefit",
        "offer_help",
    ]
    assert rules.params == {
        "grace_days": 15,
        "visit_days": 60,
        "minimum_arrears": 100,
        "growth_per_month": 500,
        "silence_days": 45,
        "settle": "2m",
    }
    late = rules.rules[0]
    assert late.when == "late and arrears >= minimum_arrears"
    assert late.severity == "low"
    assert late.score == "arrears"
    assert late.message == "Rent unpaid for {arrears_days} days, owing {arrears}"
    assert late.cooldown is None and late.tags == ["arrears"]
    assert late.clear_after == "2m" and late.raise_after is None
    assert rules.rules[1].cooldown == "30d"
    assert rules.effect_of("charge") == 1 and rules.effect_of("payment") == -1
    assert rules.effect_of("letter") == 0
    assert "housing-early-warning" in repr(rules)


def test_the_fingerprint_is_the_clis(rules):
    document = json.loads(
        run_cli("run", "--rules", RULES, "--ledger", SAMPLE, "--format", "json")
    )
    assert rules.fingerprint == document["fingerprint"]
    tuned = rules.with_params(grace_days=20)
    document = json.loads(
        run_cli(
            "run", "--rules", RULES, "--ledger", SAMPLE, "--format", "json",
            "--param", "grace_days=20",
        )
    )
    assert tuned.fingerprint == document["fingerprint"] != rules.fingerprint


def test_params_override_the_file_and_with_params_keeps_earlier_overrides():
    rules = earlywarn.load_rules(str(RULES), params={"grace_days": 20, "silence_days": "8w"})
    assert rules.params["grace_days"] == 20
    assert rules.params["silence_days"] == "8w"
    again = rules.with_params(visit_days=45)
    assert again.params["grace_days"] == 20 and again.params["visit_days"] == 45
    assert again.params["silence_days"] == "8w"
    assert rules.params["visit_days"] == 60  # the original is unchanged
    half = rules.with_params(minimum_arrears=99.5)
    assert half.params["minimum_arrears"] == 99.5


def test_rules_text_and_path_objects_are_both_accepted():
    text = 'rule owing {\n  when arrears > 0\n  message "owes {arrears}"\n}\n'
    from_text = earlywarn.load_rules(text)
    assert from_text.rule_names == ["owing"]
    assert from_text.file_name == "<rules>"
    one_line = earlywarn.load_rules("rule owing { when arrears > 0 }")
    assert one_line.rule_names == ["owing"]
    assert earlywarn.load_rules(RULES).fingerprint == earlywarn.load_rules(str(RULES)).fingerprint
    named = earlywarn.Ruleset.from_text(text, name="mine.rules")
    assert named.file_name == "mine.rules"


def test_a_missing_file_is_file_not_found():
    with pytest.raises(FileNotFoundError, match="no-such.rules"):
        earlywarn.load_rules("no-such.rules")


def test_bad_param_values_are_type_errors():
    with pytest.raises(TypeError, match="grace_days"):
        earlywarn.load_rules(RULES, params={"grace_days": True})
    with pytest.raises(TypeError):
        earlywarn.load_rules(RULES, params={"grace_days": [1]})


def test_rules_error_carries_line_column_and_the_rendered_diagnostic():
    text = "param grace_days = 15\n\nrule late {\n  when arears_days > grace_days\n}\n"
    with pytest.raises(earlywarn.RulesError) as caught:
        earlywarn.Ruleset.from_text(text, name="late.rules")
    e = caught.value
    assert (e.line, e.column) == (4, 8)
    assert e.message.startswith("unknown name 'arears_days'")
    assert "did you mean 'arrears_days'" in e.message
    assert e.diagnostic == (
        f"late.rules:4:8: error: {e.message}\n"
        "    when arears_days > grace_days\n"
        "         ^\n"
    )
    assert str(e) == e.diagnostic.rstrip("\n")
    assert isinstance(e, ValueError) and isinstance(e, earlywarn.Error)
    assert e.diagnostics[0].level == "error"


# Rules text in Python is a str, which cannot hold the bytes of a file that is not UTF-8:
# windows_1250.rules is loaded from its path below.
@pytest.mark.parametrize(
    "name",
    sorted(
        p.stem
        for p in GOLDEN.glob("*.rules")
        # Warnings, not errors (lint_*: docs/language.md, Lints), and a file not UTF-8.
        if p.stem not in ("event_type_warning", "definition_unused", "windows_1250")
        and not p.stem.startswith("lint_")
    ),
)
def test_golden_diagnostics_are_the_libraries(name):
    text = (GOLDEN / f"{name}.rules").read_text()
    expected = (GOLDEN / f"{name}.expected").read_text()
    with pytest.raises(earlywarn.RulesError) as caught:
        earlywarn.Ruleset.from_text(text, name=f"{name}.rules")
    assert caught.value.diagnostic == expected
    first = caught.value.diagnostics[0]
    header = expected.splitlines()[0]
    place = f":{first.line}:{first.column}: " if first.line else ": "
    assert header.startswith(f"{name}.rules{place}")


def test_a_rules_file_that_is_not_utf8_is_refused_at_its_line_and_column():
    with pytest.raises(earlywarn.RulesError) as caught:
        earlywarn.load_rules(GOLDEN / "windows_1250.rules")
    e = caught.value
    assert (e.line, e.column) == (1, 26)
    assert e.message.startswith("byte 0xE8 is not UTF-8: save the rules file as UTF-8")
    assert [d.line for d in e.diagnostics] == [1, 4]
    # The report is text: the bytes are shown as replacement characters.
    assert "# Saved in Windows-1250: \ufffd and \ufffd are single bytes" in e.diagnostic


def test_a_directory_an_empty_file_and_a_file_without_rules_are_refused(tmp_path):
    with pytest.raises(earlywarn.RulesError, match="this is a directory, not a rules file"):
        earlywarn.load_rules(str(tmp_path))
    empty = tmp_path / "empty.rules"
    empty.write_text("")
    with pytest.raises(earlywarn.RulesError, match="the rules file is empty"):
        earlywarn.load_rules(str(empty))
    with pytest.raises(earlywarn.RulesError, match="the rules file has no rule"):
        earlywarn.Ruleset.from_text("# nothing yet\n", name="nothing.rules")


def test_a_byte_order_mark_is_ignored(tmp_path):
    marked = tmp_path / "marked.rules"
    marked.write_bytes(b"\xef\xbb\xbf" + RULES.read_bytes())
    rules = earlywarn.load_rules(str(marked))
    assert rules.fingerprint == earlywarn.load_rules(str(RULES)).fingerprint


def test_errors_equal_what_earlywarn_check_prints():
    path = GOLDEN / "several_errors.rules"
    with pytest.raises(earlywarn.RulesError) as caught:
        earlywarn.load_rules(path)
    assert caught.value.diagnostic == cli_stderr("check", path)
    assert len([d for d in caught.value.diagnostics if d.level == "error"]) == 7


def test_warnings_are_issued_and_kept():
    text = (GOLDEN / "event_type_warning.rules").read_text()
    with pytest.warns(earlywarn.RulesWarning, match="did you mean 'payment'"):
        rules = earlywarn.Ruleset.from_text(text, name="event_type_warning.rules")
    assert len(rules.warnings) == 1
    assert rules.warnings[0].rendered == (GOLDEN / "event_type_warning.expected").read_text()
    assert rules.warnings[0].line == 3


def test_an_unread_definition_is_a_warning_rendered_as_the_library_renders_it():
    text = (GOLDEN / "definition_unused.rules").read_text()
    with pytest.warns(earlywarn.RulesWarning, match="definition 'weekly_rent' is never read"):
        rules = earlywarn.Ruleset.from_text(text, name="definition_unused.rules")
    assert rules.rule_names == ["late"]  # a definition is not a rule
    assert rules.definitions == {
        "weekly_rent": "max(charge, 6m) / 4",
        "behind": "arrears_days > 30",
    }
    assert rules.warnings[0].rendered == (GOLDEN / "definition_unused.expected").read_text()


def test_a_bad_override_is_an_error_without_a_position():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(earlywarn.RulesError) as caught:
            earlywarn.load_rules(RULES, params={"nope": 3})
    assert caught.value.line is None and caught.value.column is None
    assert "cannot set param 'nope'" in caught.value.message
    assert caught.value.diagnostic == cli_stderr("check", RULES, "--param", "nope=3")
    with pytest.raises(earlywarn.RulesError, match="expected a number"):
        earlywarn.load_rules(RULES, params={"grace_days": "abc"})


def test_lints_are_warnings_rendered_as_check_renders_them():
    text = (GOLDEN / "lint_shadowed_in_decision.rules").read_text()
    with pytest.warns(earlywarn.RulesWarning) as caught:
        rules = earlywarn.Ruleset.from_text(text, name="lint_shadowed_in_decision.rules")
    assert [str(w.message) for w in caught] == [
        w.rendered.rstrip("\n") for w in rules.warnings
    ]
    assert "".join(w.rendered for w in rules.warnings) == (
        GOLDEN / "lint_shadowed_in_decision.expected"
    ).read_text()
    assert "rule 'visit' can never fire" in rules.warnings[1].message
