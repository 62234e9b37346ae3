"""What every sub-command shares: the Chinese error it raises, the exit codes, the database it opens (asking for
its password when needed), the workbook password, and a Qt application without a window for printing."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.paths import default_db_path

if TYPE_CHECKING:
    from db.store import Database

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A one-line Chinese message for the user; the CLI prints it and exits with ``EXIT_ERROR``."""


def out_file(value: str, *suffixes: str) -> Path:
    """The file ``--out`` names, refused in one line before any work when it is a folder (where the file's own name
    is missing) or, with ``suffixes``, of another kind (an export named .txt was written as a workbook anyway)."""
    out = Path(value)
    if out.is_dir():
        example = out / f"文件名{suffixes[0] if suffixes else ''}"
        raise CliError(f"「{out}」是一个文件夹：请在 --out 中写上文件名，如 {example}")
    if suffixes and out.suffix.lower() not in suffixes:
        raise CliError(f"输出文件「{out}」须为 {' 或 '.join(suffixes)} 文件")
    return out


def db_path(args: argparse.Namespace) -> Path:
    """The database a command works on: ``--db`` or the default one in the user's data folder."""
    return Path(args.db) if args.db else default_db_path()


DB_PASSWORD_ENV = "BRANCHDESK_DB_PASSWORD"


def open_db(args: argparse.Namespace, *, create: bool = True) -> Database:
    """Open the command's database. An encrypted one takes its password from ``BRANCHDESK_DB_PASSWORD`` or asks
    for it without echo on a terminal (never an argument, never printed or logged); a wrong password asked on a
    terminal may be typed again (three tries)."""
    from db import store

    path = db_path(args)
    key = os.environ.get(DB_PASSWORD_ENV) or None
    try:
        return store.open(path, create=create, key=key)
    except store.PasswordRequired:
        pass
    except store.WrongPassword as exc:
        raise CliError(f"{exc.message.rstrip('。')}（环境变量 {DB_PASSWORD_ENV} 中的密码不正确）") from None
    if not sys.stdin.isatty():
        raise CliError(
            f"数据库「{path.name}」已设置密码：请在终端中运行以输入密码，或设置环境变量 {DB_PASSWORD_ENV}"
        )
    import getpass

    for attempt in range(3):
        key = getpass.getpass(f"数据库「{path.name}」的密码：")
        try:
            return store.open(path, create=create, key=key)
        except store.WrongPassword as exc:
            if attempt == 2:
                raise CliError(exc.message) from None
            print("密码不正确，请重新输入。", file=sys.stderr)
    raise AssertionError("unreachable")  # pragma: no cover


PASSWORD_ENV = "BRANCHDESK_WORKBOOK_PASSWORD"


def workbook_password(args: argparse.Namespace) -> str | None:
    """The workbook password agreed with headquarters, when ``--password`` was given: from the environment
    variable ``BRANCHDESK_WORKBOOK_PASSWORD`` (scripts), else asked without echo (never on the command line, where
    it would stay in the shell history)."""
    if not getattr(args, "password", False):
        return None
    if os.environ.get(PASSWORD_ENV):
        return os.environ[PASSWORD_ENV]
    import getpass

    if not sys.stdin.isatty():
        raise CliError(f"需要工作簿密码：请在终端中运行，或设置环境变量 {PASSWORD_ENV}")
    return getpass.getpass("工作簿密码：")


def qt_offscreen() -> None:
    """An application object for fonts and painting, without a window (works on a machine without display)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.qt import QApplication

    if QApplication.instance() is None:
        qt_offscreen.app = QApplication([])  # type: ignore[attr-defined]  # kept alive for the process
