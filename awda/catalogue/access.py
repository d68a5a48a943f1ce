"""The doors to the catalogue's restricted objects: a proposal or a service's editing, per user."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.catalogue.models import Service, ServiceChange


def is_reviewer(user: User) -> bool:
    return has_capability(user, Capability.MANAGE_CATALOGUE)


def may_provide(user: User) -> bool:
    return is_reviewer(user) or (
        has_capability(user, Capability.PROPOSE_SERVICES) and user.institution_id is not None
    )


def access_service_for_editing(user: User, service_uuid: Any) -> Service:
    """A service the user may propose changes to: their organisation's, or any for a reviewer."""
    services = Service.objects.select_related("organisation", "category__parent", "programme")
    if not is_reviewer(user):
        if not may_provide(user):
            raise Http404
        services = services.filter(organisation__institution_id=user.institution_id or 0)
    service = services.filter(uuid=service_uuid).first()
    if service is None:
        raise Http404
    return service


def access_change_by_id(user: User, change_uuid: Any) -> ServiceChange:
    changes = ServiceChange.objects.select_related("organisation", "service", "proposed_by", "reviewed_by")
    if not is_reviewer(user):
        if not may_provide(user):
            raise Http404
        changes = changes.filter(organisation__institution_id=user.institution_id or 0)
    change = changes.filter(uuid=change_uuid).first()
    if change is None:
        raise Http404
    return change
