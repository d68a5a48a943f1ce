"""Survey instruments (versioned, as data) and the returnees' responses with their scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core.models import PublicModel, TimeStampedModel, localized
from awda.monitoring import enums
from awda.registry.models import Returnee


class Instrument(TimeStampedModel):
    """A survey (its code); what it asks lives in its versions."""

    code = models.SlugField(_("code"), max_length=60, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("survey instrument")
        verbose_name_plural = _("survey instruments")

    def __str__(self) -> str:
        return self.code


class InstrumentVersion(TimeStampedModel):
    """One version of an instrument, never changed once loaded; a response keeps the version it answered."""

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(
        _("status"), max_length=10, choices=enums.VersionStatus.choices, default=enums.VersionStatus.PUBLISHED
    )
    definition = models.JSONField(_("definition"))
    checksum = models.CharField(max_length=64, editable=False)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["instrument_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "number"], name="instrument_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} v{self.number}"

    @property
    def name(self) -> str:
        return localized(self, "name")


class SurveyResponse(PublicModel):
    """A returnee's answers to one instrument version, with the scores computed when they were recorded."""

    returnee = models.ForeignKey(Returnee, on_delete=models.PROTECT, related_name="survey_responses")
    version = models.ForeignKey(InstrumentVersion, on_delete=models.PROTECT, related_name="responses")
    answers = models.JSONField(_("answers"))
    collected_on = models.DateField(_("date of the interview"))
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(_("collected through"), max_length=10, choices=enums.ResponseSource.choices)
    economic = models.FloatField(_("economic"), null=True, blank=True)
    social = models.FloatField(_("social"), null=True, blank=True)
    psychosocial = models.FloatField(_("psychosocial"), null=True, blank=True)
    composite = models.FloatField(_("composite"), null=True, blank=True)
    answered = models.JSONField(default=dict)
    # The submission's own identifier in KoboToolbox or ODK (``_uuid``): importing a file twice adds nothing.
    external_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-collected_on", "-id"]
        indexes = [models.Index(fields=["returnee", "-collected_on"], name="survey_response_case_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "external_id"],
                condition=~models.Q(external_id=""),
                name="survey_response_external_unique",
            )
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class WarningRule(TimeStampedModel):
    """An early-warning rule as data: a kind of setback, its parameters and the severity of its alerts."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=enums.WarningKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    severity = models.CharField(_("severity"), max_length=10, choices=enums.Severity.choices)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_ckb = models.CharField(_("name (Kurdish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        return localized(self, "name")


class Alert(PublicModel):
    """A setback found by a rule on a case: raised, acknowledged, resolved with the action taken.

    The place, sex and categories of the person are copied when it is raised, so that the systemic
    view counts alerts where and to whom they happened, without reading the records again.
    """

    returnee = models.ForeignKey(Returnee, on_delete=models.CASCADE, related_name="alerts")
    rule = models.ForeignKey(WarningRule, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=30, choices=enums.WarningKind.choices)
    severity = models.CharField(max_length=10, choices=enums.Severity.choices)
    status = models.CharField(
        max_length=15, choices=enums.AlertStatus.choices, default=enums.AlertStatus.OPEN
    )
    details = models.JSONField(default=dict)
    raised_at = models.DateTimeField(db_index=True)
    governorate = models.ForeignKey("geo.Governorate", on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey("geo.District", on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey("accounts.Institution", on_delete=models.PROTECT, related_name="+")
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.TextField(_("action taken"), blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["institution", "status", "-raised_at"], name="alert_list_idx"),
            models.Index(fields=["raised_at", "governorate", "kind"], name="alert_systemic_idx"),
        ]
        constraints = [
            # One alert per case and rule while it is not resolved: a rule that keeps finding the same
            # setback does not flood the worker's list.
            models.UniqueConstraint(
                fields=["returnee", "rule"],
                condition=~models.Q(status="resolved"),
                name="alert_one_unresolved",
            )
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}:{self.status}"


class ServiceEvaluation(TimeStampedModel):
    """The returnee's view of a service they received through a completed referral (asked by their worker)."""

    referral = models.OneToOneField("referrals.Referral", on_delete=models.CASCADE, related_name="evaluation")
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1 to 5)"))
    helped = models.CharField(_("did it help"), max_length=10, choices=enums.Helped.choices)
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_on = models.DateField(_("date"))

    def __str__(self) -> str:
        return f"{self.referral_id}:{self.satisfaction}"
