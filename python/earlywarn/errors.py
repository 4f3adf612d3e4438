"""Exceptions and warnings of the earlywarn package.

Each exception class is one kind of the C++ library's error
(``earlywarn::error_kind``, docs/errors.md), named by its ``kind``:
``rules`` :class:`RulesError`, ``ledger`` :class:`LedgerError`,
``attributes`` :class:`AttributeValueError`, ``checkpoint``
:class:`CheckpointError`, ``stream_event`` :class:`StreamError`, ``io``
:class:`FileError` and ``misuse`` :class:`UsageError`; all derive from
:class:`Error`.

Every error says where: rules errors carry the line and column of the
offending token and the rendered diagnostic (with the source line and a
caret); ledger errors carry the file, line and column of a CSV row, or the
row and column of a DataFrame; attribute errors the household, the
attribute and the text.
"""

from __future__ import annotations

from typing import Any, List, NamedTuple, Optional, Tuple


class Error(Exception):
    """Base class of earlywarn's exceptions.

    ``kind`` names the C++ library's error kind the class stands for
    (docs/errors.md): ``"rules"``, ``"ledger"``, ``"attributes"``,
    ``"checkpoint"``, ``"stream_event"``, ``"io"`` or ``"misuse"``.
    """

    kind: str = ""


class Diagnostic(NamedTuple):
    """One problem found in a rules file."""

    level: str
    """``"error"`` or ``"warning"``."""
    line: Optional[int]
    """1-based line, or None when the problem has no position (a bad param override)."""
    column: Optional[int]
    """1-based column in characters, or None."""
    message: str
    """The message alone, e.g. ``unknown signal 'arears'; did you mean 'arrears'?``."""
    rendered: str
    """``FILE:LINE:COL: error: message`` with the source line and a caret."""


class RulesError(Error, ValueError):
    """Rules that do not compile.

    ``line``, ``column`` and ``message`` describe the first error;
    ``diagnostic`` is every diagnostic rendered as ``earlywarn check`` prints
    them; ``diagnostics`` lists them all (warnings included).
    """

    kind = "rules"

    def __init__(self, diagnostics: List[Diagnostic], report: str) -> None:
        self.diagnostics: List[Diagnostic] = list(diagnostics)
        self.diagnostic: str = report
        first = next((d for d in self.diagnostics if d.level == "error"), None)
        self.line: Optional[int] = first.line if first else None
        self.column: Optional[int] = first.column if first else None
        self.message: str = first.message if first else "the rules do not compile"
        super().__init__(report.rstrip("\n") or self.message)


class RulesWarning(UserWarning):
    """A rules file compiled, but something in it looks wrong (e.g. ``paymnet``)."""


class LedgerError(Error, ValueError):
    """A malformed ledger row or file: where, and why (docs/limits.md).

    From a CSV file: ``file``, ``line`` and ``column`` (1-based; None when the
    whole file is at fault) and ``text``, the raw row. From a DataFrame:
    ``row`` (0-based position), ``index`` (its index label) and ``field`` (the
    column name), and ``partition`` when the frame was one partition of a
    Dask DataFrame (``earlywarn.dask``). ``reason`` is the message alone.
    """

    kind = "ledger"

    def __init__(
        self,
        reason: str,
        *,
        file: Optional[str] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        text: Optional[str] = None,
        row: Optional[int] = None,
        index: Any = None,
        field: Optional[str] = None,
        partition: Optional[int] = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.line = line or None
        self.column = column or None
        self.text = text
        self.row = row
        self.index = index
        self.field = field
        self.partition = partition
        super().__init__(self._render())

    def _render(self) -> str:
        if self.file is not None:
            # As the CLI prints it: FILE:LINE:COL: reason.
            where = self.file
            if self.line:
                where += f":{self.line}"
                if self.column:
                    where += f":{self.column}"
            return f"{where}: {self.reason}"
        parts = []
        if self.partition is not None:
            parts.append(f"partition {self.partition}")
        if self.row is not None:
            parts.append(f"row {self.row} (index {self.index!r})")
        if self.field is not None:
            parts.append(f"column '{self.field}'")
        return ", ".join(parts) + ": " + self.reason if parts else self.reason


class AttributeValueError(Error, ValueError):
    """A household attribute value that the kind the rules declare for it
    cannot read (``'95,50'`` for ``attribute weekly_rent money``), raised
    where a ruleset meets the attributes: ``evaluate``, ``explain``,
    ``backtest``, ``Stream.set_attribute`` and ``Stream.set_attributes``.
    ``household``, ``attribute`` and ``text`` name the value; the message
    says what the kind expects (docs/language.md, Household attributes).
    """

    kind = "attributes"

    def __init__(self, message: str, household: str, attribute: str, text: str) -> None:
        self.household = household
        self.attribute = attribute
        self.text = text
        super().__init__(message)

    def __reduce__(self) -> Tuple[Any, ...]:
        # Rebuilt whole when pickled (a Dask worker's error reaches the caller).
        return (type(self), (str(self), self.household, self.attribute, self.text))


class LedgerWarning(UserWarning):
    """Something in a ledger needs a look: bad rows were skipped (loading
    with ``rejects``), or it names event types nothing knows."""


class UnknownEventTypeWarning(LedgerWarning):
    """A ledger names event types that neither the built-in types nor the
    rules know (``paymnet``): they count as neutral events. Turn it into an
    error with ``unknown_types="error"`` or
    ``warnings.simplefilter("error", earlywarn.UnknownEventTypeWarning)``."""


class StreamError(Error, ValueError):
    """An event the stream cannot apply was refused: one older than the
    history it keeps (applying it would need events folded away), or one
    that would take its household's amounts beyond the total a ledger holds
    for one household (docs/limits.md). ``alerts`` holds
    the alerts produced before the refused event (those events were applied);
    ``row`` is the refused row's position when it came from a DataFrame.
    """

    kind = "stream_event"

    def __init__(self, message: str, alerts: List[Any], row: Optional[int] = None) -> None:
        self.alerts = alerts
        self.row = row
        super().__init__(message)


class ReloadError(Error, ValueError):
    """A stream's state cannot serve the new rules of :meth:`Stream.reload`;
    nothing changed. ``refused`` holds one reason per rule (``rule: …``) or
    attribute value, as ``earlywarn stream`` prints them on a SIGHUP: replay
    the history under the new rules instead (docs/streams.md, Reloading
    rules)."""

    kind = "checkpoint"

    def __init__(self, refused: List[str]) -> None:
        self.refused = refused
        super().__init__("cannot reload: " + "; ".join(refused))


class CheckpointError(Error):
    """A stream checkpoint could not be saved or restored (the message says why)."""

    kind = "checkpoint"


class FileError(Error, OSError):
    """A file earlywarn's engine could not read or write (the message names it and says why)."""

    kind = "io"


class UsageError(Error, ValueError):
    """A call outside its contract: a household index out of range, a date
    off the calendar (0001-01-01 to 9999-12-31), a negative horizon. The
    message says which argument and what it may be."""

    kind = "misuse"


def _from_core(
    kind: str, message: str, file: str, line: int, column: int, text: str, rendered: str
) -> Error:
    """The exception for an error the C++ library threw (``invalid_input``),
    by its kind; ``rendered`` is ``FILE:LINE:COL: message``."""
    if kind == "rules":
        return RulesError(
            [Diagnostic("error", line or None, column or None, message, rendered)], rendered
        )
    if kind == "ledger":
        return LedgerError(message, file=file or None, line=line, column=column, text=text or None)
    if kind == "attributes":
        return AttributeValueError(rendered, "", "", text)
    if kind == "checkpoint":
        return CheckpointError(rendered)
    if kind == "stream_event":
        return StreamError(rendered, [])
    if kind == "io":
        return FileError(rendered)
    return UsageError(rendered)
