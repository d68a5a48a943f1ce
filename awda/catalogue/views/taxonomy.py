"""The taxonomy of services, kept by administrators: categories and subcategories with a name per language."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from awda.catalogue import actions
from awda.catalogue.forms import ServiceCategoryForm
from awda.catalogue.models import ServiceCategory
from awda.catalogue.views.manage import reviewer
from awda.core.errors import AwdaError
from awda.core.forms import add_error_to_form


@login_required
def taxonomy(request: HttpRequest) -> HttpResponse:
    user = reviewer(request)
    form = ServiceCategoryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.service_category_save(actor=user, data=form.cleaned_data)
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:taxonomy")
    counted = ServiceCategory.objects.annotate(
        service_count=Count("services", filter=Q(services__is_active=True))
    ).order_by("order", "code")
    tops = [c for c in counted if c.parent_id is None]
    subs: dict[int, list[ServiceCategory]] = {}
    for category in counted:
        if category.parent_id is not None:
            subs.setdefault(category.parent_id, []).append(category)
    return render(
        request,
        "catalogue/taxonomy.html",
        {"rows": [(top, subs.get(top.pk, [])) for top in tops], "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def taxonomy_edit(request: HttpRequest, code: str) -> HttpResponse:
    user = reviewer(request)
    category = ServiceCategory.objects.filter(code=code).first()
    if category is None:
        raise Http404
    initial: dict[str, Any] = {
        "code": category.code,
        "parent": category.parent_id,
        "name_ar": category.name_ar,
        "name_ckb": category.name_ckb,
        "name_en": category.name_en,
        "need_category": category.need_category,
        "order": category.order,
        "is_active": category.is_active,
    }
    form = ServiceCategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.service_category_save(actor=user, data=form.cleaned_data, category=category)
        except AwdaError as error:
            add_error_to_form(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("catalogue:taxonomy")
    return render(
        request,
        "catalogue/taxonomy_edit.html",
        {"form": form, "category": category},
        status=400 if form.errors else 200,
    )
