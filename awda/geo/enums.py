"""Choices of geography."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Settlement(models.TextChoices):
    """Urban or rural: an attribute of a place where someone lives or a service reaches."""

    URBAN = "urban", _("Urban")
    RURAL = "rural", _("Rural")


class AdminLevel(models.IntegerChoices):
    GOVERNORATE = 1, _("Governorate")
    DISTRICT = 2, _("District")
    SUB_DISTRICT = 3, _("Sub-district")
