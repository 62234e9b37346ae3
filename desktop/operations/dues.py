"""User actions on party dues: bases and payments."""

from __future__ import annotations

from typing import Any

from db import dues as dues_db
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform


def set_basis(ctx: AppContext, **values: Any) -> dues_db.DuesBasis:
    """Set a member's dues basis from a month on (``db.dues.set_basis``)."""
    return perform(ctx, (Change.DUES,), dues_db.set_basis, **values)


def record_payments(ctx: AppContext, **values: Any) -> list[dues_db.LedgerEntry]:
    """Record a payment covering one or more months (``db.dues.record_payments``)."""
    return perform(ctx, (Change.DUES,), dues_db.record_payments, **values)


def update_payment(ctx: AppContext, **values: Any) -> dues_db.LedgerEntry:
    """Correct a recorded payment (``db.dues.update_payment``)."""
    return perform(ctx, (Change.DUES,), dues_db.update_payment, **values)


def mark_unpaid(ctx: AppContext, **values: Any) -> dues_db.LedgerEntry:
    """Take back a payment recorded by mistake (``db.dues.mark_unpaid``)."""
    return perform(ctx, (Change.DUES,), dues_db.mark_unpaid, **values)


def mark_all_paid(ctx: AppContext, **values: Any) -> int:
    """Record every unpaid member of a month as paid (``db.dues.mark_all_paid``); returns how many."""
    return perform(ctx, (Change.DUES,), dues_db.mark_all_paid, **values)


def set_quarterly(ctx: AppContext, **values: Any) -> dues_db.QuarterlySetting:
    """A member pays by quarter with the branch's consent (``db.dues.set_quarterly``)."""
    return perform(ctx, (Change.DUES,), dues_db.set_quarterly, **values)


def end_quarterly(ctx: AppContext, **values: Any) -> dues_db.QuarterlySetting:
    """A member pays monthly again (``db.dues.end_quarterly``)."""
    return perform(ctx, (Change.DUES,), dues_db.end_quarterly, **values)
