"""Hostile workbooks (issue 17), built by hand as zip + XML: document type declarations and entities (XXE, billion
laughs) in any part and encoding get a clear Chinese refusal; formulas are found in every form a sheet can hold
them; macros, external links and embedded objects are named in the preview and never run; a sheet too large to be
a roster is refused from its raw XML before any parser builds it. Each case runs through the preview as the GUI
and the CLI call it, and through the CLI as a user runs it (one Chinese line, never "程序内部错误")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from db.workbook import merge
from db.workbook.read import WorkbookRefused
from desktop.context import AppContext
from desktop.pages.exchange import Page
from tests.faults import _hostile as h
from tests.faults._helpers import cli, one_chinese_line

XXE = '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)
    )
    + "]>"
)
MEMBER_E = h.MEMBER.replace("张三", "&e;")

DOCTYPES: dict[str, dict[str, str | bytes]] = {
    "external entity in the sheet": {"xl/worksheets/sheet1.xml": h.sheet(h.HEADER, MEMBER_E, prolog=XXE)},
    "billion laughs in the sheet": {
        "xl/worksheets/sheet1.xml": h.sheet(h.HEADER, h.MEMBER.replace("张三", "&lol9;"), prolog=LAUGHS)
    },
    "entity in the workbook part": {"xl/workbook.xml": h.WORKBOOK.replace(h.WORKBOOK[:38], XXE)},
    "entity in the shared strings": {
        "xl/sharedStrings.xml": f'{XXE}<sst xmlns="{h.MAIN}"><si><t>&e;</t></si></sst>',
    },
    "entity in the content types": {
        "[Content_Types].xml": h.CONTENT_TYPES.replace(h.CONTENT_TYPES[:55], XXE)
    },
    "entity in a relationships part": {"_rels/.rels": h.ROOT_RELS.replace(h.ROOT_RELS[:38], XXE)},
    "DTD after a comment": {
        "xl/worksheets/sheet1.xml": h.sheet(
            h.HEADER, MEMBER_E, prolog="<!-- " + "x" * 5000 + " -->" + XXE[38:]
        )
    },
    "DTD in UTF-16": {
        "xl/worksheets/sheet1.xml": h.sheet(
            h.HEADER, MEMBER_E, prolog='<?xml version="1.0" encoding="UTF-16"?>' + XXE[38:]
        ).encode("utf-16")
    },
    "a prolog padded past 64 KB": {
        "xl/worksheets/sheet1.xml": h.sheet(
            h.HEADER, MEMBER_E, prolog="<!--" + "x" * 70_000 + "-->" + XXE[38:]
        )
    },
}


@pytest.fixture
def cli_db(tmp_path: Path, _template_db: Path) -> str:
    """A database of its own for the CLI (the test's ``db`` is held open by this process)."""
    shutil.copy(_template_db, tmp_path / "cli.sqlite")
    return str(tmp_path / "cli.sqlite")


def _refusal(db, path: Path) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkbookRefused) as caught:
        merge.preview_import(db, path=path)
    return caught.value.message


@pytest.mark.parametrize("shape", list(DOCTYPES))
def test_a_document_type_declaration_is_refused_in_chinese(
    db, tmp_path: Path, shape: str, cli_db: str
) -> None:  # type: ignore[no-untyped-def]
    path = h.build(tmp_path / "hq.xlsx", DOCTYPES[shape])
    message = _refusal(db, path)
    assert "文档类型声明" in message and "hq.xlsx" in message, message
    line = one_chinese_line(cli("import", str(path), "--db", cli_db, cwd=tmp_path))
    assert "文档类型声明" in line


FORMULAS: dict[str, tuple[str, str]] = {
    "a cell with its reference": (
        h.MEMBER.replace("</row>", '<c r="D2"><f>SUM(1,2)</f><v>3</v></c></row>'),
        "单元格 D2",
    ),
    "a cell without r=": (
        '<row r="2"><c t="inlineStr"><is><t>张三</t></is></c><c t="str"><f>"1402"&amp;"02"</f><v>140202</v></c></row>',
        "第 2 行第 2 个单元格",
    ),
    "a row and a cell without r=": (
        "<row>" + h.cell(None, "张三") + "<c><f>1+1</f><v>2</v></c></row>",
        "第 2 行第 2 个单元格",
    ),
    "a shared formula's dependent cell": (
        h.MEMBER.replace("</row>", '<c r="E2"><f t="shared" si="0"/><v>3</v></c></row>'),
        "单元格 E2",
    ),
    "an array formula": (
        h.MEMBER.replace("</row>", '<c r="F2"><f t="array" ref="F2:F3">ROW(A1:A2)</f><v>1</v></c></row>'),
        "单元格 F2",
    ),
    "a prefixed formula element": (
        h.MEMBER.replace("</row>", '<c r="G2"><x:f xmlns:x="' + h.MAIN + '">1</x:f><v>1</v></c></row>'),
        "单元格 G2",
    ),
    "a formula in a later row without r=": (
        h.MEMBER + "<row>" + h.cell(None, "李四") + "</row><row><c><f>1</f></c></row>",
        "第 4 行第 1 个单元格",
    ),
}


@pytest.mark.parametrize("shape", list(FORMULAS))
def test_a_formula_is_found_whatever_its_syntax(db, tmp_path: Path, shape: str) -> None:  # type: ignore[no-untyped-def]
    rows, place = FORMULAS[shape]
    path = h.build(tmp_path / "hq.xlsx", {"xl/worksheets/sheet1.xml": h.sheet(h.HEADER, rows)})
    message = _refusal(db, path)
    assert "含有公式" in message and place in message, message


ACTIVE: dict[str, tuple[dict[str, str | bytes], str]] = {
    "macros (.xlsm)": ({"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not run"}, "宏（VBA 代码）"),
    "an Excel 4.0 macro sheet": ({"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"}, "Excel 4.0 宏表"),
    "an external link": (
        {"xl/externalLinks/externalLink1.xml": f'<externalLink xmlns="{h.MAIN}"/>'},
        "外部链接",
    ),
    "an embedded object": ({"xl/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0"}, "嵌入对象（OLE）"),
    "an ActiveX control": ({"xl/activeX/activeX1.xml": "<ax:ocx/>"}, "ActiveX 控件"),
    "a data connection": ({"xl/connections.xml": f'<connections xmlns="{h.MAIN}"/>'}, "外部数据连接"),
}


@pytest.mark.parametrize("shape", list(ACTIVE))
def test_macros_links_and_objects_are_named_in_the_preview(
    db, tmp_path: Path, shape: str, cli_db: str
) -> None:  # type: ignore[no-untyped-def]
    parts, label = ACTIVE[shape]
    path = h.build(tmp_path / ("hq.xlsm" if "xlsm" in shape else "hq.xlsx"), parts)
    preview = merge.preview_import(db, path=path)
    assert preview.counts["new"] == 1  # the cells are read as usual …
    notes = [n.text() for n in preview.row_notes]
    assert any(label in n and "不会打开或运行" in n for n in notes), (
        notes
    )  # … and what else it holds is named
    result = cli("import", str(path), "--db", cli_db, cwd=tmp_path)
    assert result.returncode == 0 and label in result.stdout, result.stdout + result.stderr


def test_the_exchange_page_names_the_macros_before_anything_is_applied(qtbot, db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = h.build(
        tmp_path / "hq.xlsm", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0", **ACTIVE["an external link"][0]}
    )
    page = Page(AppContext(db))
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.preview_file(path).finished, timeout=20000):
        pass
    shown = page.ignored_label.text()
    assert "宏（VBA 代码）" in shown and "外部链接" in shown, shown


SIZES: dict[str, tuple[dict[str, object], str]] = {
    "1,048,576 rows": ({}, "超过 60000 行"),
    "1,048,576 rows behind a dimension of two rows": ({"dimension": "A1:C2"}, "超过 60000 行"),
    "a dimension of 1,048,576 rows": ({"dimension": "A1:C1048576", "count": 3}, "有 1048576 行"),
}


@pytest.mark.parametrize("shape", list(SIZES))
def test_a_sheet_too_large_is_refused_before_it_is_read(db, tmp_path: Path, shape: str) -> None:  # type: ignore[no-untyped-def]
    options, expected = SIZES[shape]
    path = h.million_rows(tmp_path / "big.xlsx", **options)  # type: ignore[arg-type]
    message = _refusal(db, path)
    assert expected in message and "未读取" in message, message


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        ('<c r="A1048576" t="inlineStr"><is><t>x</t></is></c>', "有 1048576 行"),
        ('<c r="XFD3" t="inlineStr"><is><t>x</t></is></c>', "有 16384 列"),
    ],
)
def test_one_far_cell_is_refused_before_a_parser_fills_the_sheet_in(  # type: ignore[no-untyped-def]
    db, tmp_path: Path, cells: str, expected: str
) -> None:
    path = h.build(
        tmp_path / "far.xlsx",
        {"xl/worksheets/sheet1.xml": h.sheet(h.HEADER, h.MEMBER, f"<row>{cells}</row>")},
    )
    message = _refusal(db, path)
    assert expected in message, message


ODS_ROWS = {
    "a row of values repeated a million times": (
        (
            '<table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="string">'
            "<text:p>x</text:p></table:table-cell></table:table-row>"
        ),
        "有 1048576 行",
    ),
    "a cell repeated across 16,384 columns": (
        (
            '<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string">'
            "<text:p>x</text:p></table:table-cell></table:table-row>"
        ),
        "有 16384 列",
    ),
}


@pytest.mark.parametrize("shape", list(ODS_ROWS))
def test_an_ods_sheet_of_repeated_values_is_refused_before_it_is_opened(
    db, tmp_path: Path, shape: str
) -> None:  # type: ignore[no-untyped-def]
    # A file of about 1 KB that a parser would expand into a million rows (the process ran out of memory).
    rows, expected = ODS_ROWS[shape]
    path = h.ods(tmp_path / "hq.ods", rows)
    assert path.stat().st_size < 2048
    message = _refusal(db, path)
    assert expected in message and "未读取" in message, message


def test_an_ods_with_libreoffices_blank_trailing_area_is_read(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member = (
        '<table:table-row><table:table-cell office:value-type="string"><text:p>张三</text:p></table:table-cell>'
        '<table:table-cell office:value-type="string"><text:p>140202198005060119</text:p></table:table-cell>'
        "</table:table-row>"
    )
    blank = (
        '<table:table-row table:number-rows-repeated="1048574">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    preview = merge.preview_import(db, path=h.ods(tmp_path / "hq.ods", member + blank))
    assert preview.counts["new"] + preview.counts["invalid"] == 1


def test_shared_strings_too_large_are_refused_before_they_are_read(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # 70 MB of distinct texts that compress well (under the ratio guard's 20 MB floor it would not even count).
    strings = "".join(f"<si><t>{i:08d}</t></si>" for i in range(3_500_000))
    path = h.build(tmp_path / "hq.xlsx", {"xl/sharedStrings.xml": f'<sst xmlns="{h.MAIN}">{strings}</sst>'})
    message = _refusal(db, path)
    assert "共享文本" in message and "未读取" in message, message
