"""Every write of the job market: one transaction, an audit row, a log row for placements, notifications
after commit. Bad input raises ``AwdaError`` with field errors before anything is written."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from awda.accounts.enums import InstitutionType, Role, ScopeLevel
from awda.accounts.models import Institution, User
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditAction
from awda.core.notifications import notify
from awda.geo.enums import Settlement
from awda.geo.models import District, Governorate
from awda.jobs import access, rules, vocab, workflows
from awda.jobs.enums import (
    CommitmentKind,
    CompanySize,
    EmployerStatus,
    Mobility,
    OfferKind,
    OfferStatus,
    PlacementStatus,
    RetentionResult,
    WorkingTime,
)
from awda.jobs.models import (
    Commitment,
    Employer,
    JobProfile,
    Offer,
    Placement,
    PlacementTransition,
    RetentionCheck,
    Sector,
    SkillTerm,
)
from awda.jobs.queries import candidates_for_offer, offer_facts, person_facts
from awda.referrals.enums import Dimension, GoalStatus
from awda.referrals.models import PlanGoal, Referral
from awda.referrals.rules import add_months
from awda.registry import actions as registry_actions
from awda.registry.access import can_edit
from awda.registry.enums import CaseEventKind, CaseStatus, ConsentMethod, ConsentPurpose, EducationLevel
from awda.registry.models import Category, Consent, Occupation, Returnee

S = PlacementStatus


def _invalid(errors: Mapping[str, Any]) -> AwdaError:
    return AwdaError(
        _("Please correct the fields below."),
        code="invalid",
        fields={name: [message] for name, message in errors.items()},
    )


def _staff_only(actor: User) -> None:
    if not access.employment_staff(actor):
        raise PermissionDenied(_("Only the employment office can do this."))


def _names_later(obj: Any) -> Any:
    return lazy(lambda: obj.name, str)()


def employment_supervisors() -> list[User]:
    """Who hears of a company's registration: employment-office supervisors, else its case workers."""
    users = [
        u
        for u in User.objects.filter(is_active=True, role__in=[Role.SUPERVISOR, Role.CASE_WORKER])
        .select_related("institution__parent")
        .order_by("role", "pk")[:500]
        if access.employment_staff(u)
    ]
    supervisors = [u for u in users if u.role == Role.SUPERVISOR]
    return (supervisors or users)[:20]


# --------------------------------------------------------------------------------------------------
# Employers
# --------------------------------------------------------------------------------------------------

TEXT_LIMITS = {
    "name_ar": 200,
    "name_ckb": 200,
    "name_en": 200,
    "contact_name": 120,
    "contact_phone": 32,
    "contact_email": 254,
    "registration_number": 60,
    "address": 255,
    "website": 200,
}


def _employer_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Checked company fields; every problem at once."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    names = {k: str(data.get(k) or "").strip() for k in ("name_ar", "name_ckb", "name_en")}
    if not any(names.values()):
        errors["name_ar"] = _("Give the company's name in at least one language.")
    values.update(names)
    sector = Sector.objects.filter(code=str(data.get("sector") or "").strip().upper()).first()
    if sector is None:
        errors["sector"] = _("Choose the company's sector (ISIC section A–U).")
    values["sector"] = sector
    size = str(data.get("size") or "")
    if size not in CompanySize.values:
        errors["size"] = _("Choose the company's size.")
    values["size"] = size
    codes = [str(c) for c in (data.get("governorates") or [])]
    governorates = list(Governorate.objects.filter(pk__in=codes))
    if not governorates or len(governorates) != len(set(codes)):
        errors["governorates"] = _("Choose the governorates where the company works.")
    values["governorates"] = governorates
    for key in ("contact_name", "contact_phone"):
        values[key] = str(data.get(key) or "").strip()
        if not values[key]:
            errors[key] = _("This field is required.")
    email = str(data.get("contact_email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _("Enter a valid email address.")
    values["contact_email"] = email
    for key in ("registration_number", "address", "website"):
        values[key] = str(data.get(key) or "").strip()
    if values["website"] and not values["website"].startswith(("http://", "https://")):
        values["website"] = "https://" + values["website"]
    values["platform_member"] = bool(data.get("platform_member"))
    for key, limit in TEXT_LIMITS.items():
        if len(values.get(key, "")) > limit:
            errors[key] = _("Keep this under %(n)d characters.") % {"n": limit}
    if errors:
        raise _invalid(errors)
    return values


def _company_names(values: Mapping[str, Any]) -> dict[str, str]:
    """The company's name in each language, the others standing in for a language left empty."""
    return {
        "name_ar": values["name_ar"] or values["name_en"] or values["name_ckb"],
        "name_ckb": values["name_ckb"] or values["name_ar"] or values["name_en"],
        "name_en": values["name_en"] or values["name_ar"] or values["name_ckb"],
    }


def _new_company(values: Mapping[str, Any]) -> Institution:
    return Institution.objects.create(
        code=f"company-{uuid.uuid4().hex[:10]}",
        type=InstitutionType.PRIVATE_COMPANY,
        **_company_names(values),
    )


def _save_employer(employer: Employer, values: dict[str, Any]) -> None:
    institution = employer.institution
    for key, name in _company_names(values).items():
        setattr(institution, key, name)
    institution.save()
    for key in (
        "sector",
        "size",
        "registration_number",
        "address",
        "website",
        "contact_name",
        "contact_phone",
        "contact_email",
        "platform_member",
    ):
        setattr(employer, key, values[key])
    if employer.platform_member and employer.platform_joined_on is None:
        employer.platform_joined_on = timezone.localdate()
    employer.save()
    employer.governorates.set(values["governorates"])


def employer_register(*, data: Mapping[str, Any]) -> tuple[Employer, User]:
    """A company registers itself and its first user; MoLSA reviews it before its offers can open."""
    errors: dict[str, Any] = {}
    username = str(data.get("username") or "").strip()
    password = str(data.get("password") or "")
    if not username:
        errors["username"] = _("Choose a user name.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This user name is taken; choose another.")
    try:
        validate_password(password)
    except ValidationError as error:
        errors["password"] = " ".join(str(m) for m in error.messages)
    try:
        values = _employer_values(data)
    except AwdaError as error:
        errors.update({k: v[0] for k, v in error.fields.items()})
        values = {}
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        institution = _new_company(values)
        user = User(
            username=username,
            role=Role.EMPLOYER,
            institution=institution,
            scope=ScopeLevel.ASSIGNED,
            first_name=values["contact_name"][:150],
            email=values["contact_email"],
            phone=values["contact_phone"],
            language=str(data.get("language") or ""),
        )
        user.set_password(password)
        user.save()
        employer = Employer(institution=institution, registered_by=user, sector=values["sector"])
        _save_employer(employer, values)
        audit.record(actor=user, action=AuditAction.CREATE, obj=employer)
        for reviewer in employment_supervisors():
            notify(
                recipient=reviewer,
                kind="employer.registered",
                subject=_("A company asks to join: %(company)s"),
                body=_("%(company)s registered on Awda. Review it so that it can post offers."),
                params={"company": _names_later(institution)},
                url=reverse("jobs:employer", args=[employer.uuid]),
            )
    return employer, user


def employer_create(*, actor: User, data: Mapping[str, Any]) -> Employer:
    """Employment staff record a company themselves (approved at once)."""
    _staff_only(actor)
    values = _employer_values(data)
    with transaction.atomic():
        institution = _new_company(values)
        employer = Employer(
            institution=institution,
            sector=values["sector"],
            status=EmployerStatus.APPROVED,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
        )
        _save_employer(employer, values)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=employer)
    return employer


def employer_update(*, actor: User, employer: Employer, data: Mapping[str, Any]) -> Employer:
    own = access.employer_of(actor)
    if not access.employment_staff(actor) and (own is None or own.pk != employer.pk):
        raise NotFound(_("Not found."))
    values = _employer_values(data)
    with transaction.atomic():
        _save_employer(employer, values)
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=employer)
    return employer


def employer_review(*, actor: User, employer: Employer, decision: str, note: str = "") -> Employer:
    """Approve, reject or suspend a company; rejecting or suspending needs a reason and closes its offers."""
    _staff_only(actor)
    if decision not in (EmployerStatus.APPROVED, EmployerStatus.REJECTED, EmployerStatus.SUSPENDED):
        raise _invalid({"decision": _("Choose approve, reject or suspend.")})
    if decision != EmployerStatus.APPROVED and not note.strip():
        raise _invalid({"note": _("Say why, for the company.")})
    with transaction.atomic():
        locked = Employer.objects.select_for_update().select_related("institution").get(pk=employer.pk)
        locked.status = decision
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.review_note = note.strip()[:500]
        locked.save()
        if decision != EmployerStatus.APPROVED:
            Offer.objects.filter(employer=locked, status=OfferStatus.OPEN).update(
                status=OfferStatus.CLOSED, updated_at=timezone.now()
            )
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status"])
        messages: dict[str, Any] = {
            EmployerStatus.APPROVED: _("Your company was approved on Awda: you can now publish offers."),
            EmployerStatus.REJECTED: _("Your company's registration was not approved: %(note)s"),
            EmployerStatus.SUSPENDED: _("Your company was suspended on Awda: %(note)s"),
        }
        for user in User.objects.filter(institution_id=locked.institution_id, is_active=True):
            notify(
                recipient=user,
                kind=f"employer.{decision}",
                subject=_("Your company on Awda"),
                body=messages[decision],
                params={"note": locked.review_note},
                url=reverse("jobs:employer", args=[locked.uuid]),
            )
    return locked


def commitment_add(*, actor: User, employer: Employer, data: Mapping[str, Any]) -> Commitment:
    own = access.employer_of(actor)
    if not access.employment_staff(actor) and (own is None or own.pk != employer.pk):
        raise NotFound(_("Not found."))
    errors: dict[str, Any] = {}
    kind = str(data.get("kind") or "")
    if kind not in CommitmentKind.values:
        errors["kind"] = _("Choose what the company commits to.")
    quantity = _positive(data.get("quantity"))
    if quantity is None:
        errors["quantity"] = _("Give a whole number of at least 1.")
    due_on = _date(data.get("due_on"), errors, "due_on") if data.get("due_on") else None
    if errors:
        raise _invalid(errors)
    assert quantity is not None
    with transaction.atomic():
        commitment = Commitment.objects.create(
            employer=employer,
            kind=kind,
            quantity=quantity,
            description=str(data.get("description") or "")[:300],
            due_on=due_on,
            created_by=actor,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=commitment)
    return commitment


def commitment_record(*, actor: User, commitment: Commitment, fulfilled_by_hand: Any) -> Commitment:
    """What was fulfilled outside Awda's placements (mentoring hours given, goods delivered…)."""
    own = access.employer_of(actor)
    if not access.employment_staff(actor) and (own is None or own.pk != commitment.employer_id):
        raise NotFound(_("Not found."))
    value = _positive(fulfilled_by_hand, allow_zero=True)
    if value is None:
        raise _invalid({"fulfilled_by_hand": _("Give a whole number, 0 or more.")})
    with transaction.atomic():
        commitment.fulfilled_by_hand = value
        commitment.save(update_fields=["fulfilled_by_hand", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=commitment, fields=["fulfilled_by_hand"])
    return commitment


# --------------------------------------------------------------------------------------------------
# Offers
# --------------------------------------------------------------------------------------------------


def _positive(value: Any, *, allow_zero: bool = False) -> int | None:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if number >= (0 if allow_zero else 1) else None


def _date(value: Any, errors: dict[str, Any], key: str) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        errors[key] = _("Write the date as YYYY-MM-DD.")
        return None


def resolve_occupation(value: Any) -> Occupation | None:
    """An ISCO-08 code, or a title in Arabic, Kurdish or English (exact after normalisation)."""
    text = str(value or "").strip()
    if not text:
        return None
    if text.isdigit():
        return Occupation.objects.filter(code=text).first()
    wanted = vocab.normalize(text)
    for occupation in Occupation.objects.filter(level=4).only("code", "name_ar", "name_ckb", "name_en"):
        if wanted in (vocab.normalize(occupation.name_ar), vocab.normalize(occupation.name_ckb)) or (
            wanted == vocab.normalize(occupation.name_en)
        ):
            return occupation
    return None


def resolve_skill_terms(values: Sequence[Any]) -> tuple[list[SkillTerm], list[str]]:
    """Skill codes or names in any of the three languages, against the shared vocabulary."""
    terms, unknown = vocab.resolve_skills([str(v) for v in values if str(v).strip()])
    found = {t.code: t for t in SkillTerm.objects.filter(code__in=[t.code for t in terms])}
    missing = [t.code for t in terms if t.code not in found]
    return [found[t.code] for t in terms if t.code in found], unknown + missing


def _offer_values(data: Mapping[str, Any], *, employer: Employer) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {}
    kind = str(data.get("kind") or "")
    if kind not in OfferKind.values:
        errors["kind"] = _("Choose the kind of offer.")
    values["kind"] = kind
    title = str(data.get("title") or "").strip()
    if not title:
        errors["title"] = _("Give the offer a title.")
    elif len(title) > 200:
        errors["title"] = _("Keep this under %(n)d characters.") % {"n": 200}
    values["title"] = title
    values["description"] = str(data.get("description") or "").strip()
    values["conditions"] = str(data.get("conditions") or "").strip()
    raw_occupation = data.get("occupation")
    occupation = resolve_occupation(raw_occupation)
    if not str(raw_occupation or "").strip():
        errors["occupation"] = _(
            "Every offer needs an occupation (ISCO-08), so that people can be matched to it."
        )
    elif occupation is None:
        errors["occupation"] = _("“%(value)s” is not an ISCO-08 occupation code or title.") % {
            "value": raw_occupation
        }
    values["occupation"] = occupation
    skills, unknown = resolve_skill_terms(list(data.get("skills") or []))
    if unknown:
        errors["skills"] = _("Unknown skills: %(skills)s. Choose them from the list.") % {
            "skills": ", ".join(unknown)
        }
    values["skills"] = skills
    education = data.get("education_min")
    if education in (None, ""):
        values["education_min"] = None
    else:
        level = _positive(education, allow_zero=True)
        if level is None or level not in EducationLevel.values:
            errors["education_min"] = _("Choose an education level.")
        values["education_min"] = level
    languages = [str(c) for c in (data.get("languages") or []) if str(c).strip()]
    unknown_languages = [c for c in languages if c not in vocab.language_codes()]
    if unknown_languages:
        errors["languages"] = _("Unknown language codes: %(codes)s.") % {
            "codes": ", ".join(unknown_languages)
        }
    values["languages"] = sorted(set(languages))
    governorate = Governorate.objects.filter(pk=str(data.get("governorate") or "")).first()
    if governorate is None:
        errors["governorate"] = _("Choose the governorate where the work is.")
    values["governorate"] = governorate
    district = None
    if data.get("district"):
        district = District.objects.filter(pk=str(data["district"])).first()
        if district is None or (governorate is not None and district.governorate_id != governorate.pk):
            errors["district"] = _("This district is not in the chosen governorate.")
    values["district"] = district
    settlement = str(data.get("settlement") or "")
    if settlement not in Settlement.values:
        errors["settlement"] = _("Say whether the place is urban or rural.")
    values["settlement"] = settlement
    values["remote"] = bool(data.get("remote"))
    working_time = str(data.get("working_time") or WorkingTime.FULL_TIME)
    if working_time not in WorkingTime.values:
        errors["working_time"] = _("Choose the working time.")
    values["working_time"] = working_time
    places = _positive(data.get("places", 1))
    if places is None:
        errors["places"] = _("Give a whole number of at least 1.")
    values["places"] = places
    opens_on = _date(data.get("opens_on") or timezone.localdate(), errors, "opens_on")
    closes_on = _date(data["closes_on"], errors, "closes_on") if data.get("closes_on") else None
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = _("The closing date comes before the opening date.")
    values["opens_on"], values["closes_on"] = opens_on, closes_on
    codes = [str(c) for c in (data.get("priority_categories") or [])]
    categories = list(Category.objects.filter(code__in=codes))
    if len(categories) != len(set(codes)):
        errors["priority_categories"] = _("Unknown category.")
    values["priority_categories"] = categories
    commitment = None
    if data.get("commitment"):
        try:
            wanted: uuid.UUID | None = uuid.UUID(str(data["commitment"]))
        except ValueError:  # not an identifier at all: as unknown as one of another company
            wanted = None
        commitment = Commitment.objects.filter(uuid=wanted, employer=employer).first() if wanted else None
        if commitment is None:
            errors["commitment"] = _("This is not one of the company's commitments.")
    values["commitment"] = commitment
    if errors:
        raise _invalid(errors)
    return values


_OFFER_SCALARS = (
    "kind",
    "title",
    "description",
    "conditions",
    "occupation",
    "education_min",
    "languages",
    "governorate",
    "district",
    "settlement",
    "remote",
    "working_time",
    "places",
    "opens_on",
    "closes_on",
    "commitment",
)


def _require_offer_editor(actor: User, employer: Employer) -> None:
    if access.employment_staff(actor):
        return
    own = access.employer_of(actor)
    if own is None or own.pk != employer.pk:
        raise NotFound(_("Not found."))
    if own.status != EmployerStatus.APPROVED:
        raise PermissionDenied(
            _(
                "Your company is waiting for the employment office's review; offers can be posted once approved."
            )
        )


def offer_create(*, actor: User, employer: Employer, data: Mapping[str, Any], publish: bool = False) -> Offer:
    """An offer, as a draft or published at once (a published offer is matched to people)."""
    _require_offer_editor(actor, employer)
    if employer.status != EmployerStatus.APPROVED:
        raise Conflict(
            _("This company is not approved; it cannot post offers."), code="employer_not_approved"
        )
    values = _offer_values(data, employer=employer)
    with transaction.atomic():
        offer = Offer(employer=employer, created_by=actor)
        for key in _OFFER_SCALARS:
            setattr(offer, key, values[key])
        offer.status = OfferStatus.OPEN if publish else OfferStatus.DRAFT
        offer.save()
        offer.skills.set(values["skills"])
        offer.priority_categories.set(values["priority_categories"])
        audit.record(actor=actor, action=AuditAction.CREATE, obj=offer)
    return offer


def offer_update(
    *, actor: User, offer: Offer, data: Mapping[str, Any], expected_version: int | None = None
) -> Offer:
    _require_offer_editor(actor, offer.employer)
    values = _offer_values(data, employer=offer.employer)
    with transaction.atomic():
        locked = Offer.objects.select_for_update().get(pk=offer.pk)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict(_("Someone else changed this offer a moment ago. Look at it again."), code="stale")
        if values["places"] < locked.filled:
            raise _invalid({"places": _("%(n)d places are already filled.") % {"n": locked.filled}})
        for key in _OFFER_SCALARS:
            setattr(locked, key, values[key])
        locked.version += 1
        if locked.status == OfferStatus.FILLED and locked.filled < locked.places:
            locked.status = OfferStatus.OPEN
        locked.save()
        locked.skills.set(values["skills"])
        locked.priority_categories.set(values["priority_categories"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked)
    return locked


def offer_set_status(*, actor: User, offer: Offer, status: str) -> Offer:
    """Publish a draft, close an open offer, or reopen a closed one with places left."""
    _require_offer_editor(actor, offer.employer)
    allowed = {
        (OfferStatus.DRAFT, OfferStatus.OPEN),
        (OfferStatus.OPEN, OfferStatus.CLOSED),
        (OfferStatus.FILLED, OfferStatus.CLOSED),
        (OfferStatus.CLOSED, OfferStatus.OPEN),
        (OfferStatus.DRAFT, OfferStatus.CLOSED),
    }
    with transaction.atomic():
        locked = Offer.objects.select_for_update().select_related("employer").get(pk=offer.pk)
        if (locked.status, status) not in allowed:
            raise Conflict(
                _("This offer is “%(status)s”: it cannot be changed this way.")
                % {"status": locked.get_status_display()},
                code="transition_not_allowed",
            )
        if status == OfferStatus.OPEN:
            if locked.employer.status != EmployerStatus.APPROVED:
                raise Conflict(
                    _("This company is not approved; it cannot post offers."), code="employer_not_approved"
                )
            if locked.filled >= locked.places:
                raise Conflict(_("Every place of this offer is filled."), code="offer_filled")
        locked.status = status
        locked.version += 1
        locked.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["status"])
    return locked


# --------------------------------------------------------------------------------------------------
# The person's job profile
# --------------------------------------------------------------------------------------------------


def profile_save(*, actor: User, returnee: Returnee, data: Mapping[str, Any]) -> JobProfile:
    if not access.can_match(actor) or not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    errors: dict[str, Any] = {}
    languages = [str(c) for c in (data.get("languages") or []) if str(c).strip()]
    unknown = [c for c in languages if c not in vocab.language_codes()]
    if unknown:
        errors["languages"] = _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}
    skills, unknown_skills = resolve_skill_terms(list(data.get("skills") or []))
    if unknown_skills:
        errors["skills"] = _("Unknown skills: %(skills)s. Choose them from the list.") % {
            "skills": ", ".join(unknown_skills)
        }
    mobility = str(data.get("mobility") or Mobility.GOVERNORATE)
    if mobility not in Mobility.values:
        errors["mobility"] = _("Choose how far the person will go for work.")
    available = (
        _date(data["available_from"], errors, "available_from") if data.get("available_from") else None
    )
    if errors:
        raise _invalid(errors)
    with transaction.atomic():
        profile, _created = JobProfile.objects.get_or_create(returnee=returnee)
        profile.seeking = bool(data.get("seeking", True))
        profile.languages = sorted(set(languages))
        profile.mobility = mobility
        profile.available_from = available
        profile.updated_by = actor
        profile.save()
        profile.skills.set(skills)
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=returnee, fields=["job_profile"])
    return profile


# --------------------------------------------------------------------------------------------------
# Placements
# --------------------------------------------------------------------------------------------------


def _placement_link(placement: Placement) -> str:
    return reverse("jobs:placement", args=[placement.uuid])


def _transition(placement: Placement, *, to: str, actor: User, note: str = "") -> None:
    before = placement.status
    placement.status = to
    placement.version += 1
    placement.save()
    PlacementTransition.objects.create(
        placement=placement, from_status=before, to_status=to, actor=actor, at=timezone.now(), note=note[:500]
    )
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=placement, fields=["status"])
    registry_actions.case_event(
        placement.returnee,
        actor,
        CaseEventKind.PLACEMENT,
        {"placement": str(placement.uuid), "from": before, "to": to, "offer": str(placement.offer.uuid)},
    )


def _sides(actor: User, placement: Placement) -> frozenset[workflows.Side]:
    sides: set[workflows.Side] = set()
    if access.case_side(actor, placement):
        sides.add("case")
    if access.employer_side(actor, placement):
        sides.add("employer")
    return frozenset(sides)


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("offer__employer__institution", "returnee")
        .get(pk=placement.pk)
    )


def _move(actor: User, placement: Placement, to: str, expected_version: int | None) -> Placement:
    """Lock the placement and refuse, before any write, a move the table does not allow for the actor."""
    sides = _sides(actor, placement)
    if not sides:
        raise NotFound(_("Not found."))
    locked = _locked(placement)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("Someone else changed this placement a moment ago. Look at it again."), code="stale")
    if not workflows.allowed(locked.status, to, sides):
        raise Conflict(
            _("This placement is “%(status)s”: it cannot be moved this way.")
            % {"status": locked.get_status_display()},
            code="transition_not_allowed",
        )
    return locked


def _check_offer_open(offer: Offer) -> None:
    today = timezone.localdate()
    if offer.status == OfferStatus.FILLED or offer.filled >= offer.places:
        raise Conflict(_("Every place of this offer is filled."), code="offer_filled")
    if offer.status != OfferStatus.OPEN or (offer.closes_on is not None and offer.closes_on < today):
        raise Conflict(_("This offer is not open."), code="offer_not_open")
    if offer.employer.status != EmployerStatus.APPROVED:
        raise Conflict(_("This company is not approved."), code="employer_not_approved")


def _create_placement(
    *,
    actor: User,
    offer: Offer,
    returnee: Returnee,
    by_employer: bool,
    note: str,
    score: float | None,
    referral: Referral | None = None,
    plan_goal: PlanGoal | None = None,
) -> Placement:
    if returnee.status in (CaseStatus.CLOSED, CaseStatus.TRANSFERRED) or returnee.merged_into_id is not None:
        raise Conflict(_("This case is closed."), code="case_closed")
    with transaction.atomic():
        locked_offer = Offer.objects.select_for_update().select_related("employer").get(pk=offer.pk)
        _check_offer_open(locked_offer)
        try:
            with transaction.atomic():
                placement = Placement.objects.create(
                    offer=locked_offer,
                    returnee=returnee,
                    requested_by_employer=by_employer,
                    score=score,
                    referral=referral,
                    plan_goal=plan_goal,
                    note=note[:500],
                    created_by=actor,
                )
        except IntegrityError as error:
            raise Conflict(
                _("This person is already proposed for this offer."), code="already_proposed"
            ) from error
        PlacementTransition.objects.create(
            placement=placement,
            from_status="",
            to_status=S.PROPOSED,
            actor=actor,
            at=timezone.now(),
            note=note,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=placement)
        registry_actions.case_event(
            returnee,
            actor,
            CaseEventKind.PLACEMENT,
            {"placement": str(placement.uuid), "from": "", "to": S.PROPOSED, "offer": str(offer.uuid)},
        )
    return placement


def placement_propose(
    *,
    actor: User,
    offer: Offer,
    returnee: Returnee,
    note: str = "",
    referral: Referral | None = None,
    plan_goal: PlanGoal | None = None,
) -> Placement:
    """The person's case worker proposes an offer to them (to be agreed with the person)."""
    if not access.can_match(actor) or not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    if referral is not None and referral.returnee_id != returnee.pk:
        raise _invalid({"referral": _("This referral is of another person.")})
    if plan_goal is not None and (
        plan_goal.plan.returnee_id != returnee.pk or plan_goal.dimension != Dimension.ECONOMIC
    ):
        raise _invalid({"plan_goal": _("Choose an economic goal of this person's plan.")})
    found = rules.match(person_facts([returnee.pk])[returnee.pk], offer_facts([offer])[offer.pk])
    return _create_placement(
        actor=actor,
        offer=offer,
        returnee=returnee,
        by_employer=False,
        note=note,
        score=found.score if found else None,
        referral=referral,
        plan_goal=plan_goal,
    )


def placement_request(*, actor: User, offer: Offer, candidate: str, note: str = "") -> Placement:
    """The company asks for an anonymous candidate of its offer; the person's case worker hears of it and
    asks the person. The company learns nothing more until the person agrees."""
    own = access.employer_of(actor)
    if not access.employment_staff(actor) and (own is None or own.pk != offer.employer_id):
        raise NotFound(_("Not found."))
    if own is not None and own.status != EmployerStatus.APPROVED:
        raise PermissionDenied(_("Your company is waiting for the employment office's review."))
    chosen = next((c for c in candidates_for_offer(offer, limit=200) if c.key == candidate), None)
    if chosen is None:
        raise _invalid({"candidate": _("This candidate is no longer available for this offer.")})
    returnee = Returnee.objects.select_related("owner").get(pk=chosen.returnee_id)
    placement = _create_placement(
        actor=actor, offer=offer, returnee=returnee, by_employer=True, note=note, score=chosen.match.score
    )
    if returnee.owner is not None and returnee.owner.is_active:
        notify(
            recipient=returnee.owner,
            kind="placement.requested",
            subject=_("A company asks for one of your cases"),
            body=_(
                "%(company)s would like to consider %(case)s for “%(offer)s”. Ask the person whether they "
                "agree to share their profile."
            ),
            params={
                "company": _names_later(offer.employer.institution),
                "case": returnee.case_number,
                "offer": offer.title,
            },
            url=_placement_link(placement),
        )
    return placement


def placement_agree(
    *,
    actor: User,
    placement: Placement,
    agreed: bool,
    method: str,
    note: str = "",
    expected_version: int | None = None,
) -> Placement:
    """The person's answer. Agreeing records their consent to share their name, contact and work profile
    with this company (purpose "sharing with employers"); declining records nothing to share."""
    if not _sides(actor, placement):
        raise NotFound(_("Not found."))
    if method not in ConsentMethod.values:
        raise _invalid({"method": _("Say how the person gave their answer.")})
    with transaction.atomic():
        locked = _move(actor, placement, S.AGREED if agreed else S.DECLINED, expected_version)
        if agreed:
            consent = Consent.objects.create(
                returnee=locked.returnee,
                purpose=ConsentPurpose.SHARING_EMPLOYERS,
                granted=True,
                shared_with=locked.offer.employer.institution,
                whole_record=False,
                fields=[str(p) for p in access.EMPLOYER_PARTS],
                method=method,
                recorded_by=actor,
                recorded_at=timezone.now(),
                note=note[:255],
            )
            audit.record(actor=actor, action=AuditAction.CREATE, obj=consent, fields=["purpose", "granted"])
            registry_actions.case_event(
                locked.returnee,
                actor,
                CaseEventKind.CONSENT_GIVEN,
                {
                    "purpose": consent.purpose,
                    "granted": True,
                    "shared_with": locked.offer.employer.institution.code,
                },
            )
            locked.consent = consent
        _transition(locked, to=S.AGREED if agreed else S.DECLINED, actor=actor, note=note)
    return locked


def placement_share(*, actor: User, placement: Placement, expected_version: int | None = None) -> Placement:
    """Send the person's profile to the company: refused without a consent in force to share with it."""
    with transaction.atomic():
        locked = _move(actor, placement, S.SHARED, expected_version)
        if not access.employer_consents(locked.returnee, locked.offer.employer):
            raise AwdaError(
                _(
                    "The person has not agreed to share their profile with %(company)s. Record their consent first."
                )
                % {"company": locked.offer.employer.name},
                code="no_consent",
                fields={
                    "consent": [_("The person has not agreed to share their profile with this company.")]
                },
            )
        _check_offer_open(locked.offer)
        _transition(locked, to=S.SHARED, actor=actor)
        for user in User.objects.filter(institution_id=locked.offer.employer.institution_id, is_active=True):
            notify(
                recipient=user,
                kind="placement.shared",
                subject=_("A candidate for “%(offer)s”"),
                body=_(
                    "A candidate agreed to share their profile with you for “%(offer)s”. Their contact is on Awda."
                ),
                params={"offer": locked.offer.title},
                url=_placement_link(locked),
            )
    return locked


def _notify_case(placement: Placement, subject: Any, body: Any) -> None:
    owner = placement.returnee.owner
    if owner is not None and owner.is_active:
        notify(
            recipient=owner,
            kind=f"placement.{placement.status}",
            subject=subject,
            body=body,
            params={
                "case": placement.returnee.case_number,
                "offer": placement.offer.title,
                "company": _names_later(placement.offer.employer.institution),
            },
            url=_placement_link(placement),
        )


def placement_interview(
    *, actor: User, placement: Placement, at: Any, expected_version: int | None = None
) -> Placement:
    errors: dict[str, Any] = {}
    when: datetime | None = None
    if isinstance(at, datetime):
        when = at
    else:
        try:
            when = datetime.fromisoformat(str(at).strip())
        except ValueError:
            errors["interview_at"] = _("Give the interview's date and time.")
    if errors:
        raise _invalid(errors)
    assert when is not None
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    with transaction.atomic():
        locked = _move(actor, placement, S.INTERVIEW, expected_version)
        locked.interview_at = when
        _transition(locked, to=S.INTERVIEW, actor=actor)
        _notify_case(
            locked,
            _("Interview for %(case)s"),
            _("%(company)s invited %(case)s to an interview for “%(offer)s”."),
        )
    return locked


def placement_hire(
    *, actor: User, placement: Placement, start: Any, note: str = "", expected_version: int | None = None
) -> Placement:
    """Hired: a place of the offer is taken (refused when none is left), retention checks are scheduled and
    the person's plan goal, where one is linked, moves to in progress."""
    errors: dict[str, Any] = {}
    start_on = _date(start, errors, "hired_on") if start else None
    if start_on is None:
        errors.setdefault("hired_on", _("Give the start date."))
    if errors:
        raise _invalid(errors)
    assert start_on is not None
    with transaction.atomic():
        locked = _move(actor, placement, S.HIRED, expected_version)
        offer = Offer.objects.select_for_update().get(pk=locked.offer_id)
        if offer.filled >= offer.places:
            raise Conflict(_("Every place of this offer is filled."), code="offer_filled")
        offer.filled += 1
        if offer.filled >= offer.places:
            offer.status = OfferStatus.FILLED
        offer.save(update_fields=["filled", "status", "updated_at"])
        locked.hired_on = start_on
        _transition(locked, to=S.HIRED, actor=actor, note=note)
        for months in settings.AWDA_RETENTION_MONTHS:
            RetentionCheck.objects.create(
                placement=locked, months=months, due_on=add_months(start_on, months)
            )
        if locked.plan_goal_id is not None:
            PlanGoal.objects.filter(pk=locked.plan_goal_id, status=GoalStatus.NOT_STARTED).update(
                status=GoalStatus.IN_PROGRESS, updated_at=timezone.now()
            )
        _notify_case(locked, _("%(case)s was hired"), _("%(company)s hired %(case)s for “%(offer)s”."))
    return locked


def placement_not_hire(
    *, actor: User, placement: Placement, note: str, expected_version: int | None = None
) -> Placement:
    if not note.strip():
        raise _invalid({"note": _("Say why, so that the case worker can help the person further.")})
    with transaction.atomic():
        locked = _move(actor, placement, S.NOT_HIRED, expected_version)
        _transition(locked, to=S.NOT_HIRED, actor=actor, note=note)
        _notify_case(
            locked, _("%(case)s was not hired"), _("%(company)s did not hire %(case)s for “%(offer)s”.")
        )
    return locked


def placement_withdraw(
    *, actor: User, placement: Placement, note: str, expected_version: int | None = None
) -> Placement:
    if not note.strip():
        raise _invalid({"note": _("Say why the placement is withdrawn.")})
    with transaction.atomic():
        locked = _move(actor, placement, S.WITHDRAWN, expected_version)
        _transition(locked, to=S.WITHDRAWN, actor=actor, note=note)
    return locked


def retention_record(*, actor: User, check: RetentionCheck, result: str, note: str = "") -> RetentionCheck:
    """Is the person still in the job? Recorded by their case worker or the employment office."""
    placement = check.placement
    if not (access.case_side(actor, placement) or access.employment_staff(actor)):
        raise NotFound(_("Not found."))
    if result not in RetentionResult.values:
        raise _invalid({"result": _("Choose the result of the check.")})
    with transaction.atomic():
        locked = RetentionCheck.objects.select_for_update().get(pk=check.pk)
        if locked.result:
            raise Conflict(_("This check was already recorded."), code="already_recorded")
        locked.result = result
        locked.note = note[:500]
        locked.checked_on = timezone.localdate()
        locked.checked_by = actor
        locked.save()
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=placement, fields=["retention"])
        registry_actions.case_event(
            placement.returnee,
            actor,
            CaseEventKind.PLACEMENT,
            {"placement": str(placement.uuid), "retention": locked.months, "result": result},
        )
    return locked
