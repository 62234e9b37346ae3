"""Frozen records the rest of the program receives from ``db``. Rows never leave the data layer.

``from_row`` is the one way a query row becomes a record: by column name, each field converted by its declared
type. A member field also declares its Chinese label and, when a user may set it, its kind (``member_field``), so
``db.members`` derives its column list, labels and editable fields from ``Member`` alone (docs/architecture.md, "Adding a member field").
"""

from __future__ import annotations

import operator
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any, TypeVar

from db.rules import parse_date

R = TypeVar("R")

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
# The education levels of the Party's statistics: 中技 is the 技工学校; 职业高中 beside 高中.
EDUCATIONS = (
    "研究生",
    "大学本科",
    "大学专科",
    "中等专科",
    "中技（技工学校）",
    "职业高中",
    "高中",
    "初中及以下",
)


def from_row(cls: type[R], row: Mapping[str, Any], **values: Any) -> R:
    """The record ``cls`` (a dataclass) built from ``row`` by column name.

    Each field takes the column of the same name (use ``AS`` aliases in the query); fields typed ``date`` are
    parsed from ISO text, fields typed ``bool`` from 0/1. A missing column raises ``KeyError`` (never a shifted
    value); extra columns are ignored. ``values`` give the fields that are no column of the row (worked out by
    the caller, or children read by another query) as they are.
    """
    plan = _PLANS.get(cls) or _PLANS.setdefault(cls, _Plan(cls))
    if not values and plan.pick is not None:
        # The common case, made cheap (it runs once per record of a 50,000-member roster): every column picked by
        # name at once, only the typed ones converted, the record built from its fields in order.
        args = list(plan.pick(row))
        for i, convert in plan.typed:
            args[i] = convert(args[i])
        return cls(*args)
    return cls(
        **{name: convert(row[name]) for name, convert in plan.converters if name not in values}, **values
    )


def _unchanged(value: Any) -> Any:
    return value


def _optional_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


class _Plan:
    """How ``from_row`` builds one record class: each field's converter (from its resolved type hint) and, when the
    fields can be given by position, one ``itemgetter`` of their columns and the positions that need converting."""

    def __init__(self, cls: type[Any]) -> None:
        hints = typing.get_type_hints(cls)
        converters: list[tuple[str, Callable[[Any], Any]]] = []
        for f in fields(cls):
            hint = hints[f.name]
            options = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
            convert: Callable[[Any], Any] = _unchanged
            if date in options:
                convert = parse_date
            elif bool in options:
                convert = _optional_bool if types.NoneType in options else bool
            converters.append((f.name, convert))
        self.converters = tuple(converters)
        self.typed = tuple((i, c) for i, (_, c) in enumerate(converters) if c is not _unchanged)
        names = [name for name, _ in converters]
        positional = len(names) > 1 and all(f.init and not f.kw_only for f in fields(cls))
        self.pick: Callable[[Mapping[str, Any]], tuple[Any, ...]] | None = (
            operator.itemgetter(*names) if positional else None
        )


_PLANS: dict[type[Any], _Plan] = {}


def member_field(label: str, kind: str | None = None, *, key: str | None = None) -> dict[str, str | None]:
    """The metadata of a ``Member`` field: its Chinese label (audit history, form, messages) and, when a user or
    an import may set it, its kind: ``text``, ``date``, ``bool``, ``choice``, ``group``, ``code`` (a coded value
    of ``db.codes``, ``''`` when not yet coded) or ``flag`` (yes, no, or None: not known). ``key`` is the name
    under which it is edited when that differs from the field name (``party_group`` for ``party_group_uuid``).
    Used as ``field(metadata=member_field(...))`` so that the field keeps no default."""
    return {"label": label, "kind": kind, "key": key}


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
class MemberRef:
    """A roster member as another record names them, by uuid and name: a project's leader and participants, a
    finding's owner, the mentors and introducers of a development step."""

    uuid: str
    name: str


@dataclass(frozen=True)
class Member:
    """A member of the roster (党员名册), with every field of the national record."""

    id: int
    uuid: str
    name: str = field(metadata=member_field("姓名", "text"))
    name_initials: str
    gender: str | None = field(metadata=member_field("性别", "choice"))
    ethnicity: str = field(metadata=member_field("民族", "text"))
    birth_date: date | None = field(metadata=member_field("出生日期", "date"))
    citizen_id: str | None = field(metadata=member_field("公民身份号码", "text"))
    education: str = field(metadata=member_field("学历", "text"))
    education_class: str = field(metadata=member_field("学历分类", "code"))
    category: str = field(metadata=member_field("人员类别", "choice"))
    joined_on: date | None = field(metadata=member_field("加入党组织日期", "date"))
    full_on: date | None = field(metadata=member_field("转为正式党员日期", "date"))
    job: str = field(metadata=member_field("工作岗位", "text"))
    post_code: str = field(metadata=member_field("工作岗位代码", "code"))
    tech_title: str = field(metadata=member_field("专业技术职务", "code"))
    front_line: bool | None = field(metadata=member_field("生产工作第一线", "flag"))
    mobile: str = field(metadata=member_field("手机号", "text"))
    landline: str = field(metadata=member_field("固定电话", "text"))
    address: str = field(metadata=member_field("家庭住址", "text"))
    standing: str = field(metadata=member_field("党籍状态", "choice"))
    lost_contact: bool = field(metadata=member_field("是否为失联党员", "bool"))
    lost_contact_on: date | None = field(metadata=member_field("失去联系日期", "date"))
    lost_contact_situation: str = field(metadata=member_field("失联情形", "code"))
    mobile_member: bool = field(metadata=member_field("是否为流动党员", "bool"))
    outflow_place: str = field(metadata=member_field("外出流向", "text"))
    party_group_uuid: str | None = field(metadata=member_field("党小组", "group", key="party_group"))
    party_group_name: str
    notes: str = field(metadata=member_field("备注", "text"))
    status: str = field(metadata=member_field("状态"))
    status_on: date | None = field(metadata=member_field("状态变更日期"))
    status_reason: str = field(metadata=member_field("状态变更原因"))
    created_at: str
    updated_at: str


@dataclass(frozen=True)
class PartReminder:
    """A reminder of a part that needs nothing more than what ``db.reminders.gather`` reads: ``kind``, ``text``
    (Chinese: what, who, since when), ``since``, and where to act (``page`` and its ``filters``)."""

    kind: str
    text: str
    since: date
    page: str
    filters: Mapping[str, Any] = field(default_factory=dict)


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
