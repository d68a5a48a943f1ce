"""Deadlines and messages: unanswered referrals expire and their senders hear of it in their own language,
overdue services are flagged once, receivers are told of new referrals (by email too), and the
case-response rules propose, once, what the worker confirms or dismisses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.db.models.signals import pre_save
from django.utils import timezone, translation
from django.utils.translation import gettext

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.catalogue.models import FocalPoint, Organisation, Service
from awda.core.errors import Conflict
from awda.core.models import Notification
from awda.referrals import actions, queries, rules
from awda.referrals.enums import ActionStatus, PlanStatus, ProposalStatus, ReferralStatus
from awda.referrals.models import (
    PlanAction,
    PlanGoal,
    Referral,
    ReferralTransition,
    ReintegrationPlan,
    ResponseProposal,
    ResponseRule,
)
from awda.registry import actions as registry_actions
from awda.registry.models import Returnee

pytestmark = pytest.mark.django_db

S = ReferralStatus
BAGHDAD = ZoneInfo("Asia/Baghdad")
SERVICE_NAMES = {
    "ar": "المساعدة في استخراج البطاقة الوطنية",
    "ckb": "یارمەتی بۆ دەرکردنی کارتی نیشتمانی",
    "en": "Help with the national card",
}
AMAL = {"ar": "جمعية الأمل", "ckb": "کۆمەڵەی ئومێد", "en": "Al-Amal Association"}


def consent_to(actor: User, returnee: Returnee, institution: Any) -> None:
    registry_actions.consent_record(
        actor=actor,
        returnee=returnee,
        data={
            "purpose": "sharing_institution",
            "shared_with": institution,
            "granted": True,
            "method": "written",
        },
    )


@pytest.fixture
def env(
    world: dict[str, Any],
    ngo: dict[str, Any],
    actors: dict[str, User],
    services: dict[str, Service],
    case: Returnee,
) -> dict[str, Any]:
    """Zainab consented to share her record with the NGO and with MoLSA."""
    consent_to(actors["worker"], case, ngo["institution"])
    consent_to(actors["worker"], case, world["molsa"])
    return {"world": world, "amal": ngo["institution"], **actors, **services, "case": case}


@pytest.fixture
def languages() -> Iterator[list[tuple[str, str, str]]]:
    """(recipient, kind, the active language) at the moment each notification is written."""
    seen: list[tuple[str, str, str]] = []

    def record(sender: Any, instance: Notification, **kwargs: Any) -> None:
        seen.append((instance.recipient.username, instance.kind, translation.get_language()))

    pre_save.connect(record, sender=Notification, weak=False, dispatch_uid="test-notification-language")
    yield seen
    pre_save.disconnect(sender=Notification, dispatch_uid="test-notification-language")


def refer(env: dict[str, Any], service: str, **extra: Any) -> Referral:
    return actions.referral_make(
        actor=env["worker"],
        returnee=env["case"],
        service=env[service],
        need_category=env[service].category.top.need_category,
        **extra,
    )


def notified(kind: str) -> list[str]:
    return sorted(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# --------------------------------------------------------------------------------------------------
# Expiry
# --------------------------------------------------------------------------------------------------


def test_only_overdue_sent_referrals_expire_and_the_sender_side_is_told_in_its_language(
    env: dict[str, Any], languages: list[tuple[str, str, str]]
) -> None:
    # given three referrals sent at the same time: to the NGO (5 working days to answer), to MoLSA
    # (10 working days), and to the NGO's clinic, already accepted
    Organisation.objects.filter(institution=env["world"]["molsa"]).update(referral_response_days=10)
    overdue = refer(env, "ngo_docs")
    not_yet = refer(env, "molsa_jobs")
    accepted = actions.referral_accept(
        actor=env["ngo"], referral=refer(env, "ngo_docs_2", override_reason="Near her work")
    )
    assert overdue.answer_due_at == rules.add_working_days(timezone.localtime(overdue.sent_at), 5)  # type: ignore[arg-type]
    assert not_yet.answer_due_at > overdue.answer_due_at  # type: ignore[operator]
    # and supervisors of the sending office who read Kurdish and Arabic
    User.objects.filter(pk=env["supervisor"].pk).update(language="ckb")
    User.objects.filter(pk=env["second_supervisor"].pk).update(language="ar")
    Notification.objects.all().delete()
    languages.clear()
    now = overdue.answer_due_at + timedelta(minutes=1)  # type: ignore[operator]

    # when the expiry runs a minute after the first deadline
    assert actions.referrals_expire(now=now) == 1

    # then only the overdue sent referral expired, logged without an actor
    statuses = {r.pk: r.status for r in Referral.objects.all()}
    assert statuses == {overdue.pk: S.EXPIRED, not_yet.pk: S.SENT, accepted.pk: S.ACCEPTED}
    last = ReferralTransition.objects.filter(referral=overdue).last()
    assert (last.from_status, last.to_status, last.actor, last.note) == (S.SENT, S.EXPIRED, None, "")  # type: ignore[union-attr]
    assert Referral.objects.get(pk=overdue.pk).closed_at == now

    # and the sender and the office's supervisors are told, each once, each in their own language
    assert notified("referral.expired") == ["ref.supervisor", "ref.supervisor2", "ref.worker"]
    assert sorted(languages) == [
        ("ref.supervisor", "referral.expired", "ckb"),
        ("ref.supervisor2", "referral.expired", "ar"),
        ("ref.worker", "referral.expired", settings.LANGUAGE_CODE),
    ]
    case_number = env["case"].case_number
    for username, language in (("ref.supervisor", "ckb"), ("ref.supervisor2", "ar"), ("ref.worker", "en")):
        message = Notification.objects.get(recipient__username=username)
        with translation.override(language):
            assert message.subject == gettext("Referral not answered: case %(case)s") % {"case": case_number}
        # names kept as data (not gettext) come in the reader's language too
        assert SERVICE_NAMES[language] in message.body, (username, message.body)
        assert AMAL[language] in message.body, (username, message.body)
        assert message.url == f"/referrals/{overdue.uuid}/"

    # and running it again changes nothing
    assert actions.referrals_expire(now=now + timedelta(days=1)) == 0
    assert Notification.objects.filter(kind="referral.expired").count() == 3


def test_the_deadline_counts_working_days_in_baghdad_not_in_utc(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given a draft, sent on Sunday 8 November 2026 at 02:00 in Baghdad (still Saturday 23:00 in UTC)
    draft = actions.referral_create(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )
    sunday_night = datetime(2026, 11, 8, 2, 0, tzinfo=BAGHDAD)
    monkeypatch.setattr(timezone, "now", lambda: sunday_night.astimezone(UTC))

    # when it is sent
    sent = actions.referral_send(actor=env["worker"], referral=draft)

    # then the NGO has five Baghdad working days (Monday to Thursday, then Sunday), until Sunday 02:00;
    # counted in UTC it would be due on the Friday, the weekend
    assert timezone.localtime(sent.answer_due_at, BAGHDAD) == datetime(2026, 11, 15, 2, 0, tzinfo=BAGHDAD)


def test_nothing_expires_before_its_deadline(env: dict[str, Any]) -> None:
    referral = refer(env, "ngo_docs")
    assert actions.referrals_expire(now=referral.answer_due_at - timedelta(seconds=1)) == 0  # type: ignore[operator]
    assert actions.referrals_expire(now=referral.answer_due_at) == 0
    assert Referral.objects.get(pk=referral.pk).status == S.SENT


def test_overdue_services_are_reported_once_to_the_receiving_supervisors(
    env: dict[str, Any], make_user: Callable[..., User]
) -> None:
    # given the NGO's supervisor, a referral accepted 31 days ago and another accepted yesterday
    supervisor = make_user(Role.SUPERVISOR, "amal_baghdad", "amal.supervisor")
    late = actions.referral_accept(actor=env["ngo"], referral=refer(env, "ngo_docs"))
    recent = actions.referral_accept(
        actor=env["ngo"], referral=refer(env, "ngo_docs_2", override_reason="Near her work")
    )
    now = timezone.now()
    Referral.objects.filter(pk=late.pk).update(accepted_at=now - timedelta(days=31))
    Referral.objects.filter(pk=recent.pk).update(accepted_at=now - timedelta(days=1))

    # when the overdue check runs twice
    first = actions.referrals_notify_overdue(now=now)
    second = actions.referrals_notify_overdue(now=now + timedelta(hours=1))

    # then the late one is reported once, to the NGO's supervisor only
    assert (first, second) == (1, 0)
    assert notified("referral.overdue") == [supervisor.username]
    assert Referral.objects.get(pk=late.pk).overdue_notified_at == now
    assert Referral.objects.get(pk=recent.pk).overdue_notified_at is None
    assert Referral.objects.get(pk=late.pk).status == S.ACCEPTED  # reported, not changed


# --------------------------------------------------------------------------------------------------
# Messages to the receiver
# --------------------------------------------------------------------------------------------------


def test_sending_tells_whoever_at_the_provider_may_answer_in_their_language(
    env: dict[str, Any], languages: list[tuple[str, str, str]]
) -> None:
    # given two NGO users, one reading Kurdish
    User.objects.filter(pk=env["ngo_colleague"].pk).update(language="ckb")

    # when a referral is sent to the NGO
    referral = refer(env, "ngo_docs")

    # then both are told, each in their language, with a link to the referral
    assert notified("referral.sent") == ["ref.ngo", "ref.ngo2"]
    assert sorted(languages) == [("ref.ngo", "referral.sent", "en"), ("ref.ngo2", "referral.sent", "ckb")]
    english = Notification.objects.get(kind="referral.sent", recipient=env["ngo"])
    kurdish = Notification.objects.get(kind="referral.sent", recipient=env["ngo_colleague"])
    assert (english.url, english.read_at, english.emailed_at) == (f"/referrals/{referral.uuid}/", None, None)
    assert english.subject == "New referral from Ministry of Migration and Displaced"
    with translation.override("ckb"):
        assert kurdish.subject == gettext("New referral from %(from)s") % {"from": "وەزارەتی کۆچ و کۆچبەران"}
    assert SERVICE_NAMES["ckb"] in kurdish.body


def test_the_sender_hears_of_each_answer_and_the_receiver_of_a_revocation(env: dict[str, Any]) -> None:
    # given two sent referrals
    served = refer(env, "ngo_docs")
    withdrawn = refer(env, "ngo_docs_2", override_reason="Near her work")
    Notification.objects.all().delete()

    # when the NGO accepts and completes one, and the worker revokes the other
    actions.referral_accept(actor=env["ngo"], referral=served)
    actions.referral_complete(
        actor=env["ngo"], referral=served, outcome="partly_met", service_delivered="Application filed"
    )
    actions.referral_revoke(actor=env["worker"], referral=withdrawn, note="She found help herself")

    # then the worker is told of the acceptance and of the service, and the NGO of the revocation
    messages = sorted(Notification.objects.values_list("kind", "recipient__username"))
    assert messages == [
        ("referral.accepted", "ref.worker"),
        ("referral.completed", "ref.worker"),
        ("referral.revoked", "ref.ngo"),
        ("referral.revoked", "ref.ngo2"),
    ]
    assert Notification.objects.get(kind="referral.completed").body == (
        f"Al-Amal Association recorded the service “Help with the national card” for case "
        f"{env['case'].case_number} as delivered: Need partly met."
    )


def test_revoking_a_draft_tells_nobody(env: dict[str, Any]) -> None:
    draft = actions.referral_create(
        actor=env["worker"], returnee=env["case"], service=env["ngo_docs"], need_category="documentation"
    )
    actions.referral_revoke(actor=env["worker"], referral=draft, note="Made by mistake")
    assert Notification.objects.count() == 0


def test_sending_tells_only_the_focal_point_when_there_is_one(env: dict[str, Any]) -> None:
    organisation = Organisation.objects.get(institution=env["amal"])
    FocalPoint.objects.create(organisation=organisation, name="Huda", user=env["ngo_colleague"])
    refer(env, "ngo_docs")
    assert notified("referral.sent") == ["ref.ngo2"]


def test_the_worker_emails_the_message_once(
    env: dict[str, Any], run_worker: Callable[[], None], django_capture_on_commit_callbacks: Any
) -> None:
    # given a referral sent (the messages are queued when the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        referral = refer(env, "ngo_docs")
    assert mail.outbox == []

    # when the task worker runs, twice
    run_worker()
    run_worker()

    # then each receiver got one email with the link, and the message says when it was emailed
    sent = sorted((m.to, m.subject) for m in mail.outbox)
    assert sent == [
        (["ref.ngo2@example.org"], "New referral from Ministry of Migration and Displaced"),
        (["ref.ngo@example.org"], "New referral from Ministry of Migration and Displaced"),
    ]
    link = f"{settings.AWDA_BASE_URL.rstrip('/')}/referrals/{referral.uuid}/"
    assert all(m.body.endswith(link) for m in mail.outbox)
    assert all(n.emailed_at is not None for n in Notification.objects.filter(kind="referral.sent"))


# --------------------------------------------------------------------------------------------------
# Case-response rules
# --------------------------------------------------------------------------------------------------


@pytest.fixture
def undocumented(register: Callable[..., Returnee]) -> Returnee:
    """Layla: her national card is lost (as in every registration here), and no need was recorded yet."""
    return register(needs=[], record={"given_name": "ليلى", "employment_status": "employed"})


def test_a_case_with_missing_documents_gets_the_documentation_first_proposal(
    env: dict[str, Any], undocumented: Returnee
) -> None:
    # given Layla, with a lost national card and no needs recorded
    rule = ResponseRule.objects.get(code="documentation-first")

    # then the rules propose documentation first (and the debts rule, as she sold assets to leave)
    assert [r.code for r in queries.pending_proposals(undocumented)] == [
        "documentation-first",
        "debts-after-return",
    ]

    # when the worker confirms it
    result = actions.proposal_confirm(actor=env["worker"], returnee=undocumented, rule=rule)

    # then the documentation need is recorded as the rule says
    needs = list(undocumented.needs.values_list("category", "priority", "urgency", "is_interest"))
    assert needs == [("documentation", "high", "immediate", False)]
    # and a draft plan holds the goal, due in six months
    plan = ReintegrationPlan.objects.get(returnee=undocumented)
    assert (plan.status, plan.created_by, result["plan"]) == (PlanStatus.DRAFT, env["worker"], plan)
    goal = PlanGoal.objects.get(plan=plan)
    assert (goal.dimension, goal.horizon, goal.need_category, goal.target_on) == (
        "social",
        "6m",
        "documentation",
        rules.add_months(plan.starts_on, 6),
    )
    assert goal.text == (
        "Obtain the missing identity documents (national card, residence card, birth certificates)"
    )
    assert result["goals"] == [goal]
    # and a draft referral, not sent, to the first-ranked service, as an action of that goal
    referral = Referral.objects.get(returnee=undocumented)
    assert (referral.status, referral.service, referral.suggestion_rank, referral.need_category) == (
        S.DRAFT,
        env["ngo_docs"],
        1,
        "documentation",
    )
    assert result["referrals"] == [referral]
    action = PlanAction.objects.get(goal=goal)
    assert (action.referral, action.status, action.text) == (
        referral,
        ActionStatus.PLANNED,
        SERVICE_NAMES["en"],
    )
    assert Notification.objects.filter(kind="referral.sent").count() == 0
    # and the proposal is answered
    assert list(ResponseProposal.objects.values_list("rule__code", "status", "decided_by")) == [
        ("documentation-first", ProposalStatus.CONFIRMED, env["worker"].pk)
    ]
    assert [r.code for r in queries.pending_proposals(undocumented)] == ["debts-after-return"]


def test_a_proposal_is_confirmed_once(env: dict[str, Any], undocumented: Returnee) -> None:
    rule = ResponseRule.objects.get(code="documentation-first")
    actions.proposal_confirm(actor=env["worker"], returnee=undocumented, rule=rule)
    counts = (Referral.objects.count(), PlanGoal.objects.count(), PlanAction.objects.count())

    with pytest.raises(Conflict) as refused:
        actions.proposal_confirm(actor=env["worker"], returnee=undocumented, rule=rule)

    assert refused.value.code == "duplicate"
    assert (Referral.objects.count(), PlanGoal.objects.count(), PlanAction.objects.count()) == counts
    assert ResponseProposal.objects.count() == 1


def test_a_dismissed_proposal_is_not_asked_again(env: dict[str, Any], undocumented: Returnee) -> None:
    rule = ResponseRule.objects.get(code="documentation-first")
    decision = actions.proposal_dismiss(
        actor=env["worker"], returnee=undocumented, rule=rule, note="Documents already requested"
    )
    assert (decision.status, decision.note, decision.rule_version) == (
        ProposalStatus.DISMISSED,
        "Documents already requested",
        rule.version,
    )
    assert [r.code for r in queries.pending_proposals(undocumented)] == ["debts-after-return"]
    with pytest.raises(Conflict):
        actions.proposal_dismiss(actor=env["worker"], returnee=undocumented, rule=rule)
    with pytest.raises(Conflict):
        actions.proposal_confirm(actor=env["worker"], returnee=undocumented, rule=rule)
    assert (
        ResponseProposal.objects.count(),
        Referral.objects.count(),
        ReintegrationPlan.objects.count(),
    ) == (1, 0, 0)
    assert undocumented.needs.count() == 0
