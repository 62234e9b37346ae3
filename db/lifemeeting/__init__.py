"""The yearly 组织生活会 from preparation to 整改 (issue 20), on top of the meeting of kind ``life_meeting``.

支部工作条例第十七条: 会前认真学习，谈心谈话，听取意见；会上查摆问题，开展批评和自我批评，明确整改方向；会后制定整改措施，
逐一整改落实. So a 组织生活会 carries:

- ``preparation``    征求意见 (opinions, from a member, the masses or the upper 党委), 对照检查材料 per member
                     (submitted on; the file an attachment), 批评与自我批评 per member at the meeting;
- ``talks``          the 谈心谈话 pairs expected before it, linked to the talks of the meetings part, missing ones shown;
- ``rectification``  the 整改清单 as findings of the 检查整改 page (``findings.meeting_id``), and the figures of the
                     组织生活会情况报告;
- ``demo``           the demo branch's 组织生活会.

The meeting itself (date, attendance, minutes) is the meetings part's; its reminders (a 年度 without its 组织生活会)
are there too (``db.meetings.reminders``), and overdue 整改 items are the findings' reminders.
"""

from __future__ import annotations

from db.lifemeeting.demo import demo_life_meeting
from db.lifemeeting.preparation import (
    add_opinion,
    archive_opinion,
    life_meeting,
    list_criticism,
    list_materials,
    list_opinions,
    people,
    set_criticism,
    set_material,
    validate_opinion,
)
from db.lifemeeting.records import (
    MATERIAL_KIND,
    OPINION_SOURCES,
    PAIR_KINDS,
    Criticism,
    LifeMeetingReport,
    Material,
    Opinion,
    TalkPair,
)
from db.lifemeeting.rectification import add_item, list_items, report
from db.lifemeeting.talks import talk_pairs, talk_window

__all__ = [
    "MATERIAL_KIND",
    "OPINION_SOURCES",
    "PAIR_KINDS",
    "Criticism",
    "LifeMeetingReport",
    "Material",
    "Opinion",
    "TalkPair",
    "add_item",
    "add_opinion",
    "archive_opinion",
    "demo_life_meeting",
    "life_meeting",
    "list_criticism",
    "list_items",
    "list_materials",
    "list_opinions",
    "people",
    "report",
    "set_criticism",
    "set_material",
    "talk_pairs",
    "talk_window",
    "validate_opinion",
]
