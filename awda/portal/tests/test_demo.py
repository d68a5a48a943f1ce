"""`awda demo` creates the demo institutions and one account per role, and can run twice."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from awda.accounts.demo import DEMO_PASSWORD
from awda.accounts.enums import Role
from awda.accounts.models import Institution, Office, User


@pytest.mark.django_db
def test_demo_is_complete_and_idempotent() -> None:
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=StringIO())
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    momd = Institution.objects.get(code="momd")
    assert sorted(Office.objects.filter(institution=momd).values_list("governorate__name_en", flat=True)) == [
        "Al-Basrah",
        "Baghdad",
        "Erbil",
        "Ninewa",
    ]
    assert Institution.objects.get(code="molsa-mrc").parent == Institution.objects.get(code="molsa")
    assert {"mop", "mofa", "moi"} <= set(Institution.objects.values_list("code", flat=True))
    assert Institution.objects.filter(type="ngo").count() == 2
    assert Institution.objects.filter(type="private_company").count() == 50
    assert Institution.objects.filter(type="international_organisation").count() == 1
    assert User.objects.count() == 19
    assert User.objects.get(username="caseworker").check_password(DEMO_PASSWORD)
    printed = out.getvalue()
    assert f"Password for every demo account: {DEMO_PASSWORD}" in printed
    assert "caseworker" in printed and "admin" in printed


@pytest.mark.django_db
def test_bulk_generation_writes_what_registration_writes() -> None:
    from awda.registry.demo import demo_returnees_bulk
    from awda.registry.models import Consent, NameToken, Returnee, ReturneeCategory

    call_command("demo", "--returnees", "0", stdout=StringIO())
    # One process: parallel workers need committed data and their own connections, which a test's
    # transaction cannot give; the benchmark exercises them (docs/benchmarks.md).
    assert demo_returnees_bulk(40, seed=3) == 40
    assert Returnee.objects.count() == 40
    assert Returnee.objects.values("case_number").distinct().count() == 40
    assert Consent.objects.filter(purpose="registration", granted=True).count() == 40
    assert NameToken.objects.exists()
    assert ReturneeCategory.objects.exists()
    assert not Returnee.objects.filter(given_skeleton="").exists()
