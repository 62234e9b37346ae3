"""User actions of the 民主评议党员: the round and its steps, the tally, the branch's grades, 组织处置, feedback.

A 组织处置 that removes the member changes the roster and the standing events as well (``db.transfers``)."""

from __future__ import annotations

from typing import Any

from db import appraisal
from db.errors import Problem
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def open_round(ctx: AppContext, **values: Any) -> appraisal.Round:
    """Open the round of a 年度 (``db.appraisal.open_round``)."""
    return perform(ctx, (Change.APPRAISAL,), appraisal.open_round, **values)


def round_for_meeting(ctx: AppContext, **values: Any) -> appraisal.Round:
    """The round of a 民主评议党员 meeting's 年度, opened and linked when missing (``db.appraisal.round_for_meeting``)."""
    return perform(ctx, (Change.APPRAISAL,), appraisal.round_for_meeting, **values)


def update_round(ctx: AppContext, **values: Any) -> appraisal.Round:
    """The steps' dates and the meeting of the 民主测评 (``db.appraisal.update_round``)."""
    return perform(ctx, (Change.APPRAISAL,), appraisal.update_round, **values)


def save_tally(ctx: AppContext, **values: Any) -> list[appraisal.Participant]:
    """The tally of the 测评票 (``db.appraisal.save_tally``)."""
    return perform(ctx, (Change.APPRAISAL,), appraisal.save_tally, **values)


def set_grades(ctx: AppContext, **values: Any) -> list[Problem]:
    """The branch's grades; returns the warnings (``db.appraisal.set_grades``)."""
    return perform(ctx, (Change.APPRAISAL,), appraisal.set_grades, **values)


def record_action(ctx: AppContext, **values: Any) -> appraisal.Action:
    """A 组织处置 (``db.appraisal.record_action``); removal kinds change the roster."""
    return perform(
        ctx, (Change.APPRAISAL, Change.MEMBERS, Change.TRANSFERS), appraisal.record_action, **values
    )


def close_rectify(ctx: AppContext, **values: Any) -> appraisal.Action:
    """The result of a 限期改正 (``db.appraisal.close_rectify``)."""
    return perform(ctx, (Change.APPRAISAL,), appraisal.close_rectify, **values)


def record_feedback(ctx: AppContext, **values: Any) -> appraisal.Participant:
    """The feedback talk to a member (``db.appraisal.record_feedback``)."""
    return perform(ctx, (Change.APPRAISAL,), appraisal.record_feedback, **values)
