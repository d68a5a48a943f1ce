"""API of referrals and reintegration plans: one class per operation over the referrals' domain layer.

Every write is an action of ``awda.referrals.actions``; every personal record is fetched through
``awda.referrals.access`` or ``awda.registry.access`` (absent and out of reach are both 404). What a
receiving institution sees of the person is ``sharing.shared_record``: the parts the sender chose, cut
down to the person's consents in force. A referral's steps carry the ``version`` the caller read: when
someone changed the referral since, the answer is 409 and nothing changes.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.accounts.models import Institution, Office, User
from awda.catalogue.models import Service
from awda.catalogue.queries import running_services
from awda.core import audit
from awda.core.api.pagination import CappedPagination
from awda.core.errors import AwdaError, Conflict, NotFound
from awda.core.models import AuditAction
from awda.referrals import actions, queries, workflows
from awda.referrals.access import ReferralAccess, access_plan_by_id, access_referral_by_id
from awda.referrals.enums import (
    DeclineReason,
    Dimension,
    Horizon,
    NotCompletedReason,
    Outcome,
    PlanStatus,
    ReferralStatus,
)
from awda.referrals.models import OPEN_STATUSES, PlanAction, PlanGoal, Referral, ReintegrationPlan
from awda.referrals.sharing import shared_record
from awda.registry.access import access_returnee_by_uuid
from awda.registry.enums import ConsentMethod, NeedCategory, SharedField

S = ReferralStatus

# The step (as named in the URLs) that moves a referral to a status, for the side allowed to take it.
STEP_TO: dict[tuple[str, str], str] = {
    ("sender", S.SENT): "send",
    ("sender", S.REVOKED): "revoke",
    ("receiver", S.ACCEPTED): "accept",
    ("receiver", S.DECLINED): "decline",
    ("receiver", S.IN_PROGRESS): "start",
    ("receiver", S.COMPLETED): "complete",
    ("receiver", S.NOT_COMPLETED): "not-complete",
}
# The statuses in which ``actions.referral_set_follow_up`` takes a follow-up date (the receiver's reminder).
FOLLOW_UP_STATUSES = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.NOT_COMPLETED})
# What ``shared_record`` reads of a person, fetched for a whole page of a receiver's rows at once.
# What each part of a record needs read beside the person (a part nobody may see is not read at all).
SHARED_PREFETCH: dict[str, tuple[str, ...]] = {
    "contact": ("returnee__phones",),
    "needs": ("returnee__needs",),
    "documents": ("returnee__documents",),
    "education_work": ("returnee__skills", "returnee__qualifications"),
    "household": ("returnee__household__members",),
}


def prefetch_shared(referrals: list[Referral], parts: dict[int, frozenset[str]]) -> None:
    shown = set().union(*parts.values()) if parts else set()
    lookups = [lookup for part in sorted(shown) for lookup in SHARED_PREFETCH.get(part, ())]
    if lookups:
        prefetch_related_objects(referrals, *lookups)


NOTE: dict[str, Any] = {"required": False, "allow_blank": True, "default": "", "max_length": 4000}


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _field_error(name: str, message: Any) -> AwdaError:
    return AwdaError(_("Please correct the fields below."), code="invalid", fields={name: [message]})


@extend_schema_field(OpenApiTypes.UUID)
class _RunningServiceField(serializers.SlugRelatedField[Service]):
    """A service offered now, by its UUID (today's list, not the one of the day the module was loaded)."""

    def get_queryset(self) -> QuerySet[Service]:
        return running_services().select_related("organisation__institution", "category__parent")


# --------------------------------------------------------------------------------------------------
# Parts of the outputs shared by several operations
# --------------------------------------------------------------------------------------------------


class PartyRefSerializer(serializers.Serializer):
    """An institution, organisation or service as a reference: its UUID, code and name in each language."""

    uuid = serializers.UUIDField()
    code = serializers.CharField()
    name_ar = serializers.CharField()
    name_ckb = serializers.CharField()
    name_en = serializers.CharField()

    class Meta:
        ref_name = "ReferralPartyRef"


class TransitionSerializer(serializers.Serializer):
    from_status = serializers.CharField(help_text="Empty for the referral's creation")
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)
    note = serializers.CharField()

    class Meta:
        ref_name = "ReferralTransition"


PERSON_HELP = (
    "The sender: the case's uuid and case_number. A pure receiver: case_number and only the parts of the "
    "record the person agreed to share (identity, contact, place, return, needs, documents, household, "
    "education_work, health, psychosocial)."
)


def _person(access: ReferralAccess, parts: frozenset[str]) -> dict[str, Any]:
    """The sender sees a reference to their own case; a receiver only what the person agreed to share."""
    referral = access.referral
    if access.sender:
        return {"uuid": str(referral.returnee.uuid), "case_number": referral.returnee.case_number}
    return shared_record(referral, parts)


def allowed_steps(access: ReferralAccess) -> list[str]:
    """The steps the caller may take now, for each side they stand on, in the lifecycle table's order."""
    referral = access.referral
    steps: list[str] = []
    sides: tuple[workflows.Side, ...] = ("sender", "receiver")
    for side in sides:
        if side not in access.sides:
            continue
        for to in workflows.next_statuses(referral.kind, referral.status, side):
            step = STEP_TO.get((side, to))
            if step is not None:
                steps.append(step)
    if access.receiver and referral.status in FOLLOW_UP_STATUSES:
        steps.append("follow-up")
    return steps


# --------------------------------------------------------------------------------------------------
# Referrals
# --------------------------------------------------------------------------------------------------


class ReferralDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        uuid = serializers.UUIDField()
        kind = serializers.CharField(help_text="service or transfer")
        status = serializers.CharField(help_text=", ".join(S.values))
        version = serializers.IntegerField(help_text="Send it back with the next step")
        need_category = serializers.CharField()
        priority = serializers.CharField()
        urgency = serializers.CharField()
        service = PartyRefSerializer(allow_null=True, help_text="Empty for a transfer")
        organisation = PartyRefSerializer(source="to_organisation")
        from_institution = PartyRefSerializer()
        note = serializers.CharField(help_text="The sender's message to the receiver")
        created_at = serializers.DateTimeField()
        sent_at = serializers.DateTimeField(allow_null=True)
        answer_due_at = serializers.DateTimeField(allow_null=True)
        accepted_at = serializers.DateTimeField(allow_null=True)
        closed_at = serializers.DateTimeField(allow_null=True)
        assigned_to = serializers.CharField(source="assigned_to.username", default=None, allow_null=True)
        decline_reason = serializers.CharField()
        outcome = serializers.CharField()
        service_delivered = serializers.CharField()
        delivered_on = serializers.DateField(allow_null=True)
        not_completed_reason = serializers.CharField()
        follow_up_on = serializers.DateField(allow_null=True)
        follow_up_note = serializers.CharField()
        shared_fields = serializers.SerializerMethodField(
            help_text="The parts the sender chose (sender only)"
        )
        parts = serializers.SerializerMethodField(help_text="The parts the receiver may see now")
        override_reason = serializers.SerializerMethodField(help_text="Sender only")
        suggestion_rank = serializers.SerializerMethodField(help_text="Sender only")
        sides = serializers.SerializerMethodField(help_text="sender, receiver or both")
        allowed_steps = serializers.SerializerMethodField(
            help_text="send, revoke, accept, decline, start, complete, not-complete, follow-up"
        )
        person = serializers.SerializerMethodField(help_text=PERSON_HELP)
        transitions = serializers.SerializerMethodField()

        class Meta:
            ref_name = "ReferralDetail"

        def _access(self) -> ReferralAccess:
            access: ReferralAccess = self.context["access"]
            return access

        def get_shared_fields(self, referral: Referral) -> list[str] | None:
            return [str(p) for p in referral.shared_fields] if self._access().sender else None

        def get_parts(self, referral: Referral) -> list[str]:
            return sorted(self.context["parts"])

        def get_override_reason(self, referral: Referral) -> str | None:
            return referral.override_reason if self._access().sender else None

        def get_suggestion_rank(self, referral: Referral) -> int | None:
            return referral.suggestion_rank if self._access().sender else None

        def get_sides(self, referral: Referral) -> list[str]:
            return sorted(self._access().sides)

        def get_allowed_steps(self, referral: Referral) -> list[str]:
            return allowed_steps(self._access())

        def get_person(self, referral: Referral) -> dict[str, Any]:
            return _person(self._access(), self.context["parts"])

        @extend_schema_field(TransitionSerializer(many=True))
        def get_transitions(self, referral: Referral) -> list[dict[str, Any]]:
            rows = referral.transitions.select_related("actor").order_by("at", "id")
            return list(TransitionSerializer(rows, many=True).data)

    @extend_schema(
        responses=OutputSerializer,
        operation_id="referrals_retrieve",
        summary="One referral: its state and log, the steps you may take, what you may see of the person",
    )
    def get(self, request: Request, referral_uuid: Any) -> Response:
        return Response(referral_body(signed_in_user(request), referral_uuid))


ReferralOutput = ReferralDetailApi.OutputSerializer


def referral_body(user: User, referral_uuid: Any) -> dict[str, Any]:
    """The referral as the caller may see it, read (and audited) through the access door."""
    access = access_referral_by_id(user, referral_uuid)
    parts = queries.parts_for([access.referral])[access.referral.pk]
    return dict(ReferralOutput(access.referral, context={"access": access, "parts": parts}).data)


class ReferralListApi(APIView):
    """GET: the referrals your unit sent and your institution received. POST: refer a person to a service."""

    pagination_class = CappedPagination

    class FilterSerializer(serializers.Serializer):
        side = serializers.ChoiceField(choices=["sent", "received"], required=False)
        status = serializers.ChoiceField(choices=["open", *S.values], required=False)

    class OutputSerializer(serializers.Serializer):
        uuid = serializers.UUIDField()
        kind = serializers.CharField()
        status = serializers.CharField()
        version = serializers.IntegerField()
        need_category = serializers.CharField()
        priority = serializers.CharField()
        urgency = serializers.CharField()
        service = PartyRefSerializer(allow_null=True)
        organisation = PartyRefSerializer(source="to_organisation")
        from_institution = PartyRefSerializer()
        created_at = serializers.DateTimeField()
        sent_at = serializers.DateTimeField(allow_null=True)
        answer_due_at = serializers.DateTimeField(allow_null=True)
        closed_at = serializers.DateTimeField(allow_null=True)
        sides = serializers.SerializerMethodField()
        person = serializers.SerializerMethodField(help_text=PERSON_HELP)

        class Meta:
            ref_name = "ReferralListItem"

        def get_sides(self, referral: Referral) -> list[str]:
            return sorted(self.context["access"][referral.pk].sides)

        def get_person(self, referral: Referral) -> dict[str, Any]:
            parts = self.context["parts"].get(referral.pk, frozenset())
            return _person(self.context["access"][referral.pk], parts)

    class InputSerializer(serializers.Serializer):
        returnee = serializers.UUIDField()
        service = _RunningServiceField(slug_field="uuid")
        # Checked by the action, so that the page and the API say the same.
        need_category = serializers.CharField(help_text=", ".join(NeedCategory.values))
        # Plain codes: the registry's consent already names this choice set in the schema.
        shared_fields = serializers.ListField(
            child=serializers.CharField(),
            allow_empty=False,
            default=lambda: [str(p) for p in actions.DEFAULT_PARTS],
            help_text=", ".join(SharedField.values),
        )
        note = serializers.CharField(**NOTE)
        override_reason = serializers.CharField(**NOTE, help_text="Why not the first suggestion")
        consent_method = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text=(
                "Records now the person's consent to share the chosen parts with the provider: "
                f"{', '.join(ConsentMethod.values)}; empty when a consent is already in force"
            ),
        )
        send = serializers.BooleanField(default=True)

        class Meta:
            ref_name = "ReferralCreateInput"

        def validate_shared_fields(self, value: list[str]) -> list[str]:
            unknown = sorted(set(value) - set(SharedField.values))
            if unknown:
                raise serializers.ValidationError(
                    _("Unknown part of the record: %(part)s.") % {"part": ", ".join(unknown)}
                )
            return value

    @extend_schema(
        parameters=[
            OpenApiParameter("side", str, enum=["sent", "received"], description="Both when absent"),
            OpenApiParameter("status", str, enum=["open", *S.values]),
        ],
        responses=OutputSerializer(many=True),
        operation_id="referrals_list",
        summary="The referrals your unit sent and those your institution received",
    )
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        filters = _valid(self.FilterSerializer, request.query_params)
        side = filters.get("side", "")
        sent, received = queries.sent_by(user), queries.received_by(user)
        referrals: QuerySet[Referral]
        # The small tables are joined; services and people are read by key once the page is known.
        light = ("to_organisation", "to_institution", "from_institution", "assigned_to")
        if side == "sent":
            referrals = sent.select_related(None).select_related(*light).order_by("-created_at", "-id")
        elif side == "received":
            referrals = received.select_related(None).select_related(*light).order_by("-sent_at", "-id")
        else:
            referrals = (
                Referral.objects.filter(Q(pk__in=sent.values("pk")) | Q(pk__in=received.values("pk")))
                .select_related(
                    "service", "to_organisation", "to_institution", "from_institution", "returnee"
                )
                .order_by("-created_at", "-id")
            )
        wanted = filters.get("status", "")
        if wanted == "open":
            referrals = referrals.filter(status__in=OPEN_STATUSES)
        elif wanted:
            referrals = referrals.filter(status=wanted)
        paginator = self.pagination_class()
        rows: list[Referral] = list(paginator.paginate_queryset(referrals, request, view=self) or [])
        prefetch_related_objects(rows, "service", "returnee")
        keys = [r.pk for r in rows]
        as_sender = (
            set(sent.filter(pk__in=keys).values_list("pk", flat=True)) if side != "received" else set()
        )
        as_receiver = (
            set(received.filter(pk__in=keys).values_list("pk", flat=True)) if side != "sent" else set()
        )
        access = {
            r.pk: ReferralAccess(referral=r, sender=r.pk in as_sender, receiver=r.pk in as_receiver)
            for r in rows
        }
        shown = [r for r in rows if not access[r.pk].sender]
        parts = queries.parts_for(shown)
        prefetch_shared(shown, parts)
        # A receiver's row shows parts of a person's record: each row shown is a read on record.
        audit.record_many(actor=user, action=AuditAction.READ, objects=[(r, parts[r.pk]) for r in shown])
        data = self.OutputSerializer(rows, many=True, context={"access": access, "parts": parts}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=InputSerializer,
        responses={201: ReferralOutput},
        operation_id="referrals_create",
        summary="Refer a person to a service; with consent_method their consent is recorded first. All or nothing",
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        data = _valid(self.InputSerializer, request.data)
        returnee = access_returnee_by_uuid(user, data["returnee"], for_edit=True)
        referral = actions.referral_make(
            actor=user,
            returnee=returnee,
            service=data["service"],
            need_category=data["need_category"],
            shared_fields=data["shared_fields"],
            note=data["note"],
            override_reason=data["override_reason"],
            consent_method=data["consent_method"],
            send=data["send"],
        )
        return Response(referral_body(user, referral.uuid), status=status.HTTP_201_CREATED)


class TransferCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        returnee = serializers.UUIDField()
        institution = serializers.SlugRelatedField(slug_field="uuid", queryset=Institution.objects.all())
        note = serializers.CharField(**NOTE)
        consent_method = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text=(
                "Records now the person's consent to hand the whole record to the institution: "
                f"{', '.join(ConsentMethod.values)}; empty when a consent is already in force"
            ),
        )
        send = serializers.BooleanField(default=True)

        class Meta:
            ref_name = "TransferCreateInput"

    @extend_schema(
        request=InputSerializer,
        responses={201: ReferralOutput},
        operation_id="referrals_transfer_create",
        summary="Transfer a whole case to another institution (and send it). All or nothing",
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        data = _valid(self.InputSerializer, request.data)
        returnee = access_returnee_by_uuid(user, data["returnee"], for_edit=True)
        referral = actions.transfer_make(
            actor=user,
            returnee=returnee,
            institution=data["institution"],
            note=data["note"],
            consent_method=data["consent_method"],
            send=data["send"],
        )
        return Response(referral_body(user, referral.uuid), status=status.HTTP_201_CREATED)


# Steps: each takes the version the caller read and answers with the referral as it now stands.


class _StepInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The version you read")


class ReferralSendApi(APIView):
    class InputSerializer(_StepInput):
        class Meta:
            ref_name = "ReferralSendInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_send",
        summary="Send a draft (the sender); refused without a consent in force for every part chosen",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.referral_send(actor=user, referral=access.referral, expected_version=data["version"])
        return Response(referral_body(user, referral_uuid))


class ReferralAcceptApi(APIView):
    class InputSerializer(_StepInput):
        note = serializers.CharField(**NOTE)
        office = serializers.SlugRelatedField(
            slug_field="uuid",
            queryset=Office.objects.all(),
            required=False,
            allow_null=True,
            default=None,
            help_text="For a transfer: the office of your institution that takes the case (else your own)",
        )

        class Meta:
            ref_name = "ReferralAcceptInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_accept",
        summary="Accept a referral (the receiver): takes a place of the service; a transfer moves the case",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.referral_accept(
            actor=user,
            referral=access.referral,
            note=data["note"],
            expected_version=data["version"],
            office=data["office"],
        )
        return Response(referral_body(user, referral_uuid))


class ReferralDeclineApi(APIView):
    class InputSerializer(_StepInput):
        reason = serializers.ChoiceField(choices=DeclineReason.choices)
        note = serializers.CharField(**NOTE, help_text="Needed when the reason is other")

        class Meta:
            ref_name = "ReferralDeclineInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_decline",
        summary="Decline a referral (the receiver), with a reason",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.referral_decline(
            actor=user,
            referral=access.referral,
            reason=data["reason"],
            note=data["note"],
            expected_version=data["version"],
        )
        return Response(referral_body(user, referral_uuid))


class ReferralStartApi(APIView):
    class InputSerializer(_StepInput):
        note = serializers.CharField(**NOTE)

        class Meta:
            ref_name = "ReferralStartInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_start",
        summary="Record that the service has started (the receiver)",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.referral_start(
            actor=user, referral=access.referral, note=data["note"], expected_version=data["version"]
        )
        return Response(referral_body(user, referral_uuid))


class ReferralCompleteApi(APIView):
    class InputSerializer(_StepInput):
        outcome = serializers.ChoiceField(choices=Outcome.choices)
        service_delivered = serializers.CharField(max_length=4000)
        delivered_on = serializers.DateField(required=False, allow_null=True, default=None)
        note = serializers.CharField(**NOTE)
        follow_up_on = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "ReferralCompleteInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_complete",
        summary="Record the service delivered and its outcome (the receiver)",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.referral_complete(
            actor=user,
            referral=access.referral,
            outcome=data["outcome"],
            service_delivered=data["service_delivered"],
            delivered_on=data["delivered_on"],
            note=data["note"],
            follow_up_on=data["follow_up_on"],
            expected_version=data["version"],
        )
        return Response(referral_body(user, referral_uuid))


class ReferralNotCompleteApi(APIView):
    class InputSerializer(_StepInput):
        reason = serializers.ChoiceField(choices=NotCompletedReason.choices)
        note = serializers.CharField(**NOTE, help_text="Needed when the reason is other")

        class Meta:
            ref_name = "ReferralNotCompleteInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_not_complete",
        summary="Record that the service could not be completed (the receiver), with a reason",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.referral_not_complete(
            actor=user,
            referral=access.referral,
            reason=data["reason"],
            note=data["note"],
            expected_version=data["version"],
        )
        return Response(referral_body(user, referral_uuid))


class ReferralRevokeApi(APIView):
    class InputSerializer(_StepInput):
        note = serializers.CharField(**NOTE, help_text="Why the referral is revoked (required)")

        class Meta:
            ref_name = "ReferralRevokeInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_revoke",
        summary="Revoke a referral (the sender), until the service has started",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.referral_revoke(
            actor=user, referral=access.referral, note=data["note"], expected_version=data["version"]
        )
        return Response(referral_body(user, referral_uuid))


class ReferralFollowUpApi(APIView):
    class InputSerializer(_StepInput):
        follow_up_on = serializers.DateField(allow_null=True, help_text="Empty to clear the reminder")
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

        class Meta:
            ref_name = "ReferralFollowUpInput"

    @extend_schema(
        request=InputSerializer,
        responses=ReferralOutput,
        operation_id="referrals_follow_up",
        summary="Set the receiver's reminder of when to check on the person again",
    )
    def post(self, request: Request, referral_uuid: Any) -> Response:
        user = signed_in_user(request)
        access = access_referral_by_id(user, referral_uuid)
        data = _valid(self.InputSerializer, request.data)
        # The action takes no expected version (a reminder does not change the referral's version); the
        # check here keeps the API's promise for every step, short of the row lock the other steps have.
        if access.referral.version != data["version"]:
            raise Conflict(
                _("Someone else changed this referral a moment ago. Look at it again before answering."),
                code="stale",
            )
        actions.referral_set_follow_up(
            actor=user, referral=access.referral, on=data["follow_up_on"], note=data["note"]
        )
        return Response(referral_body(user, referral_uuid))


# --------------------------------------------------------------------------------------------------
# Suggestions
# --------------------------------------------------------------------------------------------------


class SuggestionListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        need = serializers.ChoiceField(choices=NeedCategory.choices)

    class OutputSerializer(serializers.Serializer):
        service = serializers.UUIDField(source="service.uuid")
        code = serializers.CharField(source="service.code")
        name_ar = serializers.CharField(source="service.name_ar")
        name_ckb = serializers.CharField(source="service.name_ckb")
        name_en = serializers.CharField(source="service.name_en")
        organisation = PartyRefSerializer(source="service.organisation")
        rank = serializers.IntegerField(source="ranked.rank")
        score = serializers.FloatField(source="ranked.score")
        parts = serializers.DictField(
            source="ranked.parts",
            child=serializers.FloatField(),
            help_text="place, capacity, priority and outcomes, each between 0 and 1",
        )
        reasons = serializers.ListField(
            source="ranked.reasons",
            child=serializers.DictField(child=serializers.CharField()),
            help_text="Each reason in ar, ckb and en",
        )
        places_left = serializers.IntegerField(
            allow_null=True, help_text="Empty when the service states none"
        )

        class Meta:
            ref_name = "ServiceSuggestion"

    @extend_schema(
        parameters=[OpenApiParameter("need", str, enum=NeedCategory.values, required=True)],
        responses=OutputSerializer(many=True),
        operation_id="returnees_suggestions_list",
        summary="The services open to this person for a need, best first, each with its reasons",
    )
    def get(self, request: Request, returnee_uuid: Any) -> Response:
        user = signed_in_user(request)
        returnee = access_returnee_by_uuid(user, returnee_uuid, for_edit=True)
        need = _valid(self.FilterSerializer, request.query_params)["need"]
        return Response(self.OutputSerializer(queries.suggestions(returnee, need), many=True).data)


# --------------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------------


class CaseRefSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    case_number = serializers.CharField()

    class Meta:
        ref_name = "PlanCaseRef"


class PlanActionSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Within its plan")
    text = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    done_on = serializers.DateField(allow_null=True)
    referral = serializers.SerializerMethodField()

    class Meta:
        ref_name = "PlanAction"

    @extend_schema_field(
        serializers.DictField(child=serializers.CharField(), allow_null=True, help_text="uuid and status")
    )
    def get_referral(self, action: PlanAction) -> dict[str, str] | None:
        referral = action.referral
        return None if referral is None else {"uuid": str(referral.uuid), "status": referral.status}


class PlanGoalSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Addresses the goal within its plan (see plans/{uuid}/actions/)")
    dimension = serializers.CharField()
    horizon = serializers.CharField()
    need_category = serializers.CharField()
    text = serializers.CharField()
    texts = serializers.DictField(
        child=serializers.CharField(),
        help_text="The goal in ar, ckb and en, when a case-response rule gave it",
    )
    target_on = serializers.DateField()
    status = serializers.CharField()
    order = serializers.IntegerField()
    actions = PlanActionSerializer(many=True)

    class Meta:
        ref_name = "PlanGoal"


class PlanEventSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField(help_text="The kind in the reader's language")  # type: ignore[assignment]
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", default=None, allow_null=True)
    note = serializers.CharField()

    class Meta:
        ref_name = "PlanEvent"


class PlanDetailApi(APIView):
    class OutputSerializer(serializers.Serializer):
        uuid = serializers.UUIDField()
        status = serializers.CharField(help_text=", ".join(PlanStatus.values))
        version = serializers.IntegerField()
        returnee = CaseRefSerializer()
        for_household = serializers.SerializerMethodField()
        starts_on = serializers.DateField()
        next_review_on = serializers.DateField(allow_null=True)
        created_by = serializers.CharField(source="created_by.username", default=None, allow_null=True)
        created_at = serializers.DateTimeField()
        submitted_at = serializers.DateTimeField(allow_null=True)
        approval = serializers.SerializerMethodField()
        agreement = serializers.SerializerMethodField()
        closed_at = serializers.DateTimeField(allow_null=True)
        goals = PlanGoalSerializer(many=True)
        events = PlanEventSerializer(many=True)

        class Meta:
            ref_name = "PlanDetail"

        def get_for_household(self, plan: ReintegrationPlan) -> bool:
            return plan.household_id is not None

        @extend_schema_field(
            serializers.DictField(allow_null=True, help_text="approved_by (username) and approved_at")
        )
        def get_approval(self, plan: ReintegrationPlan) -> dict[str, Any] | None:
            if plan.approved_at is None:
                return None
            approver = plan.approved_by
            return {
                "approved_by": approver.username if approver else None,
                "approved_at": plan.approved_at.isoformat(),
            }

        @extend_schema_field(
            serializers.DictField(allow_null=True, help_text="agreed_at, method and recorded_by (username)")
        )
        def get_agreement(self, plan: ReintegrationPlan) -> dict[str, Any] | None:
            if plan.agreed_at is None:
                return None
            recorder = plan.agreement_recorded_by
            return {
                "agreed_at": plan.agreed_at.isoformat(),
                "method": plan.agreement_method,
                "recorded_by": recorder.username if recorder else None,
            }

    @extend_schema(
        responses=OutputSerializer,
        operation_id="plans_retrieve",
        summary="A reintegration plan: goals with their actions and referrals, approval, agreement, history",
    )
    def get(self, request: Request, plan_uuid: Any) -> Response:
        return Response(plan_body(signed_in_user(request), plan_uuid))


PlanOutput = PlanDetailApi.OutputSerializer


def plan_body(user: User, plan_uuid: Any) -> dict[str, Any]:
    """The plan as it now stands, read (and audited) through the access door."""
    plan = access_plan_by_id(user, plan_uuid)
    prefetch_related_objects(
        [plan],
        "goals__actions__referral",
        "events__actor",
        "created_by",
        "approved_by",
        "agreement_recorded_by",
    )
    return dict(PlanOutput(plan).data)


class PlanListApi(APIView):
    """GET: the plans within your data scope. POST: start a plan for a person (or their household)."""

    pagination_class = CappedPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=PlanStatus.choices, required=False)
        returnee = serializers.UUIDField(required=False)

    class OutputSerializer(serializers.Serializer):
        uuid = serializers.UUIDField()
        status = serializers.CharField()
        version = serializers.IntegerField()
        returnee = CaseRefSerializer()
        starts_on = serializers.DateField()
        next_review_on = serializers.DateField(allow_null=True)
        created_at = serializers.DateTimeField()
        submitted_at = serializers.DateTimeField(allow_null=True)
        approved_at = serializers.DateTimeField(allow_null=True)
        agreed_at = serializers.DateTimeField(allow_null=True)
        closed_at = serializers.DateTimeField(allow_null=True)

        class Meta:
            ref_name = "PlanListItem"

    class InputSerializer(serializers.Serializer):
        returnee = serializers.UUIDField()
        for_household = serializers.BooleanField(default=False)
        starts_on = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "PlanCreateInput"

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=PlanStatus.values),
            OpenApiParameter("returnee", str, description="UUID of a returnee: their plans"),
        ],
        responses=OutputSerializer(many=True),
        operation_id="plans_list",
        summary="Reintegration plans within your data scope, newest first",
    )
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        filters = _valid(self.FilterSerializer, request.query_params)
        plans = queries.plans_visible_to(user).order_by("-created_at", "-id")
        if filters.get("status"):
            plans = plans.filter(status=filters["status"])
        if filters.get("returnee"):
            plans = plans.filter(returnee__uuid=filters["returnee"])
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(plans, request, view=self) or []
        return paginator.get_paginated_response(self.OutputSerializer(rows, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: PlanOutput},
        operation_id="plans_create",
        summary="Start a reintegration plan (one current plan per person)",
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        data = _valid(self.InputSerializer, request.data)
        returnee = access_returnee_by_uuid(user, data["returnee"], for_edit=True)
        plan = actions.plan_create(
            actor=user, returnee=returnee, for_household=data["for_household"], starts_on=data["starts_on"]
        )
        return Response(plan_body(user, plan.uuid), status=status.HTTP_201_CREATED)


class PlanGoalCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        dimension = serializers.ChoiceField(choices=Dimension.choices)
        horizon = serializers.ChoiceField(choices=Horizon.choices)
        text = serializers.CharField(max_length=300)
        # Checked by the action, so that the page and the API say the same.
        need_category = serializers.CharField(
            required=False, allow_blank=True, default="", help_text=", ".join(NeedCategory.values)
        )

        class Meta:
            ref_name = "PlanGoalCreateInput"

    @extend_schema(
        request=InputSerializer,
        responses={201: PlanGoalSerializer},
        operation_id="plans_goals_create",
        summary="Add a goal; a submitted or approved plan goes back to draft",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        plan = access_plan_by_id(user, plan_uuid)
        data = _valid(self.InputSerializer, request.data)
        goal = actions.plan_goal_add(
            actor=user,
            plan=plan,
            dimension=data["dimension"],
            horizon=data["horizon"],
            text=data["text"],
            need_category=data["need_category"],
        )
        return Response(PlanGoalSerializer(goal).data, status=status.HTTP_201_CREATED)


class PlanActionCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        goal = serializers.IntegerField(help_text="The id of a goal of this plan, as the plan lists it")
        text = serializers.CharField(max_length=300)
        due_on = serializers.DateField(required=False, allow_null=True, default=None)
        referral = serializers.UUIDField(
            required=False, allow_null=True, default=None, help_text="A referral of this person"
        )

        class Meta:
            ref_name = "PlanActionCreateInput"

    @extend_schema(
        request=InputSerializer,
        responses={201: PlanActionSerializer},
        operation_id="plans_actions_create",
        summary="Add an action to a goal, optionally the referral that carries it out",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        plan = access_plan_by_id(user, plan_uuid)
        data = _valid(self.InputSerializer, request.data)
        goal: PlanGoal | None = plan.goals.select_related("plan__returnee").filter(pk=data["goal"]).first()
        if goal is None:
            raise _field_error("goal", _("Not found."))
        referral = None
        if data["referral"] is not None:
            try:
                referral = access_referral_by_id(user, data["referral"]).referral
            except NotFound as error:
                raise _field_error("referral", _("Not found.")) from error
        action = actions.plan_action_add(
            actor=user, goal=goal, text=data["text"], due_on=data["due_on"], referral=referral
        )
        return Response(PlanActionSerializer(action).data, status=status.HTTP_201_CREATED)


class PlanSubmitApi(APIView):
    @extend_schema(
        request=None,
        responses=PlanOutput,
        operation_id="plans_submit",
        summary="Submit a draft plan for a supervisor's approval",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        actions.plan_submit(actor=user, plan=access_plan_by_id(user, plan_uuid))
        return Response(plan_body(user, plan_uuid))


class PlanApproveApi(APIView):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(**NOTE)

        class Meta:
            ref_name = "PlanApproveInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlanOutput,
        operation_id="plans_approve",
        summary="Approve a submitted plan (a supervisor other than its author or submitter)",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        plan = access_plan_by_id(user, plan_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.plan_approve(actor=user, plan=plan, note=data["note"])
        return Response(plan_body(user, plan_uuid))


class PlanReturnApi(APIView):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(**NOTE, help_text="What should change (required)")

        class Meta:
            ref_name = "PlanReturnInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlanOutput,
        operation_id="plans_return",
        summary="Send a submitted plan back to its author with what to change (a supervisor)",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        plan = access_plan_by_id(user, plan_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.plan_return(actor=user, plan=plan, note=data["note"])
        return Response(plan_body(user, plan_uuid))


class PlanAgreeApi(APIView):
    class InputSerializer(serializers.Serializer):
        method = serializers.ChoiceField(choices=ConsentMethod.choices)

        class Meta:
            ref_name = "PlanAgreeInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlanOutput,
        operation_id="plans_agree",
        summary="Record that the person agreed to the plan as it stands, and how",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        plan = access_plan_by_id(user, plan_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.plan_record_agreement(actor=user, plan=plan, method=data["method"])
        return Response(plan_body(user, plan_uuid))


class PlanReviewApi(APIView):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(**NOTE, help_text="What the review found (required)")
        next_review_on = serializers.DateField(required=False, allow_null=True, default=None)

        class Meta:
            ref_name = "PlanReviewInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlanOutput,
        operation_id="plans_review",
        summary="Record a review of the plan and when the next one is due",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        plan = access_plan_by_id(user, plan_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.plan_review(actor=user, plan=plan, note=data["note"], next_review_on=data["next_review_on"])
        return Response(plan_body(user, plan_uuid))


class PlanCloseApi(APIView):
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(**NOTE, help_text="Why the plan is closed (required)")

        class Meta:
            ref_name = "PlanCloseInput"

    @extend_schema(
        request=InputSerializer,
        responses=PlanOutput,
        operation_id="plans_close",
        summary="Close the plan",
    )
    def post(self, request: Request, plan_uuid: Any) -> Response:
        user = signed_in_user(request)
        plan = access_plan_by_id(user, plan_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.plan_close(actor=user, plan=plan, note=data["note"])
        return Response(plan_body(user, plan_uuid))
