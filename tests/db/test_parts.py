"""The typed registry of parts: every declared sheet has exactly one source, and the export writes each of them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from db import parts
from db.workbook.export import available_sheets
from db.workbook.format import data_sheets


def test_every_declared_sheet_has_exactly_one_source() -> None:
    owners = Counter(source.sheet.key for part in parts.PARTS for source in part.sheets)
    assert set(owners) == {sheet.key for sheet in data_sheets()}
    assert all(n == 1 for n in owners.values()), owners


def test_the_export_takes_every_sheet_in_the_declared_order() -> None:
    assert [sheet.key for sheet, _rows, _figures in available_sheets()] == [s.key for s in data_sheets()]


def test_every_part_runs_one_demo_step_in_the_seeded_order() -> None:
    with_demo = {p.key for p in parts.PARTS if p.demo is not None}
    assert {p.key for p in parts.DEMO_ORDER} == with_demo
    assert len(parts.DEMO_ORDER) == len(with_demo)


def test_the_registry_names_no_function_by_string() -> None:
    source = Path(parts.__file__).read_text(encoding="utf-8")
    assert "importlib" not in source and "getattr(" not in source
