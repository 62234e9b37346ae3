"""A scanner's batch: one PDF of many printouts, as an automatic document feeder makes it. Filing it must read
each page about once, not the whole file again for every page (a 50-page batch of real scans took minutes)."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pypdfium2
import pytest
import segno
from PIL import Image

from db import attachments, store
from db.attachments import scans

MONTHS = 12


def _page(payload: str) -> Image.Image:
    page = Image.new("L", (1240, 1754), 255)
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=8, border=4)
    page.paste(Image.open(io.BytesIO(out.getvalue())).convert("L"), (900, 1400))
    return page


def test_a_batch_pdf_is_rendered_once_per_page(
    db: store.Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages = [_page(f"BD1/DUES-LEDGER/2026-{m:02d}/1/1") for m in range(1, MONTHS + 1)]
    batch = tmp_path / "扫描 批量.pdf"
    pages[0].save(batch, "PDF", save_all=True, append_images=pages[1:], resolution=150.0)
    rendered = []
    render = pypdfium2.PdfPage.render

    def counted(self: pypdfium2.PdfPage, *args: object, **kwargs: object) -> object:
        rendered.append(1)
        return render(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pypdfium2.PdfPage, "render", counted)  # counts the real rendering; replaces nothing

    plan = scans.plan(db, [batch])
    assert len(plan.sheets) == MONTHS and plan.unplaced == []
    filed = scans.apply(db, plan).filed

    assert len(filed) == MONTHS
    assert len(rendered) <= 2 * MONTHS  # found, then filed: not 12 + 1 + 2 + … + 12
    for month, a in enumerate(filed, 1):
        assert a.owner_id == f"dues-ledger/2026-{month:02d}"
        assert attachments.read_bytes(db, uuid=a.uuid)[:5] == b"%PDF-"


def test_a_1200_dpi_scan_is_read_without_pillows_english_bomb_warning(
    db: store.Database, tmp_path: Path
) -> None:
    """A4 at 1200 dpi is 139 million pixels, over Pillow's warning limit (89 million): a real scan, not an attack;
    the warning ('could be decompression bomb DOS attack') went to the secretary's terminal."""
    page = Image.new("L", (9500, 9500), 255)
    page.paste(_page("BD1/DUES-LEDGER/2026-03/1/1").resize((3720, 5262)), (2000, 2000))
    path = tmp_path / "高清 扫描.png"
    page.save(path)
    del page
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plan = scans.plan(db, [path])
        filed = scans.apply(db, plan).filed
    assert [w.category.__name__ for w in caught] == []
    assert len(filed) == 1 and filed[0].owner_id == "dues-ledger/2026-03"
