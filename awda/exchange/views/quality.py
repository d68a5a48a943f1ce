"""Pages of data exchange: the data-quality report of the institution's registry and sources, and its CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.accounts.access import signed_in_user
from awda.accounts.models import Institution, User
from awda.accounts.roles import Capability, has_capability
from awda.exchange import enums, quality
from awda.exchange.models import QualitySnapshot, Source

# These pages show counts and shares only, never a person's record, so reading them writes no
# audit row (the audit log is for access to personal data).

CHART_WIDTH = 600
CHART_HEIGHT = 160
CHART_PAD = 24


def _steward(request: HttpRequest) -> tuple[User, Institution]:
    """The signed-in data steward and their institution; anyone else is refused before anything is computed."""
    user = signed_in_user(request)
    if not has_capability(user, Capability.EXCHANGE_DATA) or user.institution is None:
        raise PermissionDenied
    return user, user.institution


def _line_chart(values: list[tuple[date, float | None]], top: float) -> dict[str, Any] | None:
    """Coordinates of a line over the days, drawn by the template as SVG (the oldest day on the left)."""
    known = [(day, value) for day, value in values if value is not None]
    if not known:
        return None
    first, last = known[0][0], known[-1][0]
    span = max((last - first).days, 1)
    top = top or 1
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
    dots = []
    for day, value in known:
        x = CHART_PAD + inner_w * ((day - first).days / span if len(known) > 1 else 0.5)
        y = CHART_PAD + inner_h * (1 - value / top)
        dots.append({"x": round(x, 1), "y": round(y, 1), "day": day, "value": value})
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "pad": CHART_PAD,
        "bottom": CHART_HEIGHT - CHART_PAD,
        "right": CHART_WIDTH - CHART_PAD,
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "top": top,
        "first": first,
        "last": last,
    }


def _trend(snapshots: list[QualitySnapshot]) -> dict[str, Any]:
    rows = [
        {
            "day": s.day,
            "completeness": s.figures.get("average_completeness"),
            "duplicates": s.figures.get("duplicates", 0),
            "stale": (s.figures.get("stale") or {}).get("count", 0),
        }
        for s in snapshots
    ]
    most_duplicates = max((r["duplicates"] for r in rows), default=0)
    return {
        "rows": rows,
        "completeness": _line_chart([(r["day"], r["completeness"]) for r in rows], 100),
        "duplicates": _line_chart([(r["day"], r["duplicates"]) for r in rows], most_duplicates),
    }


def _field_label(figures: quality.QualityFigures, name: str) -> str:
    if figures.scope == quality.REGISTRY:
        return str(quality.REGISTRY_FIELDS[name])
    return str(enums.SourceField(name).label)


def _error_label(code: str) -> str:
    return str(enums.RowErrorCode(code).label) if code in enums.RowErrorCode.values else code


def _section(
    institution: Institution, source: Source | None, today: date, *, with_trend: bool = True
) -> dict[str, Any]:
    figures = (
        quality.source_quality(source, today=today)
        if source
        else quality.registry_quality(institution, today=today)
    )
    return {
        "source": source,
        "title": source.name if source else _("Registry of the institution"),
        "figures": figures,
        "completeness": [(_field_label(figures, n), f) for n, f in figures.completeness.items()],
        "validity": [(str(quality.VALIDITY_LABELS[n]), f) for n, f in figures.validity.items()],
        "errors": [(code, _error_label(code), n) for code, n in figures.errors_by_code.items()],
        "trend": _trend(quality.trend(institution, source, today=today)) if with_trend else None,
    }


def _csv(sections: list[dict[str, Any]], institution: Institution, today: date) -> HttpResponse:
    """One row per figure: the register, the kind of figure, its stable key, label, count, out of, share."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("Register"), _("Figure"), _("Key"), _("Label"), _("Count"), _("Out of"), _("Share (%)")]
    )
    for section in sections:
        figures: quality.QualityFigures = section["figures"]
        register = section["title"]
        writer.writerow([register, "total", "", _("Records"), figures.total, "", ""])
        for name, figure in figures.completeness.items():
            label = _field_label(figures, name)
            writer.writerow([register, "completeness", name, label, figure.count, figure.of, _share(figure)])
        for name, figure in figures.validity.items():
            label = str(quality.VALIDITY_LABELS[name])
            writer.writerow([register, "validity", name, label, figure.count, figure.of, _share(figure)])
        for code, label, count in section["errors"]:
            writer.writerow([register, "row_error", code, label, count, "", ""])
        writer.writerow(
            [
                register,
                "duplicates",
                "",
                _("Suspected duplicates waiting for review"),
                figures.duplicates,
                "",
                "",
            ]
        )
        stale = figures.stale
        writer.writerow([register, "stale", "", _("Stale records"), stale.count, stale.of, _share(stale)])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"data-quality-{institution.code}-{today.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _share(figure: quality.Figure) -> str:
    return "" if figure.share is None else f"{figure.share:.1f}"


@login_required
def quality_report(request: HttpRequest) -> HttpResponse:
    """The registry's figures and one section per source of the institution; ``?format=csv`` downloads them."""
    _user, institution = _steward(request)
    today = timezone.localdate()
    wants_csv = request.GET.get("format") == "csv"
    sources = Source.objects.filter(institution=institution).order_by("name_en")
    sections = [_section(institution, None, today, with_trend=not wants_csv)]
    sections += [_section(institution, s, today, with_trend=not wants_csv) for s in sources]
    if wants_csv:
        return _csv(sections, institution, today)
    return render(
        request,
        "exchange/quality_report.html",
        {"institution": institution, "sections": sections, "today": today, "thresholds": _thresholds()},
    )


@login_required
def quality_source(request: HttpRequest, source_uuid: str) -> HttpResponse:
    """One source's figures and trend; a source of another institution is "not found", like an absent one."""
    _user, institution = _steward(request)
    source = Source.objects.filter(institution=institution, uuid=source_uuid).first()
    if source is None:
        raise Http404
    today = timezone.localdate()
    wants_csv = request.GET.get("format") == "csv"
    section = _section(institution, source, today, with_trend=not wants_csv)
    if wants_csv:
        return _csv([section], institution, today)
    return render(
        request,
        "exchange/quality_source.html",
        {"institution": institution, "section": section, "today": today, "thresholds": _thresholds()},
    )


def _thresholds() -> dict[str, int]:
    return {
        "registry_stale_days": quality.REGISTRY_STALE_DAYS,
        "source_stale_days": quality.SOURCE_STALE_DAYS,
    }


urlpatterns: list[URLPattern] = [
    path("quality/", quality_report, name="quality"),
    path("quality/<uuid:source_uuid>/", quality_source, name="quality_source"),
]
