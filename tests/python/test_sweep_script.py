"""bench/sweep.py keeps working: it times a sweep and a comparison on a
ledger and prints the swept rule's figures per value."""

from __future__ import annotations

import os
import re
import subprocess

from conftest import ROOT, SAMPLE


def test_the_sweep_benchmark_times_a_sweep_and_a_comparison():
    done = subprocess.run(
        ["/usr/bin/python3", str(ROOT / "bench" / "sweep.py"), "--ledger", str(SAMPLE),
         "--rules", str(ROOT / "rules" / "housing-early-warning.rules"), "--param", "settle",
         "--values", "0d,2m", "--outcomes", "notice", "--rule", "late_rent", "--runs", "2"],
        capture_output=True, text=True, timeout=300, env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    assert re.search(r"sweep settle over 2 values: median \d+\.\d s of \d+\.\d, \d+\.\d",
                     done.stdout)
    assert re.search(r"compare settle=0d with 2m: median \d+\.\d s", done.stdout)
    assert "peak memory:" in done.stdout
    rows = [line.split() for line in done.stdout.splitlines() if line.startswith(("0d ", "2m "))]
    assert [r[0] for r in rows] == ["0d", "2m"]
