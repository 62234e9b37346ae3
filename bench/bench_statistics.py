"""Benchmark of the yearly statistics (issue 19): the report of a 20,000-member roster with five years of history
(prints figures, asserts nothing).

The roster is written straight into a migrated database (bench data, not the program's writes): 20,000 members
joined over forty years, and in each of the last five years about 400 admissions, 300 transfers in (系统内/外),
250 letters out with their receipt, 150 deaths, 40 出党 of each form and 60 停止党籍, plus 800 development people.
Five years of party dues as a branch keeps them (``build_dues``): every member's basis fixed each January (some
changed in July), monthly payments for every month owed; about 8% pay by quarter with the branch's consent, 3% have
an approved reduction and 1% an exemption, 6% pay some months late, 2% leave recent months unpaid, a few pay extra
once, and some pay on the last day of the month.
Printed: the time of ``yearly_report`` for the last year beside an anchor measured in the same run, reading the
roster once (``db.members.list_members``: every member built from its row), each the median of three runs; the target
is within 3× the anchor.

Run: ``.venv/bin/python bench/bench_statistics.py [MEMBERS]`` (default 20000).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid as uuidlib
from datetime import date, timedelta
from pathlib import Path
from statistics import median as statistics_median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from db import members, statistics, store
from db.dues.ledger import arrivals, owed_span
from db.dues.records import month_index, month_of_index
from db.rules import add_years, monthly_dues_fen, parse_date

N = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
RUNS = 3
YEAR = 2025
NOW = "2025-01-01T00:00:00"


def _uid(rng: random.Random) -> str:
    return str(uuidlib.UUID(int=rng.getrandbits(128), version=4))


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


def build(db: store.Database) -> None:
    rng = random.Random(19)
    member_rows = []
    for i in range(N):
        birth = _day(rng, date(1945, 1, 1), date(2001, 12, 31))
        joined = _day(rng, max(add_years(birth, 18), date(1975, 1, 1)), date(YEAR, 12, 1))
        full = add_years(joined, 1) if add_years(joined, 1) <= date(YEAR, 12, 31) else None
        member_rows.append(
            (
                i + 1,
                _uid(rng),
                f"党员{i:05d}",
                rng.choice(("male", "female")),
                rng.choice(("汉族", "汉族", "汉族", "回族")),
                birth.isoformat(),
                "full" if full else "probationary",
                joined.isoformat(),
                full.isoformat() if full else None,
                rng.choice(("014", "015", "016", "016", "4", "")),
                rng.choice(("bachelor", "junior_college", "high_school", "")),
                NOW,
                NOW,
            )
        )
    db.conn.executemany(
        "INSERT INTO members (id, uuid, name, gender, ethnicity, birth_date, category, joined_on, full_on, post_code,"
        " education_class, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        member_rows,
    )
    ids = list(range(1, N + 1))
    rng.shuffle(ids)
    pool = iter(ids)
    transfers, events = [], []
    for year in range(YEAR - 4, YEAR + 1):
        start, end = date(year, 1, 1), date(year, 12, 31)
        for _ in range(300):  # arrivals: the member's record begins with the letter
            mid = next(pool)
            on = _day(rng, start, end)
            # the letter brings a member who joined the Party elsewhere before arriving
            joined = min(date.fromisoformat(member_rows[mid - 1][7]), on - timedelta(days=800))
            db.execute(
                "UPDATE members SET joined_on = ?, full_on = ?, category = 'full' WHERE id = ?",
                [joined.isoformat(), add_years(joined, 1).isoformat(), mid],
            )
            transfers.append(
                (
                    _uid(rng),
                    "in",
                    f"{year}-in",
                    None,
                    None,
                    mid,
                    on.isoformat(),
                    None,
                    rng.choice(("within", "outside")),
                )
            )
        for n in range(250):  # letters out, each with its receipt: the member leaves the roster
            mid = next(pool)
            on = _day(rng, start, end - timedelta(days=20))
            receipt = on + timedelta(days=10)
            transfers.append(
                (
                    _uid(rng),
                    "out",
                    f"{year}-{n + 1:03d}",
                    year,
                    n + 1,
                    mid,
                    on.isoformat(),
                    receipt.isoformat(),
                    "",
                )
            )
            db.execute(
                "UPDATE members SET status = 'transferred_out', status_on = ?, status_reason = '转出' WHERE id = ?",
                [receipt.isoformat(), mid],
            )
        kinds = ["deceased"] * 150 + [
            "expulsion",
            "withdrawal",
            "persuaded",
            "removal_persuaded",
            "removal_lapsed",
        ] * 40
        for kind in kinds + ["suspended"] * 60:
            mid = next(pool)
            on = _day(rng, start, end)
            events.append((_uid(rng), mid, kind, on.isoformat(), "原因"))
            if kind == "suspended":  # as record_event leaves it: the 党籍状态 follows the event
                db.execute("UPDATE members SET standing = 'suspended' WHERE id = ?", [mid])
            else:
                db.execute(
                    "UPDATE members SET status = 'removed', status_on = ?, status_reason = ? WHERE id = ?",
                    [on.isoformat(), kind, mid],
                )
    db.conn.executemany(
        "INSERT INTO transfers (uuid, direction, serial, serial_year, serial_number, member_id, issued_on, receipt_on,"
        f" scope, validity_days, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 30, '{NOW}', '{NOW}')",
        transfers,
    )
    db.conn.executemany(
        f"INSERT INTO member_events (uuid, member_id, kind, happened_on, reason, created_at, updated_at)"
        f" VALUES (?, ?, ?, ?, ?, '{NOW}', '{NOW}')",
        events,
    )
    db.conn.executemany(
        "INSERT INTO development_people (uuid, name, birth_date, stage, created_at, updated_at)"
        f" VALUES (?, ?, ?, ?, '{NOW}', '{NOW}')",
        [
            (_uid(rng), f"申请人{i}", "1998-01-01", rng.choice(("applicant", "activist", "candidate")))
            for i in range(800)
        ],
    )
    db.conn.commit()


def _month_end(i: int) -> date:
    return month_of_index(i + 1) - timedelta(days=1)


def build_dues(db: store.Database) -> int:
    """Five years of dues (bases, quarterly settings, payments) for every member who owed in them; returns the
    number of payment rows."""
    rng = random.Random(1919)
    first, last = month_index(date(YEAR - 4, 1, 1)), month_index(date(YEAR, 12, 1))
    arrived = arrivals(db)
    bases, quarterly, payments = [], [], []
    for row in db.conn.execute("SELECT id, joined_on, status, status_on FROM members ORDER BY id").fetchall():
        mid, joined, status, status_on = row
        span = owed_span(parse_date(joined), arrived.get(mid), status, parse_date(status_on))
        if span is None:
            continue
        lo, hi = max(first, span[0]), min(last, last if span[1] is None else span[1])
        if lo > hi:
            continue
        kind = rng.choices(
            ("monthly", "quarterly", "reduced", "exempt", "late", "unpaid"), (80, 8, 3, 1, 6, 2)
        )[0]
        retired = rng.random() < 0.25
        category = "retired" if retired else "employed"
        due_of: dict[int, int] = {}
        for year in range(month_of_index(lo).year, month_of_index(hi).year + 1):
            starts = [max(lo, month_index(date(year, 1, 1)))]
            if rng.random() < 0.05 and month_index(date(year, 7, 1)) > starts[0]:
                starts.append(month_index(date(year, 7, 1)))  # income changed mid-year (按月调整)
            for s in starts:
                base = rng.randrange(3000, 15001) * 100
                computed = monthly_dues_fen(category, base)
                reduced = computed // 2 if kind == "reduced" else 0 if kind == "exempt" else None
                decided = month_of_index(s).isoformat() if reduced is not None else None
                bases.append(
                    (
                        _uid(rng),
                        mid,
                        f"{month_of_index(s):%Y-%m}",
                        category,
                        base,
                        computed,
                        reduced,
                        decided,
                        decided,
                    )
                )
                for i in range(s, hi + 1):
                    due_of[i] = computed if reduced is None else reduced
        if kind == "quarterly":
            quarterly.append((_uid(rng), mid, f"{month_of_index(lo):%Y-%m}", month_of_index(lo).isoformat()))
        for i in range(lo, hi + 1):
            due = due_of[i]
            if due == 0:
                continue  # exempt: nothing collected
            if kind == "unpaid" and i > last - rng.randrange(1, 6):
                continue
            month_end = _month_end(i)
            if kind == "quarterly":
                paid_on = _month_end(i + 2 - i % 3) - timedelta(days=rng.randrange(0, 10))
            elif kind == "late" and rng.random() < 0.2:
                paid_on = month_end + timedelta(days=rng.randrange(1, 40))
            elif rng.random() < 0.1:
                paid_on = month_end  # the last day still counts as on time
            else:
                paid_on = month_end - timedelta(days=rng.randrange(1, 25))
            paid = due + (rng.randrange(1, 50) * 10000 if rng.random() < 0.002 else 0)
            month = f"{month_of_index(i):%Y-%m}"
            payments.append((_uid(rng), mid, month, due, paid, paid_on.isoformat()))
    db.conn.executemany(
        "INSERT INTO dues_bases (uuid, member_id, from_month, category, base_fen, computed_fen, reduced_fen,"
        f" decision_on, approved_on, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{NOW}', '{NOW}')",
        bases,
    )
    db.conn.executemany(
        "INSERT INTO dues_quarterly (uuid, member_id, from_month, consent_on, consent_note, created_at, updated_at)"
        f" VALUES (?, ?, ?, ?, '支部委员会同意按季度交纳', '{NOW}', '{NOW}')",
        quarterly,
    )
    db.conn.executemany(
        "INSERT INTO dues_payments (uuid, member_id, month, due_fen, paid_fen, paid_on, created_at, updated_at)"
        f" VALUES (?, ?, ?, ?, ?, ?, '{NOW}', '{NOW}')",
        payments,
    )
    db.conn.commit()
    return len(payments)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = store.open(Path(tmp) / "bench.sqlite")
        t = time.perf_counter()
        build(db)
        print(f"roster built: {N} members, five years of history ({time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        paid = build_dues(db)
        print(f"dues built: {paid} monthly payments over five years ({time.perf_counter() - t:.1f} s)")
        anchors, tooks = [], []
        for _ in range(RUNS):  # alternated, so that a busy moment of the machine touches both alike
            t = time.perf_counter()
            roster = members.list_members(db, status=None)
            anchors.append(time.perf_counter() - t)
            t = time.perf_counter()
            report = statistics.yearly_report(db, year=YEAR)
            tooks.append(time.perf_counter() - t)
        anchor, took = statistics_median(anchors), statistics_median(tooks)
        b = report.balance
        print(
            f"median of {RUNS} runs each; anchor: read the roster once ({len(roster)} members)   {anchor * 1000:8.0f} ms"
        )
        print(
            f"yearly_report({YEAR}), 14 tables                     {took * 1000:8.0f} ms  ({took / anchor:.1f}× the anchor)"
        )
        print(
            f"balance: 上年底 {b.previous} + 增加 {b.added} − 减少 {b.removed} = 应有 {b.expected}; 实有 {b.actual}; "
            f"差异人员 {len(b.people)}"
        )
        t = time.perf_counter()
        statistics.write_report(report, Path(tmp) / "report.xlsx", branch="基准支部")
        print(f"workbook written                                  {(time.perf_counter() - t) * 1000:8.0f} ms")
        store.close(db)


if __name__ == "__main__":
    main()
