"""The API of providers' proposals and their review: what the catalogue pages do, another system can do.

A provider's system sends the flat document of a service (the columns of the catalogue's download,
as JSON) to propose a new service or a change; an administrator's system lists the proposals waiting
and approves or returns them. Field errors come back as 400 with the field and the message.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.catalogue import actions, enums
from awda.catalogue.access import access_change_by_id, access_service_for_editing, is_reviewer, may_provide
from awda.catalogue.models import ServiceChange
from awda.core.errors import AwdaError

_DOCUMENT = inline_serializer(
    "ServiceDocument",
    fields={"code": serializers.CharField(), "organisation": serializers.CharField()},
)


class ProposalOutput(serializers.ModelSerializer):
    service = serializers.UUIDField(source="service.uuid", read_only=True, allow_null=True)
    organisation = serializers.CharField(source="organisation.code", read_only=True)

    class Meta:
        model = ServiceChange
        fields = [
            "uuid",
            "service",
            "organisation",
            "status",
            "document",
            "base_version",
            "review_note",
            "created_at",
        ]


def _provider(request: Request) -> Any:
    user = signed_in_user(request)
    if not may_provide(user):
        raise NotFound()
    return user


def _change(request: Request, change_uuid: str) -> ServiceChange:
    try:
        return access_change_by_id(_provider(request), change_uuid)
    except Http404 as error:
        raise NotFound() from error


class ProposalListApi(APIView):
    """GET: the proposals the user may see (an administrator: all waiting; a provider: their own).
    POST: propose a new service (the body is the service's flat document)."""

    @extend_schema(responses=ProposalOutput(many=True))
    def get(self, request: Request) -> Response:
        user = _provider(request)
        changes = ServiceChange.objects.select_related("service", "organisation").order_by("-created_at")
        if is_reviewer(user):
            changes = changes.filter(status=enums.ChangeStatus.PENDING)
        else:
            changes = changes.filter(organisation__institution_id=user.institution_id or 0)
        return Response(ProposalOutput(changes[:200], many=True).data)

    @extend_schema(request=_DOCUMENT, responses={201: ProposalOutput})
    def post(self, request: Request) -> Response:
        user = _provider(request)
        if not isinstance(request.data, dict):
            raise AwdaError(_("Send the service as a JSON object."), code="invalid")
        change = actions.service_propose(actor=user, document=request.data)
        return Response(ProposalOutput(change).data, status=status.HTTP_201_CREATED)


class ServiceProposalApi(APIView):
    """POST: propose a change of a service (the body is its whole flat document)."""

    @extend_schema(
        request=_DOCUMENT, responses={201: ProposalOutput}, operation_id="services_proposal_change"
    )
    def post(self, request: Request, service_uuid: str) -> Response:
        user = _provider(request)
        try:
            service = access_service_for_editing(user, service_uuid)
        except Exception as error:
            raise NotFound() from error
        if not isinstance(request.data, dict):
            raise AwdaError(_("Send the service as a JSON object."), code="invalid")
        change = actions.service_propose(actor=user, document=request.data, service=service)
        return Response(ProposalOutput(change).data, status=status.HTTP_201_CREATED)


class ProposalDecisionApi(APIView):
    """POST {"decision": "approve" | "reject" | "withdraw", "note": "…"}: review or withdraw a proposal."""

    @extend_schema(
        request=inline_serializer(
            "ProposalDecision",
            fields={
                "decision": serializers.ChoiceField(["approve", "reject", "withdraw"]),
                "note": serializers.CharField(required=False),
            },
        ),
        responses=ProposalOutput,
    )
    def post(self, request: Request, change_uuid: str) -> Response:
        user = _provider(request)
        change = _change(request, change_uuid)
        data = request.data if isinstance(request.data, dict) else {}
        decision = str(data.get("decision", ""))
        note = str(data.get("note", ""))
        if decision == "approve":
            actions.service_change_approve(actor=user, change=change, note=note)
        elif decision == "reject":
            actions.service_change_reject(actor=user, change=change, note=note)
        elif decision == "withdraw":
            actions.service_change_withdraw(actor=user, change=change)
        else:
            raise AwdaError(
                _("Please correct the fields below."),
                code="invalid",
                fields={"decision": [_("Choose approve, reject or withdraw.")]},
            )
        change.refresh_from_db()
        return Response(ProposalOutput(change).data)
