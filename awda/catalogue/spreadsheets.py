"""The catalogue as a spreadsheet (CSV or XLSX) with HXL hashtags in the second row, and back."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from awda.catalogue import rules
from awda.core.tables import open_table

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


def _neutralised(text: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not text[1:2].isdigit() else text


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
    """The rows of an uploaded catalogue, the HXL row left out; raises ``FileProblem`` for unreadable files."""
    table = open_table(path, file_format)
    for number, row in table.rows():
        values = [v for v in row.values() if v]
        if values and all(v.startswith("#") for v in values):
            continue
        if not values:
            continue
        yield (
            number,
            {
                key.strip(): value.lstrip("'") if value.startswith("'") else value
                for key, value in row.items()
            },
        )
