"""Scoring as pure rules: the instrument's checks, the weighted means, missing answers, bounds."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awda.monitoring import rules

DEFAULT = Path(__file__).resolve().parent.parent / "data" / "instruments" / "awda-reintegration.json"


def texts(word: str) -> dict[str, str]:
    return {"ar": f"نص {word}", "ckb": f"دەق {word}", "en": word}


def option(value: str, score: float | None) -> dict[str, Any]:
    return {"value": value, "score": score, "label": texts(value)}


def small(**overrides: Any) -> dict[str, Any]:
    """An instrument with non-default weights: economic .5, social .3, psychosocial .2; two economic indicators."""
    data: dict[str, Any] = {
        "code": "test-survey",
        "name": texts("survey"),
        "description": texts("about"),
        "dimensions": [
            {"code": "economic", "weight": 0.5, "name": texts("economic")},
            {"code": "social", "weight": 0.3, "name": texts("social")},
            {"code": "psychosocial", "weight": 0.2, "name": texts("psychosocial")},
        ],
        "indicators": [
            {
                "code": "work",
                "dimension": "economic",
                "weight": 0.75,
                "question": texts("work?"),
                "options": [
                    option("none", 0.0),
                    option("some", 0.5),
                    option("full", 1.0),
                    option("skip", None),
                ],
            },
            {
                "code": "food",
                "dimension": "economic",
                "weight": 0.25,
                "question": texts("food?"),
                "options": [option("often", 0.0), option("never", 1.0)],
            },
            {
                "code": "house",
                "dimension": "social",
                "weight": 1.0,
                "question": texts("house?"),
                "options": [option("bad", 0.2), option("good", 0.9)],
            },
            {
                "code": "safe",
                "dimension": "psychosocial",
                "weight": 1.0,
                "question": texts("safe?"),
                "options": [option("no", 0.0), option("yes", 1.0), option("dont_know", None)],
            },
        ],
    }
    data.update(overrides)
    return data


def test_a_worked_example_with_non_default_weights() -> None:
    instrument = rules.parse_instrument(small())
    result = rules.score(instrument, {"work": "some", "food": "never", "house": "bad", "safe": "yes"})
    assert result.dimensions == {
        "economic": pytest.approx(0.625),
        "social": pytest.approx(0.2),
        "psychosocial": 1.0,
    }
    assert result.composite == pytest.approx(0.5 * 0.625 + 0.3 * 0.2 + 0.2 * 1.0)
    assert result.answered == {"economic": 2, "social": 1, "psychosocial": 1}


def test_missing_and_unscored_answers_leave_the_weights_renormalised() -> None:
    instrument = rules.parse_instrument(small())
    # "work" skipped (null score): economic rests on food alone; psychosocial "don't know": no score
    result = rules.score(instrument, {"work": "skip", "food": "often", "house": "good", "safe": "dont_know"})
    assert result.dimensions == {"economic": 0.0, "social": pytest.approx(0.9), "psychosocial": None}
    assert result.composite == pytest.approx((0.5 * 0.0 + 0.3 * 0.9) / 0.8)
    assert result.answered == {"economic": 1, "social": 1, "psychosocial": 0}


def test_nothing_answered_gives_no_score_at_all() -> None:
    result = rules.score(rules.parse_instrument(small()), {"work": "", "safe": None})
    assert (result.dimensions, result.composite) == (
        {"economic": None, "social": None, "psychosocial": None},
        None,
    )


def test_answers_outside_the_options_and_unknown_indicators_are_named() -> None:
    instrument = rules.parse_instrument(small())
    with pytest.raises(rules.AnswerError) as refused:
        rules.score(instrument, {"work": "lots", "pets": "cat", "food": 3, "house": "good"})
    assert refused.value.fields == {
        "work": "not_an_option",
        "pets": "unknown_indicator",
        "food": "not_an_option",
    }


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["dimensions"][0].update(weight=0.6), "dimensions: the weights add up to 1.1, not 1"),
        (
            lambda d: d["dimensions"][2].update(code="spiritual"),
            "dimensions[2].code: unknown dimension 'spiritual' (economic, social or psychosocial)",
        ),
        (
            lambda d: d["indicators"][0].update(weight=0.5),
            "indicators: the weights of the economic dimension add up to 0.75, not 1",
        ),
        (lambda d: d["indicators"][1].update(code="work"), "indicators[1].code: 'work' is used twice"),
        (
            lambda d: d["indicators"][2]["options"][0].update(score=1.5),
            "indicators[2].options[0].score: a number from 0 to 1, or null for an answer that is not scored",
        ),
        (
            lambda d: d["indicators"][2]["options"][1].update(value="bad"),
            "indicators[2].options[1].value: 'bad' is used twice",
        ),
        (
            lambda d: d["indicators"][3]["options"].pop(1),
            "indicators[3].options: at least two options must have a score",
        ),
        (
            lambda d: d["indicators"][3]["question"].pop("ckb"),
            "indicators[3].question: the text is missing in ckb",
        ),
        (lambda d: d["indicators"].pop(2), "indicators: the social dimension has no indicator"),
        (
            lambda d: d.update(code="Test Survey"),
            "code: lowercase letters, digits and hyphens, such as awda-reintegration",
        ),
        (
            lambda d: d["dimensions"][1].update(weight=-0.3),
            "dimensions[1].weight: the weight must be a number above 0",
        ),
    ],
)
def test_an_instrument_that_does_not_add_up_is_refused_with_the_place_named(
    change: Any, problem: str
) -> None:
    data = small()
    change(data)
    with pytest.raises(rules.InstrumentError) as refused:
        rules.parse_instrument(data)
    assert problem in refused.value.problems


def test_the_default_instrument_is_sound() -> None:
    instrument = rules.parse_instrument(json.loads(DEFAULT.read_text(encoding="utf-8")))
    assert instrument.code == "awda-reintegration"
    assert 14 <= len(instrument.indicators) <= 18
    assert {i.dimension for i in instrument.indicators} == set(rules.DIMENSIONS)
    best = {
        i.code: max((o for o in i.options if o.score is not None), key=lambda o: o.score or 0.0).value
        for i in instrument.indicators
    }
    worst = {
        i.code: min((o for o in i.options if o.score is not None), key=lambda o: o.score or 0.0).value
        for i in instrument.indicators
    }
    # Every indicator runs from 0 (the worst situation) to 1 (the best), so the extremes score 0 and 1.
    assert all(max(o.score for o in i.options if o.score is not None) == 1.0 for i in instrument.indicators)
    assert all(min(o.score for o in i.options if o.score is not None) == 0.0 for i in instrument.indicators)
    assert rules.score(instrument, best).composite == pytest.approx(1.0)
    assert rules.score(instrument, worst).composite == pytest.approx(0.0)
    assert rules.score(instrument, best).answered == {
        d: sum(1 for i in instrument.indicators if i.dimension == d) for d in rules.DIMENSIONS
    }


def _oracle(data: dict[str, Any], answers: dict[str, str]) -> tuple[dict[str, float | None], float | None]:
    """Written apart from the rules: straight from the definition in docs/instruments.md."""
    by_dimension: dict[str, list[tuple[float, float]]] = {d["code"]: [] for d in data["dimensions"]}
    for indicator in data["indicators"]:
        chosen = answers.get(indicator["code"])
        scores = {o["value"]: o["score"] for o in indicator["options"]}
        if chosen in scores and scores[chosen] is not None:
            by_dimension[indicator["dimension"]].append((indicator["weight"], scores[chosen]))
    dims: dict[str, float | None] = {}
    for code, pairs in by_dimension.items():
        weight = sum(w for w, _s in pairs)
        dims[code] = sum(w * s for w, s in pairs) / weight if pairs else None
    weights = {d["code"]: d["weight"] for d in data["dimensions"]}
    scored = [(weights[c], v) for c, v in dims.items() if v is not None]
    composite = sum(w * v for w, v in scored) / sum(w for w, _v in scored) if scored else None
    return dims, composite


@st.composite
def instruments_and_answers(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, str]]:
    data = copy.deepcopy(small())
    raw = draw(st.lists(st.integers(min_value=1, max_value=100), min_size=3, max_size=3))
    for dimension, share in zip(data["dimensions"], raw, strict=True):
        dimension["weight"] = share / sum(raw)
    split = draw(st.integers(min_value=1, max_value=99))
    data["indicators"][0]["weight"], data["indicators"][1]["weight"] = split / 100, 1 - split / 100
    for indicator in data["indicators"]:
        for item in indicator["options"]:
            if item["score"] is not None:
                item["score"] = draw(st.floats(min_value=0, max_value=1))
    answers = {}
    for indicator in data["indicators"]:
        choice = draw(st.sampled_from([None, "", *[o["value"] for o in indicator["options"]]]))
        if choice is not None:
            answers[indicator["code"]] = choice
    return data, answers


@settings(max_examples=300, deadline=None)
@given(instruments_and_answers())
def test_scores_agree_with_the_definition_and_stay_within_bounds(
    case: tuple[dict[str, Any], dict[str, str]],
) -> None:
    data, answers = case
    result = rules.score(rules.parse_instrument(data), answers)
    dims, composite = _oracle(data, answers)
    for code, value in dims.items():
        if value is None:
            assert result.dimensions[code] is None
        else:
            assert result.dimensions[code] == pytest.approx(value, abs=1e-9)
            assert 0.0 <= result.dimensions[code] <= 1.0  # type: ignore[operator]
    if composite is None:
        assert result.composite is None
    else:
        assert result.composite == pytest.approx(composite, abs=1e-9)
        assert 0.0 <= result.composite <= 1.0
