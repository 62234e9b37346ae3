"""The yearly 党内统计: ``stats`` (the branch's report) and ``stats-consolidate`` (HQ sums the branches)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from desktop.cli.common import CliError, open_db, out_file


def _cmd_stats(args: argparse.Namespace) -> int:
    """The yearly (or half-yearly) 党内统计 of the branch as a workbook laid out like the HQ forms, and JSON."""
    from db import branch, statistics, store

    if not 1921 <= args.year <= 2200:
        raise CliError(f"年份「{args.year}」无效：请写四位年份，如 --year 2025")
    out = out_file(args.out, ".xlsx")
    not_begun = statistics.not_begun(year=args.year, half=args.half, today=date.today())
    if not_begun:
        raise CliError(not_begun)
    database = open_db(args, create=False)
    try:
        report = statistics.yearly_report(database, year=args.year, half=args.half)
        profile = branch.get_branch(database)
        name = profile.name if profile else ""
        statistics.write_report(report, out, branch=name, code=profile.code if profile else "")
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

    result = c.consolidate_stats([Path(f) for f in args.files], out=out_file(args.out, ".xlsx"))
    if args.json:
        print(json.dumps(c.consolidation_json(result), ensure_ascii=False, indent=2))
    stream = sys.stderr if args.json else sys.stdout
    ok = sum(b.ok for b in result.summed)
    refused = [b for b in result.branches if b.status == c.NOT_SUMMED]
    print(
        f"已汇总 {len(result.summed)} 个支部的党内统计（{result.period or '无可汇总的年报'}），平衡 {ok} 个，"
        f"不平衡 {len(result.summed) - ok} 个；未汇总 {result.not_summed} 个：{result.out}",
        file=stream,
    )
    for f in result.findings:
        where = f"{f.sheet} 单元格 {f.cell}" if f.cell else f.sheet
        head = "：".join(x for x in (f.file, f.branch, where) if x)
        print(f"问题（{f.kind}）：{head}：{f.message.rstrip('。')}。处理：{f.action}", file=stream)
    return 1 if refused or any(f.kind in (c.UNREADABLE, c.NOT_A_REPORT) for f in result.findings) else 0
