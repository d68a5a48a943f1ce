"""Pages of data exchange: imports."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
