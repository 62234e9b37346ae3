"""Coded values and their Chinese labels (GLOSSARY terms) that a part's records AND the workbook's format table
name: project kinds, categories and statuses, finding statuses, development stages, transfer directions.

A leaf module, so ``db.workbook.format`` can declare its choices from it: the format table cannot import a part's
package, since the part's ``exchange`` imports the format table. Each part's ``records`` module names its own
values under its usual names (``db.projects.KINDS`` …); the member vocabulary is in ``db.records``, the dues
categories in ``db.rules``, the meeting kinds in ``db.meetings.records`` (that package never imports the table).
"""

from __future__ import annotations

PROJECT_KINDS: dict[str, str] = {
    "innovation": "党员创新工程",
    "secretary_project": "书记项目",
    "improvement": "支部双改善",
    "model_post": "党员示范岗",
    "responsibility_area": "党员责任区",
    "commando_team": "党员突击队",
    "suggestion": "合理化建议",
}
PROJECT_CATEGORIES: dict[str, str] = {
    "technical": "技术创新",
    "operations": "生产运营",
    "management": "经营管理",
    "party_building": "党建工作",
}
PROJECT_STATUSES: dict[str, str] = {
    "planned": "立项",
    "ongoing": "实施中",
    "done": "已完成",
    "stopped": "终止",
}
ACCEPTANCE_RESULTS: dict[str, str] = {
    "excellent": "优秀",
    "good": "良好",
    "passed": "合格",
    "failed": "不合格",
}
FINDING_STATUSES: dict[str, str] = {"open": "待整改", "rectified": "已整改", "closed": "已销号"}

DEVELOPMENT_STAGES: dict[str, str] = {
    "applicant": "入党申请人",
    "activist": "入党积极分子",
    "candidate": "发展对象",
    "probationary": "预备党员",
    "full": "正式党员",
}
DEVELOPMENT_STATUSES: dict[str, str] = {"in_pipeline": "培养中", "admitted": "已接收入党", "left": "已退出"}

TRANSFER_DIRECTIONS: dict[str, str] = {"out": "转出", "in": "转入"}
TRANSFER_STATUSES: dict[str, str] = {"valid": "有效", "cancelled": "已撤销"}

# How a member takes part in a 民主评议党员 (db.appraisal.records.GROUPS; the workbook's 参评情况).
APPRAISAL_PARTICIPATION = {"graded": "参评并评定等次", "ungraded": "参评不评定等次"}
