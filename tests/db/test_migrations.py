"""The migrations are numbered, unique and applied in their number order (append-only history)."""

from __future__ import annotations

import re
from hashlib import sha256

from db.migrations import migrations
from db.migrations.runner import SQL_DIR


def test_migration_names_are_numbered_in_file_order() -> None:
    names = [m.name for m in migrations._migrations]
    numbers = [int(re.match(r"^(\d{4})_[a-z_]+$", name).group(1)) for name in names]  # type: ignore[union-attr]
    # Numbers are reserved per piece of work (steps_0020_0024.py), so a branch may land 0022 before 0020: the
    # numbers rise in file order and none repeats, with gaps allowed only for reserved, not yet landed steps.
    assert numbers[0] == 1 and numbers == sorted(set(numbers)), names


def test_a_fresh_database_records_every_migration(db) -> None:  # type: ignore[no-untyped-def]
    applied = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied == [m.name for m in migrations._migrations]


# The SQL of every shipped step, by its SHA-256 (resources/migrations/, read by db.migrations.runner.step_sql). A
# shipped step is never edited: a database migrated by the old text and one by the new would differ without any
# step saying so. A new step's file is added here when its build ships.
SHIPPED = {
    "0001_foundation": "f54273b2e95ceaef4b42c64cada562a9878acbbd2076b1a70dc10ea105c5407a",
    "0002_meetings": "ca507d3ab016c1bd91c64f6d99a69a56ad87fa2d2d2f9d1d3c3c40b993e964c4",
    "0003_exchange": "1d35c706d3a37141bf72dba8f76696895dc9bc0adf26f7de7c2a1c59835da3c8",
    "0004_dues": "cc3176647301625a67ef9c7b71542db562a5a9e2760c9756189d85240360de10",
    "0005_projects": "a4af5b72dd77a6b55ec2202a5a9fdfca5898e3b21a430cbbf9d305732f452d52",
    "0006_development": "c9028922ba5549724b2c598d66d209a7753376529dfc103152e62e7132a25d1f",
    "0007_transfers": "4e4737651ba19be53609b094675da435f172bd2a310bb0e42a23453c789a3289",
    "0008_audit_guard": "7128492ddf5dace99404f3d9e4d69020e6313120b306588e7b8c5d2db4b322a1",
    "0009_monthly_close": "498ec1176ddb555915a6315684700b8722d8116fe2dc630c64923e3947fbbdbd",
    "0010_review_year": "ce189bb814160a5a2913bd36c87048d8fdf7ffd244fe3c11849513979bc0b6cb",
    "0011_vote_counts": "9a80681cd91e549f4c261458f18fea17c1be175687ec5d666475fc9f271645f7",
    "0012_standing_events": "4f4cf0af27440ff4fb52e7d936883a7f825b21ac7a6353d6079a6ccaf90dd505",
    "0013_election_postponements": "fc53c2c22bcf4bafe26af34246e20ee020603c265f4e053e587a3fa86a6f877d",
    "0015_dues_quarterly": "c3e57ee0a5ac6e6370f90c5b6cc852162c0a5439465220a5d0711ebe78420642",
    "0016_attachments": "7066dc6bb0ecfe80af3dc9d3d92f4f6643253f36ffb2fe49f564d53cb0fb20ad",
    "0018_training_hours": "cdfcbd6319b314ce14595ecf59f5d8237e9f798aab50ba2a13dd6c2b62620cab",
    "0019_statistics": "72a2380aab09a2135565b57046868d138cb3c555d08af9000ded25a567d3b086",
    "0020_appraisal_rounds": "4efb1e26700c442a71fe209b03eb8c285c18dfc5074ba1010000d2fdd0533164",
    "0021_elections": "82c8b5650083f2674d8eb31f64e9bcf279aae3d1dfc4659079c2bc61bb2fb630",
    "0022_life_meeting": "bf91fda78e91525520ac42809a516d72b765a09645b0ea7d7b43e7186b36a2dc",
    "0024_dues_payments_period_indexes": "08263feed2e36667f4aa35c23a3ed161e8a59e36b3d18049c638937cb9d7ba3b",
}


def test_shipped_migration_files_are_unchanged() -> None:
    changed = [
        name
        for name, digest in SHIPPED.items()
        if sha256((SQL_DIR / f"{name}.sql").read_bytes()).hexdigest() != digest
    ]
    assert changed == [], f"shipped migration steps edited: {changed}; add a new step instead"


def test_every_migration_file_belongs_to_a_step_and_is_pinned() -> None:
    files = {p.stem for p in SQL_DIR.glob("*.sql")}
    steps = {m.name for m in migrations._migrations}
    assert files - steps == set(), "a .sql file in resources/migrations that no step reads"
    assert files - set(SHIPPED) == set(), "a new step's .sql file: pin its SHA-256 in SHIPPED when it ships"
