"""Mobile members (流动党员: a period away, kept in sync with the member's 流动党员/外出流向) and dated standing or
status events (失联、停止党籍、留党察看、开除党籍、除名、去世…). Every write is one transaction with its audit entries."""

from __future__ import annotations

from datetime import date, timedelta

from db import audit, edits
from db import members as members_db
from db.codes import LOST_SITUATIONS, lost_situation_of
from db.errors import Problem, ValidationError, date_problems, raise_if
from db.records import STATUSES, Member
from db.rules import add_years, normalize_text
from db.standing import watch_periods
from db.store import Database, now_iso
from db.transfers.queries import (
    _member_or_problem,
    get_event,
    get_mobile_period,
    list_events,
    list_mobile_periods,
)
from db.transfers.records import (
    EVENT_CHOICES,
    EVENT_KINDS,
    EVENT_KINDS_RECORDED_ELSEWHERE,
    LEAVING_KINDS,
    WATCH_MAX_YEARS,
    WATCH_YEARS,
    MemberEvent,
    MobilePeriod,
    outflow_place,
)


def start_mobile(
    db: Database,
    *,
    member_uuid: str,
    province: str,
    city: str = "",
    county: str = "",
    reason: str,
    started_on: date,
    contact: str = "",
    expected_return_on: date | None = None,
    activity_card: bool = False,
    today: date | None = None,
    record_uuid: str | None = None,
) -> MobilePeriod:
    """Mark an active member as a mobile member (流动党员) from ``started_on``; sets ``mobile_member`` and
    ``outflow_place`` on the member; ``activity_card``: the 《流动党员活动证》 was issued. Refused for an archived member, one already mobile, a missing province or
    reason, a start date in the future, an expected return before the start."""
    today = today or date.today()
    problems: list[Problem] = []
    member = _member_or_problem(db, member_uuid, problems)
    if member is not None:
        if member.status != "active":
            problems.append(Problem("member", f"{member.name} 已是「{STATUSES[member.status]}」状态"))
        elif list_mobile_periods(db, current_only=True, member_uuid=member_uuid):
            problems.append(Problem("member", f"{member.name} 已登记为流动党员，请先结束当前外出登记"))
    if not normalize_text(province):
        problems.append(Problem("province", "请填写外出流向的省份"))
    if not normalize_text(reason):
        problems.append(Problem("reason", "请填写外出原因"))
    problems += date_problems("started_on", "外出日期", started_on, today=today)
    if expected_return_on and expected_return_on < started_on:
        problems.append(Problem("expected_return_on", "预计返回日期不能早于外出日期"))
    if problems:
        raise ValidationError(problems)
    assert member is not None  # no problems: the member was found
    place = outflow_place(province, city, county)
    with db.atomic():
        period = {
            "member_id": member.id,
            "province": normalize_text(province),
            "city": normalize_text(city),
            "county": normalize_text(county),
            "reason": normalize_text(reason),
            "contact": normalize_text(contact),
            "started_on": started_on.isoformat(),
            "expected_return_on": expected_return_on.isoformat() if expected_return_on else None,
            "activity_card": int(activity_card),
        }
        new_uuid = edits.insert_row(db, "mobile_periods", period, uuid=record_uuid)
        audit.Trail(db, "mobile_period", new_uuid).create("outflow_place", new=place)
        members_db.update_member(
            db, uuid=member_uuid, changes={"mobile_member": True, "outflow_place": place}
        )
    return get_mobile_period(db, uuid=new_uuid)


def end_mobile(
    db: Database, *, uuid: str, ended_on: date, reason: str = "返回", today: date | None = None
) -> MobilePeriod:
    """End a mobile period (returned, or its organisational relationship was transferred); clears the member's
    ``mobile_member``/``outflow_place`` if the member is still on the roster."""
    today = today or date.today()
    reason = normalize_text(reason)
    period = get_mobile_period(db, uuid=uuid)
    problems = []
    if period.ended_on:
        problems.append(Problem("ended_on", f"该外出登记已于 {period.ended_on:%Y-%m-%d} 结束"))
    problems += date_problems(
        "ended_on", "结束日期", ended_on, today=today, after=("外出日期", period.started_on)
    )
    raise_if(problems)
    with db.atomic():
        _write_end(db, uuid, ended_on, reason)
        member = members_db.get_member(db, uuid=period.member_uuid)
        if member.status == "active" and member.mobile_member:
            members_db.update_member(
                db, uuid=member.uuid, changes={"mobile_member": False, "outflow_place": ""}
            )
    return get_mobile_period(db, uuid=uuid)


def _write_end(db: Database, uuid: str, ended_on: date, reason: str) -> None:
    """Write the end of the mobile period ``uuid`` and its audit entry (inside the caller's transaction)."""
    db.execute(
        "UPDATE mobile_periods SET ended_on = ?, end_reason = ?, updated_at = ? WHERE uuid = ?",
        [ended_on.isoformat(), reason, now_iso(), uuid],
    )
    audit.Trail(db, "mobile_period", uuid).update("ended_on", new=f"{ended_on.isoformat()}：{reason}")


def end_current_periods(db: Database, *, member_uuid: str, on: date, reason: str) -> None:
    """End the member's current mobile periods when they leave the roster (inside the caller's transaction), so
    a member who left is never reminded about as a mobile member: the letter out calls it when the letter is issued,
    and ``leave_roster`` (every other way off the roster) when the member leaves."""
    for period in list_mobile_periods(db, current_only=True, member_uuid=member_uuid):
        _write_end(db, period.uuid, max(on, period.started_on), reason)
        members_db.update_member(db, uuid=member_uuid, changes={"mobile_member": False, "outflow_place": ""})


def leave_roster(
    db: Database, *, uuid: str, status: str, on: date, reason: str, source: str = "local"
) -> Member:
    """Take a member off the roster as 已转出 or 已减员 on ``on`` with a reason (``db.members.archive_member``, whose
    checks apply) and end their open 外出 periods that day, with the same words (已减员：…): the one way off the
    roster for the standing events (出党, 去世), the 取消预备党员资格 of the development record and the 转出/减员 of
    the member list. One transaction: a refusal changes nothing."""
    with db.atomic():
        why = normalize_text(reason)
        end_current_periods(db, member_uuid=uuid, on=on, reason=f"{STATUSES.get(status, status)}：{why}")
        return members_db.archive_member(db, uuid=uuid, status=status, on=on, reason=reason, source=source)


RULE_DISCIPLINE = "《中国共产党纪律处分条例》"


# --- standing and status events ---------------------------------------------------------------------------


def record_event(
    db: Database,
    *,
    member_uuid: str,
    kind: str,
    happened_on: date,
    reason: str,
    ends_on: date | None = None,
    decision: str = "",
    situation: str = "",
    today: date | None = None,
    record_uuid: str | None = None,
) -> MemberEvent:
    """Record a dated standing/status event with its reason and decision (the body and its document) and apply it:

    lost_contact → ``lost_contact`` on with the date and the 失联情形 ``situation`` (a key of
    ``db.codes.LOST_SITUATIONS``; when not given, the one the reason names, if any); contact_restored → off; suspended → standing 'suspended';
    reinstated → standing 'normal'; probation_watch (留党察看) keeps the member on the roster for its period
    ``happened_on``–``ends_on`` (at most two years), during which they have no vote and cannot serve on the
    committee; the kinds of ``LEAVING_KINDS`` (开除党籍, 除名…, 劝退, 退党, 取消预备党员资格, 去世) archive the member as
    'removed' (已减员). Refused for an unknown kind, an empty reason, a future date, an archived member, or an
    event that does not fit the member's state.
    """
    today = today or date.today()
    reason = normalize_text(reason)
    decision = normalize_text(decision)
    problems: list[Problem] = []
    member = _member_or_problem(db, member_uuid, problems)
    if kind in EVENT_KINDS_RECORDED_ELSEWHERE:
        problems.append(
            Problem(
                "kind",
                "取消预备党员资格须经支部党员大会讨论通过和上级党组织批准（党章第七条）："
                "请在「发展党员」页面记录表决和审批",
            )
        )
    elif kind not in EVENT_CHOICES:
        problems.append(Problem("kind", "请选择事项类型"))
    if not reason:
        problems.append(Problem("reason", "请填写原因或依据"))
    problems += date_problems("happened_on", "日期", happened_on, today=today)
    problems += _period_problems(kind, happened_on, ends_on)
    if member is not None and kind == "probation_watch" and not problems:
        problems += _watch_total_problems(db, member.uuid, happened_on, ends_on)
    if situation and situation not in LOST_SITUATIONS:
        problems.append(Problem("situation", "请从下拉列表中选择失联情形"))
    if member is not None:
        problems += _state_problems(member, kind)
        if member.joined_on and happened_on < member.joined_on:
            problems.append(Problem("happened_on", "日期不能早于该党员加入党组织日期"))
        problems += _restoring_problems(db, member, kind, happened_on)
    if problems:
        raise ValidationError(problems)
    assert member is not None  # no problems: the member was found
    with db.atomic():
        event = {
            "member_id": member.id,
            "kind": kind,
            "happened_on": happened_on.isoformat(),
            "ends_on": ends_on.isoformat() if ends_on and kind == "probation_watch" else None,
            "decision": decision,
            "reason": reason,
        }
        new_uuid = edits.insert_row(db, "member_events", event, uuid=record_uuid)
        audit.Trail(db, "member_event", new_uuid).create(
            "kind", new=f"{EVENT_KINDS[kind]}：{reason}" + (f"（{decision}）" if decision else "")
        )
        if kind == "lost_contact":
            members_db.update_member(
                db,
                uuid=member_uuid,
                changes={
                    "lost_contact": True,
                    "lost_contact_on": happened_on,
                    "lost_contact_situation": situation or lost_situation_of(reason),
                },
            )
        elif kind == "contact_restored":
            members_db.update_member(
                db,
                uuid=member_uuid,
                changes={"lost_contact": False, "lost_contact_on": None, "lost_contact_situation": ""},
            )
        elif kind == "suspended":
            members_db.update_member(db, uuid=member_uuid, changes={"standing": "suspended"})
        elif kind == "reinstated":
            members_db.update_member(db, uuid=member_uuid, changes={"standing": "normal"})
        elif kind in LEAVING_KINDS:
            why = f"{EVENT_KINDS[kind]}：{reason}" + (f"（{decision}）" if decision else "")
            leave_roster(db, uuid=member_uuid, status="removed", on=happened_on, reason=why)
    return get_event(db, uuid=new_uuid)


def _period_problems(kind: str, happened_on: date, ends_on: date | None) -> list[Problem]:
    """A 留党察看 needs its period: it ends after it starts and lasts at most two years (党章: “留党察看最长不超过
    两年”)."""
    if kind != "probation_watch":
        return []
    if ends_on is None:
        return [Problem("ends_on", "留党察看请填写察看期满日期")]
    if ends_on <= happened_on:
        return [Problem("ends_on", "察看期满日期必须晚于处分日期")]
    if ends_on > add_years(happened_on, WATCH_MAX_YEARS):
        return [
            Problem(
                "ends_on",
                f"留党察看最长不超过两年（党章），期满日期不能晚于 {add_years(happened_on, WATCH_MAX_YEARS)}",
            )
        ]
    # 纪律处分条例第十二条: one year or two. The end is accepted as the period's last day (the start plus the years,
    # less a day) or as the same day the years later, as decisions word it either way.
    ends = {add_years(happened_on, years) - timedelta(days=d) for years in WATCH_YEARS for d in (0, 1)}
    if ends_on not in ends:
        one, two = (add_years(happened_on, years) - timedelta(days=1) for years in WATCH_YEARS)
        return [
            Problem(
                "ends_on",
                f"留党察看分为留党察看一年、留党察看二年（{RULE_DISCIPLINE}第十二条）：处分日期 {happened_on} 的察看"
                f"期满日期应为 {one}（一年）或 {two}（二年），请按处分决定填写",
            )
        ]
    return []


def _watch_total_problems(
    db: Database, member_uuid: str, happened_on: date, ends_on: date | None
) -> list[Problem]:
    """纪律处分条例第十二条: a one-year 留党察看 may be extended by a year, and 留党察看期限最长不得超过二年; a member who
    offends again under watch is expelled, not watched anew. A 留党察看 that starts inside an earlier one of the
    member, or the day after it ends, continues it: together they end at most two years after the first day."""
    if ends_on is None:
        return []
    # the member's periods joined into runs (each starting inside the previous one or the day after it ends), as
    # (first day, last day); the new period continues the run it starts in
    runs: list[tuple[date, date]] = []
    for start, end in sorted(watch_periods(db).get(member_uuid, [])):
        if runs and start <= runs[-1][1] + timedelta(days=1):
            runs[-1] = (runs[-1][0], max(runs[-1][1], end))
        else:
            runs.append((start, end))
    first = next((a for a, b in runs if a <= happened_on <= b + timedelta(days=1)), None)
    if first is None or ends_on <= add_years(first, WATCH_MAX_YEARS):
        return []
    return [
        Problem(
            "ends_on",
            f"留党察看期限最长不得超过二年（{RULE_DISCIPLINE}第十二条）：该党员自 {first} 起已在留党察看期内，"
            f"连同本次期满日期不能晚于 {add_years(first, WATCH_MAX_YEARS)}；留党察看期间又发现其他应当受到党纪处分的"
            "违纪行为的，应当开除党籍",
        )
    ]


def _restoring_problems(db: Database, member: Member, kind: str, happened_on: date) -> list[Problem]:
    """A 恢复党籍 or 恢复联系 ends the 停止党籍 or 失去联系 before it (教管条例第二十四条: 对停止党籍的党员…可以按照规定
    程序恢复党籍), so it is not dated before it: the standing on a past day is read from the events by date."""
    if kind == "reinstated":
        began = max(
            (e.happened_on for e in list_events(db, member_uuid=member.uuid) if e.kind == "suspended"),
            default=None,
        )
        label = "停止党籍"
    elif kind == "contact_restored":
        began, label = member.lost_contact_on, "失去联系"
    else:
        return []
    if began is None or happened_on >= began:
        return []
    return [
        Problem(
            "happened_on",
            f"{EVENT_KINDS[kind]}日期不能早于{label}日期 {began}：{member.name} 自 {began} 起{label}，请核对两个日期",
        )
    ]


def _state_problems(member: Member, kind: str) -> list[Problem]:
    """Why the event does not fit the member's present state (empty when it does)."""
    message = ""
    if member.status != "active":
        message = f"{member.name} 已是「{STATUSES[member.status]}」状态"
    elif kind == "lost_contact" and member.lost_contact:
        message = f"{member.name} 已登记为失联党员"
    elif kind == "contact_restored" and not member.lost_contact:
        message = f"{member.name} 未登记为失联党员"
    elif kind == "suspended" and member.standing == "suspended":
        message = f"{member.name} 已停止党籍"
    elif kind == "reinstated" and member.standing != "suspended":
        message = f"{member.name} 党籍状态正常，无需恢复"
    return [Problem("member" if member.status != "active" else "kind", message)] if message else []
