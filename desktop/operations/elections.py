"""User actions of the election cycle (换届选举): each the ``db.elections`` call of its step. The approval also
changes the branch (committee and term)."""

from __future__ import annotations

from typing import Any

from db import elections
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform

_CHANGES = (Change.ELECTIONS,)


def start_election(ctx: AppContext, **values: Any) -> elections.Election:
    return perform(ctx, _CHANGES, elections.start_election, **values)


def record_reply(ctx: AppContext, **values: Any) -> elections.Election:
    return perform(ctx, _CHANGES, elections.record_reply, **values)


def set_candidates(ctx: AppContext, **values: Any) -> elections.Election:
    return perform(ctx, _CHANGES, elections.set_candidates, **values)


def record_round(ctx: AppContext, **values: Any) -> elections.Election:
    return perform(ctx, _CHANGES, elections.record_round, **values)


def elect_officers(ctx: AppContext, **values: Any) -> elections.Election:
    return perform(ctx, _CHANGES, elections.elect_officers, **values)


def record_report(ctx: AppContext, **values: Any) -> elections.Election:
    return perform(ctx, _CHANGES, elections.record_report, **values)


def approve_election(ctx: AppContext, **values: Any) -> elections.Election:
    """The upper 党委's approval: the new committee and term are written to 支部设置."""
    return perform(ctx, (Change.ELECTIONS, Change.BRANCH), elections.approve_election, **values)


def archive_election(ctx: AppContext, **values: Any) -> None:
    return perform(ctx, _CHANGES, elections.archive_election, **values)
