"""Fast attendance entry: the expected attendees in sign-in order, everyone present by default.

Keys on the selected row: **P** 出席 and **O** 列席 mark it and move down; **L** 请假 and **A** 缺席 mark it and open
the reason in place — type it, press Enter, and the selection moves to the next row. Space cycles through the
states. A line under the table shows 应到/实到/请假/缺席/列席 and what is still missing (a reason).
"""

from __future__ import annotations

from db.meetings import Attendance, AttendanceEntry
from desktop.models.meetings import ATT_REASON, ATT_STATE, AttendanceModel
from desktop.qt import *

KEY_STATES = {
    Qt.Key.Key_P: "present",
    Qt.Key.Key_L: "leave",
    Qt.Key.Key_A: "absent",
    Qt.Key.Key_O: "observer",
}
_CYCLE = ["present", "leave", "absent"]


class AttendanceView(QTableView):
    """The attendance table with its keyboard: P/L/A/O mark and move down, the reason is typed in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        self._advance_after_edit = False

    def attendance_model(self) -> AttendanceModel:
        model = self.model()
        assert isinstance(model, AttendanceModel)
        return model

    def current_row(self) -> int:
        return self.currentIndex().row() if self.currentIndex().isValid() else -1

    def go_to_row(self, row: int) -> None:
        model = self.model()
        if model is None or model.rowCount() == 0:
            return
        row = max(0, min(row, model.rowCount() - 1))
        self.setCurrentIndex(model.index(row, ATT_STATE))
        self.selectRow(row)

    def mark(self, state: str) -> None:
        """Mark the current row; leave/absent then edit the reason in place, others move to the next row."""
        row = self.current_row()
        if row < 0:
            return
        model = self.attendance_model()
        model.set_state(row, state)
        if model.state(row) in ("leave", "absent"):
            index = model.index(row, ATT_REASON)
            self.setCurrentIndex(index)
            self._advance_after_edit = True
            self.edit(index)
        else:
            self.go_to_row(row + 1)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            key = Qt.Key(event.key())
            if key in KEY_STATES:
                self.mark(KEY_STATES[key])
                return
            if key == Qt.Key.Key_Space and self.current_row() >= 0:
                state = self.attendance_model().state(self.current_row())
                nxt = _CYCLE[(_CYCLE.index(state) + 1) % len(_CYCLE)] if state in _CYCLE else "present"
                self.attendance_model().set_state(self.current_row(), nxt)
                return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if self._advance_after_edit:
            self._advance_after_edit = False
            row = self.current_row()
            self.go_to_row(row + 1)
            self.setFocus()


class AttendanceWidget(QWidget):
    """Attendance table, a field to add a non-member observer, and the live counts line."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = AttendanceModel(self)
        self.view = AttendanceView(self)
        self.view.setModel(self.model)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        hint = QLabel(self.tr("键盘：P 出席　L 请假（随后输入原因，回车）　A 缺席　O 列席　空格 切换"), self)
        hint.setStyleSheet("color: #555")
        self.observer_edit = QLineEdit(self)
        self.observer_edit.setPlaceholderText(self.tr("列席人员姓名（非党员，如入党积极分子）"))
        add = QPushButton(self.tr("添加列席"), self)
        add.clicked.connect(self._add_observer)
        self.observer_edit.returnPressed.connect(self._add_observer)
        self.counts_label = QLabel(self)
        self.problem_label = QLabel(self)
        self.problem_label.setStyleSheet("color: #b00020")
        self.problem_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.observer_edit, 1)
        row.addWidget(add)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addLayout(row)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.problem_label)
        for signal in (self.model.dataChanged, self.model.rowsInserted, self.model.modelReset):
            signal.connect(self._update)
        self._update()

    def set_attendance(self, attendance: list[Attendance], *, default_present: bool = True) -> None:
        self.model.set_attendance(attendance, default_present=default_present)
        self.view.go_to_row(0)

    def entries(self) -> list[AttendanceEntry]:
        return self.model.entries()

    def problems(self) -> list[str]:
        return self.model.problems()

    def _add_observer(self) -> None:
        name = self.observer_edit.text().strip()
        if name:
            self.model.add_observer(name)
            self.observer_edit.clear()

    def _update(self, *args: object) -> None:
        c = self.model.counts()
        self.counts_label.setText(
            self.tr("应到 {0} 人　实到 {1} 人　请假 {2} 人　缺席 {3} 人　列席 {4} 人").format(
                c["expected"], c["present"], c["leave"], c["absent"], c["observers"]
            )
        )
        problems = self.model.problems()
        self.problem_label.setText("；".join(problems[:5]) + ("……" if len(problems) > 5 else ""))
        self.problem_label.setVisible(bool(problems))  # an empty word-wrapped label would still take height
        self.changed.emit()
