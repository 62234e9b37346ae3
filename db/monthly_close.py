"""The guided monthly close (月度报送): check the month, export the monthly workbook, mark the month submitted.

``run_checks(db, month=...)`` returns one ``CheckResult`` per check, each with a Chinese explanation:

- ``meetings`` (blocking): every meeting of the month is complete — held meetings have their attendance recorded
  (who was present, on leave, absent) and their minutes (会议内容) written; no planned meeting of the month is left
  unrecorded. Required meetings not held (compliance) are named in the explanation but do not block;
- ``meetings_required``: the month's required meetings (monthly kinds, one per party group for group meetings);
- ``dues``: the dues ledger of the month is closed — every member has a dues basis (blocking: a member without one
  owes nothing the workbook could show), every amount owed is paid or marked unpaid with a note, and no member has
  an arrears alarm;
- ``projects``: ongoing projects have progress logged (or a status change) in the month;
- ``integrity``: ``PRAGMA quick_check`` is ok.

``mark_submitted`` records the submission (month, file, SHA-256 of the file, when, override reason). A month with
any failing check is refused unless ``override_reason`` gives the reason. ``due_month`` is the month the close
opens on: the earliest month not yet submitted. Submitting a month again (re-export) is
allowed and recorded as a resubmission; nothing is ever deleted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from db import audit
from db.dues import REMINDER_MONTHS, arrears, month_ledger
from db.errors import Problem, ValidationError
from db.ids import fresh_uuid
from db.meetings import compliance, list_attendance, list_meetings
from db.projects import list_projects
from db.rows import where
from db.rules import month_day_text
from db.store import Database, integrity_check, now_iso

CHECK_TITLES: dict[str, str] = {
    "meetings": "当月会议记录完整（出席情况、会议内容）",
    "meetings_required": "当月应开会议已召开",
    "dues": "当月党费台账已结清",
    "projects": "在办项目当月已更新进展",
    "integrity": "数据库完整性检查",
}
BLOCKING = frozenset({"meetings"})


@dataclass(frozen=True)
class CheckResult:
    """One check of the close: ``ok`` or not, with the Chinese ``explanation`` (and the items at fault)."""

    key: str
    title: str
    ok: bool
    explanation: str
    items: tuple[str, ...] = ()
    blocking: bool = False
    page: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Submission:
    """A recorded submission of a month's workbook."""

    uuid: str
    month: str
    file_name: str
    file_path: str
    sha256: str
    submitted_at: str
    override_reason: str
    resubmission: bool


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``; ``ValidationError`` for anything else."""
    try:
        first = datetime.strptime(month, "%Y-%m").date()
    except (TypeError, ValueError):
        raise ValidationError(
            [Problem("month", f"月份应为 YYYY-MM 格式（如 2026-03），当前为「{month}」")]
        ) from None
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, nxt - timedelta(days=1)


def _list(items: list[str], limit: int = 5) -> str:
    shown = "；".join(items[:limit])
    return shown + (f"；等共 {len(items)} 项" if len(items) > limit else "")


def check_meetings(db: Database, *, month: str) -> CheckResult:
    """Blocking: held meetings of the month have attendance and minutes; no planned meeting is left unrecorded."""
    first, last = month_bounds(month)
    problems: list[str] = []
    uuids: list[str] = []
    held = 0
    for m in sorted(list_meetings(db, since=first, until=last), key=lambda m: (m.held_on, m.kind, m.seq)):
        label = f"{month_day_text(m.held_on)}{m.title}"
        if m.status == "planned":
            problems.append(f"{label}：计划召开，尚未登记召开情况（或取消）")
            uuids.append(m.uuid)
        elif m.status == "held":
            held += 1
            states = [a.state for a in list_attendance(db, meeting_uuid=m.uuid) if a.is_member]
            missing = []
            if not states or "expected" in states:
                missing.append("出席情况（谁请假、谁缺席）")
            if not m.content.strip():
                missing.append("会议内容")
            if missing:
                problems.append(f"{label}：缺{'、'.join(missing)}")
                uuids.append(m.uuid)
    if problems:
        text = f"当月有 {len(problems)} 次会议记录不完整：{_list(problems)}。请补全后再报送（或说明原因后强制报送）"
    elif held:
        text = f"当月已召开的 {held} 次会议均已登记出席情况和会议内容"
    else:
        text = "当月没有登记任何会议"
    return CheckResult(
        "meetings",
        CHECK_TITLES["meetings"],
        not problems,
        text,
        tuple(problems),
        True,
        "meetings",
        # 去处理 opens the meetings list of the year on the first meeting at fault
        {"tab": "meetings", "year": first.year} | ({"meeting": uuids[0], "meetings": uuids} if uuids else {}),
    )


def check_required_meetings(db: Database, *, month: str, today: date | None = None) -> CheckResult:
    """The month's monthly kinds (per party group for group meetings): held at least once."""
    first, _ = month_bounds(month)
    rows = [
        r
        for r in compliance(db, period="month", year=first.year, number=first.month, today=today)
        if r.frequency == "month" and r.kind != "heart_talk"
    ]
    missing = [f"{r.party_group_name}{r.kind_name}" for r in rows if r.required and not r.satisfied]
    required = sum(r.required for r in rows)
    satisfied = sum(r.satisfied for r in rows)
    if missing:
        text = f"当月应召开 {required} 项，已召开 {satisfied} 项；未召开：{_list(missing)}"
    else:
        text = f"当月应召开的 {required} 项会议均已召开"
    return CheckResult(
        "meetings_required",
        CHECK_TITLES["meetings_required"],
        not missing,
        text,
        tuple(missing),
        False,
        "meetings",
        {"tab": "compliance", "period": "month", "period_year": first.year, "period_number": first.month},
    )


def check_dues(db: Database, *, month: str) -> CheckResult:
    """Every member of the month's ledger has a basis; every amount owed is paid or marked unpaid with a note; and
    no member has an arrears alarm (``REMINDER_MONTHS`` or more consecutive unpaid months up to this month).

    去处理 opens the dues tab of the first kind of fault, filtered to the members behind it (``members``): 缴纳基数
    for those without a basis, else 欠缴提醒 for the alarms, else the month's ledger for the open entries."""
    first, last = month_bounds(month)
    no_basis: list[tuple[str, str]] = []
    open_: list[tuple[str, str]] = []
    entries = month_ledger(db, month=first)
    for e in entries:
        if e.due_fen is None:
            no_basis.append((e.member_uuid, e.member_name))
        elif not e.settled and not e.note.strip():
            open_.append((e.member_uuid, e.member_name))
    alarms = [a for a in arrears(db, today=last + timedelta(days=1)) if a.months >= REMINDER_MONTHS]
    parts = []
    if no_basis:
        parts.append(f"{len(no_basis)} 人未核定党费缴纳基数：{_list([n for _, n in no_basis], 8)}")
    if alarms:
        named = [f"{a.member_name}（连续 {a.months} 个月）" for a in alarms]
        parts.append(f"{len(alarms)} 人欠缴党费已达 {REMINDER_MONTHS} 个月以上：{_list(named, 8)}")
    if open_:
        parts.append(f"{len(open_)} 人未登记交纳（也未注明未交原因）：{_list([n for _, n in open_], 8)}")
    ok = not parts
    text = (
        ("；".join(parts) + "。请在党费页核定基数、登记交纳或注明未交原因")
        if parts
        else f"当月台账 {len(entries)} 人均已交纳或注明原因，无欠缴提醒"
    )
    if no_basis:
        filters: dict[str, Any] = {"month": month, "tab": "bases", "members": [u for u, _ in no_basis]}
    elif alarms:
        filters = {"month": month, "tab": "arrears", "members": [a.member_uuid for a in alarms]}
    else:
        filters = {"month": month, "tab": "ledger", "members": [u for u, _ in open_]}
    return CheckResult(
        "dues",
        CHECK_TITLES["dues"],
        ok,
        text,
        tuple(n for _, n in no_basis) + tuple(a.member_name for a in alarms) + tuple(n for _, n in open_),
        bool(no_basis),  # a member without a basis cannot be collected at all: the close waits for it
        "dues",
        filters,
    )


def check_projects(db: Database, *, month: str) -> CheckResult:
    """Projects ongoing at the end of the month, started before it, have progress or a status change in it."""
    first, last = month_bounds(month)
    stale = []
    stale_uuids: list[str] = []
    for p in list_projects(db, status="ongoing"):
        if p.start_on >= first or p.start_on > last:
            continue  # started this month (or later): no progress expected yet
        touched = any(first <= e.on_date <= last for e in p.progress) or any(
            first <= t.on_date <= last for t in p.transitions
        )
        if not touched:
            stale.append(f"{p.kind_label}「{p.title}」")
            stale_uuids.append(p.uuid)
    text = (
        (f"{len(stale)} 个实施中的项目当月没有登记进展：{_list(stale)}")
        if stale
        else "实施中的项目当月均已登记进展"
    )
    return CheckResult(
        "projects",
        CHECK_TITLES["projects"],
        not stale,
        text,
        tuple(stale),
        False,
        "projects",
        {"tab": "projects", "status": "ongoing"}
        | ({"uuid": stale_uuids[0], "projects": stale_uuids} if stale_uuids else {}),
    )


def check_integrity(db: Database) -> CheckResult:
    result = integrity_check(db)
    ok = result == ["ok"]
    text = (
        "数据库完整性检查通过"
        if ok
        else "数据库完整性检查未通过：" + "；".join(result[:5]) + "。请先从备份恢复"
    )
    return CheckResult(
        "integrity", CHECK_TITLES["integrity"], ok, text, () if ok else tuple(result[:5]), False
    )


def run_checks(db: Database, *, month: str, today: date | None = None) -> list[CheckResult]:
    """Every check of the close for ``month`` (``YYYY-MM``), in the order the guided pass shows them. ``today`` limits the required-meetings check to windows already started."""
    return [
        check_meetings(db, month=month),
        check_required_meetings(db, month=month, today=today),
        check_dues(db, month=month),
        check_projects(db, month=month),
        check_integrity(db),
    ]


def file_sha256(path: str | os.PathLike[str]) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _submission(row: tuple) -> Submission:  # type: ignore[type-arg]
    return Submission(row[0], row[1], row[2], row[3], row[4], row[5], row[6], bool(row[7]))


def list_submissions(db: Database, *, month: str | None = None) -> list[Submission]:
    """Recorded submissions, oldest first (of one month when given)."""
    sql = (
        "SELECT uuid, month, file_name, file_path, sha256, submitted_at, override_reason, resubmission "
        "FROM monthly_submissions"
    )
    clause, params = where({"month = ?": month})
    sql += clause
    return [_submission(r) for r in db.execute(sql + " ORDER BY id", params).fetchall()]


def is_submitted(db: Database, *, month: str) -> bool:
    return (
        db.execute("SELECT 1 FROM monthly_submissions WHERE month = ? LIMIT 1", [month]).fetchone()
        is not None
    )


def month_key_of(day: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def due_month(db: Database, *, today: date, since: date | None = None) -> str:
    """The month the close is due for: the earliest month not yet submitted, from ``since`` (the month the branch
    began keeping its records here) or else the month of the first submission, up to the month just ended; when
    every one of them is submitted, the current month. With no submission and no ``since``: the month just ended.
    """
    current = date(today.year, today.month, 1)
    last_ended = (
        date(current.year - 1, 12, 1) if current.month == 1 else date(current.year, current.month - 1, 1)
    )
    row = db.execute("SELECT MIN(month) FROM monthly_submissions").fetchone()
    starts = [date(since.year, since.month, 1)] if since is not None else []
    if row is not None and row[0]:
        starts.append(month_bounds(str(row[0]))[0])
    month = min(starts) if starts else last_ended
    submitted = {str(r[0]) for r in db.execute("SELECT DISTINCT month FROM monthly_submissions").fetchall()}
    while month <= last_ended:
        if month_key_of(month) not in submitted:
            return month_key_of(month)
        month = month_bounds(month_key_of(month))[1] + timedelta(days=1)
    return month_key_of(current)


def mark_submitted(
    db: Database,
    *,
    month: str,
    path: str | os.PathLike[str],
    override_reason: str | None = None,
    today: date | None = None,
) -> Submission:
    """Record that the workbook at ``path`` was submitted (报送) for ``month``.

    Refuses (``ValidationError``) when any check of ``run_checks`` fails, unless ``override_reason`` (non-blank)
    explains why it is submitted anyway — field ``meetings`` when the meetings are at fault, else ``dues`` when a
    member of the month's dues ledger has no dues basis (issue 14), else ``checks``. The reason is recorded with the
    submission, and the audit entry names the checks overridden. ``path`` must be an existing file (its SHA-256 is
    recorded). Submitting a month again is allowed and recorded as a resubmission. One transaction, audited.
    """
    month_bounds(month)
    reason = (override_reason or "").strip()
    file = Path(path)
    if not file.is_file():
        raise ValidationError([Problem("path", f"找不到要报送的工作簿文件「{file}」，请先导出")])
    failed = [c for c in run_checks(db, month=month, today=today) if not c.ok]
    if failed and not reason:
        meetings = next((c for c in failed if c.key == "meetings"), None)
        dues_check = next((c for c in failed if c.key == "dues" and c.blocking), None)
        if meetings is not None:
            field, message = (
                "meetings",
                f"{month} 的会议记录不完整，不能标记为已报送：{meetings.explanation}。",
            )
        elif dues_check is not None:
            field = "dues"
            message = f"{month} 的党费台账有党员未核定党费基数，不能标记为已报送：{dues_check.explanation}。"
        else:
            field = "checks"
            message = f"{month} 有未通过的检查：{'、'.join(c.title for c in failed)}，不能标记为已报送。"
        raise ValidationError([Problem(field, message + "如确需报送，请填写强制报送的原因")])
    overridden = "、".join(c.title for c in failed)
    digest = file_sha256(file)
    uuid = fresh_uuid()
    now = now_iso()
    with db.atomic():
        again = is_submitted(db, month=month)
        db.execute(
            "INSERT INTO monthly_submissions (uuid, month, file_name, file_path, sha256, submitted_at, "
            "override_reason, resubmission, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                uuid,
                month,
                file.name,
                str(file.resolve()),
                digest,
                now,
                reason if failed else "",
                int(again),
                now,
                now,
            ],
        )
        audit.Trail(db, "monthly_submission", uuid).create(
            "resubmit" if again else "submit",
            new=f"{month}：{file.name}" + (f"（强制报送：{reason}；未通过：{overridden}）" if failed else ""),
        )
    return list_submissions(db, month=month)[-1]
