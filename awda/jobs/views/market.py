"""The market view: job seekers against open places by place and occupation group, the training needs, and
the same table as CSV or XLSX with HXL hashtags in the second row. Aggregates only, for analysts and the
employment office."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from awda.accounts.models import User
from awda.core import audit
from awda.core.models import AuditAction
from awda.geo.enums import Settlement
from awda.geo.models import Governorate
from awda.jobs import market
from awda.jobs.enums import OfferKind
from awda.jobs.views.common import viewer

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TRAINING_SHOWN = 30  # the page lists the largest shortages; the files hold them all

# key, label, HXL hashtag (HXL 1.1; occupation groups as a sector with the +occupation attribute)
COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("governorate_pcode", gettext_lazy("governorate P-code"), "#adm1+code"),
    ("governorate", gettext_lazy("governorate"), "#adm1+name"),
    ("settlement", gettext_lazy("urban or rural"), "#loc+type"),
    ("group", gettext_lazy("occupation group (ISCO-08)"), "#sector+occupation+code"),
    ("group_name", gettext_lazy("occupation group"), "#sector+occupation+name"),
    ("supply", gettext_lazy("job seekers"), "#population+jobseekers"),
    ("demand", gettext_lazy("places open"), "#capacity+places"),
    ("gap", gettext_lazy("gap (job seekers − places)"), "#indicator+gap"),
    ("status", gettext_lazy("shortage or surplus"), "#status+market"),
)
NEEDS_COLUMNS: tuple[tuple[str, Any, str], ...] = (
    ("rank", gettext_lazy("rank"), "#priority+rank"),
    *COLUMNS[:5],
    ("demand", gettext_lazy("places open"), "#capacity+places"),
    ("supply", gettext_lazy("job seekers"), "#population+jobseekers"),
    ("shortage", gettext_lazy("people missing"), "#indicator+shortage"),
)


def _analyst(request: HttpRequest) -> User:
    user = viewer(request)
    if not market.can_view(user):
        raise Http404
    return user


def _filters(request: HttpRequest) -> market.Filters:
    return market.Filters.clean(
        governorate=request.GET.get("governorate", ""),
        settlement=request.GET.get("settlement", ""),
        kind=request.GET.get("kind", ""),
    )


@dataclass(frozen=True)
class _Names:
    governorates: dict[str, str]
    settlements: dict[str, str]
    groups: dict[str, str]

    @classmethod
    def of(cls, result: market.Market) -> _Names:
        return cls(
            governorates={g.pcode: g.name for g in Governorate.objects.all()},
            settlements=market.settlement_names(),
            groups=market.group_names(result.groups),
        )

    def area(self, area: market.Area) -> str:
        if area.remote:
            return self.settlements[market.REMOTE]
        return _("%(governorate)s (%(settlement)s)") % {
            "governorate": self.governorates.get(area.governorate, area.governorate),
            "settlement": self.settlements.get(area.settlement, area.settlement),
        }


def _status_label(status: str) -> str:
    return {"shortage": _("Shortage"), "surplus": _("Surplus")}.get(status, "")


@login_required
@require_GET
def market_page(request: HttpRequest) -> HttpResponse:
    user = _analyst(request)
    filters = _filters(request)
    result = market.market(filters)
    names = _Names.of(result)
    areas = [
        {
            "key": f"{area.governorate or 'remote'}-{area.settlement or 'unknown'}",
            "name": names.area(area),
            "area": area,
            "rows": [
                {"cell": c, "name": names.groups.get(c.group, c.group), "status": _status_label(c.status)}
                for c in area.cells
            ],
        }
        for area in result.areas
    ]
    needs = result.training_needs
    retraining = result.retraining
    audit.record(actor=user, action=AuditAction.READ, object_type="jobs.market", object_id=_query(filters))
    return render(
        request,
        "jobs/market.html",
        {
            "filters": filters,
            "query": _query(filters),
            "governorates": sorted(names.governorates.items(), key=lambda item: item[1]),
            "settlements": Settlement.choices,
            "kinds": OfferKind.choices,
            "areas": areas,
            "needs": [_ranked(r, names) for r in needs[:TRAINING_SHOWN]],
            "needs_total": len(needs),
            "retraining": [_ranked(r, names) for r in retraining[:TRAINING_SHOWN]],
            "retraining_total": len(retraining),
            "small_cell": market.SMALL_CELL,
        },
    )


def _ranked(ranked: market.Ranked, names: _Names) -> dict[str, Any]:
    return {
        "area": names.area(ranked.area),
        "cell": ranked.cell,
        "name": names.groups.get(ranked.cell.group, ""),
    }


def _query(filters: market.Filters) -> str:
    return urlencode({k: v for k, v in vars(filters).items() if v})


def _place(area: market.Area, names: _Names) -> dict[str, str]:
    return {
        "governorate_pcode": area.governorate,
        "governorate": names.governorates.get(area.governorate, ""),
        "settlement": area.settlement,
    }


def _market_rows(result: market.Market, names: _Names) -> Iterator[dict[str, Any]]:
    """Counts as numbers; a hidden cell as "<5" (and its gap as its bound); the remote row without people."""
    for area in result.areas:
        for cell in area.cells:
            yield {
                **_place(area, names),
                "group": cell.group,
                "group_name": names.groups.get(cell.group, ""),
                "supply": cell.supply
                if cell.supply is not None
                else ("" if area.remote else cell.supply_text),
                "demand": cell.demand,
                "gap": cell.gap if cell.gap is not None else ("" if area.remote else cell.gap_text),
                "status": cell.status,
            }


def _needs_rows(result: market.Market, names: _Names) -> Iterator[dict[str, Any]]:
    for rank, ranked in enumerate(result.training_needs, start=1):
        cell = ranked.cell
        yield {
            "rank": rank,
            **_place(ranked.area, names),
            "group": cell.group,
            "group_name": names.groups.get(cell.group, ""),
            "demand": cell.demand,
            "supply": cell.supply if cell.supply is not None else cell.supply_text,
            "shortage": cell.shortage if not cell.hidden else f">{cell.shortage - 1}",
        }


def _header(columns: tuple[tuple[str, Any, str], ...]) -> tuple[list[str], list[str], list[str]]:
    return (
        [k for k, _l, _h in columns],
        [str(label) for _k, label, _h in columns],
        [h for _k, _l, h in columns],
    )


@login_required
@require_GET
def market_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The market table (and, in the workbook, the training needs on a second sheet)."""
    user = _analyst(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    filters = _filters(request)
    result = market.market(filters)
    names = _Names.of(result)
    keys, labels, tags = _header(COLUMNS)
    rows = [[row[k] for k in keys] for row in _market_rows(result, names)]
    audit.record(actor=user, action=AuditAction.EXPORT, object_type="jobs.market", object_id=_query(filters))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows([labels, tags, *rows])
        # The byte-order mark makes Excel read the file as UTF-8 (Arabic and Kurdish names).
        response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Job market")[:31])
        for row in [labels, tags, *rows]:
            sheet.append(row)
        need_keys, need_labels, need_tags = _header(NEEDS_COLUMNS)
        needs = workbook.create_sheet(_("Training needs")[:31])
        needs.append(need_labels)
        needs.append(need_tags)
        for need in _needs_rows(result, names):
            needs.append([need[k] for k in need_keys])
        out = io.BytesIO()
        workbook.save(out)
        response = HttpResponse(out.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="awda-job-market-{stamp}.{fmt}"'
    return response
