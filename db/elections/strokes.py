"""The 姓氏笔画 order of names on a ballot (选票上的候选人名单以姓氏笔画为序排列).

The rule (the practice of the 党代会 lists, docs/rules.md): names are compared character by character from the
surname on — a compound surname (欧阳, 司马, 诸葛 …) by its first character, then its second, not by its total; a
single given name (单名) counts as a blank (○) before its one character, so 高富 comes before 高大富. Two different
characters of the same stroke count are ordered by their first stroke (起笔: 横 竖 撇 点 折), then by code point
(the published practice compares the second stroke and so on; that data is not kept here).

Tables (resources/strokes/, made by ``scripts/make_strokes.py``; sources and licences in their headers): the total
strokes are Unihan's kTotalStrokes (Unicode License), the first strokes rime-stroke's 五笔画 table (LGPL-3).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

TABLES = Path(__file__).resolve().parents[2] / "resources" / "strokes"
FIRST_STROKES = "hspnz"  # 横 竖 撇 点 折, in the order of the practice

# Compound surnames (复姓) recognised as one surname; the longest match wins.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "司马",
        "诸葛",
        "上官",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "司空",
        "夏侯",
        "令狐",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "淳于",
        "单于",
        "太叔",
        "申屠",
        "轩辕",
        "呼延",
        "端木",
        "百里",
        "东郭",
        "南宫",
        "西门",
        "独孤",
        "万俟",
        "闻人",
        "赫连",
        "钟离",
        "第五",
        "拓跋",
        "南门",
        "羊舌",
        "微生",
        "公羊",
        "梁丘",
        "左丘",
        "东门",
        "谷梁",
        "乐正",
        "鲜于",
        "闾丘",
        "亓官",
        "司寇",
        "仉督",
        "子车",
        "颛孙",
        "壤驷",
        "公良",
        "漆雕",
        "巫马",
        "公西",
        "夹谷",
        "宰父",
        "段干",
        "锺离",
    ]
)
UNKNOWN_STROKES = 99  # a character not in the table (not a CJK ideograph) sorts after every ideograph


def _read(name: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (TABLES / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            value, chars = line.split("\t", 1)
            out.update(dict.fromkeys(chars, value))
    return out


@cache
def stroke_table() -> dict[str, int]:
    """character → total strokes (kTotalStrokes), read once."""
    return {ch: int(n) for ch, n in _read("total_strokes.txt").items()}


@cache
def first_stroke_table() -> dict[str, int]:
    """character → its first stroke as 0–4 (横 竖 撇 点 折), read once."""
    return {ch: FIRST_STROKES.index(s) for ch, s in _read("first_stroke.txt").items()}


def strokes(ch: str) -> int:
    """The total strokes of one character (``UNKNOWN_STROKES`` when the table has none)."""
    return stroke_table().get(ch, UNKNOWN_STROKES)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given name): a compound surname of the list when the name starts with one, else the first
    character."""
    name = name.strip()
    if name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


def _char_key(ch: str) -> tuple[int, int, int]:
    return (strokes(ch), first_stroke_table().get(ch, len(FIRST_STROKES)), ord(ch))


BLANK = (0, 0, 0)  # the blank of a single given name: before every character


def stroke_key(name: str) -> tuple[tuple[tuple[int, int, int], ...], tuple[tuple[int, int, int], ...]]:
    """The sort key of a name in 姓氏笔画 order (see the module's docstring)."""
    surname, given = split_name(name)
    given_keys = tuple(_char_key(c) for c in given)
    if len(given) == 1:
        given_keys = (BLANK, *given_keys)
    return (tuple(_char_key(c) for c in surname), given_keys)


def stroke_order(names: list[str]) -> list[str]:
    """``names`` in 姓氏笔画 order."""
    return sorted(names, key=stroke_key)
