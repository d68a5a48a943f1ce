"""Error pages in the user's language that show no internals; JSON for the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from awda.core.api.errors import json_error


def _page(request: HttpRequest, status: int, code: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error(request, code, status)
    return render(request, f"errors/{status}.html", status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 400, "invalid")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 403, "permission_denied")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _page(request, 404, "not_found")


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error(request, "server_error", 500)
    # A bare render: the context processors may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render({"request": request}), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_error(request, "csrf_failed", 403)
    return render(request, "errors/csrf.html", status=403)
