"""Reads of referrals and plans, always within the user's reach: the sender's scope or the receiver's inbox."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet, prefetch_related_objects
from django.utils import timezone

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.accounts.scope import ScopePaths, scope_records
from awda.catalogue.models import Service
from awda.catalogue.queries import eligibility_for, person_of, running_services
from awda.referrals import rules
from awda.referrals.enums import Outcome, ReferralStatus
from awda.referrals.models import OPEN_STATUSES, Referral, ReintegrationPlan, ResponseProposal, ResponseRule
from awda.registry.categorisation import returnee_facts
from awda.registry.consents import ALL_PARTS
from awda.registry.enums import ConsentPurpose
from awda.registry.models import Consent, Returnee

SENDER_SCOPE = ScopePaths(
    institution="from_institution",
    governorate="returnee__governorate",
    district="returnee__district",
    assignee="returnee__owner",
    office="from_office",
)
PLAN_SCOPE = ScopePaths(
    institution="returnee__institution",
    governorate="returnee__governorate",
    district="returnee__district",
    assignee="returnee__owner",
)


def _referrals() -> QuerySet[Referral]:
    return Referral.objects.select_related(
        "service", "to_organisation", "to_institution", "from_institution", "returnee", "assigned_to"
    )


def sent_by(user: User) -> QuerySet[Referral]:
    """Referrals the user's unit made, within their data scope (the sender's side)."""
    if not has_capability(user, Capability.REFER):
        return Referral.objects.none()
    return scope_records(user, _referrals(), SENDER_SCOPE)


def received_by(user: User) -> QuerySet[Referral]:
    """Referrals addressed to the user's institution, once sent (the receiver's side)."""
    if not has_capability(user, Capability.RECEIVE_REFERRALS) or user.institution_id is None:
        return Referral.objects.none()
    return _referrals().filter(to_institution_id=user.institution_id).exclude(status=ReferralStatus.DRAFT)


def inbox_page(user: User, *, status: str = "", page: int = 1, size: int = 50) -> tuple[list[Referral], bool]:
    """One page of the receiver's inbox, newest first; ``status`` "open" means waiting or under way."""
    referrals = received_by(user)
    if status == "open":
        referrals = referrals.filter(
            status__in=[ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS]
        )
    elif status in ReferralStatus.values:
        referrals = referrals.filter(status=status)
    start = (max(1, page) - 1) * size
    # Joined with all six relations, the query took longer to plan than to run (10 ms against 2 ms at
    # 100,000 referrals) and brought each wide row of a service or a person once per referral: the
    # small tables are joined, the services and the people read by key afterwards (two narrow queries).
    referrals = referrals.select_related(None).select_related(
        "to_organisation", "to_institution", "from_institution", "assigned_to"
    )
    rows = list(referrals.order_by("-sent_at", "-id")[start : start + size + 1])
    shown = rows[:size]
    prefetch_related_objects(shown, "service", "returnee")
    return shown, len(rows) > size


def parts_for(referrals: list[Referral]) -> dict[int, frozenset[str]]:
    """For each referral, the parts of the record its receiver may see now: what the sender chose, cut
    down to the returnee's consents in force for the receiving institution (read in one query)."""
    if not referrals:
        return {}
    returnee_ids = {r.returnee_id for r in referrals}
    consents = Consent.objects.filter(
        returnee_id__in=returnee_ids,
        granted=True,
        withdrawn_at__isnull=True,
        purpose__in=[ConsentPurpose.SHARING_INSTITUTION, ConsentPurpose.SHARING_INSTITUTION_TYPE],
    ).only("returnee_id", "purpose", "shared_with_id", "shared_with_type", "whole_record", "fields")
    by_returnee: dict[int, list[Consent]] = defaultdict(list)
    for consent in consents:
        by_returnee[consent.returnee_id].append(consent)
    out: dict[int, frozenset[str]] = {}
    for referral in referrals:
        institution = referral.to_institution
        if institution.pk == referral.returnee.institution_id:
            allowed = set(ALL_PARTS)
        else:
            allowed = set()
            for c in by_returnee.get(referral.returnee_id, []):
                named = c.purpose == ConsentPurpose.SHARING_INSTITUTION and c.shared_with_id == institution.pk
                by_type = (
                    c.purpose == ConsentPurpose.SHARING_INSTITUTION_TYPE
                    and c.shared_with_type == institution.type
                )
                if named or by_type:
                    allowed |= ALL_PARTS if c.whole_record else set(c.fields)
        out[referral.pk] = frozenset(set(referral.shared_fields) & allowed)
    return out


def case_referrals(returnee: Returnee) -> list[Referral]:
    return list(_referrals().filter(returnee=returnee).order_by("-created_at", "-id"))


def current_plan(returnee: Returnee) -> ReintegrationPlan | None:
    return (
        ReintegrationPlan.objects.filter(returnee=returnee)
        .exclude(status="closed")
        .prefetch_related("goals__actions__referral")
        .first()
    )


def plans_visible_to(user: User) -> QuerySet[ReintegrationPlan]:
    return scope_records(user, ReintegrationPlan.objects.select_related("returnee"), PLAN_SCOPE)


def plans_to_approve(user: User) -> QuerySet[ReintegrationPlan]:
    if not has_capability(user, Capability.APPROVE_PLANS):
        return ReintegrationPlan.objects.none()
    return plans_visible_to(user).filter(status="submitted").order_by("submitted_at")


# --------------------------------------------------------------------------------------------------
# Suggestions: the eligible services for a need, ranked, each with its reasons
# --------------------------------------------------------------------------------------------------


@dataclass
class Suggestion:
    service: Service
    ranked: rules.Ranked
    places_left: int | None


def _outcome_counts(service_ids: list[int]) -> dict[int, tuple[int, int]]:
    rows = (
        Referral.objects.filter(
            service_id__in=service_ids, status__in=[ReferralStatus.COMPLETED, ReferralStatus.NOT_COMPLETED]
        )
        .values("service_id")
        .annotate(
            closed=Count("id"),
            met=Count("id", filter=Q(outcome__in=[Outcome.NEED_MET, Outcome.PARTLY_MET])),
        )
    )
    return {row["service_id"]: (row["met"], row["closed"]) for row in rows}


def suggestions(returnee: Returnee, need_category: str, *, today: date | None = None) -> list[Suggestion]:
    """The services open to this returnee for this need, best first (place, places left, priority
    groups, the provider's past outcomes). Full, ineligible or not-running services are left out."""
    today = today or timezone.localdate()
    facts = returnee_facts(returnee, today=today)
    person = person_of(returnee, facts)
    result = eligibility_for(person, today=today)
    eligible = {v.key for v in result.eligible if v.available}
    if not eligible:
        return []
    # The person is eligible for thousands of services, of which a few hundred answer this need: read
    # the keys of those (narrowly), and the whole rows only of the ones both eligible and answering it.
    answering = (
        running_services(today)
        .filter(
            Q(category__parent__isnull=True, category__need_category=need_category)
            | Q(category__parent__need_category=need_category)
        )
        .exclude(organisation__institution__isnull=True)
        .values_list("pk", "uuid")
    )
    wanted = [pk for pk, key in answering if str(key) in eligible]
    if not wanted:
        return []
    services = list(
        running_services(today)
        .filter(pk__in=wanted)
        # The place comes from the eligibility terms; the receiving institution is what callers read next.
        .select_related("organisation__institution", "category")
        .order_by("code")
    )
    if not services:
        return []
    month = today.replace(day=1)
    counts = _outcome_counts([s.pk for s in services])
    groups = set(person.categories) | set(person.vulnerabilities)
    candidates: list[rules.Candidate] = []
    by_key: dict[str, Service] = {}
    for service in services:
        terms = result.index.by_key[str(service.uuid)]
        load = service.current_load if service.load_month == month else 0
        if service.capacity_per_month is not None and load >= service.capacity_per_month:
            continue  # taken since the index was read
        met, closed = counts.get(service.pk, (0, 0))
        place = rules.place_of(
            district_match=returnee.district_id in terms.coverage.districts,
            governorate_match=returnee.governorate_id in terms.coverage.governorates,
            nationwide=terms.coverage.nationwide,
            remote=terms.coverage.remote,
        )
        candidates.append(
            rules.Candidate(
                key=str(service.uuid),
                place=place,
                capacity=service.capacity_per_month,
                load=load,
                targets=terms.criteria.categories | terms.criteria.vulnerabilities,
                completed=met,
                closed=closed,
            )
        )
        by_key[str(service.uuid)] = service
    ranked = rules.rank(candidates, groups)
    out = []
    for item in ranked:
        service = by_key[item.key]
        load = service.current_load if service.load_month == month else 0
        left = None if service.capacity_per_month is None else service.capacity_per_month - load
        out.append(Suggestion(service=service, ranked=item, places_left=left))
    return out


# --------------------------------------------------------------------------------------------------
# Case-response rules
# --------------------------------------------------------------------------------------------------


def pending_proposals(returnee: Returnee, facts: dict[str, Any] | None = None) -> list[ResponseRule]:
    """The case-response rules that apply to this case and that nobody has confirmed or dismissed yet."""
    active = list(ResponseRule.objects.filter(is_active=True).order_by("order", "code"))
    if not active:
        return []
    facts = facts if facts is not None else returnee_facts(returnee)
    codes = set(rules.applicable([(r.code, r.condition) for r in active], facts))
    decided = set(ResponseProposal.objects.filter(returnee=returnee).values_list("rule_id", "rule_version"))
    return [r for r in active if r.code in codes and (r.pk, r.version) not in decided]


# --------------------------------------------------------------------------------------------------
# Overdue and statistics
# --------------------------------------------------------------------------------------------------


def completion_due(accepted_at: Any) -> Any:
    return accepted_at + timedelta(days=settings.AWDA_REFERRAL_COMPLETION_DAYS)


def statistics(referrals: QuerySet[Referral], *, now: Any = None) -> list[dict[str, Any]]:
    """Per provider and service category: counts, median days to acceptance and to completion,
    decline reasons and overdue referrals."""
    now = now or timezone.now()
    rows = referrals.exclude(status=ReferralStatus.DRAFT).values(
        "to_organisation_id",
        "to_organisation__name_ar",
        "to_organisation__name_ckb",
        "to_organisation__name_en",
        "service__category__parent__code",
        "service__category__code",
        "status",
        "decline_reason",
        "sent_at",
        "accepted_at",
        "closed_at",
        "answer_due_at",
    )
    groups: dict[tuple[Any, str], dict[str, Any]] = {}
    row: Any
    for row in rows.iterator(chunk_size=5000):
        category = row["service__category__parent__code"] or row["service__category__code"] or "transfer"
        key = (row["to_organisation_id"], category)
        group = groups.setdefault(
            key,
            {
                "organisation": {k: row[f"to_organisation__name_{k}"] for k in ("ar", "ckb", "en")},
                "category": category,
                "sent": 0,
                "accepted": 0,
                "declined": 0,
                "completed": 0,
                "overdue": 0,
                "to_accept": [],
                "to_complete": [],
                "decline_reasons": defaultdict(int),
            },
        )
        group["sent"] += 1
        status = row["status"]
        if row["accepted_at"] is not None:
            group["accepted"] += 1
            group["to_accept"].append((row["accepted_at"] - row["sent_at"]).total_seconds() / 86400)
        if status == ReferralStatus.DECLINED:
            group["declined"] += 1
            group["decline_reasons"][row["decline_reason"] or "other"] += 1
        if status == ReferralStatus.COMPLETED:
            group["completed"] += 1
            if row["closed_at"] is not None:
                group["to_complete"].append((row["closed_at"] - row["sent_at"]).total_seconds() / 86400)
        late_answer = status == ReferralStatus.SENT and row["answer_due_at"] and row["answer_due_at"] < now
        late_service = (
            status in (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
            and row["accepted_at"] is not None
            and completion_due(row["accepted_at"]) < now
        )
        if late_answer or late_service or status == ReferralStatus.EXPIRED:
            group["overdue"] += 1
    out = []
    for group in groups.values():
        group["days_to_accept"] = round(median(group.pop("to_accept")), 1) if group["to_accept"] else None
        group["days_to_complete"] = (
            round(median(group.pop("to_complete")), 1) if group["to_complete"] else None
        )
        group.pop("to_accept", None)
        group.pop("to_complete", None)
        group["decline_reasons"] = dict(sorted(group["decline_reasons"].items(), key=lambda kv: -kv[1]))
        out.append(group)
    out.sort(key=lambda g: (-g["sent"], g["organisation"]["en"], g["category"]))
    return out


def open_referral_exists(returnee: Returnee, service: Service) -> bool:
    return Referral.objects.filter(returnee=returnee, service=service, status__in=OPEN_STATUSES).exists()
