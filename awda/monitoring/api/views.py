"""API of monitoring: scoring answers, a person's survey responses, and the early-warning alerts.

Every write is an action of ``awda.monitoring.actions``; a person's record is fetched through
``awda.registry.access`` and an alert through the scope of the alert list page (absent and out of reach
are both 404).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound as DrfNotFound
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.api.pagination import CappedPagination
from awda.core.errors import AwdaError, Conflict, NotFound
from awda.core.models import AuditAction
from awda.monitoring import actions, queries, rules
from awda.monitoring.actions import answer_problems, parsed
from awda.monitoring.enums import AlertStatus, ResponseSource, Severity, WarningKind
from awda.monitoring.models import Alert, InstrumentVersion, SurveyResponse
from awda.registry.access import access_returnee_by_uuid
from awda.registry.models import Returnee


def _valid(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _field_error(name: str, message: Any) -> AwdaError:
    return AwdaError(_("Please correct the fields below."), code="invalid", fields={name: [message]})


class SurveyScoreApi(APIView):
    class InputSerializer(serializers.Serializer):
        instrument = serializers.SlugField(max_length=60)
        version = serializers.IntegerField(min_value=1, required=False, help_text="The latest when left out")
        answers = serializers.DictField(child=serializers.CharField(allow_blank=True, allow_null=True))

    class OutputSerializer(serializers.Serializer):
        instrument = serializers.CharField()
        version = serializers.IntegerField()
        scores = serializers.DictField(child=serializers.FloatField(allow_null=True))
        answered = serializers.DictField(child=serializers.IntegerField())

    @extend_schema(
        request=InputSerializer,
        responses=OutputSerializer,
        operation_id="surveys_score",
        summary="Score answers against an instrument version without saving them",
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        versions = InstrumentVersion.objects.filter(instrument__code=values["instrument"])
        version = (
            versions.filter(number=values["version"]).first()
            if "version" in values
            else versions.order_by("-number").first()
        )
        if version is None:
            raise DrfNotFound("No such instrument or version.")
        instrument = parsed(version)
        try:
            scores = rules.score(instrument, values["answers"])
        except rules.AnswerError as error:
            problems = answer_problems(instrument, error)
            raise ValidationError(
                {"answers": {code: [message] for code, message in problems.items()}}
            ) from error
        result = scores.as_dict()
        return Response(
            self.OutputSerializer(
                {"instrument": values["instrument"], "version": version.number, **result}
            ).data
        )


# --------------------------------------------------------------------------------------------------
# A person's survey responses
# --------------------------------------------------------------------------------------------------


class SurveyResponseSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    instrument = serializers.CharField(source="version.instrument.code")
    version = serializers.IntegerField(source="version.number")
    collected_on = serializers.DateField()
    source = serializers.CharField(help_text=", ".join(ResponseSource.values))  # type: ignore[assignment]
    answers = serializers.DictField(child=serializers.CharField())
    economic = serializers.FloatField(allow_null=True)
    social = serializers.FloatField(allow_null=True)
    psychosocial = serializers.FloatField(allow_null=True)
    composite = serializers.FloatField(allow_null=True)
    answered = serializers.DictField(
        child=serializers.IntegerField(), help_text="How many indicators each dimension's score rests on"
    )

    class Meta:
        ref_name = "SurveyResponse"


def _returnee_for_surveys(user: User, returnee_uuid: Any) -> Returnee:
    if not has_capability(user, Capability.EDIT_RECORDS):
        raise NotFound(_("Not found."))
    return access_returnee_by_uuid(user, returnee_uuid, for_edit=True)


def _record(user: User, returnee: Returnee, data: dict[str, Any]) -> SurveyResponse:
    versions = InstrumentVersion.objects.select_related("instrument").filter(
        instrument__code=data["instrument"]
    )
    version: InstrumentVersion | None
    if data.get("version") is not None:
        version = versions.filter(number=data["version"]).first()
        if version is None:
            raise _field_error("version", _("There is no such version of this survey."))
    else:
        version = queries.version_in_use(data["instrument"])
        if version is None:
            raise _field_error("instrument", _("There is no such survey in use."))
    try:
        return actions.response_record(
            actor=user,
            returnee=returnee,
            version=version,
            answers=data["answers"],
            collected_on=data["collected_on"],
            source=ResponseSource.API,
        )
    except Conflict as error:
        if error.code != "retired":
            raise
        raise _field_error("version", error.message) from error


class ReturneeSurveyListApi(APIView):
    """GET: a person's survey responses with their scores. POST: record a new response."""

    pagination_class = CappedPagination

    class InputSerializer(serializers.Serializer):
        instrument = serializers.SlugField(max_length=60)
        version = serializers.IntegerField(
            min_value=1, required=False, help_text="The version in use when left out"
        )
        answers = serializers.DictField(
            child=serializers.CharField(allow_blank=True, allow_null=True),
            help_text="Option values by indicator code; an indicator left out is not counted",
        )
        collected_on = serializers.DateField(
            required=False, allow_null=True, default=None, help_text="Today when left out"
        )

        class Meta:
            ref_name = "SurveyResponseCreateInput"

    @extend_schema(
        responses=SurveyResponseSerializer(many=True),
        operation_id="returnees_surveys_list",
        summary="A person's follow-up survey responses with their scores, newest first",
    )
    def get(self, request: Request, returnee_uuid: Any) -> Response:
        user = signed_in_user(request)
        returnee = _returnee_for_surveys(user, returnee_uuid)
        responses = (
            SurveyResponse.objects.filter(returnee=returnee)
            .select_related("version__instrument")
            .order_by("-collected_on", "-id")
        )
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(responses, request, view=self) or []
        return paginator.get_paginated_response(SurveyResponseSerializer(rows, many=True).data)

    @extend_schema(
        request=InputSerializer,
        responses={201: SurveyResponseSerializer},
        operation_id="returnees_surveys_create",
        summary="Record a follow-up survey of a person; its scores are computed and alerts raised at once",
    )
    def post(self, request: Request, returnee_uuid: Any) -> Response:
        user = signed_in_user(request)
        data = _valid(self.InputSerializer, request.data)
        # A refused response leaves nothing behind, not even the read of the record.
        with transaction.atomic():
            returnee = _returnee_for_surveys(user, returnee_uuid)
            response = _record(user, returnee, data)
        return Response(SurveyResponseSerializer(response).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------------------------------
# Alerts
# --------------------------------------------------------------------------------------------------


class AlertCaseSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    case_number = serializers.CharField()

    class Meta:
        ref_name = "AlertCase"


class AlertSerializer(serializers.Serializer):
    uuid = serializers.UUIDField()
    returnee = AlertCaseSerializer()
    rule = serializers.CharField(source="rule.code")
    kind = serializers.CharField(help_text=", ".join(WarningKind.values))
    severity = serializers.CharField(help_text=", ".join(Severity.values))
    status = serializers.CharField(help_text=", ".join(AlertStatus.values))
    details = serializers.DictField()
    raised_at = serializers.DateTimeField()
    acknowledged_by = serializers.CharField(source="acknowledged_by.username", default=None, allow_null=True)
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    resolved_by = serializers.CharField(source="resolved_by.username", default=None, allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    action_taken = serializers.CharField()

    class Meta:
        ref_name = "Alert"


def _alerts_for(user: User) -> Any:
    """The alerts of the list page's scope; none for a role that may not read records."""
    if not has_capability(user, Capability.VIEW_RECORDS):
        return Alert.objects.none()
    return queries.alerts_visible_to(user).select_related("acknowledged_by", "resolved_by")


def access_alert_by_uuid(user: User, alert_uuid: Any) -> Alert:
    alert = _alerts_for(user).filter(uuid=alert_uuid).first()
    if alert is None:
        raise NotFound(_("Not found."))
    return alert


def alert_body(alert_uuid: Any) -> dict[str, Any]:
    alert = Alert.objects.select_related("returnee", "rule", "acknowledged_by", "resolved_by").get(
        uuid=alert_uuid
    )
    return dict(AlertSerializer(alert).data)


class AlertListApi(APIView):
    pagination_class = CappedPagination

    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=AlertStatus.choices, required=False)
        returnee = serializers.UUIDField(required=False)

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, enum=AlertStatus.values, description="Every status when absent"),
            OpenApiParameter("returnee", OpenApiTypes.UUID, description="UUID of a returnee: their alerts"),
        ],
        responses=AlertSerializer(many=True),
        operation_id="alerts_list",
        summary="Early-warning alerts on the cases in your data scope, newest first",
    )
    def get(self, request: Request) -> Response:
        user = signed_in_user(request)
        filters = _valid(self.FilterSerializer, request.query_params)
        alerts = _alerts_for(user).order_by("-raised_at", "-id")
        if filters.get("status"):
            alerts = alerts.filter(status=filters["status"])
        if filters.get("returnee"):
            alerts = alerts.filter(returnee__uuid=filters["returnee"])
        paginator = self.pagination_class()
        rows: list[Alert] = list(paginator.paginate_queryset(alerts, request, view=self) or [])
        # Each row names a person and what went wrong for them: a read on record.
        audit.record_many(actor=user, action=AuditAction.READ, objects=[(a, ()) for a in rows])
        return paginator.get_paginated_response(AlertSerializer(rows, many=True).data)


class AlertAcknowledgeApi(APIView):
    @extend_schema(
        request=None,
        responses=AlertSerializer,
        operation_id="alerts_acknowledge",
        summary="Acknowledge an open alert",
    )
    def post(self, request: Request, alert_uuid: Any) -> Response:
        user = signed_in_user(request)
        alert = access_alert_by_uuid(user, alert_uuid)
        actions.alert_acknowledge(actor=user, alert=alert)
        return Response(alert_body(alert_uuid))


class AlertResolveApi(APIView):
    class InputSerializer(serializers.Serializer):
        action_taken = serializers.CharField(
            required=False,
            allow_blank=True,
            default="",
            max_length=4000,
            help_text="What was done (required)",
        )

        class Meta:
            ref_name = "AlertResolveInput"

    @extend_schema(
        request=InputSerializer,
        responses=AlertSerializer,
        operation_id="alerts_resolve",
        summary="Resolve an alert with the action taken (a referral, a visit, a call…)",
    )
    def post(self, request: Request, alert_uuid: Any) -> Response:
        user = signed_in_user(request)
        alert = access_alert_by_uuid(user, alert_uuid)
        data = _valid(self.InputSerializer, request.data)
        actions.alert_resolve(actor=user, alert=alert, action_taken=data["action_taken"])
        return Response(alert_body(alert_uuid))
