"""Notifications: a row in the recipient's list, then email and (where a backend is set) SMS after commit.

Messages are whole translated sentences with named placeholders, rendered in the recipient's
language (their account's, else the site's default), so a Kurdish focal point reads Kurdish.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from awda.core.models import Notification

log = logging.getLogger(__name__)


class SmsBackend(Protocol):
    def send(self, *, phone: str, text: str) -> bool: ...


class NoSmsBackend:
    """The default: no SMS gateway configured, nothing sent."""

    def send(self, *, phone: str, text: str) -> bool:
        return False


class ConsoleSmsBackend:
    """For development: the message goes to the log instead of a gateway (the number is not logged)."""

    def send(self, *, phone: str, text: str) -> bool:
        log.info("SMS (%d characters) to a number ending %s", len(text), phone[-2:])
        return True


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(
        getattr(settings, "AWDA_SMS_BACKEND", "awda.core.notifications.NoSmsBackend")
    )()
    return backend


def language_of(user: Any) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def notify(
    *,
    recipient: Any,
    kind: str,
    subject: str | Promise,
    body: str | Promise,
    params: dict[str, Any] | None = None,
    url: str = "",
) -> Notification:
    """Record a notification for ``recipient`` in their language; email and SMS go out after commit."""
    with translation.override(language_of(recipient)):
        values = {k: str(v) for k, v in (params or {}).items()}
        notification = Notification.objects.create(
            recipient=recipient,
            kind=kind,
            subject=(str(subject) % values)[:200],
            body=str(body) % values,
            url=url,
        )
    transaction.on_commit(lambda: _enqueue(notification.pk))
    return notification


def _enqueue(notification_id: int) -> None:
    from awda.core.tasks import deliver_notification_task

    deliver_notification_task.enqueue(notification_id=notification_id)


def deliver(notification_id: int) -> None:
    """Send one notification by email and SMS; each channel at most once."""
    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None:
        return
    recipient = notification.recipient
    link = f"{settings.AWDA_BASE_URL.rstrip('/')}{notification.url}" if notification.url else ""
    if notification.emailed_at is None and recipient.email and recipient.is_active:
        text = f"{notification.body}\n\n{link}".strip()
        send_mail(notification.subject, text, None, [recipient.email], fail_silently=False)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    phone = getattr(recipient, "phone", "")
    sendable = notification.texted_at is None and phone and recipient.is_active
    if sendable and sms_backend().send(phone=phone, text=notification.subject):
        Notification.objects.filter(pk=notification.pk).update(texted_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
