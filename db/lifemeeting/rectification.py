"""The 整改清单 of a 组织生活会 (支部工作条例第十七条: 会后制定整改措施，逐一整改落实) and the figures of its
情况报告 for the upper 党委.

Each item is a finding of the 检查整改 page (``db.projects.findings``) linked to the meeting (``findings.meeting_id``),
its 检查名称 the meeting's title: it is rectified, closed (销号) and reopened there, by the findings workflow, and
its overdue reminder comes from there.
"""

from __future__ import annotations

from datetime import date

from db.errors import Problem, ValidationError
from db.lifemeeting.preparation import life_meeting, list_criticism, list_materials, list_opinions, typed_date
from db.lifemeeting.records import OPINION_SOURCES, LifeMeetingReport
from db.lifemeeting.talks import talk_pairs
from db.meetings import branch_name, list_attendance
from db.projects import FINDING_STATUSES, Finding, add_finding, list_findings
from db.projects.common import plain
from db.store import Database


def list_items(db: Database, *, meeting_uuid: str) -> list[Finding]:
    """The 整改清单 of a 组织生活会: its findings, in the order they were listed."""
    return sorted(list_findings(db, meeting_uuid=meeting_uuid), key=lambda f: f.id)


def add_item(
    db: Database,
    *,
    meeting_uuid: str,
    problem: str,
    measure: str,
    owner_uuid: str | None,
    deadline: date | str | None,
    today: date | None = None,
) -> Finding:
    """Put an item on the 整改清单 of a held 组织生活会: a finding (待整改) found on the meeting's day, its 检查名称 the
    meeting's title, with the problem, the measure (整改措施), the owner (责任人) and the deadline (整改时限), all
    required. Raises ``ValidationError`` (nothing saved)."""
    problems = []
    if not plain(measure):
        problems.append(Problem("measure", "请填写整改措施"))
    if not owner_uuid:
        problems.append(Problem("owner", "请选择责任人"))
    with db.atomic():
        m = life_meeting(db, meeting_uuid)
        if m.status != "held":
            problems.insert(0, Problem("meeting", "组织生活会召开后才能列入整改清单（请先登记召开情况）"))
        if problems:
            raise ValidationError(problems)
        values = {
            "found_on": m.held_on,
            "source": m.title,
            "problem": problem,
            "measure": measure,
            "owner": owner_uuid,
            "deadline": typed_date(deadline),
        }
        return add_finding(db, values=values, today=today, meeting_id=m.id)


def report(db: Database, *, meeting_uuid: str, today: date | None = None) -> LifeMeetingReport:
    """The figures of the 组织生活会情况报告 on ``today`` (default today)."""
    today = today or date.today()
    m = life_meeting(db, meeting_uuid)
    attendance = list_attendance(db, meeting_uuid=meeting_uuid)
    opinions = dict.fromkeys(OPINION_SOURCES, 0)
    for o in list_opinions(db, meeting_uuid=meeting_uuid):
        opinions[o.source_kind] += 1
    pairs = talk_pairs(db, meeting_uuid=meeting_uuid)
    materials = list_materials(db, meeting_uuid=meeting_uuid)
    items = list_items(db, meeting_uuid=meeting_uuid)
    counts = dict.fromkeys(FINDING_STATUSES, 0)
    for f in items:
        counts[f.status] += 1

    def names(state: str) -> tuple[str, ...]:
        return tuple(
            f"{a.name}（{a.reason}）" if a.reason else a.name for a in attendance if a.state == state
        )

    return LifeMeetingReport(
        meeting_uuid=m.uuid,
        title=m.title,
        branch_name=branch_name(db),
        held_on=m.held_on,
        held=m.status == "held",
        place=m.place,
        host=m.host_name,
        topic=m.topic,
        content=m.content,
        expected=m.expected,
        present=m.present,
        leave=m.leave,
        absent=m.absent,
        leave_names=names("leave"),
        absent_names=names("absent"),
        opinions=opinions,
        talks_expected=len(pairs),
        talks_held=sum(1 for p in pairs if not p.missing),
        materials_expected=len(materials),
        materials_submitted=sum(1 for x in materials if x.submitted_on is not None),
        criticism_recorded=sum(1 for c in list_criticism(db, meeting_uuid=meeting_uuid) if c.recorded),
        items=counts,
        overdue=sum(1 for f in items if f.is_overdue(today)),
    )
