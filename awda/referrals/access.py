"""The audited doors to referrals and plans: absent and out of reach both give "not found"."""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from awda.accounts.models import User
from awda.core import audit
from awda.core.errors import NotFound
from awda.core.models import AuditAction
from awda.referrals.models import Referral, ReintegrationPlan
from awda.referrals.queries import plans_visible_to, received_by, sent_by
from awda.referrals.workflows import Side


@dataclass(frozen=True)
class ReferralAccess:
    referral: Referral
    sender: bool  # the referring unit: sees the case, may send or revoke
    receiver: bool  # the receiving institution: sees the consented parts, answers and serves

    @property
    def sides(self) -> set[Side]:
        out: set[Side] = set()
        if self.sender:
            out.add("sender")
        if self.receiver:
            out.add("receiver")
        return out


def access_referral_by_id(viewer: User, referral_uuid: uuid_module.UUID | str) -> ReferralAccess:
    """The referral with the sides the viewer stands on; every access is audited."""
    try:
        key = uuid_module.UUID(str(referral_uuid))
    except ValueError as error:
        raise NotFound(_("Not found.")) from error
    sender = sent_by(viewer).filter(uuid=key).first()
    receiver = received_by(viewer).filter(uuid=key).first()
    referral = sender or receiver
    if referral is None:
        raise NotFound(_("Not found."))
    audit.record(actor=viewer, action=AuditAction.READ, obj=referral)
    return ReferralAccess(referral=referral, sender=sender is not None, receiver=receiver is not None)


def access_plan_by_id(viewer: User, plan_uuid: uuid_module.UUID | str) -> ReintegrationPlan:
    try:
        key = uuid_module.UUID(str(plan_uuid))
    except ValueError as error:
        raise NotFound(_("Not found.")) from error
    plan = plans_visible_to(viewer).filter(uuid=key).select_related("returnee__institution").first()
    if plan is None:
        raise NotFound(_("Not found."))
    audit.record(actor=viewer, action=AuditAction.READ, obj=plan)
    return plan
