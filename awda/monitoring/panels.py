"""The sections on follow-up surveys: on the case page the latest scores and their history as a chart; on the
reintegration plan page the same chart with each dimension's latest score beside its goals."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.core import audit
from awda.core.models import AuditAction
from awda.monitoring.enums import AlertStatus
from awda.monitoring.queries import responses_of, versions_in_use
from awda.referrals.enums import Dimension
from awda.referrals.models import ReintegrationPlan
from awda.registry.access import can_edit
from awda.registry.models import Returnee

CHART_WIDTH, CHART_HEIGHT, PAD = 320, 120, 10
SERIES = (("economic", "#0b6e4f"), ("social", "#1f5fa8"), ("psychosocial", "#b3541e"))


def chart(responses: list[Any]) -> dict[str, Any]:
    """Polylines of each dimension's score over the surveys, oldest first (the SVG is drawn by the template)."""
    ordered = list(reversed(responses))[-12:]
    n = len(ordered)
    step = (CHART_WIDTH - 2 * PAD) / max(1, n - 1)
    lines = []
    for name, colour in SERIES:
        points = []
        for i, response in enumerate(ordered):
            value = getattr(response, name)
            if value is None:
                continue
            x = PAD + i * step
            y = CHART_HEIGHT - PAD - value * (CHART_HEIGHT - 2 * PAD)
            points.append(f"{x:.1f},{y:.1f}")
        lines.append({"name": name, "colour": colour, "points": " ".join(points)})
    return {"width": CHART_WIDTH, "height": CHART_HEIGHT, "lines": lines, "count": n}


def scores_panel(viewer: User, returnee: Returnee, request: HttpRequest | None = None) -> str:
    if not has_capability(viewer, Capability.EDIT_RECORDS) or not can_edit(viewer, returnee):
        return ""
    responses = list(responses_of(returnee)[:12])
    return render_to_string(
        "monitoring/case_scores.html",
        {
            "returnee": returnee,
            "responses": responses,
            "chart": chart(responses),
            "instruments": versions_in_use(),
            "to_evaluate": list(
                returnee.referrals.filter(status="completed", evaluation__isnull=True).select_related(
                    "service", "to_organisation"
                )
            ),
            "alerts": list(
                returnee.alerts.exclude(status=AlertStatus.RESOLVED)
                .select_related("rule")
                .order_by("-raised_at")
            ),
        },
        request=request,
    )


SCORE_FIELDS = ("collected_on", "economic", "social", "psychosocial", "composite")


def plan_scores_panel(viewer: User, plan: ReintegrationPlan, request: HttpRequest | None = None) -> str:
    """The chart of the plan's returnee and, per dimension, the latest score beside that dimension's goals.

    Shown to whom the case page shows the scores (those who edit the record); nothing before a first survey.
    The plan page audits reading the plan, not the scores: each response shown is audited here.
    """
    returnee = plan.returnee
    if not has_capability(viewer, Capability.EDIT_RECORDS) or not can_edit(viewer, returnee):
        return ""
    responses = list(responses_of(returnee)[:12])
    if not responses:
        return ""
    audit.record_many(actor=viewer, action=AuditAction.READ, objects=[(r, SCORE_FIELDS) for r in responses])
    goals = list(plan.goals.order_by("target_on", "order", "id"))
    dimensions = []
    for code, label in Dimension.choices:
        # The newest survey that scored this dimension (a survey may leave one unanswered).
        latest = next((r for r in responses if getattr(r, code) is not None), None)
        dimensions.append(
            {
                "code": code,
                "label": label,
                "score": getattr(latest, code) if latest is not None else None,
                "collected_on": latest.collected_on if latest is not None else None,
                "goals": [g for g in goals if g.dimension == code],
            }
        )
    return render_to_string(
        "monitoring/plan_scores.html",
        {"returnee": returnee, "latest": responses[0], "chart": chart(responses), "dimensions": dimensions},
        request=request,
    )
