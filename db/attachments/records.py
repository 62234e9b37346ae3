"""Attachments' records and vocabulary: importable without the service."""

from __future__ import annotations

from dataclasses import dataclass

# The kinds of record a file can belong to (owner_kind), with their Chinese names. A new kind (appraisal rounds,
# elections) is one line here; the table stores (owner_kind, owner_id) and needs no change.
OWNER_KINDS: dict[str, str] = {
    "meeting": "会议",
    "member": "党员",
    "project": "项目",
    "finding": "整改问题",
    "transfer": "组织关系转接",
    "development_step": "发展党员步骤",
    "printout": "打印件",
    "election": "换届选举",
    "life_meeting_material": "对照检查材料",
    "appraisal_round": "民主评议党员",
}
# Files of the program kept in the same store, not of a record (not in the monthly 附件清单): the branch's own Word
# template of a printout (owner_id: the printout's kind, desktop/word/forms.py).
PROGRAM_KINDS: dict[str, str] = {"template": "Word 模板"}
FILE_KINDS: dict[str, str] = {**OWNER_KINDS, **PROGRAM_KINDS}

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/bmp", "image/tiff", "image/webp"}
PDF_TYPE = "application/pdf"
SCAN_SOURCE_PREFIX = "scan:"  # source of a file filed by its QR code: "scan:<printout kind>"


@dataclass(frozen=True)
class Attachment:
    """One file of a record (current, or in the 回收站 when ``binned_at`` is set)."""

    uuid: str
    owner_kind: str
    owner_id: str
    name: str
    mime: str
    size: int
    sha256: str
    object: str
    pages: int
    original_object: str | None
    original_size: int | None
    original_sha256: str | None
    source: str
    note: str
    replaces: str | None
    created_at: str
    created_by: str
    binned_at: str | None
    binned_by: str | None
    binned_reason: str | None

    @property
    def owner_label(self) -> str:
        return FILE_KINDS.get(self.owner_kind, self.owner_kind)

    @property
    def scanned_printout(self) -> str:
        """The printout kind a scan filed by its QR code is of ("signin"), else ""."""
        return self.source[len(SCAN_SOURCE_PREFIX) :] if self.source.startswith(SCAN_SOURCE_PREFIX) else ""


@dataclass(frozen=True)
class Damaged:
    """An attachment whose stored file is missing or fails its checksum."""

    uuid: str
    name: str
    owner_kind: str
    owner_id: str
    problem: str

    def line(self) -> str:
        return f"附件「{self.name}」（{FILE_KINDS.get(self.owner_kind, self.owner_kind)}）：{self.problem}"
