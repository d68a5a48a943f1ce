"""A data steward in a real browser, in Arabic: signs in with the second factor, creates a source,
uploads a register as Excel saves it (Windows-1256, the ministry's own headings), checks and imports it,
links it with the registry, decides the pair the engine was unsure of, and finds the returnee's record at
the other ministry on the case page."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.exchange.models import CandidatePair, ExternalRecord, ImportBatch, Source
from awda.registry.models import Returnee
from awda.registry.tests.conftest import register
from conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["register"]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# The MoLSA file: Zainab as MoLSA writes her, and a row with three names and nothing else that fits
# both Maryams of the registry (cousins of one name, born years apart).
MOLSA = (
    "رقم,الاسم الرباعي,المواليد,الجنس,المحافظة,رقم الهاتف,الحالة,تاريخ التسجيل\r\n"
    "M-1,زينب حسين علي الجبوري,14/03/1990,انثى,بغداد,0770 123 4567,باحث عن عمل,2026-07-01\r\n"
    "M-2,مريم كريم حسن,,,,,باحث عن عمل,2026-08-15\r\n"
)


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: Any) -> None:
    """A live server needs committed data; what the data migrations loaded is reloaded after each flush."""
    from awda.geo import loaders
    from awda.geo.models import Country, District, Governorate, SubDistrict

    if not Governorate.objects.exists():
        loaders.load_countries(Country)
        loaders.load_admin_areas(Governorate, District, SubDistrict)


def _token(user: User) -> str:
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _until(check: Callable[[], bool], run_worker: Callable[[], None]) -> None:
    for _ in range(20):
        run_worker()
        if check():
            return
        time.sleep(0.2)
    raise AssertionError("the background task did not finish")


def test_a_steward_imports_links_and_reviews_a_register_in_arabic(
    page: Any,
    live_server: Any,
    make_user: Callable[..., User],
    register: Callable[..., Returnee],
    run_worker: Callable[[], None],
    world: dict[str, Any],
    settings: Any,
    tmp_path: Path,
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.DATA_DIR = tmp_path
    steward = make_user(Role.DATA_STEWARD, "momd_baghdad", "steward")
    TOTPDevice.objects.create(user=steward, name="phone", confirmed=True)
    zainab = register()
    cousin = {"given_name": "مريم", "father_name": "كريم", "grandfather_name": "حسن", "mother_name": "سعاد"}
    maryams = [
        register(record={**cousin, "date_of_birth": date(1984, 2, 9)}, phones=[]),
        register(record={**cousin, "date_of_birth": date(1997, 10, 30)}, phones=[]),
    ]
    upload = tmp_path / "molsa-2026-08.csv"
    upload.write_bytes(MOLSA.encode("cp1256"))

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("steward")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.locator("input[name=token]").fill(_token(steward))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/home/")
    with page.expect_navigation():
        page.select_option("#language-select", "ar")
    assert page.locator("html").get_attribute("dir") == "rtl"

    page.goto(f"{live_server.url}/exchange/sources/")
    page.locator("main details summary").click()
    page.locator("input[name=name_ar]").fill("سجل العاطلين")
    page.locator("input[name=name_ckb]").fill("تۆماری بێکاران")
    page.locator("input[name=name_en]").fill("MoLSA unemployed register")
    page.locator("select[name=held_by]").select_option(str(world["molsa"].uuid))
    page.locator("select[name=kind]").select_option("unemployed_register")
    with page.expect_navigation():
        page.get_by_role("button", name="إنشاء").click()
    source = Source.objects.get()

    page.set_input_files("input[type=file]", str(upload))
    with page.expect_navigation():
        page.locator("form[enctype] button[type=submit]").click()
    # The ministry's own headings are recognised, the birth dates as المواليد.
    for field, heading in (("record_id", "رقم"), ("full_name", "الاسم الرباعي"), ("date_of_birth", "المواليد"),
                           ("phone", "رقم الهاتف"), ("status", "الحالة")):  # fmt: skip
        assert page.locator(f"select[name={field}]").input_value() == heading
    page.locator("input[name=sync_fields][value=status]").check()
    with page.expect_navigation():
        page.locator("main form button[type=submit]").last.click()
    batch = ImportBatch.objects.get()
    _until(lambda: ImportBatch.objects.get(pk=batch.pk).status == "validated", run_worker)
    page.reload()
    assert "زينب حسين علي الجبوري" in page.locator("main").inner_text()
    with page.expect_navigation():
        page.locator("form[action$='/commit/'] button[type=submit]").click()
    _until(lambda: ImportBatch.objects.get(pk=batch.pk).status == "committed", run_worker)
    assert sorted(ExternalRecord.objects.values_list("external_id", flat=True)) == ["M-1", "M-2"]

    page.goto(f"{live_server.url}/exchange/sources/{source.uuid}/")
    with page.expect_navigation():
        page.locator("form[action$='/runs/'] button[type=submit]").click()
    _until(lambda: CandidatePair.objects.filter(record__external_id="M-1").exists(), run_worker)
    linked = CandidatePair.objects.get(record__external_id="M-1")
    assert (linked.status, linked.returnee_id) == ("linked", zainab.pk)
    # The row that fits two cousins waits for the steward, both ways.
    waiting = CandidatePair.objects.filter(record__external_id="M-2")
    assert sorted((p.status, p.returnee_id) for p in waiting) == sorted(("pending", m.pk) for m in maryams)

    page.goto(f"{live_server.url}/exchange/review/")
    assert page.locator("main").get_by_text("مريم كريم حسن").count() == 2
    first = waiting.get(returnee=maryams[0])
    page.goto(f"{live_server.url}/exchange/review/{first.uuid}/")
    weights = page.locator("main table").last.inner_text()
    assert "نقطة البداية" in weights and "المرشحون الآخرون" in weights
    page.locator("input[name=decision][value=different]").check()
    with page.expect_navigation():
        page.get_by_role("button", name="تسجيل القرار").click()
    assert CandidatePair.objects.get(pk=first.pk).status == "different"

    page.goto(f"{live_server.url}/returnees/{zainab.uuid}/")
    crossref = page.locator("main").inner_text()
    assert "سجل العاطلين" in crossref and "M-1" in crossref and "باحث عن عمل" in crossref
