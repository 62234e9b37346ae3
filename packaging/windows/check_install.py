"""Check what the Windows installer did inside the wine prefix (run by packaging/windows/build.sh --smoke).

    python packaging/windows/check_install.py installed     program, Start menu, desktop shortcut, uninstall entry
    python packaging/windows/check_install.py uninstalled   all of those gone, the data folder still there

Reads the prefix's files and its user.reg (wine writes the registry there once wineserver has exited). Exits 0 when
every check holds, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "支部工作台"
UNINSTALL_KEY = r"[Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\BranchDesk]"


def main() -> int:
    state = sys.argv[1]
    prefix = Path(os.environ["WINEPREFIX"])
    user = next(u for u in (prefix / "drive_c" / "users").iterdir() if u.name.lower() != "public")
    local = user / "AppData" / "Local"
    program = local / "Programs" / "BranchDesk"
    start_menu = user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs" / APP_NAME
    registry = (prefix / "user.reg").read_text(encoding="utf-8", errors="replace")
    present = {
        "program installed": (program / "branchdesk.exe").is_file()
        and (program / "branchdesk-cli.exe").is_file(),
        "uninstaller": (program / "uninstall.exe").is_file(),
        "Start-menu shortcut": (start_menu / f"{APP_NAME}.lnk").is_file(),
        "desktop shortcut": (user / "Desktop" / f"{APP_NAME}.lnk").is_file(),
        "uninstall entry (HKCU)": UNINSTALL_KEY in registry,
    }
    if state == "installed":
        checks = present
    else:
        checks = {f"{name} removed": not there for name, there in present.items()}
        checks["data folder kept"] = (local / "BranchDesk" / "branchdesk.sqlite").is_file()
    for name, ok in checks.items():
        print(f"{name:<36} {'ok' if ok else 'FAILED'}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
