"""Cleaning what offices type into roster cells, before a cell is converted to its column's type.

Each function takes a cell value and returns the cleaned value plus, where the secretary should know, a Chinese
note (``None`` when nothing worth saying happened). Kept apart from ``read.py`` so the rules are easy to find:

- text: BOM and zero-width characters dropped silently; line breaks and tabs become a space; other control
  characters are removed with a note; full-width spaces become half-width (NFKC, done by the caller);
- names: spaces inside a Chinese name are removed (``廖　磊峰`` → ``廖磊峰``); the middle dot of minority names
  (``·``, ``•``, ``・``, ``．``) becomes ``·``;
- citizen IDs: every space removed; a 15-digit number becomes its 18-digit form (so it matches);
- phones: ``+86``, dashes, spaces and brackets removed from a mobile number; a landline that lost its leading 0
  (Excel stored it as a number) is flagged;
- 出生年月 given as year and month only (``1985.03``, ``1985年3月``, the number 1985.03) is completed from the
  citizen ID when the two agree (``year_month`` / ``complete_birth_date``).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from db.rules import CitizenIdError, parse_citizen_id, upgrade_citizen_id

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_BREAKS = dict.fromkeys(map(ord, "\t\r\n\u2028\u2029\x0b\x0c"), " ")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_DOTS = dict.fromkeys(map(ord, "•・･.．‧∙⋅·"), "·")
_YEAR_MONTH_RE = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))$")
_MOBILE_JUNK_RE = re.compile(r"[\s\-－—–()（）]")


def clean_text(value: str) -> tuple[str, str | None]:
    """Invisible characters dropped, breaks to spaces, other control characters removed (with a note)."""
    text = value.translate(_INVISIBLE).translate(_BREAKS)
    removed = _CONTROL_RE.findall(text)
    if removed:
        text = _CONTROL_RE.sub("", text)
        return text, f"已删除 {len(removed)} 个不可见的控制字符"
    return text, None


def clean_name(name: str) -> str:
    """A Chinese name without inner spaces and with one form of middle dot; other names only trimmed."""
    if not _CJK_RE.search(name):
        return name.strip()
    return re.sub(r"\s+", "", name).translate(_DOTS).strip("·")


def clean_citizen_id(text: str) -> tuple[str, str | None]:
    """Spaces removed, upper-case X; a 15-digit number upgraded with a note."""
    number = re.sub(r"\s+", "", text).upper()
    if len(number) == 15 and number.isdigit():
        return upgrade_citizen_id(number), f"15 位号码「{number}」已换算为 18 位"
    return number, None


def clean_mobile(text: str) -> str:
    """``+86 138-1234-5678`` → ``13812345678``; anything that does not become 11 digits is left for validation."""
    digits = _MOBILE_JUNK_RE.sub("", text)
    for prefix in ("+86", "0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            digits = digits[len(prefix) :]
            break
    if len(digits) == 11 and digits.isdigit() and digits[0] == "1":
        return digits
    return text


def landline_note(text: str) -> str | None:
    """A note when a landline looks like it lost its leading 0 (area code written as a number by Excel)."""
    digits = _MOBILE_JUNK_RE.sub("", text)
    if digits.isdigit() and len(digits) in (9, 10, 11) and digits[0] not in "01":
        return f"固定电话「{text}」可能丢失了开头的 0（区号），请核对"
    return None


class YearMonth:
    """出生年月 with year and month only; the day comes from the citizen ID (``complete_birth_date``).

    ``months`` holds the possible months: the number 1985.1 may be October (1985.10 as Excel shows it) or January.
    """

    def __init__(self, year: int, months: tuple[int, ...], shown: str) -> None:
        self.year = year
        self.months = months
        self.shown = shown


def year_month(value: Any) -> YearMonth | None:
    """``1985.03`` / ``1985年3月`` / ``1985-3`` / ``198503`` / the number 1985.03 as a ``YearMonth``; else None."""
    kind = type(value)
    if kind is float and 1900 < value < 2100 and not value.is_integer():
        text = repr(value)
        year, frac = text.split(".")
        options: tuple[int, ...] = (
            (int(frac),) if len(frac) == 2 else (int(frac) * 10, int(frac)) if len(frac) == 1 else ()
        )
        months = tuple(m for m in options if 1 <= m <= 12)
        return YearMonth(int(year), months, text) if months else None
    if kind is not str:
        return None  # dates, whole numbers (serials), booleans
    text = unicodedata.normalize("NFKC", value).strip()
    m = _YEAR_MONTH_RE.match(text)
    if not m:
        return None
    month = int(m.group(2) or m.group(3))
    if not 1 <= month <= 12 or not 1900 < int(m.group(1)) < 2100:
        return None
    return YearMonth(int(m.group(1)), (month,), text)


def complete_birth_date(ym: YearMonth, citizen_id: str | None) -> date:
    """The full birth date of ``ym`` taken from the citizen ID; ``ValueError`` (Chinese) when they disagree."""
    if not citizen_id:
        raise ValueError(f"出生年月「{ym.shown}」只有年和月，且本行没有公民身份号码可补全日期")
    try:
        born = parse_citizen_id(citizen_id).birth_date
    except CitizenIdError:
        raise ValueError(f"出生年月「{ym.shown}」只有年和月，公民身份号码无效，无法补全日期") from None
    if born.year != ym.year or born.month not in ym.months:
        raise ValueError(
            f"出生年月「{ym.shown}」与公民身份号码中的出生日期（{born.isoformat()}）不一致，请核对"
        )
    return born
