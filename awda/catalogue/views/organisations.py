"""Organisations of the catalogue: the list, an organisation's description, offices, focal points, programmes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awda.accounts.models import User
from awda.catalogue import actions
from awda.catalogue.access import is_reviewer
from awda.catalogue.forms import FocalPointFormSet, OfficeFormSet, OrganisationForm, ProgrammeForm
from awda.catalogue.models import Organisation, Programme
from awda.catalogue.views.manage import provider, reviewer
from awda.core.errors import AwdaError
from awda.core.forms import add_error_to_form


def _organisation_for(user: User, organisation_uuid: Any) -> Organisation:
    organisation = Organisation.objects.filter(uuid=organisation_uuid).select_related("institution").first()
    if organisation is None or not actions.may_edit_organisation(user, organisation):
        raise Http404
    return organisation


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = provider(request)
    organisations = Organisation.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True), distinct=True)
    ).order_by("type", "code")
    if not is_reviewer(user):
        organisations = organisations.filter(institution_id=user.institution_id or 0)
    return render(
        request,
        "catalogue/organisation_list.html",
        {"organisations": organisations, "is_reviewer": is_reviewer(user)},
    )


@login_required
def organisation_new(request: HttpRequest) -> HttpResponse:
    user = reviewer(request)
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = actions.organisation_create(actor=user, data=form.cleaned_data)
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("The organisation was added."))
            return redirect("catalogue:organisation_edit", organisation_uuid=organisation.uuid)
    return render(
        request,
        "catalogue/organisation_form.html",
        {"form": form, "organisation": None},
        status=400 if form.errors else 200,
    )


def _initial(organisation: Organisation) -> dict[str, Any]:
    fields = (
        "code",
        "type",
        "acronym",
        "name_ar",
        "name_ckb",
        "name_en",
        "mandate_ar",
        "mandate_ckb",
        "mandate_en",
    )
    initial = {name: getattr(organisation, name) for name in fields}
    initial.update(
        languages=organisation.languages,
        phone=organisation.phone,
        email=organisation.email,
        website=organisation.website,
        referral_response_days=organisation.referral_response_days,
        is_active=organisation.is_active,
    )
    return initial


@login_required
def organisation_edit(request: HttpRequest, organisation_uuid: Any) -> HttpResponse:
    user = provider(request)
    organisation = _organisation_for(user, organisation_uuid)
    data = request.POST if request.method == "POST" else None
    form = OrganisationForm(data, organisation=organisation, initial=_initial(organisation))
    offices = OfficeFormSet(
        data,
        prefix="office",
        initial=[
            {
                "name_ar": o.name_ar,
                "name_ckb": o.name_ckb,
                "name_en": o.name_en,
                "governorate": o.governorate_id,
                "district": o.district_id,
                "address_ar": o.address_ar,
                "address_ckb": o.address_ckb,
                "address_en": o.address_en,
                "phone": o.phone,
            }
            for o in organisation.offices.all()
        ],
    )
    focal_points = FocalPointFormSet(
        data,
        prefix="focal",
        initial=[
            {
                "name": f.name,
                "title_ar": f.title_ar,
                "title_ckb": f.title_ckb,
                "title_en": f.title_en,
                "phone": f.phone,
                "email": f.email,
            }
            for f in organisation.focal_points.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and offices.is_valid() and focal_points.is_valid():
        kept_offices = [
            f.cleaned_data for f in offices if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        kept_people = [
            f.cleaned_data for f in focal_points if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            with transaction.atomic():  # the description and the contacts are saved together or not at all
                actions.organisation_update(actor=user, organisation=organisation, data=form.cleaned_data)
                actions.organisation_contacts_save(
                    actor=user, organisation=organisation, offices=kept_offices, focal_points=kept_people
                )
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:organisation_edit", organisation_uuid=organisation.uuid)
    invalid = request.method == "POST"
    return render(
        request,
        "catalogue/organisation_form.html",
        {
            "form": form,
            "offices": offices,
            "focal_points": focal_points,
            "organisation": organisation,
            "programmes": organisation.programmes.select_related("funder"),
        },
        status=400 if invalid else 200,
    )


@login_required
def programme_edit(request: HttpRequest, organisation_uuid: Any, programme_uuid: Any = None) -> HttpResponse:
    user = provider(request)
    organisation = _organisation_for(user, organisation_uuid)
    programme = None
    if programme_uuid is not None:
        programme = Programme.objects.filter(uuid=programme_uuid, organisation=organisation).first()
        if programme is None:
            raise Http404
    initial: dict[str, Any] = {}
    if programme is not None:
        initial = {
            "code": programme.code,
            "name_ar": programme.name_ar,
            "name_ckb": programme.name_ckb,
            "name_en": programme.name_en,
            "description_ar": programme.description_ar,
            "description_ckb": programme.description_ckb,
            "description_en": programme.description_en,
            "funder": programme.funder_id,
            "starts_on": programme.starts_on,
            "ends_on": programme.ends_on,
            "governorates": list(programme.governorates.values_list("pcode", flat=True)),
            "target_groups": programme.target_groups,
        }
    form = ProgrammeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.programme_save(
                actor=user, organisation=organisation, data=form.cleaned_data, programme=programme
            )
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:organisation_edit", organisation_uuid=organisation.uuid)
    return render(
        request,
        "catalogue/programme_form.html",
        {"form": form, "organisation": organisation, "programme": programme},
        status=400 if form.errors else 200,
    )
