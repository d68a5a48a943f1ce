"""The data scope: the one mechanism through which every query on personal records is limited.

A model that holds personal data declares where its institution, place and assignee live
(``ScopePaths``); ``scope_records(user, queryset, paths)`` returns only the rows the user may see.
It fails closed: a user without a role that reads records, an institution or an office sees nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet

from awda.accounts.enums import AreaLevel, ScopeLevel
from awda.accounts.roles import Capability, has_capability

M = TypeVar("M", bound=Model)

NOTHING = Q(pk__in=[])


@dataclass(frozen=True)
class ScopePaths:
    """Lookups from a scoped model to its institution, governorate, district and assignee."""

    institution: str
    governorate: str | None = None
    district: str | None = None
    assignee: str | None = None
    office: str | None = None


@dataclass(frozen=True)
class DataScope:
    level: str
    user_id: int | None
    institution_id: int | None
    office_id: int | None
    governorate_id: str | None
    district_id: str | None
    area_level: str | None

    @classmethod
    def of(cls, user: Any) -> DataScope:
        office = getattr(user, "office", None)
        return cls(
            level=getattr(user, "scope", ScopeLevel.ASSIGNED),
            user_id=getattr(user, "pk", None),
            institution_id=getattr(user, "institution_id", None),
            office_id=getattr(user, "office_id", None),
            governorate_id=office.governorate_id if office else None,
            district_id=office.district_id if office else None,
            area_level=office.area_level if office else None,
        )

    def q(self, paths: ScopePaths) -> Q:
        if self.institution_id is None or self.user_id is None:
            return NOTHING
        within = Q(**{paths.institution: self.institution_id})
        if self.level == ScopeLevel.INSTITUTION:
            return within
        if self.level == ScopeLevel.OFFICE_AREA:
            if self.governorate_id is None or paths.governorate is None:
                return NOTHING
            area = Q(**{paths.governorate: self.governorate_id})
            if self.area_level == AreaLevel.DISTRICT:
                if paths.district is None:
                    return NOTHING
                area &= Q(**{paths.district: self.district_id})
            # The office's own records count too, wherever the person has moved.
            if paths.office is not None and self.office_id is not None:
                area |= Q(**{paths.office: self.office_id})
            return within & area
        if self.level == ScopeLevel.ASSIGNED and paths.assignee:
            return within & Q(**{paths.assignee: self.user_id})
        return NOTHING


def scope_records(
    user: Any, queryset: QuerySet[M], paths: ScopePaths, *, also: Q | None = None
) -> QuerySet[M]:
    """The rows of ``queryset`` within the user's data scope (plus ``also``, e.g. records referred to them)."""
    if not has_capability(user, Capability.VIEW_RECORDS):
        return queryset.none()
    condition = DataScope.of(user).q(paths)
    if also is not None:
        condition |= also
    return queryset.filter(condition)
