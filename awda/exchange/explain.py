"""Why the engine scored a pair as it did, in the reader's language: comparison and level labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

COMPARISONS = {
    "given": _("Given name"),
    "lineage": _("Father's and grandfather's names"),
    "great_grandfather": _("Great-grandfather's name"),
    "family": _("Family or tribal name"),
    "mother": _("Mother's name"),
    "dob": _("Date of birth"),
    "sex": _("Sex"),
    "governorate": _("Governorate"),
    "phone": _("Phone"),
    "national_id": _("National ID number"),
    "candidates": _("Other candidates"),
}

# Keyed by the engine's English level label (its stable description of the level).
LEVELS = {
    "missing": _("missing on one side"),
    "different": _("different"),
    "same": _("same"),
    "same name": _("same name"),
    "same number": _("same number"),
    "same family name": _("same family name"),
    "same date": _("same date"),
    "same consonants": _("same consonants"),
    "same consonants, other name": _("same consonants, but another name"),
    "same name in another spelling": _("same name in another spelling or script"),
    "similar spelling": _("similar spelling"),
    "one letter apart": _("one letter apart"),
    "one character apart": _("one character apart"),
    "family name among the other's names": _("the family name is among the other's names"),
    "same father's and grandfather's names": _("same father's and grandfather's names"),
    "same names, spelt differently": _("same names, spelt differently"),
    "same father's name, grandfather's missing": _("same father's name, grandfather's missing"),
    "same father's name, other grandfather's name": _("same father's name, another grandfather's name"),
    "other father's name, same grandfather's name": _("another father's name, same grandfather's name"),
    "same placeholder date (1 January or 1 July)": _("same placeholder date (1 January or 1 July)"),
    "same year, one date a placeholder or year only": _("same year, one date a placeholder or a year only"),
    "day and month swapped": _("day and month swapped"),
    "same year and month, or one digit apart": _("same year and month, or one digit apart"),
    "same year or one year apart": _("same year or one year apart"),
    "same number, other given name (a family phone)": _("same number, another given name (a family phone)"),
    "given and family names swapped": _("given and family names swapped"),
    "one letter from a common name, in a rare spelling": _(
        "one letter from a common name, in a rare spelling (a typo)"
    ),
    "same name in another script": _("same name in another script"),
    "same year, other day": _("same year, another day"),
    "one year apart": _("one year apart"),
    "same number, another year of birth (a family phone)": _(
        "same number, another year of birth (a family phone)"
    ),
    "no other candidate is plainly another person": _(
        "neither record has another candidate who is plainly someone else"
    ),
    "other candidates, plainly other people": _(
        "other candidates for these records are plainly other people"
    ),
}

# Why a pair above the match threshold went to review: a better candidate for one of its records is
# plainly another person than the other record (linkage.competition), on this field.
OUTRANKED = _(
    "A better candidate for one of these records is plainly another person than the other record: at most one of them can be the same person."
)
OUTRANKED_ON = {
    "given": _(
        "A better candidate has another given name than this record: at most one of them can be the same person."
    ),
    "dob": _(
        "A better candidate has another full date of birth than this record: at most one of them can be the same person."
    ),
    "family": _(
        "A better candidate has another family name than this record: at most one of them can be the same person."
    ),
    "mother": _(
        "A better candidate has another mother's name than this record: at most one of them can be the same person."
    ),
    "national_id": _(
        "A better candidate has another ID number than this record: at most one of them can be the same person."
    ),
}


STARTING_POINT = _("Starting point")
STARTING_POINT_LEVEL = _("two records taken at random are seldom the same person")


def _row(comparison: str, level: str, weight: float) -> dict[str, Any]:
    direction = "for" if weight > 0.05 else "against" if weight < -0.05 else "neutral"
    return {"comparison": comparison, "level": level, "weight": weight, "direction": direction}


def explanation_rows(
    explanation: list[dict[str, Any]], match_weight: float | None = None
) -> list[dict[str, Any]]:
    """The comparisons of a pair for a page: label, outcome, weight, and whether it speaks for or against.

    With the pair's ``match_weight``, the first row is the starting point the comparisons add to (the
    prior: the weight of two records taken at random), so that the rows add up to the match weight.
    """
    rows = []
    total = 0.0
    for item in explanation:
        if item.get("comparison") == "competition":
            continue  # told apart: see outranked_reason
        weight = float(item.get("match_weight", 0))
        total += weight
        rows.append(
            _row(
                COMPARISONS.get(item.get("comparison", ""), item.get("comparison", "")),
                LEVELS.get(item.get("level_label", ""), item.get("level_label", "")),
                weight,
            )
        )
    if match_weight is not None and rows:
        rows.insert(0, _row(str(STARTING_POINT), str(STARTING_POINT_LEVEL), round(match_weight - total, 2)))
    return rows


def outranked_reason(explanation: list[dict[str, Any]]) -> str | None:
    """Why a pair scored above the match threshold waits for review, in the reader's language, or None."""
    for item in explanation:
        if item.get("comparison") == "competition":
            return str(OUTRANKED_ON.get(item.get("contradicts_on") or "", OUTRANKED))
    return None
