"""The returnee's satisfaction with a service received, and the providers' performance for quality management."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awda.accounts.access import signed_in_user
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError
from awda.monitoring import actions, queries
from awda.monitoring.enums import Helped
from awda.referrals.models import Referral
from awda.referrals.queries import received_by, sent_by


@login_required
def evaluation_new(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    user = signed_in_user(request)
    referral = sent_by(user).filter(uuid=referral_uuid).first()
    if referral is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            satisfaction = int(request.POST.get("satisfaction", "0"))
        except ValueError:
            satisfaction = 0
        try:
            actions.evaluation_record(
                actor=user,
                referral=referral,
                satisfaction=satisfaction,
                helped=request.POST.get("helped", ""),
                comment=request.POST.get("comment", ""),
            )
        except AwdaError as error:
            errors = {k: [str(m) for m in v] for k, v in error.fields.items()} or {"": [str(error.message)]}
        else:
            messages.success(request, _("Thank you: the evaluation was recorded."))
            return redirect(f"/returnees/{referral.returnee.uuid}/#surveys")
    context = {"referral": referral, "errors": errors, "helped_choices": Helped.choices, "scale": range(1, 6)}
    return render(request, "monitoring/evaluation_form.html", context, status=400 if errors else 200)


@login_required
def provider_performance(request: HttpRequest) -> HttpResponse:
    """Analysts and supervisors see every provider; a provider sees its own organisation."""
    user = signed_in_user(request)
    if has_capability(user, Capability.VIEW_STATISTICS):
        referrals = Referral.objects.all()
    elif has_capability(user, Capability.RECEIVE_REFERRALS):
        referrals = received_by(user)
    else:
        raise Http404
    return render(
        request, "monitoring/provider_performance.html", {"rows": queries.provider_performance(referrals)}
    )
