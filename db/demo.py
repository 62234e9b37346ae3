"""A realistic demo branch, built from a seed: the same seed always gives the same branch.

``generate`` writes the branch profile, party groups named after mine work teams, the committee and the roster
(Chinese names, valid citizen IDs agreeing with birth date and gender, mobiles, probationary and archived members),
then lets each part of the work add its own demo data through the functions listed in ``PART_EXTENDERS``
(``"module:function"``, called as ``function(db, rng=rng, today=today)`` inside the same transaction).
"""

from __future__ import annotations

# One line per part of the work, in this order. Each function adds that part's demo data.
PART_EXTENDERS: list[str] = [
]
