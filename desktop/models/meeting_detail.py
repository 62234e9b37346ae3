"""The record of one meeting as the meetings page shows it beside the list (会议记录 tab)."""

from __future__ import annotations

import html

from db import appraisal, meetings
from db import attachments as attachments_db
from db.development.votes import votes_at_meeting
from db.store import Database


def detail_html(db: Database, m: meetings.Meeting) -> str:
    """What the meetings page shows of meeting ``m`` beside the list: its record, attendance, quorum, decisions,
    votes on people, grades and amendments, as HTML (every value escaped)."""
    e = html.escape
    att = meetings.list_attendance(db, meeting_uuid=m.uuid)
    parts = [
        f"<h3>{e(m.title)}（{e(m.number_text)}）</h3>",
        (
            f"<p><b>议题：</b>{e(m.topic)}<br><b>时间：</b>{e(meetings.meeting_when(m))}<br>"
            f"<b>地点：</b>{e(m.place)}<br><b>主持人：</b>{e(m.host_name)}　<b>记录人：</b>{e(m.recorder_name)}"
        ),
    ]
    if m.lecturer:
        parts.append(f"<br><b>授课人：</b>{e(m.lecturer)}")
    status = meetings.MEETING_STATUSES[m.status]
    if m.status == "cancelled":
        status += f"（{e(m.cancel_reason)}）"
    if m.locked:
        status += f"，记录已于 {e((m.locked_at or '').replace('T', ' ')[:16])} 锁定"
    parts.append(f"<br><b>状态：</b>{status}</p>")
    parts.append(
        f"<p><b>应到</b> {m.expected} 人　<b>实到</b> {m.present} 人　<b>请假</b> {m.leave} 人　"
        f"<b>缺席</b> {m.absent} 人　<b>列席</b> {m.observers} 人</p>"
    )
    signed = [
        a
        for a in attachments_db.list_attachments(db, owner_kind="meeting", owner_id=m.uuid)
        if a.scanned_printout == "signin"
    ]
    if signed:  # beside the attendance: the signed sheet it was taken from
        parts.append(
            "<p><b>已归档签到表：</b>"
            + "；".join(f"{e(a.name)}（{a.pages} 页，{e(a.created_at[:10])} 归档）" for a in signed)
            + "</p>"
        )
    for state in ("leave", "absent"):
        people = [a for a in att if a.state == state]
        if people:
            names = "、".join(f"{e(a.name)}（{e(a.reason)}）" for a in people)
            parts.append(f"<p><b>{meetings.STATES[state]}人员：</b>{names}</p>")
    if m.status == "held" and any(a.state == "expected" for a in att):
        parts.append("<p style='color:#b00020'>尚未登记出席情况（谁请假、谁缺席）。</p>")
    for warning in meetings.role_warnings(db, meeting_uuid=m.uuid):
        parts.append(f"<p style='color:#8a6d3b'>{e(warning.message)}</p>")
    q = meetings.quorum(db, meeting_uuid=m.uuid)
    if q.applies and m.status == "held":
        color = "#1f7a1f" if q.met else "#b00020"
        parts.append(
            f"<p style='color:{color}'><b>法定人数：</b>{e(q.rule)}；应到 {q.entitled} 人，到会 "
            f"{q.present} 人，至少需 {q.needed} 人——{'符合' if q.met else '不符合'}</p>"
        )
    if m.content:
        parts.append(f"<p><b>会议内容：</b>{e(m.content)}</p>")
    if m.speaking_points:
        parts.append(f"<p><b>发言要点：</b>{e(m.speaking_points)}</p>")
    for d in meetings.list_decisions(db, meeting_uuid=m.uuid):
        votes = (
            f"赞成 {d.votes_for}，反对 {d.votes_against}，弃权 {d.votes_abstain}"
            if d.votes_for is not None
            else "未表决"
        )
        flag = f" <span style='color:#b00020'>{d.short_flags}</span>" if d.short_flags else ""
        parts.append(f"<p><b>表决事项{d.seq}：</b>{e(d.subject)}（{votes}）决议：{e(d.resolution)}{flag}</p>")
    for line in votes_at_meeting(db, meeting_uuid=m.uuid):  # votes on people recorded in 发展党员
        parts.append(f"<p><b>表决（发展党员）：</b>{e(line)}</p>")
    grades = appraisal.meeting_grades(db, meeting_uuid=m.uuid)
    if grades:
        counts = {k: sum(g.grade == k for g in grades) for k in meetings.GRADES}
        parts.append(
            "<p><b>评议结果：</b>"
            + "，".join(f"{meetings.GRADES[k]} {n} 人" for k, n in counts.items() if n)
            + "</p>"
        )
    for a in meetings.list_amendments(db, meeting_uuid=m.uuid):
        label = meetings.FIELD_LABELS.get(a.field, a.field)
        parts.append(
            f"<p style='color:#555'><b>更正（{a.at:%Y-%m-%d}）：</b>{e(label)}由「{e(a.old or '')}」"
            f"改为「{e(a.new or '')}」，原因：{e(a.reason)}</p>"
        )
    return "".join(parts)
