"""User actions on the branch itself: profile, party groups, committee."""

from __future__ import annotations

from typing import Any

from db import branch as branch_db
from db import elections, rule_settings
from db.records import Branch, CommitteeMember, PartyGroup
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def save_branch(ctx: AppContext, **values: Any) -> Branch:
    """Save the branch profile (``db.branch.save_branch``)."""
    return perform(ctx, (Change.BRANCH,), branch_db.save_branch, **values)


def save_party_group(ctx: AppContext, **values: Any) -> PartyGroup:
    """Add or rename a party group (``db.branch.save_party_group``)."""
    return perform(ctx, (Change.BRANCH,), branch_db.save_party_group, **values)


def appoint_committee_member(ctx: AppContext, **values: Any) -> CommitteeMember:
    """Appoint a committee member (``db.branch.appoint_committee_member``)."""
    return perform(ctx, (Change.BRANCH,), branch_db.appoint_committee_member, **values)


def end_committee_service(ctx: AppContext, **values: Any) -> None:
    """End a committee member's service (``db.branch.end_committee_service``)."""
    return perform(ctx, (Change.BRANCH,), branch_db.end_committee_service, **values)


def postpone_election(ctx: AppContext, **values: Any) -> elections.Postponement:
    """Record the approved postponement of the committee's election (``db.elections.postpone_election``)."""
    return perform(ctx, (Change.BRANCH,), elections.postpone_election, **values)


def save_rule_settings(ctx: AppContext, **values: Any) -> dict[str, Any]:
    """Store the settings the rules read (``db.rule_settings.save_rule_settings``): meetings' compliance and the
    dues rules change with them."""
    return perform(
        ctx, (Change.BRANCH, Change.MEETINGS, Change.DUES), rule_settings.save_rule_settings, **values
    )
