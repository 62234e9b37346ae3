"""Compliance of organisational life: required vs held meetings per kind, heart-talk coverage, reminders.

Frequencies come from the GLOSSARY (Meetings) with the branch settings ``party_lecture_frequency`` (``month`` /
``quarter`` / ``half_year`` / ``year``, default ``quarter``) and ``theme_day_of_month`` (default 15). Only meetings
with status ``held`` count, on the date they were held. A frequency window counts once it has started (with
``today``); a window still running without a meeting is *due*, not missing.

Of the meetings package this module uses only ``records`` (the vocabulary and the records) and reads the tables
itself, so anything in the package may use it without an import cycle. ``db.compliance`` is its old name and
re-exports it; the module is not called ``compliance`` because ``db.meetings.compliance`` is the function.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from db import rows
from db.branch import get_setting, list_committee, list_party_groups, records_start
from db.meetings.queries import attendance_of, attended_role_warnings, list_meetings
from db.meetings.records import (
    FREQUENCIES,
    FREQUENCY_NAMES,
    KINDS,
    PERIOD_NAMES,
    REVIEW_GRACE_MONTHS,
    YEARLY_REVIEW_KINDS,
    ComplianceRow,
    HeartTalkGap,
    Reminder,
    Window,
    default_review_year,
    meeting_title,
    on_roster,
    review_title,
)
from db.members import list_members
from db.rules import CHARTER_ARTICLE_9, add_months, date_text, month_day_text
from db.store import Database

DEFAULT_THEME_DAY = 15
DEFAULT_LECTURE_FREQUENCY = "quarter"


# --- windows ----------------------------------------------------------------------------------------------

_MONTHS_PER = {"month": 1, "quarter": 3, "half_year": 6, "year": 12}


def _month_start(year: int, month_index: int) -> date:
    """First day of the month ``month_index`` (0-based, may overflow into later years)."""
    return date(year + month_index // 12, month_index % 12 + 1, 1)


def window_of(frequency: str, d: date) -> tuple[date, date]:
    """The window of ``frequency`` containing ``d``: (first day, last day)."""
    size = _MONTHS_PER[frequency]
    start_index = (d.month - 1) // size * size
    first = date(d.year, start_index + 1, 1)
    last = _month_start(d.year, start_index + size) - timedelta(days=1)
    return first, last


def window_label(frequency: str, first: date) -> str:
    if frequency == "month":
        return f"{first.year}年{first.month}月"
    if frequency == "quarter":
        return f"{first.year}年第{(first.month - 1) // 3 + 1}季度"
    if frequency == "half_year":
        return f"{first.year}年{'上' if first.month <= 6 else '下'}半年"
    return f"{first.year}年"


def period_range(period: str, year: int, number: int = 1) -> tuple[date, date]:
    """First and last day of a compliance period: ``month`` 1–12, ``quarter`` 1–4, ``half_year`` 1–2, ``year``."""
    if period not in _MONTHS_PER:
        raise ValueError(f"unknown period {period!r}")
    size = _MONTHS_PER[period]
    if period == "year":
        number = 1
    if not 1 <= number <= 12 // size:
        raise ValueError(f"{period} number out of range: {number}")
    return window_of(period, date(year, (number - 1) * size + 1, 1))


def _windows(frequency: str, first: date, last: date) -> list[tuple[date, date]]:
    """Windows of ``frequency`` covering [first, last]; a coarser frequency gives the window enclosing the period."""
    out = []
    d = first
    while d <= last:
        w = window_of(frequency, d)
        out.append(w)
        d = w[1] + timedelta(days=1)
    return out


def lecture_frequency(db: Database) -> str:

    value = get_setting(db, key="party_lecture_frequency", default=DEFAULT_LECTURE_FREQUENCY)
    return value if value in _MONTHS_PER else DEFAULT_LECTURE_FREQUENCY


def theme_day_of_month(db: Database) -> int:

    value = get_setting(db, key="theme_day_of_month", default=DEFAULT_THEME_DAY)
    try:
        return min(max(int(value), 1), 28)
    except (TypeError, ValueError):
        return DEFAULT_THEME_DAY


def frequencies(db: Database) -> dict[str, str]:
    """The frequency of each kind for this branch (settings applied)."""
    return {**FREQUENCIES, "party_lecture": lecture_frequency(db)}


# --- compliance -------------------------------------------------------------------------------------------


def _held_dates(db: Database, first: date, last: date) -> list[tuple[str, str | None, date]]:
    """Held meetings counted between ``first`` and ``last``, each with the date it counts on: the day held, or for a
    yearly review (组织生活会, 民主评议党员) the last day of the 年度 it reviews, whenever it was held."""
    held = rows.query(
        db,
        """
        SELECT m.kind, g.uuid AS party_group_uuid, m.review_year,
               substr(COALESCE(m.started_at, m.planned_on), 1, 10) AS d
        FROM meetings m LEFT JOIN party_groups g ON g.id = m.party_group_id
        WHERE m.status = 'held' AND d BETWEEN ? AND ?
        """,
        [first.isoformat(), date(last.year + 1, 12, 31).isoformat()],
    )
    out = []
    for h in held:
        d = date.fromisoformat(h["d"])
        if h["kind"] in YEARLY_REVIEW_KINDS:
            d = date(h["review_year"] or default_review_year(d), 12, 31)
        if first <= d <= last:
            out.append((h["kind"], h["party_group_uuid"], d))
    return out


def _held_counts(
    db: Database, freq: Mapping[str, str], first: date, last: date
) -> Counter[tuple[str, str | None, date]]:
    """How many meetings of each kind were held (as ``_held_dates`` counts them) in each window of its frequency
    in ``freq``, by ``(kind, party group uuid for group meetings else None, first day of the window)``."""
    counts: Counter[tuple[str, str | None, date]] = Counter()
    for kind, group, d in _held_dates(db, first, last):
        counts[(kind, group if kind == "group_meeting" else None, window_of(freq[kind], d)[0])] += 1
    return counts


def _counts_until(kind: str, w_last: date) -> date:
    """The last day a meeting may still be held for a window: a yearly review until the end of March next year."""
    if kind in YEARLY_REVIEW_KINDS:
        return date(w_last.year + 1, REVIEW_GRACE_MONTHS + 1, 1) - timedelta(days=1)
    return w_last


def _before_records(start: date | None, w_first: date) -> bool:
    """Is the window (partly) before the day the branch started keeping its records here? No reminder for it."""
    return start is not None and w_first < start


def compliance(
    db: Database,
    *,
    period: str,
    year: int,
    number: int = 1,
    today: date | None = None,
    heart_talks: bool = True,
) -> list[ComplianceRow]:
    """Required vs held for every kind over a period (``period`` month/quarter/half_year/year, ``number`` its
    index in the year), one row per party group for group meetings, and (unless ``heart_talks=False``, for
    callers that count meetings only) a ``heart_talk`` row for the year's heart-talk coverage, which checks every
    pair of people and is the costly part. Without ``today`` every window of the period counts as ended.
    Kinds whose window is coarser than the period are judged on the enclosing window (a month view shows
    whether the quarter has had its branch assembly)."""
    first, last = period_range(period, year, number)
    freq = frequencies(db)
    spans = {k: _windows(f, first, last) for k, f in freq.items()}
    lo = min(w[0][0] for w in spans.values())
    hi = max(w[-1][1] for w in spans.values())
    counts = _held_counts(db, freq, lo, hi)
    groups = list_party_groups(db)
    start = records_start(db)
    result: list[ComplianceRow] = []
    for kind, frequency in freq.items():
        targets: list[tuple[str | None, str]] = (
            [(g.uuid, g.name) for g in groups] if kind == "group_meeting" else [(None, "")]
        )
        for group_uuid, group_name in targets:
            windows: list[Window] = []
            missing: list[str] = []
            due: list[str] = []
            for w_first, w_last in spans[kind]:
                if (today is not None and w_first > today) or _before_records(start, w_first):
                    continue
                n = counts[(kind, group_uuid, w_first)]
                label = window_label(frequency, w_first)
                windows.append(Window(label, w_first, w_last, n))
                if n == 0:
                    (due if today is not None and _counts_until(kind, w_last) >= today else missing).append(
                        label
                    )
            result.append(
                ComplianceRow(
                    kind=kind,
                    kind_name=KINDS[kind],
                    party_group_uuid=group_uuid,
                    party_group_name=group_name,
                    frequency=frequency,
                    frequency_name=FREQUENCY_NAMES[frequency],
                    required=len(windows),
                    satisfied=sum(1 for w in windows if w.held),
                    held=sum(w.held for w in windows),
                    missing=tuple(missing),
                    due=tuple(due),
                    windows=tuple(windows),
                )
            )
    if heart_talks:
        result.append(_heart_talk_row(db, year=year, today=today))
    return result


def _heart_talk_row(db: Database, *, year: int, today: date | None) -> ComplianceRow:
    gaps = heart_talk_coverage(db, year=year, today=today)
    required = _required_pairs(db, year=year, today=today)
    year_end = date(year, 12, 31)
    running = today is not None and today <= year_end
    labels = tuple(g.text for g in gaps)
    return ComplianceRow(
        kind="heart_talk",
        kind_name="谈心谈话",
        party_group_uuid=None,
        party_group_name="",
        frequency="year",
        frequency_name=FREQUENCY_NAMES["year"],
        required=required,
        satisfied=required - len(gaps),
        held=_talk_count(db, year),
        missing=() if running else labels,
        due=labels if running else (),
        windows=(),
    )


def _talk_count(db: Database, year: int) -> int:
    found = rows.query(
        db, "SELECT count(*) AS n FROM heart_talks WHERE substr(held_on, 1, 4) = ?", [str(year)]
    )
    return int(found[0]["n"])


def _coverage_inputs(
    db: Database, *, year: int, today: date | None
) -> tuple[list[Any], list[Any], set[frozenset[str]]]:

    on = min(date(year, 12, 31), today) if today is not None else date(year, 12, 31)
    committee = list_committee(db, on=on)
    members = [m for m in list_members(db, status=None) if on_roster(m, on) and m.standing == "normal"]
    talked: set[frozenset[str]] = set()
    people: dict[int, list[str]] = {}
    for p in rows.query(
        db,
        "SELECT p.heart_talk_id, m.uuid FROM heart_talk_participants p JOIN heart_talks t ON t.id = p.heart_talk_id "
        "JOIN members m ON m.id = p.member_id WHERE substr(t.held_on, 1, 4) = ?",
        [str(year)],
    ):
        people.setdefault(p["heart_talk_id"], []).append(p["uuid"])
    for group in people.values():
        for a, b in itertools.combinations(group, 2):
            talked.add(frozenset((a, b)))
    return committee, members, talked


def _required_pairs(db: Database, *, year: int, today: date | None) -> int:
    committee, members, _ = _coverage_inputs(db, year=year, today=today)
    c_uuids = {c.member_uuid for c in committee}
    n = len(c_uuids)
    return n * (n - 1) // 2 + (sum(1 for m in members if m.uuid not in c_uuids) if c_uuids else 0)


def heart_talk_coverage(db: Database, *, year: int, today: date | None = None) -> list[HeartTalkGap]:
    """Pairs that have not talked in ``year``: every two committee members (serving at the end of the year, or
    ``today``), and every member not on the committee who has not talked with at least one committee member."""
    committee, members, talked = _coverage_inputs(db, year=year, today=today)
    gaps = []
    c_list = list(dict.fromkeys((c.member_uuid, c.member_name) for c in committee))
    for (a, an), (b, bn) in itertools.combinations(c_list, 2):
        if frozenset((a, b)) not in talked:
            gaps.append(HeartTalkGap("committee_pair", a, an, b, bn))
    c_uuids = {u for u, _ in c_list}
    if c_uuids:
        for m in members:
            if m.uuid in c_uuids:
                continue
            if not any(frozenset((m.uuid, c)) in talked for c in c_uuids):
                gaps.append(HeartTalkGap("committee_member", m.uuid, m.name, None, ""))
    return gaps


# --- reminders --------------------------------------------------------------------------------------------

_HELD_ON = "substr(COALESCE(m.started_at, m.planned_on), 1, 10)"
# Planned meetings whose date has passed (up to the given day), in the order of ``queries.list_meetings``.
_UNRECORDED = f"""
    SELECT m.uuid, m.kind, m.planned_on, COALESCE(g.name, '') AS party_group_name
    FROM meetings m LEFT JOIN party_groups g ON g.id = m.party_group_id
    WHERE m.status = 'planned' AND {_HELD_ON} <= ?
    ORDER BY {_HELD_ON} DESC, m.kind, m.seq DESC
"""
# Held meetings with someone still only "expected": nobody recorded whether they came.
_ATTENDANCE_INCOMPLETE = f"""
    SELECT m.uuid, m.kind, {_HELD_ON} AS d, COALESCE(g.name, '') AS party_group_name
    FROM meetings m LEFT JOIN party_groups g ON g.id = m.party_group_id
    WHERE m.status = 'held' AND EXISTS (SELECT 1 FROM meeting_attendance a WHERE a.meeting_id = m.id
                                         AND a.state = 'expected')
"""


def meeting_reminders(db: Database, *, today: date) -> list[Reminder]:
    """What is due this month or overdue in organisational life, each with since when.

    - a kind (per party group for group meetings) whose previous window passed without a meeting (overdue);
    - a kind whose current window ends this month without a meeting yet (due; theme days name their day);
    - planned meetings whose date has passed without being recorded as held or cancelled;
    - held meetings whose attendance is still unrecorded (a record without who was on leave is incomplete);
    - from October, committee/member pairs that have not had a heart-to-heart talk this year.

    A yearly review (组织生活会, 民主评议党员) counts for its 年度; last year's is *due* until 31 March and overdue
    from 1 April. No reminder is raised for a window that began before the branch's ``records_start``.
    """
    freq = frequencies(db)
    month_last = window_of("month", today)[1]
    lo = min(window_of(f, window_of(f, today)[0] - timedelta(days=1))[0] for f in freq.values())
    hi = max(window_of(f, today)[1] for f in freq.values())  # a review of this 年度 counts on its 31 December
    counts = _held_counts(db, freq, lo, hi)
    groups = list_party_groups(db)
    theme_day = theme_day_of_month(db)
    start = records_start(db)
    out: list[Reminder] = []
    for kind, frequency in freq.items():
        targets = [(g.uuid, g.name) for g in groups] if kind == "group_meeting" else [(None, "")]
        cur_first, cur_last = window_of(frequency, today)
        prev_first, prev_last = window_of(frequency, cur_first - timedelta(days=1))
        for group_uuid, group_name in targets:
            what = f"{group_name}{KINDS[kind]}"
            filters: dict[str, Any] = {"kind": kind}
            if group_uuid:
                filters["party_group"] = group_uuid
            grace = _counts_until(kind, prev_last)
            if counts[(kind, group_uuid, prev_first)] == 0 and not _before_records(start, prev_first):
                title = f"{group_name}{review_title(kind, prev_first.year)}"
                if kind in YEARLY_REVIEW_KINDS and today <= grace:  # still possible in January–March
                    late = (
                        "meeting_due",
                        f"尚未召开{title}，{month_day_text(grace)}前应召开",
                        prev_last + timedelta(days=1),
                    )
                elif kind in YEARLY_REVIEW_KINDS:
                    late = ("meeting_overdue", f"未召开{title}", grace + timedelta(days=1))
                else:
                    label = window_label(frequency, prev_first)
                    late = ("meeting_overdue", f"{label}未召开{what}", prev_last + timedelta(days=1))
                out.append(Reminder(late[0], late[1], late[2], "meetings", filters))
            if (
                counts[(kind, group_uuid, cur_first)] == 0
                and cur_last <= month_last
                and not _before_records(start, cur_first)
            ):
                when = f"（每月 {theme_day} 日）" if kind == "theme_day" else ""
                span = "本月" if frequency == "month" else f"本{PERIOD_NAMES[frequency]}"
                out.append(
                    Reminder(
                        "meeting_due",
                        f"{span}尚未召开{what}{when}，{month_day_text(cur_last)}前应召开",
                        cur_first,
                        "meetings",
                        filters,
                    )
                )
    for m in rows.query(db, _UNRECORDED, [(today - timedelta(days=1)).isoformat()]):
        planned_on = date.fromisoformat(m["planned_on"][:10])
        out.append(
            Reminder(
                "meeting_unrecorded",
                f"{date_text(planned_on)}计划召开的{meeting_title(m['kind'], m['party_group_name'])}"
                "尚未登记召开情况（或取消）",
                planned_on,
                "meetings",
                {"meeting": m["uuid"]},
            )
        )
    for m in rows.query(db, _ATTENDANCE_INCOMPLETE):
        held_on = date.fromisoformat(m["d"])
        out.append(
            Reminder(
                "attendance_incomplete",
                f"{date_text(held_on)}的{m['party_group_name']}{KINDS[m['kind']]}尚未登记出席情况（谁请假、谁缺席）",
                held_on,
                "meetings",
                {"meeting": m["uuid"]},
            )
        )
    if today.month >= 10 and not _before_records(start, date(today.year, 1, 1)):
        gaps = heart_talk_coverage(db, year=today.year, today=today)
        if gaps:
            out.append(
                Reminder(
                    "heart_talk",
                    f"今年尚有 {len(gaps)} 对谈心谈话未开展（{gaps[0].text}等）",
                    date(today.year, 1, 1),
                    "meetings",
                    {"tab": "heart_talks"},
                )
            )
    out += absence_reminders(db, today=today, start=start)
    out += record_warnings(db, today=today)
    return sorted(out, key=lambda r: (r.since, r.text))


ROLE_WARNING_DAYS = 365


def record_warnings(db: Database, *, today: date) -> list[Reminder]:
    """Warnings about what was recorded (issue 14), for the last 12 months and this and last 年度:

    - ``meeting_role_absent``: a held meeting whose 主持人, 记录人 or 授课人 is marked 缺席 or 请假 (``role_warnings``).

    (More than ⅓ 优秀 in a 年度 is the appraisal part's reminder, read from its round.)"""
    out: list[Reminder] = []
    held = list_meetings(db, status="held", since=today - timedelta(days=ROLE_WARNING_DAYS), until=today)
    attendance = attendance_of(db, [m.uuid for m in held])
    for m in held:
        for p in attended_role_warnings(m, attendance[m.uuid]):
            out.append(
                Reminder(
                    "meeting_role_absent",
                    f"{date_text(m.held_on)}的{m.title}：{p.message}",
                    m.held_on,
                    "meetings",
                    {"meeting": m.uuid},
                )
            )
    return out


ABSENCE_MONTHS = 6


def absence_reminders(db: Database, *, today: date, start: date | None = None) -> list[Reminder]:
    """``absence_six_months``: a member on the roster (not 失联, not 停止党籍) marked 缺席 at every meeting held since
    they last attended or last had leave (请假, a recorded reason), for six months or more (党章第九条: 没有正当理由，
    连续六个月). A 请假 is the reason for its own meeting: the six months count again from it, as from an attendance.
    Counted from that meeting, or the first one missed, and not before the records start ``start``. A 流动党员 takes
    part in organisational life where they went (the 《流动党员活动证》 rule): no reminder while away, and the six
    months of a member back count from the day the 外出 period ended. Likewise a member who was not this branch's
    to expect at its meetings for a while counts from the day they are back: transferred in (again), reinstated
    after 停止党籍, or found after 失联 (``_back_days``). Only meetings held by ``today`` are read. A meeting held since
    whose attendance is not recorded yet (应到 only) does not show the member missed it: no reminder until it is
    recorded (``attendance_incomplete`` asks for it)."""
    last_present: dict[str, date] = {}
    missed: dict[str, list[tuple[date, str]]] = {}
    unrecorded: dict[str, list[date]] = {}  # held meetings whose attendance is not recorded yet (应到 only)
    names: dict[str, str] = {}
    for r in rows.query(db, _ATTENDANCE_HISTORY, [today.isoformat()]):
        d = date.fromisoformat(r["d"])
        names[r["uuid"]] = r["name"]
        if r["state"] in ("present", "leave"):
            last_present[r["uuid"]] = d
            missed.pop(r["uuid"], None)
        elif r["state"] == "absent":
            missed.setdefault(r["uuid"], []).append((d, r["state"]))
        elif r["state"] == "expected":
            unrecorded.setdefault(r["uuid"], []).append(d)
    away = _away_periods(db, today)
    back = _back_days(db, today)
    out = []
    for uuid, misses in missed.items():
        since = max([last_present.get(uuid, misses[0][0]), *([start] if start else []), *back.get(uuid, [])])
        for _first, last in away.get(uuid, []):
            if last is None or last > today:  # away now: their organisational life is where they went
                since = today + timedelta(days=1)
            elif last >= since:  # back from an outflow: the six months start again on the return
                since = last
        count = sum(1 for d, _ in misses if d >= since)
        due = add_months(since, ABSENCE_MONTHS)
        # a meeting since whose attendance is not recorded: not shown absent, the record is asked for
        unknown = any(d >= since for d in unrecorded.get(uuid, []))
        if due <= today and count and not unknown:
            out.append(
                Reminder(
                    "absence_six_months",
                    f"{names[uuid]} 自 {since} 以来连续 {ABSENCE_MONTHS} 个月以上未参加组织生活（缺席 {count} 次），"
                    f"且未记录请假原因。{CHARTER_ARTICLE_9}。请先了解原因，有正当理由的补记请假",
                    due,
                    "members",
                    {"member": uuid},
                )
            )
    return out


def _away_periods(db: Database, today: date) -> dict[str, list[tuple[date, date | None]]]:
    """member uuid → the (first day, last day or None while away) of each 外出 period (流动党员) begun by ``today``."""
    out: dict[str, list[tuple[date, date | None]]] = {}
    for r in rows.query(
        db,
        "SELECT m.uuid AS uuid, p.started_on AS started_on, p.ended_on AS ended_on FROM mobile_periods p "
        "JOIN members m ON m.id = p.member_id WHERE p.started_on <= ? ORDER BY p.started_on, p.id",
        [today.isoformat()],
    ):
        ended = date.fromisoformat(r["ended_on"]) if r["ended_on"] else None
        out.setdefault(r["uuid"], []).append((date.fromisoformat(r["started_on"]), ended))
    return out


def _back_days(db: Database, today: date) -> dict[str, list[date]]:
    """member uuid → the days by ``today`` the member came (back) under this branch's care: a valid transfer in, a
    恢复党籍 after 停止党籍, contact restored after 失联. Meetings missed before such a day are no part of six months
    without organisational life after it (they were not expected here meanwhile)."""
    out: dict[str, list[date]] = {}
    for r in rows.query(
        db,
        "SELECT m.uuid AS uuid, t.issued_on AS d FROM transfers t JOIN members m ON m.id = t.member_id "
        "WHERE t.direction = 'in' AND t.status = 'valid' AND t.issued_on <= ? "
        "UNION ALL SELECT m.uuid, e.happened_on FROM member_events e JOIN members m ON m.id = e.member_id "
        "WHERE e.kind IN ('reinstated', 'contact_restored') AND e.happened_on <= ?",
        [today.isoformat(), today.isoformat()],
    ):
        out.setdefault(r["uuid"], []).append(date.fromisoformat(r["d"][:10]))
    return out


# Attendance of members still on the roster, not 失联 and not 停止党籍, at meetings held by the given day (a meeting
# dated after it is not yet organisational life attended or missed on that day), oldest first.
_ATTENDANCE_HISTORY = """
    SELECT mb.uuid AS uuid, mb.name AS name, a.state AS state,
           substr(COALESCE(mt.started_at, mt.planned_on), 1, 10) AS d
    FROM meeting_attendance a
    JOIN meetings mt ON mt.id = a.meeting_id
    JOIN members mb ON mb.id = a.member_id
    WHERE mt.status = 'held' AND mb.status = 'active' AND mb.lost_contact = 0 AND mb.standing = 'normal'
      AND d <= ?
    ORDER BY d, mt.id
"""
