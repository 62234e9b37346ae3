"""desktop.app: the QApplication set-up, the refusal of unusable databases, logs without personal data."""

from __future__ import annotations

import logging

from desktop import app


def test_create_application_is_idempotent(qapp) -> None:
    first = app.create_application()
    assert app.create_application() is first is qapp
    assert first.organizationName() == app.ORGANIZATION


def test_a_foreign_file_is_refused_with_a_chinese_message(tmp_path) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_bytes(b"hello, this is not a database")
    database, message = app.open_database(path)
    assert database is None
    assert "不是支部工作台的数据库" in message
    assert path.read_bytes() == b"hello, this is not a database"


def test_log_scrubs_citizen_ids_and_phones(tmp_path) -> None:
    handler = logging.FileHandler(tmp_path / "x.log", encoding="utf-8")
    handler.addFilter(app._ScrubFilter())
    logger = logging.getLogger("test_scrub")
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("bad 11010519850307123X and 13812345678")
        except ValueError:
            logger.exception("failed for %s", "110105198503071234")
    finally:
        handler.close()
        logger.removeHandler(handler)
    text = (tmp_path / "x.log").read_text(encoding="utf-8")
    assert "ValueError" in text
    assert "1101051985" not in text and "13812345678" not in text
    assert "<身份证号>" in text and "<手机号>" in text
