"""Benchmark of the roster on a 20,000-member demo branch. Prints figures beside their anchors; asserts nothing.

- demo generation time (``db.demo.generate``, one transaction);
- process start → usable roster page (``MainWindow`` showing ``members``, events processed) against the anchor, a
  bare PySide6 ``QMainWindow`` shown the same way, both timed from ``Popen`` to the child's "ready" line
  (median of 3; target: under 5× the anchor);
- search latency per keystroke in the roster page's search box (median and p95; target under 30 ms), falling back
  to ``db.members.matches`` over the loaded list when the page does not exist;
- resident memory of the GUI process at rest after loading and searching (VmRSS; target under 250 MB).

Run: ``.venv/bin/python bench/bench_roster.py [--members N]`` (or ``bash scripts/dev.sh bench``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

ANCHOR = r"""
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
w = QMainWindow(); w.resize(1366, 768); w.setWindowTitle("anchor"); w.show()
app.processEvents()
print("ready", flush=True)
"""

ROSTER = r"""
import time
_t0 = time.perf_counter()
phases = {}
import gc, json, statistics, sys
from pathlib import Path
from desktop.app import create_application
from db import store
from desktop.context import AppContext
from desktop.main_window import MainWindow
phases["imports"] = time.perf_counter()
app = create_application([sys.argv[0]])
phases["QApplication"] = time.perf_counter()
db = store.open(Path(sys.argv[1]))
ctx = AppContext(db)
phases["open database"] = time.perf_counter()
window = MainWindow(ctx)
window.resize(1366, 768)
phases["main window (home page)"] = time.perf_counter()
page = window.show_page("members")
phases["roster page built and loaded"] = time.perf_counter()
window.show()
app.processEvents()
phases["shown, events processed"] = time.perf_counter()
print("ready", flush=True)

def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")

result = {"page": page is not None, "rows": None, "latencies_ms": [], "mode": "", "phases": {}}
last = _t0
for name, at in phases.items():
    result["phases"][name] = at - last
    last = at
queries = ["zs", "wjg", "张", "王建", "5678", "13900", "lx", "曾"]
if page is not None and hasattr(page, "search"):
    result["mode"] = "members page search box"
    result["rows"] = page.model.rowCount()
    for q in queries:
        steps = [q[:i] for i in range(1, len(q) + 1)] + [q[:i] for i in range(len(q) - 1, -1, -1)]
        for text in steps:  # type the query, then delete it again key by key
            t0 = time.perf_counter()
            page.search.setText(text)
            app.processEvents()
            result["latencies_ms"].append((time.perf_counter() - t0) * 1000)
else:
    from db import members
    result["mode"] = "db.members.matches over the loaded list (no members page)"
    loaded = members.list_members(db)
    result["rows"] = len(loaded)
    for q in queries:
        for i in range(1, len(q) + 1):
            t0 = time.perf_counter()
            [m for m in loaded if members.matches(m, q[:i])]
            result["latencies_ms"].append((time.perf_counter() - t0) * 1000)
for _ in range(5):
    app.processEvents()
gc.collect()
time.sleep(0.2)
app.processEvents()
result["rss_mb"] = rss_mb()
print(json.dumps(result), flush=True)
"""


def _timed_start(code: str, args: list[str], env: dict[str, str]) -> tuple[float, str]:
    """Seconds from Popen to the child's 'ready' line, and the rest of its output."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    elapsed = time.perf_counter() - t0
    rest, err = child.communicate(timeout=600)
    if line.strip() != "ready":
        raise RuntimeError(f"child failed: {line}{rest}{err[-2000:]}")
    return elapsed, rest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--parts",
        action="store_true",
        help="also generate every part's demo data (slow at 20,000 members: thousands of party groups)",
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-roster-") as tmp:
        tmp_path = Path(tmp)
        # Keep window geometry, column widths and logs of the benchmark away from the user's own settings.
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            "XDG_CONFIG_HOME": str(tmp_path / "config"),
            "XDG_DATA_HOME": str(tmp_path / "data"),
            "HOME": str(tmp_path / "home"),
            "PYTHONPATH": str(ROOT),
        }
        (tmp_path / "home").mkdir()
        db_file = tmp_path / "demo.sqlite"

        import importlib

        from db import demo, store

        # Time each part's extender separately, so the roster's own share is visible.
        extender_times: dict[str, float] = {}
        for entry in demo.PART_EXTENDERS:
            module_name, _, function_name = entry.partition(":")
            module = importlib.import_module(module_name)
            original = getattr(module, function_name)

            def timed(*a, _original=original, _entry=entry, **kw):  # type: ignore[no-untyped-def]
                start = time.perf_counter()
                try:
                    return _original(*a, **kw)
                finally:
                    extender_times[_entry] = time.perf_counter() - start

            setattr(module, function_name, timed)
        t0 = time.perf_counter()
        db = store.open(db_file)
        demo.generate(db, members=args.members, seed=1, parts=args.parts)
        store.close(db)
        generation = time.perf_counter() - t0
        parts = sum(extender_times.values())
        print(
            f"demo generation, {args.members} members: {generation:.2f} s in all, file "
            f"{db_file.stat().st_size / 1e6:.1f} MB; profile, groups, roster and committee "
            f"{generation - parts:.2f} s ({(generation - parts) / args.members * 1000:.2f} ms per member)"
        )
        for entry, seconds in extender_times.items():
            print(f"    extender {entry}: {seconds:.2f} s")

        anchors, rosters, outputs = [], [], []
        for _ in range(args.runs):
            anchors.append(_timed_start(ANCHOR, [], env)[0])
            elapsed, rest = _timed_start(ROSTER, [str(db_file)], env)
            rosters.append(elapsed)
            outputs.append(json.loads(rest.strip().splitlines()[-1]))
        anchor, roster = statistics.median(anchors), statistics.median(rosters)
        print(
            f"start → shown bare QMainWindow (anchor): median {anchor:.3f} s  (runs: "
            + ", ".join(f"{a:.3f}" for a in anchors)
            + ")"
        )
        print(
            f"start → usable roster page ({outputs[0]['rows']} rows): median {roster:.3f} s  (runs: "
            + ", ".join(f"{r:.3f}" for r in rosters)
            + f")  ratio {roster / anchor:.1f}× (target < 5×)"
        )

        latencies = sorted(x for o in outputs for x in o["latencies_ms"])
        if latencies:
            p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))]
            print(
                f"search per keystroke [{outputs[0]['mode']}], {len(latencies)} keystrokes: median "
                f"{statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, max {latencies[-1]:.1f} ms "
                "(target < 30 ms)"
            )
        print(
            "    roster start-up phases (median s): "
            + ", ".join(
                f"{name} {statistics.median(o['phases'][name] for o in outputs):.3f}"
                for name in outputs[0]["phases"]
            )
        )
        rss = statistics.median(o["rss_mb"] for o in outputs)
        print(f"resident memory at rest (roster loaded): median {rss:.0f} MB (target < 250 MB)")


if __name__ == "__main__":
    main()
