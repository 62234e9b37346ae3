"""A plain synthetic roster for exchange tests and benchmarks (fast bulk insert, deterministic for a seed).

Not the demo branch (``db.demo``): only the branch profile, party groups and members, written with one
``executemany`` so a 50,000-member roster takes well under a second. Values satisfy ``validate_member``.
"""

from __future__ import annotations

import random
import uuid as uuidlib
from datetime import date, timedelta

from db.codes import education_class_of, post_code_of
from db.rules import make_citizen_id
from db.store import Database, now_iso

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌鹏飞宇浩然晨阳"


def fill_roster(
    db: Database,
    *,
    members: int,
    seed: int = 1,
    groups: int = 4,
    name: str = "综采一队党支部",
    code: str = "ZC01",
) -> None:
    """Create the branch (if missing), ``groups`` party groups and ``members`` active members."""
    rng = random.Random(seed)
    now = now_iso()
    with db.atomic():
        if db.execute("SELECT 1 FROM branch").fetchone() is None:
            db.execute(
                "INSERT INTO branch (id, uuid, name, code, parent_org, created_at, updated_at) "
                "VALUES (1, ?, ?, ?, '公司党委', ?, ?)",
                [str(uuidlib.UUID(int=rng.getrandbits(128))), name, code, now, now],
            )
        group_ids = []
        for g in range(groups):
            gname = f"第{g + 1}党小组"
            row = db.execute("SELECT id FROM party_groups WHERE name = ?", [gname]).fetchone()
            if row is None:
                cur = db.execute(
                    "INSERT INTO party_groups (uuid, name, sort_order, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                    [str(uuidlib.UUID(int=rng.getrandbits(128))), gname, g + 1, now, now],
                )
                group_ids.append(cur.lastrowid)
            else:
                group_ids.append(row[0])
        start = int(db.execute("SELECT count(*) FROM members").fetchone()[0])
        rows = []
        for i in range(start, start + members):
            birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 365 * 35))
            male = rng.random() < 0.85
            seq = (i % 500) * 2 + (1 if male else 0)
            cid = make_citizen_id(f"1401{(i // 500) % 100:02d}", birth, seq % 1000)
            joined = birth + timedelta(days=365 * 20 + rng.randrange(0, 3000))
            probationary = rng.random() < 0.1
            full_on = None if probationary else joined + timedelta(days=366)
            if joined > date(2025, 1, 1):
                joined, full_on = date(2024, 6, 1), (None if probationary else date(2025, 6, 2))
            nm = (
                rng.choice(_SURNAMES)
                + rng.choice(_GIVEN)
                + (rng.choice(_GIVEN) if rng.random() < 0.6 else "")
            )
            uid = str(uuidlib.UUID(int=rng.getrandbits(128)))
            education = rng.choice(("大学本科", "大学专科", "高中", "中等专科"))
            category = "probationary" if probationary else "full"
            job = rng.choice(("采煤工", "掘进工", "机电工", "通风工", "班组长"))
            rows.append(
                (
                    uid,
                    nm,
                    "male" if male else "female",
                    "汉族",
                    birth.isoformat(),
                    cid,
                    education,
                    education_class_of(education),  # coded as the migration codes a roster's free text
                    category,
                    joined.isoformat(),
                    full_on.isoformat() if full_on else None,
                    job,
                    post_code_of(job),
                    f"13{rng.randrange(0, 10**9):09d}",
                    "",
                    f"山西省大同市矿区{rng.randrange(1, 300)}号",
                    group_ids[i % len(group_ids)] if group_ids else None,
                    now,
                    now,
                )
            )
        db.conn.executemany(
            "INSERT INTO members (uuid, name, gender, ethnicity, birth_date, citizen_id, education, education_class, "
            "category, joined_on, full_on, job, post_code, mobile, landline, address, party_group_id, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
