"""Coded member data (issue 19): the national code lists, the mapping of free text to them, and the migration that
codes the roster a branch already has."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from db import codes, development
from db import members as members_db
from db.errors import ValidationError
from db.migrations import migrations
from db.rows import query


def test_post_code_tree_relations() -> None:
    assert codes.post_parent("0164") == "016" and codes.post_parent("014") == "01"
    assert codes.post_parent("01") == "0" and codes.post_parent("4") is None
    assert codes.post_group("0164") == "0" and codes.post_group("113") == "1" and codes.post_group("") == ""
    assert codes.post_label("0164") == "在岗职工·公有制单位·工勤技能人员·其中农民工"
    assert "0" not in codes.MEMBER_POST_CODES and "01" not in codes.MEMBER_POST_CODES
    # the dropdown labels are unique although the names repeat (企业管理人员 is 014 and 021)
    assert len(set(codes.POST_CHOICES.values())) == len(codes.POST_CHOICES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("硕士研究生", "graduate"),
        ("博士", "graduate"),
        ("大学本科", "bachelor"),
        ("本科（学士）", "bachelor"),
        ("大专", "junior_college"),
        ("高职", "junior_college"),
        ("中等专科", "secondary_vocational"),  # not 专科
        ("中专", "secondary_vocational"),
        ("中技（技工学校）", "high_school"),
        ("技校", "high_school"),
        ("职业高中", "high_school"),
        ("高中", "high_school"),
        ("初中及以下", "junior_or_below"),
        ("小学", "junior_or_below"),
        ("大学", ""),  # 本科 or 专科: not said
        ("大专（在读本科）", ""),  # two classes named
        ("本科及以上", ""),  # a range of classes
        ("高中及以下", ""),
        ("初中以下", "junior_or_below"),
        ("", ""),
    ],
)
def test_education_class_of_free_text(text: str, expected: str) -> None:
    assert codes.education_class_of(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("退休", "4"),
        ("离休干部", "4"),
        ("采煤机司机", "016"),
        ("综采队电工", "016"),
        ("支架工", "016"),
        ("技术员", "015"),
        ("副矿长", "014"),
        ("总工", ""),  # the chief engineer, not a trade
        ("农民工", ""),  # 0164 or 0253
        ("班组长", ""),
        ("014", "014"),
    ],
)
def test_post_code_of_free_text_is_conservative(text: str, expected: str) -> None:
    assert codes.post_code_of(text) == expected


def test_migration_codes_the_free_text_it_can_and_leaves_the_rest(tmp_path: Path) -> None:
    """A database made before 0017 keeps its free text; the migration fills the codes where the text names one,
    '' where it does not, and 生产工作第一线 stays not known."""
    old = sqlite_utils.Database(tmp_path / "old.sqlite")
    migrations.apply(old, stop_before="0017_coded_member_data")
    people = [
        ("m1", "张三", "硕士研究生", "采煤工"),
        ("m2", "李四", "中等专科", "退休"),
        ("m3", "王五", "大学", "班组长"),
        ("m4", "赵六", "", ""),
    ]
    for uuid, name, education, job in people:
        old.execute(
            "INSERT INTO members (uuid, name, category, education, job, created_at, updated_at)"
            " VALUES (?, ?, 'full', ?, ?, 'x', 'x')",
            [uuid, name, education, job],
        )
    old.execute(
        "INSERT INTO development_people (uuid, name, education, job, created_at, updated_at)"
        " VALUES ('p1', '钱七', '大专', '掘进工', 'x', 'x')"
    )
    old.conn.commit()
    migrations.apply(old)
    rows = query(
        old, "SELECT uuid, education, education_class, post_code, tech_title, front_line FROM members"
    )
    assert [(r["uuid"], r["education"], r["education_class"], r["post_code"]) for r in rows] == [
        ("m1", "硕士研究生", "graduate", "016"),
        ("m2", "中等专科", "secondary_vocational", "4"),
        ("m3", "大学", "", ""),
        ("m4", "", "", ""),
    ]
    assert {(r["tech_title"], r["front_line"]) for r in rows} == {("", None)}
    person = query(
        old, "SELECT education_class, post_code, front_line, league_recommended FROM development_people"
    )[0]
    assert person == {
        "education_class": "junior_college",
        "post_code": "016",
        "front_line": None,
        "league_recommended": 0,
    }
    old.close()


def test_codes_are_checked_by_the_schema_and_the_validation(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as exc:
        members_db.add_member(db, values={"name": "张三", "category": "full", "post_code": "999"})
    assert "不在国家统计代码表中" in str(exc.value)
    with pytest.raises(
        Exception, match="CHECK constraint failed"
    ):  # sqlite3's or sqlcipher3's IntegrityError
        db.execute(
            "INSERT INTO members (uuid, name, category, education_class, created_at, updated_at)"
            " VALUES ('x', '李四', 'full', '本科', 'x', 'x')"
        )


def test_a_new_member_is_coded_from_the_text_unless_given_codes(db) -> None:  # type: ignore[no-untyped-def]
    m = members_db.add_member(
        db, values={"name": "张三", "category": "full", "education": "本科", "job": "退休"}
    )
    assert (m.education_class, m.post_code, m.front_line) == ("bachelor", "4", None)
    chosen = members_db.add_member(
        db,
        values={"name": "李四", "category": "full", "education": "大学", "education_class": "junior_college"},
    )
    assert chosen.education_class == "junior_college"
    # an edit of the text carries a derived code along; a code chosen by hand stays
    m = members_db.update_member(db, uuid=m.uuid, changes={"education": "硕士"})
    assert m.education_class == "graduate"
    chosen = members_db.update_member(db, uuid=chosen.uuid, changes={"education": "高中"})
    assert chosen.education_class == "junior_college"
    flagged = members_db.update_member(
        db, uuid=m.uuid, changes={"front_line": True, "tech_title": "intermediate"}
    )
    assert flagged.front_line is True and flagged.tech_title == "intermediate"


def test_development_person_carries_the_codes_and_league_recommendation(db) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    person = development.add_person(
        db,
        values={"name": "周八", "education": "大专", "front_line": True, "league_recommended": True},
        applied_on=date(2025, 3, 1),
        today=date(2025, 6, 1),
    )
    assert person.education_class == "junior_college" and person.front_line is True
    assert person.league_recommended is True and person.post_code == ""
