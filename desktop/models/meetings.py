"""Table models of the meetings page: meetings, attendance (editable) and compliance rows.

Models hold records given by the page or dialog (from ``db.meetings``) and never open a connection. ``SORT_ROLE``
gives a sort key (ISO dates, numbers) and ``RECORD_ROLE`` the record itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from db.meetings.records import (
    MEETING_STATUSES,
    STATES,
    Attendance,
    AttendanceEntry,
    ComplianceRow,
    HeartTalk,
    Meeting,
)
from desktop.i18n import translator
from desktop.qt import *

SORT_ROLE = Qt.ItemDataRole.UserRole
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex


_t = translator("meetings")


def _column_title(columns: Sequence[str], section: int, orientation: Qt.Orientation, role: int) -> str | None:
    """A horizontal header's translated title; rows are not numbered."""
    if (
        role == Qt.ItemDataRole.DisplayRole
        and orientation == Qt.Orientation.Horizontal
        and 0 <= section < len(columns)
    ):
        return _t(columns[section])
    return None


# --- meetings ---------------------------------------------------------------------------------------------

MEETING_COLUMNS = ("日期", "类型", "序号", "党小组", "议题", "地点", "主持人", "应到", "实到", "请假", "状态")


class MeetingsModel(QAbstractTableModel):
    """Read-only list of meetings; the page replaces it with ``set_meetings``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Meeting] = []

    def set_meetings(self, meetings: list[Meeting]) -> None:
        self.beginResetModel()
        self._rows = list(meetings)
        self.endResetModel()

    def meeting(self, row: int) -> Meeting:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(MEETING_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return _column_title(MEETING_COLUMNS, section, orientation, role)

    def _value(self, m: Meeting, col: int) -> Any:
        status = MEETING_STATUSES[m.status] + ("（已锁定）" if m.locked else "")
        return (
            m.held_on.isoformat(),
            m.kind_text,
            m.number_text,
            m.party_group_name,
            m.topic,
            m.place,
            m.host_name,
            m.expected,
            m.present,
            m.leave,
            status,
        )[col]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        m = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            value = self._value(m, col)
            return str(value) if isinstance(value, int) else value
        if role == SORT_ROLE:
            if col == 2:
                return m.year * 1000 + m.seq
            return self._value(m, col)
        if role == RECORD_ROLE:
            return m
        if role == Qt.ItemDataRole.ForegroundRole:
            if m.status == "cancelled":
                return QBrush(QColor("#888888"))
            if col == 9 and m.leave:
                return QBrush(QColor("#a05a00"))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (7, 8, 9):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


# --- attendance -------------------------------------------------------------------------------------------

ATT_NUMBER, ATT_NAME, ATT_CATEGORY, ATT_GROUP, ATT_STATE, ATT_REASON = range(6)
ATTENDANCE_COLUMNS = ("序号", "姓名", "类别", "党小组", "出席情况", "原因")
STATE_COLORS = {
    "present": "#1f7a1f",
    "leave": "#a05a00",
    "absent": "#b00020",
    "observer": "#1a5fb4",
    "expected": "#555555",
}


@dataclass
class _AttRow:
    member_uuid: str | None
    name: str
    category: str | None
    group: str
    state: str
    reason: str


class AttendanceModel(QAbstractTableModel):
    """Attendance being entered: state and reason editable; everyone starts *present* unless already recorded.

    ``entries()`` gives the ``AttendanceEntry`` list for ``db.meetings.set_attendance``; ``problems()`` the rows
    that cannot be saved yet (leave/absent without a reason).
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_AttRow] = []

    def set_attendance(self, attendance: list[Attendance], *, default_present: bool = True) -> None:
        self.beginResetModel()
        self._rows = [
            _AttRow(
                a.member_uuid,
                a.name,
                a.category,
                a.party_group_name,
                "present" if (a.state == "expected" and default_present) else a.state,
                a.reason,
            )
            for a in attendance
        ]
        self.endResetModel()

    def add_observer(self, name: str) -> None:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(_AttRow(None, name, None, "", "observer", ""))
        self.endInsertRows()

    def entries(self) -> list[AttendanceEntry]:
        return [
            AttendanceEntry(
                r.member_uuid, r.state, r.reason, observer_name=r.name if r.member_uuid is None else ""
            )
            for r in self._rows
        ]

    def counts(self) -> dict[str, int]:
        members = [r for r in self._rows if r.member_uuid is not None and r.state != "observer"]
        return {
            "expected": len(members),
            "present": sum(r.state == "present" for r in members),
            "leave": sum(r.state == "leave" for r in members),
            "absent": sum(r.state == "absent" for r in members),
            "observers": sum(r.state == "observer" for r in self._rows),
        }

    def problems(self) -> list[str]:
        return [
            f"{r.name}{STATES[r.state]}，请填写原因"
            for r in self._rows
            if r.state in ("leave", "absent") and not r.reason.strip()
        ]

    def state(self, row: int) -> str:
        return self._rows[row].state

    def set_state(self, row: int, state: str) -> None:
        if state not in STATES or not (0 <= row < len(self._rows)):
            return
        r = self._rows[row]
        if r.member_uuid is None and state != "observer":
            return  # a non-member can only attend as observer
        r.state = state
        if state == "present":
            r.reason = ""
        self.dataChanged.emit(self.index(row, ATT_STATE), self.index(row, ATT_REASON))

    # --- Qt model API ---------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ATTENDANCE_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return _column_title(ATTENDANCE_COLUMNS, section, orientation, role)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == ATT_REASON:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, SORT_ROLE):
            category = {"full": "正式", "probationary": "预备"}.get(
                r.category or "", "非党员" if not r.member_uuid else ""
            )
            values = (
                index.row() + 1 if role == SORT_ROLE else str(index.row() + 1),
                r.name,
                category,
                r.group,
                STATES[r.state],
                r.reason,
            )
            return values[col]
        if role == RECORD_ROLE:
            return r.state
        if role == Qt.ItemDataRole.ForegroundRole and col == ATT_STATE:
            return QBrush(QColor(STATE_COLORS[r.state]))
        if (
            role == Qt.ItemDataRole.BackgroundRole
            and col == ATT_REASON
            and r.state in ("leave", "absent")
            and not r.reason.strip()
        ):
            return QBrush(QColor("#fde2e2"))
        if role == Qt.ItemDataRole.ToolTipRole and col == ATT_STATE:
            return _t("P 出席　L 请假　A 缺席　O 列席")
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or index.column() != ATT_REASON:
            return False
        self._rows[index.row()].reason = str(value or "").strip()
        self.dataChanged.emit(index, index)
        return True


# --- compliance -------------------------------------------------------------------------------------------

COMPLIANCE_COLUMNS = ("会议类型", "党小组", "频次", "应开", "已开", "召开次数", "未开", "待开", "结论")


class ComplianceModel(QAbstractTableModel):
    """Required vs held per kind (and party group) for the compliance tab."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ComplianceRow] = []

    def set_rows(self, rows: list[ComplianceRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ComplianceRow]:
        return list(self._rows)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COMPLIANCE_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return _column_title(COMPLIANCE_COLUMNS, section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        r = self._rows[index.row()]
        col = index.column()
        verdict = "未达标" if r.missing else ("待召开" if r.due else "达标")
        if r.kind == "heart_talk":
            verdict = "未全覆盖" if (r.missing or r.due) else "已全覆盖"
        values = (
            r.kind_name,
            r.party_group_name,
            r.frequency_name,
            r.required,
            r.satisfied,
            r.held,
            "；".join(r.missing),
            "；".join(r.due),
            verdict,
        )
        if role == Qt.ItemDataRole.DisplayRole:
            v = values[col]
            if col in (6, 7) and len(r.missing if col == 6 else r.due) > 3:
                items = r.missing if col == 6 else r.due
                v = "；".join(items[:3]) + f" 等 {len(items)} 项"
            return str(v) if isinstance(v, int) else v
        if role == Qt.ItemDataRole.ToolTipRole and col in (6, 7):
            return "\n".join(r.missing if col == 6 else r.due) or None
        if role == SORT_ROLE:
            return values[col]
        if role == RECORD_ROLE:
            return r
        if role == Qt.ItemDataRole.ForegroundRole and col == 8:
            return QBrush(QColor("#b00020" if r.missing else ("#a05a00" if r.due else "#1f7a1f")))
        return None


# --- heart talks ------------------------------------------------------------------------------------------

HEART_TALK_COLUMNS = ("日期", "参与人", "谈话主题", "地点", "谈话要点")


class HeartTalksModel(QAbstractTableModel):
    """Read-only list of heart-to-heart talks."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HeartTalk] = []

    def set_talks(self, talks: list[HeartTalk]) -> None:
        self.beginResetModel()
        self._rows = list(talks)
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEART_TALK_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return _column_title(HEART_TALK_COLUMNS, section, orientation, role)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        t = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return (t.held_on.isoformat(), "、".join(t.participant_names), t.topic, t.place, t.summary)[
                index.column()
            ]
        if role == RECORD_ROLE:
            return t
        return None
