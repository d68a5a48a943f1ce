"""A new user in a real browser: signs in, switches to Arabic, and gets a right-to-left page in Arabic."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.utils import translation

from awda.accounts.enums import Role
from awda.portal.tests.untranslated import english_words
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _places(transactional_db: Any) -> None:
    """A live server needs committed data; the geography of the data migration is reloaded after each flush."""
    from awda.geo import loaders
    from awda.geo.models import Country, District, Governorate, SubDistrict

    if not Governorate.objects.exists():
        loaders.load_countries(Country)
        loaders.load_admin_areas(Governorate, District, SubDistrict)


# Django's async-unsafe check trips over Playwright's event loop in the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ALLOWED = {"English", "API"}


def _visible_text_words(page: Any) -> list[str]:
    return english_words(page.content(), ALLOWED)


def test_sign_in_then_switch_to_arabic(page: Any, live_server: Any, make_user: Any) -> None:
    make_user(Role.CASE_WORKER, "momd_baghdad", "ali", first_name="علي", last_name="كاظم")
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_label("User name").fill("ali")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/home/")
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, علي كاظم"

    page.select_option("#language-select", "ar")
    page.wait_for_load_state("load")
    page.wait_for_function("document.documentElement.lang === 'ar'")
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    with translation.override("ar"):
        welcome = translation.gettext("Welcome, %(name)s") % {"name": "علي كاظم"}
    assert welcome != "Welcome, علي كاظم"
    assert page.get_by_role("heading", level=1).inner_text() == welcome
    assert _visible_text_words(page) == []
    # The navigation sits on the right in a right-to-left page.
    brand = page.locator(".brand").bounding_box()
    assert brand is not None and brand["x"] > 640

    # The choice is remembered: the profile page opens in Arabic too.
    page.goto(f"{live_server.url}/accounts/profile/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert _visible_text_words(page) == []


def test_kurdish_login_page_is_right_to_left_and_translated(page: Any, live_server: Any, world: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.select_option("#language-select", "ckb")
    page.wait_for_function("document.documentElement.lang === 'ckb'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert _visible_text_words(page) == []
