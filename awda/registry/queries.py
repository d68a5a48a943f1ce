"""Reads of the registry, always within the user's data scope: lists, filters, search, duplicate candidates."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from awda.accounts.models import User
from awda.accounts.scope import ScopePaths, scope_records
from awda.registry import names
from awda.registry.enums import ConsentPurpose
from awda.registry.models import (
    Category,
    Consent,
    IdentityDocument,
    NameToken,
    Phone,
    Returnee,
    ReturneeCategory,
)

RETURNEE_SCOPE = ScopePaths(
    institution="institution", governorate="governorate", district="district", assignee="owner"
)
CASE_NUMBER = re.compile(r"^AWD-\d{4}-\d{7}$", re.IGNORECASE)
CANDIDATES_PER_QUERY = 120
# What search and the duplicate check read of a candidate; the rest of a wide record stays on disk.
CANDIDATE_FIELDS = (
    "id", "uuid", "case_number", "institution_id", "given_name", "father_name", "grandfather_name",
    "great_grandfather_name", "family_name", "given_name_latin", "father_name_latin", "grandfather_name_latin",
    "family_name_latin", "known_as", "mother_name", "full_key", "given_skeleton", "father_skeleton",
    "grandfather_skeleton", "family_skeleton", "sex", "date_of_birth", "birth_date_precision", "return_type", "status",
    "governorate__pcode", "governorate__name_ar", "governorate__name_ckb", "governorate__name_en",
)  # fmt: skip


def shared_with(user: User) -> Q | None:
    """Records whose person consented to share them with the user's institution or its kind.

    Written as ``id IN (subquery)`` rather than a correlated EXISTS: PostgreSQL hashes the (small)
    set of shared records once instead of probing the consents for each of a million rows.
    """
    institution = user.institution
    if institution is None:
        return None
    # Only consents to the whole case file open the record; a consent to share some parts (a referral's)
    # lets the receiver see those parts on the referral, never the case.
    active = Consent.objects.filter(granted=True, withdrawn_at__isnull=True, whole_record=True)
    named = active.filter(purpose=ConsentPurpose.SHARING_INSTITUTION, shared_with=institution)
    by_type = active.filter(
        purpose=ConsentPurpose.SHARING_INSTITUTION_TYPE, shared_with_type=institution.type
    )
    return Q(pk__in=named.values("returnee_id")) | Q(pk__in=by_type.values("returnee_id"))


def returnees_visible_to(user: User) -> QuerySet[Returnee]:
    """Every returnee the user may read: their data scope, plus records shared with them by consent."""
    return scope_records(user, _current(), RETURNEE_SCOPE, also=shared_with(user))


def returnees_editable_by(user: User) -> QuerySet[Returnee]:
    """Records the user may change: their own data scope only, never records merely shared with them."""
    from awda.accounts.roles import Capability, has_capability

    if not has_capability(user, Capability.EDIT_RECORDS):
        return Returnee.objects.none()
    return scope_records(user, _current(), RETURNEE_SCOPE)


def _current() -> QuerySet[Returnee]:
    """Records merged into another are history: they live on in the survivor until the merge is undone."""
    return Returnee.objects.filter(merged_into__isnull=True)


def merged_survivor_uuid(user: User, returnee_uuid: uuid.UUID | str) -> uuid.UUID | None:
    """Where a merged record lives on, if the user may see that record."""
    try:
        survivor_id = (
            Returnee.objects.filter(uuid=returnee_uuid, merged_into__isnull=False)
            .values_list("merged_into_id", flat=True)
            .first()
        )
    except (ValueError, TypeError, ValidationError):
        return None
    if survivor_id is None:
        return None
    return returnees_visible_to(user).filter(pk=survivor_id).values_list("uuid", flat=True).first()


# Filters of the list (the page and the API use the same names)
AGE_GROUPS: dict[str, tuple[int, int | None]] = {
    "0-17": (0, 17),
    "18-24": (18, 24),
    "25-39": (25, 39),
    "40-59": (40, 59),
    "60+": (60, None),
}
AGE_GROUP_LABELS = {
    "0-17": _("Under 18"),
    "18-24": _("18 to 24"),
    "25-39": _("25 to 39"),
    "40-59": _("40 to 59"),
    "60+": _("60 and over"),
}


def _birth_window(group: str, today: date) -> Q:
    low, high = AGE_GROUPS[group]
    # Born on or before today minus `low` years, and after today minus `high + 1` years.
    latest = years_before(today, low)
    condition = Q(date_of_birth__lte=latest)
    if high is not None:
        condition &= Q(date_of_birth__gt=years_before(today, high + 1))
    return condition


def years_before(day: date, years: int) -> date:
    """The same day ``years`` years earlier (28 February for a 29 February in a year without one)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def filter_returnees(queryset: QuerySet[Returnee], filters: dict[str, Any]) -> QuerySet[Returnee]:
    """Apply the list's filters; unknown or empty values are ignored (forms validate them first)."""
    simple = {
        "governorate": "governorate_id",
        "district": "district_id",
        "settlement": "settlement",
        "return_type": "return_type",
        "country": "country_returned_from_id",
        "sex": "sex",
        "status": "status",
        "office": "office__uuid",
    }
    for key, lookup in simple.items():
        value = filters.get(key)
        if value:
            queryset = queryset.filter(**{lookup: value})
    for key in ("category", "vulnerability"):
        code = filters.get(key)
        if code:
            category_id = Category.objects.filter(code=code).values_list("pk", flat=True).first() or 0
            assigned = ReturneeCategory.objects.filter(category_id=category_id).values("returnee_id")
            queryset = queryset.filter(pk__in=assigned)
    age_group = filters.get("age_group")
    if age_group in AGE_GROUPS:
        queryset = queryset.filter(_birth_window(age_group, timezone.localdate()))
    if filters.get("mine") and filters.get("user") is not None:
        queryset = queryset.filter(owner=filters["user"])
    return queryset


@dataclass
class SearchHit:
    returnee: Returnee
    score: float
    reasons: list[Any] = field(default_factory=list)


def _name_candidates(queryset: QuerySet[Returnee], query: str) -> list[Returnee]:
    """Candidates from index-driven look-ups only (never a scan): positional name keys, then the token index."""
    tokens = names.name_tokens(query)
    skeletons = [key for key in (names.skeleton(token) for token in tokens) if key]
    if not skeletons:
        return []
    lookups: list[Q] = []
    positional = {"given_skeleton": skeletons[0]}
    for column, key in zip(("father_skeleton", "grandfather_skeleton"), skeletons[1:3], strict=False):
        positional[column] = key
    lookups.append(Q(**positional))
    if len(skeletons) > 1:
        lookups.append(Q(given_skeleton=skeletons[0], family_skeleton=skeletons[-1]))
        lookups.append(Q(given_skeleton=skeletons[0], father_skeleton=skeletons[1]))
    else:
        lookups.append(Q(family_skeleton=skeletons[0]))
    found: dict[int, Returnee] = {}
    related = queryset.select_related("governorate").only(*CANDIDATE_FIELDS)
    for condition in lookups:
        for returnee in related.filter(condition)[:CANDIDATES_PER_QUERY]:
            found.setdefault(returnee.pk, returnee)
    # Known-as names and Latin spellings live in the token index: start from the longest key.
    keys = sorted(set(skeletons), key=len, reverse=True)
    ids = NameToken.objects.filter(token=keys[0]).values_list("returnee_id", flat=True)[
        : CANDIDATES_PER_QUERY * 5
    ]
    by_tokens = related.filter(pk__in=list(ids))
    for key in keys[1:3]:
        by_tokens = by_tokens.filter(Exists(NameToken.objects.filter(returnee=OuterRef("pk"), token=key)))
    for returnee in by_tokens[:CANDIDATES_PER_QUERY]:
        found.setdefault(returnee.pk, returnee)
    return list(found.values())


def _name_score(query: str, returnee: Returnee) -> float:
    query_skeleton = " ".join(names.skeleton(t) for t in names.name_tokens(query))
    candidate_skeletons = " ".join(
        s
        for s in (
            returnee.given_skeleton,
            returnee.father_skeleton,
            returnee.grandfather_skeleton,
            returnee.family_skeleton,
        )
        if s
    )
    query_key = names.normalize_name(query)
    best_text = max(
        fuzz.token_sort_ratio(query_key, returnee.full_key),
        fuzz.token_sort_ratio(names.normalize_name(query), names.normalize_name(returnee.known_as))
        if returnee.known_as
        else 0,
        fuzz.token_sort_ratio(names.normalize_latin(query), names.normalize_latin(returnee.full_name_latin))
        if returnee.full_name_latin
        else 0,
    )
    skeleton_score = (
        fuzz.ratio(query_skeleton, candidate_skeletons[: len(query_skeleton) + 2]) if query_skeleton else 0
    )
    return round(0.5 * best_text + 0.5 * skeleton_score, 1)


def search_returnees(
    user: User, query: str, *, base: QuerySet[Returnee] | None = None, limit: int = 50
) -> list[SearchHit]:
    """Find people by name in either script, by case number, phone in any format, or document number."""
    query = (query or "").strip()
    if not query:
        return []
    visible = base if base is not None else returnees_visible_to(user)
    if CASE_NUMBER.match(query):
        return [
            SearchHit(r, 100.0, [_("Case number")]) for r in visible.filter(case_number__iexact=query)[:1]
        ]
    digits = sum(ch.isdigit() for ch in names.normalize_document_number(query))
    if digits >= 6:
        hits: list[SearchHit] = []
        phone = names.normalize_phone(query)
        if phone:
            matched = visible.filter(Exists(Phone.objects.filter(returnee=OuterRef("pk"), number=phone)))
            hits += [SearchHit(r, 100.0, [_("Phone")]) for r in matched[:limit]]
        document = names.normalize_document_number(query)
        matched = visible.filter(
            Exists(IdentityDocument.objects.filter(returnee=OuterRef("pk"), number_key=document))
        )
        hits += [
            SearchHit(r, 100.0, [_("Document number")])
            for r in matched[:limit]
            if r not in [h.returnee for h in hits]
        ]
        if hits:
            return hits
    candidates = _name_candidates(visible, query)
    scored = [SearchHit(r, _name_score(query, r), [_("Name")]) for r in candidates]
    scored.sort(key=lambda hit: (-hit.score, hit.returnee.case_number))
    return [hit for hit in scored if hit.score >= 50][:limit]


@dataclass
class DuplicateCandidate:
    returnee: Returnee
    score: float
    reasons: list[str]


def _sketch_of_payload(payload: dict[str, Any]) -> Any:
    from awda.registry.duplicates import PersonSketch

    record = payload["record"]
    phones = frozenset(p for p in (names.normalize_phone(str(x)) for x in payload.get("phones", [])) if p)
    documents = frozenset(
        key
        for key in (
            names.normalize_document_number(d.get("number", "")) for d in payload.get("documents", [])
        )
        if key
    )
    return PersonSketch(
        given=record.get("given_name", ""),
        father=record.get("father_name", ""),
        grandfather=record.get("grandfather_name", ""),
        family=record.get("family_name", ""),
        mother=record.get("mother_name", ""),
        date_of_birth=record.get("date_of_birth"),
        birth_year_only=record.get("birth_date_precision") == "year",
        phones=phones,
        documents=documents,
    )


def _sketch_of_returnee(returnee: Returnee, phones: set[str], documents: set[str]) -> Any:
    from awda.registry.duplicates import PersonSketch

    return PersonSketch(
        given=returnee.given_name,
        father=returnee.father_name,
        grandfather=returnee.grandfather_name,
        family=returnee.family_name,
        mother=returnee.mother_name,
        date_of_birth=returnee.date_of_birth,
        birth_year_only=returnee.birth_date_precision == "year",
        phones=frozenset(phones),
        documents=frozenset(key for key in documents if key),
    )


def duplicate_candidates(user: User, payload: dict[str, Any], *, limit: int = 10) -> list[DuplicateCandidate]:
    """Likely existing records for a registration, among those the user may see, with the reasons."""
    from awda.registry.duplicates import THRESHOLD, score_match

    new = _sketch_of_payload(payload)
    visible = returnees_visible_to(user)
    given, father = names.skeleton(new.given), names.skeleton(new.father)
    # One query: the name keys and the ids found by phone and document, combined with OR so that
    # PostgreSQL can join the index scans (BitmapOr) instead of running four queries.
    condition = Q(pk__in=[])
    if given and father:
        condition |= Q(given_skeleton=given, father_skeleton=father)
    if given and new.family:
        condition |= Q(
            given_skeleton=given,
            family_skeleton=names.skeleton(names.strip_article(names.normalize_name(new.family))),
        )
    matched_ids: set[int] = set()
    if new.phones:
        matched_ids |= set(
            Phone.objects.filter(number__in=list(new.phones)).values_list("returnee_id", flat=True)[:50]
        )
    if new.documents:
        matched_ids |= set(
            IdentityDocument.objects.filter(number_key__in=list(new.documents)).values_list(
                "returnee_id", flat=True
            )[:50]
        )
    if matched_ids:
        condition |= Q(pk__in=sorted(matched_ids))
    candidates = visible.select_related("governorate").only(*CANDIDATE_FIELDS)
    found = {r.pk: r for r in candidates.filter(condition)[:CANDIDATES_PER_QUERY]}
    # Phones and documents of all candidates in two queries (cheaper than prefetch_related's per-row work).
    phones: dict[int, set[str]] = {}
    for returnee_id, number in Phone.objects.filter(returnee_id__in=list(found)).values_list(
        "returnee_id", "number"
    ):
        phones.setdefault(returnee_id, set()).add(number)
    documents: dict[int, set[str]] = {}
    for returnee_id, key in IdentityDocument.objects.filter(returnee_id__in=list(found)).values_list(
        "returnee_id", "number_key"
    ):
        documents.setdefault(returnee_id, set()).add(key)
    scored = []
    for returnee in found.values():
        match = score_match(
            new,
            _sketch_of_returnee(returnee, phones.get(returnee.pk, set()), documents.get(returnee.pk, set())),
        )
        if match.score >= THRESHOLD:
            scored.append(DuplicateCandidate(returnee, match.score, match.reasons))
    scored.sort(key=lambda c: (-c.score, c.returnee.case_number))
    return scored[:limit]
