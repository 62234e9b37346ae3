"""The training hours (党员教育培训学时, issue 19): credit from attendance at study meetings, the ledger of external
training and make-up study, the yearly targets, the fourth-quarter reminder and the import of a list.

The statistics use ``hours_by_member(db, year=…)``, ``target_of(db, member_uuid=…, year=…)`` and
``short_of_target(db, year=…)``.
"""

from __future__ import annotations

from db.training.demo import demo_training
from db.training.imports import (
    ROW_STATUSES,
    TrainingPreview,
    TrainingRow,
    apply_training_import,
    preview_training_import,
)
from db.training.records import (
    ENTRY_KINDS,
    LedgerEntry,
    Shortfall,
    TrainingRecord,
    hours_text,
)
from db.training.reminders import training_reminders
from db.training.service import (
    MAX_HOURS,
    add_training,
    archive_training,
    committee_uuids,
    get_record,
    hours_by_member,
    list_records,
    meeting_study_hours,
    member_ledger,
    short_of_target,
    target_of,
    validate_training,
)
from db.training.settings import (
    COMMITTEE_TARGET_KEY,
    DAY_HOURS_KEY,
    MEETING_HOURS_KEYS,
    MEMBER_TARGET_KEY,
    committee_target,
    day_hours,
    meeting_hours,
    member_target,
)

__all__ = [
    "COMMITTEE_TARGET_KEY",
    "DAY_HOURS_KEY",
    "ENTRY_KINDS",
    "MAX_HOURS",
    "MEETING_HOURS_KEYS",
    "MEMBER_TARGET_KEY",
    "ROW_STATUSES",
    "LedgerEntry",
    "Shortfall",
    "TrainingPreview",
    "TrainingRecord",
    "TrainingRow",
    "add_training",
    "apply_training_import",
    "archive_training",
    "committee_target",
    "committee_uuids",
    "day_hours",
    "demo_training",
    "get_record",
    "hours_by_member",
    "hours_text",
    "list_records",
    "meeting_hours",
    "meeting_study_hours",
    "member_ledger",
    "member_target",
    "preview_training_import",
    "short_of_target",
    "target_of",
    "training_reminders",
    "validate_training",
]
