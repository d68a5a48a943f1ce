"""Institutions, offices and users."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.accounts.enums import AreaLevel, InstitutionType, Role, ScopeLevel
from awda.core.models import PublicModel, TranslatedNameMixin
from awda.geo.models import District, Governorate


class Institution(TranslatedNameMixin, PublicModel):
    code = models.SlugField(_("short code"), max_length=40, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    type = models.CharField(_("type"), max_length=40, choices=InstitutionType.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("part of"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")


class Office(TranslatedNameMixin, PublicModel):
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="offices", verbose_name=_("institution")
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    governorate = models.ForeignKey(
        Governorate, on_delete=models.PROTECT, related_name="+", verbose_name=_("governorate")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    area_level = models.CharField(
        _("area covered"), max_length=20, choices=AreaLevel.choices, default=AreaLevel.GOVERNORATE
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["institution__code", "name_en"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")


class User(AbstractUser):
    """A person who signs in: staff of one institution and office, or a returnee."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("institution"),
    )
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        verbose_name=_("office"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CASE_WORKER)
    scope = models.CharField(
        _("data scope"), max_length=20, choices=ScopeLevel.choices, default=ScopeLevel.OFFICE_AREA
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects: ClassVar[UserManager[User]] = UserManager()  # type: ignore[assignment]

    class Meta:
        ordering = ["username"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
