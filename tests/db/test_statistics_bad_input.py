"""The yearly 党内统计 against bad input and the edges of the rules (issue 19, QA pass): who the balance names and
why, the workbook written where it cannot be, and HQ's consolidation of files that are not what they seem."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from db import members, statistics, store, transfers
from db.errors import ValidationError
from tests.db.test_cli import _one_chinese_error_line, _run
from tests.db.test_statistics import _add as add_member

TODAY = date(2026, 12, 1)


def _add(db, name: str, joined: date, seq: int, *, category: str = "full", **extra: Any) -> str:  # type: ignore[no-untyped-def]
    """A member born 1980-01-01 (the statistics tests' ``_add``)."""
    return add_member(db, name, date(1980, 1, 1), seq, joined, category=category, **extra)


def test_each_person_of_a_difference_is_told_only_their_own_reason(db) -> None:  # type: ignore[no-untyped-def]
    """Two members archived without an event beside a year of ordinary changes: each is named with the one
    change of their own that lacks its reason, not with every change of the year (which read 死亡：变动原因不明
    for a death fully recorded, and the same list for everyone)."""
    _add(db, "老党员", date(2000, 7, 1), 101)
    died = _add(db, "甲", date(2001, 7, 1), 102)
    transfers.record_event(
        db, member_uuid=died, kind="deceased", happened_on=date(2025, 12, 31), reason="病故", today=TODAY
    )
    _add(db, "乙", date(2025, 1, 1), 103, category="probationary")
    for name, seq, on in (("丙", 104, date(2025, 5, 5)), ("丁", 105, date(2025, 8, 8))):
        uuid = _add(db, name, date(2003, 7, 1), seq)
        members.archive_member(db, uuid=uuid, status="removed", on=on, reason="不明")
    b = statistics.yearly_report(db, year=2025).balance
    assert (b.previous, b.added, b.removed, b.actual) == (4, 1, 1, 2)
    assert {p.name for p in b.people} == {"丙", "丁"}
    for person in b.people:
        assert person.why == "原因不明：已减员但没有出党、死亡等事项记录（减员：不明）", person.why


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed database of a three-member branch (the CLI opens it itself)."""
    path = tmp_path_factory.mktemp("small") / "branch.sqlite"
    db = store.open(path)
    try:
        for i in range(3):
            _add(db, f"党员{i}", date(2000, 7, 1), 200 + i)
    finally:
        store.close(db)
    return path


@pytest.mark.parametrize("where", ["missing", "folder"])
def test_stats_into_a_place_it_cannot_write_names_the_file_asked_for(
    small_db: Path, tmp_path: Path, where: str
) -> None:
    """--out in a folder that does not exist (a USB stick pulled out) or naming a folder: one Chinese line naming
    the file the user gave and what to do, not the hidden temporary file beside it; nothing left behind."""
    out = tmp_path / "不存在的文件夹" / "年报.xlsx" if where == "missing" else tmp_path / "年报.xlsx"
    if where == "folder":
        out.mkdir()
    line = _one_chinese_error_line(
        _run("stats", "--db", str(small_db), "--year", "2025", "--out", str(out), cwd=tmp_path)
    )
    assert f"「{out}」" in line and ".partial" not in line and "请" in line, line
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "nothing half-written is left"
    summed = _run("stats-consolidate", "--out", str(out), str(tmp_path / "a.xlsx"), cwd=tmp_path)
    line = _one_chinese_error_line(summed)
    assert f"「{out}」" in line and ".partial" not in line, line


@pytest.fixture(scope="module")
def exported(small_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real 2025 report workbook of the small branch, as ``branchdesk stats`` writes it."""
    out = tmp_path_factory.mktemp("exported") / "一支部2025.xlsx"
    db = store.open(small_db, create=False)
    try:
        statistics.write_report(statistics.yearly_report(db, year=2025), out, branch="一支部")
    finally:
        store.close(db)
    return out


def test_consolidating_onto_one_of_the_branch_files_is_refused(exported: Path, tmp_path: Path) -> None:
    """--out naming one of the files being summed (a slip of the clerk's hand) overwrote that branch's report with
    the summary; now it is refused before anything is written, and the file is left as it was."""
    branch_file = tmp_path / "一支部2025.xlsx"
    branch_file.write_bytes(exported.read_bytes())
    before = branch_file.read_bytes()
    result = _run("stats-consolidate", "--out", str(branch_file), str(branch_file), cwd=tmp_path)
    line = _one_chinese_error_line(result)
    assert "一支部2025.xlsx" in line and "请" in line, line
    assert branch_file.read_bytes() == before
    odd = _run("stats-consolidate", "--out", str(tmp_path / "汇总.txt"), str(branch_file), cwd=tmp_path)
    assert ".xlsx" in _one_chinese_error_line(odd) and not (tmp_path / "汇总.txt").exists()


def test_the_same_file_chosen_twice_is_said_so(exported: Path, tmp_path: Path) -> None:
    """The one file chosen twice was reported as 「a」已被较新的「a」替换 (the same file replacing itself)."""
    from db.statistics import consolidate as c

    result = c.check_stats([exported, exported.parent / "." / exported.name])
    assert [b.file_name for b in result.branches] == [exported.name] and len(result.summed) == 1
    (finding,) = result.findings
    assert "选择了两次" in finding.message and "较新" not in finding.message, finding.message


def test_a_refused_file_is_one_sentence_each(exported: Path, tmp_path: Path) -> None:
    """The reader's reason ends with 。 and the CLI added another (「…后再导入。。处理：…」); an encrypted file was
    told to 「请输入工作簿密码」, which stats-consolidate has no way to take."""
    from db.workbook import protect

    empty = tmp_path / "空.xlsx"
    empty.write_bytes(b"")
    locked = tmp_path / "加密.xlsx"
    protect.encrypt_file(exported, locked, password="abc12345")
    result = _run(
        "stats-consolidate",
        "--out",
        str(tmp_path / "s.xlsx"),
        str(exported),
        str(empty),
        str(locked),
        cwd=tmp_path,
    )
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith("问题")]
    assert len(problems) == 2, result.stdout
    assert all("。。" not in line for line in problems), problems
    encrypted = next(line for line in problems if "加密.xlsx" in line)
    assert "密码" in encrypted and "输入工作簿密码" not in encrypted, encrypted


def test_a_year_that_has_not_begun(small_db: Path, tmp_path: Path, db) -> None:  # type: ignore[no-untyped-def]
    """Next year's report came out as a plausible, balanced workbook of today's roster, and could be saved and
    marked final, so the year after took its 上年底总数 from a year that had not happened."""
    year = date.today().year + 1
    out = tmp_path / "r.xlsx"
    line = _one_chinese_error_line(
        _run("stats", "--db", str(small_db), "--year", str(year), "--out", str(out), cwd=tmp_path)
    )
    assert f"{year}" in line and "尚未开始" in line, line
    assert not out.exists()
    _add(db, "党员", date(2000, 7, 1), 300)
    ahead = statistics.yearly_report(db, year=2027)
    with pytest.raises(ValidationError, match="尚未开始"):
        statistics.save_report(db, report=ahead, final=True, today=date(2026, 12, 1))
    assert statistics.saved_report(db, year=2027) is None
    this_year = statistics.yearly_report(db, year=2026)  # a year under way may be saved, as before
    assert statistics.save_report(db, report=this_year, today=date(2026, 12, 1))["year"] == 2026


def _edit_note(src: Path, dst: Path, label: str, value: object) -> None:
    import openpyxl

    book = openpyxl.load_workbook(src)
    for row in book["说明"].iter_rows():
        if row[0].value == label:
            row[1].value = value
    book.save(dst)


def test_the_code_covers_the_branch_name_and_the_balance_on_the_notes_sheet(
    exported: Path, tmp_path: Path
) -> None:
    """A copy with the 支部名称 typed over was summed as a second branch (the totals doubled, both 平衡, exit 0); a
    说明 figure or 差异说明 typed over passed the 数据校验码 (a hand-written explanation made an unbalanced branch pass).
    Now each is a changed figure named by cell, and the file is not summed."""
    from db.statistics import consolidate as c

    renamed, actual, explained = tmp_path / "改名.xlsx", tmp_path / "实有数.xlsx", tmp_path / "说明.xlsx"
    _edit_note(exported, renamed, "支部名称", "二支部")
    _edit_note(exported, actual, "本年底实有数", 4)
    _edit_note(exported, explained, "差异说明", "已核实")
    result = c.check_stats([exported, renamed, actual, explained])
    assert [b.file_name for b in result.summed] == [exported.name]
    for path in (renamed, actual, explained):
        changed = [f for f in result.findings if f.file == path.name and f.kind == c.CHANGED]
        assert len(changed) == 1 and changed[0].sheet == "说明" and changed[0].cell.startswith("B"), (
            result.findings
        )
    assert "二支部" in next(f.message for f in result.findings if f.file == renamed.name)


def test_a_workbook_of_the_first_code_still_verifies(exported: Path) -> None:
    """Files exported before the code covered the whole 说明 sheet carry the first code: still accepted as intact."""
    from db.statistics import integrity
    from db.workbook.read import Book

    book = Book(exported)
    try:
        sheets = [s for s in book.sheet_names if s.startswith("表") and s not in book.hidden_sheets]
        figures = integrity.book_figures(book, sheets)
    finally:
        book.close()
    old = integrity.digest(figures, version=1)
    assert old != integrity.digest(figures) and integrity.verifies(figures, old)
    assert not integrity.verifies(figures[:-1], old)


def test_an_unbalanced_branch_is_flagged_for_its_balance_alone(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A branch whose balance does not close (差 −1) as exported: summed and flagged for its balance, with the
    figures as whole numbers. The 报表校核 also read the blank 其中 rows of 实有数与应有数之差 as 0 「大于合计 -1」
    (a negative difference is not a whole with parts), and the balance said 「为 35.0」 and 「已汇总」 even for a file
    left out of the sums."""
    from db.statistics import consolidate as c

    for i in range(3):
        _add(db, f"党员{i}", date(2000, 7, 1), 400 + i)
    gone = _add(db, "无因", date(2003, 7, 1), 410)
    members.archive_member(db, uuid=gone, status="removed", on=date(2025, 5, 5), reason="不明")
    out = statistics.write_report(
        statistics.yearly_report(db, year=2025), tmp_path / "u.xlsx", branch="三支部"
    )
    result = c.check_stats([out])
    assert [b.status for b in result.branches] == [c.SUMMED_FLAGGED]
    assert [f.kind for f in result.findings] == [c.BALANCE], result.findings
    assert "本年底实有数 3 与应有数 4 不符" in result.findings[0].message
    assert "已汇总" not in result.findings[0].action
    edited = tmp_path / "e.xlsx"
    _edit_note(out, edited, "本年底实有数", 4)
    result = c.check_stats([edited])
    table_one = [f for f in result.findings if f.kind == c.BALANCE and f.sheet.startswith("表1")]
    assert table_one and "为 3，与说明中的 4 不符" in table_one[0].message, table_one


def test_files_that_are_not_reports_count_as_not_summed(exported: Path, tmp_path: Path) -> None:
    """Only unreadable files: the summary line said 「（），… 未汇总 0 个」 although no file was summed."""
    broken = tmp_path / "坏.xlsx"
    broken.write_bytes(exported.read_bytes()[:3000])
    text = tmp_path / "名单.xlsx"
    text.write_text("姓名,支部\n张三,一支部\n", encoding="utf-8")
    result = _run(
        "stats-consolidate", "--out", str(tmp_path / "s.xlsx"), str(broken), str(text), cwd=tmp_path
    )
    assert result.returncode == 1
    head = result.stdout.splitlines()[0]
    assert "已汇总 0 个支部" in head and "未汇总 2 个" in head and "（）" not in head, head
    from db.statistics import consolidate as c

    assert c.check_stats([broken, text, exported]).not_summed == 2  # the 上级汇总 dialog's count too
