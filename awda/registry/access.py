"""The audited doors to returnee records: absent and out of scope both give "not found"."""

from __future__ import annotations

import uuid as uuid_module

from django.utils.translation import gettext_lazy as _

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import NotFound
from awda.core.models import AuditAction
from awda.registry.models import Consent, Returnee
from awda.registry.queries import returnees_editable_by, returnees_visible_to


def access_returnee_by_uuid(
    viewer: User, returnee_uuid: uuid_module.UUID | str, *, for_edit: bool = False
) -> Returnee:
    """The record, if the viewer may read it (or change it, with ``for_edit``); every access is audited."""
    queryset = returnees_editable_by(viewer) if for_edit else returnees_visible_to(viewer)
    try:
        returnee = queryset.select_related(
            "institution",
            "office",
            "owner",
            "governorate",
            "district",
            "sub_district",
            "country_returned_from",
            "country_of_birth",
            "household",
        ).get(uuid=returnee_uuid)
    except (Returnee.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(_("Not found.")) from error
    audit.record(actor=viewer, action=AuditAction.READ, obj=returnee)
    return returnee


def can_edit(viewer: User, returnee: Returnee) -> bool:
    return returnees_editable_by(viewer).filter(pk=returnee.pk).exists()


def can_see_sensitive(viewer: User, returnee: Returnee) -> bool:
    """Health and psychosocial notes: for roles that work with them, on records of their own scope only."""
    return has_capability(viewer, Capability.VIEW_SENSITIVE) and can_edit(viewer, returnee)


def access_consent_by_uuid(viewer: User, consent_uuid: uuid_module.UUID | str) -> Consent:
    try:
        consent = Consent.objects.select_related("returnee").get(uuid=consent_uuid)
    except (Consent.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(_("Not found.")) from error
    if not returnees_editable_by(viewer).filter(pk=consent.returnee_id).exists():
        raise NotFound(_("Not found."))
    audit.record(actor=viewer, action=AuditAction.READ, obj=consent)
    return consent
