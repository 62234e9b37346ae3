"""Records and vocabulary of transfers of organisational relationship (组织关系转接), mobile members (流动党员) and
standing events: the dataclasses, the kind/status tables with their Chinese labels, and the small pure helpers
other modules need (``outflow_place``, ``month_text``). Importing this never touches the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from db import vocabulary
from db.rules import add_months, normalize_text

MAX_VALIDITY_DAYS = 90
DEFAULT_VALIDITY_DAYS = 30
RECEIPT_DUE_MONTHS = 1
MOBILE_TRANSFER_MONTHS = 6

DIRECTIONS = vocabulary.TRANSFER_DIRECTIONS
TRANSFER_STATUSES = vocabulary.TRANSFER_STATUSES
RECEIPT_STATUSES = {"pending": "待回执", "overdue": "回执逾期", "returned": "已回执", "none": "—"}
# Standing and status events, by the kind code the yearly statistics count (issue 14). 'expelled' (出党) is the one
# kind of records made before the kinds were told apart: kept readable, no longer offered.
EVENT_KINDS = {
    "lost_contact": "失去联系",
    "contact_restored": "恢复联系",
    "suspended": "停止党籍",
    "reinstated": "恢复党籍",
    "probation_watch": "留党察看",
    "expulsion": "开除党籍",
    "removal": "除名",
    "removal_persuaded": "劝而不退除名",
    "removal_lapsed": "自行脱党除名",
    "persuaded": "劝退",
    "withdrawal": "退党",
    "probation_cancelled": "取消预备党员资格",
    "deceased": "去世",
    "expelled": "出党（未细分）",
}
# Events only another part records (with the vote and approval they need): not offered by the standing dialog.
# 取消预备党员资格 is recorded by the development part when the 上级党委 approves the 支部党员大会's decision (党章第七条).
EVENT_KINDS_RECORDED_ELSEWHERE = frozenset({"probation_cancelled"})
# What the standing form offers: not the undivided 出党 of old records, not the kinds recorded elsewhere.
EVENT_CHOICES = {
    k: v for k, v in EVENT_KINDS.items() if k != "expelled" and k not in EVENT_KINDS_RECORDED_ELSEWHERE
}
# Kinds that take the member off the roster (已减员) on their date.
LEAVING_KINDS = frozenset(
    {
        "expulsion",
        "removal",
        "removal_persuaded",
        "removal_lapsed",
        "persuaded",
        "withdrawal",
        "probation_cancelled",
        "deceased",
        "expelled",
    }
)
WATCH_MAX_YEARS = 2  # 留党察看最长不超过两年
# 纪律处分条例第十二条: 留党察看处分，分为留党察看一年、留党察看二年
WATCH_YEARS = (1, 2)
LOST_CONTACT_SUSPEND_MONTHS = 6  # 教管条例第二十四条: 失去联系6个月以上…予以停止党籍
SUSPENDED_REMOVAL_YEARS = 2  # 教管条例第二十四条: 停止党籍2年后确实无法取得联系的，按照自行脱党予以除名

# Where a member transferred in comes from, as the yearly statistics split 转入组织关系 (issue 19).
TRANSFER_SCOPES = {"within": "系统内", "outside": "系统外"}

DEVELOPMENT_DATES = {
    "applied_on": "递交入党申请日期",
    "activist_on": "确定为入党积极分子日期",
    "candidate_on": "确定为发展对象日期",
    "joined_on": "加入党组织日期",
    "full_on": "转为正式党员日期",
}

# --- records ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transfer:
    """One line of the transfer register (转出 or 转入)."""

    uuid: str
    direction: str  # 'out' | 'in'
    serial: str  # out: our serial 'YYYY-NNN'; in: the serial of the letter brought
    member_uuid: str
    member_name: str
    addressee: str
    from_unit: str
    to_unit: str
    dues_paid_to: str | None  # 'YYYY-MM'
    validity_days: int | None
    issued_on: date  # out: issue date; in: arrival date
    receipt_on: date | None
    applied_on: date | None
    activist_on: date | None
    candidate_on: date | None
    joined_on: date | None
    full_on: date | None
    status: str  # 'valid' | 'cancelled'
    cancel_reason: str
    notes: str
    scope: str  # in: 'within' (系统内) | 'outside' (系统外) | '' (not told: recorded before issue 19)
    whole_unit: bool  # 整建制: the member came or went with a whole organisation
    created_at: str
    updated_at: str

    @property
    def valid_until(self) -> date | None:
        """The last day the letter is valid (out only): the issue date plus its validity in days."""
        if self.direction != "out":
            return None
        return self.issued_on + timedelta(days=self.validity_days or 0)

    @property
    def receipt_due(self) -> date | None:
        """The day by which the 回执 should be back (out only): one month after the letter's validity ends
        (组通字〔2006〕45号: the receiving committee returns it within a month of receiving the member, who must
        report within the validity), not one month after issue (issue 14)."""
        until = self.valid_until
        return add_months(until, RECEIPT_DUE_MONTHS) if until is not None else None

    def in_progress(self, today: date) -> bool:
        """转出中 on ``today``: a valid letter out whose receipt has not come back and whose validity has not ended.
        The issuing branch stays responsible for the member meanwhile (教管条例第二十五条), so the member stays on
        the roster until then."""
        until = self.valid_until
        return (
            self.direction == "out"
            and self.status == "valid"
            and self.receipt_on is None
            and until is not None
            and self.issued_on <= today <= until
        )

    def receipt_status(self, today: date) -> str:
        """'returned', 'pending', 'overdue', or 'none' (transfers in, cancelled transfers)."""
        if self.direction != "out" or self.status != "valid":
            return "none"
        if self.receipt_on:
            return "returned"
        due = self.receipt_due
        return "overdue" if due is not None and today > due else "pending"


@dataclass(frozen=True)
class MobilePeriod:
    """A period during which a member is away as a mobile member (流动党员)."""

    uuid: str
    member_uuid: str
    member_name: str
    province: str
    city: str
    county: str
    reason: str
    contact: str
    started_on: date
    expected_return_on: date | None
    ended_on: date | None
    end_reason: str
    created_at: str
    updated_at: str
    activity_card: bool = False  # holds the 《流动党员活动证》 (党内统计 table 33)

    @property
    def place(self) -> str:
        """外出流向 as stored on the member: 省/市/县 joined with '/'."""
        return outflow_place(self.province, self.city, self.county)

    def months_away(self, today: date) -> int:
        """Completed months away up to ``today`` (or the end of the period)."""
        end = self.ended_on or today
        months = (end.year - self.started_on.year) * 12 + end.month - self.started_on.month
        if end.day < self.started_on.day:
            months -= 1
        return max(months, 0)


@dataclass(frozen=True)
class MemberEvent:
    """A dated standing or status event of a member."""

    uuid: str
    member_uuid: str
    member_name: str
    kind: str
    happened_on: date
    ends_on: date | None  # the end of a period (留党察看)
    decision: str  # the deciding body and its document
    reason: str
    created_at: str

    @property
    def label(self) -> str:
        """The kind in Chinese, with the period of a 留党察看."""
        text = EVENT_KINDS[self.kind]
        if self.ends_on is not None:
            text += f"（{self.happened_on.isoformat()} 至 {self.ends_on.isoformat()}）"
        return text


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a member's timeline: events of this module and the audit log merged, oldest first."""

    on: date | None
    at: str
    kind: str
    text: str
    source: str  # 'event' | 'transfer' | 'mobile' | 'audit'


@dataclass(frozen=True)
class TransferReminder:
    """Something the secretary should act on; ``page``/``filters`` say where to go."""

    kind: str  # 'receipt_overdue' | 'mobile_long_absence' | 'lost_contact_long' | 'suspended_long' | …
    text: str
    since: date
    page: str = "transfers"
    filters: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


def outflow_place(province: str, city: str = "", county: str = "") -> str:
    """'山西省/大同市/左云县' from its parts (empty parts left out)."""
    return "/".join(p for p in (normalize_text(province), normalize_text(city), normalize_text(county)) if p)


def month_text(value: object) -> str | None:
    """'YYYY-MM' from a date, 'YYYY-MM' or 'YYYY-MM-DD' text; None when empty; ValueError otherwise."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    text = normalize_text(value)
    if len(text) < 7 or text[4] != "-":
        raise ValueError(text)
    year, month = int(text[:4]), int(text[5:7])
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(text)
    return f"{year:04d}-{month:02d}"
