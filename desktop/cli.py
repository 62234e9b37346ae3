"""The command line: ``branchdesk [--db PATH] [SUB-COMMAND …]``.

No sub-command starts the GUI. Sub-commands do not import Qt unless they need it (``signin``, ``print`` and
``screenshots`` do). Errors exit non-zero with a one-line Chinese message on stderr, never a traceback. Each
sub-command is a ``_cmd_<name>(args) -> int`` function registered in ``_build_parser``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import db as db_package
from desktop.paths import default_db_path

if TYPE_CHECKING:
    from db.store import Database

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(Exception):
    """A one-line Chinese message for the user; the CLI prints it and exits with ``EXIT_ERROR``."""


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


# --- sub-commands -----------------------------------------------------------------------------------------


def _cmd_gui(args: argparse.Namespace) -> int:
    from desktop import app

    return app.run(db_path=db_path(args), explicit_db=args.db is not None)


def _cmd_demo(args: argparse.Namespace) -> int:
    from db import branch, demo, members, store

    if args.members < 1:
        raise CliError("党员人数（--members）至少为 1")
    database = open_db(args)
    try:
        demo.generate(database, members=args.members, seed=args.seed)
        counts = members.count_members(database)
        profile = branch.get_branch(database)
        groups = len(branch.list_party_groups(database))
        print(
            f"已生成演示支部「{profile.name if profile else ''}」：在册党员 {counts['active']} 人"
            f"（正式党员 {counts['full']}，预备党员 {counts['probationary']}），已转出或减员 {counts['archived']} 人，"
            f"党小组 {groups} 个；数据库：{database.path}"
        )
    finally:
        store.close(database)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    import json
    from datetime import date

    from db import attachments, branch, completeness, members, reminders, store, transfers

    database = open_db(args, create=False)
    try:
        if not database.readonly:  # as when the program opens it: lapsed letters out become 已转出
            transfers.settle_transfers_out(database)
        integrity = store.integrity_check(database, full=True)
        damaged = [d.line() for d in attachments.verify_attachments(database)]
        profile = branch.get_branch(database)
        report: dict[str, Any] = {
            "database": str(database.path),
            "integrity": integrity,
            "ok": integrity == ["ok"] and not damaged,
            # Attachments whose file is missing or fails its SHA-256 (issue 21).
            "damaged_attachments": damaged,
            "branch": profile.name if profile else None,
            "counts": members.count_members(database),
            "party_groups": len(branch.list_party_groups(database)),
            "warnings": members.branch_size_warnings(database) if profile else [],
            # Active members whose statistical codes (工作岗位代码, 学历分类, 生产工作第一线) are not complete.
            "incomplete_codes": completeness.count_incomplete(database),
            # Every part's reminders (db.reminders.gather), one line each; the size warnings are listed above.
            "reminders": [
                r.line() for r in reminders.gather(database, today=date.today()) if r.kind != "branch_size"
            ],
        }
    finally:
        store.close(database)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        counts = report["counts"]
        print(f"数据库：{report['database']}")
        print(
            "完整性检查：通过"
            if integrity == ["ok"]
            else "完整性检查：未通过（" + "；".join(integrity[:5]) + "）"
        )
        for line in damaged:
            print(f"附件损坏：{line}")
        print(f"支部：{report['branch'] or '（尚未设置）'}")
        print(
            f"在册党员 {counts['active']} 人（正式党员 {counts['full']}，预备党员 {counts['probationary']}，"
            f"流动党员 {counts['mobile']}），已转出或减员 {counts['archived']} 人，党小组 {report['party_groups']} 个"
        )
        for warning in report["warnings"]:
            print(f"提示：{warning}")
        if report["incomplete_codes"]:
            print(f"统计信息待补全：{report['incomplete_codes']} 名在册党员")
        for reminder in report["reminders"]:
            print(f"提醒：{reminder}")
    return 0 if report["ok"] else EXIT_ERROR


def _cmd_backup(args: argparse.Namespace) -> int:
    from db import store

    database = open_db(args, create=False)
    try:
        if args.out:
            out = Path(args.out)
            if out.exists() and out.resolve() == database.path.resolve():
                raise CliError("备份文件不能与数据库文件相同，请换一个路径")
            path = store.backup(database, out)
            from db.attachments import copy_store_beside

            copy_store_beside(database, path)  # the attachment files travel with a copy made elsewhere
        else:
            path = store.backup_before(database, "manual")
    finally:
        store.close(database)
    print(f"已备份到：{path}")
    return 0


def _cmd_screenshots(args: argparse.Namespace) -> int:
    import os

    if not os.environ.get("QT_QPA_PLATFORM") and "-platform" not in sys.argv:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window appears; works without a display
    from db import store
    from desktop import screenshots
    from desktop.app import create_application

    create_application([sys.argv[0]])
    path = db_path(args)
    if not path.exists():
        raise CliError(f"找不到数据库文件「{path}」。可先用 branchdesk demo --db {path} 生成演示支部。")
    database = open_db(args, create=False)
    try:
        written = screenshots.render_all(database, Path(args.out))
    finally:
        store.close(database)
    for p in written:
        print(p)
    expected = len(screenshots.DIALOG_SHOTS)
    if not written:
        raise CliError("没有生成任何截图")
    print(f"共 {len(written)} 张截图（对话框 {expected} 项）", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from db import store
    from db.workbook.export import export_monthly

    db = open_db(args, create=False)
    try:
        result = export_monthly(db, month=args.month, path=Path(args.out), password=workbook_password(args))
    finally:
        store.close(db)
    counts = "，".join(f"{name} {n} 行" for name, n in result.row_counts.items())
    print(f"已导出 {result.month} 月度报送工作簿：{result.path}（{counts}）")
    if not result.recorded:
        from db.workbook.export import READONLY_NOTE

        print(READONLY_NOTE)
    return 0


def _cmd_import(args: argparse.Namespace) -> int:
    import json

    from db import store
    from db.errors import BranchDeskError
    from db.workbook.merge import STATUSES, apply_import, preview_import
    from db.workbook.rejects import write_error_file
    from db.workbook.roster_read import SheetChoiceNeeded

    def refuse(message: str, **extra: object) -> int:
        """A refusal: with ``--json`` a JSON object on stdout (scripts rely on it), always a non-zero exit."""
        if args.json:
            print(json.dumps({"error": message, "file": args.file, **extra}, ensure_ascii=False, indent=1))
        else:
            print(f"错误：{message}", file=sys.stderr)
        return EXIT_ERROR

    if not Path(args.file).exists():
        return refuse(f"找不到文件「{args.file}」")
    try:
        # An empty new database may be set up from HQ's roster, but only at the default place: a --db path
        # that does not exist is a typo, refused as the other commands do.
        db = open_db(args, create=not args.db)
    except BranchDeskError as exc:
        return refuse(exc.message)
    try:
        try:
            preview = preview_import(
                db, path=Path(args.file), password=workbook_password(args), sheet=args.sheet
            )
        except SheetChoiceNeeded as exc:
            return refuse(exc.message + "（用 --sheet 指定）", sheets=exc.sheets)
        except BranchDeskError as exc:
            return refuse(exc.message)
        if args.json:
            print(json.dumps(preview.to_json(), ensure_ascii=False, indent=1))
        else:
            print(f"工作表「{preview.sheet}」（表头在第 {preview.header_row} 行）")
            if preview.already_imported:
                print(preview.already_imported)
            print("预览：" + "，".join(f"{STATUSES[k]} {n}" for k, n in preview.counts.items()))
            if preview.ignored_columns:
                print("忽略的列：" + "、".join(preview.ignored_columns))
            for row in preview.rows:
                if row.status in ("changed", "conflict", "new"):
                    detail = "；".join(c.describe() + ("（冲突）" if c.conflict else "") for c in row.changes)
                    print(
                        f"第 {row.row} 行 {row.name}：{STATUSES[row.status]} {detail if row.status != 'new' else ''}"
                    )
            for problem in preview.problems:
                print(problem.text())
            for ignored in preview.ignored_rows:
                print("忽略：" + ignored.text())
            for note in preview.row_notes:
                print("提示：" + note.text())
        if args.errors:
            written = write_error_file(preview, Path(args.errors), password=workbook_password(args))
            print(
                f"已保存问题行：{written}" if written else "没有无效或忽略的行，未生成问题文件",
                file=sys.stderr if args.json else sys.stdout,
            )
        if args.apply:
            batch = apply_import(db, preview=preview)
            print(
                f"已导入（批次 {batch.uuid}）：新增 {preview.counts['new']}，修改 {preview.counts['changed']}；"
                f"冲突 {preview.counts['conflict']} 行保留支部的值，无效 {preview.counts['invalid']} 行未导入",
                file=sys.stderr if args.json else sys.stdout,
            )
    finally:
        store.close(db)
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from db.workbook.export import write_template

    print(f"已生成空白花名册模板：{write_template(Path(args.out))}")
    return 0


def _cmd_consolidate(args: argparse.Namespace) -> int:
    from db.workbook.consolidate import consolidate

    result = consolidate([Path(f) for f in args.files], out=Path(args.out), password=workbook_password(args))
    print(f"已汇总 {len(result.branches)} 个支部（{result.month}）：{result.out}")
    for file_name, message in result.problems:
        print(f"问题：{file_name + '：' if file_name else ''}{message}")
    return 0


def _cmd_stats(args: argparse.Namespace) -> int:
    """The yearly (or half-yearly) 党内统计 of the branch as a workbook laid out like the HQ forms, and JSON."""
    from db import branch, statistics, store

    if not 1921 <= args.year <= 2200:
        raise CliError(f"年份「{args.year}」无效：请写四位年份，如 --year 2025")
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise CliError(f"输出文件「{out}」须为 .xlsx 文件")
    database = open_db(args, create=False)
    try:
        report = statistics.yearly_report(database, year=args.year, half=args.half)
        profile = branch.get_branch(database)
        name = profile.name if profile else ""
        statistics.write_report(report, out, branch=name)
    finally:
        store.close(database)
    b = report.balance
    if args.json:
        print(statistics.report_json_text(report, branch=name))
    stream = sys.stderr if args.json else sys.stdout
    print(f"已生成{report.period_text}党内统计：{out}", file=stream)
    print(
        f"上年底总数 {b.previous} + 本年增加 {b.added} − 本年减少 {b.removed} = 本年底应有数 {b.expected}；"
        f"本年底实有数 {b.actual}：{'平衡' if b.closes else f'不平衡（差 {b.difference}）'}",
        file=stream,
    )
    for person in b.people:
        print(f"差异：{person.name}：{person.why}", file=stream)
    for person in b.warnings:
        print(f"待补充：{person.name}：{person.why}", file=stream)
    return 0


def _cmd_stats_consolidate(args: argparse.Namespace) -> int:
    """HQ: check and sum the branches' yearly statistics workbooks; every failure of the 校核 printed (stderr with
    ``--json``, which prints the same result as JSON). Exit 1 when a workbook was refused (not summed)."""
    import json

    from db.statistics import consolidate as c

    result = c.consolidate_stats([Path(f) for f in args.files], out=Path(args.out))
    if args.json:
        print(json.dumps(c.consolidation_json(result), ensure_ascii=False, indent=2))
    stream = sys.stderr if args.json else sys.stdout
    ok = sum(b.ok for b in result.summed)
    refused = [b for b in result.branches if b.status == c.NOT_SUMMED]
    print(
        f"已汇总 {len(result.summed)} 个支部的党内统计（{result.period}），平衡 {ok} 个，"
        f"不平衡 {len(result.summed) - ok} 个；未汇总 {len(refused)} 个：{result.out}",
        file=stream,
    )
    for f in result.findings:
        where = f"{f.sheet} 单元格 {f.cell}" if f.cell else f.sheet
        head = "：".join(x for x in (f.file, f.branch, where) if x)
        print(f"问题（{f.kind}）：{head}：{f.message}。处理：{f.action}", file=stream)
    return 1 if refused or any(f.kind in (c.UNREADABLE, c.NOT_A_REPORT) for f in result.findings) else 0


def _cmd_signin(args: argparse.Namespace) -> int:
    """Print a meeting's sign-in sheet (签到表) to PDF. ``--meeting`` is the meeting's uuid or ``YEAR-KIND-SEQ``
    (kind as identifier or Chinese name: ``2026-branch_assembly-3``, ``2026-支部党员大会-3``)."""
    import os

    os.environ.setdefault(
        "QT_QPA_PLATFORM", "offscreen"
    )  # no window is shown; works on a machine without display
    from db import meetings, store
    from desktop.qt import QApplication

    database = open_db(args, create=False)
    try:
        meeting = meetings.find_meeting(database, ref=args.meeting)
        sheet = meetings.signin_sheet(database, meeting_uuid=meeting.uuid, variant=args.variant)
    finally:
        store.close(database)
    app = QApplication.instance() or QApplication([])  # noqa: F841 - fonts need an application object
    from desktop.printing.signin import write_pdf

    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise CliError(f"输出文件夹「{out.parent}」不存在")
    pages = write_pdf(sheet, out)
    print(f"已生成签到表：{out}（{meeting.title} {meeting.number_text}，共 {pages} 页）")
    return 0


def _cmd_print(args: argparse.Namespace) -> int:
    """Write any printout as a PDF (``print --list`` names them): the same layouts as the GUI's previews."""
    from desktop.printing import catalogue

    if args.list:
        from desktop.word.forms import BY_KIND as WORD_FORMS

        for printout in catalogue.PRINTOUTS:
            word = "　（--out 文件.docx：Word 文档）" if printout.kind in WORD_FORMS else ""
            print(catalogue.usage_line(printout) + word)
        return 0
    if not args.kind:
        raise CliError("请指定打印件，如 branchdesk print roster --out 名册.pdf；用 --list 查看全部打印件")
    if args.kind not in catalogue.BY_KIND:
        raise CliError(f"没有名为「{args.kind}」的打印件。可用 branchdesk print --list 查看全部打印件")
    if not args.out:
        raise CliError("请用 --out 指定输出文件（.pdf；有 Word 格式的打印件也可以是 .docx）")
    out = Path(args.out)
    if out.parent and not out.parent.exists():
        raise CliError(f"输出文件夹「{out.parent}」不存在")
    month = catalogue.parse_month(args.month) if args.month else None
    selection = catalogue.Selection(
        record=args.id, year=args.year, month=month, variant=args.variant, copies=args.voters
    )
    _qt_offscreen()
    from db import store
    from desktop.word import forms

    as_word = out.suffix.lower() == ".docx"
    if as_word:
        forms.form_of(args.kind)  # refused before the database is opened: this printout has no Word form
    database = open_db(args, create=False)
    try:
        if as_word:
            what = forms.write_docx(database, kind=args.kind, out=out, sel=selection)
        else:
            what = catalogue.write(database, args.kind, out, selection)
    finally:
        store.close(database)
    print(f"已生成{what}：{out}")
    return 0


def _cmd_scans(args: argparse.Namespace) -> int:
    """导入扫描件: where each scanned page goes (by its QR code); ``--apply`` files them."""
    import json

    from db import store
    from db.attachments import scans

    database = open_db(args, create=False)
    try:
        plan = scans.plan(database, [Path(f) for f in args.files])
        filed = scans.apply(database, plan) if args.apply else []
    finally:
        store.close(database)
    if args.json:
        report = plan.as_json()
        report["applied"] = bool(args.apply)
        report["filed"] = [{"uuid": a.uuid, "name": a.name, "owner_id": a.owner_id} for a in filed]
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for sheet in plan.sheets:
        pages = "、".join(f"第{n}页←{sheet.pages[n].label}" for n in sorted(sheet.pages))
        missing = f"（缺第 {'、'.join(str(n) for n in sheet.missing)} 页）" if sheet.missing else ""
        print(f"{sheet.tag.name} → {sheet.record}：共 {sheet.tag.pages} 页，{pages}{missing}")
    for u in plan.unplaced:
        print(f"未能归档：{u.page.label}：{u.reason}")
    if args.apply:
        print(f"已归档 {len(filed)} 份扫描件；{len(plan.unplaced)} 页未能归档，请在程序中手动归档。")
    else:
        print(
            f"预览：{len(plan.sheets)} 份扫描件可归档，{len(plan.unplaced)} 页未能归档。加 --apply 执行归档。"
        )
    return 0


def _cmd_archive(args: argparse.Namespace) -> int:
    """立卷: ``archive --year Y --out DIR`` builds the year's volumes; ``archive verify DIR`` checks a folder."""
    if args.action == "verify":
        from desktop.archive import manifest

        if not args.folder:
            raise CliError("请指定要检查的档案文件夹，如 branchdesk archive verify 档案/2026")
        problems = manifest.verify(Path(args.folder))
        for line in problems:
            print(f"问题：{line}", file=sys.stderr)
        if problems:
            print(f"错误：档案「{args.folder}」有 {len(problems)} 处与清单不符", file=sys.stderr)
            return EXIT_ERROR
        print(f"档案「{args.folder}」完好：每个文件都与清单（manifest.json）一致")
        return 0
    if args.action or args.folder:
        raise CliError(
            "用法：branchdesk archive --year 年份 --out 文件夹，或 branchdesk archive verify 文件夹"
        )
    if args.year is None or not args.out:
        raise CliError(
            "请用 --year 指定年份、--out 指定输出文件夹，如 branchdesk archive --year 2026 --out 档案/2026"
        )
    _qt_offscreen()
    from db import store
    from desktop.archive import volumes

    database = open_db(args, create=False)
    try:
        made = volumes.make_year(database, year=args.year, out=Path(args.out))
    finally:
        store.close(database)
    for v in made.volumes:
        print(f"第 {v.number} 卷 {v.name}：{v.file}（{v.documents} 份文件，{v.pages} 页）")
    for problem in made.problems:
        print(f"问题：{problem}（卷中以说明页代替，请从备份中恢复该附件后重新立卷）", file=sys.stderr)
    print(f"已生成 {args.year} 年度档案：{made.folder}（卷内目录 {made.index.name}，清单 manifest.json）")
    print("提醒：档案是未加密的 PDF，含党员个人信息（身份证号、电话已隐去部分），请存入档案柜或专用 U 盘。")
    return 0


def _cmd_handover(args: argparse.Namespace) -> int:
    """交接: a verified backup, the archive volumes not yet made and the printed 交接清单, in one folder."""
    _qt_offscreen()
    from db import store
    from desktop.archive import handover

    database = open_db(args, create=False)
    try:
        done = handover.make_handover(database, out=Path(args.out))
    finally:
        store.close(database)
    print(f"已备份（已校验）：{done.backup}")
    for a in done.archived:
        print(f"已立卷：{a.year} 年 → {a.folder}")
    if not done.archived:
        print("往年档案均已立卷，本次没有新生成的档案")
    print(f"已生成交接清单：{done.checklist}（请打印后双方签字）")
    return 0


def _qt_offscreen() -> None:
    """An application object for fonts and painting, without a window (works on a machine without display)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.qt import QApplication

    if QApplication.instance() is None:
        _qt_offscreen.app = QApplication([])  # type: ignore[attr-defined]  # kept alive for the process


# --- parser -----------------------------------------------------------------------------------------------


def _build_parser() -> argparse.ArgumentParser:
    from desktop.cli_zh import ChineseArgumentParser

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
    p.add_argument("file", metavar="文件", help=".xlsx 文件")
    p.add_argument("--apply", action="store_true", help="应用全部有效行（默认只预览）")
    p.add_argument("--json", action="store_true", help='以 JSON 输出预览（拒绝时输出 {"error": …}）')
    p.add_argument("--sheet", help="名册所在的工作表（工作簿中有多个名册时）")
    p.add_argument("--errors", help="把无效和忽略的行另存为 .xlsx 问题文件（原样保留，加「问题」列）")
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
    parser = _build_parser()
    args = parser.parse_args(argv)
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
