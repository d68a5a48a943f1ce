"""The shipped geography: real P-codes, complete hierarchy, names in three languages."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from awda.geo.models import Country, District, Governorate, SubDistrict


@pytest.mark.django_db
def test_the_data_migration_loads_the_whole_hierarchy() -> None:
    assert (Governorate.objects.count(), District.objects.count(), SubDistrict.objects.count()) == (
        18,
        101,
        294,
    )
    baghdad = Governorate.objects.get(pcode="IQG08")
    assert (baghdad.name_en, baghdad.name_ar, baghdad.name_ckb) == ("Baghdad", "بغداد", "بەغدا")
    assert District.objects.get(pcode="IQG08Q02").governorate_id == "IQG08"
    assert SubDistrict.objects.get(pcode="IQG08Q02N02").district_id == "IQG08Q02"
    for model in (Governorate, District, SubDistrict):
        assert not model.objects.filter(name_ar="").exists()
        assert not model.objects.filter(name_ckb="").exists()
        assert not model.objects.filter(name_en="").exists()
    # A P-code's parent is its prefix.
    assert all(d.pcode.startswith(d.governorate_id) for d in District.objects.all())
    assert all(s.pcode.startswith(s.district_id) for s in SubDistrict.objects.all())


@pytest.mark.django_db
def test_countries_follow_iso_3166() -> None:
    assert Country.objects.count() == 249
    germany = Country.objects.get(iso2="DE")
    assert (germany.iso3, germany.numeric, germany.name_ar, germany.name_ckb) == (
        "DEU",
        "276",
        "ألمانيا",
        "ئەڵمانیا",
    )


@pytest.mark.django_db
def test_geography_api_filters_by_parent(make_user: object) -> None:
    from awda.accounts.enums import Role
    from conftest import verified_api_client

    client = verified_api_client(make_user(Role.CASE_WORKER))  # type: ignore[operator]
    districts = client.get("/api/v1/geo/districts/?governorate=IQG11", HTTP_ACCEPT_LANGUAGE="ckb").json()
    assert [d["pcode"] for d in districts] == [
        "IQG11Q01",
        "IQG11Q02",
        "IQG11Q03",
        "IQG11Q04",
        "IQG11Q05",
        "IQG11Q06",
    ]
    erbil = next(d for d in districts if d["pcode"] == "IQG11Q02")
    assert erbil["name"] == erbil["name_ckb"]
    assert len(APIClient().get("/api/v1/geo/countries/").json()["error"]) == 2  # anonymous: refused
