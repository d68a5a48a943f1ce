"""The standard case form as an XLSForm, for KoboToolbox and ODK, with labels in three languages.

Missions abroad and field teams collect the same form offline; their submissions come back through
the data exchange. Labels come from the model's own (translated) field names and choices, so the
XLSForm never drifts from the form Awda shows.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from awda.geo.enums import Settlement
from awda.geo.models import Country, District, Governorate
from awda.registry import enums
from awda.registry.models import Returnee

LANGUAGES = [("ar", "Arabic (ar)"), ("ckb", "Kurdish (ckb)"), ("en", "English (en)")]
FORM_ID = "awda_case_form"
FORM_VERSION = "2026.1"


def _labels(text: Any) -> list[str]:
    """The text in each of the three languages (lazy translations are resolved per language)."""
    result = []
    for code, _name in LANGUAGES:
        with translation.override(code):
            result.append(str(text))
    return result


def _field_label(name: str) -> Any:
    return getattr(Returnee._meta.get_field(name), "verbose_name", name)


# (xlsform type, field name, list name for selects, required)
SECTIONS: list[tuple[str, Any, list[tuple[str, str, str, bool]]]] = [
    (
        "identity",
        _("Identity"),
        [
            ("text", "given_name", "", True),
            ("text", "father_name", "", True),
            ("text", "grandfather_name", "", False),
            ("text", "great_grandfather_name", "", False),
            ("text", "family_name", "", False),
            ("text", "given_name_latin", "", False),
            ("text", "father_name_latin", "", False),
            ("text", "grandfather_name_latin", "", False),
            ("text", "family_name_latin", "", False),
            ("text", "known_as", "", False),
            ("text", "mother_name", "", False),
            ("select_one", "sex", "sex", True),
            ("date", "date_of_birth", "", False),
            ("select_one", "birth_date_precision", "date_precision", False),
            ("text", "place_of_birth", "", False),
            ("select_one", "country_of_birth", "country", False),
        ],
    ),
    (
        "return",
        _("Return"),
        [
            ("select_one", "country_returned_from", "country", False),
            ("date", "return_date", "", False),
            ("select_one", "return_type", "return_type", True),
            ("text", "assistance_programme", "", False),
            ("integer", "months_abroad", "", False),
            ("select_one", "status_abroad", "status_abroad", False),
            ("integer", "times_displaced", "", False),
            ("select_multiple", "migration_reasons", "migration_reason", False),
            ("text", "aspirations", "", False),
            ("select_one", "intends_to_migrate_again", "intention", False),
        ],
    ),
    (
        "situation",
        _("Situation"),
        [
            ("select_one", "governorate", "governorate", True),
            ("select_one", "district", "district", True),
            ("select_one", "settlement", "settlement", True),
            ("text", "address", "", False),
            ("select_one", "housing", "housing", False),
            ("select_one", "land_property", "land_property", False),
            ("select_one", "education_level", "education_level", False),
            ("select_one", "employment_status", "employment_status", False),
            ("text", "work_experience", "", False),
            ("select_multiple", "income_sources", "income_source", False),
            ("select_one", "has_debt", "yes_no", False),
            ("integer", "debt_amount_usd", "", False),
            ("select_one", "sold_assets_to_migrate", "yes_no", False),
            ("select_multiple", "vulnerabilities", "vulnerability", False),
        ],
    ),
]

CHOICE_LISTS: dict[str, Any] = {
    "sex": enums.Sex,
    "date_precision": enums.DatePrecision,
    "return_type": enums.ReturnType,
    "status_abroad": enums.StatusAbroad,
    "migration_reason": enums.MigrationReason,
    "intention": enums.Intention,
    "settlement": Settlement,
    "housing": enums.Housing,
    "land_property": enums.LandProperty,
    "education_level": enums.EducationLevel,
    "employment_status": enums.EmploymentStatus,
    "income_source": enums.IncomeSource,
    "vulnerability": enums.Vulnerability,
    "document_type": enums.DocumentType,
    "document_status": enums.DocumentStatus,
    "relationship": enums.Relationship,
    "need_category": enums.NeedCategory,
    "need_priority": enums.NeedPriority,
}


def _choices_rows() -> Iterable[list[Any]]:
    for list_name, enum in CHOICE_LISTS.items():
        for value, label in enum.choices:
            yield [list_name, str(value), *_labels(label), ""]
    for value, label in ((1, _("Yes")), (0, _("No"))):
        yield ["yes_no", str(value), *_labels(label), ""]
    for governorate in Governorate.objects.order_by("pcode"):
        yield [
            "governorate",
            governorate.pcode,
            governorate.name_ar,
            governorate.name_ckb,
            governorate.name_en,
            "",
        ]
    for district in District.objects.order_by("pcode"):
        yield [
            "district",
            district.pcode,
            district.name_ar,
            district.name_ckb,
            district.name_en,
            district.governorate_id,
        ]
    for country in Country.objects.order_by("iso2"):
        yield ["country", country.iso2, country.name_ar, country.name_ckb, country.name_en, ""]


def _extra_rows(institution_id: int | None) -> tuple[list[list[Any]], list[list[Any]]]:
    """The institution's published extra questions: survey rows and their choice lists."""
    from awda.registry.actions import published_form

    form = published_form(institution_id)
    if form is None:
        return [], []
    kinds = {
        "text": "text",
        "integer": "integer",
        "decimal": "decimal",
        "date": "date",
        "yes_no": "select_one yes_no",
    }
    survey: list[list[Any]] = [
        ["begin_group", f"extra_v{form.version}", *_labels(_("Extra questions")), "", "", "field-list"]
    ]
    choices: list[list[Any]] = []
    for question in form.questions.all():
        if question.type in ("select_one", "select_multiple"):
            list_name = f"extra_{question.code}"
            kind = f"{question.type} {list_name}"
            choices += [
                [list_name, c["value"], c["label_ar"], c["label_ckb"], c["label_en"], ""]
                for c in question.choices
            ]
        else:
            kind = kinds[question.type]
        survey.append(
            [
                kind,
                question.code,
                question.name_ar,
                question.name_ckb,
                question.name_en,
                "yes" if question.required else "",
                "",
                "",
            ]
        )
    survey.append(["end_group", f"extra_v{form.version}", "", "", "", "", "", ""])
    return survey, choices


def _survey_rows() -> Iterable[list[Any]]:
    for section, title, fields in SECTIONS:
        yield ["begin_group", section, *_labels(title), "", "", "field-list"]
        for kind, name, list_name, required in fields:
            row_type = f"{kind} {list_name}" if list_name else kind
            filter_ = "governorate=${governorate}" if name == "district" else ""
            yield [row_type, name, *_labels(_field_label(name)), "yes" if required else "", filter_, ""]
        yield ["end_group", section, "", "", "", "", "", ""]
    yield ["begin_repeat", "documents", *_labels(_("Identity documents")), "", "", ""]
    yield ["select_one document_type", "document_type", *_labels(_("Document")), "yes", "", ""]
    yield ["text", "document_number", *_labels(_("Number")), "", "", ""]
    yield ["select_one document_status", "document_status", *_labels(_("Status")), "yes", "", ""]
    yield ["end_repeat", "documents", "", "", "", "", "", ""]
    yield ["text", "phones", *_labels(_("Phones")), "", "", ""]
    yield ["begin_repeat", "household_members", *_labels(_("Other members of the household")), "", "", ""]
    yield ["text", "member_name", *_labels(_("Name")), "yes", "", ""]
    yield ["select_one sex", "member_sex", *_labels(_("Sex")), "", "", ""]
    yield ["date", "member_date_of_birth", *_labels(_("Date of birth")), "", "", ""]
    yield [
        "select_one relationship",
        "member_relationship",
        *_labels(_("Relationship to the head")),
        "yes",
        "",
        "",
    ]
    yield ["end_repeat", "household_members", "", "", "", "", "", ""]
    yield ["select_multiple need_category", "needs", *_labels(_("Needs and interests")), "", "", ""]
    yield [
        "select_one yes_no",
        "consent_registration",
        *_labels(_("Agrees to be registered and to have a case opened")),
        "yes",
        "",
        "",
    ]
    yield [
        "select_one yes_no",
        "consent_follow_up_contact",
        *_labels(_("Agrees to be contacted for follow-up")),
        "",
        "",
        "",
    ]
    yield [
        "select_one yes_no",
        "consent_sharing_employers",
        *_labels(_("Agrees to share their profile with employers")),
        "",
        "",
        "",
    ]


def build_xlsform(institution_id: int | None = None) -> bytes:
    """The XLSForm workbook (survey, choices, settings) as bytes, with the institution's extra questions."""
    extra_survey, extra_choices = _extra_rows(institution_id)
    workbook = Workbook()
    survey = workbook.active
    survey.title = "survey"
    label_columns = [f"label::{name}" for _code, name in LANGUAGES]
    survey.append(["type", "name", *label_columns, "required", "choice_filter", "appearance"])
    for row in [*_survey_rows(), *extra_survey]:
        survey.append(row)
    choices = workbook.create_sheet("choices")
    choices.append(["list_name", "name", *label_columns, "governorate"])
    for row in [*_choices_rows(), *extra_choices]:
        choices.append(row)
    settings = workbook.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append([str(_labels(_("Awda: standard case form"))[0]), FORM_ID, FORM_VERSION, LANGUAGES[0][1]])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
