"""URLs of monitoring, under /monitoring/."""

from django.urls import path

from awda.monitoring.views import alerts, evaluations, indicators, surveys

app_name = "monitoring"

urlpatterns = [
    path("alerts/", alerts.alert_list, name="alerts"),
    path("follow-ups/", surveys.follow_ups, name="follow_ups"),
    path("surveys/<slug:code>/xlsform/", surveys.survey_xlsform, name="survey_xlsform"),
    path("surveys/<slug:code>/import/", surveys.survey_import, name="survey_import"),
    path("alerts/<uuid:alert_uuid>/<slug:step>/", alerts.alert_step, name="alert_step"),
    path("systemic/", alerts.systemic_view, name="systemic"),
    path("referrals/<uuid:referral_uuid>/evaluation/", evaluations.evaluation_new, name="evaluation_new"),
    path("providers/", evaluations.provider_performance, name="providers"),
    path("indicators/", indicators.indicator_table, name="indicators"),
    path("cases/<uuid:returnee_uuid>/surveys/<slug:code>/new/", surveys.survey_new, name="survey_new"),
]
