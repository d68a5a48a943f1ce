"""Scoring a likely existing record against a new registration, with the reasons shown to the worker.

Pure logic: the candidates come from ``queries.duplicate_candidates``. Names alone never make a
duplicate (siblings share all but the given name; many people are called محمد علي حسين); the
mother's name, date of birth, phone and documents are what separate people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from awda.registry import names


@dataclass(frozen=True)
class PersonSketch:
    """What intake knows about a person, normalised for comparison."""

    given: str
    father: str
    grandfather: str = ""
    family: str = ""
    mother: str = ""
    date_of_birth: date | None = None
    birth_year_only: bool = False
    phones: frozenset[str] = frozenset()
    documents: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    score: float
    reasons: list[str] = field(default_factory=list)  # codes, translated by the page


# Reason codes and their weights: evidence for being the same person adds, contradiction subtracts.
WEIGHTS = {
    "same_document": 60.0,
    "same_phone": 30.0,
    "same_given_name": 15.0,
    "similar_given_name": 8.0,
    "same_father_name": 12.0,
    "same_grandfather_name": 8.0,
    "same_family_name": 6.0,
    "same_mother_name": 20.0,
    "same_birth_date": 20.0,
    "close_birth_date": 10.0,
    "same_birth_year": 5.0,
    "different_birth_date": -25.0,
    "different_mother_name": -20.0,
    "different_given_name": -30.0,
}
THRESHOLD = 45.0


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and names.skeleton(a) == names.skeleton(b)


def _birth_evidence(new: PersonSketch, old: PersonSketch) -> str | None:
    if new.date_of_birth is None or old.date_of_birth is None:
        return None
    a, b = new.date_of_birth, old.date_of_birth
    if a == b and not (new.birth_year_only or old.birth_year_only):
        return "same_birth_date"
    if a.year == b.year and (new.birth_year_only or old.birth_year_only):
        return "same_birth_year"
    swapped = a.day <= 12 and b.day <= 12 and (a.day, a.month, a.year) == (b.month, b.day, b.year)
    placeholder = {(1, 1), (1, 7)}
    if (
        swapped
        or abs((a - b).days) <= 31
        or (a.year == b.year and ((a.day, a.month) in placeholder or (b.day, b.month) in placeholder))
    ):
        return "close_birth_date"
    return "different_birth_date"


def score_match(new: PersonSketch, old: PersonSketch) -> Match:
    reasons: list[str] = []
    if new.documents & old.documents:
        reasons.append("same_document")
    if new.phones & old.phones:
        reasons.append("same_phone")
    if _same(new.given, old.given):
        reasons.append("same_given_name")
    elif (
        new.given and old.given and fuzz.ratio(names.strict_key(new.given), names.strict_key(old.given)) >= 80
    ):
        reasons.append("similar_given_name")
    elif new.given and old.given:
        reasons.append("different_given_name")
    if _same(new.father, old.father):
        reasons.append("same_father_name")
    if _same(new.grandfather, old.grandfather):
        reasons.append("same_grandfather_name")
    if _same(
        names.strip_article(names.normalize_name(new.family)),
        names.strip_article(names.normalize_name(old.family)),
    ):
        reasons.append("same_family_name")
    if new.mother and old.mother:
        mother_a, mother_b = names.name_tokens(new.mother), names.name_tokens(old.mother)
        if mother_a and mother_b and names.skeleton(mother_a[0]) == names.skeleton(mother_b[0]):
            reasons.append("same_mother_name")
        else:
            reasons.append("different_mother_name")
    birth = _birth_evidence(new, old)
    if birth:
        reasons.append(birth)
    score = max(0.0, min(100.0, sum(WEIGHTS[r] for r in reasons)))
    return Match(score=score, reasons=reasons)
