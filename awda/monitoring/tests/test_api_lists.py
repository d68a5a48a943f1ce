"""The monitoring API: a person's surveys, recording one, and the alerts a worker may see and close."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from django.utils import timezone

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.models import AuditEntry
from awda.monitoring import actions
from awda.monitoring.models import Alert, InstrumentVersion, SurveyResponse
from awda.registry.models import Returnee
from conftest import verified_api_client

pytestmark = pytest.mark.django_db

GOOD = {"work": "full", "food": "never", "house": "good", "safe": "yes"}
BAD = {"work": "none", "food": "often", "house": "bad", "safe": "no"}


def _surveys(case: Returnee) -> str:
    return f"/api/v1/returnees/{case.uuid}/surveys/"


def _row(response: SurveyResponse) -> dict[str, Any]:
    return {
        "uuid": str(response.uuid),
        "instrument": "test-survey",
        "version": 1,
        "collected_on": response.collected_on.isoformat(),
        "source": response.source,
        "answers": response.answers,
        "economic": response.economic,
        "social": response.social,
        "psychosocial": response.psychosocial,
        "composite": response.composite,
        "answered": response.answered,
    }


def _reads(uuid: Any) -> int:
    return AuditEntry.objects.filter(action="read", object_id=str(uuid)).count()


def _stranger(make_user: Callable[..., User]) -> User:
    return make_user(Role.CASE_WORKER, "momd_erbil", "mon.api.erbil")


def test_the_surveys_of_a_person_newest_first_with_their_scores_and_the_read_on_record(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    # Given two surveys of the person
    older = actions.response_record(
        actor=worker, returnee=case, version=version, answers=GOOD, collected_on=date(2026, 8, 1)
    )
    newer = actions.response_record(
        actor=worker,
        returnee=case,
        version=version,
        answers={"work": "some", "safe": "yes"},
        collected_on=date(2026, 11, 1),
    )
    reads = _reads(case.uuid)

    # When the worker lists them
    listed = verified_api_client(worker).get(_surveys(case))

    # Then both come, newest first, with their scores, and the read of the record is on record
    assert listed.status_code == 200
    assert listed.json() == {
        "count": 2,
        "next": None,
        "previous": None,
        "count_is_exact": True,
        "results": [_row(newer), _row(older)],
    }
    assert listed.json()["results"][1]["composite"] == pytest.approx(0.97)
    assert listed.json()["results"][0]["answered"] == {"economic": 1, "social": 0, "psychosocial": 1}
    assert listed.json()["results"][0]["social"] is None
    assert _reads(case.uuid) == reads + 1


def test_recording_a_survey_through_the_api(worker: User, case: Returnee, version: InstrumentVersion) -> None:
    # When the worker records a survey of the version in use
    created = verified_api_client(worker).post(
        _surveys(case),
        {"instrument": "test-survey", "answers": GOOD, "collected_on": "2026-11-02"},
        format="json",
    )

    # Then it is saved with its scores, as coming from the API
    assert created.status_code == 201
    response = SurveyResponse.objects.get()
    assert created.json() == _row(response)
    assert (response.source, response.collected_by, response.answers) == ("api", worker, GOOD)
    assert response.composite == pytest.approx(0.97)


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"instrument": "test-survey", "answers": {"job": "full"}}, {"answers.job"}),
        ({"instrument": "test-survey", "answers": {"work": "lots", "safe": "yes"}}, {"answers.work"}),
        ({"instrument": "test-survey", "answers": {}}, {"answers"}),
        ({"instrument": "test-survey", "answers": GOOD, "collected_on": "2999-01-01"}, {"collected_on"}),
        ({"instrument": "test-survey", "version": 7, "answers": GOOD}, {"version"}),
        ({"instrument": "no-such-survey", "answers": GOOD}, {"instrument"}),
        ({"answers": GOOD}, {"instrument"}),
    ],
)
def test_refused_answers_say_which_field_and_save_nothing(
    worker: User, case: Returnee, version: InstrumentVersion, body: dict[str, Any], fields: set[str]
) -> None:
    client = verified_api_client(worker)
    before = (SurveyResponse.objects.count(), Alert.objects.count(), AuditEntry.objects.count())
    refused = client.post(_surveys(case), body, format="json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid"
    assert set(refused.json()["error"]["fields"]) == fields
    assert (SurveyResponse.objects.count(), Alert.objects.count(), AuditEntry.objects.count()) == before


def test_a_retired_version_takes_no_new_response(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    InstrumentVersion.objects.filter(pk=version.pk).update(status="retired")
    client = verified_api_client(worker)
    before = (SurveyResponse.objects.count(), AuditEntry.objects.count())
    refused = client.post(
        _surveys(case), {"instrument": "test-survey", "version": 1, "answers": GOOD}, format="json"
    )
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert (error["code"], list(error["fields"])) == ("invalid", ["version"])
    assert error["fields"]["version"][0]["message"] == (
        "This version of the survey is retired; record the answers on the version in use."
    )
    assert (SurveyResponse.objects.count(), AuditEntry.objects.count()) == before


def test_a_person_out_of_scope_or_absent_is_not_found_and_leaves_no_trace(
    worker: User, case: Returnee, version: InstrumentVersion, make_user: Callable[..., User]
) -> None:
    actions.response_record(actor=worker, returnee=case, version=version, answers=GOOD)
    stranger = verified_api_client(_stranger(make_user))
    before = (SurveyResponse.objects.count(), AuditEntry.objects.count())
    for url in (_surveys(case), "/api/v1/returnees/6f1c2a3e-0000-4000-8000-000000000000/surveys/"):
        assert stranger.get(url).status_code == 404
        posted = stranger.post(url, {"instrument": "test-survey", "answers": GOOD}, format="json")
        assert (posted.status_code, posted.json()["error"]["code"]) == (404, "not_found")
    assert (SurveyResponse.objects.count(), AuditEntry.objects.count()) == before


# --------------------------------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------------------------------


def _setback(worker: User, case: Returnee, version: InstrumentVersion) -> None:
    actions.response_record(
        actor=worker, returnee=case, version=version, answers=GOOD, collected_on=date(2026, 8, 1)
    )
    actions.response_record(
        actor=worker, returnee=case, version=version, answers=BAD, collected_on=date(2026, 11, 1)
    )


def _when(moment: datetime | None) -> str | None:
    return None if moment is None else timezone.localtime(moment).isoformat()


def _alert_row(alert: Alert, case: Returnee) -> dict[str, Any]:
    return {
        "uuid": str(alert.uuid),
        "returnee": {"uuid": str(case.uuid), "case_number": case.case_number},
        "rule": alert.rule.code,
        "kind": alert.kind,
        "severity": alert.severity,
        "status": alert.status,
        "details": alert.details,
        "raised_at": _when(alert.raised_at),
        "acknowledged_by": alert.acknowledged_by.username if alert.acknowledged_by else None,
        "acknowledged_at": _when(alert.acknowledged_at),
        "resolved_by": alert.resolved_by.username if alert.resolved_by else None,
        "resolved_at": _when(alert.resolved_at),
        "action_taken": alert.action_taken,
    }


def test_the_alerts_of_the_scope_filtered_by_status_and_person_each_read_on_record(
    worker: User,
    case: Returnee,
    version: InstrumentVersion,
    register: Callable[..., Returnee],
    make_user: Callable[..., User],
) -> None:
    # Given a setback on the worker's case, and an alert on a case in Erbil
    _setback(worker, case, version)
    far = register(office="momd_erbil")
    far.intends_to_migrate_again = "yes"
    far.save(update_fields=["intends_to_migrate_again"])
    actions.warnings_check(returnee=far)
    elsewhere = Alert.objects.get(returnee=far, rule__code="migrate-again")
    drop = Alert.objects.get(rule__code="composite-drop")
    actions.alert_acknowledge(actor=worker, alert=drop)
    client = verified_api_client(worker)

    # When the worker lists the alerts
    listed = client.get("/api/v1/alerts/").json()

    # Then only their case's three come, each read on record
    mine = Alert.objects.filter(returnee=case).order_by("-raised_at", "-id")
    assert listed == {
        "count": 3,
        "next": None,
        "previous": None,
        "count_is_exact": True,
        "results": [_alert_row(a, case) for a in mine],
    }
    assert [_reads(a.uuid) for a in mine] == [1, 1, 1]
    assert _reads(elsewhere.uuid) == 0
    # filtered by status and by person
    acknowledged = client.get("/api/v1/alerts/", {"status": "acknowledged"}).json()
    assert [r["uuid"] for r in acknowledged["results"]] == [str(drop.uuid)]
    assert acknowledged["results"][0]["acknowledged_by"] == "mon.worker"
    opened = client.get("/api/v1/alerts/", {"status": "open", "returnee": str(case.uuid)}).json()
    assert sorted(r["rule"] for r in opened["results"]) == ["economic-low", "psychosocial-low"]
    assert client.get("/api/v1/alerts/", {"returnee": str(far.uuid)}).json()["count"] == 0
    bad = client.get("/api/v1/alerts/", {"status": "closed"})
    assert (bad.status_code, list(bad.json()["error"]["fields"])) == (400, ["status"])
    # and the worker in Erbil sees only theirs
    theirs = verified_api_client(_stranger(make_user)).get("/api/v1/alerts/").json()
    assert {r["uuid"] for r in theirs["results"]} == {str(a.uuid) for a in far.alerts.all()}
    assert str(elsewhere.uuid) in {r["uuid"] for r in theirs["results"]}


def test_acknowledge_then_resolve_through_the_api(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    _setback(worker, case, version)
    alert = Alert.objects.get(rule__code="composite-drop")
    client = verified_api_client(worker)
    url = f"/api/v1/alerts/{alert.uuid}"

    acknowledged = client.post(f"{url}/acknowledge/")
    assert acknowledged.status_code == 200
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    assert acknowledged.json() == _alert_row(alert, case)

    again = client.post(f"{url}/acknowledge/")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "transition_not_allowed")

    before = AuditEntry.objects.count()
    empty = client.post(f"{url}/resolve/", {"action_taken": "  "}, format="json")
    assert (empty.status_code, list(empty.json()["error"]["fields"])) == (400, ["action_taken"])
    alert.refresh_from_db()
    assert (alert.status, AuditEntry.objects.count()) == ("acknowledged", before)

    resolved = client.post(
        f"{url}/resolve/", {"action_taken": "Home visit; referred to training."}, format="json"
    )
    assert resolved.status_code == 200
    alert.refresh_from_db()
    assert (alert.status, alert.resolved_by, alert.action_taken) == (
        "resolved",
        worker,
        "Home visit; referred to training.",
    )
    assert resolved.json() == _alert_row(alert, case)


def test_an_alert_out_of_scope_or_absent_is_not_found_and_nothing_changes(
    worker: User, case: Returnee, version: InstrumentVersion, make_user: Callable[..., User]
) -> None:
    _setback(worker, case, version)
    alert = Alert.objects.get(rule__code="composite-drop")
    stranger = verified_api_client(_stranger(make_user))
    before = AuditEntry.objects.count()
    for key in (alert.uuid, "6f1c2a3e-0000-4000-8000-000000000000"):
        for step, body in (("acknowledge", {}), ("resolve", {"action_taken": "Called her."})):
            refused = stranger.post(f"/api/v1/alerts/{key}/{step}/", body, format="json")
            assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_at, AuditEntry.objects.count()) == ("open", None, before)
