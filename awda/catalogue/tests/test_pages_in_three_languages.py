"""The catalogue's staff pages in Arabic, Kurdish and English: right-to-left where they should be, no English left."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.accounts.enums import Role
from awda.catalogue import actions, rules
from awda.catalogue.models import Service
from awda.catalogue.tests.conftest import service_document
from awda.portal.tests.untranslated import english_words
from awda.registry.models import Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db
# File formats and standards are names, not interface text.
ALLOWED = {"CSV", "XLSX", "HXL", "Excel", "English", "API", "ISCO", "ISCED", "USD", "E"}
# Data on the case page: the programme of the demo registration and the case-number prefix.
ALLOWED |= {"ERRIN", "AWD"}
# What the bad file said, quoted back in the messages.
ALLOWED |= {"nope", "Atlantis"}


def _check(html: str, language: str, url: str) -> None:
    direction = "ltr" if language == "en" else "rtl"
    assert f'<html lang="{language}" dir="{direction}">' in html, url
    if language != "en":
        assert english_words(html, ALLOWED) == [], url


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_staff_pages(
    language: str,
    make_user: Callable[..., Any],
    publish: Callable[..., Service],
    register: Callable[..., Returnee],
) -> None:
    names = {"first_name": "سارا", "last_name": "أحمد", "language": language}
    admin = make_user(Role.ADMINISTRATOR, "momd_baghdad", "pages.admin", **names)
    provider = make_user(Role.SERVICE_PROVIDER, "molsa_baghdad", "pages.provider", **names)
    supervisor = make_user(Role.SUPERVISOR, "momd_baghdad", "pages.supervisor", **names)
    service = publish()
    change = actions.service_propose(
        actor=provider,
        document=service_document(max_age=60, governorates=["IQG11"], sexes=["female"], cost="subsidised"),
        service=service,
    )
    returnee = register(needs=[{"category": "documentation", "priority": "high", "is_interest": False}])
    returnee.owner.first_name, returnee.owner.last_name, returnee.owner.language = "علي", "كاظم", language
    returnee.owner.save()

    pages: list[tuple[Any, str]] = [
        (provider, "/catalogue/"),
        (provider, "/catalogue/services/new/"),
        (provider, f"/catalogue/services/{service.uuid}/edit/"),
        (provider, f"/catalogue/services/{service.uuid}/"),
        (provider, f"/catalogue/changes/{change.uuid}/"),
        (admin, "/catalogue/"),
        (admin, f"/catalogue/changes/{change.uuid}/"),
        (admin, "/catalogue/import/"),
        (supervisor, "/catalogue/mapping/?category=documentation"),
        (admin, "/catalogue/organisations/"),
        (admin, "/catalogue/taxonomy/"),
        (admin, "/catalogue/taxonomy/documentation/"),
        (admin, "/catalogue/organisations/new/"),
        (provider, f"/catalogue/organisations/{service.organisation.uuid}/"),
        (provider, f"/catalogue/organisations/{service.organisation.uuid}/programmes/new/"),
        (returnee.owner, f"/returnees/{returnee.uuid}/"),
    ]
    for user, url in pages:
        response = verified_client(user).get(url)
        assert response.status_code == 200, url
        _check(response.content.decode(), language, url)

    # Refusals are said in the reader's language too
    bad = verified_client(provider).post(
        "/catalogue/services/new/", {"code": "Not A Code", "min_age": "40", "max_age": "30"}
    )
    assert bad.status_code == 400
    _check(bad.content.decode(), language, "bad form")
    header = ",".join(rules.FIELDS)
    values = {"code": "x-y", "category": "nope", "governorates": "Atlantis"}
    row = ",".join(values.get(name, "") for name in rules.FIELDS)
    problems = verified_client(admin).post(
        "/catalogue/import/", {"file": SimpleUploadedFile("c.csv", f"{header}\n{row}\n".encode())}
    )
    assert problems.status_code == 400
    _check(problems.content.decode(), language, "bad import")
    actions.service_change_approve(actor=admin, change=change)
    history = verified_client(provider).get(f"/catalogue/services/{service.uuid}/")
    _check(history.content.decode(), language, "history")
