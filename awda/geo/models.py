"""Iraq's administrative divisions keyed by their OCHA P-codes, and the world's countries."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import TranslatedNameMixin


class Place(TranslatedNameMixin, models.Model):
    pcode = models.CharField(_("P-code"), max_length=16, primary_key=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        abstract = True
        ordering = ["pcode"]


class Governorate(Place):
    class Meta(Place.Meta):
        verbose_name = _("governorate")
        verbose_name_plural = _("governorates")


class District(Place):
    governorate = models.ForeignKey(
        Governorate, on_delete=models.PROTECT, related_name="districts", verbose_name=_("governorate")
    )

    class Meta(Place.Meta):
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class SubDistrict(Place):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="sub_districts", verbose_name=_("district")
    )

    class Meta(Place.Meta):
        verbose_name = _("sub-district")
        verbose_name_plural = _("sub-districts")


class Country(TranslatedNameMixin, models.Model):
    iso2 = models.CharField(_("ISO 3166-1 alpha-2"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO 3166-1 alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO 3166-1 numeric"), max_length=3)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")
