"""The election's reminder: the election under way and its next step (a tie or a void vote says so)."""

from __future__ import annotations

from datetime import date

from db.elections.records import STEPS
from db.elections.service import next_round, next_step, open_election
from db.records import PartReminder
from db.store import Database

# The part's reminder is the plain ``PartReminder`` (the name is kept for callers of ``db.elections``).
ElectionReminder = PartReminder


def election_reminders(db: Database, *, today: date) -> list[PartReminder]:
    """One reminder while an election is under way: what to do next, since the last step recorded."""
    e = open_election(db)
    if e is None:
        return []
    step = next_step(e)
    since = max(d for d in (e.request_on, e.reply_on, e.held_on, e.officers_on, e.report_on) if d is not None)
    if e.rounds:
        since = max(since, e.rounds[-1].held_on)
    text = f"换届选举（{e.request_on.isoformat()} 请示）下一步：{STEPS[step]}"
    plan = next_round(e) if step == "vote" else None
    if plan is not None and plan.reason:
        text += f"（{plan.reason}）"
    return [PartReminder("election_step", text, min(since, today), "elections")]
