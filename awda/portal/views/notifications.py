"""The signed-in user's notifications: referrals sent to them, answers, overdue work, plans to approve."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from awda.accounts.access import signed_in_user
from awda.core.models import Notification


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    items = list(Notification.objects.filter(recipient=user).order_by("-created_at", "-id")[:100])
    return render(request, "portal/notifications.html", {"items": items})


@login_required
@require_POST
def notifications_read(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("portal:notifications")


@login_required
def notification_open(request: HttpRequest, notification_uuid: str) -> HttpResponse:
    """Mark one as read and follow its link (only the recipient's own; others are "not found")."""
    user = signed_in_user(request)
    item = Notification.objects.filter(recipient=user, uuid=notification_uuid).first()
    if item is None:
        return redirect("portal:notifications")
    if item.read_at is None:
        Notification.objects.filter(pk=item.pk).update(read_at=timezone.now())
    return redirect(item.url or "portal:notifications")
