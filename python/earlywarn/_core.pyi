"""Type stubs of the extension earlywarn._core (the C++ engine).

The earlywarn package wraps this module; these are its private building
blocks. Dates are day numbers (days since 1970-01-01). A column is
``(data, names, kind)``: ``data`` a 1-D numpy array read in place, ``names``
the distinct texts that coded data index, ``kind`` one of ``"codes"``,
``"ns"``, ``"days"``, ``"float"``, ``"integer"``.
"""

from typing import Any, Callable, Dict, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

Column = Tuple[npt.NDArray[Any], Optional[List[str]], str]
ProgressCallback = Optional[Callable[[int, int], object]]
# (level, line, column, message, rendered); line and column 0 when unknown
RawDiagnostic = Tuple[str, int, int, str, str]
# (line, column, message, raw row bytes)
RawLedgerError = Tuple[int, int, str, bytes]
# (day, household, rule index, raised, message)
RawAlert = Tuple[int, str, int, bool, str]

class Ruleset:
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def file_name(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def rules(self) -> List[Dict[str, Any]]: ...
    @property
    def definitions(self) -> Dict[str, str]: ...
    @property
    def decisions(self) -> Dict[str, Tuple[str, List[str]]]: ...
    @property
    def params(self) -> List[Dict[str, Any]]: ...
    @property
    def events(self) -> Dict[str, int]: ...
    @property
    def attributes(self) -> Dict[str, str]: ...
    @property
    def scheduled_types(self) -> List[str]: ...
    def effect_of(self, type: str) -> int: ...

def compile_rules(
    text: str, file_name: str, overrides: List[Tuple[str, str]]
) -> Tuple[Optional[Ruleset], List[RawDiagnostic], str]: ...
def load_rules(
    path: str, overrides: List[Tuple[str, str]]
) -> Tuple[Optional[Ruleset], List[RawDiagnostic], str]: ...
def run_scenarios(
    paths: List[str], rules: Optional[Ruleset], overrides: List[Tuple[str, str]]
) -> Dict[str, Any]: ...

class Ledger:
    @property
    def household_count(self) -> int: ...
    @property
    def event_count(self) -> int: ...
    @property
    def first_date(self) -> Optional[int]: ...
    @property
    def last_date(self) -> Optional[int]: ...
    @property
    def memory_bytes(self) -> int: ...
    @property
    def households(self) -> List[str]: ...
    @property
    def types(self) -> List[str]: ...
    @property
    def codes(self) -> List[str]: ...
    @property
    def attribute_names(self) -> Optional[List[str]]: ...
    def has_household(self, id: str) -> bool: ...
    def columns(self) -> Dict[str, Any]: ...
    def subset(self, ids: List[str]) -> Ledger: ...
    def copy(self) -> Ledger: ...
    def set_attributes(
        self, households: List[str], names: List[str], columns: List[List[str]]
    ) -> None: ...
    def attributes(
        self,
    ) -> Optional[Tuple[List[str], List[str], List[List[Optional[str]]]]]: ...

def load_csv(
    path: str,
    reject_bad_rows: bool,
    threads: int,
    progress: ProgressCallback,
    text: Optional[bytes] = None,
) -> Tuple[Optional[Ledger], Optional[RawLedgerError], List[RawLedgerError], int, List[int]]: ...
def ledger_from_columns(
    household: Column,
    date: Column,
    type: Column,
    amount: Column,
    code: Optional[Column],
    progress: ProgressCallback,
) -> Tuple[Optional[Ledger], Optional[Tuple[int, str, str]], List[int]]: ...
def read_attributes_csv(
    path: str,
) -> Tuple[
    Optional[Tuple[List[str], List[str], List[List[str]], List[int]]],
    Optional[Tuple[int, int, str]],
]: ...
def unknown_event_types(
    ledger: Ledger, rules: Optional[Ruleset]
) -> List[Tuple[int, str, int, str, str]]: ...
def parse_date(text: str) -> Optional[int]: ...
def _throw(
    kind: str, message: str, file: str = ..., line: int = ..., column: int = ..., text: str = ...
) -> None: ...
def effect_of_builtin(type: str) -> int: ...
def latest_recorded_date(ledger: Ledger, rules: Ruleset) -> Optional[int]: ...
def evaluate(
    rules: Ruleset,
    ledger: Ledger,
    as_of: int,
    threads: int,
    by_household: bool,
    progress: ProgressCallback,
) -> Dict[str, Any]: ...
def explain(rules: Ruleset, ledger: Ledger, household: str, as_of: int) -> Dict[str, Any]: ...
def signals(
    ledger: Ledger,
    as_of: int,
    rules: Optional[Ruleset],
    threads: int,
    progress: ProgressCallback,
) -> Dict[str, Any]: ...
def backtest(
    rules: Ruleset,
    ledger: Ledger,
    start: int,
    end: int,
    every: str,
    threads: int,
    progress: ProgressCallback,
) -> Dict[str, Any]: ...
def backtest_summary(
    rules: Ruleset,
    ledger: Ledger,
    start: int,
    end: int,
    every: str,
    threads: int,
    progress: ProgressCallback,
    reraise_days: int,
) -> Dict[str, Any]: ...
def backtest_outcomes(
    rules: Ruleset,
    ledger: Ledger,
    start: int,
    end: int,
    every: str,
    threads: int,
    progress: ProgressCallback,
    types: List[str],
    horizon_days: int,
) -> Dict[str, Any]: ...
def backtest_reports(
    rules: List[Ruleset],
    ledger: Ledger,
    start: int,
    end: int,
    every: str,
    threads: int,
    progress: ProgressCallback,
    reraise_days: int,
    types: List[str],
    horizon_days: int,
) -> List[Dict[str, Any]]: ...

class Stream:
    def __init__(self, rules: Ruleset, lateness_days: int) -> None: ...
    def push_columns(
        self,
        household: Column,
        date: Column,
        type: Column,
        amount: Column,
        code: Optional[Column],
        progress: ProgressCallback,
    ) -> Tuple[
        List[RawAlert], Optional[Tuple[int, str, str]], Optional[int], Optional[str]
    ]: ...
    def set_attribute(self, household: str, name: str, text: str) -> bool: ...
    def set_attributes(
        self, households: List[str], names: List[str], columns: List[List[str]]
    ) -> None: ...
    def advance(self, date: int) -> List[RawAlert]: ...
    def finish(self) -> List[RawAlert]: ...
    @property
    def rules(self) -> Ruleset: ...
    @property
    def lateness_days(self) -> int: ...
    @property
    def clock(self) -> Optional[int]: ...
    @property
    def household_count(self) -> int: ...
    @property
    def event_count(self) -> int: ...
    @property
    def memory_bytes(self) -> int: ...
    def save(self, path: str) -> Optional[str]: ...
    @staticmethod
    def load(
        path: str, rules: Ruleset, lateness_days: int
    ) -> Tuple[Optional[Stream], Optional[str]]: ...
    def reload(
        self, rules: Ruleset
    ) -> Tuple[
        Optional[Tuple[List[RawAlert], List[RawAlert], List[RawAlert]]], Optional[List[str]]
    ]: ...
    @staticmethod
    def saved_rules(
        path: str,
    ) -> Tuple[
        Optional[Tuple[str, str, int, str, str, List[Tuple[str, str]]]], Optional[str]
    ]: ...
