"""The navigation of the shell, by role: each entry shows only to users with its capability."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awda.accounts.roles import Capability, has_capability


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str | Promise
    capability: Capability | None = None
    # For entries that depend on more than a capability: the user's URL, or None to leave the entry out.
    url_for: Callable[[Any], str | None] | None = None
    # Where the entry is current when its address is the root of an app: that page and these prefixes.
    under: tuple[str, ...] | None = None


def _own_company(user: Any) -> str | None:
    from awda.jobs.access import employer_of

    employer = employer_of(user)
    return reverse("jobs:employer", args=[employer.uuid]) if employer is not None else None


def _companies(user: Any) -> str | None:
    from awda.jobs.access import employment_staff

    return reverse("jobs:employers") if employment_staff(user) else None


def _market(user: Any) -> str | None:
    from awda.jobs.market import can_view

    return reverse("jobs:market") if can_view(user) else None


JOBS_OFFER_PAGES = ("/jobs/offers/", "/jobs/cases/")

NAVIGATION: tuple[NavItem, ...] = (
    NavItem("portal:home", _("Home")),
    NavItem("registry:returnee_list", _("Returnees"), Capability.VIEW_RECORDS),
    NavItem("accounts:user_list", _("Users"), Capability.MANAGE_UNIT_USERS),
    NavItem("accounts:user_list", _("Users"), Capability.MANAGE_ALL_USERS),
    NavItem("accounts:institution_list", _("Institutions"), Capability.MANAGE_INSTITUTIONS),
    NavItem("registry:category_list", _("Categories"), Capability.MANAGE_CATEGORIES),
    NavItem("registry:form_list", _("Extra questions"), Capability.MANAGE_CATEGORIES),
    NavItem("registry:form_list", _("Extra questions"), Capability.MANAGE_UNIT_USERS),
    NavItem("referrals:inbox", _("Referrals received"), Capability.RECEIVE_REFERRALS),
    NavItem("referrals:sent", _("Referrals sent"), Capability.REFER),
    NavItem("referrals:approvals", _("Plans to approve"), Capability.APPROVE_PLANS),
    NavItem("referrals:statistics", _("Referral statistics"), Capability.VIEW_STATISTICS),
    NavItem("jobs:employer", _("Our company"), Capability.OFFER_JOBS, url_for=_own_company),
    NavItem("jobs:offers", _("Offers"), Capability.OFFER_JOBS, under=JOBS_OFFER_PAGES),
    NavItem("jobs:placements", _("Candidates and placements"), Capability.OFFER_JOBS),
    NavItem("monitoring:follow_ups", _("Follow-ups due"), Capability.REFER),
    NavItem("monitoring:alerts", _("Alerts"), Capability.REFER),
    NavItem("monitoring:systemic", _("Setbacks"), Capability.VIEW_STATISTICS),
    NavItem("monitoring:indicators", _("Indicators"), Capability.VIEW_STATISTICS),
    NavItem("monitoring:providers", _("Providers"), Capability.VIEW_STATISTICS),
    NavItem("jobs:offers", _("Jobs"), Capability.REFER, under=JOBS_OFFER_PAGES),
    NavItem("jobs:placements", _("Placements"), Capability.REFER),
    NavItem("jobs:retention", _("Retention checks"), Capability.REFER),
    NavItem("jobs:employers", _("Companies"), Capability.REFER, url_for=_companies),
    NavItem("jobs:market", _("Job market"), url_for=_market),
    NavItem("catalogue:home", _("Services"), Capability.PROPOSE_SERVICES),
    NavItem("catalogue:home", _("Services"), Capability.MANAGE_CATALOGUE),
    NavItem("catalogue:mapping", _("Mapping"), Capability.VIEW_MAPPING),
    NavItem("exchange:sources", _("Data exchange"), Capability.EXCHANGE_DATA),
    NavItem("exchange:agreement_list", _("Sharing agreements"), Capability.MANAGE_AGREEMENTS),
    NavItem("accounts:audit_log", _("Audit log"), Capability.VIEW_AUDIT),
    NavItem("api-docs", _("API"), Capability.USE_API),
)


def navigation_for(user: Any, current_path: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in NAVIGATION:
        if item.url_name in seen:
            continue
        if item.capability is not None and not has_capability(user, item.capability):
            continue
        url = item.url_for(user) if item.url_for is not None else reverse(item.url_name)
        if url is None:
            continue
        if item.under is not None:
            active = current_path == url or current_path.startswith(item.under)
        elif url == reverse("portal:home"):
            active = current_path == url
        else:
            active = current_path.startswith(url)
        items.append({"url": url, "label": item.label, "active": active})
        seen.add(item.url_name)
    return items
