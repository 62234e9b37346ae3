"""Table models of the branch profile page: party groups (党小组) and committee members (支委).

Both hold lists of frozen records given by the page (``db.branch.list_party_groups`` / ``list_committee``) and
never open a connection. ``RECORD_ROLE`` gives the record of a row.
"""

from __future__ import annotations

from datetime import date

from db import elections
from db.records import COMMITTEE_ROLES, CommitteeMember, PartyGroup
from db.rules import add_months
from db.store import Database
from desktop.i18n import translator
from desktop.models.records import RECORD_ROLE, Column, RecordsModel

__all__ = ["RECORD_ROLE", "CommitteeModel", "PartyGroupsModel", "term_warning"]

_tr = translator("Page")


class PartyGroupsModel(RecordsModel[PartyGroup]):
    context = "BranchModels"
    columns = (
        Column("党小组", lambda g: g.name),
        Column("组长", lambda g: g.leader_name or "（未设）"),
        Column("在册党员", lambda g: str(g.member_count), lambda g: g.member_count),
    )


class CommitteeModel(RecordsModel[CommitteeMember]):
    context = "BranchModels"
    columns = (
        Column("职务", lambda c: COMMITTEE_ROLES.get(c.role, c.role)),
        Column("姓名", lambda c: c.member_name),
        Column("任职日期", lambda c: c.since.isoformat() if c.since else ""),
        Column("离任日期", lambda c: c.until.isoformat() if c.until else ""),
    )


def term_warning(db: Database, end: date | None, *, today: date) -> str:
    """The warning beside the committee's term ending ``end`` (GLOSSARY: 换届): ended (with the approved
    postponement of that term, if any), or ending within three months; "" otherwise."""
    if end is None:
        return ""
    if end < today:
        postponed = elections.current_postponement(db)
        if postponed is not None and postponed.term_end == end:
            return (
                _tr("本届支委任期已于 %1 届满，经%2于 %3 批准延期换届，应于 %4 前完成换届选举")
                .replace("%1", end.isoformat())
                .replace("%2", postponed.approved_by)
                .replace("%3", postponed.approved_on.isoformat())
                .replace("%4", postponed.new_deadline.isoformat())
            )
        return _tr("本届支委任期已于 %1 届满，请尽快组织换届选举").replace("%1", end.isoformat())
    if end <= add_months(today, 3):
        return (
            _tr("本届支委任期将于 %1 届满（还有 %2 天），请提前筹备换届选举")
            .replace("%1", end.isoformat())
            .replace("%2", str((end - today).days))
        )
    return ""
