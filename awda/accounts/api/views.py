"""The accounts API: the signed-in user, users (scoped), institutions, offices and the audit log."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend
from django_tasks.exceptions import TaskResultDoesNotExist
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts import actions, queries
from awda.accounts.access import access_user_by_uuid, signed_in_user
from awda.accounts.enums import InstitutionType, Role, ScopeLevel
from awda.accounts.models import Institution, Office, User
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import NotFound, PermissionDenied
from awda.core.models import AuditAction, AuditEntry, TaskProgress
from awda.geo.models import District, Governorate


class InstitutionRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["uuid", "code", "name", "name_ar", "name_ckb", "name_en", "type"]


class OfficeRefSerializer(serializers.ModelSerializer):
    institution = serializers.UUIDField(source="institution.uuid", read_only=True)
    governorate = serializers.CharField(source="governorate_id", read_only=True)
    district = serializers.CharField(source="district_id", read_only=True)

    class Meta:
        model = Office
        fields = [
            "uuid",
            "institution",
            "name",
            "name_ar",
            "name_ckb",
            "name_en",
            "governorate",
            "district",
            "area_level",
            "is_active",
        ]


class UserOutputSerializer(serializers.ModelSerializer):
    institution = InstitutionRefSerializer(read_only=True)
    office = OfficeRefSerializer(read_only=True)

    class Meta:
        model = User
        fields = [
            "uuid",
            "username",
            "first_name",
            "last_name",
            "email",
            "phone",
            "role",
            "scope",
            "language",
            "is_active",
            "institution",
            "office",
        ]


def _require(user: Any, *capabilities: Capability) -> None:
    if not any(has_capability(user, c) for c in capabilities):
        raise PermissionDenied(_("You are not allowed to do this."))


class MeApi(APIView):
    @extend_schema(responses=UserOutputSerializer, summary="The signed-in user")
    def get(self, request: Request) -> Response:
        return Response(UserOutputSerializer(request.user).data)


class UserFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search in user name and names")
    role = django_filters.ChoiceFilter(choices=Role.choices)
    institution = django_filters.UUIDFilter(field_name="institution__uuid")
    office = django_filters.UUIDFilter(field_name="office__uuid")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["q", "role", "institution", "office", "is_active"]

    def search(self, queryset: QuerySet[User], name: str, value: str) -> QuerySet[User]:
        return queryset.filter(
            Q(username__icontains=value) | Q(first_name__icontains=value) | Q(last_name__icontains=value)
        )


class UserCreateInputSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150)
    password = serializers.CharField(write_only=True)
    role = serializers.ChoiceField(choices=Role.choices)
    institution = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    office = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Office.objects.all(), required=False, allow_null=True
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=ScopeLevel.choices, required=False)
    language = serializers.ChoiceField(choices=["ar", "ckb", "en"], required=False)


class UserListApi(generics.ListAPIView):
    serializer_class = UserOutputSerializer
    queryset = User.objects.none()
    filterset_class = UserFilter
    ordering_fields = ["username", "date_joined"]
    ordering = ["username"]

    def get_queryset(self) -> QuerySet[User]:
        _require(self.request.user, Capability.MANAGE_ALL_USERS, Capability.MANAGE_UNIT_USERS)
        return queries.users_visible_to(signed_in_user(self.request))

    @extend_schema(
        request=UserCreateInputSerializer, responses={201: UserOutputSerializer}, summary="Create an account"
    )
    def post(self, request: Request) -> Response:
        _require(request.user, Capability.MANAGE_ALL_USERS, Capability.MANAGE_UNIT_USERS)
        data = UserCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values.setdefault("institution", None)
        values.setdefault("office", None)
        user = actions.user_create(actor=signed_in_user(request), **values)
        return Response(UserOutputSerializer(user).data, status=status.HTTP_201_CREATED)


class UserUpdateInputSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    institution = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    office = serializers.SlugRelatedField(
        slug_field="uuid", queryset=Office.objects.all(), required=False, allow_null=True
    )
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    scope = serializers.ChoiceField(choices=ScopeLevel.choices, required=False)
    is_active = serializers.BooleanField(required=False)


class UserDetailApi(APIView):
    @extend_schema(responses=UserOutputSerializer, summary="One account (the read is audited)")
    def get(self, request: Request, user_uuid: str) -> Response:
        _require(request.user, Capability.MANAGE_ALL_USERS, Capability.MANAGE_UNIT_USERS)
        return Response(UserOutputSerializer(access_user_by_uuid(signed_in_user(request), user_uuid)).data)

    @extend_schema(
        request=UserUpdateInputSerializer, responses=UserOutputSerializer, summary="Change an account"
    )
    def patch(self, request: Request, user_uuid: str) -> Response:
        _require(request.user, Capability.MANAGE_ALL_USERS, Capability.MANAGE_UNIT_USERS)
        subject = access_user_by_uuid(signed_in_user(request), user_uuid)
        data = UserUpdateInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        user = actions.user_update(actor=signed_in_user(request), user=subject, **data.validated_data)
        return Response(UserOutputSerializer(user).data)


class InstitutionInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=40)
    name_ar = serializers.CharField(max_length=200)
    name_ckb = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200)
    type = serializers.ChoiceField(choices=InstitutionType.choices)
    # The stubs declare Field.parent; this "parent" is the institution an institution belongs to.
    parent = serializers.SlugRelatedField(  # type: ignore[assignment]
        slug_field="uuid", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    is_active = serializers.BooleanField(required=False)


class InstitutionListApi(generics.ListAPIView):
    serializer_class = InstitutionRefSerializer
    filterset_fields = ["type", "is_active"]
    queryset = Institution.objects.none()

    def get_queryset(self) -> QuerySet[Institution]:
        return queries.institutions_list()

    @extend_schema(
        request=InstitutionInputSerializer,
        responses={201: InstitutionRefSerializer},
        summary="Create an institution",
    )
    def post(self, request: Request) -> Response:
        _require(request.user, Capability.MANAGE_INSTITUTIONS)
        data = InstitutionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        institution = actions.institution_create(actor=signed_in_user(request), **data.validated_data)
        return Response(InstitutionRefSerializer(institution).data, status=status.HTTP_201_CREATED)


class InstitutionDetailApi(APIView):
    def _get(self, institution_uuid: str) -> Institution:
        try:
            return Institution.objects.get(uuid=institution_uuid)
        except (Institution.DoesNotExist, ValueError) as error:
            raise NotFound(_("Not found.")) from error

    @extend_schema(responses=InstitutionRefSerializer)
    def get(self, request: Request, institution_uuid: str) -> Response:
        return Response(InstitutionRefSerializer(self._get(institution_uuid)).data)

    @extend_schema(request=InstitutionInputSerializer, responses=InstitutionRefSerializer)
    def patch(self, request: Request, institution_uuid: str) -> Response:
        _require(request.user, Capability.MANAGE_INSTITUTIONS)
        institution = self._get(institution_uuid)
        data = InstitutionInputSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        institution = actions.institution_update(
            actor=signed_in_user(request), institution=institution, **data.validated_data
        )
        return Response(InstitutionRefSerializer(institution).data)


class OfficeFilter(django_filters.FilterSet):
    institution = django_filters.UUIDFilter(field_name="institution__uuid")
    governorate = django_filters.CharFilter(field_name="governorate_id")

    class Meta:
        model = Office
        fields = ["institution", "governorate", "is_active"]


class OfficeInputSerializer(serializers.Serializer):
    institution = serializers.SlugRelatedField(slug_field="uuid", queryset=Institution.objects.all())
    name_ar = serializers.CharField(max_length=200)
    name_ckb = serializers.CharField(max_length=200)
    name_en = serializers.CharField(max_length=200)
    governorate = serializers.PrimaryKeyRelatedField(queryset=Governorate.objects.all())
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    area_level = serializers.ChoiceField(choices=["governorate", "district"], required=False)


class OfficeListApi(generics.ListAPIView):
    serializer_class = OfficeRefSerializer
    filterset_class = OfficeFilter
    queryset = Office.objects.none()

    def get_queryset(self) -> QuerySet[Office]:
        return queries.offices_list()

    @extend_schema(
        request=OfficeInputSerializer, responses={201: OfficeRefSerializer}, summary="Create an office"
    )
    def post(self, request: Request) -> Response:
        _require(request.user, Capability.MANAGE_INSTITUTIONS)
        data = OfficeInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        office = actions.office_create(actor=signed_in_user(request), **values)
        return Response(OfficeRefSerializer(office).data, status=status.HTTP_201_CREATED)


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor_username",
            "action",
            "object_type",
            "object_id",
            "changed_fields",
            "request_id",
            "ip_address",
            "hash",
        ]


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.CharFilter(field_name="actor_username", lookup_expr="iexact")
    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lte")

    class Meta:
        model = AuditEntry
        fields = ["actor", "action", "object_type", "object_id", "request_id", "since", "until"]


class AuditListApi(generics.ListAPIView):
    serializer_class = AuditEntrySerializer
    filterset_class = AuditFilter
    ordering = ["-seq"]
    ordering_fields = ["seq"]
    queryset = AuditEntry.objects.none()

    def get_queryset(self) -> QuerySet[AuditEntry]:
        _require(self.request.user, Capability.VIEW_AUDIT)
        return AuditEntry.objects.all()


class TaskProgressSerializer(serializers.ModelSerializer):
    status = serializers.SerializerMethodField()
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = TaskProgress
        fields = [
            "task_id",
            "kind",
            "status",
            "current",
            "total",
            "percent",
            "outcome",
            "created_at",
            "updated_at",
        ]

    def get_status(self, progress: TaskProgress) -> str:
        try:
            return str(default_task_backend.get_result(progress.task_id).status)
        except (TaskResultDoesNotExist, ValueError):
            return "FAILED"


class TaskProgressApi(APIView):
    @extend_schema(responses=TaskProgressSerializer, summary="Progress of one of your background tasks")
    def get(self, request: Request, task_id: str) -> Response:
        progress = TaskProgress.objects.filter(task_id=task_id, owner_id=request.user.pk).first()
        if progress is None:
            raise NotFound(_("Not found."))
        return Response(TaskProgressSerializer(progress).data)
