"""`awda jobs_rematch`: rank every job seeker's best open offers again (nightly cron, or after many offers)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from awda.jobs.rematch import rematch


class Command(BaseCommand):
    help = "Rank every job seeker's best open offers again."

    def handle(self, *args: Any, **options: Any) -> None:
        def show(done: int, total: int) -> None:
            print(f"\r{done:,} / {total:,} people", end="", file=sys.stderr)

        result = rematch(on_progress=show)
        print(file=sys.stderr)
        self.stdout.write(
            f"{result.people:,} people, {result.offers:,} open offers, {result.matches:,} matches kept "
            f"in {result.seconds:.0f} s"
        )
