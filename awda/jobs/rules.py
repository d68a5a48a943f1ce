"""Matching people and offers: pure rules, no ORM (``matching.py`` runs the same rules on arrays).

A match score is a weighted sum of six parts, each in [0, 1]:

| part        | weight | value |
|-------------|--------|-------|
| occupation  | 0.35   | ISCO-08 proximity of the closest occupation the person practised (same unit group 1, same minor group 0.75, sub-major 0.5, major 0.2; a group containing the other counts as the same), times 0.8 + 0.04 per year of experience up to 5 |
| skills      | 0.20   | share of the skills asked that the person has (1 when none are asked) |
| education   | 0.15   | 1 at or above the minimum, 0.5 one level below or when the person's level is unknown, else 0 (1 when no minimum) |
| place       | 0.15   | remote work or the same district 1, same governorate 0.8 (0.3 for someone who works only in their own district), another governorate 0.5 for someone ready to move |
| languages   | 0.10   | share of the languages asked that the person speaks (0.5 when unknown; 1 when none asked) |
| priority    | 0.05   | 1 when the person belongs to one of the groups the offer gives priority to |

Who is no candidate at all: someone in another governorate who will not move (unless the work is remote),
and, for jobs and internships, someone with neither a related occupation (same ISCO major group) nor
any of the skills asked. Training courses, apprenticeships and in-kind support are open to anyone in
reach. The weights are Awda's defaults (decision 0023).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from awda.jobs.enums import OPEN_TO_ALL_KINDS, Mobility

WEIGHTS: Final[dict[str, float]] = {
    "occupation": 0.35,
    "skills": 0.20,
    "education": 0.15,
    "place": 0.15,
    "languages": 0.10,
    "priority": 0.05,
}
PROXIMITY: Final[tuple[float, ...]] = (0.0, 0.2, 0.5, 0.75, 1.0)  # by the length of the common code prefix
UNKNOWN: Final = 0.5
PLACE_SAME_DISTRICT: Final = 1.0
PLACE_SAME_GOVERNORATE: Final = 0.8
PLACE_OTHER_DISTRICT_STAYING: Final = 0.3
PLACE_ELSEWHERE_MOVING: Final = 0.5
EXPERIENCE_BASE: Final = 0.8
EXPERIENCE_PER_YEAR: Final = 0.04
EXPERIENCE_YEARS_COUNTED: Final = 5


@dataclass(frozen=True)
class PersonFacts:
    occupations: tuple[tuple[str, int], ...]  # (ISCO-08 code, years of experience)
    skills: frozenset[str] = frozenset()
    education: int | None = None
    languages: frozenset[str] = frozenset()  # empty: not recorded
    governorate: str = ""
    district: str = ""
    mobility: str = Mobility.GOVERNORATE
    categories: frozenset[str] = frozenset()


@dataclass(frozen=True)
class OfferFacts:
    kind: str
    occupation: str
    skills: frozenset[str] = frozenset()
    education_min: int | None = None
    languages: frozenset[str] = frozenset()
    governorate: str = ""
    district: str | None = None
    remote: bool = False
    priority: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Match:
    score: float
    parts: dict[str, float] = field(default_factory=dict)
    occupation: str = ""  # the person's occupation that matched best ("" for none)
    skills_matched: frozenset[str] = frozenset()
    skills_missing: frozenset[str] = frozenset()
    languages_missing: frozenset[str] = frozenset()


def common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def occupation_proximity(person_code: str, offer_code: str) -> float:
    """How close two ISCO-08 groups are, in [0, 1]: 1 for the same group or one inside the other."""
    if not person_code or not offer_code:
        return 0.0
    n = common_prefix(person_code, offer_code)
    if n == min(len(person_code), len(offer_code)):
        return 1.0
    return PROXIMITY[n]


def experience_factor(years: int) -> float:
    return EXPERIENCE_BASE + EXPERIENCE_PER_YEAR * min(max(years, 0), EXPERIENCE_YEARS_COUNTED)


def best_occupation(person: PersonFacts, offer_code: str) -> tuple[float, str]:
    """The best proximity × experience over the person's occupations, and which occupation gave it."""
    best, which = 0.0, ""
    for code, years in person.occupations:
        value = occupation_proximity(code, offer_code) * experience_factor(years)
        if value > best:
            best, which = value, code
    return best, which


def _share(asked: frozenset[str], held: frozenset[str]) -> float:
    return len(asked & held) / len(asked) if asked else 1.0


def education_part(education: int | None, minimum: int | None) -> float:
    if minimum is None:
        return 1.0
    if education is None:
        return UNKNOWN
    if education >= minimum:
        return 1.0
    return 0.5 if education == minimum - 1 else 0.0


def place_part(person: PersonFacts, offer: OfferFacts) -> float | None:
    """None when the offer is out of the person's reach."""
    if offer.remote:
        return 1.0
    if offer.governorate != person.governorate:
        return PLACE_ELSEWHERE_MOVING if person.mobility == Mobility.ANYWHERE else None
    if offer.district is None or offer.district == person.district:
        return PLACE_SAME_DISTRICT if offer.district is not None else PLACE_SAME_GOVERNORATE
    return PLACE_OTHER_DISTRICT_STAYING if person.mobility == Mobility.DISTRICT else PLACE_SAME_GOVERNORATE


def languages_part(spoken: frozenset[str], asked: frozenset[str]) -> float:
    if not asked:
        return 1.0
    if not spoken:
        return UNKNOWN
    return _share(asked, spoken)


def match(person: PersonFacts, offer: OfferFacts) -> Match | None:
    """The person's match with the offer, or None when they are no candidate for it."""
    place = place_part(person, offer)
    if place is None:
        return None
    occupation, which = best_occupation(person, offer.occupation)
    matched = offer.skills & person.skills
    if offer.kind not in OPEN_TO_ALL_KINDS and occupation == 0.0 and not matched:
        return None
    parts = {
        "occupation": occupation,
        "skills": _share(offer.skills, person.skills),
        "education": education_part(person.education, offer.education_min),
        "place": place,
        "languages": languages_part(person.languages, offer.languages),
        "priority": 1.0 if offer.priority & person.categories else 0.0,
    }
    score = sum(WEIGHTS[name] * value for name, value in parts.items())
    return Match(
        score=round(score, 6),
        parts=parts,
        occupation=which,
        skills_matched=matched,
        skills_missing=offer.skills - person.skills,
        languages_missing=(offer.languages - person.languages) if person.languages else frozenset(),
    )


def rank(
    person: PersonFacts, offers: list[tuple[str, OfferFacts]], limit: int = 20
) -> list[tuple[str, Match]]:
    """The offers (``key``, facts) the person is a candidate for, best first; ties by key for stability."""
    found = [(key, m) for key, o in offers if (m := match(person, o)) is not None]
    found.sort(key=lambda item: (-item[1].score, item[0]))
    return found[:limit]
