"""From the case: the person's job profile, their ranked offers with the reasons, and proposing an offer
to them (tied to a referral and to their plan's economic goal where that helps)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awda.accounts.models import User
from awda.core.errors import AwdaError, NotFound
from awda.jobs import access, actions, explain, queries
from awda.jobs.forms import ProfileForm, ProposeForm
from awda.jobs.models import Offer
from awda.jobs.views.common import not_found, show_error, viewer
from awda.jobs.workflows import FINAL
from awda.referrals.enums import Dimension
from awda.referrals.models import PlanGoal, Referral
from awda.registry.access import access_returnee_by_uuid
from awda.registry.enums import EducationLevel
from awda.registry.models import Returnee

OFFERS_SHOWN = 50


def _case(request: HttpRequest, returnee_uuid: Any) -> tuple[User, Returnee]:
    """The person's record, for a case worker or employment officer who may edit it (an audited read)."""
    user = viewer(request)
    if not access.can_match(user):
        raise Http404
    try:
        return user, access_returnee_by_uuid(user, returnee_uuid, for_edit=True)
    except NotFound as error:
        raise not_found(error) from error


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, returnee_uuid: Any) -> HttpResponse:
    user, returnee = _case(request, returnee_uuid)
    profile = queries.profile_of(returnee)
    initial: dict[str, Any] = {}
    if profile is not None:
        initial = {
            "seeking": profile.seeking,
            "languages": list(profile.languages or []),
            "skills": [s.code for s in profile.skills.all()],
            "mobility": profile.mobility,
            "available_from": profile.available_from.isoformat() if profile.available_from else "",
        }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.profile_save(actor=user, returnee=returnee, data=form.cleaned_data)
        except NotFound as error:
            raise not_found(error) from error
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The job profile was saved."))
            return redirect(reverse("registry:case", args=[returnee.uuid]) + "#jobs-panel")
    context = {
        "returnee": returnee,
        "form": form,
        "occupations": returnee.skills.select_related("occupation"),
        "qualifications": returnee.qualifications.select_related("country"),
        "education": EducationLevel(returnee.education_level).label
        if returnee.education_level is not None
        else "",
    }
    return render(request, "jobs/profile_form.html", context)


def _propose_form(returnee: Returnee, data: Any = None) -> ProposeForm:
    return ProposeForm(
        data,
        referrals=Referral.objects.filter(returnee=returnee)
        .select_related("service", "to_organisation")
        .order_by("-created_at"),
        goals=PlanGoal.objects.filter(plan__returnee=returnee, dimension=Dimension.ECONOMIC).order_by("id"),
    )


def _offers_page(
    request: HttpRequest, returnee: Returnee, form: ProposeForm, status: int = 200
) -> HttpResponse:
    ranked = queries.offers_for_person(returnee, limit=OFFERS_SHOWN)
    facts = queries.offer_facts([r.offer for r in ranked])
    proposed = set(returnee.placements.exclude(status__in=FINAL).values_list("offer_id", flat=True))
    rows = [
        {
            "offer": r.offer,
            "percent": round(r.match.score * 100),
            "lines": explain.explain(r.match, facts[r.offer.pk]),
            "proposed": r.offer.pk in proposed,
        }
        for r in ranked
    ]
    profile = queries.profile_of(returnee)
    context = {
        "returnee": returnee,
        "rows": rows,
        "form": form,
        "profile": profile,
    }
    return render(request, "jobs/person_offers.html", context, status=status)


@login_required
def person_offers(request: HttpRequest, returnee_uuid: Any) -> HttpResponse:
    _user, returnee = _case(request, returnee_uuid)
    return _offers_page(request, returnee, _propose_form(returnee))


@login_required
@require_POST
def propose(request: HttpRequest, returnee_uuid: Any) -> HttpResponse:
    user, returnee = _case(request, returnee_uuid)
    form = _propose_form(returnee, request.POST)
    offer: Offer | None = None
    try:
        offer = access.access_offer_by_id(user, request.POST.get("offer", ""))
    except NotFound:
        form.add_error(None, _("Choose one of the offers below."))
    if offer is None or not form.is_valid():
        return _offers_page(request, returnee, form)
    try:
        placement = actions.placement_propose(
            actor=user,
            offer=offer,
            returnee=returnee,
            note=form.cleaned_data["note"],
            referral=form.cleaned_data["referral"],
            plan_goal=form.cleaned_data["plan_goal"],
        )
    except NotFound as error:
        raise not_found(error) from error
    except AwdaError as error:
        show_error(request, error, form)
        return _offers_page(request, returnee, form)
    messages.success(
        request,
        _(
            "The offer was proposed. Ask the person whether they agree to share their profile with the company."
        ),
    )
    return redirect("jobs:placement", placement_uuid=placement.uuid)
