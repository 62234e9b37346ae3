"""Smoke test of the frozen bundle: ``python packaging/smoke_test.py dist/branchdesk/branchdesk``.

On a fresh data folder (a temporary HOME), offscreen: the GUI starts, creates the default database and quits by
itself; the demo branch is built; a monthly workbook is exported and read back; a sign-in sheet is printed to PDF;
every page and main dialog renders to PNG. Exits 0 when all of it worked, 1 with the failing step otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def main() -> int:
    exe = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="branchdesk-smoke-") as tmp_text:
        tmp = Path(tmp_text)
        env = {
            **os.environ,
            "HOME": str(tmp),
            "XDG_DATA_HOME": str(tmp / "data"),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "QT_QPA_PLATFORM": "offscreen",
            "BRANCHDESK_QUIT_AFTER_MS": "1500",
        }
        demo_db = tmp / "demo.sqlite"
        month = date.today().strftime("%Y-%m")
        steps = [
            ("version", [str(exe), "--version"]),
            ("gui on a fresh data folder", [str(exe)]),
            ("demo", [str(exe), "demo", "--db", str(demo_db)]),
            (
                "export",
                [str(exe), "export", "--db", str(demo_db), "--month", month, "--out", str(tmp / "m.xlsx")],
            ),
            (
                "signin",
                [str(exe), "signin", "--db", str(demo_db), "--meeting", "next", "--out", str(tmp / "s.pdf")],
            ),
            ("screenshots", [str(exe), "screenshots", "--db", str(demo_db), "--out", str(tmp / "shots")]),
        ]
        for name, cmd in steps:
            start = time.perf_counter()
            result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300, check=False)
            took = time.perf_counter() - start
            print(f"{name:<28} exit {result.returncode}  {took:.2f} s")
            if result.returncode != 0:
                print(result.stdout[-2000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
                return 1
        checks = {
            "default database created": any((tmp / "data").rglob("branchdesk.sqlite")),
            "workbook written": (tmp / "m.xlsx").stat().st_size > 0,
            "sign-in PDF written": (tmp / "s.pdf").read_bytes()[:5] == b"%PDF-",
            "screenshots written": len(list((tmp / "shots").glob("*.png"))) >= 5,
        }
        for name, ok in checks.items():
            print(f"{name:<28} {'ok' if ok else 'FAILED'}")
        return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
