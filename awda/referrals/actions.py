"""Every write of referrals and plans: one transaction, a log row and an audit row, notifications after commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Institution, Office, User
from awda.accounts.roles import Capability, has_capability
from awda.catalogue.actions import service_release_place, service_take_place
from awda.catalogue.models import Organisation, Service
from awda.core import audit
from awda.core.errors import AwdaError, Conflict, NotFound, PermissionDenied
from awda.core.models import AuditAction
from awda.core.notifications import notify
from awda.referrals import rules, workflows
from awda.referrals.enums import (
    HORIZON_MONTHS,
    ActionStatus,
    DeclineReason,
    Dimension,
    GoalStatus,
    Horizon,
    NotCompletedReason,
    Outcome,
    PlanStatus,
    ProposalStatus,
    ReferralKind,
    ReferralStatus,
)
from awda.referrals.models import (
    PlanAction,
    PlanEvent,
    PlanGoal,
    Referral,
    ReferralTransition,
    ReintegrationPlan,
    ResponseProposal,
    ResponseRule,
    text_in,
)
from awda.referrals.queries import open_referral_exists, suggestions
from awda.registry import actions as registry_actions
from awda.registry.access import can_edit
from awda.registry.consents import ALL_PARTS, shared_parts
from awda.registry.enums import CaseEventKind, ConsentMethod, NeedCategory, SharedField
from awda.registry.models import Returnee

S = ReferralStatus
DEFAULT_PARTS = (SharedField.IDENTITY, SharedField.CONTACT, SharedField.PLACE, SharedField.NEEDS)


def _fields(**errors: Any) -> AwdaError:
    return AwdaError(
        _("Please correct the fields below."),
        code="invalid",
        fields={name: [message] for name, message in errors.items()},
    )


def _require(actor: User, capability: Capability) -> None:
    if not has_capability(actor, capability):
        raise PermissionDenied(_("You are not allowed to do this."))


def _link(referral: Referral) -> str:
    return reverse("referrals:referral", args=[referral.uuid])


# --------------------------------------------------------------------------------------------------
# Who is notified
# --------------------------------------------------------------------------------------------------


def receiving_users(referral: Referral) -> list[User]:
    """The receiving organisation's focal points with an account, else whoever there may answer referrals."""
    focal = [
        fp.user
        for fp in referral.to_organisation.focal_points.select_related("user")
        if fp.user is not None and fp.user.is_active and fp.user.institution_id == referral.to_institution_id
    ]
    if focal:
        return focal
    candidates = User.objects.filter(institution_id=referral.to_institution_id, is_active=True).order_by("pk")
    return [u for u in candidates[:200] if has_capability(u, Capability.RECEIVE_REFERRALS)][:20]


def supervisors_of(institution_id: int, office_id: int | None) -> list[User]:
    users = User.objects.filter(institution_id=institution_id, is_active=True, role="supervisor")
    if office_id is not None and users.filter(office_id=office_id).exists():
        users = users.filter(office_id=office_id)
    return list(users.order_by("pk")[:20])


def _notify_sender(referral: Referral, subject: Any, body: Any, params: dict[str, Any]) -> None:
    if referral.created_by is not None and referral.created_by.is_active:
        notify(
            recipient=referral.created_by,
            kind=f"referral.{referral.status}",
            subject=subject,
            body=body,
            params=params,
            url=_link(referral),
        )


def _name_for_reader(obj: Any) -> Any:
    """A name rendered only when ``notify`` renders the message, so in the recipient's language."""
    return lazy(lambda: obj.name, str)()


def _params(referral: Referral) -> dict[str, Any]:
    return {
        "organisation": _name_for_reader(referral.to_organisation),
        "service": _name_for_reader(referral.service if referral.service else referral.to_institution),
        "case": referral.returnee.case_number,
        "from": _name_for_reader(referral.from_institution),
    }


# --------------------------------------------------------------------------------------------------
# The lifecycle
# --------------------------------------------------------------------------------------------------


def _transition(
    referral: Referral,
    *,
    to: str,
    actor: User | None,
    side: workflows.Side,
    note: str = "",
    expected_version: int | None = None,
    data: dict[str, Any] | None = None,
) -> Referral:
    """Move a locked referral along the table, logging the step; anything else is refused unchanged."""
    _check_move(referral, to=to, side=side, expected_version=expected_version)
    before = referral.status
    now = timezone.now()
    referral.status = to
    referral.version += 1
    referral.save()
    ReferralTransition.objects.create(
        referral=referral, from_status=before, to_status=to, actor=actor, at=now, note=note, data=data or {}
    )
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=referral, fields=["status"])
    registry_actions.case_event(
        referral.returnee,
        actor,
        CaseEventKind.REFERRAL,
        {
            "referral": str(referral.uuid),
            "from": before,
            "to": to,
            "organisation": referral.to_organisation.code,
        },
    )
    return referral


def _check_move(
    referral: Referral, *, to: str, side: workflows.Side, expected_version: int | None = None
) -> None:
    """Refuse, before any other check or write, a move the table does not allow or a stale answer."""
    if expected_version is not None and referral.version != expected_version:
        raise Conflict(
            _("Someone else changed this referral a moment ago. Look at it again before answering."),
            code="stale",
        )
    if not workflows.allowed(referral.kind, referral.status, to, side):
        if referral.status in workflows.FINAL:
            message = _("This referral is closed (%(status)s); it can no longer change.")
        else:
            message = _("This referral is now “%(status)s”: it cannot be moved this way.")
        raise Conflict(message % {"status": referral.get_status_display()}, code="transition_not_allowed")


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related(
            "returnee", "service", "to_organisation", "to_institution", "from_institution", "created_by"
        )
        .get(pk=referral.pk)
    )


def _check_service(returnee: Returnee, service: Service, need_category: str) -> rules.Ranked:
    """The service must be running, open to this person for this need and not full: its rank among the
    suggestions, or a refusal that says which of these it is not."""
    for item in suggestions(returnee, need_category):
        if item.service.pk == service.pk:
            return item.ranked
    if service.category.top.need_category != need_category:
        raise _fields(service=_("This service does not answer this need."))
    if service.organisation.institution_id is None:
        raise _fields(
            service=_("This provider does not receive referrals in Awda. Contact them directly: %(phone)s.")
            % {"phone": service.phone or service.organisation.phone or "—"}
        )
    from awda.catalogue.queries import eligibility_for, person_of
    from awda.registry.categorisation import returnee_facts

    verdict = eligibility_for(person_of(returnee, returnee_facts(returnee))).verdict(str(service.uuid))
    if not verdict.eligible:
        raise _fields(service=_("The person is not eligible for this service."))
    raise _fields(service=_("This service has no places left this month, or is not running now."))


def referral_create(
    *,
    actor: User,
    returnee: Returnee,
    service: Service,
    need_category: str,
    note: str = "",
    shared_fields: Iterable[str] = DEFAULT_PARTS,
    override_reason: str = "",
    priority: str = "",
    urgency: str = "",
) -> Referral:
    """A draft referral of this returnee to this service, for this need. Sending is a separate step."""
    _require(actor, Capability.REFER)
    if not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    if need_category not in NeedCategory.values:
        raise _fields(need_category=_("Choose a need from the list."))
    parts = sorted({str(p) for p in shared_fields})
    if not parts or any(p not in ALL_PARTS for p in parts):
        raise _fields(shared_fields=_("Choose the parts of the record to share, from the list."))
    if open_referral_exists(returnee, service):
        raise Conflict(_("This person already has an open referral to this service."), code="duplicate")
    ranked = _check_service(returnee, service, need_category)
    rank = ranked.rank
    override_reason = override_reason.strip()
    if rank != 1 and not override_reason:
        raise _fields(override_reason=_("This is not the first suggestion: say why you chose it."))
    need = returnee.needs.filter(category=need_category, is_interest=False).first()
    receiver_id = service.organisation.institution_id
    if receiver_id is None:  # _check_service has refused it already; this says so to the type checker
        raise _fields(service=_("This provider does not receive referrals in Awda."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    kind=ReferralKind.SERVICE,
                    returnee=returnee,
                    need_category=need_category,
                    priority=priority or (need.priority if need else "medium"),
                    urgency=urgency or (need.urgency if need else "soon"),
                    service=service,
                    from_institution_id=returnee.institution_id,
                    from_office_id=actor.office_id or returnee.office_id,
                    created_by=actor,
                    to_organisation=service.organisation,
                    to_institution_id=receiver_id,
                    note=note.strip(),
                    shared_fields=parts,
                    suggestion_rank=rank,
                    suggestion_score=ranked.score,
                    override_reason=override_reason if rank != 1 else "",
                )
        except IntegrityError as error:
            raise Conflict(
                _("This person already has an open referral to this service."), code="duplicate"
            ) from error
        ReferralTransition.objects.create(
            referral=referral, from_status="", to_status=S.DRAFT, actor=actor, at=timezone.now()
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=referral)
    return referral


def referral_make(
    *,
    actor: User,
    returnee: Returnee,
    service: Service,
    need_category: str,
    shared_fields: Iterable[str] = DEFAULT_PARTS,
    note: str = "",
    override_reason: str = "",
    consent_method: str = "",
    send: bool = True,
) -> Referral:
    """What the referral page and the API do in one step: record the person's consent to share the chosen
    parts with the provider (when the worker records it now), create the referral and send it. All or nothing."""
    parts = sorted({str(p) for p in shared_fields})
    if consent_method and consent_method not in ConsentMethod.values:
        raise _fields(consent_method=_("Say how the person gave their consent."))
    with transaction.atomic():
        # The referral first: its checks (need, parts, eligibility, places, duplicates) speak of its fields.
        referral = referral_create(
            actor=actor,
            returnee=returnee,
            service=service,
            need_category=need_category,
            note=note,
            shared_fields=parts,
            override_reason=override_reason,
        )
        already = shared_parts(returnee, referral.to_institution)
        if consent_method and not set(parts) <= already:
            # A new decision replaces the earlier one for this institution: it covers what was agreed
            # before as well, so asking for more never narrows an earlier consent.
            registry_actions.consent_record(
                actor=actor,
                returnee=returnee,
                data={
                    "purpose": "sharing_institution",
                    "shared_with": referral.to_institution,
                    "granted": True,
                    "method": consent_method,
                    "whole_record": False,
                    "fields": sorted(set(parts) | already),
                    "note": str(_("Given for a referral to %(service)s.") % {"service": service.name}),
                },
            )
        if send:
            referral = referral_send(actor=actor, referral=referral)
    return referral


def transfer_create(*, actor: User, returnee: Returnee, institution: Institution, note: str = "") -> Referral:
    """A draft transfer of the whole case to another institution, which takes it over when it accepts."""
    _require(actor, Capability.REFER)
    if not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    if institution.pk == returnee.institution_id:
        raise _fields(institution=_("The case is already with this institution."))
    if not institution.is_active:
        raise _fields(institution=_("This institution is not active in Awda."))
    organisation = Organisation.objects.filter(institution=institution).first()
    if organisation is None:
        raise _fields(institution=_("This institution does not receive referrals in Awda."))
    if Referral.objects.filter(
        returnee=returnee, kind=ReferralKind.TRANSFER, status__in=[S.DRAFT, S.SENT]
    ).exists():
        raise Conflict(_("A transfer of this case is already under way."), code="duplicate")
    with transaction.atomic():
        referral = Referral.objects.create(
            kind=ReferralKind.TRANSFER,
            returnee=returnee,
            from_institution_id=returnee.institution_id,
            from_office_id=actor.office_id or returnee.office_id,
            created_by=actor,
            to_organisation=organisation,
            to_institution=institution,
            note=note.strip(),
            shared_fields=sorted(ALL_PARTS),
        )
        ReferralTransition.objects.create(
            referral=referral, from_status="", to_status=S.DRAFT, actor=actor, at=timezone.now()
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=referral)
    return referral


def transfer_make(
    *,
    actor: User,
    returnee: Returnee,
    institution: Institution,
    note: str = "",
    consent_method: str = "",
    send: bool = True,
) -> Referral:
    """The transfer page in one step: the person's consent to hand the whole case over (when recorded now),
    the transfer and its sending. All or nothing."""
    with transaction.atomic():
        if consent_method:
            if consent_method not in ConsentMethod.values:
                raise _fields(consent_method=_("Say how the person gave their consent."))
            registry_actions.consent_record(
                actor=actor,
                returnee=returnee,
                data={
                    "purpose": "sharing_institution",
                    "shared_with": institution,
                    "granted": True,
                    "method": consent_method,
                    "whole_record": True,
                },
            )
        referral = transfer_create(actor=actor, returnee=returnee, institution=institution, note=note)
        if send:
            referral = referral_send(actor=actor, referral=referral)
    return referral


def referral_send(*, actor: User, referral: Referral, expected_version: int | None = None) -> Referral:
    """Send a draft. Without a consent in force that covers the receiver and every part chosen, nothing moves."""
    _require(actor, Capability.REFER)
    if not can_edit(actor, referral.returnee):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        locked = _locked(referral)
        # A referral already sent (or closed) is refused before its consent is even looked at.
        _check_move(locked, to=S.SENT, side="sender", expected_version=expected_version)
        allowed = shared_parts(locked.returnee, locked.to_institution)
        missing = [p for p in locked.shared_fields if p not in allowed]
        if not allowed or missing:
            labels = ", ".join(str(SharedField(p).label) for p in (missing or locked.shared_fields))
            raise AwdaError(
                _(
                    "The person has not agreed to share this with %(organisation)s: %(parts)s. Record their "
                    "consent first."
                )
                % {"organisation": locked.to_organisation.name, "parts": labels},
                code="no_consent",
                fields={
                    "consent": [
                        _(
                            "The person has not agreed to share this with %(organisation)s: %(parts)s. Record "
                            "their consent first."
                        )
                        % {"organisation": locked.to_organisation.name, "parts": labels}
                    ]
                },
            )
        if locked.kind == ReferralKind.SERVICE and locked.service is not None:
            if not locked.service.is_active or not locked.to_organisation.is_active:
                raise AwdaError(_("This service is no longer offered."), code="service_withdrawn")
            _check_service(locked.returnee, locked.service, locked.need_category)
        now = timezone.now()
        locked.sent_at = now
        # Working days are Baghdad's: counted in UTC, a referral sent after midnight loses a day or two.
        locked.answer_due_at = rules.add_working_days(
            timezone.localtime(now), locked.to_organisation.referral_response_days, settings.AWDA_WEEKEND_DAYS
        )
        _transition(locked, to=S.SENT, actor=actor, side="sender", expected_version=expected_version)
        params = _params(locked) | {"due": timezone.localtime(locked.answer_due_at).date().isoformat()}
        for user in receiving_users(locked):
            notify(
                recipient=user,
                kind="referral.sent",
                subject=_("New referral from %(from)s"),
                body=_("%(from)s has referred a person to you for “%(service)s”. Please answer by %(due)s."),
                params=params,
                url=_link(locked),
            )
    return locked


def _require_receiver(actor: User, referral: Referral) -> None:
    if (
        not has_capability(actor, Capability.RECEIVE_REFERRALS)
        or actor.institution_id != referral.to_institution_id
    ):
        raise NotFound(_("Not found."))


def referral_accept(
    *,
    actor: User,
    referral: Referral,
    note: str = "",
    expected_version: int | None = None,
    office: Office | None = None,
) -> Referral:
    _require_receiver(actor, referral)
    with transaction.atomic():
        locked = _locked(referral)
        _check_move(locked, to=S.ACCEPTED, side="receiver", expected_version=expected_version)
        takes_place = (
            locked.kind == ReferralKind.SERVICE and locked.service is not None and locked.status == S.SENT
        )
        if takes_place and locked.service is not None and not service_take_place(service=locked.service):
            raise Conflict(
                _("The service has no places left this month. Decline the referral or free a place first."),
                code="full",
            )
        locked.accepted_at = timezone.now()
        locked.assigned_to = actor
        _transition(
            locked, to=S.ACCEPTED, actor=actor, side="receiver", note=note, expected_version=expected_version
        )
        if locked.kind == ReferralKind.TRANSFER:
            target = office or actor.office
            if target is None or target.institution_id != locked.to_institution_id:
                raise _fields(office=_("Choose an office of your institution to take the case."))
            if not has_capability(actor, Capability.EDIT_RECORDS):
                raise PermissionDenied(_("Only a case worker or a supervisor can take a case over."))
            registry_actions.case_transfer(actor=actor, returnee=locked.returnee, office=target, owner=actor)
            locked.outcome = Outcome.NEED_MET
            locked.closed_at = timezone.now()
            _transition(locked, to=S.COMPLETED, actor=None, side="system", note="")
        _notify_sender(
            locked,
            _("Referral accepted by %(organisation)s"),
            _("%(organisation)s accepted the referral of case %(case)s for “%(service)s”."),
            _params(locked),
        )
    return locked


def referral_decline(
    *, actor: User, referral: Referral, reason: str, note: str = "", expected_version: int | None = None
) -> Referral:
    _require_receiver(actor, referral)
    if reason not in DeclineReason.values:
        raise _fields(reason=_("Choose the reason for declining."))
    if reason == DeclineReason.OTHER and not note.strip():
        raise _fields(note=_("Say why you decline."))
    with transaction.atomic():
        locked = _locked(referral)
        locked.decline_reason = reason
        locked.closed_at = timezone.now()
        _transition(
            locked,
            to=S.DECLINED,
            actor=actor,
            side="receiver",
            note=note.strip(),
            expected_version=expected_version,
            data={"reason": reason},
        )
        _notify_sender(
            locked,
            _("Referral declined by %(organisation)s"),
            _("%(organisation)s declined the referral of case %(case)s for “%(service)s”: %(reason)s."),
            _params(locked) | {"reason": DeclineReason(reason).label},
        )
    return locked


def referral_start(
    *, actor: User, referral: Referral, note: str = "", expected_version: int | None = None
) -> Referral:
    _require_receiver(actor, referral)
    with transaction.atomic():
        locked = _locked(referral)
        _transition(
            locked,
            to=S.IN_PROGRESS,
            actor=actor,
            side="receiver",
            note=note.strip(),
            expected_version=expected_version,
        )
        PlanAction.objects.filter(referral=locked, status=ActionStatus.PLANNED).update(
            status=ActionStatus.IN_PROGRESS, updated_at=timezone.now()
        )
    return locked


def referral_complete(
    *,
    actor: User,
    referral: Referral,
    outcome: str,
    service_delivered: str,
    delivered_on: date | None = None,
    note: str = "",
    follow_up_on: date | None = None,
    expected_version: int | None = None,
) -> Referral:
    """Record the service delivered and its outcome; the plan's action for this referral is done."""
    _require_receiver(actor, referral)
    errors: dict[str, Any] = {}
    if outcome not in Outcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if not service_delivered.strip():
        errors["service_delivered"] = _("Say what was delivered.")
    today = timezone.localdate()
    if delivered_on is not None and delivered_on > today:
        errors["delivered_on"] = _("The date cannot be in the future.")
    if follow_up_on is not None and follow_up_on < today:
        errors["follow_up_on"] = _("A follow-up date must be today or later.")
    if errors:
        raise _fields(**errors)
    with transaction.atomic():
        locked = _locked(referral)
        locked.outcome = outcome
        locked.service_delivered = service_delivered.strip()
        locked.delivered_on = delivered_on or today
        locked.follow_up_on = follow_up_on
        locked.closed_at = timezone.now()
        _transition(
            locked,
            to=S.COMPLETED,
            actor=actor,
            side="receiver",
            note=note.strip(),
            expected_version=expected_version,
            data={"outcome": outcome},
        )
        PlanAction.objects.filter(referral=locked).exclude(status=ActionStatus.CANCELLED).update(
            status=ActionStatus.DONE, done_on=locked.delivered_on, updated_at=timezone.now()
        )
        _notify_sender(
            locked,
            _("Service delivered: case %(case)s"),
            _(
                "%(organisation)s recorded the service “%(service)s” for case %(case)s as delivered: %(outcome)s."
            ),
            _params(locked) | {"outcome": Outcome(outcome).label},
        )
    return locked


def referral_not_complete(
    *, actor: User, referral: Referral, reason: str, note: str = "", expected_version: int | None = None
) -> Referral:
    _require_receiver(actor, referral)
    if reason not in NotCompletedReason.values:
        raise _fields(reason=_("Choose why the service was not completed."))
    if reason == NotCompletedReason.OTHER and not note.strip():
        raise _fields(note=_("Say why the service was not completed."))
    with transaction.atomic():
        locked = _locked(referral)
        locked.not_completed_reason = reason
        locked.closed_at = timezone.now()
        _transition(
            locked,
            to=S.NOT_COMPLETED,
            actor=actor,
            side="receiver",
            note=note.strip(),
            expected_version=expected_version,
            data={"reason": reason},
        )
        PlanAction.objects.filter(referral=locked, status=ActionStatus.IN_PROGRESS).update(
            status=ActionStatus.PLANNED, updated_at=timezone.now()
        )
        _notify_sender(
            locked,
            _("Service not completed: case %(case)s"),
            _("%(organisation)s could not complete “%(service)s” for case %(case)s: %(reason)s."),
            _params(locked) | {"reason": NotCompletedReason(reason).label},
        )
    return locked


def referral_revoke(
    *, actor: User, referral: Referral, note: str, expected_version: int | None = None
) -> Referral:
    _require(actor, Capability.REFER)
    if not can_edit(actor, referral.returnee):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        locked = _locked(referral)
        _check_move(locked, to=S.REVOKED, side="sender", expected_version=expected_version)
        if not note.strip():
            raise _fields(note=_("Say why the referral is revoked."))
        was = locked.status
        locked.closed_at = timezone.now()
        _transition(
            locked,
            to=S.REVOKED,
            actor=actor,
            side="sender",
            note=note.strip(),
            expected_version=expected_version,
        )
        if was == S.ACCEPTED and locked.service is not None and locked.accepted_at is not None:
            service_release_place(
                service=locked.service, taken_on=timezone.localtime(locked.accepted_at).date()
            )
        if was in (S.SENT, S.ACCEPTED):
            for user in receiving_users(locked):
                notify(
                    recipient=user,
                    kind="referral.revoked",
                    subject=_("Referral revoked by %(from)s"),
                    body=_("%(from)s revoked the referral of case %(case)s for “%(service)s”."),
                    params=_params(locked),
                    url=_link(locked),
                )
    return locked


def referral_set_follow_up(
    *, actor: User, referral: Referral, on: date | None, note: str = "", expected_version: int | None = None
) -> Referral:
    """The receiver's own reminder: when to check on the person again."""
    _require_receiver(actor, referral)
    if on is not None and on < timezone.localdate():
        raise _fields(follow_up_on=_("A follow-up date must be today or later."))
    with transaction.atomic():
        locked = _locked(referral)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict(
                _("Someone else changed this referral a moment ago. Look at it again before answering."),
                code="stale",
            )
        if locked.status in (S.DRAFT, S.SENT) or locked.status in (S.DECLINED, S.REVOKED, S.EXPIRED):
            raise Conflict(
                _("Only a referral you accepted can have a follow-up."), code="transition_not_allowed"
            )
        locked.follow_up_on = on
        locked.follow_up_note = note.strip()[:255]
        locked.version += 1
        locked.save(update_fields=["follow_up_on", "follow_up_note", "version", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=locked, fields=["follow_up_on"])
    return locked


def referrals_expire(*, now: Any = None) -> int:
    """Expire every referral still unanswered after its deadline; tell the sender and their supervisors."""
    now = now or timezone.now()
    expired = 0
    due = Referral.objects.filter(status=S.SENT, answer_due_at__lt=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            locked = _locked(Referral(pk=pk))
            if locked.status != S.SENT or locked.answer_due_at is None or locked.answer_due_at >= now:
                continue
            locked.closed_at = now
            _transition(locked, to=S.EXPIRED, actor=None, side="system")
            params = _params(locked)
            recipients = {u.pk: u for u in supervisors_of(locked.from_institution_id, locked.from_office_id)}
            if locked.created_by is not None and locked.created_by.is_active:
                recipients[locked.created_by.pk] = locked.created_by
            for user in recipients.values():
                notify(
                    recipient=user,
                    kind="referral.expired",
                    subject=_("Referral not answered: case %(case)s"),
                    body=_(
                        "%(organisation)s did not answer the referral of case %(case)s for “%(service)s” in "
                        "time. It has expired; refer the person elsewhere or ask the provider."
                    ),
                    params=params,
                    url=_link(locked),
                )
            expired += 1
    return expired


def referrals_notify_overdue(*, now: Any = None) -> int:
    """Tell the receiving supervisors, once, of accepted referrals not closed within the completion time."""
    now = now or timezone.now()
    late = Referral.objects.filter(
        status__in=[S.ACCEPTED, S.IN_PROGRESS],
        accepted_at__lt=now - timedelta(days=settings.AWDA_REFERRAL_COMPLETION_DAYS),
        overdue_notified_at__isnull=True,
    ).select_related(
        "to_organisation", "service", "returnee", "from_institution", "to_institution", "assigned_to"
    )
    count = 0
    for referral in late:
        with transaction.atomic():
            office_id = referral.assigned_to.office_id if referral.assigned_to else None
            for user in supervisors_of(referral.to_institution_id, office_id):
                notify(
                    recipient=user,
                    kind="referral.overdue",
                    subject=_("Referral overdue: case %(case)s"),
                    body=_(
                        "The referral of case %(case)s for “%(service)s” was accepted %(days)s days ago and "
                        "is still open."
                    ),
                    params=_params(referral) | {"days": settings.AWDA_REFERRAL_COMPLETION_DAYS},
                    url=_link(referral),
                )
            Referral.objects.filter(pk=referral.pk).update(overdue_notified_at=now)
            count += 1
    return count


# --------------------------------------------------------------------------------------------------
# Plans
# --------------------------------------------------------------------------------------------------


def _plan_event(plan: ReintegrationPlan, kind: str, actor: User | None, note: str = "") -> None:
    PlanEvent.objects.create(plan=plan, kind=kind, actor=actor, at=timezone.now(), note=note)
    audit.record(actor=actor, action=AuditAction.UPDATE, obj=plan, fields=[kind])
    registry_actions.case_event(
        plan.returnee, actor, CaseEventKind.PLAN, {"plan": str(plan.uuid), "event": kind}
    )


def _require_plan_editor(actor: User, plan: ReintegrationPlan) -> None:
    _require(actor, Capability.REFER)
    if not can_edit(actor, plan.returnee):
        raise NotFound(_("Not found."))
    if plan.status == PlanStatus.CLOSED:
        raise Conflict(_("This plan is closed."), code="closed")


def _reopen(plan: ReintegrationPlan, actor: User) -> None:
    """A change to a submitted or approved plan sends it back to draft: it needs approval and agreement again."""
    if plan.status in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
        plan.status = PlanStatus.DRAFT
        plan.approved_by = None
        plan.approved_at = None
        plan.agreed_at = None
        plan.agreement_method = ""
        plan.agreement_recorded_by = None
        _plan_event(plan, "reopened", actor, "")
    plan.version += 1
    plan.save()


def plan_create(
    *, actor: User, returnee: Returnee, for_household: bool = False, starts_on: date | None = None
) -> ReintegrationPlan:
    _require(actor, Capability.REFER)
    if not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    if for_household and returnee.household_id is None:
        raise _fields(for_household=_("This person has no household recorded."))
    with transaction.atomic():
        locked = Returnee.objects.select_for_update().get(pk=returnee.pk)
        if ReintegrationPlan.objects.filter(returnee=locked).exclude(status=PlanStatus.CLOSED).exists():
            raise Conflict(_("This person already has a plan. Change it instead."), code="duplicate")
        start = starts_on or timezone.localdate()
        plan = ReintegrationPlan.objects.create(
            returnee=locked,
            household_id=locked.household_id if for_household else None,
            starts_on=start,
            next_review_on=rules.add_months(start, 3),
            created_by=actor,
        )
        audit.record(actor=actor, action=AuditAction.CREATE, obj=plan)
        _plan_event(plan, "created", actor)
    return plan


def _valid_goal(dimension: str, horizon: str, text: str, need_category: str) -> None:
    errors: dict[str, Any] = {}
    if dimension not in Dimension.values:
        errors["dimension"] = _("Choose a dimension.")
    if horizon not in Horizon.values:
        errors["horizon"] = _("Choose a horizon: 6 months, 2 years or 5 years.")
    if not text.strip():
        errors["text"] = _("Write the goal.")
    elif len(text.strip()) > 300:
        errors["text"] = _("Keep the goal under 300 characters.")
    if need_category and need_category not in NeedCategory.values:
        errors["need_category"] = _("Choose a need from the list.")
    if errors:
        raise _fields(**errors)


def plan_goal_add(
    *,
    actor: User,
    plan: ReintegrationPlan,
    dimension: str,
    horizon: str,
    text: str,
    need_category: str = "",
    texts: Mapping[str, str] | None = None,
) -> PlanGoal:
    _require_plan_editor(actor, plan)
    _valid_goal(dimension, horizon, text, need_category)
    with transaction.atomic():
        locked = ReintegrationPlan.objects.select_for_update().get(pk=plan.pk)
        goal = PlanGoal.objects.create(
            plan=locked,
            dimension=dimension,
            horizon=horizon,
            need_category=need_category,
            text=text.strip(),
            texts={
                k: str(v).strip()[:300] for k, v in (texts or {}).items() if k in ("ar", "ckb", "en") and v
            },
            target_on=rules.add_months(locked.starts_on, HORIZON_MONTHS[Horizon(horizon)]),
            order=(locked.goals.aggregate(last=Max("order"))["last"] or 0) + 1,
        )
        _reopen(locked, actor)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=goal)
    return goal


def plan_goal_set_status(*, actor: User, goal: PlanGoal, status: str) -> PlanGoal:
    """Progress on a goal is a fact about the person, not a change of plan: no new approval needed."""
    _require_plan_editor(actor, goal.plan)
    if status not in GoalStatus.values:
        raise _fields(status=_("Choose a status from the list."))
    with transaction.atomic():
        goal.status = status
        goal.save(update_fields=["status", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=goal, fields=["status"])
    return goal


def plan_goal_remove(*, actor: User, goal: PlanGoal) -> None:
    _require_plan_editor(actor, goal.plan)
    with transaction.atomic():
        plan = ReintegrationPlan.objects.select_for_update().get(pk=goal.plan_id)
        audit.record(actor=actor, action=AuditAction.DELETE, obj=goal)
        goal.delete()
        _reopen(plan, actor)


def plan_action_add(
    *, actor: User, goal: PlanGoal, text: str, due_on: date | None = None, referral: Referral | None = None
) -> PlanAction:
    _require_plan_editor(actor, goal.plan)
    if not text.strip():
        raise _fields(text=_("Write the action."))
    if referral is not None and referral.returnee_id != goal.plan.returnee_id:
        raise _fields(referral=_("The referral must be of this person."))
    if referral is not None and PlanAction.objects.filter(referral=referral).exists():
        raise _fields(referral=_("This referral is already an action of the plan."))
    with transaction.atomic():
        plan = ReintegrationPlan.objects.select_for_update().get(pk=goal.plan_id)
        status = ActionStatus.PLANNED
        done_on = None
        if referral is not None and referral.status == S.COMPLETED:
            status, done_on = ActionStatus.DONE, referral.delivered_on
        elif referral is not None and referral.status == S.IN_PROGRESS:
            status = ActionStatus.IN_PROGRESS
        action = PlanAction.objects.create(
            goal=goal,
            text=text.strip()[:300],
            due_on=due_on,
            referral=referral,
            status=status,
            done_on=done_on,
        )
        _reopen(plan, actor)
        audit.record(actor=actor, action=AuditAction.CREATE, obj=action)
    return action


def plan_action_set_status(*, actor: User, action: PlanAction, status: str) -> PlanAction:
    """An action without a referral is ticked off by hand; one with a referral follows the referral."""
    _require_plan_editor(actor, action.goal.plan)
    if status not in ActionStatus.values:
        raise _fields(status=_("Choose a status from the list."))
    if action.referral_id is not None and status in (ActionStatus.DONE, ActionStatus.IN_PROGRESS):
        raise _fields(
            status=_("This action follows its referral: it is done when the provider records the service.")
        )
    with transaction.atomic():
        action.status = status
        action.done_on = timezone.localdate() if status == ActionStatus.DONE else None
        action.save(update_fields=["status", "done_on", "updated_at"])
        audit.record(actor=actor, action=AuditAction.UPDATE, obj=action, fields=["status"])
    return action


def plan_submit(*, actor: User, plan: ReintegrationPlan) -> ReintegrationPlan:
    _require_plan_editor(actor, plan)
    with transaction.atomic():
        locked = ReintegrationPlan.objects.select_for_update().select_related("returnee").get(pk=plan.pk)
        if locked.status != PlanStatus.DRAFT:
            raise Conflict(_("Only a draft plan can be submitted."), code="transition_not_allowed")
        dimensions = set(locked.goals.values_list("dimension", flat=True))
        if not dimensions:
            raise _fields(goals=_("Add at least one goal before submitting the plan."))
        locked.status = PlanStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.version += 1
        locked.save()
        _plan_event(locked, "submitted", actor)
        for user in supervisors_of(locked.returnee.institution_id, locked.returnee.office_id):
            if user.pk != actor.pk:
                notify(
                    recipient=user,
                    kind="plan.submitted",
                    subject=_("A reintegration plan waits for your approval"),
                    body=_("The plan of case %(case)s was submitted for approval."),
                    params={"case": locked.returnee.case_number},
                    url=reverse("referrals:plan", args=[locked.uuid]),
                )
    return locked


def _require_approver(actor: User, plan: ReintegrationPlan) -> None:
    _require(actor, Capability.APPROVE_PLANS)
    if not can_edit(actor, plan.returnee):
        raise NotFound(_("Not found."))


def plan_approve(*, actor: User, plan: ReintegrationPlan, note: str = "") -> ReintegrationPlan:
    """A supervisor approves a submitted plan; four eyes: not the plan's own author."""
    _require_approver(actor, plan)
    with transaction.atomic():
        locked = ReintegrationPlan.objects.select_for_update().select_related("returnee").get(pk=plan.pk)
        if locked.status != PlanStatus.SUBMITTED:
            raise Conflict(_("Only a submitted plan can be approved."), code="transition_not_allowed")
        submitter = (
            locked.events.filter(kind="submitted")
            .order_by("-at", "-id")
            .values_list("actor_id", flat=True)
            .first()
        )
        if actor.pk in (locked.created_by_id, submitter):
            raise PermissionDenied(_("Another supervisor must approve a plan you wrote or submitted."))
        locked.status = PlanStatus.APPROVED
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.version += 1
        locked.save()
        _plan_event(locked, "approved", actor, note.strip())
        if locked.created_by is not None and locked.created_by.is_active:
            notify(
                recipient=locked.created_by,
                kind="plan.approved",
                subject=_("Plan approved: case %(case)s"),
                body=_("The reintegration plan of case %(case)s was approved."),
                params={"case": locked.returnee.case_number},
                url=reverse("referrals:plan", args=[locked.uuid]),
            )
    return locked


def plan_return(*, actor: User, plan: ReintegrationPlan, note: str) -> ReintegrationPlan:
    """The supervisor sends a submitted plan back to its author with what to change."""
    _require_approver(actor, plan)
    if not note.strip():
        raise _fields(note=_("Say what should change."))
    with transaction.atomic():
        locked = ReintegrationPlan.objects.select_for_update().select_related("returnee").get(pk=plan.pk)
        if locked.status != PlanStatus.SUBMITTED:
            raise Conflict(_("Only a submitted plan can be returned."), code="transition_not_allowed")
        locked.status = PlanStatus.DRAFT
        locked.version += 1
        locked.save()
        _plan_event(locked, "returned", actor, note.strip())
        if locked.created_by is not None and locked.created_by.is_active:
            notify(
                recipient=locked.created_by,
                kind="plan.returned",
                subject=_("Plan returned: case %(case)s"),
                body=_("The reintegration plan of case %(case)s was returned: %(note)s"),
                params={"case": locked.returnee.case_number, "note": note.strip()},
                url=reverse("referrals:plan", args=[locked.uuid]),
            )
    return locked


def plan_record_agreement(*, actor: User, plan: ReintegrationPlan, method: str) -> ReintegrationPlan:
    """The returnee agreed to the plan as it stands (submitted or approved)."""
    _require(actor, Capability.REFER)
    if not can_edit(actor, plan.returnee):
        raise NotFound(_("Not found."))
    if method not in ConsentMethod.values:
        raise _fields(method=_("Say how the person agreed."))
    with transaction.atomic():
        locked = ReintegrationPlan.objects.select_for_update().select_related("returnee").get(pk=plan.pk)
        if locked.status not in (PlanStatus.SUBMITTED, PlanStatus.APPROVED):
            raise Conflict(
                _("Submit the plan before recording the person's agreement."), code="transition_not_allowed"
            )
        locked.agreed_at = timezone.now()
        locked.agreement_method = method
        locked.agreement_recorded_by = actor
        locked.save()
        _plan_event(locked, "agreed", actor, str(ConsentMethod(method).label))
    return locked


def plan_review(
    *, actor: User, plan: ReintegrationPlan, note: str, next_review_on: date | None
) -> ReintegrationPlan:
    _require_plan_editor(actor, plan)
    if not note.strip():
        raise _fields(note=_("Write what the review found."))
    if next_review_on is not None and next_review_on <= timezone.localdate():
        raise _fields(next_review_on=_("The next review must be after today."))
    with transaction.atomic():
        locked = ReintegrationPlan.objects.select_for_update().select_related("returnee").get(pk=plan.pk)
        locked.next_review_on = next_review_on
        locked.save(update_fields=["next_review_on", "updated_at"])
        _plan_event(locked, "reviewed", actor, note.strip())
    return locked


def plan_close(*, actor: User, plan: ReintegrationPlan, note: str) -> ReintegrationPlan:
    _require_plan_editor(actor, plan)
    if not note.strip():
        raise _fields(note=_("Say why the plan is closed."))
    with transaction.atomic():
        locked = ReintegrationPlan.objects.select_for_update().select_related("returnee").get(pk=plan.pk)
        locked.status = PlanStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.version += 1
        locked.save()
        _plan_event(locked, "closed", actor, note.strip())
    return locked


# --------------------------------------------------------------------------------------------------
# Case-response rules: proposals confirmed or dismissed by the worker
# --------------------------------------------------------------------------------------------------


def proposal_confirm(*, actor: User, returnee: Returnee, rule: ResponseRule) -> dict[str, Any]:
    """Apply a rule's proposal: the needs on the case, the goals in the plan (a draft plan if none), and a
    draft referral to the first suggested service for each need it refers. Nothing is sent."""
    _require(actor, Capability.REFER)
    if not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        if ResponseProposal.objects.filter(returnee=returnee, rule=rule, rule_version=rule.version).exists():
            raise Conflict(_("This proposal was already answered."), code="duplicate")
        needs = {n.category: n for n in returnee.needs.all() if not n.is_interest}
        wanted = [
            {
                "category": n.category,
                "priority": n.priority,
                "urgency": n.urgency,
                "description": n.description,
                "is_interest": n.is_interest,
            }
            for n in returnee.needs.all()
        ]
        for item in rule.proposes:
            if item["need"] not in needs:
                wanted.append(
                    {
                        "category": item["need"],
                        "priority": item.get("priority", "high"),
                        "urgency": item.get("urgency", "soon"),
                        "description": "",
                        "is_interest": False,
                    }
                )
                needs[item["need"]] = None  # type: ignore[assignment]
        registry_actions.needs_assess(actor=actor, returnee=returnee, needs=wanted)
        plan = ReintegrationPlan.objects.filter(returnee=returnee).exclude(status=PlanStatus.CLOSED).first()
        if plan is None:
            plan = plan_create(actor=actor, returnee=returnee)
        goals, referrals = [], []
        for item in rule.proposes:
            goal = plan_goal_add(
                actor=actor,
                plan=plan,
                dimension=item["dimension"],
                horizon=item["horizon"],
                text=text_in(item, "goal"),
                need_category=item["need"],
                texts={code: item.get(f"goal_{code}", "") for code in ("ar", "ckb", "en")},
            )
            goals.append(goal)
            if not item.get("refer"):
                continue
            options = suggestions(returnee, item["need"])
            choice = next((o for o in options if not open_referral_exists(returnee, o.service)), None)
            if choice is None or choice.ranked.rank != 1:
                continue  # nothing to propose, or the best is taken: the worker chooses on the referral page
            referral = referral_create(
                actor=actor, returnee=returnee, service=choice.service, need_category=item["need"]
            )
            plan_action_add(actor=actor, goal=goal, text=choice.service.name, referral=referral)
            referrals.append(referral)
        ResponseProposal.objects.create(
            returnee=returnee,
            rule=rule,
            rule_version=rule.version,
            status=ProposalStatus.CONFIRMED,
            decided_by=actor,
        )
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=returnee, fields=[f"response_rule:{rule.code}"]
        )
    return {"plan": plan, "goals": goals, "referrals": referrals}


def proposal_dismiss(
    *, actor: User, returnee: Returnee, rule: ResponseRule, note: str = ""
) -> ResponseProposal:
    _require(actor, Capability.REFER)
    if not can_edit(actor, returnee):
        raise NotFound(_("Not found."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                decision = ResponseProposal.objects.create(
                    returnee=returnee,
                    rule=rule,
                    rule_version=rule.version,
                    status=ProposalStatus.DISMISSED,
                    decided_by=actor,
                    note=note.strip()[:255],
                )
        except IntegrityError as error:
            raise Conflict(_("This proposal was already answered."), code="duplicate") from error
        audit.record(
            actor=actor, action=AuditAction.UPDATE, obj=returnee, fields=[f"response_rule:{rule.code}"]
        )
    return decision


def response_rules_load(rules_data: Sequence[Mapping[str, Any]]) -> list[ResponseRule]:
    """Load case-response rules from data (all or nothing); a changed rule gets a new version."""
    problems: list[str] = []
    for i, data in enumerate(rules_data):
        for problem in rules.validate_rule(
            data.get("condition"), data.get("proposes"), need_categories=NeedCategory.values
        ):
            problems.append(f"rules[{i}] ({data.get('code', '?')}): {problem}")
        for language in ("ar", "ckb", "en"):
            if not str(data.get(f"name_{language}", "")).strip():
                problems.append(f"rules[{i}]: name_{language} is required")
    if problems:
        raise AwdaError("; ".join(problems), code="invalid")
    out = []
    with transaction.atomic():
        for order, data in enumerate(rules_data):
            rule = ResponseRule.objects.filter(code=data["code"]).first()
            values = {
                "name_ar": data["name_ar"],
                "name_ckb": data["name_ckb"],
                "name_en": data["name_en"],
                "condition": data["condition"],
                "proposes": data["proposes"],
                "order": order,
                "is_active": bool(data.get("is_active", True)),
            }
            if rule is None:
                rule = ResponseRule.objects.create(code=data["code"], **values)
            else:
                changed = rule.condition != values["condition"] or rule.proposes != values["proposes"]
                for key, value in values.items():
                    setattr(rule, key, value)
                if changed:
                    rule.version += 1
                rule.save()
            out.append(rule)
    return out
