"""Every early-warning rule, at and around its threshold, as pure rules."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from awda.monitoring import rules
from awda.monitoring.rules import CaseState, Survey, WarningSpec

TODAY = date(2026, 11, 27)
DEFAULTS = Path(__file__).resolve().parent.parent / "data" / "warning_rules.json"


def survey(on: date, composite: float | None = None, **scores: Any) -> Survey:
    indicators = scores.pop("indicators", {})
    return Survey(collected_on=on, scores={"composite": composite, **scores}, indicator_scores=indicators)


def fired(kind: str, params: dict[str, Any], state: CaseState) -> list[dict[str, Any]]:
    return [f.details for f in rules.early_warnings([WarningSpec("r", kind, "high", params)], state, TODAY)]


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (0.7, 0.55, [{"score": "composite", "before": 0.7, "after": 0.55, "drop": 0.15}]),
        (0.7, 0.56, []),
        (0.5, 0.9, []),
        (None, 0.2, []),
    ],
)
def test_a_score_drop_fires_from_the_threshold_on(
    before: float | None, after: float, expected: list[Any]
) -> None:
    state = CaseState(latest=survey(TODAY, after), previous=survey(date(2026, 8, 1), before))
    assert fired("score_drop", {"score": "composite", "drop": 0.15}, state) == expected


def test_a_single_survey_cannot_show_a_drop() -> None:
    assert (
        fired("score_drop", {"score": "composite", "drop": 0.1}, CaseState(latest=survey(TODAY, 0.1))) == []
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.29, [{"score": "economic", "value": 0.29, "below": 0.3}]), (0.3, []), (None, [])],
)
def test_a_dimension_below_its_threshold(value: float | None, expected: list[Any]) -> None:
    state = CaseState(latest=survey(TODAY, 0.5, economic=value))
    assert fired("dimension_below", {"score": "economic", "below": 0.3}, state) == expected


@pytest.mark.parametrize(("intention", "expected"), [("yes", [{}]), ("unsure", []), ("no", []), ("", [])])
def test_a_stated_intention_to_migrate_again(intention: str, expected: list[Any]) -> None:
    assert fired("intends_to_migrate", {}, CaseState(intends_to_migrate=intention)) == expected


@pytest.mark.parametrize(
    ("missing", "registered", "expected"),
    [(True, date(2026, 8, 29), [{"days": 90}]), (True, date(2026, 8, 30), []), (False, date(2025, 1, 1), [])],
)
def test_documents_still_missing_after_n_days(missing: bool, registered: date, expected: list[Any]) -> None:
    state = CaseState(missing_documents=missing, registered_on=registered)
    assert fired("documentation_unresolved", {"days": 90}, state) == expected


@pytest.mark.parametrize(("declined", "expected"), [(2, [{"declined": 2}]), (3, [{"declined": 3}]), (1, [])])
def test_referrals_declined_twice(declined: int, expected: list[Any]) -> None:
    assert fired("referral_declined_twice", {"count": 2}, CaseState(declined_referrals=declined)) == expected


@pytest.mark.parametrize(
    ("last", "expected"), [(date(2026, 7, 30), [{"days": 120}]), (date(2026, 7, 31), []), (None, [])]
)
def test_no_contact_for_n_days(last: date | None, expected: list[Any]) -> None:
    assert fired("no_contact", {"days": 120}, CaseState(last_contact=last)) == expected


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (1.0, 0.0, [{"indicator": "employment", "before": 1.0, "after": 0.0}]),
        (0.5, 0.0, [{"indicator": "employment", "before": 0.5, "after": 0.0}]),
        (0.4, 0.0, []),
        (1.0, 0.5, []),
        (None, 0.0, []),
    ],
)
def test_losing_a_job_is_an_answer_falling_below_the_line(
    before: float | None, after: float, expected: list[Any]
) -> None:
    state = CaseState(
        latest=survey(TODAY, 0.5, indicators={"employment": after}),
        previous=survey(date(2026, 5, 1), 0.5, indicators={"employment": before}),
    )
    assert fired("indicator_fell", {"indicator": "employment", "below": 0.5}, state) == expected


def test_rules_run_in_order_and_each_says_its_own_severity() -> None:
    specs = [
        WarningSpec("a", "intends_to_migrate", "high"),
        WarningSpec("b", "no_contact", "low", {"days": 1}),
    ]
    state = CaseState(intends_to_migrate="yes", last_contact=date(2026, 11, 1))
    assert [(f.code, f.severity) for f in rules.early_warnings(specs, state, TODAY)] == [
        ("a", "high"),
        ("b", "low"),
    ]


def test_the_default_rules_are_sound_and_bad_parameters_are_named() -> None:
    defaults = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    assert {r["kind"] for r in defaults} == set(rules.WARNING_KINDS)
    assert all(rules.validate_warning(r["kind"], r["params"]) == [] for r in defaults)
    assert rules.validate_warning("score_drop", {"score": "mood", "drop": 2}) == [
        "score: one of economic, social, psychosocial, composite",
        "drop: a number from 0.01 to 1",
    ]
    assert rules.validate_warning("weather", {}) == [f"kind: one of {', '.join(rules.WARNING_KINDS)}"]
