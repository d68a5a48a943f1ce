"""`awda referrals_tick`: expire unanswered referrals and tell supervisors of overdue ones (run it hourly by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from awda.referrals.actions import referrals_expire, referrals_notify_overdue


class Command(BaseCommand):
    help = (
        "Expire referrals nobody answered within the provider's service level, and notify supervisors of "
        "accepted referrals still open after the completion time. Run it every hour (cron or a systemd timer)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        expired = referrals_expire()
        overdue = referrals_notify_overdue()
        self.stdout.write(f"{expired} referrals expired; {overdue} overdue referrals reported.")
