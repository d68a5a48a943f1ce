"""The receiver's inbox, the sender's list, one referral with its steps, and referral statistics."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.accounts.models import Office
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.errors import AwdaError, NotFound
from awda.core.models import AuditAction
from awda.referrals import actions, queries, workflows
from awda.referrals.access import ReferralAccess, access_referral_by_id
from awda.referrals.enums import ReferralStatus
from awda.referrals.forms import (
    CompleteForm,
    DeclineForm,
    FollowUpForm,
    NotCompleteForm,
    RevokeForm,
    StepForm,
)
from awda.referrals.sharing import ltr_labels, shared_rows
from awda.referrals.views.common import show_error, user_with
from awda.registry.enums import SharedField

S = ReferralStatus
PAGE_SIZE = 50
# Each step: the status it leads to, the side that takes it, and its form.
STEPS: dict[str, tuple[str, workflows.Side, type[forms.Form]]] = {
    "send": (S.SENT, "sender", StepForm),
    "revoke": (S.REVOKED, "sender", RevokeForm),
    "accept": (S.ACCEPTED, "receiver", StepForm),
    "decline": (S.DECLINED, "receiver", DeclineForm),
    "start": (S.IN_PROGRESS, "receiver", StepForm),
    "complete": (S.COMPLETED, "receiver", CompleteForm),
    "not-complete": (S.NOT_COMPLETED, "receiver", NotCompleteForm),
}


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def _rows(referrals: list[Any], *, receiver: bool, viewer: Any = None) -> list[dict[str, Any]]:
    parts = queries.parts_for(referrals) if receiver else {}
    if receiver:
        # The inbox shows parts of people's records held by other institutions: each row is a read.
        audit.record_many(
            actor=viewer,
            action=AuditAction.READ,
            objects=[(r, parts.get(r.pk, frozenset())) for r in referrals if parts.get(r.pk)],
        )
    now = timezone.now()
    rows = []
    for referral in referrals:
        shown = parts.get(referral.pk, frozenset()) if receiver else frozenset({SharedField.IDENTITY})
        rows.append(
            {
                "referral": referral,
                "name": referral.returnee.full_name if SharedField.IDENTITY in shown else "",
                "overdue": referral.status == S.SENT
                and referral.answer_due_at
                and referral.answer_due_at < now,
            }
        )
    return rows


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = user_with(request, Capability.RECEIVE_REFERRALS)
    status = request.GET.get("status", "open")
    page = _page_number(request)
    referrals, more = queries.inbox_page(user, status=status, page=page, size=PAGE_SIZE)
    context = {
        "rows": _rows(referrals, receiver=True, viewer=user),
        "status": status,
        "statuses": [("open", _("Waiting or under way")), ("", _("All")), *S.choices[1:]],
        "page": page,
        "more": more,
        "follow_ups": queries.received_by(user)
        .filter(follow_up_on__lte=timezone.localdate(), status__in=[S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED])
        .order_by("follow_up_on")[:20],
    }
    return render(request, "referrals/inbox.html", context)


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    user = user_with(request, Capability.REFER)
    status = request.GET.get("status", "")
    referrals = queries.sent_by(user)
    if status in S.values:
        referrals = referrals.filter(status=status)
    page = _page_number(request)
    start = (page - 1) * PAGE_SIZE
    rows = list(referrals.order_by("-created_at", "-id")[start : start + PAGE_SIZE + 1])
    context = {
        "rows": _rows(rows[:PAGE_SIZE], receiver=False),
        "status": status,
        "statuses": [("", _("All")), *S.choices],
        "page": page,
        "more": len(rows) > PAGE_SIZE,
    }
    return render(request, "referrals/sent.html", context)


def _access(request: HttpRequest, referral_uuid: str) -> ReferralAccess:
    user = user_with(request, Capability.REFER, Capability.RECEIVE_REFERRALS)
    try:
        return access_referral_by_id(user, referral_uuid)
    except NotFound as error:
        raise Http404 from error


def _step_forms(access: ReferralAccess, data: Any = None, step: str = "") -> dict[str, forms.Form]:
    referral = access.referral
    out: dict[str, forms.Form] = {}
    for name, (target, side, form_class) in STEPS.items():
        if side in access.sides and workflows.allowed(referral.kind, referral.status, target, side):
            bound = data if name == step else None
            out[name] = form_class(bound, initial={"version": referral.version}, prefix=name)
    return out


def _page(
    request: HttpRequest, access: ReferralAccess, step_forms: dict[str, forms.Form], **extra: Any
) -> HttpResponse:
    referral = access.referral
    parts = queries.parts_for([referral]).get(referral.pk, frozenset()) if access.receiver else frozenset()
    context = {
        "referral": referral,
        "access": access,
        "sections": shared_rows(referral, parts) if access.receiver and not access.sender else [],
        "ltr_labels": ltr_labels(),
        "consent_missing": access.receiver and not access.sender and not parts,
        "transitions": referral.transitions.select_related("actor"),
        "step_forms": step_forms,
        "offices": Office.objects.filter(institution_id=referral.to_institution_id, is_active=True)
        if access.receiver and referral.kind == "transfer"
        else [],
        "follow_up_form": FollowUpForm(
            initial={"follow_up_on": referral.follow_up_on, "follow_up_note": referral.follow_up_note}
        )
        if access.receiver and referral.status in (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.NOT_COMPLETED)
        else None,
        "overdue": referral.status == S.SENT
        and referral.answer_due_at
        and referral.answer_due_at < timezone.now(),
        **extra,
    }
    return render(request, "referrals/referral_page.html", context)


@login_required
def referral_page(request: HttpRequest, referral_uuid: str) -> HttpResponse:
    access = _access(request, referral_uuid)
    return _page(request, access, _step_forms(access))


@login_required
@require_POST
def referral_step(request: HttpRequest, referral_uuid: str, step: str) -> HttpResponse:
    access = _access(request, referral_uuid)
    referral = access.referral
    user = user_with(request, Capability.REFER, Capability.RECEIVE_REFERRALS)
    if step == "follow-up":
        follow = FollowUpForm(request.POST)
        if follow.is_valid():
            try:
                actions.referral_set_follow_up(
                    actor=user,
                    referral=referral,
                    on=follow.cleaned_data["follow_up_on"],
                    note=follow.cleaned_data["follow_up_note"],
                )
            except AwdaError as error:
                show_error(request, error)
            else:
                messages.success(request, _("The follow-up was saved."))
        return redirect("referrals:referral", referral_uuid=referral.uuid)
    if step not in STEPS:
        raise Http404
    step_forms = _step_forms(access, request.POST, step)
    form = step_forms.get(step)
    if form is None:
        messages.error(
            request,
            _("This step is no longer possible: the referral is now %(status)s.")
            % {"status": referral.get_status_display()},
        )
        return redirect("referrals:referral", referral_uuid=referral.uuid)
    if not form.is_valid():
        return _page(request, access, step_forms, open_step=step)
    data = form.cleaned_data
    common = {"actor": user, "referral": referral, "expected_version": data["version"]}
    try:
        if step == "send":
            actions.referral_send(**common)
        elif step == "revoke":
            actions.referral_revoke(**common, note=data["note"])
        elif step == "accept":
            office = None
            if referral.kind == "transfer":
                chosen = request.POST.get("office") or ""
                office = (
                    Office.objects.filter(uuid=chosen, institution_id=referral.to_institution_id).first()
                    if chosen
                    else user.office
                )
            actions.referral_accept(**common, note=data["note"], office=office)
        elif step == "decline":
            actions.referral_decline(**common, reason=data["reason"], note=data["note"])
        elif step == "start":
            actions.referral_start(**common, note=data["note"])
        elif step == "complete":
            actions.referral_complete(
                **common,
                outcome=data["outcome"],
                service_delivered=data["service_delivered"],
                delivered_on=data["delivered_on"],
                follow_up_on=data["follow_up_on"],
                note=data["note"],
            )
        elif step == "not-complete":
            actions.referral_not_complete(**common, reason=data["reason"], note=data["note"])
    except AwdaError as error:
        show_error(request, error, form)
        fresh = _access(request, referral_uuid)
        return _page(request, fresh, step_forms, open_step=step)
    messages.success(request, _("Saved."))
    return redirect("referrals:referral", referral_uuid=referral.uuid)


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Per provider and kind of service: times to acceptance and completion, declines and overdue ones.
    Supervisors see what their unit sent and received; analysts see every institution's figures."""
    user = user_with(request, Capability.VIEW_STATISTICS, Capability.RECEIVE_REFERRALS)
    from awda.referrals.models import Referral

    scope = request.GET.get("scope", "")
    if has_capability(user, Capability.VIEW_STATISTICS) and not has_capability(user, Capability.VIEW_RECORDS):
        referrals = Referral.objects.all()
        scope = "all"
    elif scope == "received" or not has_capability(user, Capability.REFER):
        referrals = queries.received_by(user)
        scope = "received"
    else:
        referrals = queries.sent_by(user)
        scope = "sent"
    groups = queries.statistics(referrals)
    from awda.catalogue.models import ServiceCategory
    from awda.referrals.enums import DeclineReason

    categories = {c.code: c.name for c in ServiceCategory.objects.filter(parent__isnull=True)}
    reasons = dict(DeclineReason.choices)
    for group in groups:
        group["category_name"] = categories.get(group["category"], _("Transfer of the case"))
        group["reasons"] = [(reasons.get(code, code), n) for code, n in group["decline_reasons"].items()]
    return render(request, "referrals/statistics.html", {"groups": groups, "scope": scope})
