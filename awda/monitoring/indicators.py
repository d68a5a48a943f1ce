"""Programme indicators (Priority 6), defined as data in ``data/indicators.json`` and computed in the database
for the returnees who returned in a period, disaggregated by one characteristic at a time.

Analysts see aggregates only: a cell resting on fewer than five people (or referrals, or surveys) shows
"<5" and no value. A survey "at 6 months" is one collected between one month before and two months
after that point; of a person's surveys in that window that answered the question (or have the score),
the latest counts, so each person counts once, in each of their categories.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from statistics import median
from typing import Any, Final

from django.db.models import Avg, Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When

from awda.core.models import localized
from awda.monitoring.models import SurveyResponse
from awda.referrals.enums import ReferralStatus
from awda.referrals.models import Referral, ReintegrationPlan
from awda.registry.models import Category, Returnee

DEFINITIONS = Path(__file__).parent / "data" / "indicators.json"
SMALL_CELL: Final = 5
DISAGGREGATIONS: Final = ("total", "sex", "age_group", "category", "governorate", "settlement", "return_type")
AGE_GROUPS: Final = (
    ("0-17", 0, 17),
    ("18-24", 18, 24),
    ("25-34", 25, 34),
    ("35-49", 35, 49),
    ("50+", 50, 200),
)


@dataclass(frozen=True)
class Definition:
    code: str
    kind: str
    params: dict[str, Any]
    unit: str
    name_ar: str
    name_ckb: str
    name_en: str

    @property
    def name(self) -> str:
        return localized(self, "name")


def definitions() -> list[Definition]:
    return [Definition(**item) for item in json.loads(DEFINITIONS.read_text(encoding="utf-8"))]


def _group_expression(by: str, prefix: str, period_end: date) -> Any:
    """The value a row is grouped by (``prefix`` leads from the counted row to the returnee)."""
    if by == "total":
        return Value("total", output_field=CharField())
    if by == "category":
        # The category's key, not its code: one join less on the largest join of all (a person counts in
        # each of their categories); ``_keys`` turns keys into codes.
        return F(f"{prefix}categories__category_id")
    if by == "age_group":
        born = f"{prefix}date_of_birth"
        whens = []
        for label, low, high in AGE_GROUPS:
            youngest = period_end.replace(year=period_end.year - low)
            oldest = period_end.replace(year=period_end.year - high - 1) + timedelta(days=1)
            whens.append(When(**{f"{born}__lte": youngest, f"{born}__gte": oldest}, then=Value(label)))
        return Case(*whens, default=Value("unknown"), output_field=CharField())
    return F(f"{prefix}{by}")


def _keys(by: str) -> dict[Any, str]:
    """The group each grouped value stands for: a category's code for its key; other values as they are.
    People without any category make the group "None", as they always did."""
    if by == "category":
        return dict(Category.objects.values_list("pk", "code"))
    return {}


def _in_cohort(start: date, end: date, prefix: str = "") -> Q:
    """The people who returned in the period (current records only); ``prefix`` leads to the returnee."""
    return Q(
        **{
            f"{prefix}merged_into__isnull": True,
            f"{prefix}return_date__gte": start,
            f"{prefix}return_date__lte": end,
        }
    )


def cohort(start: date, end: date) -> QuerySet[Returnee]:
    """The people who returned in the period (current records only)."""
    return Returnee.objects.filter(_in_cohort(start, end))


def _cell(value: float | None, n: int) -> dict[str, Any]:
    if n < SMALL_CELL:
        return {"value": None, "n": None, "suppressed": n > 0}
    return {"value": value, "n": n, "suppressed": False}


def _window(months: int) -> tuple[timedelta, timedelta]:
    """From one month before to two months after the point ``months`` after return."""
    return timedelta(days=round((months - 1) * 30.44)), timedelta(days=round((months + 2) * 30.44))


def _survey_window(months: int) -> Q:
    before, after = _window(months)
    return Q(
        collected_on__gte=F("returnee__return_date") + before,
        collected_on__lte=F("returnee__return_date") + after,
    )


def _latest_in_window(start: date, end: date, months: int, present: Q) -> QuerySet[SurveyResponse]:
    """Each person's latest survey in the window ``months`` after their return (people who returned from
    ``start`` to ``end``), among the surveys ``present`` holds for (the question answered, the score
    computed): one row per person, so a group counts rows instead of distinct people.

    "Latest" is "no later one", an anti-join on the index of a case's surveys. A window function (ROW_NUMBER)
    measured slower at a million returnees: PostgreSQL underestimated the rows it keeps, joined them back
    row by row and sorted the answers to disk.
    """
    _before, after = _window(months)
    later = SurveyResponse.objects.filter(
        Q(collected_on__gt=OuterRef("collected_on"))
        | Q(collected_on=OuterRef("collected_on"), id__gt=OuterRef("id")),
        present,
        returnee_id=OuterRef("returnee_id"),
        # a later survey is after the window's start already
        collected_on__lte=OuterRef("returnee__return_date") + after,
    )
    return SurveyResponse.objects.filter(
        _in_cohort(start, end, "returnee__"), _survey_window(months), present
    ).filter(~Exists(later))


def compute(definition: Definition, start: date, end: date, by: str) -> dict[str, dict[str, Any]]:
    """The indicator's value per group of ``by`` for the people who returned from ``start`` to ``end``."""
    if by not in DISAGGREGATIONS:
        raise ValueError(by)
    people = cohort(start, end)
    kind, p = definition.kind, definition.params
    keys = _keys(by)

    def key(group: Any) -> str:
        return str(keys.get(group, group))

    out: dict[str, dict[str, Any]] = {}
    rows: Any
    if kind == "share_with_plan":
        # The people per group, then (from the few plans) those with a plan in time: two narrow counts
        # instead of a subquery on every person.
        totals = (
            people.annotate(group=_group_expression(by, "", end))
            .values("group")
            .annotate(n=Count("id"))
            .order_by()
        )
        planned = (
            ReintegrationPlan.objects.filter(
                returnee__in=people, created_at__lte=F("returnee__created_at") + timedelta(days=p["days"])
            )
            .annotate(group=_group_expression(by, "returnee__", end))
            .values("group")
            .annotate(k=Count("returnee", distinct=True))
            .order_by()
        )
        with_plan = {key(row["group"]): row["k"] for row in planned}
        for row in totals:
            group = key(row["group"])
            out[group] = _cell(with_plan.get(group, 0) / row["n"] if row["n"] else None, row["n"])
        return out
    referrals = Referral.objects.filter(returnee__in=people).exclude(status=ReferralStatus.DRAFT)
    if kind == "referrals_completed":
        rows = (
            referrals.annotate(group=_group_expression(by, "returnee__", end))
            .values("group")
            .annotate(n=Count("id"), k=Count("id", filter=Q(status=ReferralStatus.COMPLETED)))
            .order_by()
        )
        for row in rows:
            out[key(row["group"])] = _cell(row["k"] / row["n"] if row["n"] else None, row["n"])
        return out
    if kind == "median_days_to_service":
        waits: dict[str, list[float]] = {}
        done = referrals.filter(
            status=ReferralStatus.COMPLETED, sent_at__isnull=False, closed_at__isnull=False
        )
        for group, wait in done.annotate(
            group=_group_expression(by, "returnee__", end), wait=F("closed_at") - F("sent_at")
        ).values_list("group", "wait"):
            waits.setdefault(key(group), []).append(wait.total_seconds() / 86400)
        for group, values in waits.items():
            out[group] = _cell(round(median(values), 1), len(values))
        return out
    if kind == "share_answer_at":
        field = f"answers__{p['indicator']}"
        latest = _latest_in_window(start, end, p["months"], Q(**{f"{field}__isnull": False}))
        rows = (
            latest.annotate(group=_group_expression(by, "returnee__", end))
            .values("group")
            .annotate(n=Count("id"), k=Count("id", filter=Q(**{f"{field}__in": p["values"]})))
            .order_by()
        )
        for row in rows:
            out[key(row["group"])] = _cell(row["k"] / row["n"] if row["n"] else None, row["n"])
        return out
    if kind == "mean_score_at":
        latest = _latest_in_window(start, end, p["months"], Q(**{f"{p['score']}__isnull": False}))
        rows = (
            latest.annotate(group=_group_expression(by, "returnee__", end))
            .values("group")
            .annotate(n=Count("id"), mean=Avg(p["score"]))
            .order_by()
        )
        for row in rows:
            out[key(row["group"])] = _cell(
                round(row["mean"], 2) if row["mean"] is not None else None, row["n"]
            )
        return out
    raise ValueError(f"unknown indicator kind {kind!r}")
