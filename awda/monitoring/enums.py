"""Choices of monitoring: stable stored values, translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionStatus(models.TextChoices):
    PUBLISHED = "published", _("In use")
    RETIRED = "retired", _("Retired: no new responses")


class ResponseSource(models.TextChoices):
    FORM = "form", _("Awda's form")
    KOBO = "kobo", _("KoboToolbox or ODK")
    API = "api", _("Another system, through the API")
