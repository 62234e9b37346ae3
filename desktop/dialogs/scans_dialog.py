"""导入扫描件: choose scanned pages or photos (files or a folder), see where each page goes by its QR code, file
them, and place by hand what could not be placed: on any record a file may belong to (a meeting, member, project,
finding, transfer or development step, chosen by kind and then from the list)."""

from __future__ import annotations

from pathlib import Path

from db.attachments import owners, scans
from db.errors import BranchDeskError
from desktop.context import AppContext
from desktop.operations import attachments as ops
from desktop.qt import *
from desktop.tasks import show_error


class ScansDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.plan: scans.Plan | None = None
        self.setWindowTitle(self.tr("导入扫描件"))
        self.resize(760, 560)
        self.files_button = QPushButton(self.tr("选择文件…"), self)
        self.folder_button = QPushButton(self.tr("选择文件夹…"), self)
        top = QHBoxLayout()
        top.addWidget(self.files_button)
        top.addWidget(self.folder_button)
        top.addStretch(1)
        self.sheets = QListWidget(self)
        self.unplaced = QListWidget(self)
        self.owner_kind = QComboBox(self)
        for kind, label in owners.PLACEABLE.items():
            self.owner_kind.addItem(label, kind)
        self.record = QComboBox(self)
        self.record.setMinimumContentsLength(24)
        self.place_button = QPushButton(self.tr("归档到所选记录"), self)
        place = QHBoxLayout()
        place.addWidget(QLabel(self.tr("手动归档："), self))
        place.addWidget(self.owner_kind)
        place.addWidget(self.record, 1)
        place.addWidget(self.place_button)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.apply_button = self.buttons.addButton(self.tr("归档"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setEnabled(False)
        self.status = QLabel(
            self.tr("选择扫描仪生成的图片、手机照片或多页 PDF。程序按打印件上的二维码归档。"), self
        )
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(QLabel(self.tr("可以归档的打印件："), self))
        layout.addWidget(self.sheets, 2)
        layout.addWidget(QLabel(self.tr("未能归档的页（请选中后手动归档）："), self))
        layout.addWidget(self.unplaced, 1)
        layout.addLayout(place)
        layout.addWidget(self.buttons)
        self.files_button.clicked.connect(self._ask_files)
        self.folder_button.clicked.connect(self._ask_folder)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.place_button.clicked.connect(self.place_selected)
        self.unplaced.currentItemChanged.connect(lambda *_: self._enable())
        self.owner_kind.currentIndexChanged.connect(self._fill_records)
        self._fill_records()

    def _fill_records(self) -> None:
        """The records of the chosen kind, newest first."""
        self.record.clear()
        for uuid, label in owners.owner_choices(self.ctx.db, kind=str(self.owner_kind.currentData())):
            self.record.addItem(label, uuid)
        self._enable()

    def choose_kind(self, kind: str) -> None:
        self.owner_kind.setCurrentIndex(self.owner_kind.findData(kind))

    def _ask_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            self.tr("选择扫描件"),
            str(Path.home()),
            self.tr("图片或 PDF (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp *.pdf)"),
        )
        if names:
            self.load([Path(n) for n in names])

    def _ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("选择扫描件所在的文件夹"))
        if folder:
            self.load([Path(folder)])

    def load(self, paths: list[Path]) -> scans.Plan | None:
        """Read the pages and show where each goes (nothing is filed yet)."""
        try:
            self.plan = scans.plan(self.ctx.db, paths)
        except BranchDeskError as exc:
            show_error(self, self.tr("导入扫描件"), exc)
            return None
        self._show()
        return self.plan

    def _show(self) -> None:
        plan = self.plan
        self.sheets.clear()
        self.unplaced.clear()
        if plan is None:
            return
        for s in plan.sheets:
            pages = "、".join(self.tr("第{0}页←{1}").format(n, s.pages[n].label) for n in sorted(s.pages))
            missing = self.tr("（缺第 {0} 页）").format("、".join(map(str, s.missing))) if s.missing else ""
            self.sheets.addItem(f"{s.tag.name} → {s.record}：{pages}{missing}{s.filed_before_text}")
        for u in plan.unplaced:
            item = QListWidgetItem(f"{u.page.label}：{u.reason}")
            item.setData(Qt.ItemDataRole.UserRole, u.page)
            self.unplaced.addItem(item)
        self.status.setText(
            self.tr("{0} 份打印件可以归档，{1} 页未能归档。").format(len(plan.sheets), len(plan.unplaced))
        )
        self._enable()

    def _enable(self) -> None:
        writable = not self.ctx.db.readonly
        self.apply_button.setEnabled(writable and self.plan is not None and bool(self.plan.sheets))
        self.place_button.setEnabled(
            writable and self.unplaced.currentItem() is not None and self.record.count() > 0
        )

    def apply(self) -> int:
        """File the placed sheets; the list then keeps only what is left to place by hand."""
        if self.plan is None:
            return 0
        try:
            filing = ops.file_scans(self.ctx, plan=self.plan)
        except BranchDeskError as exc:
            show_error(self, self.tr("导入扫描件"), exc)
            return 0
        self.plan = scans.Plan([], self.plan.unplaced)
        self._show()
        done = self.tr("已归档 {0} 份扫描件。").format(len(filing.filed))
        if filing.again:
            names = "、".join(s.tag.name for s, _a in filing.again)
            done += self.tr("{0} 份此前已归档过（内容相同），未重复归档：{1}。").format(
                len(filing.again), names
            )
        self.status.setText(done + " " + self.status.text())
        return len(filing.filed)

    def place_selected(self) -> None:
        item = self.unplaced.currentItem()
        uuid = self.record.currentData()
        if item is None or uuid is None or self.plan is None:
            return
        page: scans.PageSource = item.data(Qt.ItemDataRole.UserRole)
        try:
            ops.place_page(
                self.ctx, page=page, owner_kind=str(self.owner_kind.currentData()), owner_id=str(uuid)
            )
        except BranchDeskError as exc:
            show_error(self, self.tr("手动归档"), exc)
            return
        self.plan = scans.Plan(self.plan.sheets, [u for u in self.plan.unplaced if u.page != page])
        self._show()
