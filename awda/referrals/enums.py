"""Choices of referrals and plans: stable stored values, translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralKind(models.TextChoices):
    SERVICE = "service", _("Referral to a service")
    TRANSFER = "transfer", _("Transfer of the case")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    REVOKED = "revoked", _("Revoked")
    EXPIRED = "expired", _("Expired: not answered in time")


class DeclineReason(models.TextChoices):
    NOT_ELIGIBLE = "not_eligible", _("The person is not eligible")
    NO_CAPACITY = "no_capacity", _("No places left")
    OUTSIDE_AREA = "outside_area", _("Outside our area")
    SERVICE_UNAVAILABLE = "service_unavailable", _("The service is not running")
    INCOMPLETE = "incomplete", _("Information missing")
    DUPLICATE = "duplicate", _("Already referred or already served")
    OTHER = "other", _("Another reason")


class Outcome(models.TextChoices):
    NEED_MET = "need_met", _("Need met")
    PARTLY_MET = "partly_met", _("Need partly met")
    NOT_MET = "not_met", _("Need not met")


class NotCompletedReason(models.TextChoices):
    PERSON_WITHDREW = "person_withdrew", _("The person withdrew")
    NO_CONTACT = "no_contact", _("The person could not be reached")
    MOVED = "moved", _("The person moved away")
    SERVICE_STOPPED = "service_stopped", _("The service stopped")
    OTHER = "other", _("Another reason")


class Dimension(models.TextChoices):
    ECONOMIC = "economic", _("Economic")
    SOCIAL = "social", _("Social")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")


class Horizon(models.TextChoices):
    SIX_MONTHS = "6m", _("6 months")
    TWO_YEARS = "2y", _("2 years")
    FIVE_YEARS = "5y", _("5 years")


HORIZON_MONTHS = {Horizon.SIX_MONTHS: 6, Horizon.TWO_YEARS: 24, Horizon.FIVE_YEARS: 60}


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    CLOSED = "closed", _("Closed")


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class ActionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the case worker")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")
