"""Reads of monitoring: the instrument versions in use and a returnee's responses."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth

from awda.accounts.models import User
from awda.accounts.scope import ScopePaths, scope_records
from awda.monitoring import rules
from awda.monitoring.enums import VersionStatus
from awda.monitoring.models import Alert, InstrumentVersion, SurveyResponse, WarningRule
from awda.referrals.enums import ReferralStatus
from awda.referrals.models import Referral
from awda.registry.models import Returnee


def versions_in_use() -> list[InstrumentVersion]:
    """The latest published version of each instrument."""
    latest: dict[int, InstrumentVersion] = {}
    for version in (
        InstrumentVersion.objects.filter(status=VersionStatus.PUBLISHED)
        .select_related("instrument")
        .order_by("instrument__code", "-number")
    ):
        latest.setdefault(version.instrument_id, version)
    return list(latest.values())


def version_in_use(code: str) -> InstrumentVersion | None:
    return (
        InstrumentVersion.objects.filter(instrument__code=code, status=VersionStatus.PUBLISHED)
        .order_by("-number")
        .first()
    )


def responses_of(returnee: Returnee) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(returnee=returnee).select_related(
        "version__instrument", "collected_by"
    )


def case_states(ids: list[int], today: date) -> dict[int, tuple[rules.CaseState, tuple[str, str, int]]]:
    """What the early-warning rules read of these cases (in seven queries, whatever their number), with
    each case's governorate, district and institution for the alerts: the last two surveys, intention
    to migrate, documents, declined referrals of the past half year, the last time anything was
    recorded, and the follow-ups overdue."""
    from django.db.models import Max

    from awda.referrals.models import PlanGoal
    from awda.registry.categorisation import documents_missing
    from awda.registry.models import CaseEvent, IdentityDocument

    # The daily scan passes runs of consecutive keys: a range reads faster than a list of 5,000 keys, and the
    # few rows in between that were not asked for (closed or merged cases) are skipped here.
    wanted_ids = set(ids)
    span = (min(ids), max(ids))
    people = Returnee.objects.filter(pk__range=span).values_list(
        "pk", "return_date", "created_at", "intends_to_migrate_again", "governorate_id", "district_id",
        "institution_id",
    )  # fmt: skip
    documents: dict[int, list[tuple[str, str]]] = {}
    for rid, kind, status in IdentityDocument.objects.filter(
        returnee_id__gte=span[0], returnee_id__lte=span[1]
    ).values_list("returnee_id", "type", "status"):
        documents.setdefault(rid, []).append((kind, status))
    # Every survey's date (for the schedule), but the answers and scores of the last two only.
    dates: dict[int, list[tuple[date, int]]] = {}
    for rid, pk, on in (
        SurveyResponse.objects.filter(returnee_id__gte=span[0], returnee_id__lte=span[1])
        .order_by("returnee_id", "-collected_on", "-id")
        .values_list("returnee_id", "id", "collected_on")
    ):
        dates.setdefault(rid, []).append((on, pk))
    wanted = [pk for rows in dates.values() for _on, pk in rows[:2]]
    details = {
        row[0]: row
        for row in SurveyResponse.objects.filter(pk__in=wanted).values_list(
            "id", "collected_on", "version_id", "answers", "economic", "social", "psychosocial", "composite"
        )
    }
    surveys: dict[int, list[Any]] = {
        rid: [details[pk] for _on, pk in rows[:2]] for rid, rows in dates.items()
    }
    instruments = {
        v.pk: rules.parse_instrument(v.definition)
        for v in InstrumentVersion.objects.filter(pk__in={r[2] for r in details.values()})
    }
    events = dict(
        CaseEvent.objects.filter(returnee_id__gte=span[0], returnee_id__lte=span[1])
        .values("returnee_id")
        .annotate(last=Max("at"))
        .values_list("returnee_id", "last")
    )
    declined = dict(
        Referral.objects.filter(
            returnee_id__gte=span[0],
            returnee_id__lte=span[1],
            status=ReferralStatus.DECLINED,
            closed_at__date__gte=today - timedelta(days=180),
        )
        .values("returnee_id")
        .annotate(n=Count("id"))
        .values_list("returnee_id", "n")
    )
    plans: dict[int, set[date]] = {}
    for rid, on in (
        PlanGoal.objects.filter(plan__returnee_id__gte=span[0], plan__returnee_id__lte=span[1])
        .exclude(plan__status="closed")
        .values_list("plan__returnee_id", "target_on")
    ):
        plans.setdefault(rid, set()).add(on)
    out: dict[int, tuple[rules.CaseState, tuple[str, str, int]]] = {}
    for pk, returned, created, intention, governorate, district, institution in people:
        if pk not in wanted_ids:
            continue
        rows = surveys.get(pk, [])
        latest_two = [
            rules.Survey(
                collected_on=r[1],
                scores={"economic": r[4], "social": r[5], "psychosocial": r[6], "composite": r[7]},
                indicator_scores=rules.indicator_scores(instruments[r[2]], r[3]),
            )
            for r in rows[:2]
        ]
        last_event = events.get(pk)
        contacts = [d for d in (last_event.date() if last_event else None, rows[0][1] if rows else None) if d]
        schedule = rules.follow_up_schedule(
            returned_on=returned or created.date(),
            plan_dates=sorted(plans.get(pk, ())),
            survey_dates=[on for on, _pk in dates.get(pk, [])],
            today=today,
            months=settings.AWDA_FOLLOW_UP_MONTHS,
        )
        state = rules.CaseState(
            latest=latest_two[0] if latest_two else None,
            previous=latest_two[1] if len(latest_two) > 1 else None,
            intends_to_migrate=intention,
            missing_documents=documents_missing(documents.get(pk, [])),
            registered_on=created.date(),
            declined_referrals=declined.get(pk, 0),
            last_contact=max(contacts) if contacts else None,
            overdue_follow_ups=tuple(f.due_on for f in schedule if f.status == "overdue"),
        )
        out[pk] = (state, (governorate, district, institution))
    return out


def pending_alerts(ids: list[int]) -> set[tuple[int, str]]:
    """(case, rule) of the alerts not resolved yet: a rule does not raise the same setback twice."""
    codes = dict(WarningRule.objects.values_list("pk", "code"))
    return {
        (rid, codes[rule])
        for rid, rule in Alert.objects.filter(returnee_id__gte=min(ids), returnee_id__lte=max(ids))
        .exclude(status="resolved")
        .values_list("returnee_id", "rule_id")
    }


def warning_specs() -> list[rules.WarningSpec]:
    return [
        rules.WarningSpec(code=r.code, kind=r.kind, severity=r.severity, params=r.params)
        for r in WarningRule.objects.filter(is_active=True).order_by("code")
    ]


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    """Alerts of the cases in the user's data scope."""
    return scope_records(
        user,
        Alert.objects.select_related("returnee", "rule"),
        ScopePaths(
            institution="returnee__institution",
            governorate="returnee__governorate",
            district="returnee__district",
            assignee="returnee__owner",
        ),
    )


SMALL_CELL = 5


def systemic(months: int, today: date, *, governorate: str = "") -> dict[str, Any]:
    """Alerts raised per month, by place and cause: the committee's view of where setbacks rise.

    Counts under five are shown as "fewer than 5"; a cell "rises" when this month has at least five
    alerts and half again as many as the mean of the months before it.
    """
    first = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    alerts = Alert.objects.filter(raised_at__date__gte=first)
    if governorate:
        alerts = alerts.filter(governorate_id=governorate)
    group = "district_id" if governorate else "governorate_id"
    rows = (
        alerts.annotate(month=TruncMonth("raised_at"))
        .values("month", group, "kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    month_keys: list[str] = []
    day = first
    while day <= today:
        month_keys.append(day.strftime("%Y-%m"))
        day = (day + timedelta(days=32)).replace(day=1)
    cells: dict[tuple[str, str], dict[str, int]] = {}
    for row in rows:
        key = (row[group], row["kind"])
        cells.setdefault(key, {})[row["month"].strftime("%Y-%m")] = row["n"]
    out: list[dict[str, Any]] = []
    for (place, kind), by_month in sorted(cells.items()):
        counts = [by_month.get(m, 0) for m in month_keys]
        before = counts[:-1]
        mean = sum(before) / len(before) if before else 0.0
        rising = counts[-1] >= SMALL_CELL and counts[-1] >= 1.5 * max(mean, 1e-9)
        out.append({"place": place, "kind": kind, "counts": counts, "rising": rising})
    out.sort(key=lambda r: (not r["rising"], -r["counts"][-1]))
    return {"months": month_keys, "rows": out}


def shown(n: int) -> str:
    """A count as the systemic view shows it: under five is "<5" (small-cell suppression), zero is 0."""
    return "<5" if 0 < n < SMALL_CELL else str(n)


def follow_ups_due(user: User, today: date, *, limit: int = 200) -> list[tuple[Returnee, rules.FollowUp]]:
    """The worker's task list: follow-ups due or overdue on the open cases in their scope, oldest first.

    Only cases that returned within the longest interval (plus a month), or that have a current plan,
    can owe one; the others are not read.
    """
    from awda.referrals.models import PlanGoal, ReintegrationPlan
    from awda.registry.enums import CaseStatus
    from awda.registry.queries import returnees_editable_by

    longest = max(settings.AWDA_FOLLOW_UP_MONTHS, default=24)
    since = today - timedelta(days=31 * (longest + 1))
    with_plan = ReintegrationPlan.objects.exclude(status="closed").values("returnee_id")
    cases = (
        returnees_editable_by(user)
        .exclude(status=CaseStatus.CLOSED)
        .filter(
            Q(return_date__gte=since)
            | Q(return_date__isnull=True, created_at__date__gte=since)
            | Q(pk__in=with_plan)
        )
        .order_by("return_date", "pk")[:5000]
    )
    cases_list = list(cases)
    ids = [r.pk for r in cases_list]
    surveys: dict[int, list[date]] = {}
    for rid, on in SurveyResponse.objects.filter(returnee_id__in=ids).values_list(
        "returnee_id", "collected_on"
    ):
        surveys.setdefault(rid, []).append(on)
    plans: dict[int, set[date]] = {}
    for rid, on in (
        PlanGoal.objects.filter(plan__returnee_id__in=ids)
        .exclude(plan__status="closed")
        .values_list("plan__returnee_id", "target_on")
    ):
        plans.setdefault(rid, set()).add(on)
    out: list[tuple[Returnee, rules.FollowUp]] = []
    for returnee in cases_list:
        schedule = rules.follow_up_schedule(
            returned_on=returnee.return_date or returnee.created_at.date(),
            plan_dates=sorted(plans.get(returnee.pk, ())),
            survey_dates=surveys.get(returnee.pk, []),
            today=today,
            months=settings.AWDA_FOLLOW_UP_MONTHS,
        )
        out += [(returnee, item) for item in schedule if item.status in ("due", "overdue")]
    out.sort(key=lambda pair: pair[1].due_on)
    return out[:limit]


def provider_performance(referrals: QuerySet[Referral]) -> list[dict[str, Any]]:
    """Per provider: referrals received, time to accept, completion rate, needs met, satisfaction.

    The mean satisfaction shows only from five evaluations on (fewer would point at persons).
    """
    from statistics import median

    from django.db.models import Avg, F

    from awda.monitoring.models import ServiceEvaluation

    received = referrals.exclude(status=ReferralStatus.DRAFT)
    rows = received.values("to_organisation_id", "to_organisation__name_ar", "to_organisation__name_ckb",
                           "to_organisation__name_en").annotate(
        received=Count("id"),
        accepted=Count("id", filter=Q(accepted_at__isnull=False)),
        completed=Count("id", filter=Q(status=ReferralStatus.COMPLETED)),
        not_completed=Count("id", filter=Q(status=ReferralStatus.NOT_COMPLETED)),
        met=Count("id", filter=Q(status=ReferralStatus.COMPLETED, outcome="need_met")),
        declined=Count("id", filter=Q(status=ReferralStatus.DECLINED)),
    ).order_by("-received")  # fmt: skip
    waits: dict[int, list[float]] = {}
    for org, seconds in (
        received.filter(accepted_at__isnull=False, sent_at__isnull=False)
        .annotate(wait=F("accepted_at") - F("sent_at"))
        .values_list("to_organisation_id", "wait")
    ):
        waits.setdefault(org, []).append(seconds.total_seconds() / 86400)
    evaluations = {
        row["referral__to_organisation_id"]: row
        for row in ServiceEvaluation.objects.filter(referral__in=received)
        .values("referral__to_organisation_id")
        .annotate(n=Count("id"), mean=Avg("satisfaction"), helped=Count("id", filter=Q(helped="yes")))
    }
    out = []
    row: Any
    for row in rows:
        org = row["to_organisation_id"]
        closed = row["completed"] + row["not_completed"]
        evaluation: Any = evaluations.get(org, {"n": 0, "mean": None, "helped": 0})
        out.append(
            {
                "organisation": {k: row[f"to_organisation__name_{k}"] for k in ("ar", "ckb", "en")},
                "received": row["received"],
                "declined": row["declined"],
                "days_to_accept": round(median(waits[org]), 1) if waits.get(org) else None,
                "completion_rate": round(row["completed"] / closed, 2) if closed else None,
                "needs_met": round(row["met"] / row["completed"], 2) if row["completed"] else None,
                "evaluations": evaluation["n"],
                "satisfaction": round(evaluation["mean"], 1) if evaluation["n"] >= SMALL_CELL else None,
                "helped": round(evaluation["helped"] / evaluation["n"], 2)
                if evaluation["n"] >= SMALL_CELL
                else None,
            }
        )
    return out
