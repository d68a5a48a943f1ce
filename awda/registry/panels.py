"""Sections that higher apps add to the case page (cross-references, referrals…) without the registry knowing them."""

from __future__ import annotations

from collections.abc import Callable

from awda.accounts.models import User
from awda.registry.models import Returnee

# A panel gets the viewer and the record they were allowed to see, and returns HTML or "" for none.
CasePanel = Callable[[User, Returnee], str]
_PANELS: list[CasePanel] = []


def register_case_panel(panel: CasePanel) -> None:
    """Called from a higher app's ``AppConfig.ready``; the case page shows the panels in that order."""
    if panel not in _PANELS:
        _PANELS.append(panel)


def case_panels(viewer: User, returnee: Returnee) -> list[str]:
    return [html for panel in _PANELS if (html := panel(viewer, returnee))]
