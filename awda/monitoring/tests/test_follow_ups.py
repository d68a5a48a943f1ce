"""The follow-up schedule: months after return and the plan's horizons, answered by surveys, due and overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from awda.accounts.models import User
from awda.monitoring import actions, rules
from awda.monitoring.models import Alert, InstrumentVersion
from awda.registry.models import Returnee
from conftest import verified_client


def schedule(
    today: date, surveys: tuple[date, ...] = (), plan: tuple[date, ...] = ()
) -> list[tuple[str, str, str]]:
    items = rules.follow_up_schedule(
        returned_on=date(2026, 1, 31), plan_dates=plan, survey_dates=surveys, today=today
    )
    return [(f.due_on.isoformat(), f.source, f.status) for f in items]


def test_the_default_schedule_is_3_6_12_and_24_months_after_return() -> None:
    assert schedule(date(2026, 1, 31)) == [
        ("2026-04-30", "return", "upcoming"),
        ("2026-07-31", "return", "upcoming"),
        ("2027-01-31", "return", "upcoming"),
        ("2028-01-31", "return", "upcoming"),
    ]


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (date(2026, 4, 15), "upcoming"),
        (date(2026, 4, 16), "due"),
        (date(2026, 5, 30), "due"),
        (date(2026, 5, 31), "overdue"),
    ],
)
def test_a_follow_up_is_due_two_weeks_before_and_overdue_a_month_after(today: date, status: str) -> None:
    assert schedule(today)[0] == ("2026-04-30", "return", status)


def test_a_survey_from_a_month_before_answers_it_and_counts_once() -> None:
    result = schedule(date(2026, 8, 20), surveys=(date(2026, 4, 1), date(2026, 3, 30)))
    assert result[:2] == [("2026-04-30", "return", "done"), ("2026-07-31", "return", "due")]
    early = schedule(date(2026, 8, 20), surveys=(date(2026, 3, 30),))
    assert early[0] == ("2026-04-30", "return", "overdue")


def test_the_plans_horizons_join_the_schedule_and_close_dates_merge() -> None:
    result = schedule(date(2026, 1, 31), plan=(date(2026, 8, 10), date(2031, 1, 31)))
    assert [(d, s) for d, s, _status in result] == [
        ("2026-04-30", "return"),
        ("2026-07-31", "return"),  # the plan's 2026-08-10 is within a month: merged
        ("2027-01-31", "return"),
        ("2028-01-31", "return"),
        ("2031-01-31", "plan"),
    ]


@pytest.mark.django_db
def test_the_worker_sees_due_follow_ups_and_an_overdue_one_raises_an_alert(
    worker: User, register: Callable[..., Returnee], version: InstrumentVersion
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from awda.registry.tests.conftest import registration

    case = register(
        record={**registration()["record"], "return_date": timezone.localdate() - timedelta(days=150)}
    )
    page = verified_client(worker).get("/monitoring/follow-ups/").content.decode()
    assert case.case_number in page
    raised = actions.warnings_check(returnee=case)
    assert "follow-up-overdue" in [a.rule.code for a in raised]
    assert Alert.objects.get(rule__code="follow-up-overdue").details["due_on"]
