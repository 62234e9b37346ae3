"""Table model of the roster (党员名册) over ``db.records.Member``.

The model holds a list of members (given by the page, which asks ``db.members.list_members``) and never opens a
connection. Citizen IDs and phones are masked unless ``set_reveal(True)``. ``Qt.UserRole`` gives a sort key
(dates as ISO text, so sorting by a date column is chronological) and ``MEMBER_ROLE`` the ``Member`` itself.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from db.codes import EDUCATION_CLASSES, POST_CHOICES
from db.records import CATEGORIES, GENDERS, STANDINGS, STATUSES, Member
from db.rules import mask_citizen_id, mask_phone
from db.training import hours_text
from desktop.models.records import header_data
from desktop.qt import *
from desktop.widgets.codes import front_line_text

MEMBER_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole

_Index = QModelIndex | QPersistentModelIndex


def _d(value: date | None) -> str:
    return value.isoformat() if value else ""


# (key, header, value(member, reveal)) in display order.
COLUMNS: list[tuple[str, str, Callable[[Member, bool], str]]] = [
    ("name", "姓名", lambda m, r: m.name),
    ("gender", "性别", lambda m, r: GENDERS.get(m.gender or "", "")),
    ("birth_date", "出生日期", lambda m, r: _d(m.birth_date)),
    ("citizen_id", "公民身份号码", lambda m, r: (m.citizen_id or "") if r else mask_citizen_id(m.citizen_id)),
    ("category", "人员类别", lambda m, r: CATEGORIES.get(m.category, m.category)),
    ("party_group", "党小组", lambda m, r: m.party_group_name),
    ("joined_on", "加入党组织日期", lambda m, r: _d(m.joined_on)),
    ("full_on", "转为正式党员日期", lambda m, r: _d(m.full_on)),
    ("education", "学历", lambda m, r: m.education),
    ("job", "工作岗位", lambda m, r: m.job),
    ("mobile", "手机号", lambda m, r: m.mobile if r else mask_phone(m.mobile)),
    ("standing", "党籍状态", lambda m, r: STANDINGS.get(m.standing, m.standing)),
    ("status", "状态", lambda m, r: STATUSES.get(m.status, m.status)),
    # the statistical codes (db/codes.py) and this year's 学时 (db/training), after the record's own columns
    ("education_class", "学历分类", lambda m, r: EDUCATION_CLASSES.get(m.education_class, "")),
    ("post_code", "岗位代码", lambda m, r: m.post_code),
    ("front_line", "一线", lambda m, r: front_line_text(m.front_line)),
    ("hours", "学时", lambda m, r: ""),  # filled from ``set_hours``
]
COLUMN_KEYS = [c[0] for c in COLUMNS]
# The columns a user shows or hides from the header's menu (the roster page).
OPTIONAL_COLUMNS = ("education_class", "post_code", "front_line", "hours")
_TITLES = [c[1] for c in COLUMNS]


class MembersModel(QAbstractTableModel):
    """Read-only table of members; the page replaces the list with ``set_members`` after each query."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: list[Member] = []
        self._reveal = False
        self._marks: dict[str, str] = {}
        self._hours: dict[str, float] = {}
        self._targets: dict[str, float] = {}

    # --- content ----------------------------------------------------------------------------------------

    def set_members(self, members: list[Member]) -> None:
        self.beginResetModel()
        self._members = list(members)
        self.endResetModel()

    def set_marks(self, marks: dict[str, str]) -> None:
        """What the 党籍状态 column adds beside a member's standing (``db.transfers.roster_marks``: 转出中,
        留党察看, 失联)."""
        self._marks = dict(marks)
        if self._members:
            col = COLUMN_KEYS.index("standing")
            self.dataChanged.emit(self.index(0, col), self.index(len(self._members) - 1, col))

    def set_hours(self, hours: dict[str, float], targets: dict[str, float]) -> None:
        """This year's 学时 by member uuid (``db.training.hours_by_member``) and the targets of those below theirs
        (shown in red, the target in the tooltip)."""
        self._hours, self._targets = dict(hours), dict(targets)
        if self._members:
            col = COLUMN_KEYS.index("hours")
            self.dataChanged.emit(self.index(0, col), self.index(len(self._members) - 1, col))

    def members(self) -> list[Member]:
        return list(self._members)

    def member(self, row: int) -> Member:
        return self._members[row]

    def set_reveal(self, reveal: bool) -> None:
        """Show full citizen IDs and phones (True) or masked ones (False)."""
        if reveal == self._reveal:
            return
        self._reveal = reveal
        if self._members:
            for key in ("citizen_id", "mobile"):
                col = COLUMN_KEYS.index(key)
                self.dataChanged.emit(self.index(0, col), self.index(len(self._members) - 1, col))

    def reveal(self) -> bool:
        return self._reveal

    def row_of(self, uuid: str) -> int:
        for row, m in enumerate(self._members):
            if m.uuid == uuid:
                return row
        return -1

    # --- Qt model ---------------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._members)):
            return None
        member = self._members[index.row()]
        key, _header, value = COLUMNS[index.column()]
        if key in ("hours", "post_code"):
            return self._coded_data(member, key, role)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            mark = self._marks.get(member.uuid) if key == "standing" and member.status == "active" else None
            return f"{value(member, self._reveal)}；{mark}" if mark else value(member, self._reveal)
        if role == SORT_ROLE:
            if key == "name":
                return member.name_initials.split(" ")[0] + member.name
            return value(member, True)
        if role == MEMBER_ROLE:
            return member
        if role == Qt.ItemDataRole.ForegroundRole and member.status != "active":
            return QBrush(QColor("#888888"))
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and key == "standing"
            and (member.standing != "normal" or member.uuid in self._marks)
        ):
            return QBrush(QColor("#b02a37"))
        return None

    def _coded_data(self, member: Member, key: str, role: int) -> Any:
        """The 学时 column (a number, red below the target) and 岗位代码 (the code; its name in the tooltip)."""
        if key == "post_code":
            if role == Qt.ItemDataRole.DisplayRole:
                return member.post_code
            if role == Qt.ItemDataRole.ToolTipRole:
                return POST_CHOICES.get(member.post_code, "")
            return member.post_code if role == SORT_ROLE else None
        hours = self._hours.get(member.uuid, 0.0)
        target = self._targets.get(member.uuid)
        if role == Qt.ItemDataRole.DisplayRole:
            return hours_text(hours)
        if role == Qt.ItemDataRole.ToolTipRole and target is not None:
            return QCoreApplication.translate("MembersModel", "本年 {0} 学时，目标 {1} 学时").format(
                hours_text(hours), hours_text(target)
            )
        if role == SORT_ROLE:
            return hours
        if role == Qt.ItemDataRole.ForegroundRole and target is not None:
            return QBrush(QColor("#b02a37"))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        return header_data("MembersModel", _TITLES, section, orientation, role, int)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
