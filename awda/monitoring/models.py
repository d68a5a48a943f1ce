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

    class Meta:
        ordering = ["-collected_on", "-id"]
        indexes = [models.Index(fields=["returnee", "-collected_on"], name="survey_response_case_idx")]

    def __str__(self) -> str:
        return str(self.uuid)
