"""The printouts that have a Word form, the fields each offers a template, and where a branch's own template lives.

A Word form is one ``WordForm`` entry in ``FORMS``: the printout's kind (the name ``branchdesk print`` uses), its
default template in ``resources/word/`` (built by ``desktop.word.defaults``), its fields (name, meaning, a sample
value: the documentation and the check of a branch's template both come from them) and ``context``, which picks
the record the way the PDF printout does and returns its fields. docs/word-templates.md says how to add one.

**The branch's own template** is kept in the attachment store (owner kind ``template``, owner id = the form's
kind), not as a path in the settings: a path names a file on one computer and is lost with it, while the store is
encrypted with the database password, travels in every backup and restore, is checksummed by ``branchdesk check``,
and a replaced template goes to the 回收站 with who and when in the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db import appraisal, attachments, meetings
from db.appraisal.records import GRADE_KEYS
from db.attachments.records import Attachment
from db.meetings.records import GRADES
from db.rules import date_text
from db.store import Database
from desktop.paths import RESOURCES
from desktop.printing import catalogue
from desktop.word.render import TemplateError, fill, multiline, write

TEMPLATE_KIND = "template"  # attachments.owner_kind of a branch's own template
FOLDER = RESOURCES / "word"


@dataclass(frozen=True)
class Field:
    name: str  # as written in the template: {{ name }}
    meaning: str  # for docs/word-templates.md and the settings dialog
    sample: Any  # a value of the right shape: a template is checked against these before it is saved


@dataclass(frozen=True)
class WordForm:
    kind: str  # the printout's kind (catalogue.PRINTOUTS)
    name: str  # what the secretary calls it
    template: str  # the default template's file name in resources/word/
    fields: tuple[Field, ...]
    context: Callable[[Database, catalogue.Selection], tuple[dict[str, Any], str]]  # fields, file name stem

    def sample(self) -> dict[str, Any]:
        return {f.name: f.sample for f in self.fields}


# --- the fields every meeting's form has ------------------------------------------------------------------------

HEADCOUNT = (
    Field("expected", "应到人数", 10),
    Field("present", "实到人数", 9),
    Field("leave", "请假人数", 1),
    Field("absent", "缺席人数", 0),
)
# The fields of the minutes and of the 组织生活会情况报告 that mean the same (their own follow in each form).
MEETING_FIELDS = (
    Field("branch", "支部名称", "第一党支部"),
    Field("date", "会议日期（2026年03月05日）", "2026年03月05日"),
    Field("place", "地点", "三楼会议室"),
    Field("host", "主持人", "李明"),
    *HEADCOUNT,
    Field("content", "会议内容（保留换行）", "会议内容"),
    Field("paragraphs", "与打印件相同的全部段落，每项：label 标题、text 内容（简单模板可只用它）", []),
)


def headcount(meeting: Any) -> dict[str, int]:
    """The ``HEADCOUNT`` fields of a meeting (or of a report on one)."""
    return {f.name: getattr(meeting, f.name) for f in HEADCOUNT}


def paragraphs_field(paragraphs: Sequence[Any]) -> list[dict[str, str]]:
    """The ``paragraphs`` field: the printout's paragraphs, each its label and text."""
    return [{"label": p.label, "text": p.text} for p in paragraphs]


# --- minutes ---------------------------------------------------------------------------------------------------

_ITEM = {"seq": 1, "subject": "接收张三为预备党员", "votes": "赞成 9 票，反对 0 票，弃权 0 票。"}
MINUTES_FIELDS = (
    *MEETING_FIELDS,
    Field("heading", "标题：支部名称 + 会议类型 +「记录」", "第一党支部 支部党员大会记录"),
    Field("title", "会议类型（支部党员大会、支部委员会、党小组会、党课、主题党日……）", "支部党员大会"),
    Field("number", "本年度第几次（如「2026年第3次」）", "2026年第3次"),
    Field("time", "时间（日期、星期、起止时刻）", "2026年03月05日（星期四）14:30—16:00"),
    Field("recorder", "记录人", "王芳"),
    Field("lecturer", "授课人（党课；其他会议为空）", ""),
    Field("topic", "议题", "讨论接收预备党员"),
    Field("observers", "列席人数", 0),
    Field("present_names", "出席人员姓名（以、分隔）", "李明、王芳"),
    Field("leave_names", "请假人员及原因", "赵强（出差）"),
    Field("absent_names", "缺席人员及原因", ""),
    Field("observer_names", "列席人员", ""),
    Field("attendance", "每人一项的出席名单：name 姓名、state 出席/请假/缺席/列席、reason 原因", []),
    Field("quorum", "法定人数的判断（不适用时为空）", "应到 10 人，到会 9 人，至少需 6 人，符合规定"),
    Field("speaking_points", "发言要点（保留换行）", "发言要点"),
    Field(
        "decisions",
        "表决事项，每项：seq 序号、subject 事项、votes 票数、resolution 决议、flag 未达法定人数时的提示",
        [{**_ITEM, "resolution": "同意", "flag": ""}],
    ),
    Field("grades", "民主评议等次，每项：grade 等次、count 人数、names 姓名", []),
    Field("amendments", "锁定后的更正，每项：on 日期、field 项目、old 原为、new 改为、reason 原因", []),
    Field("locked", "锁定说明（未锁定为空）", ""),
    Field("printed_on", "生成日期", "2026年03月06日"),
)
_STATES = {"present": "出席", "leave": "请假", "absent": "缺席", "observer": "列席"}


def _names(att: list[Any], state: str, *, reasons: bool) -> str:
    return "、".join(
        f"{a.name}（{a.reason}）" if reasons and a.reason else a.name for a in att if a.state == state
    )


def minutes_context(db: Database, sel: catalogue.Selection) -> tuple[dict[str, Any], str]:
    from desktop.printing.minutes import (
        minutes_paragraphs,
    )  # the printed paragraphs (a Qt module: import here)

    m = catalogue.pick_meeting(db, sel, held=True)
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    q = meetings.quorum(db, meeting_uuid=m.uuid)
    heading, paragraphs = minutes_paragraphs(db, meeting_uuid=m.uuid)
    grades: dict[str, list[str]] = {}
    for g in appraisal.meeting_grades(db, meeting_uuid=m.uuid):  # the round's 支部评定
        grades.setdefault(g.grade, []).append(g.member_name)
    fields = {
        "branch": meetings.branch_name(db),
        "heading": heading,
        "title": m.title,
        "number": m.number_text,
        "date": date_text(m.held_on),
        "time": meetings.meeting_when(m),
        "place": m.place,
        "host": m.host_name,
        "recorder": m.recorder_name,
        "lecturer": m.lecturer,
        "topic": m.topic,
        **headcount(m),
        "observers": m.observers,
        "present_names": _names(att, "present", reasons=False),
        "leave_names": _names(att, "leave", reasons=True),
        "absent_names": _names(att, "absent", reasons=True),
        "observer_names": _names(att, "observer", reasons=True),
        "attendance": [
            {"name": a.name, "state": _STATES.get(a.state, a.state), "reason": a.reason} for a in att
        ],
        "quorum": (
            f"{q.rule}：应到 {q.entitled} 人，到会 {q.present} 人，至少需 {q.needed} 人，"
            f"{'符合' if q.met else '不符合'}规定"
            if q.applies
            else ""
        ),
        "content": multiline(m.content or "（未填写）"),
        "speaking_points": multiline(m.speaking_points or "（未填写）"),
        "decisions": [
            {
                "seq": d.seq,
                "subject": d.subject,
                "votes": (
                    f"赞成 {d.votes_for} 票，反对 {d.votes_against} 票，弃权 {d.votes_abstain} 票。"
                    if d.votes_for is not None
                    else "未表决。"
                ),
                "resolution": d.resolution or "无",
                "flag": d.flags,
            }
            for d in meetings.list_decisions(db, meeting_uuid=m.uuid)
        ],
        "grades": [
            {"grade": label, "count": len(grades[key]), "names": "、".join(grades[key])}
            for key, label in meetings.GRADES.items()
            if key in grades
        ],
        "amendments": [
            {
                "on": a.at.isoformat()[:10],
                "field": meetings.FIELD_LABELS.get(a.field, a.field),
                "old": a.old or "",
                "new": a.new or "",
                "reason": a.reason,
            }
            for a in meetings.list_amendments(db, meeting_uuid=m.uuid)
        ],
        "locked": f"本记录已于 {(m.locked_at or '').replace('T', ' ')[:16]} 锁定" if m.locked else "",
        "paragraphs": paragraphs_field(paragraphs),
        "printed_on": date_text(sel.day),
    }
    return fields, f"{m.title}记录{m.held_on.isoformat()}"


# --- the transfer letter -------------------------------------------------------------------------------------------

LETTER_FIELDS = (
    Field("serial", "介绍信编号", "2026-001"),
    Field("addressee", "介绍信抬头（接收党组织）", "中共某某委员会组织部"),
    Field("name", "党员姓名", "张三"),
    Field("gender", "性别", "男"),
    Field("age", "年龄", "35"),
    Field("ethnicity", "民族", "汉族"),
    Field("category", "正式 / 预备", "正式"),
    Field("citizen_id", "公民身份号码（介绍信要求完整填写）", "110101199001011234"),
    Field("from_unit", "由（转出单位）", "第一党支部"),
    Field("to_unit", "去（转入单位）", "某某公司党委"),
    Field("dues_month", "党费交到（大写，如贰零贰陆年拾月）", "贰零贰陆年拾月"),
    Field("validity", "有效期天数（大写）", "叁拾"),
    Field("issued_on", "开具日期（大写）", "贰零贰陆年拾月拾伍日"),
    Field("issuer", "开具的党组织（本支部）", "第一党支部"),
    Field("upper", "上级党委（回执寄回处）", "某某煤业公司党委"),
)


def letter_context(db: Database, sel: catalogue.Selection) -> tuple[dict[str, Any], str]:
    t, data = catalogue.pick_letter(db, sel)
    fields = {f.name: getattr(data, f.name) for f in LETTER_FIELDS}
    return fields, f"组织关系介绍信{t.serial}"


# --- the 组织生活会情况报告 ---------------------------------------------------------------------------------------

LIFE_FIELDS = (
    *MEETING_FIELDS,
    Field("heading", "标题：支部名称 + 会议名称 +「情况报告」", "第一党支部 2025年度组织生活会情况报告"),
    Field("title", "会议名称", "2025年度组织生活会"),
    Field("held", "是否已召开：空，或「（尚未召开）」", ""),
    Field("leave_names", "请假人员（以、分隔；无则为「无」）", "赵强"),
    Field("absent_names", "缺席人员（以、分隔；无则为「无」）", "无"),
    Field("topic", "会议主题", "学习贯彻党的创新理论"),
    Field("opinions_total", "征求意见总条数", 6),
    Field("opinions", "征求意见按来源，每项：source 来源（党员/群众/上级党委）、count 条数", []),
    Field("opinions_text", "征求意见按来源的一句话（党员 3 条，群众 2 条，上级党委 1 条）", "党员 3 条"),
    Field("talks_expected", "谈心谈话应谈对数", 12),
    Field("talks_held", "谈心谈话已谈对数", 12),
    Field("talks_missing", "谈心谈话未谈对数", 0),
    Field("materials_expected", "应交对照检查材料份数", 10),
    Field("materials_submitted", "已交对照检查材料份数", 10),
    Field("criticism", "批评与自我批评作了记录的党员人数", 9),
    Field("items_total", "整改事项总数", 3),
    Field("item_states", "整改事项按状态，每项：state 状态、count 项数", []),
    Field(
        "item_states_text", "整改事项按状态的一句话（未整改 1 项，已整改 1 项，已销号 1 项）", "未整改 1 项"
    ),
    Field("overdue", "逾期未整改的项数", 0),
    Field(
        "items",
        "整改事项，每项：seq 序号、problem 问题、measure 措施、owner 责任人、deadline 时限、state 状态、"
        "closed_on 销号日期（未销号为空）",
        [],
    ),
    Field("printed_on", "生成日期", "2026年01月25日"),
)


def life_meeting_context(db: Database, sel: catalogue.Selection) -> tuple[dict[str, Any], str]:
    from db import lifemeeting
    from db.projects import FINDING_STATUSES
    from desktop.printing.life_meeting import report_paragraphs  # the printed paragraphs (a Qt module)

    m = catalogue.pick_life_meeting(db, sel)
    r = lifemeeting.report(db, meeting_uuid=m.uuid, today=sel.day)
    heading, paragraphs = report_paragraphs(db, meeting_uuid=m.uuid, today=sel.day)
    opinions = [
        {"source": label, "count": r.opinions[key]} for key, label in lifemeeting.OPINION_SOURCES.items()
    ]
    states = [{"state": label, "count": r.items[key]} for key, label in FINDING_STATUSES.items()]
    fields = {
        "branch": r.branch_name,
        "heading": heading,
        "title": r.title,
        "held": "" if r.held else "（尚未召开）",
        "date": date_text(r.held_on),
        "place": r.place or "（未填写）",
        "host": r.host or "（未填写）",
        **headcount(r),
        "leave_names": "、".join(r.leave_names) or "无",
        "absent_names": "、".join(r.absent_names) or "无",
        "topic": r.topic or "（未填写）",
        "content": multiline(r.content or "（未填写）"),
        "opinions_total": r.opinions_total,
        "opinions": opinions,
        "opinions_text": "，".join(f"{o['source']} {o['count']} 条" for o in opinions),
        "talks_expected": r.talks_expected,
        "talks_held": r.talks_held,
        "talks_missing": r.talks_expected - r.talks_held,
        "materials_expected": r.materials_expected,
        "materials_submitted": r.materials_submitted,
        "criticism": r.criticism_recorded,
        "items_total": r.items_total,
        "item_states": states,
        "item_states_text": "，".join(f"{s['state']} {s['count']} 项" for s in states),
        "overdue": r.overdue,
        "items": [
            {
                "seq": i,
                "problem": f.problem,
                "measure": f.measure or "（未填写）",
                "owner": f.owner.name if f.owner else "未定",
                "deadline": date_text(f.deadline),
                "state": f.status_label,
                "closed_on": date_text(f.closed_on) if f.closed_on else "",
            }
            for i, f in enumerate(lifemeeting.list_items(db, meeting_uuid=m.uuid), 1)
        ],
        "paragraphs": paragraphs_field(paragraphs),
        "printed_on": date_text(sel.day),
    }
    return fields, f"{r.title}情况报告"


# --- the 民主评议结果 report --------------------------------------------------------------------------------------

APPRAISAL_FIELDS = (
    Field("branch", "支部名称", "第一党支部"),
    Field(
        "heading", "标题：支部名称 + 年度 +「民主评议党员结果报告」", "第一党支部2025年度民主评议党员结果报告"
    ),
    Field("year", "评议年度", 2025),
    Field("taking", "参评党员人数", 10),
    Field("graded", "其中评定等次的正式党员人数", 9),
    Field("probationary", "参评不评定等次的预备党员人数", 1),
    Field("measured_on", "民主测评日期（未登记为「（未登记）」）", "2026年01月15日"),
    Field("ballots", "收回测评票张数（未登记为「—」）", "9"),
    Field("decided_on", "支部评定日期（未登记为「（未登记）」）", "2026年01月20日"),
    Field("excellent", "评定为优秀的人数", 2),
    Field("qualified", "评定为合格的人数", 6),
    Field("basically_qualified", "评定为基本合格的人数", 1),
    Field("unqualified", "评定为不合格的人数", 0),
    Field("not_graded", "正式党员中尚未评定的人数", 0),
    Field("grades", "各等次人数，每项：grade 等次、count 人数", []),
    Field(
        "members",
        "每名参评党员一项：seq 序号、name 姓名、party_group 党小组、excellent / qualified / basically_qualified / "
        "unqualified 各等次得票、abstain 弃权票、grade 支部评定（预备党员为「预备党员，不评定等次」）、action 组织处置",
        [],
    ),
    Field("excellent_names", "评定为优秀的党员（以、分隔；无则为「无」）", "张三、李四"),
    Field("unqualified_names", "评定为不合格的党员（以、分隔；无则为「无」）", "无"),
    Field("actions", "组织处置（姓名、处置、日期、会议；无则为「无」）", "无"),
    Field("apart", "另列、不参加评议的党员（失联、停止党籍；无则为「无」）", "无"),
    Field("summary", "与打印件相同的概况各行，每项：text 内容", []),
    Field("printed_on", "生成日期（报送日期）", "2026年01月25日"),
)
_MEMBER_COLUMNS = ("seq", "name", "party_group", *GRADE_KEYS, "abstain", "grade", "action")


def appraisal_context(db: Database, sel: catalogue.Selection) -> tuple[dict[str, Any], str]:
    from desktop.printing.appraisal import result_figures, result_title  # the printed figures (a Qt module)

    r = catalogue.pick_appraisal_round(db, sel)
    res = result_figures(db, round_uuid=r.uuid)
    branch = meetings.branch_name(db)
    fields = {
        "branch": branch,
        "heading": result_title(branch, res.year),
        "year": res.year,
        "taking": res.taking,
        "graded": res.graded,
        "probationary": res.taking - res.graded,
        "measured_on": res.measured,
        "ballots": res.ballots,
        "decided_on": res.decided,
        **res.counts,
        "not_graded": res.ungraded,
        "grades": [{"grade": GRADES[k], "count": res.counts[k]} for k in GRADE_KEYS],
        "members": [dict(zip(_MEMBER_COLUMNS, row, strict=True)) for row in res.rows],
        "excellent_names": res.excellent,
        "unqualified_names": res.unqualified,
        "actions": res.actions,
        "apart": res.apart,
        "summary": [{"text": line} for line in res.summary],
        "printed_on": date_text(sel.day),
    }
    return fields, f"{res.year}年度民主评议党员结果报告"


FORMS: tuple[WordForm, ...] = (
    WordForm("minutes", "会议记录", "minutes.docx", MINUTES_FIELDS, minutes_context),
    WordForm("transfer-letter", "党员组织关系介绍信", "transfer-letter.docx", LETTER_FIELDS, letter_context),
    WordForm(
        "life-meeting-report",
        "组织生活会情况报告",
        "life-meeting-report.docx",
        LIFE_FIELDS,
        life_meeting_context,
    ),
    WordForm(
        "appraisal-result",
        "民主评议党员结果报告",
        "appraisal-result.docx",
        APPRAISAL_FIELDS,
        appraisal_context,
    ),
)
BY_KIND: Mapping[str, WordForm] = {f.kind: f for f in FORMS}


def form_of(kind: str) -> WordForm:
    form = BY_KIND.get(kind)
    if form is None:
        names = "、".join(f"{f.kind}（{f.name}）" for f in FORMS)
        raise TemplateError(f"打印件「{kind}」没有 Word 格式。有 Word 格式的打印件：{names}")
    return form


# --- the branch's own template -------------------------------------------------------------------------------------


def branch_template(db: Database, *, kind: str) -> Attachment | None:
    """The branch's own template of ``kind`` (None: the default is used)."""
    found = attachments.list_attachments(db, owner_kind=TEMPLATE_KIND, owner_id=kind)
    return found[-1] if found else None


def template_source(db: Database, *, kind: str) -> tuple[bytes, str]:
    """The template a document of ``kind`` is filled from, and its name for messages: the branch's own when
    set in 支部设置, else the default."""
    form = form_of(kind)
    own = branch_template(db, kind=kind)
    if own is not None:
        return attachments.read_bytes(db, uuid=own.uuid), own.name
    return (FOLDER / form.template).read_bytes(), f"默认模板 {form.template}"


def check_template(kind: str, data: bytes, *, name: str) -> None:
    """Refuse a template that cannot be filled (``TemplateError`` naming the field or the paragraph)."""
    fill(data, form_of(kind).sample(), label=name)


def set_template(db: Database, *, kind: str, path: Path) -> Attachment:
    """Make the .docx at ``path`` the branch's template of ``kind``, after checking it fills with sample
    values; a template set before goes to the 回收站."""
    data = attachments.read_file(Path(path))
    check_template(kind, data, name=Path(path).name)
    own = branch_template(db, kind=kind)
    if own is not None:
        return attachments.replace_attachment(db, uuid=own.uuid, name=Path(path).name, data=data)
    return attachments.add_attachment(
        db, owner_kind=TEMPLATE_KIND, owner_id=kind, name=Path(path).name, data=data
    )


def reset_template(db: Database, *, kind: str) -> None:
    """Back to the default template (the branch's own goes to the 回收站, restorable)."""
    own = branch_template(db, kind=kind)
    if own is not None:
        attachments.remove_attachment(db, uuid=own.uuid)


def render(db: Database, *, kind: str, sel: catalogue.Selection) -> tuple[bytes, str, str]:
    """The filled document of ``kind`` for the record ``sel`` picks: (bytes, file name stem, template name)."""
    form = form_of(kind)
    context, stem = form.context(db, sel)
    source, label = template_source(db, kind=kind)
    return fill(source, context, label=label), stem, label


def write_docx(db: Database, *, kind: str, out: Path, sel: catalogue.Selection) -> str:
    """Write the Word form of printout ``kind`` at ``out``; returns what was written, in Chinese."""
    data, stem, label = render(db, kind=kind, sel=sel)
    write(out, data)
    return f"{form_of(kind).name} Word 文档（{stem}，模板：{label}）"
