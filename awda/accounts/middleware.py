"""Per-user language, and two-factor authentication where the role requires it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import translation

from awda.accounts.roles import requires_two_factor
from awda.core.api.errors import error_body

_EXEMPT_PREFIXES = ("/static/", "/accounts/2fa/", "/accounts/logout/", "/i18n/", "/favicon")


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the cookie and the browser's preference."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language:
            response.headers.setdefault("Content-Language", language)
        return response


def needs_second_factor(user: object) -> bool:
    from django_otp import user_has_device

    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_verified", lambda: False)():
        return False
    return requires_two_factor(user) or user_has_device(user)


class TwoFactorRequiredMiddleware:
    """Administrators and data stewards (and anyone who enrolled) must pass TOTP before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if needs_second_factor(request.user) and not request.path.startswith(_EXEMPT_PREFIXES):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    error_body("two_factor_required"), status=403, json_dumps_params={"ensure_ascii": False}
                )
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)
