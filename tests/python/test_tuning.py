"""Tuning on history: two rulesets side by side, and a param sweep, each
figure the one the single back-test reports give."""

from __future__ import annotations

import io

import numpy as np
import pytest

import earlywarn
import earlywarn.plot


def test_compare_sets_two_params_side_by_side_and_lists_households_gained_and_lost(
    ledger, rules
):
    later = rules.with_params(minimum_arrears=5000)
    comparison = earlywarn.compare(rules, later, ledger, "2022-06-01", "2024-06-30",
                                   outcomes="notice", horizon_days=120)
    table = comparison.rules
    for side, r in (("before", rules), ("after", later)):
        summary = r.backtest_summary(ledger, "2022-06-01", "2024-06-30").rules
        report = r.backtest_outcomes(ledger, "notice", "2022-06-01", "2024-06-30",
                                     horizon_days=120)
        for rule in r.rule_names:
            assert table.loc[rule, f"raises_{side}"] == summary.loc[rule, "raises"]
            assert table.loc[rule, f"mean_open_{side}"] == pytest.approx(
                summary.loc[rule, "mean_open"])
            got, want = table.loc[rule, f"recall_{side}"], report.loc[rule, "recall"]
            assert (np.isnan(got) and np.isnan(want)) or got == pytest.approx(want)
    assert table.loc["late_rent", "households_after"] < table.loc["late_rent", "households_before"]
    assert (table["load_change"] == table["mean_open_after"] - table["mean_open_before"]).all()

    def alerted(r):
        alerts = r.backtest(ledger, "2022-06-01", "2024-06-30")
        opened = alerts[alerts["state"] != "cleared"]
        return set(zip(opened["household"], opened["rule"].astype(str)))

    before, after = alerted(rules), alerted(later)
    changes = comparison.households
    assert set(zip(changes.loc[changes["change"] == "lost", "household"],
                   changes.loc[changes["change"] == "lost", "rule"])) == before - after
    assert set(zip(changes.loc[changes["change"] == "gained", "household"],
                   changes.loc[changes["change"] == "gained", "rule"])) == after - before
    assert len(before - after) > 0
    alerts = rules.backtest(ledger, "2022-06-01", "2024-06-30")
    opened = alerts[alerts["state"] != "cleared"]
    firsts = opened.groupby(["household", opened["rule"].astype(str)])["date"].min()
    for row in changes[changes["change"] == "lost"].itertuples():
        assert row.first_alert == firsts[(row.household, row.rule)]
    assert "pairs gained" in repr(comparison)


def test_a_sweep_gives_each_value_its_own_back_tests_figures_and_plots_the_trade_off(
    ledger, rules
):
    table = earlywarn.sweep(rules, ledger, "settle", ["0d", "1m", "2m"], outcomes="notice",
                            horizon_days=120)
    assert list(table.index.get_level_values("value").unique()) == ["0d", "1m", "2m"]
    one = rules.with_params(settle="1m")
    summary = one.backtest_summary(ledger).rules
    report = one.backtest_outcomes(ledger, "notice", horizon_days=120)
    for rule in rules.rule_names:
        row = table.loc[("1m", rule)]
        assert row["raises"] == summary.loc[rule, "raises"]
        assert row["mean_open"] == pytest.approx(summary.loc[rule, "mean_open"])
        assert (np.isnan(row["recall"]) and np.isnan(report.loc[rule, "recall"])) or \
            row["recall"] == pytest.approx(report.loc[rule, "recall"])
    # Keeping alerts open longer raises less and carries more.
    late = table.xs("late_rent", level="rule")
    assert late["raises"].is_monotonic_decreasing
    assert late["mean_open"].is_monotonic_increasing
    fig = earlywarn.plot.tradeoff(table, "late_rent")
    ax = fig.axes[0]
    assert list(ax.get_lines()[0].get_xdata()) == late["mean_open"].tolist()
    assert [t.get_text().split(",")[0] for t in ax.texts] == ["settle=0d", "settle=1m",
                                                              "settle=2m"]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=50)
    assert buffer.getvalue().startswith(b"\x89PNG")
    with pytest.raises(ValueError, match="no param 'setle'"):
        earlywarn.sweep(rules, ledger, "setle", [1])


def test_a_sweep_of_a_param_conditions_read_gives_each_value_its_own_back_tests_figures(
    ledger, rules
):
    # settle is read only by clear_after, so its values share an evaluation;
    # minimum_arrears moves conditions, so each value is evaluated apart.
    table = earlywarn.sweep(rules, ledger, "minimum_arrears", [0, 5000], start="2022-06-01",
                            end="2024-06-30")
    for value in (0, 5000):
        summary = rules.with_params(minimum_arrears=value).backtest_summary(
            ledger, "2022-06-01", "2024-06-30").rules
        for rule in rules.rule_names:
            assert table.loc[(value, rule), "raises"] == summary.loc[rule, "raises"]
            assert table.loc[(value, rule), "households"] == summary.loc[rule, "households"]
    assert (table.xs("late_rent", level="rule")["raises"].diff().dropna() < 0).all()
