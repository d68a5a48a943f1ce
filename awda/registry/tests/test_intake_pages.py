"""The guided intake in the browser's terms: steps saved as a draft, the duplicate check, one case per form."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from awda.accounts.enums import Role
from awda.registry.models import IntakeDraft, Returnee
from conftest import verified_client

pytestmark = pytest.mark.django_db

STEP_DATA = {
    "identity": {
        "id-given_name": "علي",
        "id-father_name": "كاظم",
        "id-grandfather_name": "جاسم",
        "id-family_name": "الساعدي",
        "id-given_name_latin": "Ali",
        "id-mother_name": "زهراء",
        "id-sex": "male",
        "id-date_of_birth": "1988-09-12",
        "id-birth_date_precision": "exact",
        "id-phones": "0771 555 6677",
        "doc-TOTAL_FORMS": "3",
        "doc-INITIAL_FORMS": "0",
        "doc-MIN_NUM_FORMS": "0",
        "doc-MAX_NUM_FORMS": "8",
        "doc-0-type": "national_card",
        "doc-0-number": "123456789012",
        "doc-0-status": "held",
    },
    "return": {
        "ret-country_returned_from": "SE",
        "ret-return_date": "2026-05-10",
        "ret-return_type": "forced",
        "ret-times_displaced": "0",
        "ret-status_abroad": "rejected_asylum_seeker",
        "ret-migration_reasons": ["economic"],
        "ret-intends_to_migrate_again": "unsure",
    },
    "situation": {
        "sit-governorate": "IQG08",
        "sit-district": "IQG08Q06",
        "sit-settlement": "urban",
        "sit-education_level": "6",
        "sit-employment_status": "unemployed_seeking",
        "sit-vulnerabilities": [],
        "qual-TOTAL_FORMS": "2",
        "qual-INITIAL_FORMS": "0",
        "qual-MIN_NUM_FORMS": "0",
        "qual-MAX_NUM_FORMS": "8",
        "skill-TOTAL_FORMS": "2",
        "skill-INITIAL_FORMS": "0",
        "skill-MIN_NUM_FORMS": "0",
        "skill-MAX_NUM_FORMS": "8",
        "skill-0-occupation": "2512",
        "skill-0-years_experience": "4",
        "skill-0-acquired_abroad": "on",
    },
    "household": {
        "hh-is_head_of_household": "on",
        "mem-TOTAL_FORMS": "4",
        "mem-INITIAL_FORMS": "0",
        "mem-MIN_NUM_FORMS": "0",
        "mem-MAX_NUM_FORMS": "20",
        "mem-0-name": "زهراء علي",
        "mem-0-sex": "female",
        "mem-0-relationship": "child",
        "mem-0-is_dependant": "on",
        "mem-0-schooling": "enrolled",
    },
    "needs": {
        "need-need_employment": "high",
        "need-need_vocational_training": "interest",
        "con-method": "written",
        "con-registration": "on",
        "con-follow_up_contact": "on",
    },
}


def _start(client: Client) -> str:
    response = client.post("/returnees/new/")
    assert response.status_code == 302
    return response["Location"].split("/")[3]


def test_a_registration_step_by_step(make_user: Any) -> None:
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "ali.worker")
    client = verified_client(worker)
    draft = _start(client)
    for step, data in STEP_DATA.items():
        response = client.post(f"/returnees/intake/{draft}/{step}/", data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])
    review = client.get(f"/returnees/intake/{draft}/review/")
    assert review.status_code == 200
    assert "No existing record looks like this person." in review.content.decode()
    done = client.post(f"/returnees/intake/{draft}/review/", {"decision": "new"})
    returnee = Returnee.objects.get()
    assert done["Location"] == f"/returnees/{returnee.uuid}/"
    assert (returnee.given_name, returnee.return_type, returnee.country_returned_from_id) == (
        "علي",
        "forced",
        "SE",
    )
    assert list(returnee.skills.values_list("occupation_id", "years_experience", "acquired_abroad")) == [
        ("2512", 4, True)
    ]
    assert sorted(returnee.needs.values_list("category", "is_interest")) == [
        ("employment", False),
        ("vocational_training", True),
    ]
    assert {"highly_skilled", "at_risk_of_remigration"} <= set(
        returnee.categories.values_list("category__code", flat=True)
    )
    # A second submit of the same form opens the same case and creates nothing.
    again = client.post(f"/returnees/intake/{draft}/review/", {"decision": "new"})
    assert again["Location"] == f"/returnees/{returnee.uuid}/"
    assert Returnee.objects.count() == 1
    page = client.get(f"/returnees/{returnee.uuid}/")
    assert page.status_code == 200 and returnee.case_number in page.content.decode()


def test_a_bad_step_keeps_what_was_typed_and_saves_the_draft(make_user: Any) -> None:
    client = verified_client(make_user(Role.CASE_WORKER, "momd_baghdad", "w"))
    draft = _start(client)
    data = {**STEP_DATA["identity"], "id-date_of_birth": "2099-31-31", "id-given_name": ""}
    response = client.post(f"/returnees/intake/{draft}/identity/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "كاظم" in html  # nothing typed is lost
    assert IntakeDraft.objects.get(uuid=draft).data["identity"]["id-father_name"] == ["كاظم"]
    assert Returnee.objects.count() == 0


def test_review_sends_back_to_an_incomplete_step(make_user: Any) -> None:
    client = verified_client(make_user(Role.CASE_WORKER, "momd_baghdad", "w"))
    draft = _start(client)
    client.post(f"/returnees/intake/{draft}/identity/", STEP_DATA["identity"])
    response = client.get(f"/returnees/intake/{draft}/review/")
    assert response["Location"] == f"/returnees/intake/{draft}/return/"


def test_duplicates_are_shown_and_linking_creates_nothing(make_user: Any, register: Any) -> None:
    existing = register(
        record={
            "given_name": "علي",
            "father_name": "كاظم",
            "grandfather_name": "جاسم",
            "family_name": "الساعدي",
            "sex": "male",
            "mother_name": "زهراء",
            "vulnerabilities": [],
        },
        phones=["07715556677"],
    )
    client = verified_client(existing.owner)
    draft = _start(client)
    for step, data in STEP_DATA.items():
        client.post(f"/returnees/intake/{draft}/{step}/", data)
    review = client.get(f"/returnees/intake/{draft}/review/")
    html = review.content.decode()
    assert existing.case_number in html and "Same phone number" in html and "Same mother&#x27;s name" in html
    linked = client.post(f"/returnees/intake/{draft}/review/", {"decision": f"link:{existing.uuid}"})
    assert linked["Location"] == f"/returnees/{existing.uuid}/"
    assert Returnee.objects.count() == 1
    assert existing.events.filter(kind="duplicate_decision").count() == 1


def test_drafts_belong_to_their_author(make_user: Any) -> None:
    author = verified_client(make_user(Role.CASE_WORKER, "momd_baghdad", "a"))
    draft = _start(author)
    other = verified_client(make_user(Role.CASE_WORKER, "momd_baghdad", "b"))
    assert other.get(f"/returnees/intake/{draft}/identity/").status_code == 404
    assert other.post(f"/returnees/intake/{draft}/discard/").status_code == 404
    assert IntakeDraft.objects.filter(uuid=draft).exists()
