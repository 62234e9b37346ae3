"""Shared fixtures: a fresh, migrated database per test (copied from one migrated template per session)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from db import store

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = store.open(path)
    store.close(db)
    return path


@pytest.fixture
def db_path(tmp_path: Path, _template_db: Path) -> Path:
    """Path of a fresh migrated database file (not opened)."""
    path = tmp_path / "branch.sqlite"
    shutil.copy(_template_db, path)
    return path


@pytest.fixture
def db(db_path: Path):  # type: ignore[no-untyped-def]
    """A fresh migrated database, opened; closed after the test."""
    from db import store

    database = store.open(db_path)
    yield database
    store.close(database)
