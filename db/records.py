"""Frozen records the rest of the program receives from ``db``. Rows never leave the data layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

GENDERS = {"male": "男", "female": "女"}
CATEGORIES = {"full": "正式党员", "probationary": "预备党员"}
STANDINGS = {"normal": "正常", "suspended": "停止党籍"}
STATUSES = {"active": "在册", "transferred_out": "已转出", "removed": "已减员"}
COMMITTEE_ROLES = {
    "secretary": "书记",
    "deputy_secretary": "副书记",
    "organization": "组织委员",
    "publicity": "宣传委员",
    "discipline": "纪检委员",
    "youth": "青年委员",
    "united_front": "统战委员",
}
EDUCATIONS = ("研究生", "大学本科", "大学专科", "中等专科", "高中", "初中及以下")


@dataclass(frozen=True)
class Branch:
    uuid: str
    name: str
    code: str
    parent_org: str
    term_start: date | None
    term_end: date | None


@dataclass(frozen=True)
class PartyGroup:
    id: int
    uuid: str
    name: str
    leader_uuid: str | None
    leader_name: str
    sort_order: int
    member_count: int


@dataclass(frozen=True)
class CommitteeMember:
    uuid: str
    member_uuid: str
    member_name: str
    role: str
    since: date | None
    until: date | None


@dataclass(frozen=True)
class Member:
    """A member of the roster (党员名册), with every field of the national record."""

    id: int
    uuid: str
    name: str
    name_initials: str
    gender: str | None
    ethnicity: str
    birth_date: date | None
    citizen_id: str | None
    education: str
    category: str
    joined_on: date | None
    full_on: date | None
    job: str
    mobile: str
    landline: str
    address: str
    standing: str
    lost_contact: bool
    lost_contact_on: date | None
    mobile_member: bool
    outflow_place: str
    party_group_uuid: str | None
    party_group_name: str
    notes: str
    status: str
    status_on: date | None
    status_reason: str
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class AuditEntry:
    at: str
    actor: str
    source: str
    batch: str | None
    entity: str
    entity_uuid: str
    action: str
    field: str
    old: str | None
    new: str | None
