"""Choices of the job market."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CompanySize(models.TextChoices):
    MICRO = "micro", _("Micro (1–9 workers)")
    SMALL = "small", _("Small (10–49 workers)")
    MEDIUM = "medium", _("Medium (50–249 workers)")
    LARGE = "large", _("Large (250 workers or more)")


class EmployerStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class CommitmentKind(models.TextChoices):
    JOBS = "jobs", _("Jobs")
    INTERNSHIPS = "internships", _("Internships")
    TRAINING = "training", _("Training places")
    MENTORING = "mentoring", _("Mentoring")
    IN_KIND = "in_kind", _("In-kind support")


class OfferKind(models.TextChoices):
    JOB = "job", _("Job vacancy")
    INTERNSHIP = "internship", _("Internship")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    TRAINING = "training", _("Training course")
    IN_KIND = "in_kind", _("In-kind support")


# Which commitment an offer's hires count towards.
COMMITMENT_OF_OFFER = {
    OfferKind.JOB: CommitmentKind.JOBS,
    OfferKind.INTERNSHIP: CommitmentKind.INTERNSHIPS,
    OfferKind.APPRENTICESHIP: CommitmentKind.TRAINING,
    OfferKind.TRAINING: CommitmentKind.TRAINING,
    OfferKind.IN_KIND: CommitmentKind.IN_KIND,
}

# Offers that teach or support rather than ask for an occupation already practised: open to anyone
# within reach, whatever their past occupations.
OPEN_TO_ALL_KINDS = frozenset({OfferKind.TRAINING, OfferKind.APPRENTICESHIP, OfferKind.IN_KIND})


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class WorkingTime(models.TextChoices):
    FULL_TIME = "full_time", _("Full time")
    PART_TIME = "part_time", _("Part time")
    SEASONAL = "seasonal", _("Seasonal")
    SHIFTS = "shifts", _("Shifts")


class Mobility(models.TextChoices):
    """How far the person will go for work."""

    DISTRICT = "district", _("Only in my district")
    GOVERNORATE = "governorate", _("Commute within my governorate")
    ANYWHERE = "anywhere", _("Move anywhere in Iraq")


class PlacementStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed by the person")
    DECLINED = "declined", _("Declined by the person")
    SHARED = "shared", _("Shared with the employer")
    INTERVIEW = "interview", _("Interview")
    HIRED = "hired", _("Hired")
    NOT_HIRED = "not_hired", _("Not hired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class RetentionResult(models.TextChoices):
    EMPLOYED = "employed", _("Still in the job")
    LEFT = "left", _("Left the job")
    DISMISSED = "dismissed", _("Dismissed")
    UNREACHABLE = "unreachable", _("Could not be reached")
