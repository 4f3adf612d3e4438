"""Shared fixtures: the repository's files, the built CLI to compare against,
and the sample ledger and standard rules loaded once.

Run by scripts/test with PYTHONPATH=build/python (the package assembled by
the CMake build) and EARLYWARN_CLI=build/earlywarn.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import pathlib
import subprocess
from typing import List, Tuple

import pytest

import earlywarn

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "examples" / "sample-ledger.csv"
RULES = ROOT / "rules" / "housing-early-warning.rules"
GOLDEN = ROOT / "tests" / "golden"


def cli_path() -> pathlib.Path:
    path = pathlib.Path(os.environ.get("EARLYWARN_CLI", ROOT / "build" / "earlywarn"))
    if not path.is_file():
        raise RuntimeError(f"the earlywarn CLI is not built at {path}; run scripts/test")
    return path


@functools.lru_cache(maxsize=None)
def _run(args: Tuple[str, ...], expect: int) -> Tuple[str, str]:
    done = subprocess.run([str(cli_path()), *args], capture_output=True, timeout=300)
    assert done.returncode == expect, (args, done.returncode, done.stderr.decode())
    return done.stdout.decode(), done.stderr.decode()


def run_cli(*args: object, expect: int = 0) -> str:
    """The CLI's stdout for these arguments (cached: the CLI is deterministic)."""
    return _run(tuple(str(a) for a in args), expect)[0]


def cli_stderr(*args: object, expect: int = 1) -> str:
    return _run(tuple(str(a) for a in args), expect)[1]


def csv_rows(text: str) -> List[List[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture(scope="session")
def rules() -> earlywarn.Ruleset:
    return earlywarn.load_rules(RULES)


@pytest.fixture(scope="session")
def ledger() -> earlywarn.Ledger:
    return earlywarn.Ledger.from_csv(SAMPLE)
