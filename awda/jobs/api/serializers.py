"""Outputs of the job market's API, shared by several operations; every field listed by name.

What a caller sees of a person is decided in ``views`` (``PlacementSight``) and only rendered here: a
company sees a candidate's anonymous profile, and a person's name and phones only once the placement
was shared with it under a consent in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

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
from awda.jobs.models import Commitment, Employer, Offer, Placement
from awda.jobs.workflows import Side
from awda.registry.queries import AGE_GROUPS


def choices(enum: type[models.Choices]) -> str:
    """The stored values of a choice set, for a field's help text (the schema's enums are not repeated)."""
    return ", ".join(str(v) for v in enum.values)


def age_group(born: date | None, today: date) -> str | None:
    """The registry's age group of a birth date ("25-39"), or None when unknown."""
    if born is None:
        return None
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    for group, (low, high) in AGE_GROUPS.items():
        if age >= low and (high is None or age <= high):
            return group
    return None


# --------------------------------------------------------------------------------------------------
# References
# --------------------------------------------------------------------------------------------------


class NamedCodeSerializer(serializers.Serializer):
    """An entry of a vocabulary (occupation, skill, sector) by its code, named in each language."""

    code = serializers.CharField()
    name_ar = serializers.CharField()
    name_ckb = serializers.CharField()
    name_en = serializers.CharField()

    class Meta:
        ref_name = "JobNamedCode"


class EmployerRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField(help_text="In the reader's language")
    name_ar = serializers.CharField(source="institution.name_ar")
    name_ckb = serializers.CharField(source="institution.name_ckb")
    name_en = serializers.CharField(source="institution.name_en")

    class Meta:
        ref_name = "JobEmployerRef"


class ExplanationLineSerializer(serializers.Serializer):
    part = serializers.CharField(help_text="occupation, skills, education, place, languages or priority")
    label = serializers.CharField(help_text="The part in the reader's language")  # type: ignore[assignment]
    points = serializers.FloatField(help_text="What the part adds to the score, out of 100")
    text = serializers.CharField(help_text="Why, in the reader's language")

    class Meta:
        ref_name = "JobMatchExplanationLine"


class PlacementRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    status = serializers.CharField(help_text=choices(PlacementStatus))

    class Meta:
        ref_name = "JobPlacementRef"


# --------------------------------------------------------------------------------------------------
# Employers and commitments
# --------------------------------------------------------------------------------------------------


class EmployerSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    name = serializers.CharField(help_text="In the reader's language")
    name_ar = serializers.CharField(source="institution.name_ar")
    name_ckb = serializers.CharField(source="institution.name_ckb")
    name_en = serializers.CharField(source="institution.name_en")
    sector = NamedCodeSerializer(help_text="ISIC Rev.4 section")
    size = serializers.CharField(help_text=choices(CompanySize))
    registration_number = serializers.CharField()
    governorates = serializers.SerializerMethodField(help_text="P-codes of the governorates where it works")
    address = serializers.CharField()
    website = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField()
    contact_email = serializers.CharField()
    platform_member = serializers.BooleanField()
    platform_joined_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text=choices(EmployerStatus))
    reviewed_at = serializers.DateTimeField(allow_null=True)
    review_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "JobEmployer"

    def get_governorates(self, employer: Employer) -> list[str]:
        return sorted(g.pcode for g in employer.governorates.all())


class CommitmentSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    kind = serializers.CharField(help_text=choices(CommitmentKind))
    quantity = serializers.IntegerField()
    description = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    fulfilled = serializers.SerializerMethodField(
        help_text="Hires through the company's offers linked to it, plus what was fulfilled outside Awda"
    )
    fulfilled_by_hand = serializers.IntegerField(help_text="Fulfilled outside Awda's placements")
    created_at = serializers.DateTimeField()

    class Meta:
        ref_name = "JobCommitment"

    def get_fulfilled(self, commitment: Commitment) -> int:
        fulfilment: dict[int, int] = self.context.get("fulfilment", {})
        return fulfilment.get(commitment.pk, commitment.fulfilled_by_hand)


# --------------------------------------------------------------------------------------------------
# Offers
# --------------------------------------------------------------------------------------------------


class OfferSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    employer = EmployerRefSerializer()
    kind = serializers.CharField(help_text=choices(OfferKind))
    title = serializers.CharField()
    description = serializers.CharField()
    occupation = NamedCodeSerializer(help_text="ISCO-08 unit group")
    skills = NamedCodeSerializer(many=True, help_text="Skills asked, from the shared vocabulary")
    education_min = serializers.IntegerField(allow_null=True, help_text="Minimum ISCED level")
    languages = serializers.ListField(child=serializers.CharField(), help_text="Language codes asked")
    governorate = serializers.CharField(source="governorate_id", help_text="P-code")
    district = serializers.CharField(source="district_id", allow_null=True, help_text="P-code")
    settlement = serializers.CharField(help_text="urban or rural")
    remote = serializers.BooleanField()
    working_time = serializers.CharField(help_text=choices(WorkingTime))
    conditions = serializers.CharField()
    places = serializers.IntegerField()
    filled = serializers.IntegerField()
    places_left = serializers.IntegerField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField(allow_null=True)
    status = serializers.CharField(help_text=choices(OfferStatus))
    priority_categories = serializers.SerializerMethodField(help_text="Codes of the groups given priority")
    commitment = serializers.UUIDField(
        source="commitment.uuid", default=None, allow_null=True, help_text="The commitment it fulfils"
    )
    version = serializers.IntegerField(help_text="Send it back with a change")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    class Meta:
        ref_name = "JobOffer"

    def get_priority_categories(self, offer: Offer) -> list[str]:
        return sorted(c.code for c in offer.priority_categories.all())


OFFER_PREFETCH = ("skills", "priority_categories", "employer__institution", "commitment", "occupation")


class RankedOfferSerializer(serializers.Serializer):
    rank = serializers.IntegerField(help_text="1 for the best")
    score = serializers.FloatField(help_text="Between 0 and 1")
    explanation = ExplanationLineSerializer(many=True)
    offer = OfferSerializer()
    placement = PlacementRefSerializer(
        allow_null=True, help_text="The person's placement for this offer that is not over, if any"
    )

    class Meta:
        ref_name = "JobRankedOffer"


# --------------------------------------------------------------------------------------------------
# Candidates (anonymous) and the person's job profile
# --------------------------------------------------------------------------------------------------


class ExperienceSerializer(NamedCodeSerializer):
    years = serializers.IntegerField(help_text="Years of experience")

    class Meta:
        ref_name = "JobExperience"


class CandidateSerializer(serializers.Serializer):
    """A person as a company sees them before they agreed: no name, no identifier of their record."""

    key = serializers.CharField(help_text="Names the candidate for this offer only; send it to ask for them")
    label = serializers.CharField(help_text="A short form of the key, for people")  # type: ignore[assignment]
    rank = serializers.IntegerField()
    score = serializers.FloatField(help_text="Between 0 and 1")
    explanation = ExplanationLineSerializer(many=True)
    occupations = ExperienceSerializer(many=True, help_text="ISCO-08 occupations practised")
    skills = serializers.ListField(child=serializers.CharField(), help_text="Skill codes")
    education = serializers.IntegerField(allow_null=True, help_text="ISCED level, empty when unknown")
    languages = serializers.ListField(child=serializers.CharField(), help_text="Language codes spoken")
    governorate = serializers.CharField(help_text="P-code of where the person lives")
    age_group = serializers.CharField(allow_null=True, help_text=", ".join(AGE_GROUPS))
    placement = PlacementRefSerializer(allow_null=True, help_text="Already asked for or proposed")

    class Meta:
        ref_name = "JobCandidate"


class RegistryExperienceSerializer(ExperienceSerializer):
    acquired_abroad = serializers.BooleanField()

    class Meta:
        ref_name = "JobRegistryExperience"


class JobProfileSerializer(serializers.Serializer):
    returnee = serializers.UUIDField()
    seeking = serializers.BooleanField(help_text="Looking for work or training")
    languages = serializers.ListField(child=serializers.CharField(), help_text="Language codes spoken")
    skills = NamedCodeSerializer(many=True)
    mobility = serializers.CharField(help_text=choices(Mobility))
    available_from = serializers.DateField(allow_null=True)
    updated_at = serializers.DateTimeField(allow_null=True, help_text="Empty when no profile was saved yet")
    occupations = RegistryExperienceSerializer(many=True, help_text="From the registry (read-only here)")
    education_level = serializers.IntegerField(
        allow_null=True, help_text="From the registry (read-only here)"
    )

    class Meta:
        ref_name = "JobProfile"


# --------------------------------------------------------------------------------------------------
# Placements
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlacementSight:
    """What one caller sees of one placement: on which sides they stand, and whether the person is shown."""

    placement: Placement
    case: bool  # speaks for the person (their case worker's scope)
    employer: bool  # acts for the company (its users, employment staff)
    disclosed: bool  # the company may see the person now (shared, with a consent in force)
    key: str
    label: str
    steps: tuple[str, ...] = ()  # the steps the caller may take now (detail only)

    @property
    def sides(self) -> list[Side]:
        out: list[Side] = []
        if self.case:
            out.append("case")
        if self.employer:
            out.append("employer")
        return out

    @property
    def person_shown(self) -> bool:
        return self.case or self.disclosed

    @property
    def notes_shown(self) -> bool:
        # Notes are written by the case side and may speak of the person: the other side reads them
        # only once the person agreed to be known to the company.
        return self.case or self.disclosed


class OfferRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    title = serializers.CharField()
    kind = serializers.CharField(help_text=choices(OfferKind))
    status = serializers.CharField(help_text=choices(OfferStatus))
    employer = EmployerRefSerializer()

    class Meta:
        ref_name = "JobOfferRef"


class CandidateRefSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]

    class Meta:
        ref_name = "JobCandidateRef"


class CaseRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    case_number = serializers.CharField()

    class Meta:
        ref_name = "JobCaseRef"


class PersonSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="As written, in Arabic script")
    name_latin = serializers.CharField()
    phones = serializers.ListField(child=serializers.CharField(), help_text="E.164")

    class Meta:
        ref_name = "JobPerson"


PERSON_HELP = (
    "The person's name and phones: for their case worker; for the company (and the employment office "
    "acting for it) only while `disclosed` is true. Empty otherwise."
)


class PlacementListItemSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="placement.uuid")
    status = serializers.CharField(source="placement.status", help_text=choices(PlacementStatus))
    version = serializers.IntegerField(
        source="placement.version", help_text="Send it back with the next step"
    )
    offer = OfferRefSerializer(source="placement.offer")
    candidate = serializers.SerializerMethodField()
    case = serializers.SerializerMethodField(help_text="The person's case: for their case worker only")
    person = serializers.SerializerMethodField(help_text=PERSON_HELP)
    disclosed = serializers.BooleanField(help_text="The company may see who the person is now")
    sides = serializers.ListField(child=serializers.CharField(), help_text="case, employer, or both")
    requested_by_employer = serializers.BooleanField(source="placement.requested_by_employer")
    score = serializers.FloatField(source="placement.score", allow_null=True)
    interview_at = serializers.DateTimeField(source="placement.interview_at", allow_null=True)
    hired_on = serializers.DateField(source="placement.hired_on", allow_null=True)
    created_at = serializers.DateTimeField(source="placement.created_at")
    updated_at = serializers.DateTimeField(source="placement.updated_at")

    class Meta:
        ref_name = "JobPlacementListItem"

    @extend_schema_field(CandidateRefSerializer)
    def get_candidate(self, sight: PlacementSight) -> dict[str, str]:
        return {"key": sight.key, "label": sight.label}

    @extend_schema_field(CaseRefSerializer(allow_null=True))
    def get_case(self, sight: PlacementSight) -> dict[str, str] | None:
        if not sight.case:
            return None
        returnee = sight.placement.returnee
        return {"uuid": str(returnee.uuid), "case_number": returnee.case_number}

    @extend_schema_field(PersonSerializer(allow_null=True))
    def get_person(self, sight: PlacementSight) -> dict[str, Any] | None:
        if not sight.person_shown:
            return None
        returnee = sight.placement.returnee
        return {
            "name": returnee.full_name,
            "name_latin": returnee.full_name_latin,
            "phones": [p.number for p in returnee.phones.all()],
        }


class TransitionSerializer(serializers.Serializer):
    from_status = serializers.CharField(help_text="Empty for the placement's creation")
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True, help_text="User name")
    note = serializers.CharField()

    class Meta:
        ref_name = "JobPlacementTransition"


class RetentionCheckSerializer(serializers.Serializer):
    months = serializers.IntegerField(help_text="Months after starting")
    due_on = serializers.DateField()
    result = serializers.CharField(help_text=f"Empty until recorded; then {choices(RetentionResult)}")
    checked_on = serializers.DateField(allow_null=True)
    note = serializers.CharField()

    class Meta:
        ref_name = "JobRetentionCheck"


class PlacementSerializer(PlacementListItemSerializer):
    note = serializers.SerializerMethodField(help_text="The note it was proposed or asked for with")
    referral = serializers.SerializerMethodField(help_text="UUID of the linked referral (case side only)")
    plan_goal = serializers.SerializerMethodField(help_text="Id of the linked plan goal (case side only)")
    allowed_steps = serializers.ListField(
        source="steps",
        child=serializers.CharField(),
        help_text="agree, share, interview, hire, not-hired, withdraw, retention: the steps you may take now",
    )
    transitions = serializers.SerializerMethodField()
    retention_checks = serializers.SerializerMethodField()

    class Meta:
        ref_name = "JobPlacement"

    def get_note(self, sight: PlacementSight) -> str:
        return sight.placement.note if sight.notes_shown else ""

    @extend_schema_field(serializers.UUIDField(allow_null=True))
    def get_referral(self, sight: PlacementSight) -> str | None:
        referral = sight.placement.referral
        return str(referral.uuid) if sight.case and referral is not None else None

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_plan_goal(self, sight: PlacementSight) -> int | None:
        return sight.placement.plan_goal_id if sight.case else None

    @extend_schema_field(TransitionSerializer(many=True))
    def get_transitions(self, sight: PlacementSight) -> list[dict[str, Any]]:
        rows = sight.placement.transitions.select_related("actor").order_by("at", "id")
        return [
            {
                "from_status": t.from_status,
                "to_status": t.to_status,
                "at": serializers.DateTimeField().to_representation(t.at),
                "actor": t.actor.username if t.actor is not None else None,
                "note": t.note if sight.notes_shown else "",
            }
            for t in rows
        ]

    @extend_schema_field(RetentionCheckSerializer(many=True))
    def get_retention_checks(self, sight: PlacementSight) -> list[dict[str, Any]]:
        rows = sight.placement.retention_checks.order_by("months")
        data = RetentionCheckSerializer(rows, many=True).data
        return [{**row, "note": row["note"] if sight.notes_shown else ""} for row in data]
