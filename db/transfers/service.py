"""Transfers of organisational relationship: issuing a letter (转出), its receipt (回执), cancelling, receiving a
member (转入). Every write is one transaction with its audit entries; bad input raises ``ValidationError`` with
Chinese reasons and writes nothing."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from db import audit
from db import members as members_db
from db.errors import Problem, ValidationError, date_problems, raise_if
from db.ids import fresh_uuid
from db.records import STATUSES, Member
from db.rules import CitizenIdError, add_years, normalize_text, parse_citizen_id, parse_date
from db.store import Database, now_iso
from db.transfers.queries import (
    _format_serial,
    _member_or_problem,
    _next_number,
    get_transfer,
    last_paid_month,
    list_transfers,
    transfers_in_progress,
)
from db.transfers.records import (
    DEFAULT_VALIDITY_DAYS,
    DEVELOPMENT_DATES,
    MAX_VALIDITY_DAYS,
    TRANSFER_SCOPES,
    Transfer,
    month_text,
)
from db.transfers.standing import end_current_periods


def validate_transfer_out(
    db: Database,
    *,
    member_uuid: str | None,
    addressee: str,
    to_unit: str,
    dues_paid_to: object,
    validity_days: int | None,
    issued_on: date | None,
    today: date | None = None,
) -> list[Problem]:
    """Problems of a transfer out (all errors): member chosen and on the active roster, addressee and to-unit
    filled in, dues month valid and not after the issue month unless the ledger shows it prepaid, validity 1–90 days, issue date not in the future
    and not before the member joined."""
    today = today or date.today()
    problems: list[Problem] = []
    member = _member_or_problem(db, member_uuid, problems)
    if member is not None and member.status != "active":
        problems.append(
            Problem("member", f"{member.name} 已是「{STATUSES[member.status]}」状态，不能再办理转出")
        )
    elif member is not None:
        problems += _probation_problems(member, issued_on)
        open_letter = transfers_in_progress(db, today=today).get(member.uuid)
        if open_letter is not None:
            problems.append(
                Problem(
                    "member",
                    f"{member.name} 正在转出中（介绍信 {open_letter.serial}，有效期至 {open_letter.valid_until}），"
                    "请先登记回执或撤销该介绍信",
                )
            )
    if not normalize_text(addressee):
        problems.append(Problem("addressee", "请填写介绍信抬头（接收党组织名称）"))
    if not normalize_text(to_unit):
        problems.append(Problem("to_unit", "请填写转往单位"))
    try:
        month = month_text(dues_paid_to)
    except ValueError:
        problems.append(Problem("dues_paid_to", "党费交至月份格式应为 年-月（如 2026-10）"))
        month = None
    if validity_days is None or not 1 <= int(validity_days) <= MAX_VALIDITY_DAYS:
        problems.append(Problem("validity_days", f"有效期应为 1 至 {MAX_VALIDITY_DAYS} 天"))
    if issued_on is None:
        problems.append(Problem("issued_on", "请填写开具日期"))
    else:
        problems += date_problems("issued_on", "开具日期", issued_on, today=today)
        if member is not None and member.joined_on and issued_on < member.joined_on:
            problems.append(Problem("issued_on", "开具日期不能早于该党员加入党组织日期"))
        arrived = _arrived_on(db, member.uuid) if member is not None else None
        if arrived is not None and issued_on < arrived:
            problems.append(
                Problem("issued_on", f"开具日期不能早于该党员转入本支部的日期 {arrived}，请核对开具日期")
            )
        if month and month > f"{issued_on:%Y-%m}" and member is not None:
            # a member who prepaid (预交) is paid up beyond the issue month: allowed up to the ledger's last paid month
            paid = last_paid_month(db, member_uuid=member.uuid, on=issued_on)
            if paid is None or month > paid:
                problems.append(
                    Problem(
                        "dues_paid_to",
                        f"党费交至月份（{month}）晚于开具月份，但党费台账中该党员只交至 {paid or '（无记录）'}；"
                        "预交的党费请先在党费台账登记",
                    )
                )
    return problems


def _arrived_on(db: Database, member_uuid: str) -> date | None:
    """The day of the member's latest valid transfer into this branch (None when they never transferred in)."""
    days = [
        t.issued_on
        for t in list_transfers(db, direction="in", member_uuid=member_uuid)
        if t.status == "valid"
    ]
    return max(days, default=None)


def _probation_problems(member: Member, issued_on: date | None) -> list[Problem]:
    """A warning when a 预备党员's probation year has ended by the issue day without 转正: “凡是预备期已满，尚未办理转正
    手续的，原单位党组织应及时讨论其转正问题，转正后及时转移组织关系”; an extended probation or a late 转正 goes with
    the papers, so the letter is not refused."""
    if member.category != "probationary" or member.joined_on is None or issued_on is None:
        return []
    ended = add_years(member.joined_on, 1)
    if issued_on < ended:
        return []
    return [
        Problem(
            "member",
            f"预备党员 {member.name} 的预备期已于 {ended} 届满（经批准延长预备期的，以延长后的期满日为准），尚未转正："
            "预备期已满的，原单位党组织应及时讨论其转正问题，转正后再转移组织关系；延长预备期或未能按时转正的，"
            "应将理由和能否转正的意见写入《入党志愿书》等材料，随组织关系一并转移",
            warning=True,
        )
    ]


# --- transfers out ----------------------------------------------------------------------------------------


def transfer_out(
    db: Database,
    *,
    member_uuid: str,
    addressee: str,
    to_unit: str,
    issued_on: date,
    dues_paid_to: object = None,
    validity_days: int = DEFAULT_VALIDITY_DAYS,
    notes: str = "",
    today: date | None = None,
    record_uuid: str | None = None,
    whole_unit: bool = False,
) -> Transfer:
    """Issue an introduction letter (``whole_unit``: the member goes with a whole organisation, 整建制转出). The member stays on the roster as 转出中 (counted, expected at meetings, in the
    dues ledger: 教管条例第二十五条, “对组织关系转出但尚未被接收的党员，原所在党组织仍然负有管理责任”) until the receipt
    comes back (``record_receipt``) or the letter's validity ends (``settle_transfers_out``); only then 已转出.

    Assigns the next serial of the issue year. Raises ``ValidationError`` (nothing saved) for the problems of
    ``validate_transfer_out``. ``record_uuid`` fixes the new record's uuid (deterministic demo data).
    """
    raise_if(
        validate_transfer_out(
            db,
            member_uuid=member_uuid,
            addressee=addressee,
            to_unit=to_unit,
            dues_paid_to=dues_paid_to,
            validity_days=validity_days,
            issued_on=issued_on,
            today=today,
        )
    )
    to_unit = normalize_text(to_unit)
    new_uuid = record_uuid or fresh_uuid()
    now = now_iso()
    with db.atomic():
        member = members_db.get_member(db, uuid=member_uuid)
        number = _next_number(db, issued_on.year)
        serial = _format_serial(issued_on.year, number)
        db.execute(
            "INSERT INTO transfers (uuid, direction, serial, serial_year, serial_number, member_id, addressee,"
            " from_unit, to_unit, dues_paid_to, validity_days, issued_on, notes, whole_unit, created_at, updated_at)"
            " VALUES (?, 'out', ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_uuid,
                serial,
                issued_on.year,
                number,
                member.id,
                normalize_text(addressee),
                to_unit,
                month_text(dues_paid_to),
                int(validity_days),
                issued_on.isoformat(),
                normalize_text(notes),
                int(whole_unit),
                now,
                now,
            ],
        )
        audit.Trail(db, "transfer", new_uuid).create("serial", new=f"转出 {serial} {member.name} → {to_unit}")
        end_current_periods(db, member_uuid=member_uuid, on=issued_on, reason=f"已转接组织关系（{serial}）")
    return get_transfer(db, uuid=new_uuid)


def _archive_transferred(db: Database, transfer: Transfer, on: date, why: str) -> None:
    """Take the member of a letter out off the roster as 已转出 on ``on`` (inside the caller's transaction), when
    they are still on it."""
    member = members_db.get_member(db, uuid=transfer.member_uuid)
    if member.status == "active":
        members_db.archive_member(
            db,
            uuid=member.uuid,
            status="transferred_out",
            on=on,
            reason=f"组织关系转出至{transfer.to_unit}（介绍信 {transfer.serial}，{why}）",
        )


def settle_transfers_out(db: Database, *, today: date | None = None) -> list[Transfer]:
    """Members whose letter's validity has ended without a receipt become 已转出 from the day after the last valid
    day (组通字〔2006〕45号: the letter is valid for its stated days). Called when the database is opened and before
    the reminders are gathered; returns the letters settled (none on most days). One transaction."""
    today = today or date.today()
    settled = []
    with db.atomic():
        for t in list_transfers(db, direction="out"):
            until = t.valid_until
            if t.status != "valid" or t.receipt_on or until is None or today <= until:
                continue
            member = members_db.get_member(db, uuid=t.member_uuid)
            if member.status == "active":
                _archive_transferred(db, t, until + timedelta(days=1), f"有效期至 {until.isoformat()} 已满")
                settled.append(t)
    return settled


def record_receipt(db: Database, *, uuid: str, returned_on: date, today: date | None = None) -> Transfer:
    """Record the day the 回执 came back. Refused for a transfer in, a cancelled transfer, a date before the issue
    date or in the future."""
    today = today or date.today()
    transfer = get_transfer(db, uuid=uuid)
    problems = []
    if transfer.direction != "out":
        problems.append(Problem("receipt_on", "只有转出的介绍信才有回执"))
    if transfer.status != "valid":
        problems.append(Problem("receipt_on", f"介绍信 {transfer.serial} 已撤销，不能登记回执"))
    problems += date_problems(
        "receipt_on", "回执日期", returned_on, today=today, after=("开具日期", transfer.issued_on)
    )
    raise_if(problems)
    with db.atomic():
        db.execute(
            "UPDATE transfers SET receipt_on = ?, updated_at = ? WHERE uuid = ?",
            [returned_on.isoformat(), now_iso(), uuid],
        )
        audit.Trail(db, "transfer", uuid).update("receipt_on", old=transfer.receipt_on, new=returned_on)
        # the receiving committee has the member: 已转出 from the receipt (or from the end of the validity, when
        # the letter lapsed before the receipt came back and the member is still listed)
        until = transfer.valid_until
        on = returned_on if until is None or returned_on <= until else until + timedelta(days=1)
        _archive_transferred(db, transfer, on, f"回执 {returned_on.isoformat()} 收回")
    return get_transfer(db, uuid=uuid)


def cancel_transfer(db: Database, *, uuid: str, reason: str) -> Transfer:
    """Cancel a transfer (kept in the register with its reason; its serial is not reused).

    Cancelling a transfer out ends the member's 转出中; a member the letter had already made 已转出 is put back on
    the active roster.
    Refused without a reason, for an already cancelled transfer, or once its receipt has come back.
    """
    reason = normalize_text(reason)
    transfer = get_transfer(db, uuid=uuid)
    problems = []
    if not reason:
        problems.append(Problem("cancel_reason", "请填写撤销原因"))
    if transfer.status == "cancelled":
        problems.append(Problem("status", f"该记录（{transfer.serial}）已撤销"))
    if transfer.receipt_on:
        problems.append(Problem("status", f"介绍信 {transfer.serial} 的回执已收回，不能撤销"))
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        db.execute(
            "UPDATE transfers SET status = 'cancelled', cancel_reason = ?, updated_at = ? WHERE uuid = ?",
            [reason, now_iso(), uuid],
        )
        audit.Trail(db, "transfer", uuid).status("valid", f"cancelled：{reason}", action="archive")
        member = members_db.get_member(db, uuid=transfer.member_uuid)
        if transfer.direction == "out" and member.status == "transferred_out":
            members_db.restore_member(
                db, uuid=member.uuid, reason=f"撤销转出介绍信 {transfer.serial}：{reason}"
            )
    return get_transfer(db, uuid=uuid)


# --- transfers in -----------------------------------------------------------------------------------------


def validate_transfer_in(
    db: Database,
    *,
    values: Mapping[str, Any],
    from_unit: str,
    letter_serial: str,
    arrived_on: date | None,
    development: Mapping[str, Any] | None = None,
    today: date | None = None,
    scope: str = "",
    whole_unit: bool = False,
) -> list[Problem]:
    """Problems of a transfer in (errors and warnings). The citizen ID is required and must be valid: it is how a
    member who comes back is recognised. A member with that ID who is still on the active roster is refused.
    Without 系统内/系统外 (``scope``) a warning: the yearly statistics count the transfer but name it."""
    today = today or date.today()
    problems: list[Problem] = []
    if scope not in ("", *TRANSFER_SCOPES):
        problems.append(Problem("scope", "请选择系统内或系统外"))
    elif not scope and not whole_unit:
        problems.append(Problem("scope", "未选择系统内或系统外：党内统计年报须区分", warning=True))
    if not normalize_text(from_unit):
        problems.append(Problem("from_unit", "请填写转出单位（原所在党组织）"))
    if not normalize_text(letter_serial):
        problems.append(Problem("letter_serial", "请填写介绍信编号"))
    problems += date_problems("arrived_on", "转入日期", arrived_on, today=today)
    cid = normalize_text(values.get("citizen_id", "")).upper()
    existing = None
    if not cid:
        problems.append(Problem("citizen_id", "转入党员必须填写公民身份号码"))
    else:
        try:
            parse_citizen_id(cid, today=today)
        except CitizenIdError as exc:
            problems.append(Problem("citizen_id", str(exc)))
        else:
            existing = members_db.find_by_citizen_id(db, citizen_id=cid)
            if existing is not None and existing.status == "active":
                problems.append(
                    Problem("citizen_id", f"该公民身份号码的党员 {existing.name} 已在册，无需转入")
                )
            elif (
                existing is not None and existing.status_on and arrived_on and arrived_on < existing.status_on
            ):
                # 教管条例第二十五条: a member belongs to one branch at a time, so not back before leaving
                problems.append(
                    Problem(
                        "arrived_on",
                        f"转入日期不能早于 {existing.name} 离开本支部的日期 {existing.status_on}"
                        f"（{STATUSES[existing.status]}），请核对转入日期",
                    )
                )
    dev = _development_dates(development or {}, values, problems)
    for key, d in dev.items():
        if d:
            problems += date_problems(key, DEVELOPMENT_DATES[key], d, today=today)
    order = [k for k in DEVELOPMENT_DATES if dev.get(k)]
    for a, b in itertools.pairwise(order):
        if dev[a] > dev[b]:  # type: ignore[operator]
            problems.append(Problem(b, f"{DEVELOPMENT_DATES[b]}不能早于{DEVELOPMENT_DATES[a]}"))
    member_values = dict(values)
    member_values.update({k: v for k, v in dev.items() if k in ("joined_on", "full_on")})
    if not any(p.field == "citizen_id" for p in problems):
        member_values["citizen_id"] = cid
        problems.extend(
            p
            for p in members_db.validate_member(
                db, values=member_values, uuid=existing.uuid if existing else None, today=today
            )
            if not any(q.field == p.field and q.message == p.message for q in problems)
        )
    return problems


def _development_dates(
    development: Mapping[str, Any], values: Mapping[str, Any], problems: list[Problem]
) -> dict[str, date | None]:
    out: dict[str, date | None] = {}
    for key, label in DEVELOPMENT_DATES.items():
        raw = development.get(key, values.get(key) if key in ("joined_on", "full_on") else None)
        try:
            out[key] = parse_date(raw)
        except ValueError:
            problems.append(Problem(key, f"{label}格式无效"))
            out[key] = None
    return out


def transfer_in(
    db: Database,
    *,
    values: Mapping[str, Any],
    from_unit: str,
    letter_serial: str,
    arrived_on: date,
    development: Mapping[str, Any] | None = None,
    notes: str = "",
    today: date | None = None,
    record_uuid: str | None = None,
    member_uuid: str | None = None,
    scope: str = "",
    whole_unit: bool = False,
) -> Transfer:
    """Receive a member: create them (``db.members.add_member``) or, when an archived member holds the citizen ID,
        restore and update that same record. ``values`` are member fields (name, citizen_id, category, …);
        ``development`` the dates the member brings (``DEVELOPMENT_DATES`` keys; joined_on/full_on also go on the
        member). ``scope`` is 'within' (系统内) or 'outside' (系统外) as the yearly statistics split 转入组织关系, ``whole_unit``
    marks a 整建制 move. ``record_uuid``/``member_uuid`` fix the uuids of new records (deterministic demo data). Raises
        ``ValidationError`` (nothing saved)."""
    problems = validate_transfer_in(
        db,
        values=values,
        from_unit=from_unit,
        letter_serial=letter_serial,
        arrived_on=arrived_on,
        development=development,
        today=today,
        scope=scope,
        whole_unit=whole_unit,
    )
    raise_if(problems)
    dev = _development_dates(development or {}, values, [])
    member_values = {k: v for k, v in values.items() if k in members_db.EDITABLE_FIELDS}
    member_values.update({k: dev[k] for k in ("joined_on", "full_on") if dev.get(k)})
    cid = normalize_text(values["citizen_id"]).upper()
    from_unit = normalize_text(from_unit)
    letter_serial = normalize_text(letter_serial)
    new_uuid = record_uuid or fresh_uuid()
    now = now_iso()
    with db.atomic():
        existing = members_db.find_by_citizen_id(db, citizen_id=cid)
        if existing is not None:
            members_db.restore_member(
                db, uuid=existing.uuid, reason=f"由{from_unit}转入（介绍信 {letter_serial}）"
            )
            member = members_db.update_member(db, uuid=existing.uuid, changes=member_values)
        else:
            member = members_db.add_member(db, values=member_values, member_uuid=member_uuid)
        db.execute(
            "INSERT INTO transfers (uuid, direction, serial, member_id, from_unit, to_unit, issued_on, applied_on,"
            " activist_on, candidate_on, joined_on, full_on, notes, scope, whole_unit, created_at, updated_at)"
            " VALUES (?, 'in', ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_uuid,
                letter_serial,
                member.id,
                from_unit,
                arrived_on.isoformat(),
                *[(dev[k].isoformat() if dev[k] else None) for k in DEVELOPMENT_DATES],  # type: ignore[union-attr]
                normalize_text(notes),
                scope,
                int(whole_unit),
                now,
                now,
            ],
        )
        audit.Trail(db, "transfer", new_uuid).create(
            "serial", new=f"转入 {letter_serial} {member.name} ← {from_unit}"
        )
    return get_transfer(db, uuid=new_uuid)
