"""JSON errors of the API: ``{"error": {"code", "message", "fields"}}`` with a translated message."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from awda.core.errors import AwdaError

_MESSAGES = {
    "not_authenticated": lambda: _("Sign in to use this part of the API."),
    "authentication_failed": lambda: _("The credentials are not valid."),
    "permission_denied": lambda: _("You are not allowed to do this."),
    "not_found": lambda: _("Not found."),
    "method_not_allowed": lambda: _("This method is not allowed here."),
    "not_acceptable": lambda: _("The requested format is not available."),
    "unsupported_media_type": lambda: _("This content type is not supported."),
    "parse_error": lambda: _("The request body is not valid JSON."),
    "throttled": lambda: _("Too many requests. Try again later."),
    "invalid": lambda: _("Some fields are not valid."),
    "request_too_large": lambda: _("The request body is too large."),
    "server_error": lambda: _("Something went wrong on our side. The error has been logged."),
    "csrf_failed": lambda: _(
        "The security token of this form is missing or out of date. Reload the page and try again."
    ),
    "two_factor_required": lambda: _("Confirm your sign-in with your authenticator code first."),
}


def error_body(code: str, message: str | None = None, fields: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message or _MESSAGES.get(code, _MESSAGES["invalid"])()}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _field_errors(detail: Any) -> Any:
    """DRF's nested error details as ``{field: [{"code", "message"}]}``."""
    if isinstance(detail, dict):
        return {key: _field_errors(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail) for item in detail):
            return [{"code": item.code, "message": str(item)} for item in detail]
        return [_field_errors(item) for item in detail]
    if isinstance(detail, exceptions.ErrorDetail):
        return [{"code": detail.code, "message": str(detail)}]
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("request_too_large"), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, AwdaError):
        fields = {k: [{"code": exc.code, "message": str(m)} for m in v] for k, v in exc.fields.items()}
        return Response(error_body(exc.code, str(exc.message), fields), status=exc.status)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        fields = _field_errors(detail if isinstance(detail, dict) else {"non_field_errors": detail})
        response.data = error_body("invalid", fields=fields)
    elif isinstance(exc, exceptions.APIException):
        code = exc.default_code
        if isinstance(exc.detail, exceptions.ErrorDetail) and exc.detail.code:
            code = str(exc.detail.code)
        if code not in _MESSAGES:
            code = exc.default_code
        response.data = error_body(code)
    return response


def json_error(request: HttpRequest, code: str, status_code: int) -> JsonResponse:
    """The same JSON shape for errors raised outside DRF (unknown URLs, server errors)."""
    return JsonResponse(error_body(code), status=status_code, json_dumps_params={"ensure_ascii": False})
