"""Import benchmark: `python bench/imports.py [--rows 1000000]`.

Writes a MoLSA-style CSV of N rows (Arabic and Latin names, dates and phones in the ways registers
write them, some rows with problems) under var/bench-imports/, then uploads, checks and commits it
through the same actions the pages use, on PostgreSQL (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/awda_bench_exchange). Measures each step's time and the
process's memory while it streams (sampled every 5,000 rows), then re-imports the same file (refused,
nothing changed) and a newer file with 1% changed rows. Appends the results to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/awda_bench_exchange"
)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("AWDA_DATA_DIR", str(ROOT / "var" / "bench-imports"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.common import _ensure_database, _machine  # noqa: E402

GIVEN = [
    "محمد",
    "علي",
    "حسين",
    "زينب",
    "فاطمة",
    "احمد",
    "مريم",
    "كرار",
    "نور",
    "حسن",
    "عباس",
    "سجاد",
    "زهراء",
]
LATIN = [
    "Mohammed",
    "Ali",
    "Hussein",
    "Zainab",
    "Fatima",
    "Ahmed",
    "Maryam",
    "Karrar",
    "Noor",
    "Hassan",
    "Abbas",
]
FAMILY = ["الجبوري", "العبيدي", "البياتي", "الدليمي", "التميمي", "Al-Juburi", "Al Obaidi", ""]
GOVERNORATES = ["بغداد", "Basra", "IQG11", "نينوى", "Anbar", "كربلاء", "Sulaymaniyah", "ذي قار"]


def _rss_mib() -> float:
    """Resident memory now (not the peak), from /proc: the figure that shows whether memory stays flat."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def write_file(path: Path, rows: int, *, seed: int) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("رقم,الاسم,التولد,الجنس,المحافظة,الهاتف,الحالة,تاريخ التسجيل\n")
        for i in range(rows):
            latin = rng.random() < 0.3
            names = [rng.choice(LATIN if latin else GIVEN) for _ in range(3)]
            family = rng.choice(FAMILY)
            name = " ".join([*names, family]).strip()
            year = rng.randint(1950, 2006)
            dob = rng.choice(
                [f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", f"01/07/{year}", str(year)]
            )
            sex = rng.choice(["ذكر", "انثى", "M", "F"])
            phone = rng.choice(
                ["", f"07{rng.randint(70, 89)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"]
            )
            if i % 1000 == 999:
                phone = "123"  # one row in a thousand has a phone that is not one
            out.write(
                f"MOLSA-{i:07d},{name},{dob},{sex},{rng.choice(GOVERNORATES)},{phone},عاطل,2026-0{rng.randint(1, 9)}-15\n"
            )


def write_newer(first: Path, path: Path) -> None:
    """The same register a month later: one person in a hundred found work."""
    with first.open(encoding="utf-8") as source, path.open("w", encoding="utf-8", newline="") as out:
        for number, line in enumerate(source):
            if number and number % 100 == 0:
                line = line.replace(",عاطل,", ",يعمل,")
            out.write(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()

    _ensure_database()
    call_command("migrate", verbosity=0)
    from awda.accounts.enums import InstitutionType, Role
    from awda.accounts.models import Institution, Office, User
    from awda.core.errors import Conflict
    from awda.exchange import actions
    from awda.exchange.models import ExternalRecord, ImportBatch, Source

    momd, _ = Institution.objects.get_or_create(
        code="bench-momd",
        defaults={"type": InstitutionType.MINISTRY, "name_ar": "و", "name_ckb": "و", "name_en": "MoMD"},
    )
    molsa, _ = Institution.objects.get_or_create(
        code="bench-molsa",
        defaults={"type": InstitutionType.MINISTRY, "name_ar": "ع", "name_ckb": "ع", "name_en": "MoLSA"},
    )
    office, _ = Office.objects.get_or_create(
        institution=momd,
        name_en="HQ",
        defaults={"name_ar": "م", "name_ckb": "م", "governorate_id": "IQG08", "district_id": "IQG08Q06"},
    )
    steward, _ = User.objects.get_or_create(
        username="bench.steward",
        defaults={"role": Role.DATA_STEWARD, "institution": momd, "office": office, "scope": "institution"},
    )
    ExternalRecord.objects.filter(source__institution=momd).delete()
    ImportBatch.objects.filter(source__institution=momd).delete()
    Source.objects.filter(institution=momd).delete()
    source = actions.source_create(
        actor=steward,
        held_by=molsa,
        name_ar="سجل",
        name_ckb="تۆمار",
        name_en="MoLSA bench",
        kind="unemployed_register",
    )
    mapping = {
        "record_id": "رقم",
        "full_name": "الاسم",
        "date_of_birth": "التولد",
        "sex": "الجنس",
        "governorate": "المحافظة",
        "phone": "الهاتف",
        "status": "الحالة",
        "status_date": "تاريخ التسجيل",
    }
    actions.source_set_mapping(actor=steward, source=source, mapping=mapping)

    folder = Path(os.environ["AWDA_DATA_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    first, second = folder / "molsa-1.csv", folder / "molsa-2.csv"
    started = time.perf_counter()
    write_file(first, args.rows, seed=1)
    write_newer(first, second)
    print(
        f"files written in {time.perf_counter() - started:.0f} s ({first.stat().st_size / 1e6:.0f} MB each)"
    )

    memory: list[float] = []

    def sample(_done: int) -> None:
        memory.append(_rss_mib())

    def chunks(path: Path):  # type: ignore[no-untyped-def]
        with path.open("rb") as handle:
            while block := handle.read(1024 * 1024):
                yield block

    timings: dict[str, float] = {}

    def step(name: str, fn):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        value = fn()
        timings[name] = time.perf_counter() - began
        print(f"{name}: {timings[name]:.1f} s, RSS {_rss_mib():.0f} MiB")
        return value

    before = _rss_mib()
    batch = step(
        "upload (hash, store, read header)",
        lambda: actions.batch_upload(
            actor=steward, source=source, file_name=first.name, chunks=chunks(first)
        ),
    )
    batch = step("check every row", lambda: actions.batch_validate(batch=batch, progress=sample))
    check_memory = list(memory)
    memory.clear()
    actions.batch_commit_request(actor=steward, batch=batch, skip_invalid_rows=True)
    batch = step(
        "commit (one transaction)",
        lambda: actions.batch_commit(batch=ImportBatch.objects.get(pk=batch.pk), progress=sample),
    )
    commit_memory = list(memory)
    memory.clear()
    refused = False
    began = time.perf_counter()
    try:
        actions.batch_upload(actor=steward, source=source, file_name="again.csv", chunks=chunks(first))
    except Conflict:
        refused = True
    timings["same file again (refused)"] = time.perf_counter() - began
    newer = step(
        "upload newer file",
        lambda: actions.batch_upload(
            actor=steward, source=source, file_name=second.name, chunks=chunks(second)
        ),
    )
    newer = step("check newer file", lambda: actions.batch_validate(batch=newer))
    actions.batch_commit_request(actor=steward, batch=newer, skip_invalid_rows=True)
    newer = step(
        "commit newer file (1% changed)",
        lambda: actions.batch_commit(batch=ImportBatch.objects.get(pk=newer.pk)),
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    records = ExternalRecord.objects.filter(source=source).count()

    def spread(values: list[float]) -> str:
        if not values:
            return "—"
        return f"{values[0]:.0f} → {values[len(values) // 2]:.0f} → {values[-1]:.0f}"

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('exchange_externalrecord'))")
        size = cursor.fetchone()[0]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    total_first = (
        timings["upload (hash, store, read header)"]
        + timings["check every row"]
        + timings["commit (one transaction)"]
    )
    lines = [
        "",
        f"## Import of a {args.rows:,}-row CSV — {stamp} (commit {commit})",
        "",
        f"Machine: {_machine()}. Command: `python bench/imports.py --rows {args.rows}`.",
        "",
        "| step | seconds | target |",
        "|---|---|---|",
        *(f"| {name} | {value:.1f} | |" for name, value in timings.items()),
        f"| **first file: upload + check + commit** | **{total_first:.1f}** | < 600 |",
        "",
        f"Rows: {batch.rows_total:,} read, {batch.rows_with_errors:,} with problems (left out on purpose), "
        f"{batch.rows_new:,} imported; newer file: {newer.rows_updated:,} updated, {newer.rows_unchanged:,} unchanged, "
        f"{newer.rows_new:,} new. Records afterwards: {records:,} (table and indexes: {size}). "
        f"Same file again refused: {'yes' if refused else 'NO'}.",
        f"Resident memory (MiB, first → middle → last sample, every 5,000 rows): before {before:.0f}; "
        f"checking {spread(check_memory)}; committing {spread(commit_memory)}; peak of the process {peak:.0f}. "
        "Checking keeps the set of IDs seen (to find duplicate IDs), which grows by about 70 MiB per million rows; "
        "the rest stays flat.",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
        handle.write(report)


if __name__ == "__main__":
    main()
