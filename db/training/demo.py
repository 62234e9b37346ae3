"""The training-hours step of the demo branch: external training in the last two years (the committee at the
company 党校's rotation, most members at an online course); a few members get none, so the fourth-quarter reminder
and the 学时 column have something to show. Credit from attendance comes from the demo meetings by itself."""

from __future__ import annotations

from datetime import date
from random import Random

from db.rows import query
from db.store import Database
from db.training import service

_COURSES = (
    ("党的二十大精神网上专题培训", "集团公司党员教育平台"),
    ("煤矿安全生产法律法规专题学习", "集团公司党委组织部"),
    ("“学习强国”专题学习", "学习强国"),
)


def demo_training(db: Database, *, rng: Random, today: date) -> None:
    """Entries for each active member in the year before ``today`` and in ``today``'s year (up to today)."""
    members = query(db, "SELECT uuid, joined_on FROM members WHERE status = 'active' ORDER BY id")
    for year in (today.year - 1, today.year):
        committee = service.committee_uuids(db, year=year)
        rotation = min(date(year, 4, 20), today)
        for m in members:
            joined = date.fromisoformat(m["joined_on"]) if m["joined_on"] else None
            if m["uuid"] in committee and (joined is None or joined <= rotation):
                service.add_training(
                    db,
                    member_uuid=m["uuid"],
                    on=rotation,
                    hours=24,
                    title="基层党组织书记和支部委员集中轮训",
                    source="集团公司党校",
                    today=today,
                    origin="demo",
                )
            if rng.random() < 0.75:
                title, source = rng.choice(_COURSES)
                on = min(date(year, rng.randint(3, 9), rng.randint(1, 28)), today)
                if joined is None or joined <= on:
                    service.add_training(
                        db,
                        member_uuid=m["uuid"],
                        on=on,
                        hours=float(rng.choice((4, 6, 8, 12))),
                        title=title,
                        source=source,
                        today=today,
                        origin="demo",
                    )
