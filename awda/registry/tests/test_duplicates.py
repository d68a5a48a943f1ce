"""The intake duplicate check: likely existing records with reasons; the decision is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from awda.registry.duplicates import THRESHOLD, PersonSketch, score_match
from awda.registry.models import DuplicateDecision
from awda.registry.queries import duplicate_candidates
from awda.registry.tests.conftest import registration

BASE = PersonSketch(
    given="زينب",
    father="حسين",
    grandfather="علي",
    family="الجبوري",
    mother="فاطمة",
    date_of_birth=date(1990, 3, 14),
    phones=frozenset({"+9647701234567"}),
)


def test_same_person_in_other_spellings() -> None:
    other = PersonSketch(
        given="زینب",
        father="حسين",
        grandfather="علي",
        family="جبوري",
        mother="فاطمه",
        date_of_birth=date(1990, 3, 14),
    )
    match = score_match(BASE, other)
    assert match.score >= THRESHOLD
    assert match.reasons == [
        "same_given_name",
        "same_father_name",
        "same_grandfather_name",
        "same_family_name",
        "same_mother_name",
        "same_birth_date",
    ]


def test_a_sister_is_not_a_duplicate() -> None:
    sister = PersonSketch(
        given="مريم",
        father="حسين",
        grandfather="علي",
        family="الجبوري",
        mother="فاطمة",
        date_of_birth=date(1993, 7, 2),
        phones=frozenset({"+9647701234567"}),
    )
    match = score_match(BASE, sister)
    assert "different_given_name" in match.reasons and "different_birth_date" in match.reasons
    assert match.score < THRESHOLD


@pytest.mark.parametrize(
    ("born", "reason"),
    [
        (date(1990, 1, 1), "close_birth_date"),
        (date(1990, 14 - 11, 3), "close_birth_date"),
        (date(1990, 3, 20), "close_birth_date"),
        (date(1975, 3, 14), "different_birth_date"),
    ],
)
def test_birth_date_tolerances(born: date, reason: str) -> None:
    assert reason in score_match(BASE, PersonSketch(given="زينب", father="حسين", date_of_birth=born)).reasons


def test_the_same_document_is_strong_evidence() -> None:
    a = PersonSketch(given="Zainab", father="Hussein", documents=frozenset({"A1234567"}))
    b = PersonSketch(given="زينب", father="حسين", documents=frozenset({"A1234567"}))
    assert score_match(a, b).reasons[:1] == ["same_document"]
    assert score_match(a, b).score >= THRESHOLD


@pytest.mark.django_db
def test_intake_candidates_come_with_reasons(register: Any) -> None:
    existing = register()
    payload = registration(
        record={"given_name": "زینب", "father_name": "حسین", "mother_name": "فاطمه", "family_name": "جبوري"},
        phones=["+964 770 123 4567"],
    )
    candidates = duplicate_candidates(existing.owner, payload)
    assert [c.returnee.pk for c in candidates] == [existing.pk]
    assert "same_phone" in candidates[0].reasons and "same_mother_name" in candidates[0].reasons


@pytest.mark.django_db
def test_confirming_a_new_person_records_the_decision(register: Any) -> None:
    existing = register()
    payload = registration(record={"given_name": "زینب", "date_of_birth": date(1990, 3, 14)})
    candidates = duplicate_candidates(existing.owner, payload)
    from awda.registry import actions

    new = actions.returnee_register(
        actor=existing.owner,
        office=existing.office,
        duplicate_decisions=[
            {"candidate": c.returnee, "score": c.score, "reasons": c.reasons} for c in candidates
        ],
        **payload,
    )
    decision = DuplicateDecision.objects.get(returnee=new)
    assert (decision.candidate_id, decision.decision, decision.decided_by_id) == (
        existing.pk,
        "new_person",
        existing.owner_id,
    )
    assert new.events.filter(kind="duplicate_decision").count() == 1
