"""Table models of member development (发展党员): the pipeline of people and one person's timeline of steps.

Both hold records given by the page or dialog (``db.development.list_people`` / ``list_steps``) and never open a
connection. Citizen IDs are masked unless ``set_reveal(True)``. ``SORT_ROLE`` gives a sort key (dates as ISO text),
``PERSON_ROLE`` / ``STEP_ROLE`` the record itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from db.development import PERSON_STATUSES, STAGES, STEP_KINDS, DevelopmentPerson, DevelopmentStep
from db.records import GENDERS
from db.rules import mask_citizen_id
from desktop.models.records import RECORD_ROLE, Column, RecordsModel, header_data
from desktop.qt import *

SORT_ROLE = Qt.ItemDataRole.UserRole
PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
STEP_ROLE = RECORD_ROLE  # a step's record, as every shared records model gives it

_Index = QModelIndex | QPersistentModelIndex
_RED = QColor("#b02a37")
_AMBER = QColor("#997404")
_GREY = QColor("#888888")


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


PEOPLE_COLUMNS: list[tuple[str, str, Callable[[DevelopmentPerson, bool], str]]] = [
    ("name", "姓名", lambda p, r: p.name),
    ("gender", "性别", lambda p, r: GENDERS.get(p.gender or "", "")),
    ("birth_date", "出生日期", lambda p, r: _d(p.birth_date)),
    ("citizen_id", "公民身份号码", lambda p, r: (p.citizen_id or "") if r else mask_citizen_id(p.citizen_id)),
    ("party_group", "党小组", lambda p, r: p.party_group_name),
    ("stage", "发展阶段", lambda p, r: STAGES.get(p.stage, p.stage)),
    ("stage_since", "本阶段起始", lambda p, r: _d(p.stage_since)),
    ("applied_on", "递交申请日期", lambda p, r: _d(p.applied_on)),
    ("next_step", "下一步", lambda p, r: p.next_step),
    ("next_due", "期限", lambda p, r: _d(p.next_due)),
    ("warnings", "规则提醒", lambda p, r: f"{p.warning_count} 条" if p.warning_count else ""),
    ("status", "状态", lambda p, r: PERSON_STATUSES.get(p.status, p.status)),
]
PEOPLE_KEYS = [c[0] for c in PEOPLE_COLUMNS]


class DevelopmentPeopleModel(QAbstractTableModel):
    """Read-only table of the people in the pipeline; ``today`` decides which deadlines show as overdue."""

    def __init__(self, parent: Any = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self._people: list[DevelopmentPerson] = []
        self._reveal = False
        self._today = today or date.today()

    def set_people(self, people: list[DevelopmentPerson], *, today: date | None = None) -> None:
        self.beginResetModel()
        self._people = list(people)
        if today is not None:
            self._today = today
        self.endResetModel()

    def people(self) -> list[DevelopmentPerson]:
        return list(self._people)

    def person(self, row: int) -> DevelopmentPerson:
        return self._people[row]

    def row_of(self, uuid: str) -> int:
        return next((i for i, p in enumerate(self._people) if p.uuid == uuid), -1)

    def set_reveal(self, reveal: bool) -> None:
        if reveal == self._reveal:
            return
        self._reveal = reveal
        if self._people:
            col = PEOPLE_KEYS.index("citizen_id")
            self.dataChanged.emit(self.index(0, col), self.index(len(self._people) - 1, col))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._people)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(PEOPLE_COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._people)):
            return None
        person = self._people[index.row()]
        key, _header, value = PEOPLE_COLUMNS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return value(person, self._reveal)
        if role == SORT_ROLE:
            if key == "stage":
                return list(STAGES).index(person.stage)
            if key == "warnings":
                return person.warning_count
            return value(person, True)
        if role == PERSON_ROLE:
            return person
        if role == Qt.ItemDataRole.ForegroundRole:
            if person.status == "left":
                return QBrush(_GREY)
            if key == "next_due" and person.next_due and person.next_due < self._today:
                return QBrush(_RED)
            if key == "warnings" and person.warning_count:
                return QBrush(_AMBER)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data(
            "DevelopmentPeopleModel", [c[1] for c in PEOPLE_COLUMNS], section, orientation, role, int
        )

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def step_details(step: DevelopmentStep) -> str:
    """The extra fields of a step as one line: people named, votes, training length, form number, months."""
    fields = STEP_KINDS[step.kind].fields
    parts = []
    if step.members:
        role = "培养联系人" if "mentors" in fields else "入党介绍人"
        parts.append(f"{role}：" + "、".join(m.name for m in step.members))
    if "votes" in fields:
        counts = f"应到 {step.entitled}，" if step.entitled is not None else ""
        if step.present is not None:
            counts += f"实到 {step.present}，"
        parts.append(
            f"{counts}赞成 {step.votes_for or 0}，反对 {step.votes_against or 0}，弃权 {step.votes_abstain or 0}"
        )
        if step.meeting_label:
            parts.append(f"会议：{step.meeting_label}")
    if "training" in fields:
        parts.append(f"{step.days or 0} 天 / {step.hours or 0} 学时")
    if step.number:
        parts.append(f"编号 {step.number}")
    if step.months:
        parts.append(f"延长 {step.months} 个月")
    if step.note:
        parts.append(step.note)
    return "；".join(parts)


STEP_COLUMNS: tuple[Column[DevelopmentStep], ...] = (
    Column("日期", lambda s: s.on.isoformat()),
    Column("步骤", lambda s: s.label),
    Column("阶段", lambda s: STAGES[STEP_KINDS[s.kind].stage]),
    Column("内容", step_details),
    Column("规则提醒", lambda s: "\n".join(s.warnings)),
    Column("保存原因", lambda s: s.reason),
    Column("状态", lambda s: f"已作废：{s.void_reason}" if s.voided else "有效"),
)
_WARNING_COLUMNS = (4, 5)  # 规则提醒, 保存原因: amber while the step broke a rule


class DevelopmentStepsModel(RecordsModel[DevelopmentStep]):
    """A person's steps in date order (the timeline); voided steps are grey and struck through."""

    context = "DevelopmentStepsModel"
    columns = STEP_COLUMNS

    def set_steps(self, steps: list[DevelopmentStep]) -> None:
        self.set_rows(steps)

    def steps(self) -> list[DevelopmentStep]:
        return self.rows()

    def step(self, row: int) -> DevelopmentStep:
        return self.record(row)

    def foreground(self, record: DevelopmentStep, column: int) -> QColor | None:
        if record.voided:
            return _GREY
        if column in _WARNING_COLUMNS and record.warnings:
            return _AMBER
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.FontRole
            and index.isValid()
            and 0 <= index.row() < self.rowCount()
            and self.record(index.row()).voided
        ):
            font = QFont()
            font.setStrikeOut(True)
            return font
        return super().data(index, role)
