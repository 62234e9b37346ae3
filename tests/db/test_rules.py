"""The pure rules of db.rules: citizen IDs (GB 11643), phones, masks, date arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from db import rules
from db.rules import CitizenIdError, parse_citizen_id

TODAY = date(2025, 6, 30)


def test_check_char_of_published_examples() -> None:
    # The example numbers used in GB 11643 texts: one ends in X, one in a digit.
    assert rules.citizen_id_check_char("11010519491231002") == "X"
    assert rules.citizen_id_check_char("44052418800101001") == "4"


def test_check_char_rejects_wrong_length() -> None:
    with pytest.raises(ValueError):
        rules.citizen_id_check_char("1234")


@pytest.mark.parametrize("first17", ["14040219850315401", "15060219900101123", "61080219751130777"])
def test_every_check_char_round_trips(first17: str) -> None:
    number = first17 + rules.citizen_id_check_char(first17)
    assert parse_citizen_id(number, today=TODAY).number == number
    # Any other final character is refused, with the expected one named.
    for wrong in "0123456789X":
        if wrong != number[-1]:
            with pytest.raises(CitizenIdError, match=number[-1]):
                parse_citizen_id(first17 + wrong, today=TODAY)


def test_x_check_digit_lower_case_and_full_width_accepted() -> None:
    parsed = parse_citizen_id("11010519491231002x", today=TODAY)
    assert parsed.number == "11010519491231002X"
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.gender == "female"  # 17th digit 2 is even
    assert (
        parse_citizen_id("１１０１０５１９４９１２３１００２Ｘ", today=TODAY).number == "11010519491231002X"
    )


def test_real_format_example_gives_birth_date_and_gender() -> None:
    number = rules.make_citizen_id("140402", date(1985, 3, 15), 401)
    assert len(number) == 18 and number.startswith("14040219850315401")
    parsed = parse_citizen_id(number, today=TODAY)
    assert (parsed.birth_date, parsed.gender, parsed.legacy) == (date(1985, 3, 15), "male", False)


@pytest.mark.parametrize(
    "sequence,gender", [(1, "male"), (3, "male"), (9, "male"), (2, "female"), (10, "female")]
)
def test_gender_parity_of_17th_digit(sequence: int, gender: str) -> None:
    number = rules.make_citizen_id("110105", date(1990, 1, 1), sequence)
    assert parse_citizen_id(number, today=TODAY).gender == gender


def test_legacy_15_digit_number_is_parsed_with_flag() -> None:
    parsed = parse_citizen_id("140402850315401", today=TODAY)
    assert parsed.legacy is True
    assert parsed.birth_date == date(1985, 3, 15)
    assert parsed.gender == "male"


@pytest.mark.parametrize(
    "first17,reason",
    [
        ("14040219850230401", "出生日期无效"),  # 30 February
        ("14040219851301401", "出生日期无效"),  # month 13
        ("14040218800101401", "不合理"),  # before 1900
        ("14040220300101401", "不合理"),  # in the future
    ],
)
def test_bad_birth_dates_refused(first17: str, reason: str) -> None:
    with pytest.raises(CitizenIdError, match=reason):
        parse_citizen_id(first17 + rules.citizen_id_check_char(first17), today=TODAY)


@pytest.mark.parametrize(
    "value", ["", "1404021985031540", "1404021985031540123", "14040219850315401A", "A40402198503154014"]
)
def test_wrong_length_or_characters_refused(value: str) -> None:
    with pytest.raises(CitizenIdError):
        parse_citizen_id(value, today=TODAY)


def test_masks() -> None:
    assert rules.mask_citizen_id("11010519491231002X") == "110105********002X"
    assert rules.mask_citizen_id("") == "" and rules.mask_citizen_id(None) == ""
    assert rules.mask_citizen_id("12345") == "*****"
    assert rules.mask_phone("13812345678") == "138****5678"
    assert rules.mask_phone("88812345") == "****2345"
    assert rules.mask_phone("110") == "110"
    assert rules.mask_phone(None) == ""


@pytest.mark.parametrize(
    "value,ok",
    [
        ("13812345678", True),
        ("138 1234 5678", True),
        ("138-1234-5678", True),
        ("1381234567", False),
        ("138123456789", False),
        ("23812345678", False),
        ("1381234567a", False),
        ("", False),
    ],
)
def test_mobile_rule(value: str, ok: bool) -> None:
    assert rules.is_valid_mobile(value) is ok


def test_normalize_mobile_strips_country_code() -> None:
    assert rules.normalize_mobile("+86 138-1234-5678") == "13812345678"
    assert rules.normalize_mobile("8613812345678") == "13812345678"


def test_age_and_date_arithmetic() -> None:
    assert rules.age_on(date(2000, 7, 1), date(2018, 6, 30)) == 17
    assert rules.age_on(date(2000, 7, 1), date(2018, 7, 1)) == 18
    assert rules.add_years(date(2000, 2, 29), 1) == date(2001, 2, 28)
    assert rules.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert rules.add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)
    assert rules.parse_date("2025-06-30") == date(2025, 6, 30)
    assert rules.parse_date("") is None
