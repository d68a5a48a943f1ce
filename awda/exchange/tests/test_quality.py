"""The data-quality report: exact figures of the registry and of sources, daily snapshots, the trend and the page."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.exchange import enums, quality
from awda.exchange.models import (
    CandidatePair,
    ExternalRecord,
    ImportBatch,
    LinkRun,
    QualitySnapshot,
    RowError,
    Source,
)
from awda.registry.models import IdentityDocument, Phone, Returnee
from conftest import verified_client

TODAY = date(2026, 7, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def steward(make_user: Callable[..., User]) -> User:
    return make_user(Role.DATA_STEWARD, "momd_baghdad", "steward.momd")


def make_source(steward: User, name: str = "Unemployed register", **mapping: str) -> Source:
    return Source.objects.create(
        institution=steward.institution,
        held_by=steward.institution,
        name_ar=name,
        name_ckb=name,
        name_en=name,
        kind=enums.SourceKind.UNEMPLOYED_REGISTER,
        column_mapping=mapping
        or {
            "record_id": "ID",
            "given_name": "Name",
            "father_name": "Father",
            "date_of_birth": "DOB",
            "phone": "Tel",
            "status": "Status",
        },
        created_by=steward,
    )


def make_batch(source: Source, steward: User, sha: str, **fields: Any) -> ImportBatch:
    fields.setdefault("status", enums.BatchStatus.COMMITTED)
    return ImportBatch.objects.create(
        source=source, file_name=f"{sha}.csv", file_format="csv", sha256=sha, created_by=steward, **fields
    )


def make_records(source: Source, steward: User, *values: dict[str, Any]) -> list[ExternalRecord]:
    batch = make_batch(source, steward, f"records-{source.pk}", committed_at=timezone.now())
    return [
        ExternalRecord.objects.create(source=source, external_id=str(i), values=v, batch=batch, row_number=i)
        for i, v in enumerate(values, start=1)
    ]


def make_run(steward: User, kind: str = enums.RunKind.REGISTRY_DUPLICATES, **fields: Any) -> LinkRun:
    fields.setdefault("institution", steward.institution)
    return LinkRun.objects.create(
        kind=kind, match_threshold=0.95, review_threshold=0.6, started_by=steward, **fields
    )


def make_pair(
    run: LinkRun, returnee: Returnee, status: str = enums.PairStatus.PENDING, **fields: Any
) -> CandidatePair:
    return CandidatePair.objects.create(
        run=run,
        kind=run.kind,
        returnee=returnee,
        match_probability=0.8,
        match_weight=5.0,
        status=status,
        **fields,
    )


def shares(figures: quality.QualityFigures) -> dict[str, tuple[int, int, float | None]]:
    return {name: (f.count, f.of, f.share) for name, f in figures.completeness.items()}


# The registry


def test_registry_completeness_counts_each_field_of_live_records_of_the_institution_only(
    world: dict[str, Any], register: Callable[..., Returnee]
) -> None:
    # given four records of the MoMD with gaps, one merged record and one record of the MoLSA
    full = register()
    register(record={"date_of_birth": None, "mother_name": "", "family_name": ""}, phones=[])
    register(
        record={"grandfather_name": "", "return_date": None, "country_returned_from_id": None}, documents=[]
    )
    no_number = register(documents=[])
    IdentityDocument.objects.create(returnee=no_number, type="passport", number="", status="lost")
    merged = register(record={"mother_name": ""})
    Returnee.objects.filter(pk=merged.pk).update(merged_into=full)
    register("molsa_baghdad", phones=[], documents=[])

    # when the registry's figures are computed
    figures = quality.registry_quality(world["momd"], today=TODAY)

    # then every share is out of the four live records of the MoMD
    assert figures.total == 4
    assert shares(figures) == {
        "given_name": (4, 4, 100.0),
        "father_name": (4, 4, 100.0),
        "grandfather_name": (3, 4, 75.0),
        "family_name": (3, 4, 75.0),
        "mother_name": (3, 4, 75.0),
        "date_of_birth": (3, 4, 75.0),
        "sex": (4, 4, 100.0),
        "governorate": (4, 4, 100.0),
        "district": (4, 4, 100.0),
        "phone": (3, 4, 75.0),
        "identity_document": (2, 4, 50.0),
        "return_date": (3, 4, 75.0),
        "country_returned_from": (3, 4, 75.0),
    }
    assert figures.average_completeness == 82.7


def test_registry_validity_counts_impossible_dates_and_phones_not_in_e164(
    world: dict[str, Any], register: Callable[..., Returnee]
) -> None:
    # given one record born tomorrow, one born 111 years ago, one returned before birth, one fine,
    # and two phones typed without the country code
    tomorrow, too_old, returned_early, fine = (register() for _ in range(4))
    Returnee.objects.filter(pk=tomorrow.pk).update(date_of_birth=TODAY + timedelta(days=1), return_date=None)
    Returnee.objects.filter(pk=too_old.pk).update(date_of_birth=date(1915, 6, 30))
    Returnee.objects.filter(pk=returned_early.pk).update(
        date_of_birth=date(2000, 1, 1), return_date=date(1999, 5, 1)
    )
    Phone.objects.create(returnee=fine, number="07701234567")
    Phone.objects.create(returnee=fine, number="+964 770 123")
    # a bad phone of a merged record is not counted
    merged = register()
    Returnee.objects.filter(pk=merged.pk).update(merged_into=fine)
    Phone.objects.create(returnee=merged, number="0770")

    # when
    figures = quality.registry_quality(world["momd"], today=TODAY)

    # then (the four registered phones are in E.164, the two typed by hand are not)
    assert {name: (f.count, f.of) for name, f in figures.validity.items()} == {
        "birth_in_future": (1, 4),
        "birth_too_long_ago": (1, 4),
        "return_before_birth": (1, 4),
        "phone_not_e164": (2, 6),
    }
    assert figures.validity["phone_not_e164"].share == 33.3


def test_registry_stale_records_are_open_or_active_cases_untouched_for_a_year(
    world: dict[str, Any], register: Callable[..., Returnee]
) -> None:
    # given open and active cases untouched for 400 days, an open one untouched for 300 days and an
    # old closed case
    now = timezone.now()
    old_open, old_active, recent, old_closed = (register() for _ in range(4))
    Returnee.objects.filter(pk__in=[old_open.pk, old_active.pk, old_closed.pk]).update(
        updated_at=now - timedelta(days=400)
    )
    Returnee.objects.filter(pk=old_active.pk).update(status="active")
    Returnee.objects.filter(pk=old_closed.pk).update(status="closed")
    Returnee.objects.filter(pk=recent.pk).update(updated_at=now - timedelta(days=300))

    # when
    figures = quality.registry_quality(world["momd"], today=timezone.localdate())

    # then
    assert (figures.stale.count, figures.stale.of, figures.stale.share) == (2, 4, 50.0)


def test_registry_duplicates_are_pending_duplicate_pairs_of_the_institutions_runs(
    world: dict[str, Any], register: Callable[..., Returnee], steward: User, make_user: Callable[..., User]
) -> None:
    # given two pending pairs, a decided pair, a pair whose record was merged meanwhile and a pending
    # pair of the MoLSA's run
    a, b, c, d = (register() for _ in range(4))
    run = make_run(steward)
    make_pair(run, a, other_returnee=b)
    make_pair(run, a, other_returnee=c)
    make_pair(run, b, status=enums.PairStatus.DIFFERENT, other_returnee=c)
    make_pair(run, c, other_returnee=d)
    Returnee.objects.filter(pk=d.pk).update(merged_into=c)
    molsa_steward = make_user(Role.DATA_STEWARD, "molsa_baghdad", "steward.molsa")
    x, y = register("molsa_baghdad"), register("molsa_baghdad")
    make_pair(make_run(molsa_steward), x, other_returnee=y)

    # when / then
    assert quality.registry_quality(world["momd"], today=TODAY).duplicates == 2
    assert quality.registry_quality(world["molsa"], today=TODAY).duplicates == 1


# Sources


def test_source_completeness_counts_mapped_linkage_fields_present_and_not_empty(steward: User) -> None:
    # given a source mapping given name, father's name, date of birth, phone (and a status, not measured)
    source = make_source(steward)
    make_records(
        source,
        steward,
        {
            "given_name": "أحمد",
            "father_name": "علي",
            "date_of_birth": "1990-01-01",
            "phone": "+9647701234567",
        },
        {"given_name": "محمد", "father_name": "", "date_of_birth": None, "status": "active"},
        {"given_name": "", "father_name": "حسن", "phone": "+9647801234567"},
        {},
    )
    # and a record of another source
    other = make_source(steward, "Pre-arrival list")
    make_records(other, steward, {"given_name": "سارة", "father_name": "علي"})

    # when
    figures = quality.source_quality(source, today=TODAY)

    # then an absent key, an empty string and a JSON null all count as empty, on either database
    assert figures.total == 4
    assert shares(figures) == {
        "given_name": (2, 4, 50.0),
        "father_name": (2, 4, 50.0),
        "date_of_birth": (1, 4, 25.0),
        "phone": (2, 4, 50.0),
    }


def test_source_fields_are_the_mapped_linkage_fields_in_their_order(steward: User) -> None:
    source = make_source(steward, phone="Tel", record_id="ID", given_name="Name", mother_name="", status="S")

    assert quality.source_fields(source) == ["given_name", "phone"]


def test_source_validity_reads_the_last_committed_import(steward: User) -> None:
    # given an older committed import, the last committed import with three problems in two rows,
    # and a newer import that is only checked, not committed
    source = make_source(steward)
    now = timezone.now()
    older = make_batch(
        source, steward, "a", committed_at=now - timedelta(days=30), rows_total=10, rows_with_errors=5
    )
    RowError.objects.create(batch=older, row_number=1, code="missing_id")
    last = make_batch(
        source, steward, "b", committed_at=now - timedelta(days=1), rows_total=8, rows_with_errors=2
    )
    RowError.objects.create(batch=last, row_number=2, column="DOB", code="bad_date", value="x")
    RowError.objects.create(batch=last, row_number=2, column="Tel", code="bad_phone", value="y")
    RowError.objects.create(batch=last, row_number=5, column="DOB", code="bad_date", value="z")
    checked = make_batch(
        source, steward, "c", status=enums.BatchStatus.VALIDATED, rows_total=4, rows_with_errors=4
    )
    RowError.objects.create(batch=checked, row_number=1, code="formula")

    # when
    figures = quality.source_quality(source, today=TODAY)

    # then
    assert {name: (f.count, f.of, f.share) for name, f in figures.validity.items()} == {
        "rows_with_errors": (2, 8, 25.0)
    }
    assert figures.errors_by_code == {"bad_date": 2, "bad_phone": 1}
    assert figures.last_import == timezone.localdate(now - timedelta(days=1)).isoformat()


def test_source_without_a_committed_import_has_no_validity(steward: User) -> None:
    source = make_source(steward)

    figures = quality.source_quality(source, today=TODAY)

    assert (figures.total, figures.validity, figures.errors_by_code, figures.last_import) == (0, {}, {}, None)
    assert figures.completeness["given_name"].share is None


def test_source_stale_records_are_those_no_import_refreshed_for_180_days(steward: User) -> None:
    # given records last refreshed 181, 179 and 0 days ago
    source = make_source(steward)
    old, recent, _fresh = make_records(
        source, steward, {"given_name": "a"}, {"given_name": "b"}, {"given_name": "c"}
    )
    now = timezone.now()
    ExternalRecord.objects.filter(pk=old.pk).update(updated_at=now - timedelta(days=181))
    ExternalRecord.objects.filter(pk=recent.pk).update(updated_at=now - timedelta(days=179))

    # when
    figures = quality.source_quality(source, today=timezone.localdate())

    # then
    assert (figures.stale.count, figures.stale.of) == (1, 3)


def test_source_duplicates_are_pending_pairs_of_its_records(
    steward: User, register: Callable[..., Returnee]
) -> None:
    # given two pending pairs of the source's records, a linked pair and a pending pair of another source
    source, other = make_source(steward), make_source(steward, "Pre-arrival list")
    first, second, third = make_records(
        source, steward, {"given_name": "a"}, {"given_name": "b"}, {"given_name": "c"}
    )
    (elsewhere,) = make_records(other, steward, {"given_name": "d"})
    person = register()
    run = make_run(steward, enums.RunKind.SOURCE_TO_REGISTRY, source=source)
    make_pair(run, person, record=first)
    make_pair(run, register(), record=second)
    make_pair(run, register(), status=enums.PairStatus.LINKED, record=third)
    make_pair(make_run(steward, enums.RunKind.SOURCE_TO_REGISTRY, source=other), person, record=elsewhere)

    # when / then
    assert quality.source_quality(source, today=TODAY).duplicates == 2


# Snapshots and trend


def test_a_second_snapshot_the_same_day_replaces_the_first(
    world: dict[str, Any], register: Callable[..., Returnee], steward: User
) -> None:
    # given a snapshot of the registry and one of a source taken today
    register()
    source = make_source(steward)
    quality.snapshot_take(institution=world["momd"], today=TODAY)
    quality.snapshot_take(institution=world["momd"], source=source, today=TODAY)

    # when a record is added and the registry's snapshot is taken again
    register()
    snapshot = quality.snapshot_take(institution=world["momd"], today=TODAY)

    # then there is still one snapshot of the registry that day, with the new figures
    assert QualitySnapshot.objects.filter(institution=world["momd"], source=None, day=TODAY).count() == 1
    assert QualitySnapshot.objects.filter(source=source, day=TODAY).count() == 1
    snapshot.refresh_from_db()
    assert snapshot.figures["total"] == 2
    assert snapshot.figures["completeness"]["mother_name"] == {"count": 2, "of": 2, "share": 100.0}
    assert snapshot.figures["stale"] == {"count": 0, "of": 2, "share": 0.0}


def test_trend_lists_the_snapshots_of_the_last_days_oldest_first(
    world: dict[str, Any], steward: User
) -> None:
    # given registry snapshots of several days, in no order, one too old, and snapshots of a source
    # and of another institution
    source = make_source(steward)
    for days_ago in (1, 400, 3, 365):
        QualitySnapshot.objects.create(institution=world["momd"], day=TODAY - timedelta(days=days_ago))
    QualitySnapshot.objects.create(institution=world["momd"], source=source, day=TODAY - timedelta(days=2))
    QualitySnapshot.objects.create(institution=world["molsa"], day=TODAY - timedelta(days=2))

    # when / then
    days = [s.day for s in quality.trend(world["momd"], today=TODAY)]
    assert days == [date(2025, 7, 1), date(2026, 6, 28), date(2026, 6, 30)]
    assert [s.day for s in quality.trend(world["momd"], source, today=TODAY)] == [date(2026, 6, 29)]


def test_the_daily_command_snapshots_every_registry_and_every_source(
    world: dict[str, Any], register: Callable[..., Returnee], steward: User
) -> None:
    # given records in both ministries and one source
    register()
    register("molsa_baghdad")
    source = make_source(steward)

    # when the command runs twice the same day
    out = io.StringIO()
    call_command("quality_snapshot", stdout=out)
    call_command("quality_snapshot", stdout=io.StringIO())

    # then
    today = timezone.localdate()
    snapshots = QualitySnapshot.objects.values_list(
        "institution__code", "source__name_en", "day", "figures__total"
    )
    assert sorted(snapshots, key=lambda row: (row[0], row[1] or "")) == [
        ("molsa", None, today, 1),
        ("momd", None, today, 1),
        ("momd", "Unemployed register", today, 0),
    ]
    assert out.getvalue() == f"Quality snapshots of {today.isoformat()}: 2 registries, 1 sources.\n"
    assert source.snapshots.count() == 1


# The page


def test_the_page_shows_the_figures_to_a_data_steward(
    world: dict[str, Any], register: Callable[..., Returnee], steward: User
) -> None:
    # given two records, one without a mother's name, a source and a snapshot of yesterday
    register()
    register(record={"mother_name": ""})
    source = make_source(steward)
    make_records(source, steward, {"given_name": "أحمد"})
    QualitySnapshot.objects.create(
        institution=world["momd"],
        day=timezone.localdate() - timedelta(days=1),
        figures={"average_completeness": 91.5, "duplicates": 3, "stale": {"count": 4}},
    )

    # when
    response = verified_client(steward).get("/exchange/quality/")

    # then
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mother&#x27;s name" in page
    assert "50.0%" in page
    assert "Unemployed register" in page
    assert f"/exchange/quality/{source.uuid}/" in page
    assert "<polyline" in page
    assert "91.5%" in page
    assert "زينب" not in page  # aggregate figures only, never a name


def test_the_source_page_shows_one_source_and_hides_other_institutions_sources(
    world: dict[str, Any], steward: User, make_user: Callable[..., User]
) -> None:
    source = make_source(steward)
    molsa_source = make_source(make_user(Role.DATA_STEWARD, "molsa_baghdad", "steward.molsa"), "MoLSA list")
    client = verified_client(steward)

    assert client.get(f"/exchange/quality/{source.uuid}/").status_code == 200
    assert client.get(f"/exchange/quality/{molsa_source.uuid}/").status_code == 404


def test_a_case_worker_is_refused_and_nothing_is_computed(
    world: dict[str, Any], make_user: Callable[..., User], steward: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a case worker, and figures that would fail if computed
    source = make_source(steward)
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "worker")

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("computed")

    monkeypatch.setattr(quality, "registry_quality", fail)
    monkeypatch.setattr(quality, "source_quality", fail)

    # when / then
    client = verified_client(worker)
    assert client.get("/exchange/quality/").status_code == 403
    assert client.get(f"/exchange/quality/{source.uuid}/").status_code == 403
    assert client.get("/exchange/quality/?format=csv").status_code == 403


def test_the_csv_has_one_row_per_figure(
    world: dict[str, Any], register: Callable[..., Returnee], steward: User
) -> None:
    # given one record without phone and a source with one import of two rows (one with an error)
    register(phones=[])
    source = make_source(steward, given_name="Name", phone="Tel")
    make_records(source, steward, {"given_name": "أحمد", "phone": ""})
    batch = make_batch(
        source,
        steward,
        "z",
        committed_at=timezone.now() + timedelta(minutes=1),
        rows_total=2,
        rows_with_errors=1,
    )
    RowError.objects.create(batch=batch, row_number=2, column="Tel", code="bad_phone", value="x")

    # when
    response = verified_client(steward).get("/exchange/quality/?format=csv")

    # then
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="data-quality-momd-{today}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    registry = "Registry of the institution"
    source_name = "Unemployed register"
    assert rows == [
        ["Register", "Figure", "Key", "Label", "Count", "Out of", "Share (%)"],
        [registry, "total", "", "Records", "1", "", ""],
        [registry, "completeness", "given_name", "Given name", "1", "1", "100.0"],
        [registry, "completeness", "father_name", "Father's name", "1", "1", "100.0"],
        [registry, "completeness", "grandfather_name", "Grandfather's name", "1", "1", "100.0"],
        [registry, "completeness", "family_name", "Family or tribal name", "1", "1", "100.0"],
        [registry, "completeness", "mother_name", "Mother's name", "1", "1", "100.0"],
        [registry, "completeness", "date_of_birth", "Date of birth", "1", "1", "100.0"],
        [registry, "completeness", "sex", "Sex", "1", "1", "100.0"],
        [registry, "completeness", "governorate", "Governorate", "1", "1", "100.0"],
        [registry, "completeness", "district", "District", "1", "1", "100.0"],
        [registry, "completeness", "phone", "Phone", "0", "1", "0.0"],
        [registry, "completeness", "identity_document", "Identity document with a number", "1", "1", "100.0"],
        [registry, "completeness", "return_date", "Return date", "1", "1", "100.0"],
        [registry, "completeness", "country_returned_from", "Country returned from", "1", "1", "100.0"],
        [registry, "validity", "birth_in_future", "Dates of birth in the future", "0", "1", "0.0"],
        [
            registry,
            "validity",
            "birth_too_long_ago",
            "Dates of birth more than 110 years ago",
            "0",
            "1",
            "0.0",
        ],
        [
            registry,
            "validity",
            "return_before_birth",
            "Return dates before the date of birth",
            "0",
            "1",
            "0.0",
        ],
        [
            registry,
            "validity",
            "phone_not_e164",
            "Phone numbers not in international form (+964…)",
            "0",
            "0",
            "",
        ],
        [registry, "duplicates", "", "Suspected duplicates waiting for review", "0", "", ""],
        [registry, "stale", "", "Stale records", "0", "1", "0.0"],
        [source_name, "total", "", "Records", "1", "", ""],
        [source_name, "completeness", "given_name", "Given name", "1", "1", "100.0"],
        [source_name, "completeness", "phone", "Phone", "0", "1", "0.0"],
        [
            source_name,
            "validity",
            "rows_with_errors",
            "Rows with errors in the last import",
            "1",
            "2",
            "50.0",
        ],
        [source_name, "row_error", "bad_phone", "This is not a phone number.", "1", "", ""],
        [source_name, "duplicates", "", "Suspected duplicates waiting for review", "0", "", ""],
        [source_name, "stale", "", "Stale records", "0", "1", "0.0"],
    ]
