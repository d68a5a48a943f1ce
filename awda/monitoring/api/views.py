"""The scoring API: answers scored against an instrument version, nothing saved."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from awda.monitoring import rules
from awda.monitoring.actions import answer_problems, parsed
from awda.monitoring.models import InstrumentVersion


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
            raise NotFound("No such instrument or version.")
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
