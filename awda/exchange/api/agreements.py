"""API of data exchange: data-sharing agreements, and the extract a receiving ministry's system pulls under one."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.accounts.models import Institution
from awda.core.api.pagination import StandardPagination
from awda.core.errors import PermissionDenied
from awda.exchange import sharing
from awda.exchange.enums import FileFormat
from awda.exchange.models import Export, SharingAgreement
from awda.geo.models import Governorate


class AgreementOutput(serializers.ModelSerializer):
    provider: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    recipient: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    governorates: serializers.SlugRelatedField[Governorate] = serializers.SlugRelatedField(
        slug_field="pcode", many=True, read_only=True
    )
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = SharingAgreement
        fields = [
            "uuid",
            "provider",
            "recipient",
            "reference",
            "purpose",
            "fields",
            "governorates",
            "valid_from",
            "valid_until",
            "revoked_at",
            "in_force",
            "created_at",
        ]

    def get_in_force(self, agreement: SharingAgreement) -> bool:
        return sharing.agreement_in_force(agreement, timezone.localdate())


class AgreementInput(serializers.Serializer):
    """Field keys and dates are checked by the domain, so that the page and the API say the same."""

    recipient = serializers.SlugRelatedField(slug_field="code", queryset=Institution.objects.all())
    reference = serializers.CharField(max_length=120)
    purpose = serializers.CharField()
    fields = serializers.ListField(child=serializers.CharField(max_length=40), allow_empty=True)  # type: ignore[assignment]
    governorates = serializers.SlugRelatedField(
        slug_field="pcode", queryset=Governorate.objects.all(), many=True, required=False
    )
    valid_from = serializers.DateField()
    valid_until = serializers.DateField()


class ExtractRowOutput(serializers.Serializer):
    """One person in an extract; only the agreement's fields are present, all as text."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            f.key: serializers.CharField(required=False, help_text=f"{f.label} ({f.hxl})")
            for f in sharing.FIELDS
        }


class ExportOutput(serializers.ModelSerializer):
    made_by = serializers.CharField(source="made_by.username", read_only=True)

    class Meta:
        model = Export
        fields = [
            "uuid",
            "created_at",
            "file_format",
            "rows",
            "withheld_without_consent",
            "through_api",
            "made_by",
        ]


class AgreementListApi(generics.ListAPIView):
    serializer_class = AgreementOutput
    pagination_class = StandardPagination
    queryset = SharingAgreement.objects.none()

    def get_queryset(self) -> QuerySet[SharingAgreement]:
        return (
            sharing.agreements_visible_to(signed_in_user(self.request), through_api=True)
            .prefetch_related("governorates")
            .order_by("-valid_until", "reference")
        )

    @extend_schema(summary="Your institution's data-sharing agreements, as provider or as recipient")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=AgreementInput,
        responses={201: AgreementOutput},
        summary="Record a data-sharing agreement your institution has signed (data stewards)",
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        if user.institution is None:
            raise PermissionDenied(_("You are not allowed to do this."))
        data = AgreementInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        agreement = sharing.agreement_create(
            actor=user,
            provider=user.institution,
            recipient=values["recipient"],
            reference=values["reference"],
            purpose=values["purpose"],
            fields=values["fields"],
            governorates=values.get("governorates", []),
            valid_from=values["valid_from"],
            valid_until=values["valid_until"],
        )
        return Response(AgreementOutput(agreement).data, status=status.HTTP_201_CREATED)


class AgreementDetailApi(APIView):
    @extend_schema(responses=AgreementOutput, summary="One data-sharing agreement")
    def get(self, request: Request, agreement_uuid: Any) -> Response:
        agreement = sharing.access_agreement_by_uuid(
            signed_in_user(request), agreement_uuid, through_api=True
        )
        return Response(AgreementOutput(agreement).data)


class AgreementRevokeApi(APIView):
    @extend_schema(
        request=None, responses=AgreementOutput, summary="Revoke an agreement (the provider's data stewards)"
    )
    def post(self, request: Request, agreement_uuid: Any) -> Response:
        user = signed_in_user(request)
        agreement = sharing.access_agreement_by_uuid(user, agreement_uuid, through_api=True)
        revoked = sharing.agreement_revoke(actor=user, agreement=agreement)
        return Response(AgreementOutput(revoked).data)


class AgreementExportListApi(generics.ListAPIView):
    serializer_class = ExportOutput
    pagination_class = StandardPagination
    queryset = Export.objects.none()

    def get_queryset(self) -> QuerySet[Export]:
        # For the parties' data stewards, as on the page; a system account pulls, it does not supervise.
        agreement = sharing.access_agreement_by_uuid(
            signed_in_user(self.request), self.kwargs["agreement_uuid"]
        )
        return agreement.exports.select_related("made_by").order_by("-created_at")

    @extend_schema(summary="The extracts made under an agreement: when, by whom, how many people")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ExtractPagination(CursorPagination):
    """Keyset pages over the record's UUID: page 5,000 of a million people costs what page 1 costs, and
    the cursor names no person (a UUID, never a sequential key or a case number)."""

    ordering = "uuid"
    page_size = 500
    page_size_query_param = "page_size"
    max_page_size = 2000


class AgreementExtractApi(APIView):
    """The receiving ministry's system pulls the extract page by page; each page is an export on record."""

    pagination_class = ExtractPagination

    @extend_schema(
        parameters=[
            OpenApiParameter("cursor", str, description="From the `next` link of the previous page"),
            OpenApiParameter("page_size", int, description="At most 2000; 500 by default"),
        ],
        responses=inline_serializer(
            "ExtractPage",
            {
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": ExtractRowOutput(many=True),
                "fields": serializers.ListField(child=serializers.CharField()),
                "hxl": serializers.DictField(child=serializers.CharField()),
            },
        ),
        summary="The extract under an agreement in force: only consenting people, only the agreement's fields",
    )
    def get(self, request: Request, agreement_uuid: Any) -> Response:
        user = signed_in_user(request)
        agreement = sharing.access_agreement_by_uuid(user, agreement_uuid, through_api=True)
        today = timezone.localdate()
        # Refuses (404 or 409) before anything is read when the caller or the agreement does not allow it.
        sharing.extract_rows(agreement=agreement, actor_or_none=user, today=today, through_api=True)
        fields = sharing.fields_of(agreement)
        paginator = self.pagination_class()
        values = paginator.paginate_queryset(
            sharing.extract_values(agreement, order_by="uuid"), request, view=self
        )
        rows = [sharing.row_of(fields, v) for v in values or []]
        # Counting the people left out reads the whole register: once per pull (its first page), not per page.
        first_page = not request.query_params.get(paginator.cursor_query_param)
        sharing.export_record(
            actor=user,
            agreement=agreement,
            file_format=FileFormat.JSON,
            today=today,
            through_api=True,
            rows=len(rows),
            count_withheld=first_page,
        )
        response = paginator.get_paginated_response(ExtractRowOutput(rows, many=True).data)
        response.data["fields"] = [f.key for f in fields]
        response.data["hxl"] = {f.key: f.hxl for f in fields}
        return response


urlpatterns: list[URLPattern] = [
    path("exchange/agreements/", AgreementListApi.as_view(), name="exchange_agreements"),
    path(
        "exchange/agreements/<uuid:agreement_uuid>/", AgreementDetailApi.as_view(), name="exchange_agreement"
    ),
    path(
        "exchange/agreements/<uuid:agreement_uuid>/revoke/",
        AgreementRevokeApi.as_view(),
        name="exchange_agreement_revoke",
    ),
    path(
        "exchange/agreements/<uuid:agreement_uuid>/exports/",
        AgreementExportListApi.as_view(),
        name="exchange_agreement_exports",
    ),
    path(
        "exchange/agreements/<uuid:agreement_uuid>/extract/",
        AgreementExtractApi.as_view(),
        name="exchange_agreement_extract",
    ),
]
