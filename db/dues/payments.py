"""Dues payments: recording, correcting and collecting a month's dues, each write in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from db import audit, edits
from db.dues.bases import max_ahead_months
from db.dues.ledger import (
    State,
    ledger_entry,
    ledger_of,
    load_state,
    member_row_id,
    month_ledger_for,
)
from db.dues.records import (
    MAX_AHEAD_MONTHS,
    MAX_BACK_MONTHS,
    DuesMember,
    LedgerEntry,
    add_month,
    amount_problems,
    month_index,
    month_key,
    month_label,
    month_start,
)
from db.errors import Problem, ValidationError, date_problems
from db.rows import query_one
from db.rules import fen_to_yuan_text, normalize_text
from db.store import Database, now_iso

BACK_PAYMENT_RULE = "《关于中国共产党党费收缴、使用和管理的规定》：补交党费的时间一般不得超过6个月"


def _payment_problems(
    state: State,
    member_id: int,
    entry: LedgerEntry,
    *,
    paid_on: date | None,
    today: date,
    paid_fen: int | None,
    note: str = "",
    ahead_limit: int = MAX_AHEAD_MONTHS,
) -> list[Problem]:
    """The reasons a payment of ``paid_fen`` (None: the entry's due in full) for the member's ledger ``entry``
    cannot be saved. Back-payment beyond 6 months needs a reason in ``note`` (the rule says 一般); pre-payment
    beyond the branch's ``ahead_limit`` is refused; so is a month before the day the member transferred into this
    branch (its dues were the old 党组织's)."""
    member, arrived = state.by_id[member_id], state.arrived.get(member_id)
    month, due = entry.month, entry.due_fen
    problems = []
    if member.joined_on is not None and month_index(member.joined_on) > month_index(month):
        problems.append(
            Problem(
                "month",
                f"{member.name} 于 {member.joined_on:%Y-%m-%d} 加入党组织，{month_label(month)}无需交纳党费",
            )
        )
    if arrived is not None and month_index(arrived) > month_index(month):
        # 党费规定: 党员一般应当向其正式组织关系所在的党支部交纳党费 (docs/rules.md, the dues section)
        problems.append(
            Problem(
                "month",
                f"{member.name} 于 {arrived:%Y-%m-%d} 转入本支部，{month_label(month)}的党费应向原党组织交纳，"
                "不在本支部登记；已交的月份见组织关系介绍信上的“党费交至”",
            )
        )
    if member.status != "active" and (
        member.status_on is None or month_index(member.status_on) < month_index(month)
    ):
        when = f"已于 {member.status_on:%Y-%m-%d} " if member.status_on else "已"
        problems.append(
            Problem(
                "month",
                f"{member.name} {when}离开本支部（{member.status_reason or '已不在册'}），"
                f"不能为其交纳{month_label(month)}的党费",
            )
        )
    if paid_fen is not None and paid_fen < 0:
        problems.append(Problem("paid", "实缴金额不能为负数"))
    problems += amount_problems("paid", "实缴金额", paid_fen)
    if paid_fen is None and due is None:
        problems.append(Problem("paid", f"{member.name} 尚未核定党费缴纳基数，请先核定基数或填写实缴金额"))
    if paid_on is None:
        problems.append(Problem("paid_on", "请填写缴纳日期"))
        return problems
    problems += date_problems("paid_on", "缴纳日期", paid_on, today=today)
    if member.joined_on is not None and paid_on < member.joined_on:
        # 党费规定: 预备党员从党支部党员大会通过其为预备党员之日起交纳党费 (docs/rules.md, the dues section)
        problems.append(
            Problem(
                "paid_on",
                f"{member.name} 的缴纳日期 {paid_on:%Y-%m-%d} 早于其加入党组织日期 {member.joined_on:%Y-%m-%d}"
                "（支部党员大会通过其为预备党员之日）。党员从该日起交纳党费，请核对缴纳日期或名册中的加入党组织日期",
            )
        )
    gap = month_index(paid_on) - month_index(month)
    if gap > MAX_BACK_MONTHS and not note.strip():
        problems.append(
            Problem(
                "month",
                f"{member.name} {month_label(month)}的党费在 {paid_on:%Y-%m-%d} 补交，已超过 {MAX_BACK_MONTHS} 个月。"
                f"{BACK_PAYMENT_RULE}；确需补交的，请在备注中写明原因后再保存",
            )
        )
    if -gap > ahead_limit:
        problems.append(
            Problem(
                "month",
                f"{member.name} {month_label(month)}的党费在 {paid_on:%Y-%m-%d} 预交，超过本支部设定的上限"
                f"（预交党费最多 {ahead_limit} 个月，可在支部设置 → 规则设置中调整）",
            )
        )
    return problems


def write_payment(
    db: Database,
    state: State,
    member_id: int,
    entry: LedgerEntry,
    *,
    paid_fen: int | None = None,
    paid_on: date,
    proxy_id: int | None = None,
    note: str = "",
    source: str,
) -> None:
    """Write (insert or update) the payment of the member's ledger ``entry`` (one month) and its audit lines:
    ``paid_fen``, or the entry's due in full when None. The caller checked the rules and holds the transaction."""
    key, due = month_key(entry.month), entry.due_fen
    paid_fen = due if paid_fen is None else paid_fen
    assert paid_fen is not None  # the rules refuse a payment in full without a due
    old = query_one(
        db,
        "SELECT uuid, paid_fen, paid_on, proxy_id, note FROM dues_payments WHERE member_id = ? AND month = ?",
        [member_id, key],
    )
    if old is None:
        payment = {
            "member_id": member_id,
            "month": key,
            "due_fen": due,
            "paid_fen": paid_fen,
            "paid_on": paid_on.isoformat(),
            "proxy_id": proxy_id,
            "note": note,
        }
        pay_uuid = edits.insert_row(db, "dues_payments", payment)
        audit.Trail(db, "dues_payment", pay_uuid, source=source).create(
            "paid", new=f"{state.by_id[member_id].uuid} {key} {fen_to_yuan_text(paid_fen)} {paid_on}"
        )
    else:
        new_values = {
            "paid_fen": paid_fen,
            "paid_on": paid_on.isoformat(),
            "proxy_id": proxy_id,
            "note": note,
        }
        edits.update_row(
            db,
            table="dues_payments",
            entity="dues_payment",
            uuid=old["uuid"],
            columns={"due_fen": due, **new_values},
            changes=[(name, old[name], new) for name, new in new_values.items() if old[name] != new],
            source=source,
        )


def _proxy_id(db: Database, proxy_uuid: str | None, member_id: int) -> tuple[int | None, list[Problem]]:
    if not proxy_uuid:
        return None, []
    row = query_one(db, "SELECT id FROM members WHERE uuid = ?", [proxy_uuid])
    if row is None:
        return None, [Problem("proxy", "代缴人不在党员名册中，请从名册中选择")]
    if row["id"] == member_id:
        return None, [Problem("proxy", "代缴人不能是本人；本人交纳请不选代缴人")]
    return int(row["id"]), []


def record_payments(
    db: Database,
    *,
    member_uuid: str,
    months: Iterable[date],
    paid_on: date,
    paid_fen: int | None = None,
    proxy_uuid: str | None = None,
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> list[LedgerEntry]:
    """Record that a member paid the dues of one or more months (back-payment, pre-payment) on ``paid_on``.

    ``paid_fen`` is the amount paid for EACH month (default: the amount due). ``proxy_uuid`` names the member who
    paid on their behalf. All months are written in one transaction or none: raises ``ValidationError`` when any
    month is already paid, lies more than 6 months before or after the payment date, or the member was not a
    member in it, for a negative amount, a date after ``today`` or a proxy who is not on the roster.
    """
    today = today or date.today()
    wanted = sorted({month_start(m) for m in months})
    if not wanted:
        raise ValidationError([Problem("month", "请选择要交纳的月份")])
    note = normalize_text(note)
    with db.atomic():
        mid = member_row_id(db, member_uuid)
        state = load_state(db, months=[month_key(m) for m in wanted])
        member = state.by_id[mid]
        proxy_id, problems = _proxy_id(db, proxy_uuid, mid)
        limit = max_ahead_months(db)
        for month in wanted:
            entry = ledger_entry(state, mid, month)
            if entry.paid:
                problems.append(
                    Problem(
                        "month",
                        f"{member.name} {month_label(month)}的党费已于 "
                        f"{entry.paid_on:%Y-%m-%d} 交纳，不能重复交纳（如需更正请修改该笔记录）",
                    )
                )
            problems += _payment_problems(
                state,
                mid,
                entry,
                paid_on=paid_on,
                today=today,
                paid_fen=paid_fen,
                note=note,
                ahead_limit=limit,
            )
        if problems:
            raise ValidationError(list(dict.fromkeys(problems)))
        for month in wanted:
            write_payment(
                db,
                state,
                mid,
                ledger_entry(state, mid, month),
                paid_on=paid_on,
                paid_fen=paid_fen,
                proxy_id=proxy_id,
                note=note,
                source=source,
            )
    return month_ledger_for(db, member_uuid=member_uuid, months=wanted)


def update_payment(
    db: Database,
    *,
    member_uuid: str,
    month: date,
    paid_fen: int | None,
    paid_on: date | None,
    proxy_uuid: str | None = None,
    note: str = "",
    today: date | None = None,
    source: str = "local",
) -> LedgerEntry:
    """Correct a month's entry: amount, date, proxy, note. ``paid_fen=None`` marks the month unpaid again (the
    row and its audit history stay). Same rules as ``record_payments`` except that the month may already be paid.
    """
    today = today or date.today()
    start = month_start(month)
    note = normalize_text(note)
    with db.atomic():
        mid = member_row_id(db, member_uuid)
        state = load_state(db, months=[month_key(start)])
        member = state.by_id[mid]
        entry = ledger_entry(state, mid, start)
        if paid_fen is None:
            old = query_one(
                db,
                "SELECT uuid, paid_fen, paid_on, note FROM dues_payments WHERE member_id = ? AND month = ?",
                [mid, month_key(start)],
            )
            if old is None:
                if note:  # a reason for not paying (e.g. 出差) is worth keeping
                    if not state.owes(mid, start):
                        raise ValidationError(
                            [Problem("month", f"{member.name} {month_label(start)}不在党费台账中")]
                        )
                    unpaid = {
                        "member_id": mid,
                        "month": month_key(start),
                        "due_fen": entry.due_fen,
                        "note": note,
                    }
                    pay_uuid = edits.insert_row(db, "dues_payments", unpaid)
                    audit.Trail(db, "dues_payment", pay_uuid, source=source).create("note", new=note)
                return month_ledger_for(db, member_uuid=member_uuid, months=[start])[0] if note else entry
            db.execute(
                "UPDATE dues_payments SET paid_fen = NULL, paid_on = NULL, proxy_id = NULL, note = ?, "
                "updated_at = ? WHERE uuid = ?",
                [note, now_iso(), old["uuid"]],
            )
            audit.Trail(db, "dues_payment", old["uuid"], source=source).update(
                "paid_fen", old=f"{fen_to_yuan_text(old['paid_fen'])} {old['paid_on']}"
            )
        else:
            proxy_id, problems = _proxy_id(db, proxy_uuid, mid)
            limit = max_ahead_months(db)
            problems += _payment_problems(
                state,
                mid,
                entry,
                paid_on=paid_on,
                today=today,
                paid_fen=paid_fen,
                note=note,
                ahead_limit=limit,
            )
            if problems:
                raise ValidationError(problems)
            assert paid_on is not None
            write_payment(
                db,
                state,
                mid,
                entry,
                paid_on=paid_on,
                paid_fen=paid_fen,
                proxy_id=proxy_id,
                note=note,
                source=source,
            )
    return month_ledger_for(db, member_uuid=member_uuid, months=[start])[0]


def mark_unpaid(db: Database, *, member_uuid: str, month: date, note: str = "") -> LedgerEntry:
    """Mark a month unpaid again (a correction after "mark all paid")."""
    return update_payment(db, member_uuid=member_uuid, month=month, paid_fen=None, paid_on=None, note=note)


def bulk_skip_reason(member: DuesMember, entry: LedgerEntry) -> str | None:
    """Why 全部标记已缴 leaves an unpaid member of the month alone (None: it records them as paid): lost contact,
    membership suspended, or no dues basis yet. Members who are not yet members that month are not on its ledger."""
    month_end = add_month(entry.month, 1) - timedelta(days=1)
    if member.lost_contact and (member.lost_contact_on is None or member.lost_contact_on <= month_end):
        return "失联"
    if member.standing == "suspended":
        return "停止党籍"
    if entry.due_fen is None:
        return "未核定缴纳基数"
    return None


@dataclass(frozen=True)
class BulkPlan:
    """What 全部标记已缴 would do for a month: the entries it records as paid, and the unpaid members it skips
    with the reason (``bulk_skip_reason``). Paid and exempt members are in neither list."""

    to_mark: list[LedgerEntry]
    skipped: list[tuple[LedgerEntry, str]]


def _bulk_plan(state: State, month: date) -> BulkPlan:
    ids = {m.uuid: i for i, m in state.by_id.items()}
    to_mark: list[LedgerEntry] = []
    skipped: list[tuple[LedgerEntry, str]] = []
    for entry in ledger_of(state, month):
        if entry.paid or entry.due_fen == 0:
            continue
        reason = bulk_skip_reason(state.by_id[ids[entry.member_uuid]], entry)
        if reason is None:
            to_mark.append(entry)
        else:
            skipped.append((entry, reason))
    return BulkPlan(to_mark=to_mark, skipped=skipped)


def mark_all_plan(db: Database, *, month: date) -> BulkPlan:
    """Who 全部标记已缴 would record as paid in ``month`` and whom it would skip (for the confirmation)."""
    start = month_start(month)
    return _bulk_plan(load_state(db, months=[month_key(start)]), start)


def mark_all_paid(
    db: Database, *, month: date, paid_on: date, today: date | None = None, source: str = "local"
) -> int:
    """Fast collection: record every unpaid member of the month as paid in full on ``paid_on``.

    Members without a dues basis, lost-contact and suspended members are skipped (``bulk_skip_reason``), and so
    are exempt members (amount 0). Returns the number of payments written. Raises ``ValidationError`` (nothing
    saved) when the date breaks the 6-month rules or is in the future.
    """
    today = today or date.today()
    start = month_start(month)
    written = 0
    with db.atomic():
        state = load_state(db, months=[month_key(start)])
        ids = {m.uuid: i for i, m in state.by_id.items()}
        limit = max_ahead_months(db)
        for entry in _bulk_plan(state, start).to_mark:
            assert entry.due_fen is not None
            mid = ids[entry.member_uuid]
            problems = _payment_problems(
                state,
                mid,
                entry,
                paid_on=paid_on,
                today=today,
                paid_fen=None,
                note=entry.note,
                ahead_limit=limit,
            )
            if problems:
                raise ValidationError(problems[:1])
            write_payment(db, state, mid, entry, paid_on=paid_on, note=entry.note, source=source)
            written += 1
    return written


def default_paid_on(month: date, *, today: date) -> date:
    """The payment date proposed for a month: today for the current or a later month, else the month's last day."""
    start = month_start(month)
    if month_index(start) >= month_index(today):
        return today
    return add_month(start, 1) - timedelta(days=1)
