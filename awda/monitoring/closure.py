"""Closing a case as "reintegration achieved": the latest scores must show it, or a supervisor says why not."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError
from awda.monitoring.models import SurveyResponse
from awda.registry.enums import ClosureReason
from awda.registry.models import Returnee


def reintegration_achieved_check(actor: User, returnee: Returnee, reason: str, override_reason: str) -> None:
    if reason != ClosureReason.REINTEGRATION_ACHIEVED:
        return
    threshold = settings.AWDA_REINTEGRATION_THRESHOLD
    latest = (
        SurveyResponse.objects.filter(returnee=returnee, composite__isnull=False)
        .order_by("-collected_on", "-id")
        .values_list("composite", flat=True)
        .first()
    )
    if latest is not None and latest >= threshold:
        return
    if override_reason and has_capability(actor, Capability.APPROVE_PLANS):
        return
    message: object
    if latest is None:
        message = _("No follow-up survey shows reintegration achieved yet: record one first.")
    else:
        message = _("The latest composite score is %(score).2f, below %(threshold).2f.") % {
            "score": latest,
            "threshold": threshold,
        }
    hint = (
        _("Write why the case closes anyway.")
        if has_capability(actor, Capability.APPROVE_PLANS)
        else _("Only a supervisor can close it anyway, with a written reason.")
    )
    raise AwdaError(str(message), code="scores_below_threshold", fields={"override_reason": [hint]})
