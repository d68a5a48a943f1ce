"""Edges found in review: formulas in exports, absurd page numbers, withdrawn providers, bad bundles, the load."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from awda.accounts.models import User
from awda.catalogue import actions, spreadsheets
from awda.catalogue.models import Organisation, Service, ServiceVersion
from awda.catalogue.queries import eligibility_for
from awda.catalogue.rules import Person
from awda.catalogue.tests.conftest import service_document
from awda.core.errors import AwdaError

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=1+HYPERLINK("http://evil","x")', '\'=1+HYPERLINK("http://evil","x")'),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("\t=1+1", "'\t=1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+9647701234567", "+9647701234567"),
        ("-3", "-3"),
        ("نص عادي", "نص عادي"),
    ],
)
def test_exports_never_write_a_formula_and_imports_read_the_text_back(text: str, written: str) -> None:
    assert spreadsheets._neutralised(text) == written
    assert spreadsheets._unneutralised(written) == text
    # An apostrophe that was typed, not added, stays
    assert spreadsheets._unneutralised("'quoted'") == "'quoted'"


def test_absurd_page_numbers_give_the_last_page(publish: Callable[..., Service]) -> None:
    publish()
    for page in ("99999999999999999999", "0", "-4", "x"):
        response = Client().get(f"/services/?page={page}")
        assert response.status_code == 200, page
        assert (
            "molsa-docs-karkh" in response.content.decode()
            or "Help with the national card" in response.content.decode()
        )
    assert Client().get("/api/v1/services/?page=99999999999999999999").status_code == 404


def test_a_withdrawn_provider_takes_its_services_off_the_catalogue(
    publish: Callable[..., Service], world: dict[str, Any]
) -> None:
    service = publish()
    person = Person(age=30, governorate="IQG08", district="IQG08Q06")
    assert [v.key for v in eligibility_for(person).eligible] == [str(service.uuid)]
    molsa = Organisation.objects.get(code="molsa")
    molsa.is_active = False
    molsa.save()
    api = Client()
    assert api.get("/api/v1/services/").json()["results"] == []
    assert api.get(f"/services/{service.uuid}/").status_code == 404
    verdict = eligibility_for(person).verdict(str(service.uuid))
    assert (verdict.eligible, verdict.available, verdict.problems[0].code) == (True, False, "withdrawn")


def test_a_bad_bundle_loads_nothing(people: dict[str, User]) -> None:
    before = (Organisation.objects.count(), Service.objects.count())
    bundles: list[dict[str, Any]] = [
        {"organisations": [{"code": "x", "name": {"ar": "x", "ckb": "x", "en": "x"}}]},  # no type
        {
            "organisations": [
                {
                    "code": "x",
                    "type": "ngo",
                    "name": {"ar": "س", "ckb": "س", "en": "X"},
                    "offices": [{"name": {"ar": "س", "ckb": "س", "en": "X"}, "governorate": "IQG99"}],
                }
            ]
        },
        {"programmes": [{"code": "p", "organisation": "nobody", "name": {"ar": "س", "ckb": "س", "en": "P"}}]},
    ]
    for bundle in bundles:
        with pytest.raises(AwdaError) as refused:
            actions.catalogue_bundle_load(actor=people["admin"], bundle=bundle, note="test")
        assert "nothing was loaded" in str(refused.value.message)
    assert (Organisation.objects.count(), Service.objects.count()) == before


def test_an_approved_change_keeps_the_places_taken_and_the_history_says_so(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    service = publish()
    change = actions.service_propose(
        actor=people["provider"], document=service_document(max_age=60), service=service
    )
    actions.service_set_load(actor=people["provider"], service=service, load=7)
    actions.service_change_approve(actor=people["admin"], change=change)
    service.refresh_from_db()
    assert (service.current_load, service.criteria["max_age"]) == (7, 60)
    assert ServiceVersion.objects.get(service=service, number=2).document["current_load"] == 7
