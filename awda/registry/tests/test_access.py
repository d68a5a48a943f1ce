"""Who sees and changes returnee records: roles × offices × institutions, consent-based sharing, and
restricted fields; refused calls leave no trace but their refusal."""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.enums import Role, ScopeLevel
from awda.core.models import AuditEntry
from awda.registry import actions
from awda.registry.models import Returnee
from conftest import verified_api_client, verified_client

pytestmark = pytest.mark.django_db

OFFICES = ["momd_baghdad", "momd_erbil", "molsa_baghdad"]
# An actor in MoMD's Baghdad branch reads (and, in these roles, edits) the records of these offices.
RECORD_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.DATA_STEWARD)
BY_SCOPE = {ScopeLevel.OFFICE_AREA: {"momd_baghdad"}, ScopeLevel.INSTITUTION: {"momd_baghdad", "momd_erbil"}}
READS = {(role, scope): offices for role in RECORD_ROLES for scope, offices in BY_SCOPE.items()}
EDITS = set(READS)


def _actors() -> list[tuple[str, str]]:
    return [
        (str(role), str(scope))
        for role in Role.values
        for scope in (ScopeLevel.OFFICE_AREA, ScopeLevel.INSTITUTION)
    ]


@pytest.fixture
def records(register: Any) -> dict[str, Returnee]:
    return {office: register(office) for office in OFFICES}


@pytest.mark.parametrize(("role", "scope"), _actors())
@pytest.mark.parametrize("office", OFFICES)
def test_read_and_edit_matrix(
    role: str, scope: str, office: str, make_user: Any, records: dict[str, Returnee]
) -> None:
    actor = make_user(role, "momd_baghdad", f"actor.{role}.{scope}", scope=scope)
    target = records[office]
    reads = office in READS.get((role, scope), set())
    api, pages = verified_api_client(actor), verified_client(actor)
    before_audit = AuditEntry.objects.count()
    detail = api.get(f"/api/v1/returnees/{target.uuid}/")
    page = pages.get(f"/returnees/{target.uuid}/")
    if reads:
        assert (detail.status_code, page.status_code) == (200, 200)
        assert detail.json()["case_number"] == target.case_number
        assert (
            AuditEntry.objects.filter(
                action="read", object_id=str(target.uuid), actor_username=actor.username
            ).count()
            == 2
        )
    else:
        assert detail.status_code in (403, 404)
        assert page.status_code == 404
        assert AuditEntry.objects.count() == before_audit
    version = Returnee.objects.get(pk=target.pk).version
    before_audit = AuditEntry.objects.count()
    changed = api.patch(
        f"/api/v1/returnees/{target.uuid}/", {"version": version, "aspirations": "x"}, format="json"
    )
    if (role, scope) in EDITS and reads:
        assert changed.status_code == 200
        assert Returnee.objects.get(pk=target.pk).aspirations == "x"
    else:
        assert changed.status_code in (403, 404)
        assert Returnee.objects.get(pk=target.pk).aspirations == "فتح مشغل خياطة"
        assert AuditEntry.objects.count() == before_audit


@pytest.mark.parametrize(("role", "scope"), _actors())
def test_lists_show_exactly_the_scope(
    role: str, scope: str, make_user: Any, records: dict[str, Returnee]
) -> None:
    actor = make_user(role, "momd_baghdad", f"actor.{role}.{scope}", scope=scope)
    response = verified_api_client(actor).get("/api/v1/returnees/")
    expected = READS.get((role, scope))
    if expected is None:
        assert response.status_code == 403
    else:
        assert sorted(r["case_number"] for r in response.json()["results"]) == sorted(
            records[o].case_number for o in expected
        )


def test_assigned_scope_sees_only_own_cases(make_user: Any, register: Any) -> None:
    mine = register("momd_baghdad")
    other_worker = make_user(Role.CASE_WORKER, "momd_baghdad", "colleague")
    actions.case_reassign(actor=mine.owner, returnee=register("momd_baghdad"), owner=other_worker)
    viewer = mine.owner
    viewer.scope = ScopeLevel.ASSIGNED
    viewer.save()
    response = verified_api_client(viewer).get("/api/v1/returnees/")
    assert [r["case_number"] for r in response.json()["results"]] == [mine.case_number]


def test_sensitive_notes_only_for_those_who_work_with_them(
    make_user: Any, records: dict[str, Returnee]
) -> None:
    target = records["momd_baghdad"]
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "cw")
    steward = make_user(Role.DATA_STEWARD, "momd_baghdad", "ds", scope=ScopeLevel.INSTITUTION)
    assert (
        verified_api_client(worker).get(f"/api/v1/returnees/{target.uuid}/").json()["psychosocial_notes"]
        == "كوابيس منذ العودة"
    )
    hidden = verified_api_client(steward).get(f"/api/v1/returnees/{target.uuid}/").json()
    assert "psychosocial_notes" not in hidden and "health_notes" not in hidden
    assert "كوابيس" not in verified_client(steward).get(f"/returnees/{target.uuid}/").content.decode()
    refused = verified_api_client(steward).patch(
        f"/api/v1/returnees/{target.uuid}/", {"version": 1, "psychosocial_notes": "x"}, format="json"
    )
    assert refused.status_code == 403
    assert Returnee.objects.get(pk=target.pk).psychosocial_notes == "كوابيس منذ العودة"


def test_sharing_follows_consent(make_user: Any, records: dict[str, Returnee], world: Any) -> None:
    target = records["momd_baghdad"]
    molsa_worker = make_user(Role.CASE_WORKER, "molsa_baghdad", "molsa.cw")
    client = verified_api_client(molsa_worker)
    assert client.get(f"/api/v1/returnees/{target.uuid}/").status_code == 404
    consent = actions.consent_record(
        actor=target.owner,
        returnee=target,
        data={
            "purpose": "sharing_institution",
            "granted": True,
            "method": "written",
            "shared_with": world["molsa"],
        },
    )
    shared = client.get(f"/api/v1/returnees/{target.uuid}/")
    assert shared.status_code == 200
    assert "psychosocial_notes" not in shared.json()
    assert (
        client.patch(
            f"/api/v1/returnees/{target.uuid}/",
            {"version": target.version, "aspirations": "y"},
            format="json",
        ).status_code
        == 404
    )
    assert target.case_number in [
        r["case_number"] for r in client.get("/api/v1/returnees/").json()["results"]
    ]
    actions.consent_withdraw(actor=target.owner, consent=consent)
    assert client.get(f"/api/v1/returnees/{target.uuid}/").status_code == 404
    assert client.get("/api/v1/returnees/").json()["count"] == 1  # only MoLSA's own record


def test_sharing_by_kind_of_institution(make_user: Any, records: dict[str, Returnee]) -> None:
    target = records["momd_baghdad"]
    molsa_worker = make_user(Role.CASE_WORKER, "molsa_baghdad", "molsa.cw")
    actions.consent_record(
        actor=target.owner,
        returnee=target,
        data={
            "purpose": "sharing_institution_type",
            "granted": True,
            "method": "verbal",
            "shared_with_type": "ngo",
        },
    )
    assert verified_api_client(molsa_worker).get(f"/api/v1/returnees/{target.uuid}/").status_code == 404
    actions.consent_record(
        actor=target.owner,
        returnee=target,
        data={
            "purpose": "sharing_institution_type",
            "granted": True,
            "method": "verbal",
            "shared_with_type": "ministry",
        },
    )
    assert verified_api_client(molsa_worker).get(f"/api/v1/returnees/{target.uuid}/").status_code == 200


def test_a_later_refusal_overrides_an_agreement(
    make_user: Any, records: dict[str, Returnee], world: Any
) -> None:
    from awda.registry import consents

    target = records["momd_baghdad"]
    data = {"purpose": "sharing_institution", "method": "written", "shared_with": world["molsa"]}
    actions.consent_record(actor=target.owner, returnee=target, data={**data, "granted": True})
    assert consents.sharing_allowed(target, world["molsa"]) is True
    actions.consent_record(actor=target.owner, returnee=target, data={**data, "granted": False})
    assert consents.sharing_allowed(target, world["molsa"]) is False
    molsa_worker = make_user(Role.CASE_WORKER, "molsa_baghdad", "molsa.cw")
    assert verified_api_client(molsa_worker).get(f"/api/v1/returnees/{target.uuid}/").status_code == 404


def test_contact_and_employer_sharing_need_their_own_consent(records: dict[str, Returnee]) -> None:
    from awda.registry import consents

    target = records["momd_baghdad"]
    assert consents.contact_allowed(target) is True
    assert consents.employer_sharing_allowed(target) is False
    follow_up = target.consents.get(purpose="follow_up_contact")
    actions.consent_withdraw(actor=target.owner, consent=follow_up)
    assert consents.contact_allowed(target) is False


def test_withdrawing_registration_closes_the_case(records: dict[str, Returnee]) -> None:
    target = records["momd_baghdad"]
    actions.consent_withdraw(actor=target.owner, consent=target.consents.get(purpose="registration"))
    target.refresh_from_db()
    assert (target.status, target.closure_reason) == ("closed", "no_longer_wants_support")
