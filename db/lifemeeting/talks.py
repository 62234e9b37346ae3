"""The 谈心谈话 a 组织生活会 expects before it, linked to the talks recorded in the meetings part.

Expected pairs (docs/rules.md, 组织生活会): the 书记 with each other committee member and with each member of the
meeting, and every two committee members; the committee is the one serving on the meeting's day. A pair counts as
done by any recorded talk with both of them among its participants, held from 1 January of the 年度 the meeting
reviews up to the meeting's day (a 2025年度组织生活会 held in January 2026 counts the talks of 2025 and of January).
"""

from __future__ import annotations

from datetime import date

from db import rows
from db.branch import list_committee
from db.lifemeeting.preparation import life_meeting, people
from db.lifemeeting.records import TalkPair
from db.meetings import Meeting
from db.store import Database


def talk_window(m: Meeting) -> tuple[date, date]:
    """The days whose talks count for the meeting: 1 January of its 年度 to the meeting's day."""
    year = m.reviewed_year or m.held_on.year
    return date(year, 1, 1), max(m.held_on, date(year, 1, 1))


def _expected(db: Database, m: Meeting) -> list[tuple[str, str, str, str, str]]:
    """(kind, a_uuid, a_name, b_uuid, b_name) of every pair expected, the 书记 first."""
    committee = list(
        dict.fromkeys((c.member_uuid, c.member_name, c.role) for c in list_committee(db, on=m.held_on))
    )
    secretary = next(((u, n) for u, n, role in committee if role == "secretary"), None)
    pairs: list[tuple[str, str, str, str, str]] = []
    seen: set[frozenset[str]] = set()

    def add(kind: str, a: tuple[str, str], b: tuple[str, str]) -> None:
        key = frozenset((a[0], b[0]))
        if a[0] != b[0] and key not in seen:
            seen.add(key)
            pairs.append((kind, a[0], a[1], b[0], b[1]))

    others = [(u, n) for u, n, role in committee if role != "secretary"]
    if secretary:
        for c in others:
            add("secretary_committee", secretary, c)
    for i, a in enumerate(others):
        for b in others[i + 1 :]:
            add("committee_pair", a, b)
    if secretary:
        c_uuids = {u for u, _n, _r in committee}
        for member in people(db, m.uuid):
            if member[0] not in c_uuids:
                add("secretary_member", secretary, member)
    return pairs


def talk_pairs(db: Database, *, meeting_uuid: str) -> list[TalkPair]:
    """The pairs a 组织生活会 expects to have talked before it, each with the latest talk in its window (missing
    ones have none): 书记与支委, 支委之间, 书记与党员, in that order. No 书记 serving: the committee pairs only."""
    m = life_meeting(db, meeting_uuid)
    first, last = talk_window(m)
    talks: dict[int, tuple[str, date, set[str]]] = {}
    for r in rows.query(
        db,
        "SELECT t.id, t.uuid, t.held_on, mb.uuid AS member_uuid FROM heart_talks t "
        "JOIN heart_talk_participants p ON p.heart_talk_id = t.id JOIN members mb ON mb.id = p.member_id "
        "WHERE t.held_on BETWEEN ? AND ? ORDER BY t.held_on, t.id",
        [first.isoformat(), last.isoformat()],
    ):
        talks.setdefault(r["id"], (r["uuid"], date.fromisoformat(r["held_on"]), set()))[2].add(
            r["member_uuid"]
        )
    out = []
    for kind, a, an, b, bn in _expected(db, m):
        found = [(on, uuid) for uuid, on, who in talks.values() if a in who and b in who]
        latest = max(found) if found else None
        out.append(TalkPair(kind, a, an, b, bn, latest[1] if latest else None, latest[0] if latest else None))
    return out
