"""Benchmark of the dues part: a 300-member branch with two years of dues (prints figures, asserts nothing).

Run: ``.venv/bin/python bench/bench_dues.py`` (or ``bash scripts/dev.sh bench``).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db import dues, store
from db.members import add_member

MEMBERS = 300
TODAY = date(2026, 11, 21)


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    print(f"{label:<46} {time.perf_counter() - start:8.3f} s")
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open(Path(tmp) / "bench.sqlite")
        rng = random.Random(1)

        def roster() -> None:
            with db.atomic():
                for i in range(MEMBERS):
                    add_member(
                        db,
                        values={
                            "name": f"矿工{i:03d}",
                            "category": "full",
                            "joined_on": date(2010, 1, 1),
                            "full_on": date(2011, 1, 1),
                        },
                    )

        timed(f"add {MEMBERS} members", roster)
        members = [m.uuid for m in __import__("db.members").members.list_members(db)]

        def bases() -> None:
            with db.atomic():
                for year in (2025, 2026):
                    for uuid in members:
                        dues.set_basis(
                            db,
                            member_uuid=uuid,
                            from_month=date(year, 1, 1),
                            category="employed",
                            base_fen=rng.randrange(400000, 1500000),
                        )

        timed(f"set {2 * MEMBERS} dues bases", bases)

        def collect() -> None:
            month = date(2025, 1, 1)
            while month < date(2026, 11, 1):
                paid_on = dues.default_paid_on(month, today=TODAY)
                dues.mark_all_paid(db, month=month, paid_on=paid_on, today=TODAY)
                month = dues.add_month(month, 1)

        timed("mark all paid, 22 months", collect)
        timed("month ledger (one month)", lambda: dues.month_ledger(db, month=date(2026, 10, 1)))
        timed("month totals", lambda: dues.month_totals(db, month=date(2026, 10, 1)))
        timed("arrears / reminders as of today", lambda: dues.dues_reminders(db, today=TODAY))
        timed("year report 2026", lambda: dues.year_report(db, year=2026, through=date(2026, 10, 1)))
        timed("publication list 2026", lambda: dues.publication_rows(db, year=2026))
        timed(
            "export dues workbook",
            lambda: dues.export_dues_workbook(db, path=Path(tmp) / "dues.xlsx", month=date(2026, 10, 1)),
        )
        store.close(db)


if __name__ == "__main__":
    main()
