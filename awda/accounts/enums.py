"""Choices of accounts: kinds of institution, roles and data scopes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionType(models.TextChoices):
    MINISTRY = "ministry", _("Ministry")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    PRIVATE_COMPANY = "private_company", _("Private company")
    COMMUNITY_ORGANISATION = "community_organisation", _("Community organisation")
    ACADEMIA = "academia", _("Academia")


class Role(models.TextChoices):
    CASE_WORKER = "case_worker", _("Case worker")
    SUPERVISOR = "supervisor", _("Supervisor")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    EMPLOYER = "employer", _("Employer")
    ANALYST = "analyst", _("Analyst")
    COMMITTEE_SECRETARIAT = "committee_secretariat", _("Committee secretariat")
    DATA_STEWARD = "data_steward", _("Data steward")
    ADMINISTRATOR = "administrator", _("Administrator")
    RETURNEE = "returnee", _("Returnee")


class ScopeLevel(models.TextChoices):
    """How far a user's view of personal records reaches, always within their institution."""

    INSTITUTION = "institution", _("Whole institution")
    OFFICE_AREA = "office_area", _("Office area")
    ASSIGNED = "assigned", _("Assigned records only")


class AreaLevel(models.TextChoices):
    """Whether an office's area is its whole governorate or only its district."""

    GOVERNORATE = "governorate", _("Governorate")
    DISTRICT = "district", _("District")
