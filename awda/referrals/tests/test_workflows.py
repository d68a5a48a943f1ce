"""The referral lifecycle: every (from, to, side, kind) against a table written out here, then every
move carried out through the actions, allowed ones logged once and refused ones leaving nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from awda.accounts.models import User
from awda.catalogue.models import Organisation, Service
from awda.core.errors import Conflict
from awda.referrals import actions, workflows
from awda.referrals.enums import ReferralKind, ReferralStatus
from awda.referrals.models import Referral, ReferralTransition
from awda.registry import actions as registry_actions
from awda.registry.models import Returnee

S = ReferralStatus
SIDES = ("sender", "receiver", "system")
MARKS = {"S": "sender", "R": "receiver", "X": "system", ".": None}
NOTE = "Checked with the person by phone."

# Who may move a referral from the row's status to the column's: S the sender, R the receiver,
# X the system (nobody's hand), "." nobody at all.
SERVICE_TABLE = """
               draft  sent  accepted  declined  in_progress  completed  not_completed  revoked  expired
draft            .     S       .         .          .            .            .           S        .
sent             .     .       R         R          .            .            .           S        X
accepted         .     .       .         .          R            R            R           S        .
declined         .     .       .         .          .            .            .           .        .
in_progress      .     .       .         .          .            R            R           .        .
completed        .     .       .         .          .            .            .           .        .
not_completed    .     .       .         .          .            .            .           .        .
revoked          .     .       .         .          .            .            .           .        .
expired          .     .       .         .          .            .            .           .        .
"""
# A transfer is answered, never served: accepting it completes it, by the system, in the same step.
TRANSFER_TABLE = """
               draft  sent  accepted  declined  in_progress  completed  not_completed  revoked  expired
draft            .     S       .         .          .            .            .           S        .
sent             .     .       R         R          .            .            .           S        X
accepted         .     .       .         .          .            X            .           .        .
declined         .     .       .         .          .            .            .           .        .
in_progress      .     .       .         .          .            .            .           .        .
completed        .     .       .         .          .            .            .           .        .
not_completed    .     .       .         .          .            .            .           .        .
revoked          .     .       .         .          .            .            .           .        .
expired          .     .       .         .          .            .            .           .        .
"""


def _parse(table: str) -> dict[tuple[str, str], str | None]:
    header, *rows = [line.split() for line in table.strip().splitlines()]
    out: dict[tuple[str, str], str | None] = {}
    for frm, *marks in rows:
        assert len(marks) == len(header), frm
        for to, mark in zip(header, marks, strict=True):
            out[(frm, to)] = MARKS[mark]
    return out


EXPECTED = {ReferralKind.SERVICE: _parse(SERVICE_TABLE), ReferralKind.TRANSFER: _parse(TRANSFER_TABLE)}


# --------------------------------------------------------------------------------------------------
# The table itself (no database)
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ReferralKind.values)
def test_the_expected_tables_cover_every_pair_of_statuses(kind: str) -> None:
    assert set(EXPECTED[kind]) == {(a, b) for a in S.values for b in S.values}


@pytest.mark.parametrize("kind", ReferralKind.values)
@pytest.mark.parametrize("from_status", S.values)
@pytest.mark.parametrize("to_status", S.values)
def test_each_move_is_allowed_to_exactly_the_side_the_table_names(
    kind: str, from_status: str, to_status: str
) -> None:
    # given the expected side (or nobody) for this move
    expected_side = EXPECTED[kind][(from_status, to_status)]

    # when each side asks
    answers = {side: workflows.allowed(kind, from_status, to_status, side) for side in SIDES}  # type: ignore[arg-type]

    # then only that side is let through
    assert answers == {side: side == expected_side for side in SIDES}


@pytest.mark.parametrize("kind", ReferralKind.values)
@pytest.mark.parametrize("status", S.values)
@pytest.mark.parametrize("side", SIDES)
def test_next_statuses_lists_exactly_the_moves_of_the_table(kind: str, status: str, side: str) -> None:
    expected = {to for (frm, to), who in EXPECTED[kind].items() if frm == status and who == side}
    offered = workflows.next_statuses(kind, status, side)  # type: ignore[arg-type]
    assert (set(offered), len(offered)) == (expected, len(expected))


def test_final_statuses_are_those_without_a_way_out() -> None:
    for kind in ReferralKind.values:
        dead_ends = {frm for frm in S.values if not any(EXPECTED[kind][(frm, to)] for to in S.values)}
        if kind == ReferralKind.SERVICE:
            assert dead_ends == set(workflows.FINAL)
        else:  # a transfer is never started, so "in progress" is a dead end it never reaches
            assert dead_ends == {*workflows.FINAL, S.IN_PROGRESS}
    assert {S.DECLINED, S.COMPLETED, S.NOT_COMPLETED, S.REVOKED, S.EXPIRED} == workflows.FINAL


# --------------------------------------------------------------------------------------------------
# Through the actions
# --------------------------------------------------------------------------------------------------

Act = Callable[[Referral, User], Referral]
# action → (the status it moves to, the side that calls it, the note it logs, the call)
ACTIONS: dict[str, tuple[str, str, str, Act]] = {
    "send": (S.SENT, "sender", "", lambda r, a: actions.referral_send(actor=a, referral=r)),
    "revoke": (
        S.REVOKED,
        "sender",
        NOTE,
        lambda r, a: actions.referral_revoke(actor=a, referral=r, note=NOTE),
    ),
    "accept": (
        S.ACCEPTED,
        "receiver",
        NOTE,
        lambda r, a: actions.referral_accept(actor=a, referral=r, note=NOTE),
    ),
    "decline": (
        S.DECLINED,
        "receiver",
        NOTE,
        lambda r, a: actions.referral_decline(actor=a, referral=r, reason="no_capacity", note=NOTE),
    ),
    "start": (
        S.IN_PROGRESS,
        "receiver",
        NOTE,
        lambda r, a: actions.referral_start(actor=a, referral=r, note=NOTE),
    ),
    "complete": (
        S.COMPLETED,
        "receiver",
        NOTE,
        lambda r, a: actions.referral_complete(
            actor=a, referral=r, outcome="need_met", service_delivered="National card issued", note=NOTE
        ),
    ),
    "not_complete": (
        S.NOT_COMPLETED,
        "receiver",
        NOTE,
        lambda r, a: actions.referral_not_complete(actor=a, referral=r, reason="person_withdrew", note=NOTE),
    ),
}
START_VERSION = 4  # any version: each move adds one to whatever it was


@pytest.fixture
def setting(
    world: dict[str, Any],
    ngo: dict[str, Any],
    actors: dict[str, User],
    services: dict[str, Service],
    case: Returnee,
) -> dict[str, Any]:
    """Zainab agreed to share the usual parts with Al-Amal and her whole record with MoLSA."""
    registry_actions.consent_record(
        actor=actors["worker"],
        returnee=case,
        data={
            "purpose": "sharing_institution",
            "shared_with": ngo["institution"],
            "granted": True,
            "method": "written",
            "whole_record": False,
            "fields": list(actions.DEFAULT_PARTS),
        },
    )
    registry_actions.consent_record(
        actor=actors["worker"],
        returnee=case,
        data={
            "purpose": "sharing_institution",
            "shared_with": world["molsa"],
            "granted": True,
            "method": "written",
        },
    )
    return {"world": world, "ngo": ngo, "actors": actors, "services": services, "case": case}


def _referral_in(setting: dict[str, Any], kind: str, status: str, *, due_in: timedelta) -> Referral:
    """A referral put straight into ``status`` (no walk through the flow), with no log rows yet."""
    world, case, worker = setting["world"], setting["case"], setting["actors"]["worker"]
    common = {
        "returnee": case,
        "from_institution": world["momd"],
        "from_office": world["momd_baghdad"],
        "created_by": worker,
    }
    if kind == ReferralKind.SERVICE:
        service = setting["services"]["ngo_docs"]
        referral = Referral.objects.create(
            kind=kind,
            need_category="documentation",
            service=service,
            to_organisation=service.organisation,
            to_institution=setting["ngo"]["institution"],
            shared_fields=sorted(actions.DEFAULT_PARTS),
            **common,
        )
    else:
        referral = Referral.objects.create(
            kind=kind,
            to_organisation=Organisation.objects.get(institution=world["molsa"]),
            to_institution=world["molsa"],
            shared_fields=sorted(actions.ALL_PARTS),
            **common,
        )
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(
        status=status,
        version=START_VERSION,
        sent_at=None if status == S.DRAFT else now - timedelta(days=1),
        answer_due_at=None if status == S.DRAFT else now + due_in,
    )
    return Referral.objects.get(pk=referral.pk)


def _retire(referral: Referral) -> None:
    """Close a referral left open, so the next one to the same service is not a duplicate."""
    Referral.objects.filter(pk=referral.pk, status__in=[S.DRAFT, S.SENT, S.ACCEPTED, S.IN_PROGRESS]).update(
        status=S.REVOKED
    )


def _log(referral: Referral) -> list[tuple[str, str, int | None, str]]:
    return list(
        ReferralTransition.objects.filter(referral=referral)
        .order_by("id")
        .values_list("from_status", "to_status", "actor_id", "note")
    )


def _state(referral: Referral) -> tuple[str, int]:
    fresh = Referral.objects.get(pk=referral.pk)
    return fresh.status, fresh.version


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ReferralKind.values)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_every_action_from_every_status_moves_exactly_as_the_table_says(
    setting: dict[str, Any], kind: str, action: str
) -> None:
    to, side, note, act = ACTIONS[action]
    actors = setting["actors"]
    receiver = actors["ngo"] if kind == ReferralKind.SERVICE else actors["molsa_worker"]
    actor = actors["worker"] if side == "sender" else receiver
    service = setting["services"]["ngo_docs"]
    outcomes: dict[str, str] = {}
    for status in S.values:
        # given a referral in this status
        referral = _referral_in(setting, kind, status, due_in=timedelta(days=5))
        load_before = Service.objects.get(pk=service.pk).current_load
        total_before = ReferralTransition.objects.count()

        # when the side the action belongs to carries it out
        try:
            act(referral, actor)
        except Conflict as refused:
            # then a refused move changes nothing: status, version, log, places
            assert refused.code == "transition_not_allowed"
            assert _state(referral) == (status, START_VERSION)
            assert _log(referral) == []
            assert ReferralTransition.objects.count() == total_before
            assert Service.objects.get(pk=service.pk).current_load == load_before
            outcomes[status] = "refused"
        else:
            # then an allowed move is logged once, with who and why
            if kind == ReferralKind.TRANSFER and to == S.ACCEPTED:
                assert _state(referral) == (S.COMPLETED, START_VERSION + 2)
                assert _log(referral) == [
                    (status, S.ACCEPTED, actor.pk, note),
                    (S.ACCEPTED, S.COMPLETED, None, ""),
                ]
            else:
                assert _state(referral) == (to, START_VERSION + 1)
                assert _log(referral) == [(status, to, actor.pk, note)]
            takes_place = kind == ReferralKind.SERVICE and to == S.ACCEPTED
            assert Service.objects.get(pk=service.pk).current_load == load_before + takes_place
            outcomes[status] = "moved"
        _retire(referral)

    expected = {status: "moved" if EXPECTED[kind][(status, to)] == side else "refused" for status in S.values}
    assert outcomes == expected


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ReferralKind.values)
def test_expiry_moves_only_sent_referrals_past_their_deadline(setting: dict[str, Any], kind: str) -> None:
    outcomes: dict[str, str] = {}
    for status in S.values:
        # given a referral in this status whose answer was due an hour ago
        referral = _referral_in(setting, kind, status, due_in=-timedelta(hours=1))

        # when the system runs the expiry
        expired = actions.referrals_expire(now=timezone.now())

        # then only a sent one expires, logged without an actor
        if status == S.SENT:
            assert expired == 1
            assert _state(referral) == (S.EXPIRED, START_VERSION + 1)
            assert _log(referral) == [(S.SENT, S.EXPIRED, None, "")]
        else:
            assert expired == 0
            assert _state(referral) == (status, START_VERSION)
            assert _log(referral) == []
        outcomes[status] = "moved" if expired else "refused"
        _retire(referral)
    assert outcomes == {
        s: "moved" if EXPECTED[kind][(s, S.EXPIRED)] == "system" else "refused" for s in S.values
    }


@pytest.mark.django_db
def test_sending_twice_is_refused_and_changes_nothing(setting: dict[str, Any]) -> None:
    # given a referral made and sent through the actions
    worker, case = setting["actors"]["worker"], setting["case"]
    referral = actions.referral_create(
        actor=worker, returnee=case, service=setting["services"]["ngo_docs"], need_category="documentation"
    )
    sent = actions.referral_send(actor=worker, referral=referral)
    assert (sent.status, sent.version) == (S.SENT, 2)

    # when it is sent again
    with pytest.raises(Conflict) as refused:
        actions.referral_send(actor=worker, referral=referral)

    # then it is refused and nothing moved
    assert refused.value.code == "transition_not_allowed"
    assert (
        str(refused.value)
        == "This referral is now “Sent, waiting for an answer”: it cannot be moved this way."
    )
    assert _state(referral) == (S.SENT, 2)
    assert [(f, t) for f, t, _a, _n in _log(referral)] == [("", S.DRAFT), (S.DRAFT, S.SENT)]


@pytest.mark.django_db
@pytest.mark.parametrize("status", [S.DECLINED, S.REVOKED, S.EXPIRED, S.COMPLETED])
def test_a_closed_referral_says_it_is_closed(setting: dict[str, Any], status: str) -> None:
    # given a closed referral
    referral = _referral_in(setting, ReferralKind.SERVICE, status, due_in=timedelta(days=5))

    # when the receiver accepts it and the sender revokes it
    with pytest.raises(Conflict) as accepted:
        actions.referral_accept(actor=setting["actors"]["ngo"], referral=referral)
    with pytest.raises(Conflict) as revoked:
        actions.referral_revoke(actor=setting["actors"]["worker"], referral=referral, note=NOTE)

    # then both are refused as moves of a closed referral, and nothing changed
    label = S(status).label
    assert str(accepted.value) == f"This referral is closed ({label}); it can no longer change."
    assert str(revoked.value) == str(accepted.value)
    assert (_state(referral), _log(referral)) == ((status, START_VERSION), [])
