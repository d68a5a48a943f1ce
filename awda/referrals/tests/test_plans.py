"""Reintegration plans: one current plan per person, goals dated from the horizon, four-eyes approval,
the person's agreement, reopening on change, and actions that follow their referrals."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from awda.accounts.models import User
from awda.catalogue.models import Service
from awda.core.errors import AwdaError, Conflict, PermissionDenied
from awda.core.models import Notification
from awda.referrals import actions
from awda.referrals.enums import ActionStatus, PlanStatus
from awda.referrals.models import PlanAction, PlanEvent, PlanGoal, ReintegrationPlan
from awda.registry import actions as registry_actions
from awda.registry.models import Returnee

pytestmark = pytest.mark.django_db


def fields_of(error: AwdaError) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in error.fields.items()}


def events_of(plan: ReintegrationPlan) -> list[tuple[str, str, str]]:
    return [
        (e.kind, e.actor.username if e.actor else "", e.note) for e in PlanEvent.objects.filter(plan=plan)
    ]


def state_of(plan: ReintegrationPlan) -> dict[str, Any]:
    fresh = ReintegrationPlan.objects.get(pk=plan.pk)
    return {
        "status": fresh.status,
        "version": fresh.version,
        "approved_by": fresh.approved_by,
        "approved_at": fresh.approved_at is not None,
        "agreed_at": fresh.agreed_at is not None,
        "agreement_method": fresh.agreement_method,
        "agreement_recorded_by": fresh.agreement_recorded_by,
    }


@pytest.fixture
def env(
    actors: dict[str, User], case: Returnee, ngo: dict[str, Any], services: dict[str, Service]
) -> dict[str, Any]:
    return {**actors, "case": case, "amal": ngo["institution"], **services}


@pytest.fixture
def plan(env: dict[str, Any]) -> ReintegrationPlan:
    """Zainab's plan, written by her case worker, starting on the last day of August 2025."""
    return actions.plan_create(actor=env["worker"], returnee=env["case"], starts_on=date(2025, 8, 31))


def add_goal(
    actor: User, plan: ReintegrationPlan, horizon: str = "6m", text: str = "Get a national card"
) -> PlanGoal:
    return actions.plan_goal_add(actor=actor, plan=plan, dimension="social", horizon=horizon, text=text)


def submitted_plan(env: dict[str, Any], plan: ReintegrationPlan) -> ReintegrationPlan:
    add_goal(env["worker"], plan)
    return actions.plan_submit(actor=env["worker"], plan=plan)


# --------------------------------------------------------------------------------------------------
# Creating and dating
# --------------------------------------------------------------------------------------------------


def test_a_new_plan_is_a_draft_reviewed_after_three_months(
    env: dict[str, Any], plan: ReintegrationPlan
) -> None:
    assert (plan.status, plan.version, plan.starts_on, plan.next_review_on, plan.created_by) == (
        PlanStatus.DRAFT,
        1,
        date(2025, 8, 31),
        date(2025, 11, 30),
        env["worker"],
    )
    assert events_of(plan) == [("created", "ref.worker", "")]


def test_a_plan_starts_today_unless_told_otherwise(env: dict[str, Any]) -> None:
    plan = actions.plan_create(actor=env["worker"], returnee=env["case"])
    assert plan.starts_on == timezone.localdate()


def test_one_current_plan_per_person(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    # when a second plan is made for Zainab
    with pytest.raises(Conflict) as refused:
        actions.plan_create(actor=env["supervisor"], returnee=env["case"])

    # then it is refused and she still has one plan, with one event
    assert refused.value.code == "duplicate"
    assert ReintegrationPlan.objects.filter(returnee=env["case"]).count() == 1
    assert PlanEvent.objects.count() == 1

    # and once that plan is closed, a new one may be made
    actions.plan_close(actor=env["worker"], plan=plan, note="She moved to Basra")
    second = actions.plan_create(actor=env["worker"], returnee=env["case"])
    assert sorted(ReintegrationPlan.objects.values_list("status", flat=True)) == ["closed", "draft"]
    assert second.status == PlanStatus.DRAFT


@pytest.mark.parametrize(
    ("starts_on", "horizon", "target_on"),
    [
        (date(2025, 8, 31), "6m", date(2026, 2, 28)),  # six months from the 31st: the end of February
        (date(2025, 8, 31), "2y", date(2027, 8, 31)),
        (date(2025, 8, 31), "5y", date(2030, 8, 31)),
        (date(2024, 2, 29), "6m", date(2024, 8, 29)),
        (date(2024, 2, 29), "2y", date(2026, 2, 28)),
        (date(2024, 2, 29), "5y", date(2029, 2, 28)),
        (date(2026, 7, 15), "6m", date(2027, 1, 15)),  # over the new year
    ],
)
def test_a_goal_is_due_at_the_end_of_its_horizon(
    env: dict[str, Any], starts_on: date, horizon: str, target_on: date
) -> None:
    plan = actions.plan_create(actor=env["worker"], returnee=env["case"], starts_on=starts_on)
    goal = add_goal(env["worker"], plan, horizon)
    assert (goal.horizon, goal.target_on, goal.status) == (horizon, target_on, "not_started")


def test_a_bad_goal_is_refused(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    with pytest.raises(AwdaError) as refused:
        actions.plan_goal_add(
            actor=env["worker"], plan=plan, dimension="spiritual", horizon="10y", text=" ", need_category="x"
        )
    assert fields_of(refused.value) == {
        "dimension": ["Choose a dimension."],
        "horizon": ["Choose a horizon: 6 months, 2 years or 5 years."],
        "text": ["Write the goal."],
        "need_category": ["Choose a need from the list."],
    }
    assert (PlanGoal.objects.count(), state_of(plan)["version"]) == (0, 1)


# --------------------------------------------------------------------------------------------------
# Submitting, approving, returning, agreeing
# --------------------------------------------------------------------------------------------------


def test_a_plan_without_goals_cannot_be_submitted(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    with pytest.raises(AwdaError) as refused:
        actions.plan_submit(actor=env["worker"], plan=plan)
    assert fields_of(refused.value) == {"goals": ["Add at least one goal before submitting the plan."]}
    assert state_of(plan)["status"] == PlanStatus.DRAFT
    assert ReintegrationPlan.objects.get(pk=plan.pk).submitted_at is None
    assert events_of(plan) == [("created", "ref.worker", "")]
    assert Notification.objects.count() == 0


def test_submitting_asks_the_offices_supervisors(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    submitted = submitted_plan(env, plan)
    assert (submitted.status, submitted.submitted_at is not None) == (PlanStatus.SUBMITTED, True)
    assert sorted(
        Notification.objects.filter(kind="plan.submitted").values_list("recipient__username", flat=True)
    ) == [
        "ref.supervisor",
        "ref.supervisor2",
    ]


def test_another_supervisor_approves(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    # given a plan written and submitted by the case worker
    plan = submitted_plan(env, plan)

    # when a supervisor who neither wrote nor submitted it approves it
    approved = actions.plan_approve(actor=env["supervisor"], plan=plan, note="Good plan")

    # then it is approved by them, and the author is told
    assert state_of(approved) | {"version": 0} == {
        "status": PlanStatus.APPROVED,
        "version": 0,
        "approved_by": env["supervisor"],
        "approved_at": True,
        "agreed_at": False,
        "agreement_method": "",
        "agreement_recorded_by": None,
    }
    assert events_of(plan)[-1] == ("approved", "ref.supervisor", "Good plan")
    assert list(
        Notification.objects.filter(kind="plan.approved").values_list("recipient__username", flat=True)
    ) == ["ref.worker"]


@pytest.mark.parametrize("who", ["wrote", "submitted"])
def test_a_supervisor_may_not_approve_a_plan_they_wrote_or_submitted(env: dict[str, Any], who: str) -> None:
    # given a plan the supervisor wrote, or one they submitted for the case worker
    supervisor = env["supervisor"]
    author = supervisor if who == "wrote" else env["worker"]
    plan = actions.plan_create(actor=author, returnee=env["case"])
    add_goal(author, plan)
    plan = actions.plan_submit(actor=supervisor, plan=plan)
    before, events = state_of(plan), events_of(plan)

    # when they approve it
    with pytest.raises(PermissionDenied) as refused:
        actions.plan_approve(actor=supervisor, plan=plan)

    # then it is refused, and the plan still waits
    assert str(refused.value) == "Another supervisor must approve a plan you wrote or submitted."
    assert (state_of(plan), events_of(plan)) == (before, events)
    assert before["status"] == PlanStatus.SUBMITTED


def test_a_case_worker_cannot_approve(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    plan = submitted_plan(env, plan)
    before, events = state_of(plan), events_of(plan)
    for worker in (env["worker"], env["other_worker"]):
        with pytest.raises(PermissionDenied):
            actions.plan_approve(actor=worker, plan=plan)
    assert (state_of(plan), events_of(plan)) == (before, events)


def test_only_a_submitted_plan_is_approved(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    add_goal(env["worker"], plan)
    before = state_of(plan)
    with pytest.raises(Conflict) as refused:
        actions.plan_approve(actor=env["supervisor"], plan=plan)
    assert refused.value.code == "transition_not_allowed"
    assert state_of(plan) == before


def test_returning_needs_a_note_and_puts_the_plan_back_to_draft(
    env: dict[str, Any], plan: ReintegrationPlan
) -> None:
    # given a submitted plan
    plan = submitted_plan(env, plan)
    before = state_of(plan)

    # when the supervisor returns it without saying why, it is refused and nothing changes
    with pytest.raises(AwdaError) as refused:
        actions.plan_return(actor=env["supervisor"], plan=plan, note="  ")
    assert fields_of(refused.value) == {"note": ["Say what should change."]}
    assert state_of(plan) == before

    # when they say why, it is a draft again, with the note in its history, and the author is told
    returned = actions.plan_return(actor=env["supervisor"], plan=plan, note=" Add a goal on work ")
    assert (returned.status, returned.version) == (PlanStatus.DRAFT, before["version"] + 1)
    assert events_of(plan)[-1] == ("returned", "ref.supervisor", "Add a goal on work")
    assert list(
        Notification.objects.filter(kind="plan.returned").values_list("recipient__username", flat=True)
    ) == ["ref.worker"]


def test_the_persons_agreement_only_once_the_plan_is_submitted(
    env: dict[str, Any], plan: ReintegrationPlan
) -> None:
    # given a draft plan: agreement is refused
    add_goal(env["worker"], plan)
    before = state_of(plan)
    with pytest.raises(Conflict) as refused:
        actions.plan_record_agreement(actor=env["worker"], plan=plan, method="written")
    assert refused.value.code == "transition_not_allowed"
    assert state_of(plan) == before

    # once submitted: recorded, with how and by whom
    actions.plan_submit(actor=env["worker"], plan=plan)
    agreed = actions.plan_record_agreement(actor=env["worker"], plan=plan, method="verbal")
    assert (
        agreed.status,
        agreed.agreement_method,
        agreed.agreement_recorded_by,
        agreed.agreed_at is not None,
    ) == (
        PlanStatus.SUBMITTED,
        "verbal",
        env["worker"],
        True,
    )

    # once approved: recorded again
    actions.plan_approve(actor=env["supervisor"], plan=plan)
    again = actions.plan_record_agreement(actor=env["worker"], plan=plan, method="written")
    assert (again.status, again.agreement_method) == (PlanStatus.APPROVED, "written")
    assert [kind for kind, _who, _note in events_of(plan)] == [
        "created",
        "submitted",
        "agreed",
        "approved",
        "agreed",
    ]


def test_changing_an_approved_plan_reopens_it(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    # given an approved plan the person agreed to
    plan = submitted_plan(env, plan)
    actions.plan_approve(actor=env["supervisor"], plan=plan)
    actions.plan_record_agreement(actor=env["worker"], plan=plan, method="written")
    version = state_of(plan)["version"]

    # when the case worker adds a goal
    add_goal(env["worker"], ReintegrationPlan.objects.get(pk=plan.pk), "2y", "A steady job")

    # then the plan is a draft again, without approval or agreement, and needs both anew
    assert state_of(plan) == {
        "status": PlanStatus.DRAFT,
        "version": version + 1,
        "approved_by": None,
        "approved_at": False,
        "agreed_at": False,
        "agreement_method": "",
        "agreement_recorded_by": None,
    }
    assert events_of(plan)[-1] == ("reopened", "ref.worker", "")
    assert PlanGoal.objects.filter(plan=plan).count() == 2


def test_progress_on_a_goal_does_not_reopen_the_plan(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    plan = submitted_plan(env, plan)
    actions.plan_approve(actor=env["supervisor"], plan=plan)
    before = state_of(plan)
    goal = PlanGoal.objects.get(plan=plan)
    actions.plan_goal_set_status(actor=env["worker"], goal=goal, status="in_progress")
    assert state_of(plan) == before
    assert PlanGoal.objects.get(pk=goal.pk).status == "in_progress"


# --------------------------------------------------------------------------------------------------
# Actions that follow referrals
# --------------------------------------------------------------------------------------------------


def test_an_action_linked_to_a_referral_is_done_when_the_provider_completes_it(
    env: dict[str, Any], plan: ReintegrationPlan
) -> None:
    # given a goal whose action is a referral to the NGO, sent with Zainab's consent
    registry_actions.consent_record(
        actor=env["worker"],
        returnee=env["case"],
        data={
            "purpose": "sharing_institution",
            "shared_with": env["amal"],
            "granted": True,
            "method": "written",
        },
    )
    referral = actions.referral_make(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )
    goal = add_goal(env["worker"], plan)
    action = actions.plan_action_add(
        actor=env["worker"], goal=goal, text="Documentation help", referral=referral
    )
    assert (action.status, action.done_on) == (ActionStatus.PLANNED, None)

    # when the case worker ticks it done by hand
    for status in (ActionStatus.DONE, ActionStatus.IN_PROGRESS):
        with pytest.raises(AwdaError) as refused:
            actions.plan_action_set_status(actor=env["worker"], action=action, status=status)
        assert fields_of(refused.value) == {
            "status": ["This action follows its referral: it is done when the provider records the service."]
        }
    # then it is refused and the action is still planned
    fresh = PlanAction.objects.get(pk=action.pk)
    assert (fresh.status, fresh.done_on) == (ActionStatus.PLANNED, None)

    # when the provider accepts and starts, the action is under way
    actions.referral_accept(actor=env["ngo"], referral=referral)
    actions.referral_start(actor=env["ngo"], referral=referral)
    assert PlanAction.objects.get(pk=action.pk).status == ActionStatus.IN_PROGRESS

    # and when the provider records the service delivered three days ago, the action is done on that day
    delivered = timezone.localdate() - timedelta(days=3)
    actions.referral_complete(
        actor=env["ngo"],
        referral=referral,
        outcome="need_met",
        service_delivered="National card issued",
        delivered_on=delivered,
    )
    fresh = PlanAction.objects.get(pk=action.pk)
    assert (fresh.status, fresh.done_on) == (ActionStatus.DONE, delivered)


def test_an_action_without_a_referral_is_ticked_by_hand(env: dict[str, Any], plan: ReintegrationPlan) -> None:
    goal = add_goal(env["worker"], plan)
    action = actions.plan_action_add(actor=env["worker"], goal=goal, text="Visit the civil status office")
    done = actions.plan_action_set_status(actor=env["worker"], action=action, status=ActionStatus.DONE)
    assert (done.status, done.done_on) == (ActionStatus.DONE, timezone.localdate())
