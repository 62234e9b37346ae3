"""The database file's commands: ``demo`` (a demo branch), ``check`` (integrity and reminders), ``backup``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from desktop.cli.common import EXIT_ERROR, CliError, open_db


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
            if out.is_dir():  # a folder (the USB stick): the copy goes into it under a backup's own name
                out = out / store.backup_name(database.path, "manual", folder=out)
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
