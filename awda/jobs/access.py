"""Who may do what with employers, offers and placements; the only doors views use to reach them."""

from __future__ import annotations

import hashlib
import hmac
import uuid as uuid_module

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import NotFound
from awda.core.models import AuditAction
from awda.jobs.enums import EmployerStatus
from awda.jobs.models import Employer, Offer, Placement
from awda.jobs.workflows import DISCLOSED
from awda.registry.enums import ConsentPurpose, SharedField
from awda.registry.models import Consent, Returnee
from awda.registry.queries import returnees_editable_by


def employment_staff(user: User) -> bool:
    """Staff of an employment office (``AWDA_EMPLOYMENT_INSTITUTIONS``, MoLSA by default, and its units):
    they review companies, enter offers for companies and follow every placement."""
    if not has_capability(user, Capability.REFER) or user.institution_id is None:
        return False
    institution = user.institution
    assert institution is not None
    codes = set(settings.AWDA_EMPLOYMENT_INSTITUTIONS)
    return institution.code in codes or (institution.parent is not None and institution.parent.code in codes)


def employer_of(user: User) -> Employer | None:
    """The company a user with the employer role works for (approved or not)."""
    if not has_capability(user, Capability.OFFER_JOBS) or user.institution_id is None:
        return None
    return Employer.objects.filter(institution_id=user.institution_id).select_related("institution").first()


def can_match(user: User) -> bool:
    """Case workers and employment staff see people's matches and offers."""
    return has_capability(user, Capability.REFER)


def offers_visible_to(user: User) -> QuerySet[Offer]:
    base = Offer.objects.select_related("employer__institution", "occupation", "governorate", "district")
    if employment_staff(user):
        return base
    employer = employer_of(user)
    if employer is not None:
        return base.filter(employer=employer)
    if can_match(user):
        return base.filter(status="open", employer__status=EmployerStatus.APPROVED)
    return base.none()


def offers_editable_by(user: User) -> QuerySet[Offer]:
    base = Offer.objects.select_related("employer__institution", "occupation")
    if employment_staff(user):
        return base
    employer = employer_of(user)
    if employer is not None and employer.status == EmployerStatus.APPROVED:
        return base.filter(employer=employer)
    return base.none()


def access_offer_by_id(user: User, offer_uuid: uuid_module.UUID | str, *, for_edit: bool = False) -> Offer:
    queryset = offers_editable_by(user) if for_edit else offers_visible_to(user)
    try:
        return queryset.get(uuid=offer_uuid)
    except (Offer.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound(_("Not found.")) from error


def access_employer_by_id(user: User, employer_uuid: uuid_module.UUID | str) -> Employer:
    queryset = Employer.objects.select_related("institution", "sector")
    own = employer_of(user)
    if not employment_staff(user):
        if own is None:
            queryset = queryset.filter(status=EmployerStatus.APPROVED) if can_match(user) else queryset.none()
        else:
            queryset = queryset.filter(pk=own.pk)
    try:
        return queryset.get(uuid=employer_uuid)
    except (Employer.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound(_("Not found.")) from error


def placements_visible_to(user: User) -> QuerySet[Placement]:
    base = Placement.objects.select_related(
        "offer__employer__institution", "offer__occupation", "returnee", "returnee__governorate"
    )
    if employment_staff(user):
        return base
    employer = employer_of(user)
    if employer is not None:
        return base.filter(offer__employer=employer)
    if can_match(user):
        return base.filter(returnee__in=returnees_editable_by(user))
    return base.none()


def access_placement_by_id(user: User, placement_uuid: uuid_module.UUID | str) -> Placement:
    try:
        placement = placements_visible_to(user).get(uuid=placement_uuid)
    except (Placement.DoesNotExist, ValueError, TypeError, ValidationError) as error:
        raise NotFound(_("Not found.")) from error
    audit.record(actor=user, action=AuditAction.READ, obj=placement)
    return placement


def case_side(user: User, placement: Placement) -> bool:
    """May the user speak for the person (record their agreement, share their profile)?"""
    return can_match(user) and returnees_editable_by(user).filter(pk=placement.returnee_id).exists()


def employer_side(user: User, placement: Placement) -> bool:
    """May the user act for the company (interview, hire)? Its own users, or employment staff."""
    if employment_staff(user):
        return True
    employer = employer_of(user)
    return (
        employer is not None
        and employer.status == EmployerStatus.APPROVED
        and employer.pk == placement.offer.employer_id
    )


EMPLOYER_PARTS = (SharedField.IDENTITY, SharedField.CONTACT, SharedField.EDUCATION_WORK)


def employer_consents(returnee: Returnee, employer: Employer) -> list[Consent]:
    """The person's agreements in force to share with this company (named, or with any employer)."""
    return list(
        Consent.objects.filter(
            returnee=returnee,
            purpose=ConsentPurpose.SHARING_EMPLOYERS,
            granted=True,
            withdrawn_at__isnull=True,
        ).filter(Q(shared_with__isnull=True) | Q(shared_with_id=employer.institution_id))
    )


def employer_may_see(placement: Placement) -> bool:
    """The company sees the person's name and contact only once the placement was shared with it and
    while a consent to share with it is in force (withdrawing hides the person again at once)."""
    if placement.status not in DISCLOSED:
        return False
    return bool(employer_consents(placement.returnee, placement.offer.employer))


def refused_employers() -> QuerySet[Consent]:
    """Refusals in force to share with employers: such people are not shown to companies even anonymously."""
    return Consent.objects.filter(
        purpose=ConsentPurpose.SHARING_EMPLOYERS, granted=False, withdrawn_at__isnull=True
    )


def candidate_key(offer: Offer, returnee_uuid: uuid_module.UUID | str) -> str:
    """An opaque, stable name for a person as a candidate for one offer: the company can ask for them by
    it, but cannot follow them from one offer to another or learn their record's identifier."""
    message = f"{offer.uuid}:{returnee_uuid}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:20]


def candidate_label(key: str) -> str:
    return key[:6].upper()
