"""Pure rules of the domain: citizen IDs, phones, ages, masking and normalisation.

No database, no I/O: every function here is a plain function of its arguments, so the GUI, the CLI, the workbook
import and the tests share one implementation of each rule (GLOSSARY: Members).
"""

from __future__ import annotations

import calendar
import operator
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
    if type(value) is str and value.isascii():  # ASCII is its own NFKC form: most stored text takes this path
        return value.strip()
    return unicodedata.normalize("NFKC", str(value)).strip()


def citizen_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a citizen ID."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("first17 must be 17 digits")
    if first17.isascii():  # the weighted sum of the ASCII codes less that of "0" × 17: no int() per digit
        total = sum(map(operator.mul, first17.encode(), ID_WEIGHTS)) - _ZERO_WEIGHTS
    else:
        total = sum(map(operator.mul, map(int, first17), ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


_ZERO_WEIGHTS = ord("0") * sum(ID_WEIGHTS)


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


# The province codes (first two digits of the address code, GB/T 2260) of the 公民身份号码 issued: the 31 provinces,
# autonomous regions and municipalities, and 71/81/82/83 (台湾, 香港, 澳门; 83 on 台湾居民居住证).
PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37"}
    | {"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
    | {"71", "81", "82", "83"}
)


def upgrade_citizen_id(number: str) -> str:
    """A legacy 15-digit citizen ID in its 18-digit form (century 19 and the check character); others as given."""
    if len(number) == 15 and number.isdigit():
        first17 = number[:6] + "19" + number[6:]
        return first17 + citizen_id_check_char(first17)
    return number


def citizen_id_forms(value: str) -> tuple[str, ...]:
    """Every stored form of one person's 公民身份号码: a legacy 15-digit number and its 18-digit form are one person
    (the 18-digit form inserts the century 19 and appends the check character). Normalised like stored numbers."""
    number = normalize_text(value).upper().replace(" ", "")
    if len(number) == 15 and number.isdigit():
        return (number, upgrade_citizen_id(number))
    if len(number) == 18 and number[6:8] == "19" and number[:17].isdigit():
        short = number[:6] + number[8:17]
        if upgrade_citizen_id(short) == number:
            return (number, short)
    return (number,)


def canonical_citizen_id(value: str) -> str:
    """The 18-digit form of a 公民身份号码 (a legacy 15-digit number upgraded), to match one person's two forms."""
    return upgrade_citizen_id(normalize_text(value).upper().replace(" ", ""))


def citizen_id_notes(number: str) -> list[str]:
    """What looks wrong in a valid-looking 公民身份号码 without making it invalid (warnings, not errors): an address
    code whose first two digits are no issued province code, an order code 000."""
    number = normalize_text(number).upper().replace(" ", "")
    notes = []
    if len(number) in (15, 18) and number[:2] not in PROVINCE_CODES:
        notes.append(f"公民身份号码前两位「{number[:2]}」不是已发布的省级行政区划代码，请核对号码")
    order = number[12:15] if len(number) == 15 else number[14:17] if len(number) == 18 else ""
    if order == "000":
        notes.append("公民身份号码的顺序码为 000（不会分配此码），请核对号码")
    return notes


def make_citizen_id(region: str, birth: date, sequence: int) -> str:
    """Build a valid 18-character citizen ID (used by the demo branch and tests).

    ``region`` is the 6-digit area code, ``sequence`` the 3-digit order number whose last digit is odd for men.
    """
    first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return first17 + citizen_id_check_char(first17)


def is_valid_mobile(value: str) -> bool:
    """A mainland mobile number: 11 digits starting with 1."""
    return bool(_MOBILE_RE.match(normalize_text(value).replace(" ", "").replace("-", "")))


def clean_text_field(field: str, value: object) -> str:
    """A typed or imported text field as stored: ``normalize_text``, and for ``citizen_id`` upper case without
    spaces, for ``mobile`` without spaces, dashes or +86 (``normalize_mobile``)."""
    text = normalize_text(value)
    if field == "citizen_id":
        return text.upper().replace(" ", "")
    if field == "mobile":
        return normalize_mobile(text)
    return text


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
    index = d.month - 1 + months
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def full_months(since: date, end: date) -> int:
    """Whole months from ``since`` to ``end`` as ``add_months`` counts them: the largest n with
    ``add_months(since, n) <= end`` (lost on 12-31, six months on 06-30, as the 6-month reminders fall due)."""
    months = (end.year - since.year) * 12 + end.month - since.month
    return months - (add_months(since, months) > end)


def parse_date(value: object) -> date | None:
    """A stored or typed date (``YYYY-MM-DD`` or a ``date``) as ``date``; empty gives None.

    Raises ``ValueError`` for anything else; the workbook import has its own, more forgiving reader.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# --- Chinese numerals (transfer letters: dates, dues month and validity are written out) ----------------------

_DIGITS_LOWER = "〇一二三四五六七八九"
_DIGITS_CAPITAL = "零壹贰叁肆伍陆柒捌玖"
_UNITS_LOWER = ("", "十", "百", "千")
_UNITS_CAPITAL = ("", "拾", "佰", "仟")


def chinese_numerals(n: int, *, capital: bool = False) -> str:
    """Digit by digit, as years are written: ``2026`` → ``二〇二六`` (``capital=True``: ``贰零贰陆``)."""
    if n < 0:
        raise ValueError("n must not be negative")
    digits = _DIGITS_CAPITAL if capital else _DIGITS_LOWER
    return "".join(digits[int(c)] for c in str(n))


def chinese_number(n: int, *, capital: bool = False) -> str:
    """A number from 0 to 9999 in words: ``11`` → ``十一`` / ``拾壹``, ``30`` → ``三十`` / ``叁拾``, ``105`` → ``一百零五``.

    10–19 are written without a leading one (拾壹, not 壹拾壹), as on the introduction letter.
    """
    if not 0 <= n <= 9999:
        raise ValueError("n must be between 0 and 9999")
    digits = _DIGITS_CAPITAL if capital else _DIGITS_LOWER
    zero = digits[0] if capital else "零"
    units = _UNITS_CAPITAL if capital else _UNITS_LOWER
    if n == 0:
        return zero
    text = str(n)
    out: list[str] = []
    pending_zero = False
    for i, c in enumerate(text):
        d = int(c)
        place = len(text) - 1 - i
        if d == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append(zero)
            pending_zero = False
        if not (d == 1 and place == 1 and not out):
            out.append(digits[d])
        out.append(units[place])
    return "".join(out)


# 党章第九条第二款 (2022), quoted by the dues and the organisational-life reminders (docs/rules.md gives the source).
CHARTER_ARTICLE_9 = (
    "党章第九条：“党员如果没有正当理由，连续六个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，"
    "就被认为是自行脱党。支部大会应当决定把这样的党员除名，并报上级党组织批准。”"
)


def date_text(d: date) -> str:
    """``2026-03-05`` → ``2026年03月05日``. Joined in Python, never through ``strftime``: on Windows a format
    holding 年/月/日 is encoded in the ANSI code page and fails (a test scans the source for such formats)."""
    return f"{d.year:04d}年{d.month:02d}月{d.day:02d}日"


def month_day_text(d: date) -> str:
    """``2026-03-05`` → ``03月05日`` (see ``date_text``)."""
    return f"{d.month:02d}月{d.day:02d}日"


def chinese_year_month(year: int, month: int, *, capital: bool = True) -> str:
    """``2026, 11`` → ``贰零贰陆年拾壹月`` (``capital=False``: ``二〇二六年十一月``)."""
    return f"{chinese_numerals(year, capital=capital)}年{chinese_number(month, capital=capital)}月"


def chinese_date(d: date, *, capital: bool = True) -> str:
    """``2026-11-21`` → ``贰零贰陆年拾壹月贰拾壹日`` (``capital=False``: ``二〇二六年十一月二十一日``)."""
    return f"{chinese_year_month(d.year, d.month, capital=capital)}{chinese_number(d.day, capital=capital)}日"


# --- dues (党费) tiers: GLOSSARY "Dues" -------------------------------------------------------------------------

# Dues categories of a member's dues basis, with their Chinese labels.
DUES_CATEGORIES: dict[str, str] = {
    "employed": "在职党员",
    "retired": "离退休党员",
    "relief": "学生/下岗失业/低保",
    "farmer": "农民党员",
    "fixed": "固定金额",
}
RELIEF_DUES_FEN = 20  # students, unemployed, on relief: 0.2 yuan a month
FARMER_DUES_RANGE_FEN = (20, 100)  # farmers: 0.2–1 yuan a month (branch setting ``dues_farmer_fen``)

# (upper bound of the base in fen, inclusive; rate in tenths of a per cent, i.e. per mille × 10 / 10). The rate of
# the band the base falls in applies to the WHOLE base, not marginally.
_EMPLOYED_TIERS: tuple[tuple[int | None, int], ...] = (
    (300_000, 5),
    (500_000, 10),
    (1_000_000, 15),
    (None, 20),
)
_RETIRED_TIERS: tuple[tuple[int | None, int], ...] = ((500_000, 5), (None, 10))


def dues_rate_permille(category: str, base_fen: int) -> int | None:
    """The dues rate in tenths of a per cent (5 = 0.5 %, 20 = 2 %) for a base in fen; None for fixed amounts.

    Employed: ≤3000 → 0.5 %, ≤5000 → 1 %, ≤10000 → 1.5 %, above → 2 %. Retired: ≤5000 → 0.5 %, above → 1 %.
    Relief, farmer and fixed categories pay a fixed amount (None). Raises ``ValueError`` for a negative base or an
    unknown category.
    """
    if base_fen < 0:
        raise ValueError("base must not be negative")
    if category not in DUES_CATEGORIES:
        raise ValueError(f"unknown dues category {category!r}")
    tiers = _EMPLOYED_TIERS if category == "employed" else _RETIRED_TIERS if category == "retired" else None
    if tiers is None:
        return None
    for upper, rate in tiers:
        if upper is None or base_fen <= upper:
            return rate
    raise AssertionError("unreachable")  # pragma: no cover


def dues_rate_text(rate: int | None) -> str:
    """``0.5%``, ``1%``, ``1.5%``, ``2%``; ``定额`` for a fixed amount."""
    if rate is None:
        return "定额"
    whole, tenth = divmod(rate, 10)
    return f"{whole}%" if tenth == 0 else f"{whole}.{tenth}%"


def monthly_dues_fen(
    category: str, base_fen: int, *, farmer_fen: int = RELIEF_DUES_FEN, fixed_fen: int | None = None
) -> int:
    """Monthly dues in fen: the whole base × the rate of its band, rounded half up to the fen (0.01 yuan).

    3200 yuan → 32.00; 5400 → 81.00; 10000 → 150.00; 11500 → 230.00 (all as fen). ``relief`` pays 20 fen,
    ``farmer`` pays ``farmer_fen`` (the branch setting, 20–100 fen), ``fixed`` pays ``fixed_fen``. Integer arithmetic
    only, never floats. Raises ``ValueError`` for a negative base or amount, or a missing fixed amount.
    """
    rate = dues_rate_permille(category, base_fen)
    if rate is not None:
        # base_fen * rate / 1000, rounded half up, in integers
        return (base_fen * rate * 2 + 1000) // 2000
    if category == "relief":
        return RELIEF_DUES_FEN
    if category == "farmer":
        low, high = FARMER_DUES_RANGE_FEN
        if not low <= farmer_fen <= high:
            raise ValueError("farmer dues must be 0.2–1 yuan")
        return farmer_fen
    if fixed_fen is None or fixed_fen < 0:
        raise ValueError("a fixed dues amount is needed")
    return fixed_fen


def yuan_to_fen(value: object) -> int:
    """Parse yuan (``"3200"``, ``"3,200.5"``, ``Decimal``, int) to integer fen, rounding half up to the fen.

    Raises ``ValueError`` for text that is not a number. Floats are refused: money never passes through a float.
    """
    from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

    if isinstance(value, float):
        # ValueError, not TypeError: callers catch ValueError for every amount they cannot take.
        raise ValueError("money must not be a float")  # noqa: TRY004
    text = normalize_text(value).replace(",", "").replace("，", "").replace("¥", "").replace("元", "")
    try:
        amount = Decimal(text) if not isinstance(value, Decimal) else value
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount: {value!r}")
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fen_to_yuan_text(fen: int | None) -> str:
    """``12345`` → ``"123.45"``; None → ``""``. Exact (integer arithmetic)."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


# 15/18-character citizen IDs and 11-digit mobiles: personal data that never goes to a log or an error line.
_ID_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])|(?<![0-9])[0-9]{15}(?![0-9])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[0-9]{10}(?![0-9])")


def scrub_personal_data(text: str) -> str:
    """``text`` with citizen IDs and mobile numbers replaced by placeholders (for logs and error messages)."""
    return _MOBILE_IN_TEXT.sub("<手机号>", _ID_IN_TEXT.sub("<身份证号>", text))
