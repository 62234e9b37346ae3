"""The columns of the workbooks a page writes for the branch itself or HQ's own summary, and of the 学时登记 list a
secretary imports: layouts HQ never receives in the monthly workbook, declared with the same ``Column`` and ``Sheet``
as the exchanged sheets of ``db.workbook.format`` (whose module doc shows how a page export uses them)."""

from __future__ import annotations

from dataclasses import replace

from db.workbook.format import ROSTER_COLUMNS, Column, Sheet, sheet_by_key

# --- page exports: columns of workbooks written for the branch itself or HQ's own summary (not exchanged) ----

# The roster report of the 党员 page (``db.reports``): the national 汇总表 columns, i.e. 党员名册 without 党小组 and
# the id (it is a view of the branch's own list, not an exchange file).
REPORT_ROSTER_COLUMNS: tuple[Column, ...] = tuple(
    c for c in ROSTER_COLUMNS if c.field not in ("party_group", "uuid")
)

# HQ consolidation's summary (``consolidate``): the fixed columns before the figures, and the problem list.
SUMMARY_COLUMNS: tuple[Column, ...] = (
    Column("支部名称", "branch", width=22),
    Column("支部编码", "code"),
    Column("报送月份", "month"),
    Column("校验", "verified"),
    Column("文件", "file_name", width=24),
    Column("问题数", "problem_count", "int", width=8),
)
PROBLEM_COLUMNS: tuple[Column, ...] = (
    Column("文件", "file_name", width=28),
    Column("问题", "message", width=80),
)

# The dues page's export (``db.dues.export_dues_workbook``): the 党费收缴 sheet as the secretary reads it, i.e. with a
# 序号 and without the member ids; then the year's month-by-month totals and the year's publication list.
DUES_LEDGER_COLUMNS: tuple[Column, ...] = (
    Column("序号", "seq", "int", width=6),
    *(c for c in sheet_by_key("dues").columns if c.field != "member_uuid"),
)
DUES_YEAR_COLUMNS: tuple[Column, ...] = (
    Column("月份", "label", width=10),
    Column("应缴金额", "due_fen", "money"),
    Column("实缴金额", "paid_fen", "money"),
    Column("应缴人数", "members_due", "int"),
    Column("实缴人数", "members_paid", "int"),
)
DUES_PUBLICATION_COLUMNS: tuple[Column, ...] = (
    Column("序号", "seq", "int", width=10),
    Column("姓名", "member_name", width=10),
    Column("党小组", "party_group_name", width=10),
    Column("党费类别", "dues_category"),  # the label (未核定 without a basis)
    Column("月缴纳额", "monthly_fen", "money"),
    Column("应缴月数", "months_due", "int"),
    Column("实缴月数", "months_paid", "int"),
    Column("应缴金额", "due_fen", "money"),
    Column("实缴金额", "paid_fen", "money"),
    Column("备注", "note", width=10),
)


def _register(sheet_key: str, *columns: tuple[str, str, str]) -> tuple[Column, ...]:
    """Register columns (16 wide) as ``(header, field, type)``; a field of the declared sheet ``sheet_key`` keeps
    its type (which must be ``type``) and choices; only header and width differ."""
    declared = {c.field: c for c in sheet_by_key(sheet_key).columns}
    result = []
    for header, field, kind in columns:
        if field not in declared:
            result.append(Column(header, field, kind, width=16))
        elif declared[field].type != kind:
            raise ValueError(
                f"{header}: {sheet_key}.{field} is declared {declared[field].type!r}, not {kind!r}"
            )
        else:
            result.append(replace(declared[field], header=header, width=16, required=False))
    return tuple(result)


# The transfers page's register export (``db.transfers.export_register_xlsx``): the 组织关系转接 and 流动党员 sheets
# in the page's order, with the receipt state (a label: it is judged on the day of the export, not stored) and
# the months away.
REGISTER_TRANSFER_COLUMNS: tuple[Column, ...] = _register(
    "transfers",
    ("介绍信编号", "serial", "text"),
    ("方向", "direction", "choice"),
    ("姓名", "member_name", "text"),
    ("介绍信抬头", "addressee", "text"),
    ("转出单位", "from_unit", "text"),
    ("转往单位", "to_unit", "text"),
    ("党费交至", "dues_paid_to", "text"),
    ("有效期(天)", "validity_days", "int"),
    ("开具/转入日期", "issued_on", "date"),
    ("回执", "receipt", "text"),
    ("回执日期", "receipt_on", "date"),
    ("状态", "status", "choice"),
    ("撤销原因", "cancel_reason", "text"),
    ("备注", "notes", "text"),
)
REGISTER_MOBILE_COLUMNS: tuple[Column, ...] = _register(
    "mobile_members",
    ("姓名", "member_name", "text"),
    ("外出流向", "outflow_place", "text"),
    ("外出原因", "reason", "text"),
    ("外出日期", "started_on", "date"),
    ("已外出(月)", "months_away", "int"),
    ("联系方式", "contact", "text"),
    ("预计返回日期", "expected_return_on", "date"),
    ("结束日期", "ended_on", "date"),
    ("结束原因", "end_reason", "text"),
)

# The projects page's ledger export (``db.projects.write_ledger_xlsx``): the declared 项目台账 and 检查整改 sheets
# as they are, and the 统计 sheet of label / value lines (no header row).
PROJECT_LEDGER_COLUMNS: tuple[Column, ...] = sheet_by_key("projects").columns
FINDING_LEDGER_COLUMNS: tuple[Column, ...] = sheet_by_key("findings").columns
PROJECT_FIGURES_COLUMNS: tuple[Column, ...] = (
    Column("项目", "label", width=30),
    Column("内容", "value", width=40),
)

# The training-hours list (学时登记) a secretary imports (``db.training.imports``: preview, then apply): one row per
# member and training; HQ or a 党校 sends such lists. Not a sheet of the monthly workbook.
TRAINING_SHEET = Sheet(
    name="学时登记",
    key="training",
    columns=(
        Column("姓名", "name", "text", required=True, width=10),
        # the roster's column with all its header synonyms; optional here (a name alone finds most members)
        replace(next(c for c in ROSTER_COLUMNS if c.field == "citizen_id"), required=False),
        Column("培训日期", "on", "date", required=True, width=12, synonyms=("日期", "学习日期", "培训时间")),
        Column("学时", "hours", "number", required=True, width=8, synonyms=("学时数", "培训学时", "课时")),
        Column(
            "培训名称",
            "title",
            "text",
            required=True,
            width=30,
            synonyms=("培训内容", "学习内容", "课程名称", "培训项目", "课程"),
        ),
        Column("举办单位", "source", "text", width=20, synonyms=("主办单位", "培训机构", "组织单位", "来源")),
        Column("备注", "note", "text", width=16),
    ),
    imported=True,
)
