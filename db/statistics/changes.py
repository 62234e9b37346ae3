"""Every change of the roster with its national reason (党内统计 table 1), and who is on the roster on a day.

The records of the other parts say what happened to a member; this module maps them onto the national list:

增加 — 发展党员 (the 上级党委's approval of the admission, ``_admissions_approved``; ``joined_on``, the 支部党员大会's
admission vote, for a member without a development record; only for a member not brought by a transfer), 重新入党
and 恢复党籍 (only as the secretary records them in ``statistics_changes``: no other record tells them; so is
出党's form 不予承认, the 党籍 of one admitted against the rules not recognised by the upper 党委),
停止党籍后恢复党籍 (a ``reinstated`` standing event), 转入组织关系 (a valid transfer in, 系统内/系统外 from its
``scope``), 整建制转入 (a transfer in marked ``whole_unit``).
减少 — 出党 (the leaving kinds of ``db.transfers.EVENT_KINDS``: 开除党籍, 退党除名, 劝退, 劝而不退除名, 自行脱党除名,
取消预备党员资格), 停止党籍 (a ``suspended`` event), 死亡, 转出组织关系 (a letter out once the member is 已转出),
整建制转出.

A member archived with no event or transfer to explain it, a transfer out without the day it took effect, an
undivided 除名 or 出党 of old records: the change is listed with ``reason`` ``unknown`` (or the detail unknown) and
is not counted in a column, so the balance names the person (``compute.Balance``). A row of ``statistics_changes``
on the same member, direction and day replaces the derived change (it gives the reason the records lack).

The roster on a day is the replay of these changes: a member is on it after an addition and off it after a
removal; a member whose first change is a removal was on the roster before the records begin.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from db import audit, edits
from db.errors import Problem, date_problems, raise_if
from db.rows import query
from db.rules import normalize_text
from db.store import Database

# The national reasons, by the code the tables use. Columns of table 1 name these codes.
ADD_REASONS = {
    "developed": "发展党员",
    "readmitted": "重新入党",
    "restored": "恢复党籍",
    "reinstated": "停止党籍后恢复党籍",
    "transfer_in": "转入组织关系",
    "unit_in": "整建制转入",
}
REMOVE_REASONS = {
    "left_party": "出党",
    "suspended": "停止党籍",
    "deceased": "死亡",
    "transfer_out": "转出组织关系",
    "unit_out": "整建制转出",
}
UNKNOWN = "unknown"
REASONS = {**ADD_REASONS, **REMOVE_REASONS, UNKNOWN: "原因不明"}
# 出党 by its form (table 10); the standing event kinds of db.transfers map onto them.
LEAVING_DETAILS = {
    "expulsion": "开除党籍",
    "withdrawal": "退党除名",
    "persuaded": "劝退",
    "removal_persuaded": "劝而不退除名",
    "removal_lapsed": "自行脱党除名",
    "probation_cancelled": "取消预备党员资格",
    "not_recognised": "不予承认",  # recorded only by hand (statistics_changes): no standing event says it
}
TRANSFER_DETAILS = {"within": "系统内", "outside": "系统外"}
# What the secretary may record by hand (statistics_changes): every national reason and 出党's forms.
MANUAL_REASONS = {**ADD_REASONS, **REMOVE_REASONS}
_EVENT_REASONS = {
    **{kind: ("remove", "left_party", kind) for kind in LEAVING_DETAILS if kind != "not_recognised"},
    "removal": ("remove", "left_party", ""),  # 除名 without its form: which column is unknown
    "expelled": ("remove", "left_party", ""),  # 出党（未细分） of old records
    "deceased": ("remove", "deceased", ""),
    "suspended": ("remove", "suspended", ""),
    "reinstated": ("add", "reinstated", ""),
}


@dataclass(frozen=True)
class Change:
    """One change of the roster. ``on`` is None when the records do not say when (then it falls in no period).
    ``problem`` says what is missing for the national reason (empty when the change is fully known)."""

    member_uuid: str
    name: str
    direction: str  # 'add' | 'remove'
    on: date | None
    reason: str  # a key of REASONS
    detail: str = ""  # 出党: a key of LEAVING_DETAILS; 转入: 'within' | 'outside'
    source: str = ""  # what record it comes from, in Chinese
    problem: str = ""
    # the member was already off the count (or on it) when it happened: e.g. 自行脱党除名 after 停止党籍
    no_effect: bool = False

    @property
    def counted(self) -> bool:
        """Whether table 1 counts it (its reason is known and it moved the member onto or off the count)."""
        return self.reason != UNKNOWN and self.on is not None and not self.no_effect

    @property
    def label(self) -> str:
        text = REASONS[self.reason]
        detail = LEAVING_DETAILS.get(self.detail) or TRANSFER_DETAILS.get(self.detail, "")
        return f"{text}（{detail}）" if detail else text


def _iso(value: Any) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


MEMBER_COLUMNS = (
    "id",
    "uuid",
    "name",
    "joined_on",
    "status",
    "status_on",
    "status_reason",
    "created_at",
    "standing",
)


def all_changes(db: Database, *, members: Mapping[str, Mapping[str, Any]] | None = None) -> list[Change]:
    """Every change of every member the records hold, in date order (undated ones last). ``members``: every
    member's row by uuid with at least ``MEMBER_COLUMNS``, when the caller has read them already."""
    if members is None:
        members = {r["uuid"]: r for r in query(db, f"SELECT {', '.join(MEMBER_COLUMNS)} FROM members")}
    by_id = {m["id"]: m for m in members.values()}
    changes: list[Change] = []
    transfers = query(
        db,
        "SELECT member_id, direction, serial, issued_on, receipt_on, validity_days, status, scope, whole_unit,"
        " to_unit, from_unit FROM transfers WHERE status = 'valid' ORDER BY issued_on",
    )
    first_in: dict[int, date] = {}
    outs: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for t in transfers:
        m = by_id[t["member_id"]]
        if t["direction"] == "in":
            arrived = _iso(t["issued_on"])
            assert arrived is not None
            first_in.setdefault(t["member_id"], arrived)
            whole = bool(t["whole_unit"])
            changes.append(
                Change(
                    m["uuid"],
                    m["name"],
                    "add",
                    arrived,
                    "unit_in" if whole else "transfer_in",
                    t["scope"],
                    f"转入 {t['serial']}（{t['from_unit']}）",
                    "" if whole or t["scope"] else "转入未注明系统内或系统外",
                )
            )
        else:
            outs[t["member_id"]].append(t)
    cancelled_in: dict[
        int, dict[str, Any]
    ] = {}  # the first letter in cancelled, of a member with no valid one
    for t in query(
        db,
        "SELECT member_id, serial, issued_on, cancel_reason FROM transfers"
        " WHERE direction = 'in' AND status = 'cancelled' ORDER BY issued_on",
    ):
        if t["member_id"] not in first_in:
            cancelled_in.setdefault(t["member_id"], t)
    explained_archive: set[str] = set()
    for member_id, letters in outs.items():
        m = by_id[member_id]
        for i, t in enumerate(letters):
            on = _out_effective(t, m, last=i == len(letters) - 1)
            if on is None:
                continue  # still 转出中: on the roster
            if m["status"] == "transferred_out" and i == len(letters) - 1:
                explained_archive.add(m["uuid"])
            changes.append(
                Change(
                    m["uuid"],
                    m["name"],
                    "remove",
                    on,
                    "unit_out" if t["whole_unit"] else "transfer_out",
                    source=f"转出 {t['serial']}（{t['to_unit']}）",
                )
            )
    for e in query(
        db, "SELECT member_id, kind, happened_on, reason FROM member_events ORDER BY happened_on, id"
    ):
        if e["kind"] not in _EVENT_REASONS:
            continue
        m = by_id[e["member_id"]]
        direction, reason, detail = _EVENT_REASONS[e["kind"]]
        if direction == "remove" and reason != "suspended":
            explained_archive.add(m["uuid"])
        changes.append(
            Change(
                m["uuid"],
                m["name"],
                direction,
                _iso(e["happened_on"]),
                reason,
                detail,
                f"{e['kind']}：{e['reason']}",
                "" if reason != "left_party" or detail else "出党未注明形式（开除、除名……）",
            )
        )
    approved = _admissions_approved(db)
    for m in members.values():
        joined = _iso(m["joined_on"])
        arrived = first_in.get(m["id"])
        cancelled = cancelled_in.get(m["id"])
        came = _iso(cancelled["issued_on"]) if cancelled else None
        if came is not None and cancelled is not None and (joined is None or joined <= came):
            # brought by a letter in that was cancelled (entered by mistake) and never developed here: the
            # record no longer says how they came, so they are not counted from their 加入党组织日期
            changes.append(
                Change(
                    m["uuid"],
                    m["name"],
                    "add",
                    came,
                    UNKNOWN,
                    source=f"转入 {cancelled['serial']}（已撤销）",
                    problem=f"转入介绍信 {cancelled['serial']} 已撤销（{cancelled['cancel_reason']}），"
                    "但该党员仍在册，没有发展党员或转入记录",
                )
            )
        elif joined is not None and (arrived is None or joined > arrived):
            on, source = approved.get(m["id"], (joined, "加入党组织日期"))
            changes.append(Change(m["uuid"], m["name"], "add", on, "developed", source=source))
        if m["status"] != "active" and m["uuid"] not in explained_archive:
            why = (
                "已转出但没有转出介绍信"
                if m["status"] == "transferred_out"
                else "已减员但没有出党、死亡等事项记录"
            )
            if not m["status_on"]:
                why += "，也没有减员日期"
            changes.append(
                Change(
                    m["uuid"],
                    m["name"],
                    "remove",
                    _iso(m["status_on"]),
                    UNKNOWN,
                    source=f"减员：{m['status_reason']}",
                    problem=why,
                )
            )
    changes += _standing_without_event(db, members)
    changes = sorted(_with_manual(db, changes, {m["id"]: m for m in members.values()}), key=_date_order)
    restored = _restored_without_reason(db, changes, members)
    return _effects(sorted(changes + restored, key=_date_order) if restored else changes)


def _standing_without_event(db: Database, members: Mapping[str, Mapping[str, Any]]) -> list[Change]:
    """Members on the active roster whose 党籍状态 disagrees with their last 停止党籍 / 恢复党籍 event: set in the
    member form or by a roster import without the event (no decision, no day). The change is of unknown reason
    (not counted, so the balance names them) on the day the audit log shows the 党籍状态 set (or the member
    entered with it): a member shown as 停止党籍 is then out of the count, as the event would have made them."""
    last: dict[int, str] = {}
    for e in query(
        db,
        "SELECT member_id, kind FROM member_events WHERE kind IN ('suspended', 'reinstated')"
        " ORDER BY happened_on, id",
    ):
        last[e["member_id"]] = e["kind"]
    out = []
    for m in members.values():
        suspended = m["standing"] == "suspended"
        if m["status"] != "active" or suspended == (last.get(m["id"]) == "suspended"):
            continue
        row = query(
            db,
            "SELECT max(at) AS at FROM audit_log WHERE entity = 'member' AND entity_uuid = ? AND action = 'update'"
            " AND field = 'standing' AND new = ?",
            [m["uuid"], m["standing"]],
        )
        on = _iso(row[0]["at"] if row and row[0]["at"] else m["created_at"])
        if suspended:
            direction, source = "remove", "党籍状态：停止党籍"
            problem = "党籍状态为停止党籍，但没有停止党籍的事项记录（日期、决定）"
        else:
            direction, source = "add", "党籍状态：正常"
            problem = "党籍状态已改为正常，但没有恢复党籍的事项记录（日期、决定）"
        out.append(Change(m["uuid"], m["name"], direction, on, UNKNOWN, source=source, problem=problem))
    return out


def _effects(changes: list[Change]) -> list[Change]:
    """Mark the changes that move no one (``no_effect``): a removal of a member already off the count, an addition
    of one already on it. 教管条例第二十四条: 停止党籍 takes the member out of the count (table 1's 停止党籍); the
    自行脱党除名 two years later, or a death while suspended, must not take them out a second time. Such a change
    stays listed with why, and is not counted in table 1 nor table 10. ``changes`` are in ``_date_order``."""
    here: dict[str, tuple[bool, Change | None]] = {}  # member → on the count after their last dated change?
    out = []
    for c in changes:
        if c.on is None:
            out.append(c)
            continue
        on_count, last = here.get(c.member_uuid, (c.direction == "remove", None))
        if c.reason != UNKNOWN and on_count == (c.direction == "add"):
            before = f"{last.label}（{last.on.isoformat()}）后" if last is not None and last.on else "此前"
            where, column = ("不在", "减少") if c.direction == "remove" else ("在", "增加")
            c = replace(
                c,
                no_effect=True,
                problem=f"{before}已{where}党员总数中：{c.on.isoformat()} 的{c.label}不再计入本年{column}",
            )
        else:
            here[c.member_uuid] = (c.direction == "add", c)
        out.append(c)
    return out


def _admissions_approved(db: Database) -> dict[int, tuple[date, str]]:
    """member id → the day the 上级党委 approved the admission (the development record's 上级党委审批), with the
    source to show: 发展党员 is counted when approved (the 2017 填报说明: “发展党员、预备党员转正情况……依据上级党组织
    审批情况进行统计”), so a 支部党员大会 vote of December approved in January is next year's, not lost between the
    two reports. A member without a development record is counted by 加入党组织日期."""
    out: dict[int, tuple[date, str]] = {}
    for r in query(
        db,
        "SELECT p.member_id, min(s.on_date) AS on_date FROM development_steps s"
        " JOIN development_people p ON p.id = s.person_id"
        " WHERE s.voided = 0 AND s.kind = 'upper_approval' AND p.member_id IS NOT NULL GROUP BY p.member_id",
    ):
        on = _iso(r["on_date"])
        if on is not None:
            out[r["member_id"]] = (on, "上级党委审批接收预备党员")
    return out


def _date_order(c: Change) -> tuple[bool, date, bool]:
    """Dated changes by day, a day's removals first; undated ones last."""
    return (c.on is None, c.on or date.min, c.direction != "remove")


def _restored_without_reason(
    db: Database, changes: Sequence[Change], members: Mapping[str, Mapping[str, Any]]
) -> list[Change]:
    """Members back on the active roster whose last dated change is a removal (put back by 恢复在册, with no
    重新入党, 恢复党籍 or transfer in recorded): an addition of unknown reason on the day the audit log shows.
    ``changes`` are in ``_date_order``."""
    last: dict[str, Change] = {}
    for c in changes:
        if c.on is not None:
            last[c.member_uuid] = c
    out = []
    for uuid, c in last.items():
        if c.direction != "remove" or c.reason == "suspended" or members[uuid]["status"] != "active":
            continue
        row = query(
            db,
            "SELECT max(at) AS at FROM audit_log WHERE entity = 'member' AND entity_uuid = ? AND action = 'restore'",
            [uuid],
        )
        restored = _iso(row[0]["at"]) if row and row[0]["at"] else None
        out.append(
            Change(
                uuid,
                c.name,
                "add",
                restored if restored is not None and c.on is not None and restored >= c.on else None,
                UNKNOWN,
                source="恢复在册",
                problem="已恢复在册，但没有重新入党、恢复党籍或转入等记录",
            )
        )
    return out


def _out_effective(t: Mapping[str, Any], m: Mapping[str, Any], *, last: bool) -> date | None:
    """The day a letter out took the member off the roster: the member's 已转出 date for the last letter, else
    the receipt or the day after the validity ended; None while the letter is still 转出中 (or never took
    effect: the member was restored)."""
    if last and m["status"] == "transferred_out" and m["status_on"]:
        return _iso(m["status_on"])
    issued = _iso(t["issued_on"])
    assert issued is not None
    receipt = _iso(t["receipt_on"])
    if receipt is not None:
        return receipt
    if last and m["status"] == "active":
        return None
    return issued + timedelta(days=int(t["validity_days"] or 0) + 1)


def _with_manual(db: Database, changes: list[Change], by_id: Mapping[int, Mapping[str, Any]]) -> list[Change]:
    """Apply ``statistics_changes``: each replaces the derived change of its member, direction and day (or the
    undated unknown one of that member and direction), or is added."""
    manual = query(
        db,
        "SELECT member_id, direction, happened_on, reason, detail, note FROM statistics_changes"
        " WHERE archived = 0 ORDER BY happened_on, id",
    )
    for r in manual:
        m = by_id[r["member_id"]]
        on = _iso(r["happened_on"])
        same = [
            c
            for c in changes
            if c.member_uuid == m["uuid"]
            and c.direction == r["direction"]
            and (c.on == on or (c.on is None and c.reason == UNKNOWN))
        ]
        for c in same:
            changes.remove(c)
        changes.append(
            Change(m["uuid"], m["name"], r["direction"], on, r["reason"], r["detail"], f"补记：{r['note']}")
        )
    return changes


def changes_between(changes: Iterable[Change], start: date, end: date) -> list[Change]:
    """The changes dated ``start``–``end`` (both included)."""
    return [c for c in changes if c.on is not None and start <= c.on <= end]


def roster_on(db: Database, changes: Iterable[Change], on: date) -> set[str]:
    """The uuids of the members on the roster (counted in 党员总数) at the end of ``on``: the replay of the
    changes; a member with no change at all is on the roster while active."""
    state: dict[str, bool] = {}  # every member with a change: on the roster at the end of ``on``?
    for c in changes:
        uuid = c.member_uuid
        if uuid not in state:
            state[uuid] = c.direction == "remove"  # first a removal: on the roster before the records
        if c.on is not None and c.on <= on:
            state[uuid] = c.direction == "add"
    present = {u for u, here in state.items() if here}
    active = {row[0] for row in db.execute("SELECT uuid FROM members WHERE status = 'active'")}
    return present | (active - state.keys())


@dataclass(frozen=True)
class ManualChange:
    """A change of the roster given its national reason by hand (补记变动原因), as ``record_change`` keeps it:
    the member (None while a form has none chosen), ``direction`` 'add' | 'remove', the day, ``reason`` a key of
    MANUAL_REASONS, ``detail`` 出党's form or 系统内/外, ``note`` the basis (e.g. the upper committee's document)."""

    member_uuid: str | None
    direction: str
    happened_on: date
    reason: str
    detail: str = ""
    note: str = ""


def validate_change(db: Database, *, change: ManualChange, today: date | None = None) -> list[Problem]:
    """Why a change given by hand (``record_change``) cannot be saved (empty when it can)."""
    problems = []
    if not change.member_uuid or not query(db, "SELECT 1 FROM members WHERE uuid = ?", [change.member_uuid]):
        problems.append(Problem("member", "请选择党员"))
    if change.direction not in ("add", "remove"):
        problems.append(Problem("direction", "请选择增加或减少"))
    valid = ADD_REASONS if change.direction == "add" else REMOVE_REASONS
    if change.reason not in valid:
        problems.append(Problem("reason", "请选择变动原因"))
    if change.reason == "left_party" and change.detail not in LEAVING_DETAILS:
        problems.append(Problem("detail", "出党请选择形式（开除党籍、退党除名……）"))
    if change.reason in ("transfer_in", "unit_in") and change.detail not in ("", *TRANSFER_DETAILS):
        problems.append(Problem("detail", "请选择系统内或系统外"))
    if not normalize_text(change.note):
        problems.append(Problem("note", "请填写依据（如：上级党委批复文号）"))
    problems += date_problems("happened_on", "日期", change.happened_on, today=today or date.today())
    return problems


def record_change(
    db: Database, *, change: ManualChange, today: date | None = None, record_uuid: str | None = None
) -> str:
    """Record the national reason of a change the records cannot tell (重新入党, 恢复党籍, 整建制, or the reason of
    a member archived without one). One transaction with its audit entry. Raises ``ValidationError`` for the
    problems of ``validate_change``."""
    raise_if(validate_change(db, change=change, today=today))
    note = normalize_text(change.note)
    row = query(db, "SELECT id, name FROM members WHERE uuid = ?", [change.member_uuid])
    with db.atomic():
        new_uuid = edits.insert_row(
            db,
            "statistics_changes",
            {
                "member_id": row[0]["id"],
                "direction": change.direction,
                "happened_on": change.happened_on.isoformat(),
                "reason": change.reason,
                "detail": change.detail if change.reason in ("left_party", "transfer_in", "unit_in") else "",
                "note": note,
            },
            uuid=record_uuid,
        )
        audit.Trail(db, "statistics_change", new_uuid).create(
            "reason",
            new=f"{row[0]['name']} {REASONS[change.reason]} {change.happened_on.isoformat()}：{note}",
        )
    return new_uuid
