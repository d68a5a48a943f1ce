"""Application configuration of accounts."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "awda.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from awda.accounts import signals  # noqa: F401  (audits sign-ins)
