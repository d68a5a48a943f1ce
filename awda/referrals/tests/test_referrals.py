"""Making, sending and answering referrals: bad input refused with nothing left behind, consent enforced
in the code (what the receiver sees is what the person agreed to), stale answers, transfers, places."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from awda.accounts.models import User
from awda.catalogue import actions as catalogue_actions
from awda.catalogue.models import Service
from awda.catalogue.tests.conftest import service_document
from awda.core.errors import AwdaError, Conflict
from awda.core.models import Notification
from awda.referrals import actions, queries, sharing
from awda.referrals.enums import ReferralKind, ReferralStatus
from awda.referrals.models import Referral, ReferralTransition
from awda.registry import actions as registry_actions
from awda.registry.access import can_edit
from awda.registry.consents import ALL_PARTS, shared_parts, sharing_allowed
from awda.registry.models import CaseEvent, Consent, Returnee
from awda.registry.queries import returnees_visible_to

pytestmark = pytest.mark.django_db

S = ReferralStatus
USUAL_PARTS = ["contact", "identity", "needs", "place"]


def consent_to(
    actor: User, returnee: Returnee, institution: Any, parts: Iterable[str] | None = None
) -> Consent:
    """The person agrees to share with ``institution``: the whole record, or only ``parts``."""
    data: dict[str, Any] = {
        "purpose": "sharing_institution",
        "shared_with": institution,
        "granted": True,
        "method": "written",
    }
    if parts is not None:
        data |= {"whole_record": False, "fields": list(parts)}
    return registry_actions.consent_record(actor=actor, returnee=returnee, data=data)


def fields_of(error: AwdaError) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in error.fields.items()}


def log_of(referral: Referral) -> list[tuple[str, str]]:
    return list(
        ReferralTransition.objects.filter(referral=referral)
        .order_by("id")
        .values_list("from_status", "to_status")
    )


def load_of(service: Service) -> int:
    fresh = Service.objects.get(pk=service.pk)
    return fresh.current_load if fresh.load_month == timezone.localdate().replace(day=1) else 0


def nothing_made() -> tuple[int, int]:
    return Referral.objects.count(), ReferralTransition.objects.count()


def age_on(born: date, today: date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture
def env(
    world: dict[str, Any],
    ngo: dict[str, Any],
    actors: dict[str, User],
    services: dict[str, Service],
    case: Returnee,
) -> dict[str, Any]:
    return {"world": world, "amal": ngo["institution"], **actors, **services, "case": case}


# --------------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------------


def test_a_person_not_eligible_for_the_service_is_not_referred(env: dict[str, Any]) -> None:
    # given a service for people of 40 and over, and Zainab, who is 36
    older = catalogue_actions.service_publish(
        actor=env["admin"], document=service_document(code="amal-docs-40", organisation="amal", min_age=40)
    )
    consents = Consent.objects.count()

    # when the worker refers her to it, directly or recording her consent in the same step
    with pytest.raises(AwdaError) as direct:
        actions.referral_create(
            actor=env["worker"], returnee=env["case"], service=older, need_category="documentation"
        )
    with pytest.raises(AwdaError) as in_one_step:
        actions.referral_make(
            actor=env["worker"],
            returnee=env["case"],
            service=older,
            need_category="documentation",
            consent_method="written",
            override_reason="She asked for it",
        )

    # then both are refused on the service field, and no referral, log row or consent remains
    assert (direct.value.code, fields_of(direct.value)) == (
        "invalid",
        {"service": ["The person is not eligible for this service."]},
    )
    assert fields_of(in_one_step.value) == fields_of(direct.value)
    assert nothing_made() == (0, 0)
    assert Consent.objects.count() == consents


def test_a_full_service_is_not_offered(env: dict[str, Any]) -> None:
    # given the clinic's one place this month taken
    clinic = env["ngo_docs_2"]
    assert catalogue_actions.service_take_place(service=clinic) is True
    assert catalogue_actions.service_take_place(service=clinic) is False

    # when the worker refers Zainab to it anyway
    with pytest.raises(AwdaError) as refused:
        actions.referral_create(
            actor=env["worker"],
            returnee=env["case"],
            service=clinic,
            need_category="documentation",
            override_reason="Closer to her home",
        )

    # then it is refused and nothing is made
    assert fields_of(refused.value) == {
        "service": ["This service has no places left this month, or is not running now."]
    }
    assert nothing_made() == (0, 0)
    assert [s.service.code for s in queries.suggestions(env["case"], "documentation")] == ["amal-docs"]


def test_twice_to_the_same_service_while_the_first_is_open(env: dict[str, Any]) -> None:
    # given a draft referral to the NGO's documentation help
    first = actions.referral_create(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )

    # when a second is made
    with pytest.raises(Conflict) as refused:
        actions.referral_create(
            actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
        )

    # then it is a conflict and there is still one referral with one log row
    assert refused.value.code == "duplicate"
    assert nothing_made() == (1, 1)

    # and once the first is revoked, a new one may be made
    actions.referral_revoke(actor=env["worker"], referral=first, note="Wrong service chosen")
    again = actions.referral_create(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )
    assert (again.status, Referral.objects.count()) == (S.DRAFT, 2)


def test_the_database_refuses_a_second_open_referral_too(env: dict[str, Any]) -> None:
    from django.db import IntegrityError, transaction

    first = actions.referral_create(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.create(
            returnee=first.returnee,
            service=first.service,
            need_category="documentation",
            from_institution=first.from_institution,
            from_office=first.from_office,
            to_organisation=first.to_organisation,
            to_institution=first.to_institution,
        )
    assert Referral.objects.count() == 1


def test_not_the_first_suggestion_needs_a_reason(env: dict[str, Any]) -> None:
    # given the clinic, second in the ranking after the NGO's help in her own district
    assert [(s.service.code, s.ranked.rank) for s in queries.suggestions(env["case"], "documentation")] == [
        ("amal-docs", 1),
        ("amal-docs-2", 2),
    ]

    # when the worker chooses the second without saying why
    with pytest.raises(AwdaError) as refused:
        actions.referral_create(
            actor=env["worker"],
            returnee=env["case"],
            service=env["ngo_docs_2"],
            need_category="documentation",
            override_reason="   ",
        )

    # then the reason is asked for, and nothing is made
    assert fields_of(refused.value) == {
        "override_reason": ["This is not the first suggestion: say why you chose it."]
    }
    assert nothing_made() == (0, 0)

    # and with a reason it is made, remembering the rank, the score and the reason
    chosen = actions.referral_create(
        actor=env["worker"],
        returnee=env["case"],
        service=env["ngo_docs_2"],
        need_category="documentation",
        override_reason=" She works near the clinic ",
    )
    assert (chosen.suggestion_rank, chosen.suggestion_score, chosen.override_reason) == (
        2,
        0.63,
        "She works near the clinic",
    )
    # a reason given for the first suggestion is not kept: there is nothing to explain
    first = actions.referral_create(
        actor=env["worker"],
        returnee=env["case"],
        service=env["ngo_docs"],
        need_category="documentation",
        override_reason="no reason needed",
    )
    assert (first.suggestion_rank, first.suggestion_score, first.override_reason) == (1, 0.7, "")


def test_a_provider_without_an_institution_in_awda_is_not_referred_to(env: dict[str, Any]) -> None:
    # given a chamber of commerce with a documentation service, but no users in Awda
    catalogue_actions.organisation_create(
        actor=env["admin"],
        data={
            "code": "chamber",
            "type": "chamber_of_commerce",
            "name_ar": "غرفة تجارة بغداد",
            "name_ckb": "ژووری بازرگانی بەغدا",
            "name_en": "Baghdad Chamber of Commerce",
        },
    )
    chamber_docs = catalogue_actions.service_publish(
        actor=env["admin"], document=service_document(code="chamber-docs", organisation="chamber")
    )
    consents = Consent.objects.count()

    # when the worker refers Zainab to it, and records her consent to it in the same step
    with pytest.raises(AwdaError) as direct:
        actions.referral_create(
            actor=env["worker"],
            returnee=env["case"],
            service=chamber_docs,
            need_category="documentation",
            override_reason="x",
        )
    with pytest.raises(AwdaError) as in_one_step:
        actions.referral_make(
            actor=env["worker"],
            returnee=env["case"],
            service=chamber_docs,
            need_category="documentation",
            consent_method="written",
        )

    # then the worker is told to contact the provider directly, and nothing is made
    assert fields_of(direct.value) == {
        "service": [
            "This provider does not receive referrals in Awda. Contact them directly: +9647701234567."
        ]
    }
    assert fields_of(in_one_step.value) == fields_of(direct.value)
    assert nothing_made() == (0, 0)
    assert Consent.objects.count() == consents


@pytest.mark.parametrize(
    ("service", "need", "parts", "expected"),
    [
        ("ngo_docs", "spaceship", USUAL_PARTS, {"need_category": ["Choose a need from the list."]}),
        (
            "molsa_jobs",
            "documentation",
            USUAL_PARTS,
            {"service": ["This service does not answer this need."]},
        ),
        (
            "ngo_docs",
            "documentation",
            ["identity", "shoe_size"],
            {"shared_fields": ["Choose the parts of the record to share, from the list."]},
        ),
        (
            "ngo_docs",
            "documentation",
            [],
            {"shared_fields": ["Choose the parts of the record to share, from the list."]},
        ),
    ],
    ids=["unknown-need", "service-for-another-need", "unknown-part", "no-part"],
)
def test_bad_needs_and_parts_are_refused(
    env: dict[str, Any], service: str, need: str, parts: list[str], expected: dict[str, list[str]]
) -> None:
    with pytest.raises(AwdaError) as refused:
        actions.referral_create(
            actor=env["worker"],
            returnee=env["case"],
            service=env[service],
            need_category=need,
            shared_fields=parts,
            override_reason="x",
        )
    assert (refused.value.code, fields_of(refused.value)) == ("invalid", expected)
    assert nothing_made() == (0, 0)


# --------------------------------------------------------------------------------------------------
# Consent, enforced in the code
# --------------------------------------------------------------------------------------------------


def test_without_consent_nothing_is_sent(env: dict[str, Any]) -> None:
    # given a draft referral and no consent to share anything with the NGO
    referral = actions.referral_create(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )
    assert shared_parts(env["case"], env["amal"]) == frozenset()

    # when the worker sends it
    with pytest.raises(AwdaError) as refused:
        actions.referral_send(actor=env["worker"], referral=referral)

    # then it is refused for lack of consent; the referral is still a draft, unlogged, and nobody is told
    assert refused.value.code == "no_consent"
    assert list(refused.value.fields) == ["consent"]
    fresh = Referral.objects.get(pk=referral.pk)
    assert (fresh.status, fresh.version, fresh.sent_at, fresh.answer_due_at) == (S.DRAFT, 1, None, None)
    assert log_of(referral) == [("", S.DRAFT)]
    assert Notification.objects.count() == 0


def test_without_consent_making_and_sending_in_one_step_leaves_nothing(env: dict[str, Any]) -> None:
    with pytest.raises(AwdaError) as refused:
        actions.referral_make(
            actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
        )
    assert refused.value.code == "no_consent"
    assert nothing_made() == (0, 0)
    assert Notification.objects.count() == 0


def test_sharing_more_parts_than_consented_is_refused(env: dict[str, Any]) -> None:
    # given Zainab agreed to share her name and needs with the NGO, nothing more
    consent_to(env["worker"], env["case"], env["amal"], ["identity", "needs"])
    referral = actions.referral_create(
        actor=env["worker"],
        returnee=env["case"],
        service=env["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "needs", "contact"],
    )

    # when the worker sends her phone numbers too
    with pytest.raises(AwdaError) as refused:
        actions.referral_send(actor=env["worker"], referral=referral)

    # then it is refused, naming what is missing, and the referral stays a draft
    assert refused.value.code == "no_consent"
    assert str(refused.value) == (
        "The person has not agreed to share this with Al-Amal Association: Phone numbers and address. "
        "Record their consent first."
    )
    assert (Referral.objects.get(pk=referral.pk).status, log_of(referral)) == (S.DRAFT, [("", S.DRAFT)])

    # and what she agreed to can be sent
    actions.referral_revoke(actor=env["worker"], referral=referral, note="Too much shared")
    narrower = actions.referral_make(
        actor=env["worker"],
        returnee=env["case"],
        service=env["ngo_docs"],
        need_category="documentation",
        shared_fields=["needs", "identity"],
    )
    assert (narrower.status, narrower.shared_fields) == (S.SENT, ["identity", "needs"])


def test_consent_recorded_in_the_same_step_covers_exactly_the_chosen_parts(env: dict[str, Any]) -> None:
    referral = actions.referral_make(
        actor=env["worker"],
        returnee=env["case"],
        service=env["ngo_docs"],
        need_category="documentation",
        shared_fields=["needs", "identity"],
        consent_method="verbal",
    )
    consent = Consent.objects.get(purpose="sharing_institution", withdrawn_at__isnull=True)
    assert (consent.shared_with_id, consent.whole_record, consent.fields, consent.method) == (
        env["amal"].pk,
        False,
        ["identity", "needs"],
        "verbal",
    )
    assert (referral.status, log_of(referral)) == (S.SENT, [("", S.DRAFT), (S.DRAFT, S.SENT)])


def test_the_receiver_sees_exactly_the_consented_parts_and_nothing_once_withdrawn(
    env: dict[str, Any],
) -> None:
    # given Zainab agreed to share her name and needs with the NGO, and was referred with those
    case = env["case"]
    consent = consent_to(env["worker"], case, env["amal"], ["identity", "needs"])
    referral = actions.referral_make(
        actor=env["worker"],
        returnee=case,
        service=env["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "needs"],
    )

    # when the NGO opens it
    seen = queries.received_by(env["ngo"]).get(pk=referral.pk)
    parts = queries.parts_for([seen])[seen.pk]

    # then it sees her name, sex, age and needs, and nothing else
    assert parts == frozenset({"identity", "needs"})
    assert sharing.shared_record(seen, parts) == {
        "case_number": case.case_number,
        "identity": {
            "full_name": "زينب حسين علي الجبوري",
            "full_name_latin": "Zainab Hussein Al-Juburi",
            "known_as": "",
            "sex": "female",
            "age": age_on(date(1990, 3, 14), timezone.localdate()),
        },
        "needs": [
            {"category": "documentation", "priority": "high", "urgency": "soon", "description": ""},
            {"category": "employment", "priority": "medium", "urgency": "soon", "description": ""},
        ],
    }
    assert [title for title, _rows in sharing.shared_rows(seen, parts)] == ["Name, sex and age", "Needs"]

    # and when she withdraws her consent, the NGO sees nothing of her but the case number
    registry_actions.consent_withdraw(actor=env["worker"], consent=consent)
    seen = queries.received_by(env["ngo"]).get(pk=referral.pk)
    parts = queries.parts_for([seen])[seen.pk]
    assert parts == frozenset()
    assert sharing.shared_record(seen, parts) == {"case_number": case.case_number}
    assert sharing.shared_rows(seen, parts) == []


def test_a_wider_consent_later_does_not_widen_what_the_sender_chose(env: dict[str, Any]) -> None:
    case = env["case"]
    consent_to(env["worker"], case, env["amal"], ["identity", "needs"])
    referral = actions.referral_make(
        actor=env["worker"],
        returnee=case,
        service=env["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "needs"],
    )
    consent_to(env["worker"], case, env["amal"])  # the whole record, replacing the first
    assert queries.parts_for([referral]) == {referral.pk: frozenset({"identity", "needs"})}
    assert shared_parts(case, env["amal"]) == ALL_PARTS


def test_a_refusal_recorded_later_closes_what_an_earlier_consent_opened(env: dict[str, Any]) -> None:
    case = env["case"]
    consent_to(env["worker"], case, env["amal"], ["identity", "needs"])
    referral = actions.referral_make(
        actor=env["worker"],
        returnee=case,
        service=env["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "needs"],
    )
    registry_actions.consent_record(
        actor=env["worker"],
        returnee=case,
        data={
            "purpose": "sharing_institution",
            "shared_with": env["amal"],
            "granted": False,
            "method": "verbal",
        },
    )
    assert queries.parts_for([referral]) == {referral.pk: frozenset()}
    assert shared_parts(case, env["amal"]) == frozenset()


def test_only_a_whole_record_consent_opens_the_case_to_another_institution(env: dict[str, Any]) -> None:
    # given Zainab agreed to share her name with MoLSA
    case, molsa = env["case"], env["world"]["molsa"]
    consent_to(env["worker"], case, molsa, ["identity"])

    # then a MoLSA case worker does not see her case
    assert list(returnees_visible_to(env["molsa_worker"]).filter(pk=case.pk)) == []
    assert (shared_parts(case, molsa), sharing_allowed(case, molsa)) == (frozenset({"identity"}), False)

    # and once she agrees to share the whole record, the case is visible there (but not editable)
    consent_to(env["worker"], case, molsa)
    assert list(returnees_visible_to(env["molsa_worker"]).filter(pk=case.pk)) == [case]
    assert (shared_parts(case, molsa), sharing_allowed(case, molsa)) == (ALL_PARTS, True)
    assert can_edit(env["molsa_worker"], case) is False


# --------------------------------------------------------------------------------------------------
# Answers: stale versions, places
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def sent(env: dict[str, Any]) -> Referral:
    """A referral of Zainab to the NGO's documentation help, sent with her consent."""
    consent_to(env["worker"], env["case"], env["amal"], USUAL_PARTS)
    return actions.referral_make(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )


def test_two_answers_to_the_same_version_the_second_is_stale(env: dict[str, Any], sent: Referral) -> None:
    # given two NGO workers looking at version 2 of the referral
    assert (sent.status, sent.version) == (S.SENT, 2)

    # when the first accepts it
    actions.referral_accept(actor=env["ngo"], referral=sent, expected_version=2)
    transitions = ReferralTransition.objects.count()

    # then the second one's decline and accept, both on version 2, are refused as stale
    with pytest.raises(Conflict) as declined:
        actions.referral_decline(
            actor=env["ngo_colleague"], referral=sent, reason="no_capacity", expected_version=2
        )
    with pytest.raises(Conflict) as accepted:
        actions.referral_accept(actor=env["ngo_colleague"], referral=sent, expected_version=2)
    assert (declined.value.code, accepted.value.code) == ("stale", "stale")

    # and nothing changed: accepted by the first, one place taken
    fresh = Referral.objects.get(pk=sent.pk)
    assert (fresh.status, fresh.version, fresh.assigned_to, fresh.decline_reason, fresh.closed_at) == (
        S.ACCEPTED,
        3,
        env["ngo"],
        "",
        None,
    )
    assert ReferralTransition.objects.count() == transitions
    assert load_of(env["ngo_docs"]) == 1


def test_accepting_takes_a_place(env: dict[str, Any], sent: Referral) -> None:
    assert load_of(env["ngo_docs"]) == 0
    accepted = actions.referral_accept(actor=env["ngo"], referral=sent, note="We call her tomorrow")
    assert (accepted.status, accepted.assigned_to, accepted.accepted_at is not None) == (
        S.ACCEPTED,
        env["ngo"],
        True,
    )
    assert load_of(env["ngo_docs"]) == 1
    assert [s.places_left for s in queries.suggestions(env["case"], "documentation")] == [9, 1]


def test_a_full_service_cannot_accept(env: dict[str, Any]) -> None:
    # given a referral sent to the clinic, whose one place was taken since
    consent_to(env["worker"], env["case"], env["amal"], USUAL_PARTS)
    clinic = env["ngo_docs_2"]
    referral = actions.referral_make(
        actor=env["worker"],
        returnee=env["case"],
        service=clinic,
        need_category="documentation",
        override_reason="She works near the clinic",
    )
    assert catalogue_actions.service_take_place(service=clinic) is True
    transitions = ReferralTransition.objects.count()

    # when the NGO accepts it
    with pytest.raises(Conflict) as refused:
        actions.referral_accept(actor=env["ngo"], referral=referral)

    # then it is refused as full; the referral is still waiting, the place count unchanged
    assert refused.value.code == "full"
    fresh = Referral.objects.get(pk=referral.pk)
    assert (fresh.status, fresh.version, fresh.assigned_to, fresh.accepted_at) == (S.SENT, 2, None, None)
    assert ReferralTransition.objects.count() == transitions
    assert load_of(clinic) == 1

    # and it may still decline it for that reason
    declined = actions.referral_decline(actor=env["ngo"], referral=referral, reason="no_capacity")
    assert (declined.status, declined.decline_reason) == (S.DECLINED, "no_capacity")


# --------------------------------------------------------------------------------------------------
# Transfers
# --------------------------------------------------------------------------------------------------


def test_a_transfer_accepted_moves_the_case_to_the_other_institution(env: dict[str, Any]) -> None:
    # given Zainab agreed to share her whole record with MoLSA, and MoMD transfers her case there
    case, molsa = env["case"], env["world"]["molsa"]
    consent_to(env["worker"], case, molsa)
    transfer = actions.transfer_create(
        actor=env["worker"], returnee=case, institution=molsa, note="She lives near MoLSA's office now"
    )
    transfer = actions.referral_send(actor=env["worker"], referral=transfer)

    # when a MoLSA case worker accepts it
    done = actions.referral_accept(actor=env["molsa_worker"], referral=transfer, note="Taken over")

    # then the case is MoLSA's, in its Baghdad office, with that worker; the transfer is complete
    case.refresh_from_db()
    assert (case.institution, case.office, case.owner) == (
        molsa,
        env["world"]["molsa_baghdad"],
        env["molsa_worker"],
    )
    assert (done.kind, done.status, done.outcome, done.closed_at is not None) == (
        ReferralKind.TRANSFER,
        S.COMPLETED,
        "need_met",
        True,
    )
    assert log_of(transfer) == [
        ("", S.DRAFT),
        (S.DRAFT, S.SENT),
        (S.SENT, S.ACCEPTED),
        (S.ACCEPTED, S.COMPLETED),
    ]
    event = CaseEvent.objects.get(returnee=case, kind="transferred")
    assert (event.actor, event.data) == (
        env["molsa_worker"],
        {"from": env["world"]["momd"].pk, "to": molsa.pk, "office": str(env["world"]["molsa_baghdad"].uuid)},
    )
    assert (can_edit(env["molsa_worker"], case), can_edit(env["worker"], case)) == (True, False)


def test_a_transfer_needs_a_whole_record_consent(env: dict[str, Any]) -> None:
    case, molsa = env["case"], env["world"]["molsa"]
    consent_to(env["worker"], case, molsa, ["identity", "needs"])
    transfer = actions.transfer_create(actor=env["worker"], returnee=case, institution=molsa)
    with pytest.raises(AwdaError) as refused:
        actions.referral_send(actor=env["worker"], referral=transfer)
    assert refused.value.code == "no_consent"
    assert (Referral.objects.get(pk=transfer.pk).status, log_of(transfer)) == (S.DRAFT, [("", S.DRAFT)])


def test_bad_transfers_are_refused(env: dict[str, Any]) -> None:
    case = env["case"]
    with pytest.raises(AwdaError) as to_itself:
        actions.transfer_create(actor=env["worker"], returnee=case, institution=env["world"]["momd"])
    assert fields_of(to_itself.value) == {"institution": ["The case is already with this institution."]}
    actions.transfer_create(actor=env["worker"], returnee=case, institution=env["world"]["molsa"])
    with pytest.raises(Conflict) as twice:
        actions.transfer_create(actor=env["worker"], returnee=case, institution=env["amal"])
    assert twice.value.code == "duplicate"
    assert Referral.objects.count() == 1


def test_a_transfer_is_taken_over_only_by_an_office_and_a_worker_of_the_receiving_institution(
    env: dict[str, Any], make_user: Any
) -> None:
    # given a transfer of Zainab's case to MoLSA, sent with her consent
    case, molsa = env["case"], env["world"]["molsa"]
    consent_to(env["worker"], case, molsa)
    transfer = actions.referral_send(
        actor=env["worker"],
        referral=actions.transfer_create(actor=env["worker"], returnee=case, institution=molsa),
    )
    provider = make_user("service_provider", "molsa_baghdad", "molsa.provider")
    events = CaseEvent.objects.count()

    # when a MoLSA worker names an office of MoMD, or a MoLSA provider (who keeps no cases) accepts it
    with pytest.raises(AwdaError) as wrong_office:
        actions.referral_accept(
            actor=env["molsa_worker"], referral=transfer, office=env["world"]["momd_erbil"]
        )
    with pytest.raises(AwdaError) as no_case_work:
        actions.referral_accept(actor=provider, referral=transfer)

    # then both are refused, and the case and the transfer are as they were
    assert fields_of(wrong_office.value) == {
        "office": ["Choose an office of your institution to take the case."]
    }
    assert no_case_work.value.code == "permission_denied"
    case.refresh_from_db()
    assert (case.institution, case.office, case.owner) == (
        env["world"]["momd"],
        env["world"]["momd_baghdad"],
        env["worker"],
    )
    fresh = Referral.objects.get(pk=transfer.pk)
    assert (fresh.status, fresh.version, fresh.assigned_to, fresh.accepted_at) == (S.SENT, 2, None, None)
    assert log_of(transfer) == [("", S.DRAFT), (S.DRAFT, S.SENT)]
    assert CaseEvent.objects.count() == events


def test_a_consent_to_a_kind_of_institution_covers_the_ngo(env: dict[str, Any]) -> None:
    # given Zainab agreed to share her name and needs with any NGO
    registry_actions.consent_record(
        actor=env["worker"],
        returnee=env["case"],
        data={
            "purpose": "sharing_institution_type",
            "shared_with_type": "ngo",
            "granted": True,
            "method": "written",
            "whole_record": False,
            "fields": ["identity", "needs"],
        },
    )

    # when she is referred to the NGO with those parts
    referral = actions.referral_make(
        actor=env["worker"],
        returnee=env["case"],
        service=env["ngo_docs"],
        need_category="documentation",
        shared_fields=["identity", "needs"],
    )

    # then it is sent, and the NGO sees those parts; MoLSA, a ministry, gets nothing from it
    assert referral.status == S.SENT
    assert queries.parts_for([referral]) == {referral.pk: frozenset({"identity", "needs"})}
    assert shared_parts(env["case"], env["world"]["molsa"]) == frozenset()
