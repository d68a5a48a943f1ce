"""Every write of the registry: one function per use case, one transaction, audit rows and a timeline."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Office, User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, PermissionDenied
from awda.core.models import AuditAction
from awda.registry import names
from awda.registry.categorisation import apply_categories
from awda.registry.enums import (
    CaseEventKind,
    CaseStatus,
    ClosureReason,
    ConsentPurpose,
    DuplicateDecisionKind,
    NeedCategory,
    NeedPriority,
    NeedUrgency,
    SharedField,
)
from awda.registry.models import (
    CaseEvent,
    CaseNumberCounter,
    Consent,
    DuplicateDecision,
    ExtraAnswers,
    FormDefinition,
    FormQuestion,
    Household,
    HouseholdMember,
    IdentityDocument,
    NameToken,
    Need,
    Phone,
    Qualification,
    Returnee,
    Skill,
)

# Fields of the record itself that forms and the API may set (everything else is derived or managed).
RECORD_FIELDS = (
    "given_name", "father_name", "grandfather_name", "great_grandfather_name", "family_name",
    "given_name_latin", "father_name_latin", "grandfather_name_latin", "family_name_latin",
    "known_as", "mother_name", "sex", "date_of_birth", "birth_date_precision", "place_of_birth", "country_of_birth",
    "country_returned_from", "return_date", "return_type", "assistance_programme", "months_abroad", "status_abroad",
    "times_displaced", "migration_reasons", "aspirations", "intends_to_migrate_again",
    "governorate", "district", "sub_district", "settlement", "address", "housing", "land_property",
    "education_level", "employment_status", "work_experience", "income_sources", "has_debt", "debt_amount_usd",
    "sold_assets_to_migrate", "health_notes", "psychosocial_notes", "vulnerabilities",
)  # fmt: skip
SENSITIVE_FIELDS = frozenset({"health_notes", "psychosocial_notes"})
FOREIGN_KEYS = frozenset(
    {"governorate", "district", "sub_district", "country_of_birth", "country_returned_from"}
)


def _unknown_fields(record: Mapping[str, Any]) -> set[str]:
    """Fields that are not on the case form; foreign keys may be given as objects or as ``<name>_id``."""
    return {
        k for k in record if k not in RECORD_FIELDS and not (k.endswith("_id") and k[:-3] in FOREIGN_KEYS)
    }


ARABIC_NAME_FIELDS = (
    "given_name",
    "father_name",
    "grandfather_name",
    "great_grandfather_name",
    "family_name",
)
LATIN_NAME_FIELDS = ("given_name_latin", "father_name_latin", "grandfather_name_latin", "family_name_latin")


class EditConflict(Conflict):
    """Someone else saved the record since this edit began; ``changes`` says what they changed."""

    code = "edit_conflict"

    def __init__(self, changes: list[dict[str, Any]], current_version: int) -> None:
        super().__init__(
            _(
                "Someone else changed this case while you were editing it. Nothing you entered was lost: review their changes and save again."
            )
        )
        self.changes = changes
        self.current_version = current_version


def _field_error(name: str, message: Any) -> AwdaError:
    return AwdaError(message, code="invalid", fields={name: [message]})


def validate_record(returnee: Returnee) -> None:
    """Rules that span fields; every message names the field it belongs to."""
    errors: dict[str, list[Any]] = {}
    for name in ARABIC_NAME_FIELDS:
        value = getattr(returnee, name)
        if value and names.detect_script(value) != "arabic":
            errors.setdefault(name, []).append(
                _("Write this name in Arabic script (its Latin spelling has a field of its own).")
            )
    for name in LATIN_NAME_FIELDS:
        value = getattr(returnee, name)
        if value and names.detect_script(value) != "latin":
            errors.setdefault(name, []).append(_("Write this name in Latin letters only."))
    for name in ("known_as", "mother_name"):
        if getattr(returnee, name) and names.detect_script(getattr(returnee, name)) == "mixed":
            errors.setdefault(name, []).append(_("Do not mix Arabic and Latin letters in one name."))
    today = timezone.localdate()
    if returnee.date_of_birth and returnee.date_of_birth > today:
        errors.setdefault("date_of_birth", []).append(_("The date of birth is in the future."))
    if returnee.date_of_birth and returnee.date_of_birth.year < today.year - 120:
        errors.setdefault("date_of_birth", []).append(_("The date of birth is more than 120 years ago."))
    if returnee.return_date and returnee.return_date > today:
        errors.setdefault("return_date", []).append(_("The return date is in the future."))
    if returnee.return_date and returnee.date_of_birth and returnee.return_date < returnee.date_of_birth:
        errors.setdefault("return_date", []).append(_("The return date is before the date of birth."))
    if (
        returnee.district_id
        and returnee.governorate_id
        and not returnee.district_id.startswith(returnee.governorate_id)
    ):
        errors.setdefault("district", []).append(_("The district is not in the chosen governorate."))
    if (
        returnee.sub_district_id
        and returnee.district_id
        and not returnee.sub_district_id.startswith(returnee.district_id)
    ):
        errors.setdefault("sub_district", []).append(_("The sub-district is not in the chosen district."))
    if returnee.debt_amount_usd and not returnee.has_debt:
        errors.setdefault("debt_amount_usd", []).append(
            _("A debt amount is given but the person has no debts.")
        )
    if returnee.return_type == "internal_return" and returnee.country_returned_from_id not in (None, "IQ"):
        errors.setdefault("country_returned_from", []).append(_("An internal return is from within Iraq."))
    if errors:
        first = next(iter(errors.values()))[0]
        raise AwdaError(first, code="invalid", fields=errors)


def _apply_name_keys(returnee: Returnee) -> names.PersonNameKeys:
    keys = names.person_name_keys(
        given=returnee.given_name,
        father=returnee.father_name,
        grandfather=returnee.grandfather_name,
        great_grandfather=returnee.great_grandfather_name,
        family=returnee.family_name,
        known_as=returnee.known_as,
        latin=returnee.full_name_latin,
    )
    returnee.given_key = keys.given[:60]
    returnee.father_key = keys.father[:60]
    returnee.family_key = keys.family[:60]
    returnee.full_key = keys.full[:255]
    returnee.given_skeleton = keys.given_skeleton[:60]
    returnee.father_skeleton = keys.father_skeleton[:60]
    returnee.grandfather_skeleton = keys.grandfather_skeleton[:60]
    returnee.family_skeleton = keys.family_skeleton[:60]
    returnee.mother_key = names.normalize_name(returnee.mother_name)[:120]
    return keys


def index_tokens(keys: names.PersonNameKeys) -> set[str]:
    """What the token index keeps of a name: the script-independent skeletons, the only keys search
    looks up there (known-as names and Latin spellings); the normalised words would double the index."""
    return {key[:60] for key in (names.skeleton(token) for token in keys.search_tokens) if key}


def _sync_tokens(returnee: Returnee, keys: names.PersonNameKeys) -> None:
    wanted = index_tokens(keys)
    existing = set(NameToken.objects.filter(returnee=returnee).values_list("token", flat=True))
    NameToken.objects.filter(returnee=returnee, token__in=existing - wanted).delete()
    NameToken.objects.bulk_create([NameToken(returnee=returnee, token=t) for t in sorted(wanted - existing)])


def next_case_number(today: date | None = None) -> str:
    """The next case number of the year, unique across institutions: AWD-2026-0000123."""
    year = (today or timezone.localdate()).year
    with transaction.atomic():
        counter, _created = CaseNumberCounter.objects.select_for_update().get_or_create(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
    return f"AWD-{year}-{counter.last:07d}"


def _event(returnee: Returnee, actor: Any, kind: str, data: dict[str, Any] | None = None) -> CaseEvent:
    return CaseEvent.objects.create(
        returnee=returnee,
        at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        version=returnee.version,
        data=data or {},
    )


def case_event(returnee: Returnee, actor: Any, kind: str, data: dict[str, Any] | None = None) -> CaseEvent:
    """A line on the case's timeline, for other apps' writes (a merge, a referral…)."""
    return _event(returnee, actor, kind, data)


def _require(actor: User, capability: Capability) -> None:
    if not has_capability(actor, capability):
        raise PermissionDenied(_("You are not allowed to do this."))


def _set_phones(returnee: Returnee, phones: Iterable[str]) -> list[str]:
    numbers: list[str] = []
    for raw in phones:
        if not raw or not str(raw).strip():
            continue
        number = names.normalize_phone(str(raw))
        if number is None:
            raise _field_error(
                "phones",
                _("“%(phone)s” is not a phone number. Write it as 07XX XXX XXXX or with the country code.")
                % {"phone": raw},
            )
        if number not in numbers:
            numbers.append(number)
    Phone.objects.filter(returnee=returnee).exclude(number__in=numbers).delete()
    existing = set(Phone.objects.filter(returnee=returnee).values_list("number", flat=True))
    Phone.objects.bulk_create([Phone(returnee=returnee, number=n) for n in numbers if n not in existing])
    return numbers


def _set_documents(returnee: Returnee, documents: Iterable[Mapping[str, Any]]) -> None:
    IdentityDocument.objects.filter(returnee=returnee).delete()
    IdentityDocument.objects.bulk_create(
        [
            IdentityDocument(
                returnee=returnee,
                type=d["type"],
                number=d.get("number", ""),
                status=d["status"],
                number_key=names.normalize_document_number(d.get("number", "")),
                name_on_document=d.get("name_on_document", ""),
            )
            for d in documents
        ]
    )


def _set_rows(model: Any, returnee: Returnee, rows: Iterable[Mapping[str, Any]]) -> None:
    model.objects.filter(returnee=returnee).delete()
    model.objects.bulk_create([model(returnee=returnee, **row) for row in rows])


def _set_needs(returnee: Returnee, needs: Iterable[Mapping[str, Any]]) -> None:
    # A form that does not ask for urgency or a description keeps what an assessment recorded.
    kept = {
        (n.category, n.is_interest): {"urgency": n.urgency, "description": n.description}
        for n in Need.objects.filter(returnee=returnee)
    }
    seen: set[tuple[str, bool]] = set()
    rows = []
    for need in needs:
        key = (need["category"], bool(need.get("is_interest", False)))
        if key in seen:
            continue
        seen.add(key)
        rows.append({**kept.get(key, {}), **need})
    _set_rows(Need, returnee, rows)


def _record_consent(returnee: Returnee, actor: Any, data: Mapping[str, Any]) -> Consent:
    purpose = data["purpose"]
    shared_with = data.get("shared_with")
    shared_with_type = data.get("shared_with_type", "") or ""
    if purpose == ConsentPurpose.SHARING_INSTITUTION and shared_with is None:
        raise _field_error("shared_with", _("Name the institution the person agrees to share with."))
    if purpose == ConsentPurpose.SHARING_INSTITUTION_TYPE and not shared_with_type:
        raise _field_error(
            "shared_with_type", _("Say which kind of institution the person agrees to share with.")
        )
    target = {
        "shared_with": shared_with if purpose == ConsentPurpose.SHARING_INSTITUTION else None,
        "shared_with_type": shared_with_type if purpose == ConsentPurpose.SHARING_INSTITUTION_TYPE else "",
    }
    # A new decision for the same purpose and recipient replaces the earlier one.
    Consent.objects.filter(returnee=returnee, purpose=purpose, withdrawn_at__isnull=True, **target).update(
        withdrawn_at=timezone.now(), withdrawn_by=actor if getattr(actor, "pk", None) else None
    )
    whole_record = bool(data.get("whole_record", True))
    fields = sorted({str(f) for f in data.get("fields") or ()})
    sharing = purpose in (ConsentPurpose.SHARING_INSTITUTION, ConsentPurpose.SHARING_INSTITUTION_TYPE)
    if sharing and not whole_record:
        unknown = [f for f in fields if f not in SharedField.values]
        if unknown:
            raise _field_error(
                "fields", _("Unknown part of the record: %(part)s.") % {"part": ", ".join(unknown)}
            )
        if not fields:
            raise _field_error("fields", _("Choose the parts of the record the person agrees to share."))
    if not sharing:
        whole_record, fields = True, []
    consent = Consent.objects.create(
        uuid=uuid.uuid4(),
        returnee=returnee,
        purpose=purpose,
        granted=bool(data["granted"]),
        whole_record=whole_record,
        fields=[] if whole_record else fields,
        shared_with=shared_with if purpose == ConsentPurpose.SHARING_INSTITUTION else None,
        shared_with_type=shared_with_type if purpose == ConsentPurpose.SHARING_INSTITUTION_TYPE else "",
        method=data["method"],
        recorded_by=actor if getattr(actor, "pk", None) else None,
        recorded_at=timezone.now(),
        note=data.get("note", ""),
    )
    return consent


def returnee_register(
    *,
    actor: User,
    office: Office,
    record: Mapping[str, Any],
    phones: Sequence[str] = (),
    documents: Sequence[Mapping[str, Any]] = (),
    qualifications: Sequence[Mapping[str, Any]] = (),
    skills: Sequence[Mapping[str, Any]] = (),
    needs: Sequence[Mapping[str, Any]] = (),
    consents: Sequence[Mapping[str, Any]] = (),
    household_members: Sequence[Mapping[str, Any]] = (),
    is_head_of_household: bool = False,
    join_household: Household | None = None,
    relationship: str = "head",
    duplicate_decisions: Sequence[Mapping[str, Any]] = (),
    client_reference: uuid.UUID | None = None,
) -> Returnee:
    """Register a new returnee on the standard case form; all or nothing."""
    _require(actor, Capability.REGISTER_RECORDS)
    if actor.institution_id is None or office.institution_id != actor.institution_id:
        raise PermissionDenied(_("You can only register cases for your own institution."))
    if not any(c["purpose"] == ConsentPurpose.REGISTRATION and c.get("granted") for c in consents):
        raise AwdaError(
            _("The person must agree to be registered before a case can be opened."),
            code="consent_required",
            fields={"consents": [_("Record the person's consent to registration.")]},
        )
    if client_reference is not None:
        existing = Returnee.objects.filter(
            institution_id=actor.institution_id, client_reference=client_reference
        ).first()
        if existing is not None:
            return existing
    unknown = _unknown_fields(record)
    if unknown:
        raise AwdaError(
            _("Some fields are not part of the case form."),
            code="invalid",
            fields={name: [_("Unknown field.")] for name in sorted(unknown)},
        )
    returnee = Returnee(
        institution_id=actor.institution_id,
        office=office,
        owner=actor,
        client_reference=client_reference,
        **dict(record.items()),
    )
    validate_record(returnee)
    keys = _apply_name_keys(returnee)
    try:
        with transaction.atomic():
            returnee.case_number = next_case_number()
            returnee.save()
            _sync_tokens(returnee, keys)
            _set_phones(returnee, phones)
            _set_documents(returnee, documents)
            _set_rows(Qualification, returnee, qualifications)
            _set_rows(Skill, returnee, skills)
            _set_needs(returnee, needs)
            for consent in consents:
                _record_consent(returnee, actor, consent)
            household = join_household or Household.objects.create(institution_id=actor.institution_id)
            returnee.household = household
            returnee.save(update_fields=["household"])
            HouseholdMember.objects.create(
                household=household,
                returnee=returnee,
                name=returnee.full_name,
                sex=returnee.sex,
                date_of_birth=returnee.date_of_birth,
                relationship=relationship if join_household else "head",
                is_head=is_head_of_household,
            )
            for member in household_members:
                HouseholdMember.objects.create(household=household, **member)
            for decision in duplicate_decisions:
                DuplicateDecision.objects.create(
                    returnee=returnee,
                    candidate=decision["candidate"],
                    decision=DuplicateDecisionKind.NEW_PERSON,
                    score=decision.get("score", 0),
                    reasons=decision.get("reasons", []),
                    decided_by=actor,
                )
            _event(returnee, actor, CaseEventKind.REGISTERED, {"office": str(office.uuid)})
            if duplicate_decisions:
                _event(
                    returnee,
                    actor,
                    CaseEventKind.DUPLICATE_DECISION,
                    {
                        "decision": "new_person",
                        "candidates": [d["candidate"].case_number for d in duplicate_decisions],
                    },
                )
            audit.record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=returnee,
                fields=[k.removesuffix("_id") for k in record] + ["phones", "documents", "consents"],
            )
            apply_categories(returnee, actor=actor)
    except IntegrityError as error:
        if client_reference is not None:
            existing = Returnee.objects.filter(
                institution_id=actor.institution_id, client_reference=client_reference
            ).first()
            if existing is not None:
                return existing
        raise AwdaError(_("The case could not be saved. Try again."), code="conflict") from error
    return returnee


def _comparable(value: Any) -> Any:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, date):
        return value.isoformat()
    return value


def _displayable(name: str, value: Any) -> Any:
    if name in SENSITIVE_FIELDS:
        return None
    return _comparable(value)


def returnee_update(
    *,
    actor: User,
    returnee: Returnee,
    expected_version: int,
    changes: Mapping[str, Any],
    phones: Sequence[str] | None = None,
    documents: Sequence[Mapping[str, Any]] | None = None,
    qualifications: Sequence[Mapping[str, Any]] | None = None,
    skills: Sequence[Mapping[str, Any]] | None = None,
    needs: Sequence[Mapping[str, Any]] | None = None,
) -> Returnee:
    """Change a record. If someone saved it since ``expected_version``, refuse and say what they changed."""
    _require(actor, Capability.EDIT_RECORDS)
    unknown = set(changes) - set(RECORD_FIELDS)
    if unknown:
        raise AwdaError(
            _("Some fields are not part of the case form."),
            code="invalid",
            fields={name: [_("Unknown field.")] for name in sorted(unknown)},
        )
    if SENSITIVE_FIELDS & set(changes) and not has_capability(actor, Capability.VIEW_SENSITIVE):
        raise PermissionDenied(_("You are not allowed to change health or psychosocial notes."))
    with transaction.atomic():
        locked = Returnee.objects.select_for_update().get(pk=returnee.pk)
        if locked.version != expected_version:
            events = (
                CaseEvent.objects.filter(returnee=locked, version__gt=expected_version)
                .select_related("actor")
                .order_by("at")
            )
            raise EditConflict(
                [
                    {
                        "at": e.at,
                        "actor": e.actor.display_name if e.actor else "",
                        "kind": e.kind,
                        "fields": sorted(e.data.get("changes", {})),
                    }
                    for e in events
                ],
                locked.version,
            )
        before = {name: _comparable(getattr(locked, name)) for name in changes}
        for name, value in changes.items():
            setattr(locked, name, value)
        validate_record(locked)
        changed = [name for name in changes if _comparable(getattr(locked, name)) != before[name]]
        related_changed: list[str] = []
        if phones is not None:
            old = sorted(Phone.objects.filter(returnee=locked).values_list("number", flat=True))
            if sorted(_set_phones(locked, phones)) != old:
                related_changed.append("phones")
        for label, rows, setter in (
            ("documents", documents, _set_documents),
            ("qualifications", qualifications, lambda r, rows: _set_rows(Qualification, r, rows)),
            ("skills", skills, lambda r, rows: _set_rows(Skill, r, rows)),
            ("needs", needs, _set_needs),
        ):
            if rows is not None:
                setter(locked, rows)
                related_changed.append(label)
        if not changed and not related_changed:
            return locked
        if set(changed) & {*ARABIC_NAME_FIELDS, *LATIN_NAME_FIELDS, "known_as", "mother_name"}:
            _sync_tokens(locked, _apply_name_keys(locked))
        locked.version += 1
        locked.save()
        _event(
            locked,
            actor,
            CaseEventKind.UPDATED,
            {
                "changes": {
                    name: [_displayable(name, before[name]), _displayable(name, getattr(locked, name))]
                    for name in changed
                }
                | {name: [None, None] for name in related_changed}
            },
        )
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=[*changed, *related_changed])
        apply_categories(locked, actor=actor)
    return locked


def consent_record(*, actor: User, returnee: Returnee, data: Mapping[str, Any]) -> Consent:
    _require(actor, Capability.EDIT_RECORDS)
    with transaction.atomic():
        consent = _record_consent(returnee, actor, data)
        kind = CaseEventKind.CONSENT_GIVEN if consent.granted else CaseEventKind.CONSENT_WITHDRAWN
        _event(
            returnee,
            actor,
            kind,
            {
                "purpose": consent.purpose,
                "granted": consent.granted,
                "shared_with": consent.shared_with.code if consent.shared_with else consent.shared_with_type,
            },
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=consent, fields=["purpose", "granted"])
    return consent


def consent_withdraw(*, actor: User, consent: Consent) -> Consent:
    """Withdraw a consent; withdrawing registration closes the case (the person no longer wants it)."""
    _require(actor, Capability.EDIT_RECORDS)
    with transaction.atomic():
        locked = Consent.objects.select_for_update().get(pk=consent.pk)
        if locked.withdrawn_at is not None:
            raise AwdaError(_("This consent was already withdrawn."), code="already_withdrawn")
        locked.withdrawn_at = timezone.now()
        locked.withdrawn_by = actor
        locked.save(update_fields=["withdrawn_at", "withdrawn_by", "updated_at"])
        returnee = locked.returnee
        _event(returnee, actor, CaseEventKind.CONSENT_WITHDRAWN, {"purpose": locked.purpose})
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["withdrawn_at"])
        if locked.purpose == ConsentPurpose.REGISTRATION and returnee.status != CaseStatus.CLOSED:
            case_set_status(
                actor=actor,
                returnee=returnee,
                status=CaseStatus.CLOSED,
                closure_reason=ClosureReason.NO_LONGER_WANTS_SUPPORT,
            )
    return locked


def case_set_status(
    *, actor: User, returnee: Returnee, status: str, closure_reason: str = "", override_reason: str = ""
) -> Returnee:
    """Open, activate or close a case; closing runs the checks higher apps registered (``closure.py``)."""
    _require(actor, Capability.EDIT_RECORDS)
    if status == CaseStatus.CLOSED and not closure_reason:
        raise _field_error("closure_reason", _("Give the reason for closing the case."))
    if status != CaseStatus.CLOSED and closure_reason:
        raise _field_error("closure_reason", _("Only a closed case has a closure reason."))
    if status == CaseStatus.CLOSED:
        from awda.registry.closure import run_closure_checks

        run_closure_checks(actor, returnee, closure_reason, override_reason.strip())
    with transaction.atomic():
        locked = Returnee.objects.select_for_update().get(pk=returnee.pk)
        if locked.status == status and locked.closure_reason == closure_reason:
            return locked
        old = locked.status
        locked.status = status
        locked.closure_reason = closure_reason
        locked.closed_at = timezone.now() if status == CaseStatus.CLOSED else None
        locked.version += 1
        locked.save(update_fields=["status", "closure_reason", "closed_at", "version", "updated_at"])
        data = {"from": old, "to": status, "reason": closure_reason}
        if override_reason.strip():
            data["override"] = override_reason.strip()
        _event(locked, actor, CaseEventKind.STATUS_CHANGED, data)
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status", "closure_reason"])
    return locked


def case_reassign(*, actor: User, returnee: Returnee, owner: User) -> Returnee:
    _require(actor, Capability.EDIT_RECORDS)
    if owner.institution_id != returnee.institution_id or not has_capability(owner, Capability.EDIT_RECORDS):
        raise _field_error("owner", _("The case worker must belong to the case's institution."))
    with transaction.atomic():
        locked = Returnee.objects.select_for_update().get(pk=returnee.pk)
        locked.owner = owner
        locked.version += 1
        locked.save(update_fields=["owner", "version", "updated_at"])
        _event(locked, actor, CaseEventKind.REASSIGNED, {"owner": owner.username})
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["owner"])
    return locked


def needs_assess(*, actor: User, returnee: Returnee, needs: Sequence[Mapping[str, Any]]) -> list[Need]:
    """Replace the case's needs with an assessment: category, priority, urgency and a note for each."""
    _require(actor, Capability.EDIT_RECORDS)
    rows: list[dict[str, Any]] = []
    for i, need in enumerate(needs):
        category = need.get("category")
        if category not in NeedCategory.values:
            raise _field_error(f"needs[{i}].category", _("Choose a kind of need from the list."))
        if need.get("priority", NeedPriority.MEDIUM) not in NeedPriority.values:
            raise _field_error(f"needs[{i}].priority", _("Choose a priority from the list."))
        if need.get("urgency", NeedUrgency.SOON) not in NeedUrgency.values:
            raise _field_error(f"needs[{i}].urgency", _("Choose an urgency from the list."))
        description = str(need.get("description") or "").strip()
        if len(description) > 255:
            raise _field_error(f"needs[{i}].description", _("Keep the description under 255 characters."))
        rows.append(
            {
                "category": category,
                "priority": need.get("priority", NeedPriority.MEDIUM),
                "urgency": need.get("urgency", NeedUrgency.SOON),
                "is_interest": bool(need.get("is_interest", False)),
                "description": description,
            }
        )
    with transaction.atomic():
        locked = Returnee.objects.select_for_update().get(pk=returnee.pk)
        before = sorted((n.category, n.priority, n.urgency, n.is_interest) for n in locked.needs.all())
        _set_needs(locked, rows)
        after = sorted((n.category, n.priority, n.urgency, n.is_interest) for n in locked.needs.all())
        if before != after:
            locked.version += 1
            locked.save(update_fields=["version", "updated_at"])
            _event(
                locked,
                actor,
                CaseEventKind.NEEDS_ASSESSED,
                {"needs": [n[0] for n in after if not n[3]], "interests": [n[0] for n in after if n[3]]},
            )
            audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["needs"])
            apply_categories(locked, actor=actor)
        return list(locked.needs.all())


def case_transfer(*, actor: User, returnee: Returnee, office: Office, owner: User | None) -> Returnee:
    """Move a case to another institution's office (an accepted transfer, see awda.referrals).

    The caller has checked that the move is wanted and consented to; here the record changes hands:
    institution, office and case worker, with the timeline and the audit log saying so.
    """
    _require(actor, Capability.EDIT_RECORDS)
    if owner is not None and owner.institution_id != office.institution_id:
        raise _field_error("owner", _("The case worker must belong to the case's institution."))
    with transaction.atomic():
        locked = Returnee.objects.select_for_update().get(pk=returnee.pk)
        before = {"institution": locked.institution_id, "office": locked.office_id}
        locked.institution_id = office.institution_id
        locked.office = office
        locked.owner = owner
        locked.version += 1
        locked.save(update_fields=["institution", "office", "owner", "version", "updated_at"])
        _event(
            locked,
            actor,
            CaseEventKind.TRANSFERRED,
            {"from": before["institution"], "to": office.institution_id, "office": str(office.uuid)},
        )
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["institution", "office", "owner"]
        )
    return locked


def household_member_add(*, actor: User, returnee: Returnee, member: Mapping[str, Any]) -> HouseholdMember:
    _require(actor, Capability.EDIT_RECORDS)
    with transaction.atomic():
        household = returnee.household or Household.objects.create(institution_id=returnee.institution_id)
        if returnee.household_id is None:
            Returnee.objects.filter(pk=returnee.pk).update(household=household)
        linked = member.get("returnee")
        if (
            linked is not None
            and HouseholdMember.objects.filter(returnee=linked).exclude(household=household).exists()
        ):
            raise _field_error("returnee", _("This person already belongs to another household."))
        if member.get("is_head") and household.members.filter(is_head=True).exists():
            raise _field_error("is_head", _("The household already has a head."))
        row = HouseholdMember.objects.create(household=household, **member)
        if linked is not None:
            Returnee.objects.filter(pk=linked.pk).update(household=household)
        _event(returnee, actor, CaseEventKind.HOUSEHOLD_CHANGED, {"added": row.relationship})
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=returnee, fields=["household"])
        apply_categories(returnee, actor=actor)
    return row


def household_member_remove(*, actor: User, returnee: Returnee, member: HouseholdMember) -> None:
    _require(actor, Capability.EDIT_RECORDS)
    if member.household_id != returnee.household_id or member.returnee_id == returnee.pk:
        raise _field_error("member", _("This member cannot be removed from this case's household."))
    with transaction.atomic():
        member.delete()
        _event(returnee, actor, CaseEventKind.HOUSEHOLD_CHANGED, {"removed": member.relationship})
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=returnee, fields=["household"])
        apply_categories(returnee, actor=actor)


def duplicate_link(*, actor: User, candidate: Returnee, score: float, reasons: Sequence[str]) -> Returnee:
    """The worker says the person at the desk is this existing record: nothing new is created."""
    with transaction.atomic():
        _event(
            candidate,
            actor,
            CaseEventKind.DUPLICATE_DECISION,
            {"decision": "linked", "score": score, "reasons": list(reasons)},
        )
        audit.record(actor=actor, action=AuditAction.READ, obj=candidate)
    return candidate


# Extra questions: institutions add questions to the case form, in versions.


def _require_form_manager(actor: User, institution_id: int) -> None:
    if has_capability(actor, Capability.MANAGE_CATEGORIES):
        return
    if has_capability(actor, Capability.MANAGE_UNIT_USERS) and actor.institution_id == institution_id:
        return
    raise PermissionDenied(_("You are not allowed to change this institution's questions."))


def published_form(institution_id: int | None) -> FormDefinition | None:
    if institution_id is None:
        return None
    return (
        FormDefinition.objects.filter(institution_id=institution_id, status="published")
        .order_by("-version")
        .first()
    )


def form_draft(*, actor: User, institution_id: int) -> FormDefinition:
    """The institution's draft version, created from the published one when there is none."""
    _require_form_manager(actor, institution_id)
    with transaction.atomic():
        draft = FormDefinition.objects.filter(institution_id=institution_id, status="draft").first()
        if draft is not None:
            return draft
        latest = FormDefinition.objects.filter(institution_id=institution_id).order_by("-version").first()
        draft = FormDefinition.objects.create(
            institution_id=institution_id, version=(latest.version + 1) if latest else 1
        )
        current = published_form(institution_id)
        if current is not None:
            for question in current.questions.all():
                question.pk = None
                question.form = draft
                question.save()
        audit.record(actor=actor, action=AuditAction.CREATE, obj=draft)
    return draft


def form_question_save(*, actor: User, form: FormDefinition, spec: Mapping[str, Any]) -> FormQuestion:
    from awda.registry.extra_questions import question_problems

    _require_form_manager(actor, form.institution_id)
    if form.status != "draft":
        raise AwdaError(
            _("Only a draft can be changed; published questions stay as they were answered."),
            code="not_draft",
        )
    problems = question_problems(spec)
    if problems:
        messages = {
            "bad_code": _("Use lower-case Latin letters, digits and _ for the code, starting with a letter."),
            "bad_type": _("Choose a question type."),
            "missing_label": _("Give the question (and each choice) in Arabic, Kurdish and English."),
            "bad_choices": _("Give at least one choice, each with its own code."),
            "bad_range": _("The minimum is above the maximum."),
        }
        raise AwdaError(
            messages[problems[0]], code="invalid", fields={"question": [messages[p] for p in problems]}
        )
    with transaction.atomic():
        question, _created = FormQuestion.objects.update_or_create(
            form=form,
            code=spec["code"],
            defaults={
                "type": spec["type"],
                "required": bool(spec.get("required")),
                "choices": list(spec.get("choices") or []),
                "min_value": spec.get("min_value"),
                "max_value": spec.get("max_value"),
                "name_ar": spec["label_ar"],
                "name_ckb": spec["label_ckb"],
                "name_en": spec["label_en"],
                "order": spec.get("order", form.questions.count()),
            },
        )
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=form, fields=[f"question:{question.code}"])
    return question


def form_question_delete(*, actor: User, form: FormDefinition, code: str) -> None:
    _require_form_manager(actor, form.institution_id)
    if form.status != "draft":
        raise AwdaError(
            _("Only a draft can be changed; published questions stay as they were answered."),
            code="not_draft",
        )
    with transaction.atomic():
        form.questions.filter(code=code).delete()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=form, fields=[f"question:{code}"])


def form_publish(*, actor: User, form: FormDefinition) -> FormDefinition:
    _require_form_manager(actor, form.institution_id)
    if form.status != "draft":
        raise AwdaError(_("This version is already published."), code="not_draft")
    with transaction.atomic():
        FormDefinition.objects.filter(institution_id=form.institution_id, status="published").update(
            status="retired"
        )
        form.status = "published"
        form.published_at = timezone.now()
        form.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=form, fields=["status"])
    return form


def extra_answers_save(
    *, actor: User, returnee: Returnee, answers: Mapping[str, Any], language: str = "en"
) -> ExtraAnswers:
    """Answers to the institution's current version, validated against that version."""
    from awda.registry.extra_questions import clean_answers

    _require(actor, Capability.EDIT_RECORDS)
    form = published_form(returnee.institution_id)
    if form is None:
        raise AwdaError(_("This institution has no extra questions."), code="no_form")
    cleaned, errors = clean_answers([q.as_spec() for q in form.questions.all()], answers)
    if errors:
        fields: dict[str, list[Any]] = {
            code: [texts.get(language) or texts["en"]] for code, texts in errors.items()
        }
        raise AwdaError(next(iter(fields.values()))[0], code="invalid", fields=fields)
    with transaction.atomic():
        row, _created = ExtraAnswers.objects.update_or_create(
            returnee=returnee, form=form, defaults={"answers": cleaned}
        )
        Returnee.objects.filter(pk=returnee.pk).update(version=models.F("version") + 1)
        returnee.refresh_from_db(fields=["version"])
        _event(
            returnee,
            actor,
            CaseEventKind.UPDATED,
            {"changes": {f"extra:{code}": [None, None] for code in cleaned}},
        )
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=returnee, fields=[f"extra:{code}" for code in cleaned]
        )
    return row
