"""The attachments of one record (a panel on its page), the viewer for images and PDFs, and the 回收站.

Files are added with 添加… or by dragging them onto the panel; 查看 shows images and PDF pages inside the program
(PDF pages rendered with PDFium), so a file never has to be written out unencrypted to be looked at.
"""

from __future__ import annotations

import io
from pathlib import Path

from db import attachments as attachments_db
from db.attachments.records import PDF_TYPE
from db.errors import BranchDeskError
from desktop.changes import Change
from desktop.context import AppContext
from desktop.operations import attachments as ops
from desktop.qt import *
from desktop.tasks import show_error

MAX_VIEW_PAGES = 40
FILE_FILTER = "图片或文档 (*.jpg *.jpeg *.png *.tif *.tiff *.bmp *.webp *.pdf *.doc *.docx *.xls *.xlsx *.txt);;所有文件 (*)"


def page_pixmaps(data: bytes, mime: str) -> list[QPixmap]:
    """What the viewer shows: the image, or the PDF's pages (at most ``MAX_VIEW_PAGES``)."""
    if mime == PDF_TYPE:
        # Lazy: PDFium's bindings cost 0.1–0.7 s to import (python -X importtime) and this widget is built with
        # the first page; only the viewer of a PDF needs them.
        import pypdfium2

        pixmaps = []
        pdf = pypdfium2.PdfDocument(data)
        try:
            for i in range(min(len(pdf), MAX_VIEW_PAGES)):
                page = pdf[i]
                out = io.BytesIO()
                page.render(scale=1.4).to_pil().save(out, "PNG")
                page.close()
                pm = QPixmap()
                pm.loadFromData(out.getvalue())
                pixmaps.append(pm)
        finally:
            pdf.close()
        return pixmaps
    pm = QPixmap()
    return [pm] if pm.loadFromData(data) else []


class AttachmentViewer(QDialog):
    """One attachment, its pages one under the other."""

    def __init__(self, ctx: AppContext, uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        a = attachments_db.get_attachment(ctx.db, uuid=uuid)
        self.setWindowTitle(self.tr("查看附件：{0}").format(a.name))
        self.resize(820, 900)
        layout = QVBoxLayout(self)
        info = QLabel(
            self.tr("{0}　{1} 页　{2} KB　添加：{3} {4}　SHA-256：{5}").format(
                a.name,
                a.pages,
                max(1, a.size // 1024),
                a.created_at[:16].replace("T", " "),
                a.created_by,
                a.sha256,
            ),
            self,
        )
        info.setWordWrap(True)
        info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(info)
        body = QWidget(self)
        pages = QVBoxLayout(body)
        self.pages: list[QLabel] = []
        try:
            pixmaps = page_pixmaps(attachments_db.read_bytes(ctx.db, uuid=uuid), a.mime)
        except BranchDeskError as exc:
            pixmaps = []
            pages.addWidget(QLabel(exc.message, body))
        except Exception:  # noqa: BLE001 - a file PDFium or Qt cannot read is shown as such, never a crash
            pixmaps = []
        if not pixmaps:
            pages.addWidget(
                QLabel(self.tr("此类文件无法在程序内预览，可用「另存为…」导出后用其他程序打开。"), body)
            )
        for pm in pixmaps:
            label = QLabel(body)
            label.setPixmap(pm.scaledToWidth(760, Qt.TransformationMode.SmoothTransformation))
            pages.addWidget(label)
            self.pages.append(label)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        layout.addWidget(scroll, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        save = buttons.addButton(self.tr("另存为…"), QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(lambda: self._save_as(ctx, a))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _save_as(self, ctx: AppContext, a: attachments_db.Attachment) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("另存附件"), str(Path.home() / a.name))
        if name:
            save_copy(ctx, a.uuid, Path(name), self)


def save_copy(ctx: AppContext, uuid: str, path: Path, parent: QWidget | None) -> None:
    """Write an attachment out (unencrypted, where the secretary chose), with an audit entry."""
    from db import audit

    try:
        data = attachments_db.read_bytes(ctx.db, uuid=uuid)
        path.write_bytes(data)
        audit.record_export(ctx.db, what="附件", path=str(path))
    except (BranchDeskError, OSError) as exc:
        show_error(parent, parent.tr("另存附件") if parent else "另存附件", exc)


class AttachmentsPanel(QWidget):
    """The files of one record: add (button or drag and drop), view, replace, move to the 回收站."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.owner: tuple[str, str] | None = None
        self.setAcceptDrops(True)
        self.title = QLabel(self.tr("附件（可把文件拖到这里）"), self)
        self.list = QListWidget(self)
        self.add_button = QPushButton(self.tr("添加…"), self)
        self.view_button = QPushButton(self.tr("查看"), self)
        self.replace_button = QPushButton(self.tr("替换…"), self)
        self.remove_button = QPushButton(self.tr("移到回收站"), self)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.view_button, self.replace_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self._ask_add)
        self.view_button.clicked.connect(self.view_selected)
        self.replace_button.clicked.connect(self._ask_replace)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemDoubleClicked.connect(lambda _item: self.view_selected())
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        ctx.changed.connect(self._on_changed)
        self._dialogs: list[QDialog] = []
        self.set_owner(None)

    def _on_changed(self, change: Change) -> None:
        if change == Change.ATTACHMENTS:
            self.refresh()

    def set_owner(self, owner: tuple[str, str] | None) -> None:
        self.owner = owner
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        if self.owner is not None:
            for a in attachments_db.list_attachments(
                self.ctx.db, owner_kind=self.owner[0], owner_id=self.owner[1]
            ):
                extra = self.tr("，扫描件") if a.scanned_printout else ""
                item = QListWidgetItem(
                    self.tr("{0}（{1} 页，{2} KB{3}）").format(a.name, a.pages, max(1, a.size // 1024), extra)
                )
                item.setData(Qt.ItemDataRole.UserRole, a.uuid)
                item.setToolTip(f"SHA-256 {a.sha256}\n{a.created_at[:16].replace('T', ' ')} {a.created_by}")
                self.list.addItem(item)
        self._enable()

    def _enable(self) -> None:
        has_owner = self.owner is not None and not self.ctx.db.readonly
        chosen = self.selected_uuid() is not None
        self.add_button.setEnabled(has_owner)
        self.view_button.setEnabled(chosen)
        self.replace_button.setEnabled(chosen and has_owner)
        self.remove_button.setEnabled(chosen and has_owner)

    def selected_uuid(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    # --- actions ---------------------------------------------------------------------------------------------

    def add_paths(self, paths: list[Path]) -> list[attachments_db.Attachment]:
        if self.owner is None or not paths:
            return []
        try:
            return ops.add_files(self.ctx, owner_kind=self.owner[0], owner_id=self.owner[1], paths=paths)
        except BranchDeskError as exc:
            show_error(self, self.tr("添加附件"), exc)
            return []

    def _ask_add(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择要添加的附件"), str(Path.home()), self.tr(FILE_FILTER)
        )
        self.add_paths([Path(n) for n in names])

    def view_selected(self) -> AttachmentViewer | None:
        uuid = self.selected_uuid()
        if uuid is None:
            return None
        viewer = AttachmentViewer(self.ctx, uuid, self)
        self._dialogs.append(viewer)
        viewer.finished.connect(lambda _r: self._dialogs.remove(viewer))
        viewer.open()
        return viewer

    def replace_with(self, path: Path) -> attachments_db.Attachment | None:
        uuid = self.selected_uuid()
        if uuid is None:
            return None
        try:
            return ops.replace(self.ctx, uuid=uuid, path=path)
        except BranchDeskError as exc:
            show_error(self, self.tr("替换附件"), exc)
            return None

    def _ask_replace(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择新的文件"), str(Path.home()), self.tr(FILE_FILTER)
        )
        if name:
            self.replace_with(Path(name))

    def remove_selected(self) -> None:
        uuid = self.selected_uuid()
        if uuid is not None:
            try:
                ops.remove(self.ctx, uuid=uuid)
            except BranchDeskError as exc:
                show_error(self, self.tr("移到回收站"), exc)

    # --- drag and drop ---------------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.owner is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        self.add_paths([p for p in paths if p.is_file()])
        event.acceptProposedAction()


class BinDialog(QDialog):
    """附件回收站: removed and replaced files; 还原, and 清空回收站 (the only way files are deleted)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("附件回收站"))
        self.resize(640, 420)
        self.list = QListWidget(self)
        self.restore_button = QPushButton(self.tr("还原"), self)
        self.empty_button = QPushButton(self.tr("清空回收站…"), self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.empty_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("移到回收站或被替换的附件。清空后无法还原（备份中仍保留）。"), self))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.restore_button.clicked.connect(self.restore_selected)
        self.empty_button.clicked.connect(self._ask_empty)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for a in attachments_db.list_bin(self.ctx.db):
            why = self.tr("已替换") if a.binned_reason == "replaced" else self.tr("已移除")
            item = QListWidgetItem(
                self.tr("{0}（{1}，{2}，{3}）").format(
                    a.name, a.owner_label, why, (a.binned_at or "")[:16].replace("T", " ")
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, a.uuid)
            self.list.addItem(item)
        self.empty_button.setEnabled(self.list.count() > 0 and not self.ctx.db.readonly)

    def restore_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            try:
                ops.restore(self.ctx, uuid=str(item.data(Qt.ItemDataRole.UserRole)))
            except BranchDeskError as exc:
                show_error(self, self.tr("还原附件"), exc)
            self.refresh()

    def _ask_empty(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("清空回收站"),
            self.tr("确定清空回收站中的 {0} 个附件吗？清空后无法在程序中还原。").format(self.list.count()),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.accepted.connect(self.empty)
        self._box = box
        box.open()

    def empty(self) -> attachments_db.Emptied | None:
        try:
            result = ops.empty_bin(self.ctx)
        except BranchDeskError as exc:
            show_error(self, self.tr("清空回收站"), exc)
            return None
        self.refresh()
        return result


class AttachmentsDialog(QDialog):
    """The files of one record, from a page whose records have no side panel (members, projects, transfers)."""

    def __init__(
        self, ctx: AppContext, owner: tuple[str, str], title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(560, 380)
        self.panel = AttachmentsPanel(ctx, self)
        self.panel.set_owner(owner)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.panel, 1)
        layout.addWidget(buttons)


def open_attachments(
    parent: QWidget, ctx: AppContext, owner: tuple[str, str] | None, title: str
) -> AttachmentsDialog | None:
    """附件…: the dialog of the selected record's files (non-modal); None when no record is selected."""
    if owner is None:
        return None
    dialog = AttachmentsDialog(ctx, owner, title, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    parent.setProperty("attachments_dialog", dialog)  # kept alive while open
    dialog.open()
    return dialog
