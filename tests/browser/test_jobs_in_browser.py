"""A company in a real browser: finds the occupation by typing a word of its Arabic title (htmx), posts an
offer in Arabic and sees an anonymous candidate ranked for it."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from awda.accounts.enums import Role, ScopeLevel
from awda.accounts.models import User
from awda.jobs import actions
from awda.jobs.models import Offer
from awda.registry.models import Returnee, Skill
from awda.registry.tests.conftest import register
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["register"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """A live server needs committed data; what the data migrations loaded is reloaded after each flush."""
    from importlib import import_module

    from django.apps import apps as django_apps
    from django.db import connection

    from awda.geo import loaders
    from awda.geo.models import Country, District, Governorate, SubDistrict

    if not Governorate.objects.exists():
        loaders.load_countries(Country)
        loaders.load_admin_areas(Governorate, District, SubDistrict)
    from awda.jobs.models import Sector, SkillTerm
    from awda.registry.models import Occupation

    if not Occupation.objects.exists():
        import_module("awda.registry.migrations.0002_load_occupations").load(
            django_apps, connection.schema_editor()
        )
    if not Sector.objects.exists() or not SkillTerm.objects.exists():
        import_module("awda.jobs.migrations.0002_sectors_and_skills").load(
            django_apps, connection.schema_editor()
        )


def test_a_company_posts_an_arabic_offer_found_by_searching_the_occupation(
    page: Any, live_server: Any, make_user: Callable[..., User], register: Callable[..., Returnee]
) -> None:
    staff = make_user(Role.CASE_WORKER, "molsa_baghdad", "jobs.staff")
    employer = actions.employer_create(
        actor=staff,
        data={
            "name_ar": "شركة الرافدين",
            "sector": "F",
            "size": "small",
            "governorates": ["IQG08"],
            "contact_name": "مصطفى",
            "contact_phone": "07801112233",
        },
    )
    company = User(
        username="rafidain", role=Role.EMPLOYER, institution=employer.institution, scope=ScopeLevel.ASSIGNED
    )
    company.set_password(PASSWORD)
    company.save()
    returnee = register()
    Skill.objects.create(returnee=returnee, occupation_id="7212", years_experience=3)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("rafidain")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")

    page.goto(f"{live_server.url}/jobs/employers/{employer.uuid}/offers/new/")
    options = page.locator("#id_occupation option")
    assert options.count() > 400  # without a search, every unit group is listed
    page.fill("#occupation-search", "لحام")
    page.wait_for_function("document.querySelectorAll('#id_occupation option').length < 50")
    assert page.locator("#id_occupation option[value='7212']").count() == 1
    page.select_option("#id_occupation", "7212")
    page.fill("#id_title", "لحّام في ورشة")
    page.select_option("#id_governorate", "IQG08")
    page.select_option("#id_settlement", "urban")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"{live_server.url}/jobs/offers/**")

    offer = Offer.objects.get()
    assert (offer.title, offer.occupation_id, offer.status) == ("لحّام في ورشة", "7212", "open")
    assert page.get_by_test_id("offer-title").inner_text() == "لحّام في ورشة"
    assert page.get_by_test_id("candidate").count() == 1
    assert "زينب" not in page.content()
