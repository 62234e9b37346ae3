"""民主评议党员: the appraisal round of a 年度 (issue 20).

Top: the 年度's round (新建评议 opens one), 打印测评票 (asks the number of voters) and 打印结果报告. Left: the steps with
their dates (学习 … 反馈; a step not yet done shows 未开展) and the 民主评议党员 meeting of the 民主测评, and who is
listed apart (预备党员 ungraded, 失联, 停止党籍). Centre: the tally grid typed with the keyboard (``TallyGrid``) with
the ballots returned and the 支部评定 beside it; 保存计票与评定 saves both (more marks than ballots is refused naming
the member; more than ⅓ 优秀 is saved with a warning). Bottom: the 组织处置 and the feedback talks.
Filters from other pages: ``{"round": uuid}``.
"""

from __future__ import annotations

from datetime import date

from db import appraisal, meetings
from db.errors import BranchDeskError
from db.meetings.records import default_review_year
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.dialogs.appraisal_action import ActionDialog, FeedbackDialog
from desktop.dialogs.form import to_date, to_qdate
from desktop.operations import appraisal as appraisal_ops
from desktop.pages import BasePage
from desktop.printing.appraisal import MAX_VOTERS, ballot, preview_ballots, result_document
from desktop.qt import *
from desktop.widgets.tally_grid import TallyGrid

_REFRESH_ON = frozenset({Change.APPRAISAL, Change.MEETINGS, Change.MEMBERS, Change.BRANCH, Change.EXCHANGE})
_NOT_DONE = QDate(2000, 1, 1)


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.dialog: QWidget | None = None
        self.round: appraisal.Round | None = None

        self.rounds = QComboBox(self)
        self.rounds.setObjectName("rounds")
        self.new_button = QPushButton(self.tr("新建评议"), self)
        self.print_ballot_button = QPushButton(self.tr("打印测评票"), self)
        self.print_result_button = QPushButton(self.tr("打印结果报告"), self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("年度"), self))
        bar.addWidget(self.rounds, 1)
        bar.addWidget(self.new_button)
        bar.addWidget(self.print_ballot_button)
        bar.addWidget(self.print_result_button)

        steps_box = QGroupBox(self.tr("评议步骤"), self)
        steps_form = QFormLayout(steps_box)
        self.step_edits: dict[str, QDateEdit] = {}
        for key, label in appraisal.STEPS.items():
            edit = QDateEdit(self)
            edit.setObjectName(f"step_{key}")
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setMinimumDate(_NOT_DONE)
            edit.setSpecialValueText(self.tr("未开展"))
            self.step_edits[key] = edit
            steps_form.addRow(label, edit)
        self.meeting = QComboBox(self)
        self.meeting.setObjectName("meeting")
        steps_form.addRow(self.tr("民主测评会议"), self.meeting)
        self.save_steps_button = QPushButton(self.tr("保存步骤"), self)
        steps_form.addRow(self.save_steps_button)
        self.apart = QLabel(self)
        self.apart.setWordWrap(True)
        steps_form.addRow(self.apart)

        tally_box = QGroupBox(self.tr("计票与支部评定"), self)
        self.ballots = QSpinBox(self)
        self.ballots.setObjectName("ballots")
        self.ballots.setRange(0, MAX_VOTERS)
        self.grid = TallyGrid(self)
        self.save_tally_button = QPushButton(self.tr("保存计票与评定"), self)
        self.save_tally_button.setToolTip(
            self.tr(
                "计票：数字键录入，Tab/回车到下一格；支部评定列：1 优秀 2 合格 3 基本合格 4 不合格，0 清除"
            )
        )
        self.warning = QLabel(self)
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b26a00;")
        t = QVBoxLayout(tally_box)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("收回测评票（张）"), self))
        row.addWidget(self.ballots)
        row.addStretch(1)
        row.addWidget(self.save_tally_button)
        t.addLayout(row)
        t.addWidget(self.grid, 1)
        t.addWidget(self.warning)

        actions_box = QGroupBox(self.tr("组织处置与反馈"), self)
        self.action_list = QListWidget(self)
        self.action_list.setObjectName("action_list")
        self.action_button = QPushButton(self.tr("登记组织处置"), self)
        self.close_button = QPushButton(self.tr("登记改正结果"), self)
        self.feedback_button = QPushButton(self.tr("登记反馈谈话"), self)
        a = QVBoxLayout(actions_box)
        a.addWidget(self.action_list, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.action_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.feedback_button)
        a.addLayout(buttons)

        top = QSplitter(Qt.Orientation.Horizontal, self)
        top.addWidget(steps_box)
        top.addWidget(tally_box)
        top.setStretchFactor(1, 3)
        top.setSizes([360, 900])
        main = QSplitter(Qt.Orientation.Vertical, self)
        main.addWidget(top)
        main.addWidget(actions_box)
        main.setStretchFactor(0, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(main, 1)

        self.rounds.currentIndexChanged.connect(lambda _i: self.show_round())
        self.new_button.clicked.connect(self.new_round)
        self.save_steps_button.clicked.connect(self.save_steps)
        self.ballots.valueChanged.connect(self.grid.set_ballots)
        self.save_tally_button.clicked.connect(self.save_tally)
        self.action_button.clicked.connect(self.open_action)
        self.close_button.clicked.connect(self.close_rectify)
        self.feedback_button.clicked.connect(self.open_feedback)
        self.print_ballot_button.clicked.connect(self.ask_voters)
        self.print_result_button.clicked.connect(self.preview_result)
        self.refresh_on(_REFRESH_ON)
        self.refresh()

    def _message(self, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("民主评议党员"), text, QMessageBox.StandardButton.Ok, self
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = box
        box.open()

    # --- loading ------------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        current = self.round.uuid if self.round else None
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for r in appraisal.list_rounds(self.ctx.db):
            self.rounds.addItem(f"{r.title}" + ("" if r.finished else f"（下一步：{r.next_step}）"), r.uuid)
        index = self.rounds.findData(current) if current else 0
        self.rounds.setCurrentIndex(max(index, 0))
        self.rounds.blockSignals(False)
        self.show_round()

    def apply_filters(self, filters: Filters) -> None:
        index = self.rounds.findData(filters.get("round"))
        if index >= 0:
            self.rounds.setCurrentIndex(index)

    def show_round(self) -> None:
        uuid = self.rounds.currentData()
        self.round = appraisal.get_round(self.ctx.db, uuid=uuid) if uuid else None
        has = self.round is not None
        editable = has and not self.ctx.db.readonly
        for w in (
            self.save_steps_button,
            self.save_tally_button,
            self.action_button,
            self.close_button,
            self.feedback_button,
            self.meeting,
            self.ballots,
        ):
            w.setEnabled(editable)
        self.print_ballot_button.setEnabled(has)
        self.print_result_button.setEnabled(has)
        r = self.round
        for key, edit in self.step_edits.items():
            value = r.step_date(key) if r else None
            edit.setDate(to_qdate(value) if value else _NOT_DONE)
        self.meeting.clear()
        self.meeting.addItem(self.tr("（未选择）"), None)
        if r is not None:
            for m in meetings.list_meetings(self.ctx.db, kind="appraisal"):
                if m.reviewed_year == r.year and m.status != "cancelled":
                    self.meeting.addItem(f"{m.held_on.isoformat()} {m.title}", m.uuid)
            self.meeting.setCurrentIndex(max(0, self.meeting.findData(r.meeting_uuid)))
        people = appraisal.participants(self.ctx.db, round_uuid=r.uuid, today=self.today()) if r else []
        self.ballots.blockSignals(True)
        self.ballots.setValue(r.ballots or 0 if r else 0)
        self.ballots.blockSignals(False)
        self.grid.load(people, self.ballots.value())
        ungraded = [p.name for p in people if p.group == "ungraded"]
        apart = [
            f"{p.name}（{appraisal.GROUPS[p.group][:4]}）" for p in people if p.group in ("lost", "suspended")
        ]
        self.apart.setText(
            self.tr("预备党员 {0} 人参评不评定等次；另列 {1} 人：{2}").format(
                len(ungraded), len(apart), "、".join(apart) or self.tr("无")
            )
        )
        self.apart.setToolTip(self.tr("预备党员：") + "、".join(ungraded))
        self.warning.setText("")
        self.action_list.clear()
        if r is not None:
            for act in appraisal.list_actions(self.ctx.db, round_uuid=r.uuid):
                item = QListWidgetItem(
                    f"{act.decided_on.isoformat()} {act.member_name}：{act.text}", self.action_list
                )
                item.setData(Qt.ItemDataRole.UserRole, act.uuid)
            for p in people:
                if p.feedback_on is not None:
                    QListWidgetItem(
                        self.tr("反馈谈话：{0} {1}（谈话人 {2}）").format(
                            p.feedback_on.isoformat(), p.name, p.feedback_by
                        ),
                        self.action_list,
                    )

    # --- actions ----------------------------------------------------------------------------------------------

    def new_round(self) -> None:
        year = default_review_year(self.today())
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("新建民主评议党员"))
        dialog.setLabelText(self.tr("评议年度"))
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1921, self.today().year)
        dialog.setIntValue(year)
        dialog.intValueSelected.connect(self.create_round)
        self.dialog = dialog
        dialog.open()

    def create_round(self, year: int) -> None:
        try:
            r = appraisal_ops.open_round(self.ctx, year=year, today=self.today())
        except BranchDeskError as exc:
            self._message(exc.message)
            return
        self.rounds.setCurrentIndex(max(0, self.rounds.findData(r.uuid)))

    def save_steps(self) -> None:
        if self.round is None:
            return
        steps = {
            k: (None if e.date() == _NOT_DONE else to_date(e.date())) for k, e in self.step_edits.items()
        }
        try:
            appraisal_ops.update_round(
                self.ctx,
                uuid=self.round.uuid,
                steps=steps,
                meeting_uuid=self.meeting.currentData(),
                today=self.today(),
            )
        except BranchDeskError as exc:
            self._message(exc.message)

    def save_tally(self) -> None:
        if self.round is None:
            return
        uuid = self.round.uuid
        grades = self.grid.grades()
        try:
            appraisal_ops.save_tally(
                self.ctx,
                round_uuid=uuid,
                ballots=self.ballots.value(),
                marks=self.grid.marks(),
                today=self.today(),
            )
            warnings = appraisal_ops.set_grades(self.ctx, round_uuid=uuid, grades=grades, today=self.today())
        except BranchDeskError as exc:
            self._message(exc.message)
            return
        self.warning.setText("；".join(w.message for w in warnings))

    def open_action(self) -> None:
        if self.round is None:
            return
        dialog = ActionDialog(self.ctx, round_uuid=self.round.uuid, today=self.today(), parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def open_feedback(self) -> None:
        if self.round is None:
            return
        row = self.grid.currentRow()
        member = self.grid.member_uuid(row) if row >= 0 else None
        dialog = FeedbackDialog(
            self.ctx, round_uuid=self.round.uuid, member_uuid=member, today=self.today(), parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def close_rectify(self) -> None:
        item = self.action_list.currentItem()
        uuid = item.data(Qt.ItemDataRole.UserRole) if item else None
        if uuid is None:
            self._message(self.tr("请先在列表中选择一条限期改正"))
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("登记改正结果"))
        dialog.setLabelText(self.tr("限期改正的结果（日期为今天）"))
        dialog.setComboBoxItems(list(appraisal.RECTIFY_OUTCOMES.values()))
        dialog.textValueSelected.connect(lambda text: self.record_outcome(uuid, text))
        self.dialog = dialog
        dialog.open()

    def record_outcome(self, action_uuid: str, text: str) -> None:
        outcome = next(k for k, v in appraisal.RECTIFY_OUTCOMES.items() if v == text)
        try:
            appraisal_ops.close_rectify(
                self.ctx, uuid=action_uuid, closed_on=self.today(), outcome=outcome, today=self.today()
            )
        except BranchDeskError as exc:
            self._message(exc.message)

    # --- printing -----------------------------------------------------------------------------------------------

    def _branch(self) -> str:
        from db import branch as branch_db

        b = branch_db.get_branch(self.ctx.db)
        return b.name if b else ""

    def ask_voters(self) -> None:
        """打印测评票: how many voters (one ballot each), default the ballots returned or the members taking part."""
        if self.round is None:
            return
        people = appraisal.participants(self.ctx.db, round_uuid=self.round.uuid, today=self.today())
        default = self.round.ballots or sum(p.group in ("graded", "ungraded") for p in people) or 1
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("打印测评票"))
        dialog.setLabelText(self.tr("参加测评的人数（每人一张，不记名）"))
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(1, MAX_VOTERS)
        dialog.setIntValue(default)
        dialog.intValueSelected.connect(self.preview_ballot)
        self.dialog = dialog
        dialog.open()

    def preview_ballot(self, voters: int) -> None:
        if self.round is None:
            return
        dialog = preview_ballots(
            self, ballot(self.ctx.db, round_uuid=self.round.uuid, branch=self._branch()), voters
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

    def preview_result(self) -> None:
        if self.round is None:
            return
        from desktop.printing.catalogue import Selection
        from desktop.printing.table import preview
        from desktop.word import forms

        doc = result_document(
            self.ctx.db, round_uuid=self.round.uuid, branch=self._branch(), printed_on=self.today()
        )
        year = Selection(year=self.round.year, today=self.today())
        dialog = preview(
            self,
            doc,
            word=lambda path: forms.write_docx(self.ctx.db, kind="appraisal-result", out=path, sel=year),
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()


def screenshot_result(ctx: AppContext, parent: QWidget) -> QWidget:
    """The print preview of the latest round's 民主评议结果 report (``desktop.screenshots``); an empty note without a
    round."""
    from db import branch as branch_db
    from desktop.printing.table import preview

    rounds = appraisal.list_rounds(ctx.db)
    if not rounds:
        dialog = QDialog(parent)
        QVBoxLayout(dialog).addWidget(QLabel(dialog.tr("还没有民主评议党员记录"), dialog))
        return dialog
    b = branch_db.get_branch(ctx.db)
    doc = result_document(ctx.db, round_uuid=rounds[0].uuid, branch=b.name if b else "")
    dialog = preview(parent, doc)
    dialog.resize(1200, 760)
    return dialog  # type: ignore[no-any-return]
