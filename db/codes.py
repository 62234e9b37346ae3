"""The national code lists the 党内统计 tables group members by (../shared/STATISTICS.md), as data: 工作岗位 (the code
tree), the six 学历 classes, 专业技术职务; and the mapping of a member's own free text to them.

A leaf module (no Qt, no database): the member record, the migration that codes today's free text, the forms, the
workbook's format table and the statistics all read the lists here. A new year's list is a change of the data below
(and of the CHECK constraint in a new migration when a code is added).

The mappings are conservative: a text maps to a code only when it names one unambiguously (离休 → 离退休人员 4; a
miner's trade ending in 工 → 工勤技能人员 016); anything else gives ``''`` (not coded) for the secretary to complete
in the completeness list, rather than a wrong figure in the yearly tables.
"""

from __future__ import annotations

import re
import unicodedata

# 工作岗位: (code, label, parent code). The top level is the group (一、在岗职工 0 … 六、其他 5); 0164, 0253 and 113
# are 其中 rows (a part of their parent that the tables count again), and still codes a member can hold.
_POST_TREE: tuple[tuple[str, str, str | None], ...] = (
    ("0", "在岗职工", None),
    ("01", "公有制单位", "0"),
    ("011", "党政机关工作人员", "01"),
    ("012", "事业单位管理人员", "01"),
    ("013", "事业单位专业技术人员", "01"),
    ("014", "企业管理人员", "01"),
    ("015", "企业专业技术人员", "01"),
    ("016", "工勤技能人员", "01"),
    ("0164", "农民工", "016"),
    ("02", "非公有制单位", "0"),
    ("021", "企业管理人员", "02"),
    ("022", "企业专业技术人员", "02"),
    ("023", "民办非企业单位管理人员", "02"),
    ("024", "民办非企业单位专业技术人员", "02"),
    ("025", "工勤技能人员", "02"),
    ("0253", "农民工", "025"),
    ("1", "农牧渔民", None),
    ("113", "外出务工经商", "1"),
    ("2", "军人、武警", None),
    ("3", "学生", None),
    ("4", "离退休人员", None),
    ("5", "其他", None),
)
POST_CODES: dict[str, str] = {code: label for code, label, _ in _POST_TREE}
_POST_PARENTS: dict[str, str | None] = {code: parent for code, _, parent in _POST_TREE}
# The codes that only group others (在岗职工, 公有制单位, 非公有制单位): a member holds one of the rest.
POST_GROUP_ONLY = frozenset({"0", "01", "02"})
MEMBER_POST_CODES: tuple[str, ...] = tuple(code for code, _, _ in _POST_TREE if code not in POST_GROUP_ONLY)


def post_parent(code: str) -> str | None:
    """The code one level up (``'0164'`` → ``'016'``, ``'014'`` → ``'01'``), None for a top-level code. Raises
    ``KeyError`` for a code not in the tree."""
    return _POST_PARENTS[code]


def post_group(code: str) -> str:
    """The top-level group of a code (``'0'`` 在岗职工 … ``'5'`` 其他); ``''`` for ``''`` (not coded)."""
    while (parent := _POST_PARENTS[code] if code else None) is not None:
        code = parent
    return code


def post_path(code: str) -> tuple[str, ...]:
    """The codes from the top-level group down to ``code`` (``'0164'`` → ``('0', '01', '016', '0164')``)."""
    path: list[str] = []
    current: str | None = code
    while current:
        path.insert(0, current)
        current = _POST_PARENTS[current]
    return tuple(path)


def post_label(code: str) -> str:
    """The full Chinese name of a code, its groups included (``'014'`` → ``在岗职工·公有制单位·企业管理人员``;
    ``'0164'`` → ``…·工勤技能人员·其中农民工``); ``''`` for ``''``."""
    return "·".join(f"其中{POST_CODES[c]}" if _is_part_of(c) else POST_CODES[c] for c in post_path(code))


def _is_part_of(code: str) -> bool:
    """Is ``code`` a 其中 row (0164 of 016, 113 of 1): a part of a code a member holds, not of a group?"""
    parent = _POST_PARENTS[code]
    return parent is not None and parent not in POST_GROUP_ONLY


def post_choice_label(code: str) -> str:
    """A code as the workbook's dropdown and the forms show it: the code and its name (``014 企业管理人员``), unique
    where the names repeat (企业管理人员 is 014 and 021)."""
    parent = _POST_PARENTS[code]
    name = POST_CODES[code]
    if parent in ("01", "02"):
        name = f"{name}（{POST_CODES[parent]}）"
    elif _is_part_of(code):
        name = f"其中：{name}"
    return f"{code} {name}"


POST_CHOICES: dict[str, str] = {code: post_choice_label(code) for code in MEMBER_POST_CODES}

# 学历: the six classes of the tables (key → label, in table order). The member's own 学历 text stays as entered.
EDUCATION_CLASSES: dict[str, str] = {
    "graduate": "研究生",
    "bachelor": "大学本科",
    "junior_college": "大学专科",
    "secondary_vocational": "中专",
    "high_school": "高中、中技",
    "junior_or_below": "初中及以下",
}
# Words in a free-text 学历 and the class each names. Matched longest first, each match removed before the shorter
# words are tried (中等专科 is 中专, not 专科); a text naming two classes maps to none.
EDUCATION_WORDS: dict[str, str] = {
    "研究生": "graduate",
    "博士": "graduate",
    "硕士": "graduate",
    "大学本科": "bachelor",
    "本科": "bachelor",
    "学士": "bachelor",
    "大学专科": "junior_college",
    "高等专科": "junior_college",
    "高等职业": "junior_college",
    "大专": "junior_college",
    "专科": "junior_college",
    "高职": "junior_college",
    "中等专科": "secondary_vocational",
    "中等专业": "secondary_vocational",
    "中等师范": "secondary_vocational",
    "中专": "secondary_vocational",
    "中师": "secondary_vocational",
    "技工学校": "high_school",
    "职业高中": "high_school",
    "中技": "high_school",
    "技校": "high_school",
    "职高": "high_school",
    "高中": "high_school",
    "初中": "junior_or_below",
    "小学": "junior_or_below",
    "文盲": "junior_or_below",
}
_EDUCATION_ORDER = sorted(EDUCATION_WORDS, key=len, reverse=True)
# The class 初中及以下 itself, as written: the one range that names a class (本科及以上 names none).
_BELOW_JUNIOR = frozenset({"初中及以下", "初中以下", "小学及以下"})

# 专业技术职务 (企事业单位党员): 'none' is an answer (无), '' is not yet known.
TECH_TITLES: dict[str, str] = {"senior": "高级", "intermediate": "中级", "junior": "初级", "none": "无"}
# Other ways workbooks write them (import): 正高/副高 are both 高级.
TECH_TITLE_WORDS: dict[str, str] = {
    "正高级": "senior",
    "副高级": "senior",
    "正高": "senior",
    "副高": "senior",
    "高级职称": "senior",
    "中级职称": "intermediate",
    "初级职称": "junior",
    "无职称": "none",
    "未评": "none",
    "暂无": "none",
    "员级": "junior",
}

# 工作岗位 free text that names one code. Exact words (after removing spaces) first; then the trade rule below.
POST_WORDS: dict[str, str] = {
    "离休": "4",
    "退休": "4",
    "离退休": "4",
    "离休干部": "4",
    "退休干部": "4",
    "退休职工": "4",
    "退休人员": "4",
    "离退休人员": "4",
    "离退休干部": "4",
    "学生": "3",
    "在校学生": "3",
    "军人": "2",
    "现役军人": "2",
    "武警": "2",
    "军人、武警": "2",
    "农民": "1",
    "牧民": "1",
    "渔民": "1",
    "农牧渔民": "1",
    "外出务工经商": "113",
    "矿长": "014",
    "副矿长": "014",
    "科长": "014",
    "副科长": "014",
    "经理": "014",
    "副经理": "014",
    "企业管理人员": "014",
    "工程师": "015",
    "助理工程师": "015",
    "高级工程师": "015",
    "技术员": "015",
    "会计师": "015",
    "经济师": "015",
    "企业专业技术人员": "015",
    "工勤技能人员": "016",
    "党政机关工作人员": "011",
    "事业单位管理人员": "012",
    "事业单位专业技术人员": "013",
    "民办非企业单位管理人员": "023",
    "民办非企业单位专业技术人员": "024",
}
# A miner's trade (采煤工, 掘进工, 井下电钳工, 绞车司机 …) is 工勤技能人员 of a state-owned mine (016); the words that
# end in 工 but name no trade (总工 is the chief engineer) are left alone.
_TRADE = re.compile(r".+(工|司机)$")
_NOT_TRADES = ("总工", "员工", "职工", "民工", "务工")


def _plain(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def education_class_of(text: str | None) -> str:
    """The class (a key of ``EDUCATION_CLASSES``) a free-text 学历 names, or ``''`` when it names none or more
    than one (硕士研究生 → graduate; 中等专科 → secondary_vocational; 技校 → high_school; 大学 → '')."""
    rest = _plain(text)
    if rest in EDUCATION_CLASSES:  # already a key
        return rest
    if rest in _BELOW_JUNIOR:
        return "junior_or_below"
    if "以上" in rest or "以下" in rest:  # 本科及以上, 高中及以下: a range of classes, not one
        return ""
    found = set()
    for word in _EDUCATION_ORDER:
        if word in rest:
            found.add(EDUCATION_WORDS[word])
            rest = rest.replace(word, "\0")
    return found.pop() if len(found) == 1 else ""


def post_code_of(text: str | None) -> str:
    """The 工作岗位 code a free-text job names unambiguously, or ``''`` (退休 → '4'; 采煤工 → '016'; 技术员 →
    '015'; 班组长, 安全员 → ''). A text that already is a member's code (``'014'``) is that code."""
    plain = _plain(text)
    if plain in POST_CHOICES:
        return plain
    if plain in POST_WORDS:
        return POST_WORDS[plain]
    if _TRADE.match(plain) and not plain.endswith(_NOT_TRADES):
        return "016"
    return ""


# The 职称 series a company roster names by title (高级工程师 is 高级, 工程师 中级, 助理工程师 and 技术员 初级). 技师 and
# 高级技师 are 职业技能等级 of a worker, not 专业技术职务: they are not here and name no level.
_TITLE_SERIES = ("工程师", "会计师", "经济师", "政工师", "统计师", "审计师")
_TITLE_FIRST = ("技术员", "会计员", "经济员", "政工员", "统计员", "审计员")


def tech_title_of(text: str | None) -> str:
    """The 专业技术职务 key a text names (高级, 副高, 中级职称, 副高级职称, 高级工程师, 工程师, 助理会计师, 无 …), or
    ``''`` (高级技师, a worker's skill level, names none)."""
    plain = _plain(text)
    by_label = {label: key for key, label in TECH_TITLES.items()}
    if plain in TECH_TITLES:
        return plain
    found = by_label.get(plain) or TECH_TITLE_WORDS.get(plain, "")
    if found:
        return found
    bare = plain.removesuffix("职称").removesuffix("职务")
    if bare != plain and bare:
        return tech_title_of(bare)
    for prefix, key in (
        ("正高级", "senior"),
        ("副高级", "senior"),
        ("高级", "senior"),
        ("中级", "intermediate"),
    ):
        if bare.startswith(prefix) and bare[len(prefix) :] in _TITLE_SERIES:
            return key
    if bare in _TITLE_SERIES:
        return "intermediate"
    if bare in _TITLE_FIRST or (bare.startswith(("助理", "初级")) and bare[2:] in _TITLE_SERIES):
        return "junior"
    return ""


# Other texts a workbook cell may hold for a code (the import; keys as ``_plain`` gives them: no spaces, half-width).
# 工作岗位: the choice labels without code or group (when the name is unique), the code with its leading zero lost
# to Excel (14 → 014), and the words of ``POST_WORDS``.
_POST_NAMES = [POST_CODES[c] for c in MEMBER_POST_CODES]
# The choice labels without their code (其中:农民工 is 0164's and 0253's: not an alias, the import asks for the code).
_CHOICE_NAMES = {c: _plain(label.split(" ", 1)[1]) for c, label in POST_CHOICES.items()}
POST_ALIASES: dict[str, str] = {
    **{_plain(POST_CODES[c]): c for c in MEMBER_POST_CODES if _POST_NAMES.count(POST_CODES[c]) == 1},
    **{name: c for c, name in _CHOICE_NAMES.items() if list(_CHOICE_NAMES.values()).count(name) == 1},
    **{c.lstrip("0"): c for c in MEMBER_POST_CODES if c.startswith("0") and c.lstrip("0") not in POST_CODES},
    **POST_WORDS,
}
_LOST_ZERO: dict[str, str] = {c.lstrip("0"): c for c in MEMBER_POST_CODES if c.startswith("0")}
_CODE_LED = re.compile(r"(\d+)[-_.、:：]*(\D.*)?")


def post_code_in_cell(text: str | None) -> str:
    """The 工作岗位 code a workbook cell names beyond the exact labels and ``POST_ALIASES`` (the import's last try):
    a code followed by its own name or by a name no other code has (``014 企业管理人员``, ``021企业管理人员``,
    ``0164 农民工``, ``14-企业管理人员``; a later table's wording of the name, ``014 公有经济控制企业管理人员``, keeps
    the code), else what ``post_code_of`` makes of the text; ``''`` when it names none. Raises ``ValueError`` (the
    reason in Chinese, after the cell's text in the import's message) for a group code or name (01 公有制单位: a
    member holds one of its codes), a code not in the tree, and a code written with another code's name."""
    plain = _plain(text)
    group_names = {_plain(POST_CODES[c]): c for c in POST_GROUP_ONLY}
    if plain in group_names:
        raise ValueError(_group_reason(group_names[plain]))
    m = _CODE_LED.fullmatch(plain)
    if m is None:
        named = [c for c in MEMBER_POST_CODES if plain in _own_names(c)]
        if len(named) > 1:  # 农民工: 0164 or 0253
            choices = "、".join(f"{c}（{post_label(c)}）" for c in named)
            raise ValueError(f"可以是 {choices}；请写明代码")
        return post_code_of(plain)
    code, name = m.group(1), (m.group(2) or "")
    code = code if code in POST_CODES else _LOST_ZERO.get(code, code)
    if code in POST_GROUP_ONLY:
        raise ValueError(_group_reason(code))
    if code not in POST_CODES:
        raise ValueError(
            "不是国家统计的工作岗位代码；请按代码表填写代码或名称（如 014 企业管理人员、016 工勤技能人员、"
            "4 离退休人员；可选值见模板「说明」工作表），或留空以后在「统计信息补全」中选择"
        )
    if not name or name in _own_names(code):
        return code
    other = POST_ALIASES.get(name) or next(
        (c for c, label in POST_CHOICES.items() if _plain(label) == name), ""
    )
    if other and other != code:
        raise ValueError(
            f"中的代码 {code}（{POST_CODES[code]}）与名称（{POST_CHOICES[other]}）不一致；"
            "请核对后改为其中正确的一项"
        )
    return code


def _own_names(code: str) -> set[str]:
    """The names a cell may give a code by (as ``_plain`` gives them): 企业管理人员, 企业管理人员(公有制单位); 农民工,
    其中农民工, 其中:农民工."""
    return {
        _plain(POST_CODES[code]),
        _CHOICE_NAMES[code],
        f"其中{POST_CODES[code]}",
        f"其中:{POST_CODES[code]}",
    }


def _group_reason(code: str) -> str:
    """Why a group of the tree (在岗职工 0, 公有制单位 01, 非公有制单位 02) is no member's code, naming its codes."""
    under = "、".join(POST_CHOICES[c] for c in MEMBER_POST_CODES if code in post_path(c))
    return f"是分组（{code} {POST_CODES[code]}），不是党员的工作岗位代码；请填写其下的具体代码：{under}"


# 学历分类: the words of ``EDUCATION_WORDS`` and the 学历 the forms offer (db.records.EDUCATIONS).
EDUCATION_ALIASES: dict[str, str] = {
    **{_plain(w): c for w, c in EDUCATION_WORDS.items()},
    "中技(技工学校)": "high_school",
    "高中中技": "high_school",
    "高中/中技": "high_school",
    "初中以下": "junior_or_below",
}

# 失联情形 (table 43): why contact was lost, in the national order (① … ⑦).
LOST_SITUATIONS: dict[str, str] = {
    "migrant_work": "外出务工经商",
    "restructured": "单位改制或破产",
    "graduated": "毕业后去向不明",
    "employer_changed": "工作单位改变",
    "abroad": "出国（境）",
    "moved": "居住地改变",
    "other": "其他",
}
# Other ways a workbook or a reason text names them (import; the migration that codes recorded reasons).
LOST_SITUATION_WORDS: dict[str, str] = {
    "外出务工": "migrant_work",
    "外出经商": "migrant_work",
    "务工经商": "migrant_work",
    "外出打工": "migrant_work",
    "单位改制": "restructured",
    "单位破产": "restructured",
    "企业改制": "restructured",
    "企业破产": "restructured",
    "改制或破产": "restructured",
    "毕业后去向不明": "graduated",
    "毕业去向不明": "graduated",
    "工作单位改变": "employer_changed",
    "工作单位变动": "employer_changed",
    "出国(境)": "abroad",
    "出国": "abroad",
    "出境": "abroad",
    "居住地改变": "moved",
    "居住地变动": "moved",
    "搬迁": "moved",
}


# The cell texts the import accepts besides the labels: the words above, the number alone or before the label, as
# written and as the reader gives them (NFKC: ② is 2, （境） is (境)).
_LOST_FORMS = {
    **LOST_SITUATION_WORDS,
    **{n: key for n, key in zip("①②③④⑤⑥⑦", LOST_SITUATIONS, strict=True)},
    **{f"{n}{label}": key for n, (key, label) in zip("①②③④⑤⑥⑦", LOST_SITUATIONS.items(), strict=True)},
    "出国（境）": "abroad",
}
LOST_SITUATION_ALIASES: dict[str, str] = {
    **_LOST_FORMS,
    **{_plain(text): key for text, key in _LOST_FORMS.items()},
}


def lost_situation_of(text: str | None) -> str:
    """The 失联情形 a text names (its label, a word of ``LOST_SITUATION_WORDS``, its number ① … ⑦ alone or before
    its label), or ``''`` when it names none or more than one."""
    plain = _plain(text)
    if plain in LOST_SITUATIONS:
        return plain
    labels = {_plain(label): key for key, label in LOST_SITUATIONS.items()}
    if plain in labels:
        return labels[plain]
    if plain[:1] in ("1", "2", "3", "4", "5", "6", "7") and not plain[1:2].isdigit():  # ② is 2 once plain
        number = list(LOST_SITUATIONS)[int(plain[0]) - 1]
        return number if lost_situation_of(plain[1:]) in ("", number) else ""
    found = {
        key for word, key in {**labels, **LOST_SITUATION_WORDS}.items() if word != "其他" and word in plain
    }
    return found.pop() if len(found) == 1 else ""


# 省级行政区 by the short name a 外出流向 begins with (table 33's 跨省 / 省内 compares it with the branch's own).
PROVINCES: tuple[str, ...] = (
    *("北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽"),
    *("福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州"),
    *("云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "台湾", "香港", "澳门"),
)


def province_of(text: str | None) -> str:
    """The 省级行政区 (a name of ``PROVINCES``) a place text begins with (山西省 → 山西; 内蒙古自治区鄂尔多斯 → 内蒙古),
    or ``''``."""
    plain = _plain(text)
    return next((p for p in PROVINCES if plain.startswith(p)), "")


def city_of(text: str | None) -> str:
    """A 地级市 as compared by table 33: without spaces and a trailing 市 (太原市 → 太原), ``''`` when not given."""
    plain = _plain(text)
    return plain[:-1] if len(plain) > 2 and plain.endswith("市") else plain


# The values of each coded field a CHECK constraint admits ('' = not yet coded).
CODED_MEMBER_FIELDS: dict[str, tuple[str, ...]] = {
    "post_code": MEMBER_POST_CODES,
    "education_class": tuple(EDUCATION_CLASSES),
    "tech_title": tuple(TECH_TITLES),
    "lost_contact_situation": tuple(LOST_SITUATIONS),
}
