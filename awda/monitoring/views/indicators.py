"""Programme indicators for analysts: per period and disaggregated, aggregates only, small cells hidden."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.access import signed_in_user
from awda.accounts.roles import Capability, has_capability
from awda.geo.enums import Settlement
from awda.geo.models import Governorate
from awda.monitoring import indicators
from awda.registry.enums import ReturnType, Sex
from awda.registry.models import Category

BY_LABELS = {
    "total": _("All returnees"),
    "sex": _("Sex"),
    "age_group": _("Age group"),
    "category": _("Category"),
    "governorate": _("Governorate"),
    "settlement": _("Urban or rural"),
    "return_type": _("Type of return"),
}


def _group_names(by: str) -> dict[str, str]:
    if by == "total":
        return {"total": str(_("All returnees"))}
    if by == "sex":
        return {k: str(v) for k, v in Sex.choices}
    if by == "settlement":
        return {k: str(v) for k, v in Settlement.choices}
    if by == "return_type":
        return {k: str(v) for k, v in ReturnType.choices}
    if by == "governorate":
        return {g.pcode: g.name for g in Governorate.objects.all()}
    if by == "category":
        # People without any category are counted in a group of their own, "None" (indicators.compute).
        return {c.code: c.name for c in Category.objects.all()} | {"None": str(_("No category"))}
    return {label: label for label, _low, _high in indicators.AGE_GROUPS} | {
        "unknown": str(_("Not recorded"))
    }


@login_required
def indicator_table(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not has_capability(user, Capability.VIEW_STATISTICS):
        raise Http404
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        year = this_year
    year = min(max(year, 2000), this_year)
    by = request.GET.get("by", "total")
    if by not in indicators.DISAGGREGATIONS:
        by = "total"
    start, end = date(year, 1, 1), date(year, 12, 31)
    definitions = indicators.definitions()
    results = {d.code: indicators.compute(d, start, end, by) for d in definitions}
    names = _group_names(by)
    groups = sorted({g for result in results.values() for g in result}, key=lambda g: names.get(g, g))
    rows: list[dict[str, Any]] = [
        {"group": names.get(g, g), "cells": [(d.unit, results[d.code].get(g)) for d in definitions]}
        for g in groups
    ]
    context = {
        "year": year,
        "years": list(range(this_year, this_year - 6, -1)),
        "by": by,
        "by_choices": list(BY_LABELS.items()),
        "definitions": definitions,
        "rows": rows,
    }
    return render(request, "monitoring/indicators.html", context)
