"""Imports of the catalogue from CSV and XLSX: all or nothing, row problems shown, round trip with the export."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from awda.accounts.models import User
from awda.catalogue import rules, spreadsheets
from awda.catalogue.models import Service, ServiceVersion
from awda.catalogue.tests.conftest import service_document
from awda.core.models import AuditEntry
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _csv(documents: list[dict[str, Any]], *, hxl: bool = True, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(rules.FIELDS)
    if hxl:
        writer.writerow([spreadsheets.HXL[name] for name in rules.FIELDS])
    for doc in documents:
        writer.writerow([spreadsheets.cell(doc.get(name)) for name in rules.FIELDS])
    return buffer.getvalue().encode(encoding)


def _upload(user: User, content: bytes, name: str = "catalogue.csv") -> Any:
    return verified_client(user).post("/catalogue/import/", {"file": SimpleUploadedFile(name, content)})


def _rows() -> list[dict[str, Any]]:
    return [
        service_document(),
        service_document(
            code="molsa-training-basra",
            category="Vocational courses",  # a category may be named instead of coded
            districts=[],
            governorates=["البصرة"],  # and a place by its name in any language
            name_en="Welding course in Basra",
            min_age=None,
            max_age=45,
            sexes=["male", "female"],
        ),
    ]


def test_a_good_file_creates_services_and_the_same_file_again_changes_nothing(
    people: dict[str, User],
) -> None:
    response = _upload(people["admin"], _csv(_rows()))
    assert response.status_code == 200
    assert "2 services added, 0 updated, 0 unchanged." in response.content.decode()
    basra = Service.objects.get(code="molsa-training-basra")
    assert basra.category.code == "vocational_courses"
    assert [g.pcode for g in basra.governorates.all()] == ["IQG02"]
    assert basra.criteria["sexes"] == ["female", "male"]
    assert basra.criteria["max_age"] == 45
    assert ServiceVersion.objects.filter(service=basra).count() == 1
    # UTF-16, as Excel saves "Unicode text" (Windows-1256 has no Kurdish letters): nothing changes
    again = _upload(people["admin"], _csv(_rows(), encoding="utf-16"))
    assert "0 services added, 0 updated, 2 unchanged." in again.content.decode()
    assert Service.objects.count() == 2
    assert ServiceVersion.objects.count() == 2


def test_a_newer_file_updates_by_code_and_keeps_history(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    service = publish()
    changed = _rows()
    changed[0]["capacity_per_month"] = 40
    response = _upload(people["admin"], _csv(changed))
    assert "1 services added, 1 updated, 0 unchanged." in response.content.decode()
    service.refresh_from_db()
    assert (service.capacity_per_month, service.version) == (40, 2)
    assert list(service.versions.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_a_bad_file_imports_nothing_and_says_which_rows(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    service = publish()
    rows = _rows()
    rows[0]["capacity_per_month"] = 99  # a good change that must not be applied either
    rows[1].update(category="space travel", governorates=["Atlantis"], min_age=50, max_age=20)
    rows.append(service_document(code="molsa-docs-karkh"))  # the same code twice in the file
    audit_before = AuditEntry.objects.count()
    response = _upload(people["admin"], _csv(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported: 2 rows have problems." in page
    assert "Unknown service category: space travel." in page
    assert "Unknown place: Atlantis." in page
    assert "The minimum (50) is above the maximum (20); nobody could meet this." in page
    assert '<span class="mono">code</span>: the same code is on row 3.' in page
    service.refresh_from_db()
    assert (service.capacity_per_month, service.version, Service.objects.count()) == (20, 1, 1)
    assert ServiceVersion.objects.count() == 1
    # Only the page view of the refused import is in the log, no write
    assert not AuditEntry.objects.filter(seq__gt=audit_before, action__in=["create", "update"]).exists()


def test_unreadable_files_and_wrong_types_are_refused_with_a_message(people: dict[str, User]) -> None:
    wrong_type = _upload(people["admin"], b"x", "catalogue.pdf")
    assert (wrong_type.status_code, "Upload a CSV or XLSX file." in wrong_type.content.decode()) == (
        400,
        True,
    )
    broken = _upload(people["admin"], b"PK\x03\x04 not really a workbook", "catalogue.xlsx")
    assert broken.status_code == 400
    assert Service.objects.count() == 0
    empty = _upload(people["admin"], _csv([]))
    assert (empty.status_code, "The file has no services." in empty.content.decode()) == (400, True)


def test_a_misspelt_or_missing_column_refuses_the_file(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    # given a file where "min_age" is written "Min_Age" and "max_age" is left out: read as empty, they
    # would open the service to everyone
    service = publish()
    text = _csv([service_document(min_age=60)]).decode("utf-8-sig")
    header, _hxl, row = text.splitlines()
    columns = header.split(",")
    columns[columns.index("min_age")] = "Min_Age"
    position = columns.index("max_age")
    del columns[position]
    cells = row.split(",")
    del cells[position]
    changed = "\n".join([",".join(columns), ",".join(cells)]).encode()
    response = _upload(people["admin"], changed)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Columns Awda does not know: Min_Age." in page
    assert "Columns missing: min_age, max_age." in page
    service.refresh_from_db()
    assert (service.criteria["min_age"], service.version) == (18, 1)


def test_only_administrators_import(people: dict[str, User]) -> None:
    assert _upload(people["provider"], _csv(_rows())).status_code == 404
    assert Service.objects.count() == 0


def test_export_then_import_is_a_round_trip_in_xlsx(
    people: dict[str, User], publish: Callable[..., Service]
) -> None:
    publish()
    publish(code="molsa-pss-erbil", districts=["IQG11Q02"], category="psychosocial_counselling", remote=False)
    exported = verified_client(people["admin"]).get("/services/export.xlsx")
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content), read_only=True).active
    values = list(sheet.values)
    assert list(values[0]) == list(rules.FIELDS)
    assert values[1][0] == "#service+code"
    response = _upload(people["admin"], exported.content, "awda-services.xlsx")
    assert "0 services added, 0 updated, 2 unchanged." in response.content.decode()
