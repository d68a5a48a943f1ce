"""The referral and plan pages as people use them: a MoMD worker refers, the NGO answers, the plan follows;
every page in Arabic, Kurdish and English, right-to-left where it should be, with no English left."""

from __future__ import annotations

from typing import Any

import pytest

from awda.accounts.models import User
from awda.catalogue.models import Service
from awda.portal.tests.untranslated import english_words
from awda.referrals import actions
from awda.referrals.models import PlanAction, Referral, ReferralTransition
from awda.registry.enums import NeedCategory
from awda.registry.models import Consent, Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db
ALLOWED = {"AWD", "ERRIN", "E", "API", "ISCED", "USD"}


def _check(html: str, language: str, url: str) -> None:
    direction = "ltr" if language == "en" else "rtl"
    assert f'<html lang="{language}" dir="{direction}">' in html, url
    if language != "en":
        assert english_words(html, ALLOWED) == [], url


def test_a_worker_refers_the_ngo_answers_and_the_plan_shows_the_action_done(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    worker, ngo = verified_client(actors["worker"]), verified_client(actors["ngo"])
    service = services["ngo_docs"]
    Returnee.objects.filter(pk=case.pk).update(health_notes="سكري مزمن", psychosocial_notes="كوابيس متكررة")

    # Given the case page, the worker sees the panel and the ranked services for the documentation need
    page = worker.get(f"/returnees/{case.uuid}/")
    assert 'data-testid="referrals-panel"' in page.content.decode()
    suggestions = worker.get(f"/referrals/cases/{case.uuid}/refer/?need=documentation")
    html = suggestions.content.decode()
    assert html.count('data-testid="suggestion"') == 2
    assert html.index(f'value="{services["ngo_docs"].uuid}"') < html.index(
        f'value="{services["ngo_docs_2"].uuid}"'
    )

    # When they send without recording consent, nothing is sent and the page says why
    refused = worker.post(
        f"/referrals/cases/{case.uuid}/refer/?need=documentation",
        {
            "need": "documentation",
            "service": str(service.uuid),
            "shared_fields": ["identity", "contact", "needs"],
            "consent_method": "",
            "submit": "send",
        },
    )
    assert refused.status_code == 200
    assert Referral.objects.count() == 0
    assert not Consent.objects.filter(returnee=case, purpose="sharing_institution").exists()
    assert '<ul class="errorlist" role="alert"><li>' in refused.content.decode()

    # When they record the person's verbal consent and send
    sent = worker.post(
        f"/referrals/cases/{case.uuid}/refer/?need=documentation",
        {
            "need": "documentation",
            "service": str(service.uuid),
            "shared_fields": ["identity", "contact", "needs"],
            "consent_method": "verbal",
            "note": "يرجى الاتصال صباحًا",
            "submit": "send",
        },
    )
    referral = Referral.objects.get()
    assert sent.status_code == 302 and sent["Location"] == f"/referrals/{referral.uuid}/"
    assert referral.status == "sent"
    consent = Consent.objects.get(returnee=case, purpose="sharing_institution")
    assert (consent.whole_record, consent.fields) == (False, ["contact", "identity", "needs"])

    # The worker adds it to a plan
    plan = actions.plan_create(actor=actors["worker"], returnee=case)
    goal = actions.plan_goal_add(
        actor=actors["worker"],
        plan=plan,
        dimension="social",
        horizon="6m",
        text="استخراج البطاقة الوطنية",
        need_category="documentation",
    )
    added = worker.post(
        f"/referrals/plans/{plan.uuid}/action/",
        {"action-goal": goal.pk, "action-text": "مساعدة في البطاقة", "action-referral": str(referral.uuid)},
    )
    assert added.status_code == 302
    assert PlanAction.objects.get().referral == referral

    # Then the NGO finds it in its inbox and sees only the consented parts
    inbox = ngo.get("/referrals/inbox/").content.decode()
    assert case.full_name in inbox
    detail = ngo.get(f"/referrals/{referral.uuid}/").content.decode()
    assert case.full_name in detail
    assert case.phones.first().number in detail  # type: ignore[union-attr]
    assert 'data-testid="shared-record"' in detail
    assert "سكري مزمن" not in detail and "كوابيس متكررة" not in detail
    assert case.mother_name not in detail
    assert f"/returnees/{case.uuid}/" not in detail

    # The NGO accepts and records the service delivered
    accepted = ngo.post(
        f"/referrals/{referral.uuid}/accept/", {"accept-version": referral.version, "accept-note": ""}
    )
    assert accepted.status_code == 302
    referral.refresh_from_db()
    done = ngo.post(
        f"/referrals/{referral.uuid}/complete/",
        {
            "complete-version": referral.version,
            "complete-outcome": "need_met",
            "complete-service_delivered": "صدرت البطاقة الوطنية",
            "complete-delivered_on": "",
        },
    )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.outcome == "need_met"
    assert [t.to_status for t in ReferralTransition.objects.filter(referral=referral)] == [
        "draft",
        "sent",
        "accepted",
        "completed",
    ]

    # And the plan shows the action done
    plan_page = worker.get(f"/referrals/plans/{plan.uuid}/").content.decode()
    action = PlanAction.objects.get()
    assert (action.status, action.done_on) == ("done", referral.delivered_on)
    assert f'data-testid="plan-action-status">{action.get_status_display()}</span>' in plan_page


def test_a_stale_answer_changes_nothing(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    referral = actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        consent_method="verbal",
    )
    ngo = verified_client(actors["ngo"])
    actions.referral_decline(actor=actors["ngo_colleague"], referral=referral, reason="no_capacity")
    late = ngo.post(
        f"/referrals/{referral.uuid}/accept/", {"accept-version": referral.version, "accept-note": ""}
    )
    assert late.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "declined"
    assert ReferralTransition.objects.filter(referral=referral).count() == 3


def test_other_institutions_get_not_found(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    referral = actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        consent_method="verbal",
    )
    for name in ("molsa_worker", "employer", "analyst", "other_worker"):
        response = verified_client(actors[name]).get(f"/referrals/{referral.uuid}/")
        assert response.status_code == 404, name


@pytest.mark.parametrize("language", ["ar", "ckb", "en"])
def test_pages_in_three_languages(
    language: str, case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    User.objects.update(language=language, first_name="سارا", last_name="أحمد")
    for user in actors.values():
        user.refresh_from_db()
    referral = actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        consent_method="verbal",
    )
    plan = actions.plan_create(actor=actors["worker"], returnee=case)
    actions.plan_goal_add(
        actor=actors["worker"], plan=plan, dimension="economic", horizon="2y", text="عمل ثابت"
    )
    actions.plan_submit(actor=actors["worker"], plan=plan)
    pages = [
        (actors["worker"], f"/returnees/{case.uuid}/"),
        (actors["worker"], f"/referrals/cases/{case.uuid}/needs/"),
        (actors["worker"], f"/referrals/cases/{case.uuid}/refer/?need=documentation"),
        (actors["worker"], f"/referrals/cases/{case.uuid}/refer/?need=employment"),
        (actors["worker"], f"/referrals/cases/{case.uuid}/transfer/"),
        (actors["worker"], f"/referrals/{referral.uuid}/"),
        (actors["worker"], "/referrals/sent/"),
        (actors["worker"], f"/referrals/plans/{plan.uuid}/"),
        (actors["worker"], f"/referrals/plans/{plan.uuid}/print/?language={language}"),
        (actors["supervisor"], "/referrals/plans/approvals/"),
        (actors["supervisor"], f"/referrals/plans/{plan.uuid}/"),
        (actors["supervisor"], "/referrals/statistics/"),
        (actors["ngo"], "/referrals/inbox/"),
        (actors["ngo"], f"/referrals/{referral.uuid}/"),
        (actors["ngo"], "/referrals/statistics/"),
        (actors["analyst"], "/referrals/statistics/"),
        (actors["worker"], "/notifications/"),
        (actors["ngo"], "/notifications/"),
    ]
    for user, url in pages:
        response = verified_client(user).get(url)
        assert response.status_code == 200, url
        _check(response.content.decode(), language, url)


def test_the_forms_on_the_case_page_carry_their_csrf_token(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    """The panel is rendered by another app: its forms must still pass Django's CSRF check."""
    import re

    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(actors["worker"])
    html = client.get(f"/returnees/{case.uuid}/").content.decode()
    panel = html[html.index('data-testid="referrals-panel"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', panel)
    assert token is not None
    response = client.post(f"/referrals/cases/{case.uuid}/plan/", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert case.plans.count() == 1


def test_the_needs_assessment_records_priority_and_urgency(case: Returnee, actors: dict[str, Any]) -> None:
    form = {
        **{f"{c}_priority": "medium" for c in NeedCategory.values},
        **{f"{c}_urgency": "routine" for c in NeedCategory.values},
        "housing_state": "need",
        "housing_priority": "high",
        "housing_urgency": "immediate",
        "housing_description": "البيت مهدّم",
        "education_state": "interest",
    }
    response = verified_client(actors["worker"]).post(f"/referrals/cases/{case.uuid}/needs/", form)
    assert response.status_code == 302
    needs = sorted(case.needs.values_list("category", "priority", "urgency", "is_interest", "description"))
    assert needs == [
        ("education", "medium", "routine", True, ""),
        ("housing", "high", "immediate", False, "البيت مهدّم"),
    ]
    assert case.events.filter(kind="needs_assessed").count() == 1
