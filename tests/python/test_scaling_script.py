"""bench/scaling/run keeps working: its quick mode measures every curve on tiny
ledgers, prints the tables and slopes, and draws the plot."""

from __future__ import annotations

import json
import re
import subprocess

from conftest import ROOT, cli_path

PNG = b"\x89PNG\r\n\x1a\n"


def test_quick_mode_measures_every_curve_and_plots(tmp_path):
    plot = tmp_path / "scaling.png"
    measurements = tmp_path / "scaling.json"
    done = subprocess.run(
        [
            "/usr/bin/python3", str(ROOT / "bench" / "scaling" / "run"), "--quick",
            "--build", str(cli_path().parent), "--workdir", str(tmp_path / "work"),
            "--plot", str(plot), "--json", str(measurements),
        ],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    for heading in ("### Time against events", "### Time against rules",
                    "### Time against households", "### Time against history"):
        assert heading in text
    assert len(re.findall(r"slope .*\*\*-?\d+\.\d\d\*\*", text)) == 4
    results = json.loads(measurements.read_text())["results"]
    # generate_ledger --events picks the households whose ledger is nearest the target.
    for asked, point in zip((2000, 5000, 10000), results["events"]):
        assert abs(point["events"] - asked) < 300, point
    assert [p["households"] for p in results["households"]] == [30, 100, 300]
    # Each generated ruleset has the rules asked for, and more rules flag more rows.
    rules = results["rules"]["points"]
    assert [p["rules"] for p in rules] == [1, 3, 10]
    assert rules[0]["worklist_rows"] < rules[-1]["worklist_rows"]
    # A longer history at a fixed number of households: more events, same households.
    history = results["history"]
    assert [p["households"] for p in history] == [20, 20, 20]
    assert history[0]["events"] < history[1]["events"] < history[2]["events"]
    for point in results["events"] + results["households"] + history:
        assert point["load_wall"] > 0 and point["evaluate_wall"] > 0 and point["run_peak"] > 0
    assert plot.read_bytes().startswith(PNG)
    assert not list((tmp_path / "work").glob("*.csv")), "ledgers are deleted unless kept"


def test_the_standard_rules_generated_at_scale_check(tmp_path):
    # The rules curve's largest ruleset: a thousand rules, every one distinct, valid.
    done = subprocess.run(
        ["/usr/bin/python3", str(ROOT / "bench" / "scaling" / "run"), "--print-rules", "1000"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    path = tmp_path / "thousand.rules"
    path.write_text(done.stdout)
    names = re.findall(r"^rule (\w+) \{", done.stdout, flags=re.M)
    assert len(names) == 1000 and len(set(names)) == 1000
    bodies = re.split(r"^rule \w+ \{", done.stdout, flags=re.M)[1:]
    assert len(set(bodies)) == 1000, "every rule should differ in a threshold"
    check = subprocess.run([str(cli_path()), "check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
