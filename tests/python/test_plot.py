"""Pictures render to PNG without a display, and show what the engine computed."""

from __future__ import annotations

import collections
import io
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import earlywarn
import earlywarn.plot
from conftest import ROOT, SAMPLE

PNG = b"\x89PNG\r\n\x1a\n"


def png_bytes(fig):
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def test_household_plot_shows_the_balance_and_every_alert(ledger, rules):
    household = "HH0000295"
    fig = earlywarn.plot.household(ledger, household, rules)
    assert isinstance(fig, Figure)
    assert png_bytes(fig).startswith(PNG)
    balance_axes, money_axes, lanes = fig.axes
    # The balance line ends where the engine's balance ends.
    line = balance_axes.get_lines()[0]
    expected = rules.signals(ledger).set_index("household").loc[household, "balance"]
    assert line.get_ydata()[-1] == pytest.approx(expected, abs=0.005)
    # One bar per raise in the household's back-test, in the lane of its rule.
    assert [t.get_text() for t in lanes.get_yticklabels()] == rules.rule_names
    alerts = rules.backtest(ledger.subset([household]))
    raised = alerts[alerts["state"] == "raised"]
    bars = [p for p in lanes.patches if p.get_height() == pytest.approx(0.6)]
    assert len(bars) == len(raised) > 5
    lane_of = collections.Counter(round(p.get_y() + 0.3) for p in bars)
    assert lane_of == collections.Counter(rules.rule_names.index(r) for r in raised["rule"])
    # Charges up, payments and credits down, summed per day.
    events = ledger.household(household)
    charges = events[events["type"] == "charge"]["amount"].sum()
    heights = [p.get_height() for p in money_axes.patches]
    assert sum(h for h in heights if h > 0) == pytest.approx(charges)


def test_household_plot_without_rules_and_with_custom_types():
    frame = pd.DataFrame(
        {
            "household": ["A"] * 4,
            "date": pd.to_datetime(["2024-01-01", "2024-01-10", "2024-02-01", "2024-02-03"]),
            "type": ["charge", "clawback", "contact", "payment"],
            "amount": [100.0, 40.0, np.nan, 30.0],
        }
    )
    ledger = earlywarn.Ledger.from_frame(frame)
    plain = earlywarn.plot.household(ledger, "A")
    assert len(plain.axes) == 2
    assert plain.axes[0].get_lines()[0].get_ydata()[-1] == 70.0
    rules = earlywarn.load_rules(
        'event clawback increases\nrule owing { when arrears > 100 severity high }'
    )
    declared = earlywarn.plot.household(ledger, "A", rules, end="2024-03-01")
    assert declared.axes[0].get_lines()[0].get_ydata()[-1] == 110.0
    assert png_bytes(declared).startswith(PNG)
    with pytest.raises(KeyError):
        earlywarn.plot.household(ledger, "B")


def brute_force_flags(alerts, kind):
    """Households flagged per (month, rule), computed day by day."""
    counts = collections.defaultdict(set)
    end = pd.Timestamp(alerts.attrs["end"])
    opened = {}
    for row in alerts.itertuples(index=False):
        key = (row.household, row.rule)
        if row.state in ("raised", "open"):  # open: raised before the start
            opened[key] = row.date
            if kind == "raised" and row.state == "raised":
                counts[(row.date.to_period("M"), row.rule)].add(row.household)
        else:
            start = opened.pop(key)
            if kind == "active":
                for day in pd.date_range(start, row.date - pd.Timedelta(days=1)):
                    counts[(day.to_period("M"), row.rule)].add(row.household)
    if kind == "active":
        for (household, rule), start in opened.items():
            for day in pd.date_range(start, end):
                counts[(day.to_period("M"), rule)].add(household)
    return {key: len(households) for key, households in counts.items()}


@pytest.mark.parametrize("kind", ["raised", "active"])
def test_flags_per_month_counts_households(ledger, rules, kind):
    alerts = rules.backtest(ledger, "2022-03-15", "2023-08-20", every="week")
    table = earlywarn.flags_per_month(alerts, kind)
    assert list(table.columns) == rules.rule_names
    assert str(table.index[0]) == "2022-03" and str(table.index[-1]) == "2023-08"
    expected = brute_force_flags(alerts, kind)
    got = {
        (month, rule): int(table.loc[month, rule])
        for month in table.index
        for rule in table.columns
        if table.loc[month, rule]
    }
    assert got == expected
    with pytest.raises(ValueError):
        earlywarn.flags_per_month(alerts, "cleared")


def test_backtest_plot_draws_a_line_per_rule(ledger, rules):
    alerts = rules.backtest(ledger, every="week")
    fig = earlywarn.plot.backtest(alerts, kind="active")
    ax = fig.axes[0]
    table = earlywarn.flags_per_month(alerts, "active")
    assert [line.get_label() for line in ax.get_lines()] == rules.rule_names
    for line, rule in zip(ax.get_lines(), rules.rule_names):
        assert list(line.get_ydata()) == table[rule].tolist()
    assert png_bytes(fig).startswith(PNG)


def test_plots_need_no_display_and_no_pyplot(tmp_path):
    script = (
        "import sys, earlywarn\n"
        f"ledger = earlywarn.Ledger.from_csv({str(SAMPLE)!r})\n"
        f"rules = earlywarn.load_rules({str(ROOT / 'rules' / 'housing-early-warning.rules')!r})\n"
        "fig = earlywarn.plot.household(ledger, 'HH0000123', rules)\n"
        f"fig.savefig({str(tmp_path / 'h.png')!r})\n"
        "earlywarn.plot.backtest(rules.backtest(ledger, every='month'))"
        f".savefig({str(tmp_path / 'b.png')!r})\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "MPLBACKEND")}
    subprocess.run([sys.executable, "-c", script], check=True, env=env, timeout=120)
    for name in ("h.png", "b.png"):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(PNG) and len(data) > 20_000
