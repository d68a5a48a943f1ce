"""The public landing page, the home page of each role, the language switch and task progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist

from awda.accounts.access import signed_in_user
from awda.accounts.actions import user_set_language
from awda.accounts.enums import Role
from awda.accounts.models import Institution, User
from awda.accounts.roles import Capability, has_capability
from awda.core.models import AuditEntry, TaskProgress
from awda.portal.roles import ROLE_PURPOSE


def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return HttpResponseRedirect(reverse("portal:home"))
    return render(request, "portal/landing.html")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    context: dict[str, Any] = {
        "purpose": ROLE_PURPOSE.get(Role(user.role), ""),
        "recent": AuditEntry.objects.filter(actor_id=user.pk).order_by("-seq")[:8],
        "tasks": TaskProgress.objects.filter(owner_id=user.pk).order_by("-created_at")[:5],
        "can_manage_users": has_capability(user, Capability.MANAGE_ALL_USERS)
        or has_capability(user, Capability.MANAGE_UNIT_USERS),
        "can_manage_institutions": has_capability(user, Capability.MANAGE_INSTITUTIONS),
        "can_view_audit": has_capability(user, Capability.VIEW_AUDIT),
    }
    if context["can_manage_institutions"]:
        context["counts"] = {
            "institutions": Institution.objects.filter(is_active=True).count(),
            "users": User.objects.filter(is_active=True).count(),
            "audit_entries": AuditEntry.objects.count(),
        }
    return render(request, "portal/home.html", context)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language; a signed-in user's choice is remembered on their account."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:landing")
    response = HttpResponseRedirect(target)
    if language not in dict(settings.LANGUAGES):
        return response
    translation.activate(language)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
    )
    if request.user.is_authenticated:
        user_set_language(user=signed_in_user(request), language=language)
    return response


def _progress_for(request: HttpRequest, task_id: str) -> tuple[TaskProgress, str]:
    progress = TaskProgress.objects.filter(task_id=task_id, owner_id=request.user.pk).first()
    if progress is None:
        raise Http404
    try:
        status = str(default_task_backend.get_result(task_id).status)
    except (TaskResultDoesNotExist, ValueError):
        status = "FAILED"
    return progress, status


@login_required
def task_page(request: HttpRequest, task_id: str) -> HttpResponse:
    progress, status = _progress_for(request, task_id)
    return render(request, "portal/task.html", {"progress": progress, "status": status})


@login_required
def task_progress(request: HttpRequest, task_id: str) -> HttpResponse:
    progress, status = _progress_for(request, task_id)
    response = render(request, "portal/task_progress.html", {"progress": progress, "status": status})
    if status in ("SUCCESSFUL", "FAILED"):
        response["HX-Trigger"] = "task-finished"
    return response
