"""Schema steps 0005–0009: projects, development, transfers, the audit-log guard and the monthly close.

Shipped steps: never edit or reorder them (see ``db.migrations``).
"""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script, step_sql


@migrations(name="0005_projects")
def _0005_projects(db: Database) -> None:
    script(db, step_sql("0005_projects"))


@migrations(name="0006_development")
def _0006_development(db: Database) -> None:
    # People in the development pipeline are not members yet; admission links them to the member they become.
    script(db, step_sql("0006_development"))


@migrations(name="0007_transfers")
def _0007_transfers(db: Database) -> None:
    script(db, step_sql("0007_transfers"))


@migrations(name="0008_audit_guard")
def _0008_audit_guard(db: Database) -> None:
    # The audit log is append-only: triggers refuse UPDATE and DELETE from any code path (a restore replaces the
    # whole file through the backup API, which triggers do not see). The table is rebuilt once to allow the
    # actions 'reveal' (personal data shown in full) and 'export' (a file written) besides the edits.
    script(db, step_sql("0008_audit_guard"))
    # Trigger bodies hold semicolons, so they are not split by script().
    db.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能更改'); END"
    )
    db.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, '修改记录只能追加，不能删除'); END"
    )


@migrations(name="0009_monthly_close")
def _0009_monthly_close(db: Database) -> None:
    # monthly_submissions: every 报送 of a month's workbook (a re-export of a submitted month is another row,
    # marked resubmission); override_reason is set when the month was submitted with incomplete meetings.
    script(db, step_sql("0009_monthly_close"))
