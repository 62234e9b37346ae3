"""Migration steps 0020–0024 (issue 20: the yearly cycle of organisational life; issue 21: the archive).

Numbers are reserved per piece of work so that parallel branches do not collide: 0020 民主评议, 0021 换届选举,
0022 组织生活会, 0023 the archive and handover.
"""

from __future__ import annotations

from sqlite_utils import Database

from db.migrations.runner import migrations, script

__all__ = ["migrations", "script"]


@migrations(name="0022_life_meeting")
def _0022_life_meeting(db: Database) -> None:
    # Issue 20: the preparation and follow-up of a 组织生活会 (a meeting of kind life_meeting). 征求意见: the opinions
    # gathered (from a member, the masses or the upper 党委), withdrawn by archiving, never deleted. 对照检查材料: one
    # row per member (submitted on; the file, if any, is an attachment of kind life_meeting_material).
    # 批评与自我批评: per member, a few words of each, changed in place with audit entries. The 整改清单 are findings
    # (检查整改) linked to the meeting by ``findings.meeting_id``.
    script(
        db,
        """
        CREATE TABLE life_meeting_opinions (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            source_kind TEXT NOT NULL CHECK (source_kind IN ('member', 'masses', 'upper')),
            member_id INTEGER REFERENCES members(id),
            source_name TEXT NOT NULL DEFAULT '',
            received_on TEXT NOT NULL,
            text TEXT NOT NULL CHECK (length(trim(text)) > 0),
            archived_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            CHECK ((source_kind = 'member') = (member_id IS NOT NULL))
        ) STRICT;
        CREATE INDEX life_meeting_opinions_meeting ON life_meeting_opinions(meeting_id);

        CREATE TABLE life_meeting_materials (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            submitted_on TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (meeting_id, member_id)
        ) STRICT;

        CREATE TABLE life_meeting_criticism (
            id INTEGER PRIMARY KEY,
            uuid TEXT NOT NULL UNIQUE,
            meeting_id INTEGER NOT NULL REFERENCES meetings(id),
            member_id INTEGER NOT NULL REFERENCES members(id),
            self_criticism TEXT NOT NULL DEFAULT '',
            criticism TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (meeting_id, member_id)
        ) STRICT;

        ALTER TABLE findings ADD COLUMN meeting_id INTEGER REFERENCES meetings(id);
        CREATE INDEX findings_meeting ON findings(meeting_id)
        """,
    )
