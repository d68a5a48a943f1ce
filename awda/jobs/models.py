"""Employers, their commitments and offers, the returnee's job profile, matches and placements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution
from awda.core.models import PublicModel, TimeStampedModel, TranslatedNameMixin
from awda.geo.enums import Settlement
from awda.geo.models import District, Governorate
from awda.jobs import enums
from awda.referrals.models import PlanGoal, Referral
from awda.registry.models import Category, Consent, Occupation, Returnee


class Sector(TranslatedNameMixin, models.Model):
    """A section of ISIC Rev.4 (A–U), loaded from ``data/isic4_sections.json``."""

    code = models.CharField(_("ISIC section"), max_length=1, primary_key=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return self.name


class SkillTerm(TranslatedNameMixin, models.Model):
    """A skill of the shared vocabulary (``data/skills.json``), named in three languages with synonyms,
    so that "نجار", "دارتاش" and "carpenter" are one skill."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    synonyms = models.JSONField(default=list, blank=True)
    isco = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class Employer(PublicModel):
    """A company of the multi-stakeholder platform; its institution holds its users."""

    institution = models.OneToOneField(
        Institution, on_delete=models.PROTECT, related_name="employer", verbose_name=_("institution")
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector"))
    size = models.CharField(_("size"), max_length=10, choices=enums.CompanySize.choices)
    registration_number = models.CharField(_("company registration number"), max_length=60, blank=True)
    governorates = models.ManyToManyField(
        Governorate, related_name="+", verbose_name=_("governorates where it works")
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120)
    contact_phone = models.CharField(_("contact phone"), max_length=32)
    contact_email = models.EmailField(_("contact email"), blank=True)
    platform_member = models.BooleanField(_("member of the multi-stakeholder platform"), default=False)
    platform_joined_on = models.DateField(_("joined the platform"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=enums.EmployerStatus.choices, default=enums.EmployerStatus.PENDING
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)

    class Meta:
        ordering = ["institution__name_en"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")

    def __str__(self) -> str:
        return self.institution.name

    @property
    def name(self) -> str:
        return self.institution.name


class Commitment(PublicModel):
    """What a company pledged to the platform (so many jobs, training places…) and how much is fulfilled:
    hires through its offers count automatically; mentoring and in-kind support are recorded by hand."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField(_("kind"), max_length=20, choices=enums.CommitmentKind.choices)
    quantity = models.PositiveIntegerField(_("how many"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    due_on = models.DateField(_("to be fulfilled by"), null=True, blank=True)
    fulfilled_by_hand = models.PositiveIntegerField(_("fulfilled outside Awda"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} × {self.quantity}"


class Offer(PublicModel):
    """A vacancy, internship, apprenticeship, training course or in-kind support, with its requirements."""

    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="offers")
    commitment = models.ForeignKey(
        Commitment, null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    kind = models.CharField(_("kind of offer"), max_length=20, choices=enums.OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    occupation = models.ForeignKey(
        Occupation, on_delete=models.PROTECT, related_name="+", verbose_name=_("occupation (ISCO-08)")
    )
    skills = models.ManyToManyField(SkillTerm, blank=True, related_name="+", verbose_name=_("skills asked"))
    education_min = models.PositiveSmallIntegerField(
        _("minimum education (ISCED level)"), null=True, blank=True
    )
    languages = models.JSONField(_("languages asked"), default=list, blank=True)
    governorate = models.ForeignKey(
        Governorate, on_delete=models.PROTECT, related_name="+", verbose_name=_("governorate")
    )
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("district"),
    )
    settlement = models.CharField(_("urban or rural"), max_length=10, choices=Settlement.choices)
    remote = models.BooleanField(_("can be done remotely"), default=False)
    working_time = models.CharField(
        _("working time"),
        max_length=12,
        choices=enums.WorkingTime.choices,
        default=enums.WorkingTime.FULL_TIME,
    )
    conditions = models.TextField(_("pay and conditions"), blank=True)
    places = models.PositiveIntegerField(_("places"), default=1)
    filled = models.PositiveIntegerField(_("places filled"), default=0)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=enums.OfferStatus.choices, default=enums.OfferStatus.DRAFT
    )
    priority_categories = models.ManyToManyField(
        Category, blank=True, related_name="+", verbose_name=_("priority for")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        indexes = [models.Index(fields=["status", "governorate"], name="offer_status_gov_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def places_left(self) -> int:
        return max(0, self.places - self.filled)


class JobProfile(TimeStampedModel):
    """What the registry does not hold of a person's job search: languages, skills in the shared
    vocabulary, how far they will go, whether they are looking. Occupations with experience,
    qualifications and education stay in the registry."""

    returnee = models.OneToOneField(Returnee, on_delete=models.CASCADE, related_name="job_profile")
    seeking = models.BooleanField(_("looking for work or training"), default=True)
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    skills = models.ManyToManyField(SkillTerm, blank=True, related_name="+", verbose_name=_("skills"))
    mobility = models.CharField(
        _("how far they will go"),
        max_length=12,
        choices=enums.Mobility.choices,
        default=enums.Mobility.GOVERNORATE,
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("job profile")
        verbose_name_plural = _("job profiles")


class OfferMatch(models.Model):
    """The best offers for a person, as the last full re-match ranked them (``tasks.rematch``)."""

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="+", db_index=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["returnee", "rank"], name="offermatch_rank_unique")]

    def __str__(self) -> str:
        return f"{self.returnee_id} #{self.rank}"


class Placement(PublicModel):
    """One person for one offer: proposed → agreed by the person → shared with the employer → interview →
    hired or not hired, with checks of retention at 3 and 6 months after hiring."""

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="placements")
    returnee = models.ForeignKey(Returnee, on_delete=models.PROTECT, related_name="placements")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=enums.PlacementStatus.choices,
        default=enums.PlacementStatus.PROPOSED,
    )
    requested_by_employer = models.BooleanField(_("asked for by the employer"), default=False)
    score = models.FloatField(_("match score"), null=True, blank=True)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )
    plan_goal = models.ForeignKey(
        PlanGoal, null=True, blank=True, on_delete=models.SET_NULL, related_name="placements"
    )
    interview_at = models.DateTimeField(_("interview"), null=True, blank=True)
    hired_on = models.DateField(_("start date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "returnee"],
                condition=~Q(status__in=["declined", "not_hired", "withdrawn"]),
                name="placement_one_open_per_offer_and_person",
            )
        ]


class PlacementTransition(models.Model):
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class RetentionCheck(TimeStampedModel):
    """Is the person still in the job 3 and 6 months after starting?"""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="retention_checks")
    months = models.PositiveSmallIntegerField(_("months after starting"))
    due_on = models.DateField(_("due"))
    result = models.CharField(_("result"), max_length=12, choices=enums.RetentionResult.choices, blank=True)
    checked_on = models.DateField(_("checked"), null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("retention check")
        verbose_name_plural = _("retention checks")
        constraints = [
            models.UniqueConstraint(fields=["placement", "months"], name="retention_once_per_point")
        ]
