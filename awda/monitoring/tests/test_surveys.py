"""Loading instruments as versions, recording responses with their scores, the scoring API, the form."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.monitoring import actions
from awda.monitoring.models import Instrument, InstrumentVersion, SurveyResponse
from awda.monitoring.tests.test_scoring import small
from awda.registry.models import Returnee
from conftest import verified_api_client, verified_client

pytestmark = pytest.mark.django_db


def test_loading_the_same_file_twice_keeps_one_version_and_a_change_makes_a_second(
    version: InstrumentVersion,
) -> None:
    again, created = actions.instrument_load(definition=small())
    assert (again.pk, created) == (version.pk, False)
    changed = small()
    changed["dimensions"][0]["weight"], changed["dimensions"][1]["weight"] = 0.4, 0.4
    second, created = actions.instrument_load(definition=changed)
    assert (second.number, created) == (2, True)
    numbers = InstrumentVersion.objects.filter(instrument__code="test-survey").values_list(
        "number", flat=True
    )
    assert sorted(numbers) == [1, 2]


def test_a_bad_file_is_refused_whole(db: None) -> None:
    bad = small()
    bad["dimensions"][0]["weight"] = 0.9
    with pytest.raises(Exception) as refused:
        actions.instrument_load(definition=bad)
    assert "dimensions: the weights add up to 1.4, not 1" in str(refused.value)
    assert not Instrument.objects.filter(code="test-survey").exists()
    # only Awda's default instrument, loaded by a migration, is there
    assert list(InstrumentVersion.objects.values_list("instrument__code", "number")) == [
        ("awda-reintegration", 1)
    ]


def test_the_command_loads_lists_and_reports_problems(tmp_path, db: None) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "survey.json"
    good.write_text(json.dumps(small(), ensure_ascii=False), encoding="utf-8")
    out = StringIO()
    call_command("instruments", "load", str(good), stdout=out)
    call_command("instruments", "load", str(good), stdout=out)
    call_command("instruments", "list", stdout=out)
    assert out.getvalue().splitlines() == [
        "Loaded test-survey as version 1.",
        "test-survey is unchanged (version 1).",
        "awda-reintegration v1  published  Reintegration follow-up survey  0 responses",
        "test-survey v1  published  survey  0 responses",
    ]
    bad = tmp_path / "bad.json"
    data = small()
    data["indicators"][0]["weight"] = 0.5
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("instruments", "load", str(bad))
    assert "the weights of the economic dimension add up to 0.75, not 1" in str(refused.value)
    assert InstrumentVersion.objects.filter(instrument__code="test-survey").count() == 1


def test_a_response_keeps_its_version_and_its_scores(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    response = actions.response_record(
        actor=worker,
        returnee=case,
        version=version,
        answers={"work": "some", "food": "never", "house": "bad", "safe": "yes"},
        collected_on=date(2026, 11, 20),
    )
    changed = small()
    changed["dimensions"][0]["weight"], changed["dimensions"][1]["weight"] = 0.4, 0.4
    actions.instrument_load(definition=changed)
    response.refresh_from_db()
    assert response.version == version
    assert (response.economic, response.social, response.psychosocial) == (
        pytest.approx(0.625),
        pytest.approx(0.2),
        1.0,
    )
    assert response.composite == pytest.approx(0.5725)
    assert response.answered == {"economic": 2, "social": 1, "psychosocial": 1}


def test_refused_responses_leave_nothing(
    worker: User, case: Returnee, version: InstrumentVersion, make_user: Callable[..., User]
) -> None:
    with pytest.raises(AwdaError) as outside:
        actions.response_record(actor=worker, returnee=case, version=version, answers={"work": "lots"})
    assert outside.value.fields == {
        "answers.work": ["Not one of the answers to this question: none, some, full, skip."]
    }
    with pytest.raises(AwdaError) as empty:
        actions.response_record(actor=worker, returnee=case, version=version, answers={"safe": "dont_know"})
    assert empty.value.code == "invalid"
    with pytest.raises(AwdaError) as future:
        actions.response_record(
            actor=worker,
            returnee=case,
            version=version,
            answers={"safe": "yes"},
            collected_on=timezone.localdate() + timedelta(days=1),
        )
    assert list(future.value.fields) == ["collected_on"]
    stranger = make_user(Role.CASE_WORKER, "momd_erbil", "mon.erbil")
    with pytest.raises(NotFound):
        actions.response_record(actor=stranger, returnee=case, version=version, answers={"safe": "yes"})
    admin = make_user(Role.ADMINISTRATOR, "momd_baghdad", "mon.admin")
    retired = actions.version_retire(actor=admin, version=version)
    with pytest.raises(Conflict):
        actions.response_record(actor=worker, returnee=case, version=retired, answers={"safe": "yes"})
    with pytest.raises(PermissionDenied):
        actions.version_retire(actor=worker, version=version)
    assert SurveyResponse.objects.count() == 0


def test_the_scoring_api_scores_without_saving(worker: User, version: InstrumentVersion) -> None:
    client = verified_api_client(worker)
    answer = client.post(
        "/api/v1/surveys/score",
        {
            "instrument": "test-survey",
            "version": 1,
            "answers": {"work": "full", "food": "often", "safe": "no"},
        },
        format="json",
    )
    assert answer.status_code == 200
    assert answer.json() == {
        "instrument": "test-survey",
        "version": 1,
        "scores": {
            "economic": 0.75,
            "social": None,
            "psychosocial": 0.0,
            "composite": pytest.approx(0.75 * 0.5 / 0.7),
        },
        "answered": {"economic": 2, "social": 0, "psychosocial": 1},
    }
    bad = client.post(
        "/api/v1/surveys/score",
        {"instrument": "test-survey", "answers": {"work": "lots", "pets": "cat"}},
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["fields"]["answers"] == {
        "work": [
            {"code": "invalid", "message": "Not one of the answers to this question: none, some, full, skip."}
        ],
        "pets": [{"code": "invalid", "message": "There is no such question in this survey."}],
    }
    missing = client.post("/api/v1/surveys/score", {"instrument": "nope", "answers": {}}, format="json")
    assert missing.status_code == 404
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize("language", ["ckb", "ar", "en"])
def test_a_worker_records_a_follow_up_in_their_language_and_sees_the_scores(
    language: str, worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    worker.language = language
    worker.save()
    client = verified_client(worker)
    form = client.get(f"/monitoring/cases/{case.uuid}/surveys/test-survey/new/")
    assert form.status_code == 200
    assert {"ar": "نص work?", "ckb": "دەق work?", "en": "work?"}[language] in form.content.decode()
    posted = client.post(
        f"/monitoring/cases/{case.uuid}/surveys/test-survey/new/",
        {"collected_on": "2026-11-20", "work": "full", "food": "never", "house": "good", "safe": "yes"},
    )
    assert posted.status_code == 302
    response = SurveyResponse.objects.get()
    assert response.composite == pytest.approx(0.5 + 0.3 * 0.9 + 0.2)
    page = client.get(f"/returnees/{case.uuid}/").content.decode()
    assert 'data-testid="latest-scores"' in page
    refused = client.post(f"/monitoring/cases/{case.uuid}/surveys/test-survey/new/", {"work": "lots"})
    assert refused.status_code == 400
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("language", ["ar", "ckb"])
def test_the_default_survey_and_the_scores_read_entirely_in_the_workers_language(
    language: str, worker: User, case: Returnee
) -> None:
    from awda.monitoring.queries import version_in_use
    from awda.portal.tests.untranslated import english_words

    User.objects.update(language=language, first_name="سارا", last_name="أحمد")
    worker.refresh_from_db()
    client = verified_client(worker)
    url = f"/monitoring/cases/{case.uuid}/surveys/awda-reintegration/new/"
    form = client.get(url).content.decode()
    assert f'<html lang="{language}" dir="rtl">' in form
    assert english_words(form, {"AWD"}) == []
    version = version_in_use("awda-reintegration")
    assert version is not None
    first = actions.parsed(version).indicators[0]
    answer = next(o.value for o in first.options if o.score == 1.0)
    assert client.post(url, {"collected_on": "2026-11-20", first.code: answer}).status_code == 302
    page = client.get(f"/returnees/{case.uuid}/").content.decode()
    assert english_words(page, {"AWD", "ERRIN", "ISCED", "USD", "E"}) == []


def test_closing_as_reintegration_achieved_needs_the_scores_or_a_supervisors_reason(
    worker: User, case: Returnee, version: InstrumentVersion, make_user: Callable[..., User]
) -> None:
    from awda.registry.actions import case_set_status

    def close(actor: User, override: str = "") -> None:
        case_set_status(
            actor=actor,
            returnee=case,
            status="closed",
            closure_reason="reintegration_achieved",
            override_reason=override,
        )

    # no survey yet: refused, the case stays open
    with pytest.raises(AwdaError) as refused:
        close(worker)
    assert refused.value.code == "scores_below_threshold"
    # a low score: refused for the worker even with a reason
    actions.response_record(
        actor=worker,
        returnee=case,
        version=version,
        answers={"work": "none", "food": "often", "house": "bad", "safe": "no"},
        collected_on=date(2026, 11, 1),
    )
    with pytest.raises(AwdaError) as low:
        close(worker, "يعمل الآن")
    assert str(low.value) == "The latest composite score is 0.06, below 0.66."
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("open", "")
    # a supervisor closes it with a written reason, kept on the timeline
    supervisor = make_user(Role.SUPERVISOR, "momd_baghdad", "mon.supervisor")
    close(supervisor, "وجد عملًا ثابتًا بعد المسح")
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == ("closed", "reintegration_achieved")
    assert case.events.filter(kind="status_changed").first().data["override"] == "وجد عملًا ثابتًا بعد المسح"  # type: ignore[union-attr]


def test_a_good_score_lets_the_worker_close_the_case(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    from awda.registry.actions import case_set_status

    actions.response_record(
        actor=worker,
        returnee=case,
        version=version,
        answers={"work": "full", "food": "never", "house": "good", "safe": "yes"},
        collected_on=date(2026, 11, 1),
    )
    closed = case_set_status(
        actor=worker, returnee=case, status="closed", closure_reason="reintegration_achieved"
    )
    assert closed.status == "closed"
