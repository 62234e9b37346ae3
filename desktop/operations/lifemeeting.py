"""User actions on a 组织生活会's preparation and 整改清单 (``db.lifemeeting``)."""

from __future__ import annotations

from typing import Any

from db import lifemeeting as lifemeeting_db
from db.projects import Finding
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def add_opinion(ctx: AppContext, **values: Any) -> lifemeeting_db.Opinion:
    return perform(ctx, (Change.MEETINGS,), lifemeeting_db.add_opinion, **values)


def archive_opinion(ctx: AppContext, **values: Any) -> None:
    perform(ctx, (Change.MEETINGS,), lifemeeting_db.archive_opinion, **values)


def set_material(ctx: AppContext, **values: Any) -> lifemeeting_db.Material:
    return perform(ctx, (Change.MEETINGS,), lifemeeting_db.set_material, **values)


def set_criticism(ctx: AppContext, **values: Any) -> lifemeeting_db.Criticism:
    return perform(ctx, (Change.MEETINGS,), lifemeeting_db.set_criticism, **values)


def add_item(ctx: AppContext, **values: Any) -> Finding:
    """A 整改清单 item: a finding on the 检查整改 page, so the projects page refreshes too."""
    return perform(ctx, (Change.MEETINGS, Change.PROJECTS), lifemeeting_db.add_item, **values)
