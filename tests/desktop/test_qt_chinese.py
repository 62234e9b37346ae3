"""Qt's own dialogs, buttons, menus and calendars speak Chinese (issue 16: English never reaches a secretary)."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, QTimer
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QCalendarWidget, QDialogButtonBox, QLineEdit, QMessageBox, QPushButton

from desktop.app import create_application


def test_standard_buttons_are_chinese(qapp) -> None:
    create_application()
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok
        | QDialogButtonBox.StandardButton.Cancel
        | QDialogButtonBox.StandardButton.Save
    )
    texts = {
        box.button(b).text().replace("&", "") for b in (box.StandardButton.Ok, box.StandardButton.Cancel)
    }
    assert texts == {"确定", "取消"}
    assert "保存" in box.button(QDialogButtonBox.StandardButton.Save).text()


def test_message_box_and_context_menu_are_chinese(qapp, qtbot) -> None:
    create_application()
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "支部工作台",
        "确认？",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
    )
    qtbot.addWidget(box)
    assert {b.text().replace("&", "") for b in box.buttons()} <= {"是", "否", "是(Y)", "否(N)"}
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    actions = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if a.text()]
    assert any(t.startswith("复制") for t in actions) and any(t.startswith("粘贴") for t in actions), actions


def test_calendar_shows_chinese_month_and_weekday_names(qapp, qtbot) -> None:
    create_application()
    assert QLocale().language() == QLocale.Language.Chinese
    calendar = QCalendarWidget()
    qtbot.addWidget(calendar)
    calendar.setSelectedDate(QDate(2026, 11, 30))
    assert calendar.locale().monthName(11) == "十一月"
    assert calendar.locale().dayName(1, QLocale.FormatType.ShortFormat) == "周一"


def test_print_dialog_buttons_read_print_and_cancel(qapp, qtbot) -> None:
    create_application()
    printer = QPrinter()
    dialog = QPrintDialog(printer)
    seen: list[str] = []

    def look() -> None:
        seen.extend(b.text().replace("&", "") for b in dialog.findChildren(QPushButton) if b.isVisible())
        dialog.reject()

    QTimer.singleShot(0, look)
    dialog.exec()
    assert "取消" in seen and any(t.startswith("打印") for t in seen), seen
