"""API of monitoring (/api/v1/surveys/…, a returnee's surveys, /api/v1/alerts/…)."""

from django.urls import URLPattern, path

from awda.monitoring.api import views

urlpatterns: list[URLPattern] = [
    path("surveys/score", views.SurveyScoreApi.as_view(), name="surveys_score"),
    path(
        "returnees/<uuid:returnee_uuid>/surveys/",
        views.ReturneeSurveyListApi.as_view(),
        name="returnee_surveys",
    ),
    path("alerts/", views.AlertListApi.as_view(), name="alerts"),
    path(
        "alerts/<uuid:alert_uuid>/acknowledge/", views.AlertAcknowledgeApi.as_view(), name="alert_acknowledge"
    ),
    path("alerts/<uuid:alert_uuid>/resolve/", views.AlertResolveApi.as_view(), name="alert_resolve"),
]
