"""The array matcher gives the rules' scores, on thousands of random people and offers."""

from __future__ import annotations

import random

import pytest

from awda.jobs import rules
from awda.jobs.enums import Mobility, OfferKind
from awda.jobs.matching import OfferIndex

CODES = ["7212", "7213", "7222", "7411", "2512", "2341", "9313", "721", "72", "0110", "5120", "8322"]
SKILLS = ["welding", "carpentry", "driving-car", "teaching", "excel", "cooking", "sales"]
LANGUAGES = ["ar", "ckb", "en", "tr", "de"]
PLACES = [("IQG02", ["IQG02Q02", "IQG02Q04"]), ("IQG08", ["IQG08Q03", "IQG08Q06"]), ("IQG11", ["IQG11Q02"])]
CATEGORIES = ["female-head", "youth", "skilled"]


def _subset(rng: random.Random, items: list[str], most: int) -> frozenset[str]:
    return frozenset(rng.sample(items, rng.randint(0, most)))


def _person(rng: random.Random) -> rules.PersonFacts:
    governorate, districts = rng.choice(PLACES)
    return rules.PersonFacts(
        occupations=tuple((rng.choice(CODES), rng.randint(0, 8)) for _ in range(rng.randint(0, 3))),
        skills=_subset(rng, SKILLS, 3),
        education=rng.choice([None, *range(0, 9)]),
        languages=_subset(rng, LANGUAGES, 3),
        governorate=governorate,
        district=rng.choice(districts),
        mobility=rng.choice(list(Mobility)),
        categories=_subset(rng, CATEGORIES, 2),
    )


def _offer(rng: random.Random) -> rules.OfferFacts:
    governorate, districts = rng.choice(PLACES)
    return rules.OfferFacts(
        kind=rng.choice(list(OfferKind)),
        occupation=rng.choice(CODES),
        skills=_subset(rng, SKILLS, 3),
        education_min=rng.choice([None, *range(0, 9)]),
        languages=_subset(rng, LANGUAGES, 2),
        governorate=governorate,
        district=rng.choice([None, *districts]),
        remote=rng.random() < 0.1,
        priority=_subset(rng, CATEGORIES, 1),
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_arrays_give_the_rules_scores(seed: int) -> None:
    rng = random.Random(seed)
    offers = [(f"o{i:04d}", _offer(rng)) for i in range(300)]
    people = [_person(rng) for _ in range(200)]
    index = OfferIndex(offers)
    checked = candidates = 0
    for person in people:
        rows = index.candidate_rows(person)
        scores = index.scores([person], rows)[0]
        by_row = dict(zip(rows.tolist(), scores.tolist(), strict=True))
        for row, (_key, offer) in enumerate(offers):
            expected = rules.match(person, offer)
            got = by_row.get(row, -1.0)
            if expected is None:
                assert got == -1.0
            else:
                assert got == pytest.approx(expected.score, abs=1e-9)
                candidates += 1
            checked += 1
    assert checked == 60_000
    assert candidates > 1000  # the random data exercise both sides


@pytest.mark.parametrize("seed", [4, 5])
def test_top_and_top_many_give_the_rules_ranking(seed: int) -> None:
    rng = random.Random(seed)
    offers = [(f"o{i:04d}", _offer(rng)) for i in range(250)]
    people = [_person(rng) for _ in range(120)]
    index = OfferIndex(offers)
    many = index.top_many(people, 7)
    for person, found in zip(people, many, strict=True):
        expected = rules.rank(person, offers, limit=7)
        one = index.top(person, 7)
        assert [index.arrays.keys[row] for row, _ in one] == [key for key, _ in expected]
        assert [index.arrays.keys[row] for row, _ in found] == [key for key, _ in expected]
        assert [s for _, s in found] == pytest.approx([m.score for _, m in expected])


def test_an_empty_index_gives_nothing() -> None:
    index = OfferIndex([])
    person = _person(random.Random(9))
    assert index.top(person, 5) == []
    assert index.top_many([person], 5) == [[]]
