"""The navigation of the shell, by role: each entry shows only to users with its capability."""

from __future__ import annotations

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
    NavItem("monitoring:follow_ups", _("Follow-ups due"), Capability.REFER),
    NavItem("monitoring:alerts", _("Alerts"), Capability.REFER),
    NavItem("monitoring:systemic", _("Setbacks"), Capability.VIEW_STATISTICS),
    NavItem("monitoring:indicators", _("Indicators"), Capability.VIEW_STATISTICS),
    NavItem("monitoring:providers", _("Providers"), Capability.VIEW_STATISTICS),
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
        url = reverse(item.url_name)
        active = current_path == url if url == reverse("portal:home") else current_path.startswith(url)
        items.append({"url": url, "label": item.label, "active": active})
        seen.add(item.url_name)
    return items
