"""Issue 14, the roster: the 转正 reminder for every 预备党员, full_on agreeing with joined_on, and one person under
the 15- and 18-digit forms of a 公民身份号码 — each at its boundary and naming its source (quoted in docs/rules.md)."""

from __future__ import annotations

from datetime import date

import pytest

from db import development as dv
from db import members
from db.errors import ValidationError
from db.members import add_member, validate_member
from db.rules import make_citizen_id


@pytest.mark.parametrize(("today", "reminded"), [(date(2026, 10, 31), False), (date(2026, 11, 1), True)])
def test_every_roster_probationary_member_gets_the_full_membership_reminder(
    db, today: date, reminded: bool
) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: 预备党员的预备期为一年…预备期满，党的支部应当及时讨论他能否转为正式党员 — also for a 预备党员 entered
    by hand (joined 2025-12-01, probation ends 2026-12-01; reminded 30 days ahead)."""
    m = add_member(db, values={"name": "周预", "category": "probationary", "joined_on": date(2025, 12, 1)})
    found = [r for r in dv.development_reminders(db, today=today) if r.filters.get("member") == m.uuid]
    assert bool(found) is reminded
    if reminded:
        assert found[0].kind == "probation_ending" and found[0].due == date(2026, 12, 1)
        assert "周预" in found[0].text and found[0].page == "members"


@pytest.mark.parametrize(
    ("full_on", "warned"),
    [
        (date(2021, 6, 1), False),  # one year
        (date(2021, 6, 2), True),
        (date(2021, 11, 30), True),
        (date(2021, 12, 1), False),  # extended 6 months
        (date(2022, 6, 1), False),  # extended 12 months
        (date(2022, 6, 2), True),
    ],
)
def test_full_on_agrees_with_joined_on(db, full_on: date, warned: bool) -> None:  # type: ignore[no-untyped-def]
    """党章第七条: 预备党员的预备期为一年…党员的党龄，从预备期满转为正式党员之日算起 — full_on is joined_on + 1 year,
    or + 1 year and an extension of 6–12 months; otherwise a warning naming both dates."""
    values = {"name": "吴正", "category": "full", "joined_on": date(2020, 6, 1), "full_on": full_on}
    problems = [p for p in validate_member(db, values=values, today=date(2026, 1, 1)) if p.field == "full_on"]
    assert bool(problems) is warned
    if warned:
        assert (
            problems[0].warning
            and "2020-06-01" in problems[0].message
            and str(full_on) in problems[0].message
        )


def test_full_member_without_joined_on_is_incomplete(db) -> None:  # type: ignore[no-untyped-def]
    """Issue 14: a 正式党员 without 加入党组织日期 is incomplete (党龄 cannot be checked) and said so."""
    problems = validate_member(db, values={"name": "郑缺", "category": "full"}, today=date(2026, 1, 1))
    assert [(p.field, p.warning) for p in problems] == [("joined_on", True)]


# --- identity: the 15- and 18-digit forms of one 公民身份号码 (issue 14) ------------------------------------------

_CID18 = make_citizen_id("140202", date(1968, 4, 1), 123)  # born 1968: it had a 15-digit form
_CID15 = _CID18[:6] + _CID18[8:17]


def test_fifteen_and_eighteen_digit_forms_are_one_person_everywhere(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """GB 11643 (the 18-digit number is the 15-digit one with the century and a check character): one person on the
    roster (add and edit), in the HQ import's matching and in a transfer in."""
    from openpyxl import Workbook

    from db.rules import citizen_id_forms
    from db.transfers.service import validate_transfer_in
    from db.workbook import merge

    assert citizen_id_forms(_CID15) == (_CID15, _CID18) and citizen_id_forms(_CID18) == (_CID18, _CID15)
    assert citizen_id_forms(make_citizen_id("140202", date(2001, 4, 1), 123)) == (
        make_citizen_id("140202", date(2001, 4, 1), 123),
    )  # born 2001: no 15-digit form
    old = members.add_member(db, values={"name": "老张", "category": "full", "citizen_id": _CID15})
    assert members.find_by_citizen_id(db, citizen_id=_CID18) == old
    with pytest.raises(ValidationError, match="已属于党员 老张"):
        members.add_member(db, values={"name": "张某", "category": "full", "citizen_id": _CID18})
    other = members.add_member(
        db,
        values={
            "name": "小李",
            "category": "full",
            "citizen_id": make_citizen_id("140202", date(1990, 1, 1), 11),
        },
    )
    with pytest.raises(ValidationError, match="已属于党员 老张"):
        members.update_member(db, uuid=other.uuid, changes={"citizen_id": _CID18})
    members.update_member(
        db, uuid=old.uuid, changes={"citizen_id": _CID18}
    )  # the same person: not a duplicate
    members.update_member(db, uuid=old.uuid, changes={"citizen_id": _CID15})
    problems = validate_transfer_in(
        db,
        values={"name": "老张", "citizen_id": _CID18, "category": "full"},
        from_unit="某矿党委",
        letter_serial="001",
        arrived_on=date(2026, 1, 5),
        today=date(2026, 6, 1),
    )
    assert any("已在册" in p.message for p in problems)
    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "人员类别", "工作岗位"])
    ws.append(["老张", _CID18, "正式党员", "调度员"])
    wb.save(tmp_path / "hq.xlsx")
    preview = merge.preview_import(db, path=tmp_path / "hq.xlsx")
    assert preview.rows[0].member_uuid == old.uuid and preview.counts["changed"] == 1


@pytest.mark.parametrize(
    ("region", "sequence", "warned"),
    [
        ("110101", 1, False),  # 北京, order 001
        ("100101", 1, True),  # 10: no province has it
        ("650101", 1, False),  # 65 新疆, the last province
        ("660101", 1, True),
        ("820101", 1, False),  # 82 澳门
        ("140202", 0, True),  # order code 000
    ],
)
def test_unissued_address_code_or_order_000_is_a_warning(
    db, region: str, sequence: int, warned: bool
) -> None:  # type: ignore[no-untyped-def]
    """GB 11643 / GB/T 2260: the first two digits are a province code (11–15, 21–23, 31–37, 41–46, 50–54, 61–65,
    71, 81–83) and the order code is never 000 — a warning to check the number, not an error (the member saves)."""
    cid = make_citizen_id(region, date(1990, 5, 6), sequence)
    problems = members.validate_member(db, values={"name": "王五", "category": "full", "citizen_id": cid})
    notes = [p for p in problems if p.field == "citizen_id"]
    assert bool(notes) is warned and all(p.warning for p in notes)
    members.add_member(db, values={"name": "王五", "category": "full", "citizen_id": cid})
