"""Application configuration of the job market: employers, offers, skills matching and placements."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "awda.jobs"
    label = "jobs"
    verbose_name = _("Jobs and employers")

    def ready(self) -> None:
        from awda.jobs.panels import jobs_panel
        from awda.registry.panels import register_case_panel

        register_case_panel(jobs_panel)
