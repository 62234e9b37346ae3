"""Migration steps 0020–0024 (issue 20: the yearly cycle of organisational life; issue 21: the archive).

Numbers are reserved per piece of work so that parallel branches do not collide: 0020 民主评议, 0021 换届选举,
0022 组织生活会, 0023 the archive and handover.
"""

from __future__ import annotations

from db.migrations.runner import migrations, script

__all__ = ["migrations", "script"]
