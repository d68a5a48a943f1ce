"""API of monitoring (/api/v1/surveys/…)."""

from django.urls import path

from awda.monitoring.api.views import SurveyScoreApi

urlpatterns = [
    path("surveys/score", SurveyScoreApi.as_view(), name="surveys_score"),
]
