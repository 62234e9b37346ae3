"""User actions on projects and findings to rectify."""

from __future__ import annotations

from typing import Any

from db import projects as projects_db
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def add_project(ctx: AppContext, **values: Any) -> Any:
    """Add a project (``db.projects.add_project``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.add_project, **values)


def update_project(ctx: AppContext, **values: Any) -> Any:
    """Change a project or record its progress (``db.projects.update_project``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.update_project, **values)


def add_finding(ctx: AppContext, **values: Any) -> Any:
    """Add a finding to rectify (``db.projects.add_finding``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.add_finding, **values)


def update_finding(ctx: AppContext, **values: Any) -> Any:
    """Change a finding or record its rectification (``db.projects.update_finding``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.update_finding, **values)
