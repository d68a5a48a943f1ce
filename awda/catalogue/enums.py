"""Choices of the service catalogue: kinds of organisation, cost, languages, review states, gaps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    MINISTRY_BRANCH = "ministry_branch", _("Ministry branch")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    MIGRANT_RESOURCE_CENTRE = "migrant_resource_centre", _("Migrant Resource Centre")
    VOCATIONAL_TRAINING_CENTRE = "vocational_training_centre", _("Vocational training centre")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    UN_AGENCY = "un_agency", _("United Nations agency")
    CHAMBER_OF_COMMERCE = "chamber_of_commerce", _("Chamber of commerce")
    PRIVATE_COMPANY = "private_company", _("Private company")
    DONOR = "donor", _("Donor or development actor")
    COMMUNITY_ORGANISATION = "community_organisation", _("Community organisation")
    ACADEMIA = "academia", _("Academia")


# The organisation type an institution of the accounts module becomes in the catalogue.
FROM_INSTITUTION_TYPE = {
    "ministry": OrganisationType.MINISTRY,
    "government_agency": OrganisationType.GOVERNMENT_AGENCY,
    "ngo": OrganisationType.NGO,
    "international_organisation": OrganisationType.INTERNATIONAL_ORGANISATION,
    "private_company": OrganisationType.PRIVATE_COMPANY,
    "community_organisation": OrganisationType.COMMUNITY_ORGANISATION,
    "academia": OrganisationType.ACADEMIA,
}


class Cost(models.TextChoices):
    FREE = "free", _("Free of charge")
    SUBSIDISED = "subsidised", _("Subsidised")
    PAID = "paid", _("Paid")


class ServiceLanguage(models.TextChoices):
    """Languages a service is delivered in (not the interface languages)."""

    ARABIC = "ar", _("Arabic")
    SORANI = "ckb", _("Kurdish (Sorani)")
    KURMANJI = "kmr", _("Kurdish (Kurmanji)")
    ENGLISH = "en", _("English")
    TURKMEN = "tr", _("Turkmen")
    SYRIAC = "syr", _("Syriac")


class Weekday(models.TextChoices):
    SATURDAY = "sat", _("Saturday")
    SUNDAY = "sun", _("Sunday")
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Returned to the provider")
    WITHDRAWN = "withdrawn", _("Withdrawn by the provider")


class Gap(models.TextChoices):
    """How the services of one category in one place compare with the needs recorded there."""

    NO_SERVICE = "no_service", _("Needs without a service")
    OVER_CAPACITY = "over_capacity", _("Services over capacity")
    COVERED = "covered", _("Covered")
    NO_NEED = "no_need", _("No needs recorded")
