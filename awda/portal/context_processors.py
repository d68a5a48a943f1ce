"""Template context of the shell: navigation, languages and direction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi

from awda.accounts.middleware import needs_second_factor
from awda.core.notifications import unread_count
from awda.portal.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # Until the second factor is given, the user sees no navigation into the platform.
    signed_in = bool(user is not None and user.is_authenticated and not needs_second_factor(user))
    return {
        "nav_items": navigation_for(user, request.path) if signed_in else [],
        "unread_notifications": unread_count(user) if signed_in else 0,
        "languages": settings.LANGUAGES,
        "current_language": get_language(),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
