"""Survey instruments and their scoring: pure rules, no ORM. Exhaustively tested in ``tests/test_scoring.py``.

An instrument groups indicators in the economic, social and psychosocial dimensions; each answer option
maps to a score in [0, 1] (or to none: "don't know", "prefer not to say"). A dimension's score is the
weighted mean of its answered indicators, the weights re-normalised over those answered; the composite
is the weighted mean of the dimensions that have a score, re-normalised likewise. The format is
documented in docs/instruments.md.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

DIMENSIONS: Final = ("economic", "social", "psychosocial")
LANGUAGES: Final = ("ar", "ckb", "en")
WEIGHT_TOLERANCE: Final = 1e-6
INSTRUMENT_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
INDICATOR_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
OPTION_VALUE = re.compile(r"^[a-z0-9_]+$")

Texts = dict[str, str]


@dataclass(frozen=True)
class Option:
    value: str
    score: float | None
    label: Texts


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    weight: float
    question: Texts
    options: tuple[Option, ...]

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Dimension:
    code: str
    weight: float
    name: Texts


@dataclass(frozen=True)
class Instrument:
    code: str
    name: Texts
    description: Texts
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]

    def indicator(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)


@dataclass(frozen=True)
class Scores:
    """Scores in [0, 1] (``None``: nothing answered there) and how many indicators each rests on."""

    dimensions: dict[str, float | None]
    composite: float | None
    answered: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"scores": {**self.dimensions, "composite": self.composite}, "answered": dict(self.answered)}


class InstrumentError(ValueError):
    """An instrument file that cannot be used; ``problems`` lists each, with where it is."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class AnswerError(ValueError):
    """Answers that do not fit the instrument: ``fields`` maps each indicator code to a problem code,
    "unknown_indicator" or "not_an_option" (the callers say it in the reader's language)."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


# --------------------------------------------------------------------------------------------------
# Reading and checking an instrument
# --------------------------------------------------------------------------------------------------


def _texts(value: Any, where: str, problems: list[str]) -> Texts:
    if not isinstance(value, Mapping):
        problems.append(f"{where}: a text in every language (ar, ckb, en) is needed")
        return {}
    missing = [code for code in LANGUAGES if not str(value.get(code, "")).strip()]
    if missing:
        problems.append(f"{where}: the text is missing in {', '.join(missing)}")
    return {code: str(value.get(code, "")).strip() for code in LANGUAGES}


def _weight(value: Any, where: str, problems: list[str]) -> float:
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value <= 0
    ):
        problems.append(f"{where}: the weight must be a number above 0")
        return 0.0
    return float(value)


def parse_instrument(data: Any) -> Instrument:
    """The instrument described by ``data`` (a parsed JSON file); every problem is reported at once."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise InstrumentError(["the file must hold one JSON object"])
    code = str(data.get("code", ""))
    if not INSTRUMENT_CODE.match(code):
        problems.append("code: lowercase letters, digits and hyphens, such as awda-reintegration")
    name = _texts(data.get("name"), "name", problems)
    description = _texts(
        data.get("description") or {"ar": "-", "ckb": "-", "en": "-"}, "description", problems
    )

    raw_dimensions = data.get("dimensions")
    dimensions: list[Dimension] = []
    if not isinstance(raw_dimensions, list):
        problems.append("dimensions: a list of the three dimensions is needed")
        raw_dimensions = []
    for i, item in enumerate(raw_dimensions):
        where = f"dimensions[{i}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: must be an object")
            continue
        dimension_code = str(item.get("code", ""))
        if dimension_code not in DIMENSIONS:
            problems.append(
                f"{where}.code: unknown dimension {dimension_code!r} (economic, social or psychosocial)"
            )
        dimensions.append(
            Dimension(
                code=dimension_code,
                weight=_weight(item.get("weight"), f"{where}.weight", problems),
                name=_texts(item.get("name"), f"{where}.name", problems),
            )
        )
    codes = [d.code for d in dimensions]
    if sorted(codes) != sorted(DIMENSIONS):
        problems.append("dimensions: economic, social and psychosocial, each exactly once")
    total = sum(d.weight for d in dimensions)
    if dimensions and abs(total - 1) > WEIGHT_TOLERANCE:
        problems.append(f"dimensions: the weights add up to {total:g}, not 1")

    raw_indicators = data.get("indicators")
    indicators: list[Indicator] = []
    if not isinstance(raw_indicators, list) or not raw_indicators:
        problems.append("indicators: a list of at least one indicator is needed")
        raw_indicators = []
    seen: set[str] = set()
    for i, item in enumerate(raw_indicators):
        where = f"indicators[{i}]"
        if not isinstance(item, Mapping):
            problems.append(f"{where}: must be an object")
            continue
        indicator_code = str(item.get("code", ""))
        if not INDICATOR_CODE.match(indicator_code):
            problems.append(
                f"{where}.code: lowercase letters, digits and underscores, starting with a letter"
            )
        elif indicator_code in seen:
            problems.append(f"{where}.code: {indicator_code!r} is used twice")
        seen.add(indicator_code)
        dimension_code = str(item.get("dimension", ""))
        if dimension_code not in DIMENSIONS:
            problems.append(f"{where}.dimension: unknown dimension {dimension_code!r}")
        options: list[Option] = []
        raw_options = item.get("options")
        if not isinstance(raw_options, list) or len(raw_options) < 2:
            problems.append(f"{where}.options: at least two options are needed")
            raw_options = []
        values: set[str] = set()
        for j, raw in enumerate(raw_options):
            at = f"{where}.options[{j}]"
            if not isinstance(raw, Mapping):
                problems.append(f"{at}: must be an object")
                continue
            value = str(raw.get("value", ""))
            if not OPTION_VALUE.match(value):
                problems.append(f"{at}.value: lowercase letters, digits and underscores")
            elif value in values:
                problems.append(f"{at}.value: {value!r} is used twice")
            values.add(value)
            score = raw.get("score")
            if score is not None and (
                isinstance(score, bool) or not isinstance(score, (int, float)) or not 0 <= score <= 1
            ):
                problems.append(f"{at}.score: a number from 0 to 1, or null for an answer that is not scored")
                score = None
            options.append(
                Option(
                    value=value,
                    score=None if score is None else float(score),
                    label=_texts(raw.get("label"), f"{at}.label", problems),
                )
            )
        if raw_options and sum(1 for o in options if o.score is not None) < 2:
            problems.append(f"{where}.options: at least two options must have a score")
        indicators.append(
            Indicator(
                code=indicator_code,
                dimension=dimension_code,
                weight=_weight(item.get("weight"), f"{where}.weight", problems),
                question=_texts(item.get("question"), f"{where}.question", problems),
                options=tuple(options),
            )
        )
    for dimension_code in DIMENSIONS:
        these = [i for i in indicators if i.dimension == dimension_code]
        if not these:
            problems.append(f"indicators: the {dimension_code} dimension has no indicator")
            continue
        weights = sum(i.weight for i in these)
        if abs(weights - 1) > WEIGHT_TOLERANCE:
            problems.append(
                f"indicators: the weights of the {dimension_code} dimension add up to {weights:g}, not 1"
            )
    if problems:
        raise InstrumentError(problems)
    order = {code: n for n, code in enumerate(DIMENSIONS)}
    return Instrument(
        code=code,
        name=name,
        description=description,
        dimensions=tuple(sorted(dimensions, key=lambda d: order[d.code])),
        indicators=tuple(indicators),
    )


# --------------------------------------------------------------------------------------------------
# Scoring
# --------------------------------------------------------------------------------------------------


def check_answers(instrument: Instrument, answers: Mapping[str, Any]) -> None:
    """Refuse answers to unknown indicators and values outside an indicator's options (all named at once).
    An indicator left out, or answered with an empty value, is simply not answered."""
    errors: dict[str, str] = {}
    for code, value in answers.items():
        indicator = instrument.indicator(str(code))
        if indicator is None:
            errors[str(code)] = "unknown_indicator"
            continue
        if value in (None, ""):
            continue
        if not isinstance(value, str) or indicator.option(value) is None:
            errors[str(code)] = "not_an_option"
    if errors:
        raise AnswerError(errors)


def _clamp(value: float) -> float:
    """Rounding may stray a hair outside [0, 1]; a score never does."""
    return min(1.0, max(0.0, value))


def score(instrument: Instrument, answers: Mapping[str, Any]) -> Scores:
    """The scores of one set of answers (checked first: see ``check_answers``)."""
    check_answers(instrument, answers)
    dimension_scores: dict[str, float | None] = {}
    answered: dict[str, int] = {}
    for dimension in instrument.dimensions:
        total_weight = 0.0
        total = 0.0
        count = 0
        for indicator in instrument.indicators:
            if indicator.dimension != dimension.code:
                continue
            value = answers.get(indicator.code)
            option = indicator.option(value) if isinstance(value, str) and value else None
            if option is None or option.score is None:
                continue
            total_weight += indicator.weight
            total += indicator.weight * option.score
            count += 1
        answered[dimension.code] = count
        dimension_scores[dimension.code] = _clamp(total / total_weight) if total_weight > 0 else None
    scored = [
        (d.weight, value) for d in instrument.dimensions if (value := dimension_scores[d.code]) is not None
    ]
    weight = sum(w for w, _value in scored)
    composite = _clamp(sum(w * value for w, value in scored) / weight) if weight > 0 else None
    return Scores(dimensions=dimension_scores, composite=composite, answered=answered)


# --------------------------------------------------------------------------------------------------
# Early warning
# --------------------------------------------------------------------------------------------------

SCORE_NAMES: Final = (*DIMENSIONS, "composite")
WARNING_KINDS: Final = (
    "score_drop",
    "dimension_below",
    "intends_to_migrate",
    "documentation_unresolved",
    "referral_declined_twice",
    "no_contact",
    "indicator_fell",
    "follow_up_overdue",
)


@dataclass(frozen=True)
class Survey:
    """What early warning reads of one response: its date, scores and each answered indicator's score."""

    collected_on: Any  # a date
    scores: Mapping[str, float | None]
    indicator_scores: Mapping[str, float | None] = field(default_factory=dict)


@dataclass(frozen=True)
class CaseState:
    """The facts of one case that the rules look at (gathered by ``queries.case_states``)."""

    latest: Survey | None = None
    previous: Survey | None = None
    intends_to_migrate: str = ""
    missing_documents: bool = False
    registered_on: Any = None  # a date
    declined_referrals: int = 0
    last_contact: Any = None  # a date, or None when nobody ever recorded anything
    overdue_follow_ups: tuple[Any, ...] = ()  # due dates of follow-ups not done in time


@dataclass(frozen=True)
class WarningSpec:
    code: str
    kind: str
    severity: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Finding:
    code: str
    kind: str
    severity: str
    details: dict[str, Any]


def validate_warning(kind: str, params: Mapping[str, Any]) -> list[str]:
    """Problems of a rule's parameters (English, for whoever loads rules); empty when it can run."""

    def number(name: str, low: float, high: float) -> list[str]:
        value = params.get(name)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
            return [f"{name}: a number from {low:g} to {high:g}"]
        return []

    if kind not in WARNING_KINDS:
        return [f"kind: one of {', '.join(WARNING_KINDS)}"]
    problems: list[str] = []
    if kind in ("score_drop", "dimension_below") and params.get("score") not in SCORE_NAMES:
        problems.append(f"score: one of {', '.join(SCORE_NAMES)}")
    if kind == "score_drop":
        problems += number("drop", 0.01, 1)
    if kind in ("dimension_below", "indicator_fell"):
        problems += number("below", 0.01, 1)
    if kind in ("documentation_unresolved", "no_contact"):
        problems += number("days", 1, 3650)
    if kind == "referral_declined_twice":
        problems += number("count", 1, 100)
    if kind == "indicator_fell" and not INDICATOR_CODE.match(str(params.get("indicator", ""))):
        problems.append("indicator: the code of an indicator")
    return problems


def _finding(spec: WarningSpec, state: CaseState, today: Any) -> dict[str, Any] | None:
    p = spec.params
    latest, previous = state.latest, state.previous
    if spec.kind == "score_drop":
        if latest is None or previous is None:
            return None
        before, after = previous.scores.get(p["score"]), latest.scores.get(p["score"])
        if before is None or after is None or before - after < p["drop"] - 1e-12:
            return None
        return {
            "score": p["score"],
            "before": round(before, 3),
            "after": round(after, 3),
            "drop": round(before - after, 3),
        }
    if spec.kind == "dimension_below":
        value = latest.scores.get(p["score"]) if latest is not None else None
        if value is None or value >= p["below"]:
            return None
        return {"score": p["score"], "value": round(value, 3), "below": p["below"]}
    if spec.kind == "intends_to_migrate":
        return {} if state.intends_to_migrate == "yes" else None
    if spec.kind == "documentation_unresolved":
        if not state.missing_documents or state.registered_on is None:
            return None
        days = (today - state.registered_on).days
        return {"days": days} if days >= p["days"] else None
    if spec.kind == "referral_declined_twice":
        return {"declined": state.declined_referrals} if state.declined_referrals >= p["count"] else None
    if spec.kind == "no_contact":
        if state.last_contact is None:
            return None
        days = (today - state.last_contact).days
        return {"days": days} if days >= p["days"] else None
    if spec.kind == "follow_up_overdue":
        if not state.overdue_follow_ups:
            return None
        return {"due_on": [d.isoformat() for d in state.overdue_follow_ups]}
    if spec.kind == "indicator_fell":
        if latest is None or previous is None:
            return None
        before = previous.indicator_scores.get(p["indicator"])
        after = latest.indicator_scores.get(p["indicator"])
        if before is None or after is None or not (before >= p["below"] > after):
            return None
        return {"indicator": p["indicator"], "before": before, "after": after}
    return None


def early_warnings(specs: Sequence[WarningSpec], state: CaseState, today: Any) -> list[Finding]:
    """The setbacks the rules find in one case today, in the rules' order."""
    out = []
    for spec in specs:
        details = _finding(spec, state, today)
        if details is not None:
            out.append(Finding(code=spec.code, kind=spec.kind, severity=spec.severity, details=details))
    return out


def indicator_scores(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, float | None]:
    """Each answered indicator's score (None for an answer that is not scored)."""
    out: dict[str, float | None] = {}
    for indicator in instrument.indicators:
        value = answers.get(indicator.code)
        option = indicator.option(value) if isinstance(value, str) else None
        if option is not None:
            out[indicator.code] = option.score
    return out


# --------------------------------------------------------------------------------------------------
# Follow-up schedule
# --------------------------------------------------------------------------------------------------

DEFAULT_FOLLOW_UP_MONTHS: Final = (3, 6, 12, 24)


@dataclass(frozen=True)
class FollowUp:
    due_on: Any  # a date
    source: str  # "return" (months after return) or "plan" (a goal's horizon)
    status: str  # "done", "upcoming", "due" or "overdue"
    done_on: Any = None  # the date of the survey that answered it


def follow_up_schedule(
    *,
    returned_on: Any,
    plan_dates: Sequence[Any] = (),
    survey_dates: Sequence[Any] = (),
    today: Any,
    months: Sequence[int] = DEFAULT_FOLLOW_UP_MONTHS,
    window_days: int = 30,
    notice_days: int = 14,
) -> list[FollowUp]:
    """The follow-ups a case owes: ``months`` after return and at the plan's horizons, each answered by
    the first survey from ``window_days`` before it on; one not answered is upcoming until ``notice_days``
    before it, due until ``window_days`` after it, then overdue. Dates closer than the window merge
    (the earlier stays)."""
    from datetime import timedelta

    from awda.referrals.rules import add_months

    wanted: list[tuple[Any, str]] = []
    if returned_on is not None:
        wanted += [(add_months(returned_on, m), "return") for m in sorted(set(months)) if m > 0]
    wanted += [(d, "plan") for d in plan_dates if d is not None]
    wanted.sort(key=lambda item: item[0])
    merged: list[tuple[Any, str]] = []
    for due, source in wanted:
        if merged and (due - merged[-1][0]).days < window_days:
            continue
        merged.append((due, source))
    surveys = sorted(d for d in survey_dates if d is not None)
    used: set[int] = set()
    out = []
    window = timedelta(days=window_days)
    for due, source in merged:
        match = next((i for i, d in enumerate(surveys) if i not in used and d >= due - window), None)
        if match is not None and surveys[match] <= today:
            used.add(match)
            out.append(FollowUp(due_on=due, source=source, status="done", done_on=surveys[match]))
            continue
        if today < due - timedelta(days=notice_days):
            status = "upcoming"
        elif today <= due + window:
            status = "due"
        else:
            status = "overdue"
        out.append(FollowUp(due_on=due, source=source, status=status))
    return out
