"""Sections that higher apps add to the case page (cross-references, referrals…) without the registry knowing them."""

from __future__ import annotations

from typing import Protocol

from django.http import HttpRequest

from awda.accounts.models import User
from awda.registry.models import Returnee


class CasePanel(Protocol):
    """Gets the viewer, the record they were allowed to see and the request (for forms' CSRF tokens);
    returns HTML, or "" for nothing to show."""

    def __call__(self, viewer: User, returnee: Returnee, request: HttpRequest | None = None) -> str: ...


_PANELS: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    """Called from a higher app's ``AppConfig.ready``; the case page shows the panels in that order."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def case_panels(viewer: User, returnee: Returnee, request: HttpRequest | None = None) -> list[str]:
    return [html for panel in _PANELS if (html := panel(viewer, returnee, request))]
