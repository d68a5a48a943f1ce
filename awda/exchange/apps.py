"""Application configuration of data exchange."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    name = "awda.exchange"
    label = "exchange"
    verbose_name = _("Data exchange")

    def ready(self) -> None:
        from awda.exchange.panels import cross_reference_panel
        from awda.registry.panels import register_case_panel

        register_case_panel(cross_reference_panel)
