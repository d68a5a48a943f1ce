"""API of referrals and plans (/api/v1/referrals/, /api/v1/plans/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
