"""Checking one imported row against a source's column mapping: pure functions, no database.

A row becomes ``values`` keyed by ``SourceField`` in a normal form (dates ISO 8601, sex male/female,
governorate as P-code, phone E.164) and a list of problems. Names stay as written: the linkage
engine normalises them itself and a data steward must be able to see what the source wrote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from awda.exchange.linkage.features import governorate_pcode, normalise_sex
from awda.registry.names import normalize_document_number, normalize_phone

MAX_VALUE_LENGTH = 200
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

_DATETIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}[T ][\d:.]+")
_DATE_PATTERNS = (
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"), "ymd"),
    (re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"), "dmy"),
)
_YEAR_RE = re.compile(r"(19|20)\d{2}")


@dataclass
class CheckedRow:
    """What a row holds once checked: the normalised values, and the problems as (column, code, value)."""

    values: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_date(text: str) -> date | str | None:
    """A date in the forms registers use: 1990-07-01, 01/07/1990, 1-7-1990, 1990/07/01, or a year alone.

    Day first, as Iraq writes dates; a year alone becomes 1 July of that year (the registry's convention
    for an unknown day and month) and returns the text "year" as a flag through ``parse_date_precision``.
    None when it is not a date.
    """
    text = text.translate(_ARABIC_DIGITS).strip()
    if _DATETIME_RE.fullmatch(text):
        text = text[:10]
    for pattern, order in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                return date(year, month, day)
            except ValueError:
                return None
    if _YEAR_RE.fullmatch(text):
        return "year"
    return None


def check_row(
    raw: Mapping[str, str],
    mapping: Mapping[str, str],
    *,
    today: date,
) -> CheckedRow:
    """Check one row (column header → text) mapped by ``mapping`` (field → column header)."""
    checked = CheckedRow()
    for field_name, column in mapping.items():
        if not column:
            continue
        value = (raw.get(column) or "").strip()
        if value.startswith("="):
            checked.problems.append((column, "formula", value[:MAX_VALUE_LENGTH]))
            continue
        if len(value) > MAX_VALUE_LENGTH:
            checked.problems.append((column, "too_long", value[:MAX_VALUE_LENGTH]))
            continue
        if not value:
            continue
        normalised = _normalise(field_name, value, today=today)
        if isinstance(normalised, tuple):
            checked.problems.append((column, normalised[0], value))
        else:
            checked.values[field_name] = normalised

    flagged = {column for column, *_rest in checked.problems}
    id_column = mapping.get("record_id", "")
    if not checked.values.get("record_id") and id_column not in flagged:
        checked.problems.append((id_column, "missing_id", ""))
    name_columns = {mapping.get("full_name"), mapping.get("given_name")} - {None, ""}
    if not (checked.values.get("full_name") or checked.values.get("given_name")) and not (
        name_columns & flagged
    ):
        checked.problems.append(
            (mapping.get("full_name") or mapping.get("given_name") or "", "missing_name", "")
        )
    return checked


def _normalise(field_name: str, value: str, *, today: date) -> str | tuple[str]:
    """The value in its normal form, or a one-element tuple with the problem's code."""
    if field_name in ("date_of_birth", "status_date"):
        parsed = parse_date(value)
        if parsed is None:
            return ("bad_date",)
        if parsed == "year":
            return value.translate(_ARABIC_DIGITS).strip()  # a year alone stays a year: the engine knows it
        assert isinstance(parsed, date)
        if parsed > today:
            return ("future_date",)
        return parsed.isoformat()
    if field_name == "sex":
        sex = normalise_sex(value)
        return {"M": "male", "F": "female"}[sex] if sex else ("bad_sex",)
    if field_name == "governorate":
        code = governorate_pcode(value)
        return code if code else ("bad_governorate",)
    if field_name == "phone":
        phone = normalize_phone(value)
        return phone if phone else ("bad_phone",)
    if field_name == "national_id":
        return normalize_document_number(value)
    if field_name == "record_id":
        return value.translate(_ARABIC_DIGITS)
    return re.sub(r"\s+", " ", value)


_HEADER_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})


def suggest_mapping(headers: list[str], known: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """For each field, the first header that is one of its usual names (case and punctuation ignored)."""

    def simple(text: str) -> str:
        # Hamza forms, ta marbuta and alif maqsura as spreadsheets write them either way (الأم/الام).
        return re.sub(r"[\s_\-.#+]+", "", text.lower()).translate(_HEADER_LETTERS)

    by_simple = {simple(h): h for h in headers}
    suggestion: dict[str, str] = {}
    for field_name, names in known.items():
        for name in names:
            if simple(name) in by_simple:
                suggestion[field_name] = by_simple[simple(name)]
                break
    return suggestion


# Usual column names of ministries' files and of Awda's own exports (English, Arabic, Kurdish, HXL).
USUAL_HEADERS: dict[str, tuple[str, ...]] = {
    "record_id": (
        "record_id",
        "id",
        "ID",
        "رقم",
        "الرقم",
        "رقم السجل",
        "رقم التسجيل",
        "رقم الاستمارة",
        "ژمارە",
        "#beneficiary+id",
        "case_number",
    ),
    "full_name": (
        "full_name",
        "name",
        "الاسم",
        "الاسم الكامل",
        "الاسم الرباعي",
        "الاسم الثلاثي",
        "الاسم الخماسي",
        "ناو",
        "ناوی تەواو",
        "#beneficiary+name",
    ),
    "given_name": ("given_name", "first_name", "الاسم الاول", "الاسم الأول", "ناوی یەکەم"),
    "father_name": ("father_name", "اسم الاب", "اسم الأب", "ناوی باوک"),
    "grandfather_name": ("grandfather_name", "اسم الجد", "ناوی باپیر"),
    "family_name": ("family_name", "surname", "last_name", "اللقب", "العشيرة", "نازناو"),
    "mother_name": ("mother_name", "اسم الام", "اسم الأم", "ناوی دایک"),
    "date_of_birth": (
        "date_of_birth",
        "dob",
        "birth_date",
        "تاريخ الميلاد",
        "التولد",
        "تاريخ التولد",
        "المواليد",
        "مواليد",
        "سنة الميلاد",
        "سنة التولد",
        "year_of_birth",
        "birth_year",
        "ساڵی لەدایکبوون",
        "لەدایکبوون",
        "ڕێکەوتی لەدایکبوون",
        "#date+birth",
    ),
    "sex": ("sex", "gender", "الجنس", "ڕەگەز", "#gender"),
    "governorate": ("governorate", "province", "المحافظة", "پارێزگا", "#adm1+code", "#adm1+name"),
    "phone": (
        "phone",
        "mobile",
        "telephone",
        "الهاتف",
        "رقم الهاتف",
        "موبايل",
        "الموبايل",
        "رقم الموبايل",
        "ژمارەی تەلەفۆن",
        "#contact+phone",
    ),
    "national_id": (
        "national_id",
        "nid",
        "الرقم الوطني",
        "رقم البطاقة الوطنية",
        "رقم البطاقة الموحدة",
        "رقم الهوية",
        "ژمارەی ناسنامە",
    ),
    "status": ("status", "الحالة", "دۆخ", "#status"),
    "status_date": ("status_date", "registered_on", "تاريخ التسجيل", "#date"),
    "office": ("office", "branch", "الدائرة", "الفرع", "نووسینگە"),
}
