"""The demo follow-up surveys: at 3, 6 and 12 months as far as they are past, progress for most, a setback
with its alerts for every fourth person surveyed at 12 months, on the plan page too; a second run adds nothing."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from awda.accounts.models import User
from awda.monitoring import demo
from awda.monitoring.models import Alert, SurveyResponse
from awda.referrals.models import ReintegrationPlan
from conftest import verified_client

SETBACK_RULES = {"job-lost", "economic-low", "composite-drop"}


@pytest.mark.django_db
def test_the_demo_surveys_show_progress_and_a_few_setbacks_and_run_once(
    settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path
    out = StringIO()
    call_command("demo", "--no-exchange", stdout=out)

    worker = User.objects.get(username="caseworker")
    today = timezone.localdate()
    people = demo._people(worker, today)
    assert len(people) == demo.PEOPLE
    assert set(SurveyResponse.objects.values_list("returnee_id", flat=True)) == {p.pk for p in people}
    full_year = 0
    setbacks = []
    for index, person in enumerate(people):
        assert person.return_date is not None
        responses = list(SurveyResponse.objects.filter(returnee=person).order_by("collected_on"))
        # at 3, 6 and 12 months after return (a few days late), those already past, all on the default survey
        assert [r.collected_on for r in responses] == demo.survey_dates(person.return_date, today, index)
        assert responses and {r.version.instrument.code for r in responses} == {"awda-reintegration"}
        assert all(r.collected_by == worker for r in responses)
        composites = [r.composite if r.composite is not None else -1.0 for r in responses]
        assert min(composites) >= 0
        open_alerts = set(
            Alert.objects.filter(returnee=person)
            .exclude(status="resolved")
            .values_list("rule__code", flat=True)
        )
        # the follow-ups the surveys answered are not left overdue; a stated wish to migrate again is raised
        expected = {"migrate-again"} if person.intends_to_migrate_again == "yes" else set()
        if len(responses) == len(demo.MONTHS):
            full_year += 1
        if len(responses) == len(demo.MONTHS) and full_year % demo.SETBACK_EVERY == 0:
            setbacks.append(person)
            # the job lost at 12 months: the composite falls by more than 0.15 and three alerts say so
            assert composites[2] < composites[1] - 0.15
            assert responses[2].economic == 0.0
            assert open_alerts == SETBACK_RULES | expected
        else:
            assert composites == sorted(composites) and len(set(composites)) == len(composites)
            assert open_alerts == expected
    assert full_year >= demo.SETBACK_EVERY and len(setbacks) == full_year // demo.SETBACK_EVERY
    printed = out.getvalue()
    surveys = SurveyResponse.objects.count()
    assert (
        f"Follow-up surveys: {surveys} follow-up surveys of {demo.PEOPLE} returnees, {len(setbacks)} of them "
        f"with a setback" in printed
    )

    # the surveyed people's plans show their scores beside the goals
    plan = ReintegrationPlan.objects.filter(returnee__in=people).first()
    assert plan is not None
    page = verified_client(worker).get(f"/referrals/plans/{plan.uuid}/").content.decode()
    assert 'data-testid="plan-scores"' in page

    alerts = Alert.objects.count()
    again = StringIO()
    call_command("demo", "--no-exchange", stdout=again)
    assert "Follow-up surveys: already there." in again.getvalue()
    assert (SurveyResponse.objects.count(), Alert.objects.count()) == (surveys, alerts)
