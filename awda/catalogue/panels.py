"""The services a returnee is eligible for, on their case page (through the registry's panel hook)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone

from awda.accounts.models import User
from awda.catalogue.queries import eligibility_for, person_of, place_and_category_names, running_services
from awda.core.models import active_language
from awda.registry import rules as registry_rules
from awda.registry.categorisation import returnee_facts
from awda.registry.models import Returnee

SHOWN_PER_NEED = 5


def eligible_services_panel(viewer: User, returnee: Returnee, request: HttpRequest | None = None) -> str:
    """For each need of the returnee: eligible services with places, then why others are not open to them."""
    needs = sorted({n.category for n in returnee.needs.all() if not n.is_interest})
    if not needs:
        return ""
    today = timezone.localdate()
    person = person_of(returnee, returnee_facts(returnee, today=today))
    result = eligibility_for(person, today=today)
    services = (
        running_services(today)
        .filter(
            Q(category__parent__isnull=True, category__need_category__in=needs)
            | Q(category__parent__need_category__in=needs)
        )
        .select_related("organisation", "category__parent")
        .order_by("category__order", "code")
    )
    names = place_and_category_names()
    language = active_language()
    by_need: dict[str, dict[str, list[Any]]] = defaultdict(
        lambda: {"open": [], "full": [], "closed": [], "elsewhere": []}
    )
    for service in services:
        if str(service.uuid) not in result.index.by_key:
            continue  # published after the index was read: it shows on the next view
        verdict = result.verdict(str(service.uuid))
        if any(p.code in ("withdrawn", "ended", "not_started") for p in verdict.problems):
            continue
        group = by_need[service.category.top.need_category]
        if verdict.eligible and verdict.available:
            group["open"].append({"service": service})
        elif verdict.eligible:
            group["full"].append({"service": service})
        else:
            if {p.criterion for p in verdict.reasons} == {"place"}:
                # Offered only elsewhere: counted, not listed, so the services nearby stand out.
                group["elsewhere"].append(service)
                continue
            reasons = [p.text(names)[language] for p in verdict.reasons]
            group["closed"].append({"service": service, "reasons": reasons})
    labels = dict(registry_rules.FACTS["needs"].choices)
    sections = [
        {
            "need": labels[need][language] if need in labels else need,
            "open": by_need[need]["open"][:SHOWN_PER_NEED],
            "more_open": max(0, len(by_need[need]["open"]) - SHOWN_PER_NEED),
            "full": by_need[need]["full"],
            "closed": by_need[need]["closed"][:SHOWN_PER_NEED],
            "elsewhere": len(by_need[need]["elsewhere"]),
        }
        for need in needs
    ]
    return render_to_string("catalogue/case_services.html", {"sections": sections}, request=request)
