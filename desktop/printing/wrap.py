"""Line breaking for printed Chinese text: wrap instead of cutting with "…".

Chinese has no spaces, so any character may end a line, with three rules a reader notices when broken:

- closing punctuation (、，。；：？！ and closing brackets) never starts a line: it stays with the text before it and
  may hang a little past the right edge, as in print;
- opening brackets never end a line: they go down with the text they open;
- a short run between separators (a name in 张三、李四, a date, a number) is never split across lines unless it is
  wider than the whole line.
"""

from __future__ import annotations

from desktop.qt import *

NO_LINE_START = frozenset("、，。；：？！）》」』〕】”’…,.;:?!)]}%")
NO_LINE_END = frozenset("（《「『〔【“‘([{")
SPACES = frozenset(" \t\u3000")
KEEP_TOGETHER = 8  # a run up to this many characters between separators is one unit (names are 2 to 4)


def _runs(text: str) -> list[str]:
    """Split ``text`` into separators and the runs of other characters between them."""
    out: list[str] = []
    buf = ""
    for ch in text:
        if ch in NO_LINE_START or ch in NO_LINE_END or ch in SPACES:
            if buf:
                out.append(buf)
                buf = ""
            out.append(ch)
        else:
            buf += ch
    if buf:
        out.append(buf)
    return out


def _split_long(run: str) -> list[str]:
    """A run too long to keep together: one unit per character, but ASCII words and numbers stay whole."""
    out: list[str] = []
    word = ""
    for ch in run:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    if word:
        out.append(word)
    return out


def units(text: str) -> list[str]:
    """The unbreakable pieces of ``text``, punctuation already glued to the piece it belongs with."""
    pieces: list[str] = []
    for run in _runs(text):
        if len(run) > KEEP_TOGETHER and run[0] not in NO_LINE_START | NO_LINE_END | SPACES:
            pieces.extend(_split_long(run))
        else:
            pieces.append(run)
    glued: list[str] = []
    pending = ""  # opening brackets waiting for the piece they open
    for piece in pieces:
        if piece in NO_LINE_START and glued and not pending:
            glued[-1] += piece
        elif piece in NO_LINE_END:
            pending += piece
        else:
            glued.append(pending + piece)
            pending = ""
    if pending:
        if glued:
            glued[-1] += pending
        else:
            glued.append(pending)
    return glued


def _hang(piece: str) -> str:
    """The part of a piece that must fit: trailing closing punctuation may hang past the edge."""
    return piece.rstrip("".join(NO_LINE_START))


def wrap(text: str, fm: QFontMetricsF, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` (device pixels) by the rules above; explicit line breaks
    are kept. Always at least one line (an empty string for empty text)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for piece in units(paragraph):
            candidate = line + piece
            if not line or fm.horizontalAdvance(_hang(candidate)) <= width:
                line = candidate
            else:
                lines.append(line.rstrip())
                line = piece.lstrip()
            # a single piece wider than the line (a very long word): cut it by character
            while fm.horizontalAdvance(_hang(line)) > width and len(_hang(line)) > 1:
                cut = len(line)
                while cut > 1 and fm.horizontalAdvance(line[:cut]) > width:
                    cut -= 1
                while cut < len(line) and line[cut] in NO_LINE_START:
                    cut += 1  # closing punctuation hangs on this line
                if cut >= len(line):
                    break
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return lines
