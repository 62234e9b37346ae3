"""Table 33's split of 流出党员 (issue 19, STATISTICS.md: 跨省, 省内跨市): the 外出流向 compared with the branch's
province and city (规则设置 本支部所在省份 / 本支部所在城市), each boundary case counted in its column."""

from __future__ import annotations

from datetime import date

import pytest

from db import branch, members, rule_settings, statistics, transfers
from db.errors import ValidationError
from db.statistics.populations import CITY_KEY, PROVINCE_KEY

TODAY = date(2025, 12, 31)
AWAY = {  # member → (province, city) of the 外出流向
    "同市": ("山西省", "大同市"),
    "同市无市字": ("山西", " 大同 "),
    "省内跨市": ("山西省", "太原市"),
    "省内未写市": ("山西省", ""),
    "跨省": ("河北省", "大同市"),  # a city of the same name elsewhere is still 跨省
    "境外": ("境外", ""),  # no province to compare
}


def _row(db) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    t = statistics.yearly_report(db, year=2025).table("33")
    return {c.label: t.figure(0, i) for i, c in enumerate(t.table.columns)}


def _people(db, label: str) -> set[str]:  # type: ignore[no-untyped-def]
    r = statistics.yearly_report(db, year=2025)
    t = r.table("33")
    ci = [c.label for c in t.table.columns].index(label)
    cell = t.cells[0][ci]
    assert cell is not None
    return {r.names[u] for u in cell.uuids}


@pytest.fixture
def away(db):  # type: ignore[no-untyped-def]
    for name, (province, city) in AWAY.items():
        m = members.add_member(
            db,
            values={
                "name": name,
                "category": "full",
                "joined_on": date(2010, 1, 1),
                "full_on": date(2011, 1, 1),
            },
        )
        transfers.start_mobile(
            db,
            member_uuid=m.uuid,
            province=province,
            city=city,
            reason="外出务工",
            started_on=date(2025, 3, 1),
            today=TODAY,
        )
    return db


def test_same_city_other_city_other_province_and_unknown_places(away) -> None:  # type: ignore[no-untyped-def]
    db = away
    rule_settings.save_rule_settings(db, values={PROVINCE_KEY: "山西", CITY_KEY: "大同市"})
    row = _row(db)
    assert row["流出党员"] == 6
    assert row["跨省（区、市）流出"] == 1 and _people(db, "跨省（区、市）流出") == {"跨省"}
    assert row["省内流出"] == 4
    assert _people(db, "其中：省内跨市流出") == {"省内跨市"}
    assert _people(db, "省内未能判断是否跨市") == {"省内未写市"}
    assert _people(db, "未能判断跨省或省内") == {"境外"}
    # same city (written with or without 市, with spaces) is 省内 but not 跨市
    assert {"同市", "同市无市字"} <= _people(db, "省内流出")


def test_without_the_branch_city_every_move_within_the_province_is_undetermined(away) -> None:  # type: ignore[no-untyped-def]
    db = away
    branch.set_setting(db, key=PROVINCE_KEY, value="山西")
    row = _row(db)
    assert row["省内流出"] == 4 and row["其中：省内跨市流出"] == 0 and row["省内未能判断是否跨市"] == 4
    assert row["跨省（区、市）流出"] == 1 and row["未能判断跨省或省内"] == 1


def test_the_city_setting_is_checked(db) -> None:  # type: ignore[no-untyped-def]
    assert rule_settings.rule_values(db)[CITY_KEY] == ""
    with pytest.raises(ValidationError, match="本支部所在城市最多 20 个字"):
        rule_settings.save_rule_settings(db, values={CITY_KEY: "大" * 21})
    with pytest.raises(ValidationError, match="控制字符"):
        rule_settings.save_rule_settings(db, values={CITY_KEY: "大同\x07"})
    assert rule_settings.save_rule_settings(db, values={CITY_KEY: "太原市"})[CITY_KEY] == "太原市"
