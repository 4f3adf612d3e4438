"""Scenario files: the rules author's tests (docs/rule-tests.md).

>>> report = rules.test("rules/tests")             # or earlywarn.test(paths)
>>> report.passed, len(report.failures)
>>> print(report)                                  # as `earlywarn test` prints it
>>> report.coverage[report.coverage.condition.isna()]   # rules never fired
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core, _frames

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
        rows = raw["scenarios"]
        expectations = _frames.counts([r[3] for r in rows])
        failed = _frames.counts([r[4] for r in rows])
        errors = [r[5] for r in rows]
        # A scenario that could not run failed all its expectations.
        could_not_run = np.array([e != "" for e in errors], dtype=bool)
        failed[could_not_run] = expectations[could_not_run]
        self.scenarios = _frames.frame(
            {
                "file": _frames.named([r[0] for r in rows]),
                "scenario": _frames.texts([r[1] for r in rows]),
                "line": _frames.positions([r[2] for r in rows]),
                "expectations": expectations,
                "failed": failed,
                "error": _frames.texts(errors),
            }
        )
        rows = raw["failures"]
        self.failures = _frames.frame(
            {
                "file": _frames.named([r[0] for r in rows]),
                "scenario": _frames.texts([r[1] for r in rows]),
                "line": _frames.positions([r[2] for r in rows]),
                **{
                    name: _frames.texts([r[i] for r in rows])
                    for i, name in enumerate(["expectation", "expected", "got", "explanation"], 3)
                },
            }
        )
        rows = raw["file_errors"]
        self.file_errors = _frames.frame(
            {
                "file": _frames.named([r[0] for r in rows]),
                "error": _frames.texts([r[1] for r in rows]),
            }
        )
        rows = raw["coverage"]
        self.coverage = _frames.frame(
            {
                "rules_file": _frames.named([r[0] for r in rows]),
                "ruleset": _frames.named([r[1] for r in rows]),
                "rule": _frames.named([r[2] for r in rows]),
                "condition": _frames.texts([r[3] for r in rows]),
                "line": _frames.positions([r[4] for r in rows]),
                "true": _frames.counts([r[5] for r in rows]),
                "false": _frames.counts([r[6] for r in rows]),
            }
        )
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
        """The coverage report as ``earlywarn test --coverage`` prints it.

        Returns
        -------
        str
            The report's text.
        """
        return self._coverage_text

    def uncovered(self) -> pd.DataFrame:
        """The coverage rows never true or never false: what no scenario exercised.

        Returns
        -------
        pandas.DataFrame
            Rows of :attr:`coverage`, renumbered.
        """
        c = self.coverage
        return c[(c["true"] == 0) | (c["false"] == 0)].reset_index(drop=True)

    def junit_xml(self, path: Optional[PathLike] = None) -> str:
        """The report as JUnit XML for CI systems.

        Parameters
        ----------
        path : str or os.PathLike, optional
            Where to write it as well.

        Returns
        -------
        str
            The XML text.
        """
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
    """Run scenario files, against some rules or those each file names.

    Parameters
    ----------
    paths : str or os.PathLike or sequence of them
        Scenario files; a folder stands for its ``*.scenarios`` files.
    rules : Ruleset, optional
        The rules to test (default: the rules each file's ``rules`` line names).

    Returns
    -------
    ScenarioReport
        What the scenarios found.

    Raises
    ------
    FileNotFoundError
        For a folder without scenario files.

    Examples
    --------
    >>> report = earlywarn.test("rules/tests")
    >>> print(report)
    """
    core = rules._core if rules is not None else None
    overrides = list(rules._overrides.items()) if rules is not None else []
    return ScenarioReport(_core.run_scenarios(_paths(paths), core, overrides))
