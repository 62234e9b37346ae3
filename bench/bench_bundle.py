"""Benchmark of the frozen bundle (issues 11, 22): size, start to a usable window against a bare PySide6 window and
against running from source, start-up budget.

    bash packaging/build.sh && .venv/bin/python bench/bench_bundle.py

Prints figures; asserts nothing. Skips (with a message) when the bundle has not been built. Start-up is measured
from outside (process start to exit) with ``BRANCHDESK_QUIT_AFTER_MS=0``, which makes the app quit as soon as the
first page is shown and print its own budget (imports, database open, first page) on stderr. The anchor is a bare
PySide6 window (QApplication, one QWidget shown, quit at once) measured the same way in the same run, so the ratio
does not depend on how fast the machine is (target: at most 5x). On a busy machine the wall clock also counts the
time spent waiting for a core, so the CPU time of each start (user + system) and its ratio are printed beside it.
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
TARGET_BARE_RATIO = 5.0
RUNS = 5
# The least a Qt program does before its first window is usable: the anchor of the start-up ratio.
BARE_WINDOW = (
    "import sys\n"
    "from PySide6.QtCore import QTimer\n"
    "from PySide6.QtWidgets import QApplication, QWidget\n"
    "app = QApplication(sys.argv)\n"
    "w = QWidget()\n"
    "w.show()\n"
    "QTimer.singleShot(0, app.quit)\n"
    "sys.exit(app.exec())\n"
)


def folder_mb(path: Path) -> float:
    """Bytes on disk as the installer copies them: symlinks (PyInstaller links Qt libraries) count once."""
    return sum(f.lstat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (0 on Windows, which has no such count)."""
    if sys.platform == "win32":
        return 0.0
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def start_times(cmd: list[str], env: dict[str, str]) -> tuple[list[float], list[float], str]:
    """Wall-clock and CPU seconds (user + system, of the process and its children) of ``RUNS`` starts, and the
    last start-up budget the program printed. On a busy machine the wall clock also counts the time spent waiting
    for a core; the CPU time does not."""
    times, cpu, budget = [], [], ""
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), _children_cpu()
        result = subprocess.run(cmd, check=False, env=env, capture_output=True, text=True, timeout=120)
        times.append(time.perf_counter() - start)
        cpu.append(_children_cpu() - start_cpu)
        if result.returncode != 0:
            raise SystemExit(f"start failed ({result.returncode}): {result.stderr[-500:]}")
        budget = next((line for line in result.stderr.splitlines() if line.startswith("startup")), budget)
    return times, cpu, budget


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
        frozen, frozen_cpu, frozen_budget = start_times([str(exe), "--db", str(db)], env)
        source, source_cpu, source_budget = start_times(
            [sys.executable, "-m", "desktop", "--db", str(db)], env
        )
        bare, bare_cpu, _ = start_times([sys.executable, "-c", BARE_WINDOW], env)
    f, s, b = statistics.median(frozen), statistics.median(source), statistics.median(bare)
    fc, sc, bc = statistics.median(frozen_cpu), statistics.median(source_cpu), statistics.median(bare_cpu)
    print(f"start to usable window, bundle  {f:7.2f} s    (median of {RUNS}; CPU {fc:.2f} s)")
    print(f"bare PySide6 window             {b:7.2f} s    (anchor, same run; CPU {bc:.2f} s)")
    print(
        f"ratio bundle / bare window      {f / b:7.2f}      (target <= {TARGET_BARE_RATIO:g}; by CPU {fc / bc:.2f})"
    )
    print(f"start, from source              {s:7.2f} s    (CPU {sc:.2f} s)")
    print(f"ratio bundle / source           {f / s:7.2f}      (target <= 1.3; by CPU {fc / sc:.2f})")
    print(f"budget, bundle: {frozen_budget}")
    print(f"budget, source: {source_budget}")


if __name__ == "__main__":
    main()
