"""Choices of data exchange: kinds of sources, the fields a file can be mapped to, states of imports and pairs."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    UNEMPLOYED_REGISTER = "unemployed_register", _("Register of unemployed people")
    PRE_ARRIVAL = "pre_arrival", _("Pre-arrival list")
    DOCUMENTS = "documents", _("Civil documents")
    FIELD_SURVEY = "field_survey", _("Field data collection (Kobo, ODK)")
    RETURNEE_REGISTER = "returnee_register", _("Another returnee register")
    OTHER = "other", _("Other register")


class SourceField(models.TextChoices):
    """The fields a column of a source file can be mapped to: the linkage fields, then status fields."""

    RECORD_ID = "record_id", _("ID in the source")
    FULL_NAME = "full_name", _("Full name")
    GIVEN_NAME = "given_name", _("Given name")
    FATHER_NAME = "father_name", _("Father's name")
    GRANDFATHER_NAME = "grandfather_name", _("Grandfather's name")
    FAMILY_NAME = "family_name", _("Family or tribal name")
    MOTHER_NAME = "mother_name", _("Mother's name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    SEX = "sex", _("Sex")
    GOVERNORATE = "governorate", _("Governorate")
    PHONE = "phone", _("Phone")
    NATIONAL_ID = "national_id", _("National ID number")
    STATUS = "status", _("Status in the source")
    STATUS_DATE = "status_date", _("Date of that status")
    OFFICE = "office", _("Office in the source")


LINKAGE_FIELDS = (
    SourceField.FULL_NAME,
    SourceField.GIVEN_NAME,
    SourceField.FATHER_NAME,
    SourceField.GRANDFATHER_NAME,
    SourceField.FAMILY_NAME,
    SourceField.MOTHER_NAME,
    SourceField.DATE_OF_BIRTH,
    SourceField.SEX,
    SourceField.GOVERNORATE,
    SourceField.PHONE,
    SourceField.NATIONAL_ID,
)
STATUS_FIELDS = (SourceField.STATUS, SourceField.STATUS_DATE, SourceField.OFFICE)


class FileFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    JSON = "json", "JSON"


class BatchStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Being checked")
    VALIDATED = "validated", _("Checked, waiting for commit")
    COMMITTING = "committing", _("Being imported")
    COMMITTED = "committed", _("Imported")
    REFUSED = "refused", _("Refused")
    DISCARDED = "discarded", _("Discarded")


class RowErrorCode(models.TextChoices):
    """What can be wrong with a row; the label is the message shown to the data steward."""

    MISSING_ID = "missing_id", _("The ID is empty.")
    DUPLICATE_ID = "duplicate_id", _("This ID appears in an earlier row of the file.")
    MISSING_NAME = "missing_name", _("There is no name.")
    BAD_DATE = "bad_date", _("This is not a date (write it as 1990-07-01 or 01/07/1990).")
    FUTURE_DATE = "future_date", _("This date is in the future.")
    BAD_SEX = "bad_sex", _("Write the sex as male or female (M/F, ذكر/انثى).")
    BAD_GOVERNORATE = "bad_governorate", _("This is not a governorate of Iraq or its P-code.")
    BAD_PHONE = "bad_phone", _("This is not a phone number.")
    FORMULA = "formula", _("This cell holds a formula, not a value; paste the values instead.")
    TOO_LONG = "too_long", _("This value is too long.")


class RunKind(models.TextChoices):
    SOURCE_TO_REGISTRY = "source", _("Source against the registry")
    REGISTRY_DUPLICATES = "duplicates", _("Duplicates in the registry")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Failed")


class PairStatus(models.TextChoices):
    LINKED = "linked", _("Linked automatically")
    PENDING = "pending", _("Waiting for review")
    SAME = "same", _("Same person")
    DIFFERENT = "different", _("Different people")
    MERGED = "merged", _("Merged")
