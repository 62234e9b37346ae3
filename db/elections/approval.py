"""The end of the election cycle (换届选举): the officers the new committee elects, the 选举结果报告 sent, and the
upper 党委's approval, which writes the new committee and term to 支部设置 (the old committee ended, nothing
deleted), or giving an election up."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from db import audit
from db.branch import appoint_committee_member, get_branch, list_committee, set_term
from db.elections.records import Election
from db.elections.service import ENTITY, elected, get_election, next_round, open_for_change, update_election
from db.errors import Problem, ValidationError, date_problems, raise_if
from db.records import COMMITTEE_ROLES
from db.rules import add_years, normalize_text
from db.store import Database, now_iso


def elect_officers(
    db: Database, *, election_uuid: str, on: date, roles: Mapping[str, str], today: date | None = None
) -> Election:
    """The new committee's first meeting (委员会第一次全体会议): 书记, 副书记 (optional) and each other member's
    role (分工), by member uuid. Every elected member gets one role; one 书记; each role once. Refused while a
    round is still to be held."""
    e = open_for_change(db, election_uuid)
    problems: list[Problem] = []
    if next_round(e) is not None or not e.rounds:
        problems.append(Problem("officers", "选举尚未完成（还有待进行的投票），不能选举书记、副书记"))
    members = {c.member_uuid: c for c, _ in elected(e)} if e.rounds else {}
    for member_uuid, role in roles.items():
        if member_uuid not in members:
            problems.append(Problem("roles", "只能给当选的委员分工"))
        if role not in COMMITTEE_ROLES:
            problems.append(Problem("roles", f"未知的支委职务：{role}"))
    missing = [c.name for u, c in members.items() if u not in roles]
    if missing:
        problems.append(Problem("roles", f"请给每位当选委员分工：{'、'.join(missing)} 尚未分工"))
    chosen = list(roles.values())
    if chosen.count("secretary") != 1:
        problems.append(Problem("roles", "应选举一名书记"))
    for role in set(chosen):
        if chosen.count(role) > 1 and role != "secretary":
            problems.append(Problem("roles", f"{COMMITTEE_ROLES.get(role, role)} 只能由一人担任"))
    if e.rounds and on < e.rounds[-1].held_on:
        problems.append(Problem("officers_on", f"日期不能早于选举大会 {e.rounds[-1].held_on.isoformat()}"))
    problems += date_problems("officers_on", "会议日期", on, today=today or date.today())
    raise_if(problems)
    with db.atomic():
        trail = audit.Trail(db, ENTITY, election_uuid)
        for member_uuid, role in roles.items():
            cand = members[member_uuid]
            if cand.role != role:
                db.execute(
                    "UPDATE election_candidates SET role = ?, updated_at = ? WHERE uuid = ?",
                    [role, now_iso(), cand.uuid],
                )
                trail.update("role", old=cand.role, new=f"{cand.name}：{COMMITTEE_ROLES[role]}")
        update_election(db, e, {"officers_on": on.isoformat()})
    return get_election(db, uuid=election_uuid)


def record_report(db: Database, *, election_uuid: str, on: date, today: date | None = None) -> Election:
    """The day the 选举结果报告 was sent to the upper 党委 (after the officers were elected, not after today)."""
    e = open_for_change(db, election_uuid)
    if e.officers_on is None:
        raise ValidationError([Problem("report_on", "请先登记委员会选举的书记、副书记")])
    problems = [Problem("report_on", "报送日期不能早于书记、副书记的选举日期")] if on < e.officers_on else []
    raise_if(problems + date_problems("report_on", "报送日期", on, today=today or date.today()))
    with db.atomic():
        update_election(db, e, {"report_on": on.isoformat()})
    return get_election(db, uuid=election_uuid)


def default_term_end(db: Database, election: Election, start: date) -> date:
    """The new term's end: as long as the old term (3 to 5 years), else 3 years."""
    old_start, old_end = election.old_term_start, election.old_term_end
    years = 3
    if old_start and old_end:
        years = min(5, max(3, round((old_end - old_start).days / 365.25)))
    return add_years(start, years)


def approve_election(
    db: Database,
    *,
    election_uuid: str,
    approved_on: date,
    approved_by: str,
    document: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
    today: date | None = None,
) -> Election:
    """The upper 党委 approves the result: in one transaction the approval is recorded, every committee
    appointment serving on the new term's first day is ended the day before (kept, with its until date), the new
    committee is appointed from ``term_start`` (default the day of the last round) with the roles of
    ``elect_officers``, and the branch's term becomes ``term_start``–``term_end`` (default as long as the old one)."""
    e = open_for_change(db, election_uuid)
    approved_by = normalize_text(approved_by)
    problems: list[Problem] = []
    if e.report_on is None:
        problems.append(Problem("approved_on", "请先登记选举结果报告的报送日期"))
    if not approved_by:
        problems.append(Problem("approved_by", "请填写批准的上级党组织"))
    if e.report_on is not None and approved_on < e.report_on:
        problems.append(Problem("approved_on", f"批准日期不能早于报送日期 {e.report_on.isoformat()}"))
    problems += date_problems("approved_on", "批准日期", approved_on, today=today or date.today())
    raise_if(problems)
    start = term_start or e.rounds[-1].held_on
    end = term_end or default_term_end(db, e, start)
    raise_if([Problem("term_end", "任期届满日期必须晚于开始日期")] if end <= start else [])
    if get_branch(db) is None:
        raise ValidationError([Problem("branch", "请先在支部设置中填写支部信息")])
    with db.atomic():
        update_election(
            db,
            e,
            {
                "approved_on": approved_on.isoformat(),
                "approved_by": approved_by,
                "approval_document": normalize_text(document),
                "term_start": start.isoformat(),
                "term_end": end.isoformat(),
            },
        )
        day_before = start - timedelta(days=1)
        for c in list_committee(db, on=start):
            until = max(day_before, c.since) if c.since else day_before
            db.execute(
                "UPDATE committee_members SET until = ?, updated_at = ? WHERE uuid = ?",
                [until.isoformat(), now_iso(), c.uuid],
            )
            audit.Trail(db, "committee_member", c.uuid).add("archive", "until", new=until)
        for cand, _votes in sorted(elected(e), key=lambda cv: cv[0].role != "secretary"):
            assert cand.role is not None  # elect_officers gave every elected member a role
            appoint_committee_member(db, member_uuid=cand.member_uuid, role=cand.role, since=start)
        set_term(db, start=start, end=end)
        audit.Trail(db, ENTITY, election_uuid).update(
            "committee", new=f"{approved_by}批准，任期 {start.isoformat()} 至 {end.isoformat()}"
        )
    return get_election(db, uuid=election_uuid)


def archive_election(db: Database, *, election_uuid: str, reason: str) -> None:
    """Give up an election under way (作废), with the reason; kept in the record."""
    e = open_for_change(db, election_uuid)
    reason = normalize_text(reason)
    raise_if([] if reason else [Problem("reason", "请填写作废的原因")])
    with db.atomic():
        update_election(db, e, {"archived_at": now_iso()})
        audit.Trail(db, ENTITY, election_uuid).add("archive", "reason", new=reason)
