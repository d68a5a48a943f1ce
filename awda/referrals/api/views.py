"""API of referrals and reintegration plans: one class per operation over the referrals' domain layer.

Every write is an action of ``awda.referrals.actions``; every personal record is fetched through
``awda.referrals.access`` or ``awda.registry.access`` (absent and out of reach are both 404). What a
receiving institution sees of the person is ``sharing.shared_record``: the parts the sender chose, cut
down to the person's consents in force. Steps carry the ``version`` the caller read: a newer one
answers 409 and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.accounts.models import Institution, Office, User
from awda.catalogue.models import Service
from awda.catalogue.queries import running_services
from awda.core.api.pagination import CappedPagination
from awda.core.errors import AwdaError, Conflict, NotFound
from awda.referrals import actions, queries, workflows
from awda.referrals.access import ReferralAccess, access_plan_by_id, access_referral_by_id
from awda.referrals.enums import Dimension, Horizon, NotCompletedReason, Outcome, ReferralStatus
from awda.referrals.models import OPEN_STATUSES, PlanAction, PlanGoal, Referral, ReintegrationPlan
from awda.referrals.sharing import shared_record
from awda.registry.access import access_returnee_by_uuid
from awda.registry.enums import ConsentMethod, NeedCategory, SharedField

S = ReferralStatus

# The step (as named in URLs) that moves a referral to a status, for the side that may take it.
STEP_TO: dict[tuple[str, str], str] = {
    ("sender", S.SENT): "send",
    ("sender", S.REVOKED): "revoke",
    ("receiver", S.ACCEPTED): "accept",
    ("receiver", S.DECLINED): "decline",
    ("receiver", S.IN_PROGRESS): "start",
    ("receiver", S.COMPLETED): "complete",
    ("receiver", S.NOT_COMPLETED): "not-complete",
}
# The statuses in which ``actions.referral_set_follow_up`` accepts a follow-up date (the receiver's reminder).
FOLLOW_UP_STATUSES = frozenset({S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.NOT_COMPLETED})
# What a receiver's row reads to show the shared parts of the person, in one query per relation.
SHARED_PREFETCH = (
    "returnee__phones",
    "returnee__needs",
    "returnee__documents",
    "returnee__skills",
    "returnee__qualifications",
    "returnee__household__members",
)
STALE = _("Someone else changed this referral a moment ago. Look at it again before answering.")


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _field_error(name: str, message: Any) -> AwdaError:
    return AwdaError(_("Please correct the fields below."), code="invalid", fields={name: [message]})


# --------------------------------------------------------------------------------------------------
# Shared parts of the outputs
# --------------------------------------------------------------------------------------------------


class NamedRefSerializer(serializers.Serializer):
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


def _person(access: ReferralAccess, parts: frozenset[str]) -> dict[str, Any]:
    """The sender sees a reference to their own case; a receiver only what the person agreed to share."""
    referral = access.referral
    if access.sender:
        return {"uuid": str(referral.returnee.uuid), "case_number": referral.returnee.case_number}
    return shared_record(referral, parts)


def allowed_steps(access: ReferralAccess) -> list[str]:
    """The steps the caller may take now, on each side they stand on, in the lifecycle table's order."""
    referral = access.referral
    steps: list[str] = []
    for side in ("sender", "receiver"):
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
        version = serializers.IntegerField(help_text="Send it back with every step")
        need_category = serializers.CharField()
        priority = serializers.CharField()
        urgency = serializers.CharField()
        service = NamedRefSerializer(allow_null=True, help_text="Empty for a transfer")
        organisation = NamedRefSerializer(source="to_organisation")
        from_institution = NamedRefSerializer()
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
        shared_fields = serializers.SerializerMethodField(help_text="What the sender chose (sender only)")
        parts = serializers.SerializerMethodField(help_text="What the receiver may see now")
        override_reason = serializers.SerializerMethodField(help_text="Sender only")
        suggestion_rank = serializers.SerializerMethodField(help_text="Sender only")
        sides = serializers.SerializerMethodField()
        allowed_steps = serializers.SerializerMethodField()
        person = serializers.SerializerMethodField(
            help_text="The sender: the case's uuid and number. A receiver: the consented parts of the record."
        )
        transitions = serializers.SerializerMethodField()

        class Meta:
            ref_name = "ReferralDetail"

        def _access(self) -> ReferralAccess:
            access: ReferralAccess = self.context["access"]
            return access

        def get_shared_fields(self, referral: Referral) -> list[str] | None:
            return list(referral.shared_fields) if self._access().sender else None

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

        @extend_schema_field_list(TransitionSerializer)
        def get_transitions(self, referral: Referral) -> list[dict[str, Any]]:
            rows = referral.transitions.select_related("actor").order_by("at", "id")
            return list(TransitionSerializer(rows, many=True).data)

    @extend_schema(
        responses=OutputSerializer,
        operation_id="referrals_retrieve",
        summary="One referral: its state, its log, the steps you may take and what you may see of the person",
    )
    def get(self, request: Request, referral_uuid: Any) -> Response:
        return Response(referral_body(signed_in_user(request), referral_uuid))


def referral_body(user: User, referral_uuid: Any) -> dict[str, Any]:
    """The referral as the caller may see it, read (and audited) through the access door."""
    access = access_referral_by_id(user, referral_uuid)
    parts = queries.parts_for([access.referral])[access.referral.pk]
    context = {"access": access, "parts": parts}
    return dict(ReferralDetailApi.OutputSerializer(access.referral, context=context).data)


class _RunningServiceField(serializers.SlugRelatedField):  # type: ignore[type-arg]
    """A service offered now, by its UUID (today's list, not the one of the day the module was loaded)."""

    def get_queryset(self) -> QuerySet[Service]:
        return running_services().select_related("organisation__institution", "category__parent")


class ReferralListApi(APIView):
    """GET: the referrals you sent or received. POST: refer a person to a service (and send it)."""

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
        service = NamedRefSerializer(allow_null=True)
        organisation = NamedRefSerializer(source="to_organisation")
        from_institution = NamedRefSerializer()
        created_at = serializers.DateTimeField()
        sent_at = serializers.DateTimeField(allow_null=True)
        answer_due_at = serializers.DateTimeField(allow_null=True)
        closed_at = serializers.DateTimeField(allow_null=True)
        sides = serializers.SerializerMethodField()
        person = serializers.SerializerMethodField(
            help_text="The sender: the case's uuid and number. A receiver: the consented parts of the record."
        )

        class Meta:
            ref_name = "ReferralListItem"

        def get_sides(self, referral: Referral) -> list[str]:
            return sorted(self.context["access"][referral.pk].sides)

        def get_person(self, referral: Referral) -> dict[str, Any]:
            return _person(
                self.context["access"][referral.pk], self.context["parts"].get(referral.pk, frozenset())
            )

    class InputSerializer(serializers.Serializer):
        returnee = serializers.UUIDField()
        service = _RunningServiceField(slug_field="uuid")
        need_category = serializers.CharField(help_text=", ".join(NeedCategory.values))
        shared_fields = serializers.ListField(
            child=serializers.ChoiceField(choices=SharedField.choices),
            default=lambda: [str(p) for p in actions.DEFAULT_PARTS],
        )
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
        override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
        consent_method = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            help_text=(
                "Records the person's consent to share the chosen parts with the provider now: "
                + ", ".join(ConsentMethod.values)
                + "; empty when a consent is already in force"
            ),
        )
        send = serializers.BooleanField(default=True)

        class Meta:
            ref_name = "ReferralCreateInput"

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
        sent = queries.sent_by(user)
        received = queries.received_by(user)
        if side == "sent":
            referrals = sent.order_by("-created_at", "-id")
        elif side == "received":
            referrals = received.order_by("-sent_at", "-id")
        else:
            referrals = (
                queries.sent_by(user)
                .model.objects.filter(Q(pk__in=sent.values("pk")) | Q(pk__in=received.values("pk")))
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
        shown = [r for r in rows if access[r.pk].receiver and not access[r.pk].sender]
        prefetch_related_objects(shown, *SHARED_PREFETCH)
        parts = queries.parts_for(shown)
        for referral in shown:
            actions_audit_read(user, referral, parts[referral.pk])
        data = self.OutputSerializer(rows, many=True, context={"access": access, "parts": parts}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request=InputSerializer,
        responses={201: ReferralDetailApi.OutputSerializer},
        operation_id="referrals_create",
        summary="Refer a person to a service: with consent_method, the person's consent is recorded first",
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


def actions_audit_read(user: User, referral: Referral, parts: frozenset[str]) -> None:
    """A receiver's list shows parts of a person's record: each row shown is a read on record."""
    from awda.core import audit
    from awda.core.models import AuditAction

    audit.record(actor=user, action=AuditAction.READ, obj=referral, fields=sorted(parts))
