"""The public catalogue without signing in: search, filters, nearest first, three languages, the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from awda.catalogue.models import Service
from awda.portal.tests.untranslated import english_words

pytestmark = pytest.mark.django_db
ALLOWED = {"CSV", "Excel", "English"}


def _client(language: str) -> Client:
    client = Client()
    client.cookies["awda_language"] = language
    return client


@pytest.fixture
def services(publish: Callable[..., Service]) -> dict[str, Service]:
    """Documentation help in Karkh (district), for all Baghdad, for all Iraq, by phone; a psychosocial service."""
    return {
        "karkh": publish(),
        "baghdad": publish(code="molsa-docs-baghdad", districts=[], governorates=["IQG08"], languages=["ar"]),
        "iraq": publish(code="molsa-docs-iraq", districts=[], nationwide=True, languages=["ar", "en"]),
        "phone": publish(
            code="molsa-docs-hotline",
            districts=[],
            remote=True,
            category="referral_information",
            languages=["ckb"],
        ),
        "erbil": publish(
            code="molsa-pss-erbil",
            districts=["IQG11Q02"],
            category="psychosocial_counselling",
            name_ckb="ڕاوێژی دەروونی لە هەولێر",
            name_en="Psychosocial counselling in Erbil",
            name_ar="إرشاد نفسي في أربيل",
            languages=["ckb"],
        ),
    }


def _codes(response: Any) -> list[str]:
    return [item["code"] for item in response.json()["results"]]


def test_search_by_place_puts_the_nearest_first(services: dict[str, Service]) -> None:
    api = Client()
    # Karkh (IQG08Q06): its own service, then Baghdad's, then the whole country's, then by phone
    assert _codes(api.get("/api/v1/services/?district=IQG08Q06")) == [
        "molsa-docs-karkh",
        "molsa-docs-baghdad",
        "molsa-docs-iraq",
        "molsa-docs-hotline",
    ]
    # Another district of Baghdad does not get Karkh's service
    assert _codes(api.get("/api/v1/services/?district=IQG08Q01")) == [
        "molsa-docs-baghdad",
        "molsa-docs-iraq",
        "molsa-docs-hotline",
    ]
    # Erbil: its district's counselling first (as near as it gets when only the governorate is chosen)
    assert _codes(api.get("/api/v1/services/?governorate=IQG11")) == [
        "molsa-pss-erbil",
        "molsa-docs-iraq",
        "molsa-docs-hotline",
    ]


def test_filters_by_category_language_and_words_in_any_script(services: dict[str, Service]) -> None:
    api = Client()
    assert _codes(api.get("/api/v1/services/?category=documentation&district=IQG08Q01")) == [
        "molsa-docs-baghdad",
        "molsa-docs-iraq",
    ]
    assert _codes(api.get("/api/v1/services/?category=psychosocial")) == ["molsa-pss-erbil"]
    assert sorted(_codes(api.get("/api/v1/services/?language=ckb"))) == [
        "molsa-docs-hotline",
        "molsa-docs-karkh",
        "molsa-pss-erbil",
    ]
    # Kurdish words, with Kurdish letters, find the Kurdish name; Arabic finds across hamza spellings
    assert _codes(api.get("/api/v1/services/?q=دەروونی")) == ["molsa-pss-erbil"]
    assert _codes(api.get("/api/v1/services/?q=ارشاد نفسي")) == ["molsa-pss-erbil"]
    assert _codes(api.get("/api/v1/services/?q=psychosocial ERBIL")) == ["molsa-pss-erbil"]
    # The name of the place is searchable too
    assert "molsa-pss-erbil" in _codes(api.get("/api/v1/services/?q=هەولێر"))


def test_bad_filters_get_field_errors_from_the_api_and_are_ignored_by_the_page(
    services: dict[str, Service],
) -> None:
    api = Client()
    response = api.get("/api/v1/services/?district=IQG99Q99&language=xx&governorate=IQG11")
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"district", "language"}
    mismatch = api.get("/api/v1/services/?governorate=IQG11&district=IQG08Q06")
    assert mismatch.status_code == 400
    assert set(mismatch.json()["error"]["fields"]) == {"district"}
    page = _client("en").get("/services/?district=IQG99Q99&language=xx&category=nope")
    assert page.status_code == 200
    assert "5 services found" in page.content.decode()


def test_services_not_running_are_not_public(
    services: dict[str, Service], publish: Callable[..., Service]
) -> None:
    today = date.today()
    ended = publish(code="ended", ends_on=(today - timedelta(days=1)).isoformat())
    future = publish(code="future", starts_on=(today + timedelta(days=30)).isoformat())
    api = Client()
    codes = _codes(api.get("/api/v1/services/"))
    assert "ended" not in codes and "future" not in codes
    assert api.get(f"/api/v1/services/{ended.uuid}/").status_code == 404
    assert _client("ar").get(f"/services/{future.uuid}/").status_code == 404


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_public_pages_in_three_languages(language: str, services: dict[str, Service]) -> None:
    client = _client(language)
    service = services["karkh"]
    pages = [
        "/services/",
        "/services/?category=documentation&governorate=IQG08&district=IQG08Q06&language=ar&q=البطاقة",
        "/services/?q=nothing-matches-this",
        f"/services/{service.uuid}/",
        f"/services/providers/{service.organisation.uuid}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        direction = "ltr" if language == "en" else "rtl"
        assert f'<html lang="{language}" dir="{direction}">' in html
        if language != "en":
            assert english_words(html, ALLOWED) == [], url
    detail = client.get(f"/services/{service.uuid}/").content.decode()
    assert service.phone in detail
    name = {"ar": service.name_ar, "ckb": service.name_ckb, "en": service.name_en}[language]
    assert name in detail
    # The age criterion is said in the reader's language
    said = {"ar": "18", "ckb": "18", "en": "Aged 18 or over"}[language]
    assert said in detail


def test_a_returnee_on_a_phone_finds_documentation_near_them_in_kurdish(services: dict[str, Service]) -> None:
    client = _client("ckb")
    response = client.get("/services/?category=documentation&governorate=IQG08&district=IQG08Q06")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    # The nearest service is listed first, in Kurdish, with its phone as a link to call
    first_card = html.split('class="card service-card"')[1]
    assert services["karkh"].name_ckb in first_card
    assert 'href="tel:+9647701234567"' in first_card
    assert services["erbil"].name_ckb not in html


def test_export_has_hxl_row_and_follows_the_filters(services: dict[str, Service]) -> None:
    response = Client().get("/services/export.csv?category=psychosocial")
    text = b"".join(response.streaming_content).decode("utf-8")  # type: ignore[attr-defined]
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("code,organisation,programme,category,name_ar")
    assert lines[1].startswith("#service+code,#org+code,#activity+programme+code,#sector+code")
    assert len(lines) == 3
    assert lines[2].startswith("molsa-pss-erbil,molsa,,psychosocial_counselling,")
