"""The handover to a new secretary (交接): one action that makes the package in a chosen folder.

- ``备份/``: a verified copy of the database with its attachment files (``db.backups.backup_to``, then
  ``verify_backup``: a copy that does not pass the integrity check stops the handover);
- ``档案/<年>/``: the archive volumes of every finished year with records that was not archived yet;
- ``交接清单.pdf``: counts of members and records, open reminders, open findings and projects, transfers waiting
  for their 回执, the development steps due, where the data and its backups live, whether a database password is
  set (never the password), and lines for both secretaries' signatures (and the upper committee's witness).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from db import attachments, backups, branch, development, members, projects, reminders, transfers
from db.errors import BranchDeskError
from db.rules import date_text
from db.store import Database
from desktop.archive import volumes
from desktop.printing.table import PrintColumn, PrintDocument, write_pdf

CHECKLIST = "交接清单.pdf"
_LISTED = 12  # lines of a list shown on the checklist before 「等 N 项」


class HandoverError(BranchDeskError):
    """The handover cannot be made (the backup copy failed its check)."""


@dataclass(frozen=True)
class Handover:
    folder: Path
    backup: Path
    archived: tuple[volumes.YearArchive, ...]
    checklist: Path


def _listed(items: list[str]) -> str:
    if not items:
        return "无"
    more = f"；等共 {len(items)} 项" if len(items) > _LISTED else ""
    return "；".join(items[:_LISTED]) + more


def checklist_rows(db: Database, *, today: date, backup: Path, archived: list[int]) -> list[list[str]]:
    """The checklist as (项目, 情况) rows."""
    c = members.count_members(db)
    rows = [
        [
            "在册党员",
            (
                f"{c['active']} 人（正式党员 {c['full']} 人，预备党员 {c['probationary']} 人），"
                f"已转出或减员 {c['archived']} 人"
            ),
        ],
    ]
    rows += [[f"记录：{label}", f"{n} 条"] for label, n in backups.table_counts(db) if label != "修改记录"]
    rows.append(["记录：附件", f"{len(attachments.list_all(db))} 个"])
    due = reminders.gather(db, today=today)
    rows.append(["待办提醒", f"{len(due)} 条：" + _listed([r.what for r in due]) if due else "无"])
    open_findings = [f for f in projects.list_findings(db) if f.status == "open"]
    rows.append(
        ["未整改的问题", _listed([f"{f.problem}（期限 {f.deadline.isoformat()}）" for f in open_findings])]
    )
    running = [p for p in projects.list_projects(db) if p.status in ("planned", "ongoing")]
    rows.append(["未完成的项目", _listed([f"{p.title}（{p.status_label}）" for p in running])])
    waiting = [
        t for t in transfers.list_transfers(db, direction="out", today=today)
        if t.status == "valid" and t.receipt_status(today) in ("pending", "overdue")
    ]  # fmt: skip
    rows.append(
        ["待回执的转出", _listed([f"第 {t.serial} 号 {t.member_name}（{t.to_unit}）" for t in waiting])]
    )
    people = development.list_people(db)
    rows.append(
        [
            "发展党员待办",
            _listed(
                [
                    f"{p.name}：{p.next_step}" + (f"（{p.next_due.isoformat()} 前）" if p.next_due else "")
                    for p in people
                    if p.next_step
                ]
            ),
        ]
    )
    rows.append(["数据库文件", str(db.path.resolve())])
    rows.append(["自动备份", str((db.path.parent / "backups").resolve())])
    rows.append(["附件文件", str((db.path.parent / "attachments").resolve())])
    rows.append(["本次交接备份", f"{backup.resolve()}（已校验完好）"])
    rows.append(
        ["数据库密码", "已设置（密码不写入本清单，由双方当面交接；也可用恢复码重设）" if db.key else "未设置"]
    )
    done = volumes.archived_years(db)
    rows.append(["已立卷年度", "、".join(f"{y}年（{done[y]}）" for y in sorted(done)) or "无"])
    rows.append(["本次立卷", "、".join(f"{y}年" for y in archived) or "无（往年均已立卷）"])
    return rows


def checklist_document(db: Database, *, today: date, backup: Path, archived: list[int]) -> PrintDocument:
    b = branch.get_branch(db)
    name = b.name if b else ""
    return PrintDocument(
        f"{name}工作交接清单",
        f"交接日期：{date_text(today)}",
        [PrintColumn("项目", 2.2, align_left=True), PrintColumn("情况", 9, align_left=True)],
        checklist_rows(db, today=today, backup=backup, archived=archived),
        footer_lines=(
            "以上情况经双方核对无误。",
            "移交人（原书记）签字：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
            "接收人（新书记）签字：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
            "监交人（上级党组织）签字：＿＿＿＿＿＿＿＿　　日期：＿＿＿＿年＿＿月＿＿日",
        ),
    )


def years_to_archive(db: Database, *, today: date) -> list[int]:
    """Finished years with records that were not archived yet."""
    done = volumes.archived_years(db)
    return [y for y in volumes.years_with_records(db) if y < today.year and y not in done]


def make_handover(db: Database, *, out: Path, today: date | None = None) -> Handover:
    """Make the handover package in ``out`` (see the module's docstring)."""
    today = today or date.today()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy = backups.backup_to(db, folder=out / "备份")
    if not backups.verify_backup(copy, key=db.key):
        raise HandoverError(f"交接备份「{copy}」未通过完整性检查，请换一个文件夹或磁盘后重试")
    made = [
        volumes.make_year(db, year=y, out=out / "档案" / str(y), today=today)
        for y in years_to_archive(db, today=today)
    ]
    checklist = out / CHECKLIST
    write_pdf(checklist, checklist_document(db, today=today, backup=copy, archived=[a.year for a in made]))
    return Handover(out, copy, tuple(made), checklist)
