"""Extra questions an institution adds to the case form: validating answers against the version they answer.

Pure logic (no ORM): a question is a mapping with ``code``, ``type``, ``required``, ``choices``,
``min_value`` and ``max_value``; answers are a mapping from code to a JSON value. Messages come in
Arabic, Kurdish and English so that any caller can show them in the user's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

QUESTION_TYPES = ("text", "integer", "decimal", "date", "select_one", "select_multiple", "yes_no")
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_TEXT = 2000

Texts = dict[str, str]

MESSAGES: dict[str, Texts] = {
    "required": {
        "ar": "هذا السؤال مطلوب.",
        "ckb": "ئەم پرسیارە پێویستە.",
        "en": "This question is required.",
    },
    "not_text": {"ar": "أدخل نصاً.", "ckb": "دەقێک بنووسە.", "en": "Enter text."},
    "too_long": {
        "ar": "النص أطول من 2000 حرف.",
        "ckb": "دەقەکە لە ٢٠٠٠ پیت درێژترە.",
        "en": "The text is longer than 2000 characters.",
    },
    "not_integer": {
        "ar": "أدخل عدداً صحيحاً.",
        "ckb": "ژمارەیەکی تەواو بنووسە.",
        "en": "Enter a whole number.",
    },
    "not_number": {"ar": "أدخل رقماً.", "ckb": "ژمارەیەک بنووسە.", "en": "Enter a number."},
    "below_minimum": {
        "ar": "القيمة أقل من الحد الأدنى.",
        "ckb": "بەهاکە لە کەمترین سنوور کەمترە.",
        "en": "The value is below the minimum.",
    },
    "above_maximum": {
        "ar": "القيمة أكبر من الحد الأعلى.",
        "ckb": "بەهاکە لە زۆرترین سنوور زیاترە.",
        "en": "The value is above the maximum.",
    },
    "not_date": {
        "ar": "أدخل تاريخاً بصيغة سنة-شهر-يوم.",
        "ckb": "ڕێکەوتێک بە شێوەی ساڵ-مانگ-ڕۆژ بنووسە.",
        "en": "Enter a date as year-month-day.",
    },
    "unknown_choice": {
        "ar": "هذا الخيار غير موجود في القائمة.",
        "ckb": "ئەم هەڵبژاردنە لە لیستەکەدا نییە.",
        "en": "This choice is not in the list.",
    },
    "not_yes_no": {
        "ar": "أجب بنعم أو لا.",
        "ckb": "بە بەڵێ یان نەخێر وەڵام بدەوە.",
        "en": "Answer yes or no.",
    },
    "unknown_question": {
        "ar": "لا يوجد هذا السؤال في النموذج.",
        "ckb": "ئەم پرسیارە لە فۆڕمەکەدا نییە.",
        "en": "This question is not on the form.",
    },
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def clean_answer(question: Mapping[str, Any], value: Any) -> tuple[Any, str | None]:
    """The stored form of one answer and the code of its error (None when valid); empty answers are None."""
    kind = question["type"]
    if value in (None, "", []):
        return None, ("required" if question.get("required") else None)
    if kind == "text":
        if not isinstance(value, str):
            return None, "not_text"
        return (value.strip(), None) if len(value) <= MAX_TEXT else (None, "too_long")
    if kind in ("integer", "decimal"):
        number = _number(value)
        if number is None or (kind == "integer" and not number.is_integer()):
            return None, "not_integer" if kind == "integer" else "not_number"
        if question.get("min_value") is not None and number < float(question["min_value"]):
            return None, "below_minimum"
        if question.get("max_value") is not None and number > float(question["max_value"]):
            return None, "above_maximum"
        return (int(number) if kind == "integer" else number), None
    if kind == "date":
        try:
            return date.fromisoformat(str(value)).isoformat(), None
        except ValueError:
            return None, "not_date"
    allowed = {str(choice["value"]) for choice in question.get("choices") or []}
    if kind == "select_one":
        return (str(value), None) if str(value) in allowed else (None, "unknown_choice")
    if kind == "select_multiple":
        values = value if isinstance(value, list) else [value]
        if not all(str(v) in allowed for v in values):
            return None, "unknown_choice"
        return sorted({str(v) for v in values}), None
    if kind == "yes_no":
        if value in (True, "yes", "1", 1, "true"):
            return True, None
        if value in (False, "no", "0", 0, "false"):
            return False, None
        return None, "not_yes_no"
    raise ValueError(f"unknown question type {kind!r}")


def clean_answers(
    questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Texts]]:
    """All answers cleaned, and the errors per question code (messages in three languages)."""
    by_code = {q["code"]: q for q in questions}
    cleaned: dict[str, Any] = {}
    errors: dict[str, Texts] = {}
    for code in answers:
        if code not in by_code:
            errors[code] = MESSAGES["unknown_question"]
    for question in questions:
        value, error = clean_answer(question, answers.get(question["code"]))
        if error:
            errors[question["code"]] = MESSAGES[error]
        elif value is not None:
            cleaned[question["code"]] = value
    return cleaned, errors


def question_problems(question: Mapping[str, Any]) -> list[str]:
    """What is wrong with a question definition (codes), for the administrator's form."""
    problems = []
    if not CODE.match(str(question.get("code", ""))):
        problems.append("bad_code")
    if question.get("type") not in QUESTION_TYPES:
        problems.append("bad_type")
    if not all(question.get(f"label_{lang}") for lang in ("ar", "ckb", "en")):
        problems.append("missing_label")
    if question.get("type") in ("select_one", "select_multiple"):
        choices = question.get("choices") or []
        values = [str(c.get("value", "")) for c in choices]
        if not choices or len(set(values)) != len(values) or not all(CODE.match(v) for v in values):
            problems.append("bad_choices")
        if not all(all(c.get(f"label_{lang}") for lang in ("ar", "ckb", "en")) for c in choices):
            problems.append("missing_label")
    low, high = question.get("min_value"), question.get("max_value")
    if low is not None and high is not None and float(low) > float(high):
        problems.append("bad_range")
    return problems
