"""The audit log page: administrators search it and start a verification of its chain."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from awda.accounts.forms import AuditSearchForm
from awda.accounts.roles import Capability, has_capability
from awda.core.models import AuditEntry
from awda.core.progress import enqueue_with_progress
from awda.core.tasks import audit_verify_task


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.VIEW_AUDIT):
        raise Http404
    form = AuditSearchForm(request.GET or None)
    entries = AuditEntry.objects.order_by("-seq")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            entries = entries.filter(actor_username__iexact=data["actor"])
        for name in ("action", "object_type", "object_id", "request_id"):
            if data[name]:
                entries = entries.filter(**{name: data[name]})
        tz = timezone.get_current_timezone()
        if data["date_from"]:
            entries = entries.filter(at__gte=datetime.combine(data["date_from"], time.min, tz))
        if data["date_to"]:
            entries = entries.filter(at__lte=datetime.combine(data["date_to"], time.max, tz))
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"form": form, "page": page, "page_query": query.urlencode()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    if not has_capability(request.user, Capability.VIEW_AUDIT):
        raise Http404
    task_id = enqueue_with_progress(audit_verify_task, kind="audit_verify", owner_id=request.user.pk)
    return HttpResponseRedirect(reverse("portal:task", args=[task_id]))
