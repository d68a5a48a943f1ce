"""What a returnee's consents allow; every sharing and contact in Awda asks here first."""

from __future__ import annotations

from awda.accounts.models import Institution
from awda.registry.enums import ConsentPurpose
from awda.registry.models import Consent, Returnee


def _active(returnee: Returnee, purpose: str) -> list[Consent]:
    """Agreements in force. A new decision for the same purpose and recipient closes the earlier one
    (see ``actions._record_consent``), so a later refusal overrides an earlier agreement."""
    return list(
        Consent.objects.filter(returnee=returnee, purpose=purpose, granted=True, withdrawn_at__isnull=True)
    )


def registration_allowed(returnee: Returnee) -> bool:
    return bool(_active(returnee, ConsentPurpose.REGISTRATION))


def contact_allowed(returnee: Returnee) -> bool:
    """Follow-up calls and messages need the person's consent to be contacted."""
    return bool(_active(returnee, ConsentPurpose.FOLLOW_UP_CONTACT))


def sharing_allowed(returnee: Returnee, institution: Institution) -> bool:
    """May this record be shared with this institution? Its own institution always holds it."""
    if institution.pk == returnee.institution_id:
        return True
    if any(c.shared_with_id == institution.pk for c in _active(returnee, ConsentPurpose.SHARING_INSTITUTION)):
        return True
    return any(
        c.shared_with_type == institution.type
        for c in _active(returnee, ConsentPurpose.SHARING_INSTITUTION_TYPE)
    )


def employer_sharing_allowed(returnee: Returnee) -> bool:
    return bool(_active(returnee, ConsentPurpose.SHARING_EMPLOYERS))
