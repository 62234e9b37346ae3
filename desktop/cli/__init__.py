"""The command line: ``branchdesk [--db PATH] [SUB-COMMAND …]``.

No sub-command starts the GUI. Sub-commands do not import Qt unless they need it (``signin``, ``print``,
``archive``, ``handover`` and ``screenshots`` do). Errors exit non-zero with a one-line Chinese message on stderr,
never a traceback.

Each sub-command is a ``_cmd_<name>(args) -> int`` function in the module of its part — ``database`` (demo,
check, backup), ``exchange`` (export, import, template, consolidate), ``statistics`` (stats, stats-consolidate),
``paper`` (signin, print, scans, archive, handover, screenshots) — and is registered with its options in the one
parser builder below, ``_build_parser``. ``common`` holds what they share (``CliError``, ``open_db`` …), ``zh``
the Chinese argparse.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

import db as db_package
from desktop.cli.common import (
    DB_PASSWORD_ENV,
    EXIT_ERROR,
    EXIT_USAGE,
    PASSWORD_ENV,
    CliError,
    db_path,
    open_db,
    workbook_password,
)
from desktop.cli.database import _cmd_backup, _cmd_check, _cmd_demo
from desktop.cli.exchange import _cmd_consolidate, _cmd_export, _cmd_import, _cmd_template
from desktop.cli.paper import (
    _cmd_archive,
    _cmd_handover,
    _cmd_print,
    _cmd_scans,
    _cmd_screenshots,
    _cmd_signin,
)
from desktop.cli.statistics import _cmd_stats, _cmd_stats_consolidate

__all__ = [
    "DB_PASSWORD_ENV",
    "EXIT_ERROR",
    "EXIT_USAGE",
    "PASSWORD_ENV",
    "CliError",
    "db_path",
    "main",
    "open_db",
    "workbook_password",
]


def _cmd_gui(args: argparse.Namespace) -> int:
    from desktop import app

    app.exit_now(app.run(db_path=db_path(args), explicit_db=args.db is not None))


# --- parser -----------------------------------------------------------------------------------------------


def _build_parser() -> argparse.ArgumentParser:
    from desktop.cli.zh import ChineseArgumentParser

    parser = ChineseArgumentParser(prog="branchdesk", description="支部工作台 Branch Desk")
    parser.add_argument(
        "--version", action="version", version=f"branchdesk {db_package.__version__}", help="显示版本号并退出"
    )
    parser.add_argument(
        "--db", metavar="文件", help="数据库文件路径（默认：用户数据文件夹中的 branchdesk.sqlite）"
    )
    parser.set_defaults(func=_cmd_gui)
    sub = parser.add_subparsers(dest="command", parser_class=ChineseArgumentParser, title="子命令")

    def add(name: str, func: Callable[[argparse.Namespace], int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--db", default=argparse.SUPPRESS, metavar="文件", help="数据库文件路径")
        p.set_defaults(func=func)
        return p

    def add_variant(p: argparse.ArgumentParser, help_text: str) -> None:
        """The sign-in sheet's variant, of ``signin`` and of ``print signin``."""
        p.add_argument("--variant", choices=["planned", "blank", "filled"], default="planned", help=help_text)

    p = add("demo", _cmd_demo, "生成演示支部（党员、会议、党费、项目）")
    p.add_argument("--members", type=int, metavar="人数", default=40, help="党员人数（默认 40）")
    p.add_argument("--seed", type=int, metavar="种子", default=1, help="随机种子：相同种子生成相同支部")
    p = add("check", _cmd_check, "检查数据库完整性并列出提醒事项")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p = add("backup", _cmd_backup, "备份数据库")
    p.add_argument("--out", metavar="文件", help="备份文件路径（默认：数据库旁的 backups 文件夹）")
    p = add("screenshots", _cmd_screenshots, "把每个页面和主要对话框渲染为 PNG")
    p.add_argument("--out", required=True, metavar="文件", help="输出文件夹")
    p = add("export", _cmd_export, "导出月度报送工作簿")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="月份 YYYY-MM")
    p.add_argument("--out", required=True, metavar="文件", help="输出 .xlsx 文件")
    p.add_argument(
        "--password",
        action="store_true",
        help=f"工作簿用与上级约定的密码加密（密码从 {PASSWORD_ENV} 读取或在终端输入）",
    )
    p = add("import", _cmd_import, "预览（或 --apply 应用）上级发来的名册/更正工作簿")
    p.add_argument("file", metavar="文件", help="上级发来的工作簿（.xlsx、.xls、.ods）")
    p.add_argument("--apply", action="store_true", help="应用全部有效行（默认只预览）")
    p.add_argument("--json", action="store_true", help='以 JSON 输出预览（拒绝时输出 {"error": …}）')
    p.add_argument("--sheet", metavar="工作表", help="名册所在的工作表（工作簿中有多个名册时）")
    p.add_argument(
        "--errors", metavar="文件", help="把无效和忽略的行另存为 .xlsx 问题文件（原样保留，加「问题」列）"
    )
    p.add_argument(
        "--password",
        action="store_true",
        help=f"工作簿用与上级约定的密码加密（密码从 {PASSWORD_ENV} 读取或在终端输入）",
    )
    p = add("template", _cmd_template, "生成空白花名册模板（供上级填写）")
    p.add_argument("--out", required=True, metavar="文件", help="输出 .xlsx 文件")
    p = add("consolidate", _cmd_consolidate, "汇总多个支部的月度报送工作簿")
    p.add_argument("--out", required=True, metavar="文件", help="汇总 .xlsx 文件")
    p.add_argument("files", nargs="+", metavar="文件", help="各支部的月度工作簿")
    p.add_argument(
        "--password",
        action="store_true",
        help=f"工作簿用与上级约定的密码加密（密码从 {PASSWORD_ENV} 读取或在终端输入）",
    )
    p = add("stats", _cmd_stats, "生成党内统计年报（支部各表、平衡校核）工作簿")
    p.add_argument("--year", required=True, type=int, metavar="年份", help="统计年度，如 2025")
    p.add_argument("--half", action="store_true", help="半年报（截至 6 月 30 日）")
    p.add_argument("--out", required=True, metavar="文件", help="输出 .xlsx 文件")
    p.add_argument(
        "--json", action="store_true", help="同时以 JSON 输出各表数字、每个数字背后的人员和平衡校核"
    )
    p = add(
        "stats-consolidate", _cmd_stats_consolidate, "上级：汇总多个支部的党内统计年报工作簿并校核各支部平衡"
    )
    p.add_argument("--out", required=True, metavar="文件", help="汇总 .xlsx 文件")
    p.add_argument("files", nargs="+", metavar="文件", help="各支部的党内统计年报工作簿")
    p.add_argument("--json", action="store_true", help="同时以 JSON 输出各支部平衡、校核结果和汇总数字")
    p = add("signin", _cmd_signin, "打印会议签到表为 PDF")
    p.add_argument(
        "--meeting",
        required=True,
        metavar="会议",
        help="会议：next（下一次计划中的会议）、uuid 或 年份-类型-序号（如 2026-branch_assembly-3 或 2026-支部党员大会-3）",
    )
    p.add_argument("--out", required=True, metavar="文件", help="输出 PDF 文件")
    add_variant(p, "planned：预填姓名；blank：空白；filled：含出席情况")
    p = add("print", _cmd_print, "把任一打印件（签到表、名册、台账、公示……）生成 PDF；--list 列出全部")
    p.add_argument(
        "kind", nargs="?", metavar="打印件", help="打印件名称（见 --list），如 signin、roster、dues-ledger"
    )
    p.add_argument("--list", action="store_true", help="列出全部打印件及其参数")
    p.add_argument(
        "--id",
        metavar="记录",
        help="单条记录的打印件：会议（uuid、年份-类型-序号或 next）或介绍信编号；默认最近一条",
    )
    period = p.add_mutually_exclusive_group()
    period.add_argument("--year", type=int, metavar="年份", help="年份（按年度的打印件，默认今年）")
    period.add_argument("--month", metavar="YYYY-MM", help="月份 YYYY-MM（按月的打印件，默认本月）")
    p.add_argument(
        "--out", metavar="文件", help="输出文件：.pdf，或 .docx（会议记录、介绍信等有 Word 模板的打印件）"
    )
    add_variant(p, "签到表：planned 预填姓名；blank 空白；filled 含出席情况")
    p.add_argument(
        "--voters", type=int, metavar="人数", help="民主测评表：参加测评的人数（每人一张，不记名）"
    )
    p = add(
        "archive", _cmd_archive, "年度立卷：生成各卷档案 PDF、卷内目录和清单；archive verify 文件夹 检查档案"
    )
    p.add_argument(
        "action", nargs="?", choices=["verify"], metavar="verify", help="verify：按清单检查档案文件夹"
    )
    p.add_argument("folder", nargs="?", metavar="文件夹", help="要检查的档案文件夹（与 verify 一起用）")
    p.add_argument("--year", type=int, metavar="年份", help="立卷的年度")
    p.add_argument("--out", metavar="文件夹", help="输出文件夹")
    p = add("handover", _cmd_handover, "书记交接：校验过的备份、尚未立卷的年度档案和交接清单")
    p.add_argument("--out", required=True, metavar="文件夹", help="交接材料的输出文件夹")
    p = add("scans", _cmd_scans, "导入扫描件：按打印件上的二维码把扫描页归档到对应记录（默认只预览）")
    p.add_argument(
        "files", nargs="+", metavar="文件或文件夹", help="扫描得到的图片、照片或 PDF，或其所在文件夹"
    )
    p.add_argument("--apply", action="store_true", help="执行归档（默认只预览）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    return parser


def _utf8_streams() -> None:
    """Write UTF-8 (with replacement, never an exception) whatever the console's code page: on Windows a console or
    pipe may use cp936 or cp1252, where printing a Chinese line or a rare name raised ``UnicodeEncodeError``."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (OSError, ValueError):  # a stream already written in another encoding, or closed
                pass


def _window_args(argv: list[str]) -> argparse.Namespace | None:
    """The window's own command lines (``branchdesk``, ``branchdesk --db F``, ``branchdesk --db=F``) as the full
    parser reads them, without building the parsers of the sub-commands: that takes about 20 ms, a tenth of
    what the program adds to a bare Qt window's start (issue 22). Any other command line returns None and goes
    through ``_build_parser``; a test holds both readings equal."""
    if not argv:
        db = None
    elif len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        db = argv[1]
    elif len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > len("--db="):
        db = argv[0][len("--db=") :]
    else:
        return None
    return argparse.Namespace(db=db, command=None, func=_cmd_gui)


def _written_path(args: argparse.Namespace) -> Path:
    """The file a command was writing when the disk filled: its output, else the database."""
    out = getattr(args, "out", None)
    return Path(out) if out else db_path(args)


def main(argv: list[str]) -> int:
    """Parse ``argv`` and run; returns the process exit code."""
    import faulthandler

    from db.errors import BranchDeskError

    # A crash inside Qt (printing, screenshots) then prints the Python stacks instead of a bare "Aborted".
    try:
        faulthandler.enable()
    except (OSError, ValueError, AttributeError):  # stderr without a file descriptor (embedded, captured)
        pass
    _utf8_streams()
    args = _window_args(argv) or _build_parser().parse_args(argv)
    if not hasattr(args, "db"):
        args.db = None
    # A writer abandoned after a failed write (a full disk) may fail again when collected; that second failure
    # must not print a traceback after the one Chinese line.
    sys.unraisablehook = lambda _unraisable: None
    try:
        return int(args.func(args) or 0)
    except (CliError, BranchDeskError) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("已取消", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:
        from db.store import disk_full_message, is_disk_full, os_reason

        where = Path(getattr(exc, "filename", None) or _written_path(args))
        if is_disk_full(exc, where=where.parent):
            print(f"错误：{disk_full_message(where.parent)}", file=sys.stderr)
            return EXIT_ERROR
        if isinstance(exc, OSError):
            print(f"错误：无法读写文件「{exc.filename or ''}」：{os_reason(exc)}", file=sys.stderr)
            return EXIT_ERROR
        if os.environ.get("BRANCHDESK_DEBUG"):
            raise
        from db.rules import scrub_personal_data

        detail = scrub_personal_data(f"{type(exc).__name__}: {exc}")
        print(
            f"错误：程序内部错误（{detail}）。请把这一行告诉技术人员；设置 BRANCHDESK_DEBUG=1 可看到详细信息。",
            file=sys.stderr,
        )
        return EXIT_ERROR
