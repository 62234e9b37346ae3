"""No identifier reaches the secretary's screen: every page, tab and main dialog of the demo branch (and the
timeline of every member who left) is scanned for values like ``transferred_out`` where a Chinese name belongs."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QGroupBox,
    QLabel,
    QTabWidget,
    QWidget,
)

from db import demo, members
from desktop.context import AppContext

IDENTIFIER = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")
# file paths (the database's, a backup's) may hold any name
PATH = re.compile(r"[A-Za-z0-9_.:~-]*[/\\][A-Za-z0-9_./\\:~-]*")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path):  # type: ignore[no-untyped-def]
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    yield


def visible_texts(root: QWidget) -> list[str]:
    """What the secretary can read in ``root``: labels, buttons, group titles, combo items, tab titles and every
    cell and header of every table or list (all rows of all tabs, shown or not)."""
    texts: list[str] = []
    for label in root.findChildren(QLabel):
        texts.append(label.text())
    for button in root.findChildren(QAbstractButton):
        texts.append(button.text())
    for box in root.findChildren(QGroupBox):
        texts.append(box.title())
    for combo in root.findChildren(QComboBox):
        texts.extend(combo.itemText(i) for i in range(combo.count()))
    for tabs in root.findChildren(QTabWidget):
        texts.extend(tabs.tabText(i) for i in range(tabs.count()))
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None:
            continue
        columns = max(1, _count(model.columnCount))
        for c in range(columns):
            texts.append(str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
        for r in range(min(_count(model.rowCount), 300)):
            for c in range(columns):
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.index(r, c).data(role)
                    if isinstance(value, str):
                        texts.append(value)
    return texts


def _count(method) -> int:  # type: ignore[no-untyped-def]
    """rowCount/columnCount: list models take no argument, table models a parent index (or refuse one)."""
    for args in ((), (QModelIndex(),)):
        try:
            return int(method(*args))
        except TypeError:
            continue
    return 1  # QAbstractListModel keeps its columnCount private: one column


def stored_identifiers() -> set[str]:
    """Every identifier the data layer stores with a Chinese name (the keys of its label tables: statuses,
    categories, kinds, states …): none of them may be shown as is."""
    import importlib

    keys: set[str] = set()
    for name in (
        "db.records",
        "db.rules",
        "db.meetings",
        "db.projects",
        "db.transfers",
        "db.development",
        "db.dues",
    ):
        for value in vars(importlib.import_module(name)).values():
            labels = isinstance(value, dict) and value and all(isinstance(k, str) for k in value)
            if labels and all(
                isinstance(v, str) and re.search(r"[\u4e00-\u9fff]", v) for v in value.values()
            ):
                keys |= {k for k in value if re.fullmatch(r"[a-z]+(?:_[a-z]+)*", k)}
    return keys


IDENTIFIERS = stored_identifiers()


def leaks(where: str, root: QWidget) -> list[str]:
    found = []
    for text in visible_texts(root):
        text = PATH.sub(" ", text)
        words = set(IDENTIFIER.findall(text)) | (
            set(re.findall(r"(?<![A-Za-z])[a-z]+(?![A-Za-z])", text)) & IDENTIFIERS
        )
        found += [f"{where}: {word!r} in {text[:80]!r}" for word in sorted(words)]
    return found


def test_pages_dialogs_and_timelines_show_chinese_names(qtbot, db) -> None:
    from desktop.dialogs.transfer_timeline_dialog import TimelineDialog
    from desktop.main_window import MainWindow
    from desktop.screenshots import DIALOG_SHOTS, _resolve

    demo.generate(db, members=40, seed=1)
    ctx = AppContext(db)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    found: list[str] = []
    for key in window.page_keys():
        page = window.show_page(key)
        assert page is not None
        page.refresh()
        for tabs in page.findChildren(QTabWidget):
            for i in range(tabs.count()):
                tabs.setCurrentIndex(i)
                QApplication.processEvents()
        QApplication.processEvents()
        found += leaks(f"page {key}", page)
    for stem, spec in DIALOG_SHOTS:
        dialog = _resolve(spec)(ctx, window)
        dialog.show()
        QApplication.processEvents()
        found += leaks(f"dialog {stem}", dialog)
        dialog.close()
        dialog.deleteLater()
    archived = [m for m in members.list_members(db, status=None) if m.status != "active"]
    assert archived, "the demo branch has members who left"
    for m in archived:
        dialog = TimelineDialog(ctx, m.uuid, window)
        found += leaks(f"timeline of {m.name}", dialog)
        dialog.deleteLater()
    assert {"transferred_out", "branch_assembly", "probationary", "planned"} <= IDENTIFIERS
    assert not found, "\n".join(sorted(set(found)))
