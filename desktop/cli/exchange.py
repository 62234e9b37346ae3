"""The exchange with headquarters: ``export`` the monthly workbook, ``import`` HQ's roster, the blank ``template``,
HQ's ``consolidate``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import EXIT_ERROR, open_db, out_file, workbook_password


def _cmd_export(args: argparse.Namespace) -> int:
    from db import store
    from db.workbook.export import export_monthly

    out = out_file(args.out, ".xlsx")
    db = open_db(args, create=False)
    try:
        result = export_monthly(db, month=args.month, path=out, password=workbook_password(args))
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
                    line = f"第 {row.row} 行 {row.name}：{STATUSES[row.status]}"
                    print(f"{line} {detail}" if detail and row.status != "new" else line)
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

    print(f"已生成空白花名册模板：{write_template(out_file(args.out, '.xlsx'))}")
    return 0


def _cmd_consolidate(args: argparse.Namespace) -> int:
    from db.workbook.consolidate import consolidate

    out = out_file(args.out, ".xlsx")
    result = consolidate([Path(f) for f in args.files], out=out, password=workbook_password(args))
    if result.branches:
        print(f"已汇总 {len(result.branches)} 个支部（{result.month}）：{result.out}")
    else:
        print(
            f"没有可汇总的月度报送工作簿（{len(args.files)} 个文件都无法汇总，原因见下）；问题清单已保存：{result.out}"
        )
    for file_name, message in result.problems:
        print(f"问题：{file_name + '：' if file_name else ''}{message}")
    return 0 if result.branches else 1
