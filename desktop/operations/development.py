"""User actions on developing new members: people in the pipeline and their steps."""

from __future__ import annotations

from typing import Any

from db import development as development_db
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def add_person(ctx: AppContext, **values: Any) -> development_db.DevelopmentPerson:
    """Add a person to the pipeline (``db.development.add_person``)."""
    return perform(ctx, (Change.DEVELOPMENT,), development_db.add_person, **values)


def update_person(ctx: AppContext, **values: Any) -> development_db.DevelopmentPerson:
    """Change a person's fields (``db.development.update_person``)."""
    return perform(ctx, (Change.DEVELOPMENT,), development_db.update_person, **values)


# Steps that put a person on the roster or take them off it.
ROSTER_STEPS = frozenset({"upper_approval", "full_approval", "probation_cancelled"})


def add_step(ctx: AppContext, **values: Any) -> development_db.DevelopmentStep:
    """Record a step (``db.development.add_step``); an admission step changes the roster too."""
    changes = (
        (Change.DEVELOPMENT, Change.MEMBERS) if values.get("kind") in ROSTER_STEPS else (Change.DEVELOPMENT,)
    )
    return perform(ctx, changes, development_db.add_step, **values)


def void_step(ctx: AppContext, **values: Any) -> development_db.DevelopmentStep:
    """Void a step recorded by mistake (``db.development.void_step``)."""
    return perform(ctx, (Change.DEVELOPMENT,), development_db.void_step, **values)


def leave_pipeline(ctx: AppContext, **values: Any) -> development_db.DevelopmentPerson:
    """Take a person out of the pipeline (``db.development.leave_pipeline``)."""
    return perform(ctx, (Change.DEVELOPMENT,), development_db.leave_pipeline, **values)
