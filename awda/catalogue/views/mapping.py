"""The mapping of services against the needs recorded in the registry: a map, a table and a download."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from awda.accounts.access import signed_in_user
from awda.accounts.roles import Capability, has_capability
from awda.catalogue import enums
from awda.catalogue.models import ServiceCategory
from awda.catalogue.queries import mapping, shown_count
from awda.core import audit
from awda.core.models import AuditAction
from awda.geo.maps import governorate_map_svg


def _category(request: HttpRequest) -> ServiceCategory:
    code = request.GET.get("category", "psychosocial")
    top = ServiceCategory.objects.filter(code=code, parent__isnull=True, is_active=True).first()
    if top is None:
        top = ServiceCategory.objects.filter(parent__isnull=True, is_active=True).order_by("order").first()
    if top is None:
        raise Http404
    return top


def _analyst(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    if not has_capability(user, Capability.VIEW_MAPPING):
        raise Http404
    return user


@login_required
@require_GET
def mapping_page(request: HttpRequest) -> HttpResponse:
    user = _analyst(request)
    top = _category(request)
    result = mapping(top)
    levels = {
        "none": _("No needs recorded"),
        "met": _("Every recorded need has a service"),
        "partial": _("Some needs without a service"),
        "severe": _("Most needs without a service"),
    }
    titles = {}
    for row in result["governorates"]:
        gov = row["governorate"]
        titles[gov.pcode] = _(
            "%(place)s: %(level)s; %(gaps)s of %(districts)s districts with a gap; %(needs)s people with this need"
        ) % {
            "place": gov.name,
            "level": levels[row["level"]],
            "gaps": row["gap_districts"],
            "districts": len(row["districts"]),
            "needs": row["needs_shown"],
        }
    svg = governorate_map_svg(
        classes={row["governorate"].pcode: f"level-{row['level']}" for row in result["governorates"]},
        titles=titles,
        links={
            row["governorate"].pcode: f"#gov-{row['governorate'].pcode}" for row in result["governorates"]
        },
        labels={row["governorate"].pcode: row["governorate"].name for row in result["governorates"]},
        caption=_("Gaps in %(category)s by governorate") % {"category": top.name},
    )
    audit.record(actor=user, action=AuditAction.READ, object_type="catalogue.mapping", object_id=top.code)
    return render(
        request,
        "catalogue/mapping.html",
        {
            "top": top,
            "tops": ServiceCategory.objects.filter(parent__isnull=True, is_active=True).order_by("order"),
            "svg": svg,
            "levels": levels,
            "rows": result["governorates"],
            "gap_labels": dict(enums.Gap.choices),
        },
    )


@login_required
@require_GET
def mapping_export(request: HttpRequest) -> HttpResponse:
    user = _analyst(request)
    top = _category(request)
    result = mapping(top)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "category",
            "governorate_pcode",
            "governorate",
            "district_pcode",
            "district",
            "people_with_need",
            "services",
            "services_with_places",
            "remote_services",
            "places_per_month",
            "places_taken",
            "gap",
        ]
    )
    writer.writerow(
        [
            "#sector+code",
            "#adm1+code",
            "#adm1+name",
            "#adm2+code",
            "#adm2+name",
            "#affected+need",
            "#service+num",
            "#service+open+num",
            "#service+remote+num",
            "#capacity+monthly",
            "#capacity+taken",
            "#status+gap",
        ]
    )
    for row in result["governorates"]:
        gov = row["governorate"]
        for district, cell in row["districts"]:
            writer.writerow(
                [
                    top.code,
                    gov.pcode,
                    gov.name,
                    district.pcode,
                    district.name,
                    shown_count(cell.needs),
                    cell.services,
                    cell.open_services,
                    cell.remote,
                    "" if cell.capacity is None else cell.capacity,
                    cell.load,
                    cell.gap,
                ]
            )
    audit.record(actor=user, action=AuditAction.EXPORT, object_type="catalogue.mapping", object_id=top.code)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="awda-mapping-{top.code}.csv"'
    return response
