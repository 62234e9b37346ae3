"""Attachments (issue 21): scans, photos and documents of a record, stored encrypted and content-addressed beside
the database (``db.store.objects``), and signed printouts filed back to their records by their QR codes (``scans``).
"""

from __future__ import annotations

from db.attachments.exchange import monthly_attachment_rows
from db.attachments.records import OWNER_KINDS, SCAN_SOURCE_PREFIX, Attachment, Damaged
from db.attachments.service import (
    Emptied,
    add_attachment,
    add_file,
    bring_store_from,
    collect_garbage,
    copy_store_beside,
    empty_bin,
    get_attachment,
    list_all,
    list_attachments,
    list_bin,
    read_bytes,
    read_file,
    remove_attachment,
    replace_attachment,
    restore_attachment,
    verify_attachments,
)
from db.attachments.tags import PageTag, PrintCode

__all__ = [
    "OWNER_KINDS",
    "SCAN_SOURCE_PREFIX",
    "Attachment",
    "Damaged",
    "Emptied",
    "PageTag",
    "PrintCode",
    "add_attachment",
    "add_file",
    "bring_store_from",
    "collect_garbage",
    "copy_store_beside",
    "empty_bin",
    "get_attachment",
    "list_all",
    "list_attachments",
    "list_bin",
    "monthly_attachment_rows",
    "read_bytes",
    "read_file",
    "remove_attachment",
    "replace_attachment",
    "restore_attachment",
    "verify_attachments",
]
