"""Stable identities: every record gets a text UUID (version 4) that never changes and travels in workbooks.

``fresh_uuid()`` is random. Inside ``seeded(rng)`` the ids are drawn from ``rng`` instead, so a process that is
deterministic by design (the demo branch from a seed) gives the same ids every time.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_seeded: ContextVar[random.Random | None] = ContextVar("branchdesk_ids", default=None)


def fresh_uuid() -> str:
    """A new record id: random, or drawn from the generator of the enclosing ``seeded`` block."""
    rng = _seeded.get()
    if rng is None:
        return str(uuid.uuid4())
    return drawn_uuid(rng)


def drawn_uuid(rng: random.Random) -> str:
    """A record id (UUID version 4) drawn from ``rng``: the same generator state gives the same id."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


@contextmanager
def seeded(rng: random.Random) -> Iterator[None]:
    """Within the block, ``fresh_uuid()`` draws from ``rng`` (in this thread/context only)."""
    token = _seeded.set(rng)
    try:
        yield
    finally:
        _seeded.reset(token)
