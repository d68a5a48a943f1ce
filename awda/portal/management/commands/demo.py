"""`awda demo`: create demo institutions, offices and one account per role, and print the logins."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from awda.accounts.demo import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            logins = demo_accounts()
            self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ with:"))
            self.stdout.write(f"  {'user name':<18} {'role':<24} institution")
            for login in logins:
                note = "  (sets up two-factor authentication at first sign-in)" if login.two_factor else ""
                self.stdout.write(f"  {login.username:<18} {login.role:<24} {login.institution}{note}")
            self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
