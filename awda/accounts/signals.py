"""Sign-in events go to the audit log."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import translation

from awda.core import audit
from awda.core.models import AuditAction


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(actor=user, action=AuditAction.LOGIN, obj=user)
    if request is not None and user.language:
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(actor=user, action=AuditAction.LOGOUT, obj=user)


def _target(username: str | None) -> tuple[str, str]:
    if not username:
        return "", ""
    target = get_user_model().objects.filter(username=username).only("uuid").first()
    return ("accounts.user", str(target.uuid)) if target else ("", "")


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    object_type, object_id = _target(credentials.get("username"))
    audit.record(actor=None, action=AuditAction.LOGIN_FAILED, object_type=object_type, object_id=object_id)


@receiver(user_locked_out)
def on_locked_out(sender: Any, request: Any, username: str | None, ip_address: str, **kwargs: Any) -> None:
    object_type, object_id = _target(username)
    audit.record(actor=None, action=AuditAction.LOCKED_OUT, object_type=object_type, object_id=object_id)
