"""Sections that higher apps add to the reintegration plan page (monitoring: the scores beside the goals)
without referrals knowing them."""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest

from awda.accounts.models import User
from awda.referrals.models import ReintegrationPlan


class PlanPanel(Protocol):
    """Gets the viewer, the plan they were allowed to see and the request (for forms' CSRF tokens);
    returns HTML, or "" for nothing to show."""

    def __call__(self, viewer: User, plan: ReintegrationPlan, request: HttpRequest | None = None) -> str: ...


_PANELS: list[PlanPanel] = []


def register_plan_panel(panel: PlanPanel) -> None:
    """Called from a higher app's ``AppConfig.ready``; the plan page shows the panels in that order."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def plan_panels(viewer: User, plan: ReintegrationPlan, request: HttpRequest | None = None) -> list[str]:
    return [html for panel in _PANELS if (html := panel(viewer, plan, request))]
