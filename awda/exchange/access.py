"""The doors to data exchange: who is a data steward, and their institution's sources and imports."""

from __future__ import annotations

from typing import Any

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.exchange.models import ImportBatch, Source


def is_steward(user: User) -> bool:
    """A user who may work on data exchange: the capability, and an institution to work for."""
    return has_capability(user, Capability.EXCHANGE_DATA) and user.institution_id is not None


def home(user: User) -> int:
    """The institution a steward works for (``is_steward`` made sure there is one)."""
    assert user.institution_id is not None
    return user.institution_id


def access_source_by_id(user: User, source_uuid: Any) -> Source | None:
    """A source of the steward's own institution; None for absent and forbidden alike."""
    if not is_steward(user):
        return None
    return Source.objects.filter(uuid=source_uuid, institution_id=home(user)).first()


def access_batch_by_id(user: User, batch_uuid: Any) -> ImportBatch | None:
    if not is_steward(user):
        return None
    return (
        ImportBatch.objects.select_related("source")
        .filter(uuid=batch_uuid, source__institution_id=home(user))
        .first()
    )
