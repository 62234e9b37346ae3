"""The paper loop: ``signin`` and ``print`` (printouts as PDF or Word), ``scans`` (filing scanned pages by their QR
code), ``archive`` (the year's volumes, ``archive verify``), ``handover``, and ``screenshots`` of every screen.
Each imports Qt only when it runs."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desktop.cli.common import EXIT_ERROR, CliError, db_path, open_db, out_file, qt_offscreen


def _cmd_screenshots(args: argparse.Namespace) -> int:
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


def _cmd_signin(args: argparse.Namespace) -> int:
    """Print a meeting's sign-in sheet (签到表) to PDF. ``--meeting`` is the meeting's uuid or ``YEAR-KIND-SEQ``
    (kind as identifier or Chinese name: ``2026-branch_assembly-3``, ``2026-支部党员大会-3``)."""
    os.environ.setdefault(
        "QT_QPA_PLATFORM", "offscreen"
    )  # no window is shown; works on a machine without display
    from db import meetings, store
    from desktop.qt import QApplication

    out = out_file(args.out, ".pdf")
    if out.parent and not out.parent.exists():
        raise CliError(f"输出文件夹「{out.parent}」不存在")
    database = open_db(args, create=False)
    try:
        meeting = meetings.find_meeting(database, ref=args.meeting)
        sheet = meetings.signin_sheet(database, meeting_uuid=meeting.uuid, variant=args.variant)
    finally:
        store.close(database)
    app = QApplication.instance() or QApplication([])  # noqa: F841 - fonts need an application object
    from desktop.printing.signin import write_pdf

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
    out = out_file(args.out, ".pdf", ".docx")
    if out.parent and not out.parent.exists():
        raise CliError(f"输出文件夹「{out.parent}」不存在")
    month = catalogue.parse_month(args.month) if args.month else None
    selection = catalogue.Selection(
        record=args.id, year=args.year, month=month, variant=args.variant, copies=args.voters
    )
    qt_offscreen()
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
        filing = scans.apply(database, plan) if args.apply else scans.Filing([], [])
    finally:
        store.close(database)
    if args.json:
        report = plan.as_json()
        report["applied"] = bool(args.apply)
        report["filed"] = [{"uuid": a.uuid, "name": a.name, "owner_id": a.owner_id} for a in filing.filed]
        report["already_filed"] = [
            {
                "name": s.tag.name,
                "owner_id": s.tag.owner_id,
                "earlier_uuid": a.uuid,
                "earlier_at": a.created_at,
            }
            for s, a in filing.again
        ]
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    for sheet in plan.sheets:
        pages = "、".join(f"第{n}页←{sheet.pages[n].label}" for n in sorted(sheet.pages))
        missing = f"（缺第 {'、'.join(str(n) for n in sheet.missing)} 页）" if sheet.missing else ""
        print(
            f"{sheet.tag.name} → {sheet.record}：共 {sheet.tag.pages} 页，{pages}{missing}{sheet.filed_before_text}"
        )
    for u in plan.unplaced:
        print(f"未能归档：{u.page.label}：{u.reason}")
    for s, a in filing.again:
        print(
            f"未重复归档：{s.tag.name} 与 {a.created_at[:16].replace('T', ' ')} 归档的扫描件相同，已在 {s.record} 下"
        )
    if args.apply:
        print(f"已归档 {len(filing.filed)} 份扫描件；{len(plan.unplaced)} 页未能归档，请在程序中手动归档。")
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
    qt_offscreen()
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
    qt_offscreen()
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
