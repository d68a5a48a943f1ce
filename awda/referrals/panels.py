"""The case page's section on referrals, the plan and the case-response proposals."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from awda.accounts.models import User
from awda.accounts.roles import Capability, has_capability
from awda.referrals.queries import case_referrals, current_plan, pending_proposals
from awda.registry.access import can_edit
from awda.registry.models import Returnee


def referrals_panel(viewer: User, returnee: Returnee, request: HttpRequest | None = None) -> str:
    if not has_capability(viewer, Capability.REFER) or not can_edit(viewer, returnee):
        return ""
    return render_to_string(
        "referrals/case_panel.html",
        {
            "returnee": returnee,
            "referrals": case_referrals(returnee),
            "plan": current_plan(returnee),
            "proposals": pending_proposals(returnee),
            "needs": [n for n in returnee.needs.all() if not n.is_interest],
        },
        request=request,
    )
