"""Referrals benchmark: `python bench/referrals.py [--services 10000 --returnees 1000000 --referrals 100000]`.

Builds (or reuses) the catalogue benchmark's PostgreSQL database (bench/catalogue.py: N services and
the registry filled with demo returnees), adds about fifty receiving institutions and bulk-creates the
referrals with their log and the consents to share (most go to a handful of big providers; the demo
NGO Al-Amal holds a quarter, the inbox measured), then measures:

1. the ranked suggestions for one case and one of their needs (eligibility warm, as every request
   after the first);
2. the provider's inbox as a user meets it: the page `/referrals/inbox/` (or, with `--inbox function`
   or while the page does not answer, `queries.inbox_page` + `queries.parts_for` + the table rendered)
   and the API `GET /api/v1/referrals/?side=received` when it answers;
3. the referral statistics of that provider.

Appends the results, the date, the machine and the commit to docs/benchmarks.md. Needs PostgreSQL
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/awda_bench_catalogue, shared with
bench/catalogue.py so the million returnees are generated once).
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("AWDA_DATA_DIR", str(ROOT / "var" / "bench"))

from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Max, Min  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone, translation  # noqa: E402

from bench.catalogue import _p, prepare  # noqa: E402  (sets the database up and starts Django)
from bench.common import _machine  # noqa: E402

RECEIVERS = 50  # receiving institutions
BIG = {"amal": 0.25, "molsa": 0.15, "dijla-legal": 0.12, "ireo": 0.10, "molsa-mrc": 0.08}
OTHERS_SHARE = 0.15  # the rest of the demo institutions (not MoMD, which sends)
SMALL_SHARE = 0.15  # the small providers added by this benchmark
SERVICES_PER_SMALL = 20
STATUSES = {
    "sent": 0.20,
    "accepted": 0.10,
    "in_progress": 0.15,
    "completed": 0.35,
    "declined": 0.12,
    "expired": 0.08,
}
PARTS = ["contact", "identity", "needs", "place"]


def _commit() -> str:
    """The checked-out commit, read from .git without running git."""
    git = ROOT / ".git"
    try:
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head[:7]
        ref = head[5:]
        if (git / ref).exists():
            return (git / ref).read_text().strip()[:7]
        for line in (git / "packed-refs").read_text().splitlines():
            if line.endswith(" " + ref):
                return line.split()[0][:7]
    except OSError:
        pass
    return "unknown"


# --------------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------------


def _receivers() -> None:
    """About fifty institutions that receive referrals: the demo ones plus small NGOs, each with services."""
    from awda.accounts.models import Institution
    from awda.catalogue.actions import refresh_search_text
    from awda.catalogue.models import Organisation, Service

    have = Organisation.objects.filter(institution__isnull=False).count()
    missing = RECEIVERS - have
    if missing <= 0:
        return
    rng = random.Random(23)
    start = Institution.objects.filter(code__startswith="bench-ngo-").count()
    with transaction.atomic():
        for i in range(start, start + missing):
            # One by one: the catalogue gives every institution its organisation (signal).
            Institution.objects.create(
                code=f"bench-ngo-{i:02d}",
                type="ngo",
                name_ar=f"منظمة العودة {i}",
                name_ckb=f"ڕێکخراوی گەڕانەوە {i}",
                name_en=f"Return Organisation {i}",
            )
        small = list(Organisation.objects.filter(institution__code__startswith="bench-ngo-").order_by("pk"))
        pool = list(Service.objects.filter(code__startswith="bench-").values_list("pk", flat=True))
        moved = rng.sample(pool, min(len(pool), SERVICES_PER_SMALL * len(small)))
        for index, organisation in enumerate(small):
            chunk = moved[index * SERVICES_PER_SMALL : (index + 1) * SERVICES_PER_SMALL]
            Service.objects.filter(pk__in=chunk).update(organisation=organisation)
        refresh_search_text(Service.objects.filter(pk__in=moved).select_related("organisation", "category"))


def _weights() -> list[tuple[Any, float]]:
    """(organisation, share of the referrals) for every receiving organisation but the sender's own."""
    from awda.catalogue.models import Organisation

    organisations = list(
        Organisation.objects.filter(institution__isnull=False)
        .exclude(institution__code="momd")
        .select_related("institution")
    )
    small = [o for o in organisations if o.code.startswith("bench-ngo-")]
    others = [o for o in organisations if o not in small and o.code not in BIG]
    weights = [(o, BIG[o.code]) for o in organisations if o.code in BIG]
    weights += [(o, OTHERS_SHARE / len(others)) for o in others]
    weights += [(o, SMALL_SHARE / len(small)) for o in small]
    return weights


def build_referrals(count: int, *, seed: int = 31) -> int:
    """``count`` referrals (with their transitions and the consents to share) by bulk insertion."""
    from awda.accounts.models import User
    from awda.catalogue.models import Service
    from awda.referrals.models import Referral, ReferralTransition
    from awda.registry.models import Consent, Returnee

    existing = Referral.objects.count()
    wanted = count - existing
    if wanted <= 0:
        return 0
    rng = random.Random(seed + existing)
    worker = User.objects.get(username="caseworker")
    provider = User.objects.get(username="provider")
    weights = _weights()
    organisations = [o for o, _w in weights]
    shares = [w for _o, w in weights]
    services: dict[int, list[tuple[int, str]]] = {o.pk: [] for o in organisations}
    for pk, organisation_id, top, sub in Service.objects.filter(
        organisation_id__in=services, is_active=True
    ).values_list("pk", "organisation_id", "category__parent__need_category", "category__need_category"):
        services[organisation_id].append((pk, top or sub or "social"))
    people = list(Returnee.objects.values_list("pk", "institution_id", "office_id"))
    now = timezone.now()
    statuses, status_weights = list(STATUSES), list(STATUSES.values())
    open_pairs: set[tuple[int, int]] = set(
        Referral.objects.filter(status__in=["sent", "accepted", "in_progress"]).values_list(
            "returnee_id", "service_id"
        )
    )
    t0 = time.monotonic()
    batch = 10_000
    for first in range(0, wanted, batch):
        referrals: list[Referral] = []
        logs: list[list[tuple[str, str, Any, Any, dict[str, str]]]] = []
        consents: list[Consent] = []
        for _i in range(min(batch, wanted - first)):
            organisation = rng.choices(organisations, shares)[0]
            status = rng.choices(statuses, status_weights)[0]
            while True:
                returnee_id, institution_id, office_id = rng.choice(people)
                service_id, need = rng.choice(services[organisation.pk])
                if (
                    status in ("completed", "declined", "expired")
                    or (returnee_id, service_id) not in open_pairs
                ):
                    break
            if status not in ("completed", "declined", "expired"):
                open_pairs.add((returnee_id, service_id))
            sent_at = now - timedelta(days=rng.uniform(0, 365), minutes=rng.randint(0, 600))
            if status == "sent":  # mostly still within the answer time
                sent_at = now - timedelta(days=rng.uniform(0, 9))
            due = sent_at + timedelta(days=7)
            steps: list[tuple[str, str, Any, Any, dict[str, str]]] = [
                ("", "draft", worker, sent_at - timedelta(minutes=5), {}),
                ("draft", "sent", worker, sent_at, {}),
            ]
            referral = Referral(
                returnee_id=returnee_id,
                need_category=need,
                priority=rng.choice(["high", "medium", "medium", "low"]),
                urgency=rng.choice(["immediate", "soon", "soon", "routine"]),
                service_id=service_id,
                from_institution_id=institution_id,
                from_office_id=office_id,
                created_by=worker,
                to_organisation_id=organisation.pk,
                to_institution_id=organisation.institution_id,
                status=status,
                note="",
                shared_fields=PARTS,
                suggestion_rank=rng.choice([1, 1, 1, 2, 3]),
                suggestion_score=round(rng.uniform(0.4, 0.95), 3),
                sent_at=sent_at,
                answer_due_at=due,
            )
            receiver = provider if organisation.code == "amal" else None
            accepted_at = sent_at + timedelta(days=rng.uniform(0.2, 6))
            if status in ("accepted", "in_progress", "completed"):
                referral.accepted_at = accepted_at
                referral.assigned_to = receiver
                steps.append(("sent", "accepted", receiver, accepted_at, {}))
            if status in ("in_progress", "completed") and rng.random() < 0.7:
                started = accepted_at + timedelta(days=rng.uniform(0.5, 5))
                steps.append((steps[-1][1], "in_progress", receiver, started, {}))
            if status == "completed":
                referral.closed_at = steps[-1][3] + timedelta(days=rng.uniform(2, 60))
                referral.outcome = rng.choices(["need_met", "partly_met", "not_met"], [0.7, 0.2, 0.1])[0]
                referral.service_delivered = "Delivered as planned."
                referral.delivered_on = timezone.localtime(referral.closed_at).date()
                if rng.random() < 0.05:
                    referral.follow_up_on = referral.delivered_on + timedelta(days=rng.choice([30, 90]))
                    referral.follow_up_note = "Check the person is still in work."
                steps.append(
                    (steps[-1][1], "completed", receiver, referral.closed_at, {"outcome": referral.outcome})
                )
            elif status == "declined":
                referral.closed_at = sent_at + timedelta(days=rng.uniform(0.2, 5))
                referral.decline_reason = rng.choice(
                    ["not_eligible", "no_capacity", "outside_area", "incomplete", "duplicate"]
                )
                steps.append(
                    ("sent", "declined", receiver, referral.closed_at, {"reason": referral.decline_reason})
                )
            elif status == "expired":
                referral.closed_at = due
                steps.append(("sent", "expired", None, due, {}))
            referral.version = len(steps)
            referrals.append(referral)
            logs.append(steps)
            consents.append(
                Consent(
                    returnee_id=returnee_id,
                    purpose="sharing_institution",
                    granted=True,
                    shared_with_id=organisation.institution_id,
                    whole_record=False,
                    fields=PARTS,
                    method="verbal",
                    recorded_by=worker,
                    recorded_at=sent_at - timedelta(minutes=6),
                )
            )
        with transaction.atomic():
            Referral.objects.bulk_create(referrals, batch_size=2000)
            ReferralTransition.objects.bulk_create(
                [
                    ReferralTransition(
                        referral_id=referral.pk,
                        from_status=frm,
                        to_status=to,
                        actor=actor,
                        at=at,
                        data=data,
                    )
                    for referral, steps in zip(referrals, logs, strict=True)
                    for frm, to, actor, at, data in steps
                ],
                batch_size=5000,
            )
            Consent.objects.bulk_create(consents, batch_size=2000)
        done = first + len(referrals)
        print(
            f"\r{done:,} / {wanted:,} referrals ({done / max(time.monotonic() - t0, 1e-9):,.0f}/s)",
            end="",
            file=sys.stderr,
        )
    print("", file=sys.stderr)
    with connection.cursor() as cursor:
        # Created when they were drafted, not now (bulk insertion stamps every row with the present).
        cursor.execute(
            "UPDATE referrals_referral SET created_at = sent_at - interval '5 minutes', "
            "updated_at = COALESCE(closed_at, accepted_at, sent_at) WHERE sent_at IS NOT NULL"
        )
        # As autovacuum would leave them before long: the update above doubled every index entry.
        for table in ("referrals_referral", "referrals_referraltransition", "registry_consent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return wanted


# --------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------


def _timed(call: Callable[[int], Any], samples: int) -> list[float]:
    out = []
    for i in range(samples):
        t0 = time.perf_counter()
        call(i)
        out.append((time.perf_counter() - t0) * 1000)
    return out


# What the inbox page shows of each row, rendered without the page (used while the page does not answer).
INBOX_TABLE = """{% for row in rows %}{% with referral=row.referral %}<tr>
<td>{{ referral.sent_at|date:"Y-m-d" }}</td><td>{{ row.name }} {{ referral.returnee.case_number }}</td>
<td>{% if referral.service %}{{ referral.service.name }}{% endif %}</td><td>{{ referral.from_institution.name }}</td>
<td>{{ referral.get_priority_display }} · {{ referral.get_urgency_display }}</td>
<td>{{ referral.answer_due_at|date:"Y-m-d" }}</td><td>{{ referral.get_status_display }}</td></tr>{% endwith %}{% endfor %}"""


def _inbox_by_function(user: Any, samples: int) -> list[float]:
    from awda.referrals import queries

    template = engines["django"].from_string(INBOX_TABLE)

    def once(_i: int) -> None:
        rows, _more = queries.inbox_page(user, status="open", page=1)
        parts = queries.parts_for(rows)
        table = [
            {"referral": r, "name": r.returnee.full_name if "identity" in parts.get(r.pk, ()) else ""}
            for r in rows
        ]
        template.render({"rows": table})

    once(0)
    return _timed(once, samples)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--returnees", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument(
        "--inbox",
        choices=["auto", "page", "function"],
        default="auto",
        help="Measure the inbox through its page, through the functions it calls, or the page when it "
        "answers (default).",
    )
    parser.add_argument("--no-write", action="store_true", help="Print the results without appending them.")
    args = parser.parse_args()

    started = time.monotonic()
    prepare(args.services, args.returnees)
    _receivers()
    t0 = time.monotonic()
    created = build_referrals(args.referrals)
    referrals_built = time.monotonic() - t0
    prepared = time.monotonic() - started

    from awda.accounts.models import User
    from awda.catalogue.models import Service
    from awda.referrals import queries
    from awda.referrals.models import Referral
    from awda.registry.models import Need, Returnee

    provider = User.objects.get(username="provider")
    total_referrals = Referral.objects.count()
    total_returnees = Returnee.objects.count()
    total_services = Service.objects.count()
    biggest = (
        Referral.objects.values("to_institution_id").order_by().annotate(n=Count("id")).order_by("-n").first()
    )
    assert biggest is not None and biggest["to_institution_id"] == provider.institution_id, biggest
    inbox_size = biggest["n"]
    open_size = queries.received_by(provider).filter(status__in=["sent", "accepted", "in_progress"]).count()
    receivers = Referral.objects.values("to_institution_id").distinct().count()

    # 1. Suggestions for random cases and one of their needs.
    rng = random.Random(5)
    bounds = Returnee.objects.aggregate(low=Min("pk"), high=Max("pk"))
    low, high = bounds["low"], bounds["high"]
    cases: list[tuple[Any, str]] = []
    while len(cases) < args.repeat:
        ids = [rng.randint(low, high) for _ in range(args.repeat)]
        for need in Need.objects.filter(returnee_id__in=ids, is_interest=False).order_by("returnee_id", "pk"):
            if len(cases) < args.repeat and all(need.returnee_id != pk for pk, _n in cases):
                cases.append((need.returnee_id, need.category))
    people = Returnee.objects.in_bulk([pk for pk, _n in cases])
    sample = [(people[pk], need) for pk, need in cases]
    with translation.override("en"):
        queries.suggestions(*sample[0])  # the eligibility terms of every service read once (cold)
        counts: list[int] = []
        suggest = _timed(lambda i: counts.append(len(queries.suggestions(*sample[i]))), args.repeat)

    # 2. The provider's inbox.
    setup_test_environment()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(provider)
    client.cookies["awda_language"] = "en"
    page_status = client.get("/referrals/inbox/").status_code
    notes: list[str] = []
    if args.inbox == "page" or (args.inbox == "auto" and page_status == 200):
        assert page_status == 200, f"/referrals/inbox/ answered {page_status}"
        inbox = _timed(lambda _i: client.get("/referrals/inbox/"), args.repeat)
        inbox_name = "provider's inbox, the page `/referrals/inbox/` (first page, open referrals)"
    else:
        with translation.override("en"):
            inbox = _inbox_by_function(provider, args.repeat)
        inbox_name = "provider's inbox: `inbox_page` + `parts_for` + the table rendered (no page)"
        why = (
            "as asked (`--inbox function`)"
            if args.inbox == "function"
            else f"as the page answered {page_status} when this ran"
        )
        notes.append(
            f"The inbox was measured through the functions its page calls, {why}: "
            "`queries.inbox_page(user, status='open')`, `queries.parts_for` and the page's table rendered "
            "from a template string; `--inbox page` measures the page."
        )
    api_status = client.get("/api/v1/referrals/?side=received").status_code
    api: list[float] = []
    if api_status == 200:
        api = _timed(lambda _i: client.get("/api/v1/referrals/?side=received"), args.repeat)
    else:
        notes.append(f"The API `GET /api/v1/referrals/?side=received` answered {api_status}: not measured.")

    # 3. The provider's statistics.
    stats = _timed(lambda _i: queries.statistics(queries.received_by(provider)), args.repeat)

    # 4. Diagnostic: the suggestions again, once the objects alive now (the eligibility terms of every
    # service among them) are left out of the garbage collector's full passes.
    tracked = len(gc.get_objects())
    gc.freeze()
    with translation.override("en"):
        frozen = _timed(lambda i: queries.suggestions(*sample[i]), args.repeat)
    gc.unfreeze()

    def row(name: str, values: list[float], target: str) -> str:
        return f"| {name} | {_p(values, 0.5):.1f} | {_p(values, 0.95):.1f} | {max(values):.1f} | {target} |"

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    built = (
        f"The {created:,} referrals were generated in {referrals_built:.0f} s (bulk insertion; "
        "skipped when the database already holds them)."
        if created
        else f"The database was reused as it was (prepared in {prepared:.0f} s)."
    )
    rows = [
        row("ranked suggestions for one case and one need (eligibility warm)", suggest, "p95 < 100"),
        row(inbox_name, inbox, "p95 < 200"),
    ]
    if api:
        rows.append(row("provider's inbox, API `/api/v1/referrals/?side=received`", api, "p95 < 200"))
    rows.append(row(f"statistics of the provider ({inbox_size:,} referrals received)", stats, "(none set)"))
    rows.append(row("ranked suggestions again, after `gc.freeze()` (diagnostic, see below)", frozen, "—"))
    notes.append(
        f"The garbage collector tracked {tracked:,} objects once the eligibility terms of the "
        f"{total_services:,} services were in memory; each of its full passes walks them all, and the "
        "suggestions (which allocate a verdict per service reaching the person) trigger one every few "
        "calls. `catalogue.queries.service_index` freezes the terms out of the collector once it has "
        "built them (`gc.freeze()`); the last row calls `gc.freeze()` once more before measuring, "
        "to show what is left to gain."
    )
    report = "\n".join(
        [
            "",
            f"## Referrals at {total_referrals:,} referrals, {total_returnees:,} returnees and "
            f"{total_services:,} services — {stamp} (commit {_commit()})",
            "",
            f"Machine: {_machine()}. Command: `python bench/referrals.py --services {args.services} "
            f"--returnees {args.returnees} --referrals {args.referrals}`; {args.repeat} samples per measure. "
            + built,
            "",
            "| measure | median ms | p95 ms | max ms | target |",
            "|---|---|---|---|---|",
            *rows,
            "",
            f"The referrals go to {receivers} institutions; the biggest, the demo NGO Al-Amal measured here, "
            f"received {inbox_size:,} ({open_size:,} still open: sent, accepted or in progress). The cases "
            f"measured had {_p([float(c) for c in counts], 0.5):.0f} suggestions for the need asked "
            f"(median; at most {max(counts)}).",
            *[line for note in notes for line in ("", note)],
            "",
        ]
    )
    print(report)
    if not args.no_write:
        with (ROOT / "docs" / "benchmarks.md").open("a", encoding="utf-8") as handle:
            handle.write(report)


if __name__ == "__main__":
    main()
