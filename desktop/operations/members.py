"""User actions on member records: add, edit, archive, restore."""

from __future__ import annotations

from typing import Any

from db import completeness, transfers
from db import members as members_db
from db.records import Member
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def add_member(ctx: AppContext, **values: Any) -> Member:
    """Add a member to the roster (``db.members.add_member``)."""
    return perform(ctx, (Change.MEMBERS,), members_db.add_member, **values)


def update_member(ctx: AppContext, **values: Any) -> Member:
    """Change a member's fields (``db.members.update_member``)."""
    return perform(ctx, (Change.MEMBERS,), members_db.update_member, **values)


def archive_member(ctx: AppContext, **values: Any) -> Member:
    """Take a member off the roster (kept in the archive), ending their open 外出 periods
    (``db.transfers.leave_roster``)."""
    return perform(ctx, (Change.MEMBERS, Change.TRANSFERS), transfers.leave_roster, **values)


def restore_member(ctx: AppContext, **values: Any) -> Member:
    """Put an archived member back on the roster (``db.members.restore_member``)."""
    return perform(ctx, (Change.MEMBERS,), members_db.restore_member, **values)


def complete_member(ctx: AppContext, **values: Any) -> Member:
    """Save statistical codes of a member from the completeness list (``db.completeness.complete_member``)."""
    return perform(ctx, (Change.MEMBERS,), completeness.complete_member, **values)
