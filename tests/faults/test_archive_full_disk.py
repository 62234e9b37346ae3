"""立卷 again for a year already archived, on a disk that fills up half-way (a real tmpfs): the archive made before
stays whole and still verifies against its manifest, and nothing half-made is left in the folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from db import store
from desktop.archive import manifest, volumes
from tests.faults._helpers import fill_disk, read_only_bind, tmpfs


def test_a_rerun_that_fills_the_disk_leaves_the_earlier_archive_whole(
    db: store.Database,
    tmp_path: Path,
    qapp,  # type: ignore[no-untyped-def]
) -> None:
    with tmpfs(tmp_path / "stick", "8m") as stick:
        out = stick / "档案 2025"
        volumes.make_year(db, year=2025, out=out, today=date(2026, 1, 10))
        before = {p.name: p.read_bytes() for p in out.iterdir()}
        # room for a volume or two of the new run, not for all of them
        filler = fill_disk(stick, spare=200_000)

        try:
            volumes.make_year(db, year=2025, out=out, today=date(2026, 1, 11))  # another day: other bytes
        except OSError:
            pass
        else:
            raise AssertionError("the disk did not fill up: the test proves nothing")

        assert manifest.verify(out) == []
        # nothing replaced, nothing left over
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before
        filler.unlink()
        again = volumes.make_year(db, year=2025, out=out, today=date(2026, 1, 11))
        assert manifest.verify(out) == []
        assert manifest.read_manifest(out)["made_on"] == "2026-01-11"
        assert sorted(p.name for p in out.iterdir()) == sorted(before)
        assert again.folder == out


def test_a_rerun_on_a_write_protected_stick_names_the_archive_folder(
    db: store.Database,
    tmp_path: Path,
    qapp,  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "U盘" / "档案 2025"
    volumes.make_year(db, year=2025, out=out, today=date(2026, 1, 10))
    with read_only_bind(tmp_path / "U盘"):
        with pytest.raises(OSError) as caught:
            volumes.make_year(db, year=2025, out=out, today=date(2026, 1, 11))
        assert caught.value.filename == str(out)  # the folder the secretary chose, not a hidden working name
        assert manifest.verify(out) == []
