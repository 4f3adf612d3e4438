"""The package is typed (py.typed, annotations, stubs of the extension), and a
type checker sees the types: mypy --strict passes on the package and catches a
misuse in code that calls it."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import textwrap

import earlywarn

PACKAGE = pathlib.Path(earlywarn.__file__).parent


def mypy(cache: pathlib.Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--ignore-missing-imports", "--strict",
         f"--cache-dir={cache}", *args],
        cwd=PACKAGE.parent, capture_output=True, text=True, timeout=300,
    )


def test_the_package_ships_its_types():
    assert (PACKAGE / "py.typed").is_file()
    assert (PACKAGE / "_core.pyi").is_file()


def test_mypy_strict_passes_on_the_package_and_sees_misuse(tmp_path):
    done = mypy(tmp_path / "cache", "-p", "earlywarn")
    assert done.returncode == 0, done.stdout
    good = tmp_path / "good.py"
    good.write_text(textwrap.dedent("""
        import datetime
        import pandas as pd
        import earlywarn

        def count(ledger: earlywarn.Ledger, rules: earlywarn.Ruleset) -> int:
            frame: pd.DataFrame = rules.evaluate(ledger, datetime.date(2024, 6, 30))
            first: datetime.date | None = ledger.first_date
            alerts: list[earlywarn.Alert] = earlywarn.Stream(rules).push("A", "2024-01-01", "charge", 1)
            return len(frame) + len(alerts) + (first is None)
    """))
    bad = tmp_path / "bad.py"
    bad.write_text(textwrap.dedent("""
        import earlywarn

        def wrong(ledger: earlywarn.Ledger) -> str:
            return ledger.household_count
    """))
    done = mypy(tmp_path / "cache", str(good))
    assert done.returncode == 0, done.stdout
    done = mypy(tmp_path / "cache", str(bad))
    assert done.returncode == 1
    assert 'Incompatible return value type (got "int", expected "str")' in done.stdout
