"""民主评议党员 (issue 20): the appraisal round of a 年度 on top of the 民主评议党员 meeting where the 民主测评 is held.

- ``records``   the steps, groups, grades, 组织处置 kinds, the frozen records and the pure rules (tally, ⅓ 优秀);
- ``service``   the round, its steps, who is appraised, the tally, the branch's grades (the only place grades are
                written; a 民主评议党员 meeting opens its 年度's round: ``round_for_meeting``), the feedback talks;
- ``actions``   组织处置 of a 不合格 member (through the standing events) and ``appraisal_figures`` (表8);
- ``reminders`` 限期改正 past its deadline, feedback not recorded, more than ⅓ 优秀;
- ``exchange``  the 民主评议 sheet of the monthly workbook;
- ``demo``      last 年度's finished round of the demo branch.
"""

from __future__ import annotations

from db.appraisal.actions import appraisal_figures, close_rectify, get_action, list_actions, record_action
from db.appraisal.demo import demo_appraisal
from db.appraisal.exchange import monthly_appraisal_figures, monthly_appraisal_rows
from db.appraisal.records import (
    ACTION_KINDS,
    ACTIONS_NEEDING_ASSEMBLY,
    GRADE_KEYS,
    GROUPS,
    RECTIFY_DEFAULT_MONTHS,
    RECTIFY_OUTCOMES,
    STEPS,
    Action,
    AppraisalFigures,
    Participant,
    Round,
    excellent_warning,
    tally_problems,
)
from db.appraisal.reminders import AppraisalReminder, appraisal_reminders
from db.appraisal.service import (
    get_round,
    grade_warnings,
    list_rounds,
    meeting_grades,
    open_round,
    participants,
    record_feedback,
    reference_day,
    round_for_meeting,
    round_of_year,
    save_tally,
    set_grades,
    update_round,
)

__all__ = [
    "ACTIONS_NEEDING_ASSEMBLY",
    "ACTION_KINDS",
    "GRADE_KEYS",
    "GROUPS",
    "RECTIFY_DEFAULT_MONTHS",
    "RECTIFY_OUTCOMES",
    "STEPS",
    "Action",
    "AppraisalFigures",
    "AppraisalReminder",
    "Participant",
    "Round",
    "appraisal_figures",
    "appraisal_reminders",
    "close_rectify",
    "demo_appraisal",
    "excellent_warning",
    "get_action",
    "get_round",
    "grade_warnings",
    "list_actions",
    "list_rounds",
    "meeting_grades",
    "monthly_appraisal_figures",
    "monthly_appraisal_rows",
    "open_round",
    "participants",
    "record_action",
    "record_feedback",
    "reference_day",
    "round_for_meeting",
    "round_of_year",
    "save_tally",
    "set_grades",
    "tally_problems",
    "update_round",
]
