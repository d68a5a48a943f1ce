"""Companies: self-registration, the employment office's list and review, a company's page with its
offers and commitments, and editing its profile."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from awda.accounts.models import User
from awda.core.errors import AwdaError, NotFound
from awda.core.middleware import client_ip
from awda.core.models import active_language
from awda.jobs import access, actions, queries
from awda.jobs.enums import EmployerStatus
from awda.jobs.forms import (
    CommitmentForm,
    EmployerForm,
    FulfilledForm,
    RegisterForm,
    ReviewForm,
    governorate_choices,
    sector_choices,
)
from awda.jobs.models import Commitment, Employer
from awda.jobs.views.common import not_found, page_of, show_error, viewer

REGISTERED = "jobs_registered_company"


REGISTRATIONS_PER_HOUR = 10  # per client address, as the API's throttle


def _registration_key(request: HttpRequest) -> str:
    return f"awda:jobs:registrations:{client_ip(request) or 'unknown'}"


def _too_many_registrations(request: HttpRequest) -> bool:
    """Self-registration creates accounts: a few an hour from one address are plenty for honest use (the
    count lives in Django's cache, so each process keeps its own unless a shared cache is configured)."""
    return int(cache.get(_registration_key(request), 0)) >= REGISTRATIONS_PER_HOUR


def _count_registration(request: HttpRequest) -> None:
    key = _registration_key(request)
    if not cache.add(key, 1, timeout=3600):
        try:
            cache.incr(key)
        except ValueError:  # expired in between
            cache.set(key, 1, timeout=3600)


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    """Open to anyone: a company and its first user, waiting for the employment office's review."""
    if request.method == "GET" and request.GET.get("done") and request.session.get(REGISTERED):
        return render(request, "jobs/register_done.html", {"company": request.session[REGISTERED]})
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and _too_many_registrations(request):
        form.is_valid()
        form.add_error(
            None, _("Too many companies were registered from this address in the last hour. Try again later.")
        )
        return render(request, "jobs/register.html", {"form": form}, status=429)
    if request.method == "POST" and form.is_valid():
        try:
            employer, _user = actions.employer_register(
                data={**form.action_data(), "language": active_language()}
            )
        except AwdaError as error:
            show_error(request, error, form)
        else:
            _count_registration(request)
            request.session[REGISTERED] = employer.name
            return redirect(reverse("jobs:register") + "?done=1")
    return render(request, "jobs/register.html", {"form": form})


def _staff(request: HttpRequest) -> User:
    user = viewer(request)
    if not access.employment_staff(user):
        raise Http404
    return user


def _employer(request: HttpRequest, employer_uuid: Any) -> tuple[User, Employer]:
    user = viewer(request)
    try:
        return user, access.access_employer_by_id(user, employer_uuid)
    except NotFound as error:
        raise not_found(error) from error


def _manages(user: User, employer: Employer) -> bool:
    """The employment office, or the company's own users."""
    if access.employment_staff(user):
        return True
    own = access.employer_of(user)
    return own is not None and own.pk == employer.pk


@login_required
def employer_list(request: HttpRequest) -> HttpResponse:
    _staff(request)
    status = request.GET.get("status", "")
    sector = request.GET.get("sector", "")
    governorate = request.GET.get("governorate", "")
    employers = Employer.objects.select_related("institution", "sector").prefetch_related("governorates")
    if status in EmployerStatus.values:
        employers = employers.filter(status=status)
    if sector:
        employers = employers.filter(sector_id=sector)
    if governorate:
        employers = employers.filter(governorates__pcode=governorate).distinct()
    pending_first = Case(
        When(status=EmployerStatus.PENDING, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    employers = employers.order_by(pending_first, f"institution__name_{active_language()}", "pk")
    context = {
        "page": page_of(request, employers),
        "status": status,
        "sector": sector,
        "governorate": governorate,
        "statuses": EmployerStatus.choices,
        "sectors": sector_choices(),
        "governorates": governorate_choices(),
        "page_query": urlencode({"status": status, "sector": sector, "governorate": governorate}),
    }
    return render(request, "jobs/employer_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def employer_new(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            employer = actions.employer_create(actor=user, data=form.action_data())
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The company was recorded and approved."))
            return redirect("jobs:employer", employer_uuid=employer.uuid)
    return render(request, "jobs/employer_form.html", {"form": form, "employer": None})


def _initial(employer: Employer) -> dict[str, Any]:
    institution = employer.institution
    return {
        "name_ar": institution.name_ar,
        "name_ckb": institution.name_ckb,
        "name_en": institution.name_en,
        "sector": employer.sector_id,
        "size": employer.size,
        "governorates": list(employer.governorates.values_list("pcode", flat=True)),
        "contact_name": employer.contact_name,
        "contact_phone": employer.contact_phone,
        "contact_email": employer.contact_email,
        "registration_number": employer.registration_number,
        "website": employer.website,
        "address": employer.address,
        "platform_member": employer.platform_member,
    }


@login_required
@require_http_methods(["GET", "POST"])
def employer_edit(request: HttpRequest, employer_uuid: Any) -> HttpResponse:
    user, employer = _employer(request, employer_uuid)
    if not _manages(user, employer):
        raise Http404
    form = EmployerForm(request.POST or None, initial=_initial(employer))
    if request.method == "POST" and form.is_valid():
        try:
            actions.employer_update(actor=user, employer=employer, data=form.action_data())
        except NotFound as error:
            raise not_found(error) from error
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The company's profile was saved."))
            return redirect("jobs:employer", employer_uuid=employer.uuid)
    return render(request, "jobs/employer_form.html", {"form": form, "employer": employer})


def _page(
    request: HttpRequest,
    user: User,
    employer: Employer,
    *,
    review_form: ReviewForm | None = None,
    commitment_form: CommitmentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    manages = _manages(user, employer)
    staff = access.employment_staff(user)
    commitments: list[dict[str, Any]] = []
    if manages:
        fulfilment = queries.commitment_fulfilment(employer.pk)
        for commitment in Commitment.objects.filter(employer=employer):
            done = fulfilment.get(commitment.pk, 0)
            commitments.append(
                {
                    "commitment": commitment,
                    "done": done,
                    "percent": min(100, round(100 * done / commitment.quantity))
                    if commitment.quantity
                    else 0,
                    "form": FulfilledForm(
                        initial={"fulfilled_by_hand": commitment.fulfilled_by_hand},
                        prefix=str(commitment.uuid),
                    ),
                }
            )
    offers = access.offers_visible_to(user).filter(employer=employer).order_by("-opens_on", "-id")
    context = {
        "employer": employer,
        "governorates": employer.governorates.all(),
        "manages": manages,
        "staff": staff,
        "own": manages and not staff,
        "may_post": manages and employer.status == EmployerStatus.APPROVED,
        "offers": offers[:100],
        "offers_count": offers.count(),
        "commitments": commitments,
        "review_form": (review_form or ReviewForm()) if staff else None,
        "commitment_form": (commitment_form or CommitmentForm()) if manages else None,
    }
    return render(request, "jobs/employer_page.html", context, status=status)


@login_required
def employer_page(request: HttpRequest, employer_uuid: Any) -> HttpResponse:
    user, employer = _employer(request, employer_uuid)
    return _page(request, user, employer)


@login_required
@require_POST
def employer_review(request: HttpRequest, employer_uuid: Any) -> HttpResponse:
    user, employer = _employer(request, employer_uuid)
    if not access.employment_staff(user):
        raise Http404
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            actions.employer_review(
                actor=user,
                employer=employer,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The decision was recorded and the company was told."))
            return redirect("jobs:employer", employer_uuid=employer.uuid)
    return _page(request, user, employer, review_form=form)


@login_required
@require_POST
def commitment_add(request: HttpRequest, employer_uuid: Any) -> HttpResponse:
    user, employer = _employer(request, employer_uuid)
    if not _manages(user, employer):
        raise Http404
    form = CommitmentForm(request.POST)
    if form.is_valid():
        try:
            actions.commitment_add(actor=user, employer=employer, data=form.cleaned_data)
        except NotFound as error:
            raise not_found(error) from error
        except AwdaError as error:
            show_error(request, error, form)
        else:
            messages.success(request, _("The commitment was added."))
            return redirect(reverse("jobs:employer", args=[employer.uuid]) + "#commitments")
    return _page(request, user, employer, commitment_form=form)


@login_required
@require_POST
def commitment_record(request: HttpRequest, commitment_uuid: Any) -> HttpResponse:
    """What a company fulfilled outside Awda's placements (mentoring given, goods delivered…)."""
    commitment = Commitment.objects.select_related("employer").filter(uuid=commitment_uuid).first()
    if commitment is None:
        raise Http404
    user, employer = _employer(request, commitment.employer.uuid)
    if not _manages(user, employer):
        raise Http404
    form = FulfilledForm(request.POST, prefix=str(commitment.uuid))
    value = form.data.get(form.add_prefix("fulfilled_by_hand"), "")
    try:
        actions.commitment_record(actor=user, commitment=commitment, fulfilled_by_hand=value)
    except NotFound as error:
        raise not_found(error) from error
    except AwdaError as error:
        show_error(request, error)
    else:
        messages.success(request, _("Saved."))
    return redirect(reverse("jobs:employer", args=[employer.uuid]) + "#commitments")
