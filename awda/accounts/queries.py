"""Reads of accounts, always limited to what the asking user may see."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from awda.accounts.models import Institution, Office, User
from awda.accounts.roles import Capability, has_capability
from awda.accounts.scope import DataScope, ScopePaths

USER_SCOPE = ScopePaths(
    institution="institution", governorate="office__governorate", district="office__district", assignee="pk"
)


def users_visible_to(viewer: User) -> QuerySet[User]:
    """Administrators see every account; supervisors their unit (their data scope); others themselves."""
    users = User.objects.select_related("institution", "office")
    if has_capability(viewer, Capability.MANAGE_ALL_USERS):
        return users
    if has_capability(viewer, Capability.MANAGE_UNIT_USERS):
        return users.filter(DataScope.of(viewer).q(USER_SCOPE) | Q(pk=viewer.pk))
    if getattr(viewer, "is_authenticated", False):
        return users.filter(pk=viewer.pk)
    return users.none()


def institutions_list() -> QuerySet[Institution]:
    """Institutions are public knowledge among signed-in users (who refers to whom)."""
    return Institution.objects.select_related("parent").order_by("code")


def offices_list(*, institution: Institution | None = None) -> QuerySet[Office]:
    offices = Office.objects.select_related("institution", "governorate", "district")
    if institution is not None:
        offices = offices.filter(institution=institution)
    return offices


def institutions_manageable_by(viewer: User) -> QuerySet[Institution]:
    if has_capability(viewer, Capability.MANAGE_ALL_USERS):
        return Institution.objects.filter(is_active=True)
    if has_capability(viewer, Capability.MANAGE_UNIT_USERS) and viewer.institution_id:
        return Institution.objects.filter(pk=viewer.institution_id)
    return Institution.objects.none()


def offices_manageable_by(viewer: User) -> QuerySet[Office]:
    if has_capability(viewer, Capability.MANAGE_ALL_USERS):
        return offices_list().filter(is_active=True)
    if has_capability(viewer, Capability.MANAGE_UNIT_USERS) and viewer.office_id:
        return offices_list().filter(pk=viewer.office_id)
    return Office.objects.none()
