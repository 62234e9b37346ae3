"""The completeness list of the coded member data (issue 19): the active members whose 工作岗位代码, 学历分类 or
生产工作第一线 is not yet coded, which the yearly statistics (党内统计) cannot place in a row, and the members 失联
whose 失联情形 is not filled in (table 43 would count them under 失联情形未填写).

The migration that introduced the codes filled them from the free text where it was unambiguous
(``db.codes``); the rest are listed here for the secretary to complete in one screen, each member saved on its own
(one transaction with its audit entries, through ``db.members.update_member``). The home page and
``branchdesk check`` say how many are left (``completeness_reminders``, the roster's reminders in ``db.parts``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from db import members
from db.records import Member, PartReminder
from db.store import Database

# The fields every member needs for the tables; 专业技术职务 is not among them (only 企事业单位 members with a title
# have one, and '' is then a true answer for most).
REQUIRED_CODES: tuple[str, ...] = ("post_code", "education_class", "front_line")
# Required of a member out of contact (``lost_contact``) only: table 43 counts them by it.
LOST_CODE = "lost_contact_situation"
# The fields the completeness list edits.
CODE_FIELDS: tuple[str, ...] = ("post_code", "education_class", "tech_title", "front_line", LOST_CODE)


@dataclass(frozen=True)
class IncompleteMember:
    """An active member with ``missing`` (keys of ``REQUIRED_CODES``, in that order, then ``LOST_CODE``) not yet
    coded."""

    member: Member
    missing: tuple[str, ...]

    @property
    def missing_labels(self) -> str:
        """What is missing, in Chinese (工作岗位代码、生产工作第一线)."""
        return "、".join(members.FIELD_LABELS[key] for key in self.missing)


def missing_codes(member: Member) -> tuple[str, ...]:
    """The codes ``member`` still lacks: those of ``REQUIRED_CODES``, and 失联情形 while out of contact."""
    missing = tuple(key for key in REQUIRED_CODES if getattr(member, key) in ("", None))
    return (*missing, LOST_CODE) if member.lost_contact and not member.lost_contact_situation else missing


def incomplete_members(db: Database) -> list[IncompleteMember]:
    """The active members whose coded data is incomplete, in roster order."""
    out = []
    for member in members.list_members(db):
        missing = missing_codes(member)
        if missing:
            out.append(IncompleteMember(member, missing))
    return out


def count_incomplete(db: Database) -> int:
    """How many active members lack a required code (one query; for the home page and ``check``)."""
    row = db.execute(
        "SELECT count(*) FROM members WHERE status = 'active'"
        " AND (post_code = '' OR education_class = '' OR front_line IS NULL"
        " OR (lost_contact = 1 AND lost_contact_situation = ''))"
    ).fetchone()
    return int(row[0])


def complete_member(db: Database, *, uuid: str, values: Mapping[str, Any], source: str = "local") -> Member:
    """Save the codes of one member from the completeness list (keys of ``CODE_FIELDS``): one transaction, each
    changed field audited. Raises ``ValidationError`` (a code not in its list) or ``KeyError`` for another field."""
    unknown = set(values) - set(CODE_FIELDS)
    if unknown:
        raise KeyError(min(unknown))
    return members.update_member(db, uuid=uuid, changes=values, source=source)


def completeness_reminders(db: Database, *, today: date) -> list[PartReminder]:
    """One reminder while members lack their codes: how many, what is missing, where to complete them."""
    n = count_incomplete(db)
    if not n:
        return []
    return [
        PartReminder(
            "codes_incomplete",
            f"{n} 名在册党员的统计信息（工作岗位代码、学历分类、生产工作第一线，失联党员的失联情形）尚未填全，"
            "年度党内统计无法归类，请在「党员名册 → 统计信息补全」中补全",
            today,
            "members",
            {"view": "codes"},
        )
    ]
