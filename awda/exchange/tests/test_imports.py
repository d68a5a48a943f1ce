"""Imports of other ministries' files: encodings, mapping, row problems, all-or-nothing, idempotent re-import."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError
from openpyxl import Workbook

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.core.errors import AwdaError, Conflict, PermissionDenied
from awda.core.models import AuditEntry
from awda.exchange import actions, enums
from awda.exchange.models import ExternalRecord, ImportBatch, RowError, Source

MAPPING = {
    "record_id": "رقم",
    "full_name": "الاسم",
    "date_of_birth": "التولد",
    "sex": "الجنس",
    "governorate": "المحافظة",
    "phone": "الهاتف",
    "status": "الحالة",
    "status_date": "تاريخ التسجيل",
}
HEADER = "رقم,الاسم,التولد,الجنس,المحافظة,الهاتف,الحالة,تاريخ التسجيل\n"
GOOD = HEADER + (
    "M-1,زينب حسين علي الجبوري,14/03/1990,انثى,بغداد,0770 123 4567,عاطل,2026-07-01\n"
    "M-2,Ahmed Kadhim Jasim,1985,M,Basra,+964 780 000 1111,عاطل,2026-08-15\n"
    "M-3,كرار عباس,1999-12-31,ذكر,IQG11,,عاطل,2026-09-01\n"
)


@pytest.fixture
def steward(make_user: Callable[..., User]) -> User:
    return make_user(Role.DATA_STEWARD, "momd_baghdad", "steward")


@pytest.fixture
def source(steward: User, world: dict[str, Any], settings: Any, tmp_path: Path) -> Source:
    settings.DATA_DIR = tmp_path
    made = actions.source_create(
        actor=steward,
        held_by=world["molsa"],
        name_ar="سجل العاطلين",
        name_ckb="تۆماری بێکاران",
        name_en="MoLSA unemployed register",
        kind=enums.SourceKind.UNEMPLOYED_REGISTER,
    )
    return actions.source_set_mapping(
        actor=steward, source=made, mapping=MAPPING, sync_fields=["status", "status_date"]
    )


def upload(steward: User, source: Source, content: bytes, name: str = "molsa.csv") -> ImportBatch:
    return actions.batch_upload(actor=steward, source=source, file_name=name, chunks=[content])


def import_file(
    steward: User, source: Source, content: bytes, name: str = "molsa.csv", skip: bool = False
) -> ImportBatch:
    batch = actions.batch_validate(batch=upload(steward, source, content, name))
    actions.batch_commit_request(actor=steward, batch=batch, skip_invalid_rows=skip)
    return actions.batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))


def test_a_good_file_is_imported_with_normalised_values_and_provenance(steward: User, source: Source) -> None:
    batch = import_file(steward, source, GOOD.encode())

    assert (batch.status, batch.rows_total, batch.rows_new, batch.rows_with_errors) == ("committed", 3, 3, 0)
    zainab = ExternalRecord.objects.get(source=source, external_id="M-1")
    assert zainab.values == {
        "full_name": "زينب حسين علي الجبوري",
        "date_of_birth": "1990-03-14",
        "sex": "female",
        "governorate": "IQG08",
        "phone": "+9647701234567",
        "status": "عاطل",
        "status_date": "2026-07-01",
    }
    assert zainab.value_provenance() == {key: [str(batch.uuid), 2] for key in zainab.values}
    assert zainab.provenance == {}  # a first file's values need no entries of their own
    assert zainab.governorate_id == "IQG08"
    ahmed = ExternalRecord.objects.get(source=source, external_id="M-2")
    assert (ahmed.values["date_of_birth"], ahmed.values["governorate"], ahmed.values["sex"]) == (
        "1985",
        "IQG02",
        "male",
    )
    assert (
        AuditEntry.objects.filter(object_type="exchange.importbatch", object_id=str(batch.uuid)).count() >= 2
    )


def test_the_same_file_twice_is_refused_and_changes_nothing(steward: User, source: Source) -> None:
    import_file(steward, source, GOOD.encode())
    before = list(
        ExternalRecord.objects.values_list("external_id", "values", "updated_at").order_by("external_id")
    )
    batches = ImportBatch.objects.count()

    with pytest.raises(Conflict):
        upload(steward, source, GOOD.encode(), name="copy of molsa.csv")

    assert ImportBatch.objects.count() == batches
    assert (
        list(
            ExternalRecord.objects.values_list("external_id", "values", "updated_at").order_by("external_id")
        )
        == before
    )
    assert len(list(Path(source_dir(source)).iterdir())) == 1  # the refused copy was not kept


def source_dir(source: Source) -> Path:
    return actions.imports_dir()


def test_a_newer_file_updates_records_by_id_and_keeps_provenance_per_value(
    steward: User, source: Source
) -> None:
    first = import_file(steward, source, GOOD.encode())
    newer = GOOD.replace("0770 123 4567,عاطل,2026-07-01", "0770 123 4567,يعمل,2026-10-01") + (
        "M-4,Noor Ali,2001-02-03,F,Najaf,,عاطل,2026-10-02\n"
    )

    second = import_file(steward, source, newer.encode(), name="molsa-october.csv")

    assert (second.rows_new, second.rows_updated, second.rows_unchanged) == (1, 1, 2)
    assert ExternalRecord.objects.filter(source=source).count() == 4
    zainab = ExternalRecord.objects.get(source=source, external_id="M-1")
    assert zainab.values["status"] == "يعمل"
    provenance = zainab.value_provenance()
    assert provenance["status"] == [str(second.uuid), 2]
    assert provenance["status_date"] == [str(second.uuid), 2]
    assert provenance["full_name"] == [str(first.uuid), 2]
    assert provenance["phone"] == [str(first.uuid), 2]


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16", "utf-8-sig"])
def test_arabic_files_in_the_encodings_excel_writes_are_read(
    steward: User, source: Source, encoding: str
) -> None:
    batch = import_file(steward, source, GOOD.encode(encoding))

    assert batch.rows_new == 3
    assert ExternalRecord.objects.get(external_id="M-3").values["full_name"] == "كرار عباس"


def test_rows_with_problems_are_listed_and_block_the_import_unless_left_out(
    steward: User, source: Source
) -> None:
    bad = HEADER + (
        "M-1,زينب حسين,32/13/1990,انثى,بغداد,0770 123 4567,عاطل,2026-07-01\n"
        "M-1,زينب حسين,1990-01-01,?,Atlantis,12,عاطل,2026-07-01\n"
        ",,1990-01-01,ذكر,بغداد,,,\n"
        'M-9,=HYPERLINK("x"),1990-01-01,ذكر,بغداد,,,\n'
        "M-5,سارة,2099-01-01,انثى,بغداد,,,\n"
        "M-6,علي حسن,1990-01-01,ذكر,بغداد,,,\n"
    )
    batch = actions.batch_validate(batch=upload(steward, source, bad.encode()))

    problems = sorted(RowError.objects.filter(batch=batch).values_list("row_number", "code"))
    assert problems == [
        (2, "bad_date"),
        (3, "bad_governorate"),
        (3, "bad_phone"),
        (3, "bad_sex"),
        (3, "duplicate_id"),
        (4, "missing_id"),
        (4, "missing_name"),
        (5, "formula"),
        (6, "future_date"),
    ]
    assert (batch.rows_total, batch.rows_valid, batch.rows_with_errors) == (6, 1, 5)
    with pytest.raises(AwdaError):
        actions.batch_commit_request(actor=steward, batch=batch, skip_invalid_rows=False)
    assert ImportBatch.objects.get(pk=batch.pk).status == "validated"
    assert not ExternalRecord.objects.exists()

    actions.batch_commit_request(actor=steward, batch=batch, skip_invalid_rows=True)
    done = actions.batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))
    assert done.rows_new == 1
    assert list(ExternalRecord.objects.values_list("external_id", flat=True)) == ["M-6"]


def test_a_renamed_column_is_reported_before_any_row_is_read(steward: User, source: Source) -> None:
    renamed = GOOD.replace("الهاتف", "رقم الموبايل")
    batch = upload(steward, source, renamed.encode())

    assert actions.missing_columns(batch) == ["الهاتف"]
    with pytest.raises(AwdaError, match="الهاتف"):
        actions.batch_validate(batch=batch)
    assert not RowError.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "empty"),
        (b"\n\n", "blank.csv", "column names"),
        (b"a,a\n1,2\n", "twice.csv", "appears twice"),
        (b"PK\x03\x04 not really", "broken.xlsx", "not a valid XLSX"),
        (b"whatever", "old.xls", ".xls"),
        (b"whatever", "notes.pdf", "CSV and XLSX"),
    ],
)
def test_unreadable_files_are_refused_and_leave_nothing(
    steward: User, source: Source, content: bytes, name: str, message: str
) -> None:
    with pytest.raises(AwdaError, match=message):
        upload(steward, source, content, name=name)

    assert not ImportBatch.objects.exists()
    assert list(actions.imports_dir().iterdir()) == []


def test_a_file_over_the_size_limit_is_refused_while_it_streams(
    steward: User, source: Source, settings: Any
) -> None:
    settings.AWDA_IMPORT_MAX_BYTES = 10
    with pytest.raises(AwdaError, match="larger than"):
        actions.batch_upload(actor=steward, source=source, file_name="big.csv", chunks=[b"x" * 8, b"y" * 8])
    assert not ImportBatch.objects.exists()
    assert list(actions.imports_dir().iterdir()) == []


def test_xlsx_with_a_formula_cell_reports_the_formula(steward: User, source: Source) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(MAPPING.values()))
    sheet.append(["M-1", "زينب حسين", "1990-03-14", "انثى", "بغداد", 7701234567, "عاطل", "2026-07-01"])
    sheet.append(["M-2", '=A2&"x"', "1990-03-14", "انثى", "بغداد", None, "عاطل", "2026-07-01"])
    out = io.BytesIO()
    workbook.save(out)

    batch = actions.batch_validate(batch=upload(steward, source, out.getvalue(), name="molsa.xlsx"))

    assert list(RowError.objects.filter(batch=batch).values_list("row_number", "code")) == [(3, "formula")]
    assert batch.preview["rows"][0]["values"]["phone"] == "+9647701234567"


def test_a_failure_half_way_commits_no_row(
    steward: User, source: Source, monkeypatch: pytest.MonkeyPatch
) -> None:
    batch = actions.batch_validate(batch=upload(steward, source, GOOD.encode()))
    actions.batch_commit_request(actor=steward, batch=batch, skip_invalid_rows=False)
    monkeypatch.setattr(actions, "CHUNK", 2)
    calls = {"n": 0}
    original = ExternalRecord.objects.bulk_create

    def failing(objs: Any, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise IntegrityError("simulated")
        return original(objs, *args, **kwargs)

    monkeypatch.setattr(ExternalRecord.objects, "bulk_create", failing)

    done = actions.batch_commit(batch=ImportBatch.objects.get(pk=batch.pk))

    assert calls["n"] == 2
    assert done.status == "refused"
    assert not ExternalRecord.objects.exists()


def test_a_case_worker_cannot_import(make_user: Callable[..., User], source: Source) -> None:
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "worker")
    with pytest.raises(PermissionDenied):
        upload(worker, source, GOOD.encode())
    assert not ImportBatch.objects.exists()


def test_a_mapping_without_id_or_name_is_refused(steward: User, source: Source) -> None:
    with pytest.raises(AwdaError) as raised:
        actions.source_set_mapping(actor=steward, source=source, mapping={"phone": "الهاتف"})
    assert set(raised.value.fields) == {"record_id", "full_name"}
    assert Source.objects.get(pk=source.pk).column_mapping == MAPPING
