"""The PDF text layer carries the ideographs a printout shows, not their radical twins.

A CJK font often maps a CJK radical (U+2E80–U+2EF3, U+2F00–U+2FD5, strokes U+31C0–U+31E3) and its unified ideograph
to one glyph. Qt's PDF writer builds each embedded font's ToUnicode map by taking, for every glyph, the LOWEST code
point the font maps to it — the radical. The page looks right, but copying the text or searching the PDF for "支部"
finds nothing (⽀部), and an archive's full-text index misses names. ``fix_text_layer`` rewrites the ToUnicode maps
so a radical is replaced by its Equivalent Unified Ideograph (Unicode's EquivalentUnifiedIdeograph.txt, the table
below for the blocks NFKC does not cover; NFKC for the Kangxi radicals). Qt-free; works on any PDF (pypdf).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import StreamObject

# Code point -> equivalent unified ideograph, from Unicode 15.0 EquivalentUnifiedIdeograph.txt, for the code points
# whose NFKC form is not already the ideograph (CJK Radicals Supplement, CJK Strokes, a few Kangxi radicals).
EQUIVALENT_IDEOGRAPH: dict[int, int] = {
    0x2E81: 0x5382,
    0x2E82: 0x4E5B,
    0x2E83: 0x4E5A,
    0x2E84: 0x4E59,
    0x2E85: 0x4EBB,
    0x2E86: 0x5182,
    0x2E87: 0x20628,
    0x2E88: 0x5200,
    0x2E89: 0x5202,
    0x2E8A: 0x535C,
    0x2E8B: 0x353E,
    0x2E8C: 0x5C0F,
    0x2E8D: 0x5C0F,
    0x2E8E: 0x5140,
    0x2E8F: 0x5C23,
    0x2E90: 0x5C22,
    0x2E91: 0x21BC2,
    0x2E92: 0x5DF3,
    0x2E93: 0x5E7A,
    0x2E94: 0x5F51,
    0x2E95: 0x2B739,
    0x2E96: 0x5FC4,
    0x2E97: 0x5FC3,
    0x2E98: 0x624C,
    0x2E99: 0x6535,
    0x2E9B: 0x65E1,
    0x2E9C: 0x65E5,
    0x2E9D: 0x6708,
    0x2E9E: 0x6B7A,
    0x2E9F: 0x6BCD,
    0x2EA0: 0x6C11,
    0x2EA1: 0x6C35,
    0x2EA2: 0x6C3A,
    0x2EA3: 0x706C,
    0x2EA4: 0x722B,
    0x2EA5: 0x722B,
    0x2EA6: 0x4E2C,
    0x2EA7: 0x725B,
    0x2EA8: 0x72AD,
    0x2EA9: 0x738B,
    0x2EAA: 0x24D14,
    0x2EAB: 0x76EE,
    0x2EAC: 0x793A,
    0x2EAD: 0x793B,
    0x2EAE: 0x25AD7,
    0x2EAF: 0x7CF9,
    0x2EB0: 0x7E9F,
    0x2EB1: 0x7F53,
    0x2EB2: 0x7F52,
    0x2EB3: 0x34C1,
    0x2EB4: 0x5197,
    0x2EB5: 0x2626B,
    0x2EB6: 0x7F8A,
    0x2EB7: 0x2634C,
    0x2EB8: 0x2634B,
    0x2EB9: 0x8002,
    0x2EBA: 0x8080,
    0x2EBB: 0x807F,
    0x2EBC: 0x8089,
    0x2EBD: 0x26951,
    0x2EBE: 0x8279,
    0x2EBF: 0x8279,
    0x2EC0: 0x8279,
    0x2EC1: 0x864E,
    0x2EC2: 0x8864,
    0x2EC3: 0x8980,
    0x2EC4: 0x897F,
    0x2EC5: 0x89C1,
    0x2EC6: 0x89D2,
    0x2EC7: 0x278B2,
    0x2EC8: 0x8BA0,
    0x2EC9: 0x8D1D,
    0x2ECA: 0x27FB7,
    0x2ECB: 0x8F66,
    0x2ECC: 0x8FB6,
    0x2ECD: 0x8FB6,
    0x2ECE: 0x8FB6,
    0x2ECF: 0x9091,
    0x2ED0: 0x9485,
    0x2ED1: 0x9577,
    0x2ED2: 0x9578,
    0x2ED3: 0x957F,
    0x2ED4: 0x95E8,
    0x2ED5: 0x28E0F,
    0x2ED6: 0x961D,
    0x2ED7: 0x96E8,
    0x2ED8: 0x9752,
    0x2ED9: 0x97E6,
    0x2EDA: 0x9875,
    0x2EDB: 0x98CE,
    0x2EDC: 0x98DE,
    0x2EDD: 0x98DF,
    0x2EDE: 0x2967F,
    0x2EDF: 0x98E0,
    0x2EE0: 0x9963,
    0x2EE1: 0x29810,
    0x2EE2: 0x9A6C,
    0x2EE3: 0x9AA8,
    0x2EE4: 0x9B3C,
    0x2EE5: 0x9C7C,
    0x2EE6: 0x9E1F,
    0x2EE7: 0x5364,
    0x2EE8: 0x9EA6,
    0x2EE9: 0x9EC4,
    0x2EEA: 0x9EFE,
    0x2EEB: 0x6589,
    0x2EEC: 0x9F50,
    0x2EED: 0x6B6F,
    0x2EEE: 0x9F7F,
    0x2EEF: 0x7ADC,
    0x2EF0: 0x9F99,
    0x2EF1: 0x9F9C,
    0x2EF2: 0x4E80,
    0x2EF3: 0x9F9F,
    0x31C6: 0x200CC,
    0x31CF: 0x4E40,
    0x31D0: 0x4E00,
    0x31D1: 0x4E28,
    0x31D2: 0x4E3F,
    0x31D3: 0x4E3F,
    0x31D4: 0x4E36,
    0x31D5: 0x200CD,
    0x31D6: 0x4E5B,
    0x31D7: 0x200CA,
    0x31D8: 0x200CE,
    0x31D9: 0x2010C,
    0x31DA: 0x4E85,
    0x31DB: 0x21FE8,
    0x31DC: 0x200CB,
    0x31DD: 0x4E40,
    0x31DE: 0x200D1,
    0x31DF: 0x4E5A,
    0x31E0: 0x4E59,
    0x31E1: 0x2010E,
}


def ideograph_for(code: int) -> int:
    """The unified ideograph a radical or stroke stands for; any other code point unchanged."""
    if code in EQUIVALENT_IDEOGRAPH:
        return EQUIVALENT_IDEOGRAPH[code]
    if 0x2F00 <= code <= 0x2FD5:
        return ord(unicodedata.normalize("NFKC", chr(code)))
    return code


_TOKEN = re.compile(rb"<([0-9A-Fa-f]{4})>")
_RANGE_LINE = re.compile(rb"^\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>\s*$")


def _fix_destination(match: re.Match[bytes]) -> bytes:
    code = int(match.group(1), 16)
    return b"<%04X>" % ideograph_for(code)


def _fix_last_token(line: bytes) -> bytes:
    """``line`` with its last ``<XXXX>`` (a single destination) fixed."""
    head, sep, tail = line.rpartition(b"<")
    return head + _TOKEN.sub(_fix_destination, sep + tail) if sep else line


def _fix_range_line(line: bytes) -> bytes:
    run = _RANGE_LINE.match(line)
    if run:
        lo, hi, start = (int(run.group(i), 16) for i in (1, 2, 3))
        if lo == hi:
            return _fix_last_token(line)
        if all(ideograph_for(start + k) == start + k for k in range(hi - lo + 1)):
            return line
        # A run of consecutive destinations with a radical inside: the same range, as an array of single ones.
        items = b" ".join(b"<%04X>" % ideograph_for(start + k) for k in range(hi - lo + 1))
        return b"<%04X> <%04X> [%s]" % (lo, hi, items)
    head, sep, tail = line.partition(b"[")
    return head + sep + _TOKEN.sub(_fix_destination, tail) if sep else line


def fix_cmap(cmap: bytes) -> bytes:
    """A ToUnicode CMap with every radical destination replaced by its ideograph.

    Source codes are never touched: only destinations — inside ``[...]`` arrays, the last token of a ``bfchar``
    pair or of a one-code ``bfrange``; a ``bfrange`` mapping a run of codes to consecutive destinations
    (``<lo> <hi> <start>``, lo < hi) with a radical inside becomes the same range with an array of destinations.
    """
    out: list[bytes] = []
    section = b""
    for line in cmap.split(b"\n"):
        stripped = line.strip()
        if stripped.endswith((b"beginbfrange", b"beginbfchar")):
            section = stripped.split()[-1]
        elif stripped in (b"endbfrange", b"endbfchar"):
            section = b""
        elif section == b"beginbfrange":
            line = _fix_range_line(line)
        elif section == b"beginbfchar":
            line = _fix_last_token(line)
        out.append(line)
    return b"\n".join(out)


def fix_text_layer(source: Path, target: Path) -> int:
    """Write ``source`` to ``target`` with every font's ToUnicode map fixed; returns how many maps changed.

    ``target`` is written in full (the caller flushes and renames it into place); ``source`` is only read.
    """
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    changed = 0
    seen: set[int] = set()
    for page in writer.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in fonts.get_object().values() if fonts is not None else ():
            to_unicode = ref.get_object().get("/ToUnicode")
            stream = to_unicode.get_object() if to_unicode is not None else None
            if not isinstance(stream, StreamObject) or id(stream) in seen:
                continue
            seen.add(id(stream))
            data = stream.get_data()
            fixed = fix_cmap(data)
            if fixed != data:
                stream.set_data(fixed)
                changed += 1
    with open(target, "wb") as f:
        writer.write(f)
    return changed
