"""A returnee on a phone, without an account, finds documentation services near them in Kurdish."""

from __future__ import annotations

import os
from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.catalogue import actions
from awda.catalogue.tests.conftest import service_document
from awda.portal.tests.untranslated import english_words

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """A live server needs committed data; data migrations are reloaded after each flush."""
    from awda.catalogue import loaders as catalogue_loaders
    from awda.catalogue.models import ServiceCategory
    from awda.geo import loaders
    from awda.geo.models import Country, District, Governorate, SubDistrict

    if not Governorate.objects.exists():
        loaders.load_countries(Country)
        loaders.load_admin_areas(Governorate, District, SubDistrict)
    catalogue_loaders.load_taxonomy(ServiceCategory)


def test_a_returnee_on_a_phone_finds_documentation_near_them_in_kurdish(
    browser: Any, live_server: Any, make_user: Any
) -> None:
    admin = make_user(Role.ADMINISTRATOR, "momd_baghdad", "cat.admin")
    # Given documentation services in Karkh, in all of Baghdad and in Erbil, and legal aid in Karkh
    actions.service_publish(actor=admin, document=service_document())
    actions.service_publish(
        actor=admin,
        document=service_document(
            code="docs-baghdad", districts=[], governorates=["IQG08"], name_ckb="بەڵگەنامە لە بەغدا"
        ),
    )
    actions.service_publish(
        actor=admin, document=service_document(code="docs-erbil", districts=["IQG11Q02"], name_ckb="هەولێر")
    )
    actions.service_publish(
        actor=admin,
        document=service_document(code="legal-karkh", category="legal_counselling", name_ckb="ڕاوێژی یاسایی"),
    )
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # When they open the catalogue, choose Kurdish, documentation and their district
        page.goto(f"{live_server.url}/services/")
        page.select_option("#language-select", "ckb")
        page.wait_for_function("document.documentElement.lang === 'ckb'")
        page.select_option("#category", "documentation")
        page.select_option("#governorate", "IQG08")
        page.select_option("#district", "IQG08Q06")
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_url("**/services/?*district=IQG08Q06*")
        # Then the page is Kurdish and right to left, with no sign-in asked
        html = page.locator("html")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ckb", "rtl")
        assert english_words(page.content(), {"CSV"}) == []
        # And the two documentation services reaching Karkh are listed, the district's own first
        names = page.locator(".service-card h2 a").all_inner_texts()
        assert names == ["یارمەتی بۆ دەرکردنی کارتی نیشتمانی", "بەڵگەنامە لە بەغدا"]
        # And the first can be called from the phone, and read whole
        assert page.locator(".service-card").first.locator("a[href^='tel:']").get_attribute("href") == (
            "tel:+9647701234567"
        )
        page.locator(".service-card h2 a").first.click()
        page.wait_for_load_state("load")
        assert page.get_by_role("heading", level=1).inner_text() == "یارمەتی بۆ دەرکردنی کارتی نیشتمانی"
        # Nothing overflows the phone's width
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()
