"""db.workbook.writer: the one .xlsx writer (atomic file, one formula-escaping rule, columns from the format table),
and the round trip of every sheet the format table declares through a real exported file."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from db import demo
from db.parts import sheet_sources
from db.workbook import export, merge, protect, writer
from db.workbook.cells import unescape_text
from db.workbook.format import NOTES_SHEET, ROSTER_SHEET, SHEETS, Column
from db.workbook.read import Book, formula_cells, read_notes
from db.workbook.writer import SheetSpec, cell_value, write_xlsx

TEXT = Column("文本", "text", "text", width=20)
RISKY = [
    "=SUM(A1)",
    '=HYPERLINK("http://x")',
    "+1",
    "-2",
    "@采煤",
    "\tTab",
    "\rCR",
    "'quoted",
    "plain",
    "=",
    "''x",
]


def _calamine(path: Path, sheet: str) -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(path))
    try:
        return book.get_sheet_by_name(sheet).to_python()
    finally:
        book.close()


def test_formula_like_text_is_written_escaped_as_text_and_never_a_formula(tmp_path: Path) -> None:
    out = write_xlsx(tmp_path / "x.xlsx", [SheetSpec("表", [TEXT], [[t] for t in RISKY])])
    # openpyxl: every cell is a string cell holding the escaped text, not a formula
    ws = load_workbook(out)["表"]
    cells = [ws.cell(row=r, column=1) for r in range(2, len(RISKY) + 2)]
    assert all(c.data_type == "s" for c in cells)
    # (a carriage return is stored as the OOXML escape _x000D_, which Excel and python-calamine decode and openpyxl
    # shows as it is)
    written = [str(c.value).replace("_x000D_", "\r") for c in cells]
    for original, value in zip(RISKY, written):
        if original.startswith(("=", "+", "-", "@", "\t", "\r", "'")):
            assert value == "'" + original, original
        else:
            assert value == original
    # python-calamine (what the import reads) sees the same strings, and unescaping gives back the original text
    rows = _calamine(out, "表")
    assert [r[0] for r in rows[1:]] == written
    assert [unescape_text(str(r[0])) for r in rows[1:]] == RISKY
    assert formula_cells(out, "表") == []


# Texts XlsxWriter must encode or escape (control characters, its own _xHHHH_ escape written literally, XML specials,
# non-characters, whitespace it preserves) beside texts it writes as they are.
AWKWARD = [
    "plain",
    "B7",
    "中文姓名",
    "ctl\x01char",
    "bell\x07",
    "_x0041_ literal",
    "_X0041_ upper",
    "tab\tinside",
    "line\nbreak",
    'quote" & <tag>',
    "non\ufffecharacter\uffff",
    "全角\u3000空格",
    "  leading",
    "trailing  ",
    "line\u2028separator",
    "emoji 🚩",
]


def test_the_writers_worksheet_writes_what_xlsxwriter_itself_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer's worksheet skips XlsxWriter's escaping where nothing needs escaping (a speed-up); the sheet XML is
    the same byte for byte as XlsxWriter's own worksheet writes, for awkward texts, numbers, dates and styles."""
    from xlsxwriter.worksheet import Worksheet

    columns = [
        TEXT,
        Column("编号", "code", "text"),
        Column("日期", "day", "date"),
        Column("金额", "fen", "money"),
    ]
    rows = [[text, text, date(2024, 1, 1 + i % 28), i * 137] for i, text in enumerate(AWKWARD)]
    sheet = SheetSpec("表", columns, rows, heading="标题 & <特殊>", footer=["合计", "", None, 99])

    def sheet_xml(path: Path) -> bytes:
        write_xlsx(path, [sheet], constant_memory=True)
        with zipfile.ZipFile(path) as z:
            return z.read("xl/worksheets/sheet1.xml")

    ours = sheet_xml(tmp_path / "ours.xlsx")
    monkeypatch.setattr(writer, "_worksheet_class", lambda: Worksheet)
    stock = sheet_xml(tmp_path / "stock.xlsx")
    assert ours == stock
    assert (
        b"_x0001_" in ours and b"_x005F_x0041_" in ours
    )  # the escapes are there: XlsxWriter's method ran for them


def test_columns_kinds_dicts_sequences_heading_and_footer(tmp_path: Path) -> None:
    columns = [
        Column("姓名", "name", "text"),
        Column("日期", "on", "date"),
        Column("金额", "fen", "money"),
        Column("类别", "kind", "choice", choices={"a": "甲", "b": "乙"}),
        Column("是否", "flag", "bool"),
        Column("人数", "n", "int"),
    ]
    rows = [
        {"name": "张三", "on": date(2026, 3, 1), "fen": 12345, "kind": "a", "flag": True, "n": 3},
        ["李四", "2026-03-02", None, "b", False, 0],
    ]
    spec = SheetSpec(
        "台账", columns, rows, heading="2026年3月台账", footer=["合计", None, 12345, None, None, 3]
    )
    out = write_xlsx(tmp_path / "t.xlsx", [spec])
    got = _calamine(out, "台账")
    assert got[0][0] == "2026年3月台账"
    assert got[1] == [c.header for c in columns]
    assert got[2] == ["张三", date(2026, 3, 1), 123.45, "甲", "是", 3]
    assert got[3] == ["李四", date(2026, 3, 2), "", "乙", "否", 0]
    assert got[4][0] == "合计" and got[4][2] == 123.45
    ws = load_workbook(out)["台账"]
    assert ws.freeze_panes == "A3"
    assert ws["B3"].number_format == "yyyy-mm-dd" and ws["C3"].number_format == "0.00"


def test_a_failed_write_leaves_the_existing_file_and_no_partial(tmp_path: Path) -> None:
    target = tmp_path / "old.xlsx"
    write_xlsx(target, [SheetSpec("表", [TEXT], [["旧内容"]])])
    before = target.read_bytes()

    def broken() -> object:
        yield ["新内容"]
        raise RuntimeError("disk gone")

    with pytest.raises(RuntimeError):
        write_xlsx(target, [SheetSpec("表", [TEXT], broken())])
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["old.xlsx"]


def test_password_encrypts_the_written_file(tmp_path: Path) -> None:
    out = write_xlsx(tmp_path / "p.xlsx", [SheetSpec("表", [TEXT], [["机密"]])], password="hq-2026")
    assert protect.is_ole(out)
    book = Book(out, password="hq-2026")
    try:
        assert book.rows("表")[1] == ["机密"]
    finally:
        book.close()


def test_cell_value_matches_the_rule_for_every_kind() -> None:
    assert cell_value(TEXT, "=1") == "'=1"
    assert cell_value(TEXT, "") is None and cell_value(TEXT, None) is None
    assert cell_value(Column("n", "n", "number"), 2.5) == 2.5


# --- the format table's round trip -------------------------------------------------------------------------

# Sheets the import does not read back into the database by design (format.py: "Only 党员名册 is imported; the
# parts' sheets are export-only for now"). They are still read back here, cell by cell, from the real file.
EXPORT_ONLY = {
    "民主评议",
    "项目台账",
    "检查整改",
    "组织关系转接",
    "流动党员",
    "发展党员",
    "党费收缴",
    "会议记录",
    "参会情况",
    "附件清单",
}


def test_every_declared_sheet_is_exported_and_read_back(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    demo.generate(db, members=40, seed=1, today=date(2026, 11, 30))
    month = "2026-09"  # a month of the demo branch where every part has records
    from db import attachments, meetings

    held = [m for m in meetings.list_meetings(db, status="held") if m.held_on.isoformat().startswith(month)]
    attachments.add_attachment(
        db, owner_kind="meeting", owner_id=held[0].uuid, name="签到表.pdf", data=b"%PDF-1.4 x"
    )
    out = tmp_path / "月报.xlsx"
    result = export.export_monthly(db, month=month, path=out)

    declared = {s.name for s in SHEETS}
    assert {s.name for s in SHEETS if not s.imported and s is not NOTES_SHEET} == EXPORT_ONLY
    assert set(CalamineWorkbook.from_path(str(out)).sheet_names) == declared

    # 说明: read back by the import's notes reader (labels from format.py), counts and figures included
    book = Book(out)
    try:
        notes = read_notes(book)
        assert notes["counts"] == result.row_counts
        assert notes["figures"] == pytest.approx(result.figures)
        for sheet in SHEETS:
            if sheet is NOTES_SHEET:
                continue
            rows = book.rows(sheet.name)
            assert rows[0] == [c.header for c in sheet.columns], sheet.name
            assert len(rows) - 1 == result.row_counts[sheet.name] > 0, sheet.name
            if sheet.name in EXPORT_ONLY:
                source = next(s for s in sheet_sources() if s.sheet is sheet)
                records = list(source.rows(db, month=month))
                expected = [
                    ["" if (v := cell_value(c, r.get(c.field))) is None else v for c in sheet.columns]
                    for r in records
                ]
                got = [[unescape_text(v) if isinstance(v, str) else v for v in row] for row in rows[1:]]
                want = [[unescape_text(v) if isinstance(v, str) else v for v in row] for row in expected]
                assert got == want, sheet.name
    finally:
        book.close()

    # 党员名册: read back by the import itself, every row recognised as our own export of the member
    preview = merge.preview_import(db, path=out)
    assert preview.sheet == ROSTER_SHEET.name
    assert preview.counts["unchanged"] == result.row_counts[ROSTER_SHEET.name]
    assert sum(preview.counts.values()) == preview.counts["unchanged"]


# --- the layer's shape -------------------------------------------------------------------------------------

# Function-level imports kept on purpose: heavy third-party modules only some commands need, each commented in
# place with its measured import cost. Anything else belongs at the top of the module.
LAZY_IMPORTS = {
    ("writer.py", "xlsxwriter"),
    ("writer.py", "xlsxwriter.exceptions"),
    ("protect.py", "msoffcrypto"),
    ("protect.py", "msoffcrypto.format.ooxml"),
    ("protect.py", "msoffcrypto.exceptions"),
    ("guards.py", "defusedxml.ElementTree"),
    ("layouts.py", "defusedxml.ElementTree"),
}


def test_workbook_modules_import_at_top_level_but_the_measured_lazy_ones() -> None:
    """Imports inside functions only where listed in ``LAZY_IMPORTS`` (import cycles of the whole program are
    checked by ``tests/test_import_cycles.py``)."""
    import ast

    folder = Path(__file__).resolve().parents[2] / "db" / "workbook"
    lazy: set[tuple[str, str]] = set()
    for path in folder.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(tree.body)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                name = node.module
            elif isinstance(node, ast.Import):
                name = node.names[0].name
            else:
                continue
            if node not in top:
                lazy.add((path.name, name))
    assert lazy == LAZY_IMPORTS
