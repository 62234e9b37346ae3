"""User actions on training hours (学时): enter, void, import a list."""

from __future__ import annotations

from typing import Any

from db import training
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def add_training(ctx: AppContext, **values: Any) -> training.TrainingRecord:
    """Enter external training for a member (``db.training.add_training``)."""
    return perform(ctx, (Change.TRAINING,), training.add_training, **values)


def archive_training(ctx: AppContext, **values: Any) -> training.TrainingRecord:
    """Void an entry of the ledger (``db.training.archive_training``)."""
    return perform(ctx, (Change.TRAINING,), training.archive_training, **values)


def apply_training_import(ctx: AppContext, **values: Any) -> int:
    """Import the rows of a previewed list (``db.training.apply_training_import``)."""
    return perform(ctx, (Change.TRAINING,), training.apply_training_import, **values)
