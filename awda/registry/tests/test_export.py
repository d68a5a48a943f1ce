"""Exporting the filtered list: CSV and XLSX with HXL hashtags, for roles allowed to export, audited."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook

from awda.accounts.enums import Role, ScopeLevel
from awda.core.models import AuditEntry
from conftest import verified_client

pytestmark = pytest.mark.django_db


def test_csv_export_of_the_filtered_list(register: Any, make_user: Any) -> None:
    woman = register()
    register(record={"given_name": "كريم", "sex": "male", "vulnerabilities": []})
    supervisor = make_user(Role.SUPERVISOR, "momd_baghdad", "boss")
    response = verified_client(supervisor).get("/returnees/export.csv", {"sex": "female"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["#case+code", "#beneficiary+name", "#beneficiary+name+latin"]
    assert [row[0] for row in rows[2:]] == [woman.case_number]
    assert rows[2][1] == "زينب حسين علي الجبوري"
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_username, entry.object_id) == ("boss", "1 records")


def test_xlsx_export(register: Any, make_user: Any) -> None:
    returnee = register()
    steward = make_user(Role.DATA_STEWARD, "momd_baghdad", "steward", scope=ScopeLevel.INSTITUTION)
    response = verified_client(steward).get("/returnees/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1][0] == "#case+code"
    assert values[2][0] == returnee.case_number


def test_case_workers_cannot_export(register: Any, make_user: Any) -> None:
    register()
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "cw")
    assert verified_client(worker).get("/returnees/export.csv").status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()
