"""Roster import from HQ: preview (new / changed / unchanged / conflict / invalid), apply as one batch, undo it.

The one entry point callers use (``merge.preview_import``, ``merge.apply_import``, ``merge.undo_import``, …). The
work is split along its seams: ``preview.py`` reads and compares, ``apply.py`` writes and undoes, ``snapshot.py``
keeps what HQ last saw (the base of conflict detection, shared with the export).
"""

from __future__ import annotations

from db.workbook.apply import ImportBatch, apply_import, get_batch, list_batches, undo_import
from db.workbook.preview import (
    STATUSES,
    FieldChange,
    ImportPreview,
    PreviewRow,
    ProgressFn,
    StoredRoster,
    display,
    preview_import,
    stored_texts,
)
from db.workbook.snapshot import (
    IMPORT_FIELDS,
    field_text,
    member_texts,
    snapshot_from_export,
    snapshot_members,
)

__all__ = [
    "IMPORT_FIELDS",
    "STATUSES",
    "FieldChange",
    "ImportBatch",
    "ImportPreview",
    "PreviewRow",
    "ProgressFn",
    "StoredRoster",
    "apply_import",
    "display",
    "field_text",
    "get_batch",
    "list_batches",
    "member_texts",
    "preview_import",
    "snapshot_from_export",
    "snapshot_members",
    "stored_texts",
    "undo_import",
]
