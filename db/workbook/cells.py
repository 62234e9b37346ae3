"""Cell values shared by the writer and the readers: formula-injection escaping and the data checksum.

The checksum in the 说明 sheet is a SHA-256 over every data sheet's name, header and cell values in a canonical
text form that is the same whether computed from the Python values we write or from what python-calamine reads
back (dates as ISO, whole numbers without ``.0``, blanks as empty text). Consolidation recomputes it to detect a
workbook edited after export.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def escape_text(text: str) -> str:
    """Text safe for a cell, the one formula-escaping rule of every workbook written (``writer.py``): a leading
    ``= + - @``, tab or carriage return (which Excel or a CSV re-save would treat as a formula) gets an apostrophe
    in front; an existing leading apostrophe is doubled so ``unescape_text`` is exact."""
    if text.startswith(FORMULA_CHARS) or text.startswith(ESCAPE):
        return ESCAPE + text
    return text


def unescape_text(text: str) -> str:
    """Inverse of ``escape_text``."""
    if (
        text.startswith(ESCAPE)
        and len(text) > 1
        and (text[1:].startswith(FORMULA_CHARS) or text[1] == ESCAPE)
    ):
        return text[1:]
    return text


def plain_text(value: Any) -> str | None:
    """The text every text form of a value agrees on: text as it is, a blank as empty text, a boolean as 1/0;
    ``None`` for any other value (a date, a number), which each form writes its own way."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if type(value) is date:
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    return None


def canonical(value: Any) -> str:
    """A cell value as the text the checksum covers."""
    text = plain_text(value)
    if text is not None:
        return text
    if isinstance(value, datetime):
        if value.hour == value.minute == value.second == value.microsecond == 0:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


class Checksum:
    """Incremental SHA-256 over sheets and rows in canonical form."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256()

    def sheet(self, name: str) -> None:
        self._hash.update(b"\x1d" + name.encode())

    def row(self, values: list[Any]) -> None:
        text = "\x1f".join([v if type(v) is str else "" if v is None else canonical(v) for v in values])
        self._hash.update((text + "\x1e").encode())

    def hexdigest(self) -> str:
        return self._hash.hexdigest()
