"""Benchmarks of the meetings part (prints figures; not a test).

- sign-in sheet PDF for 300 names (target < 0.2 s): the data read, then the QPainter layout to PDF;
- compliance view over 5 years of meetings (target < 100 ms per call), and the reminders.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_meetings.py`` (or ``bash scripts/dev.sh bench``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db import branch, meetings, members, store
from db.rules import make_citizen_id

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红梅鹏飞海波斌宇浩"


def build(db: store.Database, n: int) -> None:
    branch.save_branch(db, name="综采一队党支部")
    groups = [branch.save_party_group(db, name=f"第{i + 1}党小组").uuid for i in range(6)]
    with db.atomic():
        for i in range(n):
            full = i % 8 != 0
            members.add_member(
                db,
                values={
                    "name": SURNAMES[i % len(SURNAMES)]
                    + GIVEN[(i * 7) % len(GIVEN)]
                    + GIVEN[(i // 7) % len(GIVEN)],
                    "citizen_id": make_citizen_id(
                        "140202", date(1960 + i % 30, 1 + i % 12, 1 + i % 28), i % 1000
                    ),
                    "category": "full" if full else "probationary",
                    "joined_on": date(2010, 1, 1) if full else date(2019, 6, 1),
                    "full_on": date(2011, 1, 1) if full else None,
                    "party_group": groups[i % len(groups)],
                },
            )


def timed(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])  # noqa: F841
    from desktop.printing.signin import write_pdf

    tmp = Path(tempfile.mkdtemp(prefix="bench_meetings_"))
    db = store.open(tmp / "bench.sqlite")
    t = time.perf_counter()
    build(db, 300)
    print(f"roster of 300 built in {time.perf_counter() - t:.1f} s")
    m = meetings.plan_meeting(
        db, kind="branch_assembly", planned_on=date(2024, 3, 10), topic="学习", place="会议室"
    )
    write_pdf(meetings.signin_sheet(db, meeting_uuid=m.uuid), tmp / "warm.pdf")  # fonts loaded once
    sheet = meetings.signin_sheet(db, meeting_uuid=m.uuid)
    read = timed(lambda: meetings.signin_sheet(db, meeting_uuid=m.uuid))
    pdf = timed(lambda: write_pdf(sheet, tmp / "signin.pdf"))
    pages = write_pdf(sheet, tmp / "signin.pdf")
    print(
        f"sign-in sheet, 300 names, {pages} pages: data {read * 1000:.1f} ms + PDF {pdf * 1000:.1f} ms "
        f"= {(read + pdf) * 1000:.1f} ms (target < 200 ms)"
    )

    # five years of meetings at the glossary frequencies (held, attendance left expected to keep the build short)
    t = time.perf_counter()
    groups = branch.list_party_groups(db)
    count = 0
    with db.atomic():
        day = date(2020, 1, 1)
        while day < date(2025, 1, 1):
            plans = [
                ("committee_meeting", day.replace(day=5), None),
                ("theme_day", day.replace(day=15), None),
            ]
            plans += [("group_meeting", day.replace(day=20), g.uuid) for g in groups]
            if day.month % 3 == 2:
                plans += [
                    ("branch_assembly", day.replace(day=22), None),
                    ("party_lecture", day.replace(day=25), None),
                ]
            if day.month == 12:
                plans += [
                    ("life_meeting", day.replace(day=26), None),
                    ("appraisal", day.replace(day=28), None),
                ]
            for kind, on, group in plans:
                p = meetings.plan_meeting(
                    db, kind=kind, planned_on=on, topic="议题", party_group_uuid=group, expected=[]
                )
                meetings.hold_meeting(
                    db,
                    uuid=p.uuid,
                    started_at=datetime.combine(on, datetime.min.time()),
                    today=date(2025, 1, 1),
                )
                count += 1
            day = (day + timedelta(days=32)).replace(day=1)
    print(f"{count} meetings over 5 years built in {time.perf_counter() - t:.1f} s")
    for period, number in (("year", 1), ("quarter", 4), ("month", 12)):
        c = timed(
            lambda p=period, n=number: meetings.compliance(
                db, period=p, year=2024, number=n, today=date(2024, 12, 31)
            ),
            repeat=9,
        )
        print(f"compliance {period:7s} 2024: {c * 1000:.1f} ms (target < 100 ms)")
    r = timed(lambda: meetings.meeting_reminders(db, today=date(2024, 12, 20)), repeat=9)
    print(f"reminders: {r * 1000:.1f} ms")
    store.close(db)


if __name__ == "__main__":
    main()
