"""Fixtures of the jobs API's tests: a small job market built through the real actions.

A welding company in Baghdad (approved, with a user) has one open welder's offer; Zainab, a case of the
MoMD Baghdad branch, has worked four years as a welder. The employment office is MoLSA's Baghdad staff.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from awda.accounts.enums import Role, ScopeLevel
from awda.accounts.models import User
from awda.jobs import actions
from awda.registry.models import Returnee, Skill
from awda.registry.tests.conftest import register
from conftest import verified_api_client

__all__ = ["as_user", "company_data", "market", "offer_data", "register"]


def company_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name_ar": "شركة الرافدين للمقاولات",
        "name_en": "Rafidain Construction",
        "sector": "F",
        "size": "medium",
        "governorates": ["IQG08"],
        "contact_name": "Mustafa",
        "contact_phone": "07701234567",
    }
    data.update(changes)
    return data


def offer_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "kind": "job",
        "title": "لحام في ورشة",
        "occupation": "7212",
        "skills": ["لحام"],
        "languages": ["ar"],
        "governorate": "IQG08",
        "settlement": "urban",
        "places": 1,
    }
    data.update(changes)
    return data


@pytest.fixture
def market(make_user: Callable[..., User], register: Callable[..., Returnee]) -> dict[str, Any]:
    cache.clear()  # the registration throttle counts in the cache
    staff = make_user(Role.CASE_WORKER, "molsa_baghdad", "jobs.staff")
    worker = make_user(Role.CASE_WORKER, "momd_baghdad", "jobs.worker")
    outsider = make_user(Role.CASE_WORKER, "momd_erbil", "jobs.erbil")
    analyst = make_user(Role.ANALYST, "momd_baghdad", "jobs.analyst")
    employer = actions.employer_create(actor=staff, data=company_data())
    company = User.objects.create(
        username="jobs.company",
        role=Role.EMPLOYER,
        institution=employer.institution,
        scope=ScopeLevel.ASSIGNED,
    )
    rival = actions.employer_create(
        actor=staff,
        data=company_data(name_ar="مطعم دجلة", name_en="Dijla Restaurant", sector="I", size="small"),
    )
    rival_user = User.objects.create(
        username="jobs.rival", role=Role.EMPLOYER, institution=rival.institution, scope=ScopeLevel.ASSIGNED
    )
    returnee = register()
    Skill.objects.create(returnee=returnee, occupation_id="7212", years_experience=4)
    offer = actions.offer_create(actor=company, employer=employer, data=offer_data(), publish=True)
    return {
        "staff": staff,
        "worker": worker,
        "outsider": outsider,
        "analyst": analyst,
        "employer": employer,
        "company": company,
        "rival": rival,
        "rival_user": rival_user,
        "returnee": returnee,
        "offer": offer,
    }


def as_user(user: User) -> APIClient:
    return verified_api_client(user)
