"""Qt's own texts in Chinese: the print and file dialogs, calendars, context menus, standard buttons, message boxes.

Branch Desk's own strings are written in Chinese; what Qt draws itself (「确定」, 「取消」, the print dialog, the
right-click menu of a text field, the month names of a calendar) comes from Qt's translation catalogues, which
PySide6 ships in its ``translations`` folder (PyInstaller's Qt hooks put the same files into the bundle). English
must never reach a secretary's screen, so they are loaded at start, whatever the system's language, and the
default locale is set to Simplified Chinese (China) for calendars and number formats.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import PySide6

from desktop.qt import *

LOCALE_NAME = "zh_CN"
# qtbase: dialogs, buttons, context menus, calendars; qt: the meta catalogue that pulls in the rest when present.
CATALOGUES = ("qtbase", "qt")


def translator(context: str) -> Callable[[str], str]:
    """``tr(text)`` for code outside a widget (models, printouts, module functions): ``text`` as Qt translates it
    in ``context`` (our own texts are written in Chinese, so as written unless a catalogue says otherwise)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate(context, text)

    return tr


def translation_folders() -> list[str]:
    """Where Qt's catalogues may be: Qt's own translations path, then the folders PySide6 (and a PyInstaller bundle
    of it: ``PySide6/Qt/translations`` on Linux, ``PySide6/translations`` on Windows) keeps them in."""
    package = Path(PySide6.__file__).resolve().parent
    candidates = [
        QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath),
        str(package / "Qt" / "translations"),
        str(package / "translations"),
    ]
    return [c for c in dict.fromkeys(candidates) if c and Path(c).is_dir()]


def install_translations(app: QApplication) -> list[str]:
    """Load Qt's Simplified Chinese catalogues into ``app`` (idempotent) and return the ones loaded.

    A missing catalogue is skipped (the program still works, in English for Qt's own texts); the list lets the
    caller log what was found.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    loaded = app.property("branchdesk_translations")
    if loaded:
        return list(loaded)
    names: list[str] = []
    for catalogue in CATALOGUES:
        translator = QTranslator(app)  # parented to the app, so it lives as long as the app
        if any(translator.load(f"{catalogue}_{LOCALE_NAME}", folder) for folder in translation_folders()):
            app.installTranslator(translator)
            names.append(catalogue)
    app.setProperty("branchdesk_translations", names)
    return names
