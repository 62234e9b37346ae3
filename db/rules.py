"""Pure rules of the domain: citizen IDs, phones, ages, masking and normalisation.

No database, no I/O: every function here is a plain function of its arguments, so the GUI, the CLI, the workbook
import and the tests share one implementation of each rule (GLOSSARY: Members).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
_MOBILE_RE = re.compile(r"^1\d{10}$")


def normalize_text(value: object) -> str:
    """Text as stored: NFKC (full-width letters, digits and spaces become half-width) and stripped."""
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def citizen_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a citizen ID."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("first17 must be 17 digits")
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


@dataclass(frozen=True)
class CitizenId:
    """A parsed citizen ID: normalised number, birth date and gender it encodes, legacy flag."""

    number: str
    birth_date: date
    gender: str  # 'male' | 'female'
    legacy: bool = False


class CitizenIdError(ValueError):
    """The number is not a valid citizen ID; ``str()`` is the Chinese reason."""


def parse_citizen_id(value: str, *, today: date | None = None) -> CitizenId:
    """Validate and parse a 公民身份号码 (GB 11643).

    18 characters: 17 digits and a check character (digit or X, lower-case x accepted); the birth date must be a
    real date not in the future; the 17th digit gives the gender (odd = male). A legacy 15-digit number is parsed
    with ``legacy=True`` (callers show a warning). Raises ``CitizenIdError`` with the reason in Chinese.
    """
    number = normalize_text(value).upper().replace(" ", "")
    today = today or date.today()
    if len(number) == 15 and number.isdigit():
        birth_text, gender_digit, legacy = "19" + number[6:12], number[14], True
    elif len(number) == 18:
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            raise CitizenIdError("公民身份号码只能由数字和末位的 X 组成")
        expected = citizen_id_check_char(number[:17])
        if number[17] != expected:
            raise CitizenIdError(f"公民身份号码校验位错误（末位应为 {expected}），请核对号码")
        birth_text, gender_digit, legacy = number[6:14], number[16], False
    else:
        raise CitizenIdError(f"公民身份号码应为 18 位，当前为 {len(number)} 位")
    try:
        birth = date(int(birth_text[:4]), int(birth_text[4:6]), int(birth_text[6:8]))
    except ValueError as exc:
        raise CitizenIdError("公民身份号码中的出生日期无效") from exc
    if birth > today or birth.year < 1900:
        raise CitizenIdError("公民身份号码中的出生日期不合理")
    gender = "male" if int(gender_digit) % 2 == 1 else "female"
    return CitizenId(number=number, birth_date=birth, gender=gender, legacy=legacy)


def make_citizen_id(region: str, birth: date, sequence: int) -> str:
    """Build a valid 18-character citizen ID (used by the demo branch and tests).

    ``region`` is the 6-digit area code, ``sequence`` the 3-digit order number whose last digit is odd for men.
    """
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + citizen_id_check_char(first17)


def is_valid_mobile(value: str) -> bool:
    """A mainland mobile number: 11 digits starting with 1."""
    return bool(_MOBILE_RE.match(normalize_text(value).replace(" ", "").replace("-", "")))


def normalize_mobile(value: str) -> str:
    """Mobile number without spaces or dashes (and a leading +86 / 86 removed)."""
    digits = normalize_text(value).replace(" ", "").replace("-", "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def mask_citizen_id(value: str | None) -> str:
    """``110105********123X``: the area code and the last four stay, the rest is hidden."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``138****5678`` for mobiles; other numbers keep only their last four digits."""
    if not value:
        return ""
    if len(value) == 11:
        return value[:3] + "****" + value[-4:]
    if len(value) <= 4:
        return value
    return "*" * (len(value) - 4) + value[-4:]


def age_on(birth: date, on: date) -> int:
    """Completed years of age on a date."""
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def add_years(d: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def add_months(d: date, months: int) -> date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    import calendar

    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def parse_date(value: object) -> date | None:
    """A stored or typed date (``YYYY-MM-DD`` or a ``date``) as ``date``; empty gives None.

    Raises ``ValueError`` for anything else; the workbook import has its own, more forgiving reader.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
