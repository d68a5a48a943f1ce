"""The categorisation rules: facts, the condition language, explanations, shipped categories, conflicts."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awda.registry import rules
from awda.registry.rules import (
    FACTS,
    LIST_VALUE_OPERATORS,
    MAX_DEPTH,
    NO_VALUE_OPERATORS,
    OPERATORS,
    OPERATORS_BY_TYPE,
    CategoryResult,
    CategoryRuleSpec,
    ConditionError,
    FactSpec,
    Reason,
    categorise,
    evaluate,
    explain,
    find_conflicts,
    load_default_specs,
    spec_from_dict,
    spec_to_dict,
    validate_condition,
    validate_facts,
)

# Letters that tell the two scripts apart: Sorani writes ک ی ە where Arabic writes ك ي ة/ه, and has
# ێ ۆ ڵ ڕ ڤ that Arabic lacks. A text in the wrong script is a translation someone has to redo.
ARABIC_ONLY = set("كيىة")
KURDISH_ONLY = set("کیەێۆڵڕڤ")

ALL_UNKNOWN: dict[str, object] = dict.fromkeys(FACTS)
# What a fresh case form gives: unknowns, but booleans answered "no", counts and lists empty.
FRESH: dict[str, object] = {
    **ALL_UNKNOWN,
    "times_displaced": 0,
    "has_qualification": False,
    "has_recognised_qualification": False,
    "is_head_of_household": False,
    "household_size": 1,
    "dependants": 0,
    "vulnerabilities": [],
    "needs": [],
    "has_debt": False,
    "sold_assets_to_migrate": False,
    "missing_documents": False,
}


def facts(**known: object) -> dict[str, object]:
    return {**FRESH, **known}


def leaf(fact: str, op: str, *value: object) -> dict[str, Any]:
    node: dict[str, Any] = {"fact": fact, "op": op}
    if value:
        node["value"] = value[0]
    return node


def assert_texts(texts: dict[str, str]) -> None:
    assert set(texts) == {"ar", "ckb", "en"}
    assert all(text.strip() for text in texts.values()), texts
    assert texts["ar"] != texts["en"], texts
    assert texts["ckb"] != texts["en"], texts
    assert not ARABIC_ONLY & set(texts["ckb"]), texts["ckb"]
    assert not KURDISH_ONLY & set(texts["ar"]), texts["ar"]


def codes(errors: list[ConditionError]) -> list[tuple[str, str]]:
    return [(error.path, error.code) for error in errors]


# ---------------------------------------------------------------------------------------------------
# The facts
# ---------------------------------------------------------------------------------------------------


def test_the_facts_are_exactly_those_the_registry_computes() -> None:
    assert {name: fact.type for name, fact in FACTS.items()} == {
        "age": "int",
        "sex": "choice",
        "return_type": "choice",
        "status_abroad": "choice",
        "country_returned_from": "text",
        "country_region": "choice",
        "months_since_return": "int",
        "time_abroad_months": "int",
        "times_displaced": "int",
        "education_level": "int",
        "has_qualification": "bool",
        "has_recognised_qualification": "bool",
        "highest_skill_level": "int",
        "employment_status": "choice",
        "is_head_of_household": "bool",
        "household_size": "int",
        "dependants": "int",
        "vulnerabilities": "multi",
        "needs": "multi",
        "intends_to_migrate_again": "choice",
        "has_debt": "bool",
        "sold_assets_to_migrate": "bool",
        "missing_documents": "bool",
        "settlement": "choice",
        "governorate": "text",
    }
    assert all(name == fact.name for name, fact in FACTS.items())


def test_choices_follow_the_case_form() -> None:
    choices = {name: list(fact.choices) for name, fact in FACTS.items() if fact.choices}
    assert choices == {
        "sex": ["male", "female"],
        "return_type": [
            "assisted_voluntary",
            "spontaneous_voluntary",
            "forced",
            "evacuated",
            "internal_return",
        ],
        "status_abroad": [
            "rejected_asylum_seeker",
            "asylum_seeker",
            "refugee",
            "irregular",
            "worker",
            "student",
            "other",
        ],
        "country_region": ["europe", "middle_east", "africa", "asia", "americas", "oceania"],
        "employment_status": [
            "employed",
            "self_employed",
            "unemployed_seeking",
            "unemployed_not_seeking",
            "student",
            "unable_to_work",
            "retired",
        ],
        "vulnerabilities": [
            "female_head_of_household",
            "unaccompanied_child",
            "separated_child",
            "older_person",
            "disability",
            "chronic_illness",
            "trafficking_survivor",
            "violence_survivor",
            "pregnant_or_lactating",
            "single_parent",
        ],
        "needs": [
            "legal",
            "documentation",
            "housing",
            "employment",
            "vocational_training",
            "business_startup",
            "financial",
            "health",
            "psychosocial",
            "education",
            "social",
        ],
        "intends_to_migrate_again": ["yes", "unsure", "no"],
        "settlement": ["urban", "rural"],
    }


def test_int_facts_are_bounded_by_their_classifications() -> None:
    bounds = {name: (f.minimum, f.maximum) for name, f in FACTS.items() if f.type == "int"}
    assert bounds == {
        "age": (0, 130),
        "months_since_return": (0, 1200),
        "time_abroad_months": (0, 1200),
        "times_displaced": (0, 100),
        "education_level": (0, 8),  # ISCED 2011
        "highest_skill_level": (1, 4),  # ISCO-08
        "household_size": (1, 100),
        "dependants": (0, 100),
    }


def test_every_label_is_translated_into_the_right_script() -> None:
    for fact in FACTS.values():
        assert_texts(fact.label)
        for label in fact.choices.values():
            assert_texts(label)
        if fact.type == "text":
            assert fact.format_hint is not None
            assert_texts(fact.format_hint)
    assert FACTS["age"].label == {"ar": "العمر", "ckb": "تەمەن", "en": "Age"}
    assert FACTS["sex"].choices["female"] == {"ar": "أنثى", "ckb": "مێ", "en": "female"}


def test_operators_by_type_cover_the_language() -> None:
    assert dict(OPERATORS_BY_TYPE) == {
        "int": ("==", "!=", "<", "<=", ">", ">=", "is_empty", "not_empty"),
        "bool": ("==", "!=", "is_true", "is_false", "is_empty", "not_empty"),
        "choice": ("==", "!=", "in", "not_in", "is_empty", "not_empty"),
        "text": ("==", "!=", "in", "not_in", "is_empty", "not_empty"),
        "multi": ("contains", "contains_any", "contains_all", "is_empty", "not_empty"),
    }
    assert {op for ops in OPERATORS_BY_TYPE.values() for op in ops} == set(OPERATORS)


# ---------------------------------------------------------------------------------------------------
# validate_condition
# ---------------------------------------------------------------------------------------------------

FACT_OF_TYPE = {"int": "age", "bool": "has_debt", "choice": "sex", "multi": "needs", "text": "governorate"}
GOOD_VALUE: dict[tuple[str, str], object] = {
    **{("int", op): 18 for op in ("==", "!=", "<", "<=", ">", ">=")},
    ("bool", "=="): True,
    ("bool", "!="): False,
    ("choice", "=="): "female",
    ("choice", "!="): "male",
    ("choice", "in"): ["female"],
    ("choice", "not_in"): ["male", "female"],
    ("multi", "contains"): "legal",
    ("multi", "contains_any"): ["legal", "housing"],
    ("multi", "contains_all"): ["legal"],
    ("text", "=="): "IQG08",
    ("text", "!="): "IQG11",
    ("text", "in"): ["IQG08", "IQG11"],
    ("text", "not_in"): ["IQG08"],
}
# Written out again on purpose: a change to the language must change this test too.
ALLOWED = {
    "int": {"==", "!=", "<", "<=", ">", ">=", "is_empty", "not_empty"},
    "bool": {"==", "!=", "is_true", "is_false", "is_empty", "not_empty"},
    "choice": {"==", "!=", "in", "not_in", "is_empty", "not_empty"},
    "text": {"==", "!=", "in", "not_in", "is_empty", "not_empty"},
    "multi": {"contains", "contains_any", "contains_all", "is_empty", "not_empty"},
}


@pytest.mark.parametrize("fact_type", sorted(FACT_OF_TYPE))
@pytest.mark.parametrize("op", OPERATORS)
def test_every_operator_on_every_fact_type(fact_type: str, op: str) -> None:
    fact = FACT_OF_TYPE[fact_type]
    if op not in ALLOWED[fact_type]:
        # Given a value of the right shape for the operator, the refusal is about the operator alone.
        value = next((v for (t, o), v in GOOD_VALUE.items() if o == op), None)
        node = leaf(fact, op) if op in NO_VALUE_OPERATORS else leaf(fact, op, value)
        assert codes(validate_condition(node)) == [("", "operator_not_for_fact")]
        return
    if op in NO_VALUE_OPERATORS:
        assert validate_condition(leaf(fact, op)) == []
        assert codes(validate_condition(leaf(fact, op, True))) == [("", "unexpected_value")]
    else:
        assert validate_condition(leaf(fact, op, GOOD_VALUE[fact_type, op])) == []
        assert codes(validate_condition(leaf(fact, op))) == [("", "missing_value")]
    # In a group, the same leaf is found by its path.
    assert codes(validate_condition({"all": [leaf("age", "<", 18), {"any": [leaf(fact, "~")]}]})) == [
        ("all[1].any[0]", "unknown_operator")
    ]


INVALID_VALUES: list[tuple[dict[str, Any], list[str]]] = [
    # int
    (leaf("age", "<", "18"), ["wrong_value_type"]),
    (leaf("age", "<", True), ["wrong_value_type"]),
    (leaf("age", ">=", 17.5), ["wrong_value_type"]),
    (leaf("age", "==", None), ["wrong_value_type"]),
    (leaf("age", "<", [18]), ["wrong_value_type"]),
    (leaf("age", ">", -1), ["out_of_range"]),
    (leaf("age", "<", 131), ["out_of_range"]),
    (leaf("education_level", ">=", 9), ["out_of_range"]),
    (leaf("highest_skill_level", "!=", 0), ["out_of_range"]),
    # bool
    (leaf("has_debt", "==", "yes"), ["wrong_value_type"]),
    (leaf("has_debt", "!=", 1), ["wrong_value_type"]),
    (leaf("has_debt", "is_true", True), ["unexpected_value"]),
    (leaf("has_debt", "is_false", None), ["unexpected_value"]),
    # choice
    (leaf("sex", "==", "woman"), ["unknown_choice"]),
    (leaf("sex", "==", "Female"), ["unknown_choice"]),
    (leaf("sex", "!=", 1), ["wrong_value_type"]),
    (leaf("sex", "in", "female"), ["wrong_value_type"]),
    (leaf("sex", "in", []), ["empty_list"]),
    (leaf("sex", "in", ["female", "x"]), ["unknown_choice"]),
    (leaf("sex", "not_in", ["female", 3, "y"]), ["wrong_value_type", "unknown_choice"]),
    (leaf("return_type", "==", "deported"), ["unknown_choice"]),
    # multi
    (leaf("needs", "contains", "money"), ["unknown_choice"]),
    (leaf("needs", "contains", ["legal"]), ["wrong_value_type"]),
    (leaf("needs", "contains_any", []), ["empty_list"]),
    (leaf("needs", "contains_all", "legal"), ["wrong_value_type"]),
    (leaf("needs", "contains_any", ["legal", "x", "y"]), ["unknown_choice", "unknown_choice"]),
    (leaf("vulnerabilities", "contains", "legal"), ["unknown_choice"]),
    # text
    (leaf("governorate", "==", "Baghdad"), ["wrong_value_format"]),
    (leaf("governorate", "==", "iqg08"), ["wrong_value_format"]),
    (leaf("governorate", "==", 8), ["wrong_value_type"]),
    (leaf("governorate", "in", []), ["empty_list"]),
    (leaf("governorate", "in", ["IQG08", "x"]), ["wrong_value_format"]),
    (leaf("country_returned_from", "==", "DEU"), ["wrong_value_format"]),
    (leaf("country_returned_from", "!=", "de"), ["wrong_value_format"]),
    (leaf("country_returned_from", "not_in", ["DE", {"x": 1}]), ["wrong_value_type"]),
]


@pytest.mark.parametrize(("node", "expected"), INVALID_VALUES)
def test_invalid_values_are_named(node: dict[str, Any], expected: list[str]) -> None:
    errors = validate_condition({"any": [leaf("age", "<", 18), {"not": node}]})
    assert codes(errors) == [("any[1].not", code) for code in expected]
    for error in errors:
        assert_texts(error.message)


STRUCTURE: list[tuple[object, list[tuple[str, str]]]] = [
    (5, [("", "not_an_object")]),
    ("age < 18", [("", "not_an_object")]),
    (None, [("", "not_an_object")]),
    ([leaf("age", "<", 18)], [("", "not_an_object")]),
    ({}, [("", "missing_key")]),
    ({"op": "<", "value": 18}, [("", "missing_key")]),
    ({"all": [leaf("age", "<", 18)], "fact": "age"}, [("", "mixed_node")]),
    ({"not": leaf("age", "<", 18), "any": []}, [("", "mixed_node")]),
    ({"all": []}, [("", "empty_group")]),
    ({"any": []}, [("", "empty_group")]),
    ({"any": {"fact": "age"}}, [("", "not_a_list")]),
    ({"all": "age"}, [("", "not_a_list")]),
    ({"all": [leaf("age", "<", 18)], "note": "x"}, [("", "unknown_key")]),
    ({"not": leaf("age", "<", 18), "op": "<"}, [("", "unknown_key")]),
    ({"fact": "age", "op": "<", "value": 18, "note": "x", "unit": "years"}, [("", "unknown_key")] * 2),
    ({"fact": "height", "op": "<", "value": 180}, [("", "unknown_fact")]),
    ({"fact": 3, "op": "<", "value": 18}, [("", "unknown_fact")]),
    ({"fact": "Age", "op": "<", "value": 18}, [("", "unknown_fact")]),
    ({"fact": "age"}, [("", "missing_operator")]),
    ({"fact": "age", "op": "~", "value": 1}, [("", "unknown_operator")]),
    ({"fact": "age", "op": None}, [("", "unknown_operator")]),
    ({"fact": "age", "op": "less_than", "value": 18}, [("", "unknown_operator")]),
    ({"not": 3}, [("not", "not_an_object")]),
    (
        {"all": [leaf("age", "<", 18), 7, {"any": [{}]}]},
        [("all[1]", "not_an_object"), ("all[2].any[0]", "missing_key")],
    ),
    (
        {"any": [{"not": {"all": [leaf("sex", "==", "x")]}}, {"all": [leaf("needs", "in", ["legal"])]}]},
        [("any[0].not.all[0]", "unknown_choice"), ("any[1].all[0]", "operator_not_for_fact")],
    ),
]


@pytest.mark.parametrize(("condition", "expected"), STRUCTURE)
def test_structural_mistakes_are_located(condition: object, expected: list[tuple[str, str]]) -> None:
    errors = validate_condition(condition)
    assert codes(errors) == expected
    for error in errors:
        assert_texts(error.message)


def nested_nots(levels: int) -> dict[str, Any]:
    node: dict[str, Any] = leaf("age", "<", 18)
    for _ in range(levels):
        node = {"not": node}
    return node


def test_conditions_are_at_most_eight_levels_deep() -> None:
    assert MAX_DEPTH == 8
    assert validate_condition(nested_nots(MAX_DEPTH - 1)) == []
    assert codes(validate_condition(nested_nots(MAX_DEPTH))) == [(".".join(["not"] * 8), "too_deep")]
    deep_groups: dict[str, Any] = leaf("age", "<", 18)
    for _ in range(MAX_DEPTH):
        deep_groups = {"all": [deep_groups]}
    assert codes(validate_condition(deep_groups)) == [(".".join(["all[0]"] * 8), "too_deep")]
    # Hostile input far beyond the limit is refused without recursing into it.
    assert codes(validate_condition(nested_nots(100_000))) == [(".".join(["not"] * 8), "too_deep")]


def test_every_error_code_is_exercised() -> None:
    seen = {code for _, expected in INVALID_VALUES for code in expected}
    seen |= {code for _, expected in STRUCTURE for _, code in expected}
    seen |= {"operator_not_for_fact", "missing_value", "unexpected_value", "too_deep"}
    assert seen == set(rules._ERRORS)
    assert {
        "not_an_object",
        "unknown_key",
        "empty_group",
        "unknown_fact",
        "unknown_operator",
        "operator_not_for_fact",
        "missing_value",
        "unexpected_value",
        "wrong_value_type",
        "unknown_choice",
        "too_deep",
    } <= seen


def test_error_messages_name_the_fact_and_the_mistake() -> None:
    [error] = validate_condition({"all": [leaf("sex", "<", 18)]})
    assert error == ConditionError(
        path="all[0]",
        code="operator_not_for_fact",
        message={
            "ar": "لا يمكن استخدام العامل «<» مع «الجنس»؛ استخدم أحد العوامل: ==, !=, in, not_in, is_empty, not_empty.",
            "ckb": "کرداری «<» لەگەڵ «ڕەگەز» بەکارناهێنرێت؛ یەکێک لەمانە بەکاربهێنە: ==, !=, in, not_in, is_empty, not_empty.",
            "en": "The operator “<” cannot be used with “Sex”; use one of: ==, !=, in, not_in, is_empty, not_empty.",
        },
    )
    [error] = validate_condition(leaf("age", ">=", 200))
    assert error.message["en"] == "200 is outside the range of “Age” (0 to 130)."
    [error] = validate_condition(leaf("governorate", "==", "Baghdad"))
    assert (
        error.message["en"]
        == "“Baghdad” is not a valid “Governorate”: use an OCHA governorate P-code, such as IQG08."
    )
    [error] = validate_condition({"fact": "height", "op": "<", "value": 1})
    assert error.message == {
        "ar": "معلومة غير معروفة: «height».",
        "ckb": "زانیاریی نەناسراو: «height».",
        "en": "Unknown fact “height”.",
    }
    [error] = validate_condition(leaf("age", "<", 10**100))
    assert error.message["en"] == "a very large number is outside the range of “Age” (0 to 130)."


# ---------------------------------------------------------------------------------------------------
# evaluate
# ---------------------------------------------------------------------------------------------------

EVALUATIONS: list[tuple[dict[str, Any], object, bool]] = [
    # int
    (leaf("age", "==", 18), 18, True),
    (leaf("age", "==", 18), 17, False),
    (leaf("age", "!=", 18), 17, True),
    (leaf("age", "!=", 18), 18, False),
    (leaf("age", "<", 18), 17, True),
    (leaf("age", "<", 18), 18, False),
    (leaf("age", "<=", 18), 18, True),
    (leaf("age", "<=", 18), 19, False),
    (leaf("age", ">", 60), 61, True),
    (leaf("age", ">", 60), 60, False),
    (leaf("age", ">=", 60), 60, True),
    (leaf("age", ">=", 60), 59, False),
    (leaf("age", "is_empty"), None, True),
    (leaf("age", "is_empty"), 0, False),
    (leaf("age", "not_empty"), 0, True),
    (leaf("age", "not_empty"), None, False),
    # bool
    (leaf("has_debt", "==", True), True, True),
    (leaf("has_debt", "==", True), False, False),
    (leaf("has_debt", "==", False), False, True),
    (leaf("has_debt", "!=", True), False, True),
    (leaf("has_debt", "!=", True), True, False),
    (leaf("has_debt", "is_true"), True, True),
    (leaf("has_debt", "is_true"), False, False),
    (leaf("has_debt", "is_false"), False, True),
    (leaf("has_debt", "is_false"), True, False),
    (leaf("has_debt", "is_empty"), None, True),
    (leaf("has_debt", "is_empty"), False, False),
    (leaf("has_debt", "not_empty"), False, True),
    # choice
    (leaf("sex", "==", "female"), "female", True),
    (leaf("sex", "==", "female"), "male", False),
    (leaf("sex", "!=", "female"), "male", True),
    (leaf("sex", "!=", "female"), "female", False),
    (leaf("sex", "in", ["female"]), "female", True),
    (leaf("sex", "in", ["female"]), "male", False),
    (leaf("sex", "not_in", ["female"]), "male", True),
    (leaf("sex", "not_in", ["female"]), "female", False),
    (leaf("sex", "is_empty"), None, True),
    (leaf("sex", "not_empty"), "male", True),
    # multi
    (leaf("needs", "contains", "legal"), ["legal"], True),
    (leaf("needs", "contains", "legal"), ["housing"], False),
    (leaf("needs", "contains", "legal"), [], False),
    (leaf("needs", "contains_any", ["legal", "housing"]), ["housing", "health"], True),
    (leaf("needs", "contains_any", ["legal", "housing"]), ["health"], False),
    (leaf("needs", "contains_all", ["legal", "housing"]), ["housing", "health", "legal"], True),
    (leaf("needs", "contains_all", ["legal", "housing"]), ["legal"], False),
    (leaf("needs", "is_empty"), [], True),
    (leaf("needs", "is_empty"), ["legal"], False),
    (leaf("needs", "not_empty"), ["legal"], True),
    (leaf("needs", "not_empty"), [], False),
    # text: an empty text is an unanswered question, the same as None
    (leaf("governorate", "==", "IQG08"), "IQG08", True),
    (leaf("governorate", "==", "IQG08"), "IQG11", False),
    (leaf("governorate", "!=", "IQG08"), "IQG11", True),
    (leaf("governorate", "!=", "IQG08"), "IQG08", False),
    (leaf("governorate", "!=", "IQG08"), "", False),
    (leaf("governorate", "in", ["IQG08", "IQG11"]), "IQG11", True),
    (leaf("governorate", "in", ["IQG08", "IQG11"]), "IQG01", False),
    (leaf("governorate", "not_in", ["IQG08"]), "IQG01", True),
    (leaf("governorate", "not_in", ["IQG08"]), "IQG08", False),
    (leaf("governorate", "is_empty"), "", True),
    (leaf("governorate", "is_empty"), "IQG08", False),
    (leaf("governorate", "not_empty"), "", False),
]


@pytest.mark.parametrize(("node", "actual", "expected"), EVALUATIONS)
def test_each_operator_and_its_negation(node: dict[str, Any], actual: object, expected: bool) -> None:
    known = facts(**{node["fact"]: actual})
    assert evaluate(node, known) is expected
    assert evaluate({"not": node}, known) is (not expected)
    assert evaluate({"not": {"not": node}}, known) is expected


@pytest.mark.parametrize("op", [op for op in OPERATORS if op != "is_empty"])
@pytest.mark.parametrize("fact_type", sorted(FACT_OF_TYPE))
def test_an_unknown_fact_is_false_for_every_operator_but_is_empty(fact_type: str, op: str) -> None:
    if op not in ALLOWED[fact_type]:
        return
    fact = FACT_OF_TYPE[fact_type]
    node = leaf(fact, op) if op in NO_VALUE_OPERATORS else leaf(fact, op, GOOD_VALUE[fact_type, op])
    assert evaluate(node, ALL_UNKNOWN) is False
    # Only an explicit "not" lets unknown data through, and it is visible in the rule.
    assert evaluate({"not": node}, ALL_UNKNOWN) is True
    assert evaluate(leaf(fact, "is_empty"), ALL_UNKNOWN) is True
    # A key the caller left out counts as unknown.
    assert evaluate(node, {}) is False


def test_groups_combine_their_members() -> None:
    young, female = leaf("age", "<", 18), leaf("sex", "==", "female")
    girl = facts(age=12, sex="female")
    boy = facts(age=12, sex="male")
    assert evaluate({"all": [young, female]}, girl) is True
    assert evaluate({"all": [young, female]}, boy) is False
    assert evaluate({"any": [female, leaf("age", ">", 60)]}, boy) is False
    assert evaluate({"any": [female, young]}, boy) is True
    assert evaluate({"all": [young, {"not": female}]}, boy) is True
    assert evaluate({"all": [young]}, facts(age=None)) is False


# ---------------------------------------------------------------------------------------------------
# explain
# ---------------------------------------------------------------------------------------------------

REASONS_WHEN_TRUE: list[tuple[dict[str, Any], object, str]] = [
    (leaf("age", "==", 18), 18, "Age is 18"),
    (leaf("age", "!=", 18), 17, "Age is 17, not 18"),
    (leaf("age", "<", 18), 16, "Age is 16, under 18"),
    (leaf("age", "<=", 18), 18, "Age is 18, at most 18"),
    (leaf("age", ">", 60), 61, "Age is 61, over 60"),
    (leaf("age", ">=", 60), 60, "Age is 60, at least 60"),
    (leaf("age", "is_empty"), None, "Age: not recorded"),
    (leaf("age", "not_empty"), 30, "Age: 30"),
    (leaf("has_debt", "==", True), True, "Has debt: yes"),
    (leaf("has_debt", "!=", True), False, "Has debt: no"),
    (leaf("has_debt", "is_true"), True, "Has debt: yes"),
    (leaf("has_debt", "is_false"), False, "Has debt: no"),
    (leaf("has_debt", "not_empty"), False, "Has debt: no"),
    (leaf("sex", "==", "female"), "female", "Sex: female"),
    (leaf("sex", "!=", "female"), "male", "Sex: male, not female"),
    (leaf("sex", "in", ["male", "female"]), "female", "Sex: female"),
    (
        leaf("return_type", "not_in", ["forced", "evacuated"]),
        "assisted_voluntary",
        "Return type: assisted voluntary return, not forced return or evacuation by the government",
    ),
    (leaf("sex", "not_empty"), "male", "Sex: male"),
    (leaf("needs", "contains", "legal"), ["housing", "legal"], "Needs include legal aid"),
    (
        leaf("needs", "contains_any", ["housing", "health", "legal"]),
        ["legal", "health"],
        "Needs include health care and legal aid",
    ),
    (
        leaf("needs", "contains_all", ["legal", "housing"]),
        ["housing", "legal"],
        "Needs include legal aid and housing",
    ),
    (
        leaf("needs", "contains_all", ["legal", "housing", "health"]),
        ["health", "housing", "legal"],
        "Needs include legal aid, housing and health care",
    ),
    (leaf("needs", "is_empty"), [], "Needs: none"),
    (leaf("needs", "is_empty"), None, "Needs: not recorded"),
    (leaf("needs", "not_empty"), ["legal", "housing"], "Needs: legal aid, housing"),
    (leaf("governorate", "==", "IQG08"), "IQG08", "Governorate: IQG08"),
    (leaf("governorate", "!=", "IQG08"), "IQG11", "Governorate: IQG11, not IQG08"),
    (leaf("governorate", "in", ["IQG08", "IQG11"]), "IQG11", "Governorate: IQG11"),
    (leaf("governorate", "not_in", ["IQG08", "IQG11"]), "IQG01", "Governorate: IQG01, not IQG08 or IQG11"),
    (leaf("governorate", "is_empty"), "", "Governorate: not recorded"),
    (leaf("country_returned_from", "==", "DE"), "DE", "Country returned from: DE"),
]


@pytest.mark.parametrize(("node", "actual", "english"), REASONS_WHEN_TRUE)
def test_a_true_leaf_says_why(node: dict[str, Any], actual: object, english: str) -> None:
    [reason] = explain(node, facts(**{node["fact"]: actual}))
    assert (reason.fact, reason.text["en"]) == (node["fact"], english)
    assert_texts(reason.text)


REASONS_UNDER_NOT: list[tuple[dict[str, Any], object, str]] = [
    (leaf("age", "<", 18), 30, "Age is 30, at least 18"),
    (leaf("age", "<=", 18), 30, "Age is 30, over 18"),
    (leaf("age", ">", 60), 40, "Age is 40, at most 60"),
    (leaf("age", ">=", 60), 40, "Age is 40, under 60"),
    (leaf("age", "==", 18), 30, "Age is 30, not 18"),
    (leaf("age", "!=", 18), 18, "Age is 18"),
    (leaf("age", "<", 18), None, "Age: not recorded, so the condition (under 18) is not established"),
    (leaf("age", ">=", 60), None, "Age: not recorded, so the condition (at least 60) is not established"),
    (leaf("age", "is_empty"), 30, "Age: 30"),
    (leaf("age", "not_empty"), None, "Age: not recorded"),
    (leaf("has_debt", "is_true"), False, "Has debt: no"),
    (leaf("has_debt", "is_false"), True, "Has debt: yes"),
    (leaf("has_debt", "==", False), True, "Has debt: yes"),
    (leaf("has_debt", "is_true"), None, "Has debt: not recorded, so the condition (yes) is not established"),
    (leaf("has_debt", "==", False), None, "Has debt: not recorded, so the condition (no) is not established"),
    (leaf("sex", "==", "male"), "female", "Sex: female, not male"),
    (leaf("sex", "!=", "male"), "male", "Sex: male"),
    (
        leaf("sex", "!=", "male"),
        None,
        "Sex: not recorded, so the condition (other than male) is not established",
    ),
    (leaf("sex", "in", ["male"]), "female", "Sex: female, not male"),
    (leaf("sex", "not_in", ["male"]), "male", "Sex: male"),
    (
        leaf("return_type", "in", ["forced", "evacuated"]),
        None,
        "Return type: not recorded, so the condition (forced return or evacuation by the government) "
        "is not established",
    ),
    (leaf("needs", "contains", "legal"), ["housing"], "Needs do not include legal aid"),
    (leaf("needs", "contains", "legal"), [], "Needs do not include legal aid"),
    (
        leaf("needs", "contains_any", ["legal", "housing"]),
        ["health"],
        "Needs do not include legal aid or housing",
    ),
    (
        leaf("needs", "contains_all", ["legal", "housing", "health"]),
        ["housing"],
        "Needs do not include legal aid or health care",
    ),
    (
        leaf("needs", "contains_all", ["legal", "housing"]),
        None,
        "Needs: not recorded, so the condition (including legal aid and housing) is not established",
    ),
    (leaf("needs", "not_empty"), [], "Needs: none"),
    (leaf("needs", "is_empty"), ["legal"], "Needs: legal aid"),
    (
        leaf("governorate", "==", "IQG08"),
        "",
        "Governorate: not recorded, so the condition (IQG08) is not established",
    ),
    (leaf("governorate", "not_in", ["IQG08"]), "IQG08", "Governorate: IQG08"),
]


@pytest.mark.parametrize(("node", "actual", "english"), REASONS_UNDER_NOT)
def test_not_says_why_the_negated_leaf_is_not_the_case(
    node: dict[str, Any], actual: object, english: str
) -> None:
    [reason] = explain({"not": node}, facts(**{node["fact"]: actual}))
    assert (reason.fact, reason.text["en"]) == (node["fact"], english)
    assert_texts(reason.text)


def test_explanations_in_arabic_and_kurdish() -> None:
    assert explain(leaf("age", "<", 18), facts(age=16)) == [
        Reason(
            "age", {"ar": "العمر 16، أقل من 18", "ckb": "تەمەن 16ە، کەمتر لە 18", "en": "Age is 16, under 18"}
        )
    ]
    [reason] = explain({"not": leaf("age", "<", 18)}, facts(age=None))
    assert reason.text["ar"] == "العمر: لا توجد بيانات، فلم يثبت الشرط (أقل من 18)"
    assert reason.text["ckb"] == "تەمەن: زانیاری نییە، بۆیە مەرجی (کەمتر لە 18) نەسەلمێنراوە"
    [reason] = explain(leaf("needs", "contains_all", ["legal", "housing"]), facts(needs=["housing", "legal"]))
    assert reason.text["ar"] == "الاحتياجات تشمل: مساعدة قانونية وسكن"
    assert reason.text["ckb"] == "پێداویستییەکان: یارمەتیی یاسایی و نیشتەجێبوون"
    [reason] = explain(leaf("sex", "!=", "female"), facts(sex="male"))
    assert (reason.text["ar"], reason.text["ckb"]) == ("الجنس: ذكر، وليس أنثى", "ڕەگەز: نێر، نەک مێ")


def test_explain_follows_the_groups() -> None:
    young, female, old = leaf("age", "<", 18), leaf("sex", "==", "female"), leaf("age", ">", 60)
    girl = facts(age=12, sex="female")

    def english(condition: dict[str, Any], known: dict[str, object]) -> list[str]:
        return [reason.text["en"] for reason in explain(condition, known)]

    # any: every true branch, not only the first
    assert english({"any": [old, female, young]}, girl) == ["Sex: female", "Age is 12, under 18"]
    # all: every member, each sentence once
    assert english({"all": [young, female, {"all": [young]}]}, girl) == ["Age is 12, under 18", "Sex: female"]
    # not over all: only the members that fail
    assert english({"not": {"all": [young, old]}}, girl) == ["Age is 12, at most 60"]
    # not over any: every member fails
    assert english({"not": {"any": [old, leaf("sex", "==", "male")]}}, girl) == [
        "Age is 12, at most 60",
        "Sex: female, not male",
    ]
    assert english({"not": {"not": young}}, girl) == ["Age is 12, under 18"]
    # false: no reasons at all
    assert explain({"all": [young, old]}, girl) == []
    assert explain(young, facts(age=None)) == []


# ---------------------------------------------------------------------------------------------------
# The shipped categories and flags
# ---------------------------------------------------------------------------------------------------

Cases = tuple[list[tuple[dict[str, object], list[str]]], list[dict[str, object]]]
DEFAULT_CASES: dict[str, Cases] = {
    "highly_skilled": (
        [
            ({"education_level": 6}, ["Education level (ISCED) is 6, at least 6"]),
            ({"highest_skill_level": 3}, ["Highest skill level (ISCO-08) is 3, at least 3"]),
            (
                {"education_level": 8, "highest_skill_level": 4},
                [
                    "Education level (ISCED) is 8, at least 6",
                    "Highest skill level (ISCO-08) is 4, at least 3",
                ],
            ),
        ],
        [
            {"education_level": 5},
            {"highest_skill_level": 2},
            {"education_level": 5, "highest_skill_level": 2},
        ],
    ),
    "low_skilled": (
        [
            (
                {"education_level": 2},
                [
                    "Education level (ISCED) is 2, at most 2",
                    "Highest skill level (ISCO-08): not recorded, so the condition (over 1) is not established",
                ],
            ),
            (
                {"education_level": 0, "highest_skill_level": 1},
                ["Education level (ISCED) is 0, at most 2", "Highest skill level (ISCO-08) is 1, at most 1"],
            ),
        ],
        [
            {"education_level": 3},
            {"education_level": 2, "highest_skill_level": 2},
            {"highest_skill_level": 1},
        ],
    ),
    "female_head_of_household": (
        [
            ({"sex": "female", "is_head_of_household": True}, ["Sex: female", "Head of household: yes"]),
            (
                {"vulnerabilities": ["female_head_of_household"]},
                ["Vulnerabilities include female head of household"],
            ),
        ],
        [
            {"sex": "female", "is_head_of_household": False},
            {"sex": "male", "is_head_of_household": True},
            {"sex": "female", "is_head_of_household": None},
        ],
    ),
    "rejected_asylum_seeker": (
        [({"status_abroad": "rejected_asylum_seeker"}, ["Status abroad: rejected asylum seeker"])],
        [{"status_abroad": "asylum_seeker"}],
    ),
    "returned_child": (
        [({"age": 17}, ["Age is 17, under 18"]), ({"age": 0}, ["Age is 0, under 18"])],
        [{"age": 18}],
    ),
    "returned_from_europe": (
        [
            (
                {"country_region": "europe", "return_type": "forced"},
                [
                    "Region returned from: Europe",
                    "Return type: forced return, not return of an internally displaced person",
                ],
            ),
            (
                {"country_region": "europe"},
                [
                    "Region returned from: Europe",
                    "Return type: not recorded, so the condition (return of an internally displaced person) "
                    "is not established",
                ],
            ),
        ],
        [
            {"country_region": "europe", "return_type": "internal_return"},
            {"country_region": "middle_east", "return_type": "forced"},
        ],
    ),
    "forced_returnee": (
        [({"return_type": "forced"}, ["Return type: forced return"])],
        [{"return_type": "assisted_voluntary"}],
    ),
    "evacuated_by_government": (
        [({"return_type": "evacuated"}, ["Return type: evacuation by the government"])],
        [{"return_type": "spontaneous_voluntary"}],
    ),
    "displaced_returnee": (
        [({"return_type": "internal_return"}, ["Return type: return of an internally displaced person"])],
        [{"return_type": "forced"}],
    ),
    "returning_migrant_worker": (
        [({"status_abroad": "worker"}, ["Status abroad: migrant worker"])],
        [{"status_abroad": "student"}],
    ),
    "at_risk_of_remigration": (
        [
            ({"intends_to_migrate_again": "yes"}, ["Intends to migrate again: yes"]),
            ({"intends_to_migrate_again": "unsure"}, ["Intends to migrate again: unsure"]),
            (
                {
                    "intends_to_migrate_again": "no",
                    "sold_assets_to_migrate": True,
                    "has_debt": True,
                    "employment_status": "unemployed_not_seeking",
                },
                [
                    "Sold assets to migrate: yes",
                    "Has debt: yes",
                    "Employment status: unemployed, not looking for work",
                ],
            ),
        ],
        [
            {"intends_to_migrate_again": "no"},
            {"sold_assets_to_migrate": True, "has_debt": True, "employment_status": "employed"},
            {"sold_assets_to_migrate": True, "has_debt": False, "employment_status": "unemployed_seeking"},
            {"sold_assets_to_migrate": False, "has_debt": True, "employment_status": "unemployed_seeking"},
            {"sold_assets_to_migrate": True, "has_debt": True, "employment_status": None},
        ],
    ),
    "unaccompanied_or_separated_child": (
        [
            ({"vulnerabilities": ["separated_child"]}, ["Vulnerabilities include separated child"]),
            (
                {"vulnerabilities": ["separated_child", "unaccompanied_child"]},
                ["Vulnerabilities include unaccompanied child and separated child"],
            ),
        ],
        [{"vulnerabilities": ["older_person"]}, {"age": 10}],
    ),
    "older_person": (
        [
            ({"age": 60}, ["Age is 60, at least 60"]),
            ({"age": 55, "vulnerabilities": ["older_person"]}, ["Vulnerabilities include older person"]),
        ],
        [{"age": 59}],
    ),
    "person_with_disability": (
        [({"vulnerabilities": ["disability"]}, ["Vulnerabilities include disability"])],
        [{"vulnerabilities": ["chronic_illness"]}],
    ),
    "chronic_illness": (
        [({"vulnerabilities": ["chronic_illness"]}, ["Vulnerabilities include chronic illness"])],
        [{"vulnerabilities": ["disability"]}, {"needs": ["health"]}],
    ),
    "survivor_of_trafficking_or_violence": (
        [
            ({"vulnerabilities": ["violence_survivor"]}, ["Vulnerabilities include survivor of violence"]),
            (
                {"vulnerabilities": ["violence_survivor", "disability", "trafficking_survivor"]},
                ["Vulnerabilities include survivor of trafficking and survivor of violence"],
            ),
        ],
        [{"vulnerabilities": ["disability"]}],
    ),
    "missing_documents": (
        [
            ({"missing_documents": True}, ["Missing documents: yes"]),
            ({"needs": ["legal", "documentation"]}, ["Needs include documentation"]),
        ],
        [{"missing_documents": False, "needs": ["legal"]}],
    ),
    "single_parent_or_pregnant": (
        [
            (
                {"vulnerabilities": ["pregnant_or_lactating"]},
                ["Vulnerabilities include pregnant or breastfeeding"],
            ),
            ({"vulnerabilities": ["single_parent"]}, ["Vulnerabilities include single parent"]),
        ],
        [{"vulnerabilities": ["female_head_of_household"]}],
    ),
}


def by_code() -> dict[str, CategoryRuleSpec]:
    return {spec.code: spec for spec in load_default_specs()}


def test_the_shipped_rules_in_order() -> None:
    assert [(spec.code, spec.kind) for spec in load_default_specs()] == [
        ("highly_skilled", "category"),
        ("low_skilled", "category"),
        ("female_head_of_household", "category"),
        ("rejected_asylum_seeker", "category"),
        ("returned_child", "category"),
        ("returned_from_europe", "category"),
        ("forced_returnee", "category"),
        ("evacuated_by_government", "category"),
        ("displaced_returnee", "category"),
        ("returning_migrant_worker", "category"),
        ("at_risk_of_remigration", "category"),
        ("unaccompanied_or_separated_child", "vulnerability"),
        ("older_person", "vulnerability"),
        ("person_with_disability", "vulnerability"),
        ("chronic_illness", "vulnerability"),
        ("survivor_of_trafficking_or_violence", "vulnerability"),
        ("missing_documents", "vulnerability"),
        ("single_parent_or_pregnant", "vulnerability"),
    ]
    assert set(DEFAULT_CASES) == set(by_code())
    for spec in load_default_specs():
        assert_texts(spec.names)
        assert_texts(spec.descriptions)


def test_the_shipped_conditions() -> None:
    specs = by_code()
    assert specs["highly_skilled"].condition == {
        "any": [leaf("education_level", ">=", 6), leaf("highest_skill_level", ">=", 3)]
    }
    assert specs["low_skilled"].condition == {
        "all": [leaf("education_level", "<=", 2), {"not": leaf("highest_skill_level", ">", 1)}]
    }
    assert specs["returned_from_europe"].condition == {
        "all": [leaf("country_region", "==", "europe"), {"not": leaf("return_type", "==", "internal_return")}]
    }
    assert specs["at_risk_of_remigration"].condition == {
        "any": [
            leaf("intends_to_migrate_again", "in", ["yes", "unsure"]),
            {
                "all": [
                    leaf("sold_assets_to_migrate", "is_true"),
                    leaf("has_debt", "is_true"),
                    leaf("employment_status", "in", ["unemployed_seeking", "unemployed_not_seeking"]),
                ]
            },
        ]
    }
    assert specs["older_person"].condition == {
        "any": [leaf("age", ">=", 60), leaf("vulnerabilities", "contains", "older_person")]
    }
    assert specs["missing_documents"].condition == {
        "any": [leaf("missing_documents", "is_true"), leaf("needs", "contains", "documentation")]
    }


@pytest.mark.parametrize("code", sorted(DEFAULT_CASES))
def test_each_shipped_rule_applies_with_its_reasons_and_not_on_a_near_miss(code: str) -> None:
    spec = by_code()[code]
    positives, near_misses = DEFAULT_CASES[code]
    for known, english in positives:
        [result] = [r for r in categorise(load_default_specs(), facts(**known)) if r.code == code]
        assert result.kind == spec.kind
        assert [reason.text["en"] for reason in result.reasons] == english
        for reason in result.reasons:
            assert_texts(reason.text)
        # The facts the rule reads, all unknown: it never applies.
        rule_facts = {node["fact"] for node in leaves_of(spec.condition)}
        assert not evaluate(spec.condition, {**facts(**known), **dict.fromkeys(rule_facts)})
    for known in near_misses:
        assert code not in [r.code for r in categorise(load_default_specs(), facts(**known))], known


def test_the_example_child_in_three_languages() -> None:
    [result] = categorise([by_code()["returned_child"]], facts(age=16))
    assert result == CategoryResult(
        code="returned_child",
        kind="category",
        reasons=[
            Reason(
                "age",
                {"ar": "العمر 16، أقل من 18", "ckb": "تەمەن 16ە، کەمتر لە 18", "en": "Age is 16, under 18"},
            )
        ],
    )


def test_unknown_facts_qualify_nobody() -> None:
    assert categorise(load_default_specs(), ALL_UNKNOWN) == []
    assert categorise(load_default_specs(), FRESH) == []


def test_a_returnee_can_be_in_several_categories_in_the_order_of_the_rules() -> None:
    known = facts(
        age=35,
        sex="female",
        is_head_of_household=True,
        return_type="forced",
        status_abroad="rejected_asylum_seeker",
        country_region="europe",
        country_returned_from="DE",
        education_level=6,
        highest_skill_level=2,
        vulnerabilities=["chronic_illness"],
        needs=["documentation", "employment"],
        intends_to_migrate_again="unsure",
    )
    assert [(r.code, r.kind) for r in categorise(load_default_specs(), known)] == [
        ("highly_skilled", "category"),
        ("female_head_of_household", "category"),
        ("rejected_asylum_seeker", "category"),
        ("returned_from_europe", "category"),
        ("forced_returnee", "category"),
        ("at_risk_of_remigration", "category"),
        ("chronic_illness", "vulnerability"),
        ("missing_documents", "vulnerability"),
    ]
    reversed_specs = list(reversed(load_default_specs()))
    assert [r.code for r in categorise(reversed_specs, known)][:2] == ["missing_documents", "chronic_illness"]


# ---------------------------------------------------------------------------------------------------
# categorise, facts and specs
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"age": "16"}, "fact 'age' cannot be '16'"),
        ({"age": True}, "fact 'age' cannot be True"),
        ({"sex": "woman"}, "fact 'sex' cannot be 'woman'"),
        ({"has_debt": 1}, "fact 'has_debt' cannot be 1"),
        ({"needs": ["money"]}, "fact 'needs' cannot be ['money']"),
        ({"needs": "legal"}, "fact 'needs' cannot be 'legal'"),
        ({"governorate": "Baghdad"}, "fact 'governorate' cannot be 'Baghdad'"),
        ({"height": 180}, "unknown fact 'height'"),
    ],
)
def test_categorise_refuses_facts_the_registry_should_never_produce(
    change: dict[str, object], problem: str
) -> None:
    bad = facts(**change)
    assert validate_facts(bad) == [problem]
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        categorise(load_default_specs(), bad)


def test_out_of_range_numbers_are_reported_but_still_categorised() -> None:
    implausible = facts(age=131, household_size=0)
    assert validate_facts(implausible) == ["fact 'age' cannot be 131", "fact 'household_size' cannot be 0"]
    assert validate_facts(implausible, check_ranges=False) == []
    assert [r.code for r in categorise(load_default_specs(), implausible)] == ["older_person"]


def test_facts_must_all_be_present() -> None:
    incomplete = dict(FRESH)
    del incomplete["age"]
    assert validate_facts(incomplete) == ["missing fact 'age'"]
    assert validate_facts(FRESH) == []
    assert validate_facts(ALL_UNKNOWN) == []
    assert validate_facts(facts(governorate="", country_returned_from="DE", needs=("legal",))) == []


def test_specs_are_checked_when_built() -> None:
    names = {"ar": "فئة", "ckb": "پۆل", "en": "Category"}
    good = {
        "code": "x",
        "kind": "category",
        "name": names,
        "description": names,
        "condition": leaf("age", "<", 5),
    }
    assert spec_from_dict(good).condition == leaf("age", "<", 5)
    with pytest.raises(ValueError, match="exactly the keys"):
        spec_from_dict({k: v for k, v in good.items() if k != "description"})
    with pytest.raises(ValueError, match=r"condition at all\[0\]: Unknown fact “height”"):
        spec_from_dict({**good, "condition": {"all": [leaf("height", ">", 1)]}})
    with pytest.raises(ValueError, match="the kind must be"):
        spec_from_dict({**good, "kind": "group"})
    with pytest.raises(ValueError, match="the code must be"):
        spec_from_dict({**good, "code": "Highly skilled"})
    with pytest.raises(ValueError, match="names need a non-empty text"):
        spec_from_dict({**good, "name": {"ar": "فئة", "en": "Category"}})
    with pytest.raises(ValueError, match="descriptions need a non-empty text"):
        CategoryRuleSpec("x", "category", names, {**names, "ckb": " "}, leaf("age", "<", 5))


def test_the_shipped_file_round_trips() -> None:
    stored = json.loads(rules.DEFAULT_SPECS_PATH.read_text(encoding="utf-8"))
    assert [spec_to_dict(spec) for spec in load_default_specs()] == stored
    assert [spec_from_dict(item) for item in stored] == load_default_specs()
    # Each call parses afresh, so one caller editing a condition cannot change another's rules.
    first = load_default_specs()
    first[0].condition["any"].clear()
    assert load_default_specs()[0].condition["any"] != []


# ---------------------------------------------------------------------------------------------------
# find_conflicts
# ---------------------------------------------------------------------------------------------------


def spec_with(condition: dict[str, Any], code: str = "rule") -> CategoryRuleSpec:
    texts = {"ar": "قاعدة", "ckb": "یاسا", "en": "Rule"}
    return CategoryRuleSpec(code, "category", texts, texts, condition)


CONTRADICTIONS: list[tuple[dict[str, Any], list[tuple[str, str]]]] = [
    ({"all": [leaf("age", "<", 18), leaf("age", ">", 60)]}, [("", "age")]),
    ({"all": [leaf("age", "==", 18), leaf("age", "!=", 18)]}, [("", "age")]),
    ({"all": [leaf("age", "==", 18), leaf("age", "==", 19)]}, [("", "age")]),
    ({"all": [leaf("age", "==", 18), leaf("age", ">=", 19)]}, [("", "age")]),
    ({"all": [leaf("age", "is_empty"), leaf("age", ">=", 0)]}, [("", "age")]),
    ({"all": [leaf("age", "<", 0 + 1), leaf("age", "!=", 0)]}, [("", "age")]),
    (
        {"all": [leaf("highest_skill_level", ">", 1), leaf("highest_skill_level", "<", 2)]},
        [("", "highest_skill_level")],
    ),
    ({"all": [leaf("highest_skill_level", "!=", n) for n in (1, 2, 3, 4)]}, [("", "highest_skill_level")]),
    (
        {"all": [leaf("education_level", ">=", 6), {"not": leaf("education_level", ">", 5)}]},
        [("", "education_level")],
    ),
    ({"all": [leaf("sex", "==", "male"), leaf("sex", "==", "female")]}, [("", "sex")]),
    ({"all": [leaf("sex", "!=", "male"), leaf("sex", "!=", "female")]}, [("", "sex")]),
    ({"all": [leaf("sex", "in", ["male"]), leaf("sex", "not_in", ["male"])]}, [("", "sex")]),
    ({"all": [leaf("sex", "not_empty"), {"not": leaf("sex", "not_empty")}]}, [("", "sex")]),
    ({"all": [leaf("has_debt", "is_true"), leaf("has_debt", "is_false")]}, [("", "has_debt")]),
    ({"all": [leaf("has_debt", "==", True), leaf("has_debt", "!=", True)]}, [("", "has_debt")]),
    (
        {"all": [leaf("governorate", "==", "IQG08"), leaf("governorate", "==", "IQG11")]},
        [("", "governorate")],
    ),
    (
        {"all": [leaf("governorate", "in", ["IQG08"]), {"not": leaf("governorate", "==", "IQG08")}]},
        [("", "governorate")],
    ),
    (
        {"all": [leaf("needs", "contains", "legal"), {"not": leaf("needs", "contains", "legal")}]},
        [("", "needs")],
    ),
    ({"all": [leaf("needs", "contains_all", ["legal"]), leaf("needs", "is_empty")]}, [("", "needs")]),
    (
        {
            "all": [
                leaf("needs", "contains_any", ["legal", "housing"]),
                {"not": leaf("needs", "contains_any", ["legal", "housing"])},
            ]
        },
        [("", "needs")],
    ),
    (
        {
            "all": [
                leaf("needs", "contains_all", ["legal", "housing"]),
                {"not": leaf("needs", "contains_all", ["housing"])},
            ]
        },
        [("", "needs")],
    ),
    # A dead branch of an "any" is found where it is.
    (
        {"any": [{"all": [leaf("age", "<", 18), leaf("age", ">", 60)]}, leaf("sex", "==", "female")]},
        [("any[0]", "age")],
    ),
    # Nested conjunctions are flattened, and a conflict is reported once, where it arises.
    ({"all": [{"all": [leaf("age", "<", 18)]}, {"all": [leaf("age", ">", 60)]}]}, [("", "age")]),
    (
        {"all": [{"all": [leaf("age", "<", 18), leaf("age", ">", 60)]}, leaf("sex", "==", "male")]},
        [("all[0]", "age")],
    ),
    # "not any" is a conjunction of negations; the is_empty member makes the age known.
    (
        {"not": {"any": [leaf("age", "is_empty"), leaf("age", "<", 18), leaf("age", ">=", 18)]}},
        [("", "age")],
    ),
    ({"all": [leaf("sex", "==", "male"), {"not": {"any": [leaf("sex", "==", "male")]}}]}, [("", "sex")]),
    ({"not": {"not": {"all": [leaf("age", "<", 18), leaf("age", ">", 60)]}}}, [("not.not", "age")]),
    (
        {
            "not": {
                "all": [
                    leaf("sex", "==", "male"),
                    {"not": {"all": [leaf("age", "<", 1), leaf("age", ">", 2)]}},
                ]
            }
        },
        [("not.all[1].not", "age")],
    ),
    (
        {
            "all": [
                leaf("age", "<", 18),
                leaf("age", ">", 60),
                leaf("sex", "==", "male"),
                leaf("sex", "==", "female"),
            ]
        },
        [("", "age"), ("", "sex")],
    ),
]


@pytest.mark.parametrize(("condition", "expected"), CONTRADICTIONS)
def test_find_conflicts_finds_contradictions(
    condition: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    conflicts = find_conflicts([spec_with(condition)])
    assert [(c.code, c.path, c.fact) for c in conflicts] == [("rule", path, fact) for path, fact in expected]
    for conflict in conflicts:
        assert_texts(conflict.message)
        # Sound: the reported part is false whatever the facts.
        for known in (ALL_UNKNOWN, FRESH, facts(age=18, sex="male", needs=["legal"], governorate="IQG08")):
            assert not evaluate(node_at(condition, conflict.path), known)


SOUND: list[dict[str, Any]] = [
    {"all": [leaf("age", ">=", 18), leaf("age", "<", 60)]},
    {"all": [leaf("age", ">=", 18), leaf("age", "<=", 18)]},
    {"all": [leaf("highest_skill_level", "!=", n) for n in (1, 2, 3)]},
    {"all": [leaf("sex", "==", "female"), {"not": leaf("sex", "==", "male")}]},
    {"all": [leaf("needs", "contains", "legal"), {"not": leaf("needs", "contains", "housing")}]},
    {"all": [leaf("needs", "is_empty"), {"not": leaf("needs", "contains", "housing")}]},
    {"all": [leaf("age", "<", 18), {"not": leaf("age", "is_empty")}]},
    {"all": [leaf("governorate", "!=", "IQG08"), leaf("governorate", "!=", "IQG11")]},
    # Unknown satisfies both negations: the three-valued semantics makes this rule satisfiable.
    {"all": [{"not": leaf("age", "<", 18)}, {"not": leaf("age", ">=", 18)}]},
    {"any": [leaf("age", "<", 18), leaf("age", ">", 60)]},
    # A contradiction under "not" makes that part always true, which is not this check's concern.
    {"not": {"all": [leaf("age", "<", 18), leaf("age", ">", 60)]}},
]


@pytest.mark.parametrize("condition", SOUND)
def test_find_conflicts_accepts_sound_rules(condition: dict[str, Any]) -> None:
    assert find_conflicts([spec_with(condition)]) == []


def test_the_shipped_rules_have_no_conflicts() -> None:
    assert find_conflicts(load_default_specs()) == []


def test_conflict_message() -> None:
    [conflict] = find_conflicts([spec_with({"all": [leaf("age", "<", 18), leaf("age", ">", 60)]}, "bad")])
    assert conflict.message["en"] == "The conditions on “Age” in the rule can never all be true together."
    [conflict] = find_conflicts(
        [spec_with({"any": [leaf("sex", "==", "male"), {"all": [leaf("age", "<", 1), leaf("age", ">", 2)]}]})]
    )
    assert conflict.message["en"] == "The conditions on “Age” in any[1] can never all be true together."


# ---------------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------------


def leaves_of(condition: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    if "fact" in condition:
        return [condition]
    if "not" in condition:
        return leaves_of(condition["not"])
    return [node for member in condition.get("all", condition.get("any", [])) for node in leaves_of(member)]


def depth_of(condition: dict[str, Any]) -> int:
    if "fact" in condition:
        return 1
    if "not" in condition:
        return 1 + depth_of(condition["not"])
    return 1 + max(depth_of(member) for member in condition.get("all", condition.get("any", [])))


def node_at(condition: dict[str, Any], path: str) -> dict[str, Any]:
    node = condition
    for step in path.split(".") if path else []:
        if step == "not":
            node = node["not"]
        else:
            kind, index = step[:-1].split("[")
            node = node[kind][int(index)]
    return node


def scalar_values(fact: FactSpec) -> st.SearchStrategy[Any]:
    if fact.type == "int":
        return st.integers(fact.minimum, fact.maximum)
    if fact.type == "bool":
        return st.booleans()
    if fact.type in ("choice", "multi"):
        return st.sampled_from(list(fact.choices))
    assert fact.pattern is not None
    return st.from_regex(fact.pattern, fullmatch=True)


def leaves_for(name: str) -> st.SearchStrategy[dict[str, Any]]:
    fact = FACTS[name]

    def with_operator(op: str) -> st.SearchStrategy[dict[str, Any]]:
        if op in NO_VALUE_OPERATORS:
            return st.just({"fact": name, "op": op})
        values = (
            st.lists(scalar_values(fact), min_size=1, max_size=4)
            if op in LIST_VALUE_OPERATORS
            else scalar_values(fact)
        )
        return values.map(lambda value: {"fact": name, "op": op, "value": value})

    return st.sampled_from(OPERATORS_BY_TYPE[fact.type]).flatmap(with_operator)


valid_leaves = st.sampled_from(sorted(FACTS)).flatmap(leaves_for)
valid_conditions = st.recursive(
    valid_leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda members: {"all": members}),
        st.lists(inner, min_size=1, max_size=3).map(lambda members: {"any": members}),
        inner.map(lambda member: {"not": member}),
    ),
    max_leaves=10,
).filter(lambda condition: depth_of(condition) <= MAX_DEPTH)


def fact_values(fact: FactSpec) -> st.SearchStrategy[Any]:
    if fact.type == "multi":
        known = st.lists(st.sampled_from(list(fact.choices)), unique=True, max_size=4)
    elif fact.type == "text":
        known = st.one_of(scalar_values(fact), st.just(""))
    else:
        known = scalar_values(fact)
    return st.none() | known


random_facts = st.fixed_dictionaries({name: fact_values(fact) for name, fact in FACTS.items()})

json_atoms = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
any_json = st.recursive(
    json_atoms,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=40,
)
# Close to the language, so that the checks past the first one are reached too.
vocabulary = st.sampled_from(
    [*FACTS, *OPERATORS, "female", "legal", "IQG08", "DE", 18, -1, 200, [], ["legal"]]
)
near_keys = st.sampled_from(["all", "any", "not", "fact", "op", "value"]) | st.text(max_size=4)
near_json = st.recursive(
    json_atoms | vocabulary,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(near_keys, inner, max_size=4),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(any_json | near_json)
def test_validate_condition_never_raises(value: object) -> None:
    errors = validate_condition(value)
    for error in errors:
        assert isinstance(error, ConditionError)
        assert error.code in rules._ERRORS
        assert set(error.message) == {"ar", "ckb", "en"}
        assert all(error.message.values())


@settings(max_examples=300, deadline=None)
@given(valid_conditions, random_facts)
def test_valid_conditions_evaluate_and_explain_consistently(
    condition: dict[str, Any], known: dict[str, Any]
) -> None:
    assert validate_condition(condition) == []
    assert validate_facts(known) == []
    holds = evaluate(condition, known)
    reasons = explain(condition, known)
    assert bool(reasons) is holds
    assert evaluate({"not": condition}, known) is (not holds)
    for reason in reasons:
        assert reason.fact in FACTS
        assert set(reason.text) == {"ar", "ckb", "en"}
        assert all(reason.text.values())
    # The conflict check is sound: a part it calls impossible is false for these facts too.
    for conflict in find_conflicts([spec_with(condition)]):
        assert not evaluate(node_at(condition, conflict.path), known)


@settings(max_examples=200, deadline=None)
@given(random_facts)
def test_highly_and_low_skilled_exclude_each_other(known: dict[str, Any]) -> None:
    applied = {result.code for result in categorise(load_default_specs(), known)}
    assert not {"highly_skilled", "low_skilled"} <= applied
