"""The case form exports as an XLSForm that pyxform (KoboToolbox's and ODK's converter) accepts."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from awda.accounts.enums import Role
from awda.registry.xlsform import build_xlsform
from conftest import verified_client

pytestmark = pytest.mark.django_db


def test_pyxform_converts_the_case_form() -> None:
    warnings: list[str] = []
    result = convert(
        xlsform=io.BytesIO(build_xlsform()), warnings=warnings, file_type=".xlsx", form_name="awda"
    )
    xml = result.xform
    assert "<h:title>" in xml
    assert 'lang="Arabic (ar)"' in xml and 'lang="Kurdish (ckb)"' in xml and 'lang="English (en)"' in xml
    assert "/awda/identity/given_name" in xml
    assert "/awda/documents/document_type" in xml
    assert warnings == []


def test_labels_are_in_three_languages_and_districts_follow_governorates() -> None:
    workbook = load_workbook(io.BytesIO(build_xlsform()))
    survey = [[c.value for c in row] for row in workbook["survey"].iter_rows()]
    header = survey[0]
    given = next(row for row in survey if row[1] == "given_name")
    assert given[header.index("label::English (en)")] == "given name"
    assert given[header.index("label::Arabic (ar)")] != "given name"
    assert given[header.index("label::Kurdish (ckb)")] != "given name"
    district = next(row for row in survey if row[1] == "district")
    assert district[header.index("choice_filter")] == "governorate=${governorate}"
    choices = [[c.value for c in row] for row in workbook["choices"].iter_rows()]
    karkh = next(row for row in choices if row[1] == "IQG08Q03")
    assert (karkh[0], karkh[-1]) == ("district", "IQG08")


def test_staff_download_the_form(make_user: Any) -> None:
    response = verified_client(make_user(Role.CASE_WORKER, "momd_baghdad", "w")).get("/returnees/form.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="awda-case-form-')
