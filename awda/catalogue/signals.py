"""Every institution of the accounts module is an organisation of the catalogue, kept in step by a receiver."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from awda.accounts.models import Institution


@receiver(post_save, sender=Institution, dispatch_uid="catalogue_organisation_for_institution")
def organisation_for_institution(sender: type[Institution], instance: Institution, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from awda.catalogue.actions import organisation_sync_institution

    organisation_sync_institution(institution=instance)
