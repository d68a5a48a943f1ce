"""Finding a person again: misspelt or transliterated names, either script, case number, phone, document."""

from __future__ import annotations

from typing import Any

import pytest

from awda.registry.queries import search_returnees
from conftest import verified_api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(register: Any) -> dict[str, Any]:
    zainab = register()
    sister = register(
        record={"given_name": "مريم", "given_name_latin": "Maryam", "date_of_birth": None},
        phones=["07801112233"],
        documents=[],
        household_members=[],
    )
    kurd = register(
        record={
            "given_name": "ڕێبوار",
            "father_name": "کاروان",
            "grandfather_name": "ئازاد",
            "family_name": "تاڵەبانی",
            "given_name_latin": "Rebwar",
            "father_name_latin": "",
            "family_name_latin": "Talabani",
            "sex": "male",
            "mother_name": "شیلان",
            "vulnerabilities": [],
        },
        phones=["+964 750 999 8877"],
        documents=[],
        household_members=[],
    )
    return {"zainab": zainab, "sister": sister, "kurd": kurd}


@pytest.mark.parametrize(
    ("query", "who"),
    [
        ("زينب حسين علي", "zainab"),
        ("زینب حسین", "zainab"),  # Persian/Kurdish keyboard ya
        ("زَيْنَب حُسَيْن", "zainab"),  # with diacritics
        ("Zainab Hussein", "zainab"),
        ("Zeinab Husain Al-Jubouri", "zainab"),
        ("zaynab husayn", "zainab"),
        ("ريبوار كاروان", "kurd"),  # Kurdish name typed on an Arabic keyboard
        ("Ribwar Karwan", "kurd"),
        ("Rebwar Talabani", "kurd"),
    ],
)
def test_names_in_any_script_and_spelling(people: dict[str, Any], query: str, who: str) -> None:
    viewer = people["zainab"].owner
    hits = search_returnees(viewer, query)
    assert hits, query
    assert hits[0].returnee.pk == people[who].pk


def test_siblings_rank_by_the_given_name(people: dict[str, Any]) -> None:
    hits = search_returnees(people["zainab"].owner, "مريم حسين علي")
    assert hits[0].returnee.pk == people["sister"].pk
    assert people["zainab"].pk not in [h.returnee.pk for h in hits[:1]]


@pytest.mark.parametrize("query", ["07701234567", "+964 770 123 4567", "00964-770-123-4567", "٠٧٧٠١٢٣٤٥٦٧"])
def test_phone_in_any_format(people: dict[str, Any], query: str) -> None:
    hits = search_returnees(people["zainab"].owner, query)
    assert [h.returnee.pk for h in hits] == [people["zainab"].pk]


def test_case_number_and_document_number(people: dict[str, Any]) -> None:
    viewer = people["zainab"].owner
    assert [h.returnee.pk for h in search_returnees(viewer, people["kurd"].case_number.lower())] == [
        people["kurd"].pk
    ]
    assert [h.returnee.pk for h in search_returnees(viewer, "1998 7766 5544")] == [people["zainab"].pk]


def test_search_stays_within_scope(people: dict[str, Any], make_user: Any) -> None:
    from awda.accounts.enums import Role

    erbil = make_user(Role.CASE_WORKER, "momd_erbil", "erbil.cw")
    assert search_returnees(erbil, "Zainab Hussein") == []
    assert search_returnees(erbil, "07701234567") == []


def test_api_search(people: dict[str, Any]) -> None:
    response = verified_api_client(people["zainab"].owner).get("/api/v1/returnees/", {"q": "Zeinab Husain"})
    results = response.json()["results"]
    assert results[0]["case_number"] == people["zainab"].case_number
    assert results[0]["score"] > 50
