"""What a meeting's printouts say (the layout itself is in desktop/printing): the sign-in sheet (签到表)."""

from __future__ import annotations

from db import rows
from db.branch import get_branch
from db.meetings.queries import expected_members, get_meeting, list_attendance, sign_in_order
from db.meetings.records import STATES, Attendance, Meeting, SigninRow, SigninSheet, meeting_when, on_roster
from db.members import list_members
from db.records import CATEGORIES
from db.store import Database

RECORDED_STATES = ("present", "leave", "absent")


def branch_name(db: Database) -> str:
    b = get_branch(db)
    return b.name if b else "××党支部"


def attendance_frozen(db: Database, m: Meeting) -> bool:
    """Is the expected list of a meeting fixed? Once the meeting is held or cancelled, or anyone's attendance is
    recorded, the list is what was recorded; before that it follows the roster (``sheet_attendance``)."""
    if m.status != "planned":
        return True
    return any(a.state in RECORDED_STATES for a in list_attendance(db, meeting_uuid=m.uuid))


def sheet_attendance(db: Database, m: Meeting) -> list[Attendance]:
    """The attendance a sign-in sheet lists, in sign-in order.

    Until attendance is recorded (``attendance_frozen``) the list follows the roster: a member no longer on it on
    the meeting's day (transferred out, removed) or whose standing is suspended drops, and a member added to the
    roster after the meeting was planned who would be expected at it (``expected_members``) appears. Anyone the
    secretary left out or added by hand when planning stays so. Once frozen, the recorded attendance as it is.
    """
    stored = list_attendance(db, meeting_uuid=m.uuid)
    if attendance_frozen(db, m):
        return stored
    members = {x.uuid: x for x in list_members(db, status=None)}

    def still_expected(a: Attendance) -> bool:
        if a.member_uuid is None or a.state == "observer":
            return True
        x = members.get(a.member_uuid)
        return x is not None and on_roster(x, m.planned_on) and x.standing == "normal"

    kept = [a for a in stored if still_expected(a)]
    listed = {a.member_uuid for a in stored}
    created = rows.query_one(db, "SELECT created_at FROM meetings WHERE uuid = ?", [m.uuid])
    planned_at = str(created["created_at"]) if created else ""
    for x, category in expected_members(
        db, kind=m.kind, on=m.planned_on, party_group_uuid=m.party_group_uuid
    ):
        if x.uuid not in listed and x.created_at > planned_at:
            kept.append(Attendance("", x.uuid, x.name, category, x.party_group_name, "expected", "", 0))
    return sign_in_order(db, kept)


def _details(m: Meeting) -> tuple[tuple[str, str], ...]:
    """The kind's own header lines: the 党课's lecturer and title, the 主题党日's theme, else the topic."""
    if m.kind == "party_lecture":
        return (("授课人", m.lecturer or "＿＿＿＿＿＿"), ("党课题目", m.topic))
    if m.kind == "theme_day":
        return (("活动主题", m.topic),)
    if m.lecturer:
        return (("议题", m.topic), ("授课人", m.lecturer))
    return (("议题", m.topic),) if m.topic else ()


def signin_sheet(
    db: Database, *, meeting_uuid: str, variant: str = "planned", walk_in_rows: int = 3
) -> SigninSheet:
    """The content of a meeting's sign-in sheet.

    ``planned``: names pre-printed in sign-in order (full members, then probationary, then invited observers in
    their own 列席 block), signatures blank, 应到 filled; ``blank``: no names, as many blank rows as expected
    attendees plus the walk-in rows; ``filled``: attendance state and reason in 备注 and every count filled
    (应到 = 实到 + 请假 + 缺席). Every variant ends with ``walk_in_rows`` blank rows for people who come without being
    listed. Until attendance is recorded the names follow the roster (``sheet_attendance``).
    """
    if variant not in ("planned", "blank", "filled"):
        raise ValueError(variant)
    m = get_meeting(db, uuid=meeting_uuid)
    att = sheet_attendance(db, m)
    expected_count = sum(1 for a in att if a.state != "observer")
    title = f"{branch_name(db)} {m.title}签到表"
    blank = SigninRow(None, "", "", "", "")
    blocks: list[tuple[str, tuple[SigninRow, ...]]] = []
    present = leave = absent = None
    if variant == "blank":
        rows_ = tuple(SigninRow(i + 1, "", "", "", "") for i in range(max(expected_count, 10) + walk_in_rows))
        blocks.append(("", rows_))
        expected = None
    else:
        n = 0
        for cat, heading in (("full", "正式党员"), ("probationary", "预备党员")):
            part = [a for a in att if a.member_uuid and a.state != "observer" and a.category == cat]
            if not part:
                continue
            rows_list = []
            for a in part:
                n += 1
                note = ""
                if variant == "filled" and a.state != "expected":
                    note = STATES[a.state] + (f"：{a.reason}" if a.reason else "")
                elif a.state == "leave":
                    note = f"请假：{a.reason}"
                rows_list.append(SigninRow(n, a.name, CATEGORIES[cat][:2], a.party_group_name, note))
            blocks.append((f"{heading}（{len(part)} 人）", tuple(rows_list)))
        observers = [a for a in att if a.state == "observer"]
        if observers:
            rows_list = []
            for a in observers:
                n += 1
                rows_list.append(SigninRow(n, a.name, "列席", a.party_group_name, a.reason))
            blocks.append((f"列席人员（{len(observers)} 人）", tuple(rows_list)))
        blocks.append(("其他到会人员", tuple(blank for _ in range(walk_in_rows))))
        expected = expected_count
        if variant == "filled":
            present = sum(1 for a in att if a.state == "present")
            leave = sum(1 for a in att if a.state == "leave")
            absent = expected - present - leave  # everyone expected who neither came nor asked for leave
    return SigninSheet(
        title=title,
        meeting=f"{m.title}（{m.number_text}）",
        when=meeting_when(m),
        place=m.place,
        host=m.host_name,
        recorder=m.recorder_name,
        blocks=tuple(blocks),
        expected=expected,
        present=present,
        leave=leave,
        absent=absent,
        details=_details(m),
        meeting_uuid=m.uuid,
    )
