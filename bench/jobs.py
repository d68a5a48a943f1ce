"""Jobs benchmark: `python bench/jobs.py [--returnees 1000000 --offers 20000]`.

Reuses the catalogue benchmark's PostgreSQL database (bench/catalogue.py: a million demo returnees, about
six in ten with an occupation), bulk-creates 200 companies and ``--offers`` open offers across occupations
and governorates, and job profiles (languages, skills, mobility) for a third of the people with an
occupation. Then measures:

1. ranked offers for one person (``queries.offers_for_person``, what the case page and the API call), warm;
2. building the index of open offers (the first call after an offer changed);
3. anonymous ranked candidates for one offer (``queries.candidates_for_offer``, the employer's page);
4. the full re-match of every job seeker against every open offer (``rematch.rematch``), with peak memory.

Appends the results, the date, the machine and the commit to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("AWDA_DATA_DIR", str(ROOT / "var" / "bench"))

from bench.catalogue import prepare  # noqa: E402  (sets the database up and starts Django)
from bench.common import _machine  # noqa: E402
from bench.referrals import _commit  # noqa: E402

LANGUAGE_MIX = ["ar", "ar", "ar", "ckb", "en", "en", "de", "tr", "sv", "fa"]


def _offers(wanted: int, rng: random.Random) -> int:
    from awda.accounts.enums import InstitutionType
    from awda.accounts.models import Institution
    from awda.geo.models import District
    from awda.jobs.models import Employer, Offer, Sector, SkillTerm
    from awda.registry.models import Occupation

    existing = Offer.objects.count()
    if existing >= wanted:
        return existing
    sectors = list(Sector.objects.all())
    employers = list(Employer.objects.all()[:200])
    for i in range(len(employers), 200):
        institution = Institution.objects.create(
            code=f"bench-company-{i}",
            type=InstitutionType.PRIVATE_COMPANY,
            name_ar=f"شركة {i}",
            name_ckb=f"کۆمپانیای {i}",
            name_en=f"Company {i}",
        )
        employers.append(
            Employer.objects.create(
                institution=institution,
                sector=rng.choice(sectors),
                size="small",
                contact_name="Bench",
                contact_phone="07700000000",
                status="approved",
            )
        )
    units = list(Occupation.objects.filter(level=4).values_list("code", flat=True))
    # Demand leans on trades, services and elementary work, as in Iraq's vacancies.
    weights = [3.0 if c[0] in "5789" else 1.0 for c in units]
    districts = list(District.objects.values_list("pk", "governorate_id"))
    skills = list(SkillTerm.objects.all())
    related = {s.pk: s for s in skills}
    by_prefix: dict[str, list[int]] = {}
    for s in skills:
        for code in s.isco:
            by_prefix.setdefault(code[:2], []).append(s.pk)
    by_prefix = {k: sorted(set(v)) for k, v in by_prefix.items()}
    today = date.today()
    batch: list[Offer] = []
    made = existing
    chosen_skills: list[list[int]] = []
    for _ in range(wanted - existing):
        code = rng.choices(units, weights)[0]
        district, governorate = rng.choice(districts)
        batch.append(
            Offer(
                employer=rng.choice(employers),
                kind=rng.choices(
                    ["job", "internship", "apprenticeship", "training", "in_kind"], [70, 10, 5, 12, 3]
                )[0],
                title=f"Offer {code}",
                occupation_id=code,
                education_min=rng.choice([None, None, 1, 2, 3, 3, 6]),
                languages=rng.sample(["ar", "ckb", "en"], rng.randint(0, 2)),
                governorate_id=governorate,
                district_id=district if rng.random() < 0.5 else None,
                settlement=rng.choice(["urban", "urban", "rural"]),
                remote=rng.random() < 0.03,
                places=rng.randint(1, 5),
                opens_on=today - timedelta(days=rng.randint(0, 60)),
                closes_on=today + timedelta(days=rng.randint(10, 120)),
                status="open",
            )
        )
        pool = by_prefix.get(code[:2], [])
        chosen_skills.append(rng.sample(pool, min(len(pool), rng.randint(0, 3))))
        if len(batch) >= 5000:
            made += _flush(batch, chosen_skills)
    made += _flush(batch, chosen_skills)
    assert related
    return made


def _flush(batch: list, chosen: list[list[int]]) -> int:  # type: ignore[type-arg]
    from awda.jobs.models import Offer

    created = Offer.objects.bulk_create(batch)
    through = Offer.skills.through
    through.objects.bulk_create(
        [
            through(offer_id=o.pk, skillterm_id=s)
            for o, skills in zip(created, chosen, strict=True)
            for s in skills
        ]
    )
    n = len(batch)
    batch.clear()
    chosen.clear()
    print(f"\r{n:,} offers", end="", file=sys.stderr)
    return n


def _profiles(rng: random.Random) -> int:
    from awda.jobs.models import JobProfile, SkillTerm
    from awda.registry.models import Skill

    if JobProfile.objects.exists():
        return JobProfile.objects.count()
    by_prefix: dict[str, list[int]] = {}
    for s in SkillTerm.objects.all():
        for code in s.isco:
            by_prefix.setdefault(code[:2], []).append(s.pk)
    by_prefix = {k: sorted(set(v)) for k, v in by_prefix.items()}
    people = list(
        Skill.objects.values_list("returnee_id", "occupation_id").order_by("returnee_id").distinct()
    )
    chosen = [(pk, code) for pk, code in people if rng.random() < 0.34]
    through = JobProfile.skills.through
    made = 0
    for start in range(0, len(chosen), 10_000):
        part = chosen[start : start + 10_000]
        profiles = JobProfile.objects.bulk_create(
            [
                JobProfile(
                    returnee_id=pk,
                    languages=sorted({"ar", *rng.sample(LANGUAGE_MIX, rng.randint(0, 2))}),
                    mobility=rng.choices(["district", "governorate", "anywhere"], [30, 55, 15])[0],
                )
                for pk, _ in part
            ]
        )
        links = []
        for profile, (_, code) in zip(profiles, part, strict=True):
            pool = by_prefix.get(code[:2], [])
            for s in rng.sample(pool, min(len(pool), rng.randint(0, 3))):
                links.append(through(jobprofile_id=profile.pk, skillterm_id=s))
        through.objects.bulk_create(links, ignore_conflicts=True)
        made += len(part)
        print(f"\r{made:,} job profiles", end="", file=sys.stderr)
    return made


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--returnees", type=int, default=1_000_000)
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    prepare(args.services, args.returnees)
    rng = random.Random(23)

    from django.db import connection

    from awda.jobs import queries
    from awda.jobs.models import Offer
    from awda.jobs.rematch import rematch

    offers = _offers(args.offers, rng)
    profiles = _profiles(rng)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(file=sys.stderr)

    t0 = time.perf_counter()
    index, _ = queries.offer_index()
    built = time.perf_counter() - t0
    open_count = len(index)

    seekers = list(queries.job_seekers().values_list("pk", flat=True)[:200_000])
    sample = rng.sample(seekers, min(args.repeat, len(seekers)))
    from awda.registry.models import Returnee

    people = list(Returnee.objects.filter(pk__in=sample))
    timings, found = [], []
    for person in people:
        t0 = time.perf_counter()
        ranked = queries.offers_for_person(person, limit=20)
        timings.append((time.perf_counter() - t0) * 1000)
        found.append(len(ranked))

    offer_sample = list(Offer.objects.filter(status="open").order_by("?")[:20])
    candidate_times, pools = [], []
    for offer in offer_sample:
        t0 = time.perf_counter()
        candidates = queries.candidates_for_offer(offer, limit=50)
        candidate_times.append(time.perf_counter() - t0)
        pools.append(len(candidates))

    t0 = time.perf_counter()
    result = rematch(
        on_progress=lambda done, total: print(f"\r{done:,} / {total:,}", end="", file=sys.stderr)
    )
    print(file=sys.stderr)
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    rows = [
        f"| ranked offers for one person ({open_count:,} open offers; {len(people)} people, median "
        f"{statistics.median(found):.0f} offers found) | p50 {statistics.median(timings):.1f} ms, p95 "
        f"{_percentile(timings, 95):.1f} ms | < 100 ms |",
        f"| building the index of {open_count:,} open offers (first call after a change) | {built:.1f} s | — |",
        f"| anonymous ranked candidates for one offer (20 offers) | p50 "
        f"{statistics.median(candidate_times):.2f} s, p95 {_percentile(candidate_times, 95):.2f} s | — |",
        f"| full re-match: {result.people:,} job seekers × {result.offers:,} open offers, "
        f"{result.matches:,} matches kept | {result.seconds / 60:.1f} min, peak memory {peak_gib:.1f} GiB | "
        "< 15 min |",
    ]
    report = "\n".join(
        [
            "",
            f"## Jobs matching at {args.returnees:,} returnees and {offers:,} offers — {stamp} (commit {_commit()})",
            "",
            f"Machine: {_machine()}. Command: `python bench/jobs.py --returnees {args.returnees} --offers "
            f"{args.offers}`. {profiles:,} job profiles (languages, skills, mobility: 30 % own district, 55 % "
            "governorate, 15 % anywhere); the other people with an occupation are matched on the registry alone.",
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
