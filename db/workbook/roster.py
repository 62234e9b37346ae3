"""The roster sheet's rows and figures for the monthly workbook (党员名册), from the active members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from db.branch import get_branch
from db.members import ROSTER_ORDER, count_members
from db.rows import named
from db.store import Database
from db.workbook.format import ROSTER_SHEET


def roster_rows(db: Database, *, month: str) -> Iterable[dict[str, Any]]:
    """Active members in roster order (as ``db.members.list_members``), keyed by the fields of
    ``format.ROSTER_COLUMNS``. Streams from a cursor: memory does not grow with the roster."""
    branch = get_branch(db)
    branch_name = branch.name if branch else ""
    fields = [c.field for c in ROSTER_SHEET.columns if c.field not in ("seq", "branch_name", "party_group")]
    cursor = db.execute(
        f"SELECT {', '.join('m.' + f for f in fields)}, COALESCE(g.name, '') AS party_group "
        "FROM members m LEFT JOIN party_groups g ON g.id = m.party_group_id WHERE m.status = 'active'"
        + ROSTER_ORDER
    )
    for seq, record in enumerate(named(cursor), start=1):
        record.update(seq=seq, branch_name=branch_name)
        yield record


def roster_figures(db: Database, *, month: str) -> dict[str, int]:
    """党员人数 / 正式党员 / 预备党员 of the active roster."""
    counts = count_members(db)
    return {"党员人数": counts["active"], "正式党员": counts["full"], "预备党员": counts["probationary"]}
