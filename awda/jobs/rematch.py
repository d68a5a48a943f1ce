"""The full re-match: every job seeker against every open offer, keeping each person's best offers
(``OfferMatch``, ``AWDA_MATCHES_KEPT`` per person). Runs as a background task (``tasks.rematch_task``)
or ``awda jobs_rematch``; a million people against 20,000 offers is measured in bench/jobs.py."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from awda.jobs.models import OfferMatch
from awda.jobs.queries import job_seekers, offer_index, person_facts


@dataclass(frozen=True)
class RematchResult:
    people: int
    offers: int
    matches: int
    seconds: float


def rematch(*, chunk: int = 10_000, on_progress: Callable[[int, int], None] | None = None) -> RematchResult:
    started = time.monotonic()
    index, offer_pk = offer_index()
    keys = index.arrays.keys
    ids = list(job_seekers().order_by("pk").values_list("pk", flat=True))
    kept = settings.AWDA_MATCHES_KEPT
    written = 0
    # Rebuilt from scratch: people who stopped looking, and offers that closed, leave no stale rows behind.
    OfferMatch.objects.all().delete()
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        facts = person_facts(part)
        people = [pk for pk in part if pk in facts]
        best = index.top_many([facts[pk] for pk in people], kept) if len(index) else [[] for _ in people]
        rows = [
            OfferMatch(returnee_id=pk, offer_id=offer_pk[keys[row]], rank=rank, score=score)
            for pk, found in zip(people, best, strict=True)
            for rank, (row, score) in enumerate(found, start=1)
        ]
        with transaction.atomic():
            OfferMatch.objects.bulk_create(rows, batch_size=5000)
        written += len(rows)
        if on_progress is not None:
            on_progress(min(start + chunk, len(ids)), len(ids))
    return RematchResult(len(ids), len(index), written, time.monotonic() - started)
