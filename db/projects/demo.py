"""Demo projects and inspection findings for the demo branch (``db.demo`` calls ``demo_projects``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from db import rows
from db.projects.findings import add_finding, close_finding, rectify_finding, reopen_finding, update_finding
from db.projects.lifecycle import add_progress, record_acceptance, transition_project
from db.projects.service import add_project, update_project
from db.store import Database

_DEMO_PROJECTS: tuple[tuple[str, str, str, str], ...] = (
    # kind, category, title, place
    ("innovation", "technical", "综采工作面液压支架快速移架工艺改进", "3102综采工作面"),
    ("innovation", "operations", "掘进机截割头降尘喷雾改造", "2205掘进工作面"),
    ("innovation", "management", "班组材料消耗定额管理优化", "综采队材料库"),
    ("secretary_project", "party_building", "“党建+安全”双述双评工作法", "全队"),
    ("secretary_project", "operations", "提升综采单产书记攻坚项目", "3102综采工作面"),
    ("improvement", "party_building", "班前会“三分钟讲安全”改善", "井口区队会议室"),
    ("improvement", "management", "井下工具定置管理改善", "井下机修硐室"),
    ("model_post", "operations", "采煤机司机党员示范岗", "3102综采工作面采煤机"),
    ("model_post", "technical", "机电维修党员先锋岗", "中央变电所"),
    ("responsibility_area", "operations", "运输巷党员责任区", "3102运输巷"),
    ("responsibility_area", "management", "回风巷文明生产党员责任区", "3102回风巷"),
    ("commando_team", "operations", "雨季防汛党员突击队", "地面及井下主排水系统"),
    ("commando_team", "technical", "工作面搬家倒面党员突击队", "3103切眼"),
    ("suggestion", "management", "皮带机托辊集中更换建议", "主运输皮带"),
    ("suggestion", "technical", "乳化液泵站自动配比建议", "泵站硐室"),
)
_DEMO_FINDINGS: tuple[tuple[str, str, str], ...] = (
    (
        "上级党委党建工作季度检查",
        "三会一课记录不完整，个别党小组会无记录",
        "补齐记录，党小组长每月报送会议记录",
    ),
    ("上级党委党建工作季度检查", "党员积分公示未按月更新", "指定组织委员每月5日前更新公示栏"),
    ("基层党建述职评议", "书记项目立项书措施不具体", "细化立项书措施，明确节点和责任人"),
    ("党风廉政建设专项检查", "廉洁风险点排查表未签字", "组织相关人员补签并归档"),
    ("安全生产与党建融合检查", "党员责任区标识牌缺失", "重新制作责任区标识牌并上墙"),
    ("党费收缴专项检查", "党费收缴台账缺少本人签字", "补签并规范收缴流程"),
    ("党建工作年度考核", "主题党日活动照片资料归档不及时", "建立活动资料当周归档制度"),
)
_DEMO_PROGRESS = (
    "召开专题会议，明确分工和节点",
    "完成现场调研，形成初步方案",
    "方案经队部审定，开始实施",
    "完成第一阶段试验，效果良好",
    "组织党员骨干现场攻关",
    "总结阶段成果，推广至其他班组",
)


def demo_projects(db: Database, *, rng: Any, today: date) -> None:
    """Demo projects of every kind and category with participants, progress and outcomes, and inspection
    findings in every state (one or more overdue). Deterministic for a given ``rng`` state and ``today``."""
    uuids = _roster(db)
    if len(uuids) < 3:
        return
    for i, (kind, category, title, place) in enumerate(_DEMO_PROJECTS):
        start = today - timedelta(days=rng.randint(60, 330))
        due = start + timedelta(days=rng.randint(90, 300))
        leader = uuids[i % len(uuids)]
        others = [u for u in uuids if u != leader]
        participants = rng.sample(others, min(len(others), rng.randint(2, 5)))
        values: dict[str, Any] = {
            "title": title,
            "kind": kind,
            "category": category,
            "leader": leader,
            "participants": participants,
            "place": place,
            "start_on": start,
            "due_on": due,
            "goal": f"围绕{place}，{title}，年内见到实效",
            "measures": "一是成立攻关小组；二是制定节点计划；三是每月检查推进情况",
        }
        p = add_project(db, values=values, source="demo")
        # Plan: most run, some finish, one stops, a few stay planned.
        fate = i % 5
        if fate == 4 and i > 10:
            continue  # stays planned
        on = min(today, start + timedelta(days=rng.randint(3, 20)))
        transition_project(db, uuid=p.uuid, to="ongoing", on=on, today=today, source="demo")
        day = on
        for note in rng.sample(_DEMO_PROGRESS, rng.randint(1, 4)):
            day = min(today, day + timedelta(days=rng.randint(10, 40)))
            add_progress(db, project_uuid=p.uuid, on=day, note=note, today=today, source="demo")
        if fate in (0, 2) and day < today:
            finish = min(today, day + timedelta(days=rng.randint(1, 20)))
            benefit = rng.randint(2, 60) * 100_000  # 2 000 – 60 000 yuan, in fen
            update_project(
                db,
                uuid=p.uuid,
                changes={"outcome": "达到预期目标，减少停机时间，提高了工效", "benefit_fen": benefit},
                source="demo",
            )
            transition_project(db, uuid=p.uuid, to="done", on=finish, today=today, source="demo")
            record_acceptance(
                db,
                uuid=p.uuid,
                on=finish,
                result=rng.choice(["excellent", "good", "passed"]),
                note="资料齐全，成效明显",
                today=today,
                source="demo",
            )
        elif fate == 3 and i == 13:
            transition_project(
                db, uuid=p.uuid, to="stopped", on=day, reason="设备更新后不再适用", today=today, source="demo"
            )
    for i, (source_name, problem, measure) in enumerate(_DEMO_FINDINGS):
        found = today - timedelta(days=rng.randint(20, 150))
        deadline = found + timedelta(days=rng.randint(10, 30))
        f = add_finding(
            db,
            values={
                "found_on": found,
                "source": source_name,
                "problem": problem,
                "measure": measure,
                "owner": uuids[(i * 3) % len(uuids)],
                "deadline": deadline,
            },
            today=today,
            source="demo",
        )
        state = i % 4
        if state == 0 and i > 0:
            continue  # open (overdue: its deadline is well past)
        if i == 0:
            # One open finding with a deadline still ahead.
            update_finding(
                db, uuid=f.uuid, changes={"deadline": today + timedelta(days=10)}, today=today, source="demo"
            )
            continue
        rect = min(today, found + timedelta(days=rng.randint(5, 25)))
        rectify_finding(
            db, uuid=f.uuid, rectified_on=rect, evidence="整改材料已归档", today=today, source="demo"
        )
        if state >= 2:
            close_finding(
                db,
                uuid=f.uuid,
                closed_on=min(today, rect + timedelta(days=3)),
                evidence="经检查组复查，同意销号",
                today=today,
                source="demo",
            )
        if state == 3:
            reopen_finding(
                db, uuid=f.uuid, on=today, reason="复查发现问题反弹，重新整改", today=today, source="demo"
            )


def _roster(db: Database) -> list[str]:
    """The uuids of the active members, in roster order."""
    return [r["uuid"] for r in rows.query(db, "SELECT uuid FROM members WHERE status = 'active' ORDER BY id")]
