"""Awda's URLs plus one view that fails, to see the server-error page."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import handler400, handler403, handler404, handler500
from config.urls import urlpatterns as awda_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500"]


def crash(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret internals: do not show")


urlpatterns = [path("crash/", crash), path("api/v1/crash/", crash), *awda_urlpatterns]
