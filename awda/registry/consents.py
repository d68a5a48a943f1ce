"""What a returnee's consents allow; every sharing and contact in Awda asks here first."""

from __future__ import annotations

from awda.accounts.models import Institution
from awda.registry.enums import ConsentPurpose, SharedField
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


ALL_PARTS: frozenset[str] = frozenset(SharedField.values)


def sharing_consents(returnee: Returnee, institution: Institution) -> list[Consent]:
    """The consents in force that let this institution, by name or by kind, receive part of the record."""
    named = [
        c for c in _active(returnee, ConsentPurpose.SHARING_INSTITUTION) if c.shared_with_id == institution.pk
    ]
    by_type = [
        c
        for c in _active(returnee, ConsentPurpose.SHARING_INSTITUTION_TYPE)
        if c.shared_with_type == institution.type
    ]
    return named + by_type


def shared_parts(returnee: Returnee, institution: Institution) -> frozenset[str]:
    """The parts of the record (``SharedField``) this institution may see: all for the record's own
    institution, else the union of what the consents in force name; nothing without one."""
    if institution.pk == returnee.institution_id:
        return ALL_PARTS
    parts: set[str] = set()
    for consent in sharing_consents(returnee, institution):
        if consent.whole_record:
            return ALL_PARTS
        parts.update(str(f) for f in consent.fields if f in ALL_PARTS)
    return frozenset(parts)


def sharing_allowed(returnee: Returnee, institution: Institution) -> bool:
    """May the whole record be shared with this institution? Its own institution always holds it."""
    return shared_parts(returnee, institution) == ALL_PARTS


def employer_sharing_allowed(returnee: Returnee) -> bool:
    return bool(_active(returnee, ConsentPurpose.SHARING_EMPLOYERS))
