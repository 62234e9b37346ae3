"""The parts of the branch's work, each named once, by real function references (issue 18).

A part contributes its reminders (home page and ``check``), its step of the demo branch, its sheets of the monthly
workbook (rows and figures per sheet, columns in ``db.workbook.format``) and the key of its page in the window.
Before, five string registries ("module:function", ``find_spec``) skipped a part silently when a function was
renamed, and hid the calls from mypy; now a rename fails at import time and in ``mypy --strict``.

To plug in a new part: write its package (``records``, ``service``, ``reminders``, ``exchange``, ``demo``), declare
its sheets in ``db.workbook.format.SHEETS``, add one ``Part`` below, and its page in ``desktop.navigation``. The
tests check that every declared sheet has exactly one source here and every part's page exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from random import Random
from typing import Any, Protocol

from db import (
    appraisal,
    attachments,
    completeness,
    development,
    dues,
    elections,
    lifemeeting,
    meetings,
    projects,
    training,
    transfers,
)
from db.store import Database
from db.workbook import roster
from db.workbook.format import Sheet, data_sheets, sheet_by_key

RowsProvider = Callable[..., Iterable[Mapping[str, Any]]]  # f(db, *, month="YYYY-MM")
FiguresProvider = Callable[..., Mapping[str, float | int]]  # f(db, *, month="YYYY-MM")


class RemindersProvider(Protocol):
    def __call__(self, db: Database, *, today: date) -> Sequence[Any]: ...


class DemoStep(Protocol):
    def __call__(self, db: Database, *, rng: Random, today: date) -> None: ...


@dataclass(frozen=True)
class SheetSource:
    """Where the rows (and figures, for 说明) of one declared sheet of the monthly workbook come from."""

    sheet: Sheet
    rows: RowsProvider
    figures: FiguresProvider | None = None


@dataclass(frozen=True)
class Part:
    """One part of the branch's work. ``page`` is the key of its page in ``desktop.navigation``."""

    key: str
    title: str
    page: str
    reminders: RemindersProvider | None
    demo: DemoStep | None
    sheets: tuple[SheetSource, ...]


def _demo_transfers(db: Database, *, rng: Random, today: date) -> None:
    """The transfers demo, then the dues of the members it brought in (their basis and payments from arrival),
    since the dues demo runs before any transfer in."""
    transfers.demo_transfers(db, rng=rng, today=today)
    dues.demo_dues_arrivals(db, rng=rng, today=today)


def _demo_statistics(db: Database, *, rng: Random, today: date) -> None:
    """The statistics demo, imported when the demo runs: the statistics tables (a tenth of the data layer's import
    time) are not needed by the reminders the window shows at start (issue 22)."""
    from db.statistics.demo import demo_statistics

    demo_statistics(db, rng=rng, today=today)


ROSTER = Part(
    key="members",
    title="党员名册",
    page="members",
    reminders=completeness.completeness_reminders,  # members whose statistical codes are incomplete
    demo=None,  # the roster is the core of db.demo.generate, not a step after it
    sheets=(SheetSource(sheet_by_key("members"), roster.roster_rows, roster.roster_figures),),
)
MEETINGS = Part(
    key="meetings",
    title="会议记录",
    page="meetings",
    reminders=meetings.meeting_reminders,
    demo=meetings.demo_meetings,
    sheets=(
        SheetSource(
            sheet_by_key("meetings"), meetings.monthly_meeting_rows, meetings.monthly_meeting_figures
        ),
        SheetSource(sheet_by_key("attendance"), meetings.monthly_attendance_rows),
        # The files of the month's records (meetings held in the month, and any record given a file in it).
        SheetSource(sheet_by_key("attachments"), attachments.monthly_attachment_rows),
    ),
)
DEVELOPMENT = Part(
    key="development",
    title="发展党员",
    page="development",
    reminders=development.development_reminders,
    demo=development.demo_development,
    sheets=(
        SheetSource(
            sheet_by_key("development"),
            development.monthly_development_rows,
            development.monthly_development_figures,
        ),
    ),
)
DUES = Part(
    key="dues",
    title="党费",
    page="dues",
    reminders=dues.dues_reminders,
    demo=dues.demo_dues,
    sheets=(SheetSource(sheet_by_key("dues"), dues.monthly_dues_rows, dues.monthly_dues_figures),),
)
PROJECTS = Part(
    key="projects",
    title="项目与整改",
    page="projects",
    reminders=projects.project_reminders,
    demo=projects.demo_projects,
    sheets=(
        SheetSource(sheet_by_key("projects"), projects.monthly_project_rows, projects.monthly_figures),
        SheetSource(sheet_by_key("findings"), projects.monthly_finding_rows),
    ),
)
TRANSFERS = Part(
    key="transfers",
    title="组织关系",
    page="transfers",
    reminders=transfers.transfer_reminders,
    demo=_demo_transfers,
    sheets=(
        SheetSource(
            sheet_by_key("transfers"), transfers.monthly_transfer_rows, transfers.monthly_transfer_figures
        ),
        SheetSource(
            sheet_by_key("mobile_members"), transfers.monthly_mobile_rows, transfers.monthly_mobile_figures
        ),
    ),
)
APPRAISAL = Part(
    key="appraisal",
    title="民主评议党员",
    page="appraisal",
    reminders=appraisal.appraisal_reminders,
    demo=appraisal.demo_appraisal,
    sheets=(
        SheetSource(
            sheet_by_key("appraisal"), appraisal.monthly_appraisal_rows, appraisal.monthly_appraisal_figures
        ),
    ),
)

# The training hours (学时, issue 19): its ledger and each member's hours are shown on the roster page.
TRAINING = Part(
    key="training",
    title="学时",
    page="members",
    reminders=training.training_reminders,
    demo=training.demo_training,
    sheets=(),
)

# The 组织生活会's preparation and 整改清单 (issue 20): on the meetings page; its reminders are the meetings' (a 年度
# without its 组织生活会) and the findings' (整改 items past their deadline), so it has none of its own.
LIFE_MEETING = Part(
    key="lifemeeting",
    title="组织生活会",
    page="meetings",
    reminders=None,
    demo=lifemeeting.demo_life_meeting,
    sheets=(),
)

STATISTICS = Part(
    key="statistics",
    title="统计年报",
    page="statistics",
    reminders=None,
    demo=_demo_statistics,  # last year complete for every row of table 1 (issue 19)
    sheets=(),
)

# The committee's election (换届, issue 20): the steps from 请示 to approval on its own page; its reminder names the
# next step of an election under way.
ELECTIONS = Part(
    key="elections",
    title="换届选举",
    page="elections",
    reminders=elections.election_reminders,
    demo=None,  # the demo's past election elects its committee, inside db.demo.generate (before the parts)
    sheets=(),
)

# In the order their reminders are gathered (ties in the sorted list keep this order).
PARTS: tuple[Part, ...] = (
    ROSTER,
    MEETINGS,
    DEVELOPMENT,
    DUES,
    PROJECTS,
    TRANSFERS,
    TRAINING,
    LIFE_MEETING,
    APPRAISAL,
    STATISTICS,
    ELECTIONS,
)

# The order the demo steps run in: each draws from the same seeded generator, so this order fixes the demo branch.
DEMO_ORDER: tuple[Part, ...] = (
    PROJECTS,
    DEVELOPMENT,
    DUES,
    TRANSFERS,
    MEETINGS,
    TRAINING,
    LIFE_MEETING,
    APPRAISAL,
    STATISTICS,
)


def sheet_sources() -> list[SheetSource]:
    """The source of every data sheet, in the order the sheets are declared in ``db.workbook.format.SHEETS``."""
    by_key = {source.sheet.key: source for part in PARTS for source in part.sheets}
    return [by_key[sheet.key] for sheet in data_sheets() if sheet.key in by_key]
