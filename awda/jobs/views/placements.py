"""Placements: the list, one placement with the steps its user may take (the person's answer, sharing,
interview, hiring), its history and retention checks, and the retention checks that are due."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError, NotFound
from awda.geo.models import Governorate
from awda.jobs import access, actions, queries, workflows
from awda.jobs.enums import PlacementStatus
from awda.jobs.forms import (
    AgreeForm,
    DeclineForm,
    HireForm,
    InterviewForm,
    ReasonForm,
    RetentionForm,
    StepForm,
    language_names,
)
from awda.jobs.models import Placement, RetentionCheck
from awda.jobs.views.common import age_group, not_found, page_of, people_of, show_error, viewer
from awda.registry.enums import EducationLevel
from awda.registry.models import Occupation

S = PlacementStatus
# Each step: the status it leads to and its form.
STEPS: dict[str, tuple[str, type[forms.Form]]] = {
    "agree": (S.AGREED, AgreeForm),
    "decline": (S.DECLINED, DeclineForm),
    "share": (S.SHARED, StepForm),
    "interview": (S.INTERVIEW, InterviewForm),
    "hire": (S.HIRED, HireForm),
    "not-hired": (S.NOT_HIRED, ReasonForm),
    "withdraw": (S.WITHDRAWN, ReasonForm),
}
# Retention checks can be recorded from two weeks before they are due, as the list of due checks shows them.
RETENTION_WINDOW = timedelta(days=14)


def _follows_placements(user: User) -> bool:
    return has_capability(user, Capability.OFFER_JOBS) or access.can_match(user)


@login_required
def placement_list(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    if not _follows_placements(user):
        raise Http404
    status = request.GET.get("status", "")
    placements = access.placements_visible_to(user)
    if status in S.values:
        placements = placements.filter(status=status)
    page = page_of(request, placements.order_by("-updated_at", "-id"))
    people = people_of(user, page.object_list)
    context = {
        "page": page,
        "rows": [{"placement": p, "person": people[p.pk]} for p in page.object_list],
        "status": status,
        "statuses": S.choices,
        "company": access.employer_of(user),
        "page_query": urlencode({"status": status}),
    }
    return render(request, "jobs/placement_list.html", context)


def _placement(request: HttpRequest, placement_uuid: Any) -> tuple[User, Placement]:
    user = viewer(request)
    if not _follows_placements(user):
        raise Http404
    try:
        return user, access.access_placement_by_id(user, placement_uuid)
    except NotFound as error:
        raise not_found(error) from error


def _sides(user: User, placement: Placement) -> frozenset[workflows.Side]:
    sides: set[workflows.Side] = set()
    if access.case_side(user, placement):
        sides.add("case")
    if access.employer_side(user, placement):
        sides.add("employer")
    return frozenset(sides)


def _step_forms(
    placement: Placement, sides: frozenset[workflows.Side], data: Any = None, step: str = ""
) -> dict[str, forms.Form]:
    allowed = workflows.next_statuses(placement.status, sides)
    return {
        name: form_class(data if name == step else None, initial={"version": placement.version}, prefix=name)
        for name, (target, form_class) in STEPS.items()
        if target in allowed
    }


def _work_profile(placement: Placement) -> dict[str, Any]:
    """What the company may know of any candidate: occupations with years, education, languages, place and
    age group (the facts matching used), never who the person is."""
    facts = queries.person_facts([placement.returnee_id]).get(placement.returnee_id)
    if facts is None:
        return {}
    occupations = Occupation.objects.in_bulk([code for code, _years in facts.occupations])
    governorate = Governorate.objects.filter(pk=facts.governorate).first()
    names = language_names()
    return {
        "occupations": [
            (occupations[c].name if c in occupations else c, years) for c, years in facts.occupations
        ],
        "education": EducationLevel(facts.education).label if facts.education is not None else "",
        "languages": [names.get(c, c) for c in sorted(facts.languages)],
        "governorate": governorate.name if governorate else "",
        "age_group": age_group(placement.returnee.date_of_birth),
    }


def _page(
    request: HttpRequest,
    user: User,
    placement: Placement,
    *,
    step_forms: dict[str, forms.Form] | None = None,
    open_step: str = "",
    retention_form: RetentionForm | None = None,
) -> HttpResponse:
    sides = _sides(user, placement)
    company = access.employer_of(user)
    person = people_of(user, [placement], with_phone=True)[placement.pk]
    labels = dict(S.choices)
    own = company.institution_id if company is not None else None
    history = [
        {
            "at": t.at,
            "label": labels.get(t.to_status, t.to_status),
            "actor": t.actor,
            # A company reads its own notes only: the case worker's notes may speak of the person.
            "note": t.note if own is None or (t.actor is not None and t.actor.institution_id == own) else "",
        }
        for t in placement.transitions.select_related("actor")
    ]
    records_retention = "case" in sides or access.employment_staff(user)
    horizon = timezone.localdate() + RETENTION_WINDOW
    checks = []
    for check in placement.retention_checks.select_related("checked_by"):
        form = None
        if records_retention and not check.result and check.due_on <= horizon:
            bound = (
                retention_form
                if retention_form is not None and retention_form.prefix == f"r{check.months}"
                else None
            )
            form = bound or RetentionForm(prefix=f"r{check.months}")
        checks.append({"check": check, "form": form})
    context = {
        "placement": placement,
        "offer": placement.offer,
        "person": person,
        # A company sees the anonymous work profile of the people it asked for or may know, not of every
        # person a case worker proposed (who may not want to be shown to companies at all).
        "profile": _work_profile(placement)
        if company is None or placement.requested_by_employer or person.known
        else {},
        "case_side": "case" in sides,
        "company": company,
        "note": placement.note if company is None or placement.requested_by_employer else "",
        "step_forms": step_forms if step_forms is not None else _step_forms(placement, sides),
        "open_step": open_step,
        "history": history,
        "checks": checks,
        "shared_hint": company is not None and not person.known,
    }
    return render(request, "jobs/placement_page.html", context)


@login_required
def placement_page(request: HttpRequest, placement_uuid: Any) -> HttpResponse:
    user, placement = _placement(request, placement_uuid)
    return _page(request, user, placement)


@login_required
@require_POST
def placement_step(request: HttpRequest, placement_uuid: Any, step: str) -> HttpResponse:
    user, placement = _placement(request, placement_uuid)
    if step not in STEPS:
        raise Http404
    sides = _sides(user, placement)
    if not sides:
        raise Http404
    step_forms = _step_forms(placement, sides, request.POST, step)
    form = step_forms.get(step)
    if form is None:
        messages.error(
            request,
            _("This step is no longer possible: the placement is now “%(status)s”.")
            % {"status": placement.get_status_display()},
        )
        return redirect("jobs:placement", placement_uuid=placement.uuid)
    if not form.is_valid():
        return _page(request, user, placement, step_forms=step_forms, open_step=step)
    data = form.cleaned_data
    common: dict[str, Any] = {"actor": user, "placement": placement, "expected_version": data["version"]}
    try:
        if step in ("agree", "decline"):
            actions.placement_agree(
                **common, agreed=step == "agree", method=data["method"], note=data["note"]
            )
        elif step == "share":
            actions.placement_share(**common)
        elif step == "interview":
            actions.placement_interview(**common, at=data["interview_at"])
        elif step == "hire":
            actions.placement_hire(**common, start=data["hired_on"], note=data["note"])
        elif step == "not-hired":
            actions.placement_not_hire(**common, note=data["note"])
        else:
            actions.placement_withdraw(**common, note=data["note"])
    except NotFound as error:
        raise not_found(error) from error
    except AwdaError as error:
        show_error(request, error, form)
        placement.refresh_from_db()
        return _page(request, user, placement, step_forms=step_forms, open_step=step)
    messages.success(request, _("Saved."))
    return redirect("jobs:placement", placement_uuid=placement.uuid)


@login_required
@require_POST
def retention_record(request: HttpRequest, placement_uuid: Any) -> HttpResponse:
    user, placement = _placement(request, placement_uuid)
    months = request.POST.get("months", "")
    check = placement.retention_checks.filter(months=int(months)).first() if months.isdigit() else None
    if check is None:
        raise Http404
    form = RetentionForm(request.POST, prefix=f"r{check.months}")
    if not form.is_valid():
        return _page(request, user, placement, retention_form=form)
    try:
        actions.retention_record(
            actor=user, check=check, result=form.cleaned_data["result"], note=form.cleaned_data["note"]
        )
    except NotFound as error:
        raise not_found(error) from error
    except AwdaError as error:
        show_error(request, error, form)
        return _page(request, user, placement, retention_form=form)
    messages.success(request, _("The retention check was recorded."))
    return redirect(reverse("jobs:placement", args=[placement.uuid]) + "#retention")


@login_required
def retention_list(request: HttpRequest) -> HttpResponse:
    """Retention checks due (or due within two weeks) of the placements the user follows."""
    user = viewer(request)
    if not access.can_match(user):
        raise Http404
    page = page_of(request, queries.retention_due(user))
    checks: list[RetentionCheck] = list(page.object_list)
    people = people_of(user, [c.placement for c in checks])
    today = timezone.localdate()
    context = {
        "page": page,
        "rows": [{"check": c, "person": people[c.placement_id], "overdue": c.due_on < today} for c in checks],
    }
    return render(request, "jobs/retention_list.html", context)
