"""Smoke test of the frozen bundle: ``python packaging/smoke_test.py dist/branchdesk/branchdesk``.

On a fresh data folder, offscreen: the GUI starts, creates the default database and quits by itself; the demo branch
is built; a monthly workbook is exported and read back; a sign-in sheet is printed to PDF and filed back by its QR
code (``scans --apply``); the minutes are written as a Word form; every page and main dialog renders to PNG; on
Linux, Qt's uses of ICU are checked against the bundle's slimmed ICU data (``packaging/linux/icu_probe.py``).
Exits 0 when all of it worked, 1 with the failing step otherwise.

``--wine dist/windows/branchdesk/branchdesk.exe`` runs the same steps on the Windows bundle under wine (the wine
prefix from WINEPREFIX, code page 936 through LC_ALL=zh_CN.UTF-8), on the real Windows data folder
(%LOCALAPPDATA%\\BranchDesk inside the prefix, emptied first); the command-line steps use the console companion
branchdesk-cli.exe beside the GUI exe, as a user in cmd.exe would, and its ``--version`` must print.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

WINE_TIMEOUT = 300


def wine_data_folder() -> Path:
    """%LOCALAPPDATA%\\BranchDesk of the wine prefix's user (the folder the installer must never remove)."""
    prefix = Path(os.environ.get("WINEPREFIX", Path.home() / ".wine"))
    users = [u for u in (prefix / "drive_c" / "users").iterdir() if u.name.lower() != "public"]
    return users[0] / "AppData" / "Local" / "BranchDesk"


def win(path: Path) -> str:
    """A Windows path for a Unix one: wine maps / to Z:."""
    return "Z:" + str(path.resolve()).replace("/", "\\")


def main() -> int:
    args = sys.argv[1:]
    wine = "--wine" in args
    exe = Path(next(a for a in args if not a.startswith("--"))).resolve()
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
        data = tmp / "data"
        gui, cli = [str(exe)], [str(exe)]
        path = str
        if wine:
            env = {**os.environ, "LC_ALL": "zh_CN.UTF-8", "BRANCHDESK_QUIT_AFTER_MS": "1500"}
            data = wine_data_folder()
            shutil.rmtree(data, ignore_errors=True)
            gui = ["wine", str(exe)]
            cli = ["wine", str(exe.with_name(exe.stem + "-cli.exe"))]
            path = win  # type: ignore[assignment]
        demo_db = tmp / "demo.sqlite"
        month = date.today().strftime("%Y-%m")
        steps = [
            ("version", [*cli, "--version"]),
            ("gui on a fresh data folder", gui),
            ("demo", [*cli, "demo", "--db", path(demo_db)]),
            (
                "export",
                [*cli, "export", "--db", path(demo_db), "--month", month, "--out", path(tmp / "m.xlsx")],
            ),
            (
                "signin",
                [*cli, "signin", "--db", path(demo_db), "--meeting", "next", "--out", path(tmp / "s.pdf")],
            ),
            # the printed sheet filed back by its QR code: PDFium, zxing-cpp, Pillow and the store's AES in the bundle
            ("scans", [*cli, "scans", "--db", path(demo_db), "--apply", path(tmp / "s.pdf")]),
            # a Word form from the default template: docxtpl, python-docx and the slimmed lxml in the bundle
            ("word", [*cli, "print", "minutes", "--db", path(demo_db), "--out", path(tmp / "m.docx")]),
            ("screenshots", [*cli, "screenshots", "--db", path(demo_db), "--out", path(tmp / "shots")]),
        ]
        filed = ""
        version = ""
        for name, cmd in steps:
            start = time.perf_counter()
            # Output goes to pipes: under wine a console program needs stdout to be a pipe, not a file.
            result = subprocess.run(
                cmd,
                check=False,
                env=env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                stdin=subprocess.DEVNULL,
                timeout=WINE_TIMEOUT,
            )
            took = time.perf_counter() - start
            print(f"{name:<28} exit {result.returncode}  {took:.2f} s", flush=True)
            if name == "version":
                version = result.stdout.strip()
            if name == "scans":
                filed = result.stdout
            if result.returncode != 0:
                print(result.stdout[-2000:], result.stderr[-2000:], sep="\n", file=sys.stderr)
                return 1
        checks = {
            "version printed": version.startswith("branchdesk "),
            "default database created": any(data.rglob("branchdesk.sqlite")),
            "workbook written": (tmp / "m.xlsx").stat().st_size > 0,
            "sign-in PDF written": (tmp / "s.pdf").read_bytes()[:5] == b"%PDF-",
            "scanned sheet filed by its QR code": "已归档 1 份扫描件" in filed,
            "Word form written": "会议" in _docx_text(tmp / "m.docx"),
            "screenshots written": len(list((tmp / "shots").glob("*.png"))) >= 5,
            # Qt's own dialogs are Chinese only when its catalogue travels with the bundle (desktop/i18n.py).
            "Qt zh_CN catalogue bundled": any(exe.parent.rglob("qtbase_zh_CN.qm")),
        }
        for name, ok in checks.items():
            print(f"{name:<28} {'ok' if ok else 'FAILED'}")
        print(f"version output: {version}")
        if not wine and not _icu_ok(exe.parent):
            return 1
        return 0 if all(checks.values()) else 1


def _docx_text(path: Path) -> str:
    """The text of a .docx's body (its XML without the tags), read with the standard library."""
    with zipfile.ZipFile(path) as docx:
        return re.sub(r"<[^>]+>", "", docx.read("word/document.xml").decode("utf-8"))


def _icu_ok(bundle: Path) -> bool:
    """Qt's uses of ICU against the bundle's slimmed ICU data (packaging/linux/icu_probe.py), when this Python has
    the PySide6 the bundle was built from (the build venv); an installed .deb checks it in its build root."""
    try:
        import PySide6
    except ImportError:
        print("ICU probe                    skipped (no PySide6 in this Python)")
        return True
    carried = sorted(bundle.rglob("libicudata.so.*"))
    wheel = sorted(Path(PySide6.__file__).parent.rglob("libicudata.so.*"))
    if not carried or [p.name for p in carried[:1]] != [p.name for p in wheel[:1]]:
        print("ICU probe                    skipped (the bundle's ICU is not this PySide6's)")
        return True
    probe = Path(__file__).resolve().parent / "linux" / "icu_probe.py"
    return subprocess.run([sys.executable, str(probe), str(bundle)], check=False).returncode == 0


if __name__ == "__main__":
    sys.exit(main())
