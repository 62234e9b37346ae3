"""Benchmark of the frozen bundle (issue 11): size, cold start against running from source, start-up budget.

    bash packaging/build.sh && .venv/bin/python bench/bench_bundle.py

Prints figures; asserts nothing. Skips (with a message) when the bundle has not been built. Start-up is measured
from outside (process start to exit) with ``BRANCHDESK_QUIT_AFTER_MS=0``, which makes the app quit as soon as the
first page is shown and print its own budget (imports, database open, first page) on stderr.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "branchdesk"
TARGET_MB = 150
RUNS = 5


def folder_mb(path: Path) -> float:
    """Bytes on disk as the installer copies them: symlinks (PyInstaller links Qt libraries) count once."""
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def start_times(cmd: list[str], env: dict[str, str]) -> tuple[list[float], str]:
    times, budget = [], ""
    for _ in range(RUNS):
        start = time.perf_counter()
        result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"start failed ({result.returncode}): {result.stderr[-500:]}")
        budget = next((line for line in result.stderr.splitlines() if line.startswith("startup")), budget)
    return times, budget


def main() -> None:
    exe = BUNDLE / ("branchdesk.exe" if sys.platform == "win32" else "branchdesk")
    if not exe.exists():
        print("bundle not built: run `bash packaging/build.sh` first")
        return
    size = folder_mb(BUNDLE)
    print(f"bundle size                 {size:7.1f} MB   (target < {TARGET_MB} MB)")
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "BRANCHDESK_QUIT_AFTER_MS": "0",
            "HOME": tmp,
            "XDG_DATA_HOME": f"{tmp}/data",
            "XDG_CONFIG_HOME": f"{tmp}/config",
        }
        db = Path(tmp) / "demo.sqlite"
        subprocess.run([str(exe), "demo", "--db", str(db)], env=env, check=True, capture_output=True)
        frozen, frozen_budget = start_times([str(exe), "--db", str(db)], env)
        source, source_budget = start_times([sys.executable, "-m", "desktop", "--db", str(db)], env)
    f, s = statistics.median(frozen), statistics.median(source)
    print(f"cold start, bundle          {f:7.2f} s    (median of {RUNS})")
    print(f"cold start, from source     {s:7.2f} s    (anchor)")
    print(f"ratio bundle / source       {f / s:7.2f}      (target <= 1.3)")
    print(f"budget, bundle: {frozen_budget}")
    print(f"budget, source: {source_budget}")


if __name__ == "__main__":
    main()
