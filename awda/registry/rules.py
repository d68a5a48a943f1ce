"""Categorisation of returnees by rules stored as data, each result explained in Arabic, Kurdish and English.

The action plan asks that returnees be grouped (highly skilled, low skilled, female heads of household,
rejected asylum seekers…) so that support is tailored to them. The groups change with policy, so they are
not code: an administrator edits each rule as a JSON condition over a fixed set of facts about one
returnee, which the registry computes from the case form. This module is the pure logic around that:

- ``FACTS``: the facts a condition may use, their types, allowed values and labels in three languages;
- ``validate_condition``: every mistake in an edited condition, with a path and a translated message;
- ``evaluate`` and ``explain``: whether a condition holds for one returnee, and why, in words a case
  worker can check against the file;
- ``categorise``: the categories and vulnerability flags that apply, with their reasons;
- ``find_conflicts``: a static check for parts of a rule that can never be true.

Unknown facts (``None``) are handled with a three-valued choice, documented at ``evaluate``.
No ORM here: the registry passes plain dicts, which keeps this exhaustively testable.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

LANGUAGES: Final = ("ar", "ckb", "en")
MAX_DEPTH: Final = 8
DEFAULT_SPECS_PATH: Final = Path(__file__).resolve().parent / "data" / "default_categories.json"

Texts = dict[str, str]
FactType = Literal["int", "bool", "choice", "multi", "text"]
Kind = Literal["category", "vulnerability"]
Condition = Mapping[str, Any]


def _t(ar: str, ckb: str, en: str) -> Texts:
    return {"ar": ar, "ckb": ckb, "en": en}


def _same(text: str) -> Texts:
    return dict.fromkeys(LANGUAGES, text)


# --------------------------------------------------------------------------------------------------
# The facts
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FactSpec:
    """One fact a condition may test. ``choices`` keeps its order: it is the order shown to people."""

    name: str
    type: FactType
    label: Texts
    choices: Mapping[str, Texts] = field(default_factory=dict)
    # Every int fact is bounded, so a rule such as "skill level >= 5" is caught as out of range and
    # ``find_conflicts`` can reason about finite ranges.
    minimum: int | None = None
    maximum: int | None = None
    pattern: str | None = None
    format_hint: Texts | None = None


YES: Final = _t("نعم", "بەڵێ", "yes")
NO: Final = _t("لا", "نەخێر", "no")

_VULNERABILITIES: Final = {
    "female_head_of_household": _t(
        "امرأة معيلة لأسرة", "ئافرەتی سەرپەرشتیاری خێزان", "female head of household"
    ),
    "unaccompanied_child": _t("طفل غير مصحوب", "منداڵی بێ یاوەر", "unaccompanied child"),
    "separated_child": _t("طفل منفصل عن ذويه", "منداڵی جیابووەوە لە خێزان", "separated child"),
    "older_person": _t("مسنّ", "بەساڵاچوو", "older person"),
    "disability": _t("إعاقة", "کەمئەندامی", "disability"),
    "chronic_illness": _t("مرض مزمن", "نەخۆشیی درێژخایەن", "chronic illness"),
    "trafficking_survivor": _t(
        "ناجٍ من الاتجار بالبشر", "ڕزگاربووی بازرگانیکردن بە مرۆڤ", "survivor of trafficking"
    ),
    "violence_survivor": _t("ناجٍ من العنف", "ڕزگاربووی توندوتیژی", "survivor of violence"),
    "pregnant_or_lactating": _t("حامل أو مرضع", "دووگیان یان شیردەر", "pregnant or breastfeeding"),
    "single_parent": _t("معيل وحيد لأطفاله", "دایک یان باوکی تەنها", "single parent"),
}

_NEEDS: Final = {
    "legal": _t("مساعدة قانونية", "یارمەتیی یاسایی", "legal aid"),
    "documentation": _t("وثائق ثبوتية", "بەڵگەنامە", "documentation"),
    "housing": _t("سكن", "نیشتەجێبوون", "housing"),
    "employment": _t("عمل", "کار", "employment"),
    "vocational_training": _t("تدريب مهني", "ڕاهێنانی پیشەیی", "vocational training"),
    "business_startup": _t("بدء مشروع تجاري", "دەستپێکردنی پرۆژەی بازرگانی", "starting a business"),
    "financial": _t("دعم مالي", "هاوکاریی دارایی", "financial support"),
    "health": _t("رعاية صحية", "چاودێریی تەندروستی", "health care"),
    "psychosocial": _t("دعم نفسي اجتماعي", "پاڵپشتیی دەروونی و کۆمەڵایەتی", "psychosocial support"),
    "education": _t("تعليم", "خوێندن", "education"),
    "social": _t("دعم اجتماعي", "پاڵپشتیی کۆمەڵایەتی", "social support"),
}

_FACT_LIST: Final = (
    FactSpec("age", "int", _t("العمر", "تەمەن", "Age"), minimum=0, maximum=130),
    FactSpec(
        "sex",
        "choice",
        _t("الجنس", "ڕەگەز", "Sex"),
        {"male": _t("ذكر", "نێر", "male"), "female": _t("أنثى", "مێ", "female")},
    ),
    FactSpec(
        "return_type",
        "choice",
        _t("نوع العودة", "جۆری گەڕانەوە", "Return type"),
        {
            "assisted_voluntary": _t(
                "عودة طوعية بمساعدة", "گەڕانەوەی خۆبەخشانەی یارمەتیدراو", "assisted voluntary return"
            ),
            "spontaneous_voluntary": _t(
                "عودة طوعية تلقائية", "گەڕانەوەی خۆبەخشانەی خۆڕسک", "spontaneous voluntary return"
            ),
            "forced": _t("عودة قسرية", "گەڕانەوەی بەزۆر", "forced return"),
            "evacuated": _t("إجلاء حكومي", "دەربازکردن لەلایەن حکومەتەوە", "evacuation by the government"),
            "internal_return": _t(
                "عودة نازح داخليًا", "گەڕانەوەی ئاوارەی ناوخۆ", "return of an internally displaced person"
            ),
        },
    ),
    FactSpec(
        "status_abroad",
        "choice",
        _t("الوضع في الخارج", "دۆخ لە دەرەوەی وڵات", "Status abroad"),
        {
            "rejected_asylum_seeker": _t(
                "طالب لجوء مرفوض", "داواکاری پەنابەریی ڕەتکراوە", "rejected asylum seeker"
            ),
            "asylum_seeker": _t("طالب لجوء", "داواکاری پەنابەری", "asylum seeker"),
            "refugee": _t("لاجئ", "پەنابەر", "refugee"),
            "irregular": _t("مهاجر غير نظامي", "کۆچبەری نایاسایی", "irregular migrant"),
            "worker": _t("عامل مهاجر", "کرێکاری کۆچبەر", "migrant worker"),
            "student": _t("طالب", "خوێندکار", "student"),
            "other": _t("غير ذلك", "هیتر", "other"),
        },
    ),
    FactSpec(
        "country_returned_from",
        "text",
        _t("البلد الذي عاد منه", "ئەو وڵاتەی لێیەوە گەڕاوەتەوە", "Country returned from"),
        pattern=r"[A-Z]{2}",
        format_hint=_t(
            "رمز من حرفين كبيرين وفق ISO 3166-1، مثل DE",
            "کۆدێکی دوو پیتی گەورە بەپێی ISO 3166-1، وەک DE",
            "two capital letters of ISO 3166-1, such as DE",
        ),
    ),
    FactSpec(
        "country_region",
        "choice",
        _t("المنطقة التي عاد منها", "ئەو ناوچەیەی لێیەوە گەڕاوەتەوە", "Region returned from"),
        {
            "europe": _t("أوروبا", "ئەورووپا", "Europe"),
            "middle_east": _t("الشرق الأوسط", "ڕۆژهەڵاتی ناوەڕاست", "the Middle East"),
            "africa": _t("أفريقيا", "ئەفریقا", "Africa"),
            "asia": _t("آسيا", "ئاسیا", "Asia"),
            "americas": _t("الأمريكتان", "ئەمریکاکان", "the Americas"),
            "oceania": _t("أوقيانوسيا", "ئۆقیانووسیا", "Oceania"),
        },
    ),
    FactSpec(
        "months_since_return",
        "int",
        _t("عدد الأشهر منذ العودة", "ژمارەی مانگەکانی دوای گەڕانەوە", "Months since return"),
        minimum=0,
        maximum=1200,
    ),
    FactSpec(
        "time_abroad_months",
        "int",
        _t("مدة الإقامة في الخارج بالأشهر", "ماوەی مانەوە لە دەرەوە بە مانگ", "Time abroad in months"),
        minimum=0,
        maximum=1200,
    ),
    FactSpec(
        "times_displaced",
        "int",
        _t("عدد مرات النزوح", "ژمارەی جارەکانی ئاوارەبوون", "Times displaced"),
        minimum=0,
        maximum=100,
    ),
    FactSpec(
        "education_level",
        "int",
        _t("المستوى التعليمي (ISCED)", "ئاستی خوێندن (ISCED)", "Education level (ISCED)"),
        minimum=0,
        maximum=8,
    ),
    FactSpec("has_qualification", "bool", _t("لديه مؤهل", "بڕوانامەی هەیە", "Has a qualification")),
    FactSpec(
        "has_recognised_qualification",
        "bool",
        _t("لديه مؤهل معترف به", "بڕوانامەی داننپێدانراوی هەیە", "Has a recognised qualification"),
    ),
    FactSpec(
        "highest_skill_level",
        "int",
        _t(
            "أعلى مستوى مهارة (ISCO-08)",
            "بەرزترین ئاستی لێهاتوویی (ISCO-08)",
            "Highest skill level (ISCO-08)",
        ),
        minimum=1,
        maximum=4,
    ),
    FactSpec(
        "employment_status",
        "choice",
        _t("الوضع الوظيفي", "دۆخی کارکردن", "Employment status"),
        {
            "employed": _t("يعمل بأجر", "کارمەندی بە مووچە", "employed"),
            "self_employed": _t("يعمل لحسابه الخاص", "کار بۆ خۆی دەکات", "self-employed"),
            "unemployed_seeking": _t(
                "عاطل يبحث عن عمل", "بێکار و بەدوای کاردا دەگەڕێت", "unemployed, looking for work"
            ),
            "unemployed_not_seeking": _t(
                "عاطل لا يبحث عن عمل", "بێکار و بەدوای کاردا ناگەڕێت", "unemployed, not looking for work"
            ),
            "student": _t("طالب", "خوێندکار", "student"),
            "unable_to_work": _t("غير قادر على العمل", "توانای کارکردنی نییە", "unable to work"),
            "retired": _t("متقاعد", "خانەنشین", "retired"),
        },
    ),
    FactSpec("is_head_of_household", "bool", _t("رب الأسرة", "سەرپەرشتیاری خێزان", "Head of household")),
    FactSpec(
        "household_size",
        "int",
        _t("عدد أفراد الأسرة", "ژمارەی ئەندامانی خێزان", "Household size"),
        minimum=1,
        maximum=100,
    ),
    FactSpec(
        "dependants",
        "int",
        _t("عدد المُعالين", "ژمارەی ئەو کەسانەی بەخێوی دەکات", "Dependants"),
        minimum=0,
        maximum=100,
    ),
    FactSpec(
        "vulnerabilities",
        "multi",
        _t("أوجه الهشاشة", "بارودۆخی هەستیار", "Vulnerabilities"),
        _VULNERABILITIES,
    ),
    FactSpec("needs", "multi", _t("الاحتياجات", "پێداویستییەکان", "Needs"), _NEEDS),
    FactSpec(
        "intends_to_migrate_again",
        "choice",
        _t("ينوي الهجرة مجددًا", "نیازی کۆچکردنەوەی هەیە", "Intends to migrate again"),
        {
            "yes": YES,
            "unsure": _t("غير متأكد", "دڵنیا نییە", "unsure"),
            "no": NO,
        },
    ),
    FactSpec("has_debt", "bool", _t("عليه ديون", "قەرزی لەسەرە", "Has debt")),
    FactSpec(
        "sold_assets_to_migrate",
        "bool",
        _t("باع ممتلكاته من أجل الهجرة", "موڵکەکانی بۆ کۆچکردن فرۆشتووە", "Sold assets to migrate"),
    ),
    FactSpec(
        "missing_documents",
        "bool",
        _t("تنقصه وثائق ثبوتية", "بەڵگەنامەی پێویستی نییە", "Missing documents"),
    ),
    FactSpec(
        "settlement",
        "choice",
        _t("بيئة السكن", "جۆری شوێنی نیشتەجێبوون", "Settlement"),
        {"urban": _t("حضري", "شاری", "urban"), "rural": _t("ريفي", "لادێیی", "rural")},
    ),
    FactSpec(
        "governorate",
        "text",
        _t("المحافظة", "پارێزگا", "Governorate"),
        pattern=r"IQG[0-9]{2}",
        format_hint=_t(
            "رمز OCHA للمحافظة، مثل IQG08",
            "کۆدی OCHAی پارێزگا، وەک IQG08",
            "an OCHA governorate P-code, such as IQG08",
        ),
    ),
)

FACTS: Final[Mapping[str, FactSpec]] = {fact.name: fact for fact in _FACT_LIST}

OPERATORS_BY_TYPE: Final[Mapping[str, tuple[str, ...]]] = {
    "int": ("==", "!=", "<", "<=", ">", ">=", "is_empty", "not_empty"),
    "bool": ("==", "!=", "is_true", "is_false", "is_empty", "not_empty"),
    "choice": ("==", "!=", "in", "not_in", "is_empty", "not_empty"),
    "text": ("==", "!=", "in", "not_in", "is_empty", "not_empty"),
    "multi": ("contains", "contains_any", "contains_all", "is_empty", "not_empty"),
}
OPERATORS: Final = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not_in",
    "contains",
    "contains_any",
    "contains_all",
    "is_true",
    "is_false",
    "is_empty",
    "not_empty",
)
NO_VALUE_OPERATORS: Final = frozenset({"is_true", "is_false", "is_empty", "not_empty"})
LIST_VALUE_OPERATORS: Final = frozenset({"in", "not_in", "contains_any", "contains_all"})

# The operator whose truth, on a known value, is exactly the falsity of the key. Used to say why a
# negated leaf holds and to turn a negated leaf into a positive constraint in ``find_conflicts``. The
# three multi operators at the end exist only for this (they are not part of the condition language).
_COMPLEMENT: Final = {
    "==": "!=",
    "!=": "==",
    "<": ">=",
    ">=": "<",
    "<=": ">",
    ">": "<=",
    "in": "not_in",
    "not_in": "in",
    "is_true": "is_false",
    "is_false": "is_true",
    "is_empty": "not_empty",
    "not_empty": "is_empty",
    "contains": "not_contains",
    "contains_any": "contains_none",
    "contains_all": "not_contains_all",
}


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionError:
    """One mistake in a condition. ``path`` locates the node ("" is the root, then "all[1].any[0]")."""

    path: str
    code: str
    message: Texts


_ERRORS: Final = {
    "not_an_object": _t(
        "يجب أن يكون الشرط كائنًا (object)، لا {value}.",
        "مەرج دەبێت ئۆبجێکت (object) بێت، نەک {value}.",
        "A condition must be an object, not {value}.",
    ),
    "missing_key": _t(
        "يحتاج الشرط إلى أحد المفاتيح all أو any أو not أو fact.",
        "مەرج پێویستی بە یەکێک لەم کلیلانە هەیە: all، any، not، fact.",
        "A condition needs one of the keys all, any, not or fact.",
    ),
    "mixed_node": _t(
        "يجب أن يحتوي الشرط على مفتاح واحد فقط من all أو any أو not أو fact، ووُجد: {keys}.",
        "مەرج دەبێت تەنها یەکێک لەم کلیلانەی هەبێت: all، any، not، fact؛ ئەمانە دۆزرانەوە: {keys}.",
        "A condition has exactly one of the keys all, any, not or fact; found {keys}.",
    ),
    "unknown_key": _t(
        "مفتاح غير معروف: {key}.",
        "کلیلی نەناسراو: {key}.",
        "Unknown key {key}.",
    ),
    "not_a_list": _t(
        "يجب أن تكون قيمة {key} قائمة من الشروط، لا {value}.",
        "بەهای {key} دەبێت لیستێک لە مەرج بێت، نەک {value}.",
        "{key} must be a list of conditions, not {value}.",
    ),
    "empty_group": _t(
        "تحتاج {key} إلى شرط واحد على الأقل.",
        "{key} لانیکەم یەک مەرجی پێویستە.",
        "{key} needs at least one condition.",
    ),
    "too_deep": _t(
        "الشروط متداخلة بأكثر من {max} مستويات.",
        "مەرجەکان زیاتر لە {max} ئاست لەناو یەکتردان.",
        "Conditions are nested more than {max} levels deep.",
    ),
    "unknown_fact": _t(
        "معلومة غير معروفة: {value}.",
        "زانیاریی نەناسراو: {value}.",
        "Unknown fact {value}.",
    ),
    "missing_operator": _t(
        "يحتاج الشرط على «{fact}» إلى عامل (op).",
        "مەرجی سەر «{fact}» پێویستی بە کردار (op) هەیە.",
        "The condition on “{fact}” needs an operator (op).",
    ),
    "unknown_operator": _t(
        "عامل غير معروف: {value}.",
        "کرداری نەناسراو: {value}.",
        "Unknown operator {value}.",
    ),
    "operator_not_for_fact": _t(
        "لا يمكن استخدام العامل «{op}» مع «{fact}»؛ استخدم أحد العوامل: {ops}.",
        "کرداری «{op}» لەگەڵ «{fact}» بەکارناهێنرێت؛ یەکێک لەمانە بەکاربهێنە: {ops}.",
        "The operator “{op}” cannot be used with “{fact}”; use one of: {ops}.",
    ),
    "missing_value": _t(
        "يحتاج العامل «{op}» على «{fact}» إلى قيمة (value).",
        "کرداری «{op}» لەسەر «{fact}» پێویستی بە بەها (value) هەیە.",
        "The operator “{op}” on “{fact}” needs a value.",
    ),
    "unexpected_value": _t(
        "لا يأخذ العامل «{op}» أي قيمة.",
        "کرداری «{op}» هیچ بەهایەک وەرناگرێت.",
        "The operator “{op}” takes no value.",
    ),
    "wrong_value_type": _t(
        "يحتاج «{fact}» مع «{op}» إلى {expected}، لا {value}.",
        "«{fact}» لەگەڵ «{op}» پێویستی بە {expected} هەیە، نەک {value}.",
        "“{fact}” with “{op}” needs {expected}, not {value}.",
    ),
    "empty_list": _t(
        "يحتاج «{op}» على «{fact}» إلى قيمة واحدة على الأقل.",
        "«{op}» لەسەر «{fact}» لانیکەم یەک بەهای پێویستە.",
        "“{op}” on “{fact}” needs at least one value.",
    ),
    "unknown_choice": _t(
        "{value} ليست من قيم «{fact}»؛ القيم المسموح بها: {choices}.",
        "{value} یەکێک نییە لە بەهاکانی «{fact}»؛ بەها ڕێگەپێدراوەکان: {choices}.",
        "{value} is not a value of “{fact}”; allowed: {choices}.",
    ),
    "out_of_range": _t(
        "{value} خارج نطاق «{fact}» (من {min} إلى {max}).",
        "{value} لە دەرەوەی مەودای «{fact}»ە ({min} تا {max}).",
        "{value} is outside the range of “{fact}” ({min} to {max}).",
    ),
    "wrong_value_format": _t(
        "{value} ليست قيمة صالحة لـ«{fact}»: المطلوب {format}.",
        "{value} بەهایەکی دروست نییە بۆ «{fact}»: پێویستە {format} بێت.",
        "{value} is not a valid “{fact}”: use {format}.",
    ),
}

_EXPECTED: Final = {
    "int": _t("عدد صحيح", "ژمارەیەکی تەواو", "a whole number"),
    "bool": _t("true أو false", "true یان false", "true or false"),
    "text": _t("نص", "دەقێک", "a text"),
    "list": _t("قائمة", "لیستێک", "a list"),
}


def _show(value: object) -> Texts:
    """A short rendering of any JSON-like value for an error message; never recurses, never raises."""
    if value is None:
        return _same("null")
    if isinstance(value, bool):
        return _same("true" if value else "false")
    if isinstance(value, int):
        # Python refuses to print integers of thousands of digits; nobody needs to read them anyway.
        if value.bit_length() > 64:
            return _t("عدد كبير جدًا", "ژمارەیەکی زۆر گەورە", "a very large number")
        return _same(str(value))
    if isinstance(value, float):
        return _same(repr(value))
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return _t(f"«{shown}»", f"«{shown}»", f"“{shown}”")
    if isinstance(value, list | tuple):
        return _t("قائمة", "لیستێک", "a list")
    if isinstance(value, Mapping):
        return _t("كائن", "ئۆبجێکتێک", "an object")
    return _same(type(value).__name__)


def _fill(template: Texts, **params: str | Texts) -> Texts:
    """Fill a template per language; a parameter is either the same in every language or a Texts."""
    return {
        lang: template[lang].format_map({k: v if isinstance(v, str) else v[lang] for k, v in params.items()})
        for lang in LANGUAGES
    }


def _error(path: str, code: str, **params: str | Texts) -> ConditionError:
    return ConditionError(path=path, code=code, message=_fill(_ERRORS[code], **params))


def _join_path(path: str, step: str) -> str:
    return f"{path}.{step}" if path else step


def validate_condition(condition: object) -> list[ConditionError]:
    """Every mistake in ``condition``, in document order; an empty list means it may be evaluated.

    Accepts any value (it usually comes straight from an administrator's JSON) and never raises.
    """
    errors: list[ConditionError] = []
    _validate_node(condition, "", 1, errors)
    return errors


def _validate_node(node: object, path: str, depth: int, errors: list[ConditionError]) -> None:
    if depth > MAX_DEPTH:
        # Stop here: the limit keeps explanations readable and recursion bounded on hostile input.
        errors.append(_error(path, "too_deep", max=str(MAX_DEPTH)))
        return
    if not isinstance(node, Mapping):
        errors.append(_error(path, "not_an_object", value=_show(node)))
        return
    kinds = [key for key in ("all", "any", "not", "fact") if key in node]
    if not kinds:
        errors.append(_error(path, "missing_key"))
        return
    if len(kinds) > 1:
        errors.append(_error(path, "mixed_node", keys=", ".join(kinds)))
        return
    kind = kinds[0]
    if kind == "fact":
        _validate_leaf(node, path, errors)
        return
    for key in node:
        if key != kind:
            errors.append(_error(path, "unknown_key", key=_show(key)))
    if kind == "not":
        _validate_node(node["not"], _join_path(path, "not"), depth + 1, errors)
        return
    members = node[kind]
    if not isinstance(members, list):
        errors.append(_error(path, "not_a_list", key=_show(kind), value=_show(members)))
        return
    if not members:
        errors.append(_error(path, "empty_group", key=_show(kind)))
        return
    for index, member in enumerate(members):
        _validate_node(member, _join_path(path, f"{kind}[{index}]"), depth + 1, errors)


def _validate_leaf(node: Mapping[Any, Any], path: str, errors: list[ConditionError]) -> None:
    for key in node:
        if key not in ("fact", "op", "value"):
            errors.append(_error(path, "unknown_key", key=_show(key)))
    name = node["fact"]
    fact = FACTS.get(name) if isinstance(name, str) else None
    if fact is None:
        errors.append(_error(path, "unknown_fact", value=_show(name)))
        return
    if "op" not in node:
        errors.append(_error(path, "missing_operator", fact=fact.label))
        return
    op = node["op"]
    if not isinstance(op, str) or op not in OPERATORS:
        errors.append(_error(path, "unknown_operator", value=_show(op)))
        return
    allowed = OPERATORS_BY_TYPE[fact.type]
    if op not in allowed:
        errors.append(_error(path, "operator_not_for_fact", op=op, fact=fact.label, ops=", ".join(allowed)))
        return
    if op in NO_VALUE_OPERATORS:
        if "value" in node:
            errors.append(_error(path, "unexpected_value", op=op))
        return
    if "value" not in node:
        errors.append(_error(path, "missing_value", op=op, fact=fact.label))
        return
    value = node["value"]
    if op in LIST_VALUE_OPERATORS:
        if not isinstance(value, list):
            errors.append(
                _error(
                    path,
                    "wrong_value_type",
                    fact=fact.label,
                    op=op,
                    expected=_EXPECTED["list"],
                    value=_show(value),
                )
            )
            return
        if not value:
            errors.append(_error(path, "empty_list", op=op, fact=fact.label))
            return
        for item in value:
            _validate_scalar(fact, op, item, path, errors)
        return
    _validate_scalar(fact, op, value, path, errors)


def _validate_scalar(fact: FactSpec, op: str, value: object, path: str, errors: list[ConditionError]) -> None:
    def wrong(expected: str) -> None:
        errors.append(
            _error(
                path,
                "wrong_value_type",
                fact=fact.label,
                op=op,
                expected=_EXPECTED[expected],
                value=_show(value),
            )
        )

    if fact.type == "int":
        # JSON true/false are ints to Python; a rule "age == true" is a mistake, not age 1.
        if not isinstance(value, int) or isinstance(value, bool):
            wrong("int")
        elif (fact.minimum is not None and value < fact.minimum) or (
            fact.maximum is not None and value > fact.maximum
        ):
            errors.append(
                _error(
                    path,
                    "out_of_range",
                    value=_show(value),
                    fact=fact.label,
                    min=str(fact.minimum),
                    max=str(fact.maximum),
                )
            )
    elif fact.type == "bool":
        if not isinstance(value, bool):
            wrong("bool")
    elif fact.type in ("choice", "multi"):
        if not isinstance(value, str):
            wrong("text")
        elif value not in fact.choices:
            errors.append(
                _error(
                    path,
                    "unknown_choice",
                    value=_show(value),
                    fact=fact.label,
                    choices=", ".join(fact.choices),
                )
            )
    elif not isinstance(value, str):
        wrong("text")
    elif fact.pattern is not None and not re.fullmatch(fact.pattern, value):
        errors.append(
            _error(
                path, "wrong_value_format", value=_show(value), fact=fact.label, format=fact.format_hint or ""
            )
        )


# --------------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------------


def _actual(fact: FactSpec, facts: Mapping[str, object]) -> object:
    value = facts.get(fact.name)
    # An empty text is what forms produce for "not answered": the same as unknown.
    if fact.type == "text" and value == "":
        return None
    return value


def _is_empty(value: object) -> bool:
    return value is None or (isinstance(value, list | tuple | set | frozenset) and not value)


def evaluate(condition: Condition, facts: Mapping[str, object]) -> bool:
    """Whether ``condition`` (already validated) holds for one returnee's ``facts``.

    Three-valued choice about unknown facts: a leaf on a fact whose value is ``None`` is False for every
    operator except ``is_empty``, and ``not`` inverts that result as usual. So ``age < 18`` and
    ``age >= 18`` are both False when the age is unknown, and nobody is put in a category, or given a
    flag, on data nobody recorded. The one way for unknown data to qualify someone is a rule that says so
    explicitly with ``not`` (``not: return_type == internal_return`` holds when the return type is
    unknown) or ``is_empty``; ``explain`` then says the fact was not recorded, so the case worker sees it.
    A missing key counts as ``None``.
    """
    if "all" in condition:
        return all(evaluate(member, facts) for member in condition["all"])
    if "any" in condition:
        return any(evaluate(member, facts) for member in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], facts)
    fact = FACTS[condition["fact"]]
    return _holds(fact.type, condition["op"], condition.get("value"), _actual(fact, facts))


def _holds(fact_type: str, op: str, value: Any, actual: Any) -> bool:
    if op == "is_empty":
        return _is_empty(actual)
    if op == "not_empty":
        return not _is_empty(actual)
    if actual is None:
        return False
    if op == "==":
        return bool(actual == value)
    if op == "!=":
        return bool(actual != value)
    if op == "<":
        return bool(actual < value)
    if op == "<=":
        return bool(actual <= value)
    if op == ">":
        return bool(actual > value)
    if op == ">=":
        return bool(actual >= value)
    if op == "in":
        return actual in value
    if op == "not_in":
        return actual not in value
    if op == "is_true":
        return actual is True
    if op == "is_false":
        return actual is False
    if op == "contains":
        return value in actual
    if op == "contains_any":
        return any(item in actual for item in value)
    if op == "contains_all":
        return all(item in actual for item in value)
    raise ValueError(f"unknown operator {op!r}; validate the condition first")


# --------------------------------------------------------------------------------------------------
# Explanation
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One fact that made a condition true, said in a sentence per language."""

    fact: str
    text: Texts


# {L} is the fact's label, {A} its actual value, {V} the value in the rule. The Kurdish copula ە follows
# a number written in digits, as case workers write it ("تەمەن 16ە").
_INT_REASONS: Final = {
    "==": _t("{L} {A}", "{L} {A}ە", "{L} is {A}"),
    "!=": _t("{L} {A}، وليس {V}", "{L} {A}ە، نەک {V}", "{L} is {A}, not {V}"),
    "<": _t("{L} {A}، أقل من {V}", "{L} {A}ە، کەمتر لە {V}", "{L} is {A}, under {V}"),
    "<=": _t("{L} {A}، لا يزيد على {V}", "{L} {A}ە، {V} یان کەمتر", "{L} is {A}, at most {V}"),
    ">": _t("{L} {A}، أكثر من {V}", "{L} {A}ە، زیاتر لە {V}", "{L} is {A}, over {V}"),
    ">=": _t("{L} {A}، لا يقل عن {V}", "{L} {A}ە، {V} یان زیاتر", "{L} is {A}, at least {V}"),
}
_IS_VALUE: Final = _t("{L}: {A}", "{L}: {A}", "{L}: {A}")
_IS_VALUE_NOT: Final = _t("{L}: {A}، وليس {V}", "{L}: {A}، نەک {V}", "{L}: {A}, not {V}")
_INCLUDES: Final = _t("{L} تشمل: {V}", "{L}: {V}", "{L} include {V}")
_EXCLUDES: Final = _t("{L} لا تشمل: {V}", "{L}: {V} نییە", "{L} do not include {V}")
_NOT_RECORDED: Final = _t("{L}: لا توجد بيانات", "{L}: زانیاری نییە", "{L}: not recorded")
_NONE_LISTED: Final = _t("{L}: لا شيء", "{L}: هیچ", "{L}: none")
_UNKNOWN_UNDER_NOT: Final = _t(
    "{L}: لا توجد بيانات، فلم يثبت الشرط ({P})",
    "{L}: زانیاری نییە، بۆیە مەرجی ({P}) نەسەلمێنراوە",
    "{L}: not recorded, so the condition ({P}) is not established",
)
# What a leaf asks for, as a phrase, for the sentence above.
_PHRASES: Final = {
    "==": _same("{V}"),
    "!=": _t("غير {V}", "جگە لە {V}", "other than {V}"),
    "<": _t("أقل من {V}", "کەمتر لە {V}", "under {V}"),
    "<=": _t("لا يزيد على {V}", "{V} یان کەمتر", "at most {V}"),
    ">": _t("أكثر من {V}", "زیاتر لە {V}", "over {V}"),
    ">=": _t("لا يقل عن {V}", "{V} یان زیاتر", "at least {V}"),
    "in": _same("{V}"),
    "not_in": _t("غير {V}", "جگە لە {V}", "other than {V}"),
    "contains": _t("وجود {V}", "{V} هەبێت", "including {V}"),
    "contains_any": _t("وجود {V}", "{V} هەبێت", "including {V}"),
    "contains_all": _t("وجود {V}", "{V} هەبێت", "including {V}"),
    "is_true": YES,
    "is_false": NO,
}
_AND: Final = _t(" و", " و ", " and ")
_OR: Final = _t(" أو ", " یان ", " or ")
_COMMA: Final = _t("، ", "، ", ", ")


def _value_text(fact: FactSpec, value: object) -> Texts:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str) and value in fact.choices:
        return fact.choices[value]
    return _same(str(value))


def _list_text(fact: FactSpec, values: Sequence[object], conjunction: Texts) -> Texts:
    parts = [_value_text(fact, value) for value in values]
    out: Texts = {}
    for lang in LANGUAGES:
        words = [part[lang] for part in parts]
        if len(words) <= 1:
            out[lang] = "".join(words)
        else:
            out[lang] = _COMMA[lang].join(words[:-1]) + conjunction[lang] + words[-1]
    return out


def _leaf_reason(fact: FactSpec, op: str, value: Any, actual: Any) -> Reason:
    """The sentence for a leaf that holds (``op`` may be a complement, see ``_COMPLEMENT``)."""
    label = fact.label
    if op == "is_empty":
        return Reason(fact.name, _fill(_NOT_RECORDED if actual is None else _NONE_LISTED, L=label))
    if op == "not_empty":
        shown = _list_text(fact, actual, _COMMA) if fact.type == "multi" else _value_text(fact, actual)
        return Reason(fact.name, _fill(_IS_VALUE, L=label, A=shown))
    if fact.type == "int":
        return Reason(fact.name, _fill(_INT_REASONS[op], L=label, A=str(actual), V=str(value)))
    if fact.type == "bool" or op in ("==", "in"):
        return Reason(fact.name, _fill(_IS_VALUE, L=label, A=_value_text(fact, actual)))
    if op == "!=":
        return Reason(
            fact.name, _fill(_IS_VALUE_NOT, L=label, A=_value_text(fact, actual), V=_value_text(fact, value))
        )
    if op == "not_in":
        return Reason(
            fact.name,
            _fill(_IS_VALUE_NOT, L=label, A=_value_text(fact, actual), V=_list_text(fact, value, _OR)),
        )
    if op == "contains":
        return Reason(fact.name, _fill(_INCLUDES, L=label, V=_value_text(fact, value)))
    if op == "contains_any":
        matched = [item for item in value if item in actual]
        return Reason(fact.name, _fill(_INCLUDES, L=label, V=_list_text(fact, matched, _AND)))
    if op == "contains_all":
        return Reason(fact.name, _fill(_INCLUDES, L=label, V=_list_text(fact, value, _AND)))
    if op == "not_contains":
        return Reason(fact.name, _fill(_EXCLUDES, L=label, V=_value_text(fact, value)))
    if op == "contains_none":
        return Reason(fact.name, _fill(_EXCLUDES, L=label, V=_list_text(fact, value, _OR)))
    if op == "not_contains_all":
        missing = [item for item in value if item not in actual]
        return Reason(fact.name, _fill(_EXCLUDES, L=label, V=_list_text(fact, missing, _OR)))
    raise ValueError(f"no reason for operator {op!r}")


def _negated_leaf_reason(fact: FactSpec, op: str, value: Any, actual: Any) -> Reason:
    """The sentence for a leaf that does not hold, as needed under ``not``."""
    if actual is None and op not in ("is_empty", "not_empty"):
        if op in LIST_VALUE_OPERATORS:
            shown = _list_text(fact, value, _AND if op == "contains_all" else _OR)
        elif op in NO_VALUE_OPERATORS:
            shown = _same("")
        else:
            shown = _value_text(fact, value)
        phrase = _fill(_PHRASES[op], V=shown)
        return Reason(fact.name, _fill(_UNKNOWN_UNDER_NOT, L=fact.label, P=phrase))
    return _leaf_reason(fact, _COMPLEMENT[op], value, actual)


def explain(condition: Condition, facts: Mapping[str, object]) -> list[Reason]:
    """The leaves that make ``condition`` true for ``facts``; an empty list when it is false.

    For ``all``, every member's reasons; for ``any``, the reasons of every true member (not only the
    first, so the case worker sees the whole case); for ``not``, why the negated part does not hold. The
    list is non-empty exactly when ``evaluate`` is True, and holds each sentence once.
    """
    if not evaluate(condition, facts):
        return []
    reasons: list[Reason] = []
    for reason in _why_true(condition, facts):
        if reason not in reasons:
            reasons.append(reason)
    return reasons


def _why_true(node: Condition, facts: Mapping[str, object]) -> Iterator[Reason]:
    if "all" in node:
        for member in node["all"]:
            yield from _why_true(member, facts)
    elif "any" in node:
        for member in node["any"]:
            if evaluate(member, facts):
                yield from _why_true(member, facts)
    elif "not" in node:
        yield from _why_false(node["not"], facts)
    else:
        fact = FACTS[node["fact"]]
        yield _leaf_reason(fact, node["op"], node.get("value"), _actual(fact, facts))


def _why_false(node: Condition, facts: Mapping[str, object]) -> Iterator[Reason]:
    if "all" in node:
        for member in node["all"]:
            if not evaluate(member, facts):
                yield from _why_false(member, facts)
    elif "any" in node:
        for member in node["any"]:
            yield from _why_false(member, facts)
    elif "not" in node:
        yield from _why_true(node["not"], facts)
    else:
        fact = FACTS[node["fact"]]
        yield _negated_leaf_reason(fact, node["op"], node.get("value"), _actual(fact, facts))


# --------------------------------------------------------------------------------------------------
# Categories
# --------------------------------------------------------------------------------------------------

_CODE: Final = re.compile(r"[a-z][a-z0-9_]{0,63}")


@dataclass(frozen=True)
class CategoryRuleSpec:
    """A category or vulnerability flag as an administrator defines it; checked when built."""

    code: str
    kind: Kind
    names: Texts
    descriptions: Texts
    condition: Condition

    def __post_init__(self) -> None:
        problems = _spec_problems(self)
        if problems:
            raise ValueError(f"category rule {self.code!r}: " + "; ".join(problems))


@dataclass(frozen=True)
class CategoryResult:
    code: str
    kind: Kind
    reasons: list[Reason]


def _spec_problems(spec: CategoryRuleSpec) -> list[str]:
    problems = []
    if not isinstance(spec.code, str) or not _CODE.fullmatch(spec.code):
        problems.append("the code must be lower-case letters, digits and underscores")
    if spec.kind not in ("category", "vulnerability"):
        problems.append("the kind must be 'category' or 'vulnerability'")
    for attribute in ("names", "descriptions"):
        texts = getattr(spec, attribute)
        if (
            not isinstance(texts, Mapping)
            or set(texts) != set(LANGUAGES)
            or not all(isinstance(text, str) and text.strip() for text in texts.values())
        ):
            problems.append(f"{attribute} need a non-empty text in each of {', '.join(LANGUAGES)}")
    problems.extend(
        f"condition at {e.path or 'root'}: {e.message['en']}" for e in validate_condition(spec.condition)
    )
    return problems


def spec_from_dict(data: Mapping[str, Any]) -> CategoryRuleSpec:
    """A rule from its stored form ``{code, kind, name, description, condition}``; ValueError if wrong."""
    expected = {"code", "kind", "name", "description", "condition"}
    if not isinstance(data, Mapping) or set(data) != expected:
        raise ValueError(f"a category rule has exactly the keys {', '.join(sorted(expected))}")
    return CategoryRuleSpec(
        code=data["code"],
        kind=data["kind"],
        names=dict(data["name"]) if isinstance(data["name"], Mapping) else data["name"],
        descriptions=dict(data["description"])
        if isinstance(data["description"], Mapping)
        else data["description"],
        condition=data["condition"],
    )


def spec_to_dict(spec: CategoryRuleSpec) -> dict[str, Any]:
    """The stored form of a rule, the inverse of ``spec_from_dict``."""
    return {
        "code": spec.code,
        "kind": spec.kind,
        "name": dict(spec.names),
        "description": dict(spec.descriptions),
        "condition": spec.condition,
    }


def load_default_specs() -> list[CategoryRuleSpec]:
    """The categories and flags shipped with Awda (``data/default_categories.json``), freshly parsed."""
    data = json.loads(DEFAULT_SPECS_PATH.read_text(encoding="utf-8"))
    specs = [spec_from_dict(item) for item in data]
    codes = [spec.code for spec in specs]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise ValueError(f"duplicate category codes: {', '.join(duplicates)}")
    return specs


def validate_facts(facts: Mapping[str, object], *, check_ranges: bool = True) -> list[str]:
    """What is wrong with a facts dict (for developers: the registry computes it, people do not type it).

    ``check_ranges=False`` leaves out int values beyond a fact's bounds (an age of 131 from a mistyped
    birth date): comparisons still work on them, so they are a data-quality finding, not a logic error.
    """
    problems = [f"missing fact {name!r}" for name in FACTS if name not in facts]
    problems.extend(f"unknown fact {name!r}" for name in facts if name not in FACTS)
    for name, fact in FACTS.items():
        value = facts.get(name)
        if value is None:
            continue
        if fact.type == "int":
            ok = (
                isinstance(value, int)
                and not isinstance(value, bool)
                and (not check_ranges or fact.minimum is None or value >= fact.minimum)
                and (not check_ranges or fact.maximum is None or value <= fact.maximum)
            )
        elif fact.type == "bool":
            ok = isinstance(value, bool)
        elif fact.type == "choice":
            ok = isinstance(value, str) and value in fact.choices
        elif fact.type == "multi":
            ok = isinstance(value, list | tuple) and all(
                isinstance(v, str) and v in fact.choices for v in value
            )
        else:
            ok = isinstance(value, str) and (
                value == "" or fact.pattern is None or re.fullmatch(fact.pattern, value) is not None
            )
        if not ok:
            problems.append(f"fact {name!r} cannot be {value!r}")
    return problems


def categorise(specs: Sequence[CategoryRuleSpec], facts: Mapping[str, object]) -> list[CategoryResult]:
    """The categories and flags among ``specs`` that apply to one returnee, in the order of ``specs``.

    Raises ValueError when ``facts`` is not what the registry promises: a missing or unknown key, a
    wrong type, a value outside a choice list or a malformed code, any of which would otherwise make a
    rule silently false or fail deep inside a comparison. Out-of-range numbers are let through (see
    ``validate_facts``) so that one implausible record does not stop a run over the whole registry.
    """
    problems = validate_facts(facts, check_ranges=False)
    if problems:
        raise ValueError("; ".join(problems))
    return [
        CategoryResult(code=spec.code, kind=spec.kind, reasons=explain(spec.condition, facts))
        for spec in specs
        if evaluate(spec.condition, facts)
    ]


# --------------------------------------------------------------------------------------------------
# Static check for conditions that can never be true
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RuleConflict:
    """A conjunction inside rule ``code`` at ``path`` whose conditions on ``fact`` exclude each other."""

    code: str
    path: str
    fact: str
    message: Texts


_CONFLICT: Final = _t(
    "لا يمكن أن تتحقق الشروط على «{fact}» في {where} معًا أبدًا.",
    "مەرجەکانی سەر «{fact}» لە {where} هەرگیز پێکەوە ڕاست نابن.",
    "The conditions on “{fact}” in {where} can never all be true together.",
)
_ROOT: Final = _t("القاعدة", "یاساکە", "the rule")


def find_conflicts(specs: Sequence[CategoryRuleSpec]) -> list[RuleConflict]:
    """Parts of rules that can never be true, such as ``age < 18`` and ``age > 60`` under one ``all``.

    A part is checked when it is a conjunction in positive position: an ``all`` group, or a ``not`` over
    an ``any`` group, not itself under an odd number of ``not``. Its conjuncts are its leaves and those
    of nested conjunctions, each with its polarity (a leaf under ``not`` must fail). Per fact the check
    is exact for: int ranges (with the fact's bounds, ``==`` and ``!=``), the values left to a choice,
    bool or text fact after ``==``, ``!=``, ``in``, ``not_in``, ``is_true`` and ``is_false``, multi items
    both required and excluded, and ``is_empty`` against anything that needs a value. A negated leaf
    only counts once another conjunct makes the fact known, because ``not`` on an unknown fact holds.
    Every part reported is false for every set of facts (the tests check this with random rules).

    Limits: it does not reason across ``any`` branches (an ``any`` whose every branch contradicts a
    sibling is not found) nor across facts (``age < 15`` with ``employment_status == "retired"`` passes),
    and it does not report parts that are always true. Only the innermost conflicting part is reported,
    since the parts around it conflict because of it.
    """
    conflicts: list[RuleConflict] = []
    for spec in specs:
        _conflicts_in(spec.code, spec.condition, "", False, conflicts)
    return conflicts


def condition_conflicts(condition: Condition) -> list[RuleConflict]:
    """``find_conflicts`` for one validated condition outside a category (``code`` is then empty)."""
    conflicts: list[RuleConflict] = []
    _conflicts_in("", condition, "", False, conflicts)
    return conflicts


def _conflicts_in(code: str, node: Condition, path: str, negated: bool, out: list[RuleConflict]) -> bool:
    """Append the conflicts inside ``node`` (under ``not`` an odd number of times if ``negated``)."""
    if "fact" in node:
        return False
    if "not" in node:
        found = _conflicts_in(code, node["not"], _join_path(path, "not"), not negated, out)
    else:
        kind = "all" if "all" in node else "any"
        found = False
        for index, member in enumerate(node[kind]):
            found |= _conflicts_in(code, member, _join_path(path, f"{kind}[{index}]"), negated, out)
    # Only a node in positive position is reported: it is then that node that can never be true (under
    # an odd number of "not" the same contradiction would make a node always true instead).
    if found or negated:
        return found
    by_fact: dict[str, list[tuple[bool, Condition]]] = {}
    for polarity, leaf in _conjuncts(node, False):
        by_fact.setdefault(leaf["fact"], []).append((polarity, leaf))
    for name, leaves in by_fact.items():
        if _contradictory(FACTS[name], leaves):
            where = _same(path) if path else _ROOT
            out.append(RuleConflict(code, path, name, _fill(_CONFLICT, fact=FACTS[name].label, where=where)))
            found = True
    return found


def _conjuncts(node: Condition, negated: bool) -> list[tuple[bool, Condition]]:
    """Leaves that must all hold (False) or all fail (True) for ``node`` to be (negated ? false : true)."""
    if "fact" in node:
        return [(negated, node)]
    if "not" in node:
        return _conjuncts(node["not"], not negated)
    if ("all" in node) != negated:
        return [
            pair for member in node["all" if "all" in node else "any"] for pair in _conjuncts(member, negated)
        ]
    return []


def _contradictory(fact: FactSpec, leaves: list[tuple[bool, Condition]]) -> bool:
    must_be_empty = any(
        (not negated and leaf["op"] == "is_empty") or (negated and leaf["op"] == "not_empty")
        for negated, leaf in leaves
    )
    must_have_value = any(
        (not negated and leaf["op"] != "is_empty") or (negated and leaf["op"] == "is_empty")
        for negated, leaf in leaves
    )
    if must_be_empty and must_have_value:
        return True
    if not must_have_value:
        return False
    constraints = [
        (_COMPLEMENT[leaf["op"]] if negated else leaf["op"], leaf.get("value"))
        for negated, leaf in leaves
        if leaf["op"] not in ("is_empty", "not_empty")
    ]
    if fact.type == "int":
        return _int_contradictory(fact, constraints)
    if fact.type == "multi":
        return _multi_contradictory(constraints)
    return _choice_contradictory(fact, constraints)


def _int_contradictory(fact: FactSpec, constraints: list[tuple[str, Any]]) -> bool:
    low = fact.minimum if fact.minimum is not None else -(10**9)
    high = fact.maximum if fact.maximum is not None else 10**9
    equal: set[int] = set()
    excluded: set[int] = set()
    for op, value in constraints:
        if op == "<":
            high = min(high, value - 1)
        elif op == "<=":
            high = min(high, value)
        elif op == ">":
            low = max(low, value + 1)
        elif op == ">=":
            low = max(low, value)
        elif op == "==":
            equal.add(value)
        elif op == "!=":
            excluded.add(value)
    if equal:
        (only, *others) = equal
        return bool(others) or not low <= only <= high or only in excluded
    return low > high or (
        high - low + 1 <= len(excluded) and all(n in excluded for n in range(low, high + 1))
    )


def _choice_contradictory(fact: FactSpec, constraints: list[tuple[str, Any]]) -> bool:
    """Bool, choice and text facts: is any value left once every constraint has narrowed the set?"""
    possible: set[object] | None
    if fact.type == "bool":
        possible = {True, False}
    elif fact.type == "choice":
        possible = set(fact.choices)
    else:
        possible = None  # a text fact has endless values until a rule names some
    excluded: set[object] = set()
    for op, value in constraints:
        if op in ("==", "in", "is_true", "is_false"):
            allowed: set[object] = (
                {True} if op == "is_true" else {False} if op == "is_false" else set(_as_list(value))
            )
            possible = allowed if possible is None else possible & allowed
        else:
            excluded.update(_as_list(value))
    return possible is not None and not possible - excluded


def _multi_contradictory(constraints: list[tuple[str, Any]]) -> bool:
    required: set[str] = set()
    forbidden: set[str] = set()
    some_of: list[set[str]] = []
    not_all_of: list[set[str]] = []
    for op, value in constraints:
        if op in ("contains", "contains_all"):
            required.update(_as_list(value))
        elif op in ("not_contains", "contains_none"):
            forbidden.update(_as_list(value))
        elif op == "contains_any":
            some_of.append(set(value))
        elif op == "not_contains_all":
            not_all_of.append(set(value))
    return (
        bool(required & forbidden)
        or any(group <= forbidden for group in some_of)
        or any(group <= required for group in not_all_of)
    )


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]
