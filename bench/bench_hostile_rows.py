"""A hostile workbook of Excel's most rows (1,048,576, one cell each) is refused before its sheet is read (issue 17).

Prints, each in a fresh subprocess: the time and peak memory (ru_maxrss) of the import preview of that file
(refused from the raw XML: ``db.workbook.guards.check_sheet_size``), beside the anchor of the same process
importing nothing (Python, the program's modules and an open database) and the preview of a real 2,000-member
roster. Targets: refused within 5 s and 200 MB. Not a test; run ``.venv/bin/python bench/bench_hostile_rows.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

_CHILD = """
import json, resource, sys, time
from pathlib import Path
from db import store
from db.workbook import merge
from db.workbook.read import WorkbookRefused
db = store.open(Path(sys.argv[1]))
t = time.perf_counter()
said = "read"
if sys.argv[2] != "-":
    try:
        merge.preview_import(db, path=Path(sys.argv[2]))
    except WorkbookRefused as exc:
        said = exc.message
print(json.dumps({"s": time.perf_counter() - t, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "said": said}, ensure_ascii=False))
"""


def run(db: Path, workbook: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, str(db), workbook],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT)},
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def main() -> None:
    from db import store
    from tests.faults._helpers import roster_workbook
    from tests.faults._hostile import million_rows

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "branch.sqlite"
        store.close(store.open(db))
        big = million_rows(folder / "big.xlsx")
        real = roster_workbook(folder, 2000, seed=3)
        anchor = run(db, "-")
        roster = run(db, str(real))
        hostile = run(db, str(big))
        print(f"file: {big.stat().st_size / 1048576:.1f} MB zipped, 1,048,576 rows")
        print(f"anchor (open database, no import):  {anchor['mb']:.0f} MB")
        print(f"preview of a 2,000-member roster:   {roster['s']:.2f} s, {roster['mb']:.0f} MB peak")
        print(
            f"1,048,576-row file refused in:      {hostile['s']:.2f} s, {hostile['mb']:.0f} MB peak (target 5 s, 200 MB)"
        )
        print(f"  {hostile['said']}")


if __name__ == "__main__":
    main()
