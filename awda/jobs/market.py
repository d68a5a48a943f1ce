"""The market view (Priority 7): job seekers' occupations against the places open in offers, per governorate
and urban or rural, with the gaps and the vocational training they call for. Aggregates only.

Supply counts job seekers (``queries.job_seekers``) by the ISCO-08 sub-major group (two digits) of each
occupation they practised (the registry's skills): a person with occupations in two groups counts once in
each, a person with none in "no occupation recorded". Demand counts the places left (places − filled) of
open offers by the sub-major group of the offer's occupation; remote offers make a row of their own, shown
with every filter of place since people anywhere can take them. Gap = supply − demand.

A cell resting on fewer than five people shows "<5" and no number, and its gap only the bound that follows
("<N" with N = 5 − demand); offers' places are not personal and are never hidden. Whether a hidden cell is
a shortage is decided from what is shown (demand of five or more), so the lists leak nothing either.

Two GROUP BY queries (people × occupations, offers), whatever the number of people; the people's, about
two seconds at a million on PostgreSQL, is kept for five minutes (as the mapping of needs is), the offers'
counted afresh.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from django.core.cache import cache
from django.db.models import Case, CharField, Count, F, Q, Sum, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.roles import Capability, has_capability
from awda.geo.enums import Settlement
from awda.jobs import access, queries
from awda.jobs.enums import OfferKind
from awda.registry.models import Occupation

SMALL_CELL: Final = 5
NO_OCCUPATION: Final = ""  # the group of people without an occupation recorded
REMOTE: Final = "remote"  # the settlement of the row of remote offers
NOT_RECORDED: Final = ""  # a person's settlement, where the registry does not hold it
# A surplus: at least this many times the places open, and at least SMALL_CELL people more.
SURPLUS_FACTOR: Final = 2
SUPPLY_CACHE_SECONDS: Final = 300
SETTLEMENT_ORDER: Final = {Settlement.URBAN.value: 0, Settlement.RURAL.value: 1, NOT_RECORDED: 2, REMOTE: 3}


def can_view(user: Any) -> bool:
    """Analysts (and other users with statistics) and the employment office see the market."""
    return has_capability(user, Capability.VIEW_STATISTICS) or access.employment_staff(user)


@dataclass(frozen=True)
class Filters:
    governorate: str = ""  # a P-code, or "" for all
    settlement: str = ""  # "urban", "rural", or "" for both
    kind: str = ""  # an offer kind, or "" for all

    @classmethod
    def clean(cls, governorate: str = "", settlement: str = "", kind: str = "") -> Filters:
        """Values as a query string gives them; anything unknown filters nothing out."""
        from awda.geo.models import Governorate

        governorate = (
            governorate if governorate and Governorate.objects.filter(pk=governorate).exists() else ""
        )
        return cls(
            governorate=governorate,
            settlement=settlement if settlement in Settlement.values else "",
            kind=kind if kind in OfferKind.values else "",
        )


@dataclass(frozen=True)
class Cell:
    """One occupation group in one place. ``supply`` is None where it is hidden (1 to 4 people) and for
    the remote row, which has no people of its own."""

    group: str
    supply: int | None
    demand: int
    hidden: bool = False

    @property
    def gap(self) -> int | None:
        return None if self.supply is None else self.supply - self.demand

    @property
    def supply_text(self) -> str:
        if self.hidden:
            return f"<{SMALL_CELL}"
        return "—" if self.supply is None else str(self.supply)

    @property
    def gap_text(self) -> str:
        """The gap, or for a hidden cell the bound that follows from "<5" ("<N", N = 5 − demand)."""
        if self.hidden:
            return f"<{SMALL_CELL - self.demand}"
        gap = self.gap
        return "—" if gap is None else str(gap)

    @property
    def is_shortage(self) -> bool:
        """More places than people: certain for a hidden cell only from five places up."""
        if self.hidden:
            return self.demand >= SMALL_CELL
        return self.supply is not None and self.demand > self.supply

    @property
    def shortage(self) -> int:
        """People missing: exact, or for a hidden cell the least it can be (demand − 4)."""
        if self.hidden:
            return self.demand - (SMALL_CELL - 1)
        return self.demand - (self.supply or 0)

    @property
    def shortage_text(self) -> str:
        if self.hidden:
            return _("at least %(n)d") % {"n": self.shortage}
        return str(self.shortage)

    @property
    def is_surplus(self) -> bool:
        """Far more people than places: retraining candidates (never a hidden cell, nor people without any
        occupation recorded, who are no group to retrain from)."""
        if self.hidden or self.supply is None or self.group == NO_OCCUPATION:
            return False
        return self.supply - self.demand >= SMALL_CELL and self.supply >= SURPLUS_FACTOR * self.demand

    @property
    def status(self) -> str:
        return "shortage" if self.is_shortage else "surplus" if self.is_surplus else ""


@dataclass(frozen=True)
class Area:
    """A governorate's urban or rural part (``settlement`` "" where the registry has no value), or the
    row of remote offers (``governorate`` "", ``settlement`` "remote")."""

    governorate: str
    settlement: str
    cells: tuple[Cell, ...]

    @property
    def remote(self) -> bool:
        return self.settlement == REMOTE

    @property
    def shortages(self) -> list[Cell]:
        """Occupations to train people for, the largest shortage first."""
        if self.remote:
            return []
        return sorted((c for c in self.cells if c.is_shortage), key=_shortage_order)

    @property
    def surpluses(self) -> list[Cell]:
        """Occupations with far more people than places (retraining candidates), the largest first."""
        if self.remote:
            return []
        return sorted((c for c in self.cells if c.is_surplus), key=lambda c: (-(c.gap or 0), c.group))


def _shortage_order(cell: Cell) -> tuple[int, int, str]:
    return (-cell.shortage, -cell.demand, cell.group)


@dataclass(frozen=True)
class Ranked:
    area: Area
    cell: Cell


@dataclass(frozen=True)
class Market:
    filters: Filters
    areas: tuple[Area, ...]
    groups: tuple[str, ...] = field(default=())  # every group with supply or demand, by code

    @property
    def training_needs(self) -> list[Ranked]:
        """Every area's shortages, the largest first: what vocational training should prepare people for."""
        found = [Ranked(a, c) for a in self.areas for c in a.shortages]
        return sorted(found, key=lambda r: (*_shortage_order(r.cell), r.area.governorate, r.area.settlement))

    @property
    def retraining(self) -> list[Ranked]:
        found = [Ranked(a, c) for a in self.areas for c in a.surpluses]
        return sorted(
            found, key=lambda r: (-(r.cell.gap or 0), r.cell.group, r.area.governorate, r.area.settlement)
        )


def supply_counts(filters: Filters, today: date) -> dict[tuple[str, str, str], int]:
    """Job seekers per (governorate, settlement, group), in one GROUP BY over people and their occupations
    (a LEFT JOIN: people without any count under ``NO_OCCUPATION``); cached for five minutes."""
    key = f"jobs:market:supply:{today.isoformat()}:{filters.governorate}:{filters.settlement}"
    found = cache.get(key)
    if found is None:
        found = _count_supply(filters, today)
        cache.set(key, found, SUPPLY_CACHE_SECONDS)
    return dict(found)


def _count_supply(filters: Filters, today: date) -> dict[tuple[str, str, str], int]:
    people = queries.job_seekers(today)
    if filters.governorate:
        people = people.filter(governorate_id=filters.governorate)
    if filters.settlement:
        people = people.filter(settlement=filters.settlement)
    rows = (
        people.annotate(group=Substr("skills__occupation_id", 1, 2))
        .values("governorate_id", "settlement", "group")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    out: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row["governorate_id"], row["settlement"] or NOT_RECORDED, row["group"] or NO_OCCUPATION)
        out[key] = row["n"]
    return out


def demand_counts(filters: Filters, today: date) -> dict[tuple[str, str, str], int]:
    """Places left per (governorate, settlement, group) of open offers, remote ones as ("", "remote", group)."""
    offers = queries.open_offers(today).filter(filled__lt=F("places"))
    if filters.kind:
        offers = offers.filter(kind=filters.kind)
    local = Q(remote=False)
    if filters.governorate:
        local &= Q(governorate_id=filters.governorate)
    if filters.settlement:
        local &= Q(settlement=filters.settlement)
    rows = (
        offers.filter(local | Q(remote=True))
        .annotate(
            area_governorate=Case(
                When(remote=True, then=Value("")), default=F("governorate_id"), output_field=CharField()
            ),
            area_settlement=Case(
                When(remote=True, then=Value(REMOTE)), default=F("settlement"), output_field=CharField()
            ),
            group=Substr("occupation_id", 1, 2),
        )
        .values("area_governorate", "area_settlement", "group")
        .annotate(n=Sum(F("places") - F("filled")))
        .order_by()
    )
    return {(r["area_governorate"], r["area_settlement"], r["group"]): int(r["n"] or 0) for r in rows}


def market(filters: Filters | None = None, *, today: date | None = None) -> Market:
    """Supply, demand and gaps per place and occupation group; cells with neither are left out."""
    filters = filters or Filters()
    today = today or timezone.localdate()
    supply = supply_counts(filters, today)
    demand = demand_counts(filters, today)
    by_area: dict[tuple[str, str], dict[str, Cell]] = defaultdict(dict)
    for key in {*supply, *demand}:
        governorate, settlement, group = key
        people = supply.get(key, 0)
        if settlement == REMOTE:
            cell = Cell(group, None, demand.get(key, 0))
        elif 0 < people < SMALL_CELL:
            cell = Cell(group, None, demand.get(key, 0), hidden=True)
        else:
            cell = Cell(group, people, demand.get(key, 0))
        by_area[(governorate, settlement)][group] = cell
    areas = tuple(
        Area(governorate, settlement, tuple(cells[g] for g in sorted(cells, key=_group_order)))
        for (governorate, settlement), cells in sorted(
            by_area.items(),
            key=lambda item: (item[0][1] == REMOTE, item[0][0], SETTLEMENT_ORDER.get(item[0][1], 2)),
        )
    )
    groups = tuple(sorted({key[2] for key in (*supply, *demand)}, key=_group_order))
    return Market(filters=filters, areas=areas, groups=groups)


def _group_order(group: str) -> tuple[bool, str]:
    """Groups by code, people without an occupation last."""
    return (group == NO_OCCUPATION, group)


def group_names(groups: Any) -> dict[str, str]:
    """The ISCO-08 groups' names in the active language (and the name of "no occupation recorded")."""
    names = {o.code: o.name for o in Occupation.objects.filter(code__in=[g for g in groups if g])}
    names[NO_OCCUPATION] = _("No occupation recorded")
    return names


def settlement_names() -> dict[str, str]:
    return {
        **{value: str(label) for value, label in Settlement.choices},
        NOT_RECORDED: _("Urban or rural not recorded"),
        REMOTE: _("Remote work"),
    }
