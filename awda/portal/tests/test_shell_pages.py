"""Every page of the shell renders in Arabic, Kurdish and English, right-to-left where it should,
with no interface text left in English on an Arabic or Kurdish page; errors show no internals."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.progress import enqueue_with_progress
from awda.core.tasks import audit_verify_task
from awda.portal.tests.untranslated import english_words
from conftest import verified_client

LANGUAGES = [("ar", "rtl"), ("ckb", "rtl"), ("en", "ltr")]
# Words that are data or names of standards, not interface text.
# "English" is the name of that language in the language menu, written as its speakers write it.
ALLOWED = {"TOTP", "QR", "FreeOTP", "Aegis", "API", "IP", "ISO", "English"}

PUBLIC_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/sent/",
    "/accounts/password/reset/complete/",
    "/accounts/password/reset/MQ/bad-token/",
    "/no-such-page/",
]
STAFF_PAGES = ["/home/", "/accounts/profile/", "/accounts/password/change/", "/accounts/2fa/"]
ADMIN_PAGES = [
    "/manage/users/",
    "/manage/users/new/",
    "/manage/institutions/",
    "/manage/institutions/new/",
    "/manage/audit/",
    "/manage/audit/?action=read&date_from=2026-01-02&date_to=2026-01-01",
]


def _check(response: Any, language: str, direction: str) -> None:
    html = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in html
    if language != "en":
        assert english_words(html, ALLOWED) == []


def _arabic_named(make_user: Any, role: str, username: str) -> User:
    return make_user(role, "momd_baghdad", username, first_name="علي", last_name="كاظم")


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_public_pages(language: str, direction: str, world: Any) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    for url in PUBLIC_PAGES:
        response = client.get(url, follow=True)
        assert response.status_code in (200, 404), url
        _check(response, language, direction)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
@pytest.mark.parametrize("role", list(Role.values))
def test_home_and_account_pages_of_every_role(
    language: str, direction: str, role: str, make_user: Any
) -> None:
    user = _arabic_named(make_user, role, f"u.{role}")
    user.language = language
    user.save()
    client = verified_client(user)
    for url in STAFF_PAGES:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        _check(response, language, direction)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_management_pages(language: str, direction: str, make_user: Any, world: Any) -> None:
    admin = _arabic_named(make_user, Role.ADMINISTRATOR, "boss")
    admin.language = language
    admin.save()
    other = _arabic_named(make_user, Role.CASE_WORKER, "worker")
    client = verified_client(admin)
    task_id = enqueue_with_progress(audit_verify_task, kind="audit_verify", owner_id=admin.pk)
    pages = [
        *ADMIN_PAGES,
        f"/manage/users/{other.uuid}/",
        f"/manage/institutions/{world['momd'].uuid}/",
        f"/manage/institutions/{world['momd'].uuid}/offices/new/",
        f"/manage/offices/{world['momd_baghdad'].uuid}/",
        f"/tasks/{task_id}/",
        f"/tasks/{task_id}/progress/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        if url.startswith("/tasks/") and url.endswith("progress/"):
            assert "<progress" in response.content.decode()
            continue
        _check(response, language, direction)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_forms_with_errors(language: str, direction: str, make_user: Any, world: Any) -> None:
    admin = _arabic_named(make_user, Role.ADMINISTRATOR, "boss")
    admin.language = language
    admin.save()
    client = verified_client(admin)
    before = User.objects.count()
    response = client.post(
        "/manage/users/new/",
        {"username": "bad name!", "password": "1", "role": "case_worker", "scope": "office_area"},
    )
    assert response.status_code == 400
    assert User.objects.count() == before
    _check(response, language, direction)
    login = Client(HTTP_ACCEPT_LANGUAGE=language).post(
        "/accounts/login/", {"username": "nobody", "password": "x"}
    )
    _check(login, language, direction)


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "direction"), LANGUAGES)
def test_error_pages_show_no_internals(language: str, direction: str, settings: Any, make_user: Any) -> None:
    settings.ROOT_URLCONF = "awda.portal.tests.urls_crash"
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    crashed = client.get("/crash/")
    assert crashed.status_code == 500
    assert "secret internals" not in crashed.content.decode()
    assert "Traceback" not in crashed.content.decode()
    _check(crashed, language, direction)
    api = client.get("/api/v1/crash/")
    assert api.status_code == 500
    assert api.json()["error"]["code"] == "server_error"
    csrf_client = Client(HTTP_ACCEPT_LANGUAGE=language, enforce_csrf_checks=True)
    forged = csrf_client.post(
        "/accounts/login/", {"username": "a", "password": "b", "csrfmiddlewaretoken": "forged"}
    )
    assert forged.status_code == 403
    _check(forged, language, direction)
    user = make_user(
        Role.CASE_WORKER, "momd_baghdad", "plain", first_name="علي", last_name="كاظم", language=language
    )
    missing = verified_client(user).get("/manage/users/")
    assert missing.status_code == 404
    _check(missing, language, direction)
