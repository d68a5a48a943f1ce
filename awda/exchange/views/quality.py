"""Pages of data exchange: quality."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
