"""The vocabulary of party dues: rule constants, month arithmetic and the records every other module passes around.

Shared constants live here so that no module must import the service to get one (``db.dues`` re-exports them all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from db.errors import Problem
from db.rules import DUES_CATEGORIES

MAX_BACK_MONTHS = 6  # back-payment at most 6 months
MAX_AHEAD_MONTHS = 6  # pre-payment at most 6 months
REMINDER_MONTHS = 3  # consecutive unpaid months that make a reminder
URGENT_MONTHS = 6  # ... and an urgent one (treated as leaving the Party)
# Not a rule (the 党费规定 sets no ceiling): the largest amount the database holds with room for a year's sums over
# a branch (SQLite integers are 64-bit, about 9.2e18 fen); a larger one is a typing error, refused in Chinese.
MAX_AMOUNT_FEN = 10**15


def amount_problems(field: str, label: str, fen: int | None) -> list[Problem]:
    """The reason an amount of money cannot be recorded at all: above ``MAX_AMOUNT_FEN`` (None: no amount)."""
    if fen is None or fen <= MAX_AMOUNT_FEN:
        return []
    limit = f"{MAX_AMOUNT_FEN // 100:,}"
    return [Problem(field, f"{label}超出可记录的范围（最多 {limit} 元），请核对是否多输了数字")]


BASIS_MODES = {"year": "按年核定（每年年初）", "month": "按月调整（收入变化当月起）"}


# --- months ---------------------------------------------------------------------------------------------------


def month_start(d: date) -> date:
    """The first day of the month of ``d`` (months are passed around as such dates)."""
    return d.replace(day=1)


def month_key(d: date) -> str:
    """``YYYY-MM`` as stored."""
    return f"{d.year:04d}-{d.month:02d}"


def month_from_key(key: str) -> date:
    return date(int(key[:4]), int(key[5:7]), 1)


def month_label(d: date) -> str:
    """``2026年3月``."""
    return f"{d.year}年{d.month}月"


def month_index(d: date) -> int:
    """The month of ``d`` as a running number, so that months compare and subtract as integers."""
    return d.year * 12 + d.month - 1


def month_of_index(i: int) -> date:
    """The first day of the month ``month_index`` numbers."""
    return date(i // 12, i % 12 + 1, 1)


def add_month(d: date, months: int) -> date:
    """The first day of the month ``months`` after the month of ``d``."""
    return month_of_index(month_index(d) + months)


# --- records --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuesMember:
    """A member as the dues ledger sees them: who they are and when they belonged to the branch. The fields of
    ``db.records.Member`` the dues rules read, and no more, so that the roster read for a ledger stays small (a
    50,000-member branch's HQ workbook is written within its memory bound)."""

    id: int
    uuid: str
    name: str
    category: str
    party_group_name: str
    joined_on: date | None
    standing: str
    lost_contact: bool
    lost_contact_on: date | None
    status: str
    status_on: date | None
    status_reason: str


@dataclass(frozen=True)
class DuesBasis:
    """One member's dues basis from a month on. ``amount_fen`` is what the member owes per month (after any
    reduction); ``computed_fen`` is the amount of the official tier before a reduction."""

    uuid: str
    member_uuid: str
    member_name: str
    from_month: date
    category: str
    base_fen: int
    fixed_fen: int | None
    rate: int | None  # tenths of a per cent (db.rules.dues_rate_permille); None for fixed amounts
    computed_fen: int
    reduced_fen: int | None
    decision_on: date | None
    decision_note: str
    approved_on: date | None
    approval_note: str
    note: str

    @property
    def amount_fen(self) -> int:
        return self.computed_fen if self.reduced_fen is None else self.reduced_fen

    @property
    def category_label(self) -> str:
        return DUES_CATEGORIES[self.category]


@dataclass(frozen=True)
class BasisRow:
    """A member in the bases tab: the basis in force in ``month`` (None when never set)."""

    member_uuid: str
    member_name: str
    member_category: str
    party_group_name: str
    basis: DuesBasis | None
    quarterly: bool = False  # pays by quarter with the branch's consent in that month (db.dues.quarterly)


@dataclass(frozen=True)
class LedgerEntry:
    """One member in the ledger of one month. ``due_fen`` is None when no dues basis was set for the member yet."""

    member_uuid: str
    member_name: str
    member_category: str  # full / probationary
    party_group_name: str
    member_status: str
    month: date
    dues_category: str | None
    base_fen: int | None
    rate: int | None
    due_fen: int | None
    reduced: bool
    paid_fen: int | None
    paid_on: date | None
    proxy_uuid: str | None
    proxy_name: str
    note: str

    @property
    def paid(self) -> bool:
        """A payment is recorded for the month (in full or in part)."""
        return self.paid_fen is not None

    @property
    def partial(self) -> bool:
        """Paid less than the amount due: the rest stays owed (issue 14)."""
        return self.paid_fen is not None and self.due_fen is not None and self.paid_fen < self.due_fen

    @property
    def owed_fen(self) -> int:
        """What is still owed for the month (0 when settled or when no basis is set)."""
        if self.due_fen is None:
            return 0
        return max(self.due_fen - (self.paid_fen or 0), 0)

    @property
    def settled(self) -> bool:
        """Paid in full, or nothing owed (exempt). A partial payment does not settle the month."""
        return self.due_fen == 0 or (self.paid_fen is not None and not self.partial)


@dataclass(frozen=True)
class DuesTotals:
    """Totals of a month or a year: amounts due and paid (fen), members who owe and members who paid."""

    label: str
    due_fen: int
    paid_fen: int
    members_due: int
    members_paid: int
    members_without_basis: int = 0


@dataclass(frozen=True)
class YearReport:
    year: int
    months: list[DuesTotals]
    total: DuesTotals


@dataclass(frozen=True)
class Arrears:
    """Consecutive unpaid months of one member up to the last completed month."""

    member_uuid: str
    member_name: str
    party_group_name: str
    months: int
    since: date  # first day of the first unpaid month
    owed_fen: int
    reason: str = ""  # a reason recorded on an unpaid month of the run (住院, 经支部同意缓交…)
    no_basis: bool = False  # no dues basis set: nothing can be collected until one is
    # 'lost' (失联) or 'suspended' (停止党籍) today: 教管条例第二十四条 applies, not 党章第九条's six months
    standing: str = ""
    standing_since: date | None = None  # the day lost (None: not recorded)


@dataclass(frozen=True)
class DuesReminder:
    """A reminder for the home page: ``kind`` is ``dues_arrears`` (3+ months) or ``dues_urgent`` (6+ months)."""

    kind: str
    text: str
    since: date
    page: str = "dues"
    filters: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    member_uuid: str = ""
    months: int = 0
    urgent: bool = False


@dataclass(frozen=True)
class DuesStanding:
    """How a member paid over a period (党内统计 table 2's 补充资料), as the ledger tells it.

    ``on_time``: every month owed in the period with an amount above 0 was paid in full by the end of that month
    (for a member paying by quarter with the branch's consent, by the end of the quarter), and there was at least
    one; ``unknown``: a month owed has no dues basis and no payment with its amount, or lies before the branch's
    records start, so it cannot be told; ``reduced`` / ``exempt``: the basis in force in the last month owed is an
    approved reduction (少交) / exemption (免交, 0); ``extra_once_fen``: the most paid above what was due on one
    day in the period (一次性多交)."""

    member_uuid: str
    on_time: bool
    unknown: bool
    reduced: bool
    exempt: bool
    extra_once_fen: int


@dataclass(frozen=True)
class PublicationRow:
    """One line of the annual publication list (党费收缴公示)."""

    member_name: str
    party_group_name: str
    dues_category: str
    monthly_fen: int | None
    months_due: int
    months_paid: int
    due_fen: int
    paid_fen: int
    note: str
