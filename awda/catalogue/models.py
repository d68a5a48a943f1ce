"""Organisations, their programmes and services, the taxonomy of services, and the review of changes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution
from awda.catalogue import enums
from awda.core.models import PublicModel, TimeStampedModel, TranslatedNameMixin, localized
from awda.geo.models import District, Governorate
from awda.registry.enums import NeedCategory


class ServiceCategory(TranslatedNameMixin, TimeStampedModel):
    """A category (no parent) or subcategory of services; the taxonomy is data an administrator keeps."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subcategories",
        verbose_name=_("part of"),
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    # The need of the case form that services of this category answer, for the mapping of gaps.
    need_category = models.CharField(
        _("need answered"), max_length=30, choices=NeedCategory.choices, blank=True
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    @property
    def top(self) -> ServiceCategory:
        return self.parent if self.parent_id is not None and self.parent is not None else self


class Organisation(TranslatedNameMixin, PublicModel):
    """An actor of reintegration: an institution with users in Awda, or one without (a donor, a chamber)."""

    code = models.SlugField(_("short code"), max_length=60, unique=True)
    institution = models.OneToOneField(
        Institution,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisation",
        verbose_name=_("institution in Awda"),
    )
    type = models.CharField(_("type"), max_length=40, choices=enums.OrganisationType.choices)
    acronym = models.CharField(_("acronym"), max_length=20, blank=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    mandate_ar = models.TextField(_("mandate (Arabic)"), blank=True)
    mandate_ckb = models.TextField(_("mandate (Kurdish)"), blank=True)
    mandate_en = models.TextField(_("mandate (English)"), blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The service level for referrals: working days to answer before a referral expires.
    referral_response_days = models.PositiveSmallIntegerField(_("days to answer a referral"), default=5)

    class Meta:
        ordering = ["code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    @property
    def mandate(self) -> str:
        return localized(self, "mandate")


class OrganisationOffice(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offices")
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    governorate = models.ForeignKey(Governorate, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    address_ar = models.CharField(_("address (Arabic)"), max_length=255, blank=True)
    address_ckb = models.CharField(_("address (Kurdish)"), max_length=255, blank=True)
    address_en = models.CharField(_("address (English)"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["organisation_id", "governorate_id", "name_en"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def address(self) -> str:
        return localized(self, "address")


class FocalPoint(TimeStampedModel):
    """The person an organisation names for referrals and questions; a user of Awda when it has one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="focal_points")
    name = models.CharField(_("name"), max_length=160)
    title_ar = models.CharField(_("title (Arabic)"), max_length=160, blank=True)
    title_ckb = models.CharField(_("title (Kurdish)"), max_length=160, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["organisation_id", "name"]
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")

    @property
    def title(self) -> str:
        return localized(self, "title")


class Programme(TranslatedNameMixin, PublicModel):
    """A programme of an organisation (a donor's livelihood programme, a reintegration package…)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("organisation")
    )
    funder = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded_programmes",
        verbose_name=_("funded by"),
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ar = models.TextField(_("description (Arabic)"), blank=True)
    description_ckb = models.TextField(_("description (Kurdish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    governorates = models.ManyToManyField(Governorate, blank=True, related_name="+")
    # Codes of the registry's categories (highly skilled, female heads of household…).
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    @property
    def description(self) -> str:
        return localized(self, "description")


class Service(TranslatedNameMixin, PublicModel):
    """A published service. Providers propose changes (``ServiceChange``); a review applies them here."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="services", verbose_name=_("provider")
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("programme"),
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.PROTECT, related_name="services", verbose_name=_("category")
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    description_ar = models.TextField(_("description (Arabic)"))
    description_ckb = models.TextField(_("description (Kurdish)"))
    description_en = models.TextField(_("description (English)"))
    how_to_access_ar = models.TextField(_("how to access (Arabic)"), blank=True)
    how_to_access_ckb = models.TextField(_("how to access (Kurdish)"), blank=True)
    how_to_access_en = models.TextField(_("how to access (English)"), blank=True)
    cost = models.CharField(_("cost"), max_length=20, choices=enums.Cost.choices, default=enums.Cost.FREE)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # The same languages as "|ar|ckb|", so that both databases can filter on them.
    language_tags = models.CharField(max_length=60, editable=False, default="")
    nationwide = models.BooleanField(_("the whole country"), default=False)
    remote = models.BooleanField(_("by phone or online"), default=False)
    governorates = models.ManyToManyField(Governorate, blank=True, related_name="+")
    districts = models.ManyToManyField(District, blank=True, related_name="+")
    settlements = models.JSONField(_("urban or rural"), default=list, blank=True)
    criteria = models.JSONField(_("eligibility"), default=dict, blank=True)
    capacity_per_month = models.PositiveIntegerField(_("places per month"), null=True, blank=True)
    current_load = models.PositiveIntegerField(_("taken this month"), default=0)
    load_month = models.DateField(_("month of the load"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    hours = models.JSONField(_("opening hours"), null=True, blank=True)
    starts_on = models.DateField(_("available from"), null=True, blank=True)
    ends_on = models.DateField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)
    # Every name, description and place in every language, normalised for search (see ``search_text_of``).
    search_text = models.TextField(editable=False, default="")

    class Meta:
        ordering = ["code"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["category", "is_active"], name="service_category_idx")]

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def how_to_access(self) -> str:
        return localized(self, "how_to_access")


class ServiceVersion(TimeStampedModel):
    """The history of a service: what it said after each approved change, and who approved it."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    change = models.OneToOneField(
        "ServiceChange", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["service_id", "-number"]
        constraints = [models.UniqueConstraint(fields=["service", "number"], name="service_version_unique")]


class ServiceChange(PublicModel):
    """A provider's proposal: a new service or a change of one; public only once an administrator approves."""

    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_changes")
    document = models.JSONField()
    base_version = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=enums.ChangeStatus.choices, default=enums.ChangeStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(_("note to the provider"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="service_change_status_idx")]
