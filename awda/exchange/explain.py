"""Why the engine scored a pair as it did, in the reader's language: comparison and level labels."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

COMPARISONS = {
    "given": _("Given name"),
    "father": _("Father's name"),
    "grandfather": _("Grandfather's name"),
    "family": _("Family or tribal name"),
    "mother": _("Mother's name"),
    "dob": _("Date of birth"),
    "sex": _("Sex"),
    "governorate": _("Governorate"),
    "phone": _("Phone"),
    "national_id": _("National ID number"),
    "full_name": _("Full name"),
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
    "same consonants": _("same consonants (a spelling or script variant)"),
    "same consonants, other name": _("same consonants, but another name"),
    "family name among the other's names": _("the family name is among the other's names"),
    "same placeholder date (1 January or 1 July)": _("same placeholder date (1 January or 1 July)"),
    "same year or one year apart": _("same year or one year apart"),
    "one character apart": _("one character apart"),
}


def explanation_rows(explanation: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The comparisons of a pair for a page: label, outcome, weight, and whether it speaks for or against."""
    rows = []
    for item in explanation:
        weight = float(item.get("match_weight", 0))
        rows.append(
            {
                "comparison": COMPARISONS.get(item.get("comparison", ""), item.get("comparison", "")),
                "level": LEVELS.get(item.get("level_label", ""), item.get("level_label", "")),
                "weight": weight,
                "direction": "for" if weight > 0.05 else "against" if weight < -0.05 else "neutral",
            }
        )
    return rows
