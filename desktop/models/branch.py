"""Table models of the branch profile page: party groups (党小组) and committee members (支委).

Both hold lists of frozen records given by the page (``db.branch.list_party_groups`` / ``list_committee``) and
never open a connection. ``RECORD_ROLE`` gives the record of a row.
"""

from __future__ import annotations

from db.records import COMMITTEE_ROLES, CommitteeMember, PartyGroup
from desktop.models.records import RECORD_ROLE, Column, RecordsModel

__all__ = ["RECORD_ROLE", "CommitteeModel", "PartyGroupsModel"]


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
