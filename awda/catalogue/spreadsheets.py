"""The catalogue as a spreadsheet (CSV or XLSX) with HXL hashtags in the second row, and back."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook

from awda.catalogue import rules
from awda.core.tables import FileProblem, open_table

# One hashtag per column (HXL 1.1: https://hxlstandard.org/standard/1-1final/dictionary/).
_LANG_HXL = {"ar": "+i_ar", "ckb": "+i_ckb", "en": "+i_en"}
HXL: dict[str, str] = {
    "code": "#service+code",
    "organisation": "#org+code",
    "programme": "#activity+programme+code",
    "category": "#sector+code",
    **{f"name_{lang}": f"#service+name{tag}" for lang, tag in _LANG_HXL.items()},
    **{f"description_{lang}": f"#service+description{tag}" for lang, tag in _LANG_HXL.items()},
    **{f"how_to_access_{lang}": f"#service+access{tag}" for lang, tag in _LANG_HXL.items()},
    "cost": "#service+cost",
    "languages": "#service+languages",
    "nationwide": "#loc+nationwide",
    "remote": "#service+remote",
    "governorates": "#adm1+code",
    "districts": "#adm2+code",
    "settlements": "#loc+type",
    "min_age": "#eligible+age+min",
    "max_age": "#eligible+age+max",
    "sexes": "#eligible+sex",
    "return_types": "#eligible+return_type",
    "statuses_abroad": "#eligible+status_abroad",
    "employment_statuses": "#eligible+employment",
    "vulnerabilities": "#eligible+vulnerability",
    "categories": "#eligible+category",
    "min_months_since_return": "#eligible+months_since_return+min",
    "max_months_since_return": "#eligible+months_since_return+max",
    "capacity_per_month": "#capacity+monthly",
    "current_load": "#capacity+taken",
    "phone": "#contact+phone",
    "email": "#contact+email",
    "hours_days": "#service+days",
    "hours_opens": "#service+opens",
    "hours_closes": "#service+closes",
    "starts_on": "#date+start",
    "ends_on": "#date+end",
}
assert tuple(HXL) == rules.FIELDS, "every field of a service has one column and one hashtag"


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_OR_PHONE = re.compile(r"[+-]?[0-9][0-9 .]*")


def _neutralised(text: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text (CSV injection, OWASP).

    Only a plain number or phone (+9647…, -3) keeps its sign unquoted; anything else that starts
    like a formula gets a leading apostrophe, which spreadsheets show as text and ``read_rows`` removes.
    """
    if text.startswith(_FORMULA_START) and not _NUMBER_OR_PHONE.fullmatch(text):
        return "'" + text
    return text


def _unneutralised(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] and text[1:].startswith(_FORMULA_START) else text


def to_csv(documents: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    """Lines of a UTF-8 CSV with a byte-order mark (so Excel opens Arabic correctly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(rules.FIELDS)
    writer.writerow([HXL[name] for name in rules.FIELDS])
    yield "\ufeff" + flush()
    for doc in documents:
        writer.writerow([_neutralised(cell(doc.get(name))) for name in rules.FIELDS])
        yield flush()


def to_xlsx(documents: Iterable[Mapping[str, Any]]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("services")
    sheet.append(list(rules.FIELDS))
    sheet.append([HXL[name] for name in rules.FIELDS])
    for doc in documents:
        sheet.append([_neutralised(cell(doc.get(name))) for name in rules.FIELDS])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read_rows(path: Path, file_format: str) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows of an uploaded catalogue, the HXL row left out; raises ``FileProblem`` for unreadable files.

    The columns must be exactly those of the catalogue's download: a misspelt column would otherwise
    be read as empty, and an empty criterion opens a service to everyone.
    """
    table = open_table(path, file_format)
    headers = [header.strip() for header in table.headers]
    unknown = [header for header in headers if header and header not in rules.FIELDS]
    missing = [name for name in rules.FIELDS if name not in headers]
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(_("Columns Awda does not know: %(columns)s.") % {"columns": ", ".join(unknown)})
        if missing:
            parts.append(_("Columns missing: %(columns)s.") % {"columns": ", ".join(missing)})
        raise FileProblem(" ".join([*parts, str(_("Start from the catalogue's download."))]))
    for number, row in table.rows():
        values = [v for v in row.values() if v]
        if values and all(v.startswith("#") for v in values):
            continue
        if not values:
            continue
        yield (
            number,
            {key.strip(): _unneutralised(value) for key, value in row.items()},
        )
