"""The job-market pages as people use them: a company registers, waits for review, posts an offer in
Arabic, sees anonymous candidates and asks for one; the case worker records the person's agreement and
shares; the company then sees the name, and no longer once the consent is withdrawn. Every page answers
each role in Arabic and English with 200 or 404 as access demands."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from awda.accounts.enums import Role, ScopeLevel
from awda.accounts.models import Institution, User
from awda.core.models import AuditEntry
from awda.jobs import access, actions
from awda.jobs.enums import EmployerStatus, OfferStatus, PlacementStatus
from awda.jobs.models import Employer, JobProfile, Offer, Placement
from awda.registry.enums import ConsentPurpose
from awda.registry.models import Consent, Returnee, Skill
from conftest import PASSWORD, verified_client

pytestmark = pytest.mark.django_db

NAME_PARTS = ("زينب", "الجبوري", "Zainab", "Juburi")


def _company_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_ar": "شركة الرافدين للمقاولات",
        "name_en": "Rafidain Construction",
        "sector": "F",
        "size": "medium",
        "governorates": ["IQG08"],
        "contact_name": "مصطفى",
        "contact_phone": "07801112233",
    }
    data.update(changes)
    return data


def _offer_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "job",
        "title": "لحّام في ورشة حدادة",
        "description": "العمل في ورشة في الكرخ، ستة أيام في الأسبوع",
        "occupation": "7212",
        "skills": ["welding"],
        "education_min": "",
        "languages": ["ar"],
        "governorate": "IQG08",
        "district": "",
        "settlement": "urban",
        "working_time": "full_time",
        "conditions": "٦٠٠ ألف دينار شهرياً",
        "places": "2",
        "opens_on": "",
        "closes_on": "",
        "commitment": "",
        "submit": "publish",
    }
    data.update(changes)
    return data


@pytest.fixture
def market(make_user: Callable[..., User], register: Callable[..., Returnee]) -> dict[str, Any]:
    """MoLSA's employment officer, a MoMD case worker with Zainab's case (a welder of four years), an approved
    company with its user and an open welding offer in Baghdad."""
    staff = make_user(Role.CASE_WORKER, "molsa_baghdad", "jobs.staff")
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "jobs.worker")
    returnee = register()
    Skill.objects.create(returnee=returnee, occupation_id="7212", years_experience=4)
    employer = actions.employer_create(actor=staff, data=_company_data())
    company = User.objects.create(
        username="jobs.company",
        role=Role.EMPLOYER,
        institution=employer.institution,
        scope=ScopeLevel.ASSIGNED,
    )
    offer = actions.offer_create(
        actor=company,
        employer=employer,
        data={
            "kind": "job",
            "title": "لحام",
            "occupation": "7212",
            "skills": ["welding"],
            "governorate": "IQG08",
            "settlement": "urban",
        },
        publish=True,
    )
    return {
        "staff": staff,
        "worker": worker,
        "returnee": returnee,
        "employer": employer,
        "company": company,
        "offer": offer,
    }


def _html(response: Any) -> str:
    return str(response.content.decode())


def _assert_anonymous(html: str, returnee: Returnee) -> None:
    for part in (*NAME_PARTS, returnee.case_number, str(returnee.uuid), "7701234567", "770 123"):
        assert part not in html, part


# --------------------------------------------------------------------------------------------------
# The whole way, as a new company would take it
# --------------------------------------------------------------------------------------------------


def test_a_company_registers_posts_in_arabic_and_sees_the_name_only_while_the_person_agrees(
    market: dict[str, Any],
) -> None:
    returnee: Returnee = market["returnee"]
    staff, worker = verified_client(market["staff"]), verified_client(market["worker"])
    JobProfile.objects.create(returnee=returnee, languages=["ar", "en"])

    # Given the landing and sign-in pages, a company finds the registration
    assert 'href="/jobs/register/"' in _html(Client().get("/"))
    assert 'href="/jobs/register/"' in _html(Client().get("/accounts/login/"))

    # When it registers through the page, one user, institution and employer are made, waiting for review
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="ar")
    assert anonymous.get("/jobs/register/").status_code == 200
    registered = anonymous.post(
        "/jobs/register/",
        {
            **_company_data(name_ar="مصنع بابل للحديد", name_en="", governorates=["IQG08", "IQG07"]),
            "platform_member": "on",
            "username": "babil.steel",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert registered.status_code == 302 and registered["Location"] == "/jobs/register/?done=1"
    employer = Employer.objects.get(institution__name_ar="مصنع بابل للحديد")
    user = User.objects.get(username="babil.steel")
    assert (employer.status, employer.platform_member, user.role, user.institution_id) == (
        EmployerStatus.PENDING,
        True,
        Role.EMPLOYER,
        employer.institution_id,
    )
    assert sorted(employer.governorates.values_list("pcode", flat=True)) == ["IQG07", "IQG08"]
    done = anonymous.get("/jobs/register/?done=1")
    assert 'data-testid="registered"' in _html(done) and "مصنع بابل للحديد" in _html(done)

    # And the company's user signs in with the password they chose
    company = Client(HTTP_ACCEPT_LANGUAGE="ar")
    signed_in = company.post("/accounts/login/", {"username": "babil.steel", "password": PASSWORD})
    assert signed_in.status_code == 302
    page = company.get(f"/jobs/employers/{employer.uuid}/")
    assert page.status_code == 200 and 'data-testid="pending-note"' in _html(page)

    # When it tries to post before the review, it is sent back and nothing is made
    refused = company.post(f"/jobs/employers/{employer.uuid}/offers/new/", _offer_form())
    assert refused.status_code == 302 and refused["Location"] == f"/jobs/employers/{employer.uuid}/"
    assert company.get(f"/jobs/employers/{employer.uuid}/offers/new/").status_code == 302
    assert Offer.objects.filter(employer=employer).count() == 0

    # When the employment office approves it
    approved = staff.post(f"/jobs/employers/{employer.uuid}/review/", {"decision": "approved", "note": ""})
    assert approved.status_code == 302
    employer.refresh_from_db()
    assert employer.status == EmployerStatus.APPROVED

    # Then the company posts an offer written in Arabic
    assert company.get(f"/jobs/employers/{employer.uuid}/offers/new/").status_code == 200
    posted = company.post(f"/jobs/employers/{employer.uuid}/offers/new/", _offer_form())
    offer = Offer.objects.get(employer=employer)
    assert posted.status_code == 302 and posted["Location"] == f"/jobs/offers/{offer.uuid}/"
    assert (offer.title, offer.status, offer.occupation_id, offer.places) == (
        "لحّام في ورشة حدادة",
        OfferStatus.OPEN,
        "7212",
        2,
    )
    assert list(offer.skills.values_list("code", flat=True)) == ["welding"]

    # And sees one anonymous candidate on its page: a label, a score and reasons, never who it is
    page = company.get(f"/jobs/offers/{offer.uuid}/")
    html = _html(page)
    assert '<html lang="ar" dir="rtl">' in html
    assert "لحّام في ورشة حدادة" in html and "٦٠٠ ألف دينار شهرياً" in html
    key = access.candidate_key(offer, returnee.uuid)
    assert html.count('data-testid="candidate"') == 1
    assert access.candidate_label(key) in html and f'value="{key}"' in html
    _assert_anonymous(html, returnee)

    # When it asks for the candidate, a placement waits for the person's answer; still no name
    asked = company.post(f"/jobs/offers/{offer.uuid}/request/", {"candidate": key})
    assert asked.status_code == 302
    placement = Placement.objects.get(offer=offer)
    assert (placement.returnee_id, placement.status, placement.requested_by_employer) == (
        returnee.pk,
        PlacementStatus.PROPOSED,
        True,
    )
    for url in (f"/jobs/offers/{offer.uuid}/", f"/jobs/placements/{placement.uuid}/", "/jobs/placements/"):
        response = company.get(url)
        assert response.status_code == 200, url
        _assert_anonymous(_html(response), returnee)

    # When the case worker records the person's verbal agreement and shares the profile
    case_page = worker.get(f"/jobs/placements/{placement.uuid}/")
    assert "زينب" in _html(case_page) and 'data-testid="step-agree"' in _html(case_page)
    agreed = worker.post(
        f"/jobs/placements/{placement.uuid}/agree/",
        {"agree-version": placement.version, "agree-method": "verbal"},
    )
    assert agreed.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.AGREED
    consent = Consent.objects.get(returnee=returnee, purpose=ConsentPurpose.SHARING_EMPLOYERS)
    assert (consent.granted, consent.shared_with_id, consent.method) == (
        True,
        employer.institution_id,
        "verbal",
    )
    _assert_anonymous(_html(company.get(f"/jobs/placements/{placement.uuid}/")), returnee)
    shared = worker.post(f"/jobs/placements/{placement.uuid}/share/", {"share-version": placement.version})
    assert shared.status_code == 302
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.SHARED

    # Then the company sees the name and phone, and each showing is an audited read
    before = AuditEntry.objects.filter(actor_id=user.pk, action="read", object_id=str(returnee.uuid)).count()
    shown = _html(company.get(f"/jobs/placements/{placement.uuid}/"))
    assert "زينب" in shown and "الجبوري" in shown and 'data-testid="person-phone"' in shown
    assert "زينب" in _html(company.get(f"/jobs/offers/{offer.uuid}/"))
    after = AuditEntry.objects.filter(actor_id=user.pk, action="read", object_id=str(returnee.uuid)).count()
    assert after == before + 2

    # When the person withdraws their consent, the company no longer sees who they are
    withdrawn = worker.post(f"/returnees/{returnee.uuid}/consents/{consent.uuid}/withdraw/")
    assert withdrawn.status_code == 302
    for url in (f"/jobs/offers/{offer.uuid}/", f"/jobs/placements/{placement.uuid}/", "/jobs/placements/"):
        _assert_anonymous(_html(company.get(url)), returnee)


def test_a_bad_offer_shows_every_error_and_makes_nothing(market: dict[str, Any]) -> None:
    company = verified_client(market["company"])
    employer: Employer = market["employer"]
    before = Offer.objects.count()
    response = company.post(
        f"/jobs/employers/{employer.uuid}/offers/new/",
        _offer_form(occupation="", skills=["welding", "رواد الفضاء"], places="0", title=""),
    )
    html = _html(response)
    assert response.status_code == 200
    assert Offer.objects.count() == before
    assert "Every offer needs an occupation (ISCO-08)" in html
    assert "Unknown skills: رواد الفضاء." in html
    assert "Give the offer a title." in html
    assert "Give a whole number of at least 1." in html
    # The rest of what was typed is kept
    assert "٦٠٠ ألف دينار شهرياً" in html and 'value="welding" selected' in html

    # In Arabic the page stays right-to-left and the errors are on their fields
    arabic = Client(HTTP_ACCEPT_LANGUAGE="ar")
    arabic.force_login(market["company"])
    response = arabic.post(f"/jobs/employers/{employer.uuid}/offers/new/", _offer_form(occupation="9999"))
    assert response.status_code == 200 and '<html lang="ar" dir="rtl">' in _html(response)
    assert 'id="id_occupation_error"' in _html(response)
    assert Offer.objects.count() == before


def test_a_bad_registration_makes_nothing(world: dict[str, Any]) -> None:
    client = Client()
    response = client.post(
        "/jobs/register/",
        {
            **_company_data(name_ar="", name_en="", sector="Z"),
            "username": "x",
            "password": PASSWORD,
            "password_again": PASSWORD,
        },
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Give the company&#x27;s name in at least one language." in html
    assert "Choose the company&#x27;s sector" in html
    mismatch = client.post(
        "/jobs/register/",
        {**_company_data(), "username": "y", "password": PASSWORD, "password_again": "other"},
    )
    assert mismatch.status_code == 200 and "The two passwords are not the same." in _html(mismatch)
    assert (Employer.objects.count(), User.objects.filter(username__in=["x", "y"]).count()) == (0, 0)
    assert Institution.objects.filter(type="private_company").count() == 0


def test_the_case_worker_keeps_the_profile_and_proposes_an_offer(market: dict[str, Any]) -> None:
    returnee: Returnee = market["returnee"]
    offer: Offer = market["offer"]
    worker = verified_client(market["worker"])

    # Given the case page, the worker finds the work panel and the job profile form
    case = _html(worker.get(f"/returnees/{returnee.uuid}/"))
    assert 'data-testid="jobs-panel"' in case and f"/jobs/cases/{returnee.uuid}/profile/" in case
    saved = worker.post(
        f"/jobs/cases/{returnee.uuid}/profile/",
        {"seeking": "on", "languages": ["ar", "ckb"], "skills": ["welding"], "mobility": "anywhere"},
    )
    assert saved.status_code == 302
    profile = JobProfile.objects.get(returnee=returnee)
    assert (profile.seeking, profile.languages, profile.mobility) == (True, ["ar", "ckb"], "anywhere")
    assert list(profile.skills.values_list("code", flat=True)) == ["welding"]

    # A bad profile is refused whole
    refused = worker.post(
        f"/jobs/cases/{returnee.uuid}/profile/",
        {"languages": ["xx"], "skills": ["welding"], "mobility": "moon"},
    )
    assert refused.status_code == 200 and "Unknown language codes: xx." in _html(refused)
    profile.refresh_from_db()
    assert profile.mobility == "anywhere"

    # When they open the person's offers, the welding offer is ranked with its reasons
    page = _html(worker.get(f"/jobs/cases/{returnee.uuid}/offers/"))
    assert page.count('data-testid="offer-row"') == 1
    assert "لحام" in page and "Has worked as" in page

    # And propose it to the person
    proposed = worker.post(
        f"/jobs/cases/{returnee.uuid}/propose/", {"offer": str(offer.uuid), "note": "يناسب خبرتها"}
    )
    placement = Placement.objects.get(offer=offer, returnee=returnee)
    assert proposed.status_code == 302 and proposed["Location"] == f"/jobs/placements/{placement.uuid}/"
    assert (placement.status, placement.requested_by_employer, placement.note) == (
        PlacementStatus.PROPOSED,
        False,
        "يناسب خبرتها",
    )
    # Proposing it again changes nothing and says why
    again = worker.post(f"/jobs/cases/{returnee.uuid}/propose/", {"offer": str(offer.uuid)})
    assert again.status_code == 200 and "already proposed" in _html(again)
    assert Placement.objects.filter(offer=offer).count() == 1
    # The company does not read the case worker's note
    company_view = _html(verified_client(market["company"]).get(f"/jobs/placements/{placement.uuid}/"))
    assert "يناسب خبرتها" not in company_view
    assert "Already proposed" in _html(worker.get(f"/jobs/cases/{returnee.uuid}/offers/"))


def test_the_employer_hires_and_the_office_sees_the_retention_check(market: dict[str, Any]) -> None:
    returnee: Returnee = market["returnee"]
    offer: Offer = market["offer"]
    placement = actions.placement_propose(actor=market["worker"], offer=offer, returnee=returnee)
    placement = actions.placement_agree(
        actor=market["worker"], placement=placement, agreed=True, method="written"
    )
    placement = actions.placement_share(actor=market["worker"], placement=placement)
    company = verified_client(market["company"])
    page = _html(company.get(f"/jobs/placements/{placement.uuid}/"))
    assert 'data-testid="step-interview"' in page and 'data-testid="step-agree"' not in page

    # A hire without a start date is refused, then recorded
    refused = company.post(f"/jobs/placements/{placement.uuid}/hire/", {"hire-version": placement.version})
    assert refused.status_code == 200 and "This field is required." in _html(refused)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.SHARED
    hired = company.post(
        f"/jobs/placements/{placement.uuid}/hire/",
        {"hire-version": placement.version, "hire-hired_on": "2026-01-05"},
    )
    assert hired.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, str(placement.hired_on)) == (PlacementStatus.HIRED, "2026-01-05")

    # A stale form is refused: someone else moved the placement
    stale = company.post(
        f"/jobs/placements/{placement.uuid}/withdraw/", {"withdraw-version": 1, "withdraw-note": "x"}
    )
    assert stale.status_code == 302  # no longer a step of a hired placement
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.HIRED

    # The employment office sees the 3-month check and records it
    staff = verified_client(market["staff"])
    due = _html(staff.get("/jobs/retention/"))
    assert f"/jobs/placements/{placement.uuid}/" in due
    recorded = staff.post(
        f"/jobs/placements/{placement.uuid}/retention/",
        {"months": "3", "r3-result": "employed", "r3-note": "ما زالت تعمل"},
    )
    assert recorded.status_code == 302
    check = placement.retention_checks.get(months=3)
    assert (check.result, check.note, check.checked_by_id) == ("employed", "ما زالت تعمل", market["staff"].pk)
    # The company records no retention check
    assert company.post(
        f"/jobs/placements/{placement.uuid}/retention/", {"months": "6", "r6-result": "left"}
    ).status_code in (200, 404)
    assert placement.retention_checks.get(months=6).result == ""


# --------------------------------------------------------------------------------------------------
# Every page, every role, in Arabic and English
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def everyone(market: dict[str, Any], make_user: Callable[..., User]) -> dict[str, Any]:
    other = actions.employer_create(
        actor=market["staff"], data=_company_data(name_ar="شركة أخرى", name_en="Another company")
    )
    placement = actions.placement_propose(
        actor=market["worker"], offer=market["offer"], returnee=market["returnee"]
    )
    return {
        **market,
        "placement": placement,
        "other_company": User.objects.create(
            username="jobs.other",
            role=Role.EMPLOYER,
            institution=other.institution,
            scope=ScopeLevel.ASSIGNED,
        ),
        "analyst": make_user(Role.ANALYST, "momd_baghdad", "jobs.analyst"),
        "ngo": make_user(Role.SERVICE_PROVIDER, "momd_baghdad", "jobs.ngo"),
    }


# role → the pages it reaches (every other page answers 404)
REACHES = {
    "company": {"offers", "employer", "employer_edit", "offer_new", "offer", "offer_edit", "occupations",
                "placements", "placement"},
    "staff": {"offers", "employers", "employer_new", "employer", "employer_edit", "offer_new", "offer",
              "offer_edit", "occupations", "placements", "placement", "retention"},
    "worker": {"offers", "employer", "offer", "occupations", "placements", "placement", "retention", "profile",
               "person_offers"},
    "other_company": {"offers", "occupations", "placements"},
    "analyst": set(),
    "ngo": set(),
}  # fmt: skip


def _urls(world: dict[str, Any]) -> dict[str, str]:
    employer, offer, returnee = world["employer"].uuid, world["offer"].uuid, world["returnee"].uuid
    return {
        "offers": "/jobs/",
        "employers": "/jobs/employers/?status=pending",
        "employer_new": "/jobs/employers/new/",
        "employer": f"/jobs/employers/{employer}/",
        "employer_edit": f"/jobs/employers/{employer}/edit/",
        "offer_new": f"/jobs/employers/{employer}/offers/new/",
        "occupations": "/jobs/occupations/?q=%D9%84%D8%AD%D8%A7%D9%85",
        "offer": f"/jobs/offers/{offer}/",
        "offer_edit": f"/jobs/offers/{offer}/edit/",
        "placements": "/jobs/placements/?status=proposed",
        "placement": f"/jobs/placements/{world['placement'].uuid}/",
        "retention": "/jobs/retention/",
        "profile": f"/jobs/cases/{returnee}/profile/",
        "person_offers": f"/jobs/cases/{returnee}/offers/",
    }


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("role", list(REACHES))
def test_every_page_answers_each_role(everyone: dict[str, Any], role: str, language: str) -> None:
    user: User = everyone[role]
    user.language = language
    user.save()
    client = verified_client(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    for name, url in _urls(everyone).items():
        response = client.get(url)
        expected = 200 if name in REACHES[role] else 404
        assert response.status_code == expected, (role, url)
        if expected == 200 and name != "occupations":
            direction = "rtl" if language == "ar" else "ltr"
            assert f'<html lang="{language}" dir="{direction}">' in _html(response), url
        if role != "worker" and expected == 200:
            _assert_anonymous(_html(response), everyone["returnee"])


def test_the_occupation_search_finds_titles_in_any_language(market: dict[str, Any]) -> None:
    client = verified_client(market["company"])
    for text in ("لحام", "لەحیمکاران", "welders", "7212"):
        html = _html(client.get("/jobs/occupations/", {"q": text}))
        assert '<option value="7212"' in html, text
    kept = _html(client.get("/jobs/occupations/", {"q": "nurse", "occupation": "7212"}))
    assert '<option value="7212" selected>' in kept
    nothing = _html(client.get("/jobs/occupations/", {"q": "qqqqzz"}))
    assert '<option value="' + "7" not in nothing


def test_changes_are_post_only_and_refused_to_strangers(everyone: dict[str, Any]) -> None:
    offer: Offer = everyone["offer"]
    company = verified_client(everyone["company"])
    assert company.get(f"/jobs/offers/{offer.uuid}/request/").status_code == 405
    assert company.get(f"/jobs/offers/{offer.uuid}/status/").status_code == 405
    key = access.candidate_key(offer, everyone["placement"].returnee.uuid)
    stranger = verified_client(everyone["other_company"])
    assert stranger.post(f"/jobs/offers/{offer.uuid}/request/", {"candidate": key}).status_code == 404
    assert stranger.post(f"/jobs/offers/{offer.uuid}/status/", {"status": "closed"}).status_code == 404
    placement: Placement = everyone["placement"]
    assert (
        stranger.post(
            f"/jobs/placements/{placement.uuid}/withdraw/", {"withdraw-version": 1, "withdraw-note": "x"}
        )
    ).status_code == 404
    # The company cannot answer for the person
    refused = company.post(
        f"/jobs/placements/{placement.uuid}/agree/",
        {"agree-version": placement.version, "agree-method": "verbal"},
    )
    assert refused.status_code == 302
    placement.refresh_from_db()
    offer.refresh_from_db()
    assert (placement.status, offer.status, Placement.objects.count()) == (
        PlacementStatus.PROPOSED,
        "open",
        1,
    )
    assert not Consent.objects.filter(purpose=ConsentPurpose.SHARING_EMPLOYERS).exists()
    # The company closes its offer from its page
    assert company.post(f"/jobs/offers/{offer.uuid}/status/", {"status": "closed"}).status_code == 302
    offer.refresh_from_db()
    assert offer.status == OfferStatus.CLOSED


def test_the_menu_leads_each_role_to_its_pages(everyone: dict[str, Any]) -> None:
    employer: Employer = everyone["employer"]
    company = _html(verified_client(everyone["company"]).get("/jobs/"))
    assert f'href="/jobs/employers/{employer.uuid}/"' in company
    assert '<a href="/jobs/" aria-current="page">Offers</a>' in company
    assert 'href="/jobs/placements/"' in company and 'href="/jobs/retention/"' not in company
    worker = _html(verified_client(everyone["worker"]).get("/jobs/placements/"))
    assert '<a href="/jobs/">Jobs</a>' in worker
    assert '<a href="/jobs/placements/" aria-current="page">Placements</a>' in worker
    assert 'href="/jobs/retention/"' in worker and 'href="/jobs/employers/"' not in worker
    staff = _html(verified_client(everyone["staff"]).get("/jobs/employers/"))
    assert '<a href="/jobs/employers/" aria-current="page">Companies</a>' in staff
    # Who has no part in the job market gets no entry for it
    analyst = _html(verified_client(everyone["analyst"]).get("/home/"))
    # An analyst reaches the market view (aggregates) and nothing else of the job market.
    assert re.findall(r'href="(/jobs/[^"]*)"', analyst) == ["/jobs/market/"]


def test_garbage_gets_messages_never_a_server_error(everyone: dict[str, Any]) -> None:
    company, worker = verified_client(everyone["company"]), verified_client(everyone["worker"])
    employer: Employer = everyone["employer"]
    returnee: Returnee = everyone["returnee"]
    placement: Placement = everyone["placement"]
    before = (Offer.objects.count(), Placement.objects.count())
    garbage = _offer_form(
        commitment="zzz",
        places="abc",
        opens_on="yesterday",
        closes_on="31/12/2026",
        education_min="x",
        district="nowhere",
        governorate="IQG99",
        kind="robot",
        settlement="moon",
        working_time="always",
        languages=["xx"],
        priority_categories=["nobody"],
    )
    response = company.post(f"/jobs/employers/{employer.uuid}/offers/new/", garbage)
    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist"') >= 10
    offer: Offer = everyone["offer"]
    edit = company.post(f"/jobs/offers/{offer.uuid}/edit/", {**garbage, "version": "x"})
    assert edit.status_code == 200
    assert worker.post(f"/jobs/cases/{returnee.uuid}/propose/", {"offer": "garbage"}).status_code == 200
    assert (
        worker.post(
            f"/jobs/cases/{returnee.uuid}/propose/", {"offer": str(offer.uuid), "referral": "x"}
        ).status_code
        == 200
    )
    assert worker.post(f"/jobs/placements/{placement.uuid}/agree/", {"agree-version": "x"}).status_code == 200
    assert worker.post(f"/jobs/placements/{placement.uuid}/retention/", {"months": "x"}).status_code == 404
    assert worker.get("/jobs/?page=zz&employer=bad&group=x&status=nope").status_code == 200
    assert verified_client(everyone["staff"]).get("/jobs/?employer=bad&page=-1").status_code == 200
    assert company.get("/jobs/occupations/?q=" + "ا" * 500).status_code == 200
    assert (Offer.objects.count(), Placement.objects.count()) == before
    offer.refresh_from_db()
    assert (offer.version, offer.title) == (1, "لحام")


def test_commitments_and_their_fulfilment_on_the_company_page(market: dict[str, Any]) -> None:
    from awda.jobs.models import Commitment

    employer: Employer = market["employer"]
    company, staff = verified_client(market["company"]), verified_client(market["staff"])
    page_url = f"/jobs/employers/{employer.uuid}/"

    # A commitment without a number is refused; with one it is added
    refused = company.post(f"/jobs/employers/{employer.uuid}/commitments/", {"kind": "jobs", "quantity": "0"})
    assert refused.status_code == 200 and "Give a whole number of at least 1." in _html(refused)
    assert Commitment.objects.count() == 0
    added = company.post(
        f"/jobs/employers/{employer.uuid}/commitments/",
        {"kind": "jobs", "quantity": "5", "description": "لحامون"},
    )
    assert added.status_code == 302
    commitment = Commitment.objects.get()

    # A hire through an offer tied to it counts, and so does what is recorded by hand
    offer: Offer = market["offer"]
    Offer.objects.filter(pk=offer.pk).update(commitment=commitment)
    placement = actions.placement_propose(actor=market["worker"], offer=offer, returnee=market["returnee"])
    placement = actions.placement_agree(
        actor=market["worker"], placement=placement, agreed=True, method="written"
    )
    placement = actions.placement_share(actor=market["worker"], placement=placement)
    actions.placement_hire(actor=market["company"], placement=placement, start="2026-02-01")
    recorded = staff.post(
        f"/jobs/commitments/{commitment.uuid}/", {f"{commitment.uuid}-fulfilled_by_hand": "2"}
    )
    assert recorded.status_code == 302
    commitment.refresh_from_db()
    assert commitment.fulfilled_by_hand == 2
    assert '<td data-testid="fulfilled">3 / 5' in _html(company.get(page_url))
    bad = staff.post(f"/jobs/commitments/{commitment.uuid}/", {f"{commitment.uuid}-fulfilled_by_hand": "-1"})
    assert bad.status_code == 302
    commitment.refresh_from_db()
    assert commitment.fulfilled_by_hand == 2
    # Another company reaches neither the page's commitments nor the form
    other = actions.employer_create(actor=market["staff"], data=_company_data(name_ar="شركة ثالثة"))
    stranger = User.objects.create(
        username="jobs.third", role=Role.EMPLOYER, institution=other.institution, scope=ScopeLevel.ASSIGNED
    )
    outsider = verified_client(stranger)
    assert outsider.get(page_url).status_code == 404
    assert (
        outsider.post(
            f"/jobs/commitments/{commitment.uuid}/", {f"{commitment.uuid}-fulfilled_by_hand": "9"}
        ).status_code
        == 404
    )
    commitment.refresh_from_db()
    assert commitment.fulfilled_by_hand == 2


def test_the_office_records_edits_and_suspends_a_company(market: dict[str, Any]) -> None:
    staff = verified_client(market["staff"])
    created = staff.post(
        "/jobs/employers/new/", {**_company_data(name_ar="مخبز الفرات", name_en=""), "sector": "C"}
    )
    employer = Employer.objects.get(institution__name_ar="مخبز الفرات")
    assert created.status_code == 302 and created["Location"] == f"/jobs/employers/{employer.uuid}/"
    assert employer.status == EmployerStatus.APPROVED
    edited = staff.post(
        f"/jobs/employers/{employer.uuid}/edit/",
        {
            **_company_data(name_ar="مخبز الفرات", name_en="Euphrates Bakery"),
            "sector": "C",
            "website": "furat.iq",
        },
    )
    assert edited.status_code == 302
    employer.refresh_from_db()
    assert (employer.institution.name_en, employer.website) == ("Euphrates Bakery", "https://furat.iq")
    # Suspending needs a reason; with one, the company's open offers close
    offer: Offer = market["offer"]
    company: Employer = market["employer"]
    refused = staff.post(f"/jobs/employers/{company.uuid}/review/", {"decision": "suspended", "note": ""})
    assert refused.status_code == 200 and "Say why, for the company." in _html(refused)
    company.refresh_from_db()
    assert company.status == EmployerStatus.APPROVED
    staff.post(f"/jobs/employers/{company.uuid}/review/", {"decision": "suspended", "note": "شكاوى متكررة"})
    company.refresh_from_db()
    offer.refresh_from_db()
    assert (company.status, offer.status) == (EmployerStatus.SUSPENDED, OfferStatus.CLOSED)
    listing = _html(staff.get("/jobs/employers/?status=suspended"))
    assert "Rafidain Construction" in listing and "مخبز الفرات" not in listing


def test_one_address_registers_at_most_ten_companies_an_hour(world: dict[str, Any]) -> None:
    from django.core.cache import cache

    cache.clear()
    client = Client()
    for i in range(10):
        made = client.post(
            "/jobs/register/",
            {**_company_data(), "username": f"company{i}", "password": PASSWORD, "password_again": PASSWORD},
        )
        assert made.status_code == 302
    refused = client.post(
        "/jobs/register/",
        {**_company_data(), "username": "company10", "password": PASSWORD, "password_again": PASSWORD},
    )
    assert refused.status_code == 429
    assert "Too many companies were registered from this address" in _html(refused)
    assert Employer.objects.count() == 10
    assert not User.objects.filter(username="company10").exists()
    cache.clear()
