"""Pure logic of referrals: deadlines in working days, the ranking of eligible services with its reasons,
and which case-response rules apply. No ORM; exhaustively tested in ``tests/test_rules.py``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final, Literal

from awda.registry import rules as registry_rules

Texts = dict[str, str]
Place = Literal["district", "governorate", "country", "remote"]

# --------------------------------------------------------------------------------------------------
# Deadlines
# --------------------------------------------------------------------------------------------------


def add_working_days(start: datetime, days: int, weekend: Iterable[int] = (4, 5)) -> datetime:
    """``start`` moved forward by ``days`` working days (Friday and Saturday off in Iraq), same time of day.

    Sent on a weekend day, the count starts on the next working day: five working days from a
    Friday evening end on the following Thursday evening.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    off = frozenset(weekend)
    if len(off) >= 7:
        raise ValueError("a week needs a working day")
    moment = start
    left = days
    while left > 0:
        moment += timedelta(days=1)
        if moment.weekday() not in off:
            left -= 1
    return moment


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    last = (next_first - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def working_days_between(start: date, end: date, weekend: Iterable[int] = (4, 5)) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later)."""
    off = frozenset(weekend)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() not in off:
            count += 1
    return count


# --------------------------------------------------------------------------------------------------
# Ranking of eligible services
# --------------------------------------------------------------------------------------------------

WEIGHTS: Final = {"place": 0.35, "capacity": 0.25, "priority": 0.2, "outcomes": 0.2}
PLACE_SCORE: Final[dict[str, float]] = {"district": 1.0, "governorate": 0.8, "country": 0.6, "remote": 0.5}
UNKNOWN_CAPACITY: Final = 0.5  # a service that states no limit is neither full nor sure to have room


@dataclass(frozen=True)
class Candidate:
    """What ranking reads of one eligible, available service."""

    key: str
    place: Place
    capacity: int | None
    load: int
    targets: frozenset[str] = frozenset()  # categories and vulnerabilities the service is reserved for
    completed: int = 0  # referrals to it closed with the need met or partly met
    closed: int = 0  # referrals to it closed in any way after acceptance (completed or not)


@dataclass(frozen=True)
class Ranked:
    key: str
    rank: int
    score: float
    parts: dict[str, float]
    reasons: tuple[Texts, ...] = field(default=())


def place_of(*, district_match: bool, governorate_match: bool, nationwide: bool, remote: bool) -> Place:
    """How near a service is: the person's district, their governorate, the whole country, or at a distance."""
    if district_match:
        return "district"
    if governorate_match:
        return "governorate"
    if nationwide:
        return "country"
    if remote:
        return "remote"
    raise ValueError("the service does not reach the person")


def _place_reason(place: Place) -> Texts:
    return {
        "district": {
            "ar": "تقدَّم في قضاء الشخص نفسه",
            "ckb": "لە هەمان قەزای کەسەکە پێشکەش دەکرێت",
            "en": "offered in the person's own district",
        },
        "governorate": {
            "ar": "تقدَّم في محافظة الشخص",
            "ckb": "لە پارێزگای کەسەکە پێشکەش دەکرێت",
            "en": "offered in the person's governorate",
        },
        "country": {
            "ar": "تقدَّم في كل أنحاء البلد",
            "ckb": "لە هەموو وڵات پێشکەش دەکرێت",
            "en": "offered across the country",
        },
        "remote": {
            "ar": "تقدَّم عن بُعد (هاتفيًا أو عبر الإنترنت)",
            "ckb": "لە دوورەوە پێشکەش دەکرێت (تەلەفۆن یان ئینتەرنێت)",
            "en": "offered at a distance (phone or online)",
        },
    }[place]


def _capacity(candidate: Candidate) -> tuple[float, Texts]:
    if candidate.capacity is None:
        return UNKNOWN_CAPACITY, {
            "ar": "لا يذكر عدد الأماكن",
            "ckb": "ژمارەی شوێنەکان دیاری نەکراوە",
            "en": "states no number of places",
        }
    left = max(0, candidate.capacity - candidate.load)
    share = left / candidate.capacity if candidate.capacity else 0.0
    return share, {
        "ar": f"بقي {left} من {candidate.capacity} مكانًا هذا الشهر",
        "ckb": f"{left} شوێن لە {candidate.capacity} ماوە ئەم مانگە",
        "en": f"{left} of {candidate.capacity} places left this month",
    }


def _priority(candidate: Candidate, person_groups: frozenset[str]) -> tuple[float, Texts | None]:
    matched = sorted(candidate.targets & person_groups)
    if not matched:
        return 0.0, None
    return 1.0, {
        "ar": "مخصصة لفئة ينتمي إليها الشخص",
        "ckb": "تایبەتە بەو گرووپەی کەسەکە سەر بەیەتی",
        "en": "reserved for a group the person belongs to",
    }


def _outcomes(candidate: Candidate) -> tuple[float, Texts]:
    # Laplace's rule: a provider without history starts at one half, and a few cases move it little.
    rate = (candidate.completed + 1) / (candidate.closed + 2)
    if candidate.closed == 0:
        return rate, {
            "ar": "لا نتائج سابقة بعد",
            "ckb": "هێشتا ئەنجامی پێشووی نییە",
            "en": "no past outcomes yet",
        }
    return rate, {
        "ar": f"لبّت الحاجة في {candidate.completed} من {candidate.closed} إحالة سابقة",
        "ckb": f"لە {candidate.closed} ڕەوانەکردنی پێشوو {candidate.completed} جار پێداویستییەکەی پڕکردەوە",
        "en": f"met the need in {candidate.completed} of {candidate.closed} past referrals",
    }


def rank(candidates: Sequence[Candidate], person_groups: Iterable[str]) -> list[Ranked]:
    """Eligible services best first. Ties keep the caller's order (stable), so the result is reproducible."""
    groups = frozenset(person_groups)
    scored: list[tuple[float, int, Candidate, dict[str, float], list[Texts]]] = []
    for position, candidate in enumerate(candidates):
        if candidate.closed < candidate.completed or candidate.load < 0:
            raise ValueError(f"inconsistent counts for {candidate.key}")
        place = PLACE_SCORE[candidate.place]
        capacity, capacity_reason = _capacity(candidate)
        priority, priority_reason = _priority(candidate, groups)
        outcomes, outcomes_reason = _outcomes(candidate)
        parts = {"place": place, "capacity": capacity, "priority": priority, "outcomes": outcomes}
        score = round(sum(WEIGHTS[name] * value for name, value in parts.items()), 6)
        reasons = [_place_reason(candidate.place), capacity_reason]
        if priority_reason is not None:
            reasons.append(priority_reason)
        reasons.append(outcomes_reason)
        scored.append((score, position, candidate, parts, reasons))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [
        Ranked(key=c.key, rank=i + 1, score=score, parts=parts, reasons=tuple(reasons))
        for i, (score, _position, c, parts, reasons) in enumerate(scored)
    ]


# --------------------------------------------------------------------------------------------------
# Case-response rules
# --------------------------------------------------------------------------------------------------

DIMENSIONS: Final = ("economic", "social", "psychosocial")
HORIZONS: Final = ("6m", "2y", "5y")


def validate_rule(condition: Any, proposes: Any, *, need_categories: Iterable[str]) -> list[str]:
    """Problems of a case-response rule (English, for the loader's report); empty when it is sound."""
    problems = [
        f"condition: {e.path or '/'} {e.message['en']}" for e in registry_rules.validate_condition(condition)
    ]
    needs = set(need_categories)
    if not isinstance(proposes, list) or not proposes:
        return [*problems, "proposes: a list of at least one proposal is needed"]
    for i, item in enumerate(proposes):
        if not isinstance(item, Mapping):
            problems.append(f"proposes[{i}]: must be an object")
            continue
        if item.get("need") not in needs:
            problems.append(f"proposes[{i}].need: unknown need {item.get('need')!r}")
        if item.get("dimension") not in DIMENSIONS:
            problems.append(f"proposes[{i}].dimension: one of {', '.join(DIMENSIONS)}")
        if item.get("horizon") not in HORIZONS:
            problems.append(f"proposes[{i}].horizon: one of {', '.join(HORIZONS)}")
        for language in ("ar", "ckb", "en"):
            if not str(item.get(f"goal_{language}", "")).strip():
                problems.append(f"proposes[{i}].goal_{language}: the goal in every language")
        if item.get("priority", "medium") not in ("high", "medium", "low"):
            problems.append(f"proposes[{i}].priority: high, medium or low")
        if item.get("urgency", "soon") not in ("immediate", "soon", "routine"):
            problems.append(f"proposes[{i}].urgency: immediate, soon or routine")
    return problems


def applicable(rules: Sequence[tuple[str, Any]], facts: Mapping[str, object]) -> list[str]:
    """The codes of the rules (code, condition) whose condition holds for these facts, in order."""
    return [code for code, condition in rules if registry_rules.evaluate(condition, facts)]
