"""Alerts: the worker's list, acknowledging and resolving them, and the systemic view for the committee."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.accounts.access import signed_in_user
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError
from awda.geo.models import District, Governorate
from awda.monitoring import actions, queries
from awda.monitoring.enums import AlertStatus, WarningKind


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not has_capability(user, Capability.VIEW_RECORDS):
        raise Http404
    alerts = (
        queries.alerts_visible_to(user).exclude(status=AlertStatus.RESOLVED).order_by("status", "-raised_at")
    )
    return render(request, "monitoring/alert_list.html", {"alerts": alerts[:200]})


@login_required
@require_POST
def alert_step(request: HttpRequest, alert_uuid: str, step: str) -> HttpResponse:
    user = signed_in_user(request)
    alert = queries.alerts_visible_to(user).filter(uuid=alert_uuid).first()
    if alert is None:
        raise Http404
    try:
        if step == "acknowledge":
            actions.alert_acknowledge(actor=user, alert=alert)
        elif step == "resolve":
            actions.alert_resolve(actor=user, alert=alert, action_taken=request.POST.get("action_taken", ""))
        else:
            raise Http404
    except AwdaError as error:
        messages.error(request, str(error.message))
        for problems in error.fields.values():
            for problem in problems:
                messages.error(request, str(problem))
    else:
        messages.success(request, _("Saved."))
    return redirect(request.POST.get("next") or f"/returnees/{alert.returnee.uuid}/#alerts")


@login_required
def systemic_view(request: HttpRequest) -> HttpResponse:
    """Alerts by month, place and cause, for analysts and the coordination committee (no personal data)."""
    user = signed_in_user(request)
    if not has_capability(user, Capability.VIEW_STATISTICS):
        raise Http404
    governorate = request.GET.get("governorate", "")
    if governorate and not Governorate.objects.filter(pcode=governorate).exists():
        governorate = ""
    data = queries.systemic(6, timezone.localdate(), governorate=governorate)
    names: dict[str, str] = (
        {d.pcode: d.name for d in District.objects.filter(governorate_id=governorate)}
        if governorate
        else {g.pcode: g.name for g in Governorate.objects.all()}
    )
    kinds = dict(WarningKind.choices)
    rows: list[dict[str, Any]] = [
        {
            "place": names.get(row["place"], row["place"]),
            "code": row["place"],
            "kind": kinds.get(row["kind"], row["kind"]),
            "counts": [queries.shown(n) for n in row["counts"]],
            "rising": row["rising"],
        }
        for row in data["rows"]
    ]
    context = {
        "months": data["months"],
        "rows": rows,
        "governorate": governorate,
        "governorate_name": names.get(governorate, "")
        if not governorate
        else Governorate.objects.get(pcode=governorate).name,
        "governorates": Governorate.objects.order_by("pcode"),
    }
    return render(request, "monitoring/systemic.html", context)
