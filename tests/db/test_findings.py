"""Inspection findings: open → rectified → closed (销号), reopening recorded, bad input refused, reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from db import audit, projects
from db.errors import ValidationError
from tests.db._project_branch import TODAY, add_people


def _finding(db, owner: str | None = None, **values):  # type: ignore[no-untyped-def]
    v = {
        "found_on": date(2025, 3, 1),
        "source": "上级党委季度检查",
        "problem": "党小组会记录不全",
        "measure": "补齐记录",
        "deadline": date(2025, 3, 31),
        "owner": owner,
        **values,
    }
    return projects.add_finding(db, values=v, today=TODAY)


def _state(db) -> tuple:  # type: ignore[no-untyped-def]
    return (
        db.execute(
            "SELECT group_concat(status || ifnull(rectified_on, '') || ifnull(closed_on, '')) FROM findings"
        ).fetchone()[0],
        db.execute("SELECT count(*) FROM finding_events").fetchone()[0],
        db.execute("SELECT count(*) FROM audit_log").fetchone()[0],
    )


def test_add_and_validate(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    f = _finding(db, owner=p["张一"])
    assert f.status == "open" and f.owner is not None and f.owner.name == "张一"
    assert f.status_label == "待整改"
    before = _state(db)
    with pytest.raises(ValidationError, match="整改时限不能早于发现日期"):
        _finding(db, deadline=date(2025, 2, 1))
    with pytest.raises(ValidationError, match="请填写检查名称"):
        _finding(db, source="  ")
    with pytest.raises(ValidationError, match="发现日期不能晚于今天"):
        _finding(db, found_on=TODAY + timedelta(days=1), deadline=TODAY + timedelta(days=9))
    assert _state(db) == before


def test_close_without_rectification_is_refused(db) -> None:  # type: ignore[no-untyped-def]
    f = _finding(db)
    before = _state(db)
    with pytest.raises(ValidationError) as exc:
        projects.close_finding(db, uuid=f.uuid, closed_on=date(2025, 3, 20), today=TODAY)
    assert exc.value.problems[0].field == "rectified_on"
    assert "未填写整改完成日期，不能销号" in exc.value.message
    assert _state(db) == before
    assert projects.get_finding(db, uuid=f.uuid).status == "open"


def test_rectified_on_bounds(db) -> None:  # type: ignore[no-untyped-def]
    f = _finding(db)
    before = _state(db)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        projects.rectify_finding(db, uuid=f.uuid, rectified_on=TODAY + timedelta(days=1), today=TODAY)
    with pytest.raises(ValidationError, match="不能早于发现日期（2025-03-01）"):
        projects.rectify_finding(db, uuid=f.uuid, rectified_on=date(2025, 2, 28), today=TODAY)
    with pytest.raises(ValidationError, match="请填写整改完成日期"):
        projects.rectify_finding(db, uuid=f.uuid, rectified_on=None, today=TODAY)
    with pytest.raises(ValidationError, match="不能早于发现日期"):
        projects.close_finding(
            db, uuid=f.uuid, rectified_on=date(2025, 2, 1), closed_on=date(2025, 3, 5), today=TODAY
        )
    assert _state(db) == before
    # The found day itself and today are fine.
    g = _finding(db, found_on=TODAY, deadline=TODAY)
    assert projects.rectify_finding(db, uuid=g.uuid, rectified_on=TODAY, today=TODAY).rectified_on == TODAY


def test_rectify_close_reopen(db) -> None:  # type: ignore[no-untyped-def]
    f = _finding(db)
    f = projects.rectify_finding(
        db, uuid=f.uuid, rectified_on=date(2025, 3, 20), evidence="记录已补齐", today=TODAY
    )
    assert (f.status, f.rectified_on, f.evidence) == ("rectified", date(2025, 3, 20), "记录已补齐")
    with pytest.raises(ValidationError, match="只有待整改的问题"):
        projects.rectify_finding(db, uuid=f.uuid, rectified_on=date(2025, 3, 21), today=TODAY)
    with pytest.raises(ValidationError, match="销号日期不能早于整改完成日期"):
        projects.close_finding(db, uuid=f.uuid, closed_on=date(2025, 3, 19), today=TODAY)
    f = projects.close_finding(db, uuid=f.uuid, closed_on=date(2025, 3, 25), evidence="复查合格", today=TODAY)
    assert (f.status, f.closed_on, f.status_label) == ("closed", date(2025, 3, 25), "已销号")
    with pytest.raises(ValidationError, match="已经销号"):
        projects.close_finding(db, uuid=f.uuid, closed_on=date(2025, 3, 26), today=TODAY)
    with pytest.raises(ValidationError, match="重新打开请填写原因"):
        projects.reopen_finding(db, uuid=f.uuid, on=date(2025, 4, 10), reason=" ", today=TODAY)
    f = projects.reopen_finding(db, uuid=f.uuid, on=date(2025, 4, 10), reason="复查发现反弹", today=TODAY)
    assert (f.status, f.rectified_on, f.closed_on) == ("open", None, None)
    assert [(e.action, e.on_date, e.note) for e in f.events] == [
        ("rectify", date(2025, 3, 20), "记录已补齐"),
        ("close", date(2025, 3, 25), "复查合格"),
        ("reopen", date(2025, 4, 10), "复查发现反弹"),
    ]
    news = [e.new for e in audit.history(db, entity_uuid=f.uuid) if e.field == "status"]
    assert news[-1] == "open（2025-04-10）：复查发现反弹"
    with pytest.raises(ValidationError, match="无需重新打开"):
        projects.reopen_finding(db, uuid=f.uuid, on=date(2025, 4, 11), reason="x", today=TODAY)
    # Closing an open finding with its rectification date does both at once.
    f = projects.close_finding(
        db, uuid=f.uuid, rectified_on=date(2025, 4, 20), closed_on=date(2025, 4, 22), today=TODAY
    )
    assert (f.status, f.rectified_on, f.closed_on) == ("closed", date(2025, 4, 20), date(2025, 4, 22))
    assert [e.action for e in f.events][-2:] == ["rectify", "close"]
    assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 1  # never deleted


def test_finding_reminders_at_the_deadline_boundary(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    f = _finding(db, owner=p["王三"], deadline=date(2025, 3, 31))
    assert projects.project_reminders(db, today=date(2025, 3, 31)) == []  # deadline day: not overdue
    assert not projects.get_finding(db, uuid=f.uuid).is_overdue(date(2025, 3, 31))
    [r] = projects.project_reminders(db, today=date(2025, 4, 1))
    assert r.kind == "finding_overdue" and r.since == date(2025, 4, 1) and r.page == "projects"
    assert r.filters == {"tab": "findings", "uuid": f.uuid}
    assert (
        "王三" in r.text
        and "2025-03-31" in r.text
        and "党小组会记录不全" in r.text
        and "已逾期 1 天" in r.text
    )
    assert projects.finding_status_counts(db, today=date(2025, 4, 1))["overdue"] == 1
    projects.rectify_finding(db, uuid=f.uuid, rectified_on=date(2025, 4, 5), today=TODAY)
    assert projects.project_reminders(db, today=date(2025, 4, 6)) == []


def test_list_and_edit(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    a = _finding(db, owner=p["张一"])
    b = _finding(
        db, owner=p["李二"], found_on=date(2024, 11, 1), deadline=date(2024, 11, 30), problem="台账缺签字"
    )
    assert [x.uuid for x in projects.list_findings(db, year=2024)] == [b.uuid]
    assert [x.uuid for x in projects.list_findings(db, owner_uuid=p["张一"])] == [a.uuid]
    assert [x.uuid for x in projects.list_findings(db, query="签字")] == [b.uuid]
    assert {x.uuid for x in projects.list_findings(db, overdue_on=date(2025, 4, 1))} == {a.uuid, b.uuid}
    a = projects.update_finding(db, uuid=a.uuid, changes={"deadline": date(2025, 4, 30)}, today=TODAY)
    assert a.deadline == date(2025, 4, 30)
    assert [e.field for e in audit.history(db, entity_uuid=a.uuid)][-1] == "deadline"
