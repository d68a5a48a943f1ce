"""URLs of monitoring, under /monitoring/."""

from django.urls import path

from awda.monitoring.views import surveys

app_name = "monitoring"

urlpatterns = [
    path("cases/<uuid:returnee_uuid>/surveys/<slug:code>/new/", surveys.survey_new, name="survey_new"),
]
