"""The branch settings the rules read, in one table for 支部设置: each with its label, its default, where the
default comes from, and its allowed values. Reading goes through the part that uses the setting (so a stored
value out of range reads as the default there too); ``save_rule_setting`` validates and stores.

Rules that are fixed by the regulations and not a branch's choice are listed in ``FIXED_RULES`` so the page can
show them with their source.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from db.branch import set_setting
from db.codes import PROVINCES
from db.dues import (
    BASIS_MODES,
    DUES_ROUNDINGS,
    MAX_AHEAD_MONTHS,
    MAX_PREPAY_SETTING,
    basis_mode,
    dues_rounding,
    farmer_dues_fen,
    max_ahead_months,
)
from db.errors import Problem, ValidationError
from db.meetings.records import FREQUENCY_NAMES
from db.meetings.reminders import (
    DEFAULT_LECTURE_FREQUENCY,
    DEFAULT_THEME_DAY,
    lecture_frequency,
    theme_day_of_month,
)
from db.rules import FARMER_DUES_RANGE_FEN
from db.statistics.populations import CITY_KEY, PROVINCE_KEY, branch_city, branch_province
from db.store import Database
from db.training import settings as training_settings


@dataclass(frozen=True)
class RuleSetting:
    """One setting: ``choices`` (value → Chinese), a free text of at most ``text`` characters, or an integer range
    ``low``–``high`` shown with ``unit``."""

    key: str
    label: str
    default: Any
    source: str
    read: Callable[[Database], Any]
    choices: Mapping[str, str] = field(default_factory=dict)
    low: int = 0
    high: int = 0
    unit: str = ""
    text: int = 0  # > 0: a free text (a place name) of at most this many characters; '' is not set

    def value_text(self, value: Any) -> str:
        """The Chinese text of a value (``每季度``, ``15 日``)."""
        if self.choices:
            return self.choices.get(str(value), str(value))
        if self.text:
            return str(value) or "（未设置）"
        return f"{value}{self.unit}"


def _hours_setting(
    key: str,
    label: str,
    default: int,
    source: str,
    read: Callable[[Database], int],
    *,
    low: int = 0,
    high: int = 24,
) -> RuleSetting:
    """A setting counted in 学时 (db.training.settings)."""
    return RuleSetting(key, label, default, source, read, low=low, high=high, unit=" 学时")


RULE_SETTINGS: tuple[RuleSetting, ...] = (
    RuleSetting(
        "party_lecture_frequency",
        "党课频次",
        DEFAULT_LECTURE_FREQUENCY,
        "“三会一课”制度（《中国共产党支部工作条例（试行）》）：党课一般每季度 1 次；上级党委另有要求的按其要求",
        lecture_frequency,
        choices=FREQUENCY_NAMES,
    ),
    RuleSetting(
        "theme_day_of_month",
        "主题党日（每月几日）",
        DEFAULT_THEME_DAY,
        "主题党日每月固定一天开展，具体日期由上级党委或支部确定；本程序默认每月 15 日",
        theme_day_of_month,
        low=1,
        high=28,
        unit=" 日",
    ),
    RuleSetting(
        "dues_basis_mode",
        "党费基数核定方式",
        "year",
        "《关于中国共产党党费收缴、使用和管理的规定》：以每月工资收入为基数；多数单位每年核定一次，本程序默认按年",
        basis_mode,
        choices=BASIS_MODES,
    ),
    RuleSetting(
        "dues_farmer_fen",
        "农民党员每月党费",
        FARMER_DUES_RANGE_FEN[0],
        "《关于中国共产党党费收缴、使用和管理的规定》：农民党员每月交纳党费 0.2 元至 1 元；本程序默认 0.2 元",
        farmer_dues_fen,
        low=FARMER_DUES_RANGE_FEN[0],
        high=FARMER_DUES_RANGE_FEN[1],
        unit=" 分",
    ),
    RuleSetting(
        "dues_rounding",
        "党费金额的舍入",
        "fen",
        "党费规定只定交纳比例；计算到分为财务通行做法，有的上级党委要求到角或到元。只影响此后核定的基数",
        dues_rounding,
        choices={key: label for key, (label, _unit) in DUES_ROUNDINGS.items()},
    ),
    RuleSetting(
        "dues_prepay_months",
        "预交党费最多几个月",
        MAX_AHEAD_MONTHS,
        f"各地党委对预交党费的期限有规定，常见为不超过 {MAX_AHEAD_MONTHS} 个月；以上级党委的规定为准",
        max_ahead_months,
        low=0,
        high=MAX_PREPAY_SETTING,
        unit=" 个月",
    ),
    # 学时 (issue 19): yearly targets and the conversion of activities (db.training.settings).
    _hours_setting(
        training_settings.MEMBER_TARGET_KEY,
        "党员年度学时目标",
        training_settings.DEFAULT_MEMBER_TARGET,
        f"党员每年集中学习培训一般不少于 32 学时：{training_settings.SOURCE}",
        training_settings.member_target,
        high=500,
    ),
    _hours_setting(
        training_settings.COMMITTEE_TARGET_KEY,
        "书记和支部委员年度学时目标",
        training_settings.DEFAULT_COMMITTEE_TARGET,
        f"基层党组织书记和班子成员每年集中学习培训一般不少于 56 学时：{training_settings.SOURCE}",
        training_settings.committee_target,
        high=500,
    ),
    _hours_setting(
        training_settings.MEETING_HOURS_KEYS["party_lecture"],
        "党课计入学时",
        training_settings.DEFAULT_MEETING_HOURS["party_lecture"],
        "学时折算由上级党委规定，常见为专题讲座每半天 4 学时；出席党课的党员计入，单次会议可另行填写",
        training_settings.party_lecture_hours,
    ),
    _hours_setting(
        training_settings.MEETING_HOURS_KEYS["theme_day"],
        "主题党日计入学时",
        training_settings.DEFAULT_MEETING_HOURS["theme_day"],
        "学时折算由上级党委规定，常见为支部组织的学习每小时 1 学时；本程序默认主题党日 2 学时",
        training_settings.theme_day_hours,
    ),
    _hours_setting(
        training_settings.DAY_HOURS_KEY,
        "脱产培训每天折算学时",
        training_settings.DEFAULT_DAY_HOURS,
        "学时折算由上级党委规定，常见为脱产培训每天 8 学时",
        training_settings.day_hours,
        low=1,
    ),
    RuleSetting(
        PROVINCE_KEY,
        "本支部所在省份",
        "",
        "党内统计表33把流出党员分为跨省流出和省内流出：以外出流向的省份与此比较；未设置时表33不能区分",
        branch_province,
        choices={"": "（未设置）", **{p: p for p in PROVINCES}},
    ),
    RuleSetting(
        CITY_KEY,
        "本支部所在城市",
        "",
        "党内统计表33把省内流出中的省内跨市流出单列：以外出流向的城市（地级市，如“太原”）与此比较；"
        "未设置时表33不能区分",
        branch_city,
        text=20,
    ),
)

BY_KEY: dict[str, RuleSetting] = {s.key: s for s in RULE_SETTINGS}

# Rules the regulations fix (shown, not edited): (label, rule, source).
FIXED_RULES: tuple[tuple[str, str, str], ...] = (
    (
        "党费交纳比例",
        "在职党员按税后月收入分档交纳 0.5%、1%、1.5%、2%，离退休党员 0.5%、1%",
        "《关于中国共产党党费收缴、使用和管理的规定》",
    ),
)


def rule_values(db: Database) -> dict[str, Any]:
    """The value in force of every setting (the default where none was stored)."""
    return {s.key: s.read(db) for s in RULE_SETTINGS}


def validate_rule_setting(key: str, value: Any) -> list[Problem]:
    """Why ``value`` cannot be stored for ``key`` (empty: it can)."""
    setting = BY_KEY.get(key)
    if setting is None:
        return [Problem(key, f"未知的设置项：{key}")]
    if setting.choices:
        if value not in setting.choices:
            return [Problem(key, f"{setting.label}的取值无效：{value}")]
        return []
    if setting.text:
        if not isinstance(value, str) or len(value.strip()) > setting.text:
            return [Problem(key, f"{setting.label}最多 {setting.text} 个字，请改短：{value}")]
        if any(not ch.isprintable() for ch in value):
            return [Problem(key, f"{setting.label}含有不可见的控制字符，请重新输入")]
        return []
    if not isinstance(value, int) or isinstance(value, bool) or not setting.low <= value <= setting.high:
        return [
            Problem(
                key,
                f"{setting.label}应在 {setting.value_text(setting.low)} 到 {setting.value_text(setting.high)} 之间",
            )
        ]
    return []


def save_rule_settings(db: Database, *, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and store several settings in one transaction; returns the values in force afterwards. Raises
    ``ValidationError`` (nothing stored) when any is invalid."""
    problems = [p for key, value in values.items() for p in validate_rule_setting(key, value)]
    if problems:
        raise ValidationError(problems)
    with db.atomic():
        for key, value in values.items():
            set_setting(db, key=key, value=value)
    return rule_values(db)
