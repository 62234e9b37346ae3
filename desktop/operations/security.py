"""User actions on the database password."""

from __future__ import annotations

from db import store
from desktop.changes import EVERYTHING
from desktop.context import AppContext
from desktop.operations.base import perform


def change_password(ctx: AppContext, *, new_key: str | None) -> str | None:
    """Set, change (``new_key``) or remove (None) the password (``db.store.change_password``): the database is
    rewritten, ``ctx.db`` becomes the new connection and every page reloads. Returns the new recovery code."""
    database, code = perform(ctx, (), store.change_password, new_key=new_key)
    ctx.db = database
    ctx.notify(*EVERYTHING)
    return code
