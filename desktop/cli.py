"""The command line: ``branchdesk [--db PATH] [SUB-COMMAND …]``.

No sub-command starts the GUI. Sub-commands do not import Qt unless they need it (``signin`` and ``screenshots``
do). Errors exit non-zero with a one-line Chinese message on stderr, never a traceback. Each sub-command is a
``_cmd_<name>(args) -> int`` function registered in ``_build_parser``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import db as db_package

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A one-line Chinese message for the user; the CLI prints it and exits with ``EXIT_ERROR``."""


def _portable_base() -> Path | None:
    """The program folder when a ``portable`` marker file sits beside the executable (USB-stick use)."""
    base = Path(sys.executable).resolve().parent if getattr(sys, "frozen", False) else Path(sys.argv[0]).resolve().parent
    return base if (base / "portable").exists() else None


def db_path(args: argparse.Namespace) -> Path:
    """The database a command works on: ``--db`` or the default one in the user's data folder."""
    from db import store

    return Path(args.db) if args.db else store.default_db_path(portable_base=_portable_base())


def open_db(args: argparse.Namespace, *, create: bool = True):  # type: ignore[no-untyped-def]
    from db import store

    return store.open(db_path(args), create=create)


# --- sub-commands -----------------------------------------------------------------------------------------


def _cmd_gui(args: argparse.Namespace) -> int:
    from desktop import app

    return app.run(db_path=db_path(args), explicit_db=args.db is not None)


def _cmd_demo(args: argparse.Namespace) -> int:
    raise CliError("demo 尚未实现")


def _cmd_check(args: argparse.Namespace) -> int:
    raise CliError("check 尚未实现")


def _cmd_backup(args: argparse.Namespace) -> int:
    raise CliError("backup 尚未实现")


def _cmd_screenshots(args: argparse.Namespace) -> int:
    raise CliError("screenshots 尚未实现")


def _cmd_export(args: argparse.Namespace) -> int:
    raise CliError("export 尚未实现")


def _cmd_import(args: argparse.Namespace) -> int:
    raise CliError("import 尚未实现")


def _cmd_template(args: argparse.Namespace) -> int:
    raise CliError("template 尚未实现")


def _cmd_consolidate(args: argparse.Namespace) -> int:
    raise CliError("consolidate 尚未实现")


def _cmd_signin(args: argparse.Namespace) -> int:
    raise CliError("signin 尚未实现")


# --- parser -----------------------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"参数错误：{message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="branchdesk", description="支部工作台 Branch Desk")
    parser.add_argument("--version", action="version", version=f"branchdesk {db_package.__version__}")
    parser.add_argument("--db", help="数据库文件路径（默认：用户数据文件夹中的 branchdesk.sqlite）")
    parser.set_defaults(func=_cmd_gui)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def add(name: str, func, help_text: str) -> argparse.ArgumentParser:  # type: ignore[no-untyped-def]
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件路径")
        p.set_defaults(func=func)
        return p

    p = add("demo", _cmd_demo, "生成演示支部（党员、会议、党费、项目）")
    p.add_argument("--members", type=int, default=40, help="党员人数（默认 40）")
    p.add_argument("--seed", type=int, default=1, help="随机种子：相同种子生成相同支部")
    p = add("check", _cmd_check, "检查数据库完整性并列出提醒事项")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p = add("backup", _cmd_backup, "备份数据库")
    p.add_argument("--out", help="备份文件路径（默认：数据库旁的 backups 文件夹）")
    p = add("screenshots", _cmd_screenshots, "把每个页面和主要对话框渲染为 PNG")
    p.add_argument("--out", required=True, help="输出文件夹")
    p = add("export", _cmd_export, "导出月度报送工作簿")
    p.add_argument("--month", required=True, help="月份 YYYY-MM")
    p.add_argument("--out", required=True, help="输出 .xlsx 文件")
    p = add("import", _cmd_import, "预览（或 --apply 应用）上级发来的名册/更正工作簿")
    p.add_argument("file", help=".xlsx 文件")
    p.add_argument("--apply", action="store_true", help="应用全部有效行（默认只预览）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出预览")
    p = add("template", _cmd_template, "生成空白花名册模板（供上级填写）")
    p.add_argument("--out", required=True, help="输出 .xlsx 文件")
    p = add("consolidate", _cmd_consolidate, "汇总多个支部的月度报送工作簿")
    p.add_argument("--out", required=True, help="汇总 .xlsx 文件")
    p.add_argument("files", nargs="+", help="各支部的月度工作簿")
    p = add("signin", _cmd_signin, "打印会议签到表为 PDF")
    p.add_argument("--meeting", required=True, help="会议编号（uuid 或序号）")
    p.add_argument("--out", required=True, help="输出 PDF 文件")
    p.add_argument("--variant", choices=["planned", "blank", "filled"], default="planned",
                   help="planned：预填姓名；blank：空白；filled：含出席情况")
    return parser


def main(argv: list[str]) -> int:
    """Parse ``argv`` and run; returns the process exit code."""
    from db.errors import BranchDeskError

    parser = _build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    try:
        return int(args.func(args) or 0)
    except (CliError, BranchDeskError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"错误：无法读写文件「{exc.filename or ''}」：{exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
