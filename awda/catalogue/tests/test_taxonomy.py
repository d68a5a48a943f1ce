"""The taxonomy is data an administrator keeps: three names, two levels, and no category in use switched off."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from awda.accounts.models import User
from awda.catalogue import actions
from awda.catalogue.models import Service, ServiceCategory
from awda.core.errors import AwdaError, PermissionDenied
from conftest import verified_client

pytestmark = pytest.mark.django_db

NAMES = {"name_ar": "إعادة التأهيل", "name_ckb": "نۆژەنکردنەوە", "name_en": "Rehabilitation"}


def test_the_shipped_taxonomy_covers_the_issue(db: object) -> None:
    tops = set(ServiceCategory.objects.filter(parent__isnull=True).values_list("code", flat=True))
    assert tops == {
        "legal_aid",
        "documentation",
        "housing_property",
        "cash_grants",
        "loans",
        "employment_services",
        "vocational_training",
        "business_startup",
        "education",
        "health",
        "psychosocial",
        "social_assistance",
        "information_counselling",
    }
    for category in ServiceCategory.objects.all():
        assert category.name_ar and category.name_ckb and category.name_en, category.code


def test_an_administrator_adds_a_subcategory_through_the_page(people: dict[str, User]) -> None:
    health = ServiceCategory.objects.get(code="health")
    client = verified_client(people["admin"])
    response = client.post(
        "/catalogue/taxonomy/", {"code": "rehabilitation", "parent": health.pk, **NAMES, "order": "75"}
    )
    assert response.status_code == 302
    added = ServiceCategory.objects.get(code="rehabilitation")
    assert (added.parent, added.need_category, added.name_ckb) == (health, "health", "نۆژەنکردنەوە")
    assert client.get("/catalogue/taxonomy/").status_code == 200


def test_refusals_leave_the_taxonomy_unchanged(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    publish()  # a service of civil_documentation
    before = list(ServiceCategory.objects.order_by("code").values_list("code", "parent_id", "is_active"))
    sub = ServiceCategory.objects.get(code="civil_documentation")
    with pytest.raises(AwdaError) as refused:
        actions.service_category_save(actor=people["admin"], data={"code": "x", "parent": sub, **NAMES})
    assert set(refused.value.fields) == {"parent"}
    with pytest.raises(AwdaError) as refused:
        actions.service_category_save(actor=people["admin"], data={"code": "health", **NAMES, "name_en": ""})
    assert set(refused.value.fields) == {"code", "name_en"}
    documentation = ServiceCategory.objects.get(code="documentation")
    with pytest.raises(AwdaError) as refused:
        actions.service_category_save(
            actor=people["admin"],
            category=documentation,
            data={"code": "documentation", **NAMES, "is_active": False},
        )
    assert "1 services use this category; move them first." in refused.value.fields["is_active"]
    with pytest.raises(PermissionDenied):
        actions.service_category_save(actor=people["provider"], data={"code": "y", **NAMES})
    assert (
        list(ServiceCategory.objects.order_by("code").values_list("code", "parent_id", "is_active")) == before
    )
    assert verified_client(people["provider"]).get("/catalogue/taxonomy/").status_code == 404
