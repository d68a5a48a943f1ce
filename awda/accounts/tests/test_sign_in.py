"""Signing in: lock-out, two-factor authentication, passwords, idle sessions, remembered language."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.models import AuditEntry
from conftest import PASSWORD


def _sign_in(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.mark.django_db
def test_correct_password_signs_in_and_is_audited(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    response = _sign_in(client, user.username, PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/home/")
    assert list(AuditEntry.objects.values_list("action", "actor_username")) == [("login", user.username)]


@pytest.mark.django_db
def test_wrong_password_is_refused_with_a_clear_message(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    response = _sign_in(Client(), user.username, "wrong")
    assert response.status_code == 200
    assert "The user name or password is not correct. Both are case-sensitive." in response.content.decode()
    assert list(AuditEntry.objects.values_list("action", "object_id")) == [("login_failed", str(user.uuid))]


@pytest.mark.django_db
def test_account_locks_after_repeated_failures_even_with_the_right_password(
    make_user: Any, settings: Any
) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _sign_in(client, user.username, "wrong").status_code == 200
    locked = _sign_in(client, user.username, "wrong")
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    # From another browser and with the right password: still locked.
    again = _sign_in(Client(REMOTE_ADDR="192.0.2.9"), user.username, PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in Client().session
    assert AuditEntry.objects.filter(action="locked_out", object_id=str(user.uuid)).exists()
    assert not AuditEntry.objects.filter(action="login").exists()


@pytest.mark.django_db
def test_lockout_of_one_account_leaves_others_alone(make_user: Any, settings: Any) -> None:
    victim, colleague = (
        make_user(Role.CASE_WORKER, username="victim"),
        make_user(Role.CASE_WORKER, username="colleague"),
    )
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, victim.username, "wrong")
    assert _sign_in(Client(), colleague.username, PASSWORD).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.DATA_STEWARD])
def test_two_factor_is_required_for_administrators_and_data_stewards(role: str, make_user: Any) -> None:
    user = make_user(role)
    client = Client()
    assert _sign_in(client, user.username, PASSWORD)["Location"] == "/home/"
    # Every page and the API wait for the second factor.
    home = client.get("/home/")
    assert (home.status_code, home["Location"]) == (302, "/accounts/2fa/?next=%2Fhome%2F")
    api = client.get("/api/v1/me/")
    assert (api.status_code, api.json()["error"]["code"]) == (403, "two_factor_required")
    # Enrolment: the page shows a QR code and the key; a wrong code is refused.
    enrol = client.get("/accounts/2fa/")
    assert enrol.status_code == 200 and "<svg" in enrol.content.decode()
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed is False
    wrong = client.post("/accounts/2fa/", {"token": "000000" if _code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    assert client.get("/manage/audit/").status_code == 302
    # Right after a wrong code, even the right one waits (django-otp's throttling).
    device.refresh_from_db()
    throttled = client.post("/accounts/2fa/", {"token": _code(device)})
    assert "Too many wrong codes" in throttled.content.decode()
    # The right code, once the wait is over, confirms the device and opens the platform.
    device.throttle_reset()
    done = client.post("/accounts/2fa/", {"token": _code(device), "next": "/home/"})
    assert (done.status_code, done["Location"]) == (302, "/home/")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/home/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_enrolled_user_must_give_a_code_at_every_sign_in(make_user: Any) -> None:
    user = make_user(Role.ADMINISTRATOR)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    _sign_in(client, user.username, PASSWORD)
    page = client.get("/accounts/2fa/")
    assert "<svg" not in page.content.decode()  # no new enrolment, just the code
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.post("/accounts/2fa/", {"token": "12345"}).status_code == 400  # too short: not even tried
    assert client.post("/accounts/2fa/", {"token": _code(device)})["Location"] == "/home/"


@pytest.mark.django_db
def test_case_workers_may_turn_two_factor_on(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    _sign_in(client, user.username, PASSWORD)
    assert client.get("/home/").status_code == 200  # not required for this role
    client.get("/accounts/2fa/")
    device = TOTPDevice.objects.get(user=user)
    client.post("/accounts/2fa/", {"token": _code(device)})
    client.post("/accounts/logout/")
    _sign_in(client, user.username, PASSWORD)
    assert client.get("/home/")["Location"].startswith("/accounts/2fa/")


@pytest.mark.django_db
def test_idle_session_expires(make_user: Any, settings: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    _sign_in(client, user.username, PASSWORD)
    assert client.get("/home/").status_code == 200
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    # Each request pushes the expiry forward by the idle time...
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert (
        timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
        < remaining
        <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    # ...and once the idle time has passed, the next request must sign in again.
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/home/")
    assert (response.status_code, response["Location"]) == (302, "/accounts/login/?next=/home/")


@pytest.mark.django_db
def test_password_change(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    _sign_in(client, user.username, PASSWORD)
    weak = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    ok = client.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    assert ok["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


@pytest.mark.django_db
def test_password_reset_by_email(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER, email="ali@example.org")
    client = Client()
    assert (
        client.post("/accounts/password/reset/", {"email": "ali@example.org"})["Location"]
        == "/accounts/password/reset/sent/"
    )
    assert (
        client.post("/accounts/password/reset/", {"email": "nobody@example.org"})["Location"]
        == "/accounts/password/reset/sent/"
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ali@example.org"]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", str(mail.outbox[0].body)).group(1)  # type: ignore[union-attr]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "another fine passphrase", "new_password2": "another fine passphrase"},
    )
    assert done["Location"] == "/accounts/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password("another fine passphrase")
    # The link works once.
    assert "not valid any more" in client.get(link, follow=True).content.decode()


@pytest.mark.django_db
def test_language_choice_is_remembered_on_the_account(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    _sign_in(client, user.username, PASSWORD)
    response = client.post("/i18n/setlang/", {"language": "ckb", "next": "/home/"})
    assert response["Location"] == "/home/"
    assert User.objects.get(pk=user.pk).language == "ckb"
    # A new browser with another preference still gets the account's language after signing in.
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    _sign_in(other, user.username, PASSWORD)
    page = other.get("/home/")
    assert '<html lang="ckb" dir="rtl">' in page.content.decode()


@pytest.mark.django_db
def test_unknown_language_and_foreign_redirects_are_ignored(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    _sign_in(client, user.username, PASSWORD)
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert User.objects.get(pk=user.pk).language == ""


@pytest.mark.django_db
def test_api_token_authenticates_and_can_be_revoked(make_user: Any) -> None:
    user = make_user(Role.CASE_WORKER)
    client = Client()
    _sign_in(client, user.username, PASSWORD)
    page = client.post("/accounts/profile/token/")
    key = re.search(r'data-testid="api-token">([0-9a-f]{40})<', page.content.decode()).group(1)  # type: ignore[union-attr]
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/me/").json()["username"] == user.username
    client.post("/accounts/profile/token/revoke/")
    response = api.get("/api/v1/me/")
    assert (response.status_code, response.json()["error"]["code"]) == (401, "authentication_failed")
