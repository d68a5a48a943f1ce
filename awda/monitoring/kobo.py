"""A survey instrument as an XLSForm for KoboToolbox and ODK, and their submissions imported as responses.

The form asks the case number and the date of the interview, then each indicator as a ``select_one``
with its options in Arabic, Kurdish and English; its ``form_id`` and ``version`` name the instrument
version, so that a submission always knows which version it answered. Exports come back as CSV, XLSX
or JSON (a list, or the API's ``{"results": [...]}``), with option values or labels in any language.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from awda.accounts.models import User
from awda.core.errors import AwdaError
from awda.core.tables import FileProblem, open_table
from awda.monitoring import actions, rules
from awda.monitoring.enums import ResponseSource, VersionStatus
from awda.monitoring.models import InstrumentVersion, SurveyResponse
from awda.registry.queries import returnees_editable_by
from awda.registry.xlsform import LANGUAGES  # the same label columns as the case form's XLSForm

CASE_NUMBER, COLLECTED_ON = "case_number", "collected_on"
# Columns KoboToolbox and ODK add on their own; they are not answers.
METADATA = {"start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid",
            "audit", "instanceid", "instanceID", "__version__", "formhub/uuid", "meta/instanceID"}  # fmt: skip
MAX_ROWS = 20_000


def form_id(version: InstrumentVersion) -> str:
    return f"awda_{version.instrument.code.replace('-', '_')}"


def build_survey_xlsform(version: InstrumentVersion) -> bytes:
    instrument = actions.parsed(version)
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    labels = [f"label::{name}" for _code, name in LANGUAGES]
    survey.append(["type", "name", *labels, "required", "constraint"])
    case_texts = {"ar": "رقم الحالة", "ckb": "ژمارەی دۆسیە", "en": "Case number"}
    date_texts = {"ar": "تاريخ المقابلة", "ckb": "ڕێکەوتی چاوپێکەوتن", "en": "Date of the interview"}
    survey.append(["text", CASE_NUMBER, *[case_texts[c] for c, _n in LANGUAGES], "yes",
                   "regex(., '^AWD-[0-9]{4}-[0-9]{7}$')"])  # fmt: skip
    survey.append(["date", COLLECTED_ON, *[date_texts[c] for c, _n in LANGUAGES], "yes", ". <= today()"])
    for dimension in instrument.dimensions:
        survey.append(["begin_group", dimension.code, *[dimension.name[c] for c, _n in LANGUAGES], "", ""])
        for indicator in instrument.indicators:
            if indicator.dimension == dimension.code:
                survey.append(
                    [f"select_one {indicator.code}", indicator.code,
                     *[indicator.question[c] for c, _n in LANGUAGES], "", ""]
                )  # fmt: skip
        survey.append(["end_group", dimension.code, "", "", "", "", ""])
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *labels])
    for indicator in instrument.indicators:
        for option in indicator.options:
            choices.append([indicator.code, option.value, *[option.label[c] for c, _n in LANGUAGES]])
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([version.name_ar, form_id(version), str(version.number), LANGUAGES[0][1]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    imported: int = 0
    already: int = 0
    problems: list[dict[str, Any]] = field(default_factory=list)  # {"row": n, "field": name, "message": text}


def read_submissions(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The columns and rows of an export; a file that cannot be read raises ``FileProblem``."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".json":
        try:
            parsed = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError) as error:
            raise FileProblem(_("The file is not valid JSON.")) from error
        records = parsed.get("results") if isinstance(parsed, Mapping) else parsed
        if not isinstance(records, list) or not all(isinstance(r, Mapping) for r in records):
            raise FileProblem(_("The JSON must be a list of submissions, or an object with “results”."))
        rows = [
            (n, {str(k): "" if v is None else str(v).strip() for k, v in r.items()})
            for n, r in enumerate(records, 1)
        ]
        headers = sorted({key for _n, row in rows for key in row})
        return headers, rows[: MAX_ROWS + 1]
    if suffix not in (".csv", ".xlsx"):
        raise FileProblem(_("Choose a CSV, Excel (XLSX) or JSON file exported from KoboToolbox or ODK."))
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        handle.write(data)
        handle.flush()
        table = open_table(Path(handle.name), suffix[1:])
        rows = []
        for number, row in table.rows():
            rows.append((number, row))
            if len(rows) > MAX_ROWS:
                break
        return table.headers, rows


def _short(column: str) -> str:
    """Kobo prefixes a question inside a group with the group's name (``economic/employment``)."""
    return column.rsplit("/", 1)[-1]


def _option_value(indicator: rules.Indicator, raw: str) -> str | None:
    """An option from its value, or from its label in any language (exports may carry labels)."""
    text = raw.strip()
    for option in indicator.options:
        if text == option.value or text in option.label.values():
            return option.value
    return None


def import_submissions(
    *, actor: User, version: InstrumentVersion, headers: Iterable[str], rows: list[tuple[int, dict[str, str]]]
) -> ImportResult:
    """Import an export's submissions as responses: every row checked first, then all saved or none.

    Renamed or unknown question columns are refused (a renamed column would silently lose its answers);
    a submission already imported (same ``_uuid``) is skipped, so importing a file twice adds nothing.
    """
    result = ImportResult()
    if version.status == VersionStatus.RETIRED:
        raise AwdaError(
            _("This version of the survey is retired; export the submissions of the version in use.")
        )
    if len(rows) > MAX_ROWS:
        raise AwdaError(_("The file has more than %(n)s submissions; split it.") % {"n": f"{MAX_ROWS:,}"})
    instrument = actions.parsed(version)
    codes = {i.code for i in instrument.indicators}
    columns = {h: _short(h) for h in headers}
    missing = [c for c in (CASE_NUMBER, COLLECTED_ON) if c not in columns.values()]
    unknown = sorted(
        h for h, short in columns.items()
        if short not in codes | {CASE_NUMBER, COLLECTED_ON} and not h.startswith("_") and h not in METADATA
        and short not in METADATA and short not in {d.code for d in instrument.dimensions}
    )  # fmt: skip
    if missing or unknown:
        if missing:
            result.problems.append({"row": 1, "field": ", ".join(missing),
                                    "message": _("This column is missing: the file is not an export of this survey.")})  # fmt: skip
        for column in unknown:
            result.problems.append({"row": 1, "field": column,
                                    "message": _("This column is not a question of this survey version (renamed?).")})  # fmt: skip
        return result
    if not any(short in codes for short in columns.values()):
        result.problems.append(
            {"row": 1, "field": "", "message": _("No column is a question of this survey.")}
        )
        return result
    numbers = {
        row.get(h, "").strip().upper() for _n, row in rows for h, s in columns.items() if s == CASE_NUMBER
    }
    cases = {r.case_number.upper(): r for r in returnees_editable_by(actor).filter(case_number__in=numbers)}
    seen_ids = set(
        SurveyResponse.objects.filter(version=version)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    planned: list[tuple[Any, dict[str, str], date, str]] = []
    today = timezone.localdate()
    scored_options = {i.code: {o.value: o.score for o in i.options} for i in instrument.indicators}
    for number, row in rows:
        values = {columns[h]: v for h, v in row.items() if h in columns}
        external = row.get("_uuid", "") or row.get("meta/instanceID", "") or row.get("instanceID", "")
        if external and external in seen_ids:
            result.already += 1
            continue
        returnee = cases.get(values.get(CASE_NUMBER, "").strip().upper())
        if returnee is None:
            result.problems.append({"row": number, "field": CASE_NUMBER,
                                    "message": _("No case with this number among the cases you may change.")})  # fmt: skip
            continue
        try:
            collected = date.fromisoformat(values.get(COLLECTED_ON, "")[:10])
        except ValueError:
            result.problems.append(
                {"row": number, "field": COLLECTED_ON, "message": _("Enter a date such as 2026-11-27.")}
            )
            continue
        if collected > today:
            result.problems.append(
                {"row": number, "field": COLLECTED_ON, "message": _("The date cannot be in the future.")}
            )
            continue
        answers: dict[str, str] = {}
        before = len(result.problems)
        for code in codes:
            raw = values.get(code, "")
            if not raw:
                continue
            value = _option_value(instrument.indicator(code), raw)  # type: ignore[arg-type]
            if value is None:
                result.problems.append({"row": number, "field": code,
                                        "message": _("“%(value)s” is not one of the answers to this question.") % {"value": raw}})  # fmt: skip
                continue
            answers[code] = value
        if len(result.problems) > before:
            continue
        if not any(scored_options[c].get(v) is not None for c, v in answers.items()):
            result.problems.append(
                {"row": number, "field": "", "message": _("Answer at least one question.")}
            )
            continue
        planned.append((returnee, answers, collected, external))
        if external:
            seen_ids.add(external)
    if result.problems:
        return result
    try:
        with transaction.atomic():
            for returnee, answers, collected, external in planned:
                actions.response_record(
                    actor=actor, returnee=returnee, version=version, answers=answers, collected_on=collected,
                    source=ResponseSource.KOBO, external_id=external[:64], check_warnings=False,
                )  # fmt: skip
                result.imported += 1
            # A backlog (a person's 3-, 6- and 12-month surveys recorded on one day) is judged as a whole:
            # the rules run once per person with all of their responses in place, so a follow-up answered
            # by another row of the file is not raised as overdue, while a real setback still is.
            people = {returnee.pk: returnee for returnee, _answers, _collected, _external in planned}
            for returnee in people.values():
                actions.warnings_check(returnee=returnee)
    except AwdaError as error:
        result.imported = 0
        result.problems.append({"row": 0, "field": "", "message": str(error.message)})
    return result
