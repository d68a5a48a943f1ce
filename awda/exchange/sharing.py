"""Data-sharing agreements between institutions and the harmonised extracts made under them.

An extract holds the people of the provider institution (current records, in the agreement's
governorates) whose consent allows sharing with the recipient, and only the agreement's fields.
Values are machine-readable codes (P-codes, ISO dates, stored choice values), the same in CSV, XLSX
and JSON; only the header row is translated, and a second header row carries HXL hashtags.
"""

from __future__ import annotations

import uuid as uuid_module
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.accounts.models import Institution, User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditAction
from awda.exchange.enums import FileFormat
from awda.exchange.models import Export, SharingAgreement
from awda.geo.models import Governorate
from awda.registry.enums import ConsentPurpose
from awda.registry.models import Consent, Phone, Returnee

CHUNK_SIZE = 2000


def _text(values: Mapping[str, Any], column: str) -> str:
    value = values[column]
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)


@dataclass(frozen=True)
class ExportField:
    """One column an agreement can name: a stable key, a translated header and an HXL hashtag."""

    key: str
    label: str | Promise
    hxl: str
    columns: tuple[str, ...]
    join: str = ""

    def value(self, values: Mapping[str, Any]) -> str:
        if len(self.columns) == 1:
            return _text(values, self.columns[0])
        return self.join.join(part for part in (_text(values, c) for c in self.columns) if part)


# The order here is the order of the columns in every extract. Keys are stored in agreements:
# never rename one. Hashtags follow the registry's own export where both have the column, so
# that a ministry receiving both reads them the same way. Health and psychosocial notes, addresses
# and documents are left out on purpose: no agreement can name them.
FIELDS: tuple[ExportField, ...] = (
    ExportField("case_number", gettext_lazy("case number"), "#case+code", ("case_number",)),
    ExportField("given_name", gettext_lazy("given name"), "#beneficiary+name+given", ("given_name",)),
    ExportField("father_name", gettext_lazy("father's name"), "#beneficiary+name+father", ("father_name",)),
    ExportField(
        "grandfather_name",
        gettext_lazy("grandfather's name"),
        "#beneficiary+name+grandfather",
        ("grandfather_name",),
    ),
    ExportField(
        "family_name", gettext_lazy("family or tribal name"), "#beneficiary+name+family", ("family_name",)
    ),
    ExportField(
        "name_latin",
        gettext_lazy("full name (Latin letters)"),
        "#beneficiary+name+latin",
        ("given_name_latin", "father_name_latin", "grandfather_name_latin", "family_name_latin"),
        join=" ",
    ),
    ExportField(
        "mother_name", gettext_lazy("mother's full name"), "#beneficiary+name+mother", ("mother_name",)
    ),
    ExportField("sex", gettext_lazy("sex"), "#beneficiary+sex", ("sex",)),
    ExportField(
        "date_of_birth", gettext_lazy("date of birth"), "#beneficiary+birth+date", ("date_of_birth",)
    ),
    ExportField("phone", gettext_lazy("phone"), "#contact+phone", ("first_phone",)),
    ExportField("governorate", gettext_lazy("governorate"), "#adm1+code", ("governorate_id",)),
    ExportField("district", gettext_lazy("district"), "#adm2+code", ("district_id",)),
    ExportField("sub_district", gettext_lazy("sub-district"), "#adm3+code", ("sub_district_id",)),
    ExportField("settlement", gettext_lazy("urban or rural"), "#loc+type", ("settlement",)),
    ExportField(
        "country_returned_from",
        gettext_lazy("country returned from"),
        "#country+code+origin",
        ("country_returned_from_id",),
    ),
    ExportField("return_date", gettext_lazy("return date"), "#date+return", ("return_date",)),
    ExportField("return_type", gettext_lazy("type of return"), "#beneficiary+return+type", ("return_type",)),
    ExportField("status", gettext_lazy("status"), "#status", ("status",)),
    ExportField(
        "education_level",
        gettext_lazy("education (ISCED level)"),
        "#beneficiary+education+isced",
        ("education_level",),
    ),
    ExportField(
        "employment_status",
        gettext_lazy("employment status"),
        "#beneficiary+employment",
        ("employment_status",),
    ),
    ExportField(
        "vulnerabilities", gettext_lazy("vulnerabilities"), "#beneficiary+vulnerability", ("vulnerabilities",)
    ),
)
FIELDS_BY_KEY: dict[str, ExportField] = {f.key: f for f in FIELDS}


def fields_of(agreement: SharingAgreement) -> list[ExportField]:
    """The agreement's fields in the canonical column order (keys no longer known are skipped)."""
    named = set(agreement.fields)
    return [f for f in FIELDS if f.key in named]


# Who may do what ------------------------------------------------------------------------------


def _manages_agreements(user: Any) -> bool:
    return (
        has_capability(user, Capability.MANAGE_AGREEMENTS)
        and getattr(user, "institution_id", None) is not None
    )


def may_manage(user: Any, agreement: SharingAgreement) -> bool:
    """Revoking is for the data stewards of the institution that gives the data."""
    return _manages_agreements(user) and user.institution_id == agreement.provider_id


def may_extract(user: Any, agreement: SharingAgreement, *, through_api: bool = False) -> bool:
    """The provider's data stewards, the recipient's data stewards, and through the API an account of the
    recipient allowed both to use the API and to export records (the ministry's system account; a case
    worker of the recipient cannot pull a whole extract)."""
    if _manages_agreements(user) and user.institution_id in (agreement.provider_id, agreement.recipient_id):
        return True
    return (
        through_api
        and has_capability(user, Capability.USE_API)
        and has_capability(user, Capability.EXPORT_RECORDS)
        and getattr(user, "institution_id", None) == agreement.recipient_id
    )


def agreements_visible_to(user: Any, *, through_api: bool = False) -> QuerySet[SharingAgreement]:
    """Agreements of the user's institution, as provider or as recipient, for whoever may see them."""
    institution_id = getattr(user, "institution_id", None)
    if institution_id is None:
        return SharingAgreement.objects.none()
    condition = Q(pk__in=[])
    if _manages_agreements(user):
        condition = Q(provider_id=institution_id) | Q(recipient_id=institution_id)
    elif through_api and has_capability(user, Capability.USE_API):
        condition = Q(recipient_id=institution_id)
    return SharingAgreement.objects.filter(condition).select_related("provider", "recipient")


def access_agreement_by_uuid(
    user: Any, agreement_uuid: uuid_module.UUID | str, *, through_api: bool = False
) -> SharingAgreement:
    """The agreement if the user's institution is a party and the user may see it; else "not found"."""
    try:
        return (
            agreements_visible_to(user, through_api=through_api)
            .prefetch_related("governorates")
            .get(uuid=agreement_uuid)
        )
    except (SharingAgreement.DoesNotExist, ValueError, TypeError) as error:
        raise NotFound(_("Not found.")) from error


# Writes --------------------------------------------------------------------------------------


def agreement_create(
    *,
    actor: User,
    provider: Institution,
    recipient: Institution | None,
    reference: str,
    purpose: str,
    fields: Sequence[str],
    governorates: Sequence[Governorate],
    valid_from: date | None,
    valid_until: date | None,
) -> SharingAgreement:
    """Record a signed data-sharing agreement; only the provider's data stewards may."""
    if not _manages_agreements(actor) or actor.institution_id != provider.pk:
        raise PermissionDenied(
            _("Only data stewards of the providing institution can record its agreements.")
        )
    errors: dict[str, list[str | Promise]] = {}
    reference = (reference or "").strip()
    purpose = (purpose or "").strip()
    if not reference:
        errors["reference"] = [_("Give the reference of the signed agreement.")]
    elif len(reference) > 120:
        errors["reference"] = [_("The reference is too long (at most 120 characters).")]
    if not purpose:
        errors["purpose"] = [_("Say what the data will be used for.")]
    if recipient is None:
        errors["recipient"] = [_("Choose the institution that receives the data.")]
    elif recipient.pk == provider.pk:
        errors["recipient"] = [_("An institution cannot make an agreement with itself.")]
    elif not recipient.is_active:
        errors["recipient"] = [_("This institution is no longer active.")]
    unknown = sorted({str(key) for key in fields} - set(FIELDS_BY_KEY))
    if unknown:
        errors["fields"] = [_("These fields cannot be shared: %(keys)s.") % {"keys": ", ".join(unknown)}]
    elif not fields:
        errors["fields"] = [_("Choose at least one field.")]
    if valid_from is None:
        errors["valid_from"] = [_("Give the date the agreement starts.")]
    if valid_until is None:
        errors["valid_until"] = [_("Give the date the agreement ends.")]
    elif valid_from is not None and valid_until <= valid_from:
        errors["valid_until"] = [_("The agreement must end after the day it starts.")]
    if errors:
        raise AwdaError(_("The agreement could not be saved."), code="invalid", fields=errors)
    assert recipient is not None and valid_from is not None and valid_until is not None
    chosen = set(fields)
    with transaction.atomic():
        agreement = SharingAgreement.objects.create(
            provider=provider,
            recipient=recipient,
            reference=reference,
            purpose=purpose,
            fields=[f.key for f in FIELDS if f.key in chosen],
            valid_from=valid_from,
            valid_until=valid_until,
            created_by=actor,
        )
        agreement.governorates.set(governorates)
        audit.record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=agreement,
            fields=[
                "provider",
                "recipient",
                "reference",
                "purpose",
                "fields",
                "governorates",
                "valid_from",
                "valid_until",
            ],
        )
    return agreement


def agreement_revoke(*, actor: User, agreement: SharingAgreement) -> SharingAgreement:
    """End an agreement now: no extract is made under it any more; the exports made stay on record."""
    if not may_manage(actor, agreement):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        locked = SharingAgreement.objects.select_for_update().get(pk=agreement.pk)
        if locked.revoked_at is not None:
            raise Conflict(_("This agreement was already revoked."), code="already_revoked")
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["revoked_at"])
    return locked


def agreement_in_force(agreement: SharingAgreement, today: date) -> bool:
    return agreement.revoked_at is None and agreement.valid_from <= today <= agreement.valid_until


def _require_in_force(agreement: SharingAgreement, today: date) -> None:
    if agreement.revoked_at is not None:
        raise Conflict(
            _("This agreement was revoked; no data can be extracted under it."), code="agreement_revoked"
        )
    if today < agreement.valid_from:
        raise Conflict(
            _("This agreement starts on %(date)s; no data can be extracted under it before then.")
            % {"date": agreement.valid_from.isoformat()},
            code="agreement_not_started",
        )
    if today > agreement.valid_until:
        raise Conflict(
            _("This agreement ended on %(date)s; no data can be extracted under it any more.")
            % {"date": agreement.valid_until.isoformat()},
            code="agreement_expired",
        )


def _require_extractor(actor: Any, agreement: SharingAgreement, *, through_api: bool) -> None:
    if actor is not None and not may_extract(actor, agreement, through_api=through_api):
        raise NotFound(_("Not found."))


# The people an agreement covers -------------------------------------------------------------


def _covered(agreement: SharingAgreement) -> QuerySet[Returnee]:
    """Everyone the agreement would cover if all had consented: the provider's current records in
    its governorates (all governorates when the agreement names none)."""
    people = Returnee.objects.filter(institution_id=agreement.provider_id, merged_into__isnull=True)
    governorates = [g.pk for g in agreement.governorates.all()]
    if governorates:
        people = people.filter(governorate_id__in=governorates)
    return people


def consent_allows(recipient: Institution) -> Q:
    """People whose consents in force allow sharing with the recipient, as one queryset condition.

    As in the registry (``queries.shared_with``): a named-institution or kind-of-institution sharing
    consent, granted and not withdrawn, written as ``id IN (subquery)``. A person who withdrew their
    consent to be registered at all is not shared either, whatever their sharing consent says.
    """
    active = Consent.objects.filter(granted=True, withdrawn_at__isnull=True)
    named = active.filter(purpose=ConsentPurpose.SHARING_INSTITUTION, shared_with_id=recipient.pk)
    by_type = active.filter(purpose=ConsentPurpose.SHARING_INSTITUTION_TYPE, shared_with_type=recipient.type)
    registered = active.filter(purpose=ConsentPurpose.REGISTRATION)
    return (Q(pk__in=named.values("returnee_id")) | Q(pk__in=by_type.values("returnee_id"))) & Q(
        pk__in=registered.values("returnee_id")
    )


def shared_people(agreement: SharingAgreement) -> QuerySet[Returnee]:
    """The people an extract under this agreement holds."""
    return _covered(agreement).filter(consent_allows(agreement.recipient))


@dataclass(frozen=True)
class Counts:
    shared: int
    withheld_without_consent: int


def count_people(agreement: SharingAgreement) -> Counts:
    """How many people an extract holds and how many it leaves out for lack of consent (one query)."""
    totals = _covered(agreement).aggregate(
        covered=Count("pk"), shared=Count("pk", filter=consent_allows(agreement.recipient))
    )
    return Counts(shared=totals["shared"], withheld_without_consent=totals["covered"] - totals["shared"])


def extract_values(agreement: SharingAgreement, *, order_by: str = "case_number") -> QuerySet[Any]:
    """The shared people as dictionaries holding only what the agreement's fields need (and the uuid,
    which pagination uses and which never reaches a row)."""
    fields = fields_of(agreement)
    columns = sorted({column for f in fields for column in f.columns})
    people = shared_people(agreement)
    if "first_phone" in columns:
        first = (
            Phone.objects.filter(returnee=OuterRef("pk")).order_by("created_at", "pk").values("number")[:1]
        )
        people = people.annotate(first_phone=Subquery(first))
    return people.order_by(order_by).values("uuid", *columns)


def row_of(fields: Sequence[ExportField], values: Mapping[str, Any]) -> dict[str, str]:
    return {f.key: f.value(values) for f in fields}


def header_rows(agreement: SharingAgreement) -> tuple[list[str], list[str]]:
    """The translated headers (in the active language) and the HXL hashtags."""
    fields = fields_of(agreement)
    return [str(f.label) for f in fields], [f.hxl for f in fields]


def extract_rows(
    *,
    agreement: SharingAgreement,
    actor_or_none: Any,
    today: date,
    through_api: bool = False,
) -> Iterator[dict[str, str]]:
    """The extract, one person at a time, read from the database in chunks (memory stays flat).

    Refuses at once (not at the first row) when the agreement is not in force or the actor may not
    extract under it; ``actor_or_none`` is None for work the platform does itself.
    """
    _require_extractor(actor_or_none, agreement, through_api=through_api)
    _require_in_force(agreement, today)
    fields = fields_of(agreement)
    queryset = extract_values(agreement)

    def rows() -> Iterator[dict[str, str]]:
        for values in queryset.iterator(chunk_size=CHUNK_SIZE):
            yield row_of(fields, values)

    return rows()


def export_record(
    *,
    actor: User,
    agreement: SharingAgreement,
    file_format: str,
    today: date,
    through_api: bool = False,
    rows: int | None = None,
    count_withheld: bool = True,
) -> Export:
    """Write down an extract before any of it leaves: the Export row and its audit row, together.

    ``rows`` is the number of people sent (a page of the API); by default the whole extract is
    counted. The audit row names the export and the fields sent, never a person.
    """
    _require_extractor(actor, agreement, through_api=through_api)
    _require_in_force(agreement, today)
    if file_format not in FileFormat.values:
        raise AwdaError(_("This file format is not available."), code="invalid")
    withheld = 0
    if rows is None or count_withheld:
        counts = count_people(agreement)
        withheld = counts.withheld_without_consent if count_withheld else 0
        rows = counts.shared if rows is None else rows
    with transaction.atomic():
        export = Export.objects.create(
            agreement=agreement,
            file_format=file_format,
            rows=rows,
            withheld_without_consent=withheld,
            made_by=actor,
            through_api=through_api,
        )
        audit.record(actor=actor, action=AuditAction.EXPORT, obj=export, fields=agreement.fields)
    return export
