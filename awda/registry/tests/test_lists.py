"""The list's filters, and its total: exact up to the cap, then said to be more."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from awda.core.api.pagination import CappedCountPaginator
from conftest import verified_api_client, verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(register: Any) -> list[Any]:
    return [
        register(),
        register(
            record={
                "given_name": "كريم",
                "sex": "male",
                "vulnerabilities": [],
                "date_of_birth": date(2010, 1, 1),
                "return_type": "forced",
                "country_returned_from_id": "TR",
            }
        ),
        register(record={"given_name": "سارة", "settlement": "rural", "date_of_birth": date(1950, 6, 1)}),
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"sex": "male"}, [1]),
        ({"return_type": "forced"}, [1]),
        ({"country": "TR"}, [1]),
        ({"settlement": "rural"}, [2]),
        ({"age_group": "0-17"}, [1]),
        ({"age_group": "60+"}, [2]),
        ({"age_group": "25-39"}, [0]),
        ({"category": "returned_child"}, [1]),
        ({"vulnerability": "older_person"}, [2]),
        ({"governorate": "IQG11"}, []),
        ({"status": "open"}, [0, 1, 2]),
    ],
)
def test_filters(three: list[Any], query: dict[str, str], expected: list[int]) -> None:
    client = verified_api_client(three[0].owner)
    found = {r["case_number"] for r in client.get("/api/v1/returnees/", query).json()["results"]}
    assert found == {three[i].case_number for i in expected}
    page = verified_client(three[0].owner).get("/returnees/", query)
    assert all(three[i].case_number in page.content.decode() for i in expected)


def test_totals_are_exact_up_to_the_cap(three: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    client = verified_api_client(three[0].owner)
    assert client.get("/api/v1/returnees/").json()["count_is_exact"] is True
    monkeypatch.setattr(CappedCountPaginator, "cap", 2)
    body = client.get("/api/v1/returnees/").json()
    assert (body["count"], body["count_is_exact"]) == (3, False)
    page = verified_client(three[0].owner).get("/returnees/")
    assert "More than 2 records: add a filter to narrow the list." in page.content.decode()
    assert "1 record" in verified_client(three[0].owner).get("/returnees/", {"sex": "male"}).content.decode()


def test_invalid_filters_are_a_clear_400(three: list[Any]) -> None:
    page = verified_client(three[0].owner).get(
        "/returnees/", {"age_group": "ancient", "governorate": "IQG99"}
    )
    assert page.status_code == 400
    assert "Select a valid choice" in page.content.decode()
