"""API of data exchange: a ministry's system lists its sources, pushes records as JSON and reads the review queue."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.accounts.models import User
from awda.core.errors import NotFound
from awda.exchange import actions
from awda.exchange.access import access_batch_by_id, access_source_by_id, home, is_steward
from awda.exchange.models import ImportBatch, Source


def _steward(request: Request) -> User:
    user = signed_in_user(request)
    if not is_steward(user):
        raise NotFound(_("Not found."))
    return user


class SourceSerializer(serializers.ModelSerializer):
    held_by = serializers.UUIDField(source="held_by.uuid", read_only=True)
    records = serializers.IntegerField(source="record_count", read_only=True)

    class Meta:
        model = Source
        fields = [
            "uuid",
            "name_ar",
            "name_ckb",
            "name_en",
            "kind",
            "held_by",
            "column_mapping",
            "sync_fields",
            "records",
        ]


class BatchSerializer(serializers.ModelSerializer):
    source = serializers.UUIDField(source="source.uuid", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = ImportBatch
        fields = [
            "uuid",
            "source",
            "file_name",
            "status",
            "rows_total",
            "rows_valid",
            "rows_with_errors",
            "rows_new",
            "rows_updated",
            "rows_unchanged",
            "committed_at",
        ]


class RecordsInput(serializers.Serializer):
    records = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=False,
        help_text="Objects with record_id and full_name or given_name, and any of the other fields of a source.",
    )


class SourceListApi(APIView):
    @extend_schema(responses=SourceSerializer(many=True), summary="The sources of your institution")
    def get(self, request: Request) -> Response:
        from django.db.models import Count

        user = _steward(request)
        sources = (
            Source.objects.filter(institution_id=home(user))
            .select_related("held_by")
            .annotate(record_count=Count("records"))
        )
        return Response(SourceSerializer(sources, many=True).data)


class RecordsPushApi(APIView):
    @extend_schema(
        request=RecordsInput,
        responses={201: BatchSerializer},
        summary="Push records of a source: all are imported, or none with every problem listed",
    )
    def post(self, request: Request, source_uuid: str) -> Response:
        user = _steward(request)
        source = access_source_by_id(user, source_uuid)
        if source is None:
            raise NotFound(_("Not found."))
        data = RecordsInput(data=request.data)
        data.is_valid(raise_exception=True)
        batch = actions.records_push(actor=user, source=source, records=data.validated_data["records"])
        return Response(BatchSerializer(batch).data, status=status.HTTP_201_CREATED)


class BatchApi(APIView):
    @extend_schema(responses=BatchSerializer, summary="The state of an import")
    def get(self, request: Request, batch_uuid: str) -> Response:
        user = _steward(request)
        batch: Any = access_batch_by_id(user, batch_uuid)
        if batch is None:
            raise NotFound(_("Not found."))
        return Response(BatchSerializer(batch).data)


urlpatterns: list[URLPattern] = [
    path("exchange/sources/", SourceListApi.as_view(), name="exchange_sources"),
    path(
        "exchange/sources/<uuid:source_uuid>/records/", RecordsPushApi.as_view(), name="exchange_records_push"
    ),
    path("exchange/imports/<uuid:batch_uuid>/", BatchApi.as_view(), name="exchange_batch"),
]
