"""Template context of the shell: navigation, languages and direction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi

from awda.portal.navigation import navigation_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    return {
        "nav_items": navigation_for(user, request.path) if signed_in else [],
        "languages": settings.LANGUAGES,
        "current_language": get_language(),
        "text_direction": "rtl" if get_language_bidi() else "ltr",
    }
