"""The registry's pages in Arabic, Kurdish and English: right-to-left where they should be, no English left."""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.portal.tests.untranslated import english_words
from awda.registry import actions
from conftest import verified_client

pytestmark = pytest.mark.django_db
# Standards, file formats, programme names and the case-number prefix (AWD-2026-…) are data, not interface text.
ALLOWED = {"English", "API", "ISCED", "ISCO", "HXL", "CSV", "Excel", "USD", "ERRIN", "E", "AWD", "JSON"}


def _check(html: str, language: str) -> None:
    direction = "ltr" if language == "en" else "rtl"
    assert f'<html lang="{language}" dir="{direction}">' in html
    if language != "en":
        assert english_words(html, ALLOWED) == []


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_case_worker_pages(language: str, register: Any, make_user: Any, world: Any) -> None:
    returnee = register()
    worker = returnee.owner
    worker.first_name, worker.last_name, worker.language = "علي", "كاظم", language
    worker.save()
    admin = make_user(
        Role.ADMINISTRATOR, "momd_baghdad", "admin", first_name="ليلى", last_name="حسن", language=language
    )
    draft = actions.form_draft(actor=admin, institution_id=world["momd"].pk)
    actions.form_question_save(
        actor=admin,
        form=draft,
        spec={
            "code": "camp",
            "type": "yes_no",
            "label_ar": "في مخيم؟",
            "label_ckb": "لە کەمپ؟",
            "label_en": "In a camp?",
        },
    )
    actions.form_publish(actor=admin, form=draft)
    client = verified_client(worker)
    start = client.post("/returnees/new/")
    draft_uuid = start["Location"].split("/")[3]
    pages = [
        "/returnees/",
        "/returnees/?q=زينب",
        "/returnees/?sex=female&age_group=25-39",
        f"/returnees/{returnee.uuid}/",
        f"/returnees/{returnee.uuid}/extra/",
    ]
    pages += [
        f"/returnees/{returnee.uuid}/edit/{section}/"
        for section in ("identity", "return", "situation", "needs")
    ]
    pages += [
        f"/returnees/intake/{draft_uuid}/{step}/"
        for step in ("identity", "return", "situation", "household", "needs")
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        _check(response.content.decode(), language)
    bad = client.post(
        f"/returnees/intake/{draft_uuid}/identity/",
        {"id-given_name": "Zainab", "doc-TOTAL_FORMS": "0", "doc-INITIAL_FORMS": "0"},
    )
    assert bad.status_code == 400
    _check(bad.content.decode(), language)
    admin_client = verified_client(admin)
    for url in (
        "/manage/categories/",
        "/manage/categories/highly_skilled/",
        "/manage/questions/",
        "/manage/questions/momd/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        _check(response.content.decode(), language)
