"""Party dues (党费): each member's dues basis, the monthly ledger, arrears and reminders, reports and export.

Contract (GLOSSARY "Dues"):

- Money is integer fen everywhere (tables, records, arithmetic); yuan appear only when parsing input
  (``db.rules.yuan_to_fen``) or formatting output. The monthly amount is ``db.rules.monthly_dues_fen``: one rate for
  the whole after-tax base, rounded half up to the fen.
- A member's **dues basis** (``dues_bases``) holds the dues category, the monthly base, the computed amount and an
  optional reduction/exemption (``reduced_fen``; 0 = exempt) that needs both the branch decision and the upper
  approval (date and note each). A basis applies from its ``from_month`` until the next one. The branch setting
  ``dues_basis_mode`` is ``"year"`` (default: the amount is fixed at the start of the year, so a basis always starts
  in January) or ``"month"`` (a basis may start in any month, when income changes).
- The **ledger** of a month lists every member who owes that month: members whose ``joined_on`` month (the admission
  meeting, so probationary members too) is not after it, and who were still on the roster (active, or archived in
  that month or later). A payment (``dues_payments``, one row per member and month) stores the amount due at the
  time of payment, the amount paid, the date, the proxy (a member who paid on their behalf) and a note. Marking a
  payment unpaid again keeps the row (and the audit log keeps what it was).
- Payments are refused (``ValidationError``, nothing saved) when the month is already paid, when it is more than 6
  months before the payment date (back-payment) or more than 6 months after it (pre-payment), when the member was
  not yet or no longer a member that month, for a negative amount or a date in the future.
- **Arrears**: consecutive unpaid months ending with the last completed month; 3 or more give a reminder, 6 or more
  an urgent one (six months without reason is treated as leaving the Party). Exempt months (amount 0) count as paid.
  Counting starts at the member's first dues basis, so a branch that just started keeping dues has no arrears.

The package, by job: ``records`` (constants, months, records), ``ledger`` (loading and the ledger of a month),
``bases`` (settings and dues bases), ``payments``, ``reports``, ``reminders`` (arrears), ``exchange`` (the HQ
workbook's dues rows and the page export, written by ``db.workbook.writer``) and ``demo``. Everything callers use
is re-exported here, so ``from db import dues`` and ``db.dues:<name>`` lookups keep working.
"""

from __future__ import annotations

from db.dues.bases import (
    DUES_ROUNDINGS,
    MAX_PREPAY_SETTING,
    bases_overview,
    basis_for,
    basis_mode,
    compute_basis_fen,
    dues_rounding,
    farmer_dues_fen,
    list_bases,
    max_ahead_months,
    set_basis,
    validate_basis,
)
from db.dues.demo import demo_dues, demo_dues_arrivals
from db.dues.exchange import (
    dues_workbook_sheets,
    export_dues_workbook,
    monthly_dues_figures,
    monthly_dues_rows,
)
from db.dues.ledger import month_ledger, month_ledger_for
from db.dues.payments import (
    BulkPlan,
    bulk_skip_reason,
    default_paid_on,
    mark_all_paid,
    mark_all_plan,
    mark_unpaid,
    record_payments,
    update_payment,
)
from db.dues.quarterly import (
    QuarterlySetting,
    current_quarterly,
    end_quarterly,
    quarterly_problems,
    quarterly_settings,
    set_quarterly,
)
from db.dues.records import (
    BASIS_MODES,
    MAX_AHEAD_MONTHS,
    MAX_BACK_MONTHS,
    REMINDER_MONTHS,
    URGENT_MONTHS,
    Arrears,
    BasisRow,
    DuesBasis,
    DuesReminder,
    DuesStanding,
    DuesTotals,
    LedgerEntry,
    PublicationRow,
    YearReport,
    add_month,
    month_from_key,
    month_index,
    month_key,
    month_label,
    month_start,
)
from db.dues.reminders import arrears, dues_reminders
from db.dues.reports import (
    member_statement,
    month_totals,
    months_totals,
    period_standing,
    publication_rows,
    year_report,
)

__all__ = [
    "BASIS_MODES",
    "DUES_ROUNDINGS",
    "MAX_AHEAD_MONTHS",
    "MAX_BACK_MONTHS",
    "MAX_PREPAY_SETTING",
    "REMINDER_MONTHS",
    "URGENT_MONTHS",
    "Arrears",
    "BasisRow",
    "BulkPlan",
    "DuesBasis",
    "DuesReminder",
    "DuesStanding",
    "DuesTotals",
    "LedgerEntry",
    "PublicationRow",
    "QuarterlySetting",
    "YearReport",
    "add_month",
    "arrears",
    "bases_overview",
    "basis_for",
    "basis_mode",
    "bulk_skip_reason",
    "compute_basis_fen",
    "current_quarterly",
    "default_paid_on",
    "demo_dues",
    "demo_dues_arrivals",
    "dues_reminders",
    "dues_rounding",
    "dues_workbook_sheets",
    "end_quarterly",
    "export_dues_workbook",
    "farmer_dues_fen",
    "list_bases",
    "mark_all_paid",
    "mark_all_plan",
    "mark_unpaid",
    "max_ahead_months",
    "member_statement",
    "month_from_key",
    "month_index",
    "month_key",
    "month_label",
    "month_ledger",
    "month_ledger_for",
    "month_start",
    "month_totals",
    "monthly_dues_figures",
    "monthly_dues_rows",
    "months_totals",
    "period_standing",
    "publication_rows",
    "quarterly_problems",
    "quarterly_settings",
    "record_payments",
    "set_basis",
    "set_quarterly",
    "update_payment",
    "validate_basis",
    "year_report",
]
