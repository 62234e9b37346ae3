"""The 组织生活会情况报告 (issue 20): ``branchdesk print life-meeting-report`` writes it with the meeting's figures
(read back with pdftotext), every page carries the QR code of the meeting (read back by 导入扫描件 from the page
rendered with pdftoppm), and a closed 整改 item shows as closed."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from db import branch, lifemeeting, meetings, projects, store
from db.attachments import scans
from db.meetings import AttendanceEntry
from desktop import cli
from tests.db.meetings_helpers import make_roster
from tests.desktop.test_printed_tables import page_texts

TODAY = date.today()
HELD = date(TODAY.year - 1, 12, 10)

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils not installed",
)


def _branch(path: Path) -> str:
    db = store.open(path, create=True)
    try:
        branch.save_branch(db, name="综采一队党支部")
        roster = make_roster(db, full=5, probationary=1, committee=3)
        m = meetings.plan_meeting(
            db, kind="life_meeting", planned_on=HELD, topic="对照检查 批评与自我批评", place="会议室"
        )
        att = meetings.list_attendance(db, meeting_uuid=m.uuid)
        meetings.hold_meeting(
            db,
            uuid=m.uuid,
            started_at=datetime.combine(HELD, datetime.min.time()).replace(hour=14),
            attendance=[
                AttendanceEntry(a.member_uuid, "leave", "下井当班")
                if i == 2
                else AttendanceEntry(a.member_uuid, "present")
                for i, a in enumerate(att)
            ],
        )
        for kind, text in (("masses", "多下现场"), ("upper", "整改对单销号")):
            lifemeeting.add_opinion(db, meeting_uuid=m.uuid, source_kind=kind, received_on=HELD, text=text)
        items = [
            lifemeeting.add_item(
                db,
                meeting_uuid=m.uuid,
                problem=p,
                measure="按期整改",
                owner_uuid=roster["full"][0],
                deadline=date(TODAY.year + 1, 1, 31),
            )
            for p in ("学习联系实际不够", "党小组会参会率低")
        ]
        projects.close_finding(db, uuid=items[0].uuid, closed_on=HELD, rectified_on=HELD)
        return m.uuid
    finally:
        store.close(db)


def test_report_prints_the_figures_and_files_back_to_the_meeting(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "branch.sqlite"
    uuid = _branch(path)
    out = tmp_path / "报告.pdf"
    assert cli.main(["print", "life-meeting-report", "--db", str(path), "--out", str(out)]) == 0
    assert "已生成组织生活会情况报告" in capsys.readouterr().out
    (text,) = page_texts(out)
    year = HELD.year
    assert f"综采一队党支部{year}年度组织生活会情况报告" in text
    assert "应到5人,实到4人,请假1人" in text  # the probationary member joined after the meeting
    assert "共2条(党员0条,群众1条,上级党委1条)" in text
    assert "共2项(待整改1项,已整改0项,已销号1项)" in text
    assert "状态:已销号" in text and "状态:待整改" in text

    subprocess.run(["pdftoppm", "-r", "150", "-png", str(out), str(tmp_path / "page")], check=True)
    (png,) = sorted(tmp_path.glob("page*.png"))
    db = store.open(path)
    try:
        plan = scans.plan(db, [png])
        assert [(s.tag.printout, s.tag.owner_kind, s.tag.owner_id) for s in plan.sheets] == [
            ("life-meeting-report", "meeting", uuid)
        ]
    finally:
        store.close(db)


def test_report_refuses_a_meeting_of_another_kind(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "branch.sqlite"
    _branch(path)
    db = store.open(path)
    try:
        other = meetings.plan_meeting(db, kind="branch_assembly", planned_on=HELD, topic="党员大会")
    finally:
        store.close(db)
    out = tmp_path / "x.pdf"
    code = cli.main(
        ["print", "life-meeting-report", "--db", str(path), "--id", other.uuid, "--out", str(out)]
    )
    assert code != 0 and "不是组织生活会" in capsys.readouterr().err
    assert not out.exists()
