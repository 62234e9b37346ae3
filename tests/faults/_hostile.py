"""Hostile .xlsx files built by hand (zip + XML text), as a hostile world would write them: a minimal workbook of
one sheet 党员名册 whose parts can be replaced or added."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="党员名册" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)


def cell(ref: str | None, text: str) -> str:
    where = f' r="{ref}"' if ref else ""
    return f'<c{where} t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = f'<row r="1">{cell("A1", "姓名")}{cell("B1", "公民身份号码")}{cell("C1", "人员类别")}</row>'
MEMBER = f'<row r="2">{cell("A2", "张三")}{cell("B2", "140202198005060119")}{cell("C2", "正式党员")}</row>'


def sheet(*rows: str, prolog: str = '<?xml version="1.0" encoding="UTF-8"?>', dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{prolog}<worksheet xmlns="{MAIN}">{dim}<sheetData>{"".join(rows)}</sheetData></worksheet>'


def build(path: Path, parts: Mapping[str, str | bytes] | None = None) -> Path:
    """A workbook at ``path``: the minimal parts (a header row and one member), replaced or added by ``parts``."""
    every: dict[str, str | bytes] = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": WORKBOOK,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": sheet(HEADER, MEMBER),
        **(parts or {}),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in every.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return path


def build_rows(path: Path, rows: Iterable[bytes], *, dimension: str = "") -> Path:
    """A workbook whose sheet is streamed from ``rows`` (raw ``<row>`` XML; a million rows stay out of memory)."""
    build(path)
    tmp = path.with_name(path.name + ".rows")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                z.writestr(info, src.read(info))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            f.write(
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}<sheetData>'.encode()
            )
            f.write(HEADER.encode())
            buffer: list[bytes] = []
            for row in rows:
                buffer.append(row)
                if len(buffer) >= 10000:
                    f.write(b"".join(buffer))
                    buffer.clear()
            f.write(b"".join(buffer))
            f.write(b"</sheetData></worksheet>")
    tmp.replace(path)
    return path


def million_rows(path: Path, count: int = 1_048_576, *, dimension: str = "") -> Path:
    """Excel's most rows: the header, then ``count - 1`` rows of one cell each."""
    return build_rows(
        path,
        (
            b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (i, i)
            for i in range(2, count + 1)
        ),
        dimension=dimension,
    )


ODS_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def ods(path: Path, rows: str) -> Path:
    """An OpenDocument spreadsheet with one sheet 党员名册: a header row, then ``rows`` (table-row XML)."""
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"

    def cell(value: str) -> str:
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'

    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
        f'xmlns:table="{ODS_TABLE}" xmlns:text="{text}" office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="党员名册"><table:table-row>{cell("姓名")}{cell("公民身份号码")}</table:table-row>'
        f"{rows}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED
        )
        z.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>",
            compress_type=zipfile.ZIP_DEFLATED,
        )
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path
