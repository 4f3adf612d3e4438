"""The analyst's tour (examples/analyst_tour.py) runs and makes its pictures."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT

PNG = b"\x89PNG\r\n\x1a\n"


def test_the_tour_runs_from_anywhere_and_saves_its_pictures(tmp_path):
    out = tmp_path / "pictures"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "MPLBACKEND")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "analyst_tour.py"), str(out)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "<Ledger: 300 households, 21101 events, 2022-01-01 .. 2024-12-31>" in text
    assert "Worklist as of 2024-12-31: 259 rows, 69 households" in text
    assert "grace 30 days" in text and "Back-test 2022-01-01 .. 2024-12-31" in text
    for name in ("household.png", "backtest.png"):
        assert (out / name).read_bytes().startswith(PNG)
