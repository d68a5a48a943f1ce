"""`awda quality_snapshot`: store today's data-quality figures of every registry and every source (run daily by cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from awda.exchange import quality


class Command(BaseCommand):
    help = (
        "Store today's data-quality figures of every institution's registry and of every source. "
        "Run it once a day (cron); running it again the same day replaces that day's figures."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # No --day option on purpose: the figures describe the records as they are now, so filing
        # them under another day would put a false point in the trend.
        day = timezone.localdate()
        taken = quality.snapshot_all(today=day)
        registries = sum(1 for s in taken if s.source_id is None)
        self.stdout.write(
            self.style.SUCCESS(
                f"Quality snapshots of {day.isoformat()}: {registries} registries, {len(taken) - registries} sources."
            )
        )
