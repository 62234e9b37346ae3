"""Projects: figures on a small fixed branch (expected numbers by hand), status transitions, validation,
progress log, acceptance, reminders at the due-date boundary, monthly rows and the demo."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from db import audit, members, projects
from db.errors import ValidationError
from tests.db._project_branch import TODAY, add_people, project


def _count(db, table: str) -> int:  # type: ignore[no-untyped-def]
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def _go(db, uuid: str, *steps: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    for to, on in steps:
        projects.transition_project(
            db, uuid=uuid, to=to, on=date.fromisoformat(on), reason="原因", today=TODAY
        )


def test_figures_on_a_fixed_branch(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    p1 = project(
        db,
        p,
        title="P1",
        category="technical",
        leader="张一",
        participants=["李二"],
        start_on=date(2025, 1, 10),
        due_on=date(2025, 5, 31),
    )
    _go(db, p1.uuid, ("ongoing", "2025-01-15"), ("done", "2025-05-20"))
    p2 = project(
        db,
        p,
        title="P2",
        kind="secretary_project",
        category="party_building",
        leader="王三",
        start_on=date(2025, 3, 1),
        due_on=date(2025, 12, 31),
    )
    _go(db, p2.uuid, ("ongoing", "2025-03-05"))
    p3 = project(
        db,
        p,
        title="P3",
        kind="improvement",
        category="management",
        leader="李二",
        participants=["赵四"],
        start_on=date(2024, 10, 1),
        due_on=date(2025, 2, 28),
    )
    _go(db, p3.uuid, ("ongoing", "2024-10-05"), ("done", "2025-02-20"))
    p4 = project(
        db,
        p,
        title="P4",
        kind="suggestion",
        category="operations",
        leader="钱五",
        start_on=date(2024, 3, 1),
        due_on=date(2024, 6, 30),
    )
    _go(db, p4.uuid, ("ongoing", "2024-03-02"), ("stopped", "2024-08-01"))
    p5 = project(
        db,
        p,
        title="P5",
        kind="commando_team",
        category="operations",
        leader="周七",
        start_on=date(2025, 2, 1),
    )
    _go(db, p5.uuid, ("stopped", "2025-04-01"))
    members.archive_member(
        db, uuid=p["周七"], status="transferred_out", on=date(2025, 3, 1), reason="调往他矿"
    )
    project(
        db, p, title="P6", kind="model_post", category="technical", leader="钱五", start_on=date(2025, 7, 1)
    )

    f1 = projects.add_finding(
        db,
        values={
            "found_on": date(2025, 2, 1),
            "source": "季度检查",
            "problem": "问题1",
            "deadline": date(2025, 3, 1),
        },
        today=TODAY,
    )
    projects.rectify_finding(db, uuid=f1.uuid, rectified_on=date(2025, 2, 20), today=TODAY)
    projects.close_finding(db, uuid=f1.uuid, closed_on=date(2025, 3, 1), today=TODAY)
    projects.add_finding(
        db,
        values={
            "found_on": date(2025, 5, 1),
            "source": "季度检查",
            "problem": "问题2",
            "deadline": date(2025, 6, 1),
        },
        today=TODAY,
    )
    projects.add_finding(
        db,
        values={
            "found_on": date(2025, 6, 10),
            "source": "季度检查",
            "problem": "问题3",
            "deadline": date(2025, 6, 30),
        },
        today=TODAY,
    )
    f4 = projects.add_finding(
        db,
        values={
            "found_on": date(2024, 12, 1),
            "source": "年度考核",
            "problem": "问题4",
            "deadline": date(2024, 12, 31),
        },
        today=TODAY,
    )
    projects.rectify_finding(db, uuid=f4.uuid, rectified_on=date(2025, 1, 15), today=TODAY)
    f5 = projects.add_finding(
        db,
        values={
            "found_on": date(2025, 4, 1),
            "source": "专项检查",
            "problem": "问题5",
            "deadline": date(2025, 4, 30),
        },
        today=TODAY,
    )
    projects.rectify_finding(db, uuid=f5.uuid, rectified_on=date(2025, 7, 10), today=TODAY)
    f6 = projects.add_finding(
        db,
        values={
            "found_on": date(2025, 1, 5),
            "source": "专项检查",
            "problem": "问题6",
            "deadline": date(2025, 1, 31),
        },
        today=TODAY,
    )
    projects.rectify_finding(db, uuid=f6.uuid, rectified_on=date(2025, 1, 20), today=TODAY)
    projects.reopen_finding(db, uuid=f6.uuid, on=date(2025, 7, 5), reason="反弹", today=TODAY)

    fig = projects.project_figures(db, start=date(2025, 1, 1), end=date(2025, 6, 30))
    # Started in H1 2025: P1 (technical), P2 (party_building), P5 (operations). P3, P4 began in 2024, P6 in July.
    assert fig.started == {"technical": 1, "operations": 1, "management": 0, "party_building": 1}
    assert fig.started_total == 3
    # Done in H1 2025: P1 (technical, 05-20) and P3 (management, 02-20).
    assert fig.done == {"technical": 1, "operations": 0, "management": 1, "party_building": 0}
    assert fig.done_total == 2
    # Of the three started only P1 is done (P5 stopped counts as not done): 1/3.
    assert fig.started_done == 1
    assert fig.completion_rate == pytest.approx(1 / 3)
    # Roster at 06-30: 张一 李二 王三 赵四 钱五 (孙六 joined in September, 周七 left on 03-01) = 5.
    # Running in the period: P1 张一 李二, P2 王三, P3 李二 赵四, P5 周七 (off the roster) → 4 of 5.
    assert fig.members_total == 5
    assert fig.members_participating == 4
    assert fig.participation_rate == pytest.approx(0.8)
    # Findings found in H1: 1, 2, 3, 5, 6; rectified in H1: 1 (02-20), 4 (01-15) and 6 (01-20, reopened only in
    # July); overdue at 06-30: 2 and 5 (3's deadline is 06-30 itself; 6 was rectified at that time).
    assert (fig.findings_found, fig.findings_rectified, fig.findings_overdue) == (5, 3, 2)

    # The second half: P6 started (technical), nothing done; 孙六 joined, 钱五 leads P6; P2 still running.
    fig2 = projects.project_figures(db, start=date(2025, 7, 1), end=date(2025, 12, 31))
    assert fig2.started_total == 1 and fig2.started["technical"] == 1
    assert fig2.done_total == 0
    assert fig2.completion_rate == 0.0
    assert fig2.members_total == 6  # 张一 李二 王三 赵四 钱五 孙六
    assert fig2.members_participating == 2  # 王三 (P2), 钱五 (P6)
    # H2: nothing found; 5 rectified (07-10); open and past deadline at 12-31: 2, 3 and the reopened 6.
    assert (fig2.findings_found, fig2.findings_rectified, fig2.findings_overdue) == (0, 1, 3)

    assert projects.format_rate(fig.completion_rate) == "33.3%"
    assert projects.format_rate(None) == "—"
    with pytest.raises(ValidationError):
        projects.project_figures(db, start=date(2025, 2, 1), end=date(2025, 1, 1))


def test_empty_database_figures(db) -> None:  # type: ignore[no-untyped-def]
    fig = projects.project_figures(db, start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert fig.completion_rate is None and fig.participation_rate is None
    assert fig.started_total == 0 and fig.members_total == 0


def test_status_transitions_allowed_dated_and_audited(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    pr = project(db, p, leader="张一", start_on=date(2025, 1, 1), due_on=date(2025, 6, 30))
    assert pr.status == "planned" and pr.status_on == date(2025, 1, 1)
    with pytest.raises(ValidationError, match="不能改为「已完成」"):
        projects.transition_project(db, uuid=pr.uuid, to="done", on=date(2025, 2, 1), today=TODAY)
    with pytest.raises(ValidationError, match="未知的项目状态"):
        projects.transition_project(db, uuid=pr.uuid, to="finished", on=date(2025, 2, 1), today=TODAY)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        projects.transition_project(db, uuid=pr.uuid, to="ongoing", on=TODAY + timedelta(days=1), today=TODAY)
    with pytest.raises(ValidationError, match="不能早于项目开始日期"):
        projects.transition_project(db, uuid=pr.uuid, to="ongoing", on=date(2024, 12, 31), today=TODAY)
    assert _count(db, "project_transitions") == 0
    moved = projects.update_project(db, uuid=pr.uuid, changes={"start_on": date(2025, 1, 2)})
    assert moved.status_on == date(2025, 1, 2)  # still 立项: dated by its start
    pr = projects.transition_project(db, uuid=pr.uuid, to="ongoing", on=date(2025, 1, 5), today=TODAY)
    assert pr.status == "ongoing" and pr.status_on == date(2025, 1, 5)
    with pytest.raises(
        ValidationError, match="开始日期不能晚于已登记的状态变更、进展或验收日期（2025-01-05）"
    ):
        projects.update_project(db, uuid=pr.uuid, changes={"start_on": date(2025, 1, 6)})
    with pytest.raises(ValidationError, match="不能早于上次状态变更日期"):
        projects.transition_project(db, uuid=pr.uuid, to="done", on=date(2025, 1, 4), today=TODAY)
    with pytest.raises(ValidationError, match="终止项目请填写原因"):
        projects.transition_project(db, uuid=pr.uuid, to="stopped", on=date(2025, 3, 1), today=TODAY)
    pr = projects.transition_project(db, uuid=pr.uuid, to="done", on=date(2025, 6, 1), today=TODAY)
    assert [(t.from_status, t.to_status, t.on_date) for t in pr.transitions] == [
        ("planned", "ongoing", date(2025, 1, 5)),
        ("ongoing", "done", date(2025, 6, 1)),
    ]
    for to in ("planned", "ongoing", "stopped", "done"):
        with pytest.raises(ValidationError):
            projects.transition_project(db, uuid=pr.uuid, to=to, on=date(2025, 7, 1), today=TODAY, reason="x")
    status_entries = [e for e in audit.history(db, entity_uuid=pr.uuid) if e.field == "status"]
    assert [e.old for e in status_entries] == ["planned", "ongoing"]
    assert projects.allowed_transitions("planned") == ("ongoing", "stopped")


def test_bad_input_refused_nothing_saved(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    members.archive_member(
        db, uuid=p["周七"], status="transferred_out", on=date(2025, 3, 1), reason="调往他矿"
    )
    before = (_count(db, "projects"), _count(db, "project_participants"), _count(db, "audit_log"))
    with pytest.raises(ValidationError) as exc:
        project(db, p, leader="张一", start_on=date(2025, 5, 1), due_on=date(2025, 4, 30))
    assert exc.value.problems[0].field == "due_on"
    assert "计划完成日期（2025-04-30）不能早于开始日期（2025-05-01）" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        project(db, p, leader="张一", participants=["李二", "周七"], start_on=date(2025, 4, 1))
    assert (
        "参与人周七已于2025-03-01已转出，早于项目开始日期（2025-04-01），不能参加该项目" in exc.value.message
    )
    with pytest.raises(ValidationError, match="请填写项目名称"):
        project(db, p, title=" ", start_on=date(2025, 4, 1))
    with pytest.raises(ValidationError, match="请选择项目类型"):
        project(db, p, kind="other", start_on=date(2025, 4, 1))
    with pytest.raises(ValidationError, match="效益金额"):
        project(db, p, start_on=date(2025, 4, 1), benefit="12.345")
    assert (_count(db, "projects"), _count(db, "project_participants"), _count(db, "audit_log")) == before
    # 周七 may still be on a project that started before he left.
    ok = project(db, p, leader="周七", participants=["张一"], start_on=date(2025, 2, 1))
    assert ok.leader is not None and ok.leader.name == "周七"
    # An edit that moves the due date before the start is refused too, and changes nothing.
    with pytest.raises(ValidationError):
        projects.update_project(db, uuid=ok.uuid, changes={"due_on": date(2025, 1, 1), "title": "新名称"})
    assert projects.get_project(db, uuid=ok.uuid).title == "项目"


def test_edit_participants_progress_acceptance(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    pr = project(
        db,
        p,
        kind="secretary_project",
        category="party_building",
        leader="张一",
        participants=["李二", "王三"],
        start_on=date(2025, 1, 1),
        due_on=date(2025, 12, 31),
        goal="目标",
        measures="措施",
        place="3102工作面",
        benefit="1,234.5",
    )
    assert pr.benefit_fen == 123450 and projects.fen_to_yuan(pr.benefit_fen) == "1234.50"
    # The leader ticked as a participant too is counted once, as leader.
    both = project(db, p, leader="王三", participants=["王三", "赵四"], start_on=date(2025, 1, 1))
    assert [x.name for x in both.participants] == ["赵四"]
    assert [x.name for x in pr.participants] == ["李二", "王三"]
    pr = projects.update_project(
        db, uuid=pr.uuid, changes={"participants": [p["王三"], p["赵四"]], "outcome": "效率提升"}
    )
    assert [x.name for x in pr.participants] == ["王三", "赵四"] and pr.outcome == "效率提升"
    fields = [(e.field, e.old, e.new) for e in audit.history(db, entity_uuid=pr.uuid)]
    assert ("participants", "移出：李二", None) in fields and ("participants", None, "加入：赵四") in fields
    assert ("outcome", "", "效率提升") in fields
    with pytest.raises(ValidationError, match="进展日期不能早于项目开始日期"):
        projects.add_progress(db, project_uuid=pr.uuid, on=date(2024, 12, 1), note="x", today=TODAY)
    with pytest.raises(ValidationError, match="请填写进展内容"):
        projects.add_progress(db, project_uuid=pr.uuid, on=date(2025, 2, 1), note=" ", today=TODAY)
    projects.add_progress(db, project_uuid=pr.uuid, on=date(2025, 3, 1), note="第二次", today=TODAY)
    pr = projects.add_progress(db, project_uuid=pr.uuid, on=date(2025, 2, 1), note="第一次", today=TODAY)
    assert [(e.on_date, e.note) for e in pr.progress] == [
        (date(2025, 2, 1), "第一次"),
        (date(2025, 3, 1), "第二次"),
    ]
    with pytest.raises(ValidationError, match="尚未实施，不能验收"):
        projects.record_acceptance(db, uuid=pr.uuid, on=date(2025, 12, 20), result="good", today=TODAY)
    projects.transition_project(db, uuid=pr.uuid, to="ongoing", on=date(2025, 1, 2), today=TODAY)
    pr = projects.record_acceptance(
        db, uuid=pr.uuid, on=date(2025, 12, 20), result="excellent", note="好", today=TODAY
    )
    assert (pr.acceptance_on, pr.acceptance_result, pr.acceptance_note) == (
        date(2025, 12, 20),
        "excellent",
        "好",
    )


def test_list_filters(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    a = project(
        db,
        p,
        title="综采提效",
        kind="innovation",
        category="technical",
        leader="张一",
        participants=["李二"],
        start_on=date(2024, 5, 1),
        due_on=date(2024, 12, 31),
    )
    b = project(
        db,
        p,
        title="运输巷责任区",
        kind="responsibility_area",
        category="operations",
        leader="王三",
        place="3102运输巷",
        start_on=date(2025, 2, 1),
    )
    assert [x.uuid for x in projects.list_projects(db, kind="responsibility_area")] == [b.uuid]
    assert [x.uuid for x in projects.list_projects(db, year=2024)] == [a.uuid]
    assert {x.uuid for x in projects.list_projects(db, year=2025)} == {b.uuid}  # a was due in 2024
    assert [x.uuid for x in projects.list_projects(db, member_uuid=p["李二"])] == [a.uuid]
    assert [x.uuid for x in projects.list_projects(db, query="运输巷")] == [b.uuid]
    assert [x.uuid for x in projects.list_projects(db, query="李二")] == [a.uuid]
    assert projects.project_status_counts(db) == {"planned": 2, "ongoing": 0, "done": 0, "stopped": 0}


def test_project_reminders_at_the_due_boundary(db) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    pr = project(db, p, title="快速移架", leader="张一", start_on=date(2025, 1, 1), due_on=date(2025, 6, 30))
    assert projects.project_reminders(db, today=date(2025, 6, 30)) == []
    [r] = projects.project_reminders(db, today=date(2025, 7, 1))
    assert r.kind == "project_overdue" and r.since == date(2025, 7, 1) and r.page == "projects"
    assert r.filters == {"tab": "projects", "uuid": pr.uuid}
    assert "快速移架" in r.text and "张一" in r.text and "2025-06-30" in r.text and "已超期 1 天" in r.text
    projects.transition_project(db, uuid=pr.uuid, to="ongoing", on=date(2025, 1, 2), today=TODAY)
    assert len(projects.project_reminders(db, today=date(2025, 7, 1))) == 1
    projects.transition_project(db, uuid=pr.uuid, to="done", on=date(2025, 7, 1), today=TODAY)
    assert projects.project_reminders(db, today=date(2025, 7, 2)) == []


def test_monthly_rows_and_xlsx(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = add_people(db)
    a = project(
        db,
        p,
        title="=A",
        leader="张一",
        participants=["李二", "王三"],
        start_on=date(2025, 1, 1),
        benefit_fen=50000,
    )
    project(db, p, title="B", leader="张一", start_on=date(2025, 4, 1))
    projects.add_progress(db, project_uuid=a.uuid, on=date(2025, 3, 10), note="三月进展", today=TODAY)
    projects.add_progress(db, project_uuid=a.uuid, on=date(2025, 2, 10), note="二月进展", today=TODAY)
    projects.add_progress(db, project_uuid=a.uuid, on=date(2025, 4, 10), note="四月进展", today=TODAY)
    rows = projects.monthly_project_rows(db, month="2025-03")
    assert [r["title"] for r in rows] == ["=A"]
    assert rows[0]["participants"] == "李二、王三" and rows[0]["latest_progress"] == "2025-03-10 三月进展"
    assert rows[0]["benefit_fen"] == 50000 and rows[0]["uuid"] == a.uuid and rows[0]["kind"] == "innovation"
    assert set(rows[0]) == {c.field for c in projects.PROJECT_COLUMNS}
    assert [r["title"] for r in projects.monthly_project_rows(db, month=date(2025, 4, 15))] == ["=A", "B"]
    f = projects.add_finding(
        db,
        values={
            "found_on": date(2025, 3, 5),
            "source": "检查",
            "problem": "问题",
            "deadline": date(2025, 3, 20),
        },
        today=TODAY,
    )
    [row] = projects.monthly_finding_rows(db, month="2025-03")
    assert row["uuid"] == f.uuid and row["status"] == "open" and row["overdue"] is True
    assert set(row) == {c.field for c in projects.FINDING_COLUMNS}
    assert projects.monthly_finding_rows(db, month="2025-02") == []
    # Registers show the state at the end of the month: rectified in April, closed in May, reopened in June.
    projects.rectify_finding(db, uuid=f.uuid, rectified_on=date(2025, 4, 10), today=TODAY)
    projects.close_finding(db, uuid=f.uuid, closed_on=date(2025, 5, 5), today=TODAY)
    projects.reopen_finding(db, uuid=f.uuid, on=date(2025, 6, 2), reason="反弹", today=TODAY)
    states = {
        m: [
            (r["status"], r["rectified_on"], r["closed_on"], r["overdue"])
            for r in projects.monthly_finding_rows(db, month=m)
        ]
        for m in ("2025-03", "2025-04", "2025-05")
    }
    assert states == {
        "2025-03": [("open", None, None, True)],
        "2025-04": [("rectified", date(2025, 4, 10), None, False)],
        "2025-05": [("closed", date(2025, 4, 10), date(2025, 5, 5), False)],
    }
    [june] = projects.monthly_finding_rows(db, month="2025-06")
    assert (june["status"], june["overdue"]) == ("open", True)
    projects.transition_project(db, uuid=a.uuid, to="ongoing", on=date(2025, 4, 2), today=TODAY)
    projects.transition_project(db, uuid=a.uuid, to="done", on=date(2025, 5, 20), today=TODAY)
    by_month = {
        m: {r["title"]: r["status"] for r in projects.monthly_project_rows(db, month=m)}
        for m in ("2025-03", "2025-04", "2025-05", "2025-06")
    }
    assert by_month == {
        "2025-03": {"=A": "planned"},
        "2025-04": {"=A": "ongoing", "B": "planned"},
        "2025-05": {"=A": "done", "B": "planned"},
        "2025-06": {"B": "planned"},
    }
    figures = projects.monthly_figures(db, month="2025-03")
    assert figures["检查发现问题数"] == 1 and figures["逾期未整改问题数"] == 1 and figures["项目立项数"] == 0

    from openpyxl import load_workbook

    out = projects.write_ledger_xlsx(
        tmp_path / "ledger.xlsx",
        projects=projects.list_projects(db),
        findings=projects.list_findings(db),
        today=date(2025, 3, 31),
        figures=projects.project_figures(db, start=date(2025, 1, 1), end=date(2025, 3, 31)),
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["项目台账", "检查整改", "统计"]
    ws = wb["项目台账"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["项目名称", "项目类型", "类别"]
    titles = {ws.cell(r, 1).value for r in range(2, ws.max_row + 1)}
    assert titles == {"'=A", "B"}  # the leading = is escaped, never a live formula
    benefit_col = header.index("效益金额（元）") + 1
    assert 500.0 in {ws.cell(r, benefit_col).value for r in range(2, ws.max_row + 1)}
    fs = wb["检查整改"]
    assert [c.value for c in fs[2]][6:7] == ["待整改"] and fs.cell(2, 11).value == "是"
    assert wb["统计"]["A1"].value == "统计期间"


def _roster_db(db) -> None:  # type: ignore[no-untyped-def]
    for i, name in enumerate("赵钱孙李周吴郑王冯陈褚卫"):
        members.add_member(
            db, values={"name": name + "师傅", "category": "full", "joined_on": f"20{10 + i}-07-01"}
        )


def _snapshot(db) -> list:  # type: ignore[no-untyped-def]
    ps = [
        (
            x.title,
            x.kind,
            x.category,
            x.status,
            x.start_on,
            x.due_on,
            x.status_on,
            len(x.participants),
            len(x.progress),
            x.benefit_fen,
        )
        for x in projects.list_projects(db)
    ]
    fs = [(f.problem, f.status, f.deadline, f.rectified_on, f.closed_on) for f in projects.list_findings(db)]
    return ps + fs


def test_demo_projects_is_realistic_and_deterministic(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from db import store

    today = date(2026, 6, 15)
    _roster_db(db)
    projects.demo_projects(db, rng=random.Random(7), today=today)
    other = store.open(tmp_path / "other.sqlite")
    try:
        _roster_db(other)
        projects.demo_projects(other, rng=random.Random(7), today=today)
        assert _snapshot(other) == _snapshot(db)
    finally:
        store.close(other)
    ps = projects.list_projects(db)
    assert {x.kind for x in ps} == set(projects.KINDS)
    assert {x.category for x in ps} == set(projects.CATEGORIES)
    assert {x.status for x in ps} == set(projects.PROJECT_STATUSES)
    assert all(x.participants for x in ps) and any(x.progress for x in ps)
    assert any(x.benefit_fen for x in ps if x.status == "done")
    fs = projects.list_findings(db)
    assert {f.status for f in fs} == {"open", "rectified", "closed"}
    assert any(f.is_overdue(today) for f in fs) and any(e.action == "reopen" for f in fs for e in f.events)
    kinds = {r.kind for r in projects.project_reminders(db, today=today)}
    assert "finding_overdue" in kinds
