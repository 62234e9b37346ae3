"""统计信息补全: the members whose statistical codes are incomplete (``db.completeness``: the codes, and 失联情形 of a
member out of contact), in one table where the secretary completes them quickly.

Each code column opens its dropdown on a click or a key (the national 工作岗位 tree grouped, 学历分类, 专业技术职务,
生产工作第一线); a chosen value is saved at once for that member (one transaction with its audit entries, through
``desktop.operations.members.complete_member``) and the row says 已补全 or what is still missing. The member's own
学历 and 工作岗位 text stand beside the codes to decide by. Rows stay in place while the dialog is open (a list that
jumps under the cursor loses the secretary's place); reopening lists only who is still incomplete.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from db import completeness
from db.codes import EDUCATION_CLASSES, LOST_SITUATIONS, TECH_TITLES
from db.errors import BranchDeskError
from db.records import Member
from desktop.context import AppContext
from desktop.operations import members as members_ops
from desktop.qt import *
from desktop.widgets.codes import (
    CodeCombo,
    PostCodeCombo,
    education_class_combo,
    front_line_combo,
    front_line_text,
    lost_situation_combo,
    post_code_text,
    tech_title_combo,
)

_Index = QModelIndex | QPersistentModelIndex

# The code columns: field → (header, text of the stored value, its dropdown).
_CODE_COLUMNS: dict[str, tuple[str, Callable[[Any], str], Callable[[QWidget], CodeCombo]]] = {
    "education_class": ("学历分类", lambda v: EDUCATION_CLASSES.get(v, ""), education_class_combo),
    "post_code": ("工作岗位代码", post_code_text, PostCodeCombo),
    "tech_title": ("专业技术职务", lambda v: TECH_TITLES.get(v, ""), tech_title_combo),
    "front_line": ("生产工作第一线", front_line_text, front_line_combo),
    "lost_contact_situation": ("失联情形", lambda v: LOST_SITUATIONS.get(v, ""), lost_situation_combo),
}
COLUMNS: tuple[str, ...] = (
    "name",
    "party_group",
    "education",
    "education_class",
    "job",
    "post_code",
    "tech_title",
    "front_line",
    "lost_contact_situation",
    "state",
)
_PLAIN_HEADERS = {
    "name": "姓名",
    "party_group": "党小组",
    "education": "学历",
    "job": "工作岗位",
    "state": "情况",
}
_MISSING = QColor("#fdecea")


class CompletenessModel(QAbstractTableModel):
    """The incomplete members; the code columns are editable and ``save`` writes one member's change."""

    def __init__(self, save: Callable[[str, str, Any], Member], parent: Any = None) -> None:
        super().__init__(parent)
        self._save = save
        self._members: list[Member] = []
        self.errors: dict[str, str] = {}  # member uuid → the last refusal, shown in 情况

    def set_members(self, members: list[Member]) -> None:
        self.beginResetModel()
        self._members = list(members)
        self.errors = {}
        self.endResetModel()

    def member(self, row: int) -> Member:
        return self._members[row]

    def missing(self, member: Member) -> tuple[str, ...]:
        return completeness.missing_codes(member)

    def editable(self, row: int, key: str) -> bool:
        """A code cell; 失联情形 only of a member out of contact (the others have none to give)."""
        return key in _CODE_COLUMNS and (key != completeness.LOST_CODE or self._members[row].lost_contact)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._members)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1
        key = COLUMNS[section]
        header = _CODE_COLUMNS[key][0] if key in _CODE_COLUMNS else _PLAIN_HEADERS[key]
        return QCoreApplication.translate("CompletenessModel", header)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return (
            base | Qt.ItemFlag.ItemIsEditable if self.editable(index.row(), COLUMNS[index.column()]) else base
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        member, key = self._members[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.EditRole and key in _CODE_COLUMNS:
            return getattr(member, key)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(member, key)
        if role == Qt.ItemDataRole.BackgroundRole and key in self.missing(member):
            return _MISSING
        return None

    def _text(self, member: Member, key: str) -> str:
        if key in _CODE_COLUMNS:
            return _CODE_COLUMNS[key][1](getattr(member, key))
        if key == "party_group":
            return member.party_group_name
        if key == "state":
            if member.uuid in self.errors:
                return self.errors[member.uuid]
            missing = self.missing(member)
            labels = [_CODE_COLUMNS[k][0] for k in sorted(missing, key=COLUMNS.index)]  # in column order
            return (
                QCoreApplication.translate("CompletenessModel", "缺：") + "、".join(labels)
                if missing
                else "已补全"
            )
        return str(getattr(member, key))

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        key = COLUMNS[index.column()]
        if role != Qt.ItemDataRole.EditRole or not self.editable(index.row(), key):
            return False
        member = self._members[index.row()]
        if getattr(member, key) == value:
            return False
        try:
            saved = self._save(member.uuid, key, value)
        except BranchDeskError as exc:
            self.errors[member.uuid] = exc.message
        else:
            self.errors.pop(member.uuid, None)
            self._members[index.row()] = saved
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        return member.uuid not in self.errors


class CodeDelegate(QStyledItemDelegate):
    """The dropdown of a code column, opened at once (one click or key press chooses)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = _CODE_COLUMNS[COLUMNS[index.column()]][2](parent)
        combo.activated.connect(lambda _i: self._picked(combo))
        return combo

    def _picked(self, combo: CodeCombo) -> None:
        """A pick saves at once and closes the dropdown (the next cell opens its own)."""
        self.commitData.emit(combo)
        self.closeEditor.emit(combo, QAbstractItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, CodeCombo)
        editor.set_value(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, CodeCombo)
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class CompletenessDialog(QDialog):
    """The completeness list; ``count_label`` says how many are left (those still missing a code)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("统计信息补全"))
        self.resize(1180, 560)
        intro = QLabel(
            self.tr(
                "年度党内统计按工作岗位代码、学历分类和是否生产工作第一线归类，失联党员还按失联情形归类。"
                "以下在册党员尚未填全（红色为缺项）："
                "单击单元格从下拉列表中选择，选定即保存，每项修改都记入历史记录。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.model = CompletenessModel(self._save, self)
        self.table = QTableView(self)
        self.table.setObjectName("completeness_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(CodeDelegate(self.table))
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.CurrentChanged
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.verticalHeader().setDefaultSectionSize(28)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMNS.index("post_code"), QHeaderView.ResizeMode.Stretch)
        self.count_label = QLabel(self)
        self.count_label.setObjectName("count")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        row.addWidget(buttons)
        layout.addLayout(row)
        if ctx.db.readonly:
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.model.dataChanged.connect(lambda *_: self._count())
        self.reload()

    def reload(self) -> None:
        self.model.set_members([i.member for i in completeness.incomplete_members(self.ctx.db)])
        self._count()

    def _count(self) -> None:
        left = self.left()
        self.count_label.setText(
            self.tr("还有 {0} 人未填全").format(left) if left else self.tr("已全部补全，可以关闭")
        )

    def left(self) -> int:
        """How many listed members still miss a code (for tests and the page)."""
        return sum(1 for r in range(self.model.rowCount()) if self.model.missing(self.model.member(r)))

    def _save(self, member_uuid: str, key: str, value: Any) -> Member:
        return members_ops.complete_member(self.ctx, uuid=member_uuid, values={key: value})


def screenshot_dialog(ctx: AppContext, parent: QWidget) -> QWidget:
    """For ``desktop.screenshots``: the completeness list of the database (empty when every member is coded)."""
    return CompletenessDialog(ctx, parent)
