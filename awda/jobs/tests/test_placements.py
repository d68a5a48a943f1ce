"""Placements through the actions: every move against the table, consent before sharing, places, retention."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from awda.accounts.enums import Role, ScopeLevel
from awda.accounts.models import User
from awda.core.errors import AwdaError, Conflict, NotFound
from awda.jobs import access, actions, queries, workflows
from awda.jobs.enums import OfferStatus, PlacementStatus
from awda.jobs.models import Employer, Offer, Placement, PlacementTransition, RetentionCheck
from awda.registry.enums import ConsentPurpose
from awda.registry.models import Consent, Returnee, Skill

S = PlacementStatus


@pytest.fixture
def jobs_world(make_user: Callable[..., User], register: Callable[..., Returnee]) -> dict[str, Any]:
    staff = make_user(Role.CASE_WORKER, "molsa_baghdad", "jobs.staff")
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "jobs.worker")
    employer = actions.employer_create(
        actor=staff,
        data={
            "name_ar": "شركة الرافدين للمقاولات",
            "name_en": "Rafidain Construction",
            "sector": "F",
            "size": "medium",
            "governorates": ["IQG08"],
            "contact_name": "Mustafa",
            "contact_phone": "07701234567",
        },
    )
    company_user = User.objects.create(
        username="jobs.company",
        role=Role.EMPLOYER,
        institution=employer.institution,
        scope=ScopeLevel.ASSIGNED,
    )
    returnee = register()
    Skill.objects.create(returnee=returnee, occupation_id="7212", years_experience=4)
    offer = actions.offer_create(
        actor=company_user,
        employer=employer,
        data=_offer_data(),
        publish=True,
    )
    return {
        "staff": staff,
        "worker": worker,
        "employer": employer,
        "company": company_user,
        "returnee": returnee,
        "offer": offer,
    }


def _offer_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "job",
        "title": "لحام في ورشة",
        "occupation": "7212",
        "skills": ["لحام"],
        "languages": ["ar"],
        "governorate": "IQG08",
        "settlement": "urban",
        "places": 1,
    }
    data.update(changes)
    return data


def _consent(returnee: Returnee, employer: Employer) -> Consent:
    return Consent.objects.create(
        returnee=returnee,
        purpose=ConsentPurpose.SHARING_EMPLOYERS,
        granted=True,
        shared_with=employer.institution,
        whole_record=False,
        fields=["identity", "contact", "education_work"],
        method="written",
        recorded_at=timezone.now(),
    )


def _move(world: dict[str, Any], placement: Placement, to: str, actor: User) -> Placement:
    if to in (S.AGREED, S.DECLINED):
        return actions.placement_agree(
            actor=actor, placement=placement, agreed=to == S.AGREED, method="verbal"
        )
    if to == S.SHARED:
        return actions.placement_share(actor=actor, placement=placement)
    if to == S.INTERVIEW:
        return actions.placement_interview(actor=actor, placement=placement, at="2026-12-01T10:00")
    if to == S.HIRED:
        return actions.placement_hire(actor=actor, placement=placement, start="2026-12-05")
    if to == S.NOT_HIRED:
        return actions.placement_not_hire(actor=actor, placement=placement, note="Chose another candidate")
    return actions.placement_withdraw(actor=actor, placement=placement, note="The offer changed")


@pytest.mark.django_db
@pytest.mark.parametrize("start", [s for s in S.values if s != S.PROPOSED] + [S.PROPOSED])
@pytest.mark.parametrize("to", [s for s in S.values if s != S.PROPOSED])
@pytest.mark.parametrize("side", ["case", "employer"])
def test_every_move_against_the_table(jobs_world: dict[str, Any], start: str, to: str, side: str) -> None:
    world = jobs_world
    placement = actions.placement_propose(
        actor=world["worker"], offer=world["offer"], returnee=world["returnee"]
    )
    Placement.objects.filter(pk=placement.pk).update(status=start)
    placement.refresh_from_db()
    _consent(world["returnee"], world["employer"])  # sharing is then a matter of the table alone
    actor = world["worker"] if side == "case" else world["company"]
    before = PlacementTransition.objects.count()
    allowed = workflows.allowed(start, to, frozenset({side}))  # type: ignore[arg-type]
    if allowed:
        moved = _move(world, placement, to, actor)
        assert moved.status == to
        assert PlacementTransition.objects.count() == before + 1
    else:
        with pytest.raises(AwdaError) as refused:
            _move(world, placement, to, actor)
        assert refused.value.code in ("transition_not_allowed",)
        placement.refresh_from_db()
        assert placement.status == start
        assert PlacementTransition.objects.count() == before


@pytest.mark.django_db
def test_the_whole_way_with_consent_and_retention(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    placement = actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=w["returnee"])
    # 7212 with 4 years (0.35 × 0.96), no skill recorded (0), education met (0.15), the offer's governorate
    # (0.15 × 0.8), languages not recorded (0.10 × 0.5), no priority group (0).
    assert placement.score == pytest.approx(0.656)
    assert not access.employer_may_see(placement)
    placement = actions.placement_agree(actor=w["worker"], placement=placement, agreed=True, method="written")
    consent = Consent.objects.get(pk=placement.consent_id)
    assert (consent.purpose, consent.shared_with_id, consent.whole_record) == (
        ConsentPurpose.SHARING_EMPLOYERS,
        w["employer"].institution_id,
        False,
    )
    assert sorted(consent.fields) == ["contact", "education_work", "identity"]
    assert not access.employer_may_see(placement)  # agreed, not yet shared
    placement = actions.placement_share(actor=w["worker"], placement=placement)
    assert access.employer_may_see(placement)
    placement = actions.placement_interview(actor=w["company"], placement=placement, at="2026-12-01T10:00")
    placement = actions.placement_hire(actor=w["company"], placement=placement, start="2026-12-05")
    offer = Offer.objects.get(pk=w["offer"].pk)
    assert (offer.filled, offer.status) == (1, OfferStatus.FILLED)
    checks = list(RetentionCheck.objects.filter(placement=placement).values_list("months", "due_on"))
    assert checks == [(3, date(2027, 3, 5)), (6, date(2027, 6, 5))]
    assert [
        (t.from_status, t.to_status) for t in PlacementTransition.objects.filter(placement=placement)
    ] == [
        ("", S.PROPOSED),
        (S.PROPOSED, S.AGREED),
        (S.AGREED, S.SHARED),
        (S.SHARED, S.INTERVIEW),
        (S.INTERVIEW, S.HIRED),
    ]
    check = RetentionCheck.objects.get(placement=placement, months=3)
    actions.retention_record(actor=w["staff"], check=check, result="employed", note="Still there")
    check.refresh_from_db()
    assert (check.result, check.checked_by_id) == ("employed", w["staff"].pk)
    with pytest.raises(Conflict):
        actions.retention_record(actor=w["worker"], check=check, result="left")
    check.refresh_from_db()
    assert check.result == "employed"
    # Withdrawing the consent hides the person from the company again at once.
    consent.withdrawn_at = timezone.now()
    consent.save()
    assert not access.employer_may_see(placement)


@pytest.mark.django_db
def test_sharing_without_consent_is_refused_and_changes_nothing(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    placement = actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=w["returnee"])
    placement = actions.placement_agree(actor=w["worker"], placement=placement, agreed=True, method="verbal")
    Consent.objects.filter(pk=placement.consent_id).update(withdrawn_at=timezone.now())
    version = placement.version
    with pytest.raises(AwdaError) as refused:
        actions.placement_share(actor=w["worker"], placement=placement)
    assert refused.value.code == "no_consent"
    placement.refresh_from_db()
    assert (placement.status, placement.version) == (S.AGREED, version)
    assert not access.employer_may_see(placement)


@pytest.mark.django_db
def test_a_filled_offer_takes_no_more_hires_or_proposals(
    jobs_world: dict[str, Any], register: Callable[..., Returnee]
) -> None:
    w = jobs_world
    other = register(record={"given_name": "كريم"})
    Skill.objects.create(returnee=other, occupation_id="7212", years_experience=1)
    first = actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=w["returnee"])
    second = actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=other)
    for p in (first, second):
        p = actions.placement_agree(actor=w["worker"], placement=p, agreed=True, method="verbal")
        actions.placement_share(actor=w["worker"], placement=p)
    actions.placement_hire(actor=w["company"], placement=first, start="2026-12-05")
    second.refresh_from_db()
    with pytest.raises(Conflict) as refused:
        actions.placement_hire(actor=w["company"], placement=second, start="2026-12-05")
    assert refused.value.code == "offer_filled"
    second.refresh_from_db()
    assert second.status == S.SHARED
    assert Offer.objects.get(pk=w["offer"].pk).filled == 1
    assert RetentionCheck.objects.filter(placement=second).count() == 0
    count = Placement.objects.count()
    third = register(record={"given_name": "سلمى"})
    with pytest.raises(Conflict):
        actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=third)
    assert Placement.objects.count() == count


@pytest.mark.django_db
def test_the_same_person_is_proposed_once_per_offer(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=w["returnee"])
    with pytest.raises(Conflict) as refused:
        actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=w["returnee"])
    assert refused.value.code == "already_proposed"
    assert Placement.objects.count() == 1


@pytest.mark.django_db
def test_the_company_sees_anonymous_candidates_and_asks_for_one(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    found = queries.candidates_for_offer(w["offer"])
    assert [c.returnee_id for c in found] == [w["returnee"].pk]
    key = found[0].key
    assert key == access.candidate_key(w["offer"], w["returnee"].uuid)
    assert str(w["returnee"].uuid) not in key and w["returnee"].case_number not in key
    with pytest.raises(AwdaError) as refused:
        actions.placement_request(actor=w["company"], offer=w["offer"], candidate="0" * 20)
    assert refused.value.fields and "candidate" in refused.value.fields
    assert Placement.objects.count() == 0
    placement = actions.placement_request(actor=w["company"], offer=w["offer"], candidate=key)
    assert (placement.status, placement.requested_by_employer, placement.returnee_id) == (
        S.PROPOSED,
        True,
        w["returnee"].pk,
    )
    assert not access.employer_may_see(placement)


@pytest.mark.django_db
def test_who_refused_employers_or_stopped_looking_is_no_candidate(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    Consent.objects.create(
        returnee=w["returnee"],
        purpose=ConsentPurpose.SHARING_EMPLOYERS,
        granted=False,
        method="verbal",
        recorded_at=timezone.now(),
    )
    assert queries.candidates_for_offer(w["offer"]) == []
    Consent.objects.all().delete()
    actions.profile_save(actor=w["worker"], returnee=w["returnee"], data={"seeking": False})
    assert queries.candidates_for_offer(w["offer"]) == []
    actions.profile_save(
        actor=w["worker"], returnee=w["returnee"], data={"seeking": True, "languages": ["ar"]}
    )
    assert len(queries.candidates_for_offer(w["offer"])) == 1


@pytest.mark.django_db
def test_a_stranger_cannot_move_a_placement(
    jobs_world: dict[str, Any], make_user: Callable[..., User]
) -> None:
    w = jobs_world
    placement = actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=w["returnee"])
    outsider = make_user(Role.CASE_WORKER, "momd_erbil", "jobs.erbil")
    with pytest.raises(NotFound):
        actions.placement_agree(actor=outsider, placement=placement, agreed=True, method="verbal")
    placement.refresh_from_db()
    assert placement.status == S.PROPOSED
    assert Consent.objects.filter(purpose=ConsentPurpose.SHARING_EMPLOYERS).count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"occupation": ""}, "occupation"),
        ({"occupation": "9999"}, "occupation"),
        ({"occupation": "not a job"}, "occupation"),
        ({"skills": ["لحام", "juggling on stilts"]}, "skills"),
        ({"languages": ["xx"]}, "languages"),
        ({"governorate": "IQG99"}, "governorate"),
        ({"places": 0}, "places"),
        ({"opens_on": "2027-01-10", "closes_on": "2027-01-01"}, "closes_on"),
    ],
)
def test_bad_offers_are_refused_whole(
    jobs_world: dict[str, Any], changes: dict[str, Any], field: str
) -> None:
    w = jobs_world
    before = Offer.objects.count()
    with pytest.raises(AwdaError) as refused:
        actions.offer_create(actor=w["company"], employer=w["employer"], data=_offer_data(**changes))
    assert field in refused.value.fields
    assert Offer.objects.count() == before


@pytest.mark.django_db
def test_occupation_and_skills_are_found_by_title_in_any_language(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    occupation = w["offer"].occupation
    for title in (occupation.name_en, occupation.name_ar, occupation.name_ckb):
        offer = actions.offer_create(
            actor=w["company"], employer=w["employer"], data=_offer_data(occupation=title, skills=["welder"])
        )
        assert offer.occupation_id == "7212"
        assert [s.code for s in offer.skills.all()] == ["welding"]


@pytest.mark.django_db
def test_a_company_waiting_for_review_cannot_post(jobs_world: dict[str, Any]) -> None:
    employer, user = actions.employer_register(
        data={
            "name_ar": "مطعم دجلة",
            "sector": "I",
            "size": "small",
            "governorates": ["IQG08"],
            "contact_name": "Ali",
            "contact_phone": "07801234567",
            "username": "dijla.restaurant",
            "password": "a-long-Password-2026",
        }
    )
    assert employer.status == "pending"
    before = Offer.objects.count()
    with pytest.raises(AwdaError):
        actions.offer_create(actor=user, employer=employer, data=_offer_data())
    assert Offer.objects.count() == before
    actions.employer_review(actor=jobs_world["staff"], employer=employer, decision="approved")
    offer = actions.offer_create(
        actor=user, employer=Employer.objects.get(pk=employer.pk), data=_offer_data()
    )
    assert offer.status == OfferStatus.DRAFT


@pytest.mark.django_db
def test_ranked_offers_for_a_person(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    far = actions.offer_create(
        actor=w["company"], employer=w["employer"], data=_offer_data(governorate="IQG02"), publish=True
    )
    ranked = queries.offers_for_person(w["returnee"])
    assert [r.offer.pk for r in ranked] == [w["offer"].pk]  # Basra is out of reach for someone staying
    actions.profile_save(actor=w["worker"], returnee=w["returnee"], data={"mobility": "anywhere"})
    ranked = queries.offers_for_person(w["returnee"])
    assert [r.offer.pk for r in ranked] == [w["offer"].pk, far.pk]
    assert ranked[1].match.parts["place"] == 0.5
    Offer.objects.filter(pk=far.pk).update(
        closes_on=timezone.localdate() - timedelta(days=1), updated_at=timezone.now()
    )
    assert [r.offer.pk for r in queries.offers_for_person(w["returnee"])] == [w["offer"].pk]


@pytest.mark.django_db
@pytest.mark.parametrize("limit", [1, 2, 3, 10])
def test_the_staged_candidate_search_finds_the_best_of_everyone(
    jobs_world: dict[str, Any], register: Callable[..., Returnee], limit: int
) -> None:
    """Closest occupations first, stopping early only when nobody further out could score higher: the
    same list as scoring every job seeker."""
    w = jobs_world
    for i, (code, years) in enumerate(
        [("72", 0), ("7213", 6), ("7222", 2), ("7411", 9), ("2341", 3), ("721", 1)]
    ):
        person = register(record={"given_name": f"شخص{i}", "education_level": i % 4})
        Skill.objects.create(returnee=person, occupation_id=code, years_experience=years)
    actions.profile_save(
        actor=w["worker"], returnee=Returnee.objects.get(given_name="شخص4"), data={"skills": ["welding"]}
    )
    offer = w["offer"]
    facts = queries.offer_facts([offer])[offer.pk]
    everyone = queries.person_facts(list(queries.job_seekers().values_list("pk", flat=True)))
    expected = sorted(
        ((m.score, pk) for pk, f in everyone.items() if (m := rules_match(f, facts)) is not None),
        key=lambda item: (-item[0], -item[1]),
    )[:limit]
    found = queries.candidates_for_offer(offer, limit=limit)
    assert [(c.match.score, c.returnee_id) for c in found] == expected
    assert len(expected) == min(limit, 7)  # the fixture's welder, five related people and the skilled teacher


def rules_match(person: Any, offer: Any) -> Any:
    from awda.jobs import rules

    return rules.match(person, offer)


@pytest.mark.django_db
def test_someone_on_the_shortlist_or_who_declined_is_not_offered_again(jobs_world: dict[str, Any]) -> None:
    w = jobs_world
    placement = actions.placement_propose(actor=w["worker"], offer=w["offer"], returnee=w["returnee"])
    assert queries.candidates_for_offer(w["offer"]) == []
    actions.placement_agree(actor=w["worker"], placement=placement, agreed=False, method="verbal")
    assert queries.candidates_for_offer(w["offer"]) == []
    Placement.objects.filter(pk=placement.pk).update(status=S.WITHDRAWN)
    assert [c.returnee_id for c in queries.candidates_for_offer(w["offer"])] == [w["returnee"].pk]


@pytest.mark.django_db
def test_the_nightly_rematch_keeps_each_persons_best_offers(jobs_world: dict[str, Any]) -> None:
    from django.test import Client

    from awda.jobs.models import OfferMatch
    from awda.jobs.rematch import rematch

    w = jobs_world
    second = actions.offer_create(
        actor=w["company"], employer=w["employer"], data=_offer_data(occupation="7213"), publish=True
    )
    result = rematch()
    assert (result.people, result.offers, result.matches) == (1, 2, 2)
    assert list(OfferMatch.objects.order_by("rank").values_list("returnee_id", "offer_id", "rank")) == [
        (w["returnee"].pk, w["offer"].pk, 1),
        (w["returnee"].pk, second.pk, 2),
    ]
    # A person who stops looking leaves no stale row at the next run.
    actions.profile_save(actor=w["worker"], returnee=w["returnee"], data={"seeking": False})
    assert rematch().matches == 0
    assert OfferMatch.objects.count() == 0
    actions.profile_save(actor=w["worker"], returnee=w["returnee"], data={"seeking": True})
    rematch()
    client = Client()
    client.force_login(w["company"])
    page = client.get(f"/jobs/offers/{w['offer'].uuid}/").content.decode()
    assert "In the last nightly matching, 1 job seeker had this offer among their best." in page
