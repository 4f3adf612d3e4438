"""Scenario files: the rules author's tests (docs/rule-tests.md).

>>> report = rules.test("rules/tests")             # or earlywarn.test(paths)
>>> report.passed, len(report.failures)
>>> print(report)                                  # as `earlywarn test` prints it
>>> report.coverage[report.coverage.condition.isna()]   # rules never fired
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

import pandas as pd

from . import _core

if TYPE_CHECKING:
    from .rules import Ruleset

PathLike = Union[str, "os.PathLike[str]"]


class ScenarioReport:
    """What running scenario files found.

    ``scenarios``: one row per scenario: ``file``, ``scenario``, ``line``,
    ``expectations``, ``failed`` (expectations that did not hold; all of them
    when it could not run) and ``error`` (why it could not run, else empty).

    ``failures``: one row per expectation that did not hold: ``file``,
    ``scenario``, ``line``, ``expectation`` (as written), ``expected``,
    ``got`` and ``explanation`` (the household explained as of the date).

    ``file_errors``: files that could not run at all: ``file``, ``error``.

    ``coverage``: per rules file and rule, a row with ``condition`` None
    (``true``: evaluations where the rule fired, ``false``: where it did not),
    then a row per condition of its ``when`` with its ``line`` and how often
    it was ``true`` and ``false``.
    """

    def __init__(self, raw: Dict[str, Any]) -> None:
        scenarios = pd.DataFrame(
            raw["scenarios"],
            columns=["file", "scenario", "line", "expectations", "failed", "error"],
        )
        could_not_run = scenarios["error"] != ""
        scenarios.loc[could_not_run, "failed"] = scenarios.loc[could_not_run, "expectations"]
        self.scenarios = scenarios
        self.failures = pd.DataFrame(
            raw["failures"],
            columns=["file", "scenario", "line", "expectation", "expected", "got", "explanation"],
        )
        self.file_errors = pd.DataFrame(raw["file_errors"], columns=["file", "error"])
        coverage = pd.DataFrame(
            raw["coverage"],
            columns=["rules_file", "ruleset", "rule", "condition", "line", "true", "false"],
        )
        coverage["line"] = coverage["line"].astype("Int64")
        self.coverage = coverage
        self._text: str = raw["text"]
        self._coverage_text: str = raw["coverage_text"]
        self._junit: str = raw["junit"]

    @property
    def passed(self) -> bool:
        """Every file ran and every expectation held."""
        return self.file_errors.empty and int(self.scenarios["failed"].sum()) == 0

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self._text

    def __repr__(self) -> str:
        return f"<ScenarioReport {self._text.splitlines()[-1]}>"

    def coverage_text(self) -> str:
        """The coverage report as ``earlywarn test --coverage`` prints it."""
        return self._coverage_text

    def uncovered(self) -> pd.DataFrame:
        """The coverage rows never true or never false: what no scenario exercised."""
        c = self.coverage
        return c[(c["true"] == 0) | (c["false"] == 0)].reset_index(drop=True)

    def junit_xml(self, path: Optional[PathLike] = None) -> str:
        """The report as JUnit XML for CI systems; written to ``path`` when given."""
        if path is not None:
            with open(os.fspath(path), "w", encoding="utf-8") as out:
                out.write(self._junit)
        return self._junit


def _paths(paths: Union[PathLike, Sequence[PathLike]]) -> List[str]:
    """Files as given; a folder stands for its ``*.scenarios`` files in name order."""
    given = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    out: List[str] = []
    for p in given:
        p = os.fspath(p)
        if os.path.isdir(p):
            found = sorted(
                os.path.join(p, name) for name in os.listdir(p) if name.endswith(".scenarios")
            )
            if not found:
                raise FileNotFoundError(f"no *.scenarios file in the folder {p!r}")
            out.extend(found)
        else:
            out.append(p)
    return out


def run(
    paths: Union[PathLike, Sequence[PathLike]], rules: Optional["Ruleset"] = None
) -> ScenarioReport:
    """Runs scenario files (a folder: its ``*.scenarios`` files), against
    ``rules`` when given, else the rules each file's ``rules`` line names."""
    core = rules._core if rules is not None else None
    overrides = list(rules._overrides.items()) if rules is not None else []
    return ScenarioReport(_core.run_scenarios(_paths(paths), core, overrides))
