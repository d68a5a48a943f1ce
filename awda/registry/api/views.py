"""The registry API: returnees (search, filters, create, read, update), consents, households and categories."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.accounts.access import signed_in_user
from awda.accounts.enums import InstitutionType
from awda.accounts.models import Institution
from awda.accounts.roles import Capability, has_capability
from awda.core.api.pagination import CappedPagination
from awda.core.errors import NotFound, PermissionDenied
from awda.geo.enums import Settlement
from awda.geo.models import Country, District, Governorate, SubDistrict
from awda.registry import actions, enums, queries
from awda.registry.access import access_consent_by_uuid, access_returnee_by_uuid, can_see_sensitive
from awda.registry.actions import EditConflict
from awda.registry.models import Category, Consent, HouseholdMember, Occupation, Returnee, ReturneeCategory

RECORD_OUTPUT_FIELDS = [
    "uuid", "case_number", "status", "closure_reason", "version", "created_at", "updated_at",
    "given_name", "father_name", "grandfather_name", "great_grandfather_name", "family_name",
    "given_name_latin", "father_name_latin", "grandfather_name_latin", "family_name_latin", "known_as", "mother_name",
    "sex", "date_of_birth", "birth_date_precision", "place_of_birth", "country_of_birth",
    "country_returned_from", "return_date", "return_type", "assistance_programme", "months_abroad", "status_abroad",
    "times_displaced", "migration_reasons", "aspirations", "intends_to_migrate_again",
    "governorate", "district", "sub_district", "settlement", "address", "housing", "land_property", "education_level",
    "employment_status", "work_experience", "income_sources", "has_debt", "debt_amount_usd", "sold_assets_to_migrate",
    "health_notes", "psychosocial_notes", "vulnerabilities",
]  # fmt: skip


class ReturneeListSerializer(serializers.ModelSerializer):
    governorate = serializers.CharField(source="governorate_id", read_only=True)

    class Meta:
        model = Returnee
        fields = [
            "uuid",
            "case_number",
            "given_name",
            "father_name",
            "grandfather_name",
            "family_name",
            "sex",
            "date_of_birth",
            "governorate",
            "settlement",
            "return_type",
            "status",
        ]


class ReturneeSerializer(serializers.ModelSerializer):
    institution: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    office = serializers.UUIDField(source="office.uuid", read_only=True)
    phones = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    needs = serializers.SerializerMethodField()
    categories = serializers.SerializerMethodField()

    class Meta:
        model = Returnee
        fields = [
            *RECORD_OUTPUT_FIELDS,
            "institution",
            "office",
            "phones",
            "documents",
            "needs",
            "categories",
        ]

    def to_representation(self, instance: Returnee) -> dict[str, Any]:
        data = super().to_representation(instance)
        if not self.context.get("sensitive"):
            for name in actions.SENSITIVE_FIELDS:
                data.pop(name, None)
        return data

    def get_phones(self, returnee: Returnee) -> list[str]:
        return [p.number for p in returnee.phones.all()]

    def get_documents(self, returnee: Returnee) -> list[dict[str, str]]:
        return [
            {"type": d.type, "number": d.number, "status": d.status, "name_on_document": d.name_on_document}
            for d in returnee.documents.all()
        ]

    def get_needs(self, returnee: Returnee) -> list[dict[str, Any]]:
        return [
            {
                "category": n.category,
                "priority": n.priority,
                "urgency": n.urgency,
                "is_interest": n.is_interest,
                "description": n.description,
            }
            for n in returnee.needs.all()
        ]

    def get_extra_answers(self, returnee: Returnee) -> list[dict[str, Any]]:
        return [
            {"form_version": row.form.version, "answers": row.answers}
            for row in returnee.extra_answers.select_related("form").order_by("-form__version")
        ]

    def get_categories(self, returnee: Returnee) -> list[dict[str, Any]]:
        return [
            {"code": rc.category.code, "kind": rc.category.kind, "reasons": rc.reasons}
            for rc in returnee.categories.select_related("category")
        ]


class DocumentInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=enums.DocumentType.choices)
    number = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    status = serializers.ChoiceField(choices=enums.DocumentStatus.choices)
    name_on_document = serializers.CharField(max_length=160, required=False, allow_blank=True, default="")


class NeedInput(serializers.Serializer):
    category = serializers.ChoiceField(choices=enums.NeedCategory.choices)
    priority = serializers.ChoiceField(choices=enums.NeedPriority.choices, default="medium")
    urgency = serializers.ChoiceField(choices=enums.NeedUrgency.choices, default="soon")
    is_interest = serializers.BooleanField(default=False)
    description = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ConsentInput(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=enums.ConsentPurpose.choices)
    granted = serializers.BooleanField()
    method = serializers.ChoiceField(choices=enums.ConsentMethod.choices)
    shared_with = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.all(), required=False, allow_null=True
    )
    shared_with_type = serializers.ChoiceField(
        choices=InstitutionType.choices, required=False, allow_blank=True, default=""
    )
    whole_record = serializers.BooleanField(required=False, default=True)
    fields = serializers.ListField(  # type: ignore[assignment]  # the consent's field, not Serializer.fields
        child=serializers.ChoiceField(choices=enums.SharedField.choices), required=False, default=list
    )
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class MemberInput(serializers.Serializer):
    name = serializers.CharField(max_length=160)
    sex = serializers.ChoiceField(choices=enums.Sex.choices, required=False, allow_blank=True, default="")
    date_of_birth = serializers.DateField(required=False, allow_null=True, default=None)
    relationship = serializers.ChoiceField(choices=enums.Relationship.choices)
    is_dependant = serializers.BooleanField(default=False)
    schooling = serializers.ChoiceField(
        choices=enums.Schooling.choices, required=False, allow_blank=True, default=""
    )


class SkillInput(serializers.Serializer):
    occupation = serializers.PrimaryKeyRelatedField(queryset=Occupation.objects.filter(level=4))
    years_experience = serializers.IntegerField(min_value=0, max_value=70, default=0)
    acquired_abroad = serializers.BooleanField(default=False)


class QualificationInput(serializers.Serializer):
    title = serializers.CharField(max_length=160)
    country = serializers.PrimaryKeyRelatedField(
        queryset=Country.objects.all(), required=False, allow_null=True, default=None
    )
    recognised = serializers.BooleanField(default=False)


def _choice_list(choices: Any) -> serializers.ListField:
    return serializers.ListField(child=serializers.ChoiceField(choices=choices), required=False, default=list)


class RecordInput(serializers.Serializer):
    """The standard case form's fields; on update every field is optional."""

    given_name = serializers.CharField(max_length=60)
    father_name = serializers.CharField(max_length=60)
    grandfather_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    great_grandfather_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    family_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    given_name_latin = serializers.CharField(max_length=60, required=False, allow_blank=True)
    father_name_latin = serializers.CharField(max_length=60, required=False, allow_blank=True)
    grandfather_name_latin = serializers.CharField(max_length=60, required=False, allow_blank=True)
    family_name_latin = serializers.CharField(max_length=60, required=False, allow_blank=True)
    known_as = serializers.CharField(max_length=120, required=False, allow_blank=True)
    mother_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    sex = serializers.ChoiceField(choices=enums.Sex.choices)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    birth_date_precision = serializers.ChoiceField(choices=enums.DatePrecision.choices, required=False)
    place_of_birth = serializers.CharField(max_length=120, required=False, allow_blank=True)
    country_of_birth = serializers.PrimaryKeyRelatedField(
        queryset=Country.objects.all(), required=False, allow_null=True
    )
    country_returned_from = serializers.PrimaryKeyRelatedField(
        queryset=Country.objects.all(), required=False, allow_null=True
    )
    return_date = serializers.DateField(required=False, allow_null=True)
    return_type = serializers.ChoiceField(choices=enums.ReturnType.choices)
    assistance_programme = serializers.CharField(max_length=200, required=False, allow_blank=True)
    months_abroad = serializers.IntegerField(min_value=0, max_value=1200, required=False, allow_null=True)
    status_abroad = serializers.ChoiceField(
        choices=enums.StatusAbroad.choices, required=False, allow_blank=True
    )
    times_displaced = serializers.IntegerField(min_value=0, max_value=50, required=False)
    migration_reasons = _choice_list(enums.MigrationReason.choices)
    aspirations = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    intends_to_migrate_again = serializers.ChoiceField(
        choices=enums.Intention.choices, required=False, allow_blank=True
    )
    governorate = serializers.PrimaryKeyRelatedField(queryset=Governorate.objects.all())
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all())
    sub_district = serializers.PrimaryKeyRelatedField(
        queryset=SubDistrict.objects.all(), required=False, allow_null=True
    )
    settlement = serializers.ChoiceField(choices=Settlement.choices)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    housing = serializers.ChoiceField(choices=enums.Housing.choices, required=False, allow_blank=True)
    land_property = serializers.ChoiceField(
        choices=enums.LandProperty.choices, required=False, allow_blank=True
    )
    education_level = serializers.ChoiceField(
        choices=enums.EducationLevel.choices, required=False, allow_null=True
    )
    employment_status = serializers.ChoiceField(
        choices=enums.EmploymentStatus.choices, required=False, allow_blank=True
    )
    work_experience = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    income_sources = _choice_list(enums.IncomeSource.choices)
    has_debt = serializers.BooleanField(required=False)
    debt_amount_usd = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    sold_assets_to_migrate = serializers.BooleanField(required=False)
    health_notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    psychosocial_notes = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    vulnerabilities = _choice_list(enums.Vulnerability.choices)


class ReturneeCreateInput(RecordInput):
    phones = serializers.ListField(child=serializers.CharField(max_length=40), required=False, default=list)
    documents = DocumentInput(many=True, required=False, default=list)
    qualifications = QualificationInput(many=True, required=False, default=list)
    skills = SkillInput(many=True, required=False, default=list)
    needs = NeedInput(many=True, required=False, default=list)
    consents = ConsentInput(many=True)
    household_members = MemberInput(many=True, required=False, default=list)
    is_head_of_household = serializers.BooleanField(default=False)
    client_reference = serializers.UUIDField(required=False, allow_null=True, default=None)


class ReturneeUpdateInput(RecordInput):
    version = serializers.IntegerField(min_value=1)
    extra_answers = serializers.DictField(required=False)
    phones = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    documents = DocumentInput(many=True, required=False)
    needs = NeedInput(many=True, required=False)


FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description="Name in Arabic or Latin script, case number, phone in any format, or document number",
    ),
    *[
        OpenApiParameter(name, str)
        for name in (
            "category",
            "vulnerability",
            "governorate",
            "district",
            "settlement",
            "return_type",
            "country",
            "sex",
            "status",
        )
    ],
    OpenApiParameter("age_group", str, enum=list(queries.AGE_GROUPS)),
]


def _viewer(request: Request) -> Any:
    user = signed_in_user(request)
    if not has_capability(user, Capability.VIEW_RECORDS):
        raise PermissionDenied(_("You are not allowed to do this."))
    return user


class ReturneeListApi(generics.ListAPIView):
    serializer_class = ReturneeListSerializer
    pagination_class = CappedPagination
    queryset = Returnee.objects.none()

    def get_queryset(self) -> QuerySet[Returnee]:
        user = _viewer(self.request)
        filters = {
            key: self.request.query_params.get(key, "")
            for key in (
                "category",
                "vulnerability",
                "governorate",
                "district",
                "settlement",
                "return_type",
                "country",
                "sex",
                "status",
                "age_group",
            )
        }
        return queries.filter_returnees(queries.returnees_visible_to(user), filters).order_by(
            "-created_at", "-id"
        )

    @extend_schema(
        parameters=FILTER_PARAMETERS, summary="Returnees within your data scope; ?q= searches in any script"
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = request.query_params.get("q", "").strip()
        if not query:
            return super().get(request, *args, **kwargs)
        hits = queries.search_returnees(_viewer(request), query, base=self.get_queryset(), limit=100)
        page = self.paginate_queryset([hit.returnee for hit in hits])
        data = ReturneeListSerializer(page, many=True).data
        for item, hit in zip(data, hits[: len(data)], strict=False):
            item["score"] = hit.score
        return self.get_paginated_response(data)

    @extend_schema(
        request=ReturneeCreateInput, responses={201: ReturneeSerializer}, summary="Register a returnee"
    )
    def post(self, request: Request) -> Response:
        user = signed_in_user(request)
        if (
            not has_capability(user, Capability.REGISTER_RECORDS)
            or user.office is None
            or user.institution_id is None
        ):
            raise PermissionDenied(_("You are not allowed to do this."))
        data = ReturneeCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        related = {
            name: values.pop(name)
            for name in (
                "phones",
                "documents",
                "qualifications",
                "skills",
                "needs",
                "consents",
                "household_members",
                "is_head_of_household",
                "client_reference",
            )
        }
        existing = (
            related["client_reference"]
            and Returnee.objects.filter(
                institution_id=user.institution_id, client_reference=related["client_reference"]
            ).exists()
        )
        returnee = actions.returnee_register(
            actor=user, office=user.office, record=_record(values), **related
        )
        returnee = access_returnee_by_uuid(user, returnee.uuid)
        body = ReturneeSerializer(returnee, context={"sensitive": can_see_sensitive(user, returnee)}).data
        return Response(body, status=status.HTTP_200_OK if existing else status.HTTP_201_CREATED)


def _record(values: dict[str, Any]) -> dict[str, Any]:
    record = {k: v for k, v in values.items() if k in actions.RECORD_FIELDS}
    for name in ("grandfather_name", "great_grandfather_name", "family_name", "known_as", "mother_name"):
        record.setdefault(name, "")
    return record


class ReturneeDetailApi(APIView):
    def _get(self, request: Request, returnee_uuid: str, *, for_edit: bool = False) -> Returnee:
        return access_returnee_by_uuid(_viewer(request), returnee_uuid, for_edit=for_edit)

    @extend_schema(responses=ReturneeSerializer, summary="One returnee (the read is audited)")
    def get(self, request: Request, returnee_uuid: str) -> Response:
        returnee = self._get(request, returnee_uuid)
        user = signed_in_user(request)
        return Response(
            ReturneeSerializer(returnee, context={"sensitive": can_see_sensitive(user, returnee)}).data
        )

    @extend_schema(
        request=ReturneeUpdateInput,
        responses={200: ReturneeSerializer, 409: None},
        summary="Change a returnee; send the version you read, a newer one answers 409 with what changed",
    )
    def patch(self, request: Request, returnee_uuid: str) -> Response:
        user = signed_in_user(request)
        returnee = self._get(request, returnee_uuid, for_edit=True)
        data = ReturneeUpdateInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if "version" not in values:
            raise serializers.ValidationError(
                {"version": [_("Send the version of the record you are changing.")]}
            )
        version = values.pop("version")
        related = {name: values.pop(name) for name in ("phones", "documents", "needs") if name in values}
        extra = values.pop("extra_answers", None)
        try:
            with transaction.atomic():
                updated = actions.returnee_update(
                    actor=user,
                    returnee=returnee,
                    expected_version=version,
                    changes={k: v for k, v in values.items() if k in actions.RECORD_FIELDS},
                    **related,
                )
                if extra is not None:
                    language = (get_language() or "ar").split("-")[0]
                    actions.extra_answers_save(actor=user, returnee=updated, answers=extra, language=language)
        except EditConflict as conflict:
            body = {
                "error": {
                    "code": conflict.code,
                    "message": str(conflict.message),
                    "current_version": conflict.current_version,
                    "changes": [{**c, "at": c["at"].isoformat()} for c in conflict.changes],
                }
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        updated = access_returnee_by_uuid(user, updated.uuid)
        return Response(
            ReturneeSerializer(updated, context={"sensitive": can_see_sensitive(user, updated)}).data
        )


class ConsentSerializer(serializers.ModelSerializer):
    shared_with: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    recorded_by = serializers.CharField(source="recorded_by.username", default="", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Consent
        fields = [
            "uuid",
            "purpose",
            "granted",
            "shared_with",
            "shared_with_type",
            "whole_record",
            "fields",
            "method",
            "recorded_by",
            "recorded_at",
            "withdrawn_at",
            "note",
            "is_active",
        ]


class ConsentListApi(APIView):
    @extend_schema(responses=ConsentSerializer(many=True), summary="A returnee's consents")
    def get(self, request: Request, returnee_uuid: str) -> Response:
        returnee = access_returnee_by_uuid(_viewer(request), returnee_uuid)
        return Response(
            ConsentSerializer(returnee.consents.select_related("shared_with", "recorded_by"), many=True).data
        )

    @extend_schema(
        request=ConsentInput, responses={201: ConsentSerializer}, summary="Record a consent decision"
    )
    def post(self, request: Request, returnee_uuid: str) -> Response:
        user = signed_in_user(request)
        returnee = access_returnee_by_uuid(_viewer(request), returnee_uuid, for_edit=True)
        data = ConsentInput(data=request.data)
        data.is_valid(raise_exception=True)
        consent = actions.consent_record(actor=user, returnee=returnee, data=data.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class ConsentWithdrawApi(APIView):
    @extend_schema(request=None, responses=ConsentSerializer, summary="Withdraw a consent")
    def post(self, request: Request, returnee_uuid: str, consent_uuid: str) -> Response:
        user = signed_in_user(request)
        returnee = access_returnee_by_uuid(_viewer(request), returnee_uuid, for_edit=True)
        consent = access_consent_by_uuid(user, consent_uuid)
        if consent.returnee_id != returnee.pk:
            raise NotFound(_("Not found."))
        return Response(ConsentSerializer(actions.consent_withdraw(actor=user, consent=consent)).data)


class MemberSerializer(serializers.ModelSerializer):
    returnee = serializers.UUIDField(source="returnee.uuid", default=None, read_only=True)

    class Meta:
        model = HouseholdMember
        fields = [
            "uuid",
            "name",
            "sex",
            "date_of_birth",
            "relationship",
            "is_head",
            "is_dependant",
            "schooling",
            "returnee",
        ]


class HouseholdApi(APIView):
    @extend_schema(responses=MemberSerializer(many=True), summary="The members of a returnee's household")
    def get(self, request: Request, returnee_uuid: str) -> Response:
        returnee = access_returnee_by_uuid(_viewer(request), returnee_uuid)
        members = (
            returnee.household.members.select_related("returnee")  # type: ignore[union-attr]
            if returnee.household_id
            else HouseholdMember.objects.none()
        )
        return Response(MemberSerializer(members, many=True).data)

    @extend_schema(request=MemberInput, responses={201: MemberSerializer}, summary="Add a household member")
    def post(self, request: Request, returnee_uuid: str) -> Response:
        user = signed_in_user(request)
        returnee = access_returnee_by_uuid(_viewer(request), returnee_uuid, for_edit=True)
        data = MemberInput(data=request.data)
        data.is_valid(raise_exception=True)
        member = actions.household_member_add(actor=user, returnee=returnee, member=data.validated_data)
        return Response(MemberSerializer(member).data, status=status.HTTP_201_CREATED)


class ReturneeCategorySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="category.code")
    kind = serializers.CharField(source="category.kind")
    name = serializers.CharField(source="category.name")

    class Meta:
        model = ReturneeCategory
        fields = ["code", "kind", "name", "reasons", "rule_version", "assigned_at"]


class ReturneeCategoriesApi(APIView):
    @extend_schema(
        responses=ReturneeCategorySerializer(many=True),
        summary="A returnee's categories, each with its reasons",
    )
    def get(self, request: Request, returnee_uuid: str) -> Response:
        returnee = access_returnee_by_uuid(_viewer(request), returnee_uuid)
        return Response(
            ReturneeCategorySerializer(returnee.categories.select_related("category"), many=True).data
        )


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = [
            "code",
            "kind",
            "name",
            "name_ar",
            "name_ckb",
            "name_en",
            "description",
            "condition",
            "is_active",
            "rule_version",
        ]


class CategoryListApi(generics.ListAPIView):
    serializer_class = CategorySerializer
    queryset = Category.objects.order_by("kind", "order", "code")
    pagination_class = None


class DuplicateCheckApi(APIView):
    @extend_schema(
        request=ReturneeCreateInput,
        responses=None,
        summary="Likely existing records for a registration, with reasons",
    )
    def post(self, request: Request) -> Response:
        user = _viewer(request)
        data = ReturneeCreateInput(
            data={**(request.data if isinstance(request.data, dict) else {}), "consents": []}, partial=True
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        payload = {
            "record": values,
            "phones": values.get("phones", []),
            "documents": values.get("documents", []),
        }
        candidates = queries.duplicate_candidates(user, payload)
        return Response(
            {
                "candidates": [
                    {
                        "uuid": str(c.returnee.uuid),
                        "case_number": c.returnee.case_number,
                        "score": c.score,
                        "reasons": c.reasons,
                    }
                    for c in candidates
                ]
            }
        )
