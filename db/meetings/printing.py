"""What a meeting's printouts say (the layout itself is in desktop/printing): the sign-in sheet (签到表)."""

from __future__ import annotations

from db.branch import get_branch
from db.meetings.queries import get_meeting, list_attendance
from db.meetings.records import STATES, SigninRow, SigninSheet, meeting_when
from db.records import CATEGORIES
from db.store import Database


def branch_name(db: Database) -> str:
    b = get_branch(db)
    return b.name if b else "××党支部"


def signin_sheet(
    db: Database, *, meeting_uuid: str, variant: str = "planned", walk_in_rows: int = 3
) -> SigninSheet:
    """The content of a meeting's sign-in sheet.

    ``planned``: names pre-printed in sign-in order (full members, then probationary, then invited observers),
    signatures blank, 应到 filled; ``blank``: no names, as many blank rows as expected attendees plus the walk-in
    rows; ``filled``: attendance state and reason in 备注 and every count filled. Every variant ends with
    ``walk_in_rows`` blank rows for people who come without being listed.
    """
    if variant not in ("planned", "blank", "filled"):
        raise ValueError(variant)
    m = get_meeting(db, uuid=meeting_uuid)
    att = list_attendance(db, meeting_uuid=meeting_uuid)
    title = f"{branch_name(db)} {m.title}签到表"
    blank = SigninRow(None, "", "", "", "")
    blocks: list[tuple[str, tuple[SigninRow, ...]]] = []
    if variant == "blank":
        rows = tuple(SigninRow(i + 1, "", "", "", "") for i in range(max(m.expected, 10) + walk_in_rows))
        blocks.append(("", rows))
        expected = present = leave = None
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
        expected = m.expected
        present = m.present if variant == "filled" else None
        leave = m.leave if variant == "filled" else None
    return SigninSheet(
        title=title,
        meeting=f"{m.title}（{m.number_text}）" + (f"：{m.topic}" if m.topic else ""),
        when=meeting_when(m),
        place=m.place,
        host=m.host_name,
        recorder=m.recorder_name,
        blocks=tuple(blocks),
        expected=expected,
        present=present,
        leave=leave,
    )
