"""Every write of the catalogue: organisations, proposals of services and their review, load, imports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q as models_q
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.models import Institution, User
from awda.accounts.roles import Capability, has_capability
from awda.catalogue import enums, rules
from awda.catalogue.models import (
    Organisation,
    Service,
    ServiceCategory,
    ServiceChange,
    ServiceVersion,
)
from awda.catalogue.queries import forget, known_codes
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, PermissionDenied
from awda.core.models import AuditAction, active_language
from awda.geo.models import District, Governorate
from awda.registry.names import normalize_name


def field_errors(errors: Mapping[str, Sequence[rules.Texts]]) -> dict[str, list[Any]]:
    """Rule errors (three languages each) as the user's language, for AwdaError and forms."""
    lang = active_language()
    return {name: [texts[lang] for texts in messages] for name, messages in errors.items()}


def _invalid(errors: Mapping[str, Sequence[rules.Texts]]) -> AwdaError:
    return AwdaError(_("Please correct the fields below."), code="invalid", fields=field_errors(errors))


# --------------------------------------------------------------------------------------------------
# Organisations
# --------------------------------------------------------------------------------------------------


def organisation_sync_institution(*, institution: Institution) -> Organisation:
    """Keep the organisation of an institution in step with its names and state (no audit: derived data)."""
    organisation = Organisation.objects.filter(institution=institution).first()
    if organisation is None:
        organisation = Organisation.objects.filter(code=institution.code, institution__isnull=True).first()
    names = {"name_ar": institution.name_ar, "name_ckb": institution.name_ckb, "name_en": institution.name_en}
    if organisation is None:
        code = institution.code
        if Organisation.objects.filter(code=code).exists():
            code = f"{code}-{institution.pk}"
        return Organisation.objects.create(
            institution=institution,
            code=code,
            type=enums.FROM_INSTITUTION_TYPE.get(institution.type, enums.OrganisationType.GOVERNMENT_AGENCY),
            is_active=institution.is_active,
            **names,
        )
    changed = organisation.institution_id != institution.pk or organisation.is_active != institution.is_active
    changed |= any(getattr(organisation, key) != value for key, value in names.items())
    if changed:
        organisation.institution = institution
        organisation.is_active = institution.is_active
        for key, value in names.items():
            setattr(organisation, key, value)
        organisation.save()
        refresh_search_text(organisation.services.all())
    return organisation


def may_edit_organisation(actor: User, organisation: Organisation) -> bool:
    """Administrators of the catalogue edit any organisation; a provider edits their own (not its names)."""
    return _may_propose_for(actor, organisation)


_ORGANISATION_FIELDS = (
    "type",
    "acronym",
    "mandate_ar",
    "mandate_ckb",
    "mandate_en",
    "languages",
    "phone",
    "email",
    "website",
    "referral_response_days",
)
_OWN_NAME_FIELDS = ("name_ar", "name_ckb", "name_en", "is_active")


def _organisation_errors(data: Mapping[str, Any], names_required: bool) -> dict[str, list[Any]]:
    errors: dict[str, list[Any]] = {}
    if "type" in data and data["type"] not in enums.OrganisationType.values:
        errors["type"] = [_("Unknown kind of organisation.")]
    if names_required:
        for key in ("name_ar", "name_ckb", "name_en"):
            if not str(data.get(key, "")).strip():
                errors[key] = [_("This field is required.")]
    days = data.get("referral_response_days")
    if days is not None and (not isinstance(days, int) or not 1 <= days <= 60):
        errors["referral_response_days"] = [_("Enter a number of working days between 1 and 60.")]
    unknown = [code for code in data.get("languages", []) if code not in enums.ServiceLanguage.values]
    if unknown:
        errors["languages"] = [_("Unknown language: %(code)s.") % {"code": unknown[0]}]
    return errors


def organisation_create(*, actor: User, data: Mapping[str, Any]) -> Organisation:
    """An actor without users in Awda (a donor, a chamber of commerce, a training centre)."""
    if not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only administrators of the catalogue add organisations."))
    errors = _organisation_errors(data, names_required=True)
    code = str(data.get("code", "")).strip()
    if Organisation.objects.filter(code=code).exists():
        errors["code"] = [_("Another organisation already has this code.")]
    if errors:
        raise AwdaError(_("Please correct the fields below."), code="invalid", fields=errors)
    values = {
        key: data[key]
        for key in (*_ORGANISATION_FIELDS, *_OWN_NAME_FIELDS)
        if key in data and data[key] is not None
    }
    with transaction.atomic():
        organisation = Organisation.objects.create(code=code, **values)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=organisation)
    return organisation


def organisation_update(*, actor: User, organisation: Organisation, data: Mapping[str, Any]) -> Organisation:
    """Edit an organisation's description; an institution's names and state stay on the institution."""
    if not may_edit_organisation(actor, organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    editable = list(_ORGANISATION_FIELDS)
    if organisation.institution_id is None:
        editable += list(_OWN_NAME_FIELDS)
    errors = _organisation_errors(data, names_required=organisation.institution_id is None)
    if errors:
        raise AwdaError(_("Please correct the fields below."), code="invalid", fields=errors)
    changed = [
        key
        for key in editable
        if key in data and data[key] is not None and getattr(organisation, key) != data[key]
    ]
    with transaction.atomic():
        for key in changed:
            setattr(organisation, key, data[key])
        organisation.save()
        if {"name_ar", "name_ckb", "name_en", "acronym"} & set(changed):
            refresh_search_text(organisation.services.all())
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=organisation, fields=changed)
    return organisation


def organisation_contacts_save(
    *,
    actor: User,
    organisation: Organisation,
    offices: Sequence[Mapping[str, Any]],
    focal_points: Sequence[Mapping[str, Any]],
) -> None:
    """Replace the offices and focal points of an organisation with the ones given (one transaction)."""
    from awda.catalogue.models import FocalPoint, OrganisationOffice

    if not may_edit_organisation(actor, organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    with transaction.atomic():
        organisation.offices.all().delete()
        for office in offices:
            OrganisationOffice.objects.create(
                organisation=organisation,
                name_ar=office["name_ar"],
                name_ckb=office["name_ckb"],
                name_en=office["name_en"],
                governorate=office["governorate"],
                district=office.get("district"),
                address_ar=office.get("address_ar", ""),
                address_ckb=office.get("address_ckb", ""),
                address_en=office.get("address_en", ""),
                phone=office.get("phone", ""),
            )
        # A focal point who has an account keeps it when the list is saved again under the same name.
        accounts = {person.name: person.user_id for person in organisation.focal_points.all()}
        organisation.focal_points.all().delete()
        for person in focal_points:
            FocalPoint.objects.create(
                organisation=organisation,
                name=person["name"],
                title_ar=person.get("title_ar", ""),
                title_ckb=person.get("title_ckb", ""),
                title_en=person.get("title_en", ""),
                phone=person.get("phone", ""),
                email=person.get("email", ""),
                user_id=accounts.get(person["name"]),
            )
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=organisation, fields=["offices", "focal_points"]
        )


def programme_save(
    *, actor: User, organisation: Organisation, data: Mapping[str, Any], programme: Any = None
) -> Any:
    """Create or change a programme of the organisation (funder, period, governorates, target groups)."""
    from awda.catalogue.models import Programme

    if not may_edit_organisation(actor, organisation):
        raise PermissionDenied(_("You may not change this organisation."))
    code = str(data["code"]).strip()
    taken = Programme.objects.filter(code=code)
    if programme is not None:
        taken = taken.exclude(pk=programme.pk)
    if taken.exists():
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"code": [_("Another programme already has this code.")]},
        )
    values = {
        key: data.get(key)
        for key in (
            "name_ar",
            "name_ckb",
            "name_en",
            "description_ar",
            "description_ckb",
            "description_en",
            "funder",
            "starts_on",
            "ends_on",
        )
    }
    values = {
        key: ("" if value is None and key.startswith("description") else value)
        for key, value in values.items()
    }
    with transaction.atomic():
        if programme is None:
            programme = Programme.objects.create(
                code=code,
                organisation=organisation,
                target_groups=list(data.get("target_groups", [])),
                **values,
            )
            action = AuditAction.CREATE
        else:
            for key, value in values.items():
                setattr(programme, key, value)
            programme.code = code
            programme.target_groups = list(data.get("target_groups", []))
            programme.save()
            action = AuditAction.UPDATE
        programme.governorates.set(data.get("governorates") or [])
        audit.record(actor=actor, action=action, obj=programme)
    return programme


# --------------------------------------------------------------------------------------------------
# Services: documents, proposals, review
# --------------------------------------------------------------------------------------------------


def service_document(service: Service) -> dict[str, Any]:
    """The flat description of a published service, as ``rules.validate_document`` returns it."""
    criteria = rules.Criteria.from_dict(service.criteria or {}).to_dict()
    hours = service.hours or {}
    doc: dict[str, Any] = {
        "code": service.code,
        "organisation": service.organisation.code,
        "programme": service.programme.code if service.programme else "",
        "category": service.category.code,
        "cost": service.cost,
        "languages": list(service.languages or []),
        "nationwide": service.nationwide,
        "remote": service.remote,
        "governorates": sorted(g.pcode for g in service.governorates.all()),
        "districts": sorted(d.pcode for d in service.districts.all()),
        "settlements": list(service.settlements or []),
        **criteria,
        "capacity_per_month": service.capacity_per_month,
        "current_load": service.current_load,
        "phone": service.phone,
        "email": service.email,
        "hours_days": list(hours.get("days", [])),
        "hours_opens": hours.get("opens", ""),
        "hours_closes": hours.get("closes", ""),
        "starts_on": service.starts_on.isoformat() if service.starts_on else None,
        "ends_on": service.ends_on.isoformat() if service.ends_on else None,
    }
    for name in rules.TEXT_FIELDS:
        for lang in rules.LANGUAGES:
            doc[f"{name}_{lang}"] = getattr(service, f"{name}_{lang}")
    return {name: doc.get(name) for name in rules.FIELDS}


def _check(document: Mapping[str, Any], *, known: rules.Known | None = None) -> dict[str, Any]:
    checked = rules.validate_document(document, known or known_codes())
    if not checked.ok:
        raise _invalid(checked.errors)
    return checked.document


def _may_propose_for(actor: User, organisation: Organisation) -> bool:
    if has_capability(actor, Capability.MANAGE_CATALOGUE):
        return True
    return (
        has_capability(actor, Capability.PROPOSE_SERVICES)
        and organisation.institution_id is not None
        and organisation.institution_id == actor.institution_id
    )


def search_text_of(doc: Mapping[str, Any]) -> str:
    """Names, descriptions, provider, category and places in every language, normalised for search."""
    parts: list[str] = [doc["code"]]
    parts += [doc.get(f"{name}_{lang}") or "" for name in rules.TEXT_FIELDS for lang in rules.LANGUAGES]
    organisation = Organisation.objects.filter(code=doc["organisation"]).first()
    if organisation is not None:
        parts += [organisation.name_ar, organisation.name_ckb, organisation.name_en, organisation.acronym]
    for category in ServiceCategory.objects.filter(code=doc["category"]).select_related("parent"):
        for item in (category, category.parent):
            if item is not None:
                parts += [item.name_ar, item.name_ckb, item.name_en]
    for model, codes in ((Governorate, doc["governorates"]), (District, doc["districts"])):
        for place in model.objects.filter(pcode__in=codes):
            parts += [place.name_ar, place.name_ckb, place.name_en]
    return " ".join(dict.fromkeys(normalize_name(part) for part in parts if part))


def refresh_search_text(services: Iterable[Service]) -> None:
    """Search words follow a renamed provider or category (a few hundred services at most)."""
    for service in services:
        text = search_text_of(service_document(service))
        if text != service.search_text:
            Service.objects.filter(pk=service.pk).update(search_text=text)


def _apply(service: Service | None, doc: Mapping[str, Any], *, apply_load: bool = False) -> Service:
    """Write a checked document onto a service (new when ``service`` is None); the caller audits.

    The places taken this month are operational (``service_set_load``): a proposal or an edit keeps the
    service's own count; only an import, which states the whole situation at once, sets it.
    """
    organisation = Organisation.objects.get(code=doc["organisation"])
    values: dict[str, Any] = {
        "code": doc["code"],
        "organisation": organisation,
        "programme": organisation.programmes.filter(code=doc["programme"]).first()
        if doc["programme"]
        else None,
        "category": ServiceCategory.objects.get(code=doc["category"]),
        "cost": doc["cost"],
        "languages": doc["languages"],
        "language_tags": "|" + "|".join(doc["languages"]) + "|" if doc["languages"] else "",
        "nationwide": doc["nationwide"],
        "remote": doc["remote"],
        "settlements": doc["settlements"],
        "criteria": rules.criteria_of(doc),
        "capacity_per_month": doc["capacity_per_month"],
        "phone": doc["phone"],
        "email": doc["email"],
        "hours": {"days": doc["hours_days"], "opens": doc["hours_opens"], "closes": doc["hours_closes"]}
        if doc["hours_days"]
        else None,
        "starts_on": date.fromisoformat(doc["starts_on"]) if doc["starts_on"] else None,
        "ends_on": date.fromisoformat(doc["ends_on"]) if doc["ends_on"] else None,
        "search_text": search_text_of(doc),
    }
    for name in rules.TEXT_FIELDS:
        for lang in rules.LANGUAGES:
            values[f"{name}_{lang}"] = doc[f"{name}_{lang}"]
    if service is None:
        service = Service(**values, current_load=doc["current_load"] or 0, load_month=_this_month())
        service.save()
    else:
        for key, value in values.items():
            setattr(service, key, value)
        if apply_load:
            service.current_load = doc["current_load"] or 0
            service.load_month = _this_month()
        service.version += 1
        service.save()
    service.governorates.set(Governorate.objects.filter(pcode__in=doc["governorates"]))
    service.districts.set(District.objects.filter(pcode__in=doc["districts"]))
    return service


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _as_applied(doc: Mapping[str, Any], service: Service) -> dict[str, Any]:
    """The document as the service now stands (the load is the service's own), for its history."""
    return {**doc, "current_load": service.current_load}


def _version(
    service: Service, doc: Mapping[str, Any], actor: User | None, change: ServiceChange | None, note: str
) -> None:
    ServiceVersion.objects.create(
        service=service,
        number=service.version,
        document=dict(doc),
        change=change,
        approved_by=actor,
        note=note,
    )


def _code_taken(code: str, service: Service | None) -> bool:
    others = Service.objects.filter(code=code)
    if service is not None:
        others = others.exclude(pk=service.pk)
    pending_new = ServiceChange.objects.filter(
        service__isnull=True, status=enums.ChangeStatus.PENDING, document__code=code
    )
    return others.exists() or (service is None and pending_new.exists())


def service_propose(
    *, actor: User, document: Mapping[str, Any], service: Service | None = None
) -> ServiceChange:
    """A provider proposes a new service or a change of one of theirs; it stays unpublished until reviewed."""
    doc = _check(document)
    organisation = Organisation.objects.get(code=doc["organisation"])
    if not _may_propose_for(actor, organisation):
        raise PermissionDenied(_("You may propose services only for your own organisation."))
    if (
        service is not None
        and service.organisation_id != organisation.pk
        and not has_capability(actor, Capability.MANAGE_CATALOGUE)
    ):
        raise PermissionDenied(_("A service cannot be moved to another organisation."))
    if _code_taken(doc["code"], service):
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"code": [_("Another service already has this code.")]},
        )
    with transaction.atomic():
        if service is not None:
            service = Service.objects.select_for_update().get(pk=service.pk)
            if ServiceChange.objects.filter(service=service, status=enums.ChangeStatus.PENDING).exists():
                raise Conflict(
                    _(
                        "A change of this service is already waiting for review; withdraw it or wait for the review."
                    )
                )
        doc["current_load"] = service.current_load if service is not None else 0
        change = ServiceChange.objects.create(
            service=service,
            organisation=organisation,
            document=doc,
            base_version=service.version if service is not None else None,
            proposed_by=actor,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=change)
    return change


def _pending_locked(change: ServiceChange) -> ServiceChange:
    """The proposal, locked until the end of the transaction, if nobody has decided on it yet."""
    change = ServiceChange.objects.select_for_update().get(pk=change.pk)
    if change.status != enums.ChangeStatus.PENDING:
        raise Conflict(_("This proposal has already been reviewed or withdrawn."))
    return change


def service_change_approve(*, actor: User, change: ServiceChange, note: str = "") -> Service:
    """An administrator publishes a proposal: the service takes it, and its history gains a version."""
    if not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only administrators of the catalogue review services."))
    with transaction.atomic():
        change = _pending_locked(change)
        service = Service.objects.select_for_update().get(pk=change.service_id) if change.service_id else None
        if service is not None and service.version != change.base_version:
            raise Conflict(
                _("The service has changed since this proposal was made; return it to the provider.")
            )
        doc = _check(change.document)
        # The proposal's own code is still among the pending ones, so only published services count here.
        others = Service.objects.filter(code=doc["code"])
        if service is not None:
            others = others.exclude(pk=service.pk)
        if others.exists():
            if service is not None:
                raise AwdaError(_("Another service already has this code."), code="invalid")
            raise Conflict(_("Another service already has this code."))
        service = _apply(service, doc)
        doc = _as_applied(doc, service)
        change.status = enums.ChangeStatus.APPROVED
        change.service = service
        change.reviewed_by = actor
        change.reviewed_at = timezone.now()
        change.review_note = note.strip()
        change.save()
        _version(service, doc, actor, change, note.strip())
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=change, fields=["status"])
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if service.version == 1 else AuditAction.UPDATE,
            obj=service,
            fields=sorted(doc),
        )
    return service


def service_change_reject(*, actor: User, change: ServiceChange, note: str) -> ServiceChange:
    """Return a proposal to the provider with the reason; nothing is published."""
    if not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only administrators of the catalogue review services."))
    if not note.strip():
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"note": [_("Say what the provider should change.")]},
        )
    with transaction.atomic():
        change = _pending_locked(change)
        change.status = enums.ChangeStatus.REJECTED
        change.reviewed_by = actor
        change.reviewed_at = timezone.now()
        change.review_note = note.strip()
        change.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=change, fields=["status", "review_note"])
    return change


def service_change_withdraw(*, actor: User, change: ServiceChange) -> ServiceChange:
    if not _may_propose_for(actor, change.organisation):
        raise PermissionDenied(_("You may withdraw only your own organisation's proposals."))
    with transaction.atomic():
        change = _pending_locked(change)
        change.status = enums.ChangeStatus.WITHDRAWN
        change.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=change, fields=["status"])
    return change


def service_publish(
    *, actor: User, document: Mapping[str, Any], service: Service | None = None, note: str = ""
) -> Service:
    """An administrator's own edit, published at once (they are the reviewers) and kept in the history."""
    if not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only administrators of the catalogue publish services directly."))
    doc = _check(document)
    if _code_taken(doc["code"], service):
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"code": [_("Another service already has this code.")]},
        )
    with transaction.atomic():
        if service is not None:
            service = Service.objects.select_for_update().get(pk=service.pk)
        service = _apply(service, doc)
        doc = _as_applied(doc, service)
        _version(service, doc, actor, None, note[:255])
        audit.record(
            actor=actor,
            action=AuditAction.CREATE if service.version == 1 else AuditAction.UPDATE,
            obj=service,
            fields=sorted(doc),
        )
    return service


def service_set_load(*, actor: User, service: Service, load: int) -> Service:
    """The places taken this month: operational, so it changes at once, without review."""
    if not _may_propose_for(actor, service.organisation):
        raise PermissionDenied(_("You may update only your own organisation's services."))
    if load < 0 or (service.capacity_per_month is not None and load > service.capacity_per_month):
        raise AwdaError(
            _("Please correct the fields below."),
            code="invalid",
            fields={"current_load": [_("Enter a number between 0 and the places per month.")]},
        )
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        service.current_load = load
        service.load_month = _this_month()
        service.save(update_fields=["current_load", "load_month", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=service, fields=["current_load"])
    return service


def service_set_active(*, actor: User, service: Service, active: bool) -> Service:
    """Withdrawing is immediate for the provider (no referral must go to a stopped service); reactivating
    is for an administrator, who checks the service still says what it offers."""
    allowed = has_capability(actor, Capability.MANAGE_CATALOGUE) or (
        not active and _may_propose_for(actor, service.organisation)
    )
    if not allowed:
        raise PermissionDenied(_("You may not change whether this service is offered."))
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=service.pk)
        service.is_active = active
        service.save(update_fields=["is_active", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=service, fields=["is_active"])
    return service


# --------------------------------------------------------------------------------------------------
# Imports of the catalogue
# --------------------------------------------------------------------------------------------------


def services_import(
    *, actor: User, rows: Iterable[tuple[int, Mapping[str, Any]]], note: str
) -> dict[str, int]:
    """All or nothing: every row checked first; problems listed by row and field; then all are published.

    A row whose code names an existing service updates it (a new version when anything changed); other
    rows create services. Returns the counts of created, updated and unchanged services.
    """
    if not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only administrators of the catalogue import services."))
    known = known_codes()
    checked: list[tuple[int, dict[str, Any]]] = []
    problems: dict[str, list[Any]] = {}
    seen: dict[str, int] = {}
    lang = active_language()
    for row_number, row in rows:
        result = rules.validate_document(row, known)
        for name, messages in result.errors.items():
            for message in messages:
                problems.setdefault(str(row_number), []).append(f"{name}: {message[lang]}")
        code = result.document["code"]
        if code and code in seen:
            problems.setdefault(str(row_number), []).append(
                _("code: the same code is on row %(row)s.") % {"row": seen[code]}
            )
        seen.setdefault(code, row_number)
        checked.append((row_number, result.document))
    if not checked:
        raise AwdaError(_("The file has no services."), code="empty")
    if problems:
        raise AwdaError(
            _("Nothing was imported: %(rows)s rows have problems.") % {"rows": len(problems)},
            code="invalid",
            fields=problems,
        )
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    existing = {s.code: s for s in Service.objects.filter(code__in=[doc["code"] for _, doc in checked])}
    with transaction.atomic():
        for _row, doc in checked:
            service = existing.get(doc["code"])
            if service is not None:
                before = service_document(service)
                if before == doc:
                    counts["unchanged"] += 1
                    continue
            service = _apply(service, doc, apply_load=True)
            _version(service, doc, actor, None, note[:255])
            counts["created" if service.version == 1 else "updated"] += 1
            audit.record(
                actor=actor,
                action=AuditAction.CREATE if service.version == 1 else AuditAction.UPDATE,
                obj=service,
                fields=sorted(doc),
            )
    return counts


# --------------------------------------------------------------------------------------------------
# A whole catalogue as one JSON bundle (organisations, programmes, services): demo data and migrations
# --------------------------------------------------------------------------------------------------


def _texts(value: Any, prefix: str) -> dict[str, str]:
    value = value if isinstance(value, Mapping) else {}
    return {f"{prefix}_{lang}": str(value.get(lang) or "").strip() for lang in rules.LANGUAGES}


def flat_service(item: Mapping[str, Any]) -> dict[str, Any]:
    """A service of a bundle (texts and criteria nested) as the flat document ``rules`` checks."""
    criteria = item.get("criteria") or {}
    hours = item.get("hours") or {}
    doc: dict[str, Any] = {
        key: item.get(key) for key in rules.FIELDS if key in item and not isinstance(item.get(key), Mapping)
    }
    doc.update(
        {key: criteria.get(key) for key in (*rules.INT_CRITERIA, *rules.LIST_CRITERIA) if key in criteria}
    )
    doc.update(
        hours_days=hours.get("days", []),
        hours_opens=hours.get("opens", ""),
        hours_closes=hours.get("closes", ""),
    )
    for name in rules.TEXT_FIELDS:
        doc.update(_texts(item.get(name), name))
    doc["programme"] = item.get("programme") or ""
    return doc


def catalogue_bundle_load(*, actor: User, bundle: Mapping[str, Any], note: str) -> dict[str, int]:
    """Load organisations (with offices and focal points), programmes and services; all or nothing."""
    if not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only administrators of the catalogue load catalogues."))
    try:
        return _bundle_load(actor, bundle, note)
    except (KeyError, TypeError, ValueError, AttributeError, IntegrityError, DjangoValidationError) as error:
        # A bundle is written by people: a missing key or a wrong value is said, and nothing is kept.
        raise AwdaError(
            _("The catalogue file is not valid (%(problem)s); nothing was loaded.")
            % {"problem": f"{type(error).__name__}: {error}"},
            code="invalid",
        ) from error


def _bundle_load(actor: User, bundle: Mapping[str, Any], note: str) -> dict[str, int]:
    from awda.catalogue.models import FocalPoint, OrganisationOffice, Programme

    places = set(Governorate.objects.values_list("pcode", flat=True)) | set(
        District.objects.values_list("pcode", flat=True)
    )

    def place(code: Any) -> Any:
        if code and code not in places:
            raise ValueError(f"unknown place {code}")
        return code or None

    counts = {"organisations": 0, "programmes": 0}
    with transaction.atomic():
        for item in bundle.get("organisations", []):
            institution = (
                Institution.objects.filter(code=item["institution"]).first()
                if item.get("institution")
                else None
            )
            organisation = (
                Organisation.objects.filter(institution=institution).first()
                if institution is not None
                else None
            ) or Organisation.objects.filter(code=item["code"]).first()
            values = {
                "type": item["type"],
                "acronym": item.get("acronym", ""),
                **_texts(item.get("mandate"), "mandate"),
                "languages": list(item.get("languages", [])),
                "phone": item.get("phone", ""),
                "email": item.get("email", ""),
                "website": item.get("website", ""),
            }
            if institution is None:
                values.update(_texts(item.get("name"), "name"))
            if item["type"] not in enums.OrganisationType.values:
                raise AwdaError(
                    _("Unknown kind of organisation: %(type)s.") % {"type": item["type"]}, code="invalid"
                )
            if organisation is None:
                organisation = Organisation.objects.create(
                    code=item["code"], institution=institution, **values
                )
            else:
                for key, value in values.items():
                    setattr(organisation, key, value)
                organisation.save()
            organisation.offices.all().delete()
            for office in item.get("offices", []):
                OrganisationOffice.objects.create(
                    organisation=organisation,
                    governorate_id=place(office["governorate"]),
                    district_id=place(office.get("district")),
                    phone=office.get("phone", ""),
                    **_texts(office.get("name"), "name"),
                    **_texts(office.get("address"), "address"),
                )
            organisation.focal_points.all().delete()
            for person in item.get("focal_points", []):
                FocalPoint.objects.create(
                    organisation=organisation,
                    name=person["name"],
                    phone=person.get("phone", ""),
                    email=person.get("email", ""),
                    **_texts(person.get("title"), "title"),
                )
            counts["organisations"] += 1
        by_code = {o.code: o for o in Organisation.objects.all()}
        for item in bundle.get("programmes", []):
            programme, _created = Programme.objects.update_or_create(
                code=item["code"],
                defaults={
                    "organisation": by_code[item["organisation"]],
                    "funder": by_code.get(item.get("funder") or ""),
                    "starts_on": item.get("starts_on"),
                    "ends_on": item.get("ends_on"),
                    "target_groups": list(item.get("target_groups", [])),
                    **_texts(item.get("name"), "name"),
                    **_texts(item.get("description"), "description"),
                },
            )
            programme.governorates.set([place(code) for code in item.get("governorates", [])])
            audit.record(actor=actor, action=AuditAction.UPDATE, obj=programme)
            counts["programmes"] += 1
        rows = [(index, flat_service(item)) for index, item in enumerate(bundle.get("services", []), start=1)]
        counts.update(services_import(actor=actor, rows=rows, note=note))
        audit.record(
            actor=actor, action=AuditAction.CREATE, object_type="catalogue.bundle", object_id=note[:64]
        )
    return counts


# --------------------------------------------------------------------------------------------------
# The taxonomy
# --------------------------------------------------------------------------------------------------


def service_category_save(
    *, actor: User, data: Mapping[str, Any], category: ServiceCategory | None = None
) -> ServiceCategory:
    """Add or change a category (no parent) or a subcategory (a category's child; two levels only)."""
    from awda.registry.enums import NeedCategory

    if not has_capability(actor, Capability.MANAGE_CATALOGUE):
        raise PermissionDenied(_("Only administrators of the catalogue keep the taxonomy."))
    errors: dict[str, list[Any]] = {}
    code = str(data.get("code", "")).strip()
    parent = data.get("parent")
    for key in ("name_ar", "name_ckb", "name_en"):
        if not str(data.get(key, "")).strip():
            errors[key] = [_("This field is required.")]
    taken = ServiceCategory.objects.filter(code=code)
    if category is not None:
        taken = taken.exclude(pk=category.pk)
    if taken.exists():
        errors["code"] = [_("Another category already has this code.")]
    if parent is not None and (
        parent.parent_id is not None or (category is not None and parent.pk == category.pk)
    ):
        errors["parent"] = [_("A subcategory belongs to a category, not to another subcategory.")]
    if category is not None and parent is not None and category.subcategories.exists():
        errors["parent"] = [_("This category has subcategories; it cannot become one.")]
    need = data.get("need_category") or ""
    if need and need not in NeedCategory.values:
        errors["need_category"] = [_("Unknown need.")]
    active = bool(data.get("is_active", True))
    if category is not None and category.is_active and not active:
        in_use = Service.objects.filter(is_active=True).filter(
            models_q(category=category) | models_q(category__parent=category)
        )
        if in_use.exists():
            errors["is_active"] = [
                _("%(count)s services use this category; move them first.") % {"count": in_use.count()}
            ]
    if errors:
        raise AwdaError(_("Please correct the fields below."), code="invalid", fields=errors)
    values = {
        "code": code,
        "parent": parent,
        "name_ar": str(data["name_ar"]).strip(),
        "name_ckb": str(data["name_ckb"]).strip(),
        "name_en": str(data["name_en"]).strip(),
        # A subcategory answers the need of its category: one need per branch of the taxonomy.
        "need_category": parent.need_category if parent is not None else need,
        "order": int(data.get("order") or 0),
        "is_active": active,
    }
    with transaction.atomic():
        if category is None:
            category = ServiceCategory.objects.create(**values)
            audit.record(actor=actor, action=AuditAction.CREATE, obj=category)
        else:
            changed = [key for key, value in values.items() if getattr(category, key) != value]
            for key, value in values.items():
                setattr(category, key, value)
            category.save()
            if {"name_ar", "name_ckb", "name_en"} & set(changed):
                refresh_search_text(
                    Service.objects.filter(models_q(category=category) | models_q(category__parent=category))
                )
            if category.parent_id is None:
                category.subcategories.exclude(need_category=category.need_category).update(
                    need_category=category.need_category
                )
            audit.record(actor=actor, action=AuditAction.UPDATE, obj=category, fields=changed)
    forget("categories")  # this process shows the change at once; others within a minute
    return category


def service_take_place(*, service: Service) -> bool:
    """One place of this month taken by an accepted referral (awda.referrals checks who may accept).

    Returns False when the service was already full. The row changes without touching ``updated_at``,
    so the eligibility index is not rebuilt for every acceptance; rankings read places afresh.
    """
    month = _this_month()
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        load = locked.current_load if locked.load_month == month else 0
        if locked.capacity_per_month is not None and load >= locked.capacity_per_month:
            return False
        Service.objects.filter(pk=locked.pk).update(current_load=load + 1, load_month=month)
    return True


def service_release_place(*, service: Service, taken_on: date) -> None:
    """Give back a place taken this month by a referral that was revoked before the service began.

    A place taken in an earlier month is not given back: that month's count is history.
    """
    month = _this_month()
    if taken_on.replace(day=1) != month:
        return
    with transaction.atomic():
        locked = Service.objects.select_for_update().get(pk=service.pk)
        if locked.load_month == month and locked.current_load > 0:
            Service.objects.filter(pk=locked.pk).update(current_load=locked.current_load - 1)
