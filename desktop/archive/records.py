"""The pieces of an archive volume: its sections and their documents (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Document:
    """One document of a volume: its title, its date (as text), its PDF and pages."""

    title: str
    when: str
    path: Path
    pages: int
    note: str = ""


@dataclass
class Section:
    title: str
    documents: list[Document] = field(default_factory=list)


@dataclass(frozen=True)
class Volume:
    number: int
    name: str
    file: str
    pages: int
    documents: int
