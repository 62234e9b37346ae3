"""User actions on projects and findings to rectify."""

from __future__ import annotations

from typing import Any

from db import projects as projects_db
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def add_project(ctx: AppContext, **values: Any) -> projects_db.Project:
    """Add a project (``db.projects.add_project``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.add_project, **values)


def update_project(ctx: AppContext, **values: Any) -> projects_db.Project:
    """Change a project or record its progress (``db.projects.update_project``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.update_project, **values)


def add_finding(ctx: AppContext, **values: Any) -> projects_db.Finding:
    """Add a finding to rectify (``db.projects.add_finding``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.add_finding, **values)


def update_finding(ctx: AppContext, **values: Any) -> projects_db.Finding:
    """Change a finding or record its rectification (``db.projects.update_finding``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.update_finding, **values)


def transition_project(ctx: AppContext, **values: Any) -> projects_db.Project:
    """Move a project to another status (``db.projects.transition_project``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.transition_project, **values)


def add_progress(ctx: AppContext, **values: Any) -> projects_db.Project:
    """Record progress on a project (``db.projects.add_progress``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.add_progress, **values)


def record_acceptance(ctx: AppContext, **values: Any) -> projects_db.Project:
    """Record the acceptance of a finished project (``db.projects.record_acceptance``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.record_acceptance, **values)


def rectify_finding(ctx: AppContext, **values: Any) -> projects_db.Finding:
    """Register the rectification of a finding (``db.projects.rectify_finding``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.rectify_finding, **values)


def close_finding(ctx: AppContext, **values: Any) -> projects_db.Finding:
    """Close (销号) a finding (``db.projects.close_finding``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.close_finding, **values)


def reopen_finding(ctx: AppContext, **values: Any) -> projects_db.Finding:
    """Reopen a finding with a reason (``db.projects.reopen_finding``)."""
    return perform(ctx, (Change.PROJECTS,), projects_db.reopen_finding, **values)
