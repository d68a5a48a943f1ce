"""Fixtures shared by every test: institutions, offices, one user per role, signed-in clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from awda.accounts.enums import AreaLevel, InstitutionType, Role
from awda.accounts.models import Institution, Office, User
from awda.accounts.roles import default_scope

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _english_and_fast_hashing(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """Two ministries; the first with offices in Baghdad (governorate-wide) and Erbil, the second in Baghdad."""
    momd = Institution.objects.create(
        code="momd",
        type=InstitutionType.MINISTRY,
        name_ar="وزارة الهجرة والمهجرين",
        name_ckb="وەزارەتی کۆچ و کۆچبەران",
        name_en="Ministry of Migration and Displaced",
    )
    molsa = Institution.objects.create(
        code="molsa",
        type=InstitutionType.MINISTRY,
        name_ar="وزارة العمل",
        name_ckb="وەزارەتی کار",
        name_en="Ministry of Labour",
    )
    offices = {
        "momd_baghdad": Office.objects.create(
            institution=momd,
            name_ar="فرع بغداد",
            name_ckb="لقی بەغدا",
            name_en="Baghdad branch",
            governorate_id="IQG08",
            district_id="IQG08Q06",
            area_level=AreaLevel.GOVERNORATE,
        ),
        "momd_erbil": Office.objects.create(
            institution=momd,
            name_ar="فرع أربيل",
            name_ckb="لقی هەولێر",
            name_en="Erbil branch",
            governorate_id="IQG11",
            district_id="IQG11Q02",
            area_level=AreaLevel.GOVERNORATE,
        ),
        "molsa_baghdad": Office.objects.create(
            institution=molsa,
            name_ar="مقر بغداد",
            name_ckb="بارەگای بەغدا",
            name_en="Baghdad HQ",
            governorate_id="IQG08",
            district_id="IQG08Q03",
            area_level=AreaLevel.GOVERNORATE,
        ),
    }
    return {"momd": momd, "molsa": molsa, **offices}


@pytest.fixture
def make_user(world: dict[str, Any]) -> Callable[..., User]:
    def make(role: str, office: str = "momd_baghdad", username: str | None = None, **extra: Any) -> User:
        place = world[office] if office else None
        user = User(
            username=username or f"{role}.{office}",
            role=role,
            institution=place.institution if place else None,
            office=place,
            scope=extra.pop("scope", default_scope(role)),
            first_name=extra.pop("first_name", "Test"),
            last_name=extra.pop("last_name", role),
            email=extra.pop("email", f"{username or role}@example.org"),
            **extra,
        )
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


def verified_client(user: User) -> Client:
    """A page client signed in as ``user``, past two-factor authentication where the role needs it."""
    client = Client()
    client.force_login(user)
    _mark_verified(client, user)
    return client


def verified_api_client(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    _mark_verified(client, user)
    return client


def _mark_verified(client: Client, user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if user.role in (Role.ADMINISTRATOR, Role.DATA_STEWARD):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Run the real task worker until the queue is empty, inside the test's transaction."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    # The worker recycles database connections between tasks; the test's connection must stay.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)

    return run
