"""Demo follow-up surveys (``awda demo``), recorded through the real action on the default instrument.

MoMD Baghdad's demo case worker has surveyed fifteen of their open cases (those with a reintegration
plan first, so that the plan pages show the scores beside the goals) at 3, 6 and 12 months after
return, as far as that time has passed. Most people are better off at each survey; every fourth person
surveyed at 12 months has lost their job since the 6-month survey, which raises the early-warning alerts
of a lost job, a very low economic score and a drop of the composite score.

Recording a year of surveys on one day makes the first of them find the later follow-ups overdue; the
worker resolves those alerts once the surveys are in (an overdue follow-up that is still owed is raised
again). Idempotent: does nothing once there is any survey response.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from awda.accounts.models import User
from awda.monitoring import actions
from awda.monitoring.enums import AlertStatus, WarningKind
from awda.monitoring.models import Alert, SurveyResponse
from awda.monitoring.queries import version_in_use
from awda.referrals.models import ReintegrationPlan
from awda.referrals.rules import add_months
from awda.registry.enums import CaseStatus
from awda.registry.models import Returnee
from awda.registry.queries import returnees_editable_by

INSTRUMENT = "awda-reintegration"
BAGHDAD = "IQG08"
PEOPLE = 15
MONTHS = (3, 6, 12)
# Returned long enough ago for a first survey, and not so long ago that the 24-month follow-up is owed.
RETURNED_DAYS_AGO = (110, 715)
SETBACK_EVERY = 4

# The answers at each survey: settling in at 3 months, better at 6, settled at 12 (economic score above
# the early-warning line of 0.3 throughout, so only the setbacks raise alerts about scores).
STAGES: tuple[dict[str, str], ...] = (
    {
        "economic_satisfaction": "dissatisfied",
        "food_insecurity": "sometimes",
        "ability_to_borrow": "yes_with_difficulty",
        "debt": "about_monthly_income",
        "employment": "irregular_work",
        "productive_assets": "none",
        "job_search": "looking_no_help_needed",
        "housing": "hosted",
        "education_access": "some_of_them",
        "health_care_access": "yes_with_difficulty",
        "justice_documentation_access": "yes_with_difficulty",
        "safe_drinking_water": "most_of_the_time",
        "identity_documents": "expired_or_being_renewed",
        "community_participation": "rarely",
        "support_network": "one_or_two",
        "sense_of_belonging": "partly_belong",
        "feeling_safe": "mostly_safe",
        "signs_of_distress": "sometimes",
    },
    {
        "economic_satisfaction": "neutral",
        "food_insecurity": "rarely",
        "ability_to_borrow": "yes_with_difficulty",
        "debt": "less_than_monthly_income",
        "employment": "regular_job",
        "productive_assets": "owned_not_usable",
        "job_search": "working_wants_better_job",
        "housing": "own_or_rented_inadequate",
        "education_access": "all_of_them",
        "health_care_access": "yes",
        "justice_documentation_access": "yes_with_difficulty",
        "safe_drinking_water": "most_of_the_time",
        "identity_documents": "all_valid",
        "community_participation": "sometimes",
        "support_network": "several",
        "sense_of_belonging": "partly_belong",
        "feeling_safe": "mostly_safe",
        "signs_of_distress": "rarely_or_never",
    },
    {
        "economic_satisfaction": "satisfied",
        "food_insecurity": "never",
        "ability_to_borrow": "yes_easily",
        "debt": "no_debt",
        "employment": "regular_job",
        "productive_assets": "owned_in_use",
        "job_search": "not_looking_working",
        "housing": "own_or_rented_adequate",
        "education_access": "all_of_them",
        "health_care_access": "yes",
        "justice_documentation_access": "yes",
        "safe_drinking_water": "always",
        "identity_documents": "all_valid",
        "community_participation": "often",
        "support_network": "several",
        "sense_of_belonging": "fully_belong",
        "feeling_safe": "completely_safe",
        "signs_of_distress": "rarely_or_never",
    },
)
# What changes at 12 months for the people with a setback: the job lost, and what follows from it (back
# with relatives, in debt, distressed).
SETBACK = {
    "economic_satisfaction": "very_dissatisfied",
    "food_insecurity": "often",
    "ability_to_borrow": "no",
    "debt": "more_than_monthly_income",
    "employment": "not_working",
    "productive_assets": "none",
    "job_search": "looking_needs_help",
    "housing": "hosted",
    "signs_of_distress": "often",
}
# A few answers differ from person to person (a survey is seldom answered in full).
SKIPPED = ("education_access", "ability_to_borrow", "sense_of_belonging", "productive_assets", "")
RESOLVED_NOTE = "The follow-up surveys were recorded."


def survey_dates(returned: date, today: date, index: int) -> list[date]:
    """The surveys' dates (3, 6 and 12 months after return, a few days late), those already past."""
    late = timedelta(days=index % 5 * 3)
    return [d for m in MONTHS if (d := add_months(returned, m) + late) <= today]


def answers_for(stage: int, *, setback: bool, index: int) -> dict[str, str]:
    answers = dict(STAGES[stage])
    if setback:
        answers |= SETBACK
    skipped = SKIPPED[index % len(SKIPPED)]
    if skipped and stage == index % len(MONTHS):
        del answers[skipped]
    return answers


def _people(worker: User, today: date) -> list[Returnee]:
    """Open cases of the worker's scope in Baghdad returned long enough ago; those with a plan first."""
    earliest, latest = (today - timedelta(days=days) for days in reversed(RETURNED_DAYS_AGO))
    planned = ReintegrationPlan.objects.filter(returnee=OuterRef("pk"))
    return list(
        returnees_editable_by(worker)
        .filter(
            status=CaseStatus.OPEN,
            governorate_id=BAGHDAD,
            merged_into__isnull=True,
            return_date__gte=earliest,
            return_date__lte=latest,
        )
        .annotate(planned=Exists(planned))
        .order_by("-planned", "pk")[:PEOPLE]
    )


def demo_monitoring() -> str:
    """Record the demo follow-up surveys once; says what it did."""
    if SurveyResponse.objects.exists():
        return "already there"
    worker = User.objects.filter(username="caseworker").first()
    version = version_in_use(INSTRUMENT)
    if worker is None or version is None:
        return "no demo accounts"
    today = timezone.localdate()
    people = _people(worker, today)
    surveys = setbacks = 0
    with transaction.atomic():
        surveyed_at_12 = 0
        for index, returnee in enumerate(people):
            if returnee.return_date is None:
                continue
            dates = survey_dates(returnee.return_date, today, index)
            setback = False
            if len(dates) == len(MONTHS):
                surveyed_at_12 += 1
                setback = surveyed_at_12 % SETBACK_EVERY == 0
            for stage, collected_on in enumerate(dates):
                last = stage == len(dates) - 1
                actions.response_record(
                    actor=worker,
                    returnee=returnee,
                    version=version,
                    answers=answers_for(stage, setback=setback and last, index=index),
                    collected_on=collected_on,
                )
                surveys += 1
            setbacks += setback
            _resolve_answered_follow_ups(worker, returnee)
    alerts = Alert.objects.filter(returnee__in=people).exclude(status=AlertStatus.RESOLVED).count()
    return (
        f"{surveys} follow-up surveys of {len(people)} returnees, {setbacks} of them with a setback "
        f"({alerts} early-warning alerts open)"
    )


def _resolve_answered_follow_ups(worker: User, returnee: Returnee) -> None:
    """Resolve the "follow-up overdue" alert raised by a first survey before the later ones were in; run the
    rules again, which raise it anew if a follow-up is still owed."""
    pending = list(
        Alert.objects.filter(returnee=returnee, kind=WarningKind.FOLLOW_UP_OVERDUE).exclude(
            status=AlertStatus.RESOLVED
        )
    )
    for alert in pending:
        actions.alert_resolve(actor=worker, alert=alert, action_taken=RESOLVED_NOTE)
    if pending:
        actions.warnings_check(returnee=returnee)
