"""API of the job market: one class per operation over the jobs' domain layer.

Every write is an action of ``awda.jobs.actions``; offers and placements are reached through
``awda.jobs.access`` and people through ``awda.registry.access`` (absent and out of reach are both 404;
a role that has no part in the job market at all gets 403). A company sees its candidates anonymously:
a key per offer and person, never a name or an identifier of the record; a person's name and phones
reach it only once the placement was shared with it under a consent in force (``access.employer_may_see``).
A placement's steps carry the ``version`` the caller read: when someone changed the placement since, the
answer is 409 and nothing changes. A refused write leaves no trace: the read of the record it needed is
rolled back with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import django_filters
from django.db import transaction
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.core import audit
from awda.core.api.pagination import CappedPagination, StandardPagination
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditAction
from awda.jobs import access, actions, explain, queries, workflows
from awda.jobs.api.serializers import (
    OFFER_PREFETCH,
    CandidateSerializer,
    CommitmentSerializer,
    EmployerSerializer,
    JobProfileSerializer,
    OfferSerializer,
    PlacementListItemSerializer,
    PlacementSerializer,
    PlacementSight,
    RankedOfferSerializer,
    age_group,
    choices,
)
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
from awda.referrals.access import access_referral_by_id
from awda.referrals.models import PlanGoal
from awda.registry.access import access_returnee_by_uuid
from awda.registry.enums import ConsentMethod
from awda.registry.models import Occupation, Returnee, Skill
from awda.registry.queries import returnees_editable_by

S = PlacementStatus

# The step (as named in the URLs) that moves a placement to a status.
STEP_TO: dict[str, str] = {
    S.AGREED: "agree",
    S.DECLINED: "agree",
    S.SHARED: "share",
    S.INTERVIEW: "interview",
    S.HIRED: "hire",
    S.NOT_HIRED: "not-hired",
    S.WITHDRAWN: "withdraw",
}
# A placement in these statuses is over; the same person may be proposed for the offer again.
OVER = (S.DECLINED, S.NOT_HIRED, S.WITHDRAWN)
# What a company's view of a candidate is read from, for the audit log.
CANDIDATE_PARTS = ("education_work", "place")
PERSON_PARTS = ("identity", "contact")

NOTE: dict[str, Any] = {"required": False, "allow_blank": True, "default": "", "max_length": 500}


def _valid(
    serializer_class: type[serializers.Serializer], data: Any, *, partial: bool = False
) -> dict[str, Any]:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _field_error(name: str, message: Any) -> AwdaError:
    return AwdaError(_("Please correct the fields below."), code="invalid", fields={name: [message]})


def _market_user(request: Request) -> User:
    """Employment staff, case workers and companies take part in the job market; other roles do not."""
    user = signed_in_user(request)
    if not (access.can_match(user) or access.employer_of(user) is not None):
        raise PermissionDenied(_("You are not allowed to do this."))
    return user


def _matcher(request: Request) -> User:
    """Case workers and employment staff: they see people's matches and speak for them."""
    user = signed_in_user(request)
    if not access.can_match(user):
        raise PermissionDenied(_("You are not allowed to do this."))
    return user


def _require_offer_side(user: User, offer: Offer) -> None:
    """Candidates of an offer are for its company (approved) and the employment office only."""
    if access.employment_staff(user):
        return
    own = access.employer_of(user)
    if own is None or own.pk != offer.employer_id:
        raise PermissionDenied(
            _("Only the company of this offer and the employment office see its candidates.")
        )
    if own.status != EmployerStatus.APPROVED:
        raise PermissionDenied(_("Your company is waiting for the employment office's review."))


class _LimitInput(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=200, default=50)


# --------------------------------------------------------------------------------------------------
# Employers
# --------------------------------------------------------------------------------------------------


def employers_visible_to(user: User) -> QuerySet[Employer]:
    """The companies a user may see: every one for employment staff, its own for a company's user, the
    approved ones for case workers (the same rule as ``access.access_employer_by_id``)."""
    base = Employer.objects.select_related("institution", "sector").prefetch_related("governorates")
    if access.employment_staff(user):
        return base
    own = access.employer_of(user)
    if own is not None:
        return base.filter(pk=own.pk)
    if access.can_match(user):
        return base.filter(status=EmployerStatus.APPROVED)
    return base.none()


def employer_body(user: User, employer_uuid: Any) -> dict[str, Any]:
    employer = access.access_employer_by_id(user, employer_uuid)
    prefetch_related_objects([employer], "governorates")
    return dict(EmployerSerializer(employer).data)


def _employer_data(employer: Employer) -> dict[str, Any]:
    """The company as ``actions.employer_update`` takes it, for a change of some fields only."""
    institution = employer.institution
    return {
        "name_ar": institution.name_ar,
        "name_ckb": institution.name_ckb,
        "name_en": institution.name_en,
        "sector": employer.sector_id,
        "size": employer.size,
        "governorates": [g.pcode for g in employer.governorates.all()],
        "registration_number": employer.registration_number,
        "address": employer.address,
        "website": employer.website,
        "contact_name": employer.contact_name,
        "contact_phone": employer.contact_phone,
        "contact_email": employer.contact_email,
        "platform_member": employer.platform_member,
    }


class EmployerInput(serializers.Serializer):
    """Names, sector, size, governorates and contacts are checked by the action, so that the page and the
    API say the same."""

    name_ar = serializers.CharField(required=False, allow_blank=True, help_text="At least one of the names")
    name_ckb = serializers.CharField(required=False, allow_blank=True)
    name_en = serializers.CharField(required=False, allow_blank=True)
    sector = serializers.CharField(required=False, allow_blank=True, help_text="ISIC Rev.4 section, A to U")
    size = serializers.CharField(required=False, allow_blank=True, help_text=choices(CompanySize))
    governorates = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="P-codes of the governorates where it works"
    )
    contact_name = serializers.CharField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True)
    contact_email = serializers.CharField(required=False, allow_blank=True, max_length=254)
    registration_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    address = serializers.CharField(required=False, allow_blank=True, max_length=255)
    # 200 in the database, with room for the "https://" the action adds to a bare address.
    website = serializers.CharField(required=False, allow_blank=True, max_length=190)
    platform_member = serializers.BooleanField(
        required=False, help_text="Joins the multi-stakeholder platform"
    )

    class Meta:
        ref_name = "JobEmployerInput"


class EmployerFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=EmployerStatus.choices)
    sector = django_filters.CharFilter(field_name="sector_id", label="ISIC Rev.4 section")
    governorate = django_filters.CharFilter(field_name="governorates__pcode", label="P-code of a governorate")
    platform_member = django_filters.BooleanFilter()

    class Meta:
        model = Employer
        fields = ["status", "sector", "governorate", "platform_member"]


class EmployerListApi(generics.ListAPIView[Employer]):
    """GET: the companies you may see. POST: the employment office records a company (approved at once)."""

    serializer_class = EmployerSerializer
    pagination_class = StandardPagination
    filterset_class = EmployerFilter
    queryset = Employer.objects.none()
    ordering_fields = ["created_at"]
    ordering = ["institution__name_en", "id"]

    def get_queryset(self) -> QuerySet[Employer]:
        return employers_visible_to(_market_user(self.request))

    @extend_schema(
        operation_id="employers_list",
        summary="Companies: all for the employment office, your own for a company, approved ones for case workers",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=EmployerInput,
        responses={201: EmployerSerializer},
        operation_id="employers_create",
        summary="Record a company (the employment office); it is approved at once",
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        if not access.employment_staff(user):
            raise PermissionDenied(_("Only the employment office can do this."))
        data = _valid(EmployerInput, request.data)
        employer = actions.employer_create(actor=user, data=data)
        return Response(employer_body(user, employer.uuid), status=status.HTTP_201_CREATED)


class RegistrationThrottle(AnonRateThrottle):
    """Self-registration creates an account: a few per hour and address are plenty for honest use."""

    scope = "employer_register"
    rate = "10/hour"


class EmployerRegisterApi(APIView):
    # Open to anyone on purpose: a company signs up without an account (reviewed by the employment office).
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [RegistrationThrottle]

    class InputSerializer(EmployerInput):
        username = serializers.CharField(required=False, allow_blank=True, max_length=150)
        password = serializers.CharField(
            required=False, allow_blank=True, write_only=True, style={"input_type": "password"}
        )
        language = serializers.ChoiceField(choices=["ar", "ckb", "en"], required=False)

        class Meta:
            ref_name = "JobEmployerRegisterInput"

    @extend_schema(
        request=InputSerializer,
        responses={201: EmployerSerializer},
        operation_id="employers_register",
        summary="A company registers itself and its first user (no sign-in); it waits for review",
        auth=[],
    )
    def post(self, request: Request) -> Response:
        data = _valid(self.InputSerializer, request.data)
        employer, _user = actions.employer_register(data=data)
        prefetch_related_objects([employer], "governorates")
        return Response(EmployerSerializer(employer).data, status=status.HTTP_201_CREATED)


class EmployerDetailApi(APIView):
    @extend_schema(responses=EmployerSerializer, operation_id="employers_retrieve", summary="One company")
    def get(self, request: Request, employer_uuid: Any) -> Response:
        return Response(employer_body(_market_user(request), employer_uuid))

    @extend_schema(
        request=EmployerInput,
        responses=EmployerSerializer,
        operation_id="employers_partial_update",
        summary="Change a company's profile (its own users or the employment office); only the fields sent",
    )
    def patch(self, request: Request, employer_uuid: Any) -> Response:
        user = _market_user(request)
        employer = access.access_employer_by_id(user, employer_uuid)
        changes = _valid(EmployerInput, request.data, partial=True)
        actions.employer_update(actor=user, employer=employer, data={**_employer_data(employer), **changes})
        return Response(employer_body(user, employer_uuid))


class EmployerReviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        decision = serializers.CharField(
            help_text="approved, rejected or suspended (checked by the action, as on the page)"
        )
        note = serializers.CharField(**NOTE, help_text="Why, for the company (needed unless approved)")

        class Meta:
            ref_name = "JobEmployerReviewInput"

    @extend_schema(
        request=InputSerializer,
        responses=EmployerSerializer,
        operation_id="employers_review",
        summary="Approve, reject or suspend a company (the employment office); rejecting closes its offers",
    )
    def post(self, request: Request, employer_uuid: Any) -> Response:
        user = _market_user(request)
        employer = access.access_employer_by_id(user, employer_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.employer_review(actor=user, employer=employer, decision=data["decision"], note=data["note"])
        return Response(employer_body(user, employer_uuid))


def _commitment_body(commitment: Commitment) -> dict[str, Any]:
    fulfilment = queries.commitment_fulfilment(commitment.employer_id)
    return dict(CommitmentSerializer(commitment, context={"fulfilment": fulfilment}).data)


class CommitmentListApi(APIView):
    pagination_class = StandardPagination

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(help_text=choices(CommitmentKind))
        quantity = serializers.IntegerField(required=False, help_text="At least 1")
        description = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
        due_on = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "JobCommitmentInput"

    @extend_schema(
        responses=CommitmentSerializer(many=True),
        operation_id="employers_commitments_list",
        summary="A company's commitments to the platform, with how much of each is fulfilled",
    )
    def get(self, request: Request, employer_uuid: Any) -> Response:
        employer = access.access_employer_by_id(_market_user(request), employer_uuid)
        fulfilment = queries.commitment_fulfilment(employer.pk)
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(employer.commitments.order_by("due_on", "id"), request, view=self)
        data = CommitmentSerializer(rows, many=True, context={"fulfilment": fulfilment}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=InputSerializer,
        responses={201: CommitmentSerializer},
        operation_id="employers_commitments_create",
        summary="Record a commitment (the company itself or the employment office)",
    )
    def post(self, request: Request, employer_uuid: Any) -> Response:
        user = _market_user(request)
        employer = access.access_employer_by_id(user, employer_uuid)
        data = _valid(self.InputSerializer, request.data)
        commitment = actions.commitment_add(actor=user, employer=employer, data=data)
        return Response(_commitment_body(commitment), status=status.HTTP_201_CREATED)


class CommitmentDetailApi(APIView):
    class InputSerializer(serializers.Serializer):
        fulfilled_by_hand = serializers.IntegerField(
            help_text="Fulfilled outside Awda's placements, 0 or more"
        )

        class Meta:
            ref_name = "JobCommitmentRecordInput"

    @extend_schema(
        request=InputSerializer,
        responses=CommitmentSerializer,
        operation_id="employers_commitments_partial_update",
        summary="Record what was fulfilled outside Awda (mentoring given, goods delivered…)",
    )
    def patch(self, request: Request, employer_uuid: Any, commitment_uuid: Any) -> Response:
        user = _market_user(request)
        employer = access.access_employer_by_id(user, employer_uuid)
        commitment = employer.commitments.filter(uuid=commitment_uuid).first()
        if commitment is None:
            raise NotFound(_("Not found."))
        data = _valid(self.InputSerializer, request.data)
        commitment = actions.commitment_record(
            actor=user, commitment=commitment, fulfilled_by_hand=data["fulfilled_by_hand"]
        )
        return Response(_commitment_body(commitment))


# --------------------------------------------------------------------------------------------------
# Offers
# --------------------------------------------------------------------------------------------------


def offer_body(user: User, offer_uuid: Any) -> dict[str, Any]:
    offer = access.access_offer_by_id(user, offer_uuid)
    prefetch_related_objects([offer], *OFFER_PREFETCH)
    return dict(OfferSerializer(offer).data)


def _offer_data(offer: Offer) -> dict[str, Any]:
    """The offer as ``actions.offer_update`` takes it, for a change of some fields only."""
    return {
        "kind": offer.kind,
        "title": offer.title,
        "description": offer.description,
        "conditions": offer.conditions,
        "occupation": offer.occupation_id,
        "skills": [s.code for s in offer.skills.all()],
        "education_min": offer.education_min,
        "languages": list(offer.languages or []),
        "governorate": offer.governorate_id,
        "district": offer.district_id,
        "settlement": offer.settlement,
        "remote": offer.remote,
        "working_time": offer.working_time,
        "places": offer.places,
        "opens_on": offer.opens_on,
        "closes_on": offer.closes_on,
        "priority_categories": [c.code for c in offer.priority_categories.all()],
        "commitment": offer.commitment.uuid if offer.commitment is not None else None,
    }


class OfferInput(serializers.Serializer):
    """Kinds, codes, titles and dates are checked by the action, so that the page and the API say the same;
    every problem is reported at once and nothing is written."""

    kind = serializers.CharField(required=False, allow_blank=True, help_text=choices(OfferKind))
    title = serializers.CharField(required=False, allow_blank=True, help_text="In any language, up to 200")
    description = serializers.CharField(required=False, allow_blank=True)
    conditions = serializers.CharField(required=False, allow_blank=True, help_text="Pay and conditions")
    occupation = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="An ISCO-08 unit group code (7212), or its title in Arabic, Kurdish or English",
    )
    skills = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Skills of the shared vocabulary, by code or by name in Arabic, Kurdish or English",
    )
    education_min = serializers.IntegerField(required=False, allow_null=True, help_text="ISCED level, 0 to 8")
    languages = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Language codes"
    )
    governorate = serializers.CharField(required=False, allow_blank=True, help_text="P-code")
    district = serializers.CharField(required=False, allow_blank=True, allow_null=True, help_text="P-code")
    settlement = serializers.CharField(required=False, allow_blank=True, help_text="urban or rural")
    remote = serializers.BooleanField(required=False)
    working_time = serializers.CharField(required=False, allow_blank=True, help_text=choices(WorkingTime))
    places = serializers.IntegerField(required=False, help_text="1 when left out")
    opens_on = serializers.DateField(required=False, allow_null=True, help_text="Today when left out")
    closes_on = serializers.DateField(required=False, allow_null=True)
    priority_categories = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Codes of the groups given priority"
    )
    commitment = serializers.UUIDField(
        required=False,
        allow_null=True,
        help_text="One of the company's commitments, which its hires count to",
    )

    class Meta:
        ref_name = "JobOfferInput"


class OfferFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=OfferStatus.choices)
    kind = django_filters.ChoiceFilter(choices=OfferKind.choices)
    governorate = django_filters.CharFilter(field_name="governorate_id", label="P-code of a governorate")
    occupation = django_filters.CharFilter(
        field_name="occupation__code",
        lookup_expr="startswith",
        label="ISCO-08 code or its beginning (72: metal trades)",
    )
    employer = django_filters.UUIDFilter(field_name="employer__uuid", label="UUID of a company")

    class Meta:
        model = Offer
        fields = ["status", "kind", "governorate", "occupation", "employer"]


class OfferListApi(generics.ListAPIView[Offer]):
    """GET: the offers you may see. POST: a company (or the employment office for it) posts an offer."""

    serializer_class = OfferSerializer
    pagination_class = StandardPagination
    filterset_class = OfferFilter
    queryset = Offer.objects.none()
    ordering_fields = ["opens_on", "closes_on", "created_at"]
    ordering = ["-opens_on", "-id"]

    class InputSerializer(OfferInput):
        employer = serializers.UUIDField(
            required=False, help_text="The company (employment office); a company's user posts for its own"
        )
        publish = serializers.BooleanField(default=False, help_text="Open at once; a draft otherwise")

        class Meta:
            ref_name = "JobOfferCreateInput"

    def get_queryset(self) -> QuerySet[Offer]:
        return access.offers_visible_to(_market_user(self.request)).prefetch_related(*OFFER_PREFETCH)

    @extend_schema(
        operation_id="offers_list",
        summary="Offers: all for the employment office, your own for a company, open ones for case workers",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InputSerializer,
        responses={201: OfferSerializer},
        operation_id="offers_create",
        summary="Post an offer, as a draft or published at once; all fields checked together, nothing written on error",
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        own = access.employer_of(user)
        if not access.employment_staff(user) and own is None:
            raise PermissionDenied(_("You are not allowed to do this."))
        data = _valid(self.InputSerializer, request.data)
        employer_uuid, publish = data.pop("employer", None), data.pop("publish")
        if employer_uuid is not None:
            try:
                employer = access.access_employer_by_id(user, employer_uuid)
            except NotFound as error:
                raise _field_error("employer", _("Not found.")) from error
        elif own is not None:
            employer = own
        else:
            raise _field_error("employer", _("Choose the company the offer is for."))
        offer = actions.offer_create(actor=user, employer=employer, data=data, publish=publish)
        return Response(offer_body(user, offer.uuid), status=status.HTTP_201_CREATED)


class OfferDetailApi(APIView):
    class InputSerializer(OfferInput):
        version = serializers.IntegerField(min_value=1, help_text="The version you read")

        class Meta:
            ref_name = "JobOfferUpdateInput"

    @extend_schema(responses=OfferSerializer, operation_id="offers_retrieve", summary="One offer")
    def get(self, request: Request, offer_uuid: Any) -> Response:
        return Response(offer_body(_market_user(request), offer_uuid))

    @extend_schema(
        request=InputSerializer,
        responses={200: OfferSerializer, 409: None},
        operation_id="offers_partial_update",
        summary="Change an offer (only the fields sent); send the version you read, a newer one answers 409",
    )
    def patch(self, request: Request, offer_uuid: Any) -> Response:
        user = _market_user(request)
        offer = access.access_offer_by_id(user, offer_uuid, for_edit=True)
        changes = _valid(self.InputSerializer, request.data, partial=True)
        if "version" not in changes:
            raise _field_error("version", _("Send the version of the record you are changing."))
        version = changes.pop("version")
        actions.offer_update(
            actor=user, offer=offer, data={**_offer_data(offer), **changes}, expected_version=version
        )
        return Response(offer_body(user, offer_uuid))


class OfferStatusApi(APIView):
    class InputSerializer(serializers.Serializer):
        status = serializers.CharField(help_text="open (publish or reopen) or closed")
        version = serializers.IntegerField(
            min_value=1, required=False, help_text="The version you read; 409 when the offer changed since"
        )

        class Meta:
            ref_name = "JobOfferStatusInput"

        def validate_status(self, value: str) -> str:
            if value not in OfferStatus.values:
                raise serializers.ValidationError(_("Choose open or closed."))
            return value

    @extend_schema(
        request=InputSerializer,
        responses=OfferSerializer,
        operation_id="offers_status",
        summary="Publish a draft, close an offer, or reopen a closed one with places left",
    )
    def post(self, request: Request, offer_uuid: Any) -> Response:
        user = _market_user(request)
        offer = access.access_offer_by_id(user, offer_uuid, for_edit=True)
        data = _valid(self.InputSerializer, request.data)
        # The action takes no expected version; the check here keeps the API's promise short of a row lock.
        if data.get("version") is not None and data["version"] != offer.version:
            raise Conflict(_("Someone else changed this offer a moment ago. Look at it again."), code="stale")
        actions.offer_set_status(actor=user, offer=offer, status=data["status"])
        return Response(offer_body(user, offer_uuid))


def candidate_rows(
    offer: Offer, found: list[queries.Candidate], people: dict[int, Returnee]
) -> list[dict[str, Any]]:
    """The anonymous profiles of an offer's candidates: what they did, know and speak, where they live, their
    age group, and why they scored as they did; never a name or an identifier of their record."""
    facts = queries.offer_facts([offer])[offer.pk]
    occupations = Occupation.objects.in_bulk(
        sorted({code for c in found for code, _years in c.facts.occupations})
    )
    asked = {
        p.returnee_id: p
        for p in Placement.objects.filter(offer=offer, returnee_id__in=list(people)).exclude(status__in=OVER)
    }
    today = timezone.localdate()
    rows = []
    for rank, candidate in enumerate(found, start=1):
        person = candidate.facts
        rows.append(
            {
                "key": candidate.key,
                "label": candidate.label,
                "rank": rank,
                "score": candidate.match.score,
                "explanation": explain.explain(candidate.match, facts),
                "occupations": [
                    {
                        "code": code,
                        "name_ar": occupations[code].name_ar if code in occupations else "",
                        "name_ckb": occupations[code].name_ckb if code in occupations else "",
                        "name_en": occupations[code].name_en if code in occupations else "",
                        "years": years,
                    }
                    for code, years in person.occupations
                ],
                "skills": sorted(person.skills),
                "education": person.education,
                "languages": sorted(person.languages),
                "governorate": person.governorate,
                "age_group": age_group(people[candidate.returnee_id].date_of_birth, today),
                "placement": asked.get(candidate.returnee_id),
            }
        )
    return rows


class CandidateListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("limit", int, description="How many of the best (1 to 200, 50 by default)"),
        ],
        responses=CandidateSerializer(many=True),
        operation_id="offers_candidates_list",
        summary="The best candidates for an offer, anonymous, each score explained (the company, the employment office)",
    )
    def get(self, request: Request, offer_uuid: Any) -> Response:
        user = _market_user(request)
        offer = access.access_offer_by_id(user, offer_uuid)
        _require_offer_side(user, offer)
        limit = _valid(_LimitInput, request.query_params)["limit"]
        found = queries.candidates_for_offer(offer, limit=limit)
        people = Returnee.objects.only("pk", "uuid", "date_of_birth").in_bulk([c.returnee_id for c in found])
        rows = candidate_rows(offer, found, people)
        # Anonymous as they are, the profiles come from people's records: each one shown is a read on record.
        audit.record_many(
            actor=user,
            action=AuditAction.READ,
            objects=[(people[c.returnee_id], CANDIDATE_PARTS) for c in found],
        )
        return Response(CandidateSerializer(rows, many=True).data)


class CandidateRequestApi(APIView):
    class InputSerializer(serializers.Serializer):
        candidate = serializers.CharField(max_length=64, help_text="A candidate's key from the offer's list")
        note = serializers.CharField(**NOTE, help_text="For the person's case worker")

        class Meta:
            ref_name = "JobCandidateRequestInput"

    @extend_schema(
        request=InputSerializer,
        responses={201: PlacementSerializer},
        operation_id="offers_candidates_request",
        summary="Ask for a candidate: their case worker asks the person; you learn who they are only if they agree",
    )
    def post(self, request: Request, offer_uuid: Any) -> Response:
        user = _market_user(request)
        offer = access.access_offer_by_id(user, offer_uuid)
        _require_offer_side(user, offer)
        data = _valid(self.InputSerializer, request.data)
        with transaction.atomic():
            placement = actions.placement_request(
                actor=user, offer=offer, candidate=data["candidate"], note=data["note"]
            )
            body = placement_body(user, placement.uuid)
        return Response(body, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------------------------------
# Placements
# --------------------------------------------------------------------------------------------------


def allowed_steps(user: User, sight: PlacementSight) -> tuple[str, ...]:
    """The steps the caller may take now, in the lifecycle table's order."""
    placement = sight.placement
    steps: list[str] = []
    for to in workflows.next_statuses(placement.status, frozenset(sight.sides)):
        step = STEP_TO[to]
        if step not in steps:
            steps.append(step)
    if (
        placement.status == S.HIRED
        and (sight.case or access.employment_staff(user))
        and placement.retention_checks.filter(result="").exists()
    ):
        steps.append("retention")
    return tuple(steps)


def placement_sight(
    user: User, placement: Placement, *, case: bool | None = None, employer: bool | None = None
) -> PlacementSight:
    """Which sides the caller stands on (given when a list has worked them out for a whole page)."""
    key = access.candidate_key(placement.offer, placement.returnee.uuid)
    return PlacementSight(
        placement=placement,
        case=access.case_side(user, placement) if case is None else case,
        employer=access.employer_side(user, placement) if employer is None else employer,
        disclosed=access.employer_may_see(placement),
        key=key,
        label=access.candidate_label(key),
    )


def placement_body(user: User, placement_uuid: Any) -> dict[str, Any]:
    """The placement as the caller may see it, read (and audited) through the access door."""
    placement = access.access_placement_by_id(user, placement_uuid)
    sight = placement_sight(user, placement)
    sight = dataclasses.replace(sight, steps=allowed_steps(user, sight))
    if sight.person_shown:
        prefetch_related_objects([placement], "returnee__phones")
    return dict(PlacementSerializer(sight).data)


class PlacementFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=PlacementStatus.choices)
    offer = django_filters.UUIDFilter(field_name="offer__uuid", label="UUID of an offer")
    returnee = django_filters.UUIDFilter(method="of_returnee", label="UUID of a person of your cases")

    class Meta:
        model = Placement
        fields = ["status", "offer", "returnee"]

    def of_returnee(self, queryset: QuerySet[Placement], name: str, value: Any) -> QuerySet[Placement]:
        # Only the people whose record the caller keeps: a company never learns whose a placement is this way.
        user = getattr(self.request, "user", None)
        editable = returnees_editable_by(user) if isinstance(user, User) else Returnee.objects.none()
        return queryset.filter(returnee__uuid=value, returnee__in=editable)


class PlacementListApi(generics.ListAPIView[Placement]):
    """GET: the placements you follow. POST: a case worker proposes an offer to a person of their cases."""

    serializer_class = PlacementListItemSerializer
    pagination_class = CappedPagination
    filterset_class = PlacementFilter
    queryset = Placement.objects.none()
    ordering_fields = ["created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    class InputSerializer(serializers.Serializer):
        offer = serializers.UUIDField(help_text="An open offer")
        returnee = serializers.UUIDField(help_text="A person of your cases")
        note = serializers.CharField(**NOTE)
        referral = serializers.UUIDField(
            required=False, allow_null=True, default=None, help_text="A referral of this person it answers"
        )
        plan_goal = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            help_text="An economic goal of the person's plan, by id",
        )

        class Meta:
            ref_name = "JobPlacementCreateInput"

    def get_queryset(self) -> QuerySet[Placement]:
        return access.placements_visible_to(_market_user(self.request))

    @extend_schema(
        operation_id="placements_list",
        summary="Placements: of your cases, of your company's offers, or all for the employment office",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        user = signed_in_user(request)
        placements = self.filter_queryset(self.get_queryset())
        rows: list[Placement] = list(self.paginate_queryset(placements) or [])
        ours: set[int] = set()
        if access.can_match(user) and rows:
            ours = set(
                returnees_editable_by(user)
                .filter(pk__in={p.returnee_id for p in rows})
                .values_list("pk", flat=True)
            )
        # The same as access.employer_side, worked out once for the page.
        staff, own = access.employment_staff(user), access.employer_of(user)
        company = own.pk if own is not None and own.status == EmployerStatus.APPROVED else None
        sights = [
            placement_sight(
                user, p, case=p.returnee_id in ours, employer=staff or p.offer.employer_id == company
            )
            for p in rows
        ]
        shown = [s.placement for s in sights if s.person_shown]
        prefetch_related_objects(shown, "returnee__phones")
        # A row that names the person is a read of their record.
        audit.record_many(actor=user, action=AuditAction.READ, objects=[(p, PERSON_PARTS) for p in shown])
        return self.get_paginated_response(PlacementListItemSerializer(sights, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: PlacementSerializer},
        operation_id="placements_create",
        summary="Propose an open offer to a person of your cases (to be agreed with them)",
    )
    def post(self, request: Request) -> Response:
        user = _matcher(request)
        data = _valid(self.InputSerializer, request.data)
        with transaction.atomic():
            returnee = access_returnee_by_uuid(user, data["returnee"], for_edit=True)
            try:
                offer = access.access_offer_by_id(user, data["offer"])
            except NotFound as error:
                raise _field_error("offer", _("Not found.")) from error
            referral = None
            if data["referral"] is not None:
                try:
                    referral = access_referral_by_id(user, data["referral"]).referral
                except NotFound as error:
                    raise _field_error("referral", _("Not found.")) from error
            goal = None
            if data["plan_goal"] is not None:
                goal = PlanGoal.objects.select_related("plan").filter(pk=data["plan_goal"]).first()
                if goal is None or goal.plan.returnee_id != returnee.pk:
                    raise _field_error("plan_goal", _("Choose an economic goal of this person's plan."))
            placement = actions.placement_propose(
                actor=user,
                offer=offer,
                returnee=returnee,
                note=data["note"],
                referral=referral,
                plan_goal=goal,
            )
            body = placement_body(user, placement.uuid)
        return Response(body, status=status.HTTP_201_CREATED)


class PlacementDetailApi(APIView):
    @extend_schema(
        responses=PlacementSerializer,
        operation_id="placements_retrieve",
        summary="One placement: its state and log, the steps you may take, who the person is if you may know",
    )
    def get(self, request: Request, placement_uuid: Any) -> Response:
        return Response(placement_body(_market_user(request), placement_uuid))


# Steps: each takes the version the caller read and answers with the placement as it now stands.


class _StepInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read")


def _step(
    request: Request,
    placement_uuid: Any,
    serializer_class: type[serializers.Serializer],
    act: Callable[[User, Placement, dict[str, Any]], Any],
) -> Response:
    """Reach the placement, check the input, take the step; on refusal nothing stays written."""
    user = _market_user(request)
    with transaction.atomic():
        placement = access.access_placement_by_id(user, placement_uuid)
        data = _valid(serializer_class, request.data)
        act(user, placement, data)
        body = placement_body(user, placement_uuid)
    return Response(body)


class PlacementAgreeApi(APIView):
    class InputSerializer(_StepInput):
        agreed = serializers.BooleanField(help_text="The person's answer")
        method = serializers.ChoiceField(choices=ConsentMethod.choices, help_text="How they gave it")
        note = serializers.CharField(**NOTE)

        class Meta:
            ref_name = "JobPlacementAgreeInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlacementSerializer,
        operation_id="placements_agree",
        summary="Record the person's answer (their case worker); agreeing records their consent to share with the company",
    )
    def post(self, request: Request, placement_uuid: Any) -> Response:
        return _step(
            request,
            placement_uuid,
            self.InputSerializer,
            lambda user, placement, data: actions.placement_agree(
                actor=user,
                placement=placement,
                agreed=data["agreed"],
                method=data["method"],
                note=data["note"],
                expected_version=data["version"],
            ),
        )


class PlacementShareApi(APIView):
    class InputSerializer(_StepInput):
        class Meta:
            ref_name = "JobPlacementShareInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlacementSerializer,
        operation_id="placements_share",
        summary="Share the person's profile with the company (their case worker); refused without a consent in force",
    )
    def post(self, request: Request, placement_uuid: Any) -> Response:
        return _step(
            request,
            placement_uuid,
            self.InputSerializer,
            lambda user, placement, data: actions.placement_share(
                actor=user, placement=placement, expected_version=data["version"]
            ),
        )


class PlacementInterviewApi(APIView):
    class InputSerializer(_StepInput):
        interview_at = serializers.DateTimeField(help_text="ISO 8601; local time when no offset is given")

        class Meta:
            ref_name = "JobPlacementInterviewInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlacementSerializer,
        operation_id="placements_interview",
        summary="Invite the person to an interview (the company or the employment office)",
    )
    def post(self, request: Request, placement_uuid: Any) -> Response:
        return _step(
            request,
            placement_uuid,
            self.InputSerializer,
            lambda user, placement, data: actions.placement_interview(
                actor=user, placement=placement, at=data["interview_at"], expected_version=data["version"]
            ),
        )


class PlacementHireApi(APIView):
    class InputSerializer(_StepInput):
        hired_on = serializers.DateField(help_text="The start date")
        note = serializers.CharField(**NOTE)

        class Meta:
            ref_name = "JobPlacementHireInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlacementSerializer,
        operation_id="placements_hire",
        summary="Record the hiring (the company or the employment office); takes a place, schedules retention checks",
    )
    def post(self, request: Request, placement_uuid: Any) -> Response:
        return _step(
            request,
            placement_uuid,
            self.InputSerializer,
            lambda user, placement, data: actions.placement_hire(
                actor=user,
                placement=placement,
                start=data["hired_on"],
                note=data["note"],
                expected_version=data["version"],
            ),
        )


class PlacementNotHiredApi(APIView):
    class InputSerializer(_StepInput):
        note = serializers.CharField(
            **NOTE, help_text="Why (required), so that the case worker can help further"
        )

        class Meta:
            ref_name = "JobPlacementNotHiredInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlacementSerializer,
        operation_id="placements_not_hired",
        summary="Record that the person was not hired (the company or the employment office), with the reason",
    )
    def post(self, request: Request, placement_uuid: Any) -> Response:
        return _step(
            request,
            placement_uuid,
            self.InputSerializer,
            lambda user, placement, data: actions.placement_not_hire(
                actor=user, placement=placement, note=data["note"], expected_version=data["version"]
            ),
        )


class PlacementWithdrawApi(APIView):
    class InputSerializer(_StepInput):
        note = serializers.CharField(**NOTE, help_text="Why (required)")

        class Meta:
            ref_name = "JobPlacementWithdrawInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlacementSerializer,
        operation_id="placements_withdraw",
        summary="Withdraw a placement that is not finished (either side)",
    )
    def post(self, request: Request, placement_uuid: Any) -> Response:
        return _step(
            request,
            placement_uuid,
            self.InputSerializer,
            lambda user, placement, data: actions.placement_withdraw(
                actor=user, placement=placement, note=data["note"], expected_version=data["version"]
            ),
        )


class PlacementRetentionApi(APIView):
    class InputSerializer(serializers.Serializer):
        months = serializers.IntegerField(help_text="The check's point: months after starting (3 or 6)")
        result = serializers.CharField(help_text=f"{choices(RetentionResult)} (checked by the action)")
        note = serializers.CharField(**NOTE)

        class Meta:
            ref_name = "JobPlacementRetentionInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlacementSerializer,
        operation_id="placements_retention",
        summary="Record a retention check: is the person still in the job? (their case worker or the employment office)",
    )
    def post(self, request: Request, placement_uuid: Any) -> Response:
        def record(user: User, placement: Placement, data: dict[str, Any]) -> Any:
            check = placement.retention_checks.filter(months=data["months"]).first()
            if check is None:
                raise _field_error("months", _("This placement has no retention check at this point."))
            return actions.retention_record(actor=user, check=check, result=data["result"], note=data["note"])

        return _step(request, placement_uuid, self.InputSerializer, record)


# --------------------------------------------------------------------------------------------------
# A person's offers and job profile
# --------------------------------------------------------------------------------------------------


class ReturneeOfferListApi(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("limit", int, description="How many of the best (1 to 200, 50 by default)")
        ],
        responses=RankedOfferSerializer(many=True),
        operation_id="returnees_offers_list",
        summary="The open offers that fit this person best, each score explained (case workers)",
    )
    def get(self, request: Request, returnee_uuid: Any) -> Response:
        user = _matcher(request)
        returnee = access_returnee_by_uuid(user, returnee_uuid, for_edit=True)
        limit = _valid(_LimitInput, request.query_params)["limit"]
        ranked = queries.offers_for_person(returnee, limit=limit)
        offers = [r.offer for r in ranked]
        prefetch_related_objects(offers, *OFFER_PREFETCH)
        facts = queries.offer_facts(offers)
        current = {
            p.offer_id: p
            for p in Placement.objects.filter(returnee=returnee, offer__in=offers).exclude(status__in=OVER)
        }
        rows = [
            {
                "rank": rank,
                "score": r.match.score,
                "explanation": explain.explain(r.match, facts[r.offer.pk]),
                "offer": r.offer,
                "placement": current.get(r.offer.pk),
            }
            for rank, r in enumerate(ranked, start=1)
        ]
        return Response(RankedOfferSerializer(rows, many=True).data)


def profile_body(returnee: Returnee) -> dict[str, Any]:
    profile = queries.profile_of(returnee)
    occupations = (
        Skill.objects.filter(returnee=returnee).select_related("occupation").order_by("-years_experience")
    )
    return dict(
        JobProfileSerializer(
            {
                "returnee": returnee.uuid,
                "seeking": profile.seeking if profile else True,
                "languages": sorted(profile.languages or []) if profile else [],
                "skills": list(profile.skills.all()) if profile else [],
                "mobility": profile.mobility if profile else Mobility.GOVERNORATE,
                "available_from": profile.available_from if profile else None,
                "updated_at": profile.updated_at if profile else None,
                "occupations": [
                    {
                        "code": s.occupation_id,
                        "name_ar": s.occupation.name_ar,
                        "name_ckb": s.occupation.name_ckb,
                        "name_en": s.occupation.name_en,
                        "years": s.years_experience,
                        "acquired_abroad": s.acquired_abroad,
                    }
                    for s in occupations
                ],
                "education_level": returnee.education_level,
            }
        ).data
    )


class JobProfileApi(APIView):
    class InputSerializer(serializers.Serializer):
        """Languages, skills and mobility are checked by the action, so that the page and the API say the same."""

        seeking = serializers.BooleanField(default=True)
        languages = serializers.ListField(
            child=serializers.CharField(), default=list, help_text="Language codes"
        )
        skills = serializers.ListField(
            child=serializers.CharField(),
            default=list,
            help_text="Skills of the shared vocabulary, by code or by name in Arabic, Kurdish or English",
        )
        mobility = serializers.CharField(default=Mobility.GOVERNORATE, help_text=choices(Mobility))
        available_from = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "JobProfileInput"

    @extend_schema(
        responses=JobProfileSerializer,
        operation_id="returnees_job_profile_retrieve",
        summary="A person's job profile, with the occupations and education the registry holds",
    )
    def get(self, request: Request, returnee_uuid: Any) -> Response:
        returnee = access_returnee_by_uuid(_matcher(request), returnee_uuid)
        return Response(profile_body(returnee))

    @extend_schema(
        request=InputSerializer,
        responses=JobProfileSerializer,
        operation_id="returnees_job_profile_update",
        summary="Replace a person's job profile (languages, skills, how far they will go, whether they look)",
    )
    def put(self, request: Request, returnee_uuid: Any) -> Response:
        user = _matcher(request)
        with transaction.atomic():
            returnee = access_returnee_by_uuid(user, returnee_uuid, for_edit=True)
            data = _valid(self.InputSerializer, request.data)
            actions.profile_save(actor=user, returnee=returnee, data=data)
            body = profile_body(returnee)
        return Response(body)
