"""Eligibility for services and the checks of a service's description (``awda.catalogue.rules``).

Concrete examples pin each criterion down at, below and above its bounds; hypothesis compares ``check``
with an oracle written here from the documented semantics (an empty list or ``None`` is no restriction,
an unknown fact fails a restricted criterion); a grid of coverage shapes and places is enumerated in
full. No database: everything here is pure.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awda.catalogue import rules
from awda.catalogue.rules import (
    Coverage,
    Criteria,
    Known,
    Person,
    Problem,
    Terms,
    Verdict,
    check,
    check_all,
    criteria_condition,
    validate_document,
)
from awda.registry import rules as registry_rules
from awda.registry.names import normalize_name

LANGUAGES = ("ar", "ckb", "en")
TODAY = date(2025, 6, 15)
ASCII_LETTER = re.compile(r"[A-Za-z]")

SEXES = tuple(registry_rules.FACTS["sex"].choices)
RETURN_TYPES = tuple(registry_rules.FACTS["return_type"].choices)
STATUSES_ABROAD = tuple(registry_rules.FACTS["status_abroad"].choices)
EMPLOYMENT_STATUSES = tuple(registry_rules.FACTS["employment_status"].choices)
VULNERABILITIES = tuple(registry_rules.FACTS["vulnerabilities"].choices)
CATEGORIES = ("returned_child", "female_head_of_household", "highly_skilled")
SETTLEMENTS = ("urban", "rural")

# The list criteria, the Person field each one reads, and the choices the registry allows for it.
CHOICE_CRITERIA = {
    "sexes": ("sex", SEXES),
    "return_types": ("return_type", RETURN_TYPES),
    "statuses_abroad": ("status_abroad", STATUSES_ABROAD),
    "employment_statuses": ("employment_status", EMPLOYMENT_STATUSES),
}

# Places: three governorates and their districts (IQG08Q06 is a second district of Baghdad, so a place
# can be inside a covered governorate but outside a covered district).
DISTRICT_GOVERNORATE = {
    "IQG08Q01": "IQG08",
    "IQG08Q06": "IQG08",
    "IQG11Q02": "IQG11",
    "IQG15Q05": "IQG15",
}
NAMES: dict[str, dict[str, str]] = {
    "IQG08": {"ar": "بغداد", "ckb": "بەغدا", "en": "Baghdad"},
    "IQG11": {"ar": "أربيل", "ckb": "هەولێر", "en": "Erbil"},
    "IQG15": {"ar": "نينوى", "ckb": "نەینەوا", "en": "Ninewa"},
    "IQG08Q01": {"ar": "أبو غريب", "ckb": "ئەبو غرێب", "en": "Abu Ghraib"},
    "IQG08Q06": {"ar": "الكرخ", "ckb": "کەرخ", "en": "Karkh"},
    # The chief district shares the governorate's name: typed, the name means the governorate.
    "IQG11Q02": {"ar": "أربيل", "ckb": "هەولێر", "en": "Erbil"},
    "IQG15Q05": {"ar": "سنجار", "ckb": "شنگال", "en": "Sinjar"},
    "returned_child": {"ar": "طفل عائد", "ckb": "منداڵی گەڕاوە", "en": "Returned child"},
    "female_head_of_household": {"ar": "امرأة معيلة", "ckb": "ئافرەتی سەرپەرشتیار", "en": "Female head"},
    "highly_skilled": {"ar": "ذو مهارة عالية", "ckb": "خاوەن لێهاتوویی بەرز", "en": "Highly skilled"},
}


def terms(key: str = "service", **criteria: Any) -> Terms:
    return Terms(key, criteria=Criteria(**criteria))


def problems_of(verdict: Verdict) -> list[tuple[str, str, str, Any, Any]]:
    return [(p.kind, p.code, p.criterion, p.actual, p.limit) for p in verdict.problems]


def assert_three_texts(texts: dict[str, str]) -> None:
    assert set(texts) == set(LANGUAGES), texts
    assert all(text.strip() for text in texts.values()), texts
    assert texts["ar"] != texts["en"], texts
    assert texts["ckb"] != texts["en"], texts


# ---------------------------------------------------------------------------------------------------
# Criteria, one at a time
# ---------------------------------------------------------------------------------------------------


def test_an_open_service_is_for_everyone_even_when_nothing_is_recorded() -> None:
    # given a service without criteria, nationwide, and a returnee of whom nothing is known
    # when checked
    verdict = check(terms(), Person(), TODAY)
    # then there is nothing to say
    assert verdict == Verdict("service", ())
    assert verdict.eligible is True
    assert verdict.available is True
    assert verdict.reasons == ()


@pytest.mark.parametrize(
    ("criteria", "age", "expected"),
    [
        ({"min_age": 18}, 17, [("eligibility", "age_below", "min_age", 17, 18)]),
        ({"min_age": 18}, 18, []),
        ({"min_age": 18}, 19, []),
        ({"min_age": 18}, None, [("eligibility", "not_recorded", "min_age", None, None)]),
        ({"max_age": 25}, 24, []),
        ({"max_age": 25}, 25, []),
        ({"max_age": 25}, 26, [("eligibility", "age_above", "max_age", 26, 25)]),
        ({"max_age": 25}, None, [("eligibility", "not_recorded", "max_age", None, None)]),
        ({"min_age": 18, "max_age": 25}, 17, [("eligibility", "age_below", "min_age", 17, 18)]),
        ({"min_age": 18, "max_age": 25}, 18, []),
        ({"min_age": 18, "max_age": 25}, 25, []),
        ({"min_age": 18, "max_age": 25}, 26, [("eligibility", "age_above", "max_age", 26, 25)]),
        # Both bounds and no age: one reason, said once, on the minimum.
        ({"min_age": 18, "max_age": 25}, None, [("eligibility", "not_recorded", "min_age", None, None)]),
        ({"min_age": 0}, 0, []),
        ({"max_age": 0}, 0, []),
        ({"max_age": 0}, 1, [("eligibility", "age_above", "max_age", 1, 0)]),
        ({"min_age": 18, "max_age": 18}, 18, []),
    ],
)
def test_age_bounds_are_inclusive_and_an_unknown_age_is_not_recorded(
    criteria: dict[str, int], age: int | None, expected: list[tuple[Any, ...]]
) -> None:
    # given a service with age bounds and a returnee of that age
    # when checked
    verdict = check(terms(**criteria), Person(age=age), TODAY)
    # then exactly these problems, and eligible only without them
    assert problems_of(verdict) == expected
    assert verdict.eligible is (expected == [])


@pytest.mark.parametrize(
    ("criteria", "months", "expected"),
    [
        (
            {"min_months_since_return": 6},
            5,
            [("eligibility", "months_below", "min_months_since_return", 5, 6)],
        ),
        ({"min_months_since_return": 6}, 6, []),
        ({"min_months_since_return": 6}, 7, []),
        (
            {"min_months_since_return": 6},
            None,
            [("eligibility", "not_recorded", "min_months_since_return", None, None)],
        ),
        ({"max_months_since_return": 12}, 11, []),
        ({"max_months_since_return": 12}, 12, []),
        (
            {"max_months_since_return": 12},
            13,
            [("eligibility", "months_above", "max_months_since_return", 13, 12)],
        ),
        (
            {"max_months_since_return": 12},
            None,
            [("eligibility", "not_recorded", "max_months_since_return", None, None)],
        ),
        ({"max_months_since_return": 0}, 0, []),
        (
            {"min_months_since_return": 6, "max_months_since_return": 12},
            None,
            [("eligibility", "not_recorded", "min_months_since_return", None, None)],
        ),
        (
            {"min_months_since_return": 6, "max_months_since_return": 12},
            13,
            [("eligibility", "months_above", "max_months_since_return", 13, 12)],
        ),
        ({"min_months_since_return": 6, "max_months_since_return": 12}, 6, []),
        ({"min_months_since_return": 6, "max_months_since_return": 12}, 12, []),
    ],
)
def test_months_since_return_bounds_are_inclusive_and_unknown_is_not_recorded(
    criteria: dict[str, int], months: int | None, expected: list[tuple[Any, ...]]
) -> None:
    # given a service for returns within a period, and a returnee who came back that long ago
    # when checked
    verdict = check(terms(**criteria), Person(months_since_return=months), TODAY)
    # then
    assert problems_of(verdict) == expected
    assert verdict.eligible is (expected == [])


def test_contradictory_age_bounds_make_nobody_eligible() -> None:
    # given bounds validate_document refuses (minimum above maximum), as a service loaded from old data
    criteria = {"min_age": 20, "max_age": 10}
    # when people of every age are checked
    eligible = [check(terms(**criteria), Person(age=age), TODAY).eligible for age in (5, 10, 15, 20, 25)]
    # then nobody is eligible
    assert eligible == [False, False, False, False, False]


@pytest.mark.parametrize("criterion", sorted(CHOICE_CRITERIA))
def test_each_list_criterion_holds_for_a_listed_value_only(criterion: str) -> None:
    fact, choices = CHOICE_CRITERIA[criterion]
    wanted = frozenset(choices[:1])
    other = choices[1]
    service = terms(**{criterion: wanted})
    # when the returnee's value is listed, is another, or is not recorded
    listed = check(service, Person(**{fact: choices[0]}), TODAY)
    unlisted = check(service, Person(**{fact: other}), TODAY)
    unknown = check(service, Person(), TODAY)
    # then only the listed value passes; the others say why, with the returnee's value and the list
    assert problems_of(listed) == []
    assert problems_of(unlisted) == [("eligibility", "not_in_list", criterion, other, wanted)]
    assert problems_of(unknown) == [("eligibility", "not_recorded", criterion, None, wanted)]
    assert (listed.eligible, unlisted.eligible, unknown.eligible) == (True, False, False)


@pytest.mark.parametrize("criterion", sorted(CHOICE_CRITERIA))
def test_a_list_criterion_is_any_of_its_values(criterion: str) -> None:
    fact, choices = CHOICE_CRITERIA[criterion]
    # given a service for every value of the fact
    service = terms(**{criterion: frozenset(choices)})
    # when checked for each value, then each is eligible
    assert [check(service, Person(**{fact: value}), TODAY).eligible for value in choices] == [True] * len(
        choices
    )


@pytest.mark.parametrize(
    ("criterion", "field_of_person", "wanted"),
    [
        ("vulnerabilities", "vulnerabilities", frozenset({"disability", "chronic_illness"})),
        ("categories", "categories", frozenset({"returned_child", "highly_skilled"})),
    ],
)
def test_vulnerabilities_and_categories_need_any_one_of_the_list(
    criterion: str, field_of_person: str, wanted: frozenset[str]
) -> None:
    service = terms(**{criterion: wanted})
    first, second = sorted(wanted)
    outside = "female_head_of_household"
    # when the returnee has one, both, one outside the list, or none
    one = check(service, Person(**{field_of_person: frozenset({first})}), TODAY)
    both = check(service, Person(**{field_of_person: wanted}), TODAY)
    mixed = check(service, Person(**{field_of_person: frozenset({second, outside})}), TODAY)
    other = check(service, Person(**{field_of_person: frozenset({outside})}), TODAY)
    none = check(service, Person(), TODAY)
    # then any one is enough; without one the reason is "none of", with the list
    assert [one.eligible, both.eligible, mixed.eligible] == [True, True, True]
    assert problems_of(other) == [("eligibility", "none_of", criterion, None, wanted)]
    assert problems_of(none) == [("eligibility", "none_of", criterion, None, wanted)]


def test_every_failing_criterion_is_reported_in_a_fixed_order() -> None:
    # given a service restricted on everything, and a returnee who meets none of it
    service = Terms(
        "s",
        criteria=Criteria(
            min_age=18,
            sexes=frozenset({"female"}),
            return_types=frozenset({"forced"}),
            statuses_abroad=frozenset({"refugee"}),
            employment_statuses=frozenset({"employed"}),
            vulnerabilities=frozenset({"disability"}),
            categories=frozenset({"returned_child"}),
            max_months_since_return=12,
        ),
        coverage=Coverage(governorates=frozenset({"IQG11"}), settlements=frozenset({"rural"})),
    )
    person = Person(
        age=16,
        sex="male",
        return_type=None,
        status_abroad="worker",
        employment_status="retired",
        months_since_return=30,
        governorate="IQG08",
        district="IQG08Q01",
        settlement="urban",
    )
    # when checked
    verdict = check(service, person, TODAY)
    # then every reason, ints first, then lists, then place
    assert problems_of(verdict) == [
        ("eligibility", "age_below", "min_age", 16, 18),
        ("eligibility", "months_above", "max_months_since_return", 30, 12),
        ("eligibility", "not_in_list", "sexes", "male", frozenset({"female"})),
        ("eligibility", "not_recorded", "return_types", None, frozenset({"forced"})),
        ("eligibility", "not_in_list", "statuses_abroad", "worker", frozenset({"refugee"})),
        ("eligibility", "not_in_list", "employment_statuses", "retired", frozenset({"employed"})),
        ("eligibility", "none_of", "vulnerabilities", None, frozenset({"disability"})),
        ("eligibility", "none_of", "categories", None, frozenset({"returned_child"})),
        ("eligibility", "place", "place", "IQG08Q01", frozenset({"IQG11"})),
        ("eligibility", "settlement", "settlement", "urban", frozenset({"rural"})),
    ]
    assert verdict.reasons == verdict.problems
    assert verdict.eligible is False
    assert verdict.available is True


# ---------------------------------------------------------------------------------------------------
# The oracle and random criteria
# ---------------------------------------------------------------------------------------------------


def _group(criterion: str) -> str:
    """Both bounds of one number are one question to the returnee: at most one reason between them."""
    if criterion in ("min_age", "max_age"):
        return "age"
    if criterion in ("min_months_since_return", "max_months_since_return"):
        return "months"
    return criterion


def _outside(value: int | None, low: int | None, high: int | None) -> bool:
    if low is None and high is None:
        return False
    if value is None:
        return True
    return (low is not None and value < low) or (high is not None and value > high)


def oracle_failing(service: Terms, person: Person) -> set[str]:
    """The criteria (grouped as ``_group``) the person fails, from the documented semantics."""
    c = service.criteria
    failing = set()
    if _outside(person.age, c.min_age, c.max_age):
        failing.add("age")
    if _outside(person.months_since_return, c.min_months_since_return, c.max_months_since_return):
        failing.add("months")
    for criterion, (fact, _choices) in CHOICE_CRITERIA.items():
        wanted = getattr(c, criterion)
        if wanted and getattr(person, fact) not in wanted:
            failing.add(criterion)
    if c.vulnerabilities and not (c.vulnerabilities & person.vulnerabilities):
        failing.add("vulnerabilities")
    if c.categories and not (c.categories & person.categories):
        failing.add("categories")
    failing.update(criterion for _code, criterion, _actual, _limit in oracle_place(service.coverage, person))
    return failing


def oracle_place(coverage: Coverage, person: Person) -> list[tuple[str, str, Any, Any]]:
    """(code, criterion, actual, limit) of the place problems, from the documented meaning of coverage."""
    if coverage.remote:
        return []
    out: list[tuple[str, str, Any, Any]] = []
    places = coverage.governorates | coverage.districts
    actual = person.district or person.governorate
    if not coverage.nationwide and person.governorate not in coverage.governorates:
        if person.governorate is None:
            out.append(("place_unknown", "place", actual, places))
        elif person.district is not None:
            if person.district not in coverage.districts:
                out.append(("place", "place", actual, places))
        elif any(DISTRICT_GOVERNORATE[d] == person.governorate for d in coverage.districts):
            out.append(("place_unknown", "place", actual, places))
        else:
            out.append(("place", "place", actual, places))
    if coverage.settlements:
        if person.settlement is None:
            out.append(("settlement_unknown", "settlement", None, coverage.settlements))
        elif person.settlement not in coverage.settlements:
            out.append(("settlement", "settlement", person.settlement, coverage.settlements))
    return out


def oracle_available(service: Terms, today: date) -> bool:
    return (
        service.active
        and (service.starts_on is None or service.starts_on <= today)
        and (service.ends_on is None or today <= service.ends_on)
        and (service.capacity is None or service.load < service.capacity)
    )


def _rarely(strategy: st.SearchStrategy[Any], otherwise: Any) -> st.SearchStrategy[Any]:
    # One criterion in four is restricted, so that random returnees are eligible often enough to matter.
    return st.integers(0, 3).flatmap(lambda n: strategy if n == 0 else st.just(otherwise))


def _ordered_bounds(high: int) -> st.SearchStrategy[tuple[int | None, int | None]]:
    # Near values are drawn often so that bounds and the returnee's value meet at the edges.
    number = st.integers(15, 20) | st.integers(0, high)
    return st.tuples(_rarely(number, None), _rarely(number, None)).map(
        lambda pair: tuple(sorted(pair)) if None not in pair else pair
    )


def _subset(choices: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(choices), max_size=3)


def _restriction(choices: tuple[str, ...]) -> st.SearchStrategy[frozenset[str]]:
    return _rarely(st.frozensets(st.sampled_from(choices), min_size=1, max_size=3), frozenset())


@st.composite
def random_criteria(draw: st.DrawFn, *, with_categories: bool = True) -> Criteria:
    min_age, max_age = draw(_ordered_bounds(130))
    min_months, max_months = draw(_ordered_bounds(1200))
    return Criteria(
        min_age=min_age,
        max_age=max_age,
        sexes=draw(_restriction(SEXES)),
        return_types=draw(_restriction(RETURN_TYPES)),
        statuses_abroad=draw(_restriction(STATUSES_ABROAD)),
        employment_statuses=draw(_restriction(EMPLOYMENT_STATUSES)),
        vulnerabilities=draw(_restriction(VULNERABILITIES)),
        categories=draw(_restriction(CATEGORIES)) if with_categories else frozenset(),
        min_months_since_return=min_months,
        max_months_since_return=max_months,
    )


PLACES = [
    (None, None),
    ("IQG08", None),
    ("IQG08", "IQG08Q01"),
    ("IQG08", "IQG08Q06"),
    ("IQG11", None),
    ("IQG11", "IQG11Q02"),
    ("IQG15", None),
    ("IQG15", "IQG15Q05"),
]


@st.composite
def random_person(draw: st.DrawFn) -> Person:
    number = st.none() | st.integers(15, 20) | st.integers(0, 130)
    governorate, district = draw(st.sampled_from(PLACES))
    return Person(
        age=draw(number),
        sex=draw(st.none() | st.sampled_from(SEXES)),
        return_type=draw(st.none() | st.sampled_from(RETURN_TYPES)),
        status_abroad=draw(st.none() | st.sampled_from(STATUSES_ABROAD)),
        employment_status=draw(st.none() | st.sampled_from(EMPLOYMENT_STATUSES)),
        months_since_return=draw(number),
        vulnerabilities=draw(_subset(VULNERABILITIES)),
        categories=draw(_subset(CATEGORIES)),
        governorate=governorate,
        district=district,
        settlement=draw(st.none() | st.sampled_from(SETTLEMENTS)),
    )


random_coverage = st.builds(
    Coverage,
    nationwide=st.booleans(),
    remote=st.booleans(),
    governorates=st.frozensets(st.sampled_from(("IQG08", "IQG11", "IQG15")), max_size=2),
    districts=st.frozensets(st.sampled_from(tuple(DISTRICT_GOVERNORATE)), max_size=2),
    settlements=_restriction(SETTLEMENTS),
).filter(lambda c: c.nationwide or c.remote or c.governorates or c.districts)

random_days = _rarely(st.dates(date(2025, 6, 13), date(2025, 6, 17)), None)


@st.composite
def random_terms(draw: st.DrawFn) -> Terms:
    return Terms(
        "s",
        criteria=draw(random_criteria()),
        coverage=draw(random_coverage),
        starts_on=draw(random_days),
        ends_on=draw(random_days),
        capacity=draw(_rarely(st.integers(0, 3), None)),
        load=draw(st.integers(0, 4)),
        active=draw(_rarely(st.just(False), True)),
    )


@settings(max_examples=500, deadline=None)
@given(random_terms(), random_person())
def test_check_agrees_with_the_oracle_on_random_services_and_returnees(
    service: Terms, person: Person
) -> None:
    # when a random returnee is checked against a random service
    verdict = check(service, person, TODAY)
    failing = oracle_failing(service, person)
    # then eligible exactly when the oracle finds no failing criterion
    assert verdict.eligible is (failing == set())
    # and the reasons name exactly the failing criteria, each once
    reported = [_group(p.criterion) for p in verdict.reasons]
    assert sorted(reported) == sorted(failing)
    # and eligible means no eligibility problem, whatever the availability
    assert verdict.eligible is (not any(p.kind == "eligibility" for p in verdict.problems))
    assert verdict.available is oracle_available(service, TODAY)
    assert {p.criterion for p in verdict.problems if p.kind == "availability"} <= {
        "active",
        "period",
        "capacity",
    }


@settings(max_examples=300, deadline=None)
@given(random_terms(), random_person())
def test_availability_never_changes_eligibility(service: Terms, person: Person) -> None:
    # given the same service always available: open-ended, unlimited, active
    always = Terms("s", criteria=service.criteria, coverage=service.coverage)
    # when both are checked
    verdict, always_verdict = check(service, person, TODAY), check(always, person, TODAY)
    # then the eligibility problems are the same, and the available one has no other problem
    assert verdict.reasons == always_verdict.reasons
    assert verdict.eligible is always_verdict.eligible
    assert always_verdict.problems == always_verdict.reasons


@settings(max_examples=300, deadline=None)
@given(random_criteria(), random_person())
def test_each_reason_says_what_failed_with_the_returnees_value_and_the_limit(
    criteria: Criteria, person: Person
) -> None:
    # when checked against a nationwide service
    verdict = check(Terms("s", criteria=criteria), person, TODAY)
    # then each reason is exactly the one the oracle expects for its criterion
    for problem in verdict.reasons:
        assert problem.kind == "eligibility"
        if problem.criterion in ("min_age", "max_age"):
            low, high, value, unit = criteria.min_age, criteria.max_age, person.age, "age"
        elif problem.criterion in ("min_months_since_return", "max_months_since_return"):
            low, high, value, unit = (
                criteria.min_months_since_return,
                criteria.max_months_since_return,
                person.months_since_return,
                "months",
            )
        elif problem.criterion in CHOICE_CRITERIA:
            actual = getattr(person, CHOICE_CRITERIA[problem.criterion][0])
            wanted = getattr(criteria, problem.criterion)
            code = "not_recorded" if actual is None else "not_in_list"
            assert (problem.code, problem.actual, problem.limit) == (code, actual, wanted)
            continue
        else:
            assert problem.criterion in ("vulnerabilities", "categories")
            assert (problem.code, problem.actual, problem.limit) == (
                "none_of",
                None,
                getattr(criteria, problem.criterion),
            )
            continue
        expected: tuple[str, str, int | None, int | None]
        if value is None:
            which = f"min_{unit}" if low is not None else f"max_{unit}"
            expected = ("not_recorded", which.replace("months", "months_since_return"), None, None)
        elif low is not None and value < low:
            expected = (f"{unit}_below", problem.criterion, value, low)
        else:
            expected = (f"{unit}_above", problem.criterion, value, high)
        assert (problem.code, problem.criterion, problem.actual, problem.limit) == expected


@settings(max_examples=300, deadline=None)
@given(random_criteria(), st.data())
def test_a_returnee_meeting_every_criterion_is_eligible_and_losing_one_fact_gives_that_reason(
    criteria: Criteria, data: st.DataObject
) -> None:
    # given a returnee drawn to meet every criterion of a random nationwide service
    def within(low: int | None, high: int | None, top: int) -> int:
        return data.draw(st.integers(0 if low is None else low, top if high is None else high))

    facts: dict[str, Any] = {
        "age": within(criteria.min_age, criteria.max_age, 130),
        "months_since_return": within(
            criteria.min_months_since_return, criteria.max_months_since_return, 1200
        ),
    }
    for criterion, (fact, choices) in CHOICE_CRITERIA.items():
        wanted = getattr(criteria, criterion)
        facts[fact] = data.draw(st.sampled_from(sorted(wanted) or choices))
    for name, universe in (("vulnerabilities", VULNERABILITIES), ("categories", CATEGORIES)):
        wanted = getattr(criteria, name)
        one = {data.draw(st.sampled_from(sorted(wanted)))} if wanted else set()
        facts[name] = frozenset(one | data.draw(_subset(universe)))
    person = Person(**facts)
    service = Terms("s", criteria=criteria)
    # when checked, then eligible
    assert check(service, person, TODAY).problems == ()
    # and when one restricted fact is not recorded, exactly that one reason
    restricted = {
        "age": criteria.min_age is not None or criteria.max_age is not None,
        "months_since_return": criteria.min_months_since_return is not None
        or criteria.max_months_since_return is not None,
        **{fact: bool(getattr(criteria, name)) for name, (fact, _c) in CHOICE_CRITERIA.items()},
        "vulnerabilities": bool(criteria.vulnerabilities),
        "categories": bool(criteria.categories),
    }
    for fact in [name for name, is_restricted in restricted.items() if is_restricted]:
        empty: frozenset[str] | None = frozenset() if fact in ("vulnerabilities", "categories") else None
        verdict = check(service, Person(**{**facts, fact: empty}), TODAY)
        (problem,) = verdict.problems
        if fact in ("vulnerabilities", "categories"):
            expected = ("none_of", fact, None, getattr(criteria, fact))
        elif fact == "age":
            expected = ("not_recorded", "min_age" if criteria.min_age is not None else "max_age", None, None)
        elif fact == "months_since_return":
            which = "min" if criteria.min_months_since_return is not None else "max"
            expected = ("not_recorded", f"{which}_months_since_return", None, None)
        else:
            criterion = next(name for name, (f, _c) in CHOICE_CRITERIA.items() if f == fact)
            expected = ("not_recorded", criterion, None, getattr(criteria, criterion))
        assert (problem.code, problem.criterion, problem.actual, problem.limit) == expected
        assert verdict.eligible is False


def test_check_all_keeps_the_order_of_the_services() -> None:
    # given three services, the second for adults only
    services = [terms("a"), terms("b", min_age=18), terms("c", max_age=10)]
    # when a 12-year-old is checked against all of them
    verdicts = check_all(services, Person(age=12), TODAY)
    # then one verdict per service, in order
    assert [(v.key, v.eligible) for v in verdicts] == [("a", True), ("b", False), ("c", False)]
    assert check_all([], Person(), TODAY) == []


def test_criteria_read_and_write_the_stored_dict() -> None:
    # given criteria as stored on a service (lists, missing keys)
    stored = {"min_age": 18, "sexes": ["female"], "categories": None, "vulnerabilities": ["disability"]}
    # when read and written back
    criteria = Criteria.from_dict(stored)
    # then
    assert criteria == Criteria(
        min_age=18, sexes=frozenset({"female"}), vulnerabilities=frozenset({"disability"})
    )
    assert criteria.to_dict() == {
        "min_age": 18,
        "max_age": None,
        "min_months_since_return": None,
        "max_months_since_return": None,
        "sexes": ["female"],
        "return_types": [],
        "statuses_abroad": [],
        "employment_statuses": [],
        "vulnerabilities": ["disability"],
        "categories": [],
    }
    assert Criteria.from_dict({}).is_open is True
    assert criteria.is_open is False
    assert Criteria(max_months_since_return=0).is_open is False


def test_a_person_is_read_from_the_registry_facts() -> None:
    # given the facts as the registry computes them, with empty texts for unknown places
    facts = {
        "age": 30,
        "sex": "female",
        "return_type": "forced",
        "status_abroad": "refugee",
        "employment_status": None,
        "months_since_return": 4,
        "vulnerabilities": ["disability"],
        "governorate": "",
        "settlement": "",
    }
    # when read
    person = Person.from_facts(facts, district="", categories=["returned_child"])
    # then empty texts are unknown
    assert person == Person(
        age=30,
        sex="female",
        return_type="forced",
        status_abroad="refugee",
        employment_status=None,
        months_since_return=4,
        vulnerabilities=frozenset({"disability"}),
        categories=frozenset({"returned_child"}),
        governorate=None,
        district=None,
        settlement=None,
    )
    assert Person.from_facts(
        {"governorate": "IQG08", "vulnerabilities": None}, district="IQG08Q01", categories=()
    ) == Person(governorate="IQG08", district="IQG08Q01")


# ---------------------------------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coverage", "governorate", "district", "expected"),
    [
        (Coverage(remote=True), None, None, True),
        (Coverage(remote=True, governorates=frozenset({"IQG11"})), "IQG08", "IQG08Q01", True),
        # Nationwide reaches every place, also one nobody recorded.
        (Coverage(nationwide=True), None, None, True),
        (Coverage(nationwide=True), "IQG15", None, True),
        (Coverage(governorates=frozenset({"IQG08"})), "IQG08", None, True),
        (Coverage(governorates=frozenset({"IQG08"})), "IQG08", "IQG08Q06", True),
        (Coverage(governorates=frozenset({"IQG08"})), "IQG11", "IQG11Q02", False),
        (Coverage(governorates=frozenset({"IQG08"})), "IQG11", None, False),
        (Coverage(governorates=frozenset({"IQG08"})), None, None, None),
        (Coverage(districts=frozenset({"IQG08Q01"})), "IQG08", "IQG08Q01", True),
        (Coverage(districts=frozenset({"IQG08Q01"})), "IQG08", "IQG08Q06", False),
        (Coverage(districts=frozenset({"IQG08Q01"})), "IQG08", None, None),
        (Coverage(districts=frozenset({"IQG08Q01"})), "IQG11", None, False),
        (Coverage(districts=frozenset({"IQG08Q01"})), "IQG11", "IQG11Q02", False),
        (Coverage(districts=frozenset({"IQG08Q01"})), None, None, None),
    ],
)
def test_coverage_reaches(
    coverage: Coverage, governorate: str | None, district: str | None, expected: Any
) -> None:
    # when asked whether the service reaches the place, then True, False, or None for "not known enough"
    assert coverage.reaches(governorate, district) is expected


@pytest.mark.parametrize(
    ("coverage", "person", "expected"),
    [
        (Coverage(remote=True), Person(), []),
        (Coverage(nationwide=True), Person(), []),
        (
            Coverage(governorates=frozenset({"IQG08"})),
            Person(governorate="IQG08", district="IQG08Q01"),
            [],
        ),
        (
            Coverage(governorates=frozenset({"IQG08"})),
            Person(governorate="IQG11", district="IQG11Q02"),
            [("place", "place", "IQG11Q02", frozenset({"IQG08"}))],
        ),
        (
            Coverage(governorates=frozenset({"IQG08"})),
            Person(governorate="IQG11"),
            [("place", "place", "IQG11", frozenset({"IQG08"}))],
        ),
        (
            Coverage(districts=frozenset({"IQG08Q01"})),
            Person(governorate="IQG08"),
            [("place_unknown", "place", "IQG08", frozenset({"IQG08Q01"}))],
        ),
        (
            Coverage(districts=frozenset({"IQG08Q01"})),
            Person(governorate="IQG08", district="IQG08Q06"),
            [("place", "place", "IQG08Q06", frozenset({"IQG08Q01"}))],
        ),
        (
            Coverage(districts=frozenset({"IQG08Q01"})),
            Person(),
            [("place_unknown", "place", None, frozenset({"IQG08Q01"}))],
        ),
        (Coverage(nationwide=True, settlements=frozenset({"urban"})), Person(settlement="urban"), []),
        (
            Coverage(nationwide=True, settlements=frozenset({"urban"})),
            Person(settlement="rural"),
            [("settlement", "settlement", "rural", frozenset({"urban"}))],
        ),
        (
            Coverage(nationwide=True, settlements=frozenset({"urban"})),
            Person(),
            [("settlement_unknown", "settlement", None, frozenset({"urban"}))],
        ),
        # Remote services reach people wherever and however they live.
        (Coverage(remote=True, settlements=frozenset({"urban"})), Person(settlement="rural"), []),
        (Coverage(remote=True, districts=frozenset({"IQG08Q01"})), Person(), []),
    ],
)
def test_place_problems(coverage: Coverage, person: Person, expected: list[tuple[Any, ...]]) -> None:
    # when an open service with this coverage is checked
    verdict = check(Terms("s", coverage=coverage), person, TODAY)
    # then exactly these place problems
    assert [(p.code, p.criterion, p.actual, p.limit) for p in verdict.problems] == expected
    assert all(p.kind == "eligibility" for p in verdict.problems)


def test_every_coverage_shape_against_every_place_agrees_with_the_oracle() -> None:
    # given every combination of a small grid of coverages and of places where a returnee may live
    coverages = [
        Coverage(
            nationwide=nationwide,
            remote=remote,
            governorates=frozenset(governorates),
            districts=frozenset(districts),
            settlements=frozenset(settlements),
        )
        for nationwide, remote, governorates, districts, settlements in itertools.product(
            (False, True),
            (False, True),
            ((), ("IQG08",), ("IQG08", "IQG11")),
            ((), ("IQG08Q01",), ("IQG11Q02",), ("IQG08Q01", "IQG15Q05")),
            ((), ("urban",), ("rural",), ("urban", "rural")),
        )
        if nationwide or remote or governorates or districts
    ]
    people = [
        Person(governorate=governorate, district=district, settlement=settlement)
        for (governorate, district), settlement in itertools.product(PLACES, (None, *SETTLEMENTS))
    ]
    checked = 0
    # when each is checked
    for coverage, person in itertools.product(coverages, people):
        verdict = check(Terms("s", coverage=coverage), person, TODAY)
        # then the place problems are exactly the oracle's
        got = [(p.code, p.criterion, p.actual, p.limit) for p in verdict.problems]
        assert got == oracle_place(coverage, person), (coverage, person)
        checked += 1
    assert checked == 188 * 24


# ---------------------------------------------------------------------------------------------------
# Availability
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, []),
        ({"active": False}, [("availability", "withdrawn", "active", None, None)]),
        (
            {"starts_on": date(2025, 6, 16)},
            [("availability", "not_started", "period", None, date(2025, 6, 16))],
        ),
        ({"starts_on": TODAY}, []),
        ({"starts_on": date(2025, 6, 14)}, []),
        ({"ends_on": date(2025, 6, 14)}, [("availability", "ended", "period", None, date(2025, 6, 14))]),
        ({"ends_on": TODAY}, []),
        ({"ends_on": date(2025, 6, 16)}, []),
        ({"starts_on": TODAY, "ends_on": TODAY}, []),
        ({"capacity": 10, "load": 10}, [("availability", "full", "capacity", 10, 10)]),
        ({"capacity": 10, "load": 11}, [("availability", "full", "capacity", 11, 10)]),
        ({"capacity": 10, "load": 9}, []),
        ({"capacity": 0, "load": 0}, [("availability", "full", "capacity", 0, 0)]),
        ({"capacity": None, "load": 1_000_000}, []),
        (
            {"active": False, "starts_on": date(2025, 7, 1), "capacity": 1, "load": 1},
            [
                ("availability", "withdrawn", "active", None, None),
                ("availability", "not_started", "period", None, date(2025, 7, 1)),
                ("availability", "full", "capacity", 1, 1),
            ],
        ),
    ],
)
def test_availability(changes: dict[str, Any], expected: list[tuple[Any, ...]]) -> None:
    # given an open service with these terms
    service = Terms("s", **changes)
    # when checked today
    verdict = check(service, Person(), TODAY)
    # then the availability problems, which never make anyone ineligible
    assert problems_of(verdict) == expected
    assert verdict.available is (expected == [])
    assert verdict.eligible is True
    assert verdict.reasons == ()


# ---------------------------------------------------------------------------------------------------
# The sentences
# ---------------------------------------------------------------------------------------------------

# One check per problem code ``check`` can produce, each with a returnee who fails it.
SENTENCE_CASES: list[tuple[Terms, Person]] = [
    (terms(min_age=18), Person(age=16)),
    (terms(max_age=18), Person(age=20)),
    (terms(min_months_since_return=6), Person(months_since_return=3)),
    (terms(max_months_since_return=12), Person(months_since_return=30)),
    (terms(min_age=18), Person()),
    (terms(max_months_since_return=12), Person()),
    *((terms(**{name: frozenset(choices[:2])}), Person()) for name, (_f, choices) in CHOICE_CRITERIA.items()),
    *(
        (terms(**{name: frozenset(choices[:1])}), Person(**{fact: choices[-1]}))
        for name, (fact, choices) in CHOICE_CRITERIA.items()
    ),
    (terms(vulnerabilities=frozenset({"disability", "older_person"})), Person()),
    (terms(categories=frozenset({"returned_child", "highly_skilled"})), Person()),
    (terms(categories=frozenset({"returned_child"})), Person(categories=frozenset({"highly_skilled"}))),
    (
        Terms("s", coverage=Coverage(governorates=frozenset({"IQG11"}), districts=frozenset({"IQG08Q01"}))),
        Person(governorate="IQG15", district="IQG15Q05"),
    ),
    (Terms("s", coverage=Coverage(districts=frozenset({"IQG08Q01"}))), Person(governorate="IQG08")),
    (Terms("s", coverage=Coverage(districts=frozenset({"IQG08Q01"}))), Person()),
    (
        Terms("s", coverage=Coverage(nationwide=True, settlements=frozenset({"rural"}))),
        Person(settlement="urban"),
    ),
    (Terms("s", coverage=Coverage(nationwide=True, settlements=frozenset({"urban"}))), Person()),
    (Terms("s", active=False), Person()),
    (Terms("s", starts_on=date(2025, 7, 1)), Person()),
    (Terms("s", ends_on=date(2025, 5, 31)), Person()),
    (Terms("s", capacity=20, load=20), Person()),
]
SENTENCE_PROBLEMS = [p for service, person in SENTENCE_CASES for p in check(service, person, TODAY).problems]


def test_the_sentence_cases_produce_every_problem_code() -> None:
    assert {p.code for p in SENTENCE_PROBLEMS} == {
        "age_below",
        "age_above",
        "months_below",
        "months_above",
        "not_in_list",
        "none_of",
        "not_recorded",
        "place",
        "place_unknown",
        "settlement",
        "settlement_unknown",
        "withdrawn",
        "not_started",
        "ended",
        "full",
    }
    assert len(SENTENCE_PROBLEMS) == len(SENTENCE_CASES)


@pytest.mark.parametrize("problem", SENTENCE_PROBLEMS, ids=lambda p: f"{p.code}-{p.criterion}")
def test_every_problem_is_a_sentence_in_three_languages(problem: Problem) -> None:
    # when said with the names of places and categories
    texts = problem.text(NAMES)
    # then a sentence per language, Arabic and Kurdish without a Latin letter
    assert_three_texts(texts)
    assert ASCII_LETTER.search(texts["ar"]) is None, texts["ar"]
    assert ASCII_LETTER.search(texts["ckb"]) is None, texts["ckb"]
    # and the numbers and dates of the problem are in every language
    if problem.code in ("age_below", "age_above", "months_below", "months_above", "full"):
        assert all(str(problem.actual) in text and str(problem.limit) in text for text in texts.values())
    if problem.code in ("not_started", "ended"):
        assert all(problem.limit.isoformat() in text for text in texts.values())
    # and without names, still a sentence per language
    assert all(text.strip() for text in problem.text().values())


@pytest.mark.parametrize(
    ("service", "person", "english"),
    [
        (terms(min_age=18), Person(age=16), "Age 16 is under the minimum of 18"),
        (terms(max_age=18), Person(age=20), "Age 20 is over the maximum of 18"),
        (
            terms(min_months_since_return=6),
            Person(months_since_return=3),
            "Returned 3 months ago; the service starts 6 months after return",
        ),
        (
            terms(max_months_since_return=12),
            Person(months_since_return=30),
            "Returned 30 months ago; the service is for returns within 12 months",
        ),
        (terms(min_age=18), Person(), "Age: not recorded, and the service depends on it"),
        (
            terms(sexes=frozenset({"female"})),
            Person(sex="male"),
            "Sex: male; the service is for: female",
        ),
        (
            terms(return_types=frozenset({"forced", "evacuated", "assisted_voluntary"})),
            Person(return_type="internal_return"),
            "Return type: return of an internally displaced person; the service is for: "
            "assisted voluntary return, evacuation by the government or forced return",
        ),
        (
            terms(vulnerabilities=frozenset({"disability", "older_person"})),
            Person(),
            "Vulnerabilities: none of disability or older person",
        ),
        (
            terms(categories=frozenset({"returned_child", "highly_skilled"})),
            Person(),
            "Categories: none of Highly skilled or Returned child",
        ),
        (
            Terms(
                "s", coverage=Coverage(governorates=frozenset({"IQG11"}), districts=frozenset({"IQG08Q01"}))
            ),
            Person(governorate="IQG15", district="IQG15Q05"),
            "The service is offered in Abu Ghraib or Erbil, not in Sinjar",
        ),
        (
            Terms("s", coverage=Coverage(districts=frozenset({"IQG08Q01"}))),
            Person(governorate="IQG08"),
            "Where the returnee lives is not recorded precisely enough; the service is offered in Abu Ghraib",
        ),
        (
            Terms("s", coverage=Coverage(nationwide=True, settlements=frozenset({"urban"}))),
            Person(settlement="rural"),
            "The service is for urban areas only; the returnee lives in a rural area",
        ),
        (
            Terms("s", coverage=Coverage(nationwide=True, settlements=frozenset({"urban"}))),
            Person(),
            "The service is for urban areas only; urban or rural is not recorded",
        ),
        (Terms("s", ends_on=date(2025, 5, 31)), Person(), "The service ended on 2025-05-31"),
        (Terms("s", capacity=20, load=20), Person(), "No places left this month (20 of 20 taken)"),
    ],
)
def test_sentences_in_english(service: Terms, person: Person, english: str) -> None:
    # when the single problem is said
    (problem,) = check(service, person, TODAY).problems
    # then
    assert problem.text(NAMES)["en"] == english


def test_the_arabic_and_kurdish_sentences_carry_the_numbers() -> None:
    # given a 16-year-old and a service from 18
    (problem,) = check(terms(min_age=18), Person(age=16), TODAY).problems
    # when said, then
    assert problem.text() == {
        "ar": "العمر 16، والحد الأدنى 18",
        "ckb": "تەمەن 16ە، کەمترین تەمەن 18ە",
        "en": "Age 16 is under the minimum of 18",
    }


def test_the_english_sentence_for_an_urban_returnee_is_grammatical() -> None:
    # given a rural-only service and a returnee in a town
    service = Terms("s", coverage=Coverage(nationwide=True, settlements=frozenset({"rural"})))
    (problem,) = check(service, Person(settlement="urban"), TODAY).problems
    # when said in English, then "an urban area"
    assert problem.text()["en"] == "The service is for rural areas only; the returnee lives in an urban area"


def test_a_service_that_reaches_nowhere_still_says_why() -> None:
    # given a service stored with no coverage at all (the admin can save one; validate_document refuses it)
    service = Terms("s", coverage=Coverage())
    # when a returnee is checked, then the reason is the place
    (problem,) = check(service, Person(governorate="IQG08"), TODAY).problems
    assert (problem.code, problem.limit) == ("nowhere", frozenset())
    # and it can be said
    assert all(text.strip() for text in problem.text(NAMES).values())


# ---------------------------------------------------------------------------------------------------
# validate_document
# ---------------------------------------------------------------------------------------------------

SERVICE_CATEGORY_NAMES = {
    "legal": ("مساعدة قانونية", "یارمەتیی یاسایی", "Legal aid"),
    "health": ("رعاية صحية", "چاودێریی تەندروستی", "Health care"),
}


def _known() -> Known:
    """Built as ``queries.known_codes`` builds it from the database."""
    governorates = ("IQG08", "IQG11", "IQG15")
    districts = {"IQG08Q01": "IQG08", "IQG11Q02": "IQG11", "IQG15Q05": "IQG15"}
    place_names: dict[str, str] = {}
    for pcode in [*districts, *governorates]:
        for text in NAMES[pcode].values():
            place_names[normalize_name(text)] = pcode
        place_names[normalize_name(pcode)] = pcode
    service_categories = {
        normalize_name(text): code
        for code, texts in SERVICE_CATEGORY_NAMES.items()
        for text in (code, *texts)
    }
    return Known(
        organisations=frozenset({"irc", "unhcr"}),
        programmes={"irc-legal": "irc", "unhcr-shelter": "unhcr"},
        service_categories=service_categories,
        governorates=frozenset(governorates),
        district_governorate=districts,
        place_names=place_names,
        category_conditions={
            "returned_child": {"fact": "age", "op": "<", "value": 18},
            "female_head_of_household": {
                "all": [
                    {"fact": "sex", "op": "==", "value": "female"},
                    {"fact": "is_head_of_household", "op": "is_true"},
                ]
            },
            "highly_skilled": {"fact": "highest_skill_level", "op": ">=", "value": 3},
        },
        names=NAMES,
    )


KNOWN = _known()

# A complete description as a spreadsheet row gives it.
VALID: dict[str, Any] = {
    "code": "Legal-Aid-Baghdad",
    "organisation": "irc",
    "programme": "irc-legal",
    "category": "  Legal Aid ",
    "name_ar": "مساعدة قانونية",
    "name_ckb": "یارمەتیی یاسایی",
    "name_en": "Legal aid",
    "description_ar": "استشارات قانونية مجانية",
    "description_ckb": "ڕاوێژی یاسایی بەخۆڕایی",
    "description_en": "Free legal advice",
    "how_to_access_ar": "",
    "how_to_access_ckb": None,
    "how_to_access_en": "Call first",
    "cost": "Free",
    "languages": "ar; CKB; ar",
    "nationwide": "لا",
    "remote": "yes",
    "governorates": "Baghdad; أربيل",
    "districts": "IQG15Q05",
    "settlements": "urban; rural",
    "min_age": "١٢",
    "max_age": "60",
    "sexes": "female",
    "return_types": "forced, assisted_voluntary",
    "statuses_abroad": "",
    "employment_statuses": [],
    "vulnerabilities": "Disability",
    "categories": "returned_child",
    "min_months_since_return": 0,
    "max_months_since_return": "12",
    "capacity_per_month": "12",
    "current_load": "",
    "phone": "0770 123 4567",
    "email": "legal@irc.example",
    "hours_days": "Sun; mon",
    "hours_opens": "8:30",
    "hours_closes": "14:00",
    "starts_on": "2025-01-01",
    "ends_on": "2025-12-31T00:00:00",
}

VALID_NORMALISED: dict[str, Any] = {
    "code": "legal-aid-baghdad",
    "organisation": "irc",
    "programme": "irc-legal",
    "category": "legal",
    "name_ar": "مساعدة قانونية",
    "name_ckb": "یارمەتیی یاسایی",
    "name_en": "Legal aid",
    "description_ar": "استشارات قانونية مجانية",
    "description_ckb": "ڕاوێژی یاسایی بەخۆڕایی",
    "description_en": "Free legal advice",
    "how_to_access_ar": "",
    "how_to_access_ckb": "",
    "how_to_access_en": "Call first",
    "cost": "free",
    "languages": ["ar", "ckb"],
    "nationwide": False,
    "remote": True,
    "governorates": ["IQG08", "IQG11"],
    "districts": ["IQG15Q05"],
    "settlements": [],
    "min_age": 12,
    "max_age": 60,
    "sexes": ["female"],
    "return_types": ["assisted_voluntary", "forced"],
    "statuses_abroad": [],
    "employment_statuses": [],
    "vulnerabilities": ["disability"],
    "categories": ["returned_child"],
    "min_months_since_return": 0,
    "max_months_since_return": 12,
    "capacity_per_month": 12,
    "current_load": 0,
    "phone": "+9647701234567",
    "email": "legal@irc.example",
    "hours_days": ["sun", "mon"],
    "hours_opens": "08:30",
    "hours_closes": "14:00",
    "starts_on": "2025-01-01",
    "ends_on": "2025-12-31",
}


def errors_in_english(**changes: Any) -> dict[str, list[str]]:
    """The errors of VALID with ``changes``, in English; every message checked in three languages."""
    checked = validate_document({**VALID, **changes}, KNOWN)
    for messages in checked.errors.values():
        for message in messages:
            assert_three_texts(message)
    assert checked.ok is (not checked.errors)
    return {name: [message["en"] for message in messages] for name, messages in checked.errors.items()}


def test_a_complete_description_is_normalised() -> None:
    # when the spreadsheet row is checked
    checked = validate_document(VALID, KNOWN)
    # then no error, and a JSON document with every field in order
    assert checked.errors == {}
    assert checked.ok is True
    assert checked.document == VALID_NORMALISED
    assert list(checked.document) == list(rules.FIELDS)


def test_the_same_description_as_json_is_accepted_as_it_is() -> None:
    # when the normalised document is checked again (as the API would send it)
    checked = validate_document(VALID_NORMALISED, KNOWN)
    # then nothing changes
    assert (checked.errors, checked.document) == ({}, VALID_NORMALISED)


@pytest.mark.parametrize(
    ("changes", "document"),
    [
        ({"nationwide": "نعم", "remote": "لا", "governorates": "", "districts": None}, {}),
        ({"nationwide": True, "remote": "0", "governorates": [], "districts": []}, {}),
        ({"nationwide": "Yes", "remote": "بەڵێ", "governorates": "", "districts": ""}, {"remote": True}),
        ({"min_age": 12, "max_age": "٦٠"}, {}),
        ({"min_age": "12", "capacity_per_month": 12.0}, {}),
        ({"min_age": ""}, {"min_age": None}),
        ({"capacity_per_month": "", "current_load": None}, {"capacity_per_month": None}),
        ({"settlements": "Rural"}, {"settlements": ["rural"]}),
        ({"settlements": ""}, {"settlements": []}),
        ({"governorates": "بغداد، Erbil", "districts": "Sinjar"}, {}),
        ({"governorates": "iqg08\nIQG11; Baghdad"}, {}),
        # The district sharing its governorate's name is found by its P-code.
        (
            {"governorates": "IQG08", "districts": "IQG11Q02"},
            {"governorates": ["IQG08"], "districts": ["IQG11Q02"]},
        ),
        ({"category": "رعاية صحية"}, {"category": "health"}),
        ({"category": "HEALTH"}, {"category": "health"}),
        ({"programme": ""}, {"programme": ""}),
        ({"phone": "+964 770 123 4567"}, {}),
        ({"phone": ""}, {"phone": ""}),
        ({"cost": ""}, {"cost": "free"}),
        (
            {"hours_days": "", "hours_opens": "", "hours_closes": ""},
            {"hours_days": [], "hours_opens": "", "hours_closes": ""},
        ),
        ({"starts_on": date(2025, 2, 1), "ends_on": ""}, {"starts_on": "2025-02-01", "ends_on": None}),
        ({"capacity_per_month": "5", "current_load": "5"}, {"capacity_per_month": 5, "current_load": 5}),
        ({"min_age": 10, "max_age": 10}, {"min_age": 10, "max_age": 10}),
        ({"min_age": "0", "max_age": "130"}, {"min_age": 0, "max_age": 130}),
        ({"max_months_since_return": "1200"}, {"max_months_since_return": 1200}),
    ],
)
def test_values_are_read_as_forms_files_and_json_give_them(
    changes: dict[str, Any], document: dict[str, Any]
) -> None:
    # when a variant of the complete row is checked
    checked = validate_document({**VALID, **changes}, KNOWN)
    # then no error and the expected values
    assert checked.errors == {}
    expected = {**VALID_NORMALISED, **document}
    if "nationwide" in changes:
        expected.update(nationwide=True, remote=document.get("remote", False), governorates=[], districts=[])
    assert checked.document == expected


def test_lists_come_out_in_one_canonical_order() -> None:
    # given lists typed in any order, with repeats
    changes = {
        "languages": "en; ar; en",
        "hours_days": "Fri; sat; mon",
        "governorates": "Erbil; IQG08",
        "districts": "",
        "return_types": "forced; evacuated",
        "vulnerabilities": ["older_person", "disability"],
        "categories": "highly_skilled; returned_child",
        "settlements": "rural",
    }
    # when checked
    checked = validate_document({**VALID, **changes}, KNOWN)
    # then criteria sorted, places sorted, the others in the order of their choices
    assert checked.errors == {}
    assert {name: checked.document[name] for name in changes} == {
        "languages": ["ar", "en"],
        "hours_days": ["sat", "mon", "fri"],
        "governorates": ["IQG08", "IQG11"],
        "districts": [],
        "return_types": ["evacuated", "forced"],
        "vulnerabilities": ["disability", "older_person"],
        "categories": ["highly_skilled", "returned_child"],
        "settlements": ["rural"],
    }


@pytest.mark.parametrize(("name", "lang"), list(itertools.product(rules.REQUIRED_TEXTS, LANGUAGES)))
def test_names_and_descriptions_are_required_in_every_language(name: str, lang: str) -> None:
    # when one language's text is left empty (or blank), then that field alone is refused
    assert errors_in_english(**{f"{name}_{lang}": "  "}) == {f"{name}_{lang}": ["This field is required."]}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"code": ""}, {"code": ["This field is required."]}),
        ({"code": "legal aid"}, {"code": ["Use lower-case Latin letters, digits and hyphens only."]}),
        ({"code": "legal--aid"}, {"code": ["Use lower-case Latin letters, digits and hyphens only."]}),
        ({"code": "مساعدة"}, {"code": ["Use lower-case Latin letters, digits and hyphens only."]}),
        ({"code": "a" * 61}, {"code": ["Use lower-case Latin letters, digits and hyphens only."]}),
        (
            {"organisation": ""},
            {
                "organisation": ["This field is required."],
                "programme": ["This organisation has no programme with the code irc-legal."],
            },
        ),
        (
            {"organisation": "nobody", "programme": ""},
            {"organisation": ["No organisation has the code nobody."]},
        ),
        (
            {"programme": "unhcr-shelter"},
            {"programme": ["This organisation has no programme with the code unhcr-shelter."]},
        ),
        ({"programme": "ghost"}, {"programme": ["This organisation has no programme with the code ghost."]}),
        ({"category": "Cooking"}, {"category": ["Unknown service category: Cooking."]}),
        ({"category": ""}, {"category": ["This field is required."]}),
        ({"name_en": "x" * 201}, {"name_en": ["The text is longer than 200 characters."]}),
        (
            {"how_to_access_ar": "x" * 2001},
            {"how_to_access_ar": ["The text is longer than 2000 characters."]},
        ),
        ({"cost": "expensive"}, {"cost": ["Unknown value: expensive."]}),
        ({"languages": "ar; fr"}, {"languages": ["Unknown value: fr."]}),
        ({"settlements": "suburban"}, {"settlements": ["Unknown value: suburban."]}),
        ({"sexes": "other"}, {"sexes": ["Unknown value: other."]}),
        ({"sexes": ["female", "x"]}, {"sexes": ["Unknown value: x."]}),
        ({"return_types": "deported"}, {"return_types": ["Unknown value: deported."]}),
        ({"statuses_abroad": "tourist"}, {"statuses_abroad": ["Unknown value: tourist."]}),
        ({"employment_statuses": "busy"}, {"employment_statuses": ["Unknown value: busy."]}),
        ({"vulnerabilities": "sadness"}, {"vulnerabilities": ["Unknown value: sadness."]}),
        ({"categories": "nobodies"}, {"categories": ["Unknown value: nobodies."]}),
        ({"hours_days": "sun; someday"}, {"hours_days": ["Unknown value: someday."]}),
        ({"governorates": "Atlantis"}, {"governorates": ["Unknown place: Atlantis."]}),
        ({"districts": "IQG99Q99"}, {"districts": ["Unknown place: IQG99Q99."]}),
        (
            {"governorates": "Sinjar; IQG08"},
            {"governorates": ["Sinjar is not a governorate; list it among the districts."]},
        ),
        (
            {"districts": "Baghdad"},
            {"districts": ["Baghdad is not a district; list it among the governorates."]},
        ),
        (
            {"nationwide": "yes"},
            {
                "governorates": [
                    "The service covers the whole country; do not list governorates or districts as well."
                ]
            },
        ),
        (
            {"nationwide": "yes", "governorates": ""},
            {
                "governorates": [
                    "The service covers the whole country; do not list governorates or districts as well."
                ]
            },
        ),
        (
            {"districts": "IQG08Q01"},
            {
                "districts": [
                    "The district Abu Ghraib lies in a governorate already listed (Baghdad); remove one of them."
                ]
            },
        ),
        (
            {"nationwide": "no", "remote": "no", "governorates": "", "districts": ""},
            {
                "governorates": [
                    "The service reaches nowhere: choose a governorate or district, the whole country, or by "
                    "phone or online."
                ]
            },
        ),
        # A place that was given but not understood is one error, not two.
        (
            {"remote": "no", "governorates": "Atlantis", "districts": ""},
            {"governorates": ["Unknown place: Atlantis."]},
        ),
        ({"nationwide": "maybe"}, {"nationwide": ["Enter yes or no, not maybe."]}),
        ({"remote": "2"}, {"remote": ["Enter yes or no, not 2."]}),
        (
            {"min_age": 40, "max_age": "30"},
            {"min_age": ["The minimum (40) is above the maximum (30); nobody could meet this."]},
        ),
        (
            {"min_months_since_return": "13", "max_months_since_return": "12"},
            {
                "min_months_since_return": [
                    "The minimum (13) is above the maximum (12); nobody could meet this."
                ]
            },
        ),
        ({"max_age": 131}, {"max_age": ["The value must be between 0 and 130."]}),
        ({"min_age": "131", "max_age": ""}, {"min_age": ["The value must be between 0 and 130."]}),
        ({"min_age": -1}, {"min_age": ["The value must be between 0 and 130."]}),
        (
            {"max_months_since_return": 1201},
            {"max_months_since_return": ["The value must be between 0 and 1200."]},
        ),
        (
            {"capacity_per_month": 1_000_001},
            {"capacity_per_month": ["The value must be between 0 and 1000000."]},
        ),
        ({"max_age": "abc"}, {"max_age": ["Enter a whole number, not abc."]}),
        ({"min_age": "12.5"}, {"min_age": ["Enter a whole number, not 12.5."]}),
        ({"min_age": True}, {"min_age": ["Enter a whole number, not True."]}),
        (
            {"capacity_per_month": "5", "current_load": "6"},
            {"current_load": ["The places taken (6) are more than the places per month (5)."]},
        ),
        ({"starts_on": "2025-02-30"}, {"starts_on": ["Enter a date as YYYY-MM-DD, not 2025-02-30."]}),
        ({"ends_on": "31/12/2025"}, {"ends_on": ["Enter a date as YYYY-MM-DD, not 31/12/2025."]}),
        (
            {"starts_on": "2025-06-02", "ends_on": "2025-06-01"},
            {"ends_on": ["The end date is before the start date."]},
        ),
        ({"hours_opens": "25:00"}, {"hours_opens": ["Enter a time such as 08:30, not 25:00."]}),
        ({"hours_closes": "2pm"}, {"hours_closes": ["Enter a time such as 08:30, not 2pm."]}),
        (
            {"hours_opens": "14:00", "hours_closes": "08:00"},
            {"hours_closes": ["The closing time is before the opening time."]},
        ),
        (
            {"hours_opens": "9:00", "hours_closes": "09:00"},
            {"hours_closes": ["The closing time is before the opening time."]},
        ),
        (
            {"hours_closes": ""},
            {
                "hours_days": [
                    "Give the days and both the opening and closing times, or leave all three empty."
                ]
            },
        ),
        (
            {"hours_days": "", "hours_closes": ""},
            {
                "hours_days": [
                    "Give the days and both the opening and closing times, or leave all three empty."
                ]
            },
        ),
        ({"phone": "12"}, {"phone": ["Not a valid phone number: 12."]}),
        ({"phone": "call us"}, {"phone": ["Not a valid phone number: call us."]}),
        ({"email": "not-an-email"}, {"email": ["Not a valid email address: not-an-email."]}),
        ({"email": "a@b"}, {"email": ["Not a valid email address: a@b."]}),
        (
            {"vulnerabilities": "female_head_of_household", "categories": "female_head_of_household"},
            {
                "categories": [
                    "“female head of household” is listed both as a vulnerability and as a category; keep it in "
                    "one place."
                ]
            },
        ),
        (
            {"min_age": 18},
            {
                "categories": [
                    "Nobody who meets the other criteria can be in the category “Returned child” (Age)."
                ]
            },
        ),
        (
            {"sexes": "male", "categories": "female_head_of_household"},
            {
                "categories": [
                    "Nobody who meets the other criteria can be in the category “Female head” (Sex)."
                ]
            },
        ),
    ],
)
def test_each_mistake_is_reported_on_its_field(
    changes: dict[str, Any], expected: dict[str, list[str]]
) -> None:
    # when the complete row is checked with one mistake, then exactly that error on that field
    assert errors_in_english(**changes) == expected


@pytest.mark.parametrize(
    "changes",
    [
        {"min_age": 10, "categories": "returned_child"},
        {"min_age": 17, "categories": "returned_child"},
        {"sexes": "female", "categories": "female_head_of_household"},
        {"sexes": "", "categories": "female_head_of_household"},
        # highly_skilled is about a fact the service does not restrict
        {"min_age": 90, "max_age": None, "categories": "highly_skilled"},
    ],
)
def test_a_registry_category_compatible_with_the_other_criteria_is_accepted(changes: dict[str, Any]) -> None:
    assert errors_in_english(**changes) == {}


def test_days_that_are_not_understood_are_one_error_not_two() -> None:
    # given days nobody can read, with both times
    # when checked, then the days are reported as unknown, and not also as missing
    assert errors_in_english(hours_days="someday") == {"hours_days": ["Unknown value: someday."]}


def test_a_list_typed_on_an_arabic_keyboard_is_split_on_the_arabic_semicolon() -> None:
    # given governorates typed with the semicolon of an Arabic keyboard
    checked = validate_document({**VALID, "governorates": "بغداد؛ أربيل"}, KNOWN)
    # then they are read as two places
    assert (checked.errors, checked.document["governorates"]) == ({}, ["IQG08", "IQG11"])


def test_a_negative_number_typed_as_text_is_out_of_range() -> None:
    assert errors_in_english(min_age="-1") == {"min_age": ["The value must be between 0 and 130."]}


def test_a_time_that_is_not_understood_is_one_error_not_two() -> None:
    assert errors_in_english(hours_opens="8h") == {"hours_opens": ["Enter a time such as 08:30, not 8h."]}


def test_a_category_contradiction_is_not_reported_on_top_of_a_criteria_error() -> None:
    # given an age that is already wrong, and a category that would contradict a minimum of 18
    # when checked, then only the age is reported (the contradiction is about values not yet accepted)
    assert errors_in_english(min_age=18, max_age="abc") == {"max_age": ["Enter a whole number, not abc."]}


def test_several_mistakes_are_all_reported() -> None:
    # when a row has mistakes in many fields
    errors = errors_in_english(
        code="",
        name_ar="",
        governorates="Atlantis; Sinjar",
        min_age="x",
        sexes="other",
        phone="1",
        hours_opens="",
    )
    # then each is under its field, in the order they are found within it
    assert errors == {
        "code": ["This field is required."],
        "name_ar": ["This field is required."],
        "sexes": ["Unknown value: other."],
        "governorates": [
            "Unknown place: Atlantis.",
            "Sinjar is not a governorate; list it among the districts.",
        ],
        "min_age": ["Enter a whole number, not x."],
        "phone": ["Not a valid phone number: 1."],
        "hours_days": ["Give the days and both the opening and closing times, or leave all three empty."],
    }


def test_every_message_is_said_in_three_languages_with_its_values() -> None:
    # given a row that makes every message with parameters
    checked = validate_document(
        {**VALID, "governorates": "Baghdad", "districts": "IQG08Q01", "min_age": 40, "max_age": 30}, KNOWN
    )
    # then the values are inserted in every language, names of places in each language
    assert checked.errors == {
        "districts": [
            {
                "ar": "القضاء أبو غريب داخل محافظة مذكورة أصلًا (بغداد)؛ احذف أحدهما.",
                "ckb": "قەزای ئەبو غرێب لەناو پارێزگایەکە کە پێشتر هاتووە (بەغدا)؛ یەکێکیان لابە.",
                "en": "The district Abu Ghraib lies in a governorate already listed (Baghdad); remove one of them.",
            }
        ],
        "min_age": [
            {
                "ar": "الحد الأدنى (40) أكبر من الحد الأعلى (30)؛ لن يستوفي أحد هذا الشرط.",
                "ckb": "کەمترین (40) لە زۆرترین (30) گەورەترە؛ کەس ئەم مەرجە پڕ ناکاتەوە.",
                "en": "The minimum (40) is above the maximum (30); nobody could meet this.",
            }
        ],
    }


def test_the_criteria_of_a_document_are_the_stored_criteria() -> None:
    assert rules.criteria_of(VALID_NORMALISED) == {
        "min_age": 12,
        "max_age": 60,
        "min_months_since_return": 0,
        "max_months_since_return": 12,
        "sexes": ["female"],
        "return_types": ["assisted_voluntary", "forced"],
        "statuses_abroad": [],
        "employment_statuses": [],
        "vulnerabilities": ["disability"],
        "categories": ["returned_child"],
    }


# ---------------------------------------------------------------------------------------------------
# criteria_condition and condition_conflicts
# ---------------------------------------------------------------------------------------------------


def test_criteria_become_a_registry_condition() -> None:
    # given criteria on every fact the registry knows
    criteria = Criteria(
        min_age=18,
        max_age=60,
        sexes=frozenset({"female"}),
        return_types=frozenset({"forced", "evacuated"}),
        statuses_abroad=frozenset({"refugee"}),
        employment_statuses=frozenset({"unemployed_seeking"}),
        vulnerabilities=frozenset({"disability", "older_person"}),
        categories=frozenset({"returned_child"}),
        min_months_since_return=0,
        max_months_since_return=24,
    )
    # when turned into a condition
    condition = criteria_condition(criteria)
    # then one leaf per criterion, categories left out (they are not a fact)
    assert condition == {
        "all": [
            {"fact": "age", "op": ">=", "value": 18},
            {"fact": "age", "op": "<=", "value": 60},
            {"fact": "months_since_return", "op": ">=", "value": 0},
            {"fact": "months_since_return", "op": "<=", "value": 24},
            {"fact": "sex", "op": "in", "value": ["female"]},
            {"fact": "return_type", "op": "in", "value": ["evacuated", "forced"]},
            {"fact": "status_abroad", "op": "in", "value": ["refugee"]},
            {"fact": "employment_status", "op": "in", "value": ["unemployed_seeking"]},
            {"fact": "vulnerabilities", "op": "contains_any", "value": ["disability", "older_person"]},
        ]
    }
    assert registry_rules.validate_condition(condition) == []


def test_criteria_without_registry_facts_give_no_condition() -> None:
    # an empty dict means "no condition" (it is not itself a valid condition, so callers test for it)
    assert criteria_condition(Criteria()) == {}
    assert criteria_condition(Criteria(categories=frozenset({"returned_child"}))) == {}


def registry_facts(person: Person) -> dict[str, object]:
    """The registry's facts dict for a returnee, every fact present, unknown ones None."""
    return {
        **dict.fromkeys(registry_rules.FACTS),
        "age": person.age,
        "sex": person.sex,
        "return_type": person.return_type,
        "status_abroad": person.status_abroad,
        "employment_status": person.employment_status,
        "months_since_return": person.months_since_return,
        "vulnerabilities": sorted(person.vulnerabilities),
        "governorate": person.governorate,
        "settlement": person.settlement,
    }


@settings(max_examples=500, deadline=None)
@given(random_criteria(with_categories=False), random_person())
def test_the_registry_condition_agrees_with_check(criteria: Criteria, person: Person) -> None:
    # given a nationwide service with random criteria (no categories: not a registry fact)
    verdict = check(Terms("s", criteria=criteria), person, TODAY)
    # when the criteria are a registry condition
    condition = criteria_condition(criteria)
    # then it is a valid condition, and it holds exactly for the eligible
    if condition == {}:
        assert criteria.is_open is True
        assert verdict.eligible is True
        return
    assert registry_rules.validate_condition(condition) == []
    assert registry_rules.validate_facts(registry_facts(person)) == []
    assert registry_rules.evaluate(condition, registry_facts(person)) is verdict.eligible


def test_condition_conflicts_finds_a_contradiction_between_criteria_and_a_category() -> None:
    # given criteria from 18 and a category under 18
    own = criteria_condition(Criteria(min_age=18, sexes=frozenset({"female", "male"})))
    returned_child = {"fact": "age", "op": "<", "value": 18}
    # when checked together
    conflicts = registry_rules.condition_conflicts({"all": [own, returned_child]})
    # then one conflict, on age, at the root, outside any category
    assert [(c.code, c.path, c.fact) for c in conflicts] == [("", "", "age")]
    assert conflicts[0].message["en"] == "The conditions on “Age” in the rule can never all be true together."
    assert_three_texts(conflicts[0].message)
    # and from 17 there is none
    own17 = criteria_condition(Criteria(min_age=17))
    assert registry_rules.condition_conflicts({"all": [own17, returned_child]}) == []


def test_condition_conflicts_reports_the_innermost_conjunction() -> None:
    condition = {
        "any": [
            {"fact": "sex", "op": "==", "value": "male"},
            {
                "all": [
                    {"fact": "sex", "op": "==", "value": "male"},
                    {"fact": "sex", "op": "in", "value": ["female"]},
                ]
            },
        ]
    }
    assert [(c.code, c.path, c.fact) for c in registry_rules.condition_conflicts(condition)] == [
        ("", "any[1]", "sex")
    ]


@settings(max_examples=500, deadline=None)
@given(
    random_criteria(with_categories=False),
    st.sampled_from(sorted(KNOWN.category_conditions)),
    random_person(),
    st.none() | st.booleans(),
    st.none() | st.integers(1, 4),
)
def test_a_reported_conflict_is_never_met(
    criteria: Criteria, category: str, person: Person, head: bool | None, skill: int | None
) -> None:
    # given random criteria beside a registry category, and a returnee with the facts both ask about
    own = criteria_condition(criteria)
    facts = {**registry_facts(person), "is_head_of_household": head, "highest_skill_level": skill}
    together = {"all": [own or {"fact": "age", "op": "not_empty"}, KNOWN.category_conditions[category]]}
    # when a conflict is reported, then nobody meets both
    if registry_rules.condition_conflicts(together):
        assert registry_rules.evaluate(together, facts) is False


@pytest.mark.parametrize(
    ("criteria", "category", "conflicting"),
    [
        (Criteria(min_age=18), "returned_child", ["age"]),
        (Criteria(min_age=17), "returned_child", []),
        (Criteria(max_age=10), "returned_child", []),
        (Criteria(sexes=frozenset({"male"})), "female_head_of_household", ["sex"]),
        (Criteria(sexes=frozenset({"male", "female"})), "female_head_of_household", []),
        (Criteria(min_age=60), "highly_skilled", []),
    ],
)
def test_condition_conflicts_between_criteria_and_a_category(
    criteria: Criteria, category: str, conflicting: list[str]
) -> None:
    # when criteria and a category are checked together, then a conflict exactly on the facts they exclude
    together = {"all": [criteria_condition(criteria), KNOWN.category_conditions[category]]}
    assert [c.fact for c in registry_rules.condition_conflicts(together)] == conflicting
