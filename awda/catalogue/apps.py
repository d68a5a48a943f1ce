"""Application configuration of the service catalogue."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "awda.catalogue"
    label = "catalogue"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from awda.catalogue import signals  # noqa: F401  (connects the institution receiver)
        from awda.catalogue.panels import eligible_services_panel
        from awda.registry.panels import register_case_panel

        register_case_panel(eligible_services_panel)
