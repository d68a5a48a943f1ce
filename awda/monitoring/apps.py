"""Application configuration of monitoring: follow-up surveys and reintegration scores."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "awda.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self) -> None:
        from awda.monitoring.closure import reintegration_achieved_check
        from awda.monitoring.panels import plan_scores_panel, scores_panel
        from awda.referrals.plan_panels import register_plan_panel
        from awda.registry.closure import register_closure_check
        from awda.registry.panels import register_case_panel

        register_case_panel(scores_panel)
        register_plan_panel(plan_scores_panel)
        register_closure_check(reintegration_achieved_check)
