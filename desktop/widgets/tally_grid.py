"""The tally of the 测评票, typed with the keyboard only: one row per member to be graded, the marks of 优秀, 合格,
基本合格 and 不合格, the 弃权 worked out from the number of ballots, and the branch's grade (支部评定) beside it.

Digits type a count (typing starts editing), Tab and Enter move to the next cell (Enter at the end of a row goes to
the next row's first count), Shift+Tab back. In the 支部评定 column 1–4 choose 优秀/合格/基本合格/不合格 and 0 or
Delete clears it, then the cursor moves down. A row whose marks exceed the ballots is shown in red.
"""

from __future__ import annotations

from db.appraisal import GRADE_KEYS, Participant
from db.meetings.records import GRADES
from desktop.qt import *

COUNT_COLUMNS = (1, 2, 3, 4)
ABSTAIN_COLUMN = 5
GRADE_COLUMN = 6
_UUID = Qt.ItemDataRole.UserRole
_GRADE_DIGITS = {"1": 0, "2": 1, "3": 2, "4": 3}


class _CountDelegate(QStyledItemDelegate):
    """A line edit that takes digits only."""

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setValidator(QIntValidator(0, 9999, editor))
        return editor


class TallyGrid(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 7, parent)
        self.setObjectName("tally_grid")
        self.setHorizontalHeaderLabels(
            [self.tr("姓名"), *(GRADES[k] for k in GRADE_KEYS), self.tr("弃权"), self.tr("支部评定")]
        )
        self.setItemDelegate(_CountDelegate(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        # every column in sight beside the name at 1366×768: the grade next to the tally, never scrolled away
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.horizontalHeader().setMinimumSectionSize(48)
        self.ballots = 0
        self.itemChanged.connect(self._changed)

    # --- content ------------------------------------------------------------------------------------------------

    def load(self, people: list[Participant], ballots: int) -> None:
        """One row per member graded (预备党员 are not on the ballot)."""
        self.blockSignals(True)
        self.ballots = ballots
        graded = [p for p in people if p.graded]
        self.setRowCount(len(graded))
        for row, p in enumerate(graded):
            name = QTableWidgetItem(p.name)
            name.setData(_UUID, p.member_uuid)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            self.setItem(row, 0, name)
            for col, count in zip(COUNT_COLUMNS, p.marks, strict=True):
                item = QTableWidgetItem(str(count))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.setItem(row, col, item)
            for col in (ABSTAIN_COLUMN, GRADE_COLUMN):
                item = QTableWidgetItem("")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.setItem(row, col, item)
            self._set_grade(row, p.grade)
            self._update_row(row)
        self.blockSignals(False)
        if graded:
            self.setCurrentCell(0, COUNT_COLUMNS[0])

    def set_ballots(self, ballots: int) -> None:
        self.ballots = ballots
        self.blockSignals(True)
        for row in range(self.rowCount()):
            self._update_row(row)
        self.blockSignals(False)

    def cell(self, row: int, col: int) -> QTableWidgetItem:
        item = self.item(row, col)
        assert item is not None  # every cell is filled by load()
        return item

    def member_uuid(self, row: int) -> str:
        return str(self.cell(row, 0).data(_UUID))

    def marks(self) -> dict[str, tuple[int, int, int, int]]:
        """member uuid → the counts typed (an empty cell is 0)."""
        out = {}
        for row in range(self.rowCount()):
            counts = [int(self.cell(row, c).text() or 0) for c in COUNT_COLUMNS]
            out[self.member_uuid(row)] = (counts[0], counts[1], counts[2], counts[3])
        return out

    def grades(self) -> dict[str, str | None]:
        return {self.member_uuid(r): self.cell(r, GRADE_COLUMN).data(_UUID) for r in range(self.rowCount())}

    # --- keyboard ---------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        row, col = self.currentRow(), self.currentColumn()
        if (
            col == GRADE_COLUMN
            and row >= 0
            and (text in _GRADE_DIGITS or text == "0" or key == Qt.Key.Key_Delete)
        ):
            grade = GRADE_KEYS[_GRADE_DIGITS[text]] if text in _GRADE_DIGITS else None
            self._set_grade(row, grade)
            self.setCurrentCell(min(row + 1, self.rowCount() - 1), GRADE_COLUMN)
            return
        if (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.state() != QAbstractItemView.State.EditingState
        ):
            self._advance()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        """Enter in a count commits it and moves on, as Tab does."""
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._advance()
            return
        super().closeEditor(editor, hint)

    def _advance(self) -> None:
        """The next count of the row, then its grade, then the next row's first count."""
        row, col = self.currentRow(), self.currentColumn()
        if col in COUNT_COLUMNS[:-1]:
            self.setCurrentCell(row, col + 1)
        elif col == COUNT_COLUMNS[-1]:
            self.setCurrentCell(row, GRADE_COLUMN)
        elif row + 1 < self.rowCount():
            self.setCurrentCell(row + 1, COUNT_COLUMNS[0])

    # --- cells --------------------------------------------------------------------------------------------------

    def _set_grade(self, row: int, grade: str | None) -> None:
        item = self.cell(row, GRADE_COLUMN)
        item.setData(_UUID, grade)
        item.setText(GRADES.get(grade or "", ""))

    def _changed(self, item: QTableWidgetItem) -> None:
        if item.column() in COUNT_COLUMNS:
            self.blockSignals(True)
            self._update_row(item.row())
            self.blockSignals(False)

    def _update_row(self, row: int) -> None:
        counts = [int(self.cell(row, c).text() or 0) for c in COUNT_COLUMNS]
        left = self.ballots - sum(counts)
        self.cell(row, ABSTAIN_COLUMN).setText(str(left))
        colour = QColor("#c62828") if left < 0 else QColor("black")
        for col in range(self.columnCount()):
            self.cell(row, col).setForeground(colour)
