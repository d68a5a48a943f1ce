"""The proposals API: a provider's system proposes, an administrator's system reviews; the pages' rules hold."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from awda.accounts.models import User
from awda.catalogue.models import Service, ServiceChange
from awda.catalogue.tests.conftest import service_document
from conftest import verified_api_client

pytestmark = pytest.mark.django_db


def test_propose_then_approve_through_the_api(people: dict[str, User]) -> None:
    provider = verified_api_client(people["provider"])
    created = provider.post("/api/v1/services/proposals/", service_document(), format="json")
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["service"], body["document"]["min_age"]) == ("pending", None, 18)
    assert Service.objects.count() == 0

    admin = verified_api_client(people["admin"])
    assert [p["uuid"] for p in admin.get("/api/v1/services/proposals/").json()] == [body["uuid"]]
    decided = admin.post(
        f"/api/v1/services/proposals/{body['uuid']}/decision/", {"decision": "approve"}, format="json"
    )
    assert (decided.status_code, decided.json()["status"]) == (200, "approved")
    service = Service.objects.get()
    change = provider.post(
        f"/api/v1/services/{service.uuid}/proposals/", service_document(max_age=60), format="json"
    )
    assert (change.status_code, change.json()["service"]) == (201, str(service.uuid))


def test_bad_documents_get_field_errors_and_save_nothing(people: dict[str, User]) -> None:
    provider = verified_api_client(people["provider"])
    response = provider.post(
        "/api/v1/services/proposals/",
        service_document(
            min_age=50, max_age=20, governorates=["IQG08"], districts=["IQG08Q06"], category="x"
        ),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"min_age", "districts", "category"}
    assert (
        provider.post("/api/v1/services/proposals/", ["not", "an", "object"], format="json").status_code
        == 400
    )
    assert ServiceChange.objects.count() == 0


def test_others_cannot_review_or_touch_what_is_not_theirs(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    service = publish()
    provider = verified_api_client(people["provider"])
    change = provider.post(
        f"/api/v1/services/{service.uuid}/proposals/", service_document(max_age=60), format="json"
    )
    uuid = change.json()["uuid"]
    # The provider cannot approve; another provider cannot see it; a case worker has no proposals at all
    assert (
        provider.post(
            f"/api/v1/services/proposals/{uuid}/decision/", {"decision": "approve"}, format="json"
        ).status_code
        == 403
    )
    other = verified_api_client(people["other_provider"])
    assert (
        other.post(
            f"/api/v1/services/proposals/{uuid}/decision/", {"decision": "withdraw"}, format="json"
        ).status_code
        == 404
    )
    assert (
        other.post(
            f"/api/v1/services/{service.uuid}/proposals/", service_document(), format="json"
        ).status_code
        == 404
    )
    assert verified_api_client(people["worker"]).get("/api/v1/services/proposals/").status_code == 404
    assert ServiceChange.objects.get(uuid=uuid).status == "pending"
    assert Service.objects.get(pk=service.pk).criteria["max_age"] is None
