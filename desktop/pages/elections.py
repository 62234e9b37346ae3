"""The 换届选举 page: the election cycle step by step, from the 请示 to the upper 党委 to its approval, which
writes the new committee and term to 支部设置. Reached from the navigation, the term reminder and 支部设置.

Left the steps (done ✓, the next ▶); right what is recorded so far; under it the button of the next step and the
papers to print (请示, 选举办法, 选票, 计票结果, 选举结果报告), each through its print preview.
"""

from __future__ import annotations

from datetime import date

from db import elections
from db.elections import STEPS
from db.records import COMMITTEE_ROLES
from db.rules import date_text
from desktop.changes import Change
from desktop.context import AppContext, Filters
from desktop.dialogs.election_steps import STEP_DIALOGS, ArchiveDialog, CandidatesDialog, RequestDialog
from desktop.dialogs.transfer_form import FormDialog
from desktop.pages import BasePage
from desktop.printing import elections as papers
from desktop.qt import *
from desktop.qt import QPrintPreviewDialog  # printing: not in the star import

_REFRESH_ON = (Change.ELECTIONS, Change.BRANCH, Change.MEMBERS, Change.TRANSFERS)
PRINT_KEYS = {
    "request": "election-request",
    "method": "election-method",
    "ballot": "ballot",
    "count": "election-count",
    "report": "election-report",
}
_STEP_ORDER = list(STEPS)


class Page(BasePage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(ctx, parent, today=today)
        self.dialog: QWidget | None = None
        self._writable = not getattr(ctx.db, "readonly", False)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("换届选举"), self))
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("chooser")
        self.chooser.setMinimumWidth(320)
        self.chooser.currentIndexChanged.connect(self.show_election)
        top.addWidget(self.chooser, 1)
        self.new_button = QPushButton(self.tr("向上级党委请示换届…"), self)
        self.new_button.setObjectName("new_election")
        self.new_button.clicked.connect(self.new_election)
        top.addWidget(self.new_button)
        self.archive_button = QPushButton(self.tr("作废…"), self)
        self.archive_button.setObjectName("archive_election")
        self.archive_button.clicked.connect(self.archive_election)
        top.addWidget(self.archive_button)
        layout.addLayout(top)

        body = QHBoxLayout()
        self.steps = QListWidget(self)
        self.steps.setObjectName("steps")
        self.steps.setMaximumWidth(240)
        self.steps.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        body.addWidget(self.steps)
        self.details = QTextBrowser(self)
        self.details.setObjectName("details")
        body.addWidget(self.details, 1)
        layout.addLayout(body, 1)

        self.warning = QLabel(self)
        self.warning.setObjectName("warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #997404;")
        layout.addWidget(self.warning)
        actions = QHBoxLayout()
        self.next_button = QPushButton(self)
        self.next_button.setObjectName("next_step")
        self.next_button.clicked.connect(self.open_step)
        actions.addWidget(self.next_button)
        # the list stays open to change until the first count (a candidate who left, a name written in to add)
        self.candidates_button = QPushButton(self.tr("修改候选人…"), self)
        self.candidates_button.setObjectName("edit_candidates")
        self.candidates_button.clicked.connect(self.edit_candidates)
        actions.addWidget(self.candidates_button)
        actions.addStretch(1)
        self.print_buttons: dict[str, QPushButton] = {}
        for key, text in (
            ("request", self.tr("打印请示")),
            ("method", self.tr("打印选举办法")),
            ("ballot", self.tr("打印选票")),
            ("count", self.tr("打印计票结果")),
            ("report", self.tr("打印选举结果报告")),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"print_{key}")
            if key == "ballot":
                button.setToolTip(
                    self.tr("选票一页，打印时在打印对话框中按实到会有选举权的人数设置份数；每份相同，不编号")
                )
            button.clicked.connect(lambda _=False, k=key: self.print_preview(k))
            actions.addWidget(button)
            self.print_buttons[key] = button
        layout.addLayout(actions)
        self.refresh_on(_REFRESH_ON)
        self.refresh()

    # --- reading ---------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.chooser.currentData()
        found = elections.list_elections(self.ctx.db)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for e in found:
            state = self.tr("已批准") if e.approved_on else self.tr("进行中")
            self.chooser.addItem(
                self.tr("{0} 请示的换届选举（{1}）").format(e.request_on.isoformat(), state), e.uuid
            )
        index = self.chooser.findData(keep)
        self.chooser.setCurrentIndex(max(index, 0))
        self.chooser.blockSignals(False)
        self.show_election()

    def apply_filters(self, filters: Filters) -> None:
        """From the term reminder: the election under way (else the latest) is shown."""
        under_way = elections.open_election(self.ctx.db)
        if under_way is not None:
            self.chooser.setCurrentIndex(self.chooser.findData(under_way.uuid))

    def current(self) -> elections.Election | None:
        uuid = self.chooser.currentData()
        return elections.get_election(self.ctx.db, uuid=uuid) if uuid else None

    def show_election(self) -> None:
        e = self.current()
        step = elections.next_step(e) if e else "request"
        self.steps.clear()
        done_upto = _STEP_ORDER.index(step) if step in _STEP_ORDER else len(_STEP_ORDER)
        for i, (key, label) in enumerate(STEPS.items()):
            mark = "✓" if i < done_upto else ("▶" if key == step else "　")
            item = QListWidgetItem(f"{mark} {i + 1}. {self.tr(label)}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.steps.addItem(item)
        self.details.setHtml(self._details(e) if e else self._empty())
        under_way = elections.open_election(self.ctx.db)
        self.new_button.setEnabled(self._writable and under_way is None)
        self.archive_button.setEnabled(self._writable and e is not None and e.approved_on is None)
        if e is None or step == "done":
            self.next_button.setText(self.tr("已完成") if e else self.tr("请先向上级党委请示换届"))
            self.next_button.setEnabled(False)
        else:
            self.next_button.setText(self.tr("下一步：{0}…").format(self.tr(STEPS[step])))
            self.next_button.setEnabled(self._writable)
        changeable = bool(e and e.candidates and not e.rounds and e.approved_on is None)
        self.candidates_button.setVisible(changeable)
        self.candidates_button.setEnabled(self._writable and changeable)
        warnings = elections.candidate_warnings(e) if e else []
        self.warning.setText("；".join(warnings))
        has_rounds = bool(e and e.rounds)
        self.print_buttons["request"].setEnabled(e is not None)
        self.print_buttons["method"].setEnabled(bool(e and e.candidates))
        self.print_buttons["ballot"].setEnabled(bool(e and e.candidates))
        self.print_buttons["count"].setEnabled(has_rounds)
        self.print_buttons["report"].setEnabled(bool(e and e.officers_on))

    def _empty(self) -> str:
        return self.tr(
            "<p>还没有换届选举记录。任期届满前，先向上级党委请示换届：点击“向上级党委请示换届…”。</p>"
            "<p>以后的步骤：登记上级批复（委员名额、差额或等额）→ 确定候选人预备人选 → 支部党员大会投票、计票 →"
            " 新一届支部委员会选举书记、副书记 → 报送选举结果 → 上级批准后新一届支委写入“支部设置”。</p>"
        )

    def _details(self, e: elections.Election) -> str:
        rows: list[tuple[str, str]] = []
        if e.old_term_start and e.old_term_end:
            rows.append(
                (self.tr("本届任期"), f"{date_text(e.old_term_start)} 至 {date_text(e.old_term_end)}")
            )
        rows.append(
            (
                self.tr("请示"),
                self.tr("{0}，拟设委员 {1} 名，{2}").format(
                    date_text(e.request_on), e.proposed_size, elections.METHODS[e.proposed_method]
                ),
            )
        )
        if e.reply_on:
            rows.append(
                (
                    self.tr("上级批复"),
                    f"{date_text(e.reply_on)} {e.reply_by} {e.reply_document}，"
                    + self.tr("委员名额 {0} 名，{1}").format(e.seats, e.method_name),
                )
            )
        if e.candidates:
            rows.append((self.tr("候选人（姓氏笔画）"), "、".join(c.name for c in e.candidates)))
        for rnd in e.rounds:
            outcome = elections.round_outcome(e, rnd)
            votes = "、".join(f"{ln.name} {ln.votes} 票" for ln in rnd.lines)
            verdict = outcome.reason if outcome.void else self.tr("有效")
            rows.append(
                (
                    self.tr("第 {0} 轮").format(rnd.seq),
                    self.tr(
                        "{0}，应到 {1}，实到 {2}，发出 {3}，收回 {4}，有效 {5}，无效 {6}；{7}。{8}"
                    ).format(
                        date_text(rnd.held_on),
                        rnd.entitled,
                        rnd.present,
                        rnd.issued,
                        rnd.returned,
                        rnd.valid,
                        rnd.invalid,
                        verdict,
                        votes,
                    ),
                )
            )
        plan = elections.next_round(e)
        if plan is not None and plan.reason:
            rows.append((self.tr("待进行"), plan.reason))
        winners = elections.elected(e)
        if winners:
            rows.append(
                (
                    self.tr("当选"),
                    "、".join(
                        f"{c.name}（{v} 票" + (f"，{COMMITTEE_ROLES[c.role]}" if c.role else "") + "）"
                        for c, v in winners
                    ),
                )
            )
        if e.officers_on:
            rows.append((self.tr("书记、副书记选举"), date_text(e.officers_on)))
        if e.report_on:
            rows.append((self.tr("报送选举结果"), date_text(e.report_on)))
        if e.approved_on and e.term_start and e.term_end:
            rows.append(
                (
                    self.tr("上级批准"),
                    f"{date_text(e.approved_on)} {e.approved_by} {e.approval_document}；"
                    + self.tr("新任期 {0} 至 {1}，已写入支部设置").format(
                        date_text(e.term_start), date_text(e.term_end)
                    ),
                )
            )
        cells = "".join(
            f"<tr><td style='padding:4px 10px 4px 0; white-space:nowrap'><b>{k}</b></td><td style='padding:4px'>{v}</td></tr>"
            for k, v in rows
        )
        return f"<table>{cells}</table>"

    # --- actions ---------------------------------------------------------------------------------------------

    def _open(self, dialog: FormDialog) -> FormDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def new_election(self) -> FormDialog:
        """The 请示 form."""
        return self._open(RequestDialog(self.ctx, self, today=self.today()))

    def open_step(self) -> FormDialog | None:
        """The form of the next step of the shown election."""
        e = self.current()
        if e is None:
            return self.new_election()
        step = elections.next_step(e)
        if step not in STEP_DIALOGS:
            return None
        return self._open(STEP_DIALOGS[step](self.ctx, e, self, today=self.today()))

    def edit_candidates(self) -> FormDialog | None:
        """The candidates' list again, before the first count."""
        e = self.current()
        return None if e is None else self._open(CandidatesDialog(self.ctx, e, self, today=self.today()))

    def archive_election(self) -> FormDialog | None:
        e = self.current()
        return None if e is None else self._open(ArchiveDialog(self.ctx, e, self, today=self.today()))

    def print_preview(self, key: str) -> QPrintPreviewDialog | None:
        """The print preview of one paper (request, method, ballot, count, report) of the shown election."""
        e = self.current()
        if e is None:
            return None
        dialog = papers.preview_dialog(
            self.ctx.db, PRINT_KEYS[key], election_uuid=e.uuid, day=self.today(), parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog
