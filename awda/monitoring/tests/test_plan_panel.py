"""The plan page shows the returnee's score chart and each dimension's latest score beside its goals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.models import AuditEntry
from awda.monitoring import actions
from awda.monitoring.models import InstrumentVersion, SurveyResponse
from awda.monitoring.panels import plan_scores_panel
from awda.referrals import actions as referral_actions
from awda.referrals.enums import Dimension, Horizon
from awda.referrals.models import ReintegrationPlan
from awda.registry.models import Returnee
from awda.registry.tests.conftest import registration
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _plan(worker: User, returnee: Returnee) -> ReintegrationPlan:
    plan = referral_actions.plan_create(actor=worker, returnee=returnee)
    for dimension, text in (
        (Dimension.ECONOMIC, "Find steady paid work"),
        (Dimension.ECONOMIC, "Start a small project"),
        (Dimension.SOCIAL, "Live in safe housing"),
    ):
        referral_actions.plan_goal_add(
            actor=worker, plan=plan, dimension=dimension, horizon=Horizon.SIX_MONTHS, text=text
        )
    return plan


def test_the_plan_page_shows_the_chart_and_the_latest_score_of_each_dimension_beside_its_goals(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    # given two surveys: the later leaves the psychosocial question unscored ("dont_know")
    today = timezone.localdate()
    first = actions.response_record(actor=worker, returnee=case, version=version, collected_on=today - timedelta(days=10),
                                    answers={"work": "none", "food": "often", "house": "bad", "safe": "yes"})  # fmt: skip
    second = actions.response_record(actor=worker, returnee=case, version=version, collected_on=today - timedelta(days=2),
                                     answers={"work": "full", "food": "never", "house": "good", "safe": "dont_know"})  # fmt: skip
    assert (second.economic, second.social, second.psychosocial) == (1.0, pytest.approx(0.9), None)
    plan = _plan(worker, case)
    # when the case worker opens the plan
    html = verified_client(worker).get(f"/referrals/plans/{plan.uuid}/").content.decode()
    # then the chart is there, a line for each dimension with a score (psychosocial: one point only)
    assert html.count('data-testid="score-chart"') == 1
    assert html.count("<polyline ") == 3
    assert '<polyline fill="none" stroke="#0b6e4f" stroke-width="2" points="10.0,110.0 310.0,10.0"/>' in html
    # and each dimension's latest score, with its goals beside it
    assert '<span data-testid="latest-economic">1.00</span>' in html
    assert '<span data-testid="latest-social">0.90</span>' in html
    # the psychosocial score is the earlier survey's, the later one did not score it
    assert '<span data-testid="latest-psychosocial">1.00</span>' in html
    assert f'<span class="help">{first.collected_on:%Y-%m-%d}</span>' in html
    economic_row = html.split('data-testid="dimension-economic"')[1].split("</tr>")[0]
    assert "Find steady paid work" in economic_row and "Start a small project" in economic_row
    assert "Live in safe housing" not in economic_row
    # and reading the scores is audited, one row per survey shown
    reads = AuditEntry.objects.filter(
        actor_id=worker.pk, action="read", object_type="monitoring.surveyresponse"
    )
    assert sorted(reads.values_list("object_id", flat=True)) == sorted([str(first.uuid), str(second.uuid)])


def test_no_scores_on_the_plan_of_a_returnee_without_surveys(
    worker: User, register: Callable[..., Returnee], version: InstrumentVersion
) -> None:
    returnee = register(record=registration()["record"])
    plan = _plan(worker, returnee)
    html = verified_client(worker).get(f"/referrals/plans/{plan.uuid}/").content.decode()
    assert 'data-testid="goal"' in html
    assert 'data-testid="plan-scores"' not in html
    assert 'data-testid="score-chart"' not in html
    assert not AuditEntry.objects.filter(object_type="monitoring.surveyresponse", action="read").exists()


def test_who_may_not_edit_the_record_sees_no_scores_and_leaves_no_trace(
    worker: User, case: Returnee, version: InstrumentVersion, make_user: Callable[..., User]
) -> None:
    actions.response_record(actor=worker, returnee=case, version=version, answers={"work": "full"})
    plan = _plan(worker, case)
    for outsider in (
        make_user(Role.CASE_WORKER, "momd_erbil", "plan.erbil"),
        make_user(Role.ANALYST, "momd_baghdad", "plan.analyst"),
    ):
        assert plan_scores_panel(outsider, plan) == ""
    assert not AuditEntry.objects.filter(object_type="monitoring.surveyresponse", action="read").exists()
    assert SurveyResponse.objects.count() == 1
