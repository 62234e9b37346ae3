"""The process the kill battery kills: ``python -m tests.faults._victim OPERATION KILL_AT ARGS…``.

It sets the scene up (imports, arguments), then counts every call into C (``sys.setprofile``: SQLite statements,
file writes, renames, fsyncs, backup steps), every call of a function of ``db/`` and every 200 SQLite
virtual-machine steps (a progress handler on every connection) while the operation runs. At
count ``KILL_AT`` it prints ``half`` and blocks on stdin, and the battery SIGKILLs it there: a point anywhere in
the operation, chosen by a seeded random number, reproducible. With ``KILL_AT`` 0 it runs to the end and prints
``total N window A B``, the number of points there are and where the window of a rename together with its
record begins and ends (0: none).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlite

_count = 0
_kill_at = 0
# The counts at which a file is renamed together with its record begins and ends (the export's narrow window).
_window_at = 0
_window_end = 0


def _tick() -> None:
    global _count
    _count += 1
    if _count == _kill_at:
        sys.setprofile(None)
        print("half", flush=True)
        sys.stdin.readline()


_OURS = f"{Path(__file__).resolve().parents[2]}/db/"


def _profile(frame: Any, event: str, _arg: Any) -> None:
    # Calls into C (SQLite statements, file writes, renames, fsyncs, backup steps) and calls of the program's own
    # data-layer functions (between the steps of a copy, of an import, of a writer).
    global _window_at, _window_end
    if event == "c_call" or (event == "call" and frame.f_code.co_filename.startswith(_OURS)):
        _tick()
        if not _window_at and event == "call" and frame.f_code.co_name == "renamed_with_record":
            _window_at = _count
    elif event == "return" and frame.f_code.co_name == "renamed_with_record":
        _window_end = _count


_real_connect = sqlite.connect


def _connect(*args: Any, **kwargs: Any) -> Any:
    conn = _real_connect(*args, **kwargs)
    conn.set_progress_handler(lambda: _tick() or 0, 200)
    return conn


def main(argv: list[str]) -> None:
    global _kill_at
    operation, _kill_at, args = argv[0], int(argv[1]), argv[2:]
    sqlite.connect = _connect
    from db import backups, store
    from db.workbook import export, merge

    path = Path(args[0])
    if operation == "migration":  # the open itself is the operation
        sys.setprofile(_profile)
        store.close(store.open(path))
        sys.setprofile(None)
        print(f"total {_count}", flush=True)
        sys.stdin.readline()
        return
    db = store.open(path)  # the next start is checked by the battery; here it is only the way in
    work: Any
    if operation == "import":
        preview = merge.preview_import(db, path=Path(args[1]))

        def work() -> None:
            merge.apply_import(db, preview=preview)
    elif operation == "export":

        def work() -> None:
            password = args[2] if len(args) > 2 else None
            export.export_monthly(db, month="2026-04", path=Path(args[1]), password=password)
    elif operation == "backup":

        def work() -> None:
            store.backup_before(db, "manual")
    elif operation == "restore":

        def work() -> None:
            backups.restore(db, backup_path=Path(args[1]))
    elif operation == "rekey":

        def work() -> None:
            nonlocal db
            db, _code = store.change_password(db, new_key=args[1])
    else:
        raise SystemExit(f"unknown operation {operation}")
    sys.setprofile(_profile)
    work()
    store.close(db)
    sys.setprofile(None)
    print(f"total {_count} window {_window_at} {_window_end}", flush=True)
    sys.stdin.readline()


if __name__ == "__main__":
    main(sys.argv[1:])
