"""Registry benchmark at scale: `python bench/registry.py [--returnees 1000000]`.

Builds (once) a PostgreSQL database with N demo returnees, then measures, as a signed-in user would
meet them: name search (misspelt and transliterated), the intake duplicate check, the case page, and
a filtered list's first page with its total. Appends the results, the date and the machine to
docs/benchmarks.md. Needs PostgreSQL (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/awda_bench).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/awda_bench"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AWDA_DATA_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.common import _ensure_database, _machine  # noqa: E402


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _timed(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    timings = []
    for i in range(repeat):
        started = time.perf_counter()
        fn(i)
        timings.append((time.perf_counter() - started) * 1000)
    return timings


MISSPELL = {"ي": "ی", "ك": "ک", "ة": "ه", "أ": "ا", "ى": "ي", "ه": "ة"}


def _misspelt(text: str, rng: random.Random) -> str:
    chars = [MISSPELL.get(ch, ch) if rng.random() < 0.5 else ch for ch in text]
    return "".join(chars)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--returnees", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    _ensure_database()
    call_command("migrate", verbosity=0)
    from awda.accounts.demo import demo_accounts
    from awda.accounts.models import User
    from awda.registry.demo import demo_returnees_parallel
    from awda.registry.models import Returnee
    from awda.registry.queries import duplicate_candidates, search_returnees

    demo_accounts()
    existing = Returnee.objects.count()
    generation = None
    if existing < args.returnees:
        missing = args.returnees - existing
        print(f"Generating {missing:,} returnees…", file=sys.stderr)
        started = time.monotonic()
        demo_returnees_parallel(missing, seed=existing + 11, workers=os.cpu_count() or 2)
        generation = time.monotonic() - started
        print(f"\nGenerated in {generation:.0f} s", file=sys.stderr)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total = Returnee.objects.count()
    rng = random.Random(5)
    steward = User.objects.get(username="steward")  # whole institution: the widest scope
    worker = User.objects.get(username="caseworker")  # Baghdad office area
    sample = list(Returnee.objects.filter(governorate_id="IQG08").order_by("?")[: args.samples])

    def latin_or_arabic(i: int) -> str:
        r = sample[i % len(sample)]
        if i % 2 and r.given_name_latin and r.father_name_latin:
            return f"{r.given_name_latin} {r.father_name_latin} {r.family_name_latin}".strip()
        return _misspelt(f"{r.given_name} {r.father_name} {r.grandfather_name}", rng)

    queries = [latin_or_arabic(i) for i in range(args.samples)]
    search_worker = _timed(lambda i: search_returnees(worker, queries[i]), args.samples)
    search_steward = _timed(lambda i: search_returnees(steward, queries[i]), args.samples)
    found = sum(
        1
        for i in range(args.samples)
        if sample[i % len(sample)].pk in [h.returnee.pk for h in search_returnees(worker, queries[i])]
    )

    def payload(i: int) -> dict:  # type: ignore[type-arg]
        r = sample[i % len(sample)]
        return {
            "record": {
                "given_name": _misspelt(r.given_name, rng),
                "father_name": r.father_name,
                "grandfather_name": r.grandfather_name,
                "family_name": r.family_name,
                "mother_name": r.mother_name,
                "date_of_birth": r.date_of_birth,
            },
            "phones": [p.number for p in r.phones.all()],
            "documents": [],
        }

    payloads = [payload(i) for i in range(args.samples)]
    duplicates = _timed(lambda i: duplicate_candidates(worker, payloads[i]), args.samples)

    setup_test_environment()
    client = Client()
    client.force_login(worker)
    client.get("/home/")
    case_page = _timed(lambda i: client.get(f"/returnees/{sample[i % len(sample)].uuid}/"), args.samples)
    filters = [
        "?sex=female",
        "?return_type=forced&governorate=IQG08",
        "?category=highly_skilled",
        "?age_group=18-24&settlement=rural",
        "?vulnerability=missing_documents&status=open",
        "?country=DE",
    ]
    steward_client = Client()
    steward_client.force_login(steward)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=steward, name="bench", defaults={"confirmed": True})
    session = steward_client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    list_page = _timed(
        lambda i: steward_client.get(f"/returnees/{filters[i % len(filters)]}"), max(30, args.samples // 4)
    )
    api_list = _timed(
        lambda i: steward_client.get(f"/api/v1/returnees/{filters[i % len(filters)]}"),
        max(30, args.samples // 4),
    )

    def row(name: str, values: list[float], target: str) -> str:
        return f"| {name} | {statistics.median(values):.0f} | {_p(values, 0.95):.0f} | {max(values):.0f} | {target} |"

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    lines = [
        "",
        f"## Registry at {total:,} returnees — {stamp} (commit {commit})",
        "",
        f"Machine: {_machine()}. Command: `python bench/registry.py --returnees {args.returnees}`; {args.samples} samples per measure.",
        "",
        "| measure | median ms | p95 ms | max ms | target |",
        "|---|---|---|---|---|",
        row("name search, case worker (office area), misspelt Arabic or Latin", search_worker, "p95 < 100"),
        row("name search, data steward (whole institution)", search_steward, "p95 < 100"),
        row("intake duplicate check", duplicates, "p95 < 100"),
        row("case page (full HTML response)", case_page, "p95 < 150"),
        row("filtered list, first page with total (HTML)", list_page, "< 300"),
        row("filtered list, first page with count (API)", api_list, "< 300"),
        "",
        f"The searched person was among the hits in {found} of {args.samples} searches.",
    ]
    if generation is not None:
        lines.append(
            f"Generating {args.returnees - existing:,} returnees ({os.cpu_count()} processes) took "
            f"{generation / 60:.1f} minutes (target: 1,000,000 in under 15)."
        )
    report = "\n".join(lines) + "\n"
    print(report)
    with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
        handle.write(report)


if __name__ == "__main__":
    main()
