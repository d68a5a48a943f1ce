"""The case page's section on work: the job profile, the best offers and the person's placements."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from awda.accounts.models import User
from awda.jobs import access, queries
from awda.registry.access import can_edit
from awda.registry.models import Returnee


def jobs_panel(viewer: User, returnee: Returnee, request: HttpRequest | None = None) -> str:
    if not access.can_match(viewer) or not can_edit(viewer, returnee):
        return ""
    return render_to_string(
        "jobs/case_panel.html",
        {
            "returnee": returnee,
            "profile": queries.profile_of(returnee),
            "offers": queries.offers_for_person(returnee, limit=5),
            "placements": queries.placements_of(returnee),
        },
        request=request,
    )
