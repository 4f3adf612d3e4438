"""earlywarn: early warning of housing loss, for analysts.

Which households in a rent ledger are sliding towards loss of housing, with
the reasons, so that a social worker can reach out early. A thin layer over
the C++ engine: the same rules, ledgers and results as the ``earlywarn``
command, with pandas DataFrames in and out.

>>> import earlywarn
>>> rules = earlywarn.load_rules("rules/housing-early-warning.rules")
>>> ledger = earlywarn.Ledger.from_csv("examples/sample-ledger.csv")
>>> worklist = rules.evaluate(ledger)                        # a DataFrame
>>> print(rules.explain(ledger, worklist.household[0]))       # why
>>> alerts = rules.backtest(ledger, every="week")            # raised / cleared over history
>>> fig = earlywarn.plot.household(ledger, worklist.household[0], rules)
>>> report = rules.test("rules/tests")                   # scenario files: the rules' tests

``earlywarn.plot`` (matplotlib) and ``earlywarn.dask`` (the same worklist
over Dask workers) are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from ._dates import DateLike
from .errors import (
    AttributeValueError,
    CheckpointError,
    Diagnostic,
    Error,
    FileError,
    LedgerError,
    LedgerWarning,
    ReloadError,
    RulesError,
    RulesWarning,
    StreamError,
    UnknownEventTypeWarning,
    UsageError,
)
from .explain import Explanation, Reading, Verdict
from .ledger import Ledger
from .rules import SEVERITIES, Decision, Rule, Ruleset, load_rules
from .scenarios import ScenarioReport
from .scenarios import run as test
from .stream import Alert, Stream
from .summaries import BacktestSummary, flags_per_month
from .tuning import Comparison, compare, sweep

__version__ = "0.1.0"

__all__ = [
    "Alert",
    "AttributeValueError",
    "BacktestSummary",
    "Comparison",
    "CheckpointError",
    "DateLike",
    "Decision",
    "Diagnostic",
    "Error",
    "Explanation",
    "FileError",
    "Ledger",
    "LedgerError",
    "LedgerWarning",
    "Reading",
    "ReloadError",
    "Rule",
    "Ruleset",
    "RulesError",
    "RulesWarning",
    "SEVERITIES",
    "ScenarioReport",
    "Stream",
    "StreamError",
    "UnknownEventTypeWarning",
    "UsageError",
    "Verdict",
    "compare",
    "dask",
    "flags_per_month",
    "load_rules",
    "plot",
    "sweep",
    "test",
]


def __getattr__(name: str) -> Any:
    # matplotlib is slow to import and only needed for pictures; Dask only
    # for ledgers spread over a cluster, and may not be installed.
    if name in ("plot", "dask"):
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'earlywarn' has no attribute {name!r}")
