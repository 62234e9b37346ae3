"""The sign-in sheet PDF: every name as text, title and column header repeated on page 2, page 1 rendered."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from db import branch, meetings, members
from db.meetings import AttendanceEntry
from tests.db.meetings_helpers import make_roster

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def pdf_text(path: Path, *, page: int | None = None) -> str:
    args = ["pdftotext", "-layout"]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    out = subprocess.run([*args, str(path), "-"], check=True, capture_output=True, text=True).stdout
    # The text layer holds ideographs, never CJK radicals (searching the PDF must find them); NFKC below only
    # folds full-width punctuation for the comparisons.
    assert not [c for c in out if 0x2E80 <= ord(c) <= 0x2FDF], "CJK radicals in the PDF text layer"
    return unicodedata.normalize("NFKC", out)


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


@pytest.fixture
def big_meeting(db):
    branch.save_branch(db, name="综采一队党支部")
    make_roster(db, full=40, probationary=6, groups=3, committee=5)
    return meetings.plan_meeting(
        db,
        kind="branch_assembly",
        planned_on=date(2026, 10, 15),
        planned_time="14:30",
        topic="学习传达上级会议精神",
        place="矿党员活动室",
        observers=["积极分子王晓东"],
    )


def test_every_name_present_and_header_repeated(db, big_meeting, tmp_path, qapp):
    from desktop.printing.signin import write_pdf

    sheet = meetings.signin_sheet(db, meeting_uuid=big_meeting.uuid, variant="planned")
    out = tmp_path / "signin.pdf"
    pages = write_pdf(sheet, out)
    assert pages == pdf_pages(out) >= 2
    text = pdf_text(out)
    roster = members.list_members(db)
    for m in roster:
        assert m.name in text, m.name
    assert "积极分子王晓东" in text
    # names in roster order: full members first, then probationary
    positions = [text.index(m.name) for m in sorted(roster, key=lambda m: m.category != "full")]
    assert positions == sorted(positions)
    for n in range(1, pages + 1):
        page = pdf_text(out, page=n)
        assert "综采一队党支部 支部党员大会签到表" in page
        for header in ("序号", "姓名", "类别", "党小组", "本人签名", "备注"):
            assert header in page, (n, header)
        assert f"第{n}页/共{pages}页" in page.replace(" ", "")
    first = pdf_text(out, page=1)
    assert "主持人" in first and "记录人" in first and "地点:矿党员活动室" in first.replace(" ", "")
    assert "正式党员(40人)" in first.replace(" ", "")
    last = pdf_text(out, page=pages)
    assert "应到46人" in last.replace(" ", "") and "实到" in last and "请假" in last
    # the CJK font travels inside the file, so it prints the same on a machine without Chinese fonts
    fonts = subprocess.run(
        ["pdffonts", str(out)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts
    assert any("CJK" in line for line in fonts)
    # page 1 as PNG for a human to look at
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.stat().st_size > 10_000


def test_filled_variant_shows_attendance_and_counts(db, big_meeting, tmp_path, qapp):
    from desktop.printing.signin import write_pdf

    att = meetings.list_attendance(db, meeting_uuid=big_meeting.uuid)
    entries = [
        AttendanceEntry(a.member_uuid, "present", observer_name=a.name if not a.member_uuid else "")
        if a.member_uuid
        else AttendanceEntry(None, "observer", observer_name=a.name)
        for a in att
    ]
    entries[3] = AttendanceEntry(att[3].member_uuid, "leave", "下井当班")
    meetings.hold_meeting(
        db,
        uuid=big_meeting.uuid,
        started_at=datetime(2026, 10, 15, 14, 30),
        attendance=entries,
        today=date(2026, 11, 1),
    )
    out = tmp_path / "filled.pdf"
    write_pdf(meetings.signin_sheet(db, meeting_uuid=big_meeting.uuid, variant="filled"), out)
    text = pdf_text(out).replace(" ", "")
    assert "请假:下井当班" in text
    assert "应到46人" in text and "实到45人" in text and "请假1人" in text


def test_blank_variant_has_no_names(db, big_meeting, tmp_path, qapp):
    from desktop.printing.signin import write_pdf

    out = tmp_path / "blank.pdf"
    write_pdf(meetings.signin_sheet(db, meeting_uuid=big_meeting.uuid, variant="blank"), out)
    text = pdf_text(out)
    assert "签到表" in text and not any(m.name in text for m in members.list_members(db))


def test_cli_signin(db, db_path, big_meeting, tmp_path, capsys, qapp):
    from desktop import cli

    out = tmp_path / "cli.pdf"
    assert (
        cli.main(["--db", str(db_path), "signin", "--meeting", "2026-支部党员大会-1", "--out", str(out)]) == 0
    )
    assert "共 2 页" in capsys.readouterr().out or pdf_pages(out) >= 2
    assert members.list_members(db)[0].name in pdf_text(out)
    assert cli.main(["--db", str(db_path), "signin", "--meeting", "2026-党课-7", "--out", str(out)]) == 1
    assert "找不到会议「2026-党课-7」" in capsys.readouterr().err
    # the sign-in sheet given the database's own name (or another database's) is refused, the database intact
    # (the CLI refuses an --out not named .pdf first; the save dialog does not)
    from db.errors import BranchDeskError
    from desktop.printing.signin import write_pdf

    other = tmp_path / "other.sqlite"
    shutil.copy(db_path, other)
    sheet = meetings.signin_sheet(db, meeting_uuid=big_meeting.uuid, variant="blank")
    for target in (db_path, other, db_path.with_name(db_path.name + "-wal")):
        before = target.read_bytes() if target.exists() else None
        with pytest.raises(BranchDeskError) as info:
            write_pdf(sheet, target)
        assert f"「{target.name}」是数据库文件" in info.value.message
        assert (target.read_bytes() if target.exists() else None) == before


def test_minutes_pdf_has_every_element(db, big_meeting, tmp_path, qapp):
    from desktop.printing.minutes import write_pdf

    att = meetings.list_attendance(db, meeting_uuid=big_meeting.uuid)
    entries = [
        AttendanceEntry(a.member_uuid, "present")
        if a.member_uuid
        else AttendanceEntry(None, "observer", observer_name=a.name)
        for a in att
    ]
    entries[1] = AttendanceEntry(att[1].member_uuid, "leave", "外出培训")
    entries[2] = AttendanceEntry(att[2].member_uuid, "absent", "未请假")
    meetings.hold_meeting(
        db,
        uuid=big_meeting.uuid,
        started_at=datetime(2026, 10, 15, 14, 30),
        ended_at=datetime(2026, 10, 15, 16, 0),
        content="传达上级党委会议精神。",
        speaking_points="书记作主题发言。",
        attendance=entries,
        today=date(2026, 11, 1),
    )
    meetings.add_decision(
        db,
        meeting_uuid=big_meeting.uuid,
        subject="接收张三为预备党员",
        votes_for=30,
        votes_against=1,
        votes_abstain=1,
        resolution="同意接收",
    )
    meetings.lock_minutes(db, uuid=big_meeting.uuid)
    meetings.amend_meeting(
        db,
        uuid=big_meeting.uuid,
        field="place",
        value="调度楼会议室",
        reason="记录笔误",
        on=date(2026, 10, 20),
        today=date(2026, 11, 1),
    )
    out = tmp_path / "minutes.pdf"
    assert write_pdf(db, meeting_uuid=big_meeting.uuid, path=out) >= 1
    text = pdf_text(out).replace(" ", "")
    for expected in (
        "综采一队党支部支部党员大会记录",
        "主持人",
        "记录人",
        "议题:学习传达上级会议精神",
        "应到46人,实到44人,请假1人,缺席1人,列席1人",
        f"{att[1].name}(外出培训)",
        f"{att[2].name}(未请假)",
        "积极分子王晓东",
        "法定人数",
        "会议内容:传达上级党委会议精神。",
        "发言要点:书记作主题发言。",
        "接收张三为预备党员。赞成30票,反对1票,弃权1票。决议:同意接收",
        "更正记录",
        "记录笔误",
        "主持人(签字)",
        "记录人(签字)",
    ):
        assert expected in text, expected


def test_long_reasons_wrap_and_counts_add_up(db, big_meeting, tmp_path, qapp):
    from desktop.printing.signin import write_pdf

    att = meetings.list_attendance(db, meeting_uuid=big_meeting.uuid)
    reason = "在外地参加集团公司组织的安全生产专项培训班，为期两周，已提前向支部书记书面请假"
    special = {0: ("leave", reason), 1: ("absent", "未请假")}
    entries = [
        AttendanceEntry(None, "observer", observer_name=a.name)
        if a.member_uuid is None
        else AttendanceEntry(a.member_uuid, *special.get(i, ("present", "")))
        for i, a in enumerate(att)
    ]
    held_at = datetime(2026, 10, 15, 14, 30)
    meetings.hold_meeting(
        db, uuid=big_meeting.uuid, started_at=held_at, attendance=entries, today=date(2026, 11, 1)
    )
    out = tmp_path / "filled.pdf"
    pages = write_pdf(meetings.signin_sheet(db, meeting_uuid=big_meeting.uuid, variant="filled"), out)
    raw = pdf_text(out)
    assert "…" not in raw and "..." not in raw
    flat = "".join(raw.split())
    # the whole reason is on paper, wrapped over lines of its cell (pdftotext -layout puts them side by side
    # with the neighbouring cells, so look for every piece in order)
    assert all(piece in flat for piece in ("在外地参加", "安全生产", "书面请假"))
    assert "应到46人实到44人请假1人缺席1人" in "".join(pdf_text(out, page=pages).split())
    # 列席 in their own section after the members
    assert flat.index("列席人员(1人)") > flat.index("预备党员(6人)")


def test_party_lecture_shows_its_lecturer(db, big_meeting, tmp_path, qapp):
    from desktop.printing.signin import write_pdf

    lecture = meetings.plan_meeting(
        db, kind="party_lecture", planned_on=date(2026, 10, 20), topic="学习党章", lecturer="李书记"
    )
    out = tmp_path / "lecture.pdf"
    write_pdf(meetings.signin_sheet(db, meeting_uuid=lecture.uuid), out)
    flat = "".join(pdf_text(out, page=1).split())
    assert "授课人:李书记" in flat and "党课题目:学习党章" in flat
