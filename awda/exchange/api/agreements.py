"""API of data exchange: agreements."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
