"""The survey as an XLSForm that pyxform accepts, and Kobo/ODK exports imported as responses, all or none."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from awda.accounts.models import User
from awda.monitoring.kobo import build_survey_xlsform, import_submissions, read_submissions
from awda.monitoring.models import InstrumentVersion, SurveyResponse
from awda.monitoring.queries import version_in_use
from awda.registry.models import Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_pyxform_converts_the_default_survey_with_three_languages() -> None:
    version = version_in_use("awda-reintegration")
    assert version is not None
    data = build_survey_xlsform(version)
    warnings: list[str] = []
    result = convert(xlsform=io.BytesIO(data), warnings=warnings, file_type=".xlsx", form_name="survey")
    assert "<h:title>" in result.xform
    book = load_workbook(io.BytesIO(data))
    header = [c.value for c in book["survey"][1]]
    assert header == [
        "type",
        "name",
        "label::Arabic (ar)",
        "label::Kurdish (ckb)",
        "label::English (en)",
        "required",
        "constraint",
    ]
    names = [row[1].value for row in book["survey"].iter_rows(min_row=2)]
    assert names[:2] == ["case_number", "collected_on"] and "employment" in names
    assert [c.value for c in book["settings"][2]][1:3] == ["awda_awda_reintegration", "1"]


def test_an_export_is_imported_once_with_values_or_labels(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    rows = [
        {
            "_uuid": "a1",
            "start": "2026-11-20T09:00",
            "case_number": case.case_number,
            "collected_on": "2026-11-20",
            "economic/work": "full",
            "economic/food": "never",
            "social/house": "نص good",
            "psychosocial/safe": "",
        },
    ]
    headers, parsed = read_submissions(_csv(rows), "export.csv")
    first = import_submissions(actor=worker, version=version, headers=headers, rows=parsed)
    assert (first.imported, first.already, first.problems) == (1, 0, [])
    response = SurveyResponse.objects.get()
    assert (response.source, response.external_id, response.answers) == (
        "kobo",
        "a1",
        {"work": "full", "food": "never", "house": "good"},
    )
    again = import_submissions(actor=worker, version=version, headers=headers, rows=parsed)
    assert (again.imported, again.already) == (0, 1)
    assert SurveyResponse.objects.count() == 1


def test_json_exports_are_read_too(worker: User, case: Returnee, version: InstrumentVersion) -> None:
    payload = {"results": [{"_uuid": "j1", "case_number": case.case_number.lower(), "collected_on": "2026-11-01",
                            "safe": "yes"}]}  # fmt: skip
    headers, parsed = read_submissions(json.dumps(payload).encode(), "export.json")
    result = import_submissions(actor=worker, version=version, headers=headers, rows=parsed)
    assert (result.imported, result.problems) == (1, [])


def test_a_renamed_column_or_a_bad_row_saves_nothing(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    renamed = [{"case_number": case.case_number, "collected_on": "2026-11-20", "job": "full", "safe": "yes"}]
    headers, parsed = read_submissions(_csv(renamed), "export.csv")
    refused = import_submissions(actor=worker, version=version, headers=headers, rows=parsed)
    assert refused.problems == [
        {
            "row": 1,
            "field": "job",
            "message": "This column is not a question of this survey version (renamed?).",
        }
    ]
    mixed = [
        {"case_number": case.case_number, "collected_on": "2026-11-20", "work": "full", "safe": "yes"},
        {"case_number": "AWD-2026-9999999", "collected_on": "2026-11-20", "work": "some", "safe": "yes"},
        {"case_number": case.case_number, "collected_on": "20/11/2026", "work": "lots", "safe": "yes"},
    ]
    headers, parsed = read_submissions(_csv(mixed), "export.csv")
    result = import_submissions(actor=worker, version=version, headers=headers, rows=parsed)
    assert [(p["row"], p["field"]) for p in result.problems] == [(3, "case_number"), (4, "collected_on")]
    assert result.imported == 0
    assert SurveyResponse.objects.count() == 0


def test_the_import_page_reports_problems_by_row(
    worker: User, case: Returnee, version: InstrumentVersion
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = verified_client(worker)
    bad = _csv([{"case_number": case.case_number, "collected_on": "2026-11-20", "work": "lots"}])
    page = client.post("/monitoring/surveys/test-survey/import/", {"file": SimpleUploadedFile("k.csv", bad)})
    assert page.status_code == 400
    assert page.content.decode().count('data-testid="import-problem"') == 1
    assert SurveyResponse.objects.count() == 0
    good = _csv([{"case_number": case.case_number, "collected_on": "2026-11-20", "work": "some"}])
    done = client.post("/monitoring/surveys/test-survey/import/", {"file": SimpleUploadedFile("k.csv", good)})
    assert done.status_code == 200
    assert SurveyResponse.objects.count() == 1
    xlsform = client.get("/monitoring/surveys/test-survey/xlsform/")
    assert xlsform.status_code == 200 and xlsform["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_backlog_of_one_person_raises_no_overdue_follow_up_but_a_real_setback(
    worker: User, register: Callable[..., Returnee], version: InstrumentVersion
) -> None:
    # Given a person who returned 400 days ago, whose 3-, 6- and 12-month surveys are entered on one day,
    # the last one showing a setback
    from awda.monitoring.models import Alert
    from awda.registry.tests.conftest import registration

    returned = timezone.localdate() - timedelta(days=400)
    case = register(record={**registration()["record"], "return_date": returned})
    good = {"work": "full", "food": "never", "house": "good", "safe": "yes"}
    bad = {"work": "none", "food": "often", "house": "bad", "safe": "no"}
    rows = [
        {"_uuid": f"b{days}", "case_number": case.case_number,
         "collected_on": (returned + timedelta(days=days)).isoformat(), **answers}
        for days, answers in ((92, good), (183, good), (366, bad))
    ]  # fmt: skip
    headers, parsed = read_submissions(_csv(rows), "backlog.csv")

    # When the file is imported
    result = import_submissions(actor=worker, version=version, headers=headers, rows=parsed)

    # Then the three are in, no follow-up is said to be overdue, and the setback raises its alerts
    assert (result.imported, result.problems) == (3, [])
    assert sorted(Alert.objects.filter(returnee=case).values_list("rule__code", flat=True)) == [
        "composite-drop",
        "economic-low",
        "psychosocial-low",
    ]
