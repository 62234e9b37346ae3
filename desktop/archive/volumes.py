"""The year's archive (立卷): one PDF per volume, as the 党建档案 practice files a branch's year.

Volumes: 组织建设 (the roster at the year's end, the committee, the year's transfers and their letters' 存根),
组织生活 (every meeting held: minutes, the signed sign-in sheet as filed from its scan or else the printed one with
the attendance, and the meeting's attachments), 党员发展 (the ledger and the files of the year's steps), 党费 (each
month's ledger, the 公示 and the year's totals), 项目与整改 (both ledgers and their files). Each volume opens with its
卷内目录 (a table of contents with the page range of each document), every page carries its page number in the
top-right corner (as archive pages are numbered), and the PDF has a bookmark per section and document (pypdf).
The folder holds ``manifest.json`` (file, pages, SHA-256: ``branchdesk archive verify``) and ``00-卷内目录.pdf``,
every volume's table of contents to print and file with the boxes.

Pages are made by the same printout builders ``branchdesk print`` uses (``desktop.printing``). Citizen IDs and
phones stay masked: the transfer letter, the only printout carrying a full ID, is archived with it masked.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from db import attachments, branch, development, meetings, members, projects, transfers
from db.attachments.records import IMAGE_TYPES, PDF_TYPE, SCAN_SOURCE_PREFIX
from db.errors import BranchDeskError
from db.records import COMMITTEE_ROLES
from db.rules import date_text, mask_citizen_id
from db.store import Database, os_reason
from db.workbook.writer import atomic_path
from desktop.archive.assemble import assemble
from desktop.archive.manifest import MANIFEST, ArchiveError, Entry, read_manifest, sha256_of, write_manifest
from desktop.archive.records import Document, Section, Volume
from desktop.printing import catalogue
from desktop.printing.roster import roster_document
from desktop.printing.table import PrintColumn, PrintDocument
from desktop.printing.table import write_pdf as write_table
from desktop.printing.transfer_letter import LetterData, write_letter_pdf
from desktop.qt import *

INDEX = "00-卷内目录.pdf"


class _Maker:
    """Writes the documents of one year into a scratch folder."""

    def __init__(self, db: Database, year: int, scratch: Path) -> None:
        self.db, self.year, self.scratch = db, year, scratch
        self.end = date(year, 12, 31)
        self.sel = catalogue.Selection(year=year, today=min(self.end, date.today()))
        self.count = 0
        self.problems: list[str] = []
        b = branch.get_branch(db)
        self.branch = b.name if b else ""

    def path(self) -> Path:
        self.count += 1
        return self.scratch / f"{self.count:04d}.pdf"

    def doc(self, title: str, when: str, write: Callable[[Path], object], note: str = "") -> Document:
        path = self.path()
        write(path)
        return Document(title, when, path, len(PdfReader(path).pages), note)

    def printout(self, kind: str, title: str, sel: catalogue.Selection | None = None) -> Document:
        return self.doc(title, str(self.year), lambda p: catalogue.write(self.db, kind, p, sel or self.sel))

    def table(self, title: str, doc: PrintDocument) -> Document:
        return self.doc(title, str(self.year), lambda p: write_table(p, doc))

    def files(self, owner_kind: str, owner_id: str, *, skip: set[str] | None = None) -> list[Document]:
        """The record's attachments (images and PDFs) as pages; other files are named in the 卷内目录's note."""
        found = []
        for a in attachments.list_attachments(self.db, owner_kind=owner_kind, owner_id=owner_id):
            if skip and a.uuid in skip:
                continue
            found.append(self.attachment(a, f"附件：{a.name}", a.created_at[:10]))
        return found

    def attachment(self, a: attachments.Attachment, title: str, when: str) -> Document:
        """The file as pages; a file that is not an image or PDF, or cannot be read (missing from the store,
        damaged), is a page saying so, so one bad file never stops the volume (``problems`` lists it)."""
        path = self.path()
        try:
            data = attachments.read_bytes(self.db, uuid=a.uuid)
            if a.mime == PDF_TYPE:
                path.write_bytes(data)
            elif a.mime in IMAGE_TYPES:
                with Image.open(io.BytesIO(data)) as image:
                    image.convert("RGB").save(path, "PDF", resolution=150)
            else:
                return self.note(title, when, "此附件不是图片或 PDF，见电子档案")
            return Document(title, when, path, len(PdfReader(path).pages))
        except (BranchDeskError, OSError, ValueError, PdfReadError) as exc:
            if isinstance(exc, BranchDeskError):
                reason = exc.message
            elif isinstance(exc, OSError) and exc.errno is not None:
                reason = f"无法读取（{os_reason(exc)}）"
            else:  # the PDF or image reader's own words are English: not shown
                reason = "文件已损坏，无法读取"
            self.problems.append(f"{title}：{reason}")
            return self.note(title, when, reason, problem=True)

    def note(self, title: str, when: str, text: str, *, problem: bool = False) -> Document:
        doc = self.doc(title, when, lambda p: _note_page(p, title, text))
        return replace(doc, note="缺" if problem else "见电子档案")


def _note_page(path: Path, title: str, text: str) -> int:
    doc = PrintDocument(title, text, [PrintColumn("说明", 1)], [])
    write_table(path, doc)
    return 1


# --- the volumes -------------------------------------------------------------------------------------------------


def _organisation(m: _Maker) -> list[Section]:
    on_roster = []
    for p in members.list_members(m.db, status=None):
        if p.joined_on is not None and p.joined_on > m.end:
            continue
        if p.status != "active" and (p.status_on is None or p.status_on <= m.end):
            continue
        if p.category == "full" and p.full_on is not None and p.full_on > m.end:
            p = replace(p, category="probationary")
        on_roster.append(p)
    roster = roster_document(on_roster, m.branch, printed_on=m.end)
    roster = replace(roster, title=f"{m.branch}党员名册（{date_text(m.end)}）")
    committee = branch.list_committee(m.db, on=m.end)
    committee_doc = PrintDocument(
        f"{m.branch}支部委员会（{date_text(m.end)}）",
        f"共 {len(committee)} 人",
        [PrintColumn("职务", 2), PrintColumn("姓名", 2), PrintColumn("任职起始", 2)],
        [
            [COMMITTEE_ROLES.get(c.role, c.role), c.member_name, c.since.isoformat() if c.since else ""]
            for c in committee
        ],
    )
    moved = sorted(transfers.list_transfers(m.db, year=m.year), key=lambda t: (t.issued_on, t.serial))
    direction = {"in": "转入", "out": "转出"}
    register = PrintDocument(
        f"{m.branch}{m.year}年党员组织关系转接登记",
        f"共 {len(moved)} 条",
        [
            PrintColumn(h, w)
            for h, w in (
                ("编号", 2),
                ("方向", 1),
                ("姓名", 2),
                ("日期", 2),
                ("转出单位", 4),
                ("转入单位", 4),
                ("状态", 1),
            )
        ],
        [
            [
                t.serial,
                direction.get(t.direction, ""),
                t.member_name,
                t.issued_on.isoformat(),
                t.from_unit,
                t.to_unit,
                "有效" if t.status == "valid" else "已作废",
            ]
            for t in moved
        ],
    )
    sections = [
        Section("党员名册", [m.table("党员名册（年末）", roster)]),
        Section("支部委员会", [m.table("支部委员会组成", committee_doc)]),
        Section("组织关系转接", [m.table("组织关系转接登记", register)]),
    ]
    for t in moved:
        if t.direction == "out" and t.status == "valid":
            _t, data = catalogue.pick_letter(m.db, replace(m.sel, record=t.uuid, year=None))
            masked = replace(data, citizen_id=mask_citizen_id(data.citizen_id))
            title = f"组织关系介绍信 第 {t.serial} 号（{t.member_name}）"
            sections[-1].documents.append(m.doc(title, t.issued_on.isoformat(), partial(_letter, masked)))
        sections[-1].documents += m.files("transfer", t.uuid)
    return sections


def _letter(data: LetterData, path: Path) -> Path:
    return write_letter_pdf(path, data)


def _meetings(m: _Maker) -> list[Section]:
    held = sorted(
        (x for x in meetings.list_meetings(m.db, status="held") if x.held_on.year == m.year),
        key=lambda x: (x.held_on, x.kind, x.seq),
    )
    sections = []
    for x in held:
        name = f"{x.title}（{x.number_text}）"
        when = x.held_on.isoformat()
        sel = catalogue.Selection(record=x.uuid, today=m.sel.today)
        docs = [m.printout("minutes", "会议记录", sel)]
        files = attachments.list_attachments(m.db, owner_kind="meeting", owner_id=x.uuid)
        scans = [a for a in files if a.source == f"{SCAN_SOURCE_PREFIX}signin"]
        if scans:
            docs.append(m.attachment(scans[-1], "签到表（签字扫描件）", when))
        else:
            docs.append(m.printout("signin", "签到表", replace(sel, variant="filled")))
        docs += m.files("meeting", x.uuid, skip={a.uuid for a in scans})
        sections.append(Section(name, [replace(d, when=when) for d in docs]))
    return sections


def _development(m: _Maker) -> list[Section]:
    ledger = Section(
        "发展党员工作台账", [m.printout("development", "发展党员工作台账", replace(m.sel, year=None))]
    )
    names = {p.uuid: p.name for p in development.list_people(m.db, include_left=True)}
    files = Section("发展材料")
    for person, steps in sorted(all_steps_of(m.db).items(), key=lambda kv: names.get(kv[0], "")):
        for s in steps:
            if s.on.year == m.year and not s.voided:
                label = development.STEP_KINDS[s.kind].label if s.kind in development.STEP_KINDS else s.kind
                for d in m.files("development_step", s.uuid):
                    files.documents.append(
                        replace(d, title=f"{names.get(person, '')} {label}：{d.title}", when=s.on.isoformat())
                    )
    return [ledger] + ([files] if files.documents else [])


def all_steps_of(db: Database) -> dict[str, list[development.DevelopmentStep]]:
    from db.development.queries import all_steps

    return all_steps(db)


def _dues(m: _Maker) -> list[Section]:
    months = [date(m.year, k, 1) for k in range(1, 13) if date(m.year, k, 1) <= m.sel.day]
    ledgers = [
        m.printout("dues-ledger", f"党费收缴台账（{d.month}月）", replace(m.sel, year=None, month=d))
        for d in months
    ]
    return [
        Section("党费收缴台账", ledgers),
        Section("党费收缴公示", [m.printout("dues-publication", "党费收缴公示")]),
        Section("党费收缴汇总", [m.printout("dues-year", "党费收缴汇总")]),
    ]


def _projects(m: _Maker) -> list[Section]:
    project_docs = [m.printout("projects", "项目台账")]
    for p in projects.list_projects(m.db, year=m.year):
        project_docs += [replace(d, title=f"{p.title}：{d.title}") for d in m.files("project", p.uuid)]
    finding_docs = [m.printout("findings", "检查整改台账")]
    for f in projects.list_findings(m.db, year=m.year):
        finding_docs += [
            replace(d, title=f"整改「{f.problem[:20]}」：{d.title}") for d in m.files("finding", f.uuid)
        ]
    return [Section("项目", project_docs), Section("检查整改", finding_docs)]


VOLUMES: tuple[tuple[str, Callable[[_Maker], list[Section]]], ...] = (
    ("组织建设", _organisation),
    ("组织生活", _meetings),
    ("党员发展", _development),
    ("党费", _dues),
    ("项目与整改", _projects),
)


ARCHIVED_KEY = "archive.years"  # settings: {year: {"folder", "made_on", "manifest_sha256"}}


@dataclass(frozen=True)
class YearArchive:
    year: int
    folder: Path
    volumes: tuple[Volume, ...]
    index: Path
    problems: tuple[str, ...] = ()  # attachments that could not be read (a page in the volume says so)


def make_year(db: Database, *, year: int, out: Path, today: date | None = None) -> YearArchive:
    """Build the archive of ``year`` in the folder ``out`` (made if needed): the volumes, ``00-卷内目录.pdf`` and
    ``manifest.json``; remembers in the branch settings that the year was archived (the handover makes the years
    not yet archived).

    Every file is made in a hidden folder inside ``out`` (``staging_name``) and moved into place only when all of
    them are written, the manifest last: a run that fails half-way (a full stick, a damaged file) leaves the
    archive made there before whole and verifiable, rather than some volumes new and the manifest old."""
    today = today or date.today()
    out = Path(out)
    _check_target(year, out, today)
    out.mkdir(parents=True, exist_ok=True)
    staging = out / staging_name(year)
    shutil.rmtree(staging, ignore_errors=True)  # what a killed earlier run of this year left
    made: list[Volume] = []
    entries: list[Entry] = []
    index = PdfWriter()
    try:
        try:
            staging.mkdir()
        except OSError as exc:  # a write-protected stick: named by the folder chosen, not the working name
            raise OSError(exc.errno, exc.strerror, str(out)) from exc
        with tempfile.TemporaryDirectory(prefix="branchdesk-archive-") as scratch_name:
            scratch = Path(scratch_name)
            maker = _Maker(db, year, scratch)
            for number, (name, build) in enumerate(VOLUMES, 1):
                sections = build(maker)
                file = f"{number:02d}-{year}年-{name}.pdf"
                pages, toc_pages = assemble(
                    staging / file,
                    title=f"卷内目录（第 {number} 卷　{name}）",
                    subtitle=f"{maker.branch}{year}年度党建档案　第 {number} 卷　{name}　"
                    f"共 {sum(len(s.documents) for s in sections)} 份文件　立卷日期：{date_text(today)}",
                    sections=sections,
                    scratch=scratch,
                )
                count = sum(len(s.documents) for s in sections)
                index.append(str(staging / file), pages=(0, toc_pages), import_outline=False)
                made.append(Volume(number, name, file, pages, count))
                entries.append(Entry(file, name, pages, sha256_of(staging / file)))
            with atomic_path(staging / INDEX) as tmp, open(tmp, "wb") as f:
                index.write(f)
        entries.insert(
            0,
            Entry(
                INDEX, "卷内目录（各卷）", len(PdfReader(staging / INDEX).pages), sha256_of(staging / INDEX)
            ),
        )
        write_manifest(staging, branch=maker.branch, year=year, made_on=today.isoformat(), entries=entries)
        for entry in entries:
            os.replace(staging / entry.file, out / entry.file)
        os.replace(staging / MANIFEST, out / MANIFEST)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    manifest = out / MANIFEST
    if not db.readonly:
        done = dict(branch.get_setting(db, key=ARCHIVED_KEY, default={}) or {})
        done[str(year)] = {
            "folder": str(out.resolve()),
            "made_on": today.isoformat(),
            "manifest_sha256": sha256_of(manifest),
        }
        branch.set_setting(db, key=ARCHIVED_KEY, value=done)
    return YearArchive(year, out, tuple(made), out / INDEX, tuple(maker.problems))


def staging_name(year: int) -> str:
    """The hidden folder inside the archive folder where a run of ``year`` makes its files."""
    return f".立卷中-{year}"


def _check_target(year: int, out: Path, today: date) -> None:
    """Refuse a year that has not begun (or no calendar has), and a folder holding another year's archive: its
    卷内目录 and manifest would be replaced, and that year could no longer be verified."""
    if not 1 <= year <= today.year:
        raise BranchDeskError(f"立卷年度 {year} 不对：只能为今年（{today.year}）或以前已有记录的年度")
    if not (out / MANIFEST).is_file():
        return
    try:
        other = read_manifest(out).get("year")
    except ArchiveError:
        other = None
    if other != year:
        held = f"{other} 年度的档案" if other is not None else "其他档案文件"
        raise BranchDeskError(
            f"文件夹「{out}」中已有{held}，在这里立卷 {year} 年度会覆盖它的卷内目录和清单：请另选一个文件夹"
            f"（如「{out / str(year)}」）"
        )


def earlier_archive(out: Path, year: int) -> str | None:
    """The day the archive of ``year`` already in ``out`` was made ("" when its manifest does not say), or None
    when there is none: a run there replaces it (``make_year``), so the dialog asks first."""
    if not (Path(out) / MANIFEST).is_file():
        return None
    try:
        found = read_manifest(out)
    except ArchiveError:
        return None
    return str(found.get("made_on") or "") if found.get("year") == year else None


def archived_years(db: Database) -> dict[int, str]:
    """Years already archived, with the day each was made."""
    done = branch.get_setting(db, key=ARCHIVED_KEY, default={}) or {}
    return {int(y): str(v.get("made_on", "")) for y, v in done.items()}


def years_with_records(db: Database) -> list[int]:
    """The years the database holds meetings, transfers, projects or findings in (oldest first)."""
    years = {x.held_on.year for x in meetings.list_meetings(db, status="held")}
    years |= {t.issued_on.year for t in transfers.list_transfers(db)}
    years |= {p.start_on.year for p in projects.list_projects(db)}
    years |= {f.found_on.year for f in projects.list_findings(db)}
    return sorted(years)
