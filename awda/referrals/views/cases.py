"""From the case: the needs assessment, referring to a ranked service, transferring the case, and the
case-response proposals."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.accounts.models import Institution, User
from awda.accounts.roles import Capability
from awda.catalogue.models import Service
from awda.core.errors import AwdaError, NotFound
from awda.core.models import active_language
from awda.referrals import actions, queries
from awda.referrals.forms import NeedsAssessmentForm, ReferForm, TransferForm
from awda.referrals.models import OPEN_STATUSES, Referral, ResponseRule
from awda.referrals.views.common import show_error, user_with
from awda.registry import actions as registry_actions
from awda.registry.access import access_returnee_by_uuid
from awda.registry.consents import shared_parts
from awda.registry.enums import NeedCategory
from awda.registry.models import Returnee


def _case(request: HttpRequest, returnee_uuid: str, *capabilities: Capability) -> tuple[User, Returnee]:
    user = user_with(request, *capabilities)
    try:
        return user, access_returnee_by_uuid(user, returnee_uuid, for_edit=True)
    except NotFound as error:
        raise Http404 from error


@login_required
def needs_assessment(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    user, returnee = _case(request, returnee_uuid, Capability.EDIT_RECORDS)
    existing = {(n.category, n.is_interest): n for n in returnee.needs.all()}
    initial: dict[str, str] = {}
    for category in NeedCategory.values:
        need = existing.get((category, False)) or existing.get((category, True))
        if need is None:
            continue
        initial[f"{category}_state"] = "interest" if need.is_interest else "need"
        initial[f"{category}_priority"] = need.priority
        initial[f"{category}_urgency"] = need.urgency
        initial[f"{category}_description"] = need.description
    form = NeedsAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            registry_actions.needs_assess(actor=user, returnee=returnee, needs=form.needs())
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The needs assessment was saved."))
            return redirect("registry:case", returnee_uuid=returnee.uuid)
    return render(request, "referrals/needs_assessment.html", {"returnee": returnee, "form": form})


@login_required
def refer(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    """The eligible services for one need, ranked with their reasons; the worker picks one (or overrides)."""
    user, returnee = _case(request, returnee_uuid, Capability.REFER)
    needs = [n for n in returnee.needs.all() if not n.is_interest]
    need = request.GET.get("need") or request.POST.get("need") or (needs[0].category if needs else "")
    if need not in NeedCategory.values:
        raise Http404
    found = queries.suggestions(returnee, need)
    language = active_language()
    choices = [(str(s.service.uuid), s.service.name) for s in found]
    form = ReferForm(request.POST or None, services=choices)
    if request.method == "POST" and form.is_valid():
        service = (
            Service.objects.select_related("organisation", "category__parent")
            .filter(uuid=form.cleaned_data["service"])
            .first()
        )
        if service is None:
            raise Http404
        try:
            referral = actions.referral_make(
                actor=user,
                returnee=returnee,
                service=service,
                need_category=need,
                shared_fields=form.cleaned_data["shared_fields"],
                note=form.cleaned_data["note"],
                override_reason=form.cleaned_data["override_reason"],
                consent_method=form.cleaned_data["consent_method"],
                send=request.POST.get("submit") != "draft",
            )
        except AwdaError as error:
            show_error(request, error, form)
        else:
            if referral.status == "sent":
                messages.success(
                    request,
                    _("The referral was sent to %(organisation)s.")
                    % {"organisation": referral.to_organisation.name},
                )
            else:
                messages.success(request, _("The referral was saved as a draft."))
            return redirect("referrals:referral", referral_uuid=referral.uuid)
    # One consent read per receiving institution and one query for the open referrals, not one per row.
    consented: dict[int, list[str]] = {}
    for item in found:
        institution = item.service.organisation.institution
        if institution is not None and institution.pk not in consented:
            consented[institution.pk] = sorted(shared_parts(returnee, institution))
    open_services = set(
        Referral.objects.filter(returnee=returnee, status__in=OPEN_STATUSES).values_list(
            "service_id", flat=True
        )
    )
    rows = [
        {
            "suggestion": s,
            "reasons": [reason[language] for reason in s.ranked.reasons],
            "consented": consented.get(s.service.organisation.institution_id or 0, []),
            "open": s.service.pk in open_services,
        }
        for s in found
    ]
    context = {
        "returnee": returnee,
        "need": need,
        "need_label": NeedCategory(need).label,
        "needs": needs,
        "rows": rows,
        "form": form,
    }
    return render(request, "referrals/refer.html", context)


@login_required
def transfer(request: HttpRequest, returnee_uuid: str) -> HttpResponse:
    user, returnee = _case(request, returnee_uuid, Capability.REFER)
    form = TransferForm(request.POST or None, own_institution_id=returnee.institution_id)
    if request.method == "POST" and form.is_valid():
        institution: Institution = form.cleaned_data["institution"]
        try:
            referral = actions.transfer_make(
                actor=user,
                returnee=returnee,
                institution=institution,
                note=form.cleaned_data["note"],
                consent_method=form.cleaned_data["consent_method"],
            )
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(
                request, _("The transfer was sent to %(institution)s.") % {"institution": institution.name}
            )
            return redirect("referrals:referral", referral_uuid=referral.uuid)
    return render(request, "referrals/transfer.html", {"returnee": returnee, "form": form})


@login_required
@require_POST
def proposal_decide(request: HttpRequest, returnee_uuid: str, code: str) -> HttpResponse:
    user, returnee = _case(request, returnee_uuid, Capability.REFER)
    rule = ResponseRule.objects.filter(code=code, is_active=True).first()
    if rule is None or rule not in queries.pending_proposals(returnee):
        raise Http404
    try:
        if request.POST.get("decision") == "confirm":
            with transaction.atomic():
                result = actions.proposal_confirm(actor=user, returnee=returnee, rule=rule)
            messages.success(
                request,
                _("Added to the plan: %(goals)s goals and %(referrals)s draft referrals to check and send.")
                % {"goals": len(result["goals"]), "referrals": len(result["referrals"])},
            )
        else:
            actions.proposal_dismiss(
                actor=user, returnee=returnee, rule=rule, note=request.POST.get("note", "")
            )
            messages.success(request, _("The proposal was dismissed."))
    except AwdaError as error:
        show_error(request, error)
    return redirect("registry:case", returnee_uuid=returnee.uuid)
