"""Benchmark of attachments (issue 21): a branch's year of scans, about 500 pages (prints figures, asserts nothing).

Each "scan" is an A4 page at 300 dpi (2480 x 3508, greyscale text-like noise) saved as a JPEG of quality 92, as a
scanner writes it; each is different, so nothing is de-duplicated. Printed: the size of the input, of the store
after reduction, of the database, of one automatic backup and of a copy on a USB stick (the files once, not per
backup copy), and the time per import, beside an anchor measured in the same run (plain file copy of the input).

Run: ``.venv/bin/python bench/bench_attachments.py [N]`` (default 500).
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw

from db import attachments, backups, meetings, store

N = int(sys.argv[1]) if len(sys.argv) > 1 else 500


def _scan(i: int) -> bytes:
    im = Image.new("L", (2480, 3508), 250)
    draw = ImageDraw.Draw(im)
    for row in range(60):  # lines of "handwriting": short dark strokes
        y = 200 + row * 52
        for x in range(150, 2300, 37):
            if (x * 7 + row * 13 + i) % 5:
                draw.line((x, y, x + 25, y + (x + i) % 17), fill=30, width=3)
    noise = Image.effect_noise((620, 877), 12).resize(im.size)
    im = Image.blend(im, noise, 0.08)
    out = io.BytesIO()
    im.save(out, "JPEG", quality=92)
    return out.getvalue()


def _size(path: Path) -> int:
    return (
        sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        if path.is_dir()
        else path.stat().st_size
    )


def mb(n: int) -> str:
    return f"{n / 1e6:8.1f} MB"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inputs = root / "in"
        inputs.mkdir()
        start = time.perf_counter()
        for i in range(N):
            (inputs / f"scan{i:04d}.jpg").write_bytes(_scan(i))
        print(f"made {N} scans                                  {time.perf_counter() - start:8.1f} s")
        start = time.perf_counter()
        shutil.copytree(inputs, root / "copy")
        anchor = time.perf_counter() - start
        db = store.open(root / "data" / "bench.sqlite")
        m = meetings.plan_meeting(db, kind="branch_assembly", planned_on=date(2026, 10, 15), topic="bench")
        start = time.perf_counter()
        for p in sorted(inputs.iterdir()):
            attachments.add_file(db, owner_kind="meeting", owner_id=m.uuid, path=p)
        took = time.perf_counter() - start
        store_dir = attachments.service.store_of(db).folder
        backup = store.backup_before(db, "manual")
        stick = root / "stick"
        on_stick = backups.backup_to(db, folder=stick)
        second = backups.backup_to(db, folder=stick)
        start = time.perf_counter()
        damaged = attachments.verify_attachments(db)
        verify = time.perf_counter() - start
        print(f"input ({N} scans at 300 dpi)                 {mb(_size(inputs))}")
        print(f"store after reduction (encrypted)            {mb(_size(store_dir))}")
        print(f"database file                                {mb(_size(db.path))}")
        print(f"one automatic backup                         {mb(_size(backup))}")
        print(f"USB stick: two backups + their files         {mb(_size(stick))}")
        print(f"  of which the backups themselves            {mb(_size(on_stick) + _size(second))}")
        print(f"import, per scan                             {took / N * 1000:8.1f} ms")
        print(f"anchor: plain copy of the input, per scan    {anchor / N * 1000:8.1f} ms")
        print(
            f"check (decrypt + SHA-256 of all), per scan   {verify / N * 1000:8.1f} ms  ({len(damaged)} damaged)"
        )
        store.close(db)


if __name__ == "__main__":
    main()
