"""Who may do what with a referral or a plan: every role against every operation, refused calls leaving
nothing behind, and every look at a referral through its door written to the audit log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from awda.accounts.enums import Role
from awda.accounts.models import User
from awda.catalogue.models import Service
from awda.core.errors import AwdaError, NotFound, PermissionDenied
from awda.core.models import AuditEntry, Notification
from awda.referrals import actions
from awda.referrals.access import access_referral_by_id
from awda.referrals.enums import PlanStatus, ReferralStatus
from awda.referrals.models import PlanEvent, PlanGoal, Referral, ReferralTransition, ReintegrationPlan
from awda.registry import actions as registry_actions
from awda.registry.models import CaseEvent, Returnee

pytestmark = pytest.mark.django_db

S = ReferralStatus

# ok: allowed. 404: NotFound, as for a referral or case that does not exist (out of reach looks absent).
# 403: PermissionDenied, the role may never do this. The case is MoMD Baghdad's; the NGO receives.
MATRIX_TABLE = """
                    create send revoke accept decline complete access plan_create plan_submit plan_approve
worker_same_office    ok    ok    ok    404    404     404      ok       ok          ok          403
worker_other_area    404   404   404    404    404     404     404      404         404          403
supervisor            ok    ok    ok    404    404     404      ok       ok          ok           ok
supervisor_other_area 404  404   404    404    404     404     404      404         404          404
provider_receiving   403   403   403     ok     ok      ok      ok      403         403          403
provider_elsewhere   403   403   403    404    404     404     404      403         403          403
analyst              403   403   403    404    404     404     404      403         403          403
employer             403   403   403    404    404     404     404      403         403          403
administrator        403   403   403    404    404     404     404      403         403          403
returnee             403   403   403    404    404     404     404      403         403          403
"""


def _matrix() -> dict[tuple[str, str], str]:
    header, *rows = [line.split() for line in MATRIX_TABLE.strip().splitlines()]
    return {(role, op): cell for role, *cells in rows for op, cell in zip(header, cells, strict=True)}


MATRIX = _matrix()
ROLES = sorted({role for role, _op in MATRIX})
OPERATIONS = list(dict.fromkeys(op for _role, op in MATRIX))


@pytest.fixture
def env(
    world: dict[str, Any],
    ngo: dict[str, Any],
    actors: dict[str, User],
    services: dict[str, Service],
    case: Returnee,
    make_user: Callable[..., User],
) -> dict[str, Any]:
    """Zainab's case, with her consent to share the usual parts with the NGO; one user per role."""
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
    users = {
        "worker_same_office": actors["worker"],
        "worker_other_area": actors["other_worker"],
        "supervisor": actors["supervisor"],
        "supervisor_other_area": make_user(Role.SUPERVISOR, "momd_erbil", "auth.supervisor.erbil"),
        "provider_receiving": actors["ngo"],
        "provider_elsewhere": make_user(Role.SERVICE_PROVIDER, "molsa_baghdad", "auth.molsa.provider"),
        "analyst": actors["analyst"],
        "employer": actors["employer"],
        "administrator": actors["admin"],
        "returnee": make_user(Role.RETURNEE, "", "auth.returnee"),
    }
    return {
        "world": world,
        "ngo": ngo,
        "actors": actors,
        "service": services["ngo_docs"],
        "case": case,
        "users": users,
    }


def _referral_in(env: dict[str, Any], status: str) -> Referral:
    """A referral of Zainab to the NGO made straight in ``status``, as if it had walked there."""
    service: Service = env["service"]
    referral = Referral.objects.create(
        returnee=env["case"],
        need_category="documentation",
        service=service,
        from_institution=env["world"]["momd"],
        from_office=env["world"]["momd_baghdad"],
        created_by=env["actors"]["worker"],
        to_organisation=service.organisation,
        to_institution=env["ngo"]["institution"],
        shared_fields=sorted(actions.DEFAULT_PARTS),
    )
    now = timezone.now()
    Referral.objects.filter(pk=referral.pk).update(
        status=status,
        sent_at=None if status == S.DRAFT else now,
        answer_due_at=None if status == S.DRAFT else now + timedelta(days=7),
        accepted_at=now if status == S.ACCEPTED else None,
    )
    return Referral.objects.get(pk=referral.pk)


def _plan(env: dict[str, Any], *, submitted: bool) -> ReintegrationPlan:
    worker = env["actors"]["worker"]
    plan = actions.plan_create(actor=worker, returnee=env["case"])
    actions.plan_goal_add(
        actor=worker, plan=plan, dimension="social", horizon="6m", text="Get a national card"
    )
    if submitted:
        plan = actions.plan_submit(actor=worker, plan=plan)
    return ReintegrationPlan.objects.get(pk=plan.pk)


Prepared = tuple[Any, Callable[[User], Any]]


def _prepare(op: str, env: dict[str, Any]) -> Prepared:
    """The object the operation works on, in the state it needs, and the call."""
    case = env["case"]
    if op == "create":
        return None, lambda u: actions.referral_create(
            actor=u, returnee=case, service=env["service"], need_category="documentation"
        )
    if op == "send":
        r = _referral_in(env, S.DRAFT)
        return r, lambda u: actions.referral_send(actor=u, referral=r)
    if op == "revoke":
        r = _referral_in(env, S.SENT)
        return r, lambda u: actions.referral_revoke(actor=u, referral=r, note="Wrong provider")
    if op == "accept":
        r = _referral_in(env, S.SENT)
        return r, lambda u: actions.referral_accept(actor=u, referral=r)
    if op == "decline":
        r = _referral_in(env, S.SENT)
        return r, lambda u: actions.referral_decline(actor=u, referral=r, reason="outside_area")
    if op == "complete":
        r = _referral_in(env, S.ACCEPTED)
        return r, lambda u: actions.referral_complete(
            actor=u, referral=r, outcome="need_met", service_delivered="National card issued"
        )
    if op == "access":
        r = _referral_in(env, S.SENT)
        return r, lambda u: access_referral_by_id(u, r.uuid)
    if op == "plan_create":
        return None, lambda u: actions.plan_create(actor=u, returnee=case)
    if op == "plan_submit":
        p = _plan(env, submitted=False)
        return p, lambda u: actions.plan_submit(actor=u, plan=p)
    if op == "plan_approve":
        p = _plan(env, submitted=True)
        return p, lambda u: actions.plan_approve(actor=u, plan=p)
    raise AssertionError(op)


WHAT_CHANGES = (
    Referral,
    ReferralTransition,
    ReintegrationPlan,
    PlanGoal,
    PlanEvent,
    CaseEvent,
    Notification,
    AuditEntry,
)


def _snapshot(target: Any) -> tuple[Any, ...]:
    counts = tuple(model.objects.count() for model in WHAT_CHANGES)
    if target is None:
        return counts, None
    fresh = type(target).objects.get(pk=target.pk)
    return counts, (fresh.status, fresh.version, fresh.updated_at)


# What each allowed operation leaves: the target's new status (or the new row's).
ALLOWED_STATUS = {
    "create": S.DRAFT,
    "send": S.SENT,
    "revoke": S.REVOKED,
    "accept": S.ACCEPTED,
    "decline": S.DECLINED,
    "complete": S.COMPLETED,
    "access": S.SENT,
    "plan_create": PlanStatus.DRAFT,
    "plan_submit": PlanStatus.SUBMITTED,
    "plan_approve": PlanStatus.APPROVED,
}


def _cell(op: str, role: str, env: dict[str, Any]) -> str:
    """Carry out one operation as one role; check what it left; say how it went ("ok", "404", "403")."""
    # given a user of this role and the object of the operation, in the state it needs
    user = env["users"][role]
    target, call = _prepare(op, env)
    before = _snapshot(target)

    # when the user tries it
    try:
        result = call(user)
    except AwdaError as refused:
        # then a refusal is NotFound or PermissionDenied, and nothing changed
        assert type(refused) in (NotFound, PermissionDenied), (op, role, refused)
        assert _snapshot(target) == before, (op, role)
        return "404" if isinstance(refused, NotFound) else "403"

    # then an allowed operation is done
    if op == "access":
        expected_sides = {"receiver"} if role == "provider_receiving" else {"sender"}
        assert (result.referral.pk, result.sides) == (target.pk, expected_sides)
        reads = AuditEntry.objects.filter(action="read", object_id=str(target.uuid))
        assert list(reads.values_list("actor_id", flat=True)) == [user.pk]
        result = result.referral
    assert result.status == ALLOWED_STATUS[op], (op, role)
    if target is not None:
        assert type(target).objects.get(pk=target.pk).status == ALLOWED_STATUS[op], (op, role)
    return "ok"


@pytest.mark.parametrize("role", ROLES)
def test_the_authorisation_matrix(env: dict[str, Any], role: str) -> None:
    outcomes = {}
    for op in OPERATIONS:
        # each operation starts from the same world: what it did is rolled back before the next
        with transaction.atomic():
            outcomes[op] = _cell(op, role, env)
            transaction.set_rollback(True)
    assert outcomes == {op: MATRIX[(role, op)] for op in OPERATIONS}


@pytest.mark.parametrize("role", ["worker_same_office", "supervisor", "provider_receiving"])
def test_every_access_to_a_referral_is_audited(env: dict[str, Any], role: str) -> None:
    # given a sent referral
    user = env["users"][role]
    referral = _referral_in(env, S.SENT)

    # when a user who may see it opens it twice
    access_referral_by_id(user, referral.uuid)
    access_referral_by_id(user, str(referral.uuid))

    # then each opening is one "read" in the audit log, naming the referral and the user
    reads = AuditEntry.objects.filter(action="read", object_id=str(referral.uuid)).order_by("seq")
    assert [(e.object_type, e.actor_id, e.actor_username) for e in reads] == [
        ("referrals.referral", user.pk, user.username)
    ] * 2


def test_out_of_reach_and_absent_look_the_same_and_leave_no_trace(env: dict[str, Any]) -> None:
    # given a draft, which the receiver does not see until it is sent
    draft = _referral_in(env, S.DRAFT)
    audit = AuditEntry.objects.count()

    # when the NGO opens it, and anyone opens a referral that does not exist or a malformed id
    errors = []
    for viewer, key in (
        (env["users"]["provider_receiving"], draft.uuid),
        (env["users"]["worker_same_office"], "6f1c2a3e-0000-4000-8000-000000000000"),
        (env["users"]["worker_same_office"], "not-a-uuid"),
    ):
        with pytest.raises(NotFound) as refused:
            access_referral_by_id(viewer, key)
        errors.append(str(refused.value))

    # then all three are the same "not found", and nothing is written
    assert errors == ["Not found."] * 3
    assert AuditEntry.objects.count() == audit


def test_the_author_supervisor_may_not_approve_but_another_may(env: dict[str, Any]) -> None:
    # given a plan written and submitted by a supervisor
    supervisor, other = env["actors"]["supervisor"], env["actors"]["second_supervisor"]
    plan = actions.plan_create(actor=supervisor, returnee=env["case"])
    actions.plan_goal_add(
        actor=supervisor, plan=plan, dimension="economic", horizon="2y", text="A steady job"
    )
    plan = actions.plan_submit(actor=supervisor, plan=plan)
    before = _snapshot(plan)

    # when the same supervisor approves it, it is refused and nothing changes
    with pytest.raises(PermissionDenied):
        actions.plan_approve(actor=supervisor, plan=plan)
    assert _snapshot(plan) == before

    # and another supervisor of the office may
    approved = actions.plan_approve(actor=other, plan=plan)
    assert (approved.status, approved.approved_by) == (PlanStatus.APPROVED, other)
