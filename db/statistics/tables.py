"""THE declarative definition of the branch-level 党内统计 tables (issue 19; docs in /work/shared/STATISTICS.md).

Every table is data: its number, name, version, the population it counts (``population``: a name ``compute``
knows, with an optional ``where`` filter), its rows and its columns, each a label with a ``Filter`` on the
attributes of a counted item (age, 入党日期, 工作岗位 code, 学历 class, …). A cell counts the items passing both its
row's and its column's filter. Bands (age, 入党时间, 党龄, 失联时间) are tuples below: next year's template (a band
split, a row added) is a change here, not in code. ``compute.yearly_report`` is generic over this module.

Filters: ``Is(attr, value)``, ``In(attr, values)``, ``Range(attr, lo, hi)`` (both ends included, None open;
numbers or ISO dates), ``Prefix(attr, prefix)`` (工作岗位 codes: '01' is every 公有制 post), ``Has(attr, tag)``
(a tag of a set attribute), ``All()``; ``And(...)`` combines them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from db.codes import EDUCATION_CLASSES, LOST_SITUATIONS

VERSION = "2018"  # the layout of the replica in STATISTICS.md (the 43 tables as reported for 2017/2018)


@dataclass(frozen=True)
class All:
    def __call__(self, item: Mapping[str, Any]) -> bool:
        return True


@dataclass(frozen=True)
class Is:
    attr: str
    value: Any

    def __call__(self, item: Mapping[str, Any]) -> bool:
        return self.accepts(item.get(self.attr))

    def accepts(self, v: Any) -> bool:
        return bool(v == self.value)


@dataclass(frozen=True)
class In:
    attr: str
    values: tuple[Any, ...]

    def __call__(self, item: Mapping[str, Any]) -> bool:
        return self.accepts(item.get(self.attr))

    def accepts(self, v: Any) -> bool:
        return v in self.values


@dataclass(frozen=True)
class Range:
    attr: str
    lo: Any = None
    hi: Any = None

    def __call__(self, item: Mapping[str, Any]) -> bool:
        return self.accepts(item.get(self.attr))

    def accepts(self, v: Any) -> bool:
        if v is None or v == "":
            return False
        return (self.lo is None or v >= self.lo) and (self.hi is None or v <= self.hi)


@dataclass(frozen=True)
class Prefix:
    attr: str
    prefix: str

    def __call__(self, item: Mapping[str, Any]) -> bool:
        return self.accepts(item.get(self.attr))

    def accepts(self, v: Any) -> bool:
        v = v or ""
        return bool(v) and str(v).startswith(self.prefix)


@dataclass(frozen=True)
class Has:
    attr: str
    tag: str

    def __call__(self, item: Mapping[str, Any]) -> bool:
        return self.tag in (item.get(self.attr) or ())


@dataclass(frozen=True)
class And:
    parts: tuple[Any, ...]

    def __call__(self, item: Mapping[str, Any]) -> bool:
        return all(p(item) for p in self.parts)


Filter = All | Is | In | Range | Prefix | Has | And


NOT_HELD = "未掌握"  # the cell of a figure the program does not record (``Line.held``): never written as 0


@dataclass(frozen=True)
class Line:
    """A row or a column: its label and the filter of the items it counts."""

    label: str
    where: Filter = All()
    key: str = ""  # a stable name for code that needs one cell (table 1's balance columns)
    held: bool = (
        True  # False: the program does not record it; its cells are 未掌握 (blank), never a made-up 0
    )


@dataclass(frozen=True)
class Table:
    number: str
    name: str
    population: (
        str  # members | dues | admitted | left | probation | pipeline | mobile | lost | appraisal | training
    )
    columns: tuple[Line, ...]
    rows: tuple[Line, ...] = (Line("合计"),)
    where: Filter = All()
    version: str = VERSION
    note: str = ""

    @property
    def title(self) -> str:
        return f"表{self.number} {self.name}"


def bands(attr: str, spec: Sequence[tuple[Any, Any, str]]) -> tuple[Line, ...]:
    """Columns (or rows) of a band list: (lo, hi, label) each, both ends included."""
    return tuple(Line(label, Range(attr, lo, hi)) for lo, hi, label in spec)


# --- bands (data: a new template changes these) ------------------------------------------------------------
def cut_bands(cuts: Sequence[int], first: str, middle: str, last: str) -> tuple[tuple[Any, Any, str], ...]:
    """The (lo, hi, label) bands between cut points: up to the first cut, each next cut, above the last. The
    labels are formats of ``lo`` and ``hi`` (``"{lo}至{hi}岁"``), so a band's wording is data like its cuts."""
    spec: list[tuple[Any, Any, str]] = [(None, cuts[0], first.format(hi=cuts[0]))]
    spec += [(lo + 1, hi, middle.format(lo=lo + 1, hi=hi)) for lo, hi in pairwise(cuts)]
    return (*spec, (cuts[-1] + 1, None, last.format(lo=cuts[-1] + 1)))


AGE = ("{hi}岁及以下", "{lo}至{hi}岁", "{lo}岁及以上")
AGE_BANDS_MEMBERS = cut_bands((30, 35, 40, 45, 50, 55, 60, 65, 70), *AGE)
AGE_BANDS_LEFT = cut_bands((35, 54, 59), *AGE)
AGE_BANDS_ADMITTED = cut_bands((25, 30, 35, 40, 59), *AGE)
AGE_BANDS_LOST = cut_bands((35, 45, 60), *AGE)
STANDING_YEARS_BANDS = cut_bands((0, 5, 10, 20), "党龄不满1年", "党龄{lo}至{hi}年", "党龄{lo}年及以上")
# 入党时间: the periods of the national form, each its first day; a band ends the day before the next begins
JOINED_STARTS = (
    ("1937-07-07", "1937.7.6及以前"),
    ("1945-09-03", "1937.7.7至1945.9.2"),
    ("1949-10-01", "1945.9.3至1949.9"),
    ("1966-05-01", "1949.10至1966.4"),
    ("1976-11-01", "1966.5至1976.10"),
    ("1979-01-01", "1976.11至1978.12"),
    ("2002-11-01", "1979.1至2002.10"),
    ("2012-11-01", "2002.11至2012.10"),
    (None, "2012.11及以后"),
)
LOST_MONTHS_BANDS = (
    (6, 11, "失联6个月至1年"),
    (12, 71, "失联1至5年"),
    (72, 131, "失联6至10年"),
    (132, None, "失联11年以上"),
)


def date_bands(starts: Sequence[tuple[str | None, str]]) -> tuple[tuple[Any, Any, str], ...]:
    """(lo, hi, label) date bands from each band's label and the first day of the next (None: open)."""
    spec: list[tuple[Any, Any, str]] = []
    lo = None
    for next_start, label in starts:
        hi = None if next_start is None else (date.fromisoformat(next_start) - timedelta(days=1)).isoformat()
        spec.append((lo, hi, label))
        lo = next_start
    return tuple(spec)


JOINED_BANDS = date_bands(JOINED_STARTS)
# Who a band list cannot place, beside its bands so that they still add up to the total (报表校核): a member without
# 出生日期 has no age, one without 加入党组织日期 no 入党时间 and no 党龄.
AGE_UNKNOWN = Line("出生日期未填写", Is("age", None))
JOINED_UNKNOWN = Line("入党日期未填写", Is("joined", ""))
STANDING_UNKNOWN = Line("入党日期未填写", Is("standing_years", None))

# 工作岗位 rows (the national code tree; '' = not coded yet, so every table still adds up). The rows under 一、在岗职工
# cover every code of its 公有制 (01) and 非公有制 (02) branches, so they add up to it: 企业管理人员, 企业专业技术人员 and
# 工勤技能人员 each count both ownerships (014+021, 015+022, 016+025 with their 其中 农民工 0164+0253).
POST_ROWS = (
    Line("合计"),
    Line("一、在岗职工", Prefix("post_code", "0")),
    Line("  党政机关工作人员", Is("post_code", "011")),
    Line("  事业单位管理人员", Is("post_code", "012")),
    Line("  事业单位专业技术人员", Is("post_code", "013")),
    Line("  企业管理人员", In("post_code", ("014", "021"))),
    Line("  企业专业技术人员", In("post_code", ("015", "022"))),
    Line("  民办非企业单位管理人员", Is("post_code", "023")),
    Line("  民办非企业单位专业技术人员", Is("post_code", "024")),
    Line("  工勤技能人员", In("post_code", ("016", "0164", "025", "0253"))),
    Line("    其中：农民工", In("post_code", ("0164", "0253"))),
    Line("二、农牧渔民", Prefix("post_code", "1")),
    Line("  其中：外出务工经商", Is("post_code", "113")),
    Line("三、军人、武警", Prefix("post_code", "2")),
    Line("四、学生", Prefix("post_code", "3")),
    Line("五、离退休人员", Prefix("post_code", "4")),
    Line("六、其他", Prefix("post_code", "5")),
    Line("未填写/未编码", Is("post_code", "")),
)
EDUCATION_COLUMNS = (
    *(Line(label, Is("education_class", code)) for code, label in EDUCATION_CLASSES.items()),
    Line("未填写", Is("education_class", "")),
)
FEMALE = Line("女", Is("gender", "female"))
MINORITY = Line("少数民族", Is("minority", True))
TOTAL = Line("总数")
COLLEGE = ("graduate", "bachelor", "junior_college")
PIPELINE_COLUMNS = (
    TOTAL,
    FEMALE,
    MINORITY,
    Line("35岁及以下", Range("age", None, 35)),
    Line("大专及以上", In("education_class", COLLEGE)),
    Line("中专、高中、中技", In("education_class", ("secondary_vocational", "high_school"))),
    Line("生产工作第一线", Is("front_line", True)),
)

# 表8: the tags of db.statistics.populations.APPRAISAL_TAGS, in the order of the national columns
APPRAISAL_COLUMNS = {
    "participated": "参加评议的党员",
    "excellent": "表彰党员",
    "unqualified": "评定为不合格党员",
    "rectify": "组织处置：限期改正",
    "persuaded": "组织处置：劝退",
    "removal_persuaded": "组织处置：劝而不退除名",
    "removal_lapsed": "组织处置：自行脱党除名",
    "concluded": "结束评议",
}
# 表2 补充资料: the dues figures (db.dues.period_standing) and each 专业技术职务 with its 女 and 35岁及以下.
ONCE_EXTRA_FEN = 100_000  # 自愿一次性多交纳党费1000元以上: paid above what was due, on one day, in fen
TECH_LEVELS = (("senior", "高级"), ("intermediate", "中级"), ("junior", "初级"))
SUPPLEMENT_COLUMNS = (
    Line("按时按标准交纳党费的党员", Has("dues", "on_time")),
    Line("经批准少交党费的党员", Has("dues", "reduced")),
    Line("经批准免交党费的党员", Has("dues", "exempt")),
    Line("自愿一次性多交纳1000元以上党费的党员", Range("extra_once_fen", ONCE_EXTRA_FEN, None)),
    Line("生活不能自理、丧失劳动能力的党员", held=False),
    Line("党费记录不全无法判断", Has("dues", "unknown")),
    *(
        line
        for code, level in TECH_LEVELS
        for line in (
            Line(f"{level}专业技术职务", Is("tech_title", code)),
            Line(f"{level}：女", And((Is("tech_title", code), Is("gender", "female")))),
            Line(f"{level}：35岁及以下", And((Is("tech_title", code), Range("age", None, 35)))),
        )
    ),
)
# 表15: a 转正 discussed by the 支部党员大会 more than this many days after the probation ended (党章第七条: 及时讨论)
POSTPONED_AFTER_DAYS = 30
# 表43: the national 失联情形 (db.codes.LOST_SITUATIONS), then those not recorded yet
LOST_SITUATION_COLUMNS = (
    *(Line(f"失联情形：{label}", Is("lost_situation", code)) for code, label in LOST_SITUATIONS.items()),
    Line("失联情形未填写", Is("lost_situation", "")),
)

TABLES: tuple[Table, ...] = (
    Table(
        "1",
        "党员数量变化情况",
        "balance",
        columns=(
            Line("上年底总数", key="previous"),
            *(
                Line(label, Is("reason", code), key=code)
                for code, label in (
                    ("developed", "发展党员"),
                    ("readmitted", "重新入党"),
                    ("restored", "恢复党籍"),
                    ("reinstated", "停止党籍后恢复党籍"),
                    ("transfer_in", "转入组织关系"),
                    ("unit_in", "整建制转入"),
                    ("left_party", "出党"),
                    ("suspended", "停止党籍"),
                    ("deceased", "死亡"),
                    ("transfer_out", "转出组织关系"),
                    ("unit_out", "整建制转出"),
                )
            ),
            Line("本年增加合计", Is("direction", "add"), key="added"),
            Line("本年减少合计", Is("direction", "remove"), key="removed"),
            Line("本年底应有数", key="expected"),
            Line("本年底实有数", key="actual"),
            Line("实有数与应有数之差", key="difference"),
        ),
        rows=(
            Line("合计"),
            Line("其中：转入系统内", Is("detail", "within")),
            Line("其中：转入系统外", Is("detail", "outside")),
        ),
    ),
    Table(
        "2",
        "党员基本情况",
        "members",
        columns=(
            TOTAL,
            Line("预备党员", Is("category", "probationary")),
            FEMALE,
            MINORITY,
            Line("台湾省籍", held=False),
            *bands("age", AGE_BANDS_MEMBERS),
            AGE_UNKNOWN,
            Line("高级专业技术职务", Is("tech_title", "senior")),
            Line("中级专业技术职务", Is("tech_title", "intermediate")),
            Line("初级专业技术职务", Is("tech_title", "junior")),
        ),
        rows=POST_ROWS,
    ),
    Table(
        "2补",
        "党员基本情况（补充资料）",
        "dues",
        columns=SUPPLEMENT_COLUMNS,
        note="党费各项按本期党费台账计算：按时按标准＝本期每个应交月份都按核定金额在当月（按季度交纳的在季末）前交清；"
        "少交、免交＝期末执行的党费基数经支部决定和上级批准减免；一次性多交＝同一天所交超出应交金额1000元以上。"
        "生活不能自理、丧失劳动能力的党员本程序不记录，表中为“未掌握”，请按实际填写。",
    ),
    Table(
        "3", "党员入党时间情况", "members", columns=(TOTAL, *bands("joined", JOINED_BANDS), JOINED_UNKNOWN)
    ),
    Table("4", "党员学历情况", "members", columns=(TOTAL, *EDUCATION_COLUMNS), rows=POST_ROWS),
    Table(
        "8",
        "民主评议党员情况",
        "appraisal",
        columns=tuple(Line(label, Has("tags", tag)) for tag, label in APPRAISAL_COLUMNS.items()),
        note="开展评议的支部：本支部本年度开展了民主评议党员（民主测评或支部评定已办）即计 1。",
    ),
    Table(
        "9",
        "党员培训情况",
        "training",
        columns=(
            Line("参加培训的党员", Range("hours", 0.01, None)),
            Line("年度集中学习培训达标", Is("met", True)),
            Line("书记和班子成员", Is("committee", True)),
            Line("书记和班子成员达标", And((Is("committee", True), Is("met", True)))),
        ),
    ),
    Table(
        "10",
        "党员出党情况",
        "left",
        columns=(
            TOTAL,
            Line("开除党籍", Is("detail", "expulsion")),
            Line("退党除名", Is("detail", "withdrawal")),
            Line("劝退", Is("detail", "persuaded")),
            Line("劝而不退除名", Is("detail", "removal_persuaded")),
            Line("自行脱党除名", Is("detail", "removal_lapsed")),
            Line(
                "其中：经多方查找确实无法取得联系",
                And((Is("detail", "removal_lapsed"), Is("lost_contact", True))),
            ),
            Line("取消预备党员资格", Is("detail", "probation_cancelled")),
            Line("不予承认", Is("detail", "not_recognised")),
            Line("形式未注明", Is("detail", "")),
        ),
        rows=(
            Line("合计"),
            *bands("age", AGE_BANDS_LEFT),
            AGE_UNKNOWN,
            *bands("joined", JOINED_BANDS),
            JOINED_UNKNOWN,
        ),
        note="不予承认：上级党委对违反规定发展的党员不予承认党籍的，在「补记变动原因」中记为出党（不予承认）。",
    ),
    Table(
        "15",
        "预备党员转正情况",
        "probation",
        columns=(
            Line("预备期满的党员", Is("due", True)),
            Line("转为正式党员", Has("tags", "full")),
            Line("其中：延长预备期后转正", Has("tags", "full_after_extension")),
            Line(
                "其中：推迟讨论转正",
                And((Has("tags", "full"), Range("vote_delay_days", POSTPONED_AFTER_DAYS + 1, None))),
            ),
            Line("延长预备期", Has("tags", "extended")),
            Line("取消预备党员资格", And((Is("due", True), Has("tags", "cancelled")))),
            Line("尚未讨论或审批", Has("tags", "pending")),
            Line("预备期未满被取消资格", And((Is("due", False), Has("tags", "cancelled")))),
        ),
        note=f"推迟讨论转正：讨论转正的支部党员大会晚于预备期满 {POSTPONED_AFTER_DAYS} 天以上、本期转为正式党员的"
        "（按发展党员记录的表决日期计）。",
    ),
    Table(
        "16",
        "发展党员情况",
        "admitted",
        columns=(
            TOTAL,
            FEMALE,
            MINORITY,
            *bands("age", AGE_BANDS_ADMITTED),
            AGE_UNKNOWN,
            *EDUCATION_COLUMNS,
            Line("生产工作第一线", Is("front_line", True)),
            Line("专业技术职务", In("tech_title", ("senior", "intermediate", "junior"))),
            Line("共青团员（经过推优）", Is("league_recommended", True)),
        ),
        rows=POST_ROWS,
    ),
    Table("18", "发展对象情况", "pipeline", columns=PIPELINE_COLUMNS, where=Is("stage", "candidate")),
    Table("19", "入党积极分子情况", "pipeline", columns=PIPELINE_COLUMNS, where=Is("stage", "activist")),
    Table("20", "入党申请人情况", "pipeline", columns=PIPELINE_COLUMNS, where=Is("stage", "applicant")),
    Table(
        "33",
        "流动党员情况",
        "mobile",
        columns=(
            Line("流出党员", All()),
            Line("跨省（区、市）流出", Is("span", "cross")),
            Line("省内流出", Is("span", "within")),
            Line("其中：省内跨市流出", Is("city_span", "cross")),
            Line("省内未能判断是否跨市", Is("city_span", "unknown")),
            Line("未能判断跨省或省内", Is("span", "")),
            Line("持《流动党员活动证》", Is("activity_card", True)),
            Line("掌握流向", Is("known_place", True)),
            Line("不掌握流向", Is("known_place", False)),
            Line("其中：预备党员", Is("category", "probationary")),
            FEMALE,
        ),
        note="跨省、省内：外出流向的省份与本支部所在省份（支部设置 → 规则设置）比较；未设置或流向未写省份的，"
        "计入“未能判断跨省或省内”。省内跨市：省内流出的，外出流向的城市与本支部所在城市比较；未设置或流向未写城市的，"
        "计入“省内未能判断是否跨市”。",
    ),
    Table(
        "43",
        "失去联系党员情况",
        "lost",
        # 失联党员: out of contact for six full months or more on the period's end (the first band's start)
        where=Range("lost_months", LOST_MONTHS_BANDS[0][0], None),
        columns=(
            TOTAL,
            Line("预备党员", Is("category", "probationary")),
            FEMALE,
            MINORITY,
            *bands("age", AGE_BANDS_LOST),
            AGE_UNKNOWN,
            *bands("standing_years", STANDING_YEARS_BANDS),
            STANDING_UNKNOWN,
            *bands("lost_months", LOST_MONTHS_BANDS),
            *LOST_SITUATION_COLUMNS,
        ),
        note="失去联系党员：至统计截止日与党组织失去联系满6个月的党员（自失去联系日期起算）；不满6个月的不计入本表。",
    ),
)


def table_by_number(number: str, tables: Sequence[Table] = TABLES) -> Table:
    return next(t for t in tables if t.number == number)
