"""`awda early_warning_scan`: run the early-warning rules on every open case (daily, by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from awda.monitoring.actions import warnings_scan


class Command(BaseCommand):
    help = (
        "Run the early-warning rules on every open case and raise alerts for new setbacks (time-based ones "
        "such as no contact or documents still missing need this daily run; survey results raise theirs at once)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        scanned, raised = warnings_scan(today=timezone.localdate())
        self.stdout.write(f"{scanned} open cases scanned; {raised} new alerts.")
