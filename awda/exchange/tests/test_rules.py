"""The pure checks of an imported row: dates, sex, places, phones, required fields and suggested mappings."""

from __future__ import annotations

from datetime import date

import pytest

from awda.exchange import rules

TODAY = date(2026, 11, 27)
MAPPING = {
    "record_id": "id",
    "full_name": "name",
    "date_of_birth": "dob",
    "sex": "sex",
    "governorate": "gov",
    "phone": "tel",
    "national_id": "nid",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1990-07-01", date(1990, 7, 1)),
        ("01/07/1990", date(1990, 7, 1)),
        ("1-7-1990", date(1990, 7, 1)),
        ("1990/7/1", date(1990, 7, 1)),
        ("١٩٩٠-٠٧-٠١", date(1990, 7, 1)),
        ("1990-07-01T00:00:00", date(1990, 7, 1)),
        ("1990", "year"),
        ("31/02/1990", None),
        ("13/13/1990", None),
        ("yesterday", None),
        ("90", None),
    ],
)
def test_dates_in_the_forms_registers_write(text: str, expected: object) -> None:
    assert rules.parse_date(text) == expected


def test_a_complete_row_is_normalised() -> None:
    row = {
        "id": "٤٢",
        "name": "  زينب   حسين ",
        "dob": "14/03/1990",
        "sex": "أنثى",
        "gov": "Sulaimaniya",
        "tel": "0770-123-4567",
        "nid": "1998 7766-5544",
    }

    checked = rules.check_row(row, MAPPING, today=TODAY)

    assert checked.problems == []
    assert checked.values == {
        "record_id": "42",
        "full_name": "زينب حسين",
        "date_of_birth": "1990-03-14",
        "sex": "female",
        "governorate": "IQG06",
        "phone": "+9647701234567",
        "national_id": "199877665544",
    }


def test_every_problem_of_a_row_is_named_with_its_column() -> None:
    row = {"id": "", "name": "", "dob": "2030-01-01", "sex": "?", "gov": "Paris", "tel": "12", "nid": "=1+1"}

    checked = rules.check_row(row, MAPPING, today=TODAY)

    assert sorted(checked.problems) == [
        ("dob", "future_date", "2030-01-01"),
        ("gov", "bad_governorate", "Paris"),
        ("id", "missing_id", ""),
        ("name", "missing_name", ""),
        ("nid", "formula", "=1+1"),
        ("sex", "bad_sex", "?"),
        ("tel", "bad_phone", "12"),
    ]
    assert checked.values == {}


def test_a_given_name_is_enough_and_an_unmapped_column_is_ignored() -> None:
    checked = rules.check_row(
        {"id": "7", "first": "Ali", "extra": "x"}, {"record_id": "id", "given_name": "first"}, today=TODAY
    )
    assert (checked.ok, checked.values) == (True, {"record_id": "7", "given_name": "Ali"})


def test_a_value_too_long_is_a_problem_not_a_truncation() -> None:
    checked = rules.check_row(
        {"id": "7", "name": "x" * 201}, {"record_id": "id", "full_name": "name"}, today=TODAY
    )
    assert checked.problems == [("name", "too_long", "x" * 200)]
    assert checked.values == {"record_id": "7"}


def test_the_usual_column_names_are_suggested_in_any_language() -> None:
    headers = ["الرقم", "الاسم الرباعي", "تاريخ الميلاد", "Gender", "#adm1+code", "Mobile", "something else"]
    assert rules.suggest_mapping(headers, rules.USUAL_HEADERS) == {
        "record_id": "الرقم",
        "full_name": "الاسم الرباعي",
        "date_of_birth": "تاريخ الميلاد",
        "sex": "Gender",
        "governorate": "#adm1+code",
        "phone": "Mobile",
    }
    # Iraqi registers' own headings: birth dates as المواليد, hamza written or not.
    headers = ["ت", "الاسم الثلاثي", "المواليد", "اسم الام", "رقم البطاقة الموحدة", "ساڵی لەدایکبوون"]
    assert rules.suggest_mapping(headers, rules.USUAL_HEADERS) == {
        "full_name": "الاسم الثلاثي",
        "date_of_birth": "المواليد",
        "mother_name": "اسم الام",
        "national_id": "رقم البطاقة الموحدة",
    }
    assert rules.suggest_mapping(["اسم الأم", "تاريخ الميلاد"], {"mother_name": ("اسم الام",)}) == {
        "mother_name": "اسم الأم"
    }
