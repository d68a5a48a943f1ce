"""Managing accounts: users (administrators, and supervisors for their own unit), institutions and offices."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from awda.accounts import actions, queries
from awda.accounts.access import access_user_by_uuid, signed_in_user
from awda.accounts.actions import UNIT_ASSIGNABLE_ROLES
from awda.accounts.enums import Role
from awda.accounts.forms import InstitutionForm, OfficeForm, UserForm
from awda.accounts.models import Institution, Office
from awda.accounts.roles import Capability, has_capability
from awda.core.errors import AwdaError, NotFound
from awda.core.forms import add_error_to_form


def _require_any(user: Any, *capabilities: Capability) -> None:
    if not any(has_capability(user, capability) for capability in capabilities):
        raise Http404


def _assignable_roles(user: Any) -> set[str]:
    if has_capability(user, Capability.MANAGE_ALL_USERS):
        return set(Role.values)
    return set(UNIT_ASSIGNABLE_ROLES)


def _user_form(request: HttpRequest, *, editing: bool, initial: dict[str, Any] | None = None) -> UserForm:
    return UserForm(
        request.POST or None,
        initial=initial,
        institutions=queries.institutions_manageable_by(signed_in_user(request)),
        offices=queries.offices_manageable_by(signed_in_user(request)),
        roles=_assignable_roles(request.user),
        editing=editing,
    )


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Capability.MANAGE_ALL_USERS, Capability.MANAGE_UNIT_USERS)
    users = queries.users_visible_to(signed_in_user(request))
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(first_name__icontains=query) | Q(last_name__icontains=query)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(role=role)
    page = Paginator(users.order_by("username"), 50).get_page(request.GET.get("page"))
    page_query = request.GET.copy()
    page_query.pop("page", None)
    context = {
        "page": page,
        "query": query,
        "role": role,
        "roles": Role.choices,
        "page_query": page_query.urlencode(),
    }
    return render(request, "accounts/user_list.html", context)


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Capability.MANAGE_ALL_USERS, Capability.MANAGE_UNIT_USERS)
    actor = signed_in_user(request)
    initial = {"institution": actor.institution_id, "office": actor.office_id}
    form = _user_form(request, editing=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            user = actions.user_create(actor=signed_in_user(request), **form.cleaned_data)
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The account has been created."))
            return HttpResponseRedirect(reverse("accounts:user_detail", args=[user.uuid]))
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@login_required
def user_detail(request: HttpRequest, user_uuid: str) -> HttpResponse:
    _require_any(request.user, Capability.MANAGE_ALL_USERS, Capability.MANAGE_UNIT_USERS)
    try:
        subject = access_user_by_uuid(signed_in_user(request), user_uuid)
    except NotFound as error:
        raise Http404 from error
    initial = {
        name: getattr(subject, name)
        for name in ("first_name", "last_name", "email", "phone", "role", "scope", "is_active")
    }
    initial.update(institution=subject.institution_id, office=subject.office_id)
    form = _user_form(request, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.user_update(actor=signed_in_user(request), user=subject, **form.cleaned_data)
        except AwdaError as error:
            add_error_to_form(form, error)
            subject.refresh_from_db()
        else:
            messages.success(request, _("The account has been saved."))
            return HttpResponseRedirect(reverse("accounts:user_detail", args=[subject.uuid]))
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "subject": subject},
        status=400 if form.errors else 200,
    )


@login_required
def institution_list(request: HttpRequest) -> HttpResponse:
    _require_any(request.user, Capability.MANAGE_INSTITUTIONS)
    institutions = queries.institutions_list().prefetch_related("offices__governorate")
    return render(request, "accounts/institution_list.html", {"institutions": institutions})


def _get_institution(institution_uuid: str) -> Institution:
    try:
        return Institution.objects.get(uuid=institution_uuid)
    except (Institution.DoesNotExist, ValueError) as error:
        raise Http404 from error


@login_required
def institution_form(request: HttpRequest, institution_uuid: str | None = None) -> HttpResponse:
    _require_any(request.user, Capability.MANAGE_INSTITUTIONS)
    institution = _get_institution(institution_uuid) if institution_uuid else None
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if institution is None:
                institution = actions.institution_create(actor=signed_in_user(request), **values)
            else:
                actions.institution_update(actor=signed_in_user(request), institution=institution, **values)
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The institution has been saved."))
            return HttpResponseRedirect(reverse("accounts:institution_list"))
    offices = institution.offices.select_related("governorate", "district") if institution else []
    return render(
        request,
        "accounts/institution_form.html",
        {"form": form, "institution": institution, "offices": offices},
        status=400 if form.errors else 200,
    )


@login_required
def office_form(
    request: HttpRequest, institution_uuid: str | None = None, office_uuid: str | None = None
) -> HttpResponse:
    _require_any(request.user, Capability.MANAGE_INSTITUTIONS)
    office: Office | None = None
    if office_uuid:
        try:
            office = Office.objects.select_related("institution").get(uuid=office_uuid)
        except (Office.DoesNotExist, ValueError) as error:
            raise Http404 from error
        institution = office.institution
    else:
        institution = _get_institution(institution_uuid or "")
    form = OfficeForm(request.POST or None, instance=office)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if office is None:
                actions.office_create(actor=signed_in_user(request), institution=institution, **values)
            else:
                actions.office_update(actor=signed_in_user(request), office=office, **values)
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The office has been saved."))
            return HttpResponseRedirect(reverse("accounts:institution_edit", args=[institution.uuid]))
    return render(
        request,
        "accounts/office_form.html",
        {"form": form, "office": office, "institution": institution},
        status=400 if form.errors else 200,
    )
