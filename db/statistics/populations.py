"""The items each table counts, as attribute mappings the declarative filters of ``tables`` read.

Every item has ``uuid`` (the member or development person) and ``name``; the other attributes are those the
filters name: gender, minority, age (full years on the period's end), category, joined (ISO 入党日期),
post_code, education_class, tech_title, front_line (the coded member data of issue 19; '' / False until coded),
standing_years (党龄, full years from 转为正式党员), lost_contact, lost_months, lost_situation (失联情形), …
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from db import appraisal as appraisal_db
from db import dues as dues_db
from db import training as training_db
from db.branch import get_setting
from db.codes import PROVINCES, city_of, province_of
from db.rows import query
from db.rules import add_months, add_years, age_on, full_months
from db.statistics.changes import MEMBER_COLUMNS, Change
from db.store import Database

Item = dict[str, Any]
HAN = ("", "汉", "汉族")


def _d(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _years(start: date | None, end: date) -> int | None:
    return age_on(start, end) if start is not None and start <= end else None


# The columns of a member the tables and the changes read (``member_item``, ``probation``, ``all_changes``): not ``SELECT *``, whose other columns
# (address, phone, notes, …) cost a 20,000-member roster's report a third of its reading time for nothing.
_MEMBER_COLUMNS = ", ".join(
    dict.fromkeys(
        (
            *MEMBER_COLUMNS,  # and those of the changes (``all_changes`` reads these rows too)
            *("gender", "ethnicity", "birth_date", "category", "full_on", "post_code", "education_class"),
            *("tech_title", "front_line", "lost_contact_situation"),
        )
    )
)


def member_rows(db: Database) -> dict[str, dict[str, Any]]:
    """Every member's row by uuid in the order of their row ids, with the columns the tables read
    (``_MEMBER_COLUMNS``)."""
    return {r["uuid"]: r for r in query(db, f"SELECT {_MEMBER_COLUMNS} FROM members ORDER BY id")}


def lost_since(db: Database, end: date) -> dict[str, date]:
    """member uuid → the day contact was lost, for members out of contact at the end of ``end`` (the replay of
    the lost_contact / contact_restored events; a member flagged without events counts from lost_contact_on)."""
    state: dict[str, date | None] = {}
    for e in query(
        db,
        "SELECT m.uuid, e.kind, e.happened_on FROM member_events e JOIN members m ON m.id = e.member_id"
        " WHERE e.kind IN ('lost_contact', 'contact_restored') AND e.happened_on <= ? ORDER BY e.happened_on, e.id",
        [end.isoformat()],
    ):
        state[e["uuid"]] = _d(e["happened_on"]) if e["kind"] == "lost_contact" else None
    for m in query(db, "SELECT uuid, lost_contact_on FROM members WHERE lost_contact = 1"):
        since = _d(m["lost_contact_on"])
        if m["uuid"] not in state and since is not None and since <= end:
            state[m["uuid"]] = since
    return {u: d for u, d in state.items() if d is not None}


def member_item(row: Mapping[str, Any], end: date, lost: Mapping[str, date]) -> Item:
    birth = _d(row["birth_date"])
    joined = _d(row["joined_on"])
    full_on = _d(row["full_on"])
    if full_on is None and joined is not None and row["category"] == "full":
        full_on = add_years(
            joined, 1
        )  # a full member without the date: 党龄 from the end of a year's probation
    # probationary on the period's end: by 转为正式党员日期 when known, else as the roster says now
    probationary = full_on > end if full_on is not None else row["category"] == "probationary"
    since = lost.get(row["uuid"])
    months = full_months(since, end) if since is not None else None  # as the 6-month reminder counts them
    return {
        "uuid": row["uuid"],
        "name": row["name"],
        "gender": row["gender"],
        "minority": row["ethnicity"].strip() not in HAN,
        "age": _years(birth, end),
        "category": "probationary" if probationary else "full",
        "joined": joined.isoformat() if joined else "",
        "post_code": row.get("post_code") or "",
        "education_class": row.get("education_class") or "",
        "tech_title": row.get("tech_title") or "",
        "front_line": bool(row.get("front_line")),
        "standing_years": _years(full_on, end) if full_on and full_on <= end else (0 if joined else None),
        "lost_contact": since is not None,
        "lost_months": months,
        "lost_situation": row.get("lost_contact_situation") or "",
    }


def members_at(
    rows: Mapping[str, Mapping[str, Any]], uuids: Iterable[str], end: date, lost: Mapping[str, date]
) -> list[Item]:
    """The items of the members ``uuids`` in the order of their row ids (``rows`` is in that order)."""
    wanted = uuids if isinstance(uuids, (set, frozenset)) else set(uuids)
    return [member_item(row, end, lost) for u, row in rows.items() if u in wanted]


def changed(
    rows: Mapping[str, Mapping[str, Any]],
    changes: Iterable[Change],
    end: date,
    lost: Mapping[str, date],
    *,
    reason: str,
) -> list[Item]:
    """The members of the period's changes with this reason, each with the change's detail (出党's form)."""
    return [
        {**member_item(rows[c.member_uuid], end, lost), "detail": c.detail, "on": c.on}
        for c in changes
        if c.reason == reason
    ]


def admitted(
    db: Database, rows: Mapping[str, Mapping[str, Any]], changes: Iterable[Change], end: date
) -> list[Item]:
    """The members developed in the period, with 共青团员推优 from their development record (migration 0017)."""
    recommended = {
        r["uuid"]
        for r in query(
            db, "SELECT m.uuid, p.* FROM development_people p JOIN members m ON m.id = p.member_id"
        )
        if r.get("league_recommended")
    }
    return [
        {**item, "league_recommended": item["uuid"] in recommended}
        for item in changed(rows, changes, end, {}, reason="developed")
    ]


def probation(
    db: Database, rows: Mapping[str, Mapping[str, Any]], start: date, end: date, present: set[str]
) -> list[Item]:
    """Table 15's items: members whose probation fell due in the period (a year after admission, or the end of an
    extension) or on whom the 上级党委 decided in it, tagged full / full_after_extension / extended / cancelled /
    pending (still undecided and on the roster, ``present``, at the period's end). Members with a development record
    go by its approvals; others by 转为正式党员日期. ``vote_delay_days``: for a member made full in the period, the
    days from the end of the probation (an approved extension's end) to the 支部党员大会 that discussed it (None when
    no such vote is recorded) — table 15 counts a late one as 推迟讨论转正."""
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in query(
        db,
        "SELECT m.uuid, s.kind, s.on_date, s.months FROM development_steps s"
        " JOIN development_people p ON p.id = s.person_id JOIN members m ON m.id = p.member_id"
        " WHERE s.voided = 0 AND s.kind IN ('probation_extension', 'extension_approval', 'full_vote',"
        " 'full_approval', 'cancel_approval') ORDER BY s.on_date, s.id",
    ):
        steps[s["uuid"]].append(s)
    for e in query(
        db,
        "SELECT m.uuid, e.happened_on FROM member_events e JOIN members m ON m.id = e.member_id"
        " WHERE e.kind = 'probation_cancelled'",
    ):
        if not any(s["kind"] == "cancel_approval" for s in steps[e["uuid"]]):
            steps[e["uuid"]].append({"kind": "cancel_approval", "on_date": e["happened_on"], "months": None})
    items = []
    first_year, last_year = (
        start.year - 1,
        end.year - 1,
    )  # the years of admission whose year's probation ends in it
    first_day, last_day = start.isoformat(), end.isoformat()
    for uuid, row in rows.items():
        own = steps.get(uuid, [])
        joined_on, full_on_text = row["joined_on"], row["full_on"]
        if (
            not own
            and joined_on
            and not first_year <= int(joined_on[:4]) <= last_year
            and not (full_on_text and first_day <= full_on_text[:10] <= last_day)
        ):
            continue  # no decision recorded, probation not due in the period, not made full in it: nothing to count
        joined = _d(joined_on)
        if joined is None or joined > end:
            continue
        due_days = [add_years(joined, 1)]
        months = next((s["months"] for s in own if s["kind"] == "probation_extension" and s["months"]), None)
        if months and any(s["kind"] == "extension_approval" for s in own):
            due_days.append(add_months(due_days[0], int(months)))
        tags: set[str] = set()
        extended = any(s["kind"] == "extension_approval" for s in own)
        for s in own:
            on = _d(s["on_date"])
            if on is None or not start <= on <= end:
                continue
            if s["kind"] == "full_approval":
                tags.add("full")
                if extended:
                    tags.add("full_after_extension")
            elif s["kind"] == "extension_approval":
                tags.add("extended")
            elif s["kind"] == "cancel_approval":
                tags.add("cancelled")
        full_on = _d(row["full_on"])
        if not own and full_on is not None and start <= full_on <= end:
            tags.add("full")
        due = any(start <= d <= end for d in due_days)
        cancelled_on = next((_d(s["on_date"]) for s in own if s["kind"] == "cancel_approval"), None)
        if "cancelled" in tags and cancelled_on is not None and cancelled_on < due_days[0]:
            due = False
        decided = {"full", "extended", "cancelled"} & tags
        # still probationary on the end: by the approvals when recorded (转正 approved after the end sets full_on back
        # to the probation's end, yet on the end day it was 尚未审批), else by 转为正式党员日期
        if own:
            still = not any(
                s["kind"] in ("full_approval", "cancel_approval") and (_d(s["on_date"]) or end) <= end
                for s in own
            )
        else:
            still = full_on is None or full_on > end
        if due and not decided and still and uuid in present:
            tags.add("pending")
        vote = next((_d(s["on_date"]) for s in own if s["kind"] == "full_vote"), None)
        delay = (vote - due_days[-1]).days if vote is not None and "full" in tags else None
        if due or tags:
            items.append(
                {
                    "uuid": uuid,
                    "name": row["name"],
                    "due": due,
                    "tags": frozenset(tags),
                    "vote_delay_days": delay,
                }
            )
    return items


def pipeline(db: Database, end: date) -> list[Item]:
    """Applicants, activists and candidates (发展对象) on the period's end: the stage their decisions reached by
    then; admitted or left by then they are not counted. Admitted is the 上级党委's approval (the day the member is
    counted as 发展党员, ``changes``): a 发展对象 voted in by the 支部党员大会 and approved after the end is still one."""
    reached: dict[int, dict[str, str]] = defaultdict(dict)
    for s in query(
        db,
        "SELECT person_id, kind, min(on_date) AS on_date FROM development_steps WHERE voided = 0 AND kind IN"
        " ('application', 'activist_decision', 'candidate_decision', 'upper_approval') GROUP BY person_id, kind",
    ):
        reached[s["person_id"]][s["kind"]] = s["on_date"]
    items = []
    for p in query(db, "SELECT * FROM development_people"):
        left_on = p["status_on"]
        if p["status"] == "admitted":
            left_on = reached[p["id"]].get("upper_approval") or left_on
        if p["status"] != "in_pipeline" and left_on and left_on <= end.isoformat():
            continue
        marks = {k: v for k, v in reached[p["id"]].items() if v <= end.isoformat() and k != "upper_approval"}
        if "candidate_decision" in marks:
            stage = "candidate"
        elif "activist_decision" in marks:
            stage = "activist"
        elif "application" in marks:
            stage = "applicant"
        else:
            continue
        item = member_item(
            {**p, "joined_on": None, "full_on": None, "category": "", "lost_contact_on": None}, end, {}
        )
        items.append({**item, "stage": stage})
    return items


PROVINCE_KEY = "branch_province"  # the branch setting: the 省级行政区 the branch is in (db.codes.PROVINCES)


def branch_province(db: Database) -> str:
    """The branch's own province (a name of ``db.codes.PROVINCES``), ``''`` while not set."""
    value = get_setting(db, key=PROVINCE_KEY, default="")
    return value if value in PROVINCES else ""


CITY_KEY = (
    "branch_city"  # the branch setting: the 地级市 the branch is in (free text, compared by ``city_of``)
)


def branch_city(db: Database) -> str:
    """The branch's own 地级市 as the secretary wrote it, ``''`` while not set."""
    return str(get_setting(db, key=CITY_KEY, default="")).strip()


def mobile(db: Database, members: Mapping[str, Item], end: date) -> list[Item]:
    """Members on the roster who are away as 流动党员 on the period's end, with ``span``: 'cross' (跨省) when the
    外出流向's province differs from the branch's own (``branch_province``), 'within' (省内) when it is the same, ''
    when either is unknown; ``city_span`` of one away within the province: 'cross' (省内跨市) when the 外出流向's
    city differs from the branch's own (``branch_city``), 'same' when it is the same, 'unknown' when either is not
    given ('' for one not away within the province); and ``activity_card`` (持《流动党员活动证》)."""
    home, home_city = branch_province(db), city_of(branch_city(db))
    items = []
    for p in query(
        db,
        "SELECT m.uuid, p.province, p.city, p.activity_card FROM mobile_periods p JOIN members m ON m.id = p.member_id"
        " WHERE p.started_on <= ? AND (p.ended_on IS NULL OR p.ended_on > ?) ORDER BY p.started_on",
        [end.isoformat(), end.isoformat()],
    ):
        if p["uuid"] in members:
            away = province_of(p["province"])
            span = "" if not (home and away) else "within" if away == home else "cross"
            away_city = city_of(p["city"])
            city_span = (
                ""
                if span != "within"
                else "unknown"
                if not (home_city and away_city)
                else "same"
                if away_city == home_city
                else "cross"
            )
            items.append(
                {
                    **members[p["uuid"]],
                    "known_place": bool(p["province"].strip()),
                    "span": span,
                    "city_span": city_span,
                    "activity_card": bool(p["activity_card"]),
                }
            )
    return list({i["uuid"]: i for i in items}.values())


DUES_TAGS = ("on_time", "reduced", "exempt", "unknown")  # the tags of table 2补's dues columns


def dues(db: Database, members: Mapping[str, Item], start: date, end: date) -> list[Item]:
    """Table 2's 补充资料: each member on the roster at the period's end with ``dues``, the tags of how they paid in
    the period (``db.dues.period_standing``: on_time, reduced, exempt, unknown — a member who owed no month of it
    is unknown), and ``extra_once_fen`` (the most paid above what was due on one day). Like ``training``, one item
    per member of ``members`` in its order with only these attributes and ``uuid``: ``compute`` reads the
    member's other attributes from the roster's items (``compute.EXTENDS_ROSTER``), not from a copy of each."""
    standing = dues_db.period_standing(db, start=start, end=end)
    seen: dict[tuple[bool, ...], frozenset[str]] = {}  # one frozenset per combination of the tags
    items = []
    for uuid in members:
        s = standing.get(uuid)
        if s is None:
            items.append({"uuid": uuid, "dues": frozenset({"unknown"}), "extra_once_fen": 0})
            continue
        key = (s.on_time, s.reduced, s.exempt, s.unknown)
        tags = seen.get(key)
        if tags is None:
            tags = seen[key] = frozenset(tag for tag, on in zip(DUES_TAGS, key, strict=True) if on)
        items.append({"uuid": uuid, "dues": tags, "extra_once_fen": s.extra_once_fen})
    return items


# table 8's tags, in the national order of its columns: AppraisalFigures field → item tag
APPRAISAL_TAGS = (
    ("took_part", "participated"),
    ("commended", "excellent"),
    ("unqualified", "unqualified"),
    ("rectify", "rectify"),
    ("persuaded", "persuaded"),
    ("removal_persuaded", "removal_persuaded"),
    ("removal_lapsed", "removal_lapsed"),
    ("concluded", "concluded"),
)


def appraisal_figures(db: Database, *, year: int) -> list[Item]:
    """Table 8's items from the appraisal part (``db.appraisal.appraisal_figures``: the round of 年度 ``year``, its
    participants, 支部评定 and 组织处置): one item per member with the tags of the counts they are in, names read
    once for all of them. The one place table 8 reads."""
    figures = appraisal_db.appraisal_figures(db, year=year)
    tags: dict[str, set[str]] = defaultdict(set)
    for field, tag in APPRAISAL_TAGS:
        for uuid in getattr(figures, field):
            tags[uuid].add(tag)
    if not tags:
        return []
    marks = ", ".join("?" * len(tags))
    names = {
        r["uuid"]: r["name"]
        for r in query(db, f"SELECT uuid, name FROM members WHERE uuid IN ({marks})", list(tags))
    }
    return [{"uuid": u, "name": names[u], "tags": frozenset(t)} for u, t in tags.items()]


def training(db: Database, members: Mapping[str, Item], *, year: int) -> list[Item]:
    """Table 9's items: each member on the roster with the year's 学时 (``db.training``: study meetings attended
    and the ledger) and whether they meet their target (``training.target_of``: the committee's for those who
    served on the committee in the year, else the members'; both read once here, not per member). One item per
    member of ``members`` in its order, with only these attributes and ``uuid`` (see ``dues``)."""
    hours = training_db.hours_by_member(db, year=year)
    committee = training_db.committee_uuids(db, year=year)
    targets = {True: float(training_db.committee_target(db)), False: float(training_db.member_target(db))}
    items = []
    for uuid in members:
        h = float(hours.get(uuid, 0.0))
        on_committee = uuid in committee
        items.append({"uuid": uuid, "hours": h, "met": h >= targets[on_committee], "committee": on_committee})
    return items
