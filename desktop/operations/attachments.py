"""User actions on attachments: add, replace, to the 回收站 and back, empty it, file scanned printouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from db import attachments as attachments_db
from db.attachments import scans
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations.base import perform

CHANGES = (Change.ATTACHMENTS, Change.MEETINGS)  # a meeting shows its filed sign-in sheet


def add_files(
    ctx: AppContext, *, owner_kind: str, owner_id: str, paths: list[Path]
) -> list[attachments_db.Attachment]:
    """Attach files to a record (``db.attachments.add_file``), one transaction each."""

    def add_all(db: Any) -> list[attachments_db.Attachment]:
        return [
            attachments_db.add_file(db, owner_kind=owner_kind, owner_id=owner_id, path=Path(p)) for p in paths
        ]

    return perform(ctx, CHANGES, add_all)


def replace(ctx: AppContext, *, uuid: str, path: Path) -> attachments_db.Attachment:
    """Put a new file in the place of an attachment; the old one goes to the 回收站."""
    return perform(
        ctx,
        CHANGES,
        attachments_db.replace_attachment,
        uuid=uuid,
        name=Path(path).name,
        data=attachments_db.read_file(Path(path)),
    )


def remove(ctx: AppContext, *, uuid: str) -> attachments_db.Attachment:
    return perform(ctx, CHANGES, attachments_db.remove_attachment, uuid=uuid)


def restore(ctx: AppContext, *, uuid: str) -> attachments_db.Attachment:
    return perform(ctx, CHANGES, attachments_db.restore_attachment, uuid=uuid)


def empty_bin(ctx: AppContext) -> attachments_db.Emptied:
    return perform(ctx, CHANGES, attachments_db.empty_bin)


def file_scans(ctx: AppContext, *, plan: scans.Plan) -> scans.Filing:
    """File every sheet of a scan plan under its record (``db.attachments.scans.apply``)."""
    return perform(ctx, CHANGES, scans.apply, the_plan=plan)


def place_page(
    ctx: AppContext, *, page: scans.PageSource, owner_kind: str, owner_id: str
) -> attachments_db.Attachment:
    """File one page the program could not place where the secretary says."""
    return perform(ctx, CHANGES, scans.place_page, page=page, owner_kind=owner_kind, owner_id=owner_id)
