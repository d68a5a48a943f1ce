"""The public API of the catalogue: ``/api/v1/services/`` (the same search as the public pages)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from awda.catalogue import enums
from awda.catalogue.models import Service, ServiceCategory
from awda.catalogue.queries import SearchFilters, running_services, search_services, services_page
from awda.core.api.pagination import StandardPagination
from awda.geo.models import District, Governorate


class ServiceOutput(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    category = serializers.CharField(source="category.code")
    top_category = serializers.SerializerMethodField()
    governorates = serializers.SerializerMethodField()
    districts = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = [
            "uuid",
            "code",
            "organisation",
            "category",
            "top_category",
            "name_ar",
            "name_ckb",
            "name_en",
            "description_ar",
            "description_ckb",
            "description_en",
            "how_to_access_ar",
            "how_to_access_ckb",
            "how_to_access_en",
            "cost",
            "languages",
            "nationwide",
            "remote",
            "governorates",
            "districts",
            "settlements",
            "criteria",
            "capacity_per_month",
            "phone",
            "email",
            "hours",
            "starts_on",
            "ends_on",
            "version",
        ]

    def get_organisation(self, service: Service) -> dict[str, Any]:
        organisation = service.organisation
        return {
            "uuid": str(organisation.uuid),
            "code": organisation.code,
            "type": organisation.type,
            "name_ar": organisation.name_ar,
            "name_ckb": organisation.name_ckb,
            "name_en": organisation.name_en,
        }

    def get_governorates(self, service: Service) -> list[str]:
        codes = getattr(service, "governorate_codes", None)
        return list(codes) if codes is not None else sorted(g.pcode for g in service.governorates.all())

    def get_districts(self, service: Service) -> list[str]:
        codes = getattr(service, "district_codes", None)
        return list(codes) if codes is not None else sorted(d.pcode for d in service.districts.all())

    def get_top_category(self, service: Service) -> str:
        return service.category.top.code


class SearchInput(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)
    category = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceCategory.objects.filter(is_active=True), required=False
    )
    governorate = serializers.SlugRelatedField(
        slug_field="pcode", queryset=Governorate.objects.all(), required=False
    )
    district = serializers.SlugRelatedField(
        slug_field="pcode", queryset=District.objects.all(), required=False
    )
    language = serializers.ChoiceField(choices=enums.ServiceLanguage.choices, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        governorate, district = attrs.get("governorate"), attrs.get("district")
        if governorate is not None and district is not None and district.governorate_id != governorate.pcode:
            raise serializers.ValidationError({"district": [_("The district is not in this governorate.")]})
        return attrs


class ServiceListApi(generics.ListAPIView):
    """Services offered now, nearest first when a place is given. Public: no sign-in needed."""

    permission_classes = [AllowAny]
    serializer_class = ServiceOutput
    pagination_class = StandardPagination

    def get_queryset(self) -> Any:
        params = SearchInput(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = SearchFilters(
            q=data.get("q", ""),
            category=data.get("category"),
            governorate=data.get("governorate"),
            district=data.get("district"),
            language=data.get("language", ""),
        )
        return search_services(filters)

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Words in any of the three languages"),
            OpenApiParameter("category", str, description="Code of a category or subcategory"),
            OpenApiParameter("governorate", str, description="P-code of a governorate"),
            OpenApiParameter("district", str, description="P-code of a district"),
            OpenApiParameter("language", str, enum=enums.ServiceLanguage.values),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        paginator = self.paginator
        assert isinstance(paginator, StandardPagination)
        size = paginator.get_page_size(request) or paginator.page_size
        page, services = services_page(self.get_queryset(), request.query_params.get("page", 1), size)
        if str(page.number) != str(request.query_params.get("page", 1)) and "page" in request.query_params:
            raise NotFound()
        paginator.page = page
        paginator.request = request
        return paginator.get_paginated_response(self.get_serializer(services, many=True).data)


class ServiceDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceOutput
    lookup_field = "uuid"
    lookup_url_kwarg = "service_uuid"

    def get_queryset(self) -> Any:
        return (
            running_services()
            .select_related("organisation", "category__parent")
            .prefetch_related("governorates", "districts")
        )


class ServiceCategoryOutput(serializers.ModelSerializer):
    # A plain code: the registry's need choices already have their enum in the schema.
    need_category = serializers.CharField(read_only=True)
    parent = serializers.SlugRelatedField[ServiceCategory](slug_field="code", read_only=True)  # type: ignore[assignment]

    class Meta:
        model = ServiceCategory
        fields = ["code", "parent", "name_ar", "name_ckb", "name_en", "need_category"]


class ServiceCategoryListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceCategoryOutput
    pagination_class = None
    queryset = ServiceCategory.objects.filter(is_active=True).select_related("parent").order_by("order")
