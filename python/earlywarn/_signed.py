"""Signed amounts (``signed_amounts=True``): payments and credits given
negative, charges and everything else positive, as accounting exports write
them (docs/python.md, Signed amounts).

The ledger itself holds every amount as 0 or more and takes the direction
from the type (docs/language.md, Ledger). Reading signed amounts flips the
sign of payments and credits and refuses a sign that contradicts the type.
A refused row is made one the engine refuses at the same row and field, so
that the first bad row is reported whatever is wrong with it, and then
:func:`reason` replaces the engine's message for it.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple

import numpy as np
import numpy.typing as npt

from ._columns import Column

SIGNED_TYPES = ("payment", "credit")
"""The types whose amounts are given negative: those that lower the balance."""

_NEGATIVE_MESSAGE = "amount must not be negative"
# What a refused row's amount becomes: text and numbers the engine refuses as negative.
_REFUSED_TEXT = "-1"


def reason(type_name: str, amount: str) -> str:
    """Why a signed amount contradicts its type."""
    if type_name in SIGNED_TYPES:
        return (
            f"{type_name} amount {amount} is positive, but with signed_amounts=True payments and "
            f"credits are given negative (-{amount} is a {type_name} of {amount}); money going "
            "back to the household is a charge"
        )
    return (
        f"{type_name} amount {amount} is negative, but with signed_amounts=True only payments "
        "and credits are given negative; a charge, plan or any other event has an amount of 0 "
        "or more"
    )


def _is_positive(text: bytes) -> bool:
    return text[:1].isdigit() and re.fullmatch(rb"[0-9]+(\.[0-9]+)?", text) is not None and any(
        c in b"123456789" for c in text
    )


def _is_negative(text: bytes) -> bool:
    return text[:1] == b"-" and text[1:2].isdigit()


# -- DataFrame columns ------------------------------------------------------------

Reasons = Callable[[int], Optional[str]]


def signed_columns(
    type_column: Column, amount: Column
) -> Tuple[Column, Reasons]:
    """The amount column with payments' and credits' signs flipped, and for
    a row the engine refused, the signed-amount reason (None for another)."""
    type_codes, type_names, _ = type_column
    signed = np.array([n in SIGNED_TYPES for n in (type_names or [])] + [False], dtype=bool)
    # Code -1 (a missing type) picks the last entry: not signed.
    row_signed = signed[np.asarray(type_codes, dtype=np.int64)]
    data, names, kind = amount
    if kind in ("float", "integer"):
        values = np.asarray(data)
        if values.dtype.kind == "u":
            values = np.minimum(values, np.iinfo(np.int64).max).astype(np.int64)
        bad = np.where(row_signed, values > 0, values < 0)
        flipped = np.where(row_signed, -values, values)
        flipped[bad] = -1

        def text_of(row: int) -> str:
            v = values[row]
            return str(int(v)) if kind == "integer" else str(np.format_float_positional(v, trim="-"))

        return (flipped, None, kind), _reasons(bad, type_codes, type_names, text_of)
    # Coded text: the distinct texts, their sign-flipped forms, then the refused marker.
    texts: List[str] = list(names or [])
    encoded = [t.encode("utf-8", "replace") for t in texts]
    positive = np.array([_is_positive(t) for t in encoded] + [False], dtype=bool)
    negative = np.array([_is_negative(t) for t in encoded] + [False], dtype=bool)
    # "-x" becomes "x", refused as no number rather than as negative.
    flipped_texts = [t[1:] if len(t) > 1 and t[0] == "-" else t for t in texts]
    codes = np.asarray(data, dtype=np.int64)
    missing = codes < 0
    bad = ~missing & np.where(row_signed, positive[codes], negative[codes])
    new_codes = np.where(row_signed & ~missing, codes + len(texts), codes)
    new_codes[bad] = 2 * len(texts)
    column = (new_codes, texts + flipped_texts + [_REFUSED_TEXT], "codes")
    return column, _reasons(bad, type_codes, type_names, lambda row: texts[int(codes[row])])


def _reasons(
    bad: npt.NDArray[np.bool_],
    type_codes: npt.NDArray[Any],
    type_names: Optional[List[str]],
    text_of: Callable[[int], str],
) -> Reasons:
    def why(row: int) -> Optional[str]:
        if row < 0 or row >= len(bad) or not bad[row]:
            return None
        return reason(type_names[type_codes[row]], text_of(row))  # type: ignore[index]

    return why


# -- CSV text ------------------------------------------------------------------------


class SignedCsv:
    """Ledger CSV bytes with payments' and credits' signs flipped in place
    (``-120.00`` becomes ``0120.00``, the same amount to the loader), byte
    positions kept so that every line and column the loader reports holds.
    A row whose sign contradicts its type gets a ``-`` the loader refuses
    there; :meth:`fix` then gives the reason and the row as written."""

    def __init__(self, data: bytes) -> None:
        self.original = data
        buffer = bytearray(data)
        self._reasons: Dict[int, str] = {}  # amount field's line -> reason
        self._starts: Dict[int, int] = {}  # each line of a rewritten row -> the row's offset
        for start, lines, type_text, offset, amount_line, amount_text in _rows(data):
            signed = type_text in (b"payment", b"credit")
            if signed and _is_negative(amount_text):
                buffer[offset] = ord("0")
            elif signed and _is_positive(amount_text):
                buffer[offset] = ord("-")
                self._reasons[amount_line] = reason(type_text.decode(), amount_text.decode())
            elif not signed and amount_text[:1] == b"-":
                self._reasons[amount_line] = reason(
                    type_text.decode("utf-8", "replace"), amount_text.decode("utf-8", "replace")
                )
                continue
            else:
                continue
            for line in lines:
                self._starts[line] = start
        self.text = bytes(buffer)

    def fix(self, line: int, message: str, row: bytes) -> Tuple[str, bytes]:
        """The reason and the raw row as written for an error the loader reported."""
        if line in self._reasons and message.startswith(_NEGATIVE_MESSAGE):
            message = self._reasons[line]
        start = self._starts.get(line)
        if start is not None:
            row = self.original[start : start + len(row)]
        return message, row


Row = Tuple[int, Tuple[int, ...], bytes, int, int, bytes]


def _rows(data: bytes) -> Iterator[Row]:
    """Each data row's offset, physical lines, type text, the offset of its
    amount's first byte, that byte's line and the amount text; rows the
    loader splits otherwise (a broken quote, fewer than four fields) are
    left out, the loader reporting them."""
    pos = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    line = 1
    while pos < len(data) and data[pos] in b"\r\n":  # blank lines before the header
        line += data[pos] == ord("\n")
        pos += 1
    end = data.find(b"\n", pos)
    pos, line = (len(data), line) if end < 0 else (end + 1, line + 1)
    size = len(data)
    while pos < size:
        end = data.find(b"\n", pos)
        end = size if end < 0 else end
        text = data[pos:end]
        if text.endswith(b"\r"):
            text = text[:-1]
        if not text:
            pos, line = end + 1, line + 1
            continue
        if b'"' not in text:
            fields = text.split(b",", 4)
            if len(fields) >= 4:
                amount = fields[3].split(b",", 1)[0]
                offset = pos + len(fields[0]) + len(fields[1]) + len(fields[2]) + 3
                yield pos, (line,), fields[2], offset, line, amount
            pos, line = end + 1, line + 1
            continue
        parsed = _quoted_row(data, pos, line)
        if parsed is None:
            pos, line = end + 1, line + 1
            continue
        quoted, next_pos, next_line = parsed
        if len(quoted) >= 4:
            (type_text, _, _), (amount, offset, amount_line) = quoted[2], quoted[3]
            yield pos, tuple(range(line, next_line)), type_text, offset, amount_line, amount
        pos, line = next_pos, next_line


def _quoted_row(
    data: bytes, pos: int, line: int
) -> Optional[Tuple[List[Tuple[bytes, int, int]], int, int]]:
    """RFC 4180 fields (text, offset of the first byte, line) of the row at
    ``pos``, and where the next row begins; None for a broken quote."""
    fields: List[Tuple[bytes, int, int]] = []
    size = len(data)
    while True:
        if pos < size and data[pos] == ord('"'):
            start, start_line = pos + 1, line
            out = bytearray()
            pos += 1
            while True:
                if pos >= size:
                    return None
                c = data[pos]
                if c == ord('"'):
                    if pos + 1 < size and data[pos + 1] == ord('"'):
                        out.append(c)
                        pos += 2
                        continue
                    pos += 1
                    break
                line += c == ord("\n")
                out.append(c)
                pos += 1
            fields.append((bytes(out), start, start_line))
            if pos < size and data[pos] == ord("\r") and data[pos + 1 : pos + 2] == b"\n":
                pos += 1
            if pos >= size or data[pos] == ord("\n"):
                return fields, pos + 1, line + 1
            if data[pos] != ord(","):
                return None
            pos += 1
        else:
            start = pos
            while pos < size and data[pos] not in b',\n"':
                pos += 1
            if pos < size and data[pos] == ord('"'):
                return None
            text = data[start:pos]
            if pos >= size or data[pos] == ord("\n"):
                fields.append((text[:-1] if text.endswith(b"\r") else text, start, line))
                return fields, pos + 1, line + 1
            fields.append((text, start, line))
            pos += 1
