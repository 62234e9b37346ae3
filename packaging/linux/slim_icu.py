"""Qt's ICU data library without the data Qt never reads: 32 MB → about 3 MB (issue 22, bundle ≤ 150 MB).

The PySide6 wheels for Linux link Qt6Core against their own ICU 73 (``libicuuc``, ``libicui18n``, and
``libicudata.so.73``, 32 MB of locale data for 800 locales). Qt6Core calls ICU for four things only (its imported
symbols, ``objdump -T libQt6Core.so.6 | grep _73``): collation (``QCollator``, e.g. the file dialog's sorting),
named text codecs (``QStringDecoder``/``QStringEncoder`` for encodings Qt has no built-in codec for), time-zone
display names (``QTimeZone::displayName``) and locale-aware case mapping (``QLocale::toUpper``). No other Qt library
of the bundle imports ICU. The rest of the data (break iterators and their dictionaries, transliteration, number
spell-out, the names of currencies, languages, regions and units, the 780 other locales, Japanese, Korean and EBCDIC
code pages, character names, IDNA/StringPrep profiles) serves ICU's other APIs, which nothing in the bundle calls.

This reads the common data package out of ``libicudata.so.73`` (the ``icudt73_dat`` symbol, ICU's "CmnD" format:
a header, a table of contents of name/offset pairs sorted by name, then the items, each 16-byte aligned), keeps the
items ``keep`` accepts, in the same order, and links a new ``libicudata.so.73`` exporting the same symbol with
binutils' ``as`` and ``ld`` (which PyInstaller needs anyway). Kept: the root, Chinese and English locales of the
locale, collation and time-zone trees, the time-zone tables, ICU's structural and supplemental data, normalisation,
and the converters for GB18030, GBK, GB2312, Big5 and Windows-1252. ``packaging/smoke_test.py`` checks every Qt use
of ICU against the slim library (Chinese collation by pinyin, Han before Latin, numeric mode; the codecs; the
Chinese name of 中国标准时间; Turkish casing).

    python packaging/linux/slim_icu.py PySide6/Qt/lib/libicudata.so.73 OUT_DIR   # writes OUT_DIR/libicudata.so.73
"""

from __future__ import annotations

import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

# Trees whose every item serves an ICU API Qt does not call (break iteration, currencies, language/region/unit
# names, spell-out, transliteration).
DROPPED_TREES = ("brkitr", "curr", "lang", "rbnf", "region", "translit", "unit")
# Locales kept in the locale, collation (coll/) and time-zone name (zone/) trees: the interface is Simplified
# Chinese (desktop/i18n.py sets zh_CN as the default locale); English and root are the fallbacks.
KEPT_LOCALE = re.compile(r"(root|res_index|pool|zh(_\w+)?|en|en_US(_POSIX)?)")
LOCALE = re.compile(r"[a-z]{2,3}(_\w*)?")
# Code pages with a data file: GB18030, GBK (windows-936, an extension of ibm-1386), GB2312 (ibm-1383), Big5
# (windows-950, an extension of ibm-1373), Windows-1252 (ibm-5348). UTF-8/16/32, ASCII and Latin-1 are ICU's code.
KEPT_CONVERTERS = (
    "gb18030.cnv",
    "windows-936-2000.cnv",
    "ibm-1386_P100-2001.cnv",
    "ibm-1383_P110-1999.cnv",
    "windows-950-2000.cnv",
    "ibm-1373_P100-2002.cnv",
    "ibm-5348_P100-1997.cnv",
)
# Character names (u_charName), confusables (spoof checks), StringPrep and UTS #46 (IDNA: Qt has its own).
DROPPED_FILES = ("unames.icu", "confusables.cfu", "uts46.nrm")


def keep(name: str) -> bool:
    """Whether the item ``name`` (as in the package, without the ``icudt73l/`` prefix) stays in the slim data."""
    tree, _, leaf = name.rpartition("/")
    stem, _, suffix = leaf.rpartition(".")
    if tree in DROPPED_TREES or leaf in DROPPED_FILES or suffix == "spp":
        return False
    if suffix == "cnv":
        return leaf in KEPT_CONVERTERS
    if suffix == "res" and LOCALE.fullmatch(stem):  # a locale's resource bundle (res_index and pool included)
        return bool(KEPT_LOCALE.fullmatch(stem))
    return True


def _symbol_offset(library: Path, symbol: str) -> tuple[int, int]:
    """File offset and size of a dynamic data symbol, from objdump (binutils)."""
    out = subprocess.run(
        ["objdump", "-T", "-h", str(library)], capture_output=True, text=True, check=True
    ).stdout
    value = size = None
    sections: list[tuple[int, int, int]] = []  # (vma, size, file offset)
    for line in out.splitlines():
        parts = line.split()
        if parts[-1:] == [symbol]:
            value, size = int(parts[0], 16), int(parts[-2], 16)
        elif len(parts) >= 6 and parts[0].isdigit():
            sections.append((int(parts[3], 16), int(parts[2], 16), int(parts[5], 16)))
    if value is None or size is None:
        raise SystemExit(f"{library}: no symbol {symbol}")
    for vma, length, offset in sections:
        if vma <= value < vma + length:
            return value - vma + offset, size
    raise SystemExit(f"{library}: {symbol} is in no section")


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """The header and the (name, item) list of an ICU common data package (little-endian, as on x86-64/arm64)."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", data)
    if (magic1, magic2) != (0xDA, 0x27) or data[12:16] != b"CmnD":
        raise SystemExit("not an ICU common data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * i) for i in range(count)]
    items = []
    for i, (name_at, data_at) in enumerate(entries):
        name = data[header_size + name_at : data.index(b"\0", header_size + name_at)].decode("ascii")
        end = entries[i + 1][1] if i + 1 < count else len(data) - header_size
        items.append((name, data[header_size + data_at : header_size + end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """An ICU common data package of these items (in the given, sorted order), each item 16-byte aligned."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    toc_size = 4 + 8 * len(items)
    at = toc_size + len(names)
    at += -(len(header) + at) % 16
    entries, body, name_at = [], bytearray(), toc_size
    for name, item in items:
        entries.append(struct.pack("<II", name_at, at + len(body)))
        name_at += len(name) + 1
        body += item + b"\0" * (-len(item) % 16)
    toc = struct.pack("<I", len(items)) + b"".join(entries) + names
    return header + toc + b"\0" * (at - len(toc)) + bytes(body)


def slim(library: Path, out_dir: Path) -> Path:
    """Write the slim ``out_dir/<library name>`` and return its path."""
    soname = library.name  # libicudata.so.73
    version = soname.rsplit(".", 1)[-1]
    symbol = f"icudt{version}_dat"
    offset, size = _symbol_offset(library, symbol)
    header, items = read_package(library.read_bytes()[offset : offset + size])
    prefix = f"icudt{version}l/"
    kept = [(name, item) for name, item in items if keep(name.removeprefix(prefix))]
    package = write_package(header, kept)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / soname
    with tempfile.TemporaryDirectory() as tmp:
        dat = Path(tmp) / "icudt.dat"
        dat.write_bytes(package)
        source = Path(tmp) / "icudata.s"
        source.write_text(
            f'.section .rodata\n.balign 16\n.globl {symbol}\n.type {symbol}, %object\n{symbol}:\n.incbin "{dat}"\n'
            f'.size {symbol}, . - {symbol}\n.section .note.GNU-stack,"",%progbits\n',
            encoding="ascii",
        )
        obj = Path(tmp) / "icudata.o"
        subprocess.run(["as", "-o", str(obj), str(source)], check=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-o", str(target), str(obj)], check=True)
    print(
        f"slim_icu: {soname} {size / 1e6:.1f} MB → {target.stat().st_size / 1e6:.1f} MB ({len(kept)} of {len(items)} items)"
    )
    return target


if __name__ == "__main__":
    slim(Path(sys.argv[1]), Path(sys.argv[2]))
