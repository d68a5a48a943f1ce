"""The matching rules, part by part and whole, on hand-made people and offers."""

from __future__ import annotations

import pytest

from awda.jobs import rules
from awda.jobs.enums import Mobility, OfferKind
from awda.jobs.rules import OfferFacts, PersonFacts


@pytest.mark.parametrize(
    ("person", "offer", "expected"),
    [
        ("7212", "7212", 1.0),  # same unit group
        ("7213", "7212", 0.75),  # same minor group 721
        ("7222", "7212", 0.5),  # same sub-major group 72
        ("7411", "7212", 0.2),  # same major group 7
        ("2512", "7212", 0.0),
        ("7212", "72", 1.0),  # a group containing the other
        ("72", "7212", 1.0),
        ("0110", "0210", 0.2),  # armed forces keep their leading zero
        ("", "7212", 0.0),
    ],
)
def test_isco_proximity(person: str, offer: str, expected: float) -> None:
    assert rules.occupation_proximity(person, offer) == expected


def test_experience_counts_up_to_five_years() -> None:
    assert rules.experience_factor(0) == pytest.approx(0.8)
    assert rules.experience_factor(3) == pytest.approx(0.92)
    assert rules.experience_factor(5) == pytest.approx(1.0)
    assert rules.experience_factor(30) == pytest.approx(1.0)


def test_best_occupation_takes_the_closest_with_its_experience() -> None:
    person = PersonFacts(occupations=(("7212", 0), ("7213", 5)))
    # 7212 exact with no experience: 1.0 × 0.8 = 0.8; 7213 (minor group) with 5 years: 0.75 × 1.0 = 0.75
    assert rules.best_occupation(person, "7212") == (pytest.approx(0.8), "7212")
    assert rules.best_occupation(PersonFacts(occupations=()), "7212") == (0.0, "")


@pytest.mark.parametrize(
    ("education", "minimum", "expected"),
    [(None, None, 1.0), (3, None, 1.0), (None, 3, 0.5), (3, 3, 1.0), (6, 3, 1.0), (2, 3, 0.5), (1, 3, 0.0)],
)
def test_education(education: int | None, minimum: int | None, expected: float) -> None:
    assert rules.education_part(education, minimum) == expected


BASRA, BAGHDAD = "IQG02", "IQG08"
BASRA_CENTRE, ZUBAIR = "IQG02Q02", "IQG02Q04"


@pytest.mark.parametrize(
    ("mobility", "person_place", "offer_place", "remote", "expected"),
    [
        (Mobility.DISTRICT, (BASRA, BASRA_CENTRE), (BASRA, BASRA_CENTRE), False, 1.0),
        (Mobility.DISTRICT, (BASRA, BASRA_CENTRE), (BASRA, None), False, 0.8),
        (Mobility.DISTRICT, (BASRA, BASRA_CENTRE), (BASRA, ZUBAIR), False, 0.3),
        (Mobility.GOVERNORATE, (BASRA, BASRA_CENTRE), (BASRA, ZUBAIR), False, 0.8),
        (Mobility.GOVERNORATE, (BASRA, BASRA_CENTRE), (BAGHDAD, None), False, None),
        (Mobility.DISTRICT, (BASRA, BASRA_CENTRE), (BAGHDAD, None), False, None),
        (Mobility.ANYWHERE, (BASRA, BASRA_CENTRE), (BAGHDAD, None), False, 0.5),
        (Mobility.DISTRICT, (BASRA, BASRA_CENTRE), (BAGHDAD, None), True, 1.0),
    ],
)
def test_place_and_mobility(
    mobility: str,
    person_place: tuple[str, str],
    offer_place: tuple[str, str | None],
    remote: bool,
    expected: float | None,
) -> None:
    person = PersonFacts(
        occupations=(), governorate=person_place[0], district=person_place[1], mobility=mobility
    )
    offer = OfferFacts(
        kind=OfferKind.JOB,
        occupation="7212",
        governorate=offer_place[0],
        district=offer_place[1],
        remote=remote,
    )
    assert rules.place_part(person, offer) == expected


@pytest.mark.parametrize(
    ("spoken", "asked", "expected"),
    [
        (set(), set(), 1.0),
        ({"ar"}, set(), 1.0),
        (set(), {"en"}, 0.5),  # not recorded
        ({"ar", "en"}, {"en"}, 1.0),
        ({"ar"}, {"en", "ar"}, 0.5),
        ({"ckb"}, {"en"}, 0.0),
    ],
)
def test_languages(spoken: set[str], asked: set[str], expected: float) -> None:
    assert rules.languages_part(frozenset(spoken), frozenset(asked)) == expected


def _welder(**changes: object) -> PersonFacts:
    values: dict[str, object] = {
        "occupations": (("7212", 5),),
        "skills": frozenset({"welding"}),
        "education": 3,
        "languages": frozenset({"ar"}),
        "governorate": BASRA,
        "district": BASRA_CENTRE,
        "mobility": Mobility.GOVERNORATE,
        "categories": frozenset({"female-head"}),
    }
    values.update(changes)
    return PersonFacts(**values)  # type: ignore[arg-type]


def _job(**changes: object) -> OfferFacts:
    values: dict[str, object] = {
        "kind": OfferKind.JOB,
        "occupation": "7212",
        "skills": frozenset({"welding", "blacksmithing"}),
        "education_min": 3,
        "languages": frozenset({"ar"}),
        "governorate": BASRA,
        "district": BASRA_CENTRE,
        "priority": frozenset({"female-head"}),
    }
    values.update(changes)
    return OfferFacts(**values)  # type: ignore[arg-type]


def test_a_whole_score_is_the_weighted_sum() -> None:
    found = rules.match(_welder(), _job())
    assert found is not None
    assert found.parts == {
        "occupation": 1.0,
        "skills": 0.5,
        "education": 1.0,
        "place": 1.0,
        "languages": 1.0,
        "priority": 1.0,
    }
    assert found.score == pytest.approx(0.35 + 0.10 + 0.15 + 0.15 + 0.10 + 0.05)
    assert found.occupation == "7212"
    assert found.skills_matched == frozenset({"welding"})
    assert found.skills_missing == frozenset({"blacksmithing"})
    assert found.languages_missing == frozenset()


def test_weights_add_up_to_one() -> None:
    assert sum(rules.WEIGHTS.values()) == pytest.approx(1.0)


def test_no_candidate_for_a_job_without_related_occupation_or_skill() -> None:
    teacher = _welder(occupations=(("2341", 10),), skills=frozenset({"teaching"}))
    assert rules.match(teacher, _job()) is None
    # … but a skill asked is enough, and a training course is open to anyone in reach.
    assert rules.match(teacher.__class__(**{**teacher.__dict__, "skills": frozenset({"welding"})}), _job())
    course = rules.match(teacher, _job(kind=OfferKind.TRAINING))
    assert course is not None and course.parts["occupation"] == 0.0


def test_no_candidate_out_of_reach_unless_remote() -> None:
    assert rules.match(_welder(), _job(governorate=BAGHDAD, district=None)) is None
    moving = rules.match(_welder(mobility=Mobility.ANYWHERE), _job(governorate=BAGHDAD, district=None))
    assert moving is not None and moving.parts["place"] == 0.5
    remote = rules.match(_welder(), _job(governorate=BAGHDAD, district=None, remote=True))
    assert remote is not None and remote.parts["place"] == 1.0


def test_scores_stay_in_zero_one() -> None:
    best = rules.match(_welder(skills=frozenset({"welding", "blacksmithing"})), _job())
    worst = rules.match(
        _welder(
            occupations=(),
            skills=frozenset(),
            education=0,
            languages=frozenset({"de"}),
            categories=frozenset(),
            mobility=Mobility.DISTRICT,
            district="IQG02Q04",
        ),
        _job(kind=OfferKind.TRAINING),
    )
    assert best is not None and best.score == pytest.approx(1.0)
    assert worst is not None and worst.score == pytest.approx(0.15 * 0.3)


def test_rank_orders_by_score_then_key_and_drops_non_candidates() -> None:
    offers = [
        ("b", _job()),
        ("a", _job()),
        ("c", _job(occupation="7213")),
        ("z", _job(occupation="2341", skills=frozenset())),  # no candidate
    ]
    ranked = rules.rank(_welder(), offers, limit=10)
    assert [key for key, _ in ranked] == ["a", "b", "c"]
    assert rules.rank(_welder(), offers, limit=1)[0][0] == "a"
