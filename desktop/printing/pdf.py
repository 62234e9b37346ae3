"""Writing a printout as a PDF: one place for the temporary name, the flush to disk and the rename.

A power cut or a full disk while writing must never leave a half-written PDF under the name the secretary chose
(and a file renamed before its bytes reach the disk can be empty after a power cut), so every printout goes
through ``write_pdf``. Fonts are embedded by Qt, so the PDF prints the same on any machine, and the text layer is
corrected so searching or copying the PDF gives the ideographs shown (``text_layer``: Qt may record a CJK radical).
"""

from __future__ import annotations

import errno
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from db.store.leftovers import claim, sweep_partials
from db.store.locking import refuse_overwriting_database
from desktop.printing.text_layer import fix_text_layer
from desktop.qt import *

T = TypeVar("T")
CREATOR = "支部工作台 Branch Desk"
# A4 portrait with no page margins: layouts that keep their own margins (sign-in sheet, minutes).
A4_FULL_PAGE = QPageLayout(
    QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)
)


def write_pdf(
    path: str | os.PathLike[str],
    *,
    title: str,
    paint: Callable[[QPdfWriter], T],
    page_layout: QPageLayout | None = None,
    resolution: int = 300,
) -> T:
    """Paint a PDF at ``path`` with ``paint(writer)`` and return what ``paint`` returns (e.g. the page count).

    Written under a temporary name beside ``path``, flushed to disk, then renamed over ``path``; on any error
    the temporary file is removed and ``path`` is left as it was. Raises ``OSError`` when the folder cannot be
    written.
    """
    path = Path(path)
    refuse_overwriting_database(path)  # a printout never replaces a database (signin given its name did)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    fixed = path.with_name(f".{path.name}.text.partial")
    sweep_partials(path)  # what a killed earlier run left in this folder (issue 17)
    # A folder that cannot be written (a read-only stick) is found here, before Qt's painter would fail on every
    # call and print a warning for each on stderr.
    try:
        with open(tmp, "wb"):
            pass
    except OSError as exc:  # named by the file the secretary chose, not by its temporary name
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    held = [claim(tmp), claim(fixed)]  # …and what this run writes is marked as in use meanwhile
    try:
        writer = QPdfWriter(str(tmp))
        writer.setResolution(resolution)
        if page_layout is not None:
            writer.setPageLayout(page_layout)
        writer.setTitle(title)
        writer.setCreator(CREATOR)
        result = paint(writer)
        del writer  # the PDF is completed and closed when the writer is destroyed
        _check_complete(tmp, path)
        fix_text_layer(tmp, fixed)
        with open(fixed, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(fixed, path)
    finally:
        tmp.unlink(missing_ok=True)
        fixed.unlink(missing_ok=True)
        for handle in held:
            if handle is not None:
                handle.close()
    return result


def _check_complete(tmp: Path, path: Path) -> None:
    """QPdfWriter says nothing when its writes fail (a full disk): a PDF without its end marker is raised as the
    ``OSError`` it was (no space, named by the file the secretary chose), never read further."""
    with open(tmp, "rb") as f:
        f.seek(max(0, tmp.stat().st_size - 1024))
        if b"%%EOF" in f.read():
            return
    full = shutil.disk_usage(path.parent).free < 1 << 20
    code = errno.ENOSPC if full else errno.EIO
    raise OSError(code, os.strerror(code), str(path))
