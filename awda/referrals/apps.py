"""Application configuration of referrals and reintegration plans."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "awda.referrals"
    label = "referrals"
    verbose_name = _("Referrals and plans")

    def ready(self) -> None:
        from awda.referrals.panels import referrals_panel
        from awda.registry.panels import register_case_panel

        register_case_panel(referrals_panel)
