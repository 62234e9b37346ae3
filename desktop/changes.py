"""What a user action changed, as a type: pages subscribe to ``AppContext.changed`` and receive a ``Change``.

``Change`` is a ``StrEnum`` so a change still compares equal to its glossary word (``Change.MEMBERS == "members"``),
but only these values exist: a typo fails at once instead of notifying nobody.
"""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    """One kind of data a user action changed."""

    BRANCH = "branch"
    MEMBERS = "members"
    MEETINGS = "meetings"
    DUES = "dues"
    PROJECTS = "projects"
    DEVELOPMENT = "development"
    TRANSFERS = "transfers"
    EXCHANGE = "exchange"
    BACKUPS = "backups"
    ATTACHMENTS = "attachments"
    ELECTIONS = "elections"
    TRAINING = "training"
    APPRAISAL = "appraisal"
    STATISTICS = "statistics"


# After a restore or a new password everything a page shows may have changed.
EVERYTHING: tuple[Change, ...] = tuple(Change)
