"""The index that checks a returnee only against the services reaching them gives the same verdicts as checking all."""

from __future__ import annotations

import itertools
from datetime import date

from awda.catalogue.rules import Coverage, Criteria, EligibilityIndex, Person, Terms, check, eligibility

TODAY = date(2026, 11, 27)
COVERAGES = [
    Coverage(nationwide=True),
    Coverage(remote=True),
    Coverage(),
    Coverage(governorates=frozenset({"IQG08"})),
    Coverage(governorates=frozenset({"IQG08", "IQG11"}), settlements=frozenset({"rural"})),
    Coverage(districts=frozenset({"IQG08Q06"})),
    Coverage(districts=frozenset({"IQG11Q02", "IQG08Q01"})),
    Coverage(nationwide=True, settlements=frozenset({"urban"})),
]
CRITERIA = [Criteria(), Criteria(min_age=18), Criteria(sexes=frozenset({"female"})), Criteria(max_age=17)]
SERVICES = [
    Terms(key=f"s{i}", coverage=coverage, criteria=criteria, capacity=1 if i % 5 == 0 else None, load=1)
    for i, (coverage, criteria) in enumerate(itertools.product(COVERAGES, CRITERIA))
]
PLACES = [
    (None, None),
    ("IQG08", None),
    ("IQG08", "IQG08Q06"),
    ("IQG08", "IQG08Q01"),
    ("IQG11", "IQG11Q02"),
    ("IQG02", "IQG02Q01"),
    ("IQG11", "IQG08Q06"),  # a district recorded under the wrong governorate
]
PEOPLE = [
    Person(age=age, sex=sex, governorate=gov, district=district, settlement=settlement)
    for age, sex, (gov, district), settlement in itertools.product(
        [None, 12, 30], [None, "female", "male"], PLACES, [None, "urban", "rural"]
    )
]


def test_the_index_agrees_with_checking_every_service() -> None:
    index = EligibilityIndex(SERVICES)
    for person in PEOPLE:
        result = eligibility(index, person, TODAY)
        every = {terms.key: check(terms, person, TODAY) for terms in SERVICES}
        # given every service, when asked through the index, then the same verdict, reasons and all
        assert {key: result.verdict(key) for key in every} == every
        assert sorted(v.key for v in result.eligible) == sorted(k for k, v in every.items() if v.eligible)
        # and the services the index left out are all refused on the place
        for key in set(every) - set(result.checked):
            assert "place" in {p.criterion for p in every[key].problems}, (person, key)


def test_the_index_checks_only_what_reaches() -> None:
    index = EligibilityIndex(SERVICES)
    result = eligibility(index, Person(age=30, governorate="IQG02", district="IQG02Q01"), TODAY)
    reached = {SERVICES[int(key[1:])].coverage for key in result.checked}
    assert reached == {COVERAGES[0], COVERAGES[1], COVERAGES[7]}
