"""The 民主评议 sheet of the HQ monthly workbook: the results of a round in the month its 支部评定 was decided (one
row per member who took part: the marks, the branch's grade and any 组织处置); in later months the members with a
组织处置 decided in the month or a 限期改正 still running (HQ follows it to its end). Headline figures for HQ
consolidation."""

from __future__ import annotations

from typing import Any

from db.appraisal.actions import list_actions
from db.appraisal.records import GRADE_KEYS, Action, Participant, Round
from db.appraisal.service import list_rounds, participants
from db.store import Database
from db.transfers.records import month_text


def _row(r: Round, p: Participant, actions: list[Action]) -> dict[str, Any]:
    mine = [a for a in actions if a.member_uuid == p.member_uuid]
    row: dict[str, Any] = {
        "year": r.year,
        "name": p.name,
        "party_group": p.party_group,
        "group": p.group,
        **{f"marks_{k}": p.marks[i] for i, k in enumerate(GRADE_KEYS)},
        "abstain": p.abstain(r.ballots) if p.graded else None,
        "grade": p.grade or "",
        "decided_on": r.decided_on,
        "action": "；".join(a.text for a in mine),
        "action_on": mine[-1].decided_on if mine else None,
        "uuid": r.uuid,
    }
    return row


def _running(a: Action, month: str | None) -> bool:
    """A 限期改正 still running in ``month`` ('YYYY-MM'): decided by its end, not closed before it began."""
    if a.kind != "rectify" or month is None:
        return False
    decided = month_text(a.decided_on) or ""
    closed = month_text(a.closed_on) if a.closed_on else None
    return decided <= month and (closed is None or closed >= month)


def monthly_appraisal_rows(db: Database, *, month: object) -> list[dict[str, Any]]:
    """Rows of the 民主评议 sheet for ``month`` ('YYYY-MM' or a date in it), keyed by the sheet's fields."""
    text = month_text(month)
    out: list[dict[str, Any]] = []
    for r in sorted(list_rounds(db), key=lambda x: x.year):
        actions = list_actions(db, round_uuid=r.uuid)
        people = [p for p in participants(db, round_uuid=r.uuid) if p.group in ("graded", "ungraded")]
        if r.decided_on is not None and month_text(r.decided_on) == text:
            out += [_row(r, p, actions) for p in people]
            continue
        later = {a.member_uuid for a in actions if month_text(a.decided_on) == text or _running(a, text)}
        out += [_row(r, p, actions) for p in people if p.member_uuid in later]
    return out


def monthly_appraisal_figures(db: Database, *, month: object) -> dict[str, int]:
    """Headline numbers: people who took part in a round decided in the month, graded 优秀 and 不合格, and 组织处置
    decided in the month."""
    text = month_text(month)
    decided = [r for r in list_rounds(db) if r.decided_on is not None and month_text(r.decided_on) == text]
    people = [
        p for r in decided for p in participants(db, round_uuid=r.uuid) if p.group in ("graded", "ungraded")
    ]
    return {
        "民主评议参评人数": len(people),
        "评定为优秀": sum(p.grade == "excellent" for p in people),
        "评定为不合格": sum(p.grade == "unqualified" for p in people),
        "组织处置": sum(month_text(a.decided_on) == text for a in list_actions(db)),
    }
