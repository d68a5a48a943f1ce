"""Monitoring benchmark: `python bench/monitoring.py [--returnees 1000000 --responses 300000]`.

Reuses the catalogue benchmark's PostgreSQL database (bench/catalogue.py: a million demo returnees),
bulk-creates survey responses on the default instrument at 6 and 12 months after return, then measures:

1. scoring one million answer sets in a batch (the pure rules, as a re-scoring task would run them);
2. a year of programme indicators (all five), in total and by governorate and by category;
3. the early-warning scan in its own chunks of 5,000, over a run of open cases, extrapolated to a million.

Appends the results, the date, the machine and the commit to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("AWDA_DATA_DIR", str(ROOT / "var" / "bench"))

from bench.catalogue import prepare  # noqa: E402  (sets the database up and starts Django)
from bench.common import _machine  # noqa: E402
from bench.referrals import _commit  # noqa: E402


def _responses(wanted: int, rng: random.Random) -> int:
    from awda.monitoring import actions, rules
    from awda.monitoring.models import SurveyResponse
    from awda.monitoring.queries import version_in_use
    from awda.registry.models import Returnee

    version = version_in_use("awda-reintegration")
    assert version is not None
    existing = SurveyResponse.objects.filter(version=version).count()
    if existing >= wanted:
        return existing
    instrument = actions.parsed(version)
    ids = list(
        Returnee.objects.filter(
            return_date__isnull=False, return_date__lte=datetime.now(UTC).date() - timedelta(days=400)
        )
        .order_by("?")
        .values_list("pk", "return_date")[: (wanted - existing) // 2 + 1]
    )
    batch: list[SurveyResponse] = []
    made = existing
    for pk, returned in ids:
        if returned is None:
            continue
        for months in (6, 12):
            answers = {
                i.code: rng.choice(i.options).value for i in instrument.indicators if rng.random() < 0.9
            }
            scores = rules.score(instrument, answers)
            batch.append(
                SurveyResponse(
                    returnee_id=pk,
                    version=version,
                    answers=answers,
                    source="kobo",
                    collected_on=returned + timedelta(days=round(months * 30.44)),
                    economic=scores.dimensions["economic"],
                    social=scores.dimensions["social"],
                    psychosocial=scores.dimensions["psychosocial"],
                    composite=scores.composite,
                    answered=scores.answered,
                )
            )
        if len(batch) >= 5000:
            SurveyResponse.objects.bulk_create(batch)
            made += len(batch)
            batch.clear()
            print(f"\r{made:,} responses", end="", file=sys.stderr)
    SurveyResponse.objects.bulk_create(batch)
    print(file=sys.stderr)
    return SurveyResponse.objects.filter(version=version).count()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--returnees", type=int, default=1_000_000)
    parser.add_argument("--responses", type=int, default=300_000)
    parser.add_argument(
        "--scored", type=int, default=1_000_000, help="answer sets scored in the batch measure"
    )
    parser.add_argument("--sample", type=int, default=50_000, help="open cases scanned for early warning")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    prepare(args.services, args.returnees)
    rng = random.Random(11)

    from django.db import connection
    from django.db.models import Count
    from django.db.models.functions import ExtractYear

    from awda.monitoring import actions, indicators, rules
    from awda.monitoring.queries import version_in_use
    from awda.registry.models import Returnee

    responses = _responses(args.responses, rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE monitoring_surveyresponse")

    # 1. Batch scoring
    version = version_in_use("awda-reintegration")
    assert version is not None
    instrument = actions.parsed(version)
    answer_sets = [
        {i.code: rng.choice(i.options).value for i in instrument.indicators if rng.random() < 0.9}
        for _ in range(args.scored)
    ]
    t0 = time.perf_counter()
    for answers in answer_sets:
        rules.score(instrument, answers)
    scoring = time.perf_counter() - t0

    # 2. A year of indicators
    year_row = (
        Returnee.objects.filter(return_date__isnull=False)
        .annotate(year=ExtractYear("return_date"))
        .values("year")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    assert year_row is not None
    year = year_row["year"]
    from datetime import date

    timings: dict[str, float] = {}
    for by in ("total", "governorate", "category"):
        t0 = time.perf_counter()
        for definition in indicators.definitions():
            indicators.compute(definition, date(year, 1, 1), date(year, 12, 31), by)
        timings[by] = time.perf_counter() - t0

    # 3. Early-warning scan: the daily scan's own chunks, over a run of open cases
    from awda.monitoring.actions import warnings_for

    sample = list(
        Returnee.objects.filter(merged_into__isnull=True)
        .exclude(status="closed")
        .order_by("pk")
        .values_list("pk", flat=True)[: args.sample]
    )
    from awda.monitoring.models import Alert

    def scan_once() -> tuple[float, int]:
        before = Alert.objects.count()
        t0 = time.perf_counter()
        for start in range(0, len(sample), 5000):
            warnings_for(sample[start : start + 5000], datetime.now(UTC).date())
        return time.perf_counter() - t0, Alert.objects.count() - before

    # The first pass over cases never scanned raises most of their alerts; the next is a daily run's.
    first, first_raised = scan_once()
    scan, raised = scan_once()
    per_case = scan / max(1, len(sample))

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        f"| scoring {args.scored:,} answer sets (pure rules, one process) | {scoring:.1f} s | < 2 min |",
        *[
            f"| a year of indicators ({year}, {year_row['n']:,} returnees, {responses:,} responses), "
            f"all five, {'in total' if by == 'total' else 'by ' + by} | {seconds:.2f} s | < 5 s |"
            for by, seconds in timings.items()
        ],
        f"| early-warning scan, first pass over {len(sample):,} open cases ({first_raised:,} alerts raised) | "
        f"{first:.1f} s | — |",
        f"| early-warning scan, daily pass over {len(sample):,} open cases ({raised:,} new alerts) | {scan:.1f} s "
        f"({per_case * 1000:.2f} ms a case; {per_case * 1_000_000 / 60:.1f} min for a million) | < 2 min for a million |",
    ]
    report = "\n".join(
        [
            "",
            f"## Monitoring at {args.returnees:,} returnees — {stamp} (commit {_commit()})",
            "",
            f"Machine: {_machine()}. Command: `python bench/monitoring.py --returnees {args.returnees} "
            f"--responses {args.responses}`.",
            "",
            "| measure | time | target |",
            "|---|---|---|",
            *rows,
            "",
        ]
    )
    print(report)
    if not args.no_write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write(report)


if __name__ == "__main__":
    main()
