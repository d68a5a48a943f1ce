"""The referrals and plans API: a MoMD worker refers Zainab to an NGO, which sees only what she agreed to share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.catalogue.models import Service
from awda.referrals.models import Referral, ReintegrationPlan
from awda.registry.models import Consent, Returnee
from conftest import verified_api_client

pytestmark = pytest.mark.django_db

REFERRALS = "/api/v1/referrals/"


def _refer(client: APIClient, case: Returnee, to: Service, **overrides: Any) -> Any:
    body = {
        "returnee": str(case.uuid),
        "service": str(to.uuid),
        "need_category": "documentation",
        "shared_fields": ["identity", "contact", "needs"],
        "note": "Lost her national card on the way back.",
        "consent_method": "verbal",
        **overrides,
    }
    return client.post(REFERRALS, body, format="json")


def _step(client: APIClient, uuid: str, step: str, **body: Any) -> Any:
    return client.post(f"{REFERRALS}{uuid}/{step}/", body, format="json")


def _fields(response: Any) -> set[str]:
    return set(response.json()["error"]["fields"])


def test_worker_refers_to_the_ngo_which_sees_only_the_consented_parts_and_serves(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    # Given the worker refers Zainab to Al-Amal's documentation help, recording her verbal consent now
    worker = verified_api_client(actors["worker"])
    created = _refer(worker, case, services["ngo_docs"])
    assert created.status_code == 201
    sent = created.json()
    assert (sent["status"], sent["version"], sent["kind"], sent["sides"]) == (
        "sent",
        2,
        "service",
        ["sender"],
    )
    assert sent["shared_fields"] == ["contact", "identity", "needs"]
    assert (sent["suggestion_rank"], sent["override_reason"]) == (1, "")
    assert sent["person"] == {"uuid": str(case.uuid), "case_number": case.case_number}
    assert sent["allowed_steps"] == ["revoke"]
    assert sent["organisation"]["code"] == "amal"
    consent = Consent.objects.get(returnee=case, purpose="sharing_institution")
    assert (consent.shared_with.code, consent.method, sorted(consent.fields)) == (
        "amal",
        "verbal",
        ["contact", "identity", "needs"],
    )

    # When the NGO lists what it received
    ngo = verified_api_client(actors["ngo"])
    inbox = ngo.get(REFERRALS, {"side": "received"}).json()

    # Then the row carries only the consented parts of the person
    assert inbox["count"] == 1
    row = inbox["results"][0]
    assert (row["uuid"], row["status"], row["sides"]) == (sent["uuid"], "sent", ["receiver"])
    assert set(row["person"]) == {"case_number", "identity", "contact", "needs"}
    assert row["person"]["identity"]["full_name_latin"] == case.full_name_latin
    assert row["person"]["contact"]["phones"] == [p.number for p in case.phones.all()]
    assert [n["category"] for n in row["person"]["needs"]] == ["documentation", "employment"]

    # And so does the detail, with the steps the receiver may take; health, psychosocial notes and
    # documents never leave the registry
    detail = ngo.get(f"{REFERRALS}{sent['uuid']}/")
    assert detail.status_code == 200
    body = detail.json()
    assert set(body["person"]) == {"case_number", "identity", "contact", "needs"}
    assert {"health", "psychosocial", "documents", "household"}.isdisjoint(body["person"])
    assert "كوابيس" not in detail.content.decode()
    assert (body["parts"], body["shared_fields"], body["override_reason"]) == (
        ["contact", "identity", "needs"],
        None,
        None,
    )
    assert body["allowed_steps"] == ["accept", "decline"]

    # When the NGO accepts, then completes
    accepted = _step(ngo, sent["uuid"], "accept", version=2, note="We call her tomorrow.")
    assert accepted.status_code == 200
    assert (accepted.json()["status"], accepted.json()["version"], accepted.json()["assigned_to"]) == (
        "accepted",
        3,
        "ref.ngo",
    )
    assert accepted.json()["allowed_steps"] == ["start", "complete", "not-complete", "follow-up"]
    today = timezone.localdate()
    completed = _step(
        ngo,
        sent["uuid"],
        "complete",
        version=3,
        outcome="need_met",
        service_delivered="Replacement national card issued",
        delivered_on=today.isoformat(),
    )
    assert completed.status_code == 200
    assert (completed.json()["status"], completed.json()["allowed_steps"]) == ("completed", ["follow-up"])

    # Then the sender sees it completed, with its whole log
    seen = worker.get(f"{REFERRALS}{sent['uuid']}/").json()
    assert (seen["status"], seen["outcome"], seen["service_delivered"], seen["delivered_on"]) == (
        "completed",
        "need_met",
        "Replacement national card issued",
        today.isoformat(),
    )
    assert seen["allowed_steps"] == []
    assert [(t["from_status"], t["to_status"], t["actor"]) for t in seen["transitions"]] == [
        ("", "draft", "ref.worker"),
        ("draft", "sent", "ref.worker"),
        ("sent", "accepted", "ref.ngo"),
        ("accepted", "completed", "ref.ngo"),
    ]
    assert seen["transitions"][2]["note"] == "We call her tomorrow."
    sent_list = worker.get(REFERRALS, {"side": "sent", "status": "completed"}).json()
    assert [(r["uuid"], r["person"]) for r in sent_list["results"]] == [
        (sent["uuid"], {"uuid": str(case.uuid), "case_number": case.case_number})
    ]
    assert worker.get(REFERRALS, {"status": "open"}).json()["count"] == 0


def test_a_referral_without_consent_is_refused_and_leaves_nothing(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    # Given no consent is in force for Al-Amal, when the worker refers and sends without recording one
    worker = verified_api_client(actors["worker"])
    response = _refer(worker, case, services["ngo_docs"], consent_method="")

    # Then the answer names the consent, and no referral (not even a draft) was made
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], set(error["fields"])) == ("no_consent", {"consent"})
    assert error["fields"]["consent"][0]["message"] == (
        "The person has not agreed to share this with Al-Amal Association: Phone numbers and address, "
        "Name, sex and age, Needs. Record their consent first."
    )
    assert Referral.objects.count() == 0
    assert not Consent.objects.filter(returnee=case, purpose="sharing_institution").exists()


def test_unknown_needs_and_parts_are_field_errors(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    worker = verified_api_client(actors["worker"])
    # An unknown need on a referral: checked by the action, which names the field
    unknown_need = _refer(worker, case, services["ngo_docs"], need_category="flying")
    assert (unknown_need.status_code, _fields(unknown_need)) == (400, {"need_category"})
    # An unknown part of the record
    unknown_part = _refer(worker, case, services["ngo_docs"], shared_fields=["identity", "bank_account"])
    assert (unknown_part.status_code, _fields(unknown_part)) == (400, {"shared_fields"})
    # A service that does not exist
    no_service = _refer(worker, case, services["ngo_docs"], service="00000000-0000-0000-0000-000000000000")
    assert (no_service.status_code, _fields(no_service)) == (400, {"service"})
    # Suggestions for an unknown or a missing need
    url = f"/api/v1/returnees/{case.uuid}/suggestions/"
    flying = worker.get(url, {"need": "flying"})
    missing = worker.get(url)
    assert (flying.status_code, _fields(flying)) == (400, {"need"})
    assert (missing.status_code, missing.json()["error"]["fields"]["need"][0]["code"]) == (400, "required")
    assert Referral.objects.count() == 0
    assert Consent.objects.filter(returnee=case, purpose="sharing_institution").count() == 0


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    # Given a referral sent (version 2)
    uuid = _refer(verified_api_client(actors["worker"]), case, services["ngo_docs"]).json()["uuid"]

    # When the NGO answers with the version of the draft
    ngo = verified_api_client(actors["ngo"])
    response = _step(ngo, uuid, "accept", version=1)

    # Then 409, and the referral is as it was
    assert (response.status_code, response.json()["error"]["code"]) == (409, "stale")
    referral = Referral.objects.get(uuid=uuid)
    assert (referral.status, referral.version, referral.accepted_at, referral.assigned_to) == (
        "sent",
        2,
        None,
        None,
    )
    assert referral.transitions.count() == 2
    services["ngo_docs"].refresh_from_db()
    assert services["ngo_docs"].current_load == 0  # no place of the service was taken
    assert _step(ngo, uuid, "follow-up", version=1, follow_up_on=None).status_code == 409


def test_a_revoked_referral_cannot_be_answered(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    # Given the worker revoked a referral sent to Al-Amal
    worker = verified_api_client(actors["worker"])
    uuid = _refer(worker, case, services["ngo_docs"]).json()["uuid"]
    assert _step(worker, uuid, "revoke", version=2).status_code == 400  # a reason is required
    revoked = _step(worker, uuid, "revoke", version=2, note="She moved to Erbil.")
    assert (revoked.status_code, revoked.json()["status"], revoked.json()["version"]) == (200, "revoked", 3)

    # When the NGO accepts, declines or completes it with the current version
    ngo = verified_api_client(actors["ngo"])
    answers = [
        _step(ngo, uuid, "accept", version=3),
        _step(ngo, uuid, "decline", version=3, reason="no_capacity"),
        _step(ngo, uuid, "complete", version=3, outcome="need_met", service_delivered="Card"),
    ]

    # Then each is a conflict and the referral stays revoked
    assert [(a.status_code, a.json()["error"]["code"]) for a in answers] == [
        (409, "transition_not_allowed")
    ] * 3
    assert answers[0].json()["error"]["message"] == (
        "This referral is closed (Revoked); it can no longer change."
    )
    referral = Referral.objects.get(uuid=uuid)
    assert (referral.status, referral.version, referral.decline_reason, referral.outcome) == (
        "revoked",
        3,
        "",
        "",
    )
    assert ngo.get(f"{REFERRALS}{uuid}/").json()["allowed_steps"] == []


@pytest.mark.parametrize("who", ["employer", "analyst", "molsa_provider", "other_worker"])
def test_outsiders_find_nothing_and_change_nothing(
    who: str,
    actors: dict[str, User],
    services: dict[str, Service],
    case: Returnee,
    make_user: Callable[..., User],
) -> None:
    # Given a referral sent to Al-Amal
    uuid = _refer(verified_api_client(actors["worker"]), case, services["ngo_docs"]).json()["uuid"]
    users = {
        "employer": actors["employer"],
        "analyst": actors["analyst"],
        "molsa_provider": make_user(Role.SERVICE_PROVIDER, "molsa_baghdad", "molsa.provider"),
        "other_worker": actors["other_worker"],
    }
    client = verified_api_client(users[who])

    # Then someone who is neither its sender's unit nor its receiver gets "not found" and empty lists
    detail = client.get(f"{REFERRALS}{uuid}/")
    assert (detail.status_code, detail.json()["error"]["code"]) == (404, "not_found")
    assert _step(client, uuid, "accept", version=2).status_code == 404
    assert _step(client, uuid, "revoke", version=2, note="Not mine.").status_code == 404
    for side in ("", "sent", "received"):
        listed = client.get(REFERRALS, {"side": side} if side else {})
        assert (listed.status_code, listed.json()["count"], listed.json()["results"]) == (200, 0, [])
    assert client.get("/api/v1/plans/").json()["count"] == 0
    referral = Referral.objects.get(uuid=uuid)
    assert (referral.status, referral.version) == ("sent", 2)


def test_suggestions_come_best_first_with_their_reasons(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    worker = verified_api_client(actors["worker"])
    response = worker.get(f"/api/v1/returnees/{case.uuid}/suggestions/", {"need": "documentation"})
    assert response.status_code == 200
    suggestions = response.json()
    assert [(s["service"], s["rank"], s["places_left"]) for s in suggestions] == [
        (str(services["ngo_docs"].uuid), 1, 10),
        (str(services["ngo_docs_2"].uuid), 2, 1),
    ]
    first = suggestions[0]
    assert first["score"] > suggestions[1]["score"]
    assert (first["organisation"]["code"], first["name_en"]) == ("amal", services["ngo_docs"].name_en)
    assert first["parts"]["place"] == 1.0
    assert first["reasons"][0] == {
        "ar": "تقدَّم في قضاء الشخص نفسه",
        "ckb": "لە هەمان قەزای کەسەکە پێشکەش دەکرێت",
        "en": "offered in the person's own district",
    }
    assert first["reasons"][1]["en"] == "10 of 10 places left this month"
    # Someone who cannot change the case gets no suggestions for it
    ngo = verified_api_client(actors["ngo"])
    assert (
        ngo.get(f"/api/v1/returnees/{case.uuid}/suggestions/", {"need": "documentation"}).status_code == 404
    )


def test_a_draft_transfer_is_sent_only_with_consent(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    worker = verified_api_client(actors["worker"])
    molsa = actors["molsa_worker"].institution
    body = {"returnee": str(case.uuid), "institution": str(molsa.uuid), "note": "She lives near MoLSA."}
    # Sent at once without a consent to share the whole record: refused, nothing left behind
    refused = worker.post(f"{REFERRALS}transfers/", body, format="json")
    assert (refused.status_code, _fields(refused)) == (400, {"consent"})
    assert Referral.objects.count() == 0
    # As a draft, it waits for the consent
    draft = worker.post(f"{REFERRALS}transfers/", {**body, "send": False}, format="json")
    assert draft.status_code == 201
    assert (draft.json()["kind"], draft.json()["status"], draft.json()["service"]) == (
        "transfer",
        "draft",
        None,
    )
    assert draft.json()["allowed_steps"] == ["send", "revoke"]
    still = _step(worker, draft.json()["uuid"], "send", version=1)
    assert (still.status_code, _fields(still)) == (400, {"consent"})
    assert Referral.objects.get().status == "draft"
    # MoLSA never sees a draft
    molsa_client = verified_api_client(actors["molsa_worker"])
    assert molsa_client.get(f"{REFERRALS}{draft.json()['uuid']}/").status_code == 404


def test_plan_is_submitted_approved_by_a_second_supervisor_and_agreed(
    actors: dict[str, User], services: dict[str, Service], case: Returnee
) -> None:
    # Given a supervisor writes Zainab's plan with a goal and an action carried by a referral
    author = verified_api_client(actors["supervisor"])
    created = author.post("/api/v1/plans/", {"returnee": str(case.uuid)}, format="json")
    assert created.status_code == 201
    plan = created.json()
    assert (plan["status"], plan["returnee"]["case_number"], plan["goals"]) == ("draft", case.case_number, [])
    url = f"/api/v1/plans/{plan['uuid']}/"
    goal = author.post(
        f"{url}goals/",
        {
            "dimension": "social",
            "horizon": "6m",
            "text": "Get a national card",
            "need_category": "documentation",
        },
        format="json",
    )
    assert goal.status_code == 201
    referral = _refer(verified_api_client(actors["worker"]), case, services["ngo_docs"]).json()["uuid"]
    action = author.post(
        f"{url}actions/",
        {"goal": goal.json()["id"], "text": "Documentation help at Al-Amal", "referral": referral},
        format="json",
    )
    assert action.status_code == 201
    assert (action.json()["status"], action.json()["referral"]) == (
        "planned",
        {"uuid": referral, "status": "sent"},
    )
    wrong_goal = author.post(f"{url}actions/", {"goal": 999999, "text": "x"}, format="json")
    assert (wrong_goal.status_code, _fields(wrong_goal)) == (400, {"goal"})

    # When it is submitted, the author's own approval is refused
    submitted = author.post(f"{url}submit/", format="json")
    assert (submitted.status_code, submitted.json()["status"]) == (200, "submitted")
    own = author.post(f"{url}approve/", {}, format="json")
    assert (own.status_code, own.json()["error"]["message"]) == (
        403,
        "Another supervisor must approve a plan you wrote or submitted.",
    )
    assert ReintegrationPlan.objects.get(uuid=plan["uuid"]).status == "submitted"

    # Then a second supervisor approves and the worker records Zainab's agreement
    approved = verified_api_client(actors["second_supervisor"]).post(
        f"{url}approve/", {"note": "Good."}, format="json"
    )
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["approval"]["approved_by"]) == (
        "approved",
        "ref.supervisor2",
    )
    agreed = verified_api_client(actors["worker"]).post(f"{url}agree/", {"method": "verbal"}, format="json")
    assert agreed.status_code == 200
    body = agreed.json()
    assert (body["status"], body["agreement"]["method"], body["agreement"]["recorded_by"]) == (
        "approved",
        "verbal",
        "ref.worker",
    )
    assert [(e["kind"], e["actor"]) for e in body["events"]] == [
        ("created", "ref.supervisor"),
        ("submitted", "ref.supervisor"),
        ("approved", "ref.supervisor2"),
        ("agreed", "ref.worker"),
    ]
    [goal_out] = body["goals"]
    assert (goal_out["text"], goal_out["horizon"], [a["text"] for a in goal_out["actions"]]) == (
        "Get a national card",
        "6m",
        ["Documentation help at Al-Amal"],
    )
    listed = author.get("/api/v1/plans/", {"returnee": str(case.uuid)}).json()
    assert [(p["uuid"], p["status"]) for p in listed["results"]] == [(plan["uuid"], "approved")]
    # The NGO serving the referral does not see the plan
    assert verified_api_client(actors["ngo"]).get(url).status_code == 404
