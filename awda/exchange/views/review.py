"""Pages of data exchange: review."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
