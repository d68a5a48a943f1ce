"""What each role may do: capabilities per role, the one table every permission check reads."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.conf import settings

from awda.accounts.enums import Role


class Capability(StrEnum):
    VIEW_RECORDS = "records.view"  # personal records, within the user's data scope
    REGISTER_RECORDS = "records.register"
    EDIT_RECORDS = "records.edit"
    VIEW_SENSITIVE = "records.view_sensitive"  # health and psychosocial notes
    EXPORT_RECORDS = "records.export"
    MANAGE_CATEGORIES = "categories.manage"
    MANAGE_ALL_USERS = "users.manage_all"
    MANAGE_UNIT_USERS = "users.manage_unit"  # users of the own institution and office area
    MANAGE_INSTITUTIONS = "institutions.manage"
    VIEW_AUDIT = "audit.view"
    VIEW_STATISTICS = "statistics.view"
    USE_API = "api.use"
    EXCHANGE_DATA = "exchange.manage"  # imports, linkage runs and review, merges, data quality
    MANAGE_AGREEMENTS = "agreements.manage"  # data-sharing agreements and the exports under them
    PROPOSE_SERVICES = "services.propose"  # the own institution's services, published after review
    MANAGE_CATALOGUE = "catalogue.manage"  # review of proposals, organisations, taxonomy, imports
    VIEW_MAPPING = "catalogue.mapping"  # services against needs by place (aggregates only)
    REFER = "referrals.refer"  # refer and transfer cases of the own scope; keep their plans
    RECEIVE_REFERRALS = "referrals.receive"  # answer and serve referrals addressed to the own institution
    APPROVE_PLANS = "plans.approve"  # approve reintegration plans of the own unit
    OFFER_JOBS = "jobs.offer"  # the own company's profile, offers, shortlists and commitments


_STAFF = {Capability.USE_API}

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.CASE_WORKER: frozenset(
        {
            *_STAFF,
            Capability.VIEW_RECORDS,
            Capability.REGISTER_RECORDS,
            Capability.EDIT_RECORDS,
            Capability.VIEW_SENSITIVE,
            Capability.REFER,
            Capability.RECEIVE_REFERRALS,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            *_STAFF,
            Capability.VIEW_RECORDS,
            Capability.REGISTER_RECORDS,
            Capability.EDIT_RECORDS,
            Capability.VIEW_SENSITIVE,
            Capability.EXPORT_RECORDS,
            Capability.MANAGE_UNIT_USERS,
            Capability.VIEW_STATISTICS,
            Capability.PROPOSE_SERVICES,
            Capability.VIEW_MAPPING,
            Capability.REFER,
            Capability.RECEIVE_REFERRALS,
            Capability.APPROVE_PLANS,
        }
    ),
    Role.SERVICE_PROVIDER: frozenset({*_STAFF, Capability.PROPOSE_SERVICES, Capability.RECEIVE_REFERRALS}),
    Role.EMPLOYER: frozenset({*_STAFF, Capability.OFFER_JOBS}),
    Role.ANALYST: frozenset({*_STAFF, Capability.VIEW_STATISTICS, Capability.VIEW_MAPPING}),
    Role.COMMITTEE_SECRETARIAT: frozenset({*_STAFF, Capability.VIEW_STATISTICS, Capability.VIEW_MAPPING}),
    Role.DATA_STEWARD: frozenset(
        {
            *_STAFF,
            Capability.VIEW_RECORDS,
            Capability.EDIT_RECORDS,
            Capability.EXPORT_RECORDS,
            Capability.VIEW_STATISTICS,
            Capability.EXCHANGE_DATA,
            Capability.MANAGE_AGREEMENTS,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            *_STAFF,
            Capability.MANAGE_ALL_USERS,
            Capability.MANAGE_INSTITUTIONS,
            Capability.MANAGE_CATEGORIES,
            Capability.VIEW_AUDIT,
            Capability.VIEW_STATISTICS,
            Capability.MANAGE_CATALOGUE,
            Capability.VIEW_MAPPING,
        }
    ),
    Role.RETURNEE: frozenset(),
}


def has_capability(user: Any, capability: Capability) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return capability in CAPABILITIES.get(user.role, frozenset())


def requires_two_factor(user: Any) -> bool:
    return getattr(user, "role", None) in settings.AWDA_TWO_FACTOR_ROLES


def default_scope(role: str) -> str:
    from awda.accounts.enums import ScopeLevel

    if role in (Role.DATA_STEWARD,):
        return ScopeLevel.INSTITUTION
    if role in (Role.CASE_WORKER,):
        return ScopeLevel.OFFICE_AREA
    if role in (Role.SUPERVISOR,):
        return ScopeLevel.OFFICE_AREA
    return ScopeLevel.ASSIGNED
