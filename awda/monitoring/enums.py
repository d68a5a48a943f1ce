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


class WarningKind(models.TextChoices):
    SCORE_DROP = "score_drop", _("A score fell between two surveys")
    DIMENSION_BELOW = "dimension_below", _("A score is below the threshold")
    INTENDS_TO_MIGRATE = "intends_to_migrate", _("Intends to migrate again")
    DOCUMENTATION_UNRESOLVED = "documentation_unresolved", _("Documents still missing")
    REFERRAL_DECLINED_TWICE = "referral_declined_twice", _("Referrals declined repeatedly")
    NO_CONTACT = "no_contact", _("No contact for a long time")
    INDICATOR_FELL = "indicator_fell", _("An answer got worse (such as losing a job)")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("A follow-up survey is overdue")


class Severity(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


class Helped(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")
