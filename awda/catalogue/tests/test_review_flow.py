"""Providers propose, administrators review: nothing goes public unreviewed, and every version is kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from awda.accounts.models import User
from awda.catalogue import actions, enums
from awda.catalogue.models import Service, ServiceChange, ServiceVersion
from awda.catalogue.tests.conftest import service_document
from awda.core.errors import AwdaError, Conflict, PermissionDenied
from awda.core.models import AuditEntry
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _public_codes(client: Any, query: str = "") -> list[str]:
    response = client.get(f"/api/v1/services/{query}")
    assert response.status_code == 200
    return [item["code"] for item in response.json()["results"]]


def test_a_new_service_is_public_only_after_approval(people: dict[str, User], client: Any) -> None:
    # Given a provider who proposes a new service of their own ministry
    change = actions.service_propose(actor=people["provider"], document=service_document())
    # Then nothing is public yet
    assert change.status == enums.ChangeStatus.PENDING
    assert Service.objects.count() == 0
    assert _public_codes(client) == []
    # When the administrator approves it
    service = actions.service_change_approve(actor=people["admin"], change=change, note="Checked by phone")
    # Then it is public, at version 1, with its history
    assert _public_codes(client) == ["molsa-docs-karkh"]
    assert service.version == 1
    assert service.organisation.code == "molsa"
    assert sorted(d.pcode for d in service.districts.all()) == ["IQG08Q06"]
    assert service.criteria["min_age"] == 18
    version = ServiceVersion.objects.get(service=service)
    assert (version.number, version.approved_by, version.change, version.note) == (
        1,
        people["admin"],
        change,
        "Checked by phone",
    )
    change.refresh_from_db()
    assert (change.status, change.reviewed_by, change.service) == (
        enums.ChangeStatus.APPROVED,
        people["admin"],
        service,
    )


def test_a_change_stays_unpublished_until_approved_and_history_keeps_both(
    people: dict[str, User], publish: Callable[..., Service], client: Any
) -> None:
    service = publish()
    proposal = actions.service_propose(
        actor=people["provider"],
        document=service_document(name_en="Help with national cards and passports", capacity_per_month=30),
        service=service,
    )
    service.refresh_from_db()
    assert service.name_en == "Help with the national card"
    assert client.get(f"/api/v1/services/{service.uuid}/").json()["capacity_per_month"] == 20

    actions.service_change_approve(actor=people["admin"], change=proposal)

    service.refresh_from_db()
    assert (service.name_en, service.capacity_per_month, service.version) == (
        "Help with national cards and passports",
        30,
        2,
    )
    versions = list(service.versions.order_by("number").values_list("number", "document"))
    assert [number for number, _doc in versions] == [1, 2]
    assert versions[0][1]["name_en"] == "Help with the national card"
    assert versions[1][1]["name_en"] == "Help with national cards and passports"


def test_returning_a_proposal_needs_a_note_and_changes_nothing(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    service = publish()
    proposal = actions.service_propose(
        actor=people["provider"], document=service_document(min_age=16), service=service
    )
    with pytest.raises(AwdaError) as refused:
        actions.service_change_reject(actor=people["admin"], change=proposal, note="  ")
    assert set(refused.value.fields) == {"note"}
    proposal.refresh_from_db()
    assert proposal.status == enums.ChangeStatus.PENDING

    actions.service_change_reject(
        actor=people["admin"], change=proposal, note="Under-18s go to child protection."
    )
    proposal.refresh_from_db()
    service.refresh_from_db()
    assert (proposal.status, proposal.review_note) == (
        enums.ChangeStatus.REJECTED,
        "Under-18s go to child protection.",
    )
    assert (service.criteria["min_age"], service.version) == (18, 1)
    with pytest.raises(Conflict):
        actions.service_change_approve(actor=people["admin"], change=proposal)
    assert Service.objects.get(pk=service.pk).version == 1


def test_providers_cannot_touch_other_organisations_or_review(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    service = publish()
    changes_before = ServiceChange.objects.count()
    # A MoMD provider proposing for MoLSA, or changing MoLSA's service
    with pytest.raises(PermissionDenied):
        actions.service_propose(actor=people["other_provider"], document=service_document(code="momd-x"))
    with pytest.raises(PermissionDenied):
        actions.service_propose(actor=people["other_provider"], document=service_document(), service=service)
    # A case worker proposes nothing; a provider approves nothing
    with pytest.raises(PermissionDenied):
        actions.service_propose(actor=people["worker"], document=service_document(code="x-y"))
    proposal = actions.service_propose(
        actor=people["provider"], document=service_document(max_age=60), service=service
    )
    with pytest.raises(PermissionDenied):
        actions.service_change_approve(actor=people["provider"], change=proposal)
    with pytest.raises(PermissionDenied):
        actions.service_change_withdraw(actor=people["other_provider"], change=proposal)
    assert ServiceChange.objects.count() == changes_before + 1
    assert Service.objects.get(pk=service.pk).criteria["max_age"] is None


def test_one_pending_change_at_a_time_and_stale_proposals_are_refused(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    service = publish()
    first = actions.service_propose(
        actor=people["provider"], document=service_document(max_age=60), service=service
    )
    with pytest.raises(Conflict):
        actions.service_propose(
            actor=people["provider"], document=service_document(max_age=50), service=service
        )
    # The administrator edits the service directly meanwhile: the proposal is now based on an old version
    actions.service_publish(
        actor=people["admin"], document=service_document(capacity_per_month=25), service=service
    )
    with pytest.raises(Conflict):
        actions.service_change_approve(actor=people["admin"], change=first)
    service.refresh_from_db()
    assert (service.version, service.capacity_per_month, service.criteria["max_age"]) == (2, 25, None)
    first.refresh_from_db()
    assert first.status == enums.ChangeStatus.PENDING
    actions.service_change_withdraw(actor=people["provider"], change=first)
    first.refresh_from_db()
    assert first.status == enums.ChangeStatus.WITHDRAWN


def test_a_code_in_use_is_refused(people: dict[str, User], publish: Callable[..., Service]) -> None:
    publish()
    with pytest.raises(AwdaError) as refused:
        actions.service_propose(actor=people["provider"], document=service_document())
    assert set(refused.value.fields) == {"code"}
    assert ServiceChange.objects.count() == 0


def test_load_is_operational_and_withdrawal_immediate(
    people: dict[str, User], publish: Callable[..., Service], client: Any
) -> None:
    service = publish()
    actions.service_set_load(actor=people["provider"], service=service, load=20)
    service.refresh_from_db()
    assert (service.current_load, service.version) == (20, 1)
    with pytest.raises(AwdaError):
        actions.service_set_load(actor=people["provider"], service=service, load=21)
    with pytest.raises(PermissionDenied):
        actions.service_set_load(actor=people["other_provider"], service=service, load=1)
    assert Service.objects.get(pk=service.pk).current_load == 20

    actions.service_set_active(actor=people["provider"], service=service, active=False)
    assert _public_codes(client) == []
    assert client.get(f"/services/{service.uuid}/").status_code == 404
    with pytest.raises(PermissionDenied):
        actions.service_set_active(actor=people["provider"], service=service, active=True)
    actions.service_set_active(actor=people["admin"], service=service, active=True)
    assert _public_codes(client) == ["molsa-docs-karkh"]


def test_the_flow_through_the_pages(people: dict[str, User], publish: Callable[..., Service]) -> None:
    service = publish()
    provider = verified_client(people["provider"])
    form = provider.get(f"/catalogue/services/{service.uuid}/edit/")
    assert form.status_code == 200
    assert "Help with the national card" in form.content.decode()

    # Bad input: a minimum age above the maximum and a district inside a listed governorate
    post: dict[str, Any] = {
        k: v for k, v in service_document().items() if v is not None and not isinstance(v, list)
    }
    post.update(min_age="40", max_age="30", governorates=["IQG08"], districts=["IQG08Q06"], publish="0")
    bad = provider.post(f"/catalogue/services/{service.uuid}/edit/", post)
    assert bad.status_code == 400
    page = bad.content.decode()
    assert "The minimum (40) is above the maximum (30); nobody could meet this." in page
    assert "lies in a governorate already listed" in page
    assert ServiceChange.objects.count() == 0

    post.update(min_age="21", max_age="", governorates=[], districts=["IQG08Q06"], hours_days=["sun", "mon"])
    sent = provider.post(f"/catalogue/services/{service.uuid}/edit/", post)
    assert sent.status_code == 302
    change = ServiceChange.objects.get()
    assert sent["Location"] == f"/catalogue/changes/{change.uuid}/"
    assert change.document["min_age"] == 21

    # Another provider cannot see the proposal; the administrator approves it on its page
    assert (
        verified_client(people["other_provider"]).get(f"/catalogue/changes/{change.uuid}/").status_code == 404
    )
    admin = verified_client(people["admin"])
    review = admin.get(f"/catalogue/changes/{change.uuid}/")
    assert review.status_code == 200
    assert "Minimum age" in review.content.decode()
    approved = admin.post(f"/catalogue/changes/{change.uuid}/", {"decision": "approve", "note": ""})
    assert approved.status_code == 302
    service.refresh_from_db()
    assert (service.criteria["min_age"], service.version) == (21, 2)
    history = provider.get(f"/catalogue/services/{service.uuid}/")
    assert history.status_code == 200
    assert "Version 2" in history.content.decode()
    assert AuditEntry.objects.filter(object_type="catalogue.service", action="update").count() >= 1
