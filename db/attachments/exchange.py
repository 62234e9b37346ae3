"""The monthly workbook's sheet 附件清单: the attachments of the month's records, by name and checksum (the files
themselves never travel in the workbook).

The month's records: the meetings held in the month (their sign-in sheets, minutes photos), and every record that
got a file during the month (a 整改 photo, a certificate).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from db.attachments.records import PROGRAM_KINDS, SCAN_SOURCE_PREFIX, Attachment
from db.attachments.service import list_all
from db.meetings import list_meetings
from db.meetings.exchange import month_range
from db.store import Database


def _owner_labels(db: Database, first: date, last: date) -> tuple[dict[str, str], set[str]]:
    """Labels of meetings (by uuid) and the uuids of those held in the month."""
    labels: dict[str, str] = {}
    in_month: set[str] = set()
    for m in list_meetings(db):
        labels[m.uuid] = f"{m.title} {m.number_text}"
        if first <= m.held_on <= last:
            in_month.add(m.uuid)
    return labels, in_month


def monthly_attachment_rows(db: Database, *, month: str | date) -> list[dict[str, Any]]:
    """One row per current attachment of the month's records, oldest first."""
    first, last = month_range(month)
    labels, in_month = _owner_labels(db, first, last)
    out = []
    for a in list_all(db):
        added = date.fromisoformat(a.created_at[:10])
        if a.owner_kind in PROGRAM_KINDS:  # the branch's Word templates are not a record's files
            continue
        if not (first <= added <= last or (a.owner_kind == "meeting" and a.owner_id in in_month)):
            continue
        out.append(_row(a, labels))
    return out


def _row(a: Attachment, labels: dict[str, str]) -> dict[str, Any]:
    return {
        "owner_kind": a.owner_kind,
        "record": labels.get(a.owner_id, a.owner_id),
        "name": a.name,
        "pages": a.pages,
        "size": a.size,
        "sha256": a.sha256,
        "added_on": date.fromisoformat(a.created_at[:10]),
        "scanned": a.source.startswith(SCAN_SOURCE_PREFIX),
        "uuid": a.uuid,
    }
