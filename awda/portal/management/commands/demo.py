"""`awda demo`: create demo institutions, offices, one account per role and demo returnees; print the logins."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation

from awda.accounts.demo import DEMO_PASSWORD, demo_accounts
from awda.catalogue.demo import demo_catalogue
from awda.exchange.demo import demo_exchange
from awda.jobs.demo import demo_jobs, demo_jobs_account
from awda.monitoring.demo import demo_monitoring
from awda.referrals.demo import demo_referrals
from awda.registry.demo import demo_returnees, demo_returnees_bulk, demo_returnees_parallel
from awda.registry.models import Returnee


class Command(BaseCommand):
    help = "Create demo data (idempotent for accounts) and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--returnees",
            type=int,
            default=None,
            help="How many demo returnees to add (default: 300 when there are none yet, otherwise none).",
        )
        parser.add_argument("--seed", type=int, default=7, help="Random seed of the generated people.")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Processes generating in parallel in bulk mode (PostgreSQL only; default 1).",
        )
        parser.add_argument(
            "--bulk",
            action="store_true",
            help="Insert in batches (automatic above 2,000 returnees): for benchmarks at scale.",
        )
        parser.add_argument(
            "--no-exchange",
            action="store_true",
            help="Do not import and link the demo MoLSA register (skipped anyway in bulk mode).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override("en"):
            logins = demo_accounts()
            jobs_login = demo_jobs_account()  # MoLSA's employment office, who acts for companies
            if jobs_login is not None:
                logins.append(jobs_login)
            wanted = options["returnees"]
            if wanted is None:
                wanted = 0 if Returnee.objects.exists() else 300
            if wanted:
                started = time.monotonic()
                seed = options["seed"] + Returnee.objects.count()
                if options["bulk"] or wanted > 2000:

                    def report(done: int) -> None:
                        rate = done / max(time.monotonic() - started, 1e-9)
                        self.stderr.write(f"\r{done:,} / {wanted:,} returnees ({rate:,.0f}/s)", ending="")

                    workers = max(1, options["workers"])
                    if workers > 1:
                        created = demo_returnees_parallel(wanted, seed=seed, workers=workers)
                    else:
                        created = demo_returnees_bulk(wanted, seed=seed, progress=report)
                    self.stderr.write("")
                else:
                    created = demo_returnees(wanted, seed=seed)
                self.stdout.write(
                    f"{created} demo returnees registered in {time.monotonic() - started:.1f} s."
                )
            self.stdout.write(f"Service catalogue: {demo_catalogue()}.")
            self.stdout.write(f"Referrals and plans: {demo_referrals()}.")
            self.stdout.write(f"Follow-up surveys: {demo_monitoring()}.")
            self.stdout.write(f"Job market: {demo_jobs()}.")
            if not options["no_exchange"] and not options["bulk"] and wanted <= 2000:
                self.stdout.write(f"Data exchange: {demo_exchange()}.")
            self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in at http://127.0.0.1:8000/ with:"))
            self.stdout.write(f"  {'user name':<18} {'role':<24} institution")
            for login in logins:
                note = "  (sets up two-factor authentication at first sign-in)" if login.two_factor else ""
                self.stdout.write(f"  {login.username:<18} {login.role:<24} {login.institution}{note}")
            self.stdout.write(f"Password for every demo account: {DEMO_PASSWORD}")
