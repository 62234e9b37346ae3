"""User actions on the branch's own Word templates (支部设置 → Word 模板)."""

from __future__ import annotations

from pathlib import Path

from db.attachments.records import Attachment
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform
from desktop.word import forms

CHANGES = (Change.ATTACHMENTS,)


def set_template(ctx: AppContext, *, kind: str, path: Path) -> Attachment:
    """Use the .docx at ``path`` for printout ``kind`` (checked first; the previous one goes to the 回收站)."""
    return perform(ctx, CHANGES, forms.set_template, kind=kind, path=path)


def reset_template(ctx: AppContext, *, kind: str) -> None:
    """Back to the default template of ``kind``."""
    perform(ctx, CHANGES, forms.reset_template, kind=kind)
