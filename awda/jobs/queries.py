"""Reads of the job market: people's and offers' facts for matching, ranked offers and candidates, the
market view. Personal records are reached through ``access`` (scoped and audited) by the views."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.utils import timezone

from awda.jobs import access, rules
from awda.jobs.enums import OPEN_TO_ALL_KINDS, EmployerStatus, Mobility, OfferStatus, PlacementStatus
from awda.jobs.matching import OfferIndex
from awda.jobs.models import JobProfile, Offer, Placement, RetentionCheck
from awda.registry.enums import CaseStatus, EmploymentStatus
from awda.registry.models import Returnee, ReturneeCategory, Skill
from awda.registry.queries import years_before

NOT_LOOKING = (EmploymentStatus.RETIRED, EmploymentStatus.UNABLE_TO_WORK)
WORKING_AGE = (15, 64)


# --------------------------------------------------------------------------------------------------
# Facts
# --------------------------------------------------------------------------------------------------


def job_seekers(today: date | None = None) -> QuerySet[Returnee]:
    """People matching may propose: current open cases of working age (or unknown age) who have not said
    they are not looking, and who have not refused to be shown to employers."""
    today = today or timezone.localdate()
    youngest = years_before(today, WORKING_AGE[0])
    oldest = years_before(today, WORKING_AGE[1] + 1)
    return (
        Returnee.objects.filter(merged_into__isnull=True)
        .exclude(status__in=(CaseStatus.CLOSED, CaseStatus.TRANSFERRED))
        .exclude(employment_status__in=NOT_LOOKING)
        .exclude(job_profile__seeking=False)
        .filter(Q(date_of_birth__isnull=True) | Q(date_of_birth__lte=youngest, date_of_birth__gt=oldest))
        .exclude(pk__in=access.refused_employers().values("returnee_id"))
    )


def person_facts(ids: Sequence[int]) -> dict[int, rules.PersonFacts]:
    """The matching facts of many people in a handful of queries."""
    if not ids:
        return {}
    occupations: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for pk, code, years in Skill.objects.filter(returnee_id__in=ids).values_list(
        "returnee_id", "occupation_id", "years_experience"
    ):
        occupations[pk].append((code, years))
    categories: dict[int, set[str]] = defaultdict(set)
    for pk, code in ReturneeCategory.objects.filter(returnee_id__in=ids).values_list(
        "returnee_id", "category__code"
    ):
        categories[pk].add(code)
    profiles: dict[int, tuple[list[str], str, int]] = {}
    for pk, languages, mobility, profile_id in JobProfile.objects.filter(returnee_id__in=ids).values_list(
        "returnee_id", "languages", "mobility", "pk"
    ):
        profiles[pk] = (languages or [], mobility, profile_id)
    skills: dict[int, set[str]] = defaultdict(set)
    if profiles:
        through = JobProfile.skills.through
        by_profile = {v[2]: k for k, v in profiles.items()}
        for profile_id, code in through.objects.filter(jobprofile_id__in=by_profile).values_list(
            "jobprofile_id", "skillterm__code"
        ):
            skills[by_profile[profile_id]].add(code)
    out: dict[int, rules.PersonFacts] = {}
    for pk, governorate, district, education in Returnee.objects.filter(pk__in=ids).values_list(
        "pk", "governorate_id", "district_id", "education_level"
    ):
        languages, mobility, _ = profiles.get(pk, ([], Mobility.GOVERNORATE, 0))
        out[pk] = rules.PersonFacts(
            occupations=tuple(sorted(occupations.get(pk, ()))),
            skills=frozenset(skills.get(pk, ())),
            education=education,
            languages=frozenset(languages),
            governorate=governorate,
            district=district,
            mobility=mobility,
            categories=frozenset(categories.get(pk, ())),
        )
    return out


def offer_facts(offers: Iterable[Offer]) -> dict[int, rules.OfferFacts]:
    offers = list(offers)
    ids = [o.pk for o in offers]
    skills: dict[int, set[str]] = defaultdict(set)
    for pk, code in Offer.skills.through.objects.filter(offer_id__in=ids).values_list(
        "offer_id", "skillterm__code"
    ):
        skills[pk].add(code)
    priority: dict[int, set[str]] = defaultdict(set)
    for pk, code in Offer.priority_categories.through.objects.filter(offer_id__in=ids).values_list(
        "offer_id", "category__code"
    ):
        priority[pk].add(code)
    return {
        o.pk: rules.OfferFacts(
            kind=o.kind,
            occupation=o.occupation_id,
            skills=frozenset(skills.get(o.pk, ())),
            education_min=o.education_min,
            languages=frozenset(o.languages or ()),
            governorate=o.governorate_id,
            district=o.district_id,
            remote=o.remote,
            priority=frozenset(priority.get(o.pk, ())),
        )
        for o in offers
    }


def open_offers(today: date | None = None) -> QuerySet[Offer]:
    """Offers people can be matched to: open, with places left, not past their closing date, of an
    approved company."""
    today = today or timezone.localdate()
    return Offer.objects.filter(
        status=OfferStatus.OPEN, employer__status=EmployerStatus.APPROVED, opens_on__lte=today
    ).filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))


# --------------------------------------------------------------------------------------------------
# The index of open offers, rebuilt when an offer changes
# --------------------------------------------------------------------------------------------------


@dataclass
class _IndexCache:
    key: Any = None
    index: OfferIndex = field(default_factory=lambda: OfferIndex([]))
    offers: dict[str, int] = field(default_factory=dict)


_cache = _IndexCache()
_lock = threading.Lock()


def offer_index() -> tuple[OfferIndex, dict[str, int]]:
    """All open offers as arrays (``matching.OfferIndex``), cached per process until an offer changes or
    the day turns; with each offer's key (its UUID as text) → primary key."""
    today = timezone.localdate()
    state = Offer.objects.aggregate(
        n=Count("id"), last=Max("updated_at"), employers=Max("employer__updated_at")
    )
    key = (state["n"], state["last"], state["employers"], today)
    with _lock:
        if _cache.key == key:
            return _cache.index, _cache.offers
    offers = list(open_offers(today).filter(filled__lt=F("places")).only(*_OFFER_FIELDS))
    facts = offer_facts(offers)
    keyed = sorted(((str(o.uuid), facts[o.pk]) for o in offers), key=lambda item: item[0])
    index = OfferIndex(keyed)
    by_key = {str(o.uuid): o.pk for o in offers}
    with _lock:
        _cache.key, _cache.index, _cache.offers = key, index, by_key
    return index, by_key


# What the index needs of an offer: its key and its facts.
_OFFER_FIELDS = (
    "pk",
    "uuid",
    "kind",
    "occupation_id",
    "education_min",
    "languages",
    "governorate_id",
    "district_id",
    "remote",
)


@dataclass(frozen=True)
class RankedOffer:
    offer: Offer
    match: rules.Match


def offers_for_person(returnee: Returnee, *, limit: int = 20) -> list[RankedOffer]:
    """The best open offers for the person, each with the rules' explanation."""
    facts = person_facts([returnee.pk]).get(returnee.pk)
    if facts is None:
        return []
    index, pks = offer_index()
    found = [
        (pks[index.arrays.keys[row]], m)
        for row, _score in index.top(facts, limit)
        if (m := rules.match(facts, index.arrays.facts[row])) is not None
    ]
    full = Offer.objects.select_related("employer__institution", "occupation", "governorate").in_bulk(
        [pk for pk, _ in found]
    )
    return [RankedOffer(full[pk], m) for pk, m in found if pk in full]


@dataclass(frozen=True)
class Candidate:
    key: str
    label: str
    returnee_id: int
    match: rules.Match
    facts: rules.PersonFacts


POOL_CAP = 8000  # people scored for one offer's candidate list at most


def _in_reach(facts: rules.OfferFacts) -> QuerySet[Returnee]:
    people = job_seekers()
    if not facts.remote:
        people = people.filter(
            Q(governorate_id=facts.governorate) | Q(job_profile__mobility=Mobility.ANYWHERE)
        )
    return people


def candidate_stages(facts: rules.OfferFacts) -> list[tuple[Q | None, float]]:
    """Who to score for an offer, closest occupations first: (filter, the best score anyone first found in
    a later stage could reach). Each stage's people are in reach; a job's last stage is the people of the
    same ISCO major group or with one of the skills asked (anyone else is no candidate, ``rules.match``);
    a course's last stage is everyone in reach."""
    code = facts.occupation
    stages: list[tuple[Q | None, float]] = []
    for n in range(len(code), 0, -1):
        q = Q(skills__occupation__code__startswith=code[:n])
        if n == len(code):
            # A broader group recorded for the person (e.g. "72") contains the offer's: as close as can be.
            q |= Q(skills__occupation__code__in=[code[:k] for k in range(1, len(code))])
            if facts.skills:
                q |= Q(job_profile__skills__code__in=facts.skills)
        # Anyone not yet found shares at most n - 1 digits with the offer's occupation.
        later_best = 1.0 - rules.WEIGHTS["occupation"] * (1.0 - rules.PROXIMITY[n - 1])
        stages.append((q, later_best))
    if facts.kind in OPEN_TO_ALL_KINDS:
        stages.append((None, -1.0))
    else:
        stages[-1] = (stages[-1][0], -1.0)
    return stages


def candidates_for_offer(offer: Offer, *, limit: int = 50) -> list[Candidate]:
    """The best candidates for an offer, anonymous: a key per offer and person, never their record's id.

    People are scored stage by stage from the closest occupations outwards, and the search stops as soon
    as the ``limit``-th best score is one nobody in the wider stages could beat (so the list is exact), or
    once ``POOL_CAP`` people were scored (then the list is the best among the closest occupations; the
    newest cases first within a stage)."""
    facts = offer_facts([offer])[offer.pk]
    index = OfferIndex([("offer", facts)])
    rows = index.candidate_rows(rules.PersonFacts(occupations=(), mobility=Mobility.ANYWHERE))
    seen: set[int] = set()
    scored: list[tuple[float, int, rules.PersonFacts]] = []
    # People already on the offer's shortlist, or who declined it or were not hired, are not offered again.
    base = _in_reach(facts).exclude(
        pk__in=Placement.objects.filter(offer=offer)
        .exclude(status=PlacementStatus.WITHDRAWN)
        .values("returnee_id")
    )
    for q, later_best in candidate_stages(facts):
        room = POOL_CAP - len(seen)
        if room <= 0:
            break
        stage = base if q is None else base.filter(q)
        if seen:
            stage = stage.exclude(pk__in=seen)
        ids = list(stage.order_by("-pk").values_list("pk", flat=True).distinct()[:room])
        seen.update(ids)
        people = person_facts(ids)
        order = [pk for pk in ids if pk in people]
        if order:
            scores = index.scores([people[pk] for pk in order], rows)[:, 0]
            scored.extend(
                (float(sc), pk, people[pk]) for pk, sc in zip(order, scores, strict=True) if sc >= 0
            )
        scored.sort(key=lambda item: (-item[0], -item[1]))
        if len(scored) >= limit and scored[limit - 1][0] >= later_best:
            break
    top = scored[:limit]
    uuids = dict(Returnee.objects.filter(pk__in=[pk for _, pk, _ in top]).values_list("pk", "uuid"))
    out = []
    for _score, pk, person in top:
        found = rules.match(person, facts)
        if found is not None:
            key = access.candidate_key(offer, uuids[pk])
            out.append(Candidate(key, access.candidate_label(key), pk, found, person))
    return out


def profile_of(returnee: Returnee) -> JobProfile | None:
    return JobProfile.objects.filter(returnee=returnee).prefetch_related("skills").first()


def placements_of(returnee: Returnee) -> list[Placement]:
    return list(
        Placement.objects.filter(returnee=returnee)
        .select_related("offer__employer__institution", "offer__occupation")
        .order_by("-created_at")
    )


def retention_due(user: Any, *, today: date | None = None) -> QuerySet[RetentionCheck]:
    """Retention checks not yet recorded, of the placements the user follows, by due date."""
    today = today or timezone.localdate()
    return (
        RetentionCheck.objects.filter(
            placement__in=access.placements_visible_to(user),
            result="",
            due_on__lte=today + timedelta(days=14),
        )
        .select_related("placement__offer__employer__institution", "placement__returnee")
        .order_by("due_on")
    )


def commitment_fulfilment(employer_id: int) -> dict[int, int]:
    """Per commitment: hires through its offers plus what was recorded by hand."""
    from awda.jobs.models import Commitment

    hires = dict(
        Placement.objects.filter(offer__commitment__employer_id=employer_id, status=PlacementStatus.HIRED)
        .values_list("offer__commitment_id")
        .annotate(n=Count("id"))
        .values_list("offer__commitment_id", "n")
    )
    return {
        c.pk: hires.get(c.pk, 0) + c.fulfilled_by_hand
        for c in Commitment.objects.filter(employer_id=employer_id)
    }


def open_places_total() -> int:
    return int(open_offers().aggregate(n=Sum("places"))["n"] or 0)
