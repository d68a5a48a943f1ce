"""Organisations: administrators add actors without accounts; providers keep their own offices and programmes."""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.models import Institution, User
from awda.catalogue import actions
from awda.catalogue.models import Organisation, Programme
from awda.core.errors import AwdaError, PermissionDenied
from conftest import verified_client

pytestmark = pytest.mark.django_db

DONOR = {
    "code": "erf",
    "type": "donor",
    "acronym": "ERF",
    "name_ar": "مرفق إعادة الإدماج الأوروبي",
    "name_ckb": "دامەزراوەی تێکەڵبوونەوەی ئەورووپی",
    "name_en": "European Reintegration Facility",
    "mandate_ar": "يمول برامج سبل العيش.",
    "languages": ["ar", "en"],
}


def test_every_institution_is_an_organisation_and_keeps_its_names(world: dict[str, Any]) -> None:
    molsa = Organisation.objects.get(institution=world["molsa"])
    assert (molsa.code, molsa.type, molsa.name_en) == ("molsa", "ministry", "Ministry of Labour")
    institution = Institution.objects.get(code="molsa")
    institution.name_en = "Ministry of Labour and Social Affairs"
    institution.save()
    molsa.refresh_from_db()
    assert molsa.name_en == "Ministry of Labour and Social Affairs"


def test_administrators_add_actors_without_accounts_and_refuse_a_used_code(people: dict[str, User]) -> None:
    donor = actions.organisation_create(actor=people["admin"], data=DONOR)
    assert (donor.institution_id, donor.type, donor.languages) == (None, "donor", ["ar", "en"])
    with pytest.raises(AwdaError) as refused:
        actions.organisation_create(actor=people["admin"], data={**DONOR, "name_ckb": " "})
    assert set(refused.value.fields) == {"code", "name_ckb"}
    with pytest.raises(PermissionDenied):
        actions.organisation_create(actor=people["provider"], data={**DONOR, "code": "other"})
    assert Organisation.objects.filter(institution__isnull=True).count() == 1


def test_a_provider_keeps_their_own_organisation_only(people: dict[str, User], world: dict[str, Any]) -> None:
    molsa = Organisation.objects.get(institution=world["molsa"])
    momd = Organisation.objects.get(institution=world["momd"])
    client = verified_client(people["provider"])
    page = client.get(f"/catalogue/organisations/{molsa.uuid}/")
    assert page.status_code == 200
    assert client.get(f"/catalogue/organisations/{momd.uuid}/").status_code == 404
    assert client.get("/catalogue/organisations/new/").status_code == 404
    post = {
        "type": "ministry",
        "mandate_ar": "التشغيل والحماية الاجتماعية",
        "languages": ["ar", "ckb"],
        "phone": "+9647701112233",
        "office-TOTAL_FORMS": "2",
        "office-INITIAL_FORMS": "0",
        "office-0-name_ar": "مركز التدريب المهني في البصرة",
        "office-0-name_ckb": "سەنتەری ڕاهێنانی پیشەیی لە بەسرە",
        "office-0-name_en": "Basra vocational training centre",
        "office-0-governorate": "IQG02",
        "office-0-district": "IQG02Q02",
        "office-1-name_ar": "",
        "focal-TOTAL_FORMS": "1",
        "focal-INITIAL_FORMS": "0",
        "focal-0-name": "حيدر عباس",
        "focal-0-email": "haider@example.org",
    }
    # A district outside the office's governorate is refused and nothing is saved
    bad = client.post(f"/catalogue/organisations/{molsa.uuid}/", {**post, "office-0-district": "IQG11Q02"})
    assert bad.status_code == 400
    assert "The district is not in this governorate." in bad.content.decode()
    molsa.refresh_from_db()
    assert (molsa.mandate_ar, molsa.offices.count(), molsa.focal_points.count()) == ("", 0, 0)

    saved = client.post(f"/catalogue/organisations/{molsa.uuid}/", post)
    assert saved.status_code == 302
    molsa.refresh_from_db()
    assert (molsa.mandate_ar, molsa.languages, molsa.name_en) == (
        "التشغيل والحماية الاجتماعية",
        ["ar", "ckb"],
        "Ministry of Labour",
    )
    assert [(o.name_en, o.district_id) for o in molsa.offices.all()] == [
        ("Basra vocational training centre", "IQG02Q02")
    ]
    assert [(f.name, f.email) for f in molsa.focal_points.all()] == [("حيدر عباس", "haider@example.org")]


def test_programmes_with_funder_and_period(people: dict[str, User], world: dict[str, Any]) -> None:
    donor = actions.organisation_create(actor=people["admin"], data=DONOR)
    molsa = Organisation.objects.get(institution=world["molsa"])
    client = verified_client(people["provider"])
    post = {
        "code": "livelihoods-south",
        "name_ar": "سبل العيش في الجنوب",
        "name_ckb": "بژێوی لە باشوور",
        "name_en": "Livelihoods in the south",
        "funder": donor.pk,
        "starts_on": "2026-01-01",
        "ends_on": "2025-12-31",
        "governorates": ["IQG02", "IQG17"],
        "target_groups": ["low_skilled"],
    }
    bad = client.post(f"/catalogue/organisations/{molsa.uuid}/programmes/new/", post)
    assert bad.status_code == 400
    assert Programme.objects.count() == 0
    ok = client.post(
        f"/catalogue/organisations/{molsa.uuid}/programmes/new/", {**post, "ends_on": "2027-12-31"}
    )
    assert ok.status_code == 302
    programme = Programme.objects.get()
    assert (programme.organisation, programme.funder, programme.target_groups) == (
        molsa,
        donor,
        ["low_skilled"],
    )
    assert sorted(programme.governorates.values_list("pcode", flat=True)) == ["IQG02", "IQG17"]
    public = client.get(f"/services/providers/{molsa.uuid}/").content.decode()
    assert "Livelihoods in the south" in public and "funded by European Reintegration Facility" in public


def test_search_follows_a_renamed_provider(publish: Any, world: dict[str, Any]) -> None:
    from django.test import Client

    publish()
    institution = Institution.objects.get(code="molsa")
    institution.name_en = "Ministry of Labour and Social Affairs"
    institution.save()
    found = Client().get("/api/v1/services/?q=social affairs").json()["results"]
    assert [item["code"] for item in found] == ["molsa-docs-karkh"]
