"""The manifest of an archive folder (``manifest.json``: each file with its pages and SHA-256) and its check.

Qt-free: ``branchdesk archive verify DIR`` runs without a display. A changed or missing file is named; a PDF in
the folder that the manifest does not list is reported too (someone added or renamed a file).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from db.errors import BranchDeskError
from db.workbook.writer import atomic_path

MANIFEST = "manifest.json"
FORMAT = "branchdesk-archive/1"


class ArchiveError(BranchDeskError):
    """The folder is not an archive this program made (no or unreadable manifest)."""


@dataclass(frozen=True)
class Entry:
    file: str  # name inside the folder
    title: str
    pages: int
    sha256: str

    def as_json(self) -> dict[str, Any]:
        return {"file": self.file, "title": self.title, "pages": self.pages, "sha256": self.sha256}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(folder: Path, *, branch: str, year: int, made_on: str, entries: list[Entry]) -> Path:
    """Write ``manifest.json`` (temporary name, flush, rename)."""
    data = {
        "format": FORMAT,
        "branch": branch,
        "year": year,
        "made_on": made_on,
        "files": [e.as_json() for e in entries],
    }
    path = folder / MANIFEST
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def read_manifest(folder: Path) -> dict[str, Any]:
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise ArchiveError(f"找不到档案文件夹「{folder}」")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchiveError(
            f"文件夹「{folder}」中没有 {MANIFEST}：不是本程序生成的档案，或清单已丢失"
        ) from None
    except OSError:
        raise ArchiveError(f"无法读取档案清单「{path}」：请检查文件夹是否可读") from None
    except ValueError:  # not JSON, or not UTF-8 text: the decoder's own (English) words are not shown
        raise ArchiveError(f"档案清单「{path}」已损坏（不是有效的清单文件），无法据此检查档案") from None
    files = data.get("files") if isinstance(data, dict) else None
    if (
        not isinstance(data, dict)
        or data.get("format") != FORMAT
        or not isinstance(files, list)
        or not all(isinstance(item, dict) for item in files)
    ):
        raise ArchiveError(f"「{path}」不是本程序的档案清单")
    return data


def verify(folder: Path) -> list[str]:
    """What is wrong with the archive in ``folder``, one Chinese line each (empty: every file as made)."""
    folder = Path(folder)
    data = read_manifest(folder)
    problems: list[str] = []
    listed = set()
    for item in data["files"]:
        name = str(item.get("file", ""))
        listed.add(name)
        path = folder / name
        if not path.is_file():
            problems.append(f"缺少文件「{name}」（{item.get('title', '')}）")
        elif sha256_of(path) != item.get("sha256"):
            problems.append(f"文件「{name}」已被改动（SHA-256 与清单不符）")
    for path in sorted(folder.glob("*.pdf")):
        if path.name not in listed:
            problems.append(f"清单中没有文件「{path.name}」（后来加入或改过名）")
    return problems
