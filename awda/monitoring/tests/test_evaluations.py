# ruff: noqa: F811  (the referrals app's fixtures are imported by name, as pytest finds them)
"""The returnee's satisfaction with a completed referral, and the providers' performance page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from awda.catalogue.models import Service
from awda.core.errors import AwdaError, Conflict, NotFound
from awda.monitoring import actions, queries
from awda.monitoring.models import ServiceEvaluation
from awda.referrals import actions as referral_actions
from awda.referrals.models import Referral
from awda.referrals.tests.conftest import actors, case, ngo, services  # noqa: F401  (fixtures)
from awda.registry.models import Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _completed(case: Returnee, services: dict[str, Service], actors: dict[str, Any]) -> Referral:
    referral = referral_actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        consent_method="verbal",
    )
    referral_actions.referral_accept(actor=actors["ngo"], referral=referral)
    referral.refresh_from_db()
    return referral_actions.referral_complete(
        actor=actors["ngo"], referral=referral, outcome="need_met", service_delivered="بطاقة وطنية"
    )


def test_an_evaluation_is_recorded_once_for_a_completed_referral(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    referral = _completed(case, services, actors)
    with pytest.raises(AwdaError) as bad:
        actions.evaluation_record(actor=actors["worker"], referral=referral, satisfaction=6, helped="maybe")
    assert sorted(bad.value.fields) == ["helped", "satisfaction"]
    with pytest.raises(NotFound):
        actions.evaluation_record(actor=actors["ngo"], referral=referral, satisfaction=5, helped="yes")
    evaluation = actions.evaluation_record(actor=actors["worker"], referral=referral, satisfaction=4, helped="partly",
                                           comment="طال الانتظار")  # fmt: skip
    assert (evaluation.satisfaction, evaluation.helped, evaluation.recorded_by) == (
        4,
        "partly",
        actors["worker"],
    )
    with pytest.raises(Conflict):
        actions.evaluation_record(actor=actors["worker"], referral=referral, satisfaction=5, helped="yes")
    assert ServiceEvaluation.objects.count() == 1


def test_a_referral_not_completed_cannot_be_evaluated(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    referral = referral_actions.referral_make(
        actor=actors["worker"],
        returnee=case,
        service=services["ngo_docs"],
        need_category="documentation",
        consent_method="verbal",
    )
    with pytest.raises(Conflict):
        actions.evaluation_record(actor=actors["worker"], referral=referral, satisfaction=3, helped="no")
    assert ServiceEvaluation.objects.count() == 0


def test_provider_performance_hides_satisfaction_under_five_evaluations(
    case: Returnee, services: dict[str, Service], actors: dict[str, Any]
) -> None:
    referral = _completed(case, services, actors)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=timezone.now() - timedelta(days=3), accepted_at=timezone.now() - timedelta(days=1)
    )
    actions.evaluation_record(actor=actors["worker"], referral=referral, satisfaction=5, helped="yes")
    [row] = queries.provider_performance(Referral.objects.all())
    assert (row["received"], row["days_to_accept"], row["completion_rate"], row["needs_met"]) == (
        1,
        2.0,
        1.0,
        1.0,
    )
    assert (row["evaluations"], row["satisfaction"], row["helped"]) == (1, None, None)
    page = verified_client(actors["analyst"]).get("/monitoring/providers/").content.decode()
    assert page.count('data-testid="provider-row"') == 1
    assert 'data-testid="satisfaction">—</td>' in page
    assert verified_client(actors["employer"]).get("/monitoring/providers/").status_code == 404
