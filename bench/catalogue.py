"""Catalogue benchmark: `python bench/catalogue.py [--services 10000]`.

Builds (once) a PostgreSQL database with N services spread over the taxonomy, Iraq's places and
realistic eligibility criteria, plus a few demo returnees, then measures: the eligibility of one
returnee against every service (warm, as every request after the first; cold once, after a change),
the same from the stored record (facts and categories read from the database), and the public search
as a visitor meets it (the HTML page and the API). Appends the results, the date and the machine to
docs/benchmarks.md. Needs PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/awda_bench_catalogue).
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/awda_bench_catalogue"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AWDA_DATA_DIR", str(ROOT / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.common import _ensure_database, _machine  # noqa: E402


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _criteria(rng: random.Random) -> dict[str, Any]:
    criteria: dict[str, Any] = {}
    roll = rng.random()
    if roll < 0.35:
        return criteria
    if rng.random() < 0.5:
        criteria["min_age"] = rng.choice([15, 18, 18, 25])
    if rng.random() < 0.3:
        criteria["max_age"] = rng.choice([24, 35, 45, 60])
    if rng.random() < 0.15:
        criteria["sexes"] = ["female"]
    if rng.random() < 0.2:
        criteria["return_types"] = rng.sample(
            ["assisted_voluntary", "forced", "evacuated", "internal_return"], 2
        )
    if rng.random() < 0.15:
        criteria["vulnerabilities"] = rng.sample(
            ["disability", "female_head_of_household", "chronic_illness"], 1
        )
    if rng.random() < 0.15:
        criteria["employment_statuses"] = ["unemployed_seeking"]
    if rng.random() < 0.2:
        criteria["max_months_since_return"] = rng.choice([6, 12, 24])
    if rng.random() < 0.1:
        criteria["categories"] = rng.sample(["highly_skilled", "low_skilled", "returned_from_europe"], 1)
    return criteria


def build(count: int) -> None:
    """N services by bulk insertion (the write path is tested elsewhere; this measures reads)."""
    from awda.accounts.demo import demo_accounts
    from awda.catalogue.models import Organisation, Service, ServiceCategory
    from awda.geo.models import District, Governorate
    from awda.registry.demo import demo_returnees
    from awda.registry.names import normalize_name

    demo_accounts()
    if not Service.objects.exists():
        rng = random.Random(11)
        organisations = list(Organisation.objects.all())
        subcategories = list(ServiceCategory.objects.filter(parent__isnull=False).select_related("parent"))
        governorates = list(Governorate.objects.all())
        districts = list(District.objects.all())
        month = timezone.localdate().replace(day=1)
        services, gov_links, district_links = [], [], []
        for i in range(count):
            category = rng.choice(subcategories)
            organisation = rng.choice(organisations)
            roll = rng.random()
            nationwide, remote = roll < 0.04, 0.04 <= roll < 0.07
            chosen_govs = (
                rng.sample(governorates, rng.choice([1, 1, 2, 3])) if roll >= 0.07 and roll < 0.5 else []
            )
            chosen_districts = rng.sample(districts, rng.choice([1, 1, 2])) if roll >= 0.5 else []
            place = (chosen_govs or chosen_districts or [None])[0]
            where = (
                {"ar": place.name_ar, "ckb": place.name_ckb, "en": place.name_en}
                if place
                else {"ar": "", "ckb": "", "en": ""}
            )
            names = {
                lang: f"{getattr(category, f'name_{lang}')} {where[lang]} {i}" for lang in ("ar", "ckb", "en")
            }
            capacity = rng.choice([None, 10, 20, 50, 100])
            texts = [*names.values(), category.name_ar, category.name_ckb, category.name_en]
            parent = category.parent
            assert parent is not None  # subcategories only
            texts += [parent.name_ar, parent.name_ckb, parent.name_en]
            texts += [organisation.name_ar, organisation.name_ckb, organisation.name_en]
            services.append(
                Service(
                    code=f"bench-{i}",
                    organisation=organisation,
                    category=category,
                    name_ar=names["ar"],
                    name_ckb=names["ckb"],
                    name_en=names["en"],
                    description_ar="خدمة للعائدين",
                    description_ckb="خزمەتگوزاری بۆ گەڕاوەکان",
                    description_en="A service for returnees",
                    languages=rng.sample(["ar", "ckb", "en", "tr"], rng.choice([1, 2])),
                    nationwide=nationwide,
                    remote=remote,
                    settlements=rng.choice([[], [], [], ["rural"], ["urban"]]),
                    criteria=_criteria(rng),
                    capacity_per_month=capacity,
                    current_load=rng.randint(0, capacity) if capacity else 0,
                    load_month=month,
                    ends_on=date.today() - timedelta(days=30) if rng.random() < 0.05 else None,
                    search_text=" ".join(dict.fromkeys(normalize_name(t) for t in texts if t)),
                )
            )
            gov_links.append(chosen_govs)
            district_links.append(chosen_districts)
        for service in services:
            service.language_tags = "|" + "|".join(service.languages) + "|"
        with transaction.atomic():
            Service.objects.bulk_create(services, batch_size=2000)
            GovThrough = Service.governorates.through
            DistrictThrough = Service.districts.through
            GovThrough.objects.bulk_create(
                [
                    GovThrough(service_id=s.pk, governorate_id=g.pcode)
                    for s, gs in zip(services, gov_links, strict=False)
                    for g in gs
                ],
                batch_size=5000,
            )
            DistrictThrough.objects.bulk_create(
                [
                    DistrictThrough(service_id=s.pk, district_id=d.pcode)
                    for s, ds in zip(services, district_links, strict=False)
                    for d in ds
                ],
                batch_size=5000,
            )
    from awda.registry.models import Returnee

    if Returnee.objects.count() < 20:
        demo_returnees(20, seed=5)


def prepare(services: int, returnees: int = 0) -> float:
    """Create (or reuse) the benchmark database: migrated, ``services`` services, and the registry filled
    up to ``returnees`` people. Returns the seconds spent on the services (0 when they were there)."""
    _ensure_database()
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    build(services)
    built_in = time.monotonic() - started
    from awda.registry.demo import demo_returnees_parallel
    from awda.registry.models import Returnee

    existing = Returnee.objects.count()
    if returnees > existing:
        t0 = time.monotonic()
        demo_returnees_parallel(returnees - existing, seed=existing + 17, workers=os.cpu_count() or 2)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(
            f"{returnees - existing:,} returnees generated in {time.monotonic() - t0:.0f} s", file=sys.stderr
        )
    return built_in


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--returnees",
        type=int,
        default=0,
        help="Also fill the registry to this many returnees and measure the mapping of needs (e.g. 1000000).",
    )
    parser.add_argument("--no-write", action="store_true", help="Print the results without appending them.")
    args = parser.parse_args()

    built_in = prepare(args.services, args.returnees)
    from awda.catalogue import queries
    from awda.catalogue.models import Service
    from awda.registry.categorisation import returnee_facts
    from awda.registry.models import Returnee

    total = Service.objects.count()
    returnees = list(Returnee.objects.order_by("pk")[:20])
    today = timezone.localdate()

    # Cold: the terms are read from the database after a change.
    queries._terms_cache.key = None
    t0 = time.perf_counter()
    queries.service_index()
    cold = (time.perf_counter() - t0) * 1000

    person = queries.person_of(returnees[0], returnee_facts(returnees[0], today=today))
    warm: list[float] = []
    eligible_counts = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        verdicts = queries.eligibility_for(person, today=today)
        warm.append((time.perf_counter() - t0) * 1000)
        eligible_counts.append(len(verdicts.eligible))
    from_record: list[float] = []
    for i in range(args.repeat):
        returnee = Returnee.objects.get(pk=returnees[i % len(returnees)].pk)
        t0 = time.perf_counter()
        person_i = queries.person_of(returnee, returnee_facts(returnee, today=today))
        queries.eligibility_for(person_i, today=today)
        from_record.append((time.perf_counter() - t0) * 1000)

    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(3)
    searches = [
        "/services/",
        "/services/?category=psychosocial",
        "/services/?governorate=IQG15",
        "/services/?category=documentation&governorate=IQG08&district=IQG08Q06",
        "/services/?q=تدريب",
        "/services/?q=ڕاوێژ&governorate=IQG11",
        "/services/?language=ckb&district=IQG11Q02",
        "/services/?q=legal aid&category=legal_aid",
    ]
    page_times: list[float] = []
    api_times: list[float] = []
    for _ in range(args.repeat):
        url = rng.choice(searches)
        client.cookies["awda_language"] = rng.choice(["ar", "ckb", "en"])
        t0 = time.perf_counter()
        response = client.get(url)
        page_times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url
        t0 = time.perf_counter()
        response = client.get("/api/v1" + url)
        api_times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, url

    def row(name: str, values: list[float], target: str) -> str:
        return f"| {name} | {_p(values, 0.5):.1f} | {_p(values, 0.95):.1f} | {max(values):.1f} | {target} |"

    mapping_rows: list[str] = []
    if args.returnees:
        from django.core.cache import cache

        from awda.accounts.models import User
        from awda.catalogue.models import ServiceCategory

        supervisor = User.objects.get(username="supervisor")
        client.force_login(supervisor)
        total_returnees = Returnee.objects.count()
        map_cold: list[float] = []
        warm_map: list[float] = []
        for code in ["psychosocial", "documentation", "housing_property", "employment_services", "legal_aid"]:
            cache.clear()
            t0 = time.perf_counter()
            response = client.get(f"/catalogue/mapping/?category={code}")
            map_cold.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, code
            for _ in range(5):
                t0 = time.perf_counter()
                client.get(f"/catalogue/mapping/?category={code}")
                warm_map.append((time.perf_counter() - t0) * 1000)
        assert ServiceCategory.objects.filter(code="psychosocial").exists()
        mapping_rows = [
            row(
                f"mapping page at {total_returnees:,} returnees, needs counted afresh", map_cold, "(none set)"
            ),
            row("mapping page, needs from the five-minute cache", warm_map, "(none set)"),
        ]

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
    ).stdout.strip()
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")

    report = "\n".join(
        [
            "",
            f"## Service catalogue at {total:,} services — {stamp} (commit {commit})",
            "",
            f"Machine: {_machine()}. Command: `python bench/catalogue.py --services {args.services}"
            + (f" --returnees {args.returnees}" if args.returnees else "")
            + "`; "
            f"{args.repeat} samples per measure. The services were generated in {built_in:.0f} s "
            "(bulk insertion; skipped when the database already holds them).",
            "",
            "| measure | median ms | p95 ms | max ms | target |",
            "|---|---|---|---|---|",
            row("eligibility of one returnee against every service (terms in memory)", warm, "< 50"),
            row("the same, facts and categories read from the stored record", from_record, "< 50"),
            row("public search, HTML page (8 kinds of query, three languages)", page_times, "< 100"),
            row("public search, API `/api/v1/services/`", api_times, "< 100"),
            *mapping_rows,
            "",
            f"Reading the terms of all {total:,} services into memory (once per process, and again after a "
            f"change of any service) took {cold:.0f} ms. The returnee measured was eligible for "
            f"{eligible_counts[0]:,} services.",
            "",
        ]
    )
    print(report)
    if not args.no_write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write(report)


if __name__ == "__main__":
    main()
