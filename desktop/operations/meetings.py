"""User actions on meetings: plan, record, amend, decide, lock, cancel; heart-to-heart talks."""

from __future__ import annotations

from typing import Any

from db import meetings as meetings_db
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def plan_meeting(ctx: AppContext, **values: Any) -> meetings_db.Meeting:
    """Plan a meeting (``db.meetings.plan_meeting``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.plan_meeting, **values)


def update_meeting(ctx: AppContext, **values: Any) -> meetings_db.Meeting:
    """Change fields of a meeting whose minutes are not locked (``db.meetings.update_meeting``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.update_meeting, **values)


def hold_meeting(ctx: AppContext, **values: Any) -> meetings_db.Meeting:
    """Record that a planned meeting was held, with its attendance (``db.meetings.hold_meeting``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.hold_meeting, **values)


def update_record(ctx: AppContext, **values: Any) -> meetings_db.Meeting:
    """Correct the record and attendance of a held, unlocked meeting (``db.meetings.update_record``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.update_record, **values)


def cancel_meeting(ctx: AppContext, **values: Any) -> meetings_db.Meeting:
    """Cancel a planned meeting with a reason (``db.meetings.cancel_meeting``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.cancel_meeting, **values)


def amend_meeting(ctx: AppContext, **values: Any) -> meetings_db.Amendment:
    """Amend locked minutes (kept as an amendment) (``db.meetings.amend_meeting``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.amend_meeting, **values)


def lock_minutes(ctx: AppContext, **values: Any) -> meetings_db.Meeting:
    """Lock the minutes of a held meeting (``db.meetings.lock_minutes``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.lock_minutes, **values)


def add_decision(ctx: AppContext, **values: Any) -> meetings_db.Decision:
    """Record a decision (vote) of a meeting (``db.meetings.add_decision``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.add_decision, **values)


def record_heart_talk(ctx: AppContext, **values: Any) -> meetings_db.HeartTalk:
    """Record a heart-to-heart talk (``db.meetings.record_heart_talk``)."""
    return perform(ctx, (Change.MEETINGS,), meetings_db.record_heart_talk, **values)
