"""The jobs API: a company registers and posts, sees anonymous candidates, asks for one, learns the person's
name only after the person agreed and the case worker shared, and loses it again when the consent is withdrawn;
every refusal leaves the data as it was."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from awda.accounts.models import Institution, User
from awda.core.models import AuditEntry
from awda.jobs import access
from awda.jobs.models import (
    Commitment,
    Employer,
    JobProfile,
    Offer,
    Placement,
    PlacementTransition,
    RetentionCheck,
)
from awda.jobs.tests import api_fixtures
from awda.jobs.tests.api_fixtures import as_user, company_data, offer_data
from awda.registry.enums import ConsentPurpose
from awda.registry.models import Consent, Returnee, Skill

pytestmark = pytest.mark.django_db

# Fixtures (api_fixtures.py, kept apart from the conftest other test modules share).
market = api_fixtures.market
register = api_fixtures.register

API = "/api/v1"

EMPLOYER_FIELDS = {
    "uuid",
    "name",
    "name_ar",
    "name_ckb",
    "name_en",
    "sector",
    "size",
    "registration_number",
    "governorates",
    "address",
    "website",
    "contact_name",
    "contact_phone",
    "contact_email",
    "platform_member",
    "platform_joined_on",
    "status",
    "reviewed_at",
    "review_note",
    "created_at",
    "updated_at",
}
OFFER_FIELDS = {
    "uuid",
    "employer",
    "kind",
    "title",
    "description",
    "occupation",
    "skills",
    "education_min",
    "languages",
    "governorate",
    "district",
    "settlement",
    "remote",
    "working_time",
    "conditions",
    "places",
    "filled",
    "places_left",
    "opens_on",
    "closes_on",
    "status",
    "priority_categories",
    "commitment",
    "version",
    "created_at",
    "updated_at",
}
CANDIDATE_FIELDS = {
    "key",
    "label",
    "rank",
    "score",
    "explanation",
    "occupations",
    "skills",
    "education",
    "languages",
    "governorate",
    "age_group",
    "placement",
}
PLACEMENT_LIST_FIELDS = {
    "uuid",
    "status",
    "version",
    "offer",
    "candidate",
    "case",
    "person",
    "disclosed",
    "sides",
    "requested_by_employer",
    "score",
    "interview_at",
    "hired_on",
    "created_at",
    "updated_at",
}
PLACEMENT_FIELDS = PLACEMENT_LIST_FIELDS | {
    "note",
    "referral",
    "plan_goal",
    "allowed_steps",
    "transitions",
    "retention_checks",
}
PROFILE_FIELDS = {
    "returnee",
    "seeking",
    "languages",
    "skills",
    "mobility",
    "available_from",
    "updated_at",
    "occupations",
    "education_level",
}
# Zainab's match with the welder's offer: 7212 with 4 years (0.35 × 0.96), none of the skills asked, no
# minimum education, the offer's governorate (0.15 × 0.8), languages not recorded (0.10 × 0.5).
ZAINAB_EXPLANATION = [
    {
        "part": "occupation",
        "label": "Occupation",
        "points": 33.6,
        "text": "Has worked as Welders and flamecutters: the occupation asked.",
    },
    {
        "part": "skills",
        "label": "Skills",
        "points": 0.0,
        "text": "Has 0 of the 1 skills asked. Missing: Welding.",
    },
    {"part": "education", "label": "Education", "points": 15.0, "text": "No minimum education asked."},
    {"part": "place", "label": "Place", "points": 12.0, "text": "Lives in the governorate of the work."},
    {"part": "languages", "label": "Languages", "points": 5.0, "text": "Languages spoken not recorded."},
    {"part": "priority", "label": "Priority group", "points": 0.0, "text": "No priority group."},
]
REGISTRATION = {
    **company_data(name_ar="مخبز الفرات", name_en="Euphrates Bakery", sector="C", size="small"),
    "contact_email": "info@furat.example.iq",
    "username": "furat.bakery",
    "password": "a-long-Password-2026",
}


def _error(response: Any) -> dict[str, Any]:
    error: dict[str, Any] = response.json()["error"]
    return error


def _fields(response: Any) -> set[str]:
    return set(_error(response).get("fields", {}))


def _step(client: APIClient, placement: str, step: str, **body: Any) -> Any:
    return client.post(f"{API}/placements/{placement}/{step}/", body, format="json")


def _trace() -> int:
    """Audit rows other than sign-ins (each test client signs in afresh)."""
    return AuditEntry.objects.exclude(action="login").count()


def _counts() -> tuple[int, ...]:
    return (
        Employer.objects.count(),
        Institution.objects.count(),
        User.objects.count(),
        Offer.objects.count(),
        Placement.objects.count(),
        PlacementTransition.objects.count(),
        Consent.objects.count(),
        Commitment.objects.count(),
        JobProfile.objects.count(),
    )


def _request_candidate(m: dict[str, Any]) -> dict[str, Any]:
    company = as_user(m["company"])
    offer = m["offer"].uuid
    key = company.get(f"{API}/offers/{offer}/candidates/").json()[0]["key"]
    created = company.post(f"{API}/offers/{offer}/candidates/request/", {"candidate": key}, format="json")
    assert created.status_code == 201
    body: dict[str, Any] = created.json()
    return body


# --------------------------------------------------------------------------------------------------
# Employers
# --------------------------------------------------------------------------------------------------


def test_a_company_registers_without_an_account_and_waits_for_review(market: dict[str, Any]) -> None:
    # When a bakery registers itself, with no sign-in
    response = APIClient().post(f"{API}/employers/register/", REGISTRATION, format="json")

    # Then it exists, waiting for review, with its first user
    assert response.status_code == 201
    body = response.json()
    assert set(body) == EMPLOYER_FIELDS
    assert (body["status"], body["name_en"], body["sector"]["code"], body["size"]) == (
        "pending",
        "Euphrates Bakery",
        "C",
        "small",
    )
    assert (body["governorates"], body["contact_email"], body["reviewed_at"]) == (
        ["IQG08"],
        "info@furat.example.iq",
        None,
    )
    user = User.objects.get(username="furat.bakery")
    assert (user.role, user.institution.employer.uuid.hex) == ("employer", body["uuid"].replace("-", ""))
    assert "password" not in body

    # And its user sees its own company only, and cannot post before it is approved
    bakery = as_user(user)
    listed = bakery.get(f"{API}/employers/").json()
    assert [e["uuid"] for e in listed["results"]] == [body["uuid"]]
    before = Offer.objects.count()
    refused = bakery.post(f"{API}/offers/", offer_data(publish=True), format="json")
    assert refused.status_code == 403
    assert Offer.objects.count() == before

    # When the employment office approves it, it can
    staff = as_user(market["staff"])
    approved = staff.post(f"{API}/employers/{body['uuid']}/review/", {"decision": "approved"}, format="json")
    assert (approved.status_code, approved.json()["status"]) == (200, "approved")
    posted = bakery.post(f"{API}/offers/", offer_data(title="خباز"), format="json")
    assert (posted.status_code, posted.json()["status"]) == (201, "draft")


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"sector": "", "password": "123"}, {"sector", "password"}),
        ({"username": "jobs.company"}, {"username"}),
        ({"governorates": ["IQG99"]}, {"governorates"}),
        ({"name_ar": "", "name_en": "", "name_ckb": ""}, {"name_ar"}),
        ({"contact_email": "not an address"}, {"contact_email"}),
        ({"registration_number": "x" * 61}, {"registration_number"}),
    ],
)
def test_a_bad_registration_is_refused_whole(
    market: dict[str, Any], changes: dict[str, Any], fields: set[str]
) -> None:
    before = _counts()
    response = APIClient().post(f"{API}/employers/register/", {**REGISTRATION, **changes}, format="json")
    assert response.status_code == 400
    assert _error(response)["code"] == "invalid"
    assert _fields(response) == fields
    assert _counts() == before


def test_registration_is_throttled(market: dict[str, Any]) -> None:
    anonymous = APIClient()
    answers = [
        anonymous.post(f"{API}/employers/register/", {"sector": ""}, format="json").status_code
        for _ in range(11)
    ]
    assert answers == [400] * 10 + [429]
    assert _error(anonymous.post(f"{API}/employers/register/", {}, format="json"))["code"] == "throttled"


def test_who_sees_which_companies(market: dict[str, Any]) -> None:
    m = market
    pending, _user = _register_pending()
    names = {
        "staff": ["Dijla Restaurant", "Euphrates Bakery", "Rafidain Construction"],
        "worker": ["Dijla Restaurant", "Rafidain Construction"],
        "company": ["Rafidain Construction"],
    }
    for who, expected in names.items():
        listed = as_user(m[who]).get(f"{API}/employers/")
        assert listed.status_code == 200
        assert [e["name_en"] for e in listed.json()["results"]] == expected
    only_pending = as_user(m["staff"]).get(f"{API}/employers/", {"status": "pending"}).json()
    assert [e["uuid"] for e in only_pending["results"]] == [str(pending.uuid)]
    by_sector = as_user(m["staff"]).get(f"{API}/employers/", {"sector": "I"}).json()
    assert [e["name_en"] for e in by_sector["results"]] == ["Dijla Restaurant"]
    assert as_user(m["staff"]).get(f"{API}/employers/", {"status": "nonsense"}).status_code == 400
    # A role with no part in the job market, and nobody signed in
    assert _error(as_user(m["analyst"]).get(f"{API}/employers/"))["code"] == "permission_denied"
    assert APIClient().get(f"{API}/employers/").status_code == 401
    # One company: the worker sees approved ones only; another company sees none but its own
    assert as_user(m["worker"]).get(f"{API}/employers/{pending.uuid}/").status_code == 404
    assert as_user(m["rival_user"]).get(f"{API}/employers/{m['employer'].uuid}/").status_code == 404
    detail = as_user(m["worker"]).get(f"{API}/employers/{m['employer'].uuid}/")
    assert (detail.status_code, set(detail.json())) == (200, EMPLOYER_FIELDS)


def _register_pending() -> tuple[Employer, User]:
    from awda.jobs import actions

    return actions.employer_register(data=REGISTRATION)


def test_the_employment_office_records_a_company_others_cannot(market: dict[str, Any]) -> None:
    m = market
    data = company_data(name_ar="معمل الشمال", name_en="North Works", governorates=["IQG08", "IQG11"])
    before = _counts()
    for who in ("company", "worker"):
        refused = as_user(m[who]).post(f"{API}/employers/", data, format="json")
        assert (refused.status_code, _error(refused)["code"]) == (403, "permission_denied")
    assert _counts() == before
    bad = as_user(m["staff"]).post(
        f"{API}/employers/", {**data, "size": "huge", "sector": "9"}, format="json"
    )
    assert (bad.status_code, _fields(bad)) == (400, {"size", "sector"})
    assert _counts() == before
    created = as_user(m["staff"]).post(f"{API}/employers/", data, format="json")
    assert created.status_code == 201
    body = created.json()
    assert set(body) == EMPLOYER_FIELDS
    assert (body["status"], body["governorates"], body["name_en"]) == (
        "approved",
        ["IQG08", "IQG11"],
        "North Works",
    )


def test_a_company_changes_its_own_profile_only(market: dict[str, Any]) -> None:
    m = market
    url = f"{API}/employers/{m['employer'].uuid}/"
    changed = as_user(m["company"]).patch(url, {"contact_phone": "07809998877"}, format="json")
    assert changed.status_code == 200
    body = changed.json()
    assert (body["contact_phone"], body["contact_name"], body["sector"]["code"], body["name_en"]) == (
        "07809998877",
        "Mustafa",
        "F",
        "Rafidain Construction",
    )
    bad = as_user(m["company"]).patch(url, {"governorates": []}, format="json")
    assert (bad.status_code, _fields(bad)) == (400, {"governorates"})
    for who in ("rival_user", "worker"):
        refused = as_user(m[who]).patch(url, {"contact_phone": "0"}, format="json")
        assert refused.status_code == 404
    assert Employer.objects.get(pk=m["employer"].pk).contact_phone == "07809998877"


def test_review_is_for_the_employment_office_and_suspending_closes_offers(market: dict[str, Any]) -> None:
    m = market
    url = f"{API}/employers/{m['employer'].uuid}/review/"
    refused = as_user(m["company"]).post(url, {"decision": "approved"}, format="json")
    assert refused.status_code == 403
    no_reason = as_user(m["staff"]).post(url, {"decision": "suspended"}, format="json")
    assert (no_reason.status_code, _fields(no_reason)) == (400, {"note"})
    unknown = as_user(m["staff"]).post(url, {"decision": "maybe"}, format="json")
    assert (unknown.status_code, _fields(unknown)) == (400, {"decision"})
    assert Employer.objects.get(pk=m["employer"].pk).status == "approved"
    suspended = as_user(m["staff"]).post(url, {"decision": "suspended", "note": "Complaints"}, format="json")
    assert (suspended.status_code, suspended.json()["status"], suspended.json()["review_note"]) == (
        200,
        "suspended",
        "Complaints",
    )
    assert Offer.objects.get(pk=m["offer"].pk).status == "closed"


def test_commitments_with_their_fulfilment(market: dict[str, Any]) -> None:
    m = market
    url = f"{API}/employers/{m['employer'].uuid}/commitments/"
    created = as_user(m["company"]).post(
        url,
        {"kind": "jobs", "quantity": 5, "description": "Welders for 2027", "due_on": "2027-06-30"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert set(body) == {
        "uuid",
        "kind",
        "quantity",
        "description",
        "due_on",
        "fulfilled",
        "fulfilled_by_hand",
        "created_at",
    }
    assert (body["kind"], body["quantity"], body["fulfilled"], body["due_on"]) == ("jobs", 5, 0, "2027-06-30")
    recorded = as_user(m["staff"]).patch(f"{url}{body['uuid']}/", {"fulfilled_by_hand": 2}, format="json")
    assert (recorded.status_code, recorded.json()["fulfilled"]) == (200, 2)
    listed = as_user(m["worker"]).get(url).json()
    assert [(c["uuid"], c["fulfilled"], c["fulfilled_by_hand"]) for c in listed["results"]] == [
        (body["uuid"], 2, 2)
    ]
    before = _counts()
    bad = as_user(m["company"]).post(url, {"kind": "cars", "quantity": 0}, format="json")
    assert (bad.status_code, _fields(bad)) == (400, {"kind", "quantity"})
    assert as_user(m["worker"]).post(url, {"kind": "jobs", "quantity": 1}, format="json").status_code == 404
    other = f"{API}/employers/{m['rival'].uuid}/commitments/"
    assert (
        as_user(m["company"]).post(other, {"kind": "jobs", "quantity": 1}, format="json").status_code == 404
    )
    wrong_company = f"{API}/employers/{m['rival'].uuid}/commitments/{body['uuid']}/"
    assert (
        as_user(m["staff"]).patch(wrong_company, {"fulfilled_by_hand": 9}, format="json").status_code == 404
    )
    assert _counts() == before
    assert Commitment.objects.get(uuid=body["uuid"]).fulfilled_by_hand == 2


# --------------------------------------------------------------------------------------------------
# Offers
# --------------------------------------------------------------------------------------------------


def test_a_company_posts_an_offer_in_arabic(market: dict[str, Any]) -> None:
    m = market
    data = offer_data(
        title="نجار أثاث",
        occupation="صانعو الأثاث الخشبي ومن في حكمهم",
        skills=["نجارة", "carpenter"],
        languages=["ar", "ckb"],
        education_min=2,
        district="IQG08Q06",
        places=2,
        publish=True,
    )
    from awda.registry.models import Occupation

    occupation = Occupation.objects.filter(level=4, code__startswith="752").order_by("code").first()
    assert occupation is not None
    data["occupation"] = occupation.name_ar
    created = as_user(m["company"]).post(f"{API}/offers/", data, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert set(body) == OFFER_FIELDS
    assert (body["status"], body["title"], body["occupation"]["code"], body["places_left"]) == (
        "open",
        "نجار أثاث",
        occupation.code,
        2,
    )
    assert [s["code"] for s in body["skills"]] == ["carpentry"]
    assert (body["languages"], body["district"], body["education_min"], body["version"]) == (
        ["ar", "ckb"],
        "IQG08Q06",
        2,
        1,
    )
    assert body["employer"]["uuid"] == str(m["employer"].uuid)
    assert body["opens_on"] == timezone.localdate().isoformat()


def test_the_employment_office_posts_for_a_company(market: dict[str, Any]) -> None:
    m = market
    staff = as_user(m["staff"])
    missing = staff.post(f"{API}/offers/", offer_data(), format="json")
    assert (missing.status_code, _fields(missing)) == (400, {"employer"})
    created = staff.post(f"{API}/offers/", offer_data(employer=str(m["rival"].uuid)), format="json")
    assert (created.status_code, created.json()["employer"]["uuid"], created.json()["status"]) == (
        201,
        str(m["rival"].uuid),
        "draft",
    )
    # A company's user posts for its own company only
    before = Offer.objects.count()
    other = as_user(m["company"]).post(
        f"{API}/offers/", offer_data(employer=str(m["rival"].uuid)), format="json"
    )
    assert (other.status_code, _fields(other)) == (400, {"employer"})
    assert as_user(m["worker"]).post(f"{API}/offers/", offer_data(), format="json").status_code == 403
    assert Offer.objects.count() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occupation": ""}, "occupation"),
        ({"occupation": None}, "occupation"),
        ({"occupation": "9999"}, "occupation"),
        ({"occupation": "juggler on stilts"}, "occupation"),
        ({"skills": ["لحام", "juggling on stilts"]}, "skills"),
        ({"languages": ["xx"]}, "languages"),
        ({"governorate": "IQG99"}, "governorate"),
        ({"kind": "gift"}, "kind"),
        ({"places": 0}, "places"),
        ({"places": "many"}, "places"),
        ({"opens_on": "2027-01-10", "closes_on": "2027-01-01"}, "closes_on"),
        ({"commitment": "00000000-0000-0000-0000-000000000000"}, "commitment"),
    ],
)
def test_a_bad_offer_is_refused_and_nothing_is_written(
    market: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    data = {k: v for k, v in offer_data(**changes).items() if v is not None}
    before = _counts()
    response = as_user(market["company"]).post(f"{API}/offers/", {**data, "publish": True}, format="json")
    assert response.status_code == 400
    assert _error(response)["code"] == "invalid"
    assert _fields(response) == {field}
    assert _counts() == before


def test_offers_listed_and_filtered_by_who_may_see_them(market: dict[str, Any]) -> None:
    m = market
    from awda.jobs import actions

    draft = actions.offer_create(
        actor=m["company"], employer=m["employer"], data=offer_data(title="Electrician", occupation="7411")
    )
    rival_offer = actions.offer_create(
        actor=m["rival_user"],
        employer=m["rival"],
        data=offer_data(kind="training", title="Cook", occupation="5120"),
        publish=True,
    )
    staff = as_user(m["staff"])

    def uuids(client: APIClient, **params: Any) -> list[str]:
        response = client.get(f"{API}/offers/", params)
        assert response.status_code == 200
        return sorted(o["uuid"] for o in response.json()["results"])

    welder, electrician, cook = str(m["offer"].uuid), str(draft.uuid), str(rival_offer.uuid)
    assert uuids(staff) == sorted([welder, electrician, cook])
    assert uuids(staff, status="draft") == [electrician]
    assert uuids(staff, kind="training") == [cook]
    assert uuids(staff, occupation="72") == [welder]
    assert uuids(staff, occupation="74") == [electrician]
    assert uuids(staff, employer=str(m["rival"].uuid)) == [cook]
    assert uuids(staff, governorate="IQG11") == []
    assert uuids(as_user(m["company"])) == sorted([welder, electrician])
    assert uuids(as_user(m["worker"])) == sorted([welder, cook])  # open offers of approved companies
    assert as_user(m["analyst"]).get(f"{API}/offers/").status_code == 403
    assert as_user(m["worker"]).get(f"{API}/offers/{electrician}/").status_code == 404
    assert as_user(m["rival_user"]).get(f"{API}/offers/{welder}/").status_code == 404
    detail = as_user(m["worker"]).get(f"{API}/offers/{welder}/")
    assert (detail.status_code, set(detail.json())) == (200, OFFER_FIELDS)


def test_changing_an_offer_needs_the_version_read(market: dict[str, Any]) -> None:
    m = market
    url = f"{API}/offers/{m['offer'].uuid}/"
    company = as_user(m["company"])
    no_version = company.patch(url, {"title": "Welder"}, format="json")
    assert (no_version.status_code, _fields(no_version)) == (400, {"version"})
    changed = company.patch(url, {"title": "Welder", "places": 3, "version": 1}, format="json")
    assert changed.status_code == 200
    body = changed.json()
    assert (body["title"], body["places"], body["version"], body["occupation"]["code"]) == (
        "Welder",
        3,
        2,
        "7212",
    )
    assert [s["code"] for s in body["skills"]] == ["welding"]  # kept: not sent
    stale = company.patch(url, {"title": "Old news", "version": 1}, format="json")
    assert (stale.status_code, _error(stale)["code"]) == (409, "stale")
    bad = company.patch(url, {"occupation": "0000", "version": 2}, format="json")
    assert (bad.status_code, _fields(bad)) == (400, {"occupation"})
    for who in ("worker", "rival_user"):
        assert as_user(m[who]).patch(url, {"title": "Mine", "version": 2}, format="json").status_code == 404
    offer = Offer.objects.get(pk=m["offer"].pk)
    assert (offer.title, offer.version, offer.occupation_id) == ("Welder", 2, "7212")


def test_offer_status_steps(market: dict[str, Any]) -> None:
    m = market
    url = f"{API}/offers/{m['offer'].uuid}/status/"
    company = as_user(m["company"])
    closed = company.post(url, {"status": "closed", "version": 1}, format="json")
    assert (closed.status_code, closed.json()["status"], closed.json()["version"]) == (200, "closed", 2)
    stale = company.post(url, {"status": "open", "version": 1}, format="json")
    assert (stale.status_code, _error(stale)["code"]) == (409, "stale")
    unknown = company.post(url, {"status": "paused"}, format="json")
    assert (unknown.status_code, _fields(unknown)) == (400, {"status"})
    not_allowed = company.post(url, {"status": "draft"}, format="json")
    assert (not_allowed.status_code, _error(not_allowed)["code"]) == (409, "transition_not_allowed")
    assert as_user(m["worker"]).post(url, {"status": "open"}, format="json").status_code == 404
    assert Offer.objects.get(pk=m["offer"].pk).status == "closed"
    reopened = company.post(url, {"status": "open"}, format="json")
    assert (reopened.status_code, reopened.json()["status"]) == (200, "open")


# --------------------------------------------------------------------------------------------------
# Candidates
# --------------------------------------------------------------------------------------------------


def test_the_company_sees_anonymous_ranked_candidates(market: dict[str, Any]) -> None:
    m = market
    zainab = m["returnee"]
    audited = AuditEntry.objects.filter(action="read", object_type="registry.returnee").count()
    response = as_user(m["company"]).get(f"{API}/offers/{m['offer'].uuid}/candidates/")
    assert response.status_code == 200
    rows = response.json()
    key = access.candidate_key(m["offer"], zainab.uuid)
    assert rows == [
        {
            "key": key,
            "label": key[:6].upper(),
            "rank": 1,
            "score": 0.656,
            "explanation": ZAINAB_EXPLANATION,
            "occupations": [
                {
                    "code": "7212",
                    "name_ar": "اللحامون وقاطعو المعادن باللهب",
                    "name_ckb": "لەحیمکاران و کانزابڕان بە بڵێسە",
                    "name_en": "Welders and flamecutters",
                    "years": 4,
                }
            ],
            "skills": [],
            "education": 3,
            "languages": [],
            "governorate": "IQG08",
            "age_group": "25-39",
            "placement": None,
        }
    ]
    assert set(rows[0]) == CANDIDATE_FIELDS
    # Nothing that names the person or their record
    text = response.content.decode()
    for secret in (str(zainab.uuid), zainab.case_number, "زينب", "Zainab", "+9647701234567"):
        assert secret not in text.replace(key, "")
    # Each profile shown is a read on record
    assert AuditEntry.objects.filter(action="read", object_type="registry.returnee").count() == audited + 1
    # The employment office sees them too; the limit is checked
    staff = as_user(m["staff"])
    assert [r["key"] for r in staff.get(f"{API}/offers/{m['offer'].uuid}/candidates/").json()] == [key]
    too_many = staff.get(f"{API}/offers/{m['offer'].uuid}/candidates/", {"limit": 500})
    assert (too_many.status_code, _fields(too_many)) == (400, {"limit"})


def test_candidates_are_for_the_company_of_the_offer_and_the_office_only(market: dict[str, Any]) -> None:
    m = market
    url = f"{API}/offers/{m['offer'].uuid}/candidates/"
    audited = _trace()
    assert (
        _error(as_user(m["worker"]).get(url))["code"] == "permission_denied"
    )  # sees the offer, not the people
    assert as_user(m["rival_user"]).get(url).status_code == 404
    assert as_user(m["analyst"]).get(url).status_code == 403
    assert (
        as_user(m["company"])
        .get(f"{API}/offers/00000000-0000-0000-0000-000000000000/candidates/")
        .status_code
        == 404
    )
    assert _trace() == audited


def test_who_refused_employers_is_no_candidate(market: dict[str, Any]) -> None:
    m = market
    Consent.objects.create(
        returnee=m["returnee"],
        purpose=ConsentPurpose.SHARING_EMPLOYERS,
        granted=False,
        method="verbal",
        recorded_at=timezone.now(),
    )
    assert as_user(m["company"]).get(f"{API}/offers/{m['offer'].uuid}/candidates/").json() == []


def test_asking_for_a_candidate_not_in_the_list_is_refused(
    market: dict[str, Any], register: Callable[..., Returnee]
) -> None:
    m = market
    # Karim lives in Erbil and will not move: no candidate for a Baghdad job, though his key can be computed
    karim = register(office="momd_erbil", record={"given_name": "كريم"})
    Skill.objects.create(returnee=karim, occupation_id="7212", years_experience=9)
    company = as_user(m["company"])
    url = f"{API}/offers/{m['offer'].uuid}/candidates/request/"
    before = _counts()
    for candidate in (access.candidate_key(m["offer"], karim.uuid), "0" * 20, str(m["returnee"].uuid)):
        refused = company.post(url, {"candidate": candidate}, format="json")
        assert (refused.status_code, _fields(refused)) == (400, {"candidate"})
    missing = company.post(url, {}, format="json")
    assert (missing.status_code, _fields(missing)) == (400, {"candidate"})
    key = access.candidate_key(m["offer"], m["returnee"].uuid)
    assert as_user(m["worker"]).post(url, {"candidate": key}, format="json").status_code == 403
    assert as_user(m["rival_user"]).post(url, {"candidate": key}, format="json").status_code == 404
    assert _counts() == before


def test_no_placement_for_a_filled_offer(market: dict[str, Any]) -> None:
    m = market
    key = access.candidate_key(m["offer"], m["returnee"].uuid)
    Offer.objects.filter(pk=m["offer"].pk).update(filled=1, status="filled")
    before = _counts()
    refused = as_user(m["staff"]).post(
        f"{API}/offers/{m['offer'].uuid}/candidates/request/", {"candidate": key}, format="json"
    )
    assert (refused.status_code, _error(refused)["code"]) == (409, "offer_filled")
    proposed = as_user(m["worker"]).post(
        f"{API}/placements/",
        {"offer": str(m["offer"].uuid), "returnee": str(m["returnee"].uuid)},
        format="json",
    )
    assert proposed.status_code == 400  # a filled offer is no longer open to case workers
    assert _fields(proposed) == {"offer"}
    assert _counts() == before


# --------------------------------------------------------------------------------------------------
# Placements
# --------------------------------------------------------------------------------------------------


def test_the_name_reaches_the_company_only_after_agreement_and_sharing(market: dict[str, Any]) -> None:
    m = market
    zainab = m["returnee"]
    company, worker, staff = as_user(m["company"]), as_user(m["worker"]), as_user(m["staff"])

    # Given the company asked for its anonymous candidate
    asked = _request_candidate(m)
    assert set(asked) == PLACEMENT_FIELDS
    placement = asked["uuid"]
    key = access.candidate_key(m["offer"], zainab.uuid)
    assert (asked["status"], asked["version"], asked["sides"], asked["allowed_steps"]) == (
        "proposed",
        1,
        ["employer"],
        ["withdraw"],
    )
    assert (asked["candidate"], asked["case"], asked["person"], asked["disclosed"]) == (
        {"key": key, "label": key[:6].upper()},
        None,
        None,
        False,
    )
    assert asked["requested_by_employer"] is True
    assert "زينب" not in str(asked)

    # Then her case worker sees who it is and may record her answer
    seen = worker.get(f"{API}/placements/{placement}/").json()
    assert (seen["sides"], seen["allowed_steps"]) == (["case"], ["agree", "withdraw"])
    assert seen["case"] == {"uuid": str(zainab.uuid), "case_number": zainab.case_number}
    assert seen["person"] == {
        "name": "زينب حسين علي الجبوري",
        "name_latin": "Zainab Hussein Al-Juburi",
        "phones": ["+9647701234567"],
    }

    # The company cannot take the person's steps
    refused = _step(company, placement, "agree", agreed=True, method="verbal", version=1)
    assert (refused.status_code, _error(refused)["code"]) == (409, "transition_not_allowed")

    # When she agrees, her consent to share with this company is recorded; the company still sees nobody
    agreed = _step(
        worker, placement, "agree", agreed=True, method="written", note="Agreed at the office", version=1
    )
    assert agreed.status_code == 200
    assert (agreed.json()["status"], agreed.json()["version"], agreed.json()["allowed_steps"]) == (
        "agreed",
        2,
        ["share", "withdraw"],
    )
    consent = Consent.objects.get(returnee=zainab, purpose=ConsentPurpose.SHARING_EMPLOYERS)
    assert (consent.shared_with_id, consent.method) == (m["employer"].institution_id, "written")
    before_share = company.get(f"{API}/placements/{placement}/").json()
    assert (before_share["person"], before_share["disclosed"], before_share["note"]) == (None, False, "")
    assert [t["note"] for t in before_share["transitions"]] == ["", ""]  # the worker's notes stay on her side
    listed = company.get(f"{API}/placements/").json()["results"]
    assert [(p["uuid"], p["person"]) for p in listed] == [(placement, None)]

    # When her case worker shares the profile, the company sees her name and phone
    shared = _step(worker, placement, "share", version=2)
    assert (shared.status_code, shared.json()["status"], shared.json()["disclosed"]) == (200, "shared", True)
    after = company.get(f"{API}/placements/{placement}/").json()
    assert after["person"] == seen["person"]
    assert (after["disclosed"], after["case"], after["allowed_steps"]) == (
        True,
        None,
        ["interview", "hire", "not-hired", "withdraw"],
    )
    assert after["transitions"][1]["note"] == "Agreed at the office"
    listed = company.get(f"{API}/placements/").json()["results"]
    assert [(p["uuid"], p["person"]["name"]) for p in listed] == [(placement, "زينب حسين علي الجبوري")]

    # The company interviews and hires; the employment office records the 3-month retention check
    interview = _step(company, placement, "interview", interview_at="2026-12-01T10:00:00+03:00", version=3)
    assert (interview.status_code, interview.json()["interview_at"]) == (200, "2026-12-01T10:00:00+03:00")
    hired = _step(company, placement, "hire", hired_on="2026-12-05", version=4)
    assert hired.status_code == 200
    hired_body = hired.json()
    assert (hired_body["status"], hired_body["hired_on"], hired_body["allowed_steps"]) == (
        "hired",
        "2026-12-05",
        [],
    )
    assert [(c["months"], c["due_on"], c["result"]) for c in hired_body["retention_checks"]] == [
        (3, "2027-03-05", ""),
        (6, "2027-06-05", ""),
    ]
    office_view = staff.get(f"{API}/placements/{placement}/").json()
    assert (office_view["sides"], office_view["allowed_steps"]) == (["employer"], ["retention"])
    checked = _step(staff, placement, "retention", months=3, result="employed", note="Still there")
    assert checked.status_code == 200
    assert [(c["months"], c["result"]) for c in checked.json()["retention_checks"]] == [
        (3, "employed"),
        (6, ""),
    ]
    again = _step(staff, placement, "retention", months=3, result="left")
    assert (again.status_code, _error(again)["code"]) == (409, "already_recorded")
    unknown_point = _step(staff, placement, "retention", months=4, result="left")
    assert (unknown_point.status_code, _fields(unknown_point)) == (400, {"months"})
    assert RetentionCheck.objects.get(placement__uuid=placement, months=3).result == "employed"
    assert Offer.objects.get(pk=m["offer"].pk).status == "filled"

    # When she withdraws her consent, the company no longer sees who she is
    withdrawn = worker.post(f"{API}/returnees/{zainab.uuid}/consents/{consent.uuid}/withdraw/", format="json")
    assert withdrawn.status_code == 200
    hidden = company.get(f"{API}/placements/{placement}/").json()
    assert (hidden["person"], hidden["disclosed"], hidden["status"]) == (None, False, "hired")
    assert "زينب" not in company.get(f"{API}/placements/").content.decode()


def test_steps_refused_change_nothing_and_leave_no_trace(market: dict[str, Any]) -> None:
    m = market
    placement = _request_candidate(m)["uuid"]
    worker = as_user(m["worker"])
    stored = Placement.objects.get(uuid=placement)
    before, audited = _counts(), _trace()
    attempts = [
        (worker, "agree", {"agreed": True, "method": "verbal", "version": 7}, 409, "stale"),
        (worker, "agree", {"agreed": True, "method": "smoke signals", "version": 1}, 400, "invalid"),
        (worker, "agree", {"agreed": True, "method": "verbal"}, 400, "invalid"),
        (worker, "share", {"version": 1}, 409, "transition_not_allowed"),
        (worker, "hire", {"hired_on": "2026-12-05", "version": 1}, 409, "transition_not_allowed"),
        (worker, "withdraw", {"note": "", "version": 1}, 400, "invalid"),
        (as_user(m["company"]), "interview", {"interview_at": "tomorrow", "version": 1}, 400, "invalid"),
        (
            as_user(m["outsider"]),
            "agree",
            {"agreed": True, "method": "verbal", "version": 1},
            404,
            "not_found",
        ),
        (as_user(m["rival_user"]), "withdraw", {"note": "x", "version": 1}, 404, "not_found"),
        (as_user(m["analyst"]), "withdraw", {"note": "x", "version": 1}, 403, "permission_denied"),
    ]
    for client, step, body, code, error in attempts:
        response = _step(client, placement, step, **body)
        assert (step, response.status_code, _error(response)["code"]) == (step, code, error)
    stored.refresh_from_db()
    assert (stored.status, stored.version) == ("proposed", 1)
    assert (_counts(), _trace()) == (before, audited)


def test_sharing_without_a_consent_in_force_is_refused(market: dict[str, Any]) -> None:
    m = market
    placement = _request_candidate(m)["uuid"]
    worker = as_user(m["worker"])
    assert _step(worker, placement, "agree", agreed=True, method="verbal", version=1).status_code == 200
    Consent.objects.filter(returnee=m["returnee"], purpose=ConsentPurpose.SHARING_EMPLOYERS).update(
        withdrawn_at=timezone.now()
    )
    refused = _step(worker, placement, "share", version=2)
    assert (refused.status_code, _error(refused)["code"], _fields(refused)) == (
        400,
        "no_consent",
        {"consent"},
    )
    assert Placement.objects.get(uuid=placement).status == "agreed"
    assert as_user(m["company"]).get(f"{API}/placements/{placement}/").json()["person"] is None


def test_declining_and_withdrawing(market: dict[str, Any]) -> None:
    m = market
    company = as_user(m["company"])
    # A request the company withdraws puts the person back among the candidates
    first = _request_candidate(m)
    assert company.get(f"{API}/offers/{m['offer'].uuid}/candidates/").json() == []
    withdrawn = _step(company, first["uuid"], "withdraw", note="Position changed", version=1)
    assert (withdrawn.status_code, withdrawn.json()["status"]) == (200, "withdrawn")
    placement = _request_candidate(m)["uuid"]
    declined = _step(as_user(m["worker"]), placement, "agree", agreed=False, method="verbal", version=1)
    assert (declined.status_code, declined.json()["status"], declined.json()["allowed_steps"]) == (
        200,
        "declined",
        [],
    )
    assert not Consent.objects.filter(purpose=ConsentPurpose.SHARING_EMPLOYERS).exists()
    # Someone who said no to this offer is not offered to the company again
    assert company.get(f"{API}/offers/{m['offer'].uuid}/candidates/").json() == []


def test_a_case_worker_proposes_an_offer_and_sees_ranked_offers(market: dict[str, Any]) -> None:
    m = market
    zainab = m["returnee"]
    worker = as_user(m["worker"])
    audited = AuditEntry.objects.filter(action="read", object_id=str(zainab.uuid)).count()
    ranked = worker.get(f"{API}/returnees/{zainab.uuid}/offers/")
    assert ranked.status_code == 200
    rows = ranked.json()
    assert [(r["rank"], r["score"], r["offer"]["uuid"], r["placement"]) for r in rows] == [
        (1, 0.656, str(m["offer"].uuid), None)
    ]
    assert set(rows[0]) == {"rank", "score", "explanation", "offer", "placement"}
    assert set(rows[0]["offer"]) == OFFER_FIELDS
    assert rows[0]["explanation"] == ZAINAB_EXPLANATION
    assert AuditEntry.objects.filter(action="read", object_id=str(zainab.uuid)).count() == audited + 1

    created = worker.post(
        f"{API}/placements/",
        {"offer": str(m["offer"].uuid), "returnee": str(zainab.uuid), "note": "Fits her experience"},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert set(body) == PLACEMENT_FIELDS
    assert (body["status"], body["requested_by_employer"], body["score"], body["note"]) == (
        "proposed",
        False,
        0.656,
        "Fits her experience",
    )
    again = worker.get(f"{API}/returnees/{zainab.uuid}/offers/").json()
    assert again[0]["placement"] == {"uuid": body["uuid"], "status": "proposed"}
    twice = worker.post(
        f"{API}/placements/", {"offer": str(m["offer"].uuid), "returnee": str(zainab.uuid)}, format="json"
    )
    assert (twice.status_code, _error(twice)["code"]) == (409, "already_proposed")
    assert Placement.objects.count() == 1
    # Only case workers propose, for their own cases
    for who, code in (("company", 403), ("outsider", 404)):
        refused = as_user(m[who]).post(
            f"{API}/placements/", {"offer": str(m["offer"].uuid), "returnee": str(zainab.uuid)}, format="json"
        )
        assert refused.status_code == code
    assert as_user(m["company"]).get(f"{API}/returnees/{zainab.uuid}/offers/").status_code == 403
    assert as_user(m["outsider"]).get(f"{API}/returnees/{zainab.uuid}/offers/").status_code == 404
    assert Placement.objects.count() == 1


def test_placements_listed_by_who_follows_them(
    market: dict[str, Any], register: Callable[..., Returnee]
) -> None:
    m = market
    asked = _request_candidate(m)
    other = register(record={"given_name": "كريم"})
    Skill.objects.create(returnee=other, occupation_id="7212", years_experience=1)
    proposed = as_user(m["worker"]).post(
        f"{API}/placements/", {"offer": str(m["offer"].uuid), "returnee": str(other.uuid)}, format="json"
    )
    assert proposed.status_code == 201
    _step(as_user(m["worker"]), asked["uuid"], "agree", agreed=True, method="verbal", version=1)

    def listed(user: str, **params: Any) -> list[tuple[str, str]]:
        response = as_user(m[user]).get(f"{API}/placements/", params)
        assert response.status_code == 200
        results = response.json()["results"]
        assert all(set(p) == PLACEMENT_LIST_FIELDS for p in results)
        return sorted((p["uuid"], p["status"]) for p in results)

    both = sorted([(asked["uuid"], "agreed"), (proposed.json()["uuid"], "proposed")])
    assert listed("worker") == both
    assert listed("company") == both
    assert listed("staff") == both
    assert listed("rival_user") == []
    assert listed("outsider") == []
    assert listed("worker", status="agreed") == [(asked["uuid"], "agreed")]
    assert listed("company", offer=str(m["offer"].uuid)) == both
    assert listed("worker", returnee=str(other.uuid)) == [(proposed.json()["uuid"], "proposed")]
    assert listed("company", returnee=str(other.uuid)) == []  # a company cannot find out whose a placement is
    assert as_user(m["analyst"]).get(f"{API}/placements/").status_code == 403
    assert as_user(m["rival_user"]).get(f"{API}/placements/{asked['uuid']}/").status_code == 404
    assert (
        as_user(m["company"]).get(f"{API}/placements/00000000-0000-0000-0000-000000000000/").status_code
        == 404
    )


# --------------------------------------------------------------------------------------------------
# The job profile
# --------------------------------------------------------------------------------------------------


def test_the_job_profile(market: dict[str, Any]) -> None:
    m = market
    zainab = m["returnee"]
    url = f"{API}/returnees/{zainab.uuid}/job-profile/"
    worker = as_user(m["worker"])
    empty = worker.get(url)
    assert empty.status_code == 200
    assert empty.json() == {
        "returnee": str(zainab.uuid),
        "seeking": True,
        "languages": [],
        "skills": [],
        "mobility": "governorate",
        "available_from": None,
        "updated_at": None,
        "occupations": [
            {
                "code": "7212",
                "name_ar": "اللحامون وقاطعو المعادن باللهب",
                "name_ckb": "لەحیمکاران و کانزابڕان بە بڵێسە",
                "name_en": "Welders and flamecutters",
                "years": 4,
                "acquired_abroad": False,
            }
        ],
        "education_level": 3,
    }
    available = (timezone.localdate() + timedelta(days=7)).isoformat()
    saved = worker.put(
        url,
        {
            "languages": ["ar", "en"],
            "skills": ["welder", "لحام"],
            "mobility": "anywhere",
            "available_from": available,
        },
        format="json",
    )
    assert saved.status_code == 200
    body = saved.json()
    assert set(body) == PROFILE_FIELDS
    assert (
        body["languages"],
        [s["code"] for s in body["skills"]],
        body["mobility"],
        body["available_from"],
    ) == (
        ["ar", "en"],
        ["welding"],
        "anywhere",
        available,
    )
    assert body["updated_at"] is not None
    # Her match improves: the skill asked, the language asked
    candidates = as_user(m["company"]).get(f"{API}/offers/{m['offer'].uuid}/candidates/").json()
    assert (candidates[0]["score"], candidates[0]["skills"], candidates[0]["languages"]) == (
        0.906,
        ["welding"],
        ["ar", "en"],
    )

    before, audited = _counts(), _trace()
    bad = worker.put(
        url, {"languages": ["xx"], "skills": ["juggling on stilts"], "mobility": "moon"}, format="json"
    )
    assert (bad.status_code, _fields(bad)) == (400, {"languages", "skills", "mobility"})
    assert as_user(m["company"]).put(url, {}, format="json").status_code == 403
    assert as_user(m["company"]).get(url).status_code == 403
    assert as_user(m["outsider"]).put(url, {}, format="json").status_code == 404
    assert as_user(m["outsider"]).get(url).status_code == 404
    assert (_counts(), _trace()) == (before, audited)
    profile = JobProfile.objects.get(returnee=zainab)
    assert (profile.languages, profile.mobility) == (["ar", "en"], "anywhere")
