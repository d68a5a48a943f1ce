"""Reads of the catalogue: the public search, eligibility of a returnee, and services set against needs."""

from __future__ import annotations

import gc
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Max, Q, QuerySet, Value, When, Window
from django.utils import timezone

from awda.catalogue import enums, rules
from awda.catalogue.models import Organisation, Programme, Service, ServiceCategory
from awda.geo.models import District, Governorate
from awda.registry.enums import CaseStatus
from awda.registry.models import Category, Need, Returnee
from awda.registry.names import normalize_name

# Counts of people below this are shown as "fewer than 5" (small-cell suppression of DESIGN.md).
SMALL_CELL = 5


def _names() -> dict[str, rules.Texts]:
    """Names of P-codes and registry categories in three languages, read from the database."""
    names: dict[str, rules.Texts] = {}
    for model in (Governorate, District):
        for place in model.objects.all():
            names[place.pcode] = {"ar": place.name_ar, "ckb": place.name_ckb, "en": place.name_en}
    for category in Category.objects.all():
        names[category.code] = {"ar": category.name_ar, "ckb": category.name_ckb, "en": category.name_en}
    return names


def known_codes() -> rules.Known:
    """Every code a service description may name, with the names of places and categories (read afresh)."""
    names = _names()
    governorates = set(Governorate.objects.values_list("pcode", flat=True))
    district_governorate = dict(District.objects.values_list("pcode", "governorate_id"))
    # A name shared by a governorate and its chief district (Baghdad…) means the governorate when
    # typed; such a district is still found by its P-code.
    place_names: dict[str, str] = {}
    for pcode in [*district_governorate, *sorted(governorates)]:
        for text in names[pcode].values():
            place_names[normalize_name(text)] = pcode
        place_names[normalize_name(pcode)] = pcode
    service_categories: dict[str, str] = {}
    for category in ServiceCategory.objects.filter(is_active=True):
        for text in (category.code, category.name_ar, category.name_ckb, category.name_en):
            service_categories[normalize_name(text)] = category.code
    return rules.Known(
        organisations=frozenset(Organisation.objects.filter(is_active=True).values_list("code", flat=True)),
        programmes=dict(Programme.objects.values_list("code", "organisation__code")),
        service_categories=service_categories,
        governorates=frozenset(governorates),
        district_governorate=district_governorate,
        place_names=place_names,
        category_conditions=dict(Category.objects.filter(is_active=True).values_list("code", "condition")),
        names=names,
    )


_memo: dict[str, tuple[float, Any]] = {}


def remembered(key: str, load: Callable[[], Any], seconds: float = 60) -> Any:
    """Configuration read once a minute per process (names, the taxonomy, Iraq's places change rarely)."""
    now = time.monotonic()
    found = _memo.get(key)
    if found is None or now - found[0] > seconds:
        found = (now, load())
        _memo[key] = found
    return found[1]


def forget(key: str) -> None:
    _memo.pop(key, None)


def place_and_category_names() -> dict[str, rules.Texts]:
    """``_names`` kept in the process for a minute: every card of a page asks for them."""
    names: dict[str, rules.Texts] = remembered("names", _names)
    return names


# --------------------------------------------------------------------------------------------------
# The public catalogue
# --------------------------------------------------------------------------------------------------


def running_services(today: date | None = None) -> QuerySet[Service]:
    """Services offered now: active and within their period."""
    today = today or timezone.localdate()
    return Service.objects.filter(is_active=True, organisation__is_active=True).filter(
        Q(starts_on__isnull=True) | Q(starts_on__lte=today), Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    category: ServiceCategory | None = None
    governorate: Governorate | None = None
    district: District | None = None
    language: str = ""


def _listing(
    *, governorate: str | None = None, district: str | None = None, in_governorate: str | None = None
) -> Q:
    """Services listing a governorate, a district, or any district of a governorate.

    Written as ``id IN (SELECT …)`` without reference to the outer row: the database runs each once and
    hashes it, instead of one lookup per service.
    """
    if governorate is not None:
        return Q(
            pk__in=Service.governorates.through.objects.filter(governorate_id=governorate).values(
                "service_id"
            )
        )
    if district is not None:
        return Q(pk__in=Service.districts.through.objects.filter(district_id=district).values("service_id"))
    return Q(
        pk__in=Service.districts.through.objects.filter(district__governorate_id=in_governorate).values(
            "service_id"
        )
    )


def search_services(filters: SearchFilters, *, today: date | None = None) -> QuerySet[Service]:
    """Published services matching the filters: the nearest first (district, governorate, country, remote).

    The place is tested with subqueries that do not depend on the service (see ``_listing``).
    """
    services = running_services(today)
    if filters.category is not None:
        # By code: the category may come from the per-process copy of the taxonomy (``remembered``).
        code = filters.category.code
        services = services.filter(Q(category__code=code) | Q(category__parent__code=code))
    whens = []
    if filters.district is not None:
        local = _listing(district=filters.district.pcode)
        regional = _listing(governorate=filters.district.governorate_id)
        services = services.filter(Q(nationwide=True) | Q(remote=True) | local | regional)
        whens += [When(local, then=Value(0)), When(regional, then=Value(1))]
    elif filters.governorate is not None:
        # Only a governorate was chosen: its districts' own services are as near as it gets.
        regional = _listing(governorate=filters.governorate.pcode) | _listing(
            in_governorate=filters.governorate.pcode
        )
        services = services.filter(Q(nationwide=True) | Q(remote=True) | regional)
        whens.append(When(regional, then=Value(1)))
    if filters.language:
        services = services.filter(language_tags__contains=f"|{filters.language}|")
    for token in normalize_name(filters.q).split()[:8]:
        services = services.filter(search_text__contains=token)
    whens.append(When(remote=True, then=Value(3)))
    return (
        services.annotate(nearness=Case(*whens, default=Value(2), output_field=IntegerField()))
        .select_related("organisation", "category__parent")
        .order_by("nearness", "category__order", "code")
    )


def services_page(services: QuerySet[Service], number: Any, size: int) -> tuple[Page[Any], list[Service]]:
    """One page of a search: its ids and the total in one narrow query, then only those rows read whole."""
    try:
        wanted = min(max(1, int(number)), 1_000_000)  # past the end is handled below
    except (TypeError, ValueError, OverflowError):
        wanted = 1
    narrow = services.annotate(total=Window(Count("pk"))).values_list("pk", "total")
    rows = list(narrow[(wanted - 1) * size : wanted * size])
    if not rows and wanted > 1:  # past the end: the last page, as Paginator.get_page does
        total = services.count()
        wanted = max(1, -(-total // size))
        rows = list(narrow[(wanted - 1) * size : wanted * size])
    paginator: Paginator[Any] = Paginator([], size)
    paginator.__dict__["count"] = rows[0][1] if rows else 0  # the total the window counted
    ids = [pk for pk, _total in rows]
    page = Page(ids, wanted, paginator)
    full = Service.objects.filter(pk__in=ids).select_related("organisation", "category__parent", "programme")
    by_id = {s.pk: s for s in full}
    attach_places([by_id[pk] for pk in ids if pk in by_id])
    return page, [by_id[pk] for pk in ids if pk in by_id]


def attach_places(services: list[Service]) -> None:
    """Give each service ``governorate_codes`` and ``district_codes`` (P-codes) in two narrow queries."""
    governorates: dict[int, list[str]] = defaultdict(list)
    districts: dict[int, list[str]] = defaultdict(list)
    ids = [s.pk for s in services]
    for service_id, pcode in Service.governorates.through.objects.filter(service_id__in=ids).values_list(
        "service_id", "governorate_id"
    ):
        governorates[service_id].append(pcode)
    for service_id, pcode in Service.districts.through.objects.filter(service_id__in=ids).values_list(
        "service_id", "district_id"
    ):
        districts[service_id].append(pcode)
    for service in services:
        service.governorate_codes = sorted(governorates[service.pk])  # type: ignore[attr-defined]
        service.district_codes = sorted(districts[service.pk])  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------
# Eligibility of one returnee
# --------------------------------------------------------------------------------------------------


@dataclass
class _TermsCache:
    key: tuple[Any, ...] | None = None
    index: rules.EligibilityIndex = field(default_factory=lambda: rules.EligibilityIndex([]))


_terms_cache = _TermsCache()
_terms_lock = threading.Lock()


def _load(
    service: Service,
    month: date,
    governorates: dict[int, set[str]],
    districts: dict[int, set[str]],
    withdrawn_providers: set[int],
) -> rules.Terms:
    return rules.Terms(
        key=str(service.uuid),
        criteria=rules.Criteria.from_dict(service.criteria or {}),
        coverage=rules.Coverage(
            nationwide=service.nationwide,
            remote=service.remote,
            governorates=frozenset(governorates.get(service.pk, ())),
            districts=frozenset(districts.get(service.pk, ())),
            settlements=frozenset(service.settlements or ()),
        ),
        starts_on=service.starts_on,
        ends_on=service.ends_on,
        capacity=service.capacity_per_month,
        load=service.current_load if service.load_month == month else 0,
        active=service.is_active and service.organisation_id not in withdrawn_providers,
    )


def service_index() -> rules.EligibilityIndex:
    """The terms of every service, kept in memory until a service changes (one small query to know)."""
    state = Service.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    organisations = Organisation.objects.aggregate(last=Max("updated_at"))
    month = timezone.localdate().replace(day=1)
    key = (state["n"], state["last"], organisations["last"], month)
    with _terms_lock:
        if _terms_cache.key == key:
            return _terms_cache.index
    governorates: dict[int, set[str]] = defaultdict(set)
    for service_id, pcode in Service.governorates.through.objects.values_list("service_id", "governorate_id"):
        governorates[service_id].add(pcode)
    districts: dict[int, set[str]] = defaultdict(set)
    for service_id, pcode in Service.districts.through.objects.values_list("service_id", "district_id"):
        districts[service_id].add(pcode)
    fields = [
        "pk",
        "uuid",
        "criteria",
        "nationwide",
        "remote",
        "settlements",
        "starts_on",
        "ends_on",
        "capacity_per_month",
        "current_load",
        "load_month",
        "is_active",
    ]
    withdrawn_providers = set(Organisation.objects.filter(is_active=False).values_list("pk", flat=True))
    services = Service.objects.only(*fields, "organisation_id").order_by("pk")
    terms = [_load(s, month, governorates, districts, withdrawn_providers) for s in services]
    index = rules.EligibilityIndex(terms)
    # Hundreds of thousands of long-lived objects: out of the cyclic collector's sight, so that its full
    # passes (every few requests) stop walking them all (bench/referrals.py: p95 57 → 40 ms). Reference
    # counting still frees an index once a newer one replaces it.
    gc.freeze()
    with _terms_lock:
        _terms_cache.key = key
        _terms_cache.index = index
    return index


def person_of(returnee: Returnee, facts: dict[str, Any]) -> rules.Person:
    categories = returnee.categories.values_list("category__code", flat=True)
    return rules.Person.from_facts(facts, district=returnee.district_id, categories=categories)


def eligibility_for(person: rules.Person, *, today: date | None = None) -> rules.Eligibility:
    return rules.eligibility(service_index(), person, today or timezone.localdate())


# --------------------------------------------------------------------------------------------------
# Mapping: services against needs, by place
# --------------------------------------------------------------------------------------------------


@dataclass
class Cell:
    """One place and one category: people with the need, services reaching it, and the gap."""

    needs: int = 0
    services: int = 0
    open_services: int = 0
    remote: int = 0
    capacity: int | None = 0
    load: int = 0
    gap: str = enums.Gap.NO_NEED


def _gap(cell: Cell) -> str:
    if cell.needs == 0:
        return enums.Gap.NO_NEED
    if cell.services == 0:
        return enums.Gap.NO_SERVICE
    if cell.open_services == 0:
        return enums.Gap.OVER_CAPACITY
    return enums.Gap.COVERED


def needs_by_district(need_category: str) -> dict[tuple[str, str | None], int]:
    """Open cases with a need of this category, by (governorate, district); cached for five minutes."""
    key = f"catalogue:needs:{need_category}"
    found = cache.get(key)
    if found is None:
        rows = (
            Need.objects.filter(
                category=need_category,
                is_interest=False,
                returnee__merged_into__isnull=True,
                returnee__status__in=[CaseStatus.OPEN, CaseStatus.ACTIVE],
            )
            .values_list("returnee__governorate_id", "returnee__district_id")
            .annotate(n=Count("returnee_id", distinct=True))
        )
        found = {(gov, dist): n for gov, dist, n in rows}
        cache.set(key, found, 300)
    return dict(found)


def mapping(top: ServiceCategory, *, today: date | None = None) -> dict[str, Any]:
    """For one top category: every district's needs, services, capacity and gap, and totals per governorate."""
    today = today or timezone.localdate()
    month = today.replace(day=1)
    districts = list(District.objects.select_related("governorate").order_by("governorate_id", "pcode"))
    by_governorate: dict[str, list[District]] = defaultdict(list)
    for district in districts:
        by_governorate[district.governorate_id].append(district)
    cells: dict[str, Cell] = {d.pcode: Cell() for d in districts}
    unplaced: dict[str, int] = defaultdict(int)  # needs whose district is not recorded, per governorate
    if top.need_category:
        for (gov, dist), n in needs_by_district(top.need_category).items():
            if dist in cells:
                cells[dist].needs += n
            elif gov:
                unplaced[gov] += n
    services = (
        running_services(today)
        .filter(Q(category=top) | Q(category__parent=top))
        .prefetch_related("governorates", "districts")
    )
    for service in services:
        reached: set[str]
        if service.remote:
            for cell in cells.values():
                cell.remote += 1
            continue
        if service.nationwide:
            reached = set(cells)
        else:
            reached = {d.pcode for d in service.districts.all()}
            for listed in service.governorates.all():
                reached.update(d.pcode for d in by_governorate[listed.pcode])
        load = service.current_load if service.load_month == month else 0
        has_room = service.capacity_per_month is None or load < service.capacity_per_month
        for pcode in reached:
            cell = cells[pcode]
            cell.services += 1
            cell.open_services += int(has_room)
            cell.load += load
            if cell.capacity is not None:
                cell.capacity = (
                    None if service.capacity_per_month is None else cell.capacity + service.capacity_per_month
                )
    for cell in cells.values():
        cell.gap = _gap(cell)
    governorates = []
    for governorate in Governorate.objects.all():
        rows = [(d, cells[d.pcode]) for d in by_governorate[governorate.pcode]]
        needs = sum(c.needs for _, c in rows) + unplaced.get(governorate.pcode, 0)
        unmet = sum(c.needs for _, c in rows if c.gap in (enums.Gap.NO_SERVICE, enums.Gap.OVER_CAPACITY))
        governorates.append(
            {
                "governorate": governorate,
                "districts": rows,
                "needs": needs,
                "needs_shown": total_shown(
                    needs, [c.needs for _, c in rows] + [unplaced.get(governorate.pcode, 0)]
                ),
                "unplaced": unplaced.get(governorate.pcode, 0),
                "unmet": unmet,
                "gap_districts": sum(
                    1 for _, c in rows if c.gap in (enums.Gap.NO_SERVICE, enums.Gap.OVER_CAPACITY)
                ),
                "level": _level(needs, unmet),
            }
        )
    return {"category": top, "governorates": governorates}


def _level(needs: int, unmet: int) -> str:
    """The colour class of a governorate on the map: the share of its recorded needs without a service."""
    if needs == 0:
        return "none"
    if unmet == 0:
        return "met"
    return "severe" if unmet * 2 >= needs else "partial"


def shown_count(n: int) -> str:
    """A count of people as published: small cells suppressed."""
    return "0" if n == 0 else (f"<{SMALL_CELL}" if n < SMALL_CELL else str(n))


def total_shown(total: int, parts: list[int]) -> str:
    """A total beside its parts: when a part is suppressed, the total is rounded to ten ("≈20"), so that
    subtracting the parts shown cannot give the suppressed one back."""
    if not any(0 < part < SMALL_CELL for part in parts):
        return shown_count(total)
    rounded = max(SMALL_CELL * 2, round(total / 10) * 10)
    return f"≈{rounded}"
