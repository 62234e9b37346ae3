"""Who is under 留党察看 on a day: the periods recorded as standing events (``member_events`` of kind
'probation_watch', from ``happened_on`` to ``ends_on`` inclusive).

《中国共产党基层组织选举工作条例》第五条: “受留党察看处分的党员在留党察看期间没有表决权、选举权和被选举权”. The vote
count (应到), the assembly's quorum and committee appointments ask here. Kept apart from ``db.transfers`` (which
records the events) so that the roster's rules can ask without importing a part's service.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db.rows import query
from db.store import Database

RULE_WATCH = "《中国共产党基层组织选举工作条例》第五条"


def events_of(db: Database, *kinds: str) -> list[dict[str, Any]]:
    """The standing events of ``kinds``, oldest first, each as ``uuid`` (the member's), ``kind``, ``happened_on`` and
    ``ends_on`` (ISO text or None)."""
    marks = ", ".join("?" for _ in kinds)
    return query(
        db,
        "SELECT m.uuid AS uuid, e.kind AS kind, e.happened_on AS happened_on, e.ends_on AS ends_on "
        f"FROM member_events e JOIN members m ON m.id = e.member_id WHERE e.kind IN ({marks}) "
        "ORDER BY e.happened_on, e.id",
        list(kinds),
    )


def watch_periods(db: Database) -> dict[str, list[tuple[date, date]]]:
    """member uuid → the (first day, last day) of each recorded 留党察看, oldest first."""
    out: dict[str, list[tuple[date, date]]] = {}
    for r in events_of(db, "probation_watch"):
        if r["ends_on"]:
            out.setdefault(r["uuid"], []).append(
                (date.fromisoformat(r["happened_on"]), date.fromisoformat(r["ends_on"]))
            )
    return out


def watch_on(db: Database, *, member_uuid: str, on: date) -> tuple[date, date] | None:
    """The 留党察看 period of the member that covers ``on``, or None."""
    return next((p for p in watch_periods(db).get(member_uuid, []) if p[0] <= on <= p[1]), None)


def under_watch(db: Database, *, on: date) -> set[str]:
    """The uuids of the members under 留党察看 on ``on`` (no vote, no election, not electable)."""
    return {u for u, periods in watch_periods(db).items() if any(a <= on <= b for a, b in periods)}


def suspended_on(db: Database, *, on: date) -> set[str]:
    """The uuids of the members whose 党籍 is suspended (停止党籍) on ``on``: by their latest 停止党籍/恢复党籍 event by
    then; a member without such events by the current standing. Who votes on a past day asks here, so a suspension
    recorded later does not change the 应到 of an earlier vote or meeting."""
    events: dict[str, list[tuple[date, bool]]] = {}
    for r in events_of(db, "suspended", "reinstated"):
        events.setdefault(r["uuid"], []).append(
            (date.fromisoformat(r["happened_on"]), r["kind"] == "suspended")
        )
    out = set()
    for r in query(db, "SELECT uuid, standing FROM members"):
        history = [s for d, s in events.get(r["uuid"], []) if d <= on]
        if history[-1] if history else (r["standing"] == "suspended" and r["uuid"] not in events):
            out.add(r["uuid"])
    return out
